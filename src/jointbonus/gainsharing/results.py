"""What a gainsharing year paid: periods, member lines, the year-end settlement.

Amounts are integers of the plan currency's minor unit; ``result.money(units)``
turns one into an exact :class:`~decimal.Decimal`. Lines are made on demand
by :meth:`GainsharingResult.lines`, in period order, then member id order.

The figures add up, and the tests prove it for every plan a generator makes:

* in a period with a gain: ``employee_share = to_reserve + paid``, and the
  members' amounts add up to ``paid``;
* in a period with a deficit: ``from_reserve = -employee_share`` and nothing
  is paid;
* over the year: ``employee share of gains + employee share of deficits =
  paid in the periods + settlement paid + returned to the company - absorbed
  by the company``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from jointbonus.gainsharing.plan import GainsharingPlan, Period
from jointbonus.roster import Standing

__all__ = [
    "GainsharingResult",
    "GainsharingSummary",
    "LineStatus",
    "MemberLine",
    "PeriodResult",
    "PeriodStatus",
    "Settlement",
    "SettlementLine",
    "SettlementStatus",
]


class PeriodStatus(StrEnum):
    PAID = "paid"
    """The period has its figures; its gain or deficit was shared out."""
    PENDING = "pending"
    """A month of the period has no figures yet: nothing is paid or reserved."""


class SettlementStatus(StrEnum):
    SETTLED = "settled"
    PENDING = "pending"
    """A period of the plan year is still pending: the reserve is not settled yet."""


@dataclass(frozen=True, slots=True)
class PeriodResult:
    """One period: the figures, the gain or deficit and where it went. Minor units.

    Pending periods have ``None`` figures and zero movements.
    """

    period: Period
    status: PeriodStatus
    revenue: int | None
    purchases: int | None
    """Purchased materials and services (Rucker plans only)."""
    basis: int | None
    """What the base ratio applies to: revenue (Scanlon) or value added (Rucker)."""
    cost: int | None
    allowed_cost: int | None
    """Base ratio x basis, rounded half away from zero to the minor unit."""
    gain: int
    """Allowed cost - actual cost; below 0 it is a deficit."""
    employee_share: int
    """Gain x employee share, rounded half away from zero (a deficit mirrors a gain)."""
    company_share: int
    """Gain - employee share."""
    to_reserve: int
    """Held back from the employee share of a gain (reserve share, rounded half up),
    plus any payable amount that nobody was eligible to receive."""
    from_reserve: int
    """The employee share of a deficit, charged to the reserve (>= 0)."""
    paid: int
    """Shared out among the period's eligible members."""
    reserve: int
    """The reserve balance after the period (may be below 0)."""
    eligible: int
    """Members with a share of the period's payout (weight above 0)."""
    note: str
    standings: tuple[Standing, ...]
    """Each plan member's standing in the period, in member id order."""
    weights: tuple[int, ...]
    """Each member's allocation weight under the plan's distribution rule."""
    amounts: tuple[int, ...]
    """Each member's amount, in member id order."""


class LineStatus(StrEnum):
    PAID = "paid"
    ZERO = "zero"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class MemberLine:
    """One member's period: the statement line."""

    member_id: str
    team: str
    period: Period
    days: int
    """Days active in the period."""
    weight: Fraction
    """Eligible weight: FTE x days active / days in the period (0 when not eligible)."""
    share: Fraction
    """The member's share of what the period paid (0 when not eligible)."""
    amount: Decimal
    status: LineStatus
    reason: str
    """Why the amount is zero (empty when it is not)."""


@dataclass(frozen=True, slots=True)
class SettlementLine:
    """One member's share of the year-end settlement of the reserve."""

    member_id: str
    team: str
    eligible: bool
    """In the plan on the plan year's last day."""
    days: int
    """Days active in the plan year."""
    weight: Fraction
    """Eligible weight: FTE x days active in the plan year / days in the plan year
    (0 when not in the plan at year end)."""
    share: Fraction
    amount: Decimal
    reason: str


@dataclass(frozen=True, slots=True)
class Settlement:
    """The year-end settlement of the reserve. Minor units.

    A positive reserve is paid to the members still in the plan at year end;
    with nobody in the plan then, it returns to the company. A negative
    reserve is absorbed by the company: nothing is clawed back.
    """

    status: SettlementStatus
    reserve: int
    """The reserve balance at year end (so far, while pending)."""
    paid: int
    absorbed: int
    """A negative reserve, borne by the company (>= 0)."""
    returned: int
    """A positive reserve that nobody in the plan at year end could receive."""
    eligible: int
    """Members in the plan at year end with a share of the settlement."""
    note: str
    weights: tuple[int, ...]
    amounts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class GainsharingSummary:
    """The year at a glance. Amounts in minor units."""

    periods_paid: int
    periods_pending: int
    gain_periods: int
    deficit_periods: int
    gains: int
    """The sum of the periods' gains (>= 0)."""
    deficits: int
    """The sum of the periods' deficits (<= 0)."""
    net_gain: int
    employee_gains: int
    """The employee share of the gains."""
    employee_deficits: int
    """The employee share of the deficits (<= 0), charged to the reserve."""
    company_share: int
    """The company's share of the net gain."""
    to_reserve: int
    from_reserve: int
    paid_in_periods: int
    reserve: int
    settlement_paid: int
    absorbed: int
    returned: int
    paid_total: int
    """Paid in the periods plus the settlement paid out."""


