"""Input files as HR has them: .xlsx workbooks, CSV dialects and column mappings.

``tests/fixtures/one_lifeboat_hr`` is the ``one_lifeboat`` plan with its
roster exported the European way (semicolons, decimal commas, Windows-1252,
the HR system's own column names); the workbooks are written here with
openpyxl. Each pays byte for byte what the plain CSV plan pays, and every
way such a file or its settings can be wrong is a located problem.
"""

from __future__ import annotations

import builtins
import csv
import datetime as dt
import re
import shutil
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jointbonus.cli import EXIT_FAILURE, EXIT_OK, main
from jointbonus.errors import PlanError, Problem
from jointbonus.gainsharing import load_plan as load_gainsharing
from jointbonus.io.extras import MissingExtraError
from jointbonus.sharedtarget.loader import load_plan

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PLAIN = FIXTURES / "one_lifeboat"
HR = FIXTURES / "one_lifeboat_hr"
GAINSHARING = Path(__file__).resolve().parent.parent / "examples" / "gainsharing"


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    folder = tmp_path / "plain"
    shutil.copytree(PLAIN, folder)
    return folder


@pytest.fixture
def hr(tmp_path: Path) -> Path:
    folder = tmp_path / "hr"
    shutil.copytree(HR, folder)
    return folder


def problems_of(plan: Path, load: Any = load_plan) -> tuple[Problem, ...]:
    with pytest.raises(PlanError) as caught:
        load(plan)
    return caught.value.problems


def run(plan: Path, out: Path) -> dict[str, bytes]:
    """What a run writes, but the manifest (which records the files and settings read)."""
    assert main(["run", str(plan), "--out", str(out)]) == EXIT_OK
    written = {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}
    del written["manifest.json"]
    assert written
    return written


def set_section(plan: Path, section: str, settings: str) -> None:
    """Put ``settings`` (TOML lines) at the top of the plan's ``[section]`` table."""
    text = plan.read_text(encoding="utf-8")
    header = f"[{section}]\n"
    assert header in text
    plan.write_text(text.replace(header, header + settings + "\n", 1), encoding="utf-8")


