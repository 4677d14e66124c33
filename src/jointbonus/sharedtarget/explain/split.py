"""The steps from the calibration to the amount: the pool and how it was split.

Under pool funding, the month's pool and its split by largest remainder,
with the member's place in line for a leftover minor unit; under
individual funding, the member's own amount.
"""

from __future__ import annotations

from fractions import Fraction

from jointbonus.core.money import GroupShare
from jointbonus.core.number import decimal_text
from jointbonus.core.periods import Month
from jointbonus.core.roster import FTE_SCALE, Member
from jointbonus.sharedtarget.explain.model import Figure, Step
from jointbonus.sharedtarget.explain.text import (
    RATIO_PLACES,
    Money,
    fraction_text,
    plain,
    ratio_text,
)
from jointbonus.sharedtarget.pay.frame import Cohort
from jointbonus.sharedtarget.plan import Plan, Split
from jointbonus.sharedtarget.results import MonthResult, Result

__all__ = ["individual_step", "pool_step", "split_step", "split_unit"]


def pool_step(result: Result, month_result: MonthResult, money: Money) -> Step:
    """The month's pool: the pool at target x the payout factor, rounded."""
    scale = result.calibration.scale
    factor = month_result.factor or Fraction(0)
    exact = scale * factor
    pool = month_result.pool or 0
    figures = [
        Figure(
            "pool",
            "Pool",
            money.units(pool),
            f"round(pool at target x payout factor) = round({money.major(scale, 6)} x "
            f"{plain(factor)}), halves away from zero",
            fraction_text(exact),
        )
    ]
    if not month_result.frame.eligible:
        figures.append(
            Figure("paid", "Paid", money.units(0), "nobody is eligible this month: not paid")
        )
    return Step("pool", "The month's pool", tuple(figures))


def split_unit(plan: Plan, month: Month) -> tuple[str, Fraction]:
    """What a split weight is, in words, and the divisor taking engine units to it."""
    base = FTE_SCALE * month.days
    if plan.split is Split.SALARY:
        return "weight x annual salary", Fraction(base * plan.currency.scale)
    if plan.split is Split.TARGET_BONUS:
        return "weight x annual target bonus", Fraction(base * plan.currency.scale)
    return "weight", Fraction(base)


def split_step(
    result: Result,
    month_result: MonthResult,
    *,
    position: int,
    cohort: Cohort,
    share: GroupShare,
    money: Money,
) -> Step:
    """The member's share of the pool, by largest remainder, and their leftover unit."""
    plan = result.plan
    paid = month_result.paid
    total = month_result.frame.total_split_weight
    what, per = split_unit(plan, month_result.month)
    cohorts = month_result.frame.cohorts
    sharing = sum(len(c.positions) for c in cohorts if c.split_weight)
    own = Fraction(cohort.split_weight) / per
    figures = [
        Figure("rule", "Split", plan.split.value, f"by {what}: largest remainder"),
        Figure(
            "total_weight",
            "Total weight",
            plain(Fraction(total) / per),
            f"the sum of the {what} of the {sharing} members sharing the pool",
            fraction_text(Fraction(total) / per),
        ),
        Figure(
            "member_weight",
            "Member's weight",
            plain(own),
            "the member's eligible weight"
            if plan.split is Split.EQUAL
            else f"the member's {what}: eligible weight x the annual amount",
            fraction_text(own),
        ),
    ]
    amount = share.share(position)
    sign = -1 if paid < 0 else 1
    exact_minor = Fraction(paid * cohort.split_weight, total)
    figures.append(
        Figure(
            "exact_share",
            "Exact share",
            money.minor(exact_minor, 6),
            f"pool x member's weight / total weight = {money.units(paid)} x {plain(own)} / "
            f"{plain(Fraction(total) / per)}",
            fraction_text(exact_minor / plan.currency.scale),
        )
    )
    floors = sum(
        g.base * len(c.positions) for c, g in zip(cohorts, month_result.shares, strict=True)
    )
    leftover = paid - floors
    figures.append(
        Figure(
            "rounded_down",
            "Rounded toward zero",
            money.units(share.base),
            "every member first gets the exact share rounded toward zero, to the minor unit",
        )
    )
    figures.append(
        Figure(
            "leftover",
            "Leftover units",
            str(abs(leftover)),
            f"pool - the sum of the rounded shares = {money.units(paid)} - {money.units(floors)}"
            f" = {abs(leftover)} x {money.unit}, one each to the largest remainders; equal "
            "remainders go to the lower member id",
        )
    )
    remainder = (abs(paid) * cohort.split_weight) % total
    if remainder == 0:
        verdict = "no: the exact share is a whole number of minor units"
    else:
        larger = sum(
            len(c.positions)
            for c in cohorts
            if c.split_weight and (abs(paid) * c.split_weight) % total > remainder
        )
        tied = sum(
            1
            for c in cohorts
            if c.split_weight and (abs(paid) * c.split_weight) % total == remainder
            for p in c.positions
            if p < position
        )
        place = larger + tied + 1
        got = position in share.bumped
        ahead = (
            f"{larger} members have a larger remainder and {tied} the same remainder "
            "with a lower id"
        )
        verdict = (
            f"{'yes' if got else 'no'}: place {place} in line for {abs(leftover)} leftover "
            f"units ({ahead})"
        )
    figures.append(
        Figure(
            "remainder",
            "Remainder",
            decimal_text(Fraction(remainder, total), RATIO_PLACES),
            f"the part of a minor unit ({money.unit}) dropped when rounding toward zero",
            fraction_text(Fraction(remainder, total)),
        )
    )
    figures.append(
        Figure(
            "leftover_unit",
            "Leftover unit",
            "+1" if position in share.bumped else "0",
            verdict,
        )
    )
    figures.append(
        Figure(
            "amount",
            "Share",
            money.units(amount),
            f"rounded share + leftover unit = {money.units(share.base)} + "
            f"{money.units(sign if position in share.bumped else 0)}",
        )
    )
    return Step("split", "How the pool was split", tuple(figures))


def individual_step(
    result: Result,
    month_result: MonthResult,
    *,
    member: Member,
    cohort: Cohort,
    amount: int,
    money: Money,
) -> Step:
    """The member's own amount under individual funding."""
    plan = result.plan
    month = month_result.month
    scale = result.calibration.scale
    factor = month_result.factor or Fraction(0)
    bonus = cohort.bonus
    weight = Fraction(cohort.units, FTE_SCALE * month.days)
    exact_minor = scale * bonus * weight * factor / 12
    return Step(
        "individual",
        "Individual bonus",
        (
            Figure(
                "exact",
                "Exact amount",
                money.minor(exact_minor, 6),
                f"annual target bonus x multiplier / 12 x eligible weight x payout factor = "
                f"{money.units(bonus)} x {ratio_text(scale)} / 12 x {ratio_text(weight)} x "
                f"{plain(factor)}",
                fraction_text(exact_minor / plan.currency.scale),
            ),
            Figure(
                "amount",
                "Amount",
                money.units(amount),
                "rounded to the minor unit, halves away from zero",
            ),
        ),
    )
