"""Pydantic models of the plan file and of the rows of its CSV files.

These models are the edge: they turn text into typed values and say, for
each bad value, what was expected. ``jointbonus`` never uses them past the
loader; the engine works on plain frozen values (:mod:`jointbonus.sharedtarget.plan`).

Numbers are exact: TOML floats are read as :class:`~decimal.Decimal` (the
loader parses with ``parse_float=Decimal``), CSV cells are text, and a Python
``float`` handed to a model is refused.
"""

from __future__ import annotations

import functools
from datetime import time
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    SerializerFunctionWrapHandler,
    TypeAdapter,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    create_model,
    model_serializer,
    model_validator,
)

from jointbonus.core.history import NormMethod
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.io.fields import (
    Amount,
    Attainment,
    CapAmount,
    Day,
    Flag,
    GoalWeight,
    Holdback,
    InputModel,
    MetricName,
    MonthText,
    Name,
    Number,
    PlanHeader,
    Positive,
    Share,
    Whole,
    choice,
    given,
    header_schema,
    one_of_values,
)
from jointbonus.io.sources import FilesSection, InputFileSection
from jointbonus.sharedtarget.plan import FundingStyle, Neutrality, Overpayments, Split

if TYPE_CHECKING:  # a type checker sees text; pydantic sees the Literal of the enum's values
    FundingChoice: TypeAlias = str
    SplitChoice: TypeAlias = str
    NormChoice: TypeAlias = str
    NeutralityChoice: TypeAlias = str
    OverpaymentsChoice: TypeAlias = str
    PeriodChoice: TypeAlias = str
else:
    FundingChoice = choice(FundingStyle)
    SplitChoice = choice(Split)
    NormChoice = choice(NormMethod)
    NeutralityChoice = choice(Neutrality)
    OverpaymentsChoice = choice(Overpayments)
    PeriodChoice = choice(PeriodLength)

__all__ = [
    "LEAD_FIGURES",
    "BusinessHoursSection",
    "CalibrationSection",
    "CapsSection",
    "CurveSection",
    "FundingSection",
    "GatesSection",
    "GoalGateSection",
    "GoalSection",
    "HistoryRow",
    "HistorySection",
    "LeadsSection",
    "LedgerSection",
    "MetricSection",
    "MonthRow",
    "PlanFile",
    "RosterSection",
    "SharedSection",
    "TeamSection",
    "VersionSection",
    "history_row_model",
    "month_row_model",
]


class MonthRow(InputModel):
    """A line of the plan months CSV: ``month,target,actual``."""

    month: MonthText
    target: Positive | None = None
    actual: Amount | None = None


class HistoryRow(InputModel):
    """A line of the history CSV: ``month,actual,target,paid``."""

    month: MonthText
    actual: Amount
    target: Positive | None = None
    paid: Amount | None = None


class _MetricMonthRow(MonthRow):
    # A metric may be named model_..., and its columns with it.
    model_config = ConfigDict(protected_namespaces=())


class _MetricHistoryRow(HistoryRow):
    model_config = ConfigDict(protected_namespaces=())


@functools.lru_cache(maxsize=64)
def month_row_model(metrics: tuple[str, ...]) -> type[MonthRow]:
    """:class:`MonthRow` with ``<metric>_target`` and ``<metric>_actual`` for each metric.

    The plan months CSV may give each functional metric's monthly target and
    actual (an empty actual: pending); a column of a metric no goal measures
    is refused like any unknown column.
    """
    if not metrics:
        return MonthRow
    fields: dict[str, Any] = {}
    for metric in metrics:
        fields[f"{metric}_target"] = (Positive | None, None)
        fields[f"{metric}_actual"] = (Amount | None, None)
    return create_model("MonthRow", __base__=_MetricMonthRow, __module__=__name__, **fields)


