"""Loading a plan: one TOML file and the CSV files it points at.

The plan file (see ``docs/plan-file.md``) is validated by the pydantic models
in :mod:`jointbonus.sharedtarget.schema`; every CSV row by a row model. Nothing stops at
the first problem: every problem of every file is collected, located (file,
line, column) and raised together in one :class:`~jointbonus.errors.PlanError`.

CSV files are UTF-8 (a byte-order mark is understood and skipped),
comma-separated, with a header line naming the columns in any order. A file
that is not UTF-8, uses semicolons or tabs between columns, lacks a required
column or has one the plan does not know is refused with a message that says
so -- never guessed at. A plan with functional goals adds, for each metric a
goal measures, the columns ``<metric>_target`` and ``<metric>_actual`` to the
plan months and the history; a metric's columns are refused when no goal
measures it.

Paths in the plan are relative to the plan file's folder and must stay inside
it. That includes the payment ledger (``[ledger] path``, by default
``<plan file's stem>.ledger.sqlite`` beside the plan), which need not exist
before the first month is closed (:func:`load_ledger_settings`).

The same settings can come as a document (:func:`load_plan_document`): a
dict, or JSON or TOML text, read with the same checks; its paths are relative
to the folder its caller names (``base_dir``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from jointbonus.core.curves import Curve, LinearCurve, StepCurve
from jointbonus.core.history import HistoryMonth
from jointbonus.core.money import Currency
from jointbonus.core.money import currency as make_currency
from jointbonus.core.periods import Month, plan_months
from jointbonus.errors import JointBonusError, PlanError, Problem, argument, refuse
from jointbonus.io.columns import MemberRows, read_members, read_rows
from jointbonus.io.fields import RosterRow
from jointbonus.io.files import path_argument
from jointbonus.io.reading import (
    DOCUMENT_FORMATS,
    DOCUMENT_NAME,
    Collector,
    check_months,
    folder_of,
    folder_of_base,
    in_order,
    inside,
    read_document,
    read_settings,
    setting_path,
    toml_key_line,
    validate_settings,
)
from jointbonus.io.sources import (
    FORMAT_KEYS,
    InputFormat,
    input_formats,
    named_as_written,
)
from jointbonus.sharedtarget.build import build_plan
from jointbonus.sharedtarget.build.versions import VersionSpec
from jointbonus.sharedtarget.goals import GoalGateSpec, GoalSpec, MetricSpec, TeamSpec
from jointbonus.sharedtarget.plan import LedgerSettings, Overpayments, Plan, Provenance
from jointbonus.sharedtarget.schema import (
    CurveSection,
    HistoryRow,
    LedgerSection,
    MetricSection,
    MonthRow,
    PlanFile,
    TeamSection,
    history_row_model,
    month_row_model,
)

if TYPE_CHECKING:  # a plan without leads does not load the leads code
    from jointbonus.sharedtarget.leadplan import LeadActuals

__all__ = [
    "ledger_name",
    "load_ledger_settings",
    "load_plan",
    "load_plan_document",
    "read_plan_file",
]


def load_plan(path: str | Path) -> Plan:
    """Read, check and build the plan at ``path`` with all its CSV files.

    Raises :class:`~jointbonus.errors.PlanError` listing every problem found,
    in file and line order. Every file is read and checked even when another
    has problems, and so are the plan-wide checks of :func:`build_plan`
    (teams, decimals of the currency, pending months, the norm), except that a
    check reading a file that already has problems of its own is left for
    the next run: it would only echo them.

    A file written otherwise than plain CSV (an .xlsx workbook, another
    delimiter, decimal mark or encoding, its own column names; see
    :mod:`jointbonus.io.sources`) is read into exactly what the plain file
    would give; a problem of its cells names the file's own column.
    """
    path = path_argument("path", path, nul=True)
    plan_path = Path(path)
    problems = Collector([])
    settings, text, data = read_settings(plan_path, PlanFile, problems)
    place = _Place(plan_path.name, folder_of(plan_path), ledger_name(plan_path))
    return named_as_written(problems, lambda: _load(settings, text, data, place, problems=problems))


def load_plan_document(
    document: Mapping[str, Any] | str | bytes,
    *,
    format: str | None = None,
    base_dir: str | Path | None = None,
    source: str = DOCUMENT_NAME,
) -> Plan:
    """Check and build a plan from a document: a dict of settings, or JSON or TOML text.

    The document holds what a plan file holds (``docs/plan-file.md``), as a
    dict (say from :func:`json.loads`, ``format`` left out) or as text, a
    ``str`` or UTF-8 ``bytes``, with ``format="json"`` or ``format="toml"``.
    It gets the same checks as a plan file and gives the same
    :class:`~jointbonus.Plan`. Its CSV files (and lead exports) are named
    relative to ``base_dir``, and must be inside it; a document that names
    files without a ``base_dir`` is refused, saying so. ``source`` names the
    document in problems (``hr-system: teams.sales.goals[0].weight: ...``);
    TOML problems, and JSON syntax errors, also give their line.

    Raises :class:`~jointbonus.errors.PlanError` listing every problem found.
    """
    argument(
        "document",
        document,
        (Mapping, str, bytes),
        'a dict of settings, or JSON or TOML text with format="json" or "toml"',
    )
    if format not in (None, *DOCUMENT_FORMATS):
        refuse("format", format, 'None (a dict), "json" or "toml"')
    if base_dir is not None:
        base_dir = path_argument("base_dir", base_dir, nul=True)  # a NUL: a plan problem
    source = argument("source", source, str, "a name for the document in problems (text)")
    problems = Collector([])
    text, data = read_document(document, format, source, problems)
    settings = (
        validate_settings(data, text, PlanFile, source, problems) if data is not None else None
    )
    folder = folder_of_base(base_dir, source, problems)
    place = _Place(source, folder, ledger_name(source))
    return named_as_written(problems, lambda: _load(settings, text, data, place, problems=problems))


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a plan's settings come from: the name its problems show, and the folder its
    files are named in (``None``: a document given no ``base_dir``)."""

    shown: str
    folder: Path | None
    ledger: str
    """The ledger's file name when the plan names none."""


