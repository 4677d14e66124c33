"""Property: a roster written as HR has it reads exactly as its plain CSV twin.

:mod:`jointbonus.io.sources` reads a CSV file with another delimiter, a
decimal comma, another encoding or the file's own column names, and an .xlsx
workbook (:mod:`jointbonus.io.sheets`), by turning it into the cells a plain
CSV file holds. Here one generated roster -- plausible and hostile cells of
:mod:`test_column_checks`, columns in any order -- is written plain and in a
drawn format, and both are read: the same members, in the same order, from
the same lines, and the same problems (line and column; the value as the
file writes it), so nothing downstream can tell them apart.

Written with a decimal comma, a number column's cell has its ``.`` and ``,``
swapped (``1,000.00`` becomes ``1.000,00``): the twin of every cell, good or
bad. In a workbook, a cell that is a plain decimal number is written as a
number cell, a real ``YYYY-MM-DD`` date as a date cell, anything else as text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_column_checks import ROSTER_COLUMNS, cells

from jointbonus.errors import Problem
from jointbonus.io.columns import MemberRows, column_rules, read_members
from jointbonus.io.fields import RosterRow
from jointbonus.io.reading import Collector
from jointbonus.io.sources import InputFormat

openpyxl = pytest.importorskip("openpyxl")

SHOWN = "data/roster.csv"
NUMBER_COLUMNS = {rule.name for rule in column_rules(RosterRow) or () if rule.kind == "number"}
#: What a workbook may hold as a number cell: a float that is exactly this decimal.
_PLAIN_NUMBER = re.compile(r"-?[0-9]{1,9}(\.[0-9]{1,6})?")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Characters every drawn encoding can write (the hostile cells hold others: they are kept
#: out of files in an encoding that cannot write them).
_ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16"]


def _swap(text: str) -> str:
    return text.translate(str.maketrans({".": ",", ",": "."}))


#: Numbers written with the other decimal mark, or with thousands separators of either kind.
SEPARATED = ["1,5", "0,5", "1.234,56", "1,234.56", "12,", ",5", "1 234,5", "1.234", "1,2,3"]


def _cell(name: str, hostility: int) -> st.SearchStrategy[str]:
    """A cell of ``name`` (:func:`test_column_checks.cells`); in a number column, now and
    then one whose decimal mark or thousands separators are in question."""
    if name not in NUMBER_COLUMNS:
        return cells(name, hostility)
    return st.one_of(cells(name, hostility), st.sampled_from(SEPARATED))


@st.composite
def rosters(draw: st.DrawFn) -> tuple[list[str], list[list[str]]]:
    """A roster's header (every required column, some optional ones, in any order) and
    rows of plausible or hostile cells, all of the header's width."""
    required = [name for name, field in RosterRow.model_fields.items() if field.is_required()]
    header = [
        n for n in draw(st.permutations(ROSTER_COLUMNS)) if n in required or draw(st.booleans())
    ]
    hostility = draw(st.sampled_from([0, 1, 5]))
    rows = [
        [draw(_cell(name, hostility)).replace("\r", "").replace("\n", "") for name in header]
        for _ in range(draw(st.integers(1, 6)))
    ]
    return header, rows


