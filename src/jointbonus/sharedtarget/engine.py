"""The engine: pay a plan year.

For each plan month with an actual::

    attainment = actual / target
    factor     = curve(attainment)
    pool       = round(pool at target x factor)          (pool funding)
    share      = largest-remainder split of the pool by weight (x salary or target bonus)
    line       = round(target bonus x multiplier / 12 x weight x factor)  (individual)

A month without an actual is pending: nothing is paid and every line says so.
The engine reads only the plan and its calibration; it never looks back at
files or forward at reports.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from jointbonus._gc import paused_gc
from jointbonus.core.money import GroupShare
from jointbonus.sharedtarget.calibration import YEAR, Calibration, calibrate
from jointbonus.sharedtarget.pay.frame import (
    MonthFrame,
    Outcome,
    frame_months,
    held_back,
    month_cost,
    outcome_at,
    share_out,
)
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.results import (
    GoalResult,
    MonthResult,
    MonthStatus,
    PlanSummary,
    Result,
)

__all__ = ["pay", "run"]


@paused_gc()
def run(plan: Plan) -> Result:
    """Calibrate ``plan`` (unless its scale is fixed) and pay its year."""
    frames = frame_months(plan)
    return pay(plan, calibrate(plan, frames), frames)


@paused_gc()
def pay(plan: Plan, calibration: Calibration, frames: Sequence[MonthFrame] | None = None) -> Result:
    """Pay every plan month with all its actuals at ``calibration``'s scale and weights.

    A month is paid once the shared metric and every functional metric have
    their actual; until then it is pending. A per-year cap follows each
    member through each plan year (12 plan months from the plan's start).
    """
    frames = frame_months(plan) if frames is None else frames
    terms = calibration.terms
    metrics = {m.name: m for m in plan.functional.metrics}
    goal_metrics = [metrics[g.metric] for g in plan.goals]
    per_year = plan.functional.caps.per_year is not None
    year_to_date: dict[int, int] = {}
    months: list[MonthResult] = []
    for index, frame in enumerate(frames):
        if index % YEAR == 0:
            year_to_date = {}
        plan_month = frame.plan_month
        goal_attainments = [m.attainment(index) for m in goal_metrics]
        if plan_month.actual is None or None in goal_attainments:
            shares = (GroupShare(0, frozenset(), 1),) * len(frame.cohorts)
            months.append(
                MonthResult(
                    plan_month, MonthStatus.PENDING, None, None, None, None, 0, frame, shares
                )
            )
            continue
        attainment = Fraction(plan_month.actual) / plan_month.target
        known = [a for a in goal_attainments if a is not None]
        outcome = outcome_at(plan, attainment, known)
        month_pay = share_out(plan, frame, terms, outcome, year_to_date if per_year else None)
        goals = tuple(
            GoalResult(
                goal=goal,
                target=metric.months[index].target,
                actual=metric.months[index].actual or Decimal(0),
                attainment=goal_attainment,
                factor=factor,
                gated=plan.functional.gates.functional is not None
                and attainment < plan.functional.gates.functional,
                pool=part.pool,
                shares=part.shares,
            )
            for goal, metric, goal_attainment, factor, part in zip(
                plan.goals,
                goal_metrics,
                known,
                outcome.functional,
                month_pay.functional,
                strict=True,
            )
        )
        result = MonthResult(
            plan_month,
            MonthStatus.PAID,
            attainment,
            outcome.shared,
            attainment >= 1,
            month_pay.shared.pool,
            month_pay.paid,
            frame,
            month_pay.shared.shares,
            goals=goals,
            outcome=outcome,
            cuts=month_pay.cuts,
        )
        held, forfeited = _held(plan, result)
        months.append(replace(result, held=held, forfeited=forfeited))
        if per_year:
            for position, _, amount in result.member_shares(len(plan.members)):
                if amount:
                    year_to_date[position] = year_to_date.get(position, 0) + amount
    return Result(plan, calibration, tuple(months), _summary(plan, calibration, frames, months))


def _held(plan: Plan, month: MonthResult) -> tuple[int, int]:
    """What the month holds back until the year end, and how much of it is forfeited."""
    if not plan.holdback:
        return 0, 0
    held = forfeited = 0
    if month.goals or month.cuts:
        for _, cohort, amount in month.member_shares(len(plan.members)):
            part = held_back(plan, amount)
            held += part
            if cohort.forfeits:
                forfeited += part
        return held, forfeited
    for cohort, share in zip(month.frame.cohorts, month.shares, strict=True):
        bumped = len(share.bumped)
        amount = (len(cohort.positions) - bumped) * held_back(plan, share.base)
        amount += bumped * held_back(plan, share.base + share.step)
        held += amount
        if cohort.forfeits:
            forfeited += amount
    return held, forfeited


def _summary(
    plan: Plan,
    calibration: Calibration,
    frames: Sequence[MonthFrame],
    months: Sequence[MonthResult],
) -> PlanSummary:
    done = [m for m in months if m.status is MonthStatus.PAID]
    # What the months cost: earned, less what leavers forfeit of the holdback.
    paid_to_date = sum(m.paid - m.forfeited for m in done)
    expected_by_month = {e.month: e.expected_cost for e in calibration.months}
    expected_to_date = sum((expected_by_month[m.month] for m in done), Fraction(0))
    if done:
        pace = _mean_outcome(done)
        terms = calibration.terms
        per_year = plan.functional.caps.per_year is not None
        year_to_date: dict[int, int] = {}
        rest = 0
        for index, (frame, m) in enumerate(zip(frames, months, strict=True)):
            if index % YEAR == 0:
                year_to_date = {}
            if m.status is MonthStatus.PENDING:
                cost = month_cost(plan, frame, terms, pace, year_to_date if per_year else None)
                rest += cost.paid
                pay_now = cost.pay
                amounts = (
                    [
                        (p, pay_now.amount(k, p) - pay_now.cuts.get(p, 0))
                        for k, c in enumerate(frame.cohorts)
                        for p in c.positions
                    ]
                    if per_year and pay_now is not None
                    else []
                )
            else:
                amounts = (
                    [(p, a) for p, _, a in m.member_shares(len(plan.members))] if per_year else []
                )
            for position, amount in amounts:
                year_to_date[position] = year_to_date.get(position, 0) + amount
        cost_on_pace = paid_to_date + rest
    else:
        cost_on_pace = plan.currency.round_to_minor(calibration.expected_cost / plan.currency.scale)
    return PlanSummary(
        budget=plan.budget.amount,
        expected_cost=calibration.expected_cost,
        paid_to_date=paid_to_date,
        expected_to_date=expected_to_date,
        variance_to_date=paid_to_date - expected_to_date,
        cost_on_pace=cost_on_pace,
        pace_variance=cost_on_pace - plan.budget.amount,
        months_paid=len(done),
        months_pending=len(months) - len(done),
        months_hit=sum(1 for m in done if m.hit),
        held_to_date=sum(m.held for m in done),
        forfeited_to_date=sum(m.forfeited for m in done),
    )


def _mean_outcome(done: Sequence[MonthResult]) -> Outcome:
    """Each factor's mean over the months paid: the pace the pending months are costed at."""
    outcomes = [m.outcome for m in done if m.outcome is not None]
    count = len(outcomes)
    first = outcomes[0]

    def mean(values: Sequence[Fraction]) -> Fraction:
        return sum(values, Fraction(0)) / count

    return Outcome(
        mean([o.shared for o in outcomes]),
        tuple(mean([o.team_shared[t] for o in outcomes]) for t in range(len(first.team_shared))),
        tuple(mean([o.functional[g] for o in outcomes]) for g in range(len(first.functional))),
    )
