"""Helpers for bulk loads (roster and checkpoint imports) that run inside one transaction."""

from __future__ import annotations

import re
import sqlite3

_SAFE_LITERAL = re.compile(r"^[0-9A-Za-z:+\-T]{1,40}$")
_TABLES = ("residents", "checkpoint_logs")


def literal(value: str) -> str:
    """Our own village code and timestamp, inlined so that each row binds fewer values.
    Checked to be plain letters, digits and time punctuation: never user text."""
    if not _SAFE_LITERAL.match(value):
        raise ValueError(f"refusing to inline {value!r} into SQL")
    return f"'{value}'"


def drop_indexes(conn: sqlite3.Connection, table: str) -> list[str]:
    """For a bulk load into an empty table: building indexes afterwards is much faster than
    keeping them up to date row by row. Returns their definitions, as the schema has them,
    for restore_indexes; all inside the import's transaction, so a failure restores them.
    Indexes behind UNIQUE constraints (no SQL of their own) stay."""
    if table not in _TABLES:
        raise ValueError(f"not a bulk-loaded table: {table!r}")
    found = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                         " AND tbl_name = ? AND sql IS NOT NULL", (table,)).fetchall()
    for name, _ in found:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in found]


def restore_indexes(conn: sqlite3.Connection, definitions: list[str]) -> None:
    # The sort behind CREATE INDEX can use helper threads: both cores, instead of one.
    conn.execute("PRAGMA threads = 2")
    for sql in definitions:
        conn.execute(sql)
    conn.execute("PRAGMA threads = 0")