@functools.lru_cache(maxsize=64)
def history_row_model(metrics: tuple[str, ...]) -> type[HistoryRow]:
    """:class:`HistoryRow` with ``<metric>_actual`` and ``<metric>_target`` for each metric.

    The columns are optional here; the loader says which cells the plan needs
    (every actual; every target under a 'targets' norm).
    """
    if not metrics:
        return HistoryRow
    fields: dict[str, Any] = {}
    for metric in metrics:
        fields[f"{metric}_actual"] = (Amount | None, None)
        fields[f"{metric}_target"] = (Positive | None, None)
    return create_model("HistoryRow", __base__=_MetricHistoryRow, __module__=__name__, **fields)


class RosterSection(InputFileSection):
    pay_leavers_for_exit_month: Flag = False


class CurveSection(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": one_of_values("type", ["step"], default=False),
                    "then": {"not": given("points")},
                },
                {
                    "if": one_of_values("type", ["linear"], default=False),
                    "then": {
                        "allOf": [
                            {"not": given("threshold")},
                            {"not": given("payout")},
                            given("points"),
                            {"properties": {"points": {"minItems": 1}}},
                        ]
                    },
                },
            ]
        }
    )

    type: Literal["step", "linear"]
    threshold: Positive | None = None
    payout: Amount | None = None
    points: list[tuple[Amount, Amount]] | None = None

    @model_validator(mode="after")
    def _fits_type(self) -> CurveSection:
        if self.type == "step" and self.points is not None:
            raise ValueError("a step curve takes threshold and payout, not points")
        if self.type == "linear" and (self.threshold is not None or self.payout is not None):
            raise ValueError(
                "a linear curve takes points [[attainment, factor], ...], not threshold or payout"
            )
        if self.type == "linear" and not self.points:
            raise ValueError("a linear curve needs points [[attainment, factor], ...]")
        return self


class SharedSection(InputFileSection):
    metric: Name = "revenue"
    curve: CurveSection
    period: PeriodChoice = "month"
    advance: Number | None = None


class FundingSection(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {
                    "if": one_of_values("style", ["pool"], default=True),
                    "then": {"not": given("target_bonus_multiplier")},
                },
                {
                    "if": one_of_values("style", ["individual"], default=False),
                    "then": {
                        "not": {
                            "anyOf": [
                                given("pool_at_target"),
                                {
                                    "properties": {"split": {"not": {"const": "equal"}}},
                                    "required": ["split"],
                                },
                            ]
                        }
                    },
                },
            ]
        }
    )

    style: FundingChoice = "pool"
    split: SplitChoice = "equal"
    pool_at_target: Amount | None = None
    target_bonus_multiplier: Amount | None = None
    holdback: Holdback = Decimal(0)
    period_weights: list[Number] | None = None

    @model_validator(mode="after")
    def _fits_style(self) -> FundingSection:
        if self.style == "pool" and self.target_bonus_multiplier is not None:
            raise ValueError("target_bonus_multiplier applies to individual funding only")
        if self.style == "individual" and self.pool_at_target is not None:
            raise ValueError("pool_at_target applies to pool funding only")
        if self.style == "individual" and self.split != "equal":
            raise ValueError("split applies to pool funding only")
        return self


class HistorySection(InputFileSection):
    norm: NormChoice = "targets"
    window: Whole = Field(default=12, ge=1, le=120)
    uplift: Number = Decimal(0)


class CalibrationSection(InputModel):
    neutrality: NeutralityChoice = "expected_cost"
    budget: Literal["from_history"] | Amount


class GoalGateSection(InputModel):
    """A goal's own gate: ``gate = { metric = "net_income", attainment = 0.9 }``."""

    metric: Name
    """The shared goal's metric or the metric of another goal of the plan."""
    attainment: Attainment
    """The attainment of ``metric`` a month needs before the goal pays."""


class GoalSection(InputModel):
    """A functional goal of a team: ``[[teams.<team>.goals]]``."""

    metric: MetricName
    weight: GoalWeight
    curve: CurveSection
    gate: GoalGateSection | None = None
    period: PeriodChoice = "month"


