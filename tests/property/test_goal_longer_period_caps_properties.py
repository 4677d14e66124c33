"""Caps beside goals over a period longer than the shared one.

Checked from the outside, on the plans of
:func:`test_goal_longer_period_properties.longer_goals` (goals over a quarter or plan
year beside a monthly shared target, over a plan year beside a quarterly one) with caps:
a cap per month, a cap per plan year, or both (the year's cap now and then over two plan
years, the goals then over quarters), and now and then a holdback. Calibration's scenario
``h`` is one historical shared period, read with the historical goal period it lies in;
its paths go a goal period a step. Path ``p`` replays, in the plan's goal period ``G``,
the historical goal period ``p // k + G`` (``k`` shared periods each, in calibration's
order), its shared periods turned by ``p mod k``, every metric of the goals reporting
that goal period month by month. The rules checked:

* **neutrality**: each month's cost (less what leavers forfeit of the holdback),
  averaged over the paths, is calibration's expected cost of it, and the plan's
  expected cost is its budget;
* **the cap is never passed**: each line is what it earned (the shared part, and at a
  goal period's end the period's goals) cut to the cap per month and to the cap per
  year less what the member was paid earlier in the plan year;
* **conservation**: a month's lines add up to what it pays, holds back and cuts; a line
  is its parts less what the caps cut; each goal's pool is its team's lines' parts of
  it; a month that ends no goal period pays no goal.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import event, given, note
from hypothesis import strategies as st
from test_goal_longer_period_properties import _scenarios
from test_goal_own_period_caps_properties import _paying, assert_the_paths_cost_the_budget
from test_goal_own_period_properties import _over
from test_goal_period_properties import assert_no_line_passes_a_cap, whole_periods
from weighted import D, WeightedSpec, as_units, round_half_up

from jointbonus import Calibration, Line, MonthResult, Plan, Result, pay
from jointbonus.core.plan_periods import PeriodLength
from strategies import examples

_Drawn = tuple[WeightedSpec, PeriodLength, PeriodLength]


@st.composite
def capped_longer(draw: st.DrawFn, caps: bool | None = True) -> _Drawn:
    """A plan with caps (``caps``: ``True`` always, ``None`` sometimes; over two plan years
    always) and now and then a holdback, its goals over a quarter or plan year (``goal``)
    beside a shorter shared period (``shared``): ``(spec, shared, goal)``."""
    crossing = draw(st.booleans(), label="two plan years")
    spec, goal = draw(
        whole_periods(
            caps=caps,
            per_year=True if crossing else None,
            holding=True,
            goal_gates=draw(st.booleans(), label="own gates"),
        )
    )
    shared = PeriodLength.MONTH
    if goal is PeriodLength.PLAN_YEAR and draw(st.booleans(), label="quarterly shared"):
        shared = PeriodLength.QUARTER
    spec = _over(spec, goal)
    return replace(spec, period=shared, shared_gate=None), shared, goal


Blocks = list[list[tuple[list[int], list[int]]]]
"""Per historical goal period in calibration's order, its scenarios' places in history:
``(the shared period's months, the goal period's months)``."""


def path_blocks(spec: WeightedSpec, shared: PeriodLength, goal: PeriodLength) -> Blocks:
    """Calibration's scenarios of ``spec`` grouped by the historical goal period they lie in."""
    blocks: dict[int, list[tuple[list[int], list[int]]]] = {}
    for places, over in _scenarios(spec, shared, goal):
        blocks.setdefault(over[0], []).append((places, over))
    return [blocks[first] for first in sorted(blocks)]


