"""Input files the way HR has them: a CSV dialect, an Excel workbook, a column mapping.

A roster, a history or a plan months file is read as the plan says it is
written, never guessed at. Each section that names a file (``[roster]``,
``[shared]``, ``[history]``; a gainsharing plan's ``[roster]`` and
``[gainsharing]``) may say, beside its ``file``:

* ``delimiter``: ``","`` (the default), ``";"``, ``"\\t"`` or ``"|"``;
* ``decimal``: ``"point"`` (the default: ``1234.56``) or ``"comma"``
  (``1234,56``: the comma is the decimal mark; a ``.`` in a number is
  refused, and so are thousands separators of any kind);
* ``encoding``: ``"utf-8"`` (the default; a byte-order mark is skipped),
  or any text encoding Python knows (``"cp1252"``, ``"latin-1"``, ...);
* ``sheet``: the worksheet of an ``.xlsx`` workbook (the first one by
  default);
* ``columns``: the file's own name of any column, by the column it is:
  ``columns = { id = "Employee ID", start = "Start Date" }``.

A ``[files]`` table gives ``delimiter``, ``decimal`` and ``encoding`` for
every CSV file of the plan; a section's own setting wins. A file whose name
ends in ``.xlsx`` is a workbook (:mod:`jointbonus.io.sheets`): its cells keep
their types, and each becomes the text a CSV file would hold (a number
exactly, a date as ``YYYY-MM-DD``, a date on the 1st in a month column as
``YYYY-MM``), so it is checked by the same rules, with the same results.

A problem of a cell names the file's own column: ``Employee ID (id)``, and
in a workbook the worksheet and the column's letter too.

>>> InputFormat(setting="roster").plain, InputFormat(setting="roster", decimal="comma").plain
(True, False)
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import repeat
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BeforeValidator,
    Field,
    SerializerFunctionWrapHandler,
    WithJsonSchema,
    model_serializer,
)

from jointbonus.errors import PlanError, Problem
from jointbonus.io.fields import InputModel, Name
from jointbonus.io.reading import Collector, decode, header_fits, read_bytes, toml_key_line
from jointbonus.io.sheets import cell_text, column_letter, number_text, read_sheet

__all__ = [
    "DELIMITERS",
    "FORMAT_KEYS",
    "FilesSection",
    "InputFileSection",
    "InputFormat",
    "check_columns_setting",
    "input_format",
    "input_formats",
    "is_workbook",
    "labelled",
    "named_as_written",
    "read_table",
]

#: The delimiters a CSV file may use.
DELIMITERS = (",", ";", "\t", "|")
#: The settings of a section that say how its file is written.
FORMAT_KEYS = ("delimiter", "decimal", "encoding", "sheet", "columns", "ignore")

_ENCODING_EXPECTED = "a text encoding Python knows, such as utf-8, utf-8-sig, cp1252 or latin-1"


def _encoding(value: object) -> str:
    if isinstance(value, str) and value.strip():
        try:
            info = codecs.lookup(value.strip())
        except LookupError:
            pass
        else:
            if getattr(info, "_is_text_encoding", True):  # not base64, rot13, zlib ...
                return info.name
    raise ValueError(_ENCODING_EXPECTED)


Encoding = Annotated[
    str,
    BeforeValidator(_encoding),
    WithJsonSchema({"type": "string", "description": _ENCODING_EXPECTED}),
]


class FilesSection(InputModel):
    """How the plan's CSV files are written: ``[files]``, or a section's own settings."""

    delimiter: Literal[",", ";", "\t", "|"] | None = None
    """Between the cells of a line: ``","`` by default."""
    decimal: Literal["point", "comma"] | None = None
    """The decimal mark of numbers: ``"point"`` (1234.56) by default, or ``"comma"``."""
    encoding: Encoding | None = None
    """The file's text encoding: ``"utf-8"`` by default."""


