"""Payout curves: step and piecewise linear, worked point by point."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from jointbonus import Curve, CurveError, FloatMoneyError, LinearCurve, StepCurve

F = Fraction

# -- step -------------------------------------------------------------------------


def test_step_pays_one_at_or_above_the_target_and_nothing_below() -> None:
    curve = StepCurve()
    assert curve.factor(F(99999, 100000)) == 0
    assert curve.factor(F(1)) == 1
    assert curve.factor(F(3, 2)) == 1
    assert curve.factor(F(0)) == 0


def test_step_with_its_own_threshold_and_payout() -> None:
    curve = StepCurve(threshold=F(95, 100), payout=F(3, 2))
    assert curve.factor(F(94, 100)) == 0
    assert curve.factor(F(95, 100)) == F(3, 2)
    assert curve.factor(F(2)) == F(3, 2)
    assert curve.threshold_attainment == F(19, 20)
    assert curve.max_factor == F(3, 2)
    assert curve.kind == "step"


def test_step_factor_is_exact() -> None:
    assert isinstance(StepCurve().factor(F(1)), Fraction)
    assert isinstance(StepCurve().factor(F(0)), Fraction)


@pytest.mark.parametrize("threshold", [F(0), F(-1, 2)])
def test_step_threshold_must_be_positive(threshold: Fraction) -> None:
    with pytest.raises(CurveError, match=r"step threshold: got .*, expected > 0"):
        StepCurve(threshold=threshold)


def test_step_payout_must_not_be_negative() -> None:
    with pytest.raises(CurveError, match="step payout: got -1, expected >= 0"):
        StepCurve(payout=F(-1))


def test_step_describe() -> None:
    assert StepCurve().describe() == "step: factor 1 at or above 100% of target, 0 below"
    assert (
        StepCurve(F(19, 20), F(3, 2)).describe()
        == "step: factor 1.5 at or above 95% of target, 0 below"
    )
    assert StepCurve(F(2, 3)).describe() == "step: factor 1 at or above 66.6667% of target, 0 below"


# -- piecewise linear -------------------------------------------------------------


# 0 below 90%; 0.5 at 90% rising to 1 at 100% (slope 5); an accelerator to 3 at
# 120% (slope 10); capped at 3 after that.
ACCELERATED = LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.2", "3")])


@pytest.mark.parametrize(
    ("attainment", "factor"),
    [
        (F(0), F(0)),
        (F(89, 100), F(0)),  # below the threshold
        (F(8999, 10000), F(0)),
        (F(9, 10), F(1, 2)),  # exactly at the threshold
        (F(93, 100), F(13, 20)),  # 0.5 + 5 x 0.03
        (F(95, 100), F(3, 4)),  # 0.5 + 5 x 0.05
        (F(1), F(1)),
        (F(105, 100), F(3, 2)),  # 1 + 10 x 0.05: the accelerator
        (F(11, 10), F(2)),
        (F(7, 6), F(8, 3)),  # 1 + 10 x 1/6
        (F(12, 10), F(3)),  # the cap
        (F(4, 3), F(3)),  # flat after the last point
        (F(100), F(3)),
    ],
)
def test_linear_curve_factors(attainment: Fraction, factor: Fraction) -> None:
    assert ACCELERATED.factor(attainment) == factor


def test_linear_interpolation_is_exact_between_points() -> None:
    curve = LinearCurve.of([("0.8", "0"), ("1.1", "1")])
    # slope 1 / 0.3 = 10/3: at 0.9 the factor is 1/3 exactly, not 0.333...
    assert curve.factor(F(9, 10)) == F(1, 3)
    assert curve.factor(F(1)) == F(2, 3)
    assert curve.factor(F(8, 10)) == 0
    assert curve.factor(F(79, 100)) == 0


def test_linear_accelerator_segment_is_steeper() -> None:
    # the same 0.05 of attainment is worth 0.25 below the target and 0.5 above it
    below = ACCELERATED.factor(F(1)) - ACCELERATED.factor(F(95, 100))
    above = ACCELERATED.factor(F(105, 100)) - ACCELERATED.factor(F(1))
    assert below == F(1, 4)
    assert above == F(1, 2)


def test_linear_cap_is_flat_after_the_last_point() -> None:
    curve = LinearCurve.of([("1", "1"), ("1.5", "1.5")])
    assert curve.factor(F(3, 2)) == F(3, 2)
    assert curve.factor(F(2)) == F(3, 2)
    assert curve.factor(F(1000)) == F(3, 2)
    assert curve.max_factor == F(3, 2)


def test_single_point_curve_is_a_step() -> None:
    curve = LinearCurve.of([("1", "1")])
    assert curve.factor(F(99, 100)) == 0
    assert curve.factor(F(1)) == 1
    assert curve.factor(F(2)) == 1


def test_linear_curve_with_a_flat_stretch() -> None:
    curve = LinearCurve.of([("0.9", "1"), ("1", "1"), ("1.1", "2")])
    assert curve.factor(F(95, 100)) == 1
    assert curve.factor(F(105, 100)) == F(3, 2)


def test_linear_curve_of_accepts_decimals_ints_and_text() -> None:
    curve = LinearCurve.of([(Decimal("0.9"), 0), (1, "1")])
    assert curve.points == ((F(9, 10), F(0)), (F(1), F(1)))
    assert curve.kind == "linear"


def test_linear_curve_of_refuses_floats() -> None:
    with pytest.raises(FloatMoneyError):
        LinearCurve.of([(0.9, 1)])  # type: ignore[list-item]


# -- threshold_attainment -----------------------------------------------------------


def test_threshold_attainment_of_a_linear_curve() -> None:
    assert ACCELERATED.threshold_attainment == F(9, 10)
    # a curve rising from a zero point pays just above that point: 0.25 at 95% here
    rising = LinearCurve.of([("0.9", "0"), ("1.1", "1")])
    assert rising.factor(F(95, 100)) == F(1, 4)
    assert rising.threshold_attainment == F(9, 10)
    # flat at 0 from 80% to 100%, then rising: nothing is paid up to 100%
    late = LinearCurve.of([("0.8", "0"), ("1", "0"), ("1.1", "1")])
    assert late.factor(F(1)) == 0
    assert late.factor(F(101, 100)) == F(1, 10)
    assert late.threshold_attainment == 1
    # a curve that never pays: its last point
    assert LinearCurve.of([("0.8", "0"), ("1", "0")]).threshold_attainment == 1


def test_nothing_is_paid_below_the_threshold() -> None:
    curves = [
        ACCELERATED,
        LinearCurve.of([("0.9", "0"), ("1.1", "1")]),
        LinearCurve.of([("0.5", "0"), ("0.8", "0"), ("1", "2")]),
        LinearCurve.of([("1", "1")]),
        StepCurve(F(9, 10)),
    ]
    for curve in curves:
        threshold = curve.threshold_attainment
        assert curve.factor(threshold - F(1, 10**6)) == 0
        assert curve.factor(threshold + F(1, 10**6)) > 0


def test_threshold_attainment_of_a_step() -> None:
    assert StepCurve().threshold_attainment == 1
    assert StepCurve(F(9, 10)).threshold_attainment == F(9, 10)


# -- validation ------------------------------------------------------------------


def test_linear_curve_needs_points() -> None:
    with pytest.raises(CurveError, match="got none, expected at least one point"):
        LinearCurve(())


def test_linear_curve_factors_never_decrease() -> None:
    with pytest.raises(
        CurveError,
        match=r"curve point 2: factor 0\.5 is below the previous point's 1; "
        r"a payout curve never decreases",
    ):
        LinearCurve.of([("1", "1"), ("1.1", "0.5")])


@pytest.mark.parametrize(
    "points",
    [
        [("1", "1"), ("1", "2")],  # equal attainments
        [("1", "1"), ("0.9", "2")],  # decreasing attainments
    ],
)
def test_linear_curve_attainments_strictly_increase(points: list[tuple[str, str]]) -> None:
    with pytest.raises(
        CurveError, match=r"curve point 2: attainment .* must be above the previous"
    ):
        LinearCurve.of(points)


def test_linear_curve_refuses_negative_attainment() -> None:
    with pytest.raises(CurveError, match="curve point 1: attainment -1/10 is negative"):
        LinearCurve.of([("-0.1", "0"), ("1", "1")])


def test_linear_curve_refuses_negative_factor() -> None:
    with pytest.raises(CurveError, match="curve point 2: factor -1 is negative"):
        LinearCurve.of([("0.9", "0"), ("1", "-1")])


def test_curve_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="curve"):
        LinearCurve(())


# -- describe ---------------------------------------------------------------------


def test_linear_describe() -> None:
    assert ACCELERATED.describe() == (
        "linear through (90%, 0.5), (100%, 1), (120%, 3); 0 below the first point, "
        "flat after the last"
    )


def test_curve_alias_covers_both_kinds() -> None:
    curves: list[Curve] = [StepCurve(), ACCELERATED]
    assert [c.kind for c in curves] == ["step", "linear"]


def test_curves_refuse_float_coordinates() -> None:
    with pytest.raises(FloatMoneyError):
        StepCurve(threshold=0.9)  # type: ignore[arg-type]
    with pytest.raises(FloatMoneyError):
        StepCurve(payout=1.5)  # type: ignore[arg-type]
    with pytest.raises(FloatMoneyError):
        LinearCurve(((F(9, 10), 0.5),))  # type: ignore[arg-type]


def test_curves_take_decimal_coordinates_exactly() -> None:
    curve = StepCurve(threshold=Decimal("0.95"))  # type: ignore[arg-type]
    assert curve.threshold == F(19, 20)
    assert isinstance(curve.threshold, Fraction)
