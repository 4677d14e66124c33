"""A lead's part in a figure, in words: what a person checks in the CRM.

:func:`lead_facts` says what one lead did that matters to one metric -- when
it was delivered and handled, how many hours that took, whether it became
sales-qualified in time, what it won and whether it was marketing generated
-- and :func:`counts_in` whether it counts in the figure's numerator.

>>> from datetime import datetime, timezone
>>> from jointbonus.leads.metrics import measure
>>> from jointbonus.leads.model import Lead, LeadExport
>>> t = lambda day, hour: datetime(2026, 1, day, hour, tzinfo=timezone.utc)
>>> metrics = measure(LeadExport([Lead("A", t(5, 9), True, accepted=t(7, 15))]), t(31, 0))
>>> lead = metrics.export.lead("A")
>>> counts_in(metrics, lead, "followed_up_48h")
False
>>> lead_facts(metrics, lead, "followed_up_48h")
'delivered 2026-01-05 09:00 UTC; accepted 2026-01-07 15:00 UTC, 54.0 hours after (limit 48 hours)'
"""

from __future__ import annotations

from jointbonus.leads.clocks import HOUR_US
from jointbonus.leads.metrics import LeadMetrics
from jointbonus.leads.model import Lead

__all__ = ["counts_in", "lead_facts"]


def _tenths(us: int) -> str:
    """Microseconds as hours with one decimal, rounded half up: ``89.8``."""
    tenths = (20 * us + HOUR_US) // (2 * HOUR_US)
    return f"{tenths // 10}.{tenths % 10}"


def counts_in(metrics: LeadMetrics, lead: Lead, metric: str) -> bool:
    """Whether ``lead`` counts in the numerator of ``metric``'s figure for its month."""
    if metric == "leads_delivered":
        return True
    if metric == "leads_accepted":
        return lead.accepted is not None
    if metric == "followed_up_48h":
        return metrics.in_time(lead)
    if metric == "rejected_without_reason":
        return lead.rejected_without_reason
    if metric == "median_response_hours":
        return lead.handled is not None
    if metric == "sal_to_sql":
        return metrics.qualified_in_time(lead)
    return lead.marketing


def _handling(metrics: LeadMetrics, lead: Lead) -> str:
    shown = metrics.export.zone.shown
    clock = metrics.clock
    text = f"delivered {shown(lead.delivered)}"
    handled = lead.handled
    if handled is not None:
        what = "accepted" if handled == lead.accepted else f"rejected ({lead.reason})"
        hours = _tenths(metrics.response_us(lead) or 0)
        text += f"; {what} {shown(handled)}, {hours} {clock.unit} after (limit {clock.describe()})"
    else:
        due = shown(clock.closes(lead.delivered))
        text += f"; not accepted nor rejected with a reason (due by {due})"
    if lead.rejected is not None and lead.reason is None:
        text += f"; rejected {shown(lead.rejected)} without a reason"
    return text


def lead_facts(metrics: LeadMetrics, lead: Lead, metric: str) -> str:
    """What ``lead`` did that matters to ``metric``, in words (module docstring)."""
    shown = metrics.export.zone.shown
    if metric not in {"sal_to_sql", "marketing_revenue_share"}:
        return _handling(metrics, lead)
    if metric == "sal_to_sql":
        if lead.accepted is None:
            return f"delivered {shown(lead.delivered)}; not accepted"
        deadline = metrics.deadline(lead)
        became = (
            "not sales-qualified" if lead.qualified is None else f"sales-qualified {lead.qualified}"
        )
        return f"accepted {shown(lead.accepted)}; {became} (counts by {deadline})"
    source = "marketing generated" if lead.marketing else "not marketing generated"
    attribution = (
        f"attribution {lead.attribution}" if lead.attribution is not None else "attribution empty"
    )
    return f"won {lead.won} for {lead.amount}; {source}; {attribution}"