def _found(place: _Place, name: str, key: str, text: str, problems: Collector) -> Path | None:
    """The file ``name`` that setting ``key`` names, in the plan's folder, or ``None``."""
    if place.folder is None:
        problems.add(
            place.shown,
            toml_key_line(text, tuple(key.split("."))),
            key,
            name,
            "a file in the folder given as base_dir (load_plan_document(..., base_dir=...))",
        )
        return None
    return inside(place.folder, name, place.shown, key, text=text, problems=problems)


def _load(
    settings: PlanFile | None,
    text: str,
    data: dict[str, Any] | None,
    place: _Place,
    *,
    problems: Collector,
) -> Plan:
    """Read the CSV files the settings name, check everything, build the plan."""
    shown = place.shown
    names = _file_names(settings, data)
    if not names:
        raise PlanError(problems.problems)
    folder = place.folder
    if settings is not None and folder is not None:
        _ledger(settings, place.ledger, folder, shown=shown, text=text, problems=problems)

    files: dict[str, Path | None] = {
        key: _found(place, name, key, text, problems) for key, name in names.items()
    }
    roster_name = names.get("roster.file", "")
    months_name = names.get("shared.file", "")
    history_name = names.get("history.file", "")

    # The functional metrics' columns: <metric>_target and <metric>_actual.
    measured = settings.measured if settings is not None else _named_metrics(data)
    forms = _forms(settings, measured, shown, text, problems)
    roster_file = files.get("roster.file") if "roster" in forms else None
    months_file = files.get("shared.file") if "shared" in forms else None
    history_file = files.get("history.file") if "history" in forms else None

    member_rows = MemberRows((), ())
    if roster_file is not None:
        member_rows = read_members(roster_file, roster_name, problems, forms["roster"])
    month_rows: list[tuple[int, MonthRow]] = []
    if months_file is not None:
        before = len(problems.problems)
        month_rows = read_rows(
            months_file, months_name, month_row_model(measured), problems, forms["shared"]
        )
        _explain_metric_columns(problems, before, months_name, measured)
        gaps = len(problems.problems) == before  # a refused row would look like a gap
        check_months(month_rows, months_name, "month", problems, gaps=gaps)
    history_rows: list[tuple[int, HistoryRow]] = []
    if history_file is not None:
        before = len(problems.problems)
        history_rows = read_rows(
            history_file, history_name, history_row_model(measured), problems, forms["history"]
        )
        _explain_metric_columns(problems, before, history_name, measured)
        gaps = len(problems.problems) == before
        check_months(history_rows, history_name, "month", problems, gaps=gaps)
    metrics = measured
    leads: LeadActuals | None = None
    if settings is not None:
        from_leads = settings.from_leads
        read_cleanly = {months_name, history_name}.isdisjoint(p.file for p in problems.problems)
        if months_file is not None and history_file is not None and read_cleanly:
            metrics = _with_values(measured, [*month_rows, *history_rows], from_leads)
        _check_history_columns(history_rows, history_name, settings, metrics, problems)
        _check_metric_tables(settings, shown, text, problems)
        if folder is None:  # a document without a base_dir: its lead exports cannot be found
            for index, name in enumerate(settings.leads.files if settings.leads else ()):
                _found(place, name, f"leads.files[{index}]", text, problems)
        elif settings.leads is not None or from_leads:
            # The leads code loads only for a plan that takes actuals from leads.
            from jointbonus.sharedtarget.leadplan import lead_actuals  # noqa: PLC0415

            leads = lead_actuals(
                settings,
                folder=folder,
                shown=shown,
                text=text,
                months=_plan_months(settings),
                typed={
                    metric: {
                        Month.parse(row.month): (name, line, getattr(row, f"{metric}_actual", None))
                        for name, rows in ((months_name, month_rows), (history_name, history_rows))
                        for line, row in rows
                    }
                    for metric in from_leads
                },
                problems=problems,
            )

    order = [shown, *names.values(), *(settings.leads.files if settings and settings.leads else ())]
    if settings is None or (settings.from_leads and leads is None) or len(forms) < len(names):
        raise PlanError(in_order(problems.problems, order))

    curve = _curve(
        settings.shared.curve, shown, text, problems, name="shared.curve", path=("shared", "curve")
    )
    teams = _teams(settings, shown, text, problems)
    versions = _versions(settings, shown, text, problems)
    plan_currency: Currency | None = None
    try:
        plan_currency = make_currency(settings.currency, settings.minor_unit)
    except JointBonusError as error:
        problems.add(
            shown,
            toml_key_line(text, ("minor_unit",)),
            "minor_unit",
            settings.minor_unit,
            str(error),
        )
    if curve is None or teams is None or versions is None or plan_currency is None:
        raise PlanError(in_order(problems.problems, order))

    scale = (
        settings.funding.pool_at_target
        if settings.funding.style == "pool"
        else settings.funding.target_bonus_multiplier
    )
    try:
        plan = build_plan(
            name=settings.name,
            currency=plan_currency,
            start=settings.start,
            months=settings.months,
            members=member_rows.members,
            history=[
                HistoryMonth(
                    Month.parse(row.month),
                    row.actual,
                    row.target,
                    row.paid,
                    functional=_history_actuals(row, metrics, leads),
                    functional_targets=_cells(row, metrics, "target"),
                )
                for _, row in history_rows
            ],
            curve=curve,
            budget=settings.calibration.budget,
            targets={row.month: row.target for _, row in month_rows if row.target is not None},
            actuals={row.month: row.actual for _, row in month_rows if row.actual is not None},
            metric=settings.shared.metric,
            norm=settings.history.norm,
            window=settings.history.window,
            uplift=settings.history.uplift,
            funding=settings.funding.style,
            split=settings.funding.split,
            neutrality=settings.calibration.neutrality,
            pay_leavers_for_exit_month=settings.roster.pay_leavers_for_exit_month,
            holdback=settings.funding.holdback,
            scale=scale,
            teams=teams,
            metrics=[
                _metric_spec(name, settings.metrics.get(name, MetricSection()), month_rows, leads)
                for name in metrics
            ],
            functional_gate=settings.gates.functional_gate,
            shared_gate=settings.gates.shared_gate,
            cap_per_month=settings.caps.per_month,
            cap_per_year=settings.caps.per_year,
            versions=versions,
            period=settings.shared.period,
            period_weights=settings.funding.period_weights,
            advance=settings.shared.advance,
        )
    except PlanError as error:
        located = _locate(
            error.problems,
            _Sources(
                plan=shown,
                text=text,
                settings=settings,
                months={row.month: line for line, row in month_rows},
                members=member_rows,
                rows=member_rows.lines,
                history={row.month: line for line, row in history_rows},
                teams=tuple(settings.team_tables),
                metrics=settings.measured,
            ),
        )
        # A file with problems of its own is missing rows: checks across its
        # rows would report those gaps again. Roster checks are per member,
        # the plan file's per setting.
        unread = {names[key] for key, found in files.items() if found is None}
        troubled = ({p.file for p in problems.problems} | unread) - {roster_name, shown}
        problems.problems.extend(p for p in located if p.file not in troubled)
        raise PlanError(in_order(problems.problems, order)) from None
    if problems.problems:
        raise PlanError(in_order(problems.problems, order))
    return replace(
        plan,
        provenance=Provenance(
            plan_file=shown,
            roster_file=roster_name,
            months_file=months_name,
            history_file=history_name,
            member_lines=member_rows,
            month_lines={Month.parse(row.month): line for line, row in month_rows},
            history_lines={Month.parse(row.month): line for line, row in history_rows},
            leads=leads.sources if leads is not None else None,
        ),
    )


