"""Caps and advances beside goals over the shared period.

Checked from the outside, on the plans of
:func:`test_goal_own_period_properties._over`: every goal measured and paid over the
shared quarter or plan year, each metric's targets one level, so that a historical
period replays exactly. Here the plans also have caps (a cap per month, a cap per plan
year, or both; the year's cap now and then over two plan years) and now and then a
holdback, or an advance of the shared part (caps drawn to bind). The rules checked:

* **neutrality**: path ``p`` reports historical period ``(p + k) mod H`` in the plan's
  period ``k``, all its months together, as calibration costs the caps; each month's
  cost averaged over the paths is calibration's expected cost of it, and the plan's
  expected cost is its budget;
* **the cap is never passed**: each line is what it earned (the shared part and the
  goals, at the period's end) cut to the cap per month and to the cap per year less
  what the member was paid earlier in the plan year;
* **conservation**: a month's lines add up to what it pays, each goal's pool is its
  lines' parts, a line is its parts less what the caps cut, and nothing is paid inside
  a period without an advance;
* **advance + true-up = the period's pay**, member by member, never a negative
  true-up, and never above a cap, an advance's month included; however the period's
  remaining months turn out (all at zero), it pays each member at least their advances;
* an advance is of the **shared part alone**: paying the goals on other curves moves no
  advance; and an advance costs nothing (calibration is the same with or without it).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import HealthCheck, event, given, note, reject, settings
from hypothesis import strategies as st
from test_goal_own_period_properties import _over
from test_goal_period_properties import (
    _Advancing,
    _capped,
    _historical_periods,
    _totals,
    advanced_to_date,
    advancing_and_not,
    assert_no_line_passes_a_cap,
    assert_the_goals_move_no_advance,
    calibrated_paying,
    whole_periods,
)
from weighted import D, WeightedSpec, as_units, calibrated, round_half_up

from jointbonus import (
    Calibration,
    MonthStatus,
    Plan,
    PlanError,
    Result,
    build_plan,
    calibrate,
    pay,
)
from jointbonus.core.plan_periods import PeriodLength
from strategies import examples

# -- the plans -----------------------------------------------------------------------


@st.composite
def capped_over(draw: st.DrawFn) -> tuple[WeightedSpec, PeriodLength]:
    """A plan with caps (per month, per year or both, a cap per year sometimes over two
    plan years) and now and then a holdback, its goals over its quarter or plan year."""
    crossing = draw(st.booleans(), label="two plan years")
    spec, length = draw(whole_periods(caps=True, per_year=True if crossing else None, holding=True))
    return _over(spec, length), length


def _path(spec: WeightedSpec, periods: list[list[int]], p: int, size: int) -> WeightedSpec:
    """``spec`` reporting historical period ``(p + k) mod H`` in its period ``k``."""
    picks = [periods[(p + j // size) % len(periods)][j % size] for j in range(spec.months)]
    return spec.reported(
        [spec.history_shared[h] for h in picks],
        {name: [spec.history_goals[name][h] for h in picks] for name in spec.metric_names},
    )


def _calibrated(spec: WeightedSpec) -> tuple[WeightedSpec, Calibration]:
    """The spec (its caps raised if they kept it below its budget) and its calibration; a
    history without a whole period, or a plan some part of which never pays at historical
    performance, is drawn again. For counted shares, whose history is their counts, which
    :func:`_paying` would not change: the plans of :func:`capped_over` and those with goals
    over a longer period hold whole periods and are calibrated by :func:`_paying`."""
    try:
        periodic, _, calibration = calibrated(spec)
    except PlanError as error:
        if "whole" in str(error):
            reject()
        raise
    return periodic, calibration


def _paying(spec: WeightedSpec, size: int | None = None) -> tuple[WeightedSpec, Calibration]:
    """The spec (its caps raised if they kept it below its budget, one historical period of
    ``size`` months, the goals' when longer than the shared period's, made to pay every
    part if some part never would: :func:`calibrated_paying`) and its calibration."""
    periodic, _, calibration = calibrated_paying(spec, size or spec.period.months)
    return periodic, calibration


def _paid_paths(
    drawn: tuple[WeightedSpec, PeriodLength],
) -> tuple[list[Result], Calibration]:
    """Every path through history paid at the plan's calibration."""
    spec, length = drawn
    periodic, calibration = _paying(spec)
    periods = _historical_periods(spec, length.months)
    paid = [
        pay(_path(periodic, periods, p, length.months).build(), calibration)
        for p in range(len(periods))
    ]
    note(f"{len(paid)} historical {length.noun}s; scale {calibration.scale}")
    return paid, calibration


