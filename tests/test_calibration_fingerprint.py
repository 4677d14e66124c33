"""A calibration carries its plan's fingerprint; paying another plan with it is refused."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import jointbonus
from jointbonus import CalibrationError, calibrate, cost_risk, pay
from jointbonus.sharedtarget.calibration import plan_fingerprint
from strategies import examples, payable, plan_specs

ROOT = Path(__file__).resolve().parent.parent
DIGITAL = ROOT / "examples" / "digital_manufacturing" / "plan.toml"
ALPINE = ROOT / "examples" / "alpine_outfitters" / "plan.toml"


def without_actuals(plan: jointbonus.Plan) -> jointbonus.Plan:
    return replace(plan, months=tuple(replace(m, actual=None) for m in plan.months))


def test_a_calibration_for_another_plan_is_refused_naming_both_fingerprints() -> None:
    digital, alpine = jointbonus.load_plan(DIGITAL), jointbonus.load_plan(ALPINE)
    calibration = calibrate(digital)
    assert calibration.plan_fingerprint == plan_fingerprint(digital)
    for use in (lambda: pay(alpine, calibration), lambda: cost_risk(alpine, calibration)):
        with pytest.raises(CalibrationError) as caught:
            use()
        message = str(caught.value)
        assert plan_fingerprint(digital)[:16] in message
        assert plan_fingerprint(alpine)[:16] in message
        assert "jointbonus.calibrate(plan)" in message


def test_actuals_and_the_files_read_are_not_part_of_the_fingerprint() -> None:
    digital = jointbonus.load_plan(DIGITAL)
    bare = replace(without_actuals(digital), provenance=None)
    assert plan_fingerprint(bare) == plan_fingerprint(digital)
    calibration = calibrate(bare)  # calibrated before any actual arrived
    assert pay(digital, calibration) == jointbonus.run(digital)


def test_the_fingerprint_is_the_same_in_another_process_and_for_an_equal_plan() -> None:
    code = (
        "import jointbonus\n"
        "from jointbonus.sharedtarget.calibration import plan_fingerprint\n"
        f"print(plan_fingerprint(jointbonus.load_plan({str(DIGITAL)!r})))\n"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert other == plan_fingerprint(jointbonus.load_plan(DIGITAL))
    assert len(other) == 64


def test_a_calibration_made_by_hand_is_taken_as_it_is() -> None:
    digital, alpine = jointbonus.load_plan(DIGITAL), jointbonus.load_plan(ALPINE)
    by_hand = replace(calibrate(alpine), work=None)
    assert by_hand.plan_fingerprint is None
    assert pay(alpine, by_hand).summary == jointbonus.run(alpine).summary
    assert pay(digital, by_hand).calibration is by_hand  # nothing to check it against


@examples(4)
@given(
    plan_specs(),
    st.sampled_from(["target", "fte", "budget", "curve"]),
    st.integers(min_value=0, max_value=10_000),
)
def test_a_change_calibration_reads_changes_the_fingerprint_and_is_refused(
    spec, change: str, seed: int
) -> None:
    plan = payable(spec).build()
    calibration = calibrate(plan)
    # Actuals alone: the same plan to calibration.
    assert calibration.plan_fingerprint == plan_fingerprint(without_actuals(plan))
    pay(plan, calibration)
    if change == "target":
        j = seed % len(plan.months)
        month = plan.months[j]
        months = (*plan.months[:j], replace(month, target=month.target + 1), *plan.months[j + 1 :])
        other = replace(plan, months=months)
    elif change == "fte":
        k = seed % len(plan.members)
        member = plan.members[k]
        fte = Decimal("0.5") if member.fte != Decimal("0.5") else Decimal("1")
        moved = jointbonus.Member(
            member.id,
            member.team,
            member.start,
            member.end,
            fte,
            salary=member.salary,
            target_bonus=member.target_bonus,
        )
        other = replace(plan, members=(*plan.members[:k], moved, *plan.members[k + 1 :]))
    elif change == "budget":
        other = replace(plan, budget=replace(plan.budget, amount=plan.budget.amount + 1))
    else:
        other = replace(plan, curve=jointbonus.StepCurve(Fraction(7, 5), Fraction(3)))
    if other == plan:  # the change happened to leave the plan as it was
        return
    assert plan_fingerprint(other) != calibration.plan_fingerprint
    with pytest.raises(CalibrationError):
        pay(other, calibration)
