"""What a new user sees in the terminal: the examples as the README and the tutorial run them.

``jointbonus run`` prints a short summary first (what was paid and to whom,
what is pending and why, what needs attention, the files written, the
commands to run next); ``--details`` prints everything. Each figure is
labelled with what it is a part of, a month's counts say what they count,
and a leaver's months after leaving say so whether or not the actual is in.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import jointbonus as jb
from jointbonus._version import __version__
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jointbonus.sharedtarget.explain import explain, render_explanation
from jointbonus.sharedtarget.report.statements import render_statement, render_statements
from jointbonus.sharedtarget.report.summary import render_summary
from jointbonus.sharedtarget.report.tables import render_calibration_table, render_table
from jointbonus.sharedtarget.report.transparency import render_transparency_report
from jointbonus.sharedtarget.results import LineStatus
from plans import weighted_plan

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "one_lifeboat" / "plan.toml"
EXAMPLES = ROOT / "examples"
MAIN = EXAMPLES / "digital_manufacturing" / "plan.toml"
ALPINE = EXAMPLES / "alpine_outfitters" / "plan.toml"
QUARTERLY = EXAMPLES / "digital_manufacturing_quarterly" / "plan.toml"
TWO_YEARS = EXAMPLES / "digital_manufacturing_two_years" / "plan.toml"
HARBOR = EXAMPLES / "harbor_software" / "plan.toml"
SCANLON = EXAMPLES / "gainsharing" / "scanlon.toml"
FIGURE = re.compile(r"^\s*(?P<label>\S.*?)\s{2,}(?P<rest>\S.*)$")


@pytest.fixture(scope="module")
def result() -> jb.Result:
    return jb.run(jb.load_plan(FIXTURE))


def cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    out, err = capsys.readouterr()
    return code, out, err


def rows(text: str) -> dict[str, str]:
    """The summary's figures: label -> the figure and its note."""
    found = {}
    for line in text.splitlines():
        match = FIGURE.match(line)
        if match:
            found[match["label"]] = " ".join(match["rest"].split())
    return found


# -- run: the summary first ---------------------------------------------------------


def test_run_prints_a_short_summary_and_the_next_commands(
    result: jb.Result, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "run", str(FIXTURE))
    assert (code, err) == (EXIT_OK, "")
    assert out.startswith(render_summary(result))
    assert len(out.splitlines()) < 40  # one screen, not 345 lines
    assert "Statements" not in out and "DM-S09" not in out  # the details wait for --details
    figures = rows(out)
    assert figures["Paid to date (USD)"] == "171,560.55"
    assert figures["earned by sales"] == "107,183.67 9 members"
    assert figures["earned by marketing"] == "64,376.88 6 members"
    assert Decimal("107183.67") + Decimal("64376.88") == Decimal("171560.55")
    assert figures["Cost on current pace (USD)"] == "205,872.65 66,990.31 over budget"
    assert "Pending: 2 months, nothing paid yet\n  2026-11 to 2026-12: no actual yet\n" in out
    assert (
        "- DM-M05 (marketing) left on 2026-05-20; 2026-05 is not paid (the plan does not pay "
        "leavers for their exit month)\n" in out
    )
    assert out.endswith(
        "Next:\n"
        "  the calibration, every month and goal, every member's statement:\n"
        f"    jointbonus run {FIXTURE} --details\n"
        "  one member's statement:\n"
        f"    jointbonus statements {FIXTURE} --member DM-M01\n"
        "  one member's month, every figure traced to the inputs:\n"
        f"    jointbonus explain {FIXTURE} --member DM-M01 --month 2026-10\n"
        "  write lines.csv, months.csv, payroll.csv, result.json and a manifest:\n"
        f"    jointbonus run {FIXTURE} --out results\n"
    )


def test_run_details_prints_what_run_printed_before(
    result: jb.Result, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "run", str(FIXTURE), "--details")
    assert code == EXIT_OK
    assert out.startswith(render_table(result))
    assert "--details" not in out.partition("Next:")[2]  # not offered twice


def test_run_out_says_what_it_wrote_where_and_how_to_check_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "results"
    code, out, _ = cli(capsys, "run", str(FIXTURE), "--out", str(folder))
    assert code == EXIT_OK
    assert (
        f"\nWrote 5 files to {folder}: lines.csv, months.csv, payroll.csv, result.json, "
        "manifest.json\n" in out
    )
    assert f"    jointbonus verify {FIXTURE} {folder}\n" in out
    assert "--out results" not in out


