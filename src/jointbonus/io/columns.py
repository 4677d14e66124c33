"""Checking a CSV file's rows a column at a time, by the row model's own field types.

A roster of 100,000 lines repeats the same few dates, FTEs and amounts, so
its cells are checked a column at a time: each distinct cell once, by the
very function the row model's field type checks it with
(:mod:`jointbonus.io.fields`), and every row with that cell shares the value.
No pydantic model is made or validated per row: the row model is read once,
for its columns, what each is checked by and which are required.

A bad cell is reported as the row model reports it -- file, line, column,
the value and what was expected -- and its row is left out, so a file read
here gives exactly the rows and the problems that validating each row with
the model gives (:func:`~jointbonus.io.reading.validate_rows`); a property
test holds the two together on generated cells, good and bad.

>>> from jointbonus.io.fields import RosterRow
>>> [(rule.name, rule.required) for rule in column_rules(RosterRow)][:4]
[('id', True), ('team', True), ('start', True), ('end', False)]
>>> start = column_rules(RosterRow)[2]
>>> start.value(" 2026-02-01 "), start.value("")
(datetime.date(2026, 2, 1), None)
>>> start.value("2026-02-30")
Refused(value='2026-02-30', expected='a real calendar date written YYYY-MM-DD')
"""

from __future__ import annotations

import functools
import operator
import types
import typing
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from itertools import chain, compress, pairwise, repeat
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import annotated_types
from pydantic import BaseModel, BeforeValidator, WithJsonSchema
from pydantic.fields import FieldInfo

from jointbonus.core.roster import Member, Roster, fte_units
from jointbonus.core.text import ID_CHARACTERS, member_id, unsafe_character
from jointbonus.errors import Problem
from jointbonus.io.fields import RosterRow, decimal, month_check
from jointbonus.io.reading import Collector, CsvChunk, expected_text, read_csv_columns
from jointbonus.io.reading import read_rows as read_model_rows
from jointbonus.io.sources import InputFormat, is_workbook, read_table

__all__ = [
    "ColumnRule",
    "Columns",
    "MemberRows",
    "Refused",
    "check_columns",
    "column_rules",
    "read_columns",
    "read_members",
    "read_rows",
]

Row = TypeVar("Row", bound=BaseModel)

#: What a missing required cell is reported as (pydantic's 'missing', put plainly).
_REQUIRED = expected_text({"type": "missing", "msg": "Field required"})


@dataclass(frozen=True, slots=True)
class Refused:
    """A cell refused by its column's check: the cell, stripped, and what was expected."""

    value: str
    expected: str


@dataclass(frozen=True, slots=True)
class ColumnRule:
    """How one column's cells are checked: the row model's field, read once."""

    name: str
    required: bool
    """Whether an empty cell is a problem (else it is ``None``)."""
    parse: Callable[[str], object] | None
    """The field type's own check, turning text into a value or raising ``ValueError``
    with what was expected; ``None``: the value is the text itself."""
    min_length: int | None = None
    max_length: int | None = None
    """Bounds on the length of a text value."""
    kind: str = "text"
    """What the column holds: ``number``, ``date``, ``month`` or ``text``."""

    def value(self, cell: str) -> object:
        """The value of ``cell`` as written: ``None`` if empty, else the value or a
        :class:`Refused`, in the words the row model would use."""
        text = cell.strip()
        if not text:
            return None
        if self.parse is not None:
            try:
                return self.parse(text)
            except ValueError as error:
                return Refused(
                    text, expected_text({"type": "value_error", "msg": f"Value error, {error}"})
                )
        if self.max_length is not None and len(text) > self.max_length:
            return Refused(text, _length_text("at most", self.max_length))
        if self.min_length is not None and len(text) < self.min_length:
            return Refused(text, _length_text("at least", self.min_length))
        return text


def _length_text(bound: str, length: int) -> str:
    """Pydantic's words for a text of the wrong length, put as the other messages are."""
    plural = "" if length == 1 else "s"
    return expected_text(
        {"type": "string_length", "msg": f"String should have {bound} {length} character{plural}"}
    )


#: A row model's settings that do not change how a cell is checked.
_NEUTRAL_CONFIG = {"extra", "frozen", "str_strip_whitespace", "protected_namespaces", "title"}


