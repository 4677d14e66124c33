"""JSON-ready documents: the plan, its calibration, the summary, months and lines.

Every amount leaves as a decimal string in the plan currency (``"1234.50"``),
every ratio (attainment, payout factor, weight) as a decimal string with six
decimals, rounded half away from zero from its exact value. Keys keep the
order they are set in, so :func:`render_json` gives the same text, byte for
byte, for the same result, whatever the hash seed or the ambient decimal
context. :data:`LINE_COLUMNS` and :data:`MONTH_COLUMNS` are the keys of a line
and of a month, in the order the CSV files write them.

A plan with functional goals or caps adds to these (a plan without them gives
exactly the documents it always did): the plan's ``goals``, ``gates`` and
``caps``; the top-level ``weighting`` (:func:`weighting_document`: each team's
nominal, wanted, expected and realised shared weight); each month's ``goals``
and ``capped``; each line's ``functional`` parts by metric and ``capped``.
A plan whose ledger has closed months adds ``ledger``, ``corrections`` and
``recoveries`` (:func:`~jointbonus.sharedtarget.report.corrections.ledger_sections`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from typing import Any, TypeVar

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_text
from jointbonus.core.periods import Month
from jointbonus.core.roster import Roster
from jointbonus.errors import argument
from jointbonus.sharedtarget.calibration import Calibration, calibration_argument
from jointbonus.sharedtarget.goals import Goal
from jointbonus.sharedtarget.plan import FundingStyle, Neutrality, Plan, plan_argument
from jointbonus.sharedtarget.report.corrections import ledger_sections
from jointbonus.sharedtarget.results import (
    TRUE_UP,
    Line,
    MonthResult,
    MonthStatus,
    Result,
    Settlement,
    realised_weights,
    result_argument,
)
from jointbonus.sharedtarget.versions import VersionCalibration

__all__ = [
    "LINE_COLUMNS",
    "MONTH_COLUMNS",
    "RATIO_PLACES",
    "MonthLineDocuments",
    "calibration_document",
    "caps_costing",
    "exact_text",
    "flat_line",
    "has_goal_gates",
    "head_document",
    "line_columns",
    "line_document",
    "minor_text",
    "month_counts",
    "month_document",
    "month_heads",
    "number_text",
    "plan_document",
    "ratio_text",
    "result_document",
    "settlement_document",
    "shared_gated",
    "summary_document",
    "versions_document",
    "weighting_document",
]

RATIO_PLACES = 6

LINE_COLUMNS = (
    "member_id", "team", "period", "days", "weight", "attainment", "payout_factor",
    "shared", "total", "status", "reason",
)  # fmt: skip
MONTH_COLUMNS = (
    "period", "target", "target_source", "actual", "attainment", "payout_factor", "hit",
    "status", "pool", "paid",
)  # fmt: skip


def ratio_text(value: Fraction | None) -> str | None:
    """A ratio as text with :data:`RATIO_PLACES` decimals; ``None`` stays ``None``."""
    return None if value is None else decimal_text(value, RATIO_PLACES)


def minor_text(currency: Currency, value: Fraction, extra: int = 0) -> str:
    """An amount in minor units (possibly fractional) as major-unit text."""
    return decimal_text(value / currency.scale, currency.minor_unit + extra)


def exact_text(value: Fraction) -> str:
    """An exact ratio as ``n/d`` (``"47/75"``, ``"1/1"``)."""
    return f"{value.numerator}/{value.denominator}"


#: Decimals a metric's figure is written with at most; beyond, it is rounded.
NUMBER_PLACES = 12


def number_text(value: Fraction) -> str:
    """A functional metric's figure (a target) in the fewest decimals that show it exactly.

    ``Fraction(9, 10)`` -> ``"0.9"``, ``50`` -> ``"50"``; a value needing more
    than :data:`NUMBER_PLACES` decimals is rounded half away from zero to six.
    """
    for places in range(NUMBER_PLACES + 1):
        if (value * 10**places).denominator == 1:
            return decimal_text(value, places)
    return decimal_text(value, RATIO_PLACES)


def line_columns(plan: Plan) -> tuple[str, ...]:
    """The columns of ``lines.csv`` for ``plan``: :data:`LINE_COLUMNS`, and

    * with functional goals, ``functional_METRIC`` for each metric a goal of
      the plan measures (plan order), after ``shared``;
    * with caps, ``capped`` before ``total``;
    * with a holdback, ``held`` and ``paid_now`` after ``total``;
    * with advances, ``kind`` after ``period`` (``advance``: the line pays the
      month's advance on its shared period; ``true-up``: the period's pay less
      the advances paid in it) and ``advances_paid`` before ``total`` (on a
      true-up line: shared - capped - advances_paid = total).
    """
    at = LINE_COLUMNS.index("total")
    extra = (
        *(f"functional_{metric}" for metric in _goal_metrics(plan)),
        *(("capped",) if plan.functional.caps.any else ()),
    )
    held = ("held", "paid_now") if plan.holdback else ()
    if plan.advance is not None:  # what each line pays of its shared period
        period = LINE_COLUMNS.index("period") + 1
        return (
            *LINE_COLUMNS[:period],
            "kind",
            *LINE_COLUMNS[period:at],
            *extra,
            "advances_paid",
            "total",
            *LINE_COLUMNS[at + 1 :],
        )
    if not extra and not held:
        return LINE_COLUMNS
    return (*LINE_COLUMNS[:at], *extra, "total", *held, *LINE_COLUMNS[at + 1 :])


def _goal_metrics(plan: Plan) -> list[str]:
    """The metrics the plan's goals measure, each once, in plan order."""
    return list(dict.fromkeys(goal.metric for goal in plan.goals))