def _forms(
    settings: PlanFile | None,
    measured: tuple[str, ...],
    shown: str,
    text: str,
    problems: Collector,
) -> dict[str, InputFormat]:
    """How each input file is written, by the section naming it (``roster``, ``shared``,
    ``history``); a section whose ``columns`` are refused is left out (its file unread).

    A plan whose settings did not validate reads its files as plain CSV files, as
    far as its sections leave them so (:func:`_file_names`).
    """
    if settings is None:
        return {key: InputFormat(key) for key in ("roster", "shared", "history")}
    models: dict[str, type[BaseModel]] = {
        "roster": RosterRow,
        "shared": month_row_model(measured),
        "history": history_row_model(measured),
    }
    sections = {
        key: (getattr(settings, key), list(model.model_fields)) for key, model in models.items()
    }
    return input_formats(sections, settings.files, shown=shown, text=text, problems=problems)


def _plan_months(settings: PlanFile) -> tuple[Month, ...]:
    """The plan's months as its settings give them (none when they run past the calendar)."""
    try:
        return plan_months(Month.parse(settings.start), settings.months)
    except JointBonusError:
        return ()


def _history_actuals(
    row: HistoryRow, metrics: Sequence[str], leads: LeadActuals | None
) -> dict[str, Decimal]:
    """A history month's functional actuals: the file's, and the leads' for a lead metric."""
    found = _cells(row, metrics, "actual")
    if leads is not None:
        month = Month.parse(row.month)
        for metric, actuals in leads.history.items():
            found.pop(metric, None)
            if metric in metrics and month in actuals:
                found[metric] = actuals[month]
    return found


