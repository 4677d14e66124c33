"""What the payment ledger holds, as plain values.

A closed month is recorded once and never changes: the month itself
(:class:`~jointbonus.sharedtarget.results.ClosedMonth`: when, by which run,
what it paid), what each member was owed for it (:class:`RecordedLine`: each
part, what the caps cut, the total and the held-back part), the corrections
of earlier months it carried and the overpayments recovered with it
(:class:`~jointbonus.sharedtarget.results.Correction` and
:class:`~jointbonus.sharedtarget.results.Recovery`, with ``closed`` set); the
month that ends a plan year records that year's settlement of what was held
back (:class:`RecordedSettlement`).
:class:`LedgerRecords` is everything a ledger holds; :class:`MonthClose` is
what closing one month adds to it. Amounts are integers of minor units.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.plan import LedgerSettings
from jointbonus.sharedtarget.results import (
    ClosedMonth,
    Correction,
    Recovery,
)

__all__ = [
    "LedgerBusyError",
    "LedgerError",
    "LedgerRecords",
    "LedgerSettings",
    "MonthClose",
    "RecordedLine",
    "RecordedSettlement",
    "RunDigests",
]


class LedgerError(JointBonusError, ValueError):
    """A ledger that cannot be read or written as asked, or a close that is refused.

    Nothing was written: a refused close leaves the ledger as it was.
    """


class LedgerBusyError(JointBonusError, BlockingIOError):
    """Another process kept the ledger locked for longer than a close waits."""


@dataclass(frozen=True, slots=True)
class RecordedLine:
    """What a closed month's line said for one member when it was closed."""

    member_id: str
    team: str
    shared: int
    functional: tuple[tuple[str, int], ...]
    """Each functional part of the member's team, by metric, in the line's order."""
    capped: int
    total: int
    held: int

    @property
    def paid_now(self) -> int:
        """What was paid with the month: the total less the held-back part."""
        return self.total - self.held


@dataclass(frozen=True, slots=True)
class RecordedSettlement:
    """A member's settlement of a plan year's held-back amounts, as recorded when the year's
    last month closed (:meth:`~jointbonus.sharedtarget.results.Result.settlements`)."""

    month: Month
    """The closed month that settled it: the plan year's last month."""
    plan_year: int
    """The plan year it settles, 1 for the first."""
    member_id: str
    team: str
    held: int
    """Everything held back from the member in the plan year."""
    status: str
    """``paid`` or ``forfeited``."""
    paid: int
    """What the settlement paid: ``held`` when paid, else 0."""


@dataclass(frozen=True, slots=True)
class RunDigests:
    """The digests of the run that pays a month: its inputs and its outputs."""

    jointbonus: str
    """The version of jointbonus that made the run."""
    results_digest: str
    """The run's results digest (as ``manifest.json`` has it for the same run)."""
    plan_sha256: str
    inputs: tuple[tuple[str, str], ...]
    """Each input file, ``(name, SHA-256)``."""


@dataclass(frozen=True, slots=True)
class MonthClose:
    """What closing one month records: the month, its lines, its corrections, its recoveries."""

    closed: ClosedMonth
    lines: tuple[RecordedLine, ...]
    """Every member's line of the month, in member order (zeros included)."""
    corrections: tuple[Correction, ...]
    """The corrections the month carries (``closed`` set)."""
    recoveries: tuple[Recovery, ...]
    """Each member's overpayments in the month (``closed`` set)."""
    settlements: tuple[RecordedSettlement, ...] = ()
    """The month ends a plan year (or the plan): each member's settlement of the year's
    held-back amounts, in member order; else nothing."""


@dataclass(frozen=True, slots=True)
class LedgerRecords:
    """Everything a ledger holds: its currency and its closed months, in plan order."""

    currency: str
    minor_unit: int
    version: int
    """The ledger's format (its schema version)."""
    closed: tuple[ClosedMonth, ...] = ()
    lines: Mapping[Month, Mapping[str, RecordedLine]] = field(default_factory=dict)
    """Each closed month's lines, by member id."""
    corrections: tuple[Correction, ...] = ()
    """Every correction carried in a closed month, by month carried, month corrected and
    member id."""
    recoveries: tuple[Recovery, ...] = ()
    """Every recovery of a closed month, by month and member id."""
    settlements: tuple[RecordedSettlement, ...] = ()
    """Every settlement of a plan year's held-back amounts, by month and member id."""

    @property
    def closed_months(self) -> tuple[Month, ...]:
        return tuple(c.month for c in self.closed)

    def closing(self, month: Month) -> ClosedMonth | None:
        """The record of ``month``'s closing, or ``None`` if it is open."""
        return next((c for c in self.closed if c.month == month), None)
