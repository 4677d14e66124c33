"""The library's edges: member ids, every problem of a roster at once, wide headers,
what the terminal is sent, and the number grammar's words."""

from __future__ import annotations

import shutil
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from jointbonus import D, Member, NumberError, PlanError, RosterError, load_plan
from jointbonus.cli import EXIT_BAD_INPUT, main
from jointbonus.core.text import member_id, terminal_text, unsafe_character
from jointbonus.errors import Problem
from jointbonus.io.reading import Collector, header_fits

EXAMPLE = Path(__file__).resolve().parent / "fixtures" / "one_lifeboat"
ROW = "{id},sales,2022-01-10,,1,70000.00,10500.00\n"


def copy_with_rows(tmp_path: Path, *rows: str) -> Path:
    """The example plan, its roster with ``rows`` added; the plan file's path."""
    folder = tmp_path / "plan"
    shutil.copytree(EXAMPLE, folder)
    roster = folder / "data" / "roster.csv"
    roster.write_text(roster.read_text(encoding="utf-8") + "".join(rows), encoding="utf-8")
    return folder / "plan.toml"


def problems_of(plan: Path) -> list[str]:
    with pytest.raises(PlanError) as caught:
        load_plan(plan)
    return [str(problem) for problem in caught.value.problems]


# -- member ids ----------------------------------------------------------------

NFC = unicodedata.normalize("NFC", "Zoë-7")
NFD = unicodedata.normalize("NFD", "Zoë-7")


def test_the_two_spellings_of_a_name_are_one_member(tmp_path: Path) -> None:
    assert NFC != NFD
    plan = load_plan(copy_with_rows(tmp_path, ROW.format(id=NFD)))
    assert NFC in {member.id for member in plan.members}
    assert Member(NFD, "sales", date(2022, 1, 1), None, "1").id == NFC


def test_both_spellings_in_one_roster_are_one_member_twice(tmp_path: Path) -> None:
    found = problems_of(copy_with_rows(tmp_path, ROW.format(id=NFC), ROW.format(id=NFD)))
    assert len(found) == 1
    assert "a member's rows may not overlap" in found[0]
    assert NFC in found[0]


@pytest.mark.parametrize(
    ("character", "named"),
    [
        ("\x1b", "U+001B (a control character)"),
        ("\u202e", "U+202E (a bidirectional or format character)"),
        ("\u2066", "U+2066 (a bidirectional or format character)"),
        ("\u200f", "U+200F (a bidirectional or format character)"),
        ("\u061c", "U+061C (a bidirectional or format character)"),
        ("\u200b", "U+200B (a bidirectional or format character)"),
        ("\x85", "U+0085 (a control character)"),
        ("\u2028", "U+2028 (a line separator)"),
    ],
)
def test_an_id_with_a_character_that_is_not_text_is_refused_where_it_is(
    tmp_path: Path, character: str, named: str
) -> None:
    found = problems_of(copy_with_rows(tmp_path, ROW.format(id=f"DM{character}X")))
    assert found == [
        f"data/roster.csv:17: id: got {f'DM{character}X'!r}, expected text without control, "
        f"bidirectional or other format characters; it holds {named}"
    ]
    with pytest.raises(RosterError) as caught:
        Member(f"DM{character}X", "sales", date(2022, 1, 1), None, "1")
    assert str(caught.value).endswith(f"it holds {named}")


def test_printable_text_of_any_script_is_an_id() -> None:
    for text in ("Ünal-3", "李雷", "José Ramírez", "O'Brien", "ملاك"):
        assert unsafe_character(text) is None
        assert member_id(text) == unicodedata.normalize("NFC", text)


# -- every problem of a roster at once -----------------------------------------


def test_a_row_with_two_problems_and_rows_with_others_are_listed_together(tmp_path: Path) -> None:
    plan = copy_with_rows(
        tmp_path,
        "DM-S01,sales,2025-03-04,2025-01-01,1,112000.00,16800.00\n",  # overlaps, ends early
        "DM-S02,sales,2025-03-04,2024-01-01,0.5,120000.00,1.005\n",  # and a bonus of 3 decimals
        "NEW-1,sales,2025-03-04,,80%,1e5,\n",  # a percentage and scientific notation
    )
    found = problems_of(plan)
    lines = [text.split(": ")[0] for text in found]
    assert lines == [
        "data/roster.csv:17",
        "data/roster.csv:17",
        "data/roster.csv:18",
        "data/roster.csv:18",
        "data/roster.csv:18",
        "data/roster.csv:19",
        "data/roster.csv:19",
    ]
    joined = "\n".join(found)
    assert "17: end: got '2025-01-01', expected a date on or after start 2025-03-04" in joined
    assert "17: start: got '2025-03-04', expected no row overlapping line 2" in joined
    assert "18: target_bonus: got '1.005', expected at most 2 decimals (USD)" in joined
    assert "19: fte: got '80%', expected a fraction such as 0.8, not a percentage: write 0.8" in (
        joined
    )
    assert "19: salary: got '1e5', expected a number written out in digits, not a number in " in (
        joined
    )


