"""People who move beside a shared target over a quarter or a plan year.

The roster's standing changes on any day (:func:`test_split_standing.changed_rows`:
team, FTE, salary and target bonus, days away, leaving later) in plans whose
shared target runs over a quarter or a plan year, with and without functional
goals, with and without monthly advances (whose rules are checked as in
:mod:`test_advance_properties`). Checked from the outside, as the
properties of each feature alone are:

* neutrality: every historical period replayed through the engine costs, on
  average, the calibration's expected cost, the budget within the rounding bound;
* conservation: a period's pool is shared by each member's weight over the
  period, counted day by day with each day's row; each line's parts add up to
  the line, and each part's lines to its pool (a mover's line lists the goals
  of every team they were in during the month);
* monotonicity: a higher actual never pays less, nor anyone less (but for the
  one leftover unit of a largest-remainder split);
* splitting a mover's row into two adjacent rows with the same standing
  changes no figure;
* each day's target bonus: funded individually, a member's shared amount at
  target over a quarter or a plan year is the sum of their months' amounts at
  target (each the sum over the month's days of target bonus x FTE / days in
  the month / 12, with the row of each day) x multiplier x the period's
  weighting, whatever the period weights and however the rows are cut.

A longer period's shared part is paid on each day's standing over the
period's days: each day at the shared weight of that day's team, on that day's
target bonus (docs/concepts.md, "Standing that changes").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date
from fractions import Fraction

import test_advance_properties as advancing
from hypothesis import given, note
from hypothesis import strategies as st
from independent import (
    calendar_days,
    calibrated,
    detached,
    row_on,
    split_weight,
    team_split_weight,
    units,
)
from period_replay import (
    PeriodSpec,
    historical_periods,
    paid,
    period_ratios,
    period_specs,
    period_weights,
    periods_at,
    replayed_cost,
)
from test_goal_period_properties import (
    _historical_periods,
    _paid,
    _replay,
    calibrated_paying,
    goal_periods,
)
from test_period_weight_properties import weights_for
from test_split_standing import _figures, _last_day, changed_rows, split_rows
from weighted import WeightedSpec, as_units, round_half_up

from jointbonus import (
    FundingStyle,
    Member,
    Month,
    Neutrality,
    Plan,
    Result,
    StepCurve,
    pay,
    run,
)
from strategies import examples


def _within(data: st.DataObject, calendar: tuple[Month, ...]) -> tuple[date, date] | None:
    """Mostly the plan's days, for every member to change standing inside the plan (rows
    that began years before would else mostly change before it); now and then any day."""
    if data.draw(st.integers(0, 2), label="changes anywhere") == 0:
        return None
    return calendar[0].first_day, calendar[-1].last_day


def _moved(period: PeriodSpec, data: st.DataObject) -> PeriodSpec:
    """``period`` with its members' standing changing on any day."""
    spec = period.spec
    last = _last_day(spec.months, spec.calendar[0].first_day)
    within = _within(data, spec.calendar)
    rows = changed_rows(data, spec.members, last, ("sales", "marketing"), within)
    return replace(period, spec=replace(spec, members=tuple(rows)))


def _moved_goals(spec: WeightedSpec, data: st.DataObject) -> WeightedSpec:
    """``spec`` with its members' standing changing on any day, moves between its teams."""
    last = _last_day(spec.months, spec.calendar[0].first_day)
    teams = tuple(t.name for t in spec.teams)
    rows = changed_rows(data, spec.members, last, teams, _within(data, spec.calendar))
    return replace(spec, members=tuple(rows))


def _movers(plan: Plan) -> int:
    """How many members have more than one roster row."""
    return sum(1 for member in plan.members if len(member.rows) > 1)


def _row_at_end(member: Member, last: date) -> Member:
    """The row of ``member`` in force at a period's end ``last``: the last that begins by
    it (the first, for a member who starts later)."""
    found = member.rows[0]
    for row in member.rows:
        if row.start <= last:
            found = row
    return found