class TeamSection(InputModel):
    """A team of the plan: ``[teams.<team>]``.

    Give ``shared_weight`` or ``expected_shared_split`` (not both) when the
    team has goals; a team without goals is paid on the shared goal alone.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "not": {"allOf": [given("shared_weight"), given("expected_shared_split")]}
        }
    )

    shared_weight: Share | None = None
    expected_shared_split: Share | None = None
    goals: list[GoalSection] = Field(default_factory=list)


#: The lead figures a functional goal can take its actuals from: those where more is
#: better, since a payout curve only rises (:data:`jointbonus.leads.METRICS` names them).
LEAD_FIGURES = (
    "leads_delivered",
    "leads_accepted",
    "followed_up_48h",
    "sal_to_sql",
    "marketing_revenue_share",
)
LeadFigure = Literal[
    "leads_delivered", "leads_accepted", "followed_up_48h", "sal_to_sql", "marketing_revenue_share"
]


class MetricSection(InputModel):
    """How a functional metric is read: ``[metrics.<metric>]``.

    Its norm from history: each setting left out is the plan's
    (``history.norm``, no uplift, ``history.window``). Its actuals, in the
    plan months and the history: from the CSV files (``source = "file"``, the
    default) or from the plan's lead export (``source = "leads"``), as the lead
    figure ``figure`` (by default the one the metric is named after).
    """

    model_config = ConfigDict(
        json_schema_extra={
            "if": given("figure"),
            "then": {"properties": {"source": {"const": "leads"}}, "required": ["source"]},
        }
    )

    norm: NormChoice | None = None
    uplift: Number = Decimal(0)
    window: (
        Annotated[
            Whole,
            Field(ge=1, le=120),
            WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 120}),
        ]
        | None
    ) = None
    source: Literal["file", "leads"] = "file"
    figure: LeadFigure | None = None

    @model_validator(mode="after")
    def _figure_from_leads(self) -> MetricSection:
        if self.figure is not None and self.source != "leads":
            raise ValueError('figure names a lead figure: it needs source = "leads"')
        return self


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _weekday(value: object) -> int:
    if isinstance(value, str) and value.strip().casefold() in _WEEKDAYS:
        return _WEEKDAYS.index(value.strip().casefold())
    raise ValueError("a day of the week written out, such as Monday")


def _clock_time(value: object) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            found = time.fromisoformat(value.strip())
        except ValueError:
            found = None
        if found is not None and found.tzinfo is None and len(value.strip()) >= 5:
            return found
    raise ValueError("a local time of day written HH:MM, such as 09:00")


Weekday = Annotated[
    int,
    BeforeValidator(_weekday),
    WithJsonSchema({"type": "string", "enum": [d.capitalize() for d in _WEEKDAYS]}),
]
ClockTime = Annotated[
    time,
    BeforeValidator(_clock_time),
    WithJsonSchema({"type": "string", "pattern": r"^\s*[0-9]{2}:[0-9]{2}(:[0-9]{2})?\s*$"}),
]
#: A column a lead mapping names, by the mapping's field.
MappingField = Literal[
    "lead_id", "delivered", "source", "status", "accepted", "rejected", "rejection_reason",
    "qualified", "stage", "won", "won_amount", "attribution",
]  # fmt: skip
LeadStatusChoice = Literal["open", "accepted", "rejected", "qualified"]
DealStageChoice = Literal["open", "won", "lost"]


class BusinessHoursSection(InputModel):
    """The working calendar the handling hours are counted over: ``[leads.business_hours]``."""

    weekdays: list[Weekday] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4], min_length=1, max_length=7
    )
    start: ClockTime = time(9)
    end: ClockTime = time(17)
    holidays: list[Day] = Field(default_factory=list)

    @model_validator(mode="after")
    def _ordered(self) -> BusinessHoursSection:
        if not self.start < self.end:
            raise ValueError(f"an end of the working day after its start ({self.start:%H:%M})")
        return self


class LeadsSection(InputModel):
    """The lead export a plan takes functional actuals from: ``[leads]``.

    ``mapping`` names the CRM's default columns (``salesforce`` or
    ``hubspot``); ``columns`` renames any of them (a status or stage column
    the export lacks is named ``""``); ``marketing_sources``,
    ``other_sources``, ``statuses`` and ``stages`` replace the default's
    lists of values. ``as_of`` is the instant the export was taken, with its
    UTC offset: a figure whose window is still open then is pending.
    """

    files: list[Name] = Field(min_length=1, max_length=100)
    mapping: Literal["salesforce", "hubspot"] = "salesforce"
    columns: dict[MappingField, str] = Field(default_factory=dict)
    date_order: Literal["iso", "month_first", "day_first"] | None = None
    marketing_sources: list[Name] | None = None
    other_sources: list[Name] | None = None
    statuses: dict[Name, LeadStatusChoice] | None = None
    stages: dict[Name, DealStageChoice] | None = None
    time_zone: Name | None = None
    as_of: AwareDatetime
    handling_hours: Whole = Field(default=48, ge=1, le=10_000)
    business_hours: BusinessHoursSection | None = None


class GatesSection(InputModel):
    """Attainments one part of the bonus needs before another pays."""

    functional_gate: Attainment | None = None
    """The shared attainment a month needs before any functional part pays."""
    shared_gate: Attainment | None = None
    """The attainment each of a team's goals needs before its shared part pays."""


