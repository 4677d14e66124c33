"""Pages people read: a statement for each member, and the transparency report.

A member's **statement** (:func:`render_statement`) is a Markdown page for one
person: the plan in two sentences, the leaver rule and whether it applied to
them, each plan month (days active, weight, attainment, payout factor, shared
amount, total and the reason for any zero), the year so far, and how to check
a figure. A plan whose payment ledger has closed months adds the member's
corrections of them (what each month paid, what it pays now, the
correction and the month that carries it) and what became of any
overpayment.

The **transparency report** (:func:`render_transparency_report`) is the page
both teams see: each month's target and where it came from, the actual, the
attainment, hit or miss, the payout factor, the pool and how it was split
(members sharing, total weight, the share of a full-time member present all
month, the leftover minor units and who received them), the pending months,
the calibration evidence, the year so far against the norm, and what each
team was paid.

Every figure comes from the :class:`~jointbonus.sharedtarget.results.Result`: amounts are
its integers of minor units, shown with thousands separators and the currency
code, and nothing is worked out another way, so the statements add up to the
months' ``paid`` exactly. Output is deterministic: the same result gives the
same text, byte for byte.

Member ids become file names through :func:`statement_file_names`, which maps
every id to a plain name (letters, digits, ``.``, ``_`` and ``-``, never
starting with a dot) that cannot leave the folder it is written into.

This module writes the statements and offers the whole set of pages: the
report is made in :mod:`jointbonus.sharedtarget.report.transparency`, the file
names in :mod:`jointbonus.sharedtarget.report.filenames`, and what the pages
share in :mod:`jointbonus.sharedtarget.report.pages`.

>>> statement_file_names(["DM-S09", "../x"])["../x"]
'x-d6b96a97d1.md'
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, percent_text
from jointbonus.core.periods import Month
from jointbonus.core.roster import Member, member_choices
from jointbonus.errors import JointBonusError, argument
from jointbonus.sharedtarget.plan import FundingStyle, Plan, Split
from jointbonus.sharedtarget.report.corrections import outstanding_text, overpayment_rule
from jointbonus.sharedtarget.report.documents import number_text
from jointbonus.sharedtarget.report.filenames import (
    STATEMENTS_FOLDER,
    TRANSPARENCY_FILE,
    statement_file_names,
)
from jointbonus.sharedtarget.report.pages import (
    cap_limits,
    factor_cell,
    goal_word,
    leaver_rule,
    md,
    md_table,
    percent_cell,
    plan_sentences,
)
from jointbonus.sharedtarget.report.transparency import render_transparency_report
from jointbonus.sharedtarget.report.versions import version_sentences
from jointbonus.sharedtarget.results import (
    Correction,
    Line,
    LineStatus,
    MonthStatus,
    Outstanding,
    Recovery,
    Result,
    realised_weights,
    result_argument,
)

__all__ = [
    "STATEMENTS_FOLDER",
    "TRANSPARENCY_FILE",
    "UnknownMemberError",
    "render_statement",
    "render_statements",
    "render_transparency_report",
    "statement_file_names",
    "statement_files",
]


class UnknownMemberError(JointBonusError, LookupError):
    """A statement was asked for a member id the plan does not have."""


def _code(text: str) -> str:
    """``text`` as a Markdown code span, shown exactly as written."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


# -- lines, member by member -------------------------------------------------


def _lines_by_member(result: Result) -> Iterator[tuple[Member, list[Line]]]:
    """Each member (in id order) with their lines (in month order), one member at a time."""
    for position, member in enumerate(result.plan.members):
        yield member, result.member_lines(position)


_LineKey = tuple[Month, int, Fraction, Fraction | None, Fraction | None, Decimal, Decimal, str]


def _line_cells(
    currency: Currency, key: _LineKey, known: dict[_LineKey, tuple[str, ...]]
) -> tuple[str, ...]:
    """A statement line's cells; lines repeat from member to member, so each distinct
    line is formatted once per set of statements (``known`` holds those made so far)."""
    cells = known.get(key)
    if cells is None:
        cells = known[key] = _format_cells(currency, key)
    return cells