def flat_line(document: dict[str, Any]) -> dict[str, Any]:
    """A line document with its ``functional`` parts as ``functional_METRIC`` keys.

    A metric the member's team has no goal on is absent (an empty cell in a
    table of :func:`line_columns`).
    """
    functional = document.get("functional")
    if functional is None:
        return document
    flat = {k: v for k, v in document.items() if k != "functional"}
    flat.update((f"functional_{metric}", amount) for metric, amount in functional.items())
    return flat


def plan_document(plan: Plan) -> dict[str, Any]:
    """What the plan is, in words and numbers."""
    return {
        "name": plan.name,
        "currency": plan.currency.code,
        "metric": plan.metric,
        "first_month": str(plan.months[0].month) if plan.months else None,
        "last_month": str(plan.months[-1].month) if plan.months else None,
        "months": len(plan.months),
        "members": len(plan.members),
        "funding": plan.funding.value,
        "split": plan.split.value if plan.funding is FundingStyle.POOL else None,
        "curve": plan.curve.describe(),
        "neutrality": plan.neutrality.value,
        "norm": {
            "method": plan.norm.method.value,
            "description": plan.norm.describe(),
            "sample_months": len(plan.norm.sample),
            "first_sample_month": str(plan.norm.sample_months[0]),
            "last_sample_month": str(plan.norm.sample_months[-1]),
            "mean_attainment": ratio_text(plan.norm.mean_attainment),
            "uplift": ratio_text(plan.uplift),
        },
        "budget": str(plan.currency.from_minor(plan.budget.amount)),
        "budget_source": plan.budget.source,
        "pay_leavers_for_exit_month": plan.pay_leavers_for_exit_month,
        "holdback": ratio_text(plan.holdback),
        **_functional_settings(plan),
        **_period_settings(plan),
    }


