"""What a month costs at an outcome: exact, and after rounding, caps and holdback.

Calibration, the plan summary's pace and the cost risk all cost months here;
the engine pays them with :func:`~jointbonus.sharedtarget.pay.sharing.share_out`.
The three ways a month is costed below -- a plan on the shared goal alone,
a plan with goals without caps, and a month shared out group by group and
capped (:class:`MonthCoster`) -- agree to the cent with what the engine pays.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from operator import mul
from typing import NamedTuple

from jointbonus.core.money import allocate_groups
from jointbonus.core.number import round_half_up, round_product
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.pay.caps import Runs, YearToDate
from jointbonus.sharedtarget.pay.groups import MonthFrame
from jointbonus.sharedtarget.pay.outcome import Outcome, Terms, brackets, goal_teams
from jointbonus.sharedtarget.pay.sharing import (
    MonthPay,
    held_back,
    line_factors,
    line_parts,
    member_parts,
    member_values,
    mixed_amount,
    month_units,
    pool_exacts,
    share_parts,
    split_outcomes,
    team_rates,
    team_split_weights,
)
from jointbonus.sharedtarget.plan import FundingStyle, Plan

__all__ = [
    "ExactCosts",
    "LineTable",
    "MonthCost",
    "MonthCoster",
    "costers_for",
    "exact_cost",
    "month_cost",
    "part_targets",
    "split_exact_cost",
    "team_targets",
]

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
    """The month's parts and cuts, where the month was shared out (caps or forfeits)."""


def team_targets(plan: Plan, frame: MonthFrame, *, less_forfeits: bool = False) -> list[Fraction]:
    """Per team (``plan.functional.terms`` order; one entry without goals): the sum of its
    members' target amounts at scale 1, in minor units.

    With ``less_forfeits``, the part a holdback takes from members who leave
    before the year ends is left out: it is never paid. Computed from integer
    sums over the pay groups, with one division per team.
    """
    teams = len(plan.functional.terms) if plan.weighted else 1
    pool = plan.funding is FundingStyle.POOL
    values = member_values(plan, frame)
    if less_forfeits and plan.holdback:
        forfeits = frame.groups.forfeits
        kept = team_split_weights(plan, frame, values, only=[not f for f in forfeits])
        forfeit = team_split_weights(plan, frame, values, only=forfeits)
    else:
        kept = team_split_weights(plan, frame, values)
        forfeit = [0] * teams
    if pool:
        if not frame.eligible:
            return [_ZERO] * teams
        denominator = Fraction(frame.total_split_weight, plan.currency.scale)
    else:
        denominator = Fraction(12 * FTE_SCALE * frame.days)
    return [
        frame.at_target((k + (1 - plan.holdback) * f) / denominator)
        for k, f in zip(kept, forfeit, strict=True)
    ]


def exact_cost(plan: Plan, terms: Terms, outcome: Outcome, targets: Sequence[Fraction]) -> Fraction:
    """The month's cost before rounding and caps, minor units, from :func:`team_targets`."""
    return terms.scale * sum(
        (t * b for t, b in zip(targets, brackets(plan, terms, outcome), strict=True)), _ZERO
    )


def part_targets(
    plan: Plan, frame: MonthFrame, *, less_forfeits: bool = False
) -> tuple[list[Fraction], list[Fraction]]:
    """Per team, :func:`team_targets` of the frame its shared part is paid on and of the one
    its goals are paid on: the same frame, unless the month pays its goals on its own
    (:attr:`~jointbonus.sharedtarget.pay.groups.MonthFrame.own`)."""
    if frame.own is None:
        targets = team_targets(plan, frame, less_forfeits=less_forfeits)
        return targets, targets
    return (
        team_targets(plan, replace(frame, own=None), less_forfeits=less_forfeits),
        team_targets(plan, frame.own, less_forfeits=less_forfeits),
    )


def split_exact_cost(
    plan: Plan,
    terms: Terms,
    outcome: Outcome,
    targets: tuple[Sequence[Fraction], Sequence[Fraction]],
) -> Fraction:
    """:func:`exact_cost` with the shared part and the goals on targets of their own
    (:func:`part_targets`)."""
    shared, goals = targets
    if shared is goals:
        return exact_cost(plan, terms, outcome, shared)
    shared_only, goals_only = split_outcomes(outcome)
    return exact_cost(plan, terms, shared_only, shared) + exact_cost(plan, terms, goals_only, goals)


