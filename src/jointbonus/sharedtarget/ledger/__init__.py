"""The payment ledger: months closed as paid, and the corrections of their changes.

A plan is run every month and payroll pays what the run says. Closing a month
(:func:`close_month`, ``jointbonus close PLAN --month YYYY-MM``) records in
the plan's ledger -- an SQLite file beside the plan, named by the plan's
``[ledger]`` section -- what each member was paid for it, part by part, with
the digests of the run that paid it. A closed month never changes. When its
inputs change later, the next run works out what the month pays now, and
carries the difference, member by member and part by part, as a correction in
the first open month (:func:`apply_ledger`); an overpayment is clawed back
from the member's next payments or absorbed, as the plan says.

The package, from the bottom up:

* :mod:`.records`: what the ledger holds, as plain values;
* :mod:`.corrections`: corrections and recoveries, worked out from a result
  and the records (the one place they are made);
* :mod:`.store`: the SQLite file: its tables, format and migrations, and
  the transactions that read and write it;
* :mod:`.book`: closing a month; a result read against its ledger.

The engine and the pay rule know nothing of the ledger: it reads results.
"""

from __future__ import annotations

from jointbonus.sharedtarget.ledger.book import (
    close_month,
    month_close,
    plan_month,
    read_ledger,
    with_ledger,
)
from jointbonus.sharedtarget.ledger.corrections import apply_ledger, check_ledger
from jointbonus.sharedtarget.ledger.records import (
    LedgerBusyError,
    LedgerError,
    LedgerRecords,
    LedgerSettings,
    MonthClose,
    RecordedLine,
    RunDigests,
)
from jointbonus.sharedtarget.ledger.store import LEDGER_VERSION, MIGRATIONS

__all__ = [
    "LEDGER_VERSION",
    "MIGRATIONS",
    "LedgerBusyError",
    "LedgerError",
    "LedgerRecords",
    "LedgerSettings",
    "MonthClose",
    "RecordedLine",
    "RunDigests",
    "apply_ledger",
    "check_ledger",
    "close_month",
    "month_close",
    "plan_month",
    "read_ledger",
    "with_ledger",
]
