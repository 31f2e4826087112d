"""Temperatures from every source: visits (forced ones too) and checkpoint registrations
of residents. A fever stays open until a later normal reading of the same person."""

from __future__ import annotations

import sqlite3
from typing import Any

# Every reading of a person up to a day {d}, newest first: (at, fever, temperature, source).
_READINGS = (
    "SELECT at, fever, max(coalesce(temp, 0), coalesce(temp2, 0)) AS temp, 'visit' AS source"
    " FROM effective_visits WHERE resident_uid = {r} AND day <= {d}"
    " AND (temp IS NOT NULL OR temp2 IS NOT NULL)"
    " UNION ALL SELECT at, fever, temp, 'checkpoint' FROM checkpoint_logs"
    " WHERE resident_uid = {r} AND day <= {d} AND temp IS NOT NULL"
    " ORDER BY 1 DESC LIMIT 1")
READING_KEYS = ("at", "fever", "temp", "source")


def latest_reading(conn: sqlite3.Connection, resident_uid: str,
                   day: str) -> dict[str, Any] | None:
    row = conn.execute(_READINGS.format(r="?1", d="?2"), (resident_uid, day)).fetchone()
    return dict(zip(READING_KEYS, row)) if row else None


def fevers_since(conn: sqlite3.Connection, resident_uid: str, since: str) -> str | None:
    """The last day with a fever reading from `since` on, from any source."""
    row = conn.execute(
        "SELECT max(day) FROM (SELECT day FROM effective_visits WHERE resident_uid = ?1"
        " AND fever = 1 AND day >= ?2 UNION ALL SELECT day FROM checkpoint_logs"
        " WHERE resident_uid = ?1 AND fever = 1 AND day >= ?2)", (resident_uid, since)).fetchone()
    return row[0] if row else None


WATCH_KEYS = ("person_id", "name", "group", "household", "at", "temp", "source")


def fever_watch(conn: sqlite3.Connection, day: str, lookback_days: int) -> list[dict[str, Any]]:
    """Residents whose latest reading up to `day` is a fever, among those with a fever in
    the last lookback_days days: on the list until a normal reading follows. The fevers of
    a fortnight are few, so each is followed by a look-up of its own."""
    found = []
    for uid, person_id, name, group, household in conn.execute(
            "WITH f AS (SELECT resident_uid FROM effective_visits WHERE fever = 1"
            " AND day BETWEEN date(?1, '-' || ?2 || ' days') AND ?1"
            " UNION SELECT resident_uid FROM checkpoint_logs WHERE fever = 1"
            " AND resident_uid IS NOT NULL AND day BETWEEN date(?1, '-' || ?2 || ' days') AND ?1)"
            " SELECT r.uid, r.id, r.name, r.group_name, r.household_no FROM f"
            " JOIN residents r ON r.uid = f.resident_uid ORDER BY r.group_name, r.name",
            (day, lookback_days)).fetchall():
        reading = latest_reading(conn, uid, day)
        if reading and reading["fever"]:
            found.append({"person_id": person_id, "name": name, "group": group,
                          "household": household, "at": reading["at"],
                          "temp": reading["temp"], "source": reading["source"]})
    return found
