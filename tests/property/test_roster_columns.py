"""A roster held as columns is, as a sequence, exactly the members it holds."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from jointbonus import Member
from jointbonus.core.roster import Roster

DAYS = st.integers(-400, 400).map(lambda n: date(2026, 1, 1) + timedelta(n))


@st.composite
def members(draw: st.DrawFn) -> list[Member]:
    """0 to 8 members, some alike, some of two roster rows (a standing that changes)."""
    drawn = []
    for number in range(draw(st.integers(0, 8))):
        start = draw(DAYS)
        end = draw(st.none() | DAYS.filter(lambda day: day >= start))  # noqa: B023
        fields = (
            draw(st.sampled_from(["sales", "marketing"])),
            start,
            end,
            draw(st.sampled_from(["1", "0.5", "0.8", "0.50"])),
            draw(st.sampled_from([None, "0", "50000", "72000.50"])),
            draw(st.sampled_from([None, "0", "5000", "7200"])),
        )
        member = Member(f"M{number}", *fields)
        if end is not None and draw(st.booleans()):  # a second row after a gap
            later = Member(f"M{number}", "marketing", end + timedelta(days=3), None, "0.6")
            member = Member.from_rows([member, later])
        drawn.append(member)
    return drawn


def columns(people: list[Member]) -> Roster:
    """A roster made from the members' columns, as a file's is, never from the members."""
    return Roster(
        [m.id for m in people],
        [m.team for m in people],
        [m.start for m in people],
        [m.end for m in people],
        [m.fte for m in people],
        [m.fte_units for m in people],
        [m.salary for m in people],
        [m.target_bonus for m in people],
        people={place: m for place, m in enumerate(people) if m.changes},
    )


@given(members())
def test_a_roster_of_columns_is_its_members(people):
    roster = columns(people)
    assert [roster.member(place) for place in range(len(people))] == people
    assert len(roster) == len(people)
    assert roster == tuple(people) == roster
    assert list(roster) == people
    assert repr(roster) == repr(tuple(people))
    assert hash(roster) == hash(tuple(people))


@given(st.data(), members())
def test_a_roster_taken_in_an_order_is_its_members_in_that_order(data, people):
    order = data.draw(st.permutations(range(len(people))))
    order = order[: data.draw(st.integers(0, len(order)))]
    wanted = tuple(people[place] for place in order)
    taken = columns(people).take(order)
    assert taken == wanted
    assert taken == Roster.of(wanted)
    assert taken.starts == tuple(m.start for m in wanted)
    assert taken.ends == tuple(m.end for m in wanted)
    assert taken.salaries == tuple(m.salary for m in wanted)
    assert {place: m.rows for place, m in taken.people.items()} == {
        place: m.rows for place, m in enumerate(wanted) if m.changes
    }


@given(members(), members())
def test_two_rosters_are_equal_exactly_when_their_members_are(first, second):
    assert (columns(first) == columns(second)) == (tuple(first) == tuple(second))
    assert (columns(first) == tuple(second)) == (tuple(first) == tuple(second))


@given(members())
def test_a_member_of_several_rows_is_not_their_standing_at_the_end(people):
    # The columns of a member of several rows read as they stand at the end: the roster
    # tells them apart from a member of that one row by its people.
    at_the_end = [
        Member(m.id, m.team, m.start, m.end, m.fte, m.salary, m.target_bonus) for m in people
    ]
    assert (columns(people) == columns(at_the_end)) == (people == at_the_end)
