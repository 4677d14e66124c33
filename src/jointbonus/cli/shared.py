"""The shared-target plan on the command line (:class:`~jointbonus.cli.kinds.PlanKind`).

``jointbonus run`` calibrates the plan and pays its year, read against the
plan's payment ledger (the corrections of closed months); the commands of
its own are ``calibrate``, ``simulate``, ``targets``, ``plot``,
``statements``, ``explain``, ``close`` (record a month as paid in the ledger)
and ``ledger`` (what the ledger holds).
"""

from __future__ import annotations

import argparse
import shlex
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jointbonus._version import __version__
from jointbonus.cli.kinds import files_step
from jointbonus.core.number import decimal_text
from jointbonus.core.text import Escaped
from jointbonus.errors import PlanError, problem
from jointbonus.io.render import render_json
from jointbonus.manifest import RunFiles, check_output_folder, publish, record_inputs
from jointbonus.sharedtarget.calibration import calibrate
from jointbonus.sharedtarget.engine import run as pay_year
from jointbonus.sharedtarget.explain import explain, render_explanation
from jointbonus.sharedtarget.ledger import (
    LedgerSettings,
    RunDigests,
    check_ledger,
    close_month,
    read_ledger,
    with_ledger,
)
from jointbonus.sharedtarget.loader import load_ledger_settings, load_plan, read_plan_file
from jointbonus.sharedtarget.plan import FundingStyle, Plan
from jointbonus.sharedtarget.plots import matplotlib_version, write_pictures
from jointbonus.sharedtarget.report.documents import (
    calibration_document,
    plan_document,
    versions_document,
    weighting_document,
)
from jointbonus.sharedtarget.report.exports import (
    PAYROLL_FILE,
    XLSX_FILE,
    write_payroll_csv,
    write_xlsx,
    xlsx_version,
)
from jointbonus.sharedtarget.report.filenames import STATEMENTS_FOLDER, TRANSPARENCY_FILE
from jointbonus.sharedtarget.report.html_page import render_transparency_page
from jointbonus.sharedtarget.report.ledger import closing_text, render_ledger
from jointbonus.sharedtarget.report.markdown import (
    calibration_csv,
    render_calibration_markdown,
    render_result_markdown,
)
from jointbonus.sharedtarget.report.risk import render_risk_table, risk_document
from jointbonus.sharedtarget.report.statements import render_statement, render_statements
from jointbonus.sharedtarget.report.streams import terminal_json
from jointbonus.sharedtarget.report.summary import render_summary
from jointbonus.sharedtarget.report.tables import render_calibration_table, render_table
from jointbonus.sharedtarget.report.targets import render_targets_table, targets_document
from jointbonus.sharedtarget.report.transparency import render_transparency_report
from jointbonus.sharedtarget.report.writer import lines_csv, write_results
from jointbonus.sharedtarget.results import MonthStatus, Result
from jointbonus.sharedtarget.risk import cost_risk
from jointbonus.sharedtarget.schema import PlanFile
from jointbonus.sharedtarget.targets import assess_targets, propose_targets, uplift_for_hit_rate
from jointbonus.sharedtarget.versions import calibrate_versions

