"""Two designs side by side, on the same history and roster.

A finance lead choosing between two designs of a plan (another curve,
another split, more on the shared goal) asks the same questions of each:
what it costs on average and in a bad year, how often it costs more than its
budget, how often the teams win, what each team and member can expect to
earn, how the expected earnings divide between the shared and the
functional goals, and what last year would have paid. :func:`compare_plans`
answers them for both designs with the machinery that answers them for one,
so every figure is the one ``calibrate``, ``simulate`` and ``run`` give:

* **cost**: the calibration's expected cost, and the distribution of the
  year's cost (:func:`~jointbonus.cost_risk`: exact where the year takes few
  values, else a seeded bootstrap, both designs with the same seed): its
  percentiles and the chance of costing more than the design's budget;
* **hits**: each period's chance of reaching its shared target (the share
  of the historical scenarios whose attainment there is at least 100%), and
  their mean, the hit rate;
* **earnings**: what each team and each member can expect to earn over the
  plan, averaged over the historical scenarios the calibration reads (each
  historical month equally likely, every month's lines as the engine makes
  them, less what a leaver forfeits of the holdback), in exact minor units.
  The members' figures add up to the expected cost exactly. A member who
  moves team earns for each team the months spent in it;
* **weighting**: each team's nominal weight on the shared goal and the share
  of its expected earnings that comes from the shared goal
  (:mod:`jointbonus.sharedtarget.weighting`). A plan without functional goals
  puts every bonus on the shared goal: both are 1;
* **last year**: the plan's first year paid, to the plan's roster, with its
  periods performing as the latest historical periods of the norm's sample
  did, in order (a twelve-month plan replays the last twelve historical
  months, the last of them in its last month): per month and in all, beside
  what the old plan paid in the same historical months when the history
  says. A history that ends just before the plan starts replays each
  calendar month as it went last year.

The differences are B - A, figure by figure (:meth:`Comparison.differences`):
a design compared with itself differs by zero everywhere, and swapping the
designs negates every difference.

**The same footing.** Two designs are compared on the same facts: the same
currency, plan months, roster (every member with the same rows), history
(the same months, actuals, targets and old payouts, and the same figures of
every functional metric both plans measure) and plan-month actuals.
Anything else -- the curve, the split, the funding, the goals and their
weights, gates, caps, holdback, targets, norm method, budget, neutrality,
versions -- is the design, and may differ. Plans that differ in a fact are
refused with a :class:`CompareError` that names each difference: a
comparison of two designs on two rosters would mix the design's effect with
the roster's. A plan whose per-year cap makes a year's cost depend on the
order of its months is refused as :func:`~jointbonus.cost_risk` refuses it.

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, LinearCurve, Member, Month, StepCurve, build_plan
>>> common = dict(  # two months; half the historical months reached their target
...     name="Step", currency="USD", start="2026-01", months=2, budget="200.00",
...     members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(a), D(100)) for m, a in
...              zip(range(11, 13), ["90", "110"])],
...     targets={"2026-01": "100", "2026-02": "100"}, curve=StepCurve(),
... )
>>> step = build_plan(**common)
>>> linear = build_plan(**{**common, "name": "Linear",
...                        "curve": LinearCurve([("0.8", "0"), ("1.2", "2")])})
>>> comparison = compare_plans(step, linear)
>>> [str(design.expected_cost) for design in comparison.designs]  # both neutral: 200.00
['20000', '20000']
>>> [str(design.hit_rate) for design in comparison.designs]
['1/2', '1/2']
>>> [design.last_year.total for design in comparison.designs]  # Nov and Dec replayed
[20000, 20000]
>>> [str(p) for p in comparison.differences().percentiles]  # P10, P50, P90, P95
['10000', '0', '-10000', '-10000']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from fractions import Fraction

from jointbonus.core.history import HistoryMonth
from jointbonus.core.periods import Month, plan_years
from jointbonus.core.roster import Member
from jointbonus.errors import JointBonusError, argument, items, refuse
from jointbonus.sharedtarget.calibration import Calibration, calibrate, scenario_outcomes
from jointbonus.sharedtarget.pay.sharing import held_back, share_out
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.risk import (
    DEFAULT_SEED,
    DEFAULT_YEARS,
    Costed,
    CostRisk,
    RiskMethod,
    Setting,
    cost_risk,
    month_costers,
)
from jointbonus.sharedtarget.versions import calibrate_versions

__all__ = [
    "DEFAULT_PERCENTILES",
    "CompareError",
    "Comparison",
    "Design",
    "Differences",
    "LastYear",
    "MemberEarnings",
    "ReplayMonth",
    "TeamEarnings",
    "TeamWeighting",
    "compare_plans",
    "comparison_argument",
]

#: The percentiles of the year's cost a comparison reports unless told otherwise.
DEFAULT_PERCENTILES: tuple[int, ...] = (10, 50, 90, 95)
#: How many differences of one kind (members, months) a refusal names before counting the rest.
_NAMED = 5


class CompareError(JointBonusError, ValueError):
    """Two plans that cannot be compared side by side: not on the same facts."""


@dataclass(frozen=True, slots=True)
class TeamEarnings:
    """What a team's members can expect to earn over the plan, together."""

    team: str
    expected: Fraction
    """Minor units, exact: the mean over the historical scenarios."""


