"""Caps: the most one member is paid in a month and in a plan year.

Caps cut a member's month total after the parts are shared out: to at most
``caps.per_month``, and to at most ``caps.per_year`` less what the member was
paid earlier in the same plan year. What a cap cuts is paid to nobody.

A plan year is each run of :data:`YEAR` plan months from the plan's start;
:class:`YearToDate` follows what each member was paid in the current one.
It is the one tracker the engine, the pace of the plan summary and the
calibration's historical paths all use.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from jointbonus.core.money import GroupShare
from jointbonus.core.periods import YEAR
from jointbonus.sharedtarget.goals import Caps

__all__ = ["YearToDate", "cuts", "plan_year"]


def plan_year(index: int) -> int:
    """The plan year (0 for the first) of the plan month at ``index``."""
    return index // YEAR


class YearToDate(Mapping[int, int]):
    """What each member (by position) was paid so far in the current plan year.

    Call :meth:`start` with each plan month's index before paying it: a month
    that begins a plan year empties the record. :meth:`add` records a member's
    payment. As a mapping it gives each member's amount (members with nothing
    paid are absent).
    """

    __slots__ = ("_paid",)

    def __init__(self) -> None:
        self._paid: dict[int, int] = {}

    def start(self, index: int) -> None:
        """Enter plan month ``index``; a new plan year starts with nothing paid."""
        if index % YEAR == 0:
            self._paid = {}

    def add(self, position: int, amount: int) -> None:
        """Record ``amount`` paid to the member at ``position`` this month."""
        if amount:
            self._paid[position] = self._paid.get(position, 0) + amount

    def __getitem__(self, position: int) -> int:
        return self._paid[position]

    def __iter__(self) -> Iterator[int]:
        return iter(self._paid)

    def __len__(self) -> int:
        return len(self._paid)


def cuts(
    caps: Caps,
    positions: Sequence[tuple[int, ...]],
    parts: Sequence[Sequence[GroupShare]],
    year_to_date: Mapping[int, int] | None,
) -> dict[int, int]:
    """What the caps cut from each member's month total (members cut only).

    ``positions`` are each pay group's members and ``parts`` each part's
    shares, group by group; ``year_to_date`` what each member was paid earlier
    in the plan year.
    """
    ytd = year_to_date or {}
    cut: dict[int, int] = {}
    for group, members in enumerate(positions):
        shares = [part[group] for part in parts]
        most = sum(s.base + max(s.step, 0) for s in shares)
        if most <= 0:
            continue
        if (caps.per_month is None or most <= caps.per_month) and (
            caps.per_year is None
            or most + max((ytd.get(p, 0) for p in members), default=0) <= caps.per_year
        ):
            continue
        for position in members:
            amount = sum(s.share(position) for s in shares)
            allowed = amount
            if caps.per_month is not None:
                allowed = min(allowed, caps.per_month)
            if caps.per_year is not None:
                allowed = min(allowed, max(caps.per_year - ytd.get(position, 0), 0))
            if allowed < amount:
                cut[position] = amount - allowed
    return cut
