"""Gainsharing: small plans whose every figure is worked out by hand here.

Unless a test says otherwise the plan is a Scanlon plan in USD whose base
period is 2025-11 and 2025-12, each with revenue 1,000.00 and labour cost
300.00: the base ratio is 600 / 2,000 = 3/10, so a month's allowed cost is
30% of its revenue. Members work full time from 2020 on, and a plan year of
three months, 2026-01 to 2026-03, ends on 2026-03-31.
"""

from __future__ import annotations

import doctest
import importlib
import json
from collections.abc import Sequence
from datetime import date
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from jointbonus import D, FloatMoneyError, Member, Month, PlanError
from jointbonus import gainsharing as gs
from jointbonus.gainsharing import (
    Distribution,
    Formula,
    GainsharingPlan,
    GainsharingResult,
    LineStatus,
    MonthData,
    PeriodStatus,
    ReserveSource,
    SettlementStatus,
    build_plan,
    run,
)

F = Fraction
BASE = [MonthData("2025-11", "1000.00", "300.00"), MonthData("2025-12", "1000.00", "300.00")]


def member(
    id: str,
    *,
    start: date = date(2020, 1, 1),
    end: date | None = None,
    fte: str = "1",
    salary: str | None = None,
    team: str = "plant",
) -> Member:
    return Member(id, team, start, end, D(fte), None if salary is None else D(salary))


def plan_of(
    figures: Sequence[tuple[str, str | None, str | None]],
    members: Sequence[Member] | None = None,
    **settings: Any,
) -> GainsharingPlan:
    """A plan with the default base period and ``figures`` as (month, revenue, cost)."""
    options: dict[str, Any] = {
        "name": "Test",
        "currency": "USD",
        "start": "2026-01",
        "months": 3,
        "members": [member("A"), member("B"), member("C")] if members is None else members,
        "data": [*BASE, *(MonthData(m, r, c) for m, r, c in figures)],
        "base_period": ("2025-11", "2025-12"),
        "employee_share": "0.5",
        "reserve_share": "0.25",
    }
    options.update(settings)
    return build_plan(**options)


def amounts(result: GainsharingResult, period: int) -> dict[str, Decimal]:
    label = result.periods[period].period.label
    return {line.member_id: line.amount for line in result.lines() if line.period.label == label}


def settlement(result: GainsharingResult) -> dict[str, Decimal]:
    return {line.member_id: line.amount for line in result.settlement_lines()}


def reasons(result: GainsharingResult, period: int) -> dict[str, str]:
    label = result.periods[period].period.label
    return {line.member_id: line.reason for line in result.lines() if line.period.label == label}


#: January gains 30.00, February loses 10.00, March gains 20.00.
YEAR = [
    ("2026-01", "1200.00", "330.00"),
    ("2026-02", "1000.00", "310.00"),
    ("2026-03", "1100.00", "310.00"),
]


# -- the base ratio -----------------------------------------------------------


def test_scanlon_base_ratio_is_labour_cost_over_revenue_summed_over_the_base_period() -> None:
    plan = plan_of(
        YEAR,
        data=[
            MonthData("2025-11", "1000.00", "280.00"),
            MonthData("2025-12", "3000.00", "920.00"),
            *(MonthData(m, r, c) for m, r, c in YEAR),
        ],
    )
    # (280 + 920) / (1000 + 3000) = 1200 / 4000 = 3/10, not the mean of 0.28 and 0.3067.
    assert plan.base.ratio == F(3, 10)
    assert (plan.base.revenue, plan.base.cost, plan.base.months) == (400000, 120000, 2)
    assert plan.base.purchases is None


def test_rucker_base_ratio_is_labour_cost_over_value_added() -> None:
    plan = plan_of(
        [],
        formula="rucker",
        data=[
            MonthData("2025-11", "1000.00", "300.00", "400.00"),
            MonthData("2025-12", "1000.00", "300.00", "400.00"),
            MonthData("2026-01", "1200.00", "320.00", "500.00"),
        ],
    )
    # 600 / (2000 - 800) = 1/2.
    assert plan.base.ratio == F(1, 2)
    assert plan.base.basis == 120000
    period = run(plan).periods[0]
    # Value added 1200 - 500 = 700, allowed 350.00, gain 30.00.
    assert (period.basis, period.allowed_cost, period.gain) == (70000, 35000, 3000)


def test_months_between_the_base_period_and_the_plan_year_are_ignored() -> None:
    plan = plan_of(
        YEAR,
        data=[
            MonthData("2025-09", "1000.00", "300.00"),
            MonthData("2025-10", "9000.00", "100.00"),
            MonthData("2025-11", "1000.00", "300.00"),
            *(MonthData(m, r, c) for m, r, c in YEAR),
        ],
        base_period=("2025-09", "2025-09"),
    )
    assert plan.base.ratio == F(3, 10)


# -- a gain, a deficit, the reserve -------------------------------------------


def test_a_gain_is_split_between_company_reserve_and_members() -> None:
    result = run(plan_of(YEAR))
    january = result.periods[0]
    # Allowed 30% x 1,200.00 = 360.00; cost 330.00; gain 30.00.
    assert january.allowed_cost == 36000
    assert january.gain == 3000
    assert january.employee_share == 1500  # 50%
    assert january.company_share == 1500
    assert january.to_reserve == 375  # 25% of 15.00
    assert january.paid == 1125
    assert january.reserve == 375
    assert amounts(result, 0) == {"A": D("3.75"), "B": D("3.75"), "C": D("3.75")}


def test_a_deficit_is_charged_to_the_reserve_and_pays_nothing() -> None:
    result = run(plan_of(YEAR))
    february = result.periods[1]
    # Allowed 300.00, cost 310.00: a deficit of 10.00; the employees' half, 5.00,
    # is charged to the reserve of 3.75, which falls to -1.25.
    assert (february.gain, february.employee_share, february.company_share) == (-1000, -500, -500)
    assert (february.to_reserve, february.from_reserve, february.paid) == (0, 500, 0)
    assert february.reserve == -125
    assert set(amounts(result, 1).values()) == {D("0.00")}
    assert reasons(result, 1)["A"] == (
        "deficit period: the employee share of the deficit (-5.00) is charged to the reserve; "
        "nothing is paid"
    )
    assert {line.status for line in result.lines() if line.period.number == 2} == {LineStatus.ZERO}


def test_a_deficit_covered_by_the_reserve_leaves_it_positive() -> None:
    result = run(plan_of([YEAR[0], ("2026-02", "1000.00", "305.00"), YEAR[2]]))
    # February: deficit 5.00, employees' half 2.50, reserve 3.75 - 2.50 = 1.25.
    assert result.periods[1].from_reserve == 250
    assert result.periods[1].reserve == 125
    # March: gain 20.00, employees 10.00, 2.50 to the reserve, 7.50 paid.
    assert result.periods[2].to_reserve == 250
    assert result.periods[2].reserve == 375


