"""Gainsharing reports: tables for people, JSON for programs, CSV files for payroll.

As in :mod:`jointbonus.report`: every amount leaves as a decimal string in the
plan currency with exactly its minor unit (``"1234.50"``), every ratio (base
ratio, shares, weights) as a decimal string with six decimals, rounded half
away from zero from its exact value, and the base ratio also as an exact
fraction. Output is deterministic. Files are written under temporary names
and renamed into place only when all of them are complete.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

from tabulate import tabulate

from jointbonus.cells import csv_text
from jointbonus.gainsharing.plan import Distribution, Formula, GainsharingPlan, PeriodLength
from jointbonus.gainsharing.results import (
    GainsharingResult,
    MemberLine,
    PeriodResult,
    PeriodStatus,
    SettlementLine,
    SettlementStatus,
)
from jointbonus.money import Currency
from jointbonus.number import decimal_text, percent_text
from jointbonus.report import render_json

__all__ = [
    "LINE_COLUMNS",
    "PERIOD_COLUMNS",
    "SETTLEMENT_COLUMNS",
    "plan_document",
    "render_json",
    "render_table",
    "result_document",
    "write_results",
]

RATIO_PLACES = 6

PERIOD_COLUMNS = (
    "period", "first_month", "last_month", "status", "revenue", "purchases", "basis", "cost",
    "allowed_cost", "gain", "employee_share", "company_share", "to_reserve", "from_reserve",
    "paid", "reserve", "eligible", "note",
)  # fmt: skip
LINE_COLUMNS = (
    "member_id", "team", "period", "days", "weight", "share", "amount", "status", "reason",
)  # fmt: skip
SETTLEMENT_COLUMNS = (
    "member_id", "team", "eligible", "days", "weight", "share", "amount", "reason",
)  # fmt: skip

_DISTRIBUTION_WORDS = {
    Distribution.EQUAL: "equally per eligible member (per head)",
    Distribution.WEIGHT: "by weight (FTE x days active)",
    Distribution.PAY: "by pay (FTE x days active x annual salary)",
}


def _ratio(value: Fraction) -> str:
    return decimal_text(value, RATIO_PLACES)


def _money(currency: Currency, units: int | None) -> str | None:
    return None if units is None else str(currency.from_minor(units))


# -- documents ---------------------------------------------------------------


def plan_document(plan: GainsharingPlan) -> dict[str, Any]:
    """What the plan is, in words and numbers."""
    currency = plan.currency
    base = plan.base
    return {
        "kind": "gainsharing",
        "name": plan.name,
        "currency": currency.code,
        "formula": plan.formula.value,
        "basis": plan.formula.basis,
        "period": plan.period_length.value,
        "first_month": str(plan.first_month),
        "last_month": str(plan.last_month),
        "periods": len(plan.periods),
        "members": len(plan.members),
        "base": {
            "first_month": str(base.first),
            "last_month": str(base.last),
            "months": base.months,
            "revenue": _money(currency, base.revenue),
            "purchases": _money(currency, base.purchases),
            "basis": _money(currency, base.basis),
            "cost": _money(currency, base.cost),
            "ratio": _ratio(base.ratio),
            "ratio_exact": f"{base.ratio.numerator}/{base.ratio.denominator}",
        },
        "employee_share": _ratio(plan.employee_share),
        "reserve_share": _ratio(plan.reserve_share),
        "distribution": plan.distribution.value,
        "pay_leavers_for_exit_period": plan.pay_leavers_for_exit_period,
        "year_end": plan.year_end.isoformat(),
    }


def _period_document(currency: Currency, r: PeriodResult) -> dict[str, Any]:
    return {
        "period": r.period.label,
        "first_month": str(r.period.months[0]),
        "last_month": str(r.period.months[-1]),
        "status": r.status.value,
        "revenue": _money(currency, r.revenue),
        "purchases": _money(currency, r.purchases),
        "basis": _money(currency, r.basis),
        "cost": _money(currency, r.cost),
        "allowed_cost": _money(currency, r.allowed_cost),
        "gain": _money(currency, r.gain),
        "employee_share": _money(currency, r.employee_share),
        "company_share": _money(currency, r.company_share),
        "to_reserve": _money(currency, r.to_reserve),
        "from_reserve": _money(currency, r.from_reserve),
        "paid": _money(currency, r.paid),
        "reserve": _money(currency, r.reserve),
        "eligible": r.eligible,
        "note": r.note,
    }


def _summary_document(result: GainsharingResult) -> dict[str, Any]:
    currency = result.plan.currency
    s = result.summary
    amounts = {
        "gains": s.gains,
        "deficits": s.deficits,
        "net_gain": s.net_gain,
        "employee_gains": s.employee_gains,
        "employee_deficits": s.employee_deficits,
        "company_share": s.company_share,
        "to_reserve": s.to_reserve,
        "from_reserve": s.from_reserve,
        "paid_in_periods": s.paid_in_periods,
        "reserve": s.reserve,
        "settlement_paid": s.settlement_paid,
        "absorbed_by_company": s.absorbed,
        "returned_to_company": s.returned,
        "paid_total": s.paid_total,
    }
    return {
        "periods_paid": s.periods_paid,
        "periods_pending": s.periods_pending,
        "gain_periods": s.gain_periods,
        "deficit_periods": s.deficit_periods,
        **{key: _money(currency, value) for key, value in amounts.items()},
    }


def _settlement_document(result: GainsharingResult) -> dict[str, Any]:
    currency = result.plan.currency
    s = result.settlement
    return {
        "status": s.status.value,
        "date": result.plan.year_end.isoformat(),
        "reserve": _money(currency, s.reserve),
        "paid": _money(currency, s.paid),
        "absorbed_by_company": _money(currency, s.absorbed),
        "returned_to_company": _money(currency, s.returned),
        "eligible": s.eligible,
        "note": s.note,
    }


def _line_document(line: MemberLine) -> dict[str, Any]:
    return {
        "member_id": line.member_id,
        "team": line.team,
        "period": line.period.label,
        "days": line.days,
        "weight": _ratio(line.weight),
        "share": _ratio(line.share),
        "amount": str(line.amount),
        "status": line.status.value,
        "reason": line.reason,
    }


def _settlement_line_document(line: SettlementLine) -> dict[str, Any]:
    return {
        "member_id": line.member_id,
        "team": line.team,
        "eligible": line.eligible,
        "days": line.days,
        "weight": _ratio(line.weight),
        "share": _ratio(line.share),
        "amount": str(line.amount),
        "reason": line.reason,
    }


def result_document(result: GainsharingResult, *, lines: bool = True) -> dict[str, Any]:
    """The whole result as JSON-ready data.

    ``plan``, ``summary``, ``periods``, ``settlement`` and, unless ``lines`` is
    false, ``lines`` (member and period) and ``settlement_lines`` (member).
    """
    currency = result.plan.currency
    document: dict[str, Any] = {
        "plan": plan_document(result.plan),
        "summary": _summary_document(result),
        "periods": [_period_document(currency, r) for r in result.periods],
        "settlement": _settlement_document(result),
    }
    if lines:
        document["lines"] = [_line_document(line) for line in result.lines()]
        document["settlement_lines"] = [
            _settlement_line_document(line) for line in result.settlement_lines()
        ]
    return document


# -- tables ------------------------------------------------------------------


def _amount(currency: Currency, units: int | None) -> str:
    return "" if units is None else currency.format(units)


def _key_values(rows: Iterable[tuple[str, str]]) -> str:
    return tabulate(list(rows), tablefmt="plain", disable_numparse=True, colalign=("left", "right"))


def _describe(plan: GainsharingPlan) -> list[str]:
    currency = plan.currency
    base = plan.base
    basis = plan.formula.basis
    periods = "monthly" if plan.period_length is PeriodLength.MONTH else "quarterly"
    leavers = "paid for the days worked" if plan.pay_leavers_for_exit_period else "not paid"
    computed = f"{currency.format(base.cost)} / {currency.format(base.basis)}"
    if plan.formula is Formula.RUCKER:
        computed = (
            f"{currency.format(base.cost)} / ({currency.format(base.revenue)} - "
            f"{currency.format(base.purchases or 0)})"
        )
    return [
        plan.name,
        f"Gainsharing, {plan.formula.value.capitalize()} formula, {periods} periods "
        f"{plan.first_month} to {plan.last_month}, {currency.code}",
        f"Base ratio: labour cost / {basis} over {base.first} to {base.last} "
        f"({base.months} months) = {computed} = {percent_text(base.ratio, 4)} "
        f"(exact {base.ratio})",
        f"Allowed cost = base ratio x {basis}; gain = allowed cost - labour cost",
        f"Employees' share of each gain and deficit: {percent_text(plan.employee_share)}; "
        f"held in the reserve: {percent_text(plan.reserve_share)} of the employee share of "
        "each gain",
        f"Distribution: {_DISTRIBUTION_WORDS[plan.distribution]}",
        f"Leavers in their exit period: {leavers}",
        f"Year end ({plan.year_end.isoformat()}): a positive reserve is paid to the members "
        "still in the plan; a negative reserve is absorbed by the company, nothing is "
        "clawed back",
    ]


def _summary_table(result: GainsharingResult) -> str:
    currency = result.plan.currency
    c = currency.code
    s = result.summary
    return _key_values(
        [
            (
                "Periods with figures / pending",
                f"{s.periods_paid} / {s.periods_pending}",
            ),
            ("Periods with a gain / a deficit", f"{s.gain_periods} / {s.deficit_periods}"),
            (f"Gains ({c})", currency.format(s.gains)),
            (f"Deficits ({c})", currency.format(s.deficits)),
            (f"Net gain ({c})", currency.format(s.net_gain)),
            (f"Employee share of gains ({c})", currency.format(s.employee_gains)),
            (f"Employee share of deficits ({c})", currency.format(s.employee_deficits)),
            (f"Company share of the net gain ({c})", currency.format(s.company_share)),
            (f"Held in the reserve ({c})", currency.format(s.to_reserve)),
            (f"Charged to the reserve ({c})", currency.format(s.from_reserve)),
            (f"Paid in the periods ({c})", currency.format(s.paid_in_periods)),
            (
                f"Reserve {'at year end' if s.periods_pending == 0 else 'so far'} ({c})",
                currency.format(s.reserve),
            ),
            (f"Settlement paid ({c})", currency.format(s.settlement_paid)),
            (f"Absorbed by the company ({c})", currency.format(s.absorbed)),
            (f"Returned to the company ({c})", currency.format(s.returned)),
            (f"Paid to employees in all ({c})", currency.format(s.paid_total)),
        ]
    )


def _periods_table(result: GainsharingResult) -> str:
    currency = result.plan.currency
    rucker = result.plan.formula is Formula.RUCKER
    headers = ["Period", "Revenue"]
    if rucker:
        headers += ["Purchases", "Value added"]
    headers += [
        "Labour cost",
        "Allowed cost",
        "Gain",
        "Employee share",
        "To reserve",
        "From reserve",
        "Paid",
        "Reserve",
        "Eligible",
        "Note",
    ]
    rows = []
    for r in result.periods:
        row = [r.period.label, _amount(currency, r.revenue)]
        if rucker:
            row += [_amount(currency, r.purchases), _amount(currency, r.basis)]
        done = r.status is PeriodStatus.PAID
        row += [
            _amount(currency, r.cost),
            _amount(currency, r.allowed_cost),
            _amount(currency, r.gain) if done else "",
            _amount(currency, r.employee_share) if done else "",
            _amount(currency, r.to_reserve) if done else "",
            _amount(currency, r.from_reserve) if done else "",
            _amount(currency, r.paid) if done else "",
            _amount(currency, r.reserve),
            str(r.eligible) if done else "",
            r.note,
        ]
        rows.append(row)
    return tabulate(
        rows,
        headers=headers,
        colalign=("left", *("right",) * (len(headers) - 2), "left"),
        disable_numparse=True,
    )


def _settlement_table(result: GainsharingResult) -> str:
    currency = result.plan.currency
    c = currency.code
    s = result.settlement
    pending = s.status is SettlementStatus.PENDING
    return (
        _key_values(
            [
                ("Status", s.status.value),
                (
                    f"Reserve {'so far' if pending else 'at year end'} ({c})",
                    currency.format(s.reserve),
                ),
                (f"Paid out ({c})", currency.format(s.paid)),
                (f"Absorbed by the company ({c})", currency.format(s.absorbed)),
                (f"Returned to the company ({c})", currency.format(s.returned)),
                ("Members eligible at year end", str(s.eligible)),
            ]
        )
        + f"\n{s.note}"
    )


def render_table(result: GainsharingResult) -> str:
    """The whole result for people: the plan, summary, periods, settlement and statements."""
    plan = result.plan
    currency = plan.currency
    parts = [
        *_describe(plan),
        "",
        "Plan summary",
        _summary_table(result),
        "",
        "Periods",
        _periods_table(result),
        "",
        "Year-end settlement",
        _settlement_table(result),
        "",
        "Statements",
    ]
    by_member: dict[str, list[MemberLine]] = {}
    for line in result.lines():
        by_member.setdefault(line.member_id, []).append(line)
    settlement = {line.member_id: line for line in result.settlement_lines()}
    for member in plan.members:
        lines = by_member.get(member.id, [])
        year = settlement[member.id]
        in_periods = sum(currency.to_minor(line.amount) for line in lines)
        at_year_end = currency.to_minor(year.amount)
        parts.append("")
        parts.append(
            f"{member.id} ({member.team}), FTE {member.fte}: periods "
            f"{currency.format(in_periods)} + settlement {currency.format(at_year_end)} = "
            f"{currency.format(in_periods + at_year_end)} {currency.code}"
        )
        rows = [
            (
                line.period.label,
                str(line.days),
                decimal_text(line.weight, 4),
                percent_text(line.share, 2),
                currency.format(currency.to_minor(line.amount)),
                line.reason,
            )
            for line in lines
        ]
        rows.append(
            (
                "Year-end settlement",
                str(year.days),
                decimal_text(year.weight, 4),
                percent_text(year.share, 2),
                currency.format(at_year_end),
                year.reason,
            )
        )
        parts.append(
            tabulate(
                rows,
                headers=["Period", "Days", "Weight", "Share", "Amount", "Note"],
                colalign=("left", "right", "right", "right", "right", "left"),
                disable_numparse=True,
            )
        )
    return "\n".join(parts) + "\n"


# -- files -------------------------------------------------------------------


#: Columns of the CSV files that hold text; the others hold numbers the library
#: writes. Text cells are escaped against formula injection (jointbonus.cells).
_TEXT_COLUMNS = frozenset(
    {"member_id", "team", "period", "first_month", "last_month", "status", "reason", "note"}
)


def _csv_rows(columns: tuple[str, ...], documents: Iterable[dict[str, Any]]) -> str:
    numbers = [c for c in columns if c not in _TEXT_COLUMNS]
    return csv_text(columns, ([document[c] for c in columns] for document in documents), numbers)


def write_results(result: GainsharingResult, folder: str | Path) -> list[Path]:
    """Write ``periods.csv``, ``lines.csv``, ``settlement.csv`` and ``result.json`` into ``folder``.

    The folder is created if needed. Each file is written under a temporary
    name and renamed into place only when all four are complete; a failure
    leaves none of them half-written. Returns the paths written.
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    currency = result.plan.currency
    contents: dict[str, Callable[[], str]] = {
        "periods.csv": lambda: _csv_rows(
            PERIOD_COLUMNS, (_period_document(currency, r) for r in result.periods)
        ),
        "lines.csv": lambda: _csv_rows(
            LINE_COLUMNS, (_line_document(line) for line in result.lines())
        ),
        "settlement.csv": lambda: _csv_rows(
            SETTLEMENT_COLUMNS,
            (_settlement_line_document(line) for line in result.settlement_lines()),
        ),
        "result.json": lambda: render_json(result_document(result, lines=False)),
    }
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in contents.items():
            descriptor, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=out)
            staged.append((name, Path(temporary)))
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                handle.write(content())
        written = []
        for name, path in staged:
            os.replace(path, out / name)
            written.append(out / name)
        return written
    except BaseException:
        for _, path in staged:
            path.unlink(missing_ok=True)
        raise