def ledger_name(plan_path: str | Path) -> str:
    """The ledger a plan without ``[ledger] path`` keeps: ``<plan stem>.ledger.sqlite``."""
    return f"{Path(plan_path).stem}.ledger.sqlite"


def load_ledger_settings(path: str | Path) -> LedgerSettings:
    """Where the plan at ``path`` keeps its payment ledger, and its rule for overpayments.

    Reads the plan file alone (not its CSV files). The ledger is ``[ledger]
    path``, relative to the plan's folder and inside it, or
    ``<plan stem>.ledger.sqlite`` beside the plan; it need not exist yet, but
    must not be a folder. Raises :class:`~jointbonus.errors.PlanError`,
    located, for a plan file that cannot be read or a ledger path refused.
    """
    plan_path = Path(path)
    problems = Collector([])
    settings, text, _data = read_settings(plan_path, PlanFile, problems)
    if settings is None:
        raise PlanError(problems.problems)
    ledger = _ledger(
        settings,
        ledger_name(plan_path),
        folder_of(plan_path),
        shown=plan_path.name,
        text=text,
        problems=problems,
    )
    if ledger is None:
        raise PlanError(problems.problems)
    return ledger


def _ledger(
    settings: PlanFile, default: str, folder: Path, *, shown: str, text: str, problems: Collector
) -> LedgerSettings | None:
    """The plan's ledger settings; ``None`` (and a problem) for a path that cannot be one."""
    section = settings.ledger or LedgerSection()
    name = section.path or default
    found = inside(folder, name, shown, "ledger.path", text=text, problems=problems, existing=False)
    if found is None:
        return None
    return LedgerSettings(found, name, Overpayments(section.overpayments))


def _file_names(settings: PlanFile | None, data: dict[str, Any] | None) -> dict[str, str]:
    """The CSV files the plan names, by setting (``roster.file``: ``data/roster.csv``).

    Read from the raw TOML when it did not validate, so that the CSV files
    are checked, and their problems reported, in the same run.
    """
    if settings is not None:
        return {
            "roster.file": settings.roster.file,
            "shared.file": settings.shared.file,
            "history.file": settings.history.file,
        }
    names: dict[str, str] = {}
    if data is not None and "files" in data:
        return names  # how the files are written is not known: they are read once it is
    for section in ("roster", "shared", "history"):
        table = data.get(section) if data is not None else None
        if isinstance(table, dict) and not table.keys().isdisjoint(FORMAT_KEYS):
            continue
        name = table.get("file") if isinstance(table, dict) else None
        if isinstance(name, str) and name.strip() and name.strip() not in names.values():
            names[f"{section}.file"] = name.strip()
    return names


