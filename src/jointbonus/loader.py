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

import csv
import io
import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from jointbonus.curves import Curve, LinearCurve, StepCurve
from jointbonus.errors import JointBonusError, PlanError, Problem
from jointbonus.history import HistoryMonth
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
    RosterRow,
)

__all__ = ["MAX_FILE_BYTES", "load_plan", "read_plan_file"]

#: Largest input file read, in bytes (256 MiB): a roster of millions fits.
MAX_FILE_BYTES = 256 * 1024 * 1024

Row = TypeVar("Row", bound=BaseModel)


@dataclass
class _Collector:
    problems: list[Problem]

    def add(self, file: str, line: int | None, field: str, value: object, expected: str) -> None:
        self.problems.append(Problem(field, value, expected, file, line))


def load_plan(path: str | Path) -> Plan:
    """Read, check and build the plan at ``path`` with all its CSV files.

    Raises :class:`~jointbonus.errors.PlanError` listing every problem found.
    """
    plan_path = Path(path)
    problems = _Collector([])
    settings = read_plan_file(plan_path, problems)
    if settings is None:
        raise PlanError(problems.problems)
    folder = plan_path.resolve().parent
    shown = plan_path.name

    roster_file = _inside(folder, settings.roster.file, shown, "roster.file", problems)
    months_file = _inside(folder, settings.shared.file, shown, "shared.file", problems)
    history_file = _inside(folder, settings.history.file, shown, "history.file", problems)

    members: list[Member] = []
    if roster_file is not None:
        members = _read_members(roster_file, settings.roster.file, problems)
    month_rows: list[tuple[int, MonthRow]] = []
    if months_file is not None:
        month_rows = _read_rows(months_file, settings.shared.file, MonthRow, problems)
    history: list[HistoryMonth] = []
    if history_file is not None:
        history = _read_history(history_file, settings.history.file, problems)
    _check_months(month_rows, settings.shared.file, "month", problems)

    curve = _curve(settings.shared.curve, shown, problems)
    plan_currency: Currency | None = None
    try:
        plan_currency = make_currency(settings.currency, settings.minor_unit)
    except JointBonusError as error:
        problems.add(
            shown,
            _toml_key_line(text_of(plan_path), ("minor_unit",)),
            "minor_unit",
            settings.minor_unit,
            str(error),
        )
    if problems.problems or curve is None or plan_currency is None:
        raise PlanError(problems.problems)

    scale = (
        settings.funding.pool_at_target
        if settings.funding.style == "pool"
        else settings.funding.target_bonus_multiplier
    )
    try:
        return build_plan(
            name=settings.name,
            currency=plan_currency,
            start=settings.start,
            months=settings.months,
            members=members,
            history=history,
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
            scale=scale,
            teams=settings.teams,
        )
    except PlanError as error:
        raise PlanError(_locate(error.problems, shown, settings, month_rows)) from None


