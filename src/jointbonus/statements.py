"""Pages people read: a statement for each member, and the transparency report.

A member's **statement** (:func:`render_statement`) is a Markdown page for one
person: the plan in two sentences, the leaver rule and whether it applied to
them, each plan month (days active, weight, attainment, payout factor, shared
amount, total and the reason for any zero), the year so far, and how to check
a figure.

The **transparency report** (:func:`render_transparency_report`) is the page
both teams see: each month's target and where it came from, the actual, the
attainment, hit or miss, the payout factor, the pool and how it was split
(members sharing, total weight, the share of a full-time member present all
month, the leftover minor units and who received them), the pending months,
the calibration evidence, the year so far against the norm, and what each
team was paid.

Every figure comes from the :class:`~jointbonus.results.Result`: amounts are
its integers of minor units, shown with thousands separators and the currency
code, and nothing is worked out another way, so the statements add up to the
months' ``paid`` exactly. Output is deterministic: the same result gives the
same text, byte for byte.

Member ids become file names through :func:`statement_file_names`, which maps
every id to a plain name (letters, digits, ``.``, ``_`` and ``-``, never
starting with a dot) that cannot leave the folder it is written into.

>>> statement_file_names(["DM-S09", "../x"])["../x"]
'x-d6b96a97d1.md'
"""

from __future__ import annotations

import functools
import hashlib
import re
import shlex
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from fractions import Fraction

from jointbonus.curves import StepCurve
from jointbonus.errors import JointBonusError
from jointbonus.frame import Cohort
from jointbonus.money import Currency, GroupShare
from jointbonus.number import decimal_text, percent_text, round_half_up
from jointbonus.periods import Month
from jointbonus.plan import FundingStyle, Plan, Split
from jointbonus.results import Line, LineStatus, MonthResult, MonthStatus, Result
from jointbonus.roster import FTE_SCALE, Member

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

#: The transparency report's file name in an output folder.
TRANSPARENCY_FILE = "transparency.md"
#: The folder, inside an output folder, that holds one statement per member.
STATEMENTS_FOLDER = "statements"

#: Leftover units are credited by name up to this many members a month; the
#: rest are counted (each of their statements shows its own amount).
NAMED_LEFTOVERS = 20


class UnknownMemberError(JointBonusError, LookupError):
    """A statement was asked for a member id the plan does not have."""


# -- text --------------------------------------------------------------------

#: Characters that Markdown would read as formatting; escaped in text that
#: comes from the plan (ids, teams, names) so it always shows as written.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|&~#])")


def _md(text: str) -> str:
    """``text`` as literal Markdown on one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def _code(text: str) -> str:
    """``text`` as a Markdown code span, shown exactly as written."""
    text = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _grouped(text: str) -> str:
    """Plain decimal text with thousands separators: ``-1234.5`` -> ``-1,234.5``."""
    sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, dot, decimals = text.partition(".")
    return f"{sign}{int(whole):,}{dot}{decimals}"


def _money(currency: Currency, units: int | Fraction | None) -> str:
    """Minor units as ``12,345.67``; a fractional average is rounded half up."""
    if units is None:
        return ""
    return currency.format(units if isinstance(units, int) else round_half_up(units))


def _exact(currency: Currency, units: Fraction, extra: int = 4) -> str:
    """Minor units, possibly fractional, with ``extra`` decimals beyond the minor unit."""
    return _grouped(decimal_text(units / currency.scale, currency.minor_unit + extra))


def _pct(value: Fraction | None) -> str:
    return "" if value is None else percent_text(value)


def _factor(value: Fraction | None) -> str:
    return "" if value is None else decimal_text(value, 4)


def _table(headers: Sequence[str], align: str, rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table; ``align`` has one letter per column, ``l`` or ``r``."""
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return lines


def _list(items: Sequence[str], limit: int = NAMED_LEFTOVERS) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit:,} more"


def _teams(plan: Plan) -> list[str]:
    return list(plan.teams) or sorted({m.team for m in plan.members})


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _result_word(month: MonthResult) -> str:
    return {True: "hit", False: "miss", None: "pending"}[month.hit]


# -- lines, member by member -------------------------------------------------


