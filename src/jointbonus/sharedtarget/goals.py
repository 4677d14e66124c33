"""Functional goals, the shared weight of each team, gates and caps.

A plan can keep part of each person's bonus on their own function's goals. A
member of team ``t`` earns::

    bonus = w_t x shared part + (1 - w_t) x sum over t's goals of (goal weight x goal part)

where ``w_t`` is the team's **shared weight**. A team with no functional goals
has ``w_t = 1``. The plan either states ``w_t`` (the **nominal** weight) or a
wanted **expected shared split** (the share of what the team can expect to
earn that comes from the shared goal), from which calibration solves ``w_t``
(:mod:`jointbonus.sharedtarget.weighting`).

Each functional goal measures a **metric** (leads accepted, follow-ups within
48 hours, ...). A metric has monthly targets and actuals like the shared
goal, and a norm from its own history (:mod:`jointbonus.core.history`); one
historical month supplies every metric's attainment together.

**Gates** tie the parts together: with a functional gate, functional parts
pay only in a month whose shared attainment reaches it; with a shared gate, a
team's shared part pays only in a month where each of its functional
attainments reaches it; a goal's own gate (:class:`GoalGate`) closes that
one goal in a month where another goal's attainment (the shared goal's or
another metric's) falls short of it. **Caps** limit what one member is paid in a month and
in a plan year (each run of 12 plan months from the plan's start); what a cap
cuts is not paid to anyone.

This module holds the specs a plan states and the validated values;
:func:`jointbonus.build_plan` checks the one and makes the other
(:mod:`jointbonus.sharedtarget.build.functional`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.curves import Curve
from jointbonus.core.history import Norm, NormMethod
from jointbonus.core.number import percent_text
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import (
    PeriodLength,
    ShareCounts,
    counted_figures,
    summed_actuals,
)

__all__ = [
    "Caps",
    "Functional",
    "Gates",
    "Goal",
    "GoalGate",
    "GoalGateSpec",
    "GoalSpec",
    "Metric",
    "MetricMonth",
    "MetricSpec",
    "TeamSpec",
    "TeamTerms",
]


@dataclass(frozen=True, slots=True)
class GoalGateSpec:
    """A goal's own gate as a plan states it: the goal pays only in a month where
    ``metric``'s attainment reaches ``attainment``.

    ``metric`` names the shared goal's metric (``"revenue"`` by default) or a
    functional metric some goal of the plan measures, never the gated goal's
    own (its curve's threshold is that goal's own gate).

    >>> GoalGateSpec("net_income", "0.9")
    GoalGateSpec(metric='net_income', attainment='0.9')
    """

    metric: str
    attainment: Decimal | str | int


@dataclass(frozen=True, slots=True)
class GoalSpec:
    """A functional goal as a plan states it: a metric, its weight in the team, its curve,
    optionally its own gate (:class:`GoalGateSpec`), and the period it is measured and
    paid over (``"month"`` by default; ``"quarter"`` or ``"plan_year"``: the plan's
    shared period, or a longer one, every goal of the plan alike)."""

    metric: str
    weight: Decimal | str | int
    curve: Curve
    gate: GoalGateSpec | None = None
    period: PeriodLength | str = PeriodLength.MONTH


@dataclass(frozen=True, slots=True)
class TeamSpec:
    """A team as a plan states it.

    Give ``shared_weight`` (the nominal w) or ``expected_shared_split`` (the
    wanted share of expected earnings from the shared goal, solved for w), not
    both; a team with ``goals`` needs one of them, a team without goals has
    w = 1.
    """

    name: str
    shared_weight: Decimal | str | int | None = None
    expected_shared_split: Decimal | str | int | None = None
    goals: tuple[GoalSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """A functional metric's plan months and how its norm is read from history.

    ``targets`` and ``actuals`` map months to values like the shared goal's; a
    month missing from ``actuals`` is pending. ``norm`` defaults to the plan's
    norm method; ``uplift`` (for a derived norm) to 0. History supplies the
    metric's past actuals (and targets) in :attr:`HistoryMonth.functional`.

    ``counts``, for a metric that is a share, maps plan and history months to
    ``(part, whole)``: what the month's share is made of (160 leads handled in
    time of 190 delivered). A goal over a longer period then takes the
    period's share of its counts, not the sum of its monthly shares
    (:func:`~jointbonus.core.plan_periods.counted_attainment`), and so does its
    norm. Give them for every history month and every plan month with an actual
    (a plan month whose whole is 0 has counts and no actual); goals measured
    month by month read the actuals alone.
    """

    name: str
    targets: Mapping[str | Month, Decimal | str | int] = field(default_factory=dict)
    actuals: Mapping[str | Month, Decimal | str | int | None] = field(default_factory=dict)
    norm: NormMethod | str | None = None
    uplift: Decimal | str | int = 0
    window: int | None = None
    counts: Mapping[str | Month, tuple[Decimal | str | int, Decimal | str | int]] = field(
        default_factory=dict
    )


@dataclass(frozen=True, slots=True)
class MetricMonth:
    """One plan month of a functional metric."""

    month: Month
    target: Fraction
    actual: Decimal | None
    target_source: str = "plan"
    counts: ShareCounts | None = field(default=None, repr=False)
    """What the month's share is made of, for a share whose counts are known (``None``:
    not a counted share, or pending). Kept out of the repr, so a plan's fingerprint is
    the same with or without them."""


@dataclass(frozen=True, slots=True, repr=False)
class Metric:
    """A validated functional metric: its plan months (aligned with the plan's) and norm."""

    name: str
    months: tuple[MetricMonth, ...]
    norm: Norm
    uplift: Fraction = Fraction(0)
    history_counts: Mapping[Month, ShareCounts] = field(default_factory=dict, repr=False)
    """The counts of each history month, for a counted share (empty: not one); its norm
    over a longer period is made of them."""
    gate_norm: Norm | None = field(default=None, repr=False)
    """What the shared gate reads of the metric over the shared period, in a plan whose
    shared period is longer than a month: its norm over the shared period (one attainment
    per historical shared period, counted as :attr:`norm` over a period is), its sample
    lined up with the shared norm's. Set beside goals over a longer period than the
    shared one and a shared gate, and beside monthly goals, a shared gate and a counted
    share (whose months' norms summed are not its counts); ``None`` else."""

    def __repr__(self) -> str:
        # The gate norm shows only when calibration reads one: the plan's fingerprint, a
        # digest of its repr, stays the same for every plan without one.
        shown = [
            f"name={self.name!r}",
            f"months={self.months!r}",
            f"norm={self.norm!r}",
            f"uplift={self.uplift!r}",
        ]
        if self.gate_norm is not None:
            shown.append(f"gate_norm={self.gate_norm!r}")
        return f"Metric({', '.join(shown)})"

    @property
    def counted(self) -> bool:
        """Whether the metric is a share whose months' counts are known."""
        return bool(self.history_counts) or any(m.counts is not None for m in self.months)

    def over(
        self, first: int, last: int, *, counted: bool = True
    ) -> tuple[Fraction, Decimal] | None:
        """The metric's target and actual over plan months ``first`` to ``last``, their
        ratio being its attainment over them; ``None`` while the period is pending.

        Summed: its targets summed and its actuals summed, pending while any month has
        no actual. A counted share (``counted`` and :attr:`counted`): the part its
        targets ask of the months' wholes (each target x its month's whole, summed)
        and its parts summed, pending while any month has no counts or while the
        wholes sum to 0 (the period has nothing to divide).
        """
        months = self.months[first : last + 1]
        if counted and self.counted:
            counts = [m.counts for m in months]
            known = [c for c in counts if c is not None]
            if len(known) < len(counts):
                return None
            asked = counted_figures(known, [m.target for m in months])[1]
            if not asked:
                return None
            return asked, summed_actuals([c.part for c in known]) or Decimal(0)
        actual = summed_actuals([m.actual for m in months])
        if actual is None:
            return None
        return sum((m.target for m in months), Fraction(0)), actual

    def scenario_attainment(self, index: int, month_index: int) -> Fraction:
        """Attainment in plan month ``month_index`` at historical scenario ``index``."""
        plan_month = self.months[month_index]
        return self.norm.sample[index] * self.norm.scenario_ratio(
            plan_month.month, plan_month.target
        )

    def attainment(self, month_index: int) -> Fraction | None:
        """Actual / target in a plan month, or ``None`` while the actual is pending."""
        plan_month = self.months[month_index]
        if plan_month.actual is None:
            return None
        return Fraction(plan_month.actual) / plan_month.target


@dataclass(frozen=True, slots=True)
class GoalGate:
    """A validated gate on one goal: the goal pays only in a month where the
    attainment of ``metric`` is at least ``attainment``."""

    metric: str
    """The metric whose attainment opens the gate."""
    attainment: Fraction
    shared: bool = False
    """Whether ``metric`` is the shared goal's (else a functional metric of the plan)."""

    def opens(self, shared_attainment: Fraction, attainments: Mapping[str, Fraction]) -> bool:
        """Whether the gate is open at a month's shared attainment and metrics' attainments."""
        reading = shared_attainment if self.shared else attainments[self.metric]
        return reading >= self.attainment

    def describe(self) -> str:
        """The rule in words: ``net_income attainment at least 90.0%``."""
        whose = f"{self.metric} (the shared goal)" if self.shared else self.metric
        return f"{whose} attainment at least {percent_text(self.attainment)}"


@dataclass(frozen=True, slots=True, repr=False)
class Goal:
    """A validated functional goal of one team."""

    team: str
    metric: str
    weight: Fraction
    """Weight within the team's functional part; a team's goal weights add to 1."""
    curve: Curve
    gate: GoalGate | None = None
    """The goal's own gate, set by another goal's attainment (``None``: none)."""
    period: PeriodLength = PeriodLength.MONTH
    """What the goal is measured and paid over: each month (the default), the plan's
    longer shared period, or a period holding several shared periods (its actuals summed
    over its targets summed, paid at its end)."""

    def __repr__(self) -> str:
        # A monthly goal reads as before goals had a period: the plan's fingerprint, a
        # digest of its repr, stays the same for every plan without a goal period.
        shown = [
            f"team={self.team!r}",
            f"metric={self.metric!r}",
            f"weight={self.weight!r}",
            f"curve={self.curve!r}",
            f"gate={self.gate!r}",
        ]
        if self.period is not PeriodLength.MONTH:
            shown.append(f"period={self.period!r}")
        return f"Goal({', '.join(shown)})"

    @property
    def over_period(self) -> bool:
        """Whether the goal runs over the plan's longer shared period (not month by month)."""
        return self.period is not PeriodLength.MONTH

    @property
    def key(self) -> str:
        """``team/metric``: how outputs name the goal."""
        return f"{self.team}/{self.metric}"


@dataclass(frozen=True, slots=True)
class TeamTerms:
    """A team's shared weight, as given or as wanted, and its functional goals."""

    team: str
    shared_weight: Fraction | None
    """The nominal w the plan gives (1 for a team without goals), or ``None`` to solve."""
    expected_split: Fraction | None = None
    """The wanted share of expected earnings from the shared goal (solved for w)."""
    goals: tuple[Goal, ...] = ()


@dataclass(frozen=True, slots=True)
class Gates:
    """Attainments one part needs before another pays (``None``: no gate)."""

    functional: Fraction | None = None
    """Shared attainment a month needs before any functional part pays."""
    shared: Fraction | None = None
    """Attainment each of a team's functional goals needs before its shared part pays."""

    @property
    def any(self) -> bool:
        return self.functional is not None or self.shared is not None


@dataclass(frozen=True, slots=True)
class Caps:
    """Most one member is paid, in minor units (``None``: no cap)."""

    per_month: int | None = None
    per_year: int | None = None
    """Per plan year: each run of 12 plan months from the plan's start."""

    @property
    def any(self) -> bool:
        return self.per_month is not None or self.per_year is not None


@dataclass(frozen=True, slots=True)
class Functional:
    """The functional side of a validated plan (empty for a plan on the shared goal alone)."""

    terms: tuple[TeamTerms, ...] = ()
    metrics: tuple[Metric, ...] = ()
    gates: Gates = Gates()
    caps: Caps = Caps()
    scenario_months: tuple[Month, ...] = ()
    """The historical months every norm has an attainment for (empty: the shared norm's)."""


def common_scenarios(shared: Norm, functional: Functional) -> tuple[Norm, Functional]:
    """Every norm cut to the historical months all of them have an attainment for.

    One historical month supplies every metric's attainment together, so the
    scenarios are the months common to the shared norm's sample and each
    metric's (a trailing-mean norm has none for its first window).
    """
    if not functional.metrics:
        return shared, functional
    months = set(shared.sample_months)
    for metric in functional.metrics:
        months &= set(metric.norm.sample_months)
    common = tuple(m for m in shared.sample_months if m in months)
    metrics = tuple(replace(m, norm=m.norm.restricted(common)) for m in functional.metrics)
    return shared.restricted(common), Functional(
        functional.terms, metrics, functional.gates, functional.caps, common
    )
