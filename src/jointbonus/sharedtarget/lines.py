"""The one place a statement line's cents are made.

Every writer -- statements, ``lines.csv``, payroll, JSON, Excel, explain and
the transparency report -- reads the lines made here
(:class:`~jointbonus.sharedtarget.results.MonthLines`), so a line shows the
same figures wherever it appears.

A member's line for a month is made from their pay group's shares of each
part (:mod:`jointbonus.sharedtarget.pay.sharing`), what the caps cut from them
and their standing (days active and, for a zero, its reason, from their
cohort). Members of one cohort whose parts are equal share one
:class:`~jointbonus.sharedtarget.results.LineFigures`; a month of 100,000
people has a few hundred distinct lines.

The figures of a line:

* ``shared`` and each ``functional`` part of the member's team: their shares
  of the parts, before the caps;
* ``capped``: what the caps cut from their month total;
* ``total`` = shared + functional parts - capped;
* ``held`` = round(holdback x total), halves away from zero: paid at the year
  end to those still in the plan then;
* ``status``: pending while the month has no actual, else paid or zero;
* ``reason``: why the total is zero, or on a paid line of a plan with goals,
  why any of its parts is.

A plan with advances pays its longer shared periods through the lines
(:func:`advance_lines`): each month inside a period has an ``advance`` line
whose total is the member's advance that month, and the month that ends it a
``true-up`` line whose total is the period's pay less the advances paid in it
(``advanced``), so a member's lines of a period add up to the period's pay.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import compress, count, pairwise, repeat
from operator import is_
from typing import Any, cast

from jointbonus.core.number import percent_text
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.goals import GoalGate
from jointbonus.sharedtarget.pay.groups import Cohort, Framed
from jointbonus.sharedtarget.pay.outcome import ends_goal_period
from jointbonus.sharedtarget.pay.sharing import MonthPay, held_back
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.results import (
    ADVANCE,
    TRUE_UP,
    GoalResult,
    LineFigures,
    LineStatus,
    MonthLines,
)

__all__ = ["MonthView", "YearLines", "advance_lines", "month_lines"]

_ZERO = Fraction(0)


@dataclass(frozen=True, slots=True)
class MonthView:
    """What a month's lines need to know of the month besides the shares."""

    index: int
    """The month's place in the plan."""
    pending: bool
    attainment: Fraction | None = None
    factor: Fraction | None = None
    team_factors: tuple[Fraction, ...] = ()
    """Per team: the factor its shared part paid at, after the shared gate."""
    goals: tuple[GoalResult, ...] = ()
    period: str = ""
    """In a plan with a longer shared period, why the month's lines read as they do: it
    lies inside a period that another month pays, or its period is pending ("" else)."""
    month_attainment: Fraction | None = None
    """In a plan with functional goals and a longer shared period: the shared attainment
    of the month alone, which the functional gate and a goal's own gate read; with goals over
    a longer period, in the month that ends it, the shared attainment over that period,
    which they read there (``None`` else: they read :attr:`attainment`)."""
    goals_later: str = ""
    """With goals over a period longer than the shared one, in a month inside it that does
    not end it: that the goals are paid at its end ("" else)."""


def month_lines(plan: Plan, framed: Framed, month: MonthView, pay: MonthPay | None) -> MonthLines:
    """Every member's line of one month; ``pay`` is ``None`` while the month is pending.

    To make the lines of several months of one framing, make a :class:`YearLines` once
    and ask it for each month: what the months share is then worked out once.
    """
    return YearLines(plan, framed).month(month, pay)


#: A line's key in a month: a cohort's days and standing, and what its group's members share
#: in the month (weight, team, the teams of a move during it, each part's amount and the
#: cut). The members of the cohorts with one key have one line.
_Key = tuple[int, str, tuple[object, ...]]


