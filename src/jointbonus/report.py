"""Reports: tables for people, JSON for programs, CSV files for payroll.

Every amount leaves as a decimal string in the plan currency (``"1234.50"``),
every ratio (attainment, payout factor, weight) as a decimal string with six
decimals, rounded half away from zero from its exact value. Output is
deterministic: the same plan gives byte-identical text, whatever the hash
seed or the ambient decimal context.

Writers never leave a half-written file behind: each file is written to a
temporary name in the output folder, and only when every file is complete
are they renamed into place.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import json
import operator
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any, cast

from tabulate import tabulate

from jointbonus._gc import paused_gc
from jointbonus.calibration import Calibration
from jointbonus.cells import csv_text, escape_formula
from jointbonus.curves import Curve
from jointbonus.frame import Cohort, held_back
from jointbonus.money import Currency
from jointbonus.number import decimal_text, percent_text, round_half_up
from jointbonus.plan import FundingStyle, Plan
from jointbonus.results import Line, LineStatus, MonthResult, MonthStatus, Result, Settlement
from jointbonus.roster import FTE_SCALE
from jointbonus.statements import STATEMENTS_FOLDER, statement_files

__all__ = [
    "LINE_COLUMNS",
    "MONTH_COLUMNS",
    "calibration_document",
    "line_columns",
    "lines_csv",
    "months_csv",
    "render_calibration_table",
    "render_json",
    "render_table",
    "result_document",
    "settlement_document",
    "write_results",
]

RATIO_PLACES = 6

LINE_COLUMNS = (
    "member_id", "team", "period", "days", "weight", "attainment", "payout_factor",
    "shared", "total", "status", "reason",
)  # fmt: skip
MONTH_COLUMNS = (
    "period", "target", "target_source", "actual", "attainment", "payout_factor", "hit",
    "status", "pool", "paid",
)  # fmt: skip


def _ratio(value: Fraction | None) -> str | None:
    return None if value is None else decimal_text(value, RATIO_PLACES)


def _minor_text(currency: Currency, value: Fraction, extra: int = 0) -> str:
    """An amount in minor units (possibly fractional) as major-unit text."""
    return decimal_text(value / currency.scale, currency.minor_unit + extra)


# -- documents ---------------------------------------------------------------


def plan_document(plan: Plan) -> dict[str, Any]:
    """What the plan is, in words and numbers."""
    return {
        "name": plan.name,
        "currency": plan.currency.code,
        "metric": plan.metric,
        "first_month": str(plan.months[0].month) if plan.months else None,
        "last_month": str(plan.months[-1].month) if plan.months else None,
        "months": len(plan.months),
        "members": len(plan.members),
        "funding": plan.funding.value,
        "split": plan.split.value if plan.funding is FundingStyle.POOL else None,
        "curve": plan.curve.describe(),
        "neutrality": plan.neutrality.value,
        "norm": {
            "method": plan.norm.method.value,
            "description": plan.norm.describe(),
            "sample_months": len(plan.norm.sample),
            "first_sample_month": str(plan.norm.sample_months[0]),
            "last_sample_month": str(plan.norm.sample_months[-1]),
            "mean_attainment": _ratio(plan.norm.mean_attainment),
            "uplift": _ratio(plan.uplift),
        },
        "budget": str(plan.currency.from_minor(plan.budget.amount)),
        "budget_source": plan.budget.source,
        "pay_leavers_for_exit_month": plan.pay_leavers_for_exit_month,
        "holdback": _ratio(plan.holdback),
    }


def calibration_document(plan: Plan, calibration: Calibration) -> dict[str, Any]:
    """The calibration: the scale, how it was found, and the neutrality evidence."""
    currency = plan.currency
    scale_places = currency.minor_unit + 6 if plan.funding is FundingStyle.POOL else 12
    return {
        "neutrality": calibration.neutrality.value,
        "calibrated": calibration.calibrated,
        "scale_name": plan.scale_name,
        "scale": decimal_text(calibration.scale, scale_places),
        "scale_exact": f"{calibration.scale.numerator}/{calibration.scale.denominator}",
        "budget": str(currency.from_minor(calibration.budget)),
        "unit_cost": decimal_text(calibration.unit_cost, currency.minor_unit + 6),
        "expected_cost": _minor_text(currency, calibration.expected_cost),
        "norm_path_cost": str(currency.from_minor(calibration.norm_path_cost)),
        "residual": _minor_text(currency, calibration.residual, 4),
        "rounding_bound": _minor_text(currency, calibration.rounding_bound, 4),
        "within_bound": calibration.within_bound,
        "scenarios": calibration.scenarios,
        "months": [
            {
                "period": str(m.month),
                "norm_attainment": _ratio(m.norm_attainment),
                "hit_rate": _ratio(m.hit_rate),
                "mean_payout_factor": _ratio(m.mean_factor),
                "expected_cost": _minor_text(currency, m.expected_cost),
                "norm_path_cost": str(currency.from_minor(m.norm_path_cost)),
            }
            for m in calibration.months
        ],
    }


def month_document(currency: Currency, m: MonthResult) -> dict[str, Any]:
    return {
        "period": str(m.month),
        "target": decimal_text(m.plan_month.target, currency.minor_unit),
        "target_source": m.plan_month.target_source,
        "actual": None if m.plan_month.actual is None else str(m.plan_month.actual),
        "attainment": _ratio(m.attainment),
        "payout_factor": _ratio(m.factor),
        "hit": m.hit,
        "status": m.status.value,
        "pool": None if m.pool is None else str(currency.from_minor(m.pool)),
        "paid": str(currency.from_minor(m.paid)),
    }


def summary_document(result: Result) -> dict[str, Any]:
    currency = result.plan.currency
    s = result.summary
    return {
        "budget": str(currency.from_minor(s.budget)),
        "expected_cost": _minor_text(currency, s.expected_cost),
        "paid_to_date": str(currency.from_minor(s.paid_to_date)),
        "expected_to_date": _minor_text(currency, s.expected_to_date),
        "variance_to_date": _minor_text(currency, s.variance_to_date),
        "cost_on_current_pace": str(currency.from_minor(s.cost_on_pace)),
        "pace_variance": str(currency.from_minor(s.pace_variance)),
        "months_paid": s.months_paid,
        "months_pending": s.months_pending,
        "months_hit": s.months_hit,
        **(
            {
                "held_to_date": str(currency.from_minor(s.held_to_date)),
                "forfeited_to_date": str(currency.from_minor(s.forfeited_to_date)),
            }
            if result.plan.holdback
            else {}
        ),
    }


def line_document(line: Line, *, holdback: bool = False) -> dict[str, Any]:
    """A line as JSON-ready data; ``holdback`` adds ``held`` and ``paid_now``."""
    document = {
        "member_id": line.member_id,
        "team": line.team,
        "period": str(line.period),
        "days": line.days,
        "weight": _ratio(line.weight),
        "attainment": _ratio(line.attainment),
        "payout_factor": _ratio(line.payout_factor),
        "shared": str(line.shared),
        "total": str(line.total),
        "status": line.status.value,
        "reason": line.reason,
    }
    if holdback:
        document["held"] = str(line.held)
        document["paid_now"] = str(line.total if line.paid_now is None else line.paid_now)
    return document


def settlement_document(settlement: Settlement) -> dict[str, Any]:
    return {
        "member_id": settlement.member_id,
        "team": settlement.team,
        "held": str(settlement.held),
        "status": settlement.status.value,
        "paid": str(settlement.paid),
        "reason": settlement.reason,
    }


def result_document(result: Result, *, lines: bool = True) -> dict[str, Any]:
    """The whole result as JSON-ready data: plan, calibration, summary, months, lines."""
    document = {
        "plan": plan_document(result.plan),
        "calibration": calibration_document(result.plan, result.calibration),
        "summary": summary_document(result),
        "months": [month_document(result.plan.currency, m) for m in result.months],
    }
    holdback = bool(result.plan.holdback)
    if lines:
        document["lines"] = [line_document(line, holdback=holdback) for line in result.lines()]
    if holdback:
        document["settlements"] = [settlement_document(s) for s in result.settlements()]
    return document


def render_json(document: dict[str, Any]) -> str:
    """A document as JSON text: two-space indent, keys in their set order, newline at end."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- tables ------------------------------------------------------------------


