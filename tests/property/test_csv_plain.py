"""Property: CSV text without quotes is read by splitting it as the csv module reads it.

:func:`jointbonus.io.reading.plain_lines` lets every CSV input skip the csv
module when no cell is quoted; the rows, line numbers and problems must be
the ones the module gives, for any text, line endings and blank lines
included.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from jointbonus.io.reading import Collector, _records, plain_lines, read_csv_cells

#: Cells of exports and their troubles: commas, spaces, line ends of every kind, quotes.
pieces = st.lists(
    st.sampled_from(["a", "Web", " x ", "", ",", "\n", "\r\n", "\r", '"', "é", "\t", ";", "2026"]),
    max_size=40,
).map("".join)


def _by_csv(text: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    return [(reader.line_num, cells) for cells in reader]


@given(pieces)
@example("a,b\r\nc,d\r\n")
@example("\n\na,b\nc")
@example("a\rb")
def test_plain_lines_are_the_csv_modules_records(text: str) -> None:
    lines = plain_lines(text)
    if lines is None:
        assert '"' in text or text.count("\r") != text.count("\r\n")
        return
    assert list(_records(text)[0]) == _by_csv(text)


#: Cells that need no quotes: the same table written plain and with every cell quoted.
plain_cells = st.sampled_from(["a", "b", "Web", " x ", "", "é", "\t", ";", "2026", "  "])


@given(
    st.lists(st.lists(plain_cells, min_size=1, max_size=3), min_size=1, max_size=8),
    st.sampled_from(["\n", "\r\n"]),
)
def test_read_csv_cells_reads_plain_text_as_its_quoted_twin(
    table: list[list[str]], end: str
) -> None:
    """Rows (of any width, blank ones too), lines and problems: the same either way."""
    rows = [["a", "b"], *table]
    plain = "".join(",".join(row) + end for row in rows)
    quoted = "".join(",".join(f'"{cell}"' for cell in row) + end for row in rows)
    assert plain_lines(plain) is not None and plain_lines(quoted) is None
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("plain.csv", plain), ("quoted.csv", quoted)):
            path = Path(folder) / name
            path.write_bytes(text.encode())
            problems = Collector([])
            header, read = read_csv_cells(path, "f.csv", ["a", "b"], [], problems)
            results.append((header, read, problems.problems))
    assert results[0] == results[1]
