"""Cost risk: how much the plan year may cost, under the historical norm.

Calibration makes the plan's *expected* cost equal its budget. This module
gives the whole distribution of the year's cost around it: its mean,
percentiles, extremes, and the chance of exceeding the budget by a share.

**The model.** Each plan month performs like one historical month, each
historical month equally likely, and **months are drawn independently** of
each other. A month's cost in a scenario is what the plan pays it there
(:func:`scenario_month_costs`, the one place that says so). Independence is an
assumption: real months are correlated (a weak market depresses several in a
row), so the true spread of a year may be wider than shown. The mean does not
depend on it: it is the calibration's expected cost either way.

**Months a period joins.** Where the plan's periods join months, one draw is
what calibration counts as one scenario: the run of months one of its paths
reads in one historical period
(:func:`~jointbonus.sharedtarget.calibration.path_runs`): a goal period's
months beside goals over a period longer than the shared one, a shared
period's months beside goals paid month by month. The run costs its months'
costs on one path summed, each path equally likely
(:func:`~jointbonus.sharedtarget.calibration.path_scenarios`), and runs are
drawn apart, as months are; below, "a month" is such a run. A month alone is
drawn as it always was (the months inside a longer shared period without such
goals pay nothing, so the period's end is one draw already). Advances cost
nothing here: they move a period's pay within it.

**Versions.** A plan that changes from a month on
(:mod:`jointbonus.sharedtarget.versions`) costs each month by the version in
force for it: that version's design (curve, split, goals, gates, caps), its
framing of the month and its calibration's scale and weights, in the month
tables and in the months already paid alike. The mean is then the plan's
expected cost, each version's of the months it governs (what ``run``'s plan
summary reports).

**Two methods, one answer.**

* ``exact``: the distribution of the year's total is built month by month,
  adding one month's few possible costs to every total so far and counting
  the combinations of historical months that lead to each total (integers, so
  every probability is an exact fraction with denominator ``H^months``). A
  step plan costs one of two amounts a month, so its year takes few values.
  Used whenever the work (totals so far x costs of the next month, summed over
  the months) is bound in advance to stay within :data:`EXACT_WORK_LIMIT`
  (:func:`exact_work`).
* ``bootstrap``: otherwise, ``years`` simulated years from a seeded random
  generator (:data:`DEFAULT_SEED` unless one is given), so the output is the
  same on every run. Each month's costs become a table of equally likely
  entries (scenarios giving the same cost are merged by their greatest common
  count), months are grouped so that a group's table of every combination
  stays within :data:`GROUP_TABLE_LIMIT` entries, and one draw per group and
  year picks a combination: the same distribution as one draw per month, in a
  fraction of the draws.

**Statistics.** The ``p``-th percentile is the smallest cost ``c`` with
``P(cost <= c) >= p%`` (of the simulated years, for a bootstrap). The chance
of exceeding the budget by a share ``x`` is ``P(cost > budget x (1 + x))``.

**Paid months.** For a plan with months already paid, the distribution of
the year *given* those months is reported too: paid months fixed at what the
engine paid, pending months drawn as above.

>>> from datetime import date
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve, build_plan
>>> plan = build_plan(  # two months; half the historical months reached their target
...     name="Demo", currency="USD", start="2026-01", months=2,
...     members=[Member("A", "sales", date(2025, 1, 1), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(a), D(100)) for m, a in
...              zip(range(9, 13), ["90", "105", "110", "95"])],
...     targets={"2026-01": "100", "2026-02": "100"}, curve=StepCurve(), budget="200.00",
... )
>>> risk = cost_risk(plan)  # a pool of 200.00 a hit month: 0, 1 or 2 hits
>>> [(plan.currency.from_minor(cost), str(p)) for cost, p in risk.year.points()]
[(Decimal('0.00'), '1/4'), (Decimal('200.00'), '1/2'), (Decimal('400.00'), '1/4')]
>>> risk.year.method.value, risk.year.mean == risk.budget, str(risk.year.chance_above(risk.budget))
('exact', True, '1/4')
"""

from __future__ import annotations

import itertools
import math
import random
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from operator import mul, sub
from typing import Any

