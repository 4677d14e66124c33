"""Calendar months, plan years and the days a member is active in a month.

A period is a calendar month. A plan year is a run of consecutive months,
twelve by default, that may start in any month (a fiscal year starting in
April runs April to March). Month arithmetic uses
:class:`dateutil.relativedelta.relativedelta`, so it is right across year
ends; days are counted inclusively, so a member who starts on the 31st of a
31-day month is active for one day of it.

>>> Month.parse("2024-02").days
29
>>> [str(m) for m in plan_months(Month(2025, 11), 3)]
['2025-11', '2025-12', '2026-01']
>>> active_days(Month(2024, 2), date(2024, 2, 10), date(2024, 2, 29))
20
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from jointbonus.errors import JointBonusError, argument

__all__ = ["YEAR", "Month", "MonthError", "active_days", "plan_months", "plan_years"]

_MONTH_TEXT = re.compile(r"(\d{4})-(\d{2})")


#: Months in a plan year: holdbacks settle and yearly caps start afresh every 12 plan months.
YEAR = 12

#: Each month's first day, last day and days, by (year, month), as they are first asked for:
#: a roster's standings ask for the same few months thousands of times.
_BOUNDS: dict[tuple[int, int], tuple[date, date, int]] = {}


def _bounds(year: int, month: int) -> tuple[date, date, int]:
    found = _BOUNDS.get((year, month))
    if found is None:
        days = calendar.monthrange(year, month)[1]
        found = _BOUNDS[year, month] = (date(year, month, 1), date(year, month, days), days)
    return found


class MonthError(JointBonusError, ValueError):
    """Text that is not a calendar month of the form ``YYYY-MM``."""


@dataclass(frozen=True, slots=True, order=True)
class Month:
    """A calendar month. Orders chronologically; ``str()`` gives ``YYYY-MM``."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12:
            raise MonthError(f"month: got {self.month!r}, expected 1 to 12")
        if not 1 <= self.year <= 9999:
            raise MonthError(f"year: got {self.year!r}, expected 1 to 9999")

    @classmethod
    def parse(cls, text: str) -> Month:
        """The month written ``YYYY-MM`` (``2026-01``)."""
        match = _MONTH_TEXT.fullmatch(text.strip()) if isinstance(text, str) else None
        if match is None:
            raise MonthError(f"got {text!r}, expected a month written YYYY-MM such as 2026-01")
        return cls(int(match[1]), int(match[2]))

    @classmethod
    def of(cls, day: date) -> Month:
        """The month that contains ``day``."""
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return _bounds(self.year, self.month)[0]

    @property
    def days(self) -> int:
        """Days in the month: 28 to 31, leap years included."""
        return _bounds(self.year, self.month)[2]

    @property
    def last_day(self) -> date:
        return _bounds(self.year, self.month)[1]

    def shift(self, months: int) -> Month:
        """The month ``months`` later (earlier when negative), within years 1 to 9999."""
        try:
            return Month.of(self.first_day + relativedelta(months=months))
        except (ValueError, OverflowError):
            raise MonthError(
                f"{self} shifted by {months} months: expected a month within years 1 to 9999"
            ) from None

    def index(self) -> int:
        """Months since year 0: consecutive months have consecutive indexes."""
        return self.year * 12 + self.month - 1

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def plan_months(start: Month, count: int = 12) -> tuple[Month, ...]:
    """The ``count`` consecutive months of a plan year beginning at ``start``."""
    argument("start", start, Month, "a Month")
    argument("count", count, int, "a whole number of months")
    if count < 1:
        raise MonthError(f"plan length: got {count} months, expected at least 1")
    return tuple(start.shift(i) for i in range(count))


def plan_years(count: int) -> tuple[range, ...]:
    """The plan years of a plan of ``count`` months: each a range of plan month indices.

    Every :data:`YEAR` months from the plan's start begin a plan year; a plan
    whose length is not a whole number of years ends with a short last year,
    which ends when the plan ends. Holdbacks settle at each plan year's end
    and yearly caps start afresh with each plan year.

    >>> plan_years(30)
    (range(0, 12), range(12, 24), range(24, 30))
    >>> plan_years(12)
    (range(0, 12),)
    """
    return tuple(range(start, min(start + YEAR, count)) for start in range(0, count, YEAR))


def active_days(month: Month, start: date, end: date | None) -> int:
    """Days of ``month`` between ``start`` and ``end`` (``None``: no end), both inclusive."""
    first = max(month.first_day, start)
    last = month.last_day if end is None else min(month.last_day, end)
    return max(0, (last - first).days + 1)
