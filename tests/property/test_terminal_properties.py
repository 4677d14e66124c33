"""What ``jointbonus run`` prints first adds up, and a pending line is one that may still pay.

For any plan (with now and then a holdback, so that leavers forfeit):

* the summary's teams earned, less what leavers forfeit, are the paid to
  date it prints, to the minor unit; it counts the months with actuals and
  the months pending as the result does, and names every pending month;
* a line is pending exactly when its month waits for an actual and its
  member is in the plan that month: a member who has left (or not yet
  started) is paid nothing whether or not the actual is in, and their line
  says why, never "pending".
"""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import given, note
from hypothesis import strategies as st

from jointbonus import LineStatus, MonthStatus, Result, build_plan, run
from jointbonus.core.periods import Month
from jointbonus.sharedtarget.report.summary import render_summary
from strategies import PlanSpec, examples, payable, plan_specs

#: A figure row of the summary: a label, two spaces or more, the figure.
FIGURE = re.compile(r"^\s*(?P<label>\S.*?)\s{2,}(?P<figure>\S+)")
#: A pending month or run of months, as the summary names them.
PENDING = re.compile(r"^  (?P<first>\d{4}-\d{2})(?: to (?P<last>\d{4}-\d{2}))?: ")


def paid(spec: PlanSpec, holdback: str) -> Result:
    return run(build_plan(**{**payable(spec).kwargs(), "holdback": holdback}))


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


@examples(2)
@given(plan_specs(max_members=12), st.sampled_from(["0", "0.1", "0.25"]))
def test_the_summary_adds_up_to_the_result(spec: PlanSpec, holdback: str) -> None:
    result = paid(spec, holdback)
    text = render_summary(result)
    note(text)
    figures: dict[str, list[str]] = {}
    for line in text.splitlines():
        if match := FIGURE.match(line):
            figures.setdefault(match["label"], []).append(match["figure"])
    code = result.plan.currency.code
    currency = result.plan.currency
    earned = sum(
        (amount(f[0]) for label, f in figures.items() if label.startswith("earned by ")),
        Decimal(0),
    )
    forfeited = amount(figures.get("less forfeited by leavers", ["0"])[0])
    total = amount(figures[f"Paid to date ({code})"][0])
    assert total == currency.from_minor(result.summary.paid_to_date)
    assert earned + forfeited == total
    with_actuals = next(line for line in text.splitlines() if line.startswith("Months with"))
    assert with_actuals.split()[-3:] == [str(result.summary.months_paid), "of",
                                        str(len(result.months))]  # fmt: skip
    assert figures["Months pending (an actual missing)"] == [f"{result.summary.months_pending}"]
    waiting = {m.month for m in result.months if m.status is MonthStatus.PENDING}
    named: set[Month] = set()
    for line in text.partition("\nPending: ")[2].partition("\n\n")[0].splitlines():
        if match := PENDING.match(line):
            first = Month.parse(match["first"])
            last = Month.parse(match["last"] or match["first"])
            while first <= last:
                named.add(first)
                first = first.shift(1)
    if len(waiting) <= 5:  # the summary names at most five runs of months
        assert named == waiting
    else:
        assert named <= waiting


@examples(2)
@given(plan_specs(max_members=12), st.sampled_from(["0", "0.1"]))
def test_a_line_is_pending_only_for_a_member_in_the_plan(spec: PlanSpec, holdback: str) -> None:
    result = paid(spec, holdback)
    for month in result.months:
        for figures in month.lines.figures:
            if figures.standing:  # out of the plan this month, or not paid for it
                assert figures.status is not LineStatus.PENDING
                assert figures.reason == figures.standing
                assert not figures.total
            elif month.status is MonthStatus.PENDING:
                assert figures.status is LineStatus.PENDING
                assert figures.reason.startswith("pending: ")
