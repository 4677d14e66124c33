"""Advances on a longer shared period's pay, and the true-up at its end.

A plan with a shared target over a quarter or a plan year pays the period
in the month that ends it (:mod:`jointbonus.sharedtarget.pay.periods`). With
``advance`` (a share above 0, at most 1) it also advances part of that pay in
each month before the end, once the month's actual is known. For month ``k``
of an ``n``-month period:

* the **running attainment** is the period's actuals to date summed / its
  targets to date summed; the period's pay at it, shared out as the period's
  end shares it (the period's weights, the curve, its caps), is each
  member's ``P``;
* the **advance pool to date** is ``round(advance x k / n x sum of P)``, split
  by largest remainder in proportion to ``P`` among the members active in the
  period so far (a member who has not started yet is advanced nothing);
* the **safe bound**: the period's pay at the **floor attainment**, the
  actuals to date over *all* the period's targets (the months still to come
  counted at zero), is shared out the same way, and each member's bound is
  the whole units every member of their pay group is sure of at it (their
  share without the leftover unit largest remainder may hand them, after
  the caps). Actuals are never negative and a curve never falls, so the
  period's pay at its end is at least this bound, member by member;
* a member's **advance to date** is the smaller of their part of the pool
  to date and their bound; the **month's advance** is the advance to date
  less what was advanced earlier in the period, never below zero.

Beside functional goals paid month by month, only the period's **shared
part** is advanced: the running and the floor attainments pay it with every
goal's factor at 0, its shared gate reading each goal over the period to
date (over all its targets for the floor: a goal's attainment never falls
either, so a gate open at the floor is open at the end). Under a cap per
month a member's month's advance is also at most the room the cap leaves
beside the month's goals (:func:`cap_room`): what it holds back is advanced
in a later month or paid by the true-up. The bound is taken after the cap,
so a member's advances to date are at most the cap, and the period's end,
which pays the shared part and the month's goals under that one cap, pays
them at least as much: the true-up stays at zero or above.

Beside goals over the period (paid with its shared part at its end) the
same holds with nothing paid in the months before the end: the month that
ends it pays the true-up of the shared part and the goals, under one cap
per month, and the floor's pay is cut to what the plan year left before the
period, so the true-up stays at zero or above.

Beside goals over the plan year with a quarterly shared target (goals over a
period longer than the shared one) each quarter is advanced the same way, of
its shared part alone: no goal is paid in a quarter's months before its end,
and the plan year's goals fall due in the month that ends its last quarter,
with that quarter's true-up, under one cap. The floor's pay, cut to the caps
and to what the plan year left before the quarter, bounds the advances, and
the quarter's end pays at least that, its goals only adding to it: the
true-up stays at zero or above and no line passes a cap. The goals' room of
the rule below (what the goals can still pay in the quarter's months before
its end) is empty there: the year's goals are paid with a true-up, never
between an advance and its true-up.

Under a cap per year beside monthly goals, a member's advance to date after month
``k`` is also at most their **year's room** (:func:`year_room`): the cap
less what the plan year paid them so far (month ``k``'s goals with it) less
the most the goals can still pay them in the period's months after ``k``
and before its end (:func:`goals_most`: every goal at its curve's top, a
pool's share rounded up, cut to the cap per month; the plan frames every
month in advance). Whatever the goals pay in those months, the room the
year leaves the month that ends the period is then at least the advances,
and that month pays ``min(caps, shared part + its goals)``, each at least
the advances: the true-up stays at zero or above. The room never shrinks
from one month to the next (a month's goals pay at most their most), so the
advances to date stay within it, and no member is paid beyond the cap in
the year: what the goals can still pay is kept for them.

At the period's end the **true-up** is the period's pay less the advances
paid in it. The bound keeps it at zero or above, so advances never need to
be clawed back and every member's advances plus true-up are exactly the
period's pay. Advances trued up this way cost nothing: a period costs what
it pays, and calibration is the same with or without them.

Everything here is whole minor units, per member, by their place in
``plan.members``.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from jointbonus.core.money import allocate
from jointbonus.core.number import round_half_up
from jointbonus.sharedtarget.pay.caps import YearToDate
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome, Terms, outcome_at
from jointbonus.sharedtarget.pay.sharing import MonthPay, share_out, share_parts
from jointbonus.sharedtarget.plan import FundingStyle, Plan

__all__ = [
    "advance_to_date",
    "cap_room",
    "goals_most",
    "member_pay",
    "sure_of",
    "year_room",
]


def member_pay(frame: MonthFrame, month_pay: MonthPay) -> list[int]:
    """What each member is owed for ``frame``'s month at ``month_pay``, by member place."""
    groups = frame.groups
    paid = [0] * sum(groups.counts)
    for group, positions in enumerate(groups.positions):
        start = 0
        for end, value in month_pay.paid_runs(group):
            for position in positions[start:end]:
                paid[position] = value
            start = end
    return paid


def sure_of(frame: MonthFrame, month_pay: MonthPay) -> list[int]:
    """Each member's whole units at ``month_pay`` that no larger pool can take away: their
    pay, without the leftover unit a largest-remainder split may have handed them."""
    paid = member_pay(frame, month_pay)
    for share, positions in zip(month_pay.shared.shares, frame.groups.positions, strict=True):
        for position in positions:
            paid[position] = min(paid[position], share.base)
    return paid


