"""Calibration: the scale that makes the plan cost what the old plan cost.

The plan's **scale** is the pool at target per month (pool funding) or the
multiplier on every target bonus (individual funding). Everything the plan
pays is proportional to it before rounding, so the expected cost is linear in
the scale and the neutral scale is exact::

    scale = budget / unit_cost

``unit_cost`` is the plan's cost at scale 1, by the plan's neutrality:

``expected_cost`` (default)
    The average, over the historical attainment sample, of what the plan
    would pay in its months to its roster. Each historical month is equally
    likely and supplies the attainment of every plan month in that scenario
    (scaled by ``norm / target`` where the targets are derived from the norm).
``norm_path``
    What the plan would pay with every month exactly at the norm: the mean
    historical attainment.

The scale is kept exact (a fraction). After rounding to minor units the
expected cost differs from the budget by the **residual**, which is at most
half a minor unit per rounded amount (each paid pool under pool funding,
each paid line under individual funding); both are reported.

With functional goals, a historical month supplies the attainment of the
shared goal and of every functional metric together (an **outcome**: each
part's payout factor after the gates), and each team's nominal shared weight
is solved first for its wanted expected split (:mod:`jointbonus.sharedtarget.weighting`);
both are linear in the scale, so the scale stays exact.

**Caps** make the cost concave rather than linear in the scale. Calibration
then reads the history as whole plan years: path ``p`` takes historical month
``(p + j) mod H`` for plan month ``j``, so every month still sees each
historical month exactly once, and a per-year cap sees a real run of months.
Beside functional goals paid month by month with a longer shared period, the
sample is of whole historical periods (the joint sample): path ``p`` takes
historical period ``(p + k) mod H`` for the plan's period ``k``, its months
together, and a month's amounts are its shared part on the period's weights
plus its goals on its own, as the engine pays them.
The exact (unrounded, capped) cost is piecewise linear and concave in the
scale: the scale solving ``expected cost = budget`` is found by sweeping its
kinks in order to the segment that reaches the budget, and solving the line
there; if the caps keep the cost below the budget at any scale, calibration
says so.

A plan that would pay nothing at historical performance cannot be calibrated:
:func:`calibrate` raises :class:`~jointbonus.errors.CalibrationError` saying
what to change.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction
from heapq import merge
from math import lcm
from typing import TypeVar

from jointbonus.core.history import Norm
from jointbonus.core.number import percent_text
from jointbonus.core.periods import YEAR, Month, plan_years
from jointbonus.core.plan_periods import Period, period_months, summed_attainment
from jointbonus.errors import CalibrationError, argument
from jointbonus.sharedtarget.goals import Metric
from jointbonus.sharedtarget.pay.caps import YearToDate
from jointbonus.sharedtarget.pay.cost import (
    ExactCosts,
    LineTable,
    MonthCoster,
    costers_for,
    part_targets,
)
from jointbonus.sharedtarget.pay.groups import Framed, MonthFrame
from jointbonus.sharedtarget.pay.outcome import (
    Outcome,
    Terms,
    brackets,
    ends_goal_period,
    goal_period_outcome,
    nothing_paid,
    outcome_at,
    period_outcome,
)
from jointbonus.sharedtarget.pay.paths import (
    at_least,
    covers,
    outcome_keys,
    path_costs,
    set_bits,
)
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.pay.sharing import (
    member_parts,
    member_values,
    month_units,
    team_rates,
)
from jointbonus.sharedtarget.plan import FundingStyle, Neutrality, Plan, Split, plan_argument
from jointbonus.sharedtarget.weighting import (
    TeamWeight,
    expected_split,
    solve_weights,
    team_earnings,
)

__all__ = [
    "Calibration",
    "CalibrationWork",
    "MonthExpectation",
    "calibrate",
    "calibrate_framed",
    "calibrated_months",
    "calibration_argument",
    "check_calibration",
    "norm_outcome",
    "path_runs",
    "path_scenarios",
    "path_step",
    "plan_fingerprint",
    "scenario_factors",
    "scenario_outcomes",
    "scenario_table",
]


_ZERO = Fraction(0)
_K = TypeVar("_K")  # what tells a month's outcomes apart on the paths


@dataclass(frozen=True, slots=True)
class MonthExpectation:
    """What calibration expects of one plan month."""

    month: Month
    norm_attainment: Fraction
    """Attainment at the norm: mean historical attainment x norm / target."""
    hit_rate: Fraction
    """Share of historical scenarios in which the month pays anything."""
    shared_hit_rate: Fraction
    """Share of historical scenarios in which the month pays its shared part (to some team,
    after the gates): 0 in a month inside a longer shared period, which the month that
    ends it pays. Beside functional goals, ``hit_rate`` counts their pay too."""
    mean_factor: Fraction
    """Mean shared payout factor over the historical scenarios."""
    expected_cost: Fraction
    """Mean over the scenarios of what the month pays, in minor units (after rounding)."""
    norm_path_cost: int
    """What the month pays at the norm, in minor units."""
    mean_goal_factors: tuple[Fraction, ...] = ()
    """Mean payout factor of each functional goal (``plan.goals`` order), after the gates."""


@dataclass(frozen=True, slots=True)
class CalibrationWork:
    """What calibrating a plan built that paying it, and its cost risk, reuse.

    Framing the months walks the whole roster, and costing a month at every
    outcome walks its pay groups; both follow from the plan alone, so for an
    equal plan they are made once. Reach them with :func:`calibrated_months`.
    """

    plan: Plan
    framed: Framed
    costers: tuple[MonthCoster, ...]
    """Each plan month's coster at the calibrated terms, with every outcome costed so far
    (plans without caps; else empty)."""


def calibrated_months(
    plan: Plan, calibration: Calibration
) -> tuple[Framed, tuple[MonthCoster, ...]]:
    """``plan``'s months framed, and a coster a month at ``calibration``'s terms: those
    calibrating built when ``calibration`` was made from this plan (an equal one), else
    made anew."""
    work = calibration.work
    if work is not None and work.plan == plan:
        if work.costers:
            return work.framed, work.costers
        framed = work.framed
    else:
        framed = frame_plan(plan)
    return framed, costers_for(plan, framed.months, calibration.terms)


@dataclass(frozen=True, slots=True)
class Calibration:
    """The plan's scale and weights, and the evidence that they are neutral."""

    neutrality: Neutrality
    budget: int
    """The neutral budget B, minor units."""
    scale: Fraction
    """Pool at target per month (major units) or target bonus multiplier; exact."""
    calibrated: bool
    """True when the scale was solved for; False when the plan fixed it."""
    unit_cost: Fraction
    """The neutral cost at scale 1 before caps, major units."""
    expected_cost: Fraction
    """Expected cost after rounding, minor units (mean over the scenarios)."""
    norm_path_cost: int
    """Cost with every month at the norm, minor units."""
    residual: Fraction
    """Neutral cost after rounding minus the budget, minor units."""
    rounding_bound: Fraction
    """How far rounding can move the neutral cost: the residual's bound when calibrated."""
    scenarios: int
    """Number of historical months in the attainment sample."""
    months: tuple[MonthExpectation, ...]
    weights: tuple[TeamWeight, ...] = ()
    """Per team, the nominal, wanted and expected shared weight (plans with functional goals)."""
    paths: int = 0
    """Plan-year paths through history the caps were costed on (0: no caps)."""
    work: CalibrationWork | None = field(default=None, compare=False, repr=False)
    """What calibrating built, for paying the same plan and its cost risk to reuse
    (``None`` for a calibration made by hand)."""

    @property
    def within_bound(self) -> bool:
        return abs(self.residual) <= self.rounding_bound

    @property
    def plan_fingerprint(self) -> str | None:
        """The :func:`plan_fingerprint` of the plan this was calibrated for (``None`` for a
        calibration made by hand)."""
        return plan_fingerprint(self.work.plan) if self.work is not None else None

    @property
    def terms(self) -> Terms:
        """The scale and nominal weights the engine pays with."""
        return Terms(self.scale, tuple(w.nominal for w in self.weights))


