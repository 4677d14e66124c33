"""The functional section of a plan: teams' shared weights and goals, metrics, gates, caps.

Problems are named by what the plan states (``teams.sales.shared_weight``,
``teams.sales.goals[0].weight``, ``teams.sales.goals[1].gate.metric``,
``metrics.leads``, ``functional_gate``,
``cap_per_month``, ``leads_target 2026-05``, ``history leads``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from jointbonus.core.history import HistoryMonth, Norm, NormMethod
from jointbonus.core.money import Currency
from jointbonus.core.number import ZERO, D, decimal_text, round_half_up
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import (
    Period,
    PeriodLength,
    ShareCounts,
    cut_periods,
    period_norm,
)
from jointbonus.core.rules import ATTAINMENT, CAP, GOAL_WEIGHT, SHARE, UPLIFT
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.build.months import MonthLabels, month_figures, norm
from jointbonus.sharedtarget.goals import (
    Caps,
    Functional,
    Gates,
    Goal,
    GoalGate,
    GoalGateSpec,
    GoalSpec,
    Metric,
    MetricMonth,
    MetricSpec,
    TeamSpec,
    TeamTerms,
)
from jointbonus.sharedtarget.plan import Plan, PlanVersion

__all__ = [
    "METRIC_PLACES",
    "functional",
    "goal_period_norms",
    "goal_periods_fit",
    "longer_goal_norms",
    "version_goal_periods",
    "version_longer_goals",
]

#: Places a derived target of a functional metric is published with.
METRIC_PLACES = 4
_METRIC_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}", re.ASCII)


def functional(
    checks: Checks,
    *,
    teams: Sequence[str | TeamSpec],
    metrics: Sequence[MetricSpec],
    history: Sequence[HistoryMonth],
    calendar: Sequence[Month],
    norm_method: NormMethod | None,
    window: int,
    currency: Currency | None,
    gates: tuple[object, object],
    caps: tuple[object, object],
    shared_metric: str = "revenue",
) -> Functional:
    """Check the teams' weights and goals, the metrics, gates and caps.

    ``gates`` is ``(functional_gate, shared_gate)``, ``caps`` is
    ``(cap_per_month, cap_per_year)``, as :func:`~jointbonus.build_plan`
    takes them; ``shared_metric`` names the shared goal's metric, which a
    goal's own gate may read.
    """
    terms, used = _terms(checks, teams, {m.name for m in metrics})
    terms = _gated(checks, terms, teams, used, shared_metric)
    for spec in metrics:
        if spec.name not in used:
            checks.add(f"metrics.{spec.name}", spec.name, "a metric some team's goal measures")
    over = {goal.metric for team in terms for goal in team.goals if goal.over_period}
    built = [
        found
        for found in (
            _metric(
                checks,
                spec,
                history,
                calendar,
                plan_method=norm_method,
                plan_window=window,
                over_period=spec.name in over,
            )
            for spec in metrics
        )
        if found is not None
    ]
    with_goals = any(t.goals for t in terms)
    return Functional(
        tuple(terms),
        tuple(built),
        Gates(
            _gate(checks, gates[0], "functional_gate", with_goals),
            _gate(checks, gates[1], "shared_gate", with_goals),
        ),
        Caps(
            _cap(checks, caps[0], "cap_per_month", currency),
            _cap(checks, caps[1], "cap_per_year", currency),
        ),
    )


def _terms(
    checks: Checks, teams: Sequence[str | TeamSpec], declared: set[str]
) -> tuple[list[TeamTerms], set[str]]:
    """Each team's weight (or wanted split) and goals; and the metrics the goals measure."""
    used: set[str] = set()
    terms: list[TeamTerms] = []
    for spec in (t if isinstance(t, TeamSpec) else TeamSpec(t) for t in teams):
        where = f"teams.{spec.name}"
        weight = split = None
        if spec.shared_weight is not None:
            weight = checks.ruled(spec.shared_weight, f"{where}.shared_weight", SHARE)
        if spec.expected_shared_split is not None:
            split = checks.ruled(
                spec.expected_shared_split, f"{where}.expected_shared_split", SHARE
            )
        if spec.shared_weight is not None and spec.expected_shared_split is not None:
            checks.add(
                f"{where}.expected_shared_split",
                spec.expected_shared_split,
                "either shared_weight (the nominal weight) or expected_shared_split "
                "(solved for the weight), not both",
            )
        goals: list[Goal] = []
        total = Fraction(0)
        for index, goal in enumerate(spec.goals):
            at = f"{where}.goals[{index}]"
            if goal.metric not in declared:
                known = ", ".join(sorted(declared)) or "none declared"
                checks.add(f"{at}.metric", goal.metric, f"a functional metric ({known})")
            if any(g.metric == goal.metric for g in goals):
                checks.add(f"{at}.metric", goal.metric, "each metric once per team")
            used.add(goal.metric)
            goal_weight = checks.ruled(goal.weight, f"{at}.weight", GOAL_WEIGHT)
            if goal_weight is None:
                continue
            total += goal_weight
            length = checks.choice(PeriodLength, goal.period, f"{at}.period")
            goals.append(
                Goal(
                    spec.name,
                    goal.metric,
                    goal_weight,
                    goal.curve,
                    period=PeriodLength.MONTH if length is None else length,
                )
            )
        if goals and total != 1 and len(goals) == len(spec.goals):
            checks.add(
                f"{where}.goals",
                f"weights adding to {decimal_text(total, 4)}",
                "goal weights that add to 1 within the team",
            )
        if spec.goals:
            if spec.shared_weight is None and spec.expected_shared_split is None:
                checks.add(
                    where,
                    spec.name,
                    "shared_weight (such as 0.5) or expected_shared_split (such as "
                    "0.5) for a team with functional goals",
                )
        else:
            for name, value in (("shared_weight", weight), ("expected_shared_split", split)):
                if value is not None and value != 1:
                    checks.add(
                        f"{where}.{name}",
                        getattr(spec, name),
                        "1 for a team without functional goals (its whole bonus is "
                        "shared); give the team goals to weight it",
                    )
            weight, split = Fraction(1), None
        terms.append(TeamTerms(spec.name, weight, split, tuple(goals)))
    return terms, used


