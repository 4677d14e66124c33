"""The targets and their chances of a hit, for people (a table) and programs (JSON)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tabulate import tabulate

from jointbonus.core.number import decimal_text, percent_text
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.targets import TargetSet, UpliftSolution, assess_targets

__all__ = ["render_targets_table", "targets_document"]


def _uplift_text(value: Fraction, places: int = 4) -> str:
    return percent_text(value, max(places - 2, 2))


def targets_document(
    plan: Plan, targets: TargetSet, solution: UpliftSolution | None = None
) -> dict[str, Any]:
    """A target set as JSON-ready data; amounts and ratios are decimal strings.

    The plan's own targets and chances are shown beside proposed ones.
    """
    currency = plan.currency
    own = assess_targets(plan) if targets.uplift is not None else targets
    document: dict[str, Any] = {
        "norm": plan.norm.method.value,
        "scenarios": targets.scenarios,
        "uplift": None if targets.uplift is None else decimal_text(targets.uplift, 6),
        "hit_rate": decimal_text(targets.hit_rate, 6),
        "expected_hits": decimal_text(targets.expected_hits, 6),
        "solved": None,
        "months": [
            {
                "period": str(m.month),
                "norm_level": None if m.level is None else decimal_text(m.level, 6),
                "target": decimal_text(m.target, currency.minor_unit),
                "target_source": m.source,
                "hits": m.hits,
                "chance": decimal_text(m.chance, 6),
                "plan_target": decimal_text(o.target, currency.minor_unit),
                "plan_chance": decimal_text(o.chance, 6),
            }
            for m, o in zip(targets.months, own.months, strict=True)
        ],
    }
    if solution is not None:
        document["solved"] = {
            "wanted_hit_rate": decimal_text(solution.wanted, 6),
            "step": decimal_text(Fraction(1, 10**solution.places), solution.places),
            "next_uplift": decimal_text(solution.next_uplift, 6),
            "next_hit_rate": decimal_text(solution.next_hit_rate, 6),
        }
    return document


def render_targets_table(
    plan: Plan, targets: TargetSet, solution: UpliftSolution | None = None
) -> str:
    """A target set for people: how it was set, then each month's target and chance."""
    currency = plan.currency
    c = currency.code
    rows = [("Plan", plan.name), ("Norm", plan.norm.describe())]
    if targets.uplift is None:
        rows.append(("Targets", "the plan's own"))
    else:
        rows.append(("Targets", f"norm level x (1 + uplift {_uplift_text(targets.uplift)})"))
    if solution is not None:
        step = Fraction(1, 10**solution.places)
        rows.append(
            (
                "Uplift",
                f"{_uplift_text(solution.uplift, solution.places)}: the largest in steps of "
                f"{_uplift_text(step, solution.places)} hitting at least "
                f"{percent_text(solution.wanted)} of months; at "
                f"{_uplift_text(solution.next_uplift, solution.places)}: "
                f"{percent_text(solution.next_hit_rate)}",
            )
        )
    rows.append(
        (
            "Months hit",
            f"{percent_text(targets.hit_rate)} ({decimal_text(targets.expected_hits, 2)} of "
            f"{len(targets.months)} a year, over {targets.scenarios} historical scenarios)",
        )
    )
    header = tabulate(rows, tablefmt="plain", disable_numparse=True)
    if targets.uplift is None:
        table = tabulate(
            [
                (
                    str(m.month),
                    currency.format(currency.round_to_minor(m.target)),
                    m.source,
                    percent_text(m.chance),
                )
                for m in targets.months
            ],
            headers=["Month", f"Target ({c})", "Source", "Chance of a hit"],
            colalign=("left", "right", "left", "right"),
            disable_numparse=True,
        )
    else:
        own = assess_targets(plan)
        table = tabulate(
            [
                (
                    str(m.month),
                    currency.format(currency.round_to_minor(m.level or Fraction(0))),
                    currency.format(currency.round_to_minor(m.target)),
                    percent_text(m.chance),
                    currency.format(currency.round_to_minor(o.target)),
                    percent_text(o.chance),
                )
                for m, o in zip(targets.months, own.months, strict=True)
            ],
            headers=[
                "Month",
                f"Norm level ({c})",
                f"Target ({c})",
                "Chance of a hit",
                f"Plan's target ({c})",
                "Its chance",
            ],
            colalign=("left", "right", "right", "right", "right", "right"),
            disable_numparse=True,
        )
    return f"{header}\n\n{table}\n"
