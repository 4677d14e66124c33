"""Closing a month, and reading a plan's result against its ledger.

:func:`close_month` records one month as paid, in one transaction: the
month must be in the plan, not closed yet, the next one in plan order, and
have every actual. It records the month's lines, the corrections it carries
and the overpayments recovered with it, with the digests of the run that
paid it (:class:`~jointbonus.sharedtarget.ledger.records.RunDigests`). The
last month of a plan year (:func:`~jointbonus.core.periods.plan_years`; the
plan's last month ends its last, perhaps shorter, year) also records the
year's settlement of what was held back, member by member.
:func:`read_ledger` reads what a ledger holds; :func:`corrected` pays a plan
and reads the result against its ledger.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from jointbonus.core.periods import Month, MonthError, plan_years
from jointbonus.sharedtarget.ledger.corrections import apply_ledger
from jointbonus.sharedtarget.ledger.records import (
    LedgerError,
    LedgerRecords,
    LedgerSettings,
    MonthClose,
    RecordedLine,
    RecordedSettlement,
    RunDigests,
)
from jointbonus.sharedtarget.ledger.store import RacedError, read_records, session, utc_now
from jointbonus.sharedtarget.results import ClosedMonth, LineStatus, MonthStatus, Result

__all__ = ["close_month", "month_close", "plan_month", "read_ledger", "with_ledger"]


def read_ledger(ledger: LedgerSettings) -> LedgerRecords | None:
    """What the plan's ledger holds; ``None`` when it has no ledger file yet."""
    return read_records(ledger.path, ledger.shown)


def with_ledger(result: Result, ledger: LedgerSettings) -> Result:
    """``result`` read against the plan's ledger: its corrections and recoveries, if any."""
    return apply_ledger(result, read_ledger(ledger), ledger.overpayments)


def plan_month(result: Result, month: Month | str) -> int:
    """The place of ``month`` in the plan; a month the plan does not have is refused."""
    months = [pm.month for pm in result.plan.months]
    span = f"{months[0]} to {months[-1]}" if months else "none"
    try:
        wanted = month if isinstance(month, Month) else Month.parse(month)
    except MonthError:
        wanted = None
    if wanted not in months:
        shown = month if isinstance(month, str) else str(month)
        raise LedgerError(
            f"month: got {shown!r}, expected a month of the plan, written YYYY-MM ({span})"
        )
    return months.index(wanted)


def close_month(
    ledger: LedgerSettings,
    result: Result,
    month: Month | str,
    digests: Callable[[Result], RunDigests],
    *,
    closed_at: str | None = None,
) -> MonthClose:
    """Close ``month`` in the ledger: record what was paid for it, in one transaction.

    ``result`` is the plan paid on the current inputs (:func:`jointbonus.run`);
    it is read against the ledger inside the transaction, so the month is
    closed with the corrections it carries then. ``digests`` gives the
    digests of the run that pays the month, from that corrected result.
    Refused (:class:`~jointbonus.sharedtarget.ledger.records.LedgerError`,
    nothing written): a month not in the plan, one already closed, one whose
    earlier months are not all closed (months close in plan order), one
    without every actual. Two closes at once: the second waits for the first
    and then finds its month closed. ``closed_at`` is when (UTC; default now).
    """
    index = plan_month(result, month)
    try:
        return _close(ledger, result, index, digests, closed_at)
    except RacedError:  # another close made the ledger meanwhile: close against it
        return _close(ledger, result, index, digests, closed_at)


def _close(
    ledger: LedgerSettings,
    result: Result,
    index: int,
    digests: Callable[[Result], RunDigests],
    closed_at: str | None,
) -> MonthClose:
    plan = result.plan
    wanted = plan.months[index].month
    with session(
        ledger.path,
        currency=plan.currency.code,
        minor_unit=plan.currency.minor_unit,
        shown=ledger.shown,
    ) as writing:
        records = writing.records
        done = records.closing(wanted)
        if done is not None:
            raise LedgerError(
                f"{wanted} is already closed (on {done.closed_at}, by the run with results "
                f"digest {done.results_digest[:12]}...): a closed month never changes; when its "
                "inputs change, the next run carries the correction"
            )
        count = len(records.closed)
        if count < len(plan.months) and index != count:
            raise LedgerError(
                f"{wanted} cannot close before {plan.months[count].month}: months close in plan "
                f"order, and {plan.months[count].month} is the next to close"
            )
        corrected = apply_ledger(result, records, ledger.overpayments)
        month_result = corrected.months[index]
        if month_result.status is MonthStatus.PENDING:
            waiting = [f for f in month_result.lines.figures if f.status is LineStatus.PENDING]
            reason = waiting[0].reason if waiting else f"pending: no actual for {wanted} yet"
            raise LedgerError(
                f"{wanted} cannot close: {reason}; a month closes once every actual is in and "
                "it has been paid"
            )
        close = month_close(corrected, index, digests(corrected), closed_at or utc_now())
        writing.record(close)
    return close


def month_close(result: Result, index: int, digests: RunDigests, closed_at: str) -> MonthClose:
    """What closing the month at ``index`` records, from the result read against the ledger."""
    plan = result.plan
    month_result = result.months[index]
    month = month_result.month
    figures = month_result.lines.figures
    lines = tuple(
        RecordedLine(
            member.id,
            member.team,
            figures[at].shared,
            figures[at].functional,
            figures[at].capped,
            figures[at].total,
            figures[at].held,
        )
        for member, at in zip(plan.members, month_result.lines.of_member, strict=True)
    )
    corrections = tuple(
        replace(c, closed=True)
        for c in result.corrections
        if not c.closed and c.carried_in == month
    )
    recoveries = tuple(
        replace(r, closed=True) for r in result.recoveries if not r.closed and r.month == month
    )
    paid = (
        sum(line.paid_now for line in lines)
        + sum(c.paid for c in corrections)
        + sum(r.adjustment for r in recoveries)
    )
    closed = ClosedMonth(
        month,
        closed_at,
        digests.jointbonus,
        digests.results_digest,
        digests.plan_sha256,
        digests.inputs,
        paid,
    )
    return MonthClose(closed, lines, corrections, recoveries, _settlements(result, index))


def _settlements(result: Result, index: int) -> tuple[RecordedSettlement, ...]:
    """The settlements closing the month at ``index`` records: the plan year's, if the month
    ends one (plans with a holdback); else none."""
    years = plan_years(len(result.plan.months))
    number = next(n for n, year in enumerate(years, 1) if index in year)
    if index != years[number - 1][-1]:
        return ()
    month = result.months[index].month
    to_minor = result.plan.currency.to_minor
    return tuple(
        RecordedSettlement(
            month,
            number,
            s.member_id,
            s.team,
            to_minor(s.held),
            s.status.value,
            to_minor(s.paid),
        )
        for s in result.settlements()
        if s.year == number
    )
