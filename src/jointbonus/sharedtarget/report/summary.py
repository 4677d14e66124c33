"""The year at a glance, for a terminal: what ``jointbonus run`` prints by default.

:func:`render_summary` says, in a screenful, what a finance or HR reader
asks first: what was paid to date and to which team, how that stands
against the norm and the budget, which months are pending and why, and what
needs attention (leavers, caps, gates, corrections, a calibration outside
its bound). The details -- the calibration, every month, every goal and every
statement -- are :func:`~jointbonus.sharedtarget.report.tables.render_table`'s
(``jointbonus run PLAN --details``). Every figure is read from the result,
as the other views read it (:func:`~jointbonus.sharedtarget.report.documents.month_counts`,
:func:`~jointbonus.sharedtarget.report.transparency.team_totals`), so the
summary never disagrees with the details.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.money import Currency
from jointbonus.core.number import percent_text, round_half_up
from jointbonus.core.periods import Month
from jointbonus.sharedtarget.plan import FundingStyle
from jointbonus.sharedtarget.report.documents import minor_text, month_counts, shared_gated
from jointbonus.sharedtarget.report.pages import scale_label, scale_text
from jointbonus.sharedtarget.report.transparency import team_totals
from jointbonus.sharedtarget.results import LineStatus, MonthStatus, Result, SettlementStatus

__all__ = ["SHOWN", "render_summary"]

#: The longest list the summary spells out (leavers, months); the rest are counted.
SHOWN = 5


def render_summary(result: Result) -> str:
    """The year at a glance: the plan, what was paid to whom, what is pending and why,
    and what needs attention; nothing that needs a scroll bar for a plan of any size.

    Each list (leavers, pending months) names at most :data:`SHOWN` entries
    and counts the rest.
    """
    plan = result.plan
    teams = team_totals(result)
    members = ", ".join(f"{team} {count:,}" for team, (count, _) in teams.items())
    first, last = plan.months[0].month, plan.months[-1].month
    how = "calibrated to the budget" if result.calibration.calibrated else "fixed by the plan"
    scale = f"{scale_label(plan).lower()}: {scale_text(result)} ({how})"
    head = [
        plan.name,
        f"{first} to {last}; {len(plan.members):,} members ({members}); {scale}",
        "",
    ]
    return "\n".join([*head, _figures(result, teams, plan.currency), *_pending(result),
                      *_attention(result)]) + "\n"  # fmt: skip


def _figures(result: Result, teams: dict[str, tuple[int, int]], currency: Currency) -> str:
    """Paid to date, by team, against the norm and the budget; the months so far."""
    s = result.summary
    c = currency.code
    variance = round_half_up(s.variance_to_date)
    advanced, periods = _open_advances(result)
    rows: list[tuple[str, str, str]] = [
        (
            f"Paid to date ({c})",
            currency.format(s.paid_to_date + advanced),
            f"with {currency.format(advanced)} advanced on {periods}, not yet trued up"
            if advanced
            else "",
        ),
        *(
            (f"  earned by {team}", currency.format(paid), _count(count, "member"))
            for team, (count, paid) in teams.items()
        ),
    ]
    if s.forfeited_to_date:
        rows.append(
            ("  less forfeited by leavers", currency.format(-s.forfeited_to_date),
             "held back from leavers, never paid")
        )  # fmt: skip
    rows += [
        (
            f"Expected to date at the norm ({c})",
            currency.format(round_half_up(s.expected_to_date)),
            f"{currency.format(abs(variance))} {'above' if variance >= 0 else 'below'} the norm"
            + (" in the periods trued up" if advanced else ""),
        ),
        (f"Budget ({c})", currency.format(s.budget), ""),
        (
            f"Cost on current pace ({c})",
            currency.format(s.cost_on_pace),
            f"{currency.format(abs(s.pace_variance))} "
            f"{'over' if s.pace_variance > 0 else 'under'} budget",
        ),
    ]
    if result.plan.holdback:
        rows.append(
            (
                f"Held back to date ({c})",
                currency.format(s.held_to_date),
                "paid at the year end"
                if len(result.plan.months) <= 12
                else "paid at each plan year's end",
            )
        )
    rows += [(label, count, "") for label, count in month_counts(result)]
    return _aligned(rows)


def _open_advances(result: Result) -> tuple[int, str]:
    """The advances paid in shared periods whose end is not yet paid (minor units), and
    those periods; the plan summary's paid to date counts a period at its true-up."""
    trued_up = {
        m.shared_period for m in result.months if m.ends_period and m.status is MonthStatus.PAID
    }
    advanced = 0
    periods: list[str] = []
    for month in result.months:
        if month.advance and month.shared_period not in trued_up:
            advanced += month.advance
            if month.shared_period not in periods:
                periods.append(month.shared_period)
    return advanced, " and ".join(periods)


