"""Target setting: monthly targets from the norm, and how likely each is to be hit.

The targets of a plan month come from its norm (see :mod:`jointbonus.core.history`):

    target = norm level of the month x (1 + uplift), rounded half up to the minor unit

* ``same_month_mean``: the level of a month is the mean actual of the same
  calendar month over the history (every January, every February, ...), so
  the targets follow the seasons;
* ``trailing_mean``: the level is the mean of the last ``window`` historical
  months, the same for every plan month (the seasons are then in the spread
  of the attainment sample, not in the targets);
* ``targets``: the plan gives every target; there is no level to derive one
  from, so only the plan's own targets can be assessed.

The uplift carries growth and stretch over the norm. The target is published
in the plan currency, rounded to its minor unit exactly as
:func:`~jointbonus.build_plan` rounds a derived target, and every chance is
computed against that published figure.

**Chance of a hit.** A historical month of attainment ``a`` gives the plan
month the attainment ``a x level / target`` (:meth:`Norm.scenario_ratio
<jointbonus.Norm.scenario_ratio>`, as calibration reads it). The month is
*hit* in that scenario when this is at least 100%; its chance of a hit is the
share of the historical scenarios that hit it, an exact fraction. The plan's
*hit rate* is the mean chance over its months: the share of months hit in a
year like the history.

**The uplift for a wanted hit rate** (:func:`uplift_for_hit_rate`) is solved
exactly, without iteration. Scenario ``h`` hits month ``m`` while the
published target ``round(L x (1 + u))`` is at most the actual ``a_h x L``, that
is (in minor units, ``s`` per major unit) while ``u < (floor(a_h x L x s) +
1/2) / (L x s) - 1``. Each of the months x scenarios pairs stops hitting at
one such bound, so the hit rate is a step function of the uplift, and the
largest uplift still reaching the wanted rate sits just below the ``k``-th
largest bound (``k`` = wanted rate x pairs, rounded up). Uplifts are published
on a grid (``places`` decimals, 0.01% by default); the answer is the largest
grid uplift below that bound, so it reaches the wanted rate and the next one
up does not.

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve, build_plan
>>> actuals = ["100", "80", "100", "110", "99"]  # each month against the one before
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=1,
...     members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(a)) for m, a in enumerate(actuals, 8)],
...     curve=StepCurve(), budget="1200.00", norm="trailing_mean", window=1,
... )
>>> [str(a) for a in plan.norm.sample], plan.norm.level(Month(2026, 1))
(['4/5', '5/4', '11/10', '9/10'], Fraction(99, 1))
>>> proposal = propose_targets(plan, D("0.05"))   # 99 x 1.05 = 103.95
>>> proposal.months[0].target, proposal.months[0].chance
(Fraction(2079, 20), Fraction(1, 2))
>>> solution = uplift_for_hit_rate(plan, D("0.5"))  # 110/100 hits 108.90, not 108.91
>>> solution.uplift, solution.hit_rate, solution.next_hit_rate
(Fraction(1, 10), Fraction(1, 2), Fraction(1, 4))

**A shared target over a quarter or a plan year** (``period = "quarter"`` or
``"plan_year"``) is assessed at the period's length, as calibration reads it.
Each month's target is published as above, from the month's own norm level;
the period's target is its months' published targets summed, and its level
its months' levels summed (:func:`~jointbonus.core.plan_periods.period_norm`).
A historical period of attainment ``a`` (its actuals summed over its levels
summed) gives the plan period ``a x level / target``; the period is hit when
this reaches 100%, its chance is the share of the historical periods that hit
it, and the plan's hit rate is the mean chance over its periods. Under the
``targets`` norm a historical period's attainment is its actuals summed over
the targets that applied then, summed, and the plan period is hit in it when
that reaches 100%.

The uplift is solved exactly here too, one bound per (period, scenario) pair,
but not in closed form. In minor units the period's target is ``f(u)``, the
sum of its months' ``round(L_i x (1 + u) x s)``, and the scenario hits while
``f(u)`` is at most ``K = floor(a x L x s)`` (``L`` the levels summed). The
sum of roundings steps up at each month's own half units, so no formula
inverts it; but ``f`` never falls as ``u`` rises and lies within ``n/2`` of
``L x (1 + u) x s`` (``n`` months), so the bound, the least uplift with
``f(u) > K``, is one of the few uplifts at which a month's target steps up
between ``(K - n/2) / (L x s) - 1`` and ``(K + n/2) / (L x s) - 1``. It is
found by bisection over those, each checked with the exact rounded sum. A
month is a period of one month, whose bound is the closed form above.

>>> quarterly = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=3, period="quarter",
...     members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(a), D("100"))
...              for m, a in enumerate(["90", "105", "110", "95", "100", "96"], 7)],
...     curve=StepCurve(), budget="1200.00",
...     targets={"2026-01": "100", "2026-02": "100", "2026-03": "100"},
... )
>>> quarterly.norm.sample               # 305/300 and 291/300
(Fraction(61, 60), Fraction(97, 100))
>>> assessed = assess_targets(quarterly)   # 300 is hit in the 61/60 quarter only
>>> quarter = assessed.periods[0]
>>> quarter.label, quarter.target, quarter.chance
('2026-Q1 (2026-01 to 2026-03)', Fraction(300, 1), Fraction(1, 2))
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.history import HistoryError, Norm, NormMethod, derive_norm
from jointbonus.core.number import decimal_text, percent_text, to_fraction
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import Period, PeriodLength
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.plan import Plan, PlanMonth, plan_argument

__all__ = [
    "MAX_PLACES",
    "MonthFigure",
    "MonthTarget",
    "TargetError",
    "TargetSet",
    "UpliftSolution",
    "assess_targets",
    "month_by_month_norm",
    "propose_targets",
    "uplift_for_hit_rate",
]

#: Most decimals an uplift may be solved to (10 decimals is a millionth of a percent).
MAX_PLACES = 10


class TargetError(JointBonusError, ValueError):
    """Targets that cannot be set as asked (bad uplift, unreachable hit rate, no norm level)."""


@dataclass(frozen=True, slots=True)
class MonthFigure:
    """One month of a longer shared period: its own norm level and published target."""

    month: Month
    level: Fraction | None
    """The month's norm level; ``None`` under the ``targets`` norm."""
    target: Fraction
    """The month's published target, major units."""
    source: str
    """``"plan"`` for the plan's own target, else how it was derived."""


