"""A share whose months' counts are known, over a quarter or a plan year, and month by month.

Checked from the outside, on the plans of :func:`test_goal_period_properties.goal_periods`
(goals beside a quarterly or yearly shared target, their own gates now and then), every
metric made a share: each plan month gets a target of a share (0.5 to 1, month by month)
and counts, ``part`` of ``whole`` (a whole of 0 now and then: nothing to divide), its
actual the share published to six decimals as the leads give it; each history month
gets counts too. Through :func:`jointbonus.build_plan` alone:

* **the period's share is its counts summed**: a goal over the period (the shared one,
  or one longer than the shared one: a quarter or plan year beside a monthly shared
  target, a plan year beside a quarterly one) reads its
  attainment as its parts summed over its targets weighted by its wholes, summed
  (``sum part / sum target x whole``), never its months' shares; its actual and target
  are those two sums, and a period whose wholes sum to 0 is pending;
* **the norm follows the same rule**: each historical period's attainment is its parts
  summed over its targets weighted by its wholes, summed;
* **goals measured month by month are unchanged by the counts**: the plan with counts
  has the fingerprint, the calibration and the paid result (as JSON, to the byte) of
  the plan without them, beside a monthly, quarterly or yearly shared target, when no
  shared gate reads them over a quarter or plan year (a shared gate beside a monthly
  target reads each goal's month: they change nothing there either). A shared gate
  over a longer shared period counts them
  (:mod:`test_lead_period_gate_properties`).
"""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction
from math import floor

from hypothesis import HealthCheck, assume, event, given, note, reject, settings
from hypothesis import strategies as st
from test_goal_period_properties import _historical_periods, _replay, goal_periods
from weighted import D, WeightedSpec

from jointbonus import (
    CalibrationError,
    HistoryMonth,
    MonthStatus,
    PlanError,
    build_plan,
    calibrate,
    pay,
    render_json,
    result_document,
)
from jointbonus.core.number import decimal_text
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.calibration import plan_fingerprint
from jointbonus.sharedtarget.goals import MetricSpec
from strategies import examples

Counts = dict[str, dict[str, tuple[int, int]]]
"""Metric -> month (plan or history, ``YYYY-MM``) -> ``(part, whole)``."""

_TARGETS = ("0.5", "0.75", "0.8", "0.9", "1")
#: Some histories hold no whole period and some plans cannot be calibrated (the goals
#: drawn pay nothing): filtering that much is expected here.
_FILTERED = [HealthCheck.filter_too_much, HealthCheck.too_slow]


@st.composite
def _counts(draw: st.DrawFn, months: list[str], *, empty: bool) -> dict[str, tuple[int, int]]:
    """``(part, whole)`` for each of ``months``: a whole of 0 now and then when ``empty``."""
    found = {}
    for month in months:
        whole = draw(st.integers(0 if empty else 1, 40))
        found[month] = (draw(st.integers(0, whole)), whole)
    return found


def _shares(spec: WeightedSpec, counts: Counts, targets: dict[str, dict[str, str]]) -> dict:
    """``spec``'s build arguments with every metric a counted share: its targets, its
    counts and, as actuals, its shares published to six decimals (none with no whole)."""
    arguments = spec.kwargs()
    arguments["metrics"] = [
        MetricSpec(
            name,
            targets=targets[name],
            actuals={
                month: decimal_text(Fraction(part, whole), 6)
                for month, (part, whole) in counts[name].items()
                if whole and month in targets[name]
            },
            counts={
                month: (str(part), str(whole)) for month, (part, whole) in counts[name].items()
            },
        )
        for name in spec.metric_names
    ]
    return arguments


@st.composite
def counted_periods(draw: st.DrawFn) -> tuple[WeightedSpec, PeriodLength, Counts, dict]:
    """A plan of :func:`goal_periods` with every goal over a quarter or plan year (``length``)
    and every metric a counted share; its shared actuals at target. The shared target runs
    over the goals' period, or, now and then, over a shorter one (a month; a quarter
    beside goals over the plan year), without a shared gate."""
    spec, length = draw(goal_periods())
    teams = tuple(
        replace(team, goals=tuple(replace(goal, period=length) for goal in team.goals))
        for team in spec.teams
    )
    keys = [str(m) for m in spec.calendar]
    spec = replace(spec, period=length, teams=teams, actuals=dict(spec.targets))
    if draw(st.booleans(), label="goals over a longer period than the shared one"):
        quarterly = length is PeriodLength.PLAN_YEAR and draw(st.booleans(), label="quarterly")
        shared = PeriodLength.QUARTER if quarterly else PeriodLength.MONTH
        spec = replace(spec, period=shared, shared_gate=None)
    targets = {
        name: {key: draw(st.sampled_from(_TARGETS), label="target") for key in keys}
        for name in spec.metric_names
    }
    counts: Counts = {name: draw(_counts(keys, empty=True)) for name in spec.metric_names}
    history = []
    for place, h in enumerate(spec.history):  # each month near its drawn attainment of 0.8
        functional = dict(h.functional)
        for name in spec.metric_names:
            whole = draw(st.integers(1, 40), label="history whole")
            part = min(whole, floor(spec.history_goals[name][place] * Fraction(4, 5) * whole))
            counts[name][str(h.month)] = (part, whole)
            functional[name] = D(decimal_text(Fraction(part, whole), 6))
        targets_then = {**h.functional_targets, **dict.fromkeys(spec.metric_names, D("0.8"))}
        history.append(HistoryMonth(h.month, h.actual, h.target, h.paid, functional, targets_then))
    return replace(spec, history=tuple(history)), length, counts, targets