class YearLines:
    """Makes the lines of the months of one framing of a plan, month after month.

    A line is the same for the members of every cohort whose days, standing, weight,
    team and parts are the same. Two things are worked out once for every month:

    * each cohort's pay group, days and standing, month by month as columns (one entry
      per cohort), so that a month keys its cohorts' lines a column at a time;
    * the lines the standing decides (not yet started, left): such a line reads the same
      in every month whose parts, days and team are the same (a year of 100,000 members
      asks some 15,000 lines of 12 months, of which some 2,600 differ).
    """

    def __init__(self, plan: Plan, framed: Framed) -> None:
        self.plan = plan
        self.framed = framed
        cohorts = framed.cohorts
        self._groups = [cohort.group for cohort in cohorts]
        months = len(framed.months)
        self._days = _by_month([cohort.days for cohort in cohorts], months)
        self._reasons = _by_month([cohort.reasons for cohort in cohorts], months)
        # The groups made of one cohort (most): a run of such a group is that cohort's.
        in_group: dict[int, int] = {}
        for number, group in enumerate(self._groups):
            in_group[group] = number if group not in in_group else -1
        self._alone = in_group
        self._standing: dict[_Key, LineFigures] = {}
        """The lines made whose standing gives them no weight, by key: the same in every
        month."""
        self._weights: dict[tuple[int, int], Fraction] = {}

    def month(self, month: MonthView, pay: MonthPay | None) -> MonthLines:
        """Every member's line of ``month``; ``pay`` is ``None`` while it is pending."""
        framed = self.framed
        maker = _Maker(self, month)
        groups = maker.frame.groups
        cohort_of = framed.cohort_of
        if pay is None:
            nothing = (0,) * len(maker.goals)
            count_of = len(groups.counts)
            of_cohort = maker.cohort_lines([0] * count_of, [nothing] * count_of, [0] * count_of)
            return MonthLines(tuple(maker.figures), of_cohort, cohort_of, {})
        # A group's members are paid in runs over their ranks (pay.slices): the leftover
        # units go to its first members, and so may a cap's cuts. The last run is its
        # cohorts' line (a group of one cohort: its largest run); the members of the other
        # runs have lines of their own.
        last = pay.last_runs(groups.counts)
        of_cohort = maker.cohort_lines(last.shared, last.goals, last.cut)
        own: dict[int, int] = {}
        alone_in = self._alone
        for group, runs in last.earlier.items():
            positions = groups.positions[group]
            alone = alone_in[group]
            if alone >= 0:  # a group of one cohort: each run has one line, given in bulk
                _one_cohort_runs(maker, alone, positions, runs, of_cohort=of_cohort, own=own)
                continue
            start = 0
            for end, amounts, cut in runs:
                members = positions[start:end]
                start = end
                numbers = set(map(cohort_of.__getitem__, members))
                if len(numbers) == 1:  # a run of one cohort (most are): given in bulk
                    line = maker.figure(numbers.pop(), amounts[0], amounts[1:], cut)
                    own.update(dict.fromkeys(members, line))
                    continue
                made: dict[int, int] = {}  # cohort -> its line in this run
                for position in members:
                    number = cohort_of[position]
                    index = made.get(number)
                    if index is None:
                        index = made[number] = maker.figure(number, amounts[0], amounts[1:], cut)
                    own[position] = index
        return MonthLines(tuple(maker.figures), of_cohort, cohort_of, own)


