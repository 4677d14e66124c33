"""Reading lead exports: CSV and .xlsx, the two default mappings, and every kind of bad
file, each one clear problem located by file, line, column, value and what was expected."""

from __future__ import annotations

import builtins
import csv
import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jointbonus.errors import PlanError, Problem
from jointbonus.io.extras import MissingExtraError
from jointbonus.leads import (
    HUBSPOT,
    MAPPINGS,
    SALESFORCE,
    LeadMapping,
    LeadStatus,
    leads_from_rows,
    read_leads,
)

HEADER = (
    "Lead ID", "Created Date", "Lead Source", "Status", "Accepted Date", "Rejected Date",
    "Rejection Reason", "Converted Date", "Stage", "Close Date", "Amount",
    "Primary Campaign Source", "Company",
)  # fmt: skip

GOOD = {
    "Lead ID": "00Q1",
    "Created Date": "2026-01-05T09:00:00.000Z",
    "Lead Source": "Web",
    "Status": "Closed - Converted",
    "Accepted Date": "2026-01-05T15:00:00.000Z",
    "Converted Date": "2026-01-20",
    "Stage": "Closed Won",
    "Close Date": "2026-02-10",
    "Amount": "45000.00",
    "Primary Campaign Source": "Trade Show 2026",
    "Company": "Acme",
}


def write_csv(path: Path, rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def problems_of(path: Path, **kw: Any) -> tuple[Problem, ...]:
    with pytest.raises(PlanError) as caught:
        read_leads(path, **kw)
    return caught.value.problems


def one_problem(path: Path, **kw: Any) -> Problem:
    found = problems_of(path, **kw)
    assert len(found) == 1, "\n".join(map(str, found))
    return found[0]


# -- good files ----------------------------------------------------------------------


def test_a_salesforce_export_reads_into_leads(tmp_path: Path) -> None:
    rejected = {"Lead ID": "00Q2", "Created Date": "2026-01-06T09:00:00.000Z",
                "Lead Source": "Partner Referral", "Status": "Closed - Not Converted",
                "Rejected Date": "2026-01-06T10:00:00.000Z", "Rejection Reason": "Duplicate",
                "Stage": "", "Company": "=cmd"}  # fmt: skip
    export = read_leads(write_csv(tmp_path / "leads.csv", [GOOD, rejected]))
    first, second = export.leads
    assert first.id == "00Q1"
    assert first.delivered == datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert first.marketing
    assert first.qualified == date(2026, 1, 20)
    assert (first.won, first.amount, first.attribution) == (
        date(2026, 2, 10),
        Decimal("45000.00"),
        "Trade Show 2026",
    )
    assert first.source == f"{tmp_path / 'leads.csv'}:2"
    assert (second.marketing, second.reason, second.won) == (False, "Duplicate", None)
    assert export.lead("00Q2") is second
    assert export.time_zone is None


def test_an_open_deal_is_not_a_win(tmp_path: Path) -> None:
    open_deal = {**GOOD, "Stage": "Proposal/Price Quote", "Close Date": "2026-03-31"}
    lost = {**GOOD, "Lead ID": "00Q3", "Stage": "Closed Lost"}
    export = read_leads(write_csv(tmp_path / "leads.csv", [open_deal, lost]))
    assert [(lead.won, lead.amount) for lead in export] == [(None, None), (None, None)]


def test_columns_are_found_whatever_their_case_and_order(tmp_path: Path) -> None:
    header = tuple(reversed([name.upper() for name in HEADER]))
    path = tmp_path / "leads.csv"
    write_csv(path, [{name.upper(): value for name, value in GOOD.items()}], header)
    assert read_leads(path).lead("00Q1").amount == Decimal("45000.00")


def test_values_are_classified_whatever_their_case(tmp_path: Path) -> None:
    row = {**GOOD, "Lead Source": " trade SHOW ", "Status": "closed - converted"}
    assert read_leads(write_csv(tmp_path / "leads.csv", [row])).lead("00Q1").marketing


def test_a_hubspot_export_reads_with_local_times(tmp_path: Path) -> None:
    header = ("Record ID", "Create Date", "Original Source", "Lead Status", "Accepted Date",
              "Rejected Date", "Rejection Reason", "Became a Sales Qualified Lead Date",
              "Lifecycle Stage", "Recent Deal Close Date", "Recent Deal Amount",
              "Last Touch Converting Campaign", "Email")  # fmt: skip
    rows = [
        {"Record ID": "101", "Create Date": "2026-03-27 16:30", "Original Source": "Paid Search",
         "Lead Status": "Connected", "Accepted Date": "2026-03-29 10:00",
         "Became a Sales Qualified Lead Date": "2026-04-02 11:00", "Lifecycle Stage": "Customer",
         "Recent Deal Close Date": "2026-05-04 12:00", "Recent Deal Amount": "1200",
         "Last Touch Converting Campaign": ""},
        {"Record ID": "102", "Create Date": "2026-03-28 08:00",
         "Original Source": "Offline Sources", "Lead Status": "", "Lifecycle Stage": "Lead"},
    ]  # fmt: skip
    export = read_leads(write_csv(tmp_path / "contacts.csv", rows, header), mapping=HUBSPOT,
                        time_zone="Europe/Berlin")  # fmt: skip
    customer = export.lead("101")
    assert customer.delivered == datetime(2026, 3, 27, 15, 30, tzinfo=UTC)  # CET
    assert customer.accepted == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)  # CEST
    assert (customer.qualified, customer.won, customer.amount) == (
        date(2026, 4, 2),
        date(2026, 5, 4),
        Decimal(1200),
    )
    assert not export.lead("102").marketing
    assert MAPPINGS == {"salesforce": SALESFORCE, "hubspot": HUBSPOT}


