"""Functional goals, the shared weight of each team, gates and caps.

A plan can keep part of each person's bonus on their own function's goals. A
member of team ``t`` earns::

    bonus = w_t x shared part + (1 - w_t) x sum over t's goals of (goal weight x goal part)

where ``w_t`` is the team's **shared weight**. A team with no functional goals
has ``w_t = 1``. The plan either states ``w_t`` (the **nominal** weight) or a
wanted **expected shared split** (the share of what the team can expect to
earn that comes from the shared goal), from which calibration solves ``w_t``
(:mod:`jointbonus.sharedtarget.weighting`).

Each functional goal measures a **metric** (leads accepted, follow-ups within
48 hours, ...). A metric has monthly targets and actuals like the shared
goal, and a norm from its own history (:mod:`jointbonus.core.history`); one
historical month supplies every metric's attainment together.

**Gates** tie the parts together: with a functional gate, functional parts
pay only in a month whose shared attainment reaches it; with a shared gate, a
team's shared part pays only in a month where each of its functional
attainments reaches it. **Caps** limit what one member is paid in a month and
in a plan year (each run of 12 plan months from the plan's start); what a cap
cuts is not paid to anyone.

This module holds the validated values; :func:`jointbonus.build_plan` makes
them from the specs below.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.curves import Curve
from jointbonus.core.history import HistoryMonth, Norm, NormMethod, derive_norm
from jointbonus.core.money import Currency
from jointbonus.core.number import D, decimal_text, round_half_up, to_fraction
from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError, Problem, problem

__all__ = [
    "Caps",
    "Functional",
    "Gates",
    "Goal",
    "GoalSpec",
    "Metric",
    "MetricMonth",
    "MetricSpec",
    "TeamSpec",
    "TeamTerms",
]


@dataclass(frozen=True, slots=True)
class GoalSpec:
    """A functional goal as a plan states it: a metric, its weight in the team, its curve."""

    metric: str
    weight: Decimal | str | int
    curve: Curve


@dataclass(frozen=True, slots=True)
class TeamSpec:
    """A team as a plan states it.

    Give ``shared_weight`` (the nominal w) or ``expected_shared_split`` (the
    wanted share of expected earnings from the shared goal, solved for w), not
    both; a team with ``goals`` needs one of them, a team without goals has
    w = 1.
    """

    name: str
    shared_weight: Decimal | str | int | None = None
    expected_shared_split: Decimal | str | int | None = None
    goals: tuple[GoalSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class MetricSpec:
    """A functional metric's plan months and how its norm is read from history.

    ``targets`` and ``actuals`` map months to values like the shared goal's; a
    month missing from ``actuals`` is pending. ``norm`` defaults to the plan's
    norm method; ``uplift`` (for a derived norm) to 0. History supplies the
    metric's past actuals (and targets) in :attr:`HistoryMonth.functional`.
    """

    name: str
    targets: Mapping[str | Month, Decimal | str | int] = field(default_factory=dict)
    actuals: Mapping[str | Month, Decimal | str | int | None] = field(default_factory=dict)
    norm: NormMethod | str | None = None
    uplift: Decimal | str | int = 0
    window: int | None = None


@dataclass(frozen=True, slots=True)
class MetricMonth:
    """One plan month of a functional metric."""

    month: Month
    target: Fraction
    actual: Decimal | None
    target_source: str = "plan"


@dataclass(frozen=True, slots=True)
class Metric:
    """A validated functional metric: its plan months (aligned with the plan's) and norm."""

    name: str
    months: tuple[MetricMonth, ...]
    norm: Norm
    uplift: Fraction = Fraction(0)

    def scenario_attainment(self, index: int, month_index: int) -> Fraction:
        """Attainment in plan month ``month_index`` at historical scenario ``index``."""
        plan_month = self.months[month_index]
        return self.norm.sample[index] * self.norm.scenario_ratio(
            plan_month.month, plan_month.target
        )

    def attainment(self, month_index: int) -> Fraction | None:
        """Actual / target in a plan month, or ``None`` while the actual is pending."""
        plan_month = self.months[month_index]
        if plan_month.actual is None:
            return None
        return Fraction(plan_month.actual) / plan_month.target


@dataclass(frozen=True, slots=True)
class Goal:
    """A validated functional goal of one team."""

    team: str
    metric: str
    weight: Fraction
    """Weight within the team's functional part; a team's goal weights add to 1."""
    curve: Curve

    @property
    def key(self) -> str:
        """``team/metric``: how outputs name the goal."""
        return f"{self.team}/{self.metric}"


@dataclass(frozen=True, slots=True)
class TeamTerms:
    """A team's shared weight, as given or as wanted, and its functional goals."""

    team: str
    shared_weight: Fraction | None
    """The nominal w the plan gives (1 for a team without goals), or ``None`` to solve."""
    expected_split: Fraction | None = None
    """The wanted share of expected earnings from the shared goal (solved for w)."""
    goals: tuple[Goal, ...] = ()


@dataclass(frozen=True, slots=True)
class Gates:
    """Attainments one part needs before another pays (``None``: no gate)."""

    functional: Fraction | None = None
    """Shared attainment a month needs before any functional part pays."""
    shared: Fraction | None = None
    """Attainment each of a team's functional goals needs before its shared part pays."""

    @property
    def any(self) -> bool:
        return self.functional is not None or self.shared is not None


@dataclass(frozen=True, slots=True)
class Caps:
    """Most one member is paid, in minor units (``None``: no cap)."""

    per_month: int | None = None
    per_year: int | None = None
    """Per plan year: each run of 12 plan months from the plan's start."""

    @property
    def any(self) -> bool:
        return self.per_month is not None or self.per_year is not None


@dataclass(frozen=True, slots=True)
class Functional:
    """The functional side of a validated plan (empty for a plan on the shared goal alone)."""

    terms: tuple[TeamTerms, ...] = ()
    metrics: tuple[Metric, ...] = ()
    gates: Gates = Gates()
    caps: Caps = Caps()
    scenario_months: tuple[Month, ...] = ()
    """The historical months every norm has an attainment for (empty: the shared norm's)."""


#: Places a derived target of a functional metric is published with.
METRIC_PLACES = 4
_METRIC_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}", re.ASCII)


