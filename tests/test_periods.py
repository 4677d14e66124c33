"""Calendar months, plan years and active days: month ends, leap years, year ends."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from jointbonus import JointBonusError, Month, MonthError, plan_months
from jointbonus.core.periods import active_days

# -- days in a month -------------------------------------------------------------


@pytest.mark.parametrize(
    ("month", "days"),
    [
        (Month(2025, 1), 31),
        (Month(2025, 2), 28),
        (Month(2025, 4), 30),
        (Month(2025, 6), 30),
        (Month(2025, 7), 31),
        (Month(2025, 8), 31),
        (Month(2025, 9), 30),
        (Month(2025, 11), 30),
        (Month(2025, 12), 31),
    ],
)
def test_days_in_month(month: Month, days: int) -> None:
    assert month.days == days


@pytest.mark.parametrize(
    ("year", "days"),
    [
        (2024, 29),  # divisible by 4
        (2023, 28),
        (2100, 28),  # divisible by 100 but not 400
        (1900, 28),
        (2000, 29),  # divisible by 400
        (2400, 29),
    ],
)
def test_february_in_leap_and_common_years(year: int, days: int) -> None:
    february = Month(year, 2)
    assert february.days == days
    assert february.last_day == date(year, 2, days)


def test_first_and_last_day() -> None:
    month = Month(2026, 4)
    assert month.first_day == date(2026, 4, 1)
    assert month.last_day == date(2026, 4, 30)


def test_month_of_a_day() -> None:
    assert Month.of(date(2024, 2, 29)) == Month(2024, 2)
    assert Month.of(date(2025, 12, 31)) == Month(2025, 12)


# -- shifting and plan years -------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (Month(2026, 1), 1, Month(2026, 2)),
        (Month(2026, 1), 11, Month(2026, 12)),
        (Month(2026, 1), 12, Month(2027, 1)),
        (Month(2025, 12), 1, Month(2026, 1)),
        (Month(2026, 1), -1, Month(2025, 12)),
        (Month(2026, 3), -14, Month(2025, 1)),
        (Month(2024, 2), 12, Month(2025, 2)),  # from a leap February
        (Month(2026, 5), 0, Month(2026, 5)),
        (Month(2026, 1), 120, Month(2036, 1)),
    ],
)
def test_shift_crosses_year_ends(start: Month, months: int, expected: Month) -> None:
    assert start.shift(months) == expected


def test_index_is_consecutive_across_a_year_end() -> None:
    assert Month(2026, 1).index() - Month(2025, 12).index() == 1
    assert Month(2026, 1).index() - Month(2025, 1).index() == 12


def test_calendar_plan_year() -> None:
    year = plan_months(Month(2026, 1))
    assert len(year) == 12
    assert [str(m) for m in year] == [f"2026-{n:02d}" for n in range(1, 13)]


def test_fiscal_year_april_to_march() -> None:
    year = plan_months(Month(2025, 4))
    assert [str(m) for m in year] == [
        "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09",
        "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
    ]  # fmt: skip
    assert sum(m.days for m in year) == 365


def test_fiscal_year_with_a_leap_february() -> None:
    year = plan_months(Month(2023, 7))
    assert year[0] == Month(2023, 7)
    assert year[-1] == Month(2024, 6)
    assert Month(2024, 2) in year
    assert sum(m.days for m in year) == 366


@pytest.mark.parametrize("first", range(1, 13))
def test_a_plan_year_may_start_in_any_month(first: int) -> None:
    year = plan_months(Month(2025, first))
    assert len(year) == 12
    assert sorted(m.month for m in year) == list(range(1, 13))
    assert year[-1] == Month(2025, first).shift(11)
    assert all(b.index() == a.index() + 1 for a, b in itertools.pairwise(year))


def test_plan_of_other_lengths() -> None:
    assert plan_months(Month(2025, 11), 3) == (Month(2025, 11), Month(2025, 12), Month(2026, 1))
    assert plan_months(Month(2025, 11), 1) == (Month(2025, 11),)
    assert len(plan_months(Month(2025, 11), 36)) == 36


@pytest.mark.parametrize("count", [0, -1])
def test_plan_needs_at_least_one_month(count: int) -> None:
    with pytest.raises(MonthError, match=f"got {count} months, expected at least 1"):
        plan_months(Month(2026, 1), count)


# -- parsing and validation -----------------------------------------------------


def test_parse_and_str_round_trip() -> None:
    assert Month.parse("2026-01") == Month(2026, 1)
    assert Month.parse(" 2024-12 ") == Month(2024, 12)
    assert str(Month(2026, 1)) == "2026-01"
    assert str(Month(987, 3)) == "0987-03"
    assert Month.parse(str(Month(2031, 10))) == Month(2031, 10)


@pytest.mark.parametrize(
    "text", ["2026-1", "26-01", "2026/01", "202601", "2026-01-15", "January 2026", "", "2026-001"]
)
def test_parse_refuses_other_shapes(text: str) -> None:
    with pytest.raises(MonthError, match="expected a month written YYYY-MM") as info:
        Month.parse(text)
    assert repr(text) in str(info.value)
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, JointBonusError)


@pytest.mark.parametrize("text", ["2026-00", "2026-13", "2026-99"])
def test_parse_refuses_months_out_of_range(text: str) -> None:
    with pytest.raises(MonthError, match="expected 1 to 12"):
        Month.parse(text)


def test_parse_refuses_year_zero() -> None:
    with pytest.raises(MonthError, match="year: got 0"):
        Month.parse("0000-05")


def test_parse_refuses_non_text() -> None:
    with pytest.raises(MonthError):
        Month.parse(202601)  # type: ignore[arg-type]


# -- ordering -------------------------------------------------------------------


def test_months_order_chronologically() -> None:
    months = [Month(2026, 1), Month(2025, 12), Month(2025, 2), Month(2025, 11)]
    assert sorted(months) == [Month(2025, 2), Month(2025, 11), Month(2025, 12), Month(2026, 1)]
    assert Month(2025, 12) < Month(2026, 1)
    assert Month(2025, 10) > Month(2025, 9)  # not text order of "10" and "9" alone
    assert max(months) == Month(2026, 1)


def test_months_are_hashable_values() -> None:
    assert {Month(2026, 1), Month.parse("2026-01")} == {Month(2026, 1)}


# -- active days, inclusive at both ends ---------------------------------------


def test_active_the_whole_month() -> None:
    assert active_days(Month(2026, 1), date(2020, 1, 1), None) == 31
    assert active_days(Month(2026, 1), date(2026, 1, 1), date(2026, 1, 31)) == 31
    assert active_days(Month(2026, 4), date(2026, 4, 1), date(2030, 1, 1)) == 30


def test_starting_on_the_last_day_is_one_day() -> None:
    assert active_days(Month(2026, 1), date(2026, 1, 31), None) == 1
    assert active_days(Month(2024, 2), date(2024, 2, 29), None) == 1
    assert active_days(Month(2025, 2), date(2025, 2, 28), None) == 1


def test_ending_on_the_first_day_is_one_day() -> None:
    assert active_days(Month(2026, 3), date(2020, 1, 1), date(2026, 3, 1)) == 1


def test_starting_and_ending_on_the_same_day_is_one_day() -> None:
    assert active_days(Month(2026, 3), date(2026, 3, 15), date(2026, 3, 15)) == 1


def test_starting_after_the_month_is_zero() -> None:
    assert active_days(Month(2026, 1), date(2026, 2, 1), None) == 0
    assert active_days(Month(2026, 1), date(2027, 1, 1), None) == 0


def test_ending_before_the_month_is_zero() -> None:
    assert active_days(Month(2026, 2), date(2020, 1, 1), date(2026, 1, 31)) == 0
    assert active_days(Month(2026, 2), date(2020, 1, 1), date(2025, 2, 20)) == 0


def test_active_days_part_month() -> None:
    # 10 Feb to 29 Feb 2024 inclusive: 20 days of a 29-day month
    assert active_days(Month(2024, 2), date(2024, 2, 10), None) == 20
    # 10 Feb to 28 Feb 2025: 19 days
    assert active_days(Month(2025, 2), date(2025, 2, 10), None) == 19
    # from 15 Jan to 14 Feb: 17 days of January, 14 of February
    assert active_days(Month(2026, 1), date(2026, 1, 15), date(2026, 2, 14)) == 17
    assert active_days(Month(2026, 2), date(2026, 1, 15), date(2026, 2, 14)) == 14


def test_active_days_across_a_year_end() -> None:
    start, end = date(2025, 12, 20), date(2026, 1, 10)
    assert active_days(Month(2025, 12), start, end) == 12
    assert active_days(Month(2026, 1), start, end) == 10
    assert active_days(Month(2025, 11), start, end) == 0
    assert active_days(Month(2026, 2), start, end) == 0


@pytest.mark.parametrize(("start", "months"), [(Month(9999, 6), 7), (Month(1, 1), -1)])
def test_shift_beyond_the_calendar_is_a_month_error(start: Month, months: int) -> None:
    with pytest.raises(MonthError, match="expected a month within years 1 to 9999"):
        start.shift(months)


def test_plan_year_running_past_year_9999_is_a_month_error() -> None:
    assert plan_months(Month(9999, 1))[-1] == Month(9999, 12)
    with pytest.raises(MonthError):
        plan_months(Month(9999, 6))
