"""The functional lead metrics of each month, exact, each with the window that makes it final.

:func:`measure` computes, for every month from the first to the last in
which a lead was delivered, accepted or won (months of the plan time zone's
calendar, see :mod:`jointbonus.leads.zone`):

=========================  =========  ==================================================
metric                     value      what it is
=========================  =========  ==================================================
leads_delivered            int        leads delivered in the month
leads_accepted             int        of those, the leads sales accepted (at any time)
followed_up_48h            Fraction   of those delivered, the share handled within 48
                                      hours: accepted, or rejected with a reason
rejected_without_reason    int        of those delivered, the leads rejected without one
median_response_hours      Fraction   the median hours from delivery to handling of the
                                      month's delivered leads that were handled
sal_to_sql                 Fraction   of the leads accepted in the month, the share that
                                      became sales-qualified within one calendar month
marketing_revenue_share    Fraction   of the revenue won in the month, the share whose
                                      lead was marketing generated
=========================  =========  ==================================================

The rules behind them:

* A lead is **handled** at the first of its acceptance and a rejection with a
  reason; a rejection without one does not handle it. It is handled **within
  48 hours** when at most 48 hours are counted from its delivery to its
  handling: clock hours, or business hours from a calendar
  (:mod:`jointbonus.leads.clocks`).
* **Within one calendar month** of an acceptance on day *d* means on or
  before the same day of the next month; a month-end day maps to the next
  month's end (31 January -> 28 or 29 February, 30 April -> 31 May, 28
  February 2026 -> 31 March), and a day the next month lacks to its end (30
  January -> 28 February). Days are the plan time zone's.
* **Marketing's share of won revenue** counts a won lead by its source: a
  marketing-generated lead whose attribution field is empty still counts for
  marketing (and is listed for review, :mod:`jointbonus.leads.review`). A
  month without won revenue has no share (``None``); so has a month without
  leads a share of them.
* Shares are :class:`~fractions.Fraction`, counts ``int``, amounts
  :class:`~decimal.Decimal` summed exactly: never a float.

**Pending**: every figure has the instant its window **closes**
(:attr:`Figure.closes`) and is pending while the "as of" instant (the time
of the export, or now) is before it. Until then it may still change:

* delivery metrics: 48 hours (as counted) after the month's last delivery,
  and not before the month's end;
* ``sal_to_sql``: when the window of the month's last acceptance closes (the
  end of its last day), and not before the month's end;
* ``marketing_revenue_share``: the month's end.

Every figure can be traced to its leads (:meth:`LeadMetrics.trace`): the ids
behind its numerator and its denominator, whose sizes (or amounts) are the
figure's :attr:`~Figure.numerator` and :attr:`~Figure.denominator`.

>>> from datetime import datetime, timezone
>>> from jointbonus.leads.model import Lead, LeadExport
>>> t = lambda day, hour: datetime(2026, 1, day, hour, tzinfo=timezone.utc)
>>> export = LeadExport([
...     Lead("A", t(5, 9), True, accepted=t(5, 15)),
...     Lead("B", t(6, 9), True, accepted=t(9, 9)),
...     Lead("C", t(7, 9), False, rejected=t(7, 10), reason="duplicate"),
... ])
>>> metrics = measure(export, as_of=t(31, 12))
>>> figure = metrics.figure(Month(2026, 1), "followed_up_48h")
>>> figure.value, figure.pending
(Fraction(2, 3), True)
>>> metrics.trace(Month(2026, 1), "followed_up_48h").numerator
('A', 'C')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Rounded
from fractions import Fraction
from functools import reduce
from itertools import compress, groupby, islice, repeat
from operator import countOf, is_not, ne

from dateutil.relativedelta import relativedelta

from jointbonus.core.number import ZERO
from jointbonus.core.periods import Month
from jointbonus.errors import PlanError, problem
from jointbonus.leads.clocks import HOUR_US, BusinessClock, BusinessHours, Clock, ClockHours
from jointbonus.leads.model import Lead, LeadExport
from jointbonus.leads.zone import UTC, instant_us, us_instant

__all__ = [
    "COUNTS",
    "METRICS",
    "SHARES",
    "Figure",
    "LeadMetrics",
    "Trace",
    "measure",
    "qualifying_deadline",
]

#: Every metric, in the order a month's figures come in.
METRICS = (
    "leads_delivered",
    "leads_accepted",
    "followed_up_48h",
    "rejected_without_reason",
    "median_response_hours",
    "sal_to_sql",
    "marketing_revenue_share",
)
#: The metrics that are counts (``int``) and those that are shares (``Fraction`` in [0, 1]).
COUNTS = ("leads_delivered", "leads_accepted", "rejected_without_reason")
SHARES = ("followed_up_48h", "sal_to_sql", "marketing_revenue_share")

_DELIVERY = frozenset(
    {
        "leads_delivered",
        "leads_accepted",
        "followed_up_48h",
        "rejected_without_reason",
        "median_response_hours",
    }
)

#: Sums of won amounts: exact (amounts are below 10^18 with at most 18
#: decimals), whatever the ambient decimal context says.
_EXACT = Context(prec=120, traps=[Inexact, Rounded, InvalidOperation, Overflow])
_DAY = timedelta(days=1)


def qualifying_deadline(accepted_on: date) -> date:
    """The last day of the calendar month after an acceptance on ``accepted_on``.

    The same day of the next month; a month-end day maps to the next month's
    end, and a day the next month lacks to its end.

    >>> qualifying_deadline(date(2024, 1, 31)), qualifying_deadline(date(2026, 2, 28))
    (datetime.date(2024, 2, 29), datetime.date(2026, 3, 31))
    >>> qualifying_deadline(date(2024, 2, 28)), qualifying_deadline(date(2026, 1, 30))
    (datetime.date(2024, 3, 28), datetime.date(2026, 2, 28))
    """
    if (accepted_on + _DAY).month != accepted_on.month:
        return Month.of(accepted_on).shift(1).last_day
    return accepted_on + relativedelta(months=1)


@dataclass(frozen=True, slots=True)
class Figure:
    """One metric of one month.

    ``numerator`` and ``denominator`` are the sizes (or, for revenue, the
    amounts) of the two lists :meth:`LeadMetrics.trace` gives; a count has
    no denominator. ``value`` is ``None`` when a share has nothing to divide
    by. ``closes`` is when the figure's window closes, ``window`` says which
    window it is, and ``pending`` whether the "as of" instant is before it.
    """

    metric: str
    month: Month
    value: int | Fraction | None
    numerator: int | Decimal
    denominator: int | Decimal | None
    closes: datetime
    window: str
    pending: bool


@dataclass(frozen=True, slots=True)
class Trace:
    """The lead ids behind one figure's numerator and denominator, each sorted."""

    metric: str
    month: Month
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]


