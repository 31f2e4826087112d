"""Temperatures from every source: visits (forced ones too) and checkpoint registrations
of residents. A fever stays open until a later normal reading of the same person."""

from __future__ import annotations

import sqlite3
from typing import Any

from epitool.store.sql import shown_group

# A fever this many days old or newer, with no reading since, is still open
FEVER_WATCH_DAYS = 14


def fevers_since(conn: sqlite3.Connection, resident_uid: str, since: str) -> str | None:
    """The last day with a fever reading from `since` on, from any source."""
    row = conn.execute(
        "SELECT max(day) FROM (SELECT day FROM effective_visits WHERE resident_uid = ?1"
        " AND fever = 1 AND day >= ?2 UNION ALL SELECT day FROM checkpoint_logs"
        " WHERE resident_uid = ?1 AND fever = 1 AND day >= ?2) AS fevers",
        (resident_uid, since)).fetchone()
    return row[0] if row else None


WATCH_KEYS = ("person_id", "name", "group", "household", "at", "temp", "source")


def fever_watch(conn: sqlite3.Connection, day: str,
                resident_uid: str | None = None) -> list[dict[str, Any]]:
    """Residents (or the one resident) whose latest fever in the last FEVER_WATCH_DAYS days,
    from any source, has no reading after it up to `day`: on the list until a normal reading
    follows. Found through the fevers (a small partial index), then one look each for a
    later reading."""
    only = " AND resident_uid = ?3" if resident_uid else ""
    rows = conn.execute(
        # each person's latest fever, with its temperature and source
        "WITH f AS (SELECT resident_uid, at, temp, source, day FROM (SELECT *,"
        " row_number() OVER (PARTITION BY resident_uid ORDER BY at DESC) AS latest FROM ("
        " SELECT resident_uid, at, max(coalesce(temp, 0), coalesce(temp2, 0)) AS temp,"
        " 'visit' AS source, day FROM effective_visits WHERE fever = 1"
        f" AND day BETWEEN date(?1, '-' || ?2 || ' days') AND ?1{only}"
        " UNION ALL SELECT resident_uid, at, temp, 'checkpoint', day FROM checkpoint_logs"
        " WHERE fever = 1 AND resident_uid IS NOT NULL"
        f" AND day BETWEEN date(?1, '-' || ?2 || ' days') AND ?1{only}) AS fevers) AS ranked"
        " WHERE latest = 1)"
        f" SELECT p.id, p.name, {shown_group('p')}, p.household_no, f.at, f.temp, f.source"
        " FROM f"
        " JOIN residents p ON p.uid = f.resident_uid"
        " WHERE NOT EXISTS (SELECT 1 FROM effective_visits v"
        " WHERE v.resident_uid = f.resident_uid AND v.day BETWEEN f.day AND ?1"
        " AND v.at > f.at AND (v.temp IS NOT NULL OR v.temp2 IS NOT NULL))"
        " AND NOT EXISTS (SELECT 1 FROM checkpoint_logs c WHERE c.resident_uid = f.resident_uid"
        " AND c.day BETWEEN f.day AND ?1 AND c.at > f.at AND c.temp IS NOT NULL)"
        " ORDER BY p.group_name, p.name",
        (day, FEVER_WATCH_DAYS, *([resident_uid] if resident_uid else [])))
    return [dict(zip(WATCH_KEYS, row)) for row in rows]
