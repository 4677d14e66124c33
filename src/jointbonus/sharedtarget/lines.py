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
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from jointbonus.core.number import percent_text
from jointbonus.core.roster import FTE_SCALE
from jointbonus.sharedtarget.pay.groups import Cohort, Framed
from jointbonus.sharedtarget.pay.sharing import MonthPay, held_back
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.results import (
    GoalResult,
    LineFigures,
    LineStatus,
    MonthLines,
)

__all__ = ["MonthView", "month_lines"]

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


def month_lines(plan: Plan, framed: Framed, month: MonthView, pay: MonthPay | None) -> MonthLines:
    """Every member's line of one month; ``pay`` is ``None`` while the month is pending."""
    maker = _Maker(plan, framed, month)
    cuts: Mapping[int, int] = pay.cuts if pay is not None else {}
    parts = pay.parts if pay is not None else ()
    nothing = (0,) * len(plan.goals)
    of_cohort: list[int] = []
    exceptions: list[tuple[int, int]] = []  # (position, figure) of members off their cohort's
    for number, cohort in enumerate(framed.cohorts):
        if not parts:
            of_cohort.append(maker.figure(number, cohort, 0, nothing, 0))
            continue
        shares = [part.shares[cohort.group] for part in parts]
        bases = tuple(share.base for share in shares)
        of_cohort.append(maker.figure(number, cohort, bases[0], bases[1:], 0))
        special = set().union(*(share.bumped for share in shares))
        if cuts:
            special.update(position for position in cohort.positions if position in cuts)
        for position in sorted(special.intersection(cohort.positions)):
            amounts = [share.share(position) for share in shares]
            cut = cuts.get(position, 0)
            index = maker.figure(number, cohort, amounts[0], tuple(amounts[1:]), cut)
            exceptions.append((position, index))
    of_member = array("I", [0]) * len(plan.members)
    for cohort, index in zip(framed.cohorts, of_cohort, strict=True):
        for position in cohort.positions:
            of_member[position] = index
    for position, index in exceptions:
        of_member[position] = index
    return MonthLines(tuple(maker.figures), of_member)


class _Maker:
    """Makes a month's distinct lines, each once."""

    def __init__(self, plan: Plan, framed: Framed, month: MonthView) -> None:
        self.plan = plan
        self.month = month
        self.frame = framed.months[month.index]
        self.figures: list[LineFigures] = []
        self._index: dict[tuple[int, int, tuple[int, ...], int], int] = {}
        teams = [t.team for t in plan.functional.terms]
        self._own = [
            [index for index, goal in enumerate(plan.goals) if goal.team == team] for team in teams
        ]

    def figure(
        self, number: int, cohort: Cohort, shared: int, functional: tuple[int, ...], cut: int
    ) -> int:
        """The index of the line of cohort ``number`` with these parts, made if new."""
        key = (number, shared, functional, cut)
        found = self._index.get(key)
        if found is None:
            found = self._index[key] = len(self.figures)
            self.figures.append(self._make(cohort, shared, functional, cut))
        return found

    def _make(
        self, cohort: Cohort, shared: int, functional: tuple[int, ...], cut: int
    ) -> LineFigures:
        plan, month, frame = self.plan, self.month, self.frame
        team = frame.groups.teams[cohort.group]
        own = self._own[team] if plan.weighted else []
        total = shared + sum(functional) - cut
        if month.pending:
            status = LineStatus.PENDING
        else:
            status = LineStatus.PAID if total else LineStatus.ZERO
        return LineFigures(
            days=cohort.days[month.index],
            weight=Fraction(frame.units[cohort.group], FTE_SCALE * frame.plan_month.month.days),
            shared=shared,
            functional=tuple((plan.goals[g].metric, functional[g]) for g in own),
            capped=cut,
            total=total,
            held=held_back(plan, total),
            status=status,
            reason=_reason(
                plan, month, cohort, team=team, shared=shared, functional=functional, cut=cut
            ),
            standing=cohort.reasons[month.index],
        )


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
    if month.pending:
        plan_month = plan.months[index]
        if not plan.weighted or plan_month.actual is None:
            return f"pending: no actual for {plan_month.month} yet"
        waiting = {m.name for m in plan.functional.metrics if m.months[index].actual is None}
        # In the goals' order (the plan's team order), not the order metrics were given.
        missing = dict.fromkeys(g.metric for g in plan.goals if g.metric in waiting)
        return f"pending: no actual for {plan_month.month} yet ({', '.join(missing)})"
    standing = cohort.reasons[index]
    if standing:
        return standing
    if not total and cut:
        return "the cap is reached: nothing more is paid this plan year"
    reasons = []
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
    if not month.factor:
        verdict = "target met" if attainment >= 1 else "target missed"
        reasons.append(
            f"{verdict}: attainment {percent_text(attainment)} earns no payout "
            f"({plan.curve.pays_from()})"
        )
    for result, amount in zip(month.goals, functional, strict=True):
        if terms is None or result.goal.team != terms.team or amount:
            continue
        if result.gated:
            gate = percent_text(plan.functional.gates.functional or _ZERO)
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
