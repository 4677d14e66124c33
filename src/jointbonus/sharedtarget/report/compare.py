"""Two designs side by side for people and programs: a table, a JSON document, a picture.

Every view reads a :class:`~jointbonus.sharedtarget.compare.Comparison` and
computes no money. Each figure has a row; the columns are design A, design
B and the difference B - A (signed: ``+1,234.56``; a chance's difference in
percentage points, ``+2.1 pts``).

* :func:`render_comparison_table`: the terminal table, amounts as the other
  tables write them (``138,882.31``), chances and weights as percentages;
* :func:`comparison_document`: the same figures as JSON-ready data, in the
  conventions of the other documents (amounts as decimal strings in the plan
  currency, rounded half away from zero from their exact values; ratios with
  six decimals), headed by its format, :data:`COMPARISON_FORMAT`;
* :func:`comparison_svg`: one SVG file without any dependency, three charts
  drawn by :mod:`.html_charts` (the cost of the year, the teams' expected
  earnings, last year month by month), every text escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

from tabulate import tabulate

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, percent_text, round_half_up
from jointbonus.sharedtarget.compare import Comparison, Design, comparison_argument
from jointbonus.sharedtarget.plan import FundingStyle
from jointbonus.sharedtarget.report.documents import exact_text, plan_document, ratio_text
from jointbonus.sharedtarget.report.html_charts import compact, grouped_chart
from jointbonus.sharedtarget.report.html_parts import esc
from jointbonus.sharedtarget.risk import RiskMethod

__all__ = [
    "COMPARISON_FORMAT",
    "comparison_document",
    "comparison_svg",
    "render_comparison_table",
]

#: The format of :func:`comparison_document`, its first key; it changes when a key does.
COMPARISON_FORMAT = 1


def _number(value: Fraction) -> str:
    text = decimal_text(value, 6).rstrip("0").rstrip(".")
    return text or "0"


def _amount(currency: Currency, units: Fraction | int) -> str:
    """Minor units as a decimal string in the currency, rounded half away from zero."""
    return decimal_text(Fraction(units) / currency.scale, currency.minor_unit)


def _chance(value: Fraction | None) -> str | None:
    return None if value is None else decimal_text(value, 6)


# -- the table ---------------------------------------------------------------------


def _money(currency: Currency) -> Callable[[Fraction | int], str]:
    def money(units: Fraction | int) -> str:
        return currency.format(units if isinstance(units, int) else round_half_up(units))

    return money


def _money_difference(currency: Currency, units: Fraction | int) -> str:
    rounded = units if isinstance(units, int) else round_half_up(units)
    return "+" + currency.format(rounded) if rounded > 0 else currency.format(rounded)


def _points(value: Fraction | None, places: int = 1) -> str:
    """A difference of chances or shares in percentage points: ``+2.1 pts``."""
    if value is None:
        return ""
    text = decimal_text(value * 100, places)
    return f"+{text} pts" if round_half_up(value * 100 * 10**places) > 0 else f"{text} pts"


def _percent(value: Fraction | None, places: int = 1) -> str:
    return "" if value is None else percent_text(value, places)


def _method(design: Design) -> str:
    year = design.risk.year
    if year.method is RiskMethod.EXACT:
        return "exact"
    return f"bootstrap, {year.years:,} years, seed {year.seed}"


def render_comparison_table(comparison: Comparison) -> str:
    """The two designs side by side for people: one row a figure, columns A, B, B - A."""
    comparison = comparison_argument(comparison)
    a, b = comparison.designs
    currency = a.plan.currency
    code = currency.code
    money = _money(currency)
    differences = comparison.differences()

    def diff(units: Fraction | int) -> str:
        return _money_difference(currency, units)

    head = tabulate(
        [
            *_design_rows("A", a),
            *_design_rows("B", b),
            ("Cost of the year", f"A {_method(a)}; B {_method(b)}"),
            (
                "Assumption",
                "each plan month performs like one historical month, each equally likely, "
                "drawn independently",
            ),
        ],
        tablefmt="plain",
        disable_numparse=True,
    )
    rows: list[list[str]] = [
        [f"Budget ({code})", money(a.budget), money(b.budget), diff(differences.budget)],
        [
            f"Expected cost ({code})",
            money(a.expected_cost),
            money(b.expected_cost),
            diff(differences.expected_cost),
        ],
    ]
    for percent, difference in zip(comparison.percentiles, differences.percentiles, strict=True):
        rows.append(
            [
                f"Percentile {_number(percent)} ({code})",
                money(a.percentile(percent)),
                money(b.percentile(percent)),
                diff(difference),
            ]
        )
    rows += [
        [
            "Chance above the budget",
            percent_text(a.chance_above_budget, 2),
            percent_text(b.chance_above_budget, 2),
            _points(differences.chance_above_budget, 2),
        ],
        [
            "Hit rate (shared target)",
            percent_text(a.hit_rate),
            percent_text(b.hit_rate),
            _points(differences.hit_rate),
        ],
    ]
    for index, team in enumerate(comparison.teams):
        x, y = a.weighting[index], b.weighting[index]
        rows += [
            [
                f"{team}: nominal shared weight",
                percent_text(x.nominal, 2),
                percent_text(y.nominal, 2),
                _points(differences.nominal_weights[index], 2),
            ],
            [
                f"{team}: expected shared split",
                _percent(x.expected, 2),
                _percent(y.expected, 2),
                _points(differences.expected_weights[index], 2),
            ],
        ]
    for index, team in enumerate(comparison.teams):
        rows.append(
            [
                f"{team}: expected earnings ({code})",
                money(a.teams[index].expected),
                money(b.teams[index].expected),
                diff(differences.teams[index]),
            ]
        )
    rows += _last_year_rows(comparison, money, diff)
    parts = [
        head,
        "",
        tabulate(
            rows,
            headers=["", "A", "B", "B - A"],
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
        ),
        "",
        f"Expected earnings per member ({code}), over the plan",
        tabulate(
            [
                [
                    x.member_id,
                    x.team,
                    money(x.expected),
                    money(y.expected),
                    diff(difference),
                ]
                for x, y, difference in zip(a.members, b.members, differences.members, strict=True)
            ],
            headers=["Member", "Team", "A", "B", "B - A"],
            colalign=("left", "left", "right", "right", "right"),
            disable_numparse=True,
        ),
        "",
        "Chance of a hit, period by period",
        tabulate(
            [
                [str(month), _percent(x), _percent(y), _points(d)]
                for month, x, y, d in zip(
                    [m.month for m in a.plan.months],
                    a.hit_chances,
                    b.hit_chances,
                    differences.hit_chances,
                    strict=True,
                )
                if x is not None or y is not None
            ],
            headers=["Month", "A", "B", "B - A"],
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
        ),
    ]
    parts += _last_year_table(comparison, money, diff)
    return "\n".join(parts) + "\n"


def _design_rows(name: str, design: Design) -> list[tuple[str, str]]:
    """The design in words: its label, curve and funding, and each later version's curve."""
    plan = design.plan
    rows = [
        (name, design.label),
        (f"{name}'s curve", plan.curve.describe()),
        (f"{name}'s funding", _funding(design)),
    ]
    for version in plan.versions:
        rows.append((f"{name} from {version.start}", version.design.curve.describe()))
    if plan.versions and plan.weighted:
        rows.append(
            (f"{name}'s weighting", "below: its first version's (see jointbonus calibrate)")
        )
    return rows