def _format_cells(currency: Currency, key: _LineKey) -> tuple[str, ...]:
    period, days, weight, attainment, factor, shared, total, reason = key
    return (
        str(period),
        str(days),
        decimal_text(weight, 4),
        percent_cell(attainment),
        factor_cell(factor),
        currency.format(currency.to_minor(shared)),
        currency.format(currency.to_minor(total)),
        md(reason),
    )


def _leaver_applied(plan: Plan, member: Member, lines: Sequence[Line]) -> str:
    end = member.end
    if not plan.months or end is None or end > plan.months[-1].month.last_day:
        return "It does not apply to you: you have no leaving date in the plan year."
    if end < plan.months[0].month.first_day:
        return f"It does not apply to you: you left on {end.isoformat()}, before the plan year."
    exit_line = next(line for line in lines if line.period.first_day <= end <= line.period.last_day)
    month = exit_line.period
    if end == month.last_day:
        return (
            f"It did not apply to you: you left on {end.isoformat()}, the last day of "
            f"{month}, so {month} counts in full."
        )
    if plan.pay_leavers_for_exit_month:
        return (
            f"It applied to you: you left on {end.isoformat()}, so {month} counts for the "
            f"{exit_line.days} days you were there."
        )
    return f"It applied to you: you left on {end.isoformat()}, so {month} is not paid."


# -- a member's statement ----------------------------------------------------


@dataclass(frozen=True)
class _Ledgered:
    """What the ledger says of one member: corrections, recoveries, what is left to recover."""

    corrections: list[Correction] = field(default_factory=list)
    recoveries: list[Recovery] = field(default_factory=list)
    outstanding: Outstanding | None = None


def _by_member(result: Result) -> dict[str, _Ledgered]:
    """Each member's corrections and recoveries, in result order (empty without a ledger)."""
    found: dict[str, _Ledgered] = {}
    if result.ledger is None:
        return found
    for correction in result.corrections:
        found.setdefault(correction.member_id, _Ledgered()).corrections.append(correction)
    for recovery in result.recoveries:
        found.setdefault(recovery.member_id, _Ledgered()).recoveries.append(recovery)
    for item in result.ledger.outstanding:
        mine = found.setdefault(item.member_id, _Ledgered())
        found[item.member_id] = _Ledgered(mine.corrections, mine.recoveries, item)
    return found


def _corrections_part(result: Result, mine: _Ledgered | None) -> list[str]:
    """The member's corrections of closed months and overpayments (plans with closed months)."""
    ledger = result.ledger
    if ledger is None:
        return []
    currency = result.plan.currency
    code = currency.code
    span = ledger.closed_span
    carrier = (
        f"the first open month, {ledger.first_open}"
        if ledger.first_open is not None
        else "the month after the plan's last (every month of the plan is closed)"
    )
    out = [
        "## Corrections of closed months",
        "",
        f"Closed in the payment ledger: {span}. What a closed month paid never changes: when "
        "its inputs change, what it pays now less what was paid for it is carried in "
        f"{carrier}, labelled with the month it corrects. {overpayment_rule(ledger)}",
        "",
    ]
    if mine is None or not (mine.corrections or mine.recoveries or mine.outstanding):
        return [*out, "No correction concerns you.", ""]
    if mine.corrections:
        out += md_table(
            ["Carried in", "Corrects", f"Was paid ({code})", f"Now pays ({code})",
             f"Correction ({code})", f"Paid with the month ({code})", "Status"],
            "llrrrrl",
            [
                (str(c.carried_in) if c.carried_in is not None else "after the plan",
                 str(c.corrects), currency.format(c.was), currency.format(c.now),
                 currency.format(c.total), currency.format(c.paid),
                 "paid" if c.closed else "due")
                for c in mine.corrections
            ],
        )  # fmt: skip
        out.append("")
    if mine.recoveries:
        out += [
            "Overpayments, month by month: brought from earlier months, arising from the "
            "month's corrections, absorbed by the company, deducted from the month's payment, "
            "carried on:",
            "",
        ]
        out += md_table(
            ["Month", f"Brought ({code})", f"Overpaid ({code})", f"Absorbed ({code})",
             f"Deducted ({code})", f"Carried ({code})"],
            "lrrrrr",
            [
                (str(r.month) if r.month is not None else "after the plan",
                 currency.format(r.brought), currency.format(r.overpaid),
                 currency.format(r.absorbed), currency.format(r.deducted),
                 currency.format(r.carried))
                for r in mine.recoveries
            ],
        )  # fmt: skip
        out.append("")
    if mine.outstanding is not None:
        out += [f"Overpayments left: {outstanding_text(currency, mine.outstanding)}.", ""]
    return out