def _gated(
    checks: Checks,
    terms: list[TeamTerms],
    teams: Sequence[str | TeamSpec],
    measured: set[str],
    shared_metric: str,
) -> list[TeamTerms]:
    """The teams with each goal's own gate checked and set on the goal."""
    specs = {t.name: t for t in teams if isinstance(t, TeamSpec)}
    gated = []
    for team in terms:
        spec = specs.get(team.team)
        if spec is None or all(goal.gate is None for goal in spec.goals):
            gated.append(team)
            continue
        goals = list(team.goals)
        for index, goal_spec in enumerate(spec.goals):
            if goal_spec.gate is None:
                continue
            where = f"teams.{team.team}.goals[{index}].gate"
            gate = _goal_gate(checks, goal_spec, where, measured, shared_metric)
            at = next((i for i, g in enumerate(goals) if g.metric == goal_spec.metric), None)
            if gate is not None and at is not None:
                old = goals[at]
                goals[at] = replace(old, gate=gate)
        gated.append(TeamTerms(team.team, team.shared_weight, team.expected_split, tuple(goals)))
    return gated


def _goal_gate(
    checks: Checks, goal: GoalSpec, where: str, measured: set[str], shared_metric: str
) -> GoalGate | None:
    """A goal's own gate: another goal's metric, and the attainment it needs."""
    spec = goal.gate
    if not isinstance(spec, GoalGateSpec):
        checks.add(where, spec, "a gate with a metric and an attainment")
        return None
    attainment = checks.ruled(spec.attainment, f"{where}.attainment", ATTAINMENT)
    metric = spec.metric
    shared = metric == shared_metric
    known = ", ".join([f"{shared_metric} (the shared goal)", *sorted(measured - {goal.metric})])
    if metric == goal.metric:
        checks.add(
            f"{where}.metric",
            metric,
            f"another goal's metric ({known}): the goal's own curve sets where it starts paying",
        )
        return None
    if shared and metric in measured:
        checks.add(
            f"{where}.metric",
            metric,
            f"a metric that names one goal: {metric} is both the shared goal's metric and a "
            "functional metric; rename the functional one",
        )
        return None
    if not shared and metric not in measured:
        checks.add(f"{where}.metric", metric, f"the metric of another goal of the plan ({known})")
        return None
    if attainment is None:
        return None
    return GoalGate(metric, attainment, shared)


