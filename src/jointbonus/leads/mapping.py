"""Which column of a CRM export holds which fact about a lead, and what its values mean.

A :class:`LeadMapping` names a column for each of the ten facts the lead
metrics need -- the lead's id, when it was delivered to sales, its source,
when sales accepted it, when sales rejected it and why, when it became
sales-qualified, when it was won, for how much, and the attribution the CRM
records -- and, optionally, a lead-status column and a deal-stage column.
Every one of those columns must be in the export (a missing one is a
located error); any other column is left alone, so a whole report can be
exported as it is. Column names are matched without regard to case or to
spaces around them (HubSpot writes ``Create date`` or ``Create Date``).

The values of the source, status and stage columns are classified by lists
the mapping holds, again without regard to case: a value on no list is a
located error, never a guess, so a new picklist value is noticed and
classified by a person. An empty status or stage says nothing.

* **Source**: each value is either marketing generated
  (:attr:`LeadMapping.marketing_sources`) or not
  (:attr:`LeadMapping.other_sources`). A yes/no column works the same way:
  ``marketing_sources=frozenset({"true", "yes"})``.
* **Lead status** (:class:`LeadStatus`): the export's own word on where a lead
  stands, checked against its times. ``accepted`` needs an accepted time,
  ``qualified`` a qualified time, ``rejected`` (closed without a conversion)
  an accepted or a rejected time; ``open`` needs nothing.
* **Deal stage** (:class:`DealStage`): only a lead whose stage is ``won`` is
  won, and it needs a won time and amount; the close date and amount of an
  open or lost deal are its expectation, not a win, and are not counted.
  Without a stage column, a lead with a won time is won.

The two defaults, for the standard column names of the two CRMs' exports
(their fields are not measured where a CRM has no standard field for a fact;
those columns are named here as the custom fields teams usually add, and can
be renamed with :func:`dataclasses.replace`):

:data:`SALESFORCE` -- a lead report with the converted opportunity's fields
(the field labels of the Lead and Opportunity objects):

==================  ===========================  =============================
fact                column                        note
==================  ===========================  =============================
lead id             ``Lead ID``                   Lead.Id
delivered           ``Created Date``              Lead.CreatedDate
source              ``Lead Source``               the standard picklist values
lead status         ``Status``                    the four standard values
accepted            ``Accepted Date``             custom date/time field
rejected            ``Rejected Date``             custom date/time field
rejection reason    ``Rejection Reason``          custom text or picklist
qualified           ``Converted Date``            conversion to an opportunity
deal stage          ``Stage``                     the standard sales process
won                 ``Close Date``                counted only at Closed Won
won amount          ``Amount``
attribution         ``Primary Campaign Source``   Opportunity.CampaignId
==================  ===========================  =============================

Marketing sources: Web, Phone Inquiry, Purchased List, Advertisement, Public
Relations, Seminar - Internal, Trade Show; other sources: Partner Referral,
Partner, Employee Referral, External Referral, Word of mouth, Seminar -
Partner, Other. Statuses: Open - Not Contacted (open), Working - Contacted
(accepted), Closed - Converted (qualified), Closed - Not Converted
(rejected). Stages: Closed Won (won), Closed Lost (lost), every other
standard stage (open).

:data:`HUBSPOT` -- a contact export (HubSpot's default contact properties):

==================  =====================================  ====================
fact                column                                  note
==================  =====================================  ====================
lead id             ``Record ID``
delivered           ``Create Date``
source              ``Original Source``                     traffic source
lead status         ``Lead Status``
accepted            ``Accepted Date``                       custom property
rejected            ``Rejected Date``                       custom property
rejection reason    ``Rejection Reason``                    custom property
qualified           ``Became a Sales Qualified Lead Date``
deal stage          ``Lifecycle Stage``                     Customer is won
won                 ``Recent Deal Close Date``              last closed-won deal
won amount          ``Recent Deal Amount``                  its amount
attribution         ``Last Touch Converting Campaign``      campaign attribution
==================  =====================================  ====================

Marketing sources: every online source (Organic Search, Paid Search, Email
Marketing, Organic Social, Social Media, Paid Social, Referrals, Other
Campaigns, Direct Traffic, AI Referrals); other: Offline Sources (imports,
records made by hand, integrations). Statuses: New and Open (open),
Attempted to Contact, Connected, In Progress and Open Deal (accepted),
Unqualified and Bad Timing (rejected). Stages: Customer and Evangelist
(won), the other lifecycle stages (open).

>>> from dataclasses import replace
>>> ours = replace(SALESFORCE, accepted="SAL Date", date_order="month_first")
>>> ours.is_marketing("web"), ours.is_marketing("Partner Referral"), ours.is_marketing("Fax")
(True, False, None)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TypeVar

from jointbonus.errors import PlanError, Problem, problem
from jointbonus.leads.times import DATE_ORDERS, DateOrder

__all__ = [
    "COLUMN_FIELDS",
    "HUBSPOT",
    "MAPPINGS",
    "SALESFORCE",
    "DealStage",
    "LeadMapping",
    "LeadStatus",
]


class LeadStatus(Enum):
    """What a lead-status value says, and so what the lead's times must show."""

    OPEN = "open"  #: not handled yet; nothing to check
    ACCEPTED = "accepted"  #: sales accepted it: an accepted time
    REJECTED = "rejected"  #: closed without a conversion: an accepted or rejected time
    QUALIFIED = "qualified"  #: sales-qualified (converted): a qualified time