def rows_of(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


# -- a European CSV roster ----------------------------------------------------------------


def test_the_european_roster_pays_what_the_plain_one_pays(
    plain: Path, hr: Path, tmp_path: Path
) -> None:
    assert b"\x80" in (hr / "data" / "roster.csv").read_bytes()  # the euro sign, in cp1252
    assert run(hr / "plan.toml", tmp_path / "hr-out") == run(
        plain / "plan.toml", tmp_path / "plain-out"
    )


def test_a_european_cell_problem_names_the_files_own_column(hr: Path) -> None:
    roster = hr / "data" / "roster.csv"
    raw = roster.read_bytes().replace(b"2021-01-11", b"11.01.2021")
    roster.write_bytes(raw.replace(b"76000,00", b"76.000,00"))
    found = problems_of(hr / "plan.toml")
    assert [(p.file, p.line, p.field, p.value) for p in found] == [
        ("data/roster.csv", 4, "Start Date (start)", "11.01.2021"),
        ("data/roster.csv", 4, "Salary (€) (salary)", "76.000,00"),
    ]
    assert "YYYY-MM-DD" in found[0].expected
    assert "optional ','" in found[1].expected and "thousands" in found[1].expected


@pytest.mark.parametrize(
    ("cell", "accepted"),
    [("0,6", True), ("0.6", False), ("1.000,5", False), ("0,6,0", False), (",6", False)],
)
def test_a_decimal_comma_is_the_only_mark(hr: Path, cell: str, accepted: bool) -> None:
    roster = hr / "data" / "roster.csv"
    roster.write_bytes(roster.read_bytes().replace(b";0,6;", f";{cell};".encode()))
    if accepted:
        load_plan(hr / "plan.toml")
        return
    (found,) = problems_of(hr / "plan.toml")
    assert (found.field, found.value) == ("FTE (fte)", cell)
    assert "optional ','" in found.expected


def test_a_range_refusal_keeps_its_own_words_under_a_decimal_comma(hr: Path) -> None:
    roster = hr / "data" / "roster.csv"
    roster.write_bytes(roster.read_bytes().replace(b";0,6;", b";1,5;"))
    (found,) = problems_of(hr / "plan.toml")
    assert (found.field, found.value) == ("FTE (fte)", "1,5")
    assert "optional ','" not in found.expected


def test_money_with_more_decimals_than_the_currency_is_refused_as_in_plain_csv(
    plain: Path, hr: Path
) -> None:
    roster = plain / "data" / "roster.csv"
    roster.write_text(roster.read_text().replace("78000.00", "78000.005"))
    hr_roster = hr / "data" / "roster.csv"
    hr_roster.write_bytes(hr_roster.read_bytes().replace(b"78000,00", b"78000,005"))
    (ours,) = problems_of(hr / "plan.toml")
    (theirs,) = problems_of(plain / "plan.toml")
    assert (ours.file, ours.line, ours.expected) == (theirs.file, theirs.line, theirs.expected)
    assert (theirs.field, ours.field) == ("salary", "Salary (€) (salary)")


# -- encodings ----------------------------------------------------------------------------


def test_a_file_that_does_not_decode_names_the_byte_and_the_setting(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('encoding = "cp1252"\n', ""))
    (found,) = problems_of(plan)
    assert (found.file, found.line, found.field, found.value) == (
        "data/roster.csv",
        1,
        "encoding",
        "80 29 3b 54",
    )
    assert "byte 49 is not UTF-8" in found.expected
    assert 'encoding = "cp1252"' in found.expected


def test_a_file_without_an_encoding_setting_is_not_pointed_to_one(plain: Path) -> None:
    plan = plain / "plan.toml"
    plan.write_bytes(
        plan.read_bytes().replace(b"# Digital", "# Digital Manufactur\xe9".encode("latin-1"), 1)
    )
    (found,) = problems_of(plan)
    assert (found.file, found.line, found.field) == ("plan.toml", 1, "encoding")
    assert found.expected == "UTF-8 text (save the file as UTF-8); byte 20 is not UTF-8"


def test_a_declared_encoding_that_does_not_fit_is_located(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('"cp1252"', '"ascii"'))
    (found,) = problems_of(plan)
    assert (found.line, found.field) == (1, "encoding")
    assert found.expected.startswith("text in ascii, the file's encoding setting; byte 49")


@pytest.mark.parametrize("name", ["klingon", "base64", "rot13", ""])
def test_an_encoding_python_cannot_read_text_in_is_refused(hr: Path, name: str) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('"cp1252"', f'"{name}"'))
    found = problems_of(plan)
    assert [(p.file, p.line, p.field) for p in found] == [("plan.toml", 15, "roster.encoding")]
    assert "text encoding Python knows" in found[0].expected


def test_encoding_names_are_read_as_python_names_them(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('"cp1252"', '"Windows-1252"'))
    load_plan(plan)


# -- delimiters and [files] ----------------------------------------------------------------


def test_a_file_of_another_delimiter_than_declared_says_which(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('delimiter = ";"', 'delimiter = "|"'))
    (found,) = problems_of(plan)
    assert (found.line, found.field) == (1, "header")
    assert "separated by '|', not ';'" in found.expected
    assert 'delimiter = ";"' in found.expected


def test_a_plain_file_with_semicolons_is_pointed_to_the_setting(plain: Path) -> None:
    roster = plain / "data" / "roster.csv"
    roster.write_text(roster.read_text().replace(",", ";"))
    (found,) = problems_of(plain / "plan.toml")
    assert "separated by commas, not ';'" in found.expected
    assert 'delimiter = ";"' in found.expected


@pytest.mark.parametrize("delimiter", ["\\t", "|"])
def test_files_sets_every_file_and_a_section_overrides_it(
    plain: Path, tmp_path: Path, delimiter: str
) -> None:
    expected = run(plain / "plan.toml", tmp_path / "plain-out")
    actual = "\t" if delimiter == "\\t" else delimiter
    for name in ("plan_months.csv", "history.csv"):  # the roster stays plain
        path = plain / "data" / name
        path.write_text(path.read_text().replace(",", actual))
    plan = plain / "plan.toml"
    text = plan.read_text().replace(
        "[roster]\n", f'[files]\ndelimiter = "{delimiter}"\n\n[roster]\ndelimiter = ","\n', 1
    )
    plan.write_text(text)
    assert run(plan, tmp_path / "out") == expected


