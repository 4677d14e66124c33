"""The engine: pay a plan year.

For each plan month with an actual::

    attainment = actual / target
    factor     = curve(attainment)
    pool       = round(pool at target x factor)          (pool funding)
    share      = largest-remainder split of the pool by weight (x salary or target bonus)
    line       = round(target bonus x multiplier / 12 x weight x factor)  (individual)

A month without an actual is pending: nothing is paid and every line says so.
The engine reads only the plan and its calibration; it never looks back at
files or forward at reports. Each month's lines are made by
:mod:`jointbonus.sharedtarget.lines`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.calibration import (
    Calibration,
    calibrate_framed,
    calibrated_months,
    calibration_argument,
    check_calibration,
)
from jointbonus.sharedtarget.lines import MonthView, YearLines, advance_lines
from jointbonus.sharedtarget.pay.advances import (
    advance_to_date,
    cap_room,
    goals_most,
    member_pay,
    year_room,
)
from jointbonus.sharedtarget.pay.caps import YearToDate
from jointbonus.sharedtarget.pay.cost import month_cost
from jointbonus.sharedtarget.pay.groups import Framed, MonthFrame
from jointbonus.sharedtarget.pay.outcome import (
    Outcome,
    Terms,
    actual_attainments,
    ends_goal_period,
    goal_gates_closed,
    goal_period_outcome,
    goal_teams,
    goals_paid_later,
    longer_attainments,
    nothing_paid,
    outcome_at,
    period_goals,
    period_outcome,
)
from jointbonus.sharedtarget.pay.periods import frame_plan, within_period
from jointbonus.sharedtarget.pay.sharing import (
    MonthPay,
    held_back,
    share_out,
    team_split_weights,
)
from jointbonus.sharedtarget.plan import Plan, plan_argument
from jointbonus.sharedtarget.results import (
    GoalResult,
    GoalWeights,
    MonthResult,
    MonthStatus,
    PartSplit,
    PlanSummary,
    RealisedWeight,
    Result,
)
from jointbonus.sharedtarget.versioned import pay_versions

__all__ = ["pay", "pay_framed", "run"]


def run(plan: Plan) -> Result:
    """Calibrate ``plan`` (unless its scale is fixed) and pay its year."""
    plan = plan_argument(plan)
    if plan.versions:  # a plan that changes from a month on: versioned.py
        return pay_versions(plan, pay_framed)
    framed = frame_plan(plan)
    return pay_framed(plan, calibrate_framed(plan, framed), framed)


def pay(plan: Plan, calibration: Calibration) -> Result:
    """Pay every plan month with all its actuals at ``calibration``'s scale and weights.

    A month is paid once the shared metric and every functional metric have
    their actual; until then it is pending. A per-year cap follows each
    member through each plan year (12 plan months from the plan's start).
    A plan with later versions takes ``calibration`` as its first version's and
    pays each month by the version in force for it. A calibration made for
    another plan is refused (:class:`~jointbonus.CalibrationError`): only its
    actuals may differ from the plan calibrated.
    """
    plan = plan_argument(plan)
    calibration = calibration_argument(calibration)
    check_calibration(plan, calibration)
    if plan.versions:
        return pay_versions(plan, pay_framed, calibration)
    framed, _ = calibrated_months(plan, calibration)
    return pay_framed(plan, calibration, framed)


def pay_framed(
    plan: Plan,
    calibration: Calibration,
    framed: Framed,
    governed: range | None = None,
    year_to_date: YearToDate | None = None,
) -> Result:
    """:func:`pay`, with the plan's months already framed.

    ``governed`` pays only the plan months at those indices (the months a
    version of the plan governs: :mod:`jointbonus.sharedtarget.versioned`).
    ``year_to_date``, when given, is what the members were paid earlier in
    the plan year (by the versions before) and follows the months paid here
    whether or not ``plan`` caps the year, for the versions after.
    """
    frames = framed.months if governed is None else framed.months[governed.start : governed.stop]
    terms = calibration.terms
    per_year = plan.functional.caps.per_year is not None
    carried = year_to_date is not None
    inherited = year_to_date.copy() if year_to_date is not None else None
    if year_to_date is None:
        year_to_date = YearToDate()
    teams = len(plan.functional.terms)
    earned_shared = [0] * teams
    earned_functional = [0] * teams
    months: list[MonthResult] = []
    pays: list[MonthPay | None] = []
    advancing = _Advancing(plan, framed)
    month_lines = YearLines(plan, framed).month
    for frame in frames:
        index = frame.index
        year_to_date.start(index)
        advancing.enter(frame)
        plan_month = frame.plan_month
        attainments = actual_attainments(plan, plan_month, index)
        longer = plan.goals_over_longer
        over = None  # the goals' longer period, in the month that ends it
        if attainments is not None and longer and ends_goal_period(plan, index):
            over = longer_attainments(plan, index)
            if over is None:
                attainments = None
        gate_reads: tuple[Fraction, ...] = ()
        gated = plan.functional.gates.shared is not None
        if attainments is not None and longer and frame.closes and gated:
            # The shared gate reads each goal over the shared period it gates.
            found = plan.shared_gate_reads(index)
            attainments = None if found is None else attainments
            gate_reads = found or ()
        if attainments is not None and frame.own is not None and frame.closes and not longer:
            whole = period_goals(plan, frame)  # the shared gate reads the goals' period
            if whole is None:
                attainments = None
        if attainments is not None and frame.closes and plan.goals_over_period:
            whole = period_goals(plan, frame)  # the goals are paid over the period too
            attainments = None if whole is None else (attainments[0], whole)
        within = within_period(plan, frame)
        if attainments is None:
            view = MonthView(index, pending=True, period=within.pending)
            lines = month_lines(view, None)
            if advancing.on(frame):
                lines = advance_lines(plan, lines, index, (), ends=frame.closes)
            months.append(
                MonthResult(
                    plan.months[index],
                    MonthStatus.PENDING,
                    None,
                    None,
                    None,
                    None,
                    0,
                    lines,
                    **_weights(plan, frame),
                    shared_period=within.label,
                    ends_period=within.ends,
                )
            )
            pays.append(None)
            continue
        if not frame.closes and frame.own is not None and not longer:  # pays its goals
            attainment, known = attainments
            outcome = period_outcome(plan, attainment, known)
            month_pay = share_out(plan, frame, terms, outcome, year_to_date if per_year else None)
            goals = _goal_results(
                plan, index, attainment, known=known, outcome=outcome, month_pay=month_pay
            )
            view = MonthView(
                index, False, None, None, (), goals, within.inside, month_attainment=attainment
            )
            lines = month_lines(view, month_pay)
            advances: tuple[int, ...] = ()
            if advancing.on(frame):  # the period's shared part, beside the month's goals
                goals_paid = member_pay(frame, month_pay)
                room = cap_room(plan, goals_paid)
                ceiling = (
                    advancing.year_room(frame, terms, year_to_date, goals_paid)
                    if per_year
                    else None
                )
                advances = advancing.advance(frame, terms, None, room, ceiling)
                lines = advance_lines(plan, lines, index, advances, ends=False)
            held, forfeited = _held(plan, frame, month_pay)
            months.append(
                MonthResult(
                    plan_month,
                    MonthStatus.PAID,
                    None,
                    None,
                    None,
                    None,
                    month_pay.paid,
                    lines,
                    held=held,
                    forfeited=forfeited,
                    capped=month_pay.capped,
                    goals=goals,
                    splits=_splits(plan, frame, terms, outcome, month_pay),
                    **_goal_weights(plan, frame),
                    shared_period=within.label,
                    ends_period=within.ends,
                    advances=advances,
                )
            )
            pays.append(month_pay)
            if per_year or carried:  # the year so far counts the goals in their month
                month_pay.record(year_to_date)
            _add_earnings(plan, frame, month_pay, earned_shared, earned_functional)
            continue
        if not frame.closes:
            month_pay = share_out(plan, frame, terms, nothing_paid(plan), None)
            advances = advancing.advance(frame, terms, year_to_date if per_year else None)
            view = MonthView(index, pending=False, period=within.inside)
            lines = month_lines(view, month_pay)
            if advances:
                lines = advance_lines(plan, lines, index, advances, ends=False)
            months.append(
                MonthResult(
                    plan_month,
                    MonthStatus.PAID,
                    None,
                    None,
                    None,
                    None,
                    0,
                    lines,
                    **_weights(plan, frame),
                    shared_period=within.label,
                    ends_period=within.ends,
                    advances=advances,
                )
            )
            pays.append(month_pay)
            continue
        attainment, known = attainments
        month_attainment = None
        if longer:  # the shared period's part, and the goals of a longer period at its end
            outcome = goal_period_outcome(plan, attainment, over, gate_reads)
            if over is not None:
                month_attainment, known = over
        elif frame.own is not None:  # the period's shared part, and the month's goals
            month_attainment = _own_attainment(plan, index)
            outcome = period_outcome(
                plan, month_attainment, known, (attainment, period_goals(plan, frame) or ())
            )
        else:
            outcome = outcome_at(plan, attainment, known)
        month_pay = share_out(plan, frame, terms, outcome, year_to_date if per_year else None)
        goals = (
            ()
            if longer and over is None
            else _goal_results(
                plan,
                index,
                attainment if month_attainment is None else month_attainment,
                known=known,
                outcome=outcome,
                month_pay=month_pay,
            )
        )
        team_factors = tuple(outcome.shared_for(t) for t in range(teams)) if plan.weighted else ()
        view = MonthView(
            index,
            False,
            attainment,
            outcome.shared,
            team_factors,
            goals,
            month_attainment=month_attainment,
            goals_later=goals_paid_later(plan, index),
        )
        lines = month_lines(view, month_pay)
        advanced = advancing.settle(frame)
        if advanced:
            lines = advance_lines(plan, lines, index, advanced, ends=True)
        held, forfeited = _held(plan, frame, month_pay)
        splits = _splits(plan, frame, terms, outcome, month_pay)
        months.append(
            MonthResult(
                plan_month,
                MonthStatus.PAID,
                attainment,
                outcome.shared,
                attainment >= 1,
                month_pay.shared.pool,
                month_pay.paid,
                lines,
                held=held,
                forfeited=forfeited,
                capped=month_pay.capped,
                goals=goals,
                team_factors=team_factors,
                splits=splits,
                **(
                    _weights(plan, frame) if longer and over is None else _goal_weights(plan, frame)
                ),
                shared_period=within.label,
                ends_period=within.ends,
                advanced=advanced,
            )
        )
        pays.append(month_pay)
        if per_year or carried:
            month_pay.record(year_to_date)
        if plan.weighted:
            _add_earnings(plan, frame, month_pay, earned_shared, earned_functional)
    realised = (
        tuple(
            RealisedWeight(t.team, s, f)
            for t, s, f in zip(plan.functional.terms, earned_shared, earned_functional, strict=True)
        )
        if plan.weighted
        else ()
    )
    summary = _summary(plan, calibration, frames, months, pays, inherited=inherited)
    return Result(plan, calibration, tuple(months), summary, realised)


def _own_attainment(plan: Plan, index: int) -> Fraction:
    """The shared attainment of plan month ``index`` alone (its actual is known)."""
    month = plan.months[index]
    return Fraction(month.actual or 0) / month.target


def _goal_results(
    plan: Plan,
    index: int,
    gate_reads: Fraction,
    *,
    known: Sequence[Fraction],
    outcome: Outcome,
    month_pay: MonthPay,
) -> tuple[GoalResult, ...]:
    """Each goal's month: its figures, factor, pool and gates; ``gate_reads`` is the shared
    attainment the functional gate and the goals' own gates read."""
    metrics = {m.name: m for m in plan.functional.metrics}
    gate = plan.functional.gates.functional
    closed = goal_gates_closed(plan, gate_reads, known) or (False,) * len(known)
    period = (
        plan.goal_period_at(index)
        if plan.goals_over_longer
        else plan.period_of(plan.months[index].month)
        if plan.goals_over_period
        else None
    )

    def figures(metric: str) -> tuple[Fraction, Decimal]:
        months = metrics[metric].months
        if period is None:
            return months[index].target, months[index].actual or Decimal(0)
        # Its targets and actuals summed (a counted share: its parts, and the part its
        # targets ask of its wholes), as its attainment over the period reads them.
        found = metrics[metric].over(period.first, period.last)
        if found is None:
            raise ValueError("a goal's figures over a period are read once the period is in")
        return found

    return tuple(
        GoalResult(
            goal=goal,
            target=figures(goal.metric)[0],
            actual=figures(goal.metric)[1],
            attainment=goal_attainment,
            factor=factor,
            gated=gate is not None and gate_reads < gate,
            pool=part.pool,
            goal_gated=shut,
        )
        for goal, goal_attainment, factor, part, shut in zip(
            plan.goals, known, outcome.functional, month_pay.functional, closed, strict=True
        )
    )


class _Advancing:
    """The advances paid so far in the current shared period, member by member, and who
    has been active in it (:mod:`jointbonus.sharedtarget.pay.advances`)."""

    __slots__ = ("_active", "_framed", "_most", "_paid", "_plan")

    def __init__(self, plan: Plan, framed: Framed) -> None:
        self._plan = plan
        self._framed = framed
        self._paid: list[int] = []
        self._active: list[bool] = []
        self._most: dict[int, list[int]] = {}

    def on(self, frame: MonthFrame) -> bool:
        """Whether ``frame``'s month pays advances or a true-up (a plan with advances)."""
        return self._plan.advance is not None and frame.period is not None

    def enter(self, frame: MonthFrame) -> None:
        """Enter ``frame``'s month: a period's first month starts with nothing advanced."""
        period = frame.period
        if self._plan.advance is None or period is None:
            return
        if frame.index == period.first:
            size = len(self._plan.members)
            self._paid = [0] * size
            self._active = [False] * size
        for units, positions in zip(frame.units, frame.groups.positions, strict=True):
            if units:
                for position in positions:
                    self._active[position] = True

    def advance(
        self,
        frame: MonthFrame,
        terms: Terms,
        year_to_date: YearToDate | None,
        room: Sequence[int] | None = None,
        ceiling: Sequence[int] | None = None,
    ) -> tuple[int, ...]:
        """Each member's advance in ``frame``'s month, inside its period, with its actual;
        ``room``, by member place, the most each can be advanced in it (a cap per month
        beside the month's goals: :func:`~jointbonus.sharedtarget.pay.advances.cap_room`),
        and ``ceiling`` the most each can be advanced in the period to date (a cap per year
        beside them: :meth:`year_room`)."""
        period = frame.period
        if self._plan.advance is None or period is None:
            return ()
        end = self._framed.months[period.last]
        to_date = advance_to_date(
            self._plan, end, terms, frame.index, active=self._active, year_to_date=year_to_date
        )
        if ceiling is not None:
            to_date = [min(a, c) for a, c in zip(to_date, ceiling, strict=True)]
        month = tuple(max(0, a - p) for a, p in zip(to_date, self._paid, strict=True))
        if room is not None:
            month = tuple(min(m, r) for m, r in zip(month, room, strict=True))
        self._paid = [p + m for p, m in zip(self._paid, month, strict=True)]
        return month

    def year_room(
        self,
        frame: MonthFrame,
        terms: Terms,
        year_to_date: YearToDate,
        goals_paid: Sequence[int],
    ) -> list[int] | None:
        """Each member's room under the cap per year for the advances to date of
        ``frame``'s period, in its month beside the goals it pays (``goals_paid``, by
        member place): :func:`~jointbonus.sharedtarget.pay.advances.year_room`, the goals'
        most in the period's months after it and before its end kept for them."""
        period = frame.period
        if period is None:
            return None
        plan = self._plan
        size = len(plan.members)
        paid = year_to_date.by_member(frame.groups.positions, size)
        paid = [p + g for p, g in zip(paid, goals_paid, strict=True)]
        still = [0] * size
        for index in range(frame.index + 1, period.last):
            most = self._most.get(index)
            if most is None:
                most = self._most[index] = goals_most(plan, self._framed.months[index], terms)
            still = [s + m for s, m in zip(still, most, strict=True)]
        return year_room(plan, paid, still)

    def settle(self, frame: MonthFrame) -> tuple[int, ...]:
        """At a period's end: each member's advances paid in it (their true-up is their pay
        less this); ``()`` without advances."""
        if self._plan.advance is None or frame.period is None:
            return ()
        return tuple(self._paid)


def _goal_weights(plan: Plan, frame: MonthFrame) -> dict[str, Any]:
    """:func:`_weights`, and in a month that pays its goals on its own frame, that frame's
    weights (``goal_weights``)."""
    weights = _weights(plan, frame)
    own = frame.own
    if own is None:
        return weights
    figures = _weights(plan, own)
    by_place = [Fraction(0)] * len(plan.members)
    for units, places in zip(own.units, own.groups.positions, strict=True):
        for place in places:
            by_place[place] = Fraction(units, FTE_SCALE * own.days)
    weights["goal_weights"] = GoalWeights(
        figures["total_split_weight"],
        figures["team_split_weights"],
        own.weighting,
        tuple(by_place),
    )
    return weights


def _weights(plan: Plan, frame: MonthFrame) -> dict[str, Any]:
    """The members taking part in the month's split, their eligible weights summed, and
    their split weights summed, in all and team by team."""
    sharing = 0
    units = 0
    for split, unit, count in zip(frame.split, frame.units, frame.groups.counts, strict=True):
        if split:
            sharing += count
            units += unit * count
    teams = team_split_weights(plan, frame) if plan.weighted else []
    return {
        "sharing": sharing,
        "total_weight": Fraction(units, FTE_SCALE * frame.days),
        "total_split_weight": frame.total_split_weight,
        "team_split_weights": tuple(teams),
        "weighting": frame.weighting,
    }


def _splits(
    plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome, month_pay: MonthPay
) -> tuple[PartSplit, ...]:
    """How each part of a month was shared out: each group's weight and shares.

    A member's weight in the shared part is their split weight, times, in a
    plan with goals, their team's shared weight x the factor its shared part
    pays at; in a goal's part, their split weight if the goal is their team's. A
    member who moves team during the month counts the split weight of their days in
    each team.
    """
    groups = frame.groups
    if plan.weighted:
        teams = range(len(plan.functional.terms))
        slices = [tuple(terms.weight(t) * outcome.shared_for(t) for t in teams)]
        for team in goal_teams(plan):
            slices.append(tuple(_ONE if t == team else _ZERO for t in teams))
    else:
        slices = [(_ONE,)]
    names = ["shared", *(goal.key for goal in plan.goals)]
    # Beside a longer shared period the goals are shared out on the month's own weights.
    frames = [frame, *[frame.own or frame] * len(plan.goals)]
    mixed = [
        {
            group: sum((part_slices[t] * value for t, value in mix), _ZERO)
            for group, mix in part_frame.groups.mixes.items()
            if part_frame.split[group]
        }
        for part_slices, part_frame in zip(slices, frames, strict=True)
    ]
    return tuple(
        PartSplit(
            name,
            part.pool,
            part.exact,
            groups.positions,
            split,
            groups.teams,
            part_slices,
            part.shares,
            part_mixed,
        )
        for name, part, part_slices, part_mixed, split in zip(
            names, month_pay.parts, slices, mixed, (f.split for f in frames), strict=True
        )
    )


_ONE = Fraction(1)
_ZERO = Fraction(0)


def _add_earnings(
    plan: Plan, frame: MonthFrame, month_pay: MonthPay, shared: list[int], functional: list[int]
) -> None:
    """Add each team's shared and functional earnings of the month, before caps."""
    groups = frame.groups
    for share, count, team in zip(
        month_pay.shared.shares, groups.counts, groups.teams, strict=True
    ):
        shared[team] += share.total(count)
    # A functional part is earned in its goal's team (by a member who moves team during
    # the month, on the days in that team).
    for part, team in zip(month_pay.functional, goal_teams(plan), strict=True):
        for share, count in zip(part.shares, groups.counts, strict=True):
            functional[team] += share.total(count)


def _held(plan: Plan, frame: MonthFrame, month_pay: MonthPay) -> tuple[int, int]:
    """What the month holds back until the year end, and how much of it is forfeited."""
    if not plan.holdback:
        return 0, 0
    held = forfeited = 0
    groups = frame.groups
    for group, (count, gone) in enumerate(zip(groups.counts, groups.forfeits, strict=True)):
        amount = start = 0
        for end, amounts, cut in month_pay.slices(group, count):
            amount += held_back(plan, sum(amounts) - cut) * (end - start)
            start = end
        held += amount
        if gone:
            forfeited += amount
    return held, forfeited


def _summary(
    plan: Plan,
    calibration: Calibration,
    frames: Sequence[MonthFrame],
    months: Sequence[MonthResult],
    pays: Sequence[MonthPay | None],
    *,
    inherited: YearToDate | None = None,
) -> PlanSummary:
    done = [m for m in months if m.status is MonthStatus.PAID]
    # What the months cost: earned, less what leavers forfeit of the holdback.
    paid_to_date = sum(m.paid - m.forfeited for m in done)
    expected_by_month = {e.month: e.expected_cost for e in calibration.months}
    expected_to_date = sum((expected_by_month[m.month] for m in done), Fraction(0))
    if paying := [m for m in done if m.ends_period]:
        pace = _mean_outcome(plan, paying)
        terms = calibration.terms
        per_year = plan.functional.caps.per_year is not None
        year_to_date = YearToDate() if inherited is None else inherited
        rest = 0
        for frame, month_pay in zip(frames, pays, strict=True):
            year_to_date.start(frame.index)
            paid_as = month_pay
            if month_pay is None:
                cost = month_cost(plan, frame, terms, pace, year_to_date if per_year else None)
                rest += cost.paid
                paid_as = cost.pay
            if per_year and paid_as is not None:
                paid_as.record(year_to_date)
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


def _mean_outcome(plan: Plan, done: Sequence[MonthResult]) -> Outcome:
    """Each factor's mean over the months paid: the pace the pending months are costed at."""
    count = len(done)
    teams = len(done[0].team_factors)
    goals = len(plan.goals) if plan.weighted else 0

    def mean(values: Sequence[Fraction]) -> Fraction:
        return sum(values, Fraction(0)) / count

    team_shared: tuple[Fraction, ...] = ()
    if plan.weighted and plan.functional.gates.shared is not None:
        team_shared = tuple(mean([m.team_factors[t] for m in done]) for t in range(teams))
    # Goals over a period longer than the shared one are paid in the months that end it.
    with_goals = [m for m in done if m.goals]
    return Outcome(
        mean([m.factor or Fraction(0) for m in done]),
        team_shared,
        tuple(
            sum((m.goals[g].factor for m in with_goals), Fraction(0)) / len(with_goals)
            if with_goals
            else Fraction(0)
            for g in range(goals)
        ),
    )
