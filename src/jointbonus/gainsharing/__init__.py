"""Gainsharing: a shared bonus funded by gains against a historical cost ratio.

The classic Scanlon and Rucker plans. A base period sets the norm, a ratio of
labour cost to revenue (Scanlon) or to value added (Rucker); each period's
gain is what that ratio allows for the period's revenue minus the labour
cost actually spent. The employees' share of each gain is split among the
members eligible in the period, less a part held in a reserve for deficit
periods (or, in the textbook Scanlon order, the reserve is taken from the
whole gain before the split); deficits are charged to the reserve, and at
year end a positive reserve is paid to those still in the plan (in the
textbook order, shared with the company as a gain is) while a negative one
is absorbed by the company. A plan may also hold back a share of each
member's period amount until the year end, paid then only to those still in
the plan. See ``docs/gainsharing.md``.

Three lines, as for a shared-target plan::

    from jointbonus import gainsharing

    plan = gainsharing.load_plan("examples/gainsharing/scanlon.toml")
    result = gainsharing.run(plan)
    print(gainsharing.render_table(result))

The data flows one way: files -> :func:`load_plan` (or :func:`build_plan`) ->
:class:`GainsharingPlan` -> :func:`run` -> :class:`GainsharingResult` ->
:func:`render_table`, :func:`result_document`, :func:`write_results`.
"""

from jointbonus.gainsharing.engine import run
from jointbonus.gainsharing.loader import load_plan, load_plan_document, plan_kind
from jointbonus.gainsharing.plan import (
    BaseNorm,
    Distribution,
    Formula,
    GainsharingPlan,
    MonthData,
    MonthFigures,
    Period,
    PeriodLength,
    ReserveSource,
    build_plan,
)
from jointbonus.gainsharing.report import (
    plan_document,
    render_json,
    render_table,
    result_document,
    write_results,
)
from jointbonus.gainsharing.results import (
    GainsharingResult,
    GainsharingSummary,
    HoldbackSettlement,
    HoldbackStatus,
    LineStatus,
    MemberLine,
    PeriodResult,
    PeriodStatus,
    Settlement,
    SettlementLine,
    SettlementStatus,
)

__all__ = [
    "BaseNorm",
    "Distribution",
    "Formula",
    "GainsharingPlan",
    "GainsharingResult",
    "GainsharingSummary",
    "HoldbackSettlement",
    "HoldbackStatus",
    "LineStatus",
    "MemberLine",
    "MonthData",
    "MonthFigures",
    "Period",
    "PeriodLength",
    "PeriodResult",
    "PeriodStatus",
    "ReserveSource",
    "Settlement",
    "SettlementLine",
    "SettlementStatus",
    "build_plan",
    "load_plan",
    "load_plan_document",
    "plan_document",
    "plan_kind",
    "render_json",
    "render_table",
    "result_document",
    "run",
    "write_results",
]
