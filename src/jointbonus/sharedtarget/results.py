"""What a plan year paid: months, lines, how each pool was split, and the plan summary.

A :class:`Result` is plain data: nothing in it belongs to the pay rule. Each
month keeps its lines as :class:`MonthLines`: the month's few distinct
:class:`LineFigures` and, for every member, which of them is theirs, so a year
of 100,000 people stays small and a writer formats each distinct line once.
:meth:`Result.lines` gives every member's :class:`Line`, always in period
order, then member id order.

The lines are made in one place, :mod:`jointbonus.sharedtarget.lines`, and
every writer (statements, lines.csv, payroll, JSON, Excel, explain, the
transparency report) reads them from here.

Every line carries the reason for a zero:

* ``pending: no actual for 2026-11 yet`` -- the month has no actual;
* the member's standing: not yet started, left, left before the month ended
  under a plan that does not pay leavers for their exit month, no salary or
  target bonus to weight by;
* ``target missed: attainment 96.5% earns no payout (the curve pays from 100.0%)``;
* ``share rounds to less than one minor unit``.

A plan paid month after month keeps a payment ledger
(:mod:`jointbonus.sharedtarget.ledger`). A result read against it also says
what was closed (:attr:`Result.ledger`), what changed in the closed months
since they were paid (:class:`Correction`, each carried in a later month) and
how overpayments are recovered or absorbed (:class:`Recovery`). These are made
in one place, :mod:`jointbonus.sharedtarget.ledger.corrections`; a result
without a ledger has none of them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any, TypeVar

from jointbonus.core.money import GroupShare
from jointbonus.core.periods import YEAR, Month, plan_years
from jointbonus.core.roster import Member, taker
from jointbonus.errors import argument
from jointbonus.sharedtarget.calibration import Calibration
from jointbonus.sharedtarget.goals import Goal
from jointbonus.sharedtarget.plan import Overpayments, Plan, PlanMonth
from jointbonus.sharedtarget.versions import VersionCalibration

T = TypeVar("T")

__all__ = [
    "ADVANCE",
    "TRUE_UP",
    "ClosedMonth",
    "Correction",
    "GoalResult",
    "GoalWeights",
    "LedgerState",
    "Line",
    "LineFigures",
    "LineStatus",
    "MonthLines",
    "MonthResult",
    "MonthStatus",
    "Outstanding",
    "PartSplit",
    "PlanSummary",
    "RealisedWeight",
    "Recovery",
    "Result",
    "Settlement",
    "SettlementStatus",
    "SplitGroup",
    "Spread",
    "realised_weights",
    "result_argument",
]


#: The kinds of line of a plan with advances (:attr:`LineFigures.kind`): a month's advance
#: on its shared period's pay, and the period's pay less the advances, at its end.
ADVANCE, TRUE_UP = "advance", "true-up"


class MonthStatus(StrEnum):
    PAID = "paid"
    """The month has an actual and its payout (possibly 0) was computed."""
    PENDING = "pending"
    """No actual yet: nothing is paid and the month is reported as pending."""


class LineStatus(StrEnum):
    PAID = "paid"
    ZERO = "zero"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class GoalResult:
    """One functional goal's month: attainment, factor after the gate, and its part."""

    goal: Goal
    target: Fraction
    actual: Decimal
    attainment: Fraction
    factor: Fraction
    """The payout factor the goal's part pays at: 0 when the functional gate or the
    goal's own gate is closed."""
    gated: bool
    """Whether the functional gate closed the part (the shared attainment fell short)."""
    pool: int
    """Pool funding: the goal's pool; individual funding: the sum of its lines."""
    goal_gated: bool = False
    """Whether the goal's own gate closed the part (the attainment it reads, see
    :attr:`Goal.gate <jointbonus.Goal.gate>`, fell short)."""


