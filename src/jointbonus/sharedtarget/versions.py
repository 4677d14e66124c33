"""A plan that changes from a month on: each version's calibration, each change neutral.

A plan can carry later versions (:class:`~jointbonus.sharedtarget.plan.PlanVersion`),
each in force from its first month until the next one starts. Each month is
paid by the version in force for it. The versions are calibrated in order:

* the **first** version (the plan itself) as a plan without versions: its
  expected cost over the whole plan equals the budget ``B``;
* a **later** version so that the change is itself neutral: its expected
  cost over the months it takes over (from its first month to the plan's
  end, the months it governs until a still later version takes some of them
  over) equals the expected cost the version before it, at that version's
  own scale and weights, would have had in those same months. Its weights
  (where its split is solved) are solved on those months, then its scale.

So the expected cost of the year is ``B`` whatever the versions: version 1
costs ``B`` over the year; each later version takes over the rest of the
year at the cost the version before would have had in it, and so on: with
versions 1, 2, 3 governing ``M1``, ``M2``, ``M3``, ``B = c1(M1) + c1(M2 + M3)
= c1(M1) + c2(M2 + M3) = c1(M1) + c2(M2) + c3(M3)``. (Calibrating a version
over only the months it finally governs would not do: version 2 is neutral
to version 1 over ``M2`` alone, but version 3 would then be neutral to
version 2 over ``M3``, where version 2's cost is not version 1's.) With no cap the cost to be
neutral to is the version before's exact expected cost of the governed
months (a fraction of a minor unit); with a cap per month it is that
version's expected cost after rounding and caps, which is within that
version's rounding bound of its exact capped cost.

With a cap per plan year (in any version) the year to date runs across
versions: one per member and plan year, whatever version paid each month,
and each month is capped by the cap of the version in force for it. So both
costs of a change that starts inside a plan year -- the version before's in
the months taken over, and the later version's own -- are costed along each
historical path from the year to date that path paid earlier in the year,
each earlier month paid by the version in force for it at its own scale and
weights (:func:`year_so_far`). The change is then neutral path by path's
average: the later version costs, after the year so far, what the version
before would have cost after the same year so far.

A version whose months the version before would pay nothing in (no one
eligible in them, say) is neutral at any scale that pays nothing there too:
if its design cannot pay in them either, it keeps the version before's
scale; if it can, its neutral scale is 0.

Everything is the one calibration of :mod:`jointbonus.sharedtarget.calibration`,
run over the governed months (:func:`governed_frames`): each version gets its
own weighting and its own :class:`~jointbonus.sharedtarget.calibration.Calibration`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from itertools import pairwise

from jointbonus.core.periods import YEAR, Month
from jointbonus.core.plan_periods import Period
from jointbonus.errors import CalibrationError
from jointbonus.sharedtarget.calibration import (
    Calibration,
    calibrate_framed,
    norm_outcome,
    path_scenarios,
    scenario_outcomes,
)
from jointbonus.sharedtarget.pay.caps import YearToDate
from jointbonus.sharedtarget.pay.groups import Framed
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.pay.sharing import share_out
from jointbonus.sharedtarget.plan import Neutrality, Plan

__all__ = [
    "VersionCalibration",
    "calibrate_versions",
    "designs",
    "governed_frames",
    "plan_expected_cost",
    "spans",
    "year_so_far",
    "yearly_capped",
]


@dataclass(frozen=True, slots=True)
class VersionCalibration:
    """One version of a plan: the months it governs and the evidence that it is neutral."""

    number: int
    """1 for the plan's first version, 2 for the next, ..."""
    start: Month
    """The version's first month."""
    months: tuple[Month, ...]
    """The months the version governs (it pays them)."""
    design: Plan
    """The plan as the version has it (the curve, funding amounts, split, goals, gates, caps)."""
    calibration: Calibration
    """The version's scale and weights. The first version's is over the whole plan (its
    budget is ``B``); a later version's over the months from its start to the plan's end,
    neutral to :attr:`neutral_cost`."""
    neutral_cost: Fraction
    """Minor units: the cost the version is neutral to. The budget for the first version;
    for a later one, the version before's expected cost from this one's start to the plan's
    end."""

    @property
    def goal_periods(self) -> tuple[Period, ...]:
        """The goal periods whose goals the version pays, where they run over a period
        longer than the shared one (``()`` else): every goal period it governs whole (a
        version starts at the first month of a goal period, its own and the one before's)."""
        if not self.design.goals_over_longer:
            return ()
        governed = set(self.months)
        return tuple(p for p in self.design.goal_periods if p.end in governed)

    @property
    def expected_cost(self) -> Fraction:
        """The version's expected cost of the months it governs, after rounding (minor units)."""
        governed = set(self.months)
        return sum(
            (e.expected_cost for e in self.calibration.months if e.month in governed), Fraction(0)
        )


def plan_expected_cost(versions: tuple[VersionCalibration, ...]) -> Fraction:
    """The plan's expected cost, minor units after rounding: each version's of the months
    it governs (each month's expected cost by the version in force for it)."""
    return sum((v.expected_cost for v in versions), Fraction(0))


def spans(plan: Plan) -> list[range]:
    """The plan-month indices each version governs, version by version."""
    starts = [0, *(v.index for v in plan.versions), len(plan.months)]
    return [range(a, b) for a, b in pairwise(starts)]


def yearly_capped(plan: Plan) -> bool:
    """Whether any version of ``plan`` caps what a member is paid per plan year."""
    return any(d.functional.caps.per_year is not None for d in designs(plan))


