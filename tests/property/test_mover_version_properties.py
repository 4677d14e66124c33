"""People who move across a change of plan.

A plan changes its curve, and under pool funding sometimes its split, from a
month on (:func:`strategies.versioned_specs`), and members' standing changes
in that month or the month before (:func:`test_split_standing.changed_rows`
with ``within``): team, FTE, salary, target bonus, days away. Checked from
the outside, as for plans whose roster does not change
(:mod:`test_version_properties`):

* each change is neutral over the months it takes over: every historical
  month replayed as a plan year through the engine, the months from the
  version's start cost, on average, what the version before would have cost
  in them, within both versions' rounding bounds;
* the year costs the budget within the rounding bound;
* each month is paid exactly as a plan of its version's design at its scale.
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import test_version_properties as unchanged
from hypothesis import given, note, reject
from hypothesis import strategies as st
from independent import historical_norm, rounded_amounts
from test_split_standing import _last_day, changed_rows
from test_version_properties import calibrated_versions, governing, lines_of, paid_at
from weighted import weighted_specs

from jointbonus import Neutrality, VersionSpec, build_plan
from jointbonus.sharedtarget.engine import pay_framed
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.versioned import pay_versions
from strategies import VersionedSpec, curve_specs, examples, fixed_point, versioned_specs


def _moved(spec: VersionedSpec, data: st.DataObject) -> VersionedSpec:
    """``spec`` with every member's standing changing on a day of the month a version
    starts or the month before (a member who has left by then excepted)."""
    calendar = spec.plan.calendar
    start = data.draw(st.sampled_from(spec.starts), label="moves around version from")
    within = (calendar[start - 1].first_day, calendar[start].last_day)
    last = _last_day(spec.plan.months, calendar[0].first_day)
    rows = changed_rows(data, spec.plan.members, last, ("sales", "marketing"), within)
    note(f"moves from {within[0]} to {within[1]}, around the version from {calendar[start]}")
    return replace(spec, plan=replace(spec.plan, members=tuple(rows)))


def _first(spec: VersionedSpec, count: int) -> VersionedSpec:
    """``spec`` with only its first ``count`` later versions."""
    return replace(
        spec, starts=spec.starts[:count], curves=spec.curves[:count], splits=spec.splits[:count]
    )


@examples(3)
@given(versioned_specs(neutrality=Neutrality.EXPECTED_COST), st.data())
def test_each_change_is_neutral_over_the_months_it_takes_over_with_movers(spec, data):
    spec = _moved(spec, data)
    norm = historical_norm(spec.plan.history, spec.plan.norm, spec.plan.window)
    scenarios = len(norm.sample)
    for k, start in enumerate(spec.starts, start=1):
        before, after = _first(spec, k - 1), _first(spec, k)
        costs = []
        rounded = 0
        for version in (before, after):
            plan = version.build()
            versions = calibrated_versions(plan)
            designs = [plan, *(v.design for v in plan.versions)]
            paid = 0
            for historical in norm.sample:
                result = paid_at(plan, versions, norm.scenario(plan, historical))
                for index, month in enumerate(result.months[start:], start=start):
                    paid += month.paid
                    if month.factor is not None:
                        j = governing(version, index)
                        scale = versions[j].calibration.scale
                        rounded += rounded_amounts(designs[j], scale, month.month, month.factor)
            costs.append(Fraction(paid, scenarios))
        bound = Fraction(rounded, 2 * scenarios)
        note(f"version {k + 1}: before {costs[0]}, after {costs[1]}, bound {bound}")
        assert abs(costs[1] - costs[0]) <= bound


@examples(3)
@given(versioned_specs(neutrality=Neutrality.EXPECTED_COST), st.data())
def test_the_years_expected_cost_is_the_budget_with_movers_across_a_change(spec, data):
    unchanged.test_neutral_changes_keep_the_years_expected_cost_at_the_budget.hypothesis.inner_test(
        _moved(spec, data)
    )


@examples(3)
@given(versioned_specs(), st.data())
def test_each_month_is_paid_by_its_version_with_movers_across_a_change(spec, data):
    unchanged.test_each_version_pays_its_months_as_a_plan_of_its_design_and_scale.hypothesis.inner_test(
        _moved(spec, data)
    )


@examples(3)
@given(weighted_specs(caps=False, gates=False, all_reported=True), st.data())
def test_a_mover_between_teams_is_paid_each_month_by_its_version(spec, data):
    """A plan with goals changes its curve and each team's shared weight from a month on;
    members move team (or change FTE, salary, target bonus) in that month or the one
    before. Each month's lines are those of a plan of its version's design at the
    version's scale and weights, each team's parts on the days in it."""
    if spec.months < 2:
        reject()
    start = data.draw(st.integers(1, spec.months - 1), label="version from")
    calendar = spec.calendar
    within = (calendar[start - 1].first_day, calendar[start].last_day)
    names = tuple(t.name for t in spec.teams)
    rows = changed_rows(
        data, spec.members, _last_day(spec.months, calendar[0].first_day), names, within
    )
    before = replace(spec, members=tuple(rows))
    teams = tuple(
        replace(
            team,
            expected_shared_split=None,
            shared_weight=fixed_point(data.draw(st.integers(0, 100), label="weight"), 2),
        )
        if team.goals
        else team
        for team in spec.teams
    )
    curve = data.draw(curve_specs(), label="curve")
    after = replace(before, curve=curve, teams=teams)
    plan = build_plan(
        **before.kwargs(),
        versions=[VersionSpec(calendar[start], curve=curve.build(), teams=teams)],
    )
    versions = calibrated_versions(plan)
    result = pay_versions(plan, pay_framed, versions=versions)
    moves = sum(
        1
        for m in plan.members
        for month in calendar[start - 1 : start + 1]
        if len(m.teams_in(month)) > 1
    )
    note(f"{moves} member-months in two teams around the change")
    for k, design in enumerate((before, after)):
        span = range(start, spec.months) if k else range(start)
        governed = {calendar[i] for i in span}
        alone_plan = design.build()  # the version's months alone: its calibration costs no other
        alone = pay_framed(alone_plan, versions[k].calibration, frame_plan(alone_plan), span)
        assert lines_of(result, governed) == lines_of(alone, governed)
        assert [m.paid for m in result.months if m.month in governed] == [
            m.paid for m in alone.months if m.month in governed
        ]