def test_gains_and_deficits_are_netted_through_the_reserve_within_the_year() -> None:
    result = run(plan_of(YEAR))
    s = result.summary
    assert (s.gains, s.deficits, s.net_gain) == (5000, -1000, 4000)
    assert (s.employee_gains, s.employee_deficits, s.company_share) == (2500, -500, 2000)
    assert (s.to_reserve, s.from_reserve, s.paid_in_periods) == (625, 500, 1875)
    # March: gain 20.00, employees 10.00, 2.50 to the reserve: -1.25 + 2.50 = 1.25.
    assert s.reserve == 125
    # Net employee share 20.00 = 18.75 paid in the periods + 1.25 settled at year end.
    assert s.paid_total == 2000 == s.employee_gains + s.employee_deficits


# -- the year-end settlement --------------------------------------------------


def test_a_positive_reserve_is_paid_at_year_end_ties_to_the_lower_id() -> None:
    result = run(plan_of(YEAR))
    assert result.settlement.status is SettlementStatus.SETTLED
    assert (result.settlement.reserve, result.settlement.paid) == (125, 125)
    assert (result.settlement.absorbed, result.settlement.returned) == (0, 0)
    # 1.25 in three: 0.41 each and two cents left, to the two lowest ids.
    assert settlement(result) == {"A": D("0.42"), "B": D("0.42"), "C": D("0.41")}


def test_a_negative_reserve_is_absorbed_by_the_company_with_no_clawback() -> None:
    year = [YEAR[0], ("2026-02", "1000.00", "320.00"), ("2026-03", "1000.00", "300.00")]
    result = run(plan_of(year))
    # Reserve 3.75, then the employees' half of a 20.00 deficit: 3.75 - 10.00 = -6.25;
    # March breaks even.
    assert result.periods[2].gain == 0
    assert result.periods[2].note == "no gain: actual cost equals the allowed cost"
    s = result.settlement
    assert (s.reserve, s.paid, s.absorbed, s.returned) == (-625, 0, 625, 0)
    assert "nothing is clawed back" in s.note
    assert set(settlement(result).values()) == {D("0.00")}
    line = next(result.settlement_lines())
    assert line.reason == (
        "the reserve ended the year at -6.25: the company absorbs it; nothing is clawed back"
    )
    # What January paid stays paid.
    assert result.summary.paid_total == 1125


def test_only_members_in_the_plan_at_year_end_share_the_settlement() -> None:
    members = [
        member("A"),
        member("B", end=date(2026, 3, 15)),  # leaves before the year end
        member("C", end=date(2026, 3, 31)),  # leaves on the year's last day
        member("D", start=date(2026, 2, 1)),  # joins during the year
    ]
    result = run(plan_of(YEAR, members, distribution="equal"))
    assert result.settlement.eligible == 3
    paid = settlement(result)
    # 1.25 among A, C and D: 0.42, 0.42, 0.41 in id order.
    assert paid == {"A": D("0.42"), "B": D("0.00"), "C": D("0.42"), "D": D("0.41")}
    lines = {line.member_id: line for line in result.settlement_lines()}
    assert not lines["B"].eligible
    assert lines["B"].reason == (
        "left on 2026-03-15, before the year end 2026-03-31; the reserve is paid only to "
        "members in the plan at year end"
    )
    assert lines["C"].eligible and lines["D"].eligible


def test_settlement_by_weight_uses_the_days_active_in_the_year() -> None:
    members = [member("A"), member("B", start=date(2026, 2, 1))]
    result = run(plan_of(YEAR, members))
    # The plan year has 90 days; B is active for 59 of them.
    lines = {line.member_id: line for line in result.settlement_lines()}
    assert (lines["A"].days, lines["B"].days) == (90, 59)
    assert lines["B"].weight == F(59, 90)
    assert lines["A"].share == F(90, 149)
    # 125 cents x 90/149 = 75.50 -> 75, 125 x 59/149 = 49.50 -> 49: the cent left goes
    # to the larger remainder, a tie broken for the lower id.
    assert settlement(result) == {"A": D("0.76"), "B": D("0.49")}


def test_a_reserve_nobody_is_left_to_receive_returns_to_the_company() -> None:
    members = [member("A", end=date(2026, 3, 30))]
    result = run(plan_of(YEAR, members))
    # A leaves the day before the year ends: nobody is eligible in March, whose
    # payable 7.50 joins the reserve (1.25 + 7.50), and nobody is left to receive it.
    assert result.periods[2].to_reserve == 1000
    s = result.settlement
    assert (s.reserve, s.paid, s.returned, s.eligible) == (875, 0, 875, 0)
    assert result.summary.returned == 875


def test_a_period_nobody_is_eligible_in_sends_the_payable_share_to_the_reserve() -> None:
    members = [member("A", start=date(2026, 2, 1))]
    result = run(plan_of(YEAR, members))
    january = result.periods[0]
    assert (january.paid, january.to_reserve, january.reserve, january.eligible) == (
        0,
        1500,
        1500,
        0,
    )
    assert january.note == "nobody eligible: the payable 11.25 goes to the reserve"
    assert reasons(result, 0)["A"] == "not yet started (starts 2026-02-01)"


def test_pending_periods_pay_nothing_and_the_settlement_waits() -> None:
    result = run(plan_of([YEAR[0], ("2026-02", None, None)]))
    assert [p.status for p in result.periods] == [
        PeriodStatus.PAID,
        PeriodStatus.PENDING,
        PeriodStatus.PENDING,
    ]
    assert result.periods[1].note == "pending: no figures for 2026-02 yet"
    assert result.periods[2].note == "pending: no figures for 2026-03 yet"
    assert result.settlement.status is SettlementStatus.PENDING
    assert result.settlement.reserve == 375
    assert result.settlement.paid == 0
    assert {line.status for line in result.lines() if line.period.number > 1} == {
        LineStatus.PENDING
    }
    assert next(result.settlement_lines()).reason.startswith("pending:")
    assert (result.summary.periods_paid, result.summary.periods_pending) == (1, 2)


# -- rounding -----------------------------------------------------------------


def test_halves_round_away_from_zero_and_deficits_mirror_gains() -> None:
    # A gain of 0.03: the employees' half is 0.015 -> 0.02; a deficit of 0.03
    # charges -0.015 -> -0.02.
    year = [
        ("2026-01", "1000.00", "299.97"),
        ("2026-02", "1000.00", "300.03"),
        ("2026-03", "1000.00", "300.00"),
    ]
    result = run(plan_of(year, reserve_share="0"))
    assert [p.gain for p in result.periods] == [3, -3, 0]
    assert [p.employee_share for p in result.periods] == [2, -2, 0]
    assert [p.company_share for p in result.periods] == [1, -1, 0]


def test_allowed_cost_is_rounded_half_away_from_zero_to_the_cent() -> None:
    # 30% of 0.05 is 0.015: allowed cost 0.02.
    result = run(plan_of([("2026-01", "0.05", "0.00")], months=1))
    assert result.periods[0].allowed_cost == 2


