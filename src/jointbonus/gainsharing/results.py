"""What a gainsharing year paid: periods, member lines, the year-end settlement.

Amounts are integers of the plan currency's minor unit; ``result.money(units)``
turns one into an exact :class:`~decimal.Decimal`. Lines are made on demand
by :meth:`GainsharingResult.lines`, in period order, then member id order.

The figures add up, and the tests prove it for every plan a generator makes:

* in every period, whichever part of the gain the reserve is taken from:
  ``paid + company_share + to_reserve - from_reserve = gain``, and the
  members' amounts add up to ``paid``;
* taking the reserve from the employees' share (the default): in a period
  with a gain ``employee_share = to_reserve + paid``; in a period with a
  deficit ``from_reserve = -employee_share`` and nothing is paid;
* taking it from the gain: in a period with a gain ``employee_share = paid``
  (or, with nobody eligible, it goes to the reserve too); in a period with a
  deficit ``from_reserve = -gain`` and neither side has a share of it;
* once the year is settled, ``reserve = settlement paid + the company's share
  of the settlement + returned to the company - absorbed by the company``, so
  over the year ``net gain = paid in the periods + settlement paid +
  company shares + the company's share of the settlement + returned -
  absorbed``; with the default order, ``employee share of gains + employee
  share of deficits = paid in the periods + settlement paid + returned to
  the company - absorbed by the company``;
* with a holdback: what the periods paid = paid with the periods + held back,
  and once the year is settled, held back = holdback paid at year end +
  holdback forfeited (returned to the company).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from jointbonus.core.roster import Standing
from jointbonus.gainsharing.plan import GainsharingPlan, Period, ReserveSource

__all__ = [
    "GainsharingResult",
    "GainsharingSummary",
    "HoldbackSettlement",
    "HoldbackStatus",
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
    """The employees' share: gain x employee share, rounded half away from zero (a
    deficit mirrors a gain), when the reserve is taken from it; (gain - to reserve)
    x employee share when it is taken from the gain, and 0 for a deficit then."""
    company_share: int
    """The company's share: gain - employee share, less what the reserve took
    from the gain when it is taken from the gain (0 for a deficit then)."""
    to_reserve: int
    """Put in the reserve from a gain, reserve share x the employee share or x the
    gain (rounded half away from zero), plus any payable amount that nobody was
    eligible to receive."""
    from_reserve: int
    """What a deficit charges to the reserve (>= 0): its employee share, or the
    whole deficit when the reserve is taken from the gain."""
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
    held: int = 0
    """Of ``paid``, held back from the members' amounts until the year end (the
    plan's holdback: ``round(holdback x amount)`` of each)."""

    @property
    def paid_now(self) -> int:
        """What is paid with the period: ``paid`` less what is held back."""
        return self.paid - self.held


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
    held: Decimal
    """Of ``amount``, held until the plan year ends: ``round(holdback x amount)``."""
    paid_now: Decimal
    """``amount - held``: what is paid with the period."""


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


class HoldbackStatus(StrEnum):
    PAID = "paid"
    """In the plan on the year's last day: paid everything held back."""
    FORFEITED = "forfeited"
    """Left before the year end: what was held back returns to the company."""
    PENDING = "pending"
    """A period of the plan year is still pending."""


@dataclass(frozen=True, slots=True)
class HoldbackSettlement:
    """A member's year-end settlement of the amounts held back from their period lines."""

    member_id: str
    team: str
    held: Decimal
    """Everything held back from the member's period amounts (so far, while pending)."""
    status: HoldbackStatus
    paid: Decimal
    """What the settlement pays the member: ``held`` if they are in the plan at year end."""
    forfeited: Decimal
    """What returns to the company: ``held`` if the member left before the year end."""
    reason: str
    """Why it is not paid (forfeited or pending); empty when paid."""