@dataclass(frozen=True, slots=True)
class MemberEarnings:
    """What one member can expect to earn over the plan."""

    member_id: str
    team: str
    """The member's team; ``a / b`` for a member who moves from team ``a`` to ``b``."""
    expected: Fraction
    """Minor units, exact: the mean over the historical scenarios."""


@dataclass(frozen=True, slots=True)
class TeamWeighting:
    """A team's weight on the shared goal: nominal, and in expected earnings."""

    team: str
    nominal: Fraction
    """The plan's weight on the shared goal (given, or solved for a wanted split)."""
    expected: Fraction | None
    """The share of the team's expected earnings (before caps) from the shared goal;
    ``None`` when the team can expect nothing."""


@dataclass(frozen=True, slots=True)
class ReplayMonth:
    """One plan month of :class:`LastYear`."""

    month: Month
    historical: Month | None
    """The first month of the historical period replayed (``None``: a month inside a longer
    shared period, which pays nothing itself)."""
    attainment: Fraction | None
    """The shared attainment the plan month reaches there (``None`` as above)."""
    cost: int
    """What the plan month pays there, minor units."""

    @property
    def hit(self) -> bool | None:
        return None if self.attainment is None else self.attainment >= 1


@dataclass(frozen=True, slots=True)
class LastYear:
    """The plan's first year paid as the latest year of history performed."""

    months: tuple[ReplayMonth, ...]
    old_paid: int | None
    """What the old plan paid in the historical months replayed, minor units (the history's
    ``paid``; ``None`` when it does not say for each of them)."""

    @property
    def total(self) -> int:
        """What the year pays, minor units."""
        return sum(m.cost for m in self.months)


@dataclass(frozen=True, slots=True)
class Design:
    """One design's figures in a :class:`Comparison`."""

    label: str
    plan: Plan
    calibration: Calibration
    risk: CostRisk
    hit_chances: tuple[Fraction | None, ...]
    """Per plan month: the chance of reaching the shared target in the period it pays
    (``None`` for a month inside a longer shared period)."""
    weighting: tuple[TeamWeighting, ...]
    """Per team of the comparison, in its order."""
    teams: tuple[TeamEarnings, ...]
    """Per team of the comparison, in its order."""
    members: tuple[MemberEarnings, ...]
    """Per member, in member id order."""
    last_year: LastYear | None
    """``None`` when the history holds no period like one of the first plan year's."""
    last_year_note: str = ""
    """Why :attr:`last_year` is ``None`` (empty otherwise)."""

    @property
    def budget(self) -> int:
        """The design's budget, minor units."""
        return self.risk.budget

    @property
    def expected_cost(self) -> Fraction:
        """The expected cost, minor units, exact (the calibration's; each version's)."""
        return self.risk.expected_cost

    def percentile(self, percent: Fraction | int) -> int:
        """The ``percent``-th percentile of the year's cost, minor units."""
        return self.risk.year.percentile(percent)

    @property
    def chance_above_budget(self) -> Fraction:
        """The chance that the year costs more than the budget."""
        return self.risk.year.chance_above(self.risk.budget)

    @property
    def hit_rate(self) -> Fraction:
        """The mean chance of a hit over the plan's shared periods: the share hit."""
        chances = [c for c in self.hit_chances if c is not None]
        return sum(chances, Fraction(0)) / len(chances)