def test_a_reserve_share_of_one_holds_everything_until_year_end() -> None:
    result = run(plan_of(YEAR, reserve_share="1"))
    assert result.periods[0].paid == 0
    assert reasons(result, 0)["A"] == "the whole employee share of the gain goes to the reserve"
    # 15.00 - 5.00 + 10.00 = 20.00 settled at year end.
    assert result.settlement.paid == 2000


# -- quarters -----------------------------------------------------------------

QUARTER_MONTHS = [
    ("2026-01", "1000.00", "300.00"),
    ("2026-02", "1000.00", "320.00"),  # a deficit month on its own
    ("2026-03", "1000.00", "250.00"),
    ("2026-04", "1000.00", "300.00"),
    ("2026-05", "1000.00", "300.00"),
    ("2026-06", "1000.00", "290.00"),
]


def test_a_quarter_aggregates_three_months_and_nets_a_bad_month() -> None:
    members = [
        member("A"),
        member("B", start=date(2026, 2, 15), fte="0.5"),
        member("C", end=date(2026, 5, 20)),
    ]
    plan = plan_of(
        QUARTER_MONTHS,
        members,
        period="quarter",
        months=6,
        employee_share="1",
        reserve_share="0",
    )
    assert [p.label for p in plan.periods] == ["Q1 2026-01..2026-03", "Q2 2026-04..2026-06"]
    result = run(plan)
    q1 = result.periods[0]
    # Revenue 3,000.00, cost 870.00, allowed 900.00: a gain of 30.00.
    assert (q1.revenue, q1.cost, q1.allowed_cost, q1.gain) == (300000, 87000, 90000, 3000)
    lines = {line.member_id: line for line in result.lines() if line.period.number == 1}
    # Q1 has 90 days; B works 45 of them half time: weight 0.5 x 45 / 90 = 1/4.
    assert (lines["B"].days, lines["B"].weight) == (45, F(1, 4))
    assert lines["A"].weight == 1
    # 30.00 by weight 1 : 1/4 : 1 -> 13.333..., 3.333..., 13.333...; the last cent to A.
    assert amounts(result, 0) == {"A": D("13.34"), "B": D("3.33"), "C": D("13.33")}


def test_a_leaver_is_not_paid_for_the_quarter_they_leave_in_unless_the_plan_says_so() -> None:
    members = [member("A"), member("C", end=date(2026, 5, 20))]
    options: dict[str, Any] = {
        "period": "quarter",
        "months": 6,
        "employee_share": "1",
        "reserve_share": "0",
    }
    off = run(plan_of(QUARTER_MONTHS, members, **options))
    # Q2: revenue 3,000.00, cost 890.00, allowed 900.00: a gain of 10.00.
    assert amounts(off, 1) == {"A": D("10.00"), "C": D("0.00")}
    assert reasons(off, 1)["C"] == (
        "left on 2026-05-20, before the quarter ended; the plan does not pay leavers for "
        "their exit period"
    )
    on = run(plan_of(QUARTER_MONTHS, members, pay_leavers_for_exit_period=True, **options))
    # C worked 30 + 20 = 50 of Q2's 91 days: 10.00 x 50/141 = 3.546 -> 3.55.
    assert amounts(on, 1) == {"A": D("6.45"), "C": D("3.55")}


def test_a_one_month_period_applies_the_core_leaver_rule() -> None:
    members = [member("A"), member("B", end=date(2026, 1, 20))]
    result = run(plan_of(YEAR, members))
    assert reasons(result, 0)["B"] == (
        "left on 2026-01-20, before the month ended; the plan does not pay leavers for "
        "their exit month"
    )
    assert reasons(result, 1)["B"] == "left on 2026-01-20"
    paid = run(plan_of(YEAR, members, pay_leavers_for_exit_period=True))
    # 11.25 by weight 1 : 20/31: 6.8382... and 4.4117...; the cent left over goes to the
    # larger remainder, A's.
    assert amounts(paid, 0) == {"A": D("6.84"), "B": D("4.41")}


# -- distribution rules -------------------------------------------------------

DISTRIBUTED = [
    member("A", salary="60000.00"),
    member("B", fte="0.5", salary="80000.00"),
    member("C", salary="40000.00"),
]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # Per head: 100.00 in three, the extra cent to A.
        ("equal", {"A": "33.34", "B": "33.33", "C": "33.33"}),
        # By weight 1 : 0.5 : 1.
        ("weight", {"A": "40.00", "B": "20.00", "C": "40.00"}),
        # By weight x salary 60,000 : 40,000 : 40,000.
        ("pay", {"A": "42.86", "B": "28.57", "C": "28.57"}),
    ],
)
def test_each_distribution_rule(rule: str, expected: dict[str, str]) -> None:
    # Allowed 300.00, cost 200.00: a gain of 100.00, all of it paid.
    plan = plan_of(
        [("2026-01", "1000.00", "200.00")],
        DISTRIBUTED,
        months=1,
        distribution=rule,
        employee_share="1",
        reserve_share="0",
    )
    assert plan.distribution is Distribution(rule)
    assert amounts(run(plan), 0) == {k: D(v) for k, v in expected.items()}


def test_pay_distribution_gives_a_zero_salary_nothing_and_says_why() -> None:
    members = [member("A", salary="50000.00"), member("B", salary="0")]
    result = run(plan_of(YEAR, members, distribution="pay"))
    assert amounts(result, 0) == {"A": D("11.25"), "B": D("0.00")}
    assert reasons(result, 0)["B"] == "salary 0: the plan shares by pay"


# -- the holdback -------------------------------------------------------------

#: The worked example of docs/gainsharing.md: A and B stay all year, C leaves on
#: 15 March, before March ends; a tenth of each member's amount is held back.
STAYERS_AND_A_LEAVER = [member("A"), member("B"), member("C", end=date(2026, 3, 15))]


def held_plan(**settings: Any) -> GainsharingPlan:
    options: dict[str, Any] = {"holdback": "0.1"}
    options.update(settings)
    return plan_of(YEAR, STAYERS_AND_A_LEAVER, **options)


def holdbacks(result: GainsharingResult) -> dict[str, gs.HoldbackSettlement]:
    return {s.member_id: s for s in result.holdback_settlements()}


def test_a_tenth_of_each_line_is_held_and_the_rest_paid_with_the_period() -> None:
    result = run(held_plan())
    january = {line.member_id: line for line in result.lines() if line.period.number == 1}
    # January pays 11.25, 3.75 each; a tenth of 3.75 is 0.375, held as 0.38.
    assert [january[m].amount for m in "ABC"] == [D("3.75")] * 3
    assert [january[m].held for m in "ABC"] == [D("0.38")] * 3
    assert [january[m].paid_now for m in "ABC"] == [D("3.37")] * 3
    assert (result.periods[0].paid, result.periods[0].held, result.periods[0].paid_now) == (
        1125,
        114,
        1011,
    )
    # February is a deficit: nothing is paid, so nothing is held.
    assert (result.periods[1].held, result.periods[1].paid_now) == (0, 0)
    # March pays 7.50 to A and B only (C left before the month ended): 0.38 held each.
    march = {line.member_id: line for line in result.lines() if line.period.number == 3}
    assert [march[m].held for m in "ABC"] == [D("0.38"), D("0.38"), D("0.00")]
    assert (result.periods[2].held, result.periods[2].paid_now) == (76, 674)


