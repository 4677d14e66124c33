"""The lead metrics on hand-worked examples: 48 hours across clock changes, month ends,
leap years, business hours, pending windows, medians, revenue shares and traces."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from jointbonus.core.periods import Month
from jointbonus.errors import FloatMoneyError, JointBonusError, PlanError
from jointbonus.leads import (
    METRICS,
    BusinessHours,
    Lead,
    LeadExport,
    LeadMetrics,
    measure,
    qualifying_deadline,
)

JAN = Month(2026, 1)


def utc(text: str) -> datetime:
    """An instant written in ISO 8601 with its offset; without one, UTC."""
    value = datetime.fromisoformat(text)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def lead(lead_id: str, delivered: str, *, marketing: bool = True, **events: object) -> Lead:
    times = {k: utc(str(v)) for k, v in events.items() if k in ("accepted", "rejected")}
    rest = {k: v for k, v in events.items() if k not in ("accepted", "rejected")}
    return Lead(lead_id, utc(delivered), marketing, **times, **rest)  # type: ignore[arg-type]


def metrics_of(
    *leads: Lead, zone: str | None = None, as_of: str = "2030-01-01", **kw: object
) -> LeadMetrics:
    return measure(LeadExport(leads, zone), utc(as_of), **kw)  # type: ignore[arg-type]


# -- handled within 48 hours, across clock changes ------------------------------------


def test_48_hours_across_the_spring_change_in_berlin_are_48_elapsed_hours() -> None:
    # Saturday 28 March 2026, 12:00 CET; clocks go forward that night, so 48
    # hours later is Monday 30 March, 13:00 CEST, not 12:00.
    delivered = "2026-03-28T12:00+01:00"
    metrics = metrics_of(
        lead("in time", delivered, accepted="2026-03-30T12:30+02:00"),  # 47.5 hours
        lead("late", delivered, accepted="2026-03-30T13:30+02:00"),  # 48.5 hours
        lead("on the hour", delivered, accepted="2026-03-30T13:00+02:00"),  # 48 hours exactly
        zone="Europe/Berlin",
    )
    march = Month(2026, 3)
    assert metrics.figure(march, "followed_up_48h").value == Fraction(2, 3)
    assert metrics.trace(march, "followed_up_48h").numerator == ("in time", "on the hour")


def test_48_hours_across_the_autumn_change_in_berlin_are_48_elapsed_hours() -> None:
    # Saturday 24 October 2026, 12:00 CEST; clocks go back that night, so 48
    # hours later is Monday 26 October, 11:00 CET.
    delivered = "2026-10-24T12:00+02:00"
    metrics = metrics_of(
        lead("in time", delivered, accepted="2026-10-26T10:30+01:00"),  # 47.5 hours
        lead("late", delivered, accepted="2026-10-26T11:30+01:00"),  # 48.5 hours
        zone="Europe/Berlin",
    )
    assert metrics.trace(Month(2026, 10), "followed_up_48h").numerator == ("in time",)


def test_48_hours_across_the_spring_change_in_new_york() -> None:
    # Friday 6 March 2026, 18:00 EST; clocks go forward on Sunday 8 March, so
    # 48 hours later is Sunday 8 March, 19:00 EDT.
    delivered = "2026-03-06T18:00-05:00"
    metrics = metrics_of(
        lead("in time", delivered, rejected="2026-03-08T18:30-04:00", reason="no budget"),
        lead("late", delivered, accepted="2026-03-08T19:30-04:00"),
        zone="America/New_York",
    )
    assert metrics.figure(Month(2026, 3), "followed_up_48h").value == Fraction(1, 2)


def test_a_rejection_without_a_reason_does_not_handle_a_lead() -> None:
    metrics = metrics_of(
        lead("no reason", "2026-01-05T09:00", rejected="2026-01-05T10:00"),
        lead("reason", "2026-01-05T09:00", rejected="2026-01-05T10:00", reason="spam"),
        lead("late but accepted", "2026-01-05T09:00", accepted="2026-01-09T09:00"),
        lead("no reason, then accepted", "2026-01-05T09:00", rejected="2026-01-05T10:00",
             accepted="2026-01-06T09:00"),
    )  # fmt: skip
    assert metrics.figure(JAN, "followed_up_48h").value == Fraction(2, 4)
    assert metrics.trace(JAN, "followed_up_48h").numerator == ("no reason, then accepted", "reason")
    assert metrics.figure(JAN, "rejected_without_reason").value == 2
    assert metrics.figure(JAN, "leads_accepted").value == 2
    assert metrics.figure(JAN, "leads_delivered").value == 4


def test_a_lead_belongs_to_the_local_month_it_was_delivered_in() -> None:
    # 23:30 on 31 January in New York is 04:30 UTC on 1 February
    late = lead("late on the 31st", "2026-01-31T23:30-05:00", accepted="2026-02-01T09:00-05:00")
    assert metrics_of(late, zone="America/New_York").figure(JAN, "leads_delivered").value == 1
    in_utc = metrics_of(late)
    assert in_utc.months == (Month(2026, 2),)
    assert in_utc.figure(Month(2026, 2), "leads_accepted").value == 1


# -- SAL to SQL within one calendar month ---------------------------------------------


@pytest.mark.parametrize(
    ("accepted", "deadline"),
    [
        (date(2025, 1, 31), date(2025, 2, 28)),
        (date(2024, 1, 31), date(2024, 2, 29)),  # leap year
        (date(2024, 1, 30), date(2024, 2, 29)),  # the 30th of February does not exist
        (date(2025, 1, 29), date(2025, 2, 28)),
        (date(2025, 1, 28), date(2025, 2, 28)),
        (date(2024, 2, 28), date(2024, 3, 28)),  # not the month's end in a leap year
        (date(2024, 2, 29), date(2024, 3, 31)),
        (date(2026, 2, 28), date(2026, 3, 31)),  # the month's end in a common year
        (date(2026, 4, 30), date(2026, 5, 31)),
        (date(2026, 3, 30), date(2026, 4, 30)),
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2027, 1, 31)),
        (date(2026, 12, 15), date(2027, 1, 15)),
    ],
)
def test_the_calendar_month_after_an_acceptance(accepted: date, deadline: date) -> None:
    assert qualifying_deadline(accepted) == deadline


def test_sal_to_sql_over_a_month_end_in_a_common_and_a_leap_year() -> None:
    for year, last in ((2025, 28), (2024, 29)):
        metrics = metrics_of(
            lead("on the last day", f"{year}-01-30T09:00", accepted=f"{year}-01-31T10:00",
                 qualified=date(year, 2, last)),
            lead("a day late", f"{year}-01-30T09:00", accepted=f"{year}-01-31T11:00",
                 qualified=date(year, 3, 1)),
            lead("never", f"{year}-01-30T09:00", accepted=f"{year}-01-31T12:00"),
        )  # fmt: skip
        figure = metrics.figure(Month(year, 1), "sal_to_sql")
        assert (figure.value, figure.numerator, figure.denominator) == (Fraction(1, 3), 1, 3)
        assert figure.closes == utc(f"{year}-03-01T00:00")


def test_sal_to_sql_counts_by_the_month_of_acceptance_in_the_plan_time_zone() -> None:
    # accepted at 23:30 on 31 January in Berlin (22:30 UTC): a January acceptance
    accepted = lead("L", "2026-01-30T09:00Z", accepted="2026-01-31T23:30+01:00",
                    qualified=date(2026, 2, 28))  # fmt: skip
    metrics = metrics_of(accepted, zone="Europe/Berlin")
    assert metrics.figure(JAN, "sal_to_sql").value == 1
    assert metrics.figure(JAN, "sal_to_sql").closes == utc("2026-02-28T23:00")  # 1 March, CET


def test_sal_to_sql_is_pending_until_the_window_of_the_last_acceptance_closes() -> None:
    leads = (
        lead("A", "2026-01-05T09:00", accepted="2026-01-05T12:00", qualified=date(2026, 1, 20)),
        lead("B", "2026-01-29T09:00", accepted="2026-01-30T12:00"),
    )
    before = metrics_of(*leads, as_of="2026-02-28T23:59:59")
    after = metrics_of(*leads, as_of="2026-03-01T00:00")
    assert before.figure(JAN, "sal_to_sql").pending
    assert not after.figure(JAN, "sal_to_sql").pending
    assert before.figure(JAN, "sal_to_sql").value == after.figure(JAN, "sal_to_sql").value
    assert after.actuals("sal_to_sql") == {JAN: Fraction(1, 2)}
    assert before.actuals("sal_to_sql") == {}


# -- pending windows ---------------------------------------------------------------


def test_delivery_metrics_are_pending_until_48_hours_after_the_last_delivery() -> None:
    leads = (
        lead("A", "2026-01-10T09:00", accepted="2026-01-10T10:00"),
        lead("B", "2026-01-31T20:00"),
    )
    figure = metrics_of(*leads, as_of="2026-02-02T19:59").figure(JAN, "followed_up_48h")
    assert figure.pending
    assert figure.closes == utc("2026-02-02T20:00")
    assert "48 hours after the month's last delivery" in figure.window
    assert not metrics_of(*leads, as_of="2026-02-02T20:00").figure(JAN, "followed_up_48h").pending


def test_a_month_not_yet_over_is_pending_whatever_its_deliveries() -> None:
    early = lead("A", "2026-01-02T09:00", accepted="2026-01-02T10:00")
    figure = metrics_of(early, as_of="2026-01-20T00:00").figure(JAN, "leads_accepted")
    assert figure.pending
    assert figure.closes == utc("2026-02-01T00:00")


def test_revenue_is_final_at_the_months_end() -> None:
    won = lead(
        "W",
        "2026-01-05T09:00",
        qualified=date(2026, 1, 6),
        won=date(2026, 1, 20),
        amount=Decimal(1),
    )
    figure = metrics_of(won, as_of="2026-02-01T00:00").figure(JAN, "marketing_revenue_share")
    assert not figure.pending
    assert figure.window == "the month's end"


def test_months_run_from_the_first_to_the_last_with_a_lead_event() -> None:
    metrics = metrics_of(
        lead("A", "2025-11-20T09:00", accepted="2025-11-20T10:00"),
        lead("B", "2026-02-03T09:00", accepted="2026-02-03T10:00"),
    )
    assert metrics.months == (Month(2025, 11), Month(2025, 12), JAN, Month(2026, 2))
    empty = metrics.figure(Month(2025, 12), "followed_up_48h")
    assert (empty.value, empty.numerator, empty.denominator) == (None, 0, 0)
    assert metrics.figure(Month(2025, 12), "leads_delivered").value == 0
    assert metrics_of().months == ()


# -- the median response time --------------------------------------------------------


def test_the_median_response_time_of_an_odd_and_an_even_number_of_leads() -> None:
    leads = [
        lead("1h", "2026-01-05T09:00", accepted="2026-01-05T10:00"),
        lead("3h", "2026-01-05T09:00", rejected="2026-01-05T12:00", reason="spam"),
        lead("50h", "2026-01-05T09:00", accepted="2026-01-07T11:00"),
        lead("never", "2026-01-05T09:00"),
        lead("no reason", "2026-01-05T09:00", rejected="2026-01-05T09:30"),
    ]
    odd = metrics_of(*leads).figure(JAN, "median_response_hours")
    assert (odd.value, odd.numerator, odd.denominator) == (Fraction(3), 1, 3)
    assert metrics_of(*leads).trace(JAN, "median_response_hours").numerator == ("3h",)
    leads.append(lead("30m", "2026-01-05T09:00", accepted="2026-01-05T09:30"))
    even = metrics_of(*leads)
    assert even.figure(JAN, "median_response_hours").value == Fraction(2)  # (1 + 3) / 2
    assert even.trace(JAN, "median_response_hours").numerator == ("1h", "3h")
    seconds = lead("1s", "2026-01-05T09:00", accepted="2026-01-05T09:00:01")
    assert metrics_of(seconds).figure(JAN, "median_response_hours").value == Fraction(1, 3600)


# -- business hours ------------------------------------------------------------------


def test_business_hours_stop_the_clock_at_night_at_weekends_and_on_holidays() -> None:
    calendar = BusinessHours(holidays=frozenset({date(2026, 1, 14)}))
    friday = "2026-01-09T16:00+01:00"  # 1 business hour left that day
    metrics = metrics_of(
        lead("Tuesday 20, 15:59", friday, accepted="2026-01-20T15:59+01:00"),
        lead("Tuesday 20, 16:30", friday, accepted="2026-01-20T16:30+01:00"),
        lead("over the weekend", "2026-01-16T09:00+01:00", accepted="2026-01-24T12:00+01:00"),
        zone="Europe/Berlin",
        business_hours=calendar,
    )
    # 9 Jan 1h, 12-13 Jan 16h, 14 Jan a holiday, 15-16 Jan 16h, 19 Jan 8h: 41h;
    # the 48th hour ends at 16:00 on Tuesday 20 January.
    assert metrics.clock.closes(utc(friday)) == utc("2026-01-20T16:00+01:00")
    # delivered Friday 16 at 09:00, the 48th hour ends at 17:00 on Friday 23:
    # the weekend adds none, so the window closes on Monday 26 at 09:00
    assert metrics.clock.closes(utc("2026-01-16T09:00+01:00")) == utc("2026-01-26T09:00+01:00")
    assert metrics.trace(JAN, "followed_up_48h").numerator == (
        "Tuesday 20, 15:59",
        "over the weekend",
    )


def test_the_window_closes_when_the_count_passes_48_business_hours() -> None:
    # delivered Monday 5 January at 09:00 (UTC, the plan names no time zone):
    # the 48th business hour ends on Monday 12 January at 17:00, so a
    # handling before Tuesday 09:00 counts
    metrics = metrics_of(
        lead("evening", "2026-01-05T09:00Z", accepted="2026-01-12T20:00Z"),
        lead("next morning", "2026-01-05T09:00Z", accepted="2026-01-13T09:00:01Z"),
        business_hours=BusinessHours(),
    )
    assert metrics.trace(JAN, "followed_up_48h").numerator == ("evening",)
    assert metrics.clock.closes(utc("2026-01-05T09:00")) == utc("2026-01-13T09:00")


def test_business_hours_count_elapsed_time_across_a_clock_change() -> None:
    # Working hours 00:00 to 06:00 in Berlin: on 29 March 2026 the clocks skip
    # 02:00 to 03:00, so that working day has 5 hours, not 6.
    calendar = BusinessHours(weekdays=frozenset(range(7)), start=time(0), end=time(6))
    metrics = metrics_of(
        lead("A", "2026-03-28T23:00+01:00", accepted="2026-03-29T06:00+02:00"),
        zone="Europe/Berlin",
        business_hours=calendar,
    )
    assert metrics.figure(Month(2026, 3), "median_response_hours").value == 5


def test_business_hours_in_words() -> None:
    calendar = BusinessHours(
        weekdays=frozenset({0, 2, 4}), holidays=frozenset({date(2026, 1, 1), date(2026, 12, 25)})
    )
    assert calendar.describe() == "Monday, Wednesday, Friday, 09:00 to 17:00, 2 holidays"
    assert BusinessHours().describe() == "Monday to Friday, 09:00 to 17:00, no holidays"


@pytest.mark.parametrize(
    "arguments",
    [
        {"weekdays": frozenset()},
        {"weekdays": frozenset({7})},
        {"start": time(17), "end": time(9)},
        {"holidays": frozenset({"2026-01-01"})},
    ],
)
def test_a_calendar_without_working_hours_is_refused(arguments: dict[str, object]) -> None:
    with pytest.raises(PlanError, match="business_hours"):
        BusinessHours(**arguments)  # type: ignore[arg-type]


# -- marketing's share of won revenue --------------------------------------------------


def test_marketing_share_counts_a_missing_attribution_for_marketing() -> None:
    def won(lead_id: str, amount: str, *, marketing: bool, attribution: str | None) -> Lead:
        return lead(
            lead_id,
            "2026-01-05T09:00",
            marketing=marketing,
            accepted="2026-01-05T10:00",
            qualified=date(2026, 1, 10),
            won=date(2026, 1, 28),
            amount=Decimal(amount),
            attribution=attribution,
        )

    metrics = metrics_of(
        won("attributed", "30000.00", marketing=True, attribution="Trade Show 2026"),
        won("missing", "10000.50", marketing=True, attribution=None),
        won("partner", "19999.50", marketing=False, attribution=None),
    )
    figure = metrics.figure(JAN, "marketing_revenue_share")
    assert figure.numerator == Decimal("40000.50")
    assert figure.denominator == Decimal("60000.00")
    assert figure.value == Fraction(4000050, 6000000)
    assert metrics.trace(JAN, "marketing_revenue_share").numerator == ("attributed", "missing")


def test_revenue_sums_are_exact_under_any_decimal_context() -> None:
    amounts = ["0.000000000000000001", "999999999999999999", "0.1", "0.2"]
    leads = [
        lead(f"W{i}", "2026-01-05T09:00", won=date(2026, 1, 6), amount=Decimal(a))
        for i, a in enumerate(amounts)
    ]
    with localcontext() as hostile:
        hostile.prec = 3
        figure = metrics_of(*leads).figure(JAN, "marketing_revenue_share")
    assert figure.numerator == Decimal("999999999999999999.300000000000000001")
    assert figure.value == 1


# -- traces --------------------------------------------------------------------------


def test_every_figure_traces_to_its_leads() -> None:
    metrics = metrics_of(
        lead("b", "2026-01-05T09:00", accepted="2026-01-05T10:00", qualified=date(2026, 1, 9)),
        lead("a", "2026-01-06T09:00", rejected="2026-01-06T10:00"),
        lead("c", "2026-01-07T09:00", accepted="2026-01-09T10:00"),
    )
    for metric in METRICS:
        trace = metrics.trace(JAN, metric)
        figure = metrics.figure(JAN, metric)
        assert trace.numerator == tuple(sorted(trace.numerator))
        if isinstance(figure.numerator, int):
            assert len(trace.numerator) == figure.numerator
        if isinstance(figure.denominator, int):
            assert len(trace.denominator) == figure.denominator
    assert metrics.trace(JAN, "leads_delivered").numerator == ("a", "b", "c")
    assert metrics.trace(JAN, "leads_delivered").denominator == ()
    assert metrics.trace(JAN, "sal_to_sql").denominator == ("b", "c")
    assert metrics.trace(JAN, "sal_to_sql").numerator == ("b",)


def test_asking_for_an_unknown_metric_is_a_clear_error() -> None:
    metrics = metrics_of(lead("a", "2026-01-05T09:00"))
    with pytest.raises(PlanError, match="one of leads_delivered"):
        metrics.figure(JAN, "leads_won")
    with pytest.raises(PlanError, match="metric"):
        metrics.trace(JAN, "revenue")


# -- values made in Python ----------------------------------------------------------------


def test_as_of_must_be_an_aware_instant() -> None:
    export = LeadExport([lead("a", "2026-01-05T09:00")])
    with pytest.raises(PlanError, match="as_of: got"):
        measure(export, datetime(2026, 2, 1))


def test_a_lead_made_in_python_is_checked() -> None:
    delivered = utc("2026-01-05T09:00")
    with pytest.raises(PlanError, match="aware datetime"):
        Lead("a", datetime(2026, 1, 5, 9), True)
    with pytest.raises(PlanError, match="on or after the delivery"):
        Lead("a", delivered, True, accepted=utc("2026-01-05T08:00"))
    with pytest.raises(PlanError, match="exactly when the lead was won"):
        Lead("a", delivered, True, amount=Decimal(5))
    with pytest.raises(PlanError, match="a Decimal of at least 0"):
        Lead("a", delivered, True, won=date(2026, 1, 6), amount=5.5)  # type: ignore[arg-type]
    with pytest.raises(PlanError, match="a date"):
        Lead("a", delivered, True, qualified=delivered)
    with pytest.raises(PlanError, match="True or False"):
        Lead("a", delivered, 1)  # type: ignore[arg-type]
    other_zone = datetime.fromisoformat("2026-01-05T10:00+01:00")
    assert Lead("a", other_zone, True).delivered == delivered
    assert issubclass(PlanError, JointBonusError)
    assert not issubclass(FloatMoneyError, PlanError)


def test_an_export_made_in_python_checks_ids_and_days() -> None:
    a = lead("a", "2026-01-05T09:00")
    with pytest.raises(PlanError, match="each lead once"):
        LeadExport([a, a])
    early = lead("b", "2026-01-05T23:30Z", accepted="2026-01-05T23:45Z", qualified=date(2026, 1, 5))
    assert len(LeadExport([early])) == 1
    with pytest.raises(PlanError, match="a day on or after the acceptance"):
        LeadExport([early], "Europe/Berlin")  # accepted on the 6th in Berlin
    with pytest.raises(PlanError, match="a day on or after the delivery"):
        LeadExport([lead("c", "2026-01-05T09:00", won=date(2026, 1, 4), amount=Decimal(1))])
