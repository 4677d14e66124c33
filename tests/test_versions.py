"""A plan that changes from a month on: the reorganised Digital Manufacturing plan.

``examples/digital_manufacturing_reorg`` is ``examples/digital_manufacturing``
with a second version from July 2026: a steeper linear shared curve, a
steeper curve for marketing's goal and marketing wanting 60% of its expected
bonus from the shared target. The tests check that the change is neutral,
that each month is paid by its version and says so, that the cost risk
costs each month by its version, that a plan file's
mistakes in ``[[versions]]`` are located, and that a plan without versions
shows nothing of them.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections import Counter
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    Calibration,
    Month,
    Plan,
    PlanError,
    Result,
    RiskMethod,
    VersionSpec,
    build_plan,
    cost_risk,
    load_plan,
    pay,
    run,
    scenario_month_costs,
)
from jointbonus.cli import main
from jointbonus.sharedtarget.explain import explain
from jointbonus.sharedtarget.report.documents import minor_text, result_document
from jointbonus.sharedtarget.report.statements import render_statement
from jointbonus.sharedtarget.report.tables import render_table
from jointbonus.sharedtarget.report.transparency import render_transparency_report
from jointbonus.sharedtarget.report.writer import months_csv

ROOT = Path(__file__).resolve().parent.parent
REORG = ROOT / "examples" / "digital_manufacturing_reorg" / "plan.toml"
UNCHANGED = ROOT / "examples" / "digital_manufacturing" / "plan.toml"


@pytest.fixture(scope="module")
def reorg() -> Result:
    return run(load_plan(REORG))


def test_the_example_changes_from_july(reorg: Result) -> None:
    plan = reorg.plan
    assert [str(v.start) for v in plan.versions] == ["2026-07"]
    assert [v.number for v in reorg.versions] == [1, 2]
    assert [len(v.months) for v in reorg.versions] == [6, 6]
    later = plan.versions[0].design
    # The version is in force from its first month on, the plan's own design before it.
    assert plan.design_of(Month(2026, 6)) is plan
    assert plan.design_of(Month(2026, 7)) is later
    assert plan.design_of(Month(2026, 12)) is later
    assert [plan.version_of(Month(2026, m)) for m in (6, 7)] == [1, 2]
    assert "linear" in later.curve.describe()
    assert plan.curve.describe().startswith("step")
    # Carried over: the budget, the roster, the history, the months.
    assert later.budget == plan.budget
    assert later.members == plan.members
    assert later.norm.sample == plan.norm.sample


def test_the_change_is_neutral_and_the_year_costs_its_budget(reorg: Result) -> None:
    first, second = reorg.versions
    # Version 2 costs, in July to December, what version 1 was expected to cost in them
    # (exactly, before rounding; its expected cost after rounding is within its bound).
    july_on = [e for e in first.calibration.months if e.month in second.months]
    rounded_then = sum((e.expected_cost for e in july_on), Fraction(0))
    assert abs(second.neutral_cost - rounded_then) <= first.calibration.rounding_bound
    assert second.calibration.within_bound
    assert abs(second.expected_cost - second.neutral_cost) <= second.calibration.rounding_bound
    year = reorg.summary.expected_cost
    bound = first.calibration.rounding_bound + second.calibration.rounding_bound
    assert abs(year - reorg.plan.budget.amount) <= bound
    assert year == first.expected_cost + second.expected_cost


def test_the_later_version_solves_its_own_weights(reorg: Result) -> None:
    first, second = reorg.versions
    wanted = {w.team: w.wanted for w in second.calibration.weights}
    assert wanted == {"sales": Fraction(1, 2), "marketing": Fraction(3, 5)}
    assert all(w.expected == w.wanted for w in second.calibration.weights)
    assert [w.nominal for w in first.calibration.weights] != [
        w.nominal for w in second.calibration.weights
    ]


def test_each_month_is_paid_by_its_version(reorg: Result) -> None:
    plan = reorg.plan
    for number, version in enumerate(reorg.versions, 1):
        alone = run(
            build_plan_alone(version.design, version.calibration.scale, version.calibration)
        )
        for month in version.months:
            assert plan.version_of(month) == number
            ours = next(m for m in reorg.months if m.month == month)
            theirs = next(m for m in alone.months if m.month == month)
            assert (ours.factor, ours.pool, ours.paid) == (theirs.factor, theirs.pool, theirs.paid)


def build_plan_alone(design: Plan, scale: Fraction, calibration: Calibration) -> Plan:
    """``design`` as a plan of its own at the version's scale and nominal weights."""
    terms = tuple(
        replace(t, shared_weight=w.nominal, expected_split=None)
        for t, w in zip(design.functional.terms, calibration.weights, strict=True)
    )
    return replace(design, fixed_scale=scale, functional=replace(design.functional, terms=terms))


