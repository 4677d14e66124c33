"""The payment ledger under any sequence of restatements and closings.

A generator draws a history of a plan paid month after month: the weighted
plan of tests/plans.py (two teams with functional goals, a functional gate,
a monthly cap; its pool fixed at 2,000.00 a month, so that a restatement
changes only the months it touches) whose actuals are restated, whose leaver
changes her last day, and whose months are closed (or refused: out of order,
closed already, pending) in any order, with overpayments clawed back or
absorbed. After every step:

* **conservation**: for each closed month, member and part, what the ledger
  recorded plus every correction of it is what the current inputs pay, to
  the minor unit;
* **closed months never change**: what the ledger holds of a month closed
  earlier -- the record, the lines, the corrections it carried and the
  recoveries -- is what it held when the month closed, in the file and as a
  run shows it;
* **idempotence**: inputs as they were at the last close give no correction
  still due;
* **claw-back**: no member is paid less than zero with any month, and every
  overpayment is absorbed, deducted or still owed, carried month to month
  without a minor unit lost.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest
from hypothesis import event, given, note
from hypothesis import strategies as st

from jointbonus import D, Member, Month, MonthStatus, Plan, run
from jointbonus.sharedtarget.goals import MetricSpec
from jointbonus.sharedtarget.ledger import (
    LedgerError,
    LedgerRecords,
    LedgerSettings,
    RecordedLine,
    RunDigests,
    close_month,
    read_ledger,
    with_ledger,
)
from jointbonus.sharedtarget.plan import Overpayments
from jointbonus.sharedtarget.report.exports import payroll_csv
from jointbonus.sharedtarget.results import Correction, LineFigures, Result
from plans import weighted_plan
from strategies import examples

MONTHS = tuple(f"2026-{m:02d}" for m in range(1, 7))
#: Restated values: hits and misses of the shared target, of followup's and of leads's.
VALUES = {
    "shared": ("90", "96", "99", "100", "104", "112"),
    "followup": ("0.80", "0.90", "0.95", "1.0", "1.2"),
    "leads": ("40", "50", "60"),
}
#: The last days the sales member S3 may have: none, mid-month, a month's end.
LAST_DAYS = (None, date(2026, 3, 15), date(2026, 4, 30))


#: Restatements of the month closed last and of the one before (the first month while
#: none is): the restatements that make corrections, drawn as often as all the others.
LAST_CLOSED, EARLIER_CLOSED = -1, -2


@dataclass(frozen=True)
class Inputs:
    """The inputs of the plan at one step: every actual, and S3's last day."""

    shared: tuple[str, ...] = ("104", "94", "99", "112", "101", "100")
    followup: tuple[str | None, ...] = ("0.95", "0.99", "0.90", "1.0", "0.95", None)
    leads: tuple[str, ...] = ("52", "55", "49", "60", "50", "50")
    last_day: date | None = None

    def restated(self, part: str, month: int, value: str | None) -> Inputs:
        values = list(getattr(self, part))
        values[month] = value
        return Inputs(**{**self.__dict__, part: tuple(values)})

    def plan(self) -> Plan:
        members = [
            Member(m.id, m.team, m.start, self.last_day if m.id == "S3" else m.end, m.fte)
            for m in weighted_plan().members
        ]
        follow = {m: v for m, v in zip(MONTHS, self.followup, strict=True) if v is not None}
        return weighted_plan(
            scale="2000",
            members=members,
            actuals=dict(zip(MONTHS, self.shared, strict=True)),
            metrics=[
                MetricSpec("leads", targets=dict.fromkeys(MONTHS, "50"),
                           actuals=dict(zip(MONTHS, self.leads, strict=True))),
                MetricSpec("mqls", targets=dict.fromkeys(MONTHS, "20"),
                           actuals=dict.fromkeys(MONTHS, "21")),
                MetricSpec("followup", targets=dict.fromkeys(MONTHS, "0.9"), actuals=follow),
            ],
        )  # fmt: skip


@st.composite
def steps(draw: st.DrawFn) -> list[tuple[str, object]]:
    """Restatements of a month's actual, a changed last day, and attempts to close a month
    (``None``: the next one)."""
    found: list[tuple[str, object]] = []
    for _ in range(draw(st.integers(2, 14))):
        kind = draw(st.sampled_from(("restate", "restate", "close", "close", "close", "leave")))
        if kind == "restate":
            part = draw(st.sampled_from(sorted(VALUES)))
            month = draw(
                st.sampled_from((LAST_CLOSED, EARLIER_CLOSED) * 2 + tuple(range(len(MONTHS))))
            )
            value: str | None = draw(st.sampled_from(VALUES[part]))
            if part == "followup" and month == len(MONTHS) - 1 and draw(st.booleans()):
                value = None  # the last month waits for followup again
            found.append(("restate", (part, month, value)))
        elif kind == "leave":
            found.append(("leave", draw(st.sampled_from(LAST_DAYS))))
        else:  # mostly the next month to close; now and then any month, to be refused
            any_month = st.integers(0, len(MONTHS) - 1)
            found.append(("close", draw(st.one_of(st.just(None), st.just(None), any_month))))
    return found


