"""SQL for the daily reports kept as sent, and the audit rows written after them."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from epitool.store.sql import OFFSET, OWN_ROW_ID

AUDIT_KEYS = ("id", "at", "who", "action", "target", "detail")


def add_sent(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO sent_reports (id, uid, village_code, day, by_area, numbers, audit_id,"
        f" sent_to, created_at) VALUES ({OWN_ROW_ID.format(table='sent_reports')}, :uid,"
        " :village_code, :day, :by_area, :numbers, :audit_id, :sent_to, :created_at)", values)


# A database's own rows only: in an office, a village's rows merged from its bundles are
# that village's reports and writes (numbered from OFFSET on), not the office's
def last_audit_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM audit WHERE id < ?",
                            (OFFSET,)).fetchone()[0])


def last_sent(conn: sqlite3.Connection, day: str, by: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT numbers, audit_id, sent_to, created_at FROM sent_reports"
        " WHERE day = ? AND by_area = ? AND id < ? ORDER BY id DESC LIMIT 1",
        (day, by, OFFSET)).fetchone()
    if row is None:
        return None
    return {"numbers": json.loads(row[0]), "audit_id": row[1], "sent_to": row[2],
            "sent_at": row[3]}


def audit_after(conn: sqlite3.Connection, audit_id: int, actions: tuple[str, ...]) -> list[
        dict[str, Any]]:
    """Audit rows written after audit_id whose action begins with one of `actions`."""
    like = " OR ".join("action LIKE ?" for _ in actions)
    return [dict(zip(AUDIT_KEYS, row)) for row in conn.execute(
        "SELECT id, at, who, action, target, detail FROM audit WHERE id > ? AND id < ?"
        f" AND ({like}) ORDER BY id", (audit_id, OFFSET, *(f"{a}%" for a in actions)))]


def visit_numbers(conn: sqlite3.Connection, uids: list[str]) -> dict[str, int]:
    return dict(conn.execute("SELECT uid, id FROM visits WHERE uid IN"
                             " (SELECT value FROM json_each(?))", (json.dumps(uids),)))