def test_several_files_read_as_one_export(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "2025.csv", [GOOD])
    second = write_csv(tmp_path / "2026.csv", [{**GOOD, "Lead ID": "00Q9"}])
    assert [lead.id for lead in read_leads(first, second)] == ["00Q1", "00Q9"]


def test_an_export_with_no_leads_is_empty(tmp_path: Path) -> None:
    assert len(read_leads(write_csv(tmp_path / "leads.csv", []))) == 0


def test_a_yes_no_column_as_the_source(tmp_path: Path) -> None:
    flags = replace(SALESFORCE, marketing_sources=frozenset({"true", "yes"}),
                    other_sources=frozenset({"false", "no"}))  # fmt: skip
    rows = [{**GOOD, "Lead Source": "TRUE"}, {**GOOD, "Lead ID": "2", "Lead Source": "no"}]
    assert [lead.marketing for lead in read_leads(write_csv(tmp_path / "l.csv", rows),
                                                  mapping=flags)] == [True, False]  # fmt: skip


def test_without_a_stage_column_a_won_time_makes_a_win(tmp_path: Path) -> None:
    plain = replace(SALESFORCE, stage=None, stages={})
    header = tuple(name for name in HEADER if name != "Stage")
    rows = [{**GOOD}, {**GOOD, "Lead ID": "2", "Close Date": "", "Amount": "0"}]
    export = read_leads(write_csv(tmp_path / "leads.csv", rows, header), mapping=plain)
    assert [lead.won for lead in export] == [date(2026, 2, 10), None]
    bad = write_csv(tmp_path / "bad.csv", [{**GOOD, "Close Date": "", "Amount": "10"}], header)
    found = one_problem(bad, mapping=plain)
    assert (found.line, found.field, found.value) == (2, "Amount", "10")
    assert "without a Close Date" in found.expected


def test_rows_from_python() -> None:
    export = leads_from_rows([GOOD], missing_as_empty=True)
    assert export.lead("00Q1").attribution == "Trade Show 2026"
    with pytest.raises(PlanError) as caught:
        leads_from_rows([{**GOOD, "Amount": 45000.0}])  # type: ignore[dict-item]
    assert any(p.field == "Amount" and p.line == 2 for p in caught.value.problems)


# -- .xlsx -------------------------------------------------------------------------------


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_an_xlsx_export_reads_like_its_csv(tmp_path: Path) -> None:
    row: list[object] = [GOOD.get(name, "") or None for name in HEADER]
    row[HEADER.index("Created Date")] = datetime(2026, 1, 5, 10, 0)  # a local time cell
    row[HEADER.index("Accepted Date")] = datetime(2026, 1, 5, 16, 0)
    row[HEADER.index("Converted Date")] = datetime(2026, 1, 20)
    row[HEADER.index("Close Date")] = date(2026, 2, 10)
    row[HEADER.index("Amount")] = 45000.1
    path = write_xlsx(tmp_path / "leads.xlsx", [list(HEADER), row, [None] * len(HEADER)])
    export = read_leads(path, time_zone="Europe/Berlin")
    (lead,) = export.leads
    assert lead.delivered == datetime(2026, 1, 5, 9, tzinfo=UTC)
    assert lead.amount == Decimal("45000.1")
    assert lead.source.endswith("leads.xlsx:2")


def test_an_xlsx_problem_is_located_by_row(tmp_path: Path) -> None:
    row: list[object] = [GOOD.get(name, "") or None for name in HEADER]
    row[HEADER.index("Amount")] = "forty"
    path = write_xlsx(tmp_path / "leads.xlsx", [list(HEADER), [None] * 3, row])
    found = one_problem(path)
    assert (found.line, found.field, found.value) == (3, "Amount", "forty")


def test_a_file_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "leads.xlsx"
    pytest.importorskip("openpyxl")
    path.write_bytes(b"Lead ID,Created Date\n")
    found = one_problem(path)
    assert found.field == "file"
    assert "a readable .xlsx workbook" in found.expected