from jointbonus.core.number import to_fraction
from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError, argument, items, shown
from jointbonus.sharedtarget.calibration import (
    Calibration,
    calibrate_framed,
    calibrated_months,
    check_calibration,
    path_runs,
    path_scenarios,
    scenario_table,
)
from jointbonus.sharedtarget.pay.cost import MonthCoster, costers_for
from jointbonus.sharedtarget.pay.groups import Framed
from jointbonus.sharedtarget.pay.outcome import Outcome, actual_attainments, outcome_at
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.plan import Plan, plan_argument
from jointbonus.sharedtarget.versions import (
    VersionCalibration,
    calibrate_versions,
    designs,
    plan_expected_cost,
    spans,
)

__all__ = [
    "DEFAULT_EXCEED",
    "DEFAULT_PERCENTILES",
    "DEFAULT_SEED",
    "DEFAULT_YEARS",
    "EXACT_WORK_LIMIT",
    "GROUP_TABLE_LIMIT",
    "MAX_YEARS",
    "CostDistribution",
    "CostRisk",
    "Costed",
    "RiskError",
    "RiskMethod",
    "cost_risk",
    "exact_work",
    "month_costers",
    "risk_argument",
    "scenario_month_costs",
]

DEFAULT_YEARS = 100_000
MAX_YEARS = 1_000_000
DEFAULT_SEED = 2026
DEFAULT_PERCENTILES: tuple[int, ...] = (5, 10, 25, 50, 75, 90, 95)
DEFAULT_EXCEED: tuple[Fraction, ...] = (Fraction(0), Fraction(1, 10), Fraction(1, 4))
#: A number given as a setting (a share of the budget, a percentile): exact, never a float.
Setting = Decimal | Fraction | int | str
#: Pairs (total so far, cost of the next month) the exact method may combine.
EXACT_WORK_LIMIT = 1_000_000
#: Most entries in the table of one group of months drawn together by the bootstrap.
GROUP_TABLE_LIMIT = 65_536
#: Ints of a size below this are one digit to CPython, which adds and sorts them faster.
_ONE_DIGIT = 2**30


class RiskError(JointBonusError, ValueError):
    """Cost risk asked for with bad settings (years, seed, shares, method)."""


class RiskMethod(StrEnum):
    """How the distribution of the year's cost is computed."""

    AUTO = "auto"
    """Exact when the work stays within :data:`EXACT_WORK_LIMIT`, else a bootstrap."""
    EXACT = "exact"
    """Every combination of historical months, counted exactly."""
    BOOTSTRAP = "bootstrap"
    """Seeded simulated years."""


def scenario_month_costs(
    plan: Plan, calibration: Calibration, framed: Framed | None = None
) -> tuple[Counter[int], ...]:
    """For each plan month: how many historical scenarios make it cost each amount.

    Amounts are what the plan pays the month at the calibration's scale, in
    minor units after rounding; the counts of a month add up to the number of
    historical scenarios. Computed once per distinct outcome (the payout
    factors of the shared and functional goals together, after gates).
    ``framed`` is ``plan``'s months framed, when already made.

    A plan with later versions takes ``calibration`` as its first version's and
    costs each month by the version in force for it (``framed`` then frames the
    first version's months; a later version's are framed by its own design).

    Every distribution in this module is built from what the same costers pay
    (a run of months a period joins, on calibration's paths: these are its
    months' tables), so when the way a scenario is paid changes, the costers are
    the one place to change.
    """
    _refuse_yearly_caps(plan)
    costed, _ = month_costers(plan, calibration, None, framed)
    return _tables(costed)


Costed = tuple[Plan, MonthCoster]
"""One plan month to cost: the design of the version in force for it, and its coster."""


def month_costers(
    plan: Plan,
    calibration: Calibration,
    versions: tuple[VersionCalibration, ...] | None,
    framed: Framed | None = None,
) -> tuple[tuple[Costed, ...], Fraction]:
    """Each plan month's design and coster, by the version in force for it at that version's
    terms, and the plan's expected cost (each version's of the months it governs).

    ``calibration`` is the first version's; ``versions`` every version's when already
    made; ``framed`` the first version's months framed when already made.
    """
    if not plan.versions:
        if framed is None:
            _, costers = calibrated_months(plan, calibration)
        else:
            costers = costers_for(plan, framed.months, calibration.terms)
        return tuple((plan, coster) for coster in costers), calibration.expected_cost
    if versions is None:
        versions = calibrate_versions(plan, calibration)
    costed: list[Costed] = []
    for version, months in zip(versions, spans(plan), strict=True):
        design = version.design
        if version.number == 1 and framed is not None:
            terms = version.calibration.terms
            costers = costers_for(design, framed.months[months.start : months.stop], terms)
        else:
            _, every = calibrated_months(design, version.calibration)
            costers = every[months.start : months.stop]
        costed.extend((design, coster) for coster in costers)
    return tuple(costed), plan_expected_cost(versions)


