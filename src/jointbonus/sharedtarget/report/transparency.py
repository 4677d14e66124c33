"""The transparency report: the page both teams see.

:func:`render_transparency_report` shows each month's target and where it
came from, the actual, the attainment, hit or miss, the payout factor, the
pool and how it was split (members sharing, total weight, the share of a
full-time member present all month, the leftover minor units and who received
them), the pending months, the calibration evidence, the year so far against
the norm, and what each team was paid. Every figure comes from the
:class:`~jointbonus.sharedtarget.results.Result`, so the report and the members'
statements work from the same numbers.

A plan with functional goals adds each goal's month (target, actual,
attainment, factor, whether the functional gate closed it, its pool), the
weighting of each team (nominal, wanted, expected and realised shared
weight), each part's pool and split, and what each team earned from each
side; a plan with caps, what they cut each month and from each team. A plan
whose payment ledger has closed months adds them and the corrections of
them: each corrected month, the month that carries its corrections, and what
became of the overpayments.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, percent_text, round_half_up
from jointbonus.core.periods import Month
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.plan import FundingStyle, Plan, Split
from jointbonus.sharedtarget.report.corrections import overpayment_rule
from jointbonus.sharedtarget.report.documents import (
    caps_costing,
    month_counts,
    number_text,
    shared_gated,
)
from jointbonus.sharedtarget.report.pages import (
    NORM_PATH_NOTE,
    advance_cells,
    cap_limits,
    factor_cell,
    hit_rate_label,
    leaver_rule,
    md,
    md_table,
    percent_cell,
    plan_sentences,
    plan_teams,
    result_word,
    scale_label,
    scale_text,
)
from jointbonus.sharedtarget.report.versions import versions_lines
from jointbonus.sharedtarget.results import (
    MonthResult,
    MonthStatus,
    Result,
    realised_weights,
    result_argument,
)

__all__ = ["NAMED_LEFTOVERS", "render_transparency_report", "team_totals"]

#: Leftover units are credited by name up to this many members a month; the
#: rest are counted (each of their statements shows its own amount).
NAMED_LEFTOVERS = 20


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


def _list(items: Sequence[str], limit: int = NAMED_LEFTOVERS) -> str:
    if len(items) <= limit:
        return ", ".join(items)
    return f"{', '.join(items[:limit])} and {len(items) - limit:,} more"


def _inside(month: MonthResult) -> str:
    """For a month inside a longer shared period that a later month pays, what it says."""
    if month.ends_period or month.status is MonthStatus.PENDING:
        return ""
    return f"part of {month.shared_period}: paid at its end"


def _weight_days(plan: Plan, month: MonthResult) -> int:
    """The days a month's weights are counted over: its period's, for a longer one."""
    period = plan.period_of(month.month)
    return month.month.days if period is None else period.weight_days


def _split_rows(result: Result) -> tuple[list[str], str, list[tuple[str, ...]]]:
    """Headers, alignment and rows of the "how each pool was split" table."""
    plan = result.plan
    currency = plan.currency
    code = currency.code
    members = plan.members
    rows: list[tuple[str, ...]] = []
    if plan.weighted:
        return _part_split_rows(result)
    if plan.funding is FundingStyle.INDIVIDUAL:
        for month in result.months:
            if month.status is MonthStatus.PENDING:
                rows.append((str(month.month), "pending", "", "", ""))
                continue
            if inside := _inside(month):
                rows.append((str(month.month), inside, "", "", ""))
                continue
            multiplier = result.calibration.scale * month.weighting * (month.factor or 0)
            rows.append(
                (
                    str(month.month),
                    f"{month.splits[0].paid_members:,}",
                    decimal_text(month.total_weight, 4),
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
        if inside := _inside(month):
            rows.append((str(month.month), "", "", "", "", "", inside))
            continue
        if not month.eligible:
            rows.append(
                (str(month.month), currency.format(month.pool or 0), "0", "0", "",
                 "0", "nobody eligible: the pool is not paid")
            )  # fmt: skip
            continue
        days = _weight_days(plan, month)
        rate = Fraction(month.paid * FTE_SCALE * days, month.total_split_weight)
        rate_text = _exact(currency, rate) if plan.split is Split.EQUAL else percent_text(rate, 4)
        bumped = month.splits[0].leftover_receivers
        receivers = _list([md(members[p].id) for p in bumped]) if bumped else "nobody"
        rows.append(
            (
                str(month.month),
                currency.format(month.pool or 0),
                f"{month.sharing:,}",
                decimal_text(month.total_weight, 4),
                rate_text,
                f"{len(bumped):,}",
                receivers,
            )
        )
    unit = currency.from_minor(1)
    headers = ["Month", f"Pool ({code})", "Members sharing", "Total weight", per,
               f"Leftover units ({unit} {code} each)", "Leftover went to"]  # fmt: skip
    return headers, "lrrrrrl", rows


def _part_split_rows(result: Result) -> tuple[list[str], str, list[tuple[str, ...]]]:
    """The split table of a plan with functional goals: one row per month and part."""
    plan = result.plan
    currency = plan.currency
    code = currency.code
    members = plan.members
    pool_funding = plan.funding is FundingStyle.POOL
    rows: list[tuple[str, ...]] = []
    for month in result.months:
        if month.status is MonthStatus.PENDING:
            rows.append((str(month.month), "pending", *("",) * (4 if pool_funding else 2)))
            continue
        for split in month.splits:
            name = split.name if split.name == "shared" else md(split.name)
            paid = split.paid_members
            if not pool_funding:
                rows.append((str(month.month), name, f"{paid:,}", currency.format(split.pool)))
                continue
            bumped = split.leftover_receivers
            receivers = _list([md(members[p].id) for p in bumped]) if bumped else "nobody"
            rows.append(
                (str(month.month), name, currency.format(split.pool), f"{paid:,}",
                 f"{len(bumped):,}", receivers)
            )  # fmt: skip
    if not pool_funding:
        return ["Month", "Part", "Members paid", f"Paid ({code})"], "llrr", rows
    unit = currency.from_minor(1)
    headers = ["Month", "Part", f"Pool ({code})", "Members paid",
               f"Leftover units ({unit} {code} each)", "Leftover went to"]  # fmt: skip
    return headers, "llrrrl", rows


def _teams_in(plan: Plan, month: Month, team_of: list[str]) -> list[str]:
    """Each member's team in ``month``: ``team_of`` (their teams now) unless some moved."""
    if not any(member.changes for member in plan.members):
        return team_of
    return [member.team_in(month) for member in plan.members]


