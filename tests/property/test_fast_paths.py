"""The fast ways of making lines, members and cells give exactly what the plain ways give.

A plan year of 100,000 members makes tens of thousands of distinct lines
and 100,000 members, and writes 100,000 member ids a month. These are made
by faster paths than the obvious ones; each is checked here against the
obvious one, which stays the definition:

* :meth:`LineFigures.made <jointbonus.sharedtarget.results.LineFigures.made>`
  against ``LineFigures(...)``, the dataclass's own ``__init__``;
* :meth:`Member.checked <jointbonus.Member.checked>` against ``Member(...)``,
  which checks its values;
* :func:`~jointbonus.io.cells.escape_formulas` (a column at once) against
  :func:`~jointbonus.io.cells.escape_formula` of each cell;
* ``lines.csv``'s member cells, made for the whole roster at once, against
  each member's own :func:`~jointbonus.sharedtarget.report.writer.head_cell`,
  and that against the csv module reading it back;
* the rest of a ``lines.csv`` row of a line of its shared part alone, made from the
  line's figures month after month, each weight, amount and reason formatted once
  (:class:`~jointbonus.sharedtarget.report.writer.PlainTexts`), against the row the
  writer makes of the line's document, and that against the csv module reading it back;
* a month's items spread over its members by one
  :class:`~jointbonus.sharedtarget.results.Spread` month after month, which reads the
  members' cohorts once while the months share them, against each member's own line;
* :meth:`MonthPay.last_runs <jointbonus.sharedtarget.pay.sharing.MonthPay.last_runs>`
  (each group's last run as columns, and the runs before it) against
  :meth:`~jointbonus.sharedtarget.pay.sharing.MonthPay.slices` of each group;
* the columns :func:`~jointbonus.sharedtarget.pay.groups.frame_months` gives
  each standing (a pool shared equally skips the split rule; a member employed
  all month skips the standing rule) against each member's own
  :meth:`Member.standing <jointbonus.Member.standing>` and split weight;
* :func:`~jointbonus.core.text.terminal_text`, which passes a text with nothing
  suspect at once (the 400 MB of ``run --format json`` at 100,000 members), against
  its escaping of every suspect character one by one; and that it escapes parts
  joined as it escapes each part, which lets ``run --format json`` escape each
  distinct part of its text once
  (:func:`~jointbonus.sharedtarget.report.streams.terminal_json`);
  :func:`~jointbonus.core.text.terminal_texts`, which asks once of a column
  of texts whether any needs escaping, against ``terminal_text`` of each;
* :class:`~jointbonus.io.render.ObjectTexts`, which writes each item of the
  objects it is given once (the lines of a JSON stream), against
  :func:`~jointbonus.io.render.nested_text` and ``json.dumps`` of each object;
* ``lines.csv`` made a few thousand rows at a time, its distinct lines' texts spread
  over the members, against each member's cells and line document's row, in order.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import fields
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from types import SimpleNamespace
from typing import Any, cast

from hypothesis import example, given
from hypothesis import strategies as st

from jointbonus import Member, StepCurve, build_plan, run
from jointbonus.core.history import HistoryMonth
from jointbonus.core.money import Currency, GroupShare
from jointbonus.core.number import D
from jointbonus.core.periods import Month
from jointbonus.core.roster import FTE_SCALE, annual_amount, fte_units
from jointbonus.core.text import (
    _SUSPECT,
    _escaped,
    terminal_text,
    terminal_texts,
    unsafe_character,
)
from jointbonus.io.cells import FORMULA_TRIGGERS, escape_formula, escape_formulas
from jointbonus.io.render import ObjectTexts, nested_text
from jointbonus.sharedtarget.pay.groups import _split, frame_months
from jointbonus.sharedtarget.pay.sharing import MonthPay, Part
from jointbonus.sharedtarget.report import writer
from jointbonus.sharedtarget.report.documents import LINE_COLUMNS, MonthLineDocuments, flat_line
from jointbonus.sharedtarget.report.writer import (
    PlainTexts,
    _row_text,
    head_cell,
    head_cells,
    lines_csv,
)
from jointbonus.sharedtarget.results import LineFigures, LineStatus, MonthLines, Spread

#: Text a cell may hold: formula triggers, what makes csv quote, and anything else.
CELL_TEXT = st.text(
    st.one_of(
        st.sampled_from([*FORMULA_TRIGGERS, "'", ",", '"', "\n", "\r", " ", "é"]),
        st.characters(),
    ),
    max_size=6,
)
AMOUNTS = st.integers(-(10**9), 10**9)


#: A line's fields, in their order: days, weight, shared, functional, capped, total,
#: held, status, reason, standing, kind, advanced.
LINE_FIELDS = st.tuples(
    st.integers(0, 31),
    st.fractions(0, 1),
    AMOUNTS,
    st.lists(st.tuples(st.text(max_size=5), AMOUNTS), max_size=3).map(tuple),
    AMOUNTS,
    AMOUNTS,
    AMOUNTS,
    st.sampled_from(LineStatus),
    st.text(max_size=20),
    st.text(max_size=20),
    st.sampled_from(["", "advance", "true-up"]),
    AMOUNTS,
)


@given(LINE_FIELDS)
def test_line_figures_made_is_the_dataclass(values: tuple[Any, ...]) -> None:
    made = LineFigures.made(*values)
    assert made == LineFigures(*values)
    assert tuple(getattr(made, f.name) for f in fields(LineFigures)) == values


@st.composite
def member_values(
    draw: st.DrawFn,
) -> tuple[str, str, date, date | None, str, str | None, str | None]:
    start = draw(st.dates(date(2000, 1, 1), date(2030, 12, 31)))
    end = draw(st.none() | st.integers(0, 4000).map(lambda days: start + timedelta(days)))
    fte = draw(st.integers(1, 10**6).map(lambda units: str(Decimal(units) / 10**6)))
    amount = st.none() | st.integers(0, 10**9).map(lambda cents: str(Decimal(cents) / 100))
    # an id as the roster reader passes it on: in one spelling (NFC), without the control
    # or format characters it refuses (Member refuses them too; ``checked`` trusts its reader)
    member_id = draw(
        st.text(min_size=1, max_size=8)
        .map(lambda text: unicodedata.normalize("NFC", text))
        .filter(lambda text: text.strip() and unsafe_character(text) is None)
    )
    return member_id, draw(st.text(max_size=8)), start, end, fte, draw(amount), draw(amount)


@given(member_values())
def test_member_checked_is_the_member(
    values: tuple[str, str, date, date | None, str, str | None, str | None],
) -> None:
    member_id, team, start, end, fte, salary, bonus = values
    fte_value, units = fte_units(fte)
    checked = Member.checked(
        member_id,
        team,
        start,
        end,
        fte_value,
        units,
        None if salary is None else annual_amount(salary, "salary"),
        None if bonus is None else annual_amount(bonus, "target_bonus"),
    )
    member = Member(member_id, team, start, end, fte, salary, bonus)
    assert checked == member
    assert [getattr(checked, f.name) for f in fields(Member)] == [
        getattr(member, f.name) for f in fields(Member)
    ]


@given(st.lists(CELL_TEXT, max_size=8))
def test_a_column_escaped_at_once_is_each_cell_escaped(texts: list[str]) -> None:
    assert escape_formulas(texts) == [escape_formula(text) for text in texts]


@given(
    st.lists(st.tuples(CELL_TEXT, st.sampled_from(["sales", "marketing", "=ops", "a,b", ""])))
    | st.lists(st.tuples(CELL_TEXT, CELL_TEXT), max_size=6)
)
def test_the_rosters_member_cells_are_each_members_cells(members: list[tuple[str, str]]) -> None:
    ids = [member_id for member_id, _ in members]
    teams = [team for _, team in members]
    cells = head_cells(ids, teams, "surrogatepass")  # a lone surrogate stays one
    assert cells == [
        head_cell(member_id, team).encode("utf-8", "surrogatepass") for member_id, team in members
    ]
    for cell, (member_id, team) in zip(cells, members, strict=True):
        if "\r" in member_id + team:
            continue  # csv.writer with lineterminator "\n" leaves a carriage return unquoted
        text = cell.decode("utf-8", "surrogatepass")
        (row,) = csv.reader(io.StringIO(text, newline=""))  # the csv module reads it back
        assert row == [escape_formula(member_id), escape_formula(team), ""]


#: A line's figures with a reason that may need escaping or quotes.
PLAIN_LINES = st.lists(
    st.builds(
        LineFigures.made,
        st.integers(0, 31),
        st.fractions(0, 1),
        AMOUNTS,
        st.just(()),
        st.just(0),
        AMOUNTS,
        st.just(0),
        st.sampled_from(LineStatus),
        # a reason beginning with what a spreadsheet runs, or holding what csv quotes
        st.tuples(st.sampled_from(["", *FORMULA_TRIGGERS, "'"]), CELL_TEXT).map("".join)
        | st.sampled_from(["", "left on 2026-01-09", "target missed: 97.8%"]),
        st.text(max_size=4),
    ),
    max_size=6,
)


#: A month's distinct lines of its shared part alone, its attainment and payout factor.
PLAIN_MONTHS = st.tuples(
    PLAIN_LINES, st.none() | st.fractions(0, 3), st.none() | st.fractions(0, 2)
)


@example(
    [
        (
            [LineFigures.made(3, Fraction(1, 2), 5, (), 0, 5, 0, LineStatus.PAID, '=1,"a"', "")],
            None,
            None,
        )
    ],
    Currency("USD", 2),
)
@example(  # two weights of one numerator, two amounts of one text in another currency
    [
        ([LineFigures.made(3, Fraction(1, 2), 5, (), 0, 5, 0, LineStatus.PAID, "", "")], None, 1),
        ([LineFigures.made(3, Fraction(1, 3), 7, (), 0, 7, 0, LineStatus.PAID, "", "")], None, 1),
    ],
    Currency("USD", 2),
)
@given(
    st.lists(PLAIN_MONTHS, min_size=1, max_size=3),
    st.sampled_from([Currency("USD", 2), Currency("JPY", 0), Currency("KWD", 3)]),
)
def test_plain_line_texts_are_the_documents_rows(
    months: list[tuple[list[LineFigures], Fraction | None, Fraction | None]],
    currency: Currency,
) -> None:
    """Month after month, one :class:`PlainTexts` (its weights, amounts and reasons
    formatted once for them all) gives each month's rows of its lines' documents."""
    plain_texts = PlainTexts(currency)
    columns = LINE_COLUMNS[2:]
    for number, (figures, attainment, factor) in enumerate(months, start=1):
        month = cast(
            Any,
            SimpleNamespace(
                month=Month(2026, number),
                attainment=attainment,
                factor=factor,
                lines=SimpleNamespace(figures=tuple(figures)),
            ),
        )
        documents = MonthLineDocuments(currency, month)
        rows = [_row_text(flat_line(documents.of(i)), columns) for i in range(len(figures))]
        texts = plain_texts(month)
        assert texts == rows
        for text, line in zip(texts, figures, strict=True):
            if "\r" in line.reason:
                continue  # csv.writer with lineterminator "\n" leaves a carriage return unquoted
            (row,) = csv.reader(io.StringIO(text, newline=""))
            assert row[-1] == escape_formula(line.reason)
            assert len(row) == len(columns)


@st.composite
def month_lines_over(draw: st.DrawFn, cohort_of: list[int]) -> MonthLines:
    """A month's lines over members in the cohorts ``cohort_of``: each cohort's line, and
    some members with a line of their own."""
    cohorts = max(cohort_of, default=-1) + 1
    count = draw(st.integers(1, 5))
    line = st.integers(0, count - 1)
    of_cohort = draw(st.lists(line, min_size=cohorts, max_size=cohorts))
    positions = st.integers(0, len(cohort_of) - 1) if cohort_of else st.nothing()
    own = draw(st.dictionaries(positions, line, max_size=len(cohort_of)))
    figures = tuple(
        LineFigures.made(n, Fraction(0), 0, (), 0, 0, 0, LineStatus.ZERO, "", "")
        for n in range(count)
    )
    return MonthLines(figures, of_cohort, cohort_of, own)


@st.composite
def months_of_lines(draw: st.DrawFn) -> list[MonthLines]:
    """Months' lines: runs of months that share their members' cohorts (one ``cohort_of``,
    as every month of a result framed once does), each run with cohorts of its own."""
    members = draw(st.integers(0, 6))
    months = []
    for _ in range(draw(st.integers(1, 3))):
        cohort_of = draw(st.lists(st.integers(0, 3), min_size=members, max_size=members))
        for _ in range(draw(st.integers(1, 3))):
            months.append(draw(month_lines_over(cohort_of)))
    return months


@given(months_of_lines())
def test_spreading_month_after_month_gives_each_members_line(months: list[MonthLines]) -> None:
    spread = Spread()
    for lines in months:
        texts = [f"line {index}" for index in range(len(lines.figures))]
        assert list(spread(lines, texts)) == [texts[lines.index(p)] for p in range(len(lines))]
        assert lines.spread(texts) == spread(lines, texts)


@st.composite
def month_pays(draw: st.DrawFn) -> tuple[MonthPay, list[int]]:
    """A month's pay of a few groups: each part's shares of each group, and some cuts."""
    counts = draw(st.lists(st.integers(1, 9), min_size=1, max_size=5))
    parts = [
        Part(
            0,
            Fraction(0),
            tuple(
                GroupShare(draw(st.integers(0, 50)), draw(st.integers(0, count)))
                for count in counts
            ),
        )
        for _ in range(draw(st.integers(1, 4)))
    ]
    cuts = {}
    for group, count in enumerate(counts):
        if draw(st.booleans()):
            ends = sorted({*draw(st.lists(st.integers(1, count), max_size=3)), count})
            cuts[group] = tuple((end, draw(st.integers(0, 30))) for end in ends)
    return MonthPay(parts[0], tuple(parts[1:]), cuts, 0), counts


@given(month_pays())
def test_every_groups_last_runs_at_once_are_each_groups_slices(
    pay_and_counts: tuple[MonthPay, list[int]],
) -> None:
    pay, counts = pay_and_counts
    last = pay.last_runs(counts)
    runs = [
        [*last.earlier.get(g, []), (count, (last.shared[g], *last.goals[g]), last.cut[g])]
        for g, count in enumerate(counts)
    ]
    assert runs == [pay.slices(g, count) for g, count in enumerate(counts)]
    assert all(runs) and all(len(r) > 1 for g, r in enumerate(runs) if g in last.earlier)


#: What a terminal is shown, mostly: printable ASCII, line feeds and tabs.
PLAIN_TEXT = st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E) | st.sampled_from(["\n", "\t"]),
    max_size=20,
)
#: Plain text with at most one character that may be suspect (an ASCII control, DEL, a C1
#: control, a bidirectional or separator character, an accent, anything), and any text.
TERMINAL_TEXT = st.tuples(
    PLAIN_TEXT,
    st.just("")
    | st.characters(max_codepoint=0x7F)
    | st.sampled_from(["\x7f", "\r", "\x85", "\x9b", "é", "\u202e", "\u2028", "\ufeff"])
    | st.characters(),
    PLAIN_TEXT,
).map("".join) | st.text(max_size=20)


@given(TERMINAL_TEXT)
@example("~ \n\t")  # the edges of what passes at once
@example("A\x1fB")
@example("A\x7fB")
@example("\r\n")
@example("\x0b")
@example("é\x1b")
def test_terminal_text_is_each_suspect_character_escaped(text: str) -> None:
    assert terminal_text(text) == _SUSPECT.sub(_escaped, text)


@given(st.lists(TERMINAL_TEXT, max_size=4))
@example(["A\x1b", "[2J\n"])  # an escape sequence across two parts
@example(["\U0001f600", "\u202e"])
def test_terminal_text_of_parts_joined_is_the_parts_escaped_joined(parts: list[str]) -> None:
    """What lets the JSON stream escape each distinct part once, where it is made."""
    assert terminal_text("".join(parts)) == "".join(map(terminal_text, parts))


@given(st.lists(TERMINAL_TEXT, max_size=6))
@example(["A", "B\x1b", "C"])  # one suspect text among plain ones
@example(["~ \n\t", ""])
def test_terminal_texts_is_each_text_escaped(texts: list[str]) -> None:
    """What lets the JSON stream ask once whether any of 100,000 member ids needs escaping."""
    assert terminal_texts(texts) == list(map(terminal_text, texts))


#: Values that repeat from object to object, among them values that are equal and hash
#: alike but are written differently (``True``, ``1``, ``1.0``; ``0``, ``False``, ``-0.0``),
#: and strings that need escaping.
ITEM_VALUES = st.sampled_from(
    [None, True, False, 0, 1, 1.0, 0.0, -0.0, -7, 2.5, "", "1", "12.50", 'a "b"', "\x1b", "é"]
)
JSON_VALUE = st.recursive(
    ITEM_VALUES | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)
#: Keys from a few, so that items repeat; and keys that are not strings, which json turns
#: into strings.
STRING_KEYS = st.sampled_from(["period", "days", "total", "reason", "", 'k"\\'])
OTHER_KEYS = st.sampled_from([1, None, True, 2.5])
OBJECTS = st.lists(
    st.dictionaries(STRING_KEYS, ITEM_VALUES, max_size=5)
    | st.dictionaries(STRING_KEYS, ITEM_VALUES | JSON_VALUE, max_size=5)
    | st.dictionaries(STRING_KEYS | OTHER_KEYS, ITEM_VALUES | JSON_VALUE, max_size=4),
    min_size=1,
    max_size=10,
)


@given(OBJECTS, st.sampled_from([None, 0, 1, 2, 3]))
@example([{"days": 1}, {"days": True}, {"days": 1.0}], 2)  # equal values, other texts
@example([{"days": 0}, {"days": False}, {"days": -0.0}, {"days": 0.0}], None)
@example([{"total": "1"}, {"days": "1"}], 1)  # one value under two keys
@example([{"days": 1}, {1: 1}, {True: 1}], 2)  # keys json turns into strings
def test_object_texts_are_each_object_written_whole(
    documents: list[dict[Any, Any]], level: int | None
) -> None:
    """Each object's text is its text written whole, whatever items it shares with the
    objects before it (each written once, then reused)."""
    texts = ObjectTexts(level)
    for document in documents:
        if level is None:
            expected = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        else:
            expected = nested_text(document, level)
            indented = json.dumps(document, indent=2, ensure_ascii=False)
            assert expected == indented.replace("\n", "\n" + "  " * level)
        assert texts(document) == expected


@st.composite
def rosters(draw: st.DrawFn) -> list[Member]:
    """A few members starting and leaving around a plan year from 2026-01, some alike."""
    days = st.integers(-60, 420).map(lambda n: date(2026, 1, 1) + timedelta(n))
    members = []
    for number in range(draw(st.integers(1, 8))):
        start = draw(days)
        end = draw(st.none() | days.filter(lambda day: day >= start))  # noqa: B023
        members.append(
            Member(
                f"M{number}",
                draw(st.sampled_from(["sales", "marketing"])),
                start,
                end,
                draw(st.sampled_from(["1", "0.5", "0.8"])),
                draw(st.sampled_from(["0", "50000", "72000.50"])),
                draw(st.sampled_from(["0", "5000", "7200"])),
            )
        )
    return members


@given(rosters(), st.sampled_from(["equal", "salary", "target_bonus"]), st.booleans())
def test_framed_months_are_each_members_standing(
    members: list[Member], split: str, leavers: bool
) -> None:
    plan = build_plan(
        name="Frames",
        currency="USD",
        start="2026-01",
        months=12,
        members=members,
        history=[HistoryMonth(Month(2025, m), D(100), D(100)) for m in range(1, 13)],
        targets={str(Month(2026, m)): "100" for m in range(1, 13)},
        curve=StepCurve(),
        budget="1000",
        split=split,
        pay_leavers_for_exit_month=leavers,
    )
    framed = frame_months(plan)
    to_minor = plan.currency.to_minor
    for position, member in enumerate(plan.members):
        cohort = framed.cohorts[framed.cohort_of[position]]
        salary = to_minor(member.salary) if member.salary is not None else 0
        bonus = to_minor(member.target_bonus) if member.target_bonus else 0
        for index, frame in enumerate(framed.months):
            standing = member.standing(frame.plan_month.month, leavers)
            units = standing.units
            weight, reason = _split(plan, units, units * salary, units * bonus, standing.reason)
            assert cohort.days[index] == standing.days
            assert frame.units[cohort.group] == units
            assert frame.split[cohort.group] == weight
            assert cohort.reasons[index] == reason


#: Members who move from sales to marketing on 15 June 2026, so their cells change then.
MOVER = [
    Member("MV", "sales", date(2025, 1, 1), date(2026, 6, 14), "1"),
    Member("MV", "marketing", date(2026, 6, 15), None, "1"),
]


@given(
    rosters(),
    st.sampled_from(["equal", "salary", "target_bonus"]),
    st.booleans(),
    st.lists(st.sampled_from(["90", "100", "120"]), max_size=12),
)
def test_each_members_line_reads_their_own_standing(
    members: list[Member], split: str, leavers: bool, actuals: list[str]
) -> None:
    """A month's lines are keyed a column of cohorts at a time, and a line the standing
    decides is made once for the year: each member's line still shows their own days,
    weight and, where their standing gives them no share, its reason, month by month."""
    always = Member("A0", "marketing", date(2025, 1, 1), None, "1", "60000", "6000")
    plan = build_plan(
        name="Standings",
        currency="USD",
        start="2026-01",
        months=12,
        members=[always, *members],
        history=[HistoryMonth(Month(2025, m), D(100), D(100)) for m in range(1, 13)],
        targets={str(Month(2026, m)): "100" for m in range(1, 13)},
        actuals={str(Month(2026, m)): a for m, a in enumerate(actuals, start=1)},
        curve=StepCurve(),
        budget="1000",
        split=split,
        pay_leavers_for_exit_month=leavers,
    )
    to_minor = plan.currency.to_minor
    for month in run(plan).months:
        for position, member in enumerate(plan.members):
            standing = member.standing(month.month, leavers)
            units = standing.units
            salary = to_minor(member.salary) if member.salary is not None else 0
            bonus = to_minor(member.target_bonus) if member.target_bonus else 0
            _, reason = _split(plan, units, units * salary, units * bonus, standing.reason)
            line = month.lines[position]
            assert line.days == standing.days
            assert line.weight == Fraction(units, FTE_SCALE * month.month.days)
            assert line.standing == reason
            if reason:
                assert line.reason == reason


@given(
    rosters(),
    st.sampled_from([2, 4, 6, 10**9]),
    st.lists(st.sampled_from(["90", "100", "120"]), max_size=12),
    st.booleans(),
    # an id to escape, to quote, or with a lone surrogate (lines_csv gives it back as text)
    st.sampled_from(["", "=", "'", '"q,', "\ud800"]),
)
def test_lines_csv_in_pieces_is_each_members_row_in_order(
    members: list[Member], piece: int, actuals: list[str], move: bool, odd: str
) -> None:
    """``lines.csv`` is made and written a few thousand rows at a time (``writer._PIECE``
    cells, here a row or a few): it is the header, then month by month each member's
    cells (those of the month's team for a member who moves team) and the row of their
    line's document, in member order (the months after the actuals given are pending)."""
    always = Member(f"{odd}A0", "marketing", date(2025, 1, 1), None, "1")  # someone to pay
    plan = build_plan(
        name="Pieces",
        currency="USD",
        start="2026-01",
        months=12,
        members=[always, *members, *(MOVER if move else [])],
        history=[HistoryMonth(Month(2025, m), D(100), D(100)) for m in range(1, 13)],
        targets={str(Month(2026, m)): "100" for m in range(1, 13)},
        actuals={str(Month(2026, m)): a for m, a in enumerate(actuals, start=1)},
        curve=StepCurve(),
        budget="1000",
    )
    result = run(plan)
    default, writer._PIECE = writer._PIECE, piece
    try:
        text = lines_csv(result)
    finally:
        writer._PIECE = default
    columns = LINE_COLUMNS[2:]
    expected = [",".join(LINE_COLUMNS) + "\n"]
    for month in result.months:
        documents = MonthLineDocuments(plan.currency, month)
        for position, member in enumerate(plan.members):
            row = _row_text(flat_line(documents.of(month.lines.index(position))), columns)
            expected.append(head_cell(member.id, member.team_in(month.month)) + row)
    assert text == "".join(expected)
