"""Exports: the payroll file, an Excel workbook and pandas frames.

``payroll.csv`` is what payroll imports: one row per payment, with the
columns :data:`PAYROLL_COLUMNS`. Each row's ``kind`` says what it pays:

* ``pay``: a member's pay with a month (months paid, amounts other than zero;
  with a holdback, what is paid now, the total less what is held back);
* ``correction``: a correction of a closed month, carried by a later month
  (plans whose ledger has closed months; ``corrects`` names the month
  corrected; below zero, an overpayment taken back);
* ``clawback``: below zero, an earlier overpayment deducted from the month's
  payment; above zero, the part of an overpayment the month's payment could
  not bear, carried to the next payments (plans with a ledger);
* ``settlement``: the year-end settlement of what was held back, paid with
  the last month of the plan year it settles (plans with a holdback).

Rows come by pay month, then kind in that order (:data:`PAYROLL_KINDS`),
then member id, so a month's settlements follow its pay. The amounts of a
member's rows of a month add up to what they are paid with it. Amounts are
plain decimal numbers in the plan currency (``1595.45``, ``-12.50``: no
thousands separators, never an empty cell for zero); member ids and teams
are text cells escaped against formula injection (see
:mod:`jointbonus.io.cells` for the rule). ``lines.csv``
(:func:`jointbonus.write_results`) has every line, zeros and reasons
included; this file has only what is to be paid.

A plan with functional goals or caps adds, before ``amount``, how the month's
amount is made (:func:`payroll_columns`), as numbers: ``shared`` and a
``functional_METRIC`` column per goal metric (plans with goals; empty for a
metric the member's team has no goal on) and ``capped`` (plans with caps):
shared + functional parts - capped is the month's total, of which ``amount``
is what is paid with the month (the total, less any holdback). A
settlement's or a claw-back's row leaves them empty. A plan whose ledger has
closed months adds ``corrects`` after ``kind``.

Two optional extras, never needed by the rest of the library:

* :func:`write_xlsx` writes the results as an Excel workbook and needs
  openpyxl (``pip install 'jointbonus[xlsx]'``);
* :func:`~jointbonus.sharedtarget.report.frames.to_frame` gives the lines,
  months or payroll as a pandas ``DataFrame`` and needs pandas
  (``pip install 'jointbonus[pandas]'``).

Without the extra, each raises :class:`MissingExtraError` saying what to
install; everything else works as before.
"""

from __future__ import annotations

import importlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from jointbonus.core.money import Currency
from jointbonus.errors import argument, refuse
from jointbonus.io.cells import csv_line
from jointbonus.io.extras import require_extra
from jointbonus.io.files import path_argument, write_bytes, write_text
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.corrections import (
    CLAWBACK,
    CORRECTION,
    LINE,
    PAY,
    SETTLEMENT,
    correction_fields,
    corrections_in,
    corrections_of,
    ledger_columns,
)
from jointbonus.sharedtarget.report.documents import (
    LINE_COLUMNS,
    MONTH_COLUMNS,
    MonthLineDocuments,
    flat_line,
    line_columns,
    line_document,
    month_document,
    plan_document,
    summary_document,
)
from jointbonus.sharedtarget.results import (
    LineStatus,
    MonthResult,
    MonthStatus,
    Recovery,
    Result,
    result_argument,
)

__all__ = [
    "LINE_NUMBERS",
    "MONTH_NUMBERS",
    "PAYROLL_COLUMNS",
    "PAYROLL_FILE",
    "PAYROLL_KINDS",
    "PAYROLL_NUMBERS",
    "XLSX_FILE",
    "payroll_columns",
    "payroll_csv",
    "payroll_numbers",
    "payroll_rows",
    "table_of",
    "write_payroll_csv",
    "write_xlsx",
    "xlsx_version",
]

#: File names in an output folder.
PAYROLL_FILE = "payroll.csv"
XLSX_FILE = "results.xlsx"

PAYROLL_COLUMNS = ("member_id", "team", "period", "kind", "currency", "amount")
#: The kinds of payroll row, in the order they come within a month.
PAYROLL_KINDS = (PAY, CORRECTION, CLAWBACK, SETTLEMENT)
#: The number columns of each table; every other column is text.
PAYROLL_NUMBERS = ("amount",)
LINE_NUMBERS = ("days", "weight", "attainment", "payout_factor", "shared", "total")
#: Number columns a plan with functional goals, caps, a holdback or advances adds to a table.
_EXTRA_NUMBERS = ("capped", "held", "paid_now", "advances_paid")
MONTH_NUMBERS = ("target", "actual", "attainment", "payout_factor", "pool", "paid")

