"""Plans that change from a month on: each change neutral, each month paid by its version.

Checked from the outside where it can be: the norm is derived again from the
history (:mod:`independent`), every historical month is replayed as a plan
year, and which version governs a month is read from the generated starts,
not from the library. Only the scales come from the calibration.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from fractions import Fraction

from hypothesis import given, note, reject
from hypothesis import strategies as st
from independent import (
    detached,
    historical_norm,
    paid_in_year,
    rounded_amounts,
    units,
    year_at,
)
from weighted import weighted_specs

from jointbonus import (
    CalibrationError,
    FundingStyle,
    Neutrality,
    Plan,
    Result,
    RiskMethod,
    VersionCalibration,
    VersionSpec,
    build_plan,
    cost_risk,
    pay,
    run,
    scenario_month_costs,
)
from jointbonus.sharedtarget.engine import pay_framed
from jointbonus.sharedtarget.versioned import pay_versions
from jointbonus.sharedtarget.versions import calibrate_versions, plan_expected_cost
from strategies import (
    CurveSpec,
    VersionedSpec,
    curve_specs,
    examples,
    fixed_point,
    versioned_specs,
)


def calibrated_versions(plan: Plan) -> tuple[VersionCalibration, ...]:
    """Every version's calibration; the example is rejected if one cannot be calibrated."""
    try:
        return calibrate_versions(plan)
    except CalibrationError:
        reject()


def versioned_year_at(plan: Plan, attainments: list[Fraction]) -> Plan:
    """``plan`` and each version's design with every month at the attainments given."""
    return replace(
        year_at(plan, attainments),
        versions=tuple(replace(v, design=year_at(v.design, attainments)) for v in plan.versions),
    )


def paid_at(
    plan: Plan, versions: tuple[VersionCalibration, ...], attainments: list[Fraction]
) -> Result:
    """The year of ``plan`` at ``attainments``, each version at its calibration."""
    return pay_versions(versioned_year_at(plan, attainments), pay_framed, versions=versions)


def governing(spec: VersionedSpec, index: int) -> int:
    """The place (0 for the plan itself) of the version in force at plan month ``index``,
    from the generated starts."""
    return sum(1 for start in spec.starts if start <= index)


def single_plan(spec: VersionedSpec, k: int, scale: Fraction) -> Plan:
    """A plan without versions with the design of version ``k`` (its curve and split, every
    change up to it carried over), at ``scale``."""
    curve = spec.plan.curve if k == 0 else spec.curves[k - 1]
    split = spec.plan.split
    for later in spec.splits[:k]:
        if later is not None:
            split = later
    kwargs = {**spec.plan.kwargs(), "curve": curve.build(), "split": split}
    return replace(build_plan(**kwargs), fixed_scale=scale)


def lines_of(result: Result, months: set[object]) -> list[object]:
    return [line for line in result.lines() if line.period in months]


@examples(2)
@given(versioned_specs(neutrality=Neutrality.EXPECTED_COST))
def test_neutral_changes_keep_the_years_expected_cost_at_the_budget(spec):
    plan = spec.build()
    versions = calibrated_versions(plan)
    designs = [plan, *(v.design for v in plan.versions)]
    norm = historical_norm(spec.plan.history, spec.plan.norm, spec.plan.window)
    scenarios = len(norm.sample)
    paid = 0
    rounded = 0
    for historical in norm.sample:
        result = paid_at(plan, versions, norm.scenario(plan, historical))
        paid += paid_in_year(result)
        for index, month in enumerate(result.months):
            if month.factor is None:
                continue
            k = governing(spec, index)
            scale = versions[k].calibration.scale
            rounded += rounded_amounts(designs[k], scale, month.month, month.factor)
    average = Fraction(paid, scenarios)
    bound = Fraction(rounded, 2 * scenarios)
    note(f"budget {plan.budget.amount}, mean paid {average}, bound {bound}")
    assert abs(average - plan.budget.amount) <= bound


@examples(2)
@given(versioned_specs())
def test_each_version_pays_its_months_as_a_plan_of_its_design_and_scale(spec):
    plan = spec.build()
    versions = calibrated_versions(plan)
    result = run(plan)
    calendar = spec.plan.calendar
    for k, version in enumerate(versions):
        governed = {m for i, m in enumerate(calendar) if governing(spec, i) == k}
        alone = run(single_plan(spec, k, version.calibration.scale))
        assert lines_of(result, governed) == lines_of(alone, governed)
        assert [m.paid for m in result.months if m.month in governed] == [
            m.paid for m in alone.months if m.month in governed
        ]


@examples(2)
@given(versioned_specs())
def test_shares_add_up_to_each_months_pool_with_versions(spec):
    plan = spec.build()
    calibrated_versions(plan)
    result = run(plan)
    totals: dict[object, int] = {}
    shared: dict[object, int] = {}
    for line in result.lines():
        totals[line.period] = totals.get(line.period, 0) + units(plan, line.total)
        shared[line.period] = shared.get(line.period, 0) + units(plan, line.shared)
    for month in result.months:
        assert totals.get(month.month, 0) == month.paid
        if plan.funding is FundingStyle.POOL and month.pool is not None:
            assert shared.get(month.month, 0) == month.pool


