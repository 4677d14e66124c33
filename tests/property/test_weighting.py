"""The weighting between the shared goal and the functional goals, checked from outside.

The solver's promise (a team asking for an expected split ``rho`` gets it)
is checked twice: on the calibration's own report, and by paying every
historical path through the engine and adding up what each team earned from
each side. Neutrality is checked the same way: the engine's average over the
paths is the calibration's expected cost, to the minor unit. The parts of
every paid month are rebuilt from the rules (pools from the split weights of
each team, gates, goal weights) and compared with what the engine paid.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest
from hypothesis import assume, given, note
from hypothesis import strategies as st
from independent import someone_eligible
from test_goal_period_properties import calibrated_paying
from weighted import (
    WeightedSpec,
    as_units,
    assert_parts_follow_the_rules,
    exact_text,
    gate_factors,
    paid_paths,
    paid_plan,
    positive_weight_count,
    weighted_specs,
)

from jointbonus import (
    CalibrationError,
    D,
    FundingStyle,
    HistoryMonth,
    Member,
    Month,
    MonthStatus,
    Plan,
    Result,
    StepCurve,
    build_plan,
    calibrate,
    run,
)
from jointbonus.sharedtarget.goals import GoalSpec, MetricSpec, TeamSpec
from strategies import CurveSpec, examples, fixed_point

# -- helpers --------------------------------------------------------------------


def side_bounds(spec: WeightedSpec, plan: Plan, team: str, goals: int) -> tuple[Fraction, Fraction]:
    """How far rounding can move one path's shared and functional totals of ``team``.

    Pool funding: the team's shares of the shared pool differ from their exact
    amounts by less than one unit each (largest remainder) plus half a unit for
    rounding the pool; a goal's shares add up to the goal's pool, which is
    within half a unit of exact. Individual funding: every line of every part
    is rounded, half a unit each.
    """
    shared = functional = Fraction(0)
    for month in spec.calendar:
        members = positive_weight_count(plan, team, month)
        if not members:
            continue
        if spec.funding is FundingStyle.POOL:
            shared += members + Fraction(1, 2)
            functional += Fraction(goals, 2)
        else:
            shared += Fraction(members, 2)
            functional += Fraction(members * goals, 2)
    return shared, functional


def earned_by_side(results: list[Result]) -> dict[str, tuple[int, int]]:
    """Per team: what its members earned from the shared part and from their goals, before caps."""
    totals: dict[str, list[int]] = {}
    for result in results:
        for line in result.lines():
            side = totals.setdefault(line.team, [0, 0])
            side[0] += as_units(result.plan, line.shared)
            side[1] += sum(as_units(result.plan, amount) for _, amount in line.functional)
    return {team: (s, f) for team, (s, f) in totals.items()}


# -- the solver ------------------------------------------------------------------


@given(weighted_specs(caps=False))
def test_solved_weight_gives_exactly_the_wanted_expected_split(spec):
    spec, _, calibration = calibrated_paying(spec, 1)
    wanted = {t.name: t.expected_shared_split for t in spec.teams}
    for weight in calibration.weights:
        assert 0 <= weight.nominal <= 1
        if wanted[weight.team] is not None:
            assert weight.wanted == Fraction(D(wanted[weight.team]))
            assert weight.expected == weight.wanted


@examples(2)
@given(weighted_specs())
def test_engine_pays_each_team_its_expected_split_over_every_historical_path(spec):
    spec, plan, calibration = calibrated_paying(spec, 1)
    paths = paid_paths(spec, calibration)
    earned = earned_by_side([result for _, _, result in paths])
    for team, weight in zip(spec.teams, calibration.weights, strict=True):
        assert weight.team == team.name
        if not team.goals:
            continue
        shared, functional = earned.get(team.name, (0, 0))
        bound_shared, bound_functional = side_bounds(spec, plan, team.name, len(team.goals))
        bound_shared *= len(paths)
        bound_functional *= len(paths)
        # The wanted split where the team asked for one, else the split its nominal weight gives.
        rho = weight.wanted if weight.wanted is not None else weight.expected
        note(f"{team.name}: rho {rho}, shared {shared}, functional {functional}")
        if rho is None:
            assert shared == functional == 0
            continue
        # shared : functional = rho : 1 - rho, to within what rounding can move each side.
        gap = abs(shared * (1 - rho) - rho * functional)
        assert gap <= (1 - rho) * bound_shared + rho * bound_functional


@examples(2)
@given(weighted_specs())
def test_expected_earnings_of_each_side_are_what_the_engine_pays_on_average(spec):
    spec, plan, calibration = calibrated_paying(spec, 1)
    paths = paid_paths(spec, calibration)
    earned = earned_by_side([result for _, _, result in paths])
    count = len(paths)
    for team, weight in zip(spec.teams, calibration.weights, strict=True):
        shared, functional = earned.get(team.name, (0, 0))
        bound_shared, bound_functional = side_bounds(spec, plan, team.name, len(team.goals))
        assert abs(Fraction(shared, count) - weight.shared_expected) <= bound_shared
        assert abs(Fraction(functional, count) - weight.functional_expected) <= bound_functional


# -- refusals -----------------------------------------------------------------------


def one_team_solved(
    spec: WeightedSpec, data: st.DataObject, low: int, high: int
) -> tuple[WeightedSpec, str]:
    """``spec`` with one team of goals solved for a split in [low, high] hundredths, and its
    name; the other teams with goals get a nominal weight of 0.5."""
    with_goals = [t.name for t in spec.teams if t.goals]
    chosen = data.draw(st.sampled_from(with_goals), label="team")
    split = fixed_point(data.draw(st.integers(low, high), label="split, hundredths"), 2)
    teams = tuple(
        (
            TeamSpec(t.name, expected_shared_split=split, goals=t.goals)
            if t.name == chosen
            else TeamSpec(t.name, shared_weight="0.5", goals=t.goals)
        )
        if t.goals
        else t
        for t in spec.teams
    )
    return replace(spec, teams=teams), chosen


def above(values: list[Fraction]) -> str:
    """Just above the best of ``values``: a threshold or gate none of them reaches."""
    return exact_text(max(values) + Fraction(1, 1000))


def shared_never_pays(spec: WeightedSpec, team: str, how: str) -> WeightedSpec:
    """The plan with ``team``'s shared part closed in every historical month."""
    if how == "curve":
        return replace(spec, curve=CurveSpec("step", above(list(spec.history_shared)), "1"))
    goals = next(t for t in spec.teams if t.name == team).goals
    # In every historical month, some goal of the team falls short of the gate.
    weakest = [min(spec.history_goals[g.metric][h] for g in goals) for h in range(spec.scenarios)]
    return replace(spec, shared_gate=above(weakest))


