"""Caps: the most one member is paid in a month and in a plan year.

Caps cut a member's month total after the parts are shared out: to at most
``caps.per_month``, and to at most ``caps.per_year`` less what the member was
paid earlier in the same plan year. What a cap cuts is paid to nobody.

Members of a pay group are paid alike, give or take the leftover units of a
largest-remainder split, which go to the group's first members (its lowest
positions). So what a group's members are paid, cut and paid so far in the
year is a short list of **runs** over their ranks (their places in the
group): ``((end, value), ...)``, each run starting where the one before ended
and the last ending at the group's size. A cap is computed once per run, not
once per member, whatever the size of the group.

A plan year is each run of :data:`YEAR` plan months from the plan's start;
:class:`YearToDate` follows what each group's members were paid in the
current one. It is the one tracker the engine, the pace of the plan summary
and the calibration's historical paths all use.

>>> merge_runs(((2, 10), (5, 7)), ((1, 3), (5, 0)), lambda a, b: a + b)
((1, 13), (2, 10), (5, 7))
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from operator import attrgetter

from jointbonus.core.money import GroupShare
from jointbonus.core.periods import YEAR
from jointbonus.sharedtarget.goals import Caps

__all__ = [
    "Runs",
    "YearToDate",
    "cuts",
    "merge_runs",
    "month_totals",
    "plan_year",
    "run_total",
    "share_runs",
]

Runs = tuple[tuple[int, int], ...]
"""Values over a group's ranks: ``(end, value)`` pairs, ends ascending, the last the size."""


def plan_year(index: int) -> int:
    """The plan year (0 for the first) of the plan month at ``index``."""
    return index // YEAR


def share_runs(shares: Sequence[GroupShare], count: int) -> list[tuple[int, tuple[int, ...]]]:
    """What a group's ``count`` members get of each part, run by run: ``(end, amounts)``.

    ``shares`` holds the group's share of each part; the members given a
    leftover unit of a part are its first ``bumped``, so the amounts change
    only at those counts.
    """
    ends = sorted({bumped for bumped in map(_bumped, shares) if 0 < bumped < count})
    ends.append(count)
    return [(end, tuple([s.share(end - 1) for s in shares])) for end in ends]


_bumped = attrgetter("bumped")


def merge_runs(first: Runs, second: Runs, combine: Callable[[int, int], int]) -> Runs:
    """The runs of ``combine(a, b)`` over two run lists of one group (equal runs joined)."""
    merged: list[tuple[int, int]] = []
    i = j = 0
    while i < len(first) and j < len(second):
        end_a, a = first[i]
        end_b, b = second[j]
        end = min(end_a, end_b)
        value = combine(a, b)
        if merged and merged[-1][1] == value:
            merged[-1] = (end, value)
        else:
            merged.append((end, value))
        if end_a == end:
            i += 1
        if end_b == end:
            j += 1
    return tuple(merged)


def run_total(runs: Runs) -> int:
    """The sum of the values over every rank."""
    total = start = 0
    for end, value in runs:
        total += (end - start) * value
        start = end
    return total