def _statement(
    result: Result,
    member: Member,
    lines: Sequence[Line],
    known: dict[_LineKey, tuple[str, ...]] | None = None,
    ledgered: dict[str, _Ledgered] | None = None,
    *,
    position: int = 0,
) -> str:
    plan = result.plan
    currency = plan.currency
    code = currency.code
    total = sum(currency.to_minor(line.total) for line in lines)
    paid = sum(1 for line in lines if line.status is LineStatus.PAID)
    pending = sum(1 for line in lines if line.status is LineStatus.PENDING)
    span = f"{plan.months[0].month} to {plan.months[-1].month}" if plan.months else "no months"
    out = [
        f"# Bonus statement: {md(member.id)}",
        "",
        f"{md(plan.name)}, {span}, amounts in {code}.",
        "",
        f"- Member: {md(member.id)}",
        f"- Team: {md(member.team)}",
        f"- FTE: {member.fte}",
        *_standing_rows(member),
        f"- Started: {member.start.isoformat()}",
        *([f"- Left: {member.end.isoformat()}"] if member.end is not None else []),
        f"- {'Earned' if plan.holdback else 'Paid'} so far: **{currency.format(total)} {code}** "
        f"({paid} {'month' if paid == 1 else 'months'} with a payment, {pending} pending)",
        "",
        "## The plan in two sentences"
        if not plan.weighted and not plan.functional.caps.any
        else "## The plan in brief",
        "",
        plan_sentences(result),
        "",
        *version_sentences(result),
        "## Leavers",
        "",
        f"In this plan {leaver_rule(plan)}. {_leaver_applied(plan, member, lines)}",
        "",
        "## Your months",
        "",
    ]
    if plan.weighted or plan.functional.caps.any:
        out += _part_months(result, member, lines, total)
    else:
        rows = [
            _line_cells(
                currency,
                (line.period, line.days, line.weight, line.attainment, line.payout_factor,
                 line.shared, line.total, line.reason),
                {} if known is None else known,
            )
            for line in lines
        ]  # fmt: skip
        rows.append(("**Year so far**", "", "", "", "", "", f"**{currency.format(total)}**", ""))
        out += md_table(
            ["Month", "Days active", "Weight", "Attainment", "Factor", f"Shared ({code})",
             f"Total ({code})", "Note"],
            "lrrrrrrl",
            rows,
        )  # fmt: skip
    out += [
        "",
        "Weight is FTE x days active / days in the month. Attainment is the month's "
        f"actual {md(plan.metric)} / its target, and the factor is what the payout curve "
        "gives for it.",
        "",
        *_goals_part(result, member, lines),
        *_caps_part(result, lines),
        *_held_back(result, member, lines),
        *_advances_part(result, position),
        *_corrections_part(
            result, (ledgered if ledgered is not None else _by_member(result)).get(member.id)
        ),
        "## How to check a figure",
        "",
        *_how_to_check(result, member),
    ]
    return "\n".join(out) + "\n"


def _standing_rows(member: Member) -> list[str]:
    """A member whose standing changes: each roster row, in date order (none otherwise)."""
    if not member.changes:
        return []
    out = ["- Standing over time (each roster row):"]
    for row in member.rows:
        to = f"to {row.end.isoformat()}" if row.end is not None else "with no end date"
        out.append(
            f"  - from {row.start.isoformat()} {to}: {md(row.team)}, FTE {row.fte}"
            + (f", salary {row.salary}" if row.salary is not None else "")
            + (f", target bonus {row.target_bonus}" if row.target_bonus is not None else "")
        )
    return out


