"""Unequal weights of a plan year's shared periods: amounts at target, bad input, equal = none."""

from __future__ import annotations

import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from jointbonus import (
    D,
    HistoryMonth,
    JointBonusError,
    Member,
    Month,
    PlanError,
    StepCurve,
    build_plan,
    load_plan,
    render_calibration_table,
    run,
)
from jointbonus.core.plan_periods import PeriodLength, cut_periods
from jointbonus.sharedtarget.explain import explain, render_explanation
from jointbonus.sharedtarget.report.writer import write_results

ROOT = Path(__file__).resolve().parent.parent
QUARTERLY = ROOT / "examples" / "digital_manufacturing_quarterly"


def _history(months: int) -> list[HistoryMonth]:
    start = Month(2026, 1).shift(-months)
    return [HistoryMonth(start.shift(k), D(100 + k % 7 * 5), D(100)) for k in range(months)]


def _kwargs(**changes: object) -> dict[str, object]:
    return {
        "name": "Demo",
        "currency": "USD",
        "start": "2026-01",
        "months": 12,
        "members": [Member("A", "sales", date(2025, 1, 1), None, D("1"), target_bonus=D("1200"))],
        "history": _history(24),
        "targets": {f"2026-{m:02d}": "100" for m in range(1, 13)},
        "actuals": {f"2026-{m:02d}": "100" for m in range(1, 13)},
        "curve": StepCurve(),
        "budget": "1000.00",
        "period": "quarter",
        **changes,
    }


def test_each_period_of_a_plan_year_gets_its_weight_in_order() -> None:
    weights = [Fraction(1, 5)] * 3 + [Fraction(2, 5)]
    periods = cut_periods(Month(2026, 4), 24, PeriodLength.QUARTER, weights)
    assert [p.weighting for p in periods] == [Fraction(4, 5)] * 3 + [Fraction(8, 5)] + [
        Fraction(4, 5)
    ] * 3 + [Fraction(8, 5)]
    assert all(p.weighting == 1 for p in cut_periods(Month(2026, 4), 24, PeriodLength.QUARTER))


def test_a_pool_at_target_is_the_years_times_the_periods_weight() -> None:
    plan = build_plan(**_kwargs(period_weights=["0.2", "0.2", "0.2", "0.4"], scale="1000"))  # type: ignore[arg-type]
    result = run(plan)
    pools = [m.pool for m in result.months if m.ends_period]
    # 1,000.00 a quarter at equal weights; 4 x 0.2 and 4 x 0.4 of it here.
    assert pools == [80000, 80000, 80000, 160000]
    assert sum(p or 0 for p in pools) == 4 * 100000  # the year's pool at target is unchanged
    assert [m.weighting for m in result.months if m.ends_period] == [
        Fraction(4, 5),
        Fraction(4, 5),
        Fraction(4, 5),
        Fraction(8, 5),
    ]


def test_an_individual_amount_is_target_bonus_x_multiplier_x_the_periods_weight() -> None:
    plan = build_plan(
        **_kwargs(funding="individual", scale="1", period_weights=["0.1", "0.2", "0.3", "0.4"])  # type: ignore[arg-type]
    )
    paid = [m.paid for m in run(plan).months if m.ends_period]
    assert paid == [12000, 24000, 36000, 48000]  # 1,200.00 x 1 x the weight, in cents


def test_twelve_weights_weigh_the_months_of_a_monthly_target() -> None:
    weights = ["0.05"] * 10 + ["0.25", "0.25"]
    plan = build_plan(**_kwargs(period="month", scale="1200", period_weights=weights))  # type: ignore[arg-type]
    pools = [m.pool for m in run(plan).months]
    assert pools == [12 * 5 * 1200] * 10 + [12 * 25 * 1200] * 2


def test_calibration_stays_neutral_with_unequal_weights() -> None:
    equal = run(build_plan(**_kwargs()))  # type: ignore[arg-type]
    weighted = run(build_plan(**_kwargs(period_weights=["0.1", "0.1", "0.1", "0.7"])))  # type: ignore[arg-type]
    budget = equal.plan.budget.amount
    for result in (equal, weighted):
        assert abs(result.calibration.expected_cost - budget) <= Fraction(4, 2 * 100)