def _refuse_yearly_caps(plan: Plan) -> None:
    """A year's cost under a per-year cap is not a sum of independent months' costs."""
    capped = [n for n, d in enumerate(designs(plan), 1) if d.functional.caps.per_year is not None]
    if capped:
        numbers = " and ".join(map(str, capped))
        which = "" if capped == [1] else f" (in version{'s' * (len(capped) > 1)} {numbers})"
        raise RiskError(
            f"'{plan.name}' caps what a member is paid per plan year{which}, so a year's cost "
            "is not the sum of independent months' costs and the cost risk cannot be built from "
            "month tables; the calibration's expected cost follows the cap through whole "
            "historical years (see 'jointbonus calibrate')"
        )


def _tables(costed: Sequence[Costed]) -> tuple[Counter[int], ...]:
    """:func:`scenario_month_costs`, from each month's design and coster."""
    tables: list[Counter[int]] = []
    for run in _drawn_runs(costed):
        if run.paths is None:
            tables.append(run.table)
        else:
            tables.extend(Counter(costs) for costs in run.paths)
    return tuple(tables)


@dataclass(frozen=True, slots=True)
class _DrawnRun:
    """Plan months drawn as one: a run of :func:`~jointbonus.sharedtarget.calibration.
    path_runs`, and what it costs in each historical scenario."""

    places: range
    """The months' places in the plan."""
    table: Counter[int]
    """How many scenarios make the months together cost each amount."""
    paths: tuple[tuple[int, ...], ...] | None
    """Per month of a run of several: its cost on each of calibration's paths (``None``
    for a month alone, whose ``table`` is its own)."""

    def pending(self, pending: Sequence[bool]) -> Counter[int] | None:
        """The table of the run's pending months together, on the same paths (``table``
        when all are pending; ``None`` when none is)."""
        flags = [pending[place] for place in self.places]
        if all(flags):
            return self.table
        if self.paths is None or not any(flags):
            return None
        return Counter(map(sum, zip(*itertools.compress(self.paths, flags), strict=True)))


def _drawn_runs(costed: Sequence[Costed]) -> list[_DrawnRun]:
    """Each run of months drawn as one, in order (see the module: a run's months read
    one historical period together, on calibration's paths)."""
    drawn: list[_DrawnRun] = []
    start = 0
    for _, run in itertools.groupby(costed, key=_design_of):
        months = list(run)
        design = months[0][0]
        costers = [coster for _, coster in months]
        frames = [coster.frame for coster in costers]
        outcomes = scenario_table(design, frames)
        scenarios = len(design.norm.sample)
        for places in path_runs(design, frames):
            if len(places) == 1:
                costs: Counter[int] = Counter()
                coster = costers[places[0]]
                for outcome, count in Counter(outcomes[places[0]]).items():
                    costs[coster.cost(outcome).paid] += count
                drawn.append(_DrawnRun(range(start + places[0], start + places.stop), costs, None))
                continue
            paths = []
            for place in places:
                coster, row = costers[place], outcomes[place]
                paid: dict[Outcome, int] = {}
                on_paths = []
                for scenario in path_scenarios(design, frames[place], scenarios):
                    outcome = row[scenario]
                    cost = paid.get(outcome)
                    if cost is None:
                        cost = paid[outcome] = coster.cost(outcome).paid
                    on_paths.append(cost)
                paths.append(tuple(on_paths))
            table = Counter(map(sum, zip(*paths, strict=True)))
            drawn.append(
                _DrawnRun(range(start + places.start, start + places.stop), table, tuple(paths))
            )
        start += len(months)
    return drawn


def _design_of(costed: Costed) -> int:
    """Which design a month is costed by (months of one version run together)."""
    return id(costed[0])


