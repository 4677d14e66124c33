"""Monthly advances on a quarter's pay, trued up at its end: the setting, the rule in a
small plan worked by hand, leavers, pending months, the example and its outputs."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from jointbonus import (
    D,
    HistoryMonth,
    LinearCurve,
    Member,
    Month,
    MonthStatus,
    PlanError,
    VersionSpec,
    build_plan,
    calibrate,
    explain,
    load_plan,
    render_statement,
    render_table,
    run,
)
from jointbonus.sharedtarget.ledger import (
    LedgerSettings,
    RunDigests,
    close_month,
    read_ledger,
    with_ledger,
)
from jointbonus.sharedtarget.report.exports import payroll_csv, table_of
from jointbonus.sharedtarget.report.summary import render_summary
from jointbonus.sharedtarget.report.transparency import team_totals

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "digital_manufacturing_advances"
QUARTERLY = ROOT / "examples" / "digital_manufacturing_quarterly"

#: Pays from nothing sold, 1 at target, 2 at 150%.
CURVE = LinearCurve([(D("0"), D("0")), (D("1"), D("1")), (D("1.5"), D("2"))])


def _kwargs(**changes: object) -> dict[str, object]:
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1")),
        Member("B", "sales", date(2025, 1, 1), None, D("1")),
    ]
    return {
        "name": "Demo",
        "currency": "USD",
        "start": "2026-01",
        "months": 3,
        "members": members,
        "history": [HistoryMonth(Month(2025, m), D(100), D(100)) for m in range(1, 13)],
        "targets": {"2026-01": "100", "2026-02": "100", "2026-03": "100"},
        "actuals": {"2026-01": "120", "2026-02": "90", "2026-03": "90"},
        "curve": CURVE,
        "budget": "1000.00",
        "scale": "3000",
        "period": "quarter",
        "advance": "0.5",
        **changes,
    }


def test_each_month_advances_its_share_of_the_quarter_so_far_and_the_end_trues_up() -> None:
    result = run(build_plan(**_kwargs()))  # type: ignore[arg-type]
    january, february, march = result.months
    # January: running 120% pays 1.4 x 3000 = 4200.00; half of it for 1 month of 3 is
    # 700.00, 350.00 each. The floor, 120 / 300 = 40%, pays 0.4 x 3000 = 1200.00, 600.00
    # each: the bound does not bind.
    assert january.advances == (35000, 35000)
    # February: running 210 / 200 = 105% pays 1.1 x 3000 = 3300.00; half of it for 2 of 3
    # months is 1100.00, 550.00 each; the floor, 210 / 300 = 70%, pays 1050.00 each.
    assert february.advances == (20000, 20000)  # 550.00 less the 350.00 advanced
    # March: the quarter reaches 300 / 300 = 100% and pays 3000.00, 1500.00 each.
    assert march.paid == 300000
    assert march.advanced == (55000, 55000)
    assert (march.advances_paid, march.true_up) == (110000, 190000)
    assert (january.paid, february.paid) == (0, 0)


def test_no_advance_exceeds_what_the_quarter_is_sure_to_pay() -> None:
    # A strong January: running 300% pays 2 x 3000 (the curve's top); half of it for one
    # month is 1000.00; the floor, 300 / 300 = 100%, pays 3000.00: no bound. A weak
    # quarter after it cannot take the quarter below that floor.
    strong = run(build_plan(**_kwargs(actuals={"2026-01": "300", "2026-02": "0", "2026-03": "0"})))  # type: ignore[arg-type]
    assert strong.months[0].advances == (50000, 50000)
    # February: running 300 / 200 = 150% still pays 6000.00; half of it for 2 of 3
    # months is 2000.00, 1000.00 each, below the floor's 1500.00 each.
    assert strong.months[1].advances == (50000, 50000)
    assert strong.months[2].paid == 300000
    assert strong.months[2].true_up == 100000
    # A weak January: running 30% pays 0.3 x 3000 = 900.00, so 150.00 to advance; the
    # floor, 30 / 300 = 10%, pays 300.00, 150.00 each: the advance equals its bound.
    weak = run(build_plan(**_kwargs(actuals={"2026-01": "30", "2026-02": "0", "2026-03": "0"})))  # type: ignore[arg-type]
    assert weak.months[0].advances == (7500, 7500)
    # February: running 30 / 200 = 15% pays 450.00; half of it for 2 of 3 months is
    # 150.00, 75.00 each: no more than January's, so February advances nothing.
    assert weak.months[1].advances == (0, 0)
    assert weak.months[2].paid == 30000
    assert weak.months[2].true_up == 15000


def test_a_pending_month_advances_nothing() -> None:
    result = run(build_plan(**_kwargs(actuals={"2026-01": "120"})))  # type: ignore[arg-type]
    january, february, march = result.months
    assert january.advance == 70000
    assert february.status is MonthStatus.PENDING and february.advances == ()
    assert march.status is MonthStatus.PENDING and march.advanced == ()


def test_a_leaver_keeps_their_advances_and_is_trued_up_by_the_leaver_rule() -> None:
    # B leaves on 15 February: with pay_leavers_for_exit_month false B's weight over the
    # quarter is January alone, 31 of the quarter's 90 days against A's 90.
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1")),
        Member("B", "sales", date(2025, 1, 1), date(2026, 2, 15), D("1")),
    ]
    result = run(build_plan(**_kwargs(members=members)))  # type: ignore[arg-type]
    january, february, march = result.months
    assert january.advances[1] > 0
    true_up_b = march.lines[1]
    pay_b = true_up_b.total + true_up_b.advanced
    advanced_b = january.advances[1] + february.advances[1]
    assert march.advanced[1] == true_up_b.advanced == advanced_b
    assert true_up_b.total >= 0  # B's true-up: the leaver rule's pay less the advances
    assert pay_b < march.lines[0].total + march.lines[0].advanced
    # A member who joins in March is advanced nothing before then.
    joiner = [*members, Member("C", "sales", date(2026, 3, 1), None, D("1"))]
    later = run(build_plan(**_kwargs(members=joiner)))  # type: ignore[arg-type]
    assert later.months[0].advances[2] == later.months[1].advances[2] == 0
    assert later.months[2].lines.figures[later.months[2].lines.of_member[2]].total > 0


def test_advances_change_neither_calibration_nor_pay() -> None:
    with_advances = build_plan(**_kwargs(scale=None))  # type: ignore[arg-type]
    without = build_plan(**_kwargs(scale=None, advance=None))  # type: ignore[arg-type]
    assert calibrate(with_advances) == calibrate(without)
    advanced, whole = run(with_advances), run(without)
    assert [m.paid for m in advanced.months] == [m.paid for m in whole.months]
    # Each member's lines of the quarter (two advances, the true-up) add up to its pay.
    for position in range(2):
        assert sum(m.lines[position].total for m in advanced.months) == sum(
            m.lines[position].total for m in whole.months
        )


@pytest.mark.parametrize(
    ("changes", "phrase"),
    [
        ({"advance": "1.5"}, "a share above 0, at most 1"),
        ({"advance": "0"}, "a share above 0, at most 1"),
        ({"advance": "-0.5"}, "a share above 0, at most 1"),
        ({"advance": "half"}, "got 'half', expected a share above 0"),
        ({"period": "month"}, "no advance with a monthly shared target"),
        ({"holdback": "0.1"}, "no advance in a plan with a holdback"),
        (
            {"versions": [VersionSpec(Month(2026, 2), curve=CURVE)]},
            "versions[0].from: got '2026-02', expected the first month of a quarter in a plan "
            "with advances (it falls inside 2026-Q1 (2026-01 to 2026-03)",
        ),
    ],
    ids=["above-1", "zero", "negative", "text", "monthly", "holdback", "versions"],
)
def test_a_bad_advance_is_refused_naming_it(changes: dict[str, object], phrase: str) -> None:
    with pytest.raises(PlanError) as caught:
        build_plan(**_kwargs(**changes))  # type: ignore[arg-type]
    text = str(caught.value)
    assert phrase in text, text


def test_a_version_from_a_quarters_first_month_pays_that_quarter_and_its_advances() -> None:
    months = {f"2026-0{m}": "100" for m in range(1, 7)}
    steeper = LinearCurve([(D("0"), D("0")), (D("1"), D("1.2")), (D("1.5"), D("2.4"))])
    changes = {"months": 6, "targets": months, "scale": None, "budget": "3000.00"}
    changes["actuals"] = {m: "110" for m in list(months)[:5]}
    versions = [VersionSpec(Month(2026, 4), curve=steeper)]
    plan = build_plan(**_kwargs(**changes, versions=versions))  # type: ignore[arg-type]
    result = run(plan)
    _, second = result.versions
    assert [str(m) for m in second.months] == ["2026-04", "2026-05", "2026-06"]
    assert second.calibration.within_bound
    april, may = result.months[3], result.months[4]
    assert april.advance > 0 and may.advance > 0  # the second quarter advances, by version 2
    # What it advances is version 2's quarter so far: the same plan at version 2's scale
    # and curve, without versions, advances the same.
    alone = replace(second.design, fixed_scale=second.calibration.scale)
    again = run(alone)
    assert (again.months[3].advance, again.months[4].advance) == (april.advance, may.advance)


@pytest.fixture
def example_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    return folder


@pytest.mark.parametrize(
    ("value", "phrase"),
    [("1.25", "got '1.25', expected a share above 0, at most 1"), ('"x"', "got 'x'")],
    ids=["out-of-range", "not-a-number"],
)
def test_a_bad_advance_in_a_plan_file_is_located(
    example_dir: Path, value: str, phrase: str
) -> None:
    path = example_dir / "plan.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("advance = 0.5", f"advance = {value}", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("advance ="))
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    message = str(caught.value)
    assert f"plan.toml:{line}: shared.advance: {phrase}" in message, message
    done = subprocess.run(
        [sys.executable, "-m", "jointbonus", "run", str(path), "--out", str(example_dir / "o")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "Traceback" not in done.stderr and "shared.advance" in done.stderr
    assert not (example_dir / "o").exists()


def test_the_example_advances_and_trues_up_each_quarter() -> None:
    plan = load_plan(EXAMPLE / "plan.toml")
    result = run(plan)
    quarterly = replace(plan, advance=None)
    assert result.calibration == calibrate(quarterly)
    ends = [m for m in result.months if m.ends_period and m.status is MonthStatus.PAID]
    assert ends
    for end in ends:
        period = plan.period_of(end.month)
        assert period is not None
        inside = result.months[period.first : period.last]
        per_member = [sum(a) for a in zip(*(m.advances for m in inside), strict=True)]
        assert list(end.advanced) == per_member
        assert end.true_up >= 0 and end.advances_paid + end.true_up == end.paid
    assert any(m.advance for m in result.months)
    table = render_table(result)
    assert "Advance" in table and "Advances paid" in table and "True-up" in table
    assert "Monthly advances" in table and "cost-neutral" in table


def test_plans_without_advances_print_no_advance_columns() -> None:
    table = render_table(run(load_plan(QUARTERLY / "plan.toml")))
    assert "Advance" not in table and "True-up" not in table


def test_advances_follow_the_caps_of_the_month_that_pays_the_period() -> None:
    # Two quarters; each member may be paid at most 1,000.00 a plan year. Q1 pays
    # 1,500.00 each at 100%, capped to 1,000.00; Q2 can pay nothing more, so nothing in
    # it is advanced, however well it goes.
    actuals = {f"2026-{m:02d}": "100" for m in range(1, 7)}
    targets = {f"2026-{m:02d}": "100" for m in range(1, 7)}
    plan = build_plan(
        **_kwargs(months=6, actuals=actuals, targets=targets, cap_per_year="1000")  # type: ignore[arg-type]
    )
    result = run(plan)
    q1_end, q2_end = result.months[2], result.months[5]
    assert q1_end.paid == 200000 and q1_end.capped == 100000
    assert all(a <= 50000 for m in result.months[:2] for a in m.advances)
    assert q1_end.true_up >= 0
    assert [m.advance for m in result.months[3:5]] == [0, 0]
    assert (q2_end.paid, q2_end.advances_paid, q2_end.true_up) == (0, 0, 0)
    # A cap per month caps the period's pay in the month that pays it, and the bound with it.
    monthly = run(build_plan(**_kwargs(cap_per_month="600")))  # type: ignore[arg-type]
    january, february, march = monthly.months
    assert march.paid == 120000  # 1,500.00 each, capped to 600.00
    assert sum(january.advances) + sum(february.advances) <= march.paid
    assert march.true_up == march.paid - march.advances_paid >= 0


def test_a_statement_lists_the_members_advances_and_true_ups() -> None:
    result = run(build_plan(**_kwargs()))  # type: ignore[arg-type]
    text = render_statement(result, "A")
    part = text[text.index("## Advances and true-ups") :]
    assert "50.0% of each quarter's pay" in part
    assert "| 2026-01 | 350.00 |   |   |" in part
    assert "| 2026-02 | 200.00 |   |   |" in part
    assert "| 2026-03 |   | 550.00 | 950.00 |" in part  # 1,500.00 less the 550.00 advanced
    plain = run(build_plan(**_kwargs(advance=None)))  # type: ignore[arg-type]
    assert "Advances" not in render_statement(plain, "A")


def test_explain_shows_the_advance_and_the_true_up() -> None:
    result = run(build_plan(**_kwargs()))  # type: ignore[arg-type]
    february = explain(result, "A", "2026-02")
    assert february.figure("advance", "advanced_before").value == "350.00"
    assert february.figure("advance", "advance").value == "200.00"
    march = explain(result, "A", "2026-03")
    assert march.figure("true_up", "advances_paid").value == "550.00"
    assert march.figure("true_up", "true_up").value == "950.00"
    plain = run(build_plan(**_kwargs(advance=None)))  # type: ignore[arg-type]
    assert all(s.key not in ("advance", "true_up") for s in explain(plain, "A", "2026-02").steps)


def test_explain_sums_a_capped_true_up_with_the_advances_it_takes() -> None:
    # 1,500.00 each at 100%, capped to 600.00 in March: the true-up is the capped pay less
    # the advances, and explain's sum says so rather than stopping at the capped pay.
    result = run(build_plan(**_kwargs(cap_per_month="600")))  # type: ignore[arg-type]
    march = explain(result, "A", "2026-03")
    advanced = march.figure("true_up", "advances_paid").value
    true_up = march.figure("true_up", "true_up").value
    assert Decimal(true_up) == 600 - Decimal(advanced) > 0
    assert march.figure("result", "amount").how == (
        f"paid {true_up} USD = shared 1500.00 - cut 900.00 - advanced {advanced}"
    )


def test_calibrate_shows_the_advance_and_that_it_is_cost_neutral() -> None:
    plan = str(EXAMPLE / "plan.toml")
    text = subprocess.run(
        [sys.executable, "-m", "jointbonus", "calibrate", plan],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Monthly advances" in text and "50.0% of the quarter's pay" in text
    assert "cost-neutral" in text
    document = json.loads(
        subprocess.run(
            [sys.executable, "-m", "jointbonus", "calibrate", plan, "--format", "json"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    found = document.get("advance") or document["calibration"]["advance"]
    assert found == {"share": "0.500000", "cost_neutral": True}


def _payroll_sums(text: str) -> dict[str, Decimal]:
    """Each member's payroll amounts summed, from ``payroll.csv`` text."""
    sums: dict[str, Decimal] = {}
    for row in csv.DictReader(io.StringIO(text)):
        sums[row["member_id"]] = sums.get(row["member_id"], Decimal(0)) + Decimal(row["amount"])
    return sums


