"""The review list: every lead that breaks one of the rules both teams are paid on.

Each row names the lead, the month whose figure it weighs on, the rule it
breaks and the details a person needs to look into it:

==============================  ============  ==========================================
rule                            month         listed when
==============================  ============  ==========================================
not_handled_within_48h          delivery      the lead's hours ran out (as counted) and it
                                              was not accepted, nor rejected with a
                                              reason, in them
rejected_without_reason         delivery      sales rejected it without giving a reason
not_qualified_within_a_month    acceptance    its month after acceptance has ended and it
                                              did not become sales-qualified in it
missing_attribution             won           it was won, is marketing generated, and the
                                              CRM's attribution field is empty (its
                                              revenue counts for marketing all the same)
==============================  ============  ==========================================

A lead whose window is still open is not listed yet: a lead delivered an
hour before the export is not late. Rows come by month, then in the order of
the rules above, then by lead id. :func:`review_csv` writes them as CSV whose
cells a spreadsheet cannot run as formulas (:mod:`jointbonus.io.cells`);
:func:`review_document` gives them as JSON-ready dictionaries.

>>> from datetime import datetime, timezone
>>> from jointbonus.leads.metrics import measure
>>> from jointbonus.leads.model import Lead, LeadExport
>>> t = lambda day, hour: datetime(2026, 1, day, hour, tzinfo=timezone.utc)
>>> export = LeadExport([Lead("=B7", t(5, 9), True, rejected=t(6, 9))])
>>> rows = review_list(measure(export, as_of=t(20, 0)))
>>> [row.rule.value for row in rows]
['not_handled_within_48h', 'rejected_without_reason']
>>> rows[1].details
'rejected 2026-01-06 09:00 UTC without a reason'
>>> print(review_csv(rows[1:]), end="")
lead_id,month,rule,details,source
'=B7,2026-01,rejected_without_reason,rejected 2026-01-06 09:00 UTC without a reason,(API)
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import Enum
from operator import itemgetter
from typing import NamedTuple

from jointbonus.core.periods import Month
from jointbonus.io.cells import csv_text
from jointbonus.leads.clocks import HOUR_US
from jointbonus.leads.metrics import LeadMetrics
from jointbonus.leads.model import Lead

__all__ = [
    "REVIEW_COLUMNS",
    "ReviewRow",
    "ReviewRule",
    "review_csv",
    "review_document",
    "review_list",
]

#: The columns of :func:`review_csv`, and the keys of :func:`review_document`.
REVIEW_COLUMNS = ("lead_id", "month", "rule", "details", "source")


class ReviewRule(Enum):
    """A rule a lead can break, in the order rows list them."""

    NOT_HANDLED = "not_handled_within_48h"
    REJECTED_WITHOUT_REASON = "rejected_without_reason"
    NOT_QUALIFIED = "not_qualified_within_a_month"
    MISSING_ATTRIBUTION = "missing_attribution"


_ORDER = {rule: index for index, rule in enumerate(ReviewRule)}


class ReviewRow(NamedTuple):
    """One lead breaking one rule; ``source`` is where it was read (``file:line``)."""

    lead_id: str
    month: Month
    rule: ReviewRule
    details: str
    source: str

    def cells(self) -> tuple[str, str, str, str, str]:
        """The row's cells in :data:`REVIEW_COLUMNS` order."""
        return (self.lead_id, str(self.month), self.rule.value, self.details, self.source)


