"""Monthly advances on a quarter's or plan year's pay, trued up at its end.

Checked from the outside. The rule is worked out again from its plain
statement: the period's pay at the running attainment (the period's actuals
to date over its targets to date) and at the floor attainment (the actuals
to date over all its targets, the months to come at zero) are each read from
the engine paying the period with its months rewritten to that attainment;
the advance pool to date is ``round(advance x months elapsed / months in the
period x their sum)`` split by largest remainder among the members active so
far; a member's advance to date is the smaller of their part and the units
their pay group is sure of at the floor attainment; a month pays the advance
to date less what was advanced before, never below zero.
"""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import assume, given, note
from hypothesis import strategies as st
from independent import detached, split_weight, units
from period_replay import PeriodSpec, period_specs

from jointbonus import (
    Calibration,
    MonthStatus,
    Plan,
    Result,
    calibrate,
    pay,
)
from jointbonus.core.curves import LinearCurve
from jointbonus.core.money import allocate
from jointbonus.core.number import round_half_up
from jointbonus.sharedtarget.report.exports import payroll_csv, payroll_rows
from jointbonus.sharedtarget.results import ADVANCE, TRUE_UP
from strategies import examples

#: A curve that pays from the first unit sold, so that the floor attainment pays and
#: advances are made; drawn alongside the generated plan's own curve.
FROM_ZERO = LinearCurve([(Fraction(0), Fraction(0)), (Fraction(3, 2), Fraction(2))])


@st.composite
def advancing(draw: st.DrawFn, movers: bool = False) -> tuple[PeriodSpec, Plan, Calibration]:
    """A plan of whole quarters or plan years with ``advance``, each month's actual drawn
    between 0 and 3 x its target (the last months possibly pending), calibrated; with
    ``movers``, members whose standing changes on any day."""
    period = draw(period_specs(movers=movers))
    plan, calibration = period.payable()
    share = Fraction(draw(st.integers(1, 20)), 20)
    curve = plan.curve if draw(st.booleans()) else FROM_ZERO
    known = draw(st.integers(1, len(plan.months)))
    months = tuple(
        replace(
            m,
            actual=Decimal(draw(st.integers(0, 300), label="percent") * round(m.target)) / 100
            if j < known
            else None,
        )
        for j, m in enumerate(plan.months)
    )
    plan = replace(plan, months=months, advance=share, curve=curve)
    note(f"advance {share}, {period.length.value}, {known} of {len(months)} months known")
    # Paid at the drawn plan's scale under another curve, and (in _pay_at) other targets:
    # the calibration's terms alone, or it would refuse a plan it was not made for.
    return period, plan, detached(calibration)


def _member_totals(plan: Plan, result: Result, index: int) -> list[int]:
    """Each member's pay in plan month ``index`` before any advances, by place in
    ``plan.members``: the line's total, and on a true-up line the advances it deducts."""
    month = result.months[index]
    lines = month.lines
    figures = [lines.figures[lines.of_member[p]] for p in range(len(plan.members))]
    return [f.total + f.advanced for f in figures]


def _pay_at(
    plan: Plan, calibration: Calibration, first: int, last: int, attainment: Fraction
) -> Result:
    """``plan`` paid with the period ``first..last`` at ``attainment``: its whole actual
    in its first month against half its target, the other months at zero."""
    months = list(plan.months)
    size = last - first + 1
    top, bottom = attainment.numerator, attainment.denominator
    for k in range(size):
        if k == 0:
            target, actual = Fraction(bottom, 2), Decimal(top)
        else:
            target, actual = Fraction(bottom, 2 * (size - 1)), Decimal(0)
        months[first + k] = replace(months[first + k], target=target, actual=actual)
    return pay(replace(plan, months=tuple(months), advance=None), calibration)


def _expected_to_date(
    plan: Plan, calibration: Calibration, first: int, last: int, index: int
) -> list[int]:
    """Each member's advance to date after plan month ``index``, by the plain statement."""
    elapsed = plan.months[first : index + 1]
    actual = sum((Fraction(m.actual or 0) for m in elapsed), Fraction(0))
    running = actual / sum((m.target for m in elapsed), Fraction(0))
    floor = actual / sum((m.target for m in plan.months[first : last + 1]), Fraction(0))
    at_running = _member_totals(plan, _pay_at(plan, calibration, first, last, running), last)
    active = [
        any(split_weight(plan, member, plan.months[j].month) for j in range(first, index + 1))
        for member in plan.members
    ]
    weights = [p if on else 0 for p, on in zip(at_running, active, strict=True)]
    assert plan.advance is not None
    share = plan.advance * Fraction(index - first + 1, last - first + 1)
    pool = round_half_up(share * sum(weights))
    parts = allocate(pool, weights) if pool else [0] * len(weights)
    at_floor = _pay_at(plan, calibration, first, last, floor)
    sure = _member_totals(plan, at_floor, last)
    split = at_floor.months[last].splits
    if split:  # without the leftover unit a largest-remainder split may hand a member
        shared = split[0]
        for share_of, positions in zip(shared.shares, shared.positions, strict=True):
            for position in positions:
                sure[position] = min(sure[position], share_of.base)
    return [min(part, bound) for part, bound in zip(parts, sure, strict=True)]


def _periods(plan: Plan) -> list[tuple[int, int]]:
    return [(p.first, p.last) for p in plan.periods]


