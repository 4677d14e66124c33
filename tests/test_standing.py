"""A standing that changes: several roster rows of one member, one person.

The example ``examples/digital_manufacturing_changes`` has a marketer who
moves to sales on 15 July and a salesperson who goes to 0.6 FTE on
15 September; the API and the files refuse rows that overlap, naming both
rows.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    D,
    HistoryMonth,
    Member,
    Month,
    Plan,
    PlanError,
    Result,
    StepCurve,
    build_plan,
    explain,
    load_plan,
    run,
)
from jointbonus.cli import main
from jointbonus.core.number import round_half_up
from jointbonus.sharedtarget.report.documents import result_document
from jointbonus.sharedtarget.report.statements import render_statements
from jointbonus.sharedtarget.report.streams import iter_json, iter_jsonl, terminal_json
from jointbonus.sharedtarget.report.writer import lines_csv, write_results

ROOT = Path(__file__).resolve().parent.parent
CHANGES = ROOT / "examples" / "digital_manufacturing_changes" / "plan.toml"
UNCHANGED = ROOT / "examples" / "digital_manufacturing" / "plan.toml"


Example = tuple[Plan, Result]


@pytest.fixture(scope="module")
def changes() -> Example:
    plan = load_plan(CHANGES)
    return plan, run(plan)


# -- the example ------------------------------------------------------------------


def test_the_example_has_one_member_per_id(changes: Example) -> None:
    plan, _ = changes
    ids = [m.id for m in plan.members]
    assert len(ids) == len(set(ids)) == len(load_plan(UNCHANGED).members) == 15
    mover = next(m for m in plan.members if m.id == "DM-M03")
    assert [row.team for row in mover.rows] == ["marketing", "sales"]
    assert plan.provenance is not None
    assert plan.provenance.member_lines["DM-M03"] == 14


def test_the_mover_earns_each_teams_goals_for_the_months_in_it(changes: Example) -> None:
    _, result = changes
    lines = [line for line in result.lines() if line.member_id == "DM-M03"]
    assert len(lines) == 12  # one line a month: one person
    for line in lines:
        metrics = [metric for metric, _ in line.functional]
        if line.period < Month(2026, 7):
            assert line.team == "marketing"
            assert metrics == ["leads_accepted"]
        elif line.period == Month(2026, 7):  # the month of the move: both teams' goals
            assert line.team == "sales"  # the team at the month's end
            assert metrics == ["followed_up_48h", "sal_to_sql", "leads_accepted"]
        else:
            assert line.team == "sales"
            assert metrics == ["followed_up_48h", "sal_to_sql"]


def test_the_mover_earns_each_teams_part_on_the_days_in_it(changes: Example) -> None:
    _, result = changes
    july = next(m for m in result.months if m.month == Month(2026, 7))
    lines = [line for line in result.lines() if line.period == july.month]
    mover = next(line for line in lines if line.member_id == "DM-M03")
    assert mover.weight == 1  # 14 days in marketing and 17 in sales, full time
    in_team = {"marketing": Fraction(14, 31), "sales": Fraction(17, 31)}
    for goal in july.goals:
        team = goal.goal.team
        # the team's weight: its members at the month's end, and the mover's days in it
        total = sum(
            (line.weight for line in lines if line.team == team and line is not mover),
            in_team[team],
        )
        exact = Fraction(result.money(goal.pool)) * in_team[team] / total
        part = Fraction(dict(mover.functional)[goal.goal.metric])
        assert abs(part - exact) < Fraction(1, 100), goal.goal.metric


def test_the_mover_shares_each_teams_pool_for_the_months_in_it(changes: Example) -> None:
    _, result = changes
    by_month: dict[Month, dict[str, int]] = {}
    for line in result.lines():
        team = by_month.setdefault(line.period, {})
        team[line.team] = team.get(line.team, 0) + 1
    assert by_month[Month(2026, 6)] == {"sales": 9, "marketing": 6}  # DM-M03 in marketing
    assert by_month[Month(2026, 7)] == {"sales": 10, "marketing": 5}


def test_going_part_time_mid_month_weighs_the_days_of_each_row(changes: Example) -> None:
    _, result = changes
    weights = {line.period: line.weight for line in result.lines() if line.member_id == "DM-S04"}
    assert weights[Month(2026, 8)] == 1
    assert weights[Month(2026, 9)] == Fraction(1 * 14, 30) + Fraction(6, 10) * Fraction(16, 30)
    assert weights[Month(2026, 10)] == Fraction(6, 10)


def test_the_example_is_calibrated_within_its_bound(changes: Example) -> None:
    plan, result = changes
    assert result.calibration.within_bound
    assert plan.budget == load_plan(UNCHANGED).budget  # the changes do not move the budget


def test_every_written_line_names_the_months_team(changes: Example, tmp_path: Path) -> None:
    """lines.csv, the JSON document, JSON Lines and the terminal's JSON name, for each month,
    the team the API's line names: DM-M03's team is marketing until June, sales from July
    (the month of the move: the team at its end), not the last row's team all year."""
    _, result = changes
    expected = [(line.member_id, line.team, str(line.period)) for line in result.lines()]
    assert [t for m, t, p in expected if m == "DM-M03"] == ["marketing"] * 6 + ["sales"] * 6
    rows = list(csv.DictReader(io.StringIO(lines_csv(result))))
    assert [(r["member_id"], r["team"], r["period"]) for r in rows] == expected
    document = json.loads("".join(iter_json(result)))
    assert [(d["member_id"], d["team"], d["period"]) for d in document["lines"]] == expected
    assert [
        (d["member_id"], d["team"], d["period"]) for d in result_document(result)["lines"]
    ] == expected
    documents = [json.loads(text) for text in "".join(iter_jsonl(result)).splitlines()]
    assert [(d["member_id"], d["team"], d["period"]) for d in documents] == expected
    shown = json.loads("".join(terminal_json(result, "json")))
    assert [(d["member_id"], d["team"], d["period"]) for d in shown["lines"]] == expected
    write_results(result, tmp_path / "out")
    text = (tmp_path / "out" / "lines.csv").read_text(encoding="utf-8")
    written = list(csv.DictReader(io.StringIO(text)))
    assert [(r["member_id"], r["team"], r["period"]) for r in written] == expected