def build_functional(
    *,
    teams: Sequence[str | TeamSpec],
    metrics: Sequence[MetricSpec],
    history: Sequence[HistoryMonth],
    calendar: Sequence[Month],
    norm_method: NormMethod | None,
    window: int,
    currency: Currency | None,
    functional_gate: object,
    shared_gate: object,
    cap_per_month: object,
    cap_per_year: object,
    problems: list[Problem],
) -> Functional:
    """Check the teams' weights and goals, the metrics, gates and caps; add any problems."""

    def fraction(value: object, name: str, expected: str) -> Fraction | None:
        try:
            return to_fraction(value)  # type: ignore[arg-type]
        except (JointBonusError, TypeError):
            problems.append(problem(name, value, expected))
            return None

    def share(value: object, name: str) -> Fraction | None:
        if value is None:
            return None
        found = fraction(value, name, "a share from 0 to 1, such as 0.5")
        if found is not None and not 0 <= found <= 1:
            problems.append(problem(name, value, "a share from 0 to 1, such as 0.5"))
            return None
        return found

    specs = [t if isinstance(t, TeamSpec) else TeamSpec(t) for t in teams]
    declared = {m.name for m in metrics}
    used: set[str] = set()
    terms: list[TeamTerms] = []
    for spec in specs:
        where = f"teams.{spec.name}"
        weight = share(spec.shared_weight, f"{where}.shared_weight")
        split = share(spec.expected_shared_split, f"{where}.expected_shared_split")
        if spec.shared_weight is not None and spec.expected_shared_split is not None:
            problems.append(
                problem(
                    f"{where}.expected_shared_split",
                    spec.expected_shared_split,
                    "either shared_weight (the nominal weight) or expected_shared_split "
                    "(solved for the weight), not both",
                )
            )
        goals: list[Goal] = []
        total = Fraction(0)
        for index, goal in enumerate(spec.goals):
            at = f"{where}.goals[{index}]"
            if goal.metric not in declared:
                known = ", ".join(sorted(declared)) or "none declared"
                problems.append(
                    problem(f"{at}.metric", goal.metric, f"a functional metric ({known})")
                )
            if any(g.metric == goal.metric for g in goals):
                problems.append(problem(f"{at}.metric", goal.metric, "each metric once per team"))
            used.add(goal.metric)
            goal_weight = fraction(goal.weight, f"{at}.weight", "a weight above 0, at most 1")
            if goal_weight is None:
                continue
            if not 0 < goal_weight <= 1:
                problems.append(problem(f"{at}.weight", goal.weight, "a weight above 0, at most 1"))
                continue
            total += goal_weight
            goals.append(Goal(spec.name, goal.metric, goal_weight, goal.curve))
        if goals and total != 1 and len(goals) == len(spec.goals):
            problems.append(
                problem(
                    f"{where}.goals",
                    f"weights adding to {decimal_text(total, 4)}",
                    "goal weights that add to 1 within the team",
                )
            )
        if spec.goals:
            if spec.shared_weight is None and spec.expected_shared_split is None:
                problems.append(
                    problem(
                        where,
                        spec.name,
                        "shared_weight (such as 0.5) or expected_shared_split (such as "
                        "0.5) for a team with functional goals",
                    )
                )
        else:
            for name, value in (("shared_weight", weight), ("expected_shared_split", split)):
                if value is not None and value != 1:
                    problems.append(
                        problem(
                            f"{where}.{name}",
                            getattr(spec, name),
                            "1 for a team without functional goals (its whole bonus is "
                            "shared); give the team goals to weight it",
                        )
                    )
            weight, split = Fraction(1), None
        terms.append(TeamTerms(spec.name, weight, split, tuple(goals)))

    for metric_spec in metrics:
        if metric_spec.name not in used:
            problems.append(
                problem(
                    f"metrics.{metric_spec.name}",
                    metric_spec.name,
                    "a metric some team's goal measures",
                )
            )

    built = [
        m
        for m in (
            _metric(
                spec,
                history=history,
                calendar=calendar,
                plan_method=norm_method,
                plan_window=window,
                problems=problems,
            )
            for spec in metrics
        )
        if m is not None
    ]
    with_goals = any(t.goals for t in terms)
    gates = Gates(
        _gate(functional_gate, "gates.functional_gate", with_goals, fraction, problems),
        _gate(shared_gate, "gates.shared_gate", with_goals, fraction, problems),
    )
    caps = Caps(
        _cap(cap_per_month, "caps.per_month", currency, fraction, problems),
        _cap(cap_per_year, "caps.per_year", currency, fraction, problems),
    )
    return Functional(tuple(terms), tuple(built), gates, caps)


