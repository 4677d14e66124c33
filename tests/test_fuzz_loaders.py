"""Fuzzing the loaders: whatever a file holds, jointbonus answers with its own error.

Any bytes, any text, and text shaped like the file it replaces (CSV rows of
plausible and hostile cells, the example plan with a setting changed), given
as the plan file or as one of its CSV files, either load into a plan or raise
:class:`~jointbonus.errors.JointBonusError` -- never a ``KeyError``, a
``UnicodeError``, a ``RecursionError`` or any other exception from deeper
down. A plan that loads is also calibrated, paid and printed, under the same
rule.

Every input that once escaped is kept as an ``@example``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from jointbonus import calibrate, load_plan, run
from jointbonus.errors import JointBonusError, PlanError
from jointbonus.io.render import render_json
from jointbonus.sharedtarget.report.documents import result_document
from jointbonus.sharedtarget.report.tables import render_calibration_table, render_table
from test_loader_goals import PLAN_TEXT as GOAL_PLAN_TEXT
from test_loader_goals import write_goal_plan

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "one_lifeboat"
PLAN = "plan.toml"
ROSTER = "data/roster.csv"
MONTHS = "data/plan_months.csv"
HISTORY = "data/history.csv"
FILES = [PLAN, ROSTER, MONTHS, HISTORY]
PLAN_TEXT = (EXAMPLE / PLAN).read_text(encoding="utf-8")

COLUMNS = {
    ROSTER: ["id", "team", "start", "end", "fte", "salary", "target_bonus"],
    MONTHS: ["month", "target", "actual"],
    HISTORY: ["month", "actual", "target", "paid"],
}

#: The headers of the plan months and history of the plan with goals.
GOAL_FOLDER_HEADERS = {
    MONTHS: "month,target,actual,leads_accepted_target,leads_accepted_actual,"
    "followed_up_48h_target,followed_up_48h_actual,sal_to_sql_actual,pipeline_actual",
    HISTORY: "month,actual,target,paid,leads_accepted_actual,leads_accepted_target,"
    "followed_up_48h_actual,followed_up_48h_target,sal_to_sql_actual,sal_to_sql_target",
}

fuzz = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def outcome(name: str, content: bytes, *, goals: bool = False) -> str:
    """Load the example with file ``name`` replaced by ``content``; pay it if it loads.

    ``goals``: the plan with functional goals of ``test_loader_goals.py``
    instead of the example. Returns ``"paid"`` (and printed) or the name of
    the library's error; any other exception propagates and fails the test.
    """
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "plan"
        if goals:
            write_goal_plan(folder)
        else:
            shutil.copytree(EXAMPLE, folder)
        (folder / name).write_bytes(content)
        try:
            plan = load_plan(folder / PLAN)
        except PlanError as error:
            assert error.problems
            assert all(problem.expected for problem in error.problems)
            return "PlanError"
        try:
            calibration = calibrate(plan)
            result = run(plan)
            render_calibration_table(plan, calibration)
            render_table(result)
            render_json(result_document(result))
        except JointBonusError as error:
            return type(error).__name__
        return "paid"


def check(name: str, content: bytes, *, goals: bool = False) -> None:
    result = outcome(name, content, goals=goals)
    event(result)
    assert result in {"paid", "PlanError", "CalibrationError", "HistoryError", "NumberError"}


# -- any bytes, any text ------------------------------------------------------


@fuzz
@given(name=st.sampled_from(FILES), content=st.binary(max_size=600))
@example(name=ROSTER, content=b"\xef\xbb\xbf")
@example(name=ROSTER, content=b"\xff\xfe" + "id,team".encode("utf-16-le"))
@example(name=MONTHS, content=b"month,target,actual\n2026-01,1,\x00")
@example(name=PLAN, content=b"\x80")
def test_any_bytes_load_or_raise_the_library_error(name: str, content: bytes) -> None:
    check(name, content)


@fuzz
@given(name=st.sampled_from(FILES), content=st.text(max_size=400))
@example(name=PLAN, content="a = " + "[" * 600 + "]" * 600)
@example(name=PLAN, content="a = {b = " * 400 + "1" + "}" * 400)
@example(name=PLAN, content="months = " + "9" * 5000)
@example(name=HISTORY, content='month,actual\n"2023-01\r')
@example(name=ROSTER, content="id,team,start,fte\n" + "x" * 200_000 + ",sales,2020-01-01,1")
def test_any_text_loads_or_raises_the_library_error(name: str, content: str) -> None:
    check(name, content.encode("utf-8", "surrogatepass"))


# -- CSV-shaped text ----------------------------------------------------------

CELLS = [
    "", " ", "0", "1", "-1", "0.5", "0.6000001", "1.0", "100.123", "1e30", "1E+999999999",
    "1e-999999999", "-0", "NaN", "inf", "-Infinity", "sNaN", "1_000", "1,5", "１２", "٣",
    "0x10", "12%", "$5", "2026-01", "2026-13", "0000-01", "9999-12", "2026-1", "2024-02-29",
    "2026-02-30", "2026-01-31", "0001-01-01", "9999-12-31", "2020/01/01", "DM-S01", "DM-S01",
    "sales", "marketing", "Sales", "ü", "\ufeff", '"', '""', "'", ",", ";", "\t", "\r", "\n",
    "=SUM(A1)", "None", "null", "true", "x" * 300,
]  # fmt: skip


@st.composite
def csv_text(draw: st.DrawFn, name: str, columns: list[str] | None = None) -> str:
    known = columns or COLUMNS[name]
    header = draw(
        st.one_of(
            st.permutations(known),
            st.lists(st.sampled_from([*known, "extra", ""]), min_size=1, max_size=8),
        )
    )
    cell = st.one_of(st.sampled_from(CELLS), st.text(max_size=12))
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=8))
    delimiter = draw(st.sampled_from([",", ",", ",", ";", "\t"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    quote = draw(st.booleans())

    def line(cells: list[str]) -> str:
        if quote:
            cells = ['"' + c.replace('"', '""') + '"' for c in cells]
        return delimiter.join(cells)

    bom = draw(st.sampled_from(["", "", "\ufeff"]))
    return bom + newline.join([line(list(header)), *map(line, rows)]) + newline


@fuzz
@given(data=st.data(), name=st.sampled_from([ROSTER, MONTHS, HISTORY]))
@example(data=None, name=MONTHS).via("a plan month in year 9999 ends the calendar")
def test_csv_shaped_text_loads_or_raises_the_library_error(
    data: st.DataObject | None, name: str
) -> None:
    if data is None:
        content = "month,target,actual\n9999-12,100,\n"
    else:
        content = data.draw(csv_text(name), label="content")
    check(name, content.encode("utf-8", "surrogatepass"))


@fuzz
@given(
    line=st.integers(min_value=2, max_value=16),
    cells=st.lists(st.sampled_from(CELLS), min_size=7, max_size=7),
)
def test_one_roster_line_of_hostile_cells(line: int, cells: list[str]) -> None:
    """A roster whose every line is good but one: that line is reported, nothing escapes."""
    lines = (EXAMPLE / ROSTER).read_text(encoding="utf-8").splitlines()
    lines[line - 1] = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
    check(ROSTER, ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))


# -- the plan file with one setting changed -----------------------------------

toml_values = st.recursive(
    st.one_of(
        st.sampled_from(
            [
                '""',
                '"2026-01"',
                '"9999-12"',
                '"0000-01"',
                '"../x.csv"',
                '"/etc"',
                '"."',
                '"data"',
                '"data/roster.csv"',
                '"\\u0000"',
                '"' + "a" * 300 + '"',
                '"USD"',
                '"XBT"',
                '"JPY"',
                '"from_history"',
                '"linear"',
                '"step"',
                '"targets"',
                '"trailing_mean"',
                '"same_month_mean"',
                '"salary"',
                '"individual"',
                '"norm_path"',
                "0",
                "1",
                "-1",
                "12",
                "120",
                "121",
                "1.5",
                "1e30",
                "-0.0",
                "nan",
                "inf",
                "-inf",
                "true",
                "false",
                "2026-01-01",
                "1979-05-27T07:32:00Z",
                "9" * 40,
                "0.000000000000000001",
            ]
        ),
        st.integers().map(str),
        st.decimals(allow_nan=False).map(lambda d: str(d) if "E" not in str(d) else "1.0"),
        st.text(max_size=10).map(lambda t: '"' + t.encode("unicode_escape").decode() + '"'),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(
            st.tuples(
                st.sampled_from(
                    ["type", "threshold", "payout", "points", "x", "sales", "goals", "metric"]
                ),
                inner,
            ),
            max_size=4,
            unique_by=lambda kv: kv[0],
        ).map(lambda kvs: "{" + ", ".join(f"{k} = {v}" for k, v in kvs) + "}"),
    ),
    max_leaves=8,
)

#: Values that make sense for each setting, so that many mutated plans load and
#: are paid, reaching calibration, the engine and the reports.
SENSIBLE = {
    "currency": ['"EUR"', '"JPY"', '"KWD"', '"XBT"\nminor_unit = 3'],
    "start": ['"2025-07"', '"2026-04"', '"2025-12"'],
    "months": ["1", "6", "24"],
    "teams": [
        "[]",
        '["sales"]',
        '["marketing", "sales", "ops"]',
        "{ sales = {}, marketing = {} }",
        "{ marketing = { shared_weight = 1 }, sales = { expected_shared_split = 1 } }",
        '{ sales = { shared_weight = 0.5, goals = [{ metric = "revenue", weight = 1, '
        'curve = { type = "step" } }] }, marketing = {} }',
    ],
    "pay_leavers_for_exit_month": ["true", "false"],
    "curve": [
        '{ type = "step" }',
        '{ type = "step", threshold = 0.9, payout = 1.5 }',
        '{ type = "linear", points = [[0.9, 0.5], [1.0, 1.0], [1.2, 2.0]] }',
        '{ type = "linear", points = [[0, 0], [1, 1]] }',
        '{ type = "linear", points = [[1.05, 1]] }',
    ],
    "style": ['"pool"', '"individual"'],
    "split": ['"equal"', '"salary"', '"target_bonus"'],
    "norm": [
        '"targets"',
        '"same_month_mean"',
        '"trailing_mean"\nwindow = 6',
        '"same_month_mean"\nuplift = 0.05',
    ],
    "neutrality": ['"expected_cost"', '"norm_path"'],
    "budget": ['"from_history"', "120000", "0.01", "99999999999.99"],
    "metric": ['"bookings"', '"leads_accepted"', '"sal_to_sql"', '"Leads"'],
    "shared_weight": ["0", "0.5", "1"],
    "expected_shared_split": ["0.01", "0.5", "0.99", "1"],
    "weight": ["0.5", "1", "0.25"],
    "functional_gate": ["0.5", "1", "2"],
    "shared_gate": ["0.5", "1", "2"],
    "per_month": ['"100.00"', '"2000.00"', '"0.01"'],
    "per_year": ['"1000.00"', '"15000.00"'],
    "uplift": ["0", "0.05", "-0.5"],
    "window": ["1", "12", "24"],
    "name": ['"x"'],
}


def _setting_lines(text: str) -> list[int]:
    return [i for i, line in enumerate(text.splitlines()) if "=" in line and line[:1] != "#"]


@st.composite
def mutated_plan(draw: st.DrawFn, text: str = PLAN_TEXT) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.sampled_from(_setting_lines(text)))
        key = lines[index].split("=", 1)[0].strip()
        action = draw(st.sampled_from(["value", "value", "value", "drop", "add"]))
        if action == "value":
            value = st.one_of(st.sampled_from(SENSIBLE.get(key, ['""'])), toml_values)
            lines[index] = f"{key} = {draw(value)}"
        elif action == "drop":
            lines[index] = ""
        else:
            new_key = draw(
                st.sampled_from(
                    ["minor_unit", "window", "uplift", "pool_at_target", "target_bonus_multiplier",
                     "threshold", "payout", "points", "typo", "metric", "shared_weight",
                     "expected_shared_split", "norm", "functional_gate", "per_month"]
                )
            )  # fmt: skip
            lines.insert(index + 1, f"{new_key} = {draw(toml_values)}")
    return "\n".join(lines) + "\n"


@fuzz
@given(content=mutated_plan())
@example(content=PLAN_TEXT.replace('start = "2026-01"', 'start = "9999-06"'))
@example(content=PLAN_TEXT.replace('start = "2026-01"', 'start = "0001-01"'))
@example(content=PLAN_TEXT.replace('file = "data/roster.csv"', 'file = "\\u0000"'))
@example(content=PLAN_TEXT.replace('file = "data/roster.csv"', 'file = "' + "a" * 300 + '"'))
@example(content=PLAN_TEXT.replace('file = "data/roster.csv"', 'file = "data"'))
@example(content=PLAN_TEXT.replace('file = "data/roster.csv"', 'file = "."'))
@example(content=PLAN_TEXT.replace("threshold = 1.00", "threshold = 1e-18"))
@example(content=PLAN_TEXT.replace('budget = "from_history"', "budget = 1e17"))
@example(content=PLAN_TEXT.replace('norm = "targets"', 'norm = "same_month_mean"\nuplift = -0.99'))
@example(content=PLAN_TEXT.replace("months = 12", "months = 120"))
def test_a_plan_file_with_a_setting_changed_loads_or_raises_the_library_error(
    content: str,
) -> None:
    check(PLAN, content.encode("utf-8", "surrogatepass"))


@fuzz
@given(content=mutated_plan(GOAL_PLAN_TEXT))
@example(content=GOAL_PLAN_TEXT.replace("[teams.sales]", "[teams.sales.goals]"))
@example(content=GOAL_PLAN_TEXT.replace("[metrics.sal_to_sql]", "[metrics]"))
@example(content=GOAL_PLAN_TEXT + "[teams]\nops = {}\n")
def test_a_plan_file_with_goals_and_a_setting_changed_loads_or_raises_the_library_error(
    content: str,
) -> None:
    check(PLAN, content.encode("utf-8", "surrogatepass"), goals=True)


@fuzz
@given(data=st.data(), name=st.sampled_from([MONTHS, HISTORY]))
def test_csv_shaped_text_of_a_plan_with_goals(data: st.DataObject, name: str) -> None:
    """Plan months and history with the metrics' columns, mangled like the example's."""
    header = (GOAL_FOLDER_HEADERS[name]).split(",")
    content = data.draw(csv_text(name, header), label="content")
    check(name, content.encode("utf-8", "surrogatepass"), goals=True)


def test_the_plan_with_goals_itself_is_paid() -> None:
    assert outcome(PLAN, GOAL_PLAN_TEXT.encode("utf-8"), goals=True) == "paid"


def test_the_example_itself_is_paid() -> None:
    assert outcome(PLAN, PLAN_TEXT.encode("utf-8")) == "paid"


@pytest.mark.parametrize("name", FILES)
def test_an_empty_file_is_the_library_error(name: str) -> None:
    assert outcome(name, b"") == "PlanError"
