"""The validated plan: everything calibration and the engine need, checked once.

A :class:`Plan` is a plain frozen value. Build one with
:func:`jointbonus.build_plan` from Python values, or with
:func:`jointbonus.load_plan` from a plan file; both end in the same checks
(:mod:`jointbonus.sharedtarget.build`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

from jointbonus.core.curves import Curve
from jointbonus.core.history import HistoryMonth, Norm
from jointbonus.core.money import Currency
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import Period, PeriodLength, cut_periods, summed_attainment
from jointbonus.core.roster import Member
from jointbonus.errors import argument
from jointbonus.sharedtarget.goals import Functional, Goal

if TYPE_CHECKING:  # the plan only carries the figures: nothing here runs the leads code
    from jointbonus.leads.metrics import LeadMetrics

__all__ = [
    "Budget",
    "FundingStyle",
    "LeadSources",
    "LedgerSettings",
    "Neutrality",
    "Overpayments",
    "Plan",
    "PlanMonth",
    "PlanVersion",
    "Provenance",
    "Split",
    "plan_argument",
]


class FundingStyle(StrEnum):
    """How the shared part is funded."""

    POOL = "pool"
    """One pool per month (pool at target x payout factor), split among members."""
    INDIVIDUAL = "individual"
    """Each member's target bonus / 12 x weight x payout factor."""


class Split(StrEnum):
    """How a month's pool is split among the members active in it."""

    EQUAL = "equal"
    """By weight alone: shared equally, prorated for FTE and days active."""
    SALARY = "salary"
    """By weight x annual base salary."""
    TARGET_BONUS = "target_bonus"
    """By weight x annual target bonus."""


class Neutrality(StrEnum):
    """What "costs what the old plan cost" means for calibration."""

    EXPECTED_COST = "expected_cost"
    """Expected cost over the historical attainment sample equals the budget."""
    NORM_PATH = "norm_path"
    """Cost with every month exactly at the norm (mean attainment) equals the budget."""


class Overpayments(StrEnum):
    """What happens to an overpayment: a correction that takes money back from a member."""

    CLAWED_BACK = "clawed_back"
    """Deducted from the member's next payments, never taking a month's payment below zero;
    what is left is carried forward (and what a leaver still owes is reported)."""
    ABSORBED = "absorbed"
    """The company bears it: the member's payments are not reduced; the amount is reported."""


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    """Where a plan's payment ledger is and what happens to an overpayment (``[ledger]``).

    Read with the plan file (:func:`~jointbonus.sharedtarget.loader.load_ledger_settings`);
    the ledger itself is :mod:`jointbonus.sharedtarget.ledger`.
    """

    path: Path
    """The ledger file (it need not exist before the first close)."""
    shown: str
    """The ledger as the plan names it (relative to the plan's folder), for messages."""
    overpayments: Overpayments = Overpayments.CLAWED_BACK


@dataclass(frozen=True, slots=True)
class PlanMonth:
    """One month of the plan: its target, its actual (``None`` while pending)."""

    month: Month
    target: Fraction
    actual: Decimal | None
    target_source: str = "plan"
    """``"plan"`` when given, else how it was derived (``"norm x (1 + 5%)"``)."""


@dataclass(frozen=True, slots=True)
class Budget:
    """The neutral budget B, in minor units, and where it came from."""

    amount: int
    source: str


@dataclass(frozen=True, slots=True)
class LeadSources:
    """Where a plan's functional actuals taken from a lead export came from.

    ``metrics`` maps each plan metric whose actuals the leads give to the lead
    figure it is (``followed_up_48h``); ``measured`` holds every month's
    figures and the leads behind them, as of the plan's "as of" instant, for
    the views that show them (the engine never reads it).
    """

    files: tuple[str, ...]
    """The export files, as the plan names them."""
    mapping: str
    """The name of the mapping the files were read with (``salesforce``)."""
    metrics: Mapping[str, str]
    measured: LeadMetrics


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a plan loaded from files read its values: the files, as the plan names them,
    and the line of each member, plan month and history month in them."""

    plan_file: str
    roster_file: str
    months_file: str
    history_file: str
    member_lines: Mapping[str, int] = field(default_factory=dict)
    """Member id -> the first line of the member in the roster file."""
    month_lines: Mapping[Month, int] = field(default_factory=dict)
    """Plan month -> its line in the plan months file."""
    history_lines: Mapping[Month, int] = field(default_factory=dict)
    """History month -> its line in the history file."""
    leads: LeadSources | None = None
    """The lead export the plan takes functional actuals from (``None``: none)."""


@dataclass(frozen=True, slots=True)
class PlanVersion:
    """A later version of a plan's design, in force from ``start`` on
    (:mod:`jointbonus.sharedtarget.versions`).

    ``design`` is the whole plan as that version would have it: the same
    currency, months, roster, history, metric, funding style and neutrality,
    with the version's curve, funding amounts, split, goals, gates and caps.
    """

    start: Month
    index: int
    """The place in the plan of the version's first month (at least 1)."""
    design: Plan


