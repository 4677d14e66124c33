"""The steps of a plan with functional goals or caps: the weighting, each part, the cap.

A member of team ``t`` earns ``w_t x`` the shared part ``+ (1 - w_t) x`` each of
the team's goal parts; the caps then cut their month's total. These steps
show each of those figures as the engine made them (:mod:`jointbonus.sharedtarget.pay`):

* the team's weighting: the shared weight ``w`` (given, or solved for a
  wanted expected split), the goals and their weights, the expected split;
* the shared gate, when the plan has one: whether each of the team's goals
  reached it, so that the team's shared part pays;
* the shared part: the shared pool (each team's slice ``w x`` its shared
  factor ``x`` its share of the month's weight) and its split by weight ``x w``,
  or, under individual funding, the member's shared line;
* each functional goal: target, actual, attainment, the factor its curve
  gives, the functional gate, the goal's pool and its split within the team
  (or the member's line);
* the caps: what the member earned, the cap per month, the cap per plan year
  less what they were paid earlier in it, and the cut.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from math import floor

from jointbonus.core.periods import YEAR
from jointbonus.sharedtarget.explain.leads import lead_actual_figures, lead_period_figures
from jointbonus.sharedtarget.explain.model import Figure, Place, Sources, Step, group_of
from jointbonus.sharedtarget.explain.split import split_unit
from jointbonus.sharedtarget.explain.steps import curve_rule
from jointbonus.sharedtarget.explain.text import (
    BY_ROW,
    Money,
    fraction_text,
    percent,
    plain,
    ratio_text,
    summed_targets_source,
    weighting_text,
)
from jointbonus.sharedtarget.goals import Goal
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.results import GoalResult, MonthResult, PartSplit, Result

__all__ = [
    "caps_step",
    "goal_line_step",
    "goal_pool_step",
    "goal_split_step",
    "goal_step",
    "part_split_step",
    "shared_gate_step",
    "shared_line_step",
    "shared_pool_step",
    "shared_split_step",
    "target_amount",
    "team_index",
    "weighting_step",
]


def team_index(plan: Plan, team: str) -> int:
    """The place of ``team`` in ``plan.functional.terms``."""
    return next(i for i, t in enumerate(plan.functional.terms) if t.team == team)


def weighting_step(result: Result, team: int, money: Money) -> Step:
    """The team's shared weight w: given or solved, its goals, and the expected split."""
    plan = result.plan
    calibration = result.calibration
    terms = plan.functional.terms[team]
    weight = calibration.weights[team]
    w = weight.nominal
    figures = []
    if not terms.goals:
        how = f"{terms.team} has no functional goals: its whole bonus is shared"
    elif weight.wanted is None:
        how = f"given by the plan for {terms.team} (shared_weight)"
    else:
        rho = weight.wanted
        figures.append(
            Figure(
                "wanted",
                "Wanted expected split",
                ratio_text(rho),
                f"given by the plan for {terms.team} (expected_shared_split): the share of "
                "what the team can expect to earn that should come from the shared goal",
                fraction_text(rho),
            )
        )
        how = "solved exactly for the wanted split: w = rho F / (rho F + (1 - rho) S)"
        if 0 < w < 1:
            shared = weight.shared_expected / w
            functional = weight.functional_expected / (1 - w)
            how += (
                f" with S = {money.minor(shared)} (the team's expected shared earnings at "
                f"w = 1) and F = {money.minor(functional)} (its expected functional earnings "
                f"at w = 0), averaged over {calibration.scenarios} historical scenarios"
            )
    figures.append(Figure("shared_weight", "Shared weight w", ratio_text(w), how, fraction_text(w)))
    if terms.goals:
        figures.append(
            Figure(
                "functional_weight",
                "Functional weight 1 - w",
                ratio_text(1 - w),
                "what the team's functional goals carry together",
                fraction_text(1 - w),
            )
        )
        figures.append(
            Figure(
                "goals",
                "Goals",
                ", ".join(f"{g.metric} x {plain(g.weight)}" for g in terms.goals),
                "the team's functional goals, each with its weight within the team (they add to 1)",
            )
        )
        expected = weight.expected
        shared_text = money.minor(weight.shared_expected)
        figures.append(
            Figure(
                "expected_weight",
                "Expected shared weight",
                "" if expected is None else ratio_text(expected),
                "w S / (w S + (1 - w) F): the share of what the team can expect to earn "
                f"(before caps) that comes from the shared goal = {shared_text} / "
                f"({shared_text} + {money.minor(weight.functional_expected)})",
                None if expected is None else fraction_text(expected),
            )
        )
    return Step("weighting", f"Weighting of {terms.team}", tuple(figures))