def _aligned(rows: list[tuple[str, str, str]]) -> str:
    """Label, figure and note in three columns: labels left (indented ones keep their
    indent, which tabulate would strip), figures right."""
    label_width = max(len(label) for label, _, _ in rows)
    figure_width = max(len(figure) for _, figure, _ in rows)
    return "\n".join(
        f"{label.ljust(label_width)}  {figure.rjust(figure_width)}  {note}".rstrip()
        for label, figure, note in rows
    )


def _pending(result: Result) -> list[str]:
    """The pending months and why, a run of months missing the same actual in one line."""
    waiting: list[tuple[Month, str]] = []
    for m in result.months:
        if m.status is not MonthStatus.PENDING:
            continue
        reasons = [f.reason for f in m.lines.figures if f.status is LineStatus.PENDING]
        reason = reasons[0] if reasons else f"pending: no actual for {m.month} yet"
        waiting.append((m.month, reason.removeprefix("pending: ")))
    if not waiting:
        return ["", "Pending: nothing, every month has its actuals"]
    lines = []
    for months, reason in _runs(waiting):
        span = str(months[0]) if len(months) == 1 else f"{months[0]} to {months[-1]}"
        lines.append(f"  {span}: {reason}")
    count = len(waiting)
    shown = lines[:SHOWN]
    if len(lines) > SHOWN:
        shown.append(f"  and {len(lines) - SHOWN} more")
    return ["", f"Pending: {count} month{'s' if count != 1 else ''}, nothing paid yet", *shown]


def _runs(waiting: list[tuple[Month, str]]) -> Iterator[tuple[list[Month], str]]:
    """Consecutive months that wait for nothing but their own actual, joined in one run."""
    run: list[Month] = []
    for month, reason in waiting:
        if reason == f"no actual for {month} yet":
            if run and run[-1].shift(1) != month:
                yield run, "no actual yet"
                run = []
            run.append(month)
            continue
        if run:
            yield run, "no actual yet"
            run = []
        yield [month], reason
    if run:
        yield run, "no actual yet"


def _attention(result: Result) -> list[str]:
    """What a reader should look at: leavers, caps, gates, corrections, the calibration."""
    items = [*_leavers(result), *_limits(result), *_ledger(result)]
    calibration = result.calibration
    currency = result.plan.currency
    if not calibration.within_bound:
        items.append(
            f"the calibration's residual after rounding, "
            f"{minor_text(currency, calibration.residual, 4)} {currency.code}, is OUTSIDE its "
            f"bound {minor_text(currency, calibration.rounding_bound, 4)}"
        )
    if result.summary.pace_variance > 0 and result.summary.months_pending:
        share = Fraction(result.summary.pace_variance, result.summary.budget or 1)
        items.append(
            f"on current pace {_whole(result)} {currency.format(result.summary.pace_variance)} "
            f"{currency.code} ({percent_text(share)}) more than its budget"
        )
    if not items:
        return ["", "Needs attention: nothing"]
    return ["", "Needs attention", *(f"- {item}" for item in items)]


def _whole(result: Result) -> str:
    """What the budget covers, the year or a longer plan's months, and its verb."""
    months = len(result.plan.months)
    return "the year costs" if months <= 12 else f"the plan's {months} months cost"