def test_those_still_in_the_plan_at_year_end_are_paid_what_was_held_and_a_leaver_forfeits_it() -> (
    None
):
    result = run(held_plan())
    settled = holdbacks(result)
    assert (settled["A"].held, settled["A"].status, settled["A"].paid) == (
        D("0.76"),
        gs.HoldbackStatus.PAID,
        D("0.76"),
    )
    assert settled["A"].reason == ""
    assert (settled["C"].held, settled["C"].status, settled["C"].paid, settled["C"].forfeited) == (
        D("0.38"),
        gs.HoldbackStatus.FORFEITED,
        D("0.00"),
        D("0.38"),
    )
    assert settled["C"].reason == (
        "left on 2026-03-15, before the year end 2026-03-31; held-back amounts are paid only "
        "to members in the plan at year end, so the 0.38 held back returns to the company"
    )


def test_the_year_with_a_holdback_accounts_for_every_cent() -> None:
    result = run(held_plan())
    s = result.summary
    # Paid in the periods 11.25 + 7.50 = 18.75, of which 1.14 + 0.76 = 1.90 held back.
    assert (s.paid_in_periods, s.held_back, s.paid_now) == (1875, 190, 1685)
    # A and B are paid their 0.76 each at year end; C's 0.38 returns to the company.
    assert (s.holdback_paid, s.holdback_forfeited) == (152, 38)
    # The reserve, 1.25, goes to A and B, in the plan all year: 0.63 and 0.62.
    assert settlement(result) == {"A": D("0.63"), "B": D("0.62"), "C": D("0.00")}
    # Employees receive 16.85 + 1.52 + 1.25 = 19.62 of their 20.00; 0.38 is forfeited.
    assert s.paid_total == 1962
    employees = s.paid_now + s.holdback_paid + s.holdback_forfeited + s.settlement_paid
    assert s.employee_gains + s.employee_deficits == 2000 == employees


def test_the_holdback_is_not_the_reserve_a_deficit_never_touches_it() -> None:
    # January gains 30.00, then February's deficit of 20.00 takes the reserve to
    # 3.75 - 10.00 = -6.25, which the company absorbs; March breaks even.
    year = [YEAR[0], ("2026-02", "1000.00", "320.00"), ("2026-03", "1000.00", "300.00")]
    result = run(plan_of(year, holdback="0.1"))
    assert result.settlement.absorbed == 625
    # What January held back, 0.38 from each, is still paid in full at year end.
    assert {m: s.paid for m, s in holdbacks(result).items()} == {
        "A": D("0.38"),
        "B": D("0.38"),
        "C": D("0.38"),
    }
    assert result.summary.paid_total == 1125


def test_halves_of_a_minor_unit_are_held_away_from_zero() -> None:
    settings: dict[str, Any] = {
        "months": 1,
        "employee_share": "1",
        "reserve_share": "0",
        "holdback": "0.5",
    }
    # A gain of 0.05, all of it paid to one member: half of it, 0.025, is held as 0.03.
    cents = run(plan_of([("2026-01", "1000.00", "299.95")], [member("A")], **settings))
    (line,) = cents.lines()
    assert (line.amount, line.held, line.paid_now) == (D("0.05"), D("0.03"), D("0.02"))
    # In yen, which has no minor unit: half of 5 is 2.5, held as 3.
    yen_data = [
        MonthData("2025-11", "1000", "300"),
        MonthData("2025-12", "1000", "300"),
        MonthData("2026-01", "1000", "295"),
    ]
    yen = run(plan_of([], [member("A")], currency="JPY", data=yen_data, **settings))
    (line,) = yen.lines()
    assert (line.amount, line.held, line.paid_now) == (D("5"), D("3"), D("2"))


def test_a_member_paid_for_their_exit_period_still_forfeits_what_was_held() -> None:
    result = run(held_plan(pay_leavers_for_exit_period=True))
    march = {line.member_id: line for line in result.lines() if line.period.number == 3}
    # C is paid for 15 of March's 31 days: 7.50 x 15/77 = 1.46; a tenth, 0.15, is held.
    assert (march["C"].amount, march["C"].held) == (D("1.46"), D("0.15"))
    settled = holdbacks(result)
    assert settled["C"].status is gs.HoldbackStatus.FORFEITED
    assert settled["C"].forfeited == D("0.38") + D("0.15")


def test_a_statement_says_when_nothing_was_held_back() -> None:
    # D leaves on 20 January, before it ends, and is never paid; E joins in
    # March, after the gains of January, and is paid for March.
    members = [member("A"), member("D", end=date(2026, 1, 20)), member("E", start=date(2026, 3, 1))]
    result = run(
        plan_of(
            [YEAR[0], ("2026-02", "1000.00", "300.00"), ("2026-03", "1000.00", "310.00")],
            members,
            holdback="0.1",
        )
    )
    settled = holdbacks(result)
    assert (settled["D"].held, settled["D"].status) == (D("0.00"), gs.HoldbackStatus.FORFEITED)
    assert settled["D"].reason.endswith(
        "held-back amounts are paid only to members in the plan at year end, and nothing was "
        "held back"
    )
    # March is a deficit: E is paid nothing, so nothing is held back from them.
    assert (settled["E"].held, settled["E"].status) == (D("0.00"), gs.HoldbackStatus.PAID)
    table = gs.render_table(result)
    statement = table[table.index("\nE (plant)") :]
    assert "nothing was held back" in statement


def test_a_member_who_leaves_on_the_years_last_day_is_paid_what_was_held() -> None:
    members = [member("A"), member("B", end=date(2026, 3, 31))]
    settled = holdbacks(run(plan_of(YEAR, members, holdback="0.1")))
    assert settled["B"].status is gs.HoldbackStatus.PAID
    assert settled["B"].paid == settled["A"].paid > 0


def test_nobody_in_the_plan_at_year_end_means_every_holdback_returns_to_the_company() -> None:
    members = [member("A", end=date(2026, 3, 30)), member("B", start=date(2026, 4, 1))]
    result = run(plan_of(YEAR, members, holdback="0.2"))
    settled = holdbacks(result)
    # A is paid all of January's 11.25 (B has not started): 2.25 held and forfeited.
    assert (settled["A"].held, settled["A"].forfeited) == (D("2.25"), D("2.25"))
    assert settled["B"].reason == "not yet started (starts 2026-04-01, after the year end)"
    assert (settled["B"].held, settled["B"].status) == (D("0.00"), gs.HoldbackStatus.FORFEITED)
    assert (result.summary.holdback_paid, result.summary.holdback_forfeited) == (0, 225)


