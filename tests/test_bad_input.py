"""Broken input, one kind at a time: each gives one clear problem, located.

Every case copies the Digital Manufacturing example to a temporary folder,
breaks one thing, loads the plan and checks the problem it must give: the
file, the line, the field (CSV column or plan setting) and a key phrase of
what was expected.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import pytest

from jointbonus import (
    CalibrationError,
    D,
    FloatMoneyError,
    HistoryMonth,
    Member,
    Month,
    PlanError,
    StepCurve,
    calibrate,
    load_plan,
    run,
)
from jointbonus.cli import EXIT_BAD_INPUT, main
from jointbonus.errors import JointBonusError, Problem
from jointbonus.io import reading as inputs_module
from jointbonus.io.render import render_json
from jointbonus.sharedtarget.build import build_plan
from jointbonus.sharedtarget.report.documents import result_document
from test_loader_goals import write_goal_plan

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "one_lifeboat"
PLAN = "plan.toml"
ROSTER = "data/roster.csv"
MONTHS = "data/plan_months.csv"
HISTORY = "data/history.csv"

Corrupt = Callable[[Path], None]


@pytest.fixture
def plan_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    return folder


def load_problems(folder: Path) -> tuple[Problem, ...]:
    with pytest.raises(PlanError) as caught:
        load_plan(folder / PLAN)
    return caught.value.problems


# -- ways to break a copy of the example --------------------------------------


def sub(name: str, old: str, new: str) -> Corrupt:
    """Replace the first ``old`` in file ``name`` with ``new``."""

    def corrupt(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        if old not in text:
            raise LookupError(f"{old!r} is not in {name}")  # a broken test case, not a pass
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return corrupt


def toml(old: str, new: str) -> Corrupt:
    return sub(PLAN, old, new)


def put(name: str, content: bytes) -> Corrupt:
    def corrupt(folder: Path) -> None:
        (folder / name).write_bytes(content)

    return corrupt


def recode(name: str, change: Callable[[bytes], bytes]) -> Corrupt:
    def corrupt(folder: Path) -> None:
        path = folder / name
        path.write_bytes(change(path.read_bytes()))

    return corrupt


def edit_table(name: str, change: Callable[[list[list[str]]], list[list[str]]]) -> Corrupt:
    """Rewrite the CSV file ``name`` through ``change`` (a list of rows, header first)."""

    def corrupt(folder: Path) -> None:
        path = folder / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(change(rows))
        path.write_text(out.getvalue(), encoding="utf-8")

    return corrupt


def drop_column(name: str, column: str) -> Corrupt:
    def change(rows: list[list[str]]) -> list[list[str]]:
        index = rows[0].index(column)
        return [row[:index] + row[index + 1 :] for row in rows]

    return edit_table(name, change)


def add_column(name: str, column: str, value: str) -> Corrupt:
    return edit_table(name, lambda rows: [[*rows[0], column], *[[*r, value] for r in rows[1:]]])


def delimited(name: str, delimiter: str) -> Corrupt:
    def corrupt(folder: Path) -> None:
        path = folder / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8")

    return corrupt


def delete(name: str) -> Corrupt:
    def corrupt(folder: Path) -> None:
        (folder / name).unlink()

    return corrupt


def folder_instead(name: str) -> Corrupt:
    def corrupt(folder: Path) -> None:
        (folder / name).unlink()
        (folder / name).mkdir()

    return corrupt


def delete_line(name: str, starting: str) -> Corrupt:
    def change(rows: list[list[str]]) -> list[list[str]]:
        kept = [row for row in rows if not ",".join(row).startswith(starting)]
        if len(kept) != len(rows) - 1:
            raise LookupError(f"no single line starting {starting!r} in {name}")
        return kept

    return edit_table(name, change)


def blank_cell(name: str, key: str, column: int) -> Corrupt:
    def change(rows: list[list[str]]) -> list[list[str]]:
        return [[*row[:column], "", *row[column + 1 :]] if row[0] == key else row for row in rows]

    return edit_table(name, change)


def set_cell(name: str, month: str, column: str, value: str) -> Corrupt:
    """Write ``value`` in ``column`` on the line of ``month`` in the CSV file ``name``."""

    def change(rows: list[list[str]]) -> list[list[str]]:
        index = rows[0].index(column)
        found = [row for row in rows if row[0] == month]
        if len(found) != 1:
            raise LookupError(f"no single line of {month} in {name}")
        found[0][index] = value
        return rows

    return edit_table(name, change)


def rename_columns(name: str, old: str, new: str) -> Corrupt:
    """Rename the columns of ``name`` that begin with ``old``."""
    return edit_table(
        name,
        lambda rows: [
            [new + c.removeprefix(old) if c.startswith(old) else c for c in rows[0]],
            *rows[1:],
        ],
    )


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
    count: int = 1
    """How many problems the corruption gives in all."""
    goals: bool = False
    """Break the plan with functional goals (test_loader_goals.py) instead of the example."""


# Roster lines: 2 DM-S01 ... 10 DM-S09, 11 DM-M01 ... 16 DM-M06.
# Plan month lines: 2 for 2026-01 ... 13 for 2026-12.
# History lines: 2 for 2023-01 ... 37 for 2025-12.
# Plan file lines: 12 start, 13 months, 17 roster.file, 18 pay_leavers...,
# 22 shared.file, 23 shared.curve, 30 history.file, 31 history.norm, 35 budget.
CASES = [
    # -- CSV structure --------------------------------------------------------
    Case("missing-column", drop_column(ROSTER, "fte"), ROSTER, 1, "header", "required column fte"),
    Case(
        "unknown-column",
        add_column(ROSTER, "bonus_pct", "5"),
        ROSTER,
        1,
        "header",
        "only the columns id, team",
    ),
    Case("duplicate-column", add_column(MONTHS, "target", "1"), MONTHS, 1, "header", "once"),
    Case("empty-file", put(ROSTER, b""), ROSTER, 1, "header", "a header line: id,team,start"),
    Case(
        "blank-file",
        put(HISTORY, b"\n  \n\n"),
        HISTORY,
        1,
        "header",
        "a header line: month,actual",
    ),
    Case("header-only", put(MONTHS, b"month,target,actual\n"), MONTHS, 2, "rows", "at least one"),
    Case(
        "semicolon-delimited",
        delimited(ROSTER, ";"),
        ROSTER,
        1,
        "header",
        "separated by commas, not ';'",
    ),
    Case(
        "tab-delimited",
        delimited(HISTORY, "\t"),
        HISTORY,
        1,
        "header",
        "separated by commas, not '\\t'",
    ),
    Case(
        "not-utf-8",
        recode(ROSTER, lambda raw: raw.replace(b"DM-S03", "DM-Sü3".encode("latin-1"))),
        ROSTER,
        4,
        "encoding",
        "UTF-8 text",
    ),
    Case(
        "utf-16",
        recode(MONTHS, lambda raw: raw.decode("utf-8").encode("utf-16")),
        MONTHS,
        1,
        "encoding",
        "UTF-8 text",
    ),
    Case(
        "nul-byte",
        recode(ROSTER, lambda raw: raw.replace(b"DM-S04", b"DM-\x00S04")),
        ROSTER,
        5,
        "encoding",
        "without NUL bytes",
    ),
    Case("too-many-cells", sub(ROSTER, "16800.00", "16800.00,1"), ROSTER, 2, "row", "7 cells"),
    Case("too-few-cells", sub(MONTHS, "2026-04,1286000,1343948", "2026-04"), MONTHS, 5, "row", "3"),
    Case(
        "unclosed-quote",
        sub(HISTORY, "2025-12,", '2025-12,"1'),
        HISTORY,
        37,
        "row",
        "well-formed CSV",
    ),
    # -- roster cells ---------------------------------------------------------
    Case("bad-date", sub(ROSTER, "2020-06-15", "15/06/2020"), ROSTER, 3, "start", "YYYY-MM-DD"),
    Case(
        "impossible-date",
        sub(ROSTER, "2026-07-15", "2026-02-30"),
        ROSTER,
        10,
        "start",
        "a real calendar date",
    ),
    Case(
        "end-before-start",
        sub(ROSTER, "2023-11-13,2026-05-20", "2023-11-13,2023-01-31"),
        ROSTER,
        15,
        "end",
        "on or after start 2023-11-13",
    ),
    Case(
        "overlapping-rows-of-one-member",
        sub(ROSTER, "DM-S03,", "DM-S02,"),
        ROSTER,
        4,
        "start",
        "no row overlapping line 3, member DM-S02's row from 2020-06-15 with no end date",
    ),
    Case(
        "overlapping-bounded-rows-of-one-member",
        sub(
            ROSTER,
            "DM-M03,marketing,2022-08-22,,",
            "DM-M03,marketing,2022-08-22,2026-07-31,1,66000.00,9900.00\nDM-M03,sales,2026-07-31,,",
        ),
        ROSTER,
        14,
        "start",
        "a date after 2026-07-31, the end of line 13, member DM-M03's row before it",
    ),
    Case(
        "unknown-team-on-a-later-row",
        sub(
            ROSTER,
            "DM-M03,marketing,2022-08-22,,",
            "DM-M03,marketing,2022-08-22,2026-06-30,1,66000.00,9900.00\n"
            "DM-M03,field sales,2026-07-01,,",
        ),
        ROSTER,
        14,
        "team",
        "one of sales, marketing",
    ),
    Case("missing-id", sub(ROSTER, "DM-S05,", ","), ROSTER, 6, "id", "required"),
    Case("fte-zero", sub(ROSTER, ",0.6,", ",0,"), ROSTER, 14, "fte", "above 0 and at most 1"),
    Case("fte-above-one", sub(ROSTER, ",0.6,", ",1.5,"), ROSTER, 14, "fte", "at most 1"),
    Case(
        "fte-too-many-decimals",
        sub(ROSTER, ",0.6,", ",0.6000001,"),
        ROSTER,
        14,
        "fte",
        "at most 6 decimals",
    ),
    Case("fte-percent", sub(ROSTER, ",0.6,", ",60%,"), ROSTER, 14, "fte", "write 0.6 for 60%"),
    Case("fte-text", sub(ROSTER, ",0.6,", ",full,"), ROSTER, 14, "fte", "a fraction such as 0.8"),
    Case(
        "text-in-a-number",
        sub(ROSTER, "78000.00", "78k"),
        ROSTER,
        3,
        "salary",
        "decimal number written with digits",
    ),
    Case(
        "thousands-separator",
        sub(ROSTER, "78000.00", '"78,000.00"'),
        ROSTER,
        3,
        "salary",
        "no thousands separators",
    ),
    Case("negative-salary", sub(ROSTER, "78000.00", "-78000"), ROSTER, 3, "salary", ">= 0"),
    Case(
        "more-decimals-than-the-currency",
        sub(ROSTER, "78000.00", "100.123"),
        ROSTER,
        3,
        "salary",
        "at most 2 decimals (USD)",
    ),
    Case(
        "unknown-team",
        sub(ROSTER, "DM-S04,sales", "DM-S04,Sales"),
        ROSTER,
        5,
        "team",
        "one of sales, marketing",
    ),
    Case(
        "unknown-team-of-an-id-with-spaces",
        sub(ROSTER, "DM-S04,sales", '"DM S04, North",Sales'),
        ROSTER,
        5,
        "team",
        "one of sales, marketing",
    ),
    Case(
        "salary-missing-for-a-salary-split",
        both(toml('split = "equal"', 'split = "salary"'), sub(ROSTER, "78000.00", "")),
        ROSTER,
        3,
        "salary",
        "the pool splits by salary",
    ),
    Case(
        "huge-number",
        sub(ROSTER, "78000.00", "1" + "0" * 30),
        ROSTER,
        3,
        "salary",
        "below 10^18",
    ),
    Case(
        "excel-scientific",
        sub(ROSTER, "78000.00", "1.23457E+11"),
        ROSTER,
        3,
        "salary",
        "scientific notation, as Excel writes long numbers",
    ),
    Case("leading-point", sub(ROSTER, "78000.00", ".5"), ROSTER, 3, "salary", "such as 0.5"),
    # -- plan months ----------------------------------------------------------
    Case("target-zero", sub(MONTHS, "1338000", "0"), MONTHS, 4, "target", "a number above 0"),
    Case("target-negative", sub(MONTHS, "1338000", "-5"), MONTHS, 4, "target", "above 0"),
    Case("negative-actual", sub(MONTHS, "1246127", "-1246127"), MONTHS, 3, "actual", ">= 0"),
    Case("bad-month", sub(MONTHS, "2026-03,", "March 2026,"), MONTHS, 4, "month", "YYYY-MM"),
    Case(
        "duplicated-month",
        sub(MONTHS, "2026-03,1338000,1437643\n", "2026-03,1338000,1437643\n" * 2),
        MONTHS,
        5,
        "month",
        "each month once (also on line 4)",
    ),
    Case(
        "months-out-of-order",
        sub(
            MONTHS,
            "2026-05,1312000,1277085\n2026-06,1363000,1400541\n",
            "2026-06,1363000,1400541\n2026-05,1312000,1277085\n",
        ),
        MONTHS,
        7,
        "month",
        "a month after 2026-06 on line 6 (months in date order)",
    ),
    Case(
        "month-outside-the-plan",
        sub(MONTHS, "2026-12,1299000,\n", "2026-12,1299000,\n2027-01,1300000,\n"),
        MONTHS,
        14,
        "month",
        "a month of the plan (2026-01 to 2026-12)",
    ),
    Case(
        "actual-after-a-pending-month",
        sub(MONTHS, "2026-12,1299000,", "2026-12,1299000,1400000"),
        MONTHS,
        13,
        "actual",
        "no actual after the pending month 2026-11",
    ),
    Case(
        "no-target-under-the-targets-norm",
        sub(MONTHS, "2026-05,1312000,", "2026-05,,"),
        MONTHS,
        6,
        "target",
        "a target for every plan month",
    ),
    # -- history --------------------------------------------------------------
    Case(
        "gap-in-history",
        delete_line(HISTORY, "2024-06,"),
        HISTORY,
        19,
        "month",
        "2024-06, the month after 2024-05 on line 18 (months in order, without gaps)",
    ),
    Case(
        "history-too-short-for-the-window",
        toml('norm = "targets"', 'norm = "trailing_mean"\nwindow = 36'),
        HISTORY,
        None,
        "history",
        "needs more than 36 months of history, got 36",
    ),
    Case(
        "history-target-missing-under-the-targets-norm",
        sub(HISTORY, "2023-07,860125,987000,", "2023-07,860125,,"),
        HISTORY,
        8,
        "target",
        "history.norm is 'targets'",
    ),
    Case(
        "budget-from-history-with-a-missing-paid",
        blank_cell(HISTORY, "2024-02", 3),
        HISTORY,
        15,
        "paid",
        "calibration.budget is 'from_history'",
    ),
    # -- files named by the plan ----------------------------------------------
    Case(
        "path-outside-the-plan-folder",
        toml('file = "data/roster.csv"', 'file = "../x.csv"'),
        PLAN,
        17,
        "roster.file",
        "a path inside the plan's folder",
    ),
    Case(
        "absolute-path-elsewhere",
        toml('file = "data/history.csv"', 'file = "/etc/hostname"'),
        PLAN,
        30,
        "history.file",
        "inside the plan's folder",
    ),
    Case("missing-file", delete(HISTORY), PLAN, 30, "history.file", "an existing file"),
    Case(
        "directory-instead-of-a-file",
        folder_instead(MONTHS),
        PLAN,
        22,
        "shared.file",
        "a file, not a folder",
    ),
    # -- the plan file --------------------------------------------------------
    Case("bad-toml-syntax", toml("months = 12", "months = 12 12"), PLAN, 13, "plan", "valid TOML"),
    Case(
        "unknown-toml-key",
        toml("pay_leavers_for_exit_month =", "pay_leavers_for_exit_mnth ="),
        PLAN,
        18,
        "roster.pay_leavers_for_exit_mnth",
        "check its spelling",
    ),
    Case(
        "missing-section",
        toml("[calibration]", "[calibrations]"),
        PLAN,
        None,
        "calibration",
        "required",
        count=2,  # and calibrations is not a known section
    ),
    Case(
        "wrong-type",
        toml("months = 12", 'months = "twelve"'),
        PLAN,
        13,
        "months",
        "a whole number",
    ),
    Case("too-many-months", toml("months = 12", "months = 1200"), PLAN, 13, "months", "120"),
    Case(
        "plan-start-not-a-month",
        toml('start = "2026-01"', 'start = "2026-1"'),
        PLAN,
        12,
        "start",
        "YYYY-MM",
    ),
    Case(
        "curve-that-decreases",
        toml(
            'curve = { type = "step", threshold = 1.00 }',
            'curve = { type = "linear", points = [[0.9, 1], [1.0, 0.5]] }',
        ),
        PLAN,
        23,
        "shared.curve",
        "a payout curve never decreases",
    ),
    Case(
        "linear-curve-without-points",
        toml('curve = { type = "step", threshold = 1.00 }', 'curve = { type = "linear" }'),
        PLAN,
        23,
        "shared.curve",
        "a linear curve needs points",
    ),
    Case(
        "unknown-curve-type",
        toml('type = "step"', 'type = "stairs"'),
        PLAN,
        23,
        "shared.curve.type",
        "'step' or 'linear'",
    ),
    Case(
        "unknown-currency-without-minor-unit",
        toml('currency = "USD"', 'currency = "XBT"'),
        PLAN,
        11,
        "currency",
        "or give the plan's minor_unit",
    ),
    Case(
        "lowercase-currency",
        toml('currency = "USD"', 'currency = "usd"'),
        PLAN,
        11,
        "currency",
        "three capital letters",
    ),
    Case(
        "unknown-norm",
        toml('norm = "targets"', 'norm = "average"'),
        PLAN,
        31,
        "history.norm",
        "'targets', 'same_month_mean' or 'trailing_mean'",
    ),
    Case(
        "budget-with-too-many-decimals",
        toml('budget = "from_history"', "budget = 138000.125"),
        PLAN,
        35,
        "calibration.budget",
        "at most 2 decimals",
    ),
    Case(
        "budget-zero",
        toml('budget = "from_history"', "budget = 0"),
        PLAN,
        35,
        "calibration.budget",
        "an amount above 0",
    ),
]


def test_there_are_at_least_thirty_kinds_of_broken_input() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


# The plan with goals (tests/test_loader_goals.py). Plan file lines: 6 [teams.marketing],
# 7 its expected_shared_split, 9 its goal's metric, 10 weight; 13 [teams.sales], 14 its
# expected_shared_split, 15 its first [[teams.sales.goals]], 16 metric, 18 curve, 21
# the second goal's weight; 24 [metrics.followed_up_48h]; 47 functional_gate,
# 48 shared_gate; 51 per_month, 52 per_year (the last line).
# Plan month lines: 2 for 2026-01 ... 13 for 2026-12 (actuals up to 2026-06).
# History lines: 2 for 2024-01 ... 25 for 2025-12.
MARKETING_GOAL = (
    'weight = 1\ncurve = { type = "linear", points = [[0.8, 0.5], [1.0, 1.0], [1.2, 1.5]] }\n'
)
SALES_SPLIT = "[teams.sales]\nexpected_shared_split = 0.5\n"
GOAL_CASES = [
    Case(
        "goal-weights-not-adding-to-1",
        toml(
            'weight = 0.5\ncurve = { type = "step", threshold = 0.95 }',
            'weight = 0.4\ncurve = { type = "step", threshold = 0.95 }',
        ),
        PLAN,
        15,
        "teams.sales.goals",
        "goal weights that add to 1 within the team",
    ),
    Case(
        "goal-weight-above-1",
        toml("weight = 1\n", "weight = 1.5\n"),
        PLAN,
        10,
        "teams.marketing.goals[0].weight",
        "a weight above 0, at most 1",
    ),
    Case(
        "both-shared-weight-and-expected-split",
        toml(SALES_SPLIT, "[teams.sales]\nshared_weight = 0.5\nexpected_shared_split = 0.5\n"),
        PLAN,
        15,
        "teams.sales.expected_shared_split",
        "either shared_weight (the nominal weight) or expected_shared_split",
    ),
    Case(
        "team-with-goals-but-no-weight",
        toml(SALES_SPLIT, "[teams.sales]\n"),
        PLAN,
        13,
        "teams.sales",
        "shared_weight (such as 0.5) or expected_shared_split (such as 0.5) for a team with",
    ),
    Case(
        "shared-weight-above-1",
        toml("expected_shared_split = 0.5", "shared_weight = 1.5"),
        PLAN,
        7,
        "teams.marketing.shared_weight",
        "a share from 0 to 1",
    ),
    Case(
        "unknown-metric-in-a-goal",
        toml(
            MARKETING_GOAL,
            MARKETING_GOAL.replace("weight = 1", "weight = 0.5")
            + '[[teams.marketing.goals]]\nmetric = "demos_booked"\nweight = 0.5\n'
            'curve = { type = "step" }\n',
        ),
        PLAN,
        13,
        "teams.marketing.goals[1].metric",
        "a metric with values in data/history.csv or data/plan_months.csv "
        "(columns demos_booked_actual, demos_booked_target)",
    ),
    Case(
        "metric-name-with-capitals",
        both(
            toml('metric = "leads_accepted"', 'metric = "Leads_Accepted"'),
            rename_columns(MONTHS, "leads_accepted_", "Leads_Accepted_"),
            rename_columns(HISTORY, "leads_accepted_", "Leads_Accepted_"),
        ),
        PLAN,
        9,
        "teams.marketing.goals[0].metric",
        "a metric name of lower-case letters, digits and '_', starting with a letter",
    ),
    Case(
        "metric-table-name-with-capitals",
        toml("[metrics.followed_up_48h]", "[metrics.Followed_Up_48h]"),
        PLAN,
        24,
        "metrics.Followed_Up_48h",
        "a metric name of lower-case letters",
    ),
    Case(
        "metric-table-no-goal-uses",
        toml(
            'per_year = "15000.00"\n', 'per_year = "15000.00"\n\n[metrics.pipeline]\nuplift = 0\n'
        ),
        PLAN,
        54,
        "metrics.pipeline",
        "a metric some team's goal measures (leads_accepted, followed_up_48h, sal_to_sql)",
    ),
    Case(
        "metric-norm-unknown",
        toml('norm = "same_month_mean"', 'norm = "median"'),
        PLAN,
        29,
        "metrics.sal_to_sql.norm",
        "'targets', 'same_month_mean' or 'trailing_mean'",
    ),
    Case(
        "goal-curve-that-decreases",
        toml(
            'curve = { type = "step", threshold = 1.0 }',
            'curve = { type = "linear", points = [[0.9, 1], [1.0, 0.5]] }',
        ),
        PLAN,
        18,
        "teams.sales.goals[0].curve",
        "a payout curve never decreases",
    ),
    Case(
        "gate-of-zero",
        toml("functional_gate = 0.9", "functional_gate = 0"),
        PLAN,
        47,
        "gates.functional_gate",
        "an attainment above 0, such as 0.9",
    ),
    Case(
        "cap-below-zero",
        toml('per_month = "2000.00"', 'per_month = "-5"'),
        PLAN,
        51,
        "caps.per_month",
        "an amount above 0",
    ),
    Case(
        "cap-with-too-many-decimals",
        toml('per_year = "15000.00"', 'per_year = "15000.005"'),
        PLAN,
        52,
        "caps.per_year",
        "an amount above 0 with at most 2 decimals",
    ),
    Case(
        "metric-column-no-goal-measures",
        add_column(MONTHS, "pipeline_actual", "7"),
        MONTHS,
        1,
        "header",
        "no goal measures pipeline",
    ),
    Case(
        "metric-actual-not-a-number",
        set_cell(MONTHS, "2026-03", "leads_accepted_actual", "lots"),
        MONTHS,
        4,
        "leads_accepted_actual",
        "a decimal number",
    ),
    Case(
        "metric-actual-after-a-pending-month",
        set_cell(MONTHS, "2026-12", "followed_up_48h_actual", "0.9"),
        MONTHS,
        13,
        "followed_up_48h_actual",
        "no actual after the pending month 2026-07",
    ),
    Case(
        "metric-target-missing-under-its-targets-norm",
        set_cell(MONTHS, "2026-05", "followed_up_48h_target", ""),
        MONTHS,
        6,
        "followed_up_48h_target",
        "a target for every plan month (the metric's 'targets' norm derives none)",
    ),
    Case(
        "history-metric-actual-missing-on-a-line",
        set_cell(HISTORY, "2024-06", "sal_to_sql_actual", ""),
        HISTORY,
        7,
        "sal_to_sql_actual",
        "the actual of the functional metric sal_to_sql that month",
    ),
    Case(
        "history-metric-actual-column-missing",
        drop_column(HISTORY, "leads_accepted_actual"),
        HISTORY,
        1,
        "leads_accepted_actual",
        "the actual of the functional metric leads_accepted",
    ),
    Case(
        "history-metric-target-missing-under-its-targets-norm",
        set_cell(HISTORY, "2024-03", "followed_up_48h_target", ""),
        HISTORY,
        4,
        "followed_up_48h_target",
        "metrics.followed_up_48h.norm is 'targets'",
    ),
]
CASES += [replace(case, goals=True) for case in GOAL_CASES]
CASES += [
    Case(
        "teams-neither-a-list-nor-tables",
        toml('teams = ["sales", "marketing"]', 'teams = "sales"'),
        PLAN,
        14,
        "teams",
        "a list of team names, such as",
    ),
    Case(
        "gate-without-goals",
        toml(
            'budget = "from_history"', 'budget = "from_history"\n\n[gates]\nfunctional_gate = 0.9'
        ),
        PLAN,
        38,
        "gates.functional_gate",
        "no gate: no team has functional goals",
    ),
    Case(
        "team-table-without-goals-weighted",
        toml(
            'teams = ["sales", "marketing"]',
            "[teams.sales]\nshared_weight = 0.5\n[teams.marketing]",
        ),
        PLAN,
        15,
        "teams.sales.shared_weight",
        "1 for a team without functional goals",
    ),
]


def _broken(case: Case, tmp_path: Path) -> Path:
    """The plan folder ``case`` breaks, broken."""
    folder = tmp_path / "plan"
    if case.goals:
        write_goal_plan(folder)
    else:
        shutil.copytree(EXAMPLE, folder)
    case.corrupt(folder)
    return folder


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_broken_input_gives_a_located_problem(case: Case, tmp_path: Path) -> None:
    plan_dir = _broken(case, tmp_path)
    problems = load_problems(plan_dir)
    matching = [
        p for p in problems if (p.file, p.line, p.field) == (case.file, case.line, case.field)
    ]
    assert matching, f"no problem at {case.file}:{case.line} {case.field} in:\n" + "\n".join(
        map(str, problems)
    )
    assert any(case.phrase in p.expected for p in matching), "\n".join(map(str, matching))
    assert len(problems) == case.count, "\n".join(map(str, problems))
    shown = str(matching[0])
    where = case.file if case.line is None else f"{case.file}:{case.line}"
    assert shown.startswith(f"{where}: {case.field}: got "), shown


@pytest.mark.parametrize("case", GOAL_CASES, ids=[case.id for case in GOAL_CASES])
def test_broken_goal_input_exits_2_on_the_command_line(
    case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``jointbonus run`` lists the located problem and exits 2, without a traceback."""
    plan_dir = _broken(replace(case, goals=True), tmp_path)
    assert main(["run", str(plan_dir / PLAN)]) == EXIT_BAD_INPUT
    stdout, stderr = capsys.readouterr()
    assert stdout == ""
    assert f"  {case.file}:{case.line}: {case.field}: got " in stderr
    assert case.phrase in stderr
    assert "Traceback" not in stderr


