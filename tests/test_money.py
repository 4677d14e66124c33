"""Currencies, minor units and allocation by largest remainder, worked by hand."""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction

import pytest

from jointbonus import Currency, D, FloatMoneyError, NumberError, allocate, currency
from jointbonus.core.money import MINOR_UNITS, GroupShare, allocate_groups

# -- currencies ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "minor_unit", "scale"),
    [("JPY", 0, 1), ("USD", 2, 100), ("EUR", 2, 100), ("KWD", 3, 1000), ("BHD", 3, 1000)],
)
def test_known_currency_minor_units(code: str, minor_unit: int, scale: int) -> None:
    money = currency(code)
    assert money == Currency(code, minor_unit)
    assert money.minor_unit == minor_unit
    assert money.scale == scale
    assert MINOR_UNITS[code] == minor_unit


def test_unknown_code_needs_an_explicit_minor_unit() -> None:
    with pytest.raises(NumberError, match="expected a known ISO 4217 code"):
        currency("XTS")
    assert currency("XTS", 2) == Currency("XTS", 2)


def test_explicit_minor_unit_must_agree_with_a_known_code() -> None:
    assert currency("JPY", 0).minor_unit == 0
    with pytest.raises(NumberError, match="JPY has 0 decimals, got 2"):
        currency("JPY", 2)


@pytest.mark.parametrize("code", ["usd", "US", "USDX", "U$D", "ÜSD", ""])
def test_currency_code_must_be_three_capital_letters(code: str) -> None:
    with pytest.raises(NumberError, match="expected 3 capital letters"):
        Currency(code, 2)


@pytest.mark.parametrize("minor_unit", [-1, 5])
def test_currency_minor_unit_range(minor_unit: int) -> None:
    with pytest.raises(NumberError, match="expected 0 to 4 decimals"):
        Currency("XTS", minor_unit)


@pytest.mark.parametrize(
    ("code", "amount", "units"),
    [
        ("USD", "12.34", 1234),
        ("USD", "12.3", 1230),
        ("USD", "12", 1200),
        ("USD", "-0.01", -1),
        ("USD", "12.340", 1234),  # a trailing zero is not an extra decimal
        ("JPY", "1200", 1200),
        ("JPY", "1200.00", 1200),
        ("KWD", "12.345", 12345),
        ("BHD", "0.001", 1),
    ],
)
def test_to_minor(code: str, amount: str, units: int) -> None:
    assert currency(code).to_minor(amount) == units
    assert currency(code).to_minor(Decimal(amount)) == units


def test_to_minor_accepts_int() -> None:
    assert currency("USD").to_minor(7) == 700


@pytest.mark.parametrize(
    ("code", "amount"), [("USD", "12.345"), ("JPY", "1200.5"), ("KWD", "1.0001"), ("USD", "0.001")]
)
def test_to_minor_refuses_more_decimals_than_the_currency_pays(code: str, amount: str) -> None:
    money = currency(code)
    with pytest.raises(NumberError, match=f"more decimals than {code} pays"):
        money.to_minor(amount)


def test_to_minor_refuses_floats() -> None:
    with pytest.raises(FloatMoneyError):
        currency("USD").to_minor(12.5)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "units", "text"),
    [
        ("USD", 1234, "12.34"),
        ("USD", 5, "0.05"),
        ("USD", 0, "0.00"),
        ("USD", -5, "-0.05"),
        ("USD", -123456, "-1234.56"),
        ("JPY", 1200, "1200"),
        ("JPY", -3, "-3"),
        ("KWD", 12345, "12.345"),
        ("BHD", 7, "0.007"),
    ],
)
def test_from_minor(code: str, units: int, text: str) -> None:
    value = currency(code).from_minor(units)
    assert isinstance(value, Decimal)
    assert str(value) == text


@pytest.mark.parametrize("rounding", [ROUND_FLOOR, ROUND_CEILING])
def test_from_minor_is_exact_under_any_decimal_context(rounding: str) -> None:
    usd = currency("USD")
    big = 123456789012345678
    with localcontext() as context:
        context.prec = 3
        context.rounding = rounding
        assert str(usd.from_minor(big)) == "1234567890123456.78"
        assert str(usd.from_minor(-big)) == "-1234567890123456.78"
        assert str(currency("KWD").from_minor(987654321)) == "987654.321"
        assert usd.to_minor(usd.from_minor(big)) == big


def test_round_to_minor_rounds_half_away_from_zero() -> None:
    usd = currency("USD")
    assert usd.round_to_minor(Fraction(1, 200)) == 1  # 0.005 -> 0.01
    assert usd.round_to_minor(Fraction(-1, 200)) == -1
    assert usd.round_to_minor(Fraction(1, 300)) == 0
    assert usd.round_to_minor(Fraction(100, 3)) == 3333
    assert currency("JPY").round_to_minor(Fraction(5, 2)) == 3


