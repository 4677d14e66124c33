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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from math import lcm

from jointbonus._gc import paused_gc
from jointbonus.core.money import GroupShare, allocate_groups
from jointbonus.core.number import round_half_up
from jointbonus.core.roster import FTE_SCALE, Standing, standing_in
from jointbonus.sharedtarget.plan import FundingStyle, Plan, PlanMonth, Split

__all__ = [
    "Cohort",
    "MonthCost",
    "MonthFrame",
    "MonthPay",
    "Outcome",
    "Part",
    "Terms",
    "exact_cost",
    "frame_months",
    "held_back",
    "line_parts",
    "member_units",
    "month_cost",
    "outcome_at",
    "share_out",
    "team_targets",
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
    team: int = 0
    """Place of the members' team in ``plan.functional.terms`` (0 when no team has goals)."""


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
    pay: MonthPay | None = None
    """The month's parts and cuts, where they were computed member by member."""


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

    teams = {terms.team: index for index, terms in enumerate(plan.functional.terms)}
    by_team = plan.weighted
    signatures: dict[tuple[date, date | None, int, int, int, int], list[int]] = {}
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
        key = (start, end, fte_units, salary, bonus, teams[member.team] if by_team else 0)
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
        for (start, end, fte_units, salary, bonus, team), positions in groups:
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
                Cohort(positions, days, units, split_weight, bonus, reason, end is not None, team)
            )
        frames.append(MonthFrame(plan_month, tuple(cohorts), total))
    return tuple(frames)


@dataclass(frozen=True, slots=True)
class Outcome:
    """A month's payout factors: the shared goal's and each functional goal's, after gates.

    ``team_shared`` holds, per team of ``plan.functional.terms``, the factor
    its shared part pays at: the shared factor, or 0 where the shared gate is
    closed (empty: the shared factor for every team). ``functional`` holds
    each goal's factor in ``plan.goals`` order, 0 where the functional gate
    is closed.
    """

    shared: Fraction
    team_shared: tuple[Fraction, ...] = ()
    functional: tuple[Fraction, ...] = ()

    def shared_for(self, team: int) -> Fraction:
        return self.team_shared[team] if self.team_shared else self.shared

    @property
    def pays(self) -> bool:
        """Whether any part can pay at this outcome."""
        shared = any(self.team_shared) if self.team_shared else bool(self.shared)
        return shared or any(self.functional)


@dataclass(frozen=True, slots=True)
class Terms:
    """What calibration fixes: the scale and each team's nominal shared weight."""

    scale: Fraction
    """Pool at target per month (major units) or target bonus multiplier."""
    weights: tuple[Fraction, ...] = ()
    """Shared weight w per team of ``plan.functional.terms``; empty means 1 for all."""

    def weight(self, team: int) -> Fraction:
        return self.weights[team] if self.weights else _ONE


_ONE = Fraction(1)
_ZERO = Fraction(0)
_NO_SHARE = GroupShare(0, frozenset(), 1)


def outcome_at(
    plan: Plan, shared_attainment: Fraction, goal_attainments: Sequence[Fraction] = ()
) -> Outcome:
    """The payout factors at a month's attainments (``goal_attainments`` by ``plan.goals``).

    Functional gate: no functional part pays below it (shared attainment).
    Shared gate: a team's shared part pays only if each of its goals reaches it.
    """
    shared = plan.curve.factor(shared_attainment)
    if not plan.weighted:
        return Outcome(shared)
    gates = plan.functional.gates
    goals = plan.goals
    functional_open = gates.functional is None or shared_attainment >= gates.functional
    factors = tuple(
        goal.curve.factor(a) if functional_open else _ZERO
        for goal, a in zip(goals, goal_attainments, strict=True)
    )
    if gates.shared is None:
        return Outcome(shared, (), factors)
    gate = gates.shared
    team_shared = tuple(
        shared
        if all(a >= gate for g, a in zip(goals, goal_attainments, strict=True) if g.team == t.team)
        else _ZERO
        for t in plan.functional.terms
    )
    return Outcome(shared, team_shared, factors)