def shared_gate_step(result: Result, month: MonthResult, team: int) -> Step | None:
    """Whether each of the team's goals reached the shared gate (``None``: no shared gate),
    each read over the shared period the gate gates
    (:meth:`~jointbonus.sharedtarget.plan.Plan.shared_gate_reads`); the step is shown
    in the month that pays that period."""
    plan = result.plan
    gate = plan.functional.gates.shared
    terms = plan.functional.terms[team]
    if gate is None or not terms.goals or not month.ends_period:
        return None
    index = month.month.index() - plan.months[0].month.index()
    reads = plan.shared_gate_reads(index)
    if reads is None:
        return None
    period = plan.shared_period_at(index)
    over = "" if len(period.months) == 1 else f" over {period.label}"
    figures = []
    for goal, reading in zip(plan.goals, reads, strict=True):
        if goal.team != terms.team:
            continue
        reached = reading >= gate
        figures.append(
            Figure(
                f"{goal.metric}_attainment",
                f"{goal.metric} attainment{over}",
                ratio_text(reading),
                f"{percent(reading)} {'reaches' if reached else 'is below'} the shared "
                f"gate {percent(gate)}",
                fraction_text(reading),
            )
        )
    opened = not month.factor or bool(month.shared_for(team))
    figures.append(
        Figure(
            "shared_gate",
            "Shared gate",
            "open" if opened else "closed",
            f"the team's shared part pays only when each of its goals reaches {percent(gate)}",
        )
    )
    return Step("shared_gate", "Shared gate", tuple(figures))


def shared_pool_step(result: Result, month: MonthResult, money: Money) -> Step:
    """The shared pool: the pool at target x each team's slice, summed, rounded."""
    plan = result.plan
    terms = result.calibration.terms
    scale = terms.scale * month.weighting
    words, figures_of = weighting_text(month.weighting)
    teams = plan.functional.terms
    total = month.total_split_weight
    team_weights = month.team_split_weights
    slices = []
    exact = Fraction(0)
    for index, t in enumerate(teams):
        factor = month.shared_for(index)
        share = Fraction(team_weights[index], total) if total else Fraction(0)
        exact += terms.weight(index) * factor * share
        slices.append(f"{t.team} {plain(terms.weight(index))} x {plain(factor)} x {plain(share)}")
    exact *= scale
    return Step(
        "shared_pool",
        "The shared pool",
        (
            Figure(
                "slices",
                "Teams' slices",
                plain(exact / scale) if scale else "0",
                "the sum over teams of shared weight x the factor its shared part pays at "
                "(0 where the shared gate closed it) x its share of the "
                + (
                    f"total weight over {month.shared_period}"
                    if month.shared_period and month.ends_period
                    else "month's total weight"
                )
                + ": "
                + " + ".join(slices),
                fraction_text(exact / scale) if scale else None,
            ),
            Figure(
                "pool",
                "Shared pool",
                money.units(month.pool or 0),
                f"round(pool at target{words} x the teams' slices) = "
                f"round({money.major(terms.scale, 6)}{figures_of} x "
                f"{plain(exact / scale) if scale else '0'}), halves away from zero",
                fraction_text(exact),
            ),
        ),
    )