@pytest.mark.parametrize(
    ("code", "units", "text"),
    [
        ("USD", 123456789, "1,234,567.89"),
        ("USD", 1234560, "12,345.60"),
        ("USD", 99999, "999.99"),
        ("USD", 0, "0.00"),
        ("USD", -5, "-0.05"),
        ("USD", -123456789, "-1,234,567.89"),
        ("JPY", 1234567, "1,234,567"),
        ("JPY", -1000, "-1,000"),
        ("KWD", 1234567, "1,234.567"),
    ],
)
def test_format_with_separators_and_negatives(code: str, units: int, text: str) -> None:
    assert currency(code).format(units) == text


# -- allocate: worked examples ---------------------------------------------------


def test_allocate_100_among_3_gives_the_extra_unit_to_the_first() -> None:
    # 100 / 3 = 33 rem 1 each; one unit left over, all remainders tie -> first weight.
    assert allocate(100, [1, 1, 1]) == [34, 33, 33]


def test_allocate_two_leftover_units_go_to_the_first_two_on_a_tie() -> None:
    assert allocate(101, [1, 1, 1]) == [34, 34, 33]
    assert allocate(5, [1, 1, 1, 1, 1, 1, 1]) == [1, 1, 1, 1, 1, 0, 0]


def test_allocate_gives_leftovers_to_the_largest_remainder_not_the_first() -> None:
    # 10 x 1/6 = 1.667, 10 x 2/6 = 3.333, 10 x 3/6 = 5: floors 1, 3, 5 leave 1 unit,
    # which goes to the first weight only because its remainder (4/6) is the largest.
    assert allocate(10, [1, 2, 3]) == [2, 3, 5]
    # 10 x 3/6 = 5, 10 x 2/6 = 3.333, 10 x 1/6 = 1.667: the last weight's remainder wins.
    assert allocate(10, [3, 2, 1]) == [5, 3, 2]
    # moneyphp issue 492: 0.05 among 70% / 30% is 0.035 / 0.015 -> 4 / 1, tie to the first.
    assert allocate(5, ["0.7", "0.3"]) == [4, 1]
    # 7 x 0.3 = 2.1 and 7 x 0.7 = 4.9: the second has the larger remainder.
    assert allocate(7, ["0.3", "0.7"]) == [2, 5]


def test_allocate_zero_weight_gets_zero() -> None:
    assert allocate(5, [0, 2, 1]) == [0, 3, 2]
    assert allocate(100, [1, 0, 1, 0]) == [50, 0, 50, 0]
    assert allocate(1, [0, 0, 1]) == [0, 0, 1]


def test_allocate_zero_amount() -> None:
    assert allocate(0, [1, 2, 3]) == [0, 0, 0]
    assert allocate(0, [0, 0]) == [0, 0]


def test_allocate_negative_amount_is_the_mirror_image() -> None:
    assert allocate(-100, [1, 1, 1]) == [-34, -33, -33]
    assert allocate(-10, [1, 2, 3]) == [-2, -3, -5]
    for amount, weights in [(100, [1, 1, 1]), (10, [3, 2, 1]), (997, [5, 0, 7, 7, 11])]:
        assert allocate(-amount, weights) == [-part for part in allocate(amount, weights)]


def test_allocate_fractional_and_decimal_weights_are_used_exactly() -> None:
    # 1/3 and 2/3 of 100 are 33.33 and 66.67: never pre-rounded to 0.33 / 0.67.
    assert allocate(100, [Fraction(1, 3), Fraction(2, 3)]) == [33, 67]
    assert allocate(100, [Decimal("0.5"), Decimal("0.25"), Decimal("0.25")]) == [50, 25, 25]
    assert allocate(3, ["0.333333", "0.333333", "0.333334"]) == [1, 1, 1]
    # the same split whatever the scale of the weights
    assert allocate(1000, ["1.5", "1"]) == allocate(1000, [3, 2]) == [600, 400]


def test_allocate_parts_add_up_and_stay_within_one_unit_of_exact() -> None:
    weights = [Fraction(17, 31), Fraction(1), Fraction(3, 5), Fraction(0), Fraction(29, 31)]
    for amount in (1, 99, 12345, 1000001):
        parts = allocate(amount, weights)
        assert sum(parts) == amount
        total = sum(weights)
        for part, weight in zip(parts, weights, strict=True):
            assert abs(part - amount * weight / total) < 1


def test_allocate_equal_weights_differ_by_at_most_one_unit() -> None:
    parts = allocate(1003, [7] * 10)
    assert parts == [101, 101, 101, 100, 100, 100, 100, 100, 100, 100]