class ExactCosts:
    """:func:`split_exact_cost` of many outcomes at one plan's ``terms``, each outcome's
    :func:`brackets` found once (the months of a plan meet the same outcomes again)."""

    __slots__ = ("_found", "_plan", "_terms")

    def __init__(self, plan: Plan, terms: Terms) -> None:
        self._plan = plan
        self._terms = terms
        # By identity: the same outcome objects recur; each kept beside its brackets.
        self._found: dict[int, tuple[Outcome, list[Fraction]]] = {}

    def _brackets(self, outcome: Outcome) -> list[Fraction]:
        found = self._found.get(id(outcome))
        if found is None:
            found = self._found[id(outcome)] = (
                outcome,
                brackets(self._plan, self._terms, outcome),
            )
        return found[1]

    def cost(
        self, outcome: Outcome, targets: tuple[Sequence[Fraction], Sequence[Fraction]]
    ) -> Fraction:
        """:func:`split_exact_cost` of ``outcome``."""
        shared, goals = targets
        if shared is not goals:
            return split_exact_cost(self._plan, self._terms, outcome, targets)
        return self._terms.scale * sum(map(mul, shared, self._brackets(outcome)), _ZERO)

    def counted(
        self,
        counts: Mapping[Outcome, int],
        targets: tuple[Sequence[Fraction], Sequence[Fraction]],
    ) -> Fraction:
        """The sum of each outcome's :func:`split_exact_cost` times its count: the scale
        times each team's target times its brackets summed over the outcomes, counted."""
        shared, goals = targets
        if shared is not goals:
            return sum(
                (
                    split_exact_cost(self._plan, self._terms, outcome, targets) * count
                    for outcome, count in counts.items()
                ),
                _ZERO,
            )
        summed = [_ZERO] * len(shared)
        for outcome, count in counts.items():
            for t, bracket in enumerate(self._brackets(outcome)):
                summed[t] += bracket * count
        return self._terms.scale * sum(map(mul, shared, summed), _ZERO)


