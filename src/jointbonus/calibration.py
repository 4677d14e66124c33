"""Calibration: the scale that makes the plan cost what the old plan cost.

The plan's **scale** is the pool at target per month (pool funding) or the
multiplier on every target bonus (individual funding). Everything the plan
pays is proportional to it before rounding, so the expected cost is linear in
the scale and the neutral scale is exact::

    scale = budget / unit_cost

``unit_cost`` is the plan's cost at scale 1, by the plan's neutrality:

``expected_cost`` (default)
    The average, over the historical attainment sample, of what the plan
    would pay in its months to its roster. Each historical month is equally
    likely and supplies the attainment of every plan month in that scenario
    (scaled by ``norm / target`` where the targets are derived from the norm).
``norm_path``
    What the plan would pay with every month exactly at the norm: the mean
    historical attainment.

The scale is kept exact (a fraction). After rounding to minor units the
expected cost differs from the budget by the **residual**, which is at most
half a minor unit per rounded amount (each paid pool under pool funding,
each paid line under individual funding); both are reported.

A plan that would pay nothing at historical performance cannot be calibrated:
:func:`calibrate` raises :class:`~jointbonus.errors.CalibrationError` saying
what to change.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from jointbonus.errors import CalibrationError
from jointbonus.frame import MonthFrame, frame_months, month_cost
from jointbonus.number import percent_text
from jointbonus.periods import Month
from jointbonus.plan import FundingStyle, Neutrality, Plan, Split

__all__ = ["Calibration", "MonthExpectation", "calibrate", "scenario_factors"]


@dataclass(frozen=True, slots=True)
class MonthExpectation:
    """What calibration expects of one plan month."""

    month: Month
    norm_attainment: Fraction
    """Attainment at the norm: mean historical attainment x norm / target."""
    hit_rate: Fraction
    """Share of historical scenarios in which the month pays anything."""
    mean_factor: Fraction
    """Mean payout factor over the historical scenarios."""
    expected_cost: Fraction
    """Mean over the scenarios of what the month pays, in minor units (after rounding)."""
    norm_path_cost: int
    """What the month pays at the norm, in minor units."""


@dataclass(frozen=True, slots=True)
class Calibration:
    """The plan's scale and the evidence that it is neutral."""

    neutrality: Neutrality
    budget: int
    """The neutral budget B, minor units."""
    scale: Fraction
    """Pool at target per month (major units) or target bonus multiplier; exact."""
    calibrated: bool
    """True when the scale was solved for; False when the plan fixed it."""
    unit_cost: Fraction
    """The neutral cost at scale 1, major units."""
    expected_cost: Fraction
    """Expected cost after rounding, minor units (mean over the scenarios)."""
    norm_path_cost: int
    """Cost with every month at the norm, minor units."""
    residual: Fraction
    """Neutral cost after rounding minus the budget, minor units."""
    rounding_bound: Fraction
    """Half a minor unit per rounded amount: the residual's bound when calibrated."""
    scenarios: int
    """Number of historical months in the attainment sample."""
    months: tuple[MonthExpectation, ...]

    @property
    def within_bound(self) -> bool:
        return abs(self.residual) <= self.rounding_bound


def scenario_factors(plan: Plan, frame: MonthFrame) -> Counter[Fraction]:
    """How many historical scenarios give each payout factor in ``frame``'s month."""
    plan_month = frame.plan_month
    ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
    return Counter(plan.curve.factor(a * ratio) for a in plan.norm.sample)