@dataclass(frozen=True, slots=True)
class MonthTarget:
    """One shared period's target and how many historical scenarios hit it: a plan
    month's, or a quarter's or a plan year's (``period``)."""

    month: Month
    """The plan month; for a longer period, the month that ends (and pays) it."""
    level: Fraction | None
    """The norm level of the metric in the month (a longer period: its months' levels
    summed); ``None`` under the ``targets`` norm."""
    target: Fraction
    """The published target, major units (a whole number of minor units when derived); a
    longer period's is its months' published targets summed."""
    source: str
    """``"plan"`` for the plan's own target, else how it was derived (``"norm x (1 + 5.00%)"``);
    a longer period's months' sources, each once, joined by ``" + "``."""
    hits: int
    """Historical scenarios in which the month (or period) reaches at least 100% of the
    target."""
    scenarios: int
    """Historical scenarios in the norm's sample: months, or periods of the same length."""
    period: Period | None = None
    """The quarter or plan year the target is set over; ``None`` for a monthly shared target."""
    parts: tuple[MonthFigure, ...] = ()
    """A longer period's months, each with its own level and target (``()`` for a month)."""

    @property
    def chance(self) -> Fraction:
        """The chance of a hit: the share of the scenarios that hit it."""
        return Fraction(self.hits, self.scenarios)

    @property
    def label(self) -> str:
        """``2026-01`` for a month; ``2026-Q1 (2026-01 to 2026-03)`` for a longer period."""
        return str(self.month) if self.period is None else self.period.label