def read_plan_file(path: Path, problems: Collector | None = None) -> PlanFile | None:
    """The validated settings of a plan file, or ``None`` with ``problems`` filled in.

    Without a collector, raises :class:`PlanError` instead of returning ``None``.
    """
    collector = problems if problems is not None else Collector([])
    settings, _text, _data = read_settings(Path(path), PlanFile, collector)
    if settings is None and problems is None:
        raise PlanError(collector.problems)
    return settings


def _named_metrics(data: dict[str, Any] | None) -> tuple[str, ...]:
    """The metrics the goals of a plan file that did not validate name, as far as it tells.

    So that the CSV files are read with the columns the plan means, and their
    problems reported, in the same run.
    """
    teams = data.get("teams") if data is not None else None
    found: dict[str, None] = {}
    for team in teams.values() if isinstance(teams, dict) else ():
        goals = team.get("goals") if isinstance(team, dict) else None
        for goal in goals if isinstance(goals, list) else ():
            metric = goal.get("metric") if isinstance(goal, dict) else None
            if isinstance(metric, str):
                name = metric.strip()
                if name.isidentifier() and not name.startswith("_") and len(name) <= 64:
                    found[name] = None
    return tuple(found)


def _explain_metric_columns(
    problems: Collector, since: int, shown: str, measured: Sequence[str]
) -> None:
    """Say why a metric's columns are unknown: no goal measures the metric.

    A column ``<metric>_target`` or ``<metric>_actual`` is one of the file's
    only when a goal measures the metric, so a misspelt metric in the plan
    file shows here.
    """
    for index in range(since, len(problems.problems)):
        problem = problems.problems[index]
        if (problem.file, problem.field) != (shown, "header") or not problem.expected.startswith(
            "only the columns"
        ):
            continue
        columns = str(problem.value).split(", ")
        strays = dict.fromkeys(
            column.rpartition("_")[0]
            for column in columns
            if column.endswith(("_target", "_actual"))
        )
        if strays:
            why = (
                f"no goal measures {', '.join(strays)}; the goals measure {', '.join(measured)}"
                if measured
                else "no team has goals"
            )
            problems.problems[index] = replace(
                problem,
                expected=f"{problem.expected} (a metric's columns only when a goal measures it: "
                f"{why})",
            )


def _cells(row: MonthRow | HistoryRow, metrics: Sequence[str], kind: str) -> dict[str, Decimal]:
    """The row's ``<metric>_<kind>`` cells that are not empty, by metric."""
    found = {}
    for metric in metrics:
        value = getattr(row, f"{metric}_{kind}")
        if value is not None:
            found[metric] = value
    return found


def _with_values(
    metrics: Sequence[str],
    rows: Sequence[tuple[int, MonthRow | HistoryRow]],
    from_leads: Mapping[str, str],
) -> tuple[str, ...]:
    """The metrics some row of the plan months or the history gives a value for, or the leads.

    A metric with none is one no file knows: a goal naming it is reported
    there, not as a column empty on every line.
    """
    return tuple(
        metric
        for metric in metrics
        if metric in from_leads
        or any(
            _cells(row, (metric,), "actual") or _cells(row, (metric,), "target") for _, row in rows
        )
    )


def _metric_spec(
    name: str,
    section: MetricSection,
    month_rows: Sequence[tuple[int, MonthRow]],
    leads: LeadActuals | None,
) -> MetricSpec:
    """A functional metric's plan months from the plan months file (its actuals from the
    leads, for a lead metric), its norm from ``[metrics]``."""
    targets: dict[str | Month, Decimal] = {}
    actuals: dict[str | Month, Decimal | None] = {}
    for _, row in month_rows:
        targets.update((row.month, value) for value in _cells(row, (name,), "target").values())
        actuals.update((row.month, value) for value in _cells(row, (name,), "actual").values())
    counts: dict[str | Month, tuple[Decimal, Decimal]] = {}
    if leads is not None and name in leads.plan:
        actuals = {month: value for month, value in leads.plan[name].items()}
        counts.update((month, pair) for month, pair in leads.counts.get(name, {}).items())
    return MetricSpec(
        name,
        targets=targets,
        actuals=actuals,
        norm=section.norm,
        uplift=section.uplift,
        window=section.window,
        counts=counts,
    )


