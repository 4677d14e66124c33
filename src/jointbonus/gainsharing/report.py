"""Gainsharing reports: tables for people, JSON for programs, CSV files for payroll.

As in :mod:`jointbonus.sharedtarget.report.writer`: every amount leaves as a decimal string in the
plan currency with exactly its minor unit (``"1234.50"``), every ratio (base
ratio, shares, weights) as a decimal string with six decimals, rounded half
away from zero from its exact value, and the base ratio also as an exact
fraction. Output is deterministic. Files are written through the one atomic
writer (:mod:`jointbonus.io.files`) and moved into place only when all of them
are complete.

The holdback's figures (the held part of each line, what each period pays
now, each member's year-end settlement of what was held back) appear only in
the output of a plan with a holdback, so a plan without one gives the same
bytes as before the holdback existed. Likewise the reserve's order
(``reserve_from``) and the company's share of the reserve at year end appear
only for a plan that takes its reserve from the gain.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any, TextIO

from tabulate import tabulate

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, percent_text
from jointbonus.core.roster import Member
from jointbonus.gainsharing.plan import (
    Distribution,
    Formula,
    GainsharingPlan,
    PeriodLength,
    ReserveSource,
)
from jointbonus.gainsharing.results import (
    GainsharingResult,
    HoldbackSettlement,
    HoldbackStatus,
    MemberLine,
    PeriodResult,
    PeriodStatus,
    SettlementLine,
    SettlementStatus,
)
from jointbonus.io.cells import csv_text
from jointbonus.io.files import staged_folder, write_text
from jointbonus.io.render import render_json

__all__ = [
    "LINE_COLUMNS",
    "PERIOD_COLUMNS",
    "SETTLEMENT_COLUMNS",
    "line_columns",
    "period_columns",
    "plan_document",
    "render_json",
    "render_summary",
    "render_table",
    "result_document",
    "settlement_columns",
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
#: With a holdback: after a period's or a line's amount, what is held back and
#: what is paid now; after a member's settlement line, their holdback settlement.
_HELD_COLUMNS = ("held", "paid_now")
_HOLDBACK_SETTLEMENT_COLUMNS = (
    "holdback_held", "holdback_status", "holdback_paid", "holdback_forfeited", "holdback_reason",
)  # fmt: skip


def period_columns(plan: GainsharingPlan) -> tuple[str, ...]:
    """The columns of ``periods.csv``: :data:`PERIOD_COLUMNS`, with ``held`` and
    ``paid_now`` after ``paid`` when the plan has a holdback."""
    return _with_held(PERIOD_COLUMNS, "paid", plan)


def line_columns(plan: GainsharingPlan) -> tuple[str, ...]:
    """The columns of ``lines.csv``: :data:`LINE_COLUMNS`, with ``held`` and
    ``paid_now`` after ``amount`` when the plan has a holdback."""
    return _with_held(LINE_COLUMNS, "amount", plan)


def settlement_columns(plan: GainsharingPlan) -> tuple[str, ...]:
    """The columns of ``settlement.csv``: :data:`SETTLEMENT_COLUMNS`, then, when the
    plan has a holdback, the member's holdback settlement: ``holdback_held``,
    ``holdback_status``, ``holdback_paid``, ``holdback_forfeited`` and
    ``holdback_reason``."""
    if not plan.holdback:
        return SETTLEMENT_COLUMNS
    return (*SETTLEMENT_COLUMNS, *_HOLDBACK_SETTLEMENT_COLUMNS)


def _with_held(columns: tuple[str, ...], after: str, plan: GainsharingPlan) -> tuple[str, ...]:
    if not plan.holdback:
        return columns
    at = columns.index(after) + 1
    return (*columns[:at], *_HELD_COLUMNS, *columns[at:])


_DISTRIBUTION_WORDS = {
    Distribution.EQUAL: "equally per eligible member (per head)",
    Distribution.WEIGHT: "by weight (FTE x days active)",
    Distribution.PAY: "by pay (FTE x days active x annual salary)",
}


def _from_gain(plan: GainsharingPlan) -> bool:
    """Whether the plan takes its reserve from the whole gain, before the split."""
    return plan.reserve_from is ReserveSource.GAIN


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
        **({"reserve_from": plan.reserve_from.value} if _from_gain(plan) else {}),
        "distribution": plan.distribution.value,
        "pay_leavers_for_exit_period": plan.pay_leavers_for_exit_period,
        **({"holdback": _ratio(plan.holdback)} if plan.holdback else {}),
        "year_end": plan.year_end.isoformat(),
    }


def _period_document(currency: Currency, r: PeriodResult, *, holdback: bool) -> dict[str, Any]:
    """A period as JSON-ready data; ``holdback`` adds ``held`` and ``paid_now``."""
    held = (
        {"held": _money(currency, r.held), "paid_now": _money(currency, r.paid_now)}
        if holdback
        else {}
    )
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
        **held,
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
        **(
            {
                "held_back": s.held_back,
                "paid_now": s.paid_now,
                "holdback_paid": s.holdback_paid,
                "holdback_forfeited": s.holdback_forfeited,
            }
            if result.plan.holdback
            else {}
        ),
        "reserve": s.reserve,
        "settlement_paid": s.settlement_paid,
        **(
            {"settlement_company_share": s.settlement_company_share}
            if _from_gain(result.plan)
            else {}
        ),
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
        **({"company_share": _money(currency, s.company_share)} if _from_gain(result.plan) else {}),
        "absorbed_by_company": _money(currency, s.absorbed),
        "returned_to_company": _money(currency, s.returned),
        "eligible": s.eligible,
        "note": s.note,
    }


def _line_document(line: MemberLine, *, holdback: bool) -> dict[str, Any]:
    """A member's period as JSON-ready data; ``holdback`` adds ``held`` and ``paid_now``."""
    held = {"held": str(line.held), "paid_now": str(line.paid_now)} if holdback else {}
    return {
        "member_id": line.member_id,
        "team": line.team,
        "period": line.period.label,
        "days": line.days,
        "weight": _ratio(line.weight),
        "share": _ratio(line.share),
        "amount": str(line.amount),
        **held,
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


def _holdback_document(settlement: HoldbackSettlement) -> dict[str, Any]:
    """A member's year-end settlement of what was held back, as JSON-ready data."""
    return {
        "member_id": settlement.member_id,
        "team": settlement.team,
        "held": str(settlement.held),
        "status": settlement.status.value,
        "paid": str(settlement.paid),
        "forfeited": str(settlement.forfeited),
        "reason": settlement.reason,
    }


def _settlement_rows(result: GainsharingResult) -> Iterable[dict[str, Any]]:
    """The rows of ``settlement.csv``: each member's reserve settlement line and, with
    a holdback, their holdback settlement beside it."""
    lines = (_settlement_line_document(line) for line in result.settlement_lines())
    if not result.plan.holdback:
        yield from lines
        return
    for line, held in zip(lines, result.holdback_settlements(), strict=True):
        document = _holdback_document(held)
        yield {
            **line,
            "holdback_held": document["held"],
            "holdback_status": document["status"],
            "holdback_paid": document["paid"],
            "holdback_forfeited": document["forfeited"],
            "holdback_reason": document["reason"],
        }


def result_document(result: GainsharingResult, *, lines: bool = True) -> dict[str, Any]:
    """The whole result as JSON-ready data.

    ``plan``, ``summary``, ``periods``, ``settlement`` and, unless ``lines`` is
    false, ``lines`` (member and period) and ``settlement_lines`` (member);
    with a holdback, also ``holdback_settlements`` (member) with the lines.
    """
    currency = result.plan.currency
    holdback = bool(result.plan.holdback)
    document: dict[str, Any] = {
        "plan": plan_document(result.plan),
        "summary": _summary_document(result),
        "periods": [_period_document(currency, r, holdback=holdback) for r in result.periods],
        "settlement": _settlement_document(result),
    }
    if lines:
        document["lines"] = [_line_document(line, holdback=holdback) for line in result.lines()]
        document["settlement_lines"] = [
            _settlement_line_document(line) for line in result.settlement_lines()
        ]
        if holdback:
            document["holdback_settlements"] = [
                _holdback_document(settlement) for settlement in result.holdback_settlements()
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
    holdback = (
        [
            f"Holdback: {percent_text(plan.holdback)} of each member's period amount is held "
            "until the year end and paid then to the members still in the plan; a member who "
            "leaves earlier forfeits it and it returns to the company (unlike the reserve, "
            "it never covers a deficit)"
        ]
        if plan.holdback
        else []
    )
    return [
        plan.name,
        f"Gainsharing, {plan.formula.value.capitalize()} formula, {periods} periods "
        f"{plan.first_month} to {plan.last_month}, {currency.code}",
        f"Base ratio: labour cost / {basis} over {base.first} to {base.last} "
        f"({base.months} months) = {computed} = {percent_text(base.ratio, 4)} "
        f"(exact {base.ratio})",
        f"Allowed cost = base ratio x {basis}; gain = allowed cost - labour cost",
        *_shares(plan),
        *holdback,
        f"Distribution: {_DISTRIBUTION_WORDS[plan.distribution]}",
        f"Leavers in their exit period: {leavers}",
        _year_end_rule(plan),
    ]


def _shares(plan: GainsharingPlan) -> list[str]:
    """How each gain and deficit is shared, in the order the plan takes its reserve."""
    employees = percent_text(plan.employee_share)
    reserve = percent_text(plan.reserve_share)
    if not _from_gain(plan):
        return [
            f"Employees' share of each gain and deficit: {employees}; held in the reserve: "
            f"{reserve} of the employee share of each gain"
        ]
    return [
        f"Reserve taken from the whole gain, before the split: {reserve} of each gain is "
        "held in the reserve, and each deficit is charged to it in full",
        f"Employees' share of each gain after the reserve: {employees}; the company keeps the rest",
    ]


def _year_end_rule(plan: GainsharingPlan) -> str:
    year_end = f"Year end ({plan.year_end.isoformat()}): "
    if not _from_gain(plan):
        return (
            f"{year_end}a positive reserve is paid to the members still in the plan; a "
            "negative reserve is absorbed by the company, nothing is clawed back"
        )
    return (
        f"{year_end}a positive reserve is shared as a gain is, "
        f"{percent_text(plan.employee_share)} paid to the members still in the plan and "
        "the rest to the company; a negative reserve is absorbed by the company, nothing "
        "is clawed back"
    )


def _summary_table(result: GainsharingResult) -> str:
    currency = result.plan.currency
    c = currency.code
    s = result.summary
    holdback = bool(result.plan.holdback)
    held = (
        [
            (f"Held back until the year end ({c})", currency.format(s.held_back)),
            (f"Paid with the periods ({c})", currency.format(s.paid_now)),
        ]
        if holdback
        else []
    )
    held_settled = (
        [
            (f"Holdback paid at year end ({c})", currency.format(s.holdback_paid)),
            (
                f"Holdback forfeited, returned to the company ({c})",
                currency.format(s.holdback_forfeited),
            ),
        ]
        if holdback
        else []
    )
    if _from_gain(result.plan):
        shares = [
            (
                f"Employee share of gains, after the reserve ({c})",
                currency.format(s.employee_gains),
            ),
            (f"Company share of gains, after the reserve ({c})", currency.format(s.company_share)),
        ]
        reserve_company = [
            (f"Company share of the reserve ({c})", currency.format(s.settlement_company_share))
        ]
    else:
        shares = [
            (f"Employee share of gains ({c})", currency.format(s.employee_gains)),
            (f"Employee share of deficits ({c})", currency.format(s.employee_deficits)),
            (f"Company share of the net gain ({c})", currency.format(s.company_share)),
        ]
        reserve_company = []
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
            *shares,
            (f"Held in the reserve ({c})", currency.format(s.to_reserve)),
            (f"Charged to the reserve ({c})", currency.format(s.from_reserve)),
            (f"Paid in the periods ({c})", currency.format(s.paid_in_periods)),
            *held,
            (
                f"Reserve {'at year end' if s.periods_pending == 0 else 'so far'} ({c})",
                currency.format(s.reserve),
            ),
            (f"Settlement paid ({c})", currency.format(s.settlement_paid)),
            *reserve_company,
            (f"Absorbed by the company ({c})", currency.format(s.absorbed)),
            (f"Returned to the company ({c})", currency.format(s.returned)),
            *held_settled,
            (f"Paid to employees in all ({c})", currency.format(s.paid_total)),
        ]
    )


