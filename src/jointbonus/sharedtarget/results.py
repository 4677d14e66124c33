"""What a plan year paid: months, lines and the plan summary.

A :class:`Result` keeps each month's cohorts and shares rather than one object
per member and month, so a year of 100,000 people stays small. Lines are made
on demand by :meth:`Result.lines` (or written straight to a file by the
report writers), always in period order, then member id order.

Every line carries the reason for a zero:

* ``pending: no actual for 2026-11 yet`` -- the month has no actual;
* the member's standing: not yet started, left, left before the month ended
  under a plan that does not pay leavers for their exit month, no salary or
  target bonus to weight by;
* ``target missed: attainment 96.5% earns no payout (the curve pays from 100.0%)``;
* ``share rounds to less than one minor unit``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from jointbonus.core.curves import Curve
from jointbonus.core.money import GroupShare
from jointbonus.core.number import percent_text
from jointbonus.core.periods import Month
from jointbonus.core.roster import FTE_SCALE, Member
from jointbonus.sharedtarget.calibration import Calibration
from jointbonus.sharedtarget.goals import Goal
from jointbonus.sharedtarget.pay.frame import Cohort, MonthFrame, Outcome, held_back
from jointbonus.sharedtarget.plan import Plan, PlanMonth

__all__ = [
    "GoalResult",
    "Line",
    "LineStatus",
    "MonthResult",
    "MonthStatus",
    "PlanSummary",
    "Result",
    "Settlement",
    "SettlementStatus",
]


class MonthStatus(StrEnum):
    PAID = "paid"
    """The month has an actual and its payout (possibly 0) was computed."""
    PENDING = "pending"
    """No actual yet: nothing is paid and the month is reported as pending."""


class LineStatus(StrEnum):
    PAID = "paid"
    ZERO = "zero"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class GoalResult:
    """One functional goal's month: attainment, factor after the gate, its part and shares."""

    goal: Goal
    target: Fraction
    actual: Decimal
    attainment: Fraction
    factor: Fraction
    """The payout factor the goal's part pays at: 0 when the functional gate is closed."""
    gated: bool
    """Whether the functional gate closed the part (the shared attainment fell short)."""
    pool: int
    """Pool funding: the goal's pool; individual funding: the sum of its lines."""
    shares: tuple[GroupShare, ...]
    """Each cohort's shares of the part (0 for cohorts of other teams)."""


