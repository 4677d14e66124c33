"""Upside and downside: paying more for better performance, never less."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from independent import exact_decimal, historical_norm, paid_in_year, year_paid

from jointbonus import calibrate, pay
from strategies import curve_specs, examples, payable, plan_specs

attainments = st.fractions(min_value=0, max_value=4, max_denominator=1000)


@given(curve_specs(), attainments, attainments)
def test_payout_factor_never_decreases_as_attainment_rises(spec, first, second):
    curve = spec.build()
    low, high = sorted((first, second))
    assert 0 <= curve.factor(low) <= curve.factor(high)


@examples(2)
@given(plan_specs(), st.data())
def test_year_above_the_norm_costs_at_least_a_year_below_it(spec, data):
    plan = payable(spec).build()
    calibration = calibrate(plan)
    norm = historical_norm(spec.history, spec.norm, spec.window)
    above = []
    below = []
    for month, at_norm in zip(plan.months, norm.at_norm(plan), strict=True):
        up = data.draw(st.integers(0, 800), label=f"{month.month} up, thousandths")
        down = data.draw(st.integers(1, 1000), label=f"{month.month} down, thousandths")
        above.append(at_norm * (1 + Fraction(up, 1000)))
        below.append(at_norm * (1 - Fraction(down, 1000)))
    high = paid_in_year(year_paid(plan, calibration, above))
    low = paid_in_year(year_paid(plan, calibration, below))
    note(f"above the norm paid {high}, below it {low}")
    assert high >= low


@given(plan_specs(), st.data())
def test_raising_an_actual_never_lowers_the_months_payout(spec, data):
    plan = payable(spec).build()
    calibration = calibrate(plan)
    index = data.draw(st.integers(0, len(plan.months) - 1), label="month")
    month = plan.months[index]
    # The actual as a share of the target, in thousandths: from 0 to twice the target.
    share = data.draw(st.integers(0, 2000), label="actual / target, thousandths")
    raise_by = data.draw(st.integers(0, 1000), label="raised by, thousandths of the target")

    def paid_at(thousandths: int) -> int:
        actual = exact_decimal(month.target * Fraction(thousandths, 1000))
        assert actual is not None, f"target {month.target} is not a finite decimal"
        moved = replace(month, actual=actual)
        year = replace(plan, months=(*plan.months[:index], moved, *plan.months[index + 1 :]))
        return pay(year, calibration).months[index].paid

    before, after = paid_at(share), paid_at(share + raise_by)
    note(f"target {month.target}: paid {before}, then {after} after the raise")
    assert after >= before