def part_split_step(
    *,
    key: str,
    title: str,
    split: PartSplit,
    per: Fraction,
    position: int,
    rule: str,
    money: Money,
) -> Step:
    """How one part's pool was split: the member's weight in it, exact share, leftover unit.

    Each group's weight in ``split``, divided by ``per``, is in the units ``rule`` names
    (0 for those the part does not pay).
    """
    pool = split.pool
    total = split.total_weight / per
    group = group_of(split, position)
    own = group.weight / per
    exact = pool * own / total if total else Fraction(0)
    floors = sum(g.base * len(g.positions) for g in split.groups)
    leftover = pool - floors
    figures = [
        Figure(
            "total_weight",
            "Total weight",
            plain(total),
            f"the sum of the {rule} of the {split.sharing} members sharing the part",
            fraction_text(total),
        ),
        Figure("member_weight", "Member's weight", plain(own), f"the member's {rule}",
               fraction_text(own)),
        Figure(
            "exact_share",
            "Exact share",
            money.minor(exact, 6),
            f"pool x member's weight / total weight = {money.units(pool)} x {plain(own)} / "
            f"{plain(total)}",
            fraction_text(exact / money.currency.scale),
        ),
        Figure(
            "rounded_down",
            "Rounded down",
            money.units(group.base),
            "every member first gets the exact share rounded down, to the minor unit",
        ),
        Figure(
            "leftover",
            "Leftover units",
            str(leftover),
            f"pool - the sum of the rounded shares = {money.units(pool)} - "
            f"{money.units(floors)} = {leftover} x {money.unit}, one each to the largest "
            "remainders; equal remainders go to the lower member id",
        ),
    ]  # fmt: skip
    remainder = exact - floor(exact)
    if remainder == 0:
        verdict = "no: the exact share is a whole number of minor units"
    else:
        larger = tied = 0
        for g in split.groups:
            if not g.weight:
                continue
            theirs = pool * (g.weight / per) / total
            theirs -= floor(theirs)
            if theirs > remainder:
                larger += len(g.positions)
            elif theirs == remainder:
                tied += sum(1 for p in g.positions if p < position)
        verdict = (
            f"{'yes' if position in group.bumped else 'no'}: place {larger + tied + 1} in line "
            f"for {leftover} leftover units ({larger} members have a larger remainder and "
            f"{tied} the same remainder with a lower id)"
        )
    figures.append(
        Figure(
            "remainder",
            "Remainder",
            ratio_text(remainder),
            f"the part of a minor unit ({money.unit}) dropped when rounding down",
            fraction_text(remainder),
        )
    )
    bumped = position in group.bumped
    figures.append(Figure("leftover_unit", "Leftover unit", "+1" if bumped else "0", verdict))
    amount = group.share(position)
    figures.append(
        Figure(
            "amount",
            "Share",
            money.units(amount),
            f"rounded share + leftover unit = {money.units(group.base)} + "
            f"{money.units(group.step if bumped else 0)}",
        )
    )
    return Step(key, title, tuple(figures))


def shared_split_step(result: Result, month: MonthResult, *, position: int, money: Money) -> Step:
    """The member's share of the shared pool: split by split weight x the team's slice."""
    what, per = split_unit(result.plan, month.month)
    return part_split_step(
        key="shared_split",
        title="How the shared pool was split",
        split=month.splits[0],
        per=per,
        position=position,
        rule=f"{what} x their team's shared weight x the factor its shared part pays at",
        money=money,
    )


def target_amount(result: Result, month: MonthResult, place: Place) -> Fraction:
    """Under individual funding: the member's target bonus for the month, minor units."""
    return result.calibration.scale * month.weighting * place.bonus_weight / 12


