"""Paying a gainsharing year: each period's gain, the reserve, and the year-end settlement.

For each period with figures, in order (amounts in minor units):

1. ``allowed cost = base ratio x basis``, rounded half away from zero, where
   the basis is the period's revenue (Scanlon) or value added (Rucker);
2. ``gain = allowed cost - actual cost`` (below 0: a deficit);
3. a gain is split between the reserve, the employees and the company in the
   plan's order (``reserve_from``), every product rounded half away from zero:

   * ``"employee_share"`` (the default): ``employee share = gain x employee
     share``, the company keeps the rest, and ``to reserve = employee share x
     reserve share``;
   * ``"gain"`` (the textbook Scanlon order): ``to reserve = gain x reserve
     share``, then ``employee share = (gain - to reserve) x employee share``
     and the company keeps the rest;

   what is left of the employee share is paid, split among the members
   eligible in the period by largest remainder (ties to the lower member id);
   if nobody is eligible, it goes to the reserve too;
4. a deficit charges the reserve, which may fall below 0: with
   ``"employee_share"`` the employee share of it (a deficit's share mirrors a
   gain's, and the company bears the rest), with ``"gain"`` the whole deficit.
   Nothing is paid and nothing is clawed back;
5. with a holdback, ``round(holdback x amount)`` of each member's amount is
   held until the year end and the rest is paid with the period.

When every period has its figures, the reserve is settled at year end. A
positive reserve is paid, by the plan's distribution rule, to the members in
the plan on the year's last day: all of it with ``"employee_share"``; with
``"gain"`` it is shared as a gain is, ``round(reserve x employee share)`` to
them and the rest to the company. If nobody is in the plan then, the members'
part returns to the company. A negative reserve is absorbed by the company
under either order. What was held back from each member is paid to them if
they are in the plan on that day; a member who left earlier forfeits it, and
it returns to the company.

>>> from datetime import date
>>> from jointbonus import D, Member
>>> from jointbonus.gainsharing.plan import MonthData, build_plan
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=1,
...     members=[Member(i, "plant", date(2020, 1, 1), None, D("1")) for i in "ABC"],
...     data=[MonthData("2025-12", "1000.00", "300.00"), MonthData("2026-01", "1200.00", "330.00")],
...     base_period=("2025-12", "2025-12"), employee_share="0.5", reserve_share="0.25",
... )
>>> period = run(plan).periods[0]
>>> period.allowed_cost, period.gain, period.employee_share, period.to_reserve, period.amounts
(36000, 3000, 1500, 375, (375, 375, 375))
"""

from __future__ import annotations

from typing import NamedTuple

from jointbonus.core.money import allocate
from jointbonus.core.number import round_half_up
from jointbonus.core.periods import Month, active_days
from jointbonus.gainsharing.plan import (
    Distribution,
    Formula,
    GainsharingPlan,
    MonthFigures,
    Period,
    ReserveSource,
)
from jointbonus.gainsharing.results import (
    GainsharingResult,
    GainsharingSummary,
    PeriodResult,
    PeriodStatus,
    Settlement,
    SettlementStatus,
)

__all__ = ["run"]


def run(plan: GainsharingPlan) -> GainsharingResult:
    """Pay every period that has its figures and, once all have, settle the reserve."""
    figures = {row.month: row for row in plan.figures}
    salaries = tuple(
        0 if member.salary is None else plan.currency.to_minor(member.salary)
        for member in plan.members
    )
    reserve = 0
    results: list[PeriodResult] = []
    for period in plan.periods:
        result = _pay_period(plan, period, figures, salaries, reserve)
        reserve = result.reserve
        results.append(result)
    year_days = tuple(
        sum(active_days(m, member.start, member.end) for p in plan.periods for m in p.months)
        for member in plan.members
    )
    settlement = _settle(plan, results, salaries, year_days, reserve)
    held = tuple(
        sum(plan.held_back(result.amounts[index]) for result in results)
        for index in range(len(plan.members))
    )
    return GainsharingResult(
        plan=plan,
        periods=tuple(results),
        settlement=settlement,
        summary=_summary(plan, results, settlement, held),
        year_days=year_days,
        held=held,
    )


def _weights(plan: GainsharingPlan, units: list[int], salaries: tuple[int, ...]) -> list[int]:
    """Allocation weights under the plan's distribution rule, from weight units."""
    if plan.distribution is Distribution.EQUAL:
        return [1 if u else 0 for u in units]
    if plan.distribution is Distribution.WEIGHT:
        return units
    return [u * s for u, s in zip(units, salaries, strict=True)]


class _Split(NamedTuple):
    """How a period's gain or deficit is shared, before anyone's eligibility is known."""

    employee: int
    """The employee share."""
    company: int
    """The company share."""
    to_reserve: int
    from_reserve: int
    payable: int
    """What is left of the employee share to pay out."""


