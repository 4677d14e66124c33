"""Property: one number grammar, the documented one, and exact values from it.

A number written as text is an optional sign, ASCII digits, and optionally a
point followed by more digits. :func:`jointbonus.D` (and through it every
file reader) accepts exactly the texts a regular expression written from
the docs accepts, and every accepted text gives the exact value its digits
say: the integer of its digits over a power of ten.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from jointbonus import D, NumberError
from jointbonus.core.number import MAX_DIGITS, MAX_PLACES
from jointbonus.io.fields import decimal

#: The grammar as docs/plan-file.md writes it, on its own: sign, digits, point and digits.
ORACLE = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?", re.ASCII)

#: Texts made of the characters numbers and their look-alikes are made of.
texts = st.lists(
    st.sampled_from(
        ["0", "1", "7", "9", ".", "-", "+", "e", "E", "_", ",", " ", "%", "٣", "²", "inf", "nan"]
    ),
    max_size=12,
).map("".join)


def exact(text: str) -> Fraction:
    """The value of a text the oracle accepts, from its digits alone (no Decimal)."""
    sign = -1 if text.startswith("-") else 1
    whole, _, decimals = text.lstrip("+-").partition(".")
    return sign * Fraction(int(whole + decimals), 10 ** len(decimals))


def within_bounds(value: Fraction, text: str) -> bool:
    """Whether a value the grammar accepts is also inside D()'s size and precision bounds."""
    decimals = text.partition(".")[2].rstrip("0")
    return abs(value) < 10**MAX_DIGITS and len(decimals) <= MAX_PLACES


@given(texts)
@example("1e0")
@example(".5")
@example("5.")
@example("1.23457E+11")
@example("1_000")
@example("٣")
@example("+0.50")
@example("-0")
@example(" 12.5 ")
def test_d_accepts_exactly_the_documented_grammar(text: str) -> None:
    written = text.strip()  # white space around a number is no part of it
    try:
        value = D(text)
    except NumberError:
        accepted = False
    else:
        accepted = True
        assert isinstance(value, Decimal)
    if ORACLE.fullmatch(written) and within_bounds(exact(written), written):
        assert accepted, text
        assert Fraction(value) == exact(written)
        assert D(str(value)) == value  # as the library writes it, it reads again
    elif not ORACLE.fullmatch(written):
        assert not accepted, text


@given(st.integers(-(10**17), 10**17), st.integers(0, 6))
def test_every_written_number_reads_back_exactly(units: int, places: int) -> None:
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(places + 1, "0")
    text = f"{sign}{digits[:-places]}.{digits[-places:]}" if places else f"{sign}{digits}"
    assert Fraction(D(text)) == Fraction(units, 10**places)
    assert decimal(text) == D(text)  # the file readers' field type reads the same value
