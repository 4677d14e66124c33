"""Property: leads grouped by month a run at a time as by a sort.

A month's leads are found by grouping lead positions by a key each (the
month's number). Keys that change seldom -- an export in about time order --
are grouped a run of equal keys at a time, each run a slice; others by a
stable sort. Both must give every position once, under its own key, in the
order given.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jointbonus.leads.metrics import _changes, _grouped, _grouped_any, _grouped_in_runs

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


@given(st.booleans().flatmap(lambda in_order: positions_and_keys(in_order=in_order)))
def test_runs_of_keys_are_grouped_as_by_a_sort(drawn: tuple[list[int], list[int]]) -> None:
    positions, keys = drawn
    changes = _changes(keys)
    assert _grouped_in_runs(positions, keys, changes) == _grouped_any(positions, keys)
    everyone = range(len(keys))
    assert _grouped_in_runs(everyone, keys, changes) == _grouped_any(everyone, keys)


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
