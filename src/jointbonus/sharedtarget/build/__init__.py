"""Building a plan: every rule checked once, section by section, every problem reported.

:func:`build_plan` reads a plan from Python values; the loader
(:func:`jointbonus.load_plan`) reads the same values from files and hands
them here. Each section of a plan has its own module:

* :mod:`.money`: the currency and the neutral budget;
* :mod:`.roster`: the roster's rows made people (several rows of one id:
  a standing that changes), in teams of the plan, with the amounts the plan
  needs;
* :mod:`.months`: the calendar, the norm, each month's target and actual;
* :mod:`.functional`: teams' shared weights and goals, metrics, gates, caps.

Every problem is named by the argument it concerns (``budget``,
``holdback``, ``member DM-S03 team``, ``target 2026-05``,
``teams.sales.goals[0].weight``) and all of them are raised together in one
:class:`~jointbonus.errors.PlanError`.

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
>>> build_plan(**{**dict(name="Demo", currency="USD", start="2026-01", members=[],
...     history=[], curve=StepCurve(), budget="100"), "holdback": "1.5"})
Traceback (most recent call last):
...
jointbonus.errors.PlanError: 2 problems in the plan:
  holdback: got '1.5', expected a share from 0 to below 1
  history: got '0 months', expected history: got no months, expected at least one past month
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.curves import Curve, LinearCurve, StepCurve
from jointbonus.core.history import HistoryMonth, NormMethod
from jointbonus.core.money import Currency
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.core.roster import Member, Roster
from jointbonus.core.rules import AMOUNT, HOLDBACK, UPLIFT
from jointbonus.errors import JointBonusError, PlanError, argument, items, problem
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.build.functional import (
    functional,
    goal_period_norms,
    goal_periods_fit,
    longer_goal_norms,
    version_goal_periods,
    version_longer_goals,
)
from jointbonus.sharedtarget.build.money import budget as neutral_budget
from jointbonus.sharedtarget.build.money import plan_currency
from jointbonus.sharedtarget.build.months import MonthLabels, calendar, month_figures
from jointbonus.sharedtarget.build.months import norm as history_norm
from jointbonus.sharedtarget.build.periods import advance_share, shared_period_norm
from jointbonus.sharedtarget.build.periods import period_weights as period_weights_of
from jointbonus.sharedtarget.build.roster import roster
from jointbonus.sharedtarget.build.versions import VersionSpec, build_versions, used_metrics
from jointbonus.sharedtarget.goals import MetricSpec, TeamSpec, common_scenarios
from jointbonus.sharedtarget.plan import FundingStyle, Neutrality, Plan, PlanMonth, Split

__all__ = ["build_plan"]


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
    versions: Sequence[VersionSpec] = (),
    period: PeriodLength | str = PeriodLength.MONTH,
    period_weights: Sequence[Decimal | str | int | Fraction] | None = None,
    advance: Decimal | str | int | Fraction | None = None,
) -> Plan:
    """Check everything and return a :class:`~jointbonus.Plan`, or raise one
    :class:`~jointbonus.errors.PlanError` listing every problem.

    ``budget`` is an amount or ``"from_history"`` (the mean monthly payout of
    the old plan over the history, times the plan's months). ``targets`` and
    ``actuals`` map months (``"2026-01"`` or :class:`~jointbonus.Month`) to
    values; a month missing from ``actuals`` (or mapped to ``None``) is
    pending. With a derived norm, a month missing from ``targets`` gets ``norm
    x (1 + uplift)``. ``holdback`` is the share of every line held until the
    plan year ends and paid then only to members still in the plan on its
    last day. ``scale`` fixes the pool at target (pool funding) or the target
    bonus multiplier (individual funding) instead of calibrating it.

    ``members`` are the roster's rows: a member whose team, FTE, salary or
    target bonus changes has a row for each range of dates, with the same
    id; the rows become one person (rows that overlap, or that change a team
    within a month, are problems naming both rows, as ``members[3]``).

    ``teams`` names the teams, or gives
    :class:`~jointbonus.sharedtarget.goals.TeamSpec` values with each team's
    shared weight (or wanted expected split) and functional goals;
    ``metrics`` gives the functional metrics' plan months (their history is
    in each :class:`~jointbonus.HistoryMonth`'s ``functional``).
    ``functional_gate`` is the shared attainment needed before functional
    parts pay, ``shared_gate`` the attainment each of a team's functional
    goals needs before its shared part pays (a goal's own gate, set by another
    goal's attainment, is its :class:`~jointbonus.GoalGateSpec`);
    ``cap_per_month`` and ``cap_per_year`` limit what one member is paid.

    ``versions`` are the plan's later versions, in month order
    (:class:`~jointbonus.sharedtarget.build.versions.VersionSpec`): from its
    first month on, each changes the curve, the funding amounts, the split,
    the goals, gates or caps; each is built as a plan and its problems are
    named ``versions[k].<argument>``.

    ``period`` is what the shared target runs over: ``"month"`` (the
    default), ``"quarter"`` (fiscal quarters from ``start``) or
    ``"plan_year"`` (:mod:`jointbonus.sharedtarget.build.periods`).
    ``period_weights`` weigh the periods of each plan year unequally in its
    amounts at target: one share per period (12 for a monthly shared
    target), adding to exactly 1 (``None``: equal weights). ``advance`` is
    the share of a quarter's or plan year's pay advanced in the months before
    its end, on the attainment so far, and trued up at its end (``None``: no
    advances; :mod:`jointbonus.sharedtarget.pay.advances`).
    """
    # The arguments' types first (each collection read once: a generator is a list from here).
    if not isinstance(members, Roster):  # a roster read from a file holds members alone
        members = items("members", members, Member, "Member values (an iterable of them)")
    history = items("history", history, HistoryMonth, "HistoryMonth values (an iterable of them)")
    teams = items("teams", teams, (str, TeamSpec), "team names or TeamSpec values")
    metrics = items("metrics", metrics, MetricSpec, "MetricSpec values (an iterable of them)")
    versions = items("versions", versions, VersionSpec, "VersionSpec values (an iterable of them)")
    argument("start", start, (str, Month), "the plan's first month: text YYYY-MM or a Month")
    argument(
        "curve", curve, (StepCurve, LinearCurve), "a Curve, such as StepCurve() or LinearCurve(...)"
    )
    argument("targets", targets, (Mapping, type(None)), "a mapping of months to targets")
    argument("actuals", actuals, (Mapping, type(None)), "a mapping of months to actuals")
    argument("pay_leavers_for_exit_month", pay_leavers_for_exit_month, bool, "True or False")
    if period_weights is not None:
        period_weights = items("period_weights", period_weights, object, "one share per period")
    if versions:  # a plan that changes from a month on: build/versions.py
        arguments = {k: v for k, v in locals().items() if k != "versions"}
        base = build_plan(**{**arguments, "metrics": used_metrics(teams, metrics)})
        version_checks = Checks()
        later = build_versions(version_checks, versions, arguments, base, build_plan)
        if base.advance is not None:
            # An advance is paid on the period's pay by the version in force for the period:
            # a version starting inside one would change the pay its advances were paid on.
            for k, version in enumerate(later):
                within = base.period_of(version.start)
                if within is not None and within.first != version.index:
                    version_checks.add(
                        f"versions[{k}].from",
                        str(version.start),
                        f"the first month of a {base.period.noun} in a plan with advances "
                        f"(it falls inside {within.label}, whose advances are paid by the "
                        "version before)",
                    )
        version_goal_periods(version_checks, base, later)
        version_longer_goals(version_checks, base, later)
        if version_checks.problems:
            raise PlanError(version_checks.problems)
        return replace(base, versions=later)
    checks = Checks()
    # The plan's kind of norm, funding, split and neutrality.
    norm_method = checks.choice(NormMethod, norm, "norm")
    funding_style = checks.choice(FundingStyle, funding, "funding")
    split_rule = checks.choice(Split, split, "split")
    neutrality_rule = checks.choice(Neutrality, neutrality, "neutrality")
    period_length = checks.choice(PeriodLength, period, "period")
    weights = period_weights_of(checks, period_weights, period_length)

    # Its header: currency, first month, length, name.
    currency_value = plan_currency(checks, currency)
    first: Month | None = None
    try:
        first = start if isinstance(start, Month) else Month.parse(start)
    except JointBonusError:
        checks.add("start", start, "the plan's first month, written YYYY-MM")
    if not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 120:
        checks.add("months", months, "a whole number of months from 1 to 120")
    if not isinstance(name, str) or not name.strip():
        checks.add("name", name, "a non-empty plan name")

    # Its settings as numbers.
    uplift_value = checks.ruled(uplift, "uplift", UPLIFT, "a decimal such as 0.05 (5% above norm)")
    holdback_value = checks.ruled(holdback, "holdback", HOLDBACK)
    advance_value = advance_share(checks, advance, period_length, holdback_value)
    scale_value = None
    if scale is not None:
        scale_value = checks.ruled(scale, "scale", AMOUNT, "a decimal amount >= 0")

    # Its roster.
    team_names = [t.name if isinstance(t, TeamSpec) else t for t in teams]
    people = roster(
        checks,
        members,
        team_names,
        needs_salary=split_rule is Split.SALARY and funding_style is FundingStyle.POOL,
        needs_bonus=funding_style is FundingStyle.INDIVIDUAL
        or (split_rule is Split.TARGET_BONUS and funding_style is FundingStyle.POOL),
        currency=currency_value,
    )

    # Its months, the norm, and the functional side.
    plan_calendar = calendar(checks, first, months)
    target_map = checks.by_month(targets, "targets", plan_calendar)
    actual_map = checks.by_month(actuals, "actuals", plan_calendar)
    plan_norm = history_norm(checks, history, norm_method, plan_calendar, window)
    functional_side = functional(
        checks,
        teams=teams,
        metrics=metrics,
        history=history,
        calendar=plan_calendar,
        norm_method=norm_method,
        window=window,
        currency=currency_value,
        gates=(functional_gate, shared_gate),
        caps=(cap_per_month, cap_per_year),
        shared_metric=metric,
    )
    if plan_norm is not None:
        plan_norm, functional_side = common_scenarios(plan_norm, functional_side)
        if not plan_norm.sample:
            checks.add(
                "history",
                f"{len(history)} months",
                "at least one historical month in which the shared metric and every "
                "functional metric have an attainment",
            )
    plan_months: list[PlanMonth] = []
    if plan_norm is not None and uplift_value is not None:

        def publish(exact: Fraction) -> Fraction:
            # A derived target is published like any other: in the plan
            # currency, rounded half up to its minor unit.
            if currency_value is None:
                return exact
            return Fraction(currency_value.round_to_minor(exact), currency_value.scale)

        plan_months = [
            PlanMonth(f.month, f.target, f.actual, f.target_source)
            for f in month_figures(
                checks,
                calendar=plan_calendar,
                norm=plan_norm,
                uplift=uplift_value,
                targets=target_map,
                actuals=actual_map,
                publish=publish,
                labels=MonthLabels(
                    target="target",
                    actual="actual",
                    no_target="a target for every plan month (the 'targets' norm derives none)",
                    not_a_number="a decimal number",
                    target_as_text=True,
                ),
            )
        ]

    # Its shared period: the norm at the period's length, and the goals' periods.
    goal_periods_fit(checks, functional_side, period_length)
    month_norm = goal_norm = None
    monthly_norm = plan_norm
    if plan_norm is not None and period_length is not None:
        plan_norm, month_norm = shared_period_norm(
            checks,
            period_length,
            history=history,
            monthly=plan_norm,
            calendar=plan_calendar,
            functional=functional_side,
        )
        if not checks.problems:
            functional_side = goal_period_norms(
                checks,
                functional_side,
                history=history,
                calendar=plan_calendar,
                length=period_length,
                shared=plan_norm,
            )
        longer = next((g.period for t in functional_side.terms for g in t.goals), period_length)
        if (
            not checks.problems
            and monthly_norm is not None
            and longer.months > period_length.months
        ):
            functional_side, plan_norm, goal_norm = longer_goal_norms(
                checks,
                functional_side,
                history=history,
                calendar=plan_calendar,
                shared=plan_norm,
                shared_length=period_length,
                monthly=monthly_norm,
            )
            month_norm = None  # the goals read their own period, not the shared one's months

    # Its budget.
    plan_budget = None
    if currency_value is not None:
        plan_budget = neutral_budget(
            checks, budget, history, months if isinstance(months, int) else 0, currency_value
        )

    if checks.problems:
        raise PlanError(checks.problems)
    if (
        currency_value is None
        or plan_norm is None
        or plan_budget is None
        or uplift_value is None
        or funding_style is None
        or split_rule is None
        or neutrality_rule is None
        or holdback_value is None
        or period_length is None
    ):  # every None above has added a problem
        raise PlanError([problem("plan", name, "a complete plan")])  # pragma: no cover
    return Plan(
        name=name.strip(),
        currency=currency_value,
        months=tuple(plan_months),
        members=people,
        curve=curve,
        norm=plan_norm,
        budget=plan_budget,
        metric=metric,
        funding=funding_style,
        split=split_rule,
        neutrality=neutrality_rule,
        pay_leavers_for_exit_month=pay_leavers_for_exit_month,
        holdback=holdback_value,
        fixed_scale=scale_value,
        uplift=uplift_value,
        teams=tuple(team_names),
        functional=functional_side,
        period=period_length,
        period_weights=weights,
        history=tuple(history),
        advance=advance_value,
        month_norm=month_norm,
        goal_norm=goal_norm,
    )
