"""Reading lead exports: CSV or Excel, every problem located and collected.

:func:`read_leads` reads one or more exports of the same CRM (a year split
into files, say) with a :class:`~jointbonus.leads.mapping.LeadMapping`:

* a ``.xlsx`` file is read with openpyxl, the optional ``xlsx`` extra
  (``pip install 'jointbonus[xlsx]'``), from its first worksheet: row 1
  names the columns, each further row is a lead, and the line of a problem is
  the row's number. A number cell is read as the shortest decimal that is
  that number (``1234.56``), a date cell as a local time;
* any other file is CSV, read by :mod:`jointbonus.io.reading` under the
  rules every input of the library follows (UTF-8, commas, a header line,
  rows as wide as it); columns the mapping does not name are left alone;
* each cell is checked by the rules of :mod:`~jointbonus.leads.mapping` (its
  values) and :mod:`~jointbonus.leads.times` (its times), and the lead as a
  whole: accepted, rejected and won on or after its delivery, qualified on or
  after its acceptance, what its status and stage say borne out by its
  times, each lead id once across all the files.

Every problem -- an unreadable file, a missing column, a duplicate id, an
unknown status, an unreadable date, a naive time without a plan time zone, a
won amount that is not a number, events out of order -- becomes a
:class:`~jointbonus.errors.Problem` with its file, line, column, value and
what was expected, and all of them are raised together in one
:class:`~jointbonus.errors.PlanError`: nothing is computed from half a file.

>>> export = leads_from_rows(
...     [{"Lead ID": "L1", "Created Date": "2026-01-05T09:00:00Z", "Lead Source": "Web",
...       "Status": "Working - Contacted", "Accepted Date": "2026-01-05T15:00:00Z"}],
...     missing_as_empty=True)
>>> export.lead("L1").accepted
datetime.datetime(2026, 1, 5, 15, 0, tzinfo=datetime.timezone.utc)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import chain, compress, repeat
from operator import is_, is_not, le, lt, not_
from pathlib import Path
from typing import TypeVar

from jointbonus.core.number import D, NumberError, number_text_problem
from jointbonus.errors import PlanError
from jointbonus.io.reading import Collector, CsvChunk, in_order, read_csv_columns
from jointbonus.io.sheets import cell_text, read_sheet
from jointbonus.leads.mapping import SALESFORCE, DealStage, LeadMapping, LeadStatus
from jointbonus.leads.model import Lead, LeadColumns, LeadExport
from jointbonus.leads.times import TimeCells, TimeTextError
from jointbonus.leads.zone import (
    EARLIEST_YEAR,
    LATEST_YEAR,
    UTC,
    Zone,
    ZoneError,
    instant_us,
)

__all__ = ["leads_from_rows", "read_leads"]

_T = TypeVar("_T")


@dataclass(frozen=True)
class _Table:
    """The header of one export, and its data rows a column at a time, cells as written.

    ``columns`` follows the header; a column no mapping could name is not kept (``None``).
    """

    shown: str
    header: list[str]
    lines: Sequence[int]
    columns: list[list[str] | None]

    @classmethod
    def of_rows(
        cls, shown: str, header: list[str], rows: Sequence[tuple[int, Sequence[str]]]
    ) -> _Table:
        columns: list[list[str] | None] = [list(c) for c in zip(*(r for _, r in rows), strict=True)]
        if not rows:
            columns = [[] for _ in header]
        return cls(shown, header, [line for line, _ in rows], columns)

    def rows(
        self, positions: dict[str, int]
    ) -> tuple[list[str], dict[str, int], list[tuple[int, tuple[str, ...]]]]:
        """The mapped columns as rows: ``(header, positions, [(line, cells)])`` of those alone."""
        fields = list(positions)
        header = [self.header[positions[field]] for field in fields]
        cells = [self.columns[positions[field]] or [] for field in fields]
        rows = list(zip(self.lines, zip(*cells, strict=True), strict=True)) if cells else []
        return header, {field: index for index, field in enumerate(fields)}, rows


@dataclass(frozen=True)
class _Seen:
    """Where each lead id read so far was first read: its line, and its file.

    Two dictionaries of plain values rather than one of ``(file, line)``
    pairs: Python's garbage collector need not follow them, which saves it
    walking half a million pairs again and again as a large export is read.
    """

    lines: dict[str, int]
    files: dict[str, str]


def read_leads(
    *paths: str | Path,
    mapping: LeadMapping = SALESFORCE,
    time_zone: str | None = None,
    names: Sequence[str] | None = None,
) -> LeadExport:
    """The leads of the exports at ``paths``, read with ``mapping`` (module docstring).

    ``time_zone``: the plan time zone, an IANA name; times written without
    their UTC offset are read in it, and refused without it. ``names``: how
    each file is named in problems and in its leads' :attr:`~Lead.source`
    (``data/leads.csv``, as a plan file names it); by default the path as
    given. Raises :class:`~jointbonus.errors.PlanError` with every problem of
    every file.
    """
    problems = Collector([])
    zone = _zone(time_zone, problems)
    if not paths:
        problems.add("(none)", None, "paths", "(none)", "at least one lead export")
    if names is not None and len(names) != len(paths):
        raise ValueError(f"names: got {len(names)}, expected one for each of {len(paths)} paths")
    shown_names = [str(path) for path in paths] if names is None else [str(n) for n in names]
    tables: list[_Table] = []
    for path, shown in zip(paths, shown_names, strict=True):
        file = Path(path)
        if file.suffix.casefold() == ".xlsx":
            table = _xlsx_table(file, shown, problems)
        else:
            table = read_csv_columns(
                file,
                shown,
                list(mapping.columns().values()),
                (),
                problems,
                take=_Taker(shown, mapping),
                other_columns=True,
                settable=False,
            )
        if table is not None:
            tables.append(table)
    return _export(
        tables,
        files=shown_names,
        mapping=mapping,
        zone=zone,
        time_zone=time_zone,
        problems=problems,
    )


def leads_from_rows(
    rows: Iterable[Mapping[str, str]],
    *,
    mapping: LeadMapping = SALESFORCE,
    time_zone: str | None = None,
    file: str = "(rows)",
    missing_as_empty: bool = False,
) -> LeadExport:
    """The leads of ``rows`` (one ``{column: cell}`` mapping a lead), as if read from a CSV file.

    The columns are those of the rows, in the order first seen; line numbers
    count a header line, so the first row is on line 2. ``missing_as_empty``
    reads a mapped column no row has as empty instead of refusing it.
    """
    problems = Collector([])
    zone = _zone(time_zone, problems)
    header: dict[str, None] = {}
    listed = list(rows)
    for row in listed:
        if isinstance(row, Mapping):
            header.update(dict.fromkeys(name for name in row if isinstance(name, str)))
    if missing_as_empty:
        known = {name.strip().casefold() for name in header}
        for column in mapping.columns().values():
            if column.strip().casefold() not in known:
                header[column] = None
    names = list(header)
    cells_of: list[tuple[int, Sequence[str]]] = []
    for line, row in enumerate(listed, start=2):
        if not isinstance(row, Mapping):
            problems.add(file, line, "row", row, "a mapping of column names to cells")
            continue
        cells = []
        for name in names:
            value = row.get(name, "")
            if value is None:
                value = ""
            if not isinstance(value, str):
                problems.add(file, line, name, value, "text (a cell as the export writes it)")
                value = ""
            cells.append(value)
        cells_of.append((line, cells))
    table = _Table.of_rows(file, [name.strip() for name in names], cells_of)
    return _export(
        [table], files=[file], mapping=mapping, zone=zone, time_zone=time_zone, problems=problems
    )


def _zone(time_zone: str | None, problems: Collector) -> Zone:
    try:
        return Zone(time_zone)
    except ZoneError:
        problems.add(
            "(time zone)",
            None,
            "time_zone",
            time_zone,
            "an IANA time zone name such as Europe/Berlin or America/New_York",
        )
        return Zone()


def _xlsx_table(path: Path, shown: str, problems: Collector) -> _Table | None:
    """The first worksheet of an .xlsx workbook as a table, or ``None`` and a problem."""
    sheet = read_sheet(path, shown, problems, purpose="Reading an .xlsx lead export")
    if sheet is None:
        return None
    rows = [(line, [cell_text(value) for value in cells]) for line, cells in sheet.rows]
    return _Table.of_rows(shown, sheet.header, rows)


class _Taker:
    """Takes a CSV export's chunks (:func:`~jointbonus.io.reading.read_csv_columns`) into
    a :class:`_Table`, keeping the columns a mapping could name."""

    def __init__(self, shown: str, mapping: LeadMapping) -> None:
        self.shown = shown
        self.names = {column.strip().casefold() for column in mapping.columns().values()}

    def __call__(self, header: list[str], chunks: Iterator[CsvChunk]) -> _Table:
        kept = [name.strip().casefold() in self.names for name in header]
        columns: list[list[str] | None] = [[] if keep else None for keep in kept]
        lines: list[int] = []
        for chunk in chunks:
            lines.extend(chunk.lines)
            for column, cells in zip(columns, chunk.cells, strict=True):
                if column is not None:
                    column.extend(cells)
        return _Table(self.shown, header, lines, columns)


def _export(
    tables: Sequence[_Table],
    *,
    files: Sequence[str],
    mapping: LeadMapping,
    zone: Zone,
    time_zone: str | None,
    problems: Collector,
) -> LeadExport:
    """The leads of ``tables``; :class:`PlanError` if anything anywhere is wrong."""
    cells = TimeCells(zone, mapping.date_order, local_allowed=time_zone is not None)
    placed = [(table, _positions(table, mapping, problems)) for table in tables]
    if not problems.problems:
        columns = _Columns(mapping, cells).read(
            [(table, positions) for table, positions in placed if positions is not None]
        )
        if columns is not None:
            return LeadExport._checked(columns, zone)
    leads: list[Lead] = []
    first = _Seen({}, {})
    for table, positions in placed:
        if positions is not None:
            _read_rows(
                table,
                positions,
                mapping=mapping,
                cells=cells,
                first=first,
                leads=leads,
                problems=problems,
            )
    if problems.problems:
        raise PlanError(in_order(problems.problems, ["(time zone)", *files]))
    return LeadExport._checked(LeadColumns.of(leads), zone)


def _positions(table: _Table, mapping: LeadMapping, problems: Collector) -> dict[str, int] | None:
    """Where each mapped column is in ``table``'s header; ``None`` (and problems) if not once."""
    where: dict[str, list[int]] = {}
    for index, name in enumerate(table.header):
        where.setdefault(name.strip().casefold(), []).append(index)
    positions: dict[str, int] = {}
    complete = True
    for field, column in mapping.columns().items():
        found = where.get(column.strip().casefold(), [])
        if len(found) == 1:
            positions[field] = found[0]
            continue
        complete = False
        if not found:
            expected = (
                f"a column {column!r} with {mapping.purpose(field)} "
                f"(the {mapping.name} mapping's name for it)"
            )
        else:
            expected = f"the column {column!r} once (it is there {len(found)} times)"
        problems.add(table.shown, 1, "header", ",".join(table.header), expected)
    return positions if complete else None


