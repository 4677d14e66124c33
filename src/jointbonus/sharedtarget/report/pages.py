"""What the Markdown pages people read share: escaped text, cells, tables, the plan in words.

The member statements (:mod:`jointbonus.sharedtarget.report.statements`) and the transparency
report (:mod:`jointbonus.sharedtarget.report.transparency`) are written with these, so the two
pages describe the plan in the same sentences and show a figure the same way.
Text that comes from the plan (ids, teams, names) goes through :func:`md`, so
it always shows as written and never becomes markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from fractions import Fraction

from jointbonus.core.curves import StepCurve
from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text, percent_text
from jointbonus.core.plan_periods import PeriodLength
from jointbonus.sharedtarget.plan import FundingStyle, Plan, Split
from jointbonus.sharedtarget.results import MonthResult, MonthStatus, Result

__all__ = [
    "NORM_PATH_NOTE",
    "advance_cells",
    "cap_limits",
    "factor_cell",
    "goal_word",
    "hit_rate_label",
    "leaver_rule",
    "md",
    "md_table",
    "percent_cell",
    "plan_sentences",
    "plan_teams",
    "result_word",
    "scale_label",
    "scale_text",
]

#: The cost on the norm path says what path it is: beside the expected cost (the mean
#: over the historical scenarios) it would read as a second guess at the same thing.
NORM_PATH_NOTE = "every month at the norm, not the mean over the historical months"

#: Characters that Markdown would read as formatting; escaped in text that
#: comes from the plan (ids, teams, names) so it always shows as written.
_MARKDOWN = re.compile(r"([\\`*_\[\]<>|&~#])")


def md(text: str) -> str:
    """``text`` as literal Markdown on one line."""
    return _MARKDOWN.sub(r"\\\1", " ".join(text.split()))


def percent_cell(value: Fraction | None) -> str:
    """A ratio as a percentage cell (``107.45%``); empty for ``None``."""
    return "" if value is None else percent_text(value)


def factor_cell(value: Fraction | None) -> str:
    """A payout factor as a cell with four decimals; empty for ``None``."""
    return "" if value is None else decimal_text(value, 4)


def md_table(headers: Sequence[str], align: str, rows: Iterable[Sequence[str]]) -> list[str]:
    """A Markdown table; ``align`` has one letter per column, ``l`` or ``r``."""
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(rule) + " |"]
    lines.extend("| " + " | ".join(cell or " " for cell in row) + " |" for row in rows)
    return lines


def advance_cells(currency: Currency, m: MonthResult) -> tuple[str, str, str]:
    """A month's advance; in the month that ends a period, the advances paid in the period
    and its true-up (blank where they do not apply or are not known yet)."""
    if m.status is MonthStatus.PENDING:
        return ("", "", "")
    if not m.ends_period:
        return (currency.format(m.advance), "", "")
    return ("", currency.format(m.advances_paid), currency.format(m.true_up))


def goal_word(month: MonthResult, plan: Plan | None = None) -> str:
    """What a goal's row says in a month that pays no goal: ``pending``, or, in a month
    inside a longer period whose goals run over it (or over a period longer than the
    shared one, of ``plan``), the period that pays them (``in 2026-Q1``)."""
    if plan is not None and plan.goals_over_longer and month.status is MonthStatus.PAID:
        index = month.month.index() - plan.months[0].month.index()
        return "in " + plan.goal_period_at(index).label.split(" ", 1)[0]
    if not month.ends_period and month.status is MonthStatus.PAID:
        return "in " + month.shared_period.split(" ", 1)[0]
    return "pending"


def result_word(month: MonthResult) -> str:
    """A month's result in a word or two: ``hit``, ``miss`` or ``pending``; a month below
    its target whose curve still pays (a linear curve from 95%) is ``below target``, not a
    miss; a month inside a longer shared period that a later month pays says which
    (``in 2026-Q1``)."""
    if not month.ends_period and month.status is MonthStatus.PAID:
        return "in " + month.shared_period.split(" ", 1)[0]
    if month.hit is False and month.factor:
        return "below target"
    return {True: "hit", False: "miss", None: "pending"}[month.hit]


def plan_teams(plan: Plan) -> list[str]:
    """The plan's teams in its order, or its members' teams sorted when it names none."""
    return list(plan.teams) or sorted({m.team for m in plan.members})


def _and(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def scale_text(result: Result) -> str:
    """The calibrated scale: the pool at target with its currency, or the multiplier."""
    plan, currency = result.plan, result.plan.currency
    if plan.funding is FundingStyle.POOL:
        pool = currency.round_to_minor(result.calibration.scale)
        return f"{currency.format(pool)} {currency.code}"
    return decimal_text(result.calibration.scale, 6)


def scale_label(plan: Plan) -> str:
    """What the calibrated scale is: in a plan with functional goals, the pool at target is
    the whole of it, shared and functional parts, and a month's shared pool is a part."""
    if plan.funding is not FundingStyle.POOL:
        return "Target bonus multiplier"
    whole = ", shared + functional" if plan.weighted else ""
    return f"Pool at target per {plan.period.noun}{whole}"


