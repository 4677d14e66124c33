"""Shared periods replayed from the outside: plans cut to whole periods, the norm at
the period's length derived again from history by its plain statement, and
plan years whose every period reaches a chosen attainment.

Used by the properties of longer shared periods and of their weights.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import reject
from hypothesis import strategies as st
from independent import detached, split_weight
from test_split_standing import _last_day, changed_rows

from jointbonus import (
    Calibration,
    CalibrationError,
    FundingStyle,
    Neutrality,
    NormMethod,
    Plan,
    PlanError,
    Result,
    build_plan,
    calibrate,
    pay,
)
from jointbonus.core.periods import plan_months
from jointbonus.core.plan_periods import PeriodLength
from strategies import PlanSpec, plan_specs

LONGER = (PeriodLength.QUARTER, PeriodLength.PLAN_YEAR)


@dataclass(frozen=True)
class PeriodSpec:
    """A generated plan cut to a whole number of longer shared periods."""

    spec: PlanSpec
    length: PeriodLength

    def build(self, **changes: object) -> Plan:
        """The plan with the longer shared period; drawn again if history has no whole one."""
        try:
            return build_plan(**{**self.spec.kwargs(), "period": self.length, **changes})
        except PlanError as error:
            if "whole" in str(error):
                reject()
            raise

    def payable(self) -> tuple[Plan, Calibration]:
        """The plan and its calibration; a plan that cannot be calibrated gets a fixed scale."""
        plan = self.build()
        try:
            return plan, calibrate(plan)
        except CalibrationError:
            fixed = "1000" if plan.funding is FundingStyle.POOL else "1.5"
            plan = self.build(scale=fixed)
            return plan, calibrate(plan)


@st.composite
def period_specs(
    draw: st.DrawFn,
    *,
    neutrality: Neutrality | None = None,
    funding: FundingStyle | None = None,
    movers: bool = False,
) -> PeriodSpec:
    """A plan of whole quarters or plan years, from :func:`strategies.plan_specs` (one
    period or more, over a history that holds a whole one: nothing to reject); with
    ``movers``, its members' standing changes on any day
    (:func:`test_split_standing.changed_rows`)."""
    length = draw(st.sampled_from(LONGER))
    size = length.months
    spec = draw(plan_specs(neutrality=neutrality, funding=funding, max_members=12, period=size))
    if movers:
        last = _last_day(spec.months, spec.calendar[0].first_day)
        # every member changes inside the plan: rows that began years before would else
        # mostly change before it
        within = (spec.calendar[0].first_day, spec.calendar[-1].last_day)
        rows = changed_rows(_Drawing(draw), spec.members, last, ("sales", "marketing"), within)
        spec = replace(spec, members=tuple(rows))
    months = spec.months // size * size
    keep = {str(m) for m in plan_months(spec.start, months)}
    cut = replace(
        spec,
        months=months,
        targets={k: v for k, v in spec.targets.items() if k in keep},
        actuals={k: v for k, v in spec.actuals.items() if k in keep},
    )
    return PeriodSpec(cut, length)


class _Drawing:
    """A composite strategy's ``draw`` where a helper expects ``st.data()``'s object."""

    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw


# -- the independent norm at a period's length ---------------------------------


def _month_levels(spec: PlanSpec) -> list[Fraction | None]:
    """Each historical month's level, by the method's plain statement."""
    history = spec.history
    actuals = [Fraction(str(h.actual)) for h in history]
    if spec.norm is NormMethod.TARGETS:
        return [Fraction(str(h.target)) for h in history]
    if spec.norm is NormMethod.SAME_MONTH_MEAN:
        by_calendar: dict[int, list[Fraction]] = {}
        for a, h in zip(actuals, history, strict=True):
            by_calendar.setdefault(h.month.month, []).append(a)
        return [sum(by_calendar[h.month.month]) / len(by_calendar[h.month.month]) for h in history]
    w = spec.window
    return [
        sum(actuals[i - w : i], Fraction(0)) / w if i >= w else None for i in range(len(history))
    ]


def historical_periods(period: PeriodSpec) -> list[Fraction]:
    """One attainment per whole historical period aligned with the plan's: summed / summed."""
    spec, size = period.spec, period.length.months
    levels = _month_levels(spec)
    runs: dict[int, list[int]] = {}
    for i, h in enumerate(spec.history):
        runs.setdefault((h.month.index() - spec.start.index()) // size, []).append(i)
    sample = []
    for key in sorted(runs):
        found = runs[key]
        if len(found) == size and all(levels[i] is not None for i in found):
            actual = sum(Fraction(str(spec.history[i].actual)) for i in found)
            sample.append(actual / sum(levels[i] for i in found))  # type: ignore[misc]
    return sample


def plan_level(period: PeriodSpec, plan: Plan, months: range) -> Fraction | None:
    """A plan period's summed norm level (``None`` under the targets norm)."""
    spec = period.spec
    if spec.norm is NormMethod.TARGETS:
        return None
    actuals = [Fraction(str(h.actual)) for h in spec.history]
    if spec.norm is NormMethod.TRAILING_MEAN:
        return len(months) * sum(actuals[-spec.window :], Fraction(0)) / spec.window
    total = Fraction(0)
    for j in months:
        calendar = plan.months[j].month.month
        same = [a for a, h in zip(actuals, spec.history, strict=True) if h.month.month == calendar]
        total += sum(same, Fraction(0)) / len(same)
    return total


def period_ratios(period: PeriodSpec, plan: Plan) -> list[Fraction]:
    """Per plan period: norm level summed / target summed (1 under the targets norm)."""
    size = period.length.months
    ratios = []
    for start in range(0, len(plan.months), size):
        months = range(start, start + size)
        level = plan_level(period, plan, months)
        target = sum((plan.months[j].target for j in months), Fraction(0))
        ratios.append(Fraction(1) if level is None else level / target)
    return ratios


def periods_at(plan: Plan, attainments: list[Fraction], size: int) -> Plan:
    """``plan`` with each period's summed actual / summed target = its attainment, written
    unevenly: the period's whole actual in its first month, against half its target."""
    months = list(plan.months)
    for p, attainment in enumerate(attainments):
        top, bottom = attainment.numerator, attainment.denominator
        for k in range(size):
            j = p * size + k
            if size == 1:
                target, actual = Fraction(bottom), Decimal(top)
            elif k == 0:
                target, actual = Fraction(bottom, 2), Decimal(top)
            else:
                target, actual = Fraction(bottom, 2 * (size - 1)), Decimal(0)
            months[j] = replace(months[j], target=target, actual=actual)
    return replace(plan, months=tuple(months))


def period_weights(plan: Plan, months: range) -> list[Fraction]:
    """Each member's split weight over the period: the sum over its months, day by day."""
    return [sum(split_weight(plan, m, plan.months[j].month) for j in months) for m in plan.members]


def rounded_in_year(plan: Plan, scale: Fraction, result: Result, size: int) -> int:
    """How many amounts the engine rounded: a pool per paying period (pool funding) or a
    line per member with a weight in it (individual funding)."""
    count = 0
    for j, month in enumerate(result.months):
        if not month.factor or not scale:
            continue
        weights = period_weights(plan, range(j - size + 1, j + 1))
        if plan.funding is FundingStyle.POOL:
            count += int(any(weights))
        else:
            count += sum(1 for w in weights if w)
    return count


def paid(result: Result) -> int:
    return sum(month.paid for month in result.months)


def replayed_cost(
    period: PeriodSpec, plan: Plan, calibration: Calibration
) -> tuple[Fraction, Fraction]:
    """The plan paid through the engine in each historical period's year (every period at
    that historical attainment, the plan's target ratios kept), averaged: the mean cost and
    its rounding bound (half a minor unit per amount rounded), in minor units."""
    sample = historical_periods(period)
    ratios = period_ratios(period, plan)
    size = period.length.months
    total = rounded = 0
    for historical in sample:
        year = periods_at(plan, [historical * r for r in ratios], size)
        result = pay(year, detached(calibration))
        total += paid(result)
        rounded += rounded_in_year(year, calibration.scale, result, size)
    return Fraction(total, len(sample)), Fraction(rounded, 2 * len(sample))
