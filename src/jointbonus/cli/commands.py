"""The ``jointbonus`` command.

::

    jointbonus run PLAN [--format table|json|csv|markdown] [--out DIR [--statements] [--xlsx]]
    jointbonus calibrate PLAN [--format table|json|csv|markdown]
    jointbonus validate PLAN [--format table|json|csv]
    jointbonus schema [--kind shared|gainsharing]
    jointbonus explain PLAN --member ID --month YYYY-MM [--format table|json|markdown]
    jointbonus verify PLAN DIR [--format table|json]
    jointbonus statements PLAN [--member ID]
    jointbonus simulate PLAN [--years N] [--seed S] [--exceed SHARE ...]
                        [--method auto|exact|bootstrap] [--format table|json]
    jointbonus targets PLAN [--hit-rate RATE | --uplift UPLIFT] [--format table|json]
    jointbonus plot PLAN --out DIR

A plan file that says ``kind = "gainsharing"`` is a gainsharing plan
(:mod:`jointbonus.gainsharing`): ``jointbonus run`` pays its periods and
settles its reserve; the commands that calibrate or simulate a shared target
do not apply to it.

``--out DIR`` writes the results and ``manifest.json`` (the inputs' and
outputs' SHA-256, see :mod:`jointbonus.manifest`) into a new folder that
replaces ``DIR`` in one step (:func:`jointbonus.io.files.publish_folder`), so
``DIR`` holds the old complete set of files or the new one, never a mix. A
``DIR`` that holds the plan or an input, or files no run wrote, is refused
(exit 2, nothing written); a second run into a ``DIR`` that a run is writing
is refused (exit 1).

Exit codes: 0 success; 2 bad input (the plan, its files, or a plan that
cannot be calibrated, an unknown member or month), with every problem listed
on standard error (on standard output for ``validate``, whose output they
are); 1 any other failure (an output folder that cannot be written or that
another run is writing now, an optional extra that is not installed, such as
matplotlib for ``plot``, results that ``verify`` cannot reproduce). Bad
input never prints a traceback and never writes a file.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate

from jointbonus import gainsharing
from jointbonus._version import __version__
from jointbonus.core.number import decimal_text
from jointbonus.errors import CalibrationError, JointBonusError, PlanError
from jointbonus.gainsharing.schema import GainsharingFile
from jointbonus.io.cells import csv_text
from jointbonus.io.extras import MissingExtraError
from jointbonus.io.files import FolderBusyError, reading_lock
from jointbonus.io.render import render_json
from jointbonus.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    check_output_folder,
    publish,
    read_manifest,
    verify,
)
from jointbonus.sharedtarget.calibration import Calibration, calibrate
from jointbonus.sharedtarget.engine import run
from jointbonus.sharedtarget.explain import explain, render_explanation
from jointbonus.sharedtarget.loader import load_plan
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from jointbonus.sharedtarget.plots import matplotlib_version, write_pictures
from jointbonus.sharedtarget.report.documents import (
    calibration_document,
    plan_document,
    result_document,
    weighting_document,
)
from jointbonus.sharedtarget.report.exports import (
    PAYROLL_FILE,
    XLSX_FILE,
    write_payroll_csv,
    write_xlsx,
    xlsx_version,
)
from jointbonus.sharedtarget.report.markdown import (
    calibration_csv,
    render_calibration_markdown,
    render_result_markdown,
)
from jointbonus.sharedtarget.report.risk import render_risk_table, risk_document
from jointbonus.sharedtarget.report.statements import render_statement, render_transparency_report
from jointbonus.sharedtarget.report.tables import render_calibration_table, render_table
from jointbonus.sharedtarget.report.targets import render_targets_table, targets_document
from jointbonus.sharedtarget.report.writer import lines_csv, write_results
from jointbonus.sharedtarget.results import Result
from jointbonus.sharedtarget.risk import (
    DEFAULT_EXCEED,
    DEFAULT_SEED,
    DEFAULT_YEARS,
    RiskMethod,
    cost_risk,
)
from jointbonus.sharedtarget.schema import PlanFile
from jointbonus.sharedtarget.targets import assess_targets, propose_targets, uplift_for_hit_rate

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURE", "EXIT_OK", "main"]

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jointbonus",
        description=(
            "Shared, revenue-neutral bonuses for sales and marketing teams. "
            "Exit codes: 0 ok, 2 bad input, 1 other failure."
        ),
    )
    parser.add_argument("--version", action="version", version=f"jointbonus {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run_parser = commands.add_parser(
        "run",
        help="calibrate a plan and pay its year: summary, months and statements",
        description="Calibrate the plan (unless its scale is fixed) and pay every month "
        "with an actual. Prints the plan summary, each month and each member's statement. "
        'A gainsharing plan (kind = "gainsharing") is paid period by period instead: its '
        "base ratio, each period's gain, the reserve, the year-end settlement and the "
        "statements; --out then writes periods.csv, lines.csv, settlement.csv and result.json.",
    )
    run_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    run_parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (csv: the lines, as in lines.csv)",
    )
    run_parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="also write lines.csv, months.csv, result.json, payroll.csv and manifest.json "
        "into DIR, all or nothing",
    )
    run_parser.add_argument(
        "--statements",
        action="store_true",
        help="with --out: also write transparency.md and statements/ID.md for every member",
    )
    run_parser.add_argument(
        "--xlsx",
        action="store_true",
        help="with --out: also write results.xlsx (needs the xlsx extra: openpyxl)",
    )

    statements_parser = commands.add_parser(
        "statements",
        help="the transparency report both teams see, or one member's statement (Markdown)",
        description="Run the plan and print, in Markdown, the transparency report (every "
        "month's target, actual, hit or miss, pool and how it was split) or, with --member, "
        "one member's statement. `jointbonus run PLAN --out DIR --statements` writes them all "
        "as files.",
    )
    statements_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    statements_parser.add_argument(
        "--member", metavar="ID", help="print this member's statement instead of the report"
    )

    calibrate_parser = commands.add_parser(
        "calibrate",
        help="solve the plan's scale for revenue neutrality and show the evidence",
        description="Solve for the pool at target (or the target bonus multiplier) that makes "
        "the plan cost its budget at historical performance, and show the residual.",
    )
    calibrate_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    calibrate_parser.add_argument(
        "--format",
        choices=FORMATS,
        default="table",
        help="output format (csv: one line per month)",
    )

    simulate_parser = commands.add_parser(
        "simulate",
        help="the distribution of the year's cost under the historical norm",
        description="The distribution of what the plan year costs when each month performs "
        "like a historical month, drawn independently: mean, percentiles, minimum, maximum "
        "and the chance of exceeding the budget; exact when the year takes few values (step "
        "plans), else a seeded bootstrap. With months already paid, also the year given them.",
    )
    simulate_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    simulate_parser.add_argument(
        "--years",
        type=int,
        default=DEFAULT_YEARS,
        metavar="N",
        help=f"simulated years of a bootstrap (default {DEFAULT_YEARS:,})",
    )
    simulate_parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"random seed of a bootstrap (default {DEFAULT_SEED}: the same output every run)",
    )
    simulate_parser.add_argument(
        "--exceed",
        nargs="+",
        default=list(DEFAULT_EXCEED),
        metavar="SHARE",
        help="shares over budget whose chance of being exceeded is shown "
        "(default 0 0.1 0.25: the budget, 10%% and 25%% over it)",
    )
    simulate_parser.add_argument(
        "--method",
        choices=[m.value for m in RiskMethod],
        default=RiskMethod.AUTO.value,
        help="auto (default): exact when the year takes few values, else a bootstrap",
    )
    simulate_parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )

    targets_parser = commands.add_parser(
        "targets",
        help="monthly targets from the norm and each month's chance of a hit",
        description="Show the plan's targets and each month's chance of a hit under the "
        "historical norm; or propose targets norm level x (1 + uplift), rounded to the minor "
        "unit, for a given uplift or for the largest uplift (in steps of 0.01%%) reaching a "
        "wanted share of months hit. Proposals need a derived norm (same_month_mean or "
        "trailing_mean).",
    )
    targets_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    wanted = targets_parser.add_mutually_exclusive_group()
    wanted.add_argument(
        "--hit-rate",
        metavar="RATE",
        help="solve for the uplift hitting at least this share of months, such as 0.6",
    )
    wanted.add_argument(
        "--uplift", metavar="UPLIFT", help="propose targets at this uplift, such as 0.05"
    )
    targets_parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    plot_parser = commands.add_parser(
        "plot",
        help="draw the payout curve, attainment against target and the cost risk (PNG)",
        description="Run the plan and write three pictures into DIR, all or nothing: "
        "payout-curve.png (the payout curve, the paid months on it), attainment.png (each "
        "month's attainment against its target, hits and misses marked) and cost-risk.png "
        "(the distribution of the year's cost under the historical norm, as `jointbonus "
        "simulate PLAN` computes it, with the budget marked). Needs the plot extra: "
        "pip install 'jointbonus[plot]' (matplotlib).",
    )
    plot_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    plot_parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        required=True,
        help="write payout-curve.png, attainment.png and cost-risk.png into DIR",
    )
    _add_audit_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = _parser().parse_args(argv)
    handler = _HANDLERS.get(arguments.command)
    if handler is not None:
        return handler(arguments)
    if getattr(arguments, "xlsx", False) and arguments.out is None:
        print("jointbonus: --xlsx writes a file: give --out DIR as well", file=sys.stderr)
        return EXIT_BAD_INPUT
    plan_path = getattr(arguments, "plan", None)
    if getattr(arguments, "statements", False) and arguments.out is None:
        print("jointbonus: --statements writes files: give --out DIR as well", file=sys.stderr)
        return EXIT_BAD_INPUT
    if plan_path is not None and gainsharing.plan_kind(plan_path) is not None:
        if getattr(arguments, "statements", False):
            print(
                f"jointbonus: {plan_path}: --statements applies to shared-target plans; "
                "a gainsharing plan's statements are in its `jointbonus run` output",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        return _main_gainsharing(arguments)
    try:
        plan = load_plan(arguments.plan)
        if arguments.command == "calibrate":
            text = _calibration_text(plan, calibrate(plan), arguments.format)
        elif arguments.command == "simulate":
            text = _simulate(plan, arguments)
        elif arguments.command == "targets":
            text = _targets(plan, arguments)
        elif arguments.command == "plot":
            matplotlib_version()  # the extra is there before any work is done
            check_output_folder(arguments.out, arguments.plan)
            text = "".join(f"{path}\n" for path in write_pictures(run(plan), arguments.out))
        elif arguments.command == "statements":
            result = run(plan)
            text = (
                render_transparency_report(result)
                if arguments.member is None
                else render_statement(result, arguments.member)
            )
        else:
            result = run(plan)
            text = _result_text(result, arguments.format)
            if arguments.out is not None:
                options = {"statements": arguments.statements, "xlsx": arguments.xlsx}
                _write_outputs(arguments.plan, result, arguments.out, options)
    except (MissingExtraError, FolderBusyError) as error:
        return _failure(error)
    except JointBonusError as error:
        print(f"jointbonus: {arguments.plan}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"jointbonus: cannot write{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILURE
    return _print(text)


def _simulate(plan: Plan, arguments: argparse.Namespace) -> str:
    """``jointbonus simulate``: the cost risk as a table or JSON."""
    risk = cost_risk(
        plan,
        method=arguments.method,
        years=arguments.years,
        seed=arguments.seed,
        exceed=arguments.exceed,
    )
    if arguments.format == "json":
        return render_json({"plan": plan_document(plan), "risk": risk_document(plan, risk)})
    return render_risk_table(plan, risk)


def _targets(plan: Plan, arguments: argparse.Namespace) -> str:
    """``jointbonus targets``: the plan's targets, or proposed ones, with their chances."""
    solution = None
    if arguments.hit_rate is not None:
        solution = uplift_for_hit_rate(plan, arguments.hit_rate)
        targets = solution.targets
    elif arguments.uplift is not None:
        targets = propose_targets(plan, arguments.uplift)
    else:
        targets = assess_targets(plan)
    if arguments.format == "json":
        return render_json(
            {"plan": plan_document(plan), "targets": targets_document(plan, targets, solution)}
        )
    return render_targets_table(plan, targets, solution)