def shared_line_step(
    result: Result, month: MonthResult, *, place: Place, amount: int, money: Money
) -> Step:
    """Individual funding: the member's shared line, target amount x w x shared factor."""
    plan = result.plan
    terms = result.calibration.terms
    target = target_amount(result, month, place)
    words, figures_of = weighting_text(month.weighting)
    w = terms.weight(place.team)
    factor = month.shared_for(place.team)
    weight = place.line.weight
    exact = target * w * factor
    exact_how = (
        f"target amount x shared weight x shared factor = {money.minor(target, 6)} x "
        f"{plain(w)} x {plain(factor)}"
    )
    by_team: list[Figure] = []
    if place.team_bonus_weights:  # in several teams: each day at its team's shared weight
        names = [t.team for t in plan.functional.terms]
        scale = result.calibration.scale * month.weighting / 12
        exact = sum(
            (
                scale * part * terms.weight(t) * month.shared_for(t)
                for t, part in place.team_bonus_weights
            ),
            Fraction(0),
        )
        for t, part in place.team_bonus_weights:
            by_team.append(
                Figure(
                    f"target_amount_in_{names[t]}",
                    f"Target amount in {names[t]}",
                    money.minor(scale * part, 6),
                    f"the target amount of the days in {names[t]}: multiplier{words} / 12 x "
                    f"{money.minor(part, 6)}",
                    fraction_text(scale * part / plan.currency.scale),
                )
            )
        exact_how = "the sum over the teams of target amount in the team x its shared weight x " + (
            "its shared factor = "
            + " + ".join(
                f"{money.minor(scale * part, 6)} x {plain(terms.weight(t))} x "
                f"{plain(month.shared_for(t))}"
                for t, part in place.team_bonus_weights
            )
        )
    return Step(
        "shared_line",
        "The shared part",
        (
            Figure(
                "target_amount",
                "Target amount",
                money.minor(target, 6),
                f"annual target bonus x multiplier{words} / 12 x eligible weight = "
                f"{money.units(place.bonus)} x {ratio_text(result.calibration.scale)}"
                f"{figures_of} / 12 x {ratio_text(weight)}"
                if place.bonus_weight == place.bonus * weight
                else f"multiplier{words} / 12 x {BY_ROW} = {ratio_text(result.calibration.scale)}"
                f"{figures_of} / 12 x {money.minor(place.bonus_weight, 6)}",
                fraction_text(target / plan.currency.scale),
            ),
            *by_team,
            Figure(
                "exact",
                "Exact shared part",
                money.minor(exact, 6),
                exact_how,
                fraction_text(exact / plan.currency.scale),
            ),
            Figure(
                "amount",
                "Shared part",
                money.units(amount),
                "rounded to the minor unit, halves away from zero",
            ),
        ),
    )


def _from_norm(metric: str, source: str) -> str:
    """How a target the plan does not give was derived (its ``target_source``)."""
    return f"derived from {metric}'s norm: {source}"


