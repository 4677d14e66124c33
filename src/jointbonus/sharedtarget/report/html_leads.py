"""The lead sections of the HTML transparency page: the funnel, the SLA, the review list.

For a plan that takes functional actuals from a lead export (``[leads]``),
:func:`lead_sections` shows, for each plan month, the figures both teams
are paid on, measured the same way for both from the same leads:

* the funnel: leads delivered to sales, accepted by sales, rejected
  without a reason, marketing's share of the revenue won, and a chart of
  the plan months so far (delivered, accepted, sales-qualified within a
  month of acceptance);
* the SLA: the share of the month's leads accepted, or rejected with a
  reason, within 48 hours (as the plan counts them), against the target of
  the goal that measures it, the median response and SAL to SQL;
* the review list: how many leads broke each rule each month, and every
  one of them, with where it was read.

A figure whose window is still open is marked ``*`` (pending). A plan
without a lead export has no lead section: its functional figures were
typed in its files.
"""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

from jointbonus.core.number import decimal_text, percent_text
from jointbonus.core.periods import Month
from jointbonus.leads.metrics import Figure, LeadMetrics
from jointbonus.leads.review import ReviewRule, review_list
from jointbonus.sharedtarget.plan import LeadSources, Plan
from jointbonus.sharedtarget.report.html_charts import Bar, bar_chart, funnel_chart
from jointbonus.sharedtarget.report.html_parts import Markup, esc, section, table, tag
from jointbonus.sharedtarget.results import Result

__all__ = ["RULE_NAMES", "lead_sections", "month_label"]

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

#: How the page names each rule of the review list.
RULE_NAMES = {
    ReviewRule.NOT_HANDLED: "Not handled in time",
    ReviewRule.REJECTED_WITHOUT_REASON: "Rejected without a reason",
    ReviewRule.NOT_QUALIFIED: "Not sales-qualified within a month",
    ReviewRule.MISSING_ATTRIBUTION: "Won from marketing, attribution empty",
}


def month_label(month: Month) -> str:
    """A month's short name under a chart's bar: ``Mar``."""
    return _MONTHS[month.month - 1]


def _share(figure: Figure) -> str:
    value = figure.value
    text = "-" if value is None else percent_text(Fraction(value), 1)
    return text + (" *" if figure.pending else "")


def _count(figure: Figure) -> str:
    text = f"{figure.numerator:,}" + (
        "" if figure.denominator is None else f" / {figure.denominator:,}"
    )
    return text + (" *" if figure.pending else "")


def _hours(figure: Figure) -> str:
    value = figure.value
    text = "-" if value is None else decimal_text(Fraction(value), 1)
    return text + (" *" if figure.pending else "")


def _owners(plan: Plan, source: LeadSources) -> dict[str, list[str]]:
    """Each lead figure's goals: ``{"followed_up_48h": ["sales"]}``."""
    owners: dict[str, list[str]] = {}
    for goal in plan.goals:
        figure = source.metrics.get(goal.metric)
        if figure is not None:
            owners.setdefault(figure, []).append(goal.team)
    return owners


def _targets(plan: Plan, source: LeadSources, figure: str) -> dict[Month, Fraction]:
    """The monthly targets of the plan metric that takes ``figure`` from the leads."""
    for metric in plan.functional.metrics:
        if source.metrics.get(metric.name) == figure:
            return {m.month: m.target for m in metric.months}
    return {}


