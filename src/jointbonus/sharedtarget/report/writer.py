"""Reports: tables for people, JSON for programs, CSV files for payroll.

This module writes the result as files -- ``lines.csv``, ``months.csv`` and
``result.json`` (:func:`write_results`), or their text (:func:`lines_csv`,
:func:`months_csv`) -- and, as the public face of the reports, offers what
the modules beside it make, each of which can be imported by itself:

* :mod:`jointbonus.sharedtarget.report.documents`: the result as JSON-ready documents (plan,
  calibration, summary, months, lines, settlements) and :func:`render_json`;
* :mod:`jointbonus.sharedtarget.report.streams`: the same document as JSON text made piece
  by piece as it is written, and the lines as JSON Lines (:func:`write_json`,
  :func:`write_jsonl`);
* :mod:`jointbonus.sharedtarget.report.tables`: the calibration and the result as tables for
  people (:func:`render_calibration_table`, :func:`render_table`).

Every amount leaves as a decimal string in the plan currency (``"1234.50"``),
every ratio (attainment, payout factor, weight) as a decimal string with six
decimals, rounded half away from zero from its exact value. Output is
deterministic: the same plan gives byte-identical text, whatever the hash
seed or the ambient decimal context.

Writers never leave a half-written file behind: the files are written
through the one atomic writer (:mod:`jointbonus.io.files`), into a staging
folder, and moved into place only when every file is complete.
``lines.csv`` is made by a fast path, as UTF-8 bytes: a month's
rows differ only in who they are for and in a handful of (days, weight,
amount, reason) combinations, each formatted and encoded once, and the
members' cells are made and encoded once for the year. A plan with functional
goals or caps has more columns (:func:`line_columns`): each line's functional
parts, by metric, and what the caps cut; its rows are formatted once per
cohort and combination of parts. A plan whose ledger has closed months adds
the columns ``kind`` and ``corrects`` after ``period``, and each correction
as a row after the lines of the month that carries it.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from jointbonus.core.money import Currency
from jointbonus.core.roster import Roster
from jointbonus.errors import argument
from jointbonus.io.cells import csv_line, csv_text, escape_formula, escape_formulas
from jointbonus.io.files import path_argument, staged_folder, write_binary, write_text
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.corrections import (
    LINE,
    correction_fields,
    corrections_in,
    ledger_columns,
)
from jointbonus.sharedtarget.report.documents import (
    LINE_COLUMNS,
    MONTH_COLUMNS,
    MonthLineDocuments,
    flat_line,
    line_columns,
    month_document,
    month_heads,
    ratio_text,
)
from jointbonus.sharedtarget.report.statements import statement_files
from jointbonus.sharedtarget.report.streams import write_json
from jointbonus.sharedtarget.results import MonthResult, Result, Spread, result_argument

__all__ = ["lines_csv", "months_csv", "write_results"]


def _csv_text(cells: tuple[object, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


#: What makes the csv module quote a cell.
_QUOTED = ',"\r\n'


def _needs_quotes(text: str) -> bool:
    """Whether the csv module quotes a cell holding ``text``: a search per character, which
    reads a whole column's text (800 kB of member ids) a hundred times as fast as a regex."""
    return any(character in text for character in _QUOTED)


def _line_rows(result: Result, errors: str) -> Iterator[bytes]:
    """``lines.csv``'s rows in UTF-8, a month at a time in pieces of rows, in member id order.

    The cells are those of
    :func:`~jointbonus.sharedtarget.report.documents.line_document` in the
    order of :func:`line_columns`, a plan's functional parts spread over the
    ``functional_METRIC`` columns (empty for a metric the member's team has
    no goal on). A month's rows differ only in who they are for and in its
    few distinct lines, so each distinct line's text is formatted and encoded
    once and joined to every member it belongs to; the members' cells, the
    same every month but for members who move team, are made, encoded and
    laid out in the rows once. Text UTF-8 cannot hold is handled as ``errors``
    says (:func:`_write_lines`).
    """
    plan = result.plan
    heads_of = month_heads(plan, _heads(plan, errors), _head_encoder(errors))
    columns = line_columns(plan)[2:]  # after member_id and team: the heads
    options = {
        "holdback": bool(plan.holdback),
        "functional": plan.weighted,
        "capped": plan.functional.caps.any,
    }
    plain_texts = PlainTexts(plan.currency) if columns == _PLAIN_TAILS else None
    spread = Spread()
    laid: Sequence[bytes] | None = None  # the heads in rows
    rows: list[bytes] = []  # head, tail, head, tail, ...: no copies
    for month_result in result.months:
        lines = month_result.lines
        if plain_texts is not None:
            texts = plain_texts(month_result)
        else:
            documents = MonthLineDocuments(plan.currency, month_result, **options)
            texts = [
                _row_text(flat_line(documents.of(index)), columns)
                for index in range(len(lines.figures))
            ]
        heads = heads_of(month_result.month)
        if heads is not laid:
            laid, rows = heads, [b""] * (2 * len(heads))
            rows[0::2] = heads
        if not rows:
            continue
        rows[1::2] = spread(lines, [text.encode("utf-8", errors) for text in texts])
        for start in range(0, len(rows), _PIECE):
            yield b"".join(rows[start : start + _PIECE])


