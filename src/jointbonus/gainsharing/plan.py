"""A gainsharing plan: the base ratio, the split, the reserve and the roster, checked once.

A :class:`GainsharingPlan` is a plain frozen value. Build one with
:func:`build_plan` from Python values, or with
:func:`jointbonus.gainsharing.load_plan` from a plan file; both end in the same
checks, and every problem found is reported together in one
:class:`~jointbonus.errors.PlanError`.

The rules the plan carries (see ``docs/gainsharing.md``):

* the **base ratio** is labour cost over revenue (Scanlon) or over value added,
  revenue minus purchased materials and services (Rucker), summed over the
  months of the base period: an exact :class:`~fractions.Fraction`;
* a **period** is a calendar month or a quarter of three consecutive months
  counted from the plan's first month (fiscal quarters);
* a member's **weight** in a period is FTE x days active in the period / days
  in the period, with the core's leaver rule applied to the period's end;
* the **reserve** is taken from the employees' share of each gain (the
  default) or, with ``reserve_from = "gain"``, from the whole gain before the
  employee/company split, the textbook Scanlon order (:class:`ReserveSource`);
* the **holdback**, if any, is the share of each member's period amount held
  until the plan year ends: ``round(holdback x amount)``, halves away from
  zero (:meth:`GainsharingPlan.held_back`).

>>> from datetime import date
>>> from jointbonus import D, Member
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=1,
...     members=[Member("A", "plant", date(2020, 1, 1), None, D("1"))],
...     data=[MonthData("2025-12", "1000.00", "300.00"), MonthData("2026-01", "1200.00", "330.00")],
...     base_period=("2025-12", "2025-12"),
...     employee_share="0.5", reserve_share="0.25",
... )
>>> plan.base.ratio, plan.periods[0].label
(Fraction(3, 10), '2026-01')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from jointbonus.core.money import Currency
from jointbonus.core.money import currency as make_currency
from jointbonus.core.number import round_half_up, to_fraction
from jointbonus.core.periods import Month, active_days
from jointbonus.core.periods import plan_months as month_run
from jointbonus.core.roster import FTE_SCALE, Member, Standing, standing_in
from jointbonus.errors import JointBonusError, PlanError, Problem
from jointbonus.errors import problem as _problem

__all__ = [
    "BaseNorm",
    "Distribution",
    "Formula",
    "GainsharingPlan",
    "MonthData",
    "MonthFigures",
    "Period",
    "PeriodLength",
    "ReserveSource",
    "build_plan",
]


class Formula(StrEnum):
    """What the base ratio divides labour cost by."""

    SCANLON = "scanlon"
    """Labour cost / revenue (the sales value of production)."""
    RUCKER = "rucker"
    """Labour cost / value added (revenue - purchased materials and services)."""

    @property
    def basis(self) -> str:
        """The figure labour cost is measured against, in words."""
        return "revenue" if self is Formula.SCANLON else "value added"


class PeriodLength(StrEnum):
    """How long a gainsharing period is."""

    MONTH = "month"
    QUARTER = "quarter"
    """Three consecutive calendar months, counted from the plan's first month."""


class Distribution(StrEnum):
    """How a period's payable employee share is split among eligible members."""

    EQUAL = "equal"
    """The same for every eligible member (per head), whatever their FTE or days."""
    WEIGHT = "weight"
    """By weight: FTE x days active in the period."""
    PAY = "pay"
    """By weight x annual base salary."""


class ReserveSource(StrEnum):
    """What each gain's reserve is taken from: the plan setting ``reserve_from``."""

    EMPLOYEE_SHARE = "employee_share"
    """From the employees' share, after the employee/company split: a deficit's
    employee share is charged to the reserve, and a positive reserve at year end
    is all the employees'."""
    GAIN = "gain"
    """From the whole gain, before the split (the textbook Scanlon order): a
    deficit is charged to the reserve in full, and a positive reserve at year
    end is split between the employees and the company as a gain is."""


