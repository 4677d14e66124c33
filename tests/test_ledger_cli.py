"""``jointbonus close`` and ``jointbonus ledger``, and a run that reads the ledger.

Worked on the one-lifeboat fixture (fifteen members, one shared target,
2026-01 to 2026-10 with an actual): 2026-01 misses its target and pays
nothing; restated to a hit, it is corrected in the first open month.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from jointbonus.cli import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main
from jointbonus.sharedtarget.ledger.store import LEDGER_VERSION

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "one_lifeboat"
JANUARY_MISSED = "2026-01,1183000,1108443"
JANUARY_HIT = "2026-01,1183000,1190000"


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    return folder


def jointbonus(capsys: pytest.CaptureFixture[str], *arguments: object) -> tuple[int, str, str]:
    code = main([str(a) for a in arguments])
    out, err = capsys.readouterr()
    return code, out, err


def restate_january(plan_dir: Path) -> None:
    months = plan_dir / "data" / "plan_months.csv"
    months.write_text(months.read_text().replace(JANUARY_MISSED, JANUARY_HIT), encoding="utf-8")


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_close_records_the_month_beside_the_plan(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_dir / "plan.toml"
    code, out, err = jointbonus(capsys, "close", plan, "--month", "2026-01")
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith("closed 2026-01 in plan.ledger.sqlite: 0.00 USD paid, 15 members'")
    assert "next to close: 2026-02" in out
    assert (plan_dir / "plan.ledger.sqlite").is_file()
    code, out, _ = jointbonus(capsys, "ledger", plan)
    assert code == EXIT_OK
    assert "1 month closed (2026-01)" in out
    code, out, _ = jointbonus(capsys, "ledger", plan, "--format", "json")
    document = json.loads(out)
    assert (document["format"], document["currency"]) == (LEDGER_VERSION, "USD")
    assert [m["period"] for m in document["months"]] == ["2026-01"]
    code, out, _ = jointbonus(capsys, "ledger", plan, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert len(table) == 15
    assert {r["kind"] for r in table} == {"pay"}
    assert {r["period"] for r in table} == {"2026-01"}


@pytest.mark.parametrize(
    ("months", "month", "message"),
    [
        ((), "2026-02", "2026-02 cannot close before 2026-01: months close in plan order"),
        (("2026-01",), "2026-01", "2026-01 is already closed (on "),
        ((), "2027-01", "month: got '2027-01', expected a month of the plan, written YYYY-MM"),
        ((), "January", "month: got 'January', expected a month of the plan"),
    ],
)
def test_a_refused_close_exits_2_with_the_reason_and_writes_nothing(
    plan_dir: Path,
    capsys: pytest.CaptureFixture[str],
    months: tuple[str, ...],
    month: str,
    message: str,
) -> None:
    plan = plan_dir / "plan.toml"
    for earlier in months:
        assert jointbonus(capsys, "close", plan, "--month", earlier)[0] == EXIT_OK
    ledger = plan_dir / "plan.ledger.sqlite"
    before = ledger.read_bytes() if ledger.exists() else None
    code, out, err = jointbonus(capsys, "close", plan, "--month", month)
    assert (code, out) == (EXIT_BAD_INPUT, "")
    assert err.startswith(f"jointbonus: {plan}: ")
    assert message in err
    assert "Traceback" not in err
    assert (ledger.read_bytes() if ledger.exists() else None) == before


def test_a_pending_month_cannot_close(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = plan_dir / "plan.toml"
    months = plan_dir / "data" / "plan_months.csv"
    [head, *body] = months.read_text(encoding="utf-8").splitlines()
    pending = [line.rsplit(",", 1)[0] + "," for line in body]  # no actual yet
    months.write_text("\n".join([head, *pending]) + "\n", encoding="utf-8")
    code, _, err = jointbonus(capsys, "close", plan, "--month", "2026-01")
    assert code == EXIT_BAD_INPUT
    assert "2026-01 cannot close: pending" in err
    assert not (plan_dir / "plan.ledger.sqlite").exists()


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ('path = "../elsewhere.sqlite"', "ledger.path: got '../elsewhere.sqlite', expected a path "
         "inside the plan's folder"),
        ('path = "data"', "ledger.path: got 'data', expected a file, not a folder"),
        ('overpayments = "sometimes"', "ledger.overpayments: got 'sometimes', expected "
         "'clawed_back' or 'absorbed'"),
    ],
)  # fmt: skip
def test_a_ledger_section_that_cannot_be_used_is_located(
    plan_dir: Path, capsys: pytest.CaptureFixture[str], section: str, expected: str
) -> None:
    plan = plan_dir / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(f"{text}\n[ledger]\n{section}\n", encoding="utf-8")
    line = len(text.splitlines()) + 3
    for arguments in (("close", plan, "--month", "2026-01"), ("run", plan), ("ledger", plan)):
        code, _, err = jointbonus(capsys, *arguments)
        assert code == EXIT_BAD_INPUT, arguments
        assert f"plan.toml:{line}: {expected}" in err


def test_a_file_that_is_no_ledger_is_bad_input(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (plan_dir / "plan.ledger.sqlite").write_text("month,paid\n", encoding="utf-8")
    for arguments in (("close", "--month", "2026-01"), ("run",), ("ledger",)):
        code, _, err = jointbonus(capsys, arguments[0], plan_dir / "plan.toml", *arguments[1:])
        assert code == EXIT_BAD_INPUT
        assert "ledger plan.ledger.sqlite: not a jointbonus ledger" in err
        assert "Traceback" not in err


def test_a_restated_closed_month_is_paid_as_a_correction_in_the_first_open_month(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_dir / "plan.toml"
    out_dir = plan_dir / "out"
    for month in ("2026-01", "2026-02"):
        assert jointbonus(capsys, "close", plan, "--month", month)[0] == EXIT_OK
    restate_january(plan_dir)
    code, _, err = jointbonus(capsys, "run", plan, "--out", out_dir, "--statements")
    assert (code, err) == (EXIT_OK, "")
    payroll = rows(out_dir / "payroll.csv")
    assert list(payroll[0]) == ["member_id", "team", "period", "kind", "corrects", "currency",
                                "amount"]  # fmt: skip
    corrections = [r for r in payroll if r["kind"] == "correction"]
    result = json.loads((out_dir / "result.json").read_text(encoding="utf-8"))
    assert len(corrections) == len(result["corrections"]) > 0
    assert {(r["period"], r["corrects"]) for r in corrections} == {("2026-03", "2026-01")}
    january = [r for r in payroll if r["period"] == "2026-01"]
    assert january == []  # January paid nothing when it closed, and still pays nothing then
    lines = rows(out_dir / "lines.csv")
    assert {r["kind"] for r in lines} == {"line", "correction"}
    assert all(r["status"] == "due" for r in lines if r["kind"] == "correction")
    assert result["ledger"]["first_open"] == "2026-03"
    paid = sum(round(float(r["amount"]) * 100) for r in corrections)
    assert result["ledger"]["corrections_due"] == f"{paid // 100}.{paid % 100:02d}"
    transparency = (out_dir / "transparency.md").read_text(encoding="utf-8")
    assert "## Closed months and corrections" in transparency
    statement = (out_dir / "statements" / "DM-M01.md").read_text(encoding="utf-8")
    assert "## Corrections of closed months" in statement
    assert "| 2026-03 | 2026-01 |" in statement
    # The summary counts the correction in the month it corrects: January pays now.
    months = rows(out_dir / "months.csv")
    assert months[0]["period"] == "2026-01"
    assert float(months[0]["paid"]) > 0


def test_verify_names_the_ledger_when_a_close_changed_it(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_dir / "plan.toml"
    out_dir = plan_dir / "out"
    assert jointbonus(capsys, "close", plan, "--month", "2026-01")[0] == EXIT_OK
    restate_january(plan_dir)
    assert jointbonus(capsys, "run", plan, "--out", out_dir)[0] == EXIT_OK
    code, out, _ = jointbonus(capsys, "verify", plan, out_dir)
    assert code == EXIT_OK
    assert "reproduced" in out
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert "plan.ledger.sqlite" in [i["file"] for i in manifest["inputs"]]
    assert jointbonus(capsys, "close", plan, "--month", "2026-02")[0] == EXIT_OK
    code, out, _ = jointbonus(capsys, "verify", plan, out_dir)
    assert code == EXIT_FAILURE
    assert "difference: input plan.ledger.sqlite: changed" in out


def test_a_plan_without_a_ledger_writes_no_ledger_columns(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_dir = plan_dir / "out"
    assert jointbonus(capsys, "run", plan_dir / "plan.toml", "--out", out_dir)[0] == EXIT_OK
    assert "corrects" not in rows(out_dir / "payroll.csv")[0]
    assert {r["kind"] for r in rows(out_dir / "payroll.csv")} == {"pay"}
    assert "kind" not in rows(out_dir / "lines.csv")[0]
    result = json.loads((out_dir / "result.json").read_text(encoding="utf-8"))
    assert "ledger" not in result
    assert not (plan_dir / "plan.ledger.sqlite").exists()


def test_the_ledger_records_the_runs_digests(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_dir / "plan.toml"
    out_dir = plan_dir / "out"
    assert jointbonus(capsys, "run", plan, "--out", out_dir)[0] == EXIT_OK
    manifest = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    assert jointbonus(capsys, "close", plan, "--month", "2026-01")[0] == EXIT_OK
    connection = sqlite3.connect(plan_dir / "plan.ledger.sqlite")
    try:
        [(digest, plan_sha256)] = connection.execute(
            "SELECT results_digest, plan_sha256 FROM closed_months"
        ).fetchall()
        inputs = dict(connection.execute("SELECT file, sha256 FROM closed_inputs").fetchall())
    finally:
        connection.close()
    assert digest == manifest["results_digest"]
    assert plan_sha256 == manifest["plan"]["sha256"]
    assert inputs == {i["file"]: i["sha256"] for i in manifest["inputs"]}
