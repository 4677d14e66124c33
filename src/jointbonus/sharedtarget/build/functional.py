"""The functional section of a plan: teams' shared weights and goals, metrics, gates, caps.

Problems are named by what the plan states (``teams.sales.shared_weight``,
``teams.sales.goals[0].weight``, ``metrics.leads``, ``functional_gate``,
``cap_per_month``, ``leads_target 2026-05``, ``history leads``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from fractions import Fraction

from jointbonus.core.history import HistoryMonth, NormMethod
from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, round_half_up
from jointbonus.core.periods import Month
from jointbonus.core.rules import ATTAINMENT, CAP, GOAL_WEIGHT, SHARE, UPLIFT
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.build.months import MonthLabels, month_figures, norm
from jointbonus.sharedtarget.goals import (
    Caps,
    Functional,
    Gates,
    Goal,
    Metric,
    MetricMonth,
    MetricSpec,
    TeamSpec,
    TeamTerms,
)

__all__ = ["METRIC_PLACES", "functional"]

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
) -> Functional:
    """Check the teams' weights and goals, the metrics, gates and caps.

    ``gates`` is ``(functional_gate, shared_gate)``, ``caps`` is
    ``(cap_per_month, cap_per_year)``, as :func:`~jointbonus.build_plan`
    takes them.
    """
    terms, used = _terms(checks, teams, {m.name for m in metrics})
    for spec in metrics:
        if spec.name not in used:
            checks.add(f"metrics.{spec.name}", spec.name, "a metric some team's goal measures")
    built = [
        found
        for found in (
            _metric(checks, spec, history, calendar, plan_method=norm_method, plan_window=window)
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
            goals.append(Goal(spec.name, goal.metric, goal_weight, goal.curve))
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
) -> Metric | None:
    """One functional metric: its norm from history and its plan months."""
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
        checks,
        past,
        method,
        calendar,
        window=spec.window or plan_window,
        name=f"history {spec.name}",
    )
    if metric_norm is None:
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
    )
    if len(figures) != len(calendar):
        return None
    months = tuple(MetricMonth(f.month, f.target, f.actual, f.target_source) for f in figures)
    return Metric(spec.name, months, metric_norm, uplift)
