"""A plan file with functional goals, shared weights, gates and caps.

A small plan folder -- two teams, three goals on three metrics, both gates,
both caps, 24 months of history -- is written from Python values; loading it
gives the plan :func:`build_plan` makes of the same values, and the command
line validates, runs and describes it.

:func:`write_goal_plan` is the folder the functional cases of
``test_bad_input.py`` break, one thing at a time.
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

from jointbonus import D, HistoryMonth, LinearCurve, Member, Month, StepCurve, load_plan
from jointbonus.cli import EXIT_OK, main
from jointbonus.sharedtarget.build import build_plan
from jointbonus.sharedtarget.goals import GoalSpec, MetricSpec, TeamSpec
from jointbonus.sharedtarget.plan import Plan

PLAN = "plan.toml"
ROSTER = "data/roster.csv"
MONTHS = "data/plan_months.csv"
HISTORY = "data/history.csv"

# Plan file lines: 6 [teams.marketing], 7 its expected_shared_split, 8 its
# [[goals]], 9 metric, 10 weight, 11 curve; 13 [teams.sales], 14 its
# expected_shared_split, 15 first [[goals]], 16 metric, 17 weight, 18 curve,
# 19 second [[goals]], 20 metric, 21 weight, 22 curve; 24 [metrics.followed_up_48h],
# 25 norm, 28 [metrics.sal_to_sql], 29 norm, 30 uplift; 46 [gates],
# 47 functional_gate, 48 shared_gate; 50 [caps], 51 per_month, 52 per_year.
PLAN_TEXT = """\
name = "Goals demo"
currency = "USD"
start = "2026-01"
months = 12

[teams.marketing]
expected_shared_split = 0.5
[[teams.marketing.goals]]
metric = "leads_accepted"
weight = 1
curve = { type = "linear", points = [[0.8, 0.5], [1.0, 1.0], [1.2, 1.5]] }

[teams.sales]
expected_shared_split = 0.5
[[teams.sales.goals]]
metric = "followed_up_48h"
weight = 0.5
curve = { type = "step", threshold = 1.0 }
[[teams.sales.goals]]
metric = "sal_to_sql"
weight = 0.5
curve = { type = "step", threshold = 0.95 }

[metrics.followed_up_48h]
norm = "targets"
window = 12

[metrics.sal_to_sql]
norm = "same_month_mean"
uplift = 0.05

[roster]
file = "data/roster.csv"

[shared]
file = "data/plan_months.csv"
curve = { type = "step", threshold = 1.00 }

[history]
file = "data/history.csv"
norm = "targets"

[calibration]
budget = "from_history"

[gates]
functional_gate = 0.9
shared_gate = 0.8

[caps]
per_month = "2000.00"
per_year = "15000.00"
"""

START = Month(2026, 1)
HISTORY_START = Month(2024, 1)

#: (id, team, start, salary, target bonus)
MEMBERS = [
    ("M01", "marketing", "2021-02-01", "70000.00", "7000.00"),
    ("M02", "marketing", "2023-05-15", "64000.00", "6400.00"),
    ("S01", "sales", "2019-03-04", "90000.00", "13500.00"),
    ("S02", "sales", "2022-09-01", "82000.00", "12300.00"),
    ("S03", "sales", "2024-01-08", "76000.00", "11400.00"),
]


def _swing(index: int, spread: int) -> Decimal:
    """A repeatable attainment around 1: 1 + (a step from -spread to +spread) / 100."""
    return 1 + Decimal((index * 7) % (2 * spread + 1) - spread) / 100


def history_rows() -> list[dict[str, str]]:
    """24 past months: the shared goal, each metric's actual and the targets its norm needs."""
    rows = []
    for i in range(24):
        target = 100_000 + 1_000 * i
        leads = 200 + 5 * (i % 12)
        rows.append(
            {
                "month": str(HISTORY_START.shift(i)),
                "actual": str(int(target * _swing(i, 12))),
                "target": str(target),
                "paid": f"{5200 + 37 * (i % 9)}.00",
                "leads_accepted_actual": str(int(leads * _swing(i + 3, 15))),
                "leads_accepted_target": str(leads),
                "followed_up_48h_actual": str(Decimal("0.9") * _swing(i + 5, 8)),
                "followed_up_48h_target": "0.90",
                "sal_to_sql_actual": str(Decimal("0.3") * _swing(i + 1, 10)),
            }
        )
    return rows