@dataclass(frozen=True, slots=True)
class GainsharingResult:
    """A gainsharing year: the plan, each period, the settlement and the summary."""

    plan: GainsharingPlan
    periods: tuple[PeriodResult, ...]
    settlement: Settlement
    summary: GainsharingSummary
    year_days: tuple[int, ...]
    """Each member's days active in the plan year, in member id order."""

    def money(self, units: int) -> Decimal:
        """Minor units as the plan currency's exact Decimal."""
        return self.plan.currency.from_minor(units)

    def lines(self) -> Iterator[MemberLine]:
        """Every member's line for every period, by period then member id."""
        for result in self.periods:
            total = sum(result.weights)
            for index, member in enumerate(self.plan.members):
                standing = result.standings[index]
                amount = result.amounts[index]
                weight = result.weights[index]
                if result.status is PeriodStatus.PENDING:
                    status = LineStatus.PENDING
                else:
                    status = LineStatus.PAID if amount else LineStatus.ZERO
                yield MemberLine(
                    member_id=member.id,
                    team=member.team,
                    period=result.period,
                    days=standing.days,
                    weight=result.period.weight(standing.units),
                    share=Fraction(weight, total) if total and result.paid else Fraction(0),
                    amount=self.money(amount),
                    status=status,
                    reason=self._reason(result, index) if not amount else "",
                )

    def settlement_lines(self) -> Iterator[SettlementLine]:
        """Every member's share of the year-end settlement, in member id order."""
        settlement = self.settlement
        total = sum(settlement.weights)
        year_days = sum(result.period.days for result in self.periods)
        year_end = self.plan.year_end
        for index, member in enumerate(self.plan.members):
            eligible = member.start <= year_end and (member.end is None or member.end >= year_end)
            amount = settlement.amounts[index]
            weight = settlement.weights[index]
            reason = ""
            if not amount:
                reason = self._settlement_reason(index, eligible)
            yield SettlementLine(
                member_id=member.id,
                team=member.team,
                eligible=eligible,
                days=self.year_days[index],
                weight=Fraction(member.fte) * Fraction(self.year_days[index], year_days)
                if eligible
                else Fraction(0),
                share=Fraction(weight, total) if total and settlement.paid else Fraction(0),
                amount=self.money(amount),
                reason=reason,
            )

    def _reason(self, result: PeriodResult, index: int) -> str:
        """Why a member got nothing for a period."""
        currency = self.plan.currency
        if result.status is PeriodStatus.PENDING:
            return result.note
        standing = result.standings[index]
        if standing.reason:
            return standing.reason
        if result.gain < 0:
            return (
                f"deficit period: the employee share of the deficit "
                f"({currency.format(result.employee_share)}) is charged to the reserve; "
                "nothing is paid"
            )
        if result.gain == 0:
            return "no gain: actual cost equals the allowed cost"
        if result.paid == 0:
            if result.employee_share == 0:
                return "the employee share of the gain rounds to 0"
            return "the whole employee share of the gain goes to the reserve"
        if result.weights[index] == 0:
            return "salary 0: the plan shares by pay"
        return "share rounds to less than one minor unit"

    def _settlement_reason(self, index: int, eligible: bool) -> str:
        settlement = self.settlement
        member = self.plan.members[index]
        year_end = self.plan.year_end.isoformat()
        if settlement.status is SettlementStatus.PENDING:
            return "pending: the reserve is settled when every period of the plan year is in"
        if not eligible:
            if member.start > self.plan.year_end:
                return f"not yet started (starts {member.start.isoformat()}, after the year end)"
            left = member.end.isoformat() if member.end is not None else "before the year end"
            return (
                f"left on {left}, before the year end {year_end}; the reserve is paid only "
                "to members in the plan at year end"
            )
        currency = self.plan.currency
        if settlement.reserve < 0:
            return (
                f"the reserve ended the year at {currency.format(settlement.reserve)}: "
                "the company absorbs it; nothing is clawed back"
            )
        if settlement.reserve == 0:
            return "the reserve ended the year at 0: nothing to settle"
        if settlement.weights[index] == 0:
            return "salary 0: the plan shares by pay"
        return "share rounds to less than one minor unit"
