"""The payment ledger's file: an SQLite database, read and written here alone.

The ledger is one file (the standard library's :mod:`sqlite3`; no server).
Its tables (format 1):

* ``ledger_version``: one row, the format (:data:`LEDGER_VERSION`);
* ``ledger``: one row: the currency, its decimals, when and by which version
  of jointbonus the ledger was made;
* ``closed_months``: one row per closed month: when it was closed, the
  version of jointbonus, the results digest of the run that paid it, the
  plan file's SHA-256 and what was paid with the month in all
  (``closed_inputs``: each input file's SHA-256 then);
* ``payments``: per closed month and member, the line as it was paid:
  shared, capped, total, held (``functional_payments``: each functional
  part, by metric);
* ``corrections``: per closed month, each correction it carried: the month
  corrected, the member, each part, what the month paid the member before
  it and what the correction paid (``functional_corrections``: its
  functional parts);
* ``recoveries``: per closed month and member, overpayments brought in,
  arising, absorbed, deducted and carried on;
* ``settlements`` (format 2): per closed month that ends a plan year (or the
  plan) and member, the settlement of what was held back in the year: the
  plan year, what was held, paid or forfeited, and what was paid.

Amounts are integers of minor units; months are ``YYYY-MM`` text. Triggers
refuse any update or deletion of a recorded row: a closed month never
changes. Format 1 (before ``settlements``) is brought up to format 2 by
adding the empty table.

**Transactions.** A close runs in one transaction begun with ``BEGIN
IMMEDIATE``: it holds the ledger's write lock from the moment it reads what
is closed until it commits, so of two closes at once the second waits (up
to :data:`BUSY_SECONDS`), then reads the first one's month as closed. A
failure rolls everything back. A new ledger is made in a temporary file
beside it and linked into place when its first close commits, so a refused
first close leaves no file behind, and of two first closes at once only one
makes the ledger. Reading opens the file read-only and never creates it.

**Formats.** A ledger in a newer format than :data:`LEDGER_VERSION` is
refused. An older one is brought up to date by :data:`MIGRATIONS`: for each
format ``n`` below the current one, a function that turns a format-``n``
ledger into format ``n + 1`` inside the transaction that writes it (a
reader migrates a copy in memory and leaves the file as it is). A release
that changes the tables raises :data:`LEDGER_VERSION` and adds its step.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import sqlite3
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from jointbonus._version import __version__
from jointbonus.core.periods import Month
from jointbonus.sharedtarget.ledger.records import (
    LedgerBusyError,
    LedgerError,
    LedgerRecords,
    MonthClose,
    RecordedLine,
    RecordedSettlement,
)
from jointbonus.sharedtarget.results import ClosedMonth, Correction, Recovery

__all__ = [
    "BUSY_SECONDS",
    "LEDGER_VERSION",
    "MIGRATIONS",
    "RacedError",
    "Session",
    "read_records",
    "session",
    "utc_now",
]

#: The ledger's format: the version of its tables.
LEDGER_VERSION = 2

_SETTLEMENTS = """CREATE TABLE settlements (
        month TEXT NOT NULL REFERENCES closed_months (month),
        member_id TEXT NOT NULL,
        plan_year INTEGER NOT NULL,
        team TEXT NOT NULL,
        held INTEGER NOT NULL,
        status TEXT NOT NULL,
        paid INTEGER NOT NULL,
        PRIMARY KEY (month, member_id)
    ) WITHOUT ROWID"""


def _add_settlements(connection: sqlite3.Connection) -> None:
    """Format 1 to 2: the (empty) table of plan years' settlements, guarded as the others."""
    connection.execute(_SETTLEMENTS)
    for statement in _guards(("settlements",)):
        connection.execute(statement)


#: How a ledger of format ``n`` becomes format ``n + 1``: ``{n: step}``. Each step runs
#: inside the writing transaction; the format is raised after it.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _add_settlements}

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)

#: How long a close waits for another process's transaction on the ledger, in seconds.
BUSY_SECONDS = 30.0