def _gate(checks: Checks, value: object, name: str, with_goals: bool) -> Fraction | None:
    if value is None:
        return None
    gate = checks.ruled(value, name, ATTAINMENT)
    if gate is not None and not with_goals:
        checks.add(name, value, "no gate: no team has functional goals")
    return gate


def _cap(checks: Checks, value: object, name: str, currency: Currency | None) -> int | None:
    if value is None or currency is None:
        return None
    expected = f"an amount above 0 with at most {currency.minor_unit} decimals"
    try:
        amount = currency.to_minor(value)  # type: ignore[arg-type]
    except (JointBonusError, TypeError):
        checks.add(name, value, expected)
        return None
    if not CAP.holds(amount):
        checks.add(name, value, expected)
        return None
    return amount


def _metric(
    checks: Checks,
    spec: MetricSpec,
    history: Sequence[HistoryMonth],
    calendar: Sequence[Month],
    *,
    plan_method: NormMethod | None,
    plan_window: int,
    over_period: bool = False,
) -> Metric | None:
    """One functional metric: its norm from history and its plan months; ``over_period``
    when its goals run over a quarter or plan year, the shared period or a longer one (a
    month whose counts have nothing to divide is then final, not pending)."""
    where = f"metrics.{spec.name}"
    if not _METRIC_NAME.fullmatch(spec.name):
        checks.add(
            where,
            spec.name,
            "a metric name of lower-case letters, digits and '_', starting with a letter",
        )
        return None
    method: NormMethod | None = plan_method
    if spec.norm is not None:
        method = checks.choice(NormMethod, spec.norm, f"{where}.norm")
        if method is None:
            return None
    uplift = checks.ruled(spec.uplift, f"{where}.uplift", UPLIFT, "a decimal such as 0.05")
    if uplift is None or method is None or not calendar:
        return None
    missing = [str(h.month) for h in history if spec.name not in h.functional]
    if missing:
        checks.add(
            f"history {spec.name}",
            f"{len(missing)} months",
            f"the metric's actual in every history month; missing for {', '.join(missing)}",
        )
        return None
    past = [
        HistoryMonth(h.month, h.functional[spec.name], h.functional_targets.get(spec.name))
        for h in history
    ]
    metric_norm = norm(
        checks, past, method, calendar, spec.window or plan_window, name=f"history {spec.name}"
    )
    if metric_norm is None:
        return None
    counts = _counts(checks, spec, history, calendar)
    if counts is None:
        return None
    figures = month_figures(
        checks,
        calendar=calendar,
        norm=metric_norm,
        uplift=uplift,
        targets=checks.by_month(spec.targets, f"{spec.name}_target", calendar),
        actuals=checks.by_month(spec.actuals, f"{spec.name}_actual", calendar),
        publish=lambda exact: Fraction(round_half_up(exact * 10**METRIC_PLACES), 10**METRIC_PLACES),
        labels=MonthLabels(
            target=f"{spec.name}_target",
            actual=f"{spec.name}_actual",
            no_target="a target for every plan month (the metric's 'targets' norm derives none)",
            not_a_number="a number",
        ),
        measured=[m for m, c in counts.items() if not c.whole] if over_period else (),
    )
    if len(figures) != len(calendar):
        return None
    needed = [h.month for h in history] + [f.month for f in figures if f.actual is not None]
    missing = [str(month) for month in needed if month not in counts]
    if counts and missing:
        checks.add(
            f"{spec.name}_counts",
            f"{len(missing)} months",
            "counts for every history month and every plan month with an actual, or none; "
            f"missing for {', '.join(missing)}",
        )
        return None
    months = tuple(
        MetricMonth(f.month, f.target, f.actual, f.target_source, counts.get(f.month))
        for f in figures
    )
    past_counts = {h.month: counts[h.month] for h in history if h.month in counts}
    return Metric(spec.name, months, metric_norm, uplift, past_counts)


