"""Unequal weights of a plan year's shared periods: neutrality, amounts at target, equal = none.

Checked from the outside, as in :mod:`test_shared_periods` (:mod:`period_replay`): the norm at the
period's length is derived again from the history, every historical period
is replayed as a plan year whose every period reaches that attainment, and
the engine pays it. A period's amounts at target are checked against the
plain statement: the pool at target x (periods a year x the period's
weight), or target bonus x multiplier x the period's weight x the member's
weight over the period / its months, weights counted day by day
(:mod:`independent`).
"""

from __future__ import annotations

from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from independent import calibrated, detached, units
from period_replay import (
    PeriodSpec,
    period_specs,
    period_weights,
    periods_at,
    replayed_cost,
)

from jointbonus import FundingStyle, Neutrality, Plan, StepCurve, pay
from strategies import examples


@st.composite
def weights_for(draw: st.DrawFn, count: int) -> tuple[Fraction, ...]:
    """``count`` shares adding to exactly 1, some of them 0, rarely all equal."""
    raw = draw(st.lists(st.integers(0, 9), min_size=count, max_size=count))
    if not any(raw):
        raw[draw(st.integers(0, count - 1))] = 1
    total = sum(raw)
    return tuple(Fraction(r, total) for r in raw)


def weighted(period: PeriodSpec, weights: tuple[Fraction, ...], **changes: object) -> Plan:
    """The plan with its periods weighted by ``weights``."""
    return period.build(period_weights=list(weights), **changes)


@examples(3)
@given(period_specs(neutrality=Neutrality.EXPECTED_COST), st.data())
def test_unequal_period_weights_keep_the_expected_cost_at_the_budget(period, data):
    weights = data.draw(weights_for(period.length.per_year), label="weights")
    plan = weighted(period, weights)
    calibration = calibrated(plan)
    average, bound = replayed_cost(period, plan, calibration)
    note(f"weights {weights}: budget {plan.budget.amount}, mean {average}, bound {bound}")
    assert calibration.expected_cost == average
    assert abs(average - plan.budget.amount) <= bound


@examples(3)
@given(period_specs(), st.data())
def test_a_periods_amounts_at_target_follow_its_weight(period, data):
    weights = data.draw(weights_for(period.length.per_year), label="weights")
    fixed = "1000" if period.spec.funding is FundingStyle.POOL else "1.5"
    plan = weighted(period, weights, scale=fixed, curve=StepCurve())
    scale = Fraction(fixed)
    size = period.length.months
    periods = len(plan.months) // size
    result = pay(periods_at(plan, [Fraction(1)] * periods, size), detached(calibrated(plan)))
    minor = plan.currency.scale
    pools = Fraction(0)
    year = 0  # the pools of the periods someone shares (a pool nobody shares is only stated)
    by_line = {(line.period, line.member_id): line for line in result.lines()}
    for p in range(periods):
        month = result.months[p * size + size - 1]
        assert month.factor == 1
        weight = weights[p % period.length.per_year]
        months = range(p * size, p * size + size)
        if plan.funding is FundingStyle.POOL:
            if not any(period_weights(plan, months)):
                continue
            exact = scale * period.length.per_year * weight * minor
            assert abs(month.pool - exact) <= Fraction(1, 2)
            pools += exact
            year += month.pool
            continue
        for member, split in zip(plan.members, period_weights(plan, months), strict=True):
            # split = target bonus x weight over the period, day by day (individual funding)
            exact = scale * weight * split / size * minor
            line = by_line[month.month, member.id]
            assert abs(units(plan, line.shared) - exact) <= Fraction(1, 2), (member.id, p)
    if plan.funding is FundingStyle.POOL and pools:
        note(f"pools {year}, exact {pools}")
        assert abs(year - pools) <= Fraction(periods, 2)


@examples(3)
@given(period_specs())
def test_equal_period_weights_are_no_weights_at_all(period):
    per_year = period.length.per_year
    plain, calibration = period.payable()
    changes = {} if plain.fixed_scale is None else {"scale": plain.fixed_scale}
    equal = weighted(period, (Fraction(1, per_year),) * per_year, **changes)
    assert calibrated(equal) == calibration
    assert pay(equal, calibrated(equal)).months == pay(plain, calibration).months