def _member_teams(plan: Plan, member: Member) -> list[str]:
    """The teams ``member`` is in during the plan's months, in the order they are in them."""
    if not member.changes:
        return [member.team]
    return list(dict.fromkeys(team for m in plan.months for team in member.teams_in(m.month)))


def _part_months(result: Result, member: Member, lines: Sequence[Line], total: int) -> list[str]:
    """The months table of a plan with functional goals or caps: every part of each line.

    A member who changes team has a column for each goal of each of their
    teams; a month in another team leaves that goal's cell empty.
    """
    plan = result.plan
    currency = plan.currency
    code = currency.code
    teams = _member_teams(plan, member)
    goals = {t.team: [g.metric for g in t.goals] for t in plan.functional.terms}
    metrics = [metric for team in teams for metric in goals.get(team, [])]
    capped = plan.functional.caps.any

    def money(amount: Decimal) -> str:
        return currency.format(currency.to_minor(amount))

    def goal_parts(line: Line) -> list[str]:
        if len(teams) == 1:
            return [money(amount) for _, amount in line.functional]
        own = dict(line.functional)
        return [money(own[m]) if m in own else "" for m in metrics]

    rows = [
        (
            str(line.period),
            str(line.days),
            decimal_text(line.weight, 4),
            percent_cell(line.attainment),
            factor_cell(line.payout_factor),
            money(line.shared),
            *goal_parts(line),
            *((money(line.capped),) if capped else ()),
            money(line.total),
            md(line.reason),
        )
        for line in lines
    ]
    width = 5 + len(metrics) + capped

    def year(amounts: Iterable[Decimal]) -> str:
        return f"**{currency.format(sum(currency.to_minor(a) for a in amounts))}**"

    rows.append(
        (
            "**Year so far**",
            *("",) * 4,
            year(line.shared for line in lines),
            *(year(dict(line.functional).get(m, Decimal(0)) for line in lines) for m in metrics),
            *((year(line.capped for line in lines),) if capped else ()),
            f"**{currency.format(total)}**",
            "",
        )
    )
    headers = [
        "Month",
        "Days active",
        "Weight",
        "Attainment",
        "Factor",
        f"Shared ({code})",
        *(f"{md(m)} ({code})" for m in metrics),
        *((f"Capped ({code})",) if capped else ()),
        f"Total ({code})",
        "Note",
    ]
    lines_out = md_table(headers, "l" + "r" * (width + 1) + "l", rows)
    parts = "the shared part" + (" + each functional part" if metrics else "")
    total_is = f"Total is {parts}" + (" - what the cap cut" if capped else "")
    if any(line.kind for line in lines):  # a plan with advances
        total_is += (
            "; a month that advances its period's shared part adds the advance, and the "
            "month that ends the period (the true-up) takes off the advances paid in it"
        )
    return [*lines_out, "", total_is + "."]


def _goals_part(result: Result, member: Member, lines: Sequence[Line]) -> list[str]:
    """Your team's weighting and functional goals, month by month (plans with goals).

    A member who changes team gets a section for each of their teams, with
    the months they spent in it.
    """
    plan = result.plan
    if not plan.weighted:
        return []
    teams = _member_teams(plan, member)
    if len(teams) == 1:
        return _team_goals(result, teams[0], lines, "## Your team's goals")
    out = []
    for team in teams:
        # a month of a move lists the goals of each team it was spent in
        months = [str(m.month) for m in plan.months if team in member.teams_in(m.month)]
        title = f"## Your team's goals: {md(team)} ({', '.join(months)})"
        own = [line for line in lines if team in member.teams_in(line.period)]
        out += _team_goals(result, team, own, title)
    return out


