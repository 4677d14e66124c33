"""A cap per plan year in a plan that changes from a month on.

One year to date per member and plan year runs across the versions, and each
month is capped by the cap of the version in force for it: checked line by
line against a year to date kept here, from the generated caps and starts.
A change is neutral with the year so far it inherits: replaying the year of
every historical path of calibration (path ``p`` at historical month
``p + j`` in plan month ``j``) through the engine costs, on average, exactly
the expected cost the versions report, and that is the budget within their
rounding bounds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, note, reject
from hypothesis import strategies as st
from independent import historical_norm, paid_in_year, units
from test_version_properties import calibrated_versions, governing, paid_at

from jointbonus import (
    CalibrationError,
    FundingStyle,
    Neutrality,
    Plan,
    Result,
    VersionSpec,
    build_plan,
    run,
)
from jointbonus.core.periods import YEAR
from strategies import VersionedSpec, examples, fixed_point, versioned_specs

NONE = "none"


@dataclass(frozen=True)
class CappedSpec:
    """A versioned plan and its yearly caps: the plan's (minor units, ``None``: none), and
    each later version's (``None``: carried over, ``"none"``: removed)."""

    spec: VersionedSpec
    plan_cap: int | None
    version_caps: tuple[int | str | None, ...]

    def text(self, cap: int | str | None) -> str | None:
        if cap is None or isinstance(cap, str):
            return cap
        return fixed_point(cap, self.spec.plan.currency.minor_unit)

    def build(self) -> Plan:
        versions = [
            VersionSpec(v.start, curve=v.curve, split=v.split, cap_per_year=self.text(cap))
            for v, cap in zip(self.spec.versions(), self.version_caps, strict=True)
        ]
        return build_plan(
            **self.spec.plan.kwargs(), cap_per_year=self.text(self.plan_cap), versions=versions
        )

    def cap_at(self, index: int) -> int | None:
        """The yearly cap in force at plan month ``index``, from the generated caps."""
        cap: int | str | None = self.plan_cap
        for start, later in zip(self.spec.starts, self.version_caps, strict=True):
            if start <= index and later is not None:
                cap = later
        return None if isinstance(cap, str) else cap


@st.composite
def capped_specs(draw: st.DrawFn, **options: object) -> CappedSpec:
    """A versioned plan whose versions set, change or remove a yearly cap, each cap a
    share of what a member earns in a plan year without one."""
    spec = draw(versioned_specs(**options))
    # Every month reported, so that the year to date builds up across the versions.
    targets = spec.plan.targets
    if len(targets) == spec.plan.months:  # (a derived target leaves the actuals drawn)
        actuals = {
            month: fixed_point(int(Decimal(target) * draw(st.integers(50, 160), label="%")), 2)
            for month, target in targets.items()
        }
        spec = replace(spec, plan=replace(spec.plan, actuals=actuals))
    try:
        uncapped = run(spec.build())
    except CalibrationError:
        reject()
    if not any(m.paid for m in uncapped.months):
        reject()  # no actual pays: nothing a cap could cut
    most = max((line_units(uncapped.plan, line) for line in uncapped.lines()), default=0)
    yearly = most * min(len(uncapped.months), YEAR)
    if yearly < 4:
        reject()  # nothing to cap

    def cap() -> int:  # from a third of the most a member earns a year, to twice it
        return draw(st.integers(yearly // 3, 2 * yearly), label="cap")

    plan_cap = draw(st.one_of(st.none(), st.builds(cap)), label="plan cap")
    later = tuple(
        draw(st.one_of(st.none(), st.just(NONE), st.builds(cap)), label="version cap")
        for _ in spec.starts
    )
    if plan_cap is None and all(c is None or c == NONE for c in later):
        later = (*later[:-1], cap())
    return CappedSpec(spec, plan_cap, later)


def line_units(plan: Plan, line: object) -> int:
    """What a line earned before caps, minor units (these plans have no functional goals)."""
    return units(plan, line.shared)  # type: ignore[attr-defined]


def built(capped: CappedSpec) -> tuple[Plan, Result]:
    plan = capped.build()
    calibrated_versions(plan)
    try:
        return plan, run(plan)
    except CalibrationError:
        reject()


@examples(2)
@given(capped_specs())
def test_one_year_to_date_runs_across_versions_each_month_under_its_versions_cap(capped):
    plan, result = built(capped)
    first = plan.months[0].month.index()
    so_far: dict[tuple[str, int], int] = {}
    totals: dict[object, int] = {}
    for line in result.lines():
        index = line.period.index() - first
        year = index // YEAR
        before = so_far.get((line.member_id, year), 0)
        allowed = line_units(plan, line)
        cap = capped.cap_at(index)
        if cap is not None:
            allowed = min(allowed, max(cap - before, 0))
        assert units(plan, line.total) == allowed, (line.member_id, str(line.period), cap)
        so_far[line.member_id, year] = before + allowed
        totals[line.period] = totals.get(line.period, 0) + allowed
    for month in result.months:  # conservation: the lines add up to what the month paid
        assert totals.get(month.month, 0) == month.paid


@examples(2)
@given(capped_specs(neutrality=Neutrality.EXPECTED_COST, funding=FundingStyle.POOL))
def test_a_neutral_change_with_a_yearly_cap_keeps_the_years_expected_cost(capped):
    plan, result = built(capped)
    versions = result.versions
    norm = historical_norm(capped.spec.plan.history, capped.spec.plan.norm, capped.spec.plan.window)
    sample = norm.sample
    count = len(sample)
    paid = 0
    for p in range(count):  # each historical path of calibration, replayed by the engine
        year = paid_at(
            plan,
            versions,
            [sample[(p + j) % count] * norm.ratio(m) for j, m in enumerate(plan.months)],
        )
        paid += paid_in_year(year)
    expected = result.summary.expected_cost
    bound = sum((v.calibration.rounding_bound for v in versions), Fraction(0))
    note(f"replayed {Fraction(paid, count)}, expected {expected}, bound {bound}")
    assert Fraction(paid, count) == expected
    assert abs(expected - plan.budget.amount) <= bound
    for later in versions[1:]:  # each change neutral over the rest of the plan
        cost = later.calibration.expected_cost
        assert abs(cost - later.neutral_cost) <= later.calibration.rounding_bound
    assert [governing(capped.spec, i) + 1 for i in range(len(plan.months))] == [
        plan.version_of(m.month) for m in plan.months
    ]
