"""History and the norm: what performance has historically looked like.

History is a run of consecutive past months, each with the shared metric's
actual and, optionally, the target that applied then and what the old bonus
plan paid. The **norm** is the distribution of monthly attainment that
history shows, kept as the sample of historical attainments, each month
equally likely. Three methods derive it (the plan names one, results report
it):

``targets``
    History has targets: the sample is ``actual / target`` of every
    historical month. The plan's own targets are taken to be set like the old
    ones, so a plan month performing at historical attainment ``a`` has
    attainment ``a``.

``same_month_mean``
    History has no targets. The norm of a calendar month is the mean of the
    actuals of that calendar month over the history (every January, every
    February, ...); the sample is ``actual / norm`` of every historical month.

``trailing_mean``
    History has no targets. The norm of a historical month is the mean of the
    ``window`` months before it; the sample is ``actual / norm`` of every
    month that has a full window before it. Every plan month's norm is the
    mean of the last ``window`` historical months.

With the last two methods a plan month's target, unless the plan gives one,
is ``norm x (1 + uplift)``. Performance at historical attainment ``a`` then
gives the plan month attainment ``a x norm / target``, which is how the
calibration reads the sample (:meth:`Norm.scenario_ratio`).
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from jointbonus.core.number import D, decimal_text
from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError, argument, items

__all__ = ["HistoryError", "HistoryMonth", "Norm", "NormMethod", "derive_norm"]


class HistoryError(JointBonusError, ValueError):
    """History that cannot give a norm."""


class NormMethod(StrEnum):
    """How the norm is derived from history."""

    TARGETS = "targets"
    SAME_MONTH_MEAN = "same_month_mean"
    TRAILING_MEAN = "trailing_mean"


@dataclass(frozen=True, slots=True, init=False)
class HistoryMonth:
    """One past month: the shared metric's actual and, if known, target and old payout.

    ``functional`` holds the functional metrics' actuals that month and
    ``functional_targets`` their targets, by metric name. Numbers are exact:
    Decimals, ints or text; a float is refused
    (:class:`~jointbonus.errors.FloatMoneyError`).
    """

    month: Month
    actual: Decimal
    target: Decimal | None
    paid: Decimal | None
    functional: Mapping[str, Decimal]
    functional_targets: Mapping[str, Decimal]

    def __init__(  # noqa: PLR0917 - the positional order is the public API
        self,
        month: Month,
        actual: Decimal | int | str,
        target: Decimal | int | str | None = None,
        paid: Decimal | int | str | None = None,
        functional: Mapping[str, Decimal | int | str] | None = None,
        functional_targets: Mapping[str, Decimal | int | str] | None = None,
    ) -> None:
        values = {
            "month": month,
            "actual": D(actual),
            "target": None if target is None else D(target),
            "paid": None if paid is None else D(paid),
            "functional": {k: D(v) for k, v in (functional or {}).items()},
            "functional_targets": {k: D(v) for k, v in (functional_targets or {}).items()},
        }
        # A frozen value: each field is set once, here.
        for name, value in values.items():
            object.__setattr__(self, name, value)


@dataclass(frozen=True, slots=True)
class Norm:
    """The historical norm: a sample of attainments and, per calendar month, a level.

    ``sample`` holds one attainment per historical month used, in month order
    (``sample_months``). ``levels`` maps a calendar month (1-12) to the norm
    level of the shared metric for plan months (empty for the ``targets``
    method, where the plan's own target is the level).
    """

    method: NormMethod
    sample: tuple[Fraction, ...]
    sample_months: tuple[Month, ...]
    levels: dict[int, Fraction]
    window: int | None = None
    period: str = "month"
    """The period one attainment of the sample covers: ``month``, ``quarter`` or ``plan
    year`` (:mod:`jointbonus.core.plan_periods`)."""

    @property
    def mean_attainment(self) -> Fraction:
        """The mean of the sample: the attainment of the "norm path"."""
        return sum(self.sample, Fraction(0)) / len(self.sample)

    def level(self, month: Month) -> Fraction | None:
        """The norm level of the metric in a plan month (``None`` for ``targets``)."""
        if self.method is NormMethod.TARGETS:
            return None
        return self.levels[month.month]

    def target_for(self, month: Month, uplift: Fraction) -> Fraction:
        """The derived target of a plan month: ``norm x (1 + uplift)``."""
        level = self.level(month)
        if level is None:
            raise HistoryError(
                f"{month}: the 'targets' norm cannot derive a target; give the month's target"
            )
        return level * (1 + uplift)

    def scenario_ratio(self, month: Month, target: Fraction) -> Fraction:
        """Factor turning a historical attainment into the plan month's attainment."""
        level = self.level(month)
        return Fraction(1) if level is None else level / target

    def restricted(self, months: Sequence[Month]) -> Norm:
        """The norm with its sample cut to ``months`` (kept in sample order)."""
        keep = set(months)
        pairs = [(a, m) for a, m in zip(self.sample, self.sample_months, strict=True) if m in keep]
        return Norm(
            self.method,
            tuple(a for a, _ in pairs),
            tuple(m for _, m in pairs),
            self.levels,
            self.window,
            self.period,
        )

    def describe(self) -> str:
        if self.method is NormMethod.TARGETS:
            how = "historical attainment actual / target"
        elif self.method is NormMethod.SAME_MONTH_MEAN:
            how = "actual / mean of the same calendar month"
        else:
            how = f"actual / mean of the {self.window} months before it"
        if self.period != "month":
            periods = self.period if len(self.sample) == 1 else f"{self.period}s"
            return f"{self.method.value}: {len(self.sample)} {periods} of {how}, summed"
        return f"{self.method.value}: {len(self.sample)} months of {how}"


def _mean(values: Sequence[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def derive_norm(
    history: Sequence[HistoryMonth],
    method: NormMethod,
    plan_months: Sequence[Month],
    window: int = 12,
) -> Norm:
    """The norm that ``history`` shows, by ``method``, for a plan over ``plan_months``.

    History must be consecutive months in order (the loader checks this and
    reports the rows). Raises :class:`HistoryError` when the method cannot
    apply: missing targets, a calendar month with no history, a window longer
    than the history, or a norm level that is not positive.
    """
    history = items("history", history, HistoryMonth, "HistoryMonth values")
    argument("method", method, NormMethod, "a NormMethod")
    plan_months = items("plan_months", plan_months, Month, "Month values")
    argument("window", window, int, "a whole number of months")
    if not history:
        raise HistoryError("history: got no months, expected at least one past month")
    months = [h.month for h in history]
    for earlier, later in itertools.pairwise(months):
        if later.index() != earlier.index() + 1:
            raise HistoryError(f"history: {later} follows {earlier}; expected consecutive months")
    actuals = [Fraction(h.actual) for h in history]

    if method is NormMethod.TARGETS:
        missing = [str(h.month) for h in history if h.target is None]
        if missing:
            raise HistoryError(
                f"history: the 'targets' norm needs a target for every month; "
                f"missing for {', '.join(missing)}"
            )
        sample = []
        for h, actual in zip(history, actuals, strict=True):
            target = Fraction(h.target) if h.target is not None else Fraction(0)
            if target <= 0:
                raise HistoryError(f"history {h.month}: target {h.target} must be positive")
            sample.append(actual / target)
        return Norm(method, tuple(sample), tuple(months), {})

    if method is NormMethod.SAME_MONTH_MEAN:
        by_calendar: dict[int, list[Fraction]] = {}
        for h, actual in zip(history, actuals, strict=True):
            by_calendar.setdefault(h.month.month, []).append(actual)
        needed = sorted({m.month for m in plan_months})
        absent = [n for n in needed if n not in by_calendar]
        if absent:
            names = ", ".join(Month(2000, n).first_day.strftime("%B") for n in absent)
            raise HistoryError(
                f"history: the 'same_month_mean' norm needs each plan month's calendar month "
                f"in the history; none for {names}"
            )
        levels = {n: _mean(values) for n, values in by_calendar.items()}
        for n, level in levels.items():
            if level <= 0:
                raise HistoryError(
                    f"history: the mean actual of calendar month {n} is {decimal_text(level, 2)}; "
                    "a norm must be positive"
                )
        sample = [a / levels[h.month.month] for h, a in zip(history, actuals, strict=True)]
        return Norm(method, tuple(sample), tuple(months), levels)

    if window < 1:
        raise HistoryError(f"history window: got {window}, expected at least 1 month")
    if len(history) <= window:
        raise HistoryError(
            f"history: the 'trailing_mean' norm with a {window}-month window needs more than "
            f"{window} months of history, got {len(history)}"
        )
    sample = []
    sample_months = []
    for index in range(window, len(history)):
        level = _mean(actuals[index - window : index])
        if level <= 0:
            raise HistoryError(
                f"history {history[index].month}: the trailing mean before it is not positive"
            )
        sample.append(actuals[index] / level)
        sample_months.append(history[index].month)
    last = _mean(actuals[-window:])
    if last <= 0:
        raise HistoryError("history: the mean of the last window of actuals must be positive")
    levels = dict.fromkeys(range(1, 13), last)
    return Norm(method, tuple(sample), tuple(sample_months), levels, window)
