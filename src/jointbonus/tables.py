"""Tables for people: the calibration and the whole result, laid out by tabulate.

Amounts are shown with thousands separators (``12,345.67``), an average
rounded half up to the minor unit; attainments as percentages and payout
factors with four decimals. The figures are those of the JSON documents
(:mod:`jointbonus.documents`), so a table and a document never disagree.
"""

from __future__ import annotations

from fractions import Fraction

from tabulate import tabulate

from jointbonus.calibration import Calibration
from jointbonus.documents import minor_text
from jointbonus.money import Currency
from jointbonus.number import decimal_text, percent_text, round_half_up
from jointbonus.plan import FundingStyle, Plan
from jointbonus.results import Line, Result

__all__ = ["render_calibration_table", "render_table"]


def _amount(currency: Currency, units: int | Fraction | None) -> str:
    """Minor units (an average may be fractional) as ``12,345.67``, rounded half up."""
    if units is None:
        return ""
    return currency.format(units if isinstance(units, int) else round_half_up(units))


def _pct(value: Fraction | None) -> str:
    return "" if value is None else percent_text(value)


def _factor(value: Fraction | None) -> str:
    return "" if value is None else decimal_text(value, 4)


def render_calibration_table(plan: Plan, calibration: Calibration) -> str:
    """The calibration for people: the scale, the budget, and the evidence."""
    currency = plan.currency
    c = currency.code
    scale_label = (
        f"Pool at target per month ({c})"
        if plan.funding is FundingStyle.POOL
        else "Target bonus multiplier"
    )
    scale_text = (
        currency.format(currency.round_to_minor(calibration.scale))
        if plan.funding is FundingStyle.POOL
        else decimal_text(calibration.scale, 6)
    )
    how = "solved for neutrality" if calibration.calibrated else "fixed by the plan"
    rows = [
        ("Plan", plan.name),
        ("Curve", plan.curve.describe()),
        ("Norm", plan.norm.describe()),
        ("Neutrality", plan.neutrality.value.replace("_", " ")),
        (f"Budget ({c})", f"{currency.format(calibration.budget)}  ({plan.budget.source})"),
        (scale_label, f"{scale_text}  ({how}; exact {calibration.scale})"),
        (f"Expected cost ({c})", _amount(currency, calibration.expected_cost)),
        (f"Cost on the norm path ({c})", currency.format(calibration.norm_path_cost)),
        (
            f"Residual after rounding ({c})",
            f"{minor_text(currency, calibration.residual, 4)} "
            f"(bound {minor_text(currency, calibration.rounding_bound, 4)}, "
            f"{'within' if calibration.within_bound else 'OUTSIDE'})",
        ),
        ("Historical scenarios", str(calibration.scenarios)),
    ]
    months = tabulate(
        [
            (
                str(m.month),
                _pct(m.norm_attainment),
                _pct(m.hit_rate),
                _factor(m.mean_factor),
                _amount(currency, m.expected_cost),
            )
            for m in calibration.months
        ],
        headers=["Month", "Attainment at norm", "Chance of paying", "Mean factor", "Expected cost"],
        colalign=("left", "right", "right", "right", "right"),
        disable_numparse=True,
    )
    header = tabulate(rows, tablefmt="plain", disable_numparse=True)
    return f"{header}\n\n{months}\n"


def _settlement_table(result: Result) -> str:
    """The year-end settlement of held-back amounts, member by member."""
    currency = result.plan.currency
    rows = [
        (
            s.member_id,
            s.team,
            currency.format(currency.to_minor(s.held)),
            s.status.value,
            currency.format(currency.to_minor(s.paid)),
            s.reason,
        )
        for s in result.settlements()
    ]
    table = tabulate(
        rows,
        headers=["Member", "Team", "Held back", "Settlement", "Paid", "Note"],
        colalign=("left", "left", "right", "left", "right", "left"),
        disable_numparse=True,
    )
    share = percent_text(result.plan.holdback)
    return (
        f"Year-end settlement of held-back amounts ({share} of every line is held until the "
        "plan year ends and paid then to those still in the plan)\n" + table
    )