def test_lines_and_payroll_pay_the_advances_and_the_true_up() -> None:
    result = run(build_plan(**_kwargs()))  # type: ignore[arg-type]
    lines = [line for line in result.lines() if line.member_id == "A"]
    assert [(line.kind, str(line.total), str(line.advanced)) for line in lines] == [
        ("advance", "350.00", "0.00"),
        ("advance", "200.00", "0.00"),
        ("true-up", "950.00", "550.00"),
    ]
    assert lines[0].reason.startswith("advance on the quarter's attainment to date, 120.0%")
    assert "its pay 1,500.00 less the advances paid in it 550.00" in lines[2].reason
    text = payroll_csv(result)
    assert text.splitlines()[:2] == [
        "member_id,team,period,kind,currency,amount",
        "A,sales,2026-01,advance,USD,350.00",
    ]
    assert "A,sales,2026-03,true-up,USD,950.00" in text
    assert _payroll_sums(text) == {"A": Decimal("1500.00"), "B": Decimal("1500.00")}
    _, _, rows = table_of(result, "payroll")  # what the workbook's sheet and the frame show
    assert list(dict.fromkeys(row["kind"] for row in rows())) == ["advance", "true-up"]


def test_a_restated_actual_corrects_an_advance_already_paid_in_the_next_close(
    tmp_path: Path,
) -> None:
    ledger = LedgerSettings(tmp_path / "plan.ledger.sqlite", "plan.ledger.sqlite")
    stamp = RunDigests("0.1.0", "a" * 64, "b" * 64, ())
    first = run(build_plan(**_kwargs()))  # type: ignore[arg-type]
    close_month(ledger, first, "2026-01", lambda _: stamp, closed_at="2026-02-05T09:00:00Z")
    records = read_ledger(ledger)
    assert records is not None
    assert records.lines[Month(2026, 1)]["A"].total == 35000  # the advance, as paid
    # January's actual is restated from 120 to 60: running 60% pays 1800.00, half of it for
    # one month of three is 300.00, 150.00 each (the floor, 20%, would bear 300.00 each).
    actuals = {"2026-01": "60", "2026-02": "90", "2026-03": "90"}
    restated = with_ledger(run(build_plan(**_kwargs(actuals=actuals))), ledger)  # type: ignore[arg-type]
    (correction, _) = [c for c in restated.corrections if c.corrects == Month(2026, 1)]
    assert (correction.carried_in, correction.total) == (Month(2026, 2), -20000)
    close_month(ledger, restated, "2026-02", lambda _: stamp, closed_at="2026-03-05T09:00:00Z")
    whole = run(build_plan(**_kwargs(actuals=actuals, advance=None)))  # type: ignore[arg-type]
    final = with_ledger(run(build_plan(**_kwargs(actuals=actuals))), ledger)  # type: ignore[arg-type]
    # What payroll paid over the quarter, corrections and claw-backs included, is its pay.
    pay = {
        m.id: whole.money(whole.months[2].lines[p].total) for p, m in enumerate(whole.plan.members)
    }
    assert _payroll_sums(payroll_csv(final)) == pay


