"""Loading a plan: one TOML file and the CSV files it points at.

The plan file (see ``docs/plan-file.md``) is validated by the pydantic models
in :mod:`jointbonus.schema`; every CSV row by a row model. Nothing stops at
the first problem: every problem of every file is collected, located (file,
line, column) and raised together in one :class:`~jointbonus.errors.PlanError`.

CSV files are UTF-8 (a byte-order mark is understood and skipped),
comma-separated, with a header line naming the columns in any order. A file
that is not UTF-8, uses semicolons or tabs between columns, lacks a required
column or has one the plan does not know is refused with a message that says
so -- never guessed at.

Paths in the plan are relative to the plan file's folder and must stay inside
it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from jointbonus._gc import paused_gc
from jointbonus.curves import Curve, LinearCurve, StepCurve
from jointbonus.errors import JointBonusError, PlanError, Problem
from jointbonus.history import HistoryMonth
from jointbonus.inputs import (
    Collector,
    check_months,
    folder_of,
    in_order,
    inside,
    read_members,
    read_rows,
    read_settings,
    toml_key_line,
)
from jointbonus.money import Currency
from jointbonus.money import currency as make_currency
from jointbonus.periods import Month
from jointbonus.plan import Plan, build_plan
from jointbonus.roster import Member
from jointbonus.schema import (
    CurveSection,
    HistoryRow,
    MonthRow,
    PlanFile,
)

__all__ = ["load_plan", "read_plan_file"]


@paused_gc()
def load_plan(path: str | Path) -> Plan:
    """Read, check and build the plan at ``path`` with all its CSV files.

    Raises :class:`~jointbonus.errors.PlanError` listing every problem found,
    in file and line order. Every file is read and checked even when another
    has problems, and so are the plan-wide checks of :func:`build_plan`
    (teams, decimals of the currency, pending months, the norm), except that a
    check reading a file that already has problems of its own is left for
    the next run: it would only echo them.
    """
    plan_path = Path(path)
    problems = Collector([])
    settings, text, data = read_settings(plan_path, PlanFile, problems)
    shown = plan_path.name
    names = _file_names(settings, data)
    if not names:
        raise PlanError(problems.problems)
    folder = folder_of(plan_path)

    files: dict[str, Path | None] = {
        key: inside(folder, name, shown, key, text=text, problems=problems)
        for key, name in names.items()
    }
    roster_name = names.get("roster.file", "")
    months_name = names.get("shared.file", "")
    history_name = names.get("history.file", "")

    roster_file = files.get("roster.file")
    months_file = files.get("shared.file")
    history_file = files.get("history.file")

    member_rows: list[tuple[int, Member]] = []
    if roster_file is not None:
        member_rows = read_members(roster_file, roster_name, problems)
    month_rows: list[tuple[int, MonthRow]] = []
    if months_file is not None:
        before = len(problems.problems)
        month_rows = read_rows(months_file, months_name, MonthRow, problems)
        gaps = len(problems.problems) == before  # a refused row would look like a gap
        check_months(month_rows, months_name, "month", problems, gaps=gaps)
    history_rows: list[tuple[int, HistoryRow]] = []
    if history_file is not None:
        before = len(problems.problems)
        history_rows = read_rows(history_file, history_name, HistoryRow, problems)
        gaps = len(problems.problems) == before
        check_months(history_rows, history_name, "month", problems, gaps=gaps)
        if settings is not None:
            _check_history_columns(history_rows, history_name, settings, problems)

    order = [shown, *names.values()]
    if settings is None:
        raise PlanError(in_order(problems.problems, order))

    curve = _curve(settings.shared.curve, shown, text, problems)
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
    if curve is None or plan_currency is None:
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
            members=[member for _, member in member_rows],
            history=[
                HistoryMonth(Month.parse(r.month), r.actual, r.target, r.paid)
                for _, r in history_rows
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
            teams=settings.teams,
        )
    except PlanError as error:
        located = _locate(
            error.problems,
            _Sources(
                plan=shown,
                text=text,
                settings=settings,
                months={row.month: line for line, row in month_rows},
                members={member.id: line for line, member in member_rows},
                history={row.month: line for line, row in history_rows},
            ),
        )
        # A file with problems of its own is missing rows: checks across its
        # rows would report those gaps again. Roster checks are per member.
        unread = {names[key] for key, found in files.items() if found is None}
        troubled = ({p.file for p in problems.problems} | unread) - {roster_name}
        problems.problems.extend(p for p in located if p.file not in troubled)
        raise PlanError(in_order(problems.problems, order)) from None
    if problems.problems:
        raise PlanError(in_order(problems.problems, order))
    return plan


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
    for section in ("roster", "shared", "history"):
        table = data.get(section) if data is not None else None
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


def _check_history_columns(
    rows: Sequence[tuple[int, HistoryRow]], shown: str, settings: PlanFile, problems: Collector
) -> None:
    """The cells the plan's settings make necessary in the history.

    Every target for the 'targets' norm, every amount paid for a budget
    'from_history'. A column empty on every line is one problem on the header.
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
    for column, why in needed:
        empty = [line for line, row in rows if getattr(row, column) is None]
        if rows and len(empty) == len(rows):
            problems.add(shown, 1, column, "(empty on every line)", why)
            continue
        for line in empty:
            problems.add(shown, line, column, None, why)


