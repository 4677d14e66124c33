"""The steps up to the month's factor and the calibration.

The member and their weight in the month, the month's target, actual and
attainment, the payout factor the curve gives, and the calibration that
sets the pool at target (or the target bonus multiplier).
"""

from __future__ import annotations

import itertools
from datetime import date
from fractions import Fraction

from jointbonus.core.curves import Curve, LinearCurve, StepCurve
from jointbonus.core.history import Norm
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import Period
from jointbonus.core.roster import FTE_SCALE, Member
from jointbonus.sharedtarget.explain.model import Figure, Sources, Step
from jointbonus.sharedtarget.explain.text import (
    Money,
    fraction_text,
    percent,
    plain,
    ratio_text,
    summed_targets_source,
)
from jointbonus.sharedtarget.plan import FundingStyle, Plan, PlanMonth, Split
from jointbonus.sharedtarget.report.documents import caps_costing
from jointbonus.sharedtarget.results import LineFigures, MonthResult, Result
from jointbonus.sharedtarget.targets import TargetError, month_by_month_norm

__all__ = [
    "calibration_step",
    "curve_rule",
    "factor_step",
    "member_step",
    "target_step",
    "weight_step",
]


def member_step(plan: Plan, member: Member, sources: Sources, money: Money) -> Step:
    """The member as the roster has them: id, team, employment, FTE, salary or bonus."""
    where = sources.member or "the roster"
    employed = f"from {member.start.isoformat()}" + (
        f" to {member.end.isoformat()} (inclusive)" if member.end else ", no end date"
    )
    figures = [
        Figure("id", "Member", member.id, where),
        Figure("team", "Team", member.team, where),
        Figure("employed", "Employed", employed, where),
        Figure("fte", "FTE", str(member.fte), where),
    ]
    if member.changes:  # a standing that changes: each roster row, in date order
        rows = "; ".join(
            f"{_dates(row.start, row.end)}: {row.team}, FTE {row.fte}" for row in member.rows
        )
        figures.append(Figure("standing", "Standing over time", rows, where))
    if plan.funding is FundingStyle.POOL and plan.split is Split.SALARY:
        salary = "" if member.salary is None else money.units(plan.currency.to_minor(member.salary))
        figures.append(Figure("salary", "Annual salary", salary, where))
    if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
        bonus = member.target_bonus
        text = "" if bonus is None else money.units(plan.currency.to_minor(bonus))
        figures.append(Figure("target_bonus", "Annual target bonus", text, where))
    return Step("member", "Member", tuple(figures))


def _dates(start: date, end: date | None) -> str:
    return f"from {start.isoformat()}" + (f" to {end.isoformat()}" if end else ", no end date")


def _team_weights(member: Member, month: Month) -> list[Figure]:
    """A member who moves team during ``month``: the weight of the days in each team, on
    which that team's functional goals pay (the shared goal pays on the whole weight)."""
    figures = []
    for team in member.teams_in(month):
        rows = [
            (row, days)
            for row, days in zip(member.rows, member.row_days(month), strict=True)
            if days and row.team == team
        ]
        units = sum(row.fte_units * days for row, days in rows)
        weight = Fraction(units, FTE_SCALE * month.days)
        ranges = ", ".join(
            f"{max(month.first_day, row.start).isoformat()} to "
            f"{(month.last_day if row.end is None else min(month.last_day, row.end)).isoformat()}"
            for row, _ in rows
        )
        terms = " + ".join(f"{row.fte} x {days}" for row, days in rows)
        figures.append(
            Figure(
                f"weight_in_{team}",
                f"Weight in {team}",
                ratio_text(weight),
                f"the days in {team} ({ranges}): ({terms}) / {month.days}; {team}'s functional "
                "goals pay on this weight, the shared goal on the whole weight",
                fraction_text(weight),
            )
        )
    return figures