def _paid_months(costed: Sequence[Costed]) -> list[int | None]:
    """What each plan month with its actuals costs (``None`` for a pending month): what
    its lines pay, less what members who leave before the year ends forfeit of the
    holdback, as the month tables count it (by the version in force for it)."""
    paid: list[int | None] = []
    for design, coster in costed:
        attainments = actual_attainments(design, coster.frame.plan_month, coster.frame.index)
        paid.append(
            None if attainments is None else coster.cost(outcome_at(design, *attainments)).paid
        )
    return paid


@dataclass(frozen=True, slots=True)
class CostDistribution:
    """The distribution of a year's cost, in minor units.

    ``amounts`` are sorted; ``cumulative[i]`` is the weight of the costs up to
    and including ``amounts[i]``. Exact: distinct amounts weighted by the number
    of combinations of historical months giving them. Bootstrap: one amount
    per simulated year, each of weight 1.
    """

    method: RiskMethod
    amounts: tuple[int, ...]
    cumulative: Sequence[int]
    drawn_months: tuple[Month, ...] = ()
    """The months drawn from the norm."""
    paid_months: tuple[Month, ...] = ()
    """The months fixed at what was paid (empty for the year under the norm)."""
    paid: int = 0
    """What the paid months cost, minor units; included in every amount."""
    years: int | None = None
    """Simulated years (bootstrap only)."""
    seed: int | None = None
    """The random seed (bootstrap only)."""

    @property
    def label(self) -> str:
        drawn = _count(len(self.drawn_months), "month")
        if not self.paid_months:
            return f"the year under the norm: {drawn} drawn"
        first, last = self.paid_months[0], self.paid_months[-1]
        span = str(first) if first == last else f"{first} to {last}"
        pending = _count(len(self.drawn_months), "pending month")
        return (
            f"the year given the {_count(len(self.paid_months), 'month')} paid ({span}): "
            f"{pending} drawn"
        )

    @property
    def total_weight(self) -> int:
        return self.cumulative[-1]

    def _weights(self) -> Iterable[int]:
        return map(sub, self.cumulative, itertools.chain((0,), self.cumulative))

    @property
    def mean(self) -> Fraction:
        """The mean cost, minor units, exact."""
        return Fraction(sum(map(mul, self.amounts, self._weights())), self.total_weight)

    @property
    def variance(self) -> Fraction:
        """The variance of the cost, minor units squared, exact."""
        squares = sum(map(mul, map(mul, self.amounts, self.amounts), self._weights()))
        return Fraction(squares, self.total_weight) - self.mean**2

    @property
    def mean_standard_error(self) -> int | None:
        """Bootstrap: the standard error of the mean, minor units, rounded; else ``None``."""
        if self.years is None:
            return None
        quadruple = math.floor(4 * self.variance / self.years)
        return (math.isqrt(quadruple) + 1) // 2  # sqrt(variance / years), rounded half up

    @property
    def minimum(self) -> int:
        return self.amounts[0]

    @property
    def maximum(self) -> int:
        return self.amounts[-1]

    def quantile(self, share: Fraction) -> int:
        """The smallest cost ``c`` with ``P(cost <= c) >= share`` (``share`` from 0 to 1)."""
        needed = math.ceil(share * self.total_weight)
        return self.amounts[min(bisect_left(self.cumulative, needed), len(self.amounts) - 1)]

    def percentile(self, percent: Fraction | int) -> int:
        """The ``percent``-th percentile: :meth:`quantile` of ``percent / 100``."""
        return self.quantile(Fraction(percent) / 100)

    def chance_above(self, amount: Fraction | int) -> Fraction:
        """``P(cost > amount)``, exact (the share of simulated years, for a bootstrap)."""
        index = bisect_right(self.amounts, amount)
        below = self.cumulative[index - 1] if index else 0
        return Fraction(self.total_weight - below, self.total_weight)

    def points(self) -> tuple[tuple[int, Fraction], ...]:
        """Each distinct cost with its probability, in increasing order of cost."""
        weights: Counter[int] = Counter()
        for amount, weight in zip(self.amounts, self._weights(), strict=True):
            weights[amount] += weight
        return tuple((a, Fraction(w, self.total_weight)) for a, w in sorted(weights.items()))


