"""A functional goal's own period: month by month (the default) or over the shared period.

Worked on the quarterly-goals example with every goal given ``period = "quarter"``:
each goal's attainment is its quarter's actuals summed over its targets summed, paid
with the shared part in the quarter's last month; the months inside pay nothing.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
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
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.calibration import plan_fingerprint

ROOT = Path(__file__).resolve().parent.parent
QUARTERLY_GOALS = ROOT / "examples" / "digital_manufacturing_quarterly_goals"


def _goals_given(tmp_path: Path, period: str) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(QUARTERLY_GOALS, folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    for weight in ("weight = 0.5\n", "weight = 1\n"):
        text = text.replace(weight, f'{weight}period = "{period}"\n')
    plan.write_text(text, encoding="utf-8")
    return plan


def test_a_monthly_goal_period_is_the_default_to_the_fingerprint(tmp_path: Path) -> None:
    default = load_plan(QUARTERLY_GOALS / "plan.toml")
    monthly = load_plan(_goals_given(tmp_path, "month"))
    assert all(goal.period is PeriodLength.MONTH for goal in monthly.goals)
    assert plan_fingerprint(monthly) == plan_fingerprint(default)
    assert "period" not in repr(monthly.goals[0])
    assert list(run(monthly).lines()) == list(run(default).lines())


@pytest.fixture(scope="module")
def quarterly(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _goals_given(tmp_path_factory.mktemp("quarterly"), "quarter")


def test_goals_over_the_quarter_pay_at_its_end_on_its_sums(quarterly: Path) -> None:
    plan = load_plan(quarterly)
    assert all(goal.period is PeriodLength.QUARTER for goal in plan.goals)
    assert plan_fingerprint(plan) != plan_fingerprint(load_plan(QUARTERLY_GOALS / "plan.toml"))
    result = run(plan)
    calibration = result.calibration
    assert calibration.within_bound  # neutral: the expected cost is the budget
    for month in result.months:
        lines = [line for line in result.lines() if line.period == month.month]
        # Conservation: the lines pay the month's pools, nothing more.
        assert sum(plan.currency.to_minor(line.total) for line in lines) == month.paid
        ends = (month.month.index() - plan.months[0].month.index()) % 3 == 2
        if not ends:
            assert month.paid == 0
    march = result.months[2]
    leads = next(g for g in march.goals if g.goal.metric == "leads_accepted")
    metric = next(m for m in plan.functional.metrics if m.name == "leads_accepted")
    inside = metric.months[0:3]
    assert leads.target == sum((m.target for m in inside), Fraction(0))
    assert leads.actual == sum((m.actual or Decimal(0) for m in inside), Decimal(0))
    assert leads.attainment == Fraction(leads.actual) / leads.target
    assert leads.pool > 0


def test_splitting_a_quarters_goal_actuals_differently_changes_no_pay(
    quarterly: Path, tmp_path: Path
) -> None:
    plan = load_plan(quarterly)
    folder = tmp_path / "moved"
    shutil.copytree(quarterly.parent, folder)
    months = folder / "data" / "plan_months.csv"
    rows = months.read_text(encoding="utf-8").splitlines()
    header = rows[0].split(",")
    column = header.index("leads_accepted_actual")
    january, february = rows[1].split(","), rows[2].split(",")
    moved = 7
    january[column] = str(int(january[column]) + moved)
    february[column] = str(int(february[column]) - moved)
    rows[1], rows[2] = ",".join(january), ",".join(february)
    months.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before, after = run(plan), run(load_plan(folder / "plan.toml"))
    assert [line.total for line in after.lines()] == [line.total for line in before.lines()]
    # The same move in a plan whose goals are monthly does change its pay.
    monthly = tmp_path / "monthly"
    shutil.copytree(QUARTERLY_GOALS, monthly)
    shutil.copy(months, monthly / "data" / "plan_months.csv")
    moved_monthly = run(load_plan(monthly / "plan.toml"))
    original = run(load_plan(QUARTERLY_GOALS / "plan.toml"))
    assert [line.total for line in moved_monthly.lines()] != [
        line.total for line in original.lines()
    ]


def test_a_goal_period_inside_the_shared_one_is_located(tmp_path: Path) -> None:
    plan = _goals_given(tmp_path, "quarter")
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('period = "quarter"                 #', 'period = "plan_year" #'))
    with pytest.raises(PlanError) as caught:
        load_plan(plan)
    message = str(caught.value)
    assert "teams.sales.goals[0].period" in message
    assert "the shared target's period 'plan_year', or a longer one" in message
    assert "never over one that lies inside one" in message


def test_goals_of_one_plan_run_over_one_period(tmp_path: Path) -> None:
    plan = _goals_given(tmp_path, "quarter")
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('weight = 1\nperiod = "quarter"', 'weight = 1\nperiod = "month"'))
    with pytest.raises(PlanError) as caught:
        load_plan(plan)
    message = str(caught.value)
    assert "teams.marketing.goals[0].period" in message
    assert "every goal of a plan runs over the same period" in message
    assert "plan.toml" in message


def _advanced_and_capped(tmp_path: Path) -> Path:
    """The goals-per-quarter plan with an advance of half, a shared curve paying from half
    the quarter's target, and a cap per month and a cap per plan year that both bind."""
    plan = _goals_given(tmp_path, "quarter")
    text = plan.read_text(encoding="utf-8")
    text = text.replace(
        'curve = { type = "step", threshold = 1.00 }   # hit 100%',
        'advance = 0.5\ncurve = { type = "linear", points = [[0.5, 0], [1, 1], [1.2, 1.5]] } #',
        1,
    )
    plan.write_text(text + '\n[caps]\nper_month = "3500.00"\nper_year = "9800.00"\n', "utf-8")
    return plan


