"""The result as JSON text, made piece by piece as it is written: the document, and JSON Lines.

A plan year of 100,000 members has 1.2 million lines. Made whole, as
:func:`~jointbonus.sharedtarget.report.documents.result_document` and one
``json.dumps`` with an indent (which Python encodes in pure Python, not in
C), that is gigabytes of objects and half a minute. Here the text is made
as it is written, a piece of at most :data:`BLOCK` lines at a time:

* :func:`iter_json` gives the text of ``render_json(result_document(result))``,
  the same text byte for byte, in pieces;
* :func:`iter_jsonl` gives JSON Lines: one line document per line of text
  (the objects of the document's ``lines``, with the same keys in the same
  order), compact (:data:`~jointbonus.io.render.COMPACT_SEPARATORS`);
* :func:`write_json` and :func:`write_jsonl` write them to a text stream as
  they come, or to a file, atomically.

A month's lines repeat a few distinct figures over many members
(:class:`~jointbonus.sharedtarget.results.MonthLines`), so the text of each
distinct line after the member's id and team is made once, by :mod:`json`
itself, and each member's id and team once for the whole year, escaped by
the string encoder :mod:`json` uses; a piece is these texts joined. The
plan, calibration, summary and months are small, and are written by
:mod:`json` as they are.

>>> from datetime import date
>>> import jointbonus
>>> from jointbonus import D, HistoryMonth, Member, Month, StepCurve
>>> plan = jointbonus.build_plan(
...     name="Two", currency="USD", start="2026-01", months=1,
...     members=[Member('A "1"', "sales", date(2025, 1, 1), None, D("1")),
...              Member("Bé", "sales", date(2025, 1, 1), None, D("0.5"))],
...     history=[HistoryMonth(Month(2025, m), D(90 + m), D(100)) for m in range(1, 13)],
...     targets={"2026-01": "100"}, actuals={"2026-01": "101"},
...     curve=StepCurve(), budget="1200.00")
>>> result = jointbonus.run(plan)
>>> text = "".join(iter_json(result))
>>> text == jointbonus.render_json(jointbonus.result_document(result))
True
>>> lines = text[text.index('  "lines"') :]
>>> print(lines[: lines.index('"days"')].rstrip())
  "lines": [
    {
      "member_id": "A \\"1\\"",
      "team": "sales",
      "period": "2026-01",
>>> print("".join(iter_jsonl(result)), end="")
{"member_id":"A \\"1\\"","team":"sales","period":"2026-01","days":31,"weight":"1.000000",...}
{"member_id":"Bé","team":"sales","period":"2026-01","days":31,"weight":"0.500000",...}
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, overload

from jointbonus.core.periods import Month
from jointbonus.core.roster import Roster
from jointbonus.core.text import terminal_text, terminal_texts
from jointbonus.errors import ArgumentError, argument, shown
from jointbonus.io.files import path_argument, write_text
from jointbonus.io.render import ObjectTexts, nested_text, string_text, string_texts
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.corrections import ledger_sections
from jointbonus.sharedtarget.report.documents import (
    MonthLineDocuments,
    head_document,
    month_heads,
    settlement_document,
)
from jointbonus.sharedtarget.results import Result, result_argument

__all__ = ["BLOCK", "TextSink", "iter_json", "iter_jsonl", "write_json", "write_jsonl"]

#: Lines (or settlements) per piece, unless told: a piece of the document is about 1.4 MB
#: of text for a plain plan.
BLOCK = 4096

#: Before each item of a list at level 1 but the first: the comma, and the item's indent.
_NEXT_ITEM = ",\n    "


class TextSink(Protocol):
    """Where text is written: a text stream such as ``sys.stdout`` or an open text file."""

    def write(self, text: str, /) -> object: ...


def iter_json(result: Result, *, lines: bool = True, block: int = BLOCK) -> Iterator[str]:
    """``render_json(result_document(result, lines=lines))``, in pieces.

    The pieces joined are that text, byte for byte: two-space indent, keys
    in the document's order, non-ASCII text as it is, a newline at the end.
    No piece holds more than ``block`` lines (or settlements), and the lines
    are made as the pieces are asked for, so the whole document is never in
    memory.
    """
    result = result_argument(result)
    lines = argument("lines", lines, bool, "True or False")
    return _json_pieces(result, lines, _checked(block), None)


def terminal_json(result: Result, format: str) -> Iterator[str]:
    """The pieces of :func:`iter_json` (``format="json"``) or :func:`iter_jsonl`
    (``"jsonl"``) as :func:`~jointbonus.core.text.terminal_text` shows them.

    ``terminal_text`` escapes a text character by character, so the text of
    each distinct part -- a member's id and team, a distinct line's figures,
    a section before the lines -- is escaped once, where it is made, rather
    than every piece of hundreds of megabytes as it is written: the pieces
    are ``terminal_text`` of the pieces :func:`iter_json` gives, byte for byte.
    What the pieces add between the parts (brackets, commas, indents, key
    names) is printable ASCII, which ``terminal_text`` leaves as it is.
    """
    result = result_argument(result)
    if format == "jsonl":
        return _jsonl_pieces(result, BLOCK, terminal_text)
    return _json_pieces(result, True, BLOCK, terminal_text)


#: What each part of the text passes through: ``None``, nothing (the text as it is made).
_Escape = Callable[[str], str] | None


def _json_pieces(result: Result, lines: bool, block: int, escape: _Escape) -> Iterator[str]:
    plan = result.plan
    for number, (key, value) in enumerate(head_document(result).items()):
        opening = "{\n  " if number == 0 else ",\n  "
        yield _escaped(opening + string_text(key) + ": " + nested_text(value, 1), escape)
    heads: list[str] = []
    tail = _escaped_tail(_indented_tails(), escape)
    if lines:
        heads = _escaped_all(_indented_heads(plan), escape)
        heads_of = month_heads(
            plan, heads, lambda member_id, team: _escaped(_indented_head(member_id, team), escape)
        )
        yield ',\n  "lines": '
        yield from _indented_list(_line_blocks(result, heads_of, tail, block))
    if plan.holdback:
        heads = heads or _escaped_all(_indented_heads(plan), escape)
        yield ',\n  "settlements": '
        yield from _indented_list(_settlement_blocks(result, heads, block, tail))
    for key, value in ledger_sections(result).items():  # a plan with a payment ledger
        yield _escaped(",\n  " + string_text(key) + ": " + nested_text(value, 1), escape)
    yield "\n}\n"


def _escaped(text: str, escape: _Escape) -> str:
    return text if escape is None else escape(text)


def _escaped_all(texts: list[str], escape: _Escape) -> list[str]:
    if escape is terminal_text:  # asked once of them all whether any needs escaping
        return terminal_texts(texts)
    return texts if escape is None else list(map(escape, texts))


def iter_jsonl(result: Result, *, block: int = BLOCK) -> Iterator[str]:
    """JSON Lines: every line of the result, one line document per line of text, in pieces.

    Each line of text is one object of the document's ``lines``
    (:func:`~jointbonus.sharedtarget.report.documents.line_document`: the
    same keys, in the same order, the same values), by period then member
    id, written on one line by the C encoder with the separators ``,`` and
    ``:`` (no spaces), non-ASCII text as it is, and ended by ``\\n``. A
    result without lines gives no text. Pieces hold whole lines of text, at
    most ``block`` of them.
    """
    result = result_argument(result)
    return _jsonl_pieces(result, _checked(block), None)


def _jsonl_pieces(result: Result, block: int, escape: _Escape) -> Iterator[str]:
    members = result.plan.members
    teams = {team: string_text(team) for team in {m.team for m in members}}
    heads = [
        f'{{"member_id":{member_id},"team":{teams[member.team]},'
        for member_id, member in zip(string_texts([m.id for m in members]), members, strict=True)
    ]
    heads_of = month_heads(
        result.plan,
        _escaped_all(heads, escape),
        lambda member_id, team: _escaped(
            f'{{"member_id":{string_text(member_id)},"team":{string_text(team)},', escape
        ),
    )
    tail = _escaped_tail(_compact_tails(), escape)
    for block_heads, tails in _line_blocks(result, heads_of, tail, block):
        yield _interleaved(block_heads, tails)


@overload
def write_json(result: Result, target: str | os.PathLike[str], *, lines: bool = True) -> Path: ...
@overload
def write_json(result: Result, target: TextSink, *, lines: bool = True) -> None: ...
def write_json(
    result: Result, target: str | os.PathLike[str] | TextSink, *, lines: bool = True
) -> Path | None:
    """Write the JSON document of the result (:func:`iter_json`) as it is made.

    ``target`` is a text stream (``sys.stdout``, a file opened with
    ``encoding="utf-8"``), which gets each piece as it is made, or a path,
    which is written atomically (:func:`jointbonus.io.files.write_text`:
    complete or not at all, in UTF-8) and returned. ``lines=False`` leaves
    the lines out, as ``result.json`` does.
    """
    return _write(iter_json(result, lines=lines), target)


@overload
def write_jsonl(result: Result, target: str | os.PathLike[str]) -> Path: ...
@overload
def write_jsonl(result: Result, target: TextSink) -> None: ...
def write_jsonl(result: Result, target: str | os.PathLike[str] | TextSink) -> Path | None:
    """Write the result's lines as JSON Lines (:func:`iter_jsonl`) as they are made.

    ``target`` is a text stream or a path, as for :func:`write_json`.
    """
    return _write(iter_jsonl(result), target)


def _checked(block: int) -> int:
    if isinstance(block, bool) or not isinstance(block, int) or block < 1:
        raise ArgumentError(f"block: got {block!r}, expected a whole number of lines above 0")
    return block


def _write(pieces: Iterable[str], target: str | os.PathLike[str] | TextSink) -> Path | None:
    if isinstance(target, str | os.PathLike):
        path = path_argument("target", target)
        return write_text(path, lambda handle: _write_pieces(pieces, handle))
    if not callable(getattr(target, "write", None)):
        raise ArgumentError(
            f"target: got {type(target).__name__} {shown(target)}, expected a path "
            "or a text stream (with a write method)"
        )
    _write_pieces(pieces, target)
    return None


def _write_pieces(pieces: Iterable[str], sink: TextSink) -> None:
    for piece in pieces:
        sink.write(piece)


# -- the lines and settlements, a block of members at a time ------------------------------


def _indented_heads(plan: Plan) -> list[str]:
    """Each member's item of a list at level 1, up to what follows its id and team.

    Each begins with the comma and indent that separate it from the item
    before (:data:`_NEXT_ITEM`), which the list's first item drops.
    """
    roster = Roster.of(plan.members)
    teams = {team: string_text(team) for team in set(roster.teams)}
    return [
        f'{_NEXT_ITEM}{{\n      "member_id": {member_id},\n      "team": {teams[team]},\n'
        for member_id, team in zip(string_texts(roster.ids), roster.teams, strict=True)
    ]


def _indented_head(member_id: str, team: str) -> str:
    """One member's item of :func:`_indented_heads`, for the month's team of a member
    whose team changes."""
    return (
        f'{_NEXT_ITEM}{{\n      "member_id": {string_text(member_id)},\n'
        f'      "team": {string_text(team)},\n'
    )


#: The text of a line's (or a settlement's) keys after its member's id and team.
_Tail = Callable[[dict[str, Any]], str]


def _indented_tails() -> _Tail:
    """A line's keys after its id and team as its item at level 2 writes them, to the ``}``.

    The lines of a year share their keys and many values (a month, an amount,
    a reason): each key and value is written once (:class:`ObjectTexts`).
    """
    texts = ObjectTexts(2)
    return lambda document: texts(document)[2:]  # without the "{\n" a member's head holds


def _compact_tails() -> _Tail:
    """A line's keys after its id and team on one line of text, to the ``}`` and newline."""
    texts = ObjectTexts(None)
    return lambda document: texts(document)[1:] + "\n"  # without the "{" a member's head holds