def _design(plan: Plan) -> Plan:
    """``plan`` without what calibrating it never reads: its actuals, where it was read,
    and the share it advances (advances move pay within a period and cost nothing)."""
    return replace(
        plan,
        advance=None,
        months=tuple(replace(m, actual=None) for m in plan.months),
        members=(),
        functional=replace(
            plan.functional,
            metrics=tuple(
                replace(
                    metric,
                    months=tuple(replace(m, actual=None, counts=None) for m in metric.months),
                )
                for metric in plan.functional.metrics
            ),
        ),
        provenance=None,
        versions=tuple(replace(v, design=_design(v.design)) for v in plan.versions),
    )


def plan_fingerprint(plan: Plan) -> str:
    """A SHA-256 of everything calibrating ``plan`` depends on, in hex.

    Its design (curve, funding, budget, weights, gates, caps, versions), its
    months and their targets, its roster (each member with its changes) and
    its history; not its actuals, which arrive month by month after the plan
    is calibrated, nor the files it was read from, nor its advances (which
    move pay within a period and cost nothing). Two plans with the same
    fingerprint calibrate alike.
    """
    digest = hashlib.sha256(repr(_design(plan)).encode())
    for member in plan.members:
        digest.update(repr((member, member.changes)).encode())
    return digest.hexdigest()


def check_calibration(plan: Plan, calibration: Calibration) -> None:
    """Refuse a ``calibration`` made for another plan than ``plan`` (see :func:`plan_fingerprint`).

    A calibration made by hand (without the plan it came from) is taken as it is.
    """
    work = calibration.work
    if work is None or work.plan is plan:
        return
    # What the fingerprints compare, compared directly: no hashing of a large roster on
    # the way to paying a plan whose actuals arrived after it was calibrated.
    if work.plan.members == plan.members and _design(work.plan) == _design(plan):
        return
    made_for, given = plan_fingerprint(work.plan), plan_fingerprint(plan)
    if made_for != given:  # equal fingerprints: the same plan, told apart by no calibration
        raise CalibrationError(
            f"the calibration was made for another plan (fingerprint {made_for[:16]}...) than "
            f"the one given (fingerprint {given[:16]}...): its scale and weights would pay "
            "this plan wrongly; calibrate this plan (jointbonus.calibrate(plan)) and use that"
        )


def scenario_outcomes(plan: Plan, frame: MonthFrame) -> tuple[Outcome, ...]:
    """Each historical scenario's outcome in ``frame``'s month, in sample order."""
    index = frame.index
    plan_month = frame.plan_month
    if plan.goals_over_longer:  # goals over a period that holds several shared ones
        return _longer_goal_outcomes(plan, frame)
    if frame.own is not None:  # goals month by month, the shared target over a period
        return _joint_outcomes(plan, frame)
    if not frame.closes:  # inside a longer shared period: the month that ends it pays
        return (nothing_paid(plan),) * len(plan.norm.sample)
    ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
    if plan.goals_over_period:
        return _period_goal_outcomes(plan, frame, ratio)
    if not plan.weighted:
        return tuple(Outcome(plan.curve.factor(a * ratio)) for a in plan.norm.sample)
    metrics = {m.name: m for m in plan.functional.metrics}
    goal_metrics = [metrics[g.metric] for g in plan.goals]
    return tuple(
        outcome_at(
            plan,
            a * ratio,
            [m.scenario_attainment(h, index) for m in goal_metrics],
        )
        for h, a in enumerate(plan.norm.sample)
    )


def scenario_table(plan: Plan, frames: Sequence[MonthFrame]) -> list[tuple[Outcome, ...]]:
    """:func:`scenario_outcomes` of each of ``frames``, in order; on the shared goal alone a
    month's outcomes follow from its scenario ratio, so months of one ratio share them."""
    if plan.weighted:
        return [scenario_outcomes(plan, frame) for frame in frames]
    table = []
    made: dict[Fraction, tuple[Outcome, ...]] = {}
    for frame in frames:
        if not frame.closes:
            table.append(scenario_outcomes(plan, frame))
            continue
        plan_month = frame.plan_month
        ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
        outcomes = made.get(ratio)
        if outcomes is None:
            outcomes = made[ratio] = scenario_outcomes(plan, frame)
        table.append(outcomes)
    return table


def _period_goal_outcomes(plan: Plan, frame: MonthFrame, ratio: Fraction) -> tuple[Outcome, ...]:
    """Each historical period's outcome in the month that ends ``frame``'s period, in a plan
    whose goals run over the shared period: the historical period supplies the shared
    attainment over it and each goal's, every metric's norm being at the period's length
    (scenario ``h`` of each is one historical period)."""
    period = frame.period
    if period is None:
        raise ValueError("goals over a period are drawn in a plan with a longer period")
    ratios = _period_ratios(plan, frame.plan_month.month, period)
    return tuple(
        outcome_at(
            plan,
            a * ratio,
            [metric.norm.sample[h] * r for metric, r in ratios],
        )
        for h, a in enumerate(plan.norm.sample)
    )


def _period_ratios(plan: Plan, end: Month, period: Period) -> list[tuple[Metric, Fraction]]:
    """Each goal's metric (by ``plan.goals``) and the factor turning its historical period
    attainment into the plan period's: its norm's level over the period / its targets
    summed (1 under the 'targets' norm)."""
    metrics = {m.name: m for m in plan.functional.metrics}
    ratios = []
    for goal in plan.goals:
        metric = metrics[goal.metric]
        target = sum((m.target for m in metric.months[period.first : period.last + 1]), Fraction(0))
        ratios.append((metric, metric.norm.scenario_ratio(end, target)))
    return ratios


def _longer_goal_outcomes(plan: Plan, frame: MonthFrame) -> tuple[Outcome, ...]:
    """Each historical scenario's outcome in ``frame``'s month, in a plan whose goals run
    over a period longer than the shared one: scenario ``h`` is one historical shared
    period, which supplies the shared attainment, and the historical goal period it lies
    in supplies, in the month that ends a goal period, each goal's attainment over it
    and the shared one the gates of the goals read (the norms are cut so that every
    historical goal period holds the same number of scenarios:
    :func:`~jointbonus.sharedtarget.build.functional.longer_goal_norms`)."""
    if not frame.closes:  # inside a longer shared period: the month that ends it pays
        return (nothing_paid(plan),) * len(plan.norm.sample)
    plan_month = frame.plan_month
    ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
    gates = _gate_ratios(plan, frame.index)
    reads = [tuple(norm.sample[h] * r for norm, r in gates) for h in range(len(plan.norm.sample))]
    if not ends_goal_period(plan, frame.index):
        return tuple(
            goal_period_outcome(plan, a * ratio, None, read)
            for a, read in zip(plan.norm.sample, reads, strict=True)
        )
    shared, ratios = _longer_ratios(plan, frame.index)
    over = _goal_period_of_scenario(plan)
    return tuple(
        goal_period_outcome(
            plan,
            a * ratio,
            (shared[0].sample[g] * shared[1], tuple(m.norm.sample[g] * r for m, r in ratios)),
            read,
        )
        for a, g, read in zip(plan.norm.sample, over, reads, strict=True)
    )


def _gate_ratios(plan: Plan, index: int) -> list[tuple[Norm, Fraction]]:
    """With a shared gate beside goals over a longer period, in the month ``index`` that
    ends a shared period: each goal's norm over the shared period (by ``plan.goals``;
    :attr:`~jointbonus.sharedtarget.goals.Metric.gate_norm`, scenario ``h`` the shared
    norm's) and the factor turning its historical attainment into the plan period's:
    what the gate reads. Empty without a shared gate."""
    if plan.functional.gates.shared is None:
        return []
    period = plan.shared_period_at(index)
    metrics = {m.name: m for m in plan.functional.metrics}
    found = []
    for goal in plan.goals:
        ratio = _gate_ratio(plan, metrics[goal.metric], period)
        if ratio is None:
            raise ValueError("a shared gate beside longer goals reads each goal's gate norm")
        found.append(ratio)
    return found