def _goal_teams(plan: Plan) -> list[int]:
    teams = {terms.team: index for index, terms in enumerate(plan.functional.terms)}
    return [teams[goal.team] for goal in plan.goals]


def member_units(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> list[Fraction]:
    """Each cohort's exact amount per member, in minor units, before rounding, caps or holdback.

    A member's **target amount** is their share of the pool at target (pool
    funding: ``scale x split weight / total split weight``) or their target
    bonus for the month (individual: ``scale x target bonus / 12 x weight``);
    the amount is the target amount x ``(w x shared factor + (1 - w) x sum of
    goal weight x goal factor)`` for their team.
    """
    minor = plan.currency.scale
    brackets = _brackets(plan, terms, outcome)
    if plan.funding is FundingStyle.POOL:
        if not frame.eligible:
            return [_ZERO] * len(frame.cohorts)
        per_weight = terms.scale * minor / frame.total_split_weight
        return [per_weight * c.split_weight * brackets[c.team] for c in frame.cohorts]
    days = frame.plan_month.month.days
    return [
        _target_amount(terms.scale, c, days) * brackets[c.team] if c.split_weight else _ZERO
        for c in frame.cohorts
    ]


def team_targets(plan: Plan, frame: MonthFrame, *, less_forfeits: bool = False) -> list[Fraction]:
    """Per team (``plan.functional.terms`` order; one entry without goals): the sum of its
    members' target amounts at scale 1, in minor units.

    With ``less_forfeits``, the part a holdback takes from members who leave
    before the year ends is left out: it is never paid. Computed from integer
    sums over the cohorts, with one division per team.
    """
    teams = len(plan.functional.terms) if plan.weighted else 1
    kept = [0] * teams
    forfeit = [0] * teams
    pool = plan.funding is FundingStyle.POOL
    for cohort in frame.cohorts:
        weight = cohort.split_weight if pool else cohort.bonus * cohort.units
        if not weight or not cohort.split_weight:
            continue
        amount = weight * len(cohort.positions)
        if less_forfeits and plan.holdback and cohort.forfeits:
            forfeit[cohort.team] += amount
        else:
            kept[cohort.team] += amount
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
        (t * b for t, b in zip(targets, _brackets(plan, terms, outcome), strict=True)), _ZERO
    )


def _brackets(plan: Plan, terms: Terms, outcome: Outcome) -> list[Fraction]:
    """Per team: ``w x shared factor (if open) + (1 - w) x sum of goal weight x factor``."""
    if not plan.weighted:
        return [outcome.shared]
    result = []
    goal_teams = _goal_teams(plan)
    for team, _ in enumerate(plan.functional.terms):
        w = terms.weight(team)
        value = w * outcome.shared_for(team)
        for goal, goal_team, factor in zip(plan.goals, goal_teams, outcome.functional, strict=True):
            if goal_team == team:
                value += (1 - w) * goal.weight * factor
        result.append(value)
    return result


def _target_amount(scale: Fraction, cohort: Cohort, days: int) -> Fraction:
    """One member's target bonus for the month at ``scale``, in minor units."""
    return scale * cohort.bonus * cohort.units / (12 * FTE_SCALE * days)


def held_back(plan: Plan, amount: int) -> int:
    """The part of a line's ``amount`` held until the year end: ``round(holdback x amount)``."""
    return round_half_up(plan.holdback * amount) if plan.holdback else 0


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a month's pay: the shared goal's, or one functional goal's.

    Pool funding: the part's own pool, rounded, split by largest remainder.
    Individual funding: each member's line of the part, rounded; ``pool`` is
    their sum.
    """

    pool: int
    exact: Fraction
    """The part before rounding, minor units."""
    shares: tuple[GroupShare, ...]
    """Each cohort's shares, in ``frame.cohorts`` order."""


