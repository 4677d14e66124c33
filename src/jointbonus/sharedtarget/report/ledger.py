"""What a payment ledger holds, for people and programs: ``jointbonus ledger`` and ``close``.

:func:`render_ledger` shows the closed months: when each was closed, by
which run (its results digest), and what was paid with it -- the lines (less
any holdback), the corrections it carried, the claw-back -- as a table, as
JSON (with every recorded row and each member's overpayments), or as CSV
(one row per line, correction and claw-back recorded); and the settlements of
what was held back that closing a plan year's last month recorded, each
naming its plan year. :func:`closing_text` says what ``jointbonus close``
recorded. Everything comes from the ledger's
records; nothing is worked out again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from tabulate import tabulate

from jointbonus.core.money import Currency, currency
from jointbonus.io.cells import csv_text
from jointbonus.io.render import render_json
from jointbonus.sharedtarget.ledger.records import LedgerRecords, MonthClose, RecordedSettlement
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.corrections import CLAWBACK, CORRECTION, PAY, SETTLEMENT
from jointbonus.sharedtarget.results import ClosedMonth

__all__ = ["LEDGER_FORMATS", "closing_text", "ledger_rows", "render_ledger"]

#: The formats ``jointbonus ledger`` prints in.
LEDGER_FORMATS = ("table", "json", "csv")

_TEXTS = ("period", "kind", "corrects", "member_id", "team")


def _sums(records: LedgerRecords, month: ClosedMonth) -> tuple[int, int, int, int]:
    """Members recorded, what the lines paid, what the corrections paid, the claw-back."""
    lines = records.lines.get(month.month, {})
    paid_lines = sum(line.paid_now for line in lines.values())
    corrections = sum(c.paid for c in records.corrections if c.carried_in == month.month)
    clawback = sum(r.adjustment for r in records.recoveries if r.month == month.month)
    return len(lines), paid_lines, corrections, clawback


def _metrics(records: LedgerRecords) -> list[str]:
    """Every functional metric the ledger records, in the order first met."""
    found: dict[str, None] = {}
    for lines in records.lines.values():
        for line in lines.values():
            found.update(dict.fromkeys(metric for metric, _ in line.functional))
    for correction in records.corrections:
        found.update(dict.fromkeys(metric for metric, _ in correction.functional))
    return list(found)


def ledger_rows(records: LedgerRecords) -> tuple[tuple[str, ...], Iterator[list[object]]]:
    """The columns and rows of the ledger as CSV: every line, correction and claw-back.

    A line's ``amount`` is what was paid with its month (the total less any
    holdback); a correction's what it paid; a claw-back's what it added
    (below zero: deducted). A ledger that recorded settlements adds a
    ``plan_year`` column and, after each month's other rows, its settlements
    (``held`` what the year held back, ``amount`` what was paid: 0 when
    forfeited).
    """
    money = currency(records.currency, records.minor_unit)
    metrics = _metrics(records)
    years = bool(records.settlements)
    columns = (
        *_TEXTS,
        *(("plan_year",) if years else ()),
        "shared",
        *(f"functional_{m}" for m in metrics),
        "capped",
        "total",
        "held",
        "amount",
    )
    year_cell: list[object] = [None] if years else []

    def amount(units: int) -> str:
        return str(money.from_minor(units))

    def parts(functional: Sequence[tuple[str, int]]) -> list[object]:
        mine = dict(functional)
        return [amount(mine[m]) if m in mine else None for m in metrics]

    def rows() -> Iterator[list[object]]:
        for closed in records.closed:
            period = str(closed.month)
            for line in records.lines.get(closed.month, {}).values():
                yield [
                    period, PAY, None, line.member_id, line.team, *year_cell,
                    amount(line.shared), *parts(line.functional), amount(line.capped),
                    amount(line.total), amount(line.held), amount(line.paid_now),
                ]  # fmt: skip
            for c in records.corrections:
                if c.carried_in == closed.month:
                    yield [
                        period, CORRECTION, str(c.corrects), c.member_id, c.team, *year_cell,
                        amount(c.shared), *parts(c.functional), amount(c.capped),
                        amount(c.total), amount(c.held), amount(c.paid),
                    ]  # fmt: skip
            for r in records.recoveries:
                if r.month == closed.month and r.adjustment:
                    yield [
                        period, CLAWBACK, None, r.member_id, r.team, *year_cell, None,
                        *([None] * len(metrics)), None, None, None, amount(r.adjustment),
                    ]  # fmt: skip
            for s in records.settlements:
                if s.month == closed.month:
                    yield [
                        period, SETTLEMENT, None, s.member_id, s.team, s.plan_year, None,
                        *([None] * len(metrics)), None, None, amount(s.held), amount(s.paid),
                    ]  # fmt: skip

    return columns, rows()


def _settled(records: LedgerRecords) -> list[tuple[int, str, int, int, int]]:
    """Each plan year the ledger settled: ``(year, month, held, paid, forfeited)``."""
    months: dict[int, str] = {}
    sums: dict[int, list[int]] = {}  # per plan year: held, paid
    for s in records.settlements:
        months.setdefault(s.plan_year, str(s.month))
        found = sums.setdefault(s.plan_year, [0, 0])
        found[0] += s.held
        found[1] += s.paid
    return [(year, months[year], held, paid, held - paid) for year, (held, paid) in sums.items()]


def _left(records: LedgerRecords) -> dict[str, tuple[str, int]]:
    """Per member, what was left to recover after the last closed month: ``(team, amount)``."""
    left: dict[str, tuple[str, int]] = {}
    for recovery in records.recoveries:
        left[recovery.member_id] = (recovery.team, recovery.carried)
    return {member: found for member, found in sorted(left.items()) if found[1]}


def render_ledger(shown: str, records: LedgerRecords | None, format: str = "table") -> str:
    """What the ledger ``shown`` holds, in ``format`` (:data:`LEDGER_FORMATS`)."""
    if format == "csv":
        if records is None:
            return csv_text(("period", "kind", "corrects", "member_id", "team", "amount"), [])
        columns, rows = ledger_rows(records)
        numbers = [c for c in columns if c not in _TEXTS]
        return csv_text(columns, rows, numbers)
    if format == "json":
        return render_json(_document(shown, records))
    return _table(shown, records)


def _document(shown: str, records: LedgerRecords | None) -> dict[str, Any]:
    if records is None:
        return {"ledger": shown, "format": None, "currency": None, "months": [], "rows": []}
    money = currency(records.currency, records.minor_unit)

    def amount(units: int) -> str:
        return str(money.from_minor(units))

    months = []
    for closed in records.closed:
        members, lines, corrections, clawback = _sums(records, closed)
        months.append(
            {
                "period": str(closed.month),
                "closed_at": closed.closed_at,
                "jointbonus": closed.jointbonus,
                "results_digest": closed.results_digest,
                "plan_sha256": closed.plan_sha256,
                "inputs": [{"file": name, "sha256": sha256} for name, sha256 in closed.inputs],
                "members": members,
                "lines": amount(lines),
                "corrections": amount(corrections),
                "clawback": amount(clawback),
                "paid": amount(closed.paid),
            }
        )
    columns, rows = ledger_rows(records)
    return {
        "ledger": shown,
        "format": records.version,
        "currency": records.currency,
        "months": months,
        "to_recover": [
            {"member_id": member, "team": team, "amount": amount(units)}
            for member, (team, units) in _left(records).items()
        ],
        "recoveries": [
            {
                "period": str(r.month),
                "member_id": r.member_id,
                "team": r.team,
                "brought": amount(r.brought),
                "overpaid": amount(r.overpaid),
                "absorbed": amount(r.absorbed),
                "deducted": amount(r.deducted),
                "carried": amount(r.carried),
            }
            for r in records.recoveries
        ],
        "rows": [dict(zip(columns, row, strict=True)) for row in rows],
        **_settlements_document(records.settlements, amount),
    }


def _settlements_document(
    settlements: Sequence[RecordedSettlement], amount: Callable[[int], str]
) -> dict[str, Any]:
    """The recorded settlements, each with its plan year (nothing when none is recorded)."""
    if not settlements:
        return {}
    return {
        "settlements": [
            {
                "period": str(s.month),
                "plan_year": s.plan_year,
                "member_id": s.member_id,
                "team": s.team,
                "held": amount(s.held),
                "status": s.status,
                "paid": amount(s.paid),
            }
            for s in settlements
        ]
    }


def _table(shown: str, records: LedgerRecords | None) -> str:
    if records is None or not records.closed:
        return (
            f"Ledger {shown}: no month closed yet; `jointbonus close PLAN --month YYYY-MM` "
            "closes the plan's first month\n"
        )
    money = currency(records.currency, records.minor_unit)
    code = records.currency
    first, last = records.closed[0].month, records.closed[-1].month
    span = str(first) if first == last else f"{first} to {last}"
    count = len(records.closed)
    rows = []
    for closed in records.closed:
        members, lines, corrections, clawback = _sums(records, closed)
        rows.append(
            (
                str(closed.month),
                closed.closed_at,
                f"{members:,}",
                money.format(lines),
                money.format(corrections),
                money.format(clawback),
                money.format(closed.paid),
                closed.results_digest[:12],
            )
        )
    table = tabulate(
        rows,
        headers=[
            "Month", "Closed at", "Members", f"Lines ({code})", f"Corrections ({code})",
            f"Claw-back ({code})", f"Paid ({code})", "Results digest",
        ],
        colalign=("left", "left", *("right",) * 5, "left"),
        disable_numparse=True,
    )  # fmt: skip
    out = [
        f"Ledger {shown}: format {records.version}, amounts in {code}; "
        f"{count} {'month' if count == 1 else 'months'} closed ({span})",
        "",
        table,
        "",
        "Paid = the lines (less any holdback) + the corrections the month carried + the "
        "claw-back (below zero: overpayments deducted; above zero: overpayments carried to "
        "later payments).",
    ]
    for year, month, held, paid, forfeited in _settled(records):
        out.append(
            f"Plan year {year} settled with {month}: held back {money.format(held)} {code}, "
            f"paid {money.format(paid)}, forfeited {money.format(forfeited)}."
        )
    left = _left(records)
    if left:
        named = ", ".join(f"{m} {money.format(units)}" for m, (_, units) in left.items())
        total = money.format(sum(units for _, units in left.values()))
        out.append(f"Overpayments still to recover: {total} {code} ({named}).")
    return "\n".join(out) + "\n"


def closing_text(plan: Plan, shown: str, close: MonthClose) -> str:
    """What ``jointbonus close`` recorded, in a few lines."""
    money: Currency = plan.currency
    code = money.code
    closed = close.closed
    lines = sum(line.paid_now for line in close.lines)
    corrections = sum(c.paid for c in close.corrections)
    clawback = sum(r.adjustment for r in close.recoveries)
    months = [pm.month for pm in plan.months]
    at = months.index(closed.month)
    following = (
        f"next to close: {months[at + 1]}"
        if at + 1 < len(months)
        else "every month of the plan is closed"
    )
    corrected = sorted({str(c.corrects) for c in close.corrections})
    carried = (
        f"; it carried {len(close.corrections)} corrections of {', '.join(corrected)}"
        if corrected
        else ""
    )
    settled = ""
    if close.settlements:
        year = close.settlements[0].plan_year
        held = sum(s.held for s in close.settlements)
        paid = sum(s.paid for s in close.settlements)
        settled = (
            f"; it settled plan year {year}'s holdback: {money.format(paid)} {code} paid, "
            f"{money.format(held - paid)} forfeited"
        )
    return (
        f"closed {closed.month} in {shown}: {money.format(closed.paid)} {code} paid, "
        f"{len(close.lines):,} members' lines recorded (lines {money.format(lines)}, "
        f"corrections {money.format(corrections)}, claw-back {money.format(clawback)})"
        f"{carried}{settled}\n"
        f"results digest {closed.results_digest} (the manifest.json of `jointbonus run "
        f"PLAN --out DIR` for this run has it); {following}\n"
    )
