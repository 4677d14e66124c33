"""Calibration on small plans whose every figure is worked out by hand here.

Unless a test says otherwise, history is three months with a target of 100
and actuals of 90, 100 and 110: an attainment sample of 0.9, 1.0 and 1.1,
each equally likely. A step curve at 100% then pays in two scenarios out of
three, so each plan month's expected payout factor is 2/3.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_FLOOR, localcontext
from fractions import Fraction
from typing import Any

import pytest

from jointbonus import (
    CalibrationError,
    D,
    HistoryMonth,
    JointBonusError,
    LinearCurve,
    Member,
    Month,
    Neutrality,
    Plan,
    PlanError,
    StepCurve,
    build_plan,
    calibrate,
)
from jointbonus.core.periods import plan_months
from jointbonus.sharedtarget.calibration import _kink_at, _order_ties

F = Fraction


def member(
    id: str,
    *,
    start: date = date(2020, 1, 1),
    end: date | None = None,
    fte: str = "1",
    salary: str | None = None,
    bonus: str | None = None,
) -> Member:
    return Member(
        id,
        "sales",
        start,
        end,
        D(fte),
        None if salary is None else D(salary),
        None if bonus is None else D(bonus),
    )


def past(
    actuals: tuple[str, ...] = ("90", "100", "110"), target: str = "100"
) -> list[HistoryMonth]:
    months = plan_months(Month(2026, 1).shift(-len(actuals)), len(actuals))
    return [HistoryMonth(m, D(a), D(target)) for m, a in zip(months, actuals, strict=True)]


def plan(**given: Any) -> Plan:
    months = given.get("months", 12)
    settings: dict[str, Any] = {
        "name": "Hand plan",
        "currency": "USD",
        "start": "2026-01",
        "months": months,
        "members": [member("A"), member("B")],
        "history": past(),
        "targets": {str(m): "100" for m in plan_months(Month(2026, 1), months)},
        "curve": StepCurve(),
        "budget": "300.00",
    }
    settings.update(given)
    return build_plan(**settings)


# -- expected-cost neutrality --------------------------------------------------------


def test_step_curve_pool_at_target() -> None:
    # Each month pays the pool with probability 2/3: at scale 1 the year is
    # expected to cost 12 x 2/3 = 8 pools, so the pool at target is 300 / 8 = 37.50.
    calibration = calibrate(plan())
    assert calibration.neutrality is Neutrality.EXPECTED_COST
    assert calibration.calibrated
    assert calibration.scenarios == 3
    assert calibration.unit_cost == 8
    assert calibration.scale == F(75, 2)
    assert calibration.budget == 30000
    # 12 months x 2/3 x 37.50 = 300.00 exactly: no residual
    assert calibration.expected_cost == 30000
    assert calibration.residual == 0
    # one pool is rounded in 2 scenarios of 3, in 12 months: 8 pools, half a cent each
    assert calibration.rounding_bound == 4
    assert calibration.within_bound
    # at the norm (mean attainment 1.0) every month pays its 37.50
    assert calibration.norm_path_cost == 12 * 3750


def test_month_expectations() -> None:
    calibration = calibrate(plan())
    assert len(calibration.months) == 12
    january = calibration.months[0]
    assert january.month == Month(2026, 1)
    assert january.norm_attainment == 1
    assert january.hit_rate == F(2, 3)
    assert january.mean_factor == F(2, 3)
    assert january.expected_cost == 2500  # 2/3 x 3750 cents
    assert january.norm_path_cost == 3750
    assert calibration.months[-1].month == Month(2026, 12)


def test_residual_after_rounding_is_reported_and_bounded() -> None:
    # 100.01 / 8 = 12.50125: the pool rounds to 12.50, so the year is expected to
    # cost 12 x 2/3 x 12.50 = 100.00, one cent under the budget.
    calibration = calibrate(plan(budget="100.01"))
    assert calibration.scale == F(10001, 800)
    assert calibration.expected_cost == 10000
    assert calibration.residual == -1
    assert calibration.rounding_bound == 4
    assert calibration.within_bound


def test_residual_can_be_a_fraction_of_a_cent() -> None:
    # 3 months: unit cost 3 x 2/3 = 2 pools; 0.05 / 2 = 0.025 -> the pool rounds to
    # 0.03 and the expected cost is 3 x 2/3 x 3 = 6 cents, one over the budget of 5.
    calibration = calibrate(plan(months=3, budget="0.05"))
    assert calibration.scale == F(1, 40)
    assert calibration.expected_cost == 6
    assert calibration.residual == 1
    assert calibration.rounding_bound == 1  # 2 pools, half a cent each
    assert calibration.within_bound


def test_linear_curve() -> None:
    # History at 85, 95 and 110: attainments 0.85, 0.95, 1.1. Through (90%, 0.5),
    # (100%, 1), (120%, 2) they give factors 0, 0.75 and 1.5: a mean of 0.75.
    # The year at scale 1 costs 12 x 0.75 = 9 pools, so the pool is 300 / 9 = 33.33...
    curve = LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.2", "2")])
    calibration = calibrate(plan(curve=curve, history=past(("85", "95", "110"))))
    assert calibration.unit_cost == 9
    assert calibration.scale == F(100, 3)
    january = calibration.months[0]
    assert january.hit_rate == F(2, 3)
    assert january.mean_factor == F(3, 4)
    # pools of 25.00 (factor 0.75) and 50.00 (factor 1.5): (0 + 2500 + 5000) / 3 cents
    assert january.expected_cost == 2500
    assert calibration.expected_cost == 30000
    assert calibration.residual == 0
    # the norm is the mean attainment 29/30, factor 0.5 + 5 x (29/30 - 0.9) = 5/6,
    # pool 100/3 x 5/6 = 27.777... -> 27.78
    assert january.norm_attainment == F(29, 30)
    assert january.norm_path_cost == 2778
    assert calibration.norm_path_cost == 12 * 2778


def test_pool_size_does_not_depend_on_the_roster() -> None:
    # Pool funding: the pool is the pool, however many share it.
    one = calibrate(plan(members=[member("A")]))
    many = calibrate(plan(members=[member(f"M{n:02d}") for n in range(40)]))
    assert one.scale == many.scale == F(75, 2)


# -- individual funding -----------------------------------------------------------


def individual_plan(**given: Any) -> Plan:
    members = [
        member("A", bonus="12000"),  # 1000.00 a month at multiplier 1
        member("B", bonus="6000", fte="0.5"),  # 6000 / 12 x 0.5 = 250.00
        member("C", bonus="1000"),  # 1000 / 12 = 83.333...
    ]
    settings: dict[str, Any] = {
        "months": 3,
        "members": members,
        "funding": "individual",
        "budget": "2000.00",
    }
    settings.update(given)
    return plan(**settings)


def test_individual_funding_target_bonus_multiplier() -> None:
    # At multiplier 1 a hit month pays 1000 + 250 + 83.333... = 4000/3; the three
    # months are expected to cost 3 x 2/3 x 4000/3 = 8000/3, so the multiplier that
    # makes them cost 2000.00 is 2000 / (8000/3) = 3/4.
    calibration = calibrate(individual_plan())
    assert individual_plan().scale_name == "target_bonus_multiplier"
    assert calibration.unit_cost == F(8000, 3)
    assert calibration.scale == F(3, 4)
    # lines of 750.00, 187.50 and 62.50 in a hit month: 1000.00, in 2 scenarios of 3
    assert calibration.months[0].expected_cost == F(2, 3) * 100000
    assert calibration.expected_cost == 200000
    assert calibration.residual == 0
    # three lines a month are rounded in 2 scenarios of 3, for 3 months: 6 lines
    assert calibration.rounding_bound == 3
    assert calibration.norm_path_cost == 3 * 100000


def test_individual_funding_residual_from_rounded_lines() -> None:
    # Budget 2000.01: multiplier 2000.01 x 3/8000 = 600003/800000. C's line is
    # 83.333... x 0.75000375 = 62.5003125 -> 62.50; A's 750.00375 -> 750.00; B's
    # 187.5009375 -> 187.50. So nothing moves and the year is a cent under budget.
    calibration = calibrate(individual_plan(budget="2000.01"))
    assert calibration.scale == F(600003, 800000)
    assert calibration.expected_cost == 200000
    assert calibration.residual == -1
    assert calibration.within_bound


def test_individual_funding_ignores_members_without_a_bonus_of_substance() -> None:
    zero = individual_plan(members=[member("A", bonus="12000"), member("Z", bonus="0")])
    calibration = calibrate(zero)
    # only A counts: 3 x 2/3 x 1000 = 2000 at multiplier 1
    assert calibration.unit_cost == 2000
    assert calibration.scale == 1


# -- norm-path neutrality --------------------------------------------------------------


def test_norm_path_neutrality() -> None:
    # At the norm (mean attainment 1.0) every month pays its pool: 12 pools cost the
    # budget, so the pool is 300 / 12 = 25.00 ...
    calibration = calibrate(plan(neutrality="norm_path"))
    assert calibration.neutrality is Neutrality.NORM_PATH
    assert calibration.unit_cost == 12
    assert calibration.scale == 25
    assert calibration.norm_path_cost == 30000
    assert calibration.residual == 0
    assert calibration.rounding_bound == 6  # 12 pools, half a cent each
    # ... while the expected cost over the sample is 2/3 of that
    assert calibration.expected_cost == 20000


def test_norm_path_residual_is_whole_cents() -> None:
    # 100.01 / 12 = 8.334166... -> 8.33 a month: 99.96, five cents under
    calibration = calibrate(plan(neutrality="norm_path", budget="100.01"))
    assert calibration.norm_path_cost == 12 * 833
    assert calibration.residual == -5
    assert calibration.within_bound


# -- a norm derived from actuals, with uplift -------------------------------------------


def derived_history() -> list[HistoryMonth]:
    # two years without targets: every month of 2024 at 100, every month of 2025 at 120
    months = plan_months(Month(2024, 1), 24)
    return [HistoryMonth(m, D("100" if m.year == 2024 else "120")) for m in months]


def test_derived_norm_with_uplift() -> None:
    # Each calendar month's norm is (100 + 120) / 2 = 110; the sample is 100/110 and
    # 120/110, twelve of each. With a 5% uplift each target is 110 x 1.05 = 115.5,
    # so a 2024-like month reaches 200/231 (86.6%) and a 2025-like one 80/77
    # (103.9%): the step pays in half the scenarios. 12 x 1/2 = 6 pools cost
    # 300.00, so the pool at target is 50.00.
    derived = plan(history=derived_history(), norm="same_month_mean", uplift="0.05", targets=None)
    assert [m.target for m in derived.months] == [F(231, 2)] * 12
    assert derived.months[0].target_source == "norm x (1 + 5.00%)"
    calibration = calibrate(derived)
    assert calibration.scenarios == 24
    assert calibration.months[0].hit_rate == F(1, 2)
    assert calibration.months[0].norm_attainment == F(20, 21)  # 1 / 1.05
    assert calibration.unit_cost == 6
    assert calibration.scale == 50
    assert calibration.expected_cost == 30000
    # at the norm (attainment 1 / 1.05 of target) the step never pays
    assert calibration.norm_path_cost == 0


def test_a_target_given_in_the_plan_overrides_the_derived_one() -> None:
    # January's target is given as 90: the 2024-like month reaches 100/110 x 110/90
    # = 10/9 and the 2025-like month 12/11 x 11/9 = 4/3: every scenario pays.
    derived = plan(
        months=1,
        history=derived_history(),
        norm="same_month_mean",
        uplift="0.05",
        targets={"2026-01": "90"},
        budget="50.00",
    )
    assert derived.months[0].target == 90
    assert derived.months[0].target_source == "plan"
    calibration = calibrate(derived)
    assert calibration.months[0].hit_rate == 1
    assert calibration.scale == 50


def test_trailing_mean_norm() -> None:
    # Window 2 over 100, 100, 90, 110: the sample is 90/100 and 110/95; plan months'
    # norm is (90 + 110) / 2 = 100, targets 100 with no uplift. Attainments 0.9 and
    # 22/19 (115.8%): one scenario of two pays, so 3 months cost 1.5 pools.
    trailing = plan(
        months=3,
        history=past(("100", "100", "90", "110")),
        norm="trailing_mean",
        window=2,
        targets=None,
        budget="30.00",
    )
    calibration = calibrate(trailing)
    assert calibration.scenarios == 2
    assert calibration.unit_cost == F(3, 2)
    assert calibration.scale == 20


# -- a fixed scale -------------------------------------------------------------------


def test_fixed_scale_is_not_calibrated_but_its_cost_is_reported() -> None:
    # A pool of 40.00 is expected to cost 12 x 2/3 x 40 = 320.00: 20.00 over budget.
    calibration = calibrate(plan(scale="40"))
    assert not calibration.calibrated
    assert calibration.scale == 40
    assert calibration.unit_cost == 8
    assert calibration.expected_cost == 32000
    assert calibration.residual == 2000
    assert not calibration.within_bound


def test_fixed_scale_at_the_neutral_value_is_neutral() -> None:
    calibration = calibrate(plan(scale="37.5"))
    assert not calibration.calibrated
    assert calibration.residual == 0
    assert calibration.within_bound


# -- the roster in calibration ------------------------------------------------------------


def test_months_without_anyone_eligible_cost_nothing() -> None:
    # B starts in March and is the only member: January and February pay no pool,
    # so ten months carry the budget: 10 x 2/3 pools, 300 / (20/3) = 45.00.
    late = plan(members=[member("B", start=date(2026, 3, 1))])
    calibration = calibrate(late)
    assert calibration.months[0].expected_cost == 0
    assert calibration.months[1].norm_path_cost == 0
    assert calibration.unit_cost == F(20, 3)
    assert calibration.scale == 45


def test_leaver_rule_decides_whether_the_exit_month_has_a_pool() -> None:
    # The only member leaves on 14 February. With the rule off February has nobody
    # to pay; with it on she is paid for 14 days and February has its pool.
    leaver = [member("A", end=date(2026, 2, 14))]
    off = calibrate(plan(months=3, members=leaver, budget="10.00"))
    on = calibrate(plan(months=3, members=leaver, budget="10.00", pay_leavers_for_exit_month=True))
    assert off.unit_cost == F(2, 3)  # January only
    assert off.scale == 15
    assert on.unit_cost == F(4, 3)  # January and February
    assert on.scale == F(15, 2)


def test_budget_from_history() -> None:
    # the old plan paid 10.00, 20.00 and 30.01: 20.003333... a month, 240.04 a year
    history = [
        HistoryMonth(h.month, h.actual, h.target, D(paid))
        for h, paid in zip(past(), ["10.00", "20.00", "30.01"], strict=True)
    ]
    from_history = plan(history=history, budget="from_history")
    assert from_history.budget.amount == 24004
    assert from_history.budget.source == (
        "history: mean monthly payout of the old plan 20.00 over 3 months x 12 plan months"
    )
    assert calibrate(from_history).scale == F(24004, 800)


@pytest.mark.parametrize(("paid", "shown"), [("0", "0.00"), ("0.0004", "0.00")])
def test_budget_from_history_must_be_above_zero(paid: str, shown: str) -> None:
    # an old plan that paid nothing (or 0.0004 a month: 0.0048 a year, 0.00) gives no budget
    history = [HistoryMonth(h.month, h.actual, h.target, D(paid)) for h in past()]
    with pytest.raises(PlanError, match=rf"budget: got 'from_history \({shown}\)'"):
        plan(history=history, budget="from_history")


# -- plans that can never pay ------------------------------------------------------------


def test_a_plan_that_can_never_pay_is_a_clear_error() -> None:
    hopeless = plan(history=past(("80", "90", "95")))
    with pytest.raises(CalibrationError) as info:
        calibrate(hopeless)
    message = str(info.value)
    assert "cannot calibrate 'Hand plan': the plan can never pay at historical performance" in (
        message
    )
    assert "The best of the 3 historical months would reach 95.0% of a plan month's target" in (
        message
    )
    assert "the curve pays nothing below 100.0%" in message
    assert "Lower the curve's threshold, lower the targets" in message
    assert isinstance(info.value, ValueError)
    assert isinstance(info.value, JointBonusError)


def test_unpayable_message_names_where_the_curve_starts_to_pay() -> None:
    # 0 at 96% rising to 1 at 100%: the best month (95%) is below 96%
    curve = LinearCurve.of([("0.96", "0"), ("1", "1")])
    with pytest.raises(CalibrationError, match=r"pays nothing below 96\.0%"):
        calibrate(plan(history=past(("80", "90", "95")), curve=curve))


def test_an_unpayable_plan_with_a_fixed_scale_is_still_reported() -> None:
    calibration = calibrate(plan(history=past(("80", "90", "95")), scale="10"))
    assert calibration.expected_cost == 0
    assert calibration.residual == -30000


def test_norm_path_that_never_pays_says_what_to_change() -> None:
    # mean attainment (0.9 + 1 + 1.05) / 3 = 59/60 = 98.3%: below the step
    unreachable = plan(history=past(("90", "100", "105")), neutrality="norm_path")
    with pytest.raises(CalibrationError, match="for norm-path neutrality") as info:
        calibrate(unreachable)
    message = str(info.value)
    assert "reaches 98.3% of its target" in message
    assert "use expected_cost neutrality" in message


def test_no_member_ever_eligible() -> None:
    nobody = plan(members=[member("A", start=date(2027, 6, 1))])
    with pytest.raises(CalibrationError, match="no member is eligible in any plan month"):
        calibrate(nobody)


def test_no_member_with_a_target_bonus_under_individual_funding() -> None:
    nobody = individual_plan(members=[member("A", bonus="0")])
    with pytest.raises(CalibrationError, match="no member with a target bonus above 0"):
        calibrate(nobody)


def test_high_uplift_that_puts_every_scenario_below_the_threshold() -> None:
    # the best scenario is 120/110 = 1.0909 of norm; a 10% uplift leaves it at 99.2%
    derived = plan(history=derived_history(), norm="same_month_mean", uplift="0.1", targets=None)
    with pytest.raises(CalibrationError, match=r"would reach 99\.2% of a plan month's target"):
        calibrate(derived)


def test_calibration_is_exact_under_a_hostile_decimal_context() -> None:
    expected = calibrate(plan(budget="100.01"))
    with localcontext() as context:
        context.prec = 3
        context.rounding = ROUND_FLOOR
        hostile = calibrate(plan(budget="100.01"))
    assert hostile == expected
    assert hostile.residual == -1


def test_kinks_a_float_cannot_tell_apart_are_put_in_exact_order():
    """The capped cost's kinks are sorted by the nearest float of ``n / d``; two kinks whose
    floats are equal are then put in exact order, so the sweep meets them as they come."""
    above = (10**20 + 1, 10**20, 1, 1)  # just above 1: the same float as 1
    at_one = (3, 3, 2, 2)
    below = (10**20 - 1, 10**20, 3, 3)  # just below 1: the same float as 1
    later = (2, 1, 4, 4)
    kinks = [above, later, at_one, below]
    kinks.sort(key=_kink_at)
    assert _kink_at(above) == _kink_at(below) == 1.0
    _order_ties(kinks)
    assert kinks == [below, at_one, above, later]