#: Rows of one worksheet, the header included (Excel's limit).
MAX_SHEET_ROWS = 1_048_576


# -- payroll -------------------------------------------------------------------


def payroll_rows(result: Result) -> Iterator[tuple[str, str, str, str, str, Decimal]]:
    """``(member_id, team, period, kind, currency, amount)`` of every row to pay, in file order.

    Each paid month's lines to pay (``kind`` :data:`PAY`; in a plan with
    advances, ``advance`` or ``true-up``, as the line says), by member id; with
    a holdback, a month's amount is what is paid with it (the line's total
    less what is held back), and each year-end settlement paid follows the
    pay rows of the month it is paid with (``kind`` :data:`SETTLEMENT`): the
    last month of the plan year it settles (the plan's last month in a plan
    of one year).
    """
    members = result.plan.members
    code = result.plan.currency.code
    settled = _settlements_by_period(result)
    for month in result.months:
        period = str(month.month)
        if month.status is MonthStatus.PAID and (month.paid or month.advance):
            figures = month.lines.figures
            for position, index in enumerate(month.lines.of_member):
                line = figures[index]
                now = line.total - line.held
                if now:
                    member = members[position]
                    team = member.team_in(month.month)
                    yield member.id, team, period, line.kind or PAY, code, result.money(now)
        yield from settled.get(period, ())


def payroll_columns(plan: Plan) -> tuple[str, ...]:
    """The columns of ``payroll.csv`` for ``plan``: :data:`PAYROLL_COLUMNS`, and before
    ``amount`` the parts of a plan with functional goals or caps (module docstring)."""
    parts = _part_columns(plan)
    if not parts:
        return PAYROLL_COLUMNS
    return (*PAYROLL_COLUMNS[:-1], *parts, "amount")


def payroll_numbers(columns: Iterable[str]) -> tuple[str, ...]:
    """The number columns of a payroll table with ``columns``: the amount and its parts."""
    return tuple(c for c in columns if c not in _PAYROLL_TEXTS)


def _part_columns(plan: Plan) -> tuple[str, ...]:
    """The line columns that say how an amount is made: shared, functional_..., capped."""
    if not plan.weighted and not plan.functional.caps.any:
        return ()
    columns = line_columns(plan)
    start = columns.index("shared") if plan.weighted else columns.index("capped")
    return columns[start : columns.index("total")]


def _payroll_documents(result: Result) -> Iterator[dict[str, Any]]:
    """Every payroll row as a dict of :func:`payroll_columns` (amounts as text)."""
    plan = result.plan
    parts = _part_columns(plan)
    if not parts:
        for row in payroll_rows(result):
            yield dict(zip(PAYROLL_COLUMNS, (*row[:5], str(row[5])), strict=True))
        return
    code = plan.currency.code
    options = {"functional": plan.weighted, "capped": plan.functional.caps.any}
    settled = _settlements_by_period(result)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for line in result.lines():
        if line.status is not LineStatus.PAID:
            continue
        now = line.total if line.paid_now is None else line.paid_now
        if not now:
            continue
        document = flat_line(line_document(line, **options))
        by_month.setdefault(str(line.period), []).append(
            {
                "member_id": line.member_id,
                "team": line.team,
                "period": str(line.period),
                "kind": line.kind or PAY,  # pay, or an advance or true-up
                "currency": code,
                **{column: document.get(column) for column in parts},
                "amount": str(now),
            }
        )
    for month in result.months:
        period = str(month.month)
        yield from by_month.get(period, ())
        for row in settled.get(period, ()):
            yield {
                **dict(zip(PAYROLL_COLUMNS[:5], row[:5], strict=True)),
                **dict.fromkeys(parts),
                "amount": str(row[5]),
            }


