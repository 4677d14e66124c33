"""Plans of several plan years: holdbacks and yearly caps work per plan year.

A plan year is each run of 12 plan months from the plan's start; a plan
whose length is not a whole number of years ends with a short year that ends
with the plan. What is held back from a month is settled at the end of that
month's plan year: paid to members still in the plan on the year's last day,
forfeited by those who left before it. Yearly caps start afresh with each
plan year.

Every property draws plans of 13 to 36 months (13 to 24 with goals and
yearly caps), with members who join and leave in any year, and checks the
library against arithmetic of its own (:mod:`independent`): the plan years
and who is in the plan at a year's end are worked out from the calendar and
the roster rows, not from the library's pay groups.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, note
from hypothesis import strategies as st
from independent import (
    calibrated,
    historical_norm,
    rounded_in_year,
    units,
    year_at,
    year_paid,
)
from test_split_standing import changed_rows
from weighted import as_units, paid_paths, paid_plan, weighted_specs
from weighted import calibrated as weighted_calibrated

from jointbonus import (
    FundingStyle,
    Member,
    MonthStatus,
    Neutrality,
    Plan,
    Result,
    build_plan,
    calibrate,
    run,
)
from jointbonus.errors import CalibrationError
from jointbonus.sharedtarget.report.exports import PAYROLL_COLUMNS, payroll_csv, payroll_rows
from jointbonus.sharedtarget.results import LineStatus, SettlementStatus
from strategies import PlanSpec, examples, plan_specs

#: Plan months in a plan year.
YEAR = 12

#: The holdbacks drawn: small to half of every line.
HOLDBACKS = ("0.1", "0.2", "0.25", "0.333", "0.5")


def several_years(neutrality: Neutrality | None = None) -> st.SearchStrategy[PlanSpec]:
    """Plans of 13 to 36 months (at most 8 members, short histories: quick to pay)."""
    return plan_specs(
        neutrality=neutrality, max_members=8, max_history=18, min_months=13, max_months=36
    )


def with_holdback(spec: PlanSpec, holdback: str) -> Plan:
    return build_plan(**spec.kwargs(), holdback=holdback)


def payable_with_holdback(spec: PlanSpec, holdback: str) -> Plan:
    """The plan with ``holdback``, calibrated, or at a fixed scale when it cannot be."""
    plan = with_holdback(spec, holdback)
    try:
        calibrate(plan)
    except CalibrationError:
        fixed = "1000" if spec.funding is FundingStyle.POOL else "1.5"
        plan = with_holdback(replace(spec, scale=fixed), holdback)
    return plan


def with_leavers(data: st.DataObject, spec: PlanSpec) -> PlanSpec:
    """``spec`` with some members leaving in each plan year: on a year's last day, the day
    before or after it, or any day of the plan."""
    calendar = spec.calendar
    lasts = [calendar[min(start + YEAR, len(calendar)) - 1].last_day
             for start in range(0, len(calendar), YEAR)]  # fmt: skip
    members = []
    for member in spec.members:
        how = data.draw(st.sampled_from(["stays as drawn", "year end", "any day"]), label="leaves")
        if how == "stays as drawn":
            members.append(member)
            continue
        if how == "year end":
            year = data.draw(st.integers(0, len(lasts) - 1), label="plan year left")
            end = lasts[year] + timedelta(days=data.draw(st.integers(-1, 1), label="off by"))
        else:
            end = data.draw(st.dates(calendar[0].first_day, lasts[-1]), label="left on")
        end = max(end, member.start)
        members.append(
            Member(member.id, member.team, member.start, end, member.fte, member.salary,
                   member.target_bonus)
        )  # fmt: skip
    return replace(spec, members=tuple(members))


def all_reported(data: st.DataObject, plan: Plan) -> Plan:
    """``plan`` with every month's actual in, at attainments from 60% to 150%."""
    attainments = [
        Fraction(data.draw(st.integers(600, 1500), label="attainment"), 1000) for _ in plan.months
    ]
    return year_at(plan, attainments)


def year_of(index: int) -> int:
    """The plan year (0 for the first) of the plan month at ``index``."""
    return index // YEAR


def year_last_day(plan: Plan, year: int) -> date:
    """The last day of plan year ``year``: 12 months on, or the plan's end if sooner."""
    last = min(year * YEAR + YEAR, len(plan.months)) - 1
    return plan.months[last].month.last_day


def last_day(member: Member) -> date | None:
    """The member's last day in the plan: the end of their last roster row (``None``: stays).

    A gap between rows is time away, not leaving.
    """
    ends = [row.end for row in member.rows]
    return None if any(end is None for end in ends) else max(e for e in ends if e is not None)