def _counts(
    checks: Checks, spec: MetricSpec, history: Sequence[HistoryMonth], calendar: Sequence[Month]
) -> dict[Month, ShareCounts] | None:
    """A share's counts by month (:attr:`MetricSpec.counts`): each ``(part, whole)`` exact
    with ``0 <= part <= whole``, in a plan or history month. ``None`` (and problems) when
    one is not."""
    if not spec.counts:
        return {}
    name = f"{spec.name}_counts"
    known = {h.month for h in history} | set(calendar)
    counts: dict[Month, ShareCounts] = {}
    before = len(checks.problems)
    for key, pair in spec.counts.items():
        try:
            month = key if isinstance(key, Month) else Month.parse(key)
        except JointBonusError:
            checks.add(f"{name} month", key, "a month written YYYY-MM")
            continue
        if month not in known:
            checks.add(f"{name} month", str(month), "a plan or history month")
            continue
        try:
            part, whole = (D(value) for value in pair)
        except (JointBonusError, TypeError, ValueError):
            checks.add(f"{name} {month}", pair, "(part, whole): two exact numbers")
            continue
        if not ZERO <= part <= whole:
            checks.add(f"{name} {month}", pair, "(part, whole) with 0 <= part <= whole")
            continue
        counts[month] = ShareCounts(part, whole)
    return counts if len(checks.problems) == before else None


def goal_periods_fit(
    checks: Checks,
    functional: Functional,
    length: PeriodLength | None,
) -> None:
    """A problem for each goal whose ``period`` the plan cannot pay.

    A goal is measured and paid month by month (``"month"``, the default), over
    the plan's longer shared period (``length``): its actuals summed over its targets
    summed, paid with the shared part in the month that ends the period, on each
    member's weight over it; or over a period that holds several shared periods (a
    quarter or plan year beside a monthly shared target, a plan year beside a
    quarterly one). A goal period inside the shared one (a quarter beside a yearly
    shared target) is refused. Every goal of a plan has the same period, since a plan's
    goals are paid together from one frame a month. Beside goals over the shared period
    or a longer one, an ``advance`` is of the shared part alone, a shared gate reads
    each goal over the shared period it gates
    (:meth:`~jointbonus.sharedtarget.plan.Plan.shared_gate_reads`), and both take caps.
    """
    if length is None:
        return
    first: tuple[str, Goal] | None = None
    for terms in functional.terms:
        for index, goal in enumerate(terms.goals):
            at = f"teams.{terms.team}.goals[{index}].period"
            if goal.period is not PeriodLength.MONTH and goal.period.months < length.months:
                checks.add(
                    at,
                    goal.period.value,
                    f"'month', the shared target's period '{length.value}', or a longer one: "
                    "a goal runs month by month, over the shared period or over a period "
                    "that holds several shared periods, never over one that lies inside one",
                )
                return
            if first is None:
                first = (at, goal)
            elif goal.period is not first[1].period:
                checks.add(
                    at,
                    goal.period.value,
                    f"'{first[1].period.value}', as {first[0]} ({first[1].key}): every goal "
                    "of a plan runs over the same period (month by month, over the shared "
                    "period, or over one longer period)",
                )
                return


def goal_period_norms(
    checks: Checks,
    functional: Functional,
    *,
    history: Sequence[HistoryMonth],
    calendar: Sequence[Month],
    length: PeriodLength,
    shared: Norm,
) -> Functional:
    """``functional`` with each metric's norm at the shared period's ``length`` when the
    goals run over it (else as it is): one attainment per whole historical period, its
    actuals summed over its levels summed, as the shared norm's
    (:func:`~jointbonus.core.plan_periods.period_norm`), cut to the historical periods
    ``shared`` (the shared norm at ``length``) draws, so that scenario ``h`` of every
    norm is one historical period; or ``functional`` and a problem when a metric's
    history has none of them.

    Beside goals measured month by month, a shared gate reads each goal over the shared
    period (:meth:`~jointbonus.sharedtarget.plan.Plan.shared_gate_reads`): each goal's
    metric that is a counted share (:attr:`Metric.counted`) then gets its norm at
    ``length`` as :attr:`Metric.gate_norm`, counted as above, which calibration's
    gate reads; the other metrics' gate reads their months' norms summed."""
    goals = [goal for terms in functional.terms for goal in terms.goals]
    over = any(goal.period is length for goal in goals)
    if length is PeriodLength.MONTH or not calendar:
        return functional
    if not over:
        if functional.gates.shared is None or any(g.over_period for g in goals):
            return functional
        read = {goal.metric for goal in goals}
        counted = tuple(m for m in functional.metrics if m.name in read and m.counted)
        if not counted:
            return functional
        gate_norms = _norms_over(
            checks,
            replace(functional, metrics=counted),
            history,
            calendar,
            length=length,
            shared=shared,
            why="the shared gate reads",
        )
        if gate_norms is None:
            return functional
        metrics = tuple(replace(m, gate_norm=gate_norms.get(m.name)) for m in functional.metrics)
        return replace(functional, metrics=metrics)
    found = _norms_over(
        checks,
        functional,
        history,
        calendar,
        length=length,
        shared=shared,
        why="the shared metric has",
    )
    if found is None:
        return functional
    metrics = tuple(replace(metric, norm=found[metric.name]) for metric in functional.metrics)
    return replace(functional, metrics=metrics)


