"""The functional lead metrics, measured from the leads themselves.

Marketing says sales does not follow its leads up; sales says the leads are
poor and leaves marketing out of the CRM's attribution field. The teams'
functional goals are therefore computed from a lead-level CRM export, the
same way for both, and every figure can be traced to the leads that made it:

    files -> :func:`read_leads` (a :class:`LeadMapping`: :data:`SALESFORCE`,
    :data:`HUBSPOT` or your own) -> :class:`LeadExport` -> :func:`measure`
    (as of an instant; clock or business hours) -> :class:`LeadMetrics`
    (:meth:`~LeadMetrics.figure`, :meth:`~LeadMetrics.trace`) ->
    :func:`review_list`, :func:`metrics_csv`, :func:`metrics_document`

The modules, in the order the data flows:

* :mod:`~jointbonus.leads.zone`: the plan time zone, DST-safe instants,
  local days and months;
* :mod:`~jointbonus.leads.times`: reading time and date cells;
* :mod:`~jointbonus.leads.mapping`: which column holds which fact, and what
  its values mean; the Salesforce and HubSpot defaults;
* :mod:`~jointbonus.leads.model`: a lead and an export;
* :mod:`~jointbonus.leads.reader`: CSV and .xlsx exports, every problem
  located;
* :mod:`~jointbonus.leads.clocks`: clock hours and business hours;
* :mod:`~jointbonus.leads.metrics`: the figures of each month, pending
  windows and traces;
* :mod:`~jointbonus.leads.review`: the review list;
* :mod:`~jointbonus.leads.report`: tables, CSV and JSON-ready documents.

>>> from datetime import datetime, timezone
>>> export = leads_from_rows(
...     [{"Lead ID": "L1", "Created Date": "2026-01-05 09:00", "Lead Source": "Web",
...       "Status": "Working - Contacted", "Accepted Date": "2026-01-06 17:00"}],
...     time_zone="Europe/Berlin", missing_as_empty=True)
>>> metrics = measure(export, as_of=datetime(2026, 2, 10, tzinfo=timezone.utc))
>>> metrics.figure(Month(2026, 1), "followed_up_48h").value
Fraction(1, 1)
"""

from jointbonus.core.periods import Month
from jointbonus.leads.clocks import BusinessClock, BusinessHours, Clock, ClockHours
from jointbonus.leads.mapping import (
    HUBSPOT,
    MAPPINGS,
    SALESFORCE,
    DealStage,
    LeadMapping,
    LeadStatus,
)
from jointbonus.leads.metrics import (
    COUNTS,
    METRICS,
    SHARES,
    Figure,
    LeadMetrics,
    Trace,
    measure,
    qualifying_deadline,
)
from jointbonus.leads.model import Lead, LeadExport
from jointbonus.leads.reader import leads_from_rows, read_leads
from jointbonus.leads.report import metrics_csv, metrics_document, metrics_table
from jointbonus.leads.review import (
    REVIEW_COLUMNS,
    ReviewList,
    ReviewRow,
    ReviewRule,
    review_csv,
    review_document,
    review_list,
)
from jointbonus.leads.zone import NonexistentTimeError, Zone, ZoneError

__all__ = [
    "COUNTS",
    "HUBSPOT",
    "MAPPINGS",
    "METRICS",
    "REVIEW_COLUMNS",
    "SALESFORCE",
    "SHARES",
    "BusinessClock",
    "BusinessHours",
    "Clock",
    "ClockHours",
    "DealStage",
    "Figure",
    "Lead",
    "LeadExport",
    "LeadMapping",
    "LeadMetrics",
    "LeadStatus",
    "Month",
    "NonexistentTimeError",
    "ReviewList",
    "ReviewRow",
    "ReviewRule",
    "Trace",
    "Zone",
    "ZoneError",
    "leads_from_rows",
    "measure",
    "metrics_csv",
    "metrics_document",
    "metrics_table",
    "qualifying_deadline",
    "read_leads",
    "review_csv",
    "review_document",
    "review_list",
]