def _funding(design: Design) -> str:
    plan = design.plan
    if plan.funding is FundingStyle.POOL:
        return f"pool, split {plan.split.value}"
    return "individual"


def _last_year_rows(
    comparison: Comparison,
    money: Callable[[Fraction | int], str],
    diff: Callable[[Fraction | int], str],
) -> list[list[str]]:
    a, b = comparison.designs
    code = a.plan.currency.code
    total = comparison.differences().last_year_total
    rows = [
        [
            f"Last year replayed ({code})",
            "" if a.last_year is None else money(a.last_year.total),
            "" if b.last_year is None else money(b.last_year.total),
            "" if total is None else diff(total),
        ]
    ]
    old = a.last_year.old_paid if a.last_year is not None else None
    if old is not None:
        rows.append([f"Old plan paid, same months ({code})", money(old), money(old), ""])
    return rows


def _last_year_table(
    comparison: Comparison,
    money: Callable[[Fraction | int], str],
    diff: Callable[[Fraction | int], str],
) -> list[str]:
    a, b = comparison.designs
    code = a.plan.currency.code
    if a.last_year is None or b.last_year is None:
        note = a.last_year_note or b.last_year_note
        return ["", f"Last year: not replayed: {note}"]
    differences = comparison.differences().last_year or ()
    rows = [
        [
            str(x.month),
            "" if x.historical is None else str(x.historical),
            money(x.cost),
            money(y.cost),
            diff(d),
        ]
        for x, y, d in zip(a.last_year.months, b.last_year.months, differences, strict=True)
    ]
    return [
        "",
        f"Last year replayed ({code}): the plan's first year, each period as the latest "
        "historical one, to the plan's roster",
        tabulate(
            rows,
            headers=["Month", "Performs as", "A", "B", "B - A"],
            colalign=("left", "left", "right", "right", "right"),
            disable_numparse=True,
        ),
    ]


