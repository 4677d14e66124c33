"""What plan-year paths through history cost after rounding and caps, counted by class.

Calibration costs a capped plan on every historical path: each plan month
at one outcome, the per-year cap following each member through the year.
:class:`~jointbonus.sharedtarget.pay.cost.MonthCoster` does that member by
member (group by group, as runs over their ranks); this module gives the same
figures to the unit and the bound, with far less work, for pool funding
without forfeited holdbacks:

* In a month, the members of one team with one split weight (a **class**:
  it gathers every pay group alike that month) get the same floor of each
  part's pool, and the leftover units of a part go to a prefix of them in
  member order (a largest-remainder split hands a tied level its lowest
  positions, and the lowest positions of a level are a prefix of each class
  in it). What the class is paid, and what the monthly cap cuts, follow from
  how many members each part bumps, not from which.
* The per-year cap depends on each member's year so far. A pay group whose
  year, at the most each month could pay its members, stays below the cap
  is never cut by it and adds nothing to the bound: only the groups that
  could reach it are followed, as runs over their ranks, with their exact
  year for the bound.

:func:`path_costs` answers for the plans it covers (:func:`covers`);
calibration costs the others month by month.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from fractions import Fraction
from itertools import accumulate, chain, repeat
from math import lcm
from operator import add, mul

from jointbonus.core.money import lowest_position
from jointbonus.core.number import round_quotient
from jointbonus.core.periods import YEAR
from jointbonus.sharedtarget.pay.caps import Runs, merge_runs
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome, Terms, brackets, goal_teams
from jointbonus.sharedtarget.pay.sharing import (
    PoolFactors,
    line_parts,
    member_values,
    pool_factors,
    pool_per_weight,
    pool_units,
    team_rates,
)
from jointbonus.sharedtarget.plan import FundingStyle, Plan

__all__ = ["at_least", "covers", "outcome_keys", "path_costs", "set_bits"]


PathCost = tuple[list[int], Fraction]
"""What each month of a path pays (minor units), and the path's rounding bound."""


def covers(plan: Plan, frames: Sequence[MonthFrame], terms: Terms) -> bool:
    """Whether :func:`path_costs` costs ``plan``'s paths: pool funding, a scale above 0,
    nobody forfeiting a holdback, nobody moving team during a month (a class is one team),
    every part of a month paid on one frame (not goals beside a longer shared period),
    and months framed from the start of a plan year."""
    if plan.funding is not FundingStyle.POOL or terms.scale <= 0 or not frames:
        return False
    for frame in frames:
        # (a month paying its goals on a frame of its own: its classes are not one frame's)
        if frame.groups.mixes or frame.own is not None:
            return False
    first = frames[0].index
    if first % YEAR or any(frame.index != first + j for j, frame in enumerate(frames)):
        return False
    if plan.holdback:
        for frame in frames:
            if any(f and w for f, w in zip(frame.groups.forfeits, frame.split, strict=True)):
                return False
    return True


def outcome_keys(paths: Sequence[Sequence[Outcome]]) -> tuple[list[Outcome], list[list[int]]]:
    """The distinct outcomes on ``paths``, and each path as their places in that list.

    An outcome is looked up by identity first: the paths repeat the same objects, and
    hashing an outcome hashes each of its fractions."""
    outcomes: list[Outcome] = []
    places: dict[Outcome, int] = {}
    by_id: dict[int, int] = {}
    keyed = []
    for path in paths:
        row = []
        for outcome in path:
            k = by_id.get(id(outcome))
            if k is None:
                k = places.get(outcome)
                if k is None:
                    k = places[outcome] = len(outcomes)
                    outcomes.append(outcome)
                by_id[id(outcome)] = k
            row.append(k)
        keyed.append(row)
    return outcomes, keyed


class _Unsupported(Exception):
    """A month this module does not cost (a pool below 0): the caller costs it member by
    member."""


