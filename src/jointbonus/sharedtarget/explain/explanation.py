"""Explaining one member's month: choosing the member and month, then each step."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from jointbonus.core.money import GroupShare
from jointbonus.core.periods import Month
from jointbonus.core.roster import Member
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.explain.model import ExplainError, Explanation, Figure, Sources, Step
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
from jointbonus.sharedtarget.explain.split import individual_step, pool_step, split_step
from jointbonus.sharedtarget.explain.steps import (
    calibration_step,
    factor_step,
    member_step,
    target_step,
    weight_step,
)
from jointbonus.sharedtarget.explain.text import Money
from jointbonus.sharedtarget.pay.frame import Cohort
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from jointbonus.sharedtarget.results import LineStatus, MonthResult, MonthStatus, Result

__all__ = ["explain"]

#: How many valid choices an error message suggests.
SUGGESTIONS = 5


# -- choosing the member and month --------------------------------------------------


def _choices(wanted: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(wanted, known, n=SUGGESTIONS, cutoff=0.5)
    shown = close or list(known[:SUGGESTIONS])
    more = f" ({len(known)} in all)" if len(known) > len(shown) else ""
    return ", ".join(shown) + more


def _member(plan: Plan, member_id: str) -> tuple[int, Member]:
    for position, member in enumerate(plan.members):
        if member.id == member_id:
            return position, member
    ids = [m.id for m in plan.members]
    raise ExplainError(
        f"member: got {member_id!r}, expected a member id of the plan, such as "
        f"{_choices(member_id, ids)}"
    )


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


def _cohort_of(month_result: MonthResult, position: int) -> tuple[int, Cohort, GroupShare]:
    for index, (cohort, share) in enumerate(
        zip(month_result.frame.cohorts, month_result.shares, strict=True)
    ):
        if position in cohort.positions:
            return index, cohort, share
    raise ExplainError(f"member at position {position} is in no cohort of {month_result.month}")


# -- the explanation ------------------------------------------------------------------


def _shared_steps(
    result: Result,
    month: MonthResult,
    *,
    index: int,
    position: int,
    parts: tuple[int, tuple[int, ...], int] | None,
    money: Money,
) -> list[Step]:
    """The steps after the target of a plan on the shared goal alone (a paid month).

    A month whose factor is 0 is explained by the factor: the calibration and
    the split would add nothing. With caps, the cap step follows.
    """
    plan = result.plan
    cohort = month.frame.cohorts[index]
    share = month.shares[index]
    member = plan.members[position]
    steps = [factor_step(plan, month)]
    if not month.factor:
        return steps
    steps.append(calibration_step(result, money))
    if plan.funding is FundingStyle.POOL:
        steps.append(pool_step(result, month, money))
        if month.paid and cohort.split_weight:
            steps.append(
                split_step(
                    result, month, position=position, cohort=cohort, share=share, money=money
                )
            )
    elif cohort.split_weight:
        steps.append(
            individual_step(
                result, month, member=member, cohort=cohort, amount=share.share(position),
                money=money,
            )
        )  # fmt: skip
    earned = share.share(position)
    if plan.functional.caps.any and earned:
        steps.append(
            caps_step(
                result,
                month,
                position=position,
                parts=parts or (earned, (), 0),
                labels=["shared"],
                money=money,
            )
        )
    return steps


def _weighted_steps(
    result: Result,
    month: MonthResult,
    *,
    index: int,
    position: int,
    eligible: bool,
    parts: tuple[int, tuple[int, ...], int],
    money: Money,
    sources: Sources,
) -> list[Step]:
    """The steps after the target of a plan with functional goals: see :mod:`.parts`."""
    plan = result.plan
    cohort = month.frame.cohorts[index]
    member = plan.members[position]
    if month.status is MonthStatus.PENDING:
        return [_pending_step(result, month)]
    if not eligible:
        return []
    team = team_index(plan, member.team)
    steps = [factor_step(plan, month), weighting_step(result, team, money)]
    outcome = month.outcome
    pays = outcome is not None and outcome.pays
    pool_funding = plan.funding is FundingStyle.POOL
    if pays:
        steps.append(calibration_step(result, money))
    gate = shared_gate_step(result, month, team)
    if gate is not None:
        steps.append(gate)
    if pays:
        if pool_funding:
            steps.append(shared_pool_step(result, month, money))
            if month.pool and cohort.split_weight:
                steps.append(
                    shared_split_step(result, month, position=position, index=index, money=money)
                )
        elif cohort.split_weight:
            steps.append(
                shared_line_step(result, month, cohort=cohort, amount=parts[0], money=money)
            )
    labels = ["shared"]
    for goal_index, g in enumerate(month.goals):
        if g.goal.team != member.team:
            continue
        labels.append(g.goal.metric)
        steps.append(goal_step(result, month, g, sources))
        if not pays:
            continue
        if pool_funding:
            steps.append(goal_pool_step(result, month, g, team, money))
            if g.pool and cohort.split_weight:
                steps.append(
                    goal_split_step(result, month, g, position=position, index=index, money=money)
                )
        elif cohort.split_weight:
            steps.append(
                goal_line_step(
                    result, month, g.goal, g.factor, cohort=cohort,
                    amount=parts[1][goal_index], money=money,
                )
            )  # fmt: skip
    own = [
        part for goal, part in zip(plan.goals, parts[1], strict=True) if goal.team == member.team
    ]
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
        ),
    )


def explain(
    result: Result, member_id: str, month: str | Month, sources: Sources | None = None
) -> Explanation:
    """Explain what ``member_id`` was paid for ``month`` in ``result``, step by step.

    ``sources`` names the files (and lines) the inputs came from, for a plan
    loaded from files (:func:`~jointbonus.explain.find_sources`). Raises :class:`ExplainError`
    for a member or month the plan does not have, with some valid choices.
    """
    plan = result.plan
    sources = sources or Sources()
    position, member = _member(plan, member_id)
    month_result = _month(result, month)
    index, cohort, share = _cohort_of(month_result, position)
    money = Money(plan.currency)
    parts: tuple[int, tuple[int, ...], int] | None = None
    if plan.weighted or month_result.cuts:  # the line's parts, as Result.lines makes them
        parts = month_result.parts_of(index, position)
        amount = parts[0] + sum(parts[1]) - parts[2]
        reason = month_result.weighted_reason(cohort, parts, plan)
    else:
        amount = share.share(position)
        reason = month_result.line_reason(cohort, amount, plan.curve)
    if month_result.status is MonthStatus.PENDING:
        status = LineStatus.PENDING
    else:
        status = LineStatus.PAID if amount else LineStatus.ZERO

    steps = [member_step(plan, member, sources, money)]
    step, eligible = weight_step(plan, member, month_result.month, cohort)
    steps.append(step)
    steps.append(target_step(result, month_result, sources, money))
    if plan.weighted:
        steps += _weighted_steps(
            result, month_result, index=index, position=position, eligible=bool(eligible),
            parts=parts or (amount, (), 0), money=money, sources=sources,
        )  # fmt: skip
    elif month_result.status is MonthStatus.PAID and eligible:
        steps += _shared_steps(
            result, month_result, index=index, position=position, parts=parts, money=money
        )
    outcome = (
        f"paid {money.units(amount)} {plan.currency.code}"
        if amount
        else f"{money.units(0)} {plan.currency.code}: {reason}"
    )
    if amount and parts is not None and (plan.weighted or parts[2]):
        names = ["shared", *(g.metric for g in plan.goals)]
        terms = [
            f"{name} {money.units(part)}"
            for name, part, goal_team in zip(
                names, (parts[0], *parts[1]), [member.team, *(g.team for g in plan.goals)],
                strict=False,
            )
            if goal_team == member.team
        ]  # fmt: skip
        outcome += f" = {' + '.join(terms)}" + (
            f" - cut {money.units(parts[2])}" if parts[2] else ""
        )
    steps.append(
        Step(
            "result",
            "Result",
            (
                Figure("amount", "Amount", money.units(amount), outcome),
                Figure("status", "Status", status.value, reason or "paid"),
            ),
        )
    )
    return Explanation(
        plan_name=plan.name,
        member_id=member.id,
        team=member.team,
        period=month_result.month,
        currency=plan.currency.code,
        amount=result.money(amount),
        status=status,
        reason=reason,
        steps=tuple(steps),
    )
