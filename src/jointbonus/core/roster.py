"""Team members and their weight in each month.

A member's weight in a month is::

    weight = FTE x (days active in the month / days in the month)

with the start and end dates counted inclusively. A member not active in a
month has weight 0 and is paid nothing for it.

Whether a member who leaves before a month's last day is paid for that month
is a plan option (``pay_leavers_for_exit_month``): on, they are paid for the
days they were there; off, they get nothing for their exit month. Members who
leave on the month's last day are not leavers of that month.

>>> m = Member("S01", "sales", date(2024, 2, 10), None, D("0.5"))
>>> m.weight(Month(2024, 2))  # 0.5 x 20 of 29 days (10 to 29 February 2024)
Fraction(10, 29)

A member's standing can change: each :class:`Member` value is one roster row
(team, FTE, salary and target bonus from ``start`` to ``end``), and
:meth:`Member.from_rows` makes one person of several rows with the same id.
The weight in a month sums the rows; a day no row covers is time away
(weight 0). Rows may not overlap (:func:`overlaps`).

>>> part_time = Member.from_rows([
...     Member("S02", "sales", date(2024, 1, 1), date(2024, 2, 14), D("1")),
...     Member("S02", "sales", date(2024, 2, 15), None, D("0.5")),
... ])
>>> part_time.start, part_time.fte, len(part_time.rows)
(datetime.date(2024, 1, 1), Decimal('0.5'), 2)
>>> part_time.weight(Month(2024, 2))  # 1 x 14 days + 0.5 x 15 days, of 29
Fraction(43, 58)
"""

from __future__ import annotations

import difflib
import itertools
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from operator import itemgetter
from typing import Any, cast, overload

from jointbonus.core.number import D, scaled_int
from jointbonus.core.periods import Month, active_days
from jointbonus.core.text import ID_CHARACTERS, member_id, unsafe_character
from jointbonus.errors import JointBonusError, argument, shown

__all__ = [
    "FTE_DECIMALS",
    "FTE_PLACES",
    "FTE_RANGE",
    "FTE_SCALE",
    "Member",
    "Roster",
    "RosterError",
    "Standing",
    "annual_amount",
    "fte_problem",
    "fte_units",
    "member_choices",
    "overlaps",
    "standing_in",
    "taker",
]

#: FTE fractions may have up to this many decimals (0.333333 is fine).
FTE_PLACES = 6
FTE_SCALE: int = 1_000_000


class RosterError(JointBonusError, ValueError):
    """A member's data is inconsistent."""


@dataclass(frozen=True, slots=True)
class Standing:
    """Where a member stands in one month: eligible weight and, if 0, why."""

    days: int
    units: int
    """Eligible weight in integer units: FTE x 10^6 x days active (0 if not paid)."""
    reason: str
    """Why the weight is 0 (empty when it is not)."""


#: What an FTE must be, said where one is refused.
FTE_RANGE = "a full-time-equivalent fraction above 0 and at most 1, such as 0.6"
FTE_DECIMALS = f"a full-time-equivalent fraction with at most {FTE_PLACES} decimals"


def fte_problem(fte: Decimal) -> str | None:
    """What is wrong with ``fte`` (:data:`FTE_RANGE` or :data:`FTE_DECIMALS`), or ``None``.

    The one rule for an FTE, wherever it is read: a decimal number in (0, 1]
    with at most :data:`FTE_PLACES` decimals.
    """
    if not 0 < fte <= 1:
        return FTE_RANGE
    if scaled_int(fte, FTE_PLACES) is None:
        return FTE_DECIMALS
    return None


def fte_units(value: Decimal | int | str) -> tuple[Decimal, int]:
    """An FTE and its units (millionths), or :class:`RosterError` saying what was expected.

    >>> fte_units("0.6")
    (Decimal('0.6'), 600000)
    """
    fte = D(value)  # a float or non-number is refused here, as such
    units = scaled_int(fte, FTE_PLACES)
    if units is None:
        raise RosterError(f"fte: got {fte}, expected at most {FTE_PLACES} decimals")
    if fte_problem(fte) is not None:
        raise RosterError(f"fte: got {fte}, expected a number in (0, 1]")
    return fte, units


