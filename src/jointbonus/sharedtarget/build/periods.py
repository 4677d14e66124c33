"""The plan's shared period: its months cut into periods, and the norm at their length.

A shared target over a quarter or a plan year needs the plan's months to be
a whole number of periods, and a history with at least one whole period of
the same length (:func:`~jointbonus.core.plan_periods.period_norm` says how
history is cut). Functional goals keep monthly targets and are paid month by
month; a plan with them keeps a monthly shared target: one historical month
supplies every metric's attainment together, and a longer shared period
would have to pair one historical period with several historical months.
"""

from __future__ import annotations

from collections.abc import Sequence

from jointbonus.core.history import HistoryMonth, Norm
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import PeriodLength, cut_periods, period_norm
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.goals import Functional

__all__ = ["shared_period_norm"]


def shared_period_norm(
    checks: Checks,
    length: PeriodLength,
    *,
    history: Sequence[HistoryMonth],
    monthly: Norm,
    calendar: Sequence[Month],
    functional: Functional,
) -> Norm:
    """The norm at ``length`` (``monthly`` itself for a monthly shared target), or
    ``monthly`` and a problem when the plan's months, goals or history do not fit it."""
    if length is PeriodLength.MONTH or not calendar:
        return monthly
    try:
        periods = cut_periods(calendar[0], len(calendar), length)
    except JointBonusError as error:
        checks.add("months", len(calendar), f"with period = '{length.value}': {error}")
        return monthly
    if any(terms.goals for terms in functional.terms):
        checks.add(
            "period",
            length.value,
            "'month' in a plan with functional goals: they are paid month by month, each "
            "historical month supplying every metric's attainment together",
        )
        return monthly
    try:
        return period_norm(history, monthly, length, periods)
    except JointBonusError as error:
        checks.add("history", f"{len(history)} months", str(error))
        return monthly
