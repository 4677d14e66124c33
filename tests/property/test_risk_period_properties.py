"""Cost risk of plans whose periods join months: whole historical periods drawn together.

Checked from the outside, on two shapes of plan, now and then with a cap per month
and a holdback:

* goals over a period longer than the shared one (a quarter or plan year beside a
  monthly shared target, a plan year beside a quarterly one): calibration's path ``p``
  reads, in the plan's goal period ``G``, the historical goal period ``p // k + G``
  (``k`` shared periods each), its shared periods turned by ``p mod k``;
* functional goals month by month beside a quarterly or yearly shared target (the
  joint sample): path ``p`` reads historical period ``(p + k) mod H`` in the plan's
  period ``k``, its months together.

Every path is paid through the engine; a month's cost on it is what it pays less what
leavers forfeit of the holdback. A run of months that a path reads as one scenario (a
goal period's months, or a shared period's) is one draw, and runs are drawn apart. The
rules checked:

* **the exact distribution is the paths'**: the year's cost takes each total of one
  path's cost of each run with the product of their chances (each path of a run
  equally likely), so its mean is calibration's expected cost, exactly;
* **a simulated year is made of whole periods**: every year the bootstrap draws is one
  the runs' paths can make together (drawing a run's months apart makes years no path
  makes), and its mean is calibration's expected cost within sampling error.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace
from fractions import Fraction

from hypothesis import given, note, reject
from hypothesis import strategies as st
from test_goal_longer_period_caps_properties import _path as _longer_path
from test_goal_longer_period_properties import _scenarios
from test_goal_own_period_caps_properties import _path as _joint_path
from test_goal_own_period_properties import _over
from test_goal_period_properties import _historical_periods, calibrated_paying, whole_periods

from jointbonus import Calibration, Plan, RiskError, cost_risk, pay
from jointbonus.core.plan_periods import PeriodLength
from strategies import examples

_Coupled = tuple[Plan, Calibration, list[list[int]], int]
"""A plan, its calibration, each path's month costs, and the months of a run (a goal
period or a shared period)."""


@st.composite
def coupled(draw: st.DrawFn) -> _Coupled:
    """A calibrated plan whose months are joined by its periods, its paths paid."""
    spec, longer = draw(whole_periods(per_year=False, holding=True))
    yearly = longer is PeriodLength.PLAN_YEAR
    if draw(st.booleans(), label="goals over a longer period"):
        shared = PeriodLength.MONTH
        if yearly and draw(st.booleans(), label="quarterly shared"):
            shared = PeriodLength.QUARTER
        spec = replace(_over(spec, longer), period=shared, shared_gate=None)
        spec, plan, calibration = calibrated_paying(spec, longer.months)
        blocks: dict[int, list[tuple[list[int], list[int]]]] = {}
        for places, over in _scenarios(spec, shared, longer):
            blocks.setdefault(over[0], []).append((places, over))
        ordered = [blocks[first] for first in sorted(blocks)]
        paths = [
            _longer_path(spec, ordered, p, shared, longer) for p in range(calibration.scenarios)
        ]
        note(f"goals over a {longer.noun} beside a {shared.noun}ly shared target")
    else:
        spec = replace(spec, period=longer)
        spec, plan, calibration = calibrated_paying(spec, longer.months)
        periods = _historical_periods(spec, longer.months)
        paths = [_joint_path(spec, periods, p, longer.months) for p in range(len(periods))]
        note(f"monthly goals beside a shared target per {longer.noun}")
    assert len(paths) == calibration.scenarios
    costs = []
    for path in paths:
        result = pay(path.build(), calibration)
        costs.append([month.paid - month.forfeited for month in result.months])
    note(f"{len(costs)} paths; scale {calibration.scale}")
    return plan, calibration, costs, longer.months


def _paths_year(costs: list[list[int]], size: int) -> Counter[int]:
    """The year's cost by the paths: each run of ``size`` months one path's cost of it,
    each path equally likely, the runs apart (in combinations of paths, one per run)."""
    months = len(costs[0])
    year: Counter[int] = Counter({0: 1})
    for start in range(0, months, size):
        run = Counter(sum(path[start : start + size]) for path in costs)
        following: Counter[int] = Counter()
        for total, weight in year.items():
            for cost, count in run.items():
                following[total + cost] += weight * count
        year = following
    return year


@examples(3)
@given(coupled())
def test_the_exact_cost_risk_of_joined_months_is_the_paths_and_costs_the_expected_cost(
    drawn: _Coupled,
) -> None:
    plan, calibration, costs, size = drawn
    try:
        risk = cost_risk(plan, calibration, method="exact")
    except RiskError:
        reject()  # too many totals to count
    assert risk.year.mean == calibration.expected_cost
    year = _paths_year(costs, size)
    combinations = sum(year.values())
    assert [(cost, p) for cost, p in risk.year.points()] == [
        (cost, Fraction(year[cost], combinations)) for cost in sorted(year)
    ]


@examples(3)
@given(coupled(), st.integers(0, 2**32))
def test_a_simulated_year_of_joined_months_is_made_of_whole_periods(
    drawn: _Coupled, seed: int
) -> None:
    plan, calibration, costs, size = drawn
    risk = cost_risk(plan, calibration, method="bootstrap", years=400, seed=seed)
    year = _paths_year(costs, size)
    drawn_years = set(risk.year.amounts)
    assert drawn_years <= set(year), sorted(drawn_years - set(year))[:5]
    # Within 6 standard errors of the paths' mean (the spread counted from the paths).
    combinations = sum(year.values())
    mean = Fraction(sum(cost * n for cost, n in year.items()), combinations)
    assert mean == calibration.expected_cost
    variance = Fraction(sum(cost * cost * n for cost, n in year.items()), combinations) - mean**2
    assert abs(risk.year.mean - mean) <= 6 * math.sqrt(variance / 400) + 1
