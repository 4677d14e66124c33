"""Explaining one member's month: choosing the member and month, then each step."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from jointbonus.core.number import percent_text
from jointbonus.core.periods import YEAR, Month, plan_years
from jointbonus.core.roster import FTE_SCALE, Member, member_choices
from jointbonus.errors import JointBonusError, argument
from jointbonus.sharedtarget.explain.leads import lead_actual_figures, leads_step
from jointbonus.sharedtarget.explain.model import (
    ExplainError,
    Explanation,
    Figure,
    Place,
    Sources,
    Step,
)
from jointbonus.sharedtarget.explain.parts import (
    caps_step,
    goal_line_step,
    goal_pool_step,
    goal_split_step,
    goal_step,
    shared_gate_step,
    shared_line_step,
    shared_pool_step,
    shared_split_step,
    team_index,
    weighting_step,
)
from jointbonus.sharedtarget.explain.sources import find_sources
from jointbonus.sharedtarget.explain.split import individual_step, pool_step, split_step
from jointbonus.sharedtarget.explain.steps import (
    advance_step,
    calibration_step,
    factor_step,
    member_step,
    target_step,
    weight_step,
)
from jointbonus.sharedtarget.explain.text import Money, ratio_text
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from jointbonus.sharedtarget.results import (
    ADVANCE,
    TRUE_UP,
    MonthResult,
    MonthStatus,
    Result,
    result_argument,
)

__all__ = ["explain"]

# -- choosing the member and month --------------------------------------------------


def _member(plan: Plan, member_id: str) -> tuple[int, Member]:
    for position, member in enumerate(plan.members):
        if member.id == member_id:
            return position, member
    ids = [m.id for m in plan.members]
    raise ExplainError(f"member: got {member_id!r}, expected {member_choices(member_id, ids)}")


def _month(result: Result, month: str | Month) -> MonthResult:
    months = [m.month for m in result.months]
    try:
        wanted = month if isinstance(month, Month) else Month.parse(month)
    except JointBonusError:
        raise ExplainError(
            f"month: got {month!r}, expected a month written YYYY-MM, from {months[0]} "
            f"to {months[-1]}"
        ) from None
    for month_result in result.months:
        if month_result.month == wanted:
            return month_result
    raise ExplainError(
        f"month: got {str(wanted)!r}, expected a month of the plan, from {months[0]} "
        f"to {months[-1]}"
    )


def _place(result: Result, month_result: MonthResult, position: int) -> Place:
    """The member at ``position`` in ``month_result``: their line and its parts."""
    plan = result.plan
    member = plan.members[position]
    line = month_result.lines[position]
    own = dict(line.functional)
    row = member.row_in(month_result.month)  # how the member stands in the month
    teams = member.teams_in(month_result.month)  # more than one: moved team in the month
    functional = tuple(own.get(goal.metric, 0) if goal.team in teams else 0 for goal in plan.goals)
    team = team_index(plan, row.team) if plan.weighted else 0
    bonus = plan.currency.to_minor(row.target_bonus) if row.target_bonus else 0
    in_team = _bonus_weights(plan, member, month_result.month) if member.changes else {}
    by_team = (
        tuple((team_index(plan, name), weight) for name, weight in in_team.items())
        if plan.weighted and len(in_team) > 1
        else ()
    )
    return Place(
        position,
        member,
        team,
        line,
        bonus,
        sum(in_team.values(), Fraction(0)) if member.changes else bonus * line.weight,
        (line.shared, functional, line.capped),
        by_team,
    )


def _bonus_weights(plan: Plan, member: Member, month: Month) -> dict[str, Fraction]:
    """A member of several roster rows: target bonus (minor units) x eligible weight, each
    day at its row's target bonus, over ``month`` or the longer period it pays, per team
    (in date order); each month under the leaver rule, as the weight over a period takes
    it. Summed, the member's bonus weight (:attr:`~.model.Place.bonus_weight`)."""
    period = plan.period_of(month)
    months = period.months if period is not None and month == period.months[-1] else (month,)
    to_minor = plan.currency.to_minor
    bonuses = [to_minor(row.target_bonus) if row.target_bonus else 0 for row in member.rows]
    in_team: dict[str, Fraction] = {}
    for each in months:
        if member.standing(each, plan.pay_leavers_for_exit_month).units:
            days = member.row_days(each)
            for row, d, b in zip(member.rows, days, bonuses, strict=True):
                if d:
                    part = Fraction(row.fte_units * d * b, FTE_SCALE * each.days)
                    in_team[row.team] = in_team.get(row.team, Fraction(0)) + part
    return in_team


