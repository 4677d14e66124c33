"""Hypothesis strategies for lead exports: leads as the CRM would export them.

:func:`lead_exports` draws a :class:`Drawn` export: up to 30 leads delivered
over four months of 2024 that hold both daylight-saving changes of Europe
and North America (and a leap day), many in the last days of a month, each
accepted, rejected (with or without
a reason), both or neither, at any time from the minute of delivery to days
later; sales-qualified and won at any time after; marketing generated or
not, with or without an attribution. The export's rows are written as
Salesforce's columns would hold them, every time with one of several UTC
offsets; the plan time zone is UTC, Europe/Berlin or America/New_York, and
the "as of" instant anywhere from before the first delivery to long after
the last, often in the days just after a month's end.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

from hypothesis import strategies as st

from jointbonus.leads import SALESFORCE

START = datetime(2024, 1, 15, tzinfo=UTC)
SPAN_MINUTES = 120 * 24 * 60
OFFSETS = (
    UTC,
    timezone(timedelta(hours=1)),
    timezone(timedelta(hours=-5)),
    timezone(timedelta(hours=5, minutes=30)),
)
ZONES = (None, "Europe/Berlin", "America/New_York")
COLUMNS = tuple(SALESFORCE.columns().values())


@dataclass(frozen=True)
class Spec:
    """One lead's facts, its times as instants."""

    id: str
    delivered: datetime
    marketing: bool
    accepted: datetime | None
    rejected: datetime | None
    reason: str
    qualified: datetime | None
    won: datetime | None
    amount: Decimal | None
    attribution: str


@dataclass(frozen=True)
class Drawn:
    """A drawn export: its leads, plan time zone, "as of" instant, and an offset per cell."""

    specs: tuple[Spec, ...]
    time_zone: str | None
    as_of: datetime
    offsets: tuple[timezone, ...] = field(default=(UTC,))

    def rows(self, offsets: Sequence[timezone] | None = None) -> list[dict[str, str]]:
        """The export's rows, the n-th time written with the n-th offset (cycling)."""
        chosen = list(offsets or self.offsets)
        count = 0

        def text(moment: datetime | None) -> str:
            nonlocal count
            if moment is None:
                return ""
            count += 1
            return moment.astimezone(chosen[count % len(chosen)]).isoformat()

        rows = []
        for spec in self.specs:
            won = spec.won is not None
            rows.append(
                {
                    "Lead ID": spec.id,
                    "Created Date": text(spec.delivered),
                    "Lead Source": "Web" if spec.marketing else "Partner Referral",
                    "Status": "",
                    "Accepted Date": text(spec.accepted),
                    "Rejected Date": text(spec.rejected),
                    "Rejection Reason": spec.reason,
                    "Converted Date": text(spec.qualified),
                    "Stage": "Closed Won" if won else "",
                    "Close Date": text(spec.won),
                    "Amount": "" if spec.amount is None else str(spec.amount),
                    "Primary Campaign Source": spec.attribution,
                }
            )
        return rows

    def csv(self, rows: Sequence[dict[str, str]], columns: Sequence[str] = COLUMNS) -> str:
        """CSV text of ``rows`` with ``columns`` in that order."""
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row[column] for column in columns])
        return buffer.getvalue()


def _minutes(low: int, high: int) -> st.SearchStrategy[timedelta]:
    return st.integers(low, high).map(lambda m: timedelta(minutes=m))


#: The ends of the months the leads span (UTC): many leads arrive just before one.
MONTH_ENDS = tuple(datetime(2024, month, 1, tzinfo=UTC) for month in range(2, 6))


def _moments() -> st.SearchStrategy[datetime]:
    """Instants of the four months, a third of them in the last three days of a month."""
    anywhere = _minutes(0, SPAN_MINUTES).map(lambda d: START + d)
    month_end = st.tuples(st.sampled_from(MONTH_ENDS), _minutes(1, 3 * 24 * 60)).map(
        lambda end: end[0] - end[1]
    )
    return st.one_of(anywhere, anywhere, month_end)


@st.composite
def lead_specs(draw: st.DrawFn, lead_id: str) -> Spec:
    delivered = draw(_moments())
    accepted = draw(st.none() | _minutes(0, 6 * 24 * 60).map(lambda d: delivered + d))
    rejected = draw(st.none() | _minutes(0, 6 * 24 * 60).map(lambda d: delivered + d))
    reason = draw(st.sampled_from(("", "", "Duplicate", "No budget"))) if rejected else ""
    start = accepted or delivered
    qualified = draw(st.none() | _minutes(0, 70 * 24 * 60).map(lambda d: start + d))
    won = draw(st.none() | _minutes(0, 90 * 24 * 60).map(lambda d: delivered + d))
    amount = (
        draw(st.integers(0, 10**9).map(lambda cents: Decimal(cents).scaleb(-2)))
        if won is not None
        else None
    )
    return Spec(
        id=lead_id,
        delivered=delivered,
        marketing=draw(st.booleans()),
        accepted=accepted,
        rejected=rejected,
        reason=reason,
        qualified=qualified,
        won=won,
        amount=amount,
        attribution=draw(st.sampled_from(("", "Spring Webinar", "Trade Show"))),
    )


@st.composite
def lead_exports(draw: st.DrawFn, max_leads: int = 30) -> Drawn:
    count = draw(st.integers(0, max_leads))
    specs = tuple(draw(lead_specs(f"L{index:03d}")) for index in range(count))
    return Drawn(
        specs=specs,
        time_zone=draw(st.sampled_from(ZONES)),
        as_of=draw(
            st.one_of(
                _minutes(-24 * 60, SPAN_MINUTES + 200 * 24 * 60).map(lambda d: START + d),
                st.tuples(st.sampled_from(MONTH_ENDS), _minutes(-24 * 60, 4 * 24 * 60)).map(
                    lambda near: near[0] + near[1]
                ),
            )
        ),
        offsets=tuple(draw(st.lists(st.sampled_from(OFFSETS), min_size=1, max_size=4))),
    )