def test_one_statement_for_the_mover_listing_their_rows(changes: Example) -> None:
    _, result = changes
    statements = dict(render_statements(result))
    assert len(statements) == 15
    text = statements["DM-M03"]
    assert "from 2022-08-22 to 2026-07-14: marketing, FTE 1" in text
    assert "from 2026-07-15 with no end date: sales, FTE 1" in text
    assert "## Your team's goals: marketing (2026-01, 2026-02" in text
    assert "2026-06, 2026-07)\n" in text  # the month of the move, in both teams
    assert "## Your team's goals: sales (2026-07, 2026-08" in text
    assert text.count("| 2026-07 | 31 |") == 1  # the month once, with each team's parts


def test_explain_shows_the_movers_weight_in_each_team_and_both_teams_goals(
    changes: Example,
) -> None:
    _, result = changes
    explanation = explain(result, "DM-M03", "2026-07")
    assert explanation.figure("weight", "weight_in_marketing").exact == "14/31"
    assert explanation.figure("weight", "weight_in_sales").exact == "17/31"
    for metric in ("leads_accepted", "sal_to_sql"):  # each goal's split, the days in its team
        assert any(step.key.endswith(metric) for step in explanation.steps), metric
    line = next(
        line
        for line in result.lines()
        if line.member_id == "DM-M03" and line.period == Month(2026, 7)
    )
    outcome = explanation.figure("result", "amount").how
    parts = " + ".join(f"{metric} {amount}" for metric, amount in line.functional)
    assert outcome.endswith(f"= shared {line.shared} + {parts}")


# -- one person: one cap, one holdback ----------------------------------------------


def _plan(members: list[Member], **overrides: object) -> Plan:
    """Four months, every one hit; a pool of 300.00 a month shared equally."""
    months = [f"2026-{m:02d}" for m in range(1, 5)]
    arguments: dict[str, object] = {
        "name": "Movers",
        "currency": "USD",
        "start": "2026-01",
        "months": 4,
        "members": members,
        "history": [HistoryMonth(Month(2025, m), D(100 + m), D(100)) for m in range(1, 13)],
        "targets": dict.fromkeys(months, "100"),
        "actuals": dict.fromkeys(months, "110"),
        "curve": StepCurve(),
        "budget": "1200.00",
        "scale": "300",
        "teams": ["sales", "marketing"],
    }
    arguments.update(overrides)
    return build_plan(**arguments)  # type: ignore[arg-type]


