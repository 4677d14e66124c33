"""A plan that takes its functional actuals from its lead export: ``[leads]`` and
``source = "leads"``, the figures it takes, and every mistake located."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus.cli import EXIT_BAD_INPUT, main
from jointbonus.core.number import decimal_text
from jointbonus.core.periods import Month
from jointbonus.errors import PlanError
from jointbonus.leads import measure, read_leads
from jointbonus.sharedtarget.engine import run
from jointbonus.sharedtarget.explain import explain
from jointbonus.sharedtarget.leadplan import load_lead_metrics
from jointbonus.sharedtarget.loader import load_plan

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "digital_manufacturing_leads"
AS_OF = datetime(2026, 12, 1, 6, tzinfo=UTC)


@pytest.fixture
def plan_folder(tmp_path: Path) -> Path:
    """A copy of the Digital Manufacturing example, to change."""
    folder = tmp_path / "dm"
    shutil.copytree(EXAMPLE, folder)
    return folder


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def add_column(path: Path, column: str, values: dict[str, str]) -> None:
    """Add ``column`` to a CSV file, its cell in each month ``values`` names (else empty)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[0].append(column)
    for row in rows[1:]:
        row.append(values.get(row[0], ""))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(folder / "plan.toml")
    return [str(p) for p in caught.value.problems]


def test_the_history_takes_the_leads_figures_too() -> None:
    plan = load_plan(EXAMPLE / "plan.toml")
    export = read_leads(EXAMPLE / "data" / "leads.csv", time_zone="America/Chicago")
    figures = measure(export, AS_OF)
    january = Month(2023, 1)
    followed = figures.figure(january, "followed_up_48h")
    assert followed.value is not None and followed.denominator
    sample = next(m for m in plan.functional.metrics if m.name == "followed_up_48h").norm
    assert january in sample.sample_months
    # the norm's attainment for January 2023 is the leads' share, to six decimals, / 0.900
    index = sample.sample_months.index(january)
    share = Fraction(decimal_text(followed.value, 6))
    assert sample.sample[index] == share / Fraction("0.900")


def test_a_typed_actual_that_agrees_is_taken(plan_folder: Path) -> None:
    add_column(
        plan_folder / "data" / "plan_months.csv",
        "followed_up_48h_actual",
        {"2026-01": "0.882", "2026-02": "0.88"},
    )
    add_column(
        plan_folder / "data" / "plan_months.csv", "leads_accepted_actual", {"2026-01": "116"}
    )
    plan = load_plan(plan_folder / "plan.toml")
    metric = next(m for m in plan.functional.metrics if m.name == "followed_up_48h")
    assert metric.months[0].actual == Decimal("0.882353")  # the leads' figure: 135/153


def test_a_typed_actual_that_disagrees_is_refused_with_the_leads_figure(
    plan_folder: Path,
) -> None:
    add_column(
        plan_folder / "data" / "plan_months.csv", "followed_up_48h_actual", {"2026-01": "0.883"}
    )
    add_column(plan_folder / "data" / "history.csv", "leads_accepted_actual", {"2023-01": "120"})
    found = problems_of(plan_folder)
    assert found == [
        "data/plan_months.csv:2: followed_up_48h_actual: got '0.883', expected the leads' figure "
        "0.882353 (135/153), or an empty cell: metric followed_up_48h takes its actuals from the "
        'leads (source = "leads")',
        "data/history.csv:2: leads_accepted_actual: got '120', expected the leads' figure 119, or "
        'an empty cell: metric leads_accepted takes its actuals from the leads (source = "leads")',
    ]


def test_a_typed_actual_for_a_pending_month_is_refused(plan_folder: Path) -> None:
    add_column(plan_folder / "data" / "plan_months.csv", "sal_to_sql_actual", {"2026-11": "0.4"})
    (found,) = problems_of(plan_folder)
    assert found.startswith(
        "data/plan_months.csv:12: sal_to_sql_actual: got '0.4', expected an empty cell: the "
        "leads' sal_to_sql for 2026-11 is still pending as of 2026-12-01T06:00:00+00:00"
    )


def test_a_pending_month_stays_pending(plan_folder: Path) -> None:
    edit(plan_folder / "plan.toml", "as_of = 2026-12-01T06:00:00Z", "as_of = 2026-11-01T05:00:00Z")
    plan = load_plan(plan_folder / "plan.toml")
    for metric in plan.functional.metrics:
        october = next(m for m in metric.months if m.month == Month(2026, 10))
        assert october.actual is None, metric.name  # its window was still open on 1 November


