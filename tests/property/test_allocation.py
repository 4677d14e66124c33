"""Allocation by largest remainder: exact, fair, mirrored and deterministic."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from random import Random

from hypothesis import example, given
from hypothesis import strategies as st

from jointbonus import allocate
from jointbonus.core.money import allocate_groups
from strategies import allocation_amounts, allocation_weights, fixed_point, tied_allocations

amounts = allocation_amounts()


def largest_remainder(amount: int, weights: list[Fraction]) -> list[int]:
    """The rule, stated plainly: floors first, then one unit each by largest remainder.

    Ties between equal remainders go to the earlier position; a negative
    amount is the mirror image of the positive one.
    """
    if amount < 0:
        return [-part for part in largest_remainder(-amount, weights)]
    total = sum(weights)
    exact = [amount * w / total for w in weights]
    parts = [int(share) for share in exact]  # floor: every share is >= 0
    leftover = amount - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:leftover]:
        parts[i] += 1
    return parts


@given(amounts, allocation_weights())
def test_parts_add_up_to_the_amount(amount, weights):
    assert sum(allocate(amount, weights)) == amount


@given(amounts, allocation_weights())
def test_each_part_is_within_one_unit_of_its_exact_share(amount, weights):
    total = sum(weights)
    for part, weight in zip(allocate(amount, weights), weights, strict=True):
        assert abs(part - Fraction(amount * weight, total)) < 1


@given(amounts, allocation_weights())
def test_zero_weight_gets_zero(amount, weights):
    for part, weight in zip(allocate(amount, weights), weights, strict=True):
        if weight == 0:
            assert part == 0


@example(4, [1, 1, 1, 1, 1, 1])
@example(7, [2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])
@given(amounts, allocation_weights())
def test_equal_weights_get_parts_at_most_one_unit_apart(amount, weights):
    parts: dict[int, list[int]] = {}
    for part, weight in zip(allocate(amount, weights), weights, strict=True):
        parts.setdefault(weight, []).append(part)
    for same in parts.values():
        assert max(same) - min(same) <= 1


@given(amounts, allocation_weights())
def test_negative_amount_splits_as_the_mirror_of_the_positive(amount, weights):
    assert allocate(-amount, weights) == [-part for part in allocate(amount, weights)]


@example(100, [1, 1, 1])
@example(2, [1, 1, 1])
@example(1, [3, 1, 3])
@example(-1, [1, 1])
@example(4, [1, 3, 1, 3])
@given(amounts, allocation_weights())
def test_leftover_goes_by_largest_remainder_then_position(amount, weights):
    assert allocate(amount, weights) == largest_remainder(amount, [Fraction(w) for w in weights])


@example((4, [1, 3, 1, 3]))
@given(tied_allocations())
def test_tied_remainders_go_to_the_earlier_position(case):
    amount, weights = case
    assert allocate(amount, weights) == largest_remainder(amount, [Fraction(w) for w in weights])


@given(
    amounts,
    st.lists(
        st.one_of(
            st.integers(0, 50).map(str),
            st.integers(0, 10**6).map(lambda n: Decimal(fixed_point(n, 4))),
            st.fractions(min_value=0, max_value=50, max_denominator=30),
        ),
        min_size=1,
        max_size=20,
    ).filter(lambda ws: any(Fraction(w) for w in ws)),
)
def test_weights_are_used_exactly_never_pre_rounded(amount, weights):
    exact = [Fraction(w) for w in weights]
    assert allocate(amount, weights) == largest_remainder(amount, exact)


# Seed 1 shuffles the example's two groups into reverse order (weight 3 first).
@example((4, [1, 3, 1, 3]), 1)
@given(
    st.one_of(
        tied_allocations(),
        st.tuples(amounts, st.lists(st.integers(0, 8), min_size=1, max_size=30).filter(any)),
    ),
    st.integers(0, 2**32),
)
def test_allocate_groups_agrees_with_allocate(case, seed):
    amount, weights = case
    # Gather the members (positions) of each weight into groups, in a shuffled group order.
    # Members of one weight may stand in several groups (pay groups differ in other
    # months), so their positions interleave across groups of equal weight.
    rng = Random(seed)
    groups: dict[tuple[int, int], list[int]] = {}
    for position, weight in enumerate(weights):
        groups.setdefault((weight, rng.randrange(3)), []).append(position)
    listed = [(weight, positions) for (weight, _), positions in groups.items()]
    rng.shuffle(listed)
    shares = allocate_groups(amount, listed)
    parts = [0] * len(weights)
    for (_, positions), share in zip(listed, shares, strict=True):
        for rank, position in enumerate(positions):
            parts[position] = share.share(rank)
    assert parts == allocate(amount, weights)
