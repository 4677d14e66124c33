"""The library's exceptions.

Every error jointbonus raises on purpose derives from :class:`JointBonusError`,
so an embedding system can catch the library's own failures in one place.
Each subclass also derives from the built-in exception that describes what it
is (:class:`ValueError` for bad values, :class:`TypeError` for bad types), so
ordinary ``except ValueError`` code keeps working.

Input problems are collected, not raised one by one: a loader gathers every
:class:`Problem` it finds in a plan and its files and raises one
:class:`PlanError` listing them all, so a user fixes a roster in one pass.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from typing import Any, NoReturn, TypeVar, overload

Value = TypeVar("Value")

__all__ = [
    "ArgumentError",
    "CalibrationError",
    "FloatMoneyError",
    "JointBonusError",
    "PlanError",
    "Problem",
    "argument",
    "items",
    "problem",
    "refuse",
    "shown",
]


class JointBonusError(Exception):
    """Base class of every error the library raises on purpose."""


class FloatMoneyError(JointBonusError, TypeError):
    """A float reached a money or metric computation.

    Floats cannot hold most decimal amounts exactly (0.1 + 0.2 != 0.3), so the
    library refuses them outright: pass a :class:`decimal.Decimal`, an ``int``
    or the amount as text (``"1234.56"``).
    """


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input, located as precisely as possible.

    ``file`` and ``line`` are ``None`` for problems in values passed through
    the Python API; ``line`` counts from 1 and includes a CSV file's header.
    ``field`` is the column (CSV), the dotted setting (TOML, ``shared.curve``)
    or the argument (API). ``str()`` gives one line a person can act on::

        data/roster.csv:4: fte: got '0', expected a full-time-equivalent ...

    A very long value is shortened in the message (``value`` keeps it whole).
    A value of ``None`` in a file is something not written: an empty cell of a
    CSV file, a setting left out of a plan file::

        data/history.csv:15: target: got an empty cell, expected the month's target
    """

    field: str
    value: object
    expected: str
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file is not None:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
            where += ": "
        got = shown(self.value)
        if self.value is None and self.file is not None:  # nothing was written there
            got = "an empty cell" if self.file.endswith(".csv") else "nothing"
        return f"{where}{self.field}: got {got}, expected {self.expected}"


#: Longest ``repr`` of a value shown in a message; longer ones are cut in the middle.
MAX_SHOWN = 120


def shown(value: object) -> str:
    """``value`` as a message shows it: its ``repr``, cut in the middle if long."""
    if isinstance(value, Decimal):  # as written, not Decimal('1.50')
        value = str(value)
    try:
        text = repr(value)
    except RecursionError:  # a value nested too deeply to print
        text = f"<{type(value).__name__} nested too deeply to show>"
    if len(text) > MAX_SHOWN:
        half = MAX_SHOWN // 2 - 2
        text = f"{text[:half]} ... {text[-half:]}"
    return text


def problem(field: str, value: object, expected: str) -> Problem:
    """A :class:`Problem` with no file or line (a value passed through the Python API).

    A float value gets a note on why floats are refused, so the fix is plain.
    """
    if isinstance(value, float):
        expected += (
            f" -- not a float: floats cannot hold decimal amounts exactly; "
            f"pass a Decimal, an int or text such as {str(value)!r}"
        )
    return Problem(field, value, expected)


class PlanError(JointBonusError, ValueError):
    """A plan, or one of its input files, is wrong.

    ``problems`` lists every problem found, in file and line order; the
    message shows them one per line.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        if not self.problems:
            raise ValueError("PlanError needs at least one problem")
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{head} in the plan:\n{lines}")


class ArgumentError(JointBonusError, TypeError, ValueError):
    """An argument of a public function is of the wrong type, or not one of its choices.

    The message names the argument, what it got and what was expected::

        plan: got str 'plan.toml', expected a Plan (from load_plan or build_plan)

    It derives from :class:`TypeError` and :class:`ValueError` both, so code
    that caught either from the library before keeps working.
    """


@overload
def argument(name: str, value: object, kinds: type[Value], expected: str) -> Value: ...
@overload
def argument(name: str, value: object, kinds: tuple[type, ...], expected: str) -> Any: ...
def argument(name: str, value: object, kinds: type | tuple[type, ...], expected: str) -> Any:
    """``value`` if it is an instance of ``kinds``, else :class:`ArgumentError`.

    The one check of an argument's type at the library's face: a public
    function calls it on each argument it takes, before any work. A ``bool``
    is not taken for an ``int`` (``True`` is no count of years).

    >>> argument("years", 10, int, "a whole number")
    10
    >>> argument("years", True, int, "a whole number")
    Traceback (most recent call last):
    ...
    jointbonus.errors.ArgumentError: years: got bool True, expected a whole number
    """
    if isinstance(value, kinds) and (
        not isinstance(value, bool) or bool in (kinds if isinstance(kinds, tuple) else (kinds,))
    ):
        return value
    refuse(name, value, expected)


def refuse(name: str, value: object, expected: str) -> NoReturn:
    """Raise :class:`ArgumentError`: argument ``name`` got ``value``, not ``expected``."""
    got = "None" if value is None else f"{type(value).__name__} {shown(value)}"
    raise ArgumentError(f"{name}: got {got}, expected {expected}")


def items(name: str, value: object, kinds: type | tuple[type, ...], expected: str) -> list[Any]:
    """The items of iterable argument ``name`` as a list, each an instance of ``kinds``.

    A generator is read once, here, before anything else looks at it; text,
    bytes and mappings are not taken for a collection of items. ``expected``
    says what the argument must be.
    """
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        refuse(name, value, expected)
    listed = list(value)
    # All at once (a roster of 100,000 members); item by item only to name a wrong one.
    if all(map(isinstance, listed, repeat(kinds))) and not (
        _takes_bool(kinds) and any(type(item) is bool for item in listed)
    ):
        return listed
    for place, item in enumerate(listed):
        argument(f"{name}[{place}]", item, kinds, expected)
    return listed


def _takes_bool(kinds: type | tuple[type, ...]) -> bool:
    """Whether ``kinds`` would take a ``bool`` only as an ``int``: one :func:`argument` refuses."""
    listed = kinds if isinstance(kinds, tuple) else (kinds,)
    return bool not in listed and isinstance(True, listed)


class CalibrationError(JointBonusError, ValueError):
    """The plan cannot be made revenue-neutral as it stands.

    The message says why and what to change (a lower threshold, lower
    targets, a different budget, ...).
    """