def _split(plan: GainsharingPlan, gain: int) -> _Split:
    """A period's shares of ``gain``, in the order the plan takes its reserve.

    Taken from the employees' share (the default), a gain's employee share is
    ``round(gain x employee share)``, the company keeps the rest, and
    ``round(employee share x reserve share)`` of the employee share goes to the
    reserve; a deficit's employee share, the mirror of a gain's, is charged to
    the reserve and the company bears the rest. Taken from the gain,
    ``round(gain x reserve share)`` goes to the reserve before the split, the
    employee share is ``round((gain - to reserve) x employee share)`` and the
    company keeps the rest; a deficit is charged to the reserve in full, and
    neither side has a share of it in the period. In either order
    ``payable + company + to reserve - from reserve = gain``.

    >>> from dataclasses import replace
    >>> from datetime import date
    >>> from jointbonus import D, Member
    >>> from jointbonus.gainsharing.plan import MonthData, build_plan
    >>> plan = build_plan(
    ...     name="Demo", currency="USD", start="2026-01", months=1,
    ...     members=[Member("A", "plant", date(2020, 1, 1), None, D("1"))],
    ...     data=[MonthData("2025-12", "1000.00", "300.00")],
    ...     base_period=("2025-12", "2025-12"), employee_share="0.75", reserve_share="0.25",
    ... )
    >>> tuple(_split(plan, 3000)), tuple(_split(plan, -1000))
    ((2250, 750, 563, 0, 1687), (-750, -250, 0, 750, 0))
    >>> textbook = replace(plan, reserve_from=ReserveSource.GAIN)
    >>> tuple(_split(textbook, 3000)), tuple(_split(textbook, -1000))
    ((1688, 562, 750, 0, 1688), (0, 0, 0, 1000, 0))
    """
    if gain > 0 and plan.reserve_from is ReserveSource.GAIN:
        to_reserve = round_half_up(gain * plan.reserve_share)
        employee = round_half_up((gain - to_reserve) * plan.employee_share)
        return _Split(employee, gain - to_reserve - employee, to_reserve, 0, employee)
    if plan.reserve_from is ReserveSource.GAIN:
        return _Split(0, 0, 0, -gain, 0)
    employee = round_half_up(gain * plan.employee_share)
    if gain > 0:
        to_reserve = round_half_up(employee * plan.reserve_share)
        return _Split(employee, gain - employee, to_reserve, 0, employee - to_reserve)
    return _Split(employee, gain - employee, 0, -employee, 0)


def _pay_period(
    plan: GainsharingPlan,
    period: Period,
    figures: dict[Month, MonthFigures],
    salaries: tuple[int, ...],
    reserve: int,
) -> PeriodResult:
    standings = tuple(
        period.standing(member, plan.pay_leavers_for_exit_period) for member in plan.members
    )
    rows = [figures.get(month) for month in period.months]
    count = len(plan.members)
    if not all(row is not None and row.reported for row in rows):
        unreported = [
            str(month)
            for month, row in zip(period.months, rows, strict=True)
            if row is None or not row.reported
        ]
        return PeriodResult(
            period=period,
            status=PeriodStatus.PENDING,
            revenue=None,
            purchases=None,
            basis=None,
            cost=None,
            allowed_cost=None,
            gain=0,
            employee_share=0,
            company_share=0,
            to_reserve=0,
            from_reserve=0,
            paid=0,
            reserve=reserve,
            eligible=0,
            note=f"pending: no figures for {', '.join(unreported)} yet",
            standings=standings,
            weights=(0,) * count,
            amounts=(0,) * count,
        )
    reported = [row for row in rows if row is not None]
    revenue = sum(row.revenue or 0 for row in reported)
    cost = sum(row.cost or 0 for row in reported)
    purchases: int | None = None
    basis = revenue
    if plan.formula is Formula.RUCKER:
        purchases = sum(row.purchases or 0 for row in reported)
        basis = revenue - purchases
    allowed = round_half_up(plan.base.ratio * basis)
    gain = allowed - cost
    employee, company, to_reserve, from_reserve, payable = _split(plan, gain)
    weights = _weights(plan, [s.units for s in standings], salaries)
    eligible = sum(1 for w in weights if w)
    paid = 0
    amounts = [0] * count
    note = ""
    currency = plan.currency
    if payable and not eligible:
        to_reserve += payable
        note = f"nobody eligible: the payable {currency.format(payable)} goes to the reserve"
    elif payable:
        amounts = allocate(payable, weights)
        paid = payable
    if gain < 0 and plan.reserve_from is ReserveSource.GAIN:
        note = "deficit: the whole deficit is charged to the reserve"
    elif gain < 0:
        note = "deficit: the employee share is charged to the reserve"
    elif gain == 0:
        note = "no gain: actual cost equals the allowed cost"
    return PeriodResult(
        period=period,
        status=PeriodStatus.PAID,
        revenue=revenue,
        purchases=purchases,
        basis=basis,
        cost=cost,
        allowed_cost=allowed,
        gain=gain,
        employee_share=employee,
        company_share=company,
        to_reserve=to_reserve,
        from_reserve=from_reserve,
        paid=paid,
        reserve=reserve + to_reserve - from_reserve,
        eligible=eligible,
        note=note,
        standings=standings,
        weights=tuple(weights),
        amounts=tuple(amounts),
        held=sum(plan.held_back(amount) for amount in amounts),
    )


