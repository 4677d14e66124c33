"""Floats are refused: a float reaching money or a metric raises, it is never used.

``0.1`` as a float is 0.1000000000000000055511151231257827...; a bonus plan
that accepted it would pay cents nobody can explain.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from jointbonus import (
    D,
    FloatMoneyError,
    HistoryMonth,
    JointBonusError,
    LinearCurve,
    Member,
    Month,
    PlanError,
    StepCurve,
    allocate,
    build_plan,
    currency,
)
from strategies import plan_specs

floats = st.floats(allow_nan=True, allow_infinity=True)
unit_floats = st.floats(min_value=0.01, max_value=1.0)


@example(0.1)
@given(floats)
def test_D_refuses_floats(value):
    with pytest.raises(FloatMoneyError):
        D(value)


@example("fte", 0.5)
@given(st.sampled_from(["fte", "salary", "target_bonus"]), unit_floats)
def test_member_refuses_floats(field, value):
    values = {"fte": D("1"), "salary": D("50000"), "target_bonus": D("5000"), field: value}
    with pytest.raises(FloatMoneyError):
        Member("S1", "sales", date(2025, 1, 1), None, **values)


@given(
    st.sampled_from(["budget", "target", "actual", "uplift", "scale"]),
    st.floats(min_value=0.5, max_value=5e6),
    plan_specs(max_members=3, max_history=14, max_months=3),
)
def test_build_plan_refuses_floats(field, value, spec):
    kwargs = spec.kwargs()
    if field in ("target", "actual"):
        kwargs[f"{field}s"] = {**kwargs[f"{field}s"], str(spec.start): value}
    else:
        kwargs[field] = value
    with pytest.raises(PlanError) as raised:
        build_plan(**kwargs)
    assert any(repr(value) in str(problem) for problem in raised.value.problems)


def test_build_plan_refuses_a_float_budget():
    with pytest.raises(PlanError, match=r"budget: got 1\.5, expected .* not a float"):
        build_plan(
            name="Demo",
            currency="USD",
            start="2026-01",
            months=2,
            members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
            history=[HistoryMonth(Month(2025, m), D(100 + m), D(100)) for m in range(1, 13)],
            targets={"2026-01": "110", "2026-02": "110"},
            curve=StepCurve(),
            budget=1.5,
        )


@example("actual", 123.0)
@given(st.sampled_from(["actual", "target", "paid"]), st.floats(min_value=1, max_value=1e9))
def test_history_month_refuses_floats(field, value):
    values = {"actual": D("100"), "target": D("100"), "paid": D("10"), field: value}
    with pytest.raises(FloatMoneyError):
        HistoryMonth(Month(2025, 1), **values)


@example(0.95, 1)
@given(unit_floats, st.integers(0, 1))
def test_curves_refuse_floats(value, where):
    with pytest.raises(FloatMoneyError):
        StepCurve(value, Fraction(1)) if where else StepCurve(Fraction(1), value)
    with pytest.raises(FloatMoneyError):
        LinearCurve(((Fraction(9, 10), value),) if where else ((value, Fraction(1)),))
    with pytest.raises(FloatMoneyError):
        LinearCurve.of([("0.9", value)] if where else [(value, "1")])


@example(100.0, 0)
@given(st.floats(min_value=-1e9, max_value=1e9), st.integers(0, 1))
def test_allocation_refuses_floats(value, where):
    with pytest.raises(FloatMoneyError):
        allocate(value, [1, 2]) if where == 0 else allocate(100, [1, value])


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_currency_amounts_refuse_floats(value):
    with pytest.raises(JointBonusError):
        currency("USD").to_minor(value)