@functools.lru_cache(maxsize=256)  # the plan months' models are made per set of metrics
def column_rules(model: type[BaseModel]) -> tuple[ColumnRule, ...] | None:
    """The rule of each of ``model``'s fields, in order; ``None`` if a field is not one of
    the kinds read here (text, or a value made by one ``BeforeValidator``; optional or not)
    or the model checks more than its fields one by one."""
    decorators = model.__pydantic_decorators__
    if (
        decorators.validators
        or decorators.field_validators
        or decorators.root_validators
        or decorators.model_validators
        or not set(model.model_config) <= _NEUTRAL_CONFIG
    ):
        return None
    rules = []
    for name, field in model.model_fields.items():
        rule = _rule(name, field)
        if rule is None:
            return None
        rules.append(rule)
    return tuple(rules)


def _rule(name: str, field: FieldInfo) -> ColumnRule | None:
    annotation: Any = field.annotation
    metadata = list(field.metadata)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [kind for kind in typing.get_args(annotation) if kind is not type(None)]
        if len(kinds) != 1:
            return None
        annotation = kinds[0]
    if typing.get_origin(annotation) is Annotated:
        annotation, *more = typing.get_args(annotation)
        metadata.extend(more)
    parse = None
    lengths: dict[str, int] = {}
    for item in metadata:
        if isinstance(item, BeforeValidator) and parse is None:
            parse = item.func
        elif isinstance(item, annotated_types.MinLen):
            lengths["min_length"] = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            lengths["max_length"] = item.max_length
        elif not isinstance(item, WithJsonSchema):
            return None
    if parse is None and annotation is not str:
        return None
    if parse is not None and (lengths or annotation not in (str, Decimal, date)):
        return None
    kind = _KINDS.get(annotation, "month" if parse is month_check else "text")
    return ColumnRule(name, field.is_required(), parse, kind=kind, **lengths)  # type: ignore[arg-type]


_KINDS: dict[object, str] = {Decimal: "number", date: "date"}


@dataclass(frozen=True, slots=True)
class Columns:
    """The rows of a file that passed every check, a column at a time."""

    lines: Sequence[int]
    """Each row's line in the file."""
    values: dict[str, list[Any]]
    """Each field's values, row by row (``None`` for an empty cell)."""

    def __len__(self) -> int:
        return len(self.lines)


Key = TypeVar("Key")
Made = TypeVar("Made")


class _Memo(dict[Key, Made]):
    """Each key asked for so far and its value, made the first time it is asked for: a
    column of a roster's 100,000 cells holds a few thousand distinct dates and amounts,
    each checked once, and each cell is looked up once."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[Key], Made]) -> None:
        super().__init__()
        self.make = make

    def __missing__(self, key: Key) -> Made:
        self[key] = made = self.make(key)
        return made


class _Column:
    """One column's values as its chunks are taken, each distinct cell checked once."""

    __slots__ = ("checked", "distinct", "rule", "text_empty", "text_refused", "values")

    def __init__(self, rule: ColumnRule) -> None:
        self.rule = rule
        self.values: list[Any] = []
        self.checked = _Memo(rule.value)
        """Each distinct cell met and its value."""
        self.distinct: bool | None = None
        """Whether the column holds text cells mostly distinct (ids), as its first chunk
        shows: those are taken in bulk, not looked up (:meth:`_take_text`)."""
        self.text_refused = False
        self.text_empty = False
        """Whether some value taken in bulk is :class:`Refused`, or ``None``."""

    @property
    def refused(self) -> bool:
        """Whether some value is :class:`Refused` (asked of the distinct cells)."""
        return self.text_refused or any(type(v) is Refused for v in self.checked.values())

    @property
    def empty(self) -> bool:
        """Whether some value is ``None`` (an empty cell)."""
        return self.text_empty or None in self.checked.values()

    def take(self, cells: list[str]) -> None:
        if self.distinct is None:
            self.distinct = self.rule.parse is None and 2 * len(set(cells)) > len(cells)
        if self.distinct:
            self._take_text(cells)
        else:
            self.values.extend(map(self.checked.__getitem__, cells))

    def _take_text(self, cells: list[str]) -> None:
        """Text cells, most of them distinct (ids): the cells themselves when none holds
        white space to strip and every length fits (asked of the chunk at once, the white
        space of all its cells joined), else each checked."""
        rule = self.rule
        every = "".join(cells)
        shortest = rule.min_length or 0
        if (
            every.split(None, 1) == [every]  # no white space: each cell is its stripped text
            and "" not in cells  # so each is at least one character long
            and (rule.max_length is None or max(map(len, cells)) <= rule.max_length)
            and (shortest <= 1 or min(map(len, cells)) >= shortest)
        ):
            self.values.extend(cells)
            return
        found = list(map(rule.value, cells))
        self.text_refused = self.text_refused or any(type(v) is Refused for v in found)
        self.text_empty = self.text_empty or None in found
        self.values.extend(found)


