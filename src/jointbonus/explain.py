"""One member's month, every figure traced back to the inputs that made it.

"Why did I get 412.50?" :func:`explain` answers from a paid
:class:`~jointbonus.results.Result`, step by step, with the figures the
engine used -- never recomputed another way:

1. the member (and where the roster says so);
2. their weight: FTE x days active / days in the month, with the dates, and
   the leaver rule when they left before the month ended;
3. the month's target (and where it came from), actual and attainment;
4. the payout curve and the factor it gives at that attainment;
5. the calibration: budget / unit cost = the pool at target (or the target
   bonus multiplier under individual funding);
6. the month's pool, ``round(pool at target x factor)``;
7. how the pool was split: total weight, the member's exact share, the
   largest-remainder rule and whether this member received one of the
   leftover minor units, and why (ties go to the lower member id);
8. the amount, or the reason it is zero.

Three members share a pool of 100.00; the lowest id gets the leftover cent:

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve, build_plan, run
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=1,
...     members=[Member(i, "sales", date(2025, 1, 1), None, D("1")) for i in "ABC"],
...     history=[HistoryMonth(Month(2025, m), D(100 + m), D(100)) for m in range(1, 13)],
...     targets={"2026-01": "110"}, actuals={"2026-01": "120"},
...     curve=StepCurve(), budget="100.00",
... )
>>> explanation = explain(run(plan), "A", "2026-01")
>>> explanation.amount, explanation.figure("split", "leftover_unit").value
(Decimal('33.34'), '+1')
>>> explanation.figure("split", "leftover_unit").how
'yes: place 1 in line for 1 leftover units (0 members have a larger remainder ...)'
"""

from __future__ import annotations

import csv
import difflib
import io
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from tabulate import tabulate

from jointbonus.curves import Curve, LinearCurve, StepCurve
from jointbonus.errors import JointBonusError
from jointbonus.formats import markdown_table, markdown_text
from jointbonus.frame import Cohort
from jointbonus.loader import read_plan_file
from jointbonus.money import Currency, GroupShare
from jointbonus.number import decimal_text, percent_text
from jointbonus.periods import Month
from jointbonus.plan import FundingStyle, Plan, Split
from jointbonus.report import render_json
from jointbonus.results import LineStatus, MonthResult, MonthStatus, Result
from jointbonus.roster import FTE_SCALE, Member

__all__ = [
    "ExplainError",
    "Explanation",
    "Figure",
    "Sources",
    "Step",
    "explain",
    "explanation_document",
    "find_sources",
    "render_explanation",
]

RATIO_PLACES = 6
#: How many valid choices an error message suggests.
SUGGESTIONS = 5


class ExplainError(JointBonusError, LookupError):
    """The member or the month asked about is not in the plan."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of an explanation: what it is, its value, and how it was made."""

    key: str
    label: str
    value: str
    """As the reports write it: amounts with the currency's decimals, ratios with six."""
    how: str
    """The rule and the inputs that made the value, or where the value was read."""
    exact: str | None = None
    """The exact value (a fraction ``n/d``) when ``value`` is rounded for display."""


@dataclass(frozen=True, slots=True)
class Step:
    """A step of the explanation (the weight, the target, the pool, ...)."""

    key: str
    title: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Sources:
    """Where the inputs are: the plan file and the file lines of the member and month.

    Each entry is ``file`` or ``file:line`` as the plan names the file
    (``data/roster.csv:10``); ``None`` when unknown (a plan built in Python).
    """

    plan: str | None = None
    member: str | None = None
    month: str | None = None
    history: str | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """One member's month, explained: the amount, its status and reason, and the steps."""

    plan_name: str
    member_id: str
    team: str
    period: Month
    currency: str
    amount: Decimal
    status: LineStatus
    reason: str
    """Why the amount is zero ('' when it is not)."""
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step:
        """The step called ``key`` (``member``, ``weight``, ``target``, ``factor``, ...)."""
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def figure(self, step: str, key: str) -> Figure:
        """The figure ``key`` of step ``step``."""
        for figure in self.step(step).figures:
            if figure.key == key:
                return figure
        raise KeyError(f"{step}.{key}")