class _Classes:
    """One plan month's classes: pay groups of one team and one value per member."""

    __slots__ = (
        "_by_value",
        "_merged",
        "_of_team",
        "class_of",
        "counts",
        "groups",
        "per_weight",
        "positions",
        "shares",
        "sizes",
        "team_weight",
        "teams",
        "values",
    )

    def __init__(self, plan: Plan, frame: MonthFrame, terms: Terms) -> None:
        index: dict[tuple[int, int], int] = {}
        class_of: list[int] = []
        teams: list[int] = []
        values: list[int] = []
        sizes: list[int] = []
        groups: list[list[int]] = []
        counts = frame.groups.counts
        for group, (value, team, count) in enumerate(
            zip(member_values(plan, frame), frame.groups.teams, counts, strict=True)
        ):
            if not value:
                class_of.append(-1)
                continue
            found = index.get((team, value))
            if found is None:
                found = index[team, value] = len(teams)
                teams.append(team)
                values.append(value)
                sizes.append(0)
                groups.append([])
            sizes[found] += count
            groups[found].append(group)
            class_of.append(found)
        self.class_of = class_of
        self.teams = teams
        self.values = values
        self.sizes = sizes
        self.groups = groups
        self.counts = counts
        self.positions = frame.groups.positions
        self.team_weight = [0] * max(len(plan.functional.terms), 1)
        """Each team's split weight in the month."""
        for team, value, size in zip(teams, values, sizes, strict=True):
            self.team_weight[team] += value * size
        self.per_weight = pool_per_weight(plan, frame, terms) if frame.eligible else None
        """The month's pool at target per unit of split weight (:func:`pool_per_weight`)."""
        self.shares: dict[tuple[int, int], tuple[list[int], list[int] | None, int | None]] = {}
        """A goal's part of the month shared out, by the goal and its pool (see
        :class:`_Month`): the goal's weights are the month's, whatever the outcome."""
        self._merged: dict[int, list[int]] = {}
        self._of_team: dict[int, list[int]] = {}
        self._by_value: dict[int, tuple[list[int], list[int]]] = {}

    def of_team(self, team: int) -> list[int]:
        """Each class's value if it is in ``team``, else 0: a goal's weights, whatever the
        outcome."""
        found = self._of_team.get(team)
        if found is None:
            found = self._of_team[team] = [
                v if t == team else 0 for v, t in zip(self.values, self.teams, strict=True)
            ]
        return found

    def by_value(self, team: int) -> tuple[list[int], list[int]]:
        """The values of ``team``'s classes, ascending, and how many members have each
        value or more (one more entry: 0)."""
        found = self._by_value.get(team)
        if found is None:
            found = self._by_value[team] = _members_by_value(
                (v, size)
                for v, size, t in zip(self.values, self.sizes, self.teams, strict=True)
                if t == team
            )
        return found

    def merged(self, c: int) -> list[int]:
        """The positions of class ``c``'s members, ascending."""
        found = self._merged.get(c)
        if found is None:
            positions = self.positions
            found = self._merged[c] = sorted(
                chain.from_iterable(positions[g] for g in self.groups[c])
            )
        return found