def test_a_sheet_for_a_csv_file_is_refused(hr: Path) -> None:
    set_section(hr / "plan.toml", "history", 'sheet = "History"')
    (found,) = problems_of(hr / "plan.toml")
    assert (found.file, found.field, found.value) == ("data/history.csv", "sheet", "History")
    assert found.expected == (
        "no sheet setting: the file is CSV, not an .xlsx workbook (history.sheet)"
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [("delimiter", '","'), ("decimal", '"comma"'), ("encoding", '"utf-8"'), ("columns", "{}")],
)
def test_a_version_cannot_change_how_a_file_is_written(hr: Path, key: str, value: str) -> None:
    plan = hr / "plan.toml"
    plan.write_text(
        plan.read_text() + f'\n[[versions]]\nfrom = "2026-07"\n[versions.shared]\n{key} = {value}\n'
    )
    (found,) = problems_of(plan)
    assert found.field == f"versions[0].shared.{key}"
    assert "no change mid-plan" in found.expected


def test_a_plan_with_bad_settings_does_not_read_its_files_as_plain_csv(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('decimal = "comma"', 'decimal = "komma"'))
    found = problems_of(plan)
    assert [(p.file, p.field) for p in found] == [("plan.toml", "roster.decimal")]
    assert "'point' or 'comma'" in found[0].expected


# -- column mappings ----------------------------------------------------------------------


def test_a_mapping_of_an_unknown_column_is_located_in_the_plan(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('fte = "FTE"', 'fte = "FTE"\nbonus = "Bonus"'))
    found = problems_of(plan)
    assert [(p.file, p.line, p.field, p.value) for p in found] == [
        ("plan.toml", 24, "roster.columns.bonus", "bonus")
    ]
    assert found[0].expected.startswith("one of the file's columns: id, team, start")


def test_two_columns_mapped_to_one_are_refused(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('end = "End Date"', 'end = "start date"'))
    (found,) = problems_of(plan)
    assert (found.file, found.line, found.field) == ("plan.toml", 22, "roster.columns.end")
    assert "roster.columns.start names it too" in found.expected


def test_a_mapped_column_missing_from_the_file_names_it(hr: Path) -> None:
    plan = hr / "plan.toml"
    plan.write_text(plan.read_text().replace('"Start Date"', '"Hire Date"'))
    (found,) = problems_of(plan)
    assert (found.file, found.line, found.field) == ("data/roster.csv", 1, "header")
    assert found.expected == (
        "a column 'Hire Date', the file's start (roster.columns.start names it)"
    )


def test_a_column_mapping_of_a_plain_csv_file(plain: Path, tmp_path: Path) -> None:
    expected = run(plain / "plan.toml", tmp_path / "plain-out")
    months = plain / "data" / "plan_months.csv"
    months.write_text(months.read_text().replace("month,target,actual", "month,Goal,Revenue"))
    set_section(plain / "plan.toml", "shared", 'columns = { target = "Goal", actual = "Revenue" }')
    assert run(plain / "plan.toml", tmp_path / "out") == expected


def with_hr_columns(path: Path) -> None:
    """Add an HR export's columns the plan does not read: one first, one among the rest."""
    rows = rows_of(path)
    written = [["Department", *row[:2], "Manager", *row[2:]] for row in rows]
    for number, row in enumerate(written[1:], start=1):
        row[0], row[3] = f"Dept {number}", f"Boss, {number}"  # a comma: a quoted cell
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(written)


def test_columns_the_plan_ignores_by_name_change_no_figure(plain: Path, tmp_path: Path) -> None:
    expected = run(plain / "plan.toml", tmp_path / "plain-out")
    with_hr_columns(plain / "data" / "roster.csv")
    assert problems_of(plain / "plan.toml")  # not named: refused, as a misspelt column is
    set_section(plain / "plan.toml", "roster", 'ignore = ["department", " Manager "]')
    assert run(plain / "plan.toml", tmp_path / "out") == expected


def test_a_cell_problem_beside_ignored_columns_is_located(plain: Path) -> None:
    roster = plain / "data" / "roster.csv"
    with_hr_columns(roster)
    lines = roster.read_text(encoding="utf-8").splitlines()
    assert "2019-03-04" in lines[1]
    lines[1] = lines[1].replace("2019-03-04", "04.03.2019")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    set_section(
        plain / "plan.toml",
        "roster",
        'ignore = ["Department", "Manager"]\ncolumns = { start = "start" }',
    )
    (found,) = problems_of(plain / "plan.toml")
    assert (found.file, found.line, found.field) == ("data/roster.csv", 2, "start")
    assert found.value == "04.03.2019"