def _settlements_by_period(
    result: Result,
) -> dict[str, list[tuple[str, str, str, str, str, Decimal]]]:
    """Payroll rows of the year-end settlements that are paid, by the month they are paid
    with: the last month of the plan year each settles; by member id within a month."""
    code = result.plan.currency.code
    settled: dict[str, list[tuple[str, str, str, str, str, Decimal]]] = {}
    for settlement in result.settlements():
        if settlement.paid:
            period = str(settlement.last)
            row = (settlement.member_id, settlement.team, period, SETTLEMENT, code, settlement.paid)
            settled.setdefault(period, []).append(row)
    return settled


def _ledger_payroll_documents(result: Result) -> Iterator[dict[str, Any]]:
    """The payroll rows of a plan whose ledger has closed months, as dicts.

    Month by month: the lines to pay (``kind`` ``pay``), the corrections the
    month carries (``correction``, ``corrects`` the month corrected; what each
    pays), the claw-backs (``clawback``), the year-end settlements paid with
    the month (``settlement``). A month without an actual pays nothing yet,
    its corrections included.
    """
    plan = result.plan
    code = plan.currency.code
    parts = _part_columns(plan)
    options = {"functional": plan.weighted, "capped": plan.functional.caps.any}
    carried = dict(corrections_in(result))
    recovered: dict[str, list[Recovery]] = {}
    for recovery in result.recoveries:
        if recovery.month is not None:
            recovered.setdefault(str(recovery.month), []).append(recovery)
    corrected = corrections_of(result)
    closed = {str(month) for month in result.ledger.closed_months} if result.ledger else set()
    settled = _settlements_by_period(result)
    for month in result.months:
        period = str(month.month)
        if month.status is MonthStatus.PAID:
            yield from _ledger_month_rows(result, month, corrected, period in closed)
            for correction in carried.get(period, ()):
                if correction.paid:
                    document = flat_line(
                        correction_fields(result, correction, **options, holdback=False)
                    )
                    yield {
                        "member_id": correction.member_id,
                        "team": correction.team,
                        "period": period,
                        "kind": CORRECTION,
                        "corrects": str(correction.corrects),
                        "currency": code,
                        **{column: document.get(column) for column in parts},
                        "amount": str(result.money(correction.paid)),
                    }
            for recovery in recovered.get(period, ()):
                if recovery.adjustment:
                    yield {
                        "member_id": recovery.member_id,
                        "team": recovery.team,
                        "period": period,
                        "kind": CLAWBACK,
                        "corrects": None,
                        "currency": code,
                        **dict.fromkeys(parts),
                        "amount": str(result.money(recovery.adjustment)),
                    }
        for row in settled.get(period, ()):
            yield {
                **dict(zip(PAYROLL_COLUMNS[:4], row[:4], strict=True)),
                "corrects": None,
                "currency": row[4],
                **dict.fromkeys(parts),
                "amount": str(row[5]),
            }


def _ledger_month_rows(
    result: Result,
    month: MonthResult,
    corrected: dict[tuple[str, str], dict[str, int]],
    closed: bool,
) -> Iterator[dict[str, Any]]:
    """The pay rows of one month of a plan with a ledger: a closed month pays what it
    paid (its corrections follow as rows of the months that carry them)."""
    plan = result.plan
    parts = _part_columns(plan)
    options = {"functional": plan.weighted, "capped": plan.functional.caps.any}
    period = str(month.month)
    members = plan.members
    documents = MonthLineDocuments(plan.currency, month, **options)
    figures = month.lines.figures
    for position, index in enumerate(month.lines.of_member):
        now = figures[index].total - figures[index].held
        document = flat_line(documents.of(index))
        values = {column: document.get(column) for column in parts}
        since = corrected.get((period, members[position].id)) if closed else None
        if since is not None:
            now -= since["total"] - since["held"]
            values = _less(values, since, plan.currency)
        if now:
            yield {
                "member_id": members[position].id,
                "team": members[position].team_in(month.month),
                "period": period,
                "kind": figures[index].kind or PAY,  # pay, or an advance or true-up
                "corrects": None,
                "currency": plan.currency.code,
                **values,
                "amount": str(result.money(now)),
            }


def _less(values: dict[str, Any], corrected: dict[str, int], currency: Currency) -> dict[str, Any]:
    """A closed month's part cells as they were paid: now, less the corrections of them."""
    paid: dict[str, Any] = {}
    for column, text in values.items():
        if text is None:
            paid[column] = None
            continue
        units = currency.to_minor(Decimal(text)) - corrected.get(column, 0)
        paid[column] = str(currency.from_minor(units))
    return paid


