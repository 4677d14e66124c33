"""``explain``: one member's month, every figure the one the engine used.

Every member and month of the example plans is explained and checked against
the engine's own lines: the amount, the status, the reason, the weight; the
split adds up (rounded share + leftover unit = amount) and the leftover units
go exactly to the members the explanation says are first in line.
"""

from __future__ import annotations

import decimal
import json
import shutil
from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    D,
    ExplainError,
    HistoryMonth,
    LinearCurve,
    Member,
    Month,
    Plan,
    StepCurve,
    build_plan,
    explain,
    load_plan,
    render_explanation,
    run,
)
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jointbonus.sharedtarget.explain import Explanation, explanation_document, find_sources
from jointbonus.sharedtarget.report.markdown import markdown_text
from jointbonus.sharedtarget.results import LineStatus, Result

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "fixtures" / "one_lifeboat" / "plan.toml"
SEASONAL = ROOT / "examples" / "alpine_outfitters" / "plan.toml"


@pytest.fixture(scope="module")
def result() -> Result:
    return run(load_plan(EXAMPLE))


def value(explanation: Explanation, step: str, key: str) -> str:
    return explanation.figure(step, key).value


def small_plan(**changes: object) -> Plan:
    """Four members, one month at 120% of target, a pool of 100.00 at target."""
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1"), D("60000"), D("6000")),
        Member("B", "sales", date(2025, 1, 1), None, D("1"), D("50000"), D("5000")),
        Member("C", "marketing", date(2026, 1, 11), None, D("0.5"), D("40000"), D("4000")),
        Member(
            "D", "marketing", date(2025, 1, 1), date(2026, 1, 20), D("1"), D("40000"), D("4000")
        ),
    ]
    arguments: dict[str, object] = {
        "name": "Small",
        "currency": "USD",
        "start": "2026-01",
        "months": 2,
        "members": members,
        "history": [HistoryMonth(Month(2025, m), D(100 + m), D(100)) for m in range(1, 13)],
        "targets": {"2026-01": "110", "2026-02": "110"},
        "actuals": {"2026-01": "132"},
        "curve": StepCurve(),
        "budget": "200.00",
    }
    arguments.update(changes)
    return build_plan(**arguments)  # type: ignore[arg-type]


def check_against_the_engine(result: Result) -> int:
    """Explain every line of ``result``; returns how many leftover units were explained."""
    leftovers_given: Counter[str] = Counter()
    for line in result.lines():
        explanation = explain(result, line.member_id, line.period)
        assert explanation.amount == line.total
        assert explanation.status is line.status
        assert explanation.reason == line.reason
        assert explanation.member_id == line.member_id and explanation.team == line.team
        assert value(explanation, "weight", "days_active") == str(line.days)
        steps = [step.key for step in explanation.steps]
        assert steps[:3] == ["member", "weight", "target"] and steps[-1] == "result"
        assert value(explanation, "result", "amount") == str(line.total)
        if "split" in steps:
            units = result.plan.currency.scale
            rounded = Decimal(value(explanation, "split", "rounded_down"))
            bump = value(explanation, "split", "leftover_unit")
            assert rounded + (Decimal(1) / units if bump == "+1" else 0) == line.total
            exact = Decimal(value(explanation, "split", "exact_share"))
            assert abs(exact - line.total) < Decimal(1) / units
            how = explanation.figure("split", "leftover_unit").how
            leftover = int(value(explanation, "split", "leftover"))
            if bump == "+1":
                leftovers_given[str(line.period)] += 1
                place = int(how.split("place ")[1].split(" ")[0])
                assert place <= leftover
            elif how.startswith("no: place"):
                assert int(how.split("place ")[1].split(" ")[0]) > leftover
        if "factor" in steps and line.payout_factor is not None:
            factor = value(explanation, "factor", "factor")
            assert Fraction(factor) == round(line.payout_factor, 6)
    months = {str(m.month): m for m in result.months}
    for period, given in leftovers_given.items():
        month = months[period]
        floors = sum(g.base * len(g.positions) for g in month.splits[0].groups)
        assert given == month.paid - floors  # every leftover unit explained, none twice
    return sum(leftovers_given.values())


def test_every_line_of_the_example_is_explained_as_the_engine_paid_it(result: Result) -> None:
    assert check_against_the_engine(result) > 0


