"""A gate on one goal, set by another goal's attainment.

Published scorecards often say: when the net income goal misses its
threshold, only the cash flow goal pays and the strategic goal pays nothing.
A goal's ``gate = { metric = ..., attainment = ... }`` says that: the goal
pays only in a month where the named metric (the shared goal's, or another
goal's) reaches the attainment. The plan folder is the one
``test_loader_goals.py`` writes, without its plan-wide gates, with gates added
to the sales team's goals.
"""

from __future__ import annotations

import json
from dataclasses import replace
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    D,
    GoalGateSpec,
    LinearCurve,
    MonthStatus,
    PlanError,
    build_plan,
    calibrate,
    explain,
    load_plan,
    render_explanation,
    run,
)
from jointbonus.cli import EXIT_BAD_INPUT, main
from jointbonus.core.number import percent_text
from jointbonus.sharedtarget.goals import GoalGate
from jointbonus.sharedtarget.report.documents import plan_document, result_document
from jointbonus.sharedtarget.report.tables import render_table
from test_loader_goals import PLAN, api_arguments, history_rows, write_goal_plan

PLAN_GATES = "[gates]\nfunctional_gate = 0.9\nshared_gate = 0.8\n"
SAL_TO_SQL = 'metric = "sal_to_sql"\nweight = 0.5\ncurve = { type = "step", threshold = 0.95 }\n'
LEADS = (
    'metric = "leads_accepted"\nweight = 1\n'
    'curve = { type = "linear", points = [[0.8, 0.5], [1.0, 1.0], [1.2, 1.5]] }\n'
)
# In the plan file without [gates], the second sales goal's table starts on line 19 and
# its gate is line 23; the marketing goal's gate is line 12.
GATE_LINE = 23


def gated_plan(folder: Path, sales_gate: str, marketing_gate: str | None = None) -> Path:
    """The goals plan without plan-wide gates, with ``sales_gate`` on sal_to_sql (and
    ``marketing_gate`` on leads_accepted)."""
    path = write_goal_plan(folder)
    text = path.read_text(encoding="utf-8").replace(PLAN_GATES, "")
    text = text.replace(SAL_TO_SQL, f"{SAL_TO_SQL}gate = {sales_gate}\n")
    if marketing_gate is not None:
        text = text.replace(LEADS, f"{LEADS}gate = {marketing_gate}\n")
    path.write_text(text, encoding="utf-8")
    return path


def revenue_gated(tmp_path: Path) -> Path:
    return gated_plan(tmp_path / "plan", '{ metric = "revenue", attainment = 1.0 }')


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    return [str(problem) for problem in caught.value.problems]


# -- the plan file --------------------------------------------------------------


def test_a_goal_gate_in_the_plan_file_is_the_one_build_plan_takes(tmp_path: Path) -> None:
    path = gated_plan(tmp_path / "plan", '{ metric = "followed_up_48h", attainment = 1.0 }')
    loaded = load_plan(path)
    gated = next(g for g in loaded.goals if g.metric == "sal_to_sql")
    assert gated.gate == GoalGate("followed_up_48h", Fraction(1), shared=False)
    assert all(g.gate is None for g in loaded.goals if g.metric != "sal_to_sql")

    arguments = api_arguments()
    marketing, sales = arguments["teams"]
    follow_up, sal_to_sql = sales.goals
    gate = GoalGateSpec("followed_up_48h", "1.0")
    arguments["teams"] = [
        marketing,
        replace(sales, goals=(follow_up, replace(sal_to_sql, gate=gate))),
    ]
    built = build_plan(**{**arguments, "functional_gate": None, "shared_gate": None})
    assert built.goals == loaded.goals
    assert built.functional == loaded.functional


# -- the pay rule ---------------------------------------------------------------