def hit_rate_label(plan: Plan) -> str:
    """The heading of a month's chance, over the historical scenarios, that it pays its
    shared part (:attr:`~jointbonus.sharedtarget.calibration.MonthExpectation.
    shared_hit_rate`): in a plan with functional goals the goals pay apart from it (a
    month ending a goal period pays them whatever the shared target does), so it says
    which part."""
    return "Chance the shared target pays" if plan.goals else "Chance of paying"


def plan_sentences(result: Result) -> str:
    """The plan in two sentences: one target, and how the money is shared.

    A plan with functional goals says instead how the money is divided
    between the shared goal and each team's goals, and what the gates and
    caps do (in a sentence each).
    """
    plan = result.plan
    if plan.weighted:
        return " ".join([_weighted_sentences(result), *_limit_sentences(plan)])
    if plan.functional.caps.any:
        return " ".join([_shared_sentences(result), *_limit_sentences(plan)])
    return _shared_sentences(result)


def _weighted_sentences(result: Result) -> str:
    """How a plan with functional goals pays: the shared target, the weights, the parts."""
    plan = result.plan
    teams = _and([md(t) for t in plan_teams(plan)])
    teams = teams[:1].upper() + teams[1:]
    weights = ", ".join(
        f"{md(w.team)} {percent_text(w.nominal, 2)}" for w in result.calibration.weights
    )
    first = (
        f"{teams} share one monthly {md(plan.metric)} target ({md(plan.curve.describe())}), "
        "and each team with functional goals keeps part of its bonus on them."
    )
    if plan.period is not PeriodLength.MONTH:
        return f"{_period_goal_sentences(result, teams, weights)}{_longer_goals_sentence(plan)}"
    if plan.funding is FundingStyle.INDIVIDUAL:
        second = (
            f"Each member's target bonus for the month (annual target bonus x "
            f"{scale_text(result)} / 12 x their weight) is divided by their team's shared "
            f"weight ({weights}) between the shared target and their team's goals, each part "
            "paid at its own payout factor."
        )
    else:
        by = {
            Split.EQUAL: "FTE and days active",
            Split.SALARY: "FTE x days active x annual base salary",
            Split.TARGET_BONUS: "FTE x days active x annual target bonus",
        }[plan.split]
        second = (
            f"The month's pool at target, {scale_text(result)}, is divided between the shared "
            f"target and each team's goals by the team's shared weight ({weights}); each part "
            f"pays at its own payout factor and is shared in proportion to {by} among the "
            "members it belongs to."
        )
    return f"{first} {second}{_longer_goals_sentence(plan)}"


def _longer_goals_sentence(plan: Plan) -> str:
    """With goals over a period longer than the shared one: when and how they are paid
    (``""`` otherwise)."""
    if not plan.goals_over_longer:
        return ""
    noun = plan.goal_length.noun
    how = "actuals summed / targets summed"
    if any(metric.counted for metric in plan.functional.metrics):
        how += (
            "; a share read from the leads: its months' counts summed / each month's "
            "target x its leads, summed"
        )
    return (
        f" The goals are measured over the {noun} ({how}) and paid at its end, each of its "
        "months' goal parts on that month's weights."
    )


def _period_goal_sentences(result: Result, teams: str, weights: str) -> str:
    """A plan with functional goals and a shared target over a quarter or a plan year."""
    plan = result.plan
    noun = plan.period.noun
    first = (
        f"{teams} share one {md(plan.metric)} target per {noun} "
        f"({md(plan.curve.describe())}), paid in the month that ends the {noun} on its "
        "actuals summed / its targets summed, and each team with functional goals keeps "
        "part of its bonus on them, paid month by month."
    )
    if plan.goals_over_period:
        first = first.replace(
            "paid month by month.", f"measured and paid over the {noun} the same way."
        )
        amounts = (
            f"Each member's target bonus (annual target bonus x {scale_text(result)} / 12 x "
            f"their weight over the {noun})"
            if plan.funding is FundingStyle.INDIVIDUAL
            else f"The {noun}'s pool at target, {scale_text(result)},"
        )
    elif plan.funding is FundingStyle.INDIVIDUAL:
        amounts = (
            f"Each member's target bonus (annual target bonus x {scale_text(result)} / 12 x "
            "their weight, over the {noun} for the shared part, over the month for the goals)"
        ).replace("{noun}", noun)
    else:
        amounts = (
            f"The {noun}'s pool at target, {scale_text(result)} (for the goals, spread evenly "
            f"over its months)"
        )
    second = (
        f"{amounts} is divided by the team's shared weight ({weights}) between the shared "
        "target and the team's goals; each part pays at its own payout factor."
    )
    return f"{first} {second}"