def _team_goals(result: Result, team: str, lines: Sequence[Line], title: str) -> list[str]:
    """One team's weighting and functional goals, in the months of ``lines``."""
    plan = result.plan
    currency = plan.currency
    code = currency.code
    index = next(i for i, t in enumerate(plan.functional.terms) if t.team == team)
    terms = plan.functional.terms[index]
    weight = result.calibration.weights[index]
    out = [title, ""]
    if not terms.goals:
        return [*out, f"{md(team)} has no functional goals: your whole bonus is shared.", ""]
    w = weight.nominal
    goals = ", ".join(f"{md(g.metric)} (weight {number_text(g.weight)})" for g in terms.goals)
    how = (
        "given by the plan"
        if weight.wanted is None
        else f"solved so that {percent_text(weight.wanted)} of what {md(team)} can expect "
        "to earn comes from the shared goal"
    )
    expected = (
        "" if weight.expected is None else f" Expected split: {percent_text(weight.expected, 2)}."
    )
    realised = next((r for r in realised_weights(result) if r.team == terms.team), None)
    realised_text = (
        f" Realised so far: {percent_text(realised.weight, 2)} "
        f"({currency.format(realised.shared)} {code} shared, "
        f"{currency.format(realised.functional)} {code} functional, before caps)."
        if realised is not None and realised.weight is not None
        else ""
    )
    out += [
        f"Your bonus is {percent_text(w, 2)} (exactly {w.numerator}/{w.denominator}) on the "
        f"shared target and {percent_text(1 - w, 2)} on the functional goals of "
        f"{md(team)}: "
        f"{goals}. The shared weight was {how}.{expected}{realised_text}",
        "",
    ]
    rows = []
    by_period = {line.period: line for line in lines}
    metrics = {m.name: m for m in plan.functional.metrics}
    for position, month in enumerate(result.months):
        line = by_period.get(month.month)
        if line is None:  # a month the member spent in another team
            continue
        parts = dict(line.functional)
        if month.status is MonthStatus.PAID and month.goals:
            for g in month.goals:
                if g.goal.team != terms.team:
                    continue
                factor = factor_cell(g.factor) + (" (gated)" if g.gated or g.goal_gated else "")
                mine = parts.get(g.goal.metric)
                rows.append(
                    (
                        str(month.month),
                        md(g.goal.metric),
                        number_text(g.target),
                        str(g.actual),
                        percent_cell(g.attainment),
                        factor,
                        currency.format(g.pool),
                        "" if mine is None else currency.format(currency.to_minor(mine)),
                    )
                )
            continue
        for goal in terms.goals:
            metric_month = metrics[goal.metric].months[position]
            actual = "" if metric_month.actual is None else str(metric_month.actual)
            rows.append(
                (str(month.month), md(goal.metric), number_text(metric_month.target), actual,
                 "", goal_word(month, plan), "", "")
            )  # fmt: skip
    pool = "Team pool" if plan.funding is FundingStyle.POOL else "Team's lines"
    out += md_table(
        ["Month", "Goal", "Target", "Actual", "Attainment", "Factor", f"{pool} ({code})",
         f"Your part ({code})"],
        "llrrrrrr",
        rows,
    )  # fmt: skip
    gate = plan.functional.gates.functional
    own = [
        f"{md(goal.metric)} pays only with {md(goal.gate.describe())}"
        for goal in terms.goals
        if goal.gate is not None
    ]
    out += [
        "",
        "Each goal's factor is what its own curve gives for its attainment"
        + (
            f"; '(gated)': the functional gate closed it, as the month's shared attainment "
            f"was below {percent_text(gate)}"
            if gate is not None
            else ""
        )
        + (
            ("; '(gated)'" if gate is None else "; or")
            + f" its own gate closed it: {'; '.join(own)}"
            if own
            else ""
        )
        + ".",
        "",
    ]
    return out


def _caps_part(result: Result, lines: Sequence[Line]) -> list[str]:
    """What the caps are and what they cut from you (plans with caps)."""
    plan = result.plan
    caps = plan.functional.caps
    if not caps.any and not any(v.design.functional.caps.any for v in plan.versions):
        return []
    currency = plan.currency
    code = currency.code
    if plan.versions:  # each version's caps, from its first month on
        limits = [
            f"{' and '.join(cap_limits(v.design)) or 'no cap'} from {v.start} (version {v.number})"
            for v in result.versions
        ]
        pays = (
            f"This plan pays a member at most {'; '.join(limits)}. A cap per plan year counts "
            "what was paid earlier in the plan year, whatever version paid it"
        )
    else:
        pays = f"This plan pays a member at most {' and '.join(cap_limits(plan))}"
    cut = sum(currency.to_minor(line.capped) for line in lines)
    months = [str(line.period) for line in lines if line.capped]
    where = f" (in {', '.join(months)})" if months else ""
    return [
        "## Caps",
        "",
        f"{pays}; what a cap cuts is not "
        f"paid to anyone. Cut from you so far: **{currency.format(cut)} {code}**{where}.",
        "",
    ]