def test_every_line_of_a_seasonal_linear_plan_is_explained(tmp_path: Path) -> None:
    seasonal = run(load_plan(SEASONAL))
    check_against_the_engine(seasonal)
    paid = next(m for m in seasonal.months if m.factor)
    member = seasonal.plan.members[0].id
    explanation = explain(seasonal, member, paid.month)
    target = explanation.figure("target", "target")
    assert target.how.startswith("derived from the norm")
    assert "norm x (1 + " in target.how
    assert explanation.figure("factor", "curve").value == "linear"


def test_a_derived_target_inside_a_quarter_reads_its_own_months_level(tmp_path: Path) -> None:
    """The seasonal plan with a quarterly shared target and February's target given. A
    month's own target is its month's norm level x (1 + uplift), not the quarter's summed
    level; the quarter's end says which of the targets it sums the norm derived.

    By hand, from data/history.csv: January's level is the mean of the three Januaries,
    1,533,953 / 3 = 511,317.666667; x (1 - 0.8%) = 507,227.1253, rounded 507,227.13.
    March's level is 604,650; x 0.992 = 599,812.80. The quarter sums 507,227.13 + 520,000
    + 599,812.80 = 1,627,039.93.
    """
    folder = tmp_path / "quarterly"
    shutil.copytree(SEASONAL.parent, folder)
    plan_file = folder / "plan.toml"
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8").replace(
            "[shared]\n", '[shared]\nperiod = "quarter"\n', 1
        ),
        encoding="utf-8",
    )
    months = folder / "data" / "plan_months.csv"
    text = months.read_text(encoding="utf-8")
    assert "\n2026-02,,475002\n" in text
    months.write_text(text.replace("\n2026-02,,", "\n2026-02,520000,"), encoding="utf-8")
    quarterly = run(load_plan(plan_file))

    january = explain(quarterly, "AO-S01", "2026-01").figure("target", "target")
    assert january.value == "507227.13"
    assert january.how == (
        "derived from the norm (same_month_mean: 36 months of actual / mean of the same "
        "calendar month): norm x (1 + -0.80%) = 511317.666667 x (1 + -1/125), rounded half "
        "up to the minor unit"
    )
    march = explain(quarterly, "AO-S01", "2026-03").figure("target", "target")
    assert march.value == "1627039.93"
    assert march.how == (
        "the targets of 2026-Q1 (2026-01 to 2026-03), summed; the targets of 2026-01 and "
        "2026-03 derived from the norm (same_month_mean: 36 months of actual / mean of the "
        "same calendar month): norm x (1 + -0.80%), 2026-02's target given by the plan"
    )


def test_a_share_with_a_leftover_cent_says_why(result: Result) -> None:
    explanation = explain(result, "DM-S01", "2026-02")
    assert explanation.amount == Decimal("1802.11")
    assert value(explanation, "split", "rounded_down") == "1802.10"
    assert value(explanation, "split", "leftover") == "9"
    assert value(explanation, "split", "leftover_unit") == "+1"
    assert explanation.figure("split", "leftover_unit").how == (
        "yes: place 6 in line for 9 leftover units (0 members have a larger remainder and "
        "5 the same remainder with a lower id)"
    )
    assert value(explanation, "split", "total_weight") == "13.6"
    assert explanation.figure("split", "exact_share").exact == "490173/272"
    part_timer = explain(result, "DM-M04", "2026-02")
    assert value(part_timer, "weight", "weight") == "0.600000"
    assert value(part_timer, "split", "leftover_unit") == "0"
    assert part_timer.figure("split", "leftover_unit").how.startswith("no: place 14 in line")


def test_the_pool_and_calibration_are_the_engines(result: Result) -> None:
    explanation = explain(result, "DM-S01", "2026-02")
    calibration = result.calibration
    month = next(m for m in result.months if str(m.month) == "2026-02")
    assert value(explanation, "pool", "pool") == str(result.money(month.pool or 0))
    assert explanation.figure("calibration", "scale").exact == (
        f"{calibration.scale.numerator}/{calibration.scale.denominator}"
    )
    assert value(explanation, "calibration", "budget") == str(result.money(calibration.budget))
    assert explanation.figure("calibration", "scale").how.startswith("budget / unit cost = ")
    assert value(explanation, "target", "attainment") == "1.019744"
    assert explanation.figure("target", "attainment").exact == "1246127/1222000"


