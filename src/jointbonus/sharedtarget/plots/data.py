"""What each picture shows: exact figures from the result and the cost risk, no plotting.

Every figure here is the one the engine or :func:`~jointbonus.cost_risk`
computed -- fractions and minor units, never floats -- so a test (or a caller
drawing with another library) can check a picture's data against the tables.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from jointbonus.core.curves import LinearCurve
from jointbonus.core.periods import Month
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from jointbonus.sharedtarget.results import MonthStatus, Result
from jointbonus.sharedtarget.risk import CostDistribution, CostRisk, RiskMethod

__all__ = [
    "MAX_BINS",
    "AttainmentMonth",
    "AttainmentPicture",
    "CostBar",
    "CostPanel",
    "CostPicture",
    "CurveMonth",
    "CurvePicture",
    "attainment_picture",
    "cost_picture",
    "curve_picture",
]

#: A cost distribution with more distinct values than this is drawn as a histogram.
MAX_BINS = 50
#: Attainment margin shown either side of the curve's points and the months.
_MARGIN = Fraction(1, 10)
#: The axis ends are rounded out to multiples of this attainment.
_GRID = Fraction(1, 20)


@dataclass(frozen=True, slots=True)
class CurveMonth:
    """A paid month as a point on the payout curve."""

    month: Month
    attainment: Fraction
    factor: Fraction
    hit: bool


@dataclass(frozen=True, slots=True)
class CurvePicture:
    """The payout curve from ``low`` to ``high`` attainment, with the paid months on it."""

    title: str
    description: str
    """The curve in words (:meth:`~jointbonus.StepCurve.describe`)."""
    outline: tuple[tuple[Fraction, Fraction], ...]
    """``(attainment, factor)`` corners of the line drawn, left to right; a jump is
    two corners at the same attainment (a step at its threshold, a linear curve
    whose first point pays)."""
    threshold: Fraction
    """The lowest attainment that pays (:attr:`~jointbonus.StepCurve.threshold_attainment`)."""
    months: tuple[CurveMonth, ...]
    """The months paid so far, in order."""
    pool_at_target: int | None
    """Pool funding: the pool of a month at factor 1, minor units (the right-hand axis
    gives the pool at each factor); individual funding, or a plan with functional
    goals (whose shared pool is only the teams' shared weights' slice of it, and
    changes with each month's roster): ``None``."""
    currency: str
    minor_unit: int

    @property
    def low(self) -> Fraction:
        return self.outline[0][0]

    @property
    def high(self) -> Fraction:
        return self.outline[-1][0]


@dataclass(frozen=True, slots=True)
class AttainmentMonth:
    """One plan month: target, actual and attainment; hit or miss once paid."""

    month: Month
    target: Fraction
    """Major units."""
    actual: Fraction | None
    """Major units; ``None`` while pending."""
    attainment: Fraction | None
    factor: Fraction | None
    hit: bool | None
    status: MonthStatus


@dataclass(frozen=True, slots=True)
class AttainmentPicture:
    """Every plan month's attainment against its target (100%)."""

    title: str
    months: tuple[AttainmentMonth, ...]
    threshold: Fraction
    """Where the payout curve starts to pay; drawn as a second line when not 100%."""
    pays_from: str
    """The same in words (:meth:`~jointbonus.StepCurve.pays_from`)."""
    currency: str

    @property
    def hits(self) -> int:
        return sum(1 for m in self.months if m.hit)

    @property
    def paid(self) -> int:
        return sum(1 for m in self.months if m.status is MonthStatus.PAID)

    @property
    def pending(self) -> int:
        return len(self.months) - self.paid


@dataclass(frozen=True, slots=True)
class CostBar:
    """The chance that the year costs from ``low`` to ``high`` minor units (both included).

    A bar of one value (``low == high``) is a cost the year takes exactly.
    """

    low: int
    high: int
    chance: Fraction


@dataclass(frozen=True, slots=True)
class CostPanel:
    """One distribution of the year's cost, as bars with its marks (minor units)."""

    label: str
    """What is drawn (:attr:`~jointbonus.CostDistribution.label`)."""
    method: RiskMethod
    years: int | None
    seed: int | None
    bars: tuple[CostBar, ...]
    """Every distinct cost (at most :data:`MAX_BINS`), else bins of equal width."""
    mean: Fraction
    percentile_5: int
    percentile_95: int
    chance_above_budget: Fraction
    """``P(cost > budget)``."""

    @property
    def binned(self) -> bool:
        return any(bar.low != bar.high for bar in self.bars)


@dataclass(frozen=True, slots=True)
class CostPicture:
    """The year's cost under the norm (and given the paid months), with the budget."""

    title: str
    currency: str
    minor_unit: int
    budget: int
    """The neutral budget, minor units."""
    panels: tuple[CostPanel, ...]
    """The year under the norm; then, once months are paid, the year given them."""


def curve_picture(result: Result) -> CurvePicture:
    """The payout curve of ``result``'s plan, with each paid month on it.

    The outline runs from a little below the lowest of the curve's threshold
    and the paid months' attainments to a little above the highest of its last
    point and theirs (10 points of attainment, rounded out to 5%).
    """
    plan = result.plan
    curve = plan.curve
    paid = tuple(
        CurveMonth(m.month, m.attainment, m.factor, bool(m.hit))
        for m in result.months
        if m.status is MonthStatus.PAID and m.attainment is not None and m.factor is not None
    )
    if isinstance(curve, LinearCurve):
        corners = [(curve.points[0][0], Fraction(0)), *curve.points]
    else:
        corners = [(curve.threshold, Fraction(0)), (curve.threshold, curve.payout)]
    marks = [a for a, _ in corners] + [m.attainment for m in paid]
    low = max(Fraction(0), _grid_floor(min(marks) - _MARGIN))
    high = _grid_ceil(max(marks) + _MARGIN)
    outline = [(low, Fraction(0)), *corners, (high, curve.max_factor)]
    pool = (
        plan.currency.round_to_minor(result.calibration.scale)
        if plan.funding is FundingStyle.POOL and not plan.weighted
        else None
    )
    return CurvePicture(
        title=plan.name,
        description=curve.describe(),
        outline=_corners(outline),
        threshold=curve.threshold_attainment,
        months=paid,
        pool_at_target=pool,
        currency=plan.currency.code,
        minor_unit=plan.currency.minor_unit,
    )


def attainment_picture(result: Result) -> AttainmentPicture:
    """Each plan month of ``result``: target, actual, attainment and hit, as the engine paid it."""
    months = tuple(
        AttainmentMonth(
            month=m.month,
            target=m.plan_month.target,
            actual=None if m.plan_month.actual is None else Fraction(m.plan_month.actual),
            attainment=m.attainment,
            factor=m.factor,
            hit=m.hit,
            status=m.status,
        )
        for m in result.months
    )
    return AttainmentPicture(
        title=result.plan.name,
        months=months,
        threshold=result.plan.curve.threshold_attainment,
        pays_from=result.plan.curve.pays_from(),
        currency=result.plan.currency.code,
    )


def cost_picture(plan: Plan, risk: CostRisk) -> CostPicture:
    """The cost risk of ``plan`` (from :func:`~jointbonus.cost_risk`) as bars and marks.

    A distribution with at most :data:`MAX_BINS` distinct costs (a step plan's)
    is drawn value by value; any other is cut into at most :data:`MAX_BINS`
    bins of equal width, in minor units, from its minimum to its maximum, each
    with the exact share of the weight that falls in it.
    """
    panels = tuple(
        CostPanel(
            label=distribution.label,
            method=distribution.method,
            years=distribution.years,
            seed=distribution.seed,
            bars=_bars(distribution),
            mean=distribution.mean,
            percentile_5=distribution.percentile(5),
            percentile_95=distribution.percentile(95),
            chance_above_budget=distribution.chance_above(risk.budget),
        )
        for distribution in risk.distributions
    )
    return CostPicture(
        title=plan.name,
        currency=plan.currency.code,
        minor_unit=plan.currency.minor_unit,
        budget=risk.budget,
        panels=panels,
    )


def _bars(distribution: CostDistribution) -> tuple[CostBar, ...]:
    total = distribution.total_weight
    points = distribution.points()
    if len(points) <= MAX_BINS:
        return tuple(CostBar(cost, cost, chance) for cost, chance in points)
    low, high = distribution.minimum, distribution.maximum
    width = -(-(high - low + 1) // MAX_BINS)  # ceiling: at most MAX_BINS bins cover every cost
    amounts, cumulative = distribution.amounts, distribution.cumulative

    def weight_up_to(cost: int) -> int:
        index = bisect_right(amounts, cost)
        return cumulative[index - 1] if index else 0

    bars = []
    for start in range(low, high + 1, width):
        end = min(start + width - 1, high)
        weight = weight_up_to(end) - weight_up_to(start - 1)
        bars.append(CostBar(start, end, Fraction(weight, total)))
    return tuple(bars)


def _grid_floor(value: Fraction) -> Fraction:
    return math.floor(value / _GRID) * _GRID


def _grid_ceil(value: Fraction) -> Fraction:
    return math.ceil(value / _GRID) * _GRID


def _corners(points: Sequence[tuple[Fraction, Fraction]]) -> tuple[tuple[Fraction, Fraction], ...]:
    """``points`` without repeats of the corner before (a jump of zero height)."""
    kept: list[tuple[Fraction, Fraction]] = []
    for point in points:
        if not kept or kept[-1] != point:
            kept.append(point)
    return tuple(kept)
