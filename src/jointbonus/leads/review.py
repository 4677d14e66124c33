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
from datetime import timedelta
from enum import Enum
from itertools import repeat
from typing import NamedTuple

from jointbonus.core.periods import Month
from jointbonus.io.cells import csv_text
from jointbonus.leads.clocks import HOUR_US, ClockHours
from jointbonus.leads.metrics import LeadMetrics
from jointbonus.leads.zone import instant_us

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

    A pass over the export's columns for each rule, comparing instants as
    microseconds; what depends on a day alone (the month it is in, the
    qualifying deadline of an acceptance on it and when that window closes,
    how its times are written) is worked out once per day, and a row's
    details only for the leads listed.
    """
    export = metrics.export
    days = export.days()
    if days is None:
        return ()
    columns, zone, clock = export.columns, export.zone, metrics.clock
    ids, delivered, accepted, rejected = (
        columns.ids,
        columns.delivered,
        columns.accepted,
        columns.rejected,
    )
    reasons, handled, delivered_on = columns.reason, metrics._handled, metrics._delivered_at
    as_of, limit = instant_us(metrics.as_of), clock.limit_us
    shown, position, month_of = days.shown, days.position, days.months
    found: list[tuple[int, str, int, str]] = []
    append = found.append

    if type(clock) is ClockHours:  # the hours run out at the delivery plus the limit
        late = [
            i
            for i, (start, end) in enumerate(zip(delivered, handled, strict=True))
            if start + limit <= as_of and (end is None or end - start > limit)
        ]
    else:
        elapsed, closes = clock.elapsed_us, clock.closes_us
        late = [
            i
            for i, (start, end) in enumerate(zip(delivered, handled, strict=True))
            if (end is None or elapsed(start, end) > limit) and as_of >= closes(start)
        ]
    hours, unit = clock.describe(), clock.unit
    for i in late:
        start, end, at = delivered[i], handled[i], delivered_on[i]
        text = f"delivered {shown(start, at)}; "
        if end is not None:
            what = "accepted" if end == accepted[i] else "rejected with a reason"
            took = _tenths(clock.elapsed_us(start, end))
            text += f"{what} {shown(end, position(end))}, {took} {unit} after (limit {hours})"
        else:
            due = clock.closes_us(start)
            text += (
                f"not accepted nor rejected with a reason by {shown(due, position(due))} ({hours})"
            )
        rejection = rejected[i]
        if rejection is not None and reasons[i] is None:
            text += f"; rejected {shown(rejection, position(rejection))} without a reason"
        append((month_of[at] * 4, ids[i], i, text))

    for i, (rejection, reason) in enumerate(zip(rejected, reasons, strict=True)):
        if rejection is not None and reason is None:
            details = f"rejected {shown(rejection, position(rejection))} without a reason"
            append((month_of[delivered_on[i]] * 4 + 1, ids[i], i, details))

    deadline_of, qualified_on, one_day = metrics._deadline_of, columns.qualified, timedelta(days=1)
    closed = {  # the deadlines whose window has closed
        deadline
        for deadline in set(deadline_of)
        if deadline is not None and as_of >= instant_us(zone.day_start(deadline + one_day))
    }
    unqualified = [
        i
        for i, (deadline, qualified) in enumerate(zip(deadline_of, qualified_on, strict=True))
        if deadline in closed and (qualified is None or qualified > deadline)
    ]
    accepted_on = metrics._accepted_on
    for i in unqualified:
        deadline, qualified, when, day = (
            deadline_of[i],
            qualified_on[i],
            accepted[i],
            accepted_on[i],
        )
        assert when is not None and day is not None
        what = (
            f"became sales-qualified {qualified}, after {deadline}"
            if qualified is not None
            else f"not sales-qualified by {deadline}"
        )
        details = f"accepted {shown(when, position(when))}; {what} (one calendar month)"
        append(((day.year * 12 + day.month - 1) * 4 + 2, ids[i], i, details))

    marketing, attribution, amounts = columns.marketing, columns.attribution, columns.amount
    for i, won in enumerate(columns.won):
        if won is not None and marketing[i] and attribution[i] is None:
            details = (
                f"won {won} for {amounts[i]}; marketing generated, so counted for "
                "marketing, but the attribution field is empty"
            )
            append(((won.year * 12 + won.month - 1) * 4 + 3, ids[i], i, details))

    found.sort()  # (month and rule, lead id): each lead breaks each rule once, so no more compares
    months = {
        number: Month(number // 12, number % 12 + 1)
        for number in {entry[0] >> 2 for entry in found}
    }
    source = columns.source
    return tuple(
        map(
            tuple.__new__,
            repeat(ReviewRow),
            (
                (lead_id, months[key >> 2], _RULES[key & 3], details, source(i))
                for key, lead_id, i, details in found
            ),
        )
    )


#: The rules by their order: a row is found as ``(month * 4 + order, lead id, position,
#: details)``, plain values the garbage collector soon stops following.
_RULES = tuple(ReviewRule)


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