def _plain(folder: Path, header: list[str], rows: list[list[str]], *, blank: bool = False) -> Path:
    """The plain CSV file of ``rows``; ``blank``: with a blank line after the header."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    if blank:
        buffer.write("\n")
    writer.writerows(rows)
    path = folder / "plain.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8"))
    return path


def _read(path: Path, form: InputFormat | None) -> tuple[MemberRows, list[Problem]]:
    problems = Collector([])
    members = read_members(path, SHOWN, problems, form)
    return members, problems.problems


def _comparable(found: list[Problem]) -> list[tuple[int | None, str, object]]:
    return [(p.line, p.field, p.value) for p in found]


@given(rosters(), st.data())
def test_a_csv_file_in_any_dialect_reads_as_its_plain_twin(
    roster: tuple[list[str], list[list[str]]], data: st.DataObject
) -> None:
    header, rows = roster
    delimiter = data.draw(st.sampled_from([",", ";", "\t", "|"]), label="delimiter")
    comma = data.draw(st.booleans(), label="decimal comma")
    encoding = data.draw(st.sampled_from(_ENCODINGS), label="encoding")
    renamed = data.draw(
        st.dictionaries(
            st.sampled_from(header), st.sampled_from(["Nr.", "Start Date", "Gehalt €"])
        ),
        label="columns",
    )
    own = {name: f"{column} {name}" for name, column in renamed.items()}  # each its own
    if not all(
        cell.encode(encoding, "ignore").decode(encoding) == cell for row in rows for cell in row
    ):
        rows = [[cell.encode("ascii", "replace").decode("ascii") for cell in row] for row in rows]
    if any(
        column.encode(encoding, "replace").decode(encoding) != column for column in own.values()
    ):
        own = {name: column.replace("€", "EUR") for name, column in own.items()}
    written = [
        [
            _swap(cell) if comma and name in NUMBER_COLUMNS else cell
            for name, cell in zip(header, row, strict=True)
        ]
        for row in rows
    ]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([[own.get(name, name) for name in header], *written])
    form = InputFormat(
        "roster",
        delimiter=delimiter,
        decimal="comma" if comma else "point",
        encoding=encoding,
        columns=own,
    )
    with tempfile.TemporaryDirectory() as folder:
        plain = _read(_plain(Path(folder), header, rows), None)
        path = Path(folder) / "hr.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        ours = _read(path, form)
    assert ours[0].members == plain[0].members
    assert list(ours[0].lines) == list(plain[0].lines)
    swapped = {name for name in NUMBER_COLUMNS if comma}
    assert _comparable(ours[1]) == [
        (line, field, _swap(value) if field in swapped and isinstance(value, str) else value)
        for line, field, value in _comparable(plain[1])
    ]


def _typed(name: str, cell: str) -> object:
    """A cell as a workbook holds it: a plain number as a number, a real date as a date."""
    if name in NUMBER_COLUMNS and _PLAIN_NUMBER.fullmatch(cell):
        number = float(cell)
        if Decimal(repr(number)) == Decimal(cell):
            return number
    if name in ("start", "end") and _ISO_DAY.fullmatch(cell):
        try:
            return dt.datetime.fromisoformat(cell)
        except ValueError:
            return cell
    return cell or None


def _workbook_text(cell: str) -> bool:
    """Whether a workbook keeps ``cell`` as it is (no control characters, which XML cannot
    hold)."""
    return not any(ord(c) < 32 and c not in "\t\n\r" for c in cell)


@given(rosters(), st.sampled_from([None, "Staff"]))
def test_an_xlsx_roster_reads_as_its_plain_twin(
    roster: tuple[list[str], list[list[str]]], sheet: str | None
) -> None:
    header, rows = roster
    rows = [[cell if _workbook_text(cell) else "x" for cell in row] for row in rows]
    # A workbook's row of blank cells is an empty row, skipped; a CSV line of them is not.
    rows = [row if any(cell.strip() for cell in row) else ["x", *row[1:]] for row in rows]
    workbook = openpyxl.Workbook()
    if sheet is not None:
        workbook.active.title = "Notes"
        workbook.create_sheet(sheet)
    page = workbook[sheet] if sheet is not None else workbook.active
    page.append(header)
    page.append([None] * len(header))  # an empty row: skipped, its number kept
    for row in rows:
        page.append([_typed(name, cell) for name, cell in zip(header, row, strict=True)])
    with tempfile.TemporaryDirectory() as folder:
        plain = _read(_plain(Path(folder), header, rows, blank=True), None)
        path = Path(folder) / "roster.xlsx"
        workbook.save(path)
        ours = _read(path, InputFormat("roster", sheet=sheet))
    assert ours[0].members == plain[0].members
    assert list(ours[0].lines) == list(plain[0].lines)
    assert [(p.line, p.field) for p in ours[1]] == [(p.line, p.field) for p in plain[1]]
