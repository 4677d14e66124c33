"""A month's payout outcome: each part's payout factor after the gates, and the terms.

A member of team ``t`` earns, per unit of their target amount::

    w_t x shared factor (0 where the shared gate closes t's shared part)
        + (1 - w_t) x sum over t's goals of goal weight x goal factor (0 where the
          functional gate, or the goal's own gate, is closed)

:class:`Outcome` holds the factors of one month (a real one, or a historical
scenario); :class:`Terms` what calibration fixes (the scale and each team's
nominal shared weight). :func:`brackets` is that sum, per team.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from jointbonus.sharedtarget.goals import Goal
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.plan import Plan, PlanMonth

__all__ = [
    "Outcome",
    "Terms",
    "actual_attainments",
    "brackets",
    "ends_goal_period",
    "goal_gates_closed",
    "goal_period_outcome",
    "goal_teams",
    "goals_paid_later",
    "longer_attainments",
    "nothing_paid",
    "outcome_at",
    "period_goals",
    "period_outcome",
]

_ONE = Fraction(1)
_ZERO = Fraction(0)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A month's payout factors: the shared goal's and each functional goal's, after gates.

    ``team_shared`` holds, per team of ``plan.functional.terms``, the factor
    its shared part pays at: the shared factor, or 0 where the shared gate is
    closed (empty: the shared factor for every team). ``functional`` holds
    each goal's factor in ``plan.goals`` order, 0 where the functional gate
    is closed.
    """

    shared: Fraction
    team_shared: tuple[Fraction, ...] = ()
    functional: tuple[Fraction, ...] = ()

    def shared_for(self, team: int) -> Fraction:
        return self.team_shared[team] if self.team_shared else self.shared

    @property
    def shared_pays(self) -> bool:
        """Whether the shared part can pay at this outcome (to some team, after the gates)."""
        return any(self.team_shared) if self.team_shared else bool(self.shared)

    @property
    def pays(self) -> bool:
        """Whether any part can pay at this outcome."""
        return self.shared_pays or any(self.functional)


@dataclass(frozen=True, slots=True)
class Terms:
    """What calibration fixes: the scale and each team's nominal shared weight."""

    scale: Fraction
    """Pool at target per month (major units) or target bonus multiplier."""
    weights: tuple[Fraction, ...] = ()
    """Shared weight w per team of ``plan.functional.terms``; empty means 1 for all."""

    def weight(self, team: int) -> Fraction:
        return self.weights[team] if self.weights else _ONE


def nothing_paid(plan: Plan) -> Outcome:
    """The outcome of a month inside a longer shared period that a later month pays: every
    factor 0, the shared part's and, when the goals run over the period or a longer one,
    each goal's."""
    goals = len(plan.goals) if plan.goals_over_period or plan.goals_over_longer else 0
    return Outcome(_ZERO, functional=(_ZERO,) * goals)


def actual_attainments(
    plan: Plan, plan_month: PlanMonth, index: int
) -> tuple[Fraction, tuple[Fraction, ...]] | None:
    """The shared attainment of ``plan_month`` (plan month ``index``, or the longer shared
    period it ends, as framed) and each goal's in month ``index`` (by ``plan.goals``), from
    their actuals; ``None`` while the shared metric or any goal's metric has no actual yet
    (the month is pending; for a goal over the period, a month whose counts have nothing
    to divide is in)."""
    if plan_month.actual is None:
        return None
    metrics = {metric.name: metric for metric in plan.functional.metrics}
    goals = []
    for goal in plan.goals:
        metric = metrics[goal.metric]
        attainment = metric.attainment(index)
        if attainment is None and goal.over_period and metric.months[index].counts is not None:
            # A month whose counts have nothing to divide is in, without a share of its own:
            # a goal over the period reads the period's counts (period_goals), not the month.
            attainment = _ZERO
        if attainment is None:
            return None
        goals.append(attainment)
    return Fraction(plan_month.actual) / plan_month.target, tuple(goals)