#: ``lines.csv`` is made and written this many cells (half as many rows) at a time: a piece
#: stays in the processor's cache while it is joined and written, where the bytes
#: of a whole month (11 MB at 100,000 members) would be made, copied and written afresh.
_PIECE = 4096


def _row_text(document: dict[str, Any], columns: Sequence[str]) -> str:
    """A line's cells after ``member_id,team,``, as CSV text ending in a newline."""
    cells = ["" if value is None else str(value) for value in map(document.get, columns)]
    cells[-1] = escape_formula(cells[-1])  # the reason: the one text cell made here
    if not _needs_quotes(cells[-1]):
        return ",".join(cells) + "\n"
    return _csv_text(tuple(cells))


#: ``lines.csv``'s columns after member_id and team for a line of its shared part alone.
_PLAIN_TAILS = LINE_COLUMNS[2:]


class PlainTexts:
    """The text :func:`_row_text` makes of each of a month's distinct lines' documents
    when the columns are :data:`~jointbonus.sharedtarget.report.documents.LINE_COLUMNS`
    (no goals, caps, holdback or advances), made from the figures without the documents,
    month after month.

    A year of 100,000 members has some 15,000 distinct lines, but a few hundred distinct
    weights and amounts and some 2,000 reasons: each is formatted once for the year, as
    the document formats it, and the period, attainment and payout factor once a month.
    Only the reason can need quotes. A weight is looked up by its numerator and
    denominator: a :class:`~fractions.Fraction`'s own hash, a modular inverse worked out
    in Python, took as long as the rest of the texts together.
    """

    def __init__(self, currency: Currency) -> None:
        self._currency = currency
        self._weights: dict[tuple[int, int], str] = {}
        self._amounts: dict[int, str] = {}
        self._reasons: dict[str, str] = {}

    def __call__(self, month: MonthResult) -> list[str]:
        """The texts of ``month``'s distinct lines, in the order of its figures."""
        weights, amounts, reasons = self._weights, self._amounts, self._reasons
        currency = self._currency
        ratios = (ratio_text(month.attainment), ratio_text(month.factor))
        middle = ",".join("" if text is None else text for text in ratios)
        period = str(month.month)
        texts = []
        for figures in month.lines.figures:
            key = figures.weight.as_integer_ratio()
            weight = weights.get(key)
            if weight is None:
                text = ratio_text(figures.weight)
                weight = weights[key] = "" if text is None else text
            shared = amounts.get(figures.shared)
            if shared is None:
                shared = amounts[figures.shared] = str(currency.from_minor(figures.shared))
            total = amounts.get(figures.total)
            if total is None:
                total = amounts[figures.total] = str(currency.from_minor(figures.total))
            reason = reasons.get(figures.reason)
            if reason is None:
                reason = reasons[figures.reason] = _text_cell(figures.reason)
            texts.append(
                f"{period},{figures.days},{weight},{middle},{shared},{total},"
                f"{figures.status.value},{reason}\n"
            )
        return texts


def _text_cell(text: str) -> str:
    """A text cell of a row: escaped, and quoted as the csv module quotes it."""
    cell = escape_formula(text)
    if not _needs_quotes(cell):
        return cell
    return _csv_text((cell,))[:-1]


def _heads(plan: Plan, errors: str) -> list[bytes]:
    """Each member's ``id,team,`` in UTF-8: roster text cells, escaped (jointbonus.io.cells)."""
    roster = Roster.of(plan.members)
    return head_cells(roster.ids, roster.teams, errors)