def test_while_a_period_is_pending_every_holdback_waits() -> None:
    result = run(plan_of([YEAR[0]], STAYERS_AND_A_LEAVER, holdback="0.1"))
    settled = holdbacks(result)
    assert {s.status for s in settled.values()} == {gs.HoldbackStatus.PENDING}
    assert [s.held for s in settled.values()] == [D("0.38")] * 3
    assert all(s.paid == s.forfeited == 0 for s in settled.values())
    assert settled["C"].reason == (
        "pending: held-back amounts are settled when every period of the plan year is in"
    )
    s = result.summary
    assert (s.held_back, s.paid_now, s.holdback_paid, s.holdback_forfeited) == (114, 1011, 0, 0)
    # Paid to employees so far: what January paid now.
    assert s.paid_total == 1011


def test_without_a_holdback_nothing_is_held() -> None:
    result = run(plan_of(YEAR))
    assert result.plan.holdback == 0
    assert all(line.held == 0 and line.paid_now == line.amount for line in result.lines())
    assert list(result.holdback_settlements()) == []
    s = result.summary
    assert (s.held_back, s.holdback_paid, s.holdback_forfeited) == (0, 0, 0)
    assert s.paid_now == s.paid_in_periods
    assert s.paid_total == s.paid_in_periods + s.settlement_paid


@pytest.mark.parametrize(
    ("holdback", "expected"),
    [
        ("1", "a share from 0 to below 1"),
        ("-0.1", "a share from 0 to below 1"),
        ("ten percent", "a share from 0 to below 1"),
        ("10%", "a share from 0 to below 1"),
        (None, "a share from 0 to below 1"),
    ],
)
def test_a_holdback_is_a_share_from_0_to_below_1(holdback: object, expected: str) -> None:
    found = problems_of(holdback=holdback)
    assert expected in found["gainsharing.holdback"]


def test_a_holdback_may_be_text_a_decimal_a_fraction_or_0() -> None:
    assert plan_of(YEAR, holdback="0.125").holdback == F(1, 8)
    assert plan_of(YEAR, holdback=D("0.2")).holdback == F(1, 5)
    assert plan_of(YEAR, holdback=F(1, 3)).holdback == F(1, 3)
    assert plan_of(YEAR, holdback=0).holdback == 0


def test_a_float_holdback_is_refused() -> None:
    with pytest.raises(PlanError) as caught:
        plan_of(YEAR, holdback=0.1)
    assert "not a float" in str(caught.value)


# -- where the reserve is taken from ------------------------------------------
#
# The textbook Scanlon order: a quarter of each whole gain to the reserve, three
# quarters of the rest to the employees. Hand-worked on YEAR (January +30.00,
# February -10.00, March +20.00) unless a test says otherwise.


def textbook(
    figures: Sequence[tuple[str, str | None, str | None]] = YEAR,
    members: Sequence[Member] | None = None,
    **settings: Any,
) -> GainsharingPlan:
    options: dict[str, Any] = {
        "employee_share": "0.75",
        "reserve_share": "0.25",
        "reserve_from": "gain",
    }
    options.update(settings)
    return plan_of(figures, members, **options)


def test_from_the_gain_the_reserve_comes_off_the_whole_gain_before_the_split() -> None:
    result = run(textbook())
    january = result.periods[0]
    # 25% of 30.00 is 7.50 to the reserve; 75% of the other 22.50 is 16.875, the
    # employees' 16.88 (half away from zero); the company keeps 5.62.
    assert (january.gain, january.to_reserve) == (3000, 750)
    assert (january.employee_share, january.company_share, january.paid) == (1688, 562, 1688)
    assert january.reserve == 750
    # 16.88 in three: 5.62 each and two cents left, to the two lowest ids.
    assert amounts(result, 0) == {"A": D("5.63"), "B": D("5.63"), "C": D("5.62")}
    march = result.periods[2]
    # 25% of 20.00 is 5.00; 75% of 15.00 is 11.25, 3.75 each; the company keeps 3.75.
    assert (march.to_reserve, march.employee_share, march.company_share) == (500, 1125, 375)
    assert amounts(result, 2) == {"A": D("3.75"), "B": D("3.75"), "C": D("3.75")}


def test_from_the_gain_a_deficit_is_charged_to_the_reserve_in_full() -> None:
    result = run(textbook())
    february = result.periods[1]
    # The whole deficit of 10.00 comes out of the reserve of 7.50: -2.50.
    assert (february.gain, february.employee_share, february.company_share) == (-1000, 0, 0)
    assert (february.to_reserve, february.from_reserve, february.paid) == (0, 1000, 0)
    assert february.reserve == -250
    assert february.note == "deficit: the whole deficit is charged to the reserve"
    assert reasons(result, 1)["A"] == (
        "deficit period: the deficit (-10.00) is charged to the reserve in full; nothing is paid"
    )
    assert set(amounts(result, 1).values()) == {D("0.00")}


def test_from_the_gain_a_positive_reserve_is_shared_at_year_end_as_a_gain_is() -> None:
    result = run(textbook())
    s = result.settlement
    # -2.50 + 5.00 = 2.50 at year end: 75% is 1.875, the members' 1.88; the company's 0.62.
    assert (s.reserve, s.paid, s.company_share, s.absorbed, s.returned) == (250, 188, 62, 0, 0)
    assert settlement(result) == {"A": D("0.63"), "B": D("0.63"), "C": D("0.62")}
    assert s.note == (
        "the reserve of 2.50 is shared as a gain is: 1.88 is paid to the members in the plan "
        "on 2026-03-31 and 0.62 is the company's"
    )
    summary = result.summary
    assert (summary.gains, summary.deficits, summary.net_gain) == (5000, -1000, 4000)
    assert (summary.employee_gains, summary.employee_deficits) == (2813, 0)
    assert (summary.company_share, summary.settlement_company_share) == (937, 62)
    assert (summary.to_reserve, summary.from_reserve, summary.reserve) == (1250, 1000, 250)
    # Employees 16.88 + 11.25 + 1.88 = 30.01; the company 5.62 + 3.75 + 0.62 = 9.99.
    assert summary.paid_total == 3001
    assert summary.paid_total + summary.company_share + summary.settlement_company_share == 4000


def test_from_the_employee_share_the_same_year_rounds_a_cent_the_other_way() -> None:
    result = run(textbook(reserve_from="employee_share"))
    # January: the employees' 75% of 30.00 is 22.50, 5.625 of it (5.63) to the reserve and
    # 16.87 paid; February charges their 7.50 of the deficit; March puts in 3.75 of their 15.00.
    assert [p.employee_share for p in result.periods] == [2250, -750, 1500]
    assert [p.to_reserve for p in result.periods] == [563, 0, 375]
    assert [p.reserve for p in result.periods] == [563, -187, 188]
    # The reserve of 1.88 is all the employees': 16.87 + 11.25 + 1.88 = 30.00 in all.
    assert (result.settlement.paid, result.settlement.company_share) == (188, 0)
    assert result.summary.paid_total == 3000


