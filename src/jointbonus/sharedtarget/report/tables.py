"""Tables for people: the calibration and the whole result, laid out by tabulate.

Amounts are shown with thousands separators (``12,345.67``), an average
rounded half up to the minor unit; attainments as percentages and payout
factors with four decimals. The figures are those of the JSON documents
(:mod:`jointbonus.sharedtarget.report.documents`), so a table and a document never disagree.

A plan with functional goals or caps shows more: its gates and caps and how
calibration costed the caps, a weighting table (each team's nominal shared
weight, exact, the wanted and expected split, and after a run the realised
one), each goal's mean factor at the norm; each month's goal attainments
and factors, the goals' pools and what the caps cut; each statement line's
functional parts and cut. A plan without them is shown exactly as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from tabulate import tabulate

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, percent_text, round_half_up
from jointbonus.errors import items
from jointbonus.sharedtarget.calibration import Calibration, calibration_argument
from jointbonus.sharedtarget.plan import FundingStyle, Plan, plan_argument
from jointbonus.sharedtarget.report.documents import (
    caps_costing,
    minor_text,
    month_counts,
    number_text,
    shared_gated,
)
from jointbonus.sharedtarget.report.pages import (
    NORM_PATH_NOTE,
    advance_cells,
    goal_word,
    hit_rate_label,
    result_word,
    scale_label,
)
from jointbonus.sharedtarget.report.versions import versions_lines
from jointbonus.sharedtarget.results import (
    Line,
    MonthResult,
    MonthStatus,
    Result,
    realised_weights,
    result_argument,
)
from jointbonus.sharedtarget.versions import VersionCalibration

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


def render_calibration_table(
    plan: Plan, calibration: Calibration, versions: tuple[VersionCalibration, ...] = ()
) -> str:
    """The calibration for people: the scale, the budget, and the evidence.

    ``calibration`` is the first version's; ``versions`` every version's, for a
    plan with later versions (:func:`~jointbonus.sharedtarget.versions.calibrate_versions`):
    each is shown after the first's, as ``jointbonus run`` shows them.
    """
    plan = plan_argument(plan)
    calibration = calibration_argument(calibration)
    versions = tuple(items("versions", versions, VersionCalibration, "VersionCalibration values"))
    table = _calibration_table(plan, calibration, None)
    if not versions:
        return table
    return "\n".join([table, *versions_lines(plan, versions)])


def _period_weight_rows(plan: Plan) -> list[tuple[str, str]]:
    """The periods' weights within a plan year and what they make of the amounts at target
    (no row under equal weights)."""
    if not plan.period_weights:
        return []
    noun = plan.period.noun
    weights = ", ".join(decimal_text(w, 6).rstrip("0").rstrip(".") for w in plan.period_weights)
    scaled = ", ".join(
        decimal_text(len(plan.period_weights) * w, 6).rstrip("0").rstrip(".")
        for w in plan.period_weights
    )
    return [
        (
            f"Weights of the {noun}s",
            f"{weights} of each plan year (amounts at target x {scaled}, {noun} by {noun})",
        )
    ]


def _advance_rows(plan: Plan) -> list[tuple[str, str]]:
    """The share of a period's pay advanced month by month, and what advances cost (no row
    without advances)."""
    if plan.advance is None:
        return []
    share = percent_text(plan.advance)
    noun = plan.period.noun
    return [
        (
            "Monthly advances",
            f"{share} of the {noun}'s pay on the attainment so far, prorated by the months "
            f"elapsed, trued up at the {noun}'s end: cost-neutral (no advance exceeds what the "
            f"{noun} is sure to pay, so the expected cost is the {noun}s' own)",
        )
    ]


def _calibration_table(plan: Plan, calibration: Calibration, result: Result | None) -> str:
    """The calibration table; with ``result``, the weighting shows the realised weights."""
    currency = plan.currency
    c = currency.code
    scale_name = (
        f"{scale_label(plan)} ({c})" if plan.funding is FundingStyle.POOL else scale_label(plan)
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
        (scale_name, f"{scale_text}  ({how}; {_exact_text(calibration.scale)})"),
        *_period_weight_rows(plan),
        *_advance_rows(plan),
        (f"Expected cost ({c})", _amount(currency, calibration.expected_cost)),
        (
            f"Cost on the norm path ({c})",
            f"{currency.format(calibration.norm_path_cost)}  ({NORM_PATH_NOTE})",
        ),
        (
            f"Residual after rounding ({c})",
            f"{minor_text(currency, calibration.residual, 4)} "
            f"(bound {minor_text(currency, calibration.rounding_bound, 4)}, "
            f"{'within' if calibration.within_bound else 'OUTSIDE'})",
        ),
        ("Historical scenarios", str(calibration.scenarios)),
        *_settings_rows(plan, calibration),
    ]
    goals = plan.goals
    months = tabulate(
        [
            (
                str(m.month),
                _pct(m.norm_attainment),
                _pct(m.shared_hit_rate),
                _factor(m.mean_factor),
                *(_factor(f) for f in m.mean_goal_factors[: len(goals)]),
                _amount(currency, m.expected_cost),
            )
            for m in calibration.months
        ],
        headers=[
            "Month",
            "Attainment at norm",
            hit_rate_label(plan),
            "Mean shared factor" if goals else "Mean factor",
            *(f"{goal.key} mean factor" for goal in goals),
            "Expected cost",
        ],
        colalign=("left", *("right",) * (4 + len(goals))),
        disable_numparse=True,
    )
    header = tabulate(rows, tablefmt="plain", disable_numparse=True)
    if not plan.weighted:
        return f"{header}\n\n{months}\n"
    weighting = _weighting_table(plan, calibration, result)
    return f"{header}\n\n{weighting}\n\n{months}\n"


def _settings_rows(plan: Plan, calibration: Calibration) -> list[tuple[str, str]]:
    """The gates (a plan with goals) and the caps and how they were costed (with caps)."""
    currency = plan.currency
    rows = []
    if plan.weighted:
        gates = plan.functional.gates
        rows.append(
            (
                "Functional gate",
                "none"
                if gates.functional is None
                else f"{percent_text(gates.functional)} shared attainment, below which no "
                "functional part pays",
            )
        )
        rows.append(
            (
                "Shared gate",
                "none"
                if gates.shared is None
                else f"{percent_text(gates.shared)} attainment on each of a team's goals, "
                "below which its shared part does not pay",
            )
        )
        rows += [
            (f"Gate on {goal.key}", f"pays only with {goal.gate.describe()}")
            for goal in plan.goals
            if goal.gate is not None
        ]
    caps = plan.functional.caps
    if caps.any:
        code = currency.code
        for label, cap in (("month", caps.per_month), ("plan year", caps.per_year)):
            rows.append(
                (f"Cap per member per {label} ({code})",
                 "none" if cap is None else currency.format(cap))
            )  # fmt: skip
        rows.append(
            (
                "Caps costed over",
                caps_costing(plan, calibration),
            )
        )
    return rows


def _weight_text(value: Fraction | None) -> str:
    """A shared weight as a percentage and its exact fraction: ``62.39% (209/335)``."""
    if value is None:
        return ""
    return f"{percent_text(value, 2)} ({value.numerator}/{value.denominator})"


def _weighting_table(plan: Plan, calibration: Calibration, result: Result | None) -> str:
    """Per team: the goals, the nominal, wanted, expected (and realised) shared weight."""
    currency = plan.currency
    realised = {r.team: r for r in realised_weights(result)} if result is not None else {}
    goals = {
        terms.team: ", ".join(f"{g.metric} x {number_text(g.weight)}" for g in terms.goals)
        for terms in plan.functional.terms
    }
    rows = []
    for weight in calibration.weights:
        earned = realised.get(weight.team)
        rows.append(
            (
                weight.team,
                goals.get(weight.team) or "none",
                _weight_text(weight.nominal),
                "" if weight.wanted is None else percent_text(weight.wanted, 2),
                "" if weight.expected is None else percent_text(weight.expected, 2),
                _amount(currency, weight.shared_expected),
                _amount(currency, weight.functional_expected),
                *(
                    (
                        _weight_text(earned.weight) if earned is not None else "",
                        currency.format(earned.shared) if earned is not None else "",
                        currency.format(earned.functional) if earned is not None else "",
                    )
                    if result is not None
                    else ()
                ),
            )
        )
    c = currency.code
    headers = [
        "Team",
        "Functional goals (weight)",
        "Nominal shared weight",
        "Wanted split",
        "Expected shared weight",
        f"Expected shared ({c})",
        f"Expected functional ({c})",
        *(
            ("Realised shared weight", f"Shared earned ({c})", f"Functional earned ({c})")
            if result is not None
            else ()
        ),
    ]
    table = tabulate(
        rows,
        headers=headers,
        colalign=("left", "left", *("right",) * (len(headers) - 2)),
        disable_numparse=True,
    )
    return (
        "Weighting: a member earns w x the shared part + (1 - w) x their team's functional "
        "goals; expected and earned figures are before caps\n" + table
    )


def _settlement_table(result: Result) -> str:
    """The year-end settlement of held-back amounts, member by member (plan year by plan
    year, with a column naming the year, in a plan of several plan years)."""
    currency = result.plan.currency
    year = result.several_years
    rows = [
        (
            *((f"{s.year} ({s.first} to {s.last})",) if year else ()),
            s.member_id,
            s.team,
            currency.format(currency.to_minor(s.held)),
            s.status.value,
            currency.format(currency.to_minor(s.paid)),
            s.reason,
        )
        for s in result.settlements()
    ]
    headers = ["Member", "Team", "Held back", "Settlement", "Paid", "Note"]
    align: tuple[str, ...] = ("left", "left", "right", "left", "right", "left")
    if year:
        headers, align = ["Plan year", *headers], ("left", *align)
    table = tabulate(rows, headers=headers, colalign=align, disable_numparse=True)
    share = percent_text(result.plan.holdback)
    return (
        f"Year-end settlement of held-back amounts ({share} of every line is held until the "
        "plan year ends and paid then to those still in the plan)\n" + table
    )


def _goal_cells(month: MonthResult, count: int) -> list[str]:
    """Each goal's ``attainment -> factor`` in a month (``gated`` when the gate closed it)."""
    if month.status is MonthStatus.PENDING or not month.goals:
        return [""] * count
    return [
        f"{percent_text(g.attainment)} -> "
        f"{'gated' if g.gated or g.goal_gated else _factor(g.factor)}"
        for g in month.goals
    ]