def test_an_ignored_column_missing_or_also_read_is_refused(plain: Path) -> None:
    with_hr_columns(plain / "data" / "roster.csv")
    plan = plain / "plan.toml"
    set_section(plan, "roster", 'ignore = ["Department", "Manager", "Cost Centre"]')
    (found,) = problems_of(plan)
    assert (found.file, found.line, found.field) == ("data/roster.csv", 1, "header")
    assert found.expected == "a column 'Cost Centre' (roster.ignore names it)"
    text = plan.read_text(encoding="utf-8").replace(', "Cost Centre"', "")
    plan.write_text(
        text.replace(
            'ignore = ["Department", "Manager"]',
            'ignore = ["Department", "Manager"]\ncolumns = { team = "Manager" }',
        ),
        encoding="utf-8",
    )
    (found,) = problems_of(plan)
    assert found.expected == "the column 'Manager' either read (roster.columns) or ignored"


# -- .xlsx workbooks ------------------------------------------------------------------------

openpyxl = pytest.importorskip("openpyxl")


def typed(cell: str, column: str) -> object:
    """A CSV cell as a person keeps it in Excel: numbers as numbers, dates as dates."""
    if not cell:
        return None
    if column in ("start", "end"):
        return dt.datetime.fromisoformat(cell)
    if column == "month":
        return dt.datetime.fromisoformat(f"{cell}-01")
    if re.fullmatch(r"-?\d+(\.\d+)?", cell):
        return int(cell) if "." not in cell else float(cell)
    return cell


def write_workbook(
    csv_path: Path, xlsx_path: Path, *, sheet: str | None = None, header: list[str] | None = None
) -> None:
    rows = rows_of(csv_path)
    workbook = openpyxl.Workbook()
    page = workbook.active
    if sheet is not None:
        page.title = "Read me"
        page.append(["This workbook's data is on another sheet"])
        page = workbook.create_sheet(sheet)
    page.append(header or rows[0])
    for row in rows[1:]:
        page.append([typed(cell, column) for cell, column in zip(row, rows[0], strict=True)])
    workbook.save(xlsx_path)


@pytest.fixture
def workbooks(plain: Path) -> Path:
    """The plain plan with its roster and history as workbooks, its plan months on a named
    sheet with the columns named otherwise."""
    data = plain / "data"
    write_workbook(data / "roster.csv", data / "roster.xlsx")
    write_workbook(data / "history.csv", data / "history.xlsx")
    write_workbook(
        data / "plan_months.csv",
        data / "plan_months.xlsx",
        sheet="Plan 2026",
        header=["Month", "Target", "Revenue"],
    )
    plan = plain / "plan.toml"
    text = plan.read_text()
    for name in ("roster", "history", "plan_months"):
        text = text.replace(f"data/{name}.csv", f"data/{name}.xlsx")
    plan.write_text(text)
    set_section(
        plan,
        "shared",
        'sheet = "Plan 2026"\ncolumns = { month = "Month", target = "Target", actual = "Revenue" }',
    )
    return plan


def test_workbooks_pay_what_the_csv_files_pay(plain: Path, workbooks: Path, tmp_path: Path) -> None:
    expected = run(PLAIN / "plan.toml", tmp_path / "plain-out")
    assert run(workbooks, tmp_path / "out") == expected


def test_a_workbooks_ignored_columns_change_no_figure(
    plain: Path, workbooks: Path, tmp_path: Path
) -> None:
    expected = run(workbooks, tmp_path / "before")
    data = plain / "data"
    with_hr_columns(data / "roster.csv")
    write_workbook(data / "roster.csv", data / "roster.xlsx")
    set_section(workbooks, "roster", 'ignore = ["Department", "Manager"]')
    assert run(workbooks, tmp_path / "after") == expected


def test_a_workbook_cell_problem_names_sheet_column_and_header(workbooks: Path) -> None:
    path = workbooks.parent / "data" / "plan_months.xlsx"
    book = openpyxl.load_workbook(path)
    book["Plan 2026"]["C4"] = "lots"
    book["Plan 2026"]["B5"] = 0.1
    book.save(path)
    found = problems_of(workbooks)
    assert [(p.file, p.line, p.field, p.value) for p in found] == [
        ("data/plan_months.xlsx", 4, "Revenue (actual; sheet 'Plan 2026', column C)", "lots")
    ]
    roster = workbooks.parent / "data" / "roster.xlsx"
    book = openpyxl.load_workbook(roster)
    book.active["C5"] = "2021-02-30"  # a date stored as text: the date grammar reads it
    book.save(roster)
    found = problems_of(workbooks)
    assert [(p.file, p.line, p.field, p.value) for p in found] == [
        ("data/roster.xlsx", 5, "start (sheet 'Sheet', column C)", "2021-02-30"),
        ("data/plan_months.xlsx", 4, "Revenue (actual; sheet 'Plan 2026', column C)", "lots"),
    ]