def test_from_the_gain_a_negative_reserve_is_absorbed_by_the_company() -> None:
    year = [YEAR[0], ("2026-02", "1000.00", "320.00"), ("2026-03", "1000.00", "300.00")]
    result = run(textbook(year))
    # 7.50 from January, less February's whole deficit of 20.00: -12.50; March breaks even.
    assert [p.reserve for p in result.periods] == [750, -1250, -1250]
    s = result.settlement
    assert (s.reserve, s.paid, s.company_share, s.absorbed, s.returned) == (-1250, 0, 0, 1250, 0)
    assert next(result.settlement_lines()).reason == (
        "the reserve ended the year at -12.50: the company absorbs it; nothing is clawed back"
    )
    # The 16.88 January paid stays paid; the company's 5.62 less the 12.50 it absorbs is
    # -6.88, and 16.88 - 6.88 = 10.00, the net gain.
    assert result.summary.paid_total == 1688
    assert result.summary.company_share - s.absorbed == -688
    assert result.summary.net_gain == 1000


def test_from_the_gain_a_reserve_nobody_is_left_to_receive_is_the_companys() -> None:
    members = [member("A", end=date(2026, 3, 30))]
    result = run(textbook(members=members))
    # A leaves the day before the year ends: nobody is eligible in March, whose 11.25 for
    # the employees joins the reserve, 5.00 + 11.25 on top of -2.50 = 13.75. Shared as a
    # gain: the employees' 10.31 returns to the company, whose own share is 3.44.
    assert result.periods[2].to_reserve == 1625
    s = result.settlement
    assert (s.reserve, s.paid, s.returned, s.company_share, s.eligible) == (1375, 0, 1031, 344, 0)
    assert s.note == (
        "nobody is in the plan on 2026-03-31: the employees' 10.31 of the reserve of 13.75 "
        "returns to the company, whose share is the other 3.44"
    )


def test_from_the_gain_a_reserve_share_of_one_holds_every_gain_until_year_end() -> None:
    result = run(textbook(reserve_share="1"))
    assert [(p.to_reserve, p.employee_share, p.paid) for p in result.periods] == [
        (3000, 0, 0),
        (0, 0, 0),
        (2000, 0, 0),
    ]
    assert reasons(result, 0)["A"] == "the whole gain goes to the reserve"
    # 30.00 - 10.00 + 20.00 = 40.00: the employees' 30.00, 10.00 each; the company's 10.00.
    assert (result.settlement.paid, result.settlement.company_share) == (3000, 1000)
    assert settlement(result) == {"A": D("10.00"), "B": D("10.00"), "C": D("10.00")}


def test_from_the_gain_with_no_employee_share_the_company_keeps_the_reserve() -> None:
    result = run(textbook(employee_share="0"))
    assert [p.paid for p in result.periods] == [0, 0, 0]
    s = result.settlement
    assert (s.reserve, s.paid, s.company_share) == (250, 0, 250)
    assert next(result.settlement_lines()).reason == (
        "the employees' share of the reserve of 2.50 rounds to 0; the company's share is 2.50"
    )


def test_the_reserve_is_taken_from_the_employee_share_unless_the_plan_says_otherwise() -> None:
    default = plan_of(YEAR, distribution="equal")
    assert default.reserve_from is ReserveSource.EMPLOYEE_SHARE
    explicit = plan_of(YEAR, distribution="equal", reserve_from="employee_share")
    assert gs.render_json(gs.result_document(run(default))) == gs.render_json(
        gs.result_document(run(explicit))
    )
    assert gs.render_table(run(default)) == gs.render_table(run(explicit))


def test_reserve_from_is_one_of_two_choices() -> None:
    assert problems_of(reserve_from="nope") == {
        "gainsharing.reserve_from": "one of 'employee_share', 'gain'"
    }
    assert textbook(reserve_from=ReserveSource.GAIN).reserve_from is ReserveSource.GAIN


def test_the_table_says_where_the_reserve_is_taken_from() -> None:
    table = gs.render_table(run(textbook()))
    assert (
        "Reserve taken from the whole gain, before the split: 25.0% of each gain is held in "
        "the reserve, and each deficit is charged to it in full\n"
        "Employees' share of each gain after the reserve: 75.0%; the company keeps the rest\n"
    ) in table
    assert (
        "Year end (2026-03-31): a positive reserve is shared as a gain is, 75.0% paid to the "
        "members still in the plan and the rest to the company; a negative reserve is absorbed "
        "by the company, nothing is clawed back"
    ) in table
    for row in (
        "Employee share of gains, after the reserve (USD)   28.13",
        "Company share of gains, after the reserve (USD)     9.37",
        "Company share of the reserve (USD)                  0.62",
        "Paid to employees in all (USD)                     30.01",
        "Company share (USD)               0.62",
    ):
        assert row in table
    assert "Employee share    Company share    To reserve" in table
    assert "Employee share of deficits" not in table
    plain = gs.render_table(run(plan_of(YEAR)))
    assert "Reserve taken from" not in plain and "Company share of the reserve" not in plain


def test_the_json_document_says_where_the_reserve_is_taken_from() -> None:
    document = json.loads(gs.render_json(gs.result_document(run(textbook()))))
    plan_keys = list(document["plan"])
    assert plan_keys[plan_keys.index("reserve_share") + 1] == "reserve_from"
    assert document["plan"]["reserve_from"] == "gain"
    assert document["summary"]["settlement_company_share"] == "0.62"
    assert (document["settlement"]["paid"], document["settlement"]["company_share"]) == (
        "1.88",
        "0.62",
    )
    february = document["periods"][1]
    assert (february["employee_share"], february["from_reserve"]) == ("0.00", "10.00")
    plain = gs.result_document(run(plan_of(YEAR)))
    assert "reserve_from" not in plain["plan"]
    assert "settlement_company_share" not in plain["summary"]
    assert "company_share" not in plain["settlement"]


# -- exactness and determinism ------------------------------------------------


def test_results_do_not_depend_on_the_ambient_decimal_context() -> None:
    plain = gs.render_json(gs.result_document(run(plan_of(YEAR))))
    with localcontext() as context:
        context.prec = 3
        context.rounding = ROUND_FLOOR
        hostile = gs.render_json(gs.result_document(run(plan_of(YEAR))))
    assert hostile == plain


def test_a_float_is_refused() -> None:
    with pytest.raises(PlanError) as caught:
        plan_of(YEAR, employee_share=0.5)
    assert "not a float" in str(caught.value)
    with pytest.raises(PlanError) as caught:
        plan_of([("2026-01", 1200.0, "330.00")])  # type: ignore[list-item]
    assert "not a float" in str(caught.value)
    with pytest.raises(FloatMoneyError):
        D(1.5)  # type: ignore[arg-type]


def test_members_are_ordered_by_id_whatever_order_they_come_in() -> None:
    forward = run(plan_of(YEAR, [member("A"), member("B"), member("C")]))
    backward = run(plan_of(YEAR, [member("C"), member("B"), member("A")]))
    assert gs.result_document(forward) == gs.result_document(backward)


# -- build_plan refuses what cannot be paid -----------------------------------


def problems_of(**settings: Any) -> dict[str, str]:
    with pytest.raises(PlanError) as caught:
        plan_of(YEAR, **settings)
    return {p.field: p.expected for p in caught.value.problems}


