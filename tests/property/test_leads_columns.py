"""Reading a lead export a column at a time gives exactly what reading it row by row gives.

The reader checks and converts a whole column at once (its distinct values
looked up once, its times read in bulk) and leaves anything wrong or unusual
to the row-by-row reading, which locates every problem. The row-by-row
reading stays the definition: on exports whose cells are drawn from the
shapes a CRM writes and the mistakes people make -- times with and without
offsets, dates alone, times a clock change skips, unknown statuses and
stages, amounts that are not numbers, repeated or missing ids, events out of
order -- both give the same leads, or the same problems.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from jointbonus.errors import PlanError
from jointbonus.leads import SALESFORCE, LeadExport, LeadMapping, leads_from_rows
from jointbonus.leads.reader import _Columns
from leads_strategies import Drawn, lead_exports

TIMES = (
    "",
    "=just before",  # a minute before the row's delivery: too early for any event
    "=delivered",  # the row's own delivery time: an event at the same instant
    "=between",  # halfway from the row's delivery to its acceptance: qualified too early
    "=other",  # another row's delivery time: before or after this one's
    "=other day",  # the day of another row's delivery
    "=other day",
    "=padded",  # the row's own delivery time between spaces
    "   ",
    "2024-02-10",
    "2024-02-10T09:30",
    "2024-02-10 09:30:00",
    "2024-02-10T09:30:00Z",
    "2024-02-10T09:30:00.000+0000",
    "2024-02-10T09:30:00+05:30",
    "2024-02-10T09Z",
    "2024-03-10T02:30",  # skipped in New York
    "2024-03-31T02:30",  # skipped in Berlin
    "2024-11-03T01:30",  # repeated in New York
    "2/10/2024, 9:30 AM",
    "10/02/2024 09:30",
    "1899-12-31T23:00:00Z",
    "2024-02-30T09:00:00Z",
    "yesterday",
)
CELLS = {
    "Created Date": TIMES,
    "Accepted Date": TIMES,
    "Rejected Date": TIMES,
    "Converted Date": TIMES,
    "Close Date": TIMES,
    "Lead Source": ("Web", " web ", "Partner Referral", "Fax", ""),
    "Status": (
        "",
        "Working - Contacted",
        "Closed - Converted",
        "Closed - Not Converted",
        "Open - Not Contacted",
        "Maybe",
    ),
    "Stage": ("Closed Lost", "Closed Won", "Closed Lost", "", "Perhaps"),
    "Amount": ("", "0", "100.50", "-5", "12,000", "1e3"),
    "Rejection Reason": ("Duplicate", "", "Duplicate"),
    "Primary Campaign Source": ("", "Spring Webinar"),
    "Lead ID": ("", "L000", " L001 "),
}
MAPPINGS = (
    SALESFORCE,
    dataclasses.replace(SALESFORCE, date_order="month_first"),
    dataclasses.replace(SALESFORCE, date_order="day_first"),
)

#: A change to one cell of a row: (row, column, which text); the times' columns more often.
changes = st.lists(
    st.tuples(
        st.integers(0, 29),
        st.sampled_from(sorted(CELLS) + [column for column in CELLS if CELLS[column] is TIMES]),
        st.integers(0, 20),
    ),
    min_size=1,
    max_size=3,
)


def changed(rows: list[dict[str, str]], changes: list[tuple[int, str, int]]) -> None:
    """Apply ``changes`` to ``rows`` (a row number beyond them picks one by its remainder)."""
    for number, column, pick in changes:
        if not rows:
            return
        row = rows[number % len(rows)]
        other = rows[(number + 1 + pick) % len(rows)]["Created Date"]
        values = CELLS[column]
        text = values[pick % len(values)]
        row[column] = {
            "=just before": _before(row["Created Date"]),
            "=delivered": row["Created Date"],
            "=between": _between(row["Created Date"], row["Accepted Date"]),
            "=other": other,
            "=other day": other[:10],
            "=padded": f" {row['Created Date'].strip()} ",
        }.get(text, text)


#: Changes any row can take and stay right: events at the instant of the delivery (or,
#: qualified, of the acceptance), a reason for a lead never rejected, a deal lost after
#: all (its close date and amount then not read), a source written otherwise, a delivery
#: time between spaces.
RIGHT = {
    "Created Date": "=padded",
    "Accepted Date": "=delivered",
    "Rejected Date": "=delivered",
    "Converted Date": "=accepted",
    "Rejection Reason": "Duplicate",
    "Stage": "Closed Lost",
    "Lead Source": " web ",
    "Amount": "0",
}


def kept_right(rows: list[dict[str, str]], changes: list[list[str]]) -> None:
    """Apply the :data:`RIGHT` changes named for each row (in order) to ``rows``."""
    for row, names in zip(rows, changes, strict=False):
        for name in names:
            if name == "Stage" and not row["Close Date"]:
                continue  # a deal lost: one that was won, and its close date not read
            row[name] = {
                "=delivered": row["Created Date"],
                "=accepted": row["Accepted Date"] or row["Created Date"],
                "=padded": f" {row['Created Date'].strip()} ",
            }.get(RIGHT[name], RIGHT[name])


def _between(start: str, end: str) -> str:
    """The instant halfway from the time ``start`` to the time ``end`` (``start`` as it
    stands, if either is not an ISO time)."""
    try:
        low, high = datetime.fromisoformat(start), datetime.fromisoformat(end)
        return (low + (high - low) / 2).isoformat()
    except (ValueError, TypeError):
        return start


def _before(text: str) -> str:
    """A minute before the time ``text`` (as it stands, if it is not an ISO time)."""
    try:
        return (datetime.fromisoformat(text) - timedelta(minutes=1)).isoformat()
    except ValueError:
        return text


def read(
    rows: list[dict[str, str]], mapping: LeadMapping, time_zone: str | None
) -> LeadExport | tuple[object, ...]:
    """The export of ``rows``, or the problems that refuse it."""
    try:
        return leads_from_rows(rows, mapping=mapping, time_zone=time_zone, missing_as_empty=True)
    except PlanError as error:
        return error.problems


@given(lead_exports(), changes, st.sampled_from(MAPPINGS))
def test_a_column_at_a_time_reads_what_row_by_row_reads(
    drawn: Drawn, changes: list[tuple[int, str, int]], mapping: LeadMapping
) -> None:
    rows = drawn.rows()
    changed(rows, changes)
    columns = read(rows, mapping, drawn.time_zone)
    with mock.patch.object(_Columns, "read", lambda _self, _tables: None):
        by_rows = read(rows, mapping, drawn.time_zone)
    if isinstance(by_rows, LeadExport):
        assert isinstance(columns, LeadExport)
        assert columns.columns == by_rows.columns
        assert columns.leads == by_rows.leads
    else:
        assert columns == by_rows


@given(
    lead_exports(),
    st.lists(st.lists(st.sampled_from(sorted(RIGHT)), max_size=3), max_size=30),
    st.sampled_from(MAPPINGS),
)
def test_right_rows_are_read_a_column_at_a_time_as_row_by_row(
    drawn: Drawn, changes: list[list[str]], mapping: LeadMapping
) -> None:
    rows = drawn.rows()
    kept_right(rows, changes)
    columns = read(rows, mapping, drawn.time_zone)
    with mock.patch.object(_Columns, "read", lambda _self, _tables: None):
        by_rows = read(rows, mapping, drawn.time_zone)
    assert isinstance(by_rows, LeadExport)
    assert isinstance(columns, LeadExport)
    assert columns.columns == by_rows.columns