# -- caps ------------------------------------------------------------------------------


@examples(3)
@given(capped_over())
def test_capped_goals_over_the_period_cost_the_budget_over_the_historical_paths(drawn):
    """Neutrality: what each month costs (less what leavers forfeit of the holdback),
    averaged over the paths, is what calibration expects of it; their sum is the budget
    within the rounding bound."""
    paid, calibration = _paid_paths(drawn)
    assert_the_paths_cost_the_budget(paid, calibration)


def assert_the_paths_cost_the_budget(paid: list[Result], calibration: Calibration) -> None:
    """Neutrality over calibration's paths, each paid through the engine (``paid``): each
    month's cost, less what leavers forfeit of the holdback, averaged over the paths, is
    what calibration expects of it, and their sum is the budget within the rounding bound.
    Caps are costed on paths through history, one a scenario (``calibration.paths``);
    without caps each scenario is costed on its own and the paths are its replays."""
    assert calibration.scenarios == len(paid)
    assert calibration.paths == (len(paid) if paid[0].plan.functional.caps.any else 0)
    for j, expectation in enumerate(calibration.months):
        total = sum(result.months[j].paid - result.months[j].forfeited for result in paid)
        assert Fraction(total, len(paid)) == expectation.expected_cost, expectation.month
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound


@examples(3)
@given(capped_over())
def test_no_member_is_paid_above_a_cap_beside_goals_over_the_period(drawn):
    paid, _ = _paid_paths(drawn)
    event("a cap cut a line" if any(m.capped for r in paid for m in r.months) else "caps slack")
    for result in paid:
        assert_no_line_passes_a_cap(result)


@examples(3)
@given(capped_over())
def test_capped_lines_add_up_to_the_periods_pools(drawn):
    """Conservation: the lines add up to what a month pays and holds back; each goal's
    pool is its team's lines' parts of it; a line is its parts less what the caps cut;
    a month inside a period pays nothing."""
    spec, length = drawn
    paid, _ = _paid_paths(drawn)
    size = length.months
    for result in paid:
        plan = result.plan
        lines = list(result.lines())
        for j, month in enumerate(result.months):
            mine = [line for line in lines if line.period == month.month]
            assert sum(as_units(plan, line.total) for line in mine) == month.paid
            assert sum(as_units(plan, line.held) for line in mine) == month.held
            assert sum(as_units(plan, line.capped) for line in mine) == month.capped
            if j % size != size - 1:
                assert month.paid == 0 and not month.goals
                continue
            for line in mine:
                parts = as_units(plan, line.shared) + sum(
                    as_units(plan, a) for _, a in line.functional
                )
                assert as_units(plan, line.total) == parts - as_units(plan, line.capped)
                assert as_units(plan, line.held) == round_half_up(
                    Fraction(D(spec.holdback)) * as_units(plan, line.total)
                )
            for goal in month.goals:
                assert goal.pool == sum(
                    as_units(plan, dict(line.functional)[goal.goal.metric])
                    for line in mine
                    if line.team == goal.goal.team
                )


# -- advances --------------------------------------------------------------------------


@st.composite
def advancing_over(draw: st.DrawFn) -> _Advancing:
    """A plan of :func:`capped_over` with ``advance`` and no holdback (refused with an
    advance), and the same plan without: its caps removed, then now and then a cap per
    month and a cap per year, each drawn to bind. Its months report a path through
    history (the last ones possibly pending), paid at the calibration of the plan without
    advances or caps; the shared curve is now and then one paying from zero, so that
    advances are made."""
    spec, length = draw(capped_over())
    spec = replace(spec, holdback="0", cap_per_month=None, cap_per_year=None)
    share = Fraction(draw(st.integers(1, 20), label="advance in twentieths"), 20)
    periodic, _ = _paying(spec)
    periods = _historical_periods(spec, length.months)
    p = draw(st.integers(0, len(periods) - 1), label="path")
    return advancing_and_not(draw, _path(periodic, periods, p, length.months), share, length.value)


