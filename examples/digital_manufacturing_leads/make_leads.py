"""Make the lead export of examples/digital_manufacturing_leads: ``data/leads.csv``.

Usage (from the repository's root)::

    python examples/digital_manufacturing_leads/make_leads.py

A synthetic Salesforce export (a lead report with the converted
opportunity's fields, :data:`jointbonus.leads.SALESFORCE`'s columns and a
``Lead Owner`` column it does not read) of the leads delivered to the sales
team from January 2023 to October 2026: the three years of history and the
plan months that have actuals. Read in the plan time zone America/Chicago
as of :data:`AS_OF` (midnight at the start of 1 December 2026 in Chicago),
its monthly figures are those of ``lead_shape.csv`` beside this script (the
functional actuals the plan's CSV files held before the plan took them from
the leads) -- ``leads_accepted`` exactly, ``followed_up_48h`` and
``sal_to_sql`` to within a rounding of one lead -- and the plan takes its
functional actuals from the leads (``[leads]`` in ``plan.toml``).

How each month is made (seeded, so the same seed gives the same bytes):

* about 78% of a month's delivered leads are accepted, the number that
  makes ``leads_accepted``; delivered on working days (weekends
  rarely) between 07:00 and 19:00 Chicago time;
* the others are rejected with a reason, a few without one (listed for
  review), and up to two are never handled;
* of the accepted and reasonably rejected leads, the share
  ``followed_up_48h`` of the month's deliveries is handled within 48
  hours, the rest 49 to 140 hours after delivery;
* by month of acceptance, the share ``sal_to_sql`` of accepted leads
  converts (becomes sales-qualified) within a calendar month; about a third
  of the others convert later, and an accepted lead never converted for two
  months is closed as not converted;
* a converted lead gets an opportunity, closing 15 to 90 days on for 8,000
  to 95,000 dollars: one not yet closed by :data:`AS_OF` is open (its close
  date is the expected one), the others are won (40%) or lost; a won deal from a
  marketing-generated lead carries its campaign as the Primary Campaign
  Source, except about one in eight, which sales left empty;
* 82% of leads are marketing generated (Web, Trade Show, Advertisement,
  Seminar - Internal, Purchased List, Phone Inquiry), the rest come from
  partners, employees and word of mouth.

Nothing happens after :data:`AS_OF`: an event that would is left out (the
lead stays open, the deal stays open). The plan and its other files are not
changed.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from jointbonus.core.periods import Month
from jointbonus.leads import Zone, qualifying_deadline

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUTPUT = DATA / "leads.csv"
#: The monthly figures the export is made to show.
SHAPE = HERE / "lead_shape.csv"
SEED = 2026
TIME_ZONE = "America/Chicago"
#: When the export was taken: midnight at the start of 1 December 2026 in Chicago.
AS_OF = datetime(2026, 12, 1, 6, tzinfo=UTC)
FIRST, LAST = Month(2023, 1), Month(2026, 10)

COLUMNS = (
    "Lead ID", "Created Date", "Lead Source", "Status", "Lead Owner", "Accepted Date",
    "Rejected Date", "Rejection Reason", "Converted Date", "Stage", "Close Date", "Amount",
    "Primary Campaign Source",
)  # fmt: skip

MARKETING = (("Web", 40), ("Trade Show", 12), ("Advertisement", 10), ("Seminar - Internal", 8),
             ("Purchased List", 6), ("Phone Inquiry", 6))  # fmt: skip
OTHER = (("Partner Referral", 8), ("Employee Referral", 4), ("Word of mouth", 3), ("Other", 3))
REASONS = ("Duplicate", "No budget", "Not a decision maker", "Student or job seeker",
           "Competitor", "Existing customer", "Outside our territory")  # fmt: skip
CAMPAIGNS = {
    "Web": "Website Demo Requests", "Trade Show": "FABTECH", "Advertisement": "Trade Press Ads",
    "Seminar - Internal": "Smart Factory Webinars", "Purchased List": "Plant Managers List",
    "Phone Inquiry": "Inbound Calls",
}  # fmt: skip
OPEN_STAGES = ("Qualification", "Needs Analysis", "Proposal/Price Quote", "Negotiation/Review")
#: Sales members and the day each started (data/roster.csv): the leads' owners.
OWNERS = (("DM-S01", date(2019, 3, 4)), ("DM-S02", date(2020, 6, 15)),
          ("DM-S03", date(2021, 1, 11)), ("DM-S04", date(2021, 9, 1)),
          ("DM-S05", date(2022, 2, 14)), ("DM-S06", date(2022, 10, 3)),
          ("DM-S07", date(2023, 5, 22)), ("DM-S08", date(2024, 4, 8)),
          ("DM-S09", date(2026, 7, 15)))  # fmt: skip


@dataclass
class Target:
    """A month's figures to make: leads accepted, followed up in 48 hours, SAL to SQL."""

    accepted: int
    followed_up: Fraction
    sal_to_sql: Fraction


