"""Gainsharing properties, for every plan a generator can make.

* conservation: each period's member amounts add up to what it paid; in
  every period, whichever part of the gain the reserve is taken from, what
  is paid, the company's share and the reserve's movements add up to the
  gain, and over the year the members' payouts, the company's shares and
  the reserve's settlement add up to the net gain, to the minor unit; every
  cent the periods paid is paid with them or held back, and every cent held
  back is paid at the year end or forfeited;
* the reserve's order: taken from the employees' share (the default), every
  figure is today's rule, recomputed here; taken from the gain, the reserve
  comes off the whole gain before the split, a deficit is charged to it in
  full and a positive reserve is shared at year end as a gain is;
* the holdback: each line's held part is the holdback share of its amount,
  rounded half away from zero;
* eligibility: nobody is paid for a period they were not eligible in, and
  only members in the plan at year end share the settlement or are paid
  what was held back from them;
* determinism: the same inputs, in any order, give identical output.

Eligibility, the gain and the shares are recomputed here independently:
days are counted one calendar day at a time, the leaver rule is applied from
its plain statement, and halves are rounded away from zero with ``floor``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from jointbonus import D, Member, Month, currency
from jointbonus import gainsharing as gs
from jointbonus.gainsharing import (
    GainsharingPlan,
    GainsharingResult,
    HoldbackStatus,
    MonthData,
    PeriodStatus,
    ReserveSource,
    SettlementStatus,
)

CURRENCIES = (currency("JPY"), currency("USD"), currency("KWD"))
IDS = ("A", "B", "C", "a", "b", "E-10", "E-9", "E 2", "Z")
AMOUNT = st.integers(0, 10**8)
THOUSANDTHS = st.integers(0, 1000).map(lambda n: Fraction(n, 1000))
SHARE = st.one_of(THOUSANDTHS, THOUSANDTHS, THOUSANDTHS, st.sampled_from([0, 1]))
#: A holdback below 1: often none, often one that makes halves (1/2, 1/4, 1/8).
HOLDBACK = st.one_of(
    st.just(0),
    st.sampled_from([Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 10)]),
    st.integers(0, 999).map(lambda n: Fraction(n, 1000)),
)


def share_text(share: int | Fraction) -> str:
    value = Fraction(share)
    return str(D(value.numerator) / D(value.denominator)) if value.denominator != 1 else str(value)


@st.composite
def plans(draw: st.DrawFn) -> dict[str, Any]:
    """The arguments of one :func:`jointbonus.gainsharing.build_plan` call."""
    money = draw(st.sampled_from(CURRENCIES))
    formula = draw(st.sampled_from(["scanlon", "rucker"]))
    quarterly = draw(st.booleans())
    start = Month(draw(st.integers(2024, 2027)), draw(st.integers(1, 12)))
    months = 3 * draw(st.integers(1, 4)) if quarterly else draw(st.integers(1, 12))
    base_months = draw(st.integers(1, 6))
    between = draw(st.integers(0, 2))
    first = start.shift(-(base_months + between))

    def text(units: int) -> str:
        return str(money.from_minor(units))

    data = []
    base_cost = base_basis = 0
    for i in range(base_months):
        revenue = draw(st.integers(1, 10**8))
        purchases = draw(st.integers(0, revenue - 1)) if formula == "rucker" else None
        cost = draw(st.integers(1, 10**8))
        base_cost += cost
        base_basis += revenue - (purchases or 0)
        data.append(
            MonthData(
                first.shift(i),
                text(revenue),
                text(cost),
                None if purchases is None else text(purchases),
            )
        )
    for i in range(between):
        data.append(MonthData(first.shift(base_months + i)))
    reported = draw(st.one_of(st.just(months), st.integers(0, months)))
    for i in range(months):
        if i >= reported:
            if draw(st.booleans()):
                data.append(MonthData(start.shift(i)))
            continue
        revenue = draw(AMOUNT)
        purchases = draw(st.integers(0, revenue)) if formula == "rucker" else None
        # Mostly near the base ratio (gains and deficits both likely), sometimes anything.
        near = base_cost * (revenue - (purchases or 0)) * draw(st.integers(70, 130))
        cost = draw(st.one_of(st.just(near // (base_basis * 100)), AMOUNT))
        data.append(
            MonthData(
                start.shift(i),
                text(revenue),
                text(cost),
                None if purchases is None else text(purchases),
            )
        )

    year_start = start.first_day
    year_end = start.shift(months - 1).last_day
    boundaries = [start.shift(i).last_day for i in range(months)]
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=7, unique=True))
    members = []
    for member_id in ids:
        joined = year_start + timedelta(
            days=draw(st.integers(-400, (year_end - year_start).days + 40))
        )
        end = draw(
            st.one_of(
                st.none(),
                st.none(),
                st.sampled_from(boundaries),
                st.sampled_from(boundaries).map(lambda day: day - timedelta(days=1)),
                st.integers(0, 500).map(lambda n, j=joined: j + timedelta(days=n)),
            )
        )
        if end is not None and end < joined:
            end = joined
        fte = Fraction(draw(st.integers(1, 10**6)), 10**6)
        members.append(
            Member(
                member_id,
                "plant",
                joined,
                end,
                D(fte.numerator) / D(fte.denominator),
                D(draw(st.integers(0, 200_000))),
            )
        )
    return {
        "name": "Generated",
        "currency": money,
        "start": start,
        "months": months,
        "members": members,
        "data": data,
        "base_period": (first, first.shift(base_months - 1)),
        "formula": formula,
        "period": "quarter" if quarterly else "month",
        "employee_share": share_text(draw(SHARE)),
        "reserve_share": share_text(draw(SHARE)),
        "distribution": draw(st.sampled_from(["equal", "weight", "pay"])),
        "pay_leavers_for_exit_period": draw(st.booleans()),
        "holdback": share_text(draw(HOLDBACK)),
        "reserve_from": draw(st.sampled_from(["employee_share", "gain"])),
    }


#: Two months that pay, A staying and B leaving after the first. With a tenth
#: held back, A's lines hold 0.38 + 0.38 = 0.76 (not a tenth of 7.50, 0.75) and B
#: forfeits 0.38.
LEAVER_AND_STAYER: dict[str, Any] = {
    "name": "A leaver and a stayer",
    "currency": currency("USD"),
    "start": Month(2026, 1),
    "months": 2,
    "members": [
        Member("A", "plant", date(2020, 1, 1), None, D(1)),
        Member("B", "plant", date(2020, 1, 1), date(2026, 1, 31), D(1)),
    ],
    "data": [
        MonthData("2025-12", "1000.00", "300.00"),
        MonthData("2026-01", "1200.00", "330.00"),
        MonthData("2026-02", "1000.00", "285.00"),
    ],
    "base_period": (Month(2025, 12), Month(2025, 12)),
    "formula": "scanlon",
    "period": "month",
    "employee_share": "0.25",
    "reserve_share": "0",
    "distribution": "weight",
    "pay_leavers_for_exit_period": False,
    "holdback": "0.1",
    "reserve_from": "employee_share",
}


def paid(arguments: dict[str, Any]) -> GainsharingResult:
    return gs.run(gs.build_plan(**arguments))


def units(plan: GainsharingPlan, amount: object) -> int:
    return plan.currency.to_minor(amount)  # type: ignore[arg-type]


# -- independent arithmetic ---------------------------------------------------


def days_of(months: Sequence[Month]) -> list[date]:
    days = []
    for month in months:
        day = month.first_day
        while day.month == month.month:
            days.append(day)
            day += timedelta(days=1)
    return days


def eligible_in(member: Member, months: Sequence[Month], pay_leavers: bool) -> bool:
    """Active on some day of the period, and not a leaver of it unless leavers are paid."""
    days = days_of(months)
    active = [
        day for day in days if member.start <= day and (member.end is None or day <= member.end)
    ]
    if not active:
        return False
    left_early = member.end is not None and member.end < days[-1]
    return pay_leavers or not left_early


def in_plan_on(member: Member, day: date) -> bool:
    """Whether ``member`` is in the plan on ``day``: started by then and not yet left."""
    return member.start <= day and (member.end is None or day <= member.end)


def held_part(holdback: str, amount: Decimal, places: int) -> Decimal:
    """``holdback x amount`` to the minor unit, halves away from zero, in Decimal."""
    context = Context(prec=60, rounding=ROUND_HALF_UP)
    unit = Decimal(1).scaleb(-places, context)
    return context.multiply(Decimal(holdback), amount).quantize(unit, context=context)


def weight_in(member: Member, months: Sequence[Month]) -> Fraction:
    days = days_of(months)
    active = sum(
        1 for day in days if member.start <= day and (member.end is None or day <= member.end)
    )
    return Fraction(member.fte) * Fraction(active, len(days))


def half_away(value: Fraction) -> int:
    """``value`` to the nearest integer, halves away from zero, by ``floor``."""
    magnitude = math.floor(abs(value) + Fraction(1, 2))
    return magnitude if value >= 0 else -magnitude


def someone_to_pay(members: Sequence[Member], eligible: Sequence[bool], by_pay: bool) -> bool:
    """Whether any eligible member has a weight above 0 (by pay, a salary above 0)."""
    pairs = zip(members, eligible, strict=True)
    return any(ok and (not by_pay or (m.salary or 0) > 0) for m, ok in pairs)


Figures = tuple[int, int, int, int, int, int]
"""A period's employee share, company share, to reserve, from reserve, paid, reserve."""


