"""The review list and the figures as CSV, JSON-ready documents and a table."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from jointbonus.core.periods import Month
from jointbonus.io.cells import unescape_formula
from jointbonus.leads import (
    METRICS,
    REVIEW_COLUMNS,
    BusinessHours,
    Lead,
    LeadExport,
    LeadMetrics,
    ReviewRule,
    measure,
    metrics_csv,
    metrics_document,
    metrics_table,
    review_csv,
    review_document,
    review_list,
)
from jointbonus.leads.report import METRIC_COLUMNS

JAN, FEB = Month(2026, 1), Month(2026, 2)


def utc(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


LEADS = (
    Lead("fine", utc("2026-01-05T09:00"), True, accepted=utc("2026-01-05T10:00"),
         qualified=date(2026, 1, 9)),
    Lead("late", utc("2026-01-05T09:00"), True, accepted=utc("2026-01-08T09:30")),
    Lead("ignored", utc("2026-01-06T09:00"), False),
    Lead("no reason", utc("2026-01-07T09:00"), True, rejected=utc("2026-01-07T10:00")),
    Lead("@won", utc("2026-01-08T09:00"), True, accepted=utc("2026-01-08T10:00"),
         qualified=date(2026, 1, 12), won=date(2026, 2, 3), amount=Decimal("1200.50")),
    Lead("fresh", utc("2026-01-31T08:00"), True),
)  # fmt: skip


def metrics_at(as_of: str, *leads: Lead, time_zone: str | None = None) -> LeadMetrics:
    return measure(LeadExport(leads or LEADS, time_zone), utc(as_of))


def test_the_review_list_holds_every_broken_rule_once_its_window_closed() -> None:
    rows = review_list(metrics_at("2026-02-12T00:00"))
    assert [(r.lead_id, str(r.month), r.rule) for r in rows] == [
        ("fresh", "2026-01", ReviewRule.NOT_HANDLED),
        ("ignored", "2026-01", ReviewRule.NOT_HANDLED),
        ("late", "2026-01", ReviewRule.NOT_HANDLED),
        ("no reason", "2026-01", ReviewRule.NOT_HANDLED),
        ("no reason", "2026-01", ReviewRule.REJECTED_WITHOUT_REASON),
        ("late", "2026-01", ReviewRule.NOT_QUALIFIED),
        ("@won", "2026-02", ReviewRule.MISSING_ATTRIBUTION),
    ]
    details = {(r.lead_id, r.rule): r.details for r in rows}
    assert details["late", ReviewRule.NOT_HANDLED] == (
        "delivered 2026-01-05 09:00 UTC; accepted 2026-01-08 09:30 UTC, 72.5 hours after "
        "(limit 48 hours)"
    )
    assert details["ignored", ReviewRule.NOT_HANDLED] == (
        "delivered 2026-01-06 09:00 UTC; not accepted nor rejected with a reason by "
        "2026-01-08 09:00 UTC (48 hours)"
    )
    assert details["late", ReviewRule.NOT_QUALIFIED] == (
        "accepted 2026-01-08 09:30 UTC; not sales-qualified by 2026-02-08 (one calendar month)"
    )
    assert details["@won", ReviewRule.MISSING_ATTRIBUTION] == (
        "won 2026-02-03 for 1200.50; marketing generated, so counted for marketing, "
        "but the attribution field is empty"
    )


def test_a_lead_is_not_listed_before_its_own_window_closes() -> None:
    rows = review_list(metrics_at("2026-02-02T07:59"))
    assert ("fresh", ReviewRule.NOT_HANDLED) not in {(r.lead_id, r.rule) for r in rows}
    assert ("late", ReviewRule.NOT_QUALIFIED) not in {(r.lead_id, r.rule) for r in rows}
    later = review_list(metrics_at("2026-02-02T08:00"))
    assert ("fresh", ReviewRule.NOT_HANDLED) in {(r.lead_id, r.rule) for r in later}


def test_a_qualification_after_the_month_is_listed_with_its_day() -> None:
    slow = Lead("slow", utc("2026-01-30T09:00"), True, accepted=utc("2026-01-31T09:00"),
                qualified=date(2026, 3, 1))  # fmt: skip
    (row,) = review_list(metrics_at("2026-04-01T00:00", slow))
    assert row.details == (
        "accepted 2026-01-31 09:00 UTC; became sales-qualified 2026-03-01, after 2026-02-28 "
        "(one calendar month)"
    )


def test_the_review_list_speaks_in_the_plan_time_zone_and_its_hours() -> None:
    late = Lead("late", utc("2026-01-09T15:00"), True, accepted=utc("2026-01-20T09:30"),
                qualified=date(2026, 1, 25))  # fmt: skip
    metrics = measure(LeadExport([late], "Europe/Berlin"), utc("2026-03-01T00:00"),
                      business_hours=BusinessHours())  # fmt: skip
    (row,) = review_list(metrics)
    assert row.details == (
        "delivered 2026-01-09 16:00 CET; accepted 2026-01-20 10:30 CET, 50.5 business hours "
        "after (limit 48 business hours (Monday to Friday, 09:00 to 17:00, no holidays))"
    )


def test_the_review_csv_is_safe_in_a_spreadsheet_and_reads_back() -> None:
    rows = review_list(metrics_at("2026-02-12T00:00"))
    text = review_csv(rows)
    read = list(csv.reader(io.StringIO(text)))
    assert tuple(read[0]) == REVIEW_COLUMNS
    assert read[-1][0] == "'@won"  # a cell starting with @ is escaped
    assert [unescape_formula(r[0]) for r in read[1:]] == [r.lead_id for r in rows]
    assert review_document(rows)[0] == {
        "lead_id": "fresh",
        "month": "2026-01",
        "rule": "not_handled_within_48h",
        "details": rows[0].details,
        "source": "(API)",
    }
    json.dumps(review_document(rows))


def test_the_figures_as_csv() -> None:
    metrics = metrics_at("2026-02-12T00:00")
    read = list(csv.DictReader(io.StringIO(metrics_csv(metrics))))
    assert tuple(read[0]) == METRIC_COLUMNS
    assert len(read) == len(METRICS) * 2  # January and February
    followed = next(r for r in read if r["month"] == "2026-01" and r["metric"] == "followed_up_48h")
    assert followed == {
        "month": "2026-01", "metric": "followed_up_48h", "value": "0.333333", "exact": "1/3",
        "numerator": "2", "denominator": "6", "status": "final", "closes": "2026-02-02T08:00:00Z",
    }  # fmt: skip
    revenue = next(r for r in read if r["month"] == "2026-02" and r["metric"].startswith("mark"))
    assert (revenue["value"], revenue["numerator"], revenue["denominator"]) == (
        "1.000000",
        "1200.50",
        "1200.50",
    )
    empty = next(r for r in read if r["month"] == "2026-02" and r["metric"] == "sal_to_sql")
    assert (empty["value"], empty["exact"], empty["status"]) == ("", "", "pending")


def test_the_figures_as_a_json_ready_document() -> None:
    document = metrics_document(metrics_at("2026-01-20T00:00", time_zone="Europe/Berlin"))
    assert json.loads(json.dumps(document)) == document
    assert (document["time_zone"], document["as_of"], document["handling"], document["leads"]) == (
        "Europe/Berlin",
        "2026-01-20T00:00:00Z",
        "48 hours",
        6,
    )
    january = document["months"][0]
    assert january["month"] == "2026-01"
    assert list(january["figures"]) == list(METRICS)
    assert january["figures"]["leads_delivered"] == {
        "value": "6", "exact": None, "numerator": "6", "denominator": None, "status": "pending",
        "closes": "2026-02-02T08:00:00Z",
        "window": "48 hours after the month's last delivery, and the month's end",
    }  # fmt: skip


def test_the_figures_as_a_table_for_people() -> None:
    table = metrics_table(metrics_at("2026-02-02T12:00"))
    lines = table.splitlines()
    assert lines[0].split() == ["month", "delivered", "accepted", "48h", "no", "reason",
                                "median", "h", "SAL->SQL", "marketing", "rev."]  # fmt: skip
    assert lines[2].split() == ["2026-01", "6", "3", "33.3%", "1", "1.0", "66.7%*", "-"]
    assert lines[3].split() == ["2026-02", "0*", "0*", "-*", "0*", "-*", "-*", "100.0%*"]
    assert lines[-1] == "* pending: its window is still open"