__all__ = [
    "COMMANDS",
    "FORMATS",
    "NAME",
    "RUN_FILES",
    "RUN_OPTIONS",
    "LoadedPlan",
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

NAME = "shared-target"
RUN_OPTIONS = ("statements", "xlsx")
FORMATS = ("table", "json", "jsonl", "csv", "markdown")
RUN_FILES = RunFiles(
    files=frozenset(
        {"lines.csv", "months.csv", "result.json", PAYROLL_FILE, XLSX_FILE, TRANSPARENCY_FILE}
    ),
    folders=frozenset({STATEMENTS_FOLDER}),
)


@dataclass(frozen=True, slots=True)
class LoadedPlan:
    """A plan read from its file, and where its payment ledger is."""

    plan: Plan
    ledger: LedgerSettings


def load(path: Path) -> LoadedPlan:
    return LoadedPlan(load_plan(path), load_ledger_settings(path))


def run(loaded: LoadedPlan) -> Result:
    """The plan's year, read against its ledger: the corrections of its closed months."""
    return with_ledger(pay_year(loaded.plan), loaded.ledger)


def render(result: Result, format: str, *, details: bool = False) -> Iterable[str]:
    """``jointbonus run`` in the chosen format, in pieces (CSV: the lines, as in lines.csv).

    The table is the summary (:func:`~jointbonus.sharedtarget.report.summary.render_summary`)
    or, with ``details``, everything (:func:`~jointbonus.sharedtarget.report.tables.render_table`).
    JSON and JSON Lines are made piece by piece as they are printed
    (:mod:`jointbonus.sharedtarget.report.streams`); the other formats are
    one piece.
    """
    if format in ("json", "jsonl"):  # escaped for the terminal part by part, as made
        return Escaped(terminal_json(result, format))
    if format == "csv":
        return (lines_csv(result),)
    if format == "markdown":
        return (render_result_markdown(result),)
    return (render_table(result) if details else render_summary(result),)


def next_steps(path: Path, result: Result, arguments: argparse.Namespace) -> list[tuple[str, str]]:
    """What to run after ``jointbonus run``: the details, a statement, an explanation, and
    writing the files (or checking the folder written)."""
    plan = result.plan
    where = shlex.quote(str(path))
    paid = [m.month for m in result.months if m.status is MonthStatus.PAID and m.ends_period]
    month = paid[-1] if paid else plan.months[0].month
    member = shlex.quote(plan.members[0].id) if plan.members else "ID"
    steps = []
    if not arguments.details:
        steps.append(
            (f"jointbonus run {where} --details",
             "the calibration, every month and goal, every member's statement")
        )  # fmt: skip
    steps += [
        (f"jointbonus statements {where} --member {member}", "one member's statement"),
        (
            f"jointbonus explain {where} --member {member} --month {month}",
            "one member's month, every figure traced to the inputs",
        ),
    ]
    if plan.provenance is not None and plan.provenance.leads is not None:
        steps.append((f"jointbonus leads {where} --review", "the leads that need a look"))
    steps.append(
        files_step(
            where, arguments.out, "lines.csv, months.csv, payroll.csv, result.json and a manifest"
        )
    )
    return steps


def refuse_run(arguments: argparse.Namespace) -> str | None:
    del arguments
    return None


def refuse(command: str, plan: Path) -> str:  # pragma: no cover - every command applies
    return f"`jointbonus {command}` does not apply to {plan}"


def write(result: Result, stage: Path, options: Mapping[str, bool]) -> None:
    """lines.csv, months.csv, result.json and payroll.csv; with ``statements`` the
    transparency report and every statement; with ``xlsx`` results.xlsx."""
    write_results(result, stage, statements=options.get("statements", False))
    write_payroll_csv(result, stage / PAYROLL_FILE)
    if options.get("xlsx"):
        write_xlsx(result, stage / XLSX_FILE)


def extras(options: Mapping[str, bool]) -> dict[str, str]:
    if not options.get("xlsx"):
        return {}

    return {"openpyxl": xlsx_version()}


def settings(path: Path) -> dict[str, Any]:
    """The plan file's settings; ``ledger`` when the file has the section or a ledger exists;
    ``leads``, a metric's ``source`` and ``figure``, a goal's ``gate``,
    ``funding.period_weights`` and ``shared.advance`` only when the file states them, a
    goal's ``period`` only when it is not the month.

    A ledger that exists is an input of the run (its closed months make the
    corrections): ``ledger.file`` names it, so that the manifest records its
    digest and ``verify`` says when a close has changed it since.
    """
    document: dict[str, Any] = read_plan_file(path).model_dump(mode="json")  # type: ignore[union-attr]
    ledger = load_ledger_settings(path)
    if ledger.path.is_file():
        document["ledger"] = {**(document.get("ledger") or {}), "file": ledger.shown}
    elif document.get("ledger") is None:
        document.pop("ledger", None)
    # Settings a plan leaves out are left out, so that a plan without them reads as before:
    # [leads], a metric's lead source, a goal's own gate, the periods' weights, advances.
    if document.get("leads") is None:
        document.pop("leads", None)
    metrics = document.get("metrics")
    for metric in metrics.values() if isinstance(metrics, dict) else ():
        if metric.get("source") == "file" and metric.get("figure", 0) is None:
            del metric["source"], metric["figure"]
    funding = document.get("funding")
    if isinstance(funding, dict) and funding.get("period_weights", 0) is None:
        del funding["period_weights"]  # equal weights, as before the setting existed
    shared = document.get("shared")
    if isinstance(shared, dict) and shared.get("advance", 0) is None:
        del shared["advance"]  # no advances, as before the setting existed
    teams = document.get("teams")
    for team in teams.values() if isinstance(teams, dict) else ():
        for goal in team.get("goals") or ():
            if goal.get("gate", 0) is None:
                del goal["gate"]
            if goal.get("period") == "month":
                del goal["period"]  # month by month, as before the setting existed
    return document


def summary(path: Path) -> str:
    """The plan's size and the scale it calibrates to."""
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
    ledger = load_ledger_settings(path)
    records = read_ledger(ledger)
    closed = ""
    if records is not None and records.closed:
        check_ledger(plan, records)
        first, last = records.closed[0].month, records.closed[-1].month
        span = str(first) if first == last else f"{first} to {last}"
        closed = f"; ledger {ledger.shown}: {len(records.closed)} closed ({span})"
    return (
        f"{len(plan.members)} members, {len(plan.months)} months ({months}), "
        f"{len(plan.norm.sample)} historical months; calibrates to a {scale}{closed}"
    )


def schema() -> dict[str, Any]:

    return PlanFile.model_json_schema()


# -- the commands of a shared-target plan --------------------------------------------


def _calibrate(arguments: argparse.Namespace) -> str:
    """``jointbonus calibrate`` in the chosen format."""
    plan = load_plan(arguments.plan)
    calibration = calibrate(plan)
    # A plan with later versions: every version's calibration, each change neutral.
    versions = calibrate_versions(plan, calibration) if plan.versions else ()
    if arguments.format == "json":
        document = {
            "plan": plan_document(plan),
            "calibration": calibration_document(plan, calibration),
            **({"versions": versions_document(plan, versions)} if versions else {}),
        }
        if plan.weighted:  # each team's nominal, wanted and expected shared weight
            document["weighting"] = weighting_document(plan, calibration)
        return render_json(document)
    if arguments.format == "csv":
        return calibration_csv(plan, calibration, versions)
    if arguments.format == "markdown":
        return render_calibration_markdown(plan, calibration, versions)

    return render_calibration_table(plan, calibration, versions)


def _simulate(arguments: argparse.Namespace) -> str:
    """``jointbonus simulate``: the cost risk as a table or JSON."""
    plan = load_plan(arguments.plan)
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


def _targets(arguments: argparse.Namespace) -> str:
    """``jointbonus targets``: the plan's targets, or proposed ones, with their chances."""

    plan = load_plan(arguments.plan)
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


def _plot(arguments: argparse.Namespace) -> str:
    """``jointbonus plot``: the pictures, written into ``--out``."""

    plan = load_plan(arguments.plan)
    matplotlib_version()  # the extra is there before any work is done
    check_output_folder(
        arguments.out, arguments.plan, record_inputs(arguments.plan, settings(arguments.plan))
    )
    return "".join(f"{path}\n" for path in write_pictures(pay_year(plan), arguments.out))


def _statements(arguments: argparse.Namespace) -> str | Iterable[str]:
    """``jointbonus statements``: every member's statement, one member's, or the
    transparency report (``--report``; ``--format html``: as a web page).

    Every statement is printed as it is made, one after the other, so a large
    roster streams to a pager and is never held whole.
    """
    if arguments.member is not None and arguments.format == "html":
        raise PlanError(
            [problem("--format", "html", "markdown for a member's statement (the web page is "
                     "the transparency report: leave out --member)")]
        )  # fmt: skip
    result = run(load(arguments.plan))
    if arguments.format == "html":
        return render_transparency_page(result)
    if arguments.report:
        return render_transparency_report(result)
    if arguments.member is not None:
        return render_statement(result, arguments.member)
    return (
        text if index == 0 else f"\n{text}"
        for index, (_, text) in enumerate(render_statements(result))
    )


def _explain(arguments: argparse.Namespace) -> str:
    """``jointbonus explain``: one member's month, traced back to the inputs."""

    result = pay_year(load_plan(arguments.plan))
    explanation = explain(
        result, arguments.member, arguments.month, leads=getattr(arguments, "leads", False)
    )
    return render_explanation(explanation, arguments.format)


def _close(arguments: argparse.Namespace) -> str:
    """``jointbonus close``: record a month as paid in the plan's ledger, in one transaction.

    The month is closed with what the run pays for it now -- its lines and the
    corrections it carries -- and the digests of that run: its inputs, and
    the results digest ``jointbonus run PLAN --out DIR`` writes for it.
    """
    loaded = load(arguments.plan)

    def digests(result: Result) -> RunDigests:
        options = {name: False for name in RUN_OPTIONS}
        with tempfile.TemporaryDirectory(prefix="jointbonus-close-") as scratch:
            manifest = publish(
                Path(scratch) / "run",
                arguments.plan,
                lambda stage: write(result, stage, options),
                settings=settings(arguments.plan),
                run_files=RUN_FILES,
                options=options,
            )
        return RunDigests(
            __version__,
            manifest.results_digest,
            manifest.plan.sha256,
            tuple((d.name, d.sha256) for d in manifest.inputs),
        )

    close = close_month(loaded.ledger, pay_year(loaded.plan), arguments.month, digests)
    return closing_text(loaded.plan, loaded.ledger.shown, close)


def _ledger(arguments: argparse.Namespace) -> str:
    """``jointbonus ledger``: what the plan's ledger holds, as a table, JSON or CSV."""
    ledger = load_ledger_settings(arguments.plan)
    return render_ledger(ledger.shown, read_ledger(ledger), arguments.format)


COMMANDS: dict[str, Callable[[argparse.Namespace], str | Iterable[str]]] = {
    "calibrate": _calibrate,
    "simulate": _simulate,
    "targets": _targets,
    "plot": _plot,
    "statements": _statements,
    "explain": _explain,
    "close": _close,
    "ledger": _ledger,
}
