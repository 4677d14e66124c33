"""The payment ledger: closing months, corrections of closed months, and overpayments.

Worked on the weighted plan of tests/plans.py (two teams with functional
goals, a functional gate at 95%, a cap of 380.00 a month) with its pool
fixed, so that a restatement changes only the months it touches: 2026-01
to 2026-04 have every actual, 2026-05 lacks followup's, 2026-06 has none.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from jointbonus import D, Member, Month, MonthStatus, Plan, run
from jointbonus.sharedtarget.goals import MetricSpec
from jointbonus.sharedtarget.ledger import (
    LEDGER_VERSION,
    LedgerError,
    LedgerSettings,
    RunDigests,
    close_month,
    read_ledger,
    store,
    with_ledger,
)
from jointbonus.sharedtarget.plan import Overpayments
from jointbonus.sharedtarget.report.exports import payroll_csv
from jointbonus.sharedtarget.results import Result
from plans import hand_plan, weighted_plan

MONTHS = [f"2026-{m:02d}" for m in range(1, 7)]
ACTUALS = {"2026-01": "104", "2026-02": "94", "2026-03": "99", "2026-04": "112", "2026-05": "101"}
LEADS = {"2026-01": "52", "2026-02": "55", "2026-03": "49", "2026-04": "60", "2026-05": "50"}
MQLS = {"2026-01": "19", "2026-02": "22", "2026-03": "21", "2026-04": "25", "2026-05": "20"}
FOLLOWUP = {"2026-01": "0.95", "2026-02": "0.99", "2026-03": "0.90", "2026-04": "1.0"}


def plan(
    shared: dict[str, str] | None = None,
    *,
    followup: dict[str, str] | None = None,
    leads: dict[str, str] | None = None,
    mqls: dict[str, str] | None = None,
    **overrides: object,
) -> Plan:
    """The weighted plan with a fixed pool of 2,000.00 a month and these actuals restated."""
    return weighted_plan(
        scale="2000",
        actuals={**ACTUALS, **(shared or {})},
        metrics=[
            MetricSpec("leads", targets=dict.fromkeys(MONTHS, "50"),
                       actuals={**LEADS, **(leads or {})}),
            MetricSpec("mqls", targets=dict.fromkeys(MONTHS, "20"),
                       actuals={**MQLS, **(mqls or {})}),
            MetricSpec("followup", targets=dict.fromkeys(MONTHS, "0.9"),
                       actuals={**FOLLOWUP, **(followup or {})}),
        ],
        **overrides,
    )  # fmt: skip


def digests(result: Result) -> RunDigests:
    del result
    return RunDigests("0.1.0", "a" * 64, "b" * 64, (("data/roster.csv", "c" * 64),))


@pytest.fixture
def ledger(tmp_path: Path) -> LedgerSettings:
    return LedgerSettings(tmp_path / "plan.ledger.sqlite", "plan.ledger.sqlite")


def close(ledger: LedgerSettings, paid: Plan, *months: str) -> None:
    for month in months:
        close_month(ledger, run(paid), month, digests, closed_at="2026-12-01T09:00:00Z")


def parts(result: Result, index: int, member_id: str) -> dict[str, int]:
    """A member's line of the month at ``index``, part by part."""
    position = [m.id for m in result.plan.members].index(member_id)
    figures = result.months[index].lines[position]
    return {
        "shared": figures.shared,
        **{f"functional_{m}": a for m, a in figures.functional},
        "capped": figures.capped,
        "total": figures.total,
        "held": figures.held,
    }


# -- closing -------------------------------------------------------------------------------


def test_a_closed_month_records_every_members_line_part_by_part(
    ledger: LedgerSettings,
) -> None:
    paid = plan()
    close(ledger, paid, "2026-01")
    records = read_ledger(ledger)
    assert records is not None
    assert records.version == LEDGER_VERSION
    assert (records.currency, records.minor_unit) == ("USD", 2)
    [closed] = records.closed
    assert (closed.month, closed.results_digest, closed.inputs) == (
        Month(2026, 1),
        "a" * 64,
        (("data/roster.csv", "c" * 64),),
    )
    result = run(paid)
    lines = records.lines[Month(2026, 1)]
    assert list(lines) == [m.id for m in paid.members]
    for member_id, line in lines.items():
        recorded = {
            "shared": line.shared,
            **{f"functional_{m}": a for m, a in line.functional},
            "capped": line.capped,
            "total": line.total,
            "held": line.held,
        }
        assert recorded == parts(result, 0, member_id)
    assert closed.paid == result.months[0].paid