def month_rows() -> list[dict[str, str]]:
    """12 plan months, the first six with actuals; sal_to_sql's targets come from its norm."""
    rows = []
    for i in range(12):
        paid = i < 6
        target = 125_000 + 1_000 * i
        rows.append(
            {
                "month": str(START.shift(i)),
                "target": str(target),
                "actual": str(int(target * _swing(i + 2, 10))) if paid else "",
                "leads_accepted_target": str(260 + 5 * i),
                "leads_accepted_actual": str(int((260 + 5 * i) * _swing(i, 14))) if paid else "",
                "followed_up_48h_target": "0.92",
                "followed_up_48h_actual": str(Decimal("0.92") * _swing(i + 4, 6)) if paid else "",
                "sal_to_sql_actual": str(Decimal("0.31") * _swing(i + 6, 9)) if paid else "",
            }
        )
    return rows


def _csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def write_goal_plan(folder: Path) -> Path:
    """Write the plan file and its three CSV files into ``folder``; return the plan's path."""
    (folder / "data").mkdir(parents=True)
    (folder / PLAN).write_text(PLAN_TEXT, encoding="utf-8")
    roster = [
        {"id": i, "team": t, "start": s, "end": "", "fte": "1", "salary": p, "target_bonus": b}
        for i, t, s, p, b in MEMBERS
    ]
    (folder / ROSTER).write_text(_csv_text(roster), encoding="utf-8")
    (folder / MONTHS).write_text(_csv_text(month_rows()), encoding="utf-8")
    (folder / HISTORY).write_text(_csv_text(history_rows()), encoding="utf-8")
    return folder / PLAN


def _of(rows: list[dict[str, str]], column: str) -> dict[str | Month, str]:
    return {row["month"]: row[column] for row in rows if row[column]}


def api_plan() -> Plan:
    """The same plan made with :func:`build_plan`."""
    return build_plan(**api_arguments())


def api_arguments() -> dict[str, Any]:
    """The keyword arguments of :func:`build_plan` for the same plan."""
    past, plan_months = history_rows(), month_rows()
    metrics = ("leads_accepted", "followed_up_48h", "sal_to_sql")
    return dict(
        name="Goals demo",
        currency="USD",
        start="2026-01",
        months=12,
        members=[
            Member(i, t, date.fromisoformat(s), None, D("1"), D(p), D(b))
            for i, t, s, p, b in MEMBERS
        ],
        history=[
            HistoryMonth(
                Month.parse(row["month"]),
                D(row["actual"]),
                D(row["target"]),
                D(row["paid"]),
                functional={m: D(row[f"{m}_actual"]) for m in metrics},
                functional_targets={
                    m: D(row[f"{m}_target"]) for m in metrics if f"{m}_target" in row
                },
            )
            for row in past
        ],
        targets=_of(plan_months, "target"),
        actuals=_of(plan_months, "actual"),
        curve=StepCurve(),
        budget="from_history",
        teams=[
            TeamSpec(
                "marketing",
                expected_shared_split="0.5",
                goals=(
                    GoalSpec(
                        "leads_accepted",
                        "1",
                        LinearCurve.of([("0.8", "0.5"), ("1.0", "1.0"), ("1.2", "1.5")]),
                    ),
                ),
            ),
            TeamSpec(
                "sales",
                expected_shared_split="0.5",
                goals=(
                    GoalSpec("followed_up_48h", "0.5", StepCurve()),
                    GoalSpec("sal_to_sql", "0.5", StepCurve(Fraction(95, 100))),
                ),
            ),
        ],
        metrics=[
            MetricSpec(
                "leads_accepted",
                targets=_of(plan_months, "leads_accepted_target"),
                actuals=_of(plan_months, "leads_accepted_actual"),
            ),
            MetricSpec(
                "followed_up_48h",
                targets=_of(plan_months, "followed_up_48h_target"),
                actuals=_of(plan_months, "followed_up_48h_actual"),
                norm="targets",
                window=12,
            ),
            MetricSpec(
                "sal_to_sql",
                actuals=_of(plan_months, "sal_to_sql_actual"),
                norm="same_month_mean",
                uplift="0.05",
            ),
        ],
        functional_gate="0.9",
        shared_gate="0.8",
        cap_per_month="2000.00",
        cap_per_year="15000.00",
    )


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    return write_goal_plan(tmp_path / "plan")