@pytest.mark.parametrize("format", ["json", "jsonl", "csv", "markdown"])
def test_machine_formats_are_not_changed_and_refuse_details(
    format: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "run", str(FIXTURE), "--format", format)
    assert code == EXIT_OK and "Next:" not in out and "Wrote" not in out
    code, out, err = cli(capsys, "run", str(FIXTURE), "--format", format, "--details")
    assert (code, out) == (EXIT_BAD_INPUT, "")
    assert f"--details applies to the table format; --format {format} prints everything" in err


def test_the_summary_names_caps_forfeits_and_held_back_amounts() -> None:
    harbor = render_summary(jb.run(jb.load_plan(HARBOR)))
    assert "- the caps cut 275.16 GBP (in 2026-07); what a cap cuts is not paid\n" in harbor
    assert "target bonus multiplier: 0.760342 (calibrated to the budget)" in harbor
    years = render_summary(jb.run(jb.load_plan(TWO_YEARS)))
    figures = rows(years)
    assert figures["less forfeited by leavers"] == "-675.81 held back from leavers, never paid"
    assert figures["Held back to date (USD)"] == "21,896.88 paid at each plan year's end"
    assert "- on current pace the plan's 24 months cost 70,842.76 USD (25.5%) more than" in years
    assert "; forfeits 522.48 USD held back\n" in years


def test_a_gainsharing_run_prints_its_summary_and_the_statements_on_request(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "run", str(SCANLON))
    assert code == EXIT_OK
    assert "\nPlan summary\n" in out and "\nYear-end settlement\n" in out
    assert "\nStatements\n" not in out and len(out.splitlines()) < 80
    assert f"  every member's statement:\n    jointbonus run {SCANLON} --details\n" in out
    code, out, _ = cli(capsys, "run", str(SCANLON), "--details")
    assert code == EXIT_OK and "\nStatements\n" in out
    code, _, err = cli(capsys, "explain", str(SCANLON), "--member", "x", "--month", "2026-01")
    assert code == EXIT_BAD_INPUT and "`jointbonus run --details` output" in err


# -- what a count counts, what a figure is part of --------------------------------------


def test_months_with_an_actual_are_not_called_paid() -> None:
    alpine = render_table(jb.run(jb.load_plan(ALPINE)))
    for line in (
        "Months with actuals                    4 of 12",
        "Months that paid money                  2 of 4",
        "Months the target was hit               1 of 4",
        "Months pending (an actual missing)           8",
    ):
        assert line in alpine
    assert "Months hit / paid / pending" not in alpine
    quarterly = jb.run(jb.load_plan(QUARTERLY))
    table = render_table(quarterly)
    assert "Quarters decided                        3 of 4" in table
    assert "Quarters the target was hit             3 of 3" in table
    assert "| Quarters that paid money | 3 of 3 |" in render_transparency_report(quarterly)


def test_a_month_below_target_that_pays_is_not_a_miss() -> None:
    alpine = jb.run(jb.load_plan(ALPINE))
    table = render_table(alpine)
    april = next(line for line in table.splitlines() if line.startswith("2026-04  731,129.79"))
    assert "below target" in april and "miss" not in april and april.endswith("7,276.31")
    january = next(line for line in table.splitlines() if line.startswith("2026-01  507,227.13"))
    assert " miss " in january
    assert "| 97.7% | below target | 0.7685 |" in render_transparency_report(alpine)
    explanation = render_explanation(explain(alpine, "AO-M01", "2026-04"), "table")
    assert "= 97.6851%; below target: under 100% of target, and the curve still pays" in (
        explanation
    )


def test_figures_say_what_they_are_part_of() -> None:
    plan = jb.load_plan(MAIN)
    table = render_calibration_table(plan, jb.calibrate(plan))
    figures = rows(table)
    assert figures["Pool at target per month, shared + functional (USD)"].startswith("20,314.73 (")
    assert figures["Cost on the norm path (USD)"] == (
        "86,686.51 (every month at the norm, not the mean over the historical months)"
    )
    assert "Chance the shared target pays" in table and "Chance of paying" not in table
    report = render_transparency_report(jb.run(plan))
    assert "| Pool at target per month, shared + functional (USD) | 20,314.73 (" in report
    alpine = jb.load_plan(ALPINE)
    plain = render_calibration_table(alpine, jb.calibrate(alpine))
    assert "Pool at target per month (EUR)" in plain and "Chance of paying" in plain