def expected_year(
    result: GainsharingResult,
) -> tuple[list[Figures], tuple[int, int, int, int] | None]:
    """Every period's figures and the settlement (paid, company share, returned,
    absorbed; ``None`` while a period is pending), from the rules as the docs
    state them, given each period's gain (checked against the base ratio by
    :func:`test_gain_is_the_base_ratio_times_the_basis_less_the_cost`)."""
    plan = result.plan
    e, r = Fraction(plan.employee_share), Fraction(plan.reserve_share)
    from_gain = plan.reserve_from is ReserveSource.GAIN
    by_pay = plan.distribution.value == "pay"
    pay_leavers = plan.pay_leavers_for_exit_period
    reserve = 0
    rows: list[Figures] = []
    for period in result.periods:
        if period.status is PeriodStatus.PENDING:
            rows.append((0, 0, 0, 0, 0, reserve))
            continue
        gain = period.gain
        if gain > 0 and from_gain:
            to = half_away(gain * r)
            employee = half_away((gain - to) * e)
            company, payable, out = gain - to - employee, employee, 0
        elif gain > 0:
            employee = half_away(gain * e)
            to = half_away(employee * r)
            company, payable, out = gain - employee, employee - to, 0
        elif from_gain:
            employee = company = to = payable = 0
            out = -gain
        else:
            employee = half_away(gain * e)
            company, to, payable, out = gain - employee, 0, 0, -employee
        eligible = [eligible_in(m, period.period.months, pay_leavers) for m in plan.members]
        paid = payable if someone_to_pay(plan.members, eligible, by_pay) else 0
        to += payable - paid
        reserve += to - out
        rows.append((employee, company, to, out, paid, reserve))
    if any(period.status is PeriodStatus.PENDING for period in result.periods):
        return rows, None
    year_end = plan.periods[-1].months[-1].last_day
    staying = [in_plan_on(m, year_end) for m in plan.members]
    if reserve <= 0:
        return rows, (0, 0, 0, -reserve)
    employees = half_away(reserve * e) if from_gain else reserve
    if someone_to_pay(plan.members, staying, by_pay):
        return rows, (employees, reserve - employees, 0, 0)
    return rows, (0, reserve - employees, employees, 0)