def calibrate(plan: Plan, frames: Sequence[MonthFrame] | None = None) -> Calibration:
    """Solve for the plan's neutral scale (or check a fixed one) and report the evidence."""
    frames = frame_months(plan) if frames is None else frames
    scenarios = len(plan.norm.sample)
    mean_attainment = plan.norm.mean_attainment
    budget_major = Fraction(plan.budget.amount, plan.currency.scale)

    factor_counts = [scenario_factors(plan, frame) for frame in frames]
    norm_factors = []
    unit_expected = Fraction(0)
    unit_norm = Fraction(0)
    for frame, counts in zip(frames, factor_counts, strict=True):
        plan_month = frame.plan_month
        ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
        norm_factor = plan.curve.factor(mean_attainment * ratio)
        norm_factors.append(norm_factor)
        at_one = month_cost(plan, frame, Fraction(1), Fraction(1)).exact
        mean_factor = sum((f * n for f, n in counts.items()), Fraction(0)) / scenarios
        unit_expected += at_one * mean_factor
        unit_norm += at_one * norm_factor

    neutral_unit = unit_expected if plan.neutrality is Neutrality.EXPECTED_COST else unit_norm
    if plan.fixed_scale is not None:
        scale = plan.fixed_scale
    elif neutral_unit == 0:
        raise CalibrationError(_why_unpayable(plan, frames))
    else:
        scale = budget_major / neutral_unit

    months = []
    expected_total = Fraction(0)
    expected_bound = Fraction(0)
    norm_total = 0
    norm_bound = Fraction(0)
    for frame, counts, norm_factor in zip(frames, factor_counts, norm_factors, strict=True):
        month_expected = Fraction(0)
        for factor, count in counts.items():
            cost = month_cost(plan, frame, scale, factor)
            month_expected += Fraction(cost.paid * count, scenarios)
            expected_bound += cost.bound * count / scenarios
        on_norm = month_cost(plan, frame, scale, norm_factor)
        norm_total += on_norm.paid
        norm_bound += on_norm.bound
        expected_total += month_expected
        plan_month = frame.plan_month
        ratio = plan.norm.scenario_ratio(plan_month.month, plan_month.target)
        months.append(
            MonthExpectation(
                month=plan_month.month,
                norm_attainment=mean_attainment * ratio,
                hit_rate=Fraction(sum(n for f, n in counts.items() if f > 0), scenarios),
                mean_factor=sum((f * n for f, n in counts.items()), Fraction(0)) / scenarios,
                expected_cost=month_expected,
                norm_path_cost=on_norm.paid,
            )
        )

    if plan.neutrality is Neutrality.EXPECTED_COST:
        residual = expected_total - plan.budget.amount
        bound = expected_bound
    else:
        residual = Fraction(norm_total - plan.budget.amount)
        bound = norm_bound
    return Calibration(
        neutrality=plan.neutrality,
        budget=plan.budget.amount,
        scale=scale,
        calibrated=plan.fixed_scale is None,
        unit_cost=neutral_unit,
        expected_cost=expected_total,
        norm_path_cost=norm_total,
        residual=residual,
        rounding_bound=bound,
        scenarios=scenarios,
        months=tuple(months),
    )


def _why_unpayable(plan: Plan, frames: Sequence[MonthFrame]) -> str:
    """The message for a plan whose neutral cost at scale 1 is zero."""
    if not any(frame.eligible for frame in frames):
        what, check = "member", ""
        if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
            what, check = "member with a target bonus above 0", "the target bonuses, "
        elif plan.split is Split.SALARY:
            what, check = "member with a salary above 0", "the salaries, "
        return (
            f"cannot calibrate '{plan.name}': no {what} is eligible in any plan month; "
            f"check {check}the roster's start and end dates, the leaver rule and the plan's "
            "months"
        )
    if plan.curve.max_factor == 0:
        return (
            f"cannot calibrate '{plan.name}': the payout curve pays nothing at any "
            "attainment (its highest payout factor is 0); give it a payout above 0"
        )
    threshold = percent_text(plan.curve.threshold_attainment)
    if plan.neutrality is Neutrality.NORM_PATH:
        best_norm = max(
            plan.norm.mean_attainment
            * plan.norm.scenario_ratio(f.plan_month.month, f.plan_month.target)
            for f in frames
        )
        return (
            f"cannot calibrate '{plan.name}' for norm-path neutrality: at the norm "
            "(the mean historical attainment) the best plan month reaches "
            f"{percent_text(best_norm)} of its target, but the curve pays nothing below "
            f"{threshold}. Lower the curve's threshold, lower the targets (a smaller "
            "uplift), or use expected_cost neutrality"
        )
    best = max(
        a * plan.norm.scenario_ratio(f.plan_month.month, f.plan_month.target)
        for f in frames
        if f.eligible
        for a in plan.norm.sample
    )
    return (
        f"cannot calibrate '{plan.name}': the plan can never pay at historical performance. "
        f"The best of the {len(plan.norm.sample)} historical months would reach "
        f"{percent_text(best)} of a plan month's target, but the curve pays nothing below "
        f"{threshold}. Lower the curve's threshold, lower the targets (a smaller uplift), "
        "or start the curve lower"
    )
