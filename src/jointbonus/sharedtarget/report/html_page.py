"""The transparency page: one self-contained HTML file both teams open in a browser.

:func:`render_transparency_page` shows what the Markdown report shows (see
:mod:`.transparency`), made to be looked at: the shared target month by
month, hit or miss, with a chart of each month's attainment; the pool and
how it was split, with a chart of what each team was paid; each team's
functional goals; for a plan measured from a lead export, each team's
funnel, the SLA and the review list (:mod:`.html_leads`); and the
calibration that makes the plan cost what the old bonuses cost.

The file needs nothing else: its style sheet is in it, its charts are
inline SVG, it uses the reader's own fonts, runs no script and loads
nothing (its content security policy forbids it). It reads on a phone (a
table becomes one card a row on a narrow screen; long words wrap) and
prints. Every text is escaped (:mod:`.html_parts`).
"""

from __future__ import annotations

from fractions import Fraction

from jointbonus.core.number import decimal_text, percent_text, round_half_up
from jointbonus.sharedtarget.plan import FundingStyle
from jointbonus.sharedtarget.report.documents import number_text
from jointbonus.sharedtarget.report.html_charts import Bar, bar_chart, stacked_chart
from jointbonus.sharedtarget.report.html_leads import lead_sections, month_label
from jointbonus.sharedtarget.report.html_parts import Markup, esc, section, table, tag
from jointbonus.sharedtarget.report.pages import (
    advance_cells,
    goal_word,
    plan_teams,
    result_word,
    scale_label,
)
from jointbonus.sharedtarget.results import MonthResult, MonthStatus, Result, result_argument

__all__ = ["STYLE", "render_transparency_page"]

#: The page's style sheet: readable from 320 pixels wide up, and on paper.
STYLE = """
:root { color-scheme: light; --ink: #1b1f24; --muted: #5b636e; --line: #d7dbe0;
  --hit: #2e7d32; --miss: #c62828; --pending: #9aa0a6; --s0: #1f5fae; --s1: #e07b00;
  --s2: #6a3d9a; --s3: #00897b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 60rem; padding: 1rem; color: var(--ink);
  font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  overflow-wrap: break-word; }
h1 { font-size: 1.5rem; line-height: 1.2; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 2px solid var(--line); }
p { margin: .5rem 0; }
.muted, figcaption { color: var(--muted); font-size: .9rem; }
dl.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
  gap: .5rem; margin: 1rem 0; }
dl.cards div { border: 1px solid var(--line); border-radius: .4rem; padding: .5rem; }
dl.cards dt { font-size: .8rem; color: var(--muted); }
dl.cards dd { margin: 0; font-size: 1.15rem; font-weight: 600; }
figure.chart { margin: 1rem 0; }
svg.chart { display: block; width: 100%; max-width: 40rem; height: auto; }
svg.chart text { font-size: 10px; fill: var(--ink); text-anchor: middle; }
svg.chart text.step { text-anchor: start; font-size: 12px; }
svg.chart text.end { text-anchor: end; }
svg.chart text.muted, svg.chart text.note { fill: var(--muted); }
svg.chart .axis { stroke: var(--ink); stroke-width: 1; }
svg.chart .reference { stroke: var(--ink); stroke-dasharray: 4 3; stroke-width: 1; }
svg.chart .mark { stroke: var(--ink); stroke-width: 2; }
.bar.hit { fill: var(--hit); } .bar.miss { fill: var(--miss); }
.bar.pending, .bar.inside, .bar.plain { fill: var(--pending); }
.part.s0 { fill: var(--s0); } .part.s1 { fill: var(--s1); }
.part.s2 { fill: var(--s2); } .part.s3 { fill: var(--s3); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .25rem 0;
  list-style: none; font-size: .9rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem;
  vertical-align: -.05rem; }
.swatch.s0 { background: var(--s0); } .swatch.s1 { background: var(--s1); }
.swatch.s2 { background: var(--s2); } .swatch.s3 { background: var(--s3); }
.table { margin: .75rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { padding: .3rem .45rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; }
.l { text-align: left; } .r { text-align: right; font-variant-numeric: tabular-nums; }
td[data-label="Month"] { white-space: nowrap; }
tr.hit td:first-child { box-shadow: inset 4px 0 var(--hit); }
tr.miss td:first-child { box-shadow: inset 4px 0 var(--miss); }
tr.pending td, tr.inside td { color: var(--muted); }
.badge { font-weight: 600; } .badge.hit { color: var(--hit); } .badge.miss { color: var(--miss); }
details summary { cursor: pointer; font-weight: 600; margin: .5rem 0; }
footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
@media (max-width: 40rem) {
  body { padding: .75rem; }
  table, tbody, tr, td { display: block; width: 100%; }
  thead { display: none; }
  tr { border: 1px solid var(--line); border-radius: .4rem; margin: 0 0 .5rem;
    padding: .25rem .5rem; }
  td { display: flex; justify-content: space-between; gap: .75rem; border: 0;
    padding: .15rem 0; text-align: right; overflow-wrap: anywhere; }
  td::before { content: attr(data-label); color: var(--muted); text-align: left;
    flex: 0 1 45%; }
  td.l { text-align: right; }
  tr.hit td:first-child, tr.miss td:first-child { box-shadow: none; }
  tr.hit { border-left: 4px solid var(--hit); } tr.miss { border-left: 4px solid var(--miss); }
}
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; } tr, figure, dl.cards div { break-inside: avoid; }
  details > summary { display: none; }
  svg.chart { max-width: 30rem; }
}
"""