def test_a_leaver_zero_names_the_rule(result: Result) -> None:
    explanation = explain(result, "DM-M05", "2026-05")
    assert explanation.status is LineStatus.ZERO
    assert value(explanation, "weight", "days_active") == "20"
    assert value(explanation, "weight", "leaver_rule") == "do not pay"
    assert value(explanation, "weight", "eligible_weight") == "0.000000"
    assert [s.key for s in explanation.steps] == ["member", "weight", "target", "result"]
    assert "does not pay leavers for their exit month" in explanation.reason


def test_a_leaver_paid_for_the_days_worked() -> None:
    paid = run(small_plan(pay_leavers_for_exit_month=True))
    explanation = explain(paid, "D", "2026-01")
    assert value(explanation, "weight", "leaver_rule") == "pay"
    assert value(explanation, "weight", "eligible_weight") == value(explanation, "weight", "weight")
    assert explanation.amount > 0
    check_against_the_engine(paid)


def test_a_starter_and_a_pending_month(result: Result) -> None:
    starter = explain(result, "DM-S09", "2026-03")
    assert starter.figure("weight", "days_active").how == "none: starts 2026-07-15, after the month"
    assert starter.reason == "not yet started (starts 2026-07-15)"
    pending = explain(result, "DM-S01", "2026-12")
    assert pending.status is LineStatus.PENDING
    assert value(pending, "target", "actual") == ""
    assert [s.key for s in pending.steps] == ["member", "weight", "target", "result"]
    assert render_explanation(pending).startswith("DM-S01 for 2026-12: pending, nothing paid yet")


def test_a_missed_target_stops_at_the_factor(result: Result) -> None:
    explanation = explain(result, "DM-S01", "2026-01")
    assert [s.key for s in explanation.steps] == ["member", "weight", "target", "factor", "result"]
    assert explanation.figure("factor", "factor").how == (
        "93.6976% is below the threshold 100%: factor 0"
    )


def test_a_linear_curve_shows_its_interpolation() -> None:
    curve = LinearCurve.of([("0.9", "0.5"), ("1", "1"), ("1.2", "2")])
    plan = small_plan(curve=curve, actuals={"2026-01": "104.5"})  # 95% of 110
    explanation = explain(run(plan), "A", "2026-01")
    assert value(explanation, "factor", "factor") == "0.750000"
    assert explanation.figure("factor", "factor").how == (
        "95% lies between (90%, 0.5) and (100%, 1): 0.5 + (1 - 0.5) x (0.95 - 0.9) / "
        "(1 - 0.9) = 0.75"
    )


def test_a_salary_split_weighs_by_salary() -> None:
    paid = run(small_plan(split="salary"))
    explanation = explain(paid, "A", "2026-01")
    assert value(explanation, "split", "rule") == "salary"
    assert value(explanation, "member", "salary") == "60000.00"
    assert value(explanation, "split", "member_weight") == "60000"
    check_against_the_engine(paid)


def test_individual_funding_shows_the_members_own_amount() -> None:
    paid = run(small_plan(funding="individual"))
    explanation = explain(paid, "B", "2026-01")
    steps = [s.key for s in explanation.steps]
    assert "individual" in steps and "split" not in steps and "pool" not in steps
    assert value(explanation, "member", "target_bonus") == "5000.00"
    assert value(explanation, "individual", "amount") == str(explanation.amount)
    assert explanation.figure("calibration", "scale").label == "Target bonus multiplier"
    check_against_the_engine(paid)


def test_a_fixed_pool_says_so() -> None:
    explanation = explain(run(small_plan(scale="90.00")), "A", "2026-01")
    assert explanation.figure("calibration", "scale").how.startswith("fixed by the plan")
    assert value(explanation, "pool", "pool") == "90.00"


def test_the_same_figures_under_a_hostile_decimal_context(result: Result) -> None:
    expected = explanation_document(explain(result, "DM-S09", "2026-07"))
    with decimal.localcontext() as context:
        context.prec = 3
        context.rounding = decimal.ROUND_FLOOR
        again = explanation_document(explain(run(load_plan(EXAMPLE)), "DM-S09", "2026-07"))
    assert again == expected


# -- unknown member or month -----------------------------------------------------------------


