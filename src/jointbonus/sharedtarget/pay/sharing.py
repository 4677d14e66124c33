"""Sharing a month out: each part's pool (or lines), who gets what, then the caps.

A month pays one **part** for the shared goal and one for each functional
goal. Under pool funding each part is a pool, rounded to the minor unit and
split by largest remainder (ties to the lower member id); under individual
funding each member's line of each part is rounded. The caps then cut
members' month totals (:mod:`jointbonus.sharedtarget.pay.caps`); a holdback
keeps part of each line until the plan year ends (:func:`held_back`).

Every computation is per pay group (:mod:`jointbonus.sharedtarget.pay.groups`):
members of a group get the same amount, give or take the one leftover minor
unit a largest-remainder split hands to some of them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import starmap
from math import lcm
from operator import mul
from typing import overload

from jointbonus.core.money import GroupShare, allocate_groups
from jointbonus.core.number import round_half_up, round_product
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.goals import Caps
from jointbonus.sharedtarget.pay.caps import (
    Runs,
    YearToDate,
    cuts,
    merge_runs,
    month_totals,
    run_total,
    share_runs,
)
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome, Terms, brackets, goal_teams
from jointbonus.sharedtarget.plan import FundingStyle, Plan

__all__ = [
    "NO_SHARE",
    "LastRuns",
    "MonthPay",
    "MonthTotals",
    "Part",
    "PoolFactors",
    "held_back",
    "line_factors",
    "line_parts",
    "member_parts",
    "member_units",
    "member_values",
    "mixed_amount",
    "month_units",
    "pool_exacts",
    "pool_factors",
    "pool_per_weight",
    "pool_units",
    "share_out",
    "share_parts",
    "split_outcomes",
    "team_rates",
    "team_split_weights",
]

_ZERO = Fraction(0)
#: The share of a group that receives nothing.
NO_SHARE = GroupShare(0, 0, 1)


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a month's pay: the shared goal's, or one functional goal's.

    Pool funding: the part's own pool, rounded, split by largest remainder.
    Individual funding: each member's line of the part, rounded; ``pool`` is
    their sum.
    """

    pool: int
    exact: Fraction
    """The part before rounding, minor units."""
    shares: tuple[GroupShare, ...]
    """Each pay group's shares, in group order."""
    weights: tuple[int, ...] = ()
    """Pool funding: each group's whole-number weight per member in the part's split."""


@dataclass(frozen=True, slots=True)
class LastRuns:
    """A month's runs of every group (:meth:`MonthPay.last_runs`): most of a group's members
    are in its last run, whose amounts are held as columns, one entry per group."""

    shared: list[int]
    """Each group's last run: its shared part."""
    goals: list[tuple[int, ...]]
    """Each group's last run: its part of each goal of ``plan.goals``."""
    cut: list[int]
    """Each group's last run: what the caps cut."""
    earlier: dict[int, list[tuple[int, tuple[int, ...], int]]]
    """The runs before the last (``(end, each part's amount, cut)``, as :meth:`MonthPay.
    slices` gives them) of the groups that have any: the members given a leftover unit or
    cut apart from the rest."""


