"""One member's month, every figure traced back to the inputs that made it.

"Why did I get 412.50?" :func:`explain` answers from a paid
:class:`~jointbonus.sharedtarget.results.Result`, step by step, with the figures the
engine used -- never recomputed another way:

1. the member (and where the roster says so);
2. their weight: FTE x days active / days in the month, with the dates, and
   the leaver rule when they left before the month ended;
3. the month's target (and where it came from), actual and attainment;
4. the payout curve and the factor it gives at that attainment;
5. the calibration: budget / unit cost = the pool at target (or the target
   bonus multiplier under individual funding);
6. the month's pool, ``round(pool at target x factor)``;
7. how the pool was split: total weight, the member's exact share, the
   largest-remainder rule and whether this member received one of the
   leftover minor units, and why (ties go to the lower member id);
8. the amount, or the reason it is zero.

Three members share a pool of 100.00; the lowest id gets the leftover cent:

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve, build_plan, run
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=1,
...     members=[Member(i, "sales", date(2025, 1, 1), None, D("1")) for i in "ABC"],
...     history=[HistoryMonth(Month(2025, m), D(100 + m), D(100)) for m in range(1, 13)],
...     targets={"2026-01": "110"}, actuals={"2026-01": "120"},
...     curve=StepCurve(), budget="100.00",
... )
>>> explanation = explain(run(plan), "A", "2026-01")
>>> explanation.amount, explanation.figure("split", "leftover_unit").value
(Decimal('33.34'), '+1')
>>> explanation.figure("split", "leftover_unit").how
'yes: place 1 in line for 1 leftover units (0 members have a larger remainder ...)'
"""

from __future__ import annotations

from jointbonus.sharedtarget.explain.explanation import explain
from jointbonus.sharedtarget.explain.model import ExplainError, Explanation, Figure, Sources, Step
from jointbonus.sharedtarget.explain.render import explanation_document, render_explanation
from jointbonus.sharedtarget.explain.sources import find_sources

__all__ = [
    "ExplainError",
    "Explanation",
    "Figure",
    "Sources",
    "Step",
    "explain",
    "explanation_document",
    "find_sources",
    "render_explanation",
]