def _advance_figures(currency: Currency, m: MonthResult) -> dict[str, str | None]:
    """A plan with advances: the month's advance (a month inside a period), or the advances
    paid in the period and its true-up (the month that ends it); ``None`` where they do
    not apply or are not known yet."""
    paid = m.status is MonthStatus.PAID

    def money(amount: int, applies: bool) -> str | None:
        return str(currency.from_minor(amount)) if paid and applies else None

    return {
        "advance": money(m.advance, not m.ends_period),
        "advances_paid": money(m.advances_paid, m.ends_period),
        "true_up": money(m.true_up, m.ends_period),
    }


def _period_settings(plan: Plan) -> dict[str, Any]:
    """A shared target over a quarter or a plan year: its period and the periods' labels
    (nothing for a monthly one, whose document is as it always was)."""
    if plan.period.months == 1:
        return {}
    advance = {} if plan.advance is None else {"advance": ratio_text(plan.advance)}
    return {
        "shared_period": plan.period.value,
        "shared_periods": [period.label for period in plan.periods],
        **advance,
    }


def _goal_gate_setting(goal: Goal) -> dict[str, Any]:
    """A goal's own gate, for a goal that has one (none: no key, as before gates existed)."""
    gate = goal.gate
    if gate is None:
        return {}
    return {
        "gate": {
            "metric": gate.metric,
            "shared": gate.shared,
            "attainment": ratio_text(gate.attainment),
        }
    }


def has_goal_gates(plan: Plan) -> bool:
    """Whether some goal of ``plan`` has a gate of its own."""
    return any(goal.gate is not None for goal in plan.goals)


def _functional_settings(plan: Plan) -> dict[str, Any]:
    """The plan's goals and gates (with functional goals) and caps (with caps)."""
    currency = plan.currency
    settings: dict[str, Any] = {}
    if plan.weighted:
        settings["goals"] = [
            {
                "team": goal.team,
                "metric": goal.metric,
                "weight": ratio_text(goal.weight),
                "curve": goal.curve.describe(),
                **_goal_gate_setting(goal),
                **({"period": goal.period.value} if goal.over_period else {}),
            }
            for goal in plan.goals
        ]
        gates = plan.functional.gates
        settings["gates"] = {
            "functional": ratio_text(gates.functional),
            "shared": ratio_text(gates.shared),
        }
    caps = plan.functional.caps
    if caps.any:
        settings["caps"] = {
            "per_month": None
            if caps.per_month is None
            else str(currency.from_minor(caps.per_month)),
            "per_year": None if caps.per_year is None else str(currency.from_minor(caps.per_year)),
        }
    return settings


def calibration_document(plan: Plan, calibration: Calibration) -> dict[str, Any]:
    """The calibration: the scale, how it was found, and the neutrality evidence; a plan
    with advances adds ``advance``: the share advanced, and that advances cost nothing."""
    plan = plan_argument(plan)
    calibration = calibration_argument(calibration)
    currency = plan.currency
    scale_places = currency.minor_unit + 6 if plan.funding is FundingStyle.POOL else 12
    return {
        "neutrality": calibration.neutrality.value,
        "calibrated": calibration.calibrated,
        "scale_name": plan.scale_name,
        "scale": decimal_text(calibration.scale, scale_places),
        "scale_exact": f"{calibration.scale.numerator}/{calibration.scale.denominator}",
        "budget": str(currency.from_minor(calibration.budget)),
        "unit_cost": decimal_text(calibration.unit_cost, currency.minor_unit + 6),
        "expected_cost": minor_text(currency, calibration.expected_cost),
        "norm_path_cost": str(currency.from_minor(calibration.norm_path_cost)),
        "residual": minor_text(currency, calibration.residual, 4),
        "rounding_bound": minor_text(currency, calibration.rounding_bound, 4),
        "within_bound": calibration.within_bound,
        "scenarios": calibration.scenarios,
        **({"paths": calibration.paths} if plan.functional.caps.any else {}),
        **(
            {"advance": {"share": ratio_text(plan.advance), "cost_neutral": True}}
            if plan.advance is not None
            else {}
        ),
        "months": [
            {
                "period": str(m.month),
                "norm_attainment": ratio_text(m.norm_attainment),
                "hit_rate": ratio_text(m.hit_rate),
                "mean_payout_factor": ratio_text(m.mean_factor),
                **(
                    {
                        "mean_goal_factors": {
                            goal.key: ratio_text(factor)
                            for goal, factor in zip(plan.goals, m.mean_goal_factors, strict=True)
                        }
                    }
                    if plan.weighted
                    else {}
                ),
                "expected_cost": minor_text(currency, m.expected_cost),
                "norm_path_cost": str(currency.from_minor(m.norm_path_cost)),
            }
            for m in calibration.months
        ],
    }


