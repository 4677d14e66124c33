"""What every section's checks share: the list of problems and the ways a value is read.

A problem is named by the argument of :func:`~jointbonus.build_plan` it
concerns (``budget``, ``holdback``, ``member DM-S03 team``, ``target
2026-05``, ``teams.sales.goals[0].weight``), never by where a plan file keeps
it: the loader alone knows files, lines and settings, and turns these names
into them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction
from typing import TypeVar

from jointbonus.core.number import to_fraction
from jointbonus.core.periods import Month
from jointbonus.core.rules import Rule
from jointbonus.errors import JointBonusError, Problem, problem

__all__ = ["Checks"]

E = TypeVar("E", bound=StrEnum)


@dataclass
class Checks:
    """The problems found so far, and how each kind of value is read and checked."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, name: str, value: object, expected: str) -> None:
        self.problems.append(problem(name, value, expected))

    def choice(self, kind: type[E], value: object, name: str) -> E | None:
        """``value`` as one of ``kind``'s values, or ``None`` and a problem naming them all."""
        try:
            return kind(str(value))
        except ValueError:
            choices = ", ".join(repr(m.value) for m in kind)
            self.add(name, value, f"one of {choices}")
            return None

    def fraction(self, value: object, name: str, expected: str) -> Fraction | None:
        """``value`` as an exact fraction, or ``None`` and a problem (a float is refused)."""
        try:
            return to_fraction(value)  # type: ignore[arg-type]
        except (JointBonusError, TypeError):
            self.add(name, value, expected)
            return None

    def ruled(
        self, value: object, name: str, rule: Rule, expected: str | None = None
    ) -> Fraction | None:
        """``value`` as a fraction that follows ``rule``, or ``None`` and a problem.

        ``expected`` says what was expected when it is not a number at all
        (the rule's own words when not given).
        """
        exact = self.fraction(value, name, expected or rule.expected)
        if exact is not None and not rule.holds(exact):
            self.add(name, value, rule.expected)
            return None
        return exact

    def by_month(
        self,
        mapping: Mapping[str | Month, object] | None,
        name: str,
        calendar: Sequence[Month],
    ) -> dict[Month, object]:
        """A mapping keyed by plan month: each key a month written YYYY-MM, in the plan."""
        result: dict[Month, object] = {}
        for key, value in (mapping or {}).items():
            try:
                month = key if isinstance(key, Month) else Month.parse(key)
            except JointBonusError:
                self.add(f"{name} month", key, "a month written YYYY-MM")
                continue
            if calendar and month not in calendar:
                self.add(
                    f"{name} month",
                    str(month),
                    f"a month of the plan ({calendar[0]} to {calendar[-1]})",
                )
                continue
            result[month] = value
        return result
