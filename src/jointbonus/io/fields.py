"""Field types of the plan files and of the rows of their CSV files: the edge's vocabulary.

Both plan kinds read their files through these types (pydantic v2, at the
edge only), so a number, a date, a month or an FTE is checked by one rule
and refused with one message wherever it is written. A type turns text into
an exact value (a :class:`~decimal.Decimal`, never a float) and says, for a
bad value, what was expected.

The rules of the roster's values are the core's own
(:func:`jointbonus.core.roster.fte_units`), so a roster read from a file and a
:class:`~jointbonus.core.roster.Member` made in Python agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
)

from jointbonus.core.money import MINOR_UNITS
from jointbonus.core.number import NUMBER_TEXT, NUMBER_WORDS, D, number_text_problem
from jointbonus.core.periods import Month
from jointbonus.core.roster import fte_problem
from jointbonus.core.rules import (
    AMOUNT,
    ATTAINMENT,
    CAP,
    GOAL_WEIGHT,
    HOLDBACK,
    POSITIVE,
    SHARE,
    Rule,
)
from jointbonus.errors import JointBonusError

__all__ = [
    "FRACTION_WORDS",
    "METRIC_NAME",
    "Amount",
    "Attainment",
    "CapAmount",
    "Day",
    "Fte",
    "GoalWeight",
    "Holdback",
    "InputModel",
    "MetricName",
    "MonthText",
    "Name",
    "Number",
    "PlanHeader",
    "Positive",
    "RosterRow",
    "Share",
    "bounded",
    "choice",
    "decimal",
    "ruled",
]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)

#: What a fraction (an FTE) must be when its text is not a number.
FRACTION_WORDS = "a fraction such as 0.8"


def decimal(value: object, expected: str = NUMBER_WORDS) -> Decimal:
    """``value`` as an exact Decimal; text is read by the one number grammar
    (:data:`~jointbonus.core.number.NUMBER_TEXT`), and refused in ``expected``'s words."""
    if isinstance(value, str):
        wrong = number_text_problem(value.strip(), expected)
        if wrong is not None:
            raise ValueError(wrong)
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
    fte = decimal(value, FRACTION_WORDS)
    problem = fte_problem(fte)
    if problem is not None:
        raise ValueError(problem)
    return fte


def ruled(rule: Rule) -> Callable[[object], Decimal]:
    """A check of a number that follows ``rule``; any other is refused in the rule's words."""

    def check(value: object) -> Decimal:
        return rule.check(decimal(value))

    return check


def bounded(inside: Callable[[Fraction], bool], expected: str) -> Callable[[object], Decimal]:
    """A check of a number that ``inside`` accepts; any other is refused with ``expected``."""
    return ruled(Rule(expected, inside))


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


#: What ``jointbonus schema`` says of a number: a TOML number, or text holding one.
_NUMBER_PATTERN = rf"^\s*{NUMBER_TEXT.pattern}\s*$"


def _number_schema(description: str, bound: dict[str, int]) -> WithJsonSchema:
    return WithJsonSchema(
        {
            "anyOf": [{"type": "number", **bound}, {"type": "string", "pattern": _NUMBER_PATTERN}],
            "description": description,
        }
    )


Number = Annotated[
    Decimal,
    BeforeValidator(decimal),
    _number_schema('a decimal number, as a number or as text such as "0.05"', {}),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(ruled(AMOUNT)),
    _number_schema('a number >= 0, as a number or as text such as "1234.50"', {"minimum": 0}),
]
Positive = Annotated[
    Decimal,
    BeforeValidator(ruled(POSITIVE)),
    _number_schema("a number above 0, as a number or as text", {"exclusiveMinimum": 0}),
]
Share = Annotated[
    Decimal,
    BeforeValidator(ruled(SHARE)),
    _number_schema(SHARE.expected, {"minimum": 0, "maximum": 1}),
]
Holdback = Annotated[
    Decimal,
    BeforeValidator(ruled(HOLDBACK)),
    _number_schema(HOLDBACK.expected, {"minimum": 0, "exclusiveMaximum": 1}),
]
GoalWeight = Annotated[
    Decimal,
    BeforeValidator(ruled(GOAL_WEIGHT)),
    _number_schema(GOAL_WEIGHT.expected, {"exclusiveMinimum": 0, "maximum": 1}),
]
Attainment = Annotated[
    Decimal,
    BeforeValidator(ruled(ATTAINMENT)),
    _number_schema(ATTAINMENT.expected, {"exclusiveMinimum": 0}),
]
CapAmount = Annotated[
    Decimal,
    BeforeValidator(ruled(CAP)),
    _number_schema(CAP.expected, {"exclusiveMinimum": 0}),
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
Fte = Annotated[Decimal, BeforeValidator(_fte)]
Day = Annotated[date, BeforeValidator(_date)]
MonthText = Annotated[
    str,
    BeforeValidator(_month),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\s*[0-9]{4}-[0-9]{2}\s*$", "description": "YYYY-MM"}
    ),
]
Name = Annotated[str, Field(min_length=1, max_length=200)]


class InputModel(BaseModel):
    """A model of a file's settings or rows: unknown keys refused, frozen, text stripped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class RosterRow(InputModel):
    """A line of the roster CSV: ``id,team,start,end,fte,salary,target_bonus``."""

    id: Name
    team: Name
    start: Day
    end: Day | None = None
    fte: Fte
    salary: Amount | None = None
    target_bonus: Amount | None = None


class PlanHeader(InputModel):
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


def choice(kind: type[StrEnum]) -> Any:
    """The field type of a setting that takes one of ``kind``'s values (``"pool"``, ...).

    The names are the enum's, defined once; the field is the ``Literal`` of
    them, so a file and ``jointbonus schema`` say exactly what the enum has.
    """
    return Literal[tuple(member.value for member in kind)]