def _goals_section(result: Result) -> list[str]:
    """The functional goals month by month: target, actual, attainment, factor, pool."""
    plan = result.plan
    if not plan.weighted:
        return []
    currency = plan.currency
    metrics = {m.name: m for m in plan.functional.metrics}
    rows = []
    for index, m in enumerate(result.months):
        if m.status is MonthStatus.PAID and m.goals:
            for g in m.goals:
                rows.append(
                    (
                        str(m.month),
                        g.goal.key,
                        number_text(g.target),
                        str(g.actual),
                        percent_text(g.attainment),
                        _factor(g.factor),
                        "closed" if g.gated or g.goal_gated else "open",
                        currency.format(g.pool),
                    )
                )
            continue
        for goal in plan.goals:
            month = metrics[goal.metric].months[index]
            actual = "" if month.actual is None else str(month.actual)
            rows.append(
                (
                    str(m.month),
                    goal.key,
                    number_text(month.target),
                    actual,
                    "",
                    "",
                    goal_word(m, result.plan),
                    "",
                )
            )
    table = tabulate(
        rows,
        headers=["Month", "Goal", "Target", "Actual", "Attainment", "Factor", "Gate", "Pool"],
        colalign=("left", "left", *("right",) * 4, "left", "right"),
        disable_numparse=True,
    )
    funding = (
        "each goal's own pool"
        if plan.funding is FundingStyle.POOL
        else "the sum of the goal's lines"
    )
    return [
        "",
        f"Functional goals (in the months table: attainment -> payout factor; pool: {funding})",
        table,
        *_shared_gate_lines(result),
    ]


