"""Split standing: a member of several roster rows is one person, paid day by day.

Two ways a roster is redrawn:

* **split**: one row cut into two adjacent rows with the same standing (the
  second begins the day after the first ends). Nothing about the member has
  changed, so no figure may change: calibration, every line, every month,
  every settlement.
* **changed**: rows whose FTE, salary, target bonus or team differ, with now
  and then a gap (time away) between them. Neutrality, conservation and
  monotonicity hold for such rosters as for any other, and a mover is still
  one person: one line a month, one per-year cap.

Everything changes on any day: a member who moves team during a month earns
each team's functional part for the days spent in it, and a target bonus that
funds individually pays each day's amount.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from independent import (
    calibrated,
    historical_norm,
    paid_in_year,
    rounded_in_year,
    someone_eligible,
    split_weight,
    units,
    year_paid,
)
from weighted import (
    as_units,
    assert_parts_follow_the_rules,
    paid_paths,
    paid_plan,
    weighted_specs,
)
from weighted import calibrated as weighted_calibrated

from jointbonus import (
    FundingStyle,
    Member,
    MonthStatus,
    Neutrality,
    Result,
    calibrate,
    run,
)
from jointbonus.sharedtarget.results import SettlementStatus
from strategies import examples, fte_texts, payable, plan_specs

#: Plan months in a plan year: a per-year cap starts afresh every 12 months.
YEAR = 12


def _cut_day(
    data: st.DataObject,
    row: Member,
    last: date,
    label: str,
    within: tuple[date, date] | None = None,
) -> date | None:
    """A day after ``row``'s start, by its end (or ``last``), and within the days ``within``
    (first, last) if given: the next row begins on it."""
    low = row.start + timedelta(days=1)
    end = row.end if row.end is not None else last
    if within is not None:
        low, end = max(low, within[0]), min(end, within[1])
    if end < low:
        return None
    return data.draw(st.dates(low, end), label=label)


def _split(row: Member, day: date) -> tuple[Member, Member]:
    """``row`` as two adjacent rows with the same standing; the second begins on ``day``."""
    fields = (row.team, row.fte, row.salary, row.target_bonus)
    earlier = Member(row.id, fields[0], row.start, day - timedelta(days=1), *fields[1:])
    later = Member(row.id, fields[0], day, row.end, *fields[1:])
    return earlier, later


def split_rows(data: st.DataObject, members: tuple[Member, ...], last: date) -> list[Member]:
    """The roster with some rows each split in two (or three) with the same standing."""
    rows: list[Member] = []
    for member in members:
        pieces = [member]
        for cut in range(data.draw(st.integers(0, 2), label=f"{member.id} cuts")):
            day = _cut_day(data, pieces[-1], last, f"{member.id} cut {cut}")
            if day is None:
                break
            pieces[-1:] = _split(pieces[-1], day)
        rows += pieces
    return data.draw(st.permutations(rows), label="row order")


def changed_rows(
    data: st.DataObject,
    members: tuple[Member, ...],
    last: date,
    teams: tuple[str, ...],
    within: tuple[date, date] | None = None,
) -> list[Member]:
    """The roster with some members' standing changing on any day: team, FTE, salary and
    target bonus, sometimes after days away, and sometimes leaving later.

    With ``within`` (first, last day), every member whose row runs past its first day
    changes on a day in it (a move around a plan version's start, say)."""
    rows: list[Member] = []
    for member in members:
        day = None
        if within is not None or data.draw(st.booleans(), label=f"{member.id} changes"):
            day = _cut_day(data, member, last, f"{member.id} changes on", within)
        if day is None:
            rows.append(member)
            continue
        earlier, later = _split(member, day)
        away = data.draw(st.sampled_from([0, 0, 0, 1, 20, 45]), label=f"{member.id} away")
        if later.end is not None and later.start + timedelta(days=away) > later.end:
            away = 0
        start = later.start + timedelta(days=away)
        team = later.team
        if len(teams) > 1 and data.draw(st.booleans(), label="moves"):
            team = data.draw(st.sampled_from([t for t in teams if t != team]), label="to")
        fte = data.draw(st.one_of(st.just(str(later.fte)), fte_texts()), label="fte")
        salary, bonus = later.salary, later.target_bonus
        if salary is not None and data.draw(st.booleans(), label="salary changes"):
            salary *= data.draw(st.sampled_from([0, 2, 3]), label="salary times")
        if bonus is not None and data.draw(st.booleans(), label="bonus changes"):
            bonus *= data.draw(st.sampled_from([0, 2, 3]), label="bonus times")
        end = later.end
        if end is None and data.draw(st.booleans(), label=f"{member.id} leaves later"):
            end = start + timedelta(days=data.draw(st.integers(0, 150), label="days to leaving"))
        rows += [earlier, Member(member.id, team, start, end, fte, salary, bonus)]
    return data.draw(st.permutations(rows), label="row order")


def _last_day(plan_months: int, first: date) -> date:
    """A day two months after the plan's end: rows run on past it."""
    return first + timedelta(days=31 * (plan_months + 2))


def _figures(result: Result) -> tuple[object, ...]:
    """Every figure a run shows: calibration, months, lines and settlements."""
    calibration = result.calibration
    return (
        calibration.scale,
        calibration.expected_cost,
        calibration.residual,
        [(m.month, m.status, m.pool, m.paid, m.held) for m in result.months],
        list(result.lines()),
        list(result.settlements()),
    )


# -- split: no figure changes ------------------------------------------------------------


@examples(2)
@given(plan_specs(max_members=12, max_months=15), st.data())
def test_splitting_a_row_into_adjacent_rows_with_the_same_standing_changes_no_figure(spec, data):
    spec = payable(spec)
    first = spec.calendar[0].first_day
    rows = split_rows(data, spec.members, _last_day(spec.months, first))
    split = replace(spec, members=tuple(rows))
    plan = split.build()
    note(f"{len(rows)} rows for {len(plan.members)} members")
    assert len(plan.members) == len(spec.members)
    assert _figures(run(plan)) == _figures(run(spec.build()))


@examples(2)
@given(weighted_specs(holding=True), st.data())
def test_splitting_a_row_changes_no_part_cap_or_holdback(spec, data):
    spec, _, result = paid_plan(spec)
    first = spec.calendar[0].first_day
    rows = split_rows(data, spec.members, _last_day(spec.months, first))
    split = replace(spec, members=tuple(rows)).build()
    assert _figures(run(split)) == _figures(result)


# -- changed standing: neutrality, conservation, monotonicity ---------------------------


@examples(4)
@given(plan_specs(neutrality=Neutrality.EXPECTED_COST, max_members=12), st.data())
def test_expected_cost_equals_budget_with_changing_standing(spec, data):
    first = spec.calendar[0].first_day
    rows = changed_rows(
        data,
        spec.members,
        _last_day(spec.months, first),
        ("sales", "marketing"),
    )
    spec = replace(spec, members=tuple(rows))
    plan = spec.build()
    calibration = calibrated(plan)
    norm = historical_norm(spec.history, spec.norm, spec.window)
    paid = 0
    rounded = 0
    for historical in norm.sample:
        year = year_paid(plan, calibration, norm.scenario(plan, historical))
        paid += paid_in_year(year)
        rounded += rounded_in_year(plan, calibration.scale, year)
    scenarios = len(norm.sample)
    average = Fraction(paid, scenarios)
    bound = Fraction(rounded, 2 * scenarios)
    note(f"budget {plan.budget.amount}, mean paid {average}, bound {bound}")
    assert abs(average - plan.budget.amount) <= bound


@examples(2)
@given(weighted_specs(holding=True), st.data())
def test_engine_pays_the_expected_cost_with_movers_caps_and_holdbacks(spec, data):
    first = spec.calendar[0].first_day
    teams = tuple(t.name for t in spec.teams)
    rows = changed_rows(
        data,
        spec.members,
        _last_day(spec.months, first),
        teams,
    )
    spec, plan, calibration = weighted_calibrated(replace(spec, members=tuple(rows)))
    assert abs(calibration.expected_cost - plan.budget.amount) <= calibration.rounding_bound
    paths = paid_paths(spec, calibration)
    # What each path costs, from the lines and the settlements: what members earned, less
    # the holdback of those who leave before the plan ends (their settlement forfeits it).
    cost = 0
    for _, paid_plan_, result in paths:
        cost += sum(as_units(paid_plan_, line.total) for line in result.lines())
        cost -= sum(
            as_units(paid_plan_, s.held)
            for s in result.settlements()
            if s.status is SettlementStatus.FORFEITED
        )
    assert Fraction(cost, len(paths)) == calibration.expected_cost


@given(plan_specs(max_members=12, funding=FundingStyle.POOL), st.data())
def test_shares_add_up_to_the_pool_by_weight_with_changing_standing(spec, data):
    first = spec.calendar[0].first_day
    rows = changed_rows(
        data,
        spec.members,
        _last_day(spec.months, first),
        ("sales", "marketing"),
    )
    plan = payable(replace(spec, members=tuple(rows))).build()
    result = run(plan)
    people = len({row.id for row in rows})
    shares: Counter[object] = Counter()
    lines = list(result.lines())
    for line in lines:
        shares[line.period] += units(plan, line.total)
    for month in result.months:
        own = [line for line in lines if line.period == month.month]
        assert len(own) == people  # one line a month: one person
        assert shares[month.month] == month.paid
        if month.status is not MonthStatus.PAID or not someone_eligible(plan, month.month):
            continue
        assert month.paid == month.pool  # pool = sum paid, to the minor unit
        # and each share is the member's part of it by their weight, counted day by day
        weights = {m.id: split_weight(plan, m, month.month) for m in plan.members}
        total = sum(weights.values())
        for line in own:
            exact = month.pool * weights[line.member_id] / total
            assert abs(units(plan, line.total) - exact) < 1, line.member_id


@examples(2)
@given(weighted_specs(per_year=True, all_reported=True), st.data())
def test_a_mover_is_paid_at_most_one_yearly_cap(spec, data):
    first = spec.calendar[0].first_day
    teams = tuple(t.name for t in spec.teams)
    rows = changed_rows(
        data,
        spec.members,
        _last_day(spec.months, first),
        teams,
    )
    spec, plan, result = paid_plan(replace(spec, members=tuple(rows)))
    cap = plan.currency.to_minor(spec.cap_per_year) if spec.cap_per_year else None
    assert cap is not None
    start = plan.months[0].month.index()
    totals: Counter[tuple[str, int]] = Counter()
    for line in result.lines():
        totals[line.member_id, (line.period.index() - start) // YEAR] += as_units(plan, line.total)
    note(f"largest year {max(totals.values(), default=0)}, cap {cap}")
    assert all(total <= cap for total in totals.values())


@examples(2)
@given(plan_specs(max_members=12), st.data())
def test_a_year_above_the_norm_costs_at_least_one_below_it_with_changing_standing(spec, data):
    first = spec.calendar[0].first_day
    rows = changed_rows(
        data,
        spec.members,
        _last_day(spec.months, first),
        ("sales", "marketing"),
    )
    spec = payable(replace(spec, members=tuple(rows)))
    plan = spec.build()
    calibration = calibrate(plan)
    norm = historical_norm(spec.history, spec.norm, spec.window)
    above = []
    below = []
    for month, at_norm in zip(plan.months, norm.at_norm(plan), strict=True):
        up = data.draw(st.integers(0, 800), label=f"{month.month} up, thousandths")
        down = data.draw(st.integers(1, 1000), label=f"{month.month} down, thousandths")
        above.append(at_norm * (1 + Fraction(up, 1000)))
        below.append(at_norm * (1 - Fraction(down, 1000)))
    high = paid_in_year(year_paid(plan, calibration, above))
    low = paid_in_year(year_paid(plan, calibration, below))
    note(f"above the norm paid {high}, below it {low}")
    assert high >= low


# -- moves during a month: each team's parts for the days in it ---------------------------


@examples(2)
@given(weighted_specs(holding=True), st.data())
def test_splitting_a_movers_rows_changes_no_figure(spec, data):
    first = spec.calendar[0].first_day
    last = _last_day(spec.months, first)
    teams = tuple(t.name for t in spec.teams)
    spec, _, result = paid_plan(
        replace(spec, members=tuple(changed_rows(data, spec.members, last, teams)))
    )
    rows = split_rows(data, spec.members, last)
    assert _figures(run(replace(spec, members=tuple(rows)).build())) == _figures(result)


@examples(3)
@given(weighted_specs(), st.data())
def test_a_mover_earns_each_teams_parts_for_the_days_in_it(spec, data):
    first = spec.calendar[0].first_day
    teams = tuple(t.name for t in spec.teams)
    rows = changed_rows(data, spec.members, _last_day(spec.months, first), teams)
    spec, plan, result = paid_plan(replace(spec, members=tuple(rows)))
    moves = sum(
        1
        for member in plan.members
        for month in plan.months
        if len(member.teams_in(month.month)) > 1
    )
    note(f"{moves} member-months spent in two teams")
    people = len(plan.members)
    for month in result.months:
        assert sum(1 for line in result.lines() if line.period == month.month) == people
    # every part of every line, from each team's days counted one by one
    assert_parts_follow_the_rules(spec, plan, result)
