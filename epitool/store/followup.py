"""SQL for staff, responsibility and quarantines."""

from __future__ import annotations

import sqlite3
from typing import Any

from epitool.store.db import insert_row
from epitool.store.sql import SEEN, shown_group, where

STAFF_KEYS = ("id", "uid", "name", "team", "phone")
QUARANTINE_KEYS = ("id", "uid", "resident_uid", "kind", "reason", "place", "staff_uid",
                   "start_date", "days", "last_day", "end_date", "status", "original_start",
                   "first_days", "continues_uid")


def _rows(cursor: sqlite3.Cursor, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    return [dict(zip(keys, row)) for row in cursor]


def add_staff(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "staff", ("uid", "village_code", "name", "team", "phone",
                                      "created_at"), values)


def staff_named(conn: sqlite3.Connection, village_code: str, name: str) -> list[dict[str, Any]]:
    return _rows(conn.execute(
        "SELECT id, uid, name, team, phone FROM staff WHERE village_code = ? AND name = ?",
        (village_code, name)), STAFF_KEYS)


def staff_by_id(conn: sqlite3.Connection, rowid: int) -> list[dict[str, Any]]:
    return _rows(conn.execute("SELECT id, uid, name, team, phone FROM staff WHERE id = ?",
                              (rowid,)), STAFF_KEYS)


def staff_by_uid(conn: sqlite3.Connection, uid: str) -> dict[str, Any] | None:
    found = _rows(conn.execute("SELECT id, uid, name, team, phone FROM staff WHERE uid = ?",
                               (uid,)), STAFF_KEYS)
    return found[0] if found else None


def list_staff(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(conn.execute(
        "SELECT s.id, s.uid, s.name, s.team, s.phone,"
        " (SELECT count(*) FROM responsibilities r WHERE r.staff_uid = s.uid"
        "  AND r.household_no IS NOT NULL), "
        " (SELECT group_concat(group_name, ', ') FROM responsibilities r"
        "  WHERE r.staff_uid = s.uid AND r.group_name IS NOT NULL)"
        " FROM staff s ORDER BY s.team, s.name"), (*STAFF_KEYS, "households", "groups"))


def assign(conn: sqlite3.Connection, rows: list[dict[str, Any]]) -> None:
    conn.executemany(
        "INSERT INTO responsibilities (uid, village_code, staff_uid, household_no, group_name,"
        " created_at) VALUES (:uid, :village_code, :staff_uid, :household_no, :group_name,"
        " :created_at)", rows)


def known_households(conn: sqlite3.Connection, village_code: str,
                     numbers: list[str]) -> set[str]:
    import json

    return {r[0] for r in conn.execute(
        "SELECT household_no FROM households WHERE village_code = ? AND household_no IN"
        " (SELECT value FROM json_each(?))", (village_code, json.dumps(numbers)))}


def known_group(conn: sqlite3.Connection, village_code: str, group: str) -> bool:
    return conn.execute("SELECT 1 FROM groups WHERE village_code = ? AND name = ?",
                        (village_code, group)).fetchone() is not None


# The latest assignment wins: a household's own, else its group's.
RESPONSIBLE_SQL = (
    "coalesce((SELECT s.name FROM responsibilities p JOIN staff s ON s.uid = p.staff_uid"
    " WHERE p.village_code = {r}.village_code AND p.household_no = {r}.household_no"
    " ORDER BY p.id DESC LIMIT 1),"
    " (SELECT s.name FROM responsibilities p JOIN staff s ON s.uid = p.staff_uid"
    " WHERE p.village_code = {r}.village_code AND p.group_name = {r}.group_name"
    " ORDER BY p.id DESC LIMIT 1))")
RESPONSIBLE_UID_SQL = RESPONSIBLE_SQL.replace("SELECT s.name", "SELECT s.uid")


def responsible_for(conn: sqlite3.Connection, resident_uid: str) -> dict[str, Any] | None:
    row = conn.execute(
        f"SELECT {RESPONSIBLE_UID_SQL.format(r='r')} FROM residents r WHERE r.uid = ?",
        (resident_uid,)).fetchone()
    return staff_by_uid(conn, row[0]) if row and row[0] else None


def add_quarantine(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "quarantines", (
        "uid", "village_code", "resident_uid", "kind", "start_date", "days", "reason", "place",
        "staff_uid", "continues_uid", "created_at"), values)


def add_correction(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    insert_row(conn, "quarantine_corrections", (
        "uid", "village_code", "quarantine_uid", "start_date", "days", "reason", "created_at"),
        values)


def add_event(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    insert_row(conn, "quarantine_events", (
        "uid", "village_code", "quarantine_uid", "event", "outcome", "event_date", "days",
        "note", "created_at"), values)


def active_quarantine(conn: sqlite3.Connection, resident_uid: str) -> dict[str, Any] | None:
    found = _rows(conn.execute(
        f"SELECT {', '.join(QUARANTINE_KEYS)} FROM quarantine_status"
        " WHERE resident_uid = ? AND status = 'active' ORDER BY id DESC LIMIT 1",
        (resident_uid,)), QUARANTINE_KEYS)
    return found[0] if found else None


def quarantines_of(conn: sqlite3.Connection, resident_uid: str) -> list[dict[str, Any]]:
    """A person's quarantines, the latest first."""
    return _rows(conn.execute(
        f"SELECT {', '.join(QUARANTINE_KEYS)} FROM quarantine_status"
        " WHERE resident_uid = ? ORDER BY id DESC", (resident_uid,)), QUARANTINE_KEYS)


def last_seen_day(conn: sqlite3.Connection, quarantine_uid: str) -> str | None:
    row = conn.execute(
        f"SELECT max(day) FROM effective_visits WHERE quarantine_uid = ? AND {SEEN}",
        (quarantine_uid,)).fetchone()
    return row[0] if row else None


LIST_COLUMNS = (
    f"q.id, r.id, r.name, r.id_number, {shown_group('r')}, r.household_no, q.kind,"
    " q.start_date,"
    " q.days, q.last_day, q.end_date, q.status, q.reason, q.place,"
    " (SELECT name FROM staff s WHERE s.uid = q.staff_uid),"
    " (SELECT max(day) FROM effective_visits v WHERE v.quarantine_uid = q.uid"
    f"  AND v.{SEEN})")
LIST_KEYS = ("id", "person_id", "name", "id_number", "group", "household", "kind",
             "start_date", "days", "last_day", "end_date", "status", "reason", "place",
             "staff", "last_visit")


def list_quarantines(conn: sqlite3.Connection, statuses: list[str] | None,
                     ending: str | None) -> list[dict[str, Any]]:
    import json

    clause, params = where(
        ("q.status IN (SELECT value FROM json_each(?))", [json.dumps(statuses)])
        if statuses else None,
        ("q.last_day = ?", [ending]) if ending else None)
    return _rows(conn.execute(
        f"SELECT {LIST_COLUMNS} FROM quarantine_status q JOIN residents r"
        f" ON r.uid = q.resident_uid{clause} ORDER BY r.group_name, q.start_date, q.id",
        params), LIST_KEYS)
