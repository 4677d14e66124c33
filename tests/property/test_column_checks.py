"""Checking a CSV file a column at a time agrees with validating it row by row.

:mod:`jointbonus.io.columns` reads a roster (and the other CSV files) a
column at a time, each distinct cell checked once, instead of validating a
pydantic row model per row (:func:`jointbonus.io.reading.read_rows`). The
two must give the same rows and the same problems -- file, line, column,
value and what was expected, in the same order -- so a user cannot tell which
one read the file. Here both read the same generated files: plausible cells
and hostile ones (blank, padded with odd whitespace, too long, FTE 0 or with
seven decimals, impossible dates, numbers Python's ``Decimal`` would take but
a file may not hold), quoted or not, CRLF or LF, with blank lines, rows of
the wrong width and columns in any order or missing.

For the roster, the reference goes on as the per-row reader does: ids in
one spelling and of text, end on or after start (a row that breaks either is
kept, its problems listed), each good row made by the public
:class:`~jointbonus.core.roster.Member` constructor, in file order. Ids repeat
often, so many rosters hold several rows of one member (a standing that
changes): the plan's roster check
(:func:`~jointbonus.sharedtarget.build.roster.roster`) makes the same people
of either reader's rows, each person of exactly the rows of its id, with the
same problems as when every row is checked one by one.
"""

from __future__ import annotations

import csv
import importlib
import io
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import event, example, given
from hypothesis import strategies as st
from pydantic import BaseModel

from jointbonus.core import text as user_text
from jointbonus.core.money import currency
from jointbonus.core.roster import Member, fte_units
from jointbonus.errors import Problem
from jointbonus.gainsharing.schema import PeriodRow
from jointbonus.io import columns, reading
from jointbonus.io.fields import RosterRow
from jointbonus.sharedtarget.build.checks import Checks
from jointbonus.sharedtarget.schema import history_row_model, month_row_model

SHOWN = "data/roster.csv"

#: Whitespace Python strips and pydantic may not, and characters that look like it.
_ODD_SPACE = ["\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "\u200b", "\ufeff", "\x00"]

#: Cells no column should take, or that sit on an edge of a rule.
HOSTILE = [
    "",
    " ",
    "\t",
    "0",
    "0.0",
    "-0",
    "+0",
    "-1",
    "1",
    "1.0",
    "1.000000",
    "1.0000001",
    "0.0000001",
    "0.000001",
    "1.5",
    ".5",
    "5.",
    "+.5",
    "1e0",
    "1E-6",
    "1e-7",
    "1e999999",
    "9" * 30,
    "NaN",
    "inf",
    "-Infinity",
    "1_000",
    "1,000.00",
    "$1000",
    "\u0661",  # an Arabic-Indic digit one
    "\uff11",  # a full-width digit one
    "0x10",
    "2026-01-01",
    "2026-02-29",
    "2024-02-29",
    "2026-02-30",
    "2026-13-01",
    "2026-1-1",
    "20260101",
    "2026-01-01T00:00",
    "0000-01-01",
    "9999-12-31",
    "2026-01",
    "2026-00",
    "1999-12",
    "a" * 200,
    "a" * 201,
    "é" * 201,
    "sales",
    '"',
    "a,b",
    "line\nbreak",
    *_ODD_SPACE,
    *(f"{space}0.5{space}" for space in _ODD_SPACE),
    *(f"{space}x{space}" for space in _ODD_SPACE),
]

ROSTER_COLUMNS = list(RosterRow.model_fields)
_DAYS = st.dates(date(2019, 1, 1), date(2028, 12, 31)).map(date.isoformat)
_AMOUNTS = st.decimals(0, 300_000, places=2).map(str)
_FTES = st.sampled_from(["1", "1.0", "0.5", "0.6", "0.123456", "0.8", " 1 ", "0.25"])
_PLAUSIBLE: dict[str, st.SearchStrategy[str]] = {
    "id": st.one_of(
        st.sampled_from(["E1", "E2", "E3", " E1", "e1"]), st.integers(1, 999).map("E{}".format)
    ),
    "team": st.sampled_from(["sales", "marketing", " sales "]),
    "start": _DAYS,
    "end": st.one_of(st.just(""), st.just(""), _DAYS),
    "fte": _FTES,
    "salary": st.one_of(st.just(""), _AMOUNTS),
    "target_bonus": st.one_of(st.just(""), _AMOUNTS),
    "month": st.sampled_from(["2024-01", "2024-02", "2025-12", " 2026-01 "]),
}
_NUMBERS = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.integers(-5, 10**6).map(str),
)
_ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)