def test_goals_over_the_quarter_take_an_advance_and_caps(tmp_path: Path) -> None:
    """DM-M01 over 2026: in each quarter February (May, August) advances the shared part,
    the quarter's last month pays the shared part and the goals cut by the caps, less the
    advances; the advances and the true-up add up to the quarter's pay.

    - Q1: 2,354.33 shared + 2,923.13 leads_accepted = 5,277.46, cut to the cap per month
      3,500.00 (1,777.46 capped); advanced 588.35 in February, true-up 2,911.65.
    - Q2: 2,488.53 + 3,371.87 = 5,860.40, cut to 3,500.00; advanced 775.20, true-up
      2,724.80.
    - Q3: 2,351.90 + 2,955.85 = 5,307.75, cut to the 2,800.00 the cap per year leaves
      (9,800.00 less the 7,000.00 of Q1 and Q2); advanced 715.73, true-up 2,084.27.
    - Q4: the year is full at 9,800.00, so October advances nothing.
    """
    plan = load_plan(_advanced_and_capped(tmp_path))
    assert plan.advance == Fraction(1, 2)
    result = run(plan)
    calibration = result.calibration
    assert calibration.paths == calibration.scenarios == 12
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound
    without = replace(plan, advance=None)
    assert run(without).calibration == calibration  # an advance costs nothing
    lines = [line for line in result.lines() if line.member_id == "DM-M01"]
    cents = {str(line.period): int(line.total * 100) for line in lines}
    capped = {str(line.period): int(line.capped * 100) for line in lines}
    assert [cents[m] for m in ("2026-01", "2026-02", "2026-03")] == [0, 58835, 291165]
    assert capped["2026-03"] == 177746
    assert [cents[m] for m in ("2026-04", "2026-05", "2026-06")] == [0, 77520, 272480]
    assert capped["2026-06"] == 236040
    assert [cents[m] for m in ("2026-07", "2026-08", "2026-09")] == [0, 71573, 208427]
    assert capped["2026-09"] == 250775
    assert cents["2026-10"] == 0
    assert sum(cents.values()) == 980000
    plain = {
        str(line.period): int(line.total * 100)
        for line in run(without).lines()
        if line.member_id == "DM-M01"
    }
    for first, last in (("2026-01", "2026-03"), ("2026-04", "2026-06"), ("2026-07", "2026-09")):
        months = [m for m in cents if first <= m <= last]
        assert sum(cents[m] for m in months) == plain[last]  # advances + true-up = its pay
    concepts = (ROOT / "docs" / "concepts.md").read_text(encoding="utf-8")
    for figure in (
        "2,354.33 + 2,923.13 = 5,277.46",
        "588.35 in February | 2,911.65",
        "775.20 in May | 2,724.80",
        "2,351.90 + 2,955.85 = 5,307.75",
        "715.73 in August | 2,084.27",
    ):
        assert figure in concepts
    true_up = next(line for line in lines if str(line.period) == "2026-03")
    assert true_up.kind == "true-up"
    assert "its pay (its shared part and goals) 3,500.00 less the advances paid in it 588.35" in (
        true_up.reason
    )