def weighting_document(
    plan: Plan, calibration: Calibration, result: Result | None = None
) -> dict[str, Any]:
    """Each team's weighting between the shared goal and its functional goals.

    ``{team: {nominal, nominal_exact, wanted, expected, realised,
    shared_expected, functional_expected, shared_earned, functional_earned}}``
    in the plan's team order; empty for a plan without functional goals.
    ``wanted`` is ``None`` when the plan gave the weight; ``expected`` when the
    team can expect nothing. Without a ``result`` (calibration only) the
    realised weight and the earnings are ``None``; with one, ``realised`` is
    ``None`` until the team has earned something. Expected and earned amounts
    are before caps, like the weights.
    """
    currency = plan.currency
    realised = {r.team: r for r in realised_weights(result)} if result is not None else {}
    document: dict[str, Any] = {}
    for weight in calibration.weights:
        earned = realised.get(weight.team)
        document[weight.team] = {
            "nominal": ratio_text(weight.nominal),
            "nominal_exact": exact_text(weight.nominal),
            "wanted": ratio_text(weight.wanted),
            "expected": ratio_text(weight.expected),
            "realised": None if earned is None else ratio_text(earned.weight),
            "shared_expected": minor_text(currency, weight.shared_expected),
            "functional_expected": minor_text(currency, weight.functional_expected),
            "shared_earned": None if earned is None else str(currency.from_minor(earned.shared)),
            "functional_earned": None
            if earned is None
            else str(currency.from_minor(earned.functional)),
        }
    return document


def month_document(currency: Currency, m: MonthResult, plan: Plan | None = None) -> dict[str, Any]:
    """A month as JSON-ready data; with ``plan``, its functional goals and caps too.

    ``pool`` is the shared goal's pool (pool funding) or the sum of the shared
    lines; ``paid`` is what the month pays, every part, after the caps. A
    plan with functional goals adds ``goals`` (one object per goal of the
    plan; while the month is pending, only its target and any actual are
    known) and, with a shared gate, ``shared_gated`` (the teams whose shared
    part it closed); a plan with caps adds ``capped`` (what they cut). A
    shared target over a quarter or a plan year adds ``shared_period`` (its
    label) and ``ends_period``: the month that ends a period has the period's
    summed target and actual and its attainment; a month inside one pays
    nothing and has none. A plan with advances adds ``advance`` (a month
    inside a period: what it advances on the period's pay), ``advances_paid``
    and ``true_up`` (the month that ends a period), each ``None`` where it
    does not apply or is not known yet.
    """
    document: dict[str, Any] = {
        "period": str(m.month),
        "target": decimal_text(m.plan_month.target, currency.minor_unit),
        "target_source": m.plan_month.target_source,
        "actual": None if m.plan_month.actual is None else str(m.plan_month.actual),
        "attainment": ratio_text(m.attainment),
        "payout_factor": ratio_text(m.factor),
        "hit": m.hit,
        "status": m.status.value,
        "pool": None if m.pool is None else str(currency.from_minor(m.pool)),
        "paid": str(currency.from_minor(m.paid)),
    }
    if m.shared_period:  # a shared target over a quarter or a plan year
        document["shared_period"] = m.shared_period
        document["ends_period"] = m.ends_period
    if plan is None:
        return document
    if plan.versions:  # which version paid the month
        document["version"] = plan.version_of(m.month)
    if plan.weighted:
        document["goals"] = _goal_documents(plan, m)
        if plan.functional.gates.shared is not None:
            document["shared_gated"] = (
                None if m.status is MonthStatus.PENDING else shared_gated(plan, m)
            )
    if plan.functional.caps.any:
        document["capped"] = str(currency.from_minor(m.capped))
    if plan.advance is not None:
        document.update(_advance_figures(currency, m))
    return document


