"""Cost risk: the exact distribution of a year's cost, and the bootstrap beside it.

Step plans are drawn from the shared plan strategy with a step curve put in;
their year is always counted exactly. Every generated plan (any curve) is
checked for ordered percentiles. The bootstrap's draws are checked against
drawing each group of months plainly, one ``random.choices`` after another.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter
from dataclasses import replace
from fractions import Fraction

from hypothesis import example, given, reject
from hypothesis import strategies as st

from jointbonus import (
    Calibration,
    CalibrationError,
    Plan,
    RiskMethod,
    build_plan,
    calibrate,
    cost_risk,
    pay,
    scenario_month_costs,
)
from jointbonus.sharedtarget.pay.groups import frame_months
from jointbonus.sharedtarget.risk import (
    GROUP_TABLE_LIMIT,
    CostDistribution,
    Drawn,
    _bootstrap,
    _exact,
)
from strategies import CurveSpec, PlanSpec, examples, fixed_point, plan_specs

PERCENTILES = (1, 5, 10, 25, 50, 75, 90, 95, 99)


@st.composite
def step_plans(draw: st.DrawFn, max_months: int = 12) -> tuple[Plan, Calibration]:
    """A calibrated plan paying a step curve (threshold 80% to 120%, payout 0.25 to 3)."""
    spec = draw(plan_specs(max_members=8, max_history=36, max_months=max_months))
    threshold = fixed_point(draw(st.integers(80, 120)), 2)
    payout = fixed_point(draw(st.one_of(st.just(100), st.integers(25, 300))), 2)
    plan = replace(spec, curve=CurveSpec("step", threshold, payout)).build()
    try:
        return plan, calibrate(plan)
    except CalibrationError:
        reject()


def calibrated_plans() -> st.SearchStrategy[tuple[Plan, Calibration]]:
    """Any generated plan (step or linear curve) that can be calibrated."""

    def calibrated(plan: Plan) -> tuple[Plan, Calibration]:
        try:
            return plan, calibrate(plan)
        except CalibrationError:
            reject()

    return plan_specs(max_members=8, max_history=36, max_months=12).map(
        lambda spec: calibrated(spec.build())
    )


def probabilities(distribution: CostDistribution) -> list[Fraction]:
    return [p for _, p in distribution.points()]


@examples(2)
@given(step_plans())
def test_exact_probabilities_sum_to_one(case: tuple[Plan, Calibration]) -> None:
    plan, calibration = case
    risk = cost_risk(plan, calibration, method="exact")
    for distribution in risk.distributions:
        assert distribution.method is RiskMethod.EXACT
        assert all(p > 0 for p in probabilities(distribution))
        assert sum(probabilities(distribution)) == 1
        scenarios = len(plan.norm.sample)
        assert distribution.total_weight == scenarios ** len(distribution.drawn_months)


@examples(2)
@given(step_plans())
def test_exact_mean_equals_the_expected_cost(case: tuple[Plan, Calibration]) -> None:
    plan, calibration = case
    risk = cost_risk(plan, calibration, method="exact")
    mean = sum((a * p for a, p in risk.year.points()), Fraction(0))
    assert mean == risk.year.mean == calibration.expected_cost


@examples(2)
@given(step_plans())
def test_given_paid_mean_is_paid_plus_the_pending_months_expected_cost(
    case: tuple[Plan, Calibration],
) -> None:
    plan, calibration = case
    risk = cost_risk(plan, calibration, method="exact")
    paid = [m for m in plan.months if m.actual is not None]
    if not paid:
        assert risk.given_paid is None
        return
    given_paid = risk.given_paid
    assert given_paid is not None
    assert given_paid.paid_months == tuple(m.month for m in paid)
    expected = {m.month: m.expected_cost for m in calibration.months}
    pending = sum((expected[m] for m in given_paid.drawn_months), Fraction(0))
    assert given_paid.mean == given_paid.paid + pending
    assert given_paid.minimum >= given_paid.paid


@examples(2)
@given(
    plan_specs(max_members=8, max_history=36, max_months=12),
    st.sampled_from(["0", "0.2", "0.5"]),
)
def test_the_year_given_paid_months_starts_from_what_the_plan_paid_so_far(
    spec: PlanSpec, holdback: str
) -> None:
    """The months paid are costed as the month tables cost a month (less what leavers
    forfeit of the holdback), which is what the engine paid: the plan summary's figure."""
    plan = build_plan(**spec.kwargs(), holdback=holdback)
    try:
        calibration = calibrate(plan)
    except CalibrationError:
        reject()
    risk = cost_risk(plan, calibration, method="bootstrap", years=20)
    summary = pay(plan, calibration).summary
    if risk.given_paid is None:
        assert summary.months_paid == 0
        return
    assert risk.given_paid.paid == summary.paid_to_date
    assert len(risk.given_paid.paid_months) == summary.months_paid


@examples(2)
@given(step_plans(max_months=4), st.data())
def test_exact_distribution_counts_every_combination(
    case: tuple[Plan, Calibration], data: st.DataObject
) -> None:
    plan, calibration = case
    tables = scenario_month_costs(plan, calibration, frame_months(plan))
    months = data.draw(st.integers(1, len(tables)))
    tables = tables[:months]
    if any(sum(t.values()) > 12 for t in tables):  # keep the enumeration small
        tables = tuple(Counter({c: 1 for c in t}) for t in tables)
    counted: Counter[int] = Counter()
    for combination in itertools.product(*(list(t.elements()) for t in tables)):
        counted[sum(combination)] += 1
    exact = _exact(tables, 0, 10**9)
    assert exact is not None
    amounts, cumulative = exact
    weights = [c - p for c, p in zip(cumulative, (0, *cumulative[:-1]), strict=True)]
    assert dict(zip(amounts, weights, strict=True)) == dict(counted)


