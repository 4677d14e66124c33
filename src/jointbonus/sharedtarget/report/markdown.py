"""The run and the calibration as Markdown and as CSV, beside the table and JSON.

Markdown output is the JSON documents' content as Markdown tables, for a wiki
page or a pull request: the plan, the calibration, the plan summary, each
month and each member's line. Every cell is escaped, so a member id or team
that holds ``|``, ``*`` or ``<`` cannot break a table or become markup.

CSV output follows :mod:`jointbonus.io.cells`: number columns plain, text
columns escaped against formula injection.

Figures are written as in the JSON documents (``1802.11``, ``0.548387``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from tabulate import tabulate

from jointbonus.io.cells import csv_text
from jointbonus.sharedtarget.calibration import Calibration
from jointbonus.sharedtarget.plan import Plan
from jointbonus.sharedtarget.report.corrections import correction_document
from jointbonus.sharedtarget.report.documents import (
    MONTH_COLUMNS,
    calibration_document,
    flat_line,
    line_columns,
    line_document,
    plan_document,
    result_document,
    weighting_document,
)
from jointbonus.sharedtarget.report.versions import versions_lines
from jointbonus.sharedtarget.results import Result
from jointbonus.sharedtarget.versions import VersionCalibration

__all__ = [
    "CALIBRATION_COLUMNS",
    "calibration_csv",
    "markdown_table",
    "markdown_text",
    "render_calibration_markdown",
    "render_result_markdown",
]

CALIBRATION_COLUMNS = (
    "period", "norm_attainment", "hit_rate", "mean_payout_factor", "expected_cost",
    "norm_path_cost",
)  # fmt: skip

_MARKDOWN_SPECIAL = frozenset("\\|`*_[]<>#")


def markdown_text(text: object) -> str:
    """``text`` for a Markdown table cell: special characters escaped, on one line."""
    shown = "" if text is None else str(text)
    if isinstance(text, bool):
        shown = "yes" if text else "no"
    escaped = "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in shown)
    return " ".join(escaped.split())


def markdown_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], numbers: Iterable[str] = ()
) -> str:
    """A Markdown (pipe) table; the columns named in ``numbers`` are aligned right."""
    right = set(numbers)
    return tabulate(
        [[markdown_text(cell) for cell in row] for row in rows],
        headers=[markdown_text(h) for h in headers],
        tablefmt="pipe",
        colalign=tuple("right" if h in right else "left" for h in headers),
        disable_numparse=True,
    )


def _items(document: dict[str, Any], prefix: str = "") -> list[tuple[str, object]]:
    """A document's scalar items as ``(key, value)`` rows; nested objects as ``key.sub``."""
    rows: list[tuple[str, object]] = []
    for key, value in document.items():
        if isinstance(value, dict):
            rows += _items(value, f"{prefix}{key}.")
        elif not isinstance(value, list):
            rows.append((f"{prefix}{key}", value))
    return rows


def _weighting_section(
    plan: Plan, calibration: Calibration, result: Result | None = None
) -> list[str]:
    """A plan with functional goals: each team's weighting (:func:`weighting_document`)."""
    if not plan.weighted:
        return []
    document = weighting_document(plan, calibration, result)
    keys = list(next(iter(document.values())))
    return [
        "",
        "### Weighting",
        "",
        markdown_table(
            ["team", *keys], ([team, *row.values()] for team, row in document.items()), keys
        ),
    ]


def _calibration_sections(
    plan: Plan, calibration: Calibration, result: Result | None = None
) -> list[str]:
    document = calibration_document(plan, calibration)
    return [
        "## Plan",
        "",
        markdown_table(["Setting", "Value"], _items(plan_document(plan))),
        "",
        "## Calibration",
        "",
        markdown_table(["Figure", "Value"], _items(document)),
        "",
        "### Months at the norm",
        "",
        markdown_table(
            CALIBRATION_COLUMNS,
            ([m[c] for c in CALIBRATION_COLUMNS] for m in document["months"]),
            CALIBRATION_COLUMNS[1:],
        ),
        *_weighting_section(plan, calibration, result),
    ]


