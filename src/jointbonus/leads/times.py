"""Reading the times and dates of a lead export, exactly and strictly.

A time cell is read as follows:

* **ISO 8601**, always accepted: ``2026-01-15T09:30:00Z``,
  ``2026-01-15T10:30:00.000+01:00``, ``2026-01-15 09:30`` (HubSpot's export),
  ``2026-01-15T09:30:00.000+0000`` (Salesforce's Data Loader), read as
  :func:`dateutil.parser.isoparse` reads them (the common forms through
  :meth:`datetime.fromisoformat`, which gives the same instant, faster).
* A **locale date**, when the mapping says the export writes them so:
  ``month_first`` reads ``1/15/2026, 9:30 AM`` (Salesforce's report export in
  the United States), ``day_first`` reads ``15/01/2026 09:30`` and
  ``15.01.2026 09:30``. The order is never guessed: in a ``month_first``
  export ``15/01/2026`` is an error, not the 1st of the 15th month read the
  other way round (which is what :func:`dateutil.parser.parse` would do).
* A time with its offset (``Z``, ``+01:00``) is that instant. A time without
  one is a local time in the plan time zone (see :mod:`jointbonus.leads.zone`
  for the daylight-saving rule), and is refused when the plan names no time
  zone: a naive time could be any of 26 hours.
* The delivered, accepted and rejected columns need a time of day (the 48
  hours are counted from them); the qualified and won columns may hold a date
  alone (Salesforce's ``Converted Date`` and ``Close Date`` are dates), and of
  a time only its local day counts.
* Years outside 1900 to 2199 are refused.

>>> cells = TimeCells(Zone("Europe/Berlin"), "iso", local_allowed=True)
>>> cells.instant("2026-03-29T03:30")  # the first hour of summer time
datetime.datetime(2026, 3, 29, 1, 30, tzinfo=datetime.timezone.utc)
>>> cells.day("2026-01-31T23:30:00-05:00")  # 05:30 in Berlin on 1 February
datetime.date(2026, 2, 1)
>>> TimeCells(Zone(), "month_first", local_allowed=True).instant("1/15/2026, 12:05 AM")
datetime.datetime(2026, 1, 15, 0, 5, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from operator import add, itemgetter
from typing import Literal

from dateutil.parser import isoparse

from jointbonus.errors import JointBonusError
from jointbonus.leads.zone import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    UTC,
    NonexistentTimeError,
    Zone,
    instant_us,
)

__all__ = ["DATE_ORDERS", "DateOrder", "TimeCells", "TimeTextError"]

#: How an export writes its dates: ISO 8601 only, or also a locale's order.
DateOrder = Literal["iso", "month_first", "day_first"]
DATE_ORDERS: tuple[DateOrder, ...] = ("iso", "month_first", "day_first")

_LOCALE = re.compile(
    r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})"
    r"(?:,?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([AaPp])\.?[Mm]\.?)?)?"
)
_EXAMPLE = {
    "iso": "2026-01-15T09:30:00Z",
    "month_first": "1/15/2026, 9:30 AM or 2026-01-15T09:30:00Z",
    "day_first": "15/01/2026 09:30 or 2026-01-15T09:30:00Z",
}


#: A time in a column's common shape: its date (``2026-01-15``), ``T`` or a space,
#: its hour, and after the hour minutes, seconds, a fraction of 3 or 6 digits and
#: an offset, the last three each optional (``:30:00.000Z``, ``:30``, ``:30:00+0100``).
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_TAIL_SHAPE = re.compile(
    r":[0-9]{2}(?::[0-9]{2}(?:\.(?:[0-9]{3}){1,2})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
_HEAD_END = 13
_HEAD = itemgetter(slice(0, _HEAD_END))
_TAIL = itemgetter(slice(_HEAD_END, None))
#: Microseconds in an hour and in a day; the days of 1970-01-01 (:meth:`date.toordinal`).
_HOUR_US = 3_600_000_000
_DAY_US = 24 * _HOUR_US
#: The microseconds of each hour of the day, by its two digits.
_HOURS = {f"{hour:02d}": hour * _HOUR_US for hour in range(24)}
_EPOCH_DAY = date(1970, 1, 1).toordinal()
#: Instants (microseconds since 1970 UTC) from the first of :data:`EARLIEST_YEAR` on ...
_LOW_US = (date(EARLIEST_YEAR, 1, 1).toordinal() - _EPOCH_DAY) * _DAY_US
#: ... to before the first of the year after :data:`LATEST_YEAR`.
_HIGH_US = (date(LATEST_YEAR + 1, 1, 1).toordinal() - _EPOCH_DAY) * _DAY_US


def _tail_us(tail: str) -> tuple[int, bool] | None:
    """What the text after a time's hour adds, in microseconds (its minutes, seconds and
    fraction less its UTC offset), and whether it has an offset; ``None`` if it is not
    in the common shape.

    Read by :meth:`datetime.fromisoformat` itself, after an hour of a day, so
    that it means what it means in a whole time.
    """
    if _TAIL_SHAPE.fullmatch(tail) is None:
        return None
    value = datetime.fromisoformat(f"2000-01-01T00{tail}")
    offset = value.utcoffset()
    since = (value.minute * 60 + value.second) * 1_000_000 + value.microsecond
    if offset is None:
        return since, False
    return since - offset // timedelta(microseconds=1), True


def _timed(text: str) -> bool:
    """Whether ISO 8601 ``text`` has a time of day: a date alone has no separator nor colon."""
    return "T" in text or ":" in text or " " in text or "t" in text


class _Uncommon(Exception):
    """A column :meth:`TimeCells.instants_us` leaves to :meth:`TimeCells.instant`."""


class _Tails(dict[str, int]):
    """What each tail of a column adds (:func:`_tail_us`), read when first met; every
    tail of one kind, with a UTC offset (``aware``) or without (else :class:`_Uncommon`)."""

    __slots__ = ("aware",)

    def __init__(self, *, aware: bool) -> None:
        super().__init__()
        self.aware = aware

    def __missing__(self, tail: str) -> int:
        read = _tail_us(tail)
        if read is None or read[1] is not self.aware:
            raise _Uncommon
        self[tail] = read[0]
        return read[0]


class _Heads(dict[str, "int | None"]):
    """The instant of each head of a column (its day and hour), read when first met:
    in UTC, or if ``local`` in the plan time zone; ``None`` for a local day the clocks
    change on. Each day is worked out once, by :meth:`TimeCells._day_us`."""

    __slots__ = ("_cells", "_days", "_local")

    def __init__(self, cells: TimeCells, *, local: bool) -> None:
        super().__init__()
        self._cells = cells
        self._local = local
        self._days: dict[str, int | None] = {}

    def __missing__(self, head: str) -> int | None:
        hour = _HOURS.get(head[11:13])
        if hour is None or head[10] not in "T ":
            raise _Uncommon
        text = head[:10]
        days = self._days
        if text in days:
            base = days[text]
        else:
            base = days[text] = self._cells._day_us(text, local=self._local)
        found = self[head] = None if base is None else base + hour
        return found


class TimeTextError(JointBonusError, ValueError):
    """A cell that is not a time or date this export's rules accept.

    ``expected`` says what would be: the message of a located problem.
    """

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


class TimeCells:
    """Reads the time cells of one export: its plan time zone and date order.

    ``local_allowed``: whether times without an offset are read in ``zone``
    (the plan named a time zone) or refused.
    """

    __slots__ = ("_dates", "local_allowed", "order", "zone")

    def __init__(self, zone: Zone, order: DateOrder, *, local_allowed: bool) -> None:
        if order not in DATE_ORDERS:
            raise ValueError(f"date order: got {order!r}, expected one of {DATE_ORDERS}")
        self.zone = zone
        self.order = order
        self.local_allowed = local_allowed
        self._dates: dict[str, date] = {}

    @property
    def example(self) -> str:
        return _EXAMPLE[self.order]

    def _read(self, text: str) -> tuple[datetime, bool]:
        """``(value, has a time of day)``; the value naive or aware, as written."""
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            value = None
        if value is not None:
            return value, _timed(text)
        if self.order != "iso":
            match = _LOCALE.fullmatch(text)
            if match is not None:
                return self._locale(match), match[4] is not None
        try:
            return isoparse(text), _timed(text)
        except (ValueError, OverflowError):
            raise TimeTextError(f"a date and time such as {self.example}") from None

    def _locale(self, match: re.Match[str]) -> datetime:
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        month, day = (first, second) if self.order == "month_first" else (second, first)
        hour = int(match[4] or 0)
        minute, second_ = int(match[5] or 0), int(match[6] or 0)
        if match[7] is not None:  # a 12-hour clock: 12:05 AM is 00:05, 12:05 PM is 12:05
            if not 1 <= hour <= 12:
                raise TimeTextError(f"an hour from 1 to 12 before AM or PM, as in {self.example}")
            hour = hour % 12 + (12 if match[7] in "Pp" else 0)
        try:
            return datetime(year, month, day, hour, minute, second_)
        except ValueError:
            order = "month/day/year" if self.order == "month_first" else "day/month/year"
            raise TimeTextError(f"a real date written {order}, such as {self.example}") from None

    def _checked(self, value: datetime) -> datetime:
        """``value`` as a UTC instant, or :class:`TimeTextError`."""
        if value.tzinfo is None:
            if not self.local_allowed:
                raise TimeTextError(
                    "a time with its UTC offset (2026-01-15T09:30:00+01:00 or ...Z), "
                    "or a plan time zone to read local times in"
                )
            if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
                raise TimeTextError(f"a time in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
            try:
                return self.zone.instant(value)
            except NonexistentTimeError:
                raise TimeTextError(
                    f"a local time that exists in {self.zone.label} (the clocks skip this one "
                    "when they go forward), or the time with its UTC offset"
                ) from None
        if value.tzinfo is not UTC:
            try:
                value = value.astimezone(UTC)
            except (OverflowError, ValueError):
                value = datetime.max.replace(tzinfo=UTC)  # refused just below
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise TimeTextError(f"a time in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
        return value

    def instant(self, text: str) -> datetime:
        """The instant (UTC) ``text`` writes; it must have a time of day."""
        try:  # the common case first: a full ISO time in UTC, as a CRM's API writes it
            value = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if (
                value.tzinfo is UTC
                and len(text) > 10
                and EARLIEST_YEAR <= value.year <= LATEST_YEAR
            ):
                return value
        value, timed = self._read(text)
        if not timed:
            raise TimeTextError(f"a time of day with the date, such as {self.example}")
        return self._checked(value)

    def instants_us(self, texts: list[str]) -> list[int] | None:
        """:meth:`instant` of each of a column's ``texts``, as microseconds since 1970 UTC
        (:func:`~jointbonus.leads.zone.instant_us`); ``None`` if any of them is not in
        a common shape, or is refused.

        No time is made a cell at a time. Each cell is cut in two where its hour
        ends (``2026-01-15T09`` and ``:30:00.000Z``) and each distinct head and tail
        is read once: a head as the microseconds from 1970 to its day (days from
        the civil calendar, in whole numbers) and hour, in UTC for times with an
        offset, in the plan time zone for local ones (the zone's start of each
        day, worked out once a day); a tail as its minutes, seconds and fraction
        less its offset. A cell is the sum of its two. A local time on a day the
        clocks change is read by :meth:`instant` itself: refused if the clocks
        skip it, the earlier of two if they show it twice. A column mixing local
        times with times bearing an offset gives ``None``.
        """
        if not texts:
            return []
        first = _tail_us(_TAIL(texts[0]))
        if first is None or not (first[1] or self.local_allowed):
            return None
        heads, tails = _Heads(self, local=not first[1]), _Tails(aware=first[1])
        try:
            found = list(
                map(
                    add,
                    map(heads.__getitem__, map(_HEAD, texts)),
                    map(tails.__getitem__, map(_TAIL, texts)),
                )
            )
        except _Uncommon:
            return None
        except TypeError:  # a head is None: local times on a day the clocks change
            try:
                found = [
                    instant_us(self.instant(text)) if base is None else base + tail
                    for text, base, tail in zip(
                        texts,
                        map(heads.__getitem__, map(_HEAD, texts)),
                        map(tails.__getitem__, map(_TAIL, texts)),
                        strict=True,
                    )
                ]
            except (_Uncommon, TimeTextError):
                return None
        else:
            bases = [base for base in heads.values() if base is not None]
            if (
                min(bases) + min(tails.values()) >= _LOW_US
                and max(bases) + max(tails.values()) < _HIGH_US
            ):
                return found  # no time can be out of range
        if min(found) < _LOW_US or max(found) >= _HIGH_US:
            return None
        return found

    def _day_us(self, text: str, *, local: bool) -> int | None:
        """The first instant of the day ``text`` writes (``2026-01-15``) in microseconds
        since 1970 UTC: in UTC, or if ``local`` in the plan time zone (``None`` on a day
        the clocks change there)."""
        match = _DATE.fullmatch(text)
        if match is None:
            raise _Uncommon
        year, month, day_ = map(int, match.groups())
        if local and not EARLIEST_YEAR <= year <= LATEST_YEAR:
            raise _Uncommon
        try:
            day = date(year, month, day_)
        except ValueError:
            raise _Uncommon from None
        if not local:
            return (day.toordinal() - _EPOCH_DAY) * _DAY_US
        start = self.zone.regular_start(day)
        return None if start is None else instant_us(start)

    def moment(self, text: str) -> tuple[date, datetime | None]:
        """``(local day, instant)`` of a date column's cell: the instant ``None`` for a date alone.

        A date is its own day; a time's day is its local day in the plan time zone.
        """
        known = self._dates.get(text)
        if known is not None:
            return known, None
        value, timed = self._read(text)
        if timed:
            instant = self._checked(value)
            return self.zone.local_day(instant), instant
        if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
            raise TimeTextError(f"a date in the years {EARLIEST_YEAR} to {LATEST_YEAR}")
        day = value.date()
        if len(self._dates) < 100_000:
            self._dates[text] = day
        return day, None

    def day(self, text: str) -> date:
        """The local day ``text`` writes: a date as it is, a time's day in the plan time zone."""
        return self.moment(text)[0]

    def date_only(self, text: str) -> bool:
        """Whether ``text`` (readable) is a date without a time of day."""
        return not self._read(text)[1]
