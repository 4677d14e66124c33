"""How the views show a plan's ledger: closed months, corrections and recoveries.

Everything here reads :attr:`Result.ledger <jointbonus.sharedtarget.results.Result.ledger>`,
:attr:`~jointbonus.sharedtarget.results.Result.corrections` and
:attr:`~jointbonus.sharedtarget.results.Result.recoveries`, made by
:mod:`jointbonus.sharedtarget.ledger.corrections`; nothing is worked out
again. A result without a ledger (no closed month) has none of them, and
every view shows exactly what it showed before.

* A correction is shown as a line of the month that carries it, labelled
  with the month it corrects: ``kind`` ``correction``, ``corrects``
  ``YYYY-MM``; its amounts are the differences (below zero: an overpayment);
  its ``status`` is ``paid`` once the carrying month is closed, ``due``
  before; its ``reason`` says what the month paid and pays now.
* A recovery is shown in payroll as a ``clawback`` row: below zero, an
  earlier overpayment deducted from the month's payment; above zero, the
  part of the month's own overpayments its payment could not bear, carried
  forward.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jointbonus.core.money import Currency
from jointbonus.sharedtarget.plan import Overpayments
from jointbonus.sharedtarget.results import (
    ClosedMonth,
    Correction,
    LedgerState,
    Outstanding,
    Recovery,
    Result,
)

__all__ = [
    "CLAWBACK",
    "CORRECTION",
    "LEDGER_KEYS",
    "LINE",
    "correction_document",
    "correction_fields",
    "correction_reason",
    "corrections_in",
    "corrections_of",
    "ledger_columns",
    "ledger_document",
    "ledger_sections",
    "outstanding_text",
    "overpayment_rule",
    "recovery_document",
]

#: The kinds of row a plan with a ledger writes.
LINE, CORRECTION, CLAWBACK = "line", "correction", "clawback"
#: The columns a plan with closed months adds to lines.csv and payroll.csv, after ``period``.
LEDGER_KEYS = ("kind", "corrects")


def ledger_columns(columns: tuple[str, ...]) -> tuple[str, ...]:
    """``columns`` with :data:`LEDGER_KEYS` after ``period`` (``corrects`` after ``kind``
    where ``columns`` has a ``kind`` already, as payroll.csv's do)."""
    keys = tuple(key for key in LEDGER_KEYS if key not in columns)
    at = columns.index("kind" if "kind" in columns else "period") + 1
    return (*columns[:at], *keys, *columns[at:])


def corrections_in(result: Result) -> Iterator[tuple[str | None, list[Correction]]]:
    """The corrections by the month that carries them (``None`` last), in result order."""
    carried: dict[str | None, list[Correction]] = {}
    for correction in result.corrections:
        key = None if correction.carried_in is None else str(correction.carried_in)
        carried.setdefault(key, []).append(correction)
    yield from ((k, v) for k, v in carried.items() if k is not None)
    if None in carried:
        yield None, carried[None]


def corrections_of(result: Result) -> dict[tuple[str, str], dict[str, int]]:
    """Every correction of each closed month and member added up, part by part.

    Keyed by (month corrected, member id); the parts are ``shared``,
    ``functional_METRIC``, ``capped``, ``total`` and ``held``. What a closed
    month's line was paid is its line now less these (a correction is what
    the month pays now less what was paid for it).
    """
    sums: dict[tuple[str, str], dict[str, int]] = {}
    for correction in result.corrections:
        parts = sums.setdefault((str(correction.corrects), correction.member_id), {})
        amounts = [
            ("shared", correction.shared),
            *((f"functional_{metric}", amount) for metric, amount in correction.functional),
            ("capped", correction.capped),
            ("total", correction.total),
            ("held", correction.held),
        ]
        for key, amount in amounts:
            parts[key] = parts.get(key, 0) + amount
    return sums


def _money(currency: Currency, units: int) -> str:
    return str(currency.from_minor(units))


def correction_reason(currency: Currency, correction: Correction) -> str:
    """What a correction does, in words: ``corrects 2026-09: it now pays 1,397.47, ...``."""
    was, now = currency.format(correction.was), currency.format(correction.now)
    text = f"corrects {correction.corrects}: it now pays {now}; {was} was paid for it"
    if correction.paid_now < 0 and correction.paid == 0:
        text += "; the company absorbs the overpayment"
    return text


def correction_fields(
    result: Result, correction: Correction, *, functional: bool, capped: bool, holdback: bool
) -> dict[str, Any]:
    """A correction as a line document of lines.csv (the keys of a line, with the ledger's)."""
    currency = result.plan.currency
    document: dict[str, Any] = {
        "member_id": correction.member_id,
        "team": correction.team,
        "period": None if correction.carried_in is None else str(correction.carried_in),
        "kind": CORRECTION,
        "corrects": str(correction.corrects),
        "days": None,
        "weight": None,
        "attainment": None,
        "payout_factor": None,
        "shared": _money(currency, correction.shared),
    }
    if functional:
        document["functional"] = {
            metric: _money(currency, amount) for metric, amount in correction.functional
        }
    if capped:
        document["capped"] = _money(currency, correction.capped)
    document["total"] = _money(currency, correction.total)
    document["status"] = "paid" if correction.closed else "due"
    document["reason"] = correction_reason(currency, correction)
    if holdback:
        document["held"] = _money(currency, correction.held)
        document["paid_now"] = _money(currency, correction.paid_now)
    return document


def correction_document(result: Result, correction: Correction) -> dict[str, Any]:
    """A correction as JSON-ready data (``corrections`` in the result's JSON)."""
    plan = result.plan
    currency = plan.currency
    document: dict[str, Any] = {
        "member_id": correction.member_id,
        "team": correction.team,
        "corrects": str(correction.corrects),
        "carried_in": None if correction.carried_in is None else str(correction.carried_in),
        "status": "paid" if correction.closed else "due",
        "was": _money(currency, correction.was),
        "now": _money(currency, correction.now),
        "shared": _money(currency, correction.shared),
    }
    if plan.weighted:
        document["functional"] = {
            metric: _money(currency, amount) for metric, amount in correction.functional
        }
    if plan.functional.caps.any:
        document["capped"] = _money(currency, correction.capped)
    document["total"] = _money(currency, correction.total)
    if plan.holdback:
        document["held"] = _money(currency, correction.held)
        document["paid_now"] = _money(currency, correction.paid_now)
    document["paid"] = _money(currency, correction.paid)
    document["reason"] = correction_reason(currency, correction)
    return document


def recovery_document(currency: Currency, recovery: Recovery) -> dict[str, Any]:
    """A member's overpayments in one month as JSON-ready data."""
    return {
        "member_id": recovery.member_id,
        "team": recovery.team,
        "period": None if recovery.month is None else str(recovery.month),
        "status": "paid" if recovery.closed else "due",
        "brought": _money(currency, recovery.brought),
        "overpaid": _money(currency, recovery.overpaid),
        "absorbed": _money(currency, recovery.absorbed),
        "deducted": _money(currency, recovery.deducted),
        "carried": _money(currency, recovery.carried),
        "clawback": _money(currency, recovery.adjustment),
    }


def _closed_document(currency: Currency, closed: ClosedMonth) -> dict[str, Any]:
    return {
        "period": str(closed.month),
        "closed_at": closed.closed_at,
        "jointbonus": closed.jointbonus,
        "results_digest": closed.results_digest,
        "plan_sha256": closed.plan_sha256,
        "inputs": [{"file": name, "sha256": sha256} for name, sha256 in closed.inputs],
        "paid": _money(currency, closed.paid),
    }


def _outstanding_document(currency: Currency, item: Outstanding) -> dict[str, Any]:
    return {
        "member_id": item.member_id,
        "team": item.team,
        "amount": _money(currency, item.amount),
        "left": None if item.left is None else item.left.isoformat(),
        "owed_by_leaver": item.owed_by_leaver,
    }


def ledger_document(result: Result, ledger: LedgerState) -> dict[str, Any]:
    """What the ledger holds and what the run adds: the ``ledger`` of the result's JSON."""
    currency = result.plan.currency
    due = [c for c in result.corrections if not c.closed]
    return {
        "overpayments": ledger.overpayments.value,
        "closed_months": [_closed_document(currency, closed) for closed in ledger.closed],
        "first_open": None if ledger.first_open is None else str(ledger.first_open),
        "corrections_paid": _money(currency, sum(c.paid for c in result.corrections if c.closed)),
        "corrections_due": _money(currency, sum(c.paid for c in due)),
        "overpaid": _money(currency, sum(r.overpaid for r in result.recoveries)),
        "absorbed": _money(currency, sum(r.absorbed for r in result.recoveries)),
        "clawed_back": _money(currency, sum(r.deducted for r in result.recoveries)),
        "outstanding": [_outstanding_document(currency, o) for o in ledger.outstanding],
    }


def ledger_sections(result: Result) -> dict[str, Any]:
    """The keys a result with a ledger adds to its JSON: ``ledger``, ``corrections``,
    ``recoveries`` (nothing without one)."""
    if result.ledger is None:
        return {}
    currency = result.plan.currency
    return {
        "ledger": ledger_document(result, result.ledger),
        "corrections": [correction_document(result, c) for c in result.corrections],
        "recoveries": [recovery_document(currency, r) for r in result.recoveries],
    }


def overpayment_rule(ledger: LedgerState) -> str:
    """The plan's rule for overpayments, in a sentence."""
    if ledger.overpayments is Overpayments.ABSORBED:
        return (
            "An overpayment (a correction below zero) is absorbed: the company bears it and "
            "the member's payments are not reduced."
        )
    return (
        "An overpayment (a correction below zero) is clawed back: it is deducted from the "
        "member's next payments, never taking a month's payment below zero, and what is left "
        "is carried forward."
    )


def outstanding_text(currency: Currency, item: Outstanding) -> str:
    """What is left of a member's overpayments after the plan's months, in words."""
    amount = f"{currency.format(item.amount)} {currency.code}"
    if item.left is not None:
        return f"{amount} still owed: left on {item.left.isoformat()}, with no payment left"
    return f"{amount} still to deduct from the next payments"
