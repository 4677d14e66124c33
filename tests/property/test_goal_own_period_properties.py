"""A goal's own period: every goal measured and paid over the shared quarter or plan year.

Checked from the outside, on the plans of :func:`test_goal_period_properties.goal_periods`
(goals beside a quarterly or yearly shared target, their own gates now and then) given
``period`` on every goal. Each metric's targets are also made one level throughout, in
the plan and in history, as the shared one's already are, so a historical period's
summed attainment is the mean of its months' for every metric and a replay of it is
exact: the engine then pays, on average over the historical periods, what calibration
expects of each month. The rules checked:

* **neutrality**: each month's cost, averaged over the replayed historical periods, is
  calibration's expected cost of it, and the plan's expected cost is its budget;
* **conservation**: each goal's pool is its lines' functional parts summed, and the
  lines add up to what the month pays; nothing is paid inside a period;
* a goal's attainment is its period's actuals summed over its targets summed, and its
  own gate reads the other metric over the same period;
* under pool funding a goal's pool is the period's pool at target (not a month's) x its
  factor x (1 - w) x its weight x its team's share of the weight over the period, worked
  out from the roster alone;
* moving a goal's actuals between the months of a period, its sums kept, changes no pay;
* a goal period of a month is the monthly goal, to the byte.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from independent import team_split_weight
from test_goal_period_properties import (
    _historical_periods,
    _replay,
    _summed,
    calibrated_paying,
    goal_periods,
)
from weighted import D, WeightedSpec, as_units, exact_text, round_half_up

from jointbonus import (
    Calibration,
    FundingStyle,
    HistoryMonth,
    MonthStatus,
    Result,
    pay,
    render_json,
    result_document,
)
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.calibration import plan_fingerprint
from strategies import examples


def _over(spec: WeightedSpec, length: PeriodLength) -> WeightedSpec:
    """``spec`` (already cut to whole periods, its shared targets level) with every goal
    over the shared ``length`` and each metric's targets one level, in the plan and in
    history (each historical month keeps its attainment)."""
    keys = list(spec.targets)
    levels = {name: spec.metric_targets[name][keys[0]] for name in spec.metric_names}
    history = tuple(
        HistoryMonth(
            h.month,
            h.actual,
            h.target,
            functional={
                **h.functional,
                **{
                    name: D(exact_text(spec.history_goals[name][place] * Fraction(D(level))))
                    for name, level in levels.items()
                },
            },
            functional_targets={**h.functional_targets, **{n: D(v) for n, v in levels.items()}},
        )
        for place, h in enumerate(spec.history)
    )
    teams = tuple(
        replace(team, goals=tuple(replace(goal, period=length) for goal in team.goals))
        for team in spec.teams
    )
    return replace(
        spec,
        period=length,
        teams=teams,
        history=history,
        metric_targets={name: dict.fromkeys(keys, level) for name, level in levels.items()},
    )


def _paid(
    spec: WeightedSpec, length: PeriodLength
) -> tuple[WeightedSpec, list[tuple[WeightedSpec, Result]], Calibration]:
    """The plan with goals over the period, and every historical period replayed and paid
    at its calibration."""
    periodic, _, calibration = calibrated_paying(_over(spec, length), length.months)
    paid = []
    for places in _historical_periods(spec, length.months):
        replayed = _replay(periodic, places, length.months)
        paid.append((replayed, pay(replayed.build(), calibration)))
    note(f"{len(paid)} historical {length.noun}s; scale {calibration.scale}")
    return periodic, paid, calibration


@examples(3)
@given(goal_periods())
def test_goals_over_the_period_cost_the_budget_over_the_historical_periods(drawn):
    spec, length = drawn
    _, paid, calibration = _paid(spec, length)
    assert calibration.scenarios == len(paid)
    for j, expectation in enumerate(calibration.months):
        total = sum(result.months[j].paid for _, result in paid)
        assert Fraction(total, len(paid)) == expectation.expected_cost, expectation.month
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound


@examples(3)
@given(goal_periods())
def test_goals_over_the_period_are_paid_at_its_end_on_its_sums(drawn):
    spec, length = drawn
    _, paid, _ = _paid(spec, length)
    size = length.months
    for replayed, result in paid:
        plan = result.plan
        lines = list(result.lines())
        for j, month in enumerate(result.months):
            assert month.status is MonthStatus.PAID
            mine = [line for line in lines if line.period == month.month]
            assert sum(as_units(plan, line.total) for line in mine) == month.paid
            if j % size != size - 1:
                assert month.paid == 0 and not month.goals
                continue
            keys = [str(m.month) for m in result.months[j - size + 1 : j + 1]]
            attainments = {g.goal.metric: g.attainment for g in month.goals}
            for goal in month.goals:
                metric = goal.goal.metric
                assert goal.attainment == _summed(replayed, metric, keys), metric
                assert goal.pool == sum(
                    as_units(plan, dict(line.functional)[metric])
                    for line in mine
                    if line.team == goal.goal.team
                )
                gate = goal.goal.gate
                if gate is not None:  # its gate reads the other metric over the period too
                    reading = month.attainment if gate.shared else attainments.get(gate.metric)
                    if reading is None:
                        reading = _summed(replayed, gate.metric, keys)
                    assert goal.goal_gated == (reading < gate.attainment), metric


@examples(3)
@given(goal_periods(), st.data())
def test_moving_a_goals_actuals_within_its_period_changes_no_pay(drawn, data):
    spec, length = drawn
    _, paid, calibration = _paid(spec, length)
    replayed, result = paid[data.draw(st.integers(0, len(paid) - 1), label="period")]
    size = length.months
    moved = {}
    for name in replayed.metric_names:
        actuals = dict(replayed.metric_actuals[name])
        keys = list(actuals)
        for start in range(0, len(keys), size):
            inside = keys[start : start + size]
            total = sum(Fraction(D(actuals[k])) for k in inside)
            shares = data.draw(
                st.lists(st.integers(0, 4), min_size=size, max_size=size), label="shares"
            )
            if not any(shares):
                continue
            parts = [total * s / sum(shares) for s in shares]
            parts[-1] = total - sum(parts[:-1], Fraction(0))
            try:
                texts = [exact_text(p) for p in parts]
            except AssertionError:  # no finite decimal: keep this period as it is
                continue
            actuals.update(zip(inside, texts, strict=True))
        moved[name] = actuals
    shifted = pay(replace(replayed, metric_actuals=moved).build(), calibration)
    assert [
        (line.member_id, line.period, line.total, line.functional) for line in shifted.lines()
    ] == [(line.member_id, line.period, line.total, line.functional) for line in result.lines()]


@examples(3)
@given(goal_periods())
def test_a_goal_period_of_a_month_is_the_monthly_goal_to_the_byte(drawn):
    spec, plan, calibration = calibrated_paying(drawn[0], 1)
    monthly = replace(
        spec,
        teams=tuple(
            replace(team, goals=tuple(replace(g, period="month") for g in team.goals))
            for team in spec.teams
        ),
    )
    given_month = monthly.build()
    assert plan_fingerprint(given_month) == plan_fingerprint(plan)
    assert render_json(result_document(pay(given_month, calibration))) == render_json(
        result_document(pay(plan, calibration))
    )


@examples(3)
@given(goal_periods())
def test_a_goals_pool_is_the_periods_pool_at_target_on_the_weight_over_the_period(drawn):
    spec, length = drawn
    _, paid, calibration = _paid(replace(spec, funding=FundingStyle.POOL), length)
    _, result = paid[0]
    plan = result.plan
    size = length.months
    w = {t.team: t.nominal for t in calibration.weights}
    for j, month in enumerate(result.months):
        if not month.goals:
            continue
        inside = [m.month for m in result.months[j - size + 1 : j + 1]]
        weight = {
            t.team: sum(
                (team_split_weight(plan, m, at, t.team) for m in plan.members for at in inside),
                Fraction(0),
            )
            for t in plan.functional.terms
        }
        total = sum(weight.values(), Fraction(0))
        if not total:
            continue
        for goal in month.goals:
            team = goal.goal.team
            exact = (
                calibration.scale
                * plan.currency.scale
                * goal.factor
                * (1 - w[team])
                * goal.goal.weight
                * weight[team]
                / total
            )
            assert goal.pool == round_half_up(exact), (month.month, goal.goal.key)
