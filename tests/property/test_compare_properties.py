"""Two designs side by side: what the comparison must show for any pair of designs.

A design is drawn from the shared plan strategy (any curve, norm, funding and
roster) or from the weighted one (teams with functional goals, gates and
per-month caps, a holdback now and then), and a second design of the same
facts is the same plan with another curve. The cost risk is bootstrapped over
a few hundred years (or counted exactly), seeded the same for both designs.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given, reject
from hypothesis import strategies as st
from test_goal_period_properties import calibrated_paying
from weighted import weighted_specs

from jointbonus import CalibrationError, Plan, compare_plans
from jointbonus.sharedtarget.compare import Comparison
from strategies import curve_specs, examples, plan_specs

YEARS = 300


@st.composite
def designs(draw: st.DrawFn, *, capped: bool = False) -> tuple[Plan, Plan]:
    """Two designs on the same facts: one plan, and it with another curve. ``capped``: a
    plan with goals, a monthly cap and sometimes a holdback (what the cap cuts and what
    leavers forfeit are taken from members' earnings)."""
    if not capped and draw(st.booleans()):
        spec = draw(plan_specs(max_members=8, max_history=36, max_months=12))
        first, second = spec.build(), replace(spec, curve=draw(curve_specs())).build()
    else:
        weighted = weighted_specs(caps=True if capped else None, per_year=False, holding=True)
        # Made one that calibrates: caps raised until they let it cost its budget, a
        # historical month paying every part (any curve drawn pays there too) if some never
        # would.
        _, first, _ = calibrated_paying(draw(weighted), 1)
        second = replace(first, curve=draw(curve_specs()).build())
    return first, second


def compared(a: Plan, b: Plan) -> Comparison:
    try:
        return compare_plans(a, b, years=YEARS, seed=7)
    except CalibrationError:
        reject()


@examples(3)
@given(designs())
def test_a_design_compared_with_itself_differs_by_zero_everywhere(pair: tuple[Plan, Plan]) -> None:
    plan = pair[0]
    differences = compared(plan, plan).differences()
    figures = list(differences.figures())
    assert figures, "a comparison has figures"
    assert all(figure in (0, None) for figure in figures), differences
    if differences.last_year is not None:
        assert differences.last_year_total == 0


@examples(3)
@given(designs())
def test_swapping_the_designs_negates_every_difference(pair: tuple[Plan, Plan]) -> None:
    a, b = pair
    forward = list(compared(a, b).differences().figures())
    backward = list(compared(b, a).differences().figures())
    assert len(forward) == len(backward)
    for there, back in zip(forward, backward, strict=True):
        assert (there is None and back is None) or there == -back  # type: ignore[operator]


@examples(3)
@given(designs(capped=True))
def test_members_expected_earnings_add_up_to_the_expected_cost(pair: tuple[Plan, Plan]) -> None:
    for design in compared(*pair).designs:
        members = sum((m.expected for m in design.members), Fraction(0))
        teams = sum((t.expected for t in design.teams), Fraction(0))
        assert members == teams == design.expected_cost