def goal_step(
    result: Result, month: MonthResult, g: GoalResult, sources: Sources | None = None
) -> Step:
    """A goal's month: target, actual, attainment, the curve's factor and the gate.

    ``sources.month`` (the plan months file and line, for a plan loaded from
    files) says where the metric's target and actual were read.
    """
    plan = result.plan
    where = sources.month if sources is not None else None
    goal = g.goal
    metric = next(m for m in plan.functional.metrics if m.name == goal.metric)
    metric_month = next(mm for mm in metric.months if mm.month == month.month)
    source = metric_month.target_source
    from_curve = goal.curve.factor(g.attainment)
    from_leads = lead_actual_figures(plan, goal.metric, month.month)
    target_how = (
        (
            f"given by the plan: {where} ({goal.metric}_target)"
            if where
            else f"the plan's {goal.metric} target for {month.month}"
        )
        if source == "plan"
        else _from_norm(goal.metric, source)
    )
    actual_how = (
        "the leads' figure (below), from the plan's lead export"
        if from_leads
        else f"{where} ({goal.metric}_actual)"
        if where
        else f"the plan's {goal.metric} actual"
    )
    reads = "the month's"
    share_words = ""
    gate_reads = month.attainment or Fraction(0)
    period = None
    if plan.goals_over_longer:  # the goal runs over a period longer than the shared one
        period = plan.goal_period_at(month.month.index() - plan.months[0].month.index())
        over = plan.attainment_over(period)
        gate_reads = gate_reads if over is None else over
    elif goal.over_period and month.shared_period:  # the goal runs over the shared period
        period = plan.period_of(month.month)
    if period is not None:
        label = period.label
        target_how = f"the {goal.metric} targets of {label}, summed"
        actual_how = f"the {goal.metric} actuals of {label}, summed"
        reads = f"{label}'s"
        if metric.counted:  # a share summed by its counts: the period's share of them
            target_how = (
                f"each month's {goal.metric} target x the count its share is of (its "
                f"denominator), summed over {label}: what the targets ask of the period"
            )
            actual_how = (
                f"the counts the {goal.metric} shares of {label} are made of "
                "(their numerators), summed"
            )
        inside = metric.months[period.first : period.last + 1]
        target_how += summed_targets_source(inside, lambda source: _from_norm(goal.metric, source))
        wholes = sum((Fraction(m.counts.whole) for m in inside if m.counts), Fraction(0))
        if metric.counted and wholes:
            share_words = (
                f": the period's share {ratio_text(Fraction(g.actual) / wholes)} over "
                f"its targets weighted by the counts, {plain(g.target / wholes)}"
            )
        from_leads = lead_period_figures(plan, goal.metric, period.months, label)
    figures = [
        Figure("target", "Target", plain(g.target), target_how, fraction_text(g.target)),
        Figure("actual", "Actual", str(g.actual), actual_how),
        *from_leads,
        Figure(
            "attainment",
            "Attainment",
            ratio_text(g.attainment),
            f"actual / target = {g.actual} / {plain(g.target)} = {percent(g.attainment)}"
            + share_words,
            fraction_text(g.attainment),
        ),
        Figure("curve", "Curve", goal.curve.kind, goal.curve.describe()),
        Figure(
            "curve_factor",
            "Factor from the curve",
            ratio_text(from_curve),
            curve_rule(goal.curve, g.attainment, from_curve),
            fraction_text(from_curve),
        ),
    ]
    gate = plan.functional.gates.functional
    if gate is not None:
        attainment = gate_reads
        figures.append(
            Figure(
                "functional_gate",
                "Functional gate",
                "closed" if g.gated else "open",
                f"{reads} {plan.metric} attainment {percent(attainment)} "
                f"{'is below' if g.gated else 'reaches'} the functional gate {percent(gate)}",
            )
        )
    own = goal.gate
    if own is not None:
        if own.shared:
            reading = gate_reads
        else:
            reading = next(r.attainment for r in month.goals if r.goal.metric == own.metric)
        figures.append(
            Figure(
                "goal_gate",
                "Own gate",
                "closed" if g.goal_gated else "open",
                f"the goal pays only with {own.describe()}: {reads} {own.metric} "
                f"attainment {percent(reading)} "
                f"{'is below' if g.goal_gated else 'reaches'} {percent(own.attainment)}",
            )
        )
    if g.gated:
        why = "0: the functional gate closed the goal"
    elif g.goal_gated:
        why = "0: the goal's own gate closed it"
    else:
        why = "the curve's factor"
    figures.append(
        Figure("factor", "Payout factor", ratio_text(g.factor), why, fraction_text(g.factor))
    )
    return Step(f"goal.{goal.metric}", f"Functional goal: {goal.metric}", tuple(figures))


def goal_pool_step(
    result: Result, month: MonthResult, g: GoalResult, team: int, money: Money
) -> Step:
    """Pool funding: the goal's pool, round(pool at target x factor x (1 - w) x weight x share)."""
    terms = result.calibration.terms
    scale = terms.scale * month.weighting
    words, figures_of = weighting_text(month.weighting)
    w = terms.weight(team)
    total = month.total_split_weight
    share = Fraction(month.team_split_weights[team], total)
    exact = scale * g.factor * (1 - w) * g.goal.weight * share
    # A goal over the shared period is shared out on the weights over the period.
    over = g.goal.over_period and month.shared_period
    whose = f"the total weight over {month.shared_period}" if over else "the month's total weight"
    plan = result.plan
    if plan.goals_over_longer:  # each month of the goal period on its own weights
        index = month.month.index() - plan.months[0].month.index()
        whose = (
            f"the total weight, over the months of {plan.goal_period_at(index).label}, "
            "each month's weights counted over its own total"
        )
    return Step(
        f"goal.{g.goal.metric}.pool",
        f"The {g.goal.metric} pool",
        (
            Figure(
                "team_share",
                "Team's share of the weight",
                plain(share),
                f"the total weight of {g.goal.team} / {whose}",
                fraction_text(share),
            ),
            Figure(
                "pool",
                "Pool",
                money.units(g.pool),
                f"round(pool at target{words} x factor x (1 - w) x goal weight x team's share) = "
                f"round({money.major(terms.scale, 6)}{figures_of} x {plain(g.factor)} x "
                f"{plain(1 - w)} x "
                f"{plain(g.goal.weight)} x {plain(share)}), halves away from zero",
                fraction_text(exact),
            ),
        ),
    )


