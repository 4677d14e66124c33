"""The holdback: a share of every line held until the plan year ends.

Held amounts are paid at the year end to the members still in the plan on
its last day; a member who left earlier forfeits them. Calibration counts
only what will be paid, so the plan stays neutral.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jointbonus import (
    D,
    HistoryMonth,
    Member,
    Month,
    PlanError,
    StepCurve,
    build_plan,
    pay,
    render_json,
    result_document,
    run,
)
from jointbonus.core.periods import plan_months
from jointbonus.sharedtarget.pay.cost import month_cost
from jointbonus.sharedtarget.pay.groups import frame_months
from jointbonus.sharedtarget.pay.outcome import Outcome
from jointbonus.sharedtarget.pay.sharing import held_back
from jointbonus.sharedtarget.report.exports import payroll_rows
from jointbonus.sharedtarget.report.tables import render_table
from jointbonus.sharedtarget.report.transparency import render_transparency_report
from jointbonus.sharedtarget.report.writer import lines_csv
from jointbonus.sharedtarget.results import SettlementStatus

HISTORY = [
    HistoryMonth(m, D(a), D("100"))
    for m, a in zip(plan_months(Month(2025, 10), 3), ("90", "100", "110"), strict=True)
]
MEMBERS = (
    Member("A", "sales", date(2020, 1, 1), None, D("1")),
    Member("B", "sales", date(2020, 1, 1), None, D("1")),
    Member("C", "marketing", date(2020, 1, 1), date(2026, 2, 28), D("1")),
)


def plan(**given: Any) -> Any:
    settings_: dict[str, Any] = {
        "name": "Holdback plan",
        "currency": "USD",
        "start": "2026-01",
        "months": 3,
        "members": MEMBERS,
        "history": HISTORY,
        "targets": {"2026-01": "100", "2026-02": "100", "2026-03": "100"},
        "actuals": {"2026-01": "105", "2026-02": "101", "2026-03": "100"},
        "curve": StepCurve(),
        "budget": "30.00",
        "holdback": "0.2",
    }
    settings_.update(given)
    return build_plan(**settings_)


def test_a_fifth_of_each_line_is_held_and_paid_to_those_still_there_at_the_year_end() -> None:
    result = run(plan())
    # Two of three historical months hit, so each month pays with chance 2/3.
    # In January and February C (who leaves on 28 February) forfeits a fifth of
    # a third of the pool; in March C is gone and nothing is forfeited:
    # 2/3 x pool x (14/15 + 14/15 + 1) = 30.00, so pool = 30 x 45/86 = 675/43.
    assert result.calibration.scale == Fraction(675, 43)
    january = result.months[0]
    assert january.pool == 1570
    # 15.70 among three: 5.24, 5.23, 5.23; a fifth held, rounded: 1.05 each
    lines = {line.member_id: line for line in result.lines() if str(line.period) == "2026-01"}
    assert [lines[m].total for m in "ABC"] == [Decimal("5.24"), Decimal("5.23"), Decimal("5.23")]
    assert [lines[m].held for m in "ABC"] == [Decimal("1.05")] * 3
    assert [lines[m].paid_now for m in "ABC"] == [
        Decimal("4.19"),
        Decimal("4.18"),
        Decimal("4.18"),
    ]
    assert january.held == 315
    assert january.forfeited == 105
    settlements = {s.member_id: s for s in result.settlements()}
    # A: 1.05 + 1.05 + a fifth of 7.85 in March (1.57) = 3.67; C left before the year end.
    assert settlements["A"].status is SettlementStatus.PAID
    assert settlements["A"].held == settlements["A"].paid == Decimal("3.67")
    assert settlements["C"].status is SettlementStatus.FORFEITED
    assert settlements["C"].paid == 0
    assert "before the plan year ended on 2026-03-31" in settlements["C"].reason


def test_the_cost_to_date_leaves_out_what_leavers_forfeit() -> None:
    result = run(plan())
    earned = sum(m.paid for m in result.months)
    forfeited = sum(m.forfeited for m in result.months)
    assert result.summary.paid_to_date == earned - forfeited
    assert result.summary.held_to_date == sum(m.held for m in result.months)
    assert result.summary.forfeited_to_date == forfeited


def test_the_transparency_report_takes_what_leavers_forfeit_off_the_teams_paid_column() -> None:
    result = run(plan())
    table = render_transparency_report(result).split("## Paid by team")[1].split("\n\n")[1]
    rows = {row.split(" | ")[0].strip("| *"): row.split(" | ")[-1].strip("| *") for row in
            table.splitlines()[2:]}  # fmt: skip
    assert len({row.count(" | ") for row in table.splitlines()}) == 1  # every row, every column
    teams = sum(Decimal(rows[team].replace(",", "")) for team in ("sales", "marketing"))
    assert Decimal(rows["All"].replace(",", "")) == teams  # what the statements add up to
    forfeited = Decimal(result.summary.forfeited_to_date) / 100
    assert rows["Less held back and forfeited by leavers"] == f"-{forfeited:.2f}"
    assert (
        Decimal(rows["Cost to date"]) * 100
        == result.summary.paid_to_date
        == (teams * 100 - result.summary.forfeited_to_date)
    )


def test_settlements_wait_while_a_month_is_pending() -> None:
    result = run(plan(actuals={"2026-01": "105"}))
    assert {s.status for s in result.settlements()} == {SettlementStatus.PENDING}
    assert all(s.paid == 0 for s in result.settlements())


def test_payroll_pays_the_month_less_the_holdback_then_the_settlements() -> None:
    result = run(plan())
    rows = list(payroll_rows(result))
    monthly = rows[:-2]
    assert ("A", "sales", "2026-01", "pay", "USD", Decimal("4.19")) in monthly
    assert {row[3] for row in monthly} == {"pay"}
    assert rows[-2:] == [
        ("A", "sales", "2026-03", "settlement", "USD", Decimal("3.67")),
        ("B", "sales", "2026-03", "settlement", "USD", Decimal("3.67")),
    ]
    paid_out = sum(r[5] for r in rows)
    assert paid_out * 100 == result.summary.paid_to_date


def test_outputs_show_the_held_part() -> None:
    result = run(plan())
    header = lines_csv(result).splitlines()[0].split(",")
    assert header[header.index("total") + 1 : header.index("total") + 3] == ["held", "paid_now"]
    document = result_document(result)
    assert document["lines"][0]["held"] == "1.05"
    assert document["summary"]["forfeited_to_date"] == str(
        result.money(result.summary.forfeited_to_date)
    )
    assert [s["status"] for s in document["settlements"]] == ["paid", "paid", "forfeited"]
    assert "Year-end settlement of held-back amounts" in render_table(result)
    assert render_json(result_document(run(plan()))) == render_json(document)


def test_without_a_holdback_nothing_changes_in_the_outputs() -> None:
    result = run(plan(holdback=0))
    assert "held" not in lines_csv(result).splitlines()[0]
    assert "settlements" not in result_document(result)
    assert list(result.settlements()) == []


@pytest.mark.parametrize("share", ["1", "-0.1", "1.5"])
def test_a_holdback_outside_0_to_1_is_refused(share: str) -> None:
    with pytest.raises(PlanError, match=r"holdback: got .*, expected a share from 0 to below 1"):
        plan(holdback=share)


def test_held_back_rounds_half_away_from_zero() -> None:
    half = plan(holdback="0.5")
    assert held_back(half, 3) == 2
    assert held_back(half, -3) == -2
    assert held_back(plan(holdback=0), 1234) == 0


@settings(deadline=None, max_examples=40)
@given(
    share=st.sampled_from(["0.1", "0.2", "0.25", "0.5"]),
    leave_day=st.integers(1, 28),
    budget=st.integers(1, 10**6),
    individual=st.booleans(),
)
def test_holdback_plans_stay_neutral_when_paid_through_the_engine(
    share: str, leave_day: int, budget: int, individual: bool
) -> None:
    members = (
        Member("A", "sales", date(2020, 1, 1), None, D("1"), target_bonus=D("1200")),
        Member("B", "sales", date(2020, 1, 1), None, D("0.5"), target_bonus=D("900")),
        Member(
            "C", "marketing", date(2020, 1, 1), date(2026, 2, leave_day), D("1"), D("1"), D("700")
        ),
    )
    base = plan(
        members=members,
        holdback=share,
        budget=str(Decimal(budget).scaleb(-2)),
        funding="individual" if individual else "pool",
    )
    calibration = run(base).calibration
    frames = frame_months(base).months
    total = Fraction(0)
    # Each historical month in turn sets every plan month's attainment.
    for attainment in base.norm.sample:
        actual = {str(pm.month): str(attainment * pm.target) for pm in base.months}
        scenario = plan(
            members=members,
            holdback=share,
            budget=str(Decimal(budget).scaleb(-2)),
            funding="individual" if individual else "pool",
            actuals={
                k: str(Decimal(Fraction(v).numerator) / Fraction(v).denominator)
                for k, v in actual.items()
            },
        )
        result = pay(scenario, calibration)
        total += result.summary.paid_to_date
        assert result.summary.paid_to_date == sum(
            month_cost(base, frame, calibration.terms, Outcome(m.factor or Fraction(0))).paid
            for frame, m in zip(frames, result.months, strict=True)
        )
    mean = total / len(base.norm.sample)
    assert abs(mean - base.budget.amount) <= calibration.rounding_bound


def test_statements_say_what_is_held_and_what_becomes_of_it() -> None:
    from jointbonus.sharedtarget.report.statements import render_statement

    result = run(plan())
    leaver = render_statement(result, "C")
    assert "Earned so far: **10.46 USD**" in leaver
    assert "Held back from you so far: **2.10 USD**. It is not paid: left on 2026-02-28" in leaver
    stayer = render_statement(result, "A")
    assert "paid to you with the year-end settlement: 3.67 USD" in stayer
    assert "Held back" not in render_statement(run(plan(holdback=0)), "A")