def review_list(metrics: LeadMetrics) -> tuple[ReviewRow, ...]:
    """Every lead of ``metrics``' export that breaks a rule, as of its "as of" instant.

    One pass over the leads: each instant's local day is found once, and
    what depends on a day alone (the month it is in, the qualifying deadline
    of an acceptance on it and when that window closes) is worked out once
    per day.
    """
    rows: list[tuple[int, int, str, ReviewRow]] = []
    zone, as_of, clock = metrics.export.zone, metrics.as_of, metrics.clock
    shown, shown_on, local_day, day_start, month_number = (
        zone.shown,
        zone.shown_on,
        zone.local_day,
        zone.day_start,
        zone.month_number,
    )
    within, closes, deadlines = clock.within, clock.closes, metrics.deadlines()
    not_handled, no_reason = ReviewRule.NOT_HANDLED, ReviewRule.REJECTED_WITHOUT_REASON
    not_qualified, unattributed = ReviewRule.NOT_QUALIFIED, ReviewRule.MISSING_ATTRIBUTION
    late, silent, unqualified, unnamed = (_ORDER[rule] for rule in ReviewRule)
    one_day = timedelta(days=1)
    months: dict[int, Month] = {}
    windows: dict[date, tuple[date, datetime]] = {}
    append = rows.append

    def add(number: int, order: int, rule: ReviewRule, lead: Lead, details: str) -> None:
        month = months.get(number)
        if month is None:
            month = months[number] = Month(number // 12, number % 12 + 1)
        append((number, order, lead.id, ReviewRow(lead.id, month, rule, details, lead.source)))

    for lead in metrics.export.leads:
        delivered, accepted, rejected = lead.delivered, lead.accepted, lead.rejected
        handled = lead.handled
        if (handled is None or not within(delivered, handled)) and as_of >= closes(delivered):
            add(month_number(delivered), late, not_handled, lead, _late(metrics, lead))
        if rejected is not None and lead.reason is None:
            details = f"rejected {shown(rejected)} without a reason"
            add(month_number(delivered), silent, no_reason, lead, details)
        if accepted is not None:
            accepted_on = local_day(accepted)
            window = windows.get(accepted_on)
            if window is None:
                deadline = deadlines(accepted_on)
                window = windows[accepted_on] = (deadline, day_start(deadline + one_day))
            deadline, window_closes = window
            qualified = lead.qualified
            if (qualified is None or qualified > deadline) and as_of >= window_closes:
                what = (
                    f"became sales-qualified {qualified}, after {deadline}"
                    if qualified is not None
                    else f"not sales-qualified by {deadline}"
                )
                details = f"accepted {shown_on(accepted, accepted_on)}; {what} (one calendar month)"
                number = accepted_on.year * 12 + accepted_on.month - 1
                add(number, unqualified, not_qualified, lead, details)
        won = lead.won
        if won is not None and lead.marketing and lead.attribution is None:
            details = (
                f"won {won} for {lead.amount}; marketing generated, so counted for "
                "marketing, but the attribution field is empty"
            )
            add(won.year * 12 + won.month - 1, unnamed, unattributed, lead, details)
    rows.sort()  # (month, rule, lead id): each lead breaks each rule once, so no row compares
    return tuple(map(itemgetter(3), rows))


def _late(metrics: LeadMetrics, lead: Lead) -> str:
    """Why ``lead`` was not handled in time, in words."""
    shown, clock = metrics.export.zone.shown, metrics.clock
    text = f"delivered {shown(lead.delivered)}; "
    handled = lead.handled
    if handled is not None:
        what = "accepted" if handled == lead.accepted else "rejected with a reason"
        text += (
            f"{what} {shown(handled)}, {_tenths(metrics.response_us(lead) or 0)} {clock.unit} "
            f"after (limit {clock.describe()})"
        )
    else:
        closes = metrics.handling_closes(lead)
        text += f"not accepted nor rejected with a reason by {shown(closes)} ({clock.describe()})"
    if lead.rejected is not None and lead.reason is None:
        text += f"; rejected {shown(lead.rejected)} without a reason"
    return text


def _tenths(us: int) -> str:
    """Microseconds as hours with one decimal, rounded half up: ``89.8``."""
    tenths = (20 * us + HOUR_US) // (2 * HOUR_US)
    return f"{tenths // 10}.{tenths % 10}"


def review_csv(rows: Iterable[ReviewRow]) -> str:
    """The rows as CSV text with :data:`REVIEW_COLUMNS`, every cell safe from formulas."""
    return csv_text(REVIEW_COLUMNS, (row.cells() for row in rows))


def review_document(rows: Iterable[ReviewRow]) -> list[dict[str, str]]:
    """The rows as JSON-ready dictionaries keyed by :data:`REVIEW_COLUMNS`."""
    return [dict(zip(REVIEW_COLUMNS, row.cells(), strict=True)) for row in rows]
