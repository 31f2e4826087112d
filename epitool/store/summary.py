"""The day's follow-up, person by person, for the summary, the reports and the reminders.

Visits of the day (and the day before) are aggregated once per quarantine in one pass over
an index range, so the same query serves a village of 30 and a district of 50,000 people under
follow-up. Look-ups needed for a few people only (their last visit, their latest reading)
are separate queries over just those people.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

FOLLOWUP_KEYS = ("quarantine_id", "person_id", "name", "group", "village", "kind",
                 "start_date", "original_start", "last_day", "end_date", "status", "staff",
                 "visited", "missed", "fever", "symptomatic", "max_temp", "symptoms",
                 "visited_yesterday", "fever_yesterday")

_DAY_VISITS = (
    "SELECT quarantine_uid, max(outcome IN ('seen-ok', 'seen-not-ok')) AS visited,"
    " max(outcome = 'missed') AS missed, max(fever) AS fever,"
    " max(symptoms IS NOT NULL) AS symptomatic,"
    " max(max(coalesce(temp, 0), coalesce(temp2, 0))) AS max_temp,"
    " group_concat(symptoms) AS symptoms"
    " FROM effective_visits WHERE day = {day} AND quarantine_uid IS NOT NULL"
    " GROUP BY quarantine_uid")


def followups_on(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    """Everyone under follow-up on `day` (started by then, not ended before it)."""
    rows = conn.execute(
        f"WITH v AS ({_DAY_VISITS.format(day='?1')}),"
        f" y AS ({_DAY_VISITS.format(day='date(?1, ' + repr('-1 day') + ')')})"
        " SELECT q.id, r.id, r.name, r.group_name, coalesce(vg.name, r.village_code), q.kind,"
        " q.start_date, o.start_date, q.last_day, q.end_date, q.status, s.name,"
        " coalesce(v.visited, 0), coalesce(v.missed, 0), coalesce(v.fever, 0),"
        " coalesce(v.symptomatic, 0), nullif(v.max_temp, 0), v.symptoms,"
        " coalesce(y.visited, 0), coalesce(y.fever, 0)"
        " FROM quarantine_status q JOIN quarantines o ON o.uid = q.uid"
        " JOIN residents r ON r.uid = q.resident_uid"
        " LEFT JOIN villages vg ON vg.code = r.village_code"
        " LEFT JOIN staff s ON s.uid = q.staff_uid"
        " LEFT JOIN v ON v.quarantine_uid = q.uid LEFT JOIN y ON y.quarantine_uid = q.uid"
        " WHERE q.start_date <= ?1 AND (q.end_date IS NULL OR q.end_date >= ?1)"
        " ORDER BY r.group_name, r.name", (day,))
    return [dict(zip(FOLLOWUP_KEYS, row)) for row in rows]


def last_seen(conn: sqlite3.Connection, quarantine_ids: list[int],
              day: str) -> dict[int, str | None]:
    """The last day each was seen (seen-ok or seen-not-ok), up to `day`."""
    return dict(conn.execute(
        "SELECT q.id, (SELECT max(e.day) FROM effective_visits e WHERE e.quarantine_uid = q.uid"
        " AND e.day <= ?2 AND e.outcome IN ('seen-ok', 'seen-not-ok'))"
        " FROM quarantines q WHERE q.id IN (SELECT value FROM json_each(?1))",
        (json.dumps(quarantine_ids), day)))


def latest_reading(conn: sqlite3.Connection, quarantine_ids: list[int],
                   day: str) -> dict[int, tuple[str, bool, float]]:
    """(day, fever, highest temperature) of each one's latest visit with a temperature."""
    out = {}
    for qid, text in conn.execute(
            "SELECT q.id, (SELECT e.day || '|' || e.fever || '|' ||"
            " max(coalesce(e.temp, 0), coalesce(e.temp2, 0)) FROM effective_visits e"
            " WHERE e.quarantine_uid = q.uid AND e.day <= ?2"
            " AND (e.temp IS NOT NULL OR e.temp2 IS NOT NULL)"
            " ORDER BY e.day DESC, e.at DESC, e.id DESC LIMIT 1)"
            " FROM quarantines q WHERE q.id IN (SELECT value FROM json_each(?1))",
            (json.dumps(quarantine_ids), day)):
        if text:
            when, fever, temp = text.split("|")
            out[qid] = (when, fever == "1", float(temp))
    return out


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