# -- the explanation ------------------------------------------------------------------


def _shared_steps(result: Result, month: MonthResult, *, place: Place, money: Money) -> list[Step]:
    """The steps after the target of a plan on the shared goal alone (a paid month).

    A month whose factor is 0 is explained by the factor: the calibration and
    the split would add nothing. With caps, the cap step follows.
    """
    plan = result.plan
    sharing = place.sharing
    advances = bool(month.advances or month.advanced)  # a plan with advances
    if not month.ends_period:  # inside a longer shared period: no factor of its own
        return [advance_step(result, month, place.position, money)] if advances else []
    steps = [factor_step(plan, month)]
    if not month.factor:
        return [*steps, advance_step(result, month, place.position, money)] if advances else steps
    steps.append(calibration_step(result, money))
    earned = place.parts[0]
    if plan.funding is FundingStyle.POOL:
        steps.append(pool_step(result, month, money))
        if month.paid and sharing:
            steps.append(split_step(result, month, place=place, money=money))
    elif sharing:
        steps.append(individual_step(result, month, place=place, amount=earned, money=money))
    if plan.functional.caps.any and earned:
        steps.append(
            caps_step(
                result,
                month,
                position=place.position,
                parts=(earned, (), place.parts[2]),
                labels=["shared"],
                money=money,
            )
        )
    if advances:
        steps.append(advance_step(result, month, place.position, money))
    return steps


def _goal_view(month: MonthResult, place: Place) -> tuple[MonthResult, Place]:
    """The month and the member's line as the goals read them: the month's own weights
    where it pays its goals on them (:attr:`MonthResult.goal_weights`), else as they are."""
    own = month.goal_weights
    if own is None:
        return month, place
    goal_month = replace(
        month,
        total_split_weight=own.total_split_weight,
        team_split_weights=own.team_split_weights,
        weighting=own.weighting,
    )
    line = replace(place.line, weight=own.weights[place.position])
    return goal_month, replace(place, line=line)


def _weighted_steps(
    result: Result,
    month: MonthResult,
    *,
    place: Place,
    eligible: bool,
    money: Money,
    sources: Sources,
    leads: bool = False,
) -> list[Step]:
    """The steps after the target of a plan with functional goals: see :mod:`.parts`.

    With ``leads``, each goal whose actuals come from the leads is followed by
    the leads behind its figure.
    """
    steps = _weighted_parts(
        result, month, place=place, eligible=eligible, money=money, sources=sources, leads=leads
    )
    if month.status is MonthStatus.PAID and eligible and (month.advances or month.advanced):
        steps.append(advance_step(result, month, place.position, money))
    return steps


def _advance_terms(place: Place, money: Money) -> str:
    """The advance a line adds to its month's parts (beside monthly goals), or the advances
    a true-up takes from them (empty for none)."""
    line = place.line
    shared, functional, cut = place.parts
    if line.kind == ADVANCE:
        advance = line.total - (shared + sum(functional) - cut)
        return f" + advance {money.units(advance)}" if advance else ""
    if line.kind == TRUE_UP and line.advanced:
        return f" - advanced {money.units(line.advanced)}"
    return ""


