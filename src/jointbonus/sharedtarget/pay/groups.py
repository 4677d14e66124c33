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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jointbonus.core.periods import Month
from jointbonus.core.roster import Standing, standing_in
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
    """Each group's team: its place in ``plan.functional.terms`` (0 when no team has goals)."""
    bonuses: tuple[int, ...]
    """Each member's annual target bonus in minor units, where the plan uses it; else 0."""
    forfeits: tuple[bool, ...]
    """Whether the group's members leave before the plan ends, so forfeit what is held back."""


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
    uses_salary = plan.funding is FundingStyle.POOL and plan.split is Split.SALARY
    uses_bonus = plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS
    to_minor = plan.currency.to_minor

    teams = {terms.team: index for index, terms in enumerate(plan.functional.terms)}
    by_team = plan.weighted
    standings: dict[_Key, list[int]] = {}
    fte_units_of: dict[Decimal, int] = {}  # FTE -> units; a roster has few distinct FTEs
    minor_of: dict[Decimal, int] = {}  # amount -> minor units; a roster repeats amounts
    for position, member in enumerate(plan.members):
        # Clamp dates to the plan where that changes no month's standing, so
        # that everyone employed throughout the plan shares one standing.
        start, end = member.start, member.end
        if end is not None and end >= plan_last:
            end = None
        if start < plan_first and (end is None or end >= plan_first):
            start = plan_first
        salary = bonus = 0
        if uses_salary and member.salary is not None:
            salary = minor_of.get(member.salary) or minor_of.setdefault(
                member.salary, to_minor(member.salary)
            )
        if uses_bonus and member.target_bonus:
            bonus = minor_of.get(member.target_bonus) or minor_of.setdefault(
                member.target_bonus, to_minor(member.target_bonus)
            )
        fte_units = fte_units_of.get(member.fte)
        if fte_units is None:
            fte_units = fte_units_of[member.fte] = member.fte_units
        key = (start, end, fte_units, salary, bonus, teams[member.team] if by_team else 0)
        standings.setdefault(key, []).append(position)

    calendar = [(m.month, m.month.first_day, m.month.last_day, m.month.days) for m in plan.months]
    # A month wholly before a start or after an end gives a standing that does
    # not depend on the month ("not yet started (starts ...)", "left on ...").
    outside: dict[tuple[bool, date | None], Standing] = {}
    columns = [_standing_columns(plan, key, calendar, outside) for key in standings]
    # Standings paid alike in every month form one pay group.
    group_of: dict[tuple[object, ...], int] = {}
    members_of: list[list[int]] = []
    group_rows: list[tuple[tuple[int, ...], tuple[int, ...], int, int, bool]] = []
    cohort_rows: list[tuple[tuple[int, ...], int, tuple[int, ...], tuple[str, ...]]] = []
    for (key, positions), (days, units, split, reasons) in zip(
        standings.items(), columns, strict=True
    ):
        _start, end, _fte, _salary, bonus, team = key
        forfeits = end is not None
        pay_key = (team, bonus, forfeits, units, split)
        group = group_of.get(pay_key)
        if group is None:
            group = group_of[pay_key] = len(group_rows)
            group_rows.append((units, split, bonus, team, forfeits))
            members_of.append([])
        members_of[group].extend(positions)
        cohort_rows.append((tuple(positions), group, days, reasons))

    groups = Groups(
        positions=tuple(tuple(sorted(p)) for p in members_of),
        counts=tuple(len(p) for p in members_of),
        teams=tuple(row[3] for row in group_rows),
        bonuses=tuple(row[2] for row in group_rows),
        forfeits=tuple(row[4] for row in group_rows),
    )
    frames = []
    for index, plan_month in enumerate(plan.months):
        units = tuple(row[0][index] for row in group_rows)
        split = tuple(row[1][index] for row in group_rows)
        total = sum(w * n for w, n in zip(split, groups.counts, strict=True))
        frames.append(MonthFrame(plan_month, index, groups, units, split, total))
    cohorts = tuple(Cohort(*row) for row in cohort_rows)
    cohort_of = array("I", [0]) * len(plan.members)
    for number, cohort in enumerate(cohorts):
        for position in cohort.positions:
            cohort_of[position] = number
    return Framed(groups, tuple(frames), cohorts, cohort_of)


def _standing_columns(
    plan: Plan,
    key: _Key,
    calendar: Sequence[tuple[Month, date, date, int]],
    outside: dict[tuple[bool, date | None], Standing],
) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...], tuple[str, ...]]:
    """Days, units, split weight and reason of one standing, month by month."""
    start, end, fte_units, salary, bonus, _team = key
    leavers = plan.pay_leavers_for_exit_month
    days_of: list[int] = []
    units_of: list[int] = []
    split_of: list[int] = []
    reasons: list[str] = []
    for month, first, last, days in calendar:
        if start <= first and (end is None or end >= last):
            standing = Standing(days, fte_units * days, "")  # all month
        elif start > last or (end is not None and end < first):
            before = start > last
            known = outside.get((before, start if before else end))
            if known is None:
                known = standing_in(month, start, end, fte_units, leavers)
                outside[before, start if before else end] = known
            standing = known
        else:
            standing = standing_in(month, start, end, fte_units, leavers)
        units, reason = standing.units, standing.reason
        if plan.funding is FundingStyle.POOL:
            if plan.split is Split.SALARY:
                split = units * salary
                if units and not salary:
                    reason = "salary is 0, so no share of a pool split by salary"
            elif plan.split is Split.TARGET_BONUS:
                split = units * bonus
                if units and not bonus:
                    reason = "target bonus is 0, so no share of a pool split by target bonus"
            else:
                split = units
        else:
            split = units * bonus
            if units and not bonus:
                reason = "target bonus is 0"
        days_of.append(standing.days)
        units_of.append(units)
        split_of.append(split)
        reasons.append(reason)
    return tuple(days_of), tuple(units_of), tuple(split_of), tuple(reasons)