def _gate_ratio(plan: Plan, metric: Metric, period: Period) -> tuple[Norm, Fraction] | None:
    """``metric``'s norm over the shared period (its
    :attr:`~jointbonus.sharedtarget.goals.Metric.gate_norm`, scenario ``h`` the shared
    norm's) and the factor turning its historical attainment into ``period``'s, which
    the shared gate reads; ``None`` when it has none."""
    norm = metric.gate_norm
    if norm is None:
        return None
    months = metric.months[period.first : period.last + 1]
    end = plan.months[period.last].month
    return norm, norm.scenario_ratio(end, sum((m.target for m in months), _ZERO))


def _longer_goal_norm(plan: Plan, frame: MonthFrame) -> Outcome:
    """:func:`norm_outcome` in a plan whose goals run over a longer period than the shared
    one: every metric at its norm, over the shared period and over the goals'."""
    if not frame.closes:
        return nothing_paid(plan)
    plan_month = frame.plan_month
    at_norm = plan.norm.mean_attainment * plan.norm.scenario_ratio(
        plan_month.month, plan_month.target
    )
    read = tuple(norm.mean_attainment * r for norm, r in _gate_ratios(plan, frame.index))
    if not ends_goal_period(plan, frame.index):
        return goal_period_outcome(plan, at_norm, None, read)
    shared, ratios = _longer_ratios(plan, frame.index)
    return goal_period_outcome(
        plan,
        at_norm,
        (
            shared[0].mean_attainment * shared[1],
            tuple(m.norm.mean_attainment * r for m, r in ratios),
        ),
        read,
    )


def _longer_ratios(
    plan: Plan, index: int
) -> tuple[tuple[Norm, Fraction], list[tuple[Metric, Fraction]]]:
    """In the month ``index`` that ends a goal period longer than the shared one: the
    shared metric's norm over the goals' period and the factor turning its historical
    attainment into the plan period's, and each goal's (:func:`_period_ratios`)."""
    period = plan.goal_period_at(index)
    norm = plan.goal_norm
    if norm is None:
        raise ValueError("a plan with goals over a longer period has the shared norm over it")
    end = plan.months[index].month
    target = sum((m.target for m in plan.months[period.first : period.last + 1]), Fraction(0))
    return (norm, norm.scenario_ratio(end, target)), _period_ratios(plan, end, period)


def _goal_period_of_scenario(plan: Plan) -> tuple[int, ...]:
    """Per scenario (a historical shared period of ``plan.norm``): the place in the goals'
    norms' sample of the historical goal period it lies in."""
    norm = plan.goal_norm
    if norm is None:
        raise ValueError("a plan with goals over a longer period has the shared norm over it")
    size = plan.goal_length.months
    starts = {start.index(): g for g, start in enumerate(norm.sample_months)}
    first = norm.sample_months[0].index()
    return tuple(starts[m.index() - (m.index() - first) % size] for m in plan.norm.sample_months)


def _joint_outcomes(plan: Plan, frame: MonthFrame) -> tuple[Outcome, ...]:
    """Each historical period's outcome in ``frame``'s month, in sample order, in a plan with
    functional goals and a longer shared period: the historical period supplies the
    shared attainment over the period, and its month in the same place as ``frame``'s
    supplies the shared attainment of the month and every goal's (the joint sample,
    :func:`~jointbonus.core.plan_periods.period_months`)."""
    period, monthly = frame.period, plan.month_norm
    if period is None or monthly is None:
        raise ValueError("a joint sample is drawn in a plan with goals and a longer period")
    metrics = {m.name: m for m in plan.functional.metrics}
    goal_metrics = [metrics[g.metric] for g in plan.goals]
    joint = period_months(plan.norm, monthly, plan.period)
    place = frame.index - period.first
    inside = range(period.first, period.last + 1)
    own = plan.months[frame.index]
    ratio = monthly.scenario_ratio(own.month, own.target)
    paying = frame.plan_month
    period_ratio = plan.norm.scenario_ratio(paying.month, paying.target)
    gate = [_gate_ratio(plan, m, period) for m in goal_metrics]  # a counted share's
    outcomes = []
    for h, months in enumerate(joint):
        month = months[place]
        goals = [m.scenario_attainment(month, frame.index) for m in goal_metrics]
        whole = None
        if frame.closes:  # the shared gate reads each goal over the period
            whole = (
                plan.norm.sample[h] * period_ratio,
                [
                    summed_attainment(
                        [
                            m.scenario_attainment(p, i) * m.months[i].target
                            for p, i in zip(months, inside, strict=True)
                        ],
                        [m.months[i].target for i in inside],
                    )
                    if counted is None
                    else counted[0].sample[h] * counted[1]
                    for m, counted in zip(goal_metrics, gate, strict=True)
                ],
            )
        outcomes.append(period_outcome(plan, monthly.sample[month] * ratio, goals, whole))
    return tuple(outcomes)


def norm_outcome(plan: Plan, frame: MonthFrame) -> Outcome:
    """The outcome of ``frame``'s month with every metric at its norm (mean attainment)."""
    index = frame.index
    plan_month = frame.plan_month
    if plan.goals_over_longer:
        return _longer_goal_norm(plan, frame)
    if frame.own is not None and frame.period is not None and plan.month_norm is not None:
        return _norm_joint(plan, frame, frame.period, plan.month_norm)
    if not frame.closes:
        return nothing_paid(plan)
    ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
    if plan.goals_over_period and frame.period is not None:
        ratios = _period_ratios(plan, plan_month.month, frame.period)
        return outcome_at(
            plan,
            plan.norm.mean_attainment * ratio,
            [metric.norm.mean_attainment * r for metric, r in ratios],
        )
    goal_attainments = []
    for goal in plan.goals:
        metric = next(m for m in plan.functional.metrics if m.name == goal.metric)
        metric_month = metric.months[index]
        goal_attainments.append(
            metric.norm.mean_attainment
            * metric.norm.scenario_ratio(metric_month.month, metric_month.target)
        )
    return outcome_at(plan, plan.norm.mean_attainment * ratio, goal_attainments)


def _norm_joint(plan: Plan, frame: MonthFrame, period: Period, monthly: Norm) -> Outcome:
    """:func:`norm_outcome` of a month whose goals are paid month by month in a plan with a
    longer shared period: every metric at its norm, the month's and the period's."""
    metrics = {m.name: m for m in plan.functional.metrics}
    goal_metrics = [metrics[g.metric] for g in plan.goals]

    def at_norm(metric: Metric, index: int) -> Fraction:
        month = metric.months[index]
        return metric.norm.mean_attainment * metric.norm.scenario_ratio(month.month, month.target)

    own = plan.months[frame.index]
    month_shared = monthly.mean_attainment * monthly.scenario_ratio(own.month, own.target)
    goals = [at_norm(m, frame.index) for m in goal_metrics]
    whole = None
    if frame.closes:
        paying = frame.plan_month
        inside = range(period.first, period.last + 1)
        gate = [_gate_ratio(plan, m, period) for m in goal_metrics]  # a counted share's
        whole = (
            plan.norm.mean_attainment * plan.norm.scenario_ratio(paying.month, paying.target),
            [
                summed_attainment(
                    [at_norm(m, i) * m.months[i].target for i in inside],
                    [m.months[i].target for i in inside],
                )
                if counted is None
                else counted[0].mean_attainment * counted[1]
                for m, counted in zip(goal_metrics, gate, strict=True)
            ],
        )
    return period_outcome(plan, month_shared, goals, whole)


def scenario_factors(plan: Plan, frame: MonthFrame) -> Counter[Fraction]:
    """How many historical scenarios give each shared payout factor in ``frame``'s month."""
    plan_month = frame.plan_month
    if not frame.closes:
        return Counter({_ZERO: len(plan.norm.sample)})
    ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
    return Counter(plan.curve.factor(a * ratio) for a in plan.norm.sample)