@dataclass(frozen=True, slots=True)
class TargetSet:
    """A target for every shared period of the plan (each month, quarter or plan year),
    with its chance of a hit."""

    method: NormMethod
    uplift: Fraction | None
    """The uplift the targets were derived with; ``None`` for the plan's own targets."""
    months: tuple[MonthTarget, ...]
    """One target per shared period, in order: per month for a monthly shared target."""
    scenarios: int
    period: PeriodLength = PeriodLength.MONTH
    """What each target runs over (the plan's ``period``)."""

    @property
    def periods(self) -> tuple[MonthTarget, ...]:
        """The targets, one per shared period (``months`` under a name that fits any period)."""
        return self.months

    @property
    def hit_rate(self) -> Fraction:
        """The mean chance of a hit over the periods: the share of periods hit."""
        return Fraction(sum(m.hits for m in self.months), len(self.months) * self.scenarios)

    @property
    def expected_hits(self) -> Fraction:
        """How many of the plan's periods are hit in a run like the history, on average."""
        return self.hit_rate * len(self.months)


@dataclass(frozen=True, slots=True)
class UpliftSolution:
    """The largest uplift on the grid whose targets reach a wanted hit rate."""

    wanted: Fraction
    """The wanted hit rate."""
    places: int
    """Decimals of the uplift grid (4: steps of 0.01%)."""
    targets: TargetSet
    """The targets at the solved uplift."""
    next_uplift: Fraction
    """The next uplift on the grid (one step up)."""
    next_hit_rate: Fraction
    """The hit rate at the next uplift: below the wanted rate."""

    @property
    def uplift(self) -> Fraction:
        return self.targets.uplift if self.targets.uplift is not None else Fraction(0)

    @property
    def hit_rate(self) -> Fraction:
        """The hit rate reached: at least the wanted rate."""
        return self.targets.hit_rate


def _groups(plan: Plan) -> list[tuple[Period | None, tuple[int, ...]]]:
    """The plan's shared periods, each with the places of its months in the plan (a monthly
    shared target: each month alone, with no period)."""
    if plan.period is PeriodLength.MONTH:
        return [(None, (j,)) for j in range(len(plan.months))]
    return [(p, tuple(range(p.first, p.last + 1))) for p in plan.periods]


def month_by_month_norm(plan: Plan) -> Norm:
    """The norm month by month, whose levels give each plan month its own target.

    A monthly plan's norm is it. A longer period's norm has only the periods' summed
    levels, so the monthly one is derived again from the plan's history, as
    :func:`~jointbonus.build_plan` derived it, and checked to sum to them."""
    norm = plan.norm
    if plan.period is PeriodLength.MONTH or norm.method is NormMethod.TARGETS:
        return norm
    noun = plan.period.noun
    if not plan.history:
        raise TargetError(
            f"cannot derive the monthly norm levels of '{plan.name}': its norm runs over "
            f"{noun}s and the plan keeps no history to read each month's level from "
            "(make the plan with build_plan or load_plan)"
        )
    calendar = [m.month for m in plan.months]
    window = norm.window if norm.window is not None else 12
    try:
        monthly = derive_norm(plan.history, norm.method, calendar, window)
    except HistoryError as error:
        raise TargetError(
            f"cannot derive the monthly norm levels of '{plan.name}' from its history: {error}"
        ) from None
    for period in plan.periods:
        summed = sum((monthly.levels[m.month] for m in period.months), Fraction(0))
        if summed != norm.level(period.end):
            raise TargetError(
                f"cannot assess the targets of '{plan.name}': its norm's level for "
                f"{period.label} is not its months' levels summed from its history"
            )
    return monthly


def _hits(sorted_sample: list[Fraction], ratio: Fraction) -> int:
    """Scenarios ``a`` of the sample with ``a x ratio >= 1`` (``ratio`` > 0)."""
    return len(sorted_sample) - bisect.bisect_left(sorted_sample, 1 / ratio)


def _source(sources: Sequence[str]) -> str:
    """A period's source: its months' sources, each once, in order."""
    return " + ".join(dict.fromkeys(sources))


def _target_set(
    plan: Plan,
    figures: Sequence[MonthFigure],
    uplift: Fraction | None,
) -> TargetSet:
    """Each shared period's target (its months' ``figures`` summed) with its chance of a hit
    against the norm at the period's length, as calibration reads it."""
    norm = plan.norm
    sample = sorted(norm.sample)
    rows = []
    for period, places in _groups(plan):
        parts = [figures[j] for j in places]
        end = parts[-1].month
        if period is None:
            target, source = parts[0].target, parts[0].source
        else:
            target = sum((part.target for part in parts), Fraction(0))
            source = _source([part.source for part in parts])
        rows.append(
            MonthTarget(
                month=end,
                level=norm.level(end),
                target=target,
                source=source,
                hits=_hits(sample, norm.scenario_ratio(end, target)),
                scenarios=len(sample),
                period=period,
                parts=() if period is None else tuple(parts),
            )
        )
    return TargetSet(norm.method, uplift, tuple(rows), len(sample), plan.period)