def _period_team_weights(plan: Plan, member: Member, period: Period) -> list[Figure]:
    """A member in more than one team during a longer shared ``period``: the weight over
    the period of the days in each team, on which the shared part pays each day at that
    team's shared weight (and, beside goals over the period, that team's goals pay)."""
    if not member.changes:
        return []
    leavers = plan.pay_leavers_for_exit_month
    in_team: dict[str, Fraction] = {}
    for month in period.months:
        if not member.standing(month, leavers).units:
            continue
        for row, days in zip(member.rows, member.row_days(month), strict=True):
            if days:
                weight = Fraction(row.fte_units * days, FTE_SCALE * month.days)
                in_team[row.team] = in_team.get(row.team, Fraction(0)) + weight
    if len(in_team) < 2:
        return []
    return [
        Figure(
            f"period_weight_in_{team}",
            f"Weight in {team} over the period",
            ratio_text(weight),
            f"the days in {team} over {period.label}: the sum over its months of FTE x days "
            f"in {team} / days in the month; the shared part pays them at {team}'s shared "
            "weight" + (f", and {team}'s goals pay on them" if plan.goals_over_period else ""),
            fraction_text(weight),
        )
        for team, weight in in_team.items()
    ]


def weight_step(
    plan: Plan, member: Member, month: Month, line: LineFigures
) -> tuple[Step, Fraction]:
    """The weight step and the member's eligible weight (what the engine used)."""
    days_in_month = month.days
    first = max(month.first_day, member.start)
    last = month.last_day if member.end is None else min(month.last_day, member.end)
    figures = [
        Figure(
            "days_in_month",
            "Days in the month",
            str(days_in_month),
            f"{month.first_day.isoformat()} to {month.last_day.isoformat()}",
        )
    ]
    if line.days and member.changes:
        active = ", ".join(
            f"{max(month.first_day, row.start).isoformat()} to "
            f"{(month.last_day if row.end is None else min(month.last_day, row.end)).isoformat()}"
            for row, days in zip(member.rows, member.row_days(month), strict=True)
            if days
        )
        active += ", both days of each range counted"
    elif line.days:
        active = f"{first.isoformat()} to {last.isoformat()}, both days counted"
    elif (
        member.changes
        and member.start <= month.last_day
        and not (member.end is not None and member.end < month.first_day)
    ):
        active = f"none: {member.away_in(month)}"
    elif member.start > month.last_day:
        active = f"none: starts {member.start.isoformat()}, after the month"
    else:
        end = member.end.isoformat() if member.end else "before the month"
        active = f"none: left on {end}, before the month"
    figures.append(Figure("days_active", "Days active", str(line.days), active))
    if member.changes:
        row_days = member.row_days(month)
        units = sum(row.fte_units * d for row, d in zip(member.rows, row_days, strict=True))
        terms = " + ".join(
            f"{row.fte} x {d}" for row, d in zip(member.rows, row_days, strict=True) if d
        )
        how = (
            "the sum over the roster rows of FTE x days active / days in the month = "
            f"({terms or '0'}) / {days_in_month}"
        )
    else:
        units = member.fte_units * line.days
        terms = f"{member.fte} x {line.days}"
        how = f"FTE x days active / days in the month = {terms} / {days_in_month}"
    weight = Fraction(units, FTE_SCALE * days_in_month)
    figures.append(Figure("weight", "Weight", ratio_text(weight), how, fraction_text(weight)))
    if len(member.teams_in(month)) > 1:  # moved team during the month
        figures += _team_weights(member, month)
    eligible = line.weight
    left_early = member.end is not None and first <= member.end < month.last_day
    if left_early:
        rule = (
            "on: the plan pays leavers for the days they worked"
            if plan.pay_leavers_for_exit_month
            else "off: the plan does not pay leavers for their exit month"
        )
        figures.append(
            Figure(
                "leaver_rule",
                "Leaver rule",
                "pay" if plan.pay_leavers_for_exit_month else "do not pay",
                f"left on {member.end.isoformat() if member.end else ''}, before the month "
                f"ended; pay_leavers_for_exit_month is {rule}",
            )
        )
    period = plan.period_of(month)
    if period is not None and month == period.end:
        figures.append(
            Figure(
                "eligible_weight",
                "Weight over the period",
                ratio_text(eligible),
                f"{period.label}: the sum over its months of FTE x days active / days in "
                "the month (the leaver rule applied month by month)",
                fraction_text(eligible),
            )
        )
        figures += _period_team_weights(plan, member, period)
    elif left_early or eligible != weight:
        figures.append(
            Figure(
                "eligible_weight",
                "Eligible weight",
                ratio_text(eligible),
                line.standing or "the weight, as the leaver rule pays the days worked",
                fraction_text(eligible),
            )
        )
    return Step("weight", "Weight in the month", tuple(figures)), eligible