def annual_amount(value: Decimal | int | str, name: str) -> Decimal:
    """An annual salary or target bonus: a decimal number >= 0, else :class:`RosterError`."""
    amount = D(value)  # a float or non-number is refused here, as such
    if amount < 0:
        raise RosterError(f"{name}: got {value}, expected >= 0")
    return amount


@dataclass(frozen=True, slots=True, init=False)
class Member:
    """One person in the plan.

    ``fte`` is in (0, 1] with at most six decimals. ``salary`` and
    ``target_bonus`` (annual amounts in the plan currency) are optional; a
    plan that splits the pool by salary, or funds bonuses individually,
    needs them. Numbers may be given as Decimals, ints or text; a float is
    refused (:class:`~jointbonus.errors.FloatMoneyError`).

    A member whose standing changes is made of several such values, one per
    roster row, by :meth:`from_rows`; its own fields then read as the person
    stands at the end: ``start`` the first row's, ``end``, ``team``, ``fte``,
    ``salary`` and ``target_bonus`` the last row's. :attr:`rows` holds every
    row, in date order.
    """

    id: str
    team: str
    start: date
    end: date | None
    fte: Decimal
    salary: Decimal | None
    target_bonus: Decimal | None
    fte_units: int = field(init=False, repr=False, compare=False)
    """FTE in millionths (0.6 -> 600000)."""
    changes: tuple[Member, ...] = field(init=False, repr=False)
    """The roster rows of a member whose standing changes, in date order; empty for a
    member of one row (see :attr:`rows`)."""

    def __init__(  # noqa: PLR0917 - the positional order is the public API
        self,
        id: str,
        team: str,
        start: date,
        end: date | None,
        fte: Decimal | int | str,
        salary: Decimal | int | str | None = None,
        target_bonus: Decimal | int | str | None = None,
    ) -> None:
        argument("team", team, str, "a team name (text)")
        argument("start", start, date, "a date (datetime.date), the row's first day")
        argument("end", end, (date, type(None)), "a date (datetime.date) or None")
        try:
            fte_value, units = fte_units(fte)
        except RosterError as error:
            raise RosterError(f"member {id}: {error}") from None
        if not isinstance(id, str) or not id.strip():
            raise RosterError(f"member id: got {shown(id)}, expected a non-empty text")
        id = member_id(id)
        unsafe = unsafe_character(id)
        if unsafe is not None:
            raise RosterError(
                f"member id: got {shown(id)}, expected {ID_CHARACTERS}; it holds {unsafe}"
            )
        try:
            salary_value = None if salary is None else annual_amount(salary, "salary")
            bonus_value = (
                None if target_bonus is None else annual_amount(target_bonus, "target_bonus")
            )
        except RosterError as error:
            raise RosterError(f"member {id}: {error}") from None
        if end is not None and end < start:
            raise RosterError(
                f"member {id}: end: got {end}, expected a date on or after the start date {start}"
            )
        # A frozen value: each field is set once, here.
        for name, value in (
            ("id", id),
            ("team", team),
            ("start", start),
            ("end", end),
            ("fte", fte_value),
            ("salary", salary_value),
            ("target_bonus", bonus_value),
            ("fte_units", units),
            ("changes", ()),
        ):
            object.__setattr__(self, name, value)

    @classmethod
    def from_columns(  # noqa: PLR0917 - the fields in their order
        cls,
        ids: Sequence[str],
        teams: Sequence[str],
        starts: Sequence[date],
        ends: Sequence[date | None],
        ftes: Sequence[Decimal],
        fte_units: Sequence[int],
        salaries: Sequence[Decimal | None],
        target_bonuses: Sequence[Decimal | None],
    ) -> tuple[Member, ...]:
        """Members from columns of values a reader has already checked by this module's rules.

        The roster's field types apply :func:`fte_problem` and the amounts'
        rule to every cell, and the reader checks each end against its start,
        so a loader need not check each of 100,000 members again: the values
        are taken as they are, one member per row of the columns.
        """
        columns = (ids, teams, starts, ends, ftes, fte_units, salaries, target_bonuses)
        count = len(ids)
        if any(len(column) != count for column in columns):
            raise ValueError("columns of members of different lengths")
        members = list(map(object.__new__, itertools.repeat(cls, count)))
        # A frozen value: each field is set once, here, through its slot, a column at a
        # time (the loops run in C: a roster of a million members is made in a second).
        for name, column in zip(_FIELDS, (*columns, itertools.repeat(())), strict=True):
            deque(map(_SLOTS[name].__set__, members, column), maxlen=0)
        return tuple(members)

    @classmethod
    def checked(  # noqa: PLR0917 - the fields in their order
        cls,
        id: str,
        team: str,
        start: date,
        end: date | None,
        fte: Decimal,
        fte_units: int,
        salary: Decimal | None,
        target_bonus: Decimal | None,
    ) -> Member:
        """A member of one row from values already checked by this module's rules
        (:meth:`from_columns` of one row)."""
        (member,) = cls.from_columns(
            (id,), (team,), (start,), (end,), (fte,), (fte_units,), (salary,), (target_bonus,)
        )
        return member

    @classmethod
    def from_rows(cls, rows: Sequence[Member]) -> Member:
        """One person of the roster rows ``rows``: one id, rows that do not overlap.

        The rows are put in date order; a single row is returned as it is.
        Raises :class:`RosterError` naming both rows (by their place in
        ``rows``) where two overlap, or when the ids differ.
        """
        rows = [row for given in rows for row in given.rows]  # a person given is their rows
        if not rows:
            raise RosterError("rows: got none, expected at least one roster row of the member")
        ids = sorted({row.id for row in rows})
        if len(ids) > 1:
            raise RosterError(f"id: got {', '.join(ids)}, expected one member id for all rows")
        found = overlaps(rows)
        if found:
            first, second = found[0]
            raise RosterError(
                f"member {ids[0]}: rows {first} and {second} overlap "
                f"({_range(rows[first])} and {_range(rows[second])}), "
                "expected rows that do not overlap"
            )
        if len(rows) == 1:
            return rows[0]
        ordered = tuple(sorted(rows, key=_start_of))
        last = ordered[-1]
        member = cls.checked(
            last.id,
            last.team,
            ordered[0].start,
            last.end,
            last.fte,
            last.fte_units,
            last.salary,
            last.target_bonus,
        )
        object.__setattr__(member, "changes", ordered)
        return member

    @property
    def rows(self) -> tuple[Member, ...]:
        """The member's roster rows in date order: itself alone, unless its standing changes."""
        return self.changes or (self,)

    def row_in(self, month: Month) -> Member:
        """The row that says how the member stands in ``month``: the last row that begins by
        the month's end (the first row, for a month before the member starts)."""
        if not self.changes:
            return self
        last_day = month.last_day
        found = self.changes[0]
        for row in self.changes[1:]:
            if row.start > last_day:
                break
            found = row
        return found

    def team_in(self, month: Month) -> str:
        """The member's team in ``month`` (:meth:`row_in`)."""
        return self.team if not self.changes else self.row_in(month).team

    def teams_in(self, month: Month) -> tuple[str, ...]:
        """The teams the member is in during ``month``, each once, in date order: more than
        one for a member who moves team during the month; else :meth:`team_in` alone."""
        if not self.changes:
            return (self.team,)
        teams: list[str] = []
        for row, days in zip(self.changes, self.row_days(month), strict=True):
            if days and row.team not in teams:
                teams.append(row.team)
        return tuple(teams) if len(teams) > 1 else (self.team_in(month),)

    def weight(self, month: Month) -> Fraction:
        """The sum over the rows of FTE x days active / days in the month, exact (leaver
        rule not applied)."""
        return sum(
            (
                Fraction(row.fte) * Fraction(active_days(month, row.start, row.end), month.days)
                for row in self.rows
            ),
            Fraction(0),
        )

    def standing(self, month: Month, pay_leavers_for_exit_month: bool) -> Standing:
        """The member's eligible weight in ``month`` under the plan's leaver rule.

        For a member of several rows the units sum the rows' FTE x days; a
        month no row touches reads ``away from ... to ...`` between two rows;
        the leaver rule applies to the last row's end alone (between rows the
        member has not left the plan).
        """
        if not self.changes:
            return standing_in(
                month, self.start, self.end, self.fte_units, pay_leavers_for_exit_month
            )
        days = self.row_days(month)
        total = sum(days)
        if total == 0:
            if self.start > month.last_day or (self.end is not None and self.end < month.first_day):
                return standing_in(month, self.start, self.end, 1, pay_leavers_for_exit_month)
            return Standing(0, 0, self.away_in(month))
        last = self.changes[-1]
        units = sum(row.fte_units * d for row, d in zip(self.changes, days, strict=True))
        left = standing_in(month, last.start, last.end, 1, pay_leavers_for_exit_month)
        if days[-1] and not left.units:  # leaves before the month ends, and is not paid for it
            return Standing(total, 0, left.reason)
        return Standing(total, units, "")

    def row_days(self, month: Month) -> tuple[int, ...]:
        """Days of ``month`` each of :attr:`rows` covers."""
        return tuple(active_days(month, row.start, row.end) for row in self.rows)

    def away_in(self, month: Month) -> str:
        """Why a month between two rows has weight 0: the days no row covers."""
        for before, after in itertools.pairwise(self.rows):
            if before.end is not None and before.end < month.first_day <= after.start:
                first = before.end + timedelta(days=1)
                last = after.start - timedelta(days=1)
                return f"away from {first.isoformat()} to {last.isoformat()} (no roster row)"
        return "away (no roster row)"