def assess_targets(plan: Plan) -> TargetSet:
    """The plan's targets as they stand, each with its chance of a hit.

    Works under every norm; under ``targets`` each month's chance is the share
    of historical months that reached their own target. A plan whose shared
    target runs over a quarter or a plan year is assessed period by period:
    each period's target is its months' targets summed, and its chance the
    share of historical periods of the same length that reach it.
    """
    plan = plan_argument(plan)
    monthly = month_by_month_norm(plan)
    figures = [_figure(monthly, m) for m in plan.months]
    return _target_set(plan, figures, None)


def _figure(monthly: Norm, plan_month: PlanMonth) -> MonthFigure:
    return MonthFigure(
        plan_month.month,
        monthly.level(plan_month.month),
        plan_month.target,
        plan_month.target_source,
    )


def _levels(plan: Plan, monthly: Norm) -> list[Fraction]:
    """Each plan month's norm level; a :class:`TargetError` under the ``targets`` norm."""
    levels = [monthly.level(m.month) for m in plan.months]
    known = [level for level in levels if level is not None]
    if len(known) != len(levels):
        raise TargetError(
            f"cannot derive targets for '{plan.name}': its 'targets' norm takes every target "
            "from the plan and has no norm level to derive one from; use "
            "norm = 'same_month_mean' (seasonal levels) or 'trailing_mean' in [history]"
        )
    return known


def _uplift(value: Decimal | Fraction | int | str) -> Fraction:
    try:
        uplift = to_fraction(value)
    except JointBonusError as error:
        raise TargetError(
            f"uplift: got {value!r}, expected a decimal such as 0.05 ({error})"
        ) from None
    if uplift <= -1:
        raise TargetError(f"uplift: got {value!r}, expected a number above -1")
    return uplift


def propose_targets(plan: Plan, uplift: Decimal | Fraction | int | str) -> TargetSet:
    """Every plan month's target ``norm level x (1 + uplift)``, published and assessed.

    The target is rounded half up to the plan currency's minor unit, as
    :func:`~jointbonus.build_plan` rounds a derived target, and its chance is
    computed against the rounded figure (a longer shared period's against its
    months' rounded targets summed). Targets the plan file gives are not
    used: the proposal is what the norm gives for every month. Raises
    :class:`TargetError` under the ``targets`` norm, for an uplift at or below
    -1, or when a target would round to nothing.
    """
    plan = plan_argument(plan)
    monthly = month_by_month_norm(plan)
    value = _uplift(uplift)
    levels = _levels(plan, monthly)
    currency = plan.currency
    source = f"norm x (1 + {decimal_text(value * 100, 2)}%)"
    figures = []
    for plan_month, level in zip(plan.months, levels, strict=True):
        units = currency.round_to_minor(monthly.target_for(plan_month.month, value))
        if units <= 0:
            raise TargetError(
                f"uplift: got {value!r}, which gives {plan_month.month} a target of "
                f"{currency.format(units)} {currency.code}; a target must be positive"
            )
        figures.append(
            MonthFigure(plan_month.month, level, Fraction(units, currency.scale), source)
        )
    return _target_set(plan, figures, value)


def _published(levels: Sequence[Fraction], uplift: Fraction, scale: int) -> int:
    """A period's target at ``uplift`` in minor units: each month's ``level x (1 + uplift)``
    rounded half up (as ``round_to_minor`` rounds a positive amount), summed."""
    half = Fraction(1, 2)
    return sum(math.floor(level * (1 + uplift) * scale + half) for level in levels)