def _leavers(result: Result) -> list[str]:
    """The members who leave within the plan: when, and what the leaver rule does."""
    plan = result.plan
    currency = plan.currency
    first, last = plan.months[0].month.first_day, plan.months[-1].month.last_day
    leavers = [m for m in plan.members if m.end is not None and first <= m.end < last]
    if not leavers:
        return []
    forfeited: dict[str, Decimal] = {}
    if plan.holdback:
        for s in result.settlements():
            if s.status is SettlementStatus.FORFEITED:
                forfeited[s.member_id] = forfeited.get(s.member_id, Decimal(0)) + s.held
    items = []
    for member in leavers[:SHOWN]:
        end = member.end or last
        exit_month = Month.of(end)
        rule = (
            ""
            if plan.pay_leavers_for_exit_month or end == exit_month.last_day
            else f"; {exit_month} is not paid (the plan does not pay leavers for their exit month)"
        )
        lost = forfeited.get(member.id)
        held = (
            f"; forfeits {currency.format(currency.to_minor(lost))} {currency.code} held back"
            if lost
            else ""
        )
        items.append(f"{member.id} ({member.team}) left on {end.isoformat()}{rule}{held}")
    if len(leavers) > SHOWN:
        items.append(f"and {len(leavers) - SHOWN:,} more leavers (see their statements)")
    return items


def _limits(result: Result) -> list[str]:
    """What the caps cut and the months a gate closed a part."""
    plan = result.plan
    currency = plan.currency
    items = []
    capped = [m for m in result.months if m.capped]
    if capped:
        cut = sum(m.capped for m in capped)
        items.append(
            f"the caps cut {currency.format(cut)} {currency.code} "
            f"(in {_months(m.month for m in capped)}); what a cap cuts is not paid"
        )
    shared = [(m.month, teams) for m in result.months if (teams := shared_gated(plan, m))]
    if shared:
        items.append(
            "the shared gate closed "
            + "; ".join(f"{', '.join(teams)}'s shared part in {month}" for month, teams in shared)
        )
    gated = [
        (m.month, [g.goal.key for g in m.goals if g.gated or g.goal_gated])
        for m in result.months
        if m.status is MonthStatus.PAID
    ]
    closed = [(month, keys) for month, keys in gated if keys]
    if closed:
        items.append(
            "a gate closed "
            + "; ".join(f"{', '.join(keys)} in {month}" for month, keys in closed[:SHOWN])
            + (f"; and {len(closed) - SHOWN} more months" if len(closed) > SHOWN else "")
        )
    if plan.funding is FundingStyle.POOL:
        unshared = [
            m.month
            for m in result.months
            if m.status is MonthStatus.PAID and m.ends_period and not m.eligible
        ]
        if unshared:
            items.append(f"nobody was eligible in {_months(unshared)}: nothing was paid")
    return items


def _ledger(result: Result) -> list[str]:
    """Corrections of closed months still due, and overpayments still to recover."""
    ledger = result.ledger
    if ledger is None:
        return []
    currency = result.plan.currency
    items = []
    due = [c for c in result.corrections if not c.closed]
    if due:
        total = sum(c.total for c in due)
        items.append(
            f"{len(due):,} correction{'s' if len(due) != 1 else ''} of closed months "
            f"({currency.format(total)} {currency.code} in all) "
            + (f"carried in {ledger.first_open}" if ledger.first_open else "after the plan")
        )
    if ledger.outstanding:
        owed = sum(o.amount for o in ledger.outstanding)
        items.append(
            f"overpayments still to recover: {currency.format(owed)} {currency.code} from "
            f"{len(ledger.outstanding):,} member{'s' if len(ledger.outstanding) != 1 else ''}"
        )
    return items


def _months(months: Iterable[Month]) -> str:
    """Months as a list, at most :data:`SHOWN` of them named."""
    named = [str(m) for m in months]
    if len(named) <= SHOWN:
        return ", ".join(named)
    return f"{', '.join(named[:SHOWN])} and {len(named) - SHOWN} more"


def _count(count: int, noun: str) -> str:
    """``1 member``, ``2 members``, ``1,250 members``."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