def _held_back(result: Result, member: Member, lines: Sequence[Line]) -> list[str]:
    """The holdback paragraph of a statement (nothing for a plan without one)."""
    plan = result.plan
    if not plan.holdback:
        return []
    currency = plan.currency
    held = sum(currency.to_minor(line.held) for line in lines)
    if result.several_years:
        return _held_back_years(result, member, held)
    settlement = next(s for s in result.settlements() if s.member_id == member.id)
    outcome = {
        "paid": f"It is paid to you with the year-end settlement: {currency.format(held)} "
        f"{currency.code}.",
        "forfeited": f"It is not paid: {md(settlement.reason)}.",
        "pending": "It is settled when the plan year is over, if you are still in the plan "
        "on its last day.",
    }[settlement.status.value]
    return [
        "## Held back until the year end",
        "",
        f"This plan holds {percent_text(plan.holdback)} of every month's amount until the "
        f"plan year ends. Held back from you so far: **{currency.format(held)} "
        f"{currency.code}**. {outcome}",
        "",
    ]


def _advances_part(result: Result, position: int) -> list[str]:
    """The advances paragraph of a statement: the member at ``position``'s advance in each
    month inside a period, and at each period's end the advances paid and the true-up
    (nothing for a plan without advances)."""
    plan = result.plan
    if plan.advance is None:
        return []
    currency = plan.currency
    rows = []
    for m in result.months:
        if m.advances:
            rows.append((str(m.month), currency.format(m.advances[position]), "", ""))
        elif m.advanced:
            true_up = m.lines[position]  # the period's pay less the advances paid in it
            rows.append(
                (
                    str(m.month),
                    "",
                    currency.format(true_up.advanced),
                    currency.format(true_up.total),
                )
            )
    noun = plan.period.noun
    code = currency.code
    heads = ["Month", f"Advance ({code})", f"Advanced in the {noun} ({code})", f"True-up ({code})"]
    table = md_table(heads, "lrrr", rows) if rows else ["No month has an advance yet."]
    return [
        "## Advances and true-ups",
        "",
        f"This plan advances {percent_text(plan.advance)} of each {noun}'s pay in the months "
        f"before its end, on the attainment so far and for the months elapsed, never more "
        f"than the {noun} is sure to pay. Each advance is paid with its month, and the month "
        f"that ends a {noun} pays the true-up: your pay for the {noun} less the advances.",
        "",
        *table,
        "",
    ]


def _held_back_years(result: Result, member: Member, held: int) -> list[str]:
    """The holdback paragraph of a statement in a plan of several plan years: what is held
    back from each year is settled at that year's end."""
    plan = result.plan
    currency = plan.currency
    code = currency.code
    items = []
    for settlement in result.settlements():
        if settlement.member_id != member.id:
            continue
        amount = f"{currency.format(currency.to_minor(settlement.held))} {code}"
        outcome = {
            "paid": f"paid to you with the settlement at the end of {settlement.last}",
            "forfeited": f"not paid: {md(settlement.reason)}",
            "pending": f"settled at the end of {settlement.last}, if you are still in the plan "
            "then",
        }[settlement.status.value]
        items.append(
            f"- Plan year {settlement.year} ({settlement.first} to {settlement.last}): held back "
            f"**{amount}**, {outcome}."
        )
    return [
        "## Held back until the year end",
        "",
        f"This plan holds {percent_text(plan.holdback)} of every month's amount until the "
        f"end of the month's plan year. Held back from you so far: **{currency.format(held)} "
        f"{code}**.",
        "",
        *items,
        "",
    ]