class CapsSection(InputModel):
    """The most one member is paid, in the plan's currency."""

    per_month: CapAmount | None = None
    per_year: CapAmount | None = None
    """Per plan year: each run of 12 plan months from the plan's start."""


class LedgerSection(InputModel):
    """The payment ledger: where it is, and what happens to an overpayment (``[ledger]``).

    Without the section (or without ``path``) the ledger is the file
    ``<plan file's stem>.ledger.sqlite`` beside the plan file.
    """

    path: Name | None = None
    """The ledger file, relative to the plan's folder and inside it."""
    overpayments: OverpaymentsChoice = "clawed_back"
    """``clawed_back``: deducted from the member's next payments; ``absorbed``: the company
    bears it."""


_TEAM_NAMES: TypeAdapter[list[str]] = TypeAdapter(
    list[Name], config=ConfigDict(str_strip_whitespace=True)
)
_TEAM_TABLES: TypeAdapter[dict[str, TeamSection]] = TypeAdapter(
    dict[Name, TeamSection], config=ConfigDict(str_strip_whitespace=True)
)


def _teams(value: object, _handler: ValidatorFunctionWrapHandler) -> object:
    """A list of names or a table of team tables, each checked as what it is.

    (Checking the union itself would report every bad value twice, once per
    form it fails to be.)
    """
    if isinstance(value, dict):
        return _TEAM_TABLES.validate_python(value)
    if isinstance(value, list | tuple):
        return _TEAM_NAMES.validate_python(value)
    raise ValueError(
        'a list of team names, such as ["sales", "marketing"], or a table for each team, '
        "such as [teams.sales]"
    )


Teams = Annotated[list[Name] | dict[Name, TeamSection], WrapValidator(_teams)]


def _refuse_change(value: object) -> object:
    raise ValueError(
        "no change mid-plan: this setting holds for the whole plan; a version changes only "
        "shared.curve, funding.split, funding.pool_at_target or funding.target_bonus_multiplier, "
        "teams, gates and caps"
    )


Fixed = Annotated[object, BeforeValidator(_refuse_change)]
"""A setting a version may not restate: any value is refused, saying why."""


def _word_or(word: str) -> Any:
    """A wrap validator that lets ``word`` through as itself and checks anything else."""

    def check(value: object, handler: ValidatorFunctionWrapHandler) -> object:
        if isinstance(value, str) and value.strip() == word:
            return word
        return handler(value)

    return WrapValidator(check)


if TYPE_CHECKING:  # an amount, or the word
    CapOrNone: TypeAlias = Decimal | str
    GateOrNone: TypeAlias = Decimal | str
    AmountOrCalibrate: TypeAlias = Decimal | str
else:
    CapOrNone = Annotated[CapAmount, _word_or("none")]
    GateOrNone = Annotated[Attainment, _word_or("none")]
    AmountOrCalibrate = Annotated[Amount, _word_or("calibrate")]


