"""The streamed JSON is the rendered document, byte for byte; JSON Lines are its lines.

The streamed text (:func:`jointbonus.iter_json`) is made from templates: one
text per distinct line figures, each member's id and team escaped once. The
oracle is the plain way: :func:`jointbonus.render_json` of
:func:`jointbonus.result_document`, which is ``json.dumps`` with an indent
over the whole document. Plans come from the generators of plain plans and
of plans with goals, gates, caps and holdbacks, with member ids, teams and
the plan's name drawn from text that needs escaping (quotes, backslashes,
control characters, U+2028, non-ASCII), and pieces of a few lines, so that a
piece ends inside a month as well as at its end. The pieces the command line
prints, escaped for the terminal part by part as they are made
(:func:`~jointbonus.sharedtarget.report.streams.terminal_json`), are each
piece escaped whole (:func:`~jointbonus.core.text.terminal_text`).
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from weighted import paid_plan, weighted_specs

import jointbonus
from jointbonus import Member, Result
from jointbonus.core.text import terminal_text, unsafe_character
from jointbonus.io.render import nested_text
from jointbonus.sharedtarget.report.streams import BLOCK, terminal_json
from strategies import payable, plan_specs

#: Characters JSON escapes, or that a careless writer would get wrong.
AWKWARD = st.sampled_from(
    ['"', "\\", "/", "\n", "\r", "\t", "\b", "\f", "\x00", "\x1f", "\x7f", "\x85", "\u2028",
     "\u2029", "\ufeff", "é", "ß", "日", "😀", " ", ",", ":", "{", "}", "[", "]", "'"]
)  # fmt: skip
#: A member id, team or plan name; a blank one (which a plan refuses) gets a letter.
NAMES = st.text(st.one_of(AWKWARD, st.characters()), min_size=1, max_size=10).map(
    lambda text: text if text.strip() else text + "x"
)

#: Member ids as a roster gives them: awkward, but in one spelling (NFC) and without the
#: control or format characters an id may not hold (team and plan names may hold them).
IDS = NAMES.map(lambda text: unicodedata.normalize("NFC", text)).filter(
    lambda text: text.strip() != "" and unsafe_character(text) is None
)

#: Lines per piece: a few, so that pieces end inside months, or the default.
BLOCKS = st.sampled_from([1, 2, 3, 5, BLOCK])


def renamed(members: tuple[Member, ...], ids: list[str], teams: dict[str, str]) -> list[Member]:
    """The members with the ids ``ids`` and their teams renamed by ``teams``."""
    return [
        Member(new, teams.get(m.team, m.team), m.start, m.end, m.fte, m.salary, m.target_bonus)
        for m, new in zip(members, ids, strict=True)
    ]


@st.composite
def plain_results(draw: st.DrawFn) -> Result:
    """A generated plain plan, paid, with awkward member ids, teams and plan name."""
    spec = payable(draw(plan_specs(max_members=12, max_months=6)))
    count = len(spec.members)
    ids = draw(st.lists(IDS, min_size=count, max_size=count, unique=True))
    teams = dict(
        zip(("sales", "marketing"), draw(st.lists(NAMES, min_size=2, max_size=2)), strict=True)
    )
    spec = replace(spec, name=draw(NAMES), members=tuple(renamed(spec.members, ids, teams)))
    return jointbonus.run(spec.build())


@st.composite
def weighted_results(draw: st.DrawFn) -> Result:
    """A generated plan with goals (gates, caps, a holdback now and then), paid, with
    awkward member ids."""
    spec = draw(weighted_specs(holding=True))
    count = len(spec.members)
    ids = draw(st.lists(IDS, min_size=count, max_size=count, unique=True))
    spec = replace(spec, members=tuple(renamed(spec.members, ids, {})))
    return paid_plan(spec)[2]


def streamed(result: Result, lines: bool, block: int) -> str:
    pieces = list(jointbonus.iter_json(result, lines=lines, block=block))
    assert all(isinstance(piece, str) for piece in pieces)
    return "".join(pieces)


def rendered(result: Result, lines: bool) -> str:
    return jointbonus.render_json(jointbonus.result_document(result, lines=lines))


@given(plain_results(), st.booleans(), BLOCKS)
def test_streamed_json_of_a_plain_plan_is_the_rendered_document(result, lines, block):
    assert streamed(result, lines, block) == rendered(result, lines)


@given(weighted_results(), st.booleans(), BLOCKS)
def test_streamed_json_of_a_plan_with_goals_caps_and_holdbacks_is_the_rendered_document(
    result, lines, block
):
    assert streamed(result, lines, block) == rendered(result, lines)


@given(st.one_of(plain_results(), weighted_results()), BLOCKS)
def test_json_lines_are_the_documents_lines_one_compact_line_each(result, block):
    text = "".join(jointbonus.iter_jsonl(result, block=block))
    documents = jointbonus.result_document(result)["lines"]
    expected = "".join(
        json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
        for document in documents
    )
    assert text == expected
    records = text.split("\n")  # on "\n" alone: a name may hold U+2028 as it is
    assert records.pop() == ""
    assert [json.loads(record) for record in records] == documents


@given(st.one_of(plain_results(), weighted_results()), st.sampled_from(["json", "jsonl"]))
def test_the_pieces_the_terminal_is_given_are_the_pieces_escaped(result, format):
    """``run --format json|jsonl`` prints pieces escaped part by part where they are made:
    each is ``terminal_text`` of the piece the library gives, whatever the names hold."""
    pieces = jointbonus.iter_json(result) if format == "json" else jointbonus.iter_jsonl(result)
    plain = list(pieces)
    assert list(terminal_json(result, format)) == [terminal_text(piece) for piece in plain]


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | NAMES,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(NAMES, inner, max_size=4)
    ),
    max_leaves=20,
)


@given(JSON_VALUES, st.integers(0, 4))
def test_a_nested_value_is_written_as_json_indents_it_at_its_depth(value, level):
    indented = json.dumps(value, indent=2, ensure_ascii=False)
    assert nested_text(value, level) == indented.replace("\n", "\n" + "  " * level)