@dataclass(frozen=True, slots=True)
class MonthResult:
    """One month's outcome: attainment, factor, pool and how it was shared."""

    plan_month: PlanMonth
    status: MonthStatus
    attainment: Fraction | None
    factor: Fraction | None
    hit: bool | None
    """Whether the month met its target (attainment >= 100%); ``None`` while pending.

    Hit or miss is about the target, not the curve: a curve with a threshold
    below 100% can pay in a missed month, and one above 100% can pay nothing
    in a hit month."""
    pool: int | None
    """Pool funding: the month's pool; individual funding: the sum of the lines."""
    paid: int
    """What members earned, minor units (0 when nobody was eligible); with a
    holdback, part of it is paid at the year end."""
    frame: MonthFrame
    shares: tuple[GroupShare, ...]
    held: int = 0
    """Held back from this month's lines until the year end."""
    forfeited: int = 0
    """Of ``held``, what members leaving before the year end will never be paid."""
    goals: tuple[GoalResult, ...] = ()
    """Each functional goal's outcome and part, in ``plan.goals`` order."""
    outcome: Outcome | None = None
    """The month's payout factors after the gates (``None`` while pending)."""
    cuts: Mapping[int, int] = field(default_factory=dict)
    """What the caps cut from each member (by position); members not cut are absent."""

    @property
    def month(self) -> Month:
        return self.plan_month.month

    @property
    def capped(self) -> int:
        """What the caps cut from the month's lines, in total (never paid)."""
        return sum(self.cuts.values())

    def parts_of(self, index: int, position: int) -> tuple[int, tuple[int, ...], int]:
        """``(shared, functional parts, cut)`` of the member at ``position`` in cohort ``index``."""
        shared = self.shares[index].share(position)
        functional = tuple(g.shares[index].share(position) for g in self.goals)
        return shared, functional, self.cuts.get(position, 0)

    def member_shares(self, count: int) -> Iterator[tuple[int, Cohort, int]]:
        """``(position, cohort, amount)`` of each of the ``count`` plan members, in id order.

        ``amount`` is what the member is owed for the month: every part, less
        what the caps cut.

        Members absent from every cohort (none, for a plan built by
        :func:`~jointbonus.sharedtarget.pay.frame.frame_months`) are skipped.
        """
        if self.goals or self.cuts:
            for position, index, cohort in self.member_cohorts(count):
                shared, functional, cut = self.parts_of(index, position)
                yield position, cohort, shared + sum(functional) - cut
            return
        slots: list[tuple[Cohort, GroupShare] | None] = [None] * count
        for cohort, share in zip(self.frame.cohorts, self.shares, strict=True):
            pair = (cohort, share)
            for position in cohort.positions:
                slots[position] = pair
        for position, slot in enumerate(slots):
            if slot is not None:
                cohort, share = slot
                yield position, cohort, share.share(position)

    def member_cohorts(self, count: int) -> Iterator[tuple[int, int, Cohort]]:
        """``(position, cohort index, cohort)`` of each of ``count`` plan members, by id."""
        slots: list[tuple[int, Cohort] | None] = [None] * count
        for index, cohort in enumerate(self.frame.cohorts):
            for position in cohort.positions:
                slots[position] = (index, cohort)
        for position, slot in enumerate(slots):
            if slot is not None:
                yield position, slot[0], slot[1]

    def line_reason(self, cohort: Cohort, amount: int, curve: Curve) -> str:
        """Why a member of ``cohort`` getting ``amount`` got nothing ('' if paid)."""
        if self.status is MonthStatus.PENDING:
            return f"pending: no actual for {self.month} yet"
        if cohort.reason:
            return cohort.reason
        if amount:
            return ""
        if not self.factor:
            attainment = self.attainment if self.attainment is not None else Fraction(0)
            verdict = "target met" if attainment >= 1 else "target missed"
            return (
                f"{verdict}: attainment {percent_text(attainment)} earns no payout "
                f"({curve.pays_from()})"
            )
        return "share rounds to less than one minor unit"

    def weighted_reason(
        self, cohort: Cohort, parts: tuple[int, tuple[int, ...], int], plan: Plan
    ) -> str:
        """Why a member of ``cohort`` with ``parts`` (shared, functional, cut) got nothing.

        On a paid line: why any of its parts is zero (the shared target missed,
        the shared gate, a goal missed or gated), or ``""`` when none is.
        """
        shared, functional, cut = parts
        total = shared + sum(functional) - cut
        if self.status is MonthStatus.PENDING:
            if self.plan_month.actual is None:
                return self.line_reason(cohort, total, plan.curve)
            waiting = {
                m.name
                for m in plan.functional.metrics
                for metric_month in m.months
                if metric_month.month == self.month and metric_month.actual is None
            }
            # In the goals' order (the plan's team order), not the order metrics were given.
            missing = dict.fromkeys(g.metric for g in plan.goals if g.metric in waiting)
            return f"pending: no actual for {self.month} yet ({', '.join(missing)})"
        if cohort.reason:
            return cohort.reason
        if not total and cut:
            return "the cap is reached: nothing more is paid this plan year"
        reasons = []
        team = plan.functional.terms[cohort.team] if plan.functional.terms else None
        outcome = self.outcome
        attainment = self.attainment if self.attainment is not None else Fraction(0)
        if (
            team is not None
            and outcome is not None
            and team.goals
            and not shared
            and self.factor
            and not outcome.shared_for(cohort.team)
        ):
            reasons.append(
                f"shared part closed by the shared gate: each of {team.team}'s goals "
                f"needs {percent_text(plan.functional.gates.shared or Fraction(0))}"
            )
        if not self.factor:
            reasons.append(self.line_reason(cohort, 0, plan.curve))
        for result, amount in zip(self.goals, functional, strict=True):
            if result.goal.team != (team.team if team else None) or amount:
                continue
            if result.gated:
                gate = percent_text(plan.functional.gates.functional or Fraction(0))
                reasons.append(
                    f"{result.goal.metric} closed by the functional gate: shared attainment "
                    f"{percent_text(attainment)} is below {gate}"
                )
            elif not result.factor:
                reasons.append(
                    f"{result.goal.metric}: attainment {percent_text(result.attainment)} earns "
                    f"no payout ({result.goal.curve.pays_from()})"
                )
        if total:  # paid: say only why a part of it is zero
            return "; ".join(reasons)
        return "; ".join(reasons) or "share rounds to less than one minor unit"


@dataclass(frozen=True, slots=True)
class Line:
    """One member's month: the statement line."""

    member_id: str
    team: str
    period: Month
    days: int
    weight: Fraction
    """Eligible weight: FTE x days active / days in month (0 when not paid)."""
    attainment: Fraction | None
    payout_factor: Fraction | None
    shared: Decimal
    total: Decimal
    status: LineStatus
    reason: str
    """Why the total is zero; on a paid line of a plan with goals, why a part of it is."""
    held: Decimal = Decimal(0)
    """Part of ``total`` held until the plan year ends (the plan's holdback)."""
    paid_now: Decimal | None = None
    """``total`` minus ``held``: what is paid with the month (``total`` if not given)."""
    functional: tuple[tuple[str, Decimal], ...] = ()
    """Each functional part of the member's team, by metric: ``(metric, amount)``."""
    capped: Decimal = Decimal(0)
    """What the caps cut from the line (never paid); ``total`` is after the cut."""


class SettlementStatus(StrEnum):
    PAID = "paid"
    FORFEITED = "forfeited"
    PENDING = "pending"