def test_the_goals_per_quarter_example_pays_what_its_readme_and_the_docs_say() -> None:
    folder = ROOT / "examples" / "digital_manufacturing_goals_per_quarter"
    plan = load_plan(folder / "plan.toml")
    result = run(plan)
    assert result.calibration.scale * plan.currency.scale // 1 == 6566016
    january, february, march = result.months[:3]
    assert january.paid == february.paid == 0 and not january.goals
    leads = next(g for g in march.goals if g.goal.metric == "leads_accepted")
    assert (leads.target, leads.actual) == (375, 390)
    assert leads.factor == Fraction(11, 10)
    assert leads.pool == 980819
    assert march.paid == 5805680
    readme = (folder / "README.md").read_text(encoding="utf-8")
    concepts = (ROOT / "docs" / "concepts.md").read_text(encoding="utf-8")
    for figure in ("9,808.19", "58,056.80", "65,660.17"):
        assert figure in readme
        assert figure in concepts
    note = next(line for line in result.lines() if line.period == january.month).reason
    assert "its shared target and goals are paid at its end, 2026-03" in note


def test_a_version_changing_the_goals_period_starts_at_a_quarters_first_month(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "reorg"
    shutil.copytree(ROOT / "examples" / "digital_manufacturing_reorg", folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    base, version = text.split("[[versions]]")
    base = base.replace(
        "threshold = 1.00 }   # hit 100% of target", 'threshold = 1.00 }\nperiod = "quarter" #'
    )
    for weight in ("weight = 0.5\n", "weight = 1\n"):
        base = base.replace(weight, f'{weight}period = "quarter"\n')
    plan.write_text(base + "[[versions]]" + version, encoding="utf-8")
    at_a_quarter = load_plan(plan)  # from 2026-07: the goals are monthly from Q3 on
    assert at_a_quarter.goals_over_period
    assert not at_a_quarter.versions[0].design.goals_over_period
    result = run(at_a_quarter)
    july = result.months[6]
    assert july.goals and july.paid > 0  # monthly goals again
    plan.write_text(
        base + "[[versions]]" + version.replace('from = "2026-07"', 'from = "2026-08"'),
        encoding="utf-8",
    )
    with pytest.raises(PlanError) as caught:
        load_plan(plan)
    assert "versions[0].from" in str(caught.value)
    assert "whose months before it would have their goals paid twice or never" in str(caught.value)


def test_the_views_say_a_goal_over_the_quarter_is_paid_at_its_end(quarterly: Path) -> None:
    result = run(load_plan(quarterly))
    table = render_table(result)
    assert "in 2026-Q1" in table
    statement = render_statement(result, "DM-M01")
    assert "measured and paid over the quarter the same way" in statement
    assert "| in 2026-Q1 |" in statement
    goals = result_document(result)["plan"]["goals"]
    assert {goal["period"] for goal in goals} == {"quarter"}


def test_explain_says_a_pool_at_the_periods_end_is_shared_by_the_weight_over_it(
    tmp_path: Path,
) -> None:
    over_quarter = explain(run(load_plan(_goals_given(tmp_path, "quarter"))), "DM-M01", "2026-03")
    period = "the total weight over 2026-Q1 (2026-01 to 2026-03)"
    assert period in over_quarter.figure("shared_pool", "slices").how
    goal_share = over_quarter.figure("goal.leads_accepted.pool", "team_share").how
    assert goal_share == f"the total weight of marketing / {period}"
    # Goals paid month by month are shared by the month's weights, beside the same quarter.
    monthly = explain(run(load_plan(QUARTERLY_GOALS / "plan.toml")), "DM-M01", "2026-03")
    assert period in monthly.figure("shared_pool", "slices").how
    assert monthly.figure("goal.leads_accepted.pool", "team_share").how == (
        "the total weight of marketing / the month's total weight"
    )