@dataclass(frozen=True, slots=True)
class Differences:
    """B - A, figure by figure; ``None`` where either design has no figure."""

    budget: int
    expected_cost: Fraction
    percentiles: tuple[int, ...]
    chance_above_budget: Fraction
    hit_rate: Fraction
    hit_chances: tuple[Fraction | None, ...]
    nominal_weights: tuple[Fraction, ...]
    expected_weights: tuple[Fraction | None, ...]
    teams: tuple[Fraction, ...]
    members: tuple[Fraction, ...]
    last_year: tuple[int, ...] | None
    last_year_total: int | None

    def figures(self) -> Iterable[object]:
        """Every difference, one after another (``None`` where there is none)."""
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, tuple):
                yield from value
            else:
                yield value


@dataclass(frozen=True, slots=True)
class Comparison:
    """Two designs on the same history and roster (see the module)."""

    a: Design
    b: Design
    percentiles: tuple[Fraction, ...]
    """The percentiles of the year's cost reported, in percent."""

    @property
    def designs(self) -> tuple[Design, Design]:
        return (self.a, self.b)

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(t.team for t in self.a.teams)

    def differences(self) -> Differences:
        """B - A, figure by figure."""
        a, b = self.a, self.b
        replay = None
        if a.last_year is not None and b.last_year is not None:
            replay = tuple(
                y.cost - x.cost for x, y in zip(a.last_year.months, b.last_year.months, strict=True)
            )
        return Differences(
            budget=b.budget - a.budget,
            expected_cost=b.expected_cost - a.expected_cost,
            percentiles=tuple(b.percentile(p) - a.percentile(p) for p in self.percentiles),
            chance_above_budget=b.chance_above_budget - a.chance_above_budget,
            hit_rate=b.hit_rate - a.hit_rate,
            hit_chances=tuple(
                None if x is None or y is None else y - x
                for x, y in zip(a.hit_chances, b.hit_chances, strict=True)
            ),
            nominal_weights=tuple(
                y.nominal - x.nominal for x, y in zip(a.weighting, b.weighting, strict=True)
            ),
            expected_weights=tuple(
                None if x.expected is None or y.expected is None else y.expected - x.expected
                for x, y in zip(a.weighting, b.weighting, strict=True)
            ),
            teams=tuple(y.expected - x.expected for x, y in zip(a.teams, b.teams, strict=True)),
            members=tuple(
                y.expected - x.expected for x, y in zip(a.members, b.members, strict=True)
            ),
            last_year=replay,
            last_year_total=None if replay is None else sum(replay),
        )


def comparison_argument(value: object, name: str = "comparison") -> Comparison:
    """``value`` if it is a :class:`Comparison`, else
    :class:`~jointbonus.errors.ArgumentError` naming argument ``name``."""
    return argument(name, value, Comparison, "a Comparison (from compare_plans)")


def compare_plans(
    plan_a: Plan,
    plan_b: Plan,
    *,
    calibration_a: Calibration | None = None,
    calibration_b: Calibration | None = None,
    labels: tuple[str, str] | None = None,
    method: RiskMethod | str = RiskMethod.AUTO,
    years: int = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    percentiles: Iterable[Setting] = DEFAULT_PERCENTILES,
) -> Comparison:
    """Two designs side by side on the same history and roster (see the module).

    ``calibration_a`` and ``calibration_b`` default to :func:`~jointbonus.calibrate` of
    each plan; ``labels`` name the designs (default: the plans' names). ``method``,
    ``years``, ``seed`` and ``percentiles`` set the cost risk of both, as in
    :func:`~jointbonus.cost_risk`. Raises :class:`CompareError` for plans not on the same
    facts (every difference named), :class:`~jointbonus.RiskError` for bad settings.
    """
    for name, plan in (("plan_a", plan_a), ("plan_b", plan_b)):
        argument(
            name,
            plan,
            Plan,
            "a shared-target Plan (jointbonus.load_plan or build_plan): a gainsharing plan "
            "has no shared target, budget neutrality or cost risk to compare",
        )
    for name, calibration in (("calibration_a", calibration_a), ("calibration_b", calibration_b)):
        argument(name, calibration, (Calibration, type(None)), "a Calibration (from calibrate)")
    if labels is None:
        labels = (plan_a.name, plan_b.name)
    else:
        named = items("labels", labels, str, "two labels (text), A's and B's")
        if len(named) != 2:
            refuse("labels", labels, "two labels (text), A's and B's")
        labels = (named[0], named[1])
    # read once: both designs report the same; each percent is checked as cost_risk checks it
    shown = tuple(items("percentiles", percentiles, object, "percents, such as [10, 50, 90]"))
    _check_same_facts(plan_a, plan_b, labels)
    teams = _teams(plan_a)
    design_a, design_b = (
        _design(
            label,
            plan,
            calibration,
            teams=teams,
            method=method,
            years=years,
            seed=seed,
            percentiles=shown,
        )
        for label, plan, calibration in zip(
            labels, (plan_a, plan_b), (calibration_a, calibration_b), strict=True
        )
    )
    return Comparison(design_a, design_b, design_a.risk.percentiles)