@dataclass(frozen=True, slots=True)
class MonthPay:
    """A month paid at one outcome: each part, and what the caps cut from whom."""

    shared: Part
    functional: tuple[Part, ...]
    """One part per goal of ``plan.goals``."""
    cuts: Mapping[int, int]
    """Minor units the caps cut from each member (by position); members not cut are absent."""
    earned: int
    """The parts' sum over every member, before caps."""

    @property
    def paid(self) -> int:
        """What members are owed for the month: earned less what the caps cut."""
        return self.earned - sum(self.cuts.values())

    @property
    def parts(self) -> tuple[Part, ...]:
        return (self.shared, *self.functional)

    def amount(self, index: int, position: int) -> int:
        """Before caps: what the member at ``position`` (of cohort ``index``) earns."""
        return sum(part.shares[index].share(position) for part in self.parts)


def share_out(
    plan: Plan,
    frame: MonthFrame,
    terms: Terms,
    outcome: Outcome,
    year_to_date: Mapping[int, int] | None = None,
) -> MonthPay:
    """The month's parts and each cohort's shares at ``outcome``, then the caps.

    Pool funding: each part's pool is ``round(exact part)``: the shared part
    is ``scale x shared factor x sum over teams whose shared part pays of w x
    team split weight / total``, split by split weight x w; a goal's part is
    ``scale x goal factor x (1 - w) x goal weight x team split weight /
    total``, split within the team by split weight. Shares go by largest
    remainder (ties to the lower member id); nothing is paid if nobody is
    eligible. Individual funding: each member's line of each part is rounded.

    Caps are applied to each member's month total after the parts are shared
    out: at most ``caps.per_month``, and at most ``caps.per_year`` less
    ``year_to_date`` (what the member was paid earlier in the plan year).
    """
    cohorts = frame.cohorts
    goal_teams = _goal_teams(plan)
    if plan.funding is FundingStyle.POOL:
        parts = _pool_parts(plan, frame, terms, outcome, goal_teams)
    else:
        parts = _line_parts(plan, frame, terms, outcome, goal_teams)
    earned = sum(
        share.base * len(c.positions) + share.step * len(share.bumped)
        for part in parts
        for share, c in zip(part.shares, cohorts, strict=True)
    )
    cuts = _cuts(plan, frame, parts, year_to_date) if plan.functional.caps.any else {}
    return MonthPay(parts[0], tuple(parts[1:]), cuts, earned)


def _pool_exacts(
    plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome, goal_teams: list[int]
) -> tuple[list[Fraction], list[int]]:
    """Each part's exact pool (minor units) of an eligible month of a plan with goals, and
    each team's whole-number weight in the shared pool."""
    minor = plan.currency.scale
    total = frame.total_split_weight
    team_weight = [0] * len(plan.functional.terms)
    for c in frame.cohorts:
        team_weight[c.team] += c.split_weight * len(c.positions)
    # A team's slice of the shared pool: w x its shared factor x its split weight.
    weights = [terms.weight(t) * outcome.shared_for(t) for t in range(len(team_weight))]
    common = lcm(*(w.denominator for w in weights))
    per_weight = terms.scale * minor / total
    exacts = [per_weight * sum((w * tw for w, tw in zip(weights, team_weight, strict=True)), _ZERO)]
    for goal, team, factor in zip(plan.goals, goal_teams, outcome.functional, strict=True):
        exacts.append(
            per_weight * factor * (1 - terms.weight(team)) * goal.weight * team_weight[team]
        )
    return exacts, [int(w * common) for w in weights]