def _changes_variant(folder: Path, *, individual: bool, period: str) -> Result:
    """The changes example with marketing at a higher shared weight than sales (so the
    team of each day matters to the shared part), funded individually or by pool, over
    ``period``."""
    shutil.copytree(CHANGES.parent, folder)
    plan_file = folder / "plan.toml"
    text = plan_file.read_text(encoding="utf-8")
    marketing = text.index("[teams.marketing]")
    text = text[:marketing] + text[marketing:].replace(
        "expected_shared_split = 0.5", "expected_shared_split = 0.7", 1
    )
    if individual:
        text = text.replace('style = "pool"', 'style = "individual"').replace('split = "equal"', "")
    if period != "month":
        text = text.replace("[shared]\n", f'[shared]\nperiod = "{period}"\n', 1)
    plan_file.write_text(text, encoding="utf-8")
    return run(load_plan(plan_file))


@pytest.mark.parametrize("period", ["month", "quarter"])
def test_explain_adds_up_an_individually_funded_movers_shared_part(
    tmp_path: Path, period: str
) -> None:
    """Funded individually, a mover's exact shared part is each team's days at that team's
    shared weight, as the line pays it: in the month of the move, and in the quarter that
    holds it."""
    result = _changes_variant(tmp_path / "plan", individual=True, period=period)
    moved = "2026-07" if period == "month" else "2026-09"
    checked = 0
    for line in result.lines():
        if line.member_id not in {"DM-M03", "DM-S04"} or not line.shared:
            continue
        explanation = explain(result, line.member_id, line.period)
        exact = Fraction(explanation.figure("shared_line", "exact").exact or "")
        assert round_half_up(exact * 100) == line.shared * 100, (line.member_id, line.period)
        in_teams = [
            f.key for f in explanation.step("shared_line").figures if f.key.startswith("target_")
        ]
        if line.member_id == "DM-M03" and str(line.period) == moved:
            assert in_teams == [
                "target_amount",
                "target_amount_in_marketing",
                "target_amount_in_sales",
            ]
        else:
            assert in_teams == ["target_amount"]
        checked += 1
    assert checked >= 4


def test_a_quarter_pays_a_movers_shared_part_each_day_at_its_teams_weight(
    tmp_path: Path,
) -> None:
    """DM-M03 moves from marketing to sales on 15 July, inside Q3: Q3's shared part pays 14
    days at marketing's shared weight and the rest of the quarter at sales', and explain
    shows the weight in each team over the quarter."""
    result = _changes_variant(tmp_path / "plan", individual=False, period="quarter")
    explanation = explain(result, "DM-M03", "2026-09")
    assert explanation.figure("weight", "period_weight_in_marketing").exact == "14/31"
    assert explanation.figure("weight", "period_weight_in_sales").exact == "79/31"
    weights = {w.team: w.nominal for w in result.calibration.weights}
    assert weights["marketing"] > weights["sales"]
    september = next(m for m in result.months if m.month == Month(2026, 9))
    split = next(s for s in september.splits if s.name == "shared")
    weight_of = {p: group.weight for group in split.groups for p in group.positions}
    ids = [m.id for m in result.plan.members]
    # A salesperson all quarter, at sales' weight, and the mover: their weights in the
    # split stand in the ratio of their days, each at its team's shared weight and factor.
    rate = {
        team: weights[team] * september.shared_for(place)
        for place, team in enumerate(t.team for t in result.plan.functional.terms)
    }
    sales = rate["sales"]
    mover = Fraction(14, 31) * rate["marketing"] + Fraction(79, 31) * sales
    ratio = weight_of[ids.index("DM-M03")] / weight_of[ids.index("DM-S01")]
    assert ratio == mover / (3 * sales)
    lines = {line.member_id: line for line in result.lines() if line.period == Month(2026, 9)}
    assert lines["DM-M03"].shared > lines["DM-S01"].shared