def render_table(result: Result) -> str:
    """The whole result for people: summary, months and every member's statement."""
    plan = result.plan
    currency = plan.currency
    c = currency.code
    s = result.summary
    summary = tabulate(
        [
            (f"Budget ({c})", currency.format(s.budget)),
            (f"Expected cost ({c})", _amount(currency, s.expected_cost)),
            (f"Paid to date ({c})", currency.format(s.paid_to_date)),
            (f"Expected to date at the norm ({c})", _amount(currency, s.expected_to_date)),
            (f"Variance against the norm ({c})", _amount(currency, s.variance_to_date)),
            (f"Cost on current pace ({c})", currency.format(s.cost_on_pace)),
            (f"Pace against budget ({c})", currency.format(s.pace_variance)),
            (
                "Months hit / paid / pending",
                f"{s.months_hit} / {s.months_paid} / {s.months_pending}",
            ),
            *(
                (
                    (f"Held back to date ({c})", currency.format(s.held_to_date)),
                    (f"Of which forfeited by leavers ({c})", currency.format(s.forfeited_to_date)),
                )
                if plan.holdback
                else ()
            ),
        ],
        tablefmt="plain",
        disable_numparse=True,
        colalign=("left", "right"),
    )
    months = tabulate(
        [
            (
                str(m.month),
                currency.format(currency.round_to_minor(m.plan_month.target)),
                ""
                if m.plan_month.actual is None
                else currency.format(currency.round_to_minor(Fraction(m.plan_month.actual))),
                _pct(m.attainment),
                _factor(m.factor),
                {True: "hit", False: "miss", None: "pending"}[m.hit],
                _amount(currency, m.pool),
                currency.format(m.paid),
            )
            for m in result.months
        ],
        headers=["Month", "Target", "Actual", "Attainment", "Factor", "Result", "Pool", "Paid"],
        colalign=("left", "right", "right", "right", "right", "left", "right", "right"),
        disable_numparse=True,
    )
    leaver_rule = "paid for the days worked" if plan.pay_leavers_for_exit_month else "not paid"
    parts = [
        f"{plan.name}",
        f"{plan.metric} target, {plan.curve.describe()}",
        f"Leavers in their exit month: {leaver_rule}",
        "",
        render_calibration_table(plan, result.calibration).rstrip("\n"),
        "",
        "Plan summary",
        summary,
        "",
        "Months",
        months,
        "",
        "Statements",
    ]
    holdback = bool(plan.holdback)
    by_member: dict[str, list[Line]] = {}
    for line in result.lines():
        by_member.setdefault(line.member_id, []).append(line)
    for member in plan.members:
        lines = by_member.get(member.id, [])
        total = sum(currency.to_minor(line.total) for line in lines)
        parts.append("")
        parts.append(
            f"{member.id} ({member.team}), FTE {member.fte}: total {currency.format(total)} {c}"
        )
        parts.append(
            tabulate(
                [
                    (
                        str(line.period),
                        line.days,
                        decimal_text(line.weight, 4),
                        _pct(line.attainment),
                        _factor(line.payout_factor),
                        currency.format(currency.to_minor(line.shared)),
                        currency.format(currency.to_minor(line.total)),
                        *(
                            (
                                currency.format(currency.to_minor(line.held)),
                                currency.format(currency.to_minor(line.paid_now or line.total)),
                            )
                            if holdback
                            else ()
                        ),
                        line.reason,
                    )
                    for line in lines
                ],
                headers=[
                    "Month",
                    "Days",
                    "Weight",
                    "Attainment",
                    "Factor",
                    "Shared",
                    "Total",
                    *(("Held", "Paid now") if holdback else ()),
                    "Note",
                ],
                colalign=(
                    "left",
                    *("right",) * (8 if holdback else 6),
                    "left",
                ),
                disable_numparse=True,
            )
        )
    if holdback:
        parts.extend(["", _settlement_table(result)])
    return "\n".join(parts) + "\n"