def test_an_empty_cell_is_named_as_such() -> None:
    assert str(Problem("target", None, "a target", "data/history.csv", 4)) == (
        "data/history.csv:4: target: got an empty cell, expected a target"
    )
    assert str(Problem("leads", None, "a [leads] section", "plan.toml")) == (
        "plan.toml: leads: got nothing, expected a [leads] section"
    )
    assert str(Problem("plan", None, "a Plan")) == "plan: got None, expected a Plan"


# -- a header of many columns ----------------------------------------------------


class Column(str):
    """A column name that counts how often it is compared with another."""

    __slots__ = ()
    compared = 0

    def __eq__(self, other: object) -> bool:
        Column.compared += 1
        return str.__eq__(self, other)

    def __hash__(self) -> int:
        return str.__hash__(self)


@pytest.mark.parametrize("width", [100, 2_000])
def test_the_header_check_compares_each_column_a_bounded_number_of_times(width: int) -> None:
    # A check that counted each name in the header compared width x width times.
    header: list[str] = [Column(f"c{place % (width // 2)}") for place in range(width)]
    problems = Collector([])
    Column.compared = 0
    assert not header_fits(header, "wide.csv", ["month"], ["month"], problems)
    assert Column.compared <= 4 * width
    repeated = [p for p in problems.problems if p.expected == "each column once"]
    assert len(repeated) == 1
    assert str(repeated[0].value).count(",") == width // 2 - 1  # every repeated name, once


# -- what the terminal is sent --------------------------------------------------


def test_the_terminal_is_sent_escapes_not_control_characters() -> None:
    assert terminal_text("A\x1b[2J\u202eB\n\tC é") == "A\\u001b[2J\\u202eB\n\tC é"
    assert terminal_text("plain text\n") == "plain text\n"


def test_the_command_line_escapes_a_bad_id_it_reports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = copy_with_rows(tmp_path, ROW.format(id="DM\x1b[31mRED"))
    assert main(["validate", str(plan)]) == EXIT_BAD_INPUT
    shown = capsys.readouterr()
    printed = shown.out + shown.err
    assert "\x1b" not in printed
    assert "U+001B" in printed


@pytest.mark.parametrize("details", [False, True])
def test_what_a_plan_says_reaches_the_terminal_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], details: bool
) -> None:
    # A plan's name is free text, printed on standard output by every view of the plan:
    # an escape sequence or a bidi override in it must reach the terminal as text.
    plan = copy_with_rows(tmp_path)
    text = plan.read_text(encoding="utf-8")
    name = 'name = "Digital Manufacturing: one sales target for sales and marketing"'
    assert name in text
    plan.write_text(text.replace(name, 'name = "Lifeboat \\u001b[2J\\u202eevil"'), encoding="utf-8")
    assert main(["run", str(plan), *(["--details"] if details else [])]) == 0
    printed = capsys.readouterr().out
    assert "Lifeboat " in printed
    assert "\x1b" not in printed and "\u202e" not in printed
    assert "Lifeboat \\u001b[2J\\u202eevil" in printed


# -- the number grammar's words -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("1.23457E+11", "scientific notation, as Excel writes long numbers; format the column"),
        ("1e0", "scientific notation"),
        (".5", "digits on both sides of the point, such as 0.5"),
        ("-.5", "such as -0.5"),
        ("5.", "such as 5.0"),
        ("inf", "not NaN or infinity"),
        ("nan", "not NaN or infinity"),
        ("1_000", "no thousands separators"),
        ("١٢", "in the digits 0 to 9"),
        ("12%", "not a percentage: write 0.12 for 12%"),
    ],
)
def test_a_number_that_is_not_written_as_documented_is_named(text: str, phrase: str) -> None:
    with pytest.raises(NumberError, match="expected") as caught:
        D(text)
    assert phrase in str(caught.value)
