"""Shared periods: the plan's months grouped into the periods its shared target runs over.

A plan's shared target runs over a **month** (the default), a **quarter** or
a **plan year**. Quarters are fiscal quarters, counted from the plan's first
month: a plan starting in April has Q1 = April to June. A plan's months must
be a whole number of periods.

Attainment over a period is the period's actuals summed over its targets
summed, never the mean of its months' attainments: a strong month makes up
for a weak one in proportion to what each was asked for.

History is cut into periods the same way, aligned with the plan's calendar:
a historical month belongs to the period that the plan's periods, continued
backwards in steps of the period length, give it. Only whole periods of
history count (a run of history that starts or ends inside a period loses
the months that do not make a whole one); each whole historical period
gives one attainment, its actuals summed over its levels summed (the target
that applied then under the ``targets`` norm, else each month's norm level).

A **share** whose months' counts are known (:class:`ShareCounts`: 160 leads
handled within 48 hours of 190 delivered) is summed by its counts, not its
shares: over a period its attainment is its parts summed over its levels
weighted by its wholes, summed (:func:`counted_attainment`), which is the
period's share of its leads over the level when the level is the same every
month. Summing its monthly shares instead would average them, a month of 20
leads counting as much as a month of 200.

>>> [p.label for p in cut_periods(Month(2026, 4), 6, PeriodLength.QUARTER)]
['FY2026-Q1 (2026-04 to 2026-06)', 'FY2026-Q2 (2026-07 to 2026-09)']
>>> cut_periods(Month(2026, 1), 12, PeriodLength.PLAN_YEAR)[0].label
'2026 (2026-01 to 2026-12)'
>>> summed_attainment([Fraction(90), Fraction(120)], [Fraction(100), Fraction(100)])
Fraction(21, 20)
>>> months = [ShareCounts(Decimal(18), Decimal(20)), ShareCounts(Decimal(150), Decimal(200))]
>>> counted_attainment(months, [Fraction(4, 5)] * 2)  # 168 of 220 against 0.8
Fraction(21, 22)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import lcm

from jointbonus.core.history import HistoryError, HistoryMonth, Norm, NormMethod
from jointbonus.core.number import decimal_places
from jointbonus.core.periods import YEAR, Month
from jointbonus.errors import JointBonusError

__all__ = [
    "Period",
    "PeriodError",
    "PeriodLength",
    "ShareCounts",
    "counted_attainment",
    "cut_periods",
    "period_months",
    "period_norm",
    "summed_actuals",
    "summed_attainment",
]


class PeriodError(JointBonusError, ValueError):
    """Plan months that are not a whole number of shared periods."""


class PeriodLength(StrEnum):
    """The period a plan's shared target runs over."""

    MONTH = "month"
    """Each month on its own: twelve chances a year to win together (the default)."""
    QUARTER = "quarter"
    """Fiscal quarters: three months, counted from the plan's first month."""
    PLAN_YEAR = "plan_year"
    """The plan year: twelve months from the plan's first month."""

    @property
    def months(self) -> int:
        """How many months one period has."""
        return {"month": 1, "quarter": 3, "plan_year": YEAR}[self.value]

    @property
    def per_year(self) -> int:
        """How many periods a plan year has."""
        return YEAR // self.months

    @property
    def noun(self) -> str:
        """The period's name in text: ``quarter``, ``plan year``."""
        return self.value.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Period:
    """One shared period of a plan: its months, by their places in the plan."""

    number: int
    """The period's place in the plan (0 for its first)."""
    first: int
    """The place in the plan of its first month."""
    months: tuple[Month, ...]
    label: str
    """``2026-Q1 (2026-01 to 2026-03)``; ``FY2026-Q1 (...)`` for a fiscal year not in
    January; ``2026 (2026-01 to 2026-12)`` for a plan year."""
    weighting: Fraction = Fraction(1)
    """What the period's weight in its plan year makes of its amounts at target: periods
    a year x the weight (1 under equal weights, the default)."""

    @property
    def last(self) -> int:
        """The place in the plan of its last month: the month that pays it."""
        return self.first + len(self.months) - 1

    @property
    def end(self) -> Month:
        """The month that ends the period, in which its pay falls due."""
        return self.months[-1]

    @property
    def weight_days(self) -> int:
        """The days a weight over the period is counted in: the least common multiple of
        its months' days (a month's own days for a one-month period)."""
        return lcm(*(m.days for m in self.months))

    def __contains__(self, index: object) -> bool:
        return isinstance(index, int) and self.first <= index <= self.last