#: The text columns of payroll.csv; the others are numbers.
_PAYROLL_TEXTS = frozenset({"member_id", "team", "period", "kind", "corrects", "currency"})


def _payroll_chunks(result: Result, escape_formulas: bool) -> Iterator[str]:
    """``payroll.csv`` text, one chunk per month (fast: each member's cells formatted once)."""
    plan = result.plan
    columns = payroll_columns(plan)
    if result.ledger is not None:
        columns = ledger_columns(columns)
    yield csv_line(columns, [False] * len(columns))
    if columns != PAYROLL_COLUMNS:  # the parts of each amount: one row at a time
        numbers = payroll_numbers(columns)
        flags = [c in numbers for c in columns]
        rows = (
            _ledger_payroll_documents(result)
            if result.ledger is not None
            else _payroll_documents(result)
        )
        for document in rows:
            values = [document[c] for c in columns]
            yield csv_line(values, flags, escape_formulas=escape_formulas)
        return
    members = plan.members
    changing = [position for position, member in enumerate(members) if member.changes]

    def head(member_id: str, team: str) -> str:
        return csv_line((member_id, team), (False, False), escape_formulas=escape_formulas)[:-1]

    heads = [head(m.id, m.team) + "," for m in members]
    code = csv_line((plan.currency.code,), (False,), escape_formulas=escape_formulas)[:-1]
    settled = _settlements_by_period(result)
    for month in result.months:
        period = str(month.month)
        if month.status is MonthStatus.PAID and (month.paid or month.advance):
            for position in changing:  # a member who changed teams: the month's team
                heads[position] = head(members[position].id, members[position].team_in(month.month))
                heads[position] += ","
            tails = []
            for line in month.lines.figures:
                now = line.total - line.held
                kind = line.kind or PAY  # pay, or an advance or true-up
                tails.append(f"{period},{kind},{code},{result.money(now)}\n" if now else "")
            yield "".join(
                heads[position] + tails[index]
                for position, index in enumerate(month.lines.of_member)
                if tails[index]
            )
        for row in settled.get(period, ()):
            cells = (*row[:5], str(row[5]))
            yield csv_line(cells, _SETTLEMENT_FLAGS, escape_formulas=escape_formulas)


#: Which cells of a settlement's row in a plain payroll.csv are numbers.
_SETTLEMENT_FLAGS = (False, False, False, False, False, True)


def payroll_csv(result: Result, *, escape_formulas: bool = True) -> str:
    """``payroll.csv`` as text (see the module docstring).

    ``escape_formulas=False`` writes text cells exactly as they are, for a
    program that reads the file and never a spreadsheet.
    """
    result = result_argument(result)
    escape_formulas = argument("escape_formulas", escape_formulas, bool, "True or False")
    return "".join(_payroll_chunks(result, escape_formulas))


def write_payroll_csv(result: Result, path: str | Path, *, escape_formulas: bool = True) -> Path:
    """Write ``payroll.csv`` to ``path`` atomically (complete or not at all); returns the path."""
    result = result_argument(result)
    path = path_argument("path", path)
    escape_formulas = argument("escape_formulas", escape_formulas, bool, "True or False")

    def write(handle: TextIO) -> None:
        for chunk in _payroll_chunks(result, escape_formulas):
            handle.write(chunk)

    return write_text(path, write)


# -- tables ----------------------------------------------------------------------


