"""Payroll exports: formula-safe CSV, the optional workbook and pandas frames.

The extras (openpyxl, pandas) are optional: their tests skip cleanly when the
extra is absent, and the tests at the end prove that the core imports and
works without them, with a clear error naming the extra to install.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterable
from decimal import Decimal
from decimal import Decimal as D
from pathlib import Path

import pytest

import jointbonus
from jointbonus import load_plan, run
from jointbonus.cli import EXIT_FAILURE, EXIT_OK, main
from jointbonus.io import cells
from jointbonus.io.cells import csv_line, csv_text, escape_formula, number_cell, unescape_formula
from jointbonus.io.extras import MissingExtraError
from jointbonus.sharedtarget.report import exports
from jointbonus.sharedtarget.report.documents import weighting_document
from jointbonus.sharedtarget.report.exports import (
    PAYROLL_COLUMNS,
    payroll_csv,
    payroll_rows,
    write_payroll_csv,
)
from jointbonus.sharedtarget.report.writer import lines_csv, write_results
from jointbonus.sharedtarget.results import LineStatus, Result

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "one_lifeboat"
HOSTILE_IDS = {
    "DM-S01,": '=HYPERLINK("http://x";"y"),',
    "DM-S02,": "-2+3+cmd|' /C calc'!A0,",
    "DM-S03,": "@SUM(A1),",
    "DM-S04,": "+1,",
    "DM-M01,": "'quoted,",
}


@pytest.fixture(scope="module")
def result() -> Result:
    return run(load_plan(EXAMPLE / "plan.toml"))


@pytest.fixture
def hostile_plan(tmp_path: Path) -> Path:
    """The example with member ids that a spreadsheet would run as formulas."""
    folder = tmp_path / "hostile"
    shutil.copytree(EXAMPLE, folder)
    roster = folder / "data" / "roster.csv"
    text = roster.read_text(encoding="utf-8")
    for old, new in HOSTILE_IDS.items():
        text = text.replace(old, new, 1)
    roster.write_text(text, encoding="utf-8")
    return folder / "plan.toml"


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


# -- the escaping rule ---------------------------------------------------------------


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@", "\t", "\r"])
def test_a_text_cell_starting_with_a_trigger_gets_an_apostrophe(trigger: str) -> None:
    assert escape_formula(f"{trigger}1+1") == f"'{trigger}1+1"


@pytest.mark.parametrize("text", ["DM-S01", "sales", "", "1+1", "a=b", " =1", "O'Neil"])
def test_other_text_cells_are_left_as_they_are(text: str) -> None:
    assert escape_formula(text) == text


@pytest.mark.parametrize("text", ["=1", "'=1", "''", "-5", "plain", "'", "@@"])
def test_escaping_can_be_undone_without_guessing(text: str) -> None:
    assert unescape_formula(escape_formula(text)) == text


@pytest.mark.parametrize("number", ["-12.50", "0.00", "1802.11", "-0.548387", "31"])
def test_a_number_cell_stays_a_number(number: str) -> None:
    assert number_cell(number) == number
    assert csv_line(["DM-S01", number], [False, True]) == f"DM-S01,{number}\n"


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("-1+1", "'-1+1"),
        ("-", "'-"),
        ("=1", "'=1"),
        ("+5", "'+5"),
        ("-1e5", "'-1e5"),
        ("n/a", "n/a"),
    ],
)
def test_a_number_column_cell_that_is_no_number_is_escaped_as_text(text: str, written: str) -> None:
    assert number_cell(text) == written


def test_a_text_column_holding_a_negative_number_is_still_text() -> None:
    """An id of -5 is text: escaped, so that it stays an id and not the number -5."""
    assert csv_line(["-5", "-5"], [False, True]) == "'-5,-5\n"


def test_escaping_off_writes_cells_as_they_are() -> None:
    assert csv_line(["=1", "-2"], [False, True], escape_formulas=False) == "=1,-2\n"


def test_csv_text_quotes_what_csv_must_quote() -> None:
    text = csv_text(("id", "amount"), [('=a,"b"', "-1.00")], ("amount",))
    assert text == 'id,amount\n"\'=a,""b""",-1.00\n'
    assert rows_of(text) == [{"id": '\'=a,"b"', "amount": "-1.00"}]