def text_of(path: Path) -> str:
    """The plan file's text, for locating keys in messages ('' if unreadable)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def read_plan_file(path: Path, problems: _Collector | None = None) -> PlanFile | None:
    """The validated settings of a plan file, or ``None`` with ``problems`` filled in.

    Without a collector, raises :class:`PlanError` instead of returning ``None``.
    """
    collector = problems if problems is not None else _Collector([])
    shown = path.name
    raw = _read_bytes(path, shown, collector)
    settings: PlanFile | None = None
    if raw is not None:
        text = _decode(raw, shown, collector)
        if text is not None:
            try:
                data = tomllib.loads(text, parse_float=Decimal)
            except tomllib.TOMLDecodeError as error:
                line = _toml_error_line(str(error))
                collector.add(shown, line, "plan", "(TOML)", f"valid TOML: {error}")
            else:
                try:
                    settings = PlanFile.model_validate(data)
                except ValidationError as error:
                    for item in error.errors():
                        loc = tuple(str(part) for part in item["loc"])
                        collector.add(
                            shown,
                            _toml_key_line(text, loc),
                            ".".join(loc) or "plan",
                            item.get("input"),
                            _expected(item),
                        )
    if settings is None and problems is None:
        raise PlanError(collector.problems)
    return settings


def _expected(item: Any) -> str:
    message = str(item["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if item.get("type") == "missing":
        return "a value (it is required)"
    if item.get("type") == "extra_forbidden":
        return "no such setting (check its spelling)"
    return message[0].lower() + message[1:] if message else message


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match[1]) if match else None


def _toml_key_line(text: str, loc: Sequence[str]) -> int | None:
    """Best effort: the line of the key at ``loc`` (``("shared", "curve", "type")``)."""
    if not loc:
        return None
    lines = text.splitlines()
    section = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", line)
        if header:
            section = header[1]
            continue
        key = re.match(r"([A-Za-z0-9_\-\.]+)\s*=", line)
        if key is None:
            continue
        full = f"{section}.{key[1]}" if section else key[1]
        dotted = ".".join(loc)
        if dotted == full or dotted.startswith(full + "."):
            return number
    for number, raw in enumerate(lines, start=1):  # the section of a missing key
        if re.fullmatch(rf"\[\s*{re.escape(loc[0])}\s*\]", raw.strip()):
            return number
    return None


def _inside(folder: Path, name: str, shown: str, field: str, problems: _Collector) -> Path | None:
    candidate = (folder / name).resolve()
    if not candidate.is_relative_to(folder):
        problems.add(shown, None, field, name, "a path inside the plan's folder")
        return None
    if not candidate.is_file():
        problems.add(shown, None, field, name, f"an existing file (looked for {candidate})")
        return None
    return candidate


def _read_bytes(path: Path, shown: str, problems: _Collector) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            problems.add(
                shown, None, "file", f"{size} bytes", f"a file of at most {MAX_FILE_BYTES} bytes"
            )
            return None
        return path.read_bytes()
    except FileNotFoundError:
        problems.add(shown, None, "file", str(path), "an existing file")
    except IsADirectoryError:
        problems.add(shown, None, "file", str(path), "a file, not a folder")
    except OSError as error:
        problems.add(shown, None, "file", str(path), f"a readable file ({error.strerror})")
    return None


def _decode(raw: bytes, shown: str, problems: _Collector) -> str | None:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        problems.add(
            shown,
            line,
            "encoding",
            raw[error.start : error.start + 4].hex(" "),
            "UTF-8 text (save the file as UTF-8)",
        )
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.add(shown, line, "encoding", "NUL byte", "text without NUL bytes")
        return None
    return text


def _read_csv(
    path: Path, shown: str, columns: Sequence[str], required: Sequence[str], problems: _Collector
) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV file as ``(line, {column: stripped text})``; empty cells left out."""
    raw = _read_bytes(path, shown, problems)
    if raw is None:
        return []
    text = _decode(raw, shown, problems)
    if text is None:
        return []
    if not text.strip():
        problems.add(shown, 1, "header", "(empty file)", f"a header line: {','.join(columns)}")
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader)]
        for other in (";", "\t", "|"):
            if len(header) == 1 and other in header[0]:
                problems.add(
                    shown,
                    1,
                    "header",
                    header[0],
                    f"columns separated by commas, not {other!r}: {','.join(columns)}",
                )
                return []
        missing = [name for name in required if name not in header]
        unknown = [name for name in header if name not in columns]
        repeated = sorted({name for name in header if header.count(name) > 1})
        if missing:
            problems.add(shown, 1, "header", ",".join(header), f"the columns {', '.join(missing)}")
        if unknown:
            problems.add(
                shown,
                1,
                "header",
                ", ".join(unknown),
                f"only the columns {', '.join(columns)}",
            )
        if repeated:
            problems.add(shown, 1, "header", ", ".join(repeated), "each column once")
        if missing or unknown or repeated:
            return []
        rows: list[tuple[int, dict[str, str]]] = []
        width = len(header)
        for cells in reader:
            line = reader.line_num
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != width:
                problems.add(
                    shown, line, "row", ",".join(cells), f"{width} cells ({','.join(header)})"
                )
                continue
            rows.append(
                (line, {k: v.strip() for k, v in zip(header, cells, strict=True) if v.strip()})
            )
    except csv.Error as error:
        problems.add(shown, reader.line_num, "row", "(unreadable)", f"well-formed CSV: {error}")
        return []
    return rows


