"""A longer shared period framed as the month that pays it.

With a shared target over a quarter or a plan year
(:mod:`jointbonus.core.plan_periods`), the pay rule runs once per period, in
the month that ends it, and nowhere else. :func:`frame_plan` frames the
plan's months (:func:`~jointbonus.sharedtarget.pay.groups.frame_months`) and
then, period by period:

* the month that ends the period gets the period's figures: its target and
  actual are the period's summed (the actual stays ``None`` until every
  month of the period has one), and each group's weight is its weight over
  the period, the sum over the period's months of FTE x days active / days
  in the month (as units over a common multiple ``L`` of the months' days:
  ``sum of units x L / days``, and split weights alike). Under pool funding
  the period's pool (the pool at target x factor) is split by these weights;
  under individual funding a member's amount is multiplier / 12 x their
  split weight over the period, the sum over its months of each day's target
  bonus x FTE / days in the month: the sum of the months' amounts at target,
  the period's share of the year. With
  unequal period weights (``period_weights``), the month also carries the
  period's weighting, periods a year x its weight, by which every amount at
  target is multiplied (:meth:`~jointbonus.sharedtarget.pay.groups.MonthFrame.at_target`):
  a member's amount is then multiplier x the period's weight x their split
  weight over the period / its months, the pool the pool at target x the
  weighting;
* every other month of the period keeps its members' weights (so their
  lines show their standing) but no one has a split weight in it: it pays
  nothing, and calibration costs nothing for it.

Everything after framing (sharing, caps, the holdback, cost, calibration)
then runs unchanged, month by month: a cap per month applies to the month
that pays the period, a cap per year and the holdback to the plan year that
month lies in. A monthly plan's frames are returned as they are, each with its
month's weighting when the plan weighs its months unequally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from jointbonus.core.plan_periods import Period, PeriodLength, summed_actuals
from jointbonus.sharedtarget.pay.goalperiods import frame_goal_periods
from jointbonus.sharedtarget.pay.groups import Framed, Groups, MonthFrame, frame_months
from jointbonus.sharedtarget.plan import FundingStyle, Plan, PlanMonth

__all__ = ["Within", "frame_periods", "frame_plan", "summed_actuals", "within_period"]


def frame_plan(plan: Plan) -> Framed:
    """The plan's months framed for its shared period: :func:`frame_periods` of
    :func:`~jointbonus.sharedtarget.pay.groups.frame_months`, and for goals over a
    longer period :func:`~jointbonus.sharedtarget.pay.goalperiods.frame_goal_periods`."""
    return frame_goal_periods(plan, frame_periods(plan, frame_months(plan)))


def frame_periods(plan: Plan, framed: Framed) -> Framed:
    """``framed`` with each longer shared period's pay moved to the month that ends it."""
    if plan.period is PeriodLength.MONTH:
        if not plan.period_weights:
            return framed
        weighted = tuple(
            replace(frame, weighting=period.weighting)
            for frame, period in zip(framed.months, plan.periods, strict=True)
        )
        return Framed(framed.groups, weighted, framed.cohorts, framed.cohort_of)
    frames: list[MonthFrame] = []
    for period in plan.periods:
        inside = framed.months[period.first : period.last + 1]
        own = [_own(plan, frame, period) for frame in inside]
        for frame, alone in zip(inside[:-1], own, strict=False):
            frames.append(
                replace(
                    frame,
                    groups=_unmixed(frame.groups),
                    split=(0,) * len(frame.split),
                    total_split_weight=0,
                    period=period,
                    own=alone,
                )
            )
        end = inside[-1]
        common = period.weight_days
        groups = range(len(end.units))
        units = tuple(
            sum(f.units[g] * (common // f.plan_month.month.days) for f in inside) for g in groups
        )
        split = tuple(
            sum(f.split[g] * (common // f.plan_month.month.days) for f in inside) for g in groups
        )
        counts = end.groups.counts
        months = [f.plan_month for f in inside]
        summed = PlanMonth(
            end.plan_month.month,
            sum((m.target for m in months), Fraction(0)),
            summed_actuals([m.actual for m in months]),
            "summed over " + period.label,
        )
        frames.append(
            MonthFrame(
                summed,
                end.index,
                _period_mixes(inside, common),
                units,
                split,
                sum(w * n for w, n in zip(split, counts, strict=True)),
                weight_days=common,
                period=period,
                weighting=period.weighting,
                own=own[-1],
            )
        )
    return Framed(framed.groups, tuple(frames), framed.cohorts, framed.cohort_of)


def _unmixed(groups: Groups) -> Groups:
    """``groups`` without the moves of their month: a month inside a longer shared period
    pays nothing on its frame (its goals, if monthly, on a frame of its own)."""
    return replace(groups, mixes={}) if groups.mixes else groups


def _period_mixes(inside: Sequence[MonthFrame], common: int) -> Groups:
    """The groups of the month that ends a period, with the period's moves: a group whose
    members spend the period in more than one team (in any month of it, or from one month
    to the next) gets, per team, the part of its value over the period earned on the days
    in that team, each month's value scaled to the period's common days (as its split
    weight is), so that each day is paid at the shared weight of that day's team, and
    goals over the period pay each team's goals on the days spent in it."""
    end = inside[-1].groups
    movers = {g for f in inside for g in f.groups.mixes}
    movers.update(
        g for g, team in enumerate(end.teams) if any(f.groups.teams[g] != team for f in inside[:-1])
    )
    if not movers:
        return _unmixed(end)
    mixes: dict[int, tuple[tuple[int, int], ...]] = {}
    for group in sorted(movers):
        in_team: dict[int, int] = {}
        for frame in inside:
            scale = common // frame.plan_month.month.days
            mix = frame.groups.mixes.get(group)
            if mix is None:
                if frame.split[group]:
                    team = frame.groups.teams[group]
                    in_team[team] = in_team.get(team, 0) + frame.split[group] * scale
                continue
            for team, value in mix:
                if value:
                    in_team[team] = in_team.get(team, 0) + value * scale
        # (one team alone that is not the team at the period's end: the days of value
        # were all in another team, say before a move to a salary of 0 under a salary split)
        if len(in_team) > 1 or any(team != end.teams[group] for team in in_team):
            mixes[group] = tuple(sorted(in_team.items()))
    return replace(end, mixes=mixes) if mixes or end.mixes else end


def _own(plan: Plan, frame: MonthFrame, period: Period) -> MonthFrame | None:
    """``frame``'s month framed on its own for its functional parts (``None`` in a plan
    without goals): the period's amounts at target spread evenly over its months, so a
    month's pool at target is the period's / its months (pool funding), and a member's
    amount at target their target bonus x multiplier / 12 x weight (individual), each
    times the period's weighting."""
    if not plan.weighted or plan.goals_over_period:  # goals over the period: at its end
        return None
    weighting = period.weighting
    if plan.funding is FundingStyle.POOL:
        weighting /= len(period.months)
    return replace(frame, weighting=weighting)


@dataclass(frozen=True, slots=True)
class Within:
    """What a month's result and lines say of the shared period it lies in."""

    label: str = ""
    """The period's label ("" for a monthly shared target)."""
    ends: bool = True
    """Whether the month ends (and so pays) its period."""
    pending: str = ""
    """The lines' reason while the period is pending ("" for a monthly target)."""
    inside: str = ""
    """The lines' reason in a month inside a period that a later month pays."""


_MONTHLY = Within()


def within_period(plan: Plan, frame: MonthFrame) -> Within:
    """What ``frame``'s month says of its shared period: nothing for a monthly target."""
    period = frame.period
    if period is None:
        return _MONTHLY
    missing = [
        str(plan.months[i].month)
        for i in range(period.first, min(frame.index, period.last) + 1)
        if plan.months[i].actual is None
    ]
    pending = (
        f"pending: no actual for {', '.join(missing)} yet, of {period.label}"
        if missing
        else f"pending: {period.label} is paid at its end, {period.end}"
    )
    paid = "shared target and goals are" if plan.goals_over_period else "shared target is"
    inside = f"part of {period.label}: its {paid} paid at its end, {period.end}"
    return Within(period.label, frame.closes, pending, inside)