def figures_of(result: GainsharingResult) -> tuple[list[Figures], tuple[int, int, int, int] | None]:
    """The same figures, as the engine made them."""
    rows = [
        (p.employee_share, p.company_share, p.to_reserve, p.from_reserve, p.paid, p.reserve)
        for p in result.periods
    ]
    s = result.settlement
    if s.status is SettlementStatus.PENDING:
        return rows, None
    return rows, (s.paid, s.company_share, s.returned, s.absorbed)


# -- conservation -------------------------------------------------------------


@given(plans())
def test_member_amounts_add_up_to_what_each_period_paid(arguments: dict[str, Any]) -> None:
    result = paid(arguments)
    totals: dict[int, int] = {}
    for line in result.lines():
        totals[line.period.number] = totals.get(line.period.number, 0) + units(
            result.plan, line.amount
        )
    for period in result.periods:
        assert totals.get(period.period.number, 0) == period.paid


@given(plans())
def test_every_period_conserves_its_gain(arguments: dict[str, Any]) -> None:
    result = paid(arguments)
    reserve = 0
    for period in result.periods:
        # What is paid + the company's share + what goes into the reserve - what
        # comes out of it = the gain, to the minor unit, in either order.
        assert (
            period.paid + period.company_share + period.to_reserve - period.from_reserve
            == period.gain
        )
        assert period.to_reserve >= 0 and period.from_reserve >= 0 and period.paid >= 0
        reserve += period.to_reserve - period.from_reserve
        assert period.reserve == reserve
        if period.status is PeriodStatus.PENDING:
            assert (period.gain, period.company_share, period.to_reserve, period.paid) == (
                0,
                0,
                0,
                0,
            )


