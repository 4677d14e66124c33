"""Exact numbers: D() lets in only finite decimals, and rounding is explicit."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction

import pytest

from jointbonus import D, FloatMoneyError, JointBonusError, NumberError
from jointbonus.core.number import (
    MAX_DIGITS,
    MAX_PLACES,
    ZERO,
    decimal_places,
    decimal_text,
    percent_text,
    round_half_up,
    scaled_int,
    to_fraction,
)

# -- D(): what gets in -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.56"), Decimal("1234.56")),
        (1234, Decimal("1234")),
        (-7, Decimal("-7")),
        (0, Decimal("0")),
        ("1234.56", Decimal("1234.56")),
        ("  12.30 \n", Decimal("12.30")),
        ("-0.005", Decimal("-0.005")),
        ("0.00", Decimal("0.00")),
    ],
)
def test_d_accepts_decimal_int_and_text(value: Decimal | int | str, expected: Decimal) -> None:
    result = D(value)
    assert isinstance(result, Decimal)
    assert result == expected
    assert str(result) == str(expected)


def test_d_keeps_the_written_exponent() -> None:
    # "12.30" keeps its two decimals: a currency check needs to see them.
    assert D("12.30").as_tuple().exponent == -2
    assert D(Decimal("5.000")).as_tuple().exponent == -3


def test_d_refuses_float_with_a_float_money_error() -> None:
    with pytest.raises(FloatMoneyError, match=r"refusing the float 0\.1") as info:
        D(0.1)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)
    assert isinstance(info.value, JointBonusError)
    assert "'0.1'" in str(info.value)  # it shows the text to pass instead


def test_d_refuses_a_float_that_happens_to_be_whole() -> None:
    with pytest.raises(FloatMoneyError):
        D(100.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("value", [True, False])
def test_d_refuses_bool(value: bool) -> None:
    with pytest.raises(NumberError, match="boolean"):
        D(value)


@pytest.mark.parametrize(
    "value", ["NaN", "nan", "sNaN", "Infinity", "-Infinity", "inf", Decimal("NaN"), Decimal("-inf")]
)
def test_d_refuses_nan_and_infinities(value: str | Decimal) -> None:
    with pytest.raises(NumberError, match="finite"):
        D(value)


@pytest.mark.parametrize("text", ["1,234", "1,234.50", "", "   ", "12 34", "$12", "1.2.3", "ten"])
def test_d_refuses_text_that_is_not_a_plain_number(text: str) -> None:
    with pytest.raises(NumberError, match="expected a decimal number") as info:
        D(text)
    assert repr(text) in str(info.value)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("value", [None, [1], Fraction(1, 2), b"12", object()])
def test_d_refuses_other_types(value: object) -> None:
    with pytest.raises(NumberError, match="expected a Decimal, an int or text"):
        D(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "1E+999999999",
        "-1E+999999999",
        "1E+18",
        "1000000000000000000",
        str(10**40),
        "0E+999999999",
        "0E+30",
    ],
)
def test_d_refuses_huge_magnitudes(text: str) -> None:
    # Text in scientific notation is refused as such; a Decimal of it is checked for size.
    with pytest.raises(NumberError, match=f"below 10\\^{MAX_DIGITS}"):
        D(Decimal(text) if "E" in text else text)


def test_d_refuses_a_huge_int() -> None:
    with pytest.raises(NumberError):
        D(10**5000)


@pytest.mark.parametrize(
    "text",
    [
        "1E-999999999",
        "0E-999999999",
        "0." + "0" * 18 + "1",
        "0." + "3" * 40,
        "0." + "0" * 40,
        "1." + "0" * 5000,
    ],
)
def test_d_refuses_absurd_precision(text: str) -> None:
    with pytest.raises(NumberError, match=f"at most {MAX_PLACES} decimals"):
        D(Decimal(text) if "E" in text else text)


def test_d_accepts_the_largest_and_finest_allowed() -> None:
    assert D("9" * MAX_DIGITS) == Decimal("9" * MAX_DIGITS)
    assert D("0." + "0" * (MAX_PLACES - 1) + "1") == Decimal(1).scaleb(-MAX_PLACES)
    # trailing zeros beyond the limit are only a way of writing: 1.2300 needs 2 decimals
    assert D("1.2" + "0" * MAX_PLACES) == Decimal("1.2")


def test_d_ignores_the_ambient_context() -> None:
    with localcontext() as context:
        context.prec = 3
        context.rounding = ROUND_FLOOR
        assert str(D("123456.789")) == "123456.789"
        assert str(D(Decimal("98765.4321"))) == "98765.4321"


def test_zero_constant() -> None:
    assert ZERO == 0
    assert isinstance(ZERO, Decimal)


def test_to_fraction_is_exact_and_refuses_floats() -> None:
    assert to_fraction("0.1") == Fraction(1, 10)
    assert to_fraction(Decimal("-2.50")) == Fraction(-5, 2)
    assert to_fraction(3) == 3
    half = Fraction(1, 2)
    assert to_fraction(half) is half
    with pytest.raises(FloatMoneyError):
        to_fraction(0.1)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "places"), [("1.50", 2), ("1", 0), ("1E+2", 0), ("0.125", 3), ("-3.0", 1)]
)
def test_decimal_places_counts_written_decimals(text: str, places: int) -> None:
    assert decimal_places(Decimal(text)) == places


def test_decimal_places_refuses_non_finite() -> None:
    with pytest.raises(NumberError):
        decimal_places(Decimal("NaN"))


# -- round_half_up ------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Fraction(0), 0),
        (Fraction(5, 2), 3),
        (Fraction(3, 2), 2),  # not banker's rounding: 1.5 -> 2 and 2.5 -> 3
        (Fraction(1, 2), 1),
        (Fraction(7, 3), 2),
        (Fraction(8, 3), 3),
        (Fraction(249999, 100000), 2),
        (Fraction(250001, 100000), 3),
        (Fraction(4), 4),
        (Fraction(1, 3), 0),
    ],
)
def test_round_half_up_positive(value: Fraction, expected: int) -> None:
    assert round_half_up(value) == expected


@pytest.mark.parametrize(
    "value",
    [Fraction(5, 2), Fraction(3, 2), Fraction(1, 2), Fraction(7, 3), Fraction(8, 3), Fraction(9)],
)
def test_round_half_up_mirrors_negatives(value: Fraction) -> None:
    assert round_half_up(-value) == -round_half_up(value)


def test_round_half_up_negative_halves_go_away_from_zero() -> None:
    assert round_half_up(Fraction(-5, 2)) == -3
    assert round_half_up(Fraction(-1, 2)) == -1
    assert round_half_up(Fraction(-1, 3)) == 0


# -- decimal_text and percent_text ------------------------------------------


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(2, 3), 4, "0.6667"),
        (Fraction(1, 3), 2, "0.33"),
        (Fraction(-2, 3), 4, "-0.6667"),
        (Fraction(1, 200), 2, "0.01"),  # 0.005 rounds up
        (Fraction(-1, 200), 2, "-0.01"),
        (Fraction(1, 1000), 2, "0.00"),
        (Fraction(-1, 1000), 2, "0.00"),  # no "-0.00"
        (Fraction(5, 2), 0, "3"),
        (Fraction(-5, 2), 0, "-3"),
        (12345, 2, "12345.00"),
        (0, 3, "0.000"),
        (Fraction(123456789, 100), 2, "1234567.89"),
    ],
)
def test_decimal_text(value: Fraction | int, places: int, expected: str) -> None:
    assert decimal_text(value, places) == expected


def test_decimal_text_refuses_negative_places() -> None:
    with pytest.raises(ValueError, match="places must be >= 0, got -1"):
        decimal_text(Fraction(1), -1)


def test_decimal_text_ignores_the_ambient_context() -> None:
    with localcontext() as context:
        context.prec = 2
        context.rounding = ROUND_FLOOR
        assert decimal_text(Fraction(98765432123, 1000), 3) == "98765432.123"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Fraction(193, 200), 1, "96.5%"),
        (Fraction(1), 1, "100.0%"),
        (Fraction(2, 3), 2, "66.67%"),
        (Fraction(-1, 8), 1, "-12.5%"),
        (0, 0, "0%"),
        (Fraction(9995, 10000), 1, "100.0%"),
    ],
)
def test_percent_text(value: Fraction | int, places: int, expected: str) -> None:
    assert percent_text(value, places) == expected


def test_percent_text_defaults_to_one_decimal() -> None:
    assert percent_text(Fraction(1, 3)) == "33.3%"


# -- scaled_int ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "places", "expected"),
    [
        ("12.30", 2, 1230),
        ("12.3", 2, 1230),
        ("12", 2, 1200),
        ("-12.34", 2, -1234),
        ("0.125", 3, 125),
        ("1E+2", 0, 100),
        ("1E+2", 2, 10000),
        ("0", 6, 0),
        ("0.00", 0, 0),
        ("0.600000", 6, 600000),
        ("1.500", 1, 15),  # trailing zeros are not extra decimals
    ],
)
def test_scaled_int_exact(text: str, places: int, expected: int) -> None:
    assert scaled_int(Decimal(text), places) == expected


@pytest.mark.parametrize(
    ("text", "places"), [("0.125", 2), ("12.345", 2), ("0.5", 0), ("-0.01", 1)]
)
def test_scaled_int_is_none_when_not_whole(text: str, places: int) -> None:
    assert scaled_int(Decimal(text), places) is None


def test_scaled_int_ignores_the_ambient_context() -> None:
    with localcontext() as context:
        context.prec = 1
        assert scaled_int(Decimal("987654321.12"), 2) == 98765432112


def test_scaled_int_refuses_non_finite() -> None:
    with pytest.raises(NumberError):
        scaled_int(Decimal("Infinity"), 2)
