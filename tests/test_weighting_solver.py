"""The weighting solver on a plan worked by hand (docs/calibration.md has its figures)."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from jointbonus import (
    CalibrationError,
    D,
    GoalSpec,
    HistoryMonth,
    LinearCurve,
    Member,
    MetricSpec,
    Month,
    Plan,
    StepCurve,
    TeamSpec,
    build_plan,
    calibrate,
)

# Shared attainment, follow-ups and leads in four historical months: the shared
# target is hit 2 times in 4, each goal 3 times in 4.
HISTORY = [
    HistoryMonth(
        Month(2025, m),
        D(shared),
        D(100),
        functional={"followups": D(f), "leads": D(lead)},
        functional_targets={"followups": D(100), "leads": D(100)},
    )
    for m, shared, f, lead in [
        (9, 100, 100, 100),
        (10, 90, 100, 80),
        (11, 110, 80, 100),
        (12, 80, 100, 100),
    ]
]


def two_teams(
    sales: TeamSpec | None = None,
    marketing: TeamSpec | None = None,
    curve: StepCurve | LinearCurve | None = None,
    **options: object,
) -> Plan:
    return build_plan(
        name="Two teams",
        currency="USD",
        start="2026-01",
        months=1,
        budget="300.00",
        members=[
            Member("A", "sales", date(2025, 1, 1), None, D(1)),
            Member("B", "marketing", date(2025, 1, 1), None, D(1)),
        ],
        history=HISTORY,
        curve=curve or StepCurve(),
        targets={"2026-01": "100"},
        teams=[
            sales
            or TeamSpec(
                "sales", expected_shared_split="0.5", goals=(GoalSpec("followups", 1, StepCurve()),)
            ),
            marketing
            or TeamSpec(
                "marketing", expected_shared_split="0.5", goals=(GoalSpec("leads", 1, StepCurve()),)
            ),
        ],
        metrics=[
            MetricSpec("followups", targets={"2026-01": "100"}),
            MetricSpec("leads", targets={"2026-01": "100"}),
        ],
        **options,  # type: ignore[arg-type]
    )


def test_the_solved_weight_gives_the_wanted_split() -> None:
    # S = 1/2 T, F = 3/4 T: w = (1/2 x 3/4) / (1/2 x 3/4 + 1/2 x 1/2) = 3/5.
    calibration = calibrate(two_teams())
    assert [(w.nominal, w.expected) for w in calibration.weights] == [
        (Fraction(3, 5), Fraction(1, 2))
    ] * 2
    assert calibration.scale == 500


def test_a_given_weight_is_kept_and_its_expected_split_reported() -> None:
    sales = TeamSpec("sales", shared_weight="0.5", goals=(GoalSpec("followups", 1, StepCurve()),))
    weight = calibrate(two_teams(sales=sales)).weights[0]
    # 1/2 x 1/2 / (1/2 x 1/2 + 1/2 x 3/4) = 2/5
    assert (weight.nominal, weight.wanted, weight.expected) == (
        Fraction(1, 2),
        None,
        Fraction(2, 5),
    )


@pytest.mark.parametrize("split", ["0", "1"])
def test_an_all_or_nothing_split_is_the_weight_itself(split: str) -> None:
    sales = TeamSpec(
        "sales", expected_shared_split=split, goals=(GoalSpec("followups", 1, StepCurve()),)
    )
    weight = calibrate(two_teams(sales=sales)).weights[0]
    assert weight.nominal == weight.expected == Fraction(split)


def test_a_split_of_one_needs_no_functional_pay() -> None:
    """Goals that never pay cannot carry earnings, but a wanted split of 1 asks none of them."""
    never = LinearCurve.of([("2", "1")])  # pays only at 200% of target
    sales = TeamSpec("sales", expected_shared_split="1", goals=(GoalSpec("followups", 1, never),))
    weight = calibrate(two_teams(sales=sales)).weights[0]
    assert (weight.nominal, weight.expected, weight.functional_expected) == (
        Fraction(1),
        Fraction(1),
        Fraction(0),
    )


def test_a_split_the_goals_cannot_carry_is_refused() -> None:
    never = LinearCurve.of([("2", "1")])
    sales = TeamSpec("sales", expected_shared_split="0.5", goals=(GoalSpec("followups", 1, never),))
    with pytest.raises(
        CalibrationError,
        match=r"team sales's expected shared split of 50\.0%.*functional goals never pay",
    ):
        calibrate(two_teams(sales=sales))


def test_a_split_the_shared_goal_cannot_carry_is_refused() -> None:
    never = LinearCurve.of([("2", "1")])  # the shared target pays only at 200%
    marketing = TeamSpec(
        "marketing", shared_weight="0.5", goals=(GoalSpec("leads", 1, StepCurve()),)
    )
    with pytest.raises(
        CalibrationError, match=r"expected shared split of 50\.0%.*shared part never pays"
    ):
        calibrate(two_teams(marketing=marketing, curve=never))


def test_a_functional_gate_moves_the_weight_and_the_scale() -> None:
    gated = calibrate(two_teams(functional_gate="0.9"))
    assert [w.nominal for w in gated.weights] == [Fraction(1, 2)] * 2
    assert gated.scale == 600


def test_a_shared_gate_closes_the_shared_part_in_expectation() -> None:
    # Sales' shared part pays only where follow-ups reach 100%: scenarios 1, 2 and 4;
    # the shared target is hit in scenario 1 only, so S = 1/4 T; F = 3/4 T.
    sales = calibrate(two_teams(shared_gate="1")).weights[0]
    assert sales.nominal == Fraction(3, 4)  # (1/2 x 3/4) / (1/2 x 3/4 + 1/2 x 1/4)
    assert sales.expected == Fraction(1, 2)
