"""The lead metrics as a table, CSV text and a JSON-ready document.

Every format writes the same figures the same way:

* a count as a whole number (``"128"``);
* a share or a median as a decimal with six places, rounded half away from
  zero from its exact value (``"0.943662"``), and the exact value beside it
  as ``numerator/denominator`` (``"67/71"``);
* an amount as the export wrote it, summed exactly (``"1523400.00"``);
* a value that does not exist (a share of nothing) as empty (``null`` in
  JSON);
* ``status`` ``final`` or ``pending``, and the instant the window closes in
  UTC (``2026-02-02T09:00:00Z``).

One row per month and metric, months in order and metrics in
:data:`~jointbonus.leads.metrics.METRICS` order.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from tabulate import tabulate

from jointbonus.core.number import decimal_text
from jointbonus.io.cells import csv_text
from jointbonus.leads.metrics import Figure, LeadMetrics

__all__ = [
    "METRIC_COLUMNS",
    "METRIC_NUMBERS",
    "PLACES",
    "metric_rows",
    "metrics_csv",
    "metrics_document",
    "metrics_table",
]

#: Decimals of a share or a median.
PLACES = 6

#: The columns of :func:`metrics_csv`, and those of them that hold numbers.
METRIC_COLUMNS = (
    "month", "metric", "value", "exact", "numerator", "denominator", "status", "closes",
)  # fmt: skip
METRIC_NUMBERS = ("value", "numerator", "denominator")


def _number(value: int | Fraction | Decimal | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, Fraction):
        return decimal_text(value, PLACES)
    return str(value)


def _exact(value: int | Fraction | Decimal | None) -> str | None:
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    return None


def _instant(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ") if not value.microsecond else value.isoformat()


def metric_rows(metrics: LeadMetrics) -> list[tuple[str | None, ...]]:
    """Every figure as a row of :data:`METRIC_COLUMNS` cells (``None``: empty)."""
    rows: list[tuple[str | None, ...]] = []
    for month in metrics.months:
        for figure in metrics.figures(month):
            rows.append(
                (
                    str(month),
                    figure.metric,
                    _number(figure.value),
                    _exact(figure.value),
                    _number(figure.numerator),
                    _number(figure.denominator),
                    "pending" if figure.pending else "final",
                    _instant(figure.closes),
                )
            )
    return rows


def metrics_csv(metrics: LeadMetrics) -> str:
    """The figures as CSV text with :data:`METRIC_COLUMNS`, cells safe from formulas."""
    return csv_text(METRIC_COLUMNS, metric_rows(metrics), METRIC_NUMBERS)


def _figure_document(figure: Figure) -> dict[str, Any]:
    return {
        "value": _number(figure.value),
        "exact": _exact(figure.value),
        "numerator": _number(figure.numerator),
        "denominator": _number(figure.denominator),
        "status": "pending" if figure.pending else "final",
        "closes": _instant(figure.closes),
        "window": figure.window,
    }


def metrics_document(metrics: LeadMetrics) -> dict[str, Any]:
    """The figures as a JSON-ready dictionary: the rules, then each month's figures by metric."""
    return {
        "time_zone": metrics.export.zone.label,
        "as_of": _instant(metrics.as_of),
        "handling": metrics.clock.describe(),
        "leads": len(metrics.export),
        "months": [
            {
                "month": str(month),
                "figures": {f.metric: _figure_document(f) for f in metrics.figures(month)},
            }
            for month in metrics.months
        ],
    }


def metrics_table(metrics: LeadMetrics) -> str:
    """A plain-text table for people: one row per month, one column per metric, ``*`` pending."""
    shown = ("leads_delivered", "leads_accepted", "followed_up_48h", "rejected_without_reason",
             "median_response_hours", "sal_to_sql", "marketing_revenue_share")  # fmt: skip
    headers = ["month", "delivered", "accepted", "48h", "no reason", "median h", "SAL->SQL",
               "marketing rev."]  # fmt: skip
    rows = []
    for month in metrics.months:
        cells: list[str] = [str(month)]
        for metric in shown:
            figure = metrics.figure(month, metric)
            value = figure.value
            if value is None:
                text = "-"
            elif isinstance(value, Fraction) and metric == "median_response_hours":
                text = decimal_text(value, 1)
            elif isinstance(value, Fraction):
                text = f"{decimal_text(value * 100, 1)}%"
            else:
                text = str(value)
            cells.append(text + ("*" if figure.pending else ""))
        rows.append(cells)
    table = tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True,
                     colalign=("left", *("right",) * len(shown)))  # fmt: skip
    return f"{table}\n* pending: its window is still open\n"