def _weighted_parts(
    result: Result,
    month: MonthResult,
    *,
    place: Place,
    eligible: bool,
    money: Money,
    sources: Sources,
    leads: bool = False,
) -> list[Step]:
    """:func:`_weighted_steps` before the advance or true-up."""
    plan = result.plan
    member = place.member
    position = place.position
    parts = place.parts
    if month.status is MonthStatus.PENDING:
        return [_pending_step(result, month)]
    if not eligible:
        return []
    team = place.team
    teams = member.teams_in(month.month)  # a member may change team, even during a month
    sharing = place.sharing
    # Beside a longer shared period a month pays its goals on its own weights, and only the
    # month that ends the period pays a shared part (and has its factor).
    inside = month.goal_weights is not None and not month.ends_period
    steps = [] if inside else [factor_step(plan, month)]
    steps.append(weighting_step(result, team, money))
    pays = any(month.team_factors) or any(g.factor for g in month.goals)
    pool_funding = plan.funding is FundingStyle.POOL
    if pays:
        steps.append(calibration_step(result, money))
    gate = shared_gate_step(result, month, team)
    if gate is not None:
        steps.append(gate)
    goal_month, goal_place = _goal_view(month, place)
    if pays and not inside:
        if pool_funding:
            steps.append(shared_pool_step(result, month, money))
            if month.pool and sharing:
                steps.append(shared_split_step(result, month, position=position, money=money))
        elif sharing:
            steps.append(shared_line_step(result, month, place=place, amount=parts[0], money=money))
    labels = ["shared"]
    for goal_index, g in enumerate(month.goals):
        if g.goal.team not in teams:
            continue
        labels.append(g.goal.metric)
        steps.append(goal_step(result, month, g, sources))
        period = plan.period_of(month.month) if g.goal.over_period else None
        behind = period.months if period is not None else (month.month,)
        listed = leads_step(plan, g.goal.metric, behind) if leads else None
        if listed is not None:
            steps.append(listed)
        if not pays:
            continue
        if pool_funding:
            steps.append(
                goal_pool_step(result, goal_month, g, team_index(plan, g.goal.team), money)
            )
            if g.pool and sharing:
                steps.append(goal_split_step(result, month, g, position=position, money=money))
        elif sharing:
            steps.append(
                goal_line_step(
                    result, goal_month, g.goal, g.factor, place=goal_place,
                    amount=parts[1][goal_index], money=money,
                )
            )  # fmt: skip
    own = [part for goal, part in zip(plan.goals, parts[1], strict=True) if goal.team in teams]
    if plan.functional.caps.any and parts[0] + sum(own):
        steps.append(
            caps_step(
                result,
                month,
                position=position,
                parts=(parts[0], tuple(own), parts[2]),
                labels=labels,
                money=money,
            )
        )
    return steps


def _pending_step(result: Result, month: MonthResult) -> Step:
    """Which actuals a pending month of a plan with functional goals still needs."""
    plan = result.plan
    missing = [plan.metric] if month.plan_month.actual is None else []
    for metric in plan.functional.metrics:
        metric_month = next(m for m in metric.months if m.month == month.month)
        if metric_month.actual is None:
            missing.append(metric.name)
    from_leads = [
        figure
        for name in missing
        for figure in lead_actual_figures(plan, name, month.month)
        if figure.key != "lead_export"
    ]
    return Step(
        "pending",
        "Pending",
        (
            Figure(
                "missing",
                "Actuals still missing",
                ", ".join(missing),
                "a month is paid once the shared metric and every functional metric have "
                "their actual",
            ),
            *from_leads,
        ),
    )


def _held_figure(
    result: Result, month_result: MonthResult, held: int, money: Money
) -> tuple[Figure, ...]:
    """What the month holds back and the plan year whose end settles it (a plan of several
    plan years with a holdback, a month that holds something back)."""
    plan = result.plan
    if not held or not result.several_years:
        return ()
    index = result.months.index(month_result)
    year = next(y for y in plan_years(len(plan.months)) if index in y)
    first, last = plan.months[year[0]].month, plan.months[year[-1]].month
    return (
        Figure(
            "held",
            "Held back",
            money.units(held),
            f"round({percent_text(plan.holdback)} x the amount), held until the end of plan "
            f"year {index // YEAR + 1} ({first} to {last}): paid then if the member is still "
            "in the plan on its last day, else forfeited",
        ),
    )