#: Each example calibrates its plan: slow to draw.
_advance_examples = settings(examples(3), suppress_health_check=[HealthCheck.too_slow])


@_advance_examples
@given(advancing_over())
def test_advances_and_true_up_add_up_to_the_periods_pay_beside_goals_over_it(drawn):
    """Member by member: a month inside a period pays its advance alone; the month that
    ends it pays the period's pay without advances less the advances paid in it, never
    below zero; so the period's lines add up to its pay. No line is above the cap per
    month, and nobody's plan year above the cap per year, even before a true-up."""
    plan, without, calibration = drawn
    result = pay(plan, calibration)
    plain = pay(without, calibration)
    event("an advance paid" if any(any(m.advances) for m in result.months) else "none advanced")
    event("a cap cut a line" if any(m.capped for m in plain.months) else "caps slack or none")
    assert [m.paid for m in result.months] == [m.paid for m in plain.months]
    cap = plan.functional.caps.per_month
    yearly = plan.functional.caps.per_year
    years: dict[tuple[int, int], int] = {}
    for index, month in enumerate(result.months):
        for place, line in enumerate(month.lines):
            key = (place, index // 12)
            years[key] = years.get(key, 0) + line.total
            assert yearly is None or years[key] <= yearly, (place, month.month)
            assert cap is None or line.total <= cap, (place, month.month)
    assert_each_period_pays_its_advances_then_the_rest(plan, result, without, plain)


def assert_each_period_pays_its_advances_then_the_rest(
    plan: Plan, result: Result, without: Plan, plain: Result
) -> None:
    """Member by member, in a plan that pays nothing else inside a shared period: a month
    inside it pays its advance alone, and the month that ends it what the period pays
    without advances (``plain``, the pay of ``without``) less the advances paid in it,
    never below zero."""
    for period in plan.periods:
        advanced = [0] * len(plan.members)
        for index in range(period.first, period.last + 1):
            month = result.months[index]
            if month.status is MonthStatus.PENDING:
                break
            got, was = _totals(plan, result, index), _totals(without, plain, index)
            if index < period.last:
                assert was == [0] * len(was)  # the goals wait for the period's end too
                assert got == list(month.advances)
                advanced = [a + m for a, m in zip(advanced, month.advances, strict=True)]
                continue
            assert list(month.advanced) == advanced
            assert got == [w - a for w, a in zip(was, advanced, strict=True)]
            assert all(total >= 0 for total in got)  # the true-up


@_advance_examples
@given(advancing_over())
def test_an_advance_beside_goals_over_the_period_is_at_most_what_it_is_sure_to_pay(drawn):
    """However the period ends, it pays each member at least what they were advanced:
    with its months still to come at zero (shared and goals alike), the month that ends it
    pays them (under its caps) at least their advances to date."""
    plan, _, calibration = drawn
    result = pay(plan, calibration)
    for period, index, advanced, worst in advanced_to_date(plan, result, calibration):
        sure = _totals(plan, worst, period.last)
        note(f"after month {index}: advanced {advanced}, sure of {sure}")
        assert all(a <= s for a, s in zip(advanced, sure, strict=True))


@_advance_examples
@given(advancing_over())
def test_an_advance_beside_goals_over_the_period_does_not_read_the_goals(drawn):
    """Only the shared part is advanced: paying the goals on other curves moves no
    advance, under a cap per month too (nothing else is paid inside the period). Not
    under a cap per year: the goals of a plan year's earlier periods take its room."""
    plan, _, calibration = drawn
    assert_the_goals_move_no_advance(_capped(plan, None, yearly=True), calibration)


@examples(3)
@given(capped_over(), st.integers(1, 20))
def test_an_advance_beside_capped_goals_over_the_period_costs_nothing(drawn, twentieths):
    """Calibration is the same with or without an advance, caps and all."""
    spec, _ = drawn
    spec = replace(spec, holdback="0")
    periodic, calibration = _paying(spec)
    advancing = calibrate(build_plan(**periodic.kwargs(), advance=Fraction(twentieths, 20)))
    assert advancing == calibration
