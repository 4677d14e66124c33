"""Goals over a period longer than the shared one: a quarter or plan year beside a monthly
shared target, a plan year beside a quarterly one.

Checked from the outside, on the plans of :func:`test_goal_own_period_properties._over`
(every metric's targets one level, in the plan and in history) with the shared target
set back to a shorter period and no shared gate. Calibration's scenario ``h`` is one
historical shared period, read with the historical goal period it lies in; replaying
it (every shared period of the plan reports shared period ``h``, every goal period
reports that goal period, month by month) is exact. The rules checked:

* **neutrality**: each month's cost, averaged over the replayed scenarios, is
  calibration's expected cost of it, and the plan's expected cost is its budget
  (without the gates that read the shared metric: a replay cannot report both a
  scenario's shared period and its goal period's shared attainment);
* **the gates read the goal period**: in the month that ends a goal period, each goal's
  mean factor in calibration is its factor over the historical goal periods, the
  functional gate and the goals' own gates reading the shared attainment and the other
  metrics over the same historical goal period, worked out from history alone;
* **conservation**: the lines add up to what each month pays; a goal's pool is its
  lines' functional parts summed; a month that ends no goal period pays no goal; a
  goal's attainment is its period's actuals summed over its targets summed, and the
  functional gate reads the shared attainment over the same period;
* **the monthly goal at the same attainment**: when every month of a goal period
  reports the same attainments, a goal's exact pool over the period is the monthly
  goal's exact pools of its months summed, and each member's amount of it is within
  one minor unit a month of what the monthly goal pays them over those months.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from test_goal_own_period_properties import _over
from test_goal_period_properties import (
    _historical_periods,
    _replay,
    calibrated_paying,
    goal_periods,
)
from weighted import SHARED_METRIC, WeightedSpec, as_units, gate_factors

from jointbonus import Calibration, MonthStatus, Result, pay
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.engine import pay_framed
from jointbonus.sharedtarget.pay.periods import frame_plan
from strategies import examples


@st.composite
def longer_goals(
    draw: st.DrawFn, *, quarterly: bool = True
) -> tuple[WeightedSpec, PeriodLength, PeriodLength]:
    """A plan whose goals run over a quarter or plan year (``goal``) beside a shorter shared
    period (``shared``, a month unless ``quarterly`` lets a plan year's be a quarter):
    ``(spec, shared, goal)``."""
    spec, goal = draw(goal_periods())
    shared = PeriodLength.MONTH
    quarterly = quarterly and goal is PeriodLength.PLAN_YEAR
    if quarterly and draw(st.booleans(), label="quarterly shared"):
        shared = PeriodLength.QUARTER
    return replace(_over(spec, goal), period=shared, shared_gate=None), shared, goal


def _calibrated(spec: WeightedSpec, goal: PeriodLength) -> tuple[WeightedSpec, Calibration]:
    """The spec and its calibration; a plan some part of which never pays at historical
    performance gets one historical goal period paying every part (:func:`calibrated_paying`:
    every shared period inside it pays too). Read the history from the spec returned."""
    periodic, _, calibration = calibrated_paying(spec, goal.months)
    return periodic, calibration


def _scenarios(
    spec: WeightedSpec, shared: PeriodLength, goal: PeriodLength
) -> list[tuple[list[int], list[int]]]:
    """Per calibration scenario: the places in history of its shared period's months and of
    the goal period's it lies in."""
    plan = spec.build()
    place = {h.month: p for p, h in enumerate(spec.history)}
    size = goal.months
    first = spec.start.index()
    found = []
    for month in plan.norm.sample_months:
        start = month.index() - (month.index() - first) % size
        found.append(
            (
                [place[month.shift(k)] for k in range(shared.months)],
                [place[month.shift(start - month.index() + k)] for k in range(size)],
            )
        )
    return found


def _replayed(
    spec: WeightedSpec, shared: PeriodLength, goal: PeriodLength, calibration: Calibration
) -> list[Result]:
    """Every scenario replayed and paid at ``calibration``."""
    paid = []
    for shared_places, goal_places in _scenarios(spec, shared, goal):
        months = range(spec.months)
        replayed = spec.reported(
            [spec.history_shared[shared_places[j % shared.months]] for j in months],
            {
                name: [spec.history_goals[name][goal_places[j % goal.months]] for j in months]
                for name in spec.metric_names
            },
        )
        paid.append(pay(replayed.build(), calibration))
    note(f"{len(paid)} scenarios; scale {calibration.scale}")
    return paid


def _reading_goals_only(spec: WeightedSpec) -> WeightedSpec:
    """``spec`` without the gates that read the shared metric (the functional gate, a goal's
    own gate on it): a scenario's shared period and its goal period's shared attainment
    cannot both be replayed, so these are checked on calibration's factors instead
    (:func:`test_the_gates_of_goals_over_a_longer_period_read_its_historical_period`)."""
    teams = tuple(
        replace(
            team,
            goals=tuple(
                replace(g, gate=None)
                if g.gate is not None and g.gate.metric == SHARED_METRIC
                else g
                for g in team.goals
            ),
        )
        for team in spec.teams
    )
    return replace(spec, functional_gate=None, teams=teams)


@examples(3)
@given(longer_goals())
def test_goals_over_a_longer_period_cost_the_budget_over_the_scenarios(drawn):
    spec, shared, goal = drawn
    spec = _reading_goals_only(spec)
    spec, calibration = _calibrated(spec, goal)
    paid = _replayed(spec, shared, goal, calibration)
    assert calibration.scenarios == len(paid)
    for j, expectation in enumerate(calibration.months):
        total = sum(result.months[j].paid for result in paid)
        assert Fraction(total, len(paid)) == expectation.expected_cost, expectation.month
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound


@examples(3)
@given(longer_goals(), st.data())
def test_goals_over_a_longer_period_are_paid_at_its_end_and_add_up(drawn, data):
    spec, _, goal = drawn
    spec, calibration = _calibrated(spec, goal)
    # A historical goal period's months replayed in order: the shared attainment of a
    # month and over the goal period differ, as the gates' readings then may.
    periods = _historical_periods(spec, goal.months)
    places = periods[data.draw(st.integers(0, len(periods) - 1), label="goal period")]
    result = pay(_replay(spec, places, goal.months).build(), calibration)
    plan = result.plan
    lines = list(result.lines())
    for j, month in enumerate(result.months):
        assert month.status is MonthStatus.PAID
        mine = [line for line in lines if line.period == month.month]
        assert sum(as_units(plan, line.total) for line in mine) == month.paid
        if j % goal.months != goal.months - 1:
            assert not month.goals
            assert all(not as_units(plan, amount) for line in mine for _, amount in line.functional)
            continue
        inside = plan.months[j + 1 - goal.months : j + 1]
        over = sum((Fraction(m.actual or 0) for m in inside), Fraction(0)) / sum(
            (m.target for m in inside), Fraction(0)
        )
        gate = plan.functional.gates.functional
        metrics = {m.name: m.months[j + 1 - goal.months : j + 1] for m in plan.functional.metrics}
        for result_goal in month.goals:
            # Its attainment is its period's actuals summed over its targets summed.
            sums = metrics[result_goal.goal.metric]
            assert result_goal.attainment == sum(
                (Fraction(m.actual or 0) for m in sums), Fraction(0)
            ) / sum((m.target for m in sums), Fraction(0))
            # The functional gate reads the shared attainment over the goal's period.
            assert result_goal.gated == (gate is not None and over < gate)
            shut = result_goal.gated or result_goal.goal_gated
            curve = result_goal.goal.curve.factor(result_goal.attainment)
            assert result_goal.factor == (0 if shut else curve)
            metric = result_goal.goal.metric
            assert result_goal.pool == sum(
                as_units(plan, dict(line.functional)[metric])
                for line in mine
                if line.team == result_goal.goal.team
            ), metric


@examples(3)
@given(longer_goals())
def test_the_gates_of_goals_over_a_longer_period_read_its_historical_period(drawn):
    spec, shared, goal = drawn
    spec, calibration = _calibrated(spec, goal)
    scenarios = _scenarios(spec, shared, goal)
    plan = spec.build()
    size = goal.months
    for j, expectation in enumerate(calibration.months):
        if j % size != size - 1:
            assert not any(expectation.mean_goal_factors), expectation.month
            continue
        expected = [Fraction(0)] * len(plan.goals)
        for _, places in scenarios:
            over = sum((spec.history_shared[p] for p in places), Fraction(0)) / size
            goals = {
                name: sum((spec.history_goals[name][p] for p in places), Fraction(0)) / size
                for name in spec.metric_names
            }
            _, factors = gate_factors(spec, over, goals)
            for g, plan_goal in enumerate(plan.goals):
                expected[g] += factors[plan_goal.team, plan_goal.metric] / len(scenarios)
        assert list(expectation.mean_goal_factors) == expected, expectation.month


def _level(spec: WeightedSpec, goal: PeriodLength, picks: list[int]) -> WeightedSpec:
    """Every month of goal period ``k`` reports historical month ``picks[k]``, every metric."""
    months = range(spec.months)
    return spec.reported(
        [spec.history_shared[picks[j // goal.months]] for j in months],
        {
            name: [spec.history_goals[name][picks[j // goal.months]] for j in months]
            for name in spec.metric_names
        },
    )


@examples(3)
@given(longer_goals(quarterly=False), st.data())
def test_a_goal_over_a_period_at_one_attainment_pays_what_the_monthly_goal_pays(drawn, data):
    spec, _, goal = drawn
    spec, calibration = _calibrated(spec, goal)
    periods = spec.months // goal.months
    places = st.integers(0, len(spec.history) - 1)
    picks = data.draw(st.lists(places, min_size=periods, max_size=periods), label="months")
    level = _level(spec, goal, picks)
    monthly = replace(
        level,
        teams=tuple(
            replace(t, goals=tuple(replace(g, period="month") for g in t.goals))
            for t in level.teams
        ),
    )
    over = pay(level.build(), calibration)
    month_plan = monthly.build()  # paid at the same scale and weights
    by_month = pay_framed(month_plan, calibration, frame_plan(month_plan))
    size = goal.months
    for k in range(periods):
        end = over.months[(k + 1) * size - 1]
        inside = by_month.months[k * size : (k + 1) * size]
        for g, _ in enumerate(end.goals):
            exact = end.splits[1 + g].exact
            assert exact == sum((m.splits[1 + g].exact for m in inside), Fraction(0))
        period_lines = {
            line.member_id: dict(line.functional)
            for line in over.lines()
            if line.period == end.month
        }
        summed: dict[str, dict[str, int]] = {}
        for line in by_month.lines():
            if line.period in {m.month for m in inside}:
                parts = summed.setdefault(line.member_id, {})
                for metric, amount in line.functional:
                    parts[metric] = parts.get(metric, 0) + as_units(by_month.plan, amount)
        for member, parts in summed.items():
            for metric, amount in parts.items():
                got = as_units(over.plan, period_lines.get(member, {}).get(metric, 0))
                assert abs(got - amount) <= size, (member, metric, end.month)