def target_step(result: Result, month_result: MonthResult, sources: Sources, money: Money) -> Step:
    """The month's target and where it came from, the actual and the attainment."""
    plan = result.plan
    plan_month = month_result.plan_month
    where = sources.month or "the plan's months"
    if plan_month.target_source == "plan":
        target_how = f"given by the plan: {where}"
    elif month_result.shared_period and month_result.ends_period:
        period = plan.period_of(plan_month.month)
        inside = plan.months[period.first : period.last + 1] if period else ()
        target_how = f"the targets of {month_result.shared_period}, summed" + (
            summed_targets_source(inside, lambda source: _from_norm(plan, source))
        )
        where = f"the actuals of {month_result.shared_period}, summed"
    else:
        target_how = _derived_target(plan, plan_month, money)
    figures = [
        Figure(
            "target",
            "Target",
            money.major(plan_month.target),
            target_how,
            fraction_text(plan_month.target) if plan_month.target_source != "plan" else None,
        )
    ]
    if plan_month.actual is None:
        figures.append(Figure("actual", "Actual", "", f"none yet: {where} has no actual"))
        return Step("target", f"{plan.metric.capitalize()} target and actual", tuple(figures))
    figures.append(Figure("actual", "Actual", money.given(plan_month.actual), where))
    if month_result.shared_period and not month_result.ends_period:
        attainment = Fraction(plan_month.actual) / plan_month.target
        verdict = f"the month's own; its shared target is {month_result.shared_period}'s"
    elif month_result.attainment is None:  # pending on a functional metric's actual
        attainment = Fraction(plan_month.actual) / plan_month.target
        verdict = "the month is pending until every functional metric has its actual"
    else:
        attainment = month_result.attainment
        verdict = (
            "hit: at least 100% of target"
            if month_result.hit
            else "below target: under 100% of target, and the curve still pays"
            if month_result.factor
            else "miss: below 100% of target"
        )
    figures.append(
        Figure(
            "attainment",
            "Attainment",
            ratio_text(attainment),
            f"actual / target = {money.given(plan_month.actual)} / "
            f"{money.major(plan_month.target)} = {percent(attainment)}; {verdict}",
            fraction_text(attainment),
        )
    )
    return Step("target", f"{plan.metric.capitalize()} target and actual", tuple(figures))


def _monthly_norm(plan: Plan) -> Norm:
    """The norm whose levels derived the plan's months' own targets: the plan's norm, or
    beside a shared period longer than a month (whose norm has only the periods' summed
    levels) the norm month by month read again from the plan's history; the period's
    norm for a plan kept without its history, whose monthly levels cannot be read."""
    try:
        return month_by_month_norm(plan)
    except TargetError:
        return plan.norm


def _from_norm(plan: Plan, source: str) -> str:
    """How the norm derived a month's own target (its ``target_source``)."""
    return f"derived from the norm ({_monthly_norm(plan).describe()}): {source}"


def _derived_target(plan: Plan, plan_month: PlanMonth, money: Money) -> str:
    """A derived month's target: the month's norm level x (1 + uplift), rounded. The
    level is the month's own, also in a month inside a longer shared period."""
    norm = _monthly_norm(plan)
    level = norm.level(plan_month.month) if norm.period == "month" else None
    level_text = "" if level is None else f" = {money.major(level, 4)} x (1 + {plan.uplift})"
    return (
        f"{_from_norm(plan, plan_month.target_source)}{level_text}, "
        "rounded half up to the minor unit"
    )


