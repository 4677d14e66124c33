"""Payout curves: attainment in, payout factor out.

Attainment is ``actual / target`` (1 means exactly on target). A curve maps
it to a payout factor >= 0 that never decreases as attainment rises.

* :class:`StepCurve` -- the simple "hit the target, everybody wins" plan: the
  factor is ``payout`` (1 by default) at or above ``threshold`` (1 by
  default, i.e. 100% of target) and 0 below it.
* :class:`LinearCurve` -- piecewise linear through points
  ``(attainment, factor)``: 0 below the first point (the threshold), linear
  between points (a steeper segment is an accelerator), flat after the last
  point (the cap).

Both work on exact fractions, so a factor is never rounded.

>>> curve = LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.2", "2")])
>>> [str(curve.factor(Fraction(a, 100))) for a in (80, 90, 95, 100, 110, 150)]
['0', '1/2', '3/4', '1', '3/2', '2']
>>> StepCurve().factor(Fraction(99, 100)), StepCurve().factor(Fraction(1))
(Fraction(0, 1), Fraction(1, 1))
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.number import decimal_text, to_fraction
from jointbonus.errors import JointBonusError

__all__ = ["Curve", "CurveError", "LinearCurve", "StepCurve"]

_ONE = Fraction(1)
_ZERO = Fraction(0)

#: An exact number as a curve takes it; a float is refused.
Exact = Fraction | Decimal | int | str


class CurveError(JointBonusError, ValueError):
    """A payout curve that is not well formed."""


@dataclass(frozen=True, slots=True, init=False)
class StepCurve:
    """Factor ``payout`` at or above ``threshold``, 0 below it.

    Both are exact: Fractions, Decimals, ints or text; a float is refused
    (:class:`~jointbonus.errors.FloatMoneyError`).
    """

    threshold: Fraction
    payout: Fraction

    def __init__(
        self,
        threshold: Fraction | Decimal | int | str = _ONE,
        payout: Fraction | Decimal | int | str = _ONE,
    ) -> None:
        exact_threshold = to_fraction(threshold)
        exact_payout = to_fraction(payout)
        if exact_threshold <= 0:
            raise CurveError(f"step threshold: got {exact_threshold}, expected > 0")
        if exact_payout < 0:
            raise CurveError(f"step payout: got {exact_payout}, expected >= 0")
        # A frozen value: each field is set once, here.
        object.__setattr__(self, "threshold", exact_threshold)
        object.__setattr__(self, "payout", exact_payout)

    @property
    def kind(self) -> str:
        return "step"

    @property
    def threshold_attainment(self) -> Fraction:
        """The lowest attainment that pays anything."""
        return self.threshold

    @property
    def max_factor(self) -> Fraction:
        return self.payout

    def factor(self, attainment: Fraction) -> Fraction:
        return self.payout if attainment >= self.threshold else _ZERO

    def pays_from(self) -> str:
        """Where the curve starts paying, in words, for the reason of a zero."""
        return f"the curve pays from {_percent(self.threshold)}"

    def describe(self) -> str:
        return (
            f"step: factor {_text(self.payout)} at or above {_percent(self.threshold)} "
            "of target, 0 below"
        )


@dataclass(frozen=True, slots=True, init=False)
class LinearCurve:
    """Piecewise linear through ``points``; 0 below the first, flat after the last.

    Coordinates are exact: Fractions, Decimals, ints or text; a float is
    refused (:class:`~jointbonus.errors.FloatMoneyError`).
    """

    points: tuple[tuple[Fraction, Fraction], ...]

    def __init__(
        self,
        points: Sequence[tuple[Fraction | Decimal | int | str, Fraction | Decimal | int | str]],
    ) -> None:
        if not points:
            raise CurveError("linear curve points: got none, expected at least one point")
        exact = tuple((to_fraction(a), to_fraction(f)) for a, f in points)
        previous: tuple[Fraction, Fraction] | None = None
        for index, (attainment, factor) in enumerate(exact):
            if attainment < 0:
                raise CurveError(
                    f"curve point {index + 1}: attainment {attainment} is negative, expected >= 0"
                )
            if factor < 0:
                raise CurveError(
                    f"curve point {index + 1}: factor {factor} is negative, expected >= 0"
                )
            if previous is not None:
                if attainment <= previous[0]:
                    raise CurveError(
                        f"curve point {index + 1}: attainment {_text(attainment)} must be "
                        f"above the previous point's {_text(previous[0])}"
                    )
                if factor < previous[1]:
                    raise CurveError(
                        f"curve point {index + 1}: factor {_text(factor)} is below the "
                        f"previous point's {_text(previous[1])}; a payout curve never decreases"
                    )
            previous = (attainment, factor)
        # A frozen value: set once, here.
        object.__setattr__(self, "points", exact)

    @classmethod
    def of(cls, points: Sequence[tuple[Decimal | str | int, Decimal | str | int]]) -> LinearCurve:
        """A curve from ``(attainment, factor)`` pairs given as Decimals, ints or text."""
        return cls(points)

    @property
    def kind(self) -> str:
        return "linear"

    @property
    def threshold_attainment(self) -> Fraction:
        """Where the curve starts to pay: nothing is paid below it.

        The first point if it pays; otherwise the last zero point before the
        curve rises (``(90%, 0), (100%, 1)`` pays 0.5 at 95%, so its threshold
        is 90%, paid only above it). A curve that never pays: its last point.
        """
        for index, (attainment, factor) in enumerate(self.points):
            if factor > 0:
                return attainment if index == 0 else self.points[index - 1][0]
        return self.points[-1][0]

    @property
    def max_factor(self) -> Fraction:
        return self.points[-1][1]

    def factor(self, attainment: Fraction) -> Fraction:
        points = self.points
        if attainment < points[0][0]:
            return _ZERO
        if attainment >= points[-1][0]:
            return points[-1][1]
        for (a0, f0), (a1, f1) in itertools.pairwise(points):
            if a0 <= attainment < a1:
                return f0 + (f1 - f0) * (attainment - a0) / (a1 - a0)
        raise CurveError(f"attainment {attainment} fell between no points")  # pragma: no cover

    def pays_from(self) -> str:
        """Where the curve starts paying, in words, for the reason of a zero."""
        first_attainment, first_factor = self.points[0]
        if first_factor > 0:
            return f"the curve pays from {_percent(first_attainment)}"
        if all(factor == 0 for _, factor in self.points):
            return "the curve never pays"
        return f"the curve pays above {_percent(self.threshold_attainment)}"

    def describe(self) -> str:
        shown = ", ".join(f"({_percent(a)}, {_text(f)})" for a, f in self.points)
        return f"linear through {shown}; 0 below the first point, flat after the last"


Curve = StepCurve | LinearCurve


def _text(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    return decimal_text(value, 4).rstrip("0").rstrip(".")


def _percent(value: Fraction) -> str:
    return f"{_text(value * 100)}%"