def functional_never_pays(spec: WeightedSpec, team: str, how: str) -> WeightedSpec:
    """The plan with ``team``'s functional goals closed in every historical month."""
    if how == "gate":
        return replace(spec, functional_gate=above(list(spec.history_shared)))
    teams = tuple(
        replace(
            t,
            goals=tuple(
                replace(
                    g,
                    curve=StepCurve(Fraction(D(above(list(spec.history_goals[g.metric]))))),
                )
                for g in t.goals
            ),
        )
        if t.name == team
        else t
        for t in spec.teams
    )
    return replace(spec, teams=teams)


def assert_refused(plan: Plan, team: str) -> None:
    for attempt in (calibrate, run):
        with pytest.raises(CalibrationError) as raised:
            attempt(plan)
        message = str(raised.value)
        note(message)
        assert f"team {team}" in message
        assert "ever pay" in message  # says which side never pays ...
        assert "shared_weight" in message  # ... and what to change
        assert "lower the" in message.lower()


@given(weighted_specs(caps=False, gates=False), st.sampled_from(["curve", "gate"]), st.data())
def test_a_shared_split_above_0_is_refused_when_the_shared_part_never_pays(spec, how, data):
    spec, team = one_team_solved(spec, data, 1, 100)
    assert_refused(shared_never_pays(spec, team, how).build(), team)


@given(weighted_specs(caps=False, gates=False), st.sampled_from(["curves", "gate"]), st.data())
def test_a_shared_split_below_1_is_refused_when_the_functional_goals_never_pay(spec, how, data):
    spec, team = one_team_solved(spec, data, 0, 99)
    assert_refused(functional_never_pays(spec, team, how).build(), team)


def side_pays_sometime(spec: WeightedSpec, team: str, side: str) -> bool:
    """Whether ``team``'s shared part (or its goals) pays in some historical month."""
    for h in range(spec.scenarios):
        goals = {name: values[h] for name, values in spec.history_goals.items()}
        shared, functional = gate_factors(spec, spec.history_shared[h], goals)
        if side == "shared" and shared[team]:
            return True
        if side == "functional" and any(f for (t, _), f in functional.items() if t == team):
            return True
    return False


@given(weighted_specs(caps=False, gates=False), st.sampled_from(["curve", "gate"]), st.data())
def test_a_shared_split_of_0_is_reached_when_the_shared_part_never_pays(spec, how, data):
    spec, team = one_team_solved(spec, data, 0, 0)
    closed = shared_never_pays(spec, team, how)
    assume(side_pays_sometime(closed, team, "functional"))
    weight = next(w for w in calibrate(closed.build()).weights if w.team == team)
    assert weight.expected == 0


@given(weighted_specs(caps=False, gates=False), st.sampled_from(["curves", "gate"]), st.data())
def test_a_shared_split_of_1_is_reached_when_the_functional_goals_never_pay(spec, how, data):
    spec, team = one_team_solved(spec, data, 100, 100)
    closed = functional_never_pays(spec, team, how)
    assume(side_pays_sometime(closed, team, "shared"))
    weight = next(w for w in calibrate(closed.build()).weights if w.team == team)
    assert weight.expected == 1