def test_an_excel_float_is_read_as_the_decimal_typed(workbooks: Path) -> None:
    roster = workbooks.parent / "data" / "roster.xlsx"
    book = openpyxl.load_workbook(roster)
    assert book.active["E14"].value == 0.6  # DM-M04's FTE, a binary float in the workbook
    book.active["F14"] = 0.1  # a salary of 0.1: exactly 0.1, never 0.1000000000000000055...
    book.save(roster)
    member = next(m for m in load_plan(workbooks).members if m.id == "DM-M04")
    assert (member.fte, member.salary) == (Decimal("0.6"), Decimal("0.1"))
    book.active["G3"] = 11700.001  # more decimals than USD pays: refused as in a CSV file
    book.save(roster)
    (found,) = problems_of(workbooks)
    assert (found.file, found.line, found.field) == (
        "data/roster.xlsx",
        3,
        "target_bonus (sheet 'Sheet', column G)",
    )
    assert "11700.001" in str(found) and "2 decimals" in found.expected


def test_a_missing_worksheet_lists_those_there_are(workbooks: Path) -> None:
    workbooks.write_text(workbooks.read_text().replace('"Plan 2026"', '"Plan 2027"'))
    (found,) = problems_of(workbooks)
    assert (found.file, found.field, found.value) == ("data/plan_months.xlsx", "sheet", "Plan 2027")
    assert found.expected == "a worksheet of the workbook ('Read me', 'Plan 2026')"


def test_a_file_that_is_no_workbook_is_located(workbooks: Path) -> None:
    (workbooks.parent / "data" / "history.xlsx").write_bytes(b"month,actual\n")
    (found,) = problems_of(workbooks)
    assert (found.file, found.field) == ("data/history.xlsx", "file")
    assert "a readable .xlsx workbook" in found.expected


def test_an_xlsx_roster_without_openpyxl_names_the_extra(
    workbooks: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_import = builtins.__import__

    def no_openpyxl(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.partition(".")[0] == "openpyxl":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_openpyxl)
    for module in [m for m in sys.modules if m.partition(".")[0] == "openpyxl"]:
        monkeypatch.delitem(sys.modules, module)
    with pytest.raises(MissingExtraError, match=r"pip install 'jointbonus\[xlsx\]'"):
        load_plan(workbooks)
    assert main(["run", str(workbooks), "--out", str(workbooks.parent / "out")]) == EXIT_FAILURE
    err = capsys.readouterr().err
    assert "pip install 'jointbonus[xlsx]'" in err and "Traceback" not in err
    assert not (workbooks.parent / "out").exists()


# -- the gainsharing plan -------------------------------------------------------------------


def test_a_gainsharing_plan_reads_workbooks_and_dialects(tmp_path: Path) -> None:
    folder = tmp_path / "gainsharing"
    shutil.copytree(GAINSHARING, folder)
    expected = run(folder / "scanlon.toml", tmp_path / "plain-out")
    data = folder / "data"
    write_workbook(data / "periods.csv", data / "periods.xlsx")
    roster = data / "roster.csv"
    text = roster.read_text().replace(",", ";").replace(".", ",")
    roster.write_bytes(text.replace("id;team", "Personalnummer;team").encode("latin-1"))
    plan = folder / "scanlon.toml"
    plan.write_text(
        plan.read_text()
        .replace("data/periods.csv", "data/periods.xlsx")
        .replace(
            "[roster]\n",
            '[files]\nencoding = "latin-1"\n\n[roster]\ndelimiter = ";"\ndecimal = "comma"\n'
            'columns = { id = "Personalnummer" }\n',
        )
    )
    assert run(plan, tmp_path / "out") == expected
    book = openpyxl.load_workbook(data / "periods.xlsx")
    book.active["B3"] = "n/a"
    book.save(data / "periods.xlsx")
    found = problems_of(plan, load_gainsharing)
    assert [(p.file, p.line, p.field) for p in found] == [
        ("data/periods.xlsx", 3, "revenue (sheet 'Sheet', column B)")
    ]
