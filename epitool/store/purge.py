"""Removing health records that are no longer needed (PIPL art. 6, minimum necessary)."""

from __future__ import annotations

import sqlite3

from epitool.store.db import where

# Children first: what points at a quarantine or a visit goes before it.
_STEPS = (
    ("visit_voids", "DELETE FROM visit_voids WHERE visit_uid IN"
                    " (SELECT uid FROM visits WHERE quarantine_uid IN old)"),
    ("disinfections", "DELETE FROM disinfections WHERE visit_uid IN"
                      " (SELECT uid FROM visits WHERE quarantine_uid IN old)"),
    ("visits", "DELETE FROM visits WHERE quarantine_uid IN old"),
    ("quarantine_events", "DELETE FROM quarantine_events WHERE quarantine_uid IN old"),
    ("quarantines", "DELETE FROM quarantines WHERE uid IN old"),
)


def purge_before(conn: sqlite3.Connection, day: str) -> dict[str, int]:
    """Quarantines that ended before `day`, with their visits and events. Returns counts."""
    conn.execute("CREATE TEMP TABLE old (uid TEXT PRIMARY KEY)")
    try:
        conn.execute("INSERT INTO old SELECT uid FROM quarantine_status"
                     " WHERE end_date IS NOT NULL AND end_date < ?", (day,))
        removed = {}
        for table, sql in _STEPS:
            removed[table] = conn.execute(sql.replace(" old", " temp.old")).rowcount
        return removed
    finally:
        conn.execute("DROP TABLE temp.old")


def count_before(conn: sqlite3.Connection, day: str) -> tuple[int, int]:
    row = conn.execute(
        "SELECT count(*), (SELECT count(*) FROM visits v WHERE v.quarantine_uid IN"
        " (SELECT uid FROM quarantine_status WHERE end_date < ?1)) FROM quarantine_status"
        " WHERE end_date IS NOT NULL AND end_date < ?1", (day,)).fetchone()
    return row[0], row[1]


AUDIT_KEYS = ("id", "at", "who", "command", "action", "target", "detail")


def audit_rows(conn: sqlite3.Connection, since: str | None,
               target_uid: str | None) -> list[dict[str, object]]:
    clause, params = where(
        ("at >= ?", [since]) if since else None,
        ("(target LIKE ? OR detail LIKE ?)", [f"%{target_uid}", f"%{target_uid}%"])
        if target_uid else None)
    return [dict(zip(AUDIT_KEYS, row)) for row in conn.execute(
        f"SELECT {', '.join(AUDIT_KEYS)} FROM audit{clause} ORDER BY id", params)]