def _validate_rows(
    rows: list[tuple[int, dict[str, str]]], shown: str, model: type[Row], problems: _Collector
) -> list[tuple[int, Row]]:
    """Validate every row in one call; report each bad cell with its line."""
    adapter = _adapter(model)
    try:
        validated = adapter.validate_python([cells for _, cells in rows])
    except ValidationError as error:
        bad: set[int] = set()
        for item in error.errors():
            index = int(item["loc"][0])
            field = ".".join(str(p) for p in item["loc"][1:]) or "row"
            bad.add(index)
            value = item.get("input") if item.get("type") != "missing" else None
            problems.add(shown, rows[index][0], field, value, _expected(item))
        good = [(line, cells) for i, (line, cells) in enumerate(rows) if i not in bad]
        validated = adapter.validate_python([cells for _, cells in good])
        return [(line, row) for (line, _), row in zip(good, validated, strict=True)]
    return [(line, row) for (line, _), row in zip(rows, validated, strict=True)]


_ADAPTERS: dict[type[BaseModel], TypeAdapter[Any]] = {}


def _adapter(model: type[Row]) -> TypeAdapter[list[Row]]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return _ADAPTERS[model]


def _read_rows(
    path: Path, shown: str, model: type[Row], problems: _Collector
) -> list[tuple[int, Row]]:
    columns = list(model.model_fields)
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    rows = _read_csv(path, shown, columns, required, problems)
    if not rows and not any(p.file == shown for p in problems.problems):
        problems.add(shown, 2, "rows", "(none)", "at least one data row after the header")
    return _validate_rows(rows, shown, model, problems)


def _read_members(path: Path, shown: str, problems: _Collector) -> list[Member]:
    members: list[Member] = []
    first_line: dict[str, int] = {}
    for line, row in _read_rows(path, shown, RosterRow, problems):
        if row.id in first_line:
            problems.add(
                shown, line, "id", row.id, f"each member once (also on line {first_line[row.id]})"
            )
            continue
        first_line[row.id] = line
        if row.end is not None and row.end < row.start:
            problems.add(
                shown, line, "end", row.end.isoformat(), f"a date on or after start {row.start}"
            )
            continue
        try:
            members.append(
                Member(row.id, row.team, row.start, row.end, row.fte, row.salary, row.target_bonus)
            )
        except JointBonusError as error:
            problems.add(shown, line, "member", row.id, str(error))
    return members


def _read_history(path: Path, shown: str, problems: _Collector) -> list[HistoryMonth]:
    rows = _read_rows(path, shown, HistoryRow, problems)
    _check_months(rows, shown, "month", problems)
    return [HistoryMonth(Month.parse(r.month), r.actual, r.target, r.paid) for _, r in rows]


def _check_months(
    rows: Sequence[tuple[int, Any]], shown: str, field: str, problems: _Collector
) -> None:
    """Months must be unique and in order without gaps."""
    previous: tuple[int, Month] | None = None
    seen: dict[Month, int] = {}
    for line, row in rows:
        month = Month.parse(row.month)
        if month in seen:
            problems.add(
                shown, line, field, str(month), f"each month once (also on line {seen[month]})"
            )
            continue
        seen[month] = line
        if previous is not None and month.index() != previous[1].index() + 1:
            expected = previous[1].shift(1)
            problems.add(
                shown,
                line,
                field,
                str(month),
                f"{expected}, the month after {previous[1]} on line {previous[0]} "
                "(months in order, without gaps)",
            )
        previous = (line, month)


def _curve(section: CurveSection, shown: str, problems: _Collector) -> Curve | None:
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
        problems.add(shown, None, "shared.curve", section.model_dump(mode="json"), str(error))
        return None


def _locate(
    found: Sequence[Problem],
    shown: str,
    settings: PlanFile,
    month_rows: Sequence[tuple[int, MonthRow]],
) -> list[Problem]:
    """Give problems found while building the plan the file and line they come from."""
    line_of_month = {row.month: line for line, row in month_rows}
    located = []
    for problem in found:
        file, line = shown, None
        head, _, rest = problem.field.partition(" ")
        if head in ("target", "actual") and rest:
            file, line = settings.shared.file, line_of_month.get(rest)
        elif head in {"actuals", "targets"}:
            file = settings.shared.file
        elif head == "history":
            file = settings.history.file
        elif head == "member":
            file = settings.roster.file
        located.append(Problem(problem.field, problem.value, problem.expected, file, line))
    return located