class Roster(Sequence[Member]):
    """Members held as columns, one entry per member, each :class:`Member` made only when
    one is asked for.

    A roster of 100,000 members is read, checked, sorted and paid a column at a time:
    the pay groups, cohorts and written lines need the members' dates, FTEs, amounts,
    ids and teams, not 100,000 objects. As a sequence it is the members in order, made
    the first time a member is asked for (all at once, then kept), and it compares
    equal to a tuple of the same members, as a plan's members were one.

    ``people`` holds the members made of several roster rows
    (:meth:`Member.from_rows`), by position: the columns give their fields as the
    person stands at the end, as :class:`Member` does.

    >>> roster = Roster.of([Member("A", "sales", date(2024, 1, 1), None, 1)])
    >>> roster.ids, len(roster), roster[0].team
    (('A',), 1, 'sales')
    >>> roster == (Member("A", "sales", date(2024, 1, 1), None, 1),)
    True
    """

    __slots__ = ("_columns", "_made", "_source", "people")

    def __init__(  # noqa: PLR0917 - the fields in their order
        self,
        ids: Sequence[str],
        teams: Sequence[str],
        starts: Sequence[date],
        ends: Sequence[date | None],
        ftes: Sequence[Decimal],
        fte_units: Sequence[int],
        salaries: Sequence[Decimal | None],
        target_bonuses: Sequence[Decimal | None],
        people: Mapping[int, Member] | None = None,
    ) -> None:
        """Columns of values already checked by this module's rules (as
        :meth:`Member.from_columns` takes them), kept as tuples."""
        columns = (ids, teams, starts, ends, ftes, fte_units, salaries, target_bonuses)
        if any(len(column) != len(ids) for column in columns):
            raise ValueError("columns of members of different lengths")
        self._columns: list[tuple[Any, ...] | None] = [tuple(column) for column in columns]
        self._source: tuple[Roster, Taker] | None = None
        self.people: Mapping[int, Member] = dict(people or {})
        """The members of several rows, by position."""
        self._made: tuple[Member, ...] | None = None

    def _column(self, at: int) -> tuple[Any, ...]:
        """Column ``at`` (in :data:`_FIELDS` order), taken from the roster this one was
        taken from (:meth:`take`) the first time it is asked for."""
        column = self._columns[at]
        if column is None:
            source, take_at = cast("tuple[Roster, Taker]", self._source)
            column = self._columns[at] = take_at(source._column(at))
        return column

    @property
    def ids(self) -> tuple[str, ...]:
        return self._column(0)

    @property
    def teams(self) -> tuple[str, ...]:
        return self._column(1)

    @property
    def starts(self) -> tuple[date, ...]:
        return self._column(2)

    @property
    def ends(self) -> tuple[date | None, ...]:
        return self._column(3)

    @property
    def ftes(self) -> tuple[Decimal, ...]:
        return self._column(4)

    @property
    def fte_units(self) -> tuple[int, ...]:
        return self._column(5)

    @property
    def salaries(self) -> tuple[Decimal | None, ...]:
        return self._column(6)

    @property
    def target_bonuses(self) -> tuple[Decimal | None, ...]:
        return self._column(7)

    @classmethod
    def of(cls, members: Sequence[Member]) -> Roster:
        """``members`` as a roster: itself if it is one, else its members' columns (the
        members given are the ones the roster then gives back)."""
        if isinstance(members, Roster):
            return members
        made = tuple(members)
        roster = cls(
            [m.id for m in made],
            [m.team for m in made],
            [m.start for m in made],
            [m.end for m in made],
            [m.fte for m in made],
            [m.fte_units for m in made],
            [m.salary for m in made],
            [m.target_bonus for m in made],
            people={place: member for place, member in enumerate(made) if member.changes},
        )
        roster._made = made
        return roster

    def member(self, position: int) -> Member:
        """The member at ``position``, made alone if the members are not made yet."""
        if self._made is not None:
            return self._made[position]
        person = self.people.get(position)
        if person is not None:
            return person
        return Member.checked(
            self.ids[position],
            self.teams[position],
            self.starts[position],
            self.ends[position],
            self.ftes[position],
            self.fte_units[position],
            self.salaries[position],
            self.target_bonuses[position],
        )

    def take(self, positions: Sequence[int]) -> Roster:
        """The members at ``positions``, in that order, as a roster. Each column is taken
        when first asked for."""
        people = self.people
        taken = Roster((), (), (), (), (), (), (), ())
        taken._columns = [None] * len(_FIELDS[:-1])
        take_at = taker(positions)
        taken._source = (self, take_at)
        if people:
            taken.people = {at: people[p] for at, p in enumerate(positions) if p in people}
        if self._made is not None:
            taken._made = take_at(self._made)
        return taken

    def _all_columns(self) -> _Columns:
        return (
            self.ids,
            self.teams,
            self.starts,
            self.ends,
            self.ftes,
            self.fte_units,
            self.salaries,
            self.target_bonuses,
        )

    def members(self) -> tuple[Member, ...]:
        """Every member, in order, made once (:meth:`Member.from_columns`) and then kept."""
        if self._made is None:
            made = Member.from_columns(*self._all_columns())
            if self.people:
                listed = list(made)
                for position, person in self.people.items():
                    listed[position] = person
                made = tuple(listed)
            self._made = made
        return self._made

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Member: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Member, ...]: ...

    def __getitem__(self, index: int | slice) -> Member | tuple[Member, ...]:
        return self.members()[index]

    def __iter__(self) -> Iterator[Member]:
        return iter(self.members())

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if isinstance(other, Roster):
            return self._all_columns() == other._all_columns() and self.people == other.people
        if isinstance(other, tuple):
            return self.members() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.members())

    def __repr__(self) -> str:
        return repr(self.members())