def _periods_table(result: GainsharingResult) -> str:
    currency = result.plan.currency
    rucker = result.plan.formula is Formula.RUCKER
    holdback = bool(result.plan.holdback)
    from_gain = _from_gain(result.plan)
    headers = ["Period", "Revenue"]
    if rucker:
        headers += ["Purchases", "Value added"]
    headers += [
        "Labour cost",
        "Allowed cost",
        "Gain",
        "Employee share",
        *(("Company share",) if from_gain else ()),
        "To reserve",
        "From reserve",
        "Paid",
        *(("Held back", "Paid now") if holdback else ()),
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
            *((_amount(currency, r.company_share) if done else "",) if from_gain else ()),
            _amount(currency, r.to_reserve) if done else "",
            _amount(currency, r.from_reserve) if done else "",
            _amount(currency, r.paid) if done else "",
            *(
                (
                    _amount(currency, r.held) if done else "",
                    _amount(currency, r.paid_now) if done else "",
                )
                if holdback
                else ()
            ),
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
                *(
                    [(f"Company share ({c})", currency.format(s.company_share))]
                    if _from_gain(result.plan)
                    else []
                ),
                (f"Absorbed by the company ({c})", currency.format(s.absorbed)),
                (f"Returned to the company ({c})", currency.format(s.returned)),
                ("Members eligible at year end", str(s.eligible)),
            ]
        )
        + f"\n{s.note}"
    )


