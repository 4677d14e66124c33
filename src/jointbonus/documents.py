"""JSON-ready documents: the plan, its calibration, the summary, months and lines.

Every amount leaves as a decimal string in the plan currency (``"1234.50"``),
every ratio (attainment, payout factor, weight) as a decimal string with six
decimals, rounded half away from zero from its exact value. Keys keep the
order they are set in, so :func:`render_json` gives the same text, byte for
byte, for the same result, whatever the hash seed or the ambient decimal
context. :data:`LINE_COLUMNS` and :data:`MONTH_COLUMNS` are the keys of a line
and of a month, in the order the CSV files write them.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from jointbonus.calibration import Calibration
from jointbonus.money import Currency
from jointbonus.number import decimal_text
from jointbonus.plan import FundingStyle, Plan
from jointbonus.results import Line, MonthResult, Result, Settlement

__all__ = [
    "LINE_COLUMNS",
    "MONTH_COLUMNS",
    "RATIO_PLACES",
    "calibration_document",
    "line_document",
    "minor_text",
    "month_document",
    "plan_document",
    "ratio_text",
    "render_json",
    "result_document",
    "settlement_document",
    "summary_document",
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
    }


def calibration_document(plan: Plan, calibration: Calibration) -> dict[str, Any]:
    """The calibration: the scale, how it was found, and the neutrality evidence."""
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
        "months": [
            {
                "period": str(m.month),
                "norm_attainment": ratio_text(m.norm_attainment),
                "hit_rate": ratio_text(m.hit_rate),
                "mean_payout_factor": ratio_text(m.mean_factor),
                "expected_cost": minor_text(currency, m.expected_cost),
                "norm_path_cost": str(currency.from_minor(m.norm_path_cost)),
            }
            for m in calibration.months
        ],
    }


def month_document(currency: Currency, m: MonthResult) -> dict[str, Any]:
    return {
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
    }


def line_document(line: Line, *, holdback: bool = False) -> dict[str, Any]:
    """A line as JSON-ready data; ``holdback`` adds ``held`` and ``paid_now``."""
    document = {
        "member_id": line.member_id,
        "team": line.team,
        "period": str(line.period),
        "days": line.days,
        "weight": ratio_text(line.weight),
        "attainment": ratio_text(line.attainment),
        "payout_factor": ratio_text(line.payout_factor),
        "shared": str(line.shared),
        "total": str(line.total),
        "status": line.status.value,
        "reason": line.reason,
    }
    if holdback:
        document["held"] = str(line.held)
        document["paid_now"] = str(line.total if line.paid_now is None else line.paid_now)
    return document


def settlement_document(settlement: Settlement) -> dict[str, Any]:
    return {
        "member_id": settlement.member_id,
        "team": settlement.team,
        "held": str(settlement.held),
        "status": settlement.status.value,
        "paid": str(settlement.paid),
        "reason": settlement.reason,
    }


def result_document(result: Result, *, lines: bool = True) -> dict[str, Any]:
    """The whole result as JSON-ready data: plan, calibration, summary, months, lines."""
    document = {
        "plan": plan_document(result.plan),
        "calibration": calibration_document(result.plan, result.calibration),
        "summary": summary_document(result),
        "months": [month_document(result.plan.currency, m) for m in result.months],
    }
    holdback = bool(result.plan.holdback)
    if lines:
        document["lines"] = list(_line_documents(result, holdback))
    if holdback:
        document["settlements"] = [settlement_document(s) for s in result.settlements()]
    return document


def _line_documents(result: Result, holdback: bool) -> Iterator[dict[str, Any]]:
    """Every line's document, as :func:`line_document` makes it, by period then member id.

    A month's lines differ only in who they are for and in a handful of
    (cohort, amount) combinations: each combination's document is made once
    from its first line and copied, with the member's id and team, to the
    others -- the same keys in the same order, so the JSON is the same.
    """
    members = result.plan.members
    for month_result in result.months:
        made: dict[tuple[int, int], dict[str, Any]] = {}
        for position, cohort, amount in month_result.member_shares(len(members)):
            member = members[position]
            template = made.get((id(cohort), amount))
            if template is None:
                line = result.line(member, month_result, cohort, amount)
                template = made[id(cohort), amount] = line_document(line, holdback=holdback)
                yield template
            else:
                yield {**template, "member_id": member.id, "team": member.team}


def render_json(document: dict[str, Any]) -> str:
    """A document as JSON text: two-space indent, keys in their set order, newline at end."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
