"""Shared targets over a quarter or a plan year: neutrality, conservation, monotonicity.

Checked from the outside. The norm at the period's length is derived again
from the history by its plain statement (whole historical periods aligned
with the plan's, each one's actuals summed over its levels summed); every
historical period is replayed as a plan year whose every period reaches that
attainment; the engine pays it; weights over a period are counted day by day
(:mod:`independent`). Only the scale comes from the calibration.

A replayed period's actuals are written unevenly (all of it in its first
month, against a target of half the period's), so that a period attainment
taken as the mean of its months' attainments would differ from the period's
summed actual over its summed target.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from independent import calibrated, detached, units
from period_replay import (
    PeriodSpec,
    historical_periods,
    paid,
    period_ratios,
    period_specs,
    period_weights,
    periods_at,
    replayed_cost,
)

from jointbonus import (
    CalibrationError,
    FundingStyle,
    MonthStatus,
    Neutrality,
    pay,
    run,
)
from jointbonus.core.plan_periods import PeriodLength
from strategies import examples, plan_specs

# -- the properties -------------------------------------------------------------


@examples(3)
@given(period_specs(neutrality=Neutrality.EXPECTED_COST))
def test_expected_cost_over_historical_periods_is_the_budget(period):
    plan = period.build()
    calibration = calibrated(plan)
    average, bound = replayed_cost(period, plan, calibration)
    sample = historical_periods(period)
    note(f"{len(sample)} periods; budget {plan.budget.amount}, mean {average}, bound {bound}")
    assert calibration.scenarios == len(sample)
    assert calibration.expected_cost == average
    assert abs(average - plan.budget.amount) <= bound


@examples(3)
@given(period_specs(), st.data())
def test_a_periods_shares_add_up_to_its_pool_shared_by_weight_over_the_period(period, data):
    plan, calibration = period.payable()
    size = period.length.months
    periods = len(plan.months) // size
    attainments = [
        Fraction(data.draw(st.integers(500, 1600), label="attainment"), 1000)
        for _ in range(periods)
    ]
    result = pay(periods_at(plan, attainments, size), detached(calibration))
    shares: Counter[object] = Counter()
    by_member: dict[tuple[object, str], int] = {}
    for line in result.lines():
        shares[line.period] += units(plan, line.total)
        by_member[line.period, line.member_id] = units(plan, line.shared)
    for j, month in enumerate(result.months):
        assert shares[month.month] == month.paid
        ends = (j + 1) % size == 0
        assert month.ends_period is ends
        if not ends:
            assert month.paid == 0 and month.attainment is None
            continue
        months = range(j - size + 1, j + 1)
        assert month.attainment == attainments[j // size]
        weights = period_weights(plan, months)
        total = sum(weights)
        if plan.funding is FundingStyle.POOL and total:
            assert month.paid == month.pool
            for member, weight in zip(plan.members, weights, strict=True):
                exact = month.pool * weight / total
                assert abs(by_member[month.month, member.id] - exact) < 1


@examples(3)
@given(period_specs(), st.data())
def test_a_year_above_the_norm_costs_at_least_a_year_below_it(period, data):
    plan, calibration = period.payable()
    sample = historical_periods(period)
    mean = sum(sample, Fraction(0)) / len(sample)
    ratios = period_ratios(period, plan)
    size = period.length.months
    above = [(mean + Fraction(data.draw(st.integers(0, 800)), 1000)) * r for r in ratios]
    below = [
        max(Fraction(0), mean - Fraction(data.draw(st.integers(0, 800)), 1000)) * r for r in ratios
    ]
    high = paid(pay(periods_at(plan, above, size), detached(calibration)))
    low = paid(pay(periods_at(plan, below, size), detached(calibration)))
    note(f"above {high}, below {low}")
    assert high >= low


@examples(3)
@given(plan_specs(max_members=12))
def test_a_monthly_period_is_the_plan_as_it_was(spec):
    plan = spec.build()
    monthly = PeriodSpec(spec, PeriodLength.MONTH).build()
    assert monthly == plan
    try:
        result = run(plan)
    except CalibrationError:  # a plan that cannot be calibrated says so either way
        return
    again = run(monthly)
    assert [m.lines.figures for m in again.months] == [m.lines.figures for m in result.months]
    assert all(m.ends_period and not m.shared_period for m in again.months)
    assert all(m.status in (MonthStatus.PAID, MonthStatus.PENDING) for m in again.months)