@examples(3)
@given(advancing())
def test_each_months_advance_follows_the_rule(drawn):
    _, plan, calibration = drawn
    result = pay(plan, calibration)
    for first, last in _periods(plan):
        paid = [0] * len(plan.members)
        for index in range(first, last):
            month = result.months[index]
            if month.status is MonthStatus.PENDING:
                assert month.advances == ()
                break
            to_date = _expected_to_date(plan, calibration, first, last, index)
            expected = [max(0, a - p) for a, p in zip(to_date, paid, strict=True)]
            assert list(month.advances) == expected
            paid = [p + e for p, e in zip(paid, expected, strict=True)]


@examples(2)
@given(advancing())
def test_advances_and_true_up_are_the_periods_pay_and_never_negative(drawn):
    _, plan, calibration = drawn
    result = pay(plan, calibration)
    for first, last in _periods(plan):
        advanced = [0] * len(plan.members)
        for index in range(first, last):
            month = result.months[index]
            assert month.paid == 0
            if month.status is MonthStatus.PAID:
                assert all(a >= 0 for a in month.advances)
                assert month.advance == sum(month.advances)
                advanced = [a + m for a, m in zip(advanced, month.advances, strict=True)]
            # Safe: however the period ends, what was advanced so far is paid at its end:
            # with the months still to come at zero, the period pays at least as much.
            if month.status is MonthStatus.PAID and any(advanced):
                rest = tuple(
                    replace(m, actual=Decimal(0)) if index < j <= last else m
                    for j, m in enumerate(plan.months)
                )
                worst = pay(replace(plan, months=rest), calibration)
                totals = _member_totals(plan, worst, last)
                assert all(a <= t for a, t in zip(advanced, totals, strict=True))
        end = result.months[last]
        if end.status is MonthStatus.PENDING:
            assert end.advanced == ()
            continue
        pay_of = _member_totals(plan, result, last)
        assert list(end.advanced) == advanced
        for member, paid_in, owed in zip(plan.members, advanced, pay_of, strict=True):
            note(f"{member.id}: advanced {paid_in}, period pay {owed}")
            assert owed - paid_in >= 0  # the true-up
        assert end.true_up == end.paid - sum(advanced) >= 0
        assert units(plan, Decimal(sum(pay_of)) / plan.currency.scale) == end.paid


@examples(3)
@given(advancing())
def test_advances_change_neither_calibration_nor_what_a_period_pays(drawn):
    _, plan, _ = drawn
    without = replace(plan, advance=None)
    assert calibrate(plan) == calibrate(without)
    calibration = calibrate(without)
    paid_with = pay(plan, calibration)
    paid_without = pay(without, calibration)
    assert [m.paid for m in paid_with.months] == [m.paid for m in paid_without.months]
    assert paid_with.summary == paid_without.summary
    # The lines pay the same, earlier: a period's lines add up, member by member, to what
    # the month that ends it pays without advances.
    for first, last in _periods(plan):
        if paid_with.months[last].status is MonthStatus.PENDING:
            continue
        assert _period_lines(plan, paid_with, first, last) == _member_totals(
            plan, paid_without, last
        )


def _period_lines(plan: Plan, result: Result, first: int, last: int) -> list[int]:
    """Each member's line totals over the months ``first..last``, summed."""
    summed = [0] * len(plan.members)
    for index in range(first, last + 1):
        lines = result.months[index].lines
        for position in range(len(plan.members)):
            summed[position] += lines[position].total
    return summed


@examples(3)
@given(advancing(), st.integers(1, 100))
def test_a_higher_actual_never_lowers_the_advance_to_date(drawn, more):
    _, plan, calibration = drawn
    inside = [
        j
        for first, last in _periods(plan)
        for j in range(first, last)
        if plan.months[j].actual is not None
    ]
    assume(inside)
    index = inside[len(inside) // 2]
    raised = list(plan.months)
    raised[index] = replace(raised[index], actual=Decimal(more) + (raised[index].actual or 0))
    first = next(f for f, last in _periods(plan) if f <= index <= last)

    def to_date(months: tuple[object, ...]) -> list[int]:
        result = pay(replace(plan, months=months), calibration)
        advances = [result.months[j].advances for j in range(first, index + 1)]
        return [sum(member) for member in zip(*advances, strict=True)]

    before, after = to_date(plan.months), to_date(tuple(raised))
    note(f"month {index}: advanced to date {before}, with {more} more sold {after}")
    # Largest remainder can move the one leftover unit of a split from a member to
    # another as the pool grows: never more. (Strictly never lower does not hold.)
    assert all(a >= b - 1 for a, b in zip(after, before, strict=True))


@examples(2)
@given(advancing())
def test_payroll_pays_each_member_the_periods_pay_over_its_months(drawn):
    _, plan, calibration = drawn
    result = pay(plan, calibration)
    whole = pay(replace(plan, advance=None), calibration)
    paid: dict[tuple[str, str], Decimal] = {}
    for row in csv.DictReader(io.StringIO(payroll_csv(result))):
        assert row["kind"] in {ADVANCE, TRUE_UP}
        key = (row["member_id"], row["period"])
        paid[key] = paid.get(key, Decimal(0)) + Decimal(row["amount"])
    # payroll_rows, for a program that pays from Python, pays the same rows.
    rows = {
        (member_id, period): amount for member_id, _, period, _, _, amount in payroll_rows(result)
    }
    assert rows == paid
    for first, last in _periods(plan):
        if result.months[last].status is MonthStatus.PENDING:
            continue
        months = {str(m.month) for m in plan.months[first : last + 1]}
        owed = _member_totals(plan, whole, last)
        for member, units_owed in zip(plan.members, owed, strict=True):
            got = sum(
                (a for (who, p), a in paid.items() if who == member.id and p in months), Decimal(0)
            )
            note(f"{member.id}: payroll {got}, period pay {units_owed}")
            assert plan.currency.to_minor(got) == units_owed
