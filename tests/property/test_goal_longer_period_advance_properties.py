"""Advances of a quarter's shared part beside goals over the plan year.

Checked from the outside, on the plans of
:func:`test_goal_longer_period_caps_properties.capped_longer` cut to the one shape an
advance meets goals over a longer period in: a quarterly shared target, every goal over
the plan year (paid in the month that ends the plan year's last quarter), and
``advance`` drawn. Without a holdback (refused with an advance). The rules checked:

* **neutrality**: calibration is the same with or without the advance, caps and all;
  paid over calibration's paths (a goal period a step), each quarter costs on average
  what calibration expects of its months, and the plan its budget;
* **the cap is never passed**: with caps drawn to bind, no line is above the cap per
  month, an advance's month included, and no member's plan year above the cap per year
  at any month, before a true-up too;
* **the true-up is never negative**: the month that ends a quarter pays each member at
  least what they were advanced in it, and however the quarter's remaining months turn
  out (all at zero, shared and goals alike) it would;
* **conservation**: without caps, a month inside a quarter pays its advance alone, and
  a quarter's advances and true-up add up, member by member, to what the quarter pays
  without an advance (its shared part, and at the plan year's end the year's goals);
* an advance is of the **shared part alone**: paying the goals on other curves moves no
  advance, caps and all.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st
from test_goal_longer_period_caps_properties import _path
from test_goal_longer_period_properties import _scenarios
from test_goal_own_period_caps_properties import (
    _paying,
    assert_each_period_pays_its_advances_then_the_rest,
)
from test_goal_own_period_properties import _over
from test_goal_period_properties import (
    _Advancing,
    _even,
    _totals,
    advanced_to_date,
    advancing_and_not,
    assert_the_goals_move_no_advance,
)
from weighted import WeightedSpec, weighted_specs

from jointbonus import Calibration, MonthStatus, Plan, Result, build_plan, calibrate, pay
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.goals import Caps
from strategies import CurveSpec, examples

SHARED = PeriodLength.QUARTER
GOALS = PeriodLength.PLAN_YEAR


@st.composite
def year_goals(draw: st.DrawFn, *, caps: bool) -> WeightedSpec:
    """A plan of whole plan years (one, or two now and then) with a quarterly shared target
    and every goal over the plan year, no holdback, now and then a shared curve paying
    from zero (so that advances are made); with ``caps``, a cap per month, a cap per year
    or both."""
    crossing = draw(st.booleans(), label="two plan years")
    spec = draw(
        weighted_specs(
            caps=caps,
            per_year=True if crossing and caps else None,
            goal_gates=draw(st.booleans(), label="own gates"),
            plan_years=True,
        )
    )
    spec = _over(_even(spec, GOALS), GOALS)
    if draw(st.booleans(), label="a shared curve paying from zero"):  # so that it advances
        spec = replace(spec, curve=CurveSpec("linear", points=(("0", "0"), ("1.5", "2"))))
    return replace(spec, period=SHARED, shared_gate=None, holdback="0")


def _blocks(spec: WeightedSpec) -> list[list[tuple[list[int], list[int]]]]:
    """Calibration's scenarios grouped by historical plan year, in its order."""
    blocks: dict[int, list[tuple[list[int], list[int]]]] = {}
    for places, over in _scenarios(spec, SHARED, GOALS):
        blocks.setdefault(over[0], []).append((places, over))
    return [blocks[first] for first in sorted(blocks)]


@st.composite
def advancing_year_goals(draw: st.DrawFn) -> _Advancing:
    """A plan of :func:`year_goals` with ``advance``, and the same plan without: its months
    report a path through history (the last ones possibly pending), paid at the
    calibration of the plan without caps or advance; then now and then a cap per month and
    a cap per year, each drawn to bind. The shared curve is now and then one paying from
    zero, so that advances are made."""
    spec = draw(year_goals(caps=False))
    spec = replace(spec, cap_per_month=None, cap_per_year=None)
    share = Fraction(draw(st.integers(1, 20), label="advance in twentieths"), 20)
    periodic, _ = _paying(spec, GOALS.months)
    blocks = _blocks(periodic)
    p = draw(st.integers(0, len(blocks) * len(blocks[0]) - 1), label="path")
    return advancing_and_not(draw, _path(periodic, blocks, p, SHARED, GOALS), share, "year goals")


#: Each example calibrates its plan: slow to draw.
_advance_examples = settings(examples(3), suppress_health_check=[HealthCheck.too_slow])


def _advanced(result: Result) -> None:
    event("an advance paid" if any(any(m.advances) for m in result.months) else "none advanced")


# -- neutrality -----------------------------------------------------------------------


