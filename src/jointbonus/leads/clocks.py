"""How the 48 hours are counted: on the clock, or over a calendar's business hours.

**Clock hours** (the default): elapsed time, compared in UTC, so 48 hours
are 48 hours even across a daylight-saving change (a lead delivered at 12:00
on the Saturday before clocks go forward is due at 13:00 local on Monday).

**Business hours**: the plan names a calendar -- working weekdays, the
working hours of a day and holidays -- in the plan time zone
(:class:`BusinessHours`). Only time inside working hours counts: a lead
delivered on Friday at 16:00, with working hours 9:00 to 17:00 on Monday to
Friday, has had 1 business hour by Monday 9:00 and 48 at 16:00 on the Monday
after next. The rules:

* the working days are generated with :mod:`dateutil.rrule` (daily, on the
  working weekdays, the holidays excluded);
* a working day runs from ``start`` to ``end`` local time, and counts the
  time that elapses between those two instants (a day whose hours a clock
  change cuts has an hour less, or more);
* a start or end the clocks skip is moved past the gap; one they repeat is
  the earlier;
* a lead is handled in time when the business time elapsed from its delivery
  to its handling is at most 48 hours. Outside working hours the count
  stands still, so a lead whose 48th business hour ends at 17:00 on a Friday
  is still in time when handled over the weekend, up to 9:00 on Monday: the
  window closes when the count passes 48 hours (:meth:`Clock.closes`).

>>> from datetime import datetime
>>> from jointbonus.leads.zone import UTC, Zone
>>> clock = BusinessClock(48, BusinessHours(), Zone("Europe/Berlin"))
>>> friday_4pm = datetime(2026, 1, 9, 15, tzinfo=UTC)  # 16:00 in Berlin
>>> Zone("Europe/Berlin").shown(clock.closes(friday_4pm))
'2026-01-19 16:00 CET'
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from dateutil.rrule import DAILY, rrule, rruleset

from jointbonus.errors import PlanError, problem
from jointbonus.leads.zone import LATEST_YEAR, Zone, instant_us
from jointbonus.leads.zone import us_instant as _instant

__all__ = [
    "HOUR_US",
    "BusinessClock",
    "BusinessHours",
    "Clock",
    "ClockHours",
    "instant_us",
]

_US = timedelta(microseconds=1)
#: Microseconds in an hour.
HOUR_US = 3_600_000_000

#: The last day the working hours are worked out for.
_END = date(LATEST_YEAR + 1, 12, 31)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class BusinessHours:
    """A working calendar: weekdays (0 is Monday), a day's hours, holidays.

    The default is Monday to Friday, 9:00 to 17:00, no holidays. Times are
    local times of the plan time zone, without a zone of their own.
    """

    weekdays: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    start: time = time(9)
    end: time = time(17)
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        found = []
        if (
            not isinstance(self.weekdays, frozenset)
            or not self.weekdays
            or not all(type(d) is int and 0 <= d <= 6 for d in self.weekdays)
        ):
            found.append(
                problem("business_hours.weekdays", self.weekdays, "a frozenset of 0 (Monday) to 6")
            )
        for name in ("start", "end"):
            value = getattr(self, name)
            if not isinstance(value, time) or value.tzinfo is not None:
                found.append(problem(f"business_hours.{name}", value, "a local time such as 09:00"))
        if (
            isinstance(self.start, time)
            and isinstance(self.end, time)
            and self.start.tzinfo is None
            and self.end.tzinfo is None
            and not self.start < self.end
        ):
            found.append(problem("business_hours.end", self.end, f"a time after {self.start}"))
        if not isinstance(self.holidays, frozenset) or not all(
            type(d) is date for d in self.holidays
        ):
            found.append(problem("business_hours.holidays", self.holidays, "a frozenset of dates"))
        if found:
            raise PlanError(found)

    def describe(self) -> str:
        """The calendar in words: ``Monday to Friday, 09:00 to 17:00, 2 holidays``."""
        days = sorted(self.weekdays)
        if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
            named = f"{_WEEKDAYS[days[0]]} to {_WEEKDAYS[days[-1]]}"
        else:
            named = ", ".join(_WEEKDAYS[d] for d in days)
        count = len(self.holidays)
        holidays = "no holidays" if not count else f"{count} holiday{'s' * (count != 1)}"
        return f"{named}, {self.start:%H:%M} to {self.end:%H:%M}, {holidays}"


class Clock:
    """Counts the time a lead has had: :class:`ClockHours` or :class:`BusinessClock`."""

    hours: int
    #: What the clock counts, in words: ``hours`` or ``business hours``.
    unit = "hours"

    def __init__(self, hours: int) -> None:
        if type(hours) is not int or not 1 <= hours <= 10_000:
            raise PlanError(
                [problem("handling_hours", hours, "a whole number of hours, at least 1")]
            )
        self.hours = hours
        self._limit = self.limit_us = hours * HOUR_US

    #: The microseconds :attr:`hours` are: a lead handled after more is late.
    limit_us: int

    def elapsed(self, start: datetime, end: datetime) -> int:
        """Microseconds counted from ``start`` to ``end`` (``end`` not before ``start``)."""
        return self.elapsed_us(instant_us(start), instant_us(end))

    def within(self, start: datetime, end: datetime) -> bool:
        """Whether at most :attr:`hours` are counted from ``start`` to ``end``."""
        return self.elapsed(start, end) <= self._limit

    def closes(self, start: datetime) -> datetime:
        """The instant after which more than :attr:`hours` are counted since ``start``."""
        return _instant(self.closes_us(instant_us(start)))

    def elapsed_us(self, start: int, end: int) -> int:
        """:meth:`elapsed` of instants as microseconds since 1970 (``instant_us``)."""
        raise NotImplementedError

    def closes_us(self, start: int) -> int:
        """:meth:`closes` of an instant as microseconds since 1970 (``instant_us``)."""
        raise NotImplementedError

    def describe(self) -> str:
        """The hours in words, for a figure's window and the review list."""
        raise NotImplementedError