def in_at_year_end(plan: Plan, member: Member, year: int) -> bool:
    """Whether ``member`` is still in the plan on the last day of plan year ``year``."""
    end = last_day(member)
    return end is None or end >= year_last_day(plan, year)


def kept_cost(plan: Plan, result: Result) -> tuple[int, int]:
    """What ``result`` costs, minor units, and how many lines forfeit a held-back part.

    Every line's total, less what is held back from members who leave before
    the line's plan year ends (they never receive it).
    """
    gone = {
        (member.id, year): not in_at_year_end(plan, member, year)
        for member in plan.members
        for year in range(year_of(len(plan.months) - 1) + 1)
    }
    index = {month.month: i for i, month in enumerate(plan.months)}
    cost = forfeiting = 0
    for line in result.lines():
        cost += units(plan, line.total)
        if line.held and gone[line.member_id, year_of(index[line.period])]:
            cost -= units(plan, line.held)
            forfeiting += 1
    return cost, forfeiting


# -- neutrality --------------------------------------------------------------------------


@examples(5)
@given(
    several_years(neutrality=Neutrality.EXPECTED_COST),
    st.sampled_from(HOLDBACKS),
    st.data(),
)
def test_expected_cost_equals_budget_with_holdbacks_and_leavers_over_several_years(
    spec, holdback, data
):
    plan = with_holdback(with_leavers(data, spec), holdback)
    calibration = calibrated(plan)
    norm = historical_norm(spec.history, spec.norm, spec.window)
    share = Fraction(holdback)
    cost = 0
    bound = Fraction(0)
    for historical in norm.sample:
        year = year_paid(plan, calibration, norm.scenario(plan, historical))
        kept, forfeiting = kept_cost(plan, year)
        cost += kept
        # Each rounded amount is off by half a unit at most; a forfeited held-back part
        # by half a unit of its own rounding and the holdback's share of the line's.
        bound += Fraction(rounded_in_year(plan, calibration.scale, year), 2)
        bound += forfeiting * (Fraction(1, 2) + share)
    scenarios = len(norm.sample)
    average = Fraction(cost, scenarios)
    note(f"budget {plan.budget.amount}, mean cost {average}, bound {bound / scenarios}")
    assert abs(average - plan.budget.amount) <= bound / scenarios


@examples(3)
@given(weighted_specs(per_year=True, holding=True, caps=True), st.data())
def test_engine_pays_the_expected_cost_with_goals_caps_and_holdbacks_over_several_years(spec, data):
    first = spec.calendar[0].first_day
    teams = tuple(t.name for t in spec.teams)
    rows = changed_rows(
        data,
        spec.members,
        first + timedelta(days=31 * (spec.months + 2)),
        teams,
    )
    spec, plan, calibration = weighted_calibrated(replace(spec, members=tuple(rows)))
    assert abs(calibration.expected_cost - plan.budget.amount) <= calibration.rounding_bound
    # Each path costs its lines, less the holdback of members who leave before the
    # line's plan year ends: worked out here from the roster rows.
    paths = paid_paths(spec, calibration)
    cost = sum(kept_cost(paid_plan_, result)[0] for _, paid_plan_, result in paths)
    note(f"mean cost {Fraction(cost, len(paths))}, expected {calibration.expected_cost}")
    assert Fraction(cost, len(paths)) == calibration.expected_cost


# -- conservation and the settlements ------------------------------------------------------


@examples(2)
@given(several_years(), st.sampled_from(HOLDBACKS), st.data())
def test_held_paid_now_and_settled_add_up_to_what_was_earned_per_plan_year(spec, holdback, data):
    plan = payable_with_holdback(with_leavers(data, spec), holdback)
    result = run(plan)
    index = {month.month: i for i, month in enumerate(plan.months)}
    earned: Counter[tuple[str, int]] = Counter()
    paid_now: Counter[tuple[str, int]] = Counter()
    held: Counter[tuple[str, int]] = Counter()
    for line in result.lines():
        key = (line.member_id, year_of(index[line.period]) + 1)
        earned[key] += units(plan, line.total)
        paid_now[key] += units(plan, line.paid_now if line.paid_now is not None else line.total)
        held[key] += units(plan, line.held)
    settled: dict[tuple[str, int], int] = {}
    for s in result.settlements():
        key = (s.member_id, s.year)
        assert key not in settled  # one settlement per member and plan year
        settled[key] = units(plan, s.held)
        paid, forfeited = units(plan, s.paid), 0
        if s.status is SettlementStatus.FORFEITED:
            forfeited = settled[key]
        assert paid + forfeited == settled[key] or s.status is SettlementStatus.PENDING
        assert (s.first, s.last) == (
            plan.months[(s.year - 1) * YEAR].month,
            plan.months[min(s.year * YEAR, len(plan.months)) - 1].month,
        )
    for key, amount in earned.items():
        # earned = paid with the months + held back; what is held is what the year settles
        assert amount == paid_now[key] + held[key]
        assert held[key] == settled.get(key, 0), key


