"""Corrections of closed months and what becomes of overpayments: made here, nowhere else.

:func:`apply_ledger` reads a :class:`~jointbonus.sharedtarget.results.Result`
paid on the current inputs against what the payment ledger recorded, and
returns the result with its :attr:`~jointbonus.sharedtarget.results.Result.corrections`,
:attr:`~jointbonus.sharedtarget.results.Result.recoveries` and
:attr:`~jointbonus.sharedtarget.results.Result.ledger`. Every view reads them
there.

The rules:

* **Correction.** For each closed month, member and part (shared, each
  functional part, what the caps cut, the total, the held-back part)::

      correction = what the month pays now - what was recorded when it closed
                   - every correction of it already carried in a closed month

  A member with any part other than zero has one correction for the month,
  carried in the first open month (``None`` when every month is closed).
  Corrections are worked out member by member from the recomputed month, so
  a month's corrections add up to the change in its lines exactly, and
  inputs that have not changed give none: a rerun is idempotent. A member
  added to the plan after a month closed was recorded as paid nothing.
* **Overpayments.** A correction whose ``paid_now`` (total less held back)
  is below zero takes money back. ``clawed_back``: it is deducted from the
  member's payment in the first open month -- their line's ``paid_now`` plus
  the corrections that pay them -- never taking it below zero; what is left
  is carried to the next month with an actual, and so on; what is left after
  the plan's last month is reported (:class:`~jointbonus.sharedtarget.results.Outstanding`),
  as a leaver's debt when the member left before the plan ended.
  ``absorbed``: the company bears it (reported as absorbed); the member's
  payments are not reduced. An overpayment carried from a closed month is
  recovered the same way whatever the plan now says.

A correction of the held-back part is settled with the year end (the
settlement is worked out on the current inputs), so what a correction pays
with its month is ``total - held``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from jointbonus.core.periods import Month
from jointbonus.core.roster import Member
from jointbonus.sharedtarget.ledger.records import LedgerError, LedgerRecords, RecordedLine
from jointbonus.sharedtarget.plan import Overpayments, Plan
from jointbonus.sharedtarget.results import (
    Correction,
    LedgerState,
    LineFigures,
    MonthStatus,
    Outstanding,
    Recovery,
    Result,
)

__all__ = ["apply_ledger", "check_ledger"]

#: How many member ids an error names at most.
_NAMED = 10


@dataclass
class _Sum:
    """What the corrections of one member's closed month carried so far."""

    shared: int = 0
    functional: dict[str, int] | None = None
    capped: int = 0
    total: int = 0
    held: int = 0

    def add(self, correction: Correction) -> None:
        self.shared += correction.shared
        self.capped += correction.capped
        self.total += correction.total
        self.held += correction.held
        if self.functional is None:
            self.functional = {}
        for metric, amount in correction.functional:
            self.functional[metric] = self.functional.get(metric, 0) + amount


def check_ledger(plan: Plan, records: LedgerRecords) -> None:
    """Refuse a ledger that does not belong to ``plan`` as it is now.

    The ledger's currency must be the plan's; its closed months must be the
    plan's first months, in order; every member it paid must still be in the
    plan under the same id. Raises :class:`~jointbonus.sharedtarget.ledger.records.LedgerError`.
    """
    code, minor = plan.currency.code, plan.currency.minor_unit
    if (records.currency, records.minor_unit) != (code, minor):
        raise LedgerError(
            f"the ledger pays in {records.currency} ({records.minor_unit} decimals), the plan "
            f"in {code} ({minor} decimals): a ledger belongs to one plan and its currency"
        )
    months = [pm.month for pm in plan.months]
    for position, closed in enumerate(records.closed):
        if position >= len(months) or months[position] != closed.month:
            span = f"{months[0]} to {months[-1]}" if months else "no months"
            raise LedgerError(
                f"the ledger has closed {closed.month}, but the plan's month {position + 1} is "
                f"{months[position] if position < len(months) else 'missing'} (the plan runs "
                f"{span}): a closed month stays in the plan, and months close in plan order"
            )
    known = {member.id for member in plan.members}
    missing: dict[str, list[Month]] = {}
    for month, lines in records.lines.items():
        for member_id in lines:
            if member_id not in known:
                missing.setdefault(member_id, []).append(month)
    others = [c.member_id for c in records.corrections]
    others += [r.member_id for r in records.recoveries]
    for member_id in others:
        if member_id not in known:
            missing.setdefault(member_id, [])
    if missing:
        named = sorted(missing)
        shown = ", ".join(
            f"{member_id} (paid for {_span(missing[member_id])})"
            if missing[member_id]
            else member_id
            for member_id in named[:_NAMED]
        )
        more = f" and {len(named) - _NAMED} more" if len(named) > _NAMED else ""
        raise LedgerError(
            f"{len(named)} member{'s' if len(named) > 1 else ''} paid in closed months "
            f"{'are' if len(named) > 1 else 'is'} not in the plan: {shown}{more}; a member's "
            "id must not change once a month is closed: give them back their id (a leaver "
            "stays in the roster, with an end date)"
        )


