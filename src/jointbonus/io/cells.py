"""CSV cells that a spreadsheet opens as data, never as a formula.

A CSV file is plain data, but a spreadsheet that opens it runs any cell that
looks like a formula. A roster whose member id is ``=HYPERLINK("http://...")``
or ``-2+3+cmd|' /C calc'!A0`` would turn the payroll export into a live
formula on the payroll clerk's machine (CSV or formula injection). Every CSV
file jointbonus writes therefore follows one rule, column by column:

* **Number columns** (amounts, weights, ratios, days, line numbers) hold
  numbers the library formats itself from exact values: an optional minus
  sign, digits, and optionally a point and more digits (``1595.45``,
  ``-12.50``, ``0.548387``). They are written unchanged, so a payroll system
  reads ``-12.50`` as the number it is. A cell of a number column that is not
  such a number is treated as text.
* **Text columns** (member ids, teams, reasons, names, file names, values
  copied from an input file) are escaped: a cell that begins with ``=``,
  ``+``, ``-``, ``@``, a tab or a carriage return gets a leading apostrophe,
  which makes a spreadsheet take it as text. So that the rule can be undone
  without guessing, a text cell that already begins with an apostrophe gets a
  second one: remove one leading apostrophe from every text cell that starts
  with one to get the original back (:func:`unescape_formula`).

>>> escape_formula("=1+1"), escape_formula("-5"), escape_formula("DM-S01")
("'=1+1", "'-5", 'DM-S01')
>>> csv_line(["=cmd", "-12.50"], numbers=[False, True])
"'=cmd,-12.50\\n"
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

__all__ = [
    "FORMULA_TRIGGERS",
    "NUMBER_CELL",
    "csv_columns_text",
    "csv_line",
    "csv_text",
    "escape_formula",
    "escape_formulas",
    "number_cell",
    "unescape_formula",
]

#: Characters that make a spreadsheet read a cell as a formula when it starts with them.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

#: A number as the library writes it: optional minus sign, digits, optional decimals.
NUMBER_CELL = re.compile(r"-?[0-9]+(\.[0-9]+)?")

_ESCAPED = (*FORMULA_TRIGGERS, "'")

#: A newline, then what :func:`escape_formula` escapes: a cell of a column joined by
#: newlines that starts a line and needs escaping.
_ESCAPED_AFTER_NEWLINE = re.compile("\n[" + re.escape("".join(_ESCAPED)) + "]")


def escape_formula(text: str) -> str:
    """``text`` as a text cell a spreadsheet cannot run: see the module docstring."""
    return f"'{text}" if text.startswith(_ESCAPED) else text


def escape_formulas(texts: Sequence[str]) -> list[str]:
    """:func:`escape_formula` of each of ``texts``, in order.

    A column of a roster (100,000 member ids) rarely holds a cell to escape:
    whether any does is asked of the whole column at once, and the cells are
    escaped one by one only if so. The column is asked as one text, its cells
    joined by newlines: a cell to escape starts the text or follows a newline.
    (A cell holding a newline can only make the answer "maybe", never a wrong
    "none": then each cell is asked.) One search of the text takes a fifth of
    the time of asking 100,000 cells one by one.

    >>> escape_formulas(["A-1", "B-2"]), escape_formulas(["A-1", "-2"])
    (['A-1', 'B-2'], ['A-1', "'-2"])
    """
    column = "\n".join(texts)
    if column.startswith(_ESCAPED) or _ESCAPED_AFTER_NEWLINE.search(column) is not None:
        return [escape_formula(text) for text in texts]
    return list(texts)


def unescape_formula(text: str) -> str:
    """The original of a text cell written by :func:`escape_formula`."""
    return text[1:] if text.startswith("'") else text


def number_cell(text: str) -> str:
    """A cell of a number column: left as it is if it is a number, else escaped as text."""
    return text if NUMBER_CELL.fullmatch(text) else escape_formula(text)


def csv_line(
    cells: Sequence[object], numbers: Sequence[bool], *, escape_formulas: bool = True
) -> str:
    """One CSV line (ending in a newline) of ``cells``; ``numbers[i]`` marks a number column.

    ``None`` is written as an empty cell; other values as ``str(value)``. With
    ``escape_formulas`` (the default) text cells are escaped and number cells
    checked, as the module docstring says; without it every cell is written
    as it is.
    """
    texts = ["" if cell is None else str(cell) for cell in cells]
    if escape_formulas:
        texts = [
            number_cell(text) if is_number else escape_formula(text)
            for text, is_number in zip(texts, numbers, strict=True)
        ]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(texts)
    return buffer.getvalue()


def csv_text(
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    numbers: Iterable[str] = (),
    *,
    escape_formulas: bool = True,
) -> str:
    """A whole CSV file: the header ``columns``, then ``rows``; ``numbers`` names number columns."""
    numeric = set(numbers)
    flags = [column in numeric for column in columns]
    parts = [csv_line(columns, [False] * len(columns), escape_formulas=escape_formulas)]
    parts.extend(csv_line(row, flags, escape_formulas=escape_formulas) for row in rows)
    return "".join(parts)


def csv_columns_text(columns: Sequence[str], cells: Sequence[Sequence[str]]) -> str:
    """:func:`csv_text` of text columns given a column at a time: ``cells[i]`` is column ``i``.

    The same text, every cell escaped (:func:`escape_formulas`, a whole
    column asked at once) and the lines written by one :mod:`csv` writer: a
    third of a million rows in a fraction of the time of a line each.
    """
    if len(cells) != len(columns):
        raise ValueError(f"cells: got {len(cells)} columns, expected {len(columns)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(escape_formulas(columns))
    writer.writerows(zip(*map(escape_formulas, cells), strict=True))
    return buffer.getvalue()