def _holdback_table(result: GainsharingResult) -> str:
    """The year-end settlement of held-back amounts, in total."""
    currency = result.plan.currency
    c = currency.code
    s = result.summary
    year_end = result.plan.year_end.isoformat()
    if result.settlement.status is SettlementStatus.PENDING:
        note = "pending: held-back amounts are settled when every period of the plan year is in"
    else:
        note = (
            f"held-back amounts are paid to the members in the plan on {year_end}; what "
            "members who left earlier forfeit returns to the company"
        )
    return (
        _key_values(
            [
                ("Status", result.settlement.status.value),
                (f"Held back from the periods ({c})", currency.format(s.held_back)),
                (
                    f"Paid to members in the plan at year end ({c})",
                    currency.format(s.holdback_paid),
                ),
                (
                    f"Forfeited by leavers, returned to the company ({c})",
                    currency.format(s.holdback_forfeited),
                ),
            ]
        )
        + f"\n{note}"
    )


def _statement(
    result: GainsharingResult,
    member: Member,
    lines: list[MemberLine],
    year: SettlementLine,
    held: HoldbackSettlement | None,
) -> list[str]:
    """One member's statement: a heading that adds up, then a row per period and settlement.

    With a holdback (``held`` given), each period row shows the held part and
    what was paid now, and a last row the holdback's year-end settlement.
    """
    currency = result.plan.currency
    in_periods = sum(currency.to_minor(line.amount) for line in lines)
    at_year_end = currency.to_minor(year.amount)
    if held is None:
        heading = (
            f"{member.id} ({member.team}), FTE {member.fte}: periods "
            f"{currency.format(in_periods)} + settlement {currency.format(at_year_end)} = "
            f"{currency.format(in_periods + at_year_end)} {currency.code}"
        )
    else:
        held_back = currency.to_minor(held.held)
        held_paid = currency.to_minor(held.paid)
        total = in_periods - held_back + held_paid + at_year_end
        heading = (
            f"{member.id} ({member.team}), FTE {member.fte}: periods "
            f"{currency.format(in_periods)} - held back {currency.format(held_back)} + "
            f"held back paid {currency.format(held_paid)} + settlement "
            f"{currency.format(at_year_end)} = {currency.format(total)} {currency.code}"
        )
    rows = [
        (
            line.period.label,
            str(line.days),
            decimal_text(line.weight, 4),
            percent_text(line.share, 2),
            currency.format(currency.to_minor(line.amount)),
            *(
                (
                    currency.format(currency.to_minor(line.held)),
                    currency.format(currency.to_minor(line.paid_now)),
                )
                if held is not None
                else ()
            ),
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
            *(("", currency.format(at_year_end)) if held is not None else ()),
            year.reason,
        )
    )
    if held is not None:
        # The "Paid now" column adds up to everything the member is paid.
        if held.status is HoldbackStatus.PAID and held.held:
            note = (
                f"the {currency.format(currency.to_minor(held.held))} held back is paid: "
                f"in the plan on {result.plan.year_end.isoformat()}"
            )
        elif held.status is HoldbackStatus.PAID:
            note = "nothing was held back"
        else:
            note = held.reason
        rows.append(
            (
                "Held back, at year end",
                "",
                "",
                "",
                "",
                "",
                currency.format(currency.to_minor(held.paid)),
                note,
            )
        )
    headers = ["Period", "Days", "Weight", "Share", "Amount"]
    if held is not None:
        headers += ["Held", "Paid now"]
    return [
        heading,
        tabulate(
            rows,
            headers=[*headers, "Note"],
            colalign=("left", *("right",) * (len(headers) - 1), "left"),
            disable_numparse=True,
        ),
    ]


