"""Where a plan file's inputs are: the files, and the lines of one member and month."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

from jointbonus.core.periods import Month
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.explain.model import Sources
from jointbonus.sharedtarget.loader import read_plan_file

__all__ = ["find_sources"]


def _line_of(path: Path, column: str, matches: Callable[[str], bool]) -> int | None:
    """The line of the first row of CSV ``path`` whose ``column`` matches (None if none)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeError):
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [cell.strip() for cell in next(reader, [])]
    if column not in header:
        return None
    index = header.index(column)
    for row in reader:
        if index < len(row) and matches(row[index].strip()):
            return reader.line_num
    return None


def find_sources(plan_path: str | Path, member_id: str, month: str | Month) -> Sources:
    """Where a plan file's inputs for ``member_id`` and ``month`` are: files and lines."""
    path = Path(plan_path)
    settings = read_plan_file(path)
    if settings is None:  # pragma: no cover - read_plan_file raises instead
        return Sources(plan=path.name)
    folder = path.parent
    try:
        wanted = month if isinstance(month, Month) else Month.parse(month)
    except JointBonusError:
        wanted = None

    def is_month(cell: str) -> bool:
        try:
            return Month.parse(cell) == wanted
        except JointBonusError:
            return False

    def located(name: str, line: int | None) -> str:
        return name if line is None else f"{name}:{line}"

    roster, months = settings.roster.file, settings.shared.file
    return Sources(
        plan=path.name,
        member=located(roster, _line_of(folder / roster, "id", member_id.__eq__)),
        month=located(months, _line_of(folder / months, "month", is_month) if wanted else None),
        history=settings.history.file,
    )
