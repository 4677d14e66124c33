"""Pydantic models of the gainsharing plan file and of the rows of its periods CSV.

The edge, as in :mod:`jointbonus.sharedtarget.schema`: these models turn text into typed
values and say, for each bad value, what was expected. The roster CSV is the
core's (:class:`jointbonus.sharedtarget.schema.RosterRow`). Numbers are exact: TOML floats
are read as :class:`~decimal.Decimal`, CSV cells are text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    model_validator,
)

from jointbonus.sharedtarget.schema import (
    Amount,
    MonthText,
    Name,
    PlanHeader,
    _by_text,
    _decimal,
)

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


class GainsharingFile(PlanHeader):
    """The gainsharing plan file (TOML). See ``docs/gainsharing.md`` for every setting."""

    kind: Literal["gainsharing"]
    roster: GainsharingRosterSection
    gainsharing: GainsharingSection
