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
    JsonValue,
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
    "NUMBER_TEXT",
    "Amount",
    "Attainment",
    "CapAmount",
    "Day",
    "Flag",
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
    "Whole",
    "bounded",
    "choice",
    "decimal",
    "given",
    "header_schema",
    "month_check",
    "number_schema",
    "one_of_values",
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


#: The check of a month cell (``YYYY-MM``): a reader of typed cells knows a month column by it.
month_check = _month


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


# -- what ``jointbonus schema`` says of a number ---------------------------------------
#
# A number is a TOML (or JSON) number or text holding one. The schema is as strict as
# the checks: a text's pattern is the number grammar (:data:`NUMBER_TEXT`: digits with an
# optional point and digits) narrowed to the numbers inside the field's bounds, and both
# forms stay below 10^18 with at most 18 decimals.

_DIGITS = r"([0-9]{1,18}(\.[0-9]{1,18})?)"
_ZERO = r"(0{1,18}(\.0{1,18})?)"
_UNDER_ONE = r"(0{1,18}(\.[0-9]{1,18})?)"
_ONE = r"(0{0,17}1(\.0{1,18})?)"
_NONZERO = r"(?=[0-9.]*[1-9])"


def _text(body: str) -> str:
    return rf"^\s*{body}\s*$"


#: Text patterns by the range a number must be in.
_RANGE_TEXT = {
    "any": _text(rf"[+-]?{_DIGITS}"),
    ">=0": _text(rf"(\+?{_DIGITS}|-{_ZERO})"),
    ">0": _text(rf"\+?{_NONZERO}{_DIGITS}"),
    "0..1": _text(rf"(\+?({_UNDER_ONE}|{_ONE})|-{_ZERO})"),
    "0..<1": _text(rf"(\+?{_UNDER_ONE}|-{_ZERO})"),
    ">0..1": _text(rf"\+?{_NONZERO}({_UNDER_ONE}|{_ONE})"),
}

#: The bounds of a number given as a number, by the same ranges.
_NUMBER_BOUNDS: dict[str, dict[str, int]] = {
    "any": {"exclusiveMinimum": -(10**18), "exclusiveMaximum": 10**18},
    ">=0": {"minimum": 0, "exclusiveMaximum": 10**18},
    ">0": {"exclusiveMinimum": 0, "exclusiveMaximum": 10**18},
    "0..1": {"minimum": 0, "maximum": 1},
    "0..<1": {"minimum": 0, "exclusiveMaximum": 1},
    ">0..1": {"exclusiveMinimum": 0, "maximum": 1},
}


def number_schema(description: str, kind: str) -> WithJsonSchema:
    """The JSON Schema of a number in the range ``kind`` (a key of ``_RANGE_TEXT``)."""
    return WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", **_NUMBER_BOUNDS[kind]},
                {"type": "string", "pattern": _RANGE_TEXT[kind]},
            ],
            "description": description,
        }
    )


Number = Annotated[
    Decimal,
    BeforeValidator(decimal),
    number_schema('a decimal number, as a number or as text such as "0.05"', "any"),
]
Amount = Annotated[
    Decimal,
    BeforeValidator(ruled(AMOUNT)),
    number_schema('a number >= 0, as a number or as text such as "1234.50"', ">=0"),
]
Positive = Annotated[
    Decimal,
    BeforeValidator(ruled(POSITIVE)),
    number_schema("a number above 0, as a number or as text", ">0"),
]
Share = Annotated[
    Decimal,
    BeforeValidator(ruled(SHARE)),
    number_schema(SHARE.expected, "0..1"),
]
Holdback = Annotated[
    Decimal,
    BeforeValidator(ruled(HOLDBACK)),
    number_schema(HOLDBACK.expected, "0..<1"),
]
GoalWeight = Annotated[
    Decimal,
    BeforeValidator(ruled(GOAL_WEIGHT)),
    number_schema(GOAL_WEIGHT.expected, ">0..1"),
]
Attainment = Annotated[
    Decimal,
    BeforeValidator(ruled(ATTAINMENT)),
    number_schema(ATTAINMENT.expected, ">0"),
]
CapAmount = Annotated[
    Decimal,
    BeforeValidator(ruled(CAP)),
    number_schema(CAP.expected, ">0"),
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


def _kind(value: object) -> str:
    """What a wrong value is, in the plan file's words (a TOML float is read as a Decimal)."""
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, Decimal | float):
        return "a number with a decimal point"
    if isinstance(value, str):
        return "text in quotes"
    return f"a value of type {type(value).__name__}"