def _read_rows(
    table: _Table,
    positions: dict[str, int],
    *,
    mapping: LeadMapping,
    cells: TimeCells,
    first: _Seen,
    leads: list[Lead],
    problems: Collector,
) -> None:
    """Check every row of ``table`` and append its leads (rules: module docstring).

    One pass, the common case kept cheap: values already classified are
    looked up, messages are only worded for a problem, and no lead is made
    once any problem has been found (none would be used).
    """
    shown = table.shown
    header, positions, rows = table.rows(positions)
    name = {field: header[index] for field, index in positions.items()}
    i_id, i_delivered, i_source = positions["lead_id"], positions["delivered"], positions["source"]
    i_accepted, i_rejected = positions["accepted"], positions["rejected"]
    i_reason, i_qualified = positions["rejection_reason"], positions["qualified"]
    i_won, i_amount = positions["won"], positions["won_amount"]
    i_attribution = positions["attribution"]
    i_status, i_stage = positions.get("status"), positions.get("stage")
    instant, moment, local_day = cells.instant, cells.moment, cells.zone.local_day
    found = problems.problems
    lines_of, files_of = first.lines, first.files
    sources: dict[str, bool] = {}
    statuses: dict[str, LeadStatus] = {}
    stages: dict[str, DealStage] = {}
    amounts: dict[str, Decimal] = {}
    won_stage, accepted_status = DealStage.WON, LeadStatus.ACCEPTED
    qualified_status, rejected_status = LeadStatus.QUALIFIED, LeadStatus.REJECTED
    append = leads.append
    new_lead = tuple.__new__  # the lead is checked here, so made without checking it again

    def add(line: int, field: str, value: str, expected: str) -> None:
        problems.add(shown, line, name[field], value, expected)

    def after_delivery(row: Sequence[str]) -> str:
        return f"on or after the delivery ({name['delivered']} {row[i_delivered].strip()})"

    for line, row in rows:
        lead_id = row[i_id].strip()
        if not lead_id:
            add(line, "lead_id", lead_id, "a lead id (required)")
        elif lead_id in lines_of:
            file, at = files_of[lead_id], lines_of[lead_id]
            where = f"line {at}" if file == shown else f"{file} line {at}"
            add(line, "lead_id", lead_id, f"each lead once (also on {where})")
        else:
            lines_of[lead_id] = line
            files_of[lead_id] = shown

        text = row[i_delivered].strip()
        delivered = None
        if not text:
            add(line, "delivered", text, "the time the lead was delivered (required)")
        else:
            try:
                delivered = instant(text)
            except TimeTextError as error:
                add(line, "delivered", text, error.expected)

        text = row[i_source]
        marketing = sources.get(text)
        if marketing is None:
            flag = mapping.is_marketing(text)
            if flag is None:
                add(line, "source", text.strip(), f"one of the sources {mapping.known('source')}")
            else:
                marketing = sources[text] = flag

        status: LeadStatus | None = None
        if i_status is not None:
            text = row[i_status]
            status = statuses.get(text)
            if status is None and text.strip():
                status = mapping.status_of(text)
                if status is None:
                    expected = f"one of the statuses {mapping.known('status')}"
                    add(line, "status", text.strip(), expected)
                else:
                    statuses[text] = status

        accepted_text = row[i_accepted].strip()
        accepted = None
        if accepted_text:
            try:
                accepted = instant(accepted_text)
            except TimeTextError as error:
                add(line, "accepted", accepted_text, error.expected)
        rejected_text = row[i_rejected].strip()
        rejected = None
        if rejected_text:
            try:
                rejected = instant(rejected_text)
            except TimeTextError as error:
                add(line, "rejected", rejected_text, error.expected)
        qualified_text = row[i_qualified].strip()
        qualified = qualified_at = None
        if qualified_text:
            try:
                qualified, qualified_at = moment(qualified_text)
            except TimeTextError as error:
                add(line, "qualified", qualified_text, error.expected)

        if i_stage is not None:
            text = row[i_stage]
            stage = stages.get(text)
            if stage is None and text.strip():
                stage = mapping.stage_of(text)
                if stage is None:
                    add(line, "stage", text.strip(), f"one of the stages {mapping.known('stage')}")
                else:
                    stages[text] = stage
            is_won = stage is won_stage
        else:
            is_won = bool(row[i_won].strip())
        won_text = row[i_won].strip()
        won = won_at = None
        if won_text:
            try:
                won, won_at = moment(won_text)
            except TimeTextError as error:
                add(line, "won", won_text, error.expected)
        amount_text = row[i_amount].strip()
        amount = amounts.get(amount_text) if amount_text else None
        if amount is None and amount_text:
            try:
                amount = D(amount_text)
            except NumberError:
                expected = "an amount such as 1234.50"
                wrong = number_text_problem(amount_text, expected)
                add(line, "won_amount", amount_text, wrong or expected)
            else:
                if amount < 0:
                    add(line, "won_amount", amount_text, "an amount of at least 0")
                    amount = None
                elif len(amounts) < 100_000:
                    amounts[amount_text] = amount

        if delivered is not None:
            if accepted is not None and accepted < delivered:
                add(line, "accepted", accepted_text, f"a time {after_delivery(row)}")
            if rejected is not None and rejected < delivered:
                add(line, "rejected", rejected_text, f"a time {after_delivery(row)}")
            if qualified is not None:
                start = accepted if accepted is not None else delivered
                if (
                    qualified_at < start
                    if qualified_at is not None
                    else qualified < local_day(start)
                ):
                    what = (
                        f"the acceptance ({name['accepted']} {accepted_text})"
                        if accepted is not None
                        else f"the delivery ({name['delivered']} {row[i_delivered].strip()})"
                    )
                    add(line, "qualified", qualified_text, f"a time on or after {what}")
            if (
                is_won
                and won is not None
                and (won_at < delivered if won_at is not None else won < local_day(delivered))
            ):
                add(line, "won", won_text, f"a time {after_delivery(row)}")

        if status is not None and (
            (status is accepted_status and not accepted_text)
            or (status is qualified_status and not qualified_text)
            or (status is rejected_status and not accepted_text and not rejected_text)
        ):
            _status_problems(
                line, status, row, name, add, i_status, i_accepted, i_rejected, i_qualified
            )
        if is_won:
            if not won_text or not amount_text:
                said = (
                    f"as the {name['stage']} {row[i_stage].strip()!r} says the deal was won"
                    if i_stage is not None
                    else f"as the lead has a {name['won']}"
                )
                if not won_text:
                    add(line, "won", "", f"the time the deal was won, {said}")
                if not amount_text:
                    add(line, "won_amount", "", f"the amount won, {said}")
        elif i_stage is None and amount is not None and amount != 0:
            add(line, "won_amount", amount_text, f"no amount (or 0) without a {name['won']}")

        if found or delivered is None or marketing is None:
            continue
        append(
            new_lead(
                Lead,
                (
                    lead_id,
                    delivered,
                    marketing,
                    accepted,
                    rejected,
                    (row[i_reason].strip() or None) if rejected is not None else None,
                    qualified,
                    won if is_won else None,
                    amount if is_won else None,
                    row[i_attribution].strip() or None,
                    shown,
                    line,
                ),
            )
        )