def _one_cohort_runs(
    maker: _Maker,
    cohort: int,
    positions: Sequence[int],
    runs: Sequence[tuple[int, tuple[int, ...], int]],
    *,
    of_cohort: list[int],
    own: dict[int, int],
) -> None:
    """Give the members of a group of one cohort (at ``positions``) the lines of the runs
    before its last (``runs``): the cohort keeps the line of its largest run, the members of
    the others have their own (in ``own``). Where the leftover units go to most of a group,
    its members given one are then not each listed."""
    bounds = [0, *(end for end, _, _ in runs), len(positions)]
    lines = [maker.figure(cohort, amounts[0], amounts[1:], cut) for _, amounts, cut in runs]
    lines.append(of_cohort[cohort])  # the last run's line
    sizes = [end - start for start, end in pairwise(bounds)]
    largest = max(range(len(sizes)), key=sizes.__getitem__)
    if sizes[largest] == sizes[-1]:  # the last run, if no other is larger
        largest = len(sizes) - 1
    of_cohort[cohort] = lines[largest]
    for run, line in enumerate(lines):
        if run != largest:
            own.update(dict.fromkeys(positions[bounds[run] : bounds[run + 1]], line))


def _by_month(columns: list[tuple[Any, ...]], months: int) -> list[tuple[Any, ...]]:
    """``columns`` (one per cohort, month by month) as one tuple a month, one entry per
    cohort."""
    return list(zip(*columns, strict=True)) if columns else [()] * months


def advance_lines(
    plan: Plan, lines: MonthLines, index: int, amounts: Sequence[int], *, ends: bool
) -> MonthLines:
    """A plan with advances: the lines of the month at ``index`` as they pay its period.

    ``lines`` are the month's lines as :func:`month_lines` made them (a month
    inside a period pays nothing of it, the month that ends it the whole
    period's pay); ``amounts``, by member place, are the month's advances or,
    in the month that ends the period (``ends``), the advances paid in it
    (``()`` while the month is pending). Each member's line becomes an
    ``advance`` line paying their advance, or a ``true-up`` line paying the
    period's pay less their advances.
    """
    period = next(p for p in plan.periods if p.first <= index <= p.last)
    elapsed = plan.months[period.first : index + 1]
    actual = sum((Fraction(m.actual or 0) for m in elapsed), _ZERO)
    running = actual / sum((m.target for m in elapsed), _ZERO)
    texts = _AdvanceTexts(plan, period.label, str(period.end), running, len(elapsed), index=index)
    base_of = lines.of_member
    keys = list(zip(base_of, amounts, strict=True)) if amounts else [(b, 0) for b in base_of]
    made = {key: at for at, key in enumerate(dict.fromkeys(keys))}  # each distinct line once
    figures = [
        texts.true_up(lines.figures[base], amount)
        if ends
        else texts.advance(lines.figures[base], amount)
        for base, amount in made
    ]
    of_member = list(map(made.__getitem__, keys))
    # Each cohort keeps the line most of its members have; the others have their own.
    cohort_of = lines.cohort_of
    of_cohort = list(lines.of_cohort)
    best = [-1] * len(of_cohort)
    for (cohort, at), members in Counter(zip(cohort_of, of_member, strict=True)).items():
        if members > best[cohort]:
            best[cohort], of_cohort[cohort] = members, at
    own = {
        position: at
        for position, at in enumerate(of_member)
        if at != of_cohort[cohort_of[position]]
    }
    return MonthLines(tuple(figures), of_cohort, cohort_of, own)