def one_member_plan(split: str, curve: StepCurve, goal_curve: StepCurve) -> Plan:
    """The smallest plan where one side never pays: one member, three historical months."""
    history = [
        HistoryMonth(
            Month(2025, m),
            D(a),
            D(100),
            functional={"leads": D(b)},
            functional_targets={"leads": D(100)},
        )
        for m, a, b in ((1, 90, 110), (2, 105, 95), (3, 100, 100))
    ]
    return build_plan(
        name="One side never pays",
        currency="USD",
        start="2026-01",
        months=1,
        members=[Member("A", "sales", date(2020, 1, 1), None, D("1"))],
        history=history,
        targets={"2026-01": "100"},
        curve=curve,
        budget="100",
        teams=[
            TeamSpec(
                "sales", expected_shared_split=split, goals=(GoalSpec("leads", "1", goal_curve),)
            )
        ],
        metrics=[MetricSpec("leads", targets={"2026-01": "100"})],
    )


def test_a_split_of_0_with_a_shared_goal_that_never_pays_puts_everything_on_the_goals():
    # Found by the property above: the solver divided 0 by 0.
    calibration = calibrate(one_member_plan("0", StepCurve(D("1.2")), StepCurve()))
    assert [w.expected for w in calibration.weights] == [0]
    assert [w.nominal for w in calibration.weights] == [0]


def test_a_split_of_1_with_goals_that_never_pay_puts_everything_on_the_shared_goal():
    # Found by the property above: the solver divided 0 by 0.
    calibration = calibrate(one_member_plan("1", StepCurve(), StepCurve(D("1.2"))))
    assert [w.expected for w in calibration.weights] == [1]
    assert [w.nominal for w in calibration.weights] == [1]


# -- neutrality ----------------------------------------------------------------------


@given(weighted_specs(caps=False))
def test_expected_cost_with_weights_and_gates_is_the_budget_within_the_rounding_bound(spec):
    spec, plan, calibration = calibrated_paying(spec, 1)
    note(f"expected {calibration.expected_cost}, bound {calibration.rounding_bound}")
    assert abs(calibration.expected_cost - plan.budget.amount) <= calibration.rounding_bound


@examples(2)
@given(weighted_specs(caps=False))
def test_engine_pays_the_expected_cost_on_average_over_every_historical_month(spec):
    spec, _, calibration = calibrated_paying(spec, 1)
    # Without caps a month's pay does not depend on the others', so the cyclic paths (each
    # historical month once in every plan month) average to the per-month scenarios.
    paths = paid_paths(spec, calibration)
    paid = sum(month.paid for _, _, result in paths for month in result.months)
    assert Fraction(paid, len(paths)) == calibration.expected_cost


# -- conservation and the parts ------------------------------------------------------


@given(weighted_specs())
def test_each_parts_shares_add_up_to_its_pool(spec):
    spec, plan, result = paid_plan(spec)
    lines = list(result.lines())
    for month in result.months:
        if month.status is not MonthStatus.PAID:
            continue
        mine = [line for line in lines if line.period == month.month]
        shared = sum(as_units(plan, line.shared) for line in mine)
        if spec.funding is FundingStyle.INDIVIDUAL or someone_eligible(plan, month.month):
            assert shared == month.pool
        else:
            assert shared == 0
        for goal in month.goals:
            shares = sum(
                as_units(plan, dict(line.functional)[goal.goal.metric])
                for line in mine
                if line.team == goal.goal.team
            )
            assert shares == goal.pool
        assert sum(as_units(plan, line.total) for line in mine) == month.paid


@given(weighted_specs())
def test_every_line_is_its_parts_less_the_cut_and_the_cost_to_date_is_the_lines(spec):
    spec, plan, result = paid_plan(spec)
    paid = {m.month for m in result.months if m.status is MonthStatus.PAID}
    total = 0
    for line in result.lines():
        parts = line.shared + sum(amount for _, amount in line.functional)
        assert line.total == parts - line.capped
        assert [metric for metric, _ in line.functional] == [
            g.metric for t in spec.teams if t.name == line.team for g in t.goals
        ]
        if line.period in paid:
            total += as_units(plan, line.total)
        else:
            assert line.total == 0
    assert result.summary.paid_to_date == total


@given(weighted_specs(caps=False))
def test_each_part_is_what_the_rules_make_of_the_months_attainments(spec):
    spec, plan, result = paid_plan(spec)
    assert_parts_follow_the_rules(spec, plan, result)


# -- determinism -----------------------------------------------------------------------


@given(weighted_specs(), st.data())
def test_the_same_plan_gives_the_same_lines_whatever_the_order_of_its_inputs(spec, data):
    spec, plan, result = paid_plan(spec)
    shuffled = replace(spec, members=tuple(data.draw(st.permutations(spec.members))))
    kwargs = shuffled.kwargs()
    kwargs["metrics"] = data.draw(st.permutations(kwargs["metrics"]), label="metrics order")
    again = run(build_plan(**kwargs))
    assert again.calibration == result.calibration
    assert list(again.lines()) == list(result.lines())
    assert again.summary == result.summary
    assert list(run(plan).lines()) == list(result.lines())