#: Instants (microseconds since 1970 UTC) from the first of :data:`EARLIEST_YEAR` on ...
_LOW_US = instant_us(dt.datetime(EARLIEST_YEAR, 1, 1, tzinfo=UTC))
#: ... to before the first of the year after :data:`LATEST_YEAR`.
_HIGH_US = instant_us(dt.datetime(LATEST_YEAR + 1, 1, 1, tzinfo=UTC))


def _in_range(found: list[int]) -> list[int]:
    """``found``, unless an instant is outside the years a lead may have (unusual)."""
    if found and (min(found) < _LOW_US or max(found) >= _HIGH_US):
        raise _Unusual("a time out of range")
    return found


class _Unusual(Exception):
    """Something :class:`_Columns` leaves to the row-by-row reading, which locates it."""


class _Columns:
    """The leads of exports whose every cell is right, read a column at a time.

    Each column is checked and converted in bulk. A column of few distinct
    values (sources, statuses, stages, amounts, dates, reasons, attributions)
    is read a distinct value at a time -- each stripped, classified or parsed
    once -- and mapped back to its cells; times are read straight to
    microseconds by :meth:`TimeCells.instants_us` (a column in another shape
    a cell at a time by :meth:`TimeCells.instant`). What only some leads
    have (an acceptance, a rejection and its reason, a win and its amount) is
    read and checked where a lead has it, then put in place among ``None``
    for the others. Anything wrong -- or anything :func:`_read_rows` would
    say a word about -- makes :meth:`read` give ``None``, and the exports are
    read again row by row, which locates every problem. The leads are the
    same either way.
    """

    def __init__(self, mapping: LeadMapping, cells: TimeCells) -> None:
        self.mapping = mapping
        self.cells = cells

    def read(self, tables: Sequence[tuple[_Table, dict[str, int]]]) -> LeadColumns | None:
        """The leads of ``tables`` (each with its columns' positions), or ``None``."""
        read: list[LeadColumns] = []
        try:
            for table, positions in tables:
                read.append(self._table(table, positions))
            joined = read[0] if len(read) == 1 else _joined(read)
            if len(set(joined.ids)) != len(joined.ids):
                raise _Unusual("a lead id more than once")
        except _Unusual:
            return None
        return joined

    def _table(self, table: _Table, positions: dict[str, int]) -> LeadColumns:
        def column(field: str) -> list[str]:
            found = table.columns[positions[field]]
            assert found is not None  # a mapped column is kept
            return found

        count = len(table.lines)
        ids = tuple(map(str.strip, column("lead_id")))
        if not all(ids):
            raise _Unusual("a lead without an id")
        # Time cells are read as they are and stripped only if that fails: stripping
        # half a million cells that have nothing to strip is a pass of its own.
        delivered_cells = column("delivered")
        if not all(delivered_cells):
            raise _Unusual("a lead without a delivery")
        delivered = self._instants(delivered_cells)
        marketing = tuple(map(_Meanings(self._source).__getitem__, column("source")))

        # Accepted and rejected, where a lead has them: on or after the delivery.
        accepted_at, accepted_us = self._optional(column("accepted"))
        rejected_at, rejected_us = self._optional(column("rejected"))
        if any(map(lt, accepted_us, map(delivered.__getitem__, accepted_at))):
            raise _Unusual("accepted before the delivery")
        if any(map(lt, rejected_us, map(delivered.__getitem__, rejected_at))):
            raise _Unusual("rejected before the delivery")
        accepted = _placed(count, accepted_at, accepted_us)
        rejected = _placed(count, rejected_at, rejected_us)

        # Qualified on or after the acceptance, or the delivery of a lead never accepted.
        qualified_cells = column("qualified")
        qualified_day, qualified_bound = self._moments()
        qualified = tuple(map(qualified_day.__getitem__, qualified_cells))
        start = list(delivered)
        _put(start, accepted_at, accepted_us)
        if any(
            map(
                le,
                map(qualified_bound.__getitem__, compress(qualified_cells, qualified_cells)),
                map(start.__getitem__, compress(range(count), qualified_cells)),
            )
        ):
            raise _Unusual("qualified before the acceptance or the delivery")

        # Won: a won stage (without a stage column, a won time), with its time and amount.
        # Every date and amount must read, won or not.
        won_cells, amount_cells = column("won"), column("won_amount")
        won_day, won_bound = self._moments()
        amount_of = _Meanings(_amount)
        if "stage" in positions:
            _consume(map(won_day.__getitem__, won_cells))
            _consume(map(amount_of.__getitem__, amount_cells))
            says_won = _Meanings(self._won_stage)
            wins = list(compress(range(count), map(says_won.__getitem__, column("stage"))))
        else:
            is_won = list(map(is_not, map(won_day.__getitem__, won_cells), _NONES))
            if any(compress(map(amount_of.__getitem__, amount_cells), map(not_, is_won))):
                raise _Unusual("an amount without a won time")  # a nonzero one: a problem
            wins = list(compress(range(count), is_won))
        won_texts = list(map(won_cells.__getitem__, wins))
        won_days = list(map(won_day.__getitem__, won_texts))
        won_amounts = list(map(amount_of.__getitem__, map(amount_cells.__getitem__, wins)))
        if None in won_days or None in won_amounts:
            raise _Unusual("a won deal without its time or amount")
        if any(map(le, map(won_bound.__getitem__, won_texts), map(delivered.__getitem__, wins))):
            raise _Unusual("won before the delivery")

        if "status" in positions:
            self._check_statuses(column("status"), accepted, rejected, qualified)
        reason_cells = column("rejection_reason")
        reasons = map(_Meanings(_stripped).__getitem__, map(reason_cells.__getitem__, rejected_at))
        attributions = _Meanings(_stripped)
        return LeadColumns(
            ids,
            tuple(delivered),
            marketing,
            tuple(accepted),
            tuple(rejected),
            tuple(_placed(count, rejected_at, reasons)),
            qualified,
            tuple(_placed(count, wins, won_days)),
            tuple(_placed(count, wins, won_amounts)),
            tuple(map(attributions.__getitem__, column("attribution"))),
            (table.shown,) * count,
            tuple(table.lines),
        )

    def _source(self, text: str) -> bool:
        """Whether a source cell says the lead is marketing generated (else unusual)."""
        flag = self.mapping.is_marketing(text)
        if flag is None:
            raise _Unusual("an unknown source")
        return flag

    def _status(self, text: str) -> LeadStatus | None:
        """What a status cell says (``None``: empty or blank; else unusual if unknown)."""
        if not text.strip():
            return None
        status = self.mapping.status_of(text)
        if status is None:
            raise _Unusual("an unknown status")
        return status

    def _won_stage(self, text: str) -> bool:
        """Whether a stage cell says the deal was won (empty or blank: no; else unusual if
        unknown)."""
        if not text.strip():
            return False
        stage = self.mapping.stage_of(text)
        if stage is None:
            raise _Unusual("an unknown stage")
        return stage is DealStage.WON

    def _instants(self, cells: list[str]) -> list[int]:
        """The instants (microseconds since 1970 UTC) of time cells, none of them empty
        once stripped (a blank one is unusual)."""
        found = self.cells.instants_us(cells)
        if found is None:
            instant = self.cells.instant
            try:
                found = [instant_us(instant(text.strip())) for text in cells]
            except TimeTextError:
                raise _Unusual("an unreadable time") from None
        return _in_range(found)

    def _optional(self, cells: list[str]) -> tuple[list[int], list[int]]:
        """The positions of the time cells that are not empty (nor blank), and their
        :meth:`_instants`."""
        found = self.cells.instants_us(list(compress(cells, cells)))
        if found is None:  # some cell needs stripping, or reading another way
            cells = list(map(str.strip, cells))
            found = self._instants(list(compress(cells, cells)))
        return list(compress(range(len(cells)), cells)), found

    def _moments(self) -> tuple[_Meanings[date | None], dict[str, int]]:
        """The local day of each date cell (``None``: empty or blank), and its bound.

        The bound is the instant an event must come before to be too early for
        whatever it must follow: the instant after a time, the end of a date's
        local day (an event on a date is too early only on an earlier day);
        never, for an empty cell. A cell's bound is there once its day has been
        asked for.
        """
        moment, zone, one = self.cells.moment, self.cells.zone, dt.timedelta(days=1)
        # Two dictionaries of plain values, not one of pairs: a pair kept for each of a
        # few thousand dates sets off the garbage collector's runs over the new columns.
        bounds: dict[str, int] = {}

        def day(text: str) -> date | None:
            stripped = text.strip()
            if not stripped:
                bounds[text] = _HIGH_US
                return None
            try:
                found, instant = moment(stripped)
            except TimeTextError:
                raise _Unusual("an unreadable date") from None
            bounds[text] = (
                instant_us(zone.day_start(found + one))
                if instant is None
                else instant_us(instant) + 1
            )
            return found

        return _Meanings(day), bounds

    def _check_statuses(
        self,
        statuses: list[str],
        accepted: list[int | None],
        rejected: list[int | None],
        qualified: Sequence[date | None],
    ) -> None:
        """Whether each status is known and borne out by the lead's times (else unusual)."""
        meanings = _Meanings(self._status)
        said = list(map(meanings.__getitem__, statuses))

        def saying(status: LeadStatus) -> Iterator[bool]:
            return map(is_, said, repeat(status))

        # A lead whose status says it was accepted (qualified) has an acceptance (a time
        # qualified); one that says it was closed has a rejection or an acceptance.
        if (
            (LeadStatus.ACCEPTED in meanings.values())
            and None in compress(accepted, saying(LeadStatus.ACCEPTED))
        ) or (
            (LeadStatus.QUALIFIED in meanings.values())
            and None in compress(qualified, saying(LeadStatus.QUALIFIED))
        ):
            raise _Unusual("a status the times do not bear out")
        if LeadStatus.REJECTED in meanings.values() and (None, None) in compress(
            zip(accepted, rejected, strict=True), saying(LeadStatus.REJECTED)
        ):
            raise _Unusual("a status the times do not bear out")