# -- one design --------------------------------------------------------------------


def _design(
    label: str,
    plan: Plan,
    calibration: Calibration | None,
    *,
    teams: tuple[str, ...],
    method: RiskMethod | str,
    years: int,
    seed: int,
    percentiles: Iterable[Setting],
) -> Design:
    if calibration is None:
        calibration = calibrate(plan)
    versions = calibrate_versions(plan, calibration) if plan.versions else None
    risk = cost_risk(
        plan,
        calibration,
        method=method,
        years=years,
        seed=seed,
        exceed=(0,),
        percentiles=percentiles,
        versions=versions,
    )
    costed, _ = month_costers(plan, calibration, versions)
    members, by_team = _earnings(plan, costed)
    last_year, note = _last_year(plan, costed)
    return Design(
        label=label,
        plan=plan,
        calibration=calibration,
        risk=risk,
        hit_chances=_hit_chances(costed),
        weighting=_weighting(plan, calibration, teams),
        teams=tuple(TeamEarnings(team, by_team.get(team, Fraction(0))) for team in teams),
        members=members,
        last_year=last_year,
        last_year_note=note,
    )


def _teams(plan: Plan) -> tuple[str, ...]:
    """The teams of a comparison: the plan's, then any other a member is in, by name."""
    named = list(plan.teams)
    seen = set(named)
    others = {row.team for member in plan.members for row in member.rows if row.team not in seen}
    return (*named, *sorted(others))


def _hit_chances(costed: Sequence[Costed]) -> tuple[Fraction | None, ...]:
    """Per plan month: the share of the historical scenarios whose shared attainment in the
    period the month pays reaches 100% (``None`` inside a longer shared period)."""
    chances: list[Fraction | None] = []
    for design, coster in costed:
        frame = coster.frame
        if not frame.closes:
            chances.append(None)
            continue
        norm = design.norm
        ratio = norm.scenario_ratio(frame.plan_month.month, frame.plan_month.target)
        hits = sum(1 for a in norm.sample if a * ratio >= 1)
        chances.append(Fraction(hits, len(norm.sample)))
    return tuple(chances)


def _weighting(
    plan: Plan, calibration: Calibration, teams: Sequence[str]
) -> tuple[TeamWeighting, ...]:
    """Each team's weighting; a team without functional goals has every bonus shared."""
    solved = {w.team: w for w in calibration.weights}
    found = []
    for team in teams:
        weight = solved.get(team)
        if weight is None:
            found.append(TeamWeighting(team, Fraction(1), Fraction(1)))
        else:
            found.append(TeamWeighting(team, weight.nominal, weight.expected))
    return tuple(found)


