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

Gainsharing plans (Scanlon and Rucker: a bonus funded by gains against a
historical ratio of labour cost to revenue or value added) live in
:mod:`jointbonus.gainsharing`, with the same shape:
``jointbonus.gainsharing.load_plan``, ``run`` and ``render_table``.
"""

from jointbonus import gainsharing as gainsharing
from jointbonus.core.curves import Curve, CurveError, LinearCurve, StepCurve
from jointbonus.core.history import HistoryError, HistoryMonth, Norm, NormMethod, derive_norm
from jointbonus.core.money import Currency, allocate, currency
from jointbonus.core.number import D, NumberError
from jointbonus.core.periods import Month, MonthError, plan_months
from jointbonus.core.roster import Member, RosterError
from jointbonus.errors import (
    CalibrationError,
    FloatMoneyError,
    JointBonusError,
    PlanError,
    Problem,
)
from jointbonus.io.cells import escape_formula
from jointbonus.manifest import Manifest, ManifestError, read_manifest
from jointbonus.sharedtarget.calibration import Calibration, MonthExpectation, calibrate
from jointbonus.sharedtarget.engine import pay, run
from jointbonus.sharedtarget.explain import ExplainError, Explanation, explain, render_explanation
from jointbonus.sharedtarget.goals import (
    Caps,
    Gates,
    Goal,
    GoalSpec,
    Metric,
    MetricSpec,
    TeamSpec,
    TeamTerms,
)
from jointbonus.sharedtarget.loader import load_plan
from jointbonus.sharedtarget.plan import (
    Budget,
    FundingStyle,
    Neutrality,
    Plan,
    PlanMonth,
    Split,
    build_plan,
)
from jointbonus.sharedtarget.plots import write_pictures
from jointbonus.sharedtarget.report.exports import (
    MissingExtraError,
    payroll_csv,
    to_frame,
    write_payroll_csv,
    write_xlsx,
)
from jointbonus.sharedtarget.report.risk import render_risk_table, risk_document
from jointbonus.sharedtarget.report.statements import (
    UnknownMemberError,
    render_statement,
    render_statements,
    render_transparency_report,
    statement_file_names,
    statement_files,
)
from jointbonus.sharedtarget.report.writer import (
    calibration_document,
    render_calibration_table,
    render_json,
    render_table,
    result_document,
    write_results,
)
from jointbonus.sharedtarget.results import (
    GoalResult,
    Line,
    LineStatus,
    MonthResult,
    MonthStatus,
    PlanSummary,
    RealisedWeight,
    Result,
    realised_weights,
)
from jointbonus.sharedtarget.risk import (
    CostDistribution,
    CostRisk,
    RiskError,
    RiskMethod,
    cost_risk,
    scenario_month_costs,
)
from jointbonus.sharedtarget.targets import (
    MonthTarget,
    TargetError,
    TargetSet,
    UpliftSolution,
    assess_targets,
    propose_targets,
    render_targets_table,
    targets_document,
    uplift_for_hit_rate,
)
from jointbonus.sharedtarget.weighting import TeamWeight

__version__ = "0.1.0"

__all__ = [
    "Budget",
    "Calibration",
    "CalibrationError",
    "Caps",
    "CostDistribution",
    "CostRisk",
    "Currency",
    "Curve",
    "CurveError",
    "D",
    "ExplainError",
    "Explanation",
    "FloatMoneyError",
    "FundingStyle",
    "Gates",
    "Goal",
    "GoalResult",
    "GoalSpec",
    "HistoryError",
    "HistoryMonth",
    "JointBonusError",
    "Line",
    "LineStatus",
    "LinearCurve",
    "Manifest",
    "ManifestError",
    "Member",
    "Metric",
    "MetricSpec",
    "MissingExtraError",
    "Month",
    "MonthError",
    "MonthExpectation",
    "MonthResult",
    "MonthStatus",
    "MonthTarget",
    "Neutrality",
    "Norm",
    "NormMethod",
    "NumberError",
    "Plan",
    "PlanError",
    "PlanMonth",
    "PlanSummary",
    "Problem",
    "RealisedWeight",
    "Result",
    "RiskError",
    "RiskMethod",
    "RosterError",
    "Split",
    "StepCurve",
    "TargetError",
    "TargetSet",
    "TeamSpec",
    "TeamTerms",
    "TeamWeight",
    "UnknownMemberError",
    "UpliftSolution",
    "__version__",
    "allocate",
    "assess_targets",
    "build_plan",
    "calibrate",
    "calibration_document",
    "cost_risk",
    "currency",
    "derive_norm",
    "escape_formula",
    "explain",
    "load_plan",
    "pay",
    "payroll_csv",
    "plan_months",
    "propose_targets",
    "read_manifest",
    "realised_weights",
    "render_calibration_table",
    "render_explanation",
    "render_json",
    "render_risk_table",
    "render_statement",
    "render_statements",
    "render_table",
    "render_targets_table",
    "render_transparency_report",
    "result_document",
    "risk_document",
    "run",
    "scenario_month_costs",
    "statement_file_names",
    "statement_files",
    "targets_document",
    "to_frame",
    "uplift_for_hit_rate",
    "write_payroll_csv",
    "write_pictures",
    "write_results",
    "write_xlsx",
]
