"""The roster as it stands in each plan month, and what a month costs at a factor.

Calibration and the engine both start here, so the cost calibration expects
is, to the cent, the cost the engine pays.

Members whose standing is the same in every plan month (same start and end
within the plan, same FTE and, where the plan uses them, same salary or
target bonus) form a **cohort** and share one computation. A plan of 100,000
people who all joined before the plan year and work full time is one cohort.

Weights are integers: ``FTE x 10^6 x days active``. Within one month every
member's weight has the same denominator (``10^6 x days in the month``), so
shares of a pool can be computed with integer arithmetic alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from jointbonus._gc import paused_gc
from jointbonus.money import GroupShare, allocate_groups
from jointbonus.number import round_half_up
from jointbonus.plan import FundingStyle, Plan, PlanMonth, Split
from jointbonus.roster import FTE_SCALE, Standing, standing_in

__all__ = [
    "Cohort",
    "MonthCost",
    "MonthFrame",
    "frame_months",
    "held_back",
    "month_cost",
    "share_out",
]


@dataclass(frozen=True, slots=True)
class Cohort:
    """Members with the same standing in a month, and that standing."""

    positions: tuple[int, ...]
    """Places of the members in ``plan.members`` (member id order), ascending."""
    days: int
    """Days active in the month."""
    units: int
    """Eligible weight of each member: FTE x 10^6 x days active; 0 when not paid."""
    split_weight: int
    """Each member's weight in the pool split: units, or units x salary or target bonus."""
    bonus: int
    """Annual target bonus of each member in minor units (individual funding), else 0."""
    reason: str
    """Why the member gets nothing this month, when that is decided by standing alone."""
    forfeits: bool = False
    """Whether the members leave before the plan year ends, and so forfeit what is held back."""


@dataclass(frozen=True, slots=True)
class MonthFrame:
    """One plan month with its cohorts."""

    plan_month: PlanMonth
    cohorts: tuple[Cohort, ...]
    total_split_weight: int

    @property
    def eligible(self) -> bool:
        """Whether anyone can receive a share of this month's pool."""
        return self.total_split_weight > 0


@dataclass(frozen=True, slots=True)
class MonthCost:
    """What a month pays at one payout factor, and how many amounts were rounded."""

    exact: Fraction
    """The cost before rounding, in major units."""
    paid: int
    """The cost after rounding, in minor units."""
    rounded_amounts: int
    """How many amounts with a non-zero exact value were rounded (pools or lines)."""
    bound: Fraction = Fraction(0)
    """How far ``paid`` can be from ``exact``, in minor units: half a unit per rounded
    amount, and more for a line whose held-back part is forfeited (see
    :func:`month_cost`)."""


@paused_gc()
def frame_months(plan: Plan) -> tuple[MonthFrame, ...]:
    """Every plan month's cohorts, in month order."""
    if not plan.months:
        return ()
    plan_first = plan.months[0].month.first_day
    plan_last = plan.months[-1].month.last_day
    uses_salary = plan.funding is FundingStyle.POOL and plan.split is Split.SALARY
    uses_bonus = plan.funding is FundingStyle.INDIVIDUAL or plan.split is Split.TARGET_BONUS
    to_minor = plan.currency.to_minor

    signatures: dict[tuple[date, date | None, int, int, int], list[int]] = {}
    fte_units_of: dict[Decimal, int] = {}  # FTE -> units; a roster has few distinct FTEs
    for position, member in enumerate(plan.members):
        # Clamp dates to the plan where that changes no month's standing, so
        # that everyone employed throughout the plan lands in one cohort.
        start, end = member.start, member.end
        if end is not None and end >= plan_last:
            end = None
        if start < plan_first and (end is None or end >= plan_first):
            start = plan_first
        salary = to_minor(member.salary) if uses_salary and member.salary is not None else 0
        bonus = to_minor(member.target_bonus) if uses_bonus and member.target_bonus else 0
        fte_units = fte_units_of.get(member.fte)
        if fte_units is None:
            fte_units = fte_units_of[member.fte] = member.fte_units
        key = (start, end, fte_units, salary, bonus)
        signatures.setdefault(key, []).append(position)
    groups = [(key, tuple(positions)) for key, positions in signatures.items()]

    # A month wholly before a start or after an end gives a standing that does
    # not depend on the month ("not yet started (starts ...)", "left on ...").
    not_started: dict[date, Standing] = {}
    gone: dict[date, Standing] = {}
    frames = []
    for plan_month in plan.months:
        cohorts = []
        total = 0
        month = plan_month.month
        first, last, days_in_month = month.first_day, month.last_day, month.days
        for (start, end, fte_units, salary, bonus), positions in groups:
            if start <= first and (end is None or end >= last):  # all month: the usual case
                days, units, reason = days_in_month, fte_units * days_in_month, ""
            else:
                leavers = plan.pay_leavers_for_exit_month
                if start > last:
                    standing = not_started.get(start) or not_started.setdefault(
                        start, standing_in(month, start, end, fte_units, leavers)
                    )
                elif end is not None and end < first:
                    standing = gone.get(end) or gone.setdefault(
                        end, standing_in(month, start, end, fte_units, leavers)
                    )
                else:
                    standing = standing_in(month, start, end, fte_units, leavers)
                days, units, reason = standing.days, standing.units, standing.reason
            if plan.funding is FundingStyle.POOL:
                if plan.split is Split.SALARY:
                    split_weight = units * salary
                    if units and not salary:
                        reason = "salary is 0, so no share of a pool split by salary"
                elif plan.split is Split.TARGET_BONUS:
                    split_weight = units * bonus
                    if units and not bonus:
                        reason = "target bonus is 0, so no share of a pool split by target bonus"
                else:
                    split_weight = units
            else:
                split_weight = units * bonus
                if units and not bonus:
                    reason = "target bonus is 0"
            total += split_weight * len(positions)
            cohorts.append(
                Cohort(positions, days, units, split_weight, bonus, reason, end is not None)
            )
        frames.append(MonthFrame(plan_month, tuple(cohorts), total))
    return tuple(frames)