#: Takes the items at some positions of a column, in their order, as a tuple.
Taker = Callable[[Sequence[Any]], tuple[Any, ...]]


def taker(positions: Sequence[int]) -> Taker:
    """What takes the items at ``positions`` of a column (of a roster, or any sequence),
    in that order, as a tuple: one taker serves every column read at the same positions.

    One :func:`operator.itemgetter` for every column: it looks each item up in C,
    where ``map(column.__getitem__, positions)`` calls a tuple's ``__getitem__``
    through a wrapper at each item, several times as long.
    """
    if len(positions) > 1:
        return cast("Taker", itemgetter(*positions))  # several positions: a tuple
    return lambda column: tuple(column[at] for at in positions)  # at most one: not a tuple


#: A roster's columns, in the order :meth:`Member.from_columns` takes them.
_Columns = tuple[
    Sequence[str],
    Sequence[str],
    Sequence[date],
    Sequence[date | None],
    Sequence[Decimal],
    Sequence[int],
    Sequence[Decimal | None],
    Sequence[Decimal | None],
]


def overlaps(rows: Sequence[Member]) -> list[tuple[int, int]]:
    """Pairs of rows of one member that share a day, as places in ``rows`` (earlier first).

    >>> overlaps([Member("A", "sales", date(2024, 1, 1), date(2024, 6, 30), 1),
    ...           Member("A", "sales", date(2024, 6, 30), None, 1)])
    [(0, 1)]
    """
    order = sorted(range(len(rows)), key=lambda i: (rows[i].start, i))
    found = []
    for before, after in itertools.pairwise(order):
        end = rows[before].end
        if end is None or end >= rows[after].start:
            found.append((before, after))
    return found