def _gate(
    value: object,
    name: str,
    with_goals: bool,
    fraction: Callable[[object, str, str], Fraction | None],
    problems: list[Problem],
) -> Fraction | None:
    if value is None:
        return None
    expected = "an attainment above 0, such as 0.9 (90% of target)"
    gate = fraction(value, name, expected)
    if gate is not None and gate <= 0:
        problems.append(problem(name, value, expected))
        return None
    if gate is not None and not with_goals:
        problems.append(problem(name, value, "no gate: no team has functional goals"))
    return gate


def _cap(
    value: object,
    name: str,
    currency: Currency | None,
    fraction: Callable[[object, str, str], Fraction | None],
    problems: list[Problem],
) -> int | None:
    if value is None or currency is None:
        return None
    expected = f"an amount above 0 with at most {currency.minor_unit} decimals"
    try:
        amount = currency.to_minor(value)  # type: ignore[arg-type]
    except (JointBonusError, TypeError):
        problems.append(problem(name, value, expected))
        return None
    if amount <= 0:
        problems.append(problem(name, value, expected))
        return None
    return amount


def _metric(
    spec: MetricSpec,
    *,
    history: Sequence[HistoryMonth],
    calendar: Sequence[Month],
    plan_method: NormMethod | None,
    plan_window: int,
    problems: list[Problem],
) -> Metric | None:
    """One functional metric: its norm from history and its plan months."""
    where = f"metrics.{spec.name}"
    if not _METRIC_NAME.fullmatch(spec.name):
        problems.append(
            problem(
                where,
                spec.name,
                "a metric name of lower-case letters, digits and '_', starting with a letter",
            )
        )
        return None
    method: NormMethod | None = plan_method
    if spec.norm is not None:
        try:
            method = NormMethod(str(spec.norm))
        except ValueError:
            choices = ", ".join(repr(m.value) for m in NormMethod)
            problems.append(problem(f"{where}.norm", spec.norm, f"one of {choices}"))
            return None
    try:
        uplift = to_fraction(spec.uplift)
    except (JointBonusError, TypeError):
        problems.append(problem(f"{where}.uplift", spec.uplift, "a decimal such as 0.05"))
        return None
    if uplift <= -1:
        problems.append(problem(f"{where}.uplift", spec.uplift, "a number above -1"))
        return None
    if method is None or not calendar:
        return None
    missing = [str(h.month) for h in history if spec.name not in h.functional]
    if missing:
        problems.append(
            problem(
                f"history {spec.name}",
                f"{len(missing)} months",
                f"the metric's actual in every history month; missing for {', '.join(missing)}",
            )
        )
        return None
    past = [
        HistoryMonth(h.month, h.functional[spec.name], h.functional_targets.get(spec.name))
        for h in history
    ]
    try:
        norm = derive_norm(past, method, calendar, spec.window or plan_window)
    except JointBonusError as error:
        problems.append(problem(f"history {spec.name}", f"{len(past)} months", str(error)))
        return None

    targets = _by_month(spec.targets, f"{spec.name}_target", calendar, problems)
    actuals = _by_month(spec.actuals, f"{spec.name}_actual", calendar, problems)
    months: list[MetricMonth] = []
    pending_seen: Month | None = None
    for month in calendar:
        raw = targets.get(month)
        source = "plan"
        if raw is None:
            if method is NormMethod.TARGETS:
                problems.append(
                    problem(
                        f"{spec.name}_target {month}",
                        None,
                        "a target for every plan month (the metric's 'targets' norm derives none)",
                    )
                )
                continue
            exact = norm.target_for(month, uplift)
            target: Fraction | None = Fraction(
                round_half_up(exact * 10**METRIC_PLACES), 10**METRIC_PLACES
            )
            source = f"norm x (1 + {decimal_text(uplift * 100, 2)}%)"
        else:
            target = _fraction_or_none(raw)
        if target is None or target <= 0:
            problems.append(problem(f"{spec.name}_target {month}", raw, "a positive number"))
            continue
        raw_actual = actuals.get(month)
        actual: Decimal | None = None
        if raw_actual is not None:
            try:
                actual = D(raw_actual)  # type: ignore[arg-type]
            except (JointBonusError, TypeError):
                problems.append(problem(f"{spec.name}_actual {month}", raw_actual, "a number"))
                continue
            if actual < 0:
                problems.append(
                    problem(f"{spec.name}_actual {month}", str(actual), "a number >= 0")
                )
            if pending_seen is not None:
                problems.append(
                    problem(
                        f"{spec.name}_actual {month}",
                        str(actual),
                        f"no actual after the pending month {pending_seen} "
                        "(actuals arrive in month order)",
                    )
                )
        elif pending_seen is None:
            pending_seen = month
        months.append(MetricMonth(month, target, actual, source))
    if len(months) != len(calendar):
        return None
    return Metric(spec.name, tuple(months), norm, uplift)