def check_columns(
    model: type[BaseModel],
    header: Sequence[str],
    chunks: Iterable[CsvChunk],
    shown: str,
    problems: Collector,
    *,
    rules: Sequence[ColumnRule] | None = None,
) -> Columns:
    """The rows of ``chunks`` that pass ``model``'s checks; a problem for each bad cell.

    Problems are added only once every chunk is taken, row by row in file
    order and, within a row, in the model's field order -- the order
    validating each row with the model gives. ``rules``: the model's
    :func:`column_rules`, as a file's format changes them (a decimal comma).
    """
    if rules is None:
        rules = column_rules(model)
    if rules is None:
        raise TypeError(f"{model.__name__} has fields not checked a column at a time")
    where = {name: index for index, name in enumerate(header)}
    columns = [_Column(rule) for rule in rules]
    parts: list[Sequence[int]] = []
    for chunk in chunks:
        for column in columns:
            index = where.get(column.rule.name)
            if index is None:  # an optional column left out of the header
                column.values.extend(repeat(None, len(chunk.lines)))
            else:
                column.take(chunk.cells[index])
        parts.append(chunk.lines)
    lines = _joined(parts)
    if not lines and not any(p.file == shown for p in problems.problems):
        problems.add(shown, 2, "rows", "(none)", "at least one data row after the header")
    bad: dict[int, list[Problem]] = {}
    for column in columns:
        name, values = column.rule.name, column.values
        if column.refused:
            for index, value in enumerate(values):
                if type(value) is Refused:
                    bad.setdefault(index, []).append(
                        Problem(name, value.value, value.expected, shown, lines[index])
                    )
        if column.rule.required and column.empty:
            for index, value in enumerate(values):
                if value is None:
                    bad.setdefault(index, []).append(
                        Problem(name, None, _REQUIRED, shown, lines[index])
                    )
    if not bad:
        return Columns(lines, {column.rule.name: column.values for column in columns})
    for index in sorted(bad):
        problems.problems.extend(bad[index])
    keep = [index not in bad for index in range(len(lines))]
    return Columns(
        array("I", compress(lines, keep)),
        {column.rule.name: list(compress(column.values, keep)) for column in columns},
    )


def _joined(parts: Sequence[Sequence[int]]) -> Sequence[int]:
    """The lines of consecutive chunks as one sequence: one range when each chunk's lines
    are a range starting where the one before stops (a plain file's chunks), else an array."""
    if len(parts) == 1:
        return parts[0]
    ranges = [part for part in parts if isinstance(part, range) and part.step == 1]
    if (
        ranges
        and len(ranges) == len(parts)
        and all(before.stop == after.start for before, after in pairwise(ranges))
    ):
        return range(ranges[0].start, ranges[-1].stop)
    return array("I", chain.from_iterable(parts))