Amount = Decimal | int | str | None


@dataclass(frozen=True, slots=True)
class MonthData:
    """One month's figures as given: revenue, labour cost and purchases.

    A month whose revenue and cost are both ``None`` has not been reported yet
    (pending). Purchases are needed by the Rucker formula only.
    """

    month: Month | str
    revenue: Amount = None
    cost: Amount = None
    purchases: Amount = None


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """One month's checked figures, in minor units (``None``: not reported yet)."""

    month: Month
    revenue: int | None
    cost: int | None
    purchases: int | None = None

    @property
    def reported(self) -> bool:
        return self.revenue is not None and self.cost is not None


@dataclass(frozen=True, slots=True)
class Period:
    """One gainsharing period of the plan year: a month, or a quarter of three.

    >>> q = Period(1, (Month(2024, 1), Month(2024, 2), Month(2024, 3)))
    >>> q.label, q.days
    ('Q1 2024-01..2024-03', 91)
    """

    number: int
    """1 for the plan year's first period."""
    months: tuple[Month, ...]

    @property
    def label(self) -> str:
        """``2026-01`` for a month, ``Q1 2026-01..2026-03`` for a quarter."""
        if len(self.months) == 1:
            return str(self.months[0])
        return f"Q{self.number} {self.months[0]}..{self.months[-1]}"

    @property
    def first_day(self) -> date:
        return self.months[0].first_day

    @property
    def last_day(self) -> date:
        return self.months[-1].last_day

    @property
    def days(self) -> int:
        return sum(month.days for month in self.months)

    def standing(self, member: Member, pay_leavers_for_exit_period: bool) -> Standing:
        """The member's eligible weight units (FTE x 10^6 x days active) and, if 0, why.

        A one-month period applies the core rule as it stands
        (:func:`~jointbonus.core.roster.standing_in`); a quarter applies the same
        rule to the quarter: a member who leaves before its last day is paid
        for it only if the plan pays leavers for their exit period.
        """
        if len(self.months) == 1:
            return standing_in(
                self.months[0],
                member.start,
                member.end,
                member.fte_units,
                pay_leavers_for_exit_period,
            )
        days = sum(active_days(month, member.start, member.end) for month in self.months)
        if days == 0:
            if member.start > self.last_day:
                return Standing(0, 0, f"not yet started (starts {member.start.isoformat()})")
            left = member.end.isoformat() if member.end is not None else "before the period"
            return Standing(0, 0, f"left on {left}")
        if (
            member.end is not None
            and member.end < self.last_day
            and not pay_leavers_for_exit_period
        ):
            return Standing(
                days,
                0,
                f"left on {member.end.isoformat()}, before the quarter ended; "
                "the plan does not pay leavers for their exit period",
            )
        return Standing(days, member.fte_units * days, "")

    def weight(self, units: int) -> Fraction:
        """Weight units as a weight: FTE x days active / days in the period."""
        return Fraction(units, FTE_SCALE * self.days)


@dataclass(frozen=True, slots=True)
class BaseNorm:
    """The base period and the base ratio it gives. Amounts in minor units.

    ``ratio = cost / basis``, where ``basis`` is the base period's revenue
    (Scanlon) or its value added, revenue minus purchases (Rucker).
    """

    first: Month
    last: Month
    months: int
    revenue: int
    purchases: int | None
    """Purchased materials and services (Rucker plans only)."""
    basis: int
    cost: int
    ratio: Fraction


