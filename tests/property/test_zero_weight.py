"""Zero weight: whoever has no share of a month gets exactly nothing, and is told why."""

from __future__ import annotations

from hypothesis import given
from independent import days_active, eligible_weight, split_weight, units

from jointbonus import LineStatus, MonthStatus, run
from strategies import payable, plan_specs


@given(plan_specs())
def test_member_without_weight_in_a_month_gets_zero_with_a_reason(spec):
    plan = payable(spec).build()
    result = run(plan)
    members = {member.id: member for member in plan.members}
    for line in result.lines():
        if split_weight(plan, members[line.member_id], line.period) == 0:
            assert units(plan, line.shared) == 0
            assert units(plan, line.total) == 0
            assert line.reason.strip()


@given(plan_specs())
def test_every_zero_line_has_a_reason(spec):
    plan = payable(spec).build()
    result = run(plan)
    for line in result.lines():
        if units(plan, line.total) == 0:
            assert line.status is not LineStatus.PAID
            assert line.reason.strip()
        else:
            assert line.status is LineStatus.PAID


@given(plan_specs())
def test_pending_month_pays_nothing(spec):
    plan = payable(spec).build()
    result = run(plan)
    pending = {m.month for m in result.months if m.status is MonthStatus.PENDING}
    assert pending == {m.month for m in plan.months if m.actual is None}
    assert all(m.paid == 0 for m in result.months if m.month in pending)
    for line in result.lines():
        if line.period in pending:
            # pending for a member the actual can pay; one it cannot (not in the plan that
            # month, or a target bonus of 0) is owed nothing whatever the actual, and the
            # line says why
            assert line.status in (LineStatus.PENDING, LineStatus.ZERO)
            assert units(plan, line.total) == 0
            if line.status is LineStatus.PENDING:
                assert "pending" in line.reason
            else:
                assert line.weight == 0 or " is 0" in line.reason, line.reason


@given(plan_specs())
def test_line_weight_is_fte_times_days_active_over_days_in_the_month(spec):
    plan = payable(spec).build()
    result = run(plan)
    members = {member.id: member for member in plan.members}
    for line in result.lines():
        member = members[line.member_id]
        assert line.days == days_active(member, line.period)
        assert line.weight == eligible_weight(plan, member, line.period)
