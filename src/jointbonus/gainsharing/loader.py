"""Loading a gainsharing plan: one TOML file, a roster CSV and a periods CSV.

The plan file says ``kind = "gainsharing"`` at the top (see
``docs/gainsharing.md``). The files are read with the core loader's helpers,
so they follow the same rules (UTF-8, comma-separated, a header naming the
columns, paths inside the plan's folder) and every problem of every file is
collected, located by file, line and column, and raised together in one
:class:`~jointbonus.errors.PlanError`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from jointbonus.core.money import Currency
from jointbonus.core.money import currency as make_currency
from jointbonus.errors import JointBonusError, PlanError, Problem
from jointbonus.gainsharing.plan import GainsharingPlan, MonthData, build_plan
from jointbonus.gainsharing.schema import GainsharingFile, PeriodRow
from jointbonus.io.columns import MemberRows, read_members, read_rows
from jointbonus.io.fields import RosterRow
from jointbonus.io.reading import (
    DOCUMENT_NAME,
    Collector,
    check_months,
    folder_of,
    folder_of_base,
    in_order,
    inside,
    read_bytes,
    read_document,
    read_settings,
    toml_key_line,
    validate_settings,
)
from jointbonus.io.sources import (
    FORMAT_KEYS,
    InputFormat,
    input_formats,
    named_as_written,
)

__all__ = ["load_plan", "load_plan_document", "plan_kind"]

ROSTER = "roster.file"
PERIODS = "gainsharing.file"


def plan_kind(path: str | Path) -> object | None:
    """The top-level ``kind`` the plan file at ``path`` declares, or ``None``.

    ``None`` also when the file cannot be read or is not TOML: the loader that
    reads it then says what is wrong. A shared-target plan has no ``kind``; a
    gainsharing plan says ``kind = "gainsharing"``.
    """
    raw = read_bytes(Path(path), Path(path).name, Collector([]))
    if raw is None:
        return None
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"), parse_float=Decimal)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None
    return data.get("kind")


def load_plan(path: str | Path) -> GainsharingPlan:
    """Read, check and build the gainsharing plan at ``path`` with its CSV files.

    Raises :class:`~jointbonus.errors.PlanError` listing every problem found,
    in file and line order. Every file is read and checked even when another
    has problems; the plan-wide checks that read the periods file (the base
    period's months and totals, figures in month order) wait until that file
    has no problems of its own, since they would only echo them. The files
    may be written as the shared-target plan's may (:mod:`jointbonus.io.sources`).
    """
    plan_path = Path(path)
    problems = Collector([])
    settings, text, data = read_settings(plan_path, GainsharingFile, problems)
    folder = folder_of(plan_path)
    return named_as_written(
        problems,
        lambda: _load(settings, text, data, shown=plan_path.name, folder=folder, problems=problems),
    )


def load_plan_document(
    document: Mapping[str, Any] | str | bytes,
    *,
    format: str | None = None,
    base_dir: str | Path | None = None,
    source: str = DOCUMENT_NAME,
) -> GainsharingPlan:
    """Check and build a gainsharing plan from a dict of settings, or JSON or TOML text.

    As :func:`jointbonus.load_plan_document` does for a shared-target plan:
    the same checks as :func:`load_plan`, the CSV files named relative to
    ``base_dir``, problems located by their path in the document (and, for
    TOML text, their line).
    """
    problems = Collector([])
    text, data = read_document(document, format, source, problems)
    settings = (
        validate_settings(data, text, GainsharingFile, source, problems)
        if data is not None
        else None
    )
    folder = folder_of_base(base_dir, source, problems)
    return named_as_written(
        problems,
        lambda: _load(settings, text, data, shown=source, folder=folder, problems=problems),
    )


def _load(
    settings: GainsharingFile | None,
    text: str,
    data: dict[str, Any] | None,
    *,
    shown: str,
    folder: Path | None,
    problems: Collector,
) -> GainsharingPlan:
    """Read the CSV files the settings name, check everything, build the plan."""
    names = _file_names(settings, data)
    if not names:
        raise PlanError(problems.problems)
    files: dict[str, Path | None] = {}
    for key, name in names.items():
        if folder is None:
            problems.add(
                shown,
                toml_key_line(text, tuple(key.split("."))),
                key,
                name,
                "a file in the folder given as base_dir (load_plan_document(..., base_dir=...))",
            )
            files[key] = None
        else:
            files[key] = inside(folder, name, shown, key, text=text, problems=problems)
    if folder is None:  # nothing to read: the rest would only echo the missing files
        raise PlanError(problems.problems)
    roster_name, periods_name = names.get(ROSTER, ""), names.get(PERIODS, "")
    forms = _forms(settings, shown, text, problems)
    roster_file = files.get(ROSTER) if "roster" in forms else None
    periods_file = files.get(PERIODS) if "gainsharing" in forms else None

    members = MemberRows((), ())
    if roster_file is not None:
        members = read_members(roster_file, roster_name, problems, forms["roster"])
    rows: list[tuple[int, PeriodRow]] = []
    periods_troubled = periods_file is None
    if periods_file is not None:
        before = len(problems.problems)
        rows = read_rows(periods_file, periods_name, PeriodRow, problems, forms["gainsharing"])
        check_months(rows, periods_name, "month", problems, gaps=len(problems.problems) == before)
        _check_period_columns(rows, periods_name, settings, problems)
        periods_troubled = len(problems.problems) > before

    order = [shown, *names.values()]
    if settings is None or len(forms) < len(names):
        raise PlanError(in_order(problems.problems, order))
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
        raise PlanError(in_order(problems.problems, order)) from None

    first_line: dict[str, int] = {}
    data_rows: list[MonthData] = []
    for line, row in rows:
        if row.month not in first_line:  # a month given twice is already a problem
            first_line[row.month] = line
            data_rows.append(MonthData(row.month, row.revenue, row.cost, row.purchases))
    section = settings.gainsharing
    try:
        plan = build_plan(
            name=settings.name,
            currency=plan_currency,
            start=settings.start,
            months=settings.months,
            members=members.members,
            data=data_rows,
            base_period=(section.base_period.first, section.base_period.last),
            formula=section.formula,
            period=section.period,
            employee_share=section.employee_share,
            reserve_share=section.reserve_share,
            distribution=section.distribution,
            pay_leavers_for_exit_period=settings.roster.pay_leavers_for_exit_period,
            teams=settings.teams,
            holdback=section.holdback,
            reserve_from=section.reserve_from,
        )
    except PlanError as error:
        located = _locate(
            error.problems,
            plan=shown,
            text=text,
            roster=roster_name,
            periods=periods_name,
            members={
                member.id: line for member, line in zip(members.members, members.lines, strict=True)
            },
            months=first_line,
        )
        if periods_troubled:  # rows are missing: checks across them would echo that
            located = [p for p in located if not _reads_periods(p, periods_name)]
        problems.problems.extend(located)
        raise PlanError(in_order(problems.problems, order)) from None
    if problems.problems:
        raise PlanError(in_order(problems.problems, order))
    return plan


#: The columns a periods file needs, though a month not reported yet leaves
#: them empty; purchases only for Rucker plans.
_NEEDED_COLUMNS = {
    "revenue": "each month's revenue (the sales value of production)",
    "cost": "each month's labour cost",
    "purchases": "each month's purchased materials and services "
    "(gainsharing.formula is 'rucker': value added = revenue - purchases)",
}


def _check_period_columns(
    rows: Sequence[tuple[int, PeriodRow]],
    shown: str,
    settings: GainsharingFile | None,
    problems: Collector,
) -> None:
    """A column the plan needs that is empty on every line (or absent) is one problem.

    Reported on the header line, rather than once for every month.
    """
    needed = ["revenue", "cost"]
    if settings is not None and settings.gainsharing.formula == "rucker":
        needed.append("purchases")
    for column in needed:
        if rows and all(getattr(row, column) is None for _, row in rows):
            problems.add(shown, 1, column, "(empty on every line)", _NEEDED_COLUMNS[column])


def _forms(
    settings: GainsharingFile | None, shown: str, text: str, problems: Collector
) -> dict[str, InputFormat]:
    """How each input file is written, by its section (``roster``, ``gainsharing``); a
    section whose ``columns`` are refused is left out (its file unread)."""
    if settings is None:
        return {key: InputFormat(key) for key in ("roster", "gainsharing")}
    sections = {
        "roster": (settings.roster, list(RosterRow.model_fields)),
        "gainsharing": (settings.gainsharing, list(PeriodRow.model_fields)),
    }
    return input_formats(sections, settings.files, shown=shown, text=text, problems=problems)


def _file_names(settings: GainsharingFile | None, data: dict[str, Any] | None) -> dict[str, str]:
    """The CSV files the plan names, by setting; from the raw TOML when it did not validate
    (a file whose format the plan states is read once the settings are right)."""
    if settings is not None:
        return {ROSTER: settings.roster.file, PERIODS: settings.gainsharing.file}
    names: dict[str, str] = {}
    if data is not None and "files" in data:
        return names
    for key in (ROSTER, PERIODS):
        section = key.split(".")[0]
        table = data.get(section) if data is not None else None
        if isinstance(table, dict) and not table.keys().isdisjoint(FORMAT_KEYS):
            continue
        name = table.get("file") if isinstance(table, dict) else None
        if isinstance(name, str) and name.strip() and name.strip() not in names.values():
            names[key] = name.strip()
    return names


def _locate(
    found: Sequence[Problem],
    *,
    plan: str,
    text: str,
    roster: str,
    periods: str,
    members: dict[str, int],
    months: dict[str, int],
) -> list[Problem]:
    """Give the problems :func:`build_plan` found the file, line and column they come from.

    ``data 2026-03 cost`` becomes the ``cost`` column on 2026-03's line of the
    periods file; ``member E17 salary`` the ``salary`` column on E17's line of
    the roster; a setting (``gainsharing.base_period``) its line in the plan file.
    """
    located = []
    for problem in found:
        field, value = problem.field, problem.value
        words = field.split(" ")
        file: str = plan
        line: int | None = None
        if words[0] == "data" and len(words) == 3:  # data <month> <column>
            file, line = periods, months.get(words[1])
            if line is not None:
                field = words[2]
        elif field == "data month":
            file, field, line = periods, "month", months.get(str(value))
        elif words[0] == "member" and len(words) >= 3:  # member <id> <column>; ids may hold spaces
            file, line = roster, members.get(" ".join(words[1:-1]))
            if line is not None:
                field = words[-1]
        elif field in ("member id", "members"):
            file = roster
            line = members.get(str(value))
            field = "id"
        else:
            line = toml_key_line(text, tuple(field.split(".")))
        located.append(Problem(field, value, problem.expected, file, line))
    return located


def _reads_periods(problem: Problem, periods: str) -> bool:
    """Whether a plan-wide problem comes from reading the periods file's rows."""
    if problem.file == periods:
        return True
    return problem.field == "gainsharing.base_period" and (
        problem.expected.startswith("months that the data") or "totals above 0" in problem.expected
    )