def test_a_goal_whose_gate_is_closed_pays_nothing_while_the_others_pay(tmp_path: Path) -> None:
    """Revenue below target: the gated goal pays nothing; the other sales goal still pays."""
    result = run(load_plan(revenue_gated(tmp_path)))
    closed = opened = 0
    for month in result.months:
        if month.status is not MonthStatus.PAID:
            continue
        goals = {g.goal.metric: g for g in month.goals}
        gated, free = goals["sal_to_sql"], goals["followed_up_48h"]
        assert month.attainment is not None
        assert not gated.gated and not free.goal_gated
        if month.attainment < 1:
            closed += 1
            assert gated.goal_gated and gated.factor == 0 and gated.pool == 0
            assert free.factor == free.goal.curve.factor(free.attainment)
        else:
            opened += 1
            assert not gated.goal_gated
            assert gated.factor == gated.goal.curve.factor(gated.attainment)
    assert closed and opened, "the example has months on both sides of the gate"


def test_the_reason_names_the_gate_the_reading_and_what_it_needs(tmp_path: Path) -> None:
    result = run(load_plan(revenue_gated(tmp_path)))
    month = next(m for m in result.months if m.status is MonthStatus.PAID and m.attainment < 1)
    lines = [line for line in result.lines() if line.period == month.month]
    sales = [line for line in lines if line.team == "sales"]
    assert sales
    reading = percent_text(month.attainment)
    for line in sales:
        assert dict(line.functional)["sal_to_sql"] == 0
        assert (
            f"sal_to_sql closed by its own gate: revenue attainment {reading} is below 100.0%"
            in line.reason
        ), line.reason
    assert all("own gate" not in line.reason for line in lines if line.team == "marketing")


def test_a_gate_on_a_functional_metric_reads_that_metrics_attainment(tmp_path: Path) -> None:
    path = gated_plan(tmp_path / "plan", '{ metric = "followed_up_48h", attainment = 1.0 }')
    result = run(load_plan(path))
    seen = set()
    for month in result.months:
        if month.status is MonthStatus.PAID:
            goals = {g.goal.metric: g for g in month.goals}
            shut = goals["followed_up_48h"].attainment < 1
            assert goals["sal_to_sql"].goal_gated is shut
            seen.add(shut)
    assert seen == {True, False}


# -- calibration ----------------------------------------------------------------


def test_calibration_counts_a_gated_goal_only_in_the_historical_months_its_gate_opens(
    tmp_path: Path,
) -> None:
    """Both metrics are read against their targets, so each scenario is a history row."""
    path = gated_plan(
        tmp_path / "plan",
        '{ metric = "revenue", attainment = 1.0 }',
        '{ metric = "followed_up_48h", attainment = 0.95 }',
    )
    plan = load_plan(path)
    calibration = calibrate(plan)
    rows = {row["month"]: row for row in history_rows()}
    scenarios = [rows[str(m)] for m in plan.norm.sample_months]
    curve = LinearCurve.of([("0.8", "0.5"), ("1.0", "1.0"), ("1.2", "1.5")])
    wanted = Fraction(0)
    opened = 0
    for row in scenarios:
        leads = Fraction(D(row["leads_accepted_actual"])) / Fraction(
            D(row["leads_accepted_target"])
        )
        follow = Fraction(D(row["followed_up_48h_actual"])) / Fraction(D("0.90"))
        if follow >= Fraction(95, 100):
            wanted += curve.factor(leads)
            opened += 1
    assert 0 < opened < len(scenarios), "the gate opens in some historical months, not all"
    leads_goal = [g.metric for g in plan.goals].index("leads_accepted")
    for month in calibration.months:
        assert month.mean_goal_factors[leads_goal] == wanted / len(scenarios)
    assert calibration.within_bound
    assert abs(calibration.expected_cost - plan.budget.amount) <= calibration.rounding_bound


def test_a_gate_lowers_the_gated_goals_expected_factor(
    tmp_path: Path,
) -> None:
    ungated = load_plan(gated_plan(tmp_path / "a", '{ metric = "revenue", attainment = 0.01 }'))
    gated = load_plan(revenue_gated(tmp_path / "b"))
    before, after = calibrate(ungated), calibrate(gated)
    position = [g.metric for g in gated.goals].index("sal_to_sql")
    assert (
        after.months[0].mean_goal_factors[position] < before.months[0].mean_goal_factors[position]
    )
    assert after.within_bound and before.within_bound


