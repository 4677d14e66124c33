"""The transparency report: the page both teams see.

:func:`render_transparency_report` shows each month's target and where it
came from, the actual, the attainment, hit or miss, the payout factor, the
pool and how it was split (members sharing, total weight, the share of a
full-time member present all month, the leftover minor units and who received
them), the pending months, the calibration evidence, the year so far against
the norm, and what each team was paid. Every figure comes from the
:class:`~jointbonus.results.Result`, so the report and the members'
statements work from the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from jointbonus.frame import Cohort
from jointbonus.money import Currency, GroupShare
from jointbonus.number import decimal_text, percent_text, round_half_up
from jointbonus.pages import (
    factor_cell,
    leaver_rule,
    md,
    md_table,
    percent_cell,
    plan_sentences,
    plan_teams,
    scale_text,
)
from jointbonus.plan import FundingStyle, Split
from jointbonus.results import MonthResult, MonthStatus, Result
from jointbonus.roster import FTE_SCALE

__all__ = ["NAMED_LEFTOVERS", "render_transparency_report"]

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


def _result_word(month: MonthResult) -> str:
    return {True: "hit", False: "miss", None: "pending"}[month.hit]


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
        receivers = _list([md(members[p].id) for p in bumped]) if bumped else "nobody"
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
    paid: dict[str, int] = {team: 0 for team in plan_teams(plan)}
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
        "## Months",
        "",
    ]
    out += md_table(
        ["Month", f"Target ({code})", "Target source", f"Actual ({code})", "Attainment",
         "Result", "Factor", f"Pool ({code})", f"Paid ({code})"],
        "lrlrrlrrr",
        [
            (
                str(m.month),
                currency.format(currency.round_to_minor(m.plan_month.target)),
                md(m.plan_month.target_source),
                ""
                if m.plan_month.actual is None
                else currency.format(currency.round_to_minor(Fraction(m.plan_month.actual))),
                percent_cell(m.attainment),
                _result_word(m),
                factor_cell(m.factor),
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
    out += md_table(headers, align, rows)
    out += ["", *_split_notes(result), "", "## Calibration", ""]
    scale_label = (
        f"Pool at target per month ({code})"
        if plan.funding is FundingStyle.POOL
        else "Target bonus multiplier"
    )
    how = "solved for neutrality" if calibration.calibrated else "fixed by the plan"
    out += md_table(
        ["Figure", "Value"],
        "ll",
        [
            (f"Budget ({code})",
             f"{currency.format(calibration.budget)} ({md(plan.budget.source)})"),
            ("Neutrality", plan.neutrality.value.replace("_", " ")),
            (scale_label, f"{scale_text(result).removesuffix(' ' + code)} ({how}; exact "
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
    out += md_table(
        ["Month", "Attainment at norm", "Chance of paying", "Mean factor",
         f"Expected cost ({code})"],
        "lrrrr",
        [
            (str(e.month), percent_cell(e.norm_attainment), percent_cell(e.hit_rate),
             factor_cell(e.mean_factor), _money(currency, e.expected_cost))
            for e in calibration.months
        ],
    )  # fmt: skip
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
        (md(team), f"{count:,}", currency.format(paid)) for team, (count, paid) in teams.items()
    ]
    team_rows.append(
        ("**All**", f"**{len(plan.members):,}**", f"**{currency.format(s.paid_to_date)}**")
    )
    out += md_table(["Team", "Members", f"Paid to date ({code})"], "lrr", team_rows)
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
