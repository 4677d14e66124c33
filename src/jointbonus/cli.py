"""The ``jointbonus`` command.

::

    jointbonus run PLAN [--format table|json] [--out DIR]
    jointbonus calibrate PLAN [--format table|json]

Exit codes: 0 success; 2 bad input (the plan, its files, or a plan that
cannot be calibrated), with every problem listed on standard error; 1 any
other failure (for example an output folder that cannot be written). Bad
input never prints a traceback and never writes a file.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from jointbonus import __version__
from jointbonus.calibration import calibrate
from jointbonus.engine import run
from jointbonus.errors import JointBonusError
from jointbonus.loader import load_plan
from jointbonus.report import (
    calibration_document,
    plan_document,
    render_calibration_table,
    render_json,
    render_table,
    result_document,
    write_results,
)

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
        "with an actual. Prints the plan summary, each month and each member's statement.",
    )
    run_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    run_parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    run_parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="also write lines.csv, months.csv and result.json into DIR (atomically)",
    )

    calibrate_parser = commands.add_parser(
        "calibrate",
        help="solve the plan's scale for revenue neutrality and show the evidence",
        description="Solve for the pool at target (or the target bonus multiplier) that makes "
        "the plan cost its budget at historical performance, and show the residual.",
    )
    calibrate_parser.add_argument("plan", type=Path, help="the plan file (TOML)")
    calibrate_parser.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    arguments = _parser().parse_args(argv)
    try:
        plan = load_plan(arguments.plan)
        if arguments.command == "calibrate":
            calibration = calibrate(plan)
            if arguments.format == "json":
                text = render_json(
                    {
                        "plan": plan_document(plan),
                        "calibration": calibration_document(plan, calibration),
                    }
                )
            else:
                text = render_calibration_table(plan, calibration)
        else:
            result = run(plan)
            text = (
                render_json(result_document(result))
                if arguments.format == "json"
                else render_table(result)
            )
            if arguments.out is not None:
                write_results(result, arguments.out)
    except JointBonusError as error:
        print(f"jointbonus: {arguments.plan}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"jointbonus: cannot write{where}: {error.strerror or error}", file=sys.stderr)
        return EXIT_FAILURE
    return _print(text)


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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