@dataclass(frozen=True, slots=True)
class LineFigures:
    """What a statement line says, but whose it is: one per distinct line of a month."""

    days: int
    """Days active in the month."""
    weight: Fraction
    """Eligible weight: FTE x days active / days in month (0 when not paid)."""
    shared: int
    """The shared part, minor units (before the caps)."""
    functional: tuple[tuple[str, int], ...]
    """Each functional part of the member's team, by metric: ``(metric, minor units)``."""
    capped: int
    """What the caps cut, minor units."""
    total: int
    """What the member is owed for the month: every part, less what the caps cut."""
    held: int
    """Part of ``total`` held until the plan year ends (the plan's holdback)."""
    status: LineStatus
    reason: str
    """Why the total is zero; on a paid line of a plan with goals, why a part of it is."""
    standing: str = ""
    """Why the member's standing gives them no weight this month ('' when it gives one):
    not yet started, left, the leaver rule, no salary or target bonus to weight by."""
    kind: str = ""
    """A plan with advances: ``advance`` in a month inside a shared period (``total`` is the
    month's advance), ``true-up`` in the month that ends it (``total`` is the period's pay
    less ``advanced``); ``""`` otherwise."""
    advanced: int = 0
    """A ``true-up`` line: the advances paid to the member earlier in the period."""

    @classmethod
    def made(  # noqa: PLR0917 - the fields in their order
        cls,
        days: int,
        weight: Fraction,
        shared: int,
        functional: tuple[tuple[str, int], ...],
        capped: int,
        total: int,
        held: int,
        status: LineStatus,
        reason: str,
        standing: str,
        kind: str = "",
        advanced: int = 0,
    ) -> LineFigures:
        """The same value as ``LineFigures(...)`` with these fields, made faster.

        A year of 100,000 members has tens of thousands of distinct lines; a
        frozen value's ``__init__`` sets each field through
        ``object.__setattr__`` by name, here each slot's own setter sets it.
        """
        figures = object.__new__(cls)
        _SET_DAYS(figures, days)
        _SET_WEIGHT(figures, weight)
        _SET_SHARED(figures, shared)
        _SET_FUNCTIONAL(figures, functional)
        _SET_CAPPED(figures, capped)
        _SET_TOTAL(figures, total)
        _SET_HELD(figures, held)
        _SET_STATUS(figures, status)
        _SET_REASON(figures, reason)
        _SET_STANDING(figures, standing)
        _SET_KIND(figures, kind)
        _SET_ADVANCED(figures, advanced)
        return figures


#: The setter of each of LineFigures' slots, for :meth:`LineFigures.made`.
(
    _SET_DAYS,
    _SET_WEIGHT,
    _SET_SHARED,
    _SET_FUNCTIONAL,
    _SET_CAPPED,
    _SET_TOTAL,
    _SET_HELD,
    _SET_STATUS,
    _SET_REASON,
    _SET_STANDING,
    _SET_KIND,
    _SET_ADVANCED,
) = (
    vars(LineFigures)[name].__set__
    for name in (
        "days",
        "weight",
        "shared",
        "functional",
        "capped",
        "total",
        "held",
        "status",
        "reason",
        "standing",
        "kind",
        "advanced",
    )
)


@dataclass(frozen=True, slots=True)
class MonthLines:
    """A month's lines: its distinct :class:`LineFigures`, and which one each member has.

    Members are gathered in cohorts (members whose standing reads the same in
    every month); most members have their cohort's line, and the few who got
    a leftover unit or a cut have their own. ``lines[position]`` is the
    figures of the member at ``position`` in ``plan.members``;
    :attr:`of_member` is, for every member, the index of their line in
    ``figures``.
    """

    figures: tuple[LineFigures, ...]
    of_cohort: Sequence[int]
    """The index in ``figures`` of each cohort's line."""
    cohort_of: Sequence[int]
    """The cohort of each member, by position (the same for every month of a result)."""
    own: Mapping[int, int]
    """The members whose line is not their cohort's: position -> index in ``figures``."""

    def index(self, position: int) -> int:
        """The index in ``figures`` of the line of the member at ``position``."""
        own = self.own.get(position)
        return self.of_cohort[self.cohort_of[position]] if own is None else own

    def __getitem__(self, position: int) -> LineFigures:
        return self.figures[self.index(position)]

    def __len__(self) -> int:
        return len(self.cohort_of)

    def spread(self, items: Sequence[T]) -> Sequence[T]:
        """``items`` (one per distinct line) as one per member, in member order.

        ``lines.spread(texts)[position]`` is the text of the member's line:
        a writer formats each distinct line once and spreads the texts. (A
        writer spreading month after month spreads with one :class:`Spread`.)
        """
        return Spread()(self, items)

    @property
    def of_member(self) -> Sequence[int]:
        """For every member, in member order, the index in ``figures`` of their line."""
        return self.spread(range(len(self.figures)))