def test_a_mover_who_leaves_unpaid_in_the_month_of_the_move_lists_both_teams_goals(
    tmp_path: Path,
) -> None:
    """DM-M03 moves to sales on 15 July and leaves on 20 July; the plan does not pay
    leavers for their exit month, so July pays nothing, and its line still lists the goals
    of both teams DM-M03 was in during July, as any mover's line does."""
    folder = tmp_path / "plan"
    shutil.copytree(CHANGES.parent, folder)
    roster = folder / "data" / "roster.csv"
    text = roster.read_text(encoding="utf-8")
    assert "DM-M03,sales,2026-07-15,," in text
    roster.write_text(
        text.replace("DM-M03,sales,2026-07-15,,", "DM-M03,sales,2026-07-15,2026-07-20,"),
        encoding="utf-8",
    )
    result = run(load_plan(folder / "plan.toml"))
    july = next(
        line
        for line in result.lines()
        if line.member_id == "DM-M03" and line.period == Month(2026, 7)
    )
    assert july.total == 0 and july.weight == 0
    assert [metric for metric, _ in july.functional] == [
        "followed_up_48h",
        "sal_to_sql",
        "leads_accepted",
    ]


def test_a_quarter_pays_days_of_value_in_one_team_at_that_teams_weight(tmp_path: Path) -> None:
    """Split by salary, DM-M03 moves on 15 July to a sales row of salary 0: all of Q3's
    value lies in the 14 days in marketing, which pay at marketing's shared weight (not at
    sales', the team at the quarter's end), as a marketer's days do."""
    folder = tmp_path / "plan"
    shutil.copytree(CHANGES.parent, folder)
    roster = folder / "data" / "roster.csv"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace(
            "DM-M03,sales,2026-07-15,,1,70000.00,", "DM-M03,sales,2026-07-15,,1,0,"
        ),
        encoding="utf-8",
    )
    plan_file = folder / "plan.toml"
    text = plan_file.read_text(encoding="utf-8").replace('split = "equal"', 'split = "salary"')
    marketing = text.index("[teams.marketing]")
    text = text[:marketing] + text[marketing:].replace(
        "expected_shared_split = 0.5", "expected_shared_split = 0.7", 1
    )
    plan_file.write_text(text.replace("[shared]\n", '[shared]\nperiod = "quarter"\n', 1))
    result = run(load_plan(plan_file))
    september = next(m for m in result.months if m.month == Month(2026, 9))
    split = next(s for s in september.splits if s.name == "shared")
    weight_of = {p: group.weight for group in split.groups for p in group.positions}
    ids = [m.id for m in result.plan.members]
    # DM-M01: a marketer all quarter at 105,000.00; DM-M03: 14 days at 66,000.00
    assert result.plan.members[ids.index("DM-M01")].salary == Decimal("105000.00")
    ratio = weight_of[ids.index("DM-M03")] / weight_of[ids.index("DM-M01")]
    assert ratio == Fraction(14, 31) * 66000 / (3 * 105000)


def _members(*mover: Member) -> list[Member]:
    return [
        Member("A", "sales", date(2025, 1, 1), None, D("1")),
        Member("B", "marketing", date(2025, 1, 1), None, D("1")),
        *mover,
    ]


MOVER = (
    Member("M", "marketing", date(2025, 1, 1), date(2026, 2, 28), D("1")),
    Member("M", "sales", date(2026, 3, 1), None, D("1")),
)


def _totals(result: Result) -> dict[str, int]:
    totals: dict[str, int] = {}
    for line in result.lines():
        cents = result.plan.currency.to_minor(line.total)
        totals[line.member_id] = totals.get(line.member_id, 0) + cents
    return totals


def test_a_mover_is_paid_as_anyone_of_the_same_standing() -> None:
    result = run(_plan(_members(*MOVER)))
    assert _totals(result) == {"A": 40000, "B": 40000, "M": 40000}


def test_a_mover_has_one_yearly_cap() -> None:
    result = run(_plan(_members(*MOVER), cap_per_year="250.00"))
    assert _totals(result) == {"A": 25000, "B": 25000, "M": 25000}
    cut = [line.capped for line in result.lines() if line.member_id == "M"]
    assert cut == [D("0.00"), D("0.00"), D("50.00"), D("100.00")]