def _lines_by_member(result: Result) -> Iterator[tuple[Member, list[Line]]]:
    """Each member (in id order) with their lines (in month order).

    One pass over the months, then one member at a time: memory grows with
    the number of members, not with members x months. Members of one cohort
    getting the same amount share the parts of their lines.
    """
    members = result.plan.members
    slots: list[list[int]] = []
    for month in result.months:
        slot = [-1] * len(members)
        for index, cohort in enumerate(month.frame.cohorts):
            for position in cohort.positions:
                slot[position] = index
        slots.append(slot)
    for position, member in enumerate(members):
        lines = []
        for month, slot in zip(result.months, slots, strict=True):
            index = slot[position]
            if index >= 0:
                amount = month.shares[index].share(position)
                lines.append(result.line(member, month, month.frame.cohorts[index], amount))
        yield member, lines


def _member_lines(result: Result, position: int) -> list[Line]:
    member = result.plan.members[position]
    lines = []
    for month in result.months:
        for cohort, share in zip(month.frame.cohorts, month.shares, strict=True):
            if position in cohort.positions:
                lines.append(result.line(member, month, cohort, share.share(position)))
                break
    return lines


_LineKey = tuple[Month, int, Fraction, Fraction | None, Fraction | None, Decimal, Decimal, str]


@functools.lru_cache(maxsize=4096)
def _line_cells(currency: Currency, key: _LineKey) -> tuple[str, ...]:
    """A statement line's cells; a month's lines repeat, so each is formatted once."""
    period, days, weight, attainment, factor, shared, total, reason = key
    return (
        str(period),
        str(days),
        decimal_text(weight, 4),
        _pct(attainment),
        _factor(factor),
        currency.format(currency.to_minor(shared)),
        currency.format(currency.to_minor(total)),
        _md(reason),
    )


# -- the plan in words -------------------------------------------------------


def _scale_text(result: Result) -> str:
    plan, currency = result.plan, result.plan.currency
    if plan.funding is FundingStyle.POOL:
        pool = currency.round_to_minor(result.calibration.scale)
        return f"{currency.format(pool)} {currency.code}"
    return decimal_text(result.calibration.scale, 6)


def _plan_sentences(result: Result) -> str:
    """The plan in two sentences: one target, and how the money is shared."""
    plan = result.plan
    teams = _and([_md(t) for t in _teams(plan)])
    metric = _md(plan.metric)
    curve = plan.curve
    teams = teams[:1].upper() + teams[1:]
    if isinstance(curve, StepCurve) and curve.threshold == 1 and curve.payout == 1:
        first = (
            f"{teams} share one monthly {metric} target: in a month that reaches it, "
            "everybody in the plan earns a bonus, and in a month that misses it, nobody does."
        )
    else:
        first = (
            f"{teams} share one monthly {metric} target, and every month's payout factor "
            f"follows one curve for everybody ({_md(curve.describe())})."
        )
    if plan.funding is FundingStyle.INDIVIDUAL:
        second = (
            f"Each member earns their annual target bonus x {_scale_text(result)} / 12 x "
            "their weight (FTE x days active / days in the month) x the payout factor."
        )
    else:
        by = {
            Split.EQUAL: "shared equally among everybody in the plan that month, "
            "in proportion to FTE and days active",
            Split.SALARY: "shared among everybody in the plan that month in proportion "
            "to FTE x days active x annual base salary",
            Split.TARGET_BONUS: "shared among everybody in the plan that month in "
            "proportion to FTE x days active x annual target bonus",
        }[plan.split]
        second = (
            f"The month's pool, {_scale_text(result)} at target times the payout factor, is {by}."
        )
    return f"{first} {second}"