# -- payroll.csv -------------------------------------------------------------------


def test_payroll_lists_every_nonzero_line_and_nothing_else(result: Result) -> None:
    rows = rows_of(payroll_csv(result))
    assert list(rows[0]) == list(PAYROLL_COLUMNS)
    expected = [
        (line.member_id, line.team, str(line.period), "pay", "USD", str(line.total))
        for line in result.lines()
        if line.status is LineStatus.PAID
    ]
    assert [tuple(row.values()) for row in rows] == expected
    assert [(*row[:5], str(row[5])) for row in payroll_rows(result)] == expected
    paid = sum((Decimal(row["amount"]) for row in rows), Decimal(0))
    assert paid == result.money(result.summary.paid_to_date)


def test_payroll_names_the_team_a_member_was_in_that_month(tmp_path: Path) -> None:
    folder = tmp_path / "moved"
    shutil.copytree(EXAMPLE, folder)
    roster = folder / "data" / "roster.csv"
    row = "DM-S01,sales,2019-03-04,,1,112000.00,16800.00\n"
    moved = row.replace(",,", ",2026-03-31,") + row.replace(
        "sales,2019-03-04", "marketing,2026-04-01"
    )
    roster.write_text(roster.read_text(encoding="utf-8").replace(row, moved), encoding="utf-8")
    moved_result = run(load_plan(folder / "plan.toml"))
    teams = {(line.member_id, str(line.period)): line.team for line in moved_result.lines()}
    rows = rows_of(payroll_csv(moved_result))
    assert {(row["period"], row["team"]) for row in rows if row["member_id"] == "DM-S01"} >= {
        ("2026-03", "sales"), ("2026-04", "marketing"),
    }  # fmt: skip
    assert all(row["team"] == teams[row["member_id"], row["period"]] for row in rows)
    assert [row[:2] for row in payroll_rows(moved_result)] == [
        (row["member_id"], row["team"]) for row in rows
    ]


def test_payroll_escapes_member_ids_and_teams(hostile_plan: Path) -> None:
    hostile = run(load_plan(hostile_plan))
    text = payroll_csv(hostile)
    for row in rows_of(text):
        for column in ("member_id", "team"):
            assert not row[column].startswith(cells.FORMULA_TRIGGERS), row
        assert cells.NUMBER_CELL.fullmatch(row["amount"])
    ids = {row["member_id"] for row in rows_of(text)}
    assert '\'=HYPERLINK("http://x";"y")' in ids
    assert "'-2+3+cmd|' /C calc'!A0" in ids
    assert "''quoted" in ids  # the apostrophe doubled: the rule can be undone
    raw_ids = {row["member_id"] for row in rows_of(payroll_csv(hostile, escape_formulas=False))}
    assert {unescape_formula(i) for i in ids} == raw_ids


def test_lines_csv_escapes_member_ids_and_teams(hostile_plan: Path, tmp_path: Path) -> None:
    hostile = run(load_plan(hostile_plan))
    write_results(hostile, tmp_path / "out")
    written = (tmp_path / "out" / "lines.csv").read_text(encoding="utf-8")
    assert written == lines_csv(hostile)
    rows = rows_of(written)
    assert len(rows) == len(list(hostile.lines()))
    for row in rows:
        for column in ("member_id", "team", "reason"):
            assert not row[column].startswith(cells.FORMULA_TRIGGERS), row
    assert {unescape_formula(row["member_id"]) for row in rows} == {
        m.id for m in hostile.plan.members
    }