def test_allocate_all_zero_weights_with_an_amount_raises() -> None:
    with pytest.raises(
        NumberError, match="cannot allocate 100 among parties whose weights are all 0"
    ):
        allocate(100, [0, 0, 0])
    with pytest.raises(NumberError, match="cannot allocate 100"):
        allocate(-100, [0, 0])


def test_allocate_empty_weights() -> None:
    assert allocate(0, []) == []
    with pytest.raises(NumberError, match="cannot allocate 5"):
        allocate(5, [])


def test_allocate_refuses_negative_and_float_weights() -> None:
    with pytest.raises(NumberError, match="weights >= 0"):
        allocate(10, [1, -1, 2])
    with pytest.raises(FloatMoneyError):
        allocate(10, [0.5, 0.5])  # type: ignore[list-item]


# -- allocate_groups ---------------------------------------------------------------


def test_allocate_groups_one_computation_per_weight() -> None:
    # 1000 among 3 members of weight 2 (positions 0, 2, 4) and 2 of weight 1 (1, 3):
    # total weight 8, so weight 2 gets 250 and weight 1 gets 125, exactly.
    shares = allocate_groups(1000, [(2, (0, 2, 4)), (1, (1, 3))])
    assert shares == [GroupShare(250, 0, 1), GroupShare(125, 0, 1)]


def test_allocate_groups_ties_go_to_the_lowest_positions_across_groups() -> None:
    # 100 among five members of equal weight in two groups: 20 each, nothing left.
    assert [s.base for s in allocate_groups(100, [(1, (1, 4)), (1, (0, 2, 3))])] == [20, 20]
    # 102 among the same: 20 each, 2 units over; every remainder ties, so positions 0 and 1:
    # the first member (rank 0) of each group.
    shares = allocate_groups(102, [(1, (1, 4)), (1, (0, 2, 3))])
    assert [shares[0].share(rank) for rank in range(2)] == [21, 20]
    assert [shares[1].share(rank) for rank in range(3)] == [21, 20, 20]
    assert [s.bumped for s in shares] == [1, 1]
    # 104: four units over go to positions 0 to 3: position 1 of the first group and
    # positions 0, 2 and 3 of the second.
    shares = allocate_groups(104, [(1, (1, 4)), (1, (0, 2, 3))])
    assert [s.bumped for s in shares] == [1, 3]


def test_allocate_groups_largest_remainder_first() -> None:
    # 10 among weights 1 (position 0) and 2 (positions 1, 2): total 5.
    # weight 1: 10 x 1/5 = 2 exactly; weight 2: 10 x 2/5 = 4 exactly.
    assert [s.base for s in allocate_groups(10, [(1, (0,)), (2, (1, 2))])] == [2, 4]
    # 11: weight 1 gets 2.2, weight 2 gets 4.4 -> floors 2, 4, 4 leave 1 unit for the
    # largest remainder (0.4, positions 1 and 2) -> position 1.
    shares = allocate_groups(11, [(1, (0,)), (2, (1, 2))])
    assert [shares[0].share(0), shares[1].share(0), shares[1].share(1)] == [2, 5, 4]


def test_allocate_groups_negative_amount_mirrors() -> None:
    shares = allocate_groups(-11, [(1, (0,)), (2, (1, 2))])
    assert [shares[0].share(0), shares[1].share(0), shares[1].share(1)] == [-2, -5, -4]
    assert all(s.step == -1 for s in shares)


def test_allocate_groups_zero_weight_group_gets_nothing() -> None:
    shares = allocate_groups(7, [(0, (0, 1)), (3, (2,))])
    assert [shares[0].share(0), shares[0].share(1), shares[1].share(0)] == [0, 0, 7]


def test_allocate_groups_all_zero() -> None:
    assert allocate_groups(0, [(0, (0, 1))]) == [GroupShare(0, 0, 1)]
    with pytest.raises(NumberError, match="weights are all 0"):
        allocate_groups(3, [(0, (0, 1)), (5, ())])


def test_allocate_groups_refuses_negative_weight() -> None:
    with pytest.raises(NumberError, match="allocation weight: got -2"):
        allocate_groups(3, [(-2, (0,))])


def test_group_share_share() -> None:
    share = GroupShare(5, 2, 1)
    assert [share.share(rank) for rank in range(4)] == [6, 6, 5, 5]
    assert share.total(4) == 22
    assert [GroupShare(-5, 1, -1).share(rank) for rank in range(2)] == [-6, -5]


def test_d_and_currency_round_trip_under_a_hostile_context() -> None:
    with localcontext() as context:
        context.prec = 2
        context.rounding = ROUND_FLOOR
        amounts = ["0.01", "1234567.89", "-98765.43"]
        usd = currency("USD")
        assert [str(usd.from_minor(usd.to_minor(D(a)))) for a in amounts] == amounts