def outcome_at(
    plan: Plan, shared_attainment: Fraction, goal_attainments: Sequence[Fraction] = ()
) -> Outcome:
    """The payout factors at a month's attainments (``goal_attainments`` by ``plan.goals``).

    Functional gate: no functional part pays below it (shared attainment).
    A goal's own gate: that goal pays only if the attainment its gate reads
    (the shared goal's or another metric's) reaches it.
    Shared gate: a team's shared part pays only if each of its goals reaches it.
    """
    shared = plan.curve.factor(shared_attainment)
    if not plan.weighted:
        return Outcome(shared)
    gates = plan.functional.gates
    goals = plan.goals
    functional_open = gates.functional is None or shared_attainment >= gates.functional
    factors = tuple(
        goal.curve.factor(a) if functional_open else _ZERO
        for goal, a in zip(goals, goal_attainments, strict=True)
    )
    closed = _closed(goals, shared_attainment, goal_attainments)
    if any(closed):
        factors = tuple(_ZERO if shut else f for f, shut in zip(factors, closed, strict=True))
    if gates.shared is None:
        return Outcome(shared, (), factors)
    return Outcome(shared, _team_shared(plan, shared, goal_attainments), factors)


def _team_shared(
    plan: Plan, shared: Fraction, gate_reads: Sequence[Fraction]
) -> tuple[Fraction, ...]:
    """Per team: ``shared`` (the shared factor), or 0 where one of the team's goals reads
    (``gate_reads``, by ``plan.goals``) below the shared gate."""
    gate = plan.functional.gates.shared
    goals = plan.goals
    return tuple(
        shared
        if gate is None
        or all(a >= gate for g, a in zip(goals, gate_reads, strict=True) if g.team == t.team)
        else _ZERO
        for t in plan.functional.terms
    )


def period_outcome(
    plan: Plan,
    month_shared: Fraction,
    goal_attainments: Sequence[Fraction],
    period: tuple[Fraction, Sequence[Fraction]] | None = None,
) -> Outcome:
    """A month's outcome in a plan with functional goals and a longer shared period.

    ``month_shared`` is the shared attainment of the month alone and
    ``goal_attainments`` the goals' in the month (by ``plan.goals``);
    ``period``, for the month that ends its period, the shared attainment
    over the period and each goal's (summed actuals / summed targets). A month
    inside a period (``period`` is ``None``) pays no shared part: the month
    that ends it does.

    A gate reads the attainment over the period of the part it gates: the
    shared part is the period's, so the shared gate reads each goal over the
    period; a goal's part is the month's, so the functional gate and a goal's
    own gate read the shared goal (and any other metric) over the month.
    """
    month = outcome_at(plan, month_shared, goal_attainments)
    if period is None:
        return Outcome(_ZERO, (), month.functional)
    whole = outcome_at(plan, period[0], period[1])
    return Outcome(whole.shared, whole.team_shared, month.functional)


def period_goals(plan: Plan, frame: MonthFrame) -> tuple[Fraction, ...] | None:
    """Each goal's attainment (by ``plan.goals``) over the longer shared period that
    ``frame``'s month ends (:meth:`~jointbonus.sharedtarget.plan.Plan.goals_over`); ``None``
    while any month of the period has no actual for it yet."""
    period = frame.period
    if period is None:
        raise ValueError("a goal's attainment over a period is read in a longer shared period")
    return plan.goals_over(period)


def goal_gates_closed(
    plan: Plan, shared_attainment: Fraction, goal_attainments: Sequence[Fraction]
) -> tuple[bool, ...]:
    """Per goal of ``plan.goals``, whether its own gate is closed at these attainments.

    Empty when no goal has a gate of its own.
    """
    return _closed(plan.goals, shared_attainment, goal_attainments)


