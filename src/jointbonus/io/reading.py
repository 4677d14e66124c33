"""Reading input files: bytes, text, TOML settings and CSV rows, every problem collected.

Every plan loader (the shared-target plan in :mod:`jointbonus.sharedtarget.loader`, the
gainsharing plan in :mod:`jointbonus.gainsharing.loader`) reads its files
through these functions, so every input gets the same rules and the same
messages:

* a file is read only if it is a regular file inside the plan's folder and
  at most :data:`MAX_FILE_BYTES` long;
* text is UTF-8 (a byte-order mark is understood and skipped); anything else,
  or a NUL byte, is refused with the line it is on;
* TOML floats are read as exact Decimals;
* CSV files are comma-separated with a header line naming the columns in any
  order; semicolons or tabs between columns, missing, unknown or repeated
  columns, and rows of the wrong width are refused, never guessed at;
* a CSV file's rows come as rows (:func:`read_csv_cells`) or a chunk of
  columns at a time (:func:`read_csv_columns`), the same rows either way; a
  plain grid of cells is split in bulk, any other file by the :mod:`csv`
  module;
* each bad cell becomes a :class:`~jointbonus.errors.Problem` with its file,
  line and column: :mod:`jointbonus.io.columns` checks the cells a column at
  a time, :func:`validate_rows` row by row with a pydantic row model.

Nothing stops at the first problem: a :class:`Collector` gathers them all.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import re
import stat
import tomllib
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from jointbonus.core.periods import Month
from jointbonus.errors import Problem

__all__ = [
    "DOCUMENT_FORMATS",
    "DOCUMENT_NAME",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "Collector",
    "CsvChunk",
    "check_months",
    "decode",
    "expected_text",
    "folder_of",
    "folder_of_base",
    "header_fits",
    "in_order",
    "inside",
    "parse_json",
    "parse_toml",
    "read_bytes",
    "read_csv",
    "read_csv_cells",
    "read_csv_columns",
    "read_document",
    "read_rows",
    "read_settings",
    "setting_name",
    "setting_path",
    "toml_error_line",
    "toml_key_line",
    "too_deep",
    "validate_rows",
    "validate_settings",
]

Settings = TypeVar("Settings", bound=BaseModel)

#: Largest input file read, in bytes (256 MiB): a roster of millions fits.
MAX_FILE_BYTES = 256 * 1024 * 1024


Row = TypeVar("Row", bound=BaseModel)


@dataclass
class Collector:
    problems: list[Problem]
    labels: dict[tuple[str, str], str] = field(default_factory=dict)
    """How a problem's column is named, by ``(file, column)``, when the file names it
    otherwise (a column mapping, a worksheet's column letter): see
    :func:`jointbonus.io.sources.labelled`."""

    def add(self, file: str, line: int | None, field: str, value: object, expected: str) -> None:
        self.problems.append(Problem(field, value, expected, file, line))


def folder_of(plan_path: Path) -> Path:
    try:
        return plan_path.resolve().parent
    except (OSError, RuntimeError, ValueError):  # a symlink loop, an unreadable folder
        return plan_path.absolute().parent


def folder_of_base(base_dir: str | Path | None, shown: str, problems: Collector) -> Path | None:
    """The folder a plan document's files are named in, resolved; ``None`` when not given.

    A ``base_dir`` that is not an existing folder is a problem.
    """
    if base_dir is None:
        return None
    try:
        folder = Path(base_dir).resolve()
        is_dir = folder.is_dir()
    except (OSError, RuntimeError, ValueError, TypeError):  # a NUL byte, a symlink loop
        is_dir = False
    if not is_dir:
        problems.add(shown, None, "base_dir", str(base_dir), "an existing folder")
        return None
    return folder


def in_order(found: Sequence[Problem], files: Sequence[str]) -> list[Problem]:
    """Problems by file (the plan first, then its CSV files), then by line."""
    rank = {name: index for index, name in reversed(list(enumerate(files)))}
    unique = {(p.file, p.line, p.field, repr(p.value), p.expected): p for p in found}
    return sorted(unique.values(), key=lambda p: (rank.get(p.file or "", len(rank)), p.line or 0))


#: Deepest nesting of tables and arrays a plan document may have. A real plan
#: nests about eight deep (``versions[0].teams.sales.goals[0].curve.points[0]``);
#: anything deeper is refused before a recursive step (validation, a message
#: showing the value) can meet it.
MAX_DEPTH = 32


def too_deep(data: object, limit: int = MAX_DEPTH) -> tuple[str | int, ...] | None:
    """The path of the first table or array nested deeper than ``limit``, or ``None``.

    Walks with a stack of its own, not recursion, so a document of any depth
    (or a dict that contains itself) is measured without a ``RecursionError``.
    """
    stack: list[tuple[object, tuple[str | int, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, dict):
            children: list[tuple[object, tuple[str | int, ...]]] = [
                (v, (*path, str(k))) for k, v in value.items()
            ]
        elif isinstance(value, list | tuple):
            children = [(v, (*path, i)) for i, v in enumerate(value)]
        else:
            continue
        if len(path) >= limit:
            return path
        stack.extend(children)
    return None


def _refuse_depth(data: object, shown: str, text: str, collector: Collector) -> bool:
    """Whether ``data`` nests too deeply (and, if so, a problem at its first line)."""
    path = too_deep(data)
    if path is None:
        return False
    head = setting_name(path[:4])
    collector.add(
        shown,
        toml_key_line(text, tuple(str(p) for p in path[:4])),
        f"{head}...",
        f"tables or arrays nested more than {MAX_DEPTH} deep",
        f"tables and arrays nested at most {MAX_DEPTH} deep (a plan needs about 8)",
    )
    return True


def parse_toml(text: str, shown: str, collector: Collector) -> dict[str, Any] | None:
    """A plan's TOML text as a table (floats as exact Decimals), or ``None`` and a problem.

    Bad TOML is located by the line the parser names; tables or arrays nested
    more than :data:`MAX_DEPTH` deep are refused.
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        line = toml_error_line(str(error))
        collector.add(shown, line, "plan", "(TOML)", f"valid TOML: {error}")
        return None
    except ValueError as error:  # an integer too long to convert
        collector.add(shown, None, "plan", "(TOML)", f"valid TOML: {error}")
        return None
    except RecursionError:
        collector.add(
            shown, None, "plan", "(TOML)", "valid TOML without arrays or tables nested so deeply"
        )
        return None
    if _refuse_depth(data, shown, text, collector):
        return None
    return data


def _json_constant(name: str) -> object:
    raise ValueError(f"{name} is not a number JSON allows")


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {key!r} is given twice in one object")
        found[key] = value
    return found


def parse_json(text: str, shown: str, collector: Collector) -> dict[str, Any] | None:
    """A plan's JSON text as a table, or ``None`` and a problem located by its line.

    Numbers with a fraction or an exponent are read as exact Decimals (never
    floats); ``NaN`` and ``Infinity``, a key given twice in one object and
    nesting deeper than :data:`MAX_DEPTH` are refused; the text must be one
    object.
    """
    try:
        data = json.loads(
            text,
            parse_float=Decimal,
            parse_constant=_json_constant,
            object_pairs_hook=_json_object,
        )
    except json.JSONDecodeError as error:
        collector.add(shown, error.lineno, "plan", "(JSON)", f"valid JSON: {error.msg}")
        return None
    except RecursionError:
        collector.add(
            shown, None, "plan", "(JSON)", "valid JSON without arrays or objects nested so deeply"
        )
        return None
    except ValueError as error:  # NaN, a repeated key, an integer too long to convert
        collector.add(shown, None, "plan", "(JSON)", f"valid JSON: {error}")
        return None
    if not isinstance(data, dict):
        collector.add(shown, 1, "plan", type(data).__name__, "one JSON object of settings")
        return None
    if _refuse_depth(data, shown, "", collector):
        return None
    return data


def validate_settings(
    data: Any, text: str, model: type[Settings], shown: str, collector: Collector
) -> Settings | None:
    """``data`` (a plan document) as ``model``, or ``None`` with every problem in ``collector``.

    Each problem is located by its setting's path in the document
    (``teams.sales.goals[0].weight``) and, when ``text`` is the document's TOML
    text, the line of its key.
    """
    if not isinstance(data, dict):
        collector.add(shown, None, "plan", type(data).__name__, "a table (dict) of settings")
        return None
    if _refuse_depth(data, shown, text, collector):
        return None
    try:
        return model.model_validate(data)
    except ValidationError as error:
        for item in error.errors():
            loc = tuple(part for part in item["loc"] if part != "[key]")  # a bad table name
            collector.add(
                shown,
                toml_key_line(text, tuple(str(part) for part in loc)),
                setting_name(loc) or "plan",
                item.get("input") if item.get("type") != "missing" else None,
                expected_text(item),
            )
        return None


#: What a plan document's problems call it when its caller gives no ``source``.
DOCUMENT_NAME = "plan document"

#: The forms a plan document comes in (:func:`read_document`).
DOCUMENT_FORMATS = ("dict", "json", "toml")


def read_document(
    document: object, format: str | None, shown: str, collector: Collector
) -> tuple[str, dict[str, Any] | None]:
    """A plan document's text (``""`` for a dict) and its table of settings.

    ``document`` is a dict of settings (as :func:`json.loads` or
    :func:`tomllib.loads` make; ``format`` ``None`` or ``"dict"``), or JSON or
    TOML text, as ``str`` or UTF-8 ``bytes``, with ``format`` ``"json"`` or
    ``"toml"``. The table is ``None`` (and every problem in ``collector``)
    when the document cannot be read as that format.
    """
    if format not in (None, *DOCUMENT_FORMATS):
        collector.add(shown, None, "format", format, 'one of "dict", "json" or "toml"')
        return "", None
    if isinstance(document, Mapping):
        if format not in (None, "dict"):
            collector.add(
                shown, None, "format", format, f'"dict" for a dict (or {format} text as a str)'
            )
            return "", None
        return "", dict(document)
    if not isinstance(document, str | bytes):
        collector.add(
            shown,
            None,
            "document",
            type(document).__name__,
            'a dict of settings, or JSON or TOML text with format="json" or "toml"',
        )
        return "", None
    if format not in ("json", "toml"):
        collector.add(
            shown, None, "format", format, '"json" or "toml", the language the text is written in'
        )
        return "", None
    text = document if isinstance(document, str) else decode(document, shown, collector)
    if text is None:
        return "", None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        collector.add(shown, line, "encoding", "NUL byte", "text without NUL bytes")
        return text, None
    if format == "json":
        return "", parse_json(text, shown, collector)
    return text, parse_toml(text, shown, collector)


def read_settings(
    path: Path, model: type[Settings], collector: Collector
) -> tuple[Settings | None, str, dict[str, Any] | None]:
    """A plan file's settings as ``model`` (``None`` if invalid), its text and raw TOML table.

    TOML floats are read as exact Decimals. Every problem -- unreadable file,
    bad TOML, a setting the model refuses -- is added to ``collector`` with
    the line of the key it concerns.
    """
    shown = path.name
    raw = read_bytes(path, shown, collector)
    if raw is None:
        return None, "", None
    text = decode(raw, shown, collector)
    if text is None:
        return None, "", None
    data = parse_toml(text, shown, collector)
    if data is None:
        return None, text, None
    return validate_settings(data, text, model, shown, collector), text, data


def setting_name(loc: Sequence[str | int]) -> str:
    """A setting's dotted name, items of a list by index: ``teams.sales.goals[0].weight``."""
    name = ""
    for part in loc:
        if isinstance(part, int):
            name += f"[{part}]"
        else:
            name += f".{part}" if name else part
    return name


def setting_path(name: str) -> tuple[str, ...]:
    """The path of a setting named as :func:`setting_name` names it (``goals[0]``: goals, 0)."""
    return tuple(part for part in re.split(r"\.|\[(\d+)\]\.?", name) if part)


def expected_text(item: Any) -> str:
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


def toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match[1]) if match else None