def head_cells(ids: Sequence[str], teams: Sequence[str], errors: str = "strict") -> list[bytes]:
    """:func:`head_cell` of each member id and team, in order, in UTF-8 (text it
    cannot hold handled as ``errors`` says, as :meth:`str.encode` does).

    A roster has a handful of teams, each escaped once; its ids are escaped
    as one column (:func:`~jointbonus.io.cells.escape_formulas`) and asked
    once whether any needs quotes, which few rosters have. If none does, no
    cell holds a newline: every member's cells are made as one text, a line
    each, encoded at once and cut at the newlines, in half the time of
    100,000 small texts made and encoded one by one. If one does, each
    member's cells are made by :func:`head_cell`.
    """
    cells = escape_formulas(ids)
    team_cells = {team: escape_formula(team) for team in set(teams)}
    if (
        all(cells)
        and all(team_cells.values())
        and not _needs_quotes("".join(cells))
        and not _needs_quotes("".join(team_cells.values()))
    ):
        ends = {team: f",{cell},\n" for team, cell in team_cells.items()}
        lines = [""] * (2 * len(cells))  # id, ",team,\n", id, ",team,\n", ...
        lines[0::2] = cells
        lines[1::2] = map(ends.__getitem__, teams)
        text = "".join(lines).encode("utf-8", errors)
        return text.split(b"\n")[:-1]  # after the last newline: nothing
    encoded = _head_encoder(errors)
    return [encoded(member_id, team) for member_id, team in zip(ids, teams, strict=True)]


def head_cell(member_id: str, team: str) -> str:
    """A member's ``id,team,`` text: both escaped, quoted as the csv module quotes them."""
    member_id, team = escape_formula(member_id), escape_formula(team)
    if member_id and team and not _needs_quotes(member_id + team):
        return f"{member_id},{team},"
    return _csv_text((member_id, team))[:-1] + ","


def _head_encoder(errors: str) -> Callable[[str, str], bytes]:
    """:func:`head_cell` in UTF-8, text it cannot hold handled as ``errors`` says."""
    return lambda member_id, team: head_cell(member_id, team).encode("utf-8", errors)


def write_results(result: Result, folder: str | Path, *, statements: bool = False) -> list[Path]:
    """Write ``lines.csv``, ``months.csv`` and ``result.json`` into ``folder``, atomically.

    ``lines.csv`` has the columns :func:`line_columns`; ``months.csv`` has
    :data:`MONTH_COLUMNS` (and ``capped``, for a plan with caps; ``advance``,
    ``advances_paid`` and ``true_up`` for a plan with advances; ``shared_period`` and
    ``ends_period`` for a shared target over a quarter or a plan year);
    ``result.json`` is :func:`result_document` without the lines, written
    as it is made (:func:`~jointbonus.sharedtarget.report.streams.write_json`).
    Text cells of the CSV files are escaped against formula injection
    (:mod:`jointbonus.io.cells`). Each file is complete or absent:
    the files are written into a staging folder and moved into ``folder``
    only when all of them are done (:func:`jointbonus.io.files.staged_folder`).
    With ``statements=True`` the transparency report (``transparency.md``) and
    a statement per member (``statements/NAME.md``, names from
    :func:`~jointbonus.sharedtarget.report.statements.statement_file_names`) are staged and
    moved with them. Returns the paths written.
    """
    result = result_argument(result)
    folder = path_argument("folder", folder)
    statements = argument("statements", statements, bool, "True or False")
    out = Path(folder)
    currency = result.plan.currency
    writers: dict[str, Any] = {
        "months.csv": lambda handle: _write_months(result, currency, handle),
        "result.json": lambda handle: write_json(result, handle, lines=False),
    }
    files: Iterator[tuple[str, Any]] = iter(writers.items())
    if statements:
        files = itertools.chain(files, _markdown_writers(result))
    names = ["lines.csv"]
    with staged_folder(out) as stage:
        write_binary(stage / "lines.csv", lambda handle: _write_lines(result, handle))
        for name, write in files:
            write_text(stage / name, write)
            names.append(name)
    return [out / name for name in names]


def _markdown_writers(result: Result) -> Iterator[tuple[str, Callable[[io.TextIOBase], int]]]:
    """``(relative path, writer)`` of the transparency report and every statement."""
    for name, text in statement_files(result):
        yield name, functools.partial(_write_text, text)


def _write_text(text: str, handle: io.TextIOBase) -> int:
    return handle.write(text)