@dataclass(frozen=True, slots=True)
class Plan:
    """A validated plan. Members are kept in member id order (the tie-break order)."""

    name: str
    currency: Currency
    months: tuple[PlanMonth, ...]
    members: Sequence[Member]
    """The members in id order: a :class:`~jointbonus.core.roster.Roster` (members held as
    columns, each made when asked for) for a plan from :func:`~jointbonus.build_plan`."""
    curve: Curve
    norm: Norm
    budget: Budget
    metric: str = "revenue"
    funding: FundingStyle = FundingStyle.POOL
    split: Split = Split.EQUAL
    neutrality: Neutrality = Neutrality.EXPECTED_COST
    pay_leavers_for_exit_month: bool = False
    holdback: Fraction = Fraction(0)
    """Share of each line held until the plan year ends, paid then only to
    members still in the plan on its last day."""
    fixed_scale: Fraction | None = None
    """Pool at target per month (pool funding) or target bonus multiplier
    (individual funding) fixed by the plan; ``None`` means calibrate it."""
    uplift: Fraction = Fraction(0)
    teams: tuple[str, ...] = field(default=())
    functional: Functional = field(default_factory=Functional)
    """Teams' shared weights and functional goals, the metrics, gates and caps."""
    provenance: Provenance | None = field(default=None, compare=False)
    """Where the values were read, for a plan loaded from files (``None``: built in Python)."""
    versions: tuple[PlanVersion, ...] = ()
    """Later versions of the design, in month order; the plan itself is the first and is in
    force until the first of them starts (``()``: the plan never changes)."""

    def version_of(self, month: Month) -> int:
        """The number of the version in force in ``month``: 1 for the plan itself."""
        return 1 + sum(1 for v in self.versions if v.start <= month)

    def design_of(self, month: Month) -> Plan:
        """The design of the version in force in ``month`` (the plan itself before any
        later version starts)."""
        found = self
        for version in self.versions:
            if version.start <= month:
                found = version.design
        return found

    period: PeriodLength = PeriodLength.MONTH
    """The period the shared target runs over (:mod:`jointbonus.core.plan_periods`); with a
    longer one, ``norm`` is the norm at that length."""
    period_weights: tuple[Fraction, ...] = ()
    """The weights of the shared periods within each plan year, in order, adding to 1
    (``()``: equal weights): a period's amounts at target are the year's x its weight."""
    history: tuple[HistoryMonth, ...] = field(default=(), compare=False, repr=False)
    """The historical months the norm was derived from, as given (``()`` for a plan made
    without :func:`~jointbonus.build_plan`): what the norm and the budget read, kept so that
    two designs can be shown to share their history (:mod:`jointbonus.sharedtarget.compare`)."""
    advance: Fraction | None = None
    """The share of a longer period's pay advanced in the months before its end, on the
    attainment so far, and trued up at its end (``None``: the period is paid at its end
    only; :mod:`jointbonus.sharedtarget.pay.advances`)."""
    month_norm: Norm | None = field(default=None, repr=False)
    """In a plan with functional goals and a longer shared period: the shared metric's
    norm month by month, whose sample lines up with the goals' metrics' (one historical
    month each), so that a historical period supplies its months' attainments of every
    metric (:func:`~jointbonus.core.plan_periods.period_months`); ``None`` else."""
    goal_norm: Norm | None = field(default=None, repr=False)
    """In a plan whose goals run over a period longer than the shared one
    (:attr:`goals_over_longer`): the shared metric's norm over the goals' period, whose
    sample lines up with the goals' metrics' norms (one historical goal period each), read
    by the gates of the goals; ``None`` else."""

    @property
    def periods(self) -> tuple[Period, ...]:
        """The plan's shared periods, in order (one per month for a monthly shared target)."""
        if not self.months:
            return ()
        return cut_periods(self.months[0].month, len(self.months), self.period, self.period_weights)

    def period_of(self, month: Month) -> Period | None:
        """The longer shared period ``month`` lies in (``None``: a monthly shared target)."""
        if self.period is PeriodLength.MONTH:
            return None
        return next((p for p in self.periods if month in p.months), None)

    @property
    def scale_name(self) -> str:
        return "pool_at_target" if self.funding is FundingStyle.POOL else "target_bonus_multiplier"

    @property
    def goals(self) -> tuple[Goal, ...]:
        """Every functional goal, team by team in the plan's team order."""
        return tuple(goal for terms in self.functional.terms for goal in terms.goals)

    @property
    def weighted(self) -> bool:
        """Whether any team has functional goals (else every bonus is wholly shared)."""
        return bool(self.goals)

    @property
    def goals_over_period(self) -> bool:
        """Whether the goals run over the longer shared period (each goal's ``period``), paid
        with the shared part at its end, rather than month by month."""
        return self.period is not PeriodLength.MONTH and any(
            g.period is self.period for g in self.goals
        )

    @property
    def goal_length(self) -> PeriodLength:
        """The period the plan's goals run over (every goal alike; ``month`` without goals)."""
        return next((g.period for g in self.goals), PeriodLength.MONTH)

    @property
    def goals_over_longer(self) -> bool:
        """Whether the goals run over a period that holds several shared periods (a quarter
        or plan year beside a monthly shared target, a plan year beside a quarterly one),
        each paid at its end from the functional parts of its months
        (:mod:`jointbonus.sharedtarget.pay.goalperiods`)."""
        return self.goal_length.months > self.period.months

    @property
    def goal_periods(self) -> tuple[Period, ...]:
        """The periods the goals run over, in order (see :attr:`goals_over_longer`); the
        shared periods when the goals run over those, or month by month."""
        if not self.goals_over_longer or not self.months:
            return self.periods
        return cut_periods(self.months[0].month, len(self.months), self.goal_length)

    def attainment_over(self, period: Period) -> Fraction | None:
        """The shared attainment over ``period`` (of this plan's months): its actuals summed /
        its targets summed; ``None`` while a month of it has no actual yet."""
        months = self.months[period.first : period.last + 1]
        if any(m.actual is None for m in months):
            return None
        return summed_attainment(
            [Fraction(m.actual or 0) for m in months], [m.target for m in months]
        )

    def goal_period_at(self, index: int) -> Period:
        """The goal period (:attr:`goal_periods`) plan month ``index`` lies in."""
        return next(p for p in self.goal_periods if index in p)

    def shared_period_at(self, index: int) -> Period:
        """The shared period plan month ``index`` lies in (the month itself beside a monthly
        shared target)."""
        return self.periods[index // self.period.months]

    def shared_gate_reads(self, index: int) -> tuple[Fraction, ...] | None:
        """What the shared gate reads in plan month ``index``: each goal's attainment (by
        :attr:`goals`) over the shared period the month lies in, the period whose shared
        part the gate gates (:meth:`goals_over`), whatever period the goals are paid over;
        ``None`` while it is not known yet."""
        return self.goals_over(self.shared_period_at(index))

    def goals_over(self, period: Period) -> tuple[Fraction, ...] | None:
        """Each goal's attainment (by :attr:`goals`) over ``period`` (a shared period, or the
        goals' own: :attr:`goal_periods`): its actuals summed / its targets summed; ``None``
        while any month of it has no actual yet.

        Over a period of several months that something reads (the goals paid over it, or
        the shared gate beside monthly goals), a share whose counts are known is summed by
        its counts (:meth:`~jointbonus.sharedtarget.goals.Metric.over`): the period's
        share of its leads, pending while the period has nothing to divide. A single month
        reads its actual over its target; beside monthly goals without a shared gate (where
        only whether the period is known matters) every metric is summed by its actuals."""
        metrics = {metric.name: metric for metric in self.functional.metrics}
        read = (
            self.goals_over_period
            or self.goals_over_longer
            or self.functional.gates.shared is not None
        )
        counted = read and len(period.months) > 1
        result = []
        for goal in self.goals:
            found = metrics[goal.metric].over(period.first, period.last, counted=counted)
            if found is None:
                return None
            target, actual = found
            result.append(Fraction(actual) / target)
        return tuple(result)


def plan_argument(value: object, name: str = "plan") -> Plan:
    """``value`` if it is a shared-target :class:`Plan`, else
    :class:`~jointbonus.errors.ArgumentError` naming argument ``name``."""
    return argument(name, value, Plan, "a Plan (from load_plan or build_plan)")
