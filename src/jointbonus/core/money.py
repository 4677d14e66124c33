"""Currencies, minor units and allocation by largest remainder.

Amounts are carried inside the library as integers of the currency's minor
unit (cents for USD, yen for JPY, fils for KWD) and become
:class:`~decimal.Decimal` only at the edges.

Allocation splits an integer amount among weighted parties so that:

* the parts add up to the amount exactly;
* each part differs from its exact proportional share by less than one unit;
* a zero weight gets zero, and equal weights get parts at most one unit apart;
* the leftover units (what flooring every exact share leaves over) go one
  each to the parties with the largest remainders; **ties go to the party
  that comes first in the order given** (the engine gives members in member
  id order), never to dict or hash order;
* a negative amount (a clawback) splits as the mirror image of the positive
  one: ``allocate(-n, w) == [-p for p in allocate(n, w)]``.

>>> allocate(100, [1, 1, 1])
[34, 33, 33]
>>> allocate(-100, [1, 1, 1])
[-34, -33, -33]
>>> allocate(5, [0, 2, 1])
[0, 3, 2]
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from itertools import repeat
from math import lcm
from operator import mul

from jointbonus.core.number import D, NumberError, round_half_up, scaled_int, to_fraction
from jointbonus.errors import FloatMoneyError, argument, items

__all__ = [
    "MINOR_UNITS",
    "Currency",
    "GroupShare",
    "allocate",
    "allocate_groups",
    "currency",
    "lowest_counts",
    "lowest_position",
]

#: ISO 4217 minor units of the currencies a plan names most often. Any other
#: code can be used by giving its minor unit explicitly (:class:`Currency`).
MINOR_UNITS: dict[str, int] = {
    "AED": 2, "AUD": 2, "BHD": 3, "BRL": 2, "CAD": 2, "CHF": 2, "CLP": 0, "CNY": 2,
    "CZK": 2, "DKK": 2, "EUR": 2, "GBP": 2, "HKD": 2, "HUF": 2, "IDR": 2, "ILS": 2,
    "INR": 2, "ISK": 0, "JOD": 3, "JPY": 0, "KRW": 0, "KWD": 3, "MXN": 2, "MYR": 2,
    "NOK": 2, "NZD": 2, "OMR": 3, "PHP": 2, "PLN": 2, "SAR": 2, "SEK": 2, "SGD": 2,
    "THB": 2, "TND": 3, "TRY": 2, "TWD": 2, "USD": 2, "VND": 0, "ZAR": 2,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Currency:
    """A currency code and its minor unit: the number of decimals paid.

    >>> Currency("JPY", 0).to_minor(D("1200"))
    1200
    >>> Currency("KWD", 3).from_minor(12345)
    Decimal('12.345')
    """

    code: str
    minor_unit: int

    def __post_init__(self) -> None:
        if not (
            len(self.code) == 3
            and self.code.isascii()
            and self.code.isalpha()
            and self.code.isupper()
        ):
            raise NumberError(f"currency code: got {self.code!r}, expected 3 capital letters")
        if not 0 <= self.minor_unit <= 4:
            raise NumberError(
                f"currency minor unit: got {self.minor_unit!r}, expected 0 to 4 decimals"
            )

    @property
    def scale(self) -> int:
        """Minor units in one major unit (100 for USD, 1 for JPY)."""
        return int(10**self.minor_unit)

    def to_minor(self, amount: Decimal | int | str) -> int:
        """``amount`` in minor units; refuses more decimals than the currency has."""
        value = D(amount)
        units = scaled_int(value, self.minor_unit)
        if units is None:
            raise NumberError(
                f"amount {value} has more decimals than {self.code} pays ({self.minor_unit})"
            )
        return units

    def round_to_minor(self, amount: Fraction) -> int:
        """The exact ``amount`` (in major units) rounded half away from zero to minor units."""
        return round_half_up(amount * self.scale)

    def from_minor(self, units: int) -> Decimal:
        """The exact :class:`~decimal.Decimal` for ``units`` minor units (no context used)."""
        sign = "-" if units < 0 else ""
        digits = str(abs(units))
        if self.minor_unit == 0:
            return Decimal(f"{sign}{digits}")
        digits = digits.rjust(self.minor_unit + 1, "0")
        return Decimal(f"{sign}{digits[: -self.minor_unit]}.{digits[-self.minor_unit :]}")

    def format(self, units: int) -> str:
        """``units`` as text with thousands separators: ``12,345.60``."""
        text = str(self.from_minor(units))
        sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
        whole, _, decimals = text.partition(".")
        grouped = f"{int(whole):,}"
        return f"{sign}{grouped}.{decimals}" if decimals else f"{sign}{grouped}"


def currency(code: str, minor_unit: int | None = None) -> Currency:
    """The :class:`Currency` for an ISO 4217 ``code``.

    ``minor_unit`` is needed only for a code missing from :data:`MINOR_UNITS`;
    given for a known code, it must agree with it.
    """
    argument("code", code, str, "an ISO 4217 code (text)")
    argument("minor_unit", minor_unit, (int, type(None)), "a whole number of decimals or None")
    known = MINOR_UNITS.get(code)
    if minor_unit is None:
        if known is None:
            raise NumberError(
                f"currency: got {code!r}, expected a known ISO 4217 code "
                f"({', '.join(sorted(MINOR_UNITS))}) or an explicit minor unit"
            )
        minor_unit = known
    elif known is not None and known != minor_unit:
        raise NumberError(f"currency minor unit: {code} has {known} decimals, got {minor_unit}")
    return Currency(code, minor_unit)


@dataclass(frozen=True, slots=True)
class GroupShare:
    """What each member of one weight group receives.

    Every member gets ``base``; the first ``bumped`` members of the group (its
    lowest positions: ties go to the lower position) get one unit more (one
    unit less for a negative amount). A member is named by their **rank**:
    their place among the group's positions in ascending order.

    >>> GroupShare(5, 2, 1).share(1), GroupShare(5, 2, 1).share(2), GroupShare(5, 2, 1).total(4)
    (6, 5, 22)
    """

    base: int
    bumped: int
    step: int = 1

    def share(self, rank: int) -> int:
        """The part of the member at ``rank`` in the group."""
        return self.base + self.step if rank < self.bumped else self.base

    def total(self, count: int) -> int:
        """What the group's ``count`` members receive together."""
        return self.base * count + self.step * self.bumped


