"""Exact numbers: one way in (:func:`D`), exact arithmetic inside, one way out.

The rules this module enforces:

* An amount enters as a :class:`~decimal.Decimal`, an ``int`` or text. A
  ``float`` is refused with :class:`~jointbonus.errors.FloatMoneyError`, and
  so are ``bool``, NaN and infinities.
* Text follows one grammar, wherever it comes from (a CSV cell, a TOML
  string, a lead export, an argument): an optional sign, ASCII digits, and
  optionally a point and more digits (:data:`NUMBER_TEXT`). ``1e3``, ``.5``,
  ``5.``, ``1_000``, ``inf`` and non-ASCII digits are refused, each with
  words for what it is (:func:`number_text_problem`).
* Inside, arithmetic is exact: :class:`~fractions.Fraction` and ``int``. No
  function here, nor anywhere in the engine, uses the ambient
  :mod:`decimal` context, so a caller's ``getcontext().prec = 3`` or
  ``ROUND_FLOOR`` cannot change a single cent.
* An amount leaves as a ``Decimal`` built from text, which is exact whatever
  the context says.

>>> D("1234.50")
Decimal('1234.50')
>>> round_half_up(Fraction(5, 2)), round_half_up(Fraction(-5, 2))
(3, -3)
>>> decimal_text(Fraction(2, 3), 4)
'0.6667'
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from jointbonus.errors import FloatMoneyError, JointBonusError, shown

__all__ = [
    "MAX_DIGITS",
    "MAX_PLACES",
    "NUMBER_TEXT",
    "NUMBER_WORDS",
    "ZERO",
    "D",
    "NumberError",
    "decimal_places",
    "decimal_text",
    "number_text_problem",
    "percent_text",
    "round_half_up",
    "round_quotient",
    "scaled_int",
    "to_decimal",
    "to_fraction",
]

ZERO = Decimal("0")

#: Largest magnitude (10^MAX_DIGITS) and finest resolution (10^-MAX_PLACES)
#: accepted for any number. Far beyond any real bonus plan, and it keeps a
#: hostile input such as ``1E+999999999`` from turning into a huge integer.
MAX_DIGITS = 18
MAX_PLACES = 18


class NumberError(JointBonusError, ValueError):
    """A value is not a finite decimal number."""


#: How a number is written as text: an optional sign, ASCII digits, and
#: optionally a point followed by more digits (``1234``, ``-12.50``, ``+0.6``).
NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")
_NUMBER_MATCH = NUMBER_TEXT.fullmatch

#: What a number written as text must look like, in words.
NUMBER_WORDS = (
    "a decimal number written with digits and an optional '.', such as 1234.56 "
    "(no thousands separators or currency signs)"
)

_SCIENTIFIC = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE][+-]?[0-9]+")
_BARE_POINT = re.compile(r"[+-]?(?:\.[0-9]+|[0-9]+\.)")
_PERCENT = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?%")
_NOT_FINITE = re.compile(r"[+-]?(?:inf(?:inity)?|s?nan[0-9]*)", re.IGNORECASE)


def number_text_problem(text: str, expected: str = NUMBER_WORDS) -> str | None:
    """What is wrong with ``text`` as a number, or ``None`` if it follows :data:`NUMBER_TEXT`.

    ``expected`` says what the value must be (:data:`NUMBER_WORDS`, or a
    field's own words such as "a fraction such as 0.8"); a common mistake
    gets words for what it is.

    >>> number_text_problem("1234.50") is None
    True
    >>> print(number_text_problem("1.23457E+11"))
    a number written out in digits, not a number in scientific notation, as Excel writes \
long numbers; format the column as a number with decimals
    >>> print(number_text_problem(".5"))
    a number with digits on both sides of the point, such as 0.5
    >>> print(number_text_problem("80%", "a fraction such as 0.8"))
    a fraction such as 0.8, not a percentage: write 0.8 for 80%
    """
    if NUMBER_TEXT.fullmatch(text):
        return None
    if _SCIENTIFIC.fullmatch(text):
        return (
            "a number written out in digits, not a number in scientific notation, "
            "as Excel writes long numbers; format the column as a number with decimals"
        )
    if _BARE_POINT.fullmatch(text):
        sign, digits = (text[0], text[1:]) if text[0] in "+-" else ("", text)
        written = f"{sign}0{digits}" if digits.startswith(".") else f"{sign}{digits}0"
        return f"a number with digits on both sides of the point, such as {written}"
    if _NOT_FINITE.fullmatch(text):
        return "a finite decimal number, not NaN or infinity"
    if not text.isascii():
        return f"{expected}, in the digits 0 to 9"
    if _PERCENT.fullmatch(text):
        share = Fraction(text[:-1]) / 100
        return f"{expected}, not a percentage: write {_plain(share)} for {text}"
    return expected


def _plain(value: Fraction) -> str:
    """A fraction with a finite decimal expansion (a percentage / 100) written out."""
    places = 0
    while (value * 10**places).denominator != 1:
        places += 1
    return decimal_text(value, places)


def D(value: Decimal | int | str) -> Decimal:
    """Return ``value`` as an exact, finite :class:`~decimal.Decimal`.

    Accepts a ``Decimal``, an ``int`` or text such as ``"1234.56"`` written as
    :data:`NUMBER_TEXT` says (surrounding white space is ignored; ``"1,234"``,
    ``"1e3"`` and ``".5"`` are not numbers). Refuses ``float`` (use text
    instead) and ``bool``, and refuses NaN and infinities.
    """
    if isinstance(value, bool):
        raise NumberError(f"expected a decimal number, got the boolean {value!r}")
    if isinstance(value, float):
        raise FloatMoneyError(
            f"refusing the float {value!r}: floats cannot hold decimal amounts exactly; "
            f"pass a Decimal, an int or text such as {str(value)!r}"
        )
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, str):
        text = value.strip()
        if not _NUMBER_MATCH(text):
            raise NumberError(f"expected {number_text_problem(text)}, got {shown(value)}")
        result = Decimal(text)
    else:
        raise NumberError(
            f"expected a Decimal, an int or text, got {type(value).__name__} {shown(value)}"
        )
    if not result.is_finite():
        raise NumberError(f"expected a finite decimal number, got {value!r}")
    # Zero is checked too ("0E+999999999" would make a huge integer later), and
    # so is the digit count ("1." and 5,000 zeros is 1, written absurdly).
    if (
        len(result.as_tuple().digits) > MAX_DIGITS + MAX_PLACES
        or _significant_places(result) > MAX_PLACES
        or result.adjusted() >= MAX_DIGITS
    ):
        text = str(result)  # repr() of an int over 4300 digits raises ValueError
        written = repr(value) if len(text) <= 60 else f"{text[:20]}... ({len(text)} characters)"
        raise NumberError(
            f"expected a number below 10^{MAX_DIGITS} with at most {MAX_PLACES} decimals, "
            f"got {written}"
        )
    return result


to_decimal = D


def to_fraction(value: Decimal | int | str | Fraction) -> Fraction:
    """Return ``value`` as an exact :class:`~fractions.Fraction` (floats refused)."""
    if isinstance(value, Fraction):
        return value
    return Fraction(D(value))


def decimal_places(value: Decimal) -> int:
    """How many digits ``value`` has after the decimal point (``1.50`` has 2, ``1E+2`` has 0)."""
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int):  # NaN or infinity: D() never lets them in
        raise NumberError(f"expected a finite decimal number, got {value!r}")
    return max(0, -exponent)


def _significant_places(value: Decimal) -> int:
    """Decimals needed to write a finite ``value`` exactly (``1.2300`` needs 2)."""
    _sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise NumberError(f"expected a finite decimal number, got {value!r}")
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing))


def scaled_int(value: Decimal, places: int) -> int | None:
    """``value x 10^places`` as an int, or ``None`` if that is not a whole number.

    ``scaled_int(Decimal("12.30"), 2) == 1230``; ``scaled_int(Decimal("0.125"), 2)``
    is ``None``. Integer arithmetic on the digits: no decimal context involved.
    """
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int):
        raise NumberError(f"expected a finite decimal number, got {value!r}")
    number = int("".join(map(str, digits))) if digits else 0
    shift = exponent + places
    if shift >= 0:
        number *= int(10**shift)
    else:
        number, remainder = divmod(number, int(10 ** (-shift)))
        if remainder:
            return None
    return -number if sign else number


def round_half_up(value: Fraction) -> int:
    """Round to the nearest integer, halves away from zero (2.5 -> 3, -2.5 -> -3).

    Negative values mirror positive ones, so a clawback rounds exactly as the
    payment it reverses.
    """
    if value < 0:
        return -round_half_up(-value)
    numerator, denominator = value.numerator, value.denominator
    return (2 * numerator + denominator) // (2 * denominator)


def round_quotient(numerator: int, denominator: int) -> int:
    """``round_half_up(Fraction(numerator, denominator))`` for a ``denominator`` above 0,
    without building (and reducing) the fraction.

    >>> round_quotient(10, 4), round_quotient(-10, 4), round_quotient(7, 3)
    (3, -3, 2)
    """
    if numerator < 0:
        return -((-2 * numerator + denominator) // (2 * denominator))
    return (2 * numerator + denominator) // (2 * denominator)


def round_product(rate: Fraction, value: int) -> int:
    """``round_half_up(rate x value)`` for a whole ``value``, without building the product.

    >>> round_product(Fraction(1, 4), 6), round_product(Fraction(-1, 4), 6)
    (2, -2)
    """
    numerator = rate.numerator * value
    denominator = rate.denominator
    if numerator < 0:
        return -((-2 * numerator + denominator) // (2 * denominator))
    return (2 * numerator + denominator) // (2 * denominator)


def decimal_text(value: Fraction | int, places: int) -> str:
    """``value`` rounded half away from zero to ``places`` decimals, as plain text.

    Built with integer arithmetic only, so no decimal context is involved.
    """
    if places < 0:
        raise ValueError(f"places must be >= 0, got {places}")
    scaled = round_half_up(Fraction(value) * 10**places)
    sign = "-" if scaled < 0 else ""
    digits = str(abs(scaled)).rjust(places + 1, "0")
    if places == 0:
        return f"{sign}{digits}"
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def percent_text(value: Fraction | int, places: int = 1) -> str:
    """``value`` as a percentage with ``places`` decimals: ``Fraction(193, 200)`` -> ``96.5%``."""
    return f"{decimal_text(Fraction(value) * 100, places)}%"