def test_the_documented_goal_problems_are_the_ones_given(tmp_path: Path) -> None:
    """docs/plan-file.md shows what these cases say, word for word."""
    document = (Path(__file__).resolve().parents[1] / "docs" / "plan-file.md").read_text("utf-8")
    section = document[document.index("## What the mistakes look like") :]
    start = section.index("```text\n") + len("```text\n")
    shown = section[start : section.index("\n```", start)].splitlines()
    given: set[str] = set()
    for number, case in enumerate(GOAL_CASES):
        given.update(
            map(str, load_problems(_broken(replace(case, goals=True), tmp_path / str(number))))
        )
    assert len(shown) >= 12
    for line in shown:
        assert line in given, line


def test_every_problem_of_every_file_is_reported_together(plan_dir: Path) -> None:
    toml("pay_leavers_for_exit_month =", "pay_leavers_for_exit_mnth =")(plan_dir)
    sub(ROSTER, ",0.6,", ",0,")(plan_dir)
    sub(ROSTER, "2020-06-15", "2020-06-31")(plan_dir)
    sub(MONTHS, "1338000", "lots")(plan_dir)
    delete_line(HISTORY, "2024-06,")(plan_dir)
    problems = load_problems(plan_dir)
    assert [(p.file, p.line, p.field) for p in problems] == [
        (PLAN, 18, "roster.pay_leavers_for_exit_mnth"),
        (ROSTER, 3, "start"),
        (ROSTER, 14, "fte"),
        (MONTHS, 4, "target"),
        (HISTORY, 19, "month"),
    ]


