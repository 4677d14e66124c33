"""Pydantic models of the plan file and of the rows of its CSV files.

These models are the edge: they turn text into typed values and say, for
each bad value, what was expected. ``jointbonus`` never uses them past the
loader; the engine works on plain frozen values (:mod:`jointbonus.plan`).

Numbers are exact: TOML floats are read as :class:`~decimal.Decimal` (the
loader parses with ``parse_float=Decimal``), CSV cells are text, and a Python
``float`` handed to a model is refused.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from jointbonus.errors import JointBonusError
from jointbonus.money import MINOR_UNITS
from jointbonus.number import D
from jointbonus.periods import Month

__all__ = [
    "CalibrationSection",
    "CurveSection",
    "FundingSection",
    "HistoryRow",
    "HistorySection",
    "MonthRow",
    "PlanFile",
    "RosterRow",
    "RosterSection",
    "SharedSection",
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _decimal(value: object) -> Decimal:
    try:
        return D(value)  # type: ignore[arg-type]
    except JointBonusError as error:
        raise ValueError(str(error)) from None


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


def _fte(value: object) -> Decimal:
    fte = _decimal(value)
    if not Decimal(0) < fte <= Decimal(1):
        raise ValueError("a full-time-equivalent fraction above 0 and at most 1, such as 0.6")
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


Number = Annotated[Decimal, BeforeValidator(_decimal)]
Amount = Annotated[Decimal, BeforeValidator(_non_negative)]
Positive = Annotated[Decimal, BeforeValidator(_positive)]
Fte = Annotated[Decimal, BeforeValidator(_fte)]
Day = Annotated[date, BeforeValidator(_date)]
MonthText = Annotated[str, BeforeValidator(_month)]
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

    @model_validator(mode="after")
    def _fits_style(self) -> FundingSection:
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


class PlanFile(_Model):
    """The plan file (TOML). See ``docs/plan-file.md`` for every setting."""

    name: Name
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    minor_unit: int | None = Field(default=None, ge=0, le=4)
    start: MonthText
    months: int = Field(default=12, ge=1, le=120)
    teams: list[Name] = Field(default_factory=list)
    roster: RosterSection
    shared: SharedSection
    funding: FundingSection = FundingSection()
    history: HistorySection
    calibration: CalibrationSection

    @model_validator(mode="after")
    def _known_currency(self) -> PlanFile:
        if self.minor_unit is None and self.currency not in MINOR_UNITS:
            raise ValueError(
                f"currency {self.currency} is not one the library knows; give its minor_unit"
            )
        return self
