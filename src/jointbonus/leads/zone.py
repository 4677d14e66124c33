"""The plan's time zone: instants made from local times, and the local day and month of an instant.

The rules, which every lead metric follows:

* An **instant** is an aware :class:`~datetime.datetime`; inside, every instant
  is kept in UTC (:data:`UTC`) and compared there, so "48 hours later" is 48
  elapsed hours whatever the clocks did in between.
* The **plan time zone** is an IANA name (``Europe/Berlin``,
  ``America/New_York``) read with :func:`dateutil.tz.gettz`. Without one the
  calendar is UTC's.
* A **local time** (a time written without its UTC offset) is read in the plan
  time zone. Twice a year the clocks make that ambiguous:

  - a local time that never happened (the hour skipped when clocks go forward,
    02:30 on 29 March 2026 in Europe/Berlin) is refused with
    :class:`NonexistentTimeError`: no correct local clock shows it, so the
    export or its time zone is wrong;
  - a local time that happened twice (the hour repeated when clocks go back,
    02:30 on 25 October 2026 in Europe/Berlin) is taken as the **earlier**
    of the two instants, the one still on daylight-saving time. An export of
    local times cannot say which it meant; write the offset to be exact.

* The **local day** of an instant is the day whose local midnight it follows
  and whose next midnight it precedes; a day whose midnight a clock change
  skips starts at the first instant after the gap. The **local month** is
  the month of the local day: a lead delivered at 23:30 on 31 January in New
  York (04:30 UTC on 1 February) belongs to January.

>>> berlin = Zone("Europe/Berlin")
>>> berlin.instant(datetime(2026, 10, 25, 2, 30))  # the first 02:30, still CEST
datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.timezone.utc)
>>> str(Zone("America/New_York").month_of(datetime(2026, 2, 1, 4, 30, tzinfo=UTC)))
'2026-01'
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from itertools import repeat

from dateutil import tz

from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError

#: Every instant is kept in UTC (:data:`datetime.UTC`, the same object as
#: :data:`datetime.timezone.utc`).
__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "UTC",
    "DayTable",
    "NonexistentTimeError",
    "Zone",
    "ZoneError",
    "instant_us",
    "us_instant",
]

#: Times are accepted from the start of this year ...
EARLIEST_YEAR = 1900
#: ... to the end of this one: far beyond any lead export, and it keeps the
#: arithmetic on days and months away from the ends of the calendar.
LATEST_YEAR = 2199

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_US = timedelta(microseconds=1)


def instant_us(instant: datetime) -> int:
    """``instant`` (aware) as whole microseconds since 1970-01-01 UTC: exact, never a float."""
    return (instant - _EPOCH) // _US


def us_instant(us: int) -> datetime:
    """The instant (UTC) ``us`` microseconds after 1970-01-01 UTC."""
    return _EPOCH + timedelta(microseconds=us)


_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*")
_DAY = timedelta(days=1)


class ZoneError(JointBonusError, ValueError):
    """A time zone name that is not an IANA time zone this machine knows."""


class NonexistentTimeError(JointBonusError, ValueError):
    """A local time that the plan time zone's clocks skip (when they go forward)."""


#: How many days past the one it needs :meth:`Zone.local_day` works out at a time.
_AHEAD = 31


def _ahead(day: date, days: int) -> date:
    """``day`` moved by ``days`` days, or ``day`` itself near the ends of the calendar."""
    try:
        moved = day + timedelta(days=days)
    except OverflowError:
        return day
    return moved if date.min < moved < date.max else day


