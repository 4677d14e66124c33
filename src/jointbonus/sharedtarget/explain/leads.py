"""A functional goal whose actuals come from the leads: how the lead counts make the actual.

For a metric a plan takes from its lead export (``source = "leads"``), the
goal's actual is a lead figure of the month. These figures say which: the
count over the count (numerator and denominator, as the leads give them),
the exact share and the six decimals the plan takes, the window that made it
final, and the export and "as of" instant; :func:`leads_step` lists every
lead behind the figure, each with where it was read and what it did.
"""

from __future__ import annotations

from jointbonus.core.periods import Month
from jointbonus.leads.describe import counts_in, lead_facts
from jointbonus.leads.metrics import Figure as LeadFigure
from jointbonus.sharedtarget.explain.model import Figure, Step
from jointbonus.sharedtarget.explain.text import fraction_text, ratio_text
from jointbonus.sharedtarget.plan import LeadSources, Plan

__all__ = ["lead_actual_figures", "lead_source", "leads_step"]


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
    files = ", ".join(source.files)
    return (
        Figure(
            "lead_counts",
            f"Leads ({name})",
            f"{figure.numerator}"
            + ("" if figure.denominator is None else f" / {figure.denominator}"),
            f"{_counted(source, figure, month)}: {exact}",
            None if value is None or isinstance(value, int) else fraction_text(value),
        ),
        Figure(
            "lead_window",
            "Window",
            "pending" if figure.pending else "final",
            f"{figure.window}; {state}, as of {zone.shown(measured.as_of)}",
        ),
        Figure(
            "lead_export",
            "Lead export",
            f"{len(measured.export):,} leads",
            f"{files}, read with the {source.mapping} mapping in {zone.label}; "
            "`jointbonus explain ... --leads` lists the leads behind the figure",
        ),
    )


def leads_step(plan: Plan, metric: str, month: Month) -> Step | None:
    """Every lead behind ``metric``'s figure for ``month``: counted or not, and why."""
    found = lead_source(plan, metric)
    if found is None:
        return None
    source, name = found
    measured = source.measured
    trace = measured.trace(month, name)
    ids = trace.denominator or trace.numerator
    counted = set(trace.numerator)
    figures = []
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
    return Step(
        f"leads.{metric}",
        f"The {len(ids):,} leads behind {metric} for {month}",
        tuple(figures),
    )