def curve_rule(curve: Curve, attainment: Fraction, factor: Fraction) -> str:
    """How ``curve`` turns ``attainment`` into ``factor``, in words and numbers."""
    shown = percent(attainment)
    if isinstance(curve, StepCurve):
        threshold = percent(curve.threshold)
        if attainment >= curve.threshold:
            return f"{shown} is at or above the threshold {threshold}: factor {plain(factor)}"
        return f"{shown} is below the threshold {threshold}: factor 0"
    points = curve.points
    if attainment < points[0][0]:
        return f"{shown} is below the first point {percent(points[0][0])}: factor 0"
    if attainment >= points[-1][0]:
        return (
            f"{shown} is at or above the last point {percent(points[-1][0])}: "
            f"flat at the cap, factor {plain(factor)}"
        )
    for (a0, f0), (a1, f1) in itertools.pairwise(points):
        if a0 <= attainment < a1:
            return (
                f"{shown} lies between ({percent(a0)}, {plain(f0)}) and "
                f"({percent(a1)}, {plain(f1)}): {plain(f0)} + ({plain(f1)} - "
                f"{plain(f0)}) x ({plain(attainment)} - {plain(a0)}) / ({plain(a1)} - "
                f"{plain(a0)}) = {plain(factor)}"
            )
    return f"factor {plain(factor)}"  # pragma: no cover - the points cover every attainment


def factor_step(plan: Plan, month_result: MonthResult) -> Step:
    """The payout curve and the factor it gives at the month's attainment."""
    attainment = month_result.attainment or Fraction(0)
    factor = month_result.factor or Fraction(0)
    kind = "linear" if isinstance(plan.curve, LinearCurve) else "step"
    return Step(
        "factor",
        "Payout factor",
        (
            Figure("curve", "Curve", kind, plan.curve.describe()),
            Figure(
                "factor",
                "Payout factor",
                ratio_text(factor),
                curve_rule(plan.curve, attainment, factor),
                fraction_text(factor),
            ),
        ),
    )


def calibration_step(result: Result, money: Money) -> Step:
    """The budget, the unit cost and the scale: the pool at target or the multiplier."""
    plan = result.plan
    calibration = result.calibration
    code = plan.currency.code
    pool = plan.funding is FundingStyle.POOL
    budget = money.units(calibration.budget)
    unit_cost = calibration.unit_cost
    if plan.weighted or plan.functional.caps.any:
        at_one = (
            f"the plan's {plan.neutrality.value.replace('_', ' ')} at a "
            + (f"pool at target of 1 {code} a month" if pool else "multiplier of 1")
            + ", every part (shared and functional, at the teams' shared weights) at its "
            f"payout factor, over {calibration.scenarios} historical scenarios, before caps"
        )
    elif plan.neutrality.value == "expected_cost":
        at_one = (
            f"the plan's expected cost at a pool at target of 1 {code} a month: the sum over "
            f"the plan months of the mean payout factor over {calibration.scenarios} "
            "historical months"
            if pool
            else "the plan's expected cost at a multiplier of 1: the sum over the plan months "
            "and members of target bonus / 12 x weight x the mean payout factor over "
            f"{calibration.scenarios} historical months"
        )
    else:
        at_one = (
            f"the plan's cost at a pool at target of 1 {code} a month with every month at the "
            "norm (the mean historical attainment)"
            if pool
            else "the plan's cost at a multiplier of 1 with every month at the norm"
        )
    scale = calibration.scale
    name = (
        ("Pool at target, shared + functional" if plan.weighted else "Pool at target")
        if pool
        else "Target bonus multiplier"
    )
    if calibration.calibrated and plan.functional.caps.any:
        scale_how = (
            f"solved so that the cost after the caps, over {caps_costing(plan, calibration)}, "
            f"is the budget {budget} on average (the caps make that cost "
            "piecewise linear and concave in the scale: solved exactly on the segment between "
            "the scales where a cap starts to bind that reaches the budget)"
        )
    elif calibration.calibrated:
        scale_how = f"budget / unit cost = {budget} / {money.major(unit_cost, 6)}"
    else:
        scale_how = f"fixed by the plan ({plan.scale_name})"
    figures = [
        Figure("budget", "Budget", budget, plan.budget.source),
        Figure("neutrality", "Neutrality", plan.neutrality.value, "the plan's choice"),
        Figure(
            "unit_cost", "Unit cost", money.major(unit_cost, 6), at_one, fraction_text(unit_cost)
        ),
    ]
    if pool:
        figures.append(
            Figure(
                "scale",
                name,
                money.major(scale, 6),
                scale_how + f", in {code}",
                fraction_text(scale),
            )
        )
        rounded = plan.currency.round_to_minor(scale)
        figures.append(
            Figure(
                "scale_rounded",
                f"{name}, rounded",
                money.units(rounded),
                "to the minor unit, halves away from zero (for reading only: each month's "
                "pool is rounded from the exact value)",
            )
        )
    else:
        figures.append(Figure("scale", name, ratio_text(scale), scale_how, fraction_text(scale)))
    return Step("calibration", "Calibration", tuple(figures))


