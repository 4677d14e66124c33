"""Plans with functional goals, shared weights, gates and caps, and an outside view of them.

:func:`weighted_specs` draws a :class:`WeightedSpec`: the arguments of one
plan with 1 to 3 teams, each with 0 to 3 functional goals (at least one team
has one) over metrics whose history is correlated with the shared metric or
not, step and linear curves, either a nominal shared weight or a wanted
expected split per team, both funding styles, gates and caps now and then,
and, when asked, goals with a gate of their own set by the shared goal or by
another goal's metric. Every plan is made through :func:`jointbonus.build_plan`.

The history always states the targets that applied, for the shared metric and
for every functional metric, so the norm is the plain sample of historical
attainments ``actual / target`` and the generator knows each one: historical
month ``h`` gives the shared goal attainment :attr:`WeightedSpec.history_shared`
``[h]`` and each metric :attr:`WeightedSpec.history_goals` ``[metric][h]``,
together. The oracles here use only those numbers, the roster's dates and
FTEs (:mod:`independent`), the rules as the specification states them
(gates, pools, lines, caps), the curves, and the scale and nominal weights
the calibration reports: never the library's frames, outcomes or norms.

Plans have 1 to 12 months (13 to 24 with a per-year cap, to cross a plan
year), 6 to 36 months of history (fewer with caps: calibration then costs
whole historical years, and the quick profile must stay quick), 1 or 2
roster profiles per team (joiners, leavers, part-timers after the first),
and a budget of 10^5 to 10^9 minor units, large enough that rounding is
small beside the amounts the properties compare.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction
from math import floor
from typing import Any

from hypothesis import reject
from hypothesis import strategies as st
from independent import exact_decimal, split_weight, team_split_weight

from jointbonus import (
    Calibration,
    CalibrationError,
    Currency,
    D,
    FundingStyle,
    HistoryMonth,
    Member,
    Month,
    MonthStatus,
    Plan,
    Result,
    Split,
    build_plan,
    calibrate,
    pay,
    plan_months,
    run,
)
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.goals import GoalGateSpec, GoalSpec, MetricSpec, TeamSpec
from strategies import CURRENCIES, CurveSpec, _dates_around, curve_specs, fixed_point, fte_texts

__all__ = [
    "METRICS",
    "TEAMS",
    "WeightedSpec",
    "as_units",
    "assert_parts_follow_the_rules",
    "calibrated",
    "cyclic_paths",
    "exact_text",
    "gate_factors",
    "paid_paths",
    "paid_plan",
    "positive_weight_count",
    "round_half_up",
    "weighted_specs",
]

TEAMS = ("sales", "marketing", "success")
METRICS = ("leads", "followup", "quality")
#: The shared goal's metric: the plans here keep build_plan's default.
SHARED_METRIC = "revenue"


def round_half_up(value: Fraction) -> int:
    """A non-negative amount to the nearest whole unit, halves up."""
    return floor(value + Fraction(1, 2))


def _thousandths(value: int) -> Fraction:
    return Fraction(value, 1000)


def exact_text(value: Fraction) -> str:
    """``value`` written as exact decimal text."""
    exact = exact_decimal(value)
    assert exact is not None, f"{value} has no finite decimal expansion"
    return str(exact)


@dataclass(frozen=True)
class WeightedSpec:
    """The arguments of one plan with functional goals, and the history's attainments."""

    currency: Currency
    start: Month
    months: int
    members: tuple[Member, ...]
    history: tuple[HistoryMonth, ...]
    history_shared: tuple[Fraction, ...]
    """The shared goal's attainment in each historical month."""
    history_goals: dict[str, tuple[Fraction, ...]]
    """Each metric's attainment in each historical month."""
    curve: CurveSpec
    budget: str
    targets: dict[str, str]
    """The shared goal's target in each plan month."""
    actuals: dict[str, str]
    teams: tuple[TeamSpec, ...]
    metric_targets: dict[str, dict[str, str]]
    """Each metric's target in each plan month."""
    metric_actuals: dict[str, dict[str, str]]
    funding: FundingStyle
    split: Split
    functional_gate: str | None = None
    shared_gate: str | None = None
    cap_per_month: str | None = None
    cap_per_year: str | None = None
    scale: str | None = None
    pay_leavers_for_exit_month: bool = False
    holdback: str = "0"
    """The share of each line held until the plan year ends (forfeited by leavers)."""
    period: PeriodLength = PeriodLength.MONTH
    """The period the shared target runs over (the goals' is always the month)."""

    @property
    def calendar(self) -> tuple[Month, ...]:
        return plan_months(self.start, self.months)

    @property
    def metric_names(self) -> tuple[str, ...]:
        """The metrics some goal measures, in a fixed order."""
        used = {goal.metric for team in self.teams for goal in team.goals}
        return tuple(m for m in METRICS if m in used)

    @property
    def scenarios(self) -> int:
        return len(self.history_shared)

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments of :func:`jointbonus.build_plan` for this plan."""
        return {
            "name": "Weighted plan",
            "currency": self.currency,
            "start": self.start,
            "months": self.months,
            "members": list(self.members),
            "history": list(self.history),
            "curve": self.curve.build(),
            "budget": self.budget,
            "targets": dict(self.targets),
            "actuals": dict(self.actuals),
            "funding": self.funding,
            "split": self.split,
            "teams": list(self.teams),
            "metrics": [
                MetricSpec(
                    name,
                    targets=dict(self.metric_targets[name]),
                    actuals=dict(self.metric_actuals[name]),
                )
                for name in self.metric_names
            ],
            "functional_gate": self.functional_gate,
            "shared_gate": self.shared_gate,
            "cap_per_month": self.cap_per_month,
            "cap_per_year": self.cap_per_year,
            "scale": self.scale,
            "pay_leavers_for_exit_month": self.pay_leavers_for_exit_month,
            "holdback": self.holdback,
            "period": self.period,
        }

    def build(self) -> Plan:
        return build_plan(**self.kwargs())

    def reported(
        self, shared: Sequence[Fraction], goals: Mapping[str, Sequence[Fraction]]
    ) -> WeightedSpec:
        """This plan with every month reported at the attainments given (shared, by metric)."""
        calendar = [str(m) for m in self.calendar]
        return replace(
            self,
            actuals={
                key: exact_text(a * Fraction(D(self.targets[key])))
                for key, a in zip(calendar, shared, strict=True)
            },
            metric_actuals={
                name: {
                    key: exact_text(a * Fraction(D(self.metric_targets[name][key])))
                    for key, a in zip(calendar, goals[name], strict=True)
                }
                for name in self.metric_names
            },
        )

    def attainments(self, month: Month) -> tuple[Fraction | None, dict[str, Fraction | None]]:
        """The month's shared attainment and each metric's, from the reported actuals."""
        key = str(month)

        def of(actuals: Mapping[str, str], targets: Mapping[str, str]) -> Fraction | None:
            if key not in actuals:
                return None
            return Fraction(D(actuals[key])) / Fraction(D(targets[key]))

        return of(self.actuals, self.targets), {
            name: of(self.metric_actuals[name], self.metric_targets[name])
            for name in self.metric_names
        }

    @property
    def gates(self) -> tuple[Fraction | None, Fraction | None]:
        """``(functional gate, shared gate)`` as exact attainments."""

        def of(value: str | None) -> Fraction | None:
            return None if value is None else Fraction(D(value))

        return of(self.functional_gate), of(self.shared_gate)


def gate_factors(
    spec: WeightedSpec, shared: Fraction, goals: Mapping[str, Fraction]
) -> tuple[dict[str, Fraction], dict[tuple[str, str], Fraction]]:
    """Per team, the factor its shared part pays at; per (team, metric), its goal's factor.

    As the rules say: no functional part pays below the functional gate (a
    shared attainment); a team's shared part pays only if each of its goals
    reaches the shared gate.

    A goal with a gate of its own pays only if the attainment its gate names
    (the shared goal's, or another metric's) reaches the gate's attainment.
    """
    functional_gate, shared_gate = spec.gates
    shared_factor = spec.curve.build().factor(shared)
    open_functional = functional_gate is None or shared >= functional_gate
    team_shared = {}
    goal_factors = {}
    for team in spec.teams:
        opened = shared_gate is None or all(goals[g.metric] >= shared_gate for g in team.goals)
        team_shared[team.name] = shared_factor if opened else Fraction(0)
        for goal in team.goals:
            own = goal.gate
            reading = None
            if own is not None:
                reading = shared if own.metric == SHARED_METRIC else goals[own.metric]
            opened_own = own is None or reading >= Fraction(D(str(own.attainment)))
            goal_factors[team.name, goal.metric] = (
                goal.curve.factor(goals[goal.metric])
                if open_functional and opened_own
                else Fraction(0)
            )
    return team_shared, goal_factors


def cyclic_paths(
    spec: WeightedSpec,
) -> list[tuple[list[Fraction], dict[str, list[Fraction]]]]:
    """Each path through history: path ``p`` takes historical month ``(p + j) mod H`` in
    plan month ``j``, for the shared goal and every metric together."""
    count = spec.scenarios
    paths = []
    for p in range(count):
        picks = [(p + j) % count for j in range(spec.months)]
        paths.append(
            (
                [spec.history_shared[h] for h in picks],
                {name: [spec.history_goals[name][h] for h in picks] for name in spec.metric_names},
            )
        )
    return paths


def paid_paths(
    spec: WeightedSpec, calibration: Calibration
) -> list[tuple[WeightedSpec, Plan, Result]]:
    """Every cyclic path through history reported as a whole plan and paid by the engine."""
    paid = []
    for shared, goals in cyclic_paths(spec):
        reported = spec.reported(shared, goals)
        plan = reported.build()
        paid.append((reported, plan, pay(plan, calibration)))
    return paid


def _doubled(money: Currency, cap: str | None) -> str | None:
    return None if cap is None else str(money.from_minor(2 * money.to_minor(cap)))


def calibrated(
    spec: WeightedSpec, *, reject_others: bool = True
) -> tuple[WeightedSpec, Plan, Calibration]:
    """The spec (its caps raised if they kept the plan below its budget), plan and calibration.

    Caps drawn as multiples of an average line can keep a plan whose payouts
    come in few months from ever costing its budget; they are doubled until
    it can (a cap just above that point is the interesting one). The example
    is rejected (or, without ``reject_others``, the error raised) if the plan
    cannot be calibrated for another reason.
    """
    for _ in range(12):
        plan = spec.build()
        try:
            return spec, plan, calibrate(plan)
        except CalibrationError as error:
            if "caps keep" not in str(error):
                if reject_others:
                    reject()
                raise
        spec = replace(
            spec,
            cap_per_month=_doubled(spec.currency, spec.cap_per_month),
            cap_per_year=_doubled(spec.currency, spec.cap_per_year),
        )
    reject()


def paid_plan(spec: WeightedSpec) -> tuple[WeightedSpec, Plan, Result]:
    """The plan paid at its calibration (see :func:`calibrated`) or, for a plan that never
    pays at historical performance, at a fixed scale; a refused split is rejected."""
    plan = spec.build()
    try:
        spec, plan, calibration = calibrated(spec, reject_others=False)
        return spec, plan, pay(plan, calibration)
    except CalibrationError:
        fixed = replace(spec, scale="1000" if spec.funding is FundingStyle.POOL else "1.5")
        plan = fixed.build()
        try:
            return fixed, plan, run(plan)
        except CalibrationError:  # a wanted split that cannot be reached
            reject()


def assert_parts_follow_the_rules(spec: WeightedSpec, plan: Plan, result: Result) -> None:
    """Every part of every month is what the rules make of the month's attainments.

    Pool funding: the shared pool is ``round(scale x sum over teams of w x
    the team's shared factor after the gate x its split weight / total split
    weight)``; a goal's pool is ``round(scale x goal factor after the gate x
    (1 - w) x goal weight x team split weight / total)``; each share is
    within 1.5 units of the member's exact amount (less than 1 from largest
    remainder, half a unit from rounding the pool). Individual funding: each
    line of each part is the member's target amount for the month x its
    weight x factor, rounded half up. Pending months: those missing an actual.
    """
    scale = result.calibration.scale
    minor = plan.currency.scale
    w = {t.team: t.nominal for t in result.calibration.weights}
    goal_weight = {(t.name, g.metric): Fraction(D(g.weight)) for t in spec.teams for g in t.goals}
    lines = {(line.member_id, line.period): line for line in result.lines()}
    for month in result.months:
        shared_attainment, goal_attainments = spec.attainments(month.month)
        if shared_attainment is None or None in goal_attainments.values():
            assert month.status is MonthStatus.PENDING
            continue
        assert month.status is MonthStatus.PAID
        team_shared, goal_factors = gate_factors(spec, shared_attainment, goal_attainments)
        # Each member's split weight in each team, day by day: a member who moves team
        # during the month has a part in each team they were in.
        in_team = {
            (m.id, t.name): team_split_weight(plan, m, month.month, t.name)
            for m in plan.members
            for t in spec.teams
        }
        team_weight = {t.name: Fraction(0) for t in spec.teams}
        for (_, team), weight in in_team.items():
            team_weight[team] += weight
        total = sum(team_weight.values(), Fraction(0))
        by_goal = {(g.goal.team, g.goal.metric): g for g in month.goals}
        # a line's functional parts, in goal order: the goals of each team the member was in
        goals_of = {
            m.id: [key for key in by_goal if key[0] in m.teams_in(month.month)]
            for m in plan.members
        }
        if spec.funding is FundingStyle.POOL:
            if not total:
                continue
            pool = (
                scale
                * minor
                * sum((w[t] * team_shared[t] * team_weight[t] for t in team_weight), Fraction(0))
                / total
            )
            assert month.pool == round_half_up(pool)
            for key, factor in goal_factors.items():
                exact = (
                    scale
                    * minor
                    * factor
                    * (1 - w[key[0]])
                    * goal_weight[key]
                    * team_weight[key[0]]
                    / total
                )
                assert by_goal[key].pool == round_half_up(exact)
            for member in plan.members:
                line = lines[member.id, month.month]
                per_weight = scale * minor / total
                share = per_weight * sum(
                    (in_team[member.id, t] * w[t] * team_shared[t] for t in team_weight),
                    Fraction(0),
                )
                assert abs(as_units(plan, line.shared) - share) <= Fraction(3, 2)
                assert [metric for metric, _ in line.functional] == [
                    metric for _, metric in goals_of[member.id]
                ]
                for (_, amount), key in zip(line.functional, goals_of[member.id], strict=True):
                    share = (
                        per_weight
                        * in_team[member.id, key[0]]
                        * (1 - w[key[0]])
                        * goal_weight[key]
                        * goal_factors[key]
                    )
                    assert abs(as_units(plan, amount) - share) <= Fraction(3, 2)
        else:
            for member in plan.members:
                line = lines[member.id, month.month]
                # the target amount of the days in each team: each day's target bonus
                target = {
                    t: scale * plan.currency.scale * in_team[member.id, t] / 12 for t in team_weight
                }
                assert as_units(plan, line.shared) == round_half_up(
                    sum((target[t] * w[t] * team_shared[t] for t in target), Fraction(0))
                )
                for (_, amount), key in zip(line.functional, goals_of[member.id], strict=True):
                    assert as_units(plan, amount) == round_half_up(
                        target[key[0]] * (1 - w[key[0]]) * goal_weight[key] * goal_factors[key]
                    )


def positive_weight_count(plan: Plan, team: str, month: Month) -> int:
    """How many of ``team``'s members have a share in ``month``'s split."""
    return sum(1 for m in plan.members if m.team == team and split_weight(plan, m, month) > 0)


# -- the strategy ---------------------------------------------------------------


def _attainment() -> st.SearchStrategy[int]:
    """An attainment in thousandths: 60% to 150% of target."""
    return st.integers(600, 1500)


@st.composite
def _goal_weights(draw: st.DrawFn, count: int) -> list[str]:
    """``count`` weights in hundredths, each above 0, adding to exactly 1."""
    cuts = sorted(draw(st.sets(st.integers(1, 99), min_size=count - 1, max_size=count - 1)))
    bounds = [0, *cuts, 100]
    return [fixed_point(b - a, 2) for a, b in itertools.pairwise(bounds)]


@st.composite
def _team_specs(draw: st.DrawFn, names: Sequence[str]) -> tuple[TeamSpec, ...]:
    teams = []
    for index, name in enumerate(names):
        low = 1 if index == 0 else 0  # at least one team has a goal
        count = draw(st.integers(low, 3), label=f"{name} goals")
        metrics = draw(st.permutations(METRICS))[:count]
        weights = draw(_goal_weights(count)) if count else []
        goals = tuple(
            GoalSpec(metric, weight, draw(curve_specs()).build())
            for metric, weight in zip(metrics, weights, strict=True)
        )
        if not goals:
            teams.append(TeamSpec(name))
        elif draw(st.booleans()):
            split = fixed_point(draw(st.integers(1, 99), label=f"{name} split"), 2)
            teams.append(TeamSpec(name, expected_shared_split=split, goals=goals))
        else:
            weight = fixed_point(draw(st.integers(0, 100), label=f"{name} weight"), 2)
            teams.append(TeamSpec(name, shared_weight=weight, goals=goals))
    return tuple(teams)


@st.composite
def _roster(
    draw: st.DrawFn, calendar: Sequence[Month], money: Currency, teams: Sequence[str]
) -> tuple[Member, ...]:
    """1 or 2 profiles per team, 1 or 2 members each; the first of a team stays throughout."""
    first = calendar[0].first_day
    unit = money.scale
    members: list[Member] = []
    for team in teams:
        for profile in range(draw(st.integers(1, 2), label=f"{team} profiles")):
            if profile == 0:
                start = first - timedelta(days=draw(st.integers(1, 900)))
                end = None
                fte = "1" if draw(st.booleans()) else draw(fte_texts())
            else:
                if draw(st.booleans()):
                    start = first - timedelta(days=draw(st.integers(1, 900)))
                else:
                    start = _dates_around(draw, calendar, first - timedelta(days=40))
                end = _dates_around(draw, calendar, start) if draw(st.booleans()) else None
                fte = draw(fte_texts())
            salary = draw(st.integers(20_000, 200_000)) * unit
            bonus = draw(st.integers(1_000, 40_000)) * unit
            for _ in range(draw(st.integers(1, 2))):
                members.append(
                    Member(
                        f"{team[0].upper()}{len(members) + 1:02d}",
                        team,
                        start,
                        end,
                        D(fte),
                        money.from_minor(salary),
                        money.from_minor(bonus),
                    )
                )
    return tuple(draw(st.permutations(members)))


@st.composite
def weighted_specs(
    draw: st.DrawFn,
    *,
    caps: bool | None = None,
    per_year: bool | None = None,
    gates: bool | None = None,
    all_reported: bool = False,
    holding: bool = False,
    goal_gates: bool = False,
    plan_years: bool = False,
    months: int | None = None,
) -> WeightedSpec:
    """A plan with functional goals.

    ``caps``/``gates``: ``True`` always, ``False`` never, ``None`` sometimes.
    ``per_year``: a per-year cap, with 13 to 24 plan months so that the
    plan crosses a plan-year boundary (``False``: a monthly cap only).
    ``all_reported``: every plan month has its actuals (otherwise some
    trailing months are pending). ``holding``: sometimes a holdback, which
    members who leave before a plan year ends forfeit. ``goal_gates``: each
    goal may have a gate of its own, on the shared goal or another metric,
    at an attainment near the target or exactly one that history or a plan
    month reaches (``False``: none, and nothing is drawn for them). ``plan_years``:
    whole plan years, of the plan (12 months, 24 with ``per_year``) and of history
    (one or two, ending the month before the plan starts). ``months``: that many plan
    months (drawn, or whole plan years, when ``None``).
    """
    money = draw(st.sampled_from(CURRENCIES), label="currency")
    crossing = bool(per_year)
    if months is None:
        months = (
            (24 if crossing else 12)
            if plan_years
            else draw(st.integers(13, 24), label="months")
            if crossing
            else draw(st.integers(1, 12), label="months")
        )
    with_caps = bool(per_year) or (draw(st.booleans()) if caps is None else caps)
    # Capped plans are costed over whole historical years: fewer of them, to stay quick.
    longest = 12 if crossing else 15 if with_caps else 36
    count = (
        draw(st.sampled_from([12] if crossing else [12, 24]), label="history months")
        if plan_years
        else draw(st.integers(6, longest), label="history months")
    )
    history_end = Month(draw(st.integers(2018, 2030)), draw(st.integers(1, 12)))
    history_months = [history_end.shift(i - count + 1) for i in range(count)]
    start = history_end.shift(1 + (0 if plan_years else draw(st.integers(0, 3))))
    calendar = plan_months(start, months)

    names = TEAMS[: draw(st.integers(1, 3), label="teams")]
    teams = draw(_team_specs(names))
    used = sorted({g.metric for t in teams for g in t.goals}, key=METRICS.index)

    # History: the shared goal's attainment, and each metric's, tied to it or not.
    shared_history = [draw(_attainment()) for _ in history_months]
    goal_history: dict[str, list[int]] = {}
    for name in used:
        if draw(st.booleans(), label=f"{name} follows the shared goal"):
            goal_history[name] = [
                min(2000, max(300, a + draw(st.integers(-150, 150)))) for a in shared_history
            ]
        else:
            goal_history[name] = [draw(st.integers(400, 1600)) for _ in history_months]
    level = draw(st.integers(1_000, 100_000))
    metric_levels = {name: draw(st.integers(10, 5_000)) for name in used}
    history = []
    for h, month in enumerate(history_months):
        target = D(level * draw(st.integers(85, 120)))
        functional_targets = {
            name: D(metric_levels[name] * draw(st.integers(85, 120))) for name in used
        }
        history.append(
            HistoryMonth(
                month,
                D(exact_text(_thousandths(shared_history[h]) * Fraction(target))),
                target,
                functional={
                    name: D(
                        exact_text(
                            _thousandths(goal_history[name][h]) * Fraction(functional_targets[name])
                        )
                    )
                    for name in used
                },
                functional_targets=functional_targets,
            )
        )

    keys = [str(m) for m in calendar]
    targets = {key: str(level * draw(st.integers(85, 120))) for key in keys}
    metric_targets = {
        name: {
            key: fixed_point(metric_levels[name] * draw(st.integers(85, 120)), 2) for key in keys
        }
        for name in used
    }
    reported = months if all_reported else draw(st.integers(0, months), label="months reported")
    plan_shared = [draw(_attainment()) for _ in keys[:reported]]
    actuals = {
        key: exact_text(_thousandths(a) * int(targets[key]))
        for key, a in zip(keys, plan_shared, strict=False)
    }
    metric_actuals = {}
    plan_goals: list[int] = []  # every metric's attainment in the reported plan months
    for name in used:
        known = reported if all_reported else draw(st.integers(0, reported))
        attained = [
            min(2000, max(300, a + draw(st.integers(-150, 150))))
            if draw(st.booleans())
            else draw(st.integers(400, 1600))
            for a in plan_shared[:known]
        ]
        plan_goals += attained
        metric_actuals[name] = {
            key: exact_text(_thousandths(a) * Fraction(D(metric_targets[name][key])))
            for key, a in zip(keys, attained, strict=False)
        }

    style = draw(st.sampled_from(list(FundingStyle)))
    split = (
        draw(st.sampled_from([Split.EQUAL, Split.SALARY, Split.TARGET_BONUS]))
        if style is FundingStyle.POOL
        else Split.EQUAL
    )
    members = draw(_roster(calendar, money, names))
    budget_units = draw(st.integers(10**5, 10**9), label="budget")

    # Gates: an attainment near the target, or exactly one a plan month or history reaches
    # (the functional gate: a shared attainment; the shared gate: a goal's).
    def gate(plan_values: list[int], history_values: list[int]) -> str | None:
        wanted = draw(st.booleans()) if gates is None else gates
        if not wanted:
            return None
        choices = [st.integers(80, 110).map(lambda n: fixed_point(n, 2))]
        for values in (plan_values, history_values):
            if values:
                choices.append(st.sampled_from(values).map(lambda n: fixed_point(n, 3)))
        return draw(st.one_of(choices), label="gate")

    functional_gate = gate(plan_shared, shared_history)
    shared_gate = gate(plan_goals, [a for v in goal_history.values() for a in v])
    if goal_gates:
        teams = tuple(
            replace(
                team,
                goals=tuple(
                    _own_gate(
                        draw,
                        goal,
                        used,
                        plan_shared=plan_shared,
                        shared_history=shared_history,
                        goal_history=goal_history,
                    )
                    for goal in team.goals
                ),
            )
            for team in teams
        )

    # Caps: multiples of what an average member earns in an average month.
    average = max(1, budget_units // (months * len(members)))
    month_cap = year_cap = None
    if with_caps:
        if per_year is None:
            kinds = ["month", "year", "both"]
        else:
            kinds = ["year", "both"] if per_year else ["month"]
        kind = draw(st.sampled_from(kinds), label="caps")
        if kind != "year":
            month_cap = money.from_minor(max(1, average * draw(st.integers(80, 400)) // 100))
        if kind != "month":
            year_cap = money.from_minor(max(1, average * 12 * draw(st.integers(50, 300)) // 100))

    return WeightedSpec(
        currency=money,
        start=start,
        months=months,
        members=members,
        history=tuple(history),
        history_shared=tuple(_thousandths(a) for a in shared_history),
        history_goals={
            name: tuple(_thousandths(a) for a in values) for name, values in goal_history.items()
        },
        curve=draw(curve_specs()),
        budget=str(money.from_minor(budget_units)),
        targets=targets,
        actuals=actuals,
        teams=teams,
        metric_targets=metric_targets,
        metric_actuals=metric_actuals,
        funding=style,
        split=split,
        functional_gate=functional_gate,
        shared_gate=shared_gate,
        cap_per_month=None if month_cap is None else str(month_cap),
        cap_per_year=None if year_cap is None else str(year_cap),
        pay_leavers_for_exit_month=draw(st.booleans()),
        holdback=draw(st.sampled_from(["0", "0.1", "0.25", "0.5"]), label="holdback")
        if holding
        else "0",
    )


def _own_gate(
    draw: st.DrawFn,
    goal: GoalSpec,
    used: Sequence[str],
    *,
    plan_shared: Sequence[int],
    shared_history: Sequence[int],
    goal_history: Mapping[str, Sequence[int]],
) -> GoalSpec:
    """``goal``, with a gate of its own now and then: on the shared goal or another metric."""
    if not draw(st.booleans(), label=f"{goal.metric} gated"):
        return goal
    metric = draw(st.sampled_from([SHARED_METRIC, *(m for m in used if m != goal.metric)]))
    seen = list(shared_history) + list(plan_shared)
    if metric != SHARED_METRIC:
        seen = list(goal_history[metric])
    attainment = draw(
        st.one_of(
            st.integers(80, 110).map(lambda n: fixed_point(n, 2)),
            st.sampled_from(seen).map(lambda n: fixed_point(n, 3)),
        ),
        label=f"{goal.metric} gate",
    )
    return replace(goal, gate=GoalGateSpec(metric, attainment))


def as_units(plan: Plan, amount: Decimal) -> int:
    """A paid amount in minor units; fails if it is not a whole number of them."""
    exact = Fraction(amount) * plan.currency.scale
    assert exact.denominator == 1, f"{amount} is not a whole number of minor units"
    return exact.numerator