def test_the_plan_file_loads_into_the_plan_build_plan_makes(plan_path: Path) -> None:
    loaded, made = load_plan(plan_path), api_plan()
    assert loaded.functional == made.functional
    assert loaded.goals == made.goals
    assert [(g.key, g.weight) for g in loaded.goals] == [
        ("marketing/leads_accepted", Fraction(1)),
        ("sales/followed_up_48h", Fraction(1, 2)),
        ("sales/sal_to_sql", Fraction(1, 2)),
    ]
    for read, given in zip(loaded.functional.metrics, made.functional.metrics, strict=True):
        assert read.months == given.months
        assert read.norm == given.norm
    assert loaded == made


def test_the_file_settings_reach_the_plan(plan_path: Path) -> None:
    plan = load_plan(plan_path)
    functional = plan.functional
    assert plan.teams == ("marketing", "sales")  # the order of the team tables
    assert [t.expected_split for t in functional.terms] == [Fraction(1, 2)] * 2
    assert (functional.gates.functional, functional.gates.shared) == (
        Fraction(9, 10),
        Fraction(8, 10),
    )
    assert (functional.caps.per_month, functional.caps.per_year) == (200_000, 1_500_000)
    by_name = {metric.name: metric for metric in functional.metrics}
    assert list(by_name) == ["leads_accepted", "followed_up_48h", "sal_to_sql"]  # first use
    sal = by_name["sal_to_sql"]
    assert sal.norm.method == "same_month_mean"
    assert sal.uplift == Fraction(5, 100)
    assert all(month.target_source == "norm x (1 + 5.00%)" for month in sal.months)
    assert by_name["leads_accepted"].norm.method == "targets"  # history.norm, by default
    assert [m.actual is not None for m in by_name["followed_up_48h"].months] == [True] * 6 + [
        False
    ] * 6
    assert len(functional.scenario_months) == 24


def test_team_tables_without_goals_are_a_plan_on_the_shared_goal(tmp_path: Path) -> None:
    """``[teams.sales]`` with nothing in it is the team of ``teams = ["sales", ...]``."""
    folder = tmp_path / "plan"
    write_goal_plan(folder)
    text = PLAN_TEXT[: PLAN_TEXT.index("[teams.marketing]")]
    text += "[teams.marketing]\n[teams.sales]\n" + PLAN_TEXT[PLAN_TEXT.index("[roster]") :]
    text = text[: text.index("[gates]")]
    (folder / PLAN).write_text(text, encoding="utf-8")
    for name, columns in ((MONTHS, 3), (HISTORY, 4)):
        rows = list(csv.reader(io.StringIO((folder / name).read_text(encoding="utf-8"))))
        (folder / name).write_text(
            "".join(",".join(row[:columns]) + "\n" for row in rows), encoding="utf-8"
        )
    listed = folder / "listed.toml"
    listed.write_text(
        text.replace("[teams.marketing]\n[teams.sales]\n", 'teams = ["marketing", "sales"]\n'),
        encoding="utf-8",
    )
    plan = load_plan(folder / PLAN)
    assert not plan.weighted
    assert [(t.team, t.shared_weight) for t in plan.functional.terms] == [
        ("marketing", Fraction(1)),
        ("sales", Fraction(1)),
    ]
    assert plan == load_plan(listed)


def test_validate_says_the_plan_is_valid(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(plan_path)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"{plan_path}: valid: 5 members, 12 months (2026-01 to 2026-12)")


def test_run_pays_the_plan(plan_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(plan_path), "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["plan"]["name"] == "Goals demo"


def test_schema_describes_the_new_sections(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == EXIT_OK
    schema = json.loads(capsys.readouterr().out)
    assert {"teams", "metrics", "gates", "caps"} <= set(schema["properties"])
    definitions = schema["$defs"]
    assert {"TeamSection", "GoalSection", "MetricSection", "GatesSection", "CapsSection"} <= set(
        definitions
    )
    team = definitions["TeamSection"]["properties"]
    assert {"shared_weight", "expected_shared_split", "goals"} == set(team)
    assert set(definitions["CapsSection"]["properties"]) == {"per_month", "per_year"}
    assert "functional_gate" in definitions["GatesSection"]["properties"]