def _pool_parts(
    plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome, goal_teams: list[int]
) -> list[Part]:
    cohorts = frame.cohorts
    count = 1 + len(goal_teams)
    if not frame.eligible:  # nobody to pay: the pool is stated, nothing is shared out
        nominal = round_half_up(terms.scale * outcome.shared * plan.currency.scale)
        return [Part(nominal, _ZERO, (_NO_SHARE,) * len(cohorts))] + [
            Part(0, _ZERO, (_NO_SHARE,) * len(cohorts))
        ] * (count - 1)
    if not plan.weighted:
        exact = terms.scale * outcome.shared * plan.currency.scale
        pool = round_half_up(exact)
        groups = [(c.split_weight, c.positions) for c in cohorts]
        return [Part(pool, exact, tuple(allocate_groups(pool, groups)))]
    exacts, whole = _pool_exacts(plan, frame, terms, outcome, goal_teams)
    parts = [
        _pool_part(exacts[0], [(c.split_weight * whole[c.team], c.positions) for c in cohorts])
    ]
    for exact, team in zip(exacts[1:], goal_teams, strict=True):
        groups = [(c.split_weight if c.team == team else 0, c.positions) for c in cohorts]
        parts.append(_pool_part(exact, groups))
    return parts


def _pool_part(exact: Fraction, groups: list[tuple[int, tuple[int, ...]]]) -> Part:
    pool = round_half_up(exact)
    if not pool:
        return Part(0, exact, (_NO_SHARE,) * len(groups))
    return Part(pool, exact, tuple(allocate_groups(pool, groups)))


def _line_parts(
    plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome, goal_teams: list[int]
) -> list[Part]:
    days = frame.plan_month.month.days
    targets = [
        _target_amount(terms.scale, c, days) if c.split_weight else _ZERO for c in frame.cohorts
    ]
    factors = _line_factors(plan, terms, outcome, goal_teams)
    parts = []
    for by_team in factors:
        exact = _ZERO
        pool = 0
        shares = []
        for cohort, target in zip(frame.cohorts, targets, strict=True):
            line = target * by_team[cohort.team]
            amount = round_half_up(line)
            exact += line * len(cohort.positions)
            pool += amount * len(cohort.positions)
            shares.append(GroupShare(amount, frozenset(), 1) if amount else _NO_SHARE)
        parts.append(Part(pool, exact, tuple(shares)))
    return parts


def line_parts(plan: Plan, terms: Terms, outcome: Outcome) -> list[int]:
    """Per team: how many parts of a member's line can be non-zero at ``outcome``."""
    factors = _line_factors(plan, terms, outcome, _goal_teams(plan))
    teams = len(factors[0])
    return [sum(1 for by_team in factors if by_team[t]) for t in range(teams)]


def _line_factors(
    plan: Plan, terms: Terms, outcome: Outcome, goal_teams: list[int]
) -> list[list[Fraction]]:
    """Per part, per team: the factor on a member's target amount (individual funding)."""
    teams = range(len(plan.functional.terms) if plan.weighted else 1)
    factors = [[terms.weight(t) * outcome.shared_for(t) for t in teams]]
    for goal, team, factor in zip(plan.goals, goal_teams, outcome.functional, strict=True):
        factors.append(
            [(1 - terms.weight(t)) * goal.weight * factor if t == team else _ZERO for t in teams]
        )
    return factors


def _cuts(
    plan: Plan,
    frame: MonthFrame,
    parts: Sequence[Part],
    year_to_date: Mapping[int, int] | None,
) -> dict[int, int]:
    """What the caps cut from each member's month total (members cut only)."""
    caps = plan.functional.caps
    ytd = year_to_date or {}
    cuts: dict[int, int] = {}
    for index, cohort in enumerate(frame.cohorts):
        shares = [part.shares[index] for part in parts]
        most = sum(s.base + max(s.step, 0) for s in shares)
        if most <= 0:
            continue
        if (caps.per_month is None or most <= caps.per_month) and (
            caps.per_year is None
            or most + max((ytd.get(p, 0) for p in cohort.positions), default=0) <= caps.per_year
        ):
            continue
        for position in cohort.positions:
            amount = sum(s.share(position) for s in shares)
            allowed = amount
            if caps.per_month is not None:
                allowed = min(allowed, caps.per_month)
            if caps.per_year is not None:
                allowed = min(allowed, max(caps.per_year - ytd.get(position, 0), 0))
            if allowed < amount:
                cuts[position] = amount - allowed
    return cuts