def test_the_outputs_say_which_version_paid_each_month(reorg: Result) -> None:
    document = result_document(reorg, lines=False)
    assert [m["version"] for m in document["months"]] == [1] * 6 + [2] * 6
    assert [v["from"] for v in document["versions"]] == ["2026-01", "2026-07"]
    assert document["versions"][1]["calibration"]["within_bound"] is True
    rows = list(csv.DictReader(io.StringIO(months_csv(reorg))))
    assert [r["version"] for r in rows] == ["1"] * 6 + ["2"] * 6
    table = render_table(reorg)
    assert "Plan versions" in table
    assert "Version" in table.split("\nMonths\n", 1)[1].splitlines()[0]
    statement = render_statement(reorg, "DM-S01")
    assert "2026-07 to 2026-12 by version 2 (curve: linear" in statement
    report = render_transparency_report(reorg)
    assert "## Plan versions" in report
    assert "| 2 (from 2026-07) | 2026-07 to 2026-12 |" in report


def test_explain_names_the_version_and_its_calibration(reorg: Result) -> None:
    july = explain(reorg, "DM-S09", "2026-07")
    step = next(s for s in july.steps if s.key == "version")
    assert step.figures[0].value == "2"
    assert "in force from 2026-07" in step.figures[0].how
    factor = next(s for s in july.steps if s.key == "factor")
    assert "linear" in " ".join(f.how for f in factor.figures)
    march = explain(reorg, "DM-S01", "2026-03")
    assert next(s for s in march.steps if s.key == "version").figures[0].value == "1"


def test_a_plan_without_versions_shows_none_of_them() -> None:
    result = run(load_plan(UNCHANGED))
    assert result.versions == ()
    document = result_document(result, lines=False)
    assert "versions" not in document
    assert all("version" not in m for m in document["months"])
    assert months_csv(result).splitlines()[0].split(",")[:2] == ["period", "target"]
    assert "Plan versions" not in render_transparency_report(result)
    assert "Plan versions" not in render_statement(result, "DM-S01")


# -- mistakes in [[versions]] ----------------------------------------------------------


def _with_versions(tmp_path: Path, versions: str) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(REORG.parent, folder)
    text = (folder / "plan.toml").read_text(encoding="utf-8")
    text = text[: text.index("[[versions]]")] + versions
    (folder / "plan.toml").write_text(text, encoding="utf-8")
    return folder / "plan.toml"


def _problems(path: Path) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return [str(p) for p in caught.value.problems]


