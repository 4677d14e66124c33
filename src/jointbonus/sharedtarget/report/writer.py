"""Reports: tables for people, JSON for programs, CSV files for payroll.

This module writes the result as files -- ``lines.csv``, ``months.csv`` and
``result.json`` (:func:`write_results`), or their text (:func:`lines_csv`,
:func:`months_csv`) -- and, as the public face of the reports, offers what
the two modules beside it make, each of which can be imported by itself:

* :mod:`jointbonus.sharedtarget.report.documents`: the result as JSON-ready documents (plan,
  calibration, summary, months, lines, settlements) and :func:`render_json`;
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
``lines.csv`` is made by a fast path: a month's
rows differ only in who they are for and in a handful of (days, weight,
amount, reason) combinations, each formatted once. A plan with functional
goals or caps has more columns (:func:`line_columns`): each line's functional
parts, by metric, and what the caps cut; its rows are formatted once per
cohort and combination of parts.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import operator
import re
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

from jointbonus._gc import paused_gc
from jointbonus.core.curves import Curve
from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text
from jointbonus.core.roster import FTE_SCALE
from jointbonus.io.cells import csv_text, escape_formula
from jointbonus.io.files import staged_folder, write_text
from jointbonus.sharedtarget.pay.frame import Cohort, held_back
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.documents import (
    LINE_COLUMNS,
    MONTH_COLUMNS,
    RATIO_PLACES,
    calibration_document,
    flat_line,
    line_columns,
    line_document,
    month_document,
    plan_document,
    ratio_text,
    render_json,
    result_document,
    settlement_document,
    summary_document,
    weighting_document,
)
from jointbonus.sharedtarget.report.statements import statement_files
from jointbonus.sharedtarget.report.tables import render_calibration_table, render_table
from jointbonus.sharedtarget.results import LineStatus, MonthResult, MonthStatus, Result

__all__ = [
    "LINE_COLUMNS",
    "MONTH_COLUMNS",
    "calibration_document",
    "line_columns",
    "line_document",
    "lines_csv",
    "month_document",
    "months_csv",
    "plan_document",
    "render_calibration_table",
    "render_json",
    "render_table",
    "result_document",
    "settlement_document",
    "summary_document",
    "weighting_document",
    "write_results",
]


def _csv_text(cells: tuple[object, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue()


#: What makes the csv module quote a cell.
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


@functools.lru_cache(maxsize=4096)
def _weight_text(units: int, days_in_month: int) -> str:
    """A line's weight: ``units`` (FTE x 10^6 x days) over 10^6 x days in the month."""
    return decimal_text(Fraction(units, FTE_SCALE * days_in_month), RATIO_PLACES)


def _line_rows(result: Result) -> Iterator[str]:
    """``lines.csv`` text, one chunk per month, in member id order.

    Fast: a month's rows differ only in who they are for and in a handful of
    (days, weight, amount, reason) combinations, so each combination's text is
    formatted once and joined to every member it belongs to. Members that
    share a cohort share its text; the few a remainder unit bumps get a second.
    """
    plan = result.plan
    currency = plan.currency
    curve = plan.curve
    heads = _heads(plan)
    if plan.weighted or plan.functional.caps.any:
        yield from _part_line_rows(result, heads)
        return
    cohorts: list[tuple[int, ...]] = []
    pick: Callable[[list[str]], tuple[str, ...]] | None = None
    for month_result in result.months:
        positions = [cohort.positions for cohort in month_result.frame.cohorts]
        if len(positions) != len(cohorts) or any(
            a is not b for a, b in zip(positions, cohorts, strict=True)
        ):  # months framed together share their cohorts' positions
            cohorts, pick = positions, _picker(positions, len(heads))
        yield _month_text(month_result, heads, currency, curve, pick, plan=plan)


def _heads(plan: Plan) -> list[str]:
    """Each member's ``id,team,`` text: roster text cells, escaped (jointbonus.io.cells)."""
    return [
        f"{member_id},{team},"
        if member_id and team and _NEEDS_QUOTES.search(member_id + team) is None
        else _csv_text((member_id, team))[:-1] + ","
        for member_id, team in (
            (escape_formula(m.id), escape_formula(m.team)) for m in plan.members
        )
    ]