@dataclass(frozen=True, slots=True)
class CostRisk:
    """The cost risk of a plan year: the year under the norm and, if any, given the paid months."""

    budget: int
    """The neutral budget, minor units."""
    expected_cost: Fraction
    """The calibration's expected cost, minor units: the mean of :attr:`year`. With later
    versions, the plan's: each version's expected cost of the months it governs."""
    scenarios: int
    """Historical months in the norm's sample."""
    percentiles: tuple[Fraction, ...]
    """The percentiles reported, in percent."""
    exceed: tuple[Fraction, ...]
    """The shares over budget whose chance of being exceeded is reported."""
    year: CostDistribution
    """Every month drawn from the norm, paid or not."""
    given_paid: CostDistribution | None
    """Paid months fixed, pending months drawn; ``None`` when no month is paid."""

    def threshold(self, share: Fraction) -> Fraction:
        """The budget exceeded by ``share``: ``budget x (1 + share)``, minor units."""
        return self.budget * (1 + share)

    @property
    def distributions(self) -> tuple[CostDistribution, ...]:
        return (self.year,) if self.given_paid is None else (self.year, self.given_paid)


def risk_argument(value: object, name: str = "risk") -> CostRisk:
    """``value`` if it is a :class:`CostRisk`, else
    :class:`~jointbonus.errors.ArgumentError` naming argument ``name``."""
    return argument(name, value, CostRisk, "a CostRisk (from cost_risk)")


# -- computing -------------------------------------------------------------------