def _teams(
    settings: PlanFile, shown: str, text: str, problems: Collector
) -> list[str | TeamSpec] | None:
    """The plan's teams for :func:`build_plan`: names, or specs with their goals' curves.

    ``None`` when a goal's curve is refused (the problem is added).
    """
    if not isinstance(settings.teams, dict):
        return list(settings.teams)
    return _team_specs(settings.teams, shown, text, problems)


def _team_specs(
    tables: dict[str, TeamSection],
    shown: str,
    text: str,
    problems: Collector,
    *,
    at: tuple[str, ...] = (),
    prefix: str = "",
) -> list[str | TeamSpec] | None:
    """:func:`_teams` of team tables at the TOML path ``at``, their settings named from
    ``prefix`` on (a version's: ``versions[0].``; the plan's: none)."""
    teams: list[str | TeamSpec] = []
    complete = True
    for name, team in tables.items():
        goals = []
        for index, goal in enumerate(team.goals):
            curve = _curve(
                goal.curve,
                shown,
                text,
                problems,
                name=f"{prefix}teams.{name}.goals[{index}].curve",
                path=(*at, "teams", name, "goals", str(index), "curve"),
            )
            if curve is None:
                complete = False
                continue
            gate = None
            if goal.gate is not None:
                gate = GoalGateSpec(goal.gate.metric, goal.gate.attainment)
            goals.append(GoalSpec(goal.metric, goal.weight, curve, gate, goal.period))
        teams.append(TeamSpec(name, team.shared_weight, team.expected_shared_split, tuple(goals)))
    return teams if complete else None


def _versions(
    settings: PlanFile, shown: str, text: str, problems: Collector
) -> list[VersionSpec] | None:
    """The plan's later versions for :func:`build_plan`, ``[[versions]]`` table by table.

    ``None`` when a curve of a version is refused (the problem is added).
    """
    specs = []
    complete = True
    pool = settings.funding.style == "pool"
    for k, version in enumerate(settings.versions):
        at = ("versions", str(k))
        curve = None
        if version.shared.curve is not None:
            curve = _curve(
                version.shared.curve,
                shown,
                text,
                problems,
                name=f"versions[{k}].shared.curve",
                path=(*at, "shared", "curve"),
            )
            complete = complete and curve is not None
        teams = None
        if version.teams is not None:
            teams = _team_specs(
                version.teams, shown, text, problems, at=at, prefix=f"versions[{k}]."
            )
            complete = complete and teams is not None
        funding = version.funding
        other, other_setting = (
            (funding.target_bonus_multiplier, "target_bonus_multiplier")
            if pool
            else (funding.pool_at_target, "pool_at_target")
        )
        if other is not None:
            problems.add(
                shown,
                toml_key_line(text, (*at, "funding", other_setting)),
                f"versions[{k}].funding.{other_setting}",
                other,
                f"no {other_setting}: the plan's funding style is {settings.funding.style}",
            )
        if funding.split is not None and not pool:
            problems.add(
                shown,
                toml_key_line(text, (*at, "funding", "split")),
                f"versions[{k}].funding.split",
                funding.split,
                "no split: split applies to pool funding only",
            )
        specs.append(
            VersionSpec(
                start=version.start,
                curve=curve,
                scale=funding.pool_at_target if pool else funding.target_bonus_multiplier,
                split=funding.split,
                teams=teams,
                functional_gate=version.gates.functional_gate,
                shared_gate=version.gates.shared_gate,
                cap_per_month=version.caps.per_month,
                cap_per_year=version.caps.per_year,
            )
        )
    return specs if complete else None


def _check_metric_tables(settings: PlanFile, shown: str, text: str, problems: Collector) -> None:
    """A ``[metrics.<metric>]`` table is for a metric some goal measures."""
    for name in settings.metrics:
        if name not in settings.measured:
            measured = ", ".join(settings.measured) or "no team has goals"
            problems.add(
                shown,
                toml_key_line(text, ("metrics", name)),
                f"metrics.{name}",
                name,
                f"a metric some team's goal measures ({measured})",
            )


