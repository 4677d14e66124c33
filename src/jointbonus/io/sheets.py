"""Reading an Excel workbook (.xlsx): one worksheet as a header and rows of typed cells.

Every .xlsx input of the library -- a lead export, a roster, a history, the
plan months -- is read here, with openpyxl, the optional ``xlsx`` extra
(``pip install 'jointbonus[xlsx]'``): a workbook without it installed is a
:class:`~jointbonus.io.extras.MissingExtraError` naming the extra.

The worksheet is the first one, or the one named. Its row 1 names the
columns (trailing empty cells left off); each further row is a data row,
numbered as Excel numbers it, so a problem's line is the row a person sees.
Empty rows are skipped; a cell right of the last named column is a problem.
Cells keep their types (a number, a date, text): the caller turns each into
the text a CSV file would hold, :func:`cell_text` the plain way,
:func:`number_text` a number exactly.

>>> number_text(0.1), number_text(1234.5), number_text(1e-05), number_text(3.0)
('0.1', '1234.5', '0.00001', '3')
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from jointbonus.errors import JointBonusError
from jointbonus.io.extras import require_extra
from jointbonus.io.reading import Collector, read_bytes

__all__ = ["Sheet", "cell_text", "column_letter", "number_text", "read_sheet"]

#: Longest error text of openpyxl shown in a problem.
_MAX_ERROR_TEXT = 100


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name, its header (row 1) and its data rows."""

    name: str
    header: list[str]
    """Row 1's cells as text, stripped; trailing empty cells left off."""
    rows: list[tuple[int, tuple[object, ...]]]
    """Each non-empty data row as ``(Excel's row number, cells)``, as wide as the header;
    an empty cell is ``None``."""


def column_letter(index: int) -> str:
    """Excel's letter of the column at ``index`` (from 0): ``A``, ..., ``Z``, ``AA``, ...

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def number_text(value: int | float) -> str:
    """A number cell as the shortest decimal text that is exactly its value, no exponent.

    Excel keeps numbers as binary floats; the shortest decimal that reads back
    as the same float (Python's ``repr``) is the number a person typed: 0.1
    stays ``0.1``, never ``0.1000000000000000055...``.
    """
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def cell_text(value: object) -> str:
    """A cell as the text a CSV export would hold: a number as :func:`number_text`, a date
    or time in ISO 8601, ``TRUE``/``FALSE``, empty for an empty cell."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(
    path: Path, shown: str, problems: Collector, *, sheet: str | None = None, purpose: str
) -> Sheet | None:
    """The worksheet ``sheet`` (the first one if ``None``) of the workbook at ``path``.

    ``None`` and a problem for an unreadable workbook, a missing worksheet
    or an empty one. ``purpose`` says what reads it, for the message naming
    the extra when openpyxl is not installed.
    """
    raw = read_bytes(path, shown, problems)
    if raw is None:
        return None
    openpyxl = require_extra("openpyxl", "xlsx", purpose)
    header: list[str] | None = None
    rows: list[tuple[int, tuple[object, ...]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of styles it does not read
            workbook = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            try:
                if not workbook.worksheets:
                    problems.add(shown, None, "file", shown, "a workbook with a worksheet")
                    return None
                if sheet is None:
                    found = workbook.worksheets[0]
                elif sheet in workbook.sheetnames:
                    found = workbook[sheet]
                else:
                    named = ", ".join(repr(name) for name in workbook.sheetnames)
                    problems.add(
                        shown, None, "sheet", sheet, f"a worksheet of the workbook ({named})"
                    )
                    return None
                name = str(found.title)
                for line, values in enumerate(found.iter_rows(values_only=True), start=1):
                    if header is None:
                        header = [cell_text(value).strip() for value in values]
                        while header and not header[-1]:
                            header.pop()
                        continue
                    if all(map(_blank, values)):
                        continue
                    if not all(map(_blank, values[len(header) :])):
                        problems.add(
                            shown,
                            line,
                            "row",
                            ",".join(map(cell_text, values)),
                            f"cells only under the {len(header)} columns of row 1",
                        )
                        continue
                    cells = tuple(values[: len(header)])
                    if len(cells) < len(header):
                        cells += (None,) * (len(header) - len(cells))
                    rows.append((line, cells))
            finally:
                workbook.close()
    except JointBonusError:
        raise
    except Exception as error:  # openpyxl raises whatever its zip and XML parsers raise
        text = f"{type(error).__name__}: {error}"
        if len(text) > _MAX_ERROR_TEXT:
            text = text[: _MAX_ERROR_TEXT - 3] + "..."
        problems.add(shown, None, "file", shown, f"a readable .xlsx workbook ({text})")
        return None
    if not header:
        problems.add(shown, 1, "header", "(empty sheet)", "a first row naming the columns")
        return None
    return Sheet(name, header, rows)