@pytest.mark.parametrize(
    ("weights", "phrase"),
    [
        (["0.5", "0.5"], "4 weights, one per quarter of a plan year (period = 'quarter'); got 2"),
        (
            ["0.2", "0.2", "0.2", "0.3"],
            "weights adding to exactly 1, one per quarter of a plan year; they add to 0.9",
        ),
        (
            ["0.6", "0.6", "-0.2", "0"],
            "weight 3 of 4 (its quarter 3): a share from 0 to 1; a weight cannot be negative",
        ),
        (["1.5", "0", "0", "-0.5"], "weight 1 of 4 (its quarter 1): a share from 0 to 1"),
        (["x", "0", "0", "1"], "weight 1 of 4 (its quarter 1): a decimal share from 0 to 1"),
        ("0.25", "expected one share per period"),  # an argument of the wrong kind
    ],
    ids=["count", "sum", "negative", "above-one", "not-a-number", "not-a-list"],
)
def test_bad_period_weights_are_named_through_the_api(weights: object, phrase: str) -> None:
    with pytest.raises(JointBonusError) as caught:
        build_plan(**_kwargs(period_weights=weights))  # type: ignore[arg-type]
    assert "period_weights: got" in str(caught.value) and phrase in str(caught.value), str(
        caught.value
    )


@pytest.fixture
def quarterly(tmp_path: Path) -> Path:
    folder = tmp_path / "plan"
    shutil.copytree(QUARTERLY, folder)
    return folder


def _set_weights(folder: Path, weights: str | None) -> Path:
    """The plan file with ``period_weights = <weights>`` (none at all for ``None``)."""
    path = folder / "plan.toml"
    text = path.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("period_weights")]
    if weights is not None:
        lines.insert(lines.index("[funding]") + 1, f"period_weights = {weights}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("weights", "phrase"),
    [
        ("[0.25, 0.25, 0.5]", "got '[0.25, 0.25, 0.5]', expected 4 weights"),
        ("[0.3, 0.3, 0.3, 0.3]", "they add to 1.2"),
        ("[0.5, 0.5, 0.5, -0.5]", "got '-0.5', expected weight 4 of 4"),
    ],
    ids=["count", "sum", "negative"],
)
def test_bad_period_weights_in_a_plan_file_are_located(
    quarterly: Path, weights: str, phrase: str
) -> None:
    path = _set_weights(quarterly, weights)
    line = path.read_text(encoding="utf-8").splitlines().index(f"period_weights = {weights}") + 1
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    text = str(caught.value)
    assert f"plan.toml:{line}: funding.period_weights: " in text and phrase in text, text


def test_equal_weights_write_the_same_bytes_as_no_weights(quarterly: Path, tmp_path: Path) -> None:
    equal = run(load_plan(_set_weights(quarterly, "[0.25, 0.25, 0.25, 0.25]")))
    plain = run(load_plan(_set_weights(quarterly, None)))
    written = []
    for name, result in (("plain", plain), ("equal", equal)):
        folder = tmp_path / name
        files = write_results(result, folder, statements=True)
        written.append({p.relative_to(folder).as_posix(): p.read_bytes() for p in files})
    assert written[0].keys() == written[1].keys() and len(written[0]) > 3
    for name in written[0]:
        assert written[0][name] == written[1][name], name


def test_an_explanation_shows_the_periods_weighting(quarterly: Path) -> None:
    result = run(load_plan(_set_weights(quarterly, "[0.2, 0.2, 0.2, 0.4]")))
    march = result.months[2]
    member = next(line.member_id for line in result.lines() if line.period == march.month)
    text = render_explanation(explain(result, member, "2026-03"))
    assert "pool at target x the period's weighting x payout factor" in text, text
    assert " x 0.8 x " in text, text


def test_the_calibration_table_lists_the_weights_only_when_unequal(quarterly: Path) -> None:
    weighted = run(load_plan(_set_weights(quarterly, "[0.2, 0.2, 0.2, 0.4]")))
    table = render_calibration_table(weighted.plan, weighted.calibration)
    assert "Weights of the quarters           0.2, 0.2, 0.2, 0.4 of each plan year" in table
    assert "(amounts at target x 0.8, 0.8, 0.8, 1.6, quarter by quarter)" in table
    plain = run(load_plan(_set_weights(quarterly, None)))
    assert "Weights of the" not in render_calibration_table(plain.plan, plain.calibration)