def _check_history_columns(
    rows: Sequence[tuple[int, HistoryRow]],
    shown: str,
    settings: PlanFile,
    metrics: Sequence[str],
    problems: Collector,
) -> None:
    """The cells the plan's settings make necessary in the history.

    Every target for the 'targets' norm, every amount paid for a budget
    'from_history'; for each functional metric, every actual and, under a
    'targets' norm, every target. A column empty on every line is one
    problem on the header.
    """
    needed: list[tuple[str, str]] = []
    if settings.history.norm == "targets":
        needed.append(
            (
                "target",
                "the month's target (history.norm is 'targets': attainment = actual / target)",
            )
        )
    if settings.calibration.budget == "from_history":
        needed.append(
            ("paid", "what the old plan paid that month (calibration.budget is 'from_history')")
        )
    for metric in metrics:
        if metric not in settings.from_leads:
            needed.append(
                (
                    f"{metric}_actual",
                    f"the actual of the functional metric {metric} that month (a goal measures it)",
                )
            )
        section = settings.metrics.get(metric)
        norm, where = settings.history.norm, "history.norm"
        if section is not None and section.norm is not None:
            norm, where = section.norm, f"metrics.{metric}.norm"
        if norm == "targets":
            needed.append(
                (
                    f"{metric}_target",
                    f"the target of the functional metric {metric} that month "
                    f"({where} is 'targets': attainment = actual / target)",
                )
            )
    for column, why in needed:
        empty = [line for line, row in rows if getattr(row, column) is None]
        if rows and len(empty) == len(rows):
            problems.add(shown, 1, column, "(empty on every line)", why)
            continue
        for line in empty:
            problems.add(shown, line, column, None, why)


def _curve(
    section: CurveSection,
    shown: str,
    text: str,
    problems: Collector,
    *,
    name: str,
    path: tuple[str, ...],
) -> Curve | None:
    """The curve a ``{ type = ... }`` table describes, or ``None`` and a problem at ``name``."""
    if section.type == "step":
        threshold = section.threshold if section.threshold is not None else Decimal(1)
        payout = section.payout if section.payout is not None else Decimal(1)

        def build() -> Curve:
            return StepCurve(Fraction(threshold), Fraction(payout))
    else:

        def build() -> Curve:
            return LinearCurve.of(section.points or [])

    try:
        return build()
    except JointBonusError as error:
        problems.add(
            shown,
            toml_key_line(text, path),
            name,
            section.model_dump(mode="json", exclude_none=True),
            str(error),
        )
        return None


@dataclass(frozen=True)
class _Sources:
    """Where the values handed to :func:`build_plan` came from."""

    plan: str
    text: str
    settings: PlanFile
    months: dict[str, int]
    """Plan month (``2026-01``) -> line in the plan months file."""
    members: Mapping[str, int]
    """Member id -> line in the roster."""
    rows: Sequence[int]
    """The line in the roster of each row handed to :func:`build_plan`, by its place."""
    history: dict[str, int]
    """History month -> line in the history file."""
    teams: tuple[str, ...] = ()
    """The plan's teams, to read settings named ``teams.<team>...``."""
    metrics: tuple[str, ...] = ()
    """The metrics the goals measure, to read fields named ``<metric>_target <month>``."""

    def history_line(self, text: str) -> int | None:
        """The history line of the first history month ``text`` names."""
        months = [m for m in _MONTH_IN_TEXT.findall(text) if m in self.history]
        return self.history[months[0]] if months else None


#: A roster row named by its place in the members handed to :func:`build_plan`.
_ROW = re.compile(r"members\[(\d+)\]")


def _row_line(sources: _Sources, place: int) -> int | None:
    return sources.rows[place] if place < len(sources.rows) else None


_MONTH_IN_TEXT = re.compile(r"\b(\d{4}-\d{2})\b", re.ASCII)
_HISTORY_PREFIX = re.compile(r"^history( \d{4}-\d{2})?: ")
_UNKNOWN_METRIC = re.compile(r"^a functional metric \((.*)\)$")


def _setting_path(field: str, teams: Sequence[str]) -> tuple[str, ...]:
    """The TOML path of a setting named ``field`` (``teams.sales.goals[0].weight``).

    A team's name may hold dots or brackets: the longest team name the field
    begins with is one part.
    """
    if field.startswith("teams."):
        rest = field.removeprefix("teams.")
        named = [t for t in teams if rest == t or rest.startswith((f"{t}.", f"{t}["))]
        if named:
            team = max(named, key=len)
            return ("teams", team, *setting_path(rest.removeprefix(team)))
    return setting_path(field)