class Spread:
    """:meth:`MonthLines.spread`, month after month: one per writer of a result's months.

    A month's items go to the members through each member's cohort. The
    cohorts are the same every month of a result (the months' lines share one
    ``cohort_of``), so the members' cohorts are read into one
    :func:`~jointbonus.core.roster.taker` once, not once a month: at 100,000 members
    that is nearly a third of the time a month's spreading takes. They are read again
    when a month's lines have cohorts of their own.
    """

    def __init__(self) -> None:
        self._cohort_of: Sequence[int] | None = None
        self._by_member: Callable[[list[Any]], Sequence[Any]] = tuple

    def __call__(self, lines: MonthLines, items: Sequence[T]) -> Sequence[T]:
        """``lines.spread(items)``: a tuple, or a list where members have lines of their own."""
        if lines.cohort_of is not self._cohort_of:
            self._cohort_of = lines.cohort_of
            self._by_member = taker(lines.cohort_of)
        by_member = self._by_member([items[index] for index in lines.of_cohort])
        if not lines.own:
            return by_member
        spread = list(by_member)
        for position, index in lines.own.items():
            spread[position] = items[index]
        return spread


@dataclass(frozen=True, slots=True)
class SplitGroup:
    """Members who shared one part of a month alike: their weight and what they got."""

    positions: tuple[int, ...]
    """The members' places in ``plan.members``, ascending."""
    weight: Fraction
    """Each member's weight in the split: FTE x 10^6 x days active (x the annual salary or
    target bonus in minor units, for a pool split by them), and for the shared part of a plan
    with goals, x their team's shared weight x the factor its shared part paid at."""
    base: int
    """What each member got before the leftover units, minor units."""
    bumped: frozenset[int]
    """The members (positions) given one leftover unit (one unit less for a negative part)."""
    step: int = 1

    def share(self, position: int) -> int:
        """What the member at ``position`` got."""
        return self.base + self.step if position in self.bumped else self.base


@dataclass(frozen=True, slots=True)
class PartSplit:
    """How one part of a month's pay was shared out: the shared goal's or a goal's.

    Pool funding: the pool goes by largest remainder: each member first gets
    their exact share rounded toward zero, then the leftover units go one
    each to the largest remainders, equal remainders to the lower member id.
    Individual funding: each member's line of the part is rounded by itself
    (no leftover units); ``pool`` is the lines' sum.

    The members come in groups paid alike (:attr:`groups`); the columns below
    hold, group by group, what makes each group's weight and shares.
    """

    name: str
    """``"shared"``, or the goal's ``team/metric``."""
    pool: int
    exact: Fraction
    """The part before rounding, minor units."""
    positions: tuple[tuple[int, ...], ...]
    """Each group's members: their places in ``plan.members``, ascending."""
    split: Sequence[int]
    """Each group's split weight per member: FTE x 10^6 x days active (x the annual salary
    or target bonus in minor units, for a pool split or funded by them)."""
    teams: Sequence[int]
    """Each group's team: its place in ``plan.functional.terms``."""
    slices: Sequence[Fraction]
    """Per team, what a split weight counts for in this part: for the shared part of a plan
    with goals, the team's shared weight x the factor its shared part paid at; for a goal's
    part, 1 for the goal's team and 0 for the others; else 1."""
    shares: Sequence[GroupShare]
    """Each group's shares."""
    mixed: Mapping[int, Fraction] = field(default_factory=dict)
    """The weight in this part of each group whose members move team during the month:
    the split weight of their days in each team, times that team's slice."""

    def weight_of(self, group: int) -> Fraction:
        """A member's weight in the split, in ``group``."""
        found = self.mixed.get(group)
        if found is not None:
            return found
        return self.split[group] * self.slices[self.teams[group]]

    @property
    def groups(self) -> tuple[SplitGroup, ...]:
        """Each group: its members, their weight in the split and what they got."""
        weight_of = self.weight_of
        return tuple(
            SplitGroup(
                members,
                weight_of(group),
                share.base,
                frozenset(members[: share.bumped]),
                share.step,
            )
            for group, (members, share) in enumerate(zip(self.positions, self.shares, strict=True))
        )

    @property
    def total_weight(self) -> Fraction:
        """The sum of every member's weight in the split."""
        weight_of = self.weight_of
        return sum(
            (weight_of(group) * len(members) for group, members in enumerate(self.positions)),
            Fraction(0),
        )

    @property
    def sharing(self) -> int:
        """How many members have a weight in the split."""
        return sum(len(g.positions) for g in self.groups if g.weight)

    @property
    def paid_members(self) -> int:
        """How many members received something of the part."""
        return sum(
            len(members) if share.base else share.bumped
            for members, share in zip(self.positions, self.shares, strict=True)
        )

    @property
    def leftover_receivers(self) -> list[int]:
        """The members (positions, ascending) given a leftover unit."""
        return sorted(
            p
            for members, share in zip(self.positions, self.shares, strict=True)
            for p in members[: share.bumped]
        )