class VersionSharedSection(InputModel):
    """A version's ``[versions.shared]``: its curve."""

    curve: CurveSection | None = None
    metric: Fixed = None
    file: Fixed = None
    delimiter: Fixed = None
    decimal: Fixed = None
    encoding: Fixed = None
    sheet: Fixed = None
    columns: Fixed = None


class VersionFundingSection(InputModel):
    """A version's ``[versions.funding]``: its split and funding amounts."""

    split: SplitChoice | None = None
    pool_at_target: AmountOrCalibrate | None = None
    target_bonus_multiplier: AmountOrCalibrate | None = None
    style: Fixed = None
    holdback: Fixed = None


class VersionGatesSection(InputModel):
    """A version's gates; ``"none"`` removes a gate the version before had."""

    functional_gate: GateOrNone | None = None
    shared_gate: GateOrNone | None = None


class VersionCapsSection(InputModel):
    """A version's caps; ``"none"`` removes a cap the version before had."""

    per_month: CapOrNone | None = None
    per_year: CapOrNone | None = None


class VersionSection(InputModel):
    """A later version of the plan: ``[[versions]]`` with ``from = "YYYY-MM"`` and the
    sections that change from that month on (anything not restated carries over)."""

    start: MonthText = Field(alias="from")
    shared: VersionSharedSection = VersionSharedSection()
    funding: VersionFundingSection = VersionFundingSection()
    teams: dict[Name, TeamSection] | None = None
    gates: VersionGatesSection = VersionGatesSection()
    caps: VersionCapsSection = VersionCapsSection()
    name: Fixed = None
    currency: Fixed = None
    minor_unit: Fixed = None
    months: Fixed = None
    roster: Fixed = None
    history: Fixed = None
    calibration: Fixed = None
    metrics: Fixed = None
    leads: Fixed = None
    ledger: Fixed = None
    files: Fixed = None


def _plan_schema(schema: dict[str, JsonValue]) -> None:
    """The header's checks across settings, and no metric table under a name no metric has."""
    header_schema(schema)
    properties = schema["properties"]
    if isinstance(properties, dict) and isinstance(properties["metrics"], dict):
        properties["metrics"]["additionalProperties"] = False


class PlanFile(PlanHeader):
    """The plan file (TOML). See ``docs/plan-file.md`` for every setting."""

    model_config = ConfigDict(json_schema_extra=_plan_schema)

    # Wider than the header's list of names (which the gainsharing plan keeps).
    teams: Teams = Field(default_factory=list)  # type: ignore[assignment]
    files: FilesSection | None = None
    roster: RosterSection
    shared: SharedSection
    funding: FundingSection = FundingSection()
    history: HistorySection
    calibration: CalibrationSection
    metrics: dict[MetricName, MetricSection] = Field(default_factory=dict)
    gates: GatesSection = GatesSection()
    caps: CapsSection = CapsSection()
    leads: LeadsSection | None = None
    ledger: LedgerSection | None = None
    versions: list[VersionSection] = Field(default_factory=list)

    @model_serializer(mode="wrap")
    def _versions_when_given(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A plan without versions dumps (and so records in a run's manifest) the settings it
        # always did; one with versions records each [[versions]] table.
        data = handler(self)
        if not self.versions and isinstance(data, dict):
            data.pop("versions", None)
        if self.files is None and isinstance(data, dict):
            data.pop("files", None)  # likewise a plan that does not say how its files are written
        return data

    @property
    def from_leads(self) -> dict[str, str]:
        """Each metric that takes its actuals from the leads, and the lead figure it is."""
        return {
            name: section.figure or name
            for name, section in self.metrics.items()
            if section.source == "leads"
        }

    @property
    def team_tables(self) -> dict[str, TeamSection]:
        """Each team's table; a team only named (``teams = ["sales"]``) has an empty one."""
        if isinstance(self.teams, dict):
            return dict(self.teams)
        return {name: TeamSection() for name in self.teams}

    @property
    def measured(self) -> tuple[str, ...]:
        """The metrics the teams' goals measure, in the order they are first named."""
        found = dict.fromkeys(
            goal.metric for team in self.team_tables.values() for goal in team.goals
        )
        return tuple(found)