@dataclass(frozen=True, slots=True)
class MonthPay:
    """A month paid at one outcome: each part, and what the caps cut from whom."""

    shared: Part
    functional: tuple[Part, ...]
    """One part per goal of ``plan.goals``."""
    cuts: Mapping[int, Runs]
    """Per pay group the caps cut: minor units cut from each member, as runs over the
    group's ranks (:mod:`jointbonus.sharedtarget.pay.caps`); groups not cut are absent."""
    earned: int
    """The parts' sum over every member, before caps."""
    totals: Sequence[Runs] = ()
    """Each pay group's month total per member, all parts, before caps, as runs
    (:class:`MonthTotals`)."""

    @property
    def capped(self) -> int:
        """What the caps cut from the month's members, in total."""
        return sum(run_total(runs) for runs in self.cuts.values())

    @property
    def paid(self) -> int:
        """What members are owed for the month: earned less what the caps cut."""
        return self.earned - self.capped

    @property
    def parts(self) -> tuple[Part, ...]:
        return (self.shared, *self.functional)

    def slices(self, group: int, count: int) -> list[tuple[int, tuple[int, ...], int]]:
        """A group's members in runs paid alike: ``(end, each part's amount, cut)``.

        A run starts where the one before it ended (the first at rank 0); the
        last ends at ``count``, the group's size. Most groups are one run.
        """
        shares = [part.shares[group] for part in self.parts]
        return _slices(shares, count, self.cuts.get(group))

    def last_runs(self, counts: Sequence[int]) -> LastRuns:
        """Every group's runs (:meth:`slices`; ``counts`` are the groups' sizes): the last
        run of each, as columns, and the runs before it of the groups that have any."""
        cuts = self.cuts
        if not self.functional and not cuts:  # the shared part alone (a plain plan)
            shared: list[int] = []
            earlier: dict[int, list[tuple[int, tuple[int, ...], int]]] = {}
            for group, (share, count) in enumerate(zip(self.shared.shares, counts, strict=True)):
                bumped = share.bumped
                if 0 < bumped < count:  # the members given a leftover unit, then the others
                    earlier[group] = [(bumped, (share.base + share.step,), 0)]
                    shared.append(share.base)
                else:
                    shared.append(share.share(count - 1))
            return LastRuns(shared, [()] * len(shared), [0] * len(shared), earlier)
        last = LastRuns([], [], [], {})
        columns = zip(*(part.shares for part in self.parts), strict=True)
        for group, (shares, count) in enumerate(zip(columns, counts, strict=True)):
            runs = _slices(shares, count, cuts.get(group))
            _, amounts, cut = runs[-1]
            last.shared.append(amounts[0])
            last.goals.append(amounts[1:])
            last.cut.append(cut)
            if len(runs) > 1:
                last.earlier[group] = runs[:-1]
        return last

    def paid_runs(self, group: int) -> Runs:
        """What each member of ``group`` is owed for the month (parts less the cut), as runs."""
        cut = self.cuts.get(group)
        if cut is None:
            return self.totals[group]
        return merge_runs(self.totals[group], cut, _less)

    def capped_by(
        self, caps: Caps, counts: Sequence[int], year_to_date: YearToDate | None
    ) -> MonthPay:
        """This month's parts with what ``caps`` cut, given the year so far."""
        if not caps.any:
            return self
        cut = cuts(caps, self.totals, year_to_date)
        return MonthPay(self.shared, self.functional, cut, self.earned, self.totals)

    def record(self, year_to_date: YearToDate) -> None:
        """Add what every member is owed for the month to ``year_to_date``."""
        for group in range(len(self.totals)):
            year_to_date.add(group, self.paid_runs(group))


class MonthTotals(Sequence[Runs]):
    """Each pay group's month total per member, all parts, before caps, as runs
    (:func:`~jointbonus.sharedtarget.pay.caps.month_totals` of its shares of every part),
    made the first time one is asked for: only caps, a year to date and advances read
    them, and a plan with none of these shares out a month's 2,000 groups without them."""

    __slots__ = ("_counts", "_made", "_parts")

    def __init__(self, parts: Sequence[Part], counts: Sequence[int]) -> None:
        self._parts = parts
        self._counts = counts
        self._made: list[Runs] | None = None

    def _totals(self) -> list[Runs]:
        if self._made is None:
            by_group = zip(*(part.shares for part in self._parts), strict=True)
            self._made = list(starmap(month_totals, zip(by_group, self._counts, strict=True)))
        return self._made

    def __len__(self) -> int:
        return len(self._counts)

    @overload
    def __getitem__(self, index: int) -> Runs: ...

    @overload
    def __getitem__(self, index: slice) -> list[Runs]: ...

    def __getitem__(self, index: int | slice) -> Runs | list[Runs]:
        return self._totals()[index]

    def __iter__(self) -> Iterator[Runs]:
        return iter(self._totals())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    def __hash__(self) -> int:  # as the tuple of the totals would hash
        return hash(tuple(self._totals()))


def _slices(
    shares: Sequence[GroupShare], count: int, cut: Runs | None
) -> list[tuple[int, tuple[int, ...], int]]:
    """A group's runs paid alike (:meth:`MonthPay.slices`), from its share of each part and
    what the caps cut from its members (``None``: nothing)."""
    amounts = share_runs(shares, count)
    if cut is None:
        return [(end, parts, 0) for end, parts in amounts]
    result = []
    i = j = 0
    while i < len(amounts) and j < len(cut):
        end = min(amounts[i][0], cut[j][0])
        result.append((end, amounts[i][1], cut[j][1]))
        if amounts[i][0] == end:
            i += 1
        if cut[j][0] == end:
            j += 1
    return result