@dataclass(frozen=True, slots=True)
class GoalWeights:
    """A month's own weights, on which its goals are paid beside a longer shared period."""

    total_split_weight: int
    team_split_weights: tuple[int, ...]
    weighting: Fraction
    """What the period's amounts at target make of the month's for its goals: the period's
    weighting, over its months under pool funding."""
    weights: tuple[Fraction, ...]
    """Each member's weight in the month alone, by place in ``plan.members``."""


@dataclass(frozen=True, slots=True)
class MonthResult:
    """One month's outcome: attainment, factor, pool, how it was split, and its lines."""

    plan_month: PlanMonth
    status: MonthStatus
    attainment: Fraction | None
    factor: Fraction | None
    hit: bool | None
    """Whether the month met its target (attainment >= 100%); ``None`` while pending.

    Hit or miss is about the target, not the curve: a curve with a threshold
    below 100% can pay in a missed month, and one above 100% can pay nothing
    in a hit month."""
    pool: int | None
    """Pool funding: the month's shared pool; individual funding: the sum of the shared
    lines."""
    paid: int
    """What members earned, minor units (0 when nobody was eligible); with a
    holdback, part of it is paid at the year end."""
    lines: MonthLines
    held: int = 0
    """Held back from this month's lines until the year end."""
    forfeited: int = 0
    """Of ``held``, what members leaving before the year end will never be paid."""
    capped: int = 0
    """What the caps cut from the month's lines, in total (never paid)."""
    goals: tuple[GoalResult, ...] = ()
    """Each functional goal's outcome and part, in ``plan.goals`` order."""
    team_factors: tuple[Fraction, ...] = ()
    """Per team of ``plan.functional.terms``: the factor its shared part paid at, 0 where
    the shared gate closed it (empty for a plan without goals, or while pending)."""
    splits: tuple[PartSplit, ...] = ()
    """How each part was shared out, the shared part first, then each goal's (empty while
    pending)."""
    sharing: int = 0
    """How many members take part in the month's split (a split weight above 0)."""
    total_weight: Fraction = Fraction(0)
    """Their eligible weights summed (FTE x days active / days in the month)."""
    total_split_weight: int = 0
    """Their split weights summed: FTE x 10^6 x days active, times the annual salary or
    target bonus in minor units where the plan splits or funds by it; 0 when nobody is
    eligible."""
    team_split_weights: tuple[int, ...] = ()
    """``total_split_weight`` team by team of ``plan.functional.terms`` (a plan with goals)."""
    corrections: tuple[Correction, ...] = ()
    """The corrections of earlier, closed months this month carries (a plan with a ledger)."""
    shared_period: str = ""
    """With a shared target over a quarter or a plan year: the period the month lies in
    (``2026-Q1 (2026-01 to 2026-03)``); "" for a monthly shared target."""
    ends_period: bool = True
    """Whether the month pays the shared target: every month of a monthly one; else only
    the month that ends its period, whose target, actual and attainment are the period's
    (summed). A month inside a period pays nothing and has no attainment of its own."""
    weighting: Fraction = Fraction(1)
    """What the weight of the period the month pays makes of its amounts at target:
    periods a year x the period's weight (1 under equal weights; ``period_weights``)."""
    advances: tuple[int, ...] = ()
    """A plan with ``advance``, in a month inside a period with its actual: each member's
    advance this month on the period's pay, by their place in ``plan.members`` (empty
    otherwise; :mod:`jointbonus.sharedtarget.pay.advances`)."""
    advanced: tuple[int, ...] = ()
    """A plan with ``advance``, in the month that ends a period (paid): each member's
    advances paid in the period, by place; their true-up is their pay less this."""
    goal_weights: GoalWeights | None = None
    """In a plan with functional goals and a longer shared period: the month's own weights,
    which its goals are paid on (the month's shared figures above are its period's);
    ``None`` else, where every part is paid on the same weights."""

    @property
    def month(self) -> Month:
        return self.plan_month.month

    @property
    def advance(self) -> int:
        """What the month advances on its period's pay, in total (0 without advances)."""
        return sum(self.advances)

    @property
    def advances_paid(self) -> int:
        """In the month that ends a period: the advances paid in the period, in total."""
        return sum(self.advanced)

    @property
    def true_up(self) -> int:
        """In the month that ends a period: the period's pay less the advances paid in it."""
        return self.paid - self.advances_paid

    @property
    def eligible(self) -> bool:
        """Whether anyone could receive a share of the month's pool."""
        return self.total_split_weight > 0

    def shared_for(self, team: int) -> Fraction:
        """The factor the shared part of team ``team`` paid at (after the shared gate)."""
        if self.team_factors:
            return self.team_factors[team]
        return self.factor or Fraction(0)