class _AdvanceTexts:
    """An advance or true-up line made from a month's line, with its reason."""

    def __init__(
        self, plan: Plan, label: str, end: str, running: Fraction, elapsed: int, *, index: int
    ) -> None:
        self.format = plan.currency.format
        length = plan.period.months
        noun = plan.period.noun
        self.label = label
        # Beside monthly goals the month that ends the period pays them with its shared part;
        # goals over the period are the period's, paid with it; goals over a longer period
        # are paid with the shared part of the period that ends theirs.
        self.paid = (
            "its pay (its shared part and goals)"
            if plan.goals_over_period
            else (
                f"its pay (its shared part and the goals over {plan.goal_period_at(index).label})"
                if ends_goal_period(plan, index)
                else "its pay (its shared part)"
            )
            if plan.goals_over_longer
            else "the month's pay (its shared part and goals)"
            if plan.goals
            else "its pay"
        )
        self.on = (
            f"advance on the {noun}'s attainment to date, {percent_text(running)} after "
            f"{elapsed} of its {length} months: {label} is paid at its end, {end}"
        )
        self.nothing = (
            f"no advance this month: an advance on the {noun}'s attainment to date, "
            f"{percent_text(running)} after {elapsed} of its {length} months, is at most what "
            f"{label} is sure to pay with its remaining months at zero, less the advances "
            f"before; it is paid at its end, {end}"
        )

    def advance(self, was: LineFigures, amount: int) -> LineFigures:
        """The line paying ``amount``, the member's advance this month, beside what ``was``
        pays of the month's own (its goals, beside a longer shared period)."""
        status: LineStatus
        if was.status is LineStatus.PENDING:
            status, reason = was.status, was.reason
        elif was.total:  # the month's goals pay, and the advance beside them
            status, reason = LineStatus.PAID, was.reason
            if amount:
                reason = f"{reason}; {self.on}" if reason else self.on
        elif amount:
            status, reason = LineStatus.PAID, self.on
        else:
            status, reason = LineStatus.ZERO, was.standing or self.nothing
        return _remade(was, 0, was.total + amount, status, reason, ADVANCE, 0)

    def true_up(self, was: LineFigures, advanced: int) -> LineFigures:
        """The line paying the period's pay ``was.total`` less ``advanced``."""
        total = was.total - advanced
        if was.status is LineStatus.PENDING or (not was.total and not advanced):
            status, reason = was.status, was.reason
        else:
            status = LineStatus.PAID if total else LineStatus.ZERO
            reason = (
                f"true-up of {self.label}: {self.paid} {self.format(was.total)} less the "
                f"advances paid in it {self.format(advanced)}"
            )
            if was.reason:
                reason = f"{reason}; {was.reason}"
        return _remade(was, was.shared, total, status, reason, TRUE_UP, advanced)


def _remade(  # noqa: PLR0917 - the fields that change
    was: LineFigures,
    shared: int,
    total: int,
    status: LineStatus,
    reason: str,
    kind: str,
    advanced: int,
) -> LineFigures:
    """``was`` with the parts an advance or a true-up changes."""
    return LineFigures.made(
        was.days,
        was.weight,
        shared,
        was.functional,
        was.capped,
        total,
        was.held,
        status,
        reason,
        was.standing,
        kind,
        advanced,
    )


