"""The ``jointbonus`` command: output, exit codes, bad input and atomic writes.

Run in-process through :func:`jointbonus.cli.main` and, for what a user
really sees, as a separate process (``python -m jointbonus``, ``python -m
jointbonus.cli`` and the installed ``jointbonus`` script).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from jointbonus.cli import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main
from jointbonus.sharedtarget.report import writer as report

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "one_lifeboat"
OUTPUT_FILES = {"lines.csv", "months.csv", "result.json", "payroll.csv", "manifest.json"}
AMOUNT = re.compile(r"-?\d+\.\d{2}")  # USD: two decimals
RATIO = re.compile(r"-?\d+\.\d+")

MONTH_FIELDS = {"period", "target", "actual", "attainment", "payout_factor", "pool", "paid"}
LINE_FIELDS = {"member_id", "team", "period", "weight", "shared", "total", "reason"}


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise LookupError(f"{old!r} is not in {path.name}")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def command(*arguments: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jointbonus", *arguments],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def files_in(folder: Path) -> set[str]:
    return {path.name for path in folder.iterdir()}


# -- the example, in-process --------------------------------------------------


def test_run_details_prints_the_summary_months_and_statements(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(plan_dir / "plan.toml"), "--details"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    for heading in ("Plan summary", "Months", "Statements", "Pool at target per month (USD)"):
        assert heading in out
    assert "DM-M05" in out  # the leaver has a statement
    assert "pending: no actual for 2026-12 yet" in out


def test_calibrate_prints_the_evidence(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(plan_dir / "plan.toml")]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    for heading in (
        "Budget (USD)",
        "Pool at target per month (USD)",
        "Residual after rounding (USD)",
        "Historical scenarios",
        "Chance of paying",
    ):
        assert heading in out
    assert "Statements" not in out


def test_run_json_has_the_documented_fields(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(plan_dir / "plan.toml"), "--format", "json"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    document = json.loads(out)
    assert {"summary", "months", "lines"} <= document.keys()
    assert len(document["months"]) == 12
    paid_by_month: dict[str, Decimal] = defaultdict(Decimal)
    for line in document["lines"]:
        assert line.keys() >= LINE_FIELDS
        assert AMOUNT.fullmatch(line["shared"]) and AMOUNT.fullmatch(line["total"])
        assert RATIO.fullmatch(line["weight"])
        assert isinstance(line["reason"], str)
        paid_by_month[line["period"]] += Decimal(line["total"])
    for month in document["months"]:
        assert month.keys() >= MONTH_FIELDS
        for amount in ("target", "paid"):
            assert AMOUNT.fullmatch(month[amount]), (amount, month[amount])
        if month["actual"] is None:  # pending: no pool yet, nothing paid
            assert month["pool"] is None and month["attainment"] is None
            assert month["paid"] == "0.00"
        else:
            assert AMOUNT.fullmatch(month["pool"])
            assert RATIO.fullmatch(month["attainment"])
            assert RATIO.fullmatch(month["payout_factor"])
        # the lines of a month add up to what the month paid, to the cent
        assert paid_by_month[month["period"]] == Decimal(month["paid"])
    pending = [m["period"] for m in document["months"] if m["actual"] is None]
    assert pending == ["2026-11", "2026-12"]
    assert AMOUNT.fullmatch(document["summary"]["budget"])


def test_calibrate_json_parses(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calibrate", str(plan_dir / "plan.toml"), "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert {"plan", "calibration"} <= document.keys()
    assert document["calibration"]["within_bound"] is True
    assert AMOUNT.fullmatch(document["calibration"]["budget"])


def test_json_output_is_the_same_every_run(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outputs = []
    for _ in range(2):
        assert main(["run", str(plan_dir / "plan.toml"), "--format", "json"]) == EXIT_OK
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]


def test_out_writes_lines_months_and_result(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results"
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(out)]) == EXIT_OK
    assert (
        f"\nWrote 5 files to {out}: lines.csv, months.csv, payroll.csv, result.json, "
        "manifest.json\n" in capsys.readouterr().out
    )
    assert files_in(out) == OUTPUT_FILES
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert {"summary", "months"} <= result.keys()
    months = list(csv.DictReader(io.StringIO((out / "months.csv").read_text(encoding="utf-8"))))
    assert [row["period"] for row in months] == [f"2026-{m:02d}" for m in range(1, 13)]
    lines = list(csv.DictReader(io.StringIO((out / "lines.csv").read_text(encoding="utf-8"))))
    assert lines and lines[0].keys() >= LINE_FIELDS
    total = sum((Decimal(row["total"]) for row in lines), Decimal(0))
    assert total == Decimal(result["summary"]["paid_to_date"])


# -- bad input: exit 2, the problems on stderr, no traceback, nothing written ----


BAD_INPUTS = [
    pytest.param(("data/roster.csv", ",0.6,", ",0,", "data/roster.csv:14: fte"), id="fte-zero"),
    pytest.param(
        (
            "data/plan_months.csv",
            "2026-03,1338000",
            "2026-03,lots",
            "data/plan_months.csv:4: target",
        ),
        id="text-in-a-number",
    ),
    pytest.param(("plan.toml", "months = 12", "months = 12 12", "plan.toml:13: plan"), id="toml"),
    pytest.param(
        (
            "plan.toml",
            'file = "data/history.csv"',
            'file = "../h.csv"',
            "plan.toml:30: history.file",
        ),
        id="outside-the-folder",
    ),
    pytest.param(
        ("plan.toml", "threshold = 1.00", "threshold = 2.00", "can never pay at historical"),
        id="never-pays",
    ),
]


@pytest.mark.parametrize("bad", BAD_INPUTS)
@pytest.mark.parametrize("what", ["run", "calibrate"])
def test_bad_input_exits_2_with_the_problems_and_writes_nothing(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    what: str,
    bad: tuple[str, str, str, str],
) -> None:
    name, old, new, shown = bad
    replace_in(plan_dir / name, old, new)
    out = tmp_path / "results"
    out.mkdir()
    extra = ["--out", str(out)] if what == "run" else []
    assert main([what, str(plan_dir / "plan.toml"), *extra]) == EXIT_BAD_INPUT
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert shown in stderr
    assert stderr.startswith(f"jointbonus: {plan_dir / 'plan.toml'}: ")
    assert "Traceback" not in stderr
    assert files_in(out) == set()


def test_every_problem_is_listed_on_stderr(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_in(plan_dir / "data/roster.csv", ",0.6,", ",0,")
    replace_in(plan_dir / "data/roster.csv", "2020-06-15", "2020-06-31")
    replace_in(plan_dir / "data/history.csv", "2024-02,1059715,1067000,", "2024-02,1059715,,")
    assert main(["run", str(plan_dir / "plan.toml")]) == EXIT_BAD_INPUT
    stderr = capsys.readouterr().err
    assert "3 problems in the plan:" in stderr
    assert "  data/roster.csv:3: start: got '2020-06-31', expected a real calendar date" in stderr
    assert "  data/roster.csv:14: fte: got '0', expected a full-time-equivalent" in stderr
    assert "  data/history.csv:15: target: got an empty cell, expected the month's target" in stderr


def test_a_missing_plan_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "nowhere.toml")]) == EXIT_BAD_INPUT
    stderr = capsys.readouterr().err
    assert "nowhere.toml: file: got" in stderr
    assert "an existing file" in stderr


def test_bad_input_in_a_separate_process(plan_dir: Path, tmp_path: Path) -> None:
    replace_in(plan_dir / "data/roster.csv", "\n", "\n\x00")
    replace_in(plan_dir / "data/plan_months.csv", "2026-02,1222000,", "2026-02,-1,")
    out = tmp_path / "results"
    out.mkdir()
    done = command("run", str(plan_dir / "plan.toml"), "--out", str(out), cwd=tmp_path)
    assert done.returncode == EXIT_BAD_INPUT
    assert done.stdout == ""
    assert "2 problems in the plan:" in done.stderr
    assert "data/roster.csv:2: encoding: got 'NUL byte'" in done.stderr
    assert "data/plan_months.csv:3: target: got '-1', expected a number above 0" in done.stderr
    assert "Traceback" not in done.stderr
    assert files_in(out) == set()


def test_a_plan_that_never_pays_in_a_separate_process(plan_dir: Path, tmp_path: Path) -> None:
    replace_in(plan_dir / "plan.toml", "threshold = 1.00", "threshold = 3")
    done = command("calibrate", str(plan_dir / "plan.toml"), cwd=tmp_path)
    assert done.returncode == EXIT_BAD_INPUT
    assert "Lower the curve's threshold" in done.stderr
    assert "Traceback" not in done.stderr


# -- failures that are not the input's fault: exit 1, nothing partial -----------


def test_a_failure_while_writing_leaves_no_partial_file(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "results"
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(out)]) == EXIT_OK
    before = {name: (out / name).read_bytes() for name in files_in(out)}
    capsys.readouterr()
    replace_in(plan_dir / "data/plan_months.csv", "2026-11,1389000,", "2026-11,1389000,1500000")

    def half_written(result: object, currency: object, handle: io.TextIOBase) -> None:
        handle.write("period,target,actual\n2026-01,")
        raise OSError(28, "No space left on device", str(out / "months.csv"))

    monkeypatch.setattr(report, "_write_months", half_written)
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(out)]) == EXIT_FAILURE
    stdout, stderr = capsys.readouterr()
    assert "No space left on device" in stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    # the earlier results are untouched, no temporary file is left behind
    assert files_in(out) == set(before)
    assert {name: (out / name).read_bytes() for name in before} == before


def test_a_folder_holding_the_users_own_file_is_refused_and_left_alone(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run replaces its folder as a whole: a file of the user's in it stops the run."""
    out = tmp_path / "results"
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(out)]) == EXIT_OK
    before = {name: (out / name).read_bytes() for name in files_in(out)}
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    capsys.readouterr()
    replace_in(plan_dir / "data/plan_months.csv", "2026-11,1389000,", "2026-11,1389000,1500000")
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(out)]) == EXIT_BAD_INPUT
    stdout, stderr = capsys.readouterr()
    assert stderr.startswith(f"jointbonus: {plan_dir / 'plan.toml'}: {out}: holds notes.txt, ")
    assert "which jointbonus did not write" in stderr
    assert "Traceback" not in stderr
    assert stdout == ""
    assert files_in(out) == {*before, "notes.txt"}
    assert {name: (out / name).read_bytes() for name in before} == before
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_failure_while_writing_a_fresh_folder_leaves_it_empty(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "fresh"
    out.mkdir()

    def half_written(result: object, handle: io.BufferedIOBase) -> None:
        handle.write(b"member_id,team\nDM-M01,")
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(report, "_write_lines", half_written)
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(out)]) == EXIT_FAILURE
    assert "Input/output error" in capsys.readouterr().err
    assert files_in(out) == set()


