"""Gainsharing plan files: the examples, broken input, and the command line.

Every bad-input case copies ``examples/gainsharing`` to a temporary folder,
breaks one thing, loads the plan and checks the problem it must give: the
file, the line, the field (CSV column or plan setting) and a key phrase of
what was expected.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jointbonus import PlanError, Problem
from jointbonus import gainsharing as gs
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jointbonus.errors import JointBonusError
from jointbonus.gainsharing import (
    Formula,
    GainsharingResult,
    PeriodLength,
    PeriodStatus,
    SettlementStatus,
)

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "gainsharing"
SCANLON = "scanlon.toml"
RUCKER = "rucker_quarterly.toml"
TEXTBOOK = "scanlon_textbook.toml"
ROSTER = "data/roster.csv"
PERIODS = "data/periods.csv"

Corrupt = Callable[[Path], None]


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    return folder


def load_problems(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(PlanError) as caught:
        gs.load_plan(path)
    return caught.value.problems


def sub(name: str, old: str, new: str) -> Corrupt:
    """Replace the first ``old`` in file ``name`` with ``new``."""

    def corrupt(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise LookupError(f"{old!r} is not in {name}")  # a broken test case, not a pass
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return corrupt


def drop_column(name: str, column: str) -> Corrupt:
    def corrupt(folder: Path) -> None:
        path = folder / name
        rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
        index = rows[0].index(column)
        kept = [",".join(row[:index] + row[index + 1 :]) for row in rows]
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")

    return corrupt


def both(*steps: Corrupt) -> Corrupt:
    def corrupt(folder: Path) -> None:
        for step in steps:
            step(folder)

    return corrupt


@dataclass(frozen=True)
class Case:
    id: str
    corrupt: Corrupt
    file: str
    line: int | None
    field: str
    phrase: str
    plan: str = SCANLON


# Scanlon plan file lines: 17 kind, 18 name, 19 currency, 20 start, 21 months, 25 roster.file,
# 29 formula, 30 gainsharing.file, 31 base_period, 32 period, 33 employee_share,
# 34 reserve_share, 35 distribution, 36 holdback. Roster lines: 2 NPC-M01 ... 24 NPC-S05.
# Periods lines: 2 for 2024-01 ... 25 for 2025-12, 26 for 2026-01 ... 37 for 2026-12.
CASES = [
    Case(
        "missing-column",
        drop_column(PERIODS, "cost"),
        PERIODS,
        1,
        "cost",
        "each month's labour cost",
    ),
    Case(
        "header-only",
        lambda folder: (folder / PERIODS).write_text("month,revenue,cost\n", encoding="utf-8"),
        PERIODS,
        2,
        "rows",
        "at least one data row",
    ),
    Case(
        "unknown-column",
        sub(PERIODS, "month,revenue,cost,purchases", "month,revenue,cost,overtime"),
        PERIODS,
        1,
        "header",
        "only the columns month, revenue, cost, purchases",
    ),
    Case(
        "negative-cost",
        sub(PERIODS, "2026-02,526492.67,168221.36", "2026-02,526492.67,-168221.36"),
        PERIODS,
        27,
        "cost",
        "an amount >= 0",
    ),
    Case(
        "text-in-a-number",
        sub(PERIODS, "561857.57", "561.9k"),
        PERIODS,
        26,
        "revenue",
        "decimal number written with digits",
    ),
    Case(
        "more-decimals-than-the-currency",
        sub(PERIODS, "161552.91", "161552.915"),
        PERIODS,
        26,
        "cost",
        "at most 2 decimals (USD)",
    ),
    Case(
        "revenue-without-cost",
        sub(PERIODS, "2026-03,590697.03,167602.55", "2026-03,590697.03,"),
        PERIODS,
        28,
        "cost",
        "revenue and cost together",
    ),
    Case(
        "figures-after-an-unreported-month",
        sub(PERIODS, "2026-03,590697.03,167602.55,259618.56", "2026-03,,,"),
        PERIODS,
        29,
        "revenue",
        "no figures after the unreported month 2026-03",
    ),
    Case(
        "duplicate-month",
        sub(PERIODS, "2026-04,", "2026-03,"),
        PERIODS,
        29,
        "month",
        "each month once (also on line 28)",
    ),
    Case("bad-month", sub(PERIODS, "2026-04,", "April,"), PERIODS, 29, "month", "YYYY-MM"),
    Case(
        "base-period-outside-the-data",
        sub(SCANLON, 'first = "2024-01"', 'first = "2023-07"'),
        SCANLON,
        31,
        "gainsharing.base_period",
        "no line for 2023-07, 2023-08",
    ),
    Case(
        "base-period-overlaps-the-plan-year",
        sub(SCANLON, 'last = "2025-12"', 'last = "2026-03"'),
        SCANLON,
        31,
        "gainsharing.base_period",
        "ends before the plan year starts (2026-01)",
    ),
    Case(
        "base-period-backwards",
        sub(SCANLON, 'first = "2024-01", last = "2025-12"', 'first = "2025-12", last = "2024-01"'),
        SCANLON,
        31,
        "gainsharing.base_period",
        "a last month on or after the first month 2025-12",
    ),
    Case(
        "base-period-without-revenue",
        both(
            sub(
                SCANLON,
                'first = "2024-01", last = "2025-12"',
                'first = "2025-12", last = "2025-12"',
            ),
            sub(PERIODS, "2025-12,554339.30", "2025-12,0.00"),
        ),
        SCANLON,
        31,
        "gainsharing.base_period",
        "a base period whose revenue totals above 0",
    ),
    Case(
        "employee-share-above-one",
        sub(SCANLON, "employee_share = 0.5", "employee_share = 1.5"),
        SCANLON,
        33,
        "gainsharing.employee_share",
        "a share from 0 to 1",
    ),
    Case(
        "reserve-share-below-zero",
        sub(SCANLON, "reserve_share = 0.25", "reserve_share = -0.25"),
        SCANLON,
        34,
        "gainsharing.reserve_share",
        "a share from 0 to 1",
    ),
    Case(
        "holdback-of-one",
        sub(SCANLON, "holdback = 0.1", "holdback = 1"),
        SCANLON,
        36,
        "gainsharing.holdback",
        "a share from 0 to below 1",
    ),
    Case(
        "holdback-below-zero",
        sub(SCANLON, "holdback = 0.1", "holdback = -0.1"),
        SCANLON,
        36,
        "gainsharing.holdback",
        "a share from 0 to below 1",
    ),
    Case(
        "holdback-as-words",
        sub(SCANLON, "holdback = 0.1", 'holdback = "ten percent"'),
        SCANLON,
        36,
        "gainsharing.holdback",
        "a decimal number",
    ),
    Case(
        "holdback-in-a-funding-section-as-for-a-shared-target",
        both(
            sub(SCANLON, "holdback = 0.1", ""),
            lambda folder: (folder / SCANLON).write_text(
                (folder / SCANLON).read_text(encoding="utf-8") + "\n[funding]\nholdback = 0.1\n",
                encoding="utf-8",
            ),
        ),
        SCANLON,
        38,
        "funding",
        "no such setting",
    ),
    Case(
        "unknown-reserve-source",
        sub(TEXTBOOK, 'reserve_from = "gain"', 'reserve_from = "nope"'),
        TEXTBOOK,
        31,
        "gainsharing.reserve_from",
        "'employee_share' or 'gain'",
        plan=TEXTBOOK,
    ),
    Case(
        "reserve-source-as-a-number",
        sub(TEXTBOOK, 'reserve_from = "gain"', "reserve_from = 0.25"),
        TEXTBOOK,
        31,
        "gainsharing.reserve_from",
        "'employee_share' or 'gain'",
        plan=TEXTBOOK,
    ),
    Case(
        "share-as-a-percentage",
        sub(SCANLON, "employee_share = 0.5", 'employee_share = "50%"'),
        SCANLON,
        33,
        "gainsharing.employee_share",
        "a decimal number",
    ),
    Case(
        "unknown-formula",
        sub(SCANLON, 'formula = "scanlon"', 'formula = "improshare"'),
        SCANLON,
        29,
        "gainsharing.formula",
        "'scanlon' or 'rucker'",
    ),
    Case(
        "unknown-distribution",
        sub(SCANLON, 'distribution = "weight"', 'distribution = "seniority"'),
        SCANLON,
        35,
        "gainsharing.distribution",
        "'equal', 'weight' or 'pay'",
    ),
    Case(
        "quarters-in-a-ten-month-year",
        sub(RUCKER, "months = 12", "months = 10"),
        RUCKER,
        14,
        "months",
        "a multiple of 3",
        plan=RUCKER,
    ),
    Case(
        "rucker-without-a-purchases-cell",
        sub(PERIODS, "2024-05,549681.35,165164.61,252510.49", "2024-05,549681.35,165164.61,"),
        PERIODS,
        6,
        "purchases",
        "value added = revenue - purchases",
        plan=RUCKER,
    ),
    Case(
        "rucker-without-purchases",
        drop_column(PERIODS, "purchases"),
        PERIODS,
        1,
        "purchases",
        "each month's purchased materials and services",
        plan=RUCKER,
    ),
    Case(
        "pay-distribution-without-a-salary",
        sub(
            ROSTER, "NPC-P05,production,2016-01-11,,1,64000.00", "NPC-P05,production,2016-01-11,,1,"
        ),
        ROSTER,
        10,
        "salary",
        "an annual salary (gainsharing.distribution is 'pay')",
        plan=RUCKER,
    ),
    Case(
        "fte-above-one",
        sub(ROSTER, "NPC-M04,marketing,2023-06-19,,0.5", "NPC-M04,marketing,2023-06-19,,1.5"),
        ROSTER,
        5,
        "fte",
        "above 0 and at most 1",
    ),
    Case(
        "team-not-in-the-plan",
        sub(ROSTER, "NPC-S02,sales", "NPC-S02,Sales"),
        ROSTER,
        21,
        "team",
        "one of production, sales, marketing",
    ),
    Case(
        "wrong-kind",
        sub(SCANLON, 'kind = "gainsharing"', 'kind = "scanlon"'),
        SCANLON,
        17,
        "kind",
        "'gainsharing'",
    ),
    Case(
        "misspelt-setting",
        sub(SCANLON, "reserve_share = 0.25", "reserve_shar = 0.25"),
        SCANLON,
        28,
        "gainsharing.reserve_share",
        "required",
    ),
    Case(
        "periods-file-outside-the-folder",
        sub(SCANLON, 'file = "data/periods.csv"', 'file = "../periods.csv"'),
        SCANLON,
        30,
        "gainsharing.file",
        "a path inside the plan's folder",
    ),
    Case(
        "missing-periods-file",
        lambda folder: (folder / PERIODS).unlink(),
        SCANLON,
        30,
        "gainsharing.file",
        "an existing file",
    ),
    Case(
        "semicolons",
        sub(PERIODS, "month,revenue,cost,purchases", "month;revenue;cost;purchases"),
        PERIODS,
        1,
        "header",
        "separated by commas, not ';'",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_bad_input(case: Case, plan_dir: Path) -> None:
    case.corrupt(plan_dir)
    problems = load_problems(plan_dir / case.plan)
    matching = [p for p in problems if p.field == case.field]
    assert matching, "\n".join(map(str, problems))
    problem = matching[0]
    assert problem.file == case.file
    assert problem.line == case.line, str(problem)
    assert case.phrase in problem.expected, str(problem)


def test_there_are_at_least_ten_kinds_of_bad_input() -> None:
    assert len(CASES) >= 10


def test_every_problem_is_reported_in_one_pass(plan_dir: Path) -> None:
    sub(SCANLON, "employee_share = 0.5", "employee_share = 2")(plan_dir)
    sub(PERIODS, "161552.91", "-161552.91")(plan_dir)
    sub(ROSTER, "NPC-M04,marketing,2023-06-19,,0.5", "NPC-M04,marketing,2023-06-19,,0")(plan_dir)
    problems = load_problems(plan_dir / SCANLON)
    assert [(p.file, p.line, p.field) for p in problems] == [
        (SCANLON, 33, "gainsharing.employee_share"),
        (ROSTER, 5, "fte"),
        (PERIODS, 26, "cost"),
    ]


def test_a_problem_reads_as_file_line_field_value_expected(plan_dir: Path) -> None:
    sub(PERIODS, "2026-02,526492.67,168221.36", "2026-02,526492.67,-168221.36")(plan_dir)
    (problem,) = load_problems(plan_dir / SCANLON)
    assert str(problem) == "data/periods.csv:27: cost: got '-168221.36', expected an amount >= 0"


def test_a_broken_periods_file_does_not_echo_as_base_period_problems(plan_dir: Path) -> None:
    sub(PERIODS, "2024-05,549681.35", "2024-05,549.7k")(plan_dir)
    problems = load_problems(plan_dir / SCANLON)
    assert [(p.file, p.line, p.field) for p in problems] == [(PERIODS, 6, "revenue")]


# -- the plan kind ------------------------------------------------------------


def test_plan_kind() -> None:
    assert gs.plan_kind(EXAMPLE / SCANLON) == "gainsharing"
    shared = EXAMPLE.parent / "digital_manufacturing" / "plan.toml"
    assert gs.plan_kind(shared) is None
    assert gs.plan_kind(EXAMPLE / "no-such-plan.toml") is None
    assert gs.plan_kind(EXAMPLE / PERIODS) is None  # not TOML


# -- fuzzing the loader -------------------------------------------------------

fuzz = settings(
    deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
PLAN_TEXT = (EXAMPLE / SCANLON).read_text(encoding="utf-8")
CELLS = st.sampled_from(
    ["", "0", "-1", "1.5", "2026-01", "2026-13", "1e9", "NaN", "x", '"', "0.001", "99999999999"]
)


def outcome(name: str, content: bytes) -> str:
    """Load the Scanlon example with ``name`` replaced by ``content`` and pay it if it loads."""
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "plan"
        shutil.copytree(EXAMPLE, folder)
        (folder / name).write_bytes(content)
        try:
            result = gs.run(gs.load_plan(folder / SCANLON))
        except PlanError as error:
            assert error.problems
            assert all(problem.expected for problem in error.problems)
            return "PlanError"
        except JointBonusError as error:
            return type(error).__name__
        gs.render_table(result)
        gs.render_json(gs.result_document(result))
        return "paid"


@fuzz
@given(st.sampled_from([SCANLON, ROSTER, PERIODS]), st.binary(max_size=300))
def test_any_bytes_load_or_give_a_plan_error(name: str, content: bytes) -> None:
    assert outcome(name, content) in {"paid", "PlanError"}


@fuzz
@given(
    st.lists(
        st.tuples(st.sampled_from(["2024-01", "2025-12", "2026-01", "2026-06"]), CELLS, CELLS),
        max_size=6,
    )
)
def test_periods_shaped_text_loads_or_gives_a_plan_error(rows: list[tuple[str, str, str]]) -> None:
    text = "month,revenue,cost\n" + "".join(f"{m},{r},{c}\n" for m, r, c in rows)
    assert outcome(PERIODS, text.encode()) in {"paid", "PlanError"}


@fuzz
@given(
    st.sampled_from(
        [
            "employee_share = 0.5",
            'period = "month"',
            "months = 12",
            'start = "2026-01"',
            "holdback = 0.1",
            "reserve_share = 0.25",
        ]
    ),
    st.sampled_from(
        [
            "",
            'reserve_share = 0.25\nreserve_from = "gain"',
            'reserve_share = 0.25\nreserve_from = "Gain"',
            "reserve_share = 0.25\nreserve_from = []",
            "x = 1",
            "employee_share = []",
            "period = 3",
            "months = 1e3",
            "[x]",
            "holdback = 0.99",
            "holdback = 1e-9",
            'holdback = "NaN"',
        ]
    ),
)
def test_plan_settings_load_or_give_a_plan_error(old: str, new: str) -> None:
    text = PLAN_TEXT.replace(old, new, 1)
    assert outcome(SCANLON, text.encode()) in {"paid", "PlanError"}


# -- the examples -------------------------------------------------------------


def run_example(name: str) -> GainsharingResult:
    return gs.run(gs.load_plan(EXAMPLE / name))


@pytest.mark.parametrize("name", [SCANLON, RUCKER, TEXTBOOK])
def test_example_runs_and_adds_up(name: str) -> None:
    result = run_example(name)
    currency = result.plan.currency
    for period in result.periods:
        lines = [line for line in result.lines() if line.period == period.period]
        assert len(lines) == len(result.plan.members)
        assert sum(currency.to_minor(line.amount) for line in lines) == period.paid
    s = result.summary
    settled = result.settlement
    assert settled.status is SettlementStatus.SETTLED
    # Every cent of the net gain: to the employees, to the company, or absorbed by it.
    assert s.net_gain == (
        s.paid_now
        + s.holdback_paid
        + s.holdback_forfeited
        + settled.paid
        + s.company_share
        + settled.company_share
        + settled.returned
        - settled.absorbed
    )
    paid_at_year_end = sum(currency.to_minor(line.amount) for line in result.settlement_lines())
    assert paid_at_year_end == settled.paid
    held = sum(currency.to_minor(s.paid + s.forfeited) for s in result.holdback_settlements())
    assert s.paid_in_periods == s.paid_now + held
    assert gs.render_table(result).endswith("\n")


def test_scanlon_example_has_two_years_of_base_a_deficit_month_and_gains() -> None:
    result = run_example(SCANLON)
    plan = result.plan
    assert plan.formula is Formula.SCANLON
    assert plan.period_length is PeriodLength.MONTH
    assert (str(plan.base.first), str(plan.base.last), plan.base.months) == (
        "2024-01",
        "2025-12",
        24,
    )
    assert len(result.periods) == 12
    assert all(p.status is PeriodStatus.PAID for p in result.periods)
    deficits = [p.period.label for p in result.periods if p.gain < 0]
    assert deficits == ["2026-02", "2026-08"]
    assert result.summary.gain_periods == 10
    # Two deficits use up more than the reserve held: the company absorbs the rest.
    assert result.settlement.reserve < 0
    assert result.settlement.absorbed == -result.settlement.reserve
    assert result.settlement.paid == 0


def test_scanlon_example_holds_a_tenth_back_and_pays_it_whatever_the_reserve() -> None:
    result = run_example(SCANLON)
    plan = result.plan
    assert plan.holdback == Decimal("0.1")
    settled = {s.member_id: s for s in result.holdback_settlements()}
    # The reserve ends below zero, yet those in the plan at year end get what was held.
    assert result.settlement.absorbed > 0
    assert settled["NPC-S05"].status is gs.HoldbackStatus.PAID  # left on 2026-12-31
    assert settled["NPC-S05"].paid > 0
    # The members who left on 2026-09-18 and 2026-06-30 forfeit theirs to the company.
    assert (settled["NPC-P09"].held, settled["NPC-P09"].forfeited) == (
        Decimal("106.71"),
        Decimal("106.71"),
    )
    assert settled["NPC-S04"].forfeited == Decimal("95.21")
    s = result.summary
    assert (s.held_back, s.holdback_paid, s.holdback_forfeited) == (366360, 346168, 20192)
    assert s.paid_total == 3643408


def test_rucker_example_has_no_holdback() -> None:
    result = run_example(RUCKER)
    assert result.plan.holdback == 0
    assert list(result.holdback_settlements()) == []


def test_rucker_example_pays_by_quarter_and_settles_a_positive_reserve() -> None:
    result = run_example(RUCKER)
    plan = result.plan
    assert plan.formula is Formula.RUCKER
    assert [p.label for p in plan.periods] == [
        "Q1 2026-01..2026-03",
        "Q2 2026-04..2026-06",
        "Q3 2026-07..2026-09",
        "Q4 2026-10..2026-12",
    ]
    # The quarters net February's and August's bad months against the others.
    assert all(p.gain > 0 for p in result.periods)
    assert result.settlement.paid == result.settlement.reserve > 0


def test_textbook_example_takes_the_reserve_from_the_whole_gain() -> None:
    result = run_example(TEXTBOOK)
    plan = result.plan
    assert plan.reserve_from is gs.ReserveSource.GAIN
    assert (plan.employee_share, plan.reserve_share) == (Decimal("0.75"), Decimal("0.25"))
    january, february = result.periods[0], result.periods[1]
    # January's gain of 7,929.72: 1,982.43 to the reserve first, then 75% of the other
    # 5,947.29 (4,460.4675) is the employees' 4,460.47; the company keeps 1,486.82.
    assert (january.gain, january.to_reserve) == (792972, 198243)
    assert (january.employee_share, january.company_share) == (446047, 148682)
    # February's deficit of 9,406.44 comes out of the reserve in full.
    assert (february.from_reserve, february.employee_share, february.reserve) == (
        940644,
        0,
        198243 - 940644,
    )
    # The same people and figures as scanlon.toml, whose reserve (from the employees' half)
    # ends at -706.60: twice that comes off the whole gain here, and the company absorbs it.
    assert run_example(SCANLON).settlement.reserve == -70660
    assert (result.settlement.reserve, result.settlement.absorbed) == (-141320, 141320)
    assert (result.settlement.paid, result.settlement.company_share) == (0, 0)


def test_the_examples_that_do_not_say_take_the_reserve_from_the_employee_share() -> None:
    for name, reserve, paid_total in ((SCANLON, -70660, 3643408), (RUCKER, 1301711, 6508554)):
        result = run_example(name)
        assert "reserve_from" not in (EXAMPLE / name).read_text(encoding="utf-8")
        assert result.plan.reserve_from is gs.ReserveSource.EMPLOYEE_SHARE
        # The figures docs/gainsharing.md gives for them.
        assert (result.settlement.reserve, result.summary.paid_total) == (reserve, paid_total)
        assert result.settlement.company_share == result.summary.settlement_company_share == 0
        assert "reserve_from" not in gs.result_document(result)["plan"]


def test_example_leavers_and_joiners() -> None:
    result = run_example(RUCKER)
    year_end = {line.member_id: line for line in result.settlement_lines()}
    assert not year_end["NPC-P09"].eligible  # left 2026-09-18
    assert year_end["NPC-P09"].amount == 0
    assert not year_end["NPC-S04"].eligible  # left 2026-06-30
    assert year_end["NPC-S05"].eligible and year_end["NPC-S05"].amount > 0  # left 2026-12-31
    assert year_end["NPC-P14"].eligible and year_end["NPC-P14"].amount > 0  # joined 2026-11-02
    q3 = {line.member_id: line for line in result.lines() if line.period.number == 3}
    assert q3["NPC-P09"].amount == 0
    assert "before the quarter ended" in q3["NPC-P09"].reason
    q2 = {line.member_id: line for line in result.lines() if line.period.number == 2}
    assert q2["NPC-S04"].amount > 0  # left on the quarter's last day: paid for it
    assert q2["NPC-P13"].weight < 1  # joined 2026-04-13


# -- the command line ---------------------------------------------------------


def test_run_prints_the_gainsharing_tables(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", str(plan_dir / SCANLON), "--details"]) == EXIT_OK
    out, err = capsys.readouterr()
    assert err == ""
    for heading in ("Plan summary", "Periods", "Year-end settlement", "Statements"):
        assert f"\n{heading}\n" in out
    assert "Base ratio: labour cost / revenue over 2024-01 to 2025-12 (24 months)" in out
    assert "nothing is clawed back" in out


def test_run_prints_json(plan_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(plan_dir / RUCKER), "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out, parse_float=Decimal)
    assert list(document) == [
        "plan",
        "summary",
        "periods",
        "settlement",
        "lines",
        "settlement_lines",
    ]
    assert document["plan"]["kind"] == "gainsharing"
    assert document["plan"]["period"] == "quarter"
    assert len(document["periods"]) == 4
    assert len(document["lines"]) == 4 * document["plan"]["members"]
    paid = sum(Decimal(line["amount"]) for line in document["settlement_lines"])
    assert paid == Decimal(document["settlement"]["paid"])


def test_run_out_writes_the_gainsharing_files(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = plan_dir / "results"
    assert main(["run", str(plan_dir / SCANLON), "--out", str(out)]) == EXIT_OK
    capsys.readouterr()
    assert sorted(p.name for p in out.iterdir()) == [
        "lines.csv",
        "manifest.json",
        "periods.csv",
        "result.json",
        "settlement.csv",
    ]


def test_calibrate_refuses_a_gainsharing_plan(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["calibrate", str(plan_dir / SCANLON)]) == EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == ""
    assert "`jointbonus calibrate` applies to shared-target plans" in err
    assert f"use `jointbonus run {plan_dir / SCANLON}`" in err


def test_bad_gainsharing_input_exits_2_listing_every_problem(
    plan_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sub(SCANLON, "employee_share = 0.5", "employee_share = 2")(plan_dir)
    sub(PERIODS, "161552.91", "-161552.91")(plan_dir)
    out_dir = plan_dir / "results"
    code = main(["run", str(plan_dir / SCANLON), "--out", str(out_dir)])
    out, err = capsys.readouterr()
    assert code == EXIT_BAD_INPUT
    assert out == ""
    assert "2 problems in the plan" in err
    assert "scanlon.toml:33: gainsharing.employee_share: got Decimal('2')" not in err
    assert "scanlon.toml:33: gainsharing.employee_share: got 2, expected a share" in err
    assert "data/periods.csv:26: cost: got '-161552.91', expected an amount >= 0" in err
    assert "Traceback" not in err
    assert not out_dir.exists()


def test_output_is_byte_identical_whatever_the_hash_seed(plan_dir: Path) -> None:
    outputs = set()
    for seed in ("0", "1"):
        completed = subprocess.run(
            [sys.executable, "-m", "jointbonus", "run", RUCKER, "--format", "json"],
            capture_output=True,
            cwd=plan_dir,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=120,
            check=True,
        )
        outputs.add(completed.stdout)
    assert len(outputs) == 1


def test_the_command_runs_a_gainsharing_plan_as_a_process(plan_dir: Path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "jointbonus", "run", SCANLON, "--format", "json"],
        capture_output=True,
        text=True,
        cwd=plan_dir,
        timeout=120,
        check=False,
    )
    assert completed.returncode == EXIT_OK, completed.stderr
    assert json.loads(completed.stdout)["plan"]["formula"] == "scanlon"