class _Month:
    """One plan month at one paying outcome: each class's floor and bumps, and what the
    month pays and its bound under the monthly cap alone."""

    __slots__ = (
        "_by_group",
        "_by_team",
        "_classes",
        "_month_cap",
        "_most",
        "bases",
        "bumps",
        "halves",
        "paid",
        "partial",
        "team_parts",
        "whole",
    )

    def __init__(
        self,
        plan: Plan,
        frame: MonthFrame,
        classes: _Classes,
        terms: Terms,
        outcome: Outcome,
        *,
        part_counts: list[int],
        brackets_at: list[Fraction],
        factors: PoolFactors | None,
    ) -> None:
        month_cap = plan.functional.caps.per_month
        self._classes = classes
        self._month_cap = month_cap
        self._by_group: dict[int, tuple[Runs, int, int]] = {}
        teams, values, sizes = classes.teams, classes.values, classes.sizes
        rates = team_rates(
            plan, frame, terms, outcome, by_team=brackets_at, per_weight=classes.per_weight
        )
        self.team_parts = part_counts
        """Per team: how many parts of a member's line can be non-zero (for the bound)."""
        self.whole = rates
        """Per team: a member's exact amount per unit of value (:func:`team_rates`)."""
        # Each part's exact pool as a whole numerator and denominator (:func:`pool_units`).
        weights: list[list[int]]
        exacts: list[tuple[int, int]]
        per_weight = classes.per_weight
        if per_weight is None:  # nobody eligible
            exacts = []
            weights = []
        elif factors is not None:
            goals = goal_teams(plan)
            exacts = pool_units(per_weight, factors, goals, classes.team_weight)
            team_whole = factors.whole
            weights = [[v * team_whole[t] for v, t in zip(values, teams, strict=True)]]
            weights.extend(classes.of_team(goal) for goal in goals)
        else:
            exact = frame.at_target(terms.scale) * outcome.shared * plan.currency.scale
            exacts = [(exact.numerator, exact.denominator)]
            weights = [values]
        count = len(teams)
        bases = [0] * count
        # Per part with leftover units: each class's bumped members, and where a level of
        # tied remainders is bumped in part, each of its groups' bumped members.
        bumps: list[list[int]] = []
        partial: list[int | None] = []
        earned = rounded = 0
        for p, ((numerator, denominator), part) in enumerate(zip(exacts, weights, strict=True)):
            if numerator:
                rounded += 1
            pool = round_quotient(numerator, denominator)
            if pool < 0:
                raise _Unsupported
            earned += pool
            if not pool:
                continue
            # A goal's weights (or the values, without goals) are the month's: its part at a
            # pool met before is shared out alike.
            key = (p, pool) if p or factors is None else None
            shared = classes.shares.get(key) if key is not None else None
            if shared is None:
                shared = _share_part(pool, part, classes)
                if key is not None:
                    classes.shares[key] = shared
            floors, bumped, split = shared
            bases = list(map(add, bases, floors))
            if bumped is not None:
                bumps.append(bumped)
                partial.append(split)
        self.bases = bases
        self.bumps = bumps
        self.partial = partial
        # Per team: its rate as whole numbers, and the bound a member cut adds (3 units per
        # part of their line, unless the monthly cap binds their exact amount).
        self._most = 2 * len(exacts)
        self._by_team = [
            (r.numerator, r.denominator, 3 * part_counts[t] if r.numerator else 0)
            for t, r in enumerate(rates)
        ]
        binding_members = cut = cut_bound = 0
        if month_cap is not None:
            # The cap binds a member's exact amount from a value on, per team: the members
            # from there on, found among the team's classes in order of value.
            for team, (n, d, _) in enumerate(self._by_team):
                if n:
                    binding = _binding_members(classes.by_value(team), month_cap, n, d)
                    binding_members += part_counts[team] * binding
            over = month_cap - len(bumps)  # a class whose most is above the cap
            for c in [c for c, base in enumerate(bases) if base > over]:
                taken, members = _month_cut(self._runs(c, sizes[c], None), month_cap)
                cut += taken
                cut_bound += self.cut_adds(c) * members
        self.paid = earned - cut
        self.halves = rounded + 2 * (3 * binding_members + cut_bound)
        """The month's rounding bound under the monthly cap alone, in half minor units."""

    def cut_adds(self, c: int) -> int:
        """What a member of class ``c`` adds to the bound if a cap cuts them: 3 units per
        part of their line, unless the monthly cap binds their exact amount."""
        n, d, adds = self._by_team[self._classes.teams[c]]
        month_cap = self._month_cap
        if month_cap is None or self._classes.values[c] * n < month_cap * d:
            return adds
        return 0

    def reach(self) -> list[int]:
        """Per class: the most a member's month could reach, rounded or exact."""
        most, month_cap = self._most, self._month_cap
        if month_cap is None:
            return [base + most for base in self.bases]
        return [base + most if base + most < month_cap else month_cap for base in self.bases]

    def _runs(self, c: int, size: int, group: int | None) -> Runs:
        """What the members of class ``c`` (or of its pay ``group`` of ``size`` members) get
        in the month, all parts together, as runs over their ranks."""
        ends: list[int] = []
        for bumped, split in zip(self.bumps, self.partial, strict=True):
            k = bumped[c]
            if not k:
                continue
            if group is not None:
                if k == self._classes.sizes[c]:
                    k = size
                elif split is not None:
                    k = bisect_right(self._classes.positions[group], split)
            if k:
                ends.append(k)
        base = self.bases[c]
        if not ends:
            return ((size, base),)
        ends.sort()
        runs: list[tuple[int, int]] = []
        higher = len(ends)  # the parts that bump the ranks from ``low`` on
        low = 0
        for k in ends:
            if k >= size:
                break
            if k > low:
                runs.append((k, base + higher))
                low = k
            higher -= 1
        runs.append((size, base + higher))
        return tuple(runs)

    def group(self, group: int) -> tuple[Runs, int, int]:
        """A pay group's month totals as runs, and what the monthly cap alone cuts from them
        and from how many members."""
        found = self._by_group.get(group)
        if found is None:
            c = self._classes.class_of[group]
            size = self._classes.counts[group]
            if c < 0:
                found = ((size, 0),), 0, 0
            else:
                runs = self._runs(c, size, group)
                if self._month_cap is None:
                    found = runs, 0, 0
                else:
                    found = runs, *_month_cut(runs, self._month_cap)
            self._by_group[group] = found
        return found