def advance_step(result: Result, month_result: MonthResult, position: int, money: Money) -> Step:
    """A plan with advances: in a month inside a period, the member's advance and what was
    advanced before it; in the month that ends it, the advances paid and the true-up
    (:mod:`jointbonus.sharedtarget.pay.advances`)."""
    plan = result.plan
    share = percent(plan.advance or Fraction(0))
    noun = plan.period.noun
    period = month_result.shared_period
    index = next(i for i, m in enumerate(result.months) if m is month_result)
    first = next(p.first for p in plan.periods if p.first <= index <= p.last)
    before = sum(result.months[i].advances[position] for i in range(first, index))
    if not month_result.ends_period:
        advance = month_result.advances[position]
        how = (
            f"{share} x what the {noun} would pay you at its attainment so far x the "
            f"months elapsed / its months, at most what the {noun} is sure to pay you "
            "with its remaining months at zero, less the advances before, never below 0"
        )
        # (goals over the period, or over a longer one, are paid with a period's shared part:
        # no goal is paid in the months before the period's end)
        monthly_goals = plan.goals and not plan.goals_over_period and not plan.goals_over_longer
        if monthly_goals and plan.functional.caps.per_year is not None:
            how += (
                "; your advances so far at most the cap per year less what this plan year "
                f"paid you, this month's goals with it, less the most your goals can pay in "
                f"the {noun}'s months before its end"
            )
        return Step(
            "advance",
            f"Advance on {period}",
            (
                Figure(
                    "advanced_before",
                    f"Advanced earlier in the {noun}",
                    money.units(before),
                    f"the advances of {period}'s months before this one",
                ),
                Figure(
                    "advance",
                    "This month's advance",
                    money.units(advance),
                    how,
                ),
            ),
        )
    line = month_result.lines[position]  # the true-up line
    advanced = line.advanced
    pay = money.units(line.total + advanced)
    if not plan.goals:
        how = f"your pay for the {noun}, {pay}"
    elif plan.goals_over_period:
        how = f"your pay for the {noun}, {pay} (its shared part and goals)"
    elif plan.goals_over_longer:  # its goals wait for theirs, unless it ends it too
        over = plan.goal_period_at(index)
        goals = f" and the goals over {over.label}" if over.last == index else ""
        how = f"your pay for the {noun}, {pay} (its shared part{goals})"
    else:
        how = f"your pay this month, {pay} (the {noun}'s shared part and the month's goals)"
    return Step(
        "true_up",
        f"True-up of {period}",
        (
            Figure(
                "advances_paid",
                f"Advanced in the {noun}",
                money.units(advanced),
                f"the advances of {period}'s months before this one",
            ),
            Figure("true_up", "True-up", money.units(line.total), f"{how}, less the advances paid"),
        ),
    )