#: A TOML key: bare (``per_month``) or quoted (``"new business"``).
_KEY_PART = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_TABLE_HEADER = re.compile(rf"\[\s*({_DOTTED_KEY})\s*\]\s*(#.*)?")
_ARRAY_HEADER = re.compile(rf"\[\[\s*({_DOTTED_KEY})\s*\]\]\s*(#.*)?")
_KEY_LINE = re.compile(rf"({_DOTTED_KEY})\s*=")


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(
        part[1:-1] if part[:1] in "\"'" else part for part in re.findall(_KEY_PART, dotted)
    )


def toml_key_line(text: str, loc: Sequence[str]) -> int | None:
    """Best effort: the line of the key at ``loc`` (``("shared", "curve", "type")``).

    A table in an array of tables is numbered from 0 in ``loc``, as pydantic
    numbers it: ``("teams", "sales", "goals", "1", "weight")`` is the weight
    under the second ``[[teams.sales.goals]]``. A table is found at its
    header (a table only implied by its sub-tables' headers, and an array of
    tables, at the first of them); a key not written (a missing setting), at
    the header of the table it belongs in.
    """
    if not loc:
        return None
    wanted = tuple(loc)
    section: tuple[str, ...] = ()
    headers: list[tuple[int, tuple[str, ...]]] = []
    arrays: dict[tuple[str, ...], int] = {}  # array of tables -> index of its last table

    def resolved(parts: tuple[str, ...], array: bool) -> tuple[str, ...]:
        path: tuple[str, ...] = ()
        for position, part in enumerate(parts):
            path = (*path, part)
            if array and position == len(parts) - 1:
                arrays[path] = arrays.get(path, -1) + 1
                path = (*path, str(arrays[path]))
            elif path in arrays:
                path = (*path, str(arrays[path]))
        return path

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        header = _ARRAY_HEADER.fullmatch(line) or _TABLE_HEADER.fullmatch(line)
        if header:
            section = resolved(_key_parts(header[1]), line.startswith("[["))
            headers.append((number, section))
            continue
        key = _KEY_LINE.match(line)
        if key is None:
            continue
        full = (*section, *_key_parts(key[1]))
        if wanted[: len(full)] == full:
            return number
    within = [number for number, path in headers if path[: len(wanted)] == wanted]
    if within:
        return within[0]
    enclosing = [(len(path), number) for number, path in headers if wanted[: len(path)] == path]
    return max(enclosing, key=lambda found: (found[0], -found[1]))[1] if enclosing else None


