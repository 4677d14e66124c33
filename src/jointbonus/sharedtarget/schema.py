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
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    WrapValidator,
    create_model,
    field_validator,
    model_validator,
)

from jointbonus.core.money import MINOR_UNITS
from jointbonus.core.number import D, scaled_int
from jointbonus.core.periods import Month
from jointbonus.core.roster import FTE_PLACES
from jointbonus.errors import JointBonusError

__all__ = [
    "METRIC_NAME",
    "CalibrationSection",
    "CapsSection",
    "CurveSection",
    "FundingSection",
    "GatesSection",
    "GoalSection",
    "HistoryRow",
    "HistorySection",
    "MetricSection",
    "MonthRow",
    "PlanFile",
    "PlanHeader",
    "RosterRow",
    "RosterSection",
    "SharedSection",
    "TeamSection",
    "history_row_model",
    "month_row_model",
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
#: How a number is written in a file: optional sign, ASCII digits, an optional
#: decimal point and exponent. No thousands separators, underscores or
#: non-ASCII digits, which Python's ``Decimal`` would otherwise accept.
_NUMBER_TEXT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def _decimal(value: object) -> Decimal:
    if isinstance(value, str) and not _NUMBER_TEXT.fullmatch(value.strip()):
        raise ValueError(
            "a decimal number written with digits and an optional '.', such as 1234.56 "
            "(no thousands separators or currency signs)"
        )
    try:
        return D(value)  # type: ignore[arg-type]
    except JointBonusError as error:
        # D() says "expected X, got Y"; the problem shows the value itself.
        message = str(error).removeprefix("expected ")
        raise ValueError(message.rpartition(", got ")[0] or message) from None


def _date(value: object) -> date:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
        raise ValueError("a date written YYYY-MM-DD such as 2026-01-31")
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError("a real calendar date written YYYY-MM-DD") from None


def _month(value: object) -> str:
    try:
        return str(Month.parse(value))  # type: ignore[arg-type]
    except JointBonusError:
        raise ValueError("a month written YYYY-MM such as 2026-01") from None


def _currency_code(value: object) -> object:
    if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value.strip(), re.ASCII):
        raise ValueError("a currency code of three capital letters (ISO 4217), such as USD")
    return value.strip()


def _fte(value: object) -> Decimal:
    fte = _decimal(value)
    if not Decimal(0) < fte <= Decimal(1):
        raise ValueError("a full-time-equivalent fraction above 0 and at most 1, such as 0.6")
    if scaled_int(fte, FTE_PLACES) is None:
        raise ValueError(f"a full-time-equivalent fraction with at most {FTE_PLACES} decimals")
    return fte


def _non_negative(value: object) -> Decimal:
    amount = _decimal(value)
    if amount < 0:
        raise ValueError("an amount >= 0")
    return amount


def _positive(value: object) -> Decimal:
    amount = _decimal(value)
    if amount <= 0:
        raise ValueError("a number above 0")
    return amount


def _bounded(inside: Callable[[Decimal], bool], expected: str) -> Callable[[object], Decimal]:
    """A check of a number that ``inside`` accepts; any other is refused with ``expected``."""

    def bounded(value: object) -> Decimal:
        number = _decimal(value)
        if not inside(number):
            raise ValueError(expected)
        return number

    return bounded


#: A functional metric's name, as goals.py checks it: it also names CSV columns
#: (``<metric>_target``, ``<metric>_actual``).
METRIC_NAME = re.compile(r"[a-z][a-z0-9_]{0,63}", re.ASCII)
_METRIC_NAME_EXPECTED = (
    "a metric name of lower-case letters, digits and '_', starting with a letter"
)


def _metric_name(value: object) -> str:
    if not isinstance(value, str) or not METRIC_NAME.fullmatch(value.strip()):
        raise ValueError(_METRIC_NAME_EXPECTED)
    return value.strip()


_T = TypeVar("_T")
_REMEMBERED_TEXTS = 1 << 16


