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
from fractions import Fraction

from jointbonus._gc import paused_gc
from jointbonus.calibration import Calibration, calibrate
from jointbonus.frame import MonthFrame, frame_months, held_back, month_cost, share_out
from jointbonus.money import GroupShare
from jointbonus.plan import Plan
from jointbonus.results import MonthResult, MonthStatus, PlanSummary, Result

__all__ = ["pay", "run"]


@paused_gc()
def run(plan: Plan) -> Result:
    """Calibrate ``plan`` (unless its scale is fixed) and pay its year."""
    frames = frame_months(plan)
    return pay(plan, calibrate(plan, frames), frames)


@paused_gc()
def pay(plan: Plan, calibration: Calibration, frames: Sequence[MonthFrame] | None = None) -> Result:
    """Pay every plan month with an actual at ``calibration``'s scale."""
    frames = frame_months(plan) if frames is None else frames
    scale = calibration.scale
    months: list[MonthResult] = []
    for frame in frames:
        plan_month = frame.plan_month
        if plan_month.actual is None:
            shares = (GroupShare(0, frozenset(), 1),) * len(frame.cohorts)
            months.append(
                MonthResult(
                    plan_month, MonthStatus.PENDING, None, None, None, None, 0, frame, shares
                )
            )
            continue
        attainment = Fraction(plan_month.actual) / plan_month.target
        factor = plan.curve.factor(attainment)
        pool, paid, shares_list = share_out(plan, frame, scale, factor)
        held, forfeited = _held(plan, frame, shares_list)
        months.append(
            MonthResult(
                plan_month,
                MonthStatus.PAID,
                attainment,
                factor,
                attainment >= 1,
                pool,
                paid,
                frame,
                tuple(shares_list),
                held,
                forfeited,
            )
        )
    return Result(plan, calibration, tuple(months), _summary(plan, calibration, frames, months))


def _held(plan: Plan, frame: MonthFrame, shares: Sequence[GroupShare]) -> tuple[int, int]:
    """What the month holds back until the year end, and how much of it is forfeited."""
    if not plan.holdback:
        return 0, 0
    held = forfeited = 0
    for cohort, share in zip(frame.cohorts, shares, strict=True):
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
        mean_factor = sum((m.factor or Fraction(0) for m in done), Fraction(0)) / len(done)
        rest = sum(
            month_cost(plan, frame, calibration.scale, mean_factor).paid
            for frame, m in zip(frames, months, strict=True)
            if m.status is MonthStatus.PENDING
        )
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