def _label(months: Sequence[Month], length: PeriodLength, number: int, start: Month) -> str:
    span = f"({months[0]} to {months[-1]})"
    fiscal = "" if start.month == 1 else "FY"
    year = start.shift(YEAR * (number * length.months // YEAR)).year
    if length is PeriodLength.PLAN_YEAR:
        return f"{fiscal}{year} {span}"
    return f"{fiscal}{year}-Q{number % 4 + 1} {span}"


def cut_periods(
    start: Month, count: int, length: PeriodLength, weights: Sequence[Fraction] = ()
) -> tuple[Period, ...]:
    """The shared periods of a plan of ``count`` months from ``start``.

    Raises :class:`PeriodError` when ``count`` is not a whole number of periods.
    A monthly plan has one period per month, labelled with the month.
    ``weights`` are the periods' weights within each plan year, in order (one
    per period of a year, adding to 1; ``()``: equal); the k-th period of
    every plan year gets the k-th weight (:attr:`Period.weighting`).

    >>> quarters = cut_periods(Month(2026, 1), 24, PeriodLength.QUARTER,
    ...                        [Fraction(1, 5)] * 3 + [Fraction(2, 5)])
    >>> [str(p.weighting) for p in quarters]
    ['4/5', '4/5', '4/5', '8/5', '4/5', '4/5', '4/5', '8/5']
    """
    size = length.months
    if count % size:
        raise PeriodError(
            f"got {count} plan months, expected a whole number of {length.noun}s "
            f"({size} months each): a multiple of {size}"
        )
    periods = []
    for number in range(count // size):
        months = tuple(start.shift(number * size + k) for k in range(size))
        label = str(months[0]) if size == 1 else _label(months, length, number, start)
        weighting = len(weights) * weights[number % len(weights)] if weights else Fraction(1)
        periods.append(Period(number, number * size, months, label, weighting))
    return tuple(periods)


def summed_actuals(actuals: Sequence[Decimal | None]) -> Decimal | None:
    """The actuals added exactly (no decimal context), or ``None`` while any is pending."""
    known = [a for a in actuals if a is not None]
    if len(known) < len(actuals):
        return None
    places = max(decimal_places(a) for a in known)
    scaled = sum(Fraction(a) for a in known) * 10**places  # whole: no actual has more places
    return Decimal(f"{scaled.numerator}E-{places}")  # built from text: exact, no context


def summed_attainment(actuals: Sequence[Fraction], targets: Sequence[Fraction]) -> Fraction:
    """Attainment over a period: its actuals summed / its targets summed (targets > 0)."""
    return sum(actuals, Fraction(0)) / sum(targets, Fraction(0))


@dataclass(frozen=True, slots=True)
class ShareCounts:
    """What one month's share is made of: ``part`` of ``whole``, exact.

    160 leads handled within 48 hours of the 190 delivered; the marketing-generated
    revenue won of all the revenue won. ``0 <= part <= whole``; a month whose
    ``whole`` is 0 has no share of its own, and adds nothing to a period's.
    """

    part: Decimal
    whole: Decimal

    @property
    def share(self) -> Fraction | None:
        """``part / whole`` (``None`` when ``whole`` is 0)."""
        return Fraction(self.part) / Fraction(self.whole) if self.whole else None


def counted_figures(
    counts: Sequence[ShareCounts], levels: Sequence[Fraction]
) -> tuple[Fraction, Fraction]:
    """A share's actual and target over a period from its months' counts: its parts
    summed, and its levels (targets) weighted by its wholes, summed -- the part the
    levels ask of the period's wholes. Their ratio is :func:`counted_attainment`."""
    part = sum((Fraction(c.part) for c in counts), Fraction(0))
    asked = sum(
        (level * Fraction(c.whole) for c, level in zip(counts, levels, strict=True)), Fraction(0)
    )
    return part, asked


def counted_attainment(counts: Sequence[ShareCounts], levels: Sequence[Fraction]) -> Fraction:
    """Attainment of a share over a period from its months' counts: its parts summed over
    its levels weighted by its wholes, summed (``sum part / sum level x whole``).

    With the same level ``t`` every month that is the period's share of its wholes
    over ``t``: ``(sum part / sum whole) / t``. Raises :class:`ZeroDivisionError` when
    the weighted levels sum to 0 (no wholes: the period has no share).
    """
    part, asked = counted_figures(counts, levels)
    return part / asked


def _history_levels(history: Sequence[HistoryMonth], norm: Norm) -> list[Fraction | None]:
    """Each historical month's level: what its actual is measured against (``None``: none)."""
    if norm.method is NormMethod.TARGETS:
        return [None if h.target is None else Fraction(h.target) for h in history]
    if norm.method is NormMethod.SAME_MONTH_MEAN:
        return [norm.levels[h.month.month] for h in history]
    window = norm.window or 1
    actuals = [Fraction(h.actual) for h in history]
    return [
        sum(actuals[i - window : i], Fraction(0)) / window if i >= window else None
        for i in range(len(history))
    ]


def period_norm(
    history: Sequence[HistoryMonth],
    monthly: Norm,
    length: PeriodLength,
    periods: Sequence[Period],
    counts: Sequence[ShareCounts] | None = None,
) -> Norm:
    """The norm at ``length``: one attainment per whole historical period, summed/summed.

    ``monthly`` is the norm of the same history month by month (its method,
    window and calendar-month levels are kept); ``periods`` are the plan's.
    The result's sample holds one attainment per whole historical period (each
    equally likely), ``sample_months`` its first months, and ``levels`` maps
    every calendar month of a plan period to the period's summed level, so that
    :meth:`~jointbonus.core.history.Norm.scenario_ratio` of a period's end
    month and summed target turns a historical period attainment into the
    plan period's. Raises :class:`~jointbonus.core.history.HistoryError` when
    the history holds no whole period.

    ``counts``, aligned with ``history``, are the counts of a share's months: a
    historical period's attainment is then :func:`counted_attainment` of its
    months' counts and levels, its parts summed over its levels weighted by its
    wholes, summed.
    """
    if length is PeriodLength.MONTH:
        return monthly
    size = length.months
    start = periods[0].months[0]
    levels = _history_levels(history, monthly)
    runs: dict[int, list[int]] = {}
    for position, h in enumerate(history):
        runs.setdefault((h.month.index() - start.index()) // size, []).append(position)
    sample = []
    sample_months = []
    for key in sorted(runs):
        positions = runs[key]
        known = [level for level in (levels[p] for p in positions) if level is not None]
        if len(known) < size:
            continue
        total = (
            sum(known, Fraction(0))
            if counts is None
            else counted_figures([counts[p] for p in positions], known)[1]
        )
        if total <= 0:
            raise HistoryError(
                f"history {history[positions[0]].month} to {history[positions[-1]].month}: "
                f"the {length.noun}'s summed level is not positive"
            )
        sample.append(
            summed_attainment([Fraction(history[p].actual) for p in positions], known)
            if counts is None
            else counted_attainment([counts[p] for p in positions], known)
        )
        sample_months.append(history[positions[0]].month)
    if not sample:
        first = history[0].month if history else None
        span = f"{len(history)} months" + (f" from {first}" if first else "")
        raise HistoryError(
            f"history: a shared {length.noun} needs at least one whole {length.noun} of "
            f"history ({size} consecutive months aligned with the plan's {length.noun}s, "
            f"which start in {start} and every {size} months before it"
            + (", after the trailing window" if monthly.method is NormMethod.TRAILING_MEAN else "")
            + f"); got {span}"
        )
    period_levels: dict[int, Fraction] = {}
    if monthly.method is not NormMethod.TARGETS:
        for period in periods:
            total = sum((monthly.levels[m.month] for m in period.months), Fraction(0))
            for m in period.months:
                period_levels[m.month] = total
    return Norm(
        monthly.method,
        tuple(sample),
        tuple(sample_months),
        period_levels,
        monthly.window,
        period=length.noun,
    )


def period_months(period: Norm, monthly: Norm, length: PeriodLength) -> tuple[tuple[int, ...], ...]:
    """The joint sample: for each scenario of ``period`` (a norm at ``length`` made by
    :func:`period_norm` from the same history as ``monthly``), the places in
    ``monthly``'s sample of the historical months that period is made of, in order.

    One historical period supplies its shared attainment *and* each of its months'
    attainments of every metric measured month by month: plan month ``k`` of a
    period in scenario ``h`` reads the monthly sample at ``period_months(...)[h][k]``.
    So a gate and the correlation between the shared goal and a monthly goal are
    kept within the period, as one historical month keeps them in a monthly plan.
    Raises :class:`~jointbonus.core.history.HistoryError` when a month of a
    historical period has no place in ``monthly``'s sample (both norms are cut from
    one history, so this says they were not).

    >>> from jointbonus.core.history import derive_norm
    >>> history = [HistoryMonth(Month(2025, m), a, 100) for m, a in
    ...            zip(range(1, 7), [90, 110, 100, 80, 120, 100])]
    >>> monthly = derive_norm(history, NormMethod.TARGETS, [Month(2026, 1)])
    >>> quarters = cut_periods(Month(2026, 1), 12, PeriodLength.QUARTER)
    >>> by_quarter = period_norm(history, monthly, PeriodLength.QUARTER, quarters)
    >>> by_quarter.sample
    (Fraction(1, 1), Fraction(1, 1))
    >>> period_months(by_quarter, monthly, PeriodLength.QUARTER)
    ((0, 1, 2), (3, 4, 5))
    """
    if length is PeriodLength.MONTH:
        return tuple((h,) for h in range(len(monthly.sample)))
    place = {month.index(): h for h, month in enumerate(monthly.sample_months)}
    joint = []
    for start in period.sample_months:
        months = [start.index() + k for k in range(length.months)]
        missing = [m for m in months if m not in place]
        if missing:
            raise HistoryError(
                f"history: the {length.noun} from {start} has no monthly attainment for "
                f"{start.shift(missing[0] - start.index())}"
            )
        joint.append(tuple(place[m] for m in months))
    return tuple(joint)
