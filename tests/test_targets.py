"""Target setting: derived targets, their chances of a hit, and the uplift solver.

The hand-worked history: five months of actuals 100, 80, 100, 110, 99 under a
one-month trailing mean. The sample is 80/100, 100/80, 110/100, 99/110 =
0.8, 1.25, 1.1, 0.9 and every plan month's norm level is the last actual, 99.
A target ``T`` is hit in the scenarios whose attainment is at least ``T / 99``.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
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
    StepCurve,
    TargetError,
    assess_targets,
    build_plan,
    calibrate,
    load_plan,
    propose_targets,
    uplift_for_hit_rate,
)
from jointbonus.cli import EXIT_BAD_INPUT, EXIT_OK, main
from jointbonus.core.number import decimal_text
from jointbonus.sharedtarget.report.targets import render_targets_table, targets_document

ROOT = Path(__file__).resolve().parent.parent
ALPINE = ROOT / "examples" / "alpine_outfitters" / "plan.toml"
DIGITAL = ROOT / "tests" / "fixtures" / "one_lifeboat" / "plan.toml"


def trailing_plan(currency: str = "USD", months: int = 2, **overrides: object) -> Plan:
    """The hand-worked plan: sample 0.8, 1.25, 1.1, 0.9 and a norm level of 99."""
    arguments: dict[str, object] = {
        "name": "Hand-worked",
        "currency": currency,
        "start": "2026-01",
        "months": months,
        "members": [Member("A", "sales", date(2025, 1, 1), None, D("1"))],
        "history": [
            HistoryMonth(Month(2025, m), D(a))
            for m, a in zip(range(8, 13), ["100", "80", "100", "110", "99"], strict=True)
        ],
        "curve": StepCurve(),
        "budget": "1200",
        "norm": "trailing_mean",
        "window": 1,
    }
    arguments.update(overrides)
    return build_plan(**arguments)  # type: ignore[arg-type]


def hits_by_hand(plan: Plan, target: Fraction) -> int:
    """Scenarios with ``a x level >= target``, counted one by one."""
    level = plan.norm.level(plan.months[0].month)
    assert level is not None
    return sum(1 for a in plan.norm.sample if a * level >= target)


# -- the hand-worked plan --------------------------------------------------------


def test_the_hand_worked_sample_and_level() -> None:
    plan = trailing_plan()
    assert plan.norm.sample == (
        Fraction(4, 5),
        Fraction(5, 4),
        Fraction(11, 10),
        Fraction(9, 10),
    )
    assert plan.norm.level(Month(2026, 1)) == 99


@pytest.mark.parametrize(
    ("uplift", "target", "hits"),
    [
        ("-0.2", Fraction("79.20"), 4),  # 0.8 x 99 = 79.20: every scenario hits
        ("-0.1", Fraction("89.10"), 3),  # 0.9 x 99 = 89.10: the 0.8 month misses
        ("0", Fraction(99), 2),
        ("0.05", Fraction("103.95"), 2),
        ("0.1", Fraction("108.90"), 2),  # 1.1 x 99 = 108.90 exactly: still a hit
        ("0.1001", Fraction("108.91"), 1),
        ("0.25", Fraction("123.75"), 1),
        ("0.2501", Fraction("123.76"), 0),
    ],
)
def test_proposed_targets_and_their_chances(uplift: str, target: Fraction, hits: int) -> None:
    proposal = propose_targets(trailing_plan(), D(uplift))
    assert proposal.uplift == Fraction(D(uplift))
    for month in proposal.months:
        assert month.level == 99
        assert month.target == target
        assert month.hits == hits
        assert month.chance == Fraction(hits, 4)
    assert proposal.hit_rate == Fraction(hits, 4)
    assert proposal.expected_hits == Fraction(2 * hits, 4)


def test_the_chance_is_computed_against_the_published_target() -> None:
    # 99 x 1.10005 = 108.90495: published as 108.90, which the 1.1 month reaches
    # (108.90); against the unrounded 108.90495 it would miss.
    proposal = propose_targets(trailing_plan(), "0.10005")
    month = proposal.months[0]
    assert month.target == Fraction("108.90")
    assert month.hits == hits_by_hand(trailing_plan(), Fraction("108.90")) == 2
    assert hits_by_hand(trailing_plan(), Fraction("108.90495")) == 1


def test_targets_are_rounded_half_up_to_the_minor_unit() -> None:
    # 99 x 1.000050505... = 99.005: a half cent, published as 99.01.
    plan = trailing_plan()
    assert propose_targets(plan, Fraction(1, 19800)).months[0].target == Fraction("99.01")
    # JPY has no minor unit: 99 x 1.005 = 99.495 -> 99, 99 x 1.00506 = 99.50094 -> 100.
    yen = trailing_plan("JPY")
    assert propose_targets(yen, "0.005").months[0].target == 99
    assert propose_targets(yen, "0.00506").months[0].target == 100


def alpine_with_uplift(folder: Path, uplift: str) -> Plan:
    """The Alpine Outfitters plan file, copied into ``folder`` with another uplift."""
    shutil.copytree(ALPINE.parent, folder, dirs_exist_ok=True)
    plan_file = folder / "plan.toml"
    text = plan_file.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("uplift = "))
    plan_file.write_text(text.replace(line, f"uplift = {uplift}"), encoding="utf-8")
    return load_plan(plan_file)


@pytest.mark.parametrize("uplift", ["-0.008", "0.03", "0.123457", "-0.5"])
def test_proposed_targets_are_the_targets_the_plan_file_derives(
    uplift: str, tmp_path: Path
) -> None:
    proposal = propose_targets(load_plan(ALPINE), uplift)
    derived = alpine_with_uplift(tmp_path, uplift)
    assert [m.target for m in proposal.months] == [m.target for m in derived.months]
    assert [m.source for m in proposal.months] == [m.target_source for m in derived.months]


def test_the_chance_of_a_hit_is_calibrations_hit_rate_for_a_step_plan(tmp_path: Path) -> None:
    solution = uplift_for_hit_rate(load_plan(ALPINE), "0.6")
    plan = alpine_with_uplift(tmp_path, decimal_text(solution.uplift, 4))
    calibration = calibrate(replace(plan, curve=StepCurve()))
    assert [m.hit_rate for m in calibration.months] == [m.chance for m in solution.targets.months]


# -- the uplift solver -----------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "uplift", "reached", "following"),
    [
        # Bounds, highest first: 1.25 -> 0.2500505, 1.1 -> 0.1000505, 0.9 -> -0.0999495,
        # 0.8 -> -0.1999495; the answer is the largest 4-decimal uplift below the k-th.
        ("0.25", "0.25", Fraction(1, 4), Fraction(0)),
        ("0.26", "0.1", Fraction(1, 2), Fraction(1, 4)),
        ("0.5", "0.1", Fraction(1, 2), Fraction(1, 4)),
        ("0.6", "-0.1", Fraction(3, 4), Fraction(1, 2)),
        ("0.75", "-0.1", Fraction(3, 4), Fraction(1, 2)),
        ("1", "-0.2", Fraction(1), Fraction(3, 4)),
    ],
)
def test_uplift_for_hit_rate_by_hand(
    wanted: str, uplift: str, reached: Fraction, following: Fraction
) -> None:
    solution = uplift_for_hit_rate(trailing_plan(), wanted)
    assert solution.wanted == Fraction(D(wanted))
    assert solution.uplift == Fraction(D(uplift))
    assert solution.hit_rate == reached >= solution.wanted
    assert solution.next_uplift == solution.uplift + Fraction(1, 10_000)
    assert solution.next_hit_rate == following < solution.wanted
    assert propose_targets(trailing_plan(), solution.next_uplift).hit_rate == following


@pytest.mark.parametrize(
    ("places", "uplift", "following"),
    [
        # One scenario in four is the 1.25 month, whose bound is 0.2500505...
        (0, "0", "1"),
        (1, "0.2", "0.3"),
        (2, "0.25", "0.26"),
        (6, "0.25005", "0.250051"),
    ],
)
def test_the_uplift_grid(places: int, uplift: str, following: str) -> None:
    solution = uplift_for_hit_rate(trailing_plan(), "0.25", places=places)
    assert solution.places == places
    assert solution.uplift == Fraction(D(uplift))
    assert solution.next_uplift == Fraction(D(following))
    assert solution.hit_rate >= Fraction(1, 4) > solution.next_hit_rate


def test_the_solution_depends_on_the_rounding_of_each_month() -> None:
    # In yen, 99 x (1 + u) is published in whole yen: the 1.1 month (108.9) hits
    # up to a target of 108, i.e. while 99 x (1 + u) < 108.5.
    solution = uplift_for_hit_rate(trailing_plan("JPY"), "0.5")
    assert solution.uplift == Fraction("0.0959")  # 99 x 1.0959 = 108.4941 -> 108
    assert solution.targets.months[0].target == 108
    assert propose_targets(trailing_plan("JPY"), "0.096").months[0].target == 109


def test_an_uplift_exactly_at_a_bound_is_not_taken() -> None:
    # A level of 5 yen: the 1.25 month (6.25) hits while round(5 x (1 + u)) <= 6, that is
    # while 5 x (1 + u) < 6.5, u < 0.3. On a grid of tenths 0.3 itself is a grid point, and
    # there the target is round(6.5) = 7: a miss. The answer is the grid point below.
    history = [
        HistoryMonth(Month(2025, m), D(a))
        for m, a in zip(range(8, 13), ["5", "4", "5", "5.5", "5"], strict=True)
    ]
    plan = trailing_plan("JPY", history=history)
    solution = uplift_for_hit_rate(plan, "0.25", places=1)
    assert solution.uplift == Fraction(2, 10)
    assert solution.hit_rate == Fraction(1, 4)
    assert propose_targets(plan, "0.3").months[0].target == 7
    assert propose_targets(plan, "0.3").hit_rate == 0 == solution.next_hit_rate


def test_months_with_different_levels_are_solved_together() -> None:
    plan = load_plan(ALPINE)
    for wanted in ("0.1", "0.5", "0.6", "0.9"):
        solution = uplift_for_hit_rate(plan, wanted)
        assert solution.hit_rate >= solution.wanted > solution.next_hit_rate
        assert propose_targets(plan, solution.next_uplift).hit_rate == solution.next_hit_rate


def test_the_example_uplift_is_the_solved_one() -> None:
    plan = load_plan(ALPINE)
    solution = uplift_for_hit_rate(plan, "0.6")
    assert plan.uplift == solution.uplift == Fraction("-0.008")
    assert [m.target for m in plan.months] == [m.target for m in solution.targets.months]


def test_an_unreachable_hit_rate_is_a_clear_error() -> None:
    history = [
        HistoryMonth(Month(2025, m), D(a))
        for m, a in zip(range(8, 13), ["100", "100", "0", "100", "100"], strict=True)
    ]
    plan = trailing_plan(history=history, window=2)
    assert plan.norm.sample == (0, 2, 2)  # a month with no sales hits no positive target
    with pytest.raises(TargetError, match=r"expected at most 66\.67%"):
        uplift_for_hit_rate(plan, "0.7")
    assert uplift_for_hit_rate(plan, "0.66").hit_rate == Fraction(2, 3)


@pytest.mark.parametrize(
    ("wanted", "message"),
    [
        ("0", "above 0 and at most 1"),
        ("-0.5", "above 0 and at most 1"),
        ("1.01", "above 0 and at most 1"),
        ("sixty", "a share such as 0.6"),
        (0.6, "a share such as 0.6"),
    ],
)
def test_a_bad_hit_rate_is_refused(wanted: object, message: str) -> None:
    with pytest.raises(TargetError, match=message):
        uplift_for_hit_rate(trailing_plan(), wanted)  # type: ignore[arg-type]


@pytest.mark.parametrize("places", [-1, 11, True, 2.0])
def test_bad_places_are_refused(places: object) -> None:
    with pytest.raises(TargetError, match="places"):
        uplift_for_hit_rate(trailing_plan(), "0.5", places=places)  # type: ignore[arg-type]


@pytest.mark.parametrize("uplift", ["-1", "-1.5", "five", 0.05])
def test_a_bad_uplift_is_refused(uplift: object) -> None:
    with pytest.raises(TargetError, match="uplift"):
        propose_targets(trailing_plan(), uplift)  # type: ignore[arg-type]


def test_an_uplift_giving_a_zero_target_is_refused() -> None:
    with pytest.raises(TargetError, match="a target must be positive"):
        propose_targets(trailing_plan(), "-0.99999")


# -- the 'targets' norm ------------------------------------------------------------


def test_the_targets_norm_assesses_the_plans_own_targets() -> None:
    plan = load_plan(DIGITAL)
    assessed = assess_targets(plan)
    reached = sum(1 for a in plan.norm.sample if a >= 1)
    assert assessed.uplift is None
    assert [m.target for m in assessed.months] == [m.target for m in plan.months]
    assert all(m.level is None and m.source == "plan" for m in assessed.months)
    assert all(m.chance == Fraction(reached, 36) for m in assessed.months)
    assert assessed.hit_rate == Fraction(reached, 36)


def test_the_targets_norm_cannot_derive_targets() -> None:
    plan = load_plan(DIGITAL)
    with pytest.raises(TargetError, match=r"'targets' norm .* 'same_month_mean'"):
        propose_targets(plan, "0.05")
    with pytest.raises(TargetError, match="'targets' norm"):
        uplift_for_hit_rate(plan, "0.6")


def test_assessed_targets_use_the_plans_derivation() -> None:
    plan = load_plan(ALPINE)
    assessed = assess_targets(plan)
    proposed = propose_targets(plan, plan.uplift)
    assert [m.target for m in assessed.months] == [m.target for m in proposed.months]
    assert [m.hits for m in assessed.months] == [m.hits for m in proposed.months]


# -- a shared target over a quarter or a plan year ---------------------------------

QUARTERLY = ROOT / "examples" / "digital_manufacturing_quarterly" / "plan.toml"


def quarterly_yen_plan(**overrides: object) -> Plan:
    """One quarter in yen under a one-month trailing mean: every plan month's level is 5
    (the last actual), the quarter's 15. The two historical quarters reach
    (2.5 + 2.5 + 2.5) / (2.5 + 2.5 + 2.5) = 1 and (5 + 5 + 5) / (2.5 + 5 + 5) = 6/5."""
    history = [
        HistoryMonth(Month(2025, m), D(a))
        for m, a in zip(range(6, 13), ["2.5", "2.5", "2.5", "2.5", "5", "5", "5"], strict=True)
    ]
    arguments: dict[str, object] = {"history": history, "period": "quarter", **overrides}
    return trailing_plan("JPY", months=3, **arguments)


def test_a_quarters_target_is_its_months_published_targets_summed() -> None:
    plan = quarterly_yen_plan()
    assert plan.norm.sample == (1, Fraction(6, 5))
    # 5 x 1.29 = 6.45 is published as 6 each month: 18 for the quarter, which the 6/5
    # quarter (6/5 x 15 = 18) reaches. The quarter's level x 1.29 = 19.35 would not be.
    proposal = propose_targets(plan, "0.29")
    (quarter,) = proposal.periods
    assert [part.target for part in quarter.parts] == [6, 6, 6]
    assert [part.level for part in quarter.parts] == [5, 5, 5]
    assert (quarter.level, quarter.target, quarter.hits, quarter.scenarios) == (15, 18, 1, 2)
    assert quarter.month == Month(2026, 3) and quarter.label == "2026-Q1 (2026-01 to 2026-03)"
    assert propose_targets(plan, "0.3").periods[0].target == 21  # 5 x 1.3 = 6.5 -> 7 each


def test_a_quarters_bound_is_where_its_summed_rounded_targets_pass_the_actual() -> None:
    # The 6/5 quarter brings 18 yen: it hits while 3 x round(5 x (1 + u)) <= 18, that is
    # while 5 x (1 + u) < 6.5, u < 0.3 (the quarter's level alone would say u < 0.2333).
    # The quarter at 1 brings 15: it hits while 5 x (1 + u) < 5.5, u < 0.1.
    plan = quarterly_yen_plan()
    half = uplift_for_hit_rate(plan, "0.5", places=2)
    assert (half.uplift, half.hit_rate) == (Fraction(29, 100), Fraction(1, 2))
    assert (half.next_uplift, half.next_hit_rate) == (Fraction(3, 10), 0)
    every = uplift_for_hit_rate(plan, "1", places=2)
    assert (every.uplift, every.hit_rate) == (Fraction(9, 100), 1)
    assert every.next_hit_rate == Fraction(1, 2)  # 5 x 1.1 = 5.5 -> 6 each: 18 > 15
    assert [m.target for m in every.targets.periods] == [15]


def test_the_chance_of_a_quarters_hit_is_calibrations_for_a_step_plan() -> None:
    plan = load_plan(QUARTERLY)
    assessed = assess_targets(plan)
    assert assessed.period.value == "quarter" and assessed.scenarios == 12
    calibration = calibrate(replace(plan, curve=StepCurve()))
    ends = [calibration.months[p.last].hit_rate for p in plan.periods]
    assert ends == [m.chance for m in assessed.periods] == [Fraction(5, 12)] * 4
    # The 'targets' norm: a historical quarter hits when its actuals summed reach the
    # targets that applied then, summed.
    assert all(m.hits == sum(1 for a in plan.norm.sample if a >= 1) for m in assessed.periods)
    assert [m.target for m in assessed.periods] == [
        sum((plan.months[j].target for j in range(p.first, p.last + 1)), Fraction(0))
        for p in plan.periods
    ]


def test_a_plan_year_is_one_target_over_its_twelve_months() -> None:
    plan = trailing_plan(months=12, period="plan_year", history=_two_years())
    proposal = propose_targets(plan, "0.05")
    (year,) = proposal.periods
    assert len(year.parts) == 12 and year.label == "2026 (2026-01 to 2026-12)"
    assert year.target == 12 * Fraction("103.95")  # 99 x 1.05 each month
    solution = uplift_for_hit_rate(plan, "0.5")
    assert solution.hit_rate >= Fraction(1, 2) > solution.next_hit_rate
    assert propose_targets(plan, solution.next_uplift).hit_rate == solution.next_hit_rate


def _two_years() -> list[HistoryMonth]:
    """Two plan years of history ending in a 99, so the trailing level is 99."""
    actuals = [100, 80, 100, 110, 99, 95, 105, 120, 90, 100, 97, 101] * 2
    actuals[-1] = 99
    return [HistoryMonth(Month(2024, 1).shift(i), D(a)) for i, a in enumerate(actuals)]


def test_a_longer_period_says_so_in_its_errors() -> None:
    plan = quarterly_yen_plan()
    with pytest.raises(TargetError, match="a share of quarters above 0"):
        uplift_for_hit_rate(plan, "0")
    # On a grid of whole uplifts the lowest is 0%: a historical quarter at (2.5 + 2.5 + 2) /
    # 7.5 = 14/15 brings 14 yen, short of 3 x 5, and hits only below -10%.
    history = [
        HistoryMonth(Month(2025, m), D(a))
        for m, a in zip(range(6, 13), ["2.5", "2.5", "2.5", "2", "5", "5", "5"], strict=True)
    ]
    with pytest.raises(TargetError, match=r"at most 50\.00%.* 2 pairs of a quarter of the plan"):
        uplift_for_hit_rate(quarterly_yen_plan(history=history), "1", places=0)


def test_a_longer_period_without_its_history_cannot_derive_month_levels() -> None:
    plan = replace(quarterly_yen_plan(), history=())
    with pytest.raises(TargetError, match="keeps no history"):
        propose_targets(plan, "0.05")


def test_the_quarterly_table_and_json() -> None:
    plan = load_plan(QUARTERLY)
    table = render_targets_table(plan, assess_targets(plan))
    assert "Quarters hit  41.7% (1.67 of the plan's 4 quarters, over 12 historical quarters)" in (
        table
    )
    assert "the plan's own, each quarter's months summed" in table
    assert table.splitlines()[5].split()[:2] == ["Quarter", "Target"]
    document = targets_document(plan, assess_targets(plan))
    assert document["period"] == "quarter" and "months" not in document
    first = document["periods"][0]
    assert first["period"] == "2026-Q1 (2026-01 to 2026-03)"
    assert (first["target"], first["hits"], first["chance"]) == ("3743000.00", 5, "0.416667")
    assert [m["month"] for m in first["months"]] == ["2026-01", "2026-02", "2026-03"]


def test_cli_targets_of_a_quarterly_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", str(QUARTERLY), "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["targets"]["hit_rate"] == "0.416667"
    assert main(["targets", str(QUARTERLY), "--hit-rate", "0.6"]) == EXIT_BAD_INPUT
    assert "'targets' norm" in capsys.readouterr().err


# -- reports and the command line ----------------------------------------------------


def test_the_table_shows_each_month() -> None:
    plan = load_plan(ALPINE)
    solution = uplift_for_hit_rate(plan, "0.6")
    table = render_targets_table(plan, solution.targets, solution)
    assert "-0.80%: the largest in steps of 0.01% hitting at least 60.0% of months" in table
    assert "at -0.79%: 58.3%" in table
    for month in plan.months:
        assert str(month.month) in table
    assert "507,227.13" in table  # January: 511,317.67 x 0.992 = 507,227.129...


def test_the_json_document() -> None:
    plan = load_plan(ALPINE)
    solution = uplift_for_hit_rate(plan, "0.6")
    document = targets_document(plan, solution.targets, solution)
    assert document["uplift"] == "-0.008000"
    assert document["hit_rate"] == "0.611111"
    assert document["solved"] == {
        "wanted_hit_rate": "0.600000",
        "step": "0.0001",
        "next_uplift": "-0.007900",
        "next_hit_rate": "0.583333",
    }
    january = document["months"][0]
    assert january["period"] == "2026-01"
    assert january["target"] == "507227.13"
    assert january["hits"] == 22
    assert january["chance"] == "0.611111"
    assert january["plan_target"] == "507227.13"


def test_cli_targets_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", str(ALPINE)]) == EXIT_OK
    out = capsys.readouterr().out
    assert "the plan's own" in out
    assert "61.1%" in out


def test_cli_targets_hit_rate_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", str(ALPINE), "--hit-rate", "0.5", "--format", "json"]) == EXIT_OK
    document = json.loads(capsys.readouterr().out)
    assert document["plan"]["name"].startswith("Alpine Outfitters")
    assert Decimal(document["targets"]["hit_rate"]) >= Decimal("0.5")
    assert Decimal(document["targets"]["solved"]["next_hit_rate"]) < Decimal("0.5")


def test_cli_targets_uplift(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", str(ALPINE), "--uplift", "0.05"]) == EXIT_OK
    assert "norm level x (1 + uplift 5.00%)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--hit-rate", "1.5"], "above 0 and at most 1"),
        (["--hit-rate", "0.6", "--places", "2"], "unrecognized arguments"),
        (["--uplift", "-2"], "above -1"),
        (["--uplift", "0.1", "--hit-rate", "0.6"], "not allowed with argument"),
    ],
)
def test_cli_targets_bad_input(
    arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    try:
        code = main(["targets", str(ALPINE), *arguments])
    except SystemExit as stopped:  # argparse's own usage errors also exit with 2
        code = stopped.code  # type: ignore[assignment]
    assert code == EXIT_BAD_INPUT
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_cli_targets_of_a_targets_norm_plan(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", str(DIGITAL), "--hit-rate", "0.6"]) == EXIT_BAD_INPUT
    assert "'targets' norm" in capsys.readouterr().err


def test_a_monthly_plan_longer_than_a_year_counts_its_months_not_a_year() -> None:
    plan = load_plan(ROOT / "examples" / "digital_manufacturing_two_years" / "plan.toml")
    table = render_targets_table(plan, assess_targets(plan))
    assert "(11.33 of the plan's 24 months, over 36 historical months)" in table
    alpine = load_plan(ALPINE)
    table = render_targets_table(alpine, assess_targets(alpine))
    assert "(7.33 of 12 a year, over 36 historical scenarios)" in table