def _by_text(check: Callable[[object], _T]) -> Callable[[object], _T]:
    """``check``, remembering what it made of each text it accepted.

    A CSV file repeats the same cells (dates, FTEs, salaries) on thousands of
    lines: each distinct text is checked once and read as one object. The
    checks are pure and their values immutable; a refused text is checked
    again each time, so its message is never lost.
    """
    accepted: dict[str, _T] = {}

    @functools.wraps(check)
    def checked(value: object) -> _T:
        if type(value) is not str:
            return check(value)
        known = accepted.get(value)
        if known is None:
            known = check(value)
            if len(accepted) >= _REMEMBERED_TEXTS:  # full: start afresh
                accepted.clear()
            accepted[value] = known
        return known

    return checked


#: What ``jointbonus schema`` says of a number: a TOML number, or text holding one.
_NUMBER_PATTERN = r"^\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*$"


def _number_schema(description: str, bound: dict[str, int]) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [{"type": "number", **bound}, {"type": "string", "pattern": _NUMBER_PATTERN}],
            "description": description,
        }
    )


Number = Annotated[
    Decimal,
    BeforeValidator(_by_text(_decimal)),
    _number_schema('a decimal number, as a number or as text such as "0.05"', {}),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(_by_text(_non_negative)),
    _number_schema('a number >= 0, as a number or as text such as "1234.50"', {"minimum": 0}),
]
Positive = Annotated[
    Decimal,
    BeforeValidator(_by_text(_positive)),
    _number_schema("a number above 0, as a number or as text", {"exclusiveMinimum": 0}),
]
_SHARE = "a share from 0 to 1, such as 0.5"
Share = Annotated[
    Decimal,
    BeforeValidator(_by_text(_bounded(lambda d: 0 <= d <= 1, _SHARE))),
    _number_schema(_SHARE, {"minimum": 0, "maximum": 1}),
]
_GOAL_WEIGHT = "a weight above 0, at most 1"
GoalWeight = Annotated[
    Decimal,
    BeforeValidator(_by_text(_bounded(lambda d: 0 < d <= 1, _GOAL_WEIGHT))),
    _number_schema(_GOAL_WEIGHT, {"exclusiveMinimum": 0, "maximum": 1}),
]
_ATTAINMENT = "an attainment above 0, such as 0.9 (90% of target)"
Attainment = Annotated[
    Decimal,
    BeforeValidator(_by_text(_bounded(lambda d: d > 0, _ATTAINMENT))),
    _number_schema(_ATTAINMENT, {"exclusiveMinimum": 0}),
]
_CAP = 'an amount above 0, such as "2000.00"'
CapAmount = Annotated[
    Decimal,
    BeforeValidator(_by_text(_bounded(lambda d: d > 0, _CAP))),
    _number_schema(_CAP, {"exclusiveMinimum": 0}),
]
MetricName = Annotated[
    str,
    BeforeValidator(_metric_name),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*[a-z][a-z0-9_]{0,63}\s*$",
            "description": _METRIC_NAME_EXPECTED,
        }
    ),
]
Fte = Annotated[Decimal, BeforeValidator(_by_text(_fte))]
Day = Annotated[date, BeforeValidator(_by_text(_date))]
MonthText = Annotated[
    str,
    BeforeValidator(_by_text(_month)),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\s*[0-9]{4}-[0-9]{2}\s*$", "description": "YYYY-MM"}
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RosterRow(_Model):
    """A line of the roster CSV: ``id,team,start,end,fte,salary,target_bonus``."""

    id: Name
    team: Name
    start: Day
    end: Day | None = None
    fte: Fte
    salary: Amount | None = None
    target_bonus: Amount | None = None


class MonthRow(_Model):
    """A line of the plan months CSV: ``month,target,actual``."""

    month: MonthText
    target: Positive | None = None
    actual: Amount | None = None


class HistoryRow(_Model):
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


class RosterSection(_Model):
    file: Name
    pay_leavers_for_exit_month: bool = False


class CurveSection(_Model):
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


class SharedSection(_Model):
    metric: Name = "revenue"
    file: Name
    curve: CurveSection


class FundingSection(_Model):
    style: Literal["pool", "individual"] = "pool"
    split: Literal["equal", "salary", "target_bonus"] = "equal"
    pool_at_target: Amount | None = None
    target_bonus_multiplier: Amount | None = None
    holdback: Amount = Decimal(0)

    @model_validator(mode="after")
    def _fits_style(self) -> FundingSection:
        if self.holdback >= 1:
            raise ValueError("holdback is a share of each payout below 1, such as 0.2")
        if self.style == "pool" and self.target_bonus_multiplier is not None:
            raise ValueError("target_bonus_multiplier applies to individual funding only")
        if self.style == "individual" and self.pool_at_target is not None:
            raise ValueError("pool_at_target applies to pool funding only")
        if self.style == "individual" and self.split != "equal":
            raise ValueError("split applies to pool funding only")
        return self


class HistorySection(_Model):
    file: Name
    norm: Literal["targets", "same_month_mean", "trailing_mean"] = "targets"
    window: int = Field(default=12, ge=1, le=120)
    uplift: Number = Decimal(0)


class CalibrationSection(_Model):
    neutrality: Literal["expected_cost", "norm_path"] = "expected_cost"
    budget: Literal["from_history"] | Amount


class GoalSection(_Model):
    """A functional goal of a team: ``[[teams.<team>.goals]]``."""

    metric: MetricName
    weight: GoalWeight
    curve: CurveSection


class TeamSection(_Model):
    """A team of the plan: ``[teams.<team>]``.

    Give ``shared_weight`` or ``expected_shared_split`` (not both) when the
    team has goals; a team without goals is paid on the shared goal alone.
    """

    shared_weight: Share | None = None
    expected_shared_split: Share | None = None
    goals: list[GoalSection] = Field(default_factory=list)


class MetricSection(_Model):
    """How a functional metric's norm is read from history: ``[metrics.<metric>]``.

    Each setting left out is the plan's: ``history.norm``, no uplift,
    ``history.window``.
    """

    norm: Literal["targets", "same_month_mean", "trailing_mean"] | None = None
    uplift: Number = Decimal(0)
    window: int | None = Field(default=None, ge=1, le=120)


class GatesSection(_Model):
    """Attainments one part of the bonus needs before another pays."""

    functional_gate: Attainment | None = None
    """The shared attainment a month needs before any functional part pays."""
    shared_gate: Attainment | None = None
    """The attainment each of a team's goals needs before its shared part pays."""


class CapsSection(_Model):
    """The most one member is paid, in the plan's currency."""

    per_month: CapAmount | None = None
    per_year: CapAmount | None = None
    """Per plan year: each run of 12 plan months from the plan's start."""


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


class PlanHeader(_Model):
    """What every plan file begins with: its name, currency and months."""

    name: Name
    # minor_unit comes first so that currency's check can see it.
    minor_unit: int | None = Field(default=None, ge=0, le=4)
    currency: Annotated[str, BeforeValidator(_currency_code), Field(pattern=r"^[A-Z]{3}$")]
    start: MonthText
    months: int = Field(default=12, ge=1, le=120)
    teams: list[Name] = Field(default_factory=list)

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str, info: ValidationInfo) -> str:
        # minor_unit is absent from info.data when it was itself invalid.
        known = code in MINOR_UNITS
        if not known and "minor_unit" in info.data and info.data["minor_unit"] is None:
            raise ValueError(
                "an ISO 4217 currency the library knows (such as USD, EUR, JPY, KWD), "
                "or give the plan's minor_unit (the decimals paid: 2 for cents)"
            )
        return code


class PlanFile(PlanHeader):
    """The plan file (TOML). See ``docs/plan-file.md`` for every setting."""

    # Wider than the header's list of names (which the gainsharing plan keeps).
    teams: Teams = Field(default_factory=list)  # type: ignore[assignment]
    roster: RosterSection
    shared: SharedSection
    funding: FundingSection = FundingSection()
    history: HistorySection
    calibration: CalibrationSection
    metrics: dict[MetricName, MetricSection] = Field(default_factory=dict)
    gates: GatesSection = GatesSection()
    caps: CapsSection = CapsSection()

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