def _escaped_tail(tail: _Tail, escape: _Escape) -> _Tail:
    return tail if escape is None else lambda document: escape(tail(document))


def _line_blocks(
    result: Result, heads_of: Callable[[Month], Sequence[str]], tail: _Tail, block: int
) -> Iterator[tuple[Sequence[str], Sequence[str]]]:
    """Month by month, ``block`` members at a time: their heads (the month's,
    :func:`~jointbonus.sharedtarget.report.documents.month_heads`) and their lines' tails.

    The tail of each distinct line of a month is made once (``tail`` of its
    document without member id and team) and spread over its members.
    """
    plan = result.plan
    options = {
        "holdback": bool(plan.holdback),
        "functional": plan.weighted,
        "capped": plan.functional.caps.any,
    }
    for month_result in result.months:
        documents = MonthLineDocuments(plan.currency, month_result, **options)
        lines = month_result.lines
        tails = lines.spread([tail(documents.of(index)) for index in range(len(lines.figures))])
        heads = heads_of(month_result.month)
        for start in range(0, len(tails), block):
            yield heads[start : start + block], tails[start : start + block]


def _settlement_blocks(
    result: Result, heads: Sequence[str], block: int, tail: _Tail
) -> Iterator[tuple[Sequence[str], Sequence[str]]]:
    """Each member's settlement, ``block`` members at a time: heads and tails.

    Members held back the same amount with the same outcome share a tail. In a
    plan of several plan years, each year's settlements follow the year before's,
    each with its member's head; a member without a settlement has no item.
    """
    year = result.several_years
    made: dict[tuple[int, str, str, str], str] = {}
    tails: list[str] = []
    # (a member without a settlement, such as one who joins after a year ends, has no item)
    position_of = {member.id: position for position, member in enumerate(result.plan.members)}
    settled_heads: list[str] = []
    for settlement in result.settlements():
        key = (settlement.year, str(settlement.held), settlement.status.value, settlement.reason)
        text = made.get(key)
        if text is None:
            document = settlement_document(settlement, year=year)
            del document["member_id"], document["team"]
            text = made[key] = tail(document)
        tails.append(text)
        settled_heads.append(heads[position_of[settlement.member_id]])
    for start in range(0, len(tails), block):
        yield settled_heads[start : start + block], tails[start : start + block]


def _interleaved(heads: Sequence[str], tails: Sequence[str]) -> str:
    """Each head followed by its tail, as one text."""
    pieces: list[str] = [""] * (2 * len(heads))
    pieces[0::2] = heads
    pieces[1::2] = tails
    return "".join(pieces)


def _indented_list(blocks: Iterable[tuple[Sequence[str], Sequence[str]]]) -> Iterator[str]:
    """Items (a head and a tail each) as the text of a list at level 1; ``[]`` if none."""
    first = True
    for heads, tails in blocks:
        if not heads:
            continue
        text = _interleaved(heads, tails)
        if first:
            text = "[\n    " + text[len(_NEXT_ITEM) :]
            first = False
        yield text
    yield "[]" if first else "\n  ]"
