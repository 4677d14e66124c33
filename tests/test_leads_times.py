"""The plan time zone and the time cells of a lead export, worked by hand.

Daylight-saving changes in Europe/Berlin (2026: clocks forward on 29 March
at 02:00, back on 25 October at 03:00) and America/New_York (forward on 8
March at 02:00, back on 1 November at 02:00); month ends and leap days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError
from jointbonus.leads.times import TimeCells, TimeTextError
from jointbonus.leads.zone import NonexistentTimeError, Zone, ZoneError

BERLIN = Zone("Europe/Berlin")
NEW_YORK = Zone("America/New_York")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# -- the zone -------------------------------------------------------------------


def test_a_regular_local_time_is_its_offset_away_from_utc() -> None:
    assert BERLIN.instant(datetime(2026, 1, 15, 9, 30)) == utc("2026-01-15T08:30")
    assert BERLIN.instant(datetime(2026, 7, 15, 9, 30)) == utc("2026-07-15T07:30")
    assert NEW_YORK.instant(datetime(2026, 1, 15, 9, 30)) == utc("2026-01-15T14:30")


def test_the_hour_before_and_after_the_spring_gap() -> None:
    assert BERLIN.instant(datetime(2026, 3, 29, 1, 59)) == utc("2026-03-29T00:59")
    assert BERLIN.instant(datetime(2026, 3, 29, 3, 0)) == utc("2026-03-29T01:00")
    assert NEW_YORK.instant(datetime(2026, 3, 8, 3, 0)) == utc("2026-03-08T07:00")


@pytest.mark.parametrize(
    ("zone", "local"),
    [(BERLIN, datetime(2026, 3, 29, 2, 30)), (NEW_YORK, datetime(2026, 3, 8, 2, 0))],
)
def test_a_local_time_the_clocks_skip_is_refused(zone: Zone, local: datetime) -> None:
    with pytest.raises(NonexistentTimeError, match="does not exist"):
        zone.instant(local)


def test_a_repeated_local_time_is_the_earlier_instant() -> None:
    # 02:30 on 25 October happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET)
    assert BERLIN.instant(datetime(2026, 10, 25, 2, 30)) == utc("2026-10-25T00:30")
    # 01:30 on 1 November happens at 05:30 UTC (EDT) and 06:30 UTC (EST)
    assert NEW_YORK.instant(datetime(2026, 11, 1, 1, 30)) == utc("2026-11-01T05:30")


def test_a_day_with_a_clock_change_has_23_or_25_hours() -> None:
    spring = BERLIN.day_start(date(2026, 3, 30)) - BERLIN.day_start(date(2026, 3, 29))
    autumn = NEW_YORK.day_start(date(2026, 11, 2)) - NEW_YORK.day_start(date(2026, 11, 1))
    assert spring.total_seconds() == 23 * 3600
    assert autumn.total_seconds() == 25 * 3600


def test_the_local_day_and_month_of_an_instant() -> None:
    late_new_year = utc("2026-02-01T04:30")  # 23:30 on 31 January in New York
    assert NEW_YORK.local_day(late_new_year) == date(2026, 1, 31)
    assert NEW_YORK.month_of(late_new_year) == Month(2026, 1)
    assert BERLIN.month_of(late_new_year) == Month(2026, 2)
    assert Zone().month_of(utc("2026-01-31T23:59:59")) == Month(2026, 1)
    assert BERLIN.month_of(utc("2025-12-31T23:00")) == Month(2026, 1)  # midnight in Berlin
    assert BERLIN.month_of(utc("2025-12-31T22:59:59")) == Month(2025, 12)


def test_month_boundaries_are_local_midnights() -> None:
    assert BERLIN.month_start(Month(2026, 4)) == utc("2026-03-31T22:00")  # CEST
    assert BERLIN.month_end(Month(2026, 2)) == utc("2026-02-28T23:00")  # CET
    assert NEW_YORK.month_end(Month(2024, 2)) == utc("2024-03-01T05:00")  # leap year


def test_a_midnight_the_clocks_skip_starts_the_day_after_the_gap() -> None:
    # Havana moved its clocks from 00:00 to 01:00 on 8 March 2026
    havana = Zone("America/Havana")
    start = havana.day_start(date(2026, 3, 8))
    assert havana.local(start).hour == 1
    assert havana.local_day(start) == date(2026, 3, 8)


@pytest.mark.parametrize("name", ["", "Mars/Olympus", "../etc/passwd", "/etc/localtime", "UTC+3"])
def test_an_unknown_or_unsafe_time_zone_name_is_refused(name: str) -> None:
    with pytest.raises(ZoneError, match="IANA time zone"):
        Zone(name)


def test_zone_errors_are_the_librarys_own() -> None:
    assert issubclass(ZoneError, JointBonusError)
    assert issubclass(NonexistentTimeError, JointBonusError)


# -- time cells -------------------------------------------------------------------

ISO_UTC = TimeCells(Zone(), "iso", local_allowed=False)
ISO_BERLIN = TimeCells(BERLIN, "iso", local_allowed=True)


@pytest.mark.parametrize(
    ("text", "instant"),
    [
        ("2026-01-15T09:30:00Z", "2026-01-15T09:30"),
        ("2026-01-15T09:30:00.000Z", "2026-01-15T09:30"),  # Salesforce's Data Loader
        ("2026-01-15T10:30:00+01:00", "2026-01-15T09:30"),
        ("2026-01-15T10:30:00.000+0100", "2026-01-15T09:30"),
        ("2026-01-15T04:30-05:00", "2026-01-15T09:30"),
        ("20260115T093000Z", "2026-01-15T09:30"),
        ("2026-01-14T24:00:00Z", "2026-01-15T00:00"),  # read by dateutil's isoparse
    ],
)
def test_iso_times_with_an_offset_are_that_instant(text: str, instant: str) -> None:
    assert ISO_UTC.instant(text) == utc(instant)


def test_a_naive_time_is_refused_without_a_plan_time_zone() -> None:
    with pytest.raises(TimeTextError, match="UTC offset"):
        ISO_UTC.instant("2026-01-15 09:30")


def test_a_naive_time_is_local_with_a_plan_time_zone() -> None:
    assert ISO_BERLIN.instant("2026-01-15 09:30") == utc("2026-01-15T08:30")  # HubSpot's form
    assert ISO_BERLIN.instant("2026-10-25T02:30") == utc("2026-10-25T00:30")
    with pytest.raises(TimeTextError, match="exists in Europe/Berlin"):
        ISO_BERLIN.instant("2026-03-29T02:30")


def test_a_time_column_needs_a_time_of_day() -> None:
    with pytest.raises(TimeTextError, match="time of day"):
        ISO_UTC.instant("2026-01-15")


@pytest.mark.parametrize("text", ["yesterday", "2026-02-30T09:00Z", "2026-13-01", "15.01.2026"])
def test_unreadable_times_are_refused(text: str) -> None:
    with pytest.raises(TimeTextError, match="2026-01-15T09:30:00Z"):
        ISO_UTC.instant(text)


@pytest.mark.parametrize("text", ["1899-12-31T23:00:00Z", "2200-01-01T00:00:00Z", "0001-01-01"])
def test_years_far_from_now_are_refused(text: str) -> None:
    with pytest.raises(TimeTextError, match="1900 to 2199"):
        ISO_BERLIN.day(text)


def test_a_date_column_takes_a_date_as_it_is_and_a_time_by_its_local_day() -> None:
    assert ISO_BERLIN.day("2026-02-28") == date(2026, 2, 28)
    assert ISO_BERLIN.day("2026-01-31T23:30:00Z") == date(2026, 2, 1)
    assert ISO_UTC.day("2026-01-31T23:30:00Z") == date(2026, 1, 31)
    assert ISO_BERLIN.moment("2026-01-31T23:30:00Z") == (date(2026, 2, 1), utc("2026-01-31T23:30"))
    assert ISO_BERLIN.moment("2024-02-29") == (date(2024, 2, 29), None)


def test_month_first_dates_as_a_us_salesforce_report_writes_them() -> None:
    cells = TimeCells(NEW_YORK, "month_first", local_allowed=True)
    assert cells.instant("1/15/2026, 9:30 AM") == utc("2026-01-15T14:30")
    assert cells.instant("1/15/2026 12:05 AM") == utc("2026-01-15T05:05")
    assert cells.instant("1/15/2026 12:05 PM") == utc("2026-01-15T17:05")
    assert cells.instant("01/15/2026 21:05") == utc("2026-01-16T02:05")
    assert cells.day("2/29/2024") == date(2024, 2, 29)
    assert cells.instant("2026-01-15T09:30:00Z") == utc("2026-01-15T09:30")  # ISO still reads
    with pytest.raises(TimeTextError, match="month/day/year"):
        cells.instant("15/01/2026 09:30")  # never read the other way round
    with pytest.raises(TimeTextError, match="from 1 to 12"):
        cells.instant("1/15/2026 13:05 PM")


def test_day_first_dates() -> None:
    cells = TimeCells(BERLIN, "day_first", local_allowed=True)
    assert cells.instant("15/01/2026 09:30") == utc("2026-01-15T08:30")
    assert cells.instant("15.01.2026 09:30") == utc("2026-01-15T08:30")
    assert cells.day("29.02.2024") == date(2024, 2, 29)
    with pytest.raises(TimeTextError, match="day/month/year"):
        cells.day("29.02.2026")


def test_an_unknown_date_order_is_refused() -> None:
    with pytest.raises(ValueError, match="date order"):
        TimeCells(BERLIN, "year_last", local_allowed=True)  # type: ignore[arg-type]
