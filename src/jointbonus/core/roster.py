"""Team members and their weight in each month.

A member's weight in a month is::

    weight = FTE x (days active in the month / days in the month)

with the start and end dates counted inclusively. A member not active in a
month has weight 0 and is paid nothing for it.

Whether a member who leaves before a month's last day is paid for that month
is a plan option (``pay_leavers_for_exit_month``): on, they are paid for the
days they were there; off, they get nothing for their exit month. Members who
leave on the month's last day are not leavers of that month.

>>> m = Member("S01", "sales", date(2024, 2, 10), None, D("0.5"))
>>> m.weight(Month(2024, 2))  # 0.5 x 20 of 29 days (10 to 29 February 2024)
Fraction(10, 29)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.number import D, scaled_int
from jointbonus.core.periods import Month, active_days
from jointbonus.errors import JointBonusError

__all__ = ["FTE_PLACES", "FTE_SCALE", "Member", "RosterError", "Standing", "standing_in"]

#: FTE fractions may have up to this many decimals (0.333333 is fine).
FTE_PLACES = 6
FTE_SCALE: int = 1_000_000


class RosterError(JointBonusError, ValueError):
    """A member's data is inconsistent."""


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a member stands in one month: eligible weight and, if 0, why."""

    days: int
    units: int
    """Eligible weight in integer units: FTE x 10^6 x days active (0 if not paid)."""
    reason: str
    """Why the weight is 0 (empty when it is not)."""


#: Decimals that passed a member's checks, by identity, so a roster's repeated
#: values (a loader reads equal cells as one object) are checked once. Each
#: entry holds its object, so its id cannot be reused while the entry exists;
#: a full cache is emptied, so it stays small and follows the roster at hand.
_CHECKED_FTE: dict[int, tuple[Decimal, int]] = {}
_CHECKED_AMOUNTS: dict[int, Decimal] = {}
_CHECKED_LIMIT = 4096


@dataclass(frozen=True, slots=True)
class Member:
    """One person in the plan.

    ``fte`` is in (0, 1] with at most six decimals. ``salary`` and
    ``target_bonus`` (annual amounts in the plan currency) are optional; a
    plan that splits the pool by salary, or funds bonuses individually,
    needs them.
    """

    id: str
    team: str
    start: date
    end: date | None
    fte: Decimal
    salary: Decimal | None = None
    target_bonus: Decimal | None = None

    def __post_init__(self) -> None:
        fte = self.fte
        known = _CHECKED_FTE.get(id(fte))
        if known is None or known[0] is not fte:
            fte = D(self.fte)
            units = scaled_int(fte, FTE_PLACES)
            if units is None:
                raise RosterError(
                    f"member {self.id}: fte: got {fte}, expected at most {FTE_PLACES} decimals"
                )
            if not 0 < units <= FTE_SCALE:
                raise RosterError(f"member {self.id}: fte: got {fte}, expected a number in (0, 1]")
            if fte is self.fte:
                if len(_CHECKED_FTE) >= _CHECKED_LIMIT:  # full: start afresh
                    _CHECKED_FTE.clear()
                _CHECKED_FTE[id(fte)] = (fte, units)
        if not isinstance(self.id, str) or not self.id.strip():
            raise RosterError(f"member id: got {self.id!r}, expected a non-empty text")
        if fte is not self.fte:
            object.__setattr__(self, "fte", fte)
        if self.end is not None and self.end < self.start:
            raise RosterError(
                f"member {self.id}: end: got {self.end}, expected a date on or after the "
                f"start date {self.start}"
            )
        salary, bonus = self.salary, self.target_bonus
        if salary is not None and _CHECKED_AMOUNTS.get(id(salary)) is not salary:
            self._check_amount("salary", salary)
        if bonus is not None and _CHECKED_AMOUNTS.get(id(bonus)) is not bonus:
            self._check_amount("target_bonus", bonus)

    def _check_amount(self, name: str, value: Decimal) -> None:
        amount = D(value)
        if amount < 0:
            raise RosterError(f"member {self.id}: {name}: got {value}, expected >= 0")
        object.__setattr__(self, name, amount)
        if amount is value:
            if len(_CHECKED_AMOUNTS) >= _CHECKED_LIMIT:  # full: start afresh
                _CHECKED_AMOUNTS.clear()
            _CHECKED_AMOUNTS[id(amount)] = amount

    @property
    def fte_units(self) -> int:
        """FTE in millionths (0.6 -> 600000)."""
        known = _CHECKED_FTE.get(id(self.fte))
        if known is not None and known[0] is self.fte:
            return known[1]
        units = scaled_int(self.fte, FTE_PLACES)
        return 0 if units is None else units

    def weight(self, month: Month) -> Fraction:
        """FTE x days active / days in the month, exact (leaver rule not applied)."""
        return Fraction(self.fte) * Fraction(active_days(month, self.start, self.end), month.days)

    def standing(self, month: Month, pay_leavers_for_exit_month: bool) -> Standing:
        """The member's eligible weight in ``month`` under the plan's leaver rule."""
        return standing_in(month, self.start, self.end, self.fte_units, pay_leavers_for_exit_month)


def standing_in(
    month: Month, start: date, end: date | None, fte_units: int, pay_leavers_for_exit_month: bool
) -> Standing:
    """Eligible weight units in ``month`` for a member employed from ``start`` to ``end``."""
    days = active_days(month, start, end)
    last_day = month.last_day
    if days == 0:
        if start > last_day:
            return Standing(0, 0, f"not yet started (starts {start.isoformat()})")
        left = end.isoformat() if end is not None else "before the month"
        return Standing(0, 0, f"left on {left}")
    if end is not None and end < last_day and not pay_leavers_for_exit_month:
        return Standing(
            days,
            0,
            f"left on {end.isoformat()}, before the month ended; "
            "the plan does not pay leavers for their exit month",
        )
    return Standing(days, fte_units * days, "")
