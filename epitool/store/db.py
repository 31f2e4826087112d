"""Opening the database: WAL, a busy timeout, private file mode, migrations applied on open.

The standard library's sqlite3 is used on this path rather than sqlite-utils, because
`import sqlite_utils` imports pandas when it is installed (half a second per command).
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from epitool.errors import DatabaseError
from epitool.store.location import is_server
from epitool.store.migrations import MIGRATIONS, SCHEMA_VERSION

PRIVATE = 0o600
class Database:
    """A plain class, not a dataclass: a dataclass is generated at every start-up."""

    def __init__(self, conn: sqlite3.Connection, path: Path, busy_ms: int = 10_000,
                 on_wait: Callable[[], None] | None = None) -> None:
        self.conn = conn
        self.path = path
        self.busy_ms = busy_ms
        # called once when a write has waited a second for another program's: a person is
        # told
        self.on_wait = on_wait
        self._flush: _EarlyFlush | None = None

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One transaction per command. IMMEDIATE takes the write lock up front: a deferred
        transaction that reads then writes fails at once when another process writes. A
        database found damaged takes no writes until `db check` passes or a restore."""
        if is_server(self.conn):
            with self._server_transaction():
                yield self.conn
            return
        if damage_noted(self.path):
            raise DatabaseError("db_damaged_no_writes", path=str(self.path))
        try:
            self._begin()
        except sqlite3.OperationalError as exc:
            raise busy_or_raise(exc, self.path) from None
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            self._rollback()
            raise busy_or_raise(exc, self.path) from None
        except BaseException:
            self._rollback()
            raise

    @contextmanager
    def _server_transaction(self) -> Iterator[None]:
        from epitool.store.server import serialise_writers

        self.conn.execute("BEGIN")
        try:
            serialise_writers(self.conn, self.busy_ms, self.on_wait)  # type: ignore[arg-type]
            yield
            self.conn.execute("COMMIT")
        except BaseException:
            self._rollback()
            raise

    def _begin(self) -> None:
        """BEGIN IMMEDIATE, waiting up to busy_ms for another writer; after the first
        second of waiting, on_wait says so (then the rest of the wait)."""
        first = min(1000, self.busy_ms)
        if self.on_wait is None or first == self.busy_ms:
            self.conn.execute("BEGIN IMMEDIATE")
            return
        self.conn.execute(f"PRAGMA busy_timeout = {first}")
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                self.conn.execute(f"PRAGMA busy_timeout = {self.busy_ms}")
                raise
            self.on_wait()
            self.conn.execute(f"PRAGMA busy_timeout = {self.busy_ms - first}")
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {self.busy_ms}")
        else:
            self.conn.execute(f"PRAGMA busy_timeout = {self.busy_ms}")

    def _rollback(self) -> None:
        if self.conn.in_transaction:  # SQLite may have rolled back already (a full disk)
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        self.conn.close()
        if self._flush is not None:
            self._flush.finish()
            self._flush = None

    def start_flush(self) -> None:
        """Start writing the file's pages to disk now, on a thread, while the transaction
        goes on with work that writes little (indexes built after a bulk load): the commit's
        own sync then waits for much less. Done when the connection closes."""
        if self._flush is not None or str(self.path) == ":memory:" or is_server(self.conn):
            return
        try:
            self._flush = _EarlyFlush(self.path)
        except OSError:
            pass  # no early start: the commit syncs all the same

    @contextmanager
    def bulk_journal(self) -> Iterator[None]:
        """For a million-row load into an empty table: with a rollback journal each new page
        is written once, with WAL twice (to the log, then back by the checkpoint), which is
        over a second of such an import. Only when no other connection has the database open
        (the switch needs it to itself; otherwise nothing changes), with full syncs, and back
        to WAL afterwards, also after an error. Other commands wait for the load meanwhile.
        A server has its own log: nothing to switch there."""
        if is_server(self.conn):
            yield
            return
        self.conn.execute("PRAGMA busy_timeout = 0")  # someone else is in: do not wait
        try:
            switched = self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        except sqlite3.OperationalError:
            switched = False
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {self.busy_ms}")
        if switched:
            self.conn.execute("PRAGMA synchronous = FULL")
        try:
            yield
        finally:
            if switched:
                self.conn.execute("PRAGMA synchronous = NORMAL")
                try:
                    self.conn.execute("PRAGMA journal_mode = WAL")
                except sqlite3.OperationalError:
                    pass  # still busy after the timeout: the next open_database switches it

    @contextmanager
    def foreign_keys_off(self) -> Iterator[None]:
        """References left unchecked for a while (outside a transaction: SQLite ignores the
        switch inside one): an office merges a village's rows whose parents may come in a
        bundle that has not arrived yet. A server checks every reference as its row goes in:
        such a bundle is refused there until the earlier ones are in (pg_integrity)."""
        if is_server(self.conn):
            yield
            return
        self.conn.execute("PRAGMA foreign_keys = OFF")
        try:
            yield
        finally:
            self.conn.execute("PRAGMA foreign_keys = ON")

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _EarlyFlush:
    """fsync() of the database file through a descriptor of our own, on a thread.

    The descriptor stays open until the connection is closed: closing any descriptor of the
    file drops every POSIX lock the process holds on it, SQLite's included (SQLite's "How To
    Corrupt", 2.2). An error only means no early start; the commit syncs anyway."""

    def __init__(self, path: Path) -> None:
        import threading

        self.fd = os.open(path, os.O_RDONLY)
        self.thread: threading.Thread | None = threading.Thread(target=self._sync, daemon=True)
        try:
            self.thread.start()
        except RuntimeError:  # no thread to be had: no early start, the fd closes at the end
            self.thread = None

    def _sync(self) -> None:
        try:
            os.fsync(self.fd)
        except OSError:
            pass

    def finish(self) -> None:
        if self.thread is not None:
            self.thread.join()
        os.close(self.fd)


