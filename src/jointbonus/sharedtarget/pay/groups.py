"""Who stands where in each plan month, gathered so that the pay rule works per group.

Calibration and the engine both start here, so the cost calibration expects
is, to the cent, the cost the engine pays.

Weights are integers: ``FTE x 10^6 x days active``. Within one month every
member's weight has the same denominator (``10^6 x days in the month``), so
shares of a pool can be computed with integer arithmetic alone.

Two gatherings of the roster serve two purposes:

* a **pay group** holds the members paid alike in every plan month: the same
  team, the same weight and split weight month by month, the same target
  bonus (where the plan uses it) and the same fate of what is held back. The
  pay rule computes once per group; a plan of 100,000 people has a few
  thousand groups at most, however their dates are spread. A group's figures
  are held as integer columns, one entry per group, month by month
  (:class:`MonthFrame`).
* a **cohort** holds the members whose standing *reads* the same in every
  month: the same days active and the same reason for a zero (``not yet
  started (starts 2026-03-15)``). Each cohort lies in one pay group; the
  statement lines are made per cohort (:mod:`jointbonus.sharedtarget.lines`).

A member whose standing changes (several roster rows,
:meth:`~jointbonus.core.roster.Member.from_rows`) is weighed month by month
as the sum of their rows: units ``sum of FTE x 10^6 x days`` and split
weight ``sum of units x salary`` (or target bonus). Their team, and under
individual funding their target bonus, may differ from month to month, so
each month's :class:`Groups` gives its own ``teams`` and ``bonuses``; the
groups' members are the same in every month. A member who moves team during
a month (a row starting on a day other than the 1st) spends the month in
more than one team: :attr:`Groups.mixes` holds, per such group, the part of
its value earned on the days in each team, and each team's functional part
is paid on that part alone (the shared part on the whole). Such a member is still one person, at one
position: one line a month, one per-year cap, one holdback.

>>> from datetime import date
>>> from jointbonus.core.curves import StepCurve
>>> from jointbonus.core.history import HistoryMonth
>>> from jointbonus.core.number import D
>>> from jointbonus.core.periods import Month
>>> from jointbonus.core.roster import Member
>>> from jointbonus.sharedtarget.build import build_plan
>>> plan = build_plan(
...     name="Demo", currency="USD", start="2026-01", months=2,
...     members=[Member(i, "sales", date(2025, 1, 1), None, D("1")) for i in "ABC"]
...     + [Member("D", "sales", date(2026, 2, 10), None, D("1"))],
...     history=[HistoryMonth(Month(2025, m), D(100), D(100)) for m in range(1, 13)],
...     targets={"2026-01": "100", "2026-02": "100"}, curve=StepCurve(), budget="100",
... )
>>> framed = frame_months(plan)
>>> framed.groups.counts, framed.months[1].units
((3, 1), (28000000, 19000000))
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import chain, repeat
from operator import mul
from typing import Any, Literal

from jointbonus.core.periods import Month, plan_years
from jointbonus.core.plan_periods import Period
from jointbonus.core.roster import Member, Roster, Standing, standing_in
from jointbonus.sharedtarget.plan import FundingStyle, Plan, PlanMonth, Split

__all__ = ["Cohort", "Framed", "Groups", "MonthFrame", "frame_months"]


@dataclass(frozen=True, slots=True)
class Groups:
    """The plan's pay groups, as columns indexed by group (in order of their first member)."""

    positions: tuple[tuple[int, ...], ...]
    """Each group's members: their places in ``plan.members`` (member id order), ascending."""
    counts: tuple[int, ...]
    """How many members each group has."""
    teams: tuple[int, ...]
    """Each group's team in the month framed: its place in ``plan.functional.terms`` (0 when
    no team has goals)."""
    bonuses: tuple[int, ...]
    """Each member's annual target bonus in the month framed, in minor units, where the plan
    uses it; else 0."""
    forfeits: tuple[bool, ...]
    """Whether the group's members leave before the plan year of the month framed ends, so
    forfeit what is held back from the month (:func:`~jointbonus.core.periods.plan_years`)."""
    mixes: Mapping[int, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    """The groups whose members spend the month framed in more than one team (a move on a
    day other than the 1st), or, funded individually, whose target bonus changes during
    it: per such group, ``(team, value)`` for each team in team order,
    ``value`` being the part of the member's value (:func:`~jointbonus.sharedtarget.pay.
    sharing.member_values`) earned on the days in that team. The values add up to the
    group's value; ``teams`` and ``bonuses`` then name the team and target bonus at the
    month's end. Empty for most months."""


@dataclass(frozen=True, slots=True)
class MonthFrame:
    """One plan month: each pay group's weights, as integer columns."""

    plan_month: PlanMonth
    index: int
    """The month's place in the plan (0 for its first month)."""
    groups: Groups
    units: tuple[int, ...]
    """Each member's eligible weight, per group: FTE x 10^6 x days active; 0 when not paid."""
    split: tuple[int, ...]
    """Each member's weight in the pool split, per group: units, or units x salary or
    target bonus (pool funding); units x target bonus (individual funding)."""
    total_split_weight: int
    """The sum of every member's split weight."""
    weight_days: int = 0
    """The days a weight is counted over: 0 for the month's own days; for the month that
    ends a longer shared period, a common multiple of its months' days, over which the
    units are the period's (:mod:`jointbonus.sharedtarget.pay.periods`)."""
    period: Period | None = None
    """The longer shared period the month lies in (``None``: a monthly shared target)."""
    weighting: Fraction = Fraction(1)
    """What the weight of the period this month pays makes of its amounts at target:
    periods a year x the period's weight (:attr:`~jointbonus.core.plan_periods.Period.weighting`;
    1 under equal weights)."""
    own: MonthFrame | None = None
    """In a plan with functional goals and a longer shared period: the month framed on its
    own, which its functional parts are paid on (each month pays its goals); ``None``
    everywhere else, where one frame pays every part."""

    def at_target(self, scale: Fraction) -> Fraction:
        """The plan's ``scale`` (the pool at target, or the target bonus multiplier) as this
        month pays it: times :attr:`weighting`. Every amount at target is made here."""
        return scale if self.weighting == 1 else scale * self.weighting

    @property
    def days(self) -> int:
        """What FTE x 10^6 x days is divided by to give a weight: the month's days, or the
        days a period's weights are counted over."""
        return self.weight_days or self.plan_month.month.days

    @property
    def closes(self) -> bool:
        """Whether the month pays the shared target: every month of a monthly one, else the
        month that ends its period."""
        return self.period is None or self.index == self.period.last

    @property
    def eligible(self) -> bool:
        """Whether anyone can receive a share of this month's pool."""
        return self.total_split_weight > 0


@dataclass(frozen=True, slots=True)
class Cohort:
    """Members whose standing reads the same in every plan month; all in one pay group."""

    positions: tuple[int, ...]
    """Places of the members in ``plan.members``, ascending."""
    group: int
    """The pay group they are in."""
    days: tuple[int, ...]
    """Days active, month by month."""
    reasons: tuple[str, ...]
    """Month by month, why the members get nothing when their standing decides it ('' else)."""


@dataclass(frozen=True, slots=True)
class Framed:
    """The plan's months framed: the pay groups, each month's columns, and the cohorts."""

    groups: Groups
    """The pay groups as they stand in the first month (each month's are its frame's)."""
    months: tuple[MonthFrame, ...]
    cohorts: tuple[Cohort, ...]
    cohort_of: Sequence[int]
    """The cohort (its place in ``cohorts``) of each member, by position."""


#: A member's standing key: start and end clamped to the plan, FTE units, salary and target
#: bonus in minor units (where used), team.
_Key = tuple[date, date | None, int, int, int, int]


def frame_months(plan: Plan) -> Framed:
    """The plan's pay groups, every plan month's columns (in month order) and the cohorts."""
    plan_first = plan.months[0].month.first_day if plan.months else date.min
    plan_last = plan.months[-1].month.last_day if plan.months else date.min
    years = plan_years(len(plan.months))
    year_of = [number for number, year in enumerate(years) for _ in year]
    # A member forfeits what is held back in a plan year if they leave before it ends.
    year_lasts = tuple(plan.months[year[-1]].month.last_day for year in years)
    uses_salary = plan.funding is FundingStyle.POOL and plan.split is Split.SALARY
    uses_bonus = plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS
    to_minor = plan.currency.to_minor

    teams = {terms.team: index for index, terms in enumerate(plan.functional.terms)}
    by_team = plan.weighted
    standings: dict[_Key, list[int]] = {}
    changing: list[tuple[int, Member]] = []  # members whose standing changes, framed apart
    minor_of: dict[Decimal, int] = {}  # amount -> minor units; a roster repeats amounts

    def amounts(salary: Decimal | None, bonus: Decimal | None) -> tuple[int, int]:
        salary_units = bonus_units = 0
        if uses_salary and salary is not None:
            salary_units = minor_of.get(salary) or minor_of.setdefault(salary, to_minor(salary))
        if uses_bonus and bonus:
            bonus_units = minor_of.get(bonus) or minor_of.setdefault(bonus, to_minor(bonus))
        return salary_units, bonus_units

    # The roster a column at a time (a plan's members are made only when asked for).
    roster = Roster.of(plan.members)
    people = roster.people
    no_amounts = not uses_salary and not uses_bonus
    add = standings.setdefault
    # (the columns a plan does not use are not read: no amounts, no teams' goals)
    unused = repeat(None)  # endless: the roster's own columns end the zip
    for position, (first_day, last_day, fte_units, team, salary, bonus) in enumerate(
        zip(
            roster.starts,
            roster.ends,
            roster.fte_units,
            roster.teams if by_team else unused,
            unused if no_amounts else roster.salaries,
            unused if no_amounts else roster.target_bonuses,
            strict=False,
        )
    ):
        if people and position in people:
            changing.append((position, people[position]))
            continue
        # Clamp dates to the plan where that changes no month's standing, so that everyone
        # employed throughout the plan shares one standing (and everyone who left before
        # it, one standing per last day).
        start = plan_first if first_day < plan_first else first_day
        end = None if last_day is None or last_day >= plan_last else last_day
        salary_units, bonus_units = (0, 0) if no_amounts else amounts(salary, bonus)
        team_place = teams[team] if by_team else 0
        add((start, end, fte_units, salary_units, bonus_units, team_place), []).append(position)

    calendar = _Calendar.of(plan)
    count = len(calendar.months)
    # Days, paid days and reasons follow from the dates alone: many standings share them;
    # so do the month by month columns of a team, a target bonus, an end and no move.
    dates = _Dates(plan, calendar, plan_first)
    weighed_by = _weighed_by(plan)
    repeated: dict[int, tuple[int, ...]] = {}
    leaving_of: dict[date | None, tuple[bool, ...]] = {}
    unmixed = _UNMIXED * count

    def every_month(value: int) -> tuple[int, ...]:
        found = repeated.get(value)
        if found is None:
            found = repeated[value] = (value,) * count
        return found

    def leaving(end: date | None) -> tuple[bool, ...]:
        found = leaving_of.get(end)
        if found is None:
            found = leaving_of[end] = _leaves(end, year_lasts)
        return found

    def framed_standings() -> Iterator[tuple[tuple[int, ...], _Columns]]:
        """Each standing's members and columns, made as they are asked for."""
        for key, places in standings.items():
            columns = _standing_columns(plan, key, weighed_by, dates)
            team_of, bonus_of = every_month(key[5]), every_month(key[4])
            yield tuple(places), (*columns, team_of, bonus_of, leaving(key[1]), unmixed)

    framed: Iterable[tuple[tuple[int, ...], _Columns]] = framed_standings()
    if changing:  # groups and cohorts in order of their first member, as for everyone else
        apart = []
        for position, member in changing:
            row_amounts = [amounts(row.salary, row.target_bonus) for row in member.rows]
            row_teams = [teams[row.team] if by_team else 0 for row in member.rows]
            columns = _changing_columns(plan, member, row_amounts, row_teams, year_lasts)
            apart.append(((position,), columns))
        framed = sorted(chain(framed, apart), key=_first_position)
    # Standings paid alike in every month form one pay group.
    group_of: dict[tuple[object, ...], int] = {}
    members_of: list[list[int]] = []
    group_rows: list[_Columns] = []
    cohorts: list[Cohort] = []
    for places, column in framed:
        days, units, split, reasons, team_of, bonus_of, leaves, mixed = column
        pay_key = (team_of, bonus_of, leaves, units, split, mixed)
        group = group_of.get(pay_key)
        if group is None:
            group = group_of[pay_key] = len(group_rows)
            group_rows.append(column)
            members_of.append([])
        members_of[group] += places
        cohorts.append(Cohort(places, group, days, reasons))

    positions = tuple(tuple(sorted(p)) for p in members_of)
    counts = tuple(len(p) for p in members_of)
    frames = []
    groups: Groups | None = None
    # Each column month by month (plan year by plan year for the forfeits), across the groups.
    units_by, split_by, teams_by, bonuses_by = (
        _across(group_rows, column, count) for column in (1, 2, 4, 5)
    )
    forfeits_by = _across(group_rows, 6, len(years))
    movers = [g for g, row in enumerate(group_rows) if any(row[7])]
    for index, plan_month in enumerate(plan.months):
        teams_now = teams_by[index]
        bonuses_now = bonuses_by[index]
        forfeits = forfeits_by[year_of[index]]
        mixes = {g: group_rows[g][7][index] for g in movers if group_rows[g][7][index]}
        if (
            groups is None
            or groups.teams != teams_now
            or groups.bonuses != bonuses_now
            or groups.forfeits != forfeits
            or groups.mixes != mixes
        ):
            groups = Groups(positions, counts, teams_now, bonuses_now, forfeits, mixes)
        units = units_by[index]
        split = split_by[index]
        total = sum(map(mul, split, counts))
        frames.append(MonthFrame(plan_month, index, groups, units, split, total))
    first = frames[0].groups if frames else Groups(positions, counts, (), (), ())
    # Every member starts in the largest cohort (most of a roster, employed all year), so
    # only the members of the others are placed one by one.
    sizes = [len(cohort.positions) for cohort in cohorts]
    largest = sizes.index(max(sizes)) if sizes else 0
    cohort_of = array("I", [largest]) * len(roster)
    place = cohort_of.__setitem__
    for number, cohort in enumerate(cohorts):
        if number != largest:
            deque(map(place, cohort.positions, repeat(number)), maxlen=0)
    return Framed(first, tuple(frames), tuple(cohorts), cohort_of)


#: A standing's columns, month by month: days, units, split weight, reason, team and target
#: bonus; plan year by plan year, whether its members leave before the year ends; and month
#: by month, the value earned in each team of a month spent in several (``()``: one team).
_Columns = tuple[
    tuple[int, ...],
    tuple[int, ...],
    tuple[int, ...],
    tuple[str, ...],
    tuple[int, ...],
    tuple[int, ...],
    tuple[bool, ...],
    tuple[tuple[tuple[int, int], ...], ...],
]

#: One month spent in one team (no :attr:`Groups.mixes` entry).
_UNMIXED: tuple[tuple[tuple[int, int], ...]] = ((),)


def _across(rows: Sequence[_Columns], column: int, length: int) -> list[tuple[Any, ...]]:
    """Column ``column`` of every row, entry by entry (``length`` entries): one tuple an
    entry, with one item a row."""
    across = list(zip(*(row[column] for row in rows), strict=True))
    return across if rows else [()] * length


def _first_position(standing: tuple[tuple[int, ...], _Columns]) -> int:
    return standing[0][0]


def _changing_columns(
    plan: Plan,
    member: Member,
    row_amounts: Sequence[tuple[int, int]],
    row_teams: Sequence[int],
    year_lasts: Sequence[date],
) -> _Columns:
    """The columns of a member whose standing changes: each month sums their rows."""
    leavers = plan.pay_leavers_for_exit_month
    days_of: list[int] = []
    units_of: list[int] = []
    split_of: list[int] = []
    reasons: list[str] = []
    teams: list[int] = []
    bonuses: list[int] = []
    mixes: list[tuple[tuple[int, int], ...]] = []
    rows = member.rows
    for plan_month in plan.months:
        month = plan_month.month
        standing = member.standing(month, leavers)
        row_days = member.row_days(month)
        current = rows.index(member.row_in(month))
        paid = standing.units > 0
        units = standing.units
        salary_units = bonus_units = 0
        # Per team the member is in this month: units, units x salary, units x target bonus.
        # Every team the member is in during the month, paid or not (a mover who leaves
        # in the month, unpaid under the leaver rule, still lists each team's goals).
        in_team: dict[int, list[int]] = {}
        for row, days, (salary, bonus), team in zip(
            rows, row_days, row_amounts, row_teams, strict=True
        ):
            if not days:
                continue
            summed = in_team.setdefault(team, [0, 0, 0])
            if not paid:
                continue
            row_units = row.fte_units * days
            salary_units += row_units * salary
            bonus_units += row_units * bonus
            summed[0] += row_units
            summed[1] += row_units * salary
            summed[2] += row_units * bonus
        split, reason = _split(plan, units, salary_units, bonus_units, standing.reason)
        current_bonus = row_amounts[current][1]
        mixed = len(in_team) > 1 or (
            # individually funded, a target bonus that changes during the month
            plan.funding is FundingStyle.INDIVIDUAL and bonus_units != current_bonus * units
        )
        mixes.append(_mix(plan, in_team) if mixed else ())
        days_of.append(standing.days)
        units_of.append(units)
        split_of.append(split)
        reasons.append(reason)
        teams.append(row_teams[current])
        bonuses.append(row_amounts[current][1])
    forfeits = _leaves(member.end, year_lasts)
    return (
        tuple(days_of),
        tuple(units_of),
        tuple(split_of),
        tuple(reasons),
        tuple(teams),
        tuple(bonuses),
        forfeits,
        tuple(mixes),
    )


def _mix(plan: Plan, in_team: dict[int, list[int]]) -> tuple[tuple[int, int], ...]:
    """``(team, value)`` per team of a month spent in several (or, funded individually, on
    several target bonuses): the split weight of the days in the team (pool funding) or
    the sum of their units x target bonus (individual funding: the month's target amount
    is the day-weighted sum of the rows' target bonuses)."""
    pool = plan.funding is FundingStyle.POOL
    return tuple(
        (team, _split(plan, units, salary, bonus, "")[0] if pool else bonus)
        for team, (units, salary, bonus) in sorted(in_team.items())
    )


def _leaves(end: date | None, year_lasts: Sequence[date]) -> tuple[bool, ...]:
    """Plan year by plan year, whether a member whose last day is ``end`` leaves before the
    year's last day (a gap between roster rows is not leaving: ``end`` is the last row's)."""
    return tuple(end is not None and end < last for last in year_lasts)


def _split(
    plan: Plan, units: int, salary_units: int, bonus_units: int, reason: str
) -> tuple[int, str]:
    """A month's split weight, from units and units x salary or target bonus, and the reason
    for a zero (the standing's own ``reason`` unless the amount makes it)."""
    if plan.funding is FundingStyle.POOL:
        if plan.split is Split.SALARY:
            if units and not salary_units:
                reason = "salary is 0, so no share of a pool split by salary"
            return salary_units, reason
        if plan.split is Split.TARGET_BONUS:
            if units and not bonus_units:
                reason = "target bonus is 0, so no share of a pool split by target bonus"
            return bonus_units, reason
        return units, reason
    if units and not bonus_units:
        reason = "target bonus is 0"
    return bonus_units, reason


#: Days, paid days (the days the standing is paid for: 0 where it pays nothing) and the
#: standing's reason, month by month. A standing's units are its FTE units x paid days.
_Dated = tuple[tuple[int, ...], tuple[int, ...], tuple[str, ...]]


def _weighed_by(plan: Plan) -> Literal["salary", "bonus"] | None:
    """Which amount of a standing multiplies its units to give its split weight: its salary
    or its target bonus; ``None`` for a pool split equally (the split weight is the units)."""
    if plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS:
        return "bonus"
    return "salary" if plan.split is Split.SALARY else None


def _standing_columns(
    plan: Plan, key: _Key, weighed_by: Literal["salary", "bonus"] | None, dates: _Dates
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """Days, units, split weight and reason of one standing, month by month (``weighed_by``:
    :func:`_weighed_by` of the plan)."""
    start, end, fte_units, salary, bonus, _team = key
    days_of, paid, reasons = dates.of(start, end)
    units_of = tuple(map(fte_units.__mul__, paid))
    if weighed_by is None:  # a pool split equally: the split weight is the units
        return days_of, units_of, units_of, reasons
    per_unit = salary if weighed_by == "salary" else bonus
    if per_unit:  # every month's split weight is units x per_unit, with the standing's reason
        return days_of, units_of, tuple(map(per_unit.__mul__, units_of)), reasons
    weighed = [
        _split(plan, units, units * salary, units * bonus, reason)
        for units, reason in zip(units_of, reasons, strict=True)
    ]
    return (
        days_of,
        units_of,
        tuple(split for split, _ in weighed),
        tuple(reason for _, reason in weighed),
    )


@dataclass(frozen=True, slots=True)
class _Calendar:
    """The plan's months, their first and last days and their days."""

    months: tuple[Month, ...]
    firsts: tuple[date, ...]
    lasts: tuple[date, ...]
    days: tuple[int, ...]

    @classmethod
    def of(cls, plan: Plan) -> _Calendar:
        months = tuple(m.month for m in plan.months)
        return cls(
            months,
            tuple(m.first_day for m in months),
            tuple(m.last_day for m in months),
            tuple(m.days for m in months),
        )


class _Dates:
    """The :data:`_Dated` columns of each start and end met, each pair made once.

    When a standing starts in an earlier month than the one its end falls in, its months
    before that month read as if it had no end, and its months from there on as if it
    started with the plan. So its columns are made of those of its start (with no end)
    and those of its end (from the plan's first day): a plan year's roster has a few
    hundred starts and ends, and thousands of pairs of them.
    """

    def __init__(self, plan: Plan, calendar: _Calendar, plan_first: date) -> None:
        self.plan = plan
        self.calendar = calendar
        self.plan_first = plan_first
        self.outside: dict[tuple[bool, date | None], Standing] = {}
        """The standings of the months wholly before a start or after an end, which do not
        depend on the month ("not yet started (starts ...)", "left on ...")."""
        self._made: dict[tuple[date, date | None], _Dated] = {}

    def of(self, start: date, end: date | None) -> _Dated:
        """The columns of a standing from ``start`` (not before the plan's first day) to
        ``end`` (``None``: no end)."""
        found = self._made.get((start, end))
        if found is None:
            found = self._made[start, end] = self._columns(start, end)
        return found

    def _columns(self, start: date, end: date | None) -> _Dated:
        if end is not None and start > self.plan_first and end >= start:
            firsts = self.calendar.firsts
            ends_in = bisect_right(firsts, end) - 1  # the month the end falls in
            if bisect_right(firsts, start) - 1 < ends_in:
                started = self.of(start, None)
                ended = self.of(self.plan_first, end)
                return (
                    started[0][:ends_in] + ended[0][ends_in:],
                    started[1][:ends_in] + ended[1][ends_in:],
                    started[2][:ends_in] + ended[2][ends_in:],
                )
        return _dated_columns(self.plan, (start, end), self.calendar, self.outside)


def _dated_columns(
    plan: Plan,
    dates: tuple[date, date | None],
    calendar: _Calendar,
    outside: dict[tuple[bool, date | None], Standing],
) -> _Dated:
    """Days, paid days and the standing's reason of a member from ``start`` to ``end``
    (``dates``), month by month.

    The months fall in runs: wholly before the start, the month the member starts in (if
    not on its first day), every day active, the month they leave in (if not on its last
    day), wholly after the end. Each run but the two single months is the same standing
    month after month, or the calendar's days, so it is taken whole.
    """
    start, end = dates
    months = calendar.months
    count = len(months)
    if end is not None and end < start:  # never active
        if months and end < calendar.firsts[0]:  # left before the plan: every month alike
            standing = _outside(plan, (False, end), dates, calendar, outside)
            return (standing.days,) * count, (standing.units,) * count, (standing.reason,) * count
        return _dated_by_month(plan, dates, range(count), calendar, outside)
    # Months [0, before) end before the start, [first_whole, ...) begin on or after it;
    # [0, last_whole) end on or before the end, [after, count) begin after it.
    before = bisect_left(calendar.lasts, start)
    first_whole = bisect_left(calendar.firsts, start)
    if end is None:
        after = last_whole = count
    else:
        after = bisect_right(calendar.firsts, end)
        last_whole = bisect_right(calendar.lasts, end)
    days_of: list[int] = []
    paid_of: list[int] = []
    reasons: list[str] = []
    if before:
        standing = _outside(plan, (True, start), dates, calendar, outside)
        days_of += (standing.days,) * before
        paid_of += (standing.units,) * before
        reasons += (standing.reason,) * before
    if first_whole < last_whole:
        edge = _dated_by_month(plan, dates, range(before, first_whole), calendar, outside)
        days_of += edge[0]
        paid_of += edge[1]
        reasons += edge[2]
        days_of += calendar.days[first_whole:last_whole]
        paid_of += calendar.days[first_whole:last_whole]
        reasons += ("",) * (last_whole - first_whole)
        inside = range(last_whole, after)
    else:
        inside = range(before, after)
    edge = _dated_by_month(plan, dates, inside, calendar, outside)
    days_of += edge[0]
    paid_of += edge[1]
    reasons += edge[2]
    if after < count:
        standing = _outside(plan, (False, end), dates, calendar, outside)
        days_of += (standing.days,) * (count - after)
        paid_of += (standing.units,) * (count - after)
        reasons += (standing.reason,) * (count - after)
    return tuple(days_of), tuple(paid_of), tuple(reasons)


def _outside(
    plan: Plan,
    side: tuple[bool, date | None],
    dates: tuple[date, date | None],
    calendar: _Calendar,
    outside: dict[tuple[bool, date | None], Standing],
) -> Standing:
    """The standing in a month wholly before the start (``side`` ``(True, start)``) or after
    the end (``(False, end)``): the same whatever the month (its units are its paid days)."""
    standing = outside.get(side)
    if standing is None:
        start, end = dates
        month = calendar.months[0] if side[0] else calendar.months[-1]
        leavers = plan.pay_leavers_for_exit_month
        standing = outside[side] = standing_in(month, start, end, 1, leavers)
    return standing


def _dated_by_month(
    plan: Plan,
    dates: tuple[date, date | None],
    places: range,
    calendar: _Calendar,
    outside: dict[tuple[bool, date | None], Standing],
) -> _Dated:
    """:func:`_dated_columns` of the months at ``places``, month by month."""
    start, end = dates
    leavers = plan.pay_leavers_for_exit_month
    days_of: list[int] = []
    paid_of: list[int] = []
    reasons: list[str] = []
    for place in places:
        month, first, last, days = (
            calendar.months[place],
            calendar.firsts[place],
            calendar.lasts[place],
            calendar.days[place],
        )
        if start <= first and (end is None or end >= last):  # all month
            days_of.append(days)
            paid_of.append(days)
            reasons.append("")
            continue
        if start > last or (end is not None and end < first):
            before = start > last
            standing = outside.get((before, start if before else end))
            if standing is None:
                standing = standing_in(month, start, end, 1, leavers)
                outside[before, start if before else end] = standing
        else:
            standing = standing_in(month, start, end, 1, leavers)
        days_of.append(standing.days)
        paid_of.append(standing.units)
        reasons.append(standing.reason)
    return tuple(days_of), tuple(paid_of), tuple(reasons)