def _amount(currency: Currency, units: int | Fraction | None) -> str:
    """Minor units (an average may be fractional) as ``12,345.67``, rounded half up."""
    if units is None:
        return ""
    return currency.format(units if isinstance(units, int) else round_half_up(units))


def _pct(value: Fraction | None) -> str:
    return "" if value is None else percent_text(value)


def _factor(value: Fraction | None) -> str:
    return "" if value is None else decimal_text(value, 4)


def render_calibration_table(plan: Plan, calibration: Calibration) -> str:
    """The calibration for people: the scale, the budget, and the evidence."""
    currency = plan.currency
    c = currency.code
    scale_label = (
        f"Pool at target per month ({c})"
        if plan.funding is FundingStyle.POOL
        else "Target bonus multiplier"
    )
    scale_text = (
        currency.format(currency.round_to_minor(calibration.scale))
        if plan.funding is FundingStyle.POOL
        else decimal_text(calibration.scale, 6)
    )
    how = "solved for neutrality" if calibration.calibrated else "fixed by the plan"
    rows = [
        ("Plan", plan.name),
        ("Curve", plan.curve.describe()),
        ("Norm", plan.norm.describe()),
        ("Neutrality", plan.neutrality.value.replace("_", " ")),
        (f"Budget ({c})", f"{currency.format(calibration.budget)}  ({plan.budget.source})"),
        (scale_label, f"{scale_text}  ({how}; exact {calibration.scale})"),
        (f"Expected cost ({c})", _amount(currency, calibration.expected_cost)),
        (f"Cost on the norm path ({c})", currency.format(calibration.norm_path_cost)),
        (
            f"Residual after rounding ({c})",
            f"{_minor_text(currency, calibration.residual, 4)} "
            f"(bound {_minor_text(currency, calibration.rounding_bound, 4)}, "
            f"{'within' if calibration.within_bound else 'OUTSIDE'})",
        ),
        ("Historical scenarios", str(calibration.scenarios)),
    ]
    months = tabulate(
        [
            (
                str(m.month),
                _pct(m.norm_attainment),
                _pct(m.hit_rate),
                _factor(m.mean_factor),
                _amount(currency, m.expected_cost),
            )
            for m in calibration.months
        ],
        headers=["Month", "Attainment at norm", "Chance of paying", "Mean factor", "Expected cost"],
        colalign=("left", "right", "right", "right", "right"),
        disable_numparse=True,
    )
    header = tabulate(rows, tablefmt="plain", disable_numparse=True)
    return f"{header}\n\n{months}\n"