def _start_of(row: Member) -> date:
    return row.start


def _range(row: Member) -> str:
    to = row.end.isoformat() if row.end is not None else "no end date"
    return f"{row.start.isoformat()} to {to}"


#: The order :meth:`Member.from_columns` takes the fields in, and each one's slot.
_FIELDS = ("id", "team", "start", "end", "fte", "fte_units", "salary", "target_bonus", "changes")
_SLOTS = {name: Member.__dict__[name] for name in _FIELDS}


def standing_in(
    month: Month, start: date, end: date | None, fte_units: int, pay_leavers_for_exit_month: bool
) -> Standing:
    """Eligible weight units in ``month`` for a member employed from ``start`` to ``end``."""
    days = active_days(month, start, end)
    last_day = month.last_day
    if days == 0:
        if start > last_day:
            return Standing(0, 0, f"not yet started (starts {start.isoformat()})")
        left = end.isoformat() if end is not None else "before the month"
        return Standing(0, 0, f"left on {left}")
    if end is not None and end < last_day and not pay_leavers_for_exit_month:
        return Standing(
            days,
            0,
            f"left on {end.isoformat()}, before the month ended; "
            "the plan does not pay leavers for their exit month",
        )
    return Standing(days, fte_units * days, "")


def member_choices(wanted: str, ids: Sequence[str], shown: int = 5) -> str:
    """What a request for a member id that ``ids`` lack expects: the ids closest to
    ``wanted`` (the first ones when none is close) and how many there are.

    >>> member_choices("DM-S9", ["DM-M01", "DM-M02", "DM-S08", "DM-S09"], shown=2)
    'a member id of the plan, such as DM-S09, DM-S08 (4 in all)'
    """
    close = difflib.get_close_matches(wanted, ids, n=shown, cutoff=0.5)
    listed = close or list(ids[:shown])
    more = f" ({len(ids)} in all)" if len(ids) > len(listed) else ""
    return f"a member id of the plan, such as {', '.join(listed)}{more}"