def _fraction_or_none(value: object) -> Fraction | None:
    try:
        return to_fraction(value)  # type: ignore[arg-type]
    except (JointBonusError, TypeError):
        return None


def _by_month(
    mapping: Mapping[str | Month, object],
    name: str,
    calendar: Sequence[Month],
    problems: list[Problem],
) -> dict[Month, object]:
    result: dict[Month, object] = {}
    for key, value in mapping.items():
        try:
            month = key if isinstance(key, Month) else Month.parse(key)
        except JointBonusError:
            problems.append(problem(f"{name} month", key, "a month written YYYY-MM"))
            continue
        if month not in calendar:
            problems.append(
                problem(
                    f"{name} month",
                    str(month),
                    f"a month of the plan ({calendar[0]} to {calendar[-1]})",
                )
            )
            continue
        result[month] = value
    return result


def common_scenarios(shared: Norm, functional: Functional) -> tuple[Norm, Functional]:
    """Every norm cut to the historical months all of them have an attainment for.

    One historical month supplies every metric's attainment together, so the
    scenarios are the months common to the shared norm's sample and each
    metric's (a trailing-mean norm has none for its first window).
    """
    if not functional.metrics:
        return shared, functional
    months = set(shared.sample_months)
    for metric in functional.metrics:
        months &= set(metric.norm.sample_months)
    common = tuple(m for m in shared.sample_months if m in months)
    metrics = tuple(
        Metric(m.name, m.months, m.norm.restricted(common), m.uplift) for m in functional.metrics
    )
    return shared.restricted(common), Functional(
        functional.terms, metrics, functional.gates, functional.caps, common
    )