@examples(2)
@given(calibrated_plans(), st.integers(0, 2**32))
def test_percentiles_are_monotone(case: tuple[Plan, Calibration], seed: int) -> None:
    plan, calibration = case
    risk = cost_risk(plan, calibration, years=400, seed=seed, percentiles=PERCENTILES)
    for distribution in risk.distributions:
        values = [distribution.percentile(p) for p in PERCENTILES]
        assert distribution.minimum <= values[0]
        assert values == sorted(values)
        assert values[-1] <= distribution.maximum


@examples(2)
@given(step_plans(), st.integers(0, 2**32))
def test_bootstrap_years_are_years_the_exact_distribution_can_cost(
    case: tuple[Plan, Calibration], seed: int
) -> None:
    plan, calibration = case
    exact = cost_risk(plan, calibration, method="exact")
    simulated = cost_risk(plan, calibration, method="bootstrap", years=300, seed=seed)
    for counted, drawn in zip(exact.distributions, simulated.distributions, strict=True):
        assert set(drawn.amounts) <= set(counted.amounts)
        if drawn.drawn_months:
            assert drawn.method is RiskMethod.BOOTSTRAP and drawn.years == 300


def drawn_one_by_one(tables: list[Counter[int]], paid: int, years: int, seed: int) -> list[int]:
    """The bootstrap written out plainly: each group of months' table of combinations made
    from its months' equally likely costs, drawn from with ``random.choices`` group after
    group, and ``paid`` added to every year."""
    rng = random.Random(seed)
    groups: list[list[int]] = []
    for table in tables:
        common = math.gcd(*table.values())
        entries = [cost for cost in sorted(table) for _ in range(table[cost] // common)]
        if groups and len(groups[-1]) * len(entries) <= GROUP_TABLE_LIMIT:
            groups[-1] = [a + b for a in groups[-1] for b in entries]
        else:
            groups.append(entries)
    totals = [paid] * years
    for group in groups:
        drawn = rng.choices(group, k=years)
        totals = [total + cost for total, cost in zip(totals, drawn, strict=True)]
    return sorted(totals)


def month_table(spread: int, far: bool) -> st.SearchStrategy[Counter[int]]:
    """A month's costs: up to three, ``spread`` apart at most, from 0 or (``far``) from a
    base far from 0 either way."""
    return st.builds(
        lambda base, costs: Counter({base + cost: count for cost, count in costs.items()}),
        st.integers(-(2**62), 2**62) if far else st.just(0),
        st.dictionaries(st.integers(0, spread), st.integers(1, 6), min_size=1, max_size=3),
    )


# Months near 0 or far from it, close together or not: the bootstrap holds its totals every
# way it can (as they are, each month less its middle, or wider than one digit).
month_tables = st.tuples(st.sampled_from((10**3, 10**8, 10**9)), st.booleans()).flatmap(
    lambda case: st.lists(month_table(*case), max_size=9)
)


# Four months of 300 equally likely costs each, far apart: each month is a group of its
# own (300 x 300 entries pass the limit), so the year given its last two months takes the
# year's picks at both its positions, and the year with an amount paid besides takes them
# at its first two positions and draws its last two.
APART = [Counter({base + 7 * cost: 1 for cost in range(300)}) for base in (0, 2**40, -(2**35), 5)]
# Two months of small costs: the year's totals are one digit as they are; with 2^40 paid
# besides, they are drawn less each month's middle, from tables of their own.
NEAR = APART[0::3]


@examples(2)
@given(
    month_tables,
    st.integers(0, 9),
    st.one_of(st.integers(0, 10**10), st.integers(-(2**62), 2**62)),
    st.integers(1, 60),
    st.integers(0, 2**32),
)
@example(APART, 2, 10**9, 40, 3)
@example(NEAR, 0, 2**40, 30, 5)
def test_the_bootstrap_draws_the_years_drawing_group_by_group_draws(
    tables: list[Counter[int]], paid_months: int, paid: int, years: int, seed: int
) -> None:
    # The year, then the year given its first months paid, as cost_risk draws them: sharing
    # the tables of combinations made, and the picks where both draw a group of the same
    # size at the same position; each as if drawn on its own. The same months with an
    # amount paid besides follow, as when the paid months fill whole groups: the pending
    # months' groups are the year's last ones, the paid amount often taking the totals
    # past one digit; they take the picks made where they are shared and draw the rest.
    pending = tables[paid_months:]
    drawn = Drawn.between(tables, pending)
    assert _bootstrap(tables, 0, years, seed, drawn) == drawn_one_by_one(tables, 0, years, seed)
    for months in (pending, tables):
        assert _bootstrap(months, paid, years, seed, drawn) == drawn_one_by_one(
            months, paid, years, seed
        )
    # Other months, in another order: no table of combinations made for the first ones is
    # taken for them, and picks only where their groups' sizes match.
    others = tables[::-1]
    assert _bootstrap(others, paid, years, seed, drawn) == drawn_one_by_one(
        others, paid, years, seed
    )