class InputFileSection(FilesSection):
    """A section that names an input file (``file``) and, optionally, how it is written."""

    file: Name
    sheet: Name | None = None
    """The worksheet of an .xlsx workbook: the first one by default."""
    columns: dict[Name, Name] = Field(default_factory=dict)
    """The file's own name of a column, by the column it is: ``{ id = "Employee ID" }``."""
    ignore: list[Name] = Field(default_factory=list)
    """Columns of the file the plan does not read, by the file's own names: an HR
    export's ``["Department", "Manager"]``. Named one by one, never guessed: any other
    column the plan does not know is refused, as a misspelt one is."""

    @model_serializer(mode="wrap")
    def _stated_only(self, handler: SerializerFunctionWrapHandler) -> Any:
        # A plan that does not state how a file is written records its settings as before.
        data = handler(self)
        if not isinstance(data, dict):
            return data
        stated = {key: data.pop(key) for key in FORMAT_KEYS if data.get(key) not in (None, {}, [])}
        for key in FORMAT_KEYS:
            data.pop(key, None)
        return {**data, **stated}  # the section's own settings first, as before


@dataclass(frozen=True)
class InputFormat:
    """How one input file is written: the plan's settings for it, merged."""

    setting: str
    """The plan's section naming the file (``roster``), for messages."""
    delimiter: str = ","
    decimal: str = "point"
    encoding: str = "utf-8"
    sheet: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)
    """The file's own name of a column, by the column it is."""
    ignore: tuple[str, ...] = ()
    """The file's own names of the columns the plan does not read."""

    @property
    def plain(self) -> bool:
        """Whether a CSV file so written is read as every plain CSV file is (the fast way)."""
        return (
            self.delimiter == ","
            and self.decimal == "point"
            and self.encoding in ("utf-8", "utf-8-sig")
            and self.sheet is None
            and not self.columns
            and not self.ignore
        )


def input_format(
    section: InputFileSection | None, files: FilesSection | None, setting: str
) -> InputFormat:
    """The format of the file ``section`` names: its own settings, else ``[files]``'s."""
    found = InputFormat(setting)
    for source in (files, section):
        if source is None:
            continue
        stated = {
            key: getattr(source, key)
            for key in ("delimiter", "decimal", "encoding")
            if getattr(source, key) is not None
        }
        found = replace(found, **stated)
    if section is not None:
        found = replace(
            found, sheet=section.sheet, columns=dict(section.columns), ignore=tuple(section.ignore)
        )
    return found


def input_formats(
    sections: Mapping[str, tuple[InputFileSection, Sequence[str]]],
    files: FilesSection | None,
    *,
    shown: str,
    text: str,
    problems: Collector,
) -> dict[str, InputFormat]:
    """How each input file is written, by the section naming it (``sections``: each with
    the columns its file has); a section whose ``columns`` are refused is left out (its
    file is not read)."""
    return {
        key: input_format(section, files, key)
        for key, (section, known) in sections.items()
        if check_columns_setting(
            section.columns, known, setting=key, shown=shown, text=text, problems=problems
        )
    }


def is_workbook(path: Path) -> bool:
    """Whether the file at ``path`` is read as an Excel workbook (its name ends in .xlsx)."""
    return path.suffix.casefold() == ".xlsx"


def check_columns_setting(
    columns: Mapping[str, str],
    known: Sequence[str],
    *,
    setting: str,
    shown: str,
    text: str,
    problems: Collector,
) -> bool:
    """Whether a ``columns`` mapping renames only ``known`` columns, each to a column of its
    own; a problem in the plan file (``shown``) for each that does not."""
    fine = True
    taken: dict[str, str] = {}
    for name, column in columns.items():
        line = toml_key_line(text, (setting, "columns", name))
        if name not in known:
            problems.add(
                shown,
                line,
                f"{setting}.columns.{name}",
                name,
                f"one of the file's columns: {', '.join(known)}",
            )
            fine = False
        key = column.strip().casefold()
        if key in taken:
            problems.add(
                shown,
                line,
                f"{setting}.columns.{name}",
                column,
                f"a column of its own ({setting}.columns.{taken[key]} names it too)",
            )
            fine = False
        else:
            taken[key] = name
    return fine