@examples(2)
@given(several_years(), st.sampled_from(HOLDBACKS), st.data())
def test_a_leaver_forfeits_only_the_years_not_completed_and_a_stayer_is_paid_at_each_year_end(
    spec, holdback, data
):
    plan = payable_with_holdback(with_leavers(data, spec), holdback)
    if data.draw(st.booleans(), label="every actual in"):
        plan = all_reported(data, plan)
    result = run(plan)
    pending_years = {
        year_of(i) + 1 for i, m in enumerate(result.months) if m.status is MonthStatus.PENDING
    }
    members = {m.id: m for m in plan.members}
    paid_rows = Counter(
        (member_id, period, amount)
        for member_id, _, period, kind, _, amount in payroll_rows(result)
        if kind == "settlement"
    )
    for s in result.settlements():
        if s.year in pending_years:
            assert s.status is SettlementStatus.PENDING
            continue
        stays = in_at_year_end(plan, members[s.member_id], s.year - 1)
        note(f"{s.member_id} year {s.year}: stays {stays}, {s.status}")
        assert s.status is (SettlementStatus.PAID if stays else SettlementStatus.FORFEITED)
        if stays and s.held:
            # paid with the last month of its own plan year, not the plan's
            assert paid_rows[s.member_id, str(s.last), s.held] >= 1


@examples(2)
@given(several_years(), st.sampled_from(HOLDBACKS), st.data())
def test_payroll_pays_each_month_then_its_settlements_and_every_row_says_which(
    spec, holdback, data
):
    """Every payroll row is a month's pay or a settlement, and says which; rows come by
    month, then kind, so a plan year's settlements follow the pay of its last month and
    come before the next year's; the pay rows pay each paid line's total less what it held
    back, the settlement rows each paid settlement; payroll.csv says what the rows say."""
    plan = payable_with_holdback(with_leavers(data, spec), holdback)
    if data.draw(st.booleans(), label="every actual in"):
        plan = all_reported(data, plan)
    result = run(plan)
    rows = list(payroll_rows(result))
    order = [(period, ("pay", "settlement").index(kind)) for _, _, period, kind, _, _ in rows]
    assert order == sorted(order)
    pay = Counter((r[0], r[2], units(plan, r[5])) for r in rows if r[3] == "pay")
    lines = Counter(
        (line.member_id, str(line.period), units(plan, line.total - line.held))
        for line in result.lines()
        if line.status is LineStatus.PAID and line.total != line.held
    )
    assert pay == lines
    settled = Counter((r[0], r[2], r[5]) for r in rows if r[3] == "settlement")
    assert settled == Counter(
        (s.member_id, str(s.last), s.paid) for s in result.settlements() if s.paid
    )
    written = list(csv.reader(io.StringIO(payroll_csv(result))))
    assert written[0] == list(PAYROLL_COLUMNS)
    assert written[1:] == [[*r[:5], str(r[5])] for r in rows]


# -- yearly caps ---------------------------------------------------------------------------


@examples(2)
@given(weighted_specs(per_year=True, all_reported=True), st.data())
def test_yearly_caps_start_afresh_with_each_plan_year_and_follow_a_mover(spec, data):
    first = spec.calendar[0].first_day
    teams = tuple(t.name for t in spec.teams)
    rows = changed_rows(
        data,
        spec.members,
        first + timedelta(days=31 * (spec.months + 2)),
        teams,
    )
    spec, plan, result = paid_plan(replace(spec, members=tuple(rows)))
    month_cap = plan.currency.to_minor(spec.cap_per_month) if spec.cap_per_month else None
    year_cap = plan.currency.to_minor(spec.cap_per_year) if spec.cap_per_year else None
    assert year_cap is not None
    index = {month.month: i for i, month in enumerate(plan.months)}
    so_far: Counter[tuple[str, int]] = Counter()
    for line in sorted(result.lines(), key=lambda line: line.period):
        key = (line.member_id, year_of(index[line.period]))
        total = as_units(plan, line.total)
        before_caps = total + as_units(plan, line.capped)
        # The caps let through the month's amount, at most the month cap and what is
        # left of the year cap after the earlier months of the same plan year.
        allowed = min(before_caps, max(year_cap - so_far[key], 0))
        if month_cap is not None:
            allowed = min(allowed, month_cap)
        assert total == allowed, (line.member_id, str(line.period), so_far[key])
        so_far[key] += total
    note(f"largest year {max(so_far.values(), default=0)}, cap {year_cap}")