_NUMBER_EDGES = ["0", "-0", "0.00", "-0.01", "1e999999", "NaN", "1_000", "\u0661"]
_DAY_EDGES = ["2024-02-29", "2026-02-30", "2026-13-01", "2026-1-1", "0000-01-01", "9999-12-31"]
_TEXT_EDGES = ["", " ", "a" * 200, "a" * 201, "\u00a0x\u00a0", "\x1c", "\x00"]
#: The edges of each column's rule, drawn more often than the other hostile cells.
EDGES = {
    "id": _TEXT_EDGES,
    "team": _TEXT_EDGES,
    "start": _DAY_EDGES,
    "end": _DAY_EDGES,
    "fte": ["0", "0.0", "-0", "0E-7", "0.0000001", "0.000001", "1.0000001", "1.000000", "1.1"],
    "month": ["2026-00", "2026-13", "2026-1", "1999-12", "0000-01", "2026-01-01"],
}


def cells(column: str, hostility: int) -> st.SearchStrategy[str]:
    """A cell of ``column``: plausible, or with a chance of ``hostility`` in 20 hostile: an
    edge of the column's rule, a hostile cell of any column or anything at all."""
    plausible = _PLAUSIBLE.get(column, _NUMBERS)
    edges = st.sampled_from(EDGES.get(column, _NUMBER_EDGES))
    hostile = st.one_of(edges, edges, st.sampled_from(HOSTILE), _ANY_TEXT)
    return st.integers(0, 19).flatmap(lambda roll: hostile if roll < hostility else plausible)


@st.composite
def csv_texts(draw: st.DrawFn, names: list[str], required: list[str]) -> str:
    """A CSV file of ``names`` columns: header in any order, some optional columns
    (rarely a required one) left out, now and then an unknown one; rows of generated
    cells; quoted or not, LF or CRLF, with blank lines and rows of the wrong width."""
    header = [
        name
        for name in draw(st.permutations(names))
        if draw(st.booleans()) or (name in required and draw(st.integers(0, 39)))
    ]
    if draw(st.integers(0, 39)) == 0:
        header.insert(draw(st.integers(0, len(header))), draw(st.sampled_from(["notes", "id"])))
    if not header:
        header = list(required)
    hostility = draw(st.sampled_from([0, 0, 1, 5, 10]))
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(0, 8))):
        row = [draw(cells(name, hostility)) for name in header]
        shape = draw(st.integers(0, 24 if hostility else 999))
        if shape == 0:
            row = row[:-1]
        elif shape == 1:
            row.append(draw(cells("notes", hostility)))
        elif shape == 2:
            row = [""]
        rows.append(row)
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    buffer = io.StringIO(newline="")
    if draw(st.booleans()):
        writer = csv.writer(buffer, lineterminator=ending)
        writer.writerow(header)
        writer.writerows(rows)
    else:  # joined by hand: a comma or quote in a cell is as hostile as it gets
        buffer.write(ending.join(",".join(row) for row in [header, *rows]))
        if draw(st.booleans()):
            buffer.write(ending)
    return buffer.getvalue()