def calibrate(plan: Plan) -> Calibration:
    """Solve the plan's weights and neutral scale (or check a fixed scale); show the evidence."""
    plan = plan_argument(plan)
    return calibrate_framed(plan, frame_plan(plan))


def calibrate_framed(
    plan: Plan,
    framed: Framed,
    *,
    neutral_cost: Fraction | None = None,
    inherited: Sequence[YearToDate] | None = None,
) -> Calibration:
    """:func:`calibrate`, with the plan's months already framed.

    ``neutral_cost`` (minor units, exact) replaces the budget as the cost to
    be neutral to: a later version of a plan is calibrated over the months it
    governs (``framed`` holds only those) to what the version before would
    cost in them (:mod:`jointbonus.sharedtarget.versions`). ``inherited`` is,
    for months that start inside a plan year, what each historical path paid
    each member earlier in that year (one year to date per path, over
    ``plan``'s pay groups), which the per-year cap counts.
    """
    frames = framed.months
    scenarios = len(plan.norm.sample)
    mean_attainment = plan.norm.mean_attainment
    budget: int | Fraction = plan.budget.amount if neutral_cost is None else neutral_cost
    minor = plan.currency.scale

    table = scenario_table(plan, frames)
    counts = [Counter(row) for row in table]
    norms = [norm_outcome(plan, frame) for frame in frames]
    earnings = team_earnings(plan, frames, counts, scenarios)
    weights = solve_weights(plan, earnings)

    unit = Terms(Fraction(1), weights)
    unit_expected = Fraction(0)
    unit_norm = Fraction(0)
    # Funded individually on the shared goal alone, without caps: the months' lines, which
    # give their targets here and their costs below.
    lines = (
        LineTable(frames)
        if plan.funding is FundingStyle.INDIVIDUAL
        and not plan.weighted
        and not plan.functional.caps.any
        else None
    )
    # Per month, its scenarios' shared payout factors added up (a count x a factor each).
    factor_sums = [sum((o.shared * n for o, n in c.items()), Fraction(0)) for c in counts]
    exact_costs = ExactCosts(plan, unit)
    for place, (frame, month_counts, on_norm) in enumerate(zip(frames, counts, norms, strict=True)):
        if lines is None:
            targets = part_targets(plan, frame, less_forfeits=True)
        else:
            month_targets = lines.targets(plan, place)
            targets = (month_targets, month_targets)
            # One part, one team: an outcome costs its shared factor x the scale x the
            # target, so the month's outcomes cost their factors' sum x the same.
            unit_expected += unit.scale * month_targets[0] * factor_sums[place]
        if lines is None:
            unit_expected += exact_costs.counted(month_counts, targets)
        unit_norm += exact_costs.cost(on_norm, targets)
    unit_expected /= scenarios  # exact: the same as dividing each term
    expected_neutral = plan.neutrality is Neutrality.EXPECTED_COST
    neutral_unit = (unit_expected if expected_neutral else unit_norm) / minor
    caps = plan.functional.caps
    picked = [
        (path_scenarios(plan, f, scenarios), row) for f, row in zip(frames, table, strict=True)
    ]
    paths: list[list[Outcome]] = (
        # Path p is at historical month p + i in plan month i, whatever months are framed;
        # beside goals paid monthly or over the period, at historical period p + k in the
        # plan's period k, so that a period's months read one historical period together
        # (the joint sample); beside goals over a longer period, a goal period a step
        # (path_scenarios).
        [[row[picks[p]] for picks, row in picked] for p in range(scenarios)]
        if expected_neutral
        else [norms]
    )
    if plan.fixed_scale is not None:
        scale = plan.fixed_scale
    elif neutral_unit == 0:
        raise CalibrationError(_why_unpayable(plan, frames))
    elif caps.any:
        scale = _capped_scale(
            plan,
            frames=frames,
            unit=unit,
            paths=paths,
            budget=Fraction(budget),
            inherited=inherited,
        )
    else:
        scale = Fraction(budget, minor) / neutral_unit
    terms = Terms(scale, weights)

    months = []
    costers: list[MonthCoster] = []
    expected_total = Fraction(0)
    expected_bound = Fraction(0)
    norm_total = 0
    norm_bound = Fraction(0)
    if caps.any:
        # The norm path beside the historical ones where it starts from the same year to
        # date (none): they share each month's costing at an outcome.
        together = expected_neutral and inherited is None
        path_costs = _path_costs(
            plan, frames, terms, [*paths, norms] if together else paths, inherited
        )
        if together:
            norm_costs, norm_bound = path_costs.pop()
        month_expected = [Fraction(0)] * len(frames)
        for costs, bound in path_costs:
            for j, paid in enumerate(costs):
                month_expected[j] += Fraction(paid, len(paths))
            expected_bound += bound / len(paths)
        if not expected_neutral:
            norm_costs, norm_bound = path_costs[0]
        elif not together:
            norm_costs, norm_bound = _path_costs(plan, frames, terms, [norms], None)[0]
        norm_total = sum(norm_costs)
        expected_total = sum(month_expected, Fraction(0))
    else:
        month_expected = []
        norm_costs = []
        costers.extend(costers_for(plan, frames, terms, lines))  # what a line pays: shared
        # The scenarios at each rounding bound (a month's bound is often the same whatever
        # the outcome): their sum, divided by the number of scenarios once.
        bounds: Counter[Fraction] = Counter()
        for coster, month_counts, on_norm in zip(costers, counts, norms, strict=True):
            paid_sum = 0  # the same sum as of each paid / scenarios: exact, so one division
            for outcome, count in month_counts.items():
                cost = coster.cost(outcome)
                paid_sum += cost.paid * count
                bounds[cost.bound] += count
            cost_sum = Fraction(paid_sum, scenarios)
            on = coster.cost(on_norm)
            norm_costs.append(on.paid)
            norm_total += on.paid
            norm_bound += on.bound
            month_expected.append(cost_sum)
            expected_total += cost_sum
        expected_bound += sum((b * n for b, n in bounds.items()), Fraction(0)) / scenarios

    for j, (frame, month_counts) in enumerate(zip(frames, counts, strict=True)):
        # A month inside a longer shared period is at the norm of the period that ends it.
        # (frames may start later than the plan: a version's months)
        last = frame.period.last - frames[0].index if frame.period else j
        paying = frames[last].plan_month
        ratio = plan.norm.scenario_ratio(paying.month, paying.target)
        months.append(
            MonthExpectation(
                month=frame.plan_month.month,
                norm_attainment=mean_attainment * ratio,
                hit_rate=Fraction(sum(n for o, n in month_counts.items() if o.pays), scenarios),
                shared_hit_rate=Fraction(
                    sum(n for o, n in month_counts.items() if o.shared_pays), scenarios
                ),
                mean_factor=factor_sums[j] / scenarios,
                expected_cost=month_expected[j],
                norm_path_cost=norm_costs[j],
                mean_goal_factors=tuple(
                    sum((o.functional[g] * n for o, n in month_counts.items()), Fraction(0))
                    / scenarios
                    for g in range(len(plan.goals))
                ),
            )
        )

    if expected_neutral:
        residual = expected_total - budget
        bound = expected_bound
    else:
        residual = Fraction(norm_total - budget)
        bound = norm_bound
    team_weights = (
        tuple(
            TeamWeight(
                team=t.team,
                nominal=w,
                wanted=t.expected_split,
                expected=expected_split(w, shared, functional),
                shared_expected=w * shared * scale,
                functional_expected=(1 - w) * functional * scale,
            )
            for t, w, (shared, functional) in zip(
                plan.functional.terms, weights, earnings, strict=True
            )
        )
        if plan.weighted
        else ()
    )
    return Calibration(
        neutrality=plan.neutrality,
        budget=plan.budget.amount if neutral_cost is None else round(neutral_cost),
        scale=scale,
        calibrated=plan.fixed_scale is None,
        unit_cost=neutral_unit,
        expected_cost=expected_total,
        norm_path_cost=norm_total,
        residual=residual,
        rounding_bound=bound,
        scenarios=scenarios,
        months=tuple(months),
        weights=team_weights,
        paths=len(paths) if caps.any else 0,
        # A version's calibration frames only the months it governs: nothing to hand on.
        work=CalibrationWork(plan, framed, tuple(costers)) if neutral_cost is None else None,
    )


