"""An explanation as text: a plain table, Markdown, or JSON."""

from __future__ import annotations

from typing import Any

from tabulate import tabulate

from jointbonus.errors import ArgumentError, argument, shown
from jointbonus.io.render import render_json
from jointbonus.sharedtarget.explain.model import Explanation, Figure
from jointbonus.sharedtarget.report.markdown import markdown_table, markdown_text
from jointbonus.sharedtarget.results import LineStatus

__all__ = ["explanation_document", "render_explanation"]


def explanation_document(explanation: Explanation) -> dict[str, Any]:
    """The explanation as JSON-ready data."""
    return {
        "plan": explanation.plan_name,
        "member_id": explanation.member_id,
        "team": explanation.team,
        "period": str(explanation.period),
        "currency": explanation.currency,
        "amount": str(explanation.amount),
        "status": explanation.status.value,
        "reason": explanation.reason,
        "steps": [
            {
                "key": step.key,
                "title": step.title,
                "figures": [
                    {
                        "key": f.key,
                        "label": f.label,
                        "value": f.value,
                        "exact": f.exact,
                        "how": f.how,
                    }
                    for f in step.figures
                ],
            }
            for step in explanation.steps
        ],
    }


def _headline(explanation: Explanation) -> str:
    amount = f"{explanation.amount} {explanation.currency}"
    if explanation.status is LineStatus.PENDING:
        return f"{explanation.member_id} for {explanation.period}: pending, nothing paid yet"
    return f"Why {explanation.member_id} got {amount} for {explanation.period}"


def _how(figure: Figure) -> str:
    return figure.how + (f" (exact {figure.exact})" if figure.exact else "")


def render_explanation(explanation: Explanation, format: str = "table") -> str:
    """The explanation as ``table`` (plain text), ``markdown`` or ``json`` text."""
    explanation = argument("explanation", explanation, Explanation, "an Explanation (from explain)")
    if not isinstance(format, str) or format not in {"table", "markdown", "json"}:
        raise ArgumentError(
            f"format: got {type(format).__name__} {shown(format)}, expected one of "
            "'table', 'markdown' or 'json'"
        )
    if format == "json":
        return render_json(explanation_document(explanation))
    headline = _headline(explanation)
    plan_line = f"Plan: {explanation.plan_name}; amounts in {explanation.currency}"
    if format == "markdown":
        parts = [f"# {markdown_text(headline)}", "", markdown_text(plan_line)]
        for step in explanation.steps:
            rows = [(f.label, f.value, _how(f)) for f in step.figures]
            parts += ["", f"## {markdown_text(step.title)}", ""]
            parts.append(markdown_table(["Figure", "Value", "How"], rows, ["Value"]))
        return "\n".join(parts) + "\n"
    parts = [headline, plan_line]
    for step in explanation.steps:
        rows = [(f.label, f.value, _how(f)) for f in step.figures]
        parts += ["", step.title]
        table = tabulate(
            rows, tablefmt="plain", colalign=("left", "right", "left"), disable_numparse=True
        )
        parts.append("\n".join(f"  {line}" for line in table.splitlines()))
    return "\n".join(parts) + "\n"
