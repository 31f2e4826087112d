"""The day's follow-up, person by person, for the summary, the reports and the reminders.

The day's visits are aggregated once per quarantine (one pass over an index range), so the
same query serves a village of 30 and a district of 50,000 people under follow-up.
"""

from __future__ import annotations

import sqlite3
from typing import Any

FOLLOWUP_KEYS = ("quarantine_id", "person_id", "name", "group", "village", "kind",
                 "start_date", "original_start", "last_day", "end_date", "status", "staff",
                 "staff_uid", "visited", "missed", "fever", "symptomatic", "max_temp",
                 "symptoms", "last_seen", "latest_reading")


def followups_on(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    """Everyone under follow-up on `day` (started by then, not ended before it)."""
    rows = conn.execute(
        "WITH v AS (SELECT quarantine_uid,"
        "  max(outcome IN ('seen-ok', 'seen-not-ok')) AS visited,"
        "  max(outcome = 'missed') AS missed, max(fever) AS fever,"
        "  max(symptoms IS NOT NULL) AS symptomatic,"
        "  max(max(coalesce(temp, 0), coalesce(temp2, 0))) AS max_temp,"
        "  group_concat(symptoms) AS symptoms"
        "  FROM effective_visits WHERE day = ?1 AND quarantine_uid IS NOT NULL"
        "  GROUP BY quarantine_uid)"
        " SELECT q.id, r.id, r.name, r.group_name, coalesce(vg.name, r.village_code), q.kind,"
        " q.start_date, o.start_date, q.last_day, q.end_date, q.status, s.name, q.staff_uid,"
        " coalesce(v.visited, 0), coalesce(v.missed, 0), coalesce(v.fever, 0),"
        " coalesce(v.symptomatic, 0), nullif(v.max_temp, 0), v.symptoms,"
        " (SELECT max(day) FROM effective_visits e WHERE e.quarantine_uid = q.uid"
        "  AND e.day <= ?1 AND e.outcome IN ('seen-ok', 'seen-not-ok')),"
        " (SELECT e.day || '|' || e.fever || '|' || max(coalesce(e.temp, 0), coalesce(e.temp2, 0))"
        "  FROM effective_visits e WHERE e.quarantine_uid = q.uid AND e.day <= ?1"
        "  AND (e.temp IS NOT NULL OR e.temp2 IS NOT NULL) ORDER BY e.at DESC, e.id DESC LIMIT 1)"
        " FROM quarantine_status q JOIN quarantines o ON o.uid = q.uid"
        " JOIN residents r ON r.uid = q.resident_uid"
        " LEFT JOIN villages vg ON vg.code = r.village_code"
        " LEFT JOIN staff s ON s.uid = q.staff_uid"
        " LEFT JOIN v ON v.quarantine_uid = q.uid"
        " WHERE q.start_date <= ?1 AND (q.end_date IS NULL OR q.end_date >= ?1)"
        " ORDER BY r.group_name, r.name", (day,))
    return [dict(zip(FOLLOWUP_KEYS, row)) for row in rows]


def visits_by_staff(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    return [{"staff": row[0], "visits": row[1]} for row in conn.execute(
        "SELECT s.name, count(*) FROM effective_visits v LEFT JOIN staff s"
        " ON s.uid = v.staff_uid WHERE v.day = ? GROUP BY v.staff_uid ORDER BY 2 DESC, 1",
        (day,))]


def ended_on(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    return [{"group": row[0], "village": row[1], "outcome": row[2]} for row in conn.execute(
        "SELECT r.group_name, coalesce(vg.name, r.village_code), q.status"
        " FROM quarantine_status q JOIN residents r ON r.uid = q.resident_uid"
        " LEFT JOIN villages vg ON vg.code = r.village_code WHERE q.end_date = ?", (day,))]


def residents_by(conn: sqlite3.Connection, by: str) -> dict[str, int]:
    column = "r.group_name" if by == "group" else "coalesce(vg.name, r.village_code)"
    return {(row[0] or ""): row[1] for row in conn.execute(
        f"SELECT {column}, count(*) FROM residents r"
        " LEFT JOIN villages vg ON vg.code = r.village_code GROUP BY 1")}
