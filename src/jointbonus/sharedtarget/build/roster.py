"""The roster section of a plan: its rows made people, in teams of the plan, paid as it needs.

A member's standing may change: the roster can hold several rows of one
member id, each with its own dates, team, FTE, salary and target bonus. The
rows of one id become one person (:meth:`~jointbonus.core.roster.Member.from_rows`)
when they pass these checks, each naming both rows:

* rows of one member may not overlap;
* a member changes team on the first day of a month, and so does a target
  bonus that funds individually: each month is paid by one team's goals and,
  individually, one target bonus (FTE and salary may change on any day).

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

import itertools
import operator
from collections.abc import Sequence
from decimal import Decimal

from jointbonus.core.money import Currency
from jointbonus.core.periods import Month
from jointbonus.core.roster import Member, overlaps
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
    monthly_bonus: bool = False,
) -> list[Member]:
    """Check the rows against the plan and return the people they make, in id order.

    ``monthly_bonus``: the plan funds individually, so a target bonus may
    change only on the first day of a month.
    """
    team_names = set(teams)
    if len(team_names) != len(teams):
        checks.add("teams", list(teams), "each team named once")
    places: dict[str, list[int]] = {}
    for place, member in enumerate(members):
        places.setdefault(member.id, []).append(place)
    # Amount -> whether it fits the currency. A roster repeats a few amounts: each is
    # checked once, as first met (row by row, salary then target bonus).
    payable: dict[Decimal, bool] = {}
    if currency is not None:
        amounts = zip(map(_salary_of, members), map(_bonus_of, members), strict=True)
        for amount in dict.fromkeys(itertools.chain.from_iterable(amounts)):
            if amount is not None:
                payable[amount] = _fits(currency, amount)
    unfit = {amount for amount, fits in payable.items() if not fits}
    for place, member in enumerate(members):
        salary, bonus = member.salary, member.target_bonus
        if (
            (not team_names or member.team in team_names)
            and not (needs_salary and salary is None)
            and not (needs_bonus and bonus is None)
            and not (unfit and (salary in unfit or bonus in unfit))
        ):
            continue  # nothing to say of this row: most rows of a roster
        member_id = member.id
        name = f"member {member_id}" if len(places[member_id]) == 1 else f"members[{place}]"
        if team_names and member.team not in team_names:
            checks.add(f"{name} team", member.team, f"one of {', '.join(teams)}")
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
            if not payable[amount]:
                checks.add(
                    f"{name} {label}",
                    str(amount),
                    f"at most {currency.minor_unit} decimals ({currency.code})",
                )
    people: list[Member] = []
    for member_id, at in places.items():
        if len(at) == 1:
            people.append(members[at[0]])
            continue
        if _changes_hold(checks, member_id, [(p, members[p]) for p in at], monthly_bonus):
            people.append(Member.from_rows([members[p] for p in at]))
    people.sort(key=_id_of)
    return people


def _changes_hold(
    checks: Checks, member_id: str, rows: list[tuple[int, Member]], monthly_bonus: bool
) -> bool:
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
    if len(checks.problems) > before:
        return False
    ordered = sorted(rows, key=lambda placed: placed[1].start)
    for (place, row), (later_place, later) in itertools.pairwise(ordered):
        if row.end is None or Month.of(row.end) != Month.of(later.start):
            continue
        month = Month.of(later.start)
        if later.team != row.team:
            checks.add(
                f"members[{later_place}] team",
                later.team,
                f"{row.team}, member {member_id}'s team on members[{place}] in {month}: "
                "a member changes team on the first day of a month (each month is paid "
                "by one team's goals)",
            )
        if monthly_bonus and later.target_bonus != row.target_bonus:
            checks.add(
                f"members[{later_place}] target_bonus",
                None if later.target_bonus is None else str(later.target_bonus),
                f"{row.target_bonus}, member {member_id}'s target bonus on members[{place}] "
                f"in {month}: a target bonus that funds individually changes on the first "
                "day of a month",
            )
    return len(checks.problems) == before


def _id_of(member: Member) -> str:
    return member.id


_salary_of = operator.attrgetter("salary")
_bonus_of = operator.attrgetter("target_bonus")


def _fits(currency: Currency, amount: Decimal) -> bool:
    """Whether ``amount`` has no more decimals than ``currency`` pays."""
    try:
        currency.to_minor(amount)
    except JointBonusError:
        return False
    return True