def _shared_gate_lines(result: Result) -> list[str]:
    """The months whose shared gate closed a team's shared part (a plan with a shared gate)."""
    plan = result.plan
    gate = plan.functional.gates.shared
    if gate is None:
        return []
    closed = [
        f"{m.month} ({', '.join(teams)})" for m in result.months if (teams := shared_gated(plan, m))
    ]
    return [
        f"Shared gate {percent_text(gate)}: a team's shared part pays only when each of its "
        f"goals reaches it; it closed {'; '.join(closed) if closed else 'no team in any month'}"
    ]


def render_table(result: Result) -> str:
    """The whole result for people: summary, months and every member's statement."""
    result = result_argument(result)
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
            *month_counts(result),
            *(
                (
                    (f"Held back to date ({c})", currency.format(s.held_to_date)),
                    (f"Of which forfeited by leavers ({c})", currency.format(s.forfeited_to_date)),
                )
                if plan.holdback
                else ()
            ),
            *(
                (
                    (
                        f"Cut by the caps to date ({c})",
                        currency.format(sum(m.capped for m in result.months)),
                    ),
                )
                if plan.functional.caps.any
                else ()
            ),
        ],
        tablefmt="plain",
        disable_numparse=True,
        colalign=("left", "right"),
    )
    goals = plan.goals
    capped = plan.functional.caps.any
    periods = plan.period.months > 1
    advancing = plan.advance is not None
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
                result_word(m),
                _amount(currency, m.pool),
                *_goal_cells(m, len(goals)),
                *((currency.format(m.capped),) if capped else ()),
                currency.format(m.paid),
                *(advance_cells(currency, m) if advancing else ()),
                *((str(plan.version_of(m.month)),) if plan.versions else ()),
                *((m.shared_period if m.ends_period else "",) if periods else ()),
            )
            for m in result.months
        ],
        headers=[
            "Month",
            "Target",
            "Actual",
            "Attainment",
            "Factor",
            "Result",
            ("Shared pool" if plan.funding is FundingStyle.POOL else "Shared lines")
            if goals
            else "Pool",
            *(goal.key for goal in goals),
            *(("Capped",) if capped else ()),
            "Paid",
            *(("Advance", "Advances paid", "True-up") if advancing else ()),
            *(("Version",) if plan.versions else ()),
            *(("Shared period",) if periods else ()),
        ],
        colalign=(
            "left",
            *("right",) * 4,
            "left",
            *("right",) * (3 + len(goals) + capped + 3 * advancing + bool(plan.versions)),
            *(("left",) if periods else ()),
        ),
        disable_numparse=True,
    )
    leaver_rule = "paid for the days worked" if plan.pay_leavers_for_exit_month else "not paid"
    parts = [
        f"{plan.name}",
        f"{plan.metric} target, {plan.curve.describe()}",
        f"Leavers in their exit month: {leaver_rule}",
        "",
        _calibration_table(plan, result.calibration, result).rstrip("\n"),
        "",
        *versions_lines(plan, result.versions),
        "Plan summary",
        summary,
        "",
        "Months",
        months,
        *_goals_section(result),
        *_corrections_section(result),
        "",
        "Statements",
    ]
    holdback = bool(plan.holdback)
    metrics = {t.team: [g.metric for g in t.goals] for t in plan.functional.terms}
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
        teams = [member.team_in(m.month) for m in plan.months] if member.changes else []
        moved = len(set(teams)) > 1
        own = (
            [m for t in plan.functional.terms if t.team in teams for m in metrics[t.team]]
            if moved and plan.weighted
            else metrics.get(member.team, [])
            if plan.weighted
            else []
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
                        *(
                            _parts_in(line, own, currency)
                            if moved
                            else (
                                currency.format(currency.to_minor(amount))
                                for _, amount in line.functional
                            )
                        ),
                        *((currency.format(currency.to_minor(line.capped)),) if capped else ()),
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
                    *own,
                    *(("Capped",) if capped else ()),
                    "Total",
                    *(("Held", "Paid now") if holdback else ()),
                    "Note",
                ],
                colalign=(
                    "left",
                    *("right",) * ((8 if holdback else 6) + len(own) + capped),
                    "left",
                ),
                disable_numparse=True,
            )
        )
    if holdback:
        parts.extend(["", _settlement_table(result)])
    return "\n".join(parts) + "\n"


