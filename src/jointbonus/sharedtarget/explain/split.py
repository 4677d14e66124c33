"""The steps from the calibration to the amount: the pool and how it was split.

Under pool funding, the month's pool and its split by largest remainder,
with the member's place in line for a leftover minor unit; under
individual funding, the member's own amount.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor

from jointbonus.core.periods import Month
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.explain.model import Figure, Place, Step, group_of
from jointbonus.sharedtarget.explain.text import (
    BY_ROW,
    Money,
    fraction_text,
    plain,
    ratio_text,
    weighting_text,
)
from jointbonus.sharedtarget.plan import Plan, Split
from jointbonus.sharedtarget.results import MonthResult, Result

__all__ = ["individual_step", "pool_step", "split_step", "split_unit"]


def pool_step(result: Result, month_result: MonthResult, money: Money) -> Step:
    """The month's pool: the pool at target x the payout factor, rounded."""
    scale = result.calibration.scale
    factor = month_result.factor or Fraction(0)
    exact = scale * month_result.weighting * factor
    pool = month_result.pool or 0
    words, figures_of = weighting_text(month_result.weighting)
    figures = [
        Figure(
            "pool",
            "Pool",
            money.units(pool),
            f"round(pool at target{words} x payout factor) = round({money.major(scale, 6)}"
            f"{figures_of} x {plain(factor)}), halves away from zero",
            fraction_text(exact),
        )
    ]
    if not month_result.eligible:
        figures.append(
            Figure("paid", "Paid", money.units(0), "nobody is eligible this month: not paid")
        )
    return Step("pool", "The month's pool", tuple(figures))


def split_unit(plan: Plan, month: Month, *, own: bool = False) -> tuple[str, Fraction]:
    """What a split weight is, in words, and the divisor taking engine units to it; ``own``:
    of a goal paid on the month's own weights beside a longer shared period."""
    period = None if own else plan.period_of(month)  # a longer one: weights over the period
    base = FTE_SCALE * (month.days if period is None else period.weight_days)
    if plan.split is Split.SALARY:
        return "weight x annual salary", Fraction(base * plan.currency.scale)
    if plan.split is Split.TARGET_BONUS:
        return "weight x annual target bonus", Fraction(base * plan.currency.scale)
    return "weight", Fraction(base)


def split_step(result: Result, month_result: MonthResult, *, place: Place, money: Money) -> Step:
    """The member's share of the pool, by largest remainder, and their leftover unit."""
    plan = result.plan
    paid = month_result.paid
    split = month_result.splits[0]
    group = group_of(split, place.position)
    position = place.position
    total = split.total_weight
    what, per = split_unit(plan, month_result.month)
    own = group.weight / per
    figures = [
        Figure("rule", "Split", plan.split.value, f"by {what}: largest remainder"),
        Figure(
            "total_weight",
            "Total weight",
            plain(total / per),
            f"the sum of the {what} of the {split.sharing} members sharing the pool",
            fraction_text(total / per),
        ),
        Figure(
            "member_weight",
            "Member's weight",
            plain(own),
            ("the member's eligible weight" + _over_period(plan, month_result))
            if plan.split is Split.EQUAL
            else f"the member's {what}: eligible weight x the annual amount",
            fraction_text(own),
        ),
    ]
    amount = group.share(position)
    sign = -1 if paid < 0 else 1
    exact_minor = paid * group.weight / total
    figures.append(
        Figure(
            "exact_share",
            "Exact share",
            money.minor(exact_minor, 6),
            f"pool x member's weight / total weight = {money.units(paid)} x {plain(own)} / "
            f"{plain(total / per)}",
            fraction_text(exact_minor / plan.currency.scale),
        )
    )
    floors = sum(g.base * len(g.positions) for g in split.groups)
    leftover = paid - floors
    figures.append(
        Figure(
            "rounded_down",
            "Rounded toward zero",
            money.units(group.base),
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

    def remainder_of(weight: Fraction) -> Fraction:
        exact = abs(paid) * weight / total
        return exact - floor(exact)

    remainder = remainder_of(group.weight)
    if remainder == 0:
        verdict = "no: the exact share is a whole number of minor units"
    else:
        larger = sum(
            len(g.positions)
            for g in split.groups
            if g.weight and remainder_of(g.weight) > remainder
        )
        tied = sum(
            1
            for g in split.groups
            if g.weight and remainder_of(g.weight) == remainder
            for p in g.positions
            if p < position
        )
        place_in_line = larger + tied + 1
        got = position in group.bumped
        ahead = (
            f"{larger} members have a larger remainder and {tied} the same remainder "
            "with a lower id"
        )
        verdict = (
            f"{'yes' if got else 'no'}: place {place_in_line} in line for {abs(leftover)} "
            f"leftover units ({ahead})"
        )
    figures.append(
        Figure(
            "remainder",
            "Remainder",
            ratio_text(remainder),
            f"the part of a minor unit ({money.unit}) dropped when rounding toward zero",
            fraction_text(remainder),
        )
    )
    figures.append(
        Figure(
            "leftover_unit",
            "Leftover unit",
            "+1" if position in group.bumped else "0",
            verdict,
        )
    )
    figures.append(
        Figure(
            "amount",
            "Share",
            money.units(amount),
            f"rounded share + leftover unit = {money.units(group.base)} + "
            f"{money.units(sign if position in group.bumped else 0)}",
        )
    )
    return Step("split", "How the pool was split", tuple(figures))


def individual_step(
    result: Result, month_result: MonthResult, *, place: Place, amount: int, money: Money
) -> Step:
    """The member's own amount under individual funding."""
    plan = result.plan
    scale = result.calibration.scale
    factor = month_result.factor or Fraction(0)
    bonus = place.bonus
    weight = place.line.weight
    exact_minor = scale * month_result.weighting * place.bonus_weight * factor / 12
    words, figures_of = weighting_text(month_result.weighting)
    return Step(
        "individual",
        "Individual bonus",
        (
            Figure(
                "exact",
                "Exact amount",
                money.minor(exact_minor, 6),
                f"annual target bonus x multiplier{words} / 12 x eligible weight x payout "
                f"factor = {money.units(bonus)} x {ratio_text(scale)}{figures_of} / 12 x "
                f"{ratio_text(weight)} x {plain(factor)}"
                if place.bonus_weight == bonus * weight
                else f"multiplier{words} / 12 x {BY_ROW} x payout factor = "
                f"{ratio_text(scale)}{figures_of} / 12 x {money.minor(place.bonus_weight, 6)} x "
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


def _over_period(plan: Plan, month_result: MonthResult) -> str:
    """For a month that pays a longer shared period: that the weight is over the period."""
    if not month_result.shared_period:
        return ""
    return f" over {month_result.shared_period}: the sum over its months"