def test_xlsx_without_openpyxl_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "leads.xlsx"
    path.write_bytes(b"PK")
    real_import: Callable[..., Any] = builtins.__import__

    def no_openpyxl(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.partition(".")[0] == "openpyxl":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    monkeypatch.delitem(__import__("sys").modules, "openpyxl", raising=False)
    with pytest.raises(MissingExtraError, match=r"jointbonus\[xlsx\]"):
        read_leads(path)
    csv_file = write_csv(tmp_path / "leads.csv", [GOOD])
    assert len(read_leads(csv_file)) == 1  # the core never needs it


# -- bad files: one problem each, located ----------------------------------------------

BadCase = tuple[dict[str, str], int, str, str, str]

BAD: dict[str, BadCase] = {
    "unknown status": ({"Status": "Maybe"}, 2, "Status", "Maybe", "one of the statuses"),
    "unknown source": ({"Lead Source": "Fax"}, 2, "Lead Source", "Fax", "one of the sources"),
    "unknown stage": ({"Stage": "Won-ish"}, 2, "Stage", "Won-ish", "one of the stages"),
    "naive time": (
        {"Created Date": "2026-01-05 09:00"}, 2, "Created Date", "2026-01-05 09:00", "UTC offset",
    ),
    "unreadable date": (
        {"Converted Date": "20.01.2026"}, 2, "Converted Date", "20.01.2026", "a date and time",
    ),
    "amount not a number": ({"Amount": "45,000"}, 2, "Amount", "45,000", "an amount such as"),
    "negative amount": ({"Amount": "-5"}, 2, "Amount", "-5", "at least 0"),
    "accepted before delivered": (
        {"Accepted Date": "2026-01-05T08:59:59Z"}, 2, "Accepted Date", "2026-01-05T08:59:59Z",
        "on or after the delivery (Created Date 2026-01-05T09:00:00.000Z)",
    ),
    "qualified before accepted": (
        {"Converted Date": "2026-01-04"}, 2, "Converted Date", "2026-01-04",
        "on or after the acceptance",
    ),
    "qualified after delivered, before accepted": (
        {"Converted Date": "2026-01-05T12:00:00Z"}, 2, "Converted Date", "2026-01-05T12:00:00Z",
        "on or after the acceptance (Accepted Date 2026-01-05T15:00:00.000Z)",
    ),
    "a lost deal's unreadable close date": (
        {"Stage": "Closed Lost", "Close Date": "soon"}, 2, "Close Date", "soon", "a date and time",
    ),
    "a lost deal's amount not a number": (
        {"Stage": "Closed Lost", "Amount": "45k"}, 2, "Amount", "45k", "an amount such as",
    ),
    "won before delivered": (
        {"Close Date": "2026-01-04"}, 2, "Close Date", "2026-01-04", "on or after the delivery",
    ),
    "rejected before delivered": (
        {"Rejected Date": "2026-01-01T00:00:00Z", "Rejection Reason": "x"}, 2, "Rejected Date",
        "2026-01-01T00:00:00Z", "on or after the delivery",
    ),
    "no lead id": ({"Lead ID": " "}, 2, "Lead ID", "", "a lead id"),
    "no delivery": ({"Created Date": ""}, 2, "Created Date", "", "(required)"),
    "delivery without a time": (
        {"Created Date": "2026-01-05"}, 2, "Created Date", "2026-01-05", "a time of day",
    ),
    "status says accepted": (
        {"Status": "Working - Contacted", "Accepted Date": "", "Converted Date": ""}, 2,
        "Accepted Date", "", "says sales accepted the lead",
    ),
    "status says converted": (
        {"Converted Date": ""}, 2, "Converted Date", "", "says the lead became sales-qualified",
    ),
    "won without an amount": ({"Amount": ""}, 2, "Amount", "", "the amount won"),
    "won without a date": ({"Close Date": ""}, 2, "Close Date", "", "the time the deal was won"),
    "year 1066": (
        {"Created Date": "1066-10-14T09:00:00Z"}, 2, "Created Date", "1066-10-14T09:00:00Z",
        "1900 to 2199",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_each_bad_cell_is_one_located_problem(tmp_path: Path, case: str) -> None:
    change, line, field, value, expected = BAD[case]
    path = write_csv(tmp_path / "leads.csv", [{**GOOD, **change}])
    found = one_problem(path)
    assert (found.file, found.line, found.field, found.value) == (str(path), line, field, value)
    assert expected in found.expected, found.expected


def test_a_duplicate_id_names_the_first_line(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "leads.csv", [GOOD, {**GOOD, "Lead ID": "00Q2"}, GOOD])
    found = one_problem(path)
    assert (found.line, found.field, found.value) == (4, "Lead ID", "00Q1")
    assert found.expected == "each lead once (also on line 2)"


def test_a_duplicate_id_across_files_names_the_other_file(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", [GOOD])
    second = write_csv(tmp_path / "b.csv", [GOOD])
    with pytest.raises(PlanError) as caught:
        read_leads(first, second)
    (found,) = caught.value.problems
    assert (found.file, found.line) == (str(second), 2)
    assert found.expected == f"each lead once (also on {first} line 2)"


def test_a_missing_mapped_column_is_a_header_problem(tmp_path: Path) -> None:
    header = tuple(name for name in HEADER if name != "Converted Date")
    found = one_problem(write_csv(tmp_path / "leads.csv", [GOOD], header))
    assert (found.line, found.field) == (1, "header")
    assert "a column 'Converted Date' with the time the lead became sales-qualified" in (
        found.expected
    )


def test_a_mapped_column_twice_is_a_header_problem(tmp_path: Path) -> None:
    header = (*HEADER, "amount")
    found = one_problem(write_csv(tmp_path / "leads.csv", [GOOD], header))
    assert found.expected == "the column 'Amount' once (it is there 2 times)"


def test_repeated_columns_the_mapping_does_not_read_are_fine(tmp_path: Path) -> None:
    header = (*HEADER, "Company", "Name", "Name")
    assert len(read_leads(write_csv(tmp_path / "leads.csv", [GOOD], header))) == 1


def test_every_problem_of_every_file_is_raised_together(tmp_path: Path) -> None:
    first = write_csv(tmp_path / "a.csv", [{**GOOD, "Status": "Maybe"}, {**GOOD, "Amount": "x"}])
    second = write_csv(tmp_path / "b.csv", [{**GOOD, "Lead ID": "9", "Lead Source": "Fax"}])
    with pytest.raises(PlanError) as caught:
        read_leads(first, second, time_zone="Mars/Olympus")
    found = caught.value.problems
    assert [(p.file, p.line, p.field) for p in found] == [
        ("(time zone)", None, "time_zone"),
        (str(first), 2, "Status"),
        (str(first), 3, "Lead ID"),
        (str(first), 3, "Amount"),
        (str(second), 2, "Lead Source"),
    ]
    assert str(caught.value).startswith("5 problems in the plan:\n")


def test_files_the_csv_rules_refuse(tmp_path: Path) -> None:
    semicolons = tmp_path / "semicolons.csv"
    semicolons.write_text(";".join(HEADER) + "\n", encoding="utf-8")
    assert "separated by commas" in one_problem(semicolons).expected
    latin = tmp_path / "latin.csv"
    latin.write_bytes(",".join(HEADER).encode() + b"\n00Q1,\xe9\n")
    assert one_problem(latin).field == "encoding"
    assert one_problem(tmp_path / "missing.csv").expected == "an existing file"
    short = tmp_path / "short.csv"
    short.write_text(",".join(HEADER) + "\n00Q1,2026-01-05T09:00:00Z\n", encoding="utf-8")
    assert (one_problem(short).line, one_problem(short).field) == (2, "row")


def test_no_paths_is_a_problem() -> None:
    with pytest.raises(PlanError, match="at least one lead export"):
        read_leads()


# -- mappings -------------------------------------------------------------------------------


def test_a_mapping_with_every_mistake_lists_them_all() -> None:
    with pytest.raises(PlanError) as caught:
        replace(
            SALESFORCE,
            name=" ",
            accepted="",
            rejected="lead id",
            other_sources=frozenset({"WEB"}),
            status=None,
            date_order="year_first",  # type: ignore[arg-type]
        )
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "mapping.name",
        "mapping.accepted",
        "mapping.rejected",
        "mapping.other_sources",
        "mapping.status",
        "mapping.date_order",
    ]


def test_a_status_column_needs_its_values() -> None:
    with pytest.raises(PlanError, match=r"mapping\.statuses"):
        replace(SALESFORCE, statuses={})
    with pytest.raises(PlanError, match=r"mapping\.statuses"):
        replace(SALESFORCE, statuses={"Open": "open"})  # type: ignore[dict-item]
    mine = replace(SALESFORCE, statuses={"Neu": LeadStatus.OPEN, "neu": LeadStatus.OPEN})
    assert mine.status_of("NEU") is LeadStatus.OPEN


def test_a_mapping_is_a_value() -> None:
    assert replace(SALESFORCE) == SALESFORCE
    assert hash(replace(SALESFORCE)) == hash(SALESFORCE)
    assert SALESFORCE != HUBSPOT
    assert isinstance(SALESFORCE, LeadMapping)
    statuses = dict(SALESFORCE.statuses)
    statuses["Nurture"] = LeadStatus.OPEN
    assert SALESFORCE.status_of("Nurture") is None  # the default is not changed
