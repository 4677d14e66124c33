"""``jointbonus leads``: the lead metrics of a plan's export, or of an export alone.

::

    jointbonus leads PLAN [--review] [--format table|json|csv]
    jointbonus leads --export FILE [--export FILE ...] [--mapping salesforce|hubspot]
                     [--time-zone ZONE] [--as-of INSTANT] [--business-hours]
                     [--handling-hours N] [--review] [--format table|json|csv]

With a plan, the export, mapping, time zone, calendar and "as of" instant
are the plan's ``[leads]`` section's. Without one, they are the options'; the
"as of" instant is now unless given. The output is each month's figures
(pending ones marked), or with ``--review`` the review list.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jointbonus.errors import PlanError, problem
from jointbonus.io.render import render_json
from jointbonus.leads.clocks import BusinessHours
from jointbonus.leads.mapping import MAPPINGS
from jointbonus.leads.metrics import LeadMetrics, measure
from jointbonus.leads.reader import read_leads
from jointbonus.leads.report import metrics_csv, metrics_document, metrics_table
from jointbonus.leads.review import ReviewList, review_csv, review_document, review_list
from jointbonus.sharedtarget.leadplan import load_lead_metrics

__all__ = ["FORMATS", "add_parser", "leads_command"]

FORMATS = ("table", "json", "csv")


def add_parser(commands: Any) -> None:
    """The parser of ``jointbonus leads``."""
    parser = commands.add_parser(
        "leads",
        help="the lead metrics of a plan's lead export, or of an export, and the review list",
        description="Read a CRM's lead export and show each month's figures: leads "
        "delivered and accepted, the share handled within 48 hours, rejections without a "
        "reason, the median response time, SAL to SQL within a month and marketing's share "
        "of won revenue, each pending while its window is open (marked *). With --review, "
        "every lead that breaks a rule instead. Give a plan with a [leads] section, or the "
        "export with --export.",
    )
    parser.add_argument(
        "plan", type=Path, nargs="?", help="a plan file (TOML) with a [leads] section"
    )
    parser.add_argument(
        "--export",
        type=Path,
        action="append",
        metavar="FILE",
        help="a lead export (CSV or .xlsx) to read without a plan; repeat for more files",
    )
    parser.add_argument(
        "--mapping",
        choices=sorted(MAPPINGS),
        default="salesforce",
        help="the CRM whose standard columns the export has (default salesforce)",
    )
    parser.add_argument(
        "--time-zone",
        metavar="ZONE",
        help="the plan time zone (IANA, such as Europe/Berlin): months, days and local times",
    )
    parser.add_argument(
        "--as-of",
        metavar="INSTANT",
        help="when the export was taken, with its UTC offset (2026-12-01T06:00:00Z); default now",
    )
    parser.add_argument(
        "--business-hours",
        action="store_true",
        help="count the hours over Monday to Friday, 9:00 to 17:00, instead of the clock",
    )
    parser.add_argument(
        "--handling-hours",
        type=int,
        default=48,
        metavar="N",
        help="the hours a lead has to be handled in (default 48)",
    )
    parser.add_argument(
        "--review", action="store_true", help="show the review list instead of the figures"
    )
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")


def _as_of(text: str | None) -> datetime:
    if text is None:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        value = None
    if value is None or value.tzinfo is None:
        expected = "an instant with its UTC offset, such as 2026-12-01T06:00:00Z"
        raise PlanError([problem("--as-of", text, expected)])
    return value


def export_metrics(arguments: argparse.Namespace) -> LeadMetrics:
    """The figures of the ``--export`` files, read and measured as the options say."""
    as_of = _as_of(arguments.as_of)
    export = read_leads(
        *arguments.export, mapping=MAPPINGS[arguments.mapping], time_zone=arguments.time_zone
    )
    return measure(
        export,
        as_of,
        business_hours=BusinessHours() if arguments.business_hours else None,
        handling_hours=arguments.handling_hours,
    )


def _review_table(rows: ReviewList) -> str:
    if not rows:
        return "No lead breaks a rule.\n"
    lines = [f"{len(rows):,} leads to review (month, lead, rule, where it was read):"]
    for lead_id, month, rule, details, source in zip(*rows.columns(), strict=True):
        lines.append(f"{month}  {lead_id}  {rule}  {source}")
        lines.append(f"    {details}")
    return "\n".join(lines) + "\n"


def _heading(metrics: LeadMetrics) -> str:
    files = sorted({file for file in set(metrics.export.columns.file) if file is not None})
    return (
        f"{len(metrics.export):,} leads from {', '.join(files) or 'no file'}; time zone "
        f"{metrics.export.zone.label}; as of {metrics.as_of.isoformat()}; handled within "
        f"{metrics.clock.describe()}\n\n"
    )


def leads_command(arguments: argparse.Namespace) -> str:
    """``jointbonus leads``: the text to print (raises the library's errors for bad input)."""
    metrics = export_metrics(arguments) if arguments.export else load_lead_metrics(arguments.plan)
    if arguments.review:
        rows = review_list(metrics)
        if arguments.format == "json":
            return render_json(
                {
                    "time_zone": metrics.export.zone.label,
                    "as_of": metrics.as_of.isoformat().replace("+00:00", "Z"),
                    "review": review_document(rows),
                }
            )
        if arguments.format == "csv":
            return review_csv(rows)
        return _heading(metrics) + _review_table(rows)
    if arguments.format == "json":
        return render_json(metrics_document(metrics))
    if arguments.format == "csv":
        return metrics_csv(metrics)
    return _heading(metrics) + metrics_table(metrics)