def exact_work(tables: Sequence[Counter[int]]) -> int:
    """An upper bound on the pairs (total so far, cost of the next month) the exact method adds.

    The totals after some months are at most the product of their numbers of
    distinct costs, and at most the multiples of the costs' common step in the
    range the totals can span: a step plan whose months pay one pool has
    ``months + 1`` totals, however many months it has.
    """
    step = 0
    for table in tables:
        lowest = min(table)
        for cost in table:
            step = math.gcd(step, cost - lowest)
    totals, span, work = 1, 0, 0
    for table in tables:
        work += totals * len(table)
        span += max(table) - min(table)
        totals = min(totals * len(table), span // step + 1 if step else 1)
    return work


def _exact(
    tables: Sequence[Counter[int]], paid: int, limit: int
) -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Sorted totals of ``paid`` + one draw from each table, with cumulative counts.

    The counts are the numbers of combinations of table entries giving each
    total; ``None`` when the work (:func:`exact_work`) would pass ``limit``.
    """
    if exact_work(tables) > limit:
        return None
    totals = {paid: 1}
    for table in tables:
        following: dict[int, int] = {}
        get = following.get
        for cost, count in table.items():
            for total, weight in totals.items():
                key = total + cost
                following[key] = get(key, 0) + weight * count
        totals = following
    amounts = tuple(sorted(totals))
    return amounts, tuple(itertools.accumulate(totals[a] for a in amounts))


def _equally_likely(table: Counter[int], less: int = 0) -> list[int]:
    """A month's costs as a list of equally likely entries (counts divided by their gcd),
    each less ``less``."""
    common = math.gcd(*table.values())
    return [cost - less for cost in sorted(table) for _ in range(table[cost] // common)]


def _middle(table: Counter[int]) -> int:
    """The whole number halfway between a month's least and greatest cost (rounded down):
    its costs less it are as near 0 as they can all be."""
    return (min(table) + max(table)) // 2


def _runs(tables: Sequence[Counter[int]]) -> tuple[list[list[Counter[int]]], list[int]]:
    """Months merged, in order, into runs whose tables of every combination hold at most
    GROUP_TABLE_LIMIT entries, and the number of entries of each (:func:`_groups`)."""
    runs: list[list[Counter[int]]] = []
    sizes: list[int] = []
    for table in tables:
        size = sum(table.values()) // math.gcd(*table.values())  # len(_equally_likely(table))
        if runs and sizes[-1] * size <= GROUP_TABLE_LIMIT:
            runs[-1].append(table)
            sizes[-1] *= size
        else:
            runs.append([table])
            sizes.append(size)
    return runs, sizes


@dataclass(frozen=True, slots=True)
class Drawn:
    """What the bootstraps of one cost risk share: the year under the norm and the year
    given its paid months are drawn from generators of the same seed.

    ``groups``: the tables of combinations made for runs of the same month tables (by
    identity, and by whether each month's costs are less its :func:`_middle`), taken
    rather than made again: the year given the paid months often ends with the same
    months as the year under the norm. ``picks``: the places picked in a group's table,
    by the seed, the years, the group's position and its number of entries, and the
    generator's state after them. The ``k``-th group of every bootstrap of a seed is
    drawn from the same ``random()`` values, so a table of the same number of entries
    there is picked at the same places: they are picked once, for the positions and
    sizes ``shared`` by more than one bootstrap (:meth:`between`).
    """

    shared: frozenset[tuple[int, int]] = frozenset()
    groups: dict[tuple[bool, tuple[int, ...]], list[int]] = field(default_factory=dict)
    picks: dict[tuple[int, int, int, int], tuple[list[int], tuple[Any, ...]]] = field(
        default_factory=dict
    )

    @classmethod
    def between(cls, *drawn: Sequence[Counter[int]]) -> Drawn:
        """For bootstraps of the same seed and years of each of ``drawn`` (months' tables)."""
        counted = Counter(place for tables in drawn for place in enumerate(_runs(tables)[1]))
        return cls(frozenset(place for place, count in counted.items() if count > 1))


def _groups(
    tables: Sequence[Counter[int]], drawn: Drawn | None = None, centred: bool = False
) -> list[list[int]]:
    """The tables of every combination of the months of each of :func:`_runs`;
    ``centred``: each month's costs less its :func:`_middle` (``drawn``: see :class:`Drawn`).
    """
    groups = []
    for run in _runs(tables)[0]:
        key = (centred, tuple(map(id, run)))
        group = drawn.groups.get(key) if drawn is not None else None
        if group is None:
            months = [_equally_likely(t, _middle(t) if centred else 0) for t in run]
            group = months[0]
            for entries in months[1:]:
                group = [a + b for a in group for b in entries]
            if drawn is not None:
                drawn.groups[key] = group
        groups.append(group)
    return groups


def _picks(rng: random.Random, size: int, years: int) -> list[int]:
    """The places :func:`_draw` picks in a table of ``size`` entries."""
    pick, floor, entries = rng.random, math.floor, size + 0.0
    return [floor(pick() * entries) for _ in itertools.repeat(None, years)]


def _draw(rng: random.Random, table: Sequence[int], years: int) -> list[int]:
    """``rng.choices(table, k=years)``, as :func:`random.choices` draws without weights:
    each pick is ``table[floor(random() x len(table))]``, one ``random()`` a year.

    Written out so that a draw can be added to the totals as it is made
    (:func:`_draw_onto`); the picks depend on ``random()`` alone, which Python keeps
    the same for a seed from version to version.
    """
    pick, floor, size = rng.random, math.floor, len(table) + 0.0
    return [table[floor(pick() * size)] for _ in itertools.repeat(None, years)]


def _draw_onto(rng: random.Random, table: Sequence[int], totals: list[int]) -> list[int]:
    """Each of ``totals`` plus a :func:`_draw` from ``table`` (the same picks), in one pass
    rather than a draw and then a sum."""
    pick, floor, size = rng.random, math.floor, len(table) + 0.0
    return [total + table[floor(pick() * size)] for total in totals]


def _bootstrap(
    tables: Sequence[Counter[int]],
    paid: int,
    years: int,
    seed: int,
    drawn: Drawn | None = None,
) -> list[int]:
    """``years`` simulated totals of ``paid`` + one draw from each table, sorted (``drawn``:
    what other bootstraps of the same cost risk made, :class:`Drawn`).

    Each group's picks are those of the same ``random.choices`` of the same generator
    (:func:`_draw`), added to the totals as they are drawn. Whole numbers below 2^30 in
    size are one digit to Python, which adds and sorts them faster, so the totals are
    kept so when they can be: ``paid`` is added to the first group's table before it is
    drawn from (fewer additions than years) when the totals stay below 2^30 with it;
    else, when the months' costs each less the month's :func:`_middle` add up to less
    than 2^30 whatever is drawn, they are drawn so and ``paid`` and the middles are
    added after the sort, which adding a number does not change: the same totals
    either way.
    """
    rng = random.Random(seed)  # noqa: S311 -- a reproducible simulation, not a secret
    if not tables:  # no month drawn
        return [paid] * years
    # No sum of drawn costs is further from 0 than ``reach``, nor, each month's costs
    # less its middle, than ``centred_reach``.
    reach = sum(max(map(abs, table)) for table in tables)
    middles = [_middle(table) for table in tables]
    centred_reach = sum(
        max(m - min(table), max(table) - m) for table, m in zip(tables, middles, strict=True)
    )
    centred = reach + abs(paid) >= _ONE_DIGIT > centred_reach
    groups = _groups(tables, drawn, centred)
    if paid and not centred:
        groups[0] = [paid + cost for cost in groups[0]]
    totals: list[int] = []
    for position, group in enumerate(groups):
        size = len(group)
        key = (seed, years, position, size)
        found = drawn.picks.get(key) if drawn is not None else None
        if found is None and drawn is not None and (position, size) in drawn.shared:
            found = drawn.picks[key] = (_picks(rng, size, years), rng.getstate())
        if found is not None:
            picks, state = found
            rng.setstate(state)  # as after drawing them
            if position:
                totals = [total + group[i] for total, i in zip(totals, picks, strict=True)]
            else:
                totals = [group[i] for i in picks]
        elif position:
            totals = _draw_onto(rng, group, totals)
        else:
            totals = _draw(rng, group, years)
    totals.sort()
    if not centred:
        return totals
    added = paid + sum(middles)
    return [added + total for total in totals]


def _distribution(
    tables: Sequence[Counter[int]],
    *,
    drawn_months: tuple[Month, ...],
    paid: int,
    paid_months: tuple[Month, ...],
    method: RiskMethod,
    years: int,
    seed: int,
    drawn: Drawn | None = None,
) -> CostDistribution:
    """The distribution of ``paid`` plus the cost of the months of ``tables``, by ``method``
    (``drawn``: what the bootstraps of the same cost risk share, :class:`Drawn`)."""
    if method is not RiskMethod.BOOTSTRAP or not tables:
        exact = _exact(tables, paid, EXACT_WORK_LIMIT)
        if exact is not None:
            amounts, cumulative = exact
            return CostDistribution(
                RiskMethod.EXACT, amounts, cumulative, drawn_months, paid_months, paid
            )
        if method is RiskMethod.EXACT:
            raise RiskError(
                f"method: got 'exact', but the year's cost takes too many values to count "
                f"exactly (over {EXACT_WORK_LIMIT:,} combinations to add up); "
                "use 'bootstrap' or 'auto'"
            )
    totals = _bootstrap(tables, paid, years, seed, drawn)
    return CostDistribution(
        RiskMethod.BOOTSTRAP,
        tuple(totals),
        range(1, years + 1),
        drawn_months,
        paid_months,
        paid,
        years,
        seed,
    )


def _settings(
    method: RiskMethod | str,
    years: int,
    seed: int,
    exceed: Setting | Iterable[Setting],
    percentiles: Setting | Iterable[Setting],
) -> tuple[RiskMethod, tuple[Fraction, ...], tuple[Fraction, ...]]:
    """The settings checked, with every problem reported in one :class:`RiskError`."""
    problems = []
    chosen = RiskMethod.AUTO
    try:
        chosen = RiskMethod(str(method))
    except ValueError:
        choices = ", ".join(repr(m.value) for m in RiskMethod)
        problems.append(f"method: got {shown(method)}, expected one of {choices}")
    if not isinstance(years, int) or isinstance(years, bool) or not 1 <= years <= MAX_YEARS:
        problems.append(
            f"years: got {shown(years)}, expected a whole number of simulated years "
            f"from 1 to {MAX_YEARS:,}"
        )
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        problems.append(f"seed: got {shown(seed)}, expected a whole number >= 0")
    shares = []
    for value in _values(exceed):
        try:
            share = to_fraction(value)
        except JointBonusError:
            share = None
        if share is None or share <= -1:
            problems.append(
                f"exceed: got {shown(value)}, expected a share of the budget above -1, "
                f"such as '0.1' (10% over budget){_not_float(value)}"
            )
        else:
            shares.append(share)
    percents = []
    for value in _values(percentiles):
        try:
            percent = to_fraction(value)
        except JointBonusError:
            percent = None
        if percent is None or not 0 < percent < 100:
            problems.append(
                f"percentiles: got {shown(value)}, expected a percent between 0 and 100"
                f"{_not_float(value)}"
            )
        else:
            percents.append(percent)
    if len(problems) == 1:
        raise RiskError(problems[0])
    if problems:
        listed = "\n".join(f"  {problem}" for problem in problems)
        raise RiskError(f"{len(problems)} problems in the cost risk settings:\n{listed}")
    return chosen, tuple(shares), tuple(percents)


def _not_float(value: object) -> str:
    if isinstance(value, float):
        return " (as text or a Decimal: floats cannot hold decimal numbers exactly)"
    return ""


def _values(values: object) -> Iterable[Setting]:
    """A list of settings; one value given alone (or anything but a collection) is a list of
    one, checked as a setting and refused if it is none."""
    if isinstance(values, Decimal | Fraction | int | str | float | bytes | Mapping) or not (
        isinstance(values, Iterable)
    ):
        return (values,)  # type: ignore[return-value]  # a float alone is refused below, as in a list
    return values  # each value refused below if not a setting


def cost_risk(
    plan: Plan,
    calibration: Calibration | None = None,
    *,
    method: RiskMethod | str = RiskMethod.AUTO,
    years: int = DEFAULT_YEARS,
    seed: int = DEFAULT_SEED,
    exceed: Setting | Iterable[Setting] = DEFAULT_EXCEED,
    percentiles: Setting | Iterable[Setting] = DEFAULT_PERCENTILES,
    versions: tuple[VersionCalibration, ...] | None = None,
) -> CostRisk:
    """The distribution of the plan year's cost under the historical norm.

    ``calibration`` defaults to :func:`~jointbonus.calibrate` of the plan. A plan
    with later versions takes it as its first version's and costs each month by
    the version in force for it; ``versions`` is every version's calibration
    when already made (a result's :attr:`~jointbonus.Result.versions`).
    ``method`` is ``"auto"`` (exact when small enough, else a bootstrap),
    ``"exact"`` or ``"bootstrap"``; ``years`` and ``seed`` set the bootstrap.
    ``exceed`` lists shares over budget (0.1 is 10% over) and ``percentiles``
    the percentiles to report. Raises :class:`RiskError` for bad settings.
    """
    plan = plan_argument(plan)
    calibration = argument(
        "calibration",
        calibration,
        (Calibration, type(None)),
        "a Calibration (from calibrate) or None",
    )
    if versions is not None:
        versions = tuple(
            items("versions", versions, VersionCalibration, "VersionCalibration values")
        )
    chosen, shares, percents = _settings(method, years, seed, exceed, percentiles)
    _refuse_yearly_caps(plan)
    if calibration is None:
        calibration = calibrate_framed(plan, frame_plan(plan))
    check_calibration(plan, calibration)
    costed, expected_cost = month_costers(plan, calibration, versions)
    runs = _drawn_runs(costed)
    tables = [run.table for run in runs]
    months = tuple(coster.frame.plan_month.month for _, coster in costed)
    # The months drawn given the paid ones, if any are paid (what each paid month cost).
    paid_months = _paid_months(costed) if any(m.actual is not None for m in plan.months) else None
    pending = [paid is None for paid in paid_months or ()]
    pending_tables = [
        table
        for table in (run.pending(pending) for run in runs if paid_months is not None)
        if table is not None
    ]
    drawn = Drawn.between(tables, pending_tables) if paid_months else None
    year = _distribution(
        tables,
        drawn_months=months,
        paid=0,
        paid_months=(),
        method=chosen,
        years=years,
        seed=seed,
        drawn=drawn,
    )

    given_paid = None
    if paid_months is not None:
        given_paid = _distribution(
            pending_tables,
            drawn_months=tuple(itertools.compress(months, pending)),
            paid=sum(paid for paid in paid_months if paid is not None),
            paid_months=tuple(m for m, p in zip(months, pending, strict=True) if not p),
            method=chosen,
            years=years,
            seed=seed,
            drawn=drawn,
        )
    return CostRisk(
        budget=plan.budget.amount,
        expected_cost=expected_cost,
        scenarios=len(plan.norm.sample),
        percentiles=percents,
        exceed=shares,
        year=year,
        given_paid=given_paid,
    )


def _count(number: int, noun: str) -> str:
    """``1 month``, ``2 months``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