def read_table(
    path: Path,
    shown: str,
    form: InputFormat,
    kinds: Mapping[str, str],
    required: Sequence[str],
    *,
    problems: Collector,
) -> tuple[list[str], list[tuple[int, tuple[str, ...]]]] | None:
    """A CSV file written as ``form`` says, or a workbook, as a plain CSV file would read.

    The header comes with each column under the name the library knows it by
    (``kinds`` names them, each with its kind: ``number``, ``date``,
    ``month`` or ``text``), the rows as ``(line, cells)`` with each cell the
    text a plain CSV file would hold -- except a number of a file whose
    decimal mark is the comma, which keeps it (the column's check reads it).
    ``None`` when the file or its header is refused (the problems are added).
    A workbook's row numbers are its lines; a problem of a cell names the
    file's own column (:attr:`Collector.labels`).
    """
    columns = list(kinds)
    if is_workbook(path):
        sheet = read_sheet(
            path, shown, problems, sheet=form.sheet, purpose=f"Reading the .xlsx file {shown}"
        )
        if sheet is None:
            return None
        kept = _kept(sheet.header, shown, form, problems)
        if kept is None:
            return None
        own_header = [sheet.header[index] for index in kept]
        header = _renamed(own_header, shown, form, columns, problems)
        if header is None or not header_fits(header, shown, columns, required, problems):
            return None
        comma = form.decimal == "comma"
        kind_of = [kinds.get(name, "text") for name in header]
        cells_of = [
            (line, tuple(map(_cell, _taken(cells, kept), kind_of, repeat(comma))))
            for line, cells in sheet.rows
        ]
        for index, own, name in zip(kept, own_header, header, strict=True):
            named = f"{own} ({name}; " if own != name else f"{own} ("
            problems.labels[(shown, name)] = (
                f"{named}sheet {sheet.name!r}, column {column_letter(index)})"
            )
        return header, cells_of
    if form.sheet is not None:
        problems.add(
            shown,
            None,
            "sheet",
            form.sheet,
            f"no sheet setting: the file is CSV, not an .xlsx workbook ({form.setting}.sheet)",
        )
        return None
    raw = read_bytes(path, shown, problems)
    if raw is None:
        return None
    text = decode(raw, shown, problems, form.encoding, settable=True)
    del raw
    if text is None:
        return None
    if not text.strip():
        shown_columns = form.delimiter.join(form.columns.get(c, c) for c in columns)
        problems.add(shown, 1, "header", "(empty file)", f"a header line: {shown_columns}")
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=form.delimiter, strict=True)
    try:
        first = next(reader, [])
        if len(first) == 1 and any(d in first[0] for d in DELIMITERS if d != form.delimiter):
            # another delimiter: said before any column is looked for
            file_columns = [form.columns.get(name, name) for name in columns]
            header_fits(
                [first[0]],
                shown,
                file_columns,
                (),
                problems,
                delimiter=form.delimiter,
                settable=True,
            )
            return None
        kept = _kept([name.strip() for name in first], shown, form, problems)
        if kept is None:
            return None
        own_header = [first[index].strip() for index in kept]
        header = _renamed(own_header, shown, form, columns, problems)
        if header is None or not header_fits(
            header, shown, columns, required, problems, delimiter=form.delimiter
        ):
            return None
        rows: list[tuple[int, tuple[str, ...]]] = []
        width = len(first)
        for cells in reader:
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            if len(cells) != width:
                problems.add(
                    shown,
                    reader.line_num,
                    "row",
                    form.delimiter.join(cells),
                    f"{width} cells ({form.delimiter.join(first)})",
                )
                continue
            rows.append((reader.line_num, _taken(cells, kept)))
    except csv.Error as error:
        problems.add(shown, reader.line_num, "row", "(unreadable)", f"well-formed CSV: {error}")
        return None
    for own, name in zip(own_header, header, strict=True):
        if own != name:
            problems.labels[(shown, name)] = f"{own} ({name})"
    return header, rows