def path_step(plan: Plan, frame: MonthFrame) -> int:
    """How far along history a path has moved by ``frame``'s month: a month a step, or,
    in a month that pays its goals beside a longer shared period or in a plan whose goals
    run over it, a period a step (each historical period supplies the shared attainment
    and every goal's together, and a plan year's periods read a run of them)."""
    if frame.period is not None and (frame.own is not None or plan.goals_over_period):
        return frame.period.number
    return frame.index


def path_scenarios(plan: Plan, frame: MonthFrame, scenarios: int) -> tuple[int, ...]:
    """The scenario each of the ``scenarios`` paths reads in ``frame``'s month: path ``p``
    at ``p`` plus :func:`path_step`; in a plan whose goals run over a period longer than
    the shared one, a goal period a step: path ``p`` reads, in the plan's goal period
    ``G``, the historical goal period ``p // k + G`` (``k`` shared periods each, in the
    order of :func:`_goal_period_of_scenario`), its shared periods turned by ``p mod k``,
    so that the goal period's shared results and goal results go together and every
    month still reads each scenario on one path."""
    if not plan.goals_over_longer:
        step = path_step(plan, frame)
        return tuple((p + step) % scenarios for p in range(scenarios))
    blocks: dict[int, list[int]] = {}
    for h, g in enumerate(_goal_period_of_scenario(plan)):
        blocks.setdefault(g, []).append(h)
    ordered = [blocks[g] for g in sorted(blocks)]
    size = len(ordered[0])
    period = plan.goal_period_at(frame.index)
    shared = (frame.index - period.first) // plan.period.months
    return tuple(
        ordered[(p // size + period.number) % len(ordered)][(p + shared) % size]
        for p in range(scenarios)
    )


def path_runs(plan: Plan, frames: Sequence[MonthFrame]) -> tuple[range, ...]:
    """``frames`` (places in it) in the runs of months that one of calibration's paths reads
    as one scenario: a goal period's months beside goals over a period longer than the
    shared one, a shared period's months where a path goes a period a step
    (:func:`path_step`), else each month alone. Path ``p`` reads a run's months in one
    historical period (:func:`path_scenarios`); runs are read apart, as months are."""

    def key(frame: MonthFrame) -> int:
        if plan.goals_over_longer:
            return plan.goal_period_at(frame.index).number
        return path_step(plan, frame)

    runs: list[range] = []
    start = 0
    for place in range(1, len(frames) + 1):
        if place == len(frames) or key(frames[place]) != key(frames[start]):
            runs.append(range(start, place))
            start = place
    return tuple(runs)


def _capped_scale(
    plan: Plan,
    *,
    frames: Sequence[MonthFrame],
    unit: Terms,
    paths: Sequence[Sequence[Outcome]],
    budget: Fraction,
    inherited: Sequence[YearToDate] | None = None,
) -> Fraction:
    """The least scale whose exact capped cost, averaged over ``paths``, is ``budget``.

    The cost ``C(s)`` adds up, weighted by members, one term per pay group,
    path and plan year: ``min(year cap, sum over the year's months of
    min(month cap, a x s))``, ``a`` the group's amount in the month at scale 1.
    It is piecewise linear, concave and non-decreasing, with ``C(0) = 0``. Its
    kinks are where a month's amount reaches the monthly cap and where a
    year's total reaches the yearly cap; between two of them ``C(s) = A + B x
    s``. Swept in order, the kinks lead to the first segment whose end costs
    the budget or more, and the root is ``(budget - A) / B`` there, exactly.
    """
    caps = plan.functional.caps
    # Each group's amount at scale 1 in each (month, outcome), as a whole number over one
    # common denominator: its team's rate times its whole-number value (team_rates).
    # (outcomes by their place in ``outcomes``: hashing an outcome hashes its fractions)
    # A month that pays its goals on a frame of its own beside a longer shared period: each
    # group's amount itself (month_units), its shared part and goals on their two frames.
    outcomes, keyed = outcome_keys(paths)
    by_team = [brackets(plan, unit, outcome) for outcome in outcomes]  # whatever the month
    rates: dict[tuple[int, int], list[Fraction]] = {}
    split: dict[tuple[int, int], list[Fraction]] = {}
    for path in keyed:
        for j, (frame, k) in enumerate(zip(frames, path, strict=True)):
            if (j, k) in rates or (j, k) in split:
                continue
            if frame.own is None:
                rates[j, k] = team_rates(plan, frame, unit, outcomes[k], by_team=by_team[k])
            else:
                split[j, k] = month_units(plan, frame, unit, outcomes[k])
    found_all = [*rates.values(), *split.values()]
    common = lcm(1, *(r.denominator for found in found_all for r in found))
    whole = {
        key: [r.numerator * (common // r.denominator) for r in found]
        for key, found in rates.items()
    }
    split_whole = {
        key: [a.numerator * (common // a.denominator) for a in found]
        for key, found in split.items()
    }
    values = [member_values(plan, frame) for frame in frames]
    # Each plan year's weight of each group: its count, less the holdback where its
    # members leave before that year ends (what they forfeit is never paid); whole
    # numbers too, over one common denominator.
    spans = _year_spans(frames)
    kept = [
        [
            count * (1 - plan.holdback if plan.holdback and forfeits else 1)
            for count, forfeits in zip(
                frames[year[0]].groups.counts, frames[year[0]].groups.forfeits, strict=True
            )
        ]
        for year in spans
    ]
    per = lcm(1, *(Fraction(w).denominator for weights in kept for w in weights))
    if inherited is not None:  # weights per member, for the runs of a year to date
        counted = zip(kept[0], frames[0].groups.counts, strict=True)
        per = lcm(per, *(Fraction(w / c).denominator for w, c in counted if c))
    year_weights = [[int(w * per) for w in weights] for weights in kept]
    month_cap = caps.per_month * common if caps.per_month is not None else None
    year_cap = caps.per_year * common if caps.per_year is not None else None

    # Below, the cost is counted x common x per x paths, so that A and B are whole.
    # The slope at 0, and the kinks: where months of an amount reach the monthly cap
    # (the total weight of such months, by amount), and where a year reaches the
    # yearly cap: (s = n / d, what A gains, what B loses).
    slope = 0
    months: dict[int, int] = {}
    streams: list[Iterator[tuple[int, int]]] = []  # months' kinks by class, largest first
    years: list[tuple[int, int, int, int]] = []
    if year_cap is None:
        # Without a yearly cap every month stands alone: a month's amounts depend on its
        # outcome and the groups' teams and values, gathered with their weights.
        seen = Counter((j, k) for path in keyed for j, k in enumerate(path))
        year_weights_of = [w for w, span in zip(year_weights, spans, strict=True) for _ in span]
        alike = [
            _team_classes(
                year_weights_of[j], values[j], frames[j].groups.teams, frames[j].groups.mixes
            )
            for j in range(len(frames))
        ]
        for key, times in seen.items():
            j = key[0]
            if key in split_whole:
                for weight, amount in zip(year_weights_of[j], split_whole[key], strict=True):
                    if weight and amount:
                        slope += weight * times * amount
                        if month_cap is not None:
                            months[amount] = months.get(amount, 0) + weight * times
                continue
            slope += _file_month(
                whole[key], times, alike[j], months, streams if month_cap is not None else None
            )[0]
    else:
        teams = [frame.groups.teams for frame in frames]
        moves = [frame.groups.mixes for frame in frames]
        # Months from inside a plan year: the yearly cap less what each member was paid
        # earlier in it on the path (a later version's months; :mod:`.versions`).
        inside = frames[0].index % YEAR if frames else 0
        if month_cap is not None and (inherited is None or not inside) and not split_whole:
            slope = _file_class_years(
                teams,
                moves,
                values,
                whole,
                keyed,
                year_weights=year_weights,
                spans=spans,
                month_cap=month_cap,
                year_cap=year_cap,
                months=months,
                streams=streams,
                years=years,
            )
        else:
            slope = _file_group_years(
                teams,
                moves,
                values,
                whole,
                keyed,
                year_weights=year_weights,
                spans=spans,
                month_cap=month_cap,
                year_cap=year_cap,
                inherited=inherited if inside else None,
                counts=frames[0].groups.counts if frames else (),
                common=common,
                split=split_whole,
                months=months,
                years=years,
            )
    # The years' kinks in order; the months' reach the monthly cap at s = month_cap /
    # amount, so in order from the largest amount (every amount is above 0), exactly.
    years.sort(key=_kink_at)
    _order_ties(years)
    # The months' kinks, largest amount first: those filed one by one, merged with the
    # classes' streams (an amount met in several is taken in pieces, all at one point).
    month_kinks = (
        merge(*streams, sorted(months.items(), reverse=True), reverse=True)
        if month_cap is not None
        else iter(())
    )
    cap = month_cap if month_cap is not None else 0
    at_month = next(month_kinks, None)

    # The budget likewise, as a fraction whose terms are whole: cost = budget at
    # (reached + slope x s) x below = above.
    target = budget * common * per * len(paths)
    above, below = target.numerator, target.denominator
    reached = 0
    y = 0  # the next year's kink, taken in turn with the months' by where they are
    while at_month is not None or y < len(years):
        if at_month is not None and (
            y == len(years) or cap * years[y][1] <= years[y][0] * at_month[0]
        ):
            d, weight = at_month
            n, rise, fall = cap, weight * cap, weight * d
            at_month = next(month_kinks, None)
        else:
            n, d, rise, fall = years[y]
            y += 1
        if (reached * d + slope * n) * below >= above * d:
            break
        reached += rise
        slope -= fall
    else:
        if not slope:
            cost = Fraction(reached, common * per * len(paths))
            raise CalibrationError(
                f"cannot calibrate '{plan.name}': its caps keep the expected cost at or below "
                f"{plan.currency.format(int(cost))}, short of the budget "
                f"{plan.currency.format(int(budget))}, at any scale. Raise or remove the caps "
                "(caps.per_month, caps.per_year) or lower the budget"
            )
    return Fraction(above - reached * below, slope * below)


def _file_group_years(
    teams: Sequence[Sequence[int]],
    mixes: Sequence[Mapping[int, tuple[tuple[int, int], ...]]],
    values: Sequence[Sequence[int]],
    whole: Mapping[tuple[int, _K], list[int]],
    paths: Sequence[Sequence[_K]],
    *,
    year_weights: Sequence[Sequence[int]],
    spans: Sequence[range],
    month_cap: int | None,
    year_cap: int,
    inherited: Sequence[YearToDate] | None = None,
    counts: Sequence[int] = (),
    common: int = 1,
    split: Mapping[tuple[int, _K], list[int]] | None = None,
    months: dict[int, int],
    years: list[tuple[int, int, int, int]],
) -> int:
    """File the kinks of every pay group's plan years on every path (:func:`_file_year`),
    and return the cost's slope at 0, all over ``common``.

    ``whole`` holds, per month and outcome on a path, each team's amount at scale 1
    per unit of value, as whole numbers; ``values`` each group's value per month,
    ``teams`` its team, ``mixes`` the teams of a group that moves during a month.
    ``inherited`` (whole numbers of minor units, each member's year to date on each
    path before the months, ``counts`` members per group) lowers the first year's cap.
    ``split`` holds each group's own amount in a month that pays its goals beside a
    longer shared period (:func:`~.pay.sharing.month_units`, moves in it already).
    """
    slope = 0
    amounts = {
        (j, outcome): [team_whole[t] * v for v, t in zip(values[j], teams[j], strict=True)]
        for (j, outcome), team_whole in whole.items()
    }
    for (j, outcome), team_amounts in amounts.items():  # a move during the month
        for group, mix in mixes[j].items():
            # Paid on its value: the rate of the month-end team may be 0, another not.
            if values[j][group]:
                team_whole = whole[j, outcome]
                team_amounts[group] = sum(team_whole[t] * v for t, v in mix)
    amounts.update(split or {})
    terms: dict[tuple[int, ...], int] = {}  # a year's amounts of a group -> weight
    left: dict[tuple[int, tuple[int, ...]], int] = {}
    for p, path in enumerate(paths):
        before = inherited[p] if inherited is not None else None
        # (only the first year can be inherited: a version starts in it)
        for y, (weights, span) in enumerate(zip(year_weights, spans, strict=True)):
            columns = [amounts[j, path[j]] for j in span]
            for group, (weight, year) in enumerate(
                zip(weights, zip(*columns, strict=True), strict=True)
            ):
                runs = before.of(group) if before is not None and not y else None
                if not weight:
                    continue
                if runs is None:
                    terms[year] = terms.get(year, 0) + weight
                    continue
                start = 0
                for end, paid_before in runs:
                    rest = max(year_cap - paid_before * common, 0)
                    share = weight * (end - start) // counts[group]
                    left[rest, year] = left.get((rest, year), 0) + share
                    start = end
    for year, weight in terms.items():
        slope += _file_year(year, weight, month_cap, year_cap, months=months, years=years)
    for (rest, year), weight in left.items():
        if rest and any(year):  # the cap less what the year paid before the version
            slope += _file_year(year, weight, month_cap, rest, months=months, years=years)
    return slope


def _file_class_years(
    teams: Sequence[Sequence[int]],
    mixes: Sequence[Mapping[int, tuple[tuple[int, int], ...]]],
    values: Sequence[Sequence[int]],
    whole: Mapping[tuple[int, _K], list[int]],
    paths: Sequence[Sequence[_K]],
    *,
    year_weights: Sequence[Sequence[int]],
    spans: Sequence[range],
    month_cap: int,
    year_cap: int,
    months: dict[int, int],
    streams: list[Iterator[tuple[int, int]]],
    years: list[tuple[int, int, int, int]],
) -> int:
    """:func:`_file_group_years` without a year to date before the months, counted by
    class where a year cannot reach the yearly cap (the months' kinks of a class, at an
    outcome, as one of ``streams``: see :func:`_file_month`).

    A group's year reaches the yearly cap only if it has at least ``year_cap /
    month_cap`` paying months (:func:`_file_year`); below that, each of its months
    files its amount under the monthly cap alone, and a month's amount follows from
    its outcome and the group's team and value. So every month files its classes'
    amounts weighted by how many paths pass its outcome, and the few group-years that
    could reach the yearly cap, found as bits of per-month masks of paying groups
    counted in binary, take back their months and are walked as before.
    """
    need = -(-year_cap // month_cap)  # paying months a year needs to reach the yearly cap
    slope = 0
    reaching: dict[tuple[int, ...], int] = {}  # a year's amounts of a group -> weight
    for weights, span in zip(year_weights, spans, strict=True):
        # Per month: its classes, and per outcome met what each class is paid and which
        # groups are paid.
        weighed = [_team_classes(weights, values[j], teams[j], mixes[j], bits=True) for j in span]
        paying: dict[tuple[int, _K], int] = {}
        times = Counter((j, path[j]) for path in paths for j in span)
        for (j, outcome), count in times.items():
            more, paying[j, outcome] = _file_month(
                whole[j, outcome], count, weighed[j - span.start], months, streams
            )
            slope += more
        if need > len(span):
            continue
        # Per path: the groups with at least ``need`` paying months, from a binary count.
        everyone = (1 << len(weights)) - 1
        for path in paths:
            reach = at_least([paying[j, path[j]] for j in span], need, everyone)
            rows = [whole[j, path[j]] for j in span] if reach else []
            for group in set_bits(reach):
                weight = weights[group]
                if not weight:
                    continue
                amounts = []
                for j, team_whole in zip(span, rows, strict=True):
                    value = values[j][group]
                    mix = mixes[j].get(group) if mixes[j] and value else None
                    if mix is None:
                        amounts.append(team_whole[teams[j][group]] * value)
                    else:
                        amounts.append(sum(team_whole[t] * v for t, v in mix))
                for amount in amounts:  # filed above as if under the monthly cap alone
                    if amount:
                        months[amount] = months.get(amount, 0) - weight
                year = tuple(amounts)
                reaching[year] = reaching.get(year, 0) + weight
    for year, weight in reaching.items():
        paid = sorted(filter(None, year), reverse=True)
        _year_kinks(paid, weight, month_cap, year_cap, months=months, years=years)
    for amount in [amount for amount, weight in months.items() if not weight]:
        del months[amount]
    return slope


_MonthClasses = tuple[
    dict[int, tuple[list[int], list[int], int, int]],
    dict[tuple[tuple[int, int], ...], tuple[int, int]],
]
"""A month's classes (:func:`_team_classes`)."""


def _team_classes(
    weights: Sequence[int],
    values: Sequence[int],
    teams: Sequence[int],
    mixes: Mapping[int, tuple[tuple[int, int], ...]],
    *,
    bits: bool = False,
) -> _MonthClasses:
    """A month's pay groups gathered by class: per team, its classes' values, largest
    first, and their weights, the team's groups as bits (with ``bits``) and its weight
    times value summed; and per move during the month (the days of each team, ``mixes``),
    its weight and its groups as bits. Groups of weight or value 0 are left out."""
    by_team: dict[int, dict[int, int]] = {}
    members: dict[int, int] = {}
    moved: dict[tuple[tuple[int, int], ...], tuple[int, int]] = {}
    for group, (weight, value, team) in enumerate(zip(weights, values, teams, strict=True)):
        if weight and value:
            mix = mixes.get(group) if mixes else None
            if mix is None:
                by_value = by_team.get(team)
                if by_value is None:
                    by_value = by_team[team] = {}
                by_value[value] = by_value.get(value, 0) + weight
                if bits:
                    members[team] = members.get(team, 0) | 1 << group
            else:
                had, found = moved.get(mix, (0, 0))
                moved[mix] = had + weight, found | 1 << group
    classes = {}
    for team, by_value in by_team.items():
        ordered = sorted(by_value.items(), reverse=True)
        classes[team] = (
            [value for value, _ in ordered],
            [weight for _, weight in ordered],
            members.get(team, 0),
            sum(value * weight for value, weight in ordered),
        )
    return classes, moved


def _file_month(
    team_whole: Sequence[int],
    count: int,
    classes: _MonthClasses,
    months: dict[int, int],
    streams: list[Iterator[tuple[int, int]]] | None,
) -> tuple[int, int]:
    """File a month's kinks at an outcome met ``count`` times, each team's rate per unit
    of value in ``team_whole``, and return what it adds to the slope at 0 and its paying
    groups as bits (:func:`_team_classes` with ``bits``).

    A team's classes are paid its rate times their values: into ``streams`` as one
    stream of (amount, weight), largest amount first, whose kinks are taken only as far
    as the sweep goes; a move's amount into ``months``. Without ``streams`` (no monthly
    cap) only the slope and the bits.
    """
    teams, moved = classes
    slope = mask = 0
    for team, (values, weights, members, summed) in teams.items():
        rate = team_whole[team]
        if not rate:
            continue
        slope += count * rate * summed
        mask |= members
        if streams is not None:
            step = 1 if rate > 0 else -1  # (largest amount first)
            streams.append(
                zip(
                    map(rate.__mul__, values[::step]),
                    map(count.__mul__, weights[::step]),
                    strict=True,
                )
            )
    for mix, (weight, members) in moved.items():
        amount = _mix_amount(team_whole, mix)
        if amount:
            slope += weight * count * amount
            mask |= members
            if streams is not None:
                months[amount] = months.get(amount, 0) + weight * count
    return slope, mask


def _mix_amount(team_whole: Sequence[int], mix: tuple[tuple[int, int], ...]) -> int:
    """The amount of ``mix``, each team's value at its rate: one team, most often."""
    if len(mix) == 1:
        team, value = mix[0]
        return team_whole[team] * value
    return sum(team_whole[team] * value for team, value in mix)


def _year_spans(frames: Sequence[MonthFrame]) -> tuple[range, ...]:
    """The framed months (their places in ``frames``) of each plan year they lie in: the
    plan's years, or for a later version's months those from its start on."""
    if not frames or not frames[0].index:
        return plan_years(len(frames))
    first = frames[0].index
    ends = [j for j in range(1, len(frames)) if (first + j) % YEAR == 0]
    return tuple(range(a, b) for a, b in zip([0, *ends], [*ends, len(frames)], strict=True))


def _file_year(
    year: Sequence[int],
    weight: int,
    month_cap: int | None,
    year_cap: int,
    *,
    months: dict[int, int],
    years: list[tuple[int, int, int, int]],
) -> int:
    """File the kinks of one year's term, ``year`` its months' amounts at scale 1 in
    any order, as :func:`_year_kinks` does; return its slope at 0."""
    paid = [amount for amount in year if amount]
    # A year whose paying months, all at the monthly cap, stay under the yearly cap
    # never reaches it: its kinks are its months', in any order, unsorted.
    if month_cap is not None and len(paid) * month_cap < year_cap:
        for amount in paid:
            months[amount] = months.get(amount, 0) + weight
    else:
        paid.sort(reverse=True)
        _year_kinks(paid, weight, month_cap, year_cap, months=months, years=years)
    return weight * sum(paid)


def _year_kinks(
    amounts: Sequence[int],
    weight: int,
    month_cap: int | None,
    year_cap: int,
    *,
    months: dict[int, int],
    years: list[tuple[int, int, int, int]],
) -> None:
    """The kinks of one year's term, ``amounts`` its months' amounts at scale 1, largest
    first: months reaching the monthly cap (into ``months``), until the year's total
    reaches the yearly cap (into ``years``)."""
    free = sum(amounts)
    left = year_cap  # the yearly cap less the months already at the monthly cap
    for amount in amounts:
        # Until this month reaches the monthly cap, the year's total is cap - left + free x s:
        # it reaches the yearly cap at s = left / free, if that comes first.
        if month_cap is None or left * amount <= month_cap * free:
            years.append((left, free, weight * left, weight * free))
            return
        months[amount] = months.get(amount, 0) + weight
        left -= month_cap
        free -= amount


def _kink_at(kink: tuple[int, int, int, int]) -> float:
    """Where a kink is, ``n / d``, as the nearest float: in order, but for equal floats."""
    return kink[0] / kink[1]


def _order_ties(kinks: list[tuple[int, int, int, int]]) -> None:
    """Put kinks sorted by :func:`_kink_at` in exact order: a quotient of integers is
    rounded to the nearest float, which keeps order but may make two kinks equal."""
    at = [_kink_at(kink) for kink in kinks]
    start = 0
    for end in range(1, len(kinks) + 1):
        if end == len(kinks) or at[end] != at[start]:
            if end - start > 1:
                kinks[start:end] = sorted(kinks[start:end], key=_exact_at)
            start = end


def _exact_at(kink: tuple[int, int, int, int]) -> Fraction:
    return Fraction(kink[0], kink[1])


def _path_costs(
    plan: Plan,
    frames: Sequence[MonthFrame],
    terms: Terms,
    paths: Sequence[Sequence[Outcome]],
    inherited: Sequence[YearToDate] | None = None,
) -> list[tuple[list[int], Fraction]]:
    """What each path's months pay after rounding and caps, and the path's rounding bound.

    The per-year cap follows each member through the path's plan years, from
    ``inherited`` (each path's year to date before the months) if given. Under
    pool funding, a member whose year the cap binds (paid or exact) adds 3
    units per part of each of their lines that year to the bound: their
    rounding no longer cancels within the pools.

    Pool-funded plans are costed class by class (:mod:`~jointbonus.sharedtarget.pay.paths`),
    to the same unit and bound; the others member by member, as below.
    """
    if inherited is None and covers(plan, frames, terms):  # (a version's year is inherited)
        fast = path_costs(plan, frames, terms, paths)
        if fast is not None:
            return fast
    return _member_path_costs(plan, frames, terms, paths, inherited)


def _member_path_costs(
    plan: Plan,
    frames: Sequence[MonthFrame],
    terms: Terms,
    paths: Sequence[Sequence[Outcome]],
    inherited: Sequence[YearToDate] | None = None,
) -> list[tuple[list[int], Fraction]]:
    """:func:`_path_costs` member by member: each month shared out and capped by
    :class:`MonthCoster`, the year so far followed by :class:`YearToDate`."""
    costers = [MonthCoster(plan, frame, terms) for frame in frames]
    year_cap = plan.functional.caps.per_year
    tracked = year_cap is not None and plan.funding is FundingStyle.POOL
    year = _ExactYear(plan, frames, costers, paths) if tracked else None
    results = []
    for p, path in enumerate(paths):
        costs = []
        bound = Fraction(0)
        ytd = YearToDate() if inherited is None else inherited[p].copy()
        for i, (frame, coster, outcome) in enumerate(zip(frames, costers, path, strict=True)):
            j = frame.index
            if year is not None and (j % YEAR == 0 or not i):
                if i:
                    bound += year.bound(ytd)
                year.start()
            ytd.start(j)
            cost = coster.cost(outcome, ytd)
            costs.append(cost.paid)
            bound += cost.bound
            if year_cap is not None and cost.pay is not None:
                if year is not None:
                    year.add(i, outcome)
                cost.pay.record(ytd)
        if year is not None and frames:
            bound += year.bound(ytd)
        results.append((costs, bound))
    return results


class _ExactYear:
    """A path's plan year so far, per pay group, for the per-year cap's rounding bound:
    each member's exact amount after the monthly cap, and how many lines they had.

    Exact amounts are whole numbers over one common denominator, so a year adds
    and compares integers: a group's amount in a month is its team's rate times
    its whole-number value (:meth:`MonthCoster.rates`, :attr:`MonthCoster.values`).
    """

    def __init__(
        self,
        plan: Plan,
        frames: Sequence[MonthFrame],
        costers: Sequence[MonthCoster],
        paths: Sequence[Sequence[Outcome]],
    ) -> None:
        caps = plan.functional.caps
        rates = {
            (j, outcome): costers[j].rates(outcome)
            for path in paths
            for j, outcome in enumerate(path)
            if outcome.pays and frames[j].own is None
        }
        # A month that pays its goals on a frame of its own: each group's amount itself.
        split = {
            (j, outcome): (
                month_units(plan, frames[j], costers[j].terms, outcome),
                member_parts(plan, frames[j], costers[j].terms, outcome),
            )
            for path in paths
            for j, outcome in enumerate(path)
            if outcome.pays and frames[j].own is not None
        }
        found_all = [found for found, _ in (*rates.values(), *split.values())]
        common = lcm(1, *(r.denominator for found in found_all for r in found))
        self._whole = {
            key: ([int(r * common) for r in found], parts) for key, (found, parts) in rates.items()
        }
        self._split = {
            key: ([int(a * common) for a in found], parts) for key, (found, parts) in split.items()
        }
        self._costers = costers
        self._frames = frames
        self._counts = frames[0].groups.counts if frames else ()
        self._month_cap = caps.per_month * common if caps.per_month is not None else None
        self._year_cap = caps.per_year
        self._year_cap_whole = (caps.per_year or 0) * common
        self._exact: list[int] = []
        self._lines: list[int] = []

    def start(self) -> None:
        """Begin a plan year."""
        self._exact = [0] * len(self._counts)
        self._lines = [0] * len(self._counts)

    def add(self, j: int, outcome: Outcome) -> None:
        """Add plan month ``j`` at ``outcome`` to the year."""
        cap = self._month_cap
        split = self._split.get((j, outcome))
        if split is not None:
            for k, (amount, count) in enumerate(zip(*split, strict=True)):
                self._lines[k] += count
                self._exact[k] += amount if cap is None or amount < cap else cap
            return
        found = self._whole.get((j, outcome))
        if found is None:
            return
        rates, parts = found
        exact, lines = self._exact, self._lines
        groups = self._frames[j].groups
        mixes = groups.mixes
        for k, (value, team) in enumerate(zip(self._costers[j].values, groups.teams, strict=True)):
            mix = mixes.get(k) if mixes and value else None
            if mix is None:
                amount = rates[team] * value
                lines[k] += parts[team]
            else:  # a move during the month: each team's rate on its days
                amount = sum(rates[t] * v for t, v in mix)
                lines[k] += sum(parts[t] for t, _ in mix)
            exact[k] += amount if cap is None or amount < cap else cap

    def bound(self, ytd: YearToDate) -> Fraction:
        """The extra rounding bound of the year: members whose year the cap binds."""
        cap = self._year_cap
        extra = 0
        for k, count in enumerate(self._counts):
            if self._exact[k] >= self._year_cap_whole:
                extra += 3 * self._lines[k] * count
                continue
            start = 0
            for end, value in ytd.of(k) or ():
                if cap is not None and value >= cap:
                    extra += 3 * self._lines[k] * (end - start)
                start = end
        return Fraction(extra)


def _why_unpayable(plan: Plan, frames: Sequence[MonthFrame]) -> str:
    """The message for a plan whose neutral cost at scale 1 is zero."""
    if not any(frame.eligible for frame in frames):
        what, check = "member", ""
        if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
            what, check = "member with a target bonus above 0", "the target bonuses, "
        elif plan.split is Split.SALARY:
            what, check = "member with a salary above 0", "the salaries, "
        return (
            f"cannot calibrate '{plan.name}': no {what} is eligible in any plan month; "
            f"check {check}the roster's start and end dates, the leaver rule and the plan's "
            "months"
        )
    if plan.weighted:
        return (
            f"cannot calibrate '{plan.name}': at historical performance no part of the plan "
            "ever pays: in every historical month the shared goal and each functional goal "
            "fall below their curves' thresholds or are closed by a gate. Lower the curves' "
            "thresholds, the targets or the gates"
        )
    if plan.curve.max_factor == 0:
        return (
            f"cannot calibrate '{plan.name}': the payout curve pays nothing at any "
            "attainment (its highest payout factor is 0); give it a payout above 0"
        )
    threshold = percent_text(plan.curve.threshold_attainment)
    if plan.neutrality is Neutrality.NORM_PATH:
        best_norm = max(
            plan.norm.mean_attainment
            * plan.norm.scenario_ratio(f.plan_month.month, f.plan_month.target)
            for f in frames
            if f.closes
        )
        return (
            f"cannot calibrate '{plan.name}' for norm-path neutrality: at the norm "
            "(the mean historical attainment) the best plan month reaches "
            f"{percent_text(best_norm)} of its target, but the curve pays nothing below "
            f"{threshold}. Lower the curve's threshold, lower the targets (a smaller "
            "uplift), or use expected_cost neutrality"
        )
    best = max(
        a * plan.norm.scenario_ratio(f.plan_month.month, f.plan_month.target)
        for f in frames
        if f.eligible
        for a in plan.norm.sample
    )
    return (
        f"cannot calibrate '{plan.name}': the plan can never pay at historical performance. "
        f"The best of the {len(plan.norm.sample)} historical {plan.norm.period}s would reach "
        f"{percent_text(best)} of a plan {plan.norm.period}'s target, but the curve pays "
        "nothing below "
        f"{threshold}. Lower the curve's threshold, lower the targets (a smaller uplift), "
        "or start the curve lower"
    )


def calibration_argument(value: object, name: str = "calibration") -> Calibration:
    """``value`` if it is a :class:`Calibration`, else
    :class:`~jointbonus.errors.ArgumentError` naming argument ``name``."""
    return argument(name, value, Calibration, "a Calibration (from calibrate)")