#: How :func:`lines_csv` encodes text and decodes it back: a lone surrogate, which text
#: made through the API may hold, comes back as it was (a file refuses it: ``strict``).
_AS_TEXT = "surrogatepass"


def lines_csv(result: Result) -> str:
    """``lines.csv`` as text: the header, then one line per member and month.

    Text cells (member id, team, reason) are escaped against formula
    injection; number cells are written as plain numbers (see
    :mod:`jointbonus.io.cells`).
    """
    buffer = io.BytesIO()
    _write_lines(result, buffer, _AS_TEXT)
    return buffer.getvalue().decode("utf-8", _AS_TEXT)


def months_csv(result: Result) -> str:
    """``months.csv`` as text: the header, then one line per plan month."""
    buffer = io.StringIO()
    _write_months(result, result.plan.currency, buffer)
    return buffer.getvalue()


def _write_lines(result: Result, handle: BinaryIO, errors: str = "strict") -> None:
    """``lines.csv`` in UTF-8 into ``handle``; text UTF-8 cannot hold (a lone surrogate)
    is handled as ``errors`` says, as :meth:`str.encode` does."""
    if result.ledger is not None:
        _write_ledger_lines(result, handle, errors)
        return
    handle.write(f"{','.join(line_columns(result.plan))}\n".encode("utf-8", errors))
    for piece in _line_rows(result, errors):
        handle.write(piece)


#: The text columns of lines.csv; the others are numbers.
_LINE_TEXTS = frozenset({"member_id", "team", "period", "kind", "corrects", "status", "reason"})


def _write_ledger_lines(result: Result, handle: BinaryIO, errors: str) -> None:
    """``lines.csv`` of a plan whose ledger has closed months: each month's lines (``kind``
    ``line``), then the corrections the month carries (``kind`` ``correction``, ``corrects``
    the month corrected); corrections no month can carry come last."""
    plan = result.plan
    columns = ledger_columns(line_columns(plan))
    body = columns[2:]  # after member_id and team: the heads
    options = {
        "holdback": bool(plan.holdback),
        "functional": plan.weighted,
        "capped": plan.functional.caps.any,
    }
    flags = [column not in _LINE_TEXTS for column in columns]
    carried = dict(corrections_in(result))
    heads_of = month_heads(plan, _heads(plan, errors), _head_encoder(errors))

    def corrections(key: str | None) -> bytes:
        rows = (flat_line(correction_fields(result, c, **options)) for c in carried.get(key, ()))
        text = "".join(csv_line([row.get(k) for k in columns], flags) for row in rows)
        return text.encode("utf-8", errors)

    handle.write(f"{','.join(columns)}\n".encode("utf-8", errors))
    for month_result in result.months:
        documents = MonthLineDocuments(plan.currency, month_result, **options)
        texts = [
            _row_text({"kind": LINE, **flat_line(documents.of(index))}, body).encode(
                "utf-8", errors
            )
            for index in range(len(month_result.lines.figures))
        ]
        heads = heads_of(month_result.month)
        handle.write(
            b"".join(h + t for h, t in zip(heads, month_result.lines.spread(texts), strict=True))
        )
        handle.write(corrections(str(month_result.month)))
    handle.write(corrections(None))


def _write_months(result: Result, currency: Currency, handle: io.TextIOBase) -> None:
    if result.plan.functional.caps.any:  # what the caps cut, after the month's paid
        columns: tuple[str, ...] = (*MONTH_COLUMNS, "capped")
        plan: Plan | None = result.plan
    else:
        columns, plan = MONTH_COLUMNS, None
    if result.plan.versions:  # which version paid each month, after the month
        columns, plan = ("period", "version", *columns[1:]), result.plan
    if result.plan.period.months > 1:  # the shared period each month lies in
        columns = (*columns, "shared_period", "ends_period")
    numbers = (*_MONTH_NUMBERS, "capped") if plan is not None else _MONTH_NUMBERS
    if result.plan.advance is not None:  # each month's advance, each period's true-up
        advances = ("advance", "advances_paid", "true_up")
        columns, plan, numbers = (*columns, *advances), result.plan, (*numbers, *advances)
    documents = (month_document(currency, m, plan) for m in result.months)
    rows = ([document[c] for c in columns] for document in documents)
    handle.write(csv_text(columns, rows, numbers))


#: The number columns of months.csv; the others are text (jointbonus.io.cells).
_MONTH_NUMBERS = ("target", "actual", "attainment", "payout_factor", "pool", "paid")