def goal_split_step(
    result: Result, month: MonthResult, g: GoalResult, *, position: int, money: Money
) -> Step:
    """The member's share of the goal's pool, split among the team by split weight."""
    plan = result.plan
    what, per = split_unit(plan, month.month, own=month.goal_weights is not None)
    return part_split_step(
        key=f"goal.{g.goal.metric}.split",
        title=f"How the {g.goal.metric} pool was split",
        split=month.splits[1 + plan.goals.index(g.goal)],
        per=per,
        position=position,
        rule=f"{what} (members of {g.goal.team} only)",
        money=money,
    )


def goal_line_step(
    result: Result,
    month: MonthResult,
    goal: Goal,
    factor: Fraction,
    *,
    place: Place,
    amount: int,
    money: Money,
) -> Step:
    """Individual funding: the goal's line, target amount x (1 - w) x goal weight x factor."""
    plan = result.plan
    w = result.calibration.terms.weight(place.team)
    target = target_amount(result, month, place)
    exact = target * (1 - w) * goal.weight * factor
    return Step(
        f"goal.{goal.metric}.line",
        f"The {goal.metric} part",
        (
            Figure(
                "exact",
                "Exact part",
                money.minor(exact, 6),
                f"target amount x (1 - w) x goal weight x factor = {money.minor(target, 6)} x "
                f"{plain(1 - w)} x {plain(goal.weight)} x {plain(factor)}",
                fraction_text(exact / plan.currency.scale),
            ),
            Figure(
                "amount",
                "Part",
                money.units(amount),
                "rounded to the minor unit, halves away from zero",
            ),
        ),
    )


def _whose(result: Result, month: MonthResult) -> str:
    """Whose caps pay ``month``: the plan's, or the version's in force for it."""
    version = next((v for v in result.versions if month.month in v.months), None)
    if version is None:
        return "the plan's"
    return f"version {version.number}'s (in force from {version.start})"


def caps_step(
    result: Result,
    month: MonthResult,
    *,
    position: int,
    parts: tuple[int, tuple[int, ...], int],
    labels: Sequence[str],
    money: Money,
) -> Step:
    """What the member earned, the caps and the room under them, and what they cut."""
    plan = result.plan
    caps = plan.functional.caps
    shared, functional, cut = parts
    earned = shared + sum(functional)
    terms = [money.units(shared), *(money.units(a) for a in functional)]
    figures = [
        Figure(
            "earned",
            "Earned before caps",
            money.units(earned),
            " + ".join(f"{label} {term}" for label, term in zip(labels, terms, strict=True)),
        )
    ]
    allowed = earned
    if caps.per_month is not None:
        allowed = min(allowed, caps.per_month)
        figures.append(
            Figure("cap_month", "Cap per month", money.units(caps.per_month),
                   f"{_whose(result, month)} cap per member per month")
        )  # fmt: skip
    if caps.per_year is not None:
        at = next(i for i, m in enumerate(result.months) if m.month == month.month)
        first = at - at % YEAR
        before = sum(earlier.lines[position].total for earlier in result.months[first:at])
        room = max(caps.per_year - before, 0)
        allowed = min(allowed, room)
        start = result.months[first].month
        figures.append(
            Figure("cap_year", "Cap per plan year", money.units(caps.per_year),
                   f"{_whose(result, month)} cap per member per plan year (each 12 plan "
                   "months from the start)")
        )  # fmt: skip
        figures.append(
            Figure(
                "paid_before",
                "Paid earlier this plan year",
                money.units(before),
                f"the member's totals from {start} to the month before {month.month}",
            )
        )
        figures.append(
            Figure(
                "room",
                "Room under the yearly cap",
                money.units(room),
                f"cap per plan year - paid earlier = {money.units(caps.per_year)} - "
                f"{money.units(before)} (not below 0)",
            )
        )
    figures.append(
        Figure(
            "cut",
            "Cut by the caps",
            money.units(cut),
            f"earned - the most the caps allow = {money.units(earned)} - "
            f"{money.units(allowed)}; never paid to anyone",
        )
    )
    return Step("caps", "Caps", tuple(figures))
