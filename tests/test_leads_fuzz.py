"""Fuzzing the lead readers: whatever an export holds, jointbonus answers with its own error.

Any bytes as a CSV or .xlsx export, CSV text shaped like a Salesforce export
with plausible and hostile cells, and rows given from Python either load
into leads or raise :class:`~jointbonus.errors.PlanError` whose every
problem says what was expected -- never a ``KeyError``, an
``OverflowError``, a ``UnicodeError`` or any other exception from deeper
down. Leads that load are also measured (on the clock and in business
hours), reviewed and rendered, under the same rule.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from jointbonus.errors import PlanError
from jointbonus.leads import (
    SALESFORCE,
    BusinessHours,
    LeadExport,
    leads_from_rows,
    measure,
    metrics_csv,
    metrics_document,
    metrics_table,
    read_leads,
    review_csv,
    review_list,
)

fuzz = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
COLUMNS = list(SALESFORCE.columns().values())

CELLS = st.one_of(
    st.sampled_from(
        (
            "", " ", "00Q1", "00Q2", "Web", "Fax", "Partner Referral", "Closed Won",
            "Closed Lost", "Working - Contacted", "Closed - Converted", "Closed - Not Converted",
            "Open - Not Contacted", "2026-01-05T09:00:00Z", "2026-01-05T09:00:00.000+0100",
            "2026-01-05 09:00", "2026-01-05", "2026-03-29T02:30", "2026-10-25T02:30",
            "1/15/2026, 9:30 AM", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00",
            "2026-01-05T24:00:00Z", "20260105T090000Z", "2026-W02-1", "45000.00", "-5", "1E+999",
            "NaN", "Infinity", "0", "45,000", '=HYPERLINK("x")', "\x00", "\ud7ff", "ﬁ", "١٢",
            "２０２６-01-05T09:00:00Z", "2026-02-29", "2024-02-29T12:00:00Z", "Duplicate",
        )
    ),
    st.text(max_size=30),
)  # fmt: skip


def outcome_of_export(export: LeadExport) -> str:
    """Measure, review and render ``export``; the library's errors only."""
    as_of = datetime(2026, 12, 1, tzinfo=UTC)
    for calendar in (None, BusinessHours()):
        metrics = measure(export, as_of, business_hours=calendar)
        metrics_csv(metrics)
        metrics_document(metrics)
        metrics_table(metrics)
        review_csv(review_list(metrics))
        for month in metrics.months:
            metrics.trace(month, "median_response_hours")
    return "measured"


def outcome(name: str, content: bytes, time_zone: str | None = None) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            export = read_leads(path, time_zone=time_zone)
        except PlanError as error:
            assert error.problems
            assert all(problem.expected for problem in error.problems)
            return "PlanError"
    return outcome_of_export(export)


@fuzz
@given(st.binary(max_size=2000))
@example(b"\xef\xbb\xbfLead ID\n")
@example(b"\x00")
def test_any_bytes_as_a_csv_export(content: bytes) -> None:
    assert outcome("leads.csv", content) in ("PlanError", "measured")


@fuzz
@given(st.binary(max_size=2000))
@example(b"PK\x03\x04")
@example(b"PK\x05\x06" + b"\x00" * 18)
def test_any_bytes_as_an_xlsx_export(content: bytes) -> None:
    pytest.importorskip("openpyxl")
    assert outcome("leads.xlsx", content) in ("PlanError", "measured")


@st.composite
def csv_exports(draw: st.DrawFn) -> bytes:
    columns = draw(st.permutations([*COLUMNS, "Company"]))
    columns = columns[: draw(st.integers(len(columns) - 2, len(columns)))]
    rows = draw(st.lists(st.lists(CELLS, min_size=len(columns), max_size=len(columns)), max_size=8))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


@fuzz
@given(csv_exports(), st.sampled_from((None, "Europe/Berlin", "America/New_York")))
@example(
    b"Lead ID,Created Date,Lead Source,Status,Accepted Date,Rejected Date,Rejection Reason,"
    b"Converted Date,Stage,Close Date,Amount,Primary Campaign Source\n"
    b"1,9999-12-31T23:59:59-14:00,Web,,,,,,,,,\n",
    None,
)
@example(
    b"Lead ID,Created Date,Lead Source,Status,Accepted Date,Rejected Date,Rejection Reason,"
    b"Converted Date,Stage,Close Date,Amount,Primary Campaign Source\n"
    b"1,2199-12-31T23:00:00Z,Web,,2199-12-31T23:30:00Z,,,,,,,\n",
    "Europe/Berlin",
)
def test_csv_shaped_like_an_export(content: bytes, time_zone: str | None) -> None:
    result = outcome("leads.csv", content, time_zone)
    event(result)
    assert result in ("PlanError", "measured")


#: Instants of a few decades: business hours over two centuries take seconds to lay out.
instants = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2040, 12, 31), timezones=st.just(UTC)
)


@st.composite
def nearly_valid_rows(draw: st.DrawFn) -> dict[str, str]:
    """A valid Salesforce row with up to two cells changed."""
    delivered = draw(instants)
    later = draw(st.lists(instants.filter(lambda t: t >= delivered), min_size=3, max_size=3))
    row = {
        "Lead ID": draw(st.text(min_size=1, max_size=8).filter(str.strip)),
        "Created Date": delivered.isoformat(),
        "Lead Source": draw(st.sampled_from(("Web", "Trade Show", "Other"))),
        "Accepted Date": draw(st.sampled_from(("", later[0].isoformat()))),
        "Converted Date": draw(st.sampled_from(("", later[1].date().isoformat()))),
        "Stage": "Closed Won",
        "Close Date": later[2].isoformat(),
        "Amount": str(draw(st.decimals(0, 10**17, places=2))),
    }
    for column in draw(st.lists(st.sampled_from(COLUMNS), max_size=2)):
        row[column] = draw(CELLS)
    return row


@fuzz
@given(
    st.one_of(
        st.lists(st.dictionaries(st.sampled_from(COLUMNS), CELLS), max_size=6),
        st.lists(nearly_valid_rows(), max_size=6),
    ),
    st.sampled_from((None, "Europe/Berlin", "Pacific/Kiritimati")),
)
def test_rows_from_python(rows: list[dict[str, str]], time_zone: str | None) -> None:
    try:
        export = leads_from_rows(rows, time_zone=time_zone, missing_as_empty=True)
    except PlanError as error:
        assert all(problem.expected for problem in error.problems)
        event("PlanError")
        return
    event("measured")
    assert outcome_of_export(export) == "measured"