# SQLite's words for a fault of the machine rather than of the command -> a sentence
_FAULTS = (("locked", "db_busy"), ("busy", "db_busy"), ("disk is full", "db_disk_full"),
           ("readonly", "db_read_only"), ("unable to open", "db_read_only"),
           ("disk i/o error", "db_io_error"))


def _damage_note(path: Path) -> Path:
    return path.with_name(f"{path.name}.damaged")


def damage_noted(path: Path) -> bool:
    return isinstance(path, Path) and str(path) != ":memory:" and _damage_note(path).exists()


def note_damage(path: Path, reason: str) -> None:
    """Remember beside the database that it was found damaged (a file, as the database
    itself cannot be trusted with it); best effort."""
    try:
        fd = os.open(_damage_note(path), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
        with os.fdopen(fd, "w", encoding="utf-8") as note:
            note.write(reason + "\n")
    except OSError:
        pass


def clear_damage(path: Path) -> None:
    _damage_note(path).unlink(missing_ok=True)


def busy_or_raise(exc: sqlite3.OperationalError, path: Path) -> Exception:
    """The DatabaseError that says in words what went wrong (busy, full disk, read-only, an
    I/O error), or the exception itself when it is none of them."""
    text = str(exc).lower()
    for words, key in _FAULTS:
        if words in text:
            return DatabaseError(key, path=str(path))
    return exc


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only; SQLite gives -wal and -shm the same."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE)
    os.close(fd)


def insert_row(conn: sqlite3.Connection, table: str, fields: tuple[str, ...],
               values: dict[str, Any]) -> int:
    """One row from the named values; table and fields come from code, never from input.
    Returns the new rowid."""
    if is_server(conn):
        return int(conn.execute(
            f"INSERT INTO {table} ({', '.join(fields)}) VALUES"
            f" ({', '.join(':' + f for f in fields)}) RETURNING id", values).fetchone()[0])
    return int(conn.execute(
        f"INSERT INTO {table} ({', '.join(fields)}) VALUES"
        f" ({', '.join(':' + f for f in fields)})", values).lastrowid or 0)


def open_database(path: Path, *, create: bool, busy_timeout: float = 10.0,
                  on_wait: Callable[[], None] | None = None) -> Database:
    """Open (and with create=True make) the database, migrated to the current schema."""
    if not isinstance(path, Path):
        return _open_server(path, create=create, busy_timeout=busy_timeout, on_wait=on_wait)
    if not path.exists():
        if not create:
            raise DatabaseError("db_missing", path=str(path))
        if not path.parent.is_dir():
            raise DatabaseError("db_dir_missing", path=str(path), directory=str(path.parent))
        create_private_file(path)
    elif path.is_dir():
        raise DatabaseError("db_not_file", path=str(path))
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None,
                               check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        # Persistent once set; not yet for a new database, nor after a bulk load that was
        # killed in rollback-journal mode (bulk_journal).
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")  # safe in WAL: no corruption on crash
        conn.execute("PRAGMA foreign_keys = ON")
    except DAMAGED as exc:
        raise _unusable(exc, path) from None
    db = Database(conn, path, int(busy_timeout * 1000), on_wait)
    if version != SCHEMA_VERSION:
        try:
            migrate(db, version)
        except DAMAGED as exc:
            db.close()
            raise _unusable(exc, path) from None
    return db


def _open_server(location: Any, *, create: bool, busy_timeout: float,
                 on_wait: Callable[[], None] | None) -> Database:
    from epitool.store import server

    conn = server.connect(location)
    db = Database(conn, location, int(busy_timeout * 1000), on_wait)  # type: ignore[arg-type]
    version = server.schema_version(conn)
    if version == 0 and not create:
        db.close()
        raise DatabaseError("db_missing", path=str(location))
    if version != SCHEMA_VERSION:
        try:
            migrate(db, version)
        except BaseException:
            db.close()
            raise
    return db


def read_only(path: Path, busy_timeout: float = 10.0) -> sqlite3.Connection:
    """A second, read-only connection to a database (for a worker process)."""
    if not isinstance(path, Path):
        from epitool.store.server import connect

        return connect(path, read_only=True)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
    return conn


def memory_database() -> Database:
    """A migrated, empty, throwaway database: a dry run with no database yet checks here."""
    conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    db = Database(conn, Path(":memory:"))
    migrate(db, 0)
    return db


# SQLite's messages about a damaged file can quote the file's garbage bytes, which Python's
# sqlite3 then fails to decode: a UnicodeDecodeError there means a damaged database too.
DAMAGED = (sqlite3.DatabaseError, UnicodeDecodeError)


def damage_reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return bytes(exc.object).decode("utf-8", "replace")
    return str(exc)


def _unusable(exc: Exception, path: Path) -> Exception:
    if isinstance(exc, sqlite3.OperationalError):
        busy = busy_or_raise(exc, path)
        if isinstance(busy, DatabaseError):
            return busy
    return DatabaseError("db_not_sqlite", path=str(path), reason=damage_reason(exc))


def migrate_file(path: Path) -> None:
    """A database file of an older schema (a bundle's copy) brought to this one."""
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn, path)
    try:
        migrate(db, conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        db.close()


def migrate(db: Database, current: int) -> None:
    if current > SCHEMA_VERSION:
        raise DatabaseError("db_too_new", path=str(db.path), version=current,
                            supported=SCHEMA_VERSION)
    for number in range(current + 1, SCHEMA_VERSION + 1):
        with db.write() as conn:
            # Another process may have migrated while we waited for the write lock.
            if schema_version(conn) >= number:
                continue
            if is_server(conn):
                from epitool.store import server

                server.run_prelude(conn)  # type: ignore[arg-type]  # the SQL functions it uses
            MIGRATIONS[number - 1](conn)
            set_schema_version(conn, number)
    if is_server(db.conn):
        from epitool.store.row_security import regrant

        with db.write() as conn:
            regrant(conn)


def schema_version(conn: sqlite3.Connection) -> int:
    if is_server(conn):
        from epitool.store import server

        return server.schema_version(conn)  # type: ignore[arg-type]
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def set_schema_version(conn: sqlite3.Connection, number: int) -> None:
    if is_server(conn):
        from epitool.store import server

        server.set_schema_version(conn, number)  # type: ignore[arg-type]
    else:
        conn.execute(f"PRAGMA user_version = {number}")