def _span(months: Sequence[Month]) -> str:
    ordered = sorted(months)
    return str(ordered[0]) if len(ordered) == 1 else f"{ordered[0]} to {ordered[-1]}"


def apply_ledger(
    result: Result,
    records: LedgerRecords | None,
    overpayments: Overpayments = Overpayments.CLAWED_BACK,
) -> Result:
    """``result`` with the corrections and recoveries its payment ledger ``records`` call for.

    ``result`` is the plan paid on the current inputs (:func:`jointbonus.run`);
    ``records`` what the ledger holds (:func:`jointbonus.sharedtarget.ledger.read_ledger`;
    ``None`` when there is no ledger). Without closed months the result is
    returned as it is. ``overpayments`` says what happens to an overpayment
    found now (the plan's ``[ledger] overpayments``).

    Raises :class:`~jointbonus.sharedtarget.ledger.records.LedgerError` for a
    ledger that does not belong to the plan (:func:`check_ledger`) and for a
    closed month that has no actual any more.
    """
    if records is None or not records.closed:
        return result
    plan = result.plan
    check_ledger(plan, records)
    count = len(records.closed)
    first_open = plan.months[count].month if count < len(plan.months) else None
    for position, closed in enumerate(records.closed):
        if result.months[position].status is MonthStatus.PENDING:
            raise LedgerError(
                f"{closed.month} is closed but has no actual now: the actuals of a closed "
                "month can be restated, not withdrawn"
            )
    earlier = _carried(records.corrections)
    found: list[Correction] = []
    for position, closed in enumerate(records.closed):
        found.extend(
            _month_corrections(
                plan.members,
                result.months[position].lines.figures,
                result.months[position].lines.of_member,
                recorded=records.lines.get(closed.month, {}),
                earlier=earlier,
                month=closed.month,
                carried_in=first_open,
                overpayments=overpayments,
            )
        )
    recoveries, outstanding = _recover(result, records, found, count, overpayments)
    carried: dict[Month, list[Correction]] = defaultdict(list)
    for correction in (*records.corrections, *found):
        if correction.carried_in is not None:
            carried[correction.carried_in].append(correction)
    months = tuple(
        replace(m, corrections=tuple(carried[m.month])) if m.month in carried else m
        for m in result.months
    )
    return replace(
        result,
        months=months,
        ledger=LedgerState(overpayments, records.closed, first_open, outstanding),
        corrections=(*records.corrections, *found),
        recoveries=(*records.recoveries, *recoveries),
    )


def _carried(corrections: Sequence[Correction]) -> dict[tuple[Month, str], _Sum]:
    """What the corrections already paid carried, per closed month and member."""
    sums: dict[tuple[Month, str], _Sum] = {}
    for correction in corrections:
        sums.setdefault((correction.corrects, correction.member_id), _Sum()).add(correction)
    return sums


def _month_corrections(
    members: Sequence[Member],
    figures: Sequence[LineFigures],
    of_member: Sequence[int],
    *,
    recorded: Mapping[str, RecordedLine],
    earlier: Mapping[tuple[Month, str], _Sum],
    month: Month,
    carried_in: Month | None,
    overpayments: Overpayments,
) -> list[Correction]:
    """The corrections of one closed month, in member order."""
    found = []
    for member, index in zip(members, of_member, strict=True):
        now = figures[index]
        was = recorded.get(member.id)
        before = earlier.get((month, member.id))
        if before is None and was is not None and _same(now, was):
            continue  # the usual case: nothing changed
        correction = _difference(
            member,
            month,
            carried_in=carried_in,
            now=now,
            was=was,
            before=before,
            overpayments=overpayments,
        )
        if correction is not None:
            found.append(correction)
    return found


