"""What a month costs at an outcome: exact, and after rounding, caps and holdback.

Calibration, the plan summary's pace and the cost risk all cost months here;
the engine pays them with :func:`~jointbonus.sharedtarget.pay.sharing.share_out`.
The three ways a month is costed below -- a plan on the shared goal alone,
a plan with goals without caps, and member by member -- agree to the cent
with what the engine pays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from jointbonus.core.money import allocate_groups
from jointbonus.core.number import round_half_up
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome, Terms, brackets, goal_teams
from jointbonus.sharedtarget.pay.sharing import (
    MonthPay,
    held_back,
    line_factors,
    line_parts,
    member_units,
    pool_exacts,
    share_out,
    target_amount,
)
from jointbonus.sharedtarget.plan import FundingStyle, Plan

__all__ = ["MonthCost", "exact_cost", "month_cost", "team_targets"]

_ONE = Fraction(1)
_ZERO = Fraction(0)


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
    pay: MonthPay | None = None
    """The month's parts and cuts, where they were computed member by member."""


def team_targets(plan: Plan, frame: MonthFrame, *, less_forfeits: bool = False) -> list[Fraction]:
    """Per team (``plan.functional.terms`` order; one entry without goals): the sum of its
    members' target amounts at scale 1, in minor units.

    With ``less_forfeits``, the part a holdback takes from members who leave
    before the year ends is left out: it is never paid. Computed from integer
    sums over the pay groups, with one division per team.
    """
    teams = len(plan.functional.terms) if plan.weighted else 1
    kept = [0] * teams
    forfeit = [0] * teams
    pool = plan.funding is FundingStyle.POOL
    groups = frame.groups
    for split, units, bonus, count, team, forfeits in zip(
        frame.split,
        frame.units,
        groups.bonuses,
        groups.counts,
        groups.teams,
        groups.forfeits,
        strict=True,
    ):
        weight = split if pool else bonus * units
        if not weight or not split:
            continue
        amount = weight * count
        if less_forfeits and plan.holdback and forfeits:
            forfeit[team] += amount
        else:
            kept[team] += amount
    if pool:
        if not frame.eligible:
            return [_ZERO] * teams
        denominator = Fraction(frame.total_split_weight, plan.currency.scale)
    else:
        denominator = Fraction(12 * FTE_SCALE * frame.plan_month.month.days)
    return [(k + (1 - plan.holdback) * f) / denominator for k, f in zip(kept, forfeit, strict=True)]


def exact_cost(plan: Plan, terms: Terms, outcome: Outcome, targets: Sequence[Fraction]) -> Fraction:
    """The month's cost before rounding and caps, minor units, from :func:`team_targets`."""
    return terms.scale * sum(
        (t * b for t, b in zip(targets, brackets(plan, terms, outcome), strict=True)), _ZERO
    )


def month_cost(
    plan: Plan,
    frame: MonthFrame,
    terms: Terms,
    outcome: Outcome,
    year_to_date: Mapping[int, int] | None = None,
) -> MonthCost:
    """What ``frame``'s month costs at ``outcome`` with the plan's ``terms``.

    The cost is what :func:`~jointbonus.sharedtarget.pay.sharing.share_out`
    pays, less the part held back from members who leave before the plan year
    ends (never paid, so not a cost), after the caps (the per-year cap counts
    ``year_to_date``, what each member was paid earlier in the plan year).

    ``bound`` is how far ``paid`` can be from ``exact``: half a minor unit
    per rounded amount (each pool under pool funding, each line of each part
    under individual funding); a line whose held-back part is forfeited adds
    1.5 units per part under pool funding (its share is within 1.5 units of
    the exact share) and half a unit for rounding the held part; a line the
    cap cuts under pool funding adds 3 units per part (its error no longer
    cancels against the others' in the pool).
    """
    if not outcome.pays or terms.scale == 0:
        return MonthCost(_ZERO, 0, 0)
    if not plan.weighted and not plan.functional.caps.any:
        return _plain_cost(plan, frame, terms.scale, outcome.shared)
    groups = frame.groups
    forfeiting = plan.holdback and any(
        f and w for f, w in zip(groups.forfeits, frame.split, strict=True)
    )
    if not plan.functional.caps.any and not forfeiting:
        return _parts_cost(plan, frame, terms, outcome)
    pay = share_out(plan, frame, terms, outcome, year_to_date)
    units = member_units(plan, frame, terms, outcome)
    part_counts = line_parts(plan, terms, outcome)
    pool = plan.funding is FundingStyle.POOL
    exact = _ZERO
    paid = pay.paid
    rounded = sum(1 for part in pay.parts if part.exact) if pool else 0
    bound = Fraction(rounded, 2)
    cut_positions = set(pay.cuts)
    month_cap = plan.functional.caps.per_month
    for group, (unit, members, team, forfeits) in enumerate(
        zip(units, groups.positions, groups.teams, groups.forfeits, strict=True)
    ):
        if not unit:
            continue
        count = len(members)
        parts = part_counts[team]
        if not pool:
            rounded += parts * count
            bound += Fraction(parts * count, 2)
        capped_exact = min(unit, Fraction(month_cap)) if month_cap is not None else unit
        binding = month_cap is not None and unit >= month_cap
        forfeited = bool(plan.holdback) and forfeits
        kept = (1 - plan.holdback) if forfeited else _ONE
        exact += capped_exact * kept * count
        if pool:
            cut = (
                count
                if binding
                else len(cut_positions.intersection(members))
                if cut_positions
                else 0
            )
            bound += 3 * parts * cut
        if forfeited:
            bound += (Fraction(1, 2) + (Fraction(3, 2) * parts if pool else 0)) * count
            for position in members:
                paid -= held_back(plan, pay.amount(group, position) - pay.cuts.get(position, 0))
    return MonthCost(exact / plan.currency.scale, paid, rounded, bound, pay)