def test_build_plan_reports_every_problem_at_once() -> None:
    found = problems_of(
        employee_share="1.5",
        reserve_share="-0.1",
        formula="improshare",
        distribution="seniority",
        period="week",
        base_period=("2025-12", "2025-11"),
    )
    assert found["gainsharing.employee_share"] == "a share from 0 to 1, such as 0.5"
    assert found["gainsharing.reserve_share"] == "a share from 0 to 1, such as 0.5"
    assert found["gainsharing.formula"] == "one of 'scanlon', 'rucker'"
    assert found["gainsharing.distribution"] == "one of 'equal', 'weight', 'pay'"
    assert found["gainsharing.period"] == "one of 'month', 'quarter'"
    assert found["gainsharing.base_period"] == "a last month on or after 2025-12"


@pytest.mark.parametrize(
    ("settings", "field", "phrase"),
    [
        ({"base_period": ("2025-10", "2025-12")}, "gainsharing.base_period", "no line for 2025-10"),
        ({"base_period": ("2025-11", "2026-01")}, "gainsharing.base_period", "ends before"),
        ({"period": "quarter", "months": 4}, "months", "a multiple of 3"),
        ({"months": 0}, "months", "from 1 to 120"),
        ({"formula": "rucker"}, "data 2025-11 purchases", "value added = revenue - purchases"),
        ({"members": [member("A"), member("A")]}, "member id", "each member id once"),
        ({"members": [member("A")], "teams": ["office"]}, "member A team", "one of office"),
        ({"distribution": "pay"}, "member A salary", "an annual salary"),
        ({"members": []}, "members", "at least one member"),
        ({"currency": "XXX"}, "currency", "ISO 4217"),
        ({"start": "January"}, "start", "YYYY-MM"),
        ({"name": " "}, "name", "a non-empty plan name"),
    ],
)
def test_build_plan_problem(settings: dict[str, Any], field: str, phrase: str) -> None:
    found = problems_of(**settings)
    assert field in found, found
    assert phrase in found[field]


def test_build_plan_checks_the_figures() -> None:
    data = [
        MonthData("2025-11", "0.00", "300.00"),
        MonthData("2025-12", "0.00", "300.00"),
        MonthData("2026-01", "1200.00", None),
        MonthData("2026-02", None, None),
        MonthData("2026-03", "1100.00", "310.00"),
        MonthData("2026-04", "1100.001", "-1.00"),
        MonthData("2026-04", "1.00", "1.00"),
        MonthData("March", "1.00", "1.00"),
    ]
    with pytest.raises(PlanError) as caught:
        plan_of([], data=data)
    found = [(p.field, p.expected) for p in caught.value.problems]
    assert ("gainsharing.base_period", "a base period whose revenue totals above 0") in found
    assert (
        "data 2026-01 cost",
        "revenue and cost together (both empty while the month is not reported yet)",
    ) in found
    assert ("data 2026-04 revenue", "an amount with at most 2 decimals (USD)") in found
    assert ("data 2026-04 cost", "an amount >= 0") in found
    assert ("data month", "each month once") in found
    assert ("data month", "a month written YYYY-MM") in found
    assert (
        "data 2026-03 revenue",
        "no figures after the unreported month 2026-02 (figures arrive in month order)",
    ) in found


def test_a_base_month_without_figures_is_a_problem_on_that_month() -> None:
    data = [MonthData("2025-11", None, None), MonthData("2025-12", "1000.00", "300.00")]
    with pytest.raises(PlanError) as caught:
        plan_of([], data=data)
    assert [p.field for p in caught.value.problems] == ["data 2025-11 revenue"]
    assert "in the base period" in caught.value.problems[0].expected


# -- reports ------------------------------------------------------------------


def test_the_table_shows_the_trace_of_every_figure() -> None:
    table = gs.render_table(run(plan_of(YEAR)))
    assert "Base ratio: labour cost / revenue over 2025-11 to 2025-12 (2 months)" in table
    assert "= 600.00 / 2,000.00 = 30.0000% (exact 3/10)" in table
    for heading in ("Plan summary", "Periods", "Year-end settlement", "Statements"):
        assert f"\n{heading}\n" in table
    assert "a negative reserve is absorbed by the company, nothing is clawed back" in table
    assert "A (plant), FTE 1: periods 6.25 + settlement 0.42 = 6.67 USD" in table


def test_the_json_document_traces_every_figure() -> None:
    document = json.loads(gs.render_json(gs.result_document(run(plan_of(YEAR)))))
    assert document["plan"]["base"] == {
        "first_month": "2025-11",
        "last_month": "2025-12",
        "months": 2,
        "revenue": "2000.00",
        "purchases": None,
        "basis": "2000.00",
        "cost": "600.00",
        "ratio": "0.300000",
        "ratio_exact": "3/10",
    }
    january = document["periods"][0]
    assert {k: january[k] for k in ("allowed_cost", "gain", "to_reserve", "paid", "reserve")} == {
        "allowed_cost": "360.00",
        "gain": "30.00",
        "to_reserve": "3.75",
        "paid": "11.25",
        "reserve": "3.75",
    }
    assert document["settlement"]["status"] == "settled"
    assert document["settlement"]["paid"] == "1.25"
    assert len(document["lines"]) == 9
    assert document["lines"][0] == {
        "member_id": "A",
        "team": "plant",
        "period": "2026-01",
        "days": 31,
        "weight": "1.000000",
        "share": "0.333333",
        "amount": "3.75",
        "status": "paid",
        "reason": "",
    }
    assert [line["amount"] for line in document["settlement_lines"]] == ["0.42", "0.42", "0.41"]


