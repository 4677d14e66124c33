"""Pydantic models of the gainsharing plan file and of the rows of its periods CSV.

The edge, as in :mod:`jointbonus.schema`: these models turn text into typed
values and say, for each bad value, what was expected. The roster CSV is the
core's (:class:`jointbonus.schema.RosterRow`). Numbers are exact: TOML floats
are read as :class:`~decimal.Decimal`, CSV cells are text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jointbonus.money import MINOR_UNITS
from jointbonus.schema import Amount, MonthText, Name, _by_text, _currency_code, _decimal

__all__ = [
    "BasePeriodSection",
    "GainsharingFile",
    "GainsharingRosterSection",
    "GainsharingSection",
    "PeriodRow",
]


def _share(value: object) -> Decimal:
    share = _decimal(value)
    if not Decimal(0) <= share <= Decimal(1):
        raise ValueError("a share from 0 to 1, such as 0.5 (50%)")
    return share


def _holdback(value: object) -> Decimal:
    share = _decimal(value)
    if not Decimal(0) <= share < Decimal(1):
        raise ValueError(
            "a share from 0 to below 1, such as 0.1 (10% of each period's amount held "
            "until the year end)"
        )
    return share


Share = Annotated[Decimal, BeforeValidator(_by_text(_share))]
HoldbackShare = Annotated[Decimal, BeforeValidator(_by_text(_holdback))]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class PeriodRow(_Model):
    """A line of the periods CSV: ``month,revenue,cost,purchases``.

    Revenue and cost are left empty for a plan month not reported yet;
    purchases are needed by the Rucker formula only.
    """

    month: MonthText
    revenue: Amount | None = None
    cost: Amount | None = None
    purchases: Amount | None = None


class GainsharingRosterSection(_Model):
    file: Name
    pay_leavers_for_exit_period: bool = False


class BasePeriodSection(_Model):
    first: MonthText
    last: MonthText

    @model_validator(mode="after")
    def _in_order(self) -> BasePeriodSection:
        if self.last < self.first:
            raise ValueError(f"a last month on or after the first month {self.first}")
        return self


class GainsharingSection(_Model):
    formula: Literal["scanlon", "rucker"]
    file: Name
    base_period: BasePeriodSection
    period: Literal["month", "quarter"] = "month"
    employee_share: Share
    reserve_share: Share
    distribution: Literal["equal", "weight", "pay"] = "weight"
    holdback: HoldbackShare = Decimal(0)


class GainsharingFile(_Model):
    """The gainsharing plan file (TOML). See ``docs/gainsharing.md`` for every setting."""

    kind: Literal["gainsharing"]
    name: Name
    # minor_unit comes first so that currency's check can see it.
    minor_unit: int | None = Field(default=None, ge=0, le=4)
    currency: Annotated[str, BeforeValidator(_currency_code), Field(pattern=r"^[A-Z]{3}$")]
    start: MonthText
    months: int = Field(default=12, ge=1, le=120)
    teams: list[Name] = Field(default_factory=list)
    roster: GainsharingRosterSection
    gainsharing: GainsharingSection

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str, info: ValidationInfo) -> str:
        known = code in MINOR_UNITS
        if not known and "minor_unit" in info.data and info.data["minor_unit"] is None:
            raise ValueError(
                "an ISO 4217 currency the library knows (such as USD, EUR, JPY, KWD), "
                "or give the plan's minor_unit (the decimals paid: 2 for cents)"
            )
        return code