def caps_costing(plan: Plan, calibration: Calibration) -> str:
    """How calibration costed a plan's caps, in words (from ``calibration.paths``)."""
    if plan.neutrality is Neutrality.NORM_PATH:
        return "the norm path: every plan month at the norm, each plan year capped in turn"
    if plan.month_norm is not None:  # goals month by month beside a longer shared period
        noun = plan.period.noun
        return (
            f"{calibration.paths:,} plan-year paths through the history (path p takes "
            f"historical {noun} (p + k) mod {calibration.scenarios} for plan {noun} k, its "
            "months together), each capped"
        )
    return (
        f"{calibration.paths:,} plan-year paths through the history (path p takes historical "
        f"month (p + j) mod {calibration.scenarios} for plan month j), each capped"
    )


def shared_gated(plan: Plan, month: MonthResult) -> list[str]:
    """The teams whose shared part the shared gate closed in a paid ``month``.

    Only months whose shared factor pays count: in a month the shared curve
    pays nothing, no gate closed anything.
    """
    if month.status is MonthStatus.PENDING or not month.factor:
        return []
    return [
        terms.team
        for index, terms in enumerate(plan.functional.terms)
        if terms.goals and not month.shared_for(index)
    ]


def month_counts(result: Result) -> list[tuple[str, str]]:
    """The months so far in words, as (label, count) rows for people.

    A month *with actuals* has every actual it needs and was paid, possibly
    0: how many of them paid money is said apart, so that nobody reads the
    months with actuals as months with money paid. A quarterly or yearly
    shared target is decided at its period's end: its periods decided, paying
    and hit are counted, not its months.
    """
    s = result.summary
    decided = [m for m in result.months if m.ends_period and m.status is MonthStatus.PAID]
    paying = sum(1 for m in decided if m.paid)
    hit = sum(1 for m in decided if m.hit)
    noun = result.plan.period.noun
    periods = sum(1 for m in result.months if m.ends_period)
    rows = [("Months with actuals", f"{s.months_paid} of {len(result.months)}")]
    if result.plan.period.months > 1:
        rows.append((f"{noun.capitalize()}s decided", f"{len(decided)} of {periods}"))
    rows += [
        (f"{noun.capitalize()}s that paid money", f"{paying} of {len(decided)}"),
        (f"{noun.capitalize()}s the target was hit", f"{hit} of {len(decided)}"),
        ("Months pending (an actual missing)", str(s.months_pending)),
    ]
    return rows


def _goal_documents(plan: Plan, m: MonthResult) -> list[dict[str, Any]]:
    """Each functional goal's month: target, actual, attainment, factor, gate, pool."""
    currency = plan.currency
    own_gates = has_goal_gates(plan)
    if m.status is MonthStatus.PAID and m.goals:
        return [
            {
                "team": g.goal.team,
                "metric": g.goal.metric,
                "target": number_text(g.target),
                "actual": str(g.actual),
                "attainment": ratio_text(g.attainment),
                "factor": ratio_text(g.factor),
                "gated": g.gated,
                "pool": str(currency.from_minor(g.pool)),
                **({"goal_gated": g.goal_gated} if own_gates else {}),
            }
            for g in m.goals
        ]
    metrics = {metric.name: metric for metric in plan.functional.metrics}
    documents = []
    for goal in plan.goals:
        month = next(mm for mm in metrics[goal.metric].months if mm.month == m.month)
        documents.append(
            {
                "team": goal.team,
                "metric": goal.metric,
                "target": number_text(month.target),
                "actual": None if month.actual is None else str(month.actual),
                "attainment": None,
                "factor": None,
                "gated": None,
                "pool": None,
                **({"goal_gated": None} if own_gates else {}),
            }
        )
    return documents