def _digests(result: Result) -> RunDigests:
    del result
    return RunDigests("0.1.0", "d" * 64, "e" * 64, (("plan.toml", "f" * 64),))


@dataclass
class History:
    """A plan paid month after month: its ledger, its inputs now, and what was seen."""

    ledger: LedgerSettings
    inputs: Inputs = field(default_factory=Inputs)
    at_close: Inputs | None = None
    """The inputs when the last month closed."""
    snapshots: dict[Month, tuple[object, ...]] = field(default_factory=dict)
    """What the ledger held of each month when it closed."""
    paid: dict[Inputs, Result] = field(default_factory=dict)

    def result(self) -> Result:
        """The plan paid on the inputs now (each set of inputs paid once)."""
        if self.inputs not in self.paid:
            self.paid[self.inputs] = run(self.inputs.plan())
        return self.paid[self.inputs]

    def read(self) -> Result:
        return with_ledger(self.result(), self.ledger)

    def records(self) -> LedgerRecords:
        records = read_ledger(self.ledger)
        return records if records is not None else LedgerRecords("USD", 2, 1)

    def close(self, index: int) -> None:
        records = self.records()
        count = len(records.closed)
        month = Month.parse(MONTHS[index])
        pending = self.result().months[index].status is MonthStatus.PENDING
        before = self.ledger.path.read_bytes() if self.ledger.path.exists() else None
        if index != count or pending:
            reason = "already closed" if index < count else "cannot close"
            with pytest.raises(LedgerError, match=reason):
                close_month(self.ledger, self.result(), month, _digests)
            after = self.ledger.path.read_bytes() if self.ledger.path.exists() else None
            assert after == before, "a refused close wrote to the ledger"
            return
        close_month(self.ledger, self.result(), month, _digests, closed_at="2026-12-01T09:00:00Z")
        self.snapshots[month] = snapshot(self.records(), month)
        self.at_close = self.inputs

    def follow(self, steps: list[tuple[str, object]]) -> Iterator[None]:
        """Take the steps one by one; yields after each (a withdrawn closed actual is skipped)."""
        for kind, argument in steps:
            note(f"{kind} {argument}")
            if kind == "close":
                assert argument is None or isinstance(argument, int)
                following = len(self.records().closed)
                if argument is None and following == len(MONTHS):
                    continue
                self.close(following if argument is None else argument)
            elif kind == "leave":
                self.inputs = Inputs(**{**self.inputs.__dict__, "last_day": argument})
            else:
                part, month, value = argument  # type: ignore[misc]
                if month < 0:  # LAST_CLOSED or EARLIER_CLOSED
                    month = max(len(self.records().closed) + month, 0)
                if value is None and month < len(self.records().closed):
                    continue  # a closed month's actual can be restated, not withdrawn
                self.inputs = self.inputs.restated(part, month, value)
            yield


def snapshot(records: LedgerRecords, month: Month) -> tuple[object, ...]:
    """What the ledger holds of one closed month."""
    return (
        records.closing(month),
        dict(records.lines[month]),
        [c for c in records.corrections if c.carried_in == month],
        [r for r in records.recoveries if r.month == month],
    )


def histories() -> st.SearchStrategy[tuple[Overpayments, list[tuple[str, object]]]]:
    return st.tuples(st.sampled_from(Overpayments), steps())


def following(overpayments: Overpayments, drawn: list[tuple[str, object]]) -> Iterator[History]:
    """A fresh ledger in a scratch folder, and the history after each step."""
    with tempfile.TemporaryDirectory(prefix="ledger-") as scratch:
        ledger = LedgerSettings(
            Path(scratch) / "plan.ledger.sqlite", "plan.ledger.sqlite", overpayments
        )
        history = History(ledger)
        for _ in history.follow(drawn):
            yield history
            _events(history.read())


def _events(result: Result) -> None:
    """What a step came to, for ``--hypothesis-show-statistics``."""
    event(f"months closed: {len(result.ledger.closed) if result.ledger else 0}")
    if any(c.closed for c in result.corrections):
        event("a correction paid in a closed month")
    if any(not c.closed for c in result.corrections):
        event("a correction due")
    if len({(c.corrects, c.member_id) for c in result.corrections}) < len(result.corrections):
        event("a month corrected twice")
    if any(r.overpaid for r in result.recoveries):
        event("an overpayment")
    if any(r.deducted for r in result.recoveries):
        event("an overpayment deducted")
    if result.ledger is not None and result.ledger.outstanding:
        event("an overpayment still owed after the plan's months")