def _earnings(
    plan: Plan, costed: Sequence[Costed]
) -> tuple[tuple[MemberEarnings, ...], dict[str, Fraction]]:
    """What each member and each team can expect to earn, exact minor units.

    Every plan month is shared out at each distinct outcome of its historical
    scenarios, by the version in force for it (:func:`share_out`, as the engine
    pays), and each member's month total (less what the caps cut, less the held-back
    part a leaver forfeits) is weighted by how many scenarios give that outcome. A
    group's members differ only by the leftover units of the largest remainder, so
    the totals are gathered per group as runs over its ranks, then spread to members.
    """
    scenarios = len(plan.norm.sample)
    members = plan.members
    totals = [0] * len(members)
    by_team: Counter[str] = Counter()
    for design, coster in costed:
        frame = coster.frame
        groups = frame.groups
        month = frame.plan_month.month
        forfeits = [bool(design.holdback) and f for f in groups.forfeits]
        teams = [members[positions[0]].team_in(month) for positions in groups.positions]
        steps: list[list[int] | None] = [None] * len(groups.counts)
        for outcome, times in Counter(scenario_outcomes(design, frame)).items():
            if not outcome.pays:
                continue
            pay = share_out(design, frame, coster.terms, outcome)
            parts = [part.shares for part in pay.parts]
            cuts = pay.cuts
            for group, count in enumerate(groups.counts):
                step = steps[group]
                if step is None:
                    step = steps[group] = [0] * (count + 1)
                if forfeits[group] or group in cuts:  # the members' runs, cut and held
                    start = 0
                    for end, amounts, cut in pay.slices(group, count):
                        amount = sum(amounts) - cut
                        if forfeits[group]:
                            amount -= held_back(design, amount)
                        step[start] += amount * times
                        step[end] -= amount * times
                        by_team[teams[group]] += amount * times * (end - start)
                        start = end
                    continue
                for shares in parts:  # each part: every member its base, the first few more
                    share = shares[group]
                    if share.base:
                        step[0] += share.base * times
                        step[count] -= share.base * times
                    if share.bumped:
                        step[0] += share.step * times
                        step[share.bumped] -= share.step * times
                    by_team[teams[group]] += share.total(count) * times
        for positions, step in zip(groups.positions, steps, strict=True):
            if step is not None and any(step):
                running = 0
                for rank, position in enumerate(positions):
                    running += step[rank]
                    totals[position] += running
    months = [m.month for m in plan.months]
    earnings = tuple(
        MemberEarnings(member.id, _member_team(member, months), Fraction(total, scenarios))
        for member, total in zip(members, totals, strict=True)
    )
    return earnings, {team: Fraction(total, scenarios) for team, total in by_team.items()}


def _member_team(member: Member, months: Sequence[Month]) -> str:
    """The member's team over the plan; ``a / b`` for one who moves from ``a`` to ``b``."""
    found: list[str] = []
    for month in months:
        team = member.team_in(month)
        if team not in found:
            found.append(team)
    return " / ".join(found) or member.team


def _last_year(plan: Plan, costed: Sequence[Costed]) -> tuple[LastYear | None, str]:
    """The plan's first year paid as the latest historical year performed (the module)."""
    first_year = plan_years(len(costed))[0] if costed else range(0)
    paying = [j for j in first_year if costed[j][1].frame.closes]
    months: list[ReplayMonth] = []
    replayed: list[Month] = []
    for j in first_year:
        design, coster = costed[j]
        frame = coster.frame
        if not frame.closes:
            months.append(ReplayMonth(plan.months[j].month, None, None, 0))
            continue
        norm = design.norm
        if len(norm.sample) < len(paying):
            return None, (
                f"the history's sample holds {len(norm.sample)} {norm.period}s, fewer than "
                f"the {len(paying)} of a plan year, so last year cannot be replayed"
            )
        h = len(norm.sample) - len(paying) + paying.index(j)  # the latest, in order
        start = norm.sample_months[h]
        size = len(frame.period.months) if frame.period is not None else 1
        replayed += [start.shift(k) for k in range(size)]
        plan_month = frame.plan_month
        attainment = norm.sample[h] * norm.scenario_ratio(plan_month.month, plan_month.target)
        cost = coster.cost(scenario_outcomes(design, frame)[h]).paid
        months.append(ReplayMonth(plan.months[j].month, start, attainment, cost))
    return LastYear(tuple(months), _old_paid(plan, replayed)), ""


def _old_paid(plan: Plan, replayed: Sequence[Month]) -> int | None:
    """What the old plan paid in the ``replayed`` historical months, if the history says."""
    paid = {h.month: h.paid for h in plan.history}
    amounts = [paid.get(month) for month in replayed]
    if not amounts or any(amount is None for amount in amounts):
        return None
    return sum(plan.currency.round_to_minor(Fraction(a)) for a in amounts if a is not None)


# -- the same facts ------------------------------------------------------------------