def summary_document(result: Result) -> dict[str, Any]:
    currency = result.plan.currency
    s = result.summary
    return {
        "budget": str(currency.from_minor(s.budget)),
        "expected_cost": minor_text(currency, s.expected_cost),
        "paid_to_date": str(currency.from_minor(s.paid_to_date)),
        "expected_to_date": minor_text(currency, s.expected_to_date),
        "variance_to_date": minor_text(currency, s.variance_to_date),
        "cost_on_current_pace": str(currency.from_minor(s.cost_on_pace)),
        "pace_variance": str(currency.from_minor(s.pace_variance)),
        "months_paid": s.months_paid,
        "months_pending": s.months_pending,
        "months_hit": s.months_hit,
        **(
            {
                "held_to_date": str(currency.from_minor(s.held_to_date)),
                "forfeited_to_date": str(currency.from_minor(s.forfeited_to_date)),
            }
            if result.plan.holdback
            else {}
        ),
        **(
            {"capped_to_date": str(currency.from_minor(sum(m.capped for m in result.months)))}
            if result.plan.functional.caps.any
            else {}
        ),
    }


def line_document(
    line: Line, *, holdback: bool = False, functional: bool = False, capped: bool = False
) -> dict[str, Any]:
    """A line as JSON-ready data; ``holdback`` adds ``held`` and ``paid_now``.

    ``functional`` (a plan with functional goals) adds the member's team's
    functional parts, ``{metric: amount}``, and ``capped`` (a plan with caps)
    what the caps cut: ``total`` is ``shared`` + the functional parts -
    ``capped``.
    """
    return _line_fields(
        {"member_id": line.member_id, "team": line.team},
        period=str(line.period),
        days=line.days,
        weight=ratio_text(line.weight),
        attainment=ratio_text(line.attainment),
        payout_factor=ratio_text(line.payout_factor),
        shared=str(line.shared),
        functional=[(metric, str(amount)) for metric, amount in line.functional]
        if functional
        else None,
        capped=str(line.capped) if capped else None,
        total=str(line.total),
        status=line.status.value,
        reason=line.reason,
        held=(str(line.held), str(line.total if line.paid_now is None else line.paid_now))
        if holdback
        else None,
        kind=line.kind,
        advanced=str(line.advanced) if line.kind == TRUE_UP else None,
    )


def _line_fields(
    document: dict[str, Any],
    *,
    period: str,
    days: int,
    weight: str | None,
    attainment: str | None,
    payout_factor: str | None,
    shared: str,
    functional: list[tuple[str, str]] | None,
    capped: str | None,
    total: str,
    status: str,
    reason: str,
    held: tuple[str, str] | None,
    kind: str = "",
    advanced: str | None = None,
) -> dict[str, Any]:
    """A line document's keys, in their order, after those in ``document``; a line of a
    plan with advances (``kind``) adds ``kind`` and ``advances_paid``."""
    document["period"] = period
    if kind:
        document["kind"] = kind
    document["days"] = days
    document["weight"] = weight
    document["attainment"] = attainment
    document["payout_factor"] = payout_factor
    document["shared"] = shared
    if functional is not None:
        document["functional"] = dict(functional)
    if capped is not None:
        document["capped"] = capped
    if kind:
        document["advances_paid"] = advanced
    document["total"] = total
    document["status"] = status
    document["reason"] = reason
    if held is not None:
        document["held"], document["paid_now"] = held
    return document