@dataclass(frozen=True, slots=True)
class Settlement:
    """The year-end settlement of the reserve. Minor units.

    A positive reserve is paid to the members still in the plan at year end,
    all of it when the reserve is taken from the employees' share; when it is
    taken from the gain, it is shared as a gain is: ``round(reserve x employee
    share)`` to them, the rest to the company (``company_share``). With nobody
    in the plan then, the members' part returns to the company. A negative
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
    company_share: int = 0
    """The company's share of a positive reserve, when the reserve is taken from
    the gain: reserve - round(reserve x employee share). 0 otherwise."""


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
    """The employee share of the deficits (<= 0), charged to the reserve; 0 when
    the reserve is taken from the gain (each deficit is charged to it in full)."""
    company_share: int
    """The company shares of the periods: of the net gain when the reserve is taken
    from the employees' share; of the gains after the reserve when it is taken
    from the gain (the company's share of the reserve is settled at year end)."""
    to_reserve: int
    from_reserve: int
    paid_in_periods: int
    """What the periods shared out among the members (with a holdback, part of it
    is held until the year end)."""
    held_back: int
    """Of ``paid_in_periods``, held back until the year end (0 without a holdback)."""
    paid_now: int
    """``paid_in_periods - held_back``: paid with the periods."""
    holdback_paid: int
    """Held back and paid at the year end to the members still in the plan then."""
    holdback_forfeited: int
    """Held back from members who left before the year end: returned to the company."""
    reserve: int
    settlement_paid: int
    absorbed: int
    returned: int
    paid_total: int
    """Paid to employees: with the periods, the holdback paid at year end and the
    reserve's settlement (without a holdback: paid in the periods + settlement paid)."""
    settlement_company_share: int = 0
    """The company's share of a positive reserve at year end, when the reserve is
    taken from the gain (:attr:`Settlement.company_share`)."""


@dataclass(frozen=True, slots=True)
class GainsharingResult:
    """A gainsharing year: the plan, each period, the settlement and the summary."""

    plan: GainsharingPlan
    periods: tuple[PeriodResult, ...]
    settlement: Settlement
    summary: GainsharingSummary
    year_days: tuple[int, ...]
    """Each member's days active in the plan year, in member id order."""
    held: tuple[int, ...]
    """What was held back from each member's period amounts, in member id order."""

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
                held = self.plan.held_back(amount)
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
                    held=self.money(held),
                    paid_now=self.money(amount - held),
                )

    def settlement_lines(self) -> Iterator[SettlementLine]:
        """Every member's share of the year-end settlement, in member id order."""
        settlement = self.settlement
        total = sum(settlement.weights)
        year_days = sum(result.period.days for result in self.periods)
        for index, member in enumerate(self.plan.members):
            eligible = self.plan.in_plan_at_year_end(member)
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

    def holdback_settlements(self) -> Iterator[HoldbackSettlement]:
        """Each member's year-end settlement of what was held back, in member id order.

        Nothing for a plan without a holdback. A member in the plan on the
        year's last day is paid everything held back from them; one who left
        earlier forfeits it, and it returns to the company. While a period is
        pending, every settlement is pending.
        """
        plan = self.plan
        if not plan.holdback:
            return
        pending = self.settlement.status is SettlementStatus.PENDING
        year_end = plan.year_end.isoformat()
        for member, units in zip(plan.members, self.held, strict=True):
            held = self.money(units)
            if pending:
                status = HoldbackStatus.PENDING
                reason = (
                    "pending: held-back amounts are settled when every period of the plan "
                    "year is in"
                )
            elif plan.in_plan_at_year_end(member):
                status, reason = HoldbackStatus.PAID, ""
            else:
                status = HoldbackStatus.FORFEITED
                if member.start > plan.year_end:
                    reason = (
                        f"not yet started (starts {member.start.isoformat()}, after the year end)"
                    )
                else:
                    left = member.end.isoformat() if member.end else "before the year end"
                    what = (
                        f"so the {plan.currency.format(units)} held back returns to the company"
                        if units
                        else "and nothing was held back"
                    )
                    reason = (
                        f"left on {left}, before the year end {year_end}; held-back amounts "
                        f"are paid only to members in the plan at year end, {what}"
                    )
            yield HoldbackSettlement(
                member_id=member.id,
                team=member.team,
                held=held,
                status=status,
                paid=held if status is HoldbackStatus.PAID else self.money(0),
                forfeited=held if status is HoldbackStatus.FORFEITED else self.money(0),
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
        from_gain = self.plan.reserve_from is ReserveSource.GAIN
        if result.gain < 0 and from_gain:
            return (
                f"deficit period: the deficit ({currency.format(result.gain)}) is charged "
                "to the reserve in full; nothing is paid"
            )
        if result.gain < 0:
            return (
                f"deficit period: the employee share of the deficit "
                f"({currency.format(result.employee_share)}) is charged to the reserve; "
                "nothing is paid"
            )
        if result.gain == 0:
            return "no gain: actual cost equals the allowed cost"
        if result.paid == 0:
            if from_gain and result.to_reserve == result.gain:
                return "the whole gain goes to the reserve"
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
        if settlement.paid == 0:
            return (
                f"the employees' share of the reserve of {currency.format(settlement.reserve)} "
                f"rounds to 0; the company's share is {currency.format(settlement.company_share)}"
            )
        return "share rounds to less than one minor unit"
