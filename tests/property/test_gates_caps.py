"""Gates and caps, checked from outside; neutrality and monotonicity with them.

Gates are read from the plain rule: a functional part pays only in a month
whose shared attainment reaches the functional gate; a team's shared part
pays only in a month where each of its goals reaches the shared gate. Caps
are replayed member by member: a month's total is cut to the monthly cap and
to the yearly cap less what the member was paid earlier in the plan year
(each 12 plan months from the start), and nothing else is cut. With caps,
calibration reads history as whole years (path ``p`` takes historical month
``(p + j) mod H`` in plan month ``j``); the engine pays each of those paths
as a plan and their mean must be the calibration's expected cost.
"""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from functools import partial

from hypothesis import given, note
from hypothesis import strategies as st
from weighted import (
    WeightedSpec,
    as_units,
    assert_parts_follow_the_rules,
    calibrated,
    paid_paths,
    paid_plan,
    weighted_specs,
)

from jointbonus import Line, MonthStatus, Plan, Result, pay
from jointbonus.core.number import round_half_up
from jointbonus.sharedtarget.calibration import (
    Calibration,
    _file_class_years,
    _file_group_years,
    _file_year,
    _year_kinks,
    norm_outcome,
    scenario_outcomes,
)
from jointbonus.sharedtarget.pay.cost import month_cost
from jointbonus.sharedtarget.pay.groups import frame_months
from jointbonus.sharedtarget.pay.outcome import Terms
from jointbonus.sharedtarget.pay.sharing import member_units
from jointbonus.sharedtarget.plan import Neutrality
from strategies import examples

#: Plan months in a plan year: a per-year cap starts afresh every 12 months.
YEAR = 12


def earned(plan: Plan, line: Line) -> int:
    """What the line earned before caps: its shared part and its functional parts."""
    return as_units(plan, line.shared) + sum(as_units(plan, a) for _, a in line.functional)


