"""A share counted from the leads, its goals over a period longer than the shared one.

Checked from the outside, on the plans of
:func:`test_goal_longer_period_caps_properties.capped_longer` (goals over a quarter or
plan year beside a monthly shared target, over a plan year beside a quarterly one;
caps now and then, over two plan years always, and now and then a holdback) with
every metric of the goals a share whose months' counts are known, as a share read from
the leads is. Each metric gets a target for each place in the goal period (month ``k``
of every quarter, or of every plan year, asks the same share: 0.5 to 1), the same in
history and in the plan, and each history month drawn counts, ``part`` of ``whole``
with ``part <= whole`` and a ``whole`` of 0 now and then (no leads that month: final,
adding nothing to its period; a period whose months all have none has no share, so
history keeps at least one lead in each of its goal periods). A plan month reports
the counts of the history month it replays, its actual the share published to six
decimals. Through :func:`jointbonus.build_plan` alone:

* **neutrality**: path ``p`` replays, as
  :mod:`test_goal_longer_period_caps_properties` says, the counts of a historical goal
  period's months in each of the plan's goal periods and a shared period of it in each
  shared period; each month's cost (less what leavers forfeit of the holdback),
  averaged over the paths, is calibration's expected cost of it, and the plan's
  expected cost is its budget within the rounding bound;
* **the period's attainment is its counts over its targets weighted by its months'
  leads**: with counts drawn for the plan months too (a whole of 0 now and then), each
  goal paid at a goal period's end reads ``sum part / sum (target x whole)`` over the
  period, worked out here from the counts, its actual and target are those two sums,
  and a period without a single lead is pending; each historical goal period of the
  norm reads the same rule from its own counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from fractions import Fraction
from typing import Any

from hypothesis import event, given, note, settings
from hypothesis import strategies as st
from test_goal_longer_period_caps_properties import capped_longer, path_blocks, path_picks
from test_goal_own_period_caps_properties import _calibrated, assert_the_paths_cost_the_budget
from test_lead_period_properties import _FILTERED, _TARGETS, Counts, _counts, _shares
from weighted import D, WeightedSpec

from jointbonus import HistoryMonth, MonthStatus, pay
from jointbonus.core.number import decimal_text
from jointbonus.core.plan_periods import PeriodLength
from strategies import examples

_Drawn = tuple["CountedSpec", PeriodLength, PeriodLength]


@dataclass(frozen=True)
class CountedSpec(WeightedSpec):
    """A :class:`WeightedSpec` whose metrics are counted shares: ``counts`` (plan and history
    months) and ``levels`` (each metric's target at each place in the goal period)."""

    counts: Counts = field(default_factory=dict)
    levels: dict[str, list[str]] = field(default_factory=dict)

    def plan_targets(self) -> dict[str, dict[str, str]]:
        """Each metric's target in each plan month: its level at the month's place."""
        size = len(next(iter(self.levels.values())))
        keys = [str(m) for m in self.calendar]
        return {
            name: {key: levels[j % size] for j, key in enumerate(keys)}
            for name, levels in self.levels.items()
        }

    def kwargs(self) -> dict[str, Any]:
        return _shares(_plain(self), self.counts, self.plan_targets())


def _plain(spec: WeightedSpec) -> WeightedSpec:
    """``spec`` as a plain :class:`WeightedSpec`: its metrics as it reports them."""
    return WeightedSpec(**{f.name: getattr(spec, f.name) for f in fields(WeightedSpec)})


@st.composite
def counted_longer(draw: st.DrawFn) -> _Drawn:
    """A plan of :func:`capped_longer`, caps now and then, every metric a counted share:
    ``(spec, shared, goal)``, its history's counts drawn and its plan months' none."""
    spec, shared, goal = draw(capped_longer(caps=None))
    size = goal.months
    names = spec.metric_names
    levels = {
        n: [draw(st.sampled_from(_TARGETS), label="target") for _ in range(size)] for n in names
    }
    first = spec.start.index()
    counts: Counts = {}
    for name in names:
        drawn = draw(_counts([str(h.month) for h in spec.history], empty=True), label="history")
        periods: dict[int, list[str]] = {}
        for h in spec.history:
            periods.setdefault((h.month.index() - first) // size, []).append(str(h.month))
        for months in periods.values():  # at least one lead in each historical goal period
            if not any(drawn[m][1] for m in months):
                drawn[months[-1]] = (0, 1)
        counts[name] = drawn
    counted = CountedSpec(**{f.name: getattr(spec, f.name) for f in fields(spec)})
    counted = replace(counted, counts=counts, levels=levels)
    return replace(counted, history=counted_history(spec, counts, levels)), shared, goal


def counted_history(
    spec: WeightedSpec, counts: Counts, levels: dict[str, list[str]]
) -> tuple[HistoryMonth, ...]:
    """``spec``'s history with each metric's month the share its ``counts`` publish (six
    decimals; 0 with no leads) against its level at the month's place in the period
    (``levels``, by place from the plan's start)."""
    first = spec.start.index()
    size = len(next(iter(levels.values())))
    history = []
    for h in spec.history:
        place = (h.month.index() - first) % size
        shares = {}
        for name in levels:
            part, whole = counts[name][str(h.month)]
            shares[name] = D(decimal_text(Fraction(part, whole), 6) if whole else "0")
        history.append(
            HistoryMonth(
                h.month,
                h.actual,
                h.target,
                h.paid,
                {**h.functional, **shares},
                {**h.functional_targets, **{n: D(levels[n][place]) for n in levels}},
            )
        )
    return tuple(history)


def _shape(spec: CountedSpec, shared: PeriodLength, goal: PeriodLength) -> None:
    capped = spec.cap_per_month is not None or spec.cap_per_year is not None
    event(f"goals over the {goal.noun} beside a shared target over the {shared.noun}")
    event("caps" if capped else "no caps")
    empty = sum(not w for c in spec.counts.values() for _, w in c.values())
    event("a month without leads" if empty else "leads every month")


# Plans that cannot be calibrated (their goals pay nothing) are drawn again.
@settings(examples(2), suppress_health_check=_FILTERED)
@given(counted_longer())
def test_counted_shares_over_a_longer_period_cost_the_budget_over_the_paths(drawn):
    """Neutrality: what each month costs (less what leavers forfeit of the holdback),
    averaged over the paths, is what calibration expects of it; their sum is the budget
    within the rounding bound."""
    spec, shared, goal = drawn
    _shape(spec, shared, goal)
    periodic, calibration = _calibrated(spec)
    blocks = path_blocks(periodic, shared, goal)
    keys = [str(m) for m in periodic.calendar]
    history = [str(h.month) for h in periodic.history]
    paid = []
    for p in range(calibration.scenarios):
        shared_picks, goal_picks = path_picks(periodic.months, blocks, p, shared, goal)
        reported = periodic.reported(
            [periodic.history_shared[h] for h in shared_picks],
            {name: [Fraction(0)] * periodic.months for name in periodic.metric_names},
        )
        counts = {
            name: {
                **found,
                **{key: found[history[h]] for key, h in zip(keys, goal_picks, strict=True)},
            }
            for name, found in periodic.counts.items()
        }
        paid.append(pay(replace(reported, counts=counts).build(), calibration))
    note(f"{len(blocks)} historical {goal.noun}s of {len(blocks[0])} {shared.noun}s")
    note(f"scale {calibration.scale}")
    assert_the_paths_cost_the_budget(paid, calibration)


# Plans that cannot be calibrated (their goals pay nothing) are drawn again.
@settings(examples(2), suppress_health_check=_FILTERED)
@given(counted_longer(), st.data())
def test_a_counted_shares_attainment_over_a_longer_period_is_its_counts_over_its_targets(
    drawn, data
):
    spec, shared, goal = drawn
    _shape(spec, shared, goal)
    periodic, calibration = _calibrated(spec)
    keys = [str(m) for m in periodic.calendar]
    targets = periodic.plan_targets()
    counts = {
        name: {**found, **data.draw(_counts(keys, empty=True), label=f"{name} plan counts")}
        for name, found in periodic.counts.items()
    }
    size = goal.months
    if data.draw(st.booleans(), label="a period without leads"):
        k = data.draw(st.integers(0, len(keys) // size - 1), label="its place")
        name = data.draw(st.sampled_from(periodic.metric_names), label="its metric")
        counts[name].update(dict.fromkeys(keys[k * size : (k + 1) * size], (0, 0)))
    reported = replace(periodic, counts=counts, actuals=dict(periodic.targets))
    result = pay(reported.build(), calibration)
    checked = pending = 0
    for j, month in enumerate(result.months):
        if j % size != size - 1:
            assert not month.goals, month.month
            continue
        inside = keys[j + 1 - size : j + 1]
        sums = {
            name: (
                sum(counts[name][k][0] for k in inside),
                sum(Fraction(D(targets[name][k])) * counts[name][k][1] for k in inside),
            )
            for name in periodic.metric_names
        }
        if not all(asked for _, asked in sums.values()):
            # Not a single lead over the period for a goal: no share to pay it on yet.
            assert month.status is MonthStatus.PENDING and not month.goals, month.month
            pending += 1
            continue
        assert month.status is MonthStatus.PAID, month.month
        for paid_goal in month.goals:
            part, asked = sums[paid_goal.goal.metric]
            assert (paid_goal.actual, paid_goal.target) == (part, asked)
            assert paid_goal.attainment == Fraction(part) / asked
            checked += 1
    event("a period without leads" if pending else "leads in every period")
    note(f"{checked} goals checked, {pending} periods without leads")
    history = {str(h.month): h for h in periodic.history}
    for metric in result.plan.functional.metrics:
        for first, attainment in zip(metric.norm.sample_months, metric.norm.sample, strict=True):
            inside = [str(first.shift(k)) for k in range(size)]
            part = sum(counts[metric.name][k][0] for k in inside)
            asked = sum(
                Fraction(history[k].functional_targets[metric.name]) * counts[metric.name][k][1]
                for k in inside
            )
            assert attainment == Fraction(part) / asked, (metric.name, first)
