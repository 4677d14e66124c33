"""Property: leads grouped by month the fast way (keys in order) as the general way.

A month's leads are found by grouping lead positions by a key each (the
month's number). Keys that never go down -- an export in time order -- are
grouped by bisection into slices; keys in any order by a stable sort. Both
must give every position once, under its own key, in the order given.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jointbonus.leads.metrics import _grouped, _grouped_any, _grouped_in_order

keys_drawn = st.lists(st.integers(min_value=24_000, max_value=24_010), max_size=60)


@st.composite
def positions_and_keys(draw: st.DrawFn, *, in_order: bool) -> tuple[list[int], list[int]]:
    keys = draw(keys_drawn)
    if in_order:
        keys.sort()
    steps = draw(st.lists(st.integers(1, 3), min_size=len(keys), max_size=len(keys)))
    positions, at = [], 0
    for step in steps:
        at += step
        positions.append(at)
    return positions, keys


@given(positions_and_keys(in_order=True))
def test_keys_in_order_are_grouped_as_keys_in_any_order(drawn: tuple[list[int], list[int]]) -> None:
    positions, keys = drawn
    assert _grouped_in_order(positions, keys) == _grouped_any(positions, keys)
    assert _grouped_in_order(range(len(keys)), keys) == _grouped_any(range(len(keys)), keys)


@given(positions_and_keys(in_order=False))
def test_grouping_puts_each_position_under_its_key_once(drawn: tuple[list[int], list[int]]) -> None:
    positions, keys = drawn
    groups = _grouped(positions, keys)
    assert groups == _grouped_any(positions, keys)
    assert sorted(p for group in groups.values() for p in group) == positions
    where = dict(zip(positions, keys, strict=True))
    for key, group in groups.items():
        assert list(group) == sorted(group)
        assert {where[p] for p in group} == {key}
