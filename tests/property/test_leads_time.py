"""Properties of time in the lead metrics: reading, local clocks and business hours.

The fast ISO reader gives the instant dateutil's ``isoparse`` gives, and a
whole column read straight to microseconds gives what it gives a cell at a
time, about the clock changes too; a local
time the plan time zone's clocks show is read back to the same clock time;
business hours never count more than the clock, so a lead in time on the
clock is in time in business hours too.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import partial

from dateutil import tz
from dateutil.parser import isoparse
from hypothesis import example, given
from hypothesis import strategies as st

from jointbonus.leads import BusinessHours, Zone, leads_from_rows, measure
from jointbonus.leads.clocks import BusinessClock, ClockHours
from jointbonus.leads.times import TimeCells, TimeTextError
from jointbonus.leads.zone import instant_us
from leads_strategies import Drawn, Spec, lead_exports

ZONE_NAMES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata", "UTC")

moments = st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2150, 12, 31))
#: Days the clocks change in the zones above (Lord Howe moves them by half an hour).
CHANGE_DAYS = (date(2024, 3, 10), date(2024, 3, 31), date(2024, 10, 27), date(2024, 11, 3),
               date(2026, 3, 8), date(2026, 3, 29), date(2026, 4, 5), date(2026, 10, 4),
               date(2026, 10, 25), date(2026, 11, 1))  # fmt: skip
on_change_days = st.tuples(
    st.sampled_from(CHANGE_DAYS), st.integers(0, 24 * 60 - 1).map(lambda m: timedelta(minutes=m))
).map(lambda day: datetime.combine(day[0], time()) + day[1])
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: timedelta(minutes=m))


@st.composite
def iso_texts(draw: st.DrawFn) -> str:
    """ISO 8601 times as exports write them: separators, fractions and offsets varied."""
    moment = draw(moments)
    separator = draw(st.sampled_from("T "))
    fraction = draw(st.sampled_from(("", ".000", ".5", ".123456")))
    text = moment.strftime(f"%Y-%m-%d{separator}%H:%M:%S") + fraction
    offset = draw(offsets)
    sign = "-" if offset < timedelta(0) else "+"
    hours, minutes = divmod(abs(offset) // timedelta(minutes=1), 60)
    written = draw(
        st.sampled_from(
            ("Z", f"{sign}{hours:02d}:{minutes:02d}", f"{sign}{hours:02d}{minutes:02d}")
        )
    )
    return text + written


@given(iso_texts())
@example("2024-03-31T02:30:00+02:00")
@example("2026-01-15 09:30:00.5-05:30")
def test_the_fast_time_reader_agrees_with_dateutil(text: str) -> None:
    cells = TimeCells(Zone(), "iso", local_allowed=False)
    assert cells.instant(text) == isoparse(text).astimezone(UTC)


#: Zones whose clocks change, days they change on and the local hours they change in:
#: by an hour, by half an hour (Lord Howe), and Moscow's offset changed for good (+3
#: to +4 in March 2011, +4 to +3 in October 2014).
CHANGES = {
    "Europe/Berlin": ((date(2024, 3, 31), date(2024, 10, 27), date(2026, 3, 29),
                       date(2026, 10, 25)), (2,)),
    "America/New_York": ((date(2024, 3, 10), date(2024, 11, 3), date(2026, 3, 8),
                          date(2026, 11, 1)), (1, 2)),
    "Australia/Lord_Howe": ((date(2024, 4, 7), date(2024, 10, 6), date(2026, 4, 5),
                             date(2026, 10, 4)), (1, 2)),
    "Europe/Moscow": ((date(2011, 3, 27), date(2014, 10, 26)), (1, 2)),
}  # fmt: skip


def near_changes(name: str) -> st.SearchStrategy[datetime]:
    """Local times from six hours before a day ``name``'s clocks change to six hours
    after, most of them in the hours the clocks change in."""
    days, hours = CHANGES[name]
    changing = st.builds(
        lambda hour, second: hour * 3600 + second, st.sampled_from(hours), st.integers(0, 3599)
    )
    seconds = st.one_of(changing, changing, st.integers(-6 * 3600, 30 * 3600 - 1))
    return st.tuples(st.sampled_from(days), seconds.map(lambda s: timedelta(seconds=s))).map(
        lambda day: datetime.combine(day[0], time()) + day[1]
    )


@st.composite
def time_columns(draw: st.DrawFn) -> tuple[str, list[str], bool]:
    """``(zone, cells, all in a shape the column reader takes)``: one column of times,
    local or all with an offset, mostly around clock changes, each cell in its own shape."""
    name = draw(st.sampled_from(sorted(CHANGES)))
    aware = draw(st.integers(0, 2)) == 0
    uncommon = draw(st.booleans()) and draw(st.integers(0, 9)) == 0
    cells = []
    for moment in draw(
        st.lists(st.one_of(near_changes(name), near_changes(name), moments), min_size=1, max_size=8)
    ):
        separator = draw(st.sampled_from("T "))
        seconds = draw(st.booleans())
        text = moment.strftime(f"%Y-%m-%d{separator}%H:%M" + (":%S" if seconds else ""))
        if seconds:
            fractions = (".5", "") if uncommon else ("", ".000", ".123456")
            text += draw(st.sampled_from(fractions))  # .5: a fraction the column leaves
        if aware:
            offset = draw(offsets)
            sign = "-" if offset < timedelta(0) else "+"
            hours, minutes = divmod(abs(offset) // timedelta(minutes=1), 60)
            text += draw(
                st.sampled_from(
                    ("Z", f"{sign}{hours:02d}:{minutes:02d}", f"{sign}{hours:02d}{minutes:02d}")
                )
            )
        cells.append(text)
    return name, cells, not uncommon


def _by_dateutil(name: str, text: str) -> int | None:
    """The instant of ``text`` by dateutil alone, ``None`` if the clocks skip it: the rule
    the plan time zone follows, the earlier of a repeated local time."""
    value = isoparse(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=tz.gettz(name))
        if not tz.datetime_exists(value):
            return None
        value = tz.enfold(value, fold=0)
    return instant_us(value.astimezone(UTC))


@given(time_columns())
@example(("Europe/Berlin", ["2026-03-29T02:30:00", "2026-03-29T01:59:59"], True))
@example(("Europe/Berlin", ["2026-10-25 02:30", "2026-10-25 03:30"], True))
@example(("Australia/Lord_Howe", ["2026-04-05T01:45:00.000", "2026-10-04 02:15"], True))
@example(("Europe/Moscow", ["2014-10-26T01:30:00", "2011-03-27T03:30:00.123456"], True))
@example(("America/New_York", ["2026-03-08T02:30:00.000-05:00", "2026-11-01T01:30Z"], True))
def test_a_column_of_times_reads_as_its_cells_read_one_at_a_time(
    column: tuple[str, list[str], bool],
) -> None:
    name, texts, common = column
    cells = TimeCells(Zone(name), "iso", local_allowed=True)
    try:
        one_at_a_time: list[int] | None = [instant_us(cells.instant(text)) for text in texts]
    except TimeTextError:
        one_at_a_time = None
    found = cells.instants_us(texts)
    if common:  # every cell in a shape the column reader takes: it reads them all, or refuses
        assert found == one_at_a_time
    else:
        assert found is None or found == one_at_a_time
    if one_at_a_time is not None:  # and both read as dateutil does
        assert one_at_a_time == [_by_dateutil(name, text) for text in texts]
    else:
        assert None in [_by_dateutil(name, text) for text in texts]
    if common:  # a cell alone, in a zone that has worked out nothing yet, reads the same
        fresh = TimeCells(Zone(name), "iso", local_allowed=True)
        assert [fresh.instants_us([text]) for text in texts] == [
            None if value is None else [value] for value in map(partial(_by_dateutil, name), texts)
        ]


@given(st.sampled_from(ZONE_NAMES), st.one_of(moments, on_change_days))
@example("Europe/Berlin", datetime(2026, 10, 25, 2, 30))
@example("Europe/Berlin", datetime(2026, 10, 25, 12, 0))
@example("America/New_York", datetime(2026, 3, 8, 12, 0))
@example("Australia/Lord_Howe", datetime(2026, 4, 5, 1, 45))
def test_a_local_time_reads_back_as_the_clock_time_it_was(name: str, local: datetime) -> None:
    zone = Zone(name)
    aware = local.replace(tzinfo=tz.gettz(name))
    if not tz.datetime_exists(aware):
        return
    instant = zone.instant(local)
    assert zone.local(instant).replace(tzinfo=None) == local
    assert instant == tz.enfold(aware, fold=0).astimezone(UTC)  # the earlier of a repeated hour
    assert zone.local_day(instant) == local.date()


@given(
    st.sampled_from(ZONE_NAMES),
    st.lists(
        st.one_of(
            st.datetimes(min_value=datetime(2022, 1, 1), max_value=datetime(2028, 12, 31)),
            on_change_days,
        ),
        min_size=1,
        max_size=40,
    ),
)
@example("Europe/Berlin", [datetime(2026, 3, 1), datetime(2026, 5, 1), datetime(2026, 1, 1)])
def test_the_local_day_of_every_instant_is_its_clock_day_in_any_order(
    name: str, locals_: list[datetime]
) -> None:
    """One zone asked in any order (its kept days grow at both ends) answers like dateutil."""
    zone, clocks = Zone(name), tz.gettz(name)
    for local in locals_:
        instant = local.replace(tzinfo=UTC)
        assert zone.local_day(instant) == instant.astimezone(clocks).date()


calendars = st.builds(
    BusinessHours,
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    start=st.sampled_from((time(0), time(1, 30), time(8), time(9))),
    end=st.sampled_from((time(12), time(17), time(23, 59))),
    holidays=st.frozensets(
        st.dates(min_value=date(2024, 1, 1), max_value=date(2024, 12, 31)), max_size=20
    ),
)


#: Once, the lists of working hours started again further back while one
#: elapsed time was being computed, and it came out negative.
RESTARTED = Drawn(
    specs=(
        Spec("L000", datetime(2024, 1, 15, 0, 1, tzinfo=UTC), False,
             accepted=datetime(2024, 1, 17, tzinfo=UTC), rejected=None, reason="",
             qualified=None, won=None, amount=None, attribution=""),
    ),
    time_zone=None,
    as_of=datetime(2024, 1, 15, tzinfo=UTC),
)  # fmt: skip


@given(lead_exports(max_leads=15), calendars)
@example(RESTARTED, BusinessHours(weekdays=frozenset({0}), start=time(0), end=time(12)))
def test_business_hours_never_count_more_than_the_clock(
    drawn: Drawn, calendar: BusinessHours
) -> None:
    export = leads_from_rows(drawn.rows(), time_zone=drawn.time_zone, missing_as_empty=True)
    business = BusinessClock(48, calendar, export.zone)
    clock = ClockHours(48)
    for lead in export.leads:
        handled = lead.handled
        if handled is None:
            continue
        assert (
            0 <= business.elapsed(lead.delivered, handled) <= clock.elapsed(lead.delivered, handled)
        )
        if clock.within(lead.delivered, handled):
            assert business.within(lead.delivered, handled)
        assert business.closes(lead.delivered) >= clock.closes(lead.delivered)
    on_clock = measure(export, drawn.as_of)
    on_calendar = measure(export, drawn.as_of, business_hours=calendar)
    for month in on_clock.months:
        assert (
            on_calendar.figure(month, "followed_up_48h").numerator
            >= on_clock.figure(month, "followed_up_48h").numerator
        )


@given(
    st.sampled_from((*ZONE_NAMES, "America/Havana")),
    st.lists(on_change_days, min_size=1, max_size=8),
)
@example("America/Havana", [datetime(2026, 3, 8, 5, 0)])  # its midnight is skipped
def test_a_zone_answers_the_same_whatever_it_worked_out_before(
    name: str, locals_: list[datetime]
) -> None:
    # The zone keeps what it works out about each day; one that has worked out the
    # days of other instants first answers as one that has not.
    warm = Zone(name)
    for local in locals_:
        warm.local_day(Zone(name).resolve(local))
    for local in locals_:
        fresh, day = Zone(name), local.date()
        assert warm.resolve(local) == fresh.resolve(local)
        assert warm.regular_name(day) == Zone(name).regular_name(day)
        assert warm.day_start(day) == Zone(name).day_start(day)
        if tz.datetime_exists(local.replace(tzinfo=tz.gettz(name))):
            assert warm.instant(local) == Zone(name).instant(local)