def _limit_sentences(plan: Plan) -> list[str]:
    """The gates and caps, a sentence each."""
    sentences = []
    gates = plan.functional.gates
    if gates.functional is not None:
        sentences.append(
            f"No functional part pays in a month whose {md(plan.metric)} attainment is below "
            f"{percent_text(gates.functional)}."
        )
    if gates.shared is not None:
        sentences.append(
            "A team's shared part pays only in a month where each of its goals reaches "
            f"{percent_text(gates.shared)}."
        )
    sentences += [
        f"{md(goal.key)} pays only in a month with {md(goal.gate.describe())}."
        for goal in plan.goals
        if goal.gate is not None
    ]
    caps = plan.functional.caps
    if caps.any:
        code = plan.currency.code
        limits = [
            f"{plan.currency.format(cap)} {code} a {label}"
            for label, cap in (("month", caps.per_month), ("plan year", caps.per_year))
            if cap is not None
        ]
        sentences.append(
            f"Nobody is paid more than {' or '.join(limits)}; what a cap cuts is not paid."
        )
    return sentences


def _shared_sentences(result: Result) -> str:
    """The plan on the shared goal alone in two sentences."""
    plan = result.plan
    teams = _and([md(t) for t in plan_teams(plan)])
    metric = md(plan.metric)
    curve = plan.curve
    teams = teams[:1].upper() + teams[1:]
    if plan.period.months > 1:
        return _period_sentences(result, teams, metric)
    if isinstance(curve, StepCurve) and curve.threshold == 1 and curve.payout == 1:
        first = (
            f"{teams} share one monthly {metric} target: in a month that reaches it, "
            "everybody in the plan earns a bonus, and in a month that misses it, nobody does."
        )
    else:
        first = (
            f"{teams} share one monthly {metric} target, and every month's payout factor "
            f"follows one curve for everybody ({md(curve.describe())})."
        )
    if plan.funding is FundingStyle.INDIVIDUAL:
        second = (
            f"Each member earns their annual target bonus x {scale_text(result)} / 12 x "
            "their weight (FTE x days active / days in the month) x the payout factor."
        )
    else:
        by = {
            Split.EQUAL: "shared equally among everybody in the plan that month, "
            "in proportion to FTE and days active",
            Split.SALARY: "shared among everybody in the plan that month in proportion "
            "to FTE x days active x annual base salary",
            Split.TARGET_BONUS: "shared among everybody in the plan that month in "
            "proportion to FTE x days active x annual target bonus",
        }[plan.split]
        second = (
            f"The month's pool, {scale_text(result)} at target times the payout factor, is {by}."
        )
    return f"{first} {second}"


def _period_sentences(result: Result, teams: str, metric: str) -> str:
    """The plan on a shared target over a quarter or a plan year, in three sentences."""
    plan = result.plan
    noun = plan.period.noun
    first = (
        f"{teams} share one {metric} target per {noun} ({md(plan.curve.describe())}): a "
        f"{noun}'s attainment is its actuals summed / its targets summed, and what it earns "
        "is paid in the month that ends it; the months before that pay nothing for it."
    )
    if plan.funding is FundingStyle.INDIVIDUAL:
        second = (
            f"Each member earns their annual target bonus x {scale_text(result)} / 12 x their "
            f"weight over the {noun} (FTE x days active / days in the month, summed over its "
            "months) x the payout factor."
        )
    else:
        second = (
            f"The {noun}'s pool, {scale_text(result)} at target times the payout factor, is "
            f"shared by each member's weight over the {noun} (FTE x days active / days in the "
            f"month, summed over its months{_split_by(plan)})."
        )
    return f"{first} {second}"


def _split_by(plan: Plan) -> str:
    return {
        Split.EQUAL: "",
        Split.SALARY: ", x annual base salary",
        Split.TARGET_BONUS: ", x annual target bonus",
    }[plan.split]


def leaver_rule(plan: Plan) -> str:
    """The plan's leaver rule, as the end of a sentence."""
    if plan.pay_leavers_for_exit_month:
        return (
            "a member who leaves before a month's last day is paid for the days they "
            "were there (`pay_leavers_for_exit_month = true`)"
        )
    return (
        "a member who leaves before a month's last day is not paid for that month "
        "(`pay_leavers_for_exit_month = false`)"
    )


def cap_limits(plan: Plan) -> list[str]:
    """The plan's caps in words: ``["1,800.00 GBP a month", ...]`` (empty without caps)."""
    caps = plan.functional.caps
    currency = plan.currency
    return [
        f"{currency.format(cap)} {currency.code} a {label}"
        for label, cap in (("month", caps.per_month), ("plan year", caps.per_year))
        if cap is not None
    ]