@examples(2)
@given(versioned_specs(), st.data())
def test_a_year_above_another_costs_at_least_as_much_with_versions(spec, data):
    plan = spec.build()
    versions = calibrated_versions(plan)
    low = [
        Fraction(data.draw(st.integers(50, 150), label=f"low {i}"), 100)
        for i in range(spec.plan.months)
    ]
    high = [
        a + Fraction(data.draw(st.integers(0, 60), label=f"up {i}"), 100) for i, a in enumerate(low)
    ]
    first = versions[0].calibration
    paid_low = paid_in_year(pay(versioned_year_at(plan, low), detached(first)))
    paid_high = paid_in_year(pay(versioned_year_at(plan, high), detached(first)))
    assert paid_high >= paid_low


@examples(2)
@given(versioned_specs())
def test_a_version_that_changes_nothing_pays_as_the_plan_without_versions(spec):
    alone = spec.plan.build()
    try:
        unchanged = run(alone)
    except CalibrationError:
        reject()
    calendar = spec.plan.calendar
    restated = build_plan(
        **spec.plan.kwargs(), versions=[VersionSpec(calendar[s]) for s in spec.starts]
    )
    result = run(restated)
    assert list(result.lines()) == list(unchanged.lines())
    assert result.summary.expected_cost == unchanged.calibration.expected_cost
    assert [v.calibration.scale for v in result.versions] == [unchanged.calibration.scale] * (
        len(spec.starts) + 1
    )


@examples(2)
@given(weighted_specs(caps=False, gates=False), st.data())
def test_a_later_version_gets_the_expected_split_it_wants(spec, data):
    plan = spec.build()
    if len(plan.months) < 2:
        reject()
    start = data.draw(st.integers(1, len(plan.months) - 1), label="start")
    teams = tuple(
        replace(
            team,
            shared_weight=None,
            expected_shared_split=f"0.{data.draw(st.integers(10, 90), label='split')}",
        )
        if team.goals
        else team
        for team in spec.teams
    )
    curve = data.draw(curve_specs(), label="curve").build()
    versioned = build_plan(
        **spec.kwargs(), versions=[VersionSpec(plan.months[start].month, curve=curve, teams=teams)]
    )
    versions = calibrated_versions(versioned)
    later = versions[1].calibration
    for team, weight in zip(teams, later.weights, strict=True):
        if team.goals and weight.expected is not None:
            note(f"{team.name}: nominal {weight.nominal}, wanted {weight.wanted}")
            assert weight.expected == Fraction(team.expected_shared_split)


@st.composite
def step_versioned_specs(draw: st.DrawFn) -> VersionedSpec:
    """A versioned plan whose every version pays a step curve (threshold 80% to 120%,
    payout 0.25 to 3), so that the cost risk of its year is counted exactly."""
    spec = draw(versioned_specs())
    steps = [
        CurveSpec(
            "step",
            fixed_point(draw(st.integers(80, 120), label="threshold"), 2),
            fixed_point(draw(st.integers(25, 300), label="payout"), 2),
        )
        for _ in range(len(spec.starts) + 1)
    ]
    return replace(spec, plan=replace(spec.plan, curve=steps[0]), curves=tuple(steps[1:]))


def table_mean(table: Counter[int]) -> Fraction:
    return Fraction(sum(cost * count for cost, count in table.items()), sum(table.values()))


@examples(2)
@given(step_versioned_specs(), st.sampled_from(["0", "0.2"]))
def test_the_cost_risk_costs_each_month_by_the_version_in_force(spec, holdback):
    """The exact year's mean is the versioned plan's expected cost, each month's table is
    the version in force's (read from the generated starts), and the year given the months
    paid starts from what the versions paid: the plan summary's cost to date."""
    plan = build_plan(**spec.plan.kwargs(), versions=spec.versions(), holdback=holdback)
    versions = calibrated_versions(plan)
    first = versions[0].calibration
    summary = pay_versions(plan, pay_framed, versions=versions).summary
    risk = cost_risk(plan, first, method="exact", versions=versions)
    assert risk.year.method is RiskMethod.EXACT
    assert risk.year.mean == risk.expected_cost == plan_expected_cost(versions)
    assert risk.expected_cost == summary.expected_cost
    for index, table in enumerate(scenario_month_costs(plan, first)):
        version = versions[governing(spec, index)]
        month = plan.months[index].month
        expected = next(e for e in version.calibration.months if e.month == month)
        assert table_mean(table) == expected.expected_cost
    if risk.given_paid is None:
        assert summary.months_paid == 0
        return
    note(f"paid {risk.given_paid.paid}, summary {summary.paid_to_date}")
    assert risk.given_paid.paid == summary.paid_to_date
    assert len(risk.given_paid.paid_months) == summary.months_paid
    assert risk.given_paid.minimum >= risk.given_paid.paid