def inside(
    folder: Path,
    name: str,
    shown: str,
    field: str,
    *,
    text: str,
    problems: Collector,
    existing: bool = True,
) -> Path | None:
    """The file ``name`` names, relative to the plan's folder, if it is a readable file there.

    With ``existing=False`` (a file the plan writes) it need not exist yet,
    but if it does it must be a file, not a folder.
    """
    line = toml_key_line(text, tuple(field.split(".")))
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
        if not existing and not os.path.lexists(candidate):
            return candidate
        wanted = "an existing file" if existing else "a regular file"
        problems.add(shown, line, field, name, f"{wanted} (looked for {candidate})")
        return None
    return candidate


def read_bytes(path: Path, shown: str, problems: Collector) -> bytes | None:
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


def decode(
    raw: bytes, shown: str, problems: Collector, encoding: str = "utf-8", *, settable: bool = False
) -> str | None:
    """``raw`` decoded in ``encoding`` (UTF-8: a byte-order mark skipped), or ``None`` and a
    problem naming the line and the byte offset where it stops decoding. ``settable``: the
    plan can say the file's encoding, and the problem says how."""
    utf8 = encoding in ("utf-8", "utf-8-sig")
    try:
        text = raw.decode("utf-8-sig" if utf8 else encoding)
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        where = f"byte {error.start} is not {'UTF-8' if utf8 else encoding}"
        if not utf8:
            expected = (
                f"text in {encoding}, the file's encoding setting; {where}: "
                "check the encoding the file was saved in"
            )
        elif settable:
            expected = (
                f"UTF-8 text (save the file as UTF-8); {where}: a file in another encoding "
                'is read with the encoding setting, such as encoding = "cp1252"'
            )
        else:
            expected = f"UTF-8 text (save the file as UTF-8); {where}"
        problems.add(shown, line, "encoding", raw[error.start : error.start + 4].hex(" "), expected)
        return None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        problems.add(shown, line, "encoding", "NUL byte", "text without NUL bytes")
        return None
    return text