def _line(path: Path, text: str) -> int:
    """The last line of ``path`` that starts with ``text`` (the versions come last)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [i for i, line in enumerate(lines, 1) if line.strip().startswith(text)][-1]


def test_what_cannot_change_mid_plan_is_refused_where_it_is_written(tmp_path: Path) -> None:
    path = _with_versions(
        tmp_path,
        '[[versions]]\nfrom = "2026-07"\ncurrency = "EUR"\n'
        '[versions.funding]\nstyle = "individual"\nholdback = 0.1\n',
    )
    found = _problems(path)
    expected = "expected no change mid-plan: this setting holds for the whole plan"
    assert found[0].startswith(
        f"plan.toml:{_line(path, 'currency')}: versions[0].currency: got 'EUR', {expected}"
    )
    assert found[1].startswith(
        f"plan.toml:{_line(path, 'style')}: versions[0].funding.style: got 'individual', "
    )
    assert found[2].startswith(f"plan.toml:{_line(path, 'holdback')}: versions[0].funding.holdback")


def test_versions_start_on_a_later_plan_month_in_order(tmp_path: Path) -> None:
    path = _with_versions(
        tmp_path,
        '[[versions]]\nfrom = "2026-01"\n\n[[versions]]\nfrom = "2026-09"\n\n'
        '[[versions]]\nfrom = "2026-08"\n\n[[versions]]\nfrom = "2027-02"\n',
    )
    lines = [i for i, line in enumerate(path.read_text().splitlines(), 1) if "from =" in line]
    assert _problems(path) == [
        f"plan.toml:{lines[0]}: versions[0].from: got '2026-01', expected a month of the plan "
        "after its first (2026-02 to 2026-12)",
        f"plan.toml:{lines[2]}: versions[2].from: got '2026-08', expected a month after "
        "2026-09: versions are in month order",
        f"plan.toml:{lines[3]}: versions[3].from: got '2027-02', expected a month of the plan "
        "after its first (2026-02 to 2026-12)",
    ]


def test_a_versions_settings_are_checked_as_a_plans(tmp_path: Path) -> None:
    path = _with_versions(
        tmp_path,
        '[[versions]]\nfrom = "2026-07"\n[versions.caps]\nper_month = "-3"\n'
        "[versions.teams.marketing]\nexpected_shared_split = 0.6\n"
        "[[versions.teams.marketing.goals]]\n"
        'metric = "leads_accepted"\nweight = 0.8\ncurve = { type = "step" }\n',
    )
    assert _problems(path) == [
        f"plan.toml:{_line(path, 'per_month')}: versions[0].caps.per_month: got '-3', "
        'expected an amount above 0, such as "2000.00"'
    ]
    path = _with_versions(
        tmp_path / "2",
        '[[versions]]\nfrom = "2026-07"\n'
        "[versions.teams.marketing]\nexpected_shared_split = 0.6\n"
        "[[versions.teams.marketing.goals]]\n"
        'metric = "leads_accepted"\nweight = 0.8\ncurve = { type = "step" }\n',
    )
    (found,) = _problems(path)
    assert found.startswith("plan.toml:")
    assert "versions[0].teams.marketing.goals: got 'weights adding to 0.8000'" in found


def test_a_version_may_not_change_which_goals_there_are(tmp_path: Path) -> None:
    path = _with_versions(
        tmp_path,
        '[[versions]]\nfrom = "2026-07"\n'
        "[versions.teams.marketing]\nexpected_shared_split = 0.6\n"
        "[[versions.teams.marketing.goals]]\n"
        'metric = "sal_to_sql"\nweight = 1\ncurve = { type = "step" }\n',
    )
    (found,) = _problems(path)
    assert found == (
        f"plan.toml:{_line(path, '[versions.teams.marketing]')}: versions[0].teams: got "
        "'sales/followed_up_48h, sales/sal_to_sql, marketing/sal_to_sql', expected the plan's "
        "goals (sales/followed_up_48h, sales/sal_to_sql, marketing/leads_accepted), in that "
        "order: a version may change each goal's weight, curve and gate and each team's "
        "shared weight or split, not which goals there are"
    )


def test_a_yearly_cap_runs_across_versions(tmp_path: Path) -> None:
    # Version 2 caps the plan year from July: what January to June paid counts against it.
    path = _with_versions(
        tmp_path,
        REORG.read_text(encoding="utf-8")[REORG.read_text(encoding="utf-8").index("[[versions]]") :]
        + '\n[versions.caps]\nper_year = "12000.00"\n',
    )
    result = run(load_plan(path))
    first, second = result.versions
    assert second.design.functional.caps.per_year == 1200000
    assert first.design.functional.caps.per_year is None
    assert second.calibration.within_bound
    assert abs(second.expected_cost - second.neutral_cost) <= second.calibration.rounding_bound
    bound = first.calibration.rounding_bound + second.calibration.rounding_bound
    assert abs(result.summary.expected_cost - result.plan.budget.amount) <= bound
    cut = 0
    for position, member in enumerate(result.plan.members):
        paid = 0  # the member's year to date, across both versions
        for month in result.months:
            line = month.lines[position]
            total, capped = line.total, line.capped  # minor units
            if month.month in second.months:
                assert paid + total <= 1200000, (member.id, month.month)
                if capped:  # cut to the room left by the year so far, whichever version paid it
                    assert total == max(1200000 - paid, 0)
            cut += capped
            paid += total
    assert cut  # the cap binds: January to June count against it
    july = explain(result, "DM-S01", "2026-07")
    caps = next(s for s in july.steps if s.key == "caps")
    assert "version 2's (in force from 2026-07) cap" in caps.figures[1].how
    statement = render_statement(result, "DM-S01")
    assert "12,000.00 USD a plan year from 2026-07 (version 2)" in statement
    assert "whatever version paid it" in render_table(result)


def test_the_python_api_names_the_version_and_argument() -> None:
    plan = load_plan(UNCHANGED)
    with pytest.raises(PlanError) as caught:
        build_plan(
            name="Demo",
            currency="USD",
            start="2026-01",
            members=[m.rows[0] for m in plan.members[:2]],
            history=[],
            curve=plan.curve,
            budget="100",
            versions=[VersionSpec("2026-07")],
        )
    assert any(p.field == "history" for p in caught.value.problems)


def test_the_command_line_runs_the_example(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert main(["run", str(REORG), "--out", str(out), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert [v["version"] for v in document["versions"]] == [1, 2]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest
    bad = _with_versions(tmp_path, '[[versions]]\nfrom = "2026-13"\n')
    assert main(["run", str(bad)]) == 2
    assert "versions[0].from" in capsys.readouterr().err


# -- the cost risk: each month by the version in force for it --------------------------


def table_mean(table: Counter[int]) -> Fraction:
    return Fraction(sum(cost * count for cost, count in table.items()), sum(table.values()))


def test_the_cost_risk_costs_each_month_by_its_version(reorg: Result) -> None:
    plan, first = reorg.plan, reorg.calibration
    tables = scenario_month_costs(plan, first)
    expected = {
        e.month: e.expected_cost
        for version in reorg.versions
        for e in version.calibration.months
        if e.month in version.months
    }
    months = [m.month for m in plan.months]
    # Each month's table is the version in force's: its mean is that version's expected cost.
    assert [table_mean(t) for t in tables] == [expected[m] for m in months]
    assert sum(map(table_mean, tables)) == reorg.summary.expected_cost


def test_the_year_given_the_months_paid_starts_from_what_the_versions_paid(
    reorg: Result,
) -> None:
    plan = reorg.plan
    risk = cost_risk(plan, reorg.calibration, years=200)
    given_paid = risk.given_paid
    assert given_paid is not None
    # Months 7 to 10 were paid by version 2: costed by version 1 they would be more.
    assert given_paid.paid == pay(plan, reorg.calibration).summary.paid_to_date
    assert given_paid.paid == reorg.summary.paid_to_date
    assert risk.expected_cost == reorg.summary.expected_cost
    second = reorg.versions[1]
    assert given_paid.method is RiskMethod.EXACT
    assert set(given_paid.drawn_months) <= set(second.months)
    pending = sum(
        (e.expected_cost for e in second.calibration.months if e.month in given_paid.drawn_months),
        Fraction(0),
    )
    assert given_paid.mean == given_paid.paid + pending
    # The versions already calibrated give the same risk.
    assert cost_risk(plan, reorg.calibration, years=200, versions=reorg.versions) == risk


def test_simulate_shows_what_the_versions_paid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", str(REORG), "--years", "200", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)["risk"]
    result = run(load_plan(REORG))
    currency = result.plan.currency
    given = document["given_paid"]
    assert given["paid"] == str(currency.from_minor(result.summary.paid_to_date))
    assert document["expected_cost"] == minor_text(currency, result.summary.expected_cost)
    assert main(["simulate", str(REORG), "--years", "200"]) == 0
    table = capsys.readouterr().out
    assert f"Paid, fixed ({currency.code})" in table
    assert currency.format(result.summary.paid_to_date) in table
    assert "Curve from 2026-07   linear" in table


def test_calibrate_shows_every_versions_calibration(
    reorg: Result, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calibrate", str(REORG), "--format", "json"]) == 0
    calibrated = json.loads(capsys.readouterr().out)
    assert main(["run", str(REORG), "--format", "json"]) == 0
    paid = json.loads(capsys.readouterr().out)
    # The one versions document, as `run` gives it.
    assert calibrated["versions"] == paid["versions"]
    assert [v["version"] for v in calibrated["versions"]] == [1, 2]
    second = calibrated["versions"][1]
    assert second["months"] == [str(m) for m in reorg.versions[1].months]
    assert "linear" in second["curve"]
    assert second["calibration"]["within_bound"] is True

    assert main(["calibrate", str(REORG), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["version"] for r in rows] == ["1"] * 6 + ["2"] * 6
    july = next(r for r in rows if r["period"] == "2026-07")
    second_july = next(e for e in reorg.versions[1].calibration.months if str(e.month) == "2026-07")
    assert july["expected_cost"] == minor_text(reorg.plan.currency, second_july.expected_cost)

    year = minor_text(reorg.plan.currency, reorg.summary.expected_cost)
    for shown in ("table", "markdown"):
        assert main(["calibrate", str(REORG), "--format", shown]) == 0
        text = capsys.readouterr().out
        assert "## Plan versions" in text
        assert "| 2 (from 2026-07) | 2026-07 to 2026-12 | linear" in text
        assert f"each month by the version in force for it: {year} USD" in text


def test_calibrate_shows_no_versions_for_a_plan_without_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for shown in ("table", "markdown", "csv", "json"):
        assert main(["calibrate", str(UNCHANGED), "--format", shown]) == 0
        text = capsys.readouterr().out
        assert "version" not in text.lower()