def test_a_history_month_the_export_does_not_cover_is_refused(plan_folder: Path) -> None:
    leads = plan_folder / "data" / "leads.csv"
    lines = leads.read_text(encoding="utf-8").splitlines(keepends=True)
    january = ("2023-01-", "2023-02-01")  # delivered in January, Chicago time
    kept = [lines[0], *(line for line in lines[1:] if not line.split(",")[1].startswith(january))]
    leads.write_text("".join(kept), encoding="utf-8")
    found = problems_of(plan_folder)
    assert (
        "data/history.csv:2: leads_accepted_actual: got an empty cell, expected a month the lead "
        "export covers (from 2023-02): the leads' leads_accepted for 2023-01 cannot be measured "
        "from it"
    ) in found


def test_source_leads_needs_a_leads_section(plan_folder: Path) -> None:
    plan = plan_folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    head, _, tail = text.partition("[leads]")
    tail = tail[tail.index("# Each goal") :]
    plan.write_text(head + tail, encoding="utf-8")
    found = problems_of(plan_folder)
    assert found[0].startswith("plan.toml:")
    assert [p.split(": ", 1)[1] for p in found] == [
        f"metrics.{m}.source: got 'leads', expected a [leads] section naming the lead export "
        "the actuals come from"
        for m in ("leads_accepted", "followed_up_48h", "sal_to_sql")
    ]


def test_a_metric_named_after_no_lead_figure_needs_one(plan_folder: Path) -> None:
    edit(plan_folder / "plan.toml", '[metrics.sal_to_sql]\nsource = "leads"', (
        '[metrics.sal_to_sql]\nsource = "leads"\nfigure = "median_response_hours"'
    ))  # fmt: skip
    (found,) = problems_of(plan_folder)
    assert "metrics.sal_to_sql.figure: got 'median_response_hours', expected " in found
    assert "'followed_up_48h'" in found


def test_figure_without_source_leads_is_refused(plan_folder: Path) -> None:
    edit(plan_folder / "plan.toml", '[metrics.sal_to_sql]\nsource = "leads"', (
        '[metrics.sal_to_sql]\nfigure = "sal_to_sql"'
    ))  # fmt: skip
    found = problems_of(plan_folder)
    assert any("metrics.sal_to_sql: got " in p and 'source = "leads"' in p for p in found)


def test_bad_lead_rows_are_located_in_the_export(plan_folder: Path) -> None:
    leads = plan_folder / "data" / "leads.csv"
    text = leads.read_text(encoding="utf-8")
    text = text.replace(",Purchased List,", ",Fax,", 1).replace("43800.00", "43k", 1)
    leads.write_text(text, encoding="utf-8")
    assert problems_of(plan_folder) == [
        "data/leads.csv:2: Lead Source: got 'Fax', expected one of the sources Advertisement, "
        "Employee Referral, External Referral, Other, Partner, Partner Referral, Phone Inquiry, "
        "Public Relations, Purchased List, Seminar - Internal, Seminar - Partner, Trade Show, "
        "Web, Word of mouth",
        "data/leads.csv:3: Amount: got '43k', expected an amount such as 1234.50",
    ]


def test_bad_leads_settings_are_located_in_the_plan_file(plan_folder: Path) -> None:
    plan = plan_folder / "plan.toml"
    edit(plan, 'time_zone = "America/Chicago"', 'time_zone = "America/Chicag"')
    edit(plan, 'files = ["data/leads.csv"]', 'files = ["../leads.csv"]')
    lines = plan.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines, start=1) if line.startswith("files = "))
    found = problems_of(plan_folder)
    assert found == [
        f"plan.toml:{at}: leads.files: got '../leads.csv', expected a path inside the plan's "
        "folder (such as data/roster.csv)",
    ]
    edit(plan, 'files = ["../leads.csv"]', 'files = ["data/leads.csv"]')
    edit(plan, "[leads]\n", '[leads]\ncolumns = { accepted = "SAL Date" }\n')
    found = problems_of(plan_folder)
    assert any(
        "leads.time_zone: got 'America/Chicag', expected an IANA time zone" in p for p in found
    )
    assert any("data/leads.csv:1: header: " in p and "'SAL Date'" in p for p in found)