class ClockHours(Clock):
    """Elapsed hours, compared in UTC (module docstring)."""

    def __init__(self, hours: int = 48) -> None:
        super().__init__(hours)
        self._delta = timedelta(hours=hours)

    def elapsed(self, start: datetime, end: datetime) -> int:
        return (end - start) // _US

    def within(self, start: datetime, end: datetime) -> bool:
        return end - start <= self._delta

    def closes(self, start: datetime) -> datetime:
        return start + self._delta

    def elapsed_us(self, start: int, end: int) -> int:
        return end - start

    def closes_us(self, start: int) -> int:
        return start + self._limit

    def describe(self) -> str:
        return f"{self.hours} hours"


class BusinessClock(Clock):
    """Hours counted over the working hours of ``calendar`` in ``zone`` (module docstring).

    The working intervals are kept as sorted lists of microseconds with the
    business time before each, so that the business time of any instant is
    one bisection: ``B(t)``, and the time from ``a`` to ``b`` is
    ``B(b) - B(a)``. The lists grow to cover whatever instant is asked about
    (``first_day``: the earliest day expected, to build them once).
    """

    def __init__(
        self, hours: int, calendar: BusinessHours, zone: Zone, first_day: date | None = None
    ) -> None:
        super().__init__(hours)
        if not isinstance(calendar, BusinessHours):
            raise PlanError([problem("business_hours", calendar, "a BusinessHours calendar")])
        self.calendar = calendar
        self.zone = zone
        self._restart(first_day)

    def _restart(self, first: date | None) -> None:
        """Forget the intervals; start again from the day ``first`` (``None``: when asked)."""
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._before: list[int] = []  # business time before each interval
        self._through: list[int] = []  # business time up to each interval's end
        self._first: date | None = first
        self._last = first - timedelta(days=1) if first is not None else None

    unit = "business hours"

    def describe(self) -> str:
        return f"{self.hours} business hours ({self.calendar.describe()})"

    def _extend(self, last: date) -> None:
        """Add the working intervals of the days after :attr:`_last` up to ``last``."""
        if self._last is None:
            raise ValueError("the intervals have no first day yet")
        if last.year > LATEST_YEAR + 1:
            raise PlanError(
                [
                    problem(
                        "business_hours",
                        self.calendar.describe(),
                        f"a calendar with working hours before {LATEST_YEAR + 2}",
                    )
                ]
            )
        days = rruleset()
        days.rrule(
            rrule(
                DAILY,
                dtstart=datetime.combine(self._last + timedelta(days=1), time()),
                until=datetime.combine(last, time()),
                byweekday=sorted(self.calendar.weekdays),
            )
        )
        for holiday in self.calendar.holidays:
            days.exdate(datetime.combine(holiday, time()))
        start, end, resolve = self.calendar.start, self.calendar.end, self.zone.resolve
        total = self._through[-1] if self._through else 0
        for day in days:
            begin = instant_us(resolve(datetime.combine(day.date(), start)))
            finish = instant_us(resolve(datetime.combine(day.date(), end)))
            if finish <= begin:
                continue
            self._starts.append(begin)
            self._ends.append(finish)
            self._before.append(total)
            total += finish - begin
            self._through.append(total)
        self._last = last

    def _reach(self, us: int) -> None:
        """Cover the instant ``us`` and a working interval after it."""
        if self._first is None or us < instant_us(self.zone.day_start(self._first)):
            self._restart(self.zone.local_day(_instant(us)) - timedelta(days=1))
        while (
            self._first is not None
            and self._last is not None
            and (not self._starts or self._starts[-1] <= us)
        ):
            span = max(31, (self._last - self._first).days)
            target = max(self._last + timedelta(days=span), self.zone.local_day(_instant(us)))
            self._extend(min(target, max(_END, self._last + timedelta(days=1))))

    def _cover(self, us: int) -> None:
        """Make the lists reach ``us``: forward by adding days, backward by starting again.

        Starting again changes where ``B`` counts from, so a computation covers
        its earliest instant first and only then the later ones.
        """
        if not self._starts or us >= self._starts[-1] or us < self._starts[0]:
            self._reach(us)

    def _business(self, us: int) -> int:
        """``B(us)``, business microseconds from the start of the lists (covered) to ``us``."""
        index = bisect_right(self._starts, us) - 1
        if index < 0:
            return 0
        return self._before[index] + min(us, self._ends[index]) - self._starts[index]

    def elapsed_us(self, start: int, end: int) -> int:
        self._cover(min(start, end))
        self._cover(max(start, end))
        return self._business(end) - self._business(start)

    def closes_us(self, start: int) -> int:
        self._cover(start)
        target = self._business(start) + self._limit
        while self._through[-1] <= target:
            self._reach(self._starts[-1] + 1)
        index = bisect_left(self._through, target)
        if self._through[index] == target:  # reached at a day's end: closes as the next opens
            return self._starts[index + 1]
        return self._starts[index] + target - self._before[index]
