"""Paying a gainsharing year: each period's gain, the reserve, and the year-end settlement.

For each period with figures, in order (amounts in minor units):

1. ``allowed cost = base ratio x basis``, rounded half away from zero, where
   the basis is the period's revenue (Scanlon) or value added (Rucker);
2. ``gain = allowed cost - actual cost`` (below 0: a deficit);
3. ``employee share = gain x employee share``, rounded half away from zero
   (a deficit's share mirrors a gain's); the company keeps the rest;
4. a gain: ``to reserve = employee share x reserve share``, rounded half up,
   and the rest is paid, split among the members eligible in the period by
   largest remainder (ties to the lower member id); if nobody is eligible the
   payable part goes to the reserve too;
5. a deficit: the employee share of it is charged to the reserve, which may
   fall below 0; nothing is paid and nothing is clawed back;
6. with a holdback, ``round(holdback x amount)`` of each member's amount is
   held until the year end and the rest is paid with the period.

When every period has its figures, the reserve is settled at year end: a
positive reserve is split, by the plan's distribution rule, among the
members in the plan on the year's last day; a negative one is absorbed by the
company. What was held back from each member is paid to them if they are in
the plan on that day; a member who left earlier forfeits it, and it returns
to the company.

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

from jointbonus.core.money import allocate
from jointbonus.core.number import round_half_up
from jointbonus.core.periods import Month, active_days
from jointbonus.gainsharing.plan import (
    Distribution,
    Formula,
    GainsharingPlan,
    MonthFigures,
    Period,
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
    employee = round_half_up(gain * plan.employee_share)
    weights = _weights(plan, [s.units for s in standings], salaries)
    eligible = sum(1 for w in weights if w)
    to_reserve = from_reserve = paid = 0
    amounts = [0] * count
    note = ""
    currency = plan.currency
    if gain > 0:
        to_reserve = round_half_up(employee * plan.reserve_share)
        payable = employee - to_reserve
        if payable and not eligible:
            to_reserve += payable
            note = f"nobody eligible: the payable {currency.format(payable)} goes to the reserve"
        elif payable:
            amounts = allocate(payable, weights)
            paid = payable
    elif gain < 0:
        from_reserve = -employee
        note = "deficit: the employee share is charged to the reserve"
    else:
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
        company_share=gain - employee,
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
    paid = absorbed = returned = 0
    amounts = [0] * count
    if reserve > 0 and eligible:
        amounts = allocate(reserve, weights)
        paid = reserve
        note = (
            f"the reserve of {currency.format(reserve)} is paid to the members "
            f"in the plan on {year_end.isoformat()}"
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
        company_share=net - employee_gains - employee_deficits,
        to_reserve=sum(r.to_reserve for r in done),
        from_reserve=sum(r.from_reserve for r in done),
        paid_in_periods=paid_in_periods,
        held_back=held_back,
        paid_now=paid_in_periods - held_back,
        holdback_paid=holdback_paid,
        holdback_forfeited=holdback_forfeited,
        reserve=settlement.reserve,
        settlement_paid=settlement.paid,
        absorbed=settlement.absorbed,
        returned=settlement.returned,
        paid_total=paid_in_periods - held_back + holdback_paid + settlement.paid,
    )