@dataclass
class _Month:
    """The leads of one month, by their positions in the export: delivered, accepted and won
    in it; and, derived once by :meth:`LeadMetrics._month` for its figures and for the review
    list (:mod:`jointbonus.leads.review`), those of them that break a rule, each in the
    order of its group: delivered and not handled in the hours (``late``), delivered and
    rejected without a reason (``silent``), accepted and not sales-qualified within one
    calendar month (``unqualified``)."""

    delivered: tuple[int, ...] = ()
    accepted: tuple[int, ...] = ()
    won: tuple[int, ...] = ()
    late: list[int] = field(default_factory=list)
    silent: list[int] = field(default_factory=list)
    unqualified: list[int] = field(default_factory=list)


def measure(
    export: LeadExport,
    as_of: datetime,
    *,
    business_hours: BusinessHours | None = None,
    handling_hours: int = 48,
) -> LeadMetrics:
    """The lead metrics of every month of ``export``, as of the instant ``as_of`` (aware).

    ``business_hours``: count the ``handling_hours`` (48 by default) over this
    calendar's working hours instead of on the clock. Rules: module docstring.
    """
    if not isinstance(as_of, datetime) or as_of.tzinfo is None or as_of.utcoffset() is None:
        raise PlanError([problem("as_of", as_of, "an aware datetime (with its time zone)")])
    if not isinstance(export, LeadExport):
        raise PlanError([problem("export", export, "a LeadExport (read_leads reads one)")])
    clock: Clock
    if business_hours is None:
        clock = ClockHours(handling_hours)
    else:
        first = min(export.columns.delivered, default=None)
        start_day = export.zone.local_day(us_instant(first)) - _DAY if first is not None else None
        clock = BusinessClock(handling_hours, business_hours, export.zone, start_day)
    return LeadMetrics(export, as_of.astimezone(UTC), clock)