@dataclass(frozen=True)
class GainsharingPlan:
    """A validated gainsharing plan. Members are kept in member id order (the tie-break order)."""

    name: str
    currency: Currency
    formula: Formula
    period_length: PeriodLength
    periods: tuple[Period, ...]
    figures: tuple[MonthFigures, ...]
    """Every month of the data, in month order: base period, plan year and any between."""
    base: BaseNorm
    employee_share: Fraction
    """The employees' share of each period's gain (and deficit), 0 to 1."""
    reserve_share: Fraction
    """The share held in the reserve for deficit periods, 0 to 1: of each gain's
    employee share, or of each whole gain (see ``reserve_from``)."""
    distribution: Distribution
    members: tuple[Member, ...]
    pay_leavers_for_exit_period: bool = False
    teams: tuple[str, ...] = ()
    holdback: Fraction = Fraction(0)
    """The share of each member's period amount held until the plan year ends, 0 to
    below 1; paid then only to members still in the plan on its last day."""
    reserve_from: ReserveSource = ReserveSource.EMPLOYEE_SHARE
    """Whether the reserve is taken from the employees' share of each gain, after
    the employee/company split, or from the whole gain, before it."""

    @property
    def first_month(self) -> Month:
        return self.periods[0].months[0]

    @property
    def last_month(self) -> Month:
        return self.periods[-1].months[-1]

    @property
    def year_end(self) -> date:
        """The plan year's last day: the reserve is settled with those in the plan then."""
        return self.periods[-1].last_day

    def held_back(self, amount: int) -> int:
        """The part of a member's period ``amount`` held until the year end, in minor units.

        ``round(holdback x amount)``, halves away from zero; 0 without a holdback.

        >>> from dataclasses import replace
        >>> plan = build_plan(
        ...     name="Demo", currency="USD", start="2026-01", months=1,
        ...     members=[Member("A", "plant", date(2020, 1, 1), None, Decimal(1))],
        ...     data=[MonthData("2025-12", "1000.00", "300.00")],
        ...     base_period=("2025-12", "2025-12"),
        ...     employee_share="0.5", reserve_share="0.25", holdback="0.1",
        ... )
        >>> plan.held_back(375), plan.held_back(365), plan.held_back(0)
        (38, 37, 0)
        >>> replace(plan, holdback=Fraction(0)).held_back(375)
        0
        """
        return round_half_up(self.holdback * amount) if self.holdback else 0

    def in_plan_at_year_end(self, member: Member) -> bool:
        """Whether ``member`` is in the plan on the year's last day (an end date on it counts)."""
        year_end = self.year_end
        return member.start <= year_end and (member.end is None or member.end >= year_end)


E = TypeVar("E", bound=StrEnum)

_HOLDBACK_EXPECTED = "a share from 0 to below 1, such as 0.1 (10% held until the year end)"