def test_a_mover_has_one_holdback_paid_at_the_year_end() -> None:
    result = run(_plan(_members(*MOVER), holdback="0.2"))
    settlements = {s.member_id: s for s in result.settlements()}
    assert sorted(settlements) == ["A", "B", "M"]
    mover = settlements["M"]
    assert (mover.status.value, mover.reason, mover.team) == ("paid", "", "sales")
    assert mover.held == settlements["A"].held == D("80.00")


def test_a_gap_between_rows_is_not_leaving() -> None:
    away = (
        Member("M", "sales", date(2025, 1, 1), date(2026, 1, 31), D("1")),
        Member("M", "sales", date(2026, 3, 1), None, D("1")),
    )
    result = run(_plan(_members(*away), holdback="0.2"))
    lines = [line for line in result.lines() if line.member_id == "M"]
    assert [line.total for line in lines] == [D("100.00"), D("0.00"), D("100.00"), D("100.00")]
    assert lines[1].reason.startswith("away from 2026-02-01 to 2026-02-28")
    settlement = next(s for s in result.settlements() if s.member_id == "M")
    assert settlement.status.value == "paid"


# -- rows that cannot make one person: the API -----------------------------------------


def _problems(members: list[Member], **overrides: object) -> list[str]:
    with pytest.raises(PlanError) as raised:
        _plan(members, **overrides)
    return [f"{p.field}: {p.expected}" for p in raised.value.problems]


def test_overlapping_rows_name_both_rows() -> None:
    rows = [
        Member("M", "sales", date(2025, 1, 1), date(2026, 3, 10), D("1")),
        Member("M", "sales", date(2026, 3, 10), None, D("0.5")),
    ]
    assert _problems(_members(*rows)) == [
        "members[3] start: a date after 2026-03-10, the end of members[2], member M's row "
        "before it (a member's rows may not overlap)"
    ]


def test_a_target_bonus_that_funds_and_changes_within_a_month_pays_each_days_amount() -> None:
    rows = [
        Member("M", "sales", date(2025, 1, 1), date(2026, 3, 14), D("1"), None, D("1200")),
        Member("M", "sales", date(2026, 3, 15), None, D("1"), None, D("2400")),
    ]
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1"), None, D("1200")),
        *rows,
    ]
    result = run(_plan(members, funding="individual", scale="1"))
    mover = [line.total for line in result.lines() if line.member_id == "M"]
    # March: (1200 x 14 + 2400 x 17) / 31 / 12 = 154.838..., rounded to the cent
    assert mover == [D("100.00"), D("100.00"), D("154.84"), D("200.00")]


RAISE_IN_Q3 = (
    Member("M", "sales", date(2025, 1, 1), date(2026, 8, 31), D("1"), None, D("1200")),
    Member("M", "sales", date(2026, 9, 1), None, D("1"), None, D("2400")),
)


def _quarterly(**overrides: object) -> Result:
    """July to December 2026 with the shared target over each quarter, every month hit; A
    stands at a target bonus of 1200 throughout, M is raised from 1200 to 2400 on
    1 September, inside Q3."""
    months = [f"2026-{m:02d}" for m in range(7, 13)]
    members = [
        Member("A", "sales", date(2025, 1, 1), None, D("1"), None, D("1200")),
        *RAISE_IN_Q3,
    ]
    overrides = {"start": "2026-07", "months": 6, "period": "quarter", **overrides}
    return run(
        _plan(
            members,
            targets=dict.fromkeys(months, "100"),
            actuals=dict.fromkeys(months, "110"),
            **overrides,
        )
    )


def _shared_by_month(result: Result, member_id: str) -> list[Decimal]:
    return [line.shared for line in result.lines() if line.member_id == member_id]


def test_a_raise_inside_a_quarter_funded_individually_pays_each_days_amount() -> None:
    """Q3 pays (1200 + 1200 + 2400) / 12 = 400.00 at target, the sum of its months as a
    monthly target pays them (100.00, 100.00, 200.00), not 3 x 2400 / 12 = 600.00."""
    quarterly = _quarterly(funding="individual", scale="1")
    monthly = _quarterly(funding="individual", scale="1", period="month")
    assert _shared_by_month(monthly, "M") == [
        D(a) for a in ("100", "100", "200", "200", "200", "200")
    ]
    assert _shared_by_month(quarterly, "M") == [D(a) for a in ("0", "0", "400", "0", "0", "600")]
    assert _shared_by_month(quarterly, "A") == [D(a) for a in ("0", "0", "300", "0", "0", "300")]


