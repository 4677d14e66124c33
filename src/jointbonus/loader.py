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
import itertools
import re
import stat
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from jointbonus._gc import paused_gc
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
    problems = _Collector([])
    settings, text, data = _read_settings(plan_path, problems)
    shown = plan_path.name
    names = _file_names(settings, data)
    if not names:
        raise PlanError(problems.problems)
    folder = _folder_of(plan_path)

    files: dict[str, Path | None] = {
        key: _inside(folder, name, shown, key, text=text, problems=problems)
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
        member_rows = _read_members(roster_file, roster_name, problems)
    month_rows: list[tuple[int, MonthRow]] = []
    if months_file is not None:
        before = len(problems.problems)
        month_rows = _read_rows(months_file, months_name, MonthRow, problems)
        gaps = len(problems.problems) == before  # a refused row would look like a gap
        _check_months(month_rows, months_name, "month", problems, gaps=gaps)
    history_rows: list[tuple[int, HistoryRow]] = []
    if history_file is not None:
        before = len(problems.problems)
        history_rows = _read_rows(history_file, history_name, HistoryRow, problems)
        gaps = len(problems.problems) == before
        _check_months(history_rows, history_name, "month", problems, gaps=gaps)
        if settings is not None:
            _check_history_columns(history_rows, history_name, settings, problems)

    order = [shown, *names.values()]
    if settings is None:
        raise PlanError(_in_order(problems.problems, order))

    curve = _curve(settings.shared.curve, shown, text, problems)
    plan_currency: Currency | None = None
    try:
        plan_currency = make_currency(settings.currency, settings.minor_unit)
    except JointBonusError as error:
        problems.add(
            shown,
            _toml_key_line(text, ("minor_unit",)),
            "minor_unit",
            settings.minor_unit,
            str(error),
        )
    if curve is None or plan_currency is None:
        raise PlanError(_in_order(problems.problems, order))

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
        raise PlanError(_in_order(problems.problems, order)) from None
    if problems.problems:
        raise PlanError(_in_order(problems.problems, order))
    return plan


def _folder_of(plan_path: Path) -> Path:
    try:
        return plan_path.resolve().parent
    except (OSError, RuntimeError, ValueError):  # a symlink loop, an unreadable folder
        return plan_path.absolute().parent


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


def _in_order(found: Sequence[Problem], files: Sequence[str]) -> list[Problem]:
    """Problems by file (the plan first, then its CSV files), then by line."""
    rank = {name: index for index, name in reversed(list(enumerate(files)))}
    unique = {(p.file, p.line, p.field, repr(p.value), p.expected): p for p in found}
    return sorted(unique.values(), key=lambda p: (rank.get(p.file or "", len(rank)), p.line or 0))


def read_plan_file(path: Path, problems: _Collector | None = None) -> PlanFile | None:
    """The validated settings of a plan file, or ``None`` with ``problems`` filled in.

    Without a collector, raises :class:`PlanError` instead of returning ``None``.
    """
    collector = problems if problems is not None else _Collector([])
    settings, _text, _data = _read_settings(Path(path), collector)
    if settings is None and problems is None:
        raise PlanError(collector.problems)
    return settings


def _read_settings(
    path: Path, collector: _Collector
) -> tuple[PlanFile | None, str, dict[str, Any] | None]:
    """The plan file's settings (``None`` if invalid), its text and its raw TOML table."""
    shown = path.name
    raw = _read_bytes(path, shown, collector)
    if raw is None:
        return None, "", None
    text = _decode(raw, shown, collector)
    if text is None:
        return None, "", None
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        line = _toml_error_line(str(error))
        collector.add(shown, line, "plan", "(TOML)", f"valid TOML: {error}")
        return None, text, None
    except ValueError as error:  # an integer too long to convert
        collector.add(shown, None, "plan", "(TOML)", f"valid TOML: {error}")
        return None, text, None
    except RecursionError:
        collector.add(
            shown, None, "plan", "(TOML)", "valid TOML without arrays or tables nested so deeply"
        )
        return None, text, None
    try:
        return PlanFile.model_validate(data), text, data
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(str(part) for part in item["loc"])
            collector.add(
                shown,
                _toml_key_line(text, loc),
                ".".join(loc) or "plan",
                item.get("input") if item.get("type") != "missing" else None,
                _expected(item),
            )
        return None, text, data


def _expected(item: Any) -> str:
    message = str(item["msg"])
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if item.get("type") == "missing":
        return "a value (it is required)"
    if item.get("type") == "extra_forbidden":
        return "no such setting (check its spelling)"
    for wordy, plain in _PLAIN_WORDS:
        message = wordy.sub(plain, message)
    return message[0].lower() + message[1:] if message else message


_BOUND = {"less": "a number at most", "greater": "a number at least"}

#: Pydantic's phrasing, put the way the rest of the messages speak.
_PLAIN_WORDS: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^Input should be (a valid )?"), r"a "),
    (re.compile(r"^a (less|greater) than or equal to"), lambda m: _BOUND[m[1]]),
    (re.compile(r"^a (less|greater) than"), lambda m: f"a number {m[1]} than"),
    (re.compile(r"^a (['\d])"), r"\1"),
    (re.compile(r"^a (?=[aeiou])"), "an "),
    (re.compile(r"^String should have"), "text with"),
    (re.compile(r"^String should match pattern"), "text matching the pattern"),
]


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
        header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]\s*(#.*)?", line)
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
        if re.fullmatch(rf"\[\s*{re.escape(loc[0])}\s*\]\s*(#.*)?", raw.strip()):
            return number
    return None


def _inside(
    folder: Path, name: str, shown: str, field: str, *, text: str, problems: _Collector
) -> Path | None:
    """The file ``name`` names, relative to the plan's folder, if it is a readable file there."""
    line = _toml_key_line(text, tuple(field.split(".")))
    try:
        candidate = (folder / name).resolve()
        inside = candidate.is_relative_to(folder)
        is_dir = inside and candidate.is_dir()
        is_file = inside and candidate.is_file()
    except (OSError, RuntimeError, ValueError):  # a NUL byte, a symlink loop, a name too long
        problems.add(shown, line, field, name, "the path of a file in the plan's folder")
        return None
    if not inside:
        problems.add(
            shown, line, field, name, "a path inside the plan's folder (such as data/roster.csv)"
        )
        return None
    if is_dir:
        problems.add(shown, line, field, name, "a file, not a folder")
        return None
    if not is_file:
        problems.add(shown, line, field, name, f"an existing file (looked for {candidate})")
        return None
    return candidate


def _read_bytes(path: Path, shown: str, problems: _Collector) -> bytes | None:
    """The bytes of a regular file of at most :data:`MAX_FILE_BYTES`, or ``None`` and a problem.

    A folder, a device or a pipe is refused before reading (``/dev/zero``
    would never end), and so is a file too large, by its size on disk.
    """
    try:
        status = path.stat()
        if stat.S_ISDIR(status.st_mode):
            problems.add(shown, None, "file", str(path), "a file, not a folder")
            return None
        if not stat.S_ISREG(status.st_mode):
            problems.add(shown, None, "file", str(path), "a regular file (not a device or pipe)")
            return None
        if status.st_size > MAX_FILE_BYTES:
            problems.add(
                shown,
                None,
                "file",
                f"{status.st_size} bytes",
                f"a file of at most {MAX_FILE_BYTES} bytes",
            )
            return None
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:  # it grew while being read
            problems.add(
                shown, None, "file", f"over {MAX_FILE_BYTES} bytes", "a file that stays put"
            )
            return None
        return raw
    except FileNotFoundError:
        problems.add(shown, None, "file", str(path), "an existing file")
    except IsADirectoryError:
        problems.add(shown, None, "file", str(path), "a file, not a folder")
    except OSError as error:
        problems.add(shown, None, "file", str(path), f"a readable file ({error.strerror})")
    except ValueError:  # a NUL byte in the path
        problems.add(shown, None, "file", str(path), "a file path without NUL bytes")
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
            problems.add(
                shown,
                1,
                "header",
                ",".join(header),
                f"the required column{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                f"(the columns are {','.join(columns)})",
            )
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
                (line, {k: v for k, v in zip(header, map(str.strip, cells), strict=True) if v})
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


_TUPLE_ADAPTERS: dict[tuple[type[BaseModel], tuple[str, ...]], TypeAdapter[Any] | None] = {}


def _tuple_adapter(
    model: type[BaseModel], names: tuple[str, ...]
) -> TypeAdapter[list[tuple[Any, ...]]] | None:
    """An adapter checking rows given as tuples of cells in ``names`` order with
    ``model``'s own field types and config, for speed: a list of tuples validates
    several times faster than a list of models.

    ``None`` when only the model itself can check a row: it has validators of
    its own, aliases, a default other than ``None``, or fields other than ``names``.
    """
    key = (model, names)
    if key not in _TUPLE_ADAPTERS:
        fields = model.model_fields
        decorators = model.__pydantic_decorators__
        plain = (
            set(names) == set(fields)
            and len(names) == len(fields)
            and not decorators.validators
            and not decorators.field_validators
            and not decorators.root_validators
            and not decorators.model_validators
            and all(
                f.alias is None
                and f.validation_alias is None
                and (f.is_required() or f.default is None)
                for f in fields.values()
            )
        )
        types = tuple(
            Annotated[(fields[n].annotation, *fields[n].metadata)]
            if fields[n].metadata
            else fields[n].annotation
            for n in names
        )
        _TUPLE_ADAPTERS[key] = (
            TypeAdapter(list[tuple[types]], config=model.model_config)  # type: ignore[valid-type]
            if plain
            else None
        )
    return _TUPLE_ADAPTERS[key]


def _read_cells(
    path: Path, shown: str, model: type[BaseModel], problems: _Collector
) -> list[tuple[int, dict[str, str]]]:
    """The data rows of the CSV file of ``model``'s rows (not yet validated)."""
    columns = list(model.model_fields)
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    rows = _read_csv(path, shown, columns, required, problems)
    if not rows and not any(p.file == shown for p in problems.problems):
        problems.add(shown, 2, "rows", "(none)", "at least one data row after the header")
    return rows


def _read_rows(
    path: Path, shown: str, model: type[Row], problems: _Collector
) -> list[tuple[int, Row]]:
    return _validate_rows(_read_cells(path, shown, model, problems), shown, model, problems)


#: The roster's columns, in the order :func:`_read_members` takes them.
_ROSTER_COLUMNS = ("id", "team", "start", "end", "fte", "salary", "target_bonus")


def _read_roster(path: Path, shown: str, problems: _Collector) -> list[tuple[int, tuple[Any, ...]]]:
    """The roster's rows as ``(line, values in _ROSTER_COLUMNS order)``, checked by RosterRow.

    A roster of 100,000 lines is checked in one call as tuples of RosterRow's
    own field types. If any line fails, the whole file is checked again as
    RosterRow models, and theirs are the problems reported.
    """
    rows = _read_cells(path, shown, RosterRow, problems)
    adapter = _tuple_adapter(RosterRow, _ROSTER_COLUMNS)
    if adapter is not None:
        try:
            values = adapter.validate_python(
                [tuple(map(cells.get, _ROSTER_COLUMNS)) for _, cells in rows]
            )
        except ValidationError:
            pass
        else:
            return [(line, value) for (line, _), value in zip(rows, values, strict=True)]
    return [
        (line, tuple(getattr(row, name) for name in _ROSTER_COLUMNS))
        for line, row in _validate_rows(rows, shown, RosterRow, problems)
    ]


def _read_members(path: Path, shown: str, problems: _Collector) -> list[tuple[int, Member]]:
    """The roster's members with their lines; each id once, end on or after start."""
    members: list[tuple[int, Member]] = []
    first_line: dict[str, int] = {}
    for line, (member_id, team, start, end, fte, salary, bonus) in _read_roster(
        path, shown, problems
    ):
        if member_id in first_line:
            problems.add(
                shown,
                line,
                "id",
                member_id,
                f"each member once (also on line {first_line[member_id]})",
            )
            continue
        first_line[member_id] = line
        if end is not None and end < start:
            problems.add(shown, line, "end", end.isoformat(), f"a date on or after start {start}")
            continue
        try:
            member = Member(member_id, team, start, end, fte, salary, bonus)
        except JointBonusError as error:
            problems.add(shown, line, "member", member_id, str(error))
            continue
        members.append((line, member))
    return members


def _check_history_columns(
    rows: Sequence[tuple[int, HistoryRow]], shown: str, settings: PlanFile, problems: _Collector
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


def _check_months(
    rows: Sequence[tuple[int, Any]],
    shown: str,
    field: str,
    problems: _Collector,
    *,
    gaps: bool = True,
) -> None:
    """Months must be unique, in date order and without gaps.

    A month written twice, or earlier than a month above it, is one problem
    on its own line; a gap is one problem on the line after it. ``gaps=False``
    skips the gap check (when refused rows are missing from ``rows``).
    """
    seen: dict[Month, int] = {}
    latest: tuple[int, Month] | None = None
    for line, row in rows:
        month = Month.parse(row.month)
        if month in seen:
            problems.add(
                shown, line, field, str(month), f"each month once (also on line {seen[month]})"
            )
            continue
        seen[month] = line
        if latest is not None and month < latest[1]:
            problems.add(
                shown,
                line,
                field,
                str(month),
                f"a month after {latest[1]} on line {latest[0]} (months in date order)",
            )
            continue
        latest = (line, month)
    ordered = sorted(seen) if gaps else []
    for earlier, later in itertools.pairwise(ordered):
        if later.index() != earlier.index() + 1:
            problems.add(
                shown,
                seen[later],
                field,
                str(later),
                f"{earlier.shift(1)}, the month after {earlier} on line {seen[earlier]} "
                "(months in order, without gaps)",
            )


def _curve(section: CurveSection, shown: str, text: str, problems: _Collector) -> Curve | None:
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
            _toml_key_line(text, ("shared", "curve")),
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
            line = _toml_key_line(sources.text, tuple(key.split(".")))
        located.append(Problem(field, value, expected, file, line))
    return located