def plan_years(result: Result) -> dict[tuple[str, int], int]:
    """What each member was paid in each plan year (by member id and year from 0)."""
    first = result.plan.months[0].month.index()
    totals: dict[tuple[str, int], int] = {}
    for line in result.lines():
        key = (line.member_id, (line.period.index() - first) // YEAR)
        totals[key] = totals.get(key, 0) + as_units(result.plan, line.total)
    return totals


# -- gates ----------------------------------------------------------------------------


@examples(2)
@given(weighted_specs(gates=True, caps=False, all_reported=True))
def test_no_functional_part_pays_in_a_month_below_the_functional_gate(spec):
    spec, _, result = paid_plan(spec)
    gate = spec.gates[0]
    for month in result.months:
        shared, _ = spec.attainments(month.month)
        if month.status is not MonthStatus.PAID or gate is None or shared is None:
            continue
        if shared < gate:
            assert all(g.factor == 0 and g.pool == 0 and g.gated for g in month.goals)
    for line in result.lines():
        shared, _ = spec.attainments(line.period)
        if gate is not None and shared is not None and shared < gate:
            assert all(amount == 0 for _, amount in line.functional)


@given(weighted_specs(gates=True, caps=False, all_reported=True))
def test_goals_pay_by_their_curves_in_a_month_that_reaches_the_functional_gate(spec):
    spec, _, result = paid_plan(spec)
    gate = spec.gates[0]
    for month in result.months:
        shared, goals = spec.attainments(month.month)
        if month.status is not MonthStatus.PAID or shared is None:
            continue
        if gate is None or shared >= gate:
            for goal in month.goals:
                attainment = goals[goal.goal.metric]
                assert attainment is not None
                assert goal.attainment == attainment
                assert not goal.gated
                assert goal.factor == goal.goal.curve.factor(attainment)


@given(weighted_specs(gates=True, caps=False, all_reported=True))
def test_a_team_earns_no_shared_part_in_a_month_one_of_its_goals_misses_the_shared_gate(spec):
    spec, _, result = paid_plan(spec)
    gate = spec.gates[1]
    goals_of = {t.name: [g.metric for g in t.goals] for t in spec.teams}
    for line in result.lines():
        _, goals = spec.attainments(line.period)
        attained = [goals[metric] for metric in goals_of[line.team]]
        if gate is None or None in attained:
            continue
        if any(a is not None and a < gate for a in attained):
            assert line.shared == 0, f"{line.member_id} {line.period}: {attained} < {gate}"


@given(weighted_specs(gates=True, caps=False, all_reported=True))
def test_each_part_is_what_the_rules_make_of_the_attainments_behind_the_gates(spec):
    spec, plan, result = paid_plan(spec)
    assert_parts_follow_the_rules(spec, plan, result)


# -- caps -----------------------------------------------------------------------------


@examples(2)
@given(weighted_specs(caps=True))
def test_no_line_is_above_the_monthly_cap(spec):
    spec, plan, result = paid_plan(spec)
    cap = plan.functional.caps.per_month
    for line in result.lines():
        assert cap is None or as_units(plan, line.total) <= cap


@examples(2)
@given(weighted_specs(per_year=True, all_reported=True))
def test_no_member_is_paid_above_the_yearly_cap_in_any_plan_year(spec):
    spec, plan, result = paid_plan(spec)
    cap = plan.functional.caps.per_year
    assert cap is not None
    years = plan_years(result)
    note(f"largest year {max(years.values(), default=0)}, cap {cap}")
    assert all(total <= cap for total in years.values())


@examples(2)
@given(weighted_specs(caps=True))
def test_a_cut_never_exceeds_what_the_line_earned(spec):
    spec, plan, result = paid_plan(spec)
    for line in result.lines():
        assert 0 <= as_units(plan, line.capped) <= earned(plan, line)


@examples(2)
@given(weighted_specs(caps=False))
def test_nothing_is_cut_without_caps(spec):
    spec, _, result = paid_plan(spec)
    assert all(line.capped == 0 for line in result.lines())
    assert all(not month.capped for month in result.months)


def assert_caps_cut_exactly_what_is_above_them(plan: Plan, result: Result) -> None:
    """Each line is what it earned, cut to the monthly cap and to the yearly cap less what
    the member was paid earlier in the plan year (each 12 plan months from the start)."""
    caps = plan.functional.caps
    first = plan.months[0].month.index()
    so_far: dict[tuple[str, int], int] = {}
    for line in result.lines():
        year = (line.period.index() - first) // YEAR
        before = so_far.get((line.member_id, year), 0)
        allowed = earned(plan, line)
        if caps.per_month is not None:
            allowed = min(allowed, caps.per_month)
        if caps.per_year is not None:
            allowed = min(allowed, max(caps.per_year - before, 0))
        assert as_units(plan, line.total) == allowed
        so_far[line.member_id, year] = before + allowed


@given(weighted_specs(caps=True))
def test_caps_cut_exactly_what_is_above_them(spec):
    spec, plan, result = paid_plan(spec)
    assert_caps_cut_exactly_what_is_above_them(plan, result)


@given(weighted_specs(per_year=True, all_reported=True))
def test_the_yearly_cap_starts_afresh_each_plan_year(spec):
    spec, plan, result = paid_plan(spec)
    assert_caps_cut_exactly_what_is_above_them(plan, result)


# -- neutrality with caps -------------------------------------------------------------


@given(weighted_specs(caps=True))
def test_capped_expected_cost_is_the_budget_within_the_rounding_bound(spec):
    spec, plan, calibration = calibrated(spec)
    note(f"expected {calibration.expected_cost}, bound {calibration.rounding_bound}")
    assert calibration.paths == calibration.scenarios
    assert abs(calibration.expected_cost - plan.budget.amount) <= calibration.rounding_bound


@examples(2)
@given(weighted_specs(per_year=True))
def test_yearly_capped_expected_cost_is_the_budget_within_the_rounding_bound(spec):
    spec, plan, calibration = calibrated(spec)
    note(f"expected {calibration.expected_cost}, bound {calibration.rounding_bound}")
    assert abs(calibration.expected_cost - plan.budget.amount) <= calibration.rounding_bound


def newton_scale(plan: Plan, calibration: Calibration) -> Fraction:
    """The scale whose exact capped cost is the budget, found the slow way: each member's
    exact amount at scale 1 (member by member, path by path, as fractions), capped per
    month and per plan year, and Newton steps from below until the cost is the budget."""
    frames = frame_months(plan).months
    if calibration.neutrality is Neutrality.NORM_PATH:
        paths = [[norm_outcome(plan, frame) for frame in frames]]
    else:
        table = [scenario_outcomes(plan, frame) for frame in frames]
        count = len(plan.norm.sample)
        paths = [[row[(p + j) % count] for j, row in enumerate(table)] for p in range(count)]
    unit = Terms(Fraction(1), calibration.terms.weights)
    # Per member (position): its exact amount at scale 1, month by month, on each path.
    amounts = {}
    for path in paths:
        for frame, outcome in zip(frames, path, strict=True):
            if (frame.index, outcome) not in amounts:
                units = member_units(plan, frame, unit, outcome)
                amounts[frame.index, outcome] = {
                    position: units[group]
                    for group, positions in enumerate(frame.groups.positions)
                    for position in positions
                }
    # Per plan year, what each member's pay counts: all of it, or what is not held back
    # where they leave before the year ends (they forfeit the rest).
    keeps = {
        start: {
            position: 1 - plan.holdback if forfeits else Fraction(1)
            for positions, forfeits in zip(
                frames[start].groups.positions, frames[start].groups.forfeits, strict=True
            )
            for position in positions
        }
        for start in range(0, len(frames), YEAR)
    }
    caps = plan.functional.caps

    def cost_and_slope(scale: Fraction) -> tuple[Fraction, Fraction]:
        cost = slope = Fraction(0)
        for path in paths:
            for position in keeps[0]:
                keep = Fraction(0)
                year = year_slope = Fraction(0)
                for frame, outcome in zip(frames, path, strict=True):
                    if frame.index % YEAR == 0:  # a plan year ends: its cap starts afresh
                        cost, slope = cost + keep * year, slope + keep * year_slope
                        year = year_slope = Fraction(0)
                        keep = keeps[frame.index][position]
                    unit_amount = amounts[frame.index, outcome][position]
                    amount = unit_amount * scale
                    if caps.per_month is not None and amount >= caps.per_month:
                        year += caps.per_month
                    else:
                        year += amount
                        year_slope += unit_amount
                    if caps.per_year is not None and year >= caps.per_year:
                        year, year_slope = Fraction(caps.per_year), Fraction(0)
                cost, slope = cost + keep * year, slope + keep * year_slope
        return cost / len(paths), slope / len(paths)

    scale = Fraction(0)
    while True:
        cost, slope = cost_and_slope(scale)
        if cost == plan.budget.amount:
            return scale
        assert slope > 0, "the caps keep the cost below the budget"
        scale += (plan.budget.amount - cost) / slope


@given(weighted_specs(caps=True, holding=True))
def test_capped_scale_is_the_one_newton_steps_on_member_costs_find(spec):
    """The scale found over the sorted kinks of the capped cost is the one Newton steps on
    every member's exact, capped amounts find."""
    spec, plan, calibration = calibrated(spec)
    note(f"scale {calibration.scale}")
    assert calibration.scale == newton_scale(plan, calibration)


@examples(2)
@given(weighted_specs(per_year=True, holding=True))
def test_yearly_capped_scale_is_the_one_newton_steps_on_member_costs_find(spec):
    """The same with a yearly cap, over plans that cross a plan year."""
    spec, plan, calibration = calibrated(spec)
    note(f"scale {calibration.scale}")
    assert calibration.scale == newton_scale(plan, calibration)


@given(
    st.lists(st.integers(0, 40), max_size=12),
    st.integers(1, 5),
    st.none() | st.integers(1, 40),
    st.integers(1, 400),
)
def test_a_year_filed_without_walking_it_has_the_kinks_walking_it_finds(
    year, weight, month_cap, year_cap
):
    """A year's kinks filed straight under the monthly cap, where its months all at that
    cap stay under the yearly cap, are the ones walking its months largest first finds."""
    months: dict[int, int] = {}
    years: list[tuple[int, int, int, int]] = []
    slope = _file_year(year, weight, month_cap, year_cap, months=months, years=years)
    walked: dict[int, int] = {}
    walked_years: list[tuple[int, int, int, int]] = []
    paid = sorted(filter(None, year), reverse=True)
    _year_kinks(paid, weight, month_cap, year_cap, months=walked, years=walked_years)
    assert slope == weight * sum(year)
    assert months == walked
    assert years == walked_years


@st.composite
def group_years(draw: st.DrawFn) -> dict[str, object]:
    """Small pay groups over one or two plan years: each month's teams, values and moves,
    each month's outcomes as each team's whole amount per unit of value, some paths
    through them, each plan year's group weights, and caps of a few units."""
    groups = draw(st.integers(1, 6))
    length = draw(st.integers(1, 15))
    outcomes = draw(st.integers(1, 3))
    team = st.integers(0, 1)
    teams = [draw(st.lists(team, min_size=groups, max_size=groups)) for _ in range(length)]
    values = [
        draw(st.lists(st.integers(0, 3), min_size=groups, max_size=groups)) for _ in range(length)
    ]
    mix = st.tuples(
        st.tuples(st.just(0), st.integers(0, 2)), st.tuples(st.just(1), st.integers(1, 2))
    )
    mixes = [
        draw(st.dictionaries(st.integers(0, groups - 1), mix, max_size=2)) for _ in range(length)
    ]
    rate = st.sampled_from([0, 0, 1, 2, 3, 5, 7, 10])
    whole = {
        (j, k): draw(st.lists(rate, min_size=2, max_size=2))
        for j in range(length)
        for k in range(outcomes)
    }
    paths = draw(
        st.lists(
            st.lists(st.integers(0, outcomes - 1), min_size=length, max_size=length),
            min_size=1,
            max_size=4,
        )
    )
    spans = tuple(range(start, min(start + YEAR, length)) for start in range(0, length, YEAR))
    weights = [draw(st.lists(st.integers(0, 3), min_size=groups, max_size=groups)) for _ in spans]
    return {
        "teams": teams,
        "values": values,
        "mixes": mixes,
        "whole": whole,
        "paths": paths,
        "spans": spans,
        "weights": weights,
        "month_cap": draw(st.integers(1, 40)),
        "year_cap": draw(st.integers(1, 300)),
    }


@given(group_years())
def test_group_years_filed_by_class_have_the_kinks_filing_each_group_finds(drawn):
    """Filing each month's classes at once, and walking only the group-years with enough
    paying months to reach the yearly cap, gives the slope and kinks that filing every
    group's year on every path gives."""
    found = []
    for by_class in (False, True):
        months: dict[int, int] = {}
        years: list[tuple[int, int, int, int]] = []
        streams: list[Iterator[tuple[int, int]]] = []
        file = partial(_file_class_years, streams=streams) if by_class else _file_group_years
        slope = file(
            drawn["teams"],
            drawn["mixes"],
            drawn["values"],
            drawn["whole"],
            drawn["paths"],
            year_weights=drawn["weights"],
            spans=drawn["spans"],
            month_cap=drawn["month_cap"],
            year_cap=drawn["year_cap"],
            months=months,
            years=years,
        )
        # A class's months at an outcome come as a stream of kinks, largest first.
        for stream in streams:
            kinks = list(stream)
            assert kinks == sorted(kinks, reverse=True)
            for amount, weight in kinks:
                months[amount] = months.get(amount, 0) + weight
        months = {amount: weight for amount, weight in months.items() if weight}
        found.append((slope, months, sorted(years)))
    note(f"by group {found[0]}")
    assert found[1] == found[0]


@examples(2)
@given(weighted_specs(caps=True, holding=True))
def test_engine_pays_the_capped_expected_cost_on_average_over_the_historical_years(spec):
    spec, _, calibration = calibrated(spec)
    paths = paid_paths(spec, calibration)
    # What a month costs: what members earned, less the holdback leavers forfeit.
    paid = sum(month.paid - month.forfeited for _, _, result in paths for month in result.months)
    assert Fraction(paid, len(paths)) == calibration.expected_cost


@examples(3)
@given(weighted_specs(per_year=True, holding=True))
def test_engine_pays_the_yearly_capped_expected_cost_over_years_that_cross_a_plan_year(spec):
    spec, _, calibration = calibrated(spec)
    paths = paid_paths(spec, calibration)
    paid = sum(month.paid - month.forfeited for _, _, result in paths for month in result.months)
    assert Fraction(paid, len(paths)) == calibration.expected_cost


@given(weighted_specs(holding=True))
def test_each_line_holds_back_its_share_of_its_total_and_the_month_holds_their_sum(spec):
    """held = round(holdback x total), halves away from zero, line by line; a month holds
    back exactly what its lines hold."""
    spec, plan, result = paid_plan(spec)
    lines = list(result.lines())
    for month in result.months:
        own = [line for line in lines if line.period == month.month]
        held = [as_units(plan, line.held) for line in own]
        for line, part in zip(own, held, strict=True):
            total = as_units(plan, line.total)
            assert part == round_half_up(plan.holdback * total)
            assert as_units(plan, line.total - line.held) == total - part
        assert sum(held) == month.held


# -- monotonicity -----------------------------------------------------------------------


def raised_month_costs(spec: WeightedSpec, data: st.DataObject) -> tuple[int, int]:
    """One month's cost before and after every one of its attainments is raised."""
    spec, _, result = paid_plan(spec)
    index = data.draw(st.integers(0, spec.months - 1), label="month")
    shared = []
    goals: dict[str, list[Fraction]] = {name: [] for name in spec.metric_names}
    for month in spec.calendar:
        attained, by_metric = spec.attainments(month)
        assert attained is not None
        shared.append(attained)
        for name in spec.metric_names:
            value = by_metric[name]
            assert value is not None
            goals[name].append(value)

    def thousandths(low: int, high: int, label: str) -> Fraction:
        return Fraction(data.draw(st.integers(low, high), label=label), 1000)

    shared[index] = thousandths(300, 1600, "shared")
    for name in spec.metric_names:
        goals[name][index] = thousandths(300, 1600, name)
    low = pay(spec.reported(shared, goals).build(), result.calibration).months[index]
    shared[index] += thousandths(0, 600, "shared raised by")
    for name in spec.metric_names:
        goals[name][index] += thousandths(0, 600, f"{name} raised by")
    high = pay(spec.reported(shared, goals).build(), result.calibration).months[index]
    note(f"paid {low.paid}, then {high.paid} after the raise")
    return low.paid, high.paid


@given(weighted_specs(caps=False, all_reported=True), st.data())
def test_raising_every_attainment_never_lowers_the_months_cost(spec, data):
    before, after = raised_month_costs(spec, data)
    assert after >= before


@given(weighted_specs(caps=True, all_reported=True), st.data())
def test_raising_every_attainment_never_lowers_the_months_capped_cost(spec, data):
    before, after = raised_month_costs(spec, data)
    assert after >= before


# -- a month's cost against its exact cost ----------------------------------------------


@examples(2)
@given(weighted_specs(caps=True, per_year=False, holding=True))
def test_a_capped_months_cost_is_its_exact_cost_within_the_rounding_bound(spec):
    """Without a yearly cap, what a month pays at any historical outcome is its exact cost
    (every member's exact amount, at most the monthly cap, less what a leaver forfeits)
    give or take the month's rounding bound."""
    spec, plan, result = paid_plan(spec)
    terms = result.calibration.terms
    minor = plan.currency.scale
    for frame in frame_months(plan).months:
        for outcome in set(scenario_outcomes(plan, frame)):
            cost = month_cost(plan, frame, terms, outcome)
            note(f"{frame.plan_month.month}: paid {cost.paid}, exact {cost.exact * minor}")
            assert abs(cost.paid - cost.exact * minor) <= cost.bound
