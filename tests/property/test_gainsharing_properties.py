"""Gainsharing properties, for every plan a generator can make.

* conservation: each period's member amounts add up to what it paid; each
  gain's employee share is held in the reserve or paid, each deficit's is
  charged to the reserve; every cent the periods paid is paid with them or
  held back, and every cent held back is paid at the year end or forfeited;
  over the year, what was paid in the periods, what the settlement paid or
  returned and what the company absorbed account for every cent of the
  employee share;
* the holdback: each line's held part is the holdback share of its amount,
  rounded half away from zero;
* eligibility: nobody is paid for a period they were not eligible in, and
  only members in the plan at year end share the settlement or are paid
  what was held back from them;
* determinism: the same inputs, in any order, give identical output.

Eligibility and the gain are recomputed here independently: days are counted
one calendar day at a time and the leaver rule is applied from its plain
statement.
"""

from __future__ import annotations

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
def test_each_gain_is_held_or_paid_and_each_deficit_is_charged_to_the_reserve(
    arguments: dict[str, Any],
) -> None:
    result = paid(arguments)
    reserve = 0
    for period in result.periods:
        assert period.employee_share + period.company_share == period.gain
        if period.gain > 0:
            assert period.employee_share == period.to_reserve + period.paid
            assert period.from_reserve == 0
        else:
            assert (period.to_reserve, period.paid) == (0, 0)
            assert period.from_reserve == -period.employee_share
        reserve += period.to_reserve - period.from_reserve
        assert period.reserve == reserve


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
    result = paid(arguments)
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
        assert abs(period.employee_share - exact * plan.employee_share) <= 1


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