def _part_line_rows(result: Result, heads: list[str]) -> Iterator[str]:
    """``lines.csv`` text of a plan with functional goals or caps, one chunk per month.

    The cells are those of :func:`~jointbonus.sharedtarget.report.documents.line_document`, its
    functional parts spread over the ``functional_METRIC`` columns (empty for
    a metric the member's team has no goal on). Each combination of cohort
    and parts is formatted once.
    """
    plan = result.plan
    columns = line_columns(plan)[2:]  # after member_id and team: the heads
    options = {
        "holdback": bool(plan.holdback),
        "functional": plan.weighted,
        "capped": plan.functional.caps.any,
    }
    count = len(plan.members)
    for month_result in result.months:
        by_parts = plan.weighted or bool(month_result.cuts)  # as Result.lines does
        texts: dict[tuple[int, tuple[int, tuple[int, ...], int]], str] = {}
        rows = []
        for position, index, cohort in month_result.member_cohorts(count):
            parts = month_result.parts_of(index, position)
            text = texts.get((index, parts))
            if text is None:
                amount = parts[0] + sum(parts[1]) - parts[2]
                member = plan.members[position]
                line = result.line(
                    member, month_result, cohort, amount, parts if by_parts else None
                )
                document = flat_line(line_document(line, **options))
                cells = [
                    "" if document.get(column) is None else str(document[column])
                    for column in columns
                ]
                cells[-1] = escape_formula(cells[-1])  # the reason: the one text cell made here
                text = texts[index, parts] = (
                    ",".join(cells) + "\n"
                    if _NEEDS_QUOTES.search(cells[-1]) is None
                    else _csv_text(tuple(cells))
                )
            rows.append(heads[position] + text)
        yield "".join(rows)


def _picker(
    cohorts: list[tuple[int, ...]], count: int
) -> Callable[[list[str]], tuple[str, ...]] | None:
    """A function taking one item per cohort to one per member, in member order.

    ``None`` when a member is in no cohort, or there are fewer than two members.
    """
    slots = [-1] * count
    for index, positions in enumerate(cohorts):
        for position in positions:
            slots[position] = index
    if count < 2 or -1 in slots:
        return None
    return operator.itemgetter(*slots)


def _month_text(
    month_result: MonthResult,
    heads: list[str],
    currency: Currency,
    curve: Curve,
    pick: Callable[[list[str]], tuple[str, ...]] | None = None,
    *,
    plan: Plan | None = None,
) -> str:
    """One month's ``lines.csv`` rows; ``heads`` are the members' ``id,team,`` texts.

    ``pick`` (from :func:`_picker`) spreads each cohort's text over its members.
    """
    period = str(month_result.month)
    attainment = ratio_text(month_result.attainment) or ""
    factor = ratio_text(month_result.factor) or ""
    days_in_month = month_result.month.days
    pending = month_result.status is MonthStatus.PENDING
    texts: dict[tuple[int, int, int, str], str] = {}

    def tail_of(cohort: Cohort, amount: int) -> str:
        key = (cohort.days, cohort.units, amount, cohort.reason)
        text = texts.get(key)
        if text is None:
            money = str(currency.from_minor(amount))
            if pending:
                status = LineStatus.PENDING.value
            else:
                status = (LineStatus.PAID if amount else LineStatus.ZERO).value
            cells = (
                period,
                str(cohort.days),
                _weight_text(cohort.units, days_in_month),
                attainment,
                factor,
                money,
                money,
                *_held_cells(plan, currency, amount),
                status,
                escape_formula(month_result.line_reason(cohort, amount, curve)),
            )
            # Only the reason can hold what CSV quotes; the other cells are made here.
            if _NEEDS_QUOTES.search(cells[-1]) is None:
                text = ",".join(cells) + "\n"
            else:
                text = _csv_text(cells)
            texts[key] = text
        return text

    shared = list(zip(month_result.frame.cohorts, month_result.shares, strict=True))
    tails: list[str | None]
    if pick is not None:
        tails = list(pick([tail_of(cohort, share.base) for cohort, share in shared]))
    else:
        tails = [None] * len(heads)
        for cohort, share in shared:
            text = tail_of(cohort, share.base)
            for position in cohort.positions:
                tails[position] = text
    for cohort, share in shared:
        if share.bumped:
            text = tail_of(cohort, share.base + share.step)
            for position in share.bumped:
                tails[position] = text
    if None in tails:  # members outside every cohort have no line
        return "".join(
            [head + tail for head, tail in zip(heads, tails, strict=True) if tail is not None]
        )
    parts: list[str] = [""] * (2 * len(heads))  # head, tail, head, tail, ...: no copies
    parts[0::2] = heads
    parts[1::2] = cast("list[str]", tails)
    return "".join(parts)


