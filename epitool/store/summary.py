"""The day's follow-up, person by person, for the summary and the reports."""

from __future__ import annotations

import sqlite3
from typing import Any

FOLLOWUP_KEYS = ("quarantine_id", "person_id", "name", "group", "kind", "start_date",
                 "last_day", "end_date", "status", "staff", "visited", "missed", "fever",
                 "symptomatic", "max_temp", "symptoms")


def followups_on(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    """Everyone under follow-up on `day` (started by then, not ended before it)."""
    return [dict(zip(FOLLOWUP_KEYS, row)) for row in conn.execute(
        "WITH today AS (SELECT * FROM effective_visits WHERE day = ?1)"
        " SELECT q.id, r.id, r.name, r.group_name, q.kind, q.start_date, q.last_day,"
        " q.end_date, q.status, (SELECT name FROM staff s WHERE s.uid = q.staff_uid),"
        " EXISTS (SELECT 1 FROM today v WHERE v.quarantine_uid = q.uid"
        "  AND v.outcome IN ('seen-ok', 'seen-not-ok')),"
        " EXISTS (SELECT 1 FROM today v WHERE v.quarantine_uid = q.uid"
        "  AND v.outcome = 'missed'),"
        " EXISTS (SELECT 1 FROM today v WHERE v.quarantine_uid = q.uid AND v.fever = 1),"
        " EXISTS (SELECT 1 FROM today v WHERE v.quarantine_uid = q.uid"
        "  AND v.symptoms IS NOT NULL),"
        " (SELECT max(max(coalesce(v.temp, 0), coalesce(v.temp2, 0))) FROM today v"
        "  WHERE v.quarantine_uid = q.uid),"
        " (SELECT group_concat(v.symptoms) FROM today v WHERE v.quarantine_uid = q.uid)"
        " FROM quarantine_status q JOIN residents r ON r.uid = q.resident_uid"
        " WHERE q.start_date <= ?1 AND (q.end_date IS NULL OR q.end_date >= ?1)"
        " ORDER BY r.group_name, r.name", (day,))]


def visits_by_staff(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    return [{"staff": row[0], "visits": row[1]} for row in conn.execute(
        "SELECT (SELECT name FROM staff s WHERE s.uid = v.staff_uid), count(*)"
        " FROM effective_visits v WHERE v.day = ? GROUP BY v.staff_uid ORDER BY 2 DESC, 1",
        (day,))]


def ended_on(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    return [{"group": row[0], "outcome": row[1]} for row in conn.execute(
        "SELECT r.group_name, q.status FROM quarantine_status q"
        " JOIN residents r ON r.uid = q.resident_uid WHERE q.end_date = ?", (day,))]
