"""The rules a plan's numbers must follow, each written once.

A :class:`Rule` is a test on an exact number and the words that say what
was expected. The plan files' field types (:mod:`jointbonus.io.fields`) and
the checks of a plan built in Python (:func:`jointbonus.build_plan`) apply the
same rules, so a value refused in a file is refused the same way through the
API, with the same words.

>>> SHARE.check(Decimal("0.5"))
Decimal('0.5')
>>> SHARE.check(Decimal("1.5"))
Traceback (most recent call last):
...
jointbonus.core.rules.RuleError: a share from 0 to 1, such as 0.5
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from jointbonus.errors import JointBonusError

__all__ = [
    "AMOUNT",
    "ATTAINMENT",
    "CAP",
    "GOAL_WEIGHT",
    "HOLDBACK",
    "POSITIVE",
    "SHARE",
    "UPLIFT",
    "Rule",
    "RuleError",
]


class RuleError(JointBonusError, ValueError):
    """A number that breaks a rule; the message is what was expected."""


@dataclass(frozen=True, slots=True)
class Rule:
    """A rule on an exact number: ``test`` says whether a value follows it."""

    expected: str
    """What a value must be, in words: 'a share from 0 to 1, such as 0.5'."""
    test: Callable[[Fraction], bool]

    def holds(self, value: Decimal | Fraction | int) -> bool:
        return self.test(Fraction(value))

    def check(self, value: Decimal) -> Decimal:
        """``value`` if it follows the rule, else :class:`RuleError` saying what was expected."""
        if not self.test(Fraction(value)):
            raise RuleError(self.expected)
        return value


AMOUNT = Rule("an amount >= 0", lambda x: x >= 0)
POSITIVE = Rule("a number above 0", lambda x: x > 0)
SHARE = Rule("a share from 0 to 1, such as 0.5", lambda x: 0 <= x <= 1)
HOLDBACK = Rule("a share from 0 to below 1", lambda x: 0 <= x < 1)
GOAL_WEIGHT = Rule("a weight above 0, at most 1", lambda x: 0 < x <= 1)
ATTAINMENT = Rule("an attainment above 0, such as 0.9 (90% of target)", lambda x: x > 0)
CAP = Rule('an amount above 0, such as "2000.00"', lambda x: x > 0)
UPLIFT = Rule("a number above -1", lambda x: x > -1)
