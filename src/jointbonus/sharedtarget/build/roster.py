"""The roster section of a plan: its rows made people, in teams of the plan, paid as it needs.

A member's standing may change: the roster can hold several rows of one
member id, each with its own dates, team, FTE, salary and target bonus. The
rows of one id become one person (:meth:`~jointbonus.core.roster.Member.from_rows`)
when they pass these checks, each naming both rows:

* rows of one member may not overlap.

Team, FTE, salary and target bonus may change on any day: a member who moves
team during a month earns each team's functional part on the days spent in
it, and a target bonus that funds individually pays each day's amount
(:mod:`jointbonus.sharedtarget.pay.groups`).

A plan that splits its pool by salary needs every row's salary; one that
funds individually, or splits by target bonus, every target bonus; and every
amount has at most the currency's decimals. Rows' own values (an FTE in
(0, 1], an end on or after the start) were checked when each
:class:`~jointbonus.core.roster.Member` was made.

A problem about a row is named ``member <id> <column>`` when the member has
one row, and ``members[<place>] <column>`` (its place in the ``members``
given) when it has several.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from itertools import islice, pairwise
from operator import attrgetter, eq, le

from jointbonus.core.money import Currency
from jointbonus.core.number import decimal_places
from jointbonus.core.roster import Member, Roster, overlaps
from jointbonus.errors import JointBonusError
from jointbonus.sharedtarget.build.checks import Checks

__all__ = ["roster"]


def roster(
    checks: Checks,
    members: Sequence[Member],
    teams: Sequence[str],
    *,
    needs_salary: bool,
    needs_bonus: bool,
    currency: Currency | None,
) -> Roster:
    """Check the rows against the plan and return the people they make, in id order.

    The rows are checked and put in order a column at a time
    (:class:`~jointbonus.core.roster.Roster`); members are made only for ids of
    several rows, whose rows become one person.
    """
    team_names = set(teams)
    if len(team_names) != len(teams):
        checks.add("teams", list(teams), "each team named once")
    rows = Roster.of(members)
    ids = rows.ids
    # In id order, rows of one id in file order; rows of a repeated id then lie side by side.
    taken = rows  # a roster written in id order (one pass tells) is not sorted again
    if not all(map(le, ids, islice(ids, 1, None))):
        listed = list(ids)  # a list's items are looked up by a direct call, a tuple's are not
        taken = rows.take(sorted(range(len(listed)), key=listed.__getitem__))
    repeated = _repeated(taken.ids)
    if not _all_fit(
        rows, team_names, needs_salary=needs_salary, needs_bonus=needs_bonus, currency=currency
    ):
        _check_rows(
            checks,
            rows,
            teams,
            repeated,
            needs_salary=needs_salary,
            needs_bonus=needs_bonus,
            currency=currency,
        )
    if not repeated:
        return taken
    places: dict[str, list[int]] = {}  # the rows of each member of several, by first row
    for place, member_id in enumerate(ids):
        if member_id in repeated:
            places.setdefault(member_id, []).append(place)
    people = [rows.member(p) for p, member_id in enumerate(ids) if member_id not in repeated]
    for member_id, at in places.items():
        if _changes_hold(checks, member_id, [(p, rows.member(p)) for p in at]):
            people.append(Member.from_rows([rows.member(p) for p in at]))
    people.sort(key=_id_of)
    return Roster.of(people)


def _repeated(ordered: Sequence[str]) -> set[str]:
    """The ids of more than one row, of ids in order (a repeated id's rows side by side)."""
    if not any(map(eq, ordered, islice(ordered, 1, None))):
        return set()
    return {a for a, b in pairwise(ordered) if a == b}


def _all_fit(
    rows: Roster,
    team_names: set[str],
    *,
    needs_salary: bool,
    needs_bonus: bool,
    currency: Currency | None,
) -> bool:
    """Whether no row breaks a rule :func:`_check_rows` checks: checked a column at a time,
    each distinct team and amount once (a roster of 100,000 has a few hundred)."""
    if team_names and not team_names.issuperset(rows.teams):
        return False
    salaries = set(rows.salaries)
    bonuses = set(rows.target_bonuses)
    if (needs_salary and None in salaries) or (needs_bonus and None in bonuses):
        return False
    amounts = {amount for amount in salaries | bonuses if amount is not None}
    return currency is None or all(_fits(currency, amount) for amount in amounts)


def _check_rows(
    checks: Checks,
    members: Sequence[Member],
    teams: Sequence[str],
    repeated: set[str],
    *,
    needs_salary: bool,
    needs_bonus: bool,
    currency: Currency | None,
) -> None:
    """A problem for each row in a team the plan does not have, or without an amount the
    plan needs, or with an amount of more decimals than the currency pays."""
    team_names = set(teams)
    payable: dict[Decimal, bool] = {}  # amount -> fits the currency; a roster repeats amounts
    for place, member in enumerate(members):
        member_id = member.id
        name = f"members[{place}]" if member_id in repeated else f"member {member_id}"
        if team_names and member.team not in team_names:
            checks.add(f"{name} team", member.team, f"one of {', '.join(teams)}")
        salary, bonus = member.salary, member.target_bonus
        if needs_salary and salary is None:
            checks.add(f"{name} salary", None, "a salary (the pool splits by salary)")
        if needs_bonus and bonus is None:
            checks.add(
                f"{name} target_bonus",
                None,
                "an annual target bonus (the plan funds or splits by target bonus)",
            )
        if currency is None:
            continue
        for label, amount in (("salary", salary), ("target_bonus", bonus)):
            if amount is None:
                continue
            fits = payable.get(amount)
            if fits is None:
                fits = payable[amount] = _fits(currency, amount)
            if not fits:
                checks.add(
                    f"{name} {label}",
                    str(amount),
                    f"at most {currency.minor_unit} decimals ({currency.code})",
                )


def _changes_hold(checks: Checks, member_id: str, rows: list[tuple[int, Member]]) -> bool:
    """Whether the rows of one member make one person; a problem naming both rows if not."""
    before = len(checks.problems)
    for first, second in overlaps([row for _, row in rows]):
        (place, row), (later_place, later) = rows[first], rows[second]
        if row.end is None:
            expected = (
                f"no row overlapping members[{place}], member {member_id}'s row from "
                f"{row.start.isoformat()} with no end date (a member's rows may not overlap: "
                "give the earlier row an end)"
            )
        else:
            expected = (
                f"a date after {row.end.isoformat()}, the end of members[{place}], member "
                f"{member_id}'s row before it (a member's rows may not overlap)"
            )
        checks.add(f"members[{later_place}] start", later.start.isoformat(), expected)
    return len(checks.problems) == before


_id_of = attrgetter("id")


def _fits(currency: Currency, amount: Decimal) -> bool:
    """Whether ``amount`` has no more decimals than ``currency`` pays: written with no more,
    or else as the currency counts them (``1.500`` fits a currency of two decimals)."""
    if decimal_places(amount) <= currency.minor_unit:
        return True
    try:
        currency.to_minor(amount)
    except JointBonusError:
        return False
    return True
