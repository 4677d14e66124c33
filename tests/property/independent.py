"""Independent arithmetic the properties check the library against.

Nothing here reuses the library's own weights, proration, eligibility or
rounding: days are counted one calendar day at a time, weights are built
from the dates and FTE of the roster row that covers each day, and the leaver
rule is applied from its plain statement. The library is used only to build
plans, calibrate and pay.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from hypothesis import reject

from jointbonus import (
    Calibration,
    CalibrationError,
    FundingStyle,
    HistoryMonth,
    Member,
    Month,
    NormMethod,
    Plan,
    PlanMonth,
    Result,
    Split,
    calibrate,
    pay,
)


def calendar_days(month: Month) -> list[date]:
    """Every day of ``month``, counted one by one."""
    day = date(month.year, month.month, 1)
    days = []
    while day.month == month.month:
        days.append(day)
        day += timedelta(days=1)
    return days


def row_on(member: Member, day: date) -> Member | None:
    """The roster row of ``member`` that covers ``day`` (``None``: not in the plan that day)."""
    for row in member.rows:
        if row.start <= day and (row.end is None or day <= row.end):
            return row
    return None


def days_active(member: Member, month: Month) -> int:
    """Days of ``month`` a row of the member covers, from its start to its end inclusive."""
    return sum(1 for day in calendar_days(month) if row_on(member, day) is not None)


def _by_day(
    plan: Plan, member: Member, month: Month, by: str | None, team: str | None = None
) -> Fraction:
    """The sum over the month's days of FTE (x the row's ``by`` amount) / days in the month;
    0 for a leaver the plan does not pay (the end of the member's last row). With ``team``,
    only the days the member is in that team count."""
    days = calendar_days(month)
    rows = [row_on(member, day) for day in days]
    if not any(rows):
        return Fraction(0)
    left_early = member.end is not None and member.end < days[-1]
    if left_early and not plan.pay_leavers_for_exit_month:
        return Fraction(0)
    total = Fraction(0)
    for row in rows:
        if row is None or (team is not None and row.team != team):
            continue
        amount = getattr(row, by) if by is not None else 1
        total += Fraction(str(row.fte)) * Fraction(str(amount if amount is not None else 0))
    return total / len(days)


def eligible_weight(plan: Plan, member: Member, month: Month) -> Fraction:
    """FTE x days active / days in the month, day by day; 0 for a leaver the plan does not pay."""
    return _by_day(plan, member, month, None)


def split_weight(plan: Plan, member: Member, month: Month) -> Fraction:
    """The member's weight in the month's split: weight x (1, salary or target bonus), day by
    day with the row of each day."""
    if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
        return _by_day(plan, member, month, "target_bonus")
    if plan.split is Split.SALARY:
        return _by_day(plan, member, month, "salary")
    return _by_day(plan, member, month, None)


def team_split_weight(plan: Plan, member: Member, month: Month, team: str) -> Fraction:
    """:func:`split_weight` of the days the member is in ``team`` alone (a member who moves
    team during the month has a part in each)."""
    if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
        return _by_day(plan, member, month, "target_bonus", team)
    if plan.split is Split.SALARY:
        return _by_day(plan, member, month, "salary", team)
    return _by_day(plan, member, month, None, team)


def someone_eligible(plan: Plan, month: Month) -> bool:
    """Whether anyone has a share of the month's pool."""
    return any(split_weight(plan, member, month) > 0 for member in plan.members)


def rounded_amounts(plan: Plan, scale: Fraction, month: Month, factor: Fraction) -> int:
    """How many amounts the month rounds at payout ``factor`` (each off by half a unit at most).

    Pool funding: the pool, if it is not exactly 0 and someone shares it.
    Individual funding: every member's line that is not exactly 0.
    """
    if plan.funding is FundingStyle.POOL:
        return int(scale * factor != 0 and someone_eligible(plan, month))
    return sum(
        1 for member in plan.members if scale * factor * split_weight(plan, member, month) / 12 != 0
    )


@dataclass(frozen=True)
class HistoricalNorm:
    """The norm, derived from the history by the method's plain statement."""

    sample: list[Fraction]
    """One attainment per historical month used."""
    levels: dict[int, Fraction] | None
    """The norm level of each calendar month; ``None`` when plan targets are the norm."""

    def ratio(self, plan_month: PlanMonth) -> Fraction:
        """Factor from a historical attainment to the plan month's: norm level / target."""
        if self.levels is None:
            return Fraction(1)
        return self.levels[plan_month.month.month] / plan_month.target

    def scenario(self, plan: Plan, historical: Fraction) -> list[Fraction]:
        """Each plan month's attainment when it performs like one historical month."""
        return [historical * self.ratio(month) for month in plan.months]

    def at_norm(self, plan: Plan) -> list[Fraction]:
        """Each plan month's attainment exactly at the norm: the mean of the sample."""
        return self.scenario(plan, sum(self.sample, Fraction(0)) / len(self.sample))


def historical_norm(
    history: Sequence[HistoryMonth], method: NormMethod, window: int
) -> HistoricalNorm:
    """The sample and levels the norm ``method`` gives over ``history``."""
    actuals = [Fraction(str(h.actual)) for h in history]
    if method is NormMethod.TARGETS:
        return HistoricalNorm(
            [a / Fraction(str(h.target)) for a, h in zip(actuals, history, strict=True)], None
        )
    if method is NormMethod.SAME_MONTH_MEAN:
        by_calendar: dict[int, list[Fraction]] = {}
        for a, h in zip(actuals, history, strict=True):
            by_calendar.setdefault(h.month.month, []).append(a)
        means = {n: sum(v, Fraction(0)) / len(v) for n, v in by_calendar.items()}
        sample = [a / means[h.month.month] for a, h in zip(actuals, history, strict=True)]
        return HistoricalNorm(sample, means)
    sample = [
        actuals[i] / (sum(actuals[i - window : i], Fraction(0)) / window)
        for i in range(window, len(actuals))
    ]
    last = sum(actuals[-window:], Fraction(0)) / window
    return HistoricalNorm(sample, dict.fromkeys(range(1, 13), last))


def rounded_in_year(plan: Plan, scale: Fraction, result: Result) -> int:
    """How many amounts the engine rounded in the year it paid (see :func:`rounded_amounts`)."""
    return sum(
        rounded_amounts(plan, scale, month.month, month.factor)
        for month in result.months
        if month.factor is not None
    )


def exact_decimal(value: Fraction) -> Decimal | None:
    """``value`` as an exact Decimal, or ``None`` if it has no finite decimal expansion."""
    denominator = value.denominator
    places = 0
    while 10**places % denominator and places <= 60:
        places += 1
    if places > 60:
        return None
    units = value.numerator * 10**places // value.denominator
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(places + 1, "0")
    text = digits if places == 0 else f"{digits[:-places]}.{digits[-places:]}"
    return Decimal(sign + text)


def year_at(plan: Plan, attainments: Sequence[Fraction]) -> Plan:
    """``plan`` with every month's actual set so that its attainment is the one given.

    The actual is ``attainment x target`` when that is a finite decimal. When
    it is not (a derived norm can make ``1/3``), the month is restated as
    target ``q`` and actual ``p`` for the attainment ``p/q``: the same
    attainment, which is all the engine pays on.
    """
    months = []
    for plan_month, attainment in zip(plan.months, attainments, strict=True):
        actual = exact_decimal(attainment * plan_month.target)
        if actual is None:
            months.append(
                replace(
                    plan_month,
                    target=Fraction(attainment.denominator),
                    actual=Decimal(attainment.numerator),
                )
            )
        else:
            months.append(replace(plan_month, actual=actual))
    return replace(plan, months=tuple(months))


def calibrated(plan: Plan) -> Calibration:
    """The plan's calibration; the example is rejected if it cannot be calibrated."""
    try:
        return calibrate(plan)
    except CalibrationError:
        reject()


def paid_in_year(result: Result) -> int:
    """What the engine paid over the year, minor units."""
    return sum(month.paid for month in result.months)


def units(plan: Plan, amount: Decimal) -> int:
    """A paid amount in minor units; fails if it is not a whole number of them."""
    exact = Fraction(str(amount)) * 10**plan.currency.minor_unit
    assert exact.denominator == 1, f"{amount} is not a whole number of minor units"
    return exact.numerator


def detached(calibration: Calibration) -> Calibration:
    """``calibration``'s terms alone, as a calibration made by hand.

    For a replay that restates a month's target to reach an attainment exactly
    (:func:`year_at`): the same attainment, which is all the engine pays on,
    but another plan to :func:`~jointbonus.sharedtarget.calibration.plan_fingerprint`,
    so a calibration that carries its plan would be refused.
    """
    return replace(calibration, work=None)


def year_paid(plan: Plan, calibration: Calibration, attainments: Iterable[Fraction]) -> Result:
    """The engine's payment of ``plan``'s year at ``attainments``."""
    return pay(year_at(plan, list(attainments)), detached(calibration))