def _check_same_facts(a: Plan, b: Plan, labels: tuple[str, str]) -> None:
    """Refuse two plans that do not share currency, months, roster, history and actuals."""
    problems: list[str] = []
    if a.currency != b.currency:
        problems.append(f"currency: A pays in {a.currency.code}, B in {b.currency.code}")
    months_a = [m.month for m in a.months]
    months_b = [m.month for m in b.months]
    if months_a != months_b:
        problems.append(f"plan months: A runs {_span(months_a)}, B {_span(months_b)}")
    problems += _roster_differences(a.members, b.members)
    problems += _history_differences(a, b)
    if months_a == months_b:
        problems += _actual_differences(a, b)
    if problems:
        listed = "\n".join(f"  {p}" for p in problems)
        raise CompareError(
            f"cannot compare '{labels[0]}' (A) with '{labels[1]}' (B) side by side: two "
            "designs are compared on the same currency, plan months, roster, history and "
            f"actuals, and these differ:\n{listed}"
        )


def _span(months: Sequence[Month]) -> str:
    if not months:
        return "no months"
    count = f"{len(months)} month{'' if len(months) == 1 else 's'}"
    return f"{months[0]} to {months[-1]} ({count})"


def _named(kind: str, items: Sequence[str]) -> list[str]:
    """``kind: a, b, c`` naming at most :data:`_NAMED` items, and how many more."""
    if not items:
        return []
    shown = ", ".join(items[:_NAMED])
    more = len(items) - _NAMED
    return [f"{kind}: {shown}" + (f" and {more} more" if more > 0 else "")]


_MEMBER_FIELDS = ("team", "start", "end", "fte", "salary", "target_bonus")


def _roster_differences(a: Sequence[Member], b: Sequence[Member]) -> list[str]:
    by_a = {m.id: m for m in a}
    by_b = {m.id: m for m in b}
    changed = []
    for member_id, member in by_a.items():
        other = by_b.get(member_id)
        if other is None or other == member:
            continue
        rows_a, rows_b = member.rows, other.rows
        if len(rows_a) != len(rows_b):
            changed.append(f"{member_id} (A has {len(rows_a)} rows, B {len(rows_b)})")
            continue
        what = [
            f"{name} {getattr(x, name)} in A, {getattr(y, name)} in B"
            for x, y in zip(rows_a, rows_b, strict=True)
            for name in _MEMBER_FIELDS
            if getattr(x, name) != getattr(y, name)
        ]
        changed.append(f"{member_id} ({'; '.join(what) or 'rows differ'})")
    return [
        *_named("roster: only in A", [i for i in by_a if i not in by_b]),
        *_named("roster: only in B", [i for i in by_b if i not in by_a]),
        *_named("roster: members differ", changed),
    ]


def _history_row(month: HistoryMonth, metrics: Iterable[str]) -> tuple[object, ...]:
    """A historical month's facts: the shared metric's actual, target and old payout, and
    the figures of the ``metrics`` both plans measure."""
    return (
        month.actual,
        month.target,
        month.paid,
        *((month.functional.get(m), month.functional_targets.get(m)) for m in metrics),
    )


def _metrics(a: Plan, b: Plan) -> list[str]:
    """The functional metrics both plans measure, by name."""
    names = {m.name for m in b.functional.metrics}
    return [m.name for m in a.functional.metrics if m.name in names]


def _history_differences(a: Plan, b: Plan) -> list[str]:
    history_a = {h.month: h for h in a.history}
    history_b = {h.month: h for h in b.history}
    if list(history_a) != list(history_b):
        return [f"history: A holds {_span(list(history_a))}, B {_span(list(history_b))}"]
    metrics = _metrics(a, b)
    differ = [
        str(month)
        for month, h in history_a.items()
        if _history_row(h, metrics) != _history_row(history_b[month], metrics)
    ]
    return _named("history: these months' figures differ", differ)


def _actual_differences(a: Plan, b: Plan) -> list[str]:
    """Plan months whose actuals differ: the shared metric's, or a metric both measure."""
    metrics_b = {m.name: m for m in b.functional.metrics}
    pairs = [(m, metrics_b[m.name]) for m in a.functional.metrics if m.name in metrics_b]
    differ = []
    for j, (x, y) in enumerate(zip(a.months, b.months, strict=True)):
        if x.actual != y.actual or any(
            (ma.months[j].actual, ma.months[j].counts) != (mb.months[j].actual, mb.months[j].counts)
            for ma, mb in pairs
        ):
            differ.append(str(x.month))
    return _named("actuals: these plan months' actuals differ", differ)