@dataclass
class Row:
    """One lead as it is being made."""

    id: str
    delivered: datetime
    source: str
    owner: str
    accepted: datetime | None = None
    rejected: datetime | None = None
    reason: str = ""
    converted: date | None = None
    stage: str = ""
    close: date | None = None
    amount: str = ""
    campaign: str = ""
    closed: bool = False
    cells: dict[str, str] = field(default_factory=dict)


def targets() -> dict[Month, Target]:
    """Each month's figures from lead_shape.csv."""
    found: dict[Month, Target] = {}
    with SHAPE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            found[Month.parse(row["month"])] = Target(
                int(row["leads_accepted"]),
                Fraction(row["followed_up_48h"]),
                Fraction(row["sal_to_sql"]),
            )
    return found


def pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in weighted], [w for _, w in weighted])[0]


def delivery_time(rng: random.Random, month: Month, zone: Zone) -> datetime:
    """A working moment of ``month`` in Chicago: weekdays, now and then a weekend."""
    while True:
        day = month.first_day + timedelta(days=rng.randrange(month.days))
        if day.weekday() < 5 or rng.random() < 0.2:
            break
    local = datetime.combine(day, time(7)) + timedelta(seconds=rng.randrange(12 * 3600))
    return zone.instant(local)


def make_month(
    rng: random.Random, month: Month, target: Target, zone: Zone, number: int
) -> list[Row]:
    """The leads delivered in ``month``: accepted, handled in time and rejected as ``target``."""
    count = max(target.accepted + 3, round(target.accepted / rng.uniform(0.75, 0.81)))
    in_time = round(target.followed_up * count)
    spare = count - in_time  # leads not handled in time: unhandled, no reason, or late
    unhandled = min(spare, rng.choice((0, 1, 1, 2)))
    no_reason = min(spare - unhandled, rng.choice((0, 1, 1, 2)))
    with_reason = count - target.accepted - unhandled - no_reason
    rows = []
    for _ in range(count):
        delivered = delivery_time(rng, month, zone)
        day = zone.local_day(delivered)
        owners = [owner for owner, start in OWNERS if start <= day]
        marketing = rng.random() < 0.82
        source = pick(rng, MARKETING if marketing else OTHER)
        rows.append(Row("", delivered, source, rng.choice(owners)))
    rows.sort(key=lambda row: row.delivered)
    for index, row in enumerate(rows):
        row.id = f"00QDM{number + index:06d}"
    order = list(range(count))
    rng.shuffle(order)
    accepted = order[: target.accepted]
    reasoned = order[target.accepted : target.accepted + with_reason]
    unreasoned = order[target.accepted + with_reason : target.accepted + with_reason + no_reason]
    handled = accepted + reasoned
    rng.shuffle(handled)
    timely = set(handled[:in_time])
    for position in handled:
        row = rows[position]
        hours = rng.uniform(0.2, 47.5) if position in timely else rng.uniform(49, 140)
        moment = row.delivered + timedelta(seconds=round(hours * 3600))
        if position in accepted:
            row.accepted = moment
        else:
            row.rejected, row.reason = moment, rng.choice(REASONS)
    for position in unreasoned:
        rows[position].rejected = rows[position].delivered + timedelta(hours=rng.uniform(1, 30))
    return rows