def _settlement_table(result: Result) -> str:
    """The year-end settlement of held-back amounts, member by member."""
    currency = result.plan.currency
    rows = [
        (
            s.member_id,
            s.team,
            currency.format(currency.to_minor(s.held)),
            s.status.value,
            currency.format(currency.to_minor(s.paid)),
            s.reason,
        )
        for s in result.settlements()
    ]
    table = tabulate(
        rows,
        headers=["Member", "Team", "Held back", "Settlement", "Paid", "Note"],
        colalign=("left", "left", "right", "left", "right", "left"),
        disable_numparse=True,
    )
    share = percent_text(result.plan.holdback)
    return (
        f"Year-end settlement of held-back amounts ({share} of every line is held until the "
        "plan year ends and paid then to those still in the plan)\n" + table
    )


def render_table(result: Result) -> str:
    """The whole result for people: summary, months and every member's statement."""
    plan = result.plan
    currency = plan.currency
    c = currency.code
    s = result.summary
    summary = tabulate(
        [
            (f"Budget ({c})", currency.format(s.budget)),
            (f"Expected cost ({c})", _amount(currency, s.expected_cost)),
            (f"Paid to date ({c})", currency.format(s.paid_to_date)),
            (f"Expected to date at the norm ({c})", _amount(currency, s.expected_to_date)),
            (f"Variance against the norm ({c})", _amount(currency, s.variance_to_date)),
            (f"Cost on current pace ({c})", currency.format(s.cost_on_pace)),
            (f"Pace against budget ({c})", currency.format(s.pace_variance)),
            (
                "Months hit / paid / pending",
                f"{s.months_hit} / {s.months_paid} / {s.months_pending}",
            ),
            *(
                (
                    (f"Held back to date ({c})", currency.format(s.held_to_date)),
                    (f"Of which forfeited by leavers ({c})", currency.format(s.forfeited_to_date)),
                )
                if plan.holdback
                else ()
            ),
        ],
        tablefmt="plain",
        disable_numparse=True,
        colalign=("left", "right"),
    )
    months = tabulate(
        [
            (
                str(m.month),
                currency.format(currency.round_to_minor(m.plan_month.target)),
                ""
                if m.plan_month.actual is None
                else currency.format(currency.round_to_minor(Fraction(m.plan_month.actual))),
                _pct(m.attainment),
                _factor(m.factor),
                {True: "hit", False: "miss", None: "pending"}[m.hit],
                _amount(currency, m.pool),
                currency.format(m.paid),
            )
            for m in result.months
        ],
        headers=["Month", "Target", "Actual", "Attainment", "Factor", "Result", "Pool", "Paid"],
        colalign=("left", "right", "right", "right", "right", "left", "right", "right"),
        disable_numparse=True,
    )
    leaver_rule = "paid for the days worked" if plan.pay_leavers_for_exit_month else "not paid"
    parts = [
        f"{plan.name}",
        f"{plan.metric} target, {plan.curve.describe()}",
        f"Leavers in their exit month: {leaver_rule}",
        "",
        render_calibration_table(plan, result.calibration).rstrip("\n"),
        "",
        "Plan summary",
        summary,
        "",
        "Months",
        months,
        "",
        "Statements",
    ]
    holdback = bool(plan.holdback)
    by_member: dict[str, list[Line]] = {}
    for line in result.lines():
        by_member.setdefault(line.member_id, []).append(line)
    for member in plan.members:
        lines = by_member.get(member.id, [])
        total = sum(currency.to_minor(line.total) for line in lines)
        parts.append("")
        parts.append(
            f"{member.id} ({member.team}), FTE {member.fte}: total {currency.format(total)} {c}"
        )
        parts.append(
            tabulate(
                [
                    (
                        str(line.period),
                        line.days,
                        decimal_text(line.weight, 4),
                        _pct(line.attainment),
                        _factor(line.payout_factor),
                        currency.format(currency.to_minor(line.shared)),
                        currency.format(currency.to_minor(line.total)),
                        *(
                            (
                                currency.format(currency.to_minor(line.held)),
                                currency.format(currency.to_minor(line.paid_now or line.total)),
                            )
                            if holdback
                            else ()
                        ),
                        line.reason,
                    )
                    for line in lines
                ],
                headers=[
                    "Month",
                    "Days",
                    "Weight",
                    "Attainment",
                    "Factor",
                    "Shared",
                    "Total",
                    *(("Held", "Paid now") if holdback else ()),
                    "Note",
                ],
                colalign=(
                    "left",
                    *("right",) * (8 if holdback else 6),
                    "left",
                ),
                disable_numparse=True,
            )
        )
    if holdback:
        parts.extend(["", _settlement_table(result)])
    return "\n".join(parts) + "\n"


