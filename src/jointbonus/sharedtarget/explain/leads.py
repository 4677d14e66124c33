"""A functional goal whose actuals come from the leads: how the lead counts make the actual.

For a metric a plan takes from its lead export (``source = "leads"``), the
goal's actual is a lead figure of the month. These figures say which: the
count over the count (numerator and denominator, as the leads give them),
the exact share and the six decimals the plan takes, the window that made it
final, and the export and "as of" instant; :func:`leads_step` lists every
lead behind the figure, each with where it was read and what it did.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import summed_actuals
from jointbonus.leads.describe import counts_in, lead_facts
from jointbonus.leads.metrics import SHARES
from jointbonus.leads.metrics import Figure as LeadFigure
from jointbonus.sharedtarget.explain.model import Figure, Step
from jointbonus.sharedtarget.explain.text import fraction_text, ratio_text
from jointbonus.sharedtarget.plan import LeadSources, Plan

__all__ = ["lead_actual_figures", "lead_period_figures", "lead_source", "leads_step"]


def lead_source(plan: Plan, metric: str) -> tuple[LeadSources, str] | None:
    """The plan's lead export and the lead figure ``metric`` is, or ``None`` (not from leads)."""
    source = plan.provenance.leads if plan.provenance is not None else None
    if source is None or metric not in source.metrics:
        return None
    return source, source.metrics[metric]


def _counted(source: LeadSources, figure: LeadFigure, month: Month) -> str:
    """What the numerator and the denominator of ``figure`` count, in words."""
    measured = source.measured
    zone = measured.export.zone.label
    n, d = figure.numerator, figure.denominator
    delivered = f"leads delivered to sales in {month} ({zone})"
    return {
        "leads_delivered": f"{n} {delivered}",
        "leads_accepted": f"{n} of the {d} {delivered} were accepted by sales",
        "followed_up_48h": f"{n} of the {d} {delivered} were accepted, or rejected with a "
        f"reason, within {measured.clock.describe()}",
        "sal_to_sql": f"{n} of the {d} leads accepted in {month} ({zone}) became "
        "sales-qualified within one calendar month of their acceptance",
        "marketing_revenue_share": f"{n} of the {d} won in {month} ({zone}) came from "
        "marketing-generated leads",
    }.get(figure.metric, f"{n} / {d}")


def lead_actual_figures(plan: Plan, metric: str, month: Month) -> tuple[Figure, ...]:
    """The goal's actual as the leads make it: the counts, the window, the export."""
    found = lead_source(plan, metric)
    if found is None:
        return ()
    source, name = found
    measured = source.measured
    figure = measured.figure(month, name)
    value = figure.value
    if value is None:
        exact = "nothing to divide by, so no share: the leads give this month no actual"
    elif isinstance(value, int):
        exact = "a count, taken as it is"
    else:
        exact = (
            f"{figure.numerator}/{figure.denominator} = {ratio_text(value)}, taken to six decimals"
        )
    zone = measured.export.zone
    state = (
        f"pending: it closes {zone.shown(figure.closes)}"
        if figure.pending
        else f"final: it closed {zone.shown(figure.closes)}"
    )
    return (
        Figure(
            "lead_counts",
            f"Leads ({name})",
            _counts_text(figure),
            f"{_counted(source, figure, month)}: {exact}",
            None if value is None or isinstance(value, int) else fraction_text(value),
        ),
        Figure(
            "lead_window",
            "Window",
            "pending" if figure.pending else "final",
            f"{figure.window}; {state}, as of {zone.shown(measured.as_of)}",
        ),
        _export_figure(source),
    )


def _counts_text(figure: LeadFigure) -> str:
    """A figure's counts: ``160 / 190``, or a count alone."""
    denominator = "" if figure.denominator is None else f" / {figure.denominator}"
    return f"{figure.numerator}{denominator}"


def _export_figure(source: LeadSources) -> Figure:
    measured = source.measured
    return Figure(
        "lead_export",
        "Lead export",
        f"{len(measured.export):,} leads",
        f"{', '.join(source.files)}, read with the {source.mapping} mapping in "
        f"{measured.export.zone.label}; `jointbonus explain ... --leads` lists the leads "
        "behind the figure",
    )


def lead_period_figures(
    plan: Plan, metric: str, months: Sequence[Month], label: str
) -> tuple[Figure, ...]:
    """The goal's actual over a longer period as the leads make it: each month's counts,
    the period's (summed), the windows and the export.

    A share's period figure is its counts summed, numerator over denominator: the
    period's share of its leads, not its months' shares summed or averaged.
    """
    found = lead_source(plan, metric)
    if found is None:
        return ()
    source, name = found
    measured = source.measured
    zone = measured.export.zone
    figures = [measured.figure(month, name) for month in months]
    rows = [
        Figure(
            f"lead_counts.{figure.month}",
            f"Leads {figure.month}",
            _counts_text(figure),
            _counted(source, figure, figure.month)
            + (f" (pending: it closes {zone.shown(figure.closes)})" if figure.pending else ""),
        )
        for figure in figures
    ]
    part = summed_actuals([Decimal(f.numerator) for f in figures]) or Decimal(0)
    if name not in SHARES:  # a count: the actuals summed
        total = Figure(
            "lead_counts",
            f"Leads ({name})",
            str(part),
            f"the months' counts summed over {label}: a count, taken as it is",
        )
    else:
        whole = summed_actuals([Decimal(f.denominator or 0) for f in figures]) or Decimal(0)
        share = Fraction(part) / Fraction(whole) if whole else None
        total = Figure(
            "lead_counts",
            f"Leads ({name})",
            f"{part} / {whole}",
            f"the months' counts summed over {label}: "
            + (
                f"{part}/{whole} = {ratio_text(share)}, the period's share of its leads "
                "(its months' shares are not what is summed)"
                if share is not None
                else "nothing to divide by, so no share: the period has no actual"
            ),
            None if share is None else fraction_text(share),
        )
    pending = [f for f in figures if f.pending]
    last = max(figures, key=lambda f: f.closes)
    state = (
        f"pending: {pending[0].month} closes {zone.shown(pending[0].closes)}"
        if pending
        else f"final: the last closed {zone.shown(last.closes)}"
    )
    return (
        *rows,
        total,
        Figure(
            "lead_window",
            "Window",
            "pending" if pending else "final",
            f"{figures[0].window}, each month's; {state}, as of {zone.shown(measured.as_of)}",
        ),
        _export_figure(source),
    )


def leads_step(plan: Plan, metric: str, months: Sequence[Month]) -> Step | None:
    """Every lead behind ``metric``'s figures for ``months`` (one month, or a goal's
    period): counted or not, and why."""
    found = lead_source(plan, metric)
    if found is None:
        return None
    source, name = found
    measured = source.measured
    figures = []
    total = 0
    for month in months:
        trace = measured.trace(month, name)
        ids = trace.denominator or trace.numerator
        total += len(ids)
        counted = set(trace.numerator)
        for lead_id in ids:
            lead = measured.export.lead(lead_id)
            counts = lead_id in counted and counts_in(measured, lead, name)
            figures.append(
                Figure(
                    f"lead.{lead_id}",
                    lead_id,
                    "counts" if counts else "does not count",
                    f"{lead.source}: {lead_facts(measured, lead, name)}",
                )
            )
    span = str(months[0]) if len(months) == 1 else f"{months[0]} to {months[-1]}"
    return Step(
        f"leads.{metric}",
        f"The {total:,} leads behind {metric} for {span}",
        tuple(figures),
    )