_TABLES = (
    """CREATE TABLE ledger_version (
        version INTEGER NOT NULL
    )""",
    """CREATE TABLE ledger (
        currency TEXT NOT NULL,
        minor_unit INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        jointbonus TEXT NOT NULL
    )""",
    """CREATE TABLE closed_months (
        month TEXT PRIMARY KEY,
        closed_at TEXT NOT NULL,
        jointbonus TEXT NOT NULL,
        results_digest TEXT NOT NULL,
        plan_sha256 TEXT NOT NULL,
        paid INTEGER NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE closed_inputs (
        month TEXT NOT NULL REFERENCES closed_months (month),
        file TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (month, file)
    ) WITHOUT ROWID""",
    """CREATE TABLE payments (
        month TEXT NOT NULL REFERENCES closed_months (month),
        member_id TEXT NOT NULL,
        team TEXT NOT NULL,
        shared INTEGER NOT NULL,
        capped INTEGER NOT NULL,
        total INTEGER NOT NULL,
        held INTEGER NOT NULL,
        PRIMARY KEY (month, member_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE functional_payments (
        month TEXT NOT NULL,
        member_id TEXT NOT NULL,
        metric TEXT NOT NULL,
        place INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        PRIMARY KEY (month, member_id, metric),
        FOREIGN KEY (month, member_id) REFERENCES payments (month, member_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE corrections (
        month TEXT NOT NULL REFERENCES closed_months (month),
        corrects TEXT NOT NULL REFERENCES closed_months (month),
        member_id TEXT NOT NULL,
        team TEXT NOT NULL,
        shared INTEGER NOT NULL,
        capped INTEGER NOT NULL,
        total INTEGER NOT NULL,
        held INTEGER NOT NULL,
        was INTEGER NOT NULL,
        paid INTEGER NOT NULL,
        PRIMARY KEY (month, corrects, member_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE functional_corrections (
        month TEXT NOT NULL,
        corrects TEXT NOT NULL,
        member_id TEXT NOT NULL,
        metric TEXT NOT NULL,
        place INTEGER NOT NULL,
        amount INTEGER NOT NULL,
        PRIMARY KEY (month, corrects, member_id, metric),
        FOREIGN KEY (month, corrects, member_id)
            REFERENCES corrections (month, corrects, member_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE recoveries (
        month TEXT NOT NULL REFERENCES closed_months (month),
        member_id TEXT NOT NULL,
        team TEXT NOT NULL,
        brought INTEGER NOT NULL,
        overpaid INTEGER NOT NULL,
        absorbed INTEGER NOT NULL,
        deducted INTEGER NOT NULL,
        carried INTEGER NOT NULL,
        PRIMARY KEY (month, member_id)
    ) WITHOUT ROWID""",
    _SETTLEMENTS,
)

#: The tables whose rows never change once written.
_RECORDS = (
    "ledger",
    "closed_months",
    "closed_inputs",
    "payments",
    "functional_payments",
    "corrections",
    "functional_corrections",
    "recoveries",
    "settlements",
)


def _guards(tables: tuple[str, ...]) -> list[str]:
    """The triggers that refuse any change to a recorded row of ``tables``."""
    return [
        f"CREATE TRIGGER {table}_{action}_refused BEFORE {action.upper()} ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'a closed month never changes'); END"
        for table in tables
        for action in ("update", "delete")
    ]


def _schema() -> list[str]:
    """The statements that make an empty ledger of the current format."""
    return [*_TABLES, *_guards(_RECORDS)]


# -- opening -------------------------------------------------------------------------------


def _check_file(path: Path, shown: str) -> bool:
    """Whether a ledger file is there; refuse a folder, an empty file or anything else."""
    try:
        mode = os.stat(path)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise LedgerError(f"ledger {shown}: cannot read it: {error.strerror or error}") from None
    if stat.S_ISDIR(mode.st_mode):
        raise LedgerError(f"ledger {shown}: a folder, not a ledger file")
    if not stat.S_ISREG(mode.st_mode):
        raise LedgerError(f"ledger {shown}: not a regular file")
    if mode.st_size == 0:
        raise LedgerError(
            f"ledger {shown}: an empty file, not a jointbonus ledger; remove it, and the first "
            "`jointbonus close` makes the ledger"
        )
    return True