def test_the_cli_says_where_the_leads_are_wrong_with_exit_2(
    plan_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leads = plan_folder / "data" / "leads.csv"
    leads.write_text(
        leads.read_text(encoding="utf-8").replace("2023-01-02T11:28:08.000Z", "yesterday", 1),
        encoding="utf-8",
    )
    code = main(["run", str(plan_folder / "plan.toml")])
    captured = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert "data/leads.csv:2: Accepted Date: got 'yesterday', expected a date and time" in (
        captured.err
    )
    assert "Traceback" not in captured.err and not captured.out


def test_the_lead_metrics_of_a_plan_are_read_alone() -> None:
    metrics = load_lead_metrics(EXAMPLE / "plan.toml")
    assert metrics.as_of == AS_OF
    assert metrics.export.time_zone == "America/Chicago"
    assert metrics.figure(Month(2026, 10), "leads_accepted").value == 128


def test_a_plan_without_leads_has_no_lead_metrics() -> None:
    with pytest.raises(PlanError, match=r"leads: got nothing, expected a \[leads\] section"):
        load_lead_metrics(ROOT / "examples" / "alpine_outfitters" / "plan.toml")


def test_the_manifest_records_the_lead_export(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert main(["run", str(EXAMPLE / "plan.toml"), "--out", str(out), "--format", "json"]) == 0
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (leads,) = [i for i in manifest["inputs"] if i["setting"] == "leads.files[0]"]
    assert leads["file"] == "data/leads.csv"
    assert leads["bytes"] == (EXAMPLE / "data" / "leads.csv").stat().st_size


def test_explain_shows_how_a_goal_follows_from_the_lead_counts() -> None:
    result = run(load_plan(EXAMPLE / "plan.toml"))
    explanation = explain(result, "DM-S03", "2026-03")
    counts = explanation.figure("goal.followed_up_48h", "lead_counts")
    assert (counts.value, counts.exact) == ("160 / 190", "16/19")
    assert counts.how.startswith(
        "160 of the 190 leads delivered to sales in 2026-03 (America/Chicago) were accepted, "
        "or rejected with a reason, within 48 hours: 160/190 = 0.842105"
    )
    assert explanation.figure("goal.followed_up_48h", "actual").value == "0.842105"
    window = explanation.figure("goal.followed_up_48h", "lead_window")
    assert window.value == "final"
    assert "48 hours after the month's last delivery" in window.how
    with pytest.raises(KeyError):
        explanation.step("leads.followed_up_48h")  # listed only on request


def test_explain_lists_the_leads_behind_a_figure_on_request() -> None:
    result = run(load_plan(EXAMPLE / "plan.toml"))
    explanation = explain(result, "DM-S03", "2026-03", leads=True)
    listed = explanation.step("leads.followed_up_48h").figures
    assert len(listed) == 190
    assert sum(f.value == "counts" for f in listed) == 160
    late = next(f for f in listed if f.value == "does not count")
    assert late.how.startswith("data/leads.csv:")
    assert "hours after (limit 48 hours)" in late.how or "not accepted" in late.how
    sal = explanation.step("leads.sal_to_sql").figures
    assert sum(f.value == "counts" for f in sal) == 52  # 52/139 = 0.374101
    marketing = explain(result, "DM-M01", "2026-03", leads=True)
    assert len(marketing.step("leads.leads_accepted").figures) == 190


def test_explain_says_which_lead_window_a_pending_month_waits_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["explain", str(EXAMPLE / "plan.toml"), "--member", "DM-S01", "--month", "2026-11"])
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0
    assert "revenue, followed_up_48h, sal_to_sql" in out
    # The export's last delivery is in October: November's sal_to_sql waits for
    # the acceptances of late October leads, and its followed_up_48h has no lead.
    assert "1 of the 4 leads accepted in 2026-11" in out
    assert "pending: it closes 2026-12-04 00:00 CST, as of 2026-12-01 00:00 CST" in out
    assert "0 of the 0 leads delivered to sales in 2026-11" in out
    assert "nothing to divide by, so no share: the leads give this month no actual" in out
    assert "Traceback" not in captured.err


def test_explain_lists_the_leads_from_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["explain", str(EXAMPLE / "plan.toml"), "--member", "DM-M01", "--month", "2026-03"]
    assert main(argv) == 0
    plain = capsys.readouterr().out
    assert "Leads (leads_accepted)" in plain
    assert "The 190 leads behind" not in plain
    assert main([*argv, "--leads", "--format", "json"]) == 0
    steps = json.loads(capsys.readouterr().out)["steps"]
    listed = next(s for s in steps if s["key"] == "leads.leads_accepted")
    assert len(listed["figures"]) == 190
    assert {f["value"] for f in listed["figures"]} == {"counts", "does not count"}