def table_of(
    result: Result, table: str
) -> tuple[Sequence[str], Sequence[str], Callable[[], Iterable[dict[str, Any]]]]:
    """Columns, number columns and the rows (as documents, amounts as text) of the table
    ``lines``, ``months`` or ``payroll``: what the workbook's sheets and the frames show."""
    plan = result.plan
    currency = plan.currency
    if table == "lines":
        if result.ledger is not None:
            return _ledger_lines_table(result)
        if not plan.weighted and not plan.functional.caps.any and plan.advance is None:
            return LINE_COLUMNS, LINE_NUMBERS, lambda: map(line_document, result.lines())
        columns = line_columns(plan)
        columns = tuple(c for c in columns if c not in ("held", "paid_now"))
        options = {"functional": plan.weighted, "capped": plan.functional.caps.any}
        return (
            columns,
            (*LINE_NUMBERS, *_extra_numbers(columns)),
            lambda: (flat_line(line_document(line, **options)) for line in result.lines()),
        )
    if table == "months":
        periods = ("shared_period", "ends_period") if plan.period.months > 1 else ()
        advances = ("advance", "advances_paid", "true_up") if plan.advance is not None else ()
        if not plan.functional.caps.any and not advances:
            return (
                (*MONTH_COLUMNS, *periods),
                MONTH_NUMBERS,
                lambda: (month_document(currency, m) for m in result.months),
            )
        capped = ("capped",) if plan.functional.caps.any else ()
        return (
            (*MONTH_COLUMNS, *periods, *capped, *advances),
            (*MONTH_NUMBERS, *capped, *advances),
            lambda: (month_document(currency, m, plan) for m in result.months),
        )
    if table == "payroll":
        columns = payroll_columns(plan)
        if result.ledger is not None:
            columns = ledger_columns(columns)
            return columns, payroll_numbers(columns), lambda: _ledger_payroll_documents(result)
        return columns, payroll_numbers(columns), lambda: _payroll_documents(result)
    refuse("table", table, "'lines', 'months' or 'payroll'")


def _ledger_lines_table(
    result: Result,
) -> tuple[Sequence[str], Sequence[str], Callable[[], Iterable[dict[str, Any]]]]:
    """The lines table of a plan whose ledger has closed months: lines, then corrections."""
    plan = result.plan
    columns = tuple(c for c in line_columns(plan) if c not in ("held", "paid_now"))
    options = {"functional": plan.weighted, "capped": plan.functional.caps.any}

    def documents() -> Iterator[dict[str, Any]]:
        carried = dict(corrections_in(result))
        by_month: dict[str, list[dict[str, Any]]] = {}
        for line in result.lines():
            document = flat_line(line_document(line, **options))
            document.setdefault("kind", LINE)  # an advance or true-up line keeps its kind
            by_month.setdefault(str(line.period), []).append(document)
        for month in result.months:
            period = str(month.month)
            yield from by_month.get(period, ())
            for correction in carried.get(period, ()):
                yield flat_line(correction_fields(result, correction, **options, holdback=False))
        for correction in carried.get(None, ()):
            yield flat_line(correction_fields(result, correction, **options, holdback=False))

    return ledger_columns(columns), (*LINE_NUMBERS, *_extra_numbers(columns)), documents


def _extra_numbers(columns: Sequence[str]) -> tuple[str, ...]:
    """The number columns of ``columns`` beyond the plain tables': parts, cuts, holdback."""
    return tuple(c for c in columns if c.startswith("functional_") or c in _EXTRA_NUMBERS)


# -- Excel -------------------------------------------------------------------------


def xlsx_version() -> str:
    """The version of openpyxl, which writes workbooks; :class:`MissingExtraError` without it."""
    return str(require_extra("openpyxl", "xlsx", "writing an .xlsx workbook").__version__)


#: The document dates openpyxl writes (the time of saving): removed, so that
#: the same result gives the same workbook, byte for byte.
_SAVE_TIMES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_AMOUNTS = {"target", "actual", "pool", "paid", "shared", "total", "amount", "capped"}
_SUMMARY_KINDS = {"budget": "amount", "norm.mean_attainment": "ratio", "norm.uplift": "ratio"}