def test_plan_wide_checks_are_reported_with_row_problems(plan_dir: Path) -> None:
    """Problems found across the plan (teams, currency decimals) join those of the rows."""
    sub(ROSTER, "DM-S04,sales", "DM-S04,Sales")(plan_dir)
    sub(ROSTER, "78000.00", "78000.001")(plan_dir)
    sub(ROSTER, "2026-07-15", "2026-13-01")(plan_dir)
    sub(MONTHS, "2026-12,1299000,", "2026-12,1299000,5")(plan_dir)
    blank_cell(HISTORY, "2025-03", 3)(plan_dir)
    problems = load_problems(plan_dir)
    assert [(p.file, p.line, p.field) for p in problems] == [
        (ROSTER, 3, "salary"),
        (ROSTER, 5, "team"),
        (ROSTER, 10, "start"),
        (MONTHS, 13, "actual"),
        (HISTORY, 28, "paid"),
    ]
    message = str(PlanError(problems))
    assert message.startswith("5 problems in the plan:")
    assert "data/roster.csv:5: team: got 'Sales', expected one of sales, marketing" in message


def test_checks_across_a_troubled_file_do_not_echo_its_problems(plan_dir: Path) -> None:
    """A month row that is refused is not also reported as a missing target."""
    sub(MONTHS, "2026-05,1312000,1277085", "2026-05,abc,1277085")(plan_dir)
    problems = load_problems(plan_dir)
    assert [(p.file, p.line, p.field) for p in problems] == [(MONTHS, 6, "target")]