def _csv_text(
    path: Path, shown: str, columns: Sequence[str], problems: Collector, *, settable: bool = False
) -> str | None:
    """A CSV file's text, or ``None`` and a problem: unreadable, not UTF-8, or empty.
    ``settable``: the plan can say how the file is written (:func:`decode`)."""
    raw = read_bytes(path, shown, problems)
    if raw is None:
        return None
    text = decode(raw, shown, problems, settable=settable)
    del raw  # a roster of a million lines: the bytes need not outlive their text
    if text is None:
        return None
    if not text or text.isspace():  # (not text.strip(): a copy of a roster's whole text)
        problems.add(shown, 1, "header", "(empty file)", f"a header line: {','.join(columns)}")
        return None
    return text


#: Each delimiter as a TOML string, for messages.
_TOML_TEXT = {",": '","', ";": '";"', "\t": '"\\t"', "|": '"|"'}


def header_fits(
    header: list[str],
    shown: str,
    columns: Sequence[str],
    required: Sequence[str],
    problems: Collector,
    *,
    other_columns: bool = False,
    delimiter: str = ",",
    settable: bool = False,
) -> bool:
    """Whether a header names the columns a file must have, and only once each.

    A problem for each way it does not: one column holding another delimiter
    than ``delimiter`` (``settable``: naming the plan's setting that reads
    it), required columns missing, unknown or repeated columns.
    """
    words = {",": "commas", ";": "semicolons", "\t": "tabs", "|": "'|'"}
    for other in (",", ";", "\t", "|"):
        if other != delimiter and len(header) == 1 and other in header[0]:
            expected = f"columns separated by {words[delimiter]}, not {other!r}: "
            expected += delimiter.join(columns)
            if settable:
                expected += " (a file written otherwise is read with the delimiter setting, "
                expected += f"such as delimiter = {_TOML_TEXT[other]})"
            problems.add(shown, 1, "header", header[0], expected)
            return False
    # Sets and one count of the header: linear in its width (a header may be 50,000 cells).
    named = Counter(header)
    known = set(columns)
    missing = [name for name in required if name not in named]
    unknown = [] if other_columns else [name for name in named if name not in known]
    repeated = [] if other_columns else sorted(name for name, count in named.items() if count > 1)
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
    return not (missing or unknown or repeated)