class Zone:
    """The plan time zone, or UTC when ``name`` is ``None``.

    Local days are worked out once each and remembered, so turning a
    million local times into instants, or instants into months, costs a
    dictionary look-up and a subtraction each.
    """

    __slots__ = (
        "_day_list",
        "_day_starts",
        "_first_number",
        "_guess",
        "_midnights",
        "_month_list",
        "_month_starts",
        "_names",
        "_on_clock",
        "_regular",
        "_starts",
        "_tz",
        "name",
    )

    def __init__(self, name: str | None = None) -> None:
        found: tzinfo | None
        if name is None:
            found = UTC
        elif not isinstance(name, str) or not _NAME.fullmatch(name):
            raise ZoneError(
                f"time zone: got {name!r}, expected an IANA time zone name such as Europe/Berlin"
            )
        else:
            try:
                found = tz.gettz(name)
            except (OSError, ValueError):  # an unreadable zone file
                found = None
            if not isinstance(found, tz.tzfile | tz.tzutc):
                raise ZoneError(
                    f"time zone: got {name!r}, expected an IANA time zone name such as "
                    "Europe/Berlin or America/New_York"
                )
        self.name = name
        self._tz: tzinfo = found
        # Each day's first instant, whether its midnight is on the clocks, whether it is
        # regular and its local midnight, as dictionaries of plain values: a tuple kept
        # for each day would set off the garbage collector's runs over whatever large
        # lists a caller is making.
        self._starts: dict[date, datetime] = {}
        self._on_clock: dict[date, bool] = {}
        self._regular: dict[date, bool] = {}
        self._midnights: dict[date, datetime] = {}
        self._names: dict[date, str] = {}
        self._day_list: list[date] = []
        self._day_starts: list[datetime] = []
        self._month_list: list[Month] = []
        self._first_number = 0
        self._month_starts: list[datetime] = []
        offset = datetime(2001, 1, 15, 12, tzinfo=found).utcoffset()
        self._guess = offset if offset is not None else timedelta(0)

    def __repr__(self) -> str:
        return f"Zone({self.name!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Zone) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    @property
    def label(self) -> str:
        """The zone's name, ``UTC`` when none was given."""
        return self.name or "UTC"

    # -- local days ------------------------------------------------------------

    def _day(self, day: date) -> tuple[datetime, datetime, bool]:
        """``(first instant, local midnight, regular)`` of ``day``.

        Regular: its midnight is on the clocks and it lasts 24 hours, so no
        clock change falls in it and a local time is its offset from midnight.
        """
        regular = self._regular.get(day)
        if regular is None:
            start, on_clock = self._start(day)
            after, _ = self._start(day + _DAY)
            regular = self._regular[day] = on_clock and after - start == _DAY
            self._midnights[day] = datetime(day.year, day.month, day.day)
        return self._starts[day], self._midnights[day], regular

    def _start(self, day: date) -> tuple[datetime, bool]:
        """The first instant of ``day``, and whether its midnight is on the clocks."""
        start = self._starts.get(day)
        if start is None:
            start, on_clock = self._resolved(datetime(day.year, day.month, day.day))
            self._starts[day], self._on_clock[day] = start, on_clock
            return start, on_clock
        return start, self._on_clock[day]

    def _resolved(self, local: datetime) -> tuple[datetime, bool]:
        """The instant of a naive local time by dateutil, and whether the clocks show it."""
        aware = local.replace(tzinfo=self._tz)
        exists = tz.datetime_exists(aware)
        if not exists:
            aware = tz.resolve_imaginary(aware)
        return aware.astimezone(UTC), exists

    def resolve(self, local: datetime) -> datetime:
        """The instant of a naive local time, never refused: a time the clocks skip moves
        forward by the gap (02:30 becomes 03:30), a repeated one is the earlier.

        For the edges of days and working hours; a lead's times use :meth:`instant`.
        """
        start, midnight, regular = self._day(local.date())
        if regular:
            return start + (local - midnight)
        return self._resolved(local)[0]

    def day_start(self, day: date) -> datetime:
        """The first instant of the local ``day``, in UTC."""
        return self._day(day)[0]

    def regular_start(self, day: date) -> datetime | None:
        """The first instant of ``day`` if it is regular (no clock change, so every local
        time on it is its offset from midnight), else ``None``."""
        start, _midnight, regular = self._day(day)
        return start if regular else None

    def local_day(self, instant: datetime) -> date:
        """The local day ``instant`` (aware) falls on.

        Found by bisection among the first instants of the days around it,
        which are worked out once and kept in order.
        """
        starts = self._day_starts
        if not starts or instant < starts[0] or instant >= starts[-1]:
            self._cover_days(instant)
            starts = self._day_starts
        return self._day_list[bisect_right(starts, instant) - 1]

    def _find_day(self, instant: datetime) -> date:
        """The local day of ``instant``, found from a guess of the zone's offset."""
        day = (instant + self._guess).date()
        while instant < self._start(day)[0]:
            day -= _DAY
        while instant >= self._start(day + _DAY)[0]:
            day += _DAY
        return day

    def _cover_days(self, instant: datetime) -> None:
        """Extend the days kept so that one of them holds ``instant``.

        The days kept grow at the end they need, by :data:`_AHEAD` days at a
        time (an export read in time order needs a new day every day): each
        day's first instant is worked out once, not again on every extension.
        """
        day = self._find_day(instant)
        days, starts = self._day_list, self._day_starts
        if not days:
            days.append(day)
            starts.append(self._start(day)[0])
            starts.append(self._start(day + _DAY)[0])
        if day > days[-1]:
            high = max(day, _ahead(day, _AHEAD))
            starts.pop()  # the first instant after the old last day
            while days[-1] < high:
                days.append(days[-1] + _DAY)
                starts.append(self._start(days[-1])[0])
            starts.append(self._start(high + _DAY)[0])
        elif day < days[0]:
            low = min(day, _ahead(day, -_AHEAD))
            earlier = [low + _DAY * n for n in range((days[0] - low).days)]
            self._day_list = earlier + days
            self._day_starts = [self._start(d)[0] for d in earlier] + starts

    def month_of(self, instant: datetime) -> Month:
        """The local calendar month ``instant`` (aware) falls in.

        Found by bisection among the first instants of the months around it,
        which are worked out once and kept in order.
        """
        index = self.month_index(instant)  # first: it may extend the months kept
        return self._month_list[index]

    def month_index(self, instant: datetime) -> int:
        """The position of ``instant``'s month among :meth:`months_kept` (bisection)."""
        starts = self._month_starts
        if not starts or instant < starts[0] or instant >= starts[-1]:
            self._cover(instant)
            starts = self._month_starts
        return bisect_right(starts, instant) - 1

    def month_number(self, instant: datetime) -> int:
        """:meth:`Month.index` of the month ``instant`` falls in (months since year 0)."""
        starts = self._month_starts
        if not starts or instant < starts[0] or instant >= starts[-1]:
            self._cover(instant)
            starts = self._month_starts
        return self._first_number + bisect_right(starts, instant) - 1

    def months_kept(self) -> list[Month]:
        """The months worked out so far, in order (they only grow: positions may shift)."""
        return self._month_list

    def _cover(self, instant: datetime) -> None:
        """Extend the months kept so that one of them holds ``instant``."""
        day = self.local_day(instant)
        month = Month(day.year, day.month)
        if self._month_list:
            low = min(self._month_list[0], month)
            high = max(self._month_list[-1], month)
        else:
            low = high = month
        months = [low]
        while months[-1] < high:
            months.append(months[-1].shift(1))
        self._month_list = months
        self._first_number = low.index()
        self._month_starts = [self.month_start(m) for m in months]
        self._month_starts.append(self.month_end(high))

    def month_start(self, month: Month) -> datetime:
        """The first instant of ``month``, in UTC."""
        return self.day_start(month.first_day)

    def month_end(self, month: Month) -> datetime:
        """The first instant after ``month``, in UTC."""
        return self.day_start(month.last_day + _DAY)

    # -- local times ------------------------------------------------------------

    def instant(self, local: datetime) -> datetime:
        """The instant (UTC) of the naive ``local`` time, by the rules of the module docstring.

        Raises :class:`NonexistentTimeError` for a time the clocks skip.
        """
        start, midnight, regular = self._day(local.date())
        if regular:
            return start + (local - midnight)
        aware = local.replace(tzinfo=self._tz)
        if not tz.datetime_exists(aware):
            raise NonexistentTimeError(
                f"{local:%Y-%m-%d %H:%M} does not exist in {self.label}: the clocks skip it"
            )
        return tz.enfold(aware, fold=0).astimezone(UTC)

    def local(self, instant: datetime) -> datetime:
        """``instant`` as the plan time zone's clocks show it (aware)."""
        return instant.astimezone(self._tz)

    def shown(self, instant: datetime) -> str:
        """``instant`` as local text with the zone's abbreviation: ``2026-01-05 09:12 CET``.

        On a regular day the local time is the time since its midnight, and the
        abbreviation the day's; on a day the clocks change, dateutil says both.
        """
        return self.shown_on(instant, self.local_day(instant))

    def regular_name(self, day: date) -> str | None:
        """The zone's abbreviation on ``day`` if it is regular (no clock change), else ``None``."""
        start, _midnight, regular = self._day(day)
        if not regular:
            return None
        name = self._names.get(day)
        if name is None:
            name = self._names[day] = self.local(start).tzname() or self.label
        return name

    def shown_on(self, instant: datetime, day: date) -> str:
        """:meth:`shown`, for a caller who knows ``instant``'s local day already."""
        name = self.regular_name(day)
        if name is not None:
            start, midnight, _regular = self._day(day)
            return f"{(midnight + (instant - start)).isoformat(' ', 'minutes')} {name}"
        local = self.local(instant)
        return (
            f"{local.replace(tzinfo=None).isoformat(' ', 'minutes')} {local.tzname() or self.label}"
        )


