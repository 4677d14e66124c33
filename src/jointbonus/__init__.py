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

The face is lazy: ``import jointbonus`` loads nothing but this module and
its version; each name is imported from its home module the first time it
is used, so a script that only pays a plan never loads the Excel, picture
or explanation code, and a name a script does not use costs nothing.
``__all__`` lists what a finance script needs; the other names the package
offered before (``scenario_month_costs``, ``statement_files``, ...) can still
be imported from here, and each lives in the module :data:`HOMES` names.

Gainsharing plans (Scanlon and Rucker: a bonus funded by gains against a
historical ratio of labour cost to revenue or value added) live in
:mod:`jointbonus.gainsharing`, with the same shape:
``jointbonus.gainsharing.load_plan``, ``run`` and ``render_table``.
"""

from __future__ import annotations

import importlib

from jointbonus._version import __version__

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing at run time

#: The module each public name lives in (the one place it is defined).
HOMES: dict[str, str] = {
    "Curve": "jointbonus.core.curves",
    "CurveError": "jointbonus.core.curves",
    "LinearCurve": "jointbonus.core.curves",
    "StepCurve": "jointbonus.core.curves",
    "HistoryError": "jointbonus.core.history",
    "HistoryMonth": "jointbonus.core.history",
    "Norm": "jointbonus.core.history",
    "NormMethod": "jointbonus.core.history",
    "derive_norm": "jointbonus.core.history",
    "Currency": "jointbonus.core.money",
    "allocate": "jointbonus.core.money",
    "currency": "jointbonus.core.money",
    "D": "jointbonus.core.number",
    "NumberError": "jointbonus.core.number",
    "Month": "jointbonus.core.periods",
    "MonthError": "jointbonus.core.periods",
    "plan_months": "jointbonus.core.periods",
    "Member": "jointbonus.core.roster",
    "RosterError": "jointbonus.core.roster",
    "ArgumentError": "jointbonus.errors",
    "CalibrationError": "jointbonus.errors",
    "FloatMoneyError": "jointbonus.errors",
    "JointBonusError": "jointbonus.errors",
    "PlanError": "jointbonus.errors",
    "Problem": "jointbonus.errors",
    "escape_formula": "jointbonus.io.cells",
    "render_json": "jointbonus.io.render",
    "Manifest": "jointbonus.manifest",
    "ManifestError": "jointbonus.manifest",
    "read_manifest": "jointbonus.manifest",
    "Calibration": "jointbonus.sharedtarget.calibration",
    "MonthExpectation": "jointbonus.sharedtarget.calibration",
    "calibrate": "jointbonus.sharedtarget.calibration",
    "CompareError": "jointbonus.sharedtarget.compare",
    "Comparison": "jointbonus.sharedtarget.compare",
    "compare_plans": "jointbonus.sharedtarget.compare",
    "pay": "jointbonus.sharedtarget.engine",
    "run": "jointbonus.sharedtarget.engine",
    "ExplainError": "jointbonus.sharedtarget.explain",
    "Explanation": "jointbonus.sharedtarget.explain",
    "explain": "jointbonus.sharedtarget.explain",
    "render_explanation": "jointbonus.sharedtarget.explain",
    "Caps": "jointbonus.sharedtarget.goals",
    "Gates": "jointbonus.sharedtarget.goals",
    "Goal": "jointbonus.sharedtarget.goals",
    "GoalGate": "jointbonus.sharedtarget.goals",
    "GoalGateSpec": "jointbonus.sharedtarget.goals",
    "GoalSpec": "jointbonus.sharedtarget.goals",
    "Metric": "jointbonus.sharedtarget.goals",
    "MetricSpec": "jointbonus.sharedtarget.goals",
    "TeamSpec": "jointbonus.sharedtarget.goals",
    "TeamTerms": "jointbonus.sharedtarget.goals",
    "load_plan": "jointbonus.sharedtarget.loader",
    "load_plan_document": "jointbonus.sharedtarget.loader",
    "Budget": "jointbonus.sharedtarget.plan",
    "FundingStyle": "jointbonus.sharedtarget.plan",
    "Neutrality": "jointbonus.sharedtarget.plan",
    "Plan": "jointbonus.sharedtarget.plan",
    "PlanMonth": "jointbonus.sharedtarget.plan",
    "Split": "jointbonus.sharedtarget.plan",
    "build_plan": "jointbonus.sharedtarget.build",
    "VersionSpec": "jointbonus.sharedtarget.build.versions",
    "VersionCalibration": "jointbonus.sharedtarget.versions",
    "write_pictures": "jointbonus.sharedtarget.plots",
    "calibration_document": "jointbonus.sharedtarget.report.documents",
    "result_document": "jointbonus.sharedtarget.report.documents",
    "MissingExtraError": "jointbonus.io.extras",
    "payroll_csv": "jointbonus.sharedtarget.report.exports",
    "calibration_frame": "jointbonus.sharedtarget.report.frames",
    "risk_frame": "jointbonus.sharedtarget.report.frames",
    "to_frame": "jointbonus.sharedtarget.report.frames",
    "weighting_frame": "jointbonus.sharedtarget.report.frames",
    "write_payroll_csv": "jointbonus.sharedtarget.report.exports",
    "write_xlsx": "jointbonus.sharedtarget.report.exports",
    "statement_file_names": "jointbonus.sharedtarget.report.filenames",
    "render_transparency_page": "jointbonus.sharedtarget.report.html_page",
    "render_risk_table": "jointbonus.sharedtarget.report.risk",
    "risk_document": "jointbonus.sharedtarget.report.risk",
    "UnknownMemberError": "jointbonus.sharedtarget.report.statements",
    "render_statement": "jointbonus.sharedtarget.report.statements",
    "render_statements": "jointbonus.sharedtarget.report.statements",
    "statement_files": "jointbonus.sharedtarget.report.statements",
    "iter_json": "jointbonus.sharedtarget.report.streams",
    "iter_jsonl": "jointbonus.sharedtarget.report.streams",
    "write_json": "jointbonus.sharedtarget.report.streams",
    "write_jsonl": "jointbonus.sharedtarget.report.streams",
    "render_calibration_table": "jointbonus.sharedtarget.report.tables",
    "comparison_document": "jointbonus.sharedtarget.report.compare",
    "comparison_svg": "jointbonus.sharedtarget.report.compare",
    "render_comparison_table": "jointbonus.sharedtarget.report.compare",
    "render_table": "jointbonus.sharedtarget.report.tables",
    "render_targets_table": "jointbonus.sharedtarget.report.targets",
    "targets_document": "jointbonus.sharedtarget.report.targets",
    "render_transparency_report": "jointbonus.sharedtarget.report.transparency",
    "write_results": "jointbonus.sharedtarget.report.writer",
    "GoalResult": "jointbonus.sharedtarget.results",
    "Line": "jointbonus.sharedtarget.results",
    "LineStatus": "jointbonus.sharedtarget.results",
    "MonthResult": "jointbonus.sharedtarget.results",
    "MonthStatus": "jointbonus.sharedtarget.results",
    "PlanSummary": "jointbonus.sharedtarget.results",
    "RealisedWeight": "jointbonus.sharedtarget.results",
    "Result": "jointbonus.sharedtarget.results",
    "realised_weights": "jointbonus.sharedtarget.results",
    "CostDistribution": "jointbonus.sharedtarget.risk",
    "CostRisk": "jointbonus.sharedtarget.risk",
    "RiskError": "jointbonus.sharedtarget.risk",
    "RiskMethod": "jointbonus.sharedtarget.risk",
    "cost_risk": "jointbonus.sharedtarget.risk",
    "scenario_month_costs": "jointbonus.sharedtarget.risk",
    "MonthFigure": "jointbonus.sharedtarget.targets",
    "MonthTarget": "jointbonus.sharedtarget.targets",
    "TargetError": "jointbonus.sharedtarget.targets",
    "TargetSet": "jointbonus.sharedtarget.targets",
    "UpliftSolution": "jointbonus.sharedtarget.targets",
    "assess_targets": "jointbonus.sharedtarget.targets",
    "propose_targets": "jointbonus.sharedtarget.targets",
    "uplift_for_hit_rate": "jointbonus.sharedtarget.targets",
    "TeamWeight": "jointbonus.sharedtarget.weighting",
}

__all__ = [
    "ArgumentError",
    "Budget",
    "Calibration",
    "CalibrationError",
    "CompareError",
    "Comparison",
    "CostRisk",
    "Currency",
    "Curve",
    "CurveError",
    "D",
    "ExplainError",
    "Explanation",
    "FloatMoneyError",
    "FundingStyle",
    "GoalGateSpec",
    "GoalSpec",
    "HistoryError",
    "HistoryMonth",
    "JointBonusError",
    "Line",
    "LineStatus",
    "LinearCurve",
    "ManifestError",
    "Member",
    "MetricSpec",
    "MissingExtraError",
    "Month",
    "MonthError",
    "MonthExpectation",
    "MonthFigure",
    "MonthResult",
    "MonthStatus",
    "Neutrality",
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
    "RosterError",
    "Split",
    "StepCurve",
    "TargetError",
    "TeamSpec",
    "TeamWeight",
    "UnknownMemberError",
    "VersionCalibration",
    "VersionSpec",
    "__version__",
    "allocate",
    "assess_targets",
    "build_plan",
    "calibrate",
    "calibration_document",
    "calibration_frame",
    "compare_plans",
    "comparison_document",
    "comparison_svg",
    "cost_risk",
    "currency",
    "derive_norm",
    "explain",
    "iter_json",
    "iter_jsonl",
    "load_plan",
    "load_plan_document",
    "pay",
    "payroll_csv",
    "plan_months",
    "propose_targets",
    "realised_weights",
    "render_calibration_table",
    "render_comparison_table",
    "render_explanation",
    "render_json",
    "render_statement",
    "render_statements",
    "render_table",
    "render_transparency_page",
    "render_transparency_report",
    "result_document",
    "risk_frame",
    "run",
    "to_frame",
    "uplift_for_hit_rate",
    "weighting_frame",
    "write_json",
    "write_jsonl",
    "write_payroll_csv",
    "write_pictures",
    "write_results",
    "write_xlsx",
]


def __getattr__(name: str) -> Any:
    """Import a public name from its home module the first time it is asked for."""
    home = HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'jointbonus' has no attribute {name!r}")
    module = importlib.import_module(home)
    value = module if name == "gainsharing" else getattr(module, name)
    globals()[name] = value  # the next use is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *HOMES})


if TYPE_CHECKING:  # what a type checker sees: every name, imported from its home
    from typing import Any

    from jointbonus import gainsharing as gainsharing
    from jointbonus.core.curves import Curve as Curve
    from jointbonus.core.curves import CurveError as CurveError
    from jointbonus.core.curves import LinearCurve as LinearCurve
    from jointbonus.core.curves import StepCurve as StepCurve
    from jointbonus.core.history import HistoryError as HistoryError
    from jointbonus.core.history import HistoryMonth as HistoryMonth
    from jointbonus.core.history import Norm as Norm
    from jointbonus.core.history import NormMethod as NormMethod
    from jointbonus.core.history import derive_norm as derive_norm
    from jointbonus.core.money import Currency as Currency
    from jointbonus.core.money import allocate as allocate
    from jointbonus.core.money import currency as currency
    from jointbonus.core.number import D as D
    from jointbonus.core.number import NumberError as NumberError
    from jointbonus.core.periods import Month as Month
    from jointbonus.core.periods import MonthError as MonthError
    from jointbonus.core.periods import plan_months as plan_months
    from jointbonus.core.roster import Member as Member
    from jointbonus.core.roster import RosterError as RosterError
    from jointbonus.errors import ArgumentError as ArgumentError
    from jointbonus.errors import CalibrationError as CalibrationError
    from jointbonus.errors import FloatMoneyError as FloatMoneyError
    from jointbonus.errors import JointBonusError as JointBonusError
    from jointbonus.errors import PlanError as PlanError
    from jointbonus.errors import Problem as Problem
    from jointbonus.io.cells import escape_formula as escape_formula
    from jointbonus.io.extras import MissingExtraError as MissingExtraError
    from jointbonus.io.render import render_json as render_json
    from jointbonus.manifest import Manifest as Manifest
    from jointbonus.manifest import ManifestError as ManifestError
    from jointbonus.manifest import read_manifest as read_manifest
    from jointbonus.sharedtarget.build import build_plan as build_plan
    from jointbonus.sharedtarget.build.versions import VersionSpec as VersionSpec
    from jointbonus.sharedtarget.calibration import Calibration as Calibration
    from jointbonus.sharedtarget.calibration import MonthExpectation as MonthExpectation
    from jointbonus.sharedtarget.calibration import calibrate as calibrate
    from jointbonus.sharedtarget.compare import CompareError as CompareError
    from jointbonus.sharedtarget.compare import Comparison as Comparison
    from jointbonus.sharedtarget.compare import compare_plans as compare_plans
    from jointbonus.sharedtarget.engine import pay as pay
    from jointbonus.sharedtarget.engine import run as run
    from jointbonus.sharedtarget.explain import ExplainError as ExplainError
    from jointbonus.sharedtarget.explain import Explanation as Explanation
    from jointbonus.sharedtarget.explain import explain as explain
    from jointbonus.sharedtarget.explain import render_explanation as render_explanation
    from jointbonus.sharedtarget.goals import Caps as Caps
    from jointbonus.sharedtarget.goals import Gates as Gates
    from jointbonus.sharedtarget.goals import Goal as Goal
    from jointbonus.sharedtarget.goals import GoalGate as GoalGate
    from jointbonus.sharedtarget.goals import GoalGateSpec as GoalGateSpec
    from jointbonus.sharedtarget.goals import GoalSpec as GoalSpec
    from jointbonus.sharedtarget.goals import Metric as Metric
    from jointbonus.sharedtarget.goals import MetricSpec as MetricSpec
    from jointbonus.sharedtarget.goals import TeamSpec as TeamSpec
    from jointbonus.sharedtarget.goals import TeamTerms as TeamTerms
    from jointbonus.sharedtarget.loader import load_plan as load_plan
    from jointbonus.sharedtarget.loader import load_plan_document as load_plan_document
    from jointbonus.sharedtarget.plan import Budget as Budget
    from jointbonus.sharedtarget.plan import FundingStyle as FundingStyle
    from jointbonus.sharedtarget.plan import Neutrality as Neutrality
    from jointbonus.sharedtarget.plan import Plan as Plan
    from jointbonus.sharedtarget.plan import PlanMonth as PlanMonth
    from jointbonus.sharedtarget.plan import Split as Split
    from jointbonus.sharedtarget.plots import write_pictures as write_pictures
    from jointbonus.sharedtarget.report.compare import (
        comparison_document as comparison_document,
    )
    from jointbonus.sharedtarget.report.compare import comparison_svg as comparison_svg
    from jointbonus.sharedtarget.report.compare import (
        render_comparison_table as render_comparison_table,
    )
    from jointbonus.sharedtarget.report.documents import (
        calibration_document as calibration_document,
    )
    from jointbonus.sharedtarget.report.documents import result_document as result_document
    from jointbonus.sharedtarget.report.exports import payroll_csv as payroll_csv
    from jointbonus.sharedtarget.report.exports import write_payroll_csv as write_payroll_csv
    from jointbonus.sharedtarget.report.exports import write_xlsx as write_xlsx
    from jointbonus.sharedtarget.report.filenames import (
        statement_file_names as statement_file_names,
    )
    from jointbonus.sharedtarget.report.frames import calibration_frame as calibration_frame
    from jointbonus.sharedtarget.report.frames import risk_frame as risk_frame
    from jointbonus.sharedtarget.report.frames import to_frame as to_frame
    from jointbonus.sharedtarget.report.frames import weighting_frame as weighting_frame
    from jointbonus.sharedtarget.report.html_page import (
        render_transparency_page as render_transparency_page,
    )
    from jointbonus.sharedtarget.report.risk import render_risk_table as render_risk_table
    from jointbonus.sharedtarget.report.risk import risk_document as risk_document
    from jointbonus.sharedtarget.report.statements import UnknownMemberError as UnknownMemberError
    from jointbonus.sharedtarget.report.statements import render_statement as render_statement
    from jointbonus.sharedtarget.report.statements import render_statements as render_statements
    from jointbonus.sharedtarget.report.statements import statement_files as statement_files
    from jointbonus.sharedtarget.report.streams import iter_json as iter_json
    from jointbonus.sharedtarget.report.streams import iter_jsonl as iter_jsonl
    from jointbonus.sharedtarget.report.streams import write_json as write_json
    from jointbonus.sharedtarget.report.streams import write_jsonl as write_jsonl
    from jointbonus.sharedtarget.report.tables import (
        render_calibration_table as render_calibration_table,
    )
    from jointbonus.sharedtarget.report.tables import render_table as render_table
    from jointbonus.sharedtarget.report.targets import render_targets_table as render_targets_table
    from jointbonus.sharedtarget.report.targets import targets_document as targets_document
    from jointbonus.sharedtarget.report.transparency import (
        render_transparency_report as render_transparency_report,
    )
    from jointbonus.sharedtarget.report.writer import write_results as write_results
    from jointbonus.sharedtarget.results import GoalResult as GoalResult
    from jointbonus.sharedtarget.results import Line as Line
    from jointbonus.sharedtarget.results import LineStatus as LineStatus
    from jointbonus.sharedtarget.results import MonthResult as MonthResult
    from jointbonus.sharedtarget.results import MonthStatus as MonthStatus
    from jointbonus.sharedtarget.results import PlanSummary as PlanSummary
    from jointbonus.sharedtarget.results import RealisedWeight as RealisedWeight
    from jointbonus.sharedtarget.results import Result as Result
    from jointbonus.sharedtarget.results import realised_weights as realised_weights
    from jointbonus.sharedtarget.risk import CostDistribution as CostDistribution
    from jointbonus.sharedtarget.risk import CostRisk as CostRisk
    from jointbonus.sharedtarget.risk import RiskError as RiskError
    from jointbonus.sharedtarget.risk import RiskMethod as RiskMethod
    from jointbonus.sharedtarget.risk import cost_risk as cost_risk
    from jointbonus.sharedtarget.risk import scenario_month_costs as scenario_month_costs
    from jointbonus.sharedtarget.targets import MonthFigure as MonthFigure
    from jointbonus.sharedtarget.targets import MonthTarget as MonthTarget
    from jointbonus.sharedtarget.targets import TargetError as TargetError
    from jointbonus.sharedtarget.targets import TargetSet as TargetSet
    from jointbonus.sharedtarget.targets import UpliftSolution as UpliftSolution
    from jointbonus.sharedtarget.targets import assess_targets as assess_targets
    from jointbonus.sharedtarget.targets import propose_targets as propose_targets
    from jointbonus.sharedtarget.targets import uplift_for_hit_rate as uplift_for_hit_rate
    from jointbonus.sharedtarget.versions import VersionCalibration as VersionCalibration
    from jointbonus.sharedtarget.weighting import TeamWeight as TeamWeight