def _line_feeds(text: str) -> str | None:
    """``text`` with LF line ends, if no cell can be quoted or span lines in it: no quote
    character anywhere, and no carriage return but in CRLF line ends; else ``None``."""
    if '"' in text:
        return None
    if "\r" not in text:  # the usual file: a scan, not two counts of the whole text
        return text
    if text.count("\r") != text.count("\r\n"):
        return None
    return text.replace("\r\n", "\n")


def plain_lines(text: str) -> list[str] | None:
    """The lines of ``text`` if the csv module would read each as one record of plain cells.

    That is so when ``text`` has no quote character (so no cell spans lines or
    holds a comma), every carriage return ends a line as part of ``\\r\\n``,
    and no line is longer than the csv module's field size limit (a longer
    cell is its error). Then line *n* is the *n*-th record and its cells are
    the line split at the commas (an empty line, none); otherwise ``None``:
    the csv module reads it.
    """
    unquoted = _line_feeds(text)
    if unquoted is None:
        return None
    lines = unquoted.split("\n")
    if lines and not lines[-1]:
        lines.pop()  # the end of the last line starts no record
    if max(map(len, lines), default=0) > csv.field_size_limit():
        return None
    return lines


def _records(text: str) -> tuple[Iterator[tuple[int, list[str]]], Callable[[], int]]:
    """The CSV records of ``text`` as ``(line, cells)``, and the line the reading is at.

    Text :func:`plain_lines` splits is split at the commas, a line a record;
    the rest is read by the csv module (strict: an unclosed quote is an error).
    """
    lines = plain_lines(text)
    if lines is not None:
        split = ((n, line.split(",") if line else []) for n, line in enumerate(lines, start=1))
        return split, lambda: 0  # no csv.Error to locate
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    return ((reader.line_num, cells) for cells in reader), lambda: reader.line_num


def read_csv_cells(
    path: Path,
    shown: str,
    columns: Sequence[str],
    required: Sequence[str],
    problems: Collector,
    *,
    other_columns: bool = False,
) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]]:
    """A CSV file's header and data rows as ``(line, cells)``, cells as written.

    Blank lines are skipped; a row with the wrong number of cells is a problem.
    With ``other_columns`` the header may also hold columns beyond ``columns``,
    repeated or not (a CRM's export): the caller picks out the ones it reads.
    Each row's cells are a tuple, which Python's garbage collector stops
    following once it has seen it, whatever the size of the file.
    """
    text = _csv_text(path, shown, columns, problems)
    if text is None:
        return [], []
    return _csv_rows(text, shown, columns, required, problems, other_columns=other_columns)