def render_calibration_markdown(
    plan: Plan, calibration: Calibration, versions: tuple[VersionCalibration, ...] = ()
) -> str:
    """``jointbonus calibrate --format markdown``: the plan and its calibration, and, for a
    plan with later versions, every version's (``versions``)."""
    parts = [f"# {markdown_text(plan.name)}", "", *_calibration_sections(plan, calibration)]
    if versions:  # the section ends with its blank line
        parts += ["", *versions_lines(plan, versions)[:-1]]
    return "\n".join(parts) + "\n"


def calibration_csv(
    plan: Plan, calibration: Calibration, versions: tuple[VersionCalibration, ...] = ()
) -> str:
    """``jointbonus calibrate --format csv``: a line per month (:data:`CALIBRATION_COLUMNS`).

    A plan with later versions (``versions``, the first's calibration first) gives
    each month by the version in force for it, from that version's calibration,
    with the version's number first.
    """
    if not versions:
        document = calibration_document(plan, calibration)
        return csv_text(
            CALIBRATION_COLUMNS,
            ([m[c] for c in CALIBRATION_COLUMNS] for m in document["months"]),
            CALIBRATION_COLUMNS[1:],
        )
    rows = []
    for version in versions:
        governed = {str(month) for month in version.months}
        document = calibration_document(version.design, version.calibration)
        rows += [
            [version.number, *(m[c] for c in CALIBRATION_COLUMNS)]
            for m in document["months"]
            if m["period"] in governed
        ]
    return csv_text(("version", *CALIBRATION_COLUMNS), rows, ("version", *CALIBRATION_COLUMNS[1:]))


def render_result_markdown(result: Result) -> str:
    """``jointbonus run --format markdown``: plan, calibration, summary, months and lines."""
    plan = result.plan
    document = result_document(result, lines=False)
    month_numbers = ("target", "actual", "attainment", "payout_factor", "pool", "paid", "capped")
    line_numbers = ("days", "weight", "attainment", "payout_factor", "shared", "total", "capped")
    month_columns = (*MONTH_COLUMNS, "capped") if plan.functional.caps.any else MONTH_COLUMNS
    columns = tuple(c for c in line_columns(plan) if c not in ("held", "paid_now"))
    options = {"functional": plan.weighted, "capped": plan.functional.caps.any}
    parts = [
        f"# {markdown_text(plan.name)}",
        "",
        *_calibration_sections(plan, result.calibration, result),
        "",
        "## Plan summary",
        "",
        markdown_table(["Figure", "Value"], _items(document["summary"])),
        "",
        "## Months",
        "",
        markdown_table(
            month_columns,
            ([m[c] for c in month_columns] for m in document["months"]),
            month_numbers,
        ),
        "",
        "## Lines",
        "",
        markdown_table(
            columns,
            (
                [line.get(c) for c in columns]
                for line in (flat_line(line_document(x, **options)) for x in result.lines())
            ),
            (*line_numbers, *(c for c in columns if c.startswith("functional_"))),
        ),
        *_corrections_section(result),
    ]
    return "\n".join(parts) + "\n"


def _corrections_section(result: Result) -> list[str]:
    """The corrections of closed months, as a table (a plan whose ledger has closed months)."""
    if result.ledger is None:
        return []
    columns = ("member_id", "team", "carried_in", "corrects", "status", "was", "now", "total",
               "paid", "reason")  # fmt: skip
    documents = [correction_document(result, c) for c in result.corrections]
    return [
        "",
        "## Corrections of closed months",
        "",
        markdown_table(
            columns,
            ([d[c] for c in columns] for d in documents),
            ("was", "now", "total", "paid"),
        )
        if documents
        else "No closed month has changed: there is no correction.",
    ]