def allocate_groups(amount: int, groups: Sequence[tuple[int, Sequence[int]]]) -> list[GroupShare]:
    """Split ``amount`` among members gathered in groups of equal integer weight.

    ``groups`` is a sequence of ``(weight, positions)``: every member at one
    of ``positions`` has ``weight``. Positions are the members' places in the
    tie-break order (lower first); each group's are ascending, and distinct
    across groups. Members of equal weight share one computation, so a month
    of 100,000 members with a handful of distinct weights costs a handful of
    divisions, and the leftover units a group receives are a count: they go
    to its lowest positions.

    The result has one :class:`GroupShare` per group, in the same order.
    """
    if isinstance(amount, float):
        raise FloatMoneyError(f"allocation amount: refusing the float {amount!r}; pass an int")
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise NumberError(f"allocation amount: got {amount!r}, expected an int of minor units")
    if amount < 0:
        mirrored = allocate_groups(-amount, groups)
        return [GroupShare(-g.base, g.bumped, -g.step) for g in mirrored]
    weights = [weight for weight, _ in groups]
    sizes = [len(positions) for _, positions in groups]
    for weight in weights:
        if weight < 0:
            raise NumberError(f"allocation weight: got {weight}, expected a weight >= 0")
    total_weight = sum(map(mul, weights, sizes))
    if total_weight == 0:
        if amount:
            raise NumberError(f"cannot allocate {amount} among parties whose weights are all 0")
        return [_NOTHING] * len(groups)

    bases: list[int] = []
    by_remainder: dict[int, list[int]] = {}
    leftover = amount
    for index, weight in enumerate(weights):
        if not weight:
            bases.append(0)
            continue
        base, remainder = divmod(amount * weight, total_weight)
        bases.append(base)
        size = sizes[index]
        leftover -= base * size
        if remainder and size:
            level = by_remainder.get(remainder)
            if level is None:
                by_remainder[remainder] = [index]
            else:
                level.append(index)

    bumped = [0] * len(groups)
    for remainder in sorted(by_remainder, reverse=True):
        if leftover == 0:
            break
        level = by_remainder[remainder]
        size = sum(sizes[i] for i in level)
        if size <= leftover:
            for i in level:
                bumped[i] = sizes[i]
            leftover -= size
            continue
        if len(level) == 1:  # one group at this remainder: its lowest positions
            bumped[level[0]] = leftover
        else:
            for i, count in zip(
                level, lowest_counts(leftover, [groups[i][1] for i in level]), strict=True
            ):
                bumped[i] = count
        leftover = 0
    shared: dict[tuple[int, int], GroupShare] = {(0, 0): _NOTHING}  # equal shares: one object
    shares = []
    for base, count in zip(bases, bumped, strict=True):
        share = shared.get((base, count))
        if share is None:
            share = shared[base, count] = GroupShare(base, count, 1)
        shares.append(share)
    return shares


