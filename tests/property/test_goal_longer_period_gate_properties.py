"""A shared gate beside goals over a period longer than the shared one.

The plans of :func:`test_goal_longer_period_properties.longer_goals` (every metric's
targets one level, in the plan and in history), each pair of periods drawn as often,
with a shared gate: an attainment some
goal reached in a historical month. The gate reads each goal over the shared period,
the period whose shared part it gates, while the goals are paid over their own.

Calibration's scenario ``h`` is one historical shared period, read with the goals over
it (what the gate reads) and with the historical goal period it lies in (what the goals
pay). A replay reports shared period ``h`` in every shared period of the plan, and in
every goal period that goal period's months turned so that the shared period paid in
month ``j`` reads ``h``'s own months: its goals' attainment over the goal period (one
target level) is that goal period's whatever the turn, and month ``j``'s cost is
scenario ``h``'s exactly. The rules checked:

* **neutrality**: each month's cost, averaged over the scenarios replayed so, is
  calibration's expected cost of it, and the plan's expected cost is its budget;
* **calibration reads the gate over each historical shared period**: in scenario
  ``h``, a team's shared part pays at the shared factor when each of its goals
  reaches the gate over historical shared period ``h``, and at 0 else, worked out
  from history alone;
* **the gate**: in the month that pays a shared period, a team whose goals all reach
  the gate over that period is paid its shared part as the plan without a gate pays
  it (within the minor unit a pool's split may move); a team one of whose goals misses
  it is paid no shared part;
* **conservation**: the lines add up to what each month pays, the shared pool to the
  lines' shared parts, and each goal's pool to its lines' parts.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import event, given, note
from hypothesis import strategies as st
from test_goal_longer_period_properties import _calibrated, _reading_goals_only, _scenarios
from test_goal_own_period_properties import _over
from test_goal_period_properties import _even, _historical_periods, _replay
from weighted import WeightedSpec, as_units, exact_text, weighted_specs

from jointbonus import Calibration, MonthStatus, Result, pay
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.calibration import scenario_outcomes
from jointbonus.sharedtarget.engine import pay_framed
from jointbonus.sharedtarget.pay.periods import frame_plan
from strategies import examples

_PAIRS = [
    (PeriodLength.MONTH, PeriodLength.QUARTER),
    (PeriodLength.MONTH, PeriodLength.PLAN_YEAR),
    (PeriodLength.QUARTER, PeriodLength.PLAN_YEAR),
]


@st.composite
def gated_longer_goals(draw: st.DrawFn) -> tuple[WeightedSpec, PeriodLength, PeriodLength]:
    """A plan as :func:`longer_goals` draws them (each pair of periods as often; a plan year
    of goals in a 12-month plan) with a shared gate some goal reached in a historical
    month (so that it opens in some shared periods and closes in others)."""
    shared, goal = draw(st.sampled_from(_PAIRS), label="periods")
    own_gates = draw(st.booleans(), label="own gates")
    if goal is PeriodLength.PLAN_YEAR:  # a plan year's plan and history: whole ones
        spec = draw(weighted_specs(caps=False, goal_gates=own_gates, plan_years=True))
    else:  # 3 months or more: at least a whole quarter, as its history of 6 or more holds
        months = draw(st.integers(3, 12), label="months")
        spec = draw(weighted_specs(caps=False, goal_gates=own_gates, months=months))
    spec = replace(_over(_even(spec, goal), goal), period=shared)
    event(f"goals over the {goal.noun} beside a {shared.noun}ly shared target")
    reached = sorted({a for values in spec.history_goals.values() for a in values})
    gate = draw(st.sampled_from(reached), label="shared gate")
    return replace(spec, shared_gate=exact_text(gate)), shared, goal


def _turned(
    spec: WeightedSpec,
    shared: PeriodLength,
    goal: PeriodLength,
    places: tuple[list[int], list[int]],
    turn: int,
) -> WeightedSpec:
    """Every shared period reports the historical one at ``places[0]``; plan month ``j``'s
    goals report month ``(j + turn) mod`` the goal period's length of the historical goal
    period at ``places[1]``."""
    shared_places, goal_places = places
    months = range(spec.months)
    return spec.reported(
        [spec.history_shared[shared_places[j % shared.months]] for j in months],
        {
            name: [spec.history_goals[name][goal_places[(j + turn) % goal.months]] for j in months]
            for name in spec.metric_names
        },
    )


def _month_costs(
    spec: WeightedSpec, shared: PeriodLength, goal: PeriodLength, calibration: Calibration
) -> list[list[int]]:
    """Per plan month, what it costs in each scenario: scenario ``h`` replayed with its goal
    period turned so that the month's shared period reads ``h``'s months."""
    scenarios = _scenarios(spec, shared, goal)
    paid: dict[tuple[int, int], Result] = {}
    costs: list[list[int]] = [[] for _ in range(spec.months)]
    for j in range(spec.months):
        place = j % goal.months - j % shared.months  # the shared period's place in its goal's
        for h, places in enumerate(scenarios):
            turn = (places[1].index(places[0][0]) - place) % goal.months
            if (h, turn) not in paid:
                paid[h, turn] = pay(_turned(spec, shared, goal, places, turn).build(), calibration)
            costs[j].append(paid[h, turn].months[j].paid)
    note(f"{len(scenarios)} scenarios, {len(paid)} replays; scale {calibration.scale}")
    return costs


@examples(3)
@given(gated_longer_goals())
def test_a_shared_gate_beside_longer_goals_costs_the_budget_over_the_scenarios(drawn):
    spec, shared, goal = drawn
    spec = _reading_goals_only(spec)
    spec, calibration = _calibrated(spec, goal)
    costs = _month_costs(spec, shared, goal, calibration)
    for expectation, month in zip(calibration.months, costs, strict=True):
        assert len(month) == calibration.scenarios
        assert Fraction(sum(month), len(month)) == expectation.expected_cost, expectation.month
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound


@given(gated_longer_goals())
def test_calibration_reads_the_shared_gate_over_each_historical_shared_period(drawn):
    spec, shared, goal = drawn
    spec, _ = _calibrated(spec, goal)  # the spec whose history calibration read
    plan = spec.build()
    gate = spec.gates[1]
    assert gate is not None
    scenarios = _scenarios(spec, shared, goal)
    for frame in frame_plan(plan).months:
        if not frame.closes:
            continue
        outcomes = scenario_outcomes(plan, frame)
        for outcome, (places, _) in zip(outcomes, scenarios, strict=True):
            # Each goal over the historical shared period (its targets one level): the
            # mean of its months' attainments.
            over = {
                name: sum((spec.history_goals[name][p] for p in places), Fraction(0)) / len(places)
                for name in spec.metric_names
            }
            for t, terms in enumerate(plan.functional.terms):
                opened = all(over[g.metric] >= gate for g in terms.goals)
                assert outcome.shared_for(t) == (outcome.shared if opened else 0), frame.index


def _replayed(spec: WeightedSpec, goal: PeriodLength, data: st.DataObject) -> WeightedSpec:
    """A historical goal period's months replayed in order in every goal period of the plan
    (the goals' attainments over each shared period then differ)."""
    periods = _historical_periods(spec, goal.months)
    places = periods[data.draw(st.integers(0, len(periods) - 1), label="goal period")]
    return _replay(spec, places, goal.months)


def _over_shared_period(spec: WeightedSpec, first: int, size: int) -> dict[str, Fraction]:
    """Each metric's attainment over the ``size`` plan months from ``first``, from the
    reported actuals: its actuals summed over its targets summed."""
    keys = [str(m) for m in spec.calendar[first : first + size]]
    return {
        name: sum((Fraction(spec.metric_actuals[name][k]) for k in keys), Fraction(0))
        / sum((Fraction(spec.metric_targets[name][k]) for k in keys), Fraction(0))
        for name in spec.metric_names
    }


@given(gated_longer_goals(), st.data())
def test_the_shared_gate_beside_longer_goals_reads_each_goal_over_the_shared_period(drawn, data):
    spec, shared, goal = drawn
    spec, calibration = _calibrated(spec, goal)
    reported = _replayed(spec, goal, data)
    result = pay(reported.build(), calibration)
    without_gate = replace(reported, shared_gate=None).build()  # paid at the same terms
    ungated = pay_framed(without_gate, calibration, frame_plan(without_gate))
    gate = reported.gates[1]
    assert gate is not None
    size = shared.months
    for j, month in enumerate(result.months):
        assert month.status is MonthStatus.PAID
        if j % size != size - 1:
            continue
        reached = _over_shared_period(reported, j + 1 - size, size)
        lines = [line for line in result.lines() if line.period == month.month]
        without = {
            line.member_id: line.shared for line in ungated.lines() if line.period == month.month
        }
        for t, team in enumerate(reported.teams):
            opened = all(reached[g.metric] >= gate for g in team.goals)
            if team.goals:
                event(f"a team's gate {'open' if opened else 'closed'} in some period")
            assert month.shared_for(t) == (month.factor if opened else 0), (month.month, team)
            for line in lines:
                if line.team != team.name:
                    continue
                got = as_units(result.plan, line.shared)
                if not opened:
                    assert got == 0, (month.month, line.member_id)
                    continue
                # A pool split by largest remainder without a closed team's slice may move
                # a minor unit between the open ones.
                wanted = as_units(result.plan, without[line.member_id])
                assert abs(got - wanted) <= 1, (month.month, line.member_id)


@given(gated_longer_goals(), st.data())
def test_lines_add_up_beside_a_shared_gate_and_longer_goals(drawn, data):
    spec, _, goal = drawn
    spec, calibration = _calibrated(spec, goal)
    result = pay(_replayed(spec, goal, data).build(), calibration)
    plan = result.plan
    lines = list(result.lines())
    for month in result.months:
        mine = [line for line in lines if line.period == month.month]
        assert sum(as_units(plan, line.total) for line in mine) == month.paid
        assert sum(as_units(plan, line.shared) for line in mine) == (month.pool or 0)
        for result_goal in month.goals:
            metric = result_goal.goal.metric
            assert result_goal.pool == sum(
                as_units(plan, dict(line.functional)[metric])
                for line in mine
                if line.team == result_goal.goal.team
            ), metric
        assert month.paid == (month.pool or 0) + sum(g.pool for g in month.goals)