@st.composite
def split_rosters(draw: st.DrawFn) -> str:
    """A roster of members of one to four rows each, one after another in time (a standing
    that changes, on the first of a month or any day; now and then two rows overlap), the
    rows of all members shuffled, LF or CRLF."""
    rows: list[list[str]] = []
    teams = st.sampled_from(["sales", "sales", "sales", "marketing", "marketing", "support"])
    bonuses = st.sampled_from(["", "5000", "6000"])
    for number in range(draw(st.integers(1, 6))):
        start = draw(st.dates(date(2024, 1, 1), date(2026, 12, 1)))
        team, bonus = draw(teams), draw(bonuses)
        count = draw(st.integers(1, 4))
        for place in range(count):
            if start.day != 1 and draw(st.booleans()):  # on to the first of the next month
                start = date.fromordinal(start.replace(day=28).toordinal() + 4).replace(day=1)
            if start.day == 1 or draw(st.integers(0, 9)) == 0:  # a change mid-month is refused
                team, bonus = draw(teams), draw(bonuses)
            end = date.fromordinal(start.toordinal() + draw(st.integers(0, 120)))
            last = place == count - 1
            rows.append(
                [
                    f"E{number}",
                    team,
                    start.isoformat(),
                    "" if last and draw(st.booleans()) else end.isoformat(),
                    draw(_FTES),
                    draw(st.sampled_from(["", *["50000", "61000.5"] * 3, "70000.125"])),
                    bonus,
                ]
            )
            gap = draw(st.sampled_from([1, 1, 1, 1, 2, 40, 0, -3]))  # 0 or less: an overlap
            start = date.fromordinal(end.toordinal() + gap)
    order = draw(st.permutations(range(len(rows))))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    header = ",".join(ROSTER_COLUMNS)
    return ending.join([header, *(",".join(rows[i]) for i in order)]) + ending


#: How many characters the fast reader splits at a time: its own, and a few tiny ones, so
#: that rows fall across the seams between chunks.
CHUNKS = st.sampled_from([reading._CHUNK_CHARS, 1, 2, 7, 40, 150])


