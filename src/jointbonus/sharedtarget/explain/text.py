"""Figures as an explanation writes them: ratios, percentages, exact fractions, amounts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, percent_text
from jointbonus.core.periods import Month

__all__ = [
    "BY_ROW",
    "RATIO_PLACES",
    "Money",
    "fraction_text",
    "percent",
    "plain",
    "ratio_text",
    "summed_targets_source",
    "weighting_text",
]

RATIO_PLACES = 6


def fraction_text(value: Fraction) -> str | None:
    """The exact value as ``n/d``; ``None`` for a whole number (its text says it all)."""
    return None if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def ratio_text(value: Fraction) -> str:
    """A ratio as the reports write it, with :data:`RATIO_PLACES` decimals."""
    return decimal_text(value, RATIO_PLACES)


class _Sourced(Protocol):
    """A month's target and where it came from (a plan month, or a metric's month)."""

    @property
    def month(self) -> Month: ...
    @property
    def target_source(self) -> str: ...


def summed_targets_source(inside: Sequence[_Sourced], derived: Callable[[str], str]) -> str:
    """What the target of a period longer than a month, its months' targets summed, adds
    when the norm derived some of them: which months, and how (``derived`` of a month's
    ``target_source``, in the words that month's own target uses); ``""`` when the plan
    gives every one."""
    derived_months = [m for m in inside if m.target_source != "plan"]
    if not derived_months:
        return ""
    how = "; ".join(dict.fromkeys(derived(m.target_source) for m in derived_months))
    if len(derived_months) == len(inside):
        return f"; each month's target {how}"
    given = [m for m in inside if m.target_source == "plan"]
    return f"; {_targets_of(derived_months)} {how}, {_targets_of(given)} given by the plan"


def _targets_of(months: Sequence[_Sourced]) -> str:
    """``2026-05's target`` or ``the targets of 2026-04 and 2026-06``."""
    names = [str(m.month) for m in months]
    if len(names) == 1:
        return f"{names[0]}'s target"
    return f"the targets of {', '.join(names[:-1])} and {names[-1]}"


def weighting_text(weighting: Fraction) -> tuple[str, str]:
    """How a period's weighting enters a formula, in words and in figures: ``("", "")``
    under equal weights, else ``(" x the period's weighting", " x 1.6")``."""
    if weighting == 1:
        return "", ""
    return " x the period's weighting", f" x {plain(weighting)}"


def percent(value: Fraction) -> str:
    """A ratio as a percentage in the fewest decimals (up to 4): 100%, 107.4472%."""
    text = percent_text(value, 4)[:-1]
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def plain(value: Fraction) -> str:
    """An exact number in the fewest decimals (up to 6) that show it: 1, 0.6, 1.074472."""
    text = decimal_text(value, RATIO_PLACES)
    return text.rstrip("0").rstrip(".") if "." in text else text


class Money:
    """Amounts of one currency as text: minor units, major units, with extra decimals."""

    def __init__(self, currency: Currency) -> None:
        self.currency = currency

    def units(self, units: int) -> str:
        return str(self.currency.from_minor(units))

    def major(self, value: Fraction, extra: int = 0) -> str:
        return decimal_text(value, self.currency.minor_unit + extra)

    def given(self, value: Decimal) -> str:
        """An amount as the input gave it, in at least the minor unit's decimals, never
        rounded: ``228800`` reads ``228800.00`` beside a target of ``220000.00``."""
        exponent = value.as_tuple().exponent
        shown = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        return decimal_text(Fraction(value), max(self.currency.minor_unit, shown))

    def minor(self, value: Fraction, extra: int = 0) -> str:
        """An exact amount in minor units (possibly fractional) as major-unit text."""
        return decimal_text(value / self.currency.scale, self.currency.minor_unit + extra)

    @property
    def unit(self) -> str:
        """The minor unit as an amount: ``0.01 USD``."""
        return f"{self.units(1)} {self.currency.code}"


#: How a target amount reads when the member's target bonus changes in the month or period.
BY_ROW = (
    "annual target bonus x eligible weight, each day at the target bonus of its roster row "
    "(the sum over the months and rows of target bonus x FTE x days / days in the month)"
)
