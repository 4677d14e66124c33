"""Paying a plan that changes from a month on: each month by the version in force for it.

Each version pays the months it governs exactly as a plan of that design,
at that version's scale and weights, would pay them: the engine pays each
version's design over the months it governs, and the months are put together
in order. Where a version caps what a member is paid per plan year, the year
to date runs across versions: one per member and plan year, whatever version
paid each month, each month capped by the cap of the version in force for it.
The plan summary adds up the versions: the expected cost is each version's
expected cost of its own months, and the cost on current pace costs
each version's pending months at the pace of that version's months paid so
far (at its expected cost while none is paid).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

from jointbonus.sharedtarget.calibration import Calibration
from jointbonus.sharedtarget.pay.caps import YearToDate
from jointbonus.sharedtarget.pay.groups import Framed
from jointbonus.sharedtarget.pay.periods import frame_plan
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.results import PlanSummary, RealisedWeight, Result
from jointbonus.sharedtarget.versions import (
    VersionCalibration,
    calibrate_versions,
    designs,
    plan_expected_cost,
    spans,
    yearly_capped,
)

__all__ = ["PayMonths", "pay_versions"]

PayMonths = Callable[[Plan, Calibration, Framed, range, YearToDate | None], Result]
"""How the engine pays some of a design's framed months at a calibration, after the year
to date the versions before paid (``pay_framed``)."""


def pay_versions(
    plan: Plan,
    pay: PayMonths,
    first: Calibration | None = None,
    versions: tuple[VersionCalibration, ...] | None = None,
) -> Result:
    """Calibrate every version of ``plan`` and pay each month by the version in force for it.

    ``first`` is the first version's calibration when already made;
    ``versions`` every version's, to pay ``plan``'s months (and its versions'
    designs) at scales and weights already calibrated.
    """
    if versions is None:
        versions = calibrate_versions(plan, first)
    # One year to date per member and plan year, whatever version paid each month.
    year_to_date = YearToDate() if yearly_capped(plan) else None
    groups: tuple[tuple[int, ...], ...] = ()
    parts = []
    for design, version, months in zip(designs(plan), versions, spans(plan), strict=True):
        framed = frame_plan(design)
        if year_to_date is not None:
            positions = framed.groups.positions
            year_to_date = year_to_date.regrouped(groups, positions) if groups else year_to_date
            groups = positions
        parts.append(pay(design, version.calibration, framed, months, year_to_date))
    return Result(
        plan,
        versions[0].calibration,
        tuple(month for part in parts for month in part.months),
        _summary(plan, versions, parts),
        _realised(plan, parts),
        versions=versions,
    )


def _summary(
    plan: Plan, versions: tuple[VersionCalibration, ...], parts: list[Result]
) -> PlanSummary:
    summaries = [part.summary for part in parts]
    paid_to_date = sum(s.paid_to_date for s in summaries)
    expected_to_date = sum((s.expected_to_date for s in summaries), Fraction(0))
    currency = plan.currency
    cost_on_pace = sum(
        s.cost_on_pace
        if s.months_paid
        else currency.round_to_minor(version.expected_cost / currency.scale)
        for s, version in zip(summaries, versions, strict=True)
    )
    return PlanSummary(
        budget=plan.budget.amount,
        expected_cost=plan_expected_cost(versions),
        paid_to_date=paid_to_date,
        expected_to_date=expected_to_date,
        variance_to_date=paid_to_date - expected_to_date,
        cost_on_pace=cost_on_pace,
        pace_variance=cost_on_pace - plan.budget.amount,
        months_paid=sum(s.months_paid for s in summaries),
        months_pending=sum(s.months_pending for s in summaries),
        months_hit=sum(s.months_hit for s in summaries),
        held_to_date=sum(s.held_to_date for s in summaries),
        forfeited_to_date=sum(s.forfeited_to_date for s in summaries),
    )


def _realised(plan: Plan, parts: list[Result]) -> tuple[RealisedWeight, ...]:
    """Each team's earnings from each side, added up over the versions' months."""
    if not plan.weighted:
        return ()
    teams = [t.team for t in plan.functional.terms]
    shared = dict.fromkeys(teams, 0)
    functional = dict.fromkeys(teams, 0)
    for part in parts:
        for found in part.realised:
            shared[found.team] += found.shared
            functional[found.team] += found.functional
    return tuple(RealisedWeight(t, shared[t], functional[t]) for t in teams)
