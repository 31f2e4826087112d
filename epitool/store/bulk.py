"""Helpers for bulk loads (roster and checkpoint imports) that run inside one transaction."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from epitool.store.location import is_server

_SAFE_LITERAL = re.compile(r"^[0-9A-Za-z:+\-T]{1,40}$")
_TABLES = ("residents",)
ROWS_PER_STATEMENT = 500
LOAD_OF_MANY_ROWS = 10_000


def literal(value: str) -> str:
    """Our own village code and timestamp, inlined so that each row binds fewer values.
    Checked to be plain letters, digits and time punctuation: never user text."""
    if not _SAFE_LITERAL.match(value):
        raise ValueError(f"refusing to inline {value!r} into SQL")
    return f"'{value}'"


def drop_indexes(conn: sqlite3.Connection, table: str, names: Sequence[str]) -> list[str]:
    """For a bulk load into an empty table, the indexes that cost more to keep up to date row
    by row than to build by one sort afterwards: those whose keys arrive in random order (an
    ID number) or land in many places at once. Those whose keys arrive in order (uids,
    households) cost little to keep and stay, and the end of the load, when nothing else
    runs beside it, is shorter. Returns the dropped indexes' definitions, as the schema has
    them, for restore_indexes; all inside the import's transaction."""
    if table not in _TABLES:
        raise ValueError(f"not a bulk-loaded table: {table!r}")
    found = dict(conn.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ?" if is_server(conn) else
        "SELECT name, sql FROM sqlite_master WHERE type = 'index'"
        " AND tbl_name = ? AND sql IS NOT NULL", (table,)).fetchall())
    missing = set(names) - set(found)
    if missing:
        raise ValueError(f"no such index on {table}: {sorted(missing)}")
    for name in names:
        conn.execute(f'DROP INDEX "{name}"')
    return [found[name] for name in names]


def restore_indexes(conn: sqlite3.Connection, definitions: list[str]) -> None:
    if is_server(conn):
        for sql in definitions:
            conn.execute(sql)
        return
    # The sort behind CREATE INDEX can use helper threads: both cores, instead of one.
    conn.execute("PRAGMA threads = 2")
    for sql in definitions:
        conn.execute(sql)
    conn.execute("PRAGMA threads = 0")


def insert_flat(conn: sqlite3.Connection, sql: str, flat: Sequence[Any], width: int,
                row: str | None = None) -> None:
    """`sql` with its `{rows}` made `row`, `row`, ... for `flat`, `width` values to a row;
    `row` has one `?` per value, in order (by default, nothing else).

    Many rows per statement rather than executemany's one: SQLite then steps once per few
    hundred rows, and no tuple is made per row. For a million rows that is about a quarter
    less time in the process that writes. Into a table others refer to, only with foreign
    keys off (see foreign_keys_off)."""
    if len(flat) % width:
        raise ValueError(f"{len(flat)} values do not make rows of {width}")
    row = row or f"({', '.join('?' * width)})"
    if is_server(conn) and _copied(conn, sql, flat, width, row):
        return
    # Python 3.10 cannot ask; 999 is the smallest limit any SQLite has had
    limit = (conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)  # type: ignore[attr-defined]
             if hasattr(conn, "getlimit") else 999)
    per_statement = max(1, min(ROWS_PER_STATEMENT, limit // width)) * width
    whole = len(flat) - len(flat) % per_statement
    if whole:
        many = sql.replace("{rows}", ", ".join([row] * (per_statement // width)))
        for start in range(0, whole, per_statement):
            conn.execute(many, flat[start:start + per_statement])
    if whole < len(flat):
        rest = iter(flat[whole:])
        conn.executemany(sql.replace("{rows}", row), zip(*[rest] * width))


def after_bulk_load(conn: sqlite3.Connection, tables: Sequence[str], added: int) -> None:
    """After a load of many rows (`added`), outside its transaction, what PostgreSQL's
    manual advises for a server: VACUUM (ANALYZE). The server plans each query by what it
    last gathered of the tables, and autovacuum gathers it only a minute or more later: a
    report run right after would be planned for tables believed nearly empty (a nested loop
    over a million rows for each row: minutes for a report of a second), and would itself
    stop to mark every new row as committed. SQLite is never asked to ANALYZE (it plans by
    the indexes alone, with no old figures to mislead it) and marks nothing: nothing to do.
    (A role that does not own the tables is skipped by the server, with a warning.)"""
    if is_server(conn) and added >= LOAD_OF_MANY_ROWS:
        conn.execute(f"VACUUM (ANALYZE) {', '.join(tables)}")  # names from code


@contextmanager
def foreign_keys_off(conn: sqlite3.Connection) -> Iterator[None]:
    """Around (never inside: SQLite ignores it there) the transaction of an import that
    inserts many rows per statement into a table other tables refer to (residents).

    SQLite skips the check from the parent's side only for a statement that writes one row.
    For several, it looks for child rows of each new row in every table that refers to it:
    for residents, a full scan of passes, needs and patrols (no index on resident_uid) per
    new resident. New rows cannot have children yet, so nothing is lost; the new rows' own
    references are checked at the end of the transaction by check_foreign_keys. A server
    checks them as it goes, cheaply (it looks children up by index)."""
    if is_server(conn):
        yield
        return
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def check_foreign_keys(conn: sqlite3.Connection, tables: Sequence[str]) -> None:
    """The references of `tables` to other tables, checked at once (see foreign_keys_off)."""
    if is_server(conn):
        return  # checked as the rows went in
    for table in tables:  # names from code, never from input
        broken = conn.execute("SELECT * FROM pragma_foreign_key_check(?)", (table,)).fetchone()
        if broken is not None:
            raise sqlite3.IntegrityError(f"FOREIGN KEY constraint failed: {broken}")


_PLAIN_INSERT = re.compile(r"^INSERT INTO (\w+) \(([\w, ]+)\) VALUES \{rows\}$")


def _copied(conn: Any, sql: str, flat: Sequence[Any], width: int, row: str) -> bool:
    """A plain INSERT of values and our own literals, as COPY, PostgreSQL's own fast path
    for a bulk load; False (nothing done) for any other statement."""
    plain = _PLAIN_INSERT.match(sql)
    items = [item.strip() for item in row.strip("()").split(",")]
    if plain is None or not all(i == "?" or _SAFE_LITERAL.match(i.strip("'")) for i in items):
        return False
    columns = [c.strip() for c in plain.group(2).split(",")]
    fixed = {n: i.strip("'") for n, i in enumerate(items) if i != "?"}

    def rows() -> Iterator[list[Any]]:
        values = iter(flat)
        for _ in range(len(flat) // width):
            yield [fixed[n] if n in fixed else next(values) for n in range(len(items))]

    conn.copy_rows(plain.group(1), columns, rows())
    return True