def _connect(path: Path, mode: str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly)."""
    uri = f"{Path(os.path.abspath(path)).as_uri()}?mode={mode}"
    connection = sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def _version(connection: sqlite3.Connection, shown: str) -> int:
    """The ledger's format; refuses a database that is no ledger and a newer format."""
    try:
        rows = connection.execute("SELECT version FROM ledger_version").fetchall()
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        raise LedgerError(
            f"ledger {shown}: an SQLite database, but not a jointbonus ledger (it has no "
            "ledger_version table)"
        ) from None
    if len(rows) != 1 or not isinstance(rows[0][0], int) or rows[0][0] < 1:
        raise LedgerError(f"ledger {shown}: ledger_version: expected one row with the format")
    version: int = rows[0][0]
    if version > LEDGER_VERSION:
        raise LedgerError(
            f"ledger {shown}: format {version}, written by a newer jointbonus; jointbonus "
            f"{__version__} reads formats 1 to {LEDGER_VERSION}: upgrade jointbonus to use it"
        )
    return version


def _migrate(connection: sqlite3.Connection, version: int, shown: str) -> None:
    """Bring a ledger of format ``version`` up to :data:`LEDGER_VERSION`, step by step."""
    for step in range(version, LEDGER_VERSION):
        migrate = MIGRATIONS.get(step)
        if migrate is None:
            raise LedgerError(
                f"ledger {shown}: format {step}, which jointbonus {__version__} cannot bring "
                f"up to format {LEDGER_VERSION}"
            )
        migrate(connection)
        connection.execute("UPDATE ledger_version SET version = ?", (step + 1,))


@contextlib.contextmanager
def _sqlite_errors(shown: str) -> Iterator[None]:
    """SQLite's failures as the ledger's: a file that is no database, a lock held too long."""
    try:
        yield
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise LedgerBusyError(
                errno.EWOULDBLOCK,
                f"another jointbonus process has been writing the ledger for more than "
                f"{BUSY_SECONDS:g} seconds; try again when it has finished",
                shown,
            ) from None
        raise LedgerError(f"ledger {shown}: cannot use it: {error}") from None
    except sqlite3.IntegrityError as error:
        raise LedgerError(f"ledger {shown}: refused: {error}") from None
    except sqlite3.DatabaseError as error:
        raise LedgerError(
            f"ledger {shown}: not a jointbonus ledger (not an SQLite database: {error})"
        ) from None


# -- reading -------------------------------------------------------------------------------


def read_records(path: Path, shown: str | None = None) -> LedgerRecords | None:
    """What the ledger at ``path`` holds; ``None`` when there is no file yet.

    Opens the file read-only: reading never creates, changes or migrates it.
    """
    name = shown or str(path)
    if not _check_file(path, name):
        return None
    with _sqlite_errors(name):
        connection = _connect(path, "ro")
        try:
            connection.execute("BEGIN")
            version = _version(connection, name)
            if version < LEDGER_VERSION:
                copy = sqlite3.connect(":memory:", isolation_level=None)
                connection.backup(copy)
                connection.execute("COMMIT")
                connection.close()
                connection = copy
                connection.execute("BEGIN")
                _migrate(connection, version, name)
            records = _read(connection, version, name)
            connection.execute("COMMIT")
        finally:
            connection.close()
    return records