def _whole(value: object) -> int:
    """A count written as a whole number: ``12``, never ``12.0``, ``"12"`` or ``true``."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(
        f"a whole number, written without a decimal point or quotes (not {_kind(value)})"
    )


def _flag(value: object) -> bool:
    """A flag written as a boolean: ``true`` or ``false``, never ``"yes"`` or ``1``."""
    if isinstance(value, bool):
        return value
    raise ValueError(f"true or false, written without quotes (not {_kind(value)})")


#: A count: a whole number, nothing else (bounds go on the field: ``Field(ge=1, le=120)``).
Whole = Annotated[int, BeforeValidator(_whole)]
#: A yes-or-no setting: a boolean, nothing else.
Flag = Annotated[bool, BeforeValidator(_flag), WithJsonSchema({"type": "boolean"})]
Fte = Annotated[Decimal, BeforeValidator(_fte)]
Day = Annotated[date, BeforeValidator(_date)]
MonthText = Annotated[
    str,
    BeforeValidator(_month),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\s*(?!0000)[0-9]{4}-(0[1-9]|1[0-2])\s*$",
            "description": "a month written YYYY-MM, such as 2026-01",
        }
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


def _codes(codes: list[str]) -> dict[str, JsonValue]:
    """JSON Schema: one of the currency ``codes``, white space around it allowed."""
    return {"type": "string", "pattern": rf"^\s*({'|'.join(codes)})\s*$"}


def header_schema(schema: dict[str, JsonValue]) -> None:
    """The checks across the header's settings, as JSON Schema (see :func:`_currency_rules`)."""
    schema["allOf"] = _currency_rules()


def _currency_rules() -> list[JsonValue]:
    """A known currency's ``minor_unit``, if given, is its own; an unknown one needs it."""
    groups: dict[int, list[str]] = {}
    for code, places in sorted(MINOR_UNITS.items()):
        groups.setdefault(places, []).append(code)
    rules: list[JsonValue] = [
        {
            "if": {
                "properties": {"currency": _codes(codes), "minor_unit": {"type": "integer"}},
                "required": ["currency", "minor_unit"],
            },
            "then": {"properties": {"minor_unit": {"const": places}}},
        }
        for places, codes in sorted(groups.items())
    ]
    rules.append(
        {
            "if": {
                "properties": {"currency": {"not": _codes(sorted(MINOR_UNITS))}},
                "required": ["currency"],
            },
            "then": {"properties": {"minor_unit": {"type": "integer"}}, "required": ["minor_unit"]},
        }
    )
    return rules


def given(name: str) -> dict[str, JsonValue]:
    """JSON Schema: the setting ``name`` is given (present and not ``null``)."""
    return {"properties": {name: {"not": {"type": "null"}}}, "required": [name]}


def one_of_values(name: str, values: list[JsonValue], *, default: bool) -> dict[str, JsonValue]:
    """JSON Schema: the setting ``name`` is one of ``values`` (``default``: also when absent)."""
    rule: dict[str, JsonValue] = {"properties": {name: {"enum": values}}}
    if not default:
        rule["required"] = [name]
    return rule


class PlanHeader(InputModel):
    """What every plan file begins with: its name, currency and months."""

    model_config = ConfigDict(json_schema_extra=header_schema)

    name: Name
    # minor_unit comes first so that currency's check can see it.
    minor_unit: (
        Annotated[
            Whole,
            Field(ge=0, le=4),
            WithJsonSchema({"type": "integer", "minimum": 0, "maximum": 4}),
        ]
        | None
    ) = None
    currency: Annotated[
        str,
        BeforeValidator(_currency_code),
        WithJsonSchema(
            {
                "type": "string",
                "pattern": r"^\s*[A-Z]{3}\s*$",
                "description": "an ISO 4217 currency code of three capital letters, such as USD",
            }
        ),
    ]
    start: MonthText
    months: Whole = Field(default=12, ge=1, le=120)
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