def _parts_cost(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> MonthCost:
    """:func:`month_cost` of a plan with goals, without caps or forfeited holdbacks: the
    parts' pools (or lines) are paid in full, so nothing is shared out member by member."""
    teams = goal_teams(plan)
    exact = exact_cost(plan, terms, outcome, team_targets(plan, frame))
    groups = frame.groups
    if plan.funding is FundingStyle.POOL:
        if not frame.eligible:
            return MonthCost(_ZERO, 0, 0)
        exacts, _ = pool_exacts(plan, frame, terms, outcome, teams)
        rounded = sum(1 for e in exacts if e)
        paid = sum(round_half_up(e) for e in exacts)
        return MonthCost(exact / plan.currency.scale, paid, rounded, Fraction(rounded, 2))
    days = frame.plan_month.month.days
    factors = line_factors(plan, terms, outcome, teams)
    paid = 0
    rounded = 0
    for split, units, bonus, count, team in zip(
        frame.split, frame.units, groups.bonuses, groups.counts, groups.teams, strict=True
    ):
        if not split:
            continue
        target = target_amount(terms.scale, bonus, units, days)
        for by_team in factors:
            if by_team[team]:
                paid += round_half_up(target * by_team[team]) * count
                rounded += count
    return MonthCost(exact / plan.currency.scale, paid, rounded, Fraction(rounded, 2))


def _plain_cost(plan: Plan, frame: MonthFrame, scale: Fraction, factor: Fraction) -> MonthCost:
    """:func:`month_cost` of a plan on the shared goal alone, without caps: one pool or
    one line per member, computed per pay group."""
    minor = plan.currency.scale
    groups = frame.groups
    forfeiting = plan.holdback and any(
        f and w for f, w in zip(groups.forfeits, frame.split, strict=True)
    )
    if plan.funding is FundingStyle.POOL:
        if not frame.eligible:
            return MonthCost(_ZERO, 0, 0)
        exact = scale * factor
        pool = plan.currency.round_to_minor(exact)
        if not forfeiting:
            return MonthCost(exact, pool, 1, Fraction(1, 2))
        shares = allocate_groups(pool, list(zip(frame.split, groups.positions, strict=True)))
        forfeited_weight = 0
        forfeited = 0
        lines = 0
        for split, count, forfeits, share in zip(
            frame.split, groups.counts, groups.forfeits, shares, strict=True
        ):
            if forfeits and split:
                forfeited_weight += split * count
                bumped = len(share.bumped)
                forfeited += (count - bumped) * held_back(plan, share.base)
                forfeited += bumped * held_back(plan, share.base + share.step)
                lines += count
        kept = 1 - plan.holdback * Fraction(forfeited_weight, frame.total_split_weight)
        return MonthCost(exact * kept, pool - forfeited, 1 + lines, Fraction(1, 2) + 2 * lines)
    days = frame.plan_month.month.days
    exact_minor = _ZERO
    paid = 0
    rounded = 0
    forfeit_lines = 0
    for split, units, bonus, count, forfeits in zip(
        frame.split, frame.units, groups.bonuses, groups.counts, groups.forfeits, strict=True
    ):
        if not split:
            continue
        line = target_amount(scale, bonus, units, days) * factor
        amount = round_half_up(line)
        if forfeiting and forfeits:
            exact_minor += line * (1 - plan.holdback) * count
            paid += (amount - held_back(plan, amount)) * count
            forfeit_lines += count
        else:
            exact_minor += line * count
            paid += amount * count
        rounded += count
    bound = Fraction(rounded - forfeit_lines, 2) + forfeit_lines
    return MonthCost(exact_minor / minor, paid, rounded, bound)
