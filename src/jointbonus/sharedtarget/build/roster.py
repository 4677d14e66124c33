"""The roster section of a plan: each member once, in a team of the plan, paid as it needs.

A plan that splits its pool by salary needs every member's salary; one that
funds individually, or splits by target bonus, every target bonus; and every
amount has at most the currency's decimals. Members' own values (an FTE in
(0, 1], an end on or after the start) were checked when each
:class:`~jointbonus.core.roster.Member` was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from jointbonus.core.money import Currency
from jointbonus.core.roster import Member
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
) -> None:
    """Check the members against the plan: ids once, teams known, the amounts it needs."""
    team_names = set(teams)
    if len(team_names) != len(teams):
        checks.add("teams", list(teams), "each team named once")
    ids: set[str] = set()
    payable: dict[Decimal, bool] = {}  # amount -> fits the currency; a roster repeats amounts
    for member in members:
        member_id = member.id
        if member_id in ids:
            checks.add("member id", member_id, "each member id once")
        ids.add(member_id)
        if team_names and member.team not in team_names:
            checks.add(f"member {member_id} team", member.team, f"one of {', '.join(teams)}")
        salary, bonus = member.salary, member.target_bonus
        if needs_salary and salary is None:
            checks.add(f"member {member_id} salary", None, "a salary (the pool splits by salary)")
        if needs_bonus and bonus is None:
            checks.add(
                f"member {member_id} target_bonus",
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
                    f"member {member_id} {label}",
                    str(amount),
                    f"at most {currency.minor_unit} decimals ({currency.code})",
                )


def _fits(currency: Currency, amount: Decimal) -> bool:
    """Whether ``amount`` has no more decimals than ``currency`` pays."""
    try:
        currency.to_minor(amount)
    except JointBonusError:
        return False
    return True
