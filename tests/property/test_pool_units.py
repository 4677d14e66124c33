"""A month's pools in whole numbers are its exact pools, whatever the outcome.

Capped calibration costs every plan month at every historical outcome; it
makes a month's pools from the month's pool per unit of split weight
(:func:`~jointbonus.sharedtarget.pay.sharing.pool_per_weight`) and the
outcome's factors (:func:`~jointbonus.sharedtarget.pay.sharing.pool_factors`),
kept as unreduced numerators and denominators
(:func:`~jointbonus.sharedtarget.pay.sharing.pool_units`) and rounded by
:func:`~jointbonus.core.number.round_quotient`. The reference is the pool as
the specification writes it, in fractions: ``scale x shared factor x sum over
teams of w x team split weight / total`` for the shared part, ``scale x goal
factor x (1 - w) x goal weight x team split weight / total`` for a goal's.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st
from weighted import WeightedSpec, calibrated, weighted_specs

from jointbonus.core.number import round_half_up, round_quotient
from jointbonus.sharedtarget.calibration import norm_outcome, scenario_outcomes
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome, Terms, goal_teams
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.pay.sharing import (
    pool_exacts,
    pool_factors,
    pool_per_weight,
    pool_units,
    team_split_weights,
)
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from strategies import examples


def spec_pools(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> list[Fraction]:
    """Each part's exact pool, in minor units, term by term as the specification has it."""
    total = frame.total_split_weight
    team_weight = team_split_weights(plan, frame)
    at_target = frame.at_target(terms.scale) * plan.currency.scale
    shared = sum(
        (terms.weight(t) * outcome.shared_for(t) * weight for t, weight in enumerate(team_weight)),
        Fraction(0),
    )
    pools = [at_target * shared / total]
    for goal, team, factor in zip(plan.goals, goal_teams(plan), outcome.functional, strict=True):
        pools.append(
            at_target * factor * (1 - terms.weight(team)) * goal.weight * team_weight[team] / total
        )
    return pools


@examples(2)
@given(weighted_specs(), st.data())
def test_pools_in_whole_numbers_are_the_exact_pools(spec: WeightedSpec, data: st.DataObject):
    """Every eligible month at every historical outcome and the norm: the pools as
    fractions, as whole numbers, rounded either way, and how many are not 0."""
    spec, plan, calibration = calibrated(replace(spec, funding=FundingStyle.POOL))
    share = data.draw(
        st.just(Fraction(1)) | st.fractions(Fraction(1, 10**6), Fraction(4)),
        label="share of the calibrated scale",
    )
    terms = Terms(calibration.scale * share, calibration.terms.weights)
    teams = goal_teams(plan)
    checked = 0
    for frame in frame_plan(plan).months:
        if not frame.eligible or frame.own is not None:
            continue
        team_weight = team_split_weights(plan, frame)
        per_weight = pool_per_weight(plan, frame, terms)
        for outcome in (*scenario_outcomes(plan, frame), norm_outcome(plan, frame)):
            want = spec_pools(plan, frame, terms, outcome)
            exacts, whole = pool_exacts(plan, frame, terms, outcome, teams)
            factors = pool_factors(plan, terms, outcome, teams)
            units = pool_units(per_weight, factors, teams, team_weight)
            where = f"month {frame.index}, outcome {outcome}"
            assert exacts == want, where
            assert whole == factors.whole, where
            assert [Fraction(n, d) for n, d in units] == want, where
            assert all(d > 0 for _, d in units), where
            assert [round_quotient(n, d) for n, d in units] == [round_half_up(p) for p in want], (
                where
            )
            assert [bool(n) for n, _ in units] == [bool(p) for p in want], where
            checked += 1
    # The shared part's weights over one denominator are each team's w x shared factor.
    if checked:
        outcome = norm_outcome(plan, frame_plan(plan).months[-1])
        factors = pool_factors(plan, terms, outcome, teams)
        assert [Fraction(w, factors.common) for w in factors.whole] == [
            terms.weight(t) * outcome.shared_for(t) for t in range(len(factors.whole))
        ]


@st.composite
def quotients(draw: st.DrawFn) -> tuple[int, int]:
    """A numerator and a denominator above 0; often an exact half, where rounding decides."""
    if draw(st.booleans(), label="an exact half"):
        k = draw(st.integers(-(10**12), 10**12), label="halves")
        m = draw(st.integers(1, 10**12), label="denominator's half")
        return (2 * k + 1) * m, 2 * m
    return draw(st.integers(-(10**30), 10**30)), draw(st.integers(1, 10**30))


@given(quotients(), st.integers(1, 10**6))
def test_a_quotient_rounds_as_its_fraction_whatever_the_common_factor(
    quotient: tuple[int, int], factor: int
):
    """Halves away from zero, and the same for the quotient unreduced by any factor."""
    numerator, denominator = quotient
    want = round_half_up(Fraction(numerator, denominator))
    assert round_quotient(numerator, denominator) == want
    assert round_quotient(numerator * factor, denominator * factor) == want