def test_the_chance_the_shared_target_pays_leaves_the_goals_out() -> None:
    """Beside functional goals the calibrate table's chance is the shared target's: the
    months of Digital Manufacturing read 17 of 36 (47.2%), though some goal pays in every
    scenario; a month ending a quarter of goals reads the same, not 100%; with the shared
    target and goals over quarters, a quarter's end reads the chance of its shared target
    (5 of 12 historical quarters) and the months inside it 0%."""

    def chances(name: str) -> dict[str, str]:
        plan = jb.load_plan(EXAMPLES / name / "plan.toml")
        table = render_calibration_table(plan, jb.calibrate(plan))
        assert "Chance the shared target pays" in table
        rows = [line.split() for line in table.splitlines() if re.match(r"2026-\d\d ", line)]
        return {row[0]: row[2] for row in rows}

    assert set(chances("digital_manufacturing").values()) == {"47.2%"}
    assert set(chances("digital_manufacturing_monthly_target_goals_per_quarter").values()) == {
        "47.2%"
    }
    quarterly = chances("digital_manufacturing_goals_per_quarter")
    assert quarterly["2026-03"] == quarterly["2026-12"] == "41.7%"
    assert quarterly["2026-01"] == quarterly["2026-02"] == "0.0%"


def test_explain_shows_the_actual_as_it_shows_the_target(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "explain", str(MAIN), "--member", "DM-S09", "--month", "2026-07")
    assert code == EXIT_OK
    assert "  Target      1209000.00  given by the plan" in out
    assert "  Actual      1225422.00  data/plan_months.csv:8" in out
    assert "actual / target = 1225422.00 / 1209000.00 = 101.3583%" in out


# -- a leaver's months after leaving -------------------------------------------------


def test_a_leaver_is_not_pending_after_leaving(
    result: jb.Result, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    leaver = {line.period.month: line for line in result.lines() if line.member_id == "DM-M05"}
    assert leaver[11].reason == leaver[6].reason == "left on 2026-05-20"
    assert leaver[11].status is LineStatus.ZERO  # pending months pay nobody who has left
    stayer = next(line for line in result.lines() if line.member_id == "DM-M01"
                  and str(line.period) == "2026-11")  # fmt: skip
    assert (stayer.status, stayer.reason) == (
        LineStatus.PENDING,
        "pending: no actual for 2026-11 yet",
    )
    statement = render_statement(result, "DM-M05")
    assert "(3 months with a payment, 0 pending)" in statement
    assert "| 2026-12 | 0 | 0.0000 |   |   | 0.00 | 0.00 | left on 2026-05-20 |" in statement
    folder = tmp_path / "out"
    assert main(["run", str(FIXTURE), "--out", str(folder)]) == EXIT_OK
    capsys.readouterr()
    lines = csv.DictReader(io.StringIO((folder / "lines.csv").read_text(encoding="utf-8")))
    december = next(r for r in lines if r["member_id"] == "DM-M05" and r["period"] == "2026-12")
    assert (december["status"], december["reason"]) == ("zero", "left on 2026-05-20")


# -- statements, help and version ------------------------------------------------------


def test_statements_prints_statements(
    result: jb.Result, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = cli(capsys, "statements", str(FIXTURE))
    assert code == EXIT_OK
    assert out.startswith("# Bonus statement: DM-M01\n")
    assert out.count("# Bonus statement: ") == len(result.plan.members) == 15
    assert out == "\n".join(text for _, text in render_statements(result))
    code, out, _ = cli(capsys, "statements", str(FIXTURE), "--report")
    assert code == EXIT_OK and out.startswith("# Transparency report: ")
    with pytest.raises(SystemExit) as exit_:
        main(["statements", str(FIXTURE), "--report", "--member", "DM-M01"])
    assert exit_.value.code == EXIT_BAD_INPUT
    assert "not allowed with argument" in capsys.readouterr().err


def test_version_and_help_read_as_written(capsys: pytest.CaptureFixture[str]) -> None:
    for flag in ("-V", "--version"):
        with pytest.raises(SystemExit) as exit_:
            main([flag])
        assert exit_.value.code == 0
        assert capsys.readouterr().out == f"jointbonus {__version__}\n"
    with pytest.raises(SystemExit):
        main(["targets", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "(in steps of 0.01%)" in help_text and "%%" not in help_text


def test_the_summary_names_gates_waiting_metrics_and_a_residual_outside_its_bound() -> None:
    paid = jb.run(weighted_plan())
    text = render_summary(paid)
    assert "- a gate closed sales/followup, marketing/leads, marketing/mqls in 2026-02\n" in text
    assert "  2026-05: no actual for 2026-05 yet (followup)\n  2026-06: no actual yet\n" in text
    outside = replace(paid.calibration, residual=Fraction(1), rounding_bound=Fraction(1, 2))
    assert (
        "- the calibration's residual after rounding, 0.010000 USD, is OUTSIDE its bound "
        "0.005000\n" in render_summary(replace(paid, calibration=outside))
    )