class _Maker:
    """Makes a month's distinct lines, each once (those :class:`YearLines` keeps, once a
    year)."""

    def __init__(self, year: YearLines, month: MonthView) -> None:
        plan = year.plan
        self.year = year
        self.plan = plan
        self.month = month
        index = month.index
        self.frame = frame = year.framed.months[index]
        self.figures: list[LineFigures] = []
        self.goals = plan.goals
        self.weighted = bool(self.goals)
        self._index: dict[_Key, int] = {}
        # The goals are paid on the month's own frame beside a longer shared period (whose
        # frame pays the period's shared part by the team at its end): a move during the
        # month is read there.
        self._goal_groups = (frame.own or frame).groups
        self._days = year._days[index]
        self._reasons = year._reasons[index]
        teams = [t.team for t in plan.functional.terms]
        self._own = [
            [number for number, goal in enumerate(self.goals) if goal.team == team]
            for team in teams
        ]
        self._days_in_month = frame.days
        self._holds = bool(plan.holdback)
        self._reason_of: dict[tuple[object, ...], str] = {}

    def cohort_lines(
        self, shared: Sequence[int], goals: Sequence[tuple[int, ...]], cut: Sequence[int]
    ) -> list[int]:
        """The index of every cohort's line, its group's members given ``shared``, ``goals``
        and ``cut`` (one entry per group): the cohorts keyed a column at a time."""
        frame, groups = self.frame, self.year._groups
        mixes = self._goal_groups.mixes
        parts = list(
            zip(
                frame.units,
                frame.groups.teams,
                map(mixes.get, range(len(shared))) if mixes else repeat(None),
                shared,
                goals,
                cut,
                strict=False,  # (the mixes may be endless)
            )
        )
        keys = zip(self._days, self._reasons, map(parts.__getitem__, groups), strict=True)
        first: dict[_Key, int] = {}  # each distinct key -> its first cohort
        firsts = list(map(first.setdefault, keys, count()))
        # The lines the year keeps (most), then the others made, each from its first cohort.
        lines = list(map(self.year._standing.get, first))
        missing = compress(enumerate(first.items()), map(is_, lines, repeat(None)))
        for at, (key, number) in missing:
            group = groups[number]
            lines[at] = self._made(key, number, shared[group], goals[group], cut[group])
        index = self._index
        index.update(zip(first, count(len(self.figures))))
        self.figures += cast("list[LineFigures]", lines)  # each missing line now made
        line_of = dict(zip(first.values(), map(index.__getitem__, first), strict=True))
        return list(map(line_of.__getitem__, firsts))

    def figure(self, number: int, shared: int, functional: tuple[int, ...], cut: int) -> int:
        """The index of the line of a member of cohort ``number`` with these parts, made if new.

        Lines are the same for members of different cohorts whose days, weight,
        standing, team and parts are the same.
        """
        group = self.year._groups[number]
        frame = self.frame
        mixes = self._goal_groups.mixes
        part = (
            frame.units[group],
            frame.groups.teams[group],
            mixes.get(group) if mixes else None,
            shared,
            functional,
            cut,
        )
        key = (self._days[number], self._reasons[number], part)
        found = self._index.get(key)
        if found is None:
            line = self.year._standing.get(key)
            if line is None:
                line = self._made(key, number, shared, functional, cut)
            self._index[key] = found = len(self.figures)
            self.figures.append(line)
        return found

    def _made(
        self, key: _Key, number: int, shared: int, functional: tuple[int, ...], cut: int
    ) -> LineFigures:
        """The line keyed ``key``, made; kept for the year if the standing decides it."""
        line = self._make(self.year.framed.cohorts[number], shared, functional, cut)
        if line.standing and not line.weight:  # the same in every month
            self.year._standing[key] = line
        return line

    def _make(
        self, cohort: Cohort, shared: int, functional: tuple[int, ...], cut: int
    ) -> LineFigures:
        month, frame, index = self.month, self.frame, self.month.index
        group = cohort.group
        team = frame.groups.teams[group]
        own = self._own[team] if self.weighted else []
        mix = self._goal_groups.mixes.get(group) if self.weighted else None
        if mix is not None:  # moved team during the month: the goals of each team it was in
            own = sorted(goal for mixed_team, _ in mix for goal in self._own[mixed_team])
        total = shared + sum(functional) - cut if functional else shared - cut
        standing = cohort.reasons[index]
        if month.pending and not standing:
            status = LineStatus.PENDING
        else:  # a member out of the plan this month is paid nothing, actual or not
            status = LineStatus.PAID if total else LineStatus.ZERO
        units = frame.units[group]
        weights = self.year._weights
        weight = weights.get((units, self._days_in_month))
        if weight is None:
            weight = weights[units, self._days_in_month] = Fraction(
                units, FTE_SCALE * self._days_in_month
            )
        # The line's reason depends on which parts are zero, not on the amounts.
        key = (
            standing,
            team,
            not shared,
            tuple(not part for part in functional) if functional else (),
            not cut,
            not total,
        )
        reason = self._reason_of.get(key)
        if reason is None:
            reason = self._reason_of[key] = _reason(
                self.plan, month, cohort, team=team, shared=shared, functional=functional, cut=cut
            )
        return LineFigures.made(
            cohort.days[index],  # days
            weight,
            shared,
            tuple((self.goals[g].metric, functional[g]) for g in own) if own else (),
            cut,  # capped
            total,
            held_back(self.plan, total) if self._holds else 0,  # held
            status,
            reason,
            standing,
        )