def render_summary(result: GainsharingResult) -> str:
    """The result for people at a glance: the plan, its summary, the periods and the
    year-end settlement; :func:`render_table` adds every member's statement."""
    return "\n".join(_overview(result)) + "\n"


def _overview(result: GainsharingResult) -> list[str]:
    plan = result.plan
    return [
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
        *(["", "Held-back amounts", _holdback_table(result)] if plan.holdback else []),
    ]


def render_table(result: GainsharingResult) -> str:
    """The whole result for people: the plan, summary, periods, settlement and statements."""
    plan = result.plan
    parts = [*_overview(result), "", "Statements"]
    by_member: dict[str, list[MemberLine]] = {}
    for line in result.lines():
        by_member.setdefault(line.member_id, []).append(line)
    held = {settlement.member_id: settlement for settlement in result.holdback_settlements()}
    for member, year in zip(plan.members, result.settlement_lines(), strict=True):
        parts.append("")
        parts.extend(
            _statement(result, member, by_member.get(member.id, []), year, held.get(member.id))
        )
    return "\n".join(parts) + "\n"


# -- files -------------------------------------------------------------------


#: Columns of the CSV files that hold text; the others hold numbers the library
#: writes. Text cells are escaped against formula injection (jointbonus.io.cells).
_TEXT_COLUMNS = frozenset(
    {
        "member_id", "team", "period", "first_month", "last_month", "status", "reason", "note",
        "holdback_status", "holdback_reason",
    }
)  # fmt: skip