def test_the_summary_counts_the_advances_of_a_quarter_not_yet_trued_up() -> None:
    actuals = {"2026-01": "120", "2026-02": "90"}  # March pending: the quarter is open
    result = run(build_plan(**_kwargs(actuals=actuals)))  # type: ignore[arg-type]
    advanced = sum(m.advance for m in result.months)
    assert advanced and result.summary.paid_to_date == 0
    paid = next(r for r in render_summary(result).splitlines() if r.startswith("Paid to date"))
    assert result.plan.currency.format(advanced) in paid.split()[4], paid
    assert "advanced on 2026-Q1 (2026-01 to 2026-03), not yet trued up" in paid, paid
    teams = sum(paid for _, paid in team_totals(result).values())
    assert teams == advanced  # the team rows below add up to it


def test_the_lines_table_of_a_plan_with_closed_months_keeps_the_kind_of_each_line(
    tmp_path: Path,
) -> None:
    ledger = LedgerSettings(tmp_path / "plan.ledger.sqlite", "plan.ledger.sqlite")
    stamp = RunDigests("0.1.0", "a" * 64, "b" * 64, ())
    first = run(build_plan(**_kwargs()))  # type: ignore[arg-type]
    close_month(ledger, first, "2026-01", lambda _: stamp, closed_at="2026-02-05T09:00:00Z")
    closed = with_ledger(run(build_plan(**_kwargs())), ledger)  # type: ignore[arg-type]
    _, _, rows = table_of(closed, "lines")  # what the workbook's sheet and the frame show
    kinds = {(row["period"], row["kind"]) for row in rows()}
    assert kinds == {("2026-01", "advance"), ("2026-02", "advance"), ("2026-03", "true-up")}
