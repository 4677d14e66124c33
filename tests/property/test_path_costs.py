"""Capped paths costed class by class are what they cost member by member.

Calibration costs a capped pool-funded plan's historical paths class by class
(:mod:`jointbonus.sharedtarget.pay.paths`): counts of members bumped by a
pool's leftover units, and only the groups the per-year cap may reach
followed through the year. The reference is the month-by-month costing that
shares every month out and caps it group by group
(:class:`~jointbonus.sharedtarget.pay.cost.MonthCoster`, followed through
each plan year by :class:`~jointbonus.sharedtarget.pay.caps.YearToDate`):
every month's cost and each path's rounding bound must be the same, exactly,
on random plans with monthly and yearly caps, several plan years, joiners and
leavers, and scales from a few units a pool (many tied remainders, most of a
pool in leftover units) to far above the caps.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from weighted import WeightedSpec, calibrated, weighted_specs

from jointbonus.sharedtarget.calibration import (
    _member_path_costs,
    norm_outcome,
    scenario_outcomes,
)
from jointbonus.sharedtarget.pay.outcome import Terms
from jointbonus.sharedtarget.pay.paths import covers, path_costs
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.plan import FundingStyle
from strategies import examples


def assert_paths_cost_alike(spec: WeightedSpec, data: st.DataObject) -> None:
    # Pool funding, nothing held back: the plans the class-by-class costing covers.
    spec = replace(spec, funding=FundingStyle.POOL, holdback="0")
    spec, plan, calibration = calibrated(spec)
    frames = frame_plan(plan).months
    table = [scenario_outcomes(plan, frame) for frame in frames]
    count = len(plan.norm.sample)
    paths = [[row[(p + j) % count] for j, row in enumerate(table)] for p in range(count)]
    paths.append([norm_outcome(plan, frame) for frame in frames])
    # The calibrated scale, or a share of it: from pools of a few units to far above the caps.
    share = data.draw(
        st.one_of(
            st.just(Fraction(1)),
            st.fractions(Fraction(1, 10**6), Fraction(1, 100)),
            st.fractions(Fraction(1, 100), Fraction(4)),
        ),
        label="share of the calibrated scale",
    )
    terms = Terms(calibration.scale * share, calibration.terms.weights)
    assert covers(plan, frames, terms)
    by_class = path_costs(plan, frames, terms, paths)
    by_member = _member_path_costs(plan, frames, terms, paths)
    note(f"caps {plan.functional.caps}, scale {terms.scale}")
    assert by_class is not None
    for path, (costs, bound), (want_costs, want_bound) in zip(
        paths, by_class, by_member, strict=True
    ):
        note(f"path {[o.shared for o in path]}")
        assert costs == want_costs
        assert bound == want_bound


@given(weighted_specs(caps=True, per_year=False), st.data())
def test_capped_months_cost_class_by_class_what_they_cost_member_by_member(spec, data):
    """A monthly cap: each month's cost after rounding and the cap, and the bound."""
    assert_paths_cost_alike(spec, data)


@examples(2)
@given(weighted_specs(per_year=True), st.data())
def test_yearly_capped_paths_cost_class_by_class_what_they_cost_member_by_member(spec, data):
    """A yearly cap (and sometimes a monthly one), over paths that cross a plan year."""
    assert_paths_cost_alike(spec, data)