def test_an_unknown_member_suggests_close_ids(result: Result) -> None:
    with pytest.raises(ExplainError, match=r"member: got 'DM-S9', expected a member id") as caught:
        explain(result, "DM-S9", "2026-03")
    assert "DM-S09" in str(caught.value)
    assert "(15 in all)" in str(caught.value)
    assert isinstance(caught.value, LookupError)


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("2027-01", "month: got '2027-01', expected a month of the plan, from 2026-01 to 2026-12"),
        ("March", "month: got 'March', expected a month written YYYY-MM, from 2026-01"),
        ("2026-13", "expected a month written YYYY-MM"),
    ],
)
def test_an_unknown_month_names_the_plans_months(result: Result, month: str, message: str) -> None:
    with pytest.raises(ExplainError, match=message):
        explain(result, "DM-S01", month)


# -- sources and output ------------------------------------------------------------------------


def test_sources_name_the_file_lines(tmp_path: Path) -> None:
    sources = find_sources(load_plan(EXAMPLE), "DM-M05", "2026-05")
    assert sources.plan == "plan.toml"
    assert sources.member == "data/roster.csv:15"
    assert sources.month == "data/plan_months.csv:6"
    assert find_sources(load_plan(EXAMPLE), "nobody", "1999-01").member == "data/roster.csv"
    explanation = explain(run(load_plan(EXAMPLE)), "DM-M05", "2026-05", sources)
    assert explanation.figure("member", "fte").how == "data/roster.csv:15"
    assert explanation.figure("target", "target").how == "given by the plan: data/plan_months.csv:6"


def test_the_three_formats_carry_the_same_figures(result: Result) -> None:
    explanation = explain(result, "DM-S09", "2026-07")
    table = render_explanation(explanation)
    assert table.startswith("Why DM-S09 got 1022.20 USD for 2026-07\n")
    document = json.loads(render_explanation(explanation, "json"))
    assert document == explanation_document(explanation)
    assert document["amount"] == "1022.20" and document["status"] == "paid"
    markdown = render_explanation(explanation, "markdown")
    assert markdown.startswith("# Why DM-S09 got 1022.20 USD for 2026-07\n")
    for step in document["steps"]:
        assert step["title"] in table
        for figure in step["figures"]:
            assert figure["value"] in table
            assert markdown_text(figure["value"]) in markdown
    with pytest.raises(ValueError, match="format"):
        render_explanation(explanation, "csv")


def test_markdown_escapes_what_would_break_a_table(tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE.parent, folder)
    roster = folder / "data" / "roster.csv"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace("DM-S01,", "A|<b>*x*</b>,", 1),
        encoding="utf-8",
    )
    explanation = explain(run(load_plan(folder / "plan.toml")), "A|<b>*x*</b>", "2026-02")
    markdown = render_explanation(explanation, "markdown")
    assert "A\\|\\<b\\>\\*x\\*\\</b\\>" in markdown
    assert "<b>" not in markdown


# -- the command ----------------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["table", "json", "markdown"])
def test_the_explain_command(format: str, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["explain", str(EXAMPLE), "--member", "DM-S01", "--month", "2026-02"]
    assert main([*arguments, "--format", format]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    assert "1802.11" in out
    assert "data/roster.csv:2" in out


@pytest.mark.parametrize(
    ("member", "month", "shown"),
    [
        (
            "DM-S9",
            "2026-03",
            "member: got 'DM-S9', expected a member id of the plan, such as DM-S09",
        ),
        ("DM-S01", "2030-01", "month: got '2030-01', expected a month of the plan"),
    ],
)
def test_the_command_refuses_an_unknown_member_or_month(
    member: str, month: str, shown: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["explain", str(EXAMPLE), "--member", member, "--month", month]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"jointbonus: {EXAMPLE}: {shown}" + err.split(shown, 1)[1]
    assert "Traceback" not in err


def test_the_command_refuses_a_gainsharing_plan(capsys: pytest.CaptureFixture[str]) -> None:
    plan = ROOT / "examples" / "gainsharing" / "scanlon.toml"
    assert main(["explain", str(plan), "--member", "x", "--month", "2026-01"]) == EXIT_BAD_INPUT
    assert "applies to shared-target plans" in capsys.readouterr().err


def test_the_command_needs_member_and_month(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["explain", str(EXAMPLE), "--member", "DM-S01"])
    assert caught.value.code == EXIT_BAD_INPUT
    assert "--month" in capsys.readouterr().err
