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
exact sum. What such a month's outcome is, and when a goal period is paid, is
:mod:`jointbonus.sharedtarget.pay.outcome`'s (:func:`~jointbonus.sharedtarget.pay.outcome.
goal_period_outcome`).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from math import lcm

from jointbonus.core.plan_periods import Period
from jointbonus.sharedtarget.pay.groups import Framed, MonthFrame
from jointbonus.sharedtarget.plan import FundingStyle, Plan

__all__ = ["frame_goal_periods"]

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