def read_columns(
    path: Path,
    shown: str,
    model: type[BaseModel],
    problems: Collector,
    form: InputFormat | None = None,
) -> Columns:
    """The rows of the CSV file of ``model``'s rows that pass its checks, a column at a time.

    The file's header must name the model's required fields and no other
    column; every problem (of the file, its rows or its cells) is added to
    ``problems``. ``form``: how the file is written (:mod:`jointbonus.io.sources`);
    a plain CSV file by default.
    """
    rules = column_rules(model)
    if rules is None:
        raise TypeError(f"{model.__name__} has fields not checked a column at a time")
    names = [rule.name for rule in rules]
    required = [rule.name for rule in rules if rule.required]
    if is_workbook(path) or (form is not None and not form.plain):
        return _read_written(
            path, shown, model, rules, form=form or InputFormat(""), problems=problems
        )

    def take(header: list[str], chunks: Iterator[CsvChunk]) -> Columns:
        # check_columns adds its problems once every chunk is taken, as read_csv_columns asks.
        return check_columns(model, header, chunks, shown, problems)

    checked = read_csv_columns(path, shown, names, required, problems, take=take)
    return checked if checked is not None else Columns((), {name: [] for name in names})


def _read_written(
    path: Path,
    shown: str,
    model: type[BaseModel],
    rules: Sequence[ColumnRule],
    *,
    form: InputFormat,
    problems: Collector,
) -> Columns:
    """:func:`read_columns` of a file written as ``form`` says, or of a workbook."""
    kinds = {rule.name: rule.kind for rule in rules}
    required = [rule.name for rule in rules if rule.required]
    table = read_table(path, shown, form, kinds, required, problems=problems)
    if table is None:
        return Columns((), {rule.name: [] for rule in rules})
    header, rows = table
    if form.decimal == "comma":
        rules = [_comma(rule) if rule.kind == "number" else rule for rule in rules]
    lines = array("I", [line for line, _ in rows])
    cells = [list(column) for column in zip(*(cells for _, cells in rows), strict=True)]
    chunks = [CsvChunk(lines, cells)] if lines else []
    return check_columns(model, header, chunks, shown, problems, rules=rules)


#: A number whose decimal mark is the comma, refused in the words the grammar's own refusal
#: would use.
_COMMA_EXPECTED = (
    "a decimal number written with digits and an optional ',' (the file's decimal mark), "
    "such as 1234,56 (no thousands separators or currency signs)"
)


def _comma(rule: ColumnRule) -> ColumnRule:
    """``rule`` for a number written with a decimal comma: ``1234,56`` is read as
    ``1234.56`` by the number grammar itself; a ``.`` is refused."""
    parse = rule.parse
    if parse is None:
        return rule

    def check(text: str) -> object:
        canonical = text.replace(",", ".")
        if "." in text or text.count(",") > 1:
            raise ValueError(_COMMA_EXPECTED)
        try:
            decimal(canonical)
        except ValueError:
            raise ValueError(_COMMA_EXPECTED) from None
        return parse(canonical)

    return replace(rule, parse=check)


def read_rows(
    path: Path,
    shown: str,
    model: type[Row],
    problems: Collector,
    form: InputFormat | None = None,
) -> list[tuple[int, Row]]:
    """The rows of ``model``'s CSV file that pass its checks, as ``(line, row)``.

    Each row is made from its checked values (``model_construct``), not
    validated again; a model whose fields are not of the kinds
    :func:`column_rules` reads is validated row by row instead (a plain CSV
    file only). ``form``: how the file is written, as :func:`read_columns` takes it.
    """
    if column_rules(model) is None:
        if is_workbook(path) or (form is not None and not form.plain):
            raise TypeError(f"{model.__name__} has fields not checked a column at a time")
        return read_model_rows(path, shown, model, problems)
    checked = read_columns(path, shown, model, problems, form)
    names = list(checked.values)
    rows = zip(*checked.values.values(), strict=True)
    made = model.model_construct
    return [
        (line, made(**{name: v for name, v in zip(names, values, strict=True) if v is not None}))
        for line, values in zip(checked.lines, rows, strict=True)
    ]


