"""The gainsharing plan on the command line (:class:`~jointbonus.cli.kinds.PlanKind`).

A plan file that says ``kind = "gainsharing"``: ``jointbonus run`` pays its
periods and settles its reserve, printed as a table or JSON, and ``--out``
writes its CSV files. The commands that calibrate, simulate or explain a
shared target do not apply to it.
"""

from __future__ import annotations

import argparse
import shlex
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from jointbonus import gainsharing
from jointbonus.cli.kinds import files_step
from jointbonus.gainsharing.report import render_summary
from jointbonus.gainsharing.schema import GainsharingFile
from jointbonus.io.reading import Collector, read_settings
from jointbonus.manifest import ManifestError, RunFiles

__all__ = [
    "COMMANDS",
    "FORMATS",
    "NAME",
    "RUN_FILES",
    "RUN_OPTIONS",
    "extras",
    "load",
    "next_steps",
    "refuse",
    "refuse_run",
    "render",
    "run",
    "schema",
    "settings",
    "summary",
    "write",
]

NAME = "gainsharing"
RUN_OPTIONS: tuple[str, ...] = ()
FORMATS = ("table", "json")
RUN_FILES = RunFiles(files=frozenset({"periods.csv", "lines.csv", "settlement.csv", "result.json"}))
COMMANDS: dict[str, Callable[[argparse.Namespace], str | Iterable[str]]] = {}


def load(path: Path) -> gainsharing.GainsharingPlan:
    return gainsharing.load_plan(path)


def run(plan: gainsharing.GainsharingPlan) -> gainsharing.GainsharingResult:
    return gainsharing.run(plan)


def render(
    result: gainsharing.GainsharingResult, format: str, *, details: bool = False
) -> Iterable[str]:
    """JSON, or the table: the plan, its summary, periods and settlement; with ``details``,
    every member's statement too."""
    if format == "json":
        return (gainsharing.render_json(gainsharing.result_document(result)),)
    return (gainsharing.render_table(result) if details else render_summary(result),)


def next_steps(
    path: Path, result: gainsharing.GainsharingResult, arguments: argparse.Namespace
) -> list[tuple[str, str]]:
    """What to run after ``jointbonus run``: the statements, and writing the files (or
    checking the folder written)."""
    del result
    where = shlex.quote(str(path))
    steps = []
    if not arguments.details:
        steps.append((f"jointbonus run {where} --details", "every member's statement"))
    steps.append(
        files_step(
            where,
            arguments.out,
            "periods.csv, lines.csv, settlement.csv, result.json and a manifest",
        )
    )
    return steps


def refuse_run(arguments: argparse.Namespace) -> str | None:
    """``--statements``, ``--xlsx`` and the formats of a shared-target plan do not apply."""
    if arguments.statements:
        return (
            "--statements applies to shared-target plans; "
            "a gainsharing plan's statements are in its `jointbonus run --details` output"
        )
    if arguments.format not in FORMATS or arguments.xlsx:
        what = "--xlsx" if arguments.xlsx else f"--format {arguments.format}"
        return (
            f"{what} applies to shared-target plans; a gainsharing plan prints a table or JSON "
            "(--format table|json) and --out writes its CSV files"
        )
    return None


def refuse(command: str, plan: Path) -> str:
    if command == "explain":
        return (
            "`jointbonus explain` applies to shared-target plans; a gainsharing plan's "
            "statements are in its `jointbonus run --details` output"
        )
    return (
        f"`jointbonus {command}` applies to shared-target plans; a gainsharing plan is "
        f"measured against its base ratio, not a target: use `jointbonus run {plan}`, "
        "which prints its periods and its year-end settlement (with --details, every "
        "member's statement)"
    )


def write(result: gainsharing.GainsharingResult, stage: Path, options: Mapping[str, bool]) -> None:
    del options
    gainsharing.write_results(result, stage)


def extras(options: Mapping[str, bool]) -> dict[str, str]:
    del options
    return {}


def settings(path: Path) -> dict[str, Any]:
    collector = Collector([])
    found, _text, _data = read_settings(path, GainsharingFile, collector)
    if found is None:
        raise ManifestError(f"{path.name}: the settings do not validate")
    return found.model_dump(mode="json")


def summary(path: Path) -> str:
    return f"a gainsharing plan of {len(gainsharing.load_plan(path).members)} members"


def schema() -> dict[str, Any]:
    return GainsharingFile.model_json_schema()