# -- choosing the member and month --------------------------------------------------


def _choices(wanted: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(wanted, known, n=SUGGESTIONS, cutoff=0.5)
    shown = close or list(known[:SUGGESTIONS])
    more = f" ({len(known)} in all)" if len(known) > len(shown) else ""
    return ", ".join(shown) + more


def _member(plan: Plan, member_id: str) -> tuple[int, Member]:
    for position, member in enumerate(plan.members):
        if member.id == member_id:
            return position, member
    ids = [m.id for m in plan.members]
    raise ExplainError(
        f"member: got {member_id!r}, expected a member id of the plan, such as "
        f"{_choices(member_id, ids)}"
    )


def _month(result: Result, month: str | Month) -> MonthResult:
    months = [m.month for m in result.months]
    try:
        wanted = month if isinstance(month, Month) else Month.parse(month)
    except JointBonusError:
        raise ExplainError(
            f"month: got {month!r}, expected a month written YYYY-MM, from {months[0]} "
            f"to {months[-1]}"
        ) from None
    for month_result in result.months:
        if month_result.month == wanted:
            return month_result
    raise ExplainError(
        f"month: got {str(wanted)!r}, expected a month of the plan, from {months[0]} "
        f"to {months[-1]}"
    )


def _cohort_of(month_result: MonthResult, position: int) -> tuple[Cohort, GroupShare]:
    for cohort, share in zip(month_result.frame.cohorts, month_result.shares, strict=True):
        if position in cohort.positions:
            return cohort, share
    raise ExplainError(f"member at position {position} is in no cohort of {month_result.month}")


# -- formatting -------------------------------------------------------------------


def _exact(value: Fraction) -> str | None:
    return None if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _ratio(value: Fraction) -> str:
    return decimal_text(value, RATIO_PLACES)


def _percent(value: Fraction) -> str:
    """A ratio as a percentage in the fewest decimals (up to 4): 100%, 107.4472%."""
    text = percent_text(value, 4)[:-1]
    return (text.rstrip("0").rstrip(".") if "." in text else text) + "%"


def _plain(value: Fraction) -> str:
    """An exact number in the fewest decimals (up to 6) that show it: 1, 0.6, 1.074472."""
    text = decimal_text(value, RATIO_PLACES)
    return text.rstrip("0").rstrip(".") if "." in text else text


class _Money:
    """Amounts of one currency as text: minor units, major units, with extra decimals."""

    def __init__(self, currency: Currency) -> None:
        self.currency = currency

    def units(self, units: int) -> str:
        return str(self.currency.from_minor(units))

    def major(self, value: Fraction, extra: int = 0) -> str:
        return decimal_text(value, self.currency.minor_unit + extra)

    def minor(self, value: Fraction, extra: int = 0) -> str:
        """An exact amount in minor units (possibly fractional) as major-unit text."""
        return decimal_text(value / self.currency.scale, self.currency.minor_unit + extra)

    @property
    def unit(self) -> str:
        """The minor unit as an amount: ``0.01 USD``."""
        return f"{self.units(1)} {self.currency.code}"


# -- the steps ----------------------------------------------------------------------


def _member_step(plan: Plan, member: Member, sources: Sources, money: _Money) -> Step:
    where = sources.member or "the roster"
    employed = f"from {member.start.isoformat()}" + (
        f" to {member.end.isoformat()} (inclusive)" if member.end else ", no end date"
    )
    figures = [
        Figure("id", "Member", member.id, where),
        Figure("team", "Team", member.team, where),
        Figure("employed", "Employed", employed, where),
        Figure("fte", "FTE", str(member.fte), where),
    ]
    if plan.funding is FundingStyle.POOL and plan.split is Split.SALARY:
        salary = "" if member.salary is None else money.units(plan.currency.to_minor(member.salary))
        figures.append(Figure("salary", "Annual salary", salary, where))
    if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
        bonus = member.target_bonus
        text = "" if bonus is None else money.units(plan.currency.to_minor(bonus))
        figures.append(Figure("target_bonus", "Annual target bonus", text, where))
    return Step("member", "Member", tuple(figures))


def _weight_step(plan: Plan, member: Member, month: Month, cohort: Cohort) -> tuple[Step, Fraction]:
    """The weight step and the member's eligible weight (what the engine used)."""
    days_in_month = month.days
    first = max(month.first_day, member.start)
    last = month.last_day if member.end is None else min(month.last_day, member.end)
    figures = [
        Figure(
            "days_in_month",
            "Days in the month",
            str(days_in_month),
            f"{month.first_day.isoformat()} to {month.last_day.isoformat()}",
        )
    ]
    if cohort.days:
        active = f"{first.isoformat()} to {last.isoformat()}, both days counted"
    elif member.start > month.last_day:
        active = f"none: starts {member.start.isoformat()}, after the month"
    else:
        end = member.end.isoformat() if member.end else "before the month"
        active = f"none: left on {end}, before the month"
    figures.append(Figure("days_active", "Days active", str(cohort.days), active))
    weight = Fraction(member.fte_units * cohort.days, FTE_SCALE * days_in_month)
    figures.append(
        Figure(
            "weight",
            "Weight",
            _ratio(weight),
            f"FTE x days active / days in the month = {member.fte} x {cohort.days} / "
            f"{days_in_month}",
            _exact(weight),
        )
    )
    eligible = Fraction(cohort.units, FTE_SCALE * days_in_month)
    left_early = member.end is not None and first <= member.end < month.last_day
    if left_early:
        rule = (
            "on: the plan pays leavers for the days they worked"
            if plan.pay_leavers_for_exit_month
            else "off: the plan does not pay leavers for their exit month"
        )
        figures.append(
            Figure(
                "leaver_rule",
                "Leaver rule",
                "pay" if plan.pay_leavers_for_exit_month else "do not pay",
                f"left on {member.end.isoformat() if member.end else ''}, before the month "
                f"ended; pay_leavers_for_exit_month is {rule}",
            )
        )
    if left_early or eligible != weight:
        figures.append(
            Figure(
                "eligible_weight",
                "Eligible weight",
                _ratio(eligible),
                cohort.reason or "the weight, as the leaver rule pays the days worked",
                _exact(eligible),
            )
        )
    return Step("weight", "Weight in the month", tuple(figures)), eligible


def _target_step(
    result: Result, month_result: MonthResult, sources: Sources, money: _Money
) -> Step:
    plan = result.plan
    plan_month = month_result.plan_month
    where = sources.month or "the plan's months"
    if plan_month.target_source == "plan":
        target_how = f"given by the plan: {where}"
    else:
        level = plan.norm.level(plan_month.month)
        level_text = "" if level is None else f" = {money.major(level, 4)} x (1 + {plan.uplift})"
        target_how = (
            f"derived from the norm ({plan.norm.describe()}): {plan_month.target_source}"
            f"{level_text}, rounded half up to the minor unit"
        )
    figures = [
        Figure(
            "target",
            "Target",
            money.major(plan_month.target),
            target_how,
            _exact(plan_month.target) if plan_month.target_source != "plan" else None,
        )
    ]
    if plan_month.actual is None:
        figures.append(Figure("actual", "Actual", "", f"none yet: {where} has no actual"))
        return Step("target", f"{plan.metric.capitalize()} target and actual", tuple(figures))
    figures.append(Figure("actual", "Actual", str(plan_month.actual), where))
    attainment = month_result.attainment or Fraction(0)
    verdict = "hit: at least 100% of target" if month_result.hit else "miss: below 100% of target"
    figures.append(
        Figure(
            "attainment",
            "Attainment",
            _ratio(attainment),
            f"actual / target = {plan_month.actual} / {money.major(plan_month.target)} = "
            f"{_percent(attainment)}; {verdict}",
            _exact(attainment),
        )
    )
    return Step("target", f"{plan.metric.capitalize()} target and actual", tuple(figures))


def _curve_rule(curve: Curve, attainment: Fraction, factor: Fraction) -> str:
    """How ``curve`` turns ``attainment`` into ``factor``, in words and numbers."""
    shown = _percent(attainment)
    if isinstance(curve, StepCurve):
        threshold = _percent(curve.threshold)
        if attainment >= curve.threshold:
            return f"{shown} is at or above the threshold {threshold}: factor {_plain(factor)}"
        return f"{shown} is below the threshold {threshold}: factor 0"
    points = curve.points
    if attainment < points[0][0]:
        return f"{shown} is below the first point {_percent(points[0][0])}: factor 0"
    if attainment >= points[-1][0]:
        return (
            f"{shown} is at or above the last point {_percent(points[-1][0])}: "
            f"flat at the cap, factor {_plain(factor)}"
        )
    for (a0, f0), (a1, f1) in itertools.pairwise(points):
        if a0 <= attainment < a1:
            return (
                f"{shown} lies between ({_percent(a0)}, {_plain(f0)}) and "
                f"({_percent(a1)}, {_plain(f1)}): {_plain(f0)} + ({_plain(f1)} - "
                f"{_plain(f0)}) x ({_plain(attainment)} - {_plain(a0)}) / ({_plain(a1)} - "
                f"{_plain(a0)}) = {_plain(factor)}"
            )
    return f"factor {_plain(factor)}"  # pragma: no cover - the points cover every attainment


def _factor_step(plan: Plan, month_result: MonthResult) -> Step:
    attainment = month_result.attainment or Fraction(0)
    factor = month_result.factor or Fraction(0)
    kind = "linear" if isinstance(plan.curve, LinearCurve) else "step"
    return Step(
        "factor",
        "Payout factor",
        (
            Figure("curve", "Curve", kind, plan.curve.describe()),
            Figure(
                "factor",
                "Payout factor",
                _ratio(factor),
                _curve_rule(plan.curve, attainment, factor),
                _exact(factor),
            ),
        ),
    )


def _calibration_step(result: Result, money: _Money) -> Step:
    plan = result.plan
    calibration = result.calibration
    code = plan.currency.code
    pool = plan.funding is FundingStyle.POOL
    budget = money.units(calibration.budget)
    unit_cost = calibration.unit_cost
    if plan.neutrality.value == "expected_cost":
        at_one = (
            f"the plan's expected cost at a pool at target of 1 {code} a month: the sum over "
            f"the plan months of the mean payout factor over {calibration.scenarios} "
            "historical months"
            if pool
            else "the plan's expected cost at a multiplier of 1: the sum over the plan months "
            "and members of target bonus / 12 x weight x the mean payout factor over "
            f"{calibration.scenarios} historical months"
        )
    else:
        at_one = (
            f"the plan's cost at a pool at target of 1 {code} a month with every month at the "
            "norm (the mean historical attainment)"
            if pool
            else "the plan's cost at a multiplier of 1 with every month at the norm"
        )
    scale = calibration.scale
    name = "Pool at target" if pool else "Target bonus multiplier"
    if calibration.calibrated:
        scale_how = f"budget / unit cost = {budget} / {money.major(unit_cost, 6)}"
    else:
        scale_how = f"fixed by the plan ({plan.scale_name})"
    figures = [
        Figure("budget", "Budget", budget, plan.budget.source),
        Figure("neutrality", "Neutrality", plan.neutrality.value, "the plan's choice"),
        Figure("unit_cost", "Unit cost", money.major(unit_cost, 6), at_one, _exact(unit_cost)),
    ]
    if pool:
        figures.append(
            Figure("scale", name, money.major(scale, 6), scale_how + f", in {code}", _exact(scale))
        )
        rounded = plan.currency.round_to_minor(scale)
        figures.append(
            Figure(
                "scale_rounded",
                f"{name}, rounded",
                money.units(rounded),
                "to the minor unit, halves away from zero (for reading only: each month's "
                "pool is rounded from the exact value)",
            )
        )
    else:
        figures.append(Figure("scale", name, _ratio(scale), scale_how, _exact(scale)))
    return Step("calibration", "Calibration", tuple(figures))


def _pool_step(result: Result, month_result: MonthResult, money: _Money) -> Step:
    scale = result.calibration.scale
    factor = month_result.factor or Fraction(0)
    exact = scale * factor
    pool = month_result.pool or 0
    figures = [
        Figure(
            "pool",
            "Pool",
            money.units(pool),
            f"round(pool at target x payout factor) = round({money.major(scale, 6)} x "
            f"{_plain(factor)}), halves away from zero",
            _exact(exact),
        )
    ]
    if not month_result.frame.eligible:
        figures.append(
            Figure("paid", "Paid", money.units(0), "nobody is eligible this month: not paid")
        )
    return Step("pool", "The month's pool", tuple(figures))


def _split_unit(plan: Plan, month: Month) -> tuple[str, Fraction]:
    """What a split weight is, in words, and the divisor taking engine units to it."""
    base = FTE_SCALE * month.days
    if plan.split is Split.SALARY:
        return "weight x annual salary", Fraction(base * plan.currency.scale)
    if plan.split is Split.TARGET_BONUS:
        return "weight x annual target bonus", Fraction(base * plan.currency.scale)
    return "weight", Fraction(base)


def _split_step(
    result: Result,
    month_result: MonthResult,
    *,
    position: int,
    cohort: Cohort,
    share: GroupShare,
    money: _Money,
) -> Step:
    plan = result.plan
    paid = month_result.paid
    total = month_result.frame.total_split_weight
    what, per = _split_unit(plan, month_result.month)
    cohorts = month_result.frame.cohorts
    sharing = sum(len(c.positions) for c in cohorts if c.split_weight)
    own = Fraction(cohort.split_weight) / per
    figures = [
        Figure("rule", "Split", plan.split.value, f"by {what}: largest remainder"),
        Figure(
            "total_weight",
            "Total weight",
            _plain(Fraction(total) / per),
            f"the sum of the {what} of the {sharing} members sharing the pool",
            _exact(Fraction(total) / per),
        ),
        Figure(
            "member_weight",
            "Member's weight",
            _plain(own),
            "the member's eligible weight"
            if plan.split is Split.EQUAL
            else f"the member's {what}: eligible weight x the annual amount",
            _exact(own),
        ),
    ]
    amount = share.share(position)
    sign = -1 if paid < 0 else 1
    exact_minor = Fraction(paid * cohort.split_weight, total)
    figures.append(
        Figure(
            "exact_share",
            "Exact share",
            money.minor(exact_minor, 6),
            f"pool x member's weight / total weight = {money.units(paid)} x {_plain(own)} / "
            f"{_plain(Fraction(total) / per)}",
            _exact(exact_minor / plan.currency.scale),
        )
    )
    floors = sum(
        g.base * len(c.positions) for c, g in zip(cohorts, month_result.shares, strict=True)
    )
    leftover = paid - floors
    figures.append(
        Figure(
            "rounded_down",
            "Rounded toward zero",
            money.units(share.base),
            "every member first gets the exact share rounded toward zero, to the minor unit",
        )
    )
    figures.append(
        Figure(
            "leftover",
            "Leftover units",
            str(abs(leftover)),
            f"pool - the sum of the rounded shares = {money.units(paid)} - {money.units(floors)}"
            f" = {abs(leftover)} x {money.unit}, one each to the largest remainders; equal "
            "remainders go to the lower member id",
        )
    )
    remainder = (abs(paid) * cohort.split_weight) % total
    if remainder == 0:
        verdict = "no: the exact share is a whole number of minor units"
    else:
        larger = sum(
            len(c.positions)
            for c in cohorts
            if c.split_weight and (abs(paid) * c.split_weight) % total > remainder
        )
        tied = sum(
            1
            for c in cohorts
            if c.split_weight and (abs(paid) * c.split_weight) % total == remainder
            for p in c.positions
            if p < position
        )
        place = larger + tied + 1
        got = position in share.bumped
        ahead = (
            f"{larger} members have a larger remainder and {tied} the same remainder "
            "with a lower id"
        )
        verdict = (
            f"{'yes' if got else 'no'}: place {place} in line for {abs(leftover)} leftover "
            f"units ({ahead})"
        )
    figures.append(
        Figure(
            "remainder",
            "Remainder",
            decimal_text(Fraction(remainder, total), RATIO_PLACES),
            f"the part of a minor unit ({money.unit}) dropped when rounding toward zero",
            _exact(Fraction(remainder, total)),
        )
    )
    figures.append(
        Figure(
            "leftover_unit",
            "Leftover unit",
            "+1" if position in share.bumped else "0",
            verdict,
        )
    )
    figures.append(
        Figure(
            "amount",
            "Share",
            money.units(amount),
            f"rounded share + leftover unit = {money.units(share.base)} + "
            f"{money.units(sign if position in share.bumped else 0)}",
        )
    )
    return Step("split", "How the pool was split", tuple(figures))


def _individual_step(
    result: Result,
    month_result: MonthResult,
    *,
    member: Member,
    cohort: Cohort,
    amount: int,
    money: _Money,
) -> Step:
    plan = result.plan
    month = month_result.month
    scale = result.calibration.scale
    factor = month_result.factor or Fraction(0)
    bonus = cohort.bonus
    weight = Fraction(cohort.units, FTE_SCALE * month.days)
    exact_minor = scale * bonus * weight * factor / 12
    return Step(
        "individual",
        "Individual bonus",
        (
            Figure(
                "exact",
                "Exact amount",
                money.minor(exact_minor, 6),
                f"annual target bonus x multiplier / 12 x eligible weight x payout factor = "
                f"{money.units(bonus)} x {_ratio(scale)} / 12 x {_ratio(weight)} x "
                f"{_plain(factor)}",
                _exact(exact_minor / plan.currency.scale),
            ),
            Figure(
                "amount",
                "Amount",
                money.units(amount),
                "rounded to the minor unit, halves away from zero",
            ),
        ),
    )


# -- the explanation ------------------------------------------------------------------


def explain(
    result: Result, member_id: str, month: str | Month, sources: Sources | None = None
) -> Explanation:
    """Explain what ``member_id`` was paid for ``month`` in ``result``, step by step.

    ``sources`` names the files (and lines) the inputs came from, for a plan
    loaded from files (:func:`find_sources`). Raises :class:`ExplainError`
    for a member or month the plan does not have, with some valid choices.
    """
    plan = result.plan
    sources = sources or Sources()
    position, member = _member(plan, member_id)
    month_result = _month(result, month)
    cohort, share = _cohort_of(month_result, position)
    amount = share.share(position)
    money = _Money(plan.currency)
    reason = month_result.line_reason(cohort, amount, plan.curve)
    if month_result.status is MonthStatus.PENDING:
        status = LineStatus.PENDING
    else:
        status = LineStatus.PAID if amount else LineStatus.ZERO

    steps = [_member_step(plan, member, sources, money)]
    weight_step, eligible = _weight_step(plan, member, month_result.month, cohort)
    steps.append(weight_step)
    steps.append(_target_step(result, month_result, sources, money))
    # A member with no eligible weight, or a month whose factor is 0, is explained
    # by the steps so far: the calibration and the split would add nothing.
    if month_result.status is MonthStatus.PAID and eligible:
        steps.append(_factor_step(plan, month_result))
    if month_result.status is MonthStatus.PAID and eligible and month_result.factor:
        steps.append(_calibration_step(result, money))
        if plan.funding is FundingStyle.POOL:
            steps.append(_pool_step(result, month_result, money))
            if month_result.paid and cohort.split_weight:
                steps.append(
                    _split_step(
                        result,
                        month_result,
                        position=position,
                        cohort=cohort,
                        share=share,
                        money=money,
                    )
                )
        elif cohort.split_weight:
            steps.append(
                _individual_step(
                    result, month_result, member=member, cohort=cohort, amount=amount, money=money
                )
            )
    outcome = (
        f"paid {money.units(amount)} {plan.currency.code}"
        if amount
        else f"{money.units(0)} {plan.currency.code}: {reason}"
    )
    steps.append(
        Step(
            "result",
            "Result",
            (
                Figure("amount", "Amount", money.units(amount), outcome),
                Figure("status", "Status", status.value, reason or "paid"),
            ),
        )
    )
    return Explanation(
        plan_name=plan.name,
        member_id=member.id,
        team=member.team,
        period=month_result.month,
        currency=plan.currency.code,
        amount=result.money(amount),
        status=status,
        reason=reason,
        steps=tuple(steps),
    )


# -- where the inputs are -----------------------------------------------------------


def _line_of(path: Path, column: str, matches: Callable[[str], bool]) -> int | None:
    """The line of the first row of CSV ``path`` whose ``column`` matches (None if none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError):
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    if column not in header:
        return None
    index = header.index(column)
    for row in reader:
        if index < len(row) and matches(row[index].strip()):
            return reader.line_num
    return None


def find_sources(plan_path: str | Path, member_id: str, month: str | Month) -> Sources:
    """Where a plan file's inputs for ``member_id`` and ``month`` are: files and lines."""
    path = Path(plan_path)
    settings = read_plan_file(path)
    if settings is None:  # pragma: no cover - read_plan_file raises instead
        return Sources(plan=path.name)
    folder = path.parent
    try:
        wanted = month if isinstance(month, Month) else Month.parse(month)
    except JointBonusError:
        wanted = None

    def is_month(cell: str) -> bool:
        try:
            return Month.parse(cell) == wanted
        except JointBonusError:
            return False

    def located(name: str, line: int | None) -> str:
        return name if line is None else f"{name}:{line}"

    roster, months = settings.roster.file, settings.shared.file
    return Sources(
        plan=path.name,
        member=located(roster, _line_of(folder / roster, "id", member_id.__eq__)),
        month=located(months, _line_of(folder / months, "month", is_month) if wanted else None),
        history=settings.history.file,
    )


# -- output ---------------------------------------------------------------------------


def explanation_document(explanation: Explanation) -> dict[str, Any]:
    """The explanation as JSON-ready data."""
    return {
        "plan": explanation.plan_name,
        "member_id": explanation.member_id,
        "team": explanation.team,
        "period": str(explanation.period),
        "currency": explanation.currency,
        "amount": str(explanation.amount),
        "status": explanation.status.value,
        "reason": explanation.reason,
        "steps": [
            {
                "key": step.key,
                "title": step.title,
                "figures": [
                    {
                        "key": f.key,
                        "label": f.label,
                        "value": f.value,
                        "exact": f.exact,
                        "how": f.how,
                    }
                    for f in step.figures
                ],
            }
            for step in explanation.steps
        ],
    }


def _headline(explanation: Explanation) -> str:
    amount = f"{explanation.amount} {explanation.currency}"
    if explanation.status is LineStatus.PENDING:
        return f"{explanation.member_id} for {explanation.period}: pending, nothing paid yet"
    return f"Why {explanation.member_id} got {amount} for {explanation.period}"


def _how(figure: Figure) -> str:
    return figure.how + (f" (exact {figure.exact})" if figure.exact else "")


def render_explanation(explanation: Explanation, format: str = "table") -> str:
    """The explanation as ``table`` (plain text), ``markdown`` or ``json`` text."""
    if format == "json":
        return render_json(explanation_document(explanation))
    if format not in {"table", "markdown"}:
        raise ValueError(f"format: got {format!r}, expected 'table', 'markdown' or 'json'")
    headline = _headline(explanation)
    plan_line = f"Plan: {explanation.plan_name}; amounts in {explanation.currency}"
    if format == "markdown":
        parts = [f"# {markdown_text(headline)}", "", markdown_text(plan_line)]
        for step in explanation.steps:
            rows = [(f.label, f.value, _how(f)) for f in step.figures]
            parts += ["", f"## {markdown_text(step.title)}", ""]
            parts.append(markdown_table(["Figure", "Value", "How"], rows, ["Value"]))
        return "\n".join(parts) + "\n"
    parts = [headline, plan_line]
    for step in explanation.steps:
        rows = [(f.label, f.value, _how(f)) for f in step.figures]
        parts += ["", step.title]
        table = tabulate(
            rows, tablefmt="plain", colalign=("left", "right", "left"), disable_numparse=True
        )
        parts.append("\n".join(f"  {line}" for line in table.splitlines()))
    return "\n".join(parts) + "\n"