def _individual_exact(scale: Fraction, cohort: Cohort, factor: Fraction, days: int) -> Fraction:
    """One member's exact shared payout (major units x minor scale, i.e. in minor units)."""
    return scale * cohort.bonus * cohort.units * factor / (12 * FTE_SCALE * days)


def held_back(plan: Plan, amount: int) -> int:
    """The part of a line's ``amount`` held until the year end: ``round(holdback x amount)``."""
    return round_half_up(plan.holdback * amount) if plan.holdback else 0


def month_cost(plan: Plan, frame: MonthFrame, scale: Fraction, factor: Fraction) -> MonthCost:
    """What ``frame``'s month costs at payout ``factor`` with the plan's ``scale``.

    Pool funding: the pool ``round(scale x factor)`` if anyone is eligible.
    Individual funding: the sum of every member's rounded
    ``scale x target bonus / 12 x weight x factor``.

    With a holdback, the part held back from members who leave before the
    plan year ends is never paid, so it is not a cost. Each such line adds to
    the rounding bound: at most 2 minor units under pool funding (its share
    is within 1.5 units of the exact share, and the held part is rounded
    again) and 1 under individual funding.
    """
    minor = plan.currency.scale
    if factor == 0 or scale == 0:
        return MonthCost(Fraction(0), 0, 0)
    forfeiting = plan.holdback and any(c.forfeits and c.split_weight for c in frame.cohorts)
    if plan.funding is FundingStyle.POOL:
        if not frame.eligible:
            return MonthCost(Fraction(0), 0, 0)
        exact = scale * factor
        pool = plan.currency.round_to_minor(exact)
        if not forfeiting:
            return MonthCost(exact, pool, 1, Fraction(1, 2))
        groups = [(c.split_weight, c.positions) for c in frame.cohorts]
        forfeited_weight = 0
        forfeited = 0
        lines = 0
        for cohort, share in zip(frame.cohorts, allocate_groups(pool, groups), strict=True):
            if cohort.forfeits and cohort.split_weight:
                count = len(cohort.positions)
                forfeited_weight += cohort.split_weight * count
                bumped = len(share.bumped)
                forfeited += (count - bumped) * held_back(plan, share.base)
                forfeited += bumped * held_back(plan, share.base + share.step)
                lines += count
        kept = 1 - plan.holdback * Fraction(forfeited_weight, frame.total_split_weight)
        return MonthCost(exact * kept, pool - forfeited, 1 + lines, Fraction(1, 2) + 2 * lines)
    days = frame.plan_month.month.days
    exact_minor = Fraction(0)
    paid = 0
    rounded = 0
    forfeit_lines = 0
    for cohort in frame.cohorts:
        if not cohort.split_weight:
            continue
        line = _individual_exact(scale, cohort, factor, days)
        amount = round_half_up(line)
        count = len(cohort.positions)
        if forfeiting and cohort.forfeits:
            exact_minor += line * (1 - plan.holdback) * count
            paid += (amount - held_back(plan, amount)) * count
            forfeit_lines += count
        else:
            exact_minor += line * count
            paid += amount * count
        rounded += count
    bound = Fraction(rounded - forfeit_lines, 2) + forfeit_lines
    return MonthCost(exact_minor / minor, paid, rounded, bound)


def share_out(
    plan: Plan, frame: MonthFrame, scale: Fraction, factor: Fraction
) -> tuple[int, int, list[GroupShare]]:
    """The month's pool, what is paid, and each cohort's shares at payout ``factor``.

    Pool funding: the pool is ``round(scale x factor)``; it is split by
    largest remainder over the cohorts' split weights (ties to the lower
    member id), and paid only if anyone is eligible. Individual funding: each
    member's own amount is rounded and the "pool" is their sum. What is paid
    always equals :func:`month_cost`'s ``paid``.
    """
    if plan.funding is FundingStyle.POOL:
        pool = plan.currency.round_to_minor(scale * factor) if factor else 0
        groups = [(c.split_weight, c.positions) for c in frame.cohorts]
        if not frame.eligible:
            return pool, 0, [GroupShare(0, frozenset(), 1)] * len(groups)
        return pool, pool, allocate_groups(pool, groups)
    days = frame.plan_month.month.days
    shares = []
    for cohort in frame.cohorts:
        amount = (
            round_half_up(_individual_exact(scale, cohort, factor, days))
            if cohort.split_weight
            else 0
        )
        shares.append(GroupShare(amount, frozenset(), 1))
    earned = sum(s.base * len(c.positions) for s, c in zip(shares, frame.cohorts, strict=True))
    return earned, earned, shares