def _share_part(
    pool: int, part: list[int], classes: _Classes
) -> tuple[list[int], list[int] | None, int | None]:
    """A part's ``pool`` shared out over the classes by their weights in ``part``: each
    class's floor, and if units are left over each class's bumped members and where a
    level of tied remainders is bumped in part, the last position bumped in it."""
    sizes = classes.sizes
    total = sum(map(mul, part, sizes))
    if not total:
        raise _Unsupported
    # Each class's floor and remainder, pool x weight divided by the total weight (a class
    # of weight 0: 0 and 0).
    floors_remainders = list(map(divmod, map(mul, repeat(pool), part), repeat(total)))
    floors = [floor for floor, _ in floors_remainders]
    leftover = pool - sum(map(mul, floors, sizes))
    if not leftover:
        return floors, None, None
    remainders = [remainder for _, remainder in floors_remainders]
    count = len(part)
    bumped = [0] * count
    # Largest remainders first, a level of equal remainders in class order (a stable sort).
    # The units run out inside the level of the class at place ``k`` in that order, the
    # first whose members, added to those before it, outnumber them: the levels before it
    # are bumped whole (the classes without a remainder are never reached).
    order = sorted(range(count), key=remainders.__getitem__, reverse=True)
    members = list(accumulate(map(sizes.__getitem__, order)))
    k = bisect_right(members, leftover)
    remainder = remainders[order[k]]
    start = k
    while start and remainders[order[start - 1]] == remainder:
        start -= 1
    for c in order[:start]:
        bumped[c] = sizes[c]
    if start:
        leftover -= members[start - 1]
        if not leftover:
            return floors, bumped, None
    end = k + 1
    while end < count and remainders[order[end]] == remainder:
        end += 1
    level = order[start:end]
    # The level's lowest positions: the last of them decides each group's count.
    if len(level) == 1:
        bumped[level[0]] = leftover
        last = classes.merged(level[0])[leftover - 1]
    else:
        merged = [classes.merged(c) for c in level]
        last = lowest_position(leftover, merged)
        for c, found in zip(level, merged, strict=True):
            bumped[c] = bisect_right(found, last)
    return floors, bumped, last


