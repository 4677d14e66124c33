"""Revenue neutrality: at historical performance, the plan costs the budget.

Checked from the outside: the norm is derived again from the history, every
historical month is replayed as a plan year whose months reach that month's
attainment, the engine pays it, and the mean of what was paid is compared
with the budget. Only the scale comes from the calibration; the bound (half
a minor unit per rounded amount) is counted independently.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from independent import (
    HistoricalNorm,
    calibrated,
    historical_norm,
    paid_in_year,
    rounded_in_year,
    year_paid,
)

from jointbonus import (
    CalibrationError,
    LinearCurve,
    Neutrality,
    StepCurve,
    build_plan,
    calibrate,
    run,
)
from strategies import PlanSpec, examples, plan_specs


def norm_of(spec: PlanSpec) -> HistoricalNorm:
    return historical_norm(spec.history, spec.norm, spec.window)


@examples(4)
@given(plan_specs(neutrality=Neutrality.EXPECTED_COST))
def test_expected_cost_equals_budget_within_rounding_bound(spec):
    plan = spec.build()
    calibration = calibrated(plan)
    norm = norm_of(spec)
    scenarios = len(norm.sample)
    paid = 0
    rounded = 0
    for historical in norm.sample:
        result = year_paid(plan, calibration, norm.scenario(plan, historical))
        paid += paid_in_year(result)
        rounded += rounded_in_year(plan, calibration.scale, result)
    average = Fraction(paid, scenarios)
    bound = Fraction(rounded, 2 * scenarios)
    note(f"budget {plan.budget.amount}, mean paid {average}, bound {bound}")
    assert abs(average - plan.budget.amount) <= bound


@examples(4)
@given(plan_specs())
def test_reported_expected_cost_residual_and_bound_are_what_the_engine_pays(spec):
    plan = spec.build()
    calibration = calibrated(plan)
    norm = norm_of(spec)
    scenarios = len(norm.sample)
    paid = 0
    rounded = 0
    for historical in norm.sample:
        result = year_paid(plan, calibration, norm.scenario(plan, historical))
        paid += paid_in_year(result)
        rounded += rounded_in_year(plan, calibration.scale, result)
    at_norm = year_paid(plan, calibration, norm.at_norm(plan))
    assert calibration.expected_cost == Fraction(paid, scenarios)
    assert calibration.norm_path_cost == paid_in_year(at_norm)
    if plan.neutrality is Neutrality.EXPECTED_COST:
        assert calibration.residual == Fraction(paid, scenarios) - plan.budget.amount
        assert calibration.rounding_bound == Fraction(rounded, 2 * scenarios)
    else:
        assert calibration.residual == paid_in_year(at_norm) - plan.budget.amount
        assert calibration.rounding_bound == Fraction(
            rounded_in_year(plan, calibration.scale, at_norm), 2
        )


@given(plan_specs(neutrality=Neutrality.NORM_PATH))
def test_norm_path_cost_equals_budget_within_rounding_bound(spec):
    plan = spec.build()
    calibration = calibrated(plan)
    result = year_paid(plan, calibration, norm_of(spec).at_norm(plan))
    rounded = rounded_in_year(plan, calibration.scale, result)
    note(f"budget {plan.budget.amount}, paid {paid_in_year(result)}, amounts rounded {rounded}")
    assert abs(paid_in_year(result) - plan.budget.amount) <= Fraction(rounded, 2)


@given(plan_specs(), st.data())
def test_plan_that_never_reaches_the_threshold_cannot_be_calibrated(spec, data):
    plan = spec.build()
    norm = norm_of(spec)
    best = max(max(norm.scenario(plan, a)) for a in norm.sample)
    above = best + Fraction(data.draw(st.integers(1, 500), label="thousandths above"), 1000)
    if data.draw(st.booleans(), label="step curve"):
        curve = StepCurve(above, Fraction(data.draw(st.integers(1, 300)), 100))
    else:
        # Zero up to (and at) the best historical attainment, paying only beyond it.
        curve = LinearCurve(((best, Fraction(0)), (above, Fraction(1)), (above + 1, Fraction(2))))
    unpayable = build_plan(**{**spec.kwargs(), "curve": curve})
    with pytest.raises(CalibrationError) as raised:
        calibrate(unpayable)
    assert "threshold" in str(raised.value) or "eligible" in str(raised.value)
    with pytest.raises(CalibrationError):
        run(unpayable)