@paused_gc()
def write_results(result: Result, folder: str | Path, *, statements: bool = False) -> list[Path]:
    """Write ``lines.csv``, ``months.csv`` and ``result.json`` into ``folder``, atomically.

    ``lines.csv`` has the columns :func:`line_columns`; ``months.csv`` has
    :data:`MONTH_COLUMNS` (and ``capped``, for a plan with caps);
    ``result.json`` is :func:`result_document` without
    the lines. Text cells of the CSV files are escaped against formula
    injection (:mod:`jointbonus.io.cells`). Each file is complete or absent:
    the files are written into a staging folder and moved into ``folder``
    only when all of them are done (:func:`jointbonus.io.files.staged_folder`).
    With ``statements=True`` the transparency report (``transparency.md``) and
    a statement per member (``statements/NAME.md``, names from
    :func:`~jointbonus.sharedtarget.report.statements.statement_file_names`) are staged and
    moved with them. Returns the paths written.
    """
    out = Path(folder)
    currency = result.plan.currency
    writers: dict[str, Any] = {
        "lines.csv": lambda handle: _write_lines(result, handle),
        "months.csv": lambda handle: _write_months(result, currency, handle),
        "result.json": lambda handle: handle.write(
            render_json(result_document(result, lines=False))
        ),
    }
    files: Iterator[tuple[str, Any]] = iter(writers.items())
    if statements:
        files = itertools.chain(files, _markdown_writers(result))
    names = []
    with staged_folder(out) as stage:
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


def lines_csv(result: Result) -> str:
    """``lines.csv`` as text: the header, then one line per member and month.

    Text cells (member id, team, reason) are escaped against formula
    injection; number cells are written as plain numbers (see
    :mod:`jointbonus.io.cells`).
    """
    buffer = io.StringIO()
    _write_lines(result, buffer)
    return buffer.getvalue()


def months_csv(result: Result) -> str:
    """``months.csv`` as text: the header, then one line per plan month."""
    buffer = io.StringIO()
    _write_months(result, result.plan.currency, buffer)
    return buffer.getvalue()


def _held_cells(plan: Plan | None, currency: Currency, amount: int) -> tuple[str, ...]:
    if plan is None or not plan.holdback:
        return ()
    held = held_back(plan, amount)
    return str(currency.from_minor(held)), str(currency.from_minor(amount - held))


def _write_lines(result: Result, handle: io.TextIOBase) -> None:
    handle.write(",".join(line_columns(result.plan)) + "\n")
    for chunk in _line_rows(result):
        handle.write(chunk)


def _write_months(result: Result, currency: Currency, handle: io.TextIOBase) -> None:
    if result.plan.functional.caps.any:  # what the caps cut, after the month's paid
        columns: tuple[str, ...] = (*MONTH_COLUMNS, "capped")
        plan: Plan | None = result.plan
    else:
        columns, plan = MONTH_COLUMNS, None
    documents = (month_document(currency, m, plan) for m in result.months)
    rows = ([document[c] for c in columns] for document in documents)
    numbers = (*_MONTH_NUMBERS, "capped") if plan is not None else _MONTH_NUMBERS
    handle.write(csv_text(columns, rows, numbers))


#: The number columns of months.csv; the others are text (jointbonus.io.cells).
_MONTH_NUMBERS = ("target", "actual", "attainment", "payout_factor", "pool", "paid")