def convert(
    rng: random.Random, rows: list[Row], zone: Zone, all_targets: dict[Month, Target]
) -> None:
    """Convert the share of each month's acceptances the targets ask for, within the window."""
    by_month: dict[Month, list[Row]] = {}
    for row in rows:
        if row.accepted is not None:
            by_month.setdefault(zone.month_of(row.accepted), []).append(row)
    for month, accepted in sorted(by_month.items()):
        share = all_targets[month].sal_to_sql if month in all_targets else Fraction(36, 100)
        converting = round(share * len(accepted))
        accepted.sort(key=lambda row: (row.accepted, row.id))
        chosen = set(rng.sample(range(len(accepted)), converting))
        for index, row in enumerate(accepted):
            assert row.accepted is not None
            start = zone.local_day(row.accepted)
            deadline = qualifying_deadline(start)
            if index in chosen:
                row.converted = start + timedelta(days=rng.randint(0, (deadline - start).days))
            elif rng.random() < 0.33:
                row.converted = deadline + timedelta(days=rng.randint(1, 40))
            if row.converted is not None and zone.day_start(row.converted) >= AS_OF:
                row.converted = None
            if row.converted is None and zone.day_start(deadline + timedelta(days=31)) < AS_OF:
                row.closed = rng.random() < 0.6  # worked for two months, closed unconverted


def open_opportunities(rng: random.Random, rows: list[Row], zone: Zone) -> None:
    """A deal for every converted lead: won, lost or still open at :data:`AS_OF`."""
    last_day = zone.local_day(AS_OF) - timedelta(days=1)
    for row in rows:
        if row.converted is None:
            continue
        close = row.converted + timedelta(days=rng.randint(15, 90))
        amount = Decimal(rng.randrange(80, 951)) * 100
        if close > last_day:  # not decided by the export: an open deal, its expected close
            row.stage = rng.choice(OPEN_STAGES)
        elif rng.random() < 0.4:
            row.stage = "Closed Won"
            if row.source in CAMPAIGNS and rng.random() >= 0.125:
                quarter = (close.month - 1) // 3 + 1
                row.campaign = f"{close.year} Q{quarter} {CAMPAIGNS[row.source]}"
        else:
            row.stage = "Closed Lost"
        row.close, row.amount = close, f"{amount}.00"


def status(row: Row) -> str:
    if row.converted is not None:
        return "Closed - Converted"
    if row.accepted is not None:
        return "Closed - Not Converted" if row.closed else "Working - Contacted"
    if row.rejected is not None:
        return "Closed - Not Converted"
    return "Open - Not Contacted"


def stamp(moment: datetime | None) -> str:
    """A time as Salesforce's Data Loader writes it: ``2026-01-05T15:12:08.000Z``."""
    return "" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def generate(seed: int = SEED) -> str:
    """The text of data/leads.csv for ``seed``."""
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
    zone = Zone(TIME_ZONE)
    all_targets = targets()
    rows: list[Row] = []
    month = FIRST
    while month <= LAST:
        rows.extend(make_month(rng, month, all_targets[month], zone, len(rows) + 1))
        month = month.shift(1)
    convert(rng, rows, zone, all_targets)
    open_opportunities(rng, rows, zone)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(
            (row.id, stamp(row.delivered), row.source, status(row), row.owner,
             stamp(row.accepted), stamp(row.rejected), row.reason,
             row.converted.isoformat() if row.converted else "", row.stage,
             row.close.isoformat() if row.close else "", row.amount, row.campaign)
        )  # fmt: skip
    return buffer.getvalue()


def main() -> int:
    OUTPUT.write_text(generate(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
