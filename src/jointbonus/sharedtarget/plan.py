"""The validated plan: everything calibration and the engine need, checked once.

A :class:`Plan` is a plain frozen value. Build one with :func:`build_plan`
from Python values, or with :func:`jointbonus.load_plan` from a plan file;
both end in the same checks, and every problem found is reported together in
one :class:`~jointbonus.errors.PlanError`.

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=2,
...     members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(100 + m), D(100)) for m in range(1, 13)],
...     targets={"2026-01": "110", "2026-02": "110"},
...     actuals={"2026-01": "120"},
...     curve=StepCurve(),
...     budget="1200.00",
... )
>>> plan.months[0].target, plan.months[1].actual
(Fraction(110, 1), None)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from operator import attrgetter
from typing import TypeVar

from jointbonus.core.curves import Curve
from jointbonus.core.history import HistoryMonth, Norm, NormMethod, derive_norm
from jointbonus.core.money import Currency
from jointbonus.core.money import currency as make_currency
from jointbonus.core.number import D, decimal_text, to_fraction
from jointbonus.core.periods import Month
from jointbonus.core.periods import plan_months as month_run
from jointbonus.core.roster import Member
from jointbonus.errors import JointBonusError, PlanError, Problem
from jointbonus.errors import problem as _problem
from jointbonus.sharedtarget.goals import (
    Functional,
    Goal,
    MetricSpec,
    TeamSpec,
    build_functional,
    common_scenarios,
)

__all__ = [
    "Budget",
    "FundingStyle",
    "Neutrality",
    "Plan",
    "PlanMonth",
    "Split",
    "build_plan",
]


class FundingStyle(StrEnum):
    """How the shared part is funded."""

    POOL = "pool"
    """One pool per month (pool at target x payout factor), split among members."""
    INDIVIDUAL = "individual"
    """Each member's target bonus / 12 x weight x payout factor."""


class Split(StrEnum):
    """How a month's pool is split among the members active in it."""

    EQUAL = "equal"
    """By weight alone: shared equally, prorated for FTE and days active."""
    SALARY = "salary"
    """By weight x annual base salary."""
    TARGET_BONUS = "target_bonus"
    """By weight x annual target bonus."""


class Neutrality(StrEnum):
    """What "costs what the old plan cost" means for calibration."""

    EXPECTED_COST = "expected_cost"
    """Expected cost over the historical attainment sample equals the budget."""
    NORM_PATH = "norm_path"
    """Cost with every month exactly at the norm (mean attainment) equals the budget."""


@dataclass(frozen=True, slots=True)
class PlanMonth:
    """One month of the plan: its target, its actual (``None`` while pending)."""

    month: Month
    target: Fraction
    actual: Decimal | None
    target_source: str = "plan"
    """``"plan"`` when given, else how it was derived (``"norm x (1 + 5%)"``)."""


@dataclass(frozen=True, slots=True)
class Budget:
    """The neutral budget B, in minor units, and where it came from."""

    amount: int
    source: str


@dataclass(frozen=True, slots=True)
class Plan:
    """A validated plan. Members are kept in member id order (the tie-break order)."""

    name: str
    currency: Currency
    months: tuple[PlanMonth, ...]
    members: tuple[Member, ...]
    curve: Curve
    norm: Norm
    budget: Budget
    metric: str = "revenue"
    funding: FundingStyle = FundingStyle.POOL
    split: Split = Split.EQUAL
    neutrality: Neutrality = Neutrality.EXPECTED_COST
    pay_leavers_for_exit_month: bool = False
    holdback: Fraction = Fraction(0)
    """Share of each line held until the plan year ends, paid then only to
    members still in the plan on its last day."""
    fixed_scale: Fraction | None = None
    """Pool at target per month (pool funding) or target bonus multiplier
    (individual funding) fixed by the plan; ``None`` means calibrate it."""
    uplift: Fraction = Fraction(0)
    teams: tuple[str, ...] = field(default=())
    functional: Functional = field(default_factory=Functional)
    """Teams' shared weights and functional goals, the metrics, gates and caps."""

    @property
    def scale_name(self) -> str:
        return "pool_at_target" if self.funding is FundingStyle.POOL else "target_bonus_multiplier"

    @property
    def goals(self) -> tuple[Goal, ...]:
        """Every functional goal, team by team in the plan's team order."""
        return tuple(goal for terms in self.functional.terms for goal in terms.goals)

    @property
    def weighted(self) -> bool:
        """Whether any team has functional goals (else every bonus is wholly shared)."""
        return bool(self.goals)


