"""Removing health records that are no longer needed (PIPL art. 6, minimum necessary).

What goes: the quarantines that ended before the day, with everything hanging on them; and,
for the people whose follow-up is then wholly in the past (no quarantine left), their other
health records before that day: visits logged with --force, needs, checkpoint registrations.
Their names stay off patrol findings, and the audit rows about removed records or naming
those people keep who did what and when, but no longer the details.
"""

from __future__ import annotations

import json
import sqlite3

from epitool.store.sql import where

# Children first: what points at a quarantine or a visit goes before it. purge_old: the
# quarantines; purge_gone: their people with nothing left; purge_visits: the visits.
_STEPS = (
    ("visit_voids", "DELETE FROM visit_voids WHERE visit_uid IN temp.purge_visits"),
    ("disinfections", "DELETE FROM disinfections WHERE visit_uid IN temp.purge_visits"),
    ("visits", "DELETE FROM visits WHERE uid IN temp.purge_visits"),
    ("quarantine_events", "DELETE FROM quarantine_events WHERE quarantine_uid IN temp.purge_old"),
    ("quarantine_corrections",
     "DELETE FROM quarantine_corrections WHERE quarantine_uid IN temp.purge_old"),
    ("quarantines", "DELETE FROM quarantines WHERE uid IN temp.purge_old"),
    ("needs_done", "DELETE FROM needs_done WHERE need_uid IN (SELECT uid FROM needs"
                   " WHERE resident_uid IN temp.purge_gone AND created_at < ?1)"),
    ("needs", "DELETE FROM needs WHERE resident_uid IN temp.purge_gone AND created_at < ?1"),
    ("checkpoint_logs", "DELETE FROM checkpoint_logs WHERE resident_uid IN temp.purge_gone"
                        " AND day < ?1"),
    ("patrols", "UPDATE patrols SET resident_uid = NULL WHERE resident_uid IN temp.purge_gone"
                " AND day < ?1"),
)
_TEMP = ("purge_old", "purge_gone", "purge_visits", "purge_targets")
# The audit rows whose target is a removed record, or whose details name a purged person
_TARGETS = (
    "INSERT INTO temp.purge_targets SELECT 'visits:' || value FROM temp.purge_visits"
    " UNION ALL SELECT 'quarantines:' || uid FROM temp.purge_old"
    " UNION ALL SELECT 'needs:' || uid FROM needs WHERE resident_uid IN temp.purge_gone"
    " AND created_at < ?1"
    " UNION ALL SELECT 'residents:' || uid FROM temp.purge_gone")


def purge_before(conn: sqlite3.Connection, day: str) -> dict[str, int]:
    """Health records before `day` (see the module). Returns counts per table."""
    for name in _TEMP:  # named apart from the real tables they would hide
        conn.execute(f"CREATE TEMP TABLE {name} ({'value' if name == 'purge_visits' else 'uid'}"
                     " TEXT PRIMARY KEY)")
    try:
        conn.execute("INSERT INTO temp.purge_old SELECT uid FROM quarantine_status"
                     " WHERE end_date IS NOT NULL AND end_date < ?", (day,))
        conn.execute("INSERT INTO temp.purge_gone SELECT DISTINCT resident_uid FROM quarantines q"
                     " WHERE uid IN temp.purge_old AND NOT EXISTS (SELECT 1 FROM quarantines o"
                     " WHERE o.resident_uid = q.resident_uid AND o.uid NOT IN temp.purge_old)")
        conn.execute("INSERT INTO temp.purge_visits SELECT uid FROM visits"
                     " WHERE quarantine_uid IN temp.purge_old OR (quarantine_uid IS NULL"
                     " AND resident_uid IN temp.purge_gone AND day < ?)", (day,))
        conn.execute(_TARGETS, (day,))
        redacted = _redact_audit(conn, day)
        removed = {}
        for table, sql in _STEPS:
            removed[table] = conn.execute(sql, (day,) if "?1" in sql else ()).rowcount
        removed["audit_redacted"] = redacted
        return removed
    finally:
        for name in _TEMP:
            conn.execute(f"DROP TABLE temp.{name}")


def _redact_audit(conn: sqlite3.Connection, day: str) -> int:
    note = json.dumps({"redacted": f"purge before {day}"})
    return conn.execute(
        "UPDATE audit SET detail = ? WHERE detail IS NOT NULL AND (target IN temp.purge_targets"
        " OR EXISTS (SELECT 1 FROM temp.purge_gone g WHERE instr(audit.detail, g.uid) > 0))",
        (note,)).rowcount


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