def cap_room(plan: Plan, month: Sequence[int]) -> list[int] | None:
    """Each member's room under the cap per month beside ``month``, what they are paid in
    it already (their goals), by member place; ``None`` without a cap per month."""
    cap = plan.functional.caps.per_month
    if cap is None:
        return None
    return [max(cap - paid, 0) for paid in month]


def goals_most(plan: Plan, frame: MonthFrame, terms: Terms) -> list[int]:
    """The most each member can be paid for the goals of ``frame``'s month (a month that
    pays its goals on its own frame beside a longer shared period), whatever its actuals,
    by member place.

    Every goal pays at its curve's top. A pool's share is rounded up: a
    largest-remainder split hands a member their exact share rounded down or
    up, and a smaller pool's exact share is smaller. A line is rounded half
    up, and a smaller factor never rounds to more. The cap per month cuts the
    sum.
    """
    most = [0] * len(plan.members)
    own = frame.own
    if own is None:
        return most
    tops = Outcome(Fraction(0), (), tuple(goal.curve.max_factor for goal in plan.goals))
    positions = own.groups.positions
    counts = own.groups.counts
    pooled = plan.funding is FundingStyle.POOL
    for part in share_parts(plan, own, terms, tops).functional:
        if pooled and part.weights and part.pool:
            total = sum(w * n for w, n in zip(part.weights, counts, strict=True))
            tops_of = [-(-part.pool * w // total) for w in part.weights]
        else:
            tops_of = [share.share(0) for share in part.shares]
        for top, places in zip(tops_of, positions, strict=True):
            if top:
                for place in places:
                    most[place] += top
    cap = plan.functional.caps.per_month
    return most if cap is None else [min(m, cap) for m in most]


def year_room(plan: Plan, paid: Sequence[int], still: Sequence[int]) -> list[int] | None:
    """Each member's room under the cap per year for a period's advances to date beside
    monthly goals: the cap less ``paid`` (what the plan year paid them so far, the month's
    goals with it) less ``still`` (the most the goals can pay them in the period's months
    left before its end, :func:`goals_most`), never below 0; ``None`` without a cap per
    year."""
    cap = plan.functional.caps.per_year
    if cap is None:
        return None
    return [max(cap - p - s, 0) for p, s in zip(paid, still, strict=True)]


def _pay_at(
    plan: Plan,
    end: MonthFrame,
    terms: Terms,
    attainment: Fraction,
    *,
    goals: Sequence[Fraction],
    year_to_date: YearToDate | None,
) -> MonthPay:
    """The period's (shared) pay at ``attainment``, shared out as its end month shares it;
    ``goals`` are the goals' attainments its shared gate reads (by ``plan.goals``)."""
    outcome: Outcome = outcome_at(plan, attainment, goals)
    if plan.goals:  # the shared part alone: the goals are paid month by month, or at the end
        outcome = Outcome(outcome.shared, outcome.team_shared, (Fraction(0),) * len(plan.goals))
    return share_out(plan, end, terms, outcome, year_to_date)


def _goal_attainments(
    plan: Plan, first: int, index: int, last: int
) -> tuple[list[Fraction], list[Fraction]]:
    """Each goal's attainment over the period from ``first`` to ``index`` (summed actuals /
    summed targets) and its floor (the same actuals over the targets up to ``last``)."""
    metrics = {metric.name: metric for metric in plan.functional.metrics}
    running: list[Fraction] = []
    floor: list[Fraction] = []
    for goal in plan.goals:
        months = metrics[goal.metric].months
        actual = sum((Fraction(m.actual or 0) for m in months[first : index + 1]), Fraction(0))
        running.append(actual / sum((m.target for m in months[first : index + 1]), Fraction(0)))
        floor.append(actual / sum((m.target for m in months[first : last + 1]), Fraction(0)))
    return running, floor


def advance_to_date(
    plan: Plan,
    end: MonthFrame,
    terms: Terms,
    index: int,
    *,
    active: Sequence[bool],
    year_to_date: YearToDate | None = None,
) -> list[int]:
    """Each member's advance to date after plan month ``index`` of ``end``'s period.

    ``end`` is the frame of the month that ends the period (the period's
    figures); every month of the period up to ``index`` has its actual.
    ``active`` says, by member place, who has been active in the period so
    far; ``year_to_date`` is what the plan year paid before the period (for a
    cap per year).
    """
    period = end.period
    if plan.advance is None or period is None:
        raise ValueError("advances are paid in a plan with advance and a longer shared period")
    elapsed = plan.months[period.first : index + 1]
    actual = sum((Fraction(m.actual or 0) for m in elapsed), Fraction(0))
    running = actual / sum((m.target for m in elapsed), Fraction(0))
    goals_running, goals_floor = _goal_attainments(plan, period.first, index, period.last)
    at_running = member_pay(
        end, _pay_at(plan, end, terms, running, goals=goals_running, year_to_date=year_to_date)
    )
    weights = [p if on else 0 for p, on in zip(at_running, active, strict=True)]
    share = plan.advance * Fraction(index - period.first + 1, len(period.months))
    pool = round_half_up(share * sum(weights))
    parts = allocate(pool, weights) if pool else [0] * len(weights)
    floor = actual / end.plan_month.target
    bound = sure_of(
        end, _pay_at(plan, end, terms, floor, goals=goals_floor, year_to_date=year_to_date)
    )
    return [min(part, sure) for part, sure in zip(parts, bound, strict=True)]
