"""Conservation: every month, the members' shares add up to what the month paid."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from math import floor

from hypothesis import given
from independent import someone_eligible, units

from jointbonus import FundingStyle, MonthStatus, run
from strategies import payable, plan_specs


@given(plan_specs())
def test_shares_add_up_to_what_the_month_paid(spec):
    plan = payable(spec).build()
    result = run(plan)
    shares: Counter[object] = Counter()
    for line in result.lines():
        shares[line.period] += units(plan, line.total)
    for month in result.months:
        assert shares[month.month] == month.paid


@given(plan_specs(funding=FundingStyle.POOL))
def test_pool_is_paid_in_full_when_anyone_is_eligible(spec):
    plan = payable(spec).build()
    result = run(plan)
    for month in result.months:
        if month.status is MonthStatus.PAID and someone_eligible(plan, month.month):
            assert month.paid == month.pool
        else:
            assert month.paid == 0


@given(plan_specs(funding=FundingStyle.POOL))
def test_pool_is_the_pool_at_target_times_the_factor_to_the_minor_unit(spec):
    plan = payable(spec).build()
    result = run(plan)
    calibration = result.calibration
    minor = 10**plan.currency.minor_unit
    for month in result.months:
        if month.status is MonthStatus.PAID:
            actual = Fraction(str(month.plan_month.actual))
            factor = plan.curve.factor(actual / month.plan_month.target)
            exact = calibration.scale * factor * minor
            # Rounded to the minor unit, halves away from zero (the pool is never negative).
            assert month.pool == floor(exact + Fraction(1, 2))