_Cell = TypeVar("_Cell")
_Loaded = TypeVar("_Loaded")


def _kept(
    header: Sequence[str], shown: str, form: InputFormat, problems: Collector
) -> list[int] | None:
    """The places of the columns read: all but those ``form.ignore`` names (matched as a
    mapping's are, without regard to case or surrounding spaces). ``None`` and a problem
    for each ignored column the header lacks, or that the mapping also names."""
    if not form.ignore:
        return list(range(len(header)))
    ignored = {name.strip().casefold(): name for name in form.ignore}
    mapped = {column.strip().casefold() for column in form.columns.values()}
    present = {name.strip().casefold() for name in header}
    fine = True
    for key, name in ignored.items():
        if key not in present:
            expected = f"a column {name!r} ({form.setting}.ignore names it)"
            problems.add(shown, 1, "header", ", ".join(header), expected)
            fine = False
        elif key in mapped:
            expected = f"the column {name!r} either read ({form.setting}.columns) or ignored"
            problems.add(shown, 1, "header", name, expected)
            fine = False
    if not fine:
        return None
    return [index for index, name in enumerate(header) if name.strip().casefold() not in ignored]


def _taken(cells: Sequence[_Cell], kept: Sequence[int]) -> tuple[_Cell, ...]:
    """The cells of a row at the places read."""
    if len(kept) == len(cells):
        return tuple(cells)
    return tuple(cells[index] for index in kept)


def _renamed(
    header: list[str], shown: str, form: InputFormat, columns: Sequence[str], problems: Collector
) -> list[str] | None:
    """``header`` with each column the mapping names under the name the library knows it by;
    ``None`` and a problem for each mapped column the header lacks or repeats."""
    if not form.columns:
        return header
    where: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        where.setdefault(name.strip().casefold(), []).append(index)
    renamed = list(header)
    fine = True
    for name, column in form.columns.items():
        found = where.get(column.strip().casefold(), [])
        if len(found) == 1:
            renamed[found[0]] = name
            continue
        fine = False
        if not found:
            expected = (
                f"a column {column!r}, the file's {name} ({form.setting}.columns.{name} names it)"
            )
        else:
            expected = f"the column {column!r} once (it is there {len(found)} times)"
        problems.add(shown, 1, "header", ", ".join(header), expected)
    return renamed if fine else None


def _cell(value: object, kind: str, comma: bool) -> str:
    """A workbook cell as the text a CSV file would hold in a column of ``kind``."""
    if isinstance(value, dt.datetime) and kind in ("date", "month") and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        if kind == "month" and value.day == 1:
            return f"{value.year:04d}-{value.month:02d}"
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = number_text(value)
        return text.replace(".", ",") if comma and kind == "number" else text
    return cell_text(value)


def named_as_written(problems: Collector, load: Callable[[], _Loaded]) -> _Loaded:
    """``load()``; a :class:`~jointbonus.errors.PlanError` it raises with each problem's
    column named as its file names it (the ``problems.labels`` the readers recorded)."""
    try:
        return load()
    except PlanError as error:
        if not problems.labels:
            raise
        raise PlanError(labelled(error.problems, problems.labels)) from None


def labelled(found: Sequence[Problem], labels: Mapping[tuple[str, str], str]) -> list[Problem]:
    """``found`` with each problem's column named as its file names it (``labels``)."""
    if not labels:
        return list(found)
    return [replace(p, field=labels.get((p.file or "", p.field), p.field)) for p in found]