def _goal_gate_reason(metric: str, gate: GoalGate, month: MonthView) -> str:
    """Why a goal's own gate closed it: the attainment it reads, and what it needs."""
    if gate.shared:
        reading = _gate_reading(month)
    else:
        reading = next(g.attainment for g in month.goals if g.goal.metric == gate.metric)
    return (
        f"{metric} closed by its own gate: {gate.metric} attainment "
        f"{percent_text(reading)} is below {percent_text(gate.attainment)}"
    )


def _gate_reading(month: MonthView) -> Fraction:
    """The shared attainment a gate on a goal reads: the month's own, or the month's."""
    if month.month_attainment is not None:
        return month.month_attainment
    return month.attainment if month.attainment is not None else _ZERO


def _reason(
    plan: Plan,
    month: MonthView,
    cohort: Cohort,
    *,
    team: int,
    shared: int,
    functional: tuple[int, ...],
    cut: int,
) -> str:
    """Why a line's total is zero; on a paid line of a plan with goals, why a part is."""
    index = month.index
    total = shared + sum(functional) - cut
    standing = cohort.reasons[index]
    if standing:  # true whether or not the month's actual is in: a leaver is not pending
        return standing
    if month.period and not (month.goals and not month.pending):
        return month.period
    if month.pending:
        plan_month = plan.months[index]
        if not plan.weighted or plan_month.actual is None:
            return f"pending: no actual for {plan_month.month} yet"
        waiting = {m.name for m in plan.functional.metrics if m.months[index].actual is None}
        # In the goals' order (the plan's team order), not the order metrics were given.
        missing = dict.fromkeys(g.metric for g in plan.goals if g.metric in waiting)
        return f"pending: no actual for {plan_month.month} yet ({', '.join(missing)})"
    if not total and cut:
        return "the cap is reached: nothing more is paid this plan year"
    # A month inside a longer shared period that pays its goals: its shared part is paid
    # at the period's end, and that is its first reason.
    reasons = [month.period] if month.period else []
    if month.goals_later:  # the month pays its shared part; its goals, their period's end
        reasons.append(month.goals_later)
    attainment = month.attainment if month.attainment is not None else _ZERO
    terms = plan.functional.terms[team] if plan.weighted else None
    if (
        terms is not None
        and terms.goals
        and not shared
        and month.factor
        and month.team_factors
        and not month.team_factors[team]
    ):
        reasons.append(
            f"shared part closed by the shared gate: each of {terms.team}'s goals "
            f"needs {percent_text(plan.functional.gates.shared or _ZERO)}"
        )
    if not month.factor and not month.period:
        verdict = "target met" if attainment >= 1 else "target missed"
        reasons.append(
            f"{verdict}: attainment {percent_text(attainment)} earns no payout "
            f"({plan.curve.pays_from()})"
        )
    for result, amount in zip(month.goals, functional if month.goals else (), strict=True):
        if terms is None or result.goal.team != terms.team or amount:
            continue
        if result.gated:
            gate = percent_text(plan.functional.gates.functional or _ZERO)
            reasons.append(
                f"{result.goal.metric} closed by the functional gate: shared attainment "
                f"{percent_text(_gate_reading(month))} is below {gate}"
            )
        elif result.goal_gated and (own := result.goal.gate) is not None:
            reasons.append(_goal_gate_reason(result.goal.metric, own, month))
        elif not result.factor:
            reasons.append(
                f"{result.goal.metric}: attainment {percent_text(result.attainment)} earns "
                f"no payout ({result.goal.curve.pays_from()})"
            )
    if total:  # paid: say only why a part of it is zero
        return "; ".join(reasons)
    return "; ".join(reasons) or "share rounds to less than one minor unit"