def test_the_plan_file_itself_missing(tmp_path: Path) -> None:
    problems = load_problems(tmp_path)
    assert [(p.file, p.line, p.field) for p in problems] == [(PLAN, None, "file")]
    assert "an existing file" in problems[0].expected


@pytest.mark.parametrize(
    ("path", "phrase"),
    [
        pytest.param("/dev/null", "a regular file (not a device or pipe)", id="device"),
        pytest.param("plan\x00.toml", "without NUL bytes", id="nul-in-the-path"),
        pytest.param("data", "a file, not a folder", id="folder"),
    ],
)
def test_a_plan_path_that_is_no_plan_file(plan_dir: Path, path: str, phrase: str) -> None:
    with pytest.raises(PlanError) as caught:
        load_plan(plan_dir / path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.field) == (None, "file")
    assert phrase in problem.expected


def test_a_symlink_out_of_the_plan_folder_is_refused(plan_dir: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_bytes((plan_dir / ROSTER).read_bytes())
    (plan_dir / ROSTER).unlink()
    try:
        (plan_dir / ROSTER).symlink_to(elsewhere)
    except OSError:
        pytest.skip("symbolic links cannot be made here")
    problems = load_problems(plan_dir)
    assert [(p.file, p.line, p.field) for p in problems] == [(PLAN, 17, "roster.file")]
    assert "inside the plan's folder" in problems[0].expected


def test_the_plan_file_not_utf_8(plan_dir: Path) -> None:
    recode(PLAN, lambda raw: raw.replace(b"months = 12", "months = 12 # zwölf".encode("latin-1")))(
        plan_dir
    )
    problems = load_problems(plan_dir)
    assert [(p.file, p.line, p.field) for p in problems] == [(PLAN, 13, "encoding")]
    assert str(problems[0].value).startswith("f6")  # the latin-1 ö


def test_a_very_large_file_is_refused_before_it_is_read(
    plan_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = (plan_dir / PLAN).stat().st_size + 1
    roster = plan_dir / ROSTER
    with roster.open("a", encoding="utf-8") as handle:
        for n in range(200):
            handle.write(f"X-{n:04d},sales,2020-01-01,,1,50000.00,5000.00\n")
    assert roster.stat().st_size > limit
    monkeypatch.setattr(inputs_module, "MAX_FILE_BYTES", limit)
    problems = load_problems(plan_dir)
    assert [(p.file, p.line, p.field) for p in problems] == [(ROSTER, None, "file")]
    assert f"a file of at most {limit} bytes" in problems[0].expected
    assert problems[0].value == f"{roster.stat().st_size} bytes"


def _result_json(folder: Path) -> str:
    return render_json(result_document(run(load_plan(folder / PLAN))))


def test_a_byte_order_mark_is_read_correctly(plan_dir: Path) -> None:
    """A BOM (as Excel writes) changes nothing: same result as without it."""
    expected = _result_json(plan_dir)
    for name in (PLAN, ROSTER, MONTHS, HISTORY):
        path = plan_dir / name
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert _result_json(plan_dir) == expected


def test_windows_line_endings_are_read_correctly(plan_dir: Path) -> None:
    expected = _result_json(plan_dir)
    for name in (PLAN, ROSTER, MONTHS, HISTORY):
        path = plan_dir / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert _result_json(plan_dir) == expected


def test_columns_in_another_order_are_read_correctly(plan_dir: Path) -> None:
    expected = _result_json(plan_dir)
    edit_table(ROSTER, lambda rows: [list(reversed(row)) for row in rows])(plan_dir)
    assert _result_json(plan_dir) == expected


def test_a_plan_that_can_never_pay_says_what_to_change(plan_dir: Path) -> None:
    toml("threshold = 1.00", "threshold = 2.00")(plan_dir)
    plan = load_plan(plan_dir / PLAN)
    with pytest.raises(CalibrationError) as caught:
        calibrate(plan)
    message = str(caught.value)
    assert "can never pay at historical performance" in message
    assert "Lower the curve's threshold" in message
    assert "would reach 107.5% of a plan month's target" in message
    assert "pays nothing below 200.0%" in message


@pytest.mark.parametrize(
    ("corrupt", "phrases"),
    [
        pytest.param(
            toml("threshold = 1.00", "threshold = 1.00, payout = 0"),
            ["the payout curve pays nothing at any attainment", "give it a payout above 0"],
            id="curve-that-pays-nothing",
        ),
        pytest.param(
            both(
                toml('split = "equal"', 'split = "salary"'),
                edit_table(
                    ROSTER, lambda rows: [rows[0], *[[*r[:5], "0", r[6]] for r in rows[1:]]]
                ),
            ),
            ["no member with a salary above 0 is eligible", "check the salaries"],
            id="salary-split-with-no-salaries",
        ),
        pytest.param(
            edit_table(
                ROSTER,
                lambda rows: [rows[0], *[[*r[:2], "2031-01-01", "", *r[4:]] for r in rows[1:]]],
            ),
            ["no member is eligible in any plan month", "start and end dates"],
            id="nobody-in-the-plan-year",
        ),
    ],
)
def test_other_plans_that_cannot_be_calibrated_say_why(
    corrupt: Corrupt, phrases: list[str], plan_dir: Path
) -> None:
    corrupt(plan_dir)
    plan = load_plan(plan_dir / PLAN)
    with pytest.raises(CalibrationError) as caught:
        calibrate(plan)
    for phrase in phrases:
        assert phrase in str(caught.value)


def _api_plan(**changes: object) -> None:
    arguments: dict[str, object] = {
        "name": "Demo",
        "currency": "USD",
        "start": "2026-01",
        "months": 2,
        "members": [Member("A", "sales", date(2025, 1, 1), None, D("1"))],
        "history": [HistoryMonth(Month(2025, m), D(100 + m), D(100)) for m in range(1, 13)],
        "targets": {"2026-01": "110", "2026-02": "110"},
        "actuals": {"2026-01": "120"},
        "curve": StepCurve(),
        "budget": "1200.00",
    }
    arguments.update(changes)
    build_plan(**arguments)  # type: ignore[arg-type]


def test_the_api_plan_is_valid_as_given() -> None:
    _api_plan()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget": 1200.5}, "budget"),
        ({"targets": {"2026-01": 110.0, "2026-02": "110"}}, "target 2026-01"),
        ({"actuals": {"2026-01": 120.5}}, "actual 2026-01"),
        ({"uplift": 0.05}, "uplift"),
    ],
    ids=["budget", "target", "actual", "uplift"],
)
def test_a_float_where_money_is_expected_via_the_api(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(PlanError) as caught:
        _api_plan(**changes)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.field) == (None, None, field)
    assert "not a float" in problem.expected
    assert isinstance(caught.value, JointBonusError)


def test_a_float_member_fte_via_the_api() -> None:
    with pytest.raises(FloatMoneyError, match=r"refusing the float 0\.5"):
        Member("A", "sales", date(2025, 1, 1), None, 0.5)  # type: ignore[arg-type]