def test_write_results_writes_four_files(tmp_path: Path) -> None:
    result = run(plan_of(YEAR))
    written = gs.write_results(result, tmp_path / "out")
    assert sorted(p.name for p in written) == [
        "lines.csv",
        "periods.csv",
        "result.json",
        "settlement.csv",
    ]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in written)
    periods = (tmp_path / "out" / "periods.csv").read_text(encoding="utf-8").splitlines()
    assert periods[0] == ",".join(gs.report.PERIOD_COLUMNS)
    assert periods[1].startswith("2026-01,2026-01,2026-01,paid,1200.00,,1200.00,330.00,360.00,")
    lines = (tmp_path / "out" / "lines.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 9
    document = json.loads((tmp_path / "out" / "result.json").read_text(encoding="utf-8"))
    assert "lines" not in document and "settlement_lines" not in document


def test_the_table_shows_what_was_held_back_and_what_becomes_of_it() -> None:
    table = gs.render_table(run(held_plan()))
    assert (
        "Holdback: 10.0% of each member's period amount is held until the year end and paid "
        "then to the members still in the plan; a member who leaves earlier forfeits it and it "
        "returns to the company (unlike the reserve, it never covers a deficit)"
    ) in table
    assert "\nHeld-back amounts\n" in table
    for row in (
        "Held back until the year end (USD)                   1.90",
        "Paid with the periods (USD)                         16.85",
        "Holdback paid at year end (USD)                      1.52",
        "Holdback forfeited, returned to the company (USD)    0.38",
        "Paid to employees in all (USD)                      19.62",
    ):
        assert row in table
    # Each statement adds up, and its "Paid now" column sums to what the member receives.
    assert (
        "A (plant), FTE 1: periods 7.50 - held back 0.76 + held back paid 0.76 + settlement "
        "0.63 = 8.13 USD"
    ) in table
    assert (
        "C (plant), FTE 1: periods 3.75 - held back 0.38 + held back paid 0.00 + settlement "
        "0.00 = 3.37 USD"
    ) in table
    statement = table[table.index("\nA (plant)") :]
    header = statement.splitlines()[2]
    assert header.split() == [
        "Period",
        "Days",
        "Weight",
        "Share",
        "Amount",
        "Held",
        "Paid",
        "now",
        "Note",
    ]
    assert "the 0.76 held back is paid: in the plan on 2026-03-31" in statement
    assert "so the 0.38 held back returns to the company" in table


def test_without_a_holdback_the_table_has_no_holdback_figures() -> None:
    table = gs.render_table(run(plan_of(YEAR)))
    for text in ("Holdback", "Held back", "Held-back", "Paid now", "held back"):
        assert text not in table


def test_the_json_document_shows_the_held_part_and_each_members_holdback() -> None:
    document = json.loads(gs.render_json(gs.result_document(run(held_plan()))))
    assert document["plan"]["holdback"] == "0.100000"
    summary = document["summary"]
    assert {k: summary[k] for k in ("held_back", "paid_now", "holdback_paid")} == {
        "held_back": "1.90",
        "paid_now": "16.85",
        "holdback_paid": "1.52",
    }
    assert (summary["holdback_forfeited"], summary["paid_total"]) == ("0.38", "19.62")
    assert (document["periods"][0]["held"], document["periods"][0]["paid_now"]) == (
        "1.14",
        "10.11",
    )
    line = document["lines"][0]
    assert list(line) == [
        "member_id", "team", "period", "days", "weight", "share", "amount", "held", "paid_now",
        "status", "reason",
    ]  # fmt: skip
    assert (line["amount"], line["held"], line["paid_now"]) == ("3.75", "0.38", "3.37")
    assert document["holdback_settlements"] == [
        {
            "member_id": "A",
            "team": "plant",
            "held": "0.76",
            "status": "paid",
            "paid": "0.76",
            "forfeited": "0.00",
            "reason": "",
        },
        {
            "member_id": "B",
            "team": "plant",
            "held": "0.76",
            "status": "paid",
            "paid": "0.76",
            "forfeited": "0.00",
            "reason": "",
        },
        {
            "member_id": "C",
            "team": "plant",
            "held": "0.38",
            "status": "forfeited",
            "paid": "0.00",
            "forfeited": "0.38",
            "reason": "left on 2026-03-15, before the year end 2026-03-31; held-back amounts are "
            "paid only to members in the plan at year end, so the 0.38 held back returns to the "
            "company",
        },
    ]


def test_without_a_holdback_the_json_document_has_no_holdback_keys() -> None:
    document = gs.result_document(run(plan_of(YEAR)))
    assert "holdback" not in document["plan"]
    assert "holdback_settlements" not in document
    assert not {"held_back", "paid_now", "holdback_paid"} & set(document["summary"])
    assert "held" not in document["periods"][0] and "held" not in document["lines"][0]


def test_write_results_adds_holdback_columns_only_with_a_holdback(tmp_path: Path) -> None:
    gs.write_results(run(plan_of(YEAR)), tmp_path / "plain")
    gs.write_results(run(held_plan()), tmp_path / "held")

    def header(folder: str, name: str) -> str:
        return (tmp_path / folder / name).read_text(encoding="utf-8").splitlines()[0]

    assert header("plain", "periods.csv") == ",".join(gs.report.PERIOD_COLUMNS)
    assert header("plain", "lines.csv") == ",".join(gs.report.LINE_COLUMNS)
    assert header("plain", "settlement.csv") == ",".join(gs.report.SETTLEMENT_COLUMNS)
    assert "paid,held,paid_now,reserve" in header("held", "periods.csv")
    assert header("held", "lines.csv") == (
        "member_id,team,period,days,weight,share,amount,held,paid_now,status,reason"
    )
    assert header("held", "settlement.csv").endswith(
        ",amount,reason,holdback_held,holdback_status,holdback_paid,holdback_forfeited,"
        "holdback_reason"
    )
    lines = (tmp_path / "held" / "lines.csv").read_text(encoding="utf-8").splitlines()
    assert lines[1] == "A,plant,2026-01,31,1.000000,0.333333,3.75,0.38,3.37,paid,"
    settled = (tmp_path / "held" / "settlement.csv").read_text(encoding="utf-8").splitlines()
    assert settled[1] == "A,plant,True,90,1.000000,0.500000,0.63,,0.76,paid,0.76,0.00,"
    assert settled[3].startswith("C,plant,False,74,0.000000,0.000000,0.00,")
    assert ",0.38,forfeited,0.00,0.38," in settled[3]
    document = json.loads((tmp_path / "held" / "result.json").read_text(encoding="utf-8"))
    assert document["summary"]["holdback_forfeited"] == "0.38"
    assert "holdback_settlements" not in document  # per member: in settlement.csv


def test_write_results_leaves_nothing_behind_when_it_fails(tmp_path: Path) -> None:
    result = run(plan_of(YEAR))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    with pytest.raises(OSError):
        gs.write_results(result, blocked)
    assert blocked.read_text(encoding="utf-8") == "not a folder"


# -- the package --------------------------------------------------------------

SUBMODULES = ["engine", "loader", "plan", "report", "results", "schema"]


@pytest.mark.parametrize("name", ["__init__", *SUBMODULES])
def test_doctests_pass(name: str) -> None:
    module = importlib.import_module(
        "jointbonus.gainsharing" if name == "__init__" else f"jointbonus.gainsharing.{name}"
    )
    results = doctest.testmod(module, optionflags=doctest.ELLIPSIS, report=False)
    assert results.failed == 0


def test_doctests_exist() -> None:
    attempted = sum(
        doctest.testmod(importlib.import_module(f"jointbonus.gainsharing.{name}")).attempted
        for name in SUBMODULES
    )
    assert attempted >= 4


@pytest.mark.parametrize("name", SUBMODULES)
def test_every_module_declares_all_and_it_exists(name: str) -> None:
    module = importlib.import_module(f"jointbonus.gainsharing.{name}")
    assert module.__all__
    assert [n for n in module.__all__ if not hasattr(module, n)] == []


def test_the_package_exports_exactly_its_all() -> None:
    namespace: dict[str, object] = {}
    exec("from jointbonus.gainsharing import *", namespace)
    assert {name for name in namespace if name != "__builtins__"} == set(gs.__all__)
    public = {
        name
        for name, value in vars(gs).items()
        if not name.startswith("_") and not isinstance(value, type(gs))
    }
    assert public == set(gs.__all__)


def test_jointbonus_gives_the_gainsharing_package() -> None:
    import jointbonus

    assert jointbonus.gainsharing is gs
    assert gs.run is run
    assert isinstance(Month(2026, 1), Month)
    assert Formula("rucker").basis == "value added"
