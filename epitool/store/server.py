"""PostgreSQL: the same store, on a database server (an office or a city that outgrows a file).

Where a database file's Path stands, a ServerLocation; where a sqlite3 connection, a
PgConnection that takes the store's SQL as it is (store.dialect carries it over), says the
server's refusals in words, and bulk-loads with COPY. psycopg is imported only here, and only
when a postgresql:// URL is given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from epitool.errors import DatabaseError
from epitool.store.dialect import PRELUDE, translate


class ServerLocation:
    """Where a PostgreSQL database is: its URL. Stands where a database file's Path does;
    files made beside the database (backups, conflict lists) go to the working directory."""

    def __init__(self, url: str) -> None:
        self.url = url
        parts = urlsplit(url)
        self.name = self.stem = (parts.path.lstrip("/") or "postgres")
        self.parent = Path.cwd()

    def exists(self) -> bool:
        """Whether the database holds epitool's tables (as a file does once made): what
        `init` creates on a server, where the database itself is made by its administrator."""
        conn = connect(self)
        try:
            return schema_version(conn) > 0
        finally:
            conn.close()

    def is_dir(self) -> bool:
        return False

    def is_file(self) -> bool:
        return False  # no second process for a report: the server works in parallel itself

    def resolve(self) -> ServerLocation:
        return self

    def with_name(self, name: str) -> Path:
        return self.parent / name

    def __str__(self) -> str:
        """The URL without its password: it is shown in messages and written to crontabs."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))

    def __fspath__(self) -> str:
        return self.url


def connect(location: ServerLocation, *, read_only: bool = False) -> PgConnection:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError("pg_driver_missing", path=str(location)) from None
    try:
        # jit off: compiling a report's query to machine code takes longer (a fifth of a
        # second) than the query it would speed up, at a district's scale. temp_buffers:
        # room for a village's bundle in memory (store.bundle), fixed before any use.
        raw = psycopg.connect(location.url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                              connect_timeout=10, options="-c jit=off -c temp_buffers=32MB")
    except psycopg.OperationalError as exc:
        raise DatabaseError("pg_unreachable", path=str(location),
                            reason=str(exc).strip().splitlines()[0]) from None
    raw.adapters.register_loader("numeric", _number_loader())
    if read_only:
        raw.execute("SET default_transaction_read_only = on")
    return PgConnection(raw)


def _number_loader() -> Any:
    """A server's sums of whole numbers come as `numeric`: read as SQLite gives them, an
    int when whole (else a float), not a Decimal that JSON would print as text."""
    from psycopg.types.numeric import NumericLoader

    class SqliteNumber(NumericLoader):
        def load(self, data: Any) -> Any:
            value = super().load(data)
            return int(value) if value == value.to_integral_value() else float(value)

    return SqliteNumber


class PgConnection:
    """The part of sqlite3.Connection the store uses, over a psycopg connection in autocommit
    mode: transactions are the store's own BEGIN and COMMIT, as with SQLite."""

    engine = "postgresql"

    def __init__(self, raw: Any) -> None:
        import psycopg

        self.raw = raw
        self.changes = 0
        self._columns: dict[str, list[str]] | None = None
        self.refused = psycopg.errors.InsufficientPrivilege
        self.broken = psycopg.errors.ForeignKeyViolation
        self.lost = psycopg.OperationalError

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        text, style = translate(sql)
        cursor = self.raw.cursor()
        with self._said():
            cursor.execute(text, _bind(style, params) if params or style != "none" else None)
        if cursor.rowcount > 0 and text.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.changes += cursor.rowcount
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> Any:
        text, style = translate(sql)
        cursor = self.raw.cursor()
        with self._said():
            cursor.executemany(text, [_bind(style, row) for row in rows])
        self.changes += max(cursor.rowcount, 0)
        return cursor

    @contextmanager
    def _said(self) -> Iterator[None]:
        """What the server refuses (a row of another village, a table not granted) or a
        connection lost, in words; anything else is a fault of ours and shows as one."""
        try:
            yield
        except self.broken as exc:
            raise DatabaseError("pg_integrity", path=self.where,
                                reason=str(exc).strip().splitlines()[0]) from None
        except self.refused as exc:
            raise DatabaseError("pg_refused", path=self.where,
                                reason=str(exc).strip().splitlines()[0]) from None
        except self.lost as exc:
            raise DatabaseError("pg_unreachable", path=self.where,
                                reason=str(exc).strip().splitlines()[0]) from None

    @property
    def where(self) -> str:
        info = self.raw.info
        return f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}"

    def columns(self, table: str) -> list[str]:
        """A table's columns in order, from the catalogue (read once a connection)."""
        if self._columns is None:
            self._columns = {}
            for name, column in self.execute(
                    "SELECT table_name, column_name FROM information_schema.columns"
                    " WHERE table_schema = current_schema()"
                    " ORDER BY table_name, ordinal_position"):
                self._columns.setdefault(name, []).append(column)
        return list(self._columns.get(table, []))

    @property
    def total_changes(self) -> int:
        return self.changes

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Iterable[Sequence[Any]]) -> int:
        """PostgreSQL's own fast path for a bulk load: COPY ... FROM STDIN."""
        count = 0
        # bundle.TABLE is a temporary table, some column names need quotes (translate)
        statement = translate(f"COPY {table} ({', '.join(columns)}) FROM STDIN")[0]
        with self._said(), self.raw.cursor().copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        self.changes += count
        return count

    def close(self) -> None:
        self.raw.close()


def _bind(style: str, params: Sequence[Any] | dict[str, Any]) -> Any:
    if style == "numbered":
        return {f"p{i}": value for i, value in enumerate(params, 1)}
    return params


def schema_version(conn: PgConnection) -> int:
    if conn.execute("SELECT to_regclass('epitool_schema')").fetchone()[0] is None:
        return 0
    row = conn.execute("SELECT max(version) FROM epitool_schema").fetchone()
    return int(row[0] or 0)


def set_schema_version(conn: PgConnection, number: int) -> None:
    conn.execute("DELETE FROM epitool_schema")
    conn.execute("INSERT INTO epitool_schema (version) VALUES (?)", (number,))


def run_prelude(conn: PgConnection) -> None:
    for statement in PRELUDE.split(";\n"):
        if statement.strip():
            conn.raw.execute(statement)


# The lock every writing command of a database takes for its transaction (serialise_writers)
WRITER_LOCK = 7261


def serialise_writers(conn: PgConnection, busy_ms: int,
                      on_wait: Callable[[], None] | None) -> None:
    """One writing command at a time, as SQLite's BEGIN IMMEDIATE has it: the checks a
    command makes before it writes (is this person on the roster already?) then hold when
    it writes. Readers are never held up. Waits up to busy_ms for another writer, saying
    so (on_wait) after a second, then gives up as SQLite does: "busy, try again"."""
    import time

    started = time.monotonic()
    said = False
    while not conn.raw.execute("SELECT pg_try_advisory_xact_lock(%s)",
                               (WRITER_LOCK,)).fetchone()[0]:
        waited = (time.monotonic() - started) * 1000
        if waited >= busy_ms:
            raise DatabaseError("db_busy", path=conn.where)
        if waited >= 1000 and not said and on_wait is not None:
            on_wait()
            said = True
        time.sleep(0.02)