@given(plans())
def test_the_year_conserves_the_net_gain(arguments: dict[str, Any]) -> None:
    result = paid(arguments)
    s = result.summary
    settlement = result.settlement
    assert s.net_gain == s.paid_in_periods + s.company_share + s.to_reserve - s.from_reserve
    assert s.reserve == s.to_reserve - s.from_reserve == settlement.reserve
    if settlement.status is SettlementStatus.SETTLED:
        employees = s.paid_now + s.holdback_paid + settlement.paid
        company = (
            s.company_share
            + settlement.company_share
            + s.holdback_forfeited
            + settlement.returned
            - settlement.absorbed
        )
        # The members' payouts and the company's shares account for every cent.
        assert s.net_gain == employees + company
        assert s.paid_total == employees
        assert settlement.reserve == (
            settlement.paid + settlement.company_share + settlement.returned - settlement.absorbed
        )
        assert s.settlement_company_share == settlement.company_share
    else:
        assert s.net_gain == s.paid_now + s.held_back + s.company_share + settlement.reserve
        assert (settlement.paid, settlement.company_share) == (0, 0)
        assert (settlement.returned, settlement.absorbed) == (0, 0)


@given(plans())
def test_taken_from_the_employee_share_every_figure_is_todays_rule(
    arguments: dict[str, Any],
) -> None:
    arguments = {**arguments, "reserve_from": "employee_share"}
    result = paid(arguments)
    assert figures_of(result) == expected_year(result)
    for period in result.periods:
        if period.gain > 0:
            assert period.employee_share == period.to_reserve + period.paid
        else:
            assert (period.to_reserve, period.paid) == (0, 0)
            assert period.from_reserve == -period.employee_share
    # A plan that does not say is the same plan, to the byte.
    unsaid = {k: v for k, v in arguments.items() if k != "reserve_from"}
    same = paid(unsaid)
    assert gs.render_json(gs.result_document(same)) == gs.render_json(gs.result_document(result))
    assert gs.render_table(same) == gs.render_table(result)


@given(plans())
def test_taken_from_the_gain_the_reserve_comes_off_the_whole_gain_first(
    arguments: dict[str, Any],
) -> None:
    result = paid({**arguments, "reserve_from": "gain"})
    assert figures_of(result) == expected_year(result)
    for period in result.periods:
        if period.gain < 0:
            assert period.from_reserve == -period.gain
            assert (period.employee_share, period.company_share, period.paid) == (0, 0, 0)
        elif period.paid:
            assert period.paid == period.employee_share


