"""Plan versions beside goals over a period longer than the shared one.

Worked on the example whose goals run over the quarter beside a monthly shared target
(``digital_manufacturing_monthly_target_goals_per_quarter``) and on the two-year example
(monthly goals, a cap per plan year, a holdback). A version starts at the first month of
a goal period, of the goals in force before it and of its own, so each goal period is
paid by one design; a version may change the goals' period under that rule.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from jointbonus import (
    PlanError,
    explain,
    load_plan,
    render_statement,
    render_table,
    result_document,
    run,
)
from jointbonus.cli import main
from jointbonus.core.plan_periods import PeriodLength

ROOT = Path(__file__).resolve().parent.parent
QUARTER_GOALS = ROOT / "examples" / "digital_manufacturing_monthly_target_goals_per_quarter"
TWO_YEARS = ROOT / "examples" / "digital_manufacturing_two_years"
CURVE = 'curve = { type = "linear", points = [[0.95, 0.5], [1.0, 1.0], [1.1, 2.0]] }'
GOALS = """
[versions.teams.sales]
expected_shared_split = 0.5
[[versions.teams.sales.goals]]
metric = "followed_up_48h"
weight = 0.5
period = "{period}"
curve = {{ type = "step", threshold = 1.00 }}
[[versions.teams.sales.goals]]
metric = "sal_to_sql"
weight = 0.5
period = "{period}"
curve = {{ type = "linear", points = [[0.9, 0.5], [1.0, 1.0], [1.15, 1.5]] }}
[versions.teams.marketing]
expected_shared_split = 0.5
[[versions.teams.marketing.goals]]
metric = "leads_accepted"
weight = 1
period = "{period}"
curve = {{ type = "linear", points = [[0.8, 0.5], [1.0, 1.0], [1.2, 1.5]] }}
"""


def _versioned(
    tmp_path: Path, example: Path, start: str, *, goals: str | None = None, base: str = ""
) -> Path:
    """``example`` with a version from ``start`` (a steeper shared curve, or goals over
    ``goals``), and every goal of the plan itself over ``base`` when given."""
    folder = tmp_path / f"{example.name}-{start}-{goals}-{base}"
    shutil.copytree(example, folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    if base:
        text = re.sub(r'\nperiod = "quarter"[^\n]*', "", text)
        text = re.sub(r"(\nweight = [0-9.]+)", rf'\1\nperiod = "{base}"', text)
    text += f'\n[[versions]]\nfrom = "{start}"\n'
    text += GOALS.format(period=goals) if goals else f"[versions.shared]\n{CURVE}\n"
    plan.write_text(text, encoding="utf-8")
    return plan


def _refusal(plan: Path) -> str:
    with pytest.raises(PlanError) as caught:
        load_plan(plan)
    return str(caught.value)


def test_a_version_from_a_quarters_first_month_pays_each_quarter_by_one_design(
    tmp_path: Path,
) -> None:
    plan = load_plan(_versioned(tmp_path, QUARTER_GOALS, "2026-04"))
    result = run(plan)
    first, second = result.versions
    assert [p.label for p in first.goal_periods] == ["2026-Q1 (2026-01 to 2026-03)"]
    assert [p.label.split()[0] for p in second.goal_periods] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    # The first version is the plan itself: its quarter is paid as the plan without versions
    # pays it, to the cent.
    alone = run(load_plan(QUARTER_GOALS / "plan.toml"))
    q1 = {m.month for m in result.months[:3]}
    assert [line for line in result.lines() if line.period in q1] == [
        line for line in alone.lines() if line.period in q1
    ]
    # The change is neutral: what the second version costs from April is what the first
    # was expected to cost in those months.
    assert second.calibration.scale != first.calibration.scale
    assert abs(second.expected_cost - second.neutral_cost) <= second.calibration.rounding_bound
    assert abs(result.summary.expected_cost - plan.budget.amount) <= sum(
        v.calibration.rounding_bound for v in result.versions
    )
    june = result.months[5]
    assert plan.version_of(june.month) == 2 and june.goals


def test_a_version_inside_a_quarter_is_refused_naming_the_quarter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = _versioned(tmp_path, QUARTER_GOALS, "2026-05")
    message = _refusal(plan)
    assert (
        "versions[0].from: got '2026-05', expected the first month of a goal period: the goals "
        "in force before it run over the quarter beside a monthly shared target, and 2026-05 "
        "falls inside 2026-Q2 (2026-04 to 2026-06), whose goals one design pays (2026-04 or "
        "2026-07 would start one)"
    ) in message
    assert main(["run", str(plan)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"plan\.toml:\d+: versions\[0\]\.from: got '2026-05'", err)
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("base", "goals", "start"),
    [("month", "quarter", "2026-04"), ("quarter", "month", "2026-07")],
)
def test_a_version_may_change_the_goals_period_at_a_quarters_first_month(
    tmp_path: Path, base: str, goals: str, start: str
) -> None:
    plan = load_plan(_versioned(tmp_path, QUARTER_GOALS, start, goals=goals, base=base))
    before, after = plan.goal_length, plan.versions[0].design.goal_length
    assert (before.value, after.value) == (base, goals)
    result = run(plan)
    first, second = result.versions
    assert abs(second.expected_cost - second.neutral_cost) <= second.calibration.rounding_bound
    quarters = first if base == "quarter" else second
    assert quarters.goal_periods and all(
        p.end in quarters.months and p.months[0] in quarters.months for p in quarters.goal_periods
    )
    # A goal is paid every month by the monthly design and at each quarter's end by the other.
    for j, month in enumerate(result.months):
        length = plan.design_of(month.month).goal_length
        if month.goals and length is PeriodLength.QUARTER:
            assert j % 3 == 2, month.month


def test_a_version_over_the_plan_year_starts_a_plan_year(tmp_path: Path) -> None:
    inside = _versioned(tmp_path, QUARTER_GOALS, "2026-04", goals="plan_year", base="month")
    assert (
        "the goals it sets run over the plan year beside a monthly shared target, and 2026-04 "
        "falls inside 2026 (2026-01 to 2026-12), whose goals one design pays (no month of the "
        "plan after its first starts one)"
    ) in _refusal(inside)
    late = _versioned(tmp_path, TWO_YEARS, "2027-04", goals="plan_year")
    assert "falls inside 2027 (2027-01 to 2027-12)" in _refusal(late)
    assert "(2027-01 would start one)" in _refusal(late)
    plan = load_plan(_versioned(tmp_path, TWO_YEARS, "2027-01", goals="plan_year"))
    result = run(plan)
    first, second = result.versions
    assert first.goal_periods == ()
    assert [p.label for p in second.goal_periods] == ["2027 (2027-01 to 2027-12)"]
    # The yearly cap: no member passes it in 2027, the plan year the version pays.
    cap = 1400000
    for member in plan.members:
        paid = sum(
            round(line.total * 100)
            for line in result.lines()
            if line.member_id == member.id and line.period.year == 2027
        )
        assert paid <= cap, member.id
    assert abs(second.expected_cost - second.neutral_cost) <= second.calibration.rounding_bound
    # 2026's goals are paid month by month, 2027's at the plan year's end (still pending).
    assert result.months[0].goals and not any(m.goals for m in result.months[12:])


def test_the_views_say_which_version_paid_each_goal_period(tmp_path: Path) -> None:
    result = run(load_plan(_versioned(tmp_path, QUARTER_GOALS, "2026-04")))
    table = render_table(result)
    assert "| 1 (from 2026-01) | 2026-01 to 2026-03 (goals over 2026-Q1) |" in table
    assert "| 2 (from 2026-04) | 2026-04 to 2026-12 (goals over 2026-Q2, 2026-Q3, 2026-Q4) |" in (
        table
    )
    statement = render_statement(result, "DM-M01")
    assert "Your months are paid: 2026-01 to 2026-03 (goals over 2026-Q1) by version 1" in statement
    versions = result_document(result)["versions"]
    assert versions[1]["goal_periods"] == [
        "2026-Q2 (2026-04 to 2026-06)",
        "2026-Q3 (2026-07 to 2026-09)",
        "2026-Q4 (2026-10 to 2026-12)",
    ]
    told = explain(result, "DM-M01", "2026-05")
    assert "it pays the goals over 2026-Q2 (2026-04 to 2026-06) at its end" in (
        told.figure("version", "version").how
    )
    # A plan whose goals run month by month says nothing of goal periods.
    plain = run(load_plan(_versioned(tmp_path, TWO_YEARS, "2026-07")))
    assert "goals over" not in render_table(plain)
    assert all("goal_periods" not in v for v in result_document(plain)["versions"])


def test_a_change_of_the_goals_period_reads_the_plans_historical_months(tmp_path: Path) -> None:
    """History that starts inside a quarter: the quarterly goals would read fewer historical
    months than the monthly ones, and calibration would compare the designs on different
    scenarios; the version is refused at its teams, saying why."""
    plan = _versioned(tmp_path, QUARTER_GOALS, "2026-04", goals="quarter", base="month")
    history = plan.parent / "data" / "history.csv"
    rows = history.read_text(encoding="utf-8").splitlines(keepends=True)
    history.write_text(rows[0] + "".join(rows[2:]), encoding="utf-8")
    assert (
        "versions[0].teams: got '33 historical months', expected goals whose metrics have "
        "history in the same 35 months as the plan's: a version may not change the history "
        "calibration reads (goals over the quarter read only the historical quarters, aligned "
        "with the plan's, that history holds whole)"
    ) in _refusal(plan)


@pytest.mark.parametrize(
    ("base", "goals", "whose"),
    [("quarter", "month", "in force before it"), ("month", "quarter", "it sets")],
)
def test_a_change_of_the_goals_period_inside_a_quarter_is_refused_either_way(
    tmp_path: Path, base: str, goals: str, whose: str
) -> None:
    """From quarterly goals to monthly ones, the quarter the version falls inside would be
    paid by two designs; from monthly goals to quarterly ones, the version's first quarter
    would start before it."""
    plan = _versioned(tmp_path, QUARTER_GOALS, "2026-05", goals=goals, base=base)
    assert (
        f"versions[0].from: got '2026-05', expected the first month of a goal period: the "
        f"goals {whose} run over the quarter beside a monthly shared target, and 2026-05 falls "
        "inside 2026-Q2 (2026-04 to 2026-06), whose goals one design pays (2026-04 or 2026-07 "
        "would start one)"
    ) in _refusal(plan)