# -- the payment ledger: closed months, corrections, recoveries ------------------------


@dataclass(frozen=True, slots=True)
class ClosedMonth:
    """A month closed in the payment ledger: when, by which run, and what it paid."""

    month: Month
    closed_at: str
    """When it was closed: UTC, ``YYYY-MM-DDTHH:MM:SSZ``."""
    jointbonus: str
    """The version of jointbonus that closed it."""
    results_digest: str
    """The results digest of the run that paid it (``jointbonus run PLAN --out DIR`` writes
    the same digest into ``DIR/manifest.json``)."""
    plan_sha256: str
    """The SHA-256 of the plan file then."""
    inputs: tuple[tuple[str, str], ...]
    """Each input file then: ``(name, SHA-256)``."""
    paid: int
    """What was paid with the month in all: the lines (less any holdback), the corrections
    it carried, less what was clawed back."""


@dataclass(frozen=True, slots=True)
class Correction:
    """What a closed month pays a member now, less what was paid for it so far.

    For each part, ``correction = recomputed amount - recorded amount`` (less
    what earlier corrections of the month already paid). It is carried in the
    first open month (``carried_in``) and labelled with the month it corrects.
    Amounts are minor units; a negative one is an overpayment.
    """

    member_id: str
    team: str
    corrects: Month
    """The closed month it corrects."""
    carried_in: Month | None
    """The month that carries it; ``None`` when every month of the plan is closed."""
    shared: int
    functional: tuple[tuple[str, int], ...]
    """Each functional part's correction, by metric."""
    capped: int
    total: int
    """The correction of the month's total: shared + functional - capped."""
    held: int
    """The correction of what is held back until the year end (settled with the year end)."""
    was: int
    """The month's total for the member before this correction: recorded when the month was
    closed, plus every earlier correction of it."""
    paid: int
    """What the correction pays with the month that carries it: ``paid_now``; an
    overpayment the company absorbs pays nothing (and takes nothing back)."""
    closed: bool
    """Whether the ledger records it as paid (``carried_in`` is closed)."""

    @property
    def paid_now(self) -> int:
        """The part paid with the month that carries it: ``total - held``."""
        return self.total - self.held

    @property
    def now(self) -> int:
        """The month's total for the member on the current inputs."""
        return self.was + self.total