def _main_gainsharing(arguments: argparse.Namespace) -> int:
    """``jointbonus run`` of a plan file that declares a ``kind`` (a gainsharing plan)."""
    if arguments.command != "run":
        print(
            f"jointbonus: {arguments.plan}: `jointbonus {arguments.command}` applies to "
            "shared-target plans; a gainsharing plan is measured against its base ratio, "
            f"not a target: use `jointbonus run {arguments.plan}`, which prints its periods, "
            "its year-end settlement and every member's statement",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if arguments.format not in ("table", "json") or arguments.xlsx:
        what = "--xlsx" if arguments.xlsx else f"--format {arguments.format}"
        return _bad_input(
            arguments.plan,
            f"{what} applies to shared-target plans; a gainsharing plan prints a table or JSON "
            "(--format table|json) and --out writes its CSV files",
        )
    try:
        result = gainsharing.run(gainsharing.load_plan(arguments.plan))
        text = (
            gainsharing.render_json(gainsharing.result_document(result))
            if arguments.format == "json"
            else gainsharing.render_table(result)
        )
        if arguments.out is not None:
            _write_outputs(arguments.plan, result, arguments.out, {})
    except FolderBusyError as error:
        return _failure(error)
    except JointBonusError as error:
        print(f"jointbonus: {arguments.plan}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"jointbonus: cannot write{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILURE
    return _print(text)


# -- validate, schema, explain, verify and the files of a run ------------------------

#: Output formats of run and calibrate; explain has no CSV (it is not a table of lines).
FORMATS = ("table", "json", "csv", "markdown")
EXPLAIN_FORMATS = ("table", "json", "markdown")
VALIDATE_FORMATS = ("table", "json", "csv")
PROBLEM_COLUMNS = ("file", "line", "field", "value", "expected", "message")


def _add_audit_commands(commands: Any) -> None:
    """The parsers of ``validate``, ``schema``, ``explain`` and ``verify``."""
    validate_parser = commands.add_parser(
        "validate",
        help="check a plan and its files, listing every problem at once",
        description="Read the plan file and every CSV file it names, check them all, and "
        "check that the plan can be calibrated. Lists every problem, each as "
        "FILE:LINE: FIELD: got VALUE, expected WHAT, on standard output. "
        "Exit 0 when the plan is valid, 2 when it has problems.",
    )
    validate_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    validate_parser.add_argument(
        "--format", choices=VALIDATE_FORMATS, default="table", help="output format"
    )

    schema_parser = commands.add_parser(
        "schema",
        help="print the JSON Schema of the plan file",
        description="Print the JSON Schema (draft 2020-12) of a plan file's settings, as "
        "read from TOML, so that another system can check a plan before handing it over. "
        "The CSV files a plan names are checked by `jointbonus validate`.",
    )
    schema_parser.add_argument(
        "--kind",
        choices=("shared", "gainsharing"),
        default="shared",
        help='shared (default): a shared-target plan; gainsharing: kind = "gainsharing"',
    )

    explain_parser = commands.add_parser(
        "explain",
        help="one member's month, every figure traced back to the inputs",
        description="Pay the plan and explain what one member received for one month: their "
        "weight, the month's target and actual, the payout factor, the calibration, the "
        "month's pool and how it was split (largest remainder, ties to the lower member id), "
        "or the reason for a zero, each figure with the rule and the inputs that made it.",
    )
    explain_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    explain_parser.add_argument("--member", required=True, metavar="ID", help="the member id")
    explain_parser.add_argument(
        "--month", required=True, metavar="YYYY-MM", help="the plan month, such as 2026-03"
    )
    explain_parser.add_argument(
        "--format", choices=EXPLAIN_FORMATS, default="table", help="output format"
    )

    verify_parser = commands.add_parser(
        "verify",
        help="check a results folder against its manifest by running the plan again",
        description="Read DIR/manifest.json, check that the plan and its input files are "
        "unchanged and that DIR holds exactly the files the run wrote, then run the plan "
        "again (in a temporary folder, with the recorded options) and check that it writes "
        "the same files, byte for byte. Exit 0 when everything matches, 1 when anything "
        "differs, 2 when the manifest or the plan cannot be read.",
    )
    verify_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    verify_parser.add_argument("folder", type=Path, metavar="DIR", help="the results folder")
    verify_parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )


def _bad_input(plan: object, error: Exception | str) -> int:
    print(f"jointbonus: {plan}: {error}", file=sys.stderr)
    return EXIT_BAD_INPUT


def _failure(error: Exception) -> int:
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        print(f"jointbonus: cannot write{where}: {error.strerror or error}", file=sys.stderr)
    else:
        print(f"jointbonus: {error}", file=sys.stderr)
    return EXIT_FAILURE


def _calibration_text(plan: Plan, calibration: Calibration, format: str) -> str:
    """``jointbonus calibrate`` in the chosen format."""
    if format == "json":
        document = {
            "plan": plan_document(plan),
            "calibration": calibration_document(plan, calibration),
        }
        if plan.weighted:  # each team's nominal, wanted and expected shared weight
            document["weighting"] = weighting_document(plan, calibration)
        return render_json(document)
    if format == "csv":
        return calibration_csv(plan, calibration)
    if format == "markdown":
        return render_calibration_markdown(plan, calibration)
    return render_calibration_table(plan, calibration)


def _result_text(result: Result, format: str) -> str:
    """``jointbonus run`` in the chosen format (CSV: the lines, as in lines.csv)."""
    if format == "json":
        return render_json(result_document(result))
    if format == "csv":
        return lines_csv(result)
    if format == "markdown":
        return render_result_markdown(result)
    return render_table(result)


def _write_outputs(
    plan_path: Path,
    result: Result | gainsharing.GainsharingResult,
    folder: Path,
    options: dict[str, bool],
) -> Manifest:
    """Write a run's files and its manifest, then make them ``folder`` in one step.

    Shared-target plans: lines.csv, months.csv, result.json, payroll.csv, with
    ``statements`` the transparency report and statements, with ``xlsx``
    results.xlsx. Gainsharing plans: the files of
    :func:`jointbonus.gainsharing.write_results`. Then manifest.json.
    """
    extras = {"openpyxl": xlsx_version()} if options.get("xlsx") else {}

    def write(stage: Path) -> None:
        if isinstance(result, Result):
            write_results(result, stage, statements=options.get("statements", False))
            write_payroll_csv(result, stage / PAYROLL_FILE)
            if options.get("xlsx"):
                write_xlsx(result, stage / XLSX_FILE)
        else:
            gainsharing.write_results(result, stage)

    return publish(folder, plan_path, write, extras=extras, options=options)


def _problem_rows(path: Path, error: JointBonusError) -> list[dict[str, Any]]:
    """Each problem of ``error`` as a row: file, line, field, value, expected, message."""
    if isinstance(error, PlanError):
        return [
            {
                "file": p.file,
                "line": p.line,
                "field": p.field,
                "value": None if p.value is None else str(p.value),
                "expected": p.expected,
                "message": str(p),
            }
            for p in error.problems
        ]
    field = "calibration" if isinstance(error, CalibrationError) else "plan"
    return [
        {
            "file": path.name,
            "line": None,
            "field": field,
            "value": None,
            "expected": None,
            "message": f"{path.name}: {field}: {error}",
        }
    ]


def _validate(arguments: argparse.Namespace) -> int:
    """``jointbonus validate``: every problem of a plan and its files, or that it is valid."""
    path: Path = arguments.plan
    rows: list[dict[str, Any]] = []
    summary = ""
    try:
        if gainsharing.plan_kind(path) is not None:
            shared = gainsharing.load_plan(path)
            summary = f"a gainsharing plan of {len(shared.members)} members"
        else:
            plan = load_plan(path)
            calibration = calibrate(plan)
            months = f"{plan.months[0].month} to {plan.months[-1].month}" if plan.months else ""
            currency = plan.currency
            pool = currency.format(currency.round_to_minor(calibration.scale))
            scale = (
                f"pool at target of {pool} {currency.code}"
                if plan.funding is FundingStyle.POOL
                else f"target bonus multiplier of {decimal_text(calibration.scale, 6)}"
            )
            summary = (
                f"{len(plan.members)} members, {len(plan.months)} months ({months}), "
                f"{len(plan.norm.sample)} historical months; calibrates to a {scale}"
            )
    except JointBonusError as error:
        rows = _problem_rows(path, error)
    if arguments.format == "json":
        text = render_json(
            {"plan": str(path), "valid": not rows, "summary": summary or None, "problems": rows}
        )
    elif arguments.format == "csv":
        text = csv_text(
            PROBLEM_COLUMNS, ([row[c] for c in PROBLEM_COLUMNS] for row in rows), ("line",)
        )
    elif rows:
        count = "1 problem" if len(rows) == 1 else f"{len(rows)} problems"
        text = f"{path}: {count}:\n" + "".join(f"  {row['message']}\n" for row in rows)
    else:
        text = f"{path}: valid: {summary}\n"
    printed = _print(text)
    return EXIT_BAD_INPUT if rows else printed


def _schema(arguments: argparse.Namespace) -> int:
    """``jointbonus schema``: the JSON Schema of a plan file."""
    model = GainsharingFile if arguments.kind == "gainsharing" else PlanFile
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **model.model_json_schema(),
    }
    return _print(render_json(document))


def _explain(arguments: argparse.Namespace) -> int:
    """``jointbonus explain``: one member's month, traced back to the inputs."""
    if gainsharing.plan_kind(arguments.plan) is not None:
        return _bad_input(
            arguments.plan,
            "`jointbonus explain` applies to shared-target plans; a gainsharing plan's "
            "statements are in its `jointbonus run` output",
        )
    try:
        result = run(load_plan(arguments.plan))
        explanation = explain(result, arguments.member, arguments.month)
    except JointBonusError as error:
        return _bad_input(arguments.plan, error)
    return _print(render_explanation(explanation, arguments.format))


def _verify(arguments: argparse.Namespace) -> int:
    """``jointbonus verify``: the results folder against its manifest and a fresh run."""
    try:
        with reading_lock(arguments.folder):  # no run replaces the folder while it is checked
            recorded = read_manifest(arguments.folder)
            options = {key: bool(value) for key, value in recorded.options.items()}
            if gainsharing.plan_kind(arguments.plan) is not None:
                result: Result | gainsharing.GainsharingResult = gainsharing.run(
                    gainsharing.load_plan(arguments.plan)
                )
            else:
                result = run(load_plan(arguments.plan))
            with tempfile.TemporaryDirectory(prefix="jointbonus-verify-") as scratch:
                rerun = Path(scratch) / "run"
                current = _write_outputs(arguments.plan, result, rerun, options)
            verification = verify(arguments.folder, recorded, current)
    except FolderBusyError as error:
        print(f"jointbonus: cannot read {arguments.folder}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILURE
    except MissingExtraError as error:
        return _failure(error)
    except ManifestError as error:  # the message names the manifest
        print(f"jointbonus: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except JointBonusError as error:
        return _bad_input(arguments.plan, error)
    except OSError as error:
        return _failure(error)
    verdict = (
        "reproduced: the run writes the same files, byte for byte"
        if verification.reproduced
        else "NOT reproduced"
    )
    if arguments.format == "json":
        text = render_json(
            {
                "reproduced": verification.reproduced,
                "results_digest": recorded.results_digest,
                "checks": [{"file": what, "outcome": how} for what, how in verification.checks],
                "differences": list(verification.differences),
                "notes": list(verification.notes),
            }
        )
    else:
        lines = [
            f"{arguments.folder / MANIFEST_NAME}: results digest {recorded.results_digest}",
            tabulate(verification.checks, tablefmt="plain", disable_numparse=True),
            *(f"note: {note}" for note in verification.notes),
            *(f"difference: {difference}" for difference in verification.differences),
            verdict,
        ]
        text = "\n".join(lines) + "\n"
    printed = _print(text)
    return printed if verification.reproduced else EXIT_FAILURE


def _print(text: str) -> int:
    """Write ``text`` to standard output; a closed pipe or a narrow encoding is no traceback."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:  # `jointbonus run plan.toml | head`: the reader has gone
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so that the exit's flush does not fail again
        return EXIT_FAILURE
    except UnicodeEncodeError:
        print(
            f"jointbonus: the output holds characters that standard output's encoding "
            f"({sys.stdout.encoding}) cannot write; set PYTHONIOENCODING=utf-8, "
            "or write the results to files with --out DIR",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    return EXIT_OK


#: Commands that read their arguments themselves (the others share main's steps).
_HANDLERS = {"validate": _validate, "schema": _schema, "explain": _explain, "verify": _verify}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
