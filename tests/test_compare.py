"""Two designs side by side: ``compare_plans``, its views, and ``jointbonus compare``.

The pair used throughout is the Digital Manufacturing example (half of each
team's expected earnings on the shared target) and a copy that asks for 70%,
in folders of their own; the other figures are checked against the modules
that compute them for one plan (the calibration, the targets, the engine).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from jointbonus import (
    ArgumentError,
    CompareError,
    D,
    HistoryMonth,
    Member,
    Month,
    Plan,
    StepCurve,
    assess_targets,
    build_plan,
    calibrate,
    compare_plans,
    comparison_document,
    comparison_svg,
    gainsharing,
    load_plan,
    render_comparison_table,
    render_json,
    run,
)
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_FAILURE, EXIT_OK, main
from jointbonus.io.extras import MissingExtraError
from jointbonus.sharedtarget.compare import Comparison

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
YEARS = "2000"  # simulated years in the command-line tests: quick, and enough to differ


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    """The example (A) and a copy asking 70% of expected earnings from the shared target (B)."""
    first = tmp_path / "a"
    second = tmp_path / "b"
    shutil.copytree(EXAMPLES / "digital_manufacturing", first)
    shutil.copytree(EXAMPLES / "digital_manufacturing", second)
    plan = second / "plan.toml"
    text = plan.read_text(encoding="utf-8")
    text = text.replace("expected_shared_split = 0.5", "expected_shared_split = 0.7")
    text = text.replace(
        'name = "Digital Manufacturing: one sales target for sales and marketing"',
        'name = "Digital Manufacturing: 70% <shared> & \\"more\\""',
    )
    plan.write_text(text, encoding="utf-8")
    return first / "plan.toml", plan


def compared(pair: tuple[Path, Path]) -> tuple[Plan, Plan, Comparison]:
    a, b = (load_plan(path) for path in pair)
    return a, b, compare_plans(a, b, years=2000, seed=7)


# -- the figures -----------------------------------------------------------------------


def test_each_design_has_the_figures_one_plan_gives(pair: tuple[Path, Path]) -> None:
    a, b = (load_plan(path) for path in pair)
    comparison = compare_plans(a, b, years=2000, seed=7)
    for plan, design in zip((a, b), comparison.designs, strict=True):
        calibration = calibrate(plan)
        assert design.expected_cost == calibration.expected_cost
        assert design.budget == plan.budget.amount
        assert abs(design.expected_cost - design.budget) <= calibration.rounding_bound
        assert [c for c in design.hit_chances] == [m.chance for m in assess_targets(plan).months]
        assert design.hit_rate == assess_targets(plan).hit_rate == Fraction(17, 36)
        assert [w.nominal for w in design.weighting] == [w.nominal for w in calibration.weights]
        # every member's expected earnings add up to the teams' and to the expected cost
        members = sum((m.expected for m in design.members), Fraction(0))
        assert members == sum((t.expected for t in design.teams), Fraction(0))
        assert members == design.expected_cost
        assert [m.member_id for m in design.members] == [m.id for m in plan.members]
    assert comparison.teams == ("sales", "marketing")
    assert [w.expected for w in comparison.b.weighting] == [Fraction(7, 10)] * 2
    assert [str(p) for p in comparison.percentiles] == ["10", "50", "90", "95"]


def test_the_differences_are_b_less_a(pair: tuple[Path, Path]) -> None:
    _, _, comparison = compared(pair)
    a, b = comparison.designs
    d = comparison.differences()
    assert d.expected_cost == b.expected_cost - a.expected_cost
    assert d.percentiles == tuple(b.percentile(p) - a.percentile(p) for p in (10, 50, 90, 95))
    assert d.chance_above_budget == b.chance_above_budget - a.chance_above_budget
    assert d.teams == tuple(y.expected - x.expected for x, y in zip(a.teams, b.teams, strict=True))
    assert d.expected_weights == (Fraction(1, 5), Fraction(1, 5))
    assert a.last_year is not None and b.last_year is not None
    assert d.last_year_total == b.last_year.total - a.last_year.total
    assert d.last_year_total != 0  # more on the shared target pays last year differently


def test_last_year_is_what_the_engine_pays_on_last_years_attainments() -> None:
    """A plan whose months reach exactly last year's attainments is paid, by the engine,
    what the replay says, month by month; the old plan's payouts are last year's."""
    history = [
        HistoryMonth(Month(2024 + i // 12, i % 12 + 1), D(90 + (7 * i) % 25), D(100), D("50.00"))
        for i in range(24)
    ]
    members = [
        Member("A", "sales", date(2020, 1, 1), None, D("1")),
        Member("B", "marketing", date(2026, 3, 10), None, D("0.5")),
        Member("C", "sales", date(2020, 1, 1), date(2026, 8, 20), D("1")),
    ]
    targets = {f"2026-{m:02d}": "100" for m in range(1, 13)}
    common: dict[str, Any] = {
        "name": "Replay",
        "currency": "USD",
        "start": "2026-01",
        "members": members,
        "history": history,
        "targets": targets,
        "budget": "from_history",
    }
    plan = build_plan(**common, curve=StepCurve(D("0.95")))
    comparison = compare_plans(plan, plan, method="exact")
    last = comparison.a.last_year
    assert last is not None
    assert [m.historical for m in last.months] == [Month(2025, m) for m in range(1, 13)]
    actuals: dict[str | Month, Decimal | str | int | None] = {
        str(m.month): history[12 + i].actual for i, m in enumerate(last.months)
    }
    result = run(build_plan(**common, curve=StepCurve(D("0.95")), actuals=actuals))
    assert [m.paid - m.forfeited for m in result.months] == [m.cost for m in last.months]
    assert last.total == sum(m.paid for m in result.months)
    assert last.old_paid == 12 * 5000
    assert [m.hit for m in last.months] == [h.actual >= 100 for h in history[12:]]


def test_a_history_shorter_than_a_plan_year_is_not_replayed() -> None:
    plan = build_plan(
        name="Short",
        currency="EUR",
        start="2026-01",
        members=[Member("A", "sales", date(2020, 1, 1), None, D("1"))],
        history=[HistoryMonth(Month(2025, m), D(95 + m), D(100)) for m in range(7, 13)],
        targets={f"2026-{m:02d}": "100" for m in range(1, 13)},
        curve=StepCurve(),
        budget="1200",
    )
    comparison = compare_plans(plan, plan)
    assert comparison.a.last_year is None
    assert "6 months, fewer than the 12" in comparison.a.last_year_note
    assert comparison.differences().last_year is None
    assert "Last year: not replayed: the history's sample holds 6 months" in (
        render_comparison_table(comparison)
    )
    assert comparison_document(comparison)["a"]["last_year"] is None


def test_a_quarterly_and_a_changing_plan_are_compared_too() -> None:
    quarterly = load_plan(EXAMPLES / "digital_manufacturing_quarterly" / "plan.toml")
    comparison = compare_plans(quarterly, replace(quarterly, curve=StepCurve(D("0.9"))), years=500)
    chances = comparison.a.hit_chances
    assert [c is None for c in chances] == [m % 3 != 2 for m in range(12)]  # quarter ends pay
    assert comparison.a.last_year is not None
    assert [m.cost for m in comparison.a.last_year.months if m.historical is None] == [0] * 8
    # a hit is the target reached, whatever the curve pays: a lower threshold pays more often
    assert comparison.b.hit_rate == comparison.a.hit_rate == Fraction(5, 12)
    # last year's fourth quarter reached 99.98% of its target: B's curve pays it, A's does not
    assert comparison.b.last_year is not None
    assert comparison.a.last_year.months[-1].cost == 0 < comparison.b.last_year.months[-1].cost
    changing = load_plan(EXAMPLES / "digital_manufacturing_reorg" / "plan.toml")
    steady = load_plan(EXAMPLES / "digital_manufacturing" / "plan.toml")
    both = compare_plans(steady, changing, years=1000)
    assert both.b.expected_cost == run(changing).summary.expected_cost  # each version's months
    assert sum((m.expected for m in both.b.members), Fraction(0)) == both.b.expected_cost
    assert "B from 2026-07" in render_comparison_table(both)


# -- the same facts --------------------------------------------------------------------


def test_plans_on_different_facts_are_refused_naming_each_difference() -> None:
    plan = load_plan(EXAMPLES / "digital_manufacturing" / "plan.toml")
    members = list(plan.members)
    third = members[2]
    members[2] = Member(third.id, third.team, third.start, None, D("0.5"), third.salary,
                        third.target_bonus)  # fmt: skip
    history = list(plan.history)
    history[5] = replace(history[5], actual=history[5].actual + 1)
    other = replace(plan, members=tuple(members[1:]), history=tuple(history))
    with pytest.raises(CompareError) as raised:
        compare_plans(plan, other)
    message = str(raised.value)
    assert f"roster: only in A: {members[0].id}" in message
    assert f"{members[2].id} (fte 1 in A, 0.5 in B)" in message
    assert f"history: these months' figures differ: {history[5].month}" in message
    months = replace(plan, months=plan.months[:6])
    with pytest.raises(CompareError, match=r"plan months: A runs 2026-01 to 2026-12 \(12 months\)"):
        compare_plans(plan, months)
    paid = replace(plan, months=(replace(plan.months[0], actual=Decimal(1)), *plan.months[1:]))
    with pytest.raises(CompareError, match="actuals: these plan months' actuals differ: 2026-01"):
        compare_plans(plan, paid)


def test_a_plan_that_is_not_a_shared_target_plan_is_refused() -> None:
    plan = load_plan(EXAMPLES / "digital_manufacturing" / "plan.toml")
    with pytest.raises(
        ArgumentError, match=r"plan_b: got str 'plan\.toml', expected a shared-target"
    ):
        compare_plans(plan, "plan.toml")  # type: ignore[arg-type]
    scanlon = gainsharing.load_plan(EXAMPLES / "gainsharing" / "scanlon.toml")
    with pytest.raises(ArgumentError, match=r"plan_a: got GainsharingPlan .* a gainsharing plan"):
        compare_plans(scanlon, plan)  # type: ignore[arg-type]


# -- the views -------------------------------------------------------------------------


def test_the_document_and_the_table_carry_every_figure(pair: tuple[Path, Path]) -> None:
    _, _, comparison = compared(pair)
    document = comparison_document(comparison)
    assert list(document) == ["comparison", "currency", "percentiles", "a", "b", "differences"]
    assert document["comparison"] == 1
    a = document["a"]
    assert list(a) == [
        "label", "plan", "budget", "expected_cost", "cost", "hit_rate", "hit_chances",
        "weighting", "teams", "members", "last_year", "last_year_note",
    ]  # fmt: skip
    assert a["expected_cost"] == "138882.31"
    assert a["cost"]["method"] == "bootstrap" and a["cost"]["seed"] == 7
    assert [p["percent"] for p in a["cost"]["percentiles"]] == ["10", "50", "90", "95"]
    assert document["b"]["weighting"][0]["expected"] == "0.700000"
    assert document["differences"]["weighting"][0]["expected"] == "0.200000"
    assert len(document["differences"]["members"]) == 15
    assert render_json(document) == render_json(comparison_document(compared(pair)[2]))
    table = render_comparison_table(comparison)
    rows = (
        "Expected cost (USD)", "Percentile 95 (USD)", "Chance above the budget",
        "sales: expected shared split", "marketing: expected earnings (USD)",
        "Last year replayed (USD)", "Old plan paid, same months (USD)", "DM-S09",
    )  # fmt: skip
    for row in rows:
        assert row in table
    assert "+20.00 pts" in table


def test_the_picture_is_well_formed_svg_with_every_name_escaped(pair: tuple[Path, Path]) -> None:
    _, _, comparison = compared(pair)
    svg = comparison_svg(comparison)
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert 'B: Digital Manufacturing: 70% <shared> & "more"' in texts
    assert "<shared>" not in svg
    charts = root.findall("{http://www.w3.org/2000/svg}svg")
    assert len(charts) == 3
    assert all(chart.get("width") and chart.get("y") for chart in charts)


# -- the command -----------------------------------------------------------------------


def test_the_command_prints_the_table_and_the_json(
    pair: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = map(str, pair)
    assert main(["compare", a, b, "--years", YEARS, "--seed", "3"]) == EXIT_OK
    table = capsys.readouterr().out
    assert table.startswith("A ")
    assert "bootstrap, 2,000 years, seed 3" in table
    assert main(["compare", a, b, "--years", YEARS, "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["comparison"] == 1
    assert document["b"]["label"].endswith(f"({b})")


def test_the_command_writes_the_picture(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    picture = tmp_path / "compare.svg"
    assert main(["compare", *map(str, pair), "--years", YEARS, "--picture", str(picture)]) == 0
    ET.parse(picture)
    assert "Expected cost" in capsys.readouterr().out
    drawn = tmp_path / "compare.png"
    code = main(["compare", *map(str, pair), "--years", YEARS, "--picture", str(drawn)])
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert code == EXIT_FAILURE and not drawn.exists()
        assert "plot" in capsys.readouterr().err
    else:
        assert code == EXIT_OK
        assert drawn.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert {p.name for p in tmp_path.iterdir()} >= {"compare.svg"}
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())  # no staging left


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ("picture", "--picture: got"),
        ("roster", "roster: members differ: DM-S03 (fte 1 in A, 0.5 in B)"),
        ("broken", "plan.toml"),
        ("gainsharing", "compares shared-target plans; this is a gainsharing plan"),
    ],
)
def test_bad_input_exits_2_naming_the_plan_and_writes_nothing(
    pair: tuple[Path, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: str,
    expected: str,
) -> None:
    a, b = pair
    picture = tmp_path / "out.svg"
    if change == "picture":
        picture = tmp_path / "out.gif"
    elif change == "roster":
        roster = b.parent / "data" / "roster.csv"
        text = roster.read_text(encoding="utf-8")
        roster.write_text(
            text.replace("DM-S03,sales,2021-01-11,,1,", "DM-S03,sales,2021-01-11,,0.5,")
        )
    elif change == "broken":
        text = b.read_text(encoding="utf-8")
        b.write_text(text.replace('currency = "USD"', 'currency = "US"'), encoding="utf-8")
    else:
        b = EXAMPLES / "gainsharing" / "scanlon.toml"
    code = main(["compare", str(a), str(b), "--years", YEARS, "--picture", str(picture)])
    err = capsys.readouterr().err
    assert code == EXIT_BAD_INPUT
    assert expected in err
    assert "Traceback" not in err
    where = picture if change == "picture" else a if change == "roster" else b
    assert err.startswith(f"jointbonus: {where}")
    assert not picture.exists()


def test_a_picture_that_cannot_be_written_exits_1(
    pair: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    picture = tmp_path / "taken" / "out.svg"
    code = main(["compare", *map(str, pair), "--years", YEARS, "--picture", str(picture)])
    captured = capsys.readouterr()
    assert code == EXIT_FAILURE
    assert captured.err.startswith("jointbonus: cannot write")
    assert captured.out == ""  # nothing printed when the picture failed
    assert picture.parent.read_text(encoding="utf-8") == "a file, not a folder"


def test_the_command_in_a_separate_process(pair: tuple[Path, Path], tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "jointbonus", "compare", *map(str, pair), "--years", YEARS],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert "Last year replayed (USD)" in done.stdout


def test_missing_matplotlib_is_reported_before_any_work(
    pair: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from jointbonus.sharedtarget import plots

    def missing() -> str:
        raise MissingExtraError("matplotlib is not installed: pip install 'jointbonus[plot]'")

    monkeypatch.setattr(plots, "matplotlib_version", missing)
    picture = tmp_path / "out.png"
    code = main(["compare", *map(str, pair), "--picture", str(picture)])
    assert code == EXIT_FAILURE
    assert "jointbonus[plot]" in capsys.readouterr().err
    assert not picture.exists()
