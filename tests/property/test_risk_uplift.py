"""Target setting: the uplift solver and the chances of a hit, checked from the outside.

Each check builds the plan again through :func:`jointbonus.build_plan` with
every target derived at the uplift in question (so the targets are the ones a
plan file would publish), and counts, one historical scenario at a time, the
scenarios whose attainment reaches 100% of each published target.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from hypothesis import given, reject
from hypothesis import strategies as st

from jointbonus import (
    NormMethod,
    Plan,
    PlanError,
    TargetError,
    build_plan,
    propose_targets,
    uplift_for_hit_rate,
)
from jointbonus.core.number import decimal_text
from strategies import PlanSpec, examples, plan_specs

DERIVED_NORMS = st.sampled_from([NormMethod.SAME_MONTH_MEAN, NormMethod.TRAILING_MEAN])


@st.composite
def derived_specs(draw: st.DrawFn) -> PlanSpec:
    return draw(plan_specs(norm=draw(DERIVED_NORMS), max_members=2, max_months=12))


def rebuilt(spec: PlanSpec, uplift: Fraction, places: int) -> Plan | None:
    """The plan with every target derived at ``uplift``; ``None`` if a target rounds to 0."""
    arguments: dict[str, Any] = spec.kwargs()
    arguments.update(targets={}, actuals={}, uplift=decimal_text(uplift, places))
    try:
        return build_plan(**arguments)
    except PlanError:
        return None


def hit_rate(plan: Plan) -> Fraction:
    """The share of (plan month, historical scenario) pairs reaching 100% of the target."""
    hits = 0
    for month in plan.months:
        ratio = plan.norm.scenario_ratio(month.month, month.target)
        hits += sum(1 for a in plan.norm.sample if a * ratio >= 1)
    return Fraction(hits, len(plan.months) * len(plan.norm.sample))


wanted_rates = st.integers(1, 100).map(lambda n: Fraction(n, 100))


@examples(2)
@given(derived_specs(), wanted_rates, st.integers(0, 6))
def test_solved_uplift_reaches_the_wanted_hit_rate(
    spec: PlanSpec, wanted: Fraction, places: int
) -> None:
    try:
        solution = uplift_for_hit_rate(spec.build(), wanted, places=places)
    except TargetError:
        lowest = rebuilt(spec, Fraction(1, 10**places) - 1, places)
        if lowest is None:
            reject()
        assert hit_rate(lowest) < wanted  # unreachable indeed, even at the lowest uplift
        return
    assert solution.uplift * 10**places == int(solution.uplift * 10**places)  # on the grid
    plan = rebuilt(spec, solution.uplift, places)
    assert plan is not None
    assert hit_rate(plan) == solution.hit_rate >= wanted


@examples(2)
@given(derived_specs(), wanted_rates, st.integers(0, 6))
def test_next_larger_uplift_falls_below_the_wanted_hit_rate(
    spec: PlanSpec, wanted: Fraction, places: int
) -> None:
    try:
        solution = uplift_for_hit_rate(spec.build(), wanted, places=places)
    except TargetError:
        reject()
    following = solution.uplift + Fraction(1, 10**places)
    assert solution.next_uplift == following
    plan = rebuilt(spec, following, places)
    assert plan is not None
    assert hit_rate(plan) == solution.next_hit_rate < wanted


@examples(2)
@given(derived_specs(), st.integers(-500, 500))
def test_chances_count_the_scenarios_reaching_the_published_target(
    spec: PlanSpec, thousandths: int
) -> None:
    uplift = Fraction(thousandths, 1000)
    try:
        proposal = propose_targets(spec.build(), uplift)
    except TargetError:
        reject()
    plan = rebuilt(spec, uplift, 3)
    assert plan is not None
    assert [m.target for m in proposal.months] == [m.target for m in plan.months]
    for proposed, month in zip(proposal.months, plan.months, strict=True):
        ratio = plan.norm.scenario_ratio(month.month, month.target)
        assert proposed.hits == sum(1 for a in plan.norm.sample if a * ratio >= 1)
    assert proposal.hit_rate == hit_rate(plan)