def lead_sections(result: Result) -> list[Markup]:
    """The funnel, the SLA and the review list of a plan measured from leads (module)."""
    plan = result.plan
    source = plan.provenance.leads if plan.provenance is not None else None
    if source is None:
        return []
    measured = source.measured
    months = [m.month for m in result.months]
    figures = {month: {f.metric: f for f in measured.figures(month)} for month in months}
    owners = _owners(plan, source)
    hours = measured.clock.describe()

    def owned(text: str, figure: str) -> str:
        teams = owners.get(figure)
        return f"{text} (goal of {', '.join(teams)})" if teams else text

    zone = measured.export.zone
    about = tag(
        "p",
        f"Measured from {', '.join(source.files)} ({len(measured.export):,} leads, the "
        f"{source.mapping} mapping), months and days in {zone.label}, as of "
        f"{zone.shown(measured.as_of)}. A figure marked * is pending: its window was still "
        "open then, and it may change.",
    )
    funnel_rows = [
        (
            str(month),
            _count(f["leads_delivered"]),
            _count(f["leads_accepted"]),
            _share_of(f["leads_accepted"]),
            _count(f["rejected_without_reason"]),
            _share(f["marketing_revenue_share"]),
        )
        for month, f in figures.items()
    ]
    funnel = section(
        "funnel",
        "The leads: each team's funnel",
        about,
        _funnel_chart(measured, months),
        table(
            [
                "Month",
                owned("Delivered", "leads_delivered"),
                owned("Accepted", "leads_accepted"),
                "Accepted share",
                owned("Rejected without a reason", "rejected_without_reason"),
                owned("Marketing's share of won revenue", "marketing_revenue_share"),
            ],
            funnel_rows,
            align="lrrrrr",
        ),
    )
    sla_targets = _targets(plan, source, "followed_up_48h")
    bars = []
    for month, f in figures.items():
        figure = f["followed_up_48h"]
        value = None if figure.value is None else Fraction(figure.value)
        target = sla_targets.get(month)
        kind = "plain" if target is None or value is None else "hit" if value >= target else "miss"
        bars.append(
            Bar(
                month_label(month),
                value,
                "-" if value is None else percent_text(value, 0),
                "pending" if figure.pending else kind,
                target,
            )
        )
    sla_rows = [
        (
            str(month),
            _count(f["followed_up_48h"]),
            _share(f["followed_up_48h"]),
            "" if month not in sla_targets else percent_text(sla_targets[month], 1),
            _hours(f["median_response_hours"]),
            _count(f["sal_to_sql"]),
            _share(f["sal_to_sql"]),
        )
        for month, f in figures.items()
    ]
    sla = section(
        "sla",
        f"The SLA: leads handled within {hours}",
        tag(
            "p",
            f"A lead is handled when sales accepts it, or rejects it with a reason; the SLA is "
            f"met for a lead handled within {hours} of its delivery. A rejection without a "
            "reason does not handle it. SAL to SQL: of the leads accepted in the month, those "
            "that became sales-qualified within one calendar month.",
        ),
        Markup(
            '<figure class="chart">'
            + bar_chart(f"Share of leads handled within {hours}, by month", bars)
            + tag(
                "figcaption",
                f"Share of each month's leads handled within {hours}"
                + ("; the mark across a bar is the month's target." if sla_targets else "."),
            )
            + "</figure>"
        ),
        table(
            [
                "Month",
                owned(f"Handled within {hours}", "followed_up_48h"),
                "SLA compliance",
                "Target",
                owned("Median response (hours)", "median_response_hours"),
                owned("SAL to SQL within a month", "sal_to_sql"),
                "SAL to SQL share",
            ],
            sla_rows,
            align="lrrrrrr",
        ),
    )
    return [funnel, sla, _review_section(measured, months, hours)]


def _share_of(figure: Figure) -> str:
    """The accepted share of the month's delivered leads."""
    if not figure.denominator:
        return "-"
    return percent_text(Fraction(int(figure.numerator), int(figure.denominator)), 1) + (
        " *" if figure.pending else ""
    )


def _funnel_chart(measured: LeadMetrics, months: list[Month]) -> Markup:
    delivered = accepted = qualified = accepted_in = 0
    for month in months:
        delivered += int(measured.figure(month, "leads_delivered").numerator)
        accepted += int(measured.figure(month, "leads_accepted").numerator)
        sal = measured.figure(month, "sal_to_sql")
        qualified += int(sal.numerator)
        accepted_in += int(sal.denominator or 0)

    def of(part: int, whole: int, what: str) -> str:
        if not whole:
            return f"{part:,}"
        return f"{part:,}, {percent_text(Fraction(part, whole), 1)} of {what}"

    steps = [
        ("Delivered to sales", delivered, f"{delivered:,}"),
        ("Accepted by sales", accepted, of(accepted, delivered, "delivered")),
        ("Sales-qualified in a month", qualified, of(qualified, accepted_in, "accepted")),
    ]
    first, last = months[0], months[-1]
    title = f"The funnel, {first} to {last}"
    return Markup(
        '<figure class="chart">'
        + funnel_chart(title, steps)
        + tag(
            "figcaption",
            f"{title}: leads delivered and accepted by month of delivery, sales-qualified by "
            "month of acceptance.",
        )
        + "</figure>"
    )


def _review_section(measured: LeadMetrics, months: list[Month], hours: str) -> Markup:
    """How many leads broke each rule each plan month, and every one of them."""
    plan_months = set(months)
    rows = [row for row in review_list(measured) if row.month in plan_months]
    counts = Counter((row.month, row.rule) for row in rows)
    rules = list(ReviewRule)
    names = [RULE_NAMES[rule] for rule in rules]
    names[0] = f"Not handled within {hours}"
    count_rows = [
        (str(month), *(f"{counts[(month, rule)]:,}" for rule in rules)) for month in months
    ]
    count_rows.append(("All", *(f"{sum(counts[(m, rule)] for m in months):,}" for rule in rules)))
    listed = table(
        ["Lead", "Month", "Rule", "What happened", "Read from"],
        [
            (
                row.lead_id,
                str(row.month),
                names[rules.index(row.rule)],
                row.details,
                row.source,
            )
            for row in rows
        ],
        align="lllll",
    )
    return section(
        "review",
        "The review list",
        tag(
            "p",
            "Every lead that breaks a rule both teams are paid on, once its own window has "
            "closed: not handled in time, rejected without a reason, accepted but not "
            "sales-qualified within a month, or won from a marketing-generated lead whose "
            "attribution field is empty (its revenue still counts for marketing).",
        ),
        table(["Month", *names], count_rows, align="l" + "r" * len(rules)),
        Markup(
            f"<details><summary>{esc(f'All {len(rows):,} leads on the review list')}</summary>\n"
            + listed
            + "\n</details>"
        ),
    )