def test_closing_refuses_a_pending_month_and_writes_nothing(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03", "2026-04")
    before = ledger.path.read_bytes()
    with pytest.raises(LedgerError, match=r"2026-05 cannot close: pending: no actual"):
        close(ledger, plan(), "2026-05")
    assert ledger.path.read_bytes() == before


def test_a_refused_first_close_leaves_no_ledger_behind(ledger: LedgerSettings) -> None:
    with pytest.raises(LedgerError, match="2026-02 cannot close before 2026-01"):
        close(ledger, plan(), "2026-02")
    assert list(ledger.path.parent.iterdir()) == []


def test_closing_refuses_a_closed_month_and_months_out_of_order(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01")
    with pytest.raises(LedgerError, match="2026-01 is already closed"):
        close(ledger, plan(), "2026-01")
    with pytest.raises(LedgerError, match="months close in plan order, and 2026-02 is the next"):
        close(ledger, plan(), "2026-03")


@pytest.mark.parametrize("month", ["2025-12", "2026-07", "2026-13", "June"])
def test_closing_refuses_a_month_the_plan_does_not_have(ledger: LedgerSettings, month: str) -> None:
    with pytest.raises(LedgerError, match=r"expected a month of the plan, written YYYY-MM"):
        close(ledger, plan(), month)
    assert not ledger.path.exists()


# -- corrections ---------------------------------------------------------------------------


def test_a_plan_without_closed_months_is_its_result_unchanged(ledger: LedgerSettings) -> None:
    result = run(plan())
    assert with_ledger(result, ledger) is result
    assert result.ledger is None
    assert result.corrections == result.recoveries == ()


def test_a_rerun_with_unchanged_inputs_carries_no_correction(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01", "2026-02")
    result = with_ledger(run(plan()), ledger)
    assert result.ledger is not None
    assert result.ledger.first_open == Month(2026, 3)
    assert result.corrections == result.recoveries == ()


def test_a_restated_month_is_corrected_member_by_member_and_part_by_part(
    ledger: LedgerSettings,
) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03")
    records = read_ledger(ledger)
    assert records is not None
    restated = plan({"2026-02": "104"})  # a miss, closed by the gate, becomes a hit
    result = with_ledger(run(restated), ledger)
    assert {c.corrects for c in result.corrections} == {Month(2026, 2)}
    assert {c.carried_in for c in result.corrections} == {Month(2026, 4)}
    assert result.months[3].corrections == result.corrections
    for correction in result.corrections:
        line = records.lines[Month(2026, 2)][correction.member_id]
        now = parts(result, 1, correction.member_id)
        assert line.shared + correction.shared == now["shared"]
        assert line.capped + correction.capped == now["capped"]
        assert line.total + correction.total == now["total"] == correction.now
        assert correction.was == line.total
        for (metric, was), (same, change) in zip(
            line.functional, correction.functional, strict=True
        ):
            assert metric == same
            assert was + change == now[f"functional_{metric}"]


def test_a_months_corrections_add_up_to_the_change_in_what_it_paid(
    ledger: LedgerSettings,
) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03")
    was_paid = run(plan()).months[2].paid
    result = with_ledger(run(plan({"2026-03": "120"})), ledger)
    assert sum(c.total for c in result.corrections) == result.months[2].paid - was_paid != 0


def test_corrections_carried_in_a_closed_month_are_recorded_and_never_carried_again(
    ledger: LedgerSettings,
) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03")
    restated = plan({"2026-02": "104"})
    due = with_ledger(run(restated), ledger).corrections
    close(ledger, restated, "2026-04")
    result = with_ledger(run(restated), ledger)
    assert all(c.closed for c in result.corrections)
    assert [c.total for c in result.corrections] == [c.total for c in due]
    assert {c.carried_in for c in result.corrections} == {Month(2026, 4)}


def test_a_second_restatement_corrects_only_what_is_still_different(
    ledger: LedgerSettings,
) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03")
    close(ledger, plan({"2026-02": "104"}), "2026-04")
    back = plan({"2026-02": "94"})  # restated back to what was first paid
    result = with_ledger(run(back), ledger)
    due = [c for c in result.corrections if not c.closed]
    paid = {c.member_id: c.total for c in result.corrections if c.closed}
    assert due
    assert {c.member_id: -c.total for c in due} == paid
    assert all(c.now == c.was + c.total for c in due)
    assert all(c.carried_in == Month(2026, 5) for c in due)


def test_a_member_added_after_a_close_was_paid_nothing_for_it(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01")
    members = [*plan().members, Member("S4", "sales", date(2025, 6, 1), None, D("1"))]
    result = with_ledger(run(plan(members=members)), ledger)
    late = [c for c in result.corrections if c.member_id == "S4"]
    assert late
    assert all(c.was == 0 and c.corrects == Month(2026, 1) for c in late)


# -- overpayments ----------------------------------------------------------------------------


def payments(result: Result) -> dict[tuple[str, str], list[int]]:
    """What payroll.csv pays each member each month, row by row."""
    rows: dict[tuple[str, str], list[int]] = defaultdict(list)
    lines = payroll_csv(result).splitlines()
    header = lines[0].split(",")
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=True))
        rows[row["member_id"], row["period"]].append(round(D(row["amount"]) * 100))
    return rows


def test_an_overpayment_waits_for_a_month_that_pays(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03", "2026-04")
    # April restated from a hit at 112% to 96%: the shared part it paid is overpaid.
    result = with_ledger(run(plan({"2026-04": "96"})), ledger)
    assert result.months[4].status is MonthStatus.PENDING  # May waits for followup
    assert result.ledger is not None
    assert {r.month for r in result.recoveries} == {Month(2026, 5)}
    for recovery in result.recoveries:
        assert recovery.deducted == 0  # a pending month pays nothing: nothing to deduct from
        assert recovery.carried == recovery.overpaid > 0
    owed = {o.member_id: o.amount for o in result.ledger.outstanding}
    assert owed == {r.member_id: r.carried for r in result.recoveries}
    assert not any(o.owed_by_leaver for o in result.ledger.outstanding)


def test_what_a_month_cannot_bear_is_carried_to_the_next_payments(
    ledger: LedgerSettings,
) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03", "2026-04")
    # April's hit becomes a miss; in May sales miss followup too (nothing to deduct from),
    # June pays everybody.
    restated = plan(
        {"2026-04": "96", "2026-05": "96", "2026-06": "104"},
        followup={"2026-05": "0.80", "2026-06": "0.95"},
        leads={"2026-06": "50"},
        mqls={"2026-06": "20"},
    )
    result = with_ledger(run(restated), ledger)
    assert result.months[5].status is MonthStatus.PAID
    for recovery in result.recoveries:
        assert recovery.brought + recovery.overpaid == (
            recovery.absorbed + recovery.deducted + recovery.carried
        )
    may = {r.member_id: r for r in result.recoveries if r.month == Month(2026, 5)}
    june = {r.member_id: r for r in result.recoveries if r.month == Month(2026, 6)}
    for member_id in ("S1", "S2", "S3"):  # sales's May pays nothing
        assert may[member_id].deducted == 0
        assert may[member_id].carried == may[member_id].overpaid > 0
    for member_id, deferred in may.items():
        if deferred.carried:
            assert june[member_id].brought == deferred.carried
            assert june[member_id].deducted > 0
    for (member_id, period), rows in payments(result).items():
        assert sum(rows) >= 0, (member_id, period)


def test_a_leaver_who_still_owes_is_reported(ledger: LedgerSettings) -> None:
    members = [
        Member(m.id, m.team, m.start, date(2026, 4, 30) if m.id == "S3" else m.end, m.fte)
        for m in plan().members
    ]
    close(ledger, plan(members=members), "2026-01", "2026-02", "2026-03", "2026-04")
    restated = plan({"2026-04": "96", "2026-05": "104"}, followup={"2026-05": "0.95"},
                    members=members)  # fmt: skip
    result = with_ledger(run(restated), ledger)
    assert result.ledger is not None
    [owed] = [o for o in result.ledger.outstanding if o.owed_by_leaver]
    assert (owed.member_id, owed.left) == ("S3", date(2026, 4, 30))
    overpaid = sum(r.overpaid for r in result.recoveries if r.member_id == "S3")
    assert owed.amount == overpaid > 0
    assert all(o.member_id == "S3" for o in result.ledger.outstanding)


def test_an_absorbed_overpayment_is_reported_and_never_deducted(tmp_path: Path) -> None:
    ledger = LedgerSettings(tmp_path / "l.sqlite", "l.sqlite", Overpayments.ABSORBED)
    close(ledger, plan(), "2026-01", "2026-02", "2026-03", "2026-04")
    restated = plan({"2026-04": "96", "2026-05": "104"}, followup={"2026-05": "0.95"})
    result = with_ledger(run(restated), ledger)
    assert result.ledger is not None
    assert result.ledger.outstanding == ()
    taken = [c for c in result.corrections if c.paid_now < 0]
    assert taken
    assert all(c.paid == 0 for c in taken)
    assert sum(r.absorbed for r in result.recoveries) == -sum(c.paid_now for c in taken)
    assert all(r.deducted == 0 for r in result.recoveries)
    close(ledger, restated, "2026-05")
    records = read_ledger(ledger)
    assert records is not None
    assert [r.absorbed for r in records.recoveries] == [r.absorbed for r in result.recoveries]


def test_payroll_pays_each_member_their_line_corrections_and_clawback(
    ledger: LedgerSettings,
) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03")
    restated = plan({"2026-02": "104", "2026-03": "90"})
    result = with_ledger(run(restated), ledger)
    rows = payments(result)
    april = 3
    for position, member in enumerate(result.plan.members):
        line = result.months[april].lines[position]
        mine = [c for c in result.corrections if c.member_id == member.id]
        deducted = sum(r.deducted for r in result.recoveries if r.member_id == member.id)
        gains = sum(c.paid for c in mine if c.paid > 0)
        expected = line.total - line.held + gains - deducted
        assert sum(rows[member.id, "2026-04"]) == expected >= 0


def test_payroll_pays_a_closed_month_as_it_was_paid_and_its_correction_once(
    ledger: LedgerSettings,
) -> None:
    close(ledger, plan(), "2026-01", "2026-02", "2026-03")
    first = run(plan())
    restated = plan({"2026-02": "104"})  # February's miss becomes a hit
    result = with_ledger(run(restated), ledger)
    rows = payments(result)
    for position, member in enumerate(result.plan.members):
        was = first.months[1].lines[position]
        assert sum(rows.get((member.id, "2026-02"), [])) == was.total - was.held
        now = run(restated).months[1].lines[position]
        assert sum(c.paid for c in result.corrections if c.member_id == member.id) == (
            now.total - now.held - (was.total - was.held)
        )
    header = payroll_csv(result).splitlines()[0].split(",")
    closed = {"2026-01": 0, "2026-02": 1, "2026-03": 2}
    paid_then = [
        row
        for row in (
            dict(zip(header, line.split(","), strict=True))
            for line in payroll_csv(result).splitlines()[1:]
        )
        if row["kind"] == "pay" and row["period"] in closed
    ]
    assert paid_then  # February's miss paid nothing; January and March did
    for row in paid_then:  # the parts of the row are the parts paid then
        position = [m.id for m in result.plan.members].index(row["member_id"])
        month = first.months[closed[row["period"]]]
        assert round(D(row["shared"]) * 100) == month.lines[position].shared
    paid_in_all = sum(sum(amounts) for amounts in payments(result).values())
    assert paid_in_all == sum(sum(amounts) for amounts in payments(run(restated)).values())


# -- the file ---------------------------------------------------------------------------------


def test_closed_months_never_change_in_the_database(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01")
    connection = sqlite3.connect(ledger.path)
    try:
        for statement in (
            "UPDATE payments SET total = 0",
            "DELETE FROM closed_months",
            "UPDATE closed_months SET paid = 1",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="a closed month never changes"):
                connection.execute(statement)
    finally:
        connection.close()


def test_a_newer_format_is_refused(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01")
    with sqlite3.connect(ledger.path) as connection:
        connection.execute("UPDATE ledger_version SET version = 99")
    connection.close()
    with pytest.raises(LedgerError, match=r"format 99, written by a newer jointbonus"):
        read_ledger(ledger)
    with pytest.raises(LedgerError, match=r"format 99"):
        close(ledger, plan(), "2026-02")


def test_an_older_format_is_brought_up_to_date_by_the_migration_hook(
    ledger: LedgerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    close(ledger, plan(), "2026-01")
    steps: list[int] = []

    def step(connection: sqlite3.Connection) -> None:
        steps.append(1)
        connection.execute("CREATE TABLE notes (note TEXT)")

    now = LEDGER_VERSION
    monkeypatch.setattr(store, "LEDGER_VERSION", now + 1)
    monkeypatch.setattr(store, "MIGRATIONS", {now: step})
    records = read_ledger(ledger)  # migrates a copy in memory; the file stays as it is
    assert records is not None
    assert records.closed_months == (Month(2026, 1),)
    assert _format(ledger.path) == now
    close(ledger, plan(), "2026-02")
    assert _format(ledger.path) == now + 1
    assert steps == [1, 1]


def test_a_format_no_migration_reaches_is_refused(
    ledger: LedgerSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    close(ledger, plan(), "2026-01")
    now = LEDGER_VERSION
    monkeypatch.setattr(store, "LEDGER_VERSION", now + 1)
    monkeypatch.setattr(store, "MIGRATIONS", {})
    with pytest.raises(LedgerError, match=rf"format {now}, which jointbonus .* cannot bring up"):
        close(ledger, plan(), "2026-02")
    monkeypatch.undo()
    assert _format(ledger.path) == now


def test_a_format_1_ledger_gains_the_settlements_table(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01")
    with sqlite3.connect(ledger.path) as connection:  # as format 1 made it: no settlements
        connection.execute("DROP TRIGGER settlements_update_refused")
        connection.execute("DROP TRIGGER settlements_delete_refused")
        connection.execute("DROP TABLE settlements")
        connection.execute("UPDATE ledger_version SET version = 1")
    connection.close()
    records = read_ledger(ledger)
    assert records is not None
    assert (records.version, records.settlements) == (1, ())
    close(ledger, plan(), "2026-02")
    assert _format(ledger.path) == LEDGER_VERSION == 2
    connection = sqlite3.connect(ledger.path)
    try:
        triggers = {
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
                ("settlements",),
            )
        }
    finally:
        connection.close()
    assert triggers == {"settlements_update_refused", "settlements_delete_refused"}


def _format(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        version: int = connection.execute("SELECT version FROM ledger_version").fetchone()[0]
    finally:
        connection.close()
    return version


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"month,target\n2026-01,1\n", "not an SQLite database"),
        (b"", "an empty file, not a jointbonus ledger"),
    ],
    ids=["csv", "empty"],
)
def test_a_file_that_is_no_ledger_is_refused(
    ledger: LedgerSettings, content: bytes, expected: str
) -> None:
    ledger.path.write_bytes(content)
    with pytest.raises(LedgerError, match=expected):
        read_ledger(ledger)
    with pytest.raises(LedgerError, match=expected):
        close(ledger, plan(), "2026-01")
    assert ledger.path.read_bytes() == content


def test_an_sqlite_database_that_is_no_ledger_is_refused(ledger: LedgerSettings) -> None:
    with sqlite3.connect(ledger.path) as connection:
        connection.execute("CREATE TABLE people (name TEXT)")
    connection.close()
    with pytest.raises(LedgerError, match="an SQLite database, but not a jointbonus ledger"):
        read_ledger(ledger)


def test_a_folder_is_no_ledger(ledger: LedgerSettings) -> None:
    ledger.path.mkdir()
    with pytest.raises(LedgerError, match="a folder, not a ledger file"):
        read_ledger(ledger)


def test_members_whose_ids_changed_after_a_close_are_refused(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01", "2026-02")
    renamed = [
        Member("S-1" if m.id == "S1" else m.id, m.team, m.start, m.end, m.fte)
        for m in plan().members
    ]
    with pytest.raises(
        LedgerError,
        match=r"1 member paid in closed months is not in the plan: S1 \(paid for "
        r"2026-01 to 2026-02\); a member's id must not change",
    ):
        with_ledger(run(plan(members=renamed)), ledger)


def test_a_ledger_of_another_currency_is_refused(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01")
    with pytest.raises(LedgerError, match=r"the ledger pays in USD \(2 decimals\), the plan "):
        with_ledger(run(plan(currency="EUR")), ledger)


def test_a_closed_months_actual_cannot_be_withdrawn(ledger: LedgerSettings) -> None:
    close(ledger, plan(), "2026-01", "2026-02")
    withdrawn = weighted_plan(scale="2000", actuals={"2026-01": "104"})
    with pytest.raises(LedgerError, match="2026-02 is closed but has no actual now"):
        with_ledger(run(withdrawn), ledger)


def test_a_plan_that_moved_its_months_is_refused(tmp_path: Path) -> None:
    ledger = LedgerSettings(tmp_path / "l.sqlite", "l.sqlite")
    close(ledger, hand_plan({"2026-01": "120"}, scale="100"), "2026-01")
    moved = hand_plan(
        {"2026-02": "120"}, scale="100", start="2026-02", targets={"2026-02": "99", "2026-03": "99"}
    )
    with pytest.raises(LedgerError, match="the ledger has closed 2026-01, but the plan's month 1"):
        with_ledger(run(moved), ledger)