# -- the document ------------------------------------------------------------------


def _design_document(comparison: Comparison, design: Design) -> dict[str, Any]:
    plan = design.plan
    currency = plan.currency
    year = design.risk.year
    error = year.mean_standard_error
    last = design.last_year
    return {
        "label": design.label,
        "plan": plan_document(plan),
        "budget": _amount(currency, design.budget),
        "expected_cost": _amount(currency, design.expected_cost),
        "cost": {
            "method": year.method.value,
            "years": year.years,
            "seed": year.seed,
            "mean": _amount(currency, year.mean),
            "mean_standard_error": None if error is None else _amount(currency, error),
            "percentiles": [
                {"percent": _number(p), "cost": _amount(currency, design.percentile(p))}
                for p in comparison.percentiles
            ],
            "chance_above_budget": _chance(design.chance_above_budget),
        },
        "hit_rate": ratio_text(design.hit_rate),
        "hit_chances": [
            {"period": str(m.month), "chance": _chance(c)}
            for m, c in zip(plan.months, design.hit_chances, strict=True)
        ],
        "weighting": [
            {
                "team": w.team,
                "nominal": ratio_text(w.nominal),
                "nominal_exact": exact_text(w.nominal),
                "expected": ratio_text(w.expected),
            }
            for w in design.weighting
        ],
        "teams": [
            {"team": t.team, "expected": _amount(currency, t.expected)} for t in design.teams
        ],
        "members": [
            {"member_id": m.member_id, "team": m.team, "expected": _amount(currency, m.expected)}
            for m in design.members
        ],
        "last_year": None
        if last is None
        else {
            "months": [
                {
                    "period": str(m.month),
                    "performs_as": None if m.historical is None else str(m.historical),
                    "attainment": ratio_text(m.attainment),
                    "hit": m.hit,
                    "cost": _amount(currency, m.cost),
                }
                for m in last.months
            ],
            "total": _amount(currency, last.total),
            "old_paid": None if last.old_paid is None else _amount(currency, last.old_paid),
        },
        "last_year_note": design.last_year_note or None,
    }