def month_cost(
    plan: Plan,
    frame: MonthFrame,
    terms: Terms,
    outcome: Outcome,
    year_to_date: YearToDate | None = None,
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

    To cost one month at many outcomes, or one outcome under many years to
    date, use a :class:`MonthCoster`: it shares each outcome out once.
    """
    return MonthCoster(plan, frame, terms).cost(outcome, year_to_date)


@dataclass(frozen=True, slots=True)
class _Shared:
    """One outcome of a capped or forfeiting month, shared out before the caps."""

    pay: MonthPay
    exact: Fraction
    """The exact cost after the caps' exact effect and forfeits, major units."""
    rounded: int
    bound: Fraction
    """The rounding bound without the extra of members the caps cut."""
    cut_bound: dict[int, int]
    """Pool funding, per group the caps may cut without binding its exact amount:
    the extra bound per member cut (3 units per part)."""
    held: dict[int, int]
    """Per group whose held-back part is forfeited: what its members forfeit, uncut."""


class _Counts(NamedTuple):
    """What a month's rounding bound counts, group by group: the pools rounded, the lines
    paid, the members who forfeit and their parts, and the parts the monthly cap binds."""

    rounded: int
    lines: int
    forfeit_lines: int
    forfeit_parts: int
    binding_parts: int


def _shared(
    plan: Plan,
    pay: MonthPay,
    *,
    unbound: tuple[Fraction, Fraction],
    capped: Sequence[int],
    counts: _Counts,
    cut_bound: dict[int, int],
    held: dict[int, int],
) -> _Shared:
    """A month's outcome shared out: its exact cost from the amounts the monthly cap does
    not bind (``unbound``, minor units, kept and forfeited) and the members it binds
    (``capped``, kept and forfeited), what a forfeiting member keeps being ``1 -
    holdback``; and its rounding bound: half a unit per pool rounded (per line paid
    under individual funding) and per member who forfeits, and under pool funding three
    units per part the cap binds and one and a half per part forfeited."""
    kept = 1 - plan.holdback
    exact = unbound[0] + kept * unbound[1]
    month_cap = plan.functional.caps.per_month
    if month_cap is not None:
        exact += month_cap * (capped[0] + kept * capped[1])
    pool = plan.funding is FundingStyle.POOL
    rounded = counts.rounded if pool else counts.rounded + counts.lines
    bound = Fraction(rounded, 2) + Fraction(counts.forfeit_lines, 2)
    if pool:
        bound += 3 * counts.binding_parts + Fraction(3, 2) * counts.forfeit_parts
    return _Shared(pay, exact / plan.currency.scale, rounded, bound, cut_bound, held)


class MonthCoster:
    """What one plan month costs at outcomes and years to date (see :func:`month_cost`).

    The year so far matters only to the per-year cap. So each outcome is
    shared out once, with its exact cost and rounding bound; costing it under
    a year to date applies the caps to that and adjusts the groups they cut.
    Calibration's historical paths cost every month at every path's year to
    date this way.
    """

    __slots__ = (
        "_done",
        "_frame",
        "_lines",
        "_place",
        "_plan",
        "_rates",
        "_shared",
        "_table",
        "_terms",
        "_values",
    )

    def __init__(
        self,
        plan: Plan,
        frame: MonthFrame,
        terms: Terms,
        table: LineTable | None = None,
        place: int = 0,
    ) -> None:
        """``table``: the :class:`LineTable` the plan's other months share, if any, ``frame``
        being at ``place`` in its months (else the coster keeps its own)."""
        self._plan = plan
        self._frame = frame
        self._terms = terms
        self._table = table if table is not None else LineTable((frame,))
        self._place = place if table is not None else 0
        self._done: dict[Outcome, MonthCost] = {}
        self._shared: dict[Outcome, _Shared] = {}
        self._rates: dict[Outcome, tuple[list[Fraction], list[int]]] = {}
        self._values: list[int] | None = None
        self._lines: _Lines | None = None

    def cost(self, outcome: Outcome, year_to_date: YearToDate | None = None) -> MonthCost:
        """The month's cost at ``outcome`` after the year so far, ``year_to_date``."""
        plan = self._plan
        caps = plan.functional.caps
        if caps.per_year is None or not outcome.pays:
            year_to_date = None
        if year_to_date is None:
            done = self._done.get(outcome)
            if done is None:
                done = self._done[outcome] = self._cost(outcome, None)
            return done
        return self._cost(outcome, year_to_date)

    @property
    def frame(self) -> MonthFrame:
        """The month costed."""
        return self._frame

    @property
    def terms(self) -> Terms:
        """The scale and nominal weights the month is costed at."""
        return self._terms

    @property
    def values(self) -> list[int]:
        """Each group's whole-number value per member (:func:`member_values`)."""
        if self._values is None:
            self._values = member_values(self._plan, self._frame)
        return self._values

    def rates(self, outcome: Outcome) -> tuple[list[Fraction], list[int]]:
        """Per team at ``outcome``: the exact amount per unit of value (:func:`team_rates`)
        and how many parts of a line can be non-zero (:func:`line_parts`)."""
        found = self._rates.get(outcome)
        if found is None:
            plan, terms = self._plan, self._terms
            found = self._rates[outcome] = (
                team_rates(plan, self._frame, terms, outcome),
                line_parts(plan, terms, outcome),
            )
        return found

    def _cost(self, outcome: Outcome, year_to_date: YearToDate | None) -> MonthCost:
        plan, frame, terms = self._plan, self._frame, self._terms
        if not outcome.pays or terms.scale == 0:
            return MonthCost(_ZERO, 0, 0)
        if not plan.weighted and not plan.functional.caps.any:
            if plan.funding is FundingStyle.POOL:
                return _plain_pool_cost(plan, frame, frame.at_target(terms.scale), outcome.shared)
            if self._lines is None:
                self._lines = self._table.month(plan, self._place)
            return self._lines.cost(
                plan, frame, frame.at_target(terms.scale) * outcome.shared, self._table, self._place
            )
        groups = frame.groups
        # (a month that pays its goals on its own frame pays whoever either frame splits to)
        split = frame.split if frame.own is None else _either(frame.split, frame.own.split)
        forfeiting = plan.holdback and any(
            f and w for f, w in zip(groups.forfeits, split, strict=True)
        )
        if not plan.functional.caps.any and not forfeiting:
            return _parts_cost(plan, frame, terms, outcome)
        shared = self._shared.get(outcome)
        if shared is None:
            shared = self._shared[outcome] = self._share(outcome)
        pay = shared.pay.capped_by(plan.functional.caps, groups.counts, year_to_date)
        paid = pay.paid
        bound = shared.bound
        for held in shared.held.values():
            paid -= held
        for group, runs in pay.cuts.items():
            extra = shared.cut_bound.get(group)
            if extra:
                bound += extra * _members_cut(runs)
            if group in shared.held:
                paid += shared.held[group] - _held(plan, pay, group, groups.counts[group])
        return MonthCost(shared.exact, paid, shared.rounded, bound, pay)

    def _share(self, outcome: Outcome) -> _Shared:
        plan, frame = self._plan, self._frame
        if frame.own is not None:
            return self._share_own(outcome)
        pay = share_parts(plan, frame, self._terms, outcome)
        rates, part_counts = self.rates(outcome)
        groups = frame.groups
        pool = plan.funding is FundingStyle.POOL
        rounded = sum(1 for part in pay.parts if part.exact) if pool else 0
        lines = forfeit_lines = forfeit_parts = 0
        cut_bound: dict[int, int] = {}
        held: dict[int, int] = {}
        month_cap = plan.functional.caps.per_month
        teams = len(rates)
        # Per team, kept or forfeited: the values of members the month cap does not bind,
        # and how many members it binds; the exact cost is rate x value or the cap.
        free = [[0, 0] for _ in range(teams)]
        bound_by_cap = [0, 0]
        binding_members = 0
        mixes = groups.mixes
        for group, (value, count, team, forfeits) in enumerate(
            zip(self.values, groups.counts, groups.teams, groups.forfeits, strict=True)
        ):
            mix = mixes.get(group) if mixes and value else None
            if mix is not None:  # a move during the month: each team's rate on its days
                amount = mixed_amount(rates, mix)
                if not amount:
                    continue
                parts = sum(part_counts[t] for t, _ in mix)
                binding = month_cap is not None and amount >= month_cap
            else:
                rate = rates[team]
                if not value or not rate:
                    continue
                parts = part_counts[team]
                binding = (
                    month_cap is not None and value * rate.numerator >= month_cap * rate.denominator
                )
            lines += parts * count
            forfeited = bool(plan.holdback) and forfeits
            if binding:
                bound_by_cap[forfeited] += count
                binding_members += parts * count
            elif mix is not None:
                for mixed_team, mixed_value in mix:
                    free[mixed_team][forfeited] += mixed_value * count
                if pool:
                    cut_bound[group] = 3 * parts
            else:
                free[team][forfeited] += value * count
                if pool:
                    cut_bound[group] = 3 * parts
            if forfeited:
                forfeit_lines += count
                forfeit_parts += parts * count
                held[group] = _held(plan, pay, group, count)
        unbound = (
            sum((rate * plain for rate, (plain, _) in zip(rates, free, strict=True)), _ZERO),
            sum((rate * lost for rate, (_, lost) in zip(rates, free, strict=True)), _ZERO),
        )
        counts = _Counts(rounded, lines, forfeit_lines, forfeit_parts, binding_members)
        return _shared(
            plan, pay, unbound=unbound, capped=bound_by_cap, counts=counts,
            cut_bound=cut_bound, held=held,
        )  # fmt: skip

    def _share_own(self, outcome: Outcome) -> _Shared:
        """:meth:`_share` of a month that pays its goals on a frame of its own beside a
        longer shared period: each group's amount is its shared part on the month's frame
        and its goals on its own (:func:`month_units`), so the caps and the bound read a
        member's whole month, group by group."""
        plan, frame, terms = self._plan, self._frame, self._terms
        pay = share_parts(plan, frame, terms, outcome)
        groups = frame.groups
        pool = plan.funding is FundingStyle.POOL
        month_cap = plan.functional.caps.per_month
        amounts = month_units(plan, frame, terms, outcome)
        parts_of = member_parts(plan, frame, terms, outcome)
        rounded = sum(1 for part in pay.parts if part.exact) if pool else 0
        lines = forfeit_lines = forfeit_parts = binding_members = 0
        free = [_ZERO, _ZERO]  # kept, forfeited: exact amounts the month cap does not bind
        bound_by_cap = [0, 0]
        cut_bound: dict[int, int] = {}
        held: dict[int, int] = {}
        for group, (amount, parts, count, forfeits) in enumerate(
            zip(amounts, parts_of, groups.counts, groups.forfeits, strict=True)
        ):
            if not amount:
                continue
            lines += parts * count
            forfeited = bool(plan.holdback) and forfeits
            if month_cap is not None and amount >= month_cap:
                bound_by_cap[forfeited] += count
                binding_members += parts * count
            else:
                free[forfeited] += amount * count
                if pool:
                    cut_bound[group] = 3 * parts
            if forfeited:
                forfeit_lines += count
                forfeit_parts += parts * count
                held[group] = _held(plan, pay, group, count)
        counts = _Counts(rounded, lines, forfeit_lines, forfeit_parts, binding_members)
        return _shared(
            plan, pay, unbound=(free[0], free[1]), capped=bound_by_cap, counts=counts,
            cut_bound=cut_bound, held=held,
        )  # fmt: skip


def _either(first: Sequence[int], second: Sequence[int]) -> tuple[int, ...]:
    """Per group, a weight above 0 if either of two frames gives it one."""
    return tuple(a or b for a, b in zip(first, second, strict=True))


def _held(plan: Plan, pay: MonthPay, group: int, count: int) -> int:
    """What ``group``'s members have held back of their month pay (after the cuts)."""
    held = start = 0
    for end, amounts, cut_units in pay.slices(group, count):
        held += held_back(plan, sum(amounts) - cut_units) * (end - start)
        start = end
    return held


def _members_cut(runs: Runs | None) -> int:
    """How many members of a group the caps cut (runs of the group's cuts)."""
    if runs is None:
        return 0
    members = start = 0
    for end, cut in runs:
        if cut:
            members += end - start
        start = end
    return members


def _parts_cost(plan: Plan, frame: MonthFrame, terms: Terms, outcome: Outcome) -> MonthCost:
    """:func:`month_cost` of a plan with goals, without caps or forfeited holdbacks: the
    parts' pools (or lines) are paid in full, so nothing is shared out."""
    if frame.own is not None:
        shared_only, goals_only = split_outcomes(outcome)
        shared = _parts_cost(plan, replace(frame, own=None), terms, shared_only)
        goals = _parts_cost(plan, frame.own, terms, goals_only)
        return MonthCost(
            shared.exact + goals.exact,
            shared.paid + goals.paid,
            shared.rounded_amounts + goals.rounded_amounts,
            shared.bound + goals.bound,
        )
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
    per_value = frame.at_target(terms.scale) / (12 * FTE_SCALE * frame.days)
    rates = [
        [per_value * f for f in by_team] for by_team in line_factors(plan, terms, outcome, teams)
    ]
    paid = 0
    rounded = 0
    mixes = groups.mixes
    for group, (split, count, team) in enumerate(
        zip(frame.split, groups.counts, groups.teams, strict=True)
    ):
        if not split:
            continue
        mix = mixes.get(group) if mixes else None
        if mix is not None:  # a move during the month: each team's rate on its days
            for by_team in rates:
                amount = mixed_amount(by_team, mix)
                if amount:
                    paid += round_half_up(amount) * count
                    rounded += count
            continue
        value = split  # target bonus x FTE-days, summed day by day (member_values)
        for by_team in rates:
            if by_team[team]:
                paid += round_product(by_team[team], value) * count
                rounded += count
    return MonthCost(exact / plan.currency.scale, paid, rounded, Fraction(rounded, 2))


def _plain_pool_cost(plan: Plan, frame: MonthFrame, scale: Fraction, factor: Fraction) -> MonthCost:
    """:func:`month_cost` of a pool-funded plan on the shared goal alone, without caps."""
    if not frame.eligible:
        return MonthCost(_ZERO, 0, 0)
    groups = frame.groups
    forfeiting = bool(plan.holdback) and any(
        f and w for f, w in zip(groups.forfeits, frame.split, strict=True)
    )
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
            bumped = share.bumped
            forfeited += (count - bumped) * held_back(plan, share.base)
            forfeited += bumped * held_back(plan, share.base + share.step)
            lines += count
    kept = 1 - plan.holdback * Fraction(forfeited_weight, frame.total_split_weight)
    return MonthCost(exact * kept, pool - forfeited, 1 + lines, Fraction(1, 2) + 2 * lines)


def costers_for(
    plan: Plan, frames: Sequence[MonthFrame], terms: Terms, table: LineTable | None = None
) -> tuple[MonthCoster, ...]:
    """A :class:`MonthCoster` for each of ``frames`` at ``terms``, all sharing one
    :class:`LineTable` (``table`` when given: one made for ``frames``)."""
    table = LineTable(frames) if table is None else table
    return tuple(
        MonthCoster(plan, frame, terms, table, place) for place, frame in enumerate(frames)
    )


class LineTable:
    """What a line pays at each amount, for each whole value per day: shared by the months of
    an individually funded plan on the shared goal alone.

    A member's line in a month of ``d`` days (:attr:`MonthFrame.days`) is
    ``round(amount x value / (12 x FTE_SCALE x d))``, ``amount`` being the
    scale at target x the payout factor and ``value`` target bonus x units.
    A member active the whole month has ``value = w x d``, ``w`` their target
    bonus x FTE units: their line is ``round(amount x w / (12 x FTE_SCALE))``,
    whatever the month. So the lines of every such ``w`` at an amount are
    computed once, however many months pay that amount, and added up with
    every month's counts of members in one sum: each ``w`` carries the counts
    of all the months in one whole number, month ``j``'s count shifted ``j x
    bits`` bits up (``bits`` wide enough that no month's sum reaches the next
    month's), so the sum of counts x lines holds each month's sum, read off by
    shifting back. A value that is not a whole number of days' worth is
    costed by its month alone (:class:`_Lines`).

    Amounts are never negative here (a scale and payout factors are not), so
    neither is a line nor a month's sum.
    """

    __slots__ = ("_frames", "_months", "_most", "_packed", "_sums", "_values", "_whole")

    def __init__(self, frames: Sequence[MonthFrame]) -> None:
        """``frames``: the months that share the table, each costed by its place in them."""
        self._frames = tuple(frames)
        self._months: list[_Lines] = []
        self._whole: list[dict[int, int]] = []
        self._values: list[int] = []
        self._most = 0
        self._packed: dict[int, list[int]] = {}
        self._sums: dict[Fraction, tuple[int, int]] = {}

    def month(self, plan: Plan, place: int) -> _Lines:
        """The month at ``place`` as its distinct lines (every month's made on first use)."""
        if not self._months:
            values: dict[int, None] = {}
            for frame in self._frames:
                lines, whole = _Lines.of(plan, frame)
                self._months.append(lines)
                self._whole.append(whole)
                values.update(dict.fromkeys(whole))
                self._most = max(self._most, lines.whole_members)
            self._values = list(values)
        return self._months[place]

    def targets(self, plan: Plan, place: int) -> list[Fraction]:
        """:func:`team_targets` less forfeits of the month at ``place``, from its lines: its
        members' values (each member who forfeits less what is held back) over ``12 x
        FTE_SCALE x days``, at target. Calibration prices a month with them before its
        lines."""
        frame = self._frames[place]
        value = self.month(plan, place).value
        return [frame.at_target(value / Fraction(12 * FTE_SCALE * frame.days))]

    def whole_sum(self, place: int, amount: Fraction) -> int:
        """What the lines of the members whose value is a whole number of days' worth pay at
        ``amount`` in the month at ``place`` (after :meth:`month`)."""
        found = self._sums.get(amount)
        if found is None:
            # round_product(amount / (12 x FTE_SCALE), value), inlined: all are >= 0 here,
            # and the rate p / q need not be in lowest terms for round(p x w / q).
            q = amount.denominator * 12 * FTE_SCALE
            twice_p, twice_q = 2 * amount.numerator, 2 * q
            lines = [(twice_p * w + q) // twice_q for w in self._values]
            # Wide enough for any month's sum, in steps of 64 bits so that few are packed.
            bits = ((max(lines, default=0) * self._most).bit_length() // 64 + 1) * 64
            counts = self._packed.get(bits)
            if counts is None:
                counts = self._packed[bits] = self._pack(bits)
            found = self._sums[amount] = (sum(map(mul, counts, lines)), bits)
        total, bits = found
        return (total >> (bits * place)) & ((1 << bits) - 1)

    def _pack(self, bits: int) -> list[int]:
        """Each value per day's counts of members, month by month, ``bits`` bits a month."""
        packed = dict.fromkeys(self._values, 0)
        for place, whole in enumerate(self._whole):
            shift = bits * place
            for value, count in whole.items():
                packed[value] += count << shift
        return list(packed.values())


@dataclass(frozen=True, slots=True)
class _Lines:
    """An individually funded month on the shared goal alone, as its distinct lines.

    A member's line is ``round(rate x value)``, ``value`` being target bonus x
    units summed day by day (the split weight), so members with the same value
    (and the same fate of their held-back part) have the same line, whatever the outcome.
    Built once per month, the table costs each outcome in one pass over the
    distinct values rather than over every pay group; the values that are a
    whole number of days' worth are costed by the :class:`LineTable` every
    month shares.
    """

    whole_members: int
    """How many members keeping what is held back from them have a value that is a whole
    number of days' worth (costed by the :class:`LineTable`)."""
    kept: tuple[tuple[int, int], ...]
    """(value, members) of the other members who keep what is held back from them."""
    forfeiting: tuple[tuple[int, int], ...]
    """(value, members) of the members who forfeit it (plans with a holdback)."""
    value: Fraction
    """The values of the members who keep what is held back, and of the others less it."""
    members: int
    bound: Fraction
    """The rounding bound: half a unit a line, a whole unit a line with a forfeited part."""

    @classmethod
    def of(cls, plan: Plan, frame: MonthFrame) -> tuple[_Lines, dict[int, int]]:
        """The month's lines, and its members by whole value per day (for the
        :class:`LineTable`)."""
        groups = frame.groups
        days = frame.days
        kept: dict[int, int] = {}
        forfeiting: dict[int, int] = {}
        if not (plan.holdback and any(groups.forfeits)):  # most months: no one forfeits
            get = kept.get
            for value, count in zip(frame.split, groups.counts, strict=True):
                if value:
                    kept[value] = get(value, 0) + count
        else:
            holdback = bool(plan.holdback)
            for value, count, forfeits in zip(
                frame.split, groups.counts, groups.forfeits, strict=True
            ):
                if value:
                    found = forfeiting if holdback and forfeits else kept
                    found[value] = found.get(value, 0) + count
        whole: dict[int, int] = {}
        other: list[tuple[int, int]] = []
        for value, count in kept.items():
            per_day, left = divmod(value, days)
            if left:
                other.append((value, count))
            else:
                whole[per_day] = count  # values are distinct, so are their values per day
        kept_value = sum(value * count for value, count in kept.items())
        forfeit_value = sum(value * count for value, count in forfeiting.items())
        forfeit_lines = sum(forfeiting.values())
        members = sum(kept.values()) + forfeit_lines
        lines = cls(
            sum(whole.values()),
            tuple(other),
            tuple(forfeiting.items()),
            kept_value + (1 - plan.holdback) * forfeit_value,
            members,
            Fraction(members - forfeit_lines, 2) + forfeit_lines,
        )
        return lines, whole

    def cost(
        self, plan: Plan, frame: MonthFrame, amount: Fraction, table: LineTable, place: int
    ) -> MonthCost:
        """The month's cost when a member's target amount at scale 1 is paid ``amount``
        times over (the scale x the payout factor); the month is at ``place`` in
        ``table``."""
        # round_product(amount / (12 x FTE_SCALE x days), value), inlined: the rate and every
        # value are >= 0 here, and the rate p / q need not be in lowest terms.
        q = amount.denominator * 12 * FTE_SCALE * frame.days
        twice_p, twice_q = 2 * amount.numerator, 2 * q
        paid = table.whole_sum(place, amount) if self.whole_members else 0
        for value, count in self.kept:
            paid += (twice_p * value + q) // twice_q * count
        for value, count in self.forfeiting:
            line = (twice_p * value + q) // twice_q
            paid += (line - held_back(plan, line)) * count
        exact = amount * self.value / (12 * FTE_SCALE * frame.days * plan.currency.scale)
        return MonthCost(exact, paid, self.members, self.bound)