def write_xlsx(result: Result, path: str | Path) -> Path:
    """Write the results as an Excel workbook at ``path``, atomically; returns the path.

    Sheets: ``Summary`` (the plan and the plan summary), ``Months``,
    ``Lines`` (every member and month) and ``Payroll`` (the lines to pay),
    with the columns of the CSV files. Amounts and ratios are number cells
    formatted to the currency's decimals (Excel keeps numbers as binary
    floating point: the exact figures are in the CSV and JSON files); every
    text cell is stored as text, so no cell is ever a formula and no
    apostrophe is needed. A table longer than a worksheet (1,048,575 rows)
    continues on ``Lines 2``, ``Lines 3``, ... Characters a worksheet cannot
    hold (control characters) are shown as U+FFFD. The workbook carries no
    save time: the same result gives the same file, byte for byte.

    Needs openpyxl (``pip install 'jointbonus[xlsx]'``); raises
    :class:`MissingExtraError` without it.
    """
    result = result_argument(result)
    path = path_argument("path", path)
    openpyxl = require_extra("openpyxl", "xlsx", "writing an .xlsx workbook")
    cells = importlib.import_module("openpyxl.cell")
    illegal = importlib.import_module("openpyxl.cell.cell").ILLEGAL_CHARACTERS_RE
    workbook = openpyxl.Workbook(write_only=True)
    minor = result.plan.currency.minor_unit
    formats = {"amount": "#,##0" + ("." + "0" * minor if minor else ""), "ratio": "0.000000"}

    def cell(sheet: Any, value: object, kind: str = "text") -> Any:
        """A cell: ``kind`` is ``text``, ``amount`` or ``ratio`` (ints and booleans as they are)."""
        if value is None or isinstance(value, bool | int):
            return cells.WriteOnlyCell(sheet, value=value)
        text = str(value)
        if kind in formats:
            number = cells.WriteOnlyCell(sheet, value=Decimal(text))
            number.number_format = formats[kind]
            return number
        written = cells.WriteOnlyCell(sheet, value=illegal.sub("\ufffd", text))
        written.data_type = "s"  # text, even when it starts with "=": never a formula
        return written

    def add_table(title: str, table: str) -> None:
        columns, numbers, documents = table_of(result, table)
        kinds = [
            ("amount" if c in _AMOUNTS or c.startswith("functional_") else "ratio")
            if c in numbers
            else "text"
            for c in columns
        ]
        sheet: Any = None
        rows = 0
        for document in documents():
            if sheet is None or rows == MAX_SHEET_ROWS:
                sheets = len([s for s in workbook.worksheets if s.title.startswith(title)])
                sheet = workbook.create_sheet(f"{title} {sheets + 1}" if sheets else title)
                sheet.append([cell(sheet, c) for c in columns])
                rows = 1
            sheet.append(
                [cell(sheet, document.get(c), k) for c, k in zip(columns, kinds, strict=True)]
            )
            rows += 1
        if sheet is None:
            sheet = workbook.create_sheet(title)
            sheet.append([cell(sheet, c) for c in columns])

    summary = workbook.create_sheet("Summary")
    summary.append([cell(summary, "item"), cell(summary, "value")])
    plan = plan_document(result.plan)
    norm = plan.pop("norm")
    goals = plan.pop("goals", [])
    settings = {f"{group}.{key}": value for group in ("gates", "caps")
                for key, value in plan.pop(group, {}).items()}  # fmt: skip
    for key, value in plan.items():
        summary.append([cell(summary, key), cell(summary, value, _SUMMARY_KINDS.get(key, "text"))])
    for key, value in norm.items():
        kind = _SUMMARY_KINDS.get(f"norm.{key}", "text")
        summary.append([cell(summary, f"norm.{key}"), cell(summary, value, kind)])
    for goal in goals:
        key = f"goals.{goal['team']}/{goal['metric']}"
        summary.append([cell(summary, f"{key}.weight"), cell(summary, goal["weight"], "ratio")])
        summary.append([cell(summary, f"{key}.curve"), cell(summary, goal["curve"])])
        if "period" in goal:  # a goal over the shared period, not month by month
            summary.append([cell(summary, f"{key}.period"), cell(summary, goal["period"])])
        if "gate" in goal:  # a goal's own gate: the metric it reads, the attainment it needs
            gate = goal["gate"]
            summary.append([cell(summary, f"{key}.gate.metric"), cell(summary, gate["metric"])])
            attainment = cell(summary, gate["attainment"], "ratio")
            summary.append([cell(summary, f"{key}.gate.attainment"), attainment])
    for key, value in settings.items():
        kind = "ratio" if key.startswith("gates.") else "amount"
        summary.append([cell(summary, key), cell(summary, value, kind)])
    for key, value in summary_document(result).items():
        summary.append([cell(summary, key), cell(summary, value, "amount")])
    add_table("Months", "months")
    add_table("Lines", "lines")
    add_table("Payroll", "payroll")

    saved = io.BytesIO()
    workbook.save(saved)
    return write_bytes(path, _reproducible(saved.getvalue()))


def _reproducible(data: bytes) -> bytes:
    """The workbook ``data`` with fixed times: no save time, every zip entry at 1980-01-01."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _SAVE_TIMES.sub(b"", content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, content)
    return out.getvalue()
