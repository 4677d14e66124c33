"""A goal's own gate, checked from outside; neutrality with it.

A goal with a gate of its own pays only in a month where the attainment the
gate names (the shared goal's, or another functional metric's) reaches the
gate's attainment; every other part follows its usual rules. The rule is
read here from the plan's arguments (:func:`weighted.gate_factors`), never
from the library's outcomes. Calibration must cost the gate over history the
way the plan-wide gates are costed: each historical month supplies every
attainment together, so a gated goal's mean factor in a plan month is the
mean, over the historical months, of its curve's factor where its gate opens
and 0 where it does not.
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, note
from weighted import (
    SHARED_METRIC,
    WeightedSpec,
    assert_parts_follow_the_rules,
    calibrated,
    gate_factors,
    paid_plan,
    weighted_specs,
)

from jointbonus import D, MonthStatus
from strategies import examples


def gated_goals(spec: WeightedSpec) -> list[tuple[str, str]]:
    """(team, metric) of each goal with a gate of its own."""
    return [(t.name, g.metric) for t in spec.teams for g in t.goals if g.gate is not None]


@examples(2)
@given(weighted_specs(gates=False, caps=False, all_reported=True, goal_gates=True))
def test_a_goal_pays_nothing_in_a_month_its_own_gate_is_closed(spec: WeightedSpec) -> None:
    spec, _, result = paid_plan(spec)
    gates = {(t.name, g.metric): g.gate for t in spec.teams for g in t.goals if g.gate}
    for month in result.months:
        shared, goals = spec.attainments(month.month)
        assert month.status is MonthStatus.PAID and shared is not None
        for g in month.goals:
            own = gates.get((g.goal.team, g.goal.metric))
            if own is None:
                assert not g.goal_gated
                continue
            reading = shared if own.metric == SHARED_METRIC else goals[own.metric]
            assert reading is not None
            closed = reading < Fraction(D(str(own.attainment)))
            assert g.goal_gated is closed
            if closed:
                assert (g.factor, g.pool) == (0, 0)
    for line in result.lines():
        month = next(m for m in result.months if m.month == line.period)
        mine = [g for g in month.goals if g.goal.team == line.team]
        shut = {g.goal.metric for g in mine if g.goal_gated}
        by_own_gate_alone = {g.goal.metric for g in mine if g.goal_gated and not g.gated}
        for metric, amount in line.functional:
            if metric in shut:
                assert amount == 0
            if metric in by_own_gate_alone and line.weight > 0:
                # The line says why the part is zero, naming the gate.
                assert f"{metric} closed by its own gate" in line.reason, line.reason


@given(weighted_specs(caps=False, all_reported=True, goal_gates=True))
def test_each_part_is_what_the_rules_make_of_the_attainments_behind_every_gate(
    spec: WeightedSpec,
) -> None:
    spec, plan, result = paid_plan(spec)
    note(f"goals with their own gate: {gated_goals(spec)}")
    assert_parts_follow_the_rules(spec, plan, result)


@examples(2)
@given(weighted_specs(caps=False, goal_gates=True))
def test_calibration_counts_each_goal_only_in_the_historical_months_its_gates_open(
    spec: WeightedSpec,
) -> None:
    spec, plan, calibration = calibrated(spec)
    count = spec.scenarios
    expected: dict[tuple[str, str], Fraction] = {}
    for h in range(count):
        goals = {name: values[h] for name, values in spec.history_goals.items()}
        _, factors = gate_factors(spec, spec.history_shared[h], goals)
        for key, factor in factors.items():
            expected[key] = expected.get(key, Fraction(0)) + factor / count
    keys = [(g.team, g.metric) for g in plan.goals]
    note(f"goals with their own gate: {gated_goals(spec)}")
    for month in calibration.months:
        assert list(month.mean_goal_factors) == [expected[key] for key in keys]


@given(weighted_specs(caps=None, goal_gates=True))
def test_expected_cost_with_goal_gates_is_the_budget_within_the_rounding_bound(
    spec: WeightedSpec,
) -> None:
    spec, plan, calibration = calibrated(spec)
    note(f"expected {calibration.expected_cost}, bound {calibration.rounding_bound}")
    assert abs(calibration.expected_cost - plan.budget.amount) <= calibration.rounding_bound