class DealStage(Enum):
    """What a deal-stage value says: only ``WON`` makes a win."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


#: The mapping's fields that name a column every export must have, in the
#: order the lead's facts are described.
COLUMN_FIELDS = (
    "lead_id",
    "delivered",
    "source",
    "accepted",
    "rejected",
    "rejection_reason",
    "qualified",
    "won",
    "won_amount",
    "attribution",
)

#: What each column holds, for messages.
_PURPOSE = {
    "lead_id": "the lead's id",
    "delivered": "the time the lead was delivered to sales",
    "source": "the lead's source",
    "accepted": "the time sales accepted the lead",
    "rejected": "the time sales rejected the lead",
    "rejection_reason": "the reason sales gave for a rejection",
    "qualified": "the time the lead became sales-qualified",
    "won": "the time the deal was won",
    "won_amount": "the amount won",
    "attribution": "the attribution the CRM records",
    "status": "the lead's status",
    "stage": "the deal's stage",
}


_Kind = TypeVar("_Kind", bound=Enum)


def _key(value: str) -> str:
    return value.strip().casefold()


@dataclass(frozen=True)
class LeadMapping:
    """The columns of one CRM's lead export and the meaning of their values.

    See the module docstring for the rules and the two defaults. Invalid
    mappings raise :class:`~jointbonus.errors.PlanError` listing every
    problem (``mapping.FIELD``).
    """

    name: str
    lead_id: str
    delivered: str
    source: str
    accepted: str
    rejected: str
    rejection_reason: str
    qualified: str
    won: str
    won_amount: str
    attribution: str
    marketing_sources: frozenset[str]
    other_sources: frozenset[str]
    status: str | None = None
    statuses: Mapping[str, LeadStatus] = field(default_factory=dict, hash=False)
    stage: str | None = None
    stages: Mapping[str, DealStage] = field(default_factory=dict, hash=False)
    date_order: DateOrder = "iso"
    _sources: Mapping[str, bool] = field(init=False, repr=False, compare=False, hash=False)
    _status_of: Mapping[str, LeadStatus] = field(init=False, repr=False, compare=False, hash=False)
    _stage_of: Mapping[str, DealStage] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        found: list[Problem] = []
        if not isinstance(self.name, str) or not self.name.strip():
            found.append(problem("mapping.name", self.name, "a name for the mapping"))
        seen: dict[str, str] = {}
        for name, column in self.columns().items():
            if not isinstance(column, str) or not column.strip():
                found.append(problem(f"mapping.{name}", column, f"the column of {_PURPOSE[name]}"))
            elif _key(column) in seen:
                found.append(
                    problem(
                        f"mapping.{name}",
                        column,
                        f"a column of its own (mapping.{seen[_key(column)]} names it too)",
                    )
                )
            else:
                seen[_key(column)] = name
        sources: dict[str, bool] = {}
        for flag, values in ((True, self.marketing_sources), (False, self.other_sources)):
            name = "marketing_sources" if flag else "other_sources"
            if not isinstance(values, frozenset) or not all(
                isinstance(v, str) and v.strip() for v in values
            ):
                found.append(problem(f"mapping.{name}", values, "a frozenset of source values"))
                continue
            for value in sorted(values):
                if sources.get(_key(value), flag) != flag:
                    found.append(
                        problem(
                            f"mapping.{name}",
                            value,
                            "a source that is either marketing generated or not, not both",
                        )
                    )
                sources[_key(value)] = flag
        if isinstance(self.marketing_sources, frozenset) and not self.marketing_sources:
            found.append(
                problem("mapping.marketing_sources", "(none)", "at least one marketing source")
            )
        status_of = self._kinds(
            "status", "statuses", self.status, self.statuses, kind=LeadStatus, found=found
        )
        stage_of = self._kinds(
            "stage", "stages", self.stage, self.stages, kind=DealStage, found=found
        )
        if self.date_order not in DATE_ORDERS:
            found.append(problem("mapping.date_order", self.date_order, f"one of {DATE_ORDERS}"))
        if found:
            raise PlanError(found)
        object.__setattr__(self, "marketing_sources", frozenset(self.marketing_sources))
        object.__setattr__(self, "statuses", MappingProxyType(dict(self.statuses)))
        object.__setattr__(self, "stages", MappingProxyType(dict(self.stages)))
        object.__setattr__(self, "_sources", MappingProxyType(sources))
        object.__setattr__(self, "_status_of", MappingProxyType(status_of))
        object.__setattr__(self, "_stage_of", MappingProxyType(stage_of))

    @staticmethod
    def _kinds(
        name: str,
        plural: str,
        column: str | None,
        values: Mapping[str, _Kind],
        *,
        kind: type[_Kind],
        found: list[Problem],
    ) -> dict[str, _Kind]:
        if not isinstance(values, Mapping):
            found.append(
                problem(f"mapping.{plural}", values, f"a mapping of values to {kind.__name__}")
            )
            return {}
        if column is None and values:
            found.append(problem(f"mapping.{name}", None, f"a column for the {plural} listed"))
        if column is not None and not values:
            found.append(
                problem(f"mapping.{plural}", "(none)", f"the {name} values and their meaning")
            )
        result: dict[str, _Kind] = {}
        for value, meaning in values.items():
            if not isinstance(value, str) or not value.strip() or not isinstance(meaning, kind):
                found.append(
                    problem(f"mapping.{plural}", value, f"a value and a {kind.__name__} member")
                )
            elif result.get(_key(value), meaning) is not meaning:
                found.append(problem(f"mapping.{plural}", value, "each value once"))
            else:
                result[_key(value)] = meaning
        return result

    def columns(self) -> dict[str, str]:
        """Every column the export must have, by the field that names it."""
        names = {name: getattr(self, name) for name in COLUMN_FIELDS}
        if self.status is not None:
            names["status"] = self.status
        if self.stage is not None:
            names["stage"] = self.stage
        return names

    @staticmethod
    def purpose(field_name: str) -> str:
        """What the column of ``field_name`` holds, in words."""
        return _PURPOSE[field_name]

    def is_marketing(self, source: str) -> bool | None:
        """Whether ``source`` is marketing generated; ``None`` for a value on neither list."""
        return self._sources.get(_key(source))

    def status_of(self, value: str) -> LeadStatus | None:
        """The meaning of a lead-status value; ``None`` for an unknown one."""
        return self._status_of.get(_key(value))

    def stage_of(self, value: str) -> DealStage | None:
        """The meaning of a deal-stage value; ``None`` for an unknown one."""
        return self._stage_of.get(_key(value))

    def known(self, field_name: str) -> str:
        """The values the mapping knows for ``source``, ``status`` or ``stage``, for messages."""
        if field_name == "source":
            values = sorted(self.marketing_sources | self.other_sources, key=_key)
        elif field_name == "status":
            values = sorted(self.statuses, key=_key)
        else:
            values = sorted(self.stages, key=_key)
        return ", ".join(values)


_OPEN, _ACCEPTED, _REJECTED, _QUALIFIED = (
    LeadStatus.OPEN,
    LeadStatus.ACCEPTED,
    LeadStatus.REJECTED,
    LeadStatus.QUALIFIED,
)

#: Salesforce: a lead report with the converted opportunity's fields (module docstring).
SALESFORCE = LeadMapping(
    name="salesforce",
    lead_id="Lead ID",
    delivered="Created Date",
    source="Lead Source",
    accepted="Accepted Date",
    rejected="Rejected Date",
    rejection_reason="Rejection Reason",
    qualified="Converted Date",
    won="Close Date",
    won_amount="Amount",
    attribution="Primary Campaign Source",
    marketing_sources=frozenset(
        {
            "Web",
            "Phone Inquiry",
            "Purchased List",
            "Advertisement",
            "Public Relations",
            "Seminar - Internal",
            "Trade Show",
        }
    ),
    other_sources=frozenset(
        {
            "Partner Referral",
            "Partner",
            "Employee Referral",
            "External Referral",
            "Word of mouth",
            "Seminar - Partner",
            "Other",
        }
    ),
    status="Status",
    statuses={
        "Open - Not Contacted": _OPEN,
        "Working - Contacted": _ACCEPTED,
        "Closed - Converted": _QUALIFIED,
        "Closed - Not Converted": _REJECTED,
    },
    stage="Stage",
    stages={
        **dict.fromkeys(
            (
                "Prospecting",
                "Qualification",
                "Needs Analysis",
                "Value Proposition",
                "Id. Decision Makers",
                "Perception Analysis",
                "Proposal/Price Quote",
                "Negotiation/Review",
            ),
            DealStage.OPEN,
        ),
        "Closed Won": DealStage.WON,
        "Closed Lost": DealStage.LOST,
    },
)

#: HubSpot: a contact export with its default contact properties (module docstring).
HUBSPOT = LeadMapping(
    name="hubspot",
    lead_id="Record ID",
    delivered="Create Date",
    source="Original Source",
    accepted="Accepted Date",
    rejected="Rejected Date",
    rejection_reason="Rejection Reason",
    qualified="Became a Sales Qualified Lead Date",
    won="Recent Deal Close Date",
    won_amount="Recent Deal Amount",
    attribution="Last Touch Converting Campaign",
    marketing_sources=frozenset(
        {
            "Organic Search",
            "Paid Search",
            "Email Marketing",
            "Organic Social",
            "Social Media",
            "Paid Social",
            "Referrals",
            "Other Campaigns",
            "Direct Traffic",
            "AI Referrals",
        }
    ),
    other_sources=frozenset({"Offline Sources"}),
    status="Lead Status",
    statuses={
        "New": _OPEN,
        "Open": _OPEN,
        "Attempted to Contact": _ACCEPTED,
        "Connected": _ACCEPTED,
        "In Progress": _ACCEPTED,
        "Open Deal": _ACCEPTED,
        "Unqualified": _REJECTED,
        "Bad Timing": _REJECTED,
    },
    stage="Lifecycle Stage",
    stages={
        **dict.fromkeys(
            (
                "Subscriber",
                "Lead",
                "Marketing Qualified Lead",
                "Sales Qualified Lead",
                "Opportunity",
                "Other",
            ),
            DealStage.OPEN,
        ),
        "Customer": DealStage.WON,
        "Evangelist": DealStage.WON,
    },
)

#: The default mappings by name.
MAPPINGS: Mapping[str, LeadMapping] = MappingProxyType(
    {SALESFORCE.name: SALESFORCE, HUBSPOT.name: HUBSPOT}
)