class LeadMetrics:
    """The figures of every month of an export (module docstring), and their traces."""

    def __init__(self, export: LeadExport, as_of: datetime, clock: Clock) -> None:
        self.export = export
        self.as_of = as_of
        self.clock = clock
        columns = export.columns
        count = len(columns)
        self._months_of_days: dict[date, Month] = {}
        self._deadlines: dict[date, date] = {}
        #: Each lead's handling instant; whether it was rejected without a reason; and the
        #: qualifying deadline of the local day it was accepted on (``None``: never accepted).
        self._handled = columns.handled()
        self._silent = columns.rejected_silently()
        self._deadline_of: tuple[date | None, ...] = (None,) * count
        #: The position of each lead's day of delivery in :meth:`LeadExport.days`.
        self._delivered_at: tuple[int, ...] = ()
        #: The position of each lead's day of acceptance (0: never accepted).
        self._accepted_at: tuple[int, ...] = (0,) * count
        #: The local day at each position of :meth:`LeadExport.days` (``None`` at 0).
        self._days_of: list[date | None] = [None]
        # Grouped by the month's number (Month.index()): an int hashes in C.
        by_number: dict[int, _Month] = {}
        days = export.days()
        if days is not None:
            month_of, day_of = days.months, days.days
            self._days_of = day_of
            self._delivered_at = tuple(days.positions(columns.delivered))
            keys = list(map(month_of.__getitem__, self._delivered_at))
            for number, group in _grouped(range(count), keys).items():
                by_number[number] = _Month(delivered=group)
            has = list(map(is_not, columns.accepted, _NONES))
            accepted = list(compress(range(count), has))
            at = days.positions(list(compress(columns.accepted, has)))  # type: ignore[arg-type]
            # ``day_of[0]`` is ``None``: a lead never accepted is at position 0.
            spread = [0] * count
            for i, p in zip(accepted, at, strict=True):
                spread[i] = p
            self._accepted_at = tuple(spread)
            deadline = self.deadlines()
            deadline_at = [None, *(map(deadline, day_of[1:]))]  # type: ignore[arg-type]
            self._deadline_of = tuple(map(deadline_at.__getitem__, spread))
            keys = list(map(month_of.__getitem__, at))
            for number, group in _grouped(accepted, keys).items():
                by_number.setdefault(number, _Month()).accepted = group
            has = list(map(is_not, columns.won, _NONES))
            won = list(compress(columns.won, has))
            numbers = {day: day.year * 12 + day.month - 1 for day in set(won)}  # type: ignore[union-attr]
            keys = list(map(numbers.__getitem__, won))
            for number, group in _grouped(list(compress(range(count), has)), keys).items():
                by_number.setdefault(number, _Month()).won = group
        months: list[Month] = []
        if by_number:
            months = [Month(n // 12, n % 12 + 1) for n in range(min(by_number), max(by_number) + 1)]
        self.months: tuple[Month, ...] = tuple(months)
        self._groups = {Month(n // 12, n % 12 + 1): group for n, group in by_number.items()}
        self._figures: dict[Month, dict[str, Figure]] = {m: self._month(m) for m in months}

    # -- one lead ---------------------------------------------------------------

    def month_of_day(self, day: date) -> Month:
        """The month of a local ``day`` (a lead's won day), each made once."""
        month = self._months_of_days.get(day)
        if month is None:
            month = self._months_of_days[day] = Month(day.year, day.month)
        return month

    def in_time(self, lead: Lead) -> bool:
        """Whether ``lead`` was handled within the hours (accepted, or rejected with a reason):
        not late by the test a month's figures count (:func:`_late`)."""
        return not _late((0,), (self.response_us(lead),), self.clock.limit_us)

    def handling_closes(self, lead: Lead) -> datetime:
        """When the hours ``lead`` had to be handled in ran out."""
        return self.clock.closes(lead.delivered)

    def accepted_on(self, lead: Lead) -> date | None:
        """The local day ``lead`` was accepted."""
        return None if lead.accepted is None else self.export.zone.local_day(lead.accepted)

    def deadline(self, lead: Lead) -> date | None:
        """The last day ``lead`` could become sales-qualified and count (``None``: not accepted)."""
        day = self.accepted_on(lead)
        return None if day is None else self.deadlines()(day)

    def deadlines(self) -> Callable[[date], date]:
        """:func:`qualifying_deadline`, each day's worked out once."""
        known = self._deadlines

        def deadline(day: date) -> date:
            found = known.get(day)
            if found is None:
                found = known[day] = qualifying_deadline(day)
            return found

        return deadline

    def qualified_in_time(self, lead: Lead) -> bool:
        """Whether ``lead`` (accepted) became sales-qualified within one calendar month: not
        unqualified by the test a month's figures count (:func:`_unqualified`)."""
        deadline = self.deadline(lead)
        return deadline is not None and not _unqualified((0,), (lead.qualified,), (deadline,))

    def qualifying_closes(self, lead: Lead) -> datetime | None:
        """When the month ``lead`` (accepted) had to become sales-qualified in ended."""
        deadline = self.deadline(lead)
        return None if deadline is None else self.export.zone.day_start(deadline + _DAY)

    def response_us(self, lead: Lead) -> int | None:
        """Microseconds counted from ``lead``'s delivery to its handling (``None``: unhandled)."""
        handled = lead.handled
        end = None if handled is None else instant_us(handled)
        return _took(self.clock, (instant_us(lead.delivered),), (end,))[0]

    # -- one month ----------------------------------------------------------------

    def _month(self, month: Month) -> dict[str, Figure]:
        group = self._groups.get(month)
        if group is None:
            group = self._groups[month] = _Month()
        zone, clock, as_of = self.export.zone, self.clock, self.as_of
        month_end = zone.month_end(month)

        columns, handled = self.export.columns, self._handled
        delivered = group.delivered
        count = len(delivered)
        # A lead never accepted is at day position 0.
        accepted = count - countOf(map(self._accepted_at.__getitem__, delivered), 0)
        group.silent = list(compress(delivered, map(self._silent.__getitem__, delivered)))
        no_reason = len(group.silent)
        starts = list(map(columns.delivered.__getitem__, delivered))
        # Each lead's microseconds counted to its handling (None: never handled), once: the
        # median's values, and the test of being late, which the figure counts and the
        # review list lists.
        took = _took(clock, starts, map(handled.__getitem__, delivered))
        group.late = _late(delivered, took, clock.limit_us)
        in_time = count - len(group.late)
        responses: list[int] = list(compress(took, map(is_not, took, _NONES)))  # type: ignore[arg-type]
        responses.sort()
        closes = month_end
        if delivered:
            closes = max(month_end, us_instant(clock.closes_us(max(starts))))
        hours = clock.describe()
        window = f"{hours} after the month's last delivery, and the month's end"
        median, picked = _median(responses)

        acceptances = group.accepted
        group.unqualified = _unqualified(
            acceptances,
            map(columns.qualified.__getitem__, acceptances),
            map(self._deadline_of.__getitem__, acceptances),  # type: ignore[arg-type]
        )
        qualified = len(acceptances) - len(group.unqualified)
        qualifying = month_end
        if acceptances:
            # The deadline never goes back as the day of acceptance goes on: the month's
            # last is its last day's.
            last_day = self._days_of[max(map(self._accepted_at.__getitem__, acceptances))]
            assert last_day is not None
            last_deadline = self.deadlines()(last_day)
            qualifying = max(month_end, zone.day_start(last_deadline + _DAY))

        won = group.won
        amounts, marketing_of = columns.amount, columns.marketing
        total = reduce(_EXACT.add, (amounts[i] or ZERO for i in won), ZERO)
        marketing = reduce(_EXACT.add, (amounts[i] or ZERO for i in won if marketing_of[i]), ZERO)

        def figure(
            metric: str,
            *,
            value: int | Fraction | None,
            numerator: int | Decimal,
            denominator: int | Decimal | None,
            closes: datetime,
            window: str,
        ) -> Figure:
            return Figure(
                metric, month, value, numerator, denominator, closes, window, as_of < closes
            )

        return {
            "leads_delivered": figure(
                "leads_delivered",
                value=count,
                numerator=count,
                denominator=None,
                closes=closes,
                window=window,
            ),
            "leads_accepted": figure(
                "leads_accepted",
                value=accepted,
                numerator=accepted,
                denominator=count,
                closes=closes,
                window=window,
            ),
            "followed_up_48h": figure(
                "followed_up_48h",
                value=_share(in_time, count),
                numerator=in_time,
                denominator=count,
                closes=closes,
                window=window,
            ),
            "rejected_without_reason": figure(
                "rejected_without_reason",
                value=no_reason,
                numerator=no_reason,
                denominator=count,
                closes=closes,
                window=window,
            ),
            "median_response_hours": figure(
                "median_response_hours",
                value=median,
                numerator=picked,
                denominator=len(responses),
                closes=closes,
                window=window,
            ),
            "sal_to_sql": figure(
                "sal_to_sql",
                value=_share(qualified, len(acceptances)),
                numerator=qualified,
                denominator=len(acceptances),
                closes=qualifying,
                window="one calendar month after the month's last acceptance, and the month's end",
            ),
            "marketing_revenue_share": figure(
                "marketing_revenue_share",
                value=Fraction(marketing) / Fraction(total) if total else None,
                numerator=marketing,
                denominator=total,
                closes=month_end,
                window="the month's end",
            ),
        }

    # -- the public face ----------------------------------------------------------

    def figure(self, month: Month, metric: str) -> Figure:
        """The figure of ``metric`` (one of :data:`METRICS`) for ``month``."""
        return self._figures_of(month)[_checked(metric)]

    def figures(self, month: Month) -> tuple[Figure, ...]:
        """Every figure of ``month``, in :data:`METRICS` order."""
        found = self._figures_of(month)
        return tuple(found[metric] for metric in METRICS)

    def _figures_of(self, month: Month) -> dict[str, Figure]:
        found = self._figures.get(month)
        if found is None:
            if not isinstance(month, Month):
                raise PlanError([problem("month", month, "a Month")])
            found = self._figures[month] = self._month(month)
        return found

    def actuals(self, metric: str) -> dict[Month, int | Fraction]:
        """The final values of ``metric``, by month: pending months and ``None`` values left out."""
        _checked(metric)
        result: dict[Month, int | Fraction] = {}
        for month in self.months:
            figure = self._figures[month][metric]
            if not figure.pending and figure.value is not None:
                result[month] = figure.value
        return result

    def trace(self, month: Month, metric: str) -> Trace:
        """The lead ids behind ``metric``'s figure for ``month``: numerator and denominator."""
        _checked(metric)
        self._figures_of(month)
        group = self._groups[month]
        columns, handled = self.export.columns, self._handled
        delivered = group.delivered
        numerator: Iterable[int]
        denominator: Iterable[int] = delivered
        if metric == "leads_delivered":
            numerator, denominator = delivered, ()
        elif metric == "leads_accepted":
            numerator = (i for i in delivered if columns.accepted[i] is not None)
        elif metric == "followed_up_48h":
            late = set(group.late)
            numerator = (i for i in delivered if i not in late)
        elif metric == "rejected_without_reason":
            numerator = group.silent
        elif metric == "median_response_hours":
            took = self.clock.elapsed_us
            ordered = sorted(
                (took(columns.delivered[i], end), columns.ids[i], i)
                for i in delivered
                if (end := handled[i]) is not None
            )
            middle = len(ordered) // 2
            picks = (
                ordered[middle - 1 : middle + 1]
                if len(ordered) % 2 == 0
                else ordered[middle : middle + 1]
            )
            numerator = (i for _took, _id, i in picks)
            denominator = (i for _took, _id, i in ordered)
        elif metric == "sal_to_sql":
            unqualified = set(group.unqualified)
            numerator = (i for i in group.accepted if i not in unqualified)
            denominator = group.accepted
        else:
            numerator = (i for i in group.won if columns.marketing[i])
            denominator = group.won
        ids = columns.ids
        return Trace(
            metric,
            month,
            tuple(sorted(ids[i] for i in numerator)),
            tuple(sorted(ids[i] for i in denominator)),
        )


_NONES = repeat(None)


def _took(clock: Clock, starts: Iterable[int], ends: Iterable[int | None]) -> list[int | None]:
    """The microseconds ``clock`` counts from each delivery (``starts``) to the handling
    beside it (``ends``; ``None``: never handled, and so nothing counted)."""
    if type(clock) is ClockHours:
        return [
            None if end is None else end - start for start, end in zip(starts, ends, strict=True)
        ]
    elapsed = clock.elapsed_us
    return [
        None if end is None else elapsed(start, end)
        for start, end in zip(starts, ends, strict=True)
    ]


def _late(positions: Iterable[int], took: Iterable[int | None], limit: int) -> list[int]:
    """The positions of the leads not handled within the hours: never handled, or handled
    after more than ``limit`` microseconds counted (``took``, :func:`_took`, beside them).

    The rule's one test: a month's figure counts these leads as not followed up, the review
    list lists them, and :meth:`LeadMetrics.in_time` says it of one lead.
    """
    return [i for i, us in zip(positions, took, strict=True) if us is None or us > limit]


def _unqualified(
    positions: Iterable[int], qualified: Iterable[date | None], deadlines: Iterable[date]
) -> list[int]:
    """The positions of accepted leads not sales-qualified within one calendar month: the
    day each was qualified (``None``: never) after the deadline beside it
    (:func:`qualifying_deadline` of the day of its acceptance).

    The rule's one test: a month's ``sal_to_sql`` counts these leads out, the review list
    lists them, and :meth:`LeadMetrics.qualified_in_time` says it of one lead.
    """
    return [
        i
        for i, day, deadline in zip(positions, qualified, deadlines, strict=True)
        if day is None or day > deadline
    ]


def _grouped(indices: Sequence[int], keys: list[int]) -> dict[int, tuple[int, ...]]:
    """``indices`` grouped by their ``keys`` (a key each), each group in their order."""
    changes = _changes(keys)
    if len(changes) > len(keys) // 16:
        return _grouped_any(indices, keys)
    return _grouped_in_runs(indices, keys, changes)


def _changes(keys: list[int]) -> list[int]:
    """The positions whose key differs from the one before."""
    return list(compress(range(1, len(keys)), map(ne, keys, islice(keys, 1, None))))


def _grouped_in_runs(
    indices: Sequence[int], keys: list[int], changes: list[int]
) -> dict[int, tuple[int, ...]]:
    """:func:`_grouped` of keys that change only at ``changes`` (:func:`_changes`): an
    export in about time order has a few runs of one month each, every run a slice of
    ``indices`` added to its key's group, instead of a sort keyed through a call a lead."""
    parts: dict[int, list[int]] = {}
    start = 0
    for end in [*changes, len(keys)]:
        if start < end:
            parts.setdefault(keys[start], []).extend(indices[start:end])
        start = end
    return {key: tuple(part) for key, part in parts.items()}


def _grouped_any(indices: Sequence[int], keys: list[int]) -> dict[int, tuple[int, ...]]:
    """:func:`_grouped` of keys in any order: the positions sorted by key (a stable sort)."""
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return {
        key: tuple(map(indices.__getitem__, group))
        for key, group in groupby(order, key=keys.__getitem__)
    }


def _checked(metric: str) -> str:
    if metric not in METRICS:
        raise PlanError([problem("metric", metric, f"one of {', '.join(METRICS)}")])
    return metric


def _share(part: int, whole: int) -> Fraction | None:
    return Fraction(part, whole) if whole else None


def _median(ordered: list[int]) -> tuple[Fraction | None, int]:
    """The median of microsecond counts in hours, and how many values make it (1 or 2)."""
    if not ordered:
        return None, 0
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Fraction(ordered[middle], HOUR_US), 1
    return Fraction(ordered[middle - 1] + ordered[middle], 2 * HOUR_US), 2