def _paid_paths(spec: WeightedSpec, share: Fraction) -> tuple[list[Result], Calibration]:
    """Every path through history paid, with ``advance = share``, at the calibration of the
    plan without it (the same as with it)."""
    periodic, calibration = _paying(spec, GOALS.months)
    assert calibrate(build_plan(**periodic.kwargs(), advance=share)) == calibration
    blocks = _blocks(periodic)
    paid = []
    for p in range(calibration.paths):
        replayed = _path(periodic, blocks, p, SHARED, GOALS)
        paid.append(pay(build_plan(**replayed.kwargs(), advance=share), calibration))
    note(f"{len(blocks)} historical plan years; scale {calibration.scale}")
    return paid, calibration


@_advance_examples
@given(year_goals(caps=True), st.integers(1, 20))
def test_an_advance_beside_goals_over_the_plan_year_costs_the_budget(drawn, twentieths):
    """Neutrality: calibration is the same with or without the advance; over its paths
    each quarter's months (an advance moves pay inside a quarter) cost on average what
    calibration expects of them, and the plan costs its budget within the rounding bound."""
    paid, calibration = _paid_paths(drawn, Fraction(twentieths, 20))
    assert calibration.scenarios == calibration.paths == len(paid)
    for result in paid:
        _advanced(result)
    plan = paid[0].plan
    for period in plan.periods:
        inside = range(period.first, period.last + 1)
        # What the lines pay: a month's advances with it, a true-up less them.
        total = sum(sum(_totals(plan, result, j)) for result in paid for j in inside)
        expected = sum((calibration.months[j].expected_cost for j in inside), Fraction(0))
        assert Fraction(total, len(paid)) == expected, period.label
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound


# -- the caps and the true-up ---------------------------------------------------------


@_advance_examples
@given(advancing_year_goals())
def test_no_advance_beside_goals_over_the_plan_year_passes_a_cap(drawn):
    """No line is above the cap per month, an advance's month included, and nobody's plan
    year is above the cap per year at any month, even before a quarter's true-up."""
    plan, _, calibration = drawn
    result = pay(plan, calibration)
    _advanced(result)
    caps = plan.functional.caps
    event("caps" if caps.any else "no caps")
    years: dict[tuple[int, int], int] = {}
    for index, month in enumerate(result.months):
        for place, line in enumerate(month.lines):
            key = (place, index // 12)
            years[key] = years.get(key, 0) + line.total
            assert caps.per_year is None or years[key] <= caps.per_year, (place, month.month)
            assert caps.per_month is None or line.total <= caps.per_month, (place, month.month)


@_advance_examples
@given(advancing_year_goals())
def test_the_true_up_beside_goals_over_the_plan_year_is_never_negative(drawn):
    """The month that ends a quarter pays each member at least their advances in it; with
    the quarter's remaining months at zero (shared and goals alike) it would still."""
    plan, _, calibration = drawn
    result = pay(plan, calibration)
    _advanced(result)
    for period in plan.periods:
        end = result.months[period.last]
        if end.status is MonthStatus.PAID:
            assert all(total >= 0 for total in _totals(plan, result, period.last))
    for period, index, advanced, worst in advanced_to_date(plan, result, calibration):
        sure = _totals(plan, worst, period.last)
        note(f"after month {index}: advanced {advanced}, sure of {sure}")
        assert all(a <= s for a, s in zip(advanced, sure, strict=True))


def _uncapped(plan: Plan) -> Plan:
    """``plan`` without its caps."""
    return replace(plan, functional=replace(plan.functional, caps=Caps()))


@_advance_examples
@given(advancing_year_goals())
def test_a_quarters_advances_and_true_up_are_its_pay_beside_goals_over_the_plan_year(drawn):
    """Conservation, without caps: a month inside a quarter pays its advance alone, and
    the month that ends it pays the quarter's pay without an advance (its shared part, and
    at the plan year's end the year's goals) less the advances paid in it, member by
    member, so the quarter's lines add up to its pay."""
    plan, without, calibration = drawn
    plan, without = _uncapped(plan), _uncapped(without)
    result, plain = pay(plan, calibration), pay(without, calibration)
    _advanced(result)
    assert_each_period_pays_its_advances_then_the_rest(plan, result, without, plain)


@_advance_examples
@given(advancing_year_goals())
def test_an_advance_beside_goals_over_the_plan_year_does_not_read_the_goals(drawn):
    """Only a quarter's shared part is advanced: paying the plan year's goals on other
    curves moves no advance, under the caps too (the goals are paid at the year's end,
    with its last quarter's true-up: no goal takes a cap's room before an advance)."""
    plan, _, calibration = drawn
    assert_the_goals_move_no_advance(plan, calibration)
