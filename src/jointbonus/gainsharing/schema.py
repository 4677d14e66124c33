"""Pydantic models of the gainsharing plan file and of the rows of its periods CSV.

The edge, as in :mod:`jointbonus.sharedtarget.schema`: these models turn text into typed
values and say, for each bad value, what was expected. The roster CSV is the
core's (:class:`jointbonus.sharedtarget.schema.RosterRow`). Numbers are exact: TOML floats
are read as :class:`~decimal.Decimal`, CSV cells are text.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

from pydantic import (
    BeforeValidator,
    SerializerFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from jointbonus.gainsharing.plan import Distribution, Formula, PeriodLength, ReserveSource
from jointbonus.io.fields import (
    Amount,
    Flag,
    InputModel,
    MonthText,
    PlanHeader,
    bounded,
    choice,
    number_schema,
)
from jointbonus.io.sources import FilesSection, InputFileSection

if TYPE_CHECKING:  # a type checker sees text; pydantic sees the Literal of the enum's values
    FormulaChoice: TypeAlias = str
    PeriodChoice: TypeAlias = str
    DistributionChoice: TypeAlias = str
    ReserveSourceChoice: TypeAlias = str
else:
    FormulaChoice = choice(Formula)
    PeriodChoice = choice(PeriodLength)
    DistributionChoice = choice(Distribution)
    ReserveSourceChoice = choice(ReserveSource)

__all__ = [
    "BasePeriodSection",
    "GainsharingFile",
    "GainsharingRosterSection",
    "GainsharingSection",
    "PeriodRow",
]


Share = Annotated[
    Decimal,
    BeforeValidator(bounded(lambda d: 0 <= d <= 1, "a share from 0 to 1, such as 0.5 (50%)")),
    number_schema("a share from 0 to 1, such as 0.5 (50%)", "0..1"),
]
HoldbackShare = Annotated[
    Decimal,
    BeforeValidator(
        bounded(
            lambda d: 0 <= d < 1,
            "a share from 0 to below 1, such as 0.1 (10% of each period's amount held "
            "until the year end)",
        )
    ),
    number_schema("a share from 0 to below 1, such as 0.1", "0..<1"),
]


class PeriodRow(InputModel):
    """A line of the periods CSV: ``month,revenue,cost,purchases``.

    Revenue and cost are left empty for a plan month not reported yet;
    purchases are needed by the Rucker formula only.
    """

    month: MonthText
    revenue: Amount | None = None
    cost: Amount | None = None
    purchases: Amount | None = None


class GainsharingRosterSection(InputFileSection):
    pay_leavers_for_exit_period: Flag = False


class BasePeriodSection(InputModel):
    first: MonthText
    last: MonthText

    @model_validator(mode="after")
    def _in_order(self) -> BasePeriodSection:
        if self.last < self.first:
            raise ValueError(f"a last month on or after the first month {self.first}")
        return self


class GainsharingSection(InputFileSection):
    formula: FormulaChoice
    base_period: BasePeriodSection
    period: PeriodChoice = "month"
    employee_share: Share
    reserve_share: Share
    reserve_from: ReserveSourceChoice = "employee_share"
    distribution: DistributionChoice = "weight"
    holdback: HoldbackShare = Decimal(0)


class GainsharingFile(PlanHeader):
    """The gainsharing plan file (TOML). See ``docs/gainsharing.md`` for every setting."""

    kind: Literal["gainsharing"]
    files: FilesSection | None = None
    roster: GainsharingRosterSection
    gainsharing: GainsharingSection

    @model_serializer(mode="wrap")
    def _files_when_given(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A plan that does not say how its files are written records its settings as before.
        data = handler(self)
        if self.files is None and isinstance(data, dict):
            data.pop("files", None)
        return data