_NONES = repeat(None)


class _Meanings(dict[str, _T]):
    """What each distinct text of a column means, worked out by ``meaning`` when first
    met: a column is classified, parsed or stripped a distinct text at a time, in the
    one pass that looks up its cells (``map(meanings.__getitem__, cells)``)."""

    __slots__ = ("_meaning",)

    def __init__(self, meaning: Callable[[str], _T]) -> None:
        super().__init__()
        self._meaning = meaning

    def __missing__(self, text: str) -> _T:
        found = self[text] = self._meaning(text)
        return found


def _stripped(text: str) -> str | None:
    """A text cell as the lead has it: stripped, ``None`` if that leaves nothing."""
    return text.strip() or None


def _amount(text: str) -> Decimal | None:
    """The amount an amount cell says (``None``: empty or blank; else unusual if it is not
    a number of at least 0)."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        amount = D(stripped)
    except NumberError:
        raise _Unusual("an amount that is not a number") from None
    if amount < 0:
        raise _Unusual("a negative amount")
    return amount


def _consume(values: Iterable[object]) -> None:
    """Run through ``values``, keeping none."""
    deque(values, maxlen=0)


def _put(target: list[_T], positions: Iterable[int], values: Iterable[_T]) -> None:
    """Set ``target[p]`` to each value of ``values``, ``p`` the position beside it."""
    _consume(map(target.__setitem__, positions, values))


def _placed(count: int, positions: Iterable[int], values: Iterable[_T]) -> list[_T | None]:
    """``count`` ``None`` s, with each of ``values`` at the position beside it."""
    placed: list[_T | None] = [None] * count
    _put(placed, positions, values)
    return placed


def _joined(parts: Sequence[LeadColumns]) -> LeadColumns:
    """The leads of ``parts``, one after the other."""
    if not parts:
        return LeadColumns.of(())
    return LeadColumns(
        *(
            tuple(chain.from_iterable(getattr(part, field.name) for part in parts))
            for field in dataclasses.fields(LeadColumns)
        )
    )


def _status_problems(
    line: int,
    status: LeadStatus,
    row: Sequence[str],
    name: dict[str, str],
    add: Callable[[int, str, str, str], None],
    *indexes: int | None,
) -> None:
    """What a lead status says that the row's times do not bear out."""
    i_status, i_accepted, i_rejected, i_qualified = indexes
    if i_status is None or i_accepted is None or i_rejected is None or i_qualified is None:
        return
    accepted, rejected = row[i_accepted].strip(), row[i_rejected].strip()
    if status is LeadStatus.ACCEPTED and not accepted:
        field, says = "accepted", "a time, {} sales accepted the lead"
    elif status is LeadStatus.QUALIFIED and not row[i_qualified].strip():
        field, says = "qualified", "a time, {} the lead became sales-qualified"
    elif status is LeadStatus.REJECTED and not accepted and not rejected:
        field, says = "rejected", "a time (or an accepted time), {} the lead was closed"
    else:
        return
    add(line, field, "", says.format(f"as the {name['status']} {row[i_status].strip()!r} says"))