def _members_by_value(classes: Iterable[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Classes of one team as (value, members), each value once: the values ascending,
    and how many members have each value or more (one more entry: 0)."""
    ordered = sorted(classes)
    members_from = list(accumulate(size for _, size in reversed(ordered)))[::-1]
    return [v for v, _ in ordered], [*members_from, 0]


def _binding_members(by_value: tuple[list[int], list[int]], cap: int, n: int, d: int) -> int:
    """How many members of a team (:func:`_members_by_value`) have an exact amount at or
    above ``cap``, their value times the rate ``n / d`` (above 0): those from the least
    whole value there on."""
    ordered, members_from = by_value
    return members_from[bisect_left(ordered, -(-cap * d // n))]


def _month_cut(runs: Runs, cap: int) -> tuple[int, int]:
    """What ``cap`` cuts from the members paid ``runs``, and how many members it cuts."""
    cut = members = start = 0
    for end, amount in runs:
        if amount > cap:
            cut += (amount - cap) * (end - start)
            members += end - start
        start = end
    return cut, members


def path_costs(
    plan: Plan, frames: Sequence[MonthFrame], terms: Terms, paths: Sequence[Sequence[Outcome]]
) -> list[PathCost] | None:
    """What each path's months pay after rounding and caps, and the path's rounding bound,
    as :class:`~jointbonus.sharedtarget.pay.cost.MonthCoster` counts them; ``None`` where
    a month is beyond this module (see :func:`covers`, which the caller checks first)."""
    try:
        return _path_costs(plan, frames, terms, paths)
    except _Unsupported:
        return None


def _path_costs(
    plan: Plan, frames: Sequence[MonthFrame], terms: Terms, paths: Sequence[Sequence[Outcome]]
) -> list[PathCost]:
    classes = [_Classes(plan, frame, terms) for frame in frames]
    outcomes, keyed = outcome_keys(paths)
    pays = [outcome.pays for outcome in outcomes]
    # Per outcome, whatever the month: line_parts, the brackets of team_rates, and the
    # outcome's part of the pools (a plan with goals).
    parts: dict[int, tuple[list[int], list[Fraction], PoolFactors | None]] = {}
    teams = goal_teams(plan)
    months: dict[tuple[int, int], _Month] = {}
    for path in keyed:
        for j, k in enumerate(path):
            if pays[k] and (j, k) not in months:
                outcome = outcomes[k]
                found = parts.get(k)
                if found is None:
                    found = parts[k] = (
                        line_parts(plan, terms, outcome),
                        brackets(plan, terms, outcome),
                        pool_factors(plan, terms, outcome, teams) if plan.weighted else None,
                    )
                months[j, k] = _Month(
                    plan,
                    frames[j],
                    classes[j],
                    terms,
                    outcome,
                    part_counts=found[0],
                    brackets_at=found[1],
                    factors=found[2],
                )
    year_cap = plan.functional.caps.per_year
    if year_cap is None:
        results = []
        for path in keyed:
            costs = []
            halves = 0
            for j, k in enumerate(path):
                month = months.get((j, k))
                if month is None:
                    costs.append(0)
                else:
                    costs.append(month.paid)
                    halves += month.halves
            results.append((costs, Fraction(halves, 2)))
        return results
    year = _Year(plan, frames, classes, months, year_cap)
    return [year.path(path) for path in keyed]


class _Year:
    """The per-year cap on a path, plan year by plan year, for the groups it may reach."""

    def __init__(
        self,
        plan: Plan,
        frames: Sequence[MonthFrame],
        classes: Sequence[_Classes],
        months: dict[tuple[int, int], _Month],
        year_cap: int,
    ) -> None:
        month_cap = plan.functional.caps.per_month
        self._frames = frames
        self._months = months
        self._month_cap = month_cap
        self._year_cap = year_cap
        # Exact amounts as whole numbers over one common denominator, for the bound.
        common = lcm(1, *(r.denominator for m in months.values() for r in m.whole))
        self._whole = {
            key: [r.numerator * (common // r.denominator) for r in m.whole]
            for key, m in months.items()
        }
        self._values = [member_values(plan, frame) for frame in frames]
        self._month_cap_whole = month_cap * common if month_cap is not None else None
        self._year_cap_whole = year_cap * common
        self._reach: dict[tuple[int, int], list[int]] = {}
        # Under a monthly cap, a month pays a member at most that cap, so a year reaches
        # the yearly cap only in ``need`` paying months or more: the groups in a class in
        # that many of a year's paying months, as bits (:func:`at_least`), are the only
        # ones whose most in the year is worth adding up.
        self._need = (
            -(-year_cap // month_cap) if month_cap is not None and month_cap > 0 < year_cap else 0
        )
        self._paid = [
            sum(1 << group for group, c in enumerate(frame_classes.class_of) if c >= 0)
            for frame_classes in classes
        ]
        self._everyone = (1 << len(frames[0].groups.counts)) - 1 if frames else 0

    def _class_reaches(self, j: int, outcome: int) -> tuple[list[int], list[int]]:
        """Per class: the most a member could be paid in month ``j`` at ``outcome``, one
        more entry (0) for a group in no class (-1); and each pay group's class."""
        key = (j, outcome)
        found = self._reach.get(key)
        if found is None:
            month = self._months[key]
            found = self._reach[key] = [*month.reach(), 0]
        return found, self._months[key]._classes.class_of

    def _reaches(self, j: int, outcome: int) -> list[int]:
        """Per pay group: the most a member could be paid in month ``j`` at ``outcome``."""
        reach, class_of = self._class_reaches(j, outcome)
        return list(map(reach.__getitem__, class_of))

    def path(self, path: Sequence[int]) -> PathCost:
        """A path's costs and bound, its outcomes by their place (:func:`outcome_keys`)."""
        costs = []
        halves = 0  # the bound in half units: whole units but for half a unit a pool
        start = 0
        while start < len(path):
            span = range(start, min(start + YEAR, len(path)))
            start = span.stop
            paying = [(j, path[j]) for j in span if (j, path[j]) in self._months]
            year_costs = [0] * len(span)
            for j in span:
                month = self._months.get((j, path[j]))
                if month is not None:
                    year_costs[j - span.start] = month.paid
                    halves += month.halves
            if paying:
                # Per group: the most its members could be paid in the year, month by month.
                cap = self._year_cap
                reaching: Iterable[int]
                if self._need:
                    tops = [self._class_reaches(j, o) for j, o in paying]
                    reaching = [
                        group
                        for group in set_bits(
                            at_least([self._paid[j] for j, _ in paying], self._need, self._everyone)
                        )
                        if sum(top[class_of[group]] for top, class_of in tops) >= cap
                    ]
                else:
                    most = self._reaches(*paying[0])
                    for j, o in paying[1:]:
                        most = list(map(add, most, self._reaches(j, o)))
                    reaching = [group for group, top in enumerate(most) if top >= cap]
                for group in reaching:
                    halves += 2 * self._follow(group, paying, span.start, year_costs)
            costs.extend(year_costs)
        return costs, Fraction(halves, 2)

    def _follow(
        self,
        group: int,
        paying: Sequence[tuple[int, int]],
        first: int,
        year_costs: list[int],
    ) -> int:
        """Follow ``group`` through a plan year: correct ``year_costs`` for what the
        per-year cap cuts, and return what the group changes in the bound (whole units)."""
        month_cap, year_cap = self._month_cap, self._year_cap
        month_cap_whole = self._month_cap_whole

        def cut_of(amount: int, paid: int) -> int:
            allowed = amount
            if month_cap is not None and allowed > month_cap:
                allowed = month_cap
            allowed = min(allowed, max(year_cap - paid, 0))
            return amount - allowed if allowed < amount else 0

        bound = 0
        ytd: Runs | None = None
        exact = lines = 0
        for j, outcome in paying:
            month = self._months[j, outcome]
            frame = self._frames[j]
            team = frame.groups.teams[group]
            lines += month.team_parts[team]
            value = self._values[j][group]
            if value:
                amount = self._whole[j, outcome][team] * value
                exact += (
                    amount
                    if month_cap_whole is None or amount < month_cap_whole
                    else month_cap_whole
                )
            runs, month_cut, month_members = month.group(group)
            if runs[-1][1] == 0 and len(runs) == 1:
                continue
            cut: Runs
            if len(runs) == 1 and (ytd is None or len(ytd) == 1):  # the group paid alike
                size, amount = runs[0]
                cut = ((size, cut_of(amount, ytd[0][1] if ytd is not None else 0)),)
                members = size if cut[0][1] else 0
                taken = cut[0][1] * size
            else:
                before = ytd if ytd is not None else ((runs[-1][0], 0),)
                cut = merge_runs(runs, before, cut_of)
                taken = members = low = 0
                for end, amount in cut:
                    if amount:
                        taken += amount * (end - low)
                        members += end - low
                    low = end
            year_costs[j - first] += month_cut - taken
            c = month._classes.class_of[group]
            if c >= 0:
                bound += month.cut_adds(c) * (members - month_members)
            paid = merge_runs(runs, cut, _less) if taken else runs
            ytd = paid if ytd is None else merge_runs(ytd, paid, _add)
        count = self._frames[0].groups.counts[group]
        if exact >= self._year_cap_whole:
            return bound + 3 * lines * count
        low = 0
        for end, value in ytd or ():
            if value >= year_cap:
                bound += 3 * lines * (end - low)
            low = end
        return bound


def at_least(masks: Sequence[int], need: int, everyone: int) -> int:
    """The bits set in at least ``need`` of ``masks`` (at most ``everyone``'s bits), from a
    count of each bit's masks in binary, one digit an int: ``everyone`` if ``need`` is 0.

    >>> bin(at_least([0b0111, 0b0110, 0b1100], 2, 0b1111))
    '0b110'
    """
    if need <= 0:
        return everyone
    digits: list[int] = []
    for mask in masks:
        carry = mask
        for d, digit in enumerate(digits):
            digits[d], carry = digit ^ carry, digit & carry
            if not carry:
                break
        if carry:
            digits.append(carry)
    found = 0
    for n in range(need, len(masks) + 1):
        counted = everyone
        for d, digit in enumerate(digits):
            counted &= digit if n >> d & 1 else ~digit
        if n >> len(digits):
            counted = 0
        found |= counted
    return found


def set_bits(mask: int) -> Iterator[int]:
    """The places of ``mask``'s set bits, lowest first.

    >>> list(set_bits(0b10110))
    [1, 2, 4]
    """
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _less(amount: int, cut: int) -> int:
    return amount - cut


def _add(a: int, b: int) -> int:
    return a + b