def _less(amount: int, cut: int) -> int:
    return amount - cut


def held_back(plan: Plan, amount: int) -> int:
    """The part of a line's ``amount`` held until the year end: ``round(holdback x amount)``."""
    return round_half_up(plan.holdback * amount) if plan.holdback else 0


def member_units(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> list[Fraction]:
    """Each group's exact amount per member, in minor units, before rounding, caps or holdback.

    A member's **target amount** is their share of the pool at target (pool
    funding: ``scale x split weight / total split weight``) or their target
    bonus for the month (individual: ``scale x target bonus / 12 x weight``);
    the amount is the target amount x ``(w x shared factor + (1 - w) x sum of
    goal weight x goal factor)`` for their team: :func:`team_rates` x
    :func:`member_values`.
    """
    rates = team_rates(plan, frame, terms, outcome)
    values = member_values(plan, frame)
    amounts = [
        rates[t] * v if v else _ZERO for v, t in zip(values, frame.groups.teams, strict=True)
    ]
    for group, mix in frame.groups.mixes.items():  # a move during the month
        if values[group]:  # the month-end team's rate may be 0, another team's not
            amounts[group] = mixed_amount(rates, mix)
    return amounts


def month_units(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> list[Fraction]:
    """:func:`member_units` of every part the month pays: in a month that pays its goals on a
    frame of its own beside a longer shared period, the shared part on ``frame`` and the
    goals on :attr:`~jointbonus.sharedtarget.pay.groups.MonthFrame.own`, added (the
    amounts a member's month total, and so a cap, is made of)."""
    if frame.own is None:
        return member_units(plan, frame, terms, outcome)
    shared_only, goals_only = split_outcomes(outcome)
    shared = member_units(plan, replace(frame, own=None), terms, shared_only)
    goals = member_units(plan, frame.own, terms, goals_only)
    return [a + b for a, b in zip(shared, goals, strict=True)]


def member_parts(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> list[int]:
    """Per group: how many parts of a member's line can be non-zero at ``outcome`` (see
    :func:`line_parts`), the shared part and the goals each counted on the frame they are
    paid on (:func:`month_units`)."""
    if frame.own is None:
        paid_on = [(frame, outcome)]
    else:
        shared_only, goals_only = split_outcomes(outcome)
        paid_on = [(replace(frame, own=None), shared_only), (frame.own, goals_only)]
    counts = [0] * len(frame.groups.counts)
    for part_frame, part_outcome in paid_on:
        per_team = line_parts(plan, terms, part_outcome)
        groups = part_frame.groups
        values = member_values(plan, part_frame)
        for group, (value, team) in enumerate(zip(values, groups.teams, strict=True)):
            if value:
                mix = groups.mixes.get(group)
                counts[group] += sum(per_team[t] for t, _ in mix) if mix else per_team[team]
    return counts


def mixed_amount(rates: Sequence[Fraction], mix: tuple[tuple[int, int], ...]) -> Fraction:
    """The exact amount per member of a group that spends the month in several teams: each
    team's rate on the value earned in it (:attr:`~jointbonus.sharedtarget.pay.groups.
    Groups.mixes`)."""
    return sum((rates[team] * value for team, value in mix), _ZERO)


def member_values(plan: Plan, frame: MonthFrame) -> list[int]:
    """Each group's whole-number value per member in the month: its split weight, that is
    units, or units x salary or target bonus (pool funding), or the sum over the member's
    rows of target bonus x FTE-days (individual; 0 for a member not eligible).

    Under individual funding the split weight sums each day's target bonus, over the
    month or, in the month that ends a longer shared period, over the period's months
    (:mod:`jointbonus.sharedtarget.pay.periods`): a target bonus that changes inside the
    period pays each day's amount, as it does inside a month. A member's exact amount is
    this value times their team's rate (:func:`team_rates`), so costs compare and add
    whole numbers per group.
    """
    return list(frame.split)


def team_rates(
    plan: Plan,
    frame: MonthFrame,
    terms: Terms,
    outcome: Outcome,
    *,
    by_team: Sequence[Fraction] | None = None,
    per_weight: Fraction | None = None,
) -> list[Fraction]:
    """Per team: a member's exact amount per unit of :func:`member_values`, minor units.

    ``by_team`` is :func:`brackets` at ``terms`` and ``outcome``, where the caller has it
    already: it depends on the outcome alone, not on the month. ``per_weight`` is the
    month's :func:`pool_per_weight` under pool funding, likewise: it depends on the month
    alone."""
    if by_team is None:
        by_team = brackets(plan, terms, outcome)
    if plan.funding is FundingStyle.POOL:
        if not frame.eligible:
            return [_ZERO] * len(by_team)
        if per_weight is None:
            per_weight = pool_per_weight(plan, frame, terms)
    else:
        per_weight = frame.at_target(terms.scale) / (12 * FTE_SCALE * frame.days)
    return [per_weight * b for b in by_team]


def share_out(
    plan: Plan,
    frame: MonthFrame,
    terms: Terms,
    outcome: Outcome,
    year_to_date: YearToDate | None = None,
) -> MonthPay:
    """The month's parts and each group's shares at ``outcome``, then the caps.

    Pool funding: each part's pool is ``round(exact part)``: the shared part
    is ``scale x shared factor x sum over teams whose shared part pays of w x
    team split weight / total``, split by split weight x w; a goal's part is
    ``scale x goal factor x (1 - w) x goal weight x team split weight /
    total``, split within the team by split weight. Shares go by largest
    remainder (ties to the lower member id); nothing is paid if nobody is
    eligible. Individual funding: each member's line of each part is rounded.

    Caps are applied to each member's month total after the parts are shared
    out: at most ``caps.per_month``, and at most ``caps.per_year`` less what the
    member was paid earlier in the plan year (``year_to_date``).
    """
    return share_parts(plan, frame, terms, outcome).capped_by(
        plan.functional.caps, frame.groups.counts, year_to_date
    )


def share_parts(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> MonthPay:
    """:func:`share_out` before the caps: the parts, each group's shares, nothing cut.

    What the caps cut depends on the year so far; the parts do not, so whoever
    pays one outcome under many years to date shares out once and applies
    :meth:`MonthPay.capped_by` to each.
    """
    if frame.own is not None:
        return _share_split(plan, frame, frame.own, terms, outcome)
    teams = goal_teams(plan)
    if plan.funding is FundingStyle.POOL:
        parts = _pool_parts(plan, frame, terms, outcome, teams)
    else:
        parts = _line_parts(plan, frame, terms, outcome, teams)
    counts = frame.groups.counts
    # Each part is shared out whole (a pool by largest remainder, or the sum of its lines),
    # unless nobody is eligible for a pool: then nothing is shared out.
    pooled = plan.funding is FundingStyle.POOL
    earned = sum(part.pool for part in parts) if frame.eligible or not pooled else 0
    return MonthPay(parts[0], tuple(parts[1:]), {}, earned, MonthTotals(parts, counts))


def split_outcomes(outcome: Outcome) -> tuple[Outcome, Outcome]:
    """``outcome`` as two: its shared part alone (every goal at 0) and its goals alone (the
    shared part at 0), for a month whose parts are paid on two frames."""
    nothing = (_ZERO,) * len(outcome.functional)
    return Outcome(outcome.shared, outcome.team_shared, nothing), Outcome(
        _ZERO, (), outcome.functional
    )


def _share_split(
    plan: Plan, frame: MonthFrame, own: MonthFrame, terms: Terms, outcome: Outcome
) -> MonthPay:
    """:func:`share_parts` of a month whose shared part is paid on ``frame`` (the period's,
    or no one inside a period) and its goals on ``own`` (the month on its own)."""
    shared_only, goals_only = split_outcomes(outcome)
    shared = share_parts(plan, replace(frame, own=None), terms, shared_only)
    goals = share_parts(plan, own, terms, goals_only)
    parts = (shared.shared, *goals.functional)
    earned = shared.shared.pool if frame.eligible or plan.funding is not FundingStyle.POOL else 0
    if own.eligible or plan.funding is not FundingStyle.POOL:
        earned += sum(part.pool for part in goals.functional)
    totals = MonthTotals(parts, frame.groups.counts)
    return MonthPay(parts[0], parts[1:], {}, earned, totals)


def team_split_weights(
    plan: Plan,
    frame: MonthFrame,
    values: Sequence[int] | None = None,
    *,
    only: Sequence[bool] | None = None,
) -> list[int]:
    """Each team's split weight in the month: its groups' split weights x their counts, a
    member who moves team during the month counting the weight of their days in each.

    The one place a mover's weight is put in its teams (:attr:`~jointbonus.sharedtarget.
    pay.groups.Groups.mixes`). ``values``, one per group, are summed instead of the
    split weights, the same way (:func:`member_values`: under individual funding, target
    bonus x FTE-days); a mixed group's value is the sum of its mix. ``only`` keeps the
    groups it marks. One entry per team of ``plan.functional.terms`` (one without goals).
    """
    groups = frame.groups
    mixes = groups.mixes
    if not plan.weighted and only is None and not mixes:  # one team: a sum over the groups
        return [sum(map(mul, frame.split if values is None else values, groups.counts))]
    team_weight = [0] * (len(plan.functional.terms) if plan.weighted else 1)
    for group, (value, count, team) in enumerate(
        zip(frame.split if values is None else values, groups.counts, groups.teams, strict=True)
    ):
        if not value or (only is not None and not only[group]):
            continue
        mix = mixes.get(group) if mixes else None
        if mix is None:
            team_weight[team] += value * count
        else:  # a move during the month: each team the value of its days
            for mixed_team, mixed_value in mix:
                team_weight[mixed_team] += mixed_value * count
    return team_weight


@dataclass(frozen=True, slots=True)
class PoolFactors:
    """What :func:`pool_exacts` takes from the outcome alone, whatever the month."""

    whole: list[int]
    """Per team: its weight in the shared pool (w x its shared factor) x :attr:`common`."""
    common: int
    """The common denominator of the teams' weights in the shared pool."""
    goals: list[Fraction]
    """Per goal: the factor on its team's split weight, ``(1 - w) x goal weight x goal
    factor``."""


def pool_factors(plan: Plan, terms: Terms, outcome: Outcome, teams: list[int]) -> PoolFactors:
    """The outcome's part of :func:`pool_exacts` in a plan with goals (``teams``: each
    goal's team, :func:`goal_teams`): whoever costs many months at one outcome makes it
    once."""
    weights = [terms.weight(t) * outcome.shared_for(t) for t in range(len(plan.functional.terms))]
    common = lcm(*(w.denominator for w in weights))
    goals = [
        factor * (1 - terms.weight(team)) * goal.weight
        for goal, team, factor in zip(plan.goals, teams, outcome.functional, strict=True)
    ]
    return PoolFactors([int(w * common) for w in weights], common, goals)


def pool_per_weight(plan: Plan, frame: MonthFrame, terms: Terms) -> Fraction:
    """An eligible month's pool at target per unit of split weight, in minor units: the
    month's part of :func:`pool_exacts` and :func:`team_rates` under pool funding."""
    return frame.at_target(terms.scale) * plan.currency.scale / frame.total_split_weight


def pool_exacts(
    plan: Plan,
    frame: MonthFrame,
    terms: Terms,
    outcome: Outcome,
    teams: list[int],
) -> tuple[list[Fraction], list[int]]:
    """Each part's exact pool (minor units) of an eligible month of a plan with goals, and
    each team's whole-number weight in the shared pool (:class:`PoolFactors`)."""
    per_weight = pool_per_weight(plan, frame, terms)
    team_weight = team_split_weights(plan, frame)
    factors = pool_factors(plan, terms, outcome, teams)
    shared = Fraction(sum(w * tw for w, tw in zip(factors.whole, team_weight, strict=True)))
    exacts = [per_weight * shared / factors.common]
    exacts.extend(
        per_weight * factor * team_weight[team]
        for factor, team in zip(factors.goals, teams, strict=True)
    )
    return exacts, factors.whole


def pool_units(
    per_weight: Fraction, factors: PoolFactors, teams: list[int], team_weight: Sequence[int]
) -> list[tuple[int, int]]:
    """:func:`pool_exacts` as whole numbers: each part's exact pool as a numerator and a
    denominator above 0 (not reduced), from the month's :func:`pool_per_weight`, the
    outcome's :class:`PoolFactors` and each team's split weight in the month."""
    numerator, denominator = per_weight.numerator, per_weight.denominator
    shared = sum(w * tw for w, tw in zip(factors.whole, team_weight, strict=True))
    units = [(numerator * shared, denominator * factors.common)]
    for factor, team in zip(factors.goals, teams, strict=True):
        units.append(
            (numerator * factor.numerator * team_weight[team], denominator * factor.denominator)
        )
    return units


def _pool_parts(
    plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome, teams: list[int]
) -> list[Part]:
    groups = frame.groups
    count = 1 + len(teams)
    nobody = (NO_SHARE,) * len(groups.counts)
    if not frame.eligible:  # nobody to pay: the pool is stated, nothing is shared out
        nominal = round_half_up(frame.at_target(terms.scale) * outcome.shared * plan.currency.scale)
        return [Part(nominal, _ZERO, nobody)] + [Part(0, _ZERO, nobody)] * (count - 1)
    if not plan.weighted:
        exact = frame.at_target(terms.scale) * outcome.shared * plan.currency.scale
        return [_pool_part(exact, frame.split, groups.positions)]
    exacts, whole = pool_exacts(plan, frame, terms, outcome, teams)
    shared = tuple(w * whole[t] for w, t in zip(frame.split, groups.teams, strict=True))
    mixes = groups.mixes
    if mixes:  # a move during the month: the shared weight sums the days in each team
        shared = _mixed(shared, {g: sum(v * whole[t] for t, v in m) for g, m in mixes.items()})
    parts = [_pool_part(exacts[0], shared, groups.positions)]
    for exact, team in zip(exacts[1:], teams, strict=True):
        weights = tuple(
            w if t == team else 0 for w, t in zip(frame.split, groups.teams, strict=True)
        )
        if mixes:  # a team's functional part: the days in the team alone
            weights = _mixed(weights, {g: dict(m).get(team, 0) for g, m in mixes.items()})
        parts.append(_pool_part(exact, weights, groups.positions))
    return parts


def _mixed(weights: tuple[int, ...], mixed: Mapping[int, int]) -> tuple[int, ...]:
    """``weights`` with the groups of ``mixed`` given their own."""
    changed = list(weights)
    for group, weight in mixed.items():
        changed[group] = weight
    return tuple(changed)


def _pool_part(
    exact: Fraction, weights: tuple[int, ...], positions: tuple[tuple[int, ...], ...]
) -> Part:
    pool = round_half_up(exact)
    if not pool:
        return Part(0, exact, (NO_SHARE,) * len(weights), weights)
    shares = allocate_groups(pool, list(zip(weights, positions, strict=True)))
    return Part(pool, exact, tuple(shares), weights)


def _line_parts(
    plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome, teams: list[int]
) -> list[Part]:
    groups = frame.groups
    per_value = frame.at_target(terms.scale) / (12 * FTE_SCALE * frame.days)
    values = member_values(plan, frame)
    parts = []
    mixes = groups.mixes
    for by_team in line_factors(plan, terms, outcome, teams):
        rates = [per_value * f for f in by_team]
        exact_value = [0] * len(rates)
        pool = 0
        shares = []
        for group, (value, team, count) in enumerate(
            zip(values, groups.teams, groups.counts, strict=True)
        ):
            mix = mixes.get(group) if mixes and value else None
            if mix is not None:  # a move during the month: each team's rate on its days
                amount = round_half_up(mixed_amount(rates, mix))
                for mixed_team, mixed_value in mix:
                    exact_value[mixed_team] += mixed_value * count
            else:
                amount = round_product(rates[team], value) if value else 0
                exact_value[team] += value * count
            pool += amount * count
            shares.append(GroupShare(amount, 0, 1) if amount else NO_SHARE)
        exact = sum((r * v for r, v in zip(rates, exact_value, strict=True)), _ZERO)
        parts.append(Part(pool, exact, tuple(shares)))
    return parts


def line_parts(plan: Plan, terms: Terms, outcome: Outcome) -> list[int]:
    """Per team: how many parts of a member's line can be non-zero at ``outcome``."""
    factors = line_factors(plan, terms, outcome, goal_teams(plan))
    teams = len(factors[0])
    return [sum(1 for by_team in factors if by_team[t]) for t in range(teams)]


def line_factors(
    plan: Plan, terms: Terms, outcome: Outcome, teams: list[int]
) -> list[list[Fraction]]:
    """Per part, per team: the factor on a member's target amount (individual funding)."""
    team_range = range(len(plan.functional.terms) if plan.weighted else 1)
    factors = [[terms.weight(t) * outcome.shared_for(t) for t in team_range]]
    for goal, team, factor in zip(plan.goals, teams, outcome.functional, strict=True):
        factors.append(
            [
                (1 - terms.weight(t)) * goal.weight * factor if t == team else _ZERO
                for t in team_range
            ]
        )
    return factors