@dataclass(frozen=True, slots=True)
class Recovery:
    """A member's overpayments in one month: brought in, arising, and what became of them.

    ``brought + overpaid = absorbed + deducted + carried``: an overpayment is
    absorbed by the company, deducted from the month's payment (never below
    zero), or carried to the next month.
    """

    member_id: str
    team: str
    month: Month | None
    """The month whose payment it is deducted from; ``None`` when every month of the plan is
    closed (nothing is left to deduct from)."""
    brought: int
    """Overpayments still to recover, carried from the months before."""
    overpaid: int
    """Overpayments the month's corrections make: each corrected month whose correction takes
    money back (``paid_now`` below zero), as a positive amount."""
    absorbed: int
    """Of ``overpaid``, what the company bears (``absorbed`` plans)."""
    deducted: int
    """Deducted from the month's payment."""
    carried: int
    """Left to recover from the next months."""
    closed: bool
    """Whether the ledger records it (the month is closed)."""

    @property
    def adjustment(self) -> int:
        """What the recovery adds to the month's payment beside the corrections' ``paid``.

        Below zero: an earlier overpayment deducted now (a claw-back); above
        zero: the part of the month's own overpayments that its payment could
        not bear, carried forward instead of deducted now.
        """
        return self.overpaid - self.absorbed - self.deducted


@dataclass(frozen=True, slots=True)
class Outstanding:
    """An overpayment still to recover after the plan's last month."""

    member_id: str
    team: str
    amount: int
    left: date | None
    """The member's last day, if they left before the plan's last day: a leaver's debt."""

    @property
    def owed_by_leaver(self) -> bool:
        return self.left is not None


@dataclass(frozen=True, slots=True)
class LedgerState:
    """What the payment ledger holds of a plan, as a result reads it."""

    overpayments: Overpayments
    closed: tuple[ClosedMonth, ...]
    """The closed months, in plan order."""
    first_open: Month | None
    """The month that carries new corrections; ``None`` when every month is closed."""
    outstanding: tuple[Outstanding, ...] = ()
    """Per member, in member order: overpayments still to recover after the plan's months."""

    @property
    def closed_months(self) -> frozenset[Month]:
        return frozenset(c.month for c in self.closed)

    @property
    def closed_span(self) -> str:
        """The closed months as the views name them: ``2026-01`` or ``2026-01 to 2026-03``."""
        first, last = self.closed[0].month, self.closed[-1].month
        return str(first) if first == last else f"{first} to {last}"


@dataclass(frozen=True, slots=True)
class Line:
    """One member's month: the statement line."""

    member_id: str
    team: str
    period: Month
    days: int
    weight: Fraction
    """Eligible weight: FTE x days active / days in month (0 when not paid)."""
    attainment: Fraction | None
    payout_factor: Fraction | None
    shared: Decimal
    total: Decimal
    status: LineStatus
    reason: str
    """Why the total is zero; on a paid line of a plan with goals, why a part of it is."""
    held: Decimal = Decimal(0)
    """Part of ``total`` held until the plan year ends (the plan's holdback)."""
    paid_now: Decimal | None = None
    """``total`` minus ``held``: what is paid with the month (``total`` if not given)."""
    functional: tuple[tuple[str, Decimal], ...] = ()
    """Each functional part of the member's team, by metric: ``(metric, amount)``."""
    capped: Decimal = Decimal(0)
    """What the caps cut from the line (never paid); ``total`` is after the cut."""
    kind: str = ""
    """A plan with advances: ``advance`` (``total`` is the month's advance on its shared
    period's pay) or ``true-up`` (``total`` is the period's pay less ``advanced``)."""
    advanced: Decimal = Decimal(0)
    """A ``true-up`` line: the advances paid earlier in the period."""


class SettlementStatus(StrEnum):
    PAID = "paid"
    FORFEITED = "forfeited"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class Settlement:
    """A member's year-end settlement of the amounts held back from their lines in one
    plan year."""

    member_id: str
    team: str
    held: Decimal
    """Everything held back from the member's lines in the plan year so far."""
    status: SettlementStatus
    reason: str
    """Why it is not paid (forfeited or pending); empty when paid."""
    year: int = 1
    """The plan year it settles, 1 for the first (:func:`~jointbonus.core.periods.plan_years`)."""
    first: Month | None = None
    """The plan year's first month."""
    last: Month | None = None
    """The plan year's last month: the settlement falls due at its end."""

    @property
    def span(self) -> str:
        """The plan year as the views name it: ``plan year 2 (2027-01 to 2027-12)``."""
        return f"plan year {self.year} ({self.first} to {self.last})"

    @property
    def paid(self) -> Decimal:
        return self.held if self.status is SettlementStatus.PAID else Decimal(0)