def _corrections_section(result: Result) -> list[str]:
    """The corrections of closed months and what is left to recover (a plan with a ledger)."""
    ledger = result.ledger
    if ledger is None:
        return []
    currency = result.plan.currency
    span = ledger.closed_span
    carrier = f"new ones carried in {ledger.first_open}" if ledger.first_open else "none open"
    head = (
        f"Corrections of closed months (closed {span}; {carrier}; overpayments "
        f"{ledger.overpayments.value.replace('_', ' ')})"
    )
    if not result.corrections:
        return ["", head, "none: no closed month has changed"]
    table = tabulate(
        [
            (
                c.member_id,
                c.team,
                str(c.carried_in) if c.carried_in is not None else "after the plan",
                str(c.corrects),
                currency.format(c.was),
                currency.format(c.now),
                currency.format(c.total),
                currency.format(c.paid),
                "paid" if c.closed else "due",
            )
            for c in result.corrections
        ],
        headers=["Member", "Team", "Carried in", "Corrects", "Was paid", "Now pays",
                 "Correction", "Paid", "Status"],
        colalign=("left", "left", "left", "left", *("right",) * 4, "left"),
        disable_numparse=True,
    )  # fmt: skip
    left = [
        f"{o.member_id} {currency.format(o.amount)}" + (" (left; owed)" if o.left else "")
        for o in ledger.outstanding
    ]
    tail = [f"Overpayments still to recover: {', '.join(left)}"] if left else []
    return ["", head, table, *tail]


#: Longest exact fraction a table shows in full; the JSON always has it (``scale_exact``).
_EXACT_SHOWN = 40


def _exact_text(value: Fraction) -> str:
    """``exact 1000`` or, for a fraction too long to read, how long it is and where it is."""
    text = str(value)
    if len(text) <= _EXACT_SHOWN:
        return f"exact {text}"
    digits = len(str(value.numerator)) + len(str(value.denominator))
    return f"exact: a fraction of {digits} digits, in the JSON as scale_exact"


def _parts_in(line: Line, metrics: Sequence[str], currency: Currency) -> list[str]:
    """A line's functional parts under the columns ``metrics`` (empty: another team's goal)."""
    own = dict(line.functional)
    return [currency.format(currency.to_minor(own[m])) if m in own else "" for m in metrics]