def test_an_output_folder_that_is_a_file_exits_1(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "results"
    blocker.write_text("not a folder", encoding="utf-8")
    assert main(["run", str(plan_dir / "plan.toml"), "--out", str(blocker)]) == EXIT_FAILURE
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert stderr.startswith(f"jointbonus: cannot write {blocker}: ")
    assert "Traceback" not in stderr
    assert blocker.read_text(encoding="utf-8") == "not a folder"


class _ClosedPipe(io.StringIO):
    """Standard output whose reader has gone (``jointbonus run plan.toml | head``)."""

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self.descriptor = descriptor

    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")

    def fileno(self) -> int:
        return self.descriptor


def test_a_reader_that_stops_early_is_no_traceback(
    plan_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with (tmp_path / "stdout").open("w", encoding="utf-8") as stand_in:
        monkeypatch.setattr(sys, "stdout", _ClosedPipe(stand_in.fileno()))
        assert main(["run", str(plan_dir / "plan.toml")]) == EXIT_FAILURE
    assert capsys.readouterr().err == ""


def test_an_output_encoding_that_cannot_show_a_name_is_no_traceback(
    plan_dir: Path, tmp_path: Path
) -> None:
    replace_in(plan_dir / "data/roster.csv", "DM-S01,", "Müller,")
    done = subprocess.run(
        [sys.executable, "-m", "jointbonus", "run", str(plan_dir / "plan.toml"), "--details"],
        capture_output=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONIOENCODING": "ascii"},
        check=False,
    )
    stderr = done.stderr.decode("utf-8")
    assert done.returncode == EXIT_FAILURE
    assert "cannot write; set PYTHONIOENCODING=utf-8" in stderr
    assert "Traceback" not in stderr


# -- help, usage and the ways to start it --------------------------------------


@pytest.mark.parametrize("arguments", [["--help"], ["run", "--help"], ["calibrate", "--help"]])
def test_help_exits_0(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(arguments)
    assert caught.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: jointbonus")
    assert "PLAN" in out.upper()


@pytest.mark.parametrize(
    "arguments", [[], ["run"], ["pay", "plan.toml"], ["run", "plan.toml", "--format", "xml"]]
)
def test_a_usage_error_exits_2(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(arguments)
    assert caught.value.code == 2
    assert "usage: jointbonus" in capsys.readouterr().err


@pytest.mark.parametrize(
    "launcher",
    [
        pytest.param([sys.executable, "-m", "jointbonus"], id="python-m-jointbonus"),
        pytest.param([sys.executable, "-m", "jointbonus.cli"], id="python-m-jointbonus.cli"),
    ],
)
def test_the_command_runs_as_a_process(launcher: list[str], plan_dir: Path, tmp_path: Path) -> None:
    for arguments in (["--help"], ["run", "--help"], ["calibrate", "--help"]):
        done = subprocess.run(
            [*launcher, *arguments], capture_output=True, text=True, cwd=tmp_path, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("usage: jointbonus")
    out = tmp_path / "results"
    done = subprocess.run(
        [*launcher, "run", str(plan_dir / "plan.toml"), "--format", "json", "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert {"summary", "months", "lines"} <= json.loads(done.stdout).keys()
    assert files_in(out) == OUTPUT_FILES


def test_the_installed_script(plan_dir: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("jointbonus")
    found = shutil.which("jointbonus") if not script.exists() else str(script)
    if found is None:
        pytest.skip("the jointbonus script is not installed next to this Python")
    done = subprocess.run(
        [found, "calibrate", str(plan_dir / "plan.toml")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Residual after rounding" in done.stdout