def read_both(text: str, chunk: int, fast: Any, slow: Any) -> tuple[Any, Any]:
    """``fast(path, problems)``, splitting ``chunk`` characters at a time, and
    ``slow(path, problems)`` of one file holding ``text``, each with the problems it added."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "file.csv"
        path.write_bytes(text.encode("utf-8"))
        fast_problems = reading.Collector([])
        default, reading._CHUNK_CHARS = reading._CHUNK_CHARS, chunk
        try:
            fast_read = fast(path, fast_problems)
        finally:
            reading._CHUNK_CHARS = default
        slow_problems = reading.Collector([])
        slow_read = slow(path, slow_problems)
    return (fast_read, fast_problems.problems), (slow_read, slow_problems.problems)


def reference_members(path: Path, problems: reading.Collector) -> list[tuple[int, Member]]:
    """The roster's rows as the per-row reader makes them: pydantic per row, each id in NFC
    and text, end on or after start, each good row by its public constructor, in file order.

    A row with a problem of its id or its dates is kept (made of its checked values), so
    that the plan's checks of each member's rows list their problems with it."""
    rows = reading.read_rows(path, SHOWN, RosterRow, problems)
    wrong: set[int] = set()
    for line, row in rows:
        found = user_text.unsafe_character(user_text.member_id(row.id))
        if found is not None:
            spelt = user_text.member_id(row.id)
            problems.add(SHOWN, line, "id", spelt, f"{user_text.ID_CHARACTERS}; it holds {found}")
            wrong.add(line)
    members: list[tuple[int, Member]] = []
    for line, row in rows:
        if row.end is not None and row.end < row.start:
            problems.add(
                SHOWN, line, "end", row.end.isoformat(), f"a date on or after start {row.start}"
            )
            wrong.add(line)
        if line in wrong:
            fte, units = fte_units(row.fte)
            member = Member.checked(
                user_text.member_id(row.id),
                row.team,
                row.start,
                row.end,
                fte,
                units,
                row.salary,
                row.target_bonus,
            )
        else:
            member = Member(
                row.id, row.team, row.start, row.end, row.fte, row.salary, row.target_bonus
            )
        members.append((line, member))
    return members


#: Every field of a member, ``fte_units`` (left out of its equality) too.
MEMBER_FIELDS = ("id", "team", "start", "end", "fte", "fte_units", "salary", "target_bonus")


def _fields(member: Member) -> tuple[object, ...]:
    """Every field of a member, with its type: ``Decimal('1.0')`` is not ``Decimal('1')``."""
    values = tuple(getattr(member, name) for name in MEMBER_FIELDS)
    return values + tuple(map(type, values)) + tuple(map(repr, values))


def assert_same_problems(fast: list[Problem], slow: list[Problem]) -> None:
    """The same problems in the same order, values of the same type: the first and all."""
    assert fast[:1] == slow[:1]
    assert fast == slow
    assert [type(p.value) for p in fast] == [type(p.value) for p in slow]
    assert list(map(str, fast)) == list(map(str, slow))


@given(
    st.one_of(csv_texts(ROSTER_COLUMNS, ["id", "team", "start", "fte"]), split_rosters()), CHUNKS
)
@example("id,team,start,fte\nE1,sales,2026-01-01,0\n", 7)
@example("id,team,start,fte\nE1,sales,2026-01-01,1\nE2,sales,2026-01-01,0.5\n", 7)
@example("id,team,start,fte\r\nE1,sales,2026-01-01,1\r\n\r\nE1,sales,2026-02-01,1\r\n", 7)
@example('id,team,start,fte\n"E1",sales,2026-01-01,1\nE2,,2026-13-01,1.0000001,\n', 1)
@example("id,team,start,end,fte\nE1,sales,2026-03-01,2026-02-28,1\n", 7)
@example("id,team,fte,start\n" + "a" * 201 + ",\u00a0sales\u00a0,1,2026-01-01\n", 7)
@example("id,team,start,fte\n", 7)
@example(
    "id,team,start,end,fte\nE1,sales,2026-03-01,,1\nE2,sales,2026-01-01,,1\n"
    "E1,sales,2026-01-01,2026-02-28,0.5\n",
    7,
)
@example("id,team,start,end,fte\nE1,sales,2026-01-01,2026-02-14,1\nE1,sales,2026-02-15,,1\n", 7)
@example(
    "id,team,start,fte,salary\nE1,sales,2026-01-01,1,5\nE2,sales,2026-01-01,1,5\n"
    "E3,support,2026-01-01,1,5\n",
    reading._CHUNK_CHARS,
)
# A line of a cell too many beside one of a cell too few: as many cells as two lines make.
@example("id,team,start,fte\nE1,sales,2026-01-01,1,1\nE2,sales,2026-01-01\n", reading._CHUNK_CHARS)
# Empty and blank cells of required columns looked up, not taken in bulk.
@example(
    "id,team,start,fte\nE1,sales, ,1\nE2,sales,2026-01-01,\nE3,sales,2026-01-01,1\n",
    reading._CHUNK_CHARS,
)
# A row ending before it starts, after a row with no end that starts earlier.
@example("id,team,start,end,fte\nE1,sales,2026-01-01,,1\nE2,sales,2026-03-01,2026-02-28,1\n", 7)
# An id holding a line end: not text, and not split in two.
@example('id,team,start,fte\n"E\n1",sales,2026-01-01,1\nE2,sales,2026-01-01,1\n', 7)
def test_a_roster_read_a_column_at_a_time_is_the_roster_read_row_by_row(
    text: str, chunk: int
) -> None:
    (fast, fast_problems), (slow, slow_problems) = read_both(
        text,
        chunk,
        lambda path, problems: columns.read_members(path, SHOWN, problems),
        reference_members,
    )
    assert_same_problems(fast_problems, slow_problems)
    assert list(fast.members) == [member for _, member in slow]
    assert list(map(_fields, fast.members)) == [_fields(member) for _, member in slow]
    assert list(fast.lines) == [line for line, _ in slow]
    first_lines: dict[str, int] = {}
    for line, member in slow:
        first_lines.setdefault(member.id, line)
    assert dict(fast) == first_lines
    assert len(fast) == len(first_lines)
    assert all(fast[member_id] == line for member_id, line in first_lines.items())
    assert_same_people([member for _, member in slow], fast.members)


#: The plan's roster check (the build package names its function ``roster`` too).
roster_checks = importlib.import_module("jointbonus.sharedtarget.build.roster")

#: The plan's teams and currency the roster's rows are checked against: a team of the
#: generated cells is often not one of them, an amount of three decimals does not fit.
TEAMS = ("sales", "marketing")


def people_of(rows: tuple[Member, ...] | list[Member], *, one_by_one: bool) -> tuple[Any, ...]:
    """The people the plan's roster check makes of ``rows``, and its problems; with
    ``one_by_one`` every row is checked by itself, not a column at a time first."""
    checks = Checks()
    fits = roster_checks._all_fit
    if one_by_one:
        roster_checks._all_fit = lambda *_, **__: False
    try:
        people = roster_checks.roster(
            checks,
            rows,
            TEAMS,
            needs_salary=True,
            needs_bonus=False,
            currency=currency("EUR", 2),
        )
    finally:
        roster_checks._all_fit = fits
    return people, checks.problems


def _person(member: Member) -> tuple[object, ...]:
    return (_fields(member), tuple(map(_fields, member.changes)))


def assert_same_people(slow_rows: list[Member], fast_rows: tuple[Member, ...]) -> None:
    """The same people of either reader's rows, each of the rows of its id; the same
    problems as checking each row by itself."""
    people, problems = people_of(fast_rows, one_by_one=False)
    slow_people, slow_problems = people_of(slow_rows, one_by_one=True)
    assert_same_problems(problems, slow_problems)
    assert list(map(_person, people)) == list(map(_person, slow_people))
    assert [person.id for person in people] == sorted({person.id for person in people})
    by_id: dict[str, list[Member]] = {}
    for row in slow_rows:
        by_id.setdefault(row.id, []).append(row)
    event(f"people of several rows: {min(sum(1 for p in people if p.changes), 3)}")
    for person in people:
        rows = sorted(by_id.pop(person.id), key=lambda row: row.start)
        assert list(map(_fields, person.rows)) == list(map(_fields, rows))
    # a member left out is one of several rows the problems name by place
    named = {problem.field.split(" ")[0] for problem in problems}
    for member_id, rows in by_id.items():
        assert len(rows) > 1
        places = [f"members[{place}]" for place, row in enumerate(fast_rows) if row.id == member_id]
        assert named.intersection(places), member_id


#: Row models read a column at a time besides the roster's: months, history, periods.
ROW_MODELS: list[type[BaseModel]] = [
    month_row_model(()),
    month_row_model(("leads",)),
    history_row_model(()),
    history_row_model(("leads",)),
    PeriodRow,
]


@st.composite
def model_files(draw: st.DrawFn) -> tuple[type[BaseModel], str]:
    model = draw(st.sampled_from(ROW_MODELS))
    fields = model.model_fields
    required = [name for name, field in fields.items() if field.is_required()]
    return model, draw(csv_texts(list(fields), required))


@given(model_files(), CHUNKS)
@example((history_row_model(()), "month,actual\n2024-01,-1\n2024-13,1e999999\n"), 2)
@example((month_row_model(("leads",)), "month,leads_target\n2026-01,0\n 2026-02 ,\u0661\n"), 1)
def test_any_row_file_read_a_column_at_a_time_is_the_file_read_row_by_row(
    model_file: tuple[type[BaseModel], str], chunk: int
) -> None:
    model, text = model_file
    assert columns.column_rules(model) is not None  # else both would read row by row
    (fast, fast_problems), (slow, slow_problems) = read_both(
        text,
        chunk,
        lambda path, problems: columns.read_rows(path, SHOWN, model, problems),
        lambda path, problems: reading.read_rows(path, SHOWN, model, problems),
    )
    assert_same_problems(fast_problems, slow_problems)
    assert [(line, row.model_dump()) for line, row in fast] == [
        (line, row.model_dump()) for line, row in slow
    ]
    assert [type(row) for _, row in fast] == [type(row) for _, row in slow]