def _closed(
    goals: Sequence[Goal], shared_attainment: Fraction, goal_attainments: Sequence[Fraction]
) -> tuple[bool, ...]:
    if all(goal.gate is None for goal in goals):
        return ()
    attainments = {g.metric: a for g, a in zip(goals, goal_attainments, strict=True)}
    return tuple(
        goal.gate is not None and not goal.gate.opens(shared_attainment, attainments)
        for goal in goals
    )


def goal_teams(plan: Plan) -> list[int]:
    """The team (its place in ``plan.functional.terms``) of each goal of ``plan.goals``."""
    teams = {terms.team: index for index, terms in enumerate(plan.functional.terms)}
    return [teams[goal.team] for goal in plan.goals]


def brackets(plan: Plan, terms: Terms, outcome: Outcome) -> list[Fraction]:
    """Per team: ``w x shared factor (if open) + (1 - w) x sum of goal weight x factor``.

    A plan on the shared goal alone has one entry: the shared factor.
    """
    if not plan.weighted:
        return [outcome.shared]
    result = []
    teams = goal_teams(plan)
    for team, _ in enumerate(plan.functional.terms):
        w = terms.weight(team)
        value = w * outcome.shared_for(team)
        for goal, goal_team, factor in zip(plan.goals, teams, outcome.functional, strict=True):
            if goal_team == team:
                value += (1 - w) * goal.weight * factor
        result.append(value)
    return result


# -- goals over a period longer than the shared one (pay/goalperiods.py frames them) --


def ends_goal_period(plan: Plan, index: int) -> bool:
    """Whether plan month ``index`` ends a goal period that is longer than the shared one
    (and so pays its goals)."""
    return plan.goals_over_longer and plan.goal_period_at(index).last == index


def longer_attainments(plan: Plan, index: int) -> tuple[Fraction, tuple[Fraction, ...]] | None:
    """In the month ``index`` that ends a goal period: the shared attainment over it and
    each goal's (by ``plan.goals``), each its actuals summed / its targets summed;
    ``None`` while a month of the period has no actual for one of them yet."""
    period = plan.goal_period_at(index)
    goals = plan.goals_over(period)
    if goals is None:
        return None
    shared = plan.attainment_over(period)
    if shared is None:
        return None
    return shared, goals


def goal_period_outcome(
    plan: Plan,
    shared_attainment: Fraction,
    over: tuple[Fraction, tuple[Fraction, ...]] | None,
    gate_reads: Sequence[Fraction] = (),
) -> Outcome:
    """A shared period's outcome in a plan whose goals run over a longer period: the shared
    factor at ``shared_attainment`` (the shared period's), and in the month that ends a
    goal period the goals' factors at ``over`` (the shared attainment over the goal period
    and each goal's, which the functional gate and the goals' own gates read); every
    goal's factor 0 elsewhere (``over`` is ``None``).

    With a shared gate, ``gate_reads`` is each goal's attainment (by ``plan.goals``) over
    the shared period (:meth:`~jointbonus.sharedtarget.plan.Plan.shared_gate_reads`): the
    gate reads the period whose shared part it gates, while the goals are paid over
    their own."""
    if over is None:
        goals: tuple[Fraction, ...] = (_ZERO,) * len(plan.goals)
    else:
        goals = outcome_at(plan, over[0], over[1]).functional
    shared = plan.curve.factor(shared_attainment)
    if plan.functional.gates.shared is None:
        return Outcome(shared, (), goals)
    return Outcome(shared, _team_shared(plan, shared, gate_reads), goals)


def goals_paid_later(plan: Plan, index: int) -> str:
    """What the lines of month ``index`` say of goals paid at their longer period's end
    (``""`` in the month that ends it, or in a plan whose goals run otherwise)."""
    if not plan.goals_over_longer or ends_goal_period(plan, index):
        return ""
    period = plan.goal_period_at(index)
    return f"goals over {period.label} are paid at its end, {period.end}"
