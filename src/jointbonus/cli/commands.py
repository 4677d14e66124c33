"""The ``jointbonus`` command.

::

    jointbonus run PLAN [--details] [--format table|json|jsonl|csv|markdown]
                   [--out DIR [--statements] [--xlsx]]
    jointbonus calibrate PLAN [--format table|json|csv|markdown]
    jointbonus validate PLAN [--format table|json|csv]
    jointbonus schema [--kind shared|gainsharing]
    jointbonus explain PLAN --member ID --month YYYY-MM [--format table|json|markdown] [--leads]
    jointbonus verify PLAN DIR [--format table|json]
    jointbonus statements PLAN [--member ID | --report] [--format markdown|html]
    jointbonus simulate PLAN [--years N] [--seed S] [--exceed SHARE ...]
                        [--method auto|exact|bootstrap] [--format table|json]
    jointbonus targets PLAN [--hit-rate RATE | --uplift UPLIFT] [--format table|json]
    jointbonus compare PLAN_A PLAN_B [--format table|json] [--picture FILE.svg|FILE.png]
                       [--method auto|exact|bootstrap] [--years N] [--seed S]
    jointbonus plot PLAN --out DIR
    jointbonus leads PLAN | --export FILE ... [--review] [--format table|json|csv]
    jointbonus close PLAN --month YYYY-MM
    jointbonus ledger PLAN [--format table|json|csv]

A plan file that says ``kind = "gainsharing"`` is a gainsharing plan
(:mod:`jointbonus.gainsharing`): ``jointbonus run`` pays its periods and
settles its reserve; the commands that calibrate or simulate a shared target
do not apply to it. The command line dispatches over the kinds of plan
through one table (:mod:`jointbonus.cli.kinds`).

``--out DIR`` writes the results and ``manifest.json`` (the inputs' and
outputs' SHA-256, see :mod:`jointbonus.manifest`) into a new folder that
replaces ``DIR`` in one step (:func:`jointbonus.io.files.publish_folder`), so
``DIR`` holds the old complete set of files or the new one, never a mix. A
``DIR`` that holds the plan or an input, or files no run wrote, is refused
(exit 2, nothing written); a second run into a ``DIR`` that a run is writing
is refused (exit 1).

``close`` records a month as paid in the plan's payment ledger (an SQLite
file beside the plan, :mod:`jointbonus.sharedtarget.ledger`), in one
transaction; ``run`` and ``statements`` then carry the corrections of closed
months whose inputs changed. A close that is refused (a month pending,
closed already, or out of plan order) exits 2 and writes nothing.

Exit codes: 0 success; 2 bad input (the plan, its files, or a plan that
cannot be calibrated, an unknown member or month), with every problem listed
on standard error (on standard output for ``validate``, whose output they
are); 1 any other failure (an output folder that cannot be written or that
another run is writing now, a ledger another close keeps locked, an optional
extra that is not installed, such as
matplotlib for ``plot``, results that ``verify`` cannot reproduce). Bad
input never prints a traceback and never writes a file.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from tabulate import tabulate

from jointbonus._version import __version__
from jointbonus.cli.kinds import SCHEMA_NAMES, PlanKind, kind_named, kind_of
from jointbonus.cli.leads import add_parser as add_leads_parser
from jointbonus.cli.leads import leads_command
from jointbonus.core.text import Escaped, terminal_text
from jointbonus.errors import CalibrationError, JointBonusError, PlanError
from jointbonus.io.cells import csv_text
from jointbonus.io.extras import MissingExtraError
from jointbonus.io.files import FolderBusyError, reading_lock
from jointbonus.io.render import render_json
from jointbonus.manifest import (
    MANIFEST_NAME,
    Manifest,
    ManifestError,
    publish,
    read_manifest,
    verify,
)
from jointbonus.sharedtarget.risk import DEFAULT_EXCEED, DEFAULT_SEED, DEFAULT_YEARS, RiskMethod

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
    parser.add_argument("-V", "--version", action="version", version=f"jointbonus {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run_parser = commands.add_parser(
        "run",
        help="calibrate a plan and pay its year: what was paid, what is pending, what to check",
        description="Calibrate the plan (unless its scale is fixed) and pay every month "
        "with an actual. Prints a short summary: what was paid to date and to which team, "
        "against the norm and the budget, the months pending and why, what needs attention "
        "(leavers, caps, gates, corrections), the files --out wrote and the commands to run "
        "next. --details prints everything instead: the calibration, each month, each goal "
        "and each member's statement. "
        'A gainsharing plan (kind = "gainsharing") is paid period by period instead: its '
        "base ratio, each period's gain, the reserve and the year-end settlement (with "
        "--details, every statement); --out then writes periods.csv, lines.csv, "
        "settlement.csv and result.json.",
    )
    run_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    run_parser.add_argument(
        "--format",
        choices=RUN_FORMATS,
        default="table",
        help="output format (jsonl: the lines as JSON Lines, one line document per line; "
        "csv: the lines, as in lines.csv)",
    )
    run_parser.add_argument(
        "--details",
        action="store_true",
        help="with the table format: print the calibration, every month, every goal and "
        "every member's statement, not only the summary",
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
        help="every member's statement, one member's, or the transparency report (Markdown)",
        description="Run the plan and print, in Markdown, every member's statement (one "
        "after the other, in member id order: pipe it to a pager), with --member one "
        "member's, or with --report the transparency report both teams see (every month's "
        "target, actual, hit or miss, pool and how it was split). "
        "`jointbonus run PLAN --out DIR --statements` writes them all as files.",
    )
    statements_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    shown = statements_parser.add_mutually_exclusive_group()
    shown.add_argument("--member", metavar="ID", help="print this member's statement only")
    shown.add_argument(
        "--report",
        action="store_true",
        help="print the transparency report both teams see instead of the statements",
    )
    statements_parser.add_argument(
        "--format",
        choices=("markdown", "html"),
        default="markdown",
        help="html: the transparency report as one self-contained web page, with charts "
        "(and, for a plan measured from leads, the funnel, the SLA and the review list)",
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
        help="targets from the norm and each month's (or quarter's) chance of a hit",
        description="Show the plan's targets and each month's chance of a hit under the "
        "historical norm; or propose targets norm level x (1 + uplift), rounded to the minor "
        "unit, for a given uplift or for the largest uplift (in steps of 0.01%) reaching a "
        "wanted share of months hit. Proposals need a derived norm (same_month_mean or "
        "trailing_mean). A plan whose shared target runs over a quarter or a plan year is "
        "shown period by period: each period's target is its months' targets summed, and "
        "its chance of a hit is read from historical periods of the same length.",
    )
    targets_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    wanted = targets_parser.add_mutually_exclusive_group()
    wanted.add_argument(
        "--hit-rate",
        metavar="RATE",
        help="solve for the uplift hitting at least this share of months (of quarters or plan "
        "years in a plan with a longer shared period), such as 0.6",
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
    _add_ledger_commands(commands)
    _add_audit_commands(commands)
    add_leads_parser(commands)
    _add_compare_parser(commands)
    return parser


def _add_compare_parser(commands: Any) -> None:
    """The parser of ``jointbonus compare``."""
    parser = commands.add_parser(
        "compare",
        help="two designs side by side: cost, its risk, hit rates, earnings, last year",
        description="Compare two designs of a shared-target plan on the same history and "
        "roster: the budget, the expected cost and its percentiles, the chance of exceeding "
        "the budget, the hit rate, each team's weighting and expected earnings, each "
        "member's expected earnings, and what last year would have paid, for A, B and B - A. "
        "The plans must share currency, plan months, roster, history and actuals; "
        "everything else is the design. With --picture, also draw the comparison (SVG; PNG "
        "needs the plot extra: pip install 'jointbonus[plot]').",
    )
    parser.add_argument("plan", type=Path, metavar="PLAN_A", help="design A: a plan file (TOML)")
    parser.add_argument("other", type=Path, metavar="PLAN_B", help="design B: a plan file (TOML)")
    parser.add_argument("--format", choices=COMPARE_FORMATS, default="table", help="output format")
    parser.add_argument(
        "--picture",
        type=Path,
        metavar="FILE",
        help="also write the comparison as a picture: FILE.svg, or FILE.png (plot extra)",
    )
    parser.add_argument(
        "--method",
        choices=[m.value for m in RiskMethod],
        default=RiskMethod.AUTO.value,
        help="how the cost of the year is distributed (as in simulate; default auto)",
    )
    parser.add_argument(
        "--years",
        type=int,
        default=DEFAULT_YEARS,
        metavar="N",
        help=f"simulated years of a bootstrap (default {DEFAULT_YEARS:,})",
    )
    parser.add_argument(
        "--seed",
        type=int,
        default=DEFAULT_SEED,
        metavar="S",
        help=f"the bootstrap's random seed, the same for both designs (default {DEFAULT_SEED})",
    )


def _add_ledger_commands(commands: Any) -> None:
    """The parsers of ``close`` and ``ledger``."""
    close_parser = commands.add_parser(
        "close",
        help="record a month as paid in the plan's payment ledger",
        description="Record what each member was paid for the month -- each part, what the "
        "caps cut, the held-back part and the total, and the corrections of earlier months "
        "it carries -- in the plan's payment ledger (the [ledger] path of the plan, by "
        "default PLAN's name with .ledger.sqlite, beside it), with the digests of the run's "
        "inputs and outputs, in one transaction. A closed month never changes: when its "
        "inputs change, the next run carries the correction in the first open month. "
        "Refused (exit 2, nothing written): a month the plan does not have, a pending month, "
        "a month already closed, a month whose earlier months are not all closed.",
    )
    close_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    close_parser.add_argument(
        "--month",
        required=True,
        metavar="YYYY-MM",
        help="the month to close: the plan's first open month, such as 2026-03",
    )
    ledger_parser = commands.add_parser(
        "ledger",
        help="what the plan's payment ledger holds: the months closed and what they paid",
        description="Show the months closed in the plan's payment ledger: when, by which run "
        "(its results digest) and what was paid with each (the lines, the corrections it "
        "carried, the claw-back), and the overpayments still to recover. JSON adds every "
        "recorded row and the digests of the inputs; CSV has one row per line, correction "
        "and claw-back recorded. Reads the plan file and the ledger alone.",
    )
    ledger_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    ledger_parser.add_argument(
        "--format", choices=("table", "json", "csv"), default="table", help="output format"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    A command makes hundreds of thousands of objects and no reference cycles
    for a large roster, and Python's cyclic garbage collector would walk them
    all again and again: it is paused while the command runs (a fifth of the
    time of a 100,000-member run) and switched back on after it. This is the
    command line's choice for its own process; the library itself never
    touches the collector.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _main(argv)
    finally:
        if was_enabled:
            gc.enable()


def _main(argv: Sequence[str] | None) -> int:
    arguments = _parser().parse_args(argv)
    if arguments.command == "schema":
        return _schema(arguments)
    if arguments.command == "leads":
        return _leads(arguments)
    if arguments.command == "compare":
        return _compare(arguments)
    if getattr(arguments, "xlsx", False) and arguments.out is None:
        print("jointbonus: --xlsx writes a file: give --out DIR as well", file=sys.stderr)
        return EXIT_BAD_INPUT
    if getattr(arguments, "details", False) and arguments.format != "table":
        print(
            f"jointbonus: --details applies to the table format; --format {arguments.format} "
            "prints everything already",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if getattr(arguments, "statements", False) and arguments.out is None:
        print("jointbonus: --statements writes files: give --out DIR as well", file=sys.stderr)
        return EXIT_BAD_INPUT
    kind = kind_of(arguments.plan)
    handler = _HANDLERS.get(arguments.command)
    if handler is not None:
        return handler(kind, arguments)
    command = kind.COMMANDS.get(arguments.command)
    if command is None:
        return _bad_input(arguments.plan, kind.refuse(arguments.command, arguments.plan))
    return _guarded(arguments.plan, lambda: command(arguments))


def _leads(arguments: argparse.Namespace) -> int:
    """``jointbonus leads``: a plan's lead export, or the export files given."""
    if (arguments.plan is None) == (not arguments.export):
        print(
            "jointbonus leads: give a plan with a [leads] section, or the export with "
            "--export FILE (not both)",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    if arguments.plan is not None and kind_of(arguments.plan).NAME != "shared-target":
        return _bad_input(
            arguments.plan, "`jointbonus leads` reads a shared-target plan's [leads] section"
        )
    where = arguments.plan if arguments.plan is not None else ", ".join(map(str, arguments.export))
    return _guarded(where, lambda: leads_command(arguments))


def _compare(arguments: argparse.Namespace) -> int:
    """``jointbonus compare``: a problem of one plan is located in it; of the pair, in both."""
    from jointbonus.cli.compare import PlanInputError, compare_command, load_pair  # noqa: PLC0415

    try:
        plans = load_pair(arguments)
    except PlanInputError as error:
        return _bad_input(error.path, error)
    where = f"{arguments.plan} and {arguments.other}"
    return _guarded(where, lambda: compare_command(arguments, plans))


def _guarded(plan: object, work: Callable[[], str | Iterable[str]]) -> int:
    """Print what ``work`` makes; bad input exits 2, any other failure 1, no traceback.

    Pieces of a streamed output are made as they are printed, so a failure
    in making one is caught here too (after the pieces before it).
    """
    try:
        return _print(work())
    except (MissingExtraError, BlockingIOError) as error:  # a folder or a ledger in use
        return _failure(error)
    except JointBonusError as error:
        return _bad_input(plan, error)
    except OSError as error:
        return _failure(error)


def _run(kind: PlanKind, arguments: argparse.Namespace) -> int:
    """``jointbonus run``: pay the plan, print the result, and write ``--out``."""
    refused = kind.refuse_run(arguments)
    if refused is not None:
        return _bad_input(arguments.plan, refused)

    def work() -> Iterable[str]:
        result = kind.run(kind.load(arguments.plan))
        manifest = None
        if arguments.out is not None:  # the files first: a run that cannot write prints nothing
            options = {name: bool(getattr(arguments, name)) for name in kind.RUN_OPTIONS}
            manifest = _write_outputs(kind, arguments.plan, result, arguments.out, options)
        pieces = kind.render(result, arguments.format, details=arguments.details)
        if arguments.format != "table":  # a document: nothing is added to it
            return pieces
        written = "" if manifest is None else _written_text(arguments.out, manifest)
        steps = kind.next_steps(arguments.plan, result, arguments)
        return itertools.chain(pieces, (written, _steps_text(steps)))

    return _guarded(arguments.plan, work)


def _written_text(folder: Path, manifest: Manifest) -> str:
    """What ``--out`` wrote, and where: the files by name, a folder of them counted."""
    names: list[str] = []
    folders: dict[str, int] = {}
    for name in (*(output.name for output in manifest.outputs), MANIFEST_NAME):
        inner, slash, _ = name.partition("/")
        if slash:
            folders[inner] = folders.get(inner, 0) + 1
        else:
            names.append(name)
    names += [f"{inner}/ ({count:,} files)" for inner, count in folders.items()]
    count = len(manifest.outputs) + 1
    return f"\nWrote {count:,} files to {folder}: {', '.join(names)}\n"


def _steps_text(steps: Sequence[tuple[str, str]]) -> str:
    """The commands to run next, each with what it shows."""
    if not steps:
        return ""
    return "\nNext:\n" + "".join(f"  {what}:\n    {command}\n" for command, what in steps)


# -- validate, schema, verify and the files of a run ------------------------------------

#: Output formats of run and calibrate; explain has no CSV (it is not a table of lines).
FORMATS = ("table", "json", "csv", "markdown")
#: run also prints its lines as JSON Lines.
RUN_FORMATS = ("table", "json", "jsonl", "csv", "markdown")
EXPLAIN_FORMATS = ("table", "json", "markdown")
COMPARE_FORMATS = ("table", "json")
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
    explain_parser.add_argument(
        "--leads",
        action="store_true",
        help="for a goal whose actuals come from the plan's lead export, also list every "
        "lead behind its figure: counted or not, where it was read and what it did",
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
    print(terminal_text(f"jointbonus: {plan}: {error}"), file=sys.stderr)
    return EXIT_BAD_INPUT


def _failure(error: Exception) -> int:
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        message = f"jointbonus: cannot write{where}: {error.strerror or error}"
    else:
        message = f"jointbonus: {error}"
    print(terminal_text(message), file=sys.stderr)
    return EXIT_FAILURE


def _write_outputs(
    kind: PlanKind, plan_path: Path, result: Any, folder: Path, options: Mapping[str, bool]
) -> Manifest:
    """Write a run's files (the kind's, with ``options``) and its manifest, then make them
    ``folder`` in one step."""
    return publish(
        folder,
        plan_path,
        lambda stage: kind.write(result, stage, options),
        settings=kind.settings(plan_path),
        run_files=kind.RUN_FILES,
        extras=kind.extras(options),
        options=options,
    )


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


def _validate(kind: PlanKind, arguments: argparse.Namespace) -> int:
    """``jointbonus validate``: every problem of a plan and its files, or that it is valid."""
    path: Path = arguments.plan
    rows: list[dict[str, Any]] = []
    summary = ""
    try:
        summary = kind.summary(path)
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
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **kind_named(SCHEMA_NAMES[arguments.kind]).schema(),
    }
    return _print(render_json(document))


def _verify(kind: PlanKind, arguments: argparse.Namespace) -> int:
    """``jointbonus verify``: the results folder against its manifest and a fresh run."""
    try:
        with reading_lock(arguments.folder):  # no run replaces the folder while it is checked
            recorded = read_manifest(arguments.folder)
            options = {key: bool(value) for key, value in recorded.options.items()}
            result = kind.run(kind.load(arguments.plan))
            with tempfile.TemporaryDirectory(prefix="jointbonus-verify-") as scratch:
                rerun = Path(scratch) / "run"
                current = _write_outputs(kind, arguments.plan, result, rerun, options)
            verification = verify(arguments.folder, recorded, current)
    except FolderBusyError as error:
        print(f"jointbonus: cannot read {arguments.folder}: {error.strerror}", file=sys.stderr)
        return EXIT_FAILURE
    except MissingExtraError as error:
        return _failure(error)
    except ManifestError as error:  # the message names the manifest
        print(terminal_text(f"jointbonus: {error}"), file=sys.stderr)
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


def _print(text: str | Iterable[str]) -> int:
    """Write ``text`` (or each of its pieces, as it is made) to standard output.

    A closed pipe, a narrow encoding or a failing output (a full disk) is
    no traceback: exit 1, with a message but for the closed pipe. Pieces
    already written stay written: streamed output that fails is cut short.
    What fails in making a piece is not a failure to write: it is raised.
    Control and format characters from the input files are written as
    escapes (:func:`~jointbonus.core.text.terminal_text`), by this function
    or, for :class:`~jointbonus.core.text.Escaped` pieces, by their maker.
    """
    pieces = (text,) if isinstance(text, str) else text
    escape = (lambda piece: piece) if isinstance(pieces, Escaped) else terminal_text
    for piece in pieces:
        if not _written(sys.stdout.write, escape(piece)):
            return EXIT_FAILURE
    return EXIT_OK if _written(lambda _: sys.stdout.flush(), "") else EXIT_FAILURE


def _written(write: Callable[[str], object], text: str) -> bool:
    """Whether ``write(text)`` wrote to standard output; if not, why is told (but a closed pipe)."""
    try:
        write(text)
    except BrokenPipeError:  # `jointbonus run plan.toml | head`: the reader has gone
        _quiet_stdout()
        return False
    except UnicodeEncodeError:
        print(
            f"jointbonus: the output holds characters that standard output's encoding "
            f"({sys.stdout.encoding}) cannot write; set PYTHONIOENCODING=utf-8, "
            "or write the results to files with --out DIR",
            file=sys.stderr,
        )
        return False
    except OSError as error:  # `> /dev/full`, a disk that fills up
        _quiet_stdout()
        print(
            f"jointbonus: cannot write standard output: {error.strerror or error}",
            file=sys.stderr,
        )
        return False
    return True


def _quiet_stdout() -> None:
    """Point standard output at the null device, so that the exit's flush does not fail."""
    try:
        descriptor = sys.stdout.fileno()
    except (OSError, ValueError):  # a stand-in without a descriptor: nothing to flush to
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, descriptor)
    os.close(devnull)


#: The commands every kind of plan has (a kind's own are in its ``COMMANDS``).
_HANDLERS: dict[str, Callable[[PlanKind, argparse.Namespace], int]] = {
    "run": _run,
    "validate": _validate,
    "verify": _verify,
}


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
