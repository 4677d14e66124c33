"""Cost risk for people and programs: a table, and a JSON-ready document.

Amounts are decimal strings in the plan currency (rounded half up from exact
means), chances are decimal strings with six decimals, and an exact
distribution with few values is shown value by value, with its cumulative
probability.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

from tabulate import tabulate

from jointbonus.core.number import decimal_text, percent_text, round_half_up
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.risk import CostDistribution, CostRisk, RiskMethod

__all__ = ["SHOWN_POINTS", "render_risk_table", "risk_document"]

#: Largest exact distribution shown value by value.
SHOWN_POINTS = 25


def _money(plan: Plan, units: Fraction | int) -> str:
    """Minor units as a decimal string in the plan currency, rounded half up."""
    return decimal_text(Fraction(units) / plan.currency.scale, plan.currency.minor_unit)


def _number(value: Fraction) -> str:
    text = decimal_text(value, 6).rstrip("0").rstrip(".")
    return text or "0"


def _distribution_document(
    plan: Plan, risk: CostRisk, distribution: CostDistribution
) -> dict[str, Any]:
    exact = distribution.method is RiskMethod.EXACT
    points = distribution.points() if exact else ()
    shown = None
    if exact and len(points) <= SHOWN_POINTS:
        running = Fraction(0)
        shown = []
        for amount, probability in points:
            running += probability
            shown.append(
                {
                    "cost": _money(plan, amount),
                    "probability": decimal_text(probability, 6),
                    "cumulative": decimal_text(running, 6),
                }
            )
    error = distribution.mean_standard_error
    return {
        "label": distribution.label,
        "method": distribution.method.value,
        "years": distribution.years,
        "seed": distribution.seed,
        "months_drawn": [str(m) for m in distribution.drawn_months],
        "months_paid": [str(m) for m in distribution.paid_months],
        "paid": _money(plan, distribution.paid),
        "mean": _money(plan, distribution.mean),
        "mean_standard_error": None if error is None else _money(plan, error),
        "minimum": _money(plan, distribution.minimum),
        "maximum": _money(plan, distribution.maximum),
        "percentiles": [
            {"percent": _number(p), "cost": _money(plan, distribution.percentile(p))}
            for p in risk.percentiles
        ],
        "exceed": [
            {
                "share": _number(share),
                "above": _money(plan, risk.threshold(share)),
                "chance": decimal_text(distribution.chance_above(risk.threshold(share)), 6),
            }
            for share in risk.exceed
        ],
        "distribution": shown,
    }


def _assumption(plan: Plan) -> str:
    """What the draws assume, for a shared target over a longer period ('' for a month)."""
    if plan.period.months == 1:
        return ""
    noun = plan.period.noun
    return (
        f"each {noun} performs like one historical {noun}, each equally likely, drawn "
        f"independently of the other {noun}s and paid in the month that ends it; a {noun} "
        "still open is drawn whole, whatever its months with actuals so far"
    )


def risk_document(plan: Plan, risk: CostRisk) -> dict[str, Any]:
    """The cost risk as JSON-ready data: amounts and chances as decimal strings."""
    return {
        "assumption": _assumption(plan)
        or "each plan month performs like one historical month, each equally likely, drawn "
        "independently of the other months",
        "budget": _money(plan, risk.budget),
        "expected_cost": _money(plan, risk.expected_cost),
        "scenarios": risk.scenarios,
        "year": _distribution_document(plan, risk, risk.year),
        "given_paid": None
        if risk.given_paid is None
        else _distribution_document(plan, risk, risk.given_paid),
    }


def render_risk_table(plan: Plan, risk: CostRisk) -> str:
    """The cost risk for people: one column per distribution, then the small exact ones."""
    currency = plan.currency
    c = currency.code

    def money(units: Fraction | int) -> str:
        return currency.format(units if isinstance(units, int) else round_half_up(units))

    header = tabulate(
        [
            ("Plan", plan.name),
            ("Curve", plan.curve.describe()),
            # A plan with versions: each month is costed by the version in force for it.
            *((f"Curve from {v.start}", v.design.curve.describe()) for v in plan.versions),
            ("Norm", plan.norm.describe()),
            (f"Budget ({c})", f"{currency.format(risk.budget)}  ({plan.budget.source})"),
            (f"Expected cost ({c})", money(risk.expected_cost)),
            (
                "Assumption",
                _assumption(plan)
                or "each month performs like one historical month, each equally likely, "
                "independently of the other months",
            ),
        ],
        tablefmt="plain",
        disable_numparse=True,
    )
    columns = risk.distributions
    rows: list[list[str]] = [
        ["Months drawn", *(f"{len(d.drawn_months)}" for d in columns)],
        [f"Paid, fixed ({c})", *(money(d.paid) if d.paid_months else "" for d in columns)],
        ["Method", *(d.method.value for d in columns)],
        ["Simulated years", *("" if d.years is None else f"{d.years:,}" for d in columns)],
        ["Seed", *("" if d.seed is None else str(d.seed) for d in columns)],
        [f"Mean ({c})", *(_mean_text(d, money) for d in columns)],
        [f"Minimum ({c})", *(money(d.minimum) for d in columns)],
    ]
    for percent in risk.percentiles:
        rows.append(
            [
                f"Percentile {_number(percent)} ({c})",
                *(money(d.percentile(percent)) for d in columns),
            ]
        )
    rows.append([f"Maximum ({c})", *(money(d.maximum) for d in columns)])
    for share in risk.exceed:
        above = risk.threshold(share)
        what = "the budget" if share == 0 else f"budget {'+' if share > 0 else '-'} "
        what += "" if share == 0 else percent_text(abs(share))
        rows.append(
            [
                f"Chance above {what} ({money(above)})",
                *(percent_text(d.chance_above(above), 2) for d in columns),
            ]
        )
    headings = ["", *(_heading(d) for d in columns)]
    parts = [
        header,
        "",
        tabulate(
            rows,
            headers=headings,
            colalign=("left", *("right" for _ in columns)),
            disable_numparse=True,
        ),
        "",
        "exact: every combination of historical months counted; bootstrap: simulated years "
        "(mean ± its standard error)",
    ]
    for distribution in columns:
        points = distribution.points() if distribution.method is RiskMethod.EXACT else ()
        if 1 < len(points) <= SHOWN_POINTS:
            running = Fraction(0)
            lines = []
            for amount, probability in points:
                running += probability
                lines.append(
                    (money(amount), percent_text(probability, 2), percent_text(running, 2))
                )
            parts += [
                "",
                f"Every possible cost: {distribution.label}",
                tabulate(
                    lines,
                    headers=[f"Cost ({c})", "Probability", "Cumulative"],
                    colalign=("right", "right", "right"),
                    disable_numparse=True,
                ),
            ]
    return "\n".join(parts) + "\n"


def _heading(distribution: CostDistribution) -> str:
    if not distribution.paid_months:
        return "Year under the norm"
    known = len(distribution.paid_months)  # months with their actuals, whatever they paid
    return f"Given {known} month{'' if known == 1 else 's'} with actuals"


def _mean_text(distribution: CostDistribution, money: Callable[[Fraction | int], str]) -> str:
    error = distribution.mean_standard_error
    text = str(money(distribution.mean))
    return text if error is None else f"{text} ± {money(error)}"
