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
from itertools import accumulate, pairwise
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from weighted import WeightedSpec, calibrated, weighted_specs

from jointbonus import calibrate, load_plan
from jointbonus.core.money import allocate
from jointbonus.sharedtarget.calibration import (
    _member_path_costs,
    norm_outcome,
    scenario_outcomes,
)
from jointbonus.sharedtarget.goals import Caps
from jointbonus.sharedtarget.pay.outcome import Terms
from jointbonus.sharedtarget.pay.paths import (
    _binding_members,
    _members_by_value,
    _share_part,
    at_least,
    covers,
    path_costs,
    set_bits,
)
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from strategies import examples

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def assert_paths_cost_alike(spec: WeightedSpec, data: st.DataObject) -> None:
    # Pool funding, nothing held back: the plans the class-by-class costing covers.
    spec = replace(spec, funding=FundingStyle.POOL, holdback="0")
    spec, plan, calibration = calibrated(spec)
    # The calibrated scale, or a share of it: from pools of a few units to far above the caps.
    share = data.draw(
        st.one_of(
            st.just(Fraction(1)),
            st.fractions(Fraction(1, 10**6), Fraction(1, 100)),
            st.fractions(Fraction(1, 100), Fraction(4)),
        ),
        label="share of the calibrated scale",
    )
    # Sometimes caps of a few minor units: at a small scale, members get a unit or two a
    # month, most of it leftover units, and the caps cut where a unit lands.
    small = data.draw(
        st.none() | st.tuples(st.none() | st.integers(1, 6), st.integers(1, 30)),
        label="caps in minor units",
    )
    if small is not None:
        caps = Caps(per_month=small[0], per_year=small[1])
        plan = replace(plan, functional=replace(plan.functional, caps=caps))
    assert_costs_alike(plan, Terms(calibration.scale * share, calibration.terms.weights))


def assert_costs_alike(plan: Plan, terms: Terms) -> None:
    """Every historical path and the norm path cost alike class by class and member by
    member at ``terms``."""
    frames = frame_plan(plan).months
    table = [scenario_outcomes(plan, frame) for frame in frames]
    count = len(plan.norm.sample)
    paths = [[row[(p + j) % count] for j, row in enumerate(table)] for p in range(count)]
    paths.append([norm_outcome(plan, frame) for frame in frames])
    assert covers(plan, frames, terms)
    by_class = path_costs(plan, frames, terms, paths)
    by_member = _member_path_costs(plan, frames, terms, paths)
    assert by_class is not None
    for path, (costs, bound), (want_costs, want_bound) in zip(
        paths, by_class, by_member, strict=True
    ):
        where = f"caps {plan.functional.caps}, scale {terms.scale}, path {[o.shared for o in path]}"
        assert costs == want_costs, where
        assert bound == want_bound, where


@given(weighted_specs(caps=True, per_year=False), st.data())
def test_capped_months_cost_class_by_class_what_they_cost_member_by_member(spec, data):
    """A monthly cap: each month's cost after rounding and the cap, and the bound."""
    assert_paths_cost_alike(spec, data)


@examples(2)
@given(weighted_specs(per_year=True), st.data())
def test_yearly_capped_paths_cost_class_by_class_what_they_cost_member_by_member(spec, data):
    """A yearly cap (and sometimes a monthly one), over paths that cross a plan year."""
    assert_paths_cost_alike(spec, data)


@pytest.mark.parametrize("caps", [(2, None), (None, 13), (2, 14)])
def test_a_plan_on_the_shared_goal_alone_costs_alike(caps):
    """Alpine Outfitters (one pool a month, no goals) with caps of a few average months."""
    plan = load_plan(EXAMPLES / "alpine_outfitters" / "plan.toml")
    calibration = calibrate(plan)
    average = calibration.budget // len(plan.members) // len(plan.months)
    month, year = (None if n is None else n * average for n in caps)
    capped = replace(
        plan, functional=replace(plan.functional, caps=Caps(per_month=month, per_year=year))
    )
    terms = calibrate(capped).terms
    for share in (Fraction(1), Fraction(1, 1000), Fraction(3)):
        assert_costs_alike(capped, Terms(terms.scale * share, terms.weights))


@given(
    st.lists(
        st.tuples(st.integers(1, 10**6), st.integers(1, 50)), max_size=12, unique_by=lambda c: c[0]
    ),
    st.integers(0, 10**9),
    st.integers(1, 10**6),
    st.integers(1, 10**6),
)
def test_members_the_monthly_cap_binds_counted_by_value_are_those_counted_class_by_class(
    classes, cap, n, d
):
    """The members whose exact amount (value x n / d) the monthly cap binds, found by one
    bisection among a team's classes in order of value, are those a test per class finds:
    the bound of a month's cost counts them. Values near ``cap x d / n`` are drawn too."""
    edge = cap * d // n
    classes = [*classes, *((v, 3) for v in (edge, edge + 1) if v and v not in dict(classes))]
    want = sum(size for value, size in classes if value * n >= cap * d)
    assert _binding_members(_members_by_value(classes), cap, n, d) == want


@given(st.lists(st.integers(0, 2**10 - 1), max_size=14), st.integers(0, 15))
def test_the_bits_set_in_at_least_n_masks_are_those_counted_bit_by_bit(masks, need):
    """The binary count that finds the pay groups with enough paying months to reach the
    yearly cap (one bit a group, one mask a month) finds the bits a count per bit finds."""
    everyone = 2**10 - 1
    want = sum(1 << bit for bit in range(10) if sum(m >> bit & 1 for m in masks) >= need)
    assert at_least(masks, need, everyone) == want
    assert list(set_bits(want)) == [bit for bit in range(10) if want >> bit & 1]


class _Positions:
    """Classes of members at given positions, as a part is shared out over them."""

    def __init__(self, positions: list[list[int]]) -> None:
        self.sizes = [len(p) for p in positions]
        self._positions = [sorted(p) for p in positions]

    def merged(self, c: int) -> list[int]:
        return self._positions[c]


@st.composite
def classes_of_members(draw: st.DrawFn) -> tuple[int, list[int], list[list[int]]]:
    """A pool, each class's weight (small: many tied remainders) and its members'
    positions, the positions of all classes interleaved."""
    sizes = draw(st.lists(st.integers(1, 5), min_size=1, max_size=6))
    weights = draw(st.lists(st.integers(0, 4), min_size=len(sizes), max_size=len(sizes)))
    order = draw(st.permutations(range(sum(sizes))))
    starts = [0, *accumulate(sizes)]
    positions = [list(order[a:b]) for a, b in pairwise(starts)]
    return draw(st.integers(0, 80)), weights, positions


@given(classes_of_members())
def test_a_part_shared_out_by_class_pays_each_member_what_a_split_by_member_pays(drawn):
    """Each class's floor, and how many of its members (the lowest positions) a part's
    leftover units bump, give every member what the largest-remainder split of the pool
    over the members, ties to the lower position, gives them."""
    pool, weights, positions = drawn
    assume(any(weights))
    classes = _Positions(positions)
    floors, bumped, _ = _share_part(pool, weights, classes)
    members = sorted((p, c) for c, found in enumerate(positions) for p in found)
    want = allocate(pool, [weights[c] for _, c in members])
    for (position, c), amount in zip(members, want, strict=True):
        rank = classes.merged(c).index(position)
        got = floors[c] + (1 if bumped is not None and rank < bumped[c] else 0)
        assert got == amount, (position, c)