class MonthLineDocuments:
    """The documents of one month's lines, as :func:`line_document` makes them.

    A month repeats the same few figures over many members, so each distinct
    line's document is made once (:meth:`of`), and each text within it (a
    weight, an amount) once; a member's document adds only their id and team.
    """

    def __init__(
        self,
        currency: Currency,
        month: MonthResult,
        *,
        holdback: bool = False,
        functional: bool = False,
        capped: bool = False,
    ) -> None:
        self._currency = currency
        self._month = month
        self._holdback, self._functional, self._capped = holdback, functional, capped
        self._period = str(month.month)
        self._attainment = ratio_text(month.attainment)
        self._factor = ratio_text(month.factor)
        self._made: dict[int, dict[str, Any]] = {}
        self._amounts: dict[int, str] = {}
        self._weights: dict[tuple[int, int], str | None] = {}

    def _amount(self, units: int) -> str:
        text = self._amounts.get(units)
        if text is None:
            text = self._amounts[units] = str(self._currency.from_minor(units))
        return text

    def of(self, index: int) -> dict[str, Any]:
        """The document of the month's distinct line ``index``, without member id and team."""
        made = self._made.get(index)
        if made is not None:
            return made
        figures = self._month.lines.figures[index]
        # By numerator and denominator: a Fraction's own hash is worked out in Python.
        key = (figures.weight.numerator, figures.weight.denominator)
        weight = self._weights.get(key)
        if weight is None:
            weight = self._weights[key] = ratio_text(figures.weight)
        amount = self._amount
        made = self._made[index] = _line_fields(
            {},
            period=self._period,
            days=figures.days,
            weight=weight,
            attainment=self._attainment,
            payout_factor=self._factor,
            shared=amount(figures.shared),
            functional=[(metric, amount(part)) for metric, part in figures.functional]
            if self._functional
            else None,
            capped=amount(figures.capped) if self._capped else None,
            total=amount(figures.total),
            status=figures.status.value,
            reason=figures.reason,
            held=(amount(figures.held), amount(figures.total - figures.held))
            if self._holdback
            else None,
            kind=figures.kind,
            advanced=amount(figures.advanced) if figures.kind == TRUE_UP else None,
        )
        return made


def settlement_document(settlement: Settlement, *, year: bool = False) -> dict[str, Any]:
    """A settlement as JSON-ready data; ``year`` (plans of more than one plan year) adds the
    plan year it settles, ``plan_year`` (1 for the first), and its ``first_month`` and
    ``last_month``."""
    document: dict[str, Any] = {
        "member_id": settlement.member_id,
        "team": settlement.team,
    }
    if year:
        document["plan_year"] = settlement.year
        document["first_month"] = str(settlement.first)
        document["last_month"] = str(settlement.last)
    document["held"] = str(settlement.held)
    document["status"] = settlement.status.value
    document["paid"] = str(settlement.paid)
    document["reason"] = settlement.reason
    return document


def result_document(result: Result, *, lines: bool = True) -> dict[str, Any]:
    """The whole result as JSON-ready data: plan, calibration, summary, months, lines.

    :func:`head_document`, then ``lines`` (unless ``lines=False``), in a
    plan with a holdback ``settlements``, and in a plan with a payment ledger
    its sections (:func:`~jointbonus.sharedtarget.report.corrections.ledger_sections`).
    """
    result = result_argument(result)
    lines = argument("lines", lines, bool, "True or False")
    document = head_document(result)
    holdback = bool(result.plan.holdback)
    if lines:
        document["lines"] = list(_line_documents(result, holdback))
    if holdback:
        year = result.several_years
        document["settlements"] = [settlement_document(s, year=year) for s in result.settlements()]
    document.update(ledger_sections(result))
    return document


