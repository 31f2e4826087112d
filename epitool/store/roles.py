"""A database server's roles, each limited to one village's rows (or an office's, to all):
the rows in village_roles, the rights and the limits in store.row_security."""

from __future__ import annotations

import sqlite3

from epitool.errors import DatabaseError
from epitool.ids import new_uid
from epitool.store.location import is_server


def require_server(conn: sqlite3.Connection) -> None:
    if not is_server(conn):
        raise DatabaseError("grant_needs_server")


def known_villages(conn: sqlite3.Connection) -> list[str]:
    """The village codes a role may be limited to: this database's villages and the
    villages an office has registered."""
    return [row[0] for row in conn.execute(
        "SELECT code FROM villages UNION SELECT village_code FROM office_villages ORDER BY 1")]


def grant(conn: sqlite3.Connection, role: str, village_code: str | None, at: str) -> bool:
    """The role made or updated (see store.row_security.grant); whether it was made."""
    require_server(conn)
    from epitool.store import row_security

    conn.execute("INSERT INTO village_roles (uid, village_code, role_name, created_at)"
                 " VALUES (?, ?, ?, ?) ON CONFLICT (role_name) DO UPDATE"
                 " SET village_code = excluded.village_code",
                 (new_uid(), village_code, role, at))
    return row_security.grant(conn, role, village_code)
