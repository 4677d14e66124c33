"""pandas DataFrames of a result, a calibration, a weighting and a cost risk.

Every frame has the columns of the matching file or JSON document, so a
figure is found under the same name everywhere:

* :func:`to_frame` -- a result's ``lines``, ``months`` or ``payroll``, the
  columns of ``lines.csv``, ``months.csv`` and ``payroll.csv``;
* :func:`calibration_frame` -- the calibration's months, the ``months`` of
  :func:`~jointbonus.calibration_document` (a weighted plan's
  ``mean_goal_factors`` as ``mean_goal_factor_TEAM/METRIC`` columns);
* :func:`weighting_frame` -- one row per team, a ``team`` column and the
  fields of the JSON ``weighting`` document;
* :func:`risk_frame` -- one row per cost distribution (``year``, then
  ``given_paid`` when a month is paid), the fields of
  :func:`~jointbonus.risk_document`'s distributions, its percentiles as
  ``percentile_P`` and its exceedance as ``above_SHARE`` (the amount) and
  ``chance_above_SHARE`` columns.

Amounts and ratios are exact :class:`~decimal.Decimal` values in object
columns, equal to the figures of the files (pandas has no exact decimal
dtype, and a float64 column would not add up to the files' totals); a
value that does not exist yet is ``None``; counts are integers; the rest is
text. ``frame["total"].sum()`` adds Decimals, so it equals the file's total
to the last cent.

pandas is an optional extra (``pip install 'jointbonus[pandas]'``); without
it each function raises :class:`~jointbonus.MissingExtraError` saying what to
install. The return types name ``pandas.DataFrame``: with pandas-stubs
installed, a type checker knows them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from jointbonus.errors import argument
from jointbonus.io.extras import require_extra
from jointbonus.sharedtarget.calibration import Calibration, calibration_argument
from jointbonus.sharedtarget.plan import Plan, plan_argument
from jointbonus.sharedtarget.report.documents import calibration_document, weighting_document
from jointbonus.sharedtarget.report.exports import table_of
from jointbonus.sharedtarget.report.risk import risk_document
from jointbonus.sharedtarget.results import Result, result_argument
from jointbonus.sharedtarget.risk import CostRisk, risk_argument

if TYPE_CHECKING:
    import pandas

__all__ = [
    "CALIBRATION_NUMBERS",
    "RISK_NUMBERS",
    "WEIGHTING_NUMBERS",
    "Table",
    "calibration_frame",
    "risk_frame",
    "to_frame",
    "weighting_frame",
]

#: The tables of a result that :func:`to_frame` gives.
Table: TypeAlias = Literal["lines", "months", "payroll"]

#: The number columns of the calibration's months (and each ``mean_goal_factor_...``).
CALIBRATION_NUMBERS = (
    "norm_attainment",
    "hit_rate",
    "mean_payout_factor",
    "expected_cost",
    "norm_path_cost",
)
#: The number columns of a weighting frame; ``team`` and ``nominal_exact`` are text.
WEIGHTING_NUMBERS = (
    "nominal",
    "wanted",
    "expected",
    "realised",
    "shared_expected",
    "functional_expected",
    "shared_earned",
    "functional_earned",
)
#: The amount columns of a risk frame (and each ``percentile_...`` and ``above_...``).
RISK_NUMBERS = ("paid", "mean", "mean_standard_error", "minimum", "maximum")


def _frame(
    purpose: str,
    columns: Sequence[str],
    numbers: Iterable[str],
    documents: Iterable[dict[str, Any]],
) -> pandas.DataFrame:
    """A frame of ``documents`` (JSON-ready dicts): number columns' text as Decimal."""
    pandas = require_extra("pandas", "pandas", purpose)
    numeric = set(numbers)
    table: dict[str, list[Any]] = {column: [] for column in columns}
    for document in documents:
        for column in columns:
            value = document.get(column)  # absent (another team's goal): None
            if column in numeric and isinstance(value, str):
                value = Decimal(value)
            table[column].append(value)
    return pandas.DataFrame(table, columns=list(columns))


def to_frame(result: Result, table: Table = "lines") -> pandas.DataFrame:
    """The result's ``lines``, ``months`` or ``payroll`` as a pandas ``DataFrame``.

    The columns are those of ``lines.csv``, ``months.csv`` and
    ``payroll.csv``. Amounts and ratios are exact :class:`~decimal.Decimal`
    values (object columns), ratios with six decimals as in the files; a
    value that does not exist yet (a pending month's attainment) is ``None``;
    ``days`` is an integer, ``hit`` a boolean or ``None``, the rest text. A plan
    with functional goals or caps adds the columns of its files: the lines'
    ``functional_METRIC`` parts (``None`` for a metric the member's team has
    no goal on) and ``capped``, the months' ``capped``, the payroll's parts
    (``shared``, ``functional_METRIC``, ``capped``: numbers, ``None`` on a
    settlement's row). The payroll's ``kind`` says what each row pays
    (``pay``, ``correction``, ``clawback``, ``settlement``). Summing an
    amount column adds Decimals, so totals stay exact::

        frame = jointbonus.to_frame(result)
        frame.groupby("member_id")["total"].sum()

    Needs pandas (``pip install 'jointbonus[pandas]'``); raises
    :class:`MissingExtraError` without it.
    """
    result = result_argument(result)
    columns, numbers, documents = table_of(result, table)
    return _frame("to_frame", columns, numbers, documents())