def _bound(levels: Sequence[Fraction], attainment: Fraction, scale: int) -> Fraction:
    """The least uplift at which a scenario of ``attainment`` (at the period's length) no
    longer hits a period whose months have ``levels``: it hits below, and misses from here.

    The scenario brings ``K = floor(attainment x L x s)`` minor units (``L`` the levels
    summed, ``s`` minor units a major); it hits while the period's published target is at
    most ``K``. One month: while ``L x (1 + u) x s < K + 1/2``. More: see the module's notes.
    """
    if len(levels) == 1:
        total = levels[0] * scale
        return Fraction(2 * math.floor(attainment * total) + 1, 2) / total - 1
    total = sum(levels, Fraction(0)) * scale
    most = math.floor(attainment * total)
    # The rounded sum is within n/2 of the unrounded one: f(low) <= K < f(high).
    count = len(levels)
    low = Fraction(2 * most - count, 2) / total - 1
    high = Fraction(2 * most + count, 2) / total - 1
    steps: set[Fraction] = set()
    for level in levels:
        units = level * scale  # this month's target steps up where units x (1 + u) = k + 1/2
        first = math.floor(units * (1 + low) - Fraction(1, 2)) + 1
        last = math.floor(units * (1 + high) - Fraction(1, 2))
        steps.update(Fraction(2 * k + 1, 2) / units - 1 for k in range(first, last + 1))
    candidates = sorted(steps)
    # The bound is the first candidate at which the rounded sum passes K (f never falls).
    lo, hi = 0, len(candidates) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if _published(levels, candidates[mid], scale) > most:
            hi = mid
        else:
            lo = mid + 1
    return candidates[lo]


def uplift_for_hit_rate(
    plan: Plan, hit_rate: Decimal | Fraction | int | str, *, places: int = 4
) -> UpliftSolution:
    """The largest uplift, in steps of ``10^-places``, whose targets reach ``hit_rate``.

    ``hit_rate`` is the wanted share of periods hit (months, or the plan's
    quarters or plan years; above 0, at most 1; practitioners often aim for
    0.6). The answer is exact (see the module's notes): at the solved uplift
    the hit rate is at least ``hit_rate``, and one step up it is below.
    Raises :class:`TargetError` for a rate no uplift reaches, under the
    ``targets`` norm, or for bad arguments.
    """
    plan = plan_argument(plan)
    monthly = month_by_month_norm(plan)
    unit = "month" if plan.period is PeriodLength.MONTH else plan.period.noun
    try:
        wanted = to_fraction(hit_rate)
    except JointBonusError as error:
        raise TargetError(
            f"hit rate: got {hit_rate!r}, expected a share such as 0.6 ({error})"
        ) from None
    if not 0 < wanted <= 1:
        raise TargetError(
            f"hit rate: got {hit_rate!r}, expected a share of {unit}s above 0 and at most 1, "
            "such as 0.6"
        )
    if not isinstance(places, int) or isinstance(places, bool) or not 0 <= places <= MAX_PLACES:
        raise TargetError(
            f"places: got {places!r}, expected a whole number of decimals from 0 to {MAX_PLACES}"
        )
    levels = _levels(plan, monthly)
    scale = plan.currency.scale
    # Scenario h hits period p while the uplift is below its bound (module notes).
    periods = [[levels[j] for j in months] for _, months in _groups(plan)]
    bounds = sorted(
        (_bound(period, a, scale) for period in periods for a in plan.norm.sample),
        reverse=True,
    )
    needed = math.ceil(wanted * len(bounds))
    step = Fraction(1, 10**places)
    uplift = (math.ceil(bounds[needed - 1] / step) - 1) * step
    if uplift <= -1:
        lowest = step - 1
        best = Fraction(sum(1 for b in bounds if b > lowest), len(bounds))
        pairs = (
            "month-scenarios (a historical month"
            if unit == "month"
            else f"pairs of a {unit} of the plan and a historical {unit} (a historical {unit}"
        )
        raise TargetError(
            f"hit rate: got {hit_rate!r}, expected at most {percent_text(best, 2)}: even the "
            f"lowest uplift on the grid, {percent_text(lowest, places - 2 if places > 2 else 0)}, "
            f"hits only that share of the {len(bounds)} {pairs} "
            "far below its norm hits no positive target)"
        )
    targets = propose_targets(plan, uplift)
    following = propose_targets(plan, uplift + step)
    return UpliftSolution(wanted, places, targets, uplift + step, following.hit_rate)