@dataclass(frozen=True, slots=True)
class RealisedWeight:
    """What one team actually earned from each side in the months paid so far."""

    team: str
    shared: int
    """Earned from the shared goal, minor units, before caps."""
    functional: int
    """Earned from the team's functional goals, minor units, before caps."""

    @property
    def weight(self) -> Fraction | None:
        """The realised shared weight: shared / (shared + functional); ``None`` if nothing."""
        total = self.shared + self.functional
        return Fraction(self.shared, total) if total else None


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """The year at a glance. Amounts in minor units."""

    budget: int
    expected_cost: Fraction
    """Expected cost of the whole plan over the historical scenarios."""
    paid_to_date: int
    expected_to_date: Fraction
    """What the norm expected of the months paid so far."""
    variance_to_date: Fraction
    """Paid to date minus expected to date: above 0, the teams beat the norm."""
    cost_on_pace: int
    """Paid to date plus every pending month paid at the mean payout factor so far."""
    pace_variance: int
    """Cost on current pace minus the budget."""
    months_paid: int
    months_pending: int
    months_hit: int
    held_to_date: int = 0
    """Held back from the months paid so far, payable at the year end."""
    forfeited_to_date: int = 0
    """Held back so far from members who leave before the year end: never paid."""


@dataclass(frozen=True, slots=True)
class Result:
    """A plan year paid: the plan, its calibration, each month and the summary."""

    plan: Plan
    calibration: Calibration
    months: tuple[MonthResult, ...]
    summary: PlanSummary
    realised: tuple[RealisedWeight, ...] = ()
    """Per team of a plan with functional goals: the shared and functional parts earned in
    the months paid so far, before caps (:func:`realised_weights`)."""
    ledger: LedgerState | None = None
    """What the plan's payment ledger holds; ``None`` without a ledger or closed months."""
    corrections: tuple[Correction, ...] = ()
    """Every correction of a closed month: those paid with closed months, then those the
    first open month carries; each by the month that carries it, the month it corrects and
    member order."""
    recoveries: tuple[Recovery, ...] = ()
    """Each member's overpayments month by month (closed months, then open ones), in member
    order within a month."""
    versions: tuple[VersionCalibration, ...] = ()
    """A plan with later versions: each version, the months it pays and its calibration
    (:mod:`jointbonus.sharedtarget.versions`); ``()`` for a plan that never changes."""

    @property
    def several_years(self) -> bool:
        """Whether the plan runs over more than one plan year, so that each settlement names
        the plan year it settles (:func:`~jointbonus.core.periods.plan_years`)."""
        return len(self.plan.months) > YEAR

    def money(self, units: int) -> Decimal:
        """Minor units as the plan currency's exact Decimal."""
        return self.plan.currency.from_minor(units)

    def line(self, position: int, month_result: MonthResult) -> Line:
        """The statement line of the member at ``position`` in ``month_result``'s month."""
        return self.make_line(
            self.plan.members[position], month_result, month_result.lines[position]
        )

    def lines(self) -> Iterator[Line]:
        """Every member's line for every month, by period then member id."""
        members = self.plan.members
        for month_result in self.months:
            made: dict[int, Line] = {}
            lines = month_result.lines
            for position, index in enumerate(lines.of_member):
                member = members[position]
                template = made.get(index)
                if template is None:
                    line = made[index] = self.make_line(member, month_result, lines.figures[index])
                    yield line
                else:
                    yield _for_member(template, member)

    def member_lines(self, position: int) -> list[Line]:
        """The lines of the member at ``position``, month by month."""
        return [self.line(position, month_result) for month_result in self.months]

    def make_line(self, member: Member, month_result: MonthResult, figures: LineFigures) -> Line:
        """The :class:`Line` of ``member`` with the distinct line ``figures`` of a month."""
        money = self.money
        return Line(
            member_id=member.id,
            team=member.team_in(month_result.month),
            period=month_result.month,
            days=figures.days,
            weight=figures.weight,
            attainment=month_result.attainment,
            payout_factor=month_result.factor,
            shared=money(figures.shared),
            total=money(figures.total),
            status=figures.status,
            reason=figures.reason,
            held=money(figures.held),
            paid_now=money(figures.total - figures.held),
            functional=tuple((metric, money(part)) for metric, part in figures.functional),
            capped=money(figures.capped),
            kind=figures.kind,
            advanced=money(figures.advanced),
        )

    def settlements(self) -> Iterator[Settlement]:
        """Each member's settlement of what was held back, plan year by plan year (plans
        with a holdback); in a year, by member id.

        What is held back from a month is settled at the end of the month's
        plan year (:func:`~jointbonus.core.periods.plan_years`; a plan that
        ends within a year settles its last, short year when the plan ends). A
        member still in the plan on the year's last day is paid everything held
        back from them that year; one who left earlier forfeits it. While any
        month of the year is pending, the year's settlements are pending.

        A member has a settlement for each plan year from the one they join in
        (the first, if they joined before the plan) to the one they leave in
        (the last, if they stay): a member who joins in year 2 had nothing held
        in year 1, and one who left in year 1 has nothing held after it.
        """
        plan = self.plan
        if not plan.holdback or not plan.months:
            return
        years = plan_years(len(plan.months))
        last_year = len(years) - 1
        # The plan year each member joins and leaves in, clamped into the plan.
        joins, leaves = [], []
        year_firsts = [plan.months[year[0]].month.first_day for year in years]
        for member in plan.members:
            joins.append(max(0, bisect_right(year_firsts, member.start) - 1))
            end = member.end
            leaves.append(last_year if end is None else max(0, bisect_right(year_firsts, end) - 1))
        for number, year in enumerate(years):
            held = [0] * len(plan.members)
            for month_result in self.months[year.start : year.stop]:
                figures = month_result.lines.figures
                for position, index in enumerate(month_result.lines.of_member):
                    held[position] += figures[index].held
            months = self.months[year.start : year.stop]
            pending = any(m.status is MonthStatus.PENDING for m in months)
            first, last = months[0].month, months[-1].month
            year_end = last.last_day
            for position, member in enumerate(plan.members):
                if not joins[position] <= number <= leaves[position]:
                    continue
                if member.start > year_end:  # joins after a plan's short last year ends
                    continue
                stays = member.end is None or member.end >= year_end
                if pending:
                    status, reason = SettlementStatus.PENDING, "the plan year is not over yet"
                elif stays:
                    status, reason = SettlementStatus.PAID, ""
                else:
                    status = SettlementStatus.FORFEITED
                    reason = (
                        f"left on {member.end.isoformat() if member.end else '?'}, before the "
                        f"plan year ended on {year_end.isoformat()}; held-back amounts are paid "
                        "only to those still in the plan then"
                    )
                yield Settlement(
                    member.id,
                    member.team,
                    self.money(held[position]),
                    status,
                    reason,
                    number + 1,
                    first,
                    last,
                )


def _for_member(line: Line, member: Member) -> Line:
    """``line`` as the line of ``member`` (the same figures)."""
    return Line(
        member.id,
        member.team_in(line.period),
        line.period,
        line.days,
        line.weight,
        line.attainment,
        line.payout_factor,
        line.shared,
        line.total,
        line.status,
        line.reason,
        line.held,
        line.paid_now,
        line.functional,
        line.capped,
        line.kind,
        line.advanced,
    )


def realised_weights(result: Result) -> tuple[RealisedWeight, ...]:
    """Per team, the shared and functional parts earned in the months paid so far.

    Measured before caps, like the nominal and expected weights, so the three
    compare like with like; what the caps cut is reported on its own.
    """
    result = result_argument(result)
    return result.realised


def result_argument(value: object, name: str = "result") -> Result:
    """``value`` if it is a shared-target :class:`Result`, else
    :class:`~jointbonus.errors.ArgumentError` naming argument ``name``."""
    return argument(name, value, Result, "a Result (from run or pay)")