def _leaver_rule(plan: Plan) -> str:
    if plan.pay_leavers_for_exit_month:
        return (
            "a member who leaves before a month's last day is paid for the days they "
            "were there (`pay_leavers_for_exit_month = true`)"
        )
    return (
        "a member who leaves before a month's last day is not paid for that month "
        "(`pay_leavers_for_exit_month = false`)"
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


def _statement(result: Result, member: Member, lines: Sequence[Line]) -> str:
    plan = result.plan
    currency = plan.currency
    code = currency.code
    total = sum(currency.to_minor(line.total) for line in lines)
    paid = sum(1 for line in lines if line.status is LineStatus.PAID)
    pending = sum(1 for line in lines if line.status is LineStatus.PENDING)
    span = f"{plan.months[0].month} to {plan.months[-1].month}" if plan.months else "no months"
    out = [
        f"# Bonus statement: {_md(member.id)}",
        "",
        f"{_md(plan.name)}, {span}, amounts in {code}.",
        "",
        f"- Member: {_md(member.id)}",
        f"- Team: {_md(member.team)}",
        f"- FTE: {member.fte}",
        f"- Started: {member.start.isoformat()}",
        *([f"- Left: {member.end.isoformat()}"] if member.end is not None else []),
        f"- {'Earned' if plan.holdback else 'Paid'} so far: **{currency.format(total)} {code}** "
        f"({paid} {'month' if paid == 1 else 'months'} with a payment, {pending} pending)",
        "",
        "## The plan in two sentences",
        "",
        _plan_sentences(result),
        "",
        "## Leavers",
        "",
        f"In this plan {_leaver_rule(plan)}. {_leaver_applied(plan, member, lines)}",
        "",
        "## Your months",
        "",
    ]
    rows = [
        _line_cells(
            currency,
            (line.period, line.days, line.weight, line.attainment, line.payout_factor,
             line.shared, line.total, line.reason),
        )
        for line in lines
    ]  # fmt: skip
    rows.append(("**Year so far**", "", "", "", "", "", f"**{currency.format(total)}**", ""))
    out += _table(
        ["Month", "Days active", "Weight", "Attainment", "Factor", f"Shared ({code})",
         f"Total ({code})", "Note"],
        "lrrrrrrl",
        rows,
    )  # fmt: skip
    out += [
        "",
        "Weight is FTE x days active / days in the month. Attainment is the month's "
        f"actual {_md(plan.metric)} / its target, and the factor is what the payout curve "
        "gives for it.",
        "",
        *_held_back(result, member, lines),
        "## How to check a figure",
        "",
        *_how_to_check(result, member),
    ]
    return "\n".join(out) + "\n"


def _held_back(result: Result, member: Member, lines: Sequence[Line]) -> list[str]:
    """The holdback paragraph of a statement (nothing for a plan without one)."""
    plan = result.plan
    if not plan.holdback:
        return []
    currency = plan.currency
    held = sum(currency.to_minor(line.held) for line in lines)
    settlement = next(s for s in result.settlements() if s.member_id == member.id)
    outcome = {
        "paid": f"It is paid to you with the year-end settlement: {currency.format(held)} "
        f"{currency.code}.",
        "forfeited": f"It is not paid: {_md(settlement.reason)}.",
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


def _how_to_check(result: Result, member: Member) -> list[str]:
    plan = result.plan
    unit = f"{plan.currency.from_minor(1)} {plan.currency.code}"
    if plan.funding is FundingStyle.INDIVIDUAL:
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


def render_statement(result: Result, member_id: str) -> str:
    """The Markdown statement of the member ``member_id``.

    Raises :class:`UnknownMemberError` when the plan has no such member.
    """
    for position, member in enumerate(result.plan.members):
        if member.id == member_id:
            return _statement(result, member, _member_lines(result, position))
    known = [m.id for m in result.plan.members]
    shown = ", ".join(known[:5]) + (", ..." if len(known) > 5 else "")
    raise UnknownMemberError(
        f"member id: got {member_id!r}, expected one of the plan's {len(known)} members ({shown})"
    )


def render_statements(result: Result) -> Iterator[tuple[str, str]]:
    """``(member id, Markdown statement)`` for every member, in member id order."""
    for member, lines in _lines_by_member(result):
        yield member.id, _statement(result, member, lines)


# -- the transparency report ------------------------------------------------


def _split_rows(result: Result) -> tuple[list[str], str, list[tuple[str, ...]]]:
    """Headers, alignment and rows of the "how each pool was split" table."""
    plan = result.plan
    currency = plan.currency
    code = currency.code
    members = plan.members
    rows: list[tuple[str, ...]] = []
    if plan.funding is FundingStyle.INDIVIDUAL:
        for month in result.months:
            if month.status is MonthStatus.PENDING:
                rows.append((str(month.month), "pending", "", "", ""))
                continue
            sharing = _sharing(month)
            paid_members = sum(len(cohort.positions) for cohort, share in sharing if share.base)
            multiplier = result.calibration.scale * (month.factor or 0)
            rows.append(
                (
                    str(month.month),
                    f"{paid_members:,}",
                    decimal_text(_total_weight(month, sharing), 4),
                    decimal_text(multiplier, 6),
                    currency.format(month.paid),
                )
            )
        headers = ["Month", "Members paid", "Total weight", "Multiplier x factor",
                   f"Paid ({code})"]  # fmt: skip
        return headers, "lrrrr", rows
    per = {
        Split.EQUAL: f"Full-time, full-month share ({code})",
        Split.SALARY: "Full-time, full-month share (% of annual salary)",
        Split.TARGET_BONUS: "Full-time, full-month share (% of annual target bonus)",
    }[plan.split]
    for month in result.months:
        if month.status is MonthStatus.PENDING:
            rows.append((str(month.month), "pending", "", "", "", "", ""))
            continue
        sharing = _sharing(month)
        count = sum(len(cohort.positions) for cohort, _ in sharing)
        if not month.frame.eligible:
            rows.append(
                (str(month.month), currency.format(month.pool or 0), "0", "0", "",
                 "0", "nobody eligible: the pool is not paid")
            )  # fmt: skip
            continue
        days = month.month.days
        rate = Fraction(month.paid * FTE_SCALE * days, month.frame.total_split_weight)
        rate_text = _exact(currency, rate) if plan.split is Split.EQUAL else percent_text(rate, 4)
        bumped = sorted(position for _, share in sharing for position in share.bumped)
        receivers = _list([_md(members[p].id) for p in bumped]) if bumped else "nobody"
        rows.append(
            (
                str(month.month),
                currency.format(month.pool or 0),
                f"{count:,}",
                decimal_text(_total_weight(month, sharing), 4),
                rate_text,
                f"{len(bumped):,}",
                receivers,
            )
        )
    unit = currency.from_minor(1)
    headers = ["Month", f"Pool ({code})", "Members sharing", "Total weight", per,
               f"Leftover units ({unit} {code} each)", "Leftover went to"]  # fmt: skip
    return headers, "lrrrrrl", rows


def _sharing(month: MonthResult) -> list[tuple[Cohort, GroupShare]]:
    """The cohorts that take part in the month's split (split weight above 0)."""
    return [
        (cohort, share)
        for cohort, share in zip(month.frame.cohorts, month.shares, strict=True)
        if cohort.split_weight
    ]


def _total_weight(month: MonthResult, sharing: Sequence[tuple[Cohort, GroupShare]]) -> Fraction:
    units = sum(cohort.units * len(cohort.positions) for cohort, _ in sharing)
    return Fraction(units, FTE_SCALE * month.month.days)


def _team_totals(result: Result) -> dict[str, tuple[int, int]]:
    """Each team's members and what they were paid to date (minor units)."""
    plan = result.plan
    team_of = [m.team for m in plan.members]
    paid: dict[str, int] = {team: 0 for team in _teams(plan)}
    counts: dict[str, int] = dict.fromkeys(paid, 0)
    for team in team_of:
        counts[team] = counts.get(team, 0) + 1
        paid.setdefault(team, 0)
    for month in result.months:
        if not month.paid:
            continue
        for cohort, share in zip(month.frame.cohorts, month.shares, strict=True):
            if share.base:
                for position in cohort.positions:
                    paid[team_of[position]] += share.base
            for position in share.bumped:
                paid[team_of[position]] += share.step
    return {team: (counts.get(team, 0), paid[team]) for team in paid}


def render_transparency_report(result: Result) -> str:
    """The Markdown report both teams see: every month, every pool and how it was split."""
    plan = result.plan
    currency = plan.currency
    code = currency.code
    calibration = result.calibration
    s = result.summary
    teams = _team_totals(result)
    team_list = ", ".join(f"{_md(team)} {count:,}" for team, (count, _) in teams.items())
    out = [
        f"# Transparency report: {_md(plan.name)}",
        "",
        "Both teams see this report. It shows every month's target, actual and result, "
        "the pool and how it was split, from the same run that made every member's "
        "statement, so everybody works from the same numbers.",
        "",
        "## The plan",
        "",
        _plan_sentences(result),
        "",
        f"- Members: {len(plan.members):,} ({team_list})",
        f"- Payout curve: {_md(plan.curve.describe())}",
        f"- Leavers: {_leaver_rule(plan)}",
        f"- Norm: {_md(plan.norm.describe())}",
        "",
        "## Months",
        "",
    ]
    out += _table(
        ["Month", f"Target ({code})", "Target source", f"Actual ({code})", "Attainment",
         "Result", "Factor", f"Pool ({code})", f"Paid ({code})"],
        "lrlrrlrrr",
        [
            (
                str(m.month),
                currency.format(currency.round_to_minor(m.plan_month.target)),
                _md(m.plan_month.target_source),
                ""
                if m.plan_month.actual is None
                else currency.format(currency.round_to_minor(Fraction(m.plan_month.actual))),
                _pct(m.attainment),
                _result_word(m),
                _factor(m.factor),
                _money(currency, m.pool),
                currency.format(m.paid),
            )
            for m in result.months
        ],
    )  # fmt: skip
    pending = [str(m.month) for m in result.months if m.status is MonthStatus.PENDING]
    out += [
        "",
        "A month is a hit when its attainment (actual / target) is at least 100%. "
        + (
            f"Pending, with no actual yet and nothing paid: {', '.join(pending)}."
            if pending
            else "No month is pending."
        ),
        "",
        "## How each pool was split",
        "",
    ]
    headers, align, rows = _split_rows(result)
    out += _table(headers, align, rows)
    out += ["", *_split_notes(result), "", "## Calibration", ""]
    scale_label = (
        f"Pool at target per month ({code})"
        if plan.funding is FundingStyle.POOL
        else "Target bonus multiplier"
    )
    how = "solved for neutrality" if calibration.calibrated else "fixed by the plan"
    out += _table(
        ["Figure", "Value"],
        "ll",
        [
            (f"Budget ({code})",
             f"{currency.format(calibration.budget)} ({_md(plan.budget.source)})"),
            ("Neutrality", plan.neutrality.value.replace("_", " ")),
            (scale_label, f"{_scale_text(result).removesuffix(' ' + code)} ({how}; exact "
             f"{calibration.scale.numerator}/{calibration.scale.denominator})"),
            (f"Expected cost ({code})", _money(currency, calibration.expected_cost)),
            (f"Cost on the norm path ({code})", currency.format(calibration.norm_path_cost)),
            (f"Residual after rounding ({code})",
             f"{_exact(currency, calibration.residual)} (bound "
             f"{_exact(currency, calibration.rounding_bound)}, "
             f"{'within' if calibration.within_bound else 'OUTSIDE'})"),
            ("Historical scenarios", f"{calibration.scenarios:,}"),
        ],
    )  # fmt: skip
    out += ["", "What the norm expects of each month:", ""]
    out += _table(
        ["Month", "Attainment at norm", "Chance of paying", "Mean factor",
         f"Expected cost ({code})"],
        "lrrrr",
        [
            (str(e.month), _pct(e.norm_attainment), _pct(e.hit_rate), _factor(e.mean_factor),
             _money(currency, e.expected_cost))
            for e in calibration.months
        ],
    )  # fmt: skip
    out += ["", "## The year so far against the norm", ""]
    out += _table(
        ["Figure", "Value"],
        "lr",
        [
            (f"Budget ({code})", currency.format(s.budget)),
            (f"Expected cost ({code})", _money(currency, s.expected_cost)),
            (f"Paid to date ({code})", currency.format(s.paid_to_date)),
            (f"Expected to date at the norm ({code})", _money(currency, s.expected_to_date)),
            (f"Variance against the norm ({code})", _money(currency, s.variance_to_date)),
            (f"Cost on current pace ({code})", currency.format(s.cost_on_pace)),
            (f"Pace against budget ({code})", currency.format(s.pace_variance)),
            ("Months hit / paid / pending",
             f"{s.months_hit} / {s.months_paid} / {s.months_pending}"),
        ],
    )  # fmt: skip
    out += [
        "",
        "Variance against the norm is paid to date minus what the norm expected of the "
        "same months: above zero, the teams beat the norm.",
        "",
        "## Paid by team",
        "",
    ]
    team_rows = [
        (_md(team), f"{count:,}", currency.format(paid)) for team, (count, paid) in teams.items()
    ]
    team_rows.append(
        ("**All**", f"**{len(plan.members):,}**", f"**{currency.format(s.paid_to_date)}**")
    )
    out += _table(["Team", "Members", f"Paid to date ({code})"], "lrr", team_rows)
    out += [
        "",
        "Each member's statement shows their own months; the statements add up to the "
        "paid column above, to the minor unit.",
    ]
    return "\n".join(out) + "\n"


def _split_notes(result: Result) -> list[str]:
    plan = result.plan
    unit = f"{plan.currency.from_minor(1)} {plan.currency.code}"
    if plan.funding is FundingStyle.INDIVIDUAL:
        return [
            "Individual funding: each member's line is their annual target bonus x the "
            f"multiplier / 12 x weight x factor, rounded to the nearest {unit} by itself. "
            "The month's paid amount is the sum of the lines; nothing is left over to share.",
        ]
    weight = {
        Split.EQUAL: "weight",
        Split.SALARY: "weight x annual salary",
        Split.TARGET_BONUS: "weight x annual target bonus",
    }[plan.split]
    return [
        "Weight is FTE x days active / days in the month; total weight adds up the weights "
        "of the members sharing the pool. Each member's exact share is the pool x their "
        f"{weight} / the total of everybody's {weight}; everybody gets their exact share "
        f"rounded down to {unit}, and the units left over go one each to the members with "
        "the largest remainders, equal remainders to the lower member id. The full-time, "
        "full-month share is the exact share, before rounding, of a member with FTE 1 "
        "active all month.",
    ]


# -- files -------------------------------------------------------------------

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(10)}
_LONGEST = 80


def statement_file_names(member_ids: Iterable[str]) -> dict[str, str]:
    """The file name of each member's statement: ``{member id: "NAME.md"}``.

    An id made only of ASCII letters, digits, ``.``, ``_`` and ``-`` that does
    not start with a dot, is at most 80 characters long, is not a name Windows
    reserves (``CON``, ``NUL``, ``COM1``, ...) and differs from every other id
    in more than letter case keeps its name: ``DM-S01`` -> ``DM-S01.md``. Any
    other id has its other characters replaced by ``_``, leading dots and
    underscores dropped, and the first ten hexadecimal digits of its SHA-256
    appended, so that no two ids share a file, on any file system:
    ``../x`` -> ``x-d6b96a97d1.md``, ``a/b`` -> ``a_b-c14cddc033.md``. A name
    never holds a path separator and never starts with a dot.

    >>> statement_file_names(["DM-S01", "a/b"])
    {'DM-S01': 'DM-S01.md', 'a/b': 'a_b-c14cddc033.md'}
    """
    ids = list(dict.fromkeys(member_ids))
    folded: dict[str, int] = {}
    for member_id in ids:
        folded[member_id.casefold()] = folded.get(member_id.casefold(), 0) + 1
    names: dict[str, str] = {}
    for member_id in ids:
        plain = (
            _UNSAFE.search(member_id) is None
            and not member_id.startswith(".")
            and len(member_id) <= _LONGEST
            and member_id.split(".")[0].upper() not in _RESERVED
            and folded[member_id.casefold()] == 1
        )
        if plain:
            names[member_id] = f"{member_id}.md"
        else:
            stem = _UNSAFE.sub("_", member_id).lstrip("._")[:_LONGEST]
            digest = hashlib.sha256(member_id.encode("utf-8", "surrogatepass")).hexdigest()
            names[member_id] = f"{stem}-{digest[:10]}.md" if stem else f"{digest[:10]}.md"
    taken: dict[str, str] = {}
    for member_id, name in names.items():
        other = taken.setdefault(name.casefold(), member_id)
        if other != member_id:  # a plain id that looks like another's hashed name
            digest = hashlib.sha256(member_id.encode("utf-8", "surrogatepass")).hexdigest()
            names[member_id] = f"{digest}.md"
    return names


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