class YearToDate:
    """What each pay group's members were paid so far in the current plan year.

    Call :meth:`start` with each plan month's index before paying it: a month
    that begins a plan year empties the record. :meth:`add` records what a
    group's members were paid in a month, as runs over their ranks.
    """

    __slots__ = ("_paid",)

    def __init__(self) -> None:
        self._paid: dict[int, Runs] = {}

    def start(self, index: int) -> None:
        """Enter plan month ``index``; a new plan year starts with nothing paid."""
        if index % YEAR == 0:
            self._paid = {}

    def add(self, group: int, paid: Runs) -> None:
        """Record what the members of ``group`` were paid this month (runs over ranks)."""
        if len(paid) == 1 and not paid[0][1]:
            return
        before = self._paid.get(group)
        if before is None:
            self._paid[group] = paid
        elif len(before) == 1 and len(paid) == 1:
            self._paid[group] = ((paid[0][0], before[0][1] + paid[0][1]),)
        else:
            self._paid[group] = merge_runs(before, paid, _add)

    def of(self, group: int) -> Runs | None:
        """What ``group``'s members were paid so far this year; ``None`` for nothing."""
        return self._paid.get(group)

    def by_member(self, positions: Sequence[tuple[int, ...]], size: int) -> list[int]:
        """What each member was paid so far this year, by their place in a roster of
        ``size``; ``positions`` holds each group's members' places, ascending."""
        paid = [0] * size
        for place, value in self._members_paid(positions):
            paid[place] = value
        return paid

    def _members_paid(self, positions: Sequence[tuple[int, ...]]) -> Iterator[tuple[int, int]]:
        """``(place, paid)`` of each member of a group paid something this year, by their
        place in the roster; ``positions`` holds each group's members' places, ascending."""
        for group, runs in self._paid.items():
            members = positions[group]
            start = 0
            for end, value in runs:
                for rank in range(start, end):
                    yield members[rank], value
                start = end

    def groups(self) -> Iterator[tuple[int, Runs]]:
        """``(group, runs)`` of every group paid something this year."""
        return iter(self._paid.items())

    def copy(self) -> YearToDate:
        """The same year so far, followed apart from this one."""
        copied = YearToDate()
        copied._paid = dict(self._paid)
        return copied

    def regrouped(
        self, before: Sequence[tuple[int, ...]], after: Sequence[tuple[int, ...]]
    ) -> YearToDate:
        """The same year so far, member by member, over other pay groups: ``before`` and
        ``after`` hold each group's members' places in the plan's roster, ascending (a
        plan's later version may gather its members into other groups)."""
        if before == after:
            return self.copy()
        paid = dict(self._members_paid(before))
        regrouped = YearToDate()
        for group, members in enumerate(after):
            ranks: list[tuple[int, int]] = []
            for rank, member in enumerate(members):
                value = paid.get(member, 0)
                if ranks and ranks[-1][1] == value:
                    ranks[-1] = (rank + 1, value)
                else:
                    ranks.append((rank + 1, value))
            if ranks:
                regrouped.add(group, tuple(ranks))
        return regrouped


def _add(a: int, b: int) -> int:
    return a + b


def month_totals(shares: Sequence[GroupShare], count: int) -> Runs:
    """What a group's ``count`` members get in the month, all parts together, as runs."""
    base = 0
    steps = []
    for share in shares:
        base += share.base
        if share.bumped:
            steps.append((share.bumped, share.step))
    if not steps:
        return ((count, base),)
    if len(steps) == 1:
        bumped, step = steps[0]
        return (
            ((count, base + step),) if bumped >= count else ((bumped, base + step), (count, base))
        )
    return tuple((end, sum(amounts)) for end, amounts in share_runs(shares, count))


def cuts(caps: Caps, totals: Sequence[Runs], year_to_date: YearToDate | None) -> dict[int, Runs]:
    """What the caps cut from each member's month total, per pay group cut.

    ``totals`` holds each pay group's month totals (:func:`month_totals`) and
    ``year_to_date`` what the members were paid earlier in the plan year. A
    group none of whose members is cut is absent; a cut group's runs cover all
    its members (0 where a member is not cut).
    """
    month_cap, year_cap = caps.per_month, caps.per_year
    cut: dict[int, Runs] = {}
    for group, amounts in enumerate(totals):
        most = amounts[0][1] if len(amounts) == 1 else max(v for _, v in amounts)
        if most <= 0:
            continue
        before = year_to_date.of(group) if year_to_date is not None and year_cap else None
        if (month_cap is None or most <= month_cap) and (
            year_cap is None or most + (max(v for _, v in before) if before else 0) <= year_cap
        ):
            continue
        if before is None:
            before = ((amounts[-1][0], 0),)

        def cut_of(amount: int, paid: int) -> int:
            allowed = amount
            if month_cap is not None and allowed > month_cap:
                allowed = month_cap
            if year_cap is not None:
                allowed = min(allowed, max(year_cap - paid, 0))
            return amount - allowed if allowed < amount else 0

        runs = merge_runs(amounts, before, cut_of)
        if len(runs) > 1 or runs[0][1]:
            cut[group] = runs
    return cut
