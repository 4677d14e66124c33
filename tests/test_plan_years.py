"""Plans longer than a year: the holdback settles at each plan year's end.

An 18-month plan (January 2026 to June 2027) of four members, a fifth of
every line held back, every month hit:

* A stays throughout;
* B leaves on 31 March 2027: there at the end of 2026, gone before June 2027;
* C leaves on 30 June 2026, in the first year;
* D joins on 1 February 2027, in the second year.

Its first plan year is 2026; its second, short one is January to June 2027,
and ends with the plan.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from jointbonus import (
    D,
    HistoryMonth,
    Member,
    Month,
    StepCurve,
    build_plan,
    explain,
    load_plan,
    render_json,
    result_document,
    run,
)
from jointbonus.core.periods import plan_months, plan_years
from jointbonus.sharedtarget.ledger import (
    LedgerSettings,
    RunDigests,
    close_month,
    read_ledger,
)
from jointbonus.sharedtarget.report.exports import payroll_rows
from jointbonus.sharedtarget.report.ledger import closing_text, render_ledger
from jointbonus.sharedtarget.report.statements import render_statement
from jointbonus.sharedtarget.report.streams import iter_json
from jointbonus.sharedtarget.report.tables import render_table
from jointbonus.sharedtarget.report.transparency import render_transparency_report
from jointbonus.sharedtarget.results import Result, SettlementStatus

HISTORY = [
    HistoryMonth(m, D(a), D("100"))
    for m, a in zip(plan_months(Month(2025, 10), 3), ("90", "100", "110"), strict=True)
]
CALENDAR = plan_months(Month(2026, 1), 18)
MEMBERS = (
    Member("A", "sales", date(2020, 1, 1), None, D("1")),
    Member("B", "sales", date(2020, 1, 1), date(2027, 3, 31), D("1")),
    Member("C", "sales", date(2020, 1, 1), date(2026, 6, 30), D("1")),
    Member("D", "sales", date(2027, 2, 1), None, D("1")),
)


def plan(**given: Any) -> Any:
    settings: dict[str, Any] = {
        "name": "Eighteen months",
        "currency": "USD",
        "start": "2026-01",
        "months": 18,
        "members": MEMBERS,
        "history": HISTORY,
        "targets": {str(m): "100" for m in CALENDAR},
        "actuals": {str(m): "105" for m in CALENDAR},
        "curve": StepCurve(),
        "budget": "180.00",
        "holdback": "0.2",
    }
    settings.update(given)
    return build_plan(**settings)


@pytest.fixture(scope="module")
def result() -> Result:
    return run(plan())


def test_plan_years_are_runs_of_twelve_months_and_a_short_last_one() -> None:
    assert plan_years(18) == (range(0, 12), range(12, 18))
    assert plan_years(24) == (range(0, 12), range(12, 24))
    assert plan_years(12) == (range(0, 12),)
    assert plan_years(5) == (range(0, 5),)


def test_each_year_is_settled_at_its_own_end(result: Result) -> None:
    settled = {(s.member_id, s.year): s for s in result.settlements()}
    # A member has a settlement for each year they are in: C none for 2027, D none for 2026.
    assert sorted(settled) == [("A", 1), ("A", 2), ("B", 1), ("B", 2), ("C", 1), ("D", 2)]
    # B was there on 31 December 2026: 2026's part is paid; gone before 30 June 2027.
    assert settled["B", 1].status is SettlementStatus.PAID
    assert settled["B", 2].status is SettlementStatus.FORFEITED
    assert "before the plan year ended on 2027-06-30" in settled["B", 2].reason
    assert settled["C", 1].status is SettlementStatus.FORFEITED
    assert "before the plan year ended on 2026-12-31" in settled["C", 1].reason
    assert settled["D", 2].status is SettlementStatus.PAID
    assert (settled["A", 1].first, settled["A", 1].last) == (Month(2026, 1), Month(2026, 12))
    assert (settled["A", 2].first, settled["A", 2].last) == (Month(2027, 1), Month(2027, 6))
    assert settled["A", 2].span == "plan year 2 (2027-01 to 2027-06)"
    # What each year settles is what its own months held back.
    for (member_id, year), settlement in settled.items():
        months = plan_years(18)[year - 1]
        held = sum(
            line.held
            for line in result.lines()
            if line.member_id == member_id and CALENDAR.index(line.period) in months
        )
        assert settlement.held == held, (member_id, year)


def test_the_months_forfeit_by_their_own_year(result: Result) -> None:
    by_month = {m.month: m for m in result.months}
    # C's part is forfeited in 2026's months (C is gone before December); B's in 2027's.
    c_held = [line.held for line in result.lines() if line.member_id == "C"]
    b_held = [line.held for line in result.lines() if line.member_id == "B"]
    for index, month in enumerate(CALENDAR):
        forfeited = result.money(by_month[month].forfeited)
        assert forfeited == (c_held[index] if index < 12 else b_held[index]), month
    assert result.summary.forfeited_to_date == sum(m.forfeited for m in result.months)


def test_calibration_counts_forfeits_by_plan_year() -> None:
    # At a fixed pool, paid with chance 2/3 (two historical months of three hit), a month
    # is expected to cost 2/3 of its lines at a hit (every month here is one), less what is
    # held back from those who leave before the month's plan year ends: C in 2026, B in 2027.
    fixed = run(plan(scale="100"))
    leaving = {2026: "C", 2027: "B"}
    kept = sum(line.total for line in fixed.lines()) - sum(
        line.held for line in fixed.lines() if line.member_id == leaving[line.period.year]
    )
    assert fixed.calibration.expected_cost == Fraction(2, 3) * Fraction(kept * 100)


def _one_year() -> Any:
    months = plan_months(Month(2026, 1), 12)
    return plan(
        months=12,
        targets={str(m): "100" for m in months},
        actuals={str(m): "105" for m in months},
        members=MEMBERS[:3],
    )


def test_a_plan_of_one_year_names_no_plan_year() -> None:
    one = run(_one_year())
    assert not one.several_years
    assert [(s.member_id, s.year) for s in one.settlements()] == [("A", 1), ("B", 1), ("C", 1)]
    document = result_document(one)
    assert list(document["settlements"][0]) == [
        "member_id", "team", "held", "status", "paid", "reason",
    ]  # fmt: skip
    assert "Plan year" not in render_table(one)
    assert "Held back, plan year by plan year" not in render_transparency_report(one)
    assert {row[2] for row in payroll_rows(one) if row[5] and row[0] == "A"} >= {"2026-12"}


# -- the views ----------------------------------------------------------------------------


def test_json_names_each_settlements_plan_year(result: Result) -> None:
    document = result_document(result)
    first = document["settlements"][0]
    assert list(first)[:5] == ["member_id", "team", "plan_year", "first_month", "last_month"]
    assert (first["plan_year"], first["first_month"], first["last_month"]) == (
        1, "2026-01", "2026-12",
    )  # fmt: skip
    years = [(s["member_id"], s["plan_year"]) for s in document["settlements"]]
    assert years == [("A", 1), ("B", 1), ("C", 1), ("A", 2), ("B", 2), ("D", 2)]
    # the streamed document is the same text, byte for byte, in pieces of any size
    assert "".join(iter_json(result, block=1)) == render_json(document)
    assert "".join(iter_json(result, block=2)) == render_json(document)


def test_a_one_year_plan_streams_its_settlements_when_a_member_joins_after_it() -> None:
    """D joins in 2027, after the one plan year ends: A, B and C are settled, D is not,
    and the streamed document pairs each settlement with its own member."""
    twelve = {str(m): "100" for m in CALENDAR[:12]}
    one_year = run(plan(months=12, targets=twelve, actuals=twelve))
    document = result_document(one_year)
    assert [s["member_id"] for s in document["settlements"]] == ["A", "B", "C"]
    assert "".join(iter_json(one_year, block=1)) == render_json(document)
    assert "".join(iter_json(one_year)) == render_json(document)


def test_payroll_pays_each_years_settlement_with_the_years_last_month(result: Result) -> None:
    rows = list(payroll_rows(result))
    settled = [row for row in rows if row[3] == "settlement"]
    assert [(row[0], row[2]) for row in settled] == [
        ("A", "2026-12"), ("B", "2026-12"), ("A", "2027-06"), ("D", "2027-06"),
    ]  # fmt: skip
    paid = sum(s.paid for s in result.settlements())
    assert sum(row[5] for row in settled) == paid
    # each year's settlements follow the pay of its last month, before the next year's pay
    kinds = [(row[2], row[3]) for row in rows]
    assert kinds == sorted(kinds, key=lambda k: (k[0], k[1] == "settlement"))
    assert kinds.index(("2026-12", "settlement")) < kinds.index(("2027-01", "pay"))


def test_table_statement_transparency_and_explain_name_the_plan_year(result: Result) -> None:
    table = render_table(result)
    assert "Plan year" in table
    assert "2 (2027-01 to 2027-06)" in table
    statement = render_statement(result, "B")
    assert "- Plan year 1 (2026-01 to 2026-12): held back" in statement
    assert "paid to you with the settlement at the end of 2026-12" in statement
    assert "- Plan year 2 (2027-01 to 2027-06): held back" in statement
    assert "not paid: left on 2027-03-31" in statement
    report = render_transparency_report(result)
    assert "## Held back, plan year by plan year" in report
    assert "| 2 | 2027-01 to 2027-06 |" in report
    figure = explain(result, "B", "2027-02").figure("result", "held")
    assert "plan year 2 (2027-01 to 2027-06)" in figure.how
    held = next(line.held for line in result.lines() if (line.member_id, str(line.period)) == (
        "B", "2027-02"))  # fmt: skip
    assert figure.value == str(held)


# -- the ledger ---------------------------------------------------------------------------


def _digests(result: Result) -> RunDigests:
    del result
    return RunDigests("0.1.0", "a" * 64, "b" * 64, (("data/roster.csv", "c" * 64),))


def test_closing_a_plan_years_last_month_records_its_settlement(tmp_path: Path) -> None:
    ledger = LedgerSettings(tmp_path / "plan.ledger.sqlite", "plan.ledger.sqlite")
    paid = plan()
    closes = [
        close_month(ledger, run(paid), str(month), _digests, closed_at="2027-07-01T09:00:00Z")
        for month in CALENDAR
    ]
    # Only December 2026 and June 2027 settle, each its own plan year.
    settling = {str(c.closed.month): c.settlements for c in closes if c.settlements}
    assert list(settling) == ["2026-12", "2027-06"]
    assert [(s.member_id, s.plan_year, s.status) for s in settling["2026-12"]] == [
        ("A", 1, "paid"), ("B", 1, "paid"), ("C", 1, "forfeited"),
    ]  # fmt: skip
    assert [(s.member_id, s.plan_year, s.status) for s in settling["2027-06"]] == [
        ("A", 2, "paid"), ("B", 2, "forfeited"), ("D", 2, "paid"),
    ]  # fmt: skip
    result = run(paid)
    to_minor = paid.currency.to_minor
    assert {
        (s.member_id, s.plan_year): (s.held, s.paid) for c in closes for s in c.settlements
    } == {(s.member_id, s.year): (to_minor(s.held), to_minor(s.paid)) for s in result.settlements()}
    assert "it settled plan year 1's holdback" in closing_text(
        paid, "plan.ledger.sqlite", closes[11]
    )
    records = read_ledger(ledger)
    assert records is not None
    assert len(records.settlements) == 6
    table = render_ledger("plan.ledger.sqlite", records)
    assert "Plan year 1 settled with 2026-12" in table
    assert "Plan year 2 settled with 2027-06" in table
    document = json.loads(render_ledger("plan.ledger.sqlite", records, "json"))
    assert {(s["period"], s["plan_year"]) for s in document["settlements"]} == {
        ("2026-12", 1), ("2027-06", 2),
    }  # fmt: skip
    rows = list(csv.DictReader(io.StringIO(render_ledger("plan.ledger.sqlite", records, "csv"))))
    settled = [row for row in rows if row["kind"] == "settlement"]
    assert [(r["period"], r["plan_year"], r["member_id"]) for r in settled][:1] == [
        ("2026-12", "1", "A")
    ]
    assert sum(Decimal(r["amount"]) for r in settled) == sum(s.paid for s in result.settlements())


# -- the example ----------------------------------------------------------------------------

TWO_YEARS = Path(__file__).resolve().parent.parent / "examples" / "digital_manufacturing_two_years"


@pytest.fixture(scope="module")
def two_years() -> Result:
    return run(load_plan(TWO_YEARS / "plan.toml"))


def test_the_two_year_example_settles_2026_and_waits_for_2027(two_years: Result) -> None:
    plan = two_years.plan
    assert (len(plan.months), plan.holdback) == (24, Fraction(1, 10))
    assert plan.functional.caps.per_year == plan.currency.to_minor(Decimal("14000.00"))
    settled = {(s.member_id, s.year): s for s in two_years.settlements()}
    assert settled["DM-M05", 1].status is SettlementStatus.FORFEITED  # left in May 2026
    assert ("DM-M05", 2) not in settled
    assert settled["DM-S04", 1].status is SettlementStatus.PAID  # there on 31 December 2026
    assert settled["DM-S04", 2].status is SettlementStatus.PENDING  # 2027 is not over
    assert ("DM-S10", 1) not in settled  # joined in February 2027
    assert settled["DM-S10", 2].held > 0
    assert {s.status for (_, year), s in settled.items() if year == 2} == {SettlementStatus.PENDING}
    calibration = two_years.calibration
    assert calibration.within_bound


def test_the_two_year_examples_yearly_cap_starts_afresh_in_2027(two_years: Result) -> None:
    plan = two_years.plan
    cap = plan.currency.from_minor(plan.functional.caps.per_year or 0)
    totals: dict[tuple[str, int], Decimal] = {}
    for line in two_years.lines():
        key = (line.member_id, line.period.year)
        totals[key] = totals.get(key, Decimal(0)) + line.total
    assert max(totals.values()) <= cap
    # The cap bites in 2026, and 2026's payments take nothing from 2027's allowance.
    assert totals["DM-M01", 2026] == cap
    assert any(line.capped for line in two_years.lines() if line.period.year == 2026)
    january = next(
        line
        for line in two_years.lines()
        if (line.member_id, str(line.period)) == ("DM-M01", "2027-01")
    )
    assert january.total > 0 and not january.capped