def _norms_over(
    checks: Checks,
    functional: Functional,
    history: Sequence[HistoryMonth],
    calendar: Sequence[Month],
    *,
    length: PeriodLength,
    shared: Norm,
    why: str,
) -> dict[str, Norm] | None:
    """Each metric's norm at ``length`` (:func:`_metric_period_norm`), by name, cut to the
    historical periods ``shared`` (the shared norm at ``length``) draws, so that scenario
    ``h`` of every norm is one historical period; ``None`` and a problem when a metric's
    history has none of them (``why`` says what reads them)."""
    periods = cut_periods(calendar[0], len(calendar), length)
    found = {}
    for metric in functional.metrics:
        try:
            norm_over = _metric_period_norm(metric, history, length, periods)
        except JointBonusError as error:
            checks.add(f"history {metric.name}", f"{len(history)} months", str(error))
            return None
        norm_over = norm_over.restricted(shared.sample_months)
        if norm_over.sample_months != shared.sample_months:
            missing = sorted(set(shared.sample_months) - set(norm_over.sample_months))
            checks.add(
                f"history {metric.name}",
                f"{len(history)} months",
                f"an attainment of {metric.name} over every historical {length.noun} {why}; "
                f"none for the {length.noun} from {missing[0]}",
            )
            return None
        found[metric.name] = norm_over
    return found


def _metric_period_norm(
    metric: Metric,
    history: Sequence[HistoryMonth],
    length: PeriodLength,
    periods: Sequence[Period],
) -> Norm:
    """``metric``'s norm at ``length`` (:func:`~jointbonus.core.plan_periods.period_norm` of
    its monthly one): one attainment per whole historical period, its actuals summed over
    its levels summed, or, for a counted share (:attr:`Metric.counted`), the period's parts
    over its levels weighted by its wholes. Raises :class:`JointBonusError` when the
    history holds no whole period."""
    past = [
        HistoryMonth(h.month, h.functional[metric.name], h.functional_targets.get(metric.name))
        for h in history
    ]
    counts = [metric.history_counts[h.month] for h in history] if metric.counted else None
    return period_norm(past, metric.norm, length, periods, counts)


def version_goal_periods(checks: Checks, base: Plan, versions: Sequence[PlanVersion]) -> None:
    """A problem for each version that changes whether the goals run over the shared
    period and starts inside one: the months of that period before it would have their
    goals paid twice (monthly, then over the period) or never (the other way round)."""
    before = base
    for k, version in enumerate(versions):
        design = version.design
        within = base.period_of(version.start)
        changed = design.goals_over_period != before.goals_over_period
        if changed and within is not None and within.first != version.index:
            checks.add(
                f"versions[{k}].from",
                str(version.start),
                f"the first month of a {base.period.noun} when a version changes the goals' "
                f"period (it falls inside {within.label}, whose months before it would have "
                "their goals paid twice or never)",
            )
        before = design


