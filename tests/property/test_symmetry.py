"""Symmetry: members with equal weights get shares within one minor unit."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import event, given
from independent import split_weight, units

from jointbonus import run
from strategies import payable, plan_specs


@given(plan_specs())
def test_equal_weights_get_shares_within_one_minor_unit(spec):
    plan = payable(spec).build()
    result = run(plan)
    members = {member.id: member for member in plan.members}
    amounts: defaultdict[object, list[int]] = defaultdict(list)
    for line in result.lines():
        weight = split_weight(plan, members[line.member_id], line.period)
        amounts[line.period, weight].append(units(plan, line.total))
    shared = [paid for paid in amounts.values() if len(paid) > 1]
    event(f"groups of equal weight in a month: {'some' if shared else 'none'}")
    for paid in shared:
        assert max(paid) - min(paid) <= 1
