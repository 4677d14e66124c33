"""Explaining one member's month: choosing the member and month, then each step."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from jointbonus.errors import JointBonusError
from jointbonus.explain.model import ExplainError, Explanation, Figure, Sources, Step
from jointbonus.explain.split import individual_step, pool_step, split_step
from jointbonus.explain.steps import (
    calibration_step,
    factor_step,
    member_step,
    target_step,
    weight_step,
)
from jointbonus.explain.text import Money
from jointbonus.frame import Cohort
from jointbonus.money import GroupShare
from jointbonus.periods import Month
from jointbonus.plan import FundingStyle, Plan
from jointbonus.results import LineStatus, MonthResult, MonthStatus, Result
from jointbonus.roster import Member

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


def _cohort_of(month_result: MonthResult, position: int) -> tuple[Cohort, GroupShare]:
    for cohort, share in zip(month_result.frame.cohorts, month_result.shares, strict=True):
        if position in cohort.positions:
            return cohort, share
    raise ExplainError(f"member at position {position} is in no cohort of {month_result.month}")


# -- the explanation ------------------------------------------------------------------


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
    cohort, share = _cohort_of(month_result, position)
    amount = share.share(position)
    money = Money(plan.currency)
    reason = month_result.line_reason(cohort, amount, plan.curve)
    if month_result.status is MonthStatus.PENDING:
        status = LineStatus.PENDING
    else:
        status = LineStatus.PAID if amount else LineStatus.ZERO

    steps = [member_step(plan, member, sources, money)]
    step, eligible = weight_step(plan, member, month_result.month, cohort)
    steps.append(step)
    steps.append(target_step(result, month_result, sources, money))
    # A member with no eligible weight, or a month whose factor is 0, is explained
    # by the steps so far: the calibration and the split would add nothing.
    if month_result.status is MonthStatus.PAID and eligible:
        steps.append(factor_step(plan, month_result))
    if month_result.status is MonthStatus.PAID and eligible and month_result.factor:
        steps.append(calibration_step(result, money))
        if plan.funding is FundingStyle.POOL:
            steps.append(pool_step(result, month_result, money))
            if month_result.paid and cohort.split_weight:
                steps.append(
                    split_step(
                        result,
                        month_result,
                        position=position,
                        cohort=cohort,
                        share=share,
                        money=money,
                    )
                )
        elif cohort.split_weight:
            steps.append(
                individual_step(
                    result, month_result, member=member, cohort=cohort, amount=amount, money=money
                )
            )
    outcome = (
        f"paid {money.units(amount)} {plan.currency.code}"
        if amount
        else f"{money.units(0)} {plan.currency.code}: {reason}"
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