@given(plans())
@example(LEAVER_AND_STAYER)
def test_every_cent_the_periods_paid_is_paid_now_or_held_and_then_paid_or_forfeited(
    arguments: dict[str, Any],
) -> None:
    result = paid(arguments)
    plan = result.plan
    lines = list(result.lines())
    for line in lines:
        assert line.paid_now + line.held == line.amount
        assert 0 <= line.held <= line.amount
    for period in result.periods:
        own = [line for line in lines if line.period == period.period]
        assert sum(units(plan, line.held) for line in own) == period.held
        assert sum(units(plan, line.paid_now) for line in own) == period.paid_now
    periods_paid = sum(period.paid for period in result.periods)
    paid_now = sum(units(plan, line.paid_now) for line in lines)
    settlements = list(result.holdback_settlements())
    assert len(settlements) == (len(plan.members) if plan.holdback else 0)
    held = sum(units(plan, s.held) for s in settlements)
    held_paid = sum(units(plan, s.paid) for s in settlements)
    forfeited = sum(units(plan, s.forfeited) for s in settlements)
    if result.settlement.status is SettlementStatus.SETTLED:
        # What the periods paid = paid now + holdback paid at year end + holdback forfeited.
        assert periods_paid == paid_now + held_paid + forfeited
        for s in settlements:
            assert s.status is not HoldbackStatus.PENDING
            assert (s.paid, s.forfeited) in {(s.held, 0), (0, s.held)}
    else:
        assert (held_paid, forfeited) == (0, 0)
        assert periods_paid == paid_now + held
        assert {s.status for s in settlements} <= {HoldbackStatus.PENDING}
    # Each member's settlement holds back exactly what their lines held back.
    for s in settlements:
        own = sum(units(plan, line.held) for line in lines if line.member_id == s.member_id)
        assert units(plan, s.held) == own
    summary = result.summary
    assert (summary.paid_now, summary.held_back) == (paid_now, held)
    assert (summary.holdback_paid, summary.holdback_forfeited) == (held_paid, forfeited)


@given(plans())
def test_the_year_accounts_for_every_cent_of_the_employee_share(
    arguments: dict[str, Any],
) -> None:
    result = paid({**arguments, "reserve_from": "employee_share"})
    s = result.summary
    settlement = result.settlement
    employee_share = s.employee_gains + s.employee_deficits
    assert s.paid_in_periods == s.paid_now + s.held_back
    if settlement.status is SettlementStatus.SETTLED:
        # Paid now + holdback paid or forfeited + paid at year end + returned - absorbed.
        assert employee_share == (
            s.paid_now
            + s.holdback_paid
            + s.holdback_forfeited
            + settlement.paid
            + settlement.returned
            - settlement.absorbed
        )
        # Exactly one way out for the reserve.
        outcomes = [settlement.paid, settlement.returned, settlement.absorbed]
        assert sum(1 for amount in outcomes if amount) <= 1
        assert settlement.reserve == settlement.paid + settlement.returned - settlement.absorbed
    else:
        assert employee_share == s.paid_now + s.held_back + settlement.reserve
        assert (settlement.paid, settlement.returned, settlement.absorbed) == (0, 0, 0)
        assert (s.holdback_paid, s.holdback_forfeited) == (0, 0)
    assert s.paid_total == s.paid_now + s.holdback_paid + settlement.paid
    assert s.net_gain == employee_share + s.company_share


@given(plans())
def test_each_held_part_is_the_holdback_share_of_the_amount_rounded_half_away_from_zero(
    arguments: dict[str, Any],
) -> None:
    result = paid(arguments)
    places = result.plan.currency.minor_unit
    for line in result.lines():
        assert line.held == held_part(arguments["holdback"], line.amount, places)


@given(plans())
def test_settlement_lines_add_up_to_the_settlement(arguments: dict[str, Any]) -> None:
    result = paid(arguments)
    total = sum(units(result.plan, line.amount) for line in result.settlement_lines())
    assert total == result.settlement.paid
    assert all(line.amount >= 0 for line in result.settlement_lines())


