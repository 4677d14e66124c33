"""What an explanation is made of: figures, steps, the sources of the inputs.

Plain frozen values, filled in by :func:`jointbonus.explain.explain` and
written out by :mod:`jointbonus.sharedtarget.explain.render`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from jointbonus.core.periods import Month
from jointbonus.core.roster import Member
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.results import LineFigures, LineStatus, PartSplit, SplitGroup

__all__ = ["ExplainError", "Explanation", "Figure", "Place", "Sources", "Step", "group_of"]


class ExplainError(JointBonusError, LookupError):
    """The member or the month asked about is not in the plan."""


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure of an explanation: what it is, its value, and how it was made."""

    key: str
    label: str
    value: str
    """As the reports write it: amounts with the currency's decimals, ratios with six."""
    how: str
    """The rule and the inputs that made the value, or where the value was read."""
    exact: str | None = None
    """The exact value (a fraction ``n/d``) when ``value`` is rounded for display."""


@dataclass(frozen=True, slots=True)
class Step:
    """A step of the explanation (the weight, the target, the pool, ...)."""

    key: str
    title: str
    figures: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Place:
    """The member explained, in the month explained: who they are and their line."""

    position: int
    """The member's place in ``plan.members``."""
    member: Member
    team: int
    """The member's team: its place in ``plan.functional.terms`` (0 without goals)."""
    line: LineFigures
    bonus: int
    """The member's annual target bonus in minor units (0 when they have none)."""
    bonus_weight: Fraction
    """Their annual target bonus in minor units x their eligible weight, each day at the
    target bonus of that day's roster row: ``bonus x line.weight`` unless the target
    bonus changes in the month (or in the period the month pays)."""
    parts: tuple[int, tuple[int, ...], int]
    """``(shared, each goal's part in plan.goals order (0 for other teams' goals), cut)``."""
    team_bonus_weights: tuple[tuple[int, Fraction], ...] = ()
    """Funded individually, for a member in more than one team in the month (or in the
    period the month pays): per team (its place in ``plan.functional.terms``), the part of
    ``bonus_weight`` earned on the days in it, which the shared part pays at that team's
    shared weight; empty otherwise."""

    @property
    def sharing(self) -> bool:
        """Whether the member has a split weight this month: their standing gives them a
        weight and, where the plan splits or funds by salary or target bonus, one above 0."""
        return not self.line.standing


def group_of(split: PartSplit, position: int) -> SplitGroup:
    """The group of ``split`` that holds the member at ``position``."""
    for group in split.groups:
        if position in group.positions:
            return group
    raise ExplainError(f"member at position {position} is in no group of the {split.name} part")


@dataclass(frozen=True, slots=True)
class Sources:
    """Where the inputs are: the plan file and the file lines of the member and month.

    Each entry is ``file`` or ``file:line`` as the plan names the file
    (``data/roster.csv:10``); ``None`` when unknown (a plan built in Python).
    """

    plan: str | None = None
    member: str | None = None
    month: str | None = None
    history: str | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """One member's month, explained: the amount, its status and reason, and the steps."""

    plan_name: str
    member_id: str
    team: str
    period: Month
    currency: str
    amount: Decimal
    status: LineStatus
    reason: str
    """Why the amount is zero ('' when it is not)."""
    steps: tuple[Step, ...]

    def step(self, key: str) -> Step:
        """The step called ``key`` (``member``, ``weight``, ``target``, ``factor``, ...)."""
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)

    def figure(self, step: str, key: str) -> Figure:
        """The figure ``key`` of step ``step``."""
        for figure in self.step(step).figures:
            if figure.key == key:
                return figure
        raise KeyError(f"{step}.{key}")