def path_picks(
    months: int, blocks: Blocks, p: int, shared: PeriodLength, goal: PeriodLength
) -> tuple[list[int], list[int]]:
    """The places in history path ``p`` (see the module) reports in each of ``months`` plan
    months: ``(for the shared metric, for the goals' metrics)``."""
    size = len(blocks[0])
    shared_picks, goal_picks = [], []
    for j in range(months):
        block = blocks[(p // size + j // goal.months) % len(blocks)]
        places, over = block[(p + j % goal.months // shared.months) % size]
        shared_picks.append(places[j % shared.months])
        goal_picks.append(over[j % goal.months])
    return shared_picks, goal_picks


def _path(
    spec: WeightedSpec, blocks: Blocks, p: int, shared: PeriodLength, goal: PeriodLength
) -> WeightedSpec:
    """``spec`` reporting path ``p`` (see the module)."""
    shared_picks, goal_picks = path_picks(spec.months, blocks, p, shared, goal)
    return spec.reported(
        [spec.history_shared[h] for h in shared_picks],
        {name: [spec.history_goals[name][h] for h in goal_picks] for name in spec.metric_names},
    )


def _paid_paths(drawn: _Drawn) -> tuple[list[Result], Calibration]:
    """Every path through history paid at the plan's calibration."""
    spec, shared, goal = drawn
    periodic, calibration = _paying(spec, goal.months)
    ordered = path_blocks(periodic, shared, goal)
    paid = [
        pay(_path(periodic, ordered, p, shared, goal).build(), calibration)
        for p in range(calibration.paths)
    ]
    note(f"{len(ordered)} historical {goal.noun}s of {len(ordered[0])} {shared.noun}s")
    note(f"scale {calibration.scale}")
    return paid, calibration


@examples(2)
@given(capped_longer())
def test_capped_goals_over_a_longer_period_cost_the_budget_over_the_paths(drawn):
    """Neutrality: what each month costs (less what leavers forfeit of the holdback),
    averaged over the paths, is what calibration expects of it; their sum is the budget
    within the rounding bound."""
    paid, calibration = _paid_paths(drawn)
    assert_the_paths_cost_the_budget(paid, calibration)


@examples(2)
@given(capped_longer())
def test_no_member_is_paid_above_a_cap_beside_goals_over_a_longer_period(drawn):
    paid, _ = _paid_paths(drawn)
    event("a cap cut a line" if any(m.capped for r in paid for m in r.months) else "caps slack")
    for result in paid:
        assert_no_line_passes_a_cap(result)


@examples(2)
@given(capped_longer())
def test_capped_lines_add_up_beside_goals_over_a_longer_period(drawn):
    """Conservation: the lines add up to what a month pays, holds back and cuts; a line is
    its parts less what the caps cut; each goal's pool is its team's lines' parts of it;
    a month that ends no goal period pays no goal."""
    spec, _, goal = drawn
    paid, _ = _paid_paths(drawn)
    size = goal.months
    for result in paid:
        lines = list(result.lines())
        for j, month in enumerate(result.months):
            mine = [line for line in lines if line.period == month.month]
            assert_the_months_lines_add_up(
                result.plan, month, mine, spec.holdback, ends_goal_period=j % size == size - 1
            )


def assert_the_months_lines_add_up(
    plan: Plan, month: MonthResult, mine: list[Line], holdback: str, *, ends_goal_period: bool
) -> None:
    """Conservation in one month (``mine``: its lines): they add up to what it pays, holds
    back and cuts; a line is its parts less what the caps cut, and holds back its share
    (``holdback``); each goal's pool is its team's lines' parts of it; a month that ends no
    goal period pays no goal."""
    assert sum(as_units(plan, line.total) for line in mine) == month.paid
    assert sum(as_units(plan, line.held) for line in mine) == month.held
    assert sum(as_units(plan, line.capped) for line in mine) == month.capped
    for line in mine:
        parts = as_units(plan, line.shared) + sum(as_units(plan, a) for _, a in line.functional)
        assert as_units(plan, line.total) == parts - as_units(plan, line.capped)
        assert as_units(plan, line.held) == round_half_up(
            Fraction(D(holdback)) * as_units(plan, line.total)
        )
    if not ends_goal_period:
        assert not month.goals, month.month
        return
    for result_goal in month.goals:
        assert result_goal.pool == sum(
            as_units(plan, dict(line.functional)[result_goal.goal.metric])
            for line in mine
            if line.team == result_goal.goal.team
        )
