"""Exports: the payroll file, an Excel workbook and pandas frames.

``payroll.csv`` is what payroll imports: one line per member and month with
an amount to pay (months paid, amounts other than zero), by period then
member id, with the columns :data:`PAYROLL_COLUMNS`. Amounts are plain
decimal numbers in the plan currency (``1595.45``; a correction would be
``-12.50``); member ids and teams are text cells escaped against formula
injection (see :mod:`jointbonus.io.cells` for the rule). ``lines.csv``
(:func:`jointbonus.write_results`) has every line, zeros and reasons
included; this file has only what is to be paid.

A plan with functional goals or caps adds, before ``amount``, how the month's
amount is made (:func:`payroll_columns`): ``shared`` and a
``functional_METRIC`` column per goal metric (plans with goals; empty for a
metric the member's team has no goal on) and ``capped`` (plans with caps):
shared + functional parts - capped is the month's total, of which ``amount``
is what is paid with the month (the total, less any holdback). A year-end
settlement row leaves them empty.

A plan whose ledger has closed months adds ``kind`` and ``corrects`` after
``period``: each month's lines (``line``), then the corrections of closed
months it carries (``correction``, ``corrects`` the month corrected, the
amount what the correction pays: below zero, an overpayment taken back) and
the claw-backs (``clawback``: below zero, an earlier overpayment deducted;
above zero, the part of an overpayment the month's payment could not bear,
carried to the next payments); the settlements are ``settlement``. The
amounts of a member's rows of a month add up to what they are paid with it.

Two optional extras, never needed by the rest of the library:

* :func:`write_xlsx` writes the results as an Excel workbook and needs
  openpyxl (``pip install 'jointbonus[xlsx]'``);
* :func:`to_frame` gives the lines, months or payroll as a pandas
  ``DataFrame`` and needs pandas (``pip install 'jointbonus[pandas]'``).

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
from typing import Any, Literal, TextIO

from jointbonus.core.money import Currency
from jointbonus.io.cells import csv_line
from jointbonus.io.extras import require_extra
from jointbonus.io.files import write_bytes, write_text
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.corrections import (
    CLAWBACK,
    CORRECTION,
    LINE,
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
from jointbonus.sharedtarget.results import LineStatus, MonthStatus, Recovery, Result

__all__ = [
    "LINE_NUMBERS",
    "MONTH_NUMBERS",
    "PAYROLL_COLUMNS",
    "PAYROLL_FILE",
    "PAYROLL_NUMBERS",
    "XLSX_FILE",
    "payroll_columns",
    "payroll_csv",
    "payroll_rows",
    "to_frame",
    "write_payroll_csv",
    "write_xlsx",
    "xlsx_version",
]

#: File names in an output folder.
PAYROLL_FILE = "payroll.csv"
XLSX_FILE = "results.xlsx"

PAYROLL_COLUMNS = ("member_id", "team", "period", "currency", "amount")
#: The number columns of each table; every other column is text.
PAYROLL_NUMBERS = ("amount",)
LINE_NUMBERS = ("days", "weight", "attainment", "payout_factor", "shared", "total")
#: Number columns a plan with functional goals, caps, a holdback or advances adds to a table.
_EXTRA_NUMBERS = ("capped", "held", "paid_now", "advances_paid")
MONTH_NUMBERS = ("target", "actual", "attainment", "payout_factor", "pool", "paid")

#: Rows of one worksheet, the header included (Excel's limit).
MAX_SHEET_ROWS = 1_048_576


# -- payroll -------------------------------------------------------------------


def payroll_rows(result: Result) -> Iterator[tuple[str, str, str, str, Decimal]]:
    """``(member_id, team, period, currency, amount)`` of every line to pay, in file order.

    With a holdback, a month's amount is what is paid with it (the line's
    total less what is held back), and each year-end settlement paid follows
    as a row whose period is the last month of the plan year it settles (the
    plan's last month in a plan of one year).
    """
    for member_id, team, period, _, code, amount in _kinded_rows(result):
        yield member_id, team, period, code, amount
    yield from _settlement_rows(result)


def _kinded_rows(result: Result) -> Iterator[tuple[str, str, str, str, str, Decimal]]:
    """``(member_id, team, period, kind, currency, amount)`` of every line to pay, in file
    order: ``kind`` is the line's (``advance``, ``true-up``; ``""`` without advances)."""
    members = result.plan.members
    code = result.plan.currency.code
    for month in result.months:
        if month.status is not MonthStatus.PAID or not (month.paid or month.advance):
            continue
        period = str(month.month)
        figures = month.lines.figures
        for position, index in enumerate(month.lines.of_member):
            line = figures[index]
            now = line.total - line.held
            if now:
                member = members[position]
                team = member.team_in(month.month)
                yield member.id, team, period, line.kind, code, result.money(now)


def payroll_columns(plan: Plan) -> tuple[str, ...]:
    """The columns of ``payroll.csv`` for ``plan``: :data:`PAYROLL_COLUMNS`, and before
    ``amount`` the parts of a plan with functional goals or caps (module docstring)."""
    parts = _part_columns(plan)
    if plan.advance is not None:  # which rows pay advances and which true-ups
        at = PAYROLL_COLUMNS.index("period") + 1
        return (*PAYROLL_COLUMNS[:at], "kind", *PAYROLL_COLUMNS[at:-1], *parts, "amount")
    if not parts:
        return PAYROLL_COLUMNS
    return (*PAYROLL_COLUMNS[:-1], *parts, "amount")


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
    advancing = plan.advance is not None
    if not parts and not advancing:
        for row in payroll_rows(result):
            yield dict(zip(PAYROLL_COLUMNS, (*row[:4], str(row[4])), strict=True))
        return
    if not parts:  # a plan with advances: each row says what it pays
        columns = payroll_columns(plan)
        for kinded in _kinded_rows(result):
            yield dict(zip(columns, (*kinded[:5], str(kinded[5])), strict=True))
        return
    code = plan.currency.code
    options = {"functional": plan.weighted, "capped": plan.functional.caps.any}
    for line in result.lines():
        if line.status is not LineStatus.PAID:
            continue
        now = line.total if line.paid_now is None else line.paid_now
        if not now:
            continue
        document = flat_line(line_document(line, **options))
        yield {
            "member_id": line.member_id,
            "team": line.team,
            "period": str(line.period),
            **({"kind": line.kind} if advancing else {}),
            "currency": code,
            **{column: document.get(column) for column in parts},
            "amount": str(now),
        }
    for row in _settlement_rows(result):
        yield {
            **dict(zip(PAYROLL_COLUMNS[:4], row[:4], strict=True)),
            **dict.fromkeys(parts),
            "amount": str(row[4]),
        }


def _settlement_rows(result: Result) -> Iterator[tuple[str, str, str, str, Decimal]]:
    """Payroll rows of the year-end settlements that are paid: each row's period is the last
    month of the plan year it settles."""
    code = result.plan.currency.code
    for settlement in result.settlements():
        if settlement.paid:
            period = str(settlement.last)
            yield settlement.member_id, settlement.team, period, code, settlement.paid


def _ledger_payroll_documents(result: Result) -> Iterator[dict[str, Any]]:
    """The payroll rows of a plan whose ledger has closed months, as dicts.

    Month by month: the lines to pay (``kind`` ``line``), the corrections the
    month carries (``correction``, ``corrects`` the month corrected; what each
    pays), the claw-backs (``clawback``); then the year-end settlements
    (``settlement``). A month without an actual pays nothing yet, its
    corrections included.
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
    members = plan.members
    corrected = corrections_of(result)
    closed = {str(month) for month in result.ledger.closed_months} if result.ledger else set()
    for month in result.months:
        if month.status is not MonthStatus.PAID:
            continue
        period = str(month.month)
        documents = MonthLineDocuments(plan.currency, month, **options)
        figures = month.lines.figures
        for position, index in enumerate(month.lines.of_member):
            now = figures[index].total - figures[index].held
            document = flat_line(documents.of(index))
            values = {column: document.get(column) for column in parts}
            since = corrected.get((period, members[position].id)) if period in closed else None
            if since is not None:  # a closed month pays what it paid: the corrections follow
                now -= since["total"] - since["held"]
                values = _less(values, since, plan.currency)
            if now:
                yield {
                    "member_id": members[position].id,
                    "team": members[position].team,
                    "period": period,
                    "kind": figures[index].kind or LINE,  # advance, true-up, or a line
                    "corrects": None,
                    "currency": code,
                    **values,
                    "amount": str(result.money(now)),
                }
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
    for row in _settlement_rows(result):
        yield {
            **dict(zip(PAYROLL_COLUMNS[:3], row[:3], strict=True)),
            "kind": "settlement",
            "corrects": None,
            "currency": row[3],
            **dict.fromkeys(parts),
            "amount": str(row[4]),
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
    # A plan with advances says what each row pays (advance, true-up) and keeps the fast way.
    advancing = plan.advance is not None and result.ledger is None and not _part_columns(plan)
    if columns != PAYROLL_COLUMNS and not advancing:  # the parts of each amount: a row at a time
        flags = [c not in _PAYROLL_TEXTS for c in columns]
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
    heads = [
        csv_line((m.id, m.team), (False, False), escape_formulas=escape_formulas)[:-1] + ","
        for m in members
    ]
    code = csv_line((plan.currency.code,), (False,), escape_formulas=escape_formulas)[:-1]
    for month in result.months:
        if month.status is not MonthStatus.PAID or not (month.paid or month.advance):
            continue
        period = str(month.month)
        tails = []
        for line in month.lines.figures:
            now = line.total - line.held
            kind = f"{line.kind}," if advancing else ""
            tails.append(f"{period},{kind}{code},{result.money(now)}\n" if now else "")
        yield "".join(
            heads[position] + tails[index]
            for position, index in enumerate(month.lines.of_member)
            if tails[index]
        )
    for row in _settlement_rows(result):
        cells = (row[0], row[1], row[2], row[3], str(row[4]))
        yield csv_line(cells, (False, False, False, False, True), escape_formulas=escape_formulas)


def payroll_csv(result: Result, *, escape_formulas: bool = True) -> str:
    """``payroll.csv`` as text (see the module docstring).

    ``escape_formulas=False`` writes text cells exactly as they are, for a
    program that reads the file and never a spreadsheet.
    """
    return "".join(_payroll_chunks(result, escape_formulas))


def write_payroll_csv(result: Result, path: str | Path, *, escape_formulas: bool = True) -> Path:
    """Write ``payroll.csv`` to ``path`` atomically (complete or not at all); returns the path."""

    def write(handle: TextIO) -> None:
        for chunk in _payroll_chunks(result, escape_formulas):
            handle.write(chunk)

    return write_text(path, write)


# -- pandas ----------------------------------------------------------------------


def _decimal(text: object) -> Decimal | None:
    return None if text is None else Decimal(str(text))


def _columns(
    columns: Sequence[str],
    numbers: Iterable[str],
    documents: Iterable[dict[str, Any]],
) -> dict[str, list[Any]]:
    numeric = set(numbers)
    table: dict[str, list[Any]] = {column: [] for column in columns}
    for document in documents:
        for column in columns:
            value = document.get(column)  # a functional part of another team's goal: None
            if column in numeric and isinstance(value, str):
                value = _decimal(value)
            table[column].append(value)
    return table


def _table(
    result: Result, table: str
) -> tuple[Sequence[str], Sequence[str], Callable[[], Iterable[dict[str, Any]]]]:
    """Columns, number columns and the rows (as documents) of one of the tables."""
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
            return (
                ledger_columns(columns),
                (*PAYROLL_NUMBERS, *_extra_numbers(columns)),
                lambda: _ledger_payroll_documents(result),
            )
        return (
            columns,
            (*PAYROLL_NUMBERS, *_extra_numbers(columns)),
            lambda: _payroll_documents(result),
        )
    raise ValueError(f"table: got {table!r}, expected 'lines', 'months' or 'payroll'")


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


def to_frame(result: Result, table: Literal["lines", "months", "payroll"] = "lines") -> Any:
    """The result's ``lines``, ``months`` or ``payroll`` as a pandas ``DataFrame``.

    The columns are those of ``lines.csv``, ``months.csv`` and
    ``payroll.csv``. Amounts and ratios are exact :class:`~decimal.Decimal`
    values (object columns), ratios with six decimals as in the files; a
    value that does not exist yet (a pending month's attainment) is ``None``;
    ``days`` is an integer, ``hit`` a boolean or ``None``, the rest text. A plan
    with functional goals or caps adds the columns of its files: the lines'
    ``functional_METRIC`` parts (``None`` for a metric the member's team has
    no goal on) and ``capped``, the months' ``capped``, the payroll's parts.
    Summing an amount column adds Decimals, so totals stay exact::

        frame = jointbonus.to_frame(result)
        frame.groupby("member_id")["total"].sum()

    Needs pandas (``pip install 'jointbonus[pandas]'``); raises
    :class:`MissingExtraError` without it.
    """
    columns, numbers, documents = _table(result, table)
    pandas = require_extra("pandas", "pandas", "to_frame")
    return pandas.DataFrame(_columns(columns, numbers, documents()), columns=list(columns))


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
        columns, numbers, documents = _table(result, table)
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