def _settle(
    plan: GainsharingPlan,
    results: list[PeriodResult],
    salaries: tuple[int, ...],
    year_days: tuple[int, ...],
    reserve: int,
) -> Settlement:
    """The reserve at year end: paid out, absorbed by the company, or still pending."""
    count = len(plan.members)
    currency = plan.currency
    if any(result.status is PeriodStatus.PENDING for result in results):
        return Settlement(
            status=SettlementStatus.PENDING,
            reserve=reserve,
            paid=0,
            absorbed=0,
            returned=0,
            eligible=0,
            note="pending: the reserve is settled when every period of the plan year is in",
            weights=(0,) * count,
            amounts=(0,) * count,
        )
    year_end = plan.year_end
    units = [
        member.fte_units * days if plan.in_plan_at_year_end(member) else 0
        for member, days in zip(plan.members, year_days, strict=True)
    ]
    weights = _weights(plan, units, salaries)
    eligible = sum(1 for w in weights if w)
    paid = absorbed = returned = company = 0
    amounts = [0] * count
    employees = reserve
    shared = reserve > 0 and plan.reserve_from is ReserveSource.GAIN
    if shared:  # the reserve is both sides' money: split as a gain is
        employees = round_half_up(reserve * plan.employee_share)
        company = reserve - employees
    if shared and eligible:
        amounts = allocate(employees, weights)
        paid = employees
        note = (
            f"the reserve of {currency.format(reserve)} is shared as a gain is: "
            f"{currency.format(employees)} is paid to the members in the plan on "
            f"{year_end.isoformat()} and {currency.format(company)} is the company's"
        )
    elif reserve > 0 and eligible:
        amounts = allocate(reserve, weights)
        paid = reserve
        note = (
            f"the reserve of {currency.format(reserve)} is paid to the members "
            f"in the plan on {year_end.isoformat()}"
        )
    elif shared:
        returned = employees
        note = (
            f"nobody is in the plan on {year_end.isoformat()}: the employees' "
            f"{currency.format(employees)} of the reserve of {currency.format(reserve)} "
            f"returns to the company, whose share is the other {currency.format(company)}"
        )
    elif reserve > 0:
        returned = reserve
        note = (
            f"nobody is in the plan on {year_end.isoformat()}: "
            f"the reserve of {currency.format(reserve)} returns to the company"
        )
    elif reserve < 0:
        absorbed = -reserve
        note = (
            f"the reserve ended the year at {currency.format(reserve)}: the company absorbs "
            "the deficit; nothing is clawed back"
        )
    else:
        note = "the reserve ended the year at 0: nothing to settle"
    return Settlement(
        status=SettlementStatus.SETTLED,
        reserve=reserve,
        paid=paid,
        absorbed=absorbed,
        returned=returned,
        eligible=eligible,
        note=note,
        weights=tuple(weights),
        amounts=tuple(amounts),
        company_share=company,
    )


def _summary(
    plan: GainsharingPlan,
    results: list[PeriodResult],
    settlement: Settlement,
    held: tuple[int, ...],
) -> GainsharingSummary:
    done = [r for r in results if r.status is PeriodStatus.PAID]
    gains = [r for r in done if r.gain > 0]
    deficits = [r for r in done if r.gain < 0]
    net = sum(r.gain for r in done)
    employee_gains = sum(r.employee_share for r in gains)
    employee_deficits = sum(r.employee_share for r in deficits)
    paid_in_periods = sum(r.paid for r in done)
    held_back = sum(held)
    holdback_paid = holdback_forfeited = 0
    if settlement.status is SettlementStatus.SETTLED:
        for member, amount in zip(plan.members, held, strict=True):
            if plan.in_plan_at_year_end(member):
                holdback_paid += amount
            else:
                holdback_forfeited += amount
    return GainsharingSummary(
        periods_paid=len(done),
        periods_pending=len(results) - len(done),
        gain_periods=len(gains),
        deficit_periods=len(deficits),
        gains=sum(r.gain for r in gains),
        deficits=sum(r.gain for r in deficits),
        net_gain=net,
        employee_gains=employee_gains,
        employee_deficits=employee_deficits,
        company_share=sum(r.company_share for r in done),
        to_reserve=sum(r.to_reserve for r in done),
        from_reserve=sum(r.from_reserve for r in done),
        paid_in_periods=paid_in_periods,
        held_back=held_back,
        paid_now=paid_in_periods - held_back,
        holdback_paid=holdback_paid,
        holdback_forfeited=holdback_forfeited,
        reserve=settlement.reserve,
        settlement_paid=settlement.paid,
        settlement_company_share=settlement.company_share,
        absorbed=settlement.absorbed,
        returned=settlement.returned,
        paid_total=paid_in_periods - held_back + holdback_paid + settlement.paid,
    )