@dataclass(frozen=True, slots=True)
class Settlement:
    """A member's year-end settlement of the amounts held back from their lines."""

    member_id: str
    team: str
    held: Decimal
    """Everything held back from the member's lines so far."""
    status: SettlementStatus
    reason: str
    """Why it is not paid (forfeited or pending); empty when paid."""

    @property
    def paid(self) -> Decimal:
        return self.held if self.status is SettlementStatus.PAID else Decimal(0)


@dataclass(frozen=True, slots=True)
class PlanSummary:
    """The year at a glance. Amounts in minor units."""

    budget: int
    expected_cost: Fraction
    """Expected cost of the whole plan over the historical scenarios."""
    paid_to_date: int
    expected_to_date: Fraction
    """What the norm expected of the months paid so far."""
    variance_to_date: Fraction
    """Paid to date minus expected to date: above 0, the teams beat the norm."""
    cost_on_pace: int
    """Paid to date plus every pending month paid at the mean payout factor so far."""
    pace_variance: int
    """Cost on current pace minus the budget."""
    months_paid: int
    months_pending: int
    months_hit: int
    held_to_date: int = 0
    """Held back from the months paid so far, payable at the year end."""
    forfeited_to_date: int = 0
    """Held back so far from members who leave before the year end: never paid."""


@dataclass(frozen=True, slots=True)
class Result:
    """A plan year paid: the plan, its calibration, each month and the summary."""

    plan: Plan
    calibration: Calibration
    months: tuple[MonthResult, ...]
    summary: PlanSummary

    def money(self, units: int) -> Decimal:
        """Minor units as the plan currency's exact Decimal."""
        return self.plan.currency.from_minor(units)

    def lines(self) -> Iterator[Line]:
        """Every member's line for every month, by period then member id."""
        members = self.plan.members
        for month_result in self.months:
            if self.plan.weighted or month_result.cuts:
                for position, index, cohort in month_result.member_cohorts(len(members)):
                    parts = month_result.parts_of(index, position)
                    amount = parts[0] + sum(parts[1]) - parts[2]
                    yield self.line(members[position], month_result, cohort, amount, parts)
                continue
            for position, cohort, amount in month_result.member_shares(len(members)):
                yield self.line(members[position], month_result, cohort, amount)

    def line(
        self,
        member: Member,
        month_result: MonthResult,
        cohort: Cohort,
        amount: int,
        parts: tuple[int, tuple[int, ...], int] | None = None,
    ) -> Line:
        """The statement line of ``member``, of ``cohort``, owed ``amount`` in a month.

        ``parts`` is ``(shared, functional parts, cut)`` for a plan with
        functional goals or caps (``amount`` is then their total).
        """
        if month_result.status is MonthStatus.PENDING:
            status = LineStatus.PENDING
        else:
            status = LineStatus.PAID if amount else LineStatus.ZERO
        held = held_back(self.plan, amount)
        shared = amount
        functional_parts: tuple[tuple[str, Decimal], ...] = ()
        capped = Decimal(0)
        if parts is None:
            reason = month_result.line_reason(cohort, amount, self.plan.curve)
        else:
            shared, functional, cut = parts
            capped = self.money(cut)
            functional = functional or (0,) * len(self.plan.goals)  # a pending month
            functional_parts = tuple(
                (goal.metric, self.money(part))
                for goal, part in zip(self.plan.goals, functional, strict=True)
                if goal.team == member.team
            )
            reason = month_result.weighted_reason(cohort, parts, self.plan)
        return Line(
            member_id=member.id,
            team=member.team,
            period=month_result.month,
            days=cohort.days,
            weight=Fraction(cohort.units, FTE_SCALE * month_result.month.days),
            attainment=month_result.attainment,
            payout_factor=month_result.factor,
            shared=self.money(shared),
            total=self.money(amount),
            status=status,
            reason=reason,
            held=self.money(held),
            paid_now=self.money(amount - held),
            functional=functional_parts,
            capped=capped,
        )

    def settlements(self) -> Iterator[Settlement]:
        """Each member's year-end settlement of what was held back (plans with a holdback).

        A member still in the plan on its last day is paid everything held
        back from them; one who left earlier forfeits it. While any month is
        pending, every settlement is pending.
        """
        if not self.plan.holdback or not self.plan.months:
            return
        held: dict[int, int] = {}
        for month_result in self.months:
            for position, _, amount in month_result.member_shares(len(self.plan.members)):
                held[position] = held.get(position, 0) + held_back(self.plan, amount)
        pending = any(m.status is MonthStatus.PENDING for m in self.months)
        year_end = self.plan.months[-1].month.last_day
        for position, member in enumerate(self.plan.members):
            amount = held.get(position, 0)
            stays = member.start <= year_end and (member.end is None or member.end >= year_end)
            if pending:
                status, reason = SettlementStatus.PENDING, "the plan year is not over yet"
            elif stays:
                status, reason = SettlementStatus.PAID, ""
            else:
                status = SettlementStatus.FORFEITED
                reason = (
                    f"left on {member.end.isoformat() if member.end else '?'}, before the plan "
                    f"year ended on {year_end.isoformat()}; held-back amounts are paid only to "
                    "those still in the plan then"
                )
            yield Settlement(member.id, member.team, self.money(amount), status, reason)