#: A setting of a later version: ``versions[<k>].`` and the argument of :func:`build_plan`.
_VERSION = re.compile(r"versions\[\d+\]\.")


#: The plan file's setting of each argument of :func:`build_plan` that a problem can name.
_SETTINGS = {
    "name": "name",
    "currency": "currency",
    "start": "start",
    "months": "months",
    "teams": "teams",
    "metric": "shared.metric",
    "norm": "history.norm",
    "window": "history.window",
    "uplift": "history.uplift",
    "funding": "funding.style",
    "split": "funding.split",
    "holdback": "funding.holdback",
    "scale": "funding.scale",
    "neutrality": "calibration.neutrality",
    "budget": "calibration.budget",
    "pay_leavers_for_exit_month": "roster.pay_leavers_for_exit_month",
    "functional_gate": "gates.functional_gate",
    "shared_gate": "gates.shared_gate",
    "cap_per_month": "caps.per_month",
    "cap_per_year": "caps.per_year",
    "period": "shared.period",
    "period_weights": "funding.period_weights",
    "advance": "shared.advance",
}


def _locate(found: Sequence[Problem], sources: _Sources) -> list[Problem]:
    """Give problems found while building the plan the file, line and column they come from.

    ``build_plan`` names a problem as the API sees it (``member DM-S03 team``,
    ``target 2026-05``, ``leads_actual 2026-05``, ``history leads``,
    ``budget``); in a file it becomes the column on the member's
    or the month's line, or the setting's line in the plan file.
    """
    settings = sources.settings
    metric_columns = {f"{m}_{kind}" for m in sources.metrics for kind in ("target", "actual")}
    located = []
    for problem in found:
        field, value, expected = problem.field, problem.value, problem.expected
        file: str = sources.plan
        line: int | None = None
        words = field.split(" ")
        row = _ROW.fullmatch(words[0])
        if row is not None and len(words) == 2:  # members[<place>] <column>: a row of several
            file, field = settings.roster.file, words[1]
            line = _row_line(sources, int(row[1]))
            expected = _ROW.sub(lambda found: f"line {_row_line(sources, int(found[1]))}", expected)
        elif words[0] == "member" and len(words) >= 3:  # member <id> <column>; ids may hold spaces
            file, column = settings.roster.file, words[-1]
            line = sources.members.get(" ".join(words[1:-1]))
            if line is not None:
                field = column
        elif (words[0] in ("target", "actual") or words[0] in metric_columns) and len(words) == 2:
            # target <month>, <metric>_actual <month>: or a month outside the plan
            file = settings.shared.file
            if words[1] == "month":
                field = "month"
                line = sources.months.get(str(value))
            else:
                line = sources.months.get(words[1])
                if line is not None:
                    field = words[0]
        elif field in ("targets month", "actuals month"):
            file, field = settings.shared.file, "month"
            line = sources.months.get(str(value))
        elif field == "history":
            file = settings.history.file
            expected = expected.removeprefix("history: ")
            line = sources.history_line(expected)
        elif words[0] == "history" and len(words) == 2:  # history <metric>
            file = settings.history.file
            expected = _HISTORY_PREFIX.sub("", expected)
            line = sources.history_line(expected)
            if line is not None:
                kind = "target" if "target" in expected else "actual"
                field = f"{words[1]}_{kind}"
        elif field == "budget" and value == "from_history":
            file, field, value = settings.history.file, "paid", None
            line = sources.history_line(expected)
        else:
            version = _VERSION.match(field)
            prefix = version[0] if version else ""
            field = _SETTINGS.get(field.removeprefix(prefix), field.removeprefix(prefix))
            if field == "funding.scale":
                field = (
                    "funding.pool_at_target"
                    if settings.funding.style == "pool"
                    else "funding.target_bonus_multiplier"
                )
            path = (*setting_path(prefix), *_setting_path(field, sources.teams))
            field = prefix + field  # a version's setting: versions[<k>].<setting>
            line = toml_key_line(sources.text, path)
            unknown = _UNKNOWN_METRIC.match(expected)
            if path[-1:] == ("metric",) and unknown:
                known = "none" if unknown[1] == "none declared" else unknown[1]
                expected = (
                    f"a metric with values in {settings.history.file} or "
                    f"{settings.shared.file} (columns {value}_actual, {value}_target); "
                    f"they hold values for: {known}"
                )
        located.append(Problem(field, value, expected, file, line))
    return located
