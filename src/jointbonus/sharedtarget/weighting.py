"""The weighting between the shared goal and each team's functional goals.

A member of team ``t`` earns ``w_t x shared part + (1 - w_t) x functional
part``. Three weights describe a team:

**nominal** ``w_t``
    What the plan says: the weight on the shared goal.
**expected**
    The share of what the team can expect to earn (averaged over the
    historical scenarios, before caps) that comes from the shared goal. It
    differs from the nominal weight when the goals are hit at different
    rates: a shared target hit in 40% of months and functional goals hit in
    80% give an expected split of 0.5 x 0.4 / (0.5 x 0.4 + 0.5 x 0.8) = 1/3
    at a nominal 50/50.
**realised**
    The share of what was actually earned in the months paid so far that came
    from the shared goal
    (:func:`~jointbonus.sharedtarget.results.realised_weights`).

With ``S`` the team's expected shared earnings at ``w = 1`` and ``F`` its
expected functional earnings at ``w = 0`` (both at scale 1: they scale
together), the expected split at ``w`` is ``w S / (w S + (1 - w) F)``. The
nominal weight giving a wanted split ``rho`` is therefore exact::

    w = rho F / (rho F + (1 - rho) S)

Gates are inside ``S`` and ``F`` (a gated part earns nothing in the scenarios
its gate closes). A wanted split is refused when it cannot be reached: a
shared part that never pays (``S = 0``) cannot carry ``rho > 0``, functional
goals that never pay (``F = 0``) cannot carry ``rho < 1``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from jointbonus.core.number import percent_text
from jointbonus.errors import CalibrationError
from jointbonus.sharedtarget.pay.cost import part_targets
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome
from jointbonus.sharedtarget.plan import Plan

__all__ = [
    "TeamWeight",
    "expected_split",
    "solve_weights",
    "team_earnings",
]


@dataclass(frozen=True, slots=True)
class TeamWeight:
    """One team's weighting between the shared goal and its functional goals."""

    team: str
    nominal: Fraction
    """The plan's shared weight w (given, or solved for ``wanted``)."""
    wanted: Fraction | None
    """The expected split the plan asked for, when w was solved for it."""
    expected: Fraction | None
    """Share of expected earnings (before caps) from the shared goal; ``None`` when the
    team can expect nothing."""
    shared_expected: Fraction
    """Expected shared earnings of the team over the plan, minor units, before caps."""
    functional_expected: Fraction
    """Expected functional earnings of the team over the plan, minor units, before caps."""


def team_earnings(
    plan: Plan, frames: Sequence[MonthFrame], counts: Sequence[Counter[Outcome]], scenarios: int
) -> list[tuple[Fraction, Fraction]]:
    """Per team: expected shared earnings at w = 1 and functional earnings at w = 0.

    Both at scale 1, in minor units, before caps and holdback, averaged over
    the ``scenarios`` historical scenarios (``counts``: each month's outcomes).
    """
    terms = plan.functional.terms
    goals = plan.goals
    if not plan.weighted:
        return []
    team_of = {t.team: index for index, t in enumerate(terms)}
    earnings = [[Fraction(0), Fraction(0)] for _ in terms]
    for frame, month_counts in zip(frames, counts, strict=True):
        # Each team's target amounts at scale 1, of its shared part and of its goals.
        shared_target, goal_target = part_targets(plan, frame)
        for outcome, count in month_counts.items():
            weight = Fraction(count, scenarios)
            functional = [Fraction(0)] * len(terms)
            for goal, factor in zip(goals, outcome.functional, strict=True):
                functional[team_of[goal.team]] += goal.weight * factor
            for team, (target, at_goals) in enumerate(zip(shared_target, goal_target, strict=True)):
                earnings[team][0] += target * outcome.shared_for(team) * weight
                earnings[team][1] += at_goals * functional[team] * weight
    return [(s, f) for s, f in earnings]


def expected_split(weight: Fraction, shared: Fraction, functional: Fraction) -> Fraction | None:
    """``w S / (w S + (1 - w) F)``: the expected share from the shared goal at weight ``w``."""
    total = weight * shared + (1 - weight) * functional
    return weight * shared / total if total else None


def solve_weights(
    plan: Plan, earnings: Sequence[tuple[Fraction, Fraction]]
) -> tuple[Fraction, ...]:
    """Each team's nominal weight: as given, or solved exactly for its wanted split.

    Empty for a plan without functional goals: every bonus is wholly shared.
    """
    if not plan.weighted:
        return ()
    weights = []
    for terms, (shared, functional) in zip(plan.functional.terms, earnings, strict=True):
        if terms.shared_weight is not None:
            weights.append(terms.shared_weight)
            continue
        wanted = terms.expected_split
        if wanted is None:  # pragma: no cover - build_plan gives one or the other
            raise CalibrationError(f"team {terms.team}: no shared weight and no wanted split")
        _check_reachable(plan, terms.team, wanted, shared, functional)
        if wanted in (0, 1):  # all on one side, whatever the other side would pay
            weights.append(wanted)
        else:
            weights.append(wanted * functional / (wanted * functional + (1 - wanted) * shared))
    return tuple(weights)


def _check_reachable(
    plan: Plan, team: str, wanted: Fraction, shared: Fraction, functional: Fraction
) -> None:
    split = percent_text(wanted)
    if shared == 0 and functional == 0:
        raise CalibrationError(
            f"cannot solve team {team}'s shared weight in '{plan.name}': at historical "
            "performance neither the shared goal nor its functional goals ever pay, so no "
            f"weight gives an expected split of {split}. Lower the curves' thresholds or the "
            "gates, or give the team a shared_weight"
        )
    if wanted > 0 and shared == 0:
        raise CalibrationError(
            f"cannot reach team {team}'s expected shared split of {split} in '{plan.name}': "
            "its shared part never pays at historical performance (the shared curve or the "
            "shared gate closes it in every historical month), so the shared goal can carry "
            "none of the expected earnings. Ask for an expected_shared_split of 0, lower the "
            "shared curve's threshold or the shared gate, or give a shared_weight"
        )
    if wanted < 1 and functional == 0:
        raise CalibrationError(
            f"cannot reach team {team}'s expected shared split of {split} in '{plan.name}': "
            "its functional goals never pay at historical performance (their curves or the "
            "functional gate close them in every historical month), so they can carry none "
            "of the expected earnings. Ask for an expected_shared_split of 1, lower the goal "
            "curves' thresholds or the functional gate, or give a shared_weight"
        )