def _everything(result: Result) -> tuple[object, ...]:
    """Every figure a run shows, advances included."""
    return (*_figures(result), [(m.advances, m.advanced) for m in result.months])


# -- plans without goals: neutrality, conservation, monotonicity, split rows ------------


@examples(3)
@given(period_specs(neutrality=Neutrality.EXPECTED_COST), st.data())
def test_expected_cost_over_historical_periods_is_the_budget_with_movers(period, data):
    period = _moved(period, data)
    plan = period.build()
    calibration = calibrated(plan)
    average, bound = replayed_cost(period, plan, calibration)
    note(f"{_movers(plan)} movers; budget {plan.budget.amount}, mean {average}, bound {bound}")
    assert calibration.scenarios == len(historical_periods(period))
    assert calibration.expected_cost == average
    assert abs(average - plan.budget.amount) <= bound


@examples(3)
@given(period_specs(), st.data())
def test_a_periods_pay_goes_by_weight_over_its_days_with_movers(period, data):
    """Pool funding: each share is the pool x the member's weight over the period (each
    day's FTE x split amount) / the total. Individual funding: each line is multiplier /
    12 x the sum over the period's days of FTE x target bonus / days in the month x
    factor, each day with its own row."""
    period = _moved(period, data)
    plan, calibration = period.payable()
    size = period.length.months
    attainments = [
        Fraction(data.draw(st.integers(500, 1600), label="attainment"), 1000)
        for _ in range(len(plan.months) // size)
    ]
    result = pay(periods_at(plan, attainments, size), detached(calibration))
    note(f"{_movers(plan)} movers, {period.length.value}, {plan.funding.value}")
    shares: Counter[object] = Counter()
    by_member: dict[tuple[object, str], int] = {}
    for line in result.lines():
        shares[line.period] += units(plan, line.total)
        by_member[line.period, line.member_id] = units(plan, line.shared)
    for j, month in enumerate(result.months):
        assert shares[month.month] == month.paid
        if (j + 1) % size:
            assert month.paid == 0
            continue
        months = range(j - size + 1, j + 1)
        weights = period_weights(plan, months)
        total = sum(weights)
        if plan.funding is FundingStyle.POOL:
            if total:
                assert month.paid == month.pool
            for member, weight in zip(plan.members, weights, strict=True):
                exact = month.pool * weight / total if total else 0
                assert abs(by_member[month.month, member.id] - exact) < 1, member.id
            continue
        for member, weight in zip(plan.members, weights, strict=True):
            # weight: the sum over the period's days of FTE x target bonus / days in the month
            exact = calibration.scale * weight * plan.currency.scale / 12 * month.factor
            expected = round_half_up(exact)
            assert by_member[month.month, member.id] == expected, member.id


@examples(3)
@given(period_specs(), st.data())
def test_a_higher_actual_never_pays_anyone_less_with_movers(period, data):
    period = _moved(period, data)
    plan, calibration = period.payable()
    sample = historical_periods(period)
    mean = sum(sample, Fraction(0)) / len(sample)
    ratios = period_ratios(period, plan)
    size = period.length.months
    low = [
        max(Fraction(0), mean - Fraction(data.draw(st.integers(0, 800)), 1000)) * r for r in ratios
    ]
    high = [
        a + Fraction(data.draw(st.integers(0, 800)), 1000) * r
        for a, r in zip(low, ratios, strict=True)
    ]
    below = pay(periods_at(plan, low, size), detached(calibration))
    above = pay(periods_at(plan, high, size), detached(calibration))
    note(f"{_movers(plan)} movers; above {paid(above)}, below {paid(below)}")
    assert paid(above) >= paid(below)
    lows = {(line.member_id, line.period): units(plan, line.total) for line in below.lines()}
    for line in above.lines():
        # the one leftover unit of a largest-remainder split may move to another member
        assert units(plan, line.total) >= lows[line.member_id, line.period] - 1


@examples(2)
@given(period_specs(), st.data(), st.sampled_from([None, "0.5", "1"]))
def test_splitting_a_movers_row_changes_no_figure_over_a_longer_period(period, data, advance):
    period = _moved(period, data)
    plan, _ = period.payable()
    scale = None  # payable fixes the scale of a plan that cannot be calibrated
    if plan.fixed_scale is not None:
        scale = "1000" if plan.funding is FundingStyle.POOL else "1.5"
    spec = period.spec
    rows = split_rows(data, spec.members, _last_day(spec.months, spec.calendar[0].first_day))
    split = PeriodSpec(replace(spec, members=tuple(rows)), period.length)
    note(f"{_movers(plan)} movers, {len(rows)} rows, advance {advance}")
    before = run(period.build(scale=scale, advance=advance))
    after = run(split.build(scale=scale, advance=advance))
    assert _everything(after) == _everything(before)


@examples(3)
@given(period_specs(funding=FundingStyle.INDIVIDUAL), st.data(), st.booleans())
def test_a_periods_individual_amount_at_target_is_the_sum_of_its_months_with_movers(
    period, data, unequal
):
    """Funded individually, each period hit (factor 1): a member's shared line is the sum
    over the period's months of their month's amount at target (multiplier x each day's
    target bonus x FTE / days in the month / 12, each day with its own row) x periods a
    year x the period's weight, rounded once; the same with the rows cut in two."""
    period = _moved(period, data)
    per_year = period.length.per_year
    weights = (
        data.draw(weights_for(per_year), label="weights")
        if unequal
        else (Fraction(1, per_year),) * per_year
    )
    settings = {"scale": "1.5", "curve": StepCurve(), "period_weights": list(weights)}
    plan = period.build(**settings)
    size = period.length.months
    periods = len(plan.months) // size
    result = pay(periods_at(plan, [Fraction(1)] * periods, size), detached(calibrated(plan)))
    note(f"{_movers(plan)} movers, {period.length.value}, weights {weights}")
    shared = {(line.period, line.member_id): units(plan, line.shared) for line in result.lines()}
    minor = plan.currency.scale
    for p in range(periods):
        month = result.months[p * size + size - 1]
        assert month.factor == 1
        weighting = per_year * weights[p % per_year]
        for member in plan.members:
            monthly = [
                Fraction(3, 2) * split_weight(plan, member, plan.months[k].month) / 12
                for k in range(p * size, p * size + size)
            ]
            exact = sum(monthly, Fraction(0)) * weighting * minor
            assert shared[month.month, member.id] == round_half_up(exact), (member.id, p)
    spec = period.spec
    rows = split_rows(data, spec.members, _last_day(spec.months, spec.calendar[0].first_day))
    cut = PeriodSpec(replace(spec, members=tuple(rows)), period.length).build(**settings)
    assert _figures(run(cut)) == _figures(run(plan))


@examples(3)
@given(advancing.advancing(movers=True))
def test_each_months_advance_follows_the_rule_with_movers(drawn):
    advancing.test_each_months_advance_follows_the_rule.hypothesis.inner_test(drawn)


@examples(3)
@given(advancing.advancing(movers=True))
def test_advances_and_true_up_are_the_periods_pay_with_movers(drawn):
    advancing.test_advances_and_true_up_are_the_periods_pay_and_never_negative.hypothesis.inner_test(
        drawn
    )


# -- plans with goals: each goal its month, the shared part the period's ------------------


def _teams_in(member: Member, plan: Plan, j: int) -> list[str]:
    """The teams of the rows that cover a day of plan month ``j``, in date order; the team
    of the row in force at the month's end for a member no row covers that month."""
    teams: list[str] = []
    for day in calendar_days(plan.months[j].month):
        row = row_on(member, day)
        if row is not None and row.team not in teams:
            teams.append(row.team)
    return teams or [_row_at_end(member, plan.months[j].month.last_day).team]


@examples(3)
@given(goal_periods(), st.data())
def test_each_month_costs_what_the_historical_periods_pay_it_with_movers(drawn, data):
    spec, length = drawn
    spec = _moved_goals(spec, data)
    paid_periods, calibration = _paid(spec, length)
    note(f"{_movers(paid_periods[0][1].plan)} movers")
    for j, expectation in enumerate(calibration.months):
        total = sum(result.months[j].paid for _, result in paid_periods)
        assert Fraction(total, len(paid_periods)) == expectation.expected_cost, expectation.month
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound


@examples(3)
@given(goal_periods(), st.data())
def test_a_movers_parts_add_up_to_each_pool_and_to_the_line_over_longer_periods(drawn, data):
    """Each line is its shared part and the parts of the goals of every team the member was
    in that month (in goal order); each goal's pool is its lines' parts; the period's
    shared pool is its lines' shared parts, each the member's weight over the period, each
    day at the shared weight and factor of that day's team (funded individually, the
    weight over the period counts each day's target bonus)."""
    spec, length = drawn
    spec = _moved_goals(spec, data)
    paid_periods, calibration = _paid(spec, length)
    size = length.months
    nominal = {w.team: w.nominal for w in calibration.weights}
    minor = spec.currency.scale
    for _, result in paid_periods[: data.draw(st.integers(1, 3), label="periods checked")]:
        plan = result.plan
        note(f"{_movers(plan)} movers")
        goals = plan.goals
        places = {t.team: place for place, t in enumerate(plan.functional.terms)}
        for j, month in enumerate(result.months):
            lines = {line.member_id: line for line in result.lines() if line.period == month.month}
            pools = [0] * len(goals)
            shared = 0
            for member in plan.members:
                line = lines[member.id]
                teams = _teams_in(member, plan, j)
                listed = [g for g, goal in enumerate(goals) if goal.team in teams]
                assert [m for m, _ in line.functional] == [goals[g].metric for g in listed]
                parts = [as_units(plan, amount) for _, amount in line.functional]
                assert as_units(plan, line.total) == as_units(plan, line.shared) + sum(parts)
                for g, part in zip(listed, parts, strict=True):
                    pools[g] += part
                shared += as_units(plan, line.shared)
            assert pools == [goal.pool for goal in month.goals]
            assert sum(as_units(plan, line.total) for line in lines.values()) == month.paid
            if (j + 1) % size:
                assert shared == 0
                continue
            assert shared in {month.pool, 0}
            months = range(j - size + 1, j + 1)
            total = sum(period_weights(plan, months))
            if not total:  # nobody weighs anything at the period's end (a bonus of 0)
                assert shared == 0
                continue
            for member in plan.members:
                # each day at the shared weight and factor of that day's team
                weighed = sum(
                    team_split_weight(plan, member, plan.months[i].month, team)
                    * nominal[team]
                    * month.team_factors[places[team]]
                    for i in months
                    for team in places
                )
                got = as_units(plan, lines[member.id].shared)
                if plan.funding is FundingStyle.POOL:
                    exact = calibration.scale * minor * weighed / total
                    assert abs(got - exact) <= Fraction(3, 2), member.id
                    continue
                # each day's target bonus x FTE / days in the month, over the period's days
                exact = calibration.scale * minor * weighed / 12
                assert got == round_half_up(exact), member.id


@examples(2)
@given(goal_periods(), st.data())
def test_splitting_a_movers_row_changes_no_figure_beside_goals_over_longer_periods(drawn, data):
    spec, length = drawn
    spec = _moved_goals(spec, data)
    # A plan some part of which never pays at historical performance gets a historical
    # period paying every part: the replay then calibrates as it does.
    spec, _, _ = calibrated_paying(replace(spec, period=length), length.months)
    whole = _historical_periods(spec, length.months)
    places = data.draw(st.sampled_from(whole), label="period")
    reported = _replay(spec, places, length.months)
    last = _last_day(spec.months, spec.calendar[0].first_day)
    rows = split_rows(data, reported.members, last)
    before = run(reported.build())
    after = run(replace(reported, members=tuple(rows)).build())
    note(f"{_movers(before.plan)} movers, {len(rows)} rows")
    assert _everything(after) == _everything(before)