def _shape(spec: WeightedSpec, length: PeriodLength) -> None:
    """Say which shape was drawn: the goals' period beside the shared target's."""
    event(f"goals over the {length.noun} beside a shared target over the {spec.period.noun}")


def _built(arguments: dict):
    try:
        plan = build_plan(**arguments)
        return plan, calibrate(plan)
    except CalibrationError as error:
        note(str(error))
        reject()
    except PlanError as error:  # history without a whole period: draw again
        if "whole" in str(error):
            reject()
        raise


@settings(examples(3), suppress_health_check=_FILTERED)
@given(counted_periods())
def test_a_shares_attainment_over_its_period_is_its_counts_summed(drawn):
    spec, length, counts, targets = drawn
    _shape(spec, length)
    plan, calibration = _built(_shares(spec, counts, targets))
    result = pay(plan, calibration)
    size = length.months
    checked = 0
    for j, month in enumerate(result.months):
        if j % size != size - 1:
            continue
        keys = [str(m.month) for m in result.months[j - size + 1 : j + 1]]
        wholes = {name: sum(counts[name][k][1] for k in keys) for name in spec.metric_names}
        if not all(wholes.values()):
            assert month.status is MonthStatus.PENDING, month.month
            continue
        assert month.status is MonthStatus.PAID
        for goal in month.goals:
            name = goal.goal.metric
            part = sum(counts[name][k][0] for k in keys)
            asked = sum(Fraction(D(targets[name][k])) * counts[name][k][1] for k in keys)
            assert (goal.actual, goal.target) == (part, asked), name
            assert goal.attainment == Fraction(part) / asked, name
            checked += 1
    note(f"{checked} goals over a {length.noun} checked")


@settings(examples(3), suppress_health_check=_FILTERED)
@given(counted_periods())
def test_a_shares_norm_over_the_period_is_its_counts_summed(drawn):
    spec, length, counts, targets = drawn
    _shape(spec, length)
    plan, _ = _built(_shares(spec, counts, targets))
    history = {str(h.month): h for h in spec.history}
    for metric in plan.functional.metrics:
        assert metric.norm.period == length.noun
        for first, attainment in zip(metric.norm.sample_months, metric.norm.sample, strict=True):
            keys = [str(first.shift(k)) for k in range(length.months)]
            part = sum(counts[metric.name][k][0] for k in keys)
            asked = sum(
                Fraction(history[k].functional_targets[metric.name]) * counts[metric.name][k][1]
                for k in keys
            )
            assert attainment == Fraction(part) / asked, (metric.name, first)


@st.composite
def monthly_goals(draw: st.DrawFn) -> tuple[WeightedSpec, Counts]:
    """A plan of :func:`goal_periods` (goals month by month) reporting a historical period
    in each of its periods, or the same plan with a monthly shared target; and counts for
    every history month and plan month, which its goals must not read. Beside a quarterly
    or yearly shared target it has no shared gate (which would read them over the period);
    beside a monthly one it keeps the gate it was drawn with."""
    spec, length = draw(goal_periods())
    periods = _historical_periods(spec, length.months)
    assume(periods)
    spec = _replay(spec, draw(st.sampled_from(periods)), length.months)
    monthly = draw(st.booleans(), label="a monthly shared target")
    spec = replace(spec, period=PeriodLength.MONTH if monthly else length)
    if not monthly:
        spec = replace(spec, shared_gate=None)
    months = [str(h.month) for h in spec.history] + [str(m) for m in spec.calendar]
    return spec, {name: draw(_counts(months, empty=False)) for name in spec.metric_names}


@settings(examples(3), suppress_health_check=_FILTERED)
@given(monthly_goals())
def test_counts_change_nothing_for_goals_measured_month_by_month(drawn):
    spec, counts = drawn
    plain, calibration = _built(spec.kwargs())
    arguments = spec.kwargs()
    arguments["metrics"] = [
        replace(m, counts={k: (str(p), str(w)) for k, (p, w) in counts[m.name].items()})
        for m in arguments["metrics"]
    ]
    counted = build_plan(**arguments)
    assert any(metric.counted for metric in counted.functional.metrics)
    assert plan_fingerprint(counted) == plan_fingerprint(plain)
    again = calibrate(counted)
    assert (again.scale, again.weights) == (calibration.scale, calibration.weights)
    paid = render_json(result_document(pay(counted, again)))
    assert paid == render_json(result_document(pay(plain, calibration)))