def test_payroll_file_is_written_atomically(
    result: Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "payroll.csv"
    assert write_payroll_csv(result, path) == path
    before = path.read_bytes()
    assert before.decode("utf-8") == payroll_csv(result)

    def broken(result: Result, escape: bool) -> object:
        yield "member_id,team\n"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "_payroll_chunks", broken)
    with pytest.raises(OSError, match="No space"):
        write_payroll_csv(result, path)
    assert path.read_bytes() == before  # the old file, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["payroll.csv"]  # no temporary left


# -- the workbook (openpyxl) -----------------------------------------------------------


def test_workbook_sheets_numbers_and_text(hostile_plan: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    hostile = run(load_plan(hostile_plan))
    path = exports.write_xlsx(hostile, tmp_path / "results.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Summary", "Months", "Lines", "Payroll"]
    payroll = list(workbook["Payroll"].iter_rows(values_only=True))
    assert payroll[0] == PAYROLL_COLUMNS
    expected = list(payroll_rows(hostile))
    assert [row[:5] for row in payroll[1:]] == [row[:5] for row in expected]
    assert [Decimal(str(row[5])) for row in payroll[1:]] == [row[5] for row in expected]
    for row in workbook["Payroll"].iter_rows(min_row=2):
        assert [cell.data_type for cell in row] == ["s"] * 5 + ["n"]  # never a formula
        assert row[5].number_format == "#,##0.00"
    lines = list(workbook["Lines"].iter_rows(values_only=True))
    assert len(lines) == 1 + len(list(hostile.lines()))
    summary = dict(workbook["Summary"].iter_rows(min_row=2, values_only=True))
    assert Decimal(str(summary["paid_to_date"])) == hostile.money(hostile.summary.paid_to_date)


def test_workbook_is_the_same_bytes_every_time(result: Result, tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    first = exports.write_xlsx(result, tmp_path / "a.xlsx").read_bytes()
    second = exports.write_xlsx(result, tmp_path / "b.xlsx").read_bytes()
    assert first == second
    assert b"dcterms:modified" not in _core_xml(first)


def _core_xml(workbook: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return archive.read("docProps/core.xml")


def test_a_long_table_continues_on_a_second_sheet(
    result: Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.setattr(exports, "MAX_SHEET_ROWS", 101)  # a header and 100 lines a sheet
    workbook = openpyxl.load_workbook(exports.write_xlsx(result, tmp_path / "r.xlsx"))
    lines = len(list(result.lines()))
    sheets = [name for name in workbook.sheetnames if name.startswith("Lines")]
    assert sheets == ["Lines", *(f"Lines {n}" for n in range(2, len(sheets) + 1))]
    assert len(sheets) == -(-lines // 100)
    assert sum(workbook[name].max_row - 1 for name in sheets) == lines


def test_run_xlsx_writes_the_workbook_with_the_results(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    out = tmp_path / "out"
    assert main(["run", str(EXAMPLE / "plan.toml"), "--out", str(out), "--xlsx"]) == EXIT_OK
    assert (out / "results.xlsx").is_file()
    manifest = jointbonus.read_manifest(out)
    assert "results.xlsx" in {d.name for d in manifest.outputs}
    assert set(manifest.extras) == {"openpyxl"}
    assert manifest.options == {"statements": False, "xlsx": True}


# -- frames (pandas) -------------------------------------------------------------------


def test_frame_of_lines_has_exact_amounts(result: Result) -> None:
    pytest.importorskip("pandas")
    frame = jointbonus.to_frame(result)
    assert list(frame.columns) == list(jointbonus.sharedtarget.report.documents.LINE_COLUMNS)
    assert len(frame) == len(list(result.lines()))
    assert all(isinstance(value, Decimal) for value in frame["total"])
    assert frame["total"].sum() == result.money(result.summary.paid_to_date)
    by_member = frame.groupby("member_id")["total"].sum()
    assert by_member["DM-M04"] == sum(
        (line.total for line in result.lines() if line.member_id == "DM-M04"), Decimal(0)
    )
    assert frame["days"].dtype.kind == "i"


def test_frames_of_months_and_payroll(result: Result) -> None:
    pytest.importorskip("pandas")
    months = jointbonus.to_frame(result, "months")
    assert list(months["period"]) == [str(m.month) for m in result.months]
    assert months["paid"].sum() == result.money(result.summary.paid_to_date)
    assert months["attainment"].iloc[-1] is None  # a pending month has no attainment
    payroll = jointbonus.to_frame(result, "payroll")
    assert list(payroll.columns) == list(PAYROLL_COLUMNS)
    assert payroll["amount"].sum() == result.money(result.summary.paid_to_date)
    assert set(payroll["kind"]) == {"pay"}
    with pytest.raises(ValueError, match="'lines', 'months' or 'payroll'"):
        jointbonus.to_frame(result, "people")  # type: ignore[arg-type]


# -- every amount a number: payroll parts, settlements, workbook and frames ----------------


def amount_columns(columns: Iterable[str]) -> tuple[str, ...]:
    """The payroll's amount columns: all but the six that name a row."""
    texts = {"member_id", "team", "period", "kind", "corrects", "currency"}
    return tuple(column for column in columns if column not in texts)


@pytest.fixture(scope="module")
def two_years() -> Result:
    """Goals, caps, a holdback and two plan years: every kind of payroll column and row."""
    return run(load_plan(EXAMPLE.parents[2] / "examples" / "digital_manufacturing_two_years"
                         / "plan.toml"))  # fmt: skip


def test_payroll_rows_have_a_kind_and_come_by_month_then_kind(two_years: Result) -> None:
    rows = rows_of(payroll_csv(two_years))
    assert list(rows[0])[:5] == ["member_id", "team", "period", "kind", "currency"]
    kinds = [(row["period"], exports.PAYROLL_KINDS.index(row["kind"])) for row in rows]
    assert kinds == sorted(kinds)  # by pay month, then kind: a year's settlements follow its pay
    settled = [row for row in rows if row["kind"] == "settlement"]
    assert {row["period"] for row in settled} == {"2026-12"}  # the second year is open
    assert rows.index(settled[-1]) < [row["period"] for row in rows].index("2027-01")
    assert sum(D(row["amount"]) for row in settled) == sum(
        (s.paid for s in two_years.settlements()), D(0)
    )
    numbers = amount_columns(rows[0])
    assert exports.payroll_numbers(rows[0]) == numbers
    assert numbers[0] == "shared" and numbers[-1] == "amount"
    for row in rows:  # every amount a plain number; only a settlement leaves the parts empty
        for column in numbers:
            if row["kind"] == "settlement" and column != "amount":
                assert row[column] == ""
            elif row[column] or not column.startswith("functional_"):
                assert cells.NUMBER_CELL.fullmatch(row[column]), (column, row[column])
                assert "," not in row[column]


def test_every_workbook_amount_is_a_number_that_adds_up(two_years: Result, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(exports.write_xlsx(two_years, tmp_path / "r.xlsx"))
    sheet = list(workbook["Payroll"].iter_rows())
    header = [cell.value for cell in sheet[0]]
    rows = rows_of(payroll_csv(two_years))
    assert header == list(rows[0]) and len(sheet) == len(rows) + 1
    for column in amount_columns(header):
        at = header.index(column)
        written = [row[at] for row in sheet[1:] if row[at].value is not None]
        assert {cell.data_type for cell in written} == {"n"}, column  # SUM() counts them
        assert {cell.number_format for cell in written} == {"#,##0.00"}, column
        exact = sum((D(row[column]) for row in rows if row[column]), D(0))
        # each cell is the file's figure (cents are exact in a double), and so is their sum
        assert [D(str(cell.value)) for cell in written] == [D(r[column]) for r in rows if r[column]]
        assert D(str(round(sum(cell.value for cell in written), 2))) == exact, column
    kinds = [row[header.index("kind")] for row in sheet[1:]]
    assert {cell.data_type for cell in kinds} == {"s"}
    assert [cell.value for cell in kinds] == [row["kind"] for row in rows]


def test_payroll_frame_equals_the_file_figure_for_figure(two_years: Result) -> None:
    pytest.importorskip("pandas")
    frame = jointbonus.to_frame(two_years, "payroll")
    rows = rows_of(payroll_csv(two_years))
    assert list(frame.columns) == list(rows[0])
    for column in amount_columns(frame.columns):
        values = list(frame[column])
        assert all(v is None or isinstance(v, D) for v in values), column
        assert values == [D(row[column]) if row[column] else None for row in rows], column
    assert list(frame["kind"]) == [row["kind"] for row in rows]
    assert frame["amount"].sum() == sum((D(row["amount"]) for row in rows), D(0))


def test_frames_of_the_calibration_the_weighting_and_the_risk(two_years: Result) -> None:
    pytest.importorskip("pandas")
    plan, calibration = two_years.plan, two_years.calibration
    frame = jointbonus.calibration_frame(plan, calibration)
    document = jointbonus.calibration_document(plan, calibration)
    assert list(frame["period"]) == [m["period"] for m in document["months"]]
    assert list(frame["expected_cost"]) == [D(m["expected_cost"]) for m in document["months"]]
    goal = plan.goals[0].key
    assert list(frame[f"mean_goal_factor_{goal}"]) == [
        D(m["mean_goal_factors"][goal]) for m in document["months"]
    ]
    weighting = jointbonus.weighting_frame(plan, calibration, two_years)
    teams = weighting_document(plan, calibration, two_years)
    assert list(weighting["team"]) == list(teams)
    assert list(weighting["nominal_exact"]) == [t["nominal_exact"] for t in teams.values()]
    assert list(weighting["shared_earned"]) == [D(t["shared_earned"]) for t in teams.values()]
    assert jointbonus.weighting_frame(plan, calibration)["realised"].isna().all()


def test_frame_of_the_cost_risk(result: Result) -> None:
    pytest.importorskip("pandas")
    plan, calibration = result.plan, result.calibration
    risk = jointbonus.cost_risk(plan, calibration, method="bootstrap", years=200)
    table = jointbonus.risk_frame(plan, risk)
    found = jointbonus.risk_document(plan, risk)
    assert list(table["distribution"]) == ["year", "given_paid"]
    assert table["mean"].iloc[0] == D(found["year"]["mean"])
    assert table["years"].iloc[1] == 200
    percentile = found["given_paid"]["percentiles"][-1]
    assert table[f"percentile_{percentile['percent']}"].iloc[1] == D(percentile["cost"])
    share = found["year"]["exceed"][0]
    assert table[f"chance_above_{share['share']}"].iloc[0] == D(share["chance"])


# -- without the extras ----------------------------------------------------------------


def test_without_openpyxl_the_workbook_says_what_to_install(
    result: Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # `import openpyxl` now fails
    with pytest.raises(MissingExtraError, match=r"pip install 'jointbonus\[xlsx\]'") as caught:
        exports.write_xlsx(result, tmp_path / "r.xlsx")
    assert isinstance(caught.value, ImportError)
    assert isinstance(caught.value, jointbonus.JointBonusError)
    assert list(tmp_path.iterdir()) == []
    # the core is untouched: payroll, results and the command without --xlsx
    assert write_payroll_csv(result, tmp_path / "payroll.csv").is_file()
    assert main(["run", str(EXAMPLE / "plan.toml"), "--out", str(tmp_path / "ok")]) == EXIT_OK


def test_without_openpyxl_run_xlsx_exits_1_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    out = tmp_path / "out"
    status = main(["run", str(EXAMPLE / "plan.toml"), "--out", str(out), "--xlsx"])
    assert status == EXIT_FAILURE
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert "needs openpyxl" in stderr
    assert "pip install 'jointbonus[xlsx]'" in stderr
    assert not out.exists() or list(out.iterdir()) == []


def test_without_pandas_to_frame_says_what_to_install(
    result: Result, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'jointbonus\[pandas\]'"):
        jointbonus.to_frame(result)
    plan, calibration = result.plan, result.calibration
    with pytest.raises(MissingExtraError, match=r"^calibration_frame needs pandas"):
        jointbonus.calibration_frame(plan, calibration)
    with pytest.raises(MissingExtraError, match=r"^weighting_frame needs pandas"):
        jointbonus.weighting_frame(plan, calibration)


def test_the_core_imports_and_runs_without_any_extra(tmp_path: Path) -> None:
    """In a fresh interpreter where openpyxl and pandas cannot be imported."""
    script = (
        "import sys\n"
        "sys.modules['openpyxl'] = None\n"
        "sys.modules['pandas'] = None\n"
        "import jointbonus\n"
        f"result = jointbonus.run(jointbonus.load_plan({str(EXAMPLE / 'plan.toml')!r}))\n"
        f"jointbonus.write_results(result, {str(tmp_path / 'out')!r})\n"
        "print(jointbonus.payroll_csv(result).splitlines()[0])\n"
        "try:\n"
        "    jointbonus.to_frame(result)\n"
        "except jointbonus.MissingExtraError as error:\n"
        "    print(error)\n"
        "print(sorted(m for m in ('openpyxl', 'pandas') if sys.modules.get(m) is not None))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        ",".join(PAYROLL_COLUMNS),
        "to_frame needs pandas, which is not installed; install the optional extra with: "
        "pip install 'jointbonus[pandas]'",
        "[]",
    ]


def test_gainsharing_files_escape_text_and_keep_negative_numbers(tmp_path: Path) -> None:
    folder = tmp_path / "gainsharing"
    shutil.copytree(EXAMPLE.parents[2] / "examples" / "gainsharing", folder)
    roster = folder / "data" / "roster.csv"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace("NPC-M01,", "=cmd|' /C calc'!A0,", 1),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["run", str(folder / "scanlon.toml"), "--out", str(out)]) == EXIT_OK
    for name in ("lines.csv", "settlement.csv"):
        ids = {row["member_id"] for row in rows_of((out / name).read_text(encoding="utf-8"))}
        assert "'=cmd|' /C calc'!A0" in ids, name
    periods = rows_of((out / "periods.csv").read_text(encoding="utf-8"))
    deficits = [row for row in periods if row["gain"].startswith("-")]
    assert deficits  # the example has months below the norm
    for row in deficits:
        assert cells.NUMBER_CELL.fullmatch(row["gain"]), row["gain"]
        assert cells.NUMBER_CELL.fullmatch(row["employee_share"]), row["employee_share"]


def test_every_output_file_gets_the_users_umask(tmp_path: Path) -> None:
    """Colleagues sharing a drive can open what a run writes (umask 002: rw-rw-r--)."""
    old = os.umask(0o002)
    try:
        shared, gainsharing = tmp_path / "shared", tmp_path / "gainsharing"
        assert main(["run", str(EXAMPLE / "plan.toml"), "--out", str(shared)]) == EXIT_OK
        plan = EXAMPLE.parents[2] / "examples" / "gainsharing" / "scanlon.toml"
        assert main(["run", str(plan), "--out", str(gainsharing)]) == EXIT_OK
    finally:
        os.umask(old)
    for out in (shared, gainsharing):
        written = [p for p in out.rglob("*") if p.is_file()]
        assert "payroll.csv" in {p.name for p in written} or out == gainsharing
        assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {
            p.name: 0o664 for p in written
        }
