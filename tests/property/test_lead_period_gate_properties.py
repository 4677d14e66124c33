"""A shared gate over a quarter or plan year reading monthly goals that are counted shares.

Checked from the outside, on the plans of :func:`test_goal_period_properties.goal_periods`
(goals month by month beside a quarterly or yearly shared target, their own gates now
and then) with a shared gate and every metric of the goals a share whose months' counts
are known, as a share read from the leads is. Each metric gets a target for each place
in the shared period (month ``k`` of every quarter, or of the plan year, asks the same
share: 0.5 to 1), the same in history and in the plan, and each history month drawn
counts, ``part`` of ``whole`` (at least one lead, so every month has a share), its
actual the share published to six decimals. The gate is a share some goal reached over
a historical period, so it closes now and then. Through :func:`jointbonus.build_plan`
alone:

* **neutrality**: every period of the plan year replays a historical period, each month
  the counts of the history month in the same place; each month's cost, averaged over
  the historical periods, is calibration's expected cost of it exactly, and the plan's
  expected cost is its budget within the rounding bound. The gate reads each goal over
  the period as its parts summed over its targets weighted by its wholes, in the engine
  and in calibration alike; a calibration reading the months' shares summed over their
  targets summed costs another figure than the engine pays.
"""

from __future__ import annotations

from dataclasses import fields, replace
from fractions import Fraction

from hypothesis import event, given, note, settings
from hypothesis import strategies as st
from test_goal_own_period_caps_properties import _calibrated
from test_goal_period_properties import _historical_periods, goal_periods
from test_lead_longer_period_properties import CountedSpec, counted_history
from test_lead_period_properties import _FILTERED, _TARGETS, Counts, _counts
from weighted import D

from jointbonus import pay
from jointbonus.core.number import decimal_text
from jointbonus.core.plan_periods import PeriodLength

_Drawn = tuple[CountedSpec, PeriodLength]


@st.composite
def gated_counted(draw: st.DrawFn) -> _Drawn:
    """A plan of :func:`goal_periods` (goals month by month, the shared target over
    ``length``) with a shared gate, every goal's metric a counted share: ``(spec,
    length)``, its history's counts drawn and its plan months' none."""
    spec, length = draw(goal_periods())
    size = length.months
    names = spec.metric_names
    levels = {
        n: [draw(st.sampled_from(_TARGETS), label="target") for _ in range(size)] for n in names
    }
    counts: Counts = {
        name: draw(_counts([str(h.month) for h in spec.history], empty=False), label="history")
        for name in names
    }
    spec = replace(spec, period=length, history=counted_history(spec, counts, levels))
    # The gate: a share some goal reached over a historical period, to three decimals.
    reached = [
        share
        for places in _historical_periods(spec, size)
        for name in names
        if (
            share := _counted(
                counts[name], levels[name], [str(spec.history[h].month) for h in places]
            )
        )
        >= Fraction(1, 1000)
    ]
    gate = draw(st.sampled_from(reached), label="gate") if reached else Fraction(1)
    spec = replace(spec, shared_gate=decimal_text(gate, 3))
    counted = CountedSpec(**{f.name: getattr(spec, f.name) for f in fields(spec)})
    return replace(counted, counts=counts, levels=levels), length


def _counted(counts: dict[str, tuple[int, int]], levels: list[str], months: list[str]) -> Fraction:
    """The share over ``months`` (a whole period, in order) as the gate reads it: its
    parts summed over its targets weighted by its wholes, summed."""
    asked = sum(Fraction(D(levels[k])) * counts[m][1] for k, m in enumerate(months))
    return Fraction(sum(counts[m][0] for m in months)) / asked


# Plans that cannot be calibrated (their goals pay nothing) are drawn again.
@settings(suppress_health_check=_FILTERED)
@given(gated_counted())
def test_a_shared_gate_over_the_period_on_counted_shares_costs_the_budget(drawn):
    """Neutrality: each month's cost averaged over the historical periods replayed is
    calibration's expected cost of it; their sum is the budget within the rounding
    bound."""
    spec, length = drawn
    event(f"monthly goals beside a shared target over the {length.noun}")
    periodic, calibration = _calibrated(spec)
    size = length.months
    keys = [str(m) for m in periodic.calendar]
    periods = _historical_periods(periodic, size)
    assert calibration.scenarios == len(periods)
    gate = Fraction(D(periodic.shared_gate))
    closed = 0
    paid = []
    for places in periods:
        picks = [places[j % size] for j in range(periodic.months)]
        months = [str(periodic.history[h].month) for h in picks]
        reported = periodic.reported(
            [periodic.history_shared[h] for h in picks],
            {name: [Fraction(0)] * periodic.months for name in periodic.metric_names},
        )
        counts = {
            name: {**found, **{key: found[m] for key, m in zip(keys, months, strict=True)}}
            for name, found in periodic.counts.items()
        }
        closed += any(
            _counted(counts[name], periodic.levels[name], months[:size]) < gate
            for name in periodic.metric_names
        )
        paid.append(pay(replace(reported, counts=counts).build(), calibration))
    event("the gate closes in some period" if closed else "the gate opens in every period")
    note(f"{len(periods)} historical {length.noun}s; scale {calibration.scale}")
    for j, expectation in enumerate(calibration.months):
        total = sum(result.months[j].paid for result in paid)
        assert Fraction(total, len(paid)) == expectation.expected_cost, expectation.month
    assert abs(calibration.expected_cost - calibration.budget) <= calibration.rounding_bound