def _csv_rows(
    text: str,
    shown: str,
    columns: Sequence[str],
    required: Sequence[str],
    problems: Collector,
    *,
    other_columns: bool = False,
    settable: bool = False,
) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]]:
    """:func:`read_csv_cells` of a file's text, split by :func:`_records`; ``settable``:
    the plan can say how the file is written (:func:`header_fits`)."""
    reader, line_num = _records(text)
    try:
        header = [name.strip() for name in next(reader)[1]]
        if not header_fits(
            header,
            shown,
            columns,
            required,
            problems,
            other_columns=other_columns,
            settable=settable,
        ):
            return [], []
        rows: list[tuple[int, tuple[str, ...]]] = []
        width = len(header)
        for line, cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != width:
                problems.add(
                    shown, line, "row", ",".join(cells), f"{width} cells ({','.join(header)})"
                )
                continue
            rows.append((line, tuple(cells)))
    except csv.Error as error:
        problems.add(shown, line_num(), "row", "(unreadable)", f"well-formed CSV: {error}")
        return [], []
    return header, rows


@dataclass(frozen=True, slots=True)
class CsvChunk:
    """Consecutive data rows of a CSV file, a column at a time."""

    lines: Sequence[int]
    """Each row's line in the file."""
    cells: list[list[str]]
    """For each column of the header, in its order, the rows' cells as written."""


class _NotPlain(Exception):
    """A CSV file that is not a plain grid of cells: the :mod:`csv` module reads it."""


#: Rows are split a chunk of about this many characters at a time: small enough that a
#: chunk's text, rows and cells stay in the processor's cache while its columns are taken
#: (a 100,000-row roster is read 15% faster than a megabyte at a time).
_CHUNK_CHARS = 1 << 15

Taken = TypeVar("Taken")


def read_csv_columns(
    path: Path,
    shown: str,
    columns: Sequence[str],
    required: Sequence[str],
    problems: Collector,
    *,
    take: Callable[[list[str], Iterator[CsvChunk]], Taken],
    other_columns: bool = False,
    settable: bool = True,
) -> Taken | None:
    """``take(header, chunks)`` of a CSV file's data rows, or ``None`` if there are none to take.

    The rows and their problems are exactly :func:`read_csv_cells`'s: blank
    lines skipped, a row of the wrong width or a malformed file a problem.
    The rows come a chunk at a time, each column a list of the cells as
    written, so a roster of a million lines is never held as a million row
    lists.

    A plain grid -- no quotes, no carriage return but in CRLF line ends, every
    line the header's width, no cell longer than the :mod:`csv` module takes --
    is split on commas and line ends directly, in bulk. Any other file is read
    by the :mod:`csv` module: should a chunk turn out not plain, ``take``
    starts again on the file read that way, so ``take`` must record nothing
    (such as a problem) until it has taken every chunk. ``other_columns``:
    as :func:`read_csv_cells`'. ``settable``: the plan can say how the file is
    written, so a problem of its encoding or delimiter names the setting
    (:func:`header_fits`); a lead export's problems do not.
    """
    text = _csv_text(path, shown, columns, problems, settable=settable)
    if text is None:
        return None
    plain = _plain(text)
    if plain is not None:
        text, header_end = plain
        header = [name.strip() for name in text[:header_end].split(",")]
        if not header_fits(
            header,
            shown,
            columns,
            required,
            problems,
            other_columns=other_columns,
            settable=settable,
        ):
            return None
        try:
            return take(header, _plain_chunks(text, header_end + 1, len(header)))
        except _NotPlain:
            pass  # the csv module reads it again, header and all, without a new problem
    header, rows = _csv_rows(
        text, shown, columns, required, problems, other_columns=other_columns, settable=settable
    )
    del text
    if not header:  # refused: the problems are said
        return None
    lines = array("I", [line for line, _ in rows])
    cells = [list(column) for column in zip(*(cells for _, cells in rows), strict=True)]
    del rows
    chunks = [CsvChunk(lines, cells)] if lines else []
    return take(header, iter(chunks))


