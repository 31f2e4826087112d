"""A migration's DDL run statement by statement, on either engine (a server's through
store.dialect.ddl)."""

from __future__ import annotations

import sqlite3

from epitool.store.location import is_server


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement: executescript() would COMMIT our open transaction."""
    server = is_server(conn)
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            if server:
                from epitool.store.dialect import ddl

                statement = ddl(statement)
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")
