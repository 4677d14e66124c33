"""The commands validate and schema, the formats of run and calibrate, and the exit codes.

Exit codes are the same for every command: 0 ok, 2 bad input (including a
usage error), 1 any other failure.
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
import tomllib
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import jointbonus
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main
from jointbonus.io.render import render_json
from jointbonus.sharedtarget.report.documents import LINE_COLUMNS, result_document

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "one_lifeboat"
SCANLON = ROOT / "examples" / "gainsharing" / "scanlon.toml"
COMMANDS = [
    "run", "calibrate", "validate", "schema", "explain", "verify", "statements", "simulate",
    "targets",
]  # fmt: skip


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


def break_three_ways(plan_dir: Path) -> None:
    replace_in(plan_dir / "data/roster.csv", ",0.6,", ",0,")
    replace_in(plan_dir / "data/roster.csv", "DM-S02,", "=cmd,")
    replace_in(plan_dir / "data/roster.csv", "2020-06-15", "2020-06-31")
    replace_in(plan_dir / "data/history.csv", "2024-02,1059715,1067000,", "2024-02,1059715,,")


# -- validate ----------------------------------------------------------------------------


def test_validate_a_valid_plan(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(plan_dir / "plan.toml")]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (
        f"{plan_dir / 'plan.toml'}: valid: 15 members, 12 months (2026-01 to 2026-12), "
        "36 historical months; calibrates to a pool at target of 24,508.65 USD\n"
    )


def test_validate_lists_every_problem_at_once(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    break_three_ways(plan_dir)
    assert main(["validate", str(plan_dir / "plan.toml")]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == f"{plan_dir / 'plan.toml'}: 3 problems:"
    assert lines[1].startswith("  data/roster.csv:3: start: got '2020-06-31', expected a real")
    assert lines[2].startswith("  data/roster.csv:14: fte: got '0', expected a full-time")
    assert lines[3].startswith(
        "  data/history.csv:15: target: got an empty cell, expected the month's"
    )
    assert len(lines) == 4


def test_validate_json_and_csv(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_three_ways(plan_dir)
    plan = str(plan_dir / "plan.toml")
    assert main(["validate", plan, "--format", "json"]) == EXIT_BAD_INPUT
    document = json.loads(capsys.readouterr().out)
    assert document["valid"] is False and document["summary"] is None
    problems = document["problems"]
    assert [(p["file"], p["line"], p["field"]) for p in problems] == [
        ("data/roster.csv", 3, "start"),
        ("data/roster.csv", 14, "fte"),
        ("data/history.csv", 15, "target"),
    ]
    assert problems[1]["value"] == "0"
    assert problems[1]["expected"].startswith("a full-time-equivalent fraction")
    assert main(["validate", plan, "--format", "csv"]) == EXIT_BAD_INPUT
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["line"] for row in rows] == ["3", "14", "15"]
    assert rows[1]["value"] == "0"
    assert rows[2]["value"] == ""


def test_validate_csv_escapes_values_copied_from_the_input(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_in(plan_dir / "data/roster.csv", ",0.6,", ",=1+2,")
    assert main(["validate", str(plan_dir / "plan.toml"), "--format", "csv"]) == EXIT_BAD_INPUT
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(row["field"], row["value"]) for row in rows] == [("fte", "'=1+2")]


def test_validate_a_plan_that_cannot_be_calibrated(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_in(plan_dir / "plan.toml", "threshold = 1.00", "threshold = 3")
    assert main(["validate", str(plan_dir / "plan.toml"), "--format", "json"]) == EXIT_BAD_INPUT
    (problem,) = json.loads(capsys.readouterr().out)["problems"]
    assert problem["field"] == "calibration"
    assert problem["file"] == "plan.toml"
    assert "Lower the curve's threshold" in problem["message"]


def test_validate_a_gainsharing_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SCANLON)]) == EXIT_OK
    assert capsys.readouterr().out.endswith(": valid: a gainsharing plan of 23 members\n")


def test_validate_a_missing_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "nowhere.toml")]) == EXIT_BAD_INPUT
    out = capsys.readouterr().out
    assert "1 problem:" in out
    assert "nowhere.toml: file: got" in out


# -- schema ---------------------------------------------------------------------------------


def _as_json(data: object) -> object:
    """TOML settings as JSON holds them: a date, time or date-time as its RFC 3339 text."""
    if isinstance(data, dict):
        return {key: _as_json(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_as_json(item) for item in data]
    if isinstance(data, datetime | date | time):
        return data.isoformat()
    return data


def _accepts(schema: dict[str, Any], data: object) -> bool:
    """Whether ``data`` meets ``schema``, by a JSON Schema validator of the draft it declares."""
    return jsonschema.Draft202012Validator(schema).is_valid(_as_json(data))


def _schema(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    assert main(["schema", *arguments]) == EXIT_OK
    schema: dict[str, Any] = json.loads(capsys.readouterr().out)
    return schema


def test_schema_accepts_the_example_plans(capsys: pytest.CaptureFixture[str]) -> None:
    schema = _schema(capsys)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "PlanFile"
    assert {"name", "currency", "start", "roster", "shared", "history", "calibration"} <= set(
        schema["required"]
    )
    for example in ("digital_manufacturing", "digital_manufacturing_leads", "alpine_outfitters"):
        data = tomllib.loads((ROOT / "examples" / example / "plan.toml").read_text("utf-8"))
        assert _accepts(schema, data), example


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('start = "2026-01"', 'start = "January"'),
        ('budget = "from_history"', 'budget = "lots"'),
        ('budget = "from_history"', "budget = -5"),
        ('style = "pool"', 'style = "bonus"'),
        ("months = 12", "weeks = 52"),
    ],
)
def test_schema_refuses_what_the_loader_refuses(
    capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    schema = _schema(capsys)
    text = (EXAMPLE / "plan.toml").read_text(encoding="utf-8")
    assert old in text
    assert not _accepts(schema, tomllib.loads(text.replace(old, new, 1)))


def test_schema_of_a_gainsharing_plan(capsys: pytest.CaptureFixture[str]) -> None:
    schema = _schema(capsys, "--kind", "gainsharing")
    assert schema["title"] == "GainsharingFile"
    assert _accepts(schema, tomllib.loads(SCANLON.read_text(encoding="utf-8")))


# -- formats of run and calibrate ---------------------------------------------------------------


def test_run_csv_is_lines_csv(
    plan_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(plan_dir / "plan.toml"), "--format", "csv", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed == (out / "lines.csv").read_text(encoding="utf-8")
    assert printed.splitlines()[0] == ",".join(LINE_COLUMNS)


@pytest.mark.parametrize("plan", ["alpine_outfitters", "digital_manufacturing", "harbor_software"])
def test_run_json_is_the_whole_document_rendered(
    plan: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = ROOT / "examples" / plan / "plan.toml"
    assert main(["run", str(path), "--format", "json"]) == EXIT_OK
    printed = capsys.readouterr().out
    whole = render_json(result_document(jointbonus.run(jointbonus.load_plan(path))))
    assert printed == whole


def test_run_jsonl_prints_each_line_document_on_a_line(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = str(plan_dir / "plan.toml")
    assert main(["run", plan, "--format", "json"]) == EXIT_OK
    lines = json.loads(capsys.readouterr().out)["lines"]
    assert main(["run", plan, "--format", "jsonl"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    records = out.split("\n")
    assert records.pop() == ""
    assert len(records) == len(lines) == 15 * 12
    assert [json.loads(record) for record in records] == lines
    assert records[0] == json.dumps(lines[0], ensure_ascii=False, separators=(",", ":"))


def test_a_full_disk_on_standard_output_is_no_traceback(plan_dir: Path, tmp_path: Path) -> None:
    full = Path("/dev/full")
    if not full.exists():
        pytest.skip("no /dev/full here")
    source = str(Path(jointbonus.__file__).resolve().parents[1])  # this checkout, from any folder
    with full.open("w", encoding="utf-8") as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "jointbonus", "run", str(plan_dir / "plan.toml"), "--format",
             "json"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": source},
            timeout=120,
            check=False,
        )  # fmt: skip
    assert done.returncode == EXIT_FAILURE
    assert done.stderr.startswith("jointbonus: cannot write standard output: ")
    assert "Traceback" not in done.stderr


def test_run_markdown_has_every_table(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(plan_dir / "plan.toml"), "--format", "markdown"]) == EXIT_OK
    text = capsys.readouterr().out
    for heading in ("## Plan", "## Calibration", "## Plan summary", "## Months", "## Lines"):
        assert f"\n{heading}\n" in text
    lines = [line for line in text.splitlines() if line.startswith("| DM-")]
    assert len(lines) == 15 * 12
    assert "| paid\\_to\\_date" in text


def test_calibrate_csv_and_markdown(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = str(plan_dir / "plan.toml")
    assert main(["calibrate", plan, "--format", "csv"]) == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [row["period"] for row in rows] == [f"2026-{m:02d}" for m in range(1, 13)]
    assert sum(Decimal(row["expected_cost"]) for row in rows) == Decimal("138882.36")
    assert main(["calibrate", plan, "--format", "markdown"]) == EXIT_OK
    text = capsys.readouterr().out
    assert text.startswith("# Digital Manufacturing")
    assert "| within\\_bound" in text and "### Months at the norm" in text


def test_a_gainsharing_plan_prints_table_or_json_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for format in ("csv", "jsonl", "markdown"):
        assert main(["run", str(SCANLON), "--format", format]) == EXIT_BAD_INPUT
        assert f"--format {format} applies to shared-target plans" in capsys.readouterr().err


def test_xlsx_needs_out(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(plan_dir / "plan.toml"), "--xlsx"]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err == "jointbonus: --xlsx writes a file: give --out DIR as well\n"


# -- help and exit codes ------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == EXIT_OK
    assert capsys.readouterr().out.startswith(f"usage: jointbonus {command}")


def test_the_main_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "0 ok, 2 bad input, 1 other failure" in " ".join(out.split())
    for command in COMMANDS:
        assert re.search(rf"^\s+{command}\s", out, re.M), command


@pytest.mark.parametrize(
    "arguments",
    [
        ["validate"],
        ["schema", "--kind", "other"],
        ["explain", "plan.toml"],
        ["verify", "plan.toml"],
        ["run", "plan.toml", "--format", "xml"],
        ["explain", "plan.toml", "--member", "A", "--month", "2026-01", "--format", "csv"],
    ],
)
def test_usage_errors_exit_2(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(arguments)
    assert caught.value.code == EXIT_BAD_INPUT
    assert "usage: jointbonus" in capsys.readouterr().err