class MemberRows(Mapping[str, int]):
    """The rows a roster file gives, in file order, each one member's standing, with its line.

    A member id may have several rows (a standing that changes): the plan
    checks them together and makes them one person. As a mapping: member id
    -> the first line with that id, as
    :class:`~jointbonus.sharedtarget.plan.Provenance` keeps it, looked up in
    the rows put in id order once asked for, not a dictionary of a million
    entries.
    """

    __slots__ = ("_order", "lines", "members")

    def __init__(self, members: Sequence[Member], lines: Sequence[int]) -> None:
        if len(members) != len(lines):
            raise ValueError("members and lines of different lengths")
        self.members = Roster.of(members)
        """The roster's rows, in file order, held as columns."""
        self.lines = lines
        """Each row's line in the roster, in the same order."""
        self._order: list[int] | None = None

    def _in_id_order(self) -> list[int]:
        """The rows' places in id order, rows of one id in file order."""
        if self._order is None:
            ids = self.members.ids
            self._order = sorted(range(len(ids)), key=ids.__getitem__)
        return self._order

    def __getitem__(self, member_id: str) -> int:
        if isinstance(member_id, str):
            order = self._in_id_order()
            ids = self.members.ids
            at = bisect_left(order, member_id, key=ids.__getitem__)
            if at < len(order) and ids[order[at]] == member_id:
                return self.lines[order[at]]
        raise KeyError(member_id)

    def __iter__(self) -> Iterator[str]:
        """The member ids, each once, in id order."""
        ids = self.members.ids
        return iter(dict.fromkeys(map(ids.__getitem__, self._in_id_order())))

    def __len__(self) -> int:
        return len(set(self.members.ids))


def read_members(
    path: Path, shown: str, problems: Collector, form: InputFormat | None = None
) -> MemberRows:
    """The roster's rows in file order, with their lines.

    The cells are checked by the roster's field types, which apply the core's
    rules (:func:`~jointbonus.core.roster.fte_problem`), so each row's member
    is made without checking them again. A row that ends before it starts is
    a problem, and is kept: the plan's checks of each member's rows (rows that
    overlap, a team that changes mid-month) then list their problems with it,
    every problem of the roster at once. A roster with a problem makes no plan.
    The rows are held as columns (:class:`~jointbonus.core.roster.Roster`).
    ``form``: how the file is written (:func:`read_columns`).
    """
    checked = read_columns(path, shown, RosterRow, problems, form)
    values = checked.values
    lines = checked.lines
    values["id"] = _member_ids(values["id"], lines, shown, problems)
    if _any_end_before_start(values["start"], values["end"]):
        _ordered(values, lines, shown, problems)
    units = _Memo(_units_of)  # each distinct FTE's units, found once
    members = Roster(
        values["id"],
        values["team"],
        values["start"],
        values["end"],
        values["fte"],
        list(map(units.__getitem__, values["fte"])),
        values["salary"],
        values["target_bonus"],
    )
    return MemberRows(members, lines)


def _units_of(fte: Decimal) -> int:
    """An FTE's units (millionths), by the core's one rule."""
    return fte_units(fte)[1]


def _member_ids(ids: list[str], lines: Sequence[int], shown: str, problems: Collector) -> list[str]:
    """The ids in their one spelling (NFC), made afresh side by side in memory; a problem
    for each id holding a character that is not text (:mod:`jointbonus.core.text`). Asked
    of the whole column at once: a roster's ids are nearly always printable ASCII.

    An id as split from the file lies among the other cells of its line. Made again, one
    after another, the ids of 100,000 members are sorted (and written by every output)
    without a wait on memory at each one: sorting them takes half the time.
    """
    every = "".join(ids)  # one pass over one text, in C, for both questions
    if not every.isascii():
        ids = list(map(member_id, ids))
    if not every.isprintable():
        for text, line in zip(ids, lines, strict=True):
            found = unsafe_character(text)
            if found is not None:
                problems.add(shown, line, "id", text, f"{ID_CHARACTERS}; it holds {found}")
        return ids
    return "\n".join(ids).split("\n") if ids else ids  # printable: no id holds a line end


def _any_end_before_start(starts: list[date], ends: list[date | None]) -> bool:
    """Whether some row ends before it starts, asked of the rows with an end alone (a
    date is true, ``None`` false: most rows of a roster have no end)."""
    given = cast("Iterator[date]", compress(ends, ends))
    return any(map(operator.lt, given, compress(starts, ends)))


def _ordered(
    values: dict[str, list[Any]], lines: Sequence[int], shown: str, problems: Collector
) -> None:
    """A problem for each row ending before it starts."""
    for start, end, line in zip(values["start"], values["end"], lines, strict=True):
        if end is not None and end < start:
            problems.add(shown, line, "end", end.isoformat(), f"a date on or after start {start}")