def comparison_document(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data: ``comparison`` (the format), ``currency``,
    ``percentiles``, ``a``, ``b`` and ``differences`` (B - A)."""
    comparison = comparison_argument(comparison)
    a, b = comparison.designs
    currency = a.plan.currency
    d = comparison.differences()

    def amounts(values: Sequence[Fraction | int]) -> list[str]:
        return [_amount(currency, v) for v in values]

    return {
        "comparison": COMPARISON_FORMAT,
        "currency": currency.code,
        "percentiles": [_number(p) for p in comparison.percentiles],
        "a": _design_document(comparison, a),
        "b": _design_document(comparison, b),
        "differences": {
            "budget": _amount(currency, d.budget),
            "expected_cost": _amount(currency, d.expected_cost),
            "percentiles": [
                {"percent": _number(p), "cost": _amount(currency, v)}
                for p, v in zip(comparison.percentiles, d.percentiles, strict=True)
            ],
            "chance_above_budget": _chance(d.chance_above_budget),
            "hit_rate": ratio_text(d.hit_rate),
            "hit_chances": [
                {"period": str(m.month), "chance": _chance(c)}
                for m, c in zip(a.plan.months, d.hit_chances, strict=True)
            ],
            "weighting": [
                {"team": team, "nominal": ratio_text(n), "expected": ratio_text(e)}
                for team, n, e in zip(
                    comparison.teams, d.nominal_weights, d.expected_weights, strict=True
                )
            ],
            "teams": [
                {"team": team, "expected": text}
                for team, text in zip(comparison.teams, amounts(d.teams), strict=True)
            ],
            "members": [
                {"member_id": m.member_id, "expected": text}
                for m, text in zip(a.members, amounts(d.members), strict=True)
            ],
            "last_year": None
            if d.last_year is None or d.last_year_total is None
            else {
                "months": [
                    {"period": str(m.month), "cost": text}
                    for m, text in zip(a.plan.months, amounts(d.last_year), strict=True)
                ],
                "total": _amount(currency, d.last_year_total),
            },
        },
    }


# -- the picture -------------------------------------------------------------------

#: The picture's width; each chart is drawn across it.
SVG_WIDTH = 720
_CHART_HEIGHT = 200
_STYLE = (
    "text { font: 10px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; "
    "fill: #1b1f24; text-anchor: middle; } "
    "text.title { font-size: 14px; font-weight: 600; text-anchor: start; } "
    "text.heading { font-size: 12px; font-weight: 600; text-anchor: start; } "
    "text.legend, text.note { text-anchor: start; } text.note { fill: #5b636e; } "
    "text.value { font-size: 8px; } "
    ".axis { stroke: #1b1f24; stroke-width: 1; } "
    ".reference { stroke: #1b1f24; stroke-dasharray: 4 3; stroke-width: 1; } "
    ".part.s0, .swatch.s0 { fill: #1f5fae; } .part.s1, .swatch.s1 { fill: #e07b00; }"
)


def comparison_svg(comparison: Comparison) -> str:
    """The comparison as one SVG document: the cost of the year (expected, percentiles,
    last year) against the budget, the teams' expected earnings, and last year month by
    month; design A in blue, B in orange. Needs nothing to draw."""
    comparison = comparison_argument(comparison)
    a, b = comparison.designs
    currency = a.plan.currency
    code = currency.code

    def major(units: Fraction | int) -> Fraction:
        return Fraction(units) / currency.scale

    def pair(x: Fraction | int, y: Fraction | int) -> list[tuple[Fraction, str]]:
        return [(major(x), compact(major(x))), (major(y), compact(major(y)))]

    cost_groups = [("Expected", pair(a.expected_cost, b.expected_cost))]
    cost_groups += [
        (f"P{_number(p)}", pair(a.percentile(p), b.percentile(p))) for p in comparison.percentiles
    ]
    if a.last_year is not None and b.last_year is not None:
        cost_groups.append(("Last year", pair(a.last_year.total, b.last_year.total)))
    team_groups = [
        (x.team, pair(x.expected, y.expected)) for x, y in zip(a.teams, b.teams, strict=True)
    ]
    budget_note = (
        f"dashed line: the budget, {currency.format(a.budget)} {code}"
        if a.budget == b.budget
        else f"dashed line: A's budget, {currency.format(a.budget)} {code} "
        f"(B's: {currency.format(b.budget)})"
    )
    charts: list[tuple[str, str, Any]] = [
        (
            f"Cost of the year ({code})",
            budget_note,
            lambda at: grouped_chart(
                f"Cost of the year ({code})",
                cost_groups,
                reference=major(a.budget),
                width=SVG_WIDTH,
                at=at,
            ),
        ),
        (
            f"Expected earnings per team over the plan ({code})",
            "",
            lambda at: grouped_chart(
                f"Expected earnings per team ({code})", team_groups, width=SVG_WIDTH, at=at
            ),
        ),
    ]
    if a.last_year is not None and b.last_year is not None:
        month_groups = [
            (str(x.month), pair(x.cost, y.cost))
            for x, y in zip(a.last_year.months, b.last_year.months, strict=True)
        ]
        first = a.last_year.months[0].month
        charts.append(
            (
                f"Last year replayed, month by month ({code})",
                f"plan months from {first}, each performing as the latest historical one",
                lambda at: grouped_chart(
                    f"Last year replayed ({code})", month_groups, width=SVG_WIDTH, at=at
                ),
            )
        )
    out: list[str] = []
    y = 24
    out.append(f'<text class="title" x="8" y="{y}">{esc("Two designs side by side")}</text>')
    for series, design in enumerate(comparison.designs):
        y += 20
        name = "A" if series == 0 else "B"
        out.append(f'<rect class="swatch s{series}" x="8" y="{y - 10}" width="12" height="12"/>')
        out.append(f'<text class="legend" x="26" y="{y}">{esc(f"{name}: {design.label}")}</text>')
    for heading, note, draw in charts:
        y += 30
        out.append(f'<text class="heading" x="8" y="{y}">{esc(heading)}</text>')
        if note:
            y += 14
            out.append(f'<text class="note" x="8" y="{y}">{esc(note)}</text>')
        out.append(draw((20, y + 4)))
        y += 4 + _CHART_HEIGHT
    height = y + 12
    width = SVG_WIDTH + 40
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{esc(f"Two designs side by side: {a.label} and {b.label}")}">'
        f"<title>{esc(f'Two designs side by side: {a.label} (A) and {b.label} (B)')}</title>"
        f"<style>{_STYLE}</style>"
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>' + "".join(out) + "</svg>\n"
    )
