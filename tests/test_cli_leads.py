"""``jointbonus leads``: a plan's lead figures, or an export's, as a table, JSON and CSV, and
the review list."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main

ROOT = Path(__file__).resolve().parent.parent
PLAN = ROOT / "examples" / "digital_manufacturing_leads" / "plan.toml"
LEADS = ROOT / "examples" / "digital_manufacturing_leads" / "data" / "leads.csv"
EXPORT = ["--export", str(LEADS), "--time-zone", "America/Chicago"]


def run(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(["leads", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_the_plans_figures_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(PLAN))
    assert code == EXIT_OK and not err
    lines = out.splitlines()
    assert lines[0] == (
        "6,678 leads from data/leads.csv; time zone America/Chicago; as of "
        "2026-12-01T06:00:00+00:00; handled within 48 hours"
    )
    october = next(line for line in lines if line.startswith("2026-10"))
    assert october.split() == ["2026-10", "159", "128", "85.5%", "1", "27.9", "40.0%", "75.4%"]
    november = next(line for line in lines if line.startswith("2026-11"))
    assert "25.0%*" in november  # SAL to SQL of November's acceptances: still pending
    assert lines[-1] == "* pending: its window is still open"


def test_an_export_without_a_plan_gives_the_same_figures(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, from_plan, _ = run(capsys, str(PLAN), "--format", "csv")
    code, alone, err = run(capsys, *EXPORT, "--as-of", "2026-12-01T06:00:00Z", "--format", "csv")
    assert code == EXIT_OK and not err
    assert alone == from_plan
    rows = list(csv.DictReader(io.StringIO(alone)))
    (row,) = [r for r in rows if r["month"] == "2026-10" and r["metric"] == "followed_up_48h"]
    assert (row["value"], row["exact"], row["status"]) == ("0.855346", "136/159", "final")


def test_pending_months_are_marked_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *EXPORT, "--as-of", "2026-11-01T00:00:00Z", "--format", "json")
    assert code == EXIT_OK
    document = json.loads(out)
    october = next(m for m in document["months"] if m["month"] == "2026-10")
    assert october["figures"]["followed_up_48h"]["status"] == "pending"
    september = next(m for m in document["months"] if m["month"] == "2026-09")
    assert september["figures"]["sal_to_sql"]["status"] == "pending"
    assert september["figures"]["followed_up_48h"]["status"] == "final"


def test_business_hours_count_fewer_leads_late(capsys: pytest.CaptureFixture[str]) -> None:
    as_of = ("--as-of", "2026-12-01T06:00:00Z", "--format", "json")
    _, clock, _ = run(capsys, *EXPORT, *as_of)
    _, office, _ = run(capsys, *EXPORT, *as_of, "--business-hours")
    late = json.loads(clock)["months"][-2]["figures"]["followed_up_48h"]["numerator"]
    in_office = json.loads(office)["months"][-2]["figures"]["followed_up_48h"]["numerator"]
    assert json.loads(office)["handling"].startswith("48 business hours (Monday to Friday")
    assert int(in_office) >= int(late)


def test_the_review_list_as_csv_json_and_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, str(PLAN), "--review", "--format", "csv")
    assert code == EXIT_OK
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {r["rule"] for r in rows} == {
        "not_handled_within_48h",
        "rejected_without_reason",
        "not_qualified_within_a_month",
        "missing_attribution",
    }
    assert all(r["source"].startswith("data/leads.csv:") for r in rows)
    _, text, _ = run(capsys, str(PLAN), "--review", "--format", "json")
    document = json.loads(text)
    assert document["as_of"] == "2026-12-01T06:00:00Z"
    assert [r["lead_id"] for r in document["review"]] == [r["lead_id"] for r in rows]
    _, table, _ = run(capsys, str(PLAN), "--review")
    assert f"{len(rows):,} leads to review" in table


def test_a_plan_and_an_export_together_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, str(PLAN), *EXPORT)
    assert code == EXIT_BAD_INPUT and not out
    assert "give a plan with a [leads] section, or the export with --export FILE" in err
    code, _, err = run(capsys)
    assert code == EXIT_BAD_INPUT


def test_a_plan_without_leads_or_of_another_kind_is_bad_input(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = run(capsys, str(ROOT / "examples" / "alpine_outfitters" / "plan.toml"))
    assert code == EXIT_BAD_INPUT
    assert "leads: got nothing, expected a [leads] section" in err
    gainsharing = ROOT / "examples" / "gainsharing" / "scanlon.toml"
    code, _, err = run(capsys, str(gainsharing))
    assert code == EXIT_BAD_INPUT
    assert "reads a shared-target plan's [leads] section" in err


def test_a_bad_export_or_instant_is_bad_input_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "leads.csv"
    broken.write_text(
        LEADS.read_text(encoding="utf-8").replace("Purchased List", "Fax", 1), encoding="utf-8"
    )
    code, out, err = run(capsys, "--export", str(broken), "--time-zone", "America/Chicago")
    assert code == EXIT_BAD_INPUT and not out
    assert f"{broken}:2: Lead Source: got 'Fax'" in err
    assert "Traceback" not in err
    code, _, err = run(capsys, *EXPORT, "--as-of", "yesterday")
    assert code == EXIT_BAD_INPUT
    assert "--as-of: got 'yesterday', expected an instant with its UTC offset" in err
    code, _, err = run(capsys, *EXPORT[:2], "--time-zone", "Mars/Olympus")
    assert code == EXIT_BAD_INPUT
    assert "time_zone: got 'Mars/Olympus'" in err