def _read(connection: sqlite3.Connection, version: int, shown: str) -> LedgerRecords:
    heads = connection.execute("SELECT currency, minor_unit FROM ledger").fetchall()
    if len(heads) != 1:
        raise LedgerError(f"ledger {shown}: ledger: expected one row with the currency")
    currency, minor_unit = heads[0]
    inputs: dict[str, list[tuple[str, str]]] = {}
    for month, file, sha256 in connection.execute(
        "SELECT month, file, sha256 FROM closed_inputs ORDER BY month, file"
    ):
        inputs.setdefault(month, []).append((file, sha256))
    closed = tuple(
        ClosedMonth(
            Month.parse(month),
            closed_at,
            jointbonus,
            digest,
            plan_sha256,
            tuple(inputs.get(month, ())),
            paid,
        )
        for month, closed_at, jointbonus, digest, plan_sha256, paid in connection.execute(
            "SELECT month, closed_at, jointbonus, results_digest, plan_sha256, paid "
            "FROM closed_months ORDER BY month"
        )
    )
    functional = _parts(
        connection,
        "SELECT month, member_id, metric, amount FROM functional_payments "
        "ORDER BY month, member_id, place",
    )
    lines: dict[Month, dict[str, RecordedLine]] = {}
    months: dict[str, Month] = {}
    for month, member_id, team, shared, capped, total, held in connection.execute(
        "SELECT month, member_id, team, shared, capped, total, held FROM payments "
        "ORDER BY month, member_id"
    ):
        key = months.get(month) or months.setdefault(month, Month.parse(month))
        lines.setdefault(key, {})[member_id] = RecordedLine(
            member_id,
            team,
            shared,
            tuple(functional.get((month, member_id), ())),
            capped,
            total,
            held,
        )
    corrected = _parts(
        connection,
        "SELECT month || ' ' || corrects, member_id, metric, amount FROM functional_corrections "
        "ORDER BY month, corrects, member_id, place",
    )
    corrections = tuple(
        Correction(
            member_id=member_id,
            team=team,
            corrects=Month.parse(corrects),
            carried_in=Month.parse(month),
            shared=shared,
            functional=tuple(corrected.get((f"{month} {corrects}", member_id), ())),
            capped=capped,
            total=total,
            held=held,
            was=was,
            paid=paid,
            closed=True,
        )
        for month, corrects, member_id, team, shared, capped, total, held, was, paid in (
            connection.execute(
                "SELECT month, corrects, member_id, team, shared, capped, total, held, was, paid "
                "FROM corrections ORDER BY month, corrects, member_id"
            )
        )
    )
    recoveries = tuple(
        Recovery(
            member_id,
            team,
            Month.parse(month),
            brought,
            overpaid,
            absorbed,
            deducted,
            carried,
            closed=True,
        )
        for month, member_id, team, brought, overpaid, absorbed, deducted, carried in (
            connection.execute(
                "SELECT month, member_id, team, brought, overpaid, absorbed, deducted, carried "
                "FROM recoveries ORDER BY month, member_id"
            )
        )
    )
    settlements = tuple(
        RecordedSettlement(Month.parse(month), *row)
        for month, *row in connection.execute(
            "SELECT month, plan_year, member_id, team, held, status, paid FROM settlements "
            "ORDER BY month, member_id"
        )
    )
    return LedgerRecords(
        currency, minor_unit, version, closed, lines, corrections, recoveries, settlements
    )


