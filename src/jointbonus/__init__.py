"""jointbonus: exact, revenue-neutral shared bonuses for sales and marketing teams.

Put both teams in one lifeboat: a monthly sales target that, when hit, pays
every member of both teams a bonus shared equally, calibrated so that at the
performance history shows it costs what the old bonuses cost.

A finance script needs three lines::

    import jointbonus

    plan = jointbonus.load_plan("examples/digital_manufacturing/plan.toml")
    result = jointbonus.run(plan)
    print(jointbonus.render_table(result))

The data flows one way: files -> :func:`load_plan` -> :class:`Plan` ->
:func:`calibrate` -> :func:`pay` -> :class:`Result` -> reports.
"""

from jointbonus.calibration import Calibration, MonthExpectation, calibrate
from jointbonus.curves import Curve, CurveError, LinearCurve, StepCurve
from jointbonus.engine import pay, run
from jointbonus.errors import (
    CalibrationError,
    FloatMoneyError,
    JointBonusError,
    PlanError,
    Problem,
)
from jointbonus.history import HistoryError, HistoryMonth, Norm, NormMethod, derive_norm
from jointbonus.loader import load_plan
from jointbonus.money import Currency, allocate, currency
from jointbonus.number import D, NumberError
from jointbonus.periods import Month, MonthError, plan_months
from jointbonus.plan import (
    Budget,
    FundingStyle,
    Neutrality,
    Plan,
    PlanMonth,
    Split,
    build_plan,
)
from jointbonus.report import (
    calibration_document,
    render_calibration_table,
    render_json,
    render_table,
    result_document,
    write_results,
)
from jointbonus.results import Line, LineStatus, MonthResult, MonthStatus, PlanSummary, Result
from jointbonus.roster import Member, RosterError

__version__ = "0.1.0"

__all__ = [
    "Budget",
    "Calibration",
    "CalibrationError",
    "Currency",
    "Curve",
    "CurveError",
    "D",
    "FloatMoneyError",
    "FundingStyle",
    "HistoryError",
    "HistoryMonth",
    "JointBonusError",
    "Line",
    "LineStatus",
    "LinearCurve",
    "Member",
    "Month",
    "MonthError",
    "MonthExpectation",
    "MonthResult",
    "MonthStatus",
    "Neutrality",
    "Norm",
    "NormMethod",
    "NumberError",
    "Plan",
    "PlanError",
    "PlanMonth",
    "PlanSummary",
    "Problem",
    "Result",
    "RosterError",
    "Split",
    "StepCurve",
    "__version__",
    "allocate",
    "build_plan",
    "calibrate",
    "calibration_document",
    "currency",
    "derive_norm",
    "load_plan",
    "pay",
    "plan_months",
    "render_calibration_table",
    "render_json",
    "render_table",
    "result_document",
    "run",
    "write_results",
]