def _version_view(result: Result, month: Month) -> tuple[Result, Step]:
    """``result`` as the version in force in ``month`` sees it (its design, its calibration),
    and the step that says which version that is."""
    plan = result.plan
    version = next(v for v in result.versions if month in v.months)
    index = next(j for j, m in enumerate(plan.months) if m.month == month)
    calibration = version.calibration
    design = version.design
    money = Money(plan.currency)
    if version.number == 1:
        neutral = (
            f"calibrated as the plan: its expected cost over the whole plan is the budget "
            f"{money.units(plan.budget.amount)} {plan.currency.code}"
        )
    else:
        neutral = (
            f"calibrated so that the change is neutral: its expected cost of "
            f"{version.start} to {plan.months[-1].month} is what version {version.number - 1} "
            f"was expected to cost in them, {money.minor(version.neutral_cost, 4)} "
            f"{plan.currency.code} (the budget of the calibration below)"
        )
    weights = ", ".join(f"{w.team} {ratio_text(w.nominal)}" for w in calibration.weights)
    step = Step(
        "version",
        "Plan version",
        (
            Figure(
                "version",
                "Version",
                str(version.number),
                f"in force from {version.start} ({len(result.versions)} versions); "
                f"curve {design.curve.describe()}; "
                + (f"nominal shared weights {weights}; " if weights else "")
                + (
                    f"it pays the goals over {design.goal_period_at(index).label} at its end; "
                    if design.goals_over_longer
                    else ""
                )
                + neutral,
            ),
        ),
    )
    view = replace(
        result,
        plan=replace(design, provenance=plan.provenance),
        calibration=calibration,
    )
    return view, step


def explain(
    result: Result,
    member_id: str,
    month: str | Month,
    sources: Sources | None = None,
    *,
    leads: bool = False,
) -> Explanation:
    """Explain what ``member_id`` was paid for ``month`` in ``result``, step by step.

    ``sources`` names the files (and lines) the inputs came from; by default,
    for a plan loaded from files, where the loader read them
    (:func:`~jointbonus.sharedtarget.explain.find_sources`). A goal whose
    actuals come from the plan's lead export shows the lead counts that make
    its actual; with ``leads``, every lead behind the figure follows it.
    Raises :class:`ExplainError` for a member or month the plan does not have,
    with some valid choices.
    """
    sources = argument(
        "sources", sources, (Sources, type(None)), "Sources (from find_sources) or None"
    )
    result = result_argument(result)
    member_id = argument("member_id", member_id, str, "a member id (text)")
    leads = argument("leads", leads, bool, "True or False")
    version = None
    if result.plan.versions:  # the month is explained by the version in force for it
        result, version = _version_view(result, _month(result, month).month)
    plan = result.plan
    sources = sources or find_sources(plan, member_id, month)
    position, member = _member(plan, member_id)
    month_result = _month(result, month)
    place = _place(result, month_result, position)
    money = Money(plan.currency)
    parts = place.parts
    team_name = member.team_in(month_result.month)
    teams = member.teams_in(month_result.month)
    amount = place.line.total
    reason = place.line.reason
    status = place.line.status

    steps = [member_step(plan, member, sources, money)]
    if version is not None:
        steps.append(version)
    step, eligible = weight_step(plan, member, month_result.month, place.line)
    steps.append(step)
    steps.append(target_step(result, month_result, sources, money))
    if plan.weighted:
        steps += _weighted_steps(
            result, month_result, place=place, eligible=bool(eligible), money=money,
            sources=sources, leads=leads,
        )  # fmt: skip
    elif month_result.status is MonthStatus.PAID and eligible:
        steps += _shared_steps(result, month_result, place=place, money=money)
    outcome = (
        f"paid {money.units(amount)} {plan.currency.code}"
        if amount
        else f"{money.units(0)} {plan.currency.code}: {reason}"
    )
    if amount and (plan.weighted or parts[2]):
        names = ["shared", *(g.metric for g in plan.goals)]
        terms = [
            f"{name} {money.units(part)}"
            for name, part, goal_team in zip(
                names, (parts[0], *parts[1]), [team_name, *(g.team for g in plan.goals)],
                strict=False,
            )
            if goal_team in (team_name, *teams)
        ]  # fmt: skip
        outcome += f" = {' + '.join(terms)}" + (
            f" - cut {money.units(parts[2])}" if parts[2] else ""
        )
        outcome += _advance_terms(place, money)  # a period's shared part advanced
    steps.append(
        Step(
            "result",
            "Result",
            (
                Figure("amount", "Amount", money.units(amount), outcome),
                Figure("status", "Status", status.value, reason or "paid"),
                *_held_figure(result, month_result, place.line.held, money),
            ),
        )
    )
    return Explanation(
        plan_name=plan.name,
        member_id=member.id,
        team=team_name,
        period=month_result.month,
        currency=plan.currency.code,
        amount=result.money(amount),
        status=status,
        reason=reason,
        steps=tuple(steps),
    )