def _same(now: LineFigures, was: RecordedLine) -> bool:
    return (
        now.total == was.total
        and now.shared == was.shared
        and now.capped == was.capped
        and now.held == was.held
        and now.functional == was.functional
    )


def _difference(
    member: Member,
    month: Month,
    *,
    carried_in: Month | None,
    now: LineFigures,
    was: RecordedLine | None,
    before: _Sum | None,
    overpayments: Overpayments,
) -> Correction | None:
    """``now`` less what was recorded and already corrected, part by part (``None``: nothing)."""
    was_functional = dict(was.functional) if was is not None else {}
    before_functional = (before.functional if before is not None else None) or {}
    now_functional = dict(now.functional)
    metrics = dict.fromkeys([*now_functional, *was_functional, *before_functional])

    def less(current: int, recorded: int, corrected: int) -> int:
        return current - recorded - corrected

    functional = tuple(
        (
            metric,
            less(
                now_functional.get(metric, 0),
                was_functional.get(metric, 0),
                before_functional.get(metric, 0),
            ),
        )
        for metric in metrics
    )
    shared = less(now.shared, was.shared if was else 0, before.shared if before else 0)
    capped = less(now.capped, was.capped if was else 0, before.capped if before else 0)
    total = less(now.total, was.total if was else 0, before.total if before else 0)
    held = less(now.held, was.held if was else 0, before.held if before else 0)
    if not (shared or capped or total or held or any(amount for _, amount in functional)):
        return None
    paid_now = total - held
    paid = 0 if paid_now < 0 and overpayments is Overpayments.ABSORBED else paid_now
    return Correction(
        member_id=member.id,
        team=member.team,
        corrects=month,
        carried_in=carried_in,
        shared=shared,
        functional=functional,
        capped=capped,
        total=total,
        held=held,
        was=(was.total if was else 0) + (before.total if before else 0),
        paid=paid,
        closed=False,
    )


def _recover(
    result: Result,
    records: LedgerRecords,
    found: Sequence[Correction],
    first_open: int,
    overpayments: Overpayments,
) -> tuple[list[Recovery], tuple[Outstanding, ...]]:
    """Each member's overpayments from the first open month on, and what is left after them.

    A member's payment in a month with an actual is their line's ``paid_now``
    (plus, in the first open month, what its corrections pay); what is to be
    recovered is deducted from it, never below zero, and the rest carried on.
    A month without an actual pays nothing yet, so nothing is deducted from it.
    """
    plan = result.plan
    balances: dict[str, int] = {}
    for recovery in records.recoveries:  # month by month: the last one says what is left
        balances[recovery.member_id] = recovery.carried
    by_member: dict[str, list[Correction]] = defaultdict(list)
    for correction in found:
        by_member[correction.member_id].append(correction)
    last_day = plan.months[-1].month.last_day if plan.months else None
    recoveries: list[Recovery] = []
    outstanding: list[Outstanding] = []
    for position, member in enumerate(plan.members):
        brought = balances.get(member.id, 0)
        mine = by_member.get(member.id, [])
        if not brought and not mine:
            continue
        gains = sum(c.paid for c in mine if c.paid > 0)
        overpaid = sum(-c.paid_now for c in mine if c.paid_now < 0)
        absorbed = overpaid if overpayments is Overpayments.ABSORBED else 0
        if first_open >= len(plan.months):  # every month is closed: nothing to deduct from
            left = brought + overpaid - absorbed
            if brought or overpaid:
                recoveries.append(
                    Recovery(
                        member.id, member.team, None, brought, overpaid, absorbed, 0, left, False
                    )
                )
        else:
            left = brought
            for index in range(first_open, len(plan.months)):
                month_result = result.months[index]
                available = 0
                if month_result.status is MonthStatus.PAID:
                    line = month_result.lines[position]
                    available = line.total - line.held
                if index == first_open:
                    available += gains
                owed = left + overpaid - absorbed
                deducted = min(owed, available)
                if deducted or (index == first_open and (left or overpaid)):
                    recoveries.append(
                        Recovery(
                            member.id,
                            member.team,
                            month_result.month,
                            left,
                            overpaid,
                            absorbed,
                            deducted,
                            owed - deducted,
                            False,
                        )
                    )
                left, overpaid, absorbed = owed - deducted, 0, 0
                if not left:
                    break
        if left:
            leaver = member.end is not None and last_day is not None and member.end < last_day
            outstanding.append(
                Outstanding(member.id, member.team, left, member.end if leaver else None)
            )
    return recoveries, tuple(outstanding)