_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def _state(month: MonthResult) -> str:
    """The month's colour: hit, miss, pending, or inside (grey like pending: a month inside
    a longer shared period that a later month pays)."""
    if not month.ends_period and month.status is MonthStatus.PAID:
        return "inside"
    return {True: "hit", False: "miss", None: "pending"}[month.hit]


def _word(month: MonthResult) -> Markup:
    return tag("span", result_word(month), {"class": f"badge {_state(month)}"})


def _cards(result: Result) -> Markup:
    plan = result.plan
    s = result.summary
    code = plan.currency.code
    if plan.period.months == 1:
        hit = ("Months hit", f"{s.months_hit} of {s.months_paid}")
    else:  # the months that end a period paid are the periods decided
        decided = [m for m in result.months if m.ends_period and m.status is MonthStatus.PAID]
        hit = (
            f"{plan.period.noun.capitalize()}s hit",
            f"{sum(1 for m in decided if m.hit)} of {len(decided)}",
        )
    items = [
        hit,
        ("Months pending", f"{s.months_pending}"),
        (f"Paid to date ({code})", plan.currency.format(s.paid_to_date)),
        (f"Budget for the year ({code})", plan.currency.format(s.budget)),
        (f"Cost on current pace ({code})", plan.currency.format(s.cost_on_pace)),
    ]
    inner = "".join(f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>" for k, v in items)
    return Markup(f'<dl class="cards">{inner}</dl>')


def _shared_section(result: Result) -> Markup:
    plan = result.plan
    currency = plan.currency
    code = currency.code
    bars = [
        Bar(
            month_label(m.month),
            m.attainment,
            "-" if m.attainment is None else percent_text(m.attainment, 0),
            _state(m),
        )
        for m in result.months
    ]
    metric = plan.metric
    first, last = result.months[0].month, result.months[-1].month
    title = f"{metric} against its target, {first} to {last}"
    chart = Markup(
        '<figure class="chart">'
        + bar_chart(title, bars, reference=Fraction(1))
        + tag(
            "figcaption",
            f"Each month's {metric} as a share of its target: green a hit (at least 100%, "
            "the dashed line), red a miss; a month with no bar is pending"
            + (
                "."
                if plan.period.months == 1
                else f" or inside a {plan.period.noun} (the bar of the month that ends it is "
                f"the {plan.period.noun}'s summed actual over its summed target)."
            ),
        )
        + "</figure>"
    )
    advancing = plan.advance is not None
    rows = [
        (
            str(m.month),
            currency.format(currency.round_to_minor(m.plan_month.target)),
            ""
            if m.plan_month.actual is None
            else currency.format(currency.round_to_minor(Fraction(m.plan_month.actual))),
            "" if m.attainment is None else percent_text(m.attainment, 2),
            _word(m),
            "" if m.factor is None else decimal_text(m.factor, 4),
            "" if m.pool is None else currency.format(m.pool),
            currency.format(m.paid),
            *(advance_cells(currency, m) if advancing else ()),
        )
        for m in result.months
    ]
    classes = [_state(m) for m in result.months]
    pool = "Shared pool" if plan.weighted else "Pool"
    headers = ["Month", f"Target ({code})", f"Actual ({code})", "Attainment", "Result",
               "Payout factor", f"{pool} ({code})",
               f"Paid, all parts ({code})" if plan.weighted else f"Paid ({code})",
               *((f"Advance ({code})", f"Advances paid ({code})", f"True-up ({code})")
                 if advancing else ())]  # fmt: skip
    return section(
        "shared",
        "The shared target, month by month",
        tag(
            "p",
            f"Both teams share one monthly {metric} target. A month is a hit when its "
            f"attainment (actual / target) reaches 100%; then the month's pool pays, "
            "shared among every member of both teams."
            if plan.period.months == 1
            else f"Both teams share one {metric} target per {plan.period.noun}. A "
            f"{plan.period.noun} is a hit when its attainment (its actuals summed / its "
            f"targets summed) reaches 100%; then its pool pays in the month that ends it, "
            "shared among every member of both teams by their weight over the "
            f"{plan.period.noun}."
            + (
                f" Each team's functional goals are measured over the {plan.period.noun} "
                "too, and paid with its shared part."
                if plan.goals_over_period
                else " Each team's functional goals are paid month by month, the months inside "
                f"a {plan.period.noun} too: their paid column counts them."
                if plan.weighted
                else ""
            ),
        ),
        chart,
        table(headers, rows, align="lrrrlrrr" + "rrr" * advancing, row_classes=classes),
    )


def _team_parts(result: Result) -> tuple[list[str], dict[str, list[list[int]]]]:
    """The teams, and what each was paid each month: ``[shared, functional]`` a month."""
    plan = result.plan
    teams = plan_teams(plan)
    team_of = [m.team for m in plan.members]
    paid = {team: [[0, 0] for _ in result.months] for team in teams}
    for index, month in enumerate(result.months):
        if month.status is MonthStatus.PENDING:
            continue
        figures = month.lines.figures
        for team, at in zip(team_of, month.lines.of_member, strict=True):
            line = figures[at]
            sums = paid.setdefault(team, [[0, 0] for _ in result.months])[index]
            functional = sum(part for _, part in line.functional)
            sums[0] += line.total - functional
            sums[1] += functional
    return list(paid), paid


def _split_section(result: Result) -> Markup:
    plan = result.plan
    currency = plan.currency
    code = currency.code
    teams, paid = _team_parts(result)
    columns = [
        (
            month_label(m.month),
            [sum(paid[team][index]) for team in teams],
            "" if m.status is MonthStatus.PENDING else _short(currency.format(m.paid)),
        )
        for index, m in enumerate(result.months)
    ]
    legend = "".join(
        f'<li><span class="swatch s{index % 4}"></span>{esc(team)}</li>'
        for index, team in enumerate(teams)
    )
    chart = Markup(
        '<figure class="chart">'
        + stacked_chart(f"Paid each month by team ({code})", columns)
        + f'<ul class="legend">{legend}</ul>'
        + tag("figcaption", f"What each team was paid each month, in {code}, every part.")
        + "</figure>"
    )
    names = [split.name for split in next((m.splits for m in result.months if m.splits), ())]
    rows: list[tuple[str, ...]] = []
    for m in result.months:
        if m.status is MonthStatus.PENDING:
            rows.append((str(m.month), *("pending" for _ in names), ""))
            continue
        pools = {split.name: split.pool for split in m.splits}
        rows.append(
            (
                str(m.month),
                *(currency.format(pools.get(name, 0)) for name in names),
                currency.format(m.paid),
            )
        )
    if plan.funding is FundingStyle.POOL:
        how = (
            "Each part's pool is split by weight (FTE x days active / days in the month) "
            "among the members it belongs to: everybody gets their exact share rounded down "
            f"to {currency.from_minor(1)} {code}, and the units left over go one each to the "
            "largest remainders, equal remainders to the lower member id."
        )
    else:
        how = "Each member's line is their own target bonus for the month x the payout factor."
    totals = [
        (
            team,
            f"{sum(1 for m in plan.members if m.team == team):,}",
            currency.format(sum(p[0] for p in paid[team])),
            currency.format(sum(p[1] for p in paid[team])),
            currency.format(sum(sum(p) for p in paid[team])),
        )
        for team in teams
    ]
    return section(
        "split",
        "The pool and how it was split",
        tag("p", how),
        chart,
        table(
            ["Month", *(f"{_part_name(name)} ({code})" for name in names), f"Paid ({code})"],
            rows,
            align="l" + "r" * (len(names) + 1),
        ),
        tag("h3", "Paid to date by team"),
        table(
            ["Team", "Members", f"Shared ({code})", f"Functional ({code})", f"Paid ({code})"],
            totals,
            align="lrrrr",
        ),
    )


def _part_name(name: str) -> str:
    """A part's column: ``Shared pool``, ``Pool of sales/followed_up_48h``."""
    return "Shared pool" if name == "shared" else f"Pool of {name}"


def _short(amount: str) -> str:
    """A chart's total: ``12,345.67`` -> ``12.3k``."""
    whole = int(amount.split(".", maxsplit=1)[0].replace(",", "") or 0)
    if abs(whole) >= 1000:
        return f"{decimal_text(Fraction(whole, 1000), 1)}k"
    return str(whole)


def _goals_section(result: Result) -> Markup | None:
    plan = result.plan
    if not plan.weighted:
        return None
    currency = plan.currency
    code = currency.code
    metrics = {m.name: m for m in plan.functional.metrics}
    parts: list[str] = [
        tag(
            "p",
            "Each team keeps part of its bonus on goals of its own: each goal pays at the "
            "factor its own curve gives for its attainment, and its pool is shared among its "
            "team only.",
        )
    ]
    for team in plan_teams(plan):
        goals = [g for g in plan.goals if g.team == team]
        if not goals:
            continue
        rows = []
        for index, m in enumerate(result.months):
            cells = [str(m.month)]
            for goal in goals:
                found = next((g for g in m.goals if g.goal.key == goal.key), None)
                month = metrics[goal.metric].months[index]
                if m.status is MonthStatus.PAID and found is not None:
                    cells += [
                        f"{found.actual} / {number_text(found.target)}",
                        percent_text(found.attainment, 2),
                        decimal_text(found.factor, 4),
                        currency.format(found.pool),
                    ]
                else:
                    actual = "none yet" if month.actual is None else f"{month.actual}"
                    cells += [
                        f"{actual} / {number_text(month.target)}",
                        "",
                        goal_word(m, result.plan),
                        "",
                    ]
            rows.append(tuple(cells))
        headers = ["Month"]
        for goal in goals:
            headers += [
                f"{goal.metric}: actual / target",
                f"{goal.metric}: attainment",
                f"{goal.metric}: factor",
                f"{goal.metric}: pool ({code})",
            ]
        parts.append(tag("h3", f"{team}: {', '.join(g.metric for g in goals)}"))
        parts.append(table(headers, rows, align="l" + "r" * (len(headers) - 1)))
    return section("goals", "Each team's functional goals", *parts)


def _calibration_section(result: Result) -> Markup:
    plan = result.plan
    currency = plan.currency
    code = currency.code
    calibration = result.calibration
    s = result.summary
    scale = (
        f"{currency.format(currency.round_to_minor(calibration.scale))} {code}"
        if plan.funding is FundingStyle.POOL
        else decimal_text(calibration.scale, 6)
    )
    rows = [
        ("Budget: what the old bonuses cost a year", f"{currency.format(s.budget)} {code}"),
        ("How it was set", plan.budget.source),
        ("Neutrality", plan.neutrality.value.replace("_", " ")),
        (scale_label(plan), scale),
        ("Expected cost at the historical norm",
         f"{currency.format(round_half_up(Fraction(calibration.expected_cost)))} {code}"),
        ("Historical months behind it", f"{calibration.scenarios:,}"),
    ]  # fmt: skip
    return section(
        "calibration",
        "Why the plan costs what the old bonuses cost",
        tag(
            "p",
            "The pool is calibrated so that, at the performance history shows, the plan "
            "costs what the old, separate bonuses cost: beat the norm and the teams earn more, "
            "fall short and they earn less.",
        ),
        table(["Figure", "Value"], rows, align="ll"),
    )


def render_transparency_page(result: Result) -> str:
    """The HTML page both teams see (module docstring): a complete document, as text."""
    result = result_argument(result)
    plan = result.plan
    first, last = result.months[0].month, result.months[-1].month
    body = [
        "<header>",
        tag("h1", f"Transparency: {plan.name}"),
        tag(
            "p",
            f"Both teams see this page: every month from {first} to {last}, its target and "
            "result, the pool and how it was split, from the same run that made every "
            f"member's statement. Amounts in {plan.currency.code}.",
            {"class": "muted"},
        ),
        _cards(result),
        "</header>",
        "<main>",
        _shared_section(result),
        _split_section(result),
    ]
    goals = _goals_section(result)
    if goals is not None:
        body.append(goals)
    body += lead_sections(result)
    body += [
        _calibration_section(result),
        "</main>",
        tag(
            "footer",
            "Made by jointbonus from the plan's files; every figure can be traced to its "
            "inputs with jointbonus explain.",
        ),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        f"<title>{esc(f'Transparency: {plan.name}')}</title>\n"
        f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )
