"""Goals over a period longer than the shared one, worked on the quarterly-goals example.

The example's shared target is set back to the month and every goal given
``period = "quarter"`` (or ``"plan_year"``): the shared part is paid month by month,
each goal at its quarter's end on its actuals summed over its targets summed, from the
functional parts of the quarter's months, each month on its own weights.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    MonthStatus,
    explain,
    load_plan,
    render_explanation,
    render_statement,
    render_table,
    result_document,
    run,
)
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.engine import pay_framed
from jointbonus.sharedtarget.pay.periods import frame_plan

ROOT = Path(__file__).resolve().parent.parent
QUARTERLY_GOALS = ROOT / "examples" / "digital_manufacturing_quarterly_goals"
SHARED_PERIOD = 'period = "quarter"                 # fiscal quarters; the goals below stay monthly'


def _plan(tmp_path: Path, goals: str, shared: str = "month", extra: str = "") -> Path:
    folder = tmp_path / f"plan-{goals}-{shared}"
    shutil.copytree(QUARTERLY_GOALS, folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8").replace(SHARED_PERIOD, f'period = "{shared}"')
    for weight in ("weight = 0.5\n", "weight = 1\n"):
        text = text.replace(weight, f'{weight}period = "{goals}"\n')
    plan.write_text(text + extra, encoding="utf-8")
    return plan


@pytest.fixture(scope="module")
def quarter_goals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _plan(tmp_path_factory.mktemp("longer"), "quarter")


def test_a_goal_over_the_quarter_beside_a_monthly_target_is_paid_at_the_quarters_end(
    quarter_goals: Path,
) -> None:
    plan = load_plan(quarter_goals)
    assert plan.period is PeriodLength.MONTH and plan.goals_over_longer
    result = run(plan)
    months = result.months
    # January and February pay the shared part alone; their lines say when the goals are.
    assert months[0].status is MonthStatus.PAID and not months[0].goals
    assert not months[1].goals and months[1].paid == months[1].pool
    feb = [line for line in result.lines() if str(line.period) == "2026-02" and line.total]
    assert all(
        "goals over 2026-Q1 (2026-01 to 2026-03) are paid at its end" in x.reason for x in feb
    )
    assert feb and all(not amount for line in feb for _, amount in line.functional)
    # March pays its shared part and the quarter's goals, on the quarter's sums.
    march = months[2]
    metrics = {m.name: m for m in plan.functional.metrics}
    for goal in march.goals:
        inside = metrics[goal.goal.metric].months[0:3]
        assert goal.target == sum((m.target for m in inside), Fraction(0))
        assert goal.actual == sum(m.actual or 0 for m in inside)
        assert goal.attainment == Fraction(goal.actual) / goal.target
    assert march.paid == march.pool + sum(goal.pool for goal in march.goals)
    lines = [line for line in result.lines() if str(line.period) == "2026-03"]
    assert sum(line.total for line in lines) * 100 == march.paid


def test_a_quarters_goal_at_one_attainment_pays_what_the_monthly_goal_pays(
    quarter_goals: Path,
) -> None:
    plan = load_plan(quarter_goals)
    calibration = run(plan).calibration
    monthly = load_plan(QUARTERLY_GOALS / "plan.toml")
    # The monthly plan with a monthly shared target, paid at the same scale and weights.
    month_plan = load_plan(_plan(quarter_goals.parent.parent, "month"))
    assert monthly.goals == month_plan.goals
    by_month = pay_framed(month_plan, calibration, frame_plan(month_plan))
    over = run(plan)
    # The quarter's exact goal pools are the months' exact pools at the quarter's factor.
    for k in range(3):
        end = over.months[3 * k + 2]
        inside = by_month.months[3 * k : 3 * k + 3]
        for g, goal in enumerate(end.goals):
            if not all(m.goals[g].factor for m in inside):
                continue
            at_target = sum(
                (m.splits[1 + g].exact / m.goals[g].factor for m in inside), Fraction(0)
            )
            assert end.splits[1 + g].exact == at_target * goal.factor, (end.month, goal.goal.key)


def test_a_shared_gate_beside_goals_over_the_quarter_reads_each_goal_in_the_month(
    tmp_path: Path,
) -> None:
    plan = load_plan(_plan(tmp_path, "quarter", extra="\n[gates]\nshared_gate = 0.95\n"))
    assert plan.goals_over_longer and plan.period is PeriodLength.MONTH
    result = run(plan)
    metrics = {m.name: m for m in plan.functional.metrics}
    sales, marketing = (t.team for t in plan.functional.terms)
    assert (sales, marketing) == ("sales", "marketing")
    for index, month in enumerate(result.months):
        if month.status is not MonthStatus.PAID:
            continue
        for t, terms in enumerate(plan.functional.terms):
            # Each goal's month: its actual over its target, not its quarter so far.
            opened = all(
                metrics[g.metric].attainment(index) >= Fraction(95, 100) for g in terms.goals
            )
            assert month.shared_for(t) == (month.factor if opened else 0), (month.month, terms.team)
    # February: sal_to_sql 0.310 of 0.360 (86.1%) closes sales' shared part, while
    # marketing's leads_accepted (128 of 125) opens its own.
    feb = result.months[1]
    assert feb.factor == 1 and feb.team_factors == (0, 1)
    assert all(
        line.shared == 0
        for line in result.lines()
        if str(line.period) == "2026-02" and line.team == "sales"
    )
    told = explain(result, "DM-S01", "2026-02")
    assert told.figure("shared_gate", "sal_to_sql_attainment").how == (
        "86.1111% is below the shared gate 95%"
    )
    assert told.figure("shared_gate", "shared_gate").value == "closed"
    # The calibration still costs the budget.
    calibration = result.calibration
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound


def test_a_shared_gate_beside_plan_year_goals_reads_each_goal_over_the_quarter(
    tmp_path: Path,
) -> None:
    gate = "\n[gates]\nshared_gate = 0.95\n"
    path = _plan(tmp_path, "plan_year", "quarter", extra=gate)
    plan = load_plan(path)
    result = run(plan)
    march = result.months[2]
    # Q1's followed_up_48h: (0.882 + 0.881 + 0.843) / 2.7 = 96.5%, sal_to_sql (0.366 +
    # 0.310 + 0.374) / 1.08 = 97.2%: sales' shared part pays, though March alone
    # (0.843 of 0.900, 93.7%) would have closed it; leads_accepted 390 of 375.
    assert march.status is MonthStatus.PAID and march.factor == 1
    assert march.team_factors == (1, 1)
    told = explain(result, "DM-S01", "2026-03")
    figure = told.figure("shared_gate", "followed_up_48h_attainment")
    assert figure.label == "followed_up_48h attainment over 2026-Q1 (2026-01 to 2026-03)"
    assert figure.exact is not None and Fraction(figure.exact) == Fraction(2606, 2700)
    assert figure.how == "96.5185% reaches the shared gate 95%"


def test_the_quarters_end_pays_its_shared_part_and_the_quarters_goals_under_one_cap(
    tmp_path: Path,
) -> None:
    caps = '\n[caps]\nper_month = "3000.00"\nper_year = "12000.00"\n'
    plan = load_plan(_plan(tmp_path, "quarter", extra=caps))
    assert plan.goals_over_longer
    result = run(plan)
    calibration = result.calibration
    # Costed on paths a goal period a step, each scenario once a month: neutral.
    assert calibration.paths == calibration.scenarios
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound
    cut = [line for line in result.lines() if line.capped]
    so_far: dict[str, Decimal] = {}
    for line in result.lines():
        earned = line.shared + sum((amount for _, amount in line.functional), Decimal(0))
        before = so_far.get(line.member_id, Decimal(0))
        assert line.total == min(earned, Decimal(3000), max(Decimal(12000) - before, Decimal(0)))
        assert line.capped == earned - line.total
        so_far[line.member_id] = before + line.total
    # A quarter's end cuts its shared part and the quarter's goals together: the shared
    # part alone is under the cap per month.
    ends = {"2026-03", "2026-06", "2026-09"}
    assert any(
        str(line.period) in ends and line.shared < 3000 and any(a for _, a in line.functional)
        for line in cut
    )


def test_goals_over_the_plan_year_beside_a_quarterly_target_wait_for_the_years_end(
    tmp_path: Path,
) -> None:
    plan = load_plan(_plan(tmp_path, "plan_year", "quarter"))
    assert plan.goals_over_longer and plan.goal_length is PeriodLength.PLAN_YEAR
    result = run(plan)
    assert not any(m.goals for m in result.months)  # December, which pays them, is pending
    september = [line for line in result.lines() if str(line.period) == "2026-09" and line.total]
    assert september
    assert all(
        "goals over 2026 (2026-01 to 2026-12) are paid at its end" in x.reason for x in september
    )


ADVANCING = ROOT / "examples" / "digital_manufacturing_quarterly_goals_advance"
#: November and December's actuals, so that the plan year (and its goals) is paid.
LAST_MONTHS = (
    (
        "2026-11,1389000,,125,,0.900,,0.360,",
        "2026-11,1389000,1402000,125,131,0.900,0.905,0.360,0.371",
    ),
    (
        "2026-12,1299000,,125,,0.900,,0.360,",
        "2026-12,1299000,1262000,125,122,0.900,0.915,0.360,0.352",
    ),
)


def _advancing_year_goals(tmp_path: Path, *, advance: bool) -> Path:
    """The advances example (a quarterly target, ``advance = 0.5``, a curve paying from half
    the quarter's target) with every goal over the plan year, a whole year of actuals, and
    caps of 5,000.00 a month and 10,000.00 a plan year; with or without the advance."""
    folder = tmp_path / ("advance" if advance else "none")
    shutil.copytree(ADVANCING, folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    for weight in ("weight = 0.5\n", "weight = 1\n"):
        text = text.replace(weight, f'{weight}period = "plan_year"\n')
    if not advance:
        text = text.replace("\nadvance = 0.5 ", "\n# advance = 0.5 ", 1)
    caps = '\n[caps]\nper_month = "5000.00"\nper_year = "10000.00"\n'
    plan.write_text(text + caps, encoding="utf-8")
    months = folder / "data" / "plan_months.csv"
    figures = months.read_text(encoding="utf-8")
    for pending, known in LAST_MONTHS:
        figures = figures.replace(pending, known)
    months.write_text(figures, encoding="utf-8")
    return plan


def test_an_advance_beside_goals_over_the_plan_year_is_trued_up_each_quarter(
    tmp_path: Path,
) -> None:
    """The worked example of docs/concepts.md: each quarter advances its shared part and
    trues it up at its end; December also pays the plan year's goals, under the caps."""
    plan = load_plan(_advancing_year_goals(tmp_path, advance=True))
    without = load_plan(_advancing_year_goals(tmp_path, advance=False))
    assert plan.advance == Fraction(1, 2) and without.advance is None
    assert plan.goals_over_longer and plan.goal_length is PeriodLength.PLAN_YEAR
    result, plain = run(plan), run(without)
    assert result.calibration == plain.calibration  # advances cost nothing
    assert [m.paid for m in result.months] == [m.paid for m in plain.months]
    m01 = [member.id for member in plan.members].index("DM-M01")
    rows = []
    for q in range(4):
        inside = [result.months[3 * q + k].advances[m01] for k in range(2)]
        end, was = result.months[3 * q + 2], plain.months[3 * q + 2]
        line = end.lines[m01]
        assert end.advanced[m01] == sum(inside)
        assert line.total + sum(inside) == was.lines[m01].total  # the true-up
        rows.append((line.shared, dict(line.functional), line.capped, inside, line.total))
    assert rows == [
        (186808, {"leads_accepted": 0}, 0, [0, 57779], 129029),
        (197782, {"leads_accepted": 0}, 0, [0, 64583], 133199),
        (185885, {"leads_accepted": 0}, 0, [0, 64759], 121126),
        # 1,818.78 + 9,505.24 cut to the year's 10,000.00 less 5,704.75 paid before.
        (181878, {"leads_accepted": 950524}, 702877, [0, 63772], 365753),
    ]
    statement = render_statement(result, "DM-M01")
    assert "its pay (its shared part) 1,868.08 less the advances paid in it 577.79" in statement
    assert (
        "its pay (its shared part and the goals over 2026 (2026-01 to 2026-12)) 4,295.25 less "
        "the advances paid in it 637.72"
    ) in statement
    told = explain(result, "DM-M01", "2026-12")
    assert told.figure("true_up", "true_up").how == (
        "your pay for the quarter, 4295.25 (its shared part and the goals over 2026 "
        "(2026-01 to 2026-12)), less the advances paid"
    )
    assert explain(result, "DM-M01", "2026-11").figure("advance", "advance").value == "637.72"


def test_the_views_name_the_goals_period(quarter_goals: Path) -> None:
    result = run(load_plan(quarter_goals))
    statement = render_statement(result, "DM-M01")
    assert "| in 2026-Q1 |" in statement
    assert "The goals are measured over the quarter (actuals summed / targets summed)" in statement
    assert "in 2026-Q1" in render_table(result)
    goals = result_document(result)["plan"]["goals"]
    assert {goal["period"] for goal in goals} == {"quarter"}
    told = explain(result, "DM-M01", "2026-03")
    assert told.figure("goal.leads_accepted", "target").how == (
        "the leads_accepted targets of 2026-Q1 (2026-01 to 2026-03), summed"
    )
    assert "over the months of 2026-Q1" in told.figure("goal.leads_accepted.pool", "team_share").how


def test_the_example_pays_what_its_readme_says() -> None:
    folder = ROOT / "examples" / "digital_manufacturing_monthly_target_goals_per_quarter"
    result = run(load_plan(folder / "plan.toml"))
    readme = (folder / "README.md").read_text(encoding="utf-8")
    jan, feb, march = result.months[:3]
    assert jan.paid == 0 and not jan.goals
    assert feb.pool == feb.paid == 1230575 and not feb.goals
    pools = {g.goal.metric: g.pool for g in march.goals}
    assert (march.pool, pools["leads_accepted"], pools["sal_to_sql"], march.paid) == (
        1230575,
        985143,
        640521,
        2856239,
    )
    for figure in ("20,249.90", "12,305.75", "9,851.43", "6,405.21", "28,562.39", "138,882.34"):
        assert figure in readme


def test_explain_shows_the_shared_gate_reading_the_quarter_beside_monthly_goals(
    tmp_path: Path,
) -> None:
    # The quarterly goals example as it is (monthly goals, a quarterly shared target)
    # with a shared gate: the gate reads each goal over the quarter, and explain says so
    # in the month that pays the quarter (it showed each goal's month before).
    path = _plan(tmp_path, "month", "quarter", extra="\n[gates]\nshared_gate = 0.95\n")
    result = run(load_plan(path))
    told = explain(result, "DM-S01", "2026-03")
    figure = told.figure("shared_gate", "followed_up_48h_attainment")
    assert figure.label == "followed_up_48h attainment over 2026-Q1 (2026-01 to 2026-03)"
    assert figure.exact is not None and Fraction(figure.exact) == Fraction(2606, 2700)
    assert figure.how == "96.5185% reaches the shared gate 95%"  # March alone: 93.7%
    assert told.figure("shared_gate", "shared_gate").value == "open"
    assert result.months[2].team_factors[0] == result.months[2].factor
    # February pays no shared part: no gate is read in it.
    with pytest.raises(KeyError):
        explain(result, "DM-S01", "2026-02").step("shared_gate")


HARBOR = ROOT / "examples" / "harbor_software"


def _harbor_goals_per_quarter(tmp_path: Path, *, given_in_may: str | None = None) -> Path:
    """The Harbor Software example (a monthly revenue target; meetings_held's targets
    derived from its norm, the mean of the six months before the plan, + 5%) with every
    goal over the quarter, and now and then May's meetings_held target given."""
    folder = tmp_path / "harbor"
    shutil.copytree(HARBOR, folder)
    plan = folder / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    for metric in ("sales_accepted_leads", "meetings_held", "followed_up_24h", "win_rate"):
        line = f'metric = "{metric}"\n'
        text = text.replace(line, f'{line}period = "quarter"\n', 1)
    plan.write_text(text, encoding="utf-8")
    if given_in_may is not None:
        months = folder / "data" / "plan_months.csv"
        rows = months.read_text(encoding="utf-8").splitlines()
        rows[0] = rows[0].replace(
            ",meetings_held_actual", ",meetings_held_target,meetings_held_actual"
        )
        for k in range(1, len(rows)):
            cells = rows[k].split(",")
            cells.insert(5, given_in_may if cells[0] == "2026-05" else "")
            rows[k] = ",".join(cells)
        months.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return plan


def test_explain_says_a_goal_periods_targets_come_from_the_norm(tmp_path: Path) -> None:
    # Worked by hand: meetings_held's norm is the mean of history's last six months,
    # 2025-10 to 2026-03: (83 + 80 + 78 + 80 + 94 + 73) / 6 = 244/3; each plan month's
    # target is that + 5%, 244/3 x 1.05 = 85.4, so FY2026-Q1's is 3 x 85.4 = 256.2
    # against actuals 75 + 96 + 95 = 266.
    monthly = explain(run(load_plan(HARBOR / "plan.toml")), "HS-D01", "2026-05")
    norm = "derived from meetings_held's norm: norm x (1 + 5.00%)"
    assert monthly.figure("goal.meetings_held", "target").how == norm
    assert monthly.figure("goal.meetings_held", "target").value == "85.4"
    told = explain(run(load_plan(_harbor_goals_per_quarter(tmp_path))), "HS-D01", "2026-06")
    target = told.figure("goal.meetings_held", "target")
    assert (target.value, target.exact) == ("256.2", "1281/5")
    assert target.how == (
        "the meetings_held targets of FY2026-Q1 (2026-04 to 2026-06), summed; "
        f"each month's target {norm}"
    )
    assert told.figure("goal.meetings_held", "actual").value == "266"
    assert Fraction(told.figure("goal.meetings_held", "attainment").exact or "0") == Fraction(
        266 * 5, 1281
    )
    # A target the plan gives says nothing of the norm, over the quarter as in a month.
    assert told.figure("goal.followed_up_24h", "target").how == (
        "the followed_up_24h targets of FY2026-Q1 (2026-04 to 2026-06), summed"
    )
    document = render_explanation(told, "json")
    assert f"summed; each month's target {norm}" in document


def test_explain_names_the_months_of_a_goal_period_whose_targets_the_norm_derived(
    tmp_path: Path,
) -> None:
    # May's target given as 90: the quarter asks 85.4 + 90 + 85.4 = 260.8.
    plan = _harbor_goals_per_quarter(tmp_path, given_in_may="90")
    target = explain(run(load_plan(plan)), "HS-D01", "2026-06").figure(
        "goal.meetings_held", "target"
    )
    assert (target.value, target.exact) == ("260.8", "1304/5")
    assert target.how == (
        "the meetings_held targets of FY2026-Q1 (2026-04 to 2026-06), summed; the targets of "
        "2026-04 and 2026-06 derived from meetings_held's norm: norm x (1 + 5.00%), "
        "2026-05's target given by the plan"
    )