def _parts(line: RecordedLine | Correction | LineFigures) -> dict[str, int]:
    """A line, recorded or paid now, or a correction, part by part."""
    functional = {f"f_{metric}": amount for metric, amount in line.functional}
    return {
        "shared": line.shared,
        **functional,
        "capped": line.capped,
        "total": line.total,
        "held": line.held,
    }


def _add(into: dict[str, int], parts: dict[str, int]) -> None:
    for key, amount in parts.items():
        into[key] = into.get(key, 0) + amount


def overpaid_by(result: Result, member_id: str, carried_in: object = ...) -> int:
    """What the corrections of a member take back (those carried in ``carried_in``, if given)."""
    return sum(
        -c.paid_now
        for c in result.corrections
        if c.member_id == member_id
        and c.paid_now < 0
        and (carried_in is ... or c.carried_in == carried_in)
    )


# -- the properties -----------------------------------------------------------------------


@examples(2)
@given(histories())
def test_recorded_payments_and_corrections_add_up_to_what_the_inputs_pay(drawn):
    overpayments, steps = drawn
    for history in following(overpayments, steps):
        records = history.records()
        result = history.read()
        for position, closed in enumerate(records.closed):
            month_result = result.months[position]
            for at, member in zip(month_result.lines.of_member, result.plan.members, strict=True):
                now = month_result.lines.figures[at]
                recorded = records.lines[closed.month].get(member.id)
                was = _parts(recorded) if recorded is not None else {}
                for correction in result.corrections:
                    if (correction.corrects, correction.member_id) == (closed.month, member.id):
                        _add(was, _parts(correction))
                expected = _parts(now)
                found = {key: was.get(key, 0) for key in expected}
                assert not {k: v for k, v in was.items() if k not in expected and v}
                assert found == expected, (closed.month, member.id)


@examples(2)
@given(histories())
def test_a_closed_months_records_never_change(drawn):
    overpayments, steps = drawn
    for history in following(overpayments, steps):
        records = history.records()
        assert [c.month for c in records.closed] == list(history.snapshots)
        result = history.read()
        for month, seen in history.snapshots.items():
            assert snapshot(records, month) == seen, month
            closing, _, corrections, recoveries = seen
            assert result.ledger is not None
            assert closing in result.ledger.closed
            assert [c for c in result.corrections if c.carried_in == month] == corrections
            assert [r for r in result.recoveries if r.month == month] == recoveries


@examples(2)
@given(histories())
def test_a_rerun_with_unchanged_inputs_adds_no_correction(drawn):
    overpayments, steps = drawn
    for history in following(overpayments, steps):
        if history.at_close is None or history.inputs != history.at_close:
            continue
        first = history.read()
        assert [c for c in first.corrections if not c.closed] == []
        assert history.read() == first


@examples(2)
@given(histories())
def test_claw_back_never_takes_a_month_below_zero_and_loses_nothing(drawn):
    overpayments, steps = drawn
    for history in following(overpayments, steps):
        records = history.records()
        result = history.read()
        assert result.ledger is not None or not records.closed
        # What each member is paid with each month: closed months as recorded, then payroll.
        for closed in records.closed:
            for member_id, line in records.lines[closed.month].items():
                key = (closed.month, member_id)
                paid = line.paid_now
                paid += sum(
                    c.paid for c in records.corrections if (c.carried_in, c.member_id) == key
                )
                paid += sum(
                    r.adjustment for r in records.recoveries if (r.month, r.member_id) == key
                )
                assert paid >= 0, key
        rows: dict[tuple[str, str], int] = defaultdict(int)
        lines = payroll_csv(result).splitlines()
        header = lines[0].split(",")
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=True))
            rows[row["member_id"], row["period"]] += round(D(row["amount"]) * 100)
        assert all(amount >= 0 for amount in rows.values()), rows
        # Overpayments: each one arises from a correction, and every unit of it is accounted.
        left = result.ledger.outstanding if result.ledger is not None else ()
        outstanding = {o.member_id: o.amount for o in left}
        for member in result.plan.members:
            mine = [r for r in result.recoveries if r.member_id == member.id]
            carried = 0
            for recovery in mine:
                assert recovery.brought == carried, (member.id, recovery.month)
                assert recovery.brought + recovery.overpaid == (
                    recovery.absorbed + recovery.deducted + recovery.carried
                )
                assert min(recovery.deducted, recovery.carried, recovery.absorbed) >= 0
                taken = overpaid_by(result, member.id, recovery.month)
                assert recovery.overpaid == taken, (member.id, recovery.month)
                carried = recovery.carried
            assert outstanding.get(member.id, 0) == carried, member.id
            overpaid = overpaid_by(result, member.id)
            assert overpaid == sum(r.overpaid for r in mine)
            recovered = sum(r.absorbed for r in mine) + sum(r.deducted for r in mine)
            assert overpaid == recovered + outstanding.get(member.id, 0)