_NOTHING = GroupShare(0, 0, 1)


def lowest_counts(count: int, positions: Sequence[Sequence[int]]) -> list[int]:
    """How many of the ``count`` lowest positions of all the (ascending) ``positions``
    lists lie in each list: a search on the position value, never a merge of the lists.

    This is how a largest-remainder split hands the leftover units of one remainder to
    the members tied at it (:func:`allocate_groups`).

    >>> lowest_counts(3, [(0, 4, 5), (1, 2)])
    [1, 2]
    """
    last = lowest_position(count, positions)
    return [bisect_right(p, last) for p in positions]


def lowest_position(count: int, positions: Sequence[Sequence[int]]) -> int:
    """The ``count``-th lowest of all the (ascending, distinct) ``positions`` lists, for a
    ``count`` from 1 to their total length.

    >>> lowest_position(3, [(0, 4, 5), (1, 2)])
    2
    """
    low = min(p[0] for p in positions if p)
    high = max(p[-1] for p in positions if p)
    while low < high:  # the smallest value with at least ``count`` positions at or below it
        middle = (low + high) // 2
        if sum(map(bisect_right, positions, repeat(middle))) >= count:
            high = middle
        else:
            low = middle + 1
    return low


def allocate(amount: int, weights: Iterable[int | Decimal | Fraction | str]) -> list[int]:
    """Split the integer ``amount`` in proportion to ``weights``, by largest remainder.

    Weights may be ints, Decimals, Fractions or text, and must be >= 0; they
    are used exactly (never pre-rounded). Ties between equal remainders go to
    the earlier weight. See the module docstring for the full rule.
    """
    if isinstance(amount, float):  # the float's own error, as for a float weight
        raise FloatMoneyError(f"allocation amount: refusing the float {amount!r}; pass an int")
    argument("amount", amount, int, "an int of minor units")
    weights = items(
        "weights",
        weights,
        (int, Decimal, Fraction, str, float),
        "weights: ints, Decimals, Fractions or text",
    )
    # Whole-number weights are exact already: only others go through to_fraction.
    exact = [w if type(w) is int else to_fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise NumberError("allocation weights: expected weights >= 0")
    common = lcm(*(w.denominator for w in exact)) if exact else 1
    integral = [w.numerator * (common // w.denominator) for w in exact]
    positions: dict[int, list[int]] = {}
    for position, weight in enumerate(integral):
        positions.setdefault(weight, []).append(position)
    groups = list(positions.items())
    shares = allocate_groups(amount, groups)
    result = [0] * len(integral)
    for (_, members), share in zip(groups, shares, strict=True):
        for rank, position in enumerate(members):
            result[position] = share.share(rank)
    return result
