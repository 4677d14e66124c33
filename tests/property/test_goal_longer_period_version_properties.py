"""Plan versions beside goals over a period longer than the shared one.

A plan with a monthly shared target changes its curve (and now and then its
split) from the first month of a quarter, with goals over the quarter in the plan and
in the version, in the version only (the plan's goals month by month), or in the plan
only (the version's goals month by month): each quarter is paid by one design. Its
metrics' targets are one level, in the plan and in history, and its history is cut to
whole quarters aligned with the plan's, so that every design reads the same historical
months. Checked from the outside: calibration's scenario ``h`` is one historical month,
read with its historical quarter; replaying it (every month reports month ``h``'s
shared attainment and, under a design measuring goals month by month, its goals';
under one measuring them over the quarter, the historical quarter of ``h`` month by
month) is exact for the version in force in each month. The rules checked:

* **a neutral change keeps the year's expected cost**: each month's cost (less what
  leavers forfeit of the holdback), averaged over the replayed scenarios, is the
  calibration of the version in force's expectation of it, and the year's cost, so
  averaged, is the budget within the versions' rounding bounds;
* **conservation**: a month's lines add up to what it pays, holds back and cuts; a line
  is its parts less what the caps cut; each goal's pool is its team's lines' parts of
  it; a month that ends no goal period of the version in force pays no goal;
* **no line passes a cap**, the cap per year counting the year so far whatever version
  paid it (plans of 13 to 24 months). With a cap per year calibration's paths are
  replayed instead of its scenarios: path ``p`` reads, in plan month ``j``, historical
  month ``p + j`` under a design measuring goals month by month, and under one measuring
  them over the quarter, in the plan's quarter ``G``, the historical quarter ``p // 3 +
  G``, its months turned by ``p mod 3``; each month costs, averaged over the paths, what
  the version in force expects of it after the year so far that path paid.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction

from hypothesis import event, given, note, reject
from hypothesis import strategies as st
from test_goal_longer_period_caps_properties import assert_the_months_lines_add_up
from test_goal_own_period_properties import _over
from test_goal_period_properties import _even, assert_no_line_passes_a_cap, calibrated_paying
from weighted import WeightedSpec, weighted_specs

from jointbonus import (
    CalibrationError,
    FundingStyle,
    Plan,
    PlanError,
    Result,
    Split,
    VersionSpec,
    build_plan,
)
from jointbonus.core.periods import Month
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.engine import pay_framed
from jointbonus.sharedtarget.goals import TeamSpec
from jointbonus.sharedtarget.versioned import pay_versions
from jointbonus.sharedtarget.versions import VersionCalibration, calibrate_versions
from strategies import curve_specs, examples

MONTH, QUARTER = PeriodLength.MONTH, PeriodLength.QUARTER
KINDS = {
    "goals over the quarter in the plan and the version": (QUARTER, QUARTER),
    "goals over the quarter in the version only": (MONTH, QUARTER),
    "goals over the quarter in the plan only": (QUARTER, MONTH),
}


@dataclass(frozen=True)
class Changed:
    """A plan (``spec``, its goals over ``lengths[0]``) and its version from plan month
    ``start`` (a quarter's first), with ``curve``, ``split`` and goals over
    ``lengths[1]``."""

    spec: WeightedSpec
    start: int
    lengths: tuple[PeriodLength, PeriodLength]
    version: VersionSpec

    def build(self, spec: WeightedSpec | None = None) -> Plan:
        return build_plan(**(spec or self.spec).kwargs(), versions=[self.version])

    def length_at(self, index: int) -> PeriodLength:
        """The goals' period of the version in force at plan month ``index``."""
        return self.lengths[index >= self.start]


def _with_goals_over(teams: tuple[TeamSpec, ...], length: PeriodLength) -> tuple[TeamSpec, ...]:
    return tuple(
        replace(team, goals=tuple(replace(g, period=length) for g in team.goals)) for team in teams
    )


def _whole_quarters(spec: WeightedSpec) -> WeightedSpec:
    """``spec`` with its history cut to the historical quarters (aligned with the plan's) it
    holds whole."""
    first = spec.start.index()
    held = {h.month.index() for h in spec.history}
    places = [
        p
        for p, h in enumerate(spec.history)
        if all(h.month.index() - (h.month.index() - first) % 3 + k in held for k in range(3))
    ]
    if len(places) < 3:
        reject()
    return replace(
        spec,
        history=tuple(spec.history[p] for p in places),
        history_shared=tuple(spec.history_shared[p] for p in places),
        history_goals={n: tuple(v[p] for p in places) for n, v in spec.history_goals.items()},
    )


@st.composite
def changed_plans(draw: st.DrawFn, *, per_year: bool = False) -> Changed:
    """A plan whose goals run over a quarter in the plan, in its version or in both, the
    version starting at a quarter's first month (see the module)."""
    # 6 months or more: two quarters at least, whose history of 6 or more holds a whole one.
    months = None if per_year else draw(st.integers(6, 12), label="months")
    spec = draw(weighted_specs(caps=None, per_year=per_year or False, holding=True, months=months))
    spec = _whole_quarters(_over(_even(spec, QUARTER), QUARTER))
    kind = draw(st.sampled_from(sorted(KINDS)), label="kind")
    event(kind)
    lengths = KINDS[kind]
    spec = replace(
        spec,
        period=MONTH,
        shared_gate=None,
        functional_gate=None,
        teams=_with_goals_over(spec.teams, lengths[0]),
    )
    start = 3 * draw(st.integers(1, spec.months // 3 - 1), label="version's quarter")
    version = VersionSpec(
        spec.calendar[start],
        curve=draw(curve_specs(), label="curve").build(),
        split=draw(st.one_of(st.none(), st.sampled_from(list(Split))), label="split")
        if spec.funding is FundingStyle.POOL
        else None,
        teams=_with_goals_over(spec.teams, lengths[1]),
    )
    note(f"{kind}: version from {spec.calendar[start]}")
    return Changed(spec, start, lengths, version)


def _calibrated(changed: Changed) -> tuple[Changed, Plan, tuple[VersionCalibration, ...]]:
    """``changed`` (its caps raised until the plan itself can cost its budget, one historical
    quarter made to pay every part if some part never would: :func:`calibrated_paying`;
    the version's curves and goals pay in it too), its plan and each version's
    calibration; the example is rejected if the version cannot be calibrated."""
    spec, _, _ = calibrated_paying(changed.spec, QUARTER.months)
    changed = replace(changed, spec=spec)
    try:
        plan = changed.build()
        return changed, plan, calibrate_versions(plan)
    except (CalibrationError, PlanError):  # the version's caps too, or no history left
        reject()


def _replayed(changed: Changed, versions: tuple[VersionCalibration, ...]) -> list[Result]:
    """Every scenario replayed through the engine, each version at its calibration."""
    sample = versions[0].design.norm.sample_months
    return [
        _paid(
            changed,
            versions,
            [(h, _quarter(changed, h).shift(j % 3)) for j in range(changed.spec.months)],
        )
        for h in sample
    ]


def _paths(changed: Changed, versions: tuple[VersionCalibration, ...]) -> list[Result]:
    """Every path of calibration replayed through the engine, each version at its
    calibration: path ``p`` reads, in plan month ``j``, under a design measuring goals
    month by month, historical month ``p + j`` (goals and all); under one measuring them
    over the quarter, in the plan's quarter ``G``, the historical quarter ``p // 3 + G``,
    its months turned by ``p mod 3``, its goals month by month."""
    sample = list(versions[0].design.norm.sample_months)
    blocks: dict[object, list[object]] = {}
    for month in sample:
        blocks.setdefault(_quarter(changed, month), []).append(month)
    ordered = [blocks[q] for q in sorted(blocks)]  # type: ignore[type-var]
    paid = []
    for p in range(versions[0].calibration.paths):
        picks = []
        for j in range(changed.spec.months):
            if changed.length_at(j) is QUARTER:
                block = ordered[(p // 3 + j // 3) % len(ordered)]
                picks.append((block[(p + j) % 3], block[j % 3]))
            else:
                month = sample[(p + j) % len(sample)]
                picks.append((month, month))
        paid.append(_paid(changed, versions, picks))
    return paid


def _quarter(changed: Changed, month: Month) -> Month:
    """The first month of the historical quarter (aligned with the plan's) ``month`` is in."""
    return month.shift(-((month.index() - changed.spec.start.index()) % 3))


def _paid(
    changed: Changed, versions: tuple[VersionCalibration, ...], picks: list[tuple[Month, Month]]
) -> Result:
    """The plan paid, each version at its calibration, with plan month ``j`` reporting the
    shared attainment of historical month ``picks[j][0]`` and, where the version in force
    measures goals over the quarter, its goals' of ``picks[j][1]`` (else of ``picks[j][0]``)."""
    spec = changed.spec
    place = {h.month: p for p, h in enumerate(spec.history)}
    goal_places = [
        place[goal if changed.length_at(j) is QUARTER else month]
        for j, (month, goal) in enumerate(picks[: spec.months])
    ]
    reported = spec.reported(
        [spec.history_shared[place[month]] for month, _ in picks[: spec.months]],
        {name: [spec.history_goals[name][g] for g in goal_places] for name in spec.metric_names},
    )
    return pay_versions(changed.build(reported), pay_framed, versions=versions)


def _assert_each_month_costs_what_its_version_expects(
    changed: Changed, versions: tuple[VersionCalibration, ...], paid: list[Result]
) -> None:
    for j in range(changed.spec.months):
        version = versions[changed.start <= j]
        expectation = version.calibration.months[j - (changed.start if j >= changed.start else 0)]
        total = sum(r.months[j].paid - r.months[j].forfeited for r in paid)
        assert Fraction(total, len(paid)) == expectation.expected_cost, expectation.month


@examples(3)
@given(changed_plans())
def test_a_neutral_change_beside_goals_over_a_quarter_keeps_the_years_expected_cost(changed):
    changed, plan, versions = _calibrated(changed)
    paid = _replayed(changed, versions)
    assert all(v.calibration.scenarios == len(paid) for v in versions)
    _assert_each_month_costs_what_its_version_expects(changed, versions, paid)
    year = Fraction(sum(sum(m.paid - m.forfeited for m in r.months) for r in paid), len(paid))
    bound = sum((v.calibration.rounding_bound for v in versions), Fraction(0))
    note(f"budget {plan.budget.amount}, replayed {year}, bound {bound}")
    assert abs(year - plan.budget.amount) <= bound
    later = versions[1].calibration
    assert abs(later.expected_cost - versions[1].neutral_cost) <= later.rounding_bound


def _assert_lines_add_up(changed: Changed, result: Result) -> None:
    """Conservation, each month by the version in force for it (see the module)."""
    plan = result.plan
    lines = list(result.lines())
    for j, month in enumerate(result.months):
        assert plan.version_of(month.month) == 1 + (j >= changed.start)
        mine = [line for line in lines if line.period == month.month]
        ends = changed.length_at(j) is not QUARTER or j % 3 == 2
        assert_the_months_lines_add_up(
            plan, month, mine, changed.spec.holdback, ends_goal_period=ends
        )


@examples(3)
@given(changed_plans())
def test_lines_add_up_across_a_change_beside_goals_over_a_quarter(changed):
    changed, _, versions = _calibrated(changed)
    for result in _replayed(changed, versions)[:4]:
        _assert_lines_add_up(changed, result)


@examples(3)
@given(changed_plans(per_year=True))
def test_no_line_passes_a_cap_across_a_change_beside_goals_over_a_quarter(changed):
    """Caps per month and per plan year (13 to 24 months), every path of calibration
    replayed: each line is what it earned cut to the cap per month and to the year's cap
    less what the member was paid earlier in the plan year, whatever version paid it; the
    lines still add up; each month costs, averaged over the paths, what the version in
    force expects of it after the year so far, and the year the budget."""
    changed, _, versions = _calibrated(changed)
    paid = _paths(changed, versions)
    event("a cap cut a line" if any(m.capped for r in paid for m in r.months) else "caps slack")
    for result in paid:
        assert_no_line_passes_a_cap(result)
        _assert_lines_add_up(changed, result)
    _assert_each_month_costs_what_its_version_expects(changed, versions, paid)
    year = Fraction(sum(sum(m.paid - m.forfeited for m in r.months) for r in paid), len(paid))
    bound = sum((v.calibration.rounding_bound for v in versions), Fraction(0))
    note(f"budget {versions[0].neutral_cost}, over the paths {year}, bound {bound}")
    assert abs(year - versions[0].neutral_cost) <= bound
    later = versions[1].calibration
    assert abs(later.expected_cost - versions[1].neutral_cost) <= later.rounding_bound