def _how_to_check(result: Result, member: Member) -> list[str]:
    plan = result.plan
    unit = f"{plan.currency.from_minor(1)} {plan.currency.code}"
    if plan.weighted:
        share = _weighted_share_rule(plan, unit)
    elif plan.funding is FundingStyle.INDIVIDUAL:
        share = (
            "- Your amount in a month is your annual target bonus x the multiplier / 12 x "
            f"your weight x the factor, rounded to the nearest {unit}."
        )
    else:
        weight = {
            Split.EQUAL: "your weight",
            Split.SALARY: "your weight x your salary",
            Split.TARGET_BONUS: "your weight x your target bonus",
        }[plan.split]
        share = (
            f"- Your share of a month's pool is the pool x {weight} / the total of everybody "
            f"sharing it, rounded down to {unit}; the units left over go one each to the "
            "largest remainders, equal remainders to the lower member id."
        )
    return [
        "- Every month's target, actual, pool and how it was split are in the transparency "
        f"report (`{TRANSPARENCY_FILE}`), made by the same run as this statement and seen by "
        "both teams.",
        share,
        f"- {_code(f'jointbonus explain PLAN --member {shlex.quote(member.id)} --month YYYY-MM')} "
        "traces one of your months back to the inputs that made it.",
    ]


def _weighted_share_rule(plan: Plan, unit: str) -> str:
    """How each part of a line is made, for a plan with functional goals."""
    cut = " less what a cap cut" if plan.functional.caps.any else ""
    if plan.funding is FundingStyle.INDIVIDUAL:
        return (
            "- Your target bonus for a month is your annual target bonus x the multiplier / "
            "12 x your weight; your shared part is that x your team's shared weight x the "
            "shared factor, each functional part that x (1 - the shared weight) x the goal's "
            f"weight x its factor, each rounded to the nearest {unit}. Your total is their "
            f"sum{cut}."
        )
    weight = {
        Split.EQUAL: "your weight",
        Split.SALARY: "your weight x your salary",
        Split.TARGET_BONUS: "your weight x your target bonus",
    }[plan.split]
    return (
        f"- The shared pool is split by {weight} x your team's shared weight, each goal's "
        f"pool among your team by {weight}; every share is rounded down to {unit} and the "
        "units left over go one each to the largest remainders, equal remainders to the "
        f"lower member id. Your total is the sum of your parts{cut}."
    )


def render_statement(result: Result, member_id: str) -> str:
    """The Markdown statement of the member ``member_id``.

    Raises :class:`UnknownMemberError` when the plan has no such member.
    """
    result = result_argument(result)
    member_id = argument("member_id", member_id, str, "a member id (text)")
    for position, member in enumerate(result.plan.members):
        if member.id == member_id:
            return _statement(result, member, result.member_lines(position), position=position)
    known = [m.id for m in result.plan.members]
    raise UnknownMemberError(
        f"member id: got {member_id!r}, expected {member_choices(member_id, known)}"
    )


def render_statements(result: Result) -> Iterator[tuple[str, str]]:
    """``(member id, Markdown statement)`` for every member, in member id order."""
    result = result_argument(result)
    known: dict[_LineKey, tuple[str, ...]] = {}
    ledgered = _by_member(result)
    for position, (member, lines) in enumerate(_lines_by_member(result)):
        yield member.id, _statement(result, member, lines, known, ledgered, position=position)


# -- every page, as files ----------------------------------------------------


def statement_files(result: Result) -> Iterator[tuple[str, str]]:
    """``(relative path, Markdown)`` of the transparency report and every statement.

    Paths use ``/``: ``transparency.md``, then ``statements/NAME.md`` for each
    member in id order, ``NAME.md`` from :func:`statement_file_names`. The
    texts are made one at a time, so a large roster is never held in memory.
    """
    yield TRANSPARENCY_FILE, render_transparency_report(result)
    names = statement_file_names(m.id for m in result.plan.members)
    for member_id, text in render_statements(result):
        yield f"{STATEMENTS_FOLDER}/{names[member_id]}", text
