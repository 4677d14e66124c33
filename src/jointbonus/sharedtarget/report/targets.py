"""The targets and their chances of a hit, for people (a table) and programs (JSON).

A plan whose shared target runs over a quarter or a plan year shows one row
per period, its months' targets summed, and says "quarter" or "plan year"
where a monthly plan says "month".
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from tabulate import tabulate

from jointbonus.core.number import decimal_text, percent_text
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.targets import (
    MonthFigure,
    MonthTarget,
    TargetSet,
    UpliftSolution,
    assess_targets,
)

__all__ = ["render_targets_table", "targets_document"]


def _uplift_text(value: Fraction, places: int = 4) -> str:
    return percent_text(value, max(places - 2, 2))


def _unit(targets: TargetSet) -> str:
    """What one target runs over, in text: ``month``, ``quarter``, ``plan year``."""
    return "month" if targets.period is PeriodLength.MONTH else targets.period.noun


def _level(value: Fraction | None) -> str | None:
    return None if value is None else decimal_text(value, 6)


def _part_document(plan: Plan, part: MonthFigure, own: MonthFigure) -> dict[str, Any]:
    places = plan.currency.minor_unit
    return {
        "month": str(part.month),
        "norm_level": _level(part.level),
        "target": decimal_text(part.target, places),
        "target_source": part.source,
        "plan_target": decimal_text(own.target, places),
    }


def _row_document(plan: Plan, row: MonthTarget, own: MonthTarget) -> dict[str, Any]:
    places = plan.currency.minor_unit
    document: dict[str, Any] = {
        "period": row.label,
        "norm_level": _level(row.level),
        "target": decimal_text(row.target, places),
        "target_source": row.source,
        "hits": row.hits,
        "chance": decimal_text(row.chance, 6),
        "plan_target": decimal_text(own.target, places),
        "plan_chance": decimal_text(own.chance, 6),
    }
    if row.period is not None:
        document["months"] = [
            _part_document(plan, part, mine)
            for part, mine in zip(row.parts, own.parts, strict=True)
        ]
    return document


def targets_document(
    plan: Plan, targets: TargetSet, solution: UpliftSolution | None = None
) -> dict[str, Any]:
    """A target set as JSON-ready data; amounts and ratios are decimal strings.

    The plan's own targets and chances are shown beside proposed ones. A plan
    whose shared target runs over a quarter or a plan year has ``period``
    (``"quarter"`` or ``"plan_year"``) and ``periods`` (one per period, each
    with its ``months``) where a monthly plan has ``months``.
    """
    own = assess_targets(plan) if targets.uplift is not None else targets
    monthly = targets.period is PeriodLength.MONTH
    document: dict[str, Any] = {
        "norm": plan.norm.method.value,
        **({} if monthly else {"period": targets.period.value}),
        "scenarios": targets.scenarios,
        "uplift": None if targets.uplift is None else decimal_text(targets.uplift, 6),
        "hit_rate": decimal_text(targets.hit_rate, 6),
        "expected_hits": decimal_text(targets.expected_hits, 6),
        "solved": None,
    }
    rows = [_row_document(plan, m, o) for m, o in zip(targets.months, own.months, strict=True)]
    document["months" if monthly else "periods"] = rows
    if solution is not None:
        document["solved"] = {
            "wanted_hit_rate": decimal_text(solution.wanted, 6),
            "step": decimal_text(Fraction(1, 10**solution.places), solution.places),
            "next_uplift": decimal_text(solution.next_uplift, 6),
            "next_hit_rate": decimal_text(solution.next_hit_rate, 6),
        }
    return document


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _hits_text(targets: TargetSet) -> str:
    """How many targets are hit on average, and over what."""
    expected = decimal_text(targets.expected_hits, 2)
    count = len(targets.months)
    if targets.period is PeriodLength.MONTH and count == 12:
        return f"{expected} of {count} a year, over {targets.scenarios} historical scenarios"
    unit = _unit(targets)
    return (
        f"{expected} of the plan's {_counted(count, unit)}, over "
        f"{_counted(targets.scenarios, 'historical ' + unit)}"
    )


def render_targets_table(
    plan: Plan, targets: TargetSet, solution: UpliftSolution | None = None
) -> str:
    """A target set for people: how it was set, then each period's target and chance."""
    currency = plan.currency
    c = currency.code
    unit = _unit(targets)
    monthly = targets.period is PeriodLength.MONTH
    summed = "" if monthly else f", each {unit}'s months summed"
    rows = [("Plan", plan.name), ("Norm", plan.norm.describe())]
    if targets.uplift is None:
        rows.append(("Targets", f"the plan's own{summed}"))
    else:
        rows.append(
            ("Targets", f"norm level x (1 + uplift {_uplift_text(targets.uplift)}){summed}")
        )
    if solution is not None:
        step = Fraction(1, 10**solution.places)
        rows.append(
            (
                "Uplift",
                f"{_uplift_text(solution.uplift, solution.places)}: the largest in steps of "
                f"{_uplift_text(step, solution.places)} hitting at least "
                f"{percent_text(solution.wanted)} of {unit}s; at "
                f"{_uplift_text(solution.next_uplift, solution.places)}: "
                f"{percent_text(solution.next_hit_rate)}",
            )
        )
    rows.append(
        (
            f"{unit.capitalize()}s hit",
            f"{percent_text(targets.hit_rate)} ({_hits_text(targets)})",
        )
    )
    header = tabulate(rows, tablefmt="plain", disable_numparse=True)
    first = "Month" if monthly else unit.capitalize()
    if targets.uplift is None:
        table = tabulate(
            [
                (
                    m.label,
                    currency.format(currency.round_to_minor(m.target)),
                    m.source,
                    percent_text(m.chance),
                )
                for m in targets.months
            ],
            headers=[first, f"Target ({c})", "Source", "Chance of a hit"],
            colalign=("left", "right", "left", "right"),
            disable_numparse=True,
        )
    else:
        own = assess_targets(plan)
        table = tabulate(
            [
                (
                    m.label,
                    currency.format(currency.round_to_minor(m.level or Fraction(0))),
                    currency.format(currency.round_to_minor(m.target)),
                    percent_text(m.chance),
                    currency.format(currency.round_to_minor(o.target)),
                    percent_text(o.chance),
                )
                for m, o in zip(targets.months, own.months, strict=True)
            ],
            headers=[
                first,
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