def head_document(result: Result) -> dict[str, Any]:
    """The result's document up to its lines: plan, calibration, weighting, summary, months.

    The parts that do not grow with the roster, in the order
    :func:`result_document` gives them (``weighting`` only in a plan with
    functional goals).
    """
    plan = result.plan
    weighted_or_capped = (
        plan.weighted or plan.functional.caps.any or bool(plan.versions) or plan.advance is not None
    )
    return {
        "plan": plan_document(plan),
        "calibration": calibration_document(plan, result.calibration),
        **({"versions": versions_document(plan, result.versions)} if result.versions else {}),
        **(
            {"weighting": weighting_document(plan, result.calibration, result)}
            if plan.weighted
            else {}
        ),
        "summary": summary_document(result),
        "months": [
            month_document(plan.currency, m, plan if weighted_or_capped else None)
            for m in result.months
        ],
    }


def versions_document(plan: Plan, versions: tuple[VersionCalibration, ...]) -> list[dict[str, Any]]:
    """Each version of ``plan`` as JSON-ready data: its months, design, calibration and
    neutrality (``jointbonus run`` and ``jointbonus calibrate`` alike)."""
    currency = plan.currency
    documents = []
    for version in versions:
        design = version.design
        documents.append(
            {
                "version": version.number,
                "from": str(version.start),
                "months": [str(m) for m in version.months],
                "curve": design.curve.describe(),
                "split": design.split.value if design.funding is FundingStyle.POOL else None,
                "neutral_to": minor_text(currency, version.neutral_cost),
                "expected_cost": minor_text(currency, version.expected_cost),
                **(
                    {"goal_periods": [p.label for p in version.goal_periods]}
                    if version.goal_periods
                    else {}
                ),
                "calibration": calibration_document(design, version.calibration),
                **(
                    {"weighting": weighting_document(design, version.calibration)}
                    if design.weighted
                    else {}
                ),
            }
        )
    return documents


def _line_documents(result: Result, holdback: bool) -> Iterator[dict[str, Any]]:
    """Every line's document, as :func:`line_document` makes it, by period then member id.

    Each month's distinct lines are made once (:class:`MonthLineDocuments`)
    and given each member's id and team -- the same keys in the same order,
    so the JSON is the same.
    """
    plan = result.plan
    roster = Roster.of(plan.members)
    options = (
        {"functional": plan.weighted, "capped": plan.functional.caps.any}
        if plan.weighted or plan.functional.caps.any
        else {}
    )
    teams_of = month_heads(plan, roster.teams, lambda _, team: team)
    for month_result in result.months:
        documents = MonthLineDocuments(plan.currency, month_result, holdback=holdback, **options)
        teams = teams_of(month_result.month)
        for member_id, team, index in zip(
            roster.ids, teams, month_result.lines.of_member, strict=True
        ):
            yield {"member_id": member_id, "team": team, **documents.of(index)}


#: A member's head: text (JSON, a team) or the UTF-8 bytes of lines.csv's cells.
_Head = TypeVar("_Head", str, bytes)


def month_heads(
    plan: Plan, heads: Sequence[_Head], make: Callable[[str, str], _Head]
) -> Callable[[Month], Sequence[_Head]]:
    """Each month's heads of the members' lines: ``heads``, one per member made from
    their id and team (the team of their last roster row), but for a member whose team
    changes during the plan, whose head names the month's team (the team at the month's
    end, as their :class:`~jointbonus.sharedtarget.results.Line` does): ``make(id, team)``.
    Written lines, JSON and CSV alike, then name the team of each month. Without such
    members, every month's heads are ``heads`` itself."""
    people = Roster.of(plan.members).people  # the members of several rows
    movers = sorted(p for p, m in people.items() if len({r.team for r in m.rows}) > 1)
    if not movers:
        return lambda _: heads

    def of(month: Month) -> Sequence[_Head]:
        now = list(heads)
        for position in movers:
            member = people[position]
            team = member.team_in(month)
            if team != member.team:
                now[position] = make(member.id, team)
        return now

    return of