def calibration_frame(plan: Plan, calibration: Calibration) -> pandas.DataFrame:
    """The calibration's months as a ``DataFrame``: one row per plan month.

    Columns: ``period``, ``norm_attainment``, ``hit_rate``,
    ``mean_payout_factor``, a weighted plan's ``mean_goal_factor_TEAM/METRIC``
    per goal, ``expected_cost`` and ``norm_path_cost``, as in
    :func:`~jointbonus.calibration_document`'s ``months`` (whose other keys
    hold the calibration's single figures: the scale, the budget, the
    residual). Needs pandas.
    """
    plan = plan_argument(plan)
    calibration = calibration_argument(calibration)
    document = calibration_document(plan, calibration)
    factors = tuple(f"mean_goal_factor_{goal.key}" for goal in plan.goals) if plan.weighted else ()
    columns = ("period", *CALIBRATION_NUMBERS[:3], *factors, *CALIBRATION_NUMBERS[3:])

    def rows() -> Iterable[dict[str, Any]]:
        for month in document["months"]:
            goals = month.pop("mean_goal_factors", {})
            yield {**month, **{f"mean_goal_factor_{key}": v for key, v in goals.items()}}

    return _frame("calibration_frame", columns, (*CALIBRATION_NUMBERS, *factors), rows())


def weighting_frame(
    plan: Plan, calibration: Calibration, result: Result | None = None
) -> pandas.DataFrame:
    """Each team's weighting as a ``DataFrame``: one row per team, in the plan's order.

    Columns: ``team`` and the fields of the JSON ``weighting`` document
    (:data:`WEIGHTING_NUMBERS`, with ``nominal_exact`` as text after
    ``nominal``). Without a ``result`` the realised weight and the earnings
    are ``None``. No rows for a plan without functional goals. Needs pandas.
    """
    plan = plan_argument(plan)
    calibration = calibration_argument(calibration)
    result = argument("result", result, (Result, type(None)), "a Result (from run or pay) or None")
    document = weighting_document(plan, calibration, result)
    columns = ("team", "nominal", "nominal_exact", *WEIGHTING_NUMBERS[1:])
    rows = ({"team": team, **fields} for team, fields in document.items())
    return _frame("weighting_frame", columns, WEIGHTING_NUMBERS, rows)


def risk_frame(plan: Plan, risk: CostRisk) -> pandas.DataFrame:
    """The cost risk as a ``DataFrame``: one row per distribution.

    ``distribution`` is ``year`` (every month drawn) or ``given_paid`` (paid
    months fixed); then ``label``, ``method``, ``years``, ``seed`` and the
    amounts ``paid``, ``mean``, ``mean_standard_error``, ``minimum``,
    ``maximum``; a ``percentile_P`` column per percentile reported (the cost
    at it) and, per share over budget, ``above_SHARE`` (the amount) and
    ``chance_above_SHARE`` (its chance of being exceeded), with the numbers of
    :func:`~jointbonus.risk_document`. Needs pandas.
    """
    plan = plan_argument(plan)
    risk = risk_argument(risk)
    document = risk_document(plan, risk)
    head = ("distribution", "label", "method", "years", "seed", *RISK_NUMBERS)
    first = document["year"]
    percentiles = tuple(f"percentile_{p['percent']}" for p in first["percentiles"])
    exceed = tuple(
        column
        for e in first["exceed"]
        for column in (f"above_{e['share']}", f"chance_above_{e['share']}")
    )

    def rows() -> Iterable[dict[str, Any]]:
        for name in ("year", "given_paid"):
            found = document[name]
            if found is None:
                continue
            row = {key: found[key] for key in head[1:]}
            row["distribution"] = name
            row.update((f"percentile_{p['percent']}", p["cost"]) for p in found["percentiles"])
            for e in found["exceed"]:
                row[f"above_{e['share']}"] = e["above"]
                row[f"chance_above_{e['share']}"] = e["chance"]
            yield row

    columns = (*head, *percentiles, *exceed)
    return _frame("risk_frame", columns, (*RISK_NUMBERS, *percentiles, *exceed), rows())