def _csv_rows(columns: tuple[str, ...], documents: Iterable[dict[str, Any]]) -> str:
    numbers = [c for c in columns if c not in _TEXT_COLUMNS]
    return csv_text(columns, ([document[c] for c in columns] for document in documents), numbers)


def write_results(result: GainsharingResult, folder: str | Path) -> list[Path]:
    """Write ``periods.csv``, ``lines.csv``, ``settlement.csv`` and ``result.json`` into ``folder``.

    Their columns are :func:`period_columns`, :func:`line_columns` and
    :func:`settlement_columns`: a plan with a holdback adds the held part, what
    is paid now and each member's holdback settlement.

    The folder is created if needed. The files are written into a staging
    folder and moved into place only when all four are complete
    (:func:`jointbonus.io.files.staged_folder`); a failure leaves none of them
    half-written. Returns the paths written.
    """
    out = Path(folder)
    currency = result.plan.currency
    holdback = bool(result.plan.holdback)
    contents: dict[str, Callable[[], str]] = {
        "periods.csv": lambda: _csv_rows(
            period_columns(result.plan),
            (_period_document(currency, r, holdback=holdback) for r in result.periods),
        ),
        "lines.csv": lambda: _csv_rows(
            line_columns(result.plan),
            (_line_document(line, holdback=holdback) for line in result.lines()),
        ),
        "settlement.csv": lambda: _csv_rows(
            settlement_columns(result.plan), _settlement_rows(result)
        ),
        "result.json": lambda: render_json(result_document(result, lines=False)),
    }
    with staged_folder(out) as stage:
        for name, content in contents.items():
            write_text(stage / name, functools.partial(_put, content()))
    return [out / name for name in contents]


def _put(text: str, handle: TextIO) -> int:
    return handle.write(text)