def _parts(
    connection: sqlite3.Connection, query: str
) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Functional parts by (key, member id), in their order on the line."""
    parts: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for key, member_id, metric, amount in connection.execute(query):
        parts.setdefault((key, member_id), []).append((metric, amount))
    return parts


# -- writing -------------------------------------------------------------------------------


@dataclass
class Session:
    """A close in progress: what the ledger held when the transaction began, and the writer."""

    connection: sqlite3.Connection
    records: LedgerRecords
    shown: str

    def record(self, close: MonthClose) -> None:
        """Add one closed month: its record, lines, corrections and recoveries."""
        closed = close.closed
        month = str(closed.month)
        with _sqlite_errors(self.shown):
            self.connection.execute(
                "INSERT INTO closed_months (month, closed_at, jointbonus, results_digest, "
                "plan_sha256, paid) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    month,
                    closed.closed_at,
                    closed.jointbonus,
                    closed.results_digest,
                    closed.plan_sha256,
                    closed.paid,
                ),
            )
            self.connection.executemany(
                "INSERT INTO closed_inputs (month, file, sha256) VALUES (?, ?, ?)",
                [(month, file, sha256) for file, sha256 in closed.inputs],
            )
            self.connection.executemany(
                "INSERT INTO payments (month, member_id, team, shared, capped, total, held) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (month, line.member_id, line.team, line.shared, line.capped, line.total,
                     line.held)
                    for line in close.lines
                ],
            )  # fmt: skip
            self.connection.executemany(
                "INSERT INTO functional_payments (month, member_id, metric, place, amount) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (month, line.member_id, metric, place, amount)
                    for line in close.lines
                    for place, (metric, amount) in enumerate(line.functional)
                ],
            )
            self.connection.executemany(
                "INSERT INTO corrections (month, corrects, member_id, team, shared, capped, "
                "total, held, was, paid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (month, str(c.corrects), c.member_id, c.team, c.shared, c.capped, c.total,
                     c.held, c.was, c.paid)
                    for c in close.corrections
                ],
            )  # fmt: skip
            self.connection.executemany(
                "INSERT INTO functional_corrections (month, corrects, member_id, metric, place, "
                "amount) VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (month, str(c.corrects), c.member_id, metric, place, amount)
                    for c in close.corrections
                    for place, (metric, amount) in enumerate(c.functional)
                ],
            )
            self.connection.executemany(
                "INSERT INTO recoveries (month, member_id, team, brought, overpaid, absorbed, "
                "deducted, carried) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (month, r.member_id, r.team, r.brought, r.overpaid, r.absorbed, r.deducted,
                     r.carried)
                    for r in close.recoveries
                ],
            )  # fmt: skip
            self.connection.executemany(
                "INSERT INTO settlements (month, member_id, plan_year, team, held, status, "
                "paid) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (month, s.member_id, s.plan_year, s.team, s.held, s.status, s.paid)
                    for s in close.settlements
                ],
            )


class RacedError(LedgerError):
    """Another process made the ledger while this one was making it: run the close again."""


@contextlib.contextmanager
def session(
    path: Path, *, currency: str, minor_unit: int, shown: str | None = None
) -> Iterator[Session]:
    """One write transaction on the ledger at ``path`` (made on the first close).

    The block reads :attr:`Session.records` and writes with
    :meth:`Session.record`; when it ends without an error everything is
    committed at once, else nothing is. A new ledger is made in a temporary
    file beside ``path`` and linked into place after the commit; if another
    process made ``path`` meanwhile, :class:`RacedError` is raised and nothing
    is written (the close can run again on that ledger).
    """
    name = shown or str(path)
    if _check_file(path, name):
        with _sqlite_errors(name):
            connection = _connect(path, "rw")
        try:
            with _sqlite_errors(name):
                connection.execute("BEGIN IMMEDIATE")
                version = _version(connection, name)
                _migrate(connection, version, name)
                records = _read(connection, LEDGER_VERSION, name)
            yield Session(connection, records, name)
            with _sqlite_errors(name):
                connection.execute("COMMIT")
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            connection.close()
        return
    yield from _new_ledger(path, name, currency, minor_unit)


def _new_ledger(path: Path, shown: str, currency: str, minor_unit: int) -> Iterator[Session]:
    fresh = path.parent / f".{path.name}.{secrets.token_hex(6)}.new"
    # Created exclusively, never through a link, with the permissions the umask gives.
    os.close(os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o666))
    try:
        with _sqlite_errors(shown):
            connection = _connect(fresh, "rw")
        try:
            with _sqlite_errors(shown):
                connection.execute("BEGIN IMMEDIATE")
                for statement in _schema():
                    connection.execute(statement)
                connection.execute(
                    "INSERT INTO ledger_version (version) VALUES (?)", (LEDGER_VERSION,)
                )
                connection.execute(
                    "INSERT INTO ledger (currency, minor_unit, created_at, jointbonus) "
                    "VALUES (?, ?, ?, ?)",
                    (currency, minor_unit, utc_now(), __version__),
                )
                records = _read(connection, LEDGER_VERSION, shown)
            yield Session(connection, records, shown)
            with _sqlite_errors(shown):
                connection.execute("COMMIT")
        finally:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            connection.close()
        _flush(fresh)
        try:
            os.link(fresh, path)  # never replaces a ledger another close has just made
        except FileExistsError:
            raise RacedError(f"ledger {shown}: made by another close at the same time") from None
        _flush(path.parent)
    finally:
        for leftover in (fresh, Path(f"{fresh}-journal")):
            leftover.unlink(missing_ok=True)


def _flush(path: Path) -> None:
    """Flush a file or a folder to disk where the system allows it."""
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def utc_now() -> str:
    """The time now, UTC, to the second: ``2026-11-03T09:15:00Z``."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