E = TypeVar("E", bound=StrEnum)


def _fits(currency: Currency, amount: Decimal) -> bool:
    """Whether ``amount`` has no more decimals than ``currency`` pays."""
    try:
        currency.to_minor(amount)
    except JointBonusError:
        return False
    return True


def build_plan(
    *,
    name: str,
    currency: str | Currency,
    start: str | Month,
    members: Sequence[Member],
    history: Sequence[HistoryMonth],
    curve: Curve,
    budget: Decimal | str | int,
    months: int = 12,
    targets: Mapping[str | Month, Decimal | str | int] | None = None,
    actuals: Mapping[str | Month, Decimal | str | int | None] | None = None,
    metric: str = "revenue",
    norm: NormMethod | str = NormMethod.TARGETS,
    window: int = 12,
    uplift: Decimal | str | int = 0,
    funding: FundingStyle | str = FundingStyle.POOL,
    split: Split | str = Split.EQUAL,
    neutrality: Neutrality | str = Neutrality.EXPECTED_COST,
    pay_leavers_for_exit_month: bool = False,
    holdback: Decimal | str | int = 0,
    scale: Decimal | str | int | None = None,
    teams: Sequence[str | TeamSpec] = (),
    metrics: Sequence[MetricSpec] = (),
    functional_gate: Decimal | str | int | None = None,
    shared_gate: Decimal | str | int | None = None,
    cap_per_month: Decimal | str | int | None = None,
    cap_per_year: Decimal | str | int | None = None,
) -> Plan:
    """Check everything and return a :class:`Plan`, or raise one :class:`PlanError`.

    ``budget`` is an amount or ``"from_history"`` (the mean monthly payout of
    the old plan over the history, times the plan's months). ``targets`` and
    ``actuals`` map months (``"2026-01"`` or :class:`Month`) to values; a
    month missing from ``actuals`` (or mapped to ``None``) is pending. With a
    derived norm, a month missing from ``targets`` gets ``norm x (1 +
    uplift)``. ``holdback`` is the share of every line held until the plan
    year ends and paid then only to members still in the plan on its last
    day. ``scale`` fixes the pool at target (pool funding) or the target
    bonus multiplier (individual funding) instead of calibrating it.

    ``teams`` names the teams, or gives :class:`~jointbonus.sharedtarget.goals.TeamSpec`
    values with each team's shared weight (or wanted expected split) and
    functional goals; ``metrics`` gives the functional metrics' plan months
    (their history is in each :class:`HistoryMonth`'s ``functional``).
    ``functional_gate`` is the shared attainment needed before functional
    parts pay, ``shared_gate`` the attainment each of a team's functional
    goals needs before its shared part pays; ``cap_per_month`` and
    ``cap_per_year`` limit what one member is paid.
    """
    problems: list[Problem] = []

    def enum_of(kind: type[E], value: object, field_name: str) -> E | None:
        try:
            return kind(str(value))
        except ValueError:
            choices = ", ".join(repr(m.value) for m in kind)
            problems.append(_problem(field_name, value, f"one of {choices}"))
            return None

    norm_method = enum_of(NormMethod, norm, "history.norm")
    funding_style = enum_of(FundingStyle, funding, "funding.style")
    split_rule = enum_of(Split, split, "funding.split")
    neutrality_rule = enum_of(Neutrality, neutrality, "calibration.neutrality")

    plan_currency: Currency | None = None
    try:
        plan_currency = currency if isinstance(currency, Currency) else make_currency(currency)
    except JointBonusError as error:
        problems.append(_problem("currency", currency, str(error)))

    first: Month | None = None
    try:
        first = start if isinstance(start, Month) else Month.parse(start)
    except JointBonusError:
        problems.append(_problem("start", start, "the plan's first month, written YYYY-MM"))
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        problems.append(_problem("months", months, "a whole number of months from 1 to 120"))
    if not isinstance(name, str) or not name.strip():
        problems.append(_problem("name", name, "a non-empty plan name"))

    def fraction_of(value: object, field_name: str, expected: str) -> Fraction | None:
        try:
            return to_fraction(value)  # type: ignore[arg-type]
        except JointBonusError:
            problems.append(_problem(field_name, value, expected))
            return None
        except TypeError:
            problems.append(_problem(field_name, value, expected))
            return None

    uplift_value = fraction_of(uplift, "history.uplift", "a decimal such as 0.05 (5% above norm)")
    if uplift_value is not None and uplift_value <= -1:
        problems.append(_problem("history.uplift", uplift, "a number above -1"))
    holdback_value = fraction_of(holdback, "funding.holdback", "a share from 0 to below 1")
    if holdback_value is not None and not 0 <= holdback_value < 1:
        problems.append(_problem("funding.holdback", holdback, "a share from 0 to below 1"))
    scale_value = None
    if scale is not None:
        scale_value = fraction_of(scale, "funding.scale", "a decimal amount >= 0")
        if scale_value is not None and scale_value < 0:
            problems.append(_problem("funding.scale", scale, "a decimal amount >= 0"))

    team_list = [t.name if isinstance(t, TeamSpec) else t for t in teams]
    team_names = set(team_list)
    if len(team_names) != len(team_list):
        problems.append(_problem("teams", team_list, "each team named once"))
    ids: set[str] = set()
    needs_salary = split_rule is Split.SALARY and funding_style is FundingStyle.POOL
    needs_bonus = funding_style is FundingStyle.INDIVIDUAL or (
        split_rule is Split.TARGET_BONUS and funding_style is FundingStyle.POOL
    )
    payable: dict[Decimal, bool] = {}  # amount -> fits the currency; a roster repeats amounts
    for member in members:
        member_id = member.id
        if member_id in ids:
            problems.append(_problem("member id", member_id, "each member id once"))
        ids.add(member_id)
        if team_names and member.team not in team_names:
            problems.append(
                _problem(f"member {member_id} team", member.team, f"one of {', '.join(team_list)}")
            )
        salary, bonus = member.salary, member.target_bonus
        if needs_salary and salary is None:
            problems.append(
                _problem(f"member {member_id} salary", None, "a salary (the pool splits by salary)")
            )
        if needs_bonus and bonus is None:
            problems.append(
                _problem(
                    f"member {member_id} target_bonus",
                    None,
                    "an annual target bonus (the plan funds or splits by target bonus)",
                )
            )
        if plan_currency is None:
            continue
        for label, amount in (("salary", salary), ("target_bonus", bonus)):
            if amount is None:
                continue
            fits = payable.get(amount)
            if fits is None:
                fits = payable[amount] = _fits(plan_currency, amount)
            if not fits:
                problems.append(
                    _problem(
                        f"member {member_id} {label}",
                        str(amount),
                        f"at most {plan_currency.minor_unit} decimals ({plan_currency.code})",
                    )
                )

    calendar: tuple[Month, ...] = ()
    if first is not None and isinstance(months, int) and 1 <= months <= 120:
        try:
            calendar = month_run(first, months)
        except JointBonusError:
            problems.append(_problem("months", months, f"a plan from {first} that ends by 9999-12"))

    def keyed(mapping: Mapping[str | Month, object] | None, field_name: str) -> dict[Month, object]:
        result: dict[Month, object] = {}
        for key, value in (mapping or {}).items():
            try:
                month = key if isinstance(key, Month) else Month.parse(key)
            except JointBonusError:
                problems.append(_problem(f"{field_name} month", key, "a month written YYYY-MM"))
                continue
            if calendar and month not in calendar:
                problems.append(
                    _problem(
                        f"{field_name} month",
                        str(month),
                        f"a month of the plan ({calendar[0]} to {calendar[-1]})",
                    )
                )
                continue
            result[month] = value
        return result

    target_map = keyed(targets, "targets")
    actual_map = keyed(actuals, "actuals")

    plan_norm: Norm | None = None
    if norm_method is not None and calendar:
        try:
            plan_norm = derive_norm(history, norm_method, calendar, window)
        except JointBonusError as error:
            problems.append(_problem("history", f"{len(history)} months", str(error)))

    functional = build_functional(
        teams=teams,
        metrics=metrics,
        history=history,
        calendar=calendar,
        norm_method=norm_method,
        window=window,
        currency=plan_currency,
        functional_gate=functional_gate,
        shared_gate=shared_gate,
        cap_per_month=cap_per_month,
        cap_per_year=cap_per_year,
        problems=problems,
    )
    if plan_norm is not None:
        plan_norm, functional = common_scenarios(plan_norm, functional)
        if not plan_norm.sample:
            problems.append(
                _problem(
                    "history",
                    f"{len(history)} months",
                    "at least one historical month in which the shared metric and every "
                    "functional metric have an attainment",
                )
            )

    plan_months: list[PlanMonth] = []
    if plan_norm is not None and uplift_value is not None:
        pending_seen: Month | None = None
        for month in calendar:
            raw_target = target_map.get(month)
            source = "plan"
            target: Fraction | None = None
            if raw_target is None:
                if plan_norm.method is NormMethod.TARGETS:
                    problems.append(
                        _problem(
                            f"target {month}",
                            None,
                            "a target for every plan month (the 'targets' norm derives none)",
                        )
                    )
                    continue
                # A derived target is published like any other: in the plan
                # currency, rounded half up to its minor unit.
                exact = plan_norm.target_for(month, uplift_value)
                target = (
                    exact
                    if plan_currency is None
                    else Fraction(plan_currency.round_to_minor(exact), plan_currency.scale)
                )
                source = f"norm x (1 + {decimal_text(uplift_value * 100, 2)}%)"
            else:
                target = fraction_of(raw_target, f"target {month}", "a positive number")
            if target is None:
                continue
            if target <= 0:
                problems.append(_problem(f"target {month}", str(raw_target), "a positive number"))
                continue
            raw_actual = actual_map.get(month)
            actual: Decimal | None = None
            if raw_actual is not None:
                try:
                    actual = D(raw_actual)  # type: ignore[arg-type]
                except (JointBonusError, TypeError):
                    problems.append(_problem(f"actual {month}", raw_actual, "a decimal number"))
                    continue
                if actual < 0:
                    problems.append(_problem(f"actual {month}", str(actual), "a number >= 0"))
                if pending_seen is not None:
                    problems.append(
                        _problem(
                            f"actual {month}",
                            str(actual),
                            f"no actual after the pending month {pending_seen} "
                            "(actuals arrive in month order)",
                        )
                    )
            elif pending_seen is None:
                pending_seen = month
            plan_months.append(PlanMonth(month, target, actual, source))

    budget_amount: int | None = None
    budget_source = "given in the plan"
    if plan_currency is not None:
        if isinstance(budget, str) and budget.strip() == "from_history":
            paid = [h.paid for h in history]
            missing = [str(h.month) for h in history if h.paid is None]
            if not history or missing:
                problems.append(
                    _problem(
                        "calibration.budget",
                        "from_history",
                        "a 'paid' amount on every history month "
                        f"(missing for {', '.join(missing) or 'all'})",
                    )
                )
            else:
                monthly = sum((Fraction(p) for p in paid if p is not None), Fraction(0)) / len(paid)
                budget_amount = plan_currency.round_to_minor(monthly * months)
                budget_source = (
                    f"history: mean monthly payout of the old plan "
                    f"{plan_currency.format(plan_currency.round_to_minor(monthly))} over "
                    f"{len(paid)} months x {months} plan months"
                )
                if budget_amount <= 0:
                    problems.append(
                        _problem(
                            "calibration.budget",
                            f"from_history ({plan_currency.format(budget_amount)})",
                            "history whose 'paid' amounts give a budget above 0, "
                            "or an amount above 0",
                        )
                    )
        else:
            try:
                budget_amount = plan_currency.to_minor(budget)
            except (JointBonusError, TypeError):
                problems.append(
                    _problem(
                        "calibration.budget",
                        budget,
                        f"an amount with at most {plan_currency.minor_unit} decimals "
                        "or 'from_history'",
                    )
                )
            else:
                if budget_amount <= 0:
                    problems.append(_problem("calibration.budget", budget, "an amount above 0"))

    if problems:
        raise PlanError(problems)
    if (
        plan_currency is None
        or plan_norm is None
        or budget_amount is None
        or uplift_value is None
        or funding_style is None
        or split_rule is None
        or neutrality_rule is None
        or holdback_value is None
    ):  # every None above has added a problem
        raise PlanError([_problem("plan", name, "a complete plan")])  # pragma: no cover
    return Plan(
        name=name.strip(),
        currency=plan_currency,
        months=tuple(plan_months),
        members=tuple(sorted(members, key=attrgetter("id"))),
        curve=curve,
        norm=plan_norm,
        budget=Budget(budget_amount, budget_source),
        metric=metric,
        funding=funding_style,
        split=split_rule,
        neutrality=neutrality_rule,
        pay_leavers_for_exit_month=pay_leavers_for_exit_month,
        holdback=holdback_value,
        fixed_scale=scale_value,
        uplift=uplift_value,
        teams=tuple(team_list),
        functional=functional,
    )
