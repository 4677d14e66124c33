"""The plan's months: the calendar, the norm, and each month's target and actual.

The shared metric and every functional metric have the same shape: a
target for each plan month (given, or derived from the norm as ``norm x (1
+ uplift)``), an actual for each month that has one, and actuals arriving in
month order (a month after a pending one cannot have an actual).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.history import HistoryMonth, Norm, NormMethod, derive_norm
from jointbonus.core.number import D, decimal_text
from jointbonus.core.periods import Month, plan_months
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.build.checks import Checks

__all__ = ["MonthFigures", "MonthLabels", "calendar", "month_figures", "norm"]


def calendar(checks: Checks, first: Month | None, months: object) -> tuple[Month, ...]:
    """The plan's consecutive months, or none (and a problem) when they cannot be had."""
    if first is None or not isinstance(months, int) or not 1 <= months <= 120:
        return ()
    try:
        return plan_months(first, months)
    except JointBonusError:
        checks.add("months", months, f"a plan from {first} that ends by 9999-12")
        return ()


def norm(
    checks: Checks,
    history: Sequence[HistoryMonth],
    method: NormMethod | None,
    months: Sequence[Month],
    window: int,
    *,
    name: str = "history",
) -> Norm | None:
    """The norm ``history`` shows by ``method``, or ``None`` and a problem named ``name``."""
    if method is None or not months:
        return None
    try:
        return derive_norm(history, method, months, window)
    except JointBonusError as error:
        checks.add(name, f"{len(history)} months", str(error))
        return None


@dataclass(frozen=True, slots=True)
class MonthLabels:
    """How a metric's problems are named and what they say."""

    target: str
    """The name of a month's target: ``target`` or ``<metric>_target``."""
    actual: str
    """The name of a month's actual: ``actual`` or ``<metric>_actual``."""
    no_target: str
    """What was expected of a month with no target under the 'targets' norm."""
    not_a_number: str
    """What was expected of an actual that is not a number."""
    target_as_text: bool = False
    """Whether a target that is not positive is shown as the text it was given."""


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One plan month of a metric: its target (and where it came from) and actual."""

    month: Month
    target: Fraction
    actual: Decimal | None
    target_source: str


def month_figures(
    checks: Checks,
    *,
    calendar: Sequence[Month],
    norm: Norm,
    uplift: Fraction,
    targets: Mapping[Month, object],
    actuals: Mapping[Month, object],
    publish: Callable[[Fraction], Fraction],
    labels: MonthLabels,
    measured: Collection[Month] = (),
) -> list[MonthFigures]:
    """Each plan month's target and actual; a problem for each that cannot be had.

    A target not given is derived: ``norm x (1 + uplift)``, published with
    ``publish`` (rounded as the metric is written); the 'targets' norm derives
    none. Targets must be positive, actuals numbers >= 0 arriving in month order.
    A month of ``measured`` is final without an actual (a share of nothing, read
    over a longer period by its counts): it holds no later actual back.
    """
    figures: list[MonthFigures] = []
    pending_seen: Month | None = None
    for month in calendar:
        raw_target = targets.get(month)
        source = "plan"
        target: Fraction | None
        if raw_target is None:
            if norm.method is NormMethod.TARGETS:
                checks.add(f"{labels.target} {month}", None, labels.no_target)
                continue
            target = publish(norm.target_for(month, uplift))
            source = f"norm x (1 + {decimal_text(uplift * 100, 2)}%)"
        else:
            target = checks.fraction(raw_target, f"{labels.target} {month}", "a positive number")
            if target is None:
                continue
        if target <= 0:
            shown = str(raw_target) if labels.target_as_text else raw_target
            checks.add(f"{labels.target} {month}", shown, "a positive number")
            continue
        raw_actual = actuals.get(month)
        actual: Decimal | None = None
        if raw_actual is not None:
            try:
                actual = D(raw_actual)  # type: ignore[arg-type]
            except (JointBonusError, TypeError):
                checks.add(f"{labels.actual} {month}", raw_actual, labels.not_a_number)
                continue
            if actual < 0:
                checks.add(f"{labels.actual} {month}", str(actual), "a number >= 0")
            if pending_seen is not None:
                checks.add(
                    f"{labels.actual} {month}",
                    str(actual),
                    f"no actual after the pending month {pending_seen} "
                    "(actuals arrive in month order)",
                )
        elif pending_seen is None and month not in measured:
            pending_seen = month
        figures.append(MonthFigures(month, target, actual, source))
    return figures