# -- what people see --------------------------------------------------------------


def test_outputs_say_which_goal_has_a_gate_and_when_it_closed(tmp_path: Path) -> None:
    result = run(load_plan(revenue_gated(tmp_path)))
    plan_doc = plan_document(result.plan)
    gates = [g.get("gate") for g in plan_doc["goals"]]
    assert gates == [
        None,
        None,
        {"metric": "revenue", "shared": True, "attainment": "1.000000"},
    ]
    document = result_document(result)
    month = next(m for m in document["months"] if m["status"] == "paid")
    assert {g["metric"]: g["goal_gated"] for g in month["goals"]}.keys() == {
        "leads_accepted",
        "followed_up_48h",
        "sal_to_sql",
    }
    json.dumps(document)
    table = render_table(result)
    assert "Gate on sales/sal_to_sql" in table
    assert "pays only with revenue (the shared goal) attainment at least 100.0%" in table


def test_explain_shows_the_goals_own_gate(tmp_path: Path) -> None:
    result = run(load_plan(revenue_gated(tmp_path)))
    month = next(m for m in result.months if m.status is MonthStatus.PAID and m.attainment < 1)
    member = next(m.id for m in result.plan.members if m.team == "sales")
    text = render_explanation(explain(result, member, month.month))
    assert "Own gate" in text
    assert "closed" in text
    assert "the goal's own gate closed it" in text


def test_a_plan_without_goal_gates_has_no_goal_gate_keys(tmp_path: Path) -> None:
    path = write_goal_plan(tmp_path / "plan")
    document = result_document(run(load_plan(path)))
    assert all("gate" not in goal for goal in document["plan"]["goals"])
    assert all("goal_gated" not in g for m in document["months"] for g in m["goals"])


# -- mistakes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gate", "field", "phrase"),
    [
        (
            '{ metric = "sal_to_sql", attainment = 1.0 }',
            "teams.sales.goals[1].gate.metric",
            "another goal's metric (revenue (the shared goal), followed_up_48h, "
            "leads_accepted): the goal's own curve sets where it starts paying",
        ),
        (
            '{ metric = "net_income", attainment = 1.0 }',
            "teams.sales.goals[1].gate.metric",
            "the metric of another goal of the plan (revenue (the shared goal), "
            "followed_up_48h, leads_accepted)",
        ),
        (
            '{ metric = "revenue", attainment = 0 }',
            "teams.sales.goals[1].gate.attainment",
            "",
        ),
        (
            '{ metric = "revenue" }',
            "teams.sales.goals[1].gate.attainment",
            "",
        ),
    ],
    ids=["own-metric", "unknown-metric", "zero-attainment", "no-attainment"],
)
def test_a_bad_goal_gate_is_a_located_problem(
    tmp_path: Path, gate: str, field: str, phrase: str
) -> None:
    path = gated_plan(tmp_path / "plan", gate)
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{PLAN}:{GATE_LINE}: {field}: got "), problems
    assert phrase in problems[0]


def test_a_gate_naming_both_the_shared_metric_and_a_functional_one_is_refused(
    tmp_path: Path,
) -> None:
    path = gated_plan(tmp_path / "plan", '{ metric = "followed_up_48h", attainment = 1.0 }')
    text = path.read_text(encoding="utf-8").replace(
        "[shared]\n", '[shared]\nmetric = "followed_up_48h"\n'
    )
    path.write_text(text, encoding="utf-8")
    problems = problems_of(path)
    assert any(
        p.startswith(f"{PLAN}:{GATE_LINE}: teams.sales.goals[1].gate.metric: got ")
        and "both the shared goal's metric and a functional metric" in p
        for p in problems
    ), problems


def test_a_bad_goal_gate_exits_2_on_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = gated_plan(tmp_path / "plan", '{ metric = "net_income", attainment = 1.0 }')
    assert main(["run", str(path)]) == EXIT_BAD_INPUT
    error = capsys.readouterr().err
    assert f"{PLAN}:{GATE_LINE}: teams.sales.goals[1].gate.metric: got" in error
    assert "Traceback" not in error