def _curve(section: CurveSection, shown: str, text: str, problems: Collector) -> Curve | None:
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
            toml_key_line(text, ("shared", "curve")),
            "shared.curve",
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
    members: dict[str, int]
    """Member id -> line in the roster."""
    history: dict[str, int]
    """History month -> line in the history file."""


_MONTH_IN_TEXT = re.compile(r"\b(\d{4}-\d{2})\b", re.ASCII)


def _locate(found: Sequence[Problem], sources: _Sources) -> list[Problem]:
    """Give problems found while building the plan the file, line and column they come from.

    ``build_plan`` names a problem as the API sees it (``member DM-S03 team``,
    ``target 2026-05``, ``calibration.budget``); in a file it becomes the
    column on the member's or the month's line, or the setting's line in the
    plan file.
    """
    settings = sources.settings
    located = []
    for problem in found:
        field, value, expected = problem.field, problem.value, problem.expected
        file: str = sources.plan
        line: int | None = None
        words = field.split(" ")
        if words[0] == "member" and len(words) >= 3:  # member <id> <column>; ids may hold spaces
            file, column = settings.roster.file, words[-1]
            line = sources.members.get(" ".join(words[1:-1]))
            if line is not None:
                field = column
        elif field == "member id":
            file, field = settings.roster.file, "id"
            line = sources.members.get(str(value))
        elif words[0] in ("target", "actual") and len(words) == 2:  # target <month>
            file = settings.shared.file
            line = sources.months.get(words[1])
            if line is not None:
                field = words[0]
        elif field in ("targets month", "actuals month"):
            file, field = settings.shared.file, "month"
            line = sources.months.get(str(value))
        elif field == "history":
            file = settings.history.file
            expected = expected.removeprefix("history: ")
            months = [m for m in _MONTH_IN_TEXT.findall(expected) if m in sources.history]
            line = sources.history[months[0]] if months else None
        elif field == "calibration.budget" and value == "from_history":
            file, field, value = settings.history.file, "paid", None
            months = [m for m in _MONTH_IN_TEXT.findall(expected) if m in sources.history]
            line = sources.history[months[0]] if months else None
        else:
            key = field
            if field == "funding.scale":
                key = (
                    "funding.pool_at_target"
                    if settings.funding.style == "pool"
                    else "funding.target_bonus_multiplier"
                )
            line = toml_key_line(sources.text, tuple(key.split(".")))
        located.append(Problem(field, value, expected, file, line))
    return located
