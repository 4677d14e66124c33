"""The plan's shared period: its months cut into periods, and the norm at their length.

A shared target over a quarter or a plan year needs the plan's months to be
a whole number of periods, and a history with at least one whole period of
the same length (:func:`~jointbonus.core.plan_periods.period_norm` says how
history is cut). Functional goals keep monthly targets and are paid month by
month, also in a plan whose shared target runs over a longer period: one
historical period then supplies its shared attainment and each of its
months' attainments of every metric together
(:func:`~jointbonus.core.plan_periods.period_months`).

The periods of a plan year may weigh unequally in its amounts at target
(``period_weights``): one weight per period of a plan year, each a share
from 0 to 1, adding to exactly 1.

>>> checks = Checks()
>>> period_weights(checks, ["0.2", "0.2", "0.2", "0.4"], PeriodLength.QUARTER)
(Fraction(1, 5), Fraction(1, 5), Fraction(1, 5), Fraction(2, 5))
>>> period_weights(checks, ["0.5", "0.6"], PeriodLength.QUARTER)
()
>>> print(checks.problems[0].expected)
4 weights, one per quarter of a plan year (period = 'quarter'); got 2
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from jointbonus.core.history import HistoryMonth, Norm
from jointbonus.core.number import decimal_text
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import PeriodLength, cut_periods, period_norm
from jointbonus.core.rules import SHARE
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.goals import Functional

__all__ = ["advance_share", "period_weights", "shared_period_norm"]


def period_weights(
    checks: Checks, weights: Sequence[object] | None, length: PeriodLength | None
) -> tuple[Fraction, ...]:
    """``weights`` as exact fractions, one per period of a plan year (``()`` when not
    given: equal weights), or ``()`` and a problem for each way they do not fit."""
    if weights is None or length is None:
        return ()
    name = "period_weights"
    count = length.per_year
    expected = f"{count} weights, one per {length.noun} of a plan year (period = '{length.value}')"
    if isinstance(weights, str | bytes) or not isinstance(weights, Sequence):
        checks.add(name, weights, f"a list of {expected}")
        return ()
    shown = "[" + ", ".join(str(w) for w in weights) + "]"
    if len(weights) != count:
        checks.add(name, shown, f"{expected}; got {len(weights)}")
        return ()
    exact = []
    for place, weight in enumerate(weights, 1):
        which = f"weight {place} of {count} (its {length.noun} {place})"
        value = checks.fraction(weight, name, f"{which}: a decimal share from 0 to 1")
        if value is None:
            return ()
        if not SHARE.holds(value):
            sign = "; a weight cannot be negative" if value < 0 else ""
            checks.add(name, weight, f"{which}: a share from 0 to 1{sign}")
            return ()
        exact.append(value)
    total = sum(exact, Fraction(0))
    if total != 1:
        checks.add(
            name,
            shown,
            f"weights adding to exactly 1, one per {length.noun} of a plan year; they add "
            f"to {decimal_text(total, 6).rstrip('0').rstrip('.')}",
        )
        return ()
    return tuple(exact)


def advance_share(
    checks: Checks, advance: object, length: PeriodLength | None, holdback: Fraction | None
) -> Fraction | None:
    """The share of a longer period's pay advanced month by month (``None``: no advances),
    or ``None`` and a problem when it is not a share above 0 and at most 1, or the plan
    has no longer period to advance, or holds part of its pay back."""
    if advance is None:
        return None
    expected = "a share above 0, at most 1, such as 0.5 (half the pay earned so far)"
    value = checks.fraction(advance, "advance", expected)
    if value is None:
        return None
    if not 0 < value <= 1:
        checks.add("advance", advance, expected)
        return None
    if length is PeriodLength.MONTH:
        checks.add(
            "advance",
            advance,
            "no advance with a monthly shared target (period = 'month'): advances are paid "
            "in the months inside a quarter or a plan year (period = 'quarter' or 'plan_year')",
        )
        return None
    if holdback:
        checks.add(
            "advance",
            advance,
            "no advance in a plan with a holdback: the true-up settles the period's pay at "
            "its end, so nothing of the advances is held back (set holdback = 0)",
        )
        return None
    return value


def shared_period_norm(
    checks: Checks,
    length: PeriodLength,
    *,
    history: Sequence[HistoryMonth],
    monthly: Norm,
    calendar: Sequence[Month],
    functional: Functional,
) -> tuple[Norm, Norm | None]:
    """The norm at ``length`` (``monthly`` itself for a monthly shared target), and in a plan
    with functional goals and a longer period the monthly norm its months read too; or
    ``monthly`` and a problem when the plan's months, goals or history do not fit it.

    With functional goals, a historical period counts only if each of its months
    supplies every metric's attainment (``monthly``'s sample, cut to the months
    all metrics have): the joint sample
    (:func:`~jointbonus.core.plan_periods.period_months`) keeps a period's months
    together.
    """
    if length is PeriodLength.MONTH or not calendar:
        return monthly, None
    try:
        periods = cut_periods(calendar[0], len(calendar), length)
    except JointBonusError as error:
        checks.add("months", len(calendar), f"with period = '{length.value}': {error}")
        return monthly, None
    goals = any(terms.goals for terms in functional.terms)
    try:
        norm = period_norm(history, monthly, length, periods)
    except JointBonusError as error:
        checks.add("history", f"{len(history)} months", str(error))
        return monthly, None
    if not goals:
        return norm, None
    known = {m.index() for m in monthly.sample_months}
    whole = [
        start
        for start in norm.sample_months
        if all(start.index() + k in known for k in range(length.months))
    ]
    if not whole:
        checks.add(
            "history",
            f"{len(history)} months",
            f"at least one whole {length.noun} of history in which the shared metric and "
            "every functional metric have an attainment each month",
        )
        return monthly, None
    return norm.restricted(whole), monthly