@given(plans())
def test_gain_is_the_base_ratio_times_the_basis_less_the_cost(arguments: dict[str, Any]) -> None:
    result = paid(arguments)
    plan = result.plan
    figures = {row.month: row for row in plan.figures}
    base = [figures[plan.base.first.shift(i)] for i in range(plan.base.months)]
    rucker = arguments["formula"] == "rucker"
    cost = sum(row.cost or 0 for row in base)
    basis = sum((row.revenue or 0) - ((row.purchases or 0) if rucker else 0) for row in base)
    ratio = Fraction(cost, basis)
    assert plan.base.ratio == ratio
    for period in result.periods:
        if period.status is PeriodStatus.PENDING:
            continue
        rows = [figures[month] for month in period.period.months]
        revenue = sum(row.revenue or 0 for row in rows)
        purchases = sum(row.purchases or 0 for row in rows) if rucker else 0
        exact = ratio * (revenue - purchases) - sum(row.cost or 0 for row in rows)
        assert abs(period.gain - exact) <= Fraction(1, 2)
        if plan.reserve_from is ReserveSource.EMPLOYEE_SHARE:
            assert abs(period.employee_share - exact * plan.employee_share) <= 1
        elif period.gain > 0:
            after = exact * (1 - plan.reserve_share) * plan.employee_share
            assert abs(period.employee_share - after) <= 2


@given(plans())
def test_each_amount_is_within_one_minor_unit_of_its_exact_share(
    arguments: dict[str, Any],
) -> None:
    result = paid(arguments)
    for line in result.lines():
        period = result.periods[line.period.number - 1]
        exact = period.paid * line.share
        assert abs(units(result.plan, line.amount) - exact) < 1


# -- eligibility --------------------------------------------------------------


@given(plans())
def test_nobody_is_paid_for_a_period_they_were_not_eligible_in(arguments: dict[str, Any]) -> None:
    result = paid(arguments)
    members = {member.id: member for member in result.plan.members}
    pay_leavers = arguments["pay_leavers_for_exit_period"]
    for line in result.lines():
        member = members[line.member_id]
        eligible = eligible_in(member, line.period.months, pay_leavers)
        if line.amount:
            assert eligible, (line.member_id, line.period.label, line.reason)
        else:
            assert line.reason
        expected_weight = weight_in(member, line.period.months) if eligible else Fraction(0)
        assert line.weight == expected_weight


@given(plans())
@example(LEAVER_AND_STAYER)
def test_only_members_in_the_plan_at_year_end_are_paid_what_was_held_back(
    arguments: dict[str, Any],
) -> None:
    result = paid(arguments)
    members = {member.id: member for member in result.plan.members}
    year_end = result.plan.periods[-1].months[-1].last_day
    settled = result.settlement.status is SettlementStatus.SETTLED
    for s in result.holdback_settlements():
        stays = in_plan_on(members[s.member_id], year_end)
        if not settled:
            assert s.status is HoldbackStatus.PENDING and s.reason.startswith("pending")
        elif stays:
            assert (s.status, s.paid, s.forfeited) == (HoldbackStatus.PAID, s.held, 0)
        else:
            assert (s.status, s.paid, s.forfeited) == (HoldbackStatus.FORFEITED, 0, s.held)
            assert s.reason
            if s.held:
                assert s.reason.endswith("held back returns to the company")


@given(plans())
def test_only_members_in_the_plan_at_year_end_share_the_settlement(
    arguments: dict[str, Any],
) -> None:
    result = paid(arguments)
    members = {member.id: member for member in result.plan.members}
    year_end = result.plan.periods[-1].months[-1].last_day
    for line in result.settlement_lines():
        member = members[line.member_id]
        in_plan = member.start <= year_end and (member.end is None or member.end >= year_end)
        assert line.eligible == in_plan
        if line.amount:
            assert in_plan and result.settlement.status is SettlementStatus.SETTLED
        else:
            assert line.reason


# -- determinism --------------------------------------------------------------


@given(plans())
def test_same_inputs_in_any_order_give_identical_output(arguments: dict[str, Any]) -> None:
    first = paid(arguments)
    reordered = {
        **arguments,
        "members": list(reversed(arguments["members"])),
        "data": list(reversed(arguments["data"])),
    }
    second = paid(reordered)
    assert gs.render_json(gs.result_document(first)) == gs.render_json(gs.result_document(second))
    assert gs.render_table(first) == gs.render_table(second)
