"""Goals over a period that holds several shared periods, paid at its end.

A plan's goals may run over a quarter or a plan year beside a monthly shared
target, or over a plan year beside a quarterly one (:attr:`~jointbonus.
sharedtarget.plan.Plan.goals_over_longer`). The shared part is paid each shared
period as always. A goal is measured over its own period (its actuals summed over
its targets summed, the gates reading the same period) and paid at that period's
end from the functional parts of the period's months, each month on its own
weights: its pool at target, its teams' split weights, its members' split weights.
So a member's exact amount of a goal is the sum over the period's months of what
the goal paid month by month would pay them at the period's factor, and at target
exactly what it would pay month by month.

:func:`frame_goal_periods` makes this a frame the sharing, cost and calibration
code already pays: the month that ends a goal period gets, as the frame its goals
are paid on (:attr:`~jointbonus.sharedtarget.pay.groups.MonthFrame.own`), the
period's months summed, each member's split weight in month ``m`` scaled so that
one unit of the sum is worth what it was in ``m``:

* pool funding: ``split x K x weighting_m / total split weight_m``, with ``K``
  making every factor whole, and the frame's weighting the months' weightings
  summed (months nobody can share are left out: their pools are only stated);
  the pool at target per unit of the sum, ``scale x sum of weightings / total``,
  is then ``scale / K``, and a goal's exact pool is the months' exact pools summed;
* individual funding: ``split x L / days_m x weighting_m x D`` (``L`` a common
  multiple of the months' days, ``D`` of the weightings' denominators), counted
  over ``L`` days at weighting ``1 / D``: each month's amount at target, summed.

A member who spends the period in several teams gets each team's goals on the
months in it (:attr:`~jointbonus.sharedtarget.pay.groups.Groups.mixes`). Every other
month of the goal period has a goal frame on which nobody has a split weight: it
pays the shared part alone. Rounding is once per goal and period (a pool split by
largest remainder, or a line), so a member's amount is within one minor unit of the
exact sum.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from math import lcm

from jointbonus.core.plan_periods import Period, summed_attainment
from jointbonus.sharedtarget.pay.groups import Framed, MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome, goals_over, outcome_at
from jointbonus.sharedtarget.plan import FundingStyle, Plan

__all__ = [
    "ends_goal_period",
    "frame_goal_periods",
    "goal_period_outcome",
    "goals_paid_later",
    "longer_attainments",
]

_ZERO = Fraction(0)


def frame_goal_periods(plan: Plan, framed: Framed) -> Framed:
    """``framed`` (already framed for the shared period) with each goal period's goals paid
    in the month that ends it, on its months' goal frames summed (see the module)."""
    if not plan.goals_over_longer:
        return framed
    frames = list(framed.months)
    for period in plan.goal_periods:
        inside = frames[period.first : period.last + 1]
        own = [frame.own or replace(frame, own=None) for frame in inside]
        for place, (frame, alone) in enumerate(zip(inside, own, strict=True)):
            if place < len(inside) - 1:
                nobody = replace(alone, split=(0,) * len(alone.split), total_split_weight=0)
                frames[frame.index] = replace(frame, own=nobody)
        end = inside[-1]
        frames[end.index] = replace(end, own=_summed(plan, own, period))
    return Framed(framed.groups, tuple(frames), framed.cohorts, framed.cohort_of)


def _summed(plan: Plan, months: list[MonthFrame], period: Period) -> MonthFrame:
    """The goal period's months' goal frames as one (see the module)."""
    end = months[-1]
    common = period.weight_days
    if plan.funding is FundingStyle.POOL:
        paying = [f for f in months if f.total_split_weight]
        rates = [f.weighting / f.total_split_weight for f in paying]
        whole = lcm(*(r.denominator for r in rates)) if rates else 1
        multipliers = [int(r * whole) for r in rates]
        weighting = sum((f.weighting for f in paying), _ZERO) or Fraction(1)
    else:
        paying = list(months)
        whole = lcm(*(f.weighting.denominator for f in paying))
        multipliers = [
            int(f.weighting * whole) * (common // f.plan_month.month.days) for f in paying
        ]
        weighting = Fraction(1, whole)
    size = len(end.split)
    split = [0] * size
    by_team: list[dict[int, int]] = [{} for _ in range(size)]
    for frame, multiplier in zip(paying, multipliers, strict=True):
        mixes = frame.groups.mixes
        for group, value in enumerate(frame.split):
            if not value:
                continue
            split[group] += value * multiplier
            teams = by_team[group]
            mix = mixes.get(group) if mixes else None
            for team, part in mix or ((frame.groups.teams[group], value),):
                teams[team] = teams.get(team, 0) + part * multiplier
    mixes = {
        group: tuple(sorted(teams.items()))
        for group, teams in enumerate(by_team)
        if len(teams) > 1 or (teams and next(iter(teams)) != end.groups.teams[group])
    }
    units = tuple(
        sum(f.units[g] * (common // f.plan_month.month.days) for f in months) for g in range(size)
    )
    return replace(
        end,
        groups=replace(end.groups, mixes=mixes),
        units=units,
        split=tuple(split),
        total_split_weight=sum(w * n for w, n in zip(split, end.groups.counts, strict=True)),
        weight_days=common,
        weighting=weighting,
        own=None,
    )


def ends_goal_period(plan: Plan, index: int) -> bool:
    """Whether plan month ``index`` ends a goal period that is longer than the shared one
    (and so pays its goals)."""
    return plan.goals_over_longer and plan.goal_period_at(index).last == index


def longer_attainments(plan: Plan, index: int) -> tuple[Fraction, tuple[Fraction, ...]] | None:
    """In the month ``index`` that ends a goal period: the shared attainment over it and
    each goal's (by ``plan.goals``), each its actuals summed / its targets summed;
    ``None`` while a month of the period has no actual for one of them yet."""
    period = plan.goal_period_at(index)
    months = plan.months[period.first : period.last + 1]
    if any(m.actual is None for m in months):
        return None
    goals = goals_over(plan, period)
    if goals is None:
        return None
    shared = summed_attainment(
        [Fraction(m.actual or 0) for m in months], [m.target for m in months]
    )
    return shared, goals


def goal_period_outcome(
    plan: Plan,
    shared_attainment: Fraction,
    over: tuple[Fraction, tuple[Fraction, ...]] | None,
) -> Outcome:
    """A shared period's outcome in a plan whose goals run over a longer period: the shared
    factor at ``shared_attainment`` (the shared period's), and in the month that ends a
    goal period the goals' factors at ``over`` (the shared attainment over the goal period
    and each goal's, which the functional gate and the goals' own gates read); every
    goal's factor 0 elsewhere (``over`` is ``None``)."""
    if over is None:
        goals: tuple[Fraction, ...] = (_ZERO,) * len(plan.goals)
    else:
        goals = outcome_at(plan, over[0], over[1]).functional
    return Outcome(plan.curve.factor(shared_attainment), (), goals)


def goals_paid_later(plan: Plan, index: int) -> str:
    """What the lines of month ``index`` say of goals paid at their longer period's end
    (``""`` in the month that ends it, or in a plan whose goals run otherwise)."""
    if not plan.goals_over_longer or ends_goal_period(plan, index):
        return ""
    period = plan.goal_period_at(index)
    return f"goals over {period.label} are paid at its end, {period.end}"