def team_totals(result: Result) -> dict[str, tuple[int, int]]:
    """Each team's members (counted in their team at the end) and what was paid to date
    (minor units) to the members in it that month."""
    plan = result.plan
    team_of = [m.team for m in plan.members]
    paid: dict[str, int] = {team: 0 for team in plan_teams(plan)}
    counts: dict[str, int] = dict.fromkeys(paid, 0)
    for team in team_of:
        counts[team] = counts.get(team, 0) + 1
        paid.setdefault(team, 0)
    for month in result.months:
        if not month.paid and not month.advance:
            continue
        figures = month.lines.figures
        teams = _teams_in(plan, month.month, team_of)
        for team, index in zip(teams, month.lines.of_member, strict=True):
            paid[team] += figures[index].total
    return {team: (counts.get(team, 0), paid[team]) for team in paid}


def render_transparency_report(result: Result) -> str:
    """The Markdown report both teams see: every month, every pool and how it was split."""
    result = result_argument(result)
    plan = result.plan
    currency = plan.currency
    code = currency.code
    calibration = result.calibration
    s = result.summary
    teams = team_totals(result)
    team_list = ", ".join(f"{md(team)} {count:,}" for team, (count, _) in teams.items())
    out = [
        f"# Transparency report: {md(plan.name)}",
        "",
        "Both teams see this report. It shows every month's target, actual and result, "
        "the pool and how it was split, from the same run that made every member's "
        "statement, so everybody works from the same numbers.",
        "",
        "## The plan",
        "",
        plan_sentences(result),
        "",
        f"- Members: {len(plan.members):,} ({team_list})",
        f"- Payout curve: {md(plan.curve.describe())}",
        f"- Leavers: {leaver_rule(plan)}",
        f"- Norm: {md(plan.norm.describe())}",
        "",
        *versions_lines(plan, result.versions),
        "## Months",
        "",
    ]
    capped = plan.functional.caps.any
    advancing = plan.advance is not None
    out += md_table(
        ["Month", f"Target ({code})", "Target source", f"Actual ({code})", "Attainment",
         "Result", "Factor", f"{_pool_label(plan)} ({code})",
         *((f"Capped ({code})",) if capped else ()), f"Paid ({code})",
         *((f"Advance ({code})", f"Advances paid ({code})", f"True-up ({code})")
           if advancing else ()),
         *(("Version",) if plan.versions else ())],
        "lrlrrlrrr" + ("r" if capped else "") + ("rrr" if advancing else "")
        + ("r" if plan.versions else ""),
        [
            (
                str(m.month),
                currency.format(currency.round_to_minor(m.plan_month.target)),
                md(m.plan_month.target_source),
                ""
                if m.plan_month.actual is None
                else currency.format(currency.round_to_minor(Fraction(m.plan_month.actual))),
                percent_cell(m.attainment),
                result_word(m),
                factor_cell(m.factor),
                _money(currency, m.pool),
                *((currency.format(m.capped),) if capped else ()),
                currency.format(m.paid),
                *(advance_cells(currency, m) if advancing else ()),
                *((str(plan.version_of(m.month)),) if plan.versions else ()),
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
        *_corrections_section(result),
        *_goal_section(result),
        *_caps_note(result),
        "## How each pool was split",
        "",
    ]
    headers, align, rows = _split_rows(result)
    out += md_table(headers, align, rows)
    out += ["", *_split_notes(result), "", "## Calibration", ""]
    scale_name = (
        f"{scale_label(plan)} ({code})" if plan.funding is FundingStyle.POOL else scale_label(plan)
    )
    how = "solved for neutrality" if calibration.calibrated else "fixed by the plan"
    out += md_table(
        ["Figure", "Value"],
        "ll",
        [
            (f"Budget ({code})",
             f"{currency.format(calibration.budget)} ({md(plan.budget.source)})"),
            ("Neutrality", plan.neutrality.value.replace("_", " ")),
            (scale_name, f"{scale_text(result).removesuffix(' ' + code)} ({how}; exact "
             f"{calibration.scale.numerator}/{calibration.scale.denominator})"),
            (f"Expected cost ({code})", _money(currency, calibration.expected_cost)),
            (f"Cost on the norm path ({code})",
             f"{currency.format(calibration.norm_path_cost)} ({NORM_PATH_NOTE})"),
            (f"Residual after rounding ({code})",
             f"{_exact(currency, calibration.residual)} (bound "
             f"{_exact(currency, calibration.rounding_bound)}, "
             f"{'within' if calibration.within_bound else 'OUTSIDE'})"),
            ("Historical scenarios", f"{calibration.scenarios:,}"),
            *(
                (("Caps costed over", caps_costing(plan, calibration)),)
                if plan.functional.caps.any
                else ()
            ),
        ],
    )  # fmt: skip
    goals = plan.goals
    out += ["", "What the norm expects of each month:", ""]
    out += md_table(
        ["Month", "Attainment at norm", hit_rate_label(plan),
         "Mean shared factor" if goals else "Mean factor",
         *(f"{md(g.key)} mean factor" for g in goals), f"Expected cost ({code})"],
        "lrrr" + "r" * len(goals) + "r",
        [
            (str(e.month), percent_cell(e.norm_attainment), percent_cell(e.shared_hit_rate),
             factor_cell(e.mean_factor),
             *(factor_cell(f) for f in e.mean_goal_factors[: len(goals)]),
             _money(currency, e.expected_cost))
            for e in calibration.months
        ],
    )  # fmt: skip
    out += _weighting_section(result)
    out += ["", "## The year so far against the norm", ""]
    out += md_table(
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
            *month_counts(result),
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
    if plan.weighted or plan.functional.caps.any:
        out += _team_parts_table(result, teams)
    else:
        team_rows: list[tuple[str, ...]] = [
            (md(team), f"{count:,}", currency.format(paid)) for team, (count, paid) in teams.items()
        ]
        paid = sum(paid for _, paid in teams.values())
        team_rows.append(("**All**", f"**{len(plan.members):,}**", f"**{currency.format(paid)}**"))
        team_rows += _forfeited_rows(result, 0)
        out += md_table(["Team", "Members", f"Paid to date ({code})"], "lrr", team_rows)
    out += [
        "",
        "Each member's statement shows their own months; the statements add up to the "
        "paid column above, to the minor unit."
        + (
            f" Each month inside a {plan.period.noun} pays its advance and the month that "
            f"ends it the true-up, the {plan.period.noun}'s pay less the advances: paid to "
            "date is the advances and true-ups of the months table summed."
            if advancing
            else ""
        ),
    ]
    out += _holdback_years_section(result)
    return "\n".join(out) + "\n"


def _holdback_years_section(result: Result) -> list[str]:
    """What was held back in each plan year and how it was settled (a plan with a holdback
    that runs over several plan years)."""
    plan = result.plan
    if not plan.holdback or not result.several_years:
        return []
    currency = plan.currency
    code = currency.code
    spans: dict[int, str] = {}
    sums: dict[int, list[int]] = {}  # per plan year: held back, paid, forfeited, pending
    for s in result.settlements():
        spans.setdefault(s.year, f"{s.first} to {s.last}")
        amounts = sums.setdefault(s.year, [0, 0, 0, 0])
        held = currency.to_minor(s.held)
        amounts[0] += held
        amounts[{"paid": 1, "forfeited": 2, "pending": 3}[s.status.value]] += held
    rows = [
        (str(year), spans[year], *(currency.format(v) for v in amounts))
        for year, amounts in sums.items()
    ]
    return [
        "",
        "## Held back, plan year by plan year",
        "",
        f"{percent_text(plan.holdback)} of every line is held back until the end of its "
        "month's plan year (each run of 12 plan months from the start; a last, shorter year "
        "ends with the plan), and paid then to those still in the plan; those who left "
        "before forfeit it.",
        "",
        *md_table(
            ["Plan year", "Months", f"Held back ({code})", f"Paid ({code})",
             f"Forfeited ({code})", f"Pending ({code})"],
            "llrrrr",
            rows,
        ),
    ]  # fmt: skip


def _corrections_section(result: Result) -> list[str]:
    """The closed months and the corrections of them (a plan whose ledger has closed months).

    Each corrected month with the month that carries its corrections, how many
    members it corrects and by how much in all; then what became of the
    overpayments, and what is left to recover (a leaver's debt counted apart).
    """
    ledger = result.ledger
    if ledger is None:
        return []
    currency = result.plan.currency
    code = currency.code
    span = ledger.closed_span
    carrier = (
        f"the first open month, {ledger.first_open}, carries new corrections"
        if ledger.first_open is not None
        else "every month of the plan is closed: new corrections have no month to carry them"
    )
    out = [
        "## Closed months and corrections",
        "",
        f"Closed in the payment ledger: {span}; {carrier}. What a closed month paid never "
        "changes: when its inputs change (a restated actual or target, a late roster change), "
        "each member's correction is what the month pays now less what was paid for it, part "
        "by part, carried in a later month and labelled with the month it corrects. The months "
        f"above show what the current inputs pay. {overpayment_rule(ledger)}",
        "",
    ]
    groups: dict[tuple[str, str, str], list[int]] = {}
    for c in result.corrections:
        carried = str(c.carried_in) if c.carried_in is not None else "after the plan"
        key = (str(c.corrects), carried, "paid" if c.closed else "due")
        found = groups.setdefault(key, [0, 0, 0])
        found[0] += 1
        found[1] += c.total
        found[2] += c.paid
    if not groups:
        return [*out, "No closed month has changed: there is no correction.", ""]
    out += md_table(
        ["Corrects", "Carried in", "Status", "Members", f"Correction ({code})",
         f"Paid with the month ({code})"],
        "lllrrr",
        [
            (corrects, carried, status, f"{count:,}", currency.format(total),
             currency.format(paid))
            for (corrects, carried, status), (count, total, paid) in groups.items()
        ],
    )  # fmt: skip
    recoveries = result.recoveries
    overpaid = sum(r.overpaid for r in recoveries)
    absorbed = sum(r.absorbed for r in recoveries)
    deducted = sum(r.deducted for r in recoveries)
    owed = [o for o in ledger.outstanding if o.owed_by_leaver]
    to_deduct = [o for o in ledger.outstanding if not o.owed_by_leaver]

    def members(items: Sequence[object]) -> str:
        return f"{len(items):,} {'member' if len(items) == 1 else 'members'}"

    out += [
        "",
        f"Overpayments so far: {currency.format(overpaid)} {code}; absorbed by the company "
        f"{currency.format(absorbed)} {code}; deducted from payments "
        f"{currency.format(deducted)} {code}; still to deduct from the next payments "
        f"{currency.format(sum(o.amount for o in to_deduct))} {code} ({members(to_deduct)}); "
        f"still owed by leavers {currency.format(sum(o.amount for o in owed))} {code} "
        f"({members(owed)}).",
        "",
    ]
    return out


def _pool_label(plan: Plan) -> str:
    """The months table's pool column: the shared goal's alone in a plan with goals."""
    if not plan.weighted:
        return "Pool"
    return "Shared pool" if plan.funding is FundingStyle.POOL else "Shared lines"


def _goal_section(result: Result) -> list[str]:
    """Each functional goal's month: target, actual, attainment, factor, gate and pool."""
    plan = result.plan
    if not plan.weighted:
        return []
    currency = plan.currency
    code = currency.code
    metrics = {m.name: m for m in plan.functional.metrics}
    rows: list[tuple[str, ...]] = []
    for index, m in enumerate(result.months):
        if m.status is MonthStatus.PAID and m.goals:
            rows += [
                (str(m.month), md(g.goal.key), number_text(g.target), str(g.actual),
                 percent_cell(g.attainment), factor_cell(g.factor),
                 "closed" if g.gated or g.goal_gated else "open", currency.format(g.pool))
                for g in m.goals
            ]  # fmt: skip
            continue
        for goal in plan.goals:
            month = metrics[goal.metric].months[index]
            actual = "" if month.actual is None else str(month.actual)
            rows.append(
                (str(m.month), md(goal.key), number_text(month.target), actual, "", "",
                 "pending", "")
            )  # fmt: skip
    pool = (
        "its own pool, round(pool at target x factor x (1 - the team's shared weight) x "
        "the goal's weight x the team's share of the month's total weight)"
        if plan.funding is FundingStyle.POOL
        else "the sum of its members' lines"
    )
    gates = plan.functional.gates
    gate_text = (
        f" The functional gate is {percent_text(gates.functional)} of the {md(plan.metric)} "
        "target: in a month below it, no functional part pays (gate closed)."
        if gates.functional is not None
        else ""
    )
    shared_gate = ""
    if gates.shared is not None:
        closed = [
            f"{m.month} ({', '.join(t)})" for m in result.months if (t := shared_gated(plan, m))
        ]
        shared_gate = (
            f" The shared gate is {percent_text(gates.shared)}: a team's shared part pays only "
            "in a month where each of its goals reaches it; it closed "
            + ("; ".join(closed) if closed else "no team's shared part so far")
            + "."
        )
    own_gates = "".join(
        f" {md(goal.key)} has a gate of its own: it pays only in a month with "
        f"{md(goal.gate.describe())}."
        for goal in plan.goals
        if goal.gate is not None
    )
    return [
        "## Functional goals",
        "",
        *md_table(
            ["Month", "Goal", "Target", "Actual", "Attainment", "Factor", "Gate", f"Pool ({code})"],
            "llrrrrlr",
            rows,
        ),
        "",
        f"Each goal pays at the factor its own curve gives for its attainment, from {pool}; "
        f"its part is shared among its team only.{gate_text}{shared_gate}{own_gates}",
        "",
    ]


def _caps_note(result: Result) -> list[str]:
    """What the caps are (a plan with caps)."""
    plan = result.plan
    caps = plan.functional.caps
    if not caps.any:
        return []
    currency = plan.currency
    code = currency.code
    limits = cap_limits(plan)
    total = sum(m.capped for m in result.months)
    return [
        f"Caps: nobody is paid more than {' or '.join(limits)} (a plan year is each run of "
        "12 plan months from the start); what a cap cuts is not paid to anyone. Cut so far: "
        f"{currency.format(total)} {code}.",
        "",
    ]


def _weighting_section(result: Result) -> list[str]:
    """Each team's weighting: nominal (exact), wanted, expected and realised shared weight."""
    plan = result.plan
    if not plan.weighted:
        return []
    currency = plan.currency
    code = currency.code
    realised = {r.team: r for r in realised_weights(result)}
    goals = {t.team: ", ".join(f"{md(g.metric)} x {number_text(g.weight)}" for g in t.goals)
             for t in plan.functional.terms}  # fmt: skip

    def weight_cell(value: Fraction | None) -> str:
        if value is None:
            return ""
        return f"{percent_text(value, 2)} ({value.numerator}/{value.denominator})"

    rows = []
    for w in result.calibration.weights:
        earned = realised.get(w.team)
        rows.append(
            (
                md(w.team),
                goals.get(w.team) or "none",
                weight_cell(w.nominal),
                "" if w.wanted is None else percent_text(w.wanted, 2),
                "" if w.expected is None else percent_text(w.expected, 2),
                weight_cell(earned.weight if earned is not None else None),
                _money(currency, w.shared_expected),
                _money(currency, w.functional_expected),
                "" if earned is None else currency.format(earned.shared),
                "" if earned is None else currency.format(earned.functional),
            )
        )
    return [
        "",
        "## Weighting",
        "",
        *md_table(
            [
                "Team",
                "Functional goals (weight)",
                "Nominal shared weight",
                "Wanted split",
                "Expected shared weight",
                "Realised shared weight",
                f"Expected shared ({code})",
                f"Expected functional ({code})",
                f"Shared earned ({code})",
                f"Functional earned ({code})",
            ],
            "llrrrrrrrr",
            rows,
        ),
        "",
        "A member of a team earns its shared weight w x the shared part + (1 - w) x the "
        "team's functional goals. The nominal weight is the plan's (given, or solved exactly "
        "for the wanted split); the expected weight is the share of what the team can expect "
        "to earn that comes from the shared goal, over the historical scenarios; the realised "
        "weight is that share of what it earned in the months paid so far. Expected and "
        "earned figures are before caps.",
    ]


def _forfeited_rows(result: Result, between: int) -> list[tuple[str, ...]]:
    """Below the teams' paid column, where leavers forfeited held-back amounts: what they
    forfeited and the cost to date (the plan summary's paid to date), which the lines'
    totals exceed by it. ``between`` is the number of columns between Members and Paid."""
    summary = result.summary
    if not summary.forfeited_to_date:
        return []
    currency = result.plan.currency
    blank = ("",) * between
    return [
        ("Less held back and forfeited by leavers", "", *blank,
         currency.format(-summary.forfeited_to_date)),
        ("**Cost to date**", "", *blank, f"**{currency.format(summary.paid_to_date)}**"),
    ]  # fmt: skip


def _team_parts_table(result: Result, teams: dict[str, tuple[int, int]]) -> list[str]:
    """What each team earned from the shared goal and its own goals, the cuts, and was paid."""
    plan = result.plan
    currency = plan.currency
    code = currency.code
    team_of = [m.team for m in plan.members]
    earned = {team: [0, 0, 0] for team in teams}  # shared, functional, cut
    for month in result.months:
        if month.status is MonthStatus.PENDING:
            continue
        figures = month.lines.figures
        for team, index in zip(
            _teams_in(plan, month.month, team_of), month.lines.of_member, strict=True
        ):
            line = figures[index]
            sums = earned[team]
            sums[0] += line.shared
            sums[1] += sum(part for _, part in line.functional)
            sums[2] += line.capped
    weighted = plan.weighted
    capped = plan.functional.caps.any
    rows = [
        (
            md(team),
            f"{count:,}",
            *((currency.format(earned[team][0]), currency.format(earned[team][1]))
              if weighted else ()),
            *((currency.format(earned[team][2]),) if capped else ()),
            currency.format(paid),
        )
        for team, (count, paid) in teams.items()
    ]  # fmt: skip
    total = [sum(e[i] for e in earned.values()) for i in range(3)]
    rows.append(
        (
            "**All**",
            f"**{len(plan.members):,}**",
            *((f"**{currency.format(total[0])}**", f"**{currency.format(total[1])}**")
              if weighted else ()),
            *((f"**{currency.format(total[2])}**",) if capped else ()),
            f"**{currency.format(sum(paid for _, paid in teams.values()))}**",
        )
    )  # fmt: skip
    rows += _forfeited_rows(result, 2 * weighted + capped)
    headers = [
        "Team",
        "Members",
        *((f"Shared ({code})", f"Functional ({code})") if weighted else ()),
        *((f"Capped ({code})",) if capped else ()),
        f"Paid to date ({code})",
    ]
    return md_table(headers, "l" + "r" * (len(headers) - 1), rows)


def _split_notes(result: Result) -> list[str]:
    plan = result.plan
    unit = f"{plan.currency.from_minor(1)} {plan.currency.code}"
    if plan.weighted:
        return [_weighted_split_note(result)]
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


def _weighted_split_note(result: Result) -> str:
    """How each part of a month is made and split, for a plan with functional goals."""
    plan = result.plan
    unit = f"{plan.currency.from_minor(1)} {plan.currency.code}"
    if plan.funding is FundingStyle.INDIVIDUAL:
        return (
            "Individual funding: each member's target bonus for the month (annual target bonus "
            "x the multiplier / 12 x weight) gives each part: the shared part at the team's "
            "shared weight x the shared factor, each goal's part at (1 - the shared weight) x "
            f"the goal's weight x its factor, each line rounded to the nearest {unit} by "
            "itself; a part's paid amount is the sum of its lines."
        )
    weight = {
        Split.EQUAL: "weight",
        Split.SALARY: "weight x annual salary",
        Split.TARGET_BONUS: "weight x annual target bonus",
    }[plan.split]
    return (
        "Weight is FTE x days active / days in the month. The shared pool is round(pool at "
        "target x shared factor x the sum over teams of the team's shared weight x its share "
        "of the month's total weight) and is split by each member's "
        f"{weight} x their team's shared weight; each goal's pool is split among its team by "
        f"{weight}. Everybody gets their exact share rounded down to {unit}, and the units "
        "left over go one each to the members with the largest remainders, equal remainders "
        "to the lower member id."
    )