def test_a_raise_inside_a_quarter_weighs_each_days_bonus_in_a_pool_split_by_it() -> None:
    """Q3's pool of 300.00 is split 3 x 1200 to 1200 + 1200 + 2400: 128.57 to A, 171.43 to
    M; Q4's 1 to 2, 100.00 and 200.00."""
    result = _quarterly(split="target_bonus")
    assert _shared_by_month(result, "A") == [D(a) for a in ("0", "0", "128.57", "0", "0", "100")]
    assert _shared_by_month(result, "M") == [D(a) for a in ("0", "0", "171.43", "0", "0", "200")]


# -- rows that cannot make one person: the files and the command line ------------------


def test_the_command_line_names_both_lines_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(CHANGES.parent, folder)
    roster = folder / "data" / "roster.csv"
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text.replace("DM-M03,sales,2026-07-15,", "DM-M03,sales,2026-06-15,"))
    assert main(["run", str(folder / "plan.toml"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert (
        "data/roster.csv:15: start: got '2026-06-15', expected a date after 2026-07-14, "
        "the end of line 14, member DM-M03's row before it (a member's rows may not overlap)"
    ) in err
    assert not (tmp_path / "out").exists()


def test_a_move_beside_a_quarterly_shared_target_lists_both_teams_goals(tmp_path: Path) -> None:
    """With the shared target over a quarter the goals are still paid month by month, each
    team's on the days in it: DM-M03's July line lists marketing's goal beside sales', and
    every line's parts add up to it (the marketing part was paid but left off the line)."""
    folder = tmp_path / "quarterly"
    shutil.copytree(CHANGES.parent, folder)
    plan_file = folder / "plan.toml"
    text = plan_file.read_text(encoding="utf-8")
    plan_file.write_text(text.replace("[shared]\n", '[shared]\nperiod = "quarter"\n', 1))
    result = run(load_plan(plan_file))
    july = next(
        line
        for line in result.lines()
        if line.member_id == "DM-M03" and str(line.period) == "2026-07"
    )
    assert [metric for metric, _ in july.functional] == [
        "followed_up_48h",
        "sal_to_sql",
        "leads_accepted",
    ]
    for line in result.lines():
        assert line.total == line.shared + sum(amount for _, amount in line.functional)
    for month in result.months:
        lines = [line for line in result.lines() if line.period == month.month]
        for goal in month.goals:
            # (each metric is one team's goal here)
            paid = sum(dict(line.functional).get(goal.goal.metric, 0) for line in lines)
            assert paid * 100 == goal.pool, (month.month, goal.goal.metric)


def test_explain_takes_each_days_target_bonus_for_a_raise_inside_the_month_or_quarter() -> None:
    """explain's exact amount is the line's: March pays 14 days at 1200 and 17 at 2400;
    Q3 pays two months at 1200 and September at 2400."""
    rows = [
        Member("M", "sales", date(2025, 1, 1), date(2026, 3, 14), D("1"), None, D("1200")),
        Member("M", "sales", date(2026, 3, 15), None, D("1"), None, D("2400")),
    ]
    members = [Member("A", "sales", date(2025, 1, 1), None, D("1"), None, D("1200")), *rows]
    march = explain(run(_plan(members, funding="individual", scale="1")), "M", "2026-03")
    assert march.amount == D("154.84")
    assert march.figure("individual", "exact").exact == "4800/31"  # (1200x14 + 2400x17)/31/12
    assert (
        "each day at the target bonus of its roster row" in march.figure("individual", "exact").how
    )
    q3 = explain(_quarterly(funding="individual", scale="1"), "M", "2026-09")
    assert q3.amount == D("400.00")
    assert q3.figure("individual", "exact").value == "400.00000000"  # not 3 x 2400 / 12
    steady = explain(_quarterly(funding="individual", scale="1"), "A", "2026-09")
    assert steady.figure("individual", "exact").how.startswith(
        "annual target bonus x multiplier / 12 x eligible weight x payout factor = 1200.00 x 1"
    )