# -- files -------------------------------------------------------------------


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
    # Ids and teams come from the roster: text cells, escaped (jointbonus.cells).
    heads = [
        f"{member_id},{team},"
        if member_id and team and _NEEDS_QUOTES.search(member_id + team) is None
        else _csv_text((member_id, team))[:-1] + ","
        for member_id, team in (
            (escape_formula(m.id), escape_formula(m.team)) for m in plan.members
        )
    ]
    cohorts: list[tuple[int, ...]] = []
    pick: Callable[[list[str]], tuple[str, ...]] | None = None
    for month_result in result.months:
        positions = [cohort.positions for cohort in month_result.frame.cohorts]
        if len(positions) != len(cohorts) or any(
            a is not b for a, b in zip(positions, cohorts, strict=True)
        ):  # months framed together share their cohorts' positions
            cohorts, pick = positions, _picker(positions, len(heads))
        yield _month_text(month_result, heads, currency, curve, pick, plan=plan)


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
    attainment = _ratio(month_result.attainment) or ""
    factor = _ratio(month_result.factor) or ""
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

    ``lines.csv`` has the columns :data:`LINE_COLUMNS`; ``months.csv`` has
    :data:`MONTH_COLUMNS`; ``result.json`` is :func:`result_document` without
    the lines. Text cells of the CSV files are escaped against formula
    injection (:mod:`jointbonus.cells`). Each file is complete or absent: files are written under
    temporary names and renamed into place only when all of them are done.
    With ``statements=True`` the transparency report (``transparency.md``) and
    a statement per member (``statements/NAME.md``, names from
    :func:`~jointbonus.statements.statement_file_names`) are staged and
    renamed with them. Returns the paths written.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    currency = result.plan.currency
    writers: dict[str, Any] = {
        "lines.csv": lambda handle: _write_lines(result, handle),
        "months.csv": lambda handle: _write_months(result, currency, handle),
        "result.json": lambda handle: handle.write(
            render_json(result_document(result, lines=False))
        ),
    }
    files: Iterator[tuple[str, Any]] = iter(writers.items())
    folder_made = statements and not (out / STATEMENTS_FOLDER).exists()
    if statements:
        (out / STATEMENTS_FOLDER).mkdir(exist_ok=True)
        files = itertools.chain(files, _markdown_writers(result))
    staged: list[tuple[str, Path]] = []
    try:
        for name, write in files:
            home = (out / name).parent
            descriptor, temporary_name = tempfile.mkstemp(prefix=f".{Path(name).name}.", dir=home)
            staged.append((name, Path(temporary_name)))
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                write(handle)
        written = []
        for name, staged_path in staged:
            target = out / name
            os.replace(staged_path, target)
            written.append(target)
        return written
    except BaseException:
        for _, staged_path in staged:
            staged_path.unlink(missing_ok=True)
        if folder_made and not any((out / STATEMENTS_FOLDER).iterdir()):
            (out / STATEMENTS_FOLDER).rmdir()
        raise


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
    :mod:`jointbonus.cells`).
    """
    buffer = io.StringIO()
    _write_lines(result, buffer)
    return buffer.getvalue()


def months_csv(result: Result) -> str:
    """``months.csv`` as text: the header, then one line per plan month."""
    buffer = io.StringIO()
    _write_months(result, result.plan.currency, buffer)
    return buffer.getvalue()


def line_columns(plan: Plan) -> tuple[str, ...]:
    """The columns of ``lines.csv``: :data:`LINE_COLUMNS`, with ``held`` and
    ``paid_now`` after ``total`` when the plan holds part of each line back."""
    if not plan.holdback:
        return LINE_COLUMNS
    at = LINE_COLUMNS.index("total") + 1
    return (*LINE_COLUMNS[:at], "held", "paid_now", *LINE_COLUMNS[at:])


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
    documents = (month_document(currency, m) for m in result.months)
    rows = ([document[c] for c in MONTH_COLUMNS] for document in documents)
    handle.write(csv_text(MONTH_COLUMNS, rows, _MONTH_NUMBERS))


#: The number columns of months.csv; the others are text (jointbonus.cells).
_MONTH_NUMBERS = ("target", "actual", "attainment", "payout_factor", "pool", "paid")
