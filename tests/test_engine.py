"""Paying a year: small plans whose every figure is worked out by hand here.

Unless a test says otherwise, history is three months with a target of 100
and actuals of 90, 100 and 110 (attainments 0.9, 1.0, 1.1), the curve is a
step at 100%, every plan month's target is 100 and members work full time
from 2020 on. The step pays in two scenarios of three, so a 12-month plan is
expected to pay 8 pools, and a budget of 100.00 makes the pool 12.50.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import ROUND_FLOOR, Decimal, localcontext
from fractions import Fraction
from typing import Any

from jointbonus import (
    D,
    HistoryMonth,
    Line,
    LinearCurve,
    LineStatus,
    Member,
    Month,
    MonthStatus,
    Plan,
    Result,
    StepCurve,
    build_plan,
    calibrate,
    pay,
    render_json,
    result_document,
    run,
)
from jointbonus.core.periods import plan_months

F = Fraction


def member(
    id: str,
    *,
    start: date = date(2020, 1, 1),
    end: date | None = None,
    fte: str = "1",
    salary: str | None = None,
    bonus: str | None = None,
    team: str = "sales",
) -> Member:
    return Member(
        id,
        team,
        start,
        end,
        D(fte),
        None if salary is None else D(salary),
        None if bonus is None else D(bonus),
    )


def past(actuals: tuple[str, ...] = ("90", "100", "110")) -> list[HistoryMonth]:
    months = plan_months(Month(2026, 1).shift(-len(actuals)), len(actuals))
    return [HistoryMonth(m, D(a), D("100")) for m, a in zip(months, actuals, strict=True)]


ABC = (member("A"), member("B"), member("C", team="marketing"))


def plan(**given: Any) -> Plan:
    months = given.get("months", 12)
    settings: dict[str, Any] = {
        "name": "Hand plan",
        "currency": "USD",
        "start": "2026-01",
        "months": months,
        "members": ABC,
        "history": past(),
        "targets": {str(m): "100" for m in plan_months(Month(2026, 1), months)},
        "actuals": {"2026-01": "105", "2026-02": "95"},
        "curve": StepCurve(),
        "budget": "100.00",
    }
    settings.update(given)
    return build_plan(**settings)


def lines_of(result: Result, period: str) -> dict[str, Line]:
    return {line.member_id: line for line in result.lines() if str(line.period) == period}


def shares(result: Result, period: str) -> dict[str, Decimal]:
    return {member_id: line.shared for member_id, line in lines_of(result, period).items()}


# -- a hit month, a missed month, a pending month -----------------------------------------


def test_hit_month_pays_the_pool_shared_equally() -> None:
    result = run(plan())
    assert result.calibration.scale == F(25, 2)
    january = result.months[0]
    assert january.status is MonthStatus.PAID
    assert january.attainment == F(21, 20)
    assert january.factor == 1
    assert january.hit is True
    assert january.pool == 1250
    assert january.paid == 1250
    # 12.50 among three: 4.1666... each; floors 4.16 x 3 leave 2 cents, which go
    # to the first two member ids on the tie
    assert shares(result, "2026-01") == {
        "A": Decimal("4.17"),
        "B": Decimal("4.17"),
        "C": Decimal("4.16"),
    }


def test_hit_month_lines() -> None:
    line = lines_of(run(plan()), "2026-01")["C"]
    assert line.team == "marketing"
    assert line.period == Month(2026, 1)
    assert line.days == 31
    assert line.weight == 1
    assert line.attainment == F(21, 20)
    assert line.payout_factor == 1
    assert line.shared == line.total == Decimal("4.16")
    assert str(line.total) == "4.16"
    assert line.status is LineStatus.PAID
    assert line.reason == ""


def test_missed_month_pays_nothing_and_says_why() -> None:
    result = run(plan())
    february = result.months[1]
    assert february.status is MonthStatus.PAID
    assert february.attainment == F(19, 20)
    assert february.factor == 0
    assert february.hit is False
    assert february.pool == 0
    assert february.paid == 0
    for line in lines_of(result, "2026-02").values():
        assert line.shared == Decimal("0.00")
        assert line.status is LineStatus.ZERO
        assert (
            line.reason
            == "target missed: attainment 95.0% earns no payout (the curve pays from 100%)"
        )


def test_pending_month_is_not_paid() -> None:
    result = run(plan())
    march = result.months[2]
    assert march.status is MonthStatus.PENDING
    assert march.attainment is None
    assert march.factor is None
    assert march.hit is None
    assert march.pool is None
    assert march.paid == 0
    for line in lines_of(result, "2026-03").values():
        assert line.status is LineStatus.PENDING
        assert line.reason == "pending: no actual for 2026-03 yet"
        assert line.shared == 0
        assert line.attainment is None
    assert [m.status for m in result.months[2:]] == [MonthStatus.PENDING] * 10


def test_a_month_exactly_on_target_is_hit() -> None:
    result = run(plan(actuals={"2026-01": "100"}))
    assert result.months[0].hit is True
    assert result.months[0].paid == 1250


def test_every_month_shares_add_up_to_what_is_paid() -> None:
    actuals = {str(m): "101" for m in plan_months(Month(2026, 1), 12)}
    result = run(plan(actuals=actuals, members=[*ABC, member("D", fte="0.3")]))
    paid: dict[Month, int] = defaultdict(int)
    for line in result.lines():
        paid[line.period] += result.plan.currency.to_minor(line.shared)
    assert all(paid[m.month] == m.paid == m.pool == 1250 for m in result.months)


def test_lines_come_by_period_then_member_id() -> None:
    result = run(plan(members=[ABC[2], ABC[0], ABC[1]]))
    order = [(str(line.period), line.member_id) for line in result.lines()]
    assert len(order) == 36
    assert order[:4] == [("2026-01", "A"), ("2026-01", "B"), ("2026-01", "C"), ("2026-02", "A")]
    assert order == sorted(order)


# -- curves -----------------------------------------------------------------------


def test_linear_curve_pays_part_of_the_pool_below_target() -> None:
    # Through (90%, 0.5), (100%, 1), (120%, 2) with history at 85, 95, 110, the pool
    # at target is 33.33... (see test_calibration). February at 95% pays factor
    # 0.75: a pool of 25.00, though the target was missed.
    curve = LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.2", "2")])
    result = run(
        plan(curve=curve, history=past(("85", "95", "110")), members=ABC[:2], budget="300.00")
    )
    assert result.calibration.scale == F(100, 3)
    january, february = result.months[:2]
    # January at 105%: factor 1.25, pool 41.666... -> 41.67, split 20.84 / 20.83
    assert january.factor == F(5, 4)
    assert january.pool == 4167
    assert shares(result, "2026-01") == {"A": Decimal("20.84"), "B": Decimal("20.83")}
    assert february.factor == F(3, 4)
    assert february.pool == 2500
    assert february.hit is False  # hit or miss is about the target, not the curve
    assert shares(result, "2026-02") == {"A": Decimal("12.50"), "B": Decimal("12.50")}
    assert lines_of(result, "2026-02")["A"].reason == ""


def test_linear_curve_below_its_threshold_names_the_threshold() -> None:
    curve = LinearCurve.of([("0.9", "0.5"), ("1", "1")])
    result = run(plan(curve=curve, actuals={"2026-01": "85"}))
    line = lines_of(result, "2026-01")["A"]
    assert line.reason == (
        "target missed: attainment 85.0% earns no payout (the curve pays from 90%)"
    )


def test_curve_rising_from_zero_names_where_it_starts_to_pay() -> None:
    # 0 at 90% rising to 1 at 100%: 85% is below where it starts to pay (90%), and
    # 95% pays half a pool though the target was missed
    curve = LinearCurve.of([("0.9", "0"), ("1", "1")])
    result = run(plan(curve=curve, actuals={"2026-01": "85", "2026-02": "95"}))
    assert lines_of(result, "2026-01")["A"].reason == (
        "target missed: attainment 85.0% earns no payout (the curve pays above 90%)"
    )
    assert result.months[1].factor == F(1, 2)
    assert result.months[1].paid > 0


# -- how the pool is split ---------------------------------------------------------------


def test_split_by_salary() -> None:
    # Weights 100000 : 50000 : 50000 share 12.50 as 6.25 / 3.125 / 3.125: floors
    # 6.25, 3.12, 3.12 leave a cent; B and C tie on the remainder, B comes first.
    members = [
        member("A", salary="100000"),
        member("B", salary="50000"),
        member("C", salary="50000"),
    ]
    result = run(plan(members=members, split="salary"))
    assert shares(result, "2026-01") == {
        "A": Decimal("6.25"),
        "B": Decimal("3.13"),
        "C": Decimal("3.12"),
    }


def test_split_by_salary_gives_nothing_to_a_zero_salary() -> None:
    members = [member("A", salary="60000"), member("B", salary="0")]
    result = run(plan(members=members, split="salary"))
    lines = lines_of(result, "2026-01")
    assert lines["A"].shared == Decimal("12.50")
    assert lines["B"].shared == 0
    assert lines["B"].reason == "salary is 0, so no share of a pool split by salary"


def test_a_zero_salarys_line_weighs_its_own_months_days() -> None:
    # B and C have no share (salary 0) but a weight: 15 days of January's 31 for B, 15 of
    # April's 30 for C. The same days, standing and parts in two months are still two lines.
    members = [
        member("A", salary="60000"),
        member("B", start=date(2026, 1, 17), salary="0"),
        member("C", start=date(2026, 4, 16), salary="0"),
    ]
    result = run(plan(members=members, split="salary"))
    assert lines_of(result, "2026-01")["B"].weight == F(15, 31)
    assert lines_of(result, "2026-04")["C"].weight == F(15, 30)
    for line in (lines_of(result, "2026-01")["B"], lines_of(result, "2026-04")["C"]):
        assert (line.days, line.shared) == (15, 0)
        assert line.reason == "salary is 0, so no share of a pool split by salary"


def test_split_by_target_bonus() -> None:
    # 3000 : 1000 share 12.50 as 9.375 / 3.125: the tied half cent goes to A
    members = [member("A", bonus="3000"), member("B", bonus="1000")]
    result = run(plan(members=members, split="target_bonus"))
    assert shares(result, "2026-01") == {"A": Decimal("9.38"), "B": Decimal("3.12")}


def test_split_weighs_part_timers_by_fte() -> None:
    # 1 : 0.6 share 12.50 as 7.8125 / 4.6875 -> 7.81 / 4.69 (B's remainder is larger)
    result = run(plan(members=[member("A"), member("B", fte="0.6")]))
    assert shares(result, "2026-01") == {"A": Decimal("7.81"), "B": Decimal("4.69")}
    assert lines_of(result, "2026-01")["B"].weight == F(3, 5)


# -- individual funding ------------------------------------------------------------------


def test_individual_funding_lines() -> None:
    # multiplier 3/4 (see test_calibration): A 1000.00 x 0.75, B 250.00 x 0.75,
    # C 83.333... x 0.75 = 62.50 in a hit month
    members = [
        member("A", bonus="12000"),
        member("B", bonus="6000", fte="0.5"),
        member("C", bonus="1000"),
    ]
    result = run(plan(months=3, members=members, funding="individual", budget="2000.00"))
    assert result.calibration.scale == F(3, 4)
    assert shares(result, "2026-01") == {
        "A": Decimal("750.00"),
        "B": Decimal("187.50"),
        "C": Decimal("62.50"),
    }
    january = result.months[0]
    assert january.pool == january.paid == 100000
    assert result.months[1].paid == 0


# -- the roster: starters, leavers and the leaver rule --------------------------------------


def test_member_starting_mid_month_is_prorated() -> None:
    # E joins on 17 January: 15 of 31 days. 12.50 by weights 1 : 1 : 15/31 is
    # 5.0324... each for A and B and 2.4350... for E; floors 5.03 + 5.03 + 2.43 leave
    # a cent, which goes to E's larger remainder.
    result = run(plan(members=[member("A"), member("B"), member("E", start=date(2026, 1, 17))]))
    lines = lines_of(result, "2026-01")
    assert lines["E"].days == 15
    assert lines["E"].weight == F(15, 31)
    assert shares(result, "2026-01") == {
        "A": Decimal("5.03"),
        "B": Decimal("5.03"),
        "E": Decimal("2.44"),
    }


def test_member_not_yet_started() -> None:
    result = run(plan(members=[member("A"), member("N", start=date(2026, 3, 1))]))
    line = lines_of(result, "2026-01")["N"]
    assert line.shared == 0
    assert line.days == 0
    assert line.weight == 0
    assert line.status is LineStatus.ZERO
    assert line.reason == "not yet started (starts 2026-03-01)"
    assert shares(result, "2026-01")["A"] == Decimal("12.50")


def leaver_plan(pay_leavers: bool) -> Plan:
    members = [member("A"), member("B"), member("C", end=date(2026, 2, 14))]
    return plan(
        actuals={"2026-01": "105", "2026-02": "105", "2026-03": "105"},
        members=members,
        pay_leavers_for_exit_month=pay_leavers,
    )


def test_leaver_is_not_paid_for_the_exit_month_when_the_rule_is_off() -> None:
    result = run(leaver_plan(False))
    february = lines_of(result, "2026-02")
    assert february["C"].shared == 0
    assert february["C"].days == 14
    assert february["C"].weight == 0
    assert february["C"].reason == (
        "left on 2026-02-14, before the month ended; "
        "the plan does not pay leavers for their exit month"
    )
    assert shares(result, "2026-02") == {
        "A": Decimal("6.25"),
        "B": Decimal("6.25"),
        "C": Decimal("0.00"),
    }


def test_leaver_is_paid_for_their_days_when_the_rule_is_on() -> None:
    # C was there 14 of February's 28 days: weights 1 : 1 : 1/2 -> 5.00 / 5.00 / 2.50
    result = run(leaver_plan(True))
    february = lines_of(result, "2026-02")
    assert february["C"].weight == F(1, 2)
    assert february["C"].reason == ""
    assert shares(result, "2026-02") == {
        "A": Decimal("5.00"),
        "B": Decimal("5.00"),
        "C": Decimal("2.50"),
    }


def test_after_leaving_nothing_either_way() -> None:
    for rule in (False, True):
        march = lines_of(run(leaver_plan(rule)), "2026-03")
        assert march["C"].shared == 0
        assert march["C"].reason == "left on 2026-02-14"
        assert march["A"].shared == Decimal("6.25")


def test_leaving_on_the_last_day_is_a_full_month() -> None:
    members = [member("A"), member("L", end=date(2026, 1, 31))]
    result = run(plan(members=members))
    assert shares(result, "2026-01") == {"A": Decimal("6.25"), "L": Decimal("6.25")}
    assert lines_of(result, "2026-02")["L"].reason == "left on 2026-01-31"


def test_a_month_with_nobody_to_pay_pays_nothing() -> None:
    result = run(plan(members=[member("N", start=date(2026, 2, 1))]))
    january = result.months[0]
    assert january.factor == 1
    assert january.paid == 0
    assert lines_of(result, "2026-01")["N"].reason == "not yet started (starts 2026-02-01)"


def test_share_too_small_to_pay() -> None:
    # a fixed pool of 0.02 at target: 2 cents among three, the last gets nothing
    result = run(plan(scale="0.02"))
    lines = lines_of(result, "2026-01")
    assert [lines[i].shared for i in "ABC"] == [Decimal("0.01"), Decimal("0.01"), Decimal("0.00")]
    assert lines["C"].reason == "share rounds to less than one minor unit"
    assert lines["C"].status is LineStatus.ZERO


# -- currencies ----------------------------------------------------------------------------


def test_yen_pays_whole_yen() -> None:
    # 1000 yen over 8 expected pools: 125 a pool, 41.67 each -> 42 / 42 / 41
    result = run(plan(currency="JPY", budget="1000"))
    assert result.calibration.scale == 125
    assert shares(result, "2026-01") == {"A": Decimal(42), "B": Decimal(42), "C": Decimal(41)}
    assert str(lines_of(result, "2026-01")["A"].shared) == "42"


def test_kuwaiti_dinar_pays_fils() -> None:
    # 100.000 KWD: a pool of 12.500, 4.16666... each -> 4.167 / 4.167 / 4.166
    result = run(plan(currency="KWD", budget="100.000"))
    assert [str(s) for s in shares(result, "2026-01").values()] == ["4.167", "4.167", "4.166"]


# -- a derived norm with uplift -----------------------------------------------------------


def test_derived_norm_plan_with_uplift() -> None:
    # Norm 110 a month (2024 at 100, 2025 at 120), 5% uplift: targets of 115.5 and
    # a pool at target of 50.00 (see test_calibration). January at 120 reaches
    # 120 / 115.5 = 103.9% and pays; February at 115 reaches 99.6% and does not.
    history = [
        HistoryMonth(m, D("100" if m.year == 2024 else "120"))
        for m in plan_months(Month(2024, 1), 24)
    ]
    derived = plan(
        history=history,
        norm="same_month_mean",
        uplift="0.05",
        targets=None,
        members=ABC[:2],
        actuals={"2026-01": "120", "2026-02": "115"},
        budget="300.00",
    )
    result = run(derived)
    january, february = result.months[:2]
    assert january.plan_month.target == F(231, 2)
    assert january.attainment == F(80, 77)
    assert january.pool == 5000
    assert shares(result, "2026-01") == {"A": Decimal("25.00"), "B": Decimal("25.00")}
    assert february.attainment == F(230, 231)
    assert february.paid == 0
    assert lines_of(result, "2026-02")["A"].reason == (
        "target missed: attainment 99.6% earns no payout (the curve pays from 100%)"
    )


# -- a fixed scale -------------------------------------------------------------------------


def test_fixed_scale_pays_the_fixed_pool() -> None:
    result = run(plan(scale="30", members=ABC[:2]))
    assert not result.calibration.calibrated
    assert result.months[0].pool == 3000
    assert shares(result, "2026-01") == {"A": Decimal("15.00"), "B": Decimal("15.00")}


# -- the plan summary ------------------------------------------------------------------------


def test_summary_cost_to_date_on_pace_and_variance() -> None:
    # Budget 300.00 for two members: pool 37.50. January hits (37.50 paid),
    # February misses. The norm expected 2/3 x 37.50 = 25.00 of each month.
    result = run(plan(members=ABC[:2], budget="300.00"))
    summary = result.summary
    assert summary.budget == 30000
    assert summary.expected_cost == 30000
    assert summary.paid_to_date == 3750
    assert summary.expected_to_date == 5000
    assert summary.variance_to_date == -1250  # the teams ran behind the norm
    # On current pace (mean factor 1/2 so far) each of the 10 pending months pays
    # 37.50 x 1/2 = 18.75: 37.50 + 187.50 = 225.00, 75.00 under budget.
    assert summary.cost_on_pace == 22500
    assert summary.pace_variance == -7500
    assert summary.months_paid == 2
    assert summary.months_pending == 10
    assert summary.months_hit == 1


def test_summary_ahead_of_the_norm() -> None:
    actuals = {"2026-01": "100", "2026-02": "120", "2026-03": "101"}
    summary = run(plan(members=ABC[:2], budget="300.00", actuals=actuals)).summary
    assert summary.paid_to_date == 3 * 3750
    assert summary.variance_to_date == 3 * 3750 - 3 * 2500
    # three hits of three: on pace every month pays, 12 x 37.50 = 450.00
    assert summary.cost_on_pace == 45000
    assert summary.pace_variance == 15000
    assert summary.months_hit == 3


def test_summary_before_any_actual_is_the_expected_cost() -> None:
    summary = run(plan(actuals={}, members=ABC[:2], budget="300.00")).summary
    assert summary.paid_to_date == 0
    assert summary.expected_to_date == 0
    assert summary.variance_to_date == 0
    assert summary.cost_on_pace == 30000
    assert summary.pace_variance == 0
    assert summary.months_paid == 0
    assert summary.months_pending == 12


def test_summary_when_every_month_is_in() -> None:
    actuals = {str(m): "100" if m.month % 2 else "99" for m in plan_months(Month(2026, 1), 12)}
    summary = run(plan(actuals=actuals)).summary
    assert summary.months_pending == 0
    assert summary.months_hit == 6
    assert summary.paid_to_date == summary.cost_on_pace == 6 * 1250
    assert summary.pace_variance == 6 * 1250 - 10000


# -- pay() and run() agree; nothing depends on the ambient decimal context -------------------


def test_pay_with_a_calibration_is_run() -> None:
    hand = plan()
    assert pay(hand, calibrate(hand)) == run(hand)


def test_same_cents_under_a_hostile_decimal_context() -> None:
    def everything() -> str:
        members = [member("A"), member("B", fte="0.7"), member("E", start=date(2026, 1, 17))]
        return render_json(result_document(run(plan(members=members, budget="100.01"))))

    expected = everything()
    with localcontext() as context:
        context.prec = 3
        context.rounding = ROUND_FLOOR
        assert everything() == expected
    assert '"shared": "' in expected


def test_a_curve_starting_above_target_says_the_target_was_met() -> None:
    result = run(plan(curve=StepCurve(Fraction(105, 100)), actuals={"2026-01": "102"}))
    assert result.months[0].hit is True
    assert lines_of(result, "2026-01")["A"].reason == (
        "target met: attainment 102.0% earns no payout (the curve pays from 105%)"
    )