def _plain(text: str) -> tuple[str, int] | None:
    """``(text with LF line ends, end of its header line)`` if the file may be a plain grid.

    Plain: no quote anywhere, no carriage return but in CRLF line ends, a
    header line of two columns or more, shorter than the :mod:`csv` module's
    field size limit, and a line after it.
    """
    unquoted = _line_feeds(text)
    if unquoted is None:
        return None
    text = unquoted
    header_end = text.find("\n")
    if header_end < 0 or "," not in text[:header_end] or header_end > csv.field_size_limit():
        return None
    return text, header_end


def _plain_chunks(text: str, start: int, width: int) -> Iterator[CsvChunk]:
    """The rows of a plain grid from ``start`` on (line 2), or :class:`_NotPlain`.

    A chunk of rows is split in one pass, each line end kept as a cell of its
    own (``a,b`` and ``c,d`` on two lines: ``["a", "b", "\\n", "c", "d"]``), not
    line by line: every line holds ``width`` cells exactly when there are as
    many cells as that makes and a line end falls on every ``width + 1``-th
    cell. A blank line, or a line of another width, breaks that count, and the
    :mod:`csv` module reads the file instead.
    """
    limit = csv.field_size_limit()
    end_of_text = len(text)
    if text.endswith("\n"):
        end_of_text -= 1  # the last line end starts no row
    stride = width + 1  # a line's cells and its line end
    line = 2
    while start < end_of_text:
        end = text.find("\n", min(start + _CHUNK_CHARS, end_of_text), end_of_text)
        if end < 0:
            end = end_of_text
        piece = text[start:end]
        count = piece.count("\n") + 1
        flat = piece.replace("\n", ",\n,").split(",")
        if (
            len(flat) != count * stride - 1
            or flat[width::stride].count("\n") != count - 1
            or (len(piece) > limit and max(map(len, piece.split("\n"))) > limit)
        ):
            raise _NotPlain
        yield CsvChunk(range(line, line + count), [flat[i::stride] for i in range(width)])
        line += count
        start = end + 1


def read_csv(
    path: Path, shown: str, columns: Sequence[str], required: Sequence[str], problems: Collector
) -> list[tuple[int, dict[str, str]]]:
    """The data rows of a CSV file as ``(line, {column: stripped text})``; empty cells left out."""
    return _cell_dicts(*read_csv_cells(path, shown, columns, required, problems))


def _cell_dicts(
    header: list[str], rows: Sequence[tuple[int, Sequence[str]]]
) -> list[tuple[int, dict[str, str]]]:
    """Rows as ``(line, {column: stripped text})``; empty cells left out."""
    return [
        (line, {k: v for k, v in zip(header, map(str.strip, cells), strict=True) if v})
        for line, cells in rows
    ]


def validate_rows(
    rows: list[tuple[int, dict[str, str]]], shown: str, model: type[Row], problems: Collector
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
            problems.add(shown, rows[index][0], field, value, expected_text(item))
        good = [(line, cells) for i, (line, cells) in enumerate(rows) if i not in bad]
        validated = adapter.validate_python([cells for _, cells in good])
        return [(line, row) for (line, _), row in zip(good, validated, strict=True)]
    return [(line, row) for (line, _), row in zip(rows, validated, strict=True)]


_ADAPTERS: dict[type[BaseModel], TypeAdapter[Any]] = {}


def _adapter(model: type[Row]) -> TypeAdapter[list[Row]]:
    if model not in _ADAPTERS:
        _ADAPTERS[model] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return _ADAPTERS[model]


def _read_cells(
    path: Path, shown: str, model: type[BaseModel], problems: Collector
) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]]:
    """The header and data rows of the CSV file of ``model``'s rows (not yet validated)."""
    columns = list(model.model_fields)
    required = [name for name, f in model.model_fields.items() if f.is_required()]
    header, rows = read_csv_cells(path, shown, columns, required, problems)
    if not rows and not any(p.file == shown for p in problems.problems):
        problems.add(shown, 2, "rows", "(none)", "at least one data row after the header")
    return header, rows


def read_rows(
    path: Path, shown: str, model: type[Row], problems: Collector
) -> list[tuple[int, Row]]:
    rows = _cell_dicts(*_read_cells(path, shown, model, problems))
    return validate_rows(rows, shown, model, problems)


def check_months(
    rows: Sequence[tuple[int, Any]],
    shown: str,
    field: str,
    problems: Collector,
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