def longer_goal_norms(
    checks: Checks,
    functional: Functional,
    *,
    history: Sequence[HistoryMonth],
    calendar: Sequence[Month],
    shared: Norm,
    shared_length: PeriodLength,
    monthly: Norm,
) -> tuple[Functional, Norm, Norm | None]:
    """The norms of a plan whose goals run over a period longer than the shared one.

    Each goal's metric gets its norm at the goals' period's length
    (:func:`~jointbonus.core.plan_periods.period_norm` of its monthly one: one
    attainment per whole historical goal period, its actuals summed over its levels
    summed), and the shared metric one too (``monthly`` at that length: what the
    gates of the goals read). They are cut to the historical goal periods every one of
    them has and whose shared periods ``shared`` (the shared norm at the shared
    period's length) all holds, and ``shared`` is cut to those shared periods: each
    scenario is one historical shared period, and it reads the goals of the goal
    period it lies in, so every goal period weighs the same. Returns the functional
    side, ``shared`` cut, and the shared norm over the goals' period (``None``, with a
    problem, when the history holds no such goal period or the months are not whole
    goal periods).
    """
    length = next(g.period for terms in functional.terms for g in terms.goals)
    try:
        periods = cut_periods(calendar[0], len(calendar), length)
    except JointBonusError as error:
        checks.add("months", len(calendar), f"with goals over the {length.noun}: {error}")
        return functional, shared, None
    norms: dict[str, Norm] = {}
    try:
        over = period_norm(history, monthly, length, periods)
        for metric in functional.metrics:
            norms[metric.name] = _metric_period_norm(metric, history, length, periods)
    except JointBonusError as error:
        checks.add("history", f"{len(history)} months", f"for the goals' periods: {error}")
        return functional, shared, None
    held = {m.index() for m in shared.sample_months}
    step = shared_length.months
    starts = [
        start
        for start in over.sample_months
        if all(start in norm.sample_months for norm in norms.values())
        and all(start.index() + k in held for k in range(0, length.months, step))
    ]
    if not starts:
        checks.add(
            "history",
            f"{len(history)} months",
            f"at least one whole {length.noun} of history (aligned with the plan's) in "
            f"which the shared metric and every goal's metric have an attainment over the "
            f"{length.noun} and the shared metric one each {shared.period}",
        )
        return functional, shared, None
    inside = {start.shift(k) for start in starts for k in range(length.months)}
    shared = shared.restricted([m for m in shared.sample_months if m in inside])
    gate_norms: dict[str, Norm] | None = {}
    if functional.gates.shared is not None:  # what it reads: each goal over a shared period
        gate_norms = _norms_over(
            checks,
            functional,
            history,
            calendar,
            length=shared_length,
            shared=shared,
            why="the shared gate reads",
        )
    if gate_norms is None:
        return functional, shared, None
    metrics = tuple(
        replace(m, norm=norms[m.name].restricted(starts), gate_norm=gate_norms.get(m.name))
        for m in functional.metrics
    )
    return replace(functional, metrics=metrics), shared, over.restricted(starts)


def version_longer_goals(checks: Checks, base: Plan, versions: Sequence[PlanVersion]) -> None:
    """A problem for each version that starts inside a goal period running over a period
    longer than the shared one: of the goals in force before it, or of its own goals.
    Such goals are paid at their period's end from the functional parts of every month of
    it, so each goal period is paid by one design. The problem names the goal period the
    version falls inside and the nearest months that would start it: first months of a
    goal period of both designs (a version may change the goals' period under this rule:
    from the month to the quarter at a quarter's first month, to the plan year at a plan
    year's)."""
    before = base
    for k, version in enumerate(versions):
        design = version.design
        longer = [plan for plan in (before, design) if plan.goals_over_longer]
        inside = [
            (plan, plan.goal_period_at(version.index))
            for plan in longer
            if plan.goal_period_at(version.index).first != version.index
        ]
        if inside:
            plan, period = inside[0]
            starts = [
                m.month
                for j, m in enumerate(base.months)
                if j and all(p.goal_period_at(j).first == j for p in longer)
            ]
            near = [
                *[m for m in starts if m < version.start][-1:],
                *[m for m in starts if m > version.start][:1],
            ]
            whose = "in force before it" if plan is before else "it sets"
            checks.add(
                f"versions[{k}].from",
                str(version.start),
                f"the first month of a goal period: the goals {whose} run over the "
                f"{plan.goal_length.noun} beside a {plan.period.noun}ly shared target, and "
                f"{version.start} falls inside {period.label}, whose goals one design pays "
                + (
                    f"({' or '.join(str(m) for m in near)} would start one)"
                    if near
                    else "(no month of the plan after its first starts one)"
                ),
            )
        before = design