class DayTable:
    """The local days of ``zone`` from the day of ``first_us`` to the day of ``last_us``.

    Instants are microseconds since 1970-01-01 UTC (:func:`instant_us`); the
    day of one is a bisection among the days' first instants, which
    :meth:`Zone.day_start` works out (DST-safe), and a whole column of them
    is one :func:`map` of :func:`~bisect.bisect_right`. What depends on a
    day alone (its month, its text) is kept by the day's position.
    """

    __slots__ = ("_names", "_texts", "_zone", "days", "months", "starts")

    def __init__(self, zone: Zone, first_us: int, last_us: int) -> None:
        first = zone.local_day(us_instant(first_us))
        last = zone.local_day(us_instant(max(first_us, last_us)))
        days = [first + _DAY * n for n in range((last - first).days + 1)]
        self._zone = zone
        #: ``starts[k]``: the first instant of ``days[k - 1]`` (``starts[0]``: of the first
        #: day, and ``starts[-1]`` the first instant after the last), so that
        #: :func:`~bisect.bisect_right` of an instant is the position of its day plus one.
        self.starts = [instant_us(zone.day_start(day)) for day in days]
        self.starts.append(instant_us(zone.day_start(last + _DAY)))
        self.days: list[date | None] = [None, *days]
        #: :meth:`Month.index` of each day's month, by the same positions.
        self.months: list[int] = [-1, *(day.year * 12 + day.month - 1 for day in days)]
        #: How the times of each regular day are written: ``"2026-01-05 "`` before the clock
        #: time and ``" CST"`` after it (``None``: a day the clocks change, or outside the
        #: table). Two lists of text, not a pair per day: pairs the garbage collector would
        #: count as new objects and run over the large columns a caller is making.
        self._texts: list[str | None] = [None]
        self._names: list[str] = [""]
        for day in days:
            name = zone.regular_name(day)
            self._texts.append(None if name is None else f"{day.isoformat()} ")
            self._names.append(f" {name}")
        self._texts.append(None)
        self._names.append("")

    def positions(self, instants: Sequence[int]) -> list[int]:
        """The position of each instant's day (``days[p]``); every instant within the table."""
        return list(map(bisect_right, repeat(self.starts, len(instants)), instants))

    def position(self, us: int) -> int:
        """The position of the day of ``us``: 0 before the table, ``len(starts)`` after it."""
        return bisect_right(self.starts, us)

    def shown(self, us: int, position: int) -> str:
        """:meth:`Zone.shown` of ``us``, whose day is at ``position``: ``2026-01-05 09:12 CST``.

        On a regular day the local time is the whole minutes since its first
        instant (as :meth:`Zone.shown_on` counts them); on any other, the zone says.
        """
        known = self._texts[position]
        if known is None:
            return self._zone.shown(us_instant(us))
        clock = _CLOCK[(us - self.starts[position - 1]) // 60_000_000]
        return f"{known}{clock}{self._names[position]}"

    def shown_all(self, instants: Iterable[int], positions: Iterable[int]) -> list[str]:
        """:meth:`shown` of each instant, whose day is at the position beside it."""
        texts, names, starts, clock, shown = (
            self._texts,
            self._names,
            self.starts,
            _CLOCK,
            self.shown,
        )
        return [
            f"{known}{clock[(us - starts[at - 1]) // 60_000_000]}{names[at]}"
            if (known := texts[at]) is not None
            else shown(us, at)
            for us, at in zip(instants, positions, strict=True)
        ]


#: The clock times of a day's minutes: ``_CLOCK[545]`` is ``"09:05"``.
_CLOCK = [f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60)]