def build_plan(
    *,
    name: str,
    currency: str | Currency,
    start: str | Month,
    members: Sequence[Member],
    data: Sequence[MonthData],
    base_period: tuple[str | Month, str | Month],
    employee_share: Decimal | Fraction | int | str,
    reserve_share: Decimal | Fraction | int | str,
    formula: Formula | str = Formula.SCANLON,
    period: PeriodLength | str = PeriodLength.MONTH,
    distribution: Distribution | str = Distribution.WEIGHT,
    months: int = 12,
    pay_leavers_for_exit_period: bool = False,
    teams: Sequence[str] = (),
    holdback: Decimal | Fraction | int | str = 0,
    reserve_from: ReserveSource | str = ReserveSource.EMPLOYEE_SHARE,
) -> GainsharingPlan:
    """Check everything and return a :class:`GainsharingPlan`, or raise one :class:`PlanError`.

    ``data`` holds the months of the base period and of the plan year (and
    may hold months between them, or after); a plan month missing from it,
    or given without revenue and cost, is pending. ``base_period`` is the
    first and last month of the base period, which must end before the plan
    starts. ``employee_share`` and ``reserve_share`` are fractions from 0 to 1
    (``"0.5"``, ``Fraction(1, 4)``); ``months`` is the plan year's length, a
    multiple of 3 when ``period`` is ``"quarter"``. ``holdback`` is the share
    of each member's period amount held until the plan year ends, from 0 to
    below 1 (``"0.1"``): paid then to the members still in the plan on its last
    day, forfeited by those who left earlier. ``reserve_from`` is
    ``"employee_share"`` (the reserve is taken from the employees' share of each
    gain, after the employee/company split) or ``"gain"`` (from the whole gain,
    before the split, the textbook Scanlon order).

    Problems are named as the plan file names them (``gainsharing.base_period``,
    ``data 2026-03 cost``, ``member E17 salary``).
    """
    problems: list[Problem] = []

    def enum_of(kind: type[E], value: object, field_name: str) -> E | None:
        try:
            return kind(str(value))
        except ValueError:
            choices = ", ".join(repr(m.value) for m in kind)
            problems.append(_problem(field_name, value, f"one of {choices}"))
            return None

    formula_rule = enum_of(Formula, formula, "gainsharing.formula")
    period_length = enum_of(PeriodLength, period, "gainsharing.period")
    distribution_rule = enum_of(Distribution, distribution, "gainsharing.distribution")
    reserve_source = enum_of(ReserveSource, reserve_from, "gainsharing.reserve_from")

    if not isinstance(name, str) or not name.strip():
        problems.append(_problem("name", name, "a non-empty plan name"))
    plan_currency: Currency | None = None
    try:
        plan_currency = currency if isinstance(currency, Currency) else make_currency(currency)
    except JointBonusError as error:
        problems.append(_problem("currency", currency, str(error)))

    def month_of(value: object, field_name: str, expected: str) -> Month | None:
        if isinstance(value, Month):
            return value
        try:
            return Month.parse(value)  # type: ignore[arg-type]
        except JointBonusError:
            problems.append(_problem(field_name, value, expected))
            return None

    first = month_of(start, "start", "the plan's first month, written YYYY-MM")
    calendar: tuple[Month, ...] = ()
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        problems.append(_problem("months", months, "a whole number of months from 1 to 120"))
    elif period_length is PeriodLength.QUARTER and months % 3:
        problems.append(
            _problem("months", months, "a multiple of 3 (gainsharing.period is 'quarter')")
        )
    elif first is not None:
        try:
            calendar = month_run(first, months)
        except JointBonusError:
            problems.append(_problem("months", months, f"a plan from {first} that ends by 9999-12"))
    size = 3 if period_length is PeriodLength.QUARTER else 1
    periods = tuple(
        Period(number + 1, calendar[number * size : (number + 1) * size])
        for number in range(len(calendar) // size)
    )

    def share_of(value: object, field_name: str, *, below_one: bool = False) -> Fraction | None:
        """A share from 0 to 1 (to below 1 when ``below_one``), or ``None`` and a problem."""
        expected = _HOLDBACK_EXPECTED if below_one else "a share from 0 to 1, such as 0.5"
        try:
            share = to_fraction(value)  # type: ignore[arg-type]
        except (JointBonusError, TypeError):
            problems.append(_problem(field_name, value, expected))
            return None
        if share < 0 or share > 1 or (below_one and share == 1):
            problems.append(_problem(field_name, value, expected))
            return None
        return share

    employee = share_of(employee_share, "gainsharing.employee_share")
    reserve = share_of(reserve_share, "gainsharing.reserve_share")
    held = share_of(holdback, "gainsharing.holdback", below_one=True)

    base_months = _base_months(base_period, first, problems)
    figures: dict[Month, MonthFigures] = {}
    base = None
    if plan_currency is not None:
        figures = _figures(data, plan_currency, formula_rule, problems)
        if base_months is not None and formula_rule is not None:
            base = _base_norm(base_months, figures, formula_rule, problems)
        _check_plan_year_order(calendar, figures, problems)
    _check_members(members, teams, distribution_rule, plan_currency, problems)

    if problems:
        raise PlanError(problems)
    if (
        plan_currency is None
        or formula_rule is None
        or period_length is None
        or distribution_rule is None
        or reserve_source is None
        or employee is None
        or reserve is None
        or held is None
        or base is None
        or not periods
    ):  # every None above has added a problem
        raise PlanError([_problem("plan", name, "a complete plan")])  # pragma: no cover
    return GainsharingPlan(
        name=name.strip(),
        currency=plan_currency,
        formula=formula_rule,
        period_length=period_length,
        periods=periods,
        figures=tuple(figures[month] for month in sorted(figures)),
        base=base,
        employee_share=employee,
        reserve_share=reserve,
        distribution=distribution_rule,
        members=tuple(sorted(members, key=lambda m: m.id)),
        pay_leavers_for_exit_period=pay_leavers_for_exit_period,
        teams=tuple(teams),
        holdback=held,
        reserve_from=reserve_source,
    )


def _base_months(
    base_period: object, first: Month | None, problems: list[Problem]
) -> tuple[Month, ...] | None:
    """The months of the base period, which must end before the plan year starts."""
    field_name = "gainsharing.base_period"
    if not isinstance(base_period, tuple | list) or len(base_period) != 2:
        problems.append(_problem(field_name, base_period, "the base period's first and last month"))
        return None
    parsed = [_parse_month(value) for value in base_period]
    low, high = parsed
    if low is None or high is None:
        problems.append(
            _problem(
                field_name,
                tuple(str(value) for value in base_period),
                "a first and a last month, each written YYYY-MM",
            )
        )
        return None
    shown = f"{low}..{high}"
    if high < low:
        problems.append(_problem(field_name, shown, f"a last month on or after {low}"))
        return None
    if first is not None and high >= first:
        problems.append(
            _problem(
                field_name,
                shown,
                f"a base period that ends before the plan year starts ({first})",
            )
        )
        return None
    return month_run(low, high.index() - low.index() + 1)


def _parse_month(value: object) -> Month | None:
    if isinstance(value, Month):
        return value
    try:
        return Month.parse(value)  # type: ignore[arg-type]
    except JointBonusError:
        return None


def _figures(
    data: Sequence[MonthData],
    plan_currency: Currency,
    formula: Formula | None,
    problems: list[Problem],
) -> dict[Month, MonthFigures]:
    """Each month's figures in minor units; every bad cell is a problem."""
    figures: dict[Month, MonthFigures] = {}
    for row in data:
        month = _parse_month(row.month)
        if month is None:
            problems.append(_problem("data month", row.month, "a month written YYYY-MM"))
            continue
        if month in figures:
            problems.append(_problem("data month", str(month), "each month once"))
            continue
        amounts: dict[str, int | None] = {}
        for column in ("revenue", "cost", "purchases"):
            value = getattr(row, column)
            amounts[column] = None
            if value is None:
                continue
            try:
                units = plan_currency.to_minor(value)
            except (JointBonusError, TypeError):
                problems.append(
                    _problem(
                        f"data {month} {column}",
                        value,
                        f"an amount with at most {plan_currency.minor_unit} decimals "
                        f"({plan_currency.code})",
                    )
                )
                continue
            if units < 0:
                problems.append(_problem(f"data {month} {column}", str(value), "an amount >= 0"))
                continue
            amounts[column] = units
        revenue, cost, purchases = amounts["revenue"], amounts["cost"], amounts["purchases"]
        if (row.revenue is None) != (row.cost is None):
            missing = "cost" if row.cost is None else "revenue"
            problems.append(
                _problem(
                    f"data {month} {missing}",
                    None,
                    "revenue and cost together (both empty while the month is not reported yet)",
                )
            )
        elif formula is Formula.RUCKER and row.revenue is not None and row.purchases is None:
            problems.append(
                _problem(
                    f"data {month} purchases",
                    None,
                    "the month's purchased materials and services "
                    "(gainsharing.formula is 'rucker': value added = revenue - purchases)",
                )
            )
        figures[month] = MonthFigures(month, revenue, cost, purchases)
    return figures


def _base_norm(
    base_months: tuple[Month, ...],
    figures: dict[Month, MonthFigures],
    formula: Formula,
    problems: list[Problem],
) -> BaseNorm | None:
    """The base ratio over ``base_months``, if every one of them has its figures."""
    field_name = "gainsharing.base_period"
    shown = f"{base_months[0]}..{base_months[-1]}"
    absent = [month for month in base_months if month not in figures]
    if absent:
        listed = ", ".join(str(m) for m in absent[:6]) + (", ..." if len(absent) > 6 else "")
        problems.append(
            _problem(
                field_name,
                shown,
                f"months that the data has figures for (no line for {listed})",
            )
        )
        return None
    rows = [figures[month] for month in base_months]
    unreported = [row.month for row in rows if row.revenue is None and row.cost is None]
    for month in unreported:
        problems.append(
            _problem(
                f"data {month} revenue",
                None,
                f"the month's revenue and cost ({month} is in the base period {shown})",
            )
        )
    if unreported or any(
        row.revenue is None
        or row.cost is None
        or (formula is Formula.RUCKER and row.purchases is None)
        for row in rows
    ):
        return None  # each missing cell is already a problem
    revenue = sum(row.revenue or 0 for row in rows)
    cost = sum(row.cost or 0 for row in rows)
    purchases = sum(row.purchases or 0 for row in rows) if formula is Formula.RUCKER else None
    basis = revenue - (purchases or 0)
    if basis <= 0:
        what = "revenue" if formula is Formula.SCANLON else "value added (revenue - purchases)"
        problems.append(_problem(field_name, shown, f"a base period whose {what} totals above 0"))
        return None
    if cost <= 0:
        problems.append(
            _problem(field_name, shown, "a base period whose labour cost totals above 0")
        )
        return None
    return BaseNorm(
        first=base_months[0],
        last=base_months[-1],
        months=len(base_months),
        revenue=revenue,
        purchases=purchases,
        basis=basis,
        cost=cost,
        ratio=Fraction(cost, basis),
    )


def _check_plan_year_order(
    calendar: tuple[Month, ...], figures: dict[Month, MonthFigures], problems: list[Problem]
) -> None:
    """Figures arrive in month order: none after a plan month still unreported."""
    pending: Month | None = None
    for month in calendar:
        row = figures.get(month)
        reported = row is not None and (row.revenue is not None or row.cost is not None)
        if not reported:
            pending = pending or month
        elif pending is not None:
            problems.append(
                _problem(
                    f"data {month} revenue",
                    None if row is None or row.revenue is None else str(row.revenue),
                    f"no figures after the unreported month {pending} "
                    "(figures arrive in month order)",
                )
            )


def _check_members(
    members: Sequence[Member],
    teams: Sequence[str],
    distribution: Distribution | None,
    plan_currency: Currency | None,
    problems: list[Problem],
) -> None:
    if not members:
        problems.append(_problem("members", "(none)", "at least one member"))
    ids: set[str] = set()
    for member in members:
        if member.id in ids:
            problems.append(_problem("member id", member.id, "each member id once"))
        ids.add(member.id)
        if teams and member.team not in teams:
            problems.append(
                _problem(f"member {member.id} team", member.team, f"one of {', '.join(teams)}")
            )
        if distribution is Distribution.PAY and member.salary is None:
            problems.append(
                _problem(
                    f"member {member.id} salary",
                    None,
                    "an annual salary (gainsharing.distribution is 'pay')",
                )
            )
        if plan_currency is not None and member.salary is not None:
            try:
                plan_currency.to_minor(member.salary)
            except JointBonusError:
                problems.append(
                    _problem(
                        f"member {member.id} salary",
                        str(member.salary),
                        f"at most {plan_currency.minor_unit} decimals ({plan_currency.code})",
                    )
                )