def year_so_far(
    plan: Plan, versions: Sequence[VersionCalibration], index: int
) -> tuple[list[YearToDate], tuple[tuple[int, ...], ...]] | None:
    """What each historical path of calibration paid each member in the plan year of
    plan month ``index`` before it, and the pay groups that is over (the last paying
    version's); ``None`` when ``index`` starts a plan year.

    Each earlier month of the year is paid by the version in force for it (of
    ``versions``, calibrated) at that version's scale and weights, as the
    engine pays it: path ``p`` is at historical month ``p + j`` in plan month
    ``j`` (expected-cost neutrality; with goals paid month by month beside a
    longer shared period, at historical period ``p + k`` in the plan's period
    ``k``, its months in place), or the one path at the norm. Those goals are
    counted in the month that pays them, as the engine counts them.
    """
    first = index - index % YEAR
    if first == index:
        return None
    expected = plan.neutrality is Neutrality.EXPECTED_COST
    scenarios = len(plan.norm.sample)
    paid = [YearToDate() for _ in range(scenarios if expected else 1)]
    groups: tuple[tuple[int, ...], ...] = ()
    for version, months in zip(versions, spans(plan), strict=False):
        governed = range(max(months.start, first), min(months.stop, index))
        if not governed:
            continue
        design = version.design
        framed = frame_plan(design)
        positions = framed.groups.positions
        if groups and groups != positions:
            paid = [y.regrouped(groups, positions) for y in paid]
        groups = positions
        terms = version.calibration.terms
        capped = design.functional.caps.per_year is not None
        for j in governed:
            frame = framed.months[j]
            if not frame.closes and frame.own is None:  # inside a longer period: nothing paid
                continue
            # A month inside a longer period pays its goals, month by month: the year so far
            # counts them as it counts the period's end.
            outcomes = (
                scenario_outcomes(design, frame) if expected else (norm_outcome(design, frame),)
            )
            picks = path_scenarios(design, frame, scenarios)
            for p, ytd in enumerate(paid):
                outcome = outcomes[picks[p]] if expected else outcomes[0]
                share_out(design, frame, terms, outcome, ytd if capped else None).record(ytd)
    return paid, groups


def designs(plan: Plan) -> list[Plan]:
    """Each version's design, the plan itself first."""
    return [plan, *(v.design for v in plan.versions)]


def governed_frames(framed: Framed, months: range) -> Framed:
    """``framed`` with only the plan months at ``months``: what a version is calibrated over."""
    return replace(framed, months=framed.months[months.start : months.stop])


def calibrate_versions(
    plan: Plan, first: Calibration | None = None
) -> tuple[VersionCalibration, ...]:
    """Calibrate each version of ``plan`` in turn, each change neutral (see the module).

    ``first`` is the first version's calibration when already made.
    """
    found: list[VersionCalibration] = []
    previous: tuple[Plan, Calibration] | None = None
    for number, (design, months) in enumerate(zip(designs(plan), spans(plan), strict=True), 1):
        framed = frame_plan(design)
        if previous is None:
            calibration = calibrate_framed(design, framed) if first is None else first
            cost = Fraction(plan.budget.amount)
        else:
            # Calibrated over the rest of the plan, the months it would govern were it the
            # last version: a later version takes some of them over at the same cost.
            rest = range(months.start, len(plan.months))
            before_framed = frame_plan(previous[0])
            so_far = year_so_far(plan, found, months.start) if yearly_capped(plan) else None
            cost = _cost_in(
                *previous,
                governed_frames(before_framed, rest),
                _over(so_far, before_framed.groups.positions),
            )
            governed = governed_frames(framed, rest)
            inherited = _over(so_far, framed.groups.positions)
            try:
                calibration = calibrate_framed(
                    design, governed, neutral_cost=cost, inherited=inherited
                )
            except CalibrationError:
                if cost:
                    raise
                # Nothing to be neutral to, and nothing to pay: the scale is moot; keep the
                # version before's.
                kept = replace(design, fixed_scale=previous[1].scale)
                calibration = calibrate_framed(
                    kept, governed, neutral_cost=cost, inherited=inherited
                )
        found.append(
            VersionCalibration(
                number=number,
                start=plan.months[months.start].month,
                months=tuple(plan.months[j].month for j in months),
                design=design,
                calibration=calibration,
                neutral_cost=cost,
            )
        )
        previous = (design, calibration)
    return tuple(found)


def _over(
    so_far: tuple[list[YearToDate], tuple[tuple[int, ...], ...]] | None,
    groups: tuple[tuple[int, ...], ...],
) -> list[YearToDate] | None:
    """Each path's year so far (:func:`year_so_far`) over the pay groups ``groups``."""
    if so_far is None:
        return None
    paid, before = so_far
    return [y.regrouped(before, groups) for y in paid] if before else paid


def _cost_in(
    design: Plan,
    calibration: Calibration,
    framed: Framed,
    inherited: list[YearToDate] | None = None,
) -> Fraction:
    """What ``design`` at ``calibration``'s scale and weights is expected to cost in
    ``framed``'s months, by its neutrality, minor units: exact without caps, after
    rounding and caps with them (after each path's year so far, ``inherited``).

    The design is frozen at that scale and those weights (nothing is solved
    again) and costed by the one calibration, over those months alone.
    """
    frozen = replace(
        design,
        fixed_scale=calibration.scale,
        functional=replace(
            design.functional,
            terms=tuple(
                replace(terms, shared_weight=weight.nominal, expected_split=None)
                for terms, weight in zip(design.functional.terms, calibration.weights, strict=False)
            )
            if design.weighted
            else design.functional.terms,
        ),
    )
    costed = calibrate_framed(frozen, framed, inherited=inherited)
    if frozen.functional.caps.any:
        if frozen.neutrality is Neutrality.EXPECTED_COST:
            return costed.expected_cost
        return Fraction(costed.norm_path_cost)
    return costed.unit_cost * calibration.scale * design.currency.scale