def month_cost(
    plan: Plan,
    frame: MonthFrame,
    terms: Terms,
    outcome: Outcome,
    year_to_date: Mapping[int, int] | None = None,
) -> MonthCost:
    """What ``frame``'s month costs at ``outcome`` with the plan's ``terms``.

    The cost is what :func:`share_out` pays, less the part held back from
    members who leave before the plan year ends (never paid, so not a cost),
    after the caps (the per-year cap counts ``year_to_date``, what each
    member was paid earlier in the plan year).

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
    forfeiting = plan.holdback and any(c.forfeits and c.split_weight for c in frame.cohorts)
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
    for index, (cohort, unit) in enumerate(zip(frame.cohorts, units, strict=True)):
        if not unit:
            continue
        count = len(cohort.positions)
        parts = part_counts[cohort.team]
        if not pool:
            rounded += parts * count
            bound += Fraction(parts * count, 2)
        capped_exact = min(unit, Fraction(month_cap)) if month_cap is not None else unit
        binding = month_cap is not None and unit >= month_cap
        forfeits = bool(plan.holdback) and cohort.forfeits
        kept = (1 - plan.holdback) if forfeits else _ONE
        exact += capped_exact * kept * count
        if pool:
            cut = (
                count
                if binding
                else len(cut_positions.intersection(cohort.positions))
                if cut_positions
                else 0
            )
            bound += 3 * parts * cut
        if forfeits:
            bound += (Fraction(1, 2) + (Fraction(3, 2) * parts if pool else 0)) * count
            for position in cohort.positions:
                paid -= held_back(plan, pay.amount(index, position) - pay.cuts.get(position, 0))
    return MonthCost(exact / plan.currency.scale, paid, rounded, bound, pay)


def _parts_cost(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> MonthCost:
    """:func:`month_cost` of a plan with goals, without caps or forfeited holdbacks: the
    parts' pools (or lines) are paid in full, so nothing is shared out member by member."""
    goal_teams = _goal_teams(plan)
    exact = exact_cost(plan, terms, outcome, team_targets(plan, frame))
    if plan.funding is FundingStyle.POOL:
        if not frame.eligible:
            return MonthCost(_ZERO, 0, 0)
        exacts, _ = _pool_exacts(plan, frame, terms, outcome, goal_teams)
        rounded = sum(1 for e in exacts if e)
        paid = sum(round_half_up(e) for e in exacts)
        return MonthCost(exact / plan.currency.scale, paid, rounded, Fraction(rounded, 2))
    parts = _line_parts(plan, frame, terms, outcome, goal_teams)
    paid = sum(part.pool for part in parts)
    factors = _line_factors(plan, terms, outcome, goal_teams)
    rounded = sum(
        len(c.positions)
        for by_team in factors
        for c in frame.cohorts
        if c.split_weight and by_team[c.team]
    )
    return MonthCost(exact / plan.currency.scale, paid, rounded, Fraction(rounded, 2))


def _plain_cost(plan: Plan, frame: MonthFrame, scale: Fraction, factor: Fraction) -> MonthCost:
    """:func:`month_cost` of a plan on the shared goal alone, without caps: one pool or
    one line per member, computed per cohort."""
    minor = plan.currency.scale
    forfeiting = plan.holdback and any(c.forfeits and c.split_weight for c in frame.cohorts)
    if plan.funding is FundingStyle.POOL:
        if not frame.eligible:
            return MonthCost(_ZERO, 0, 0)
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
    exact_minor = _ZERO
    paid = 0
    rounded = 0
    forfeit_lines = 0
    for cohort in frame.cohorts:
        if not cohort.split_weight:
            continue
        line = _target_amount(scale, cohort, days) * factor
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
