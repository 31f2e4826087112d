"""SQL for visits, their amendments and voids, and disinfection sites and rounds."""

from __future__ import annotations

import sqlite3
from datetime import date
from typing import Any

from epitool.store.day_rules import COUNT_START_ON, on_day
from epitool.store.db import insert_row
from epitool.store.sql import shown_group, shown_name, where

VISIT_FIELDS = ("uid", "village_code", "resident_uid", "quarantine_uid", "at", "day", "temp",
                "temp2", "symptoms", "outcome", "delivered", "disinfected", "garbage", "note",
                "staff_uid", "fever", "forced", "supersedes", "created_at")


def add_visit(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "visits", VISIT_FIELDS, values)


def get_visit(conn: sqlite3.Connection, rowid: int | None,
              uid: str | None) -> dict[str, Any] | None:
    cursor = conn.execute(f"SELECT id, {', '.join(VISIT_FIELDS)} FROM visits WHERE "
                          + ("id = ?" if rowid is not None else "uid = ?"),
                          (rowid if rowid is not None else uid,))
    row = cursor.fetchone()
    return dict(zip(("id", *VISIT_FIELDS), row)) if row else None


def replaced_by(conn: sqlite3.Connection, uid: str) -> int | None:
    row = conn.execute("SELECT id FROM visits WHERE supersedes = ?", (uid,)).fetchone()
    return row[0] if row else None


def is_voided(conn: sqlite3.Connection, uid: str) -> bool:
    return conn.execute("SELECT 1 FROM visit_voids WHERE visit_uid = ?",
                        (uid,)).fetchone() is not None


def add_void(conn: sqlite3.Connection, values: dict[str, Any]) -> None:
    insert_row(conn, "visit_voids", ("uid", "village_code", "visit_uid", "reason",
                                     "created_at"), values)


LIST_KEYS = ("id", "uid", "person_id", "name", "group", "at", "day", "temp", "temp2",
             "symptoms", "outcome", "delivered", "disinfected", "garbage", "fever", "forced",
             "note", "staff", "amends", "quarantine_day")


def list_visits(conn: sqlite3.Connection, day: str | None,
                resident_uid: str | None) -> list[dict[str, Any]]:
    clause, params = where(("v.day = ?", [day]) if day else None,
                           ("v.resident_uid = ?", [resident_uid]) if resident_uid else None)
    rows = [dict(zip(LIST_KEYS, row)) for row in conn.execute(
        f"SELECT v.id, v.uid, r.id, r.name, {shown_group('r')}, v.at, v.day, v.temp, v.temp2,"
        " v.symptoms, v.outcome, v.delivered, v.disinfected, v.garbage, v.fever, v.forced,"
        " v.note, (SELECT name FROM staff s WHERE s.uid = v.staff_uid),"
        " (SELECT id FROM visits o WHERE o.uid = v.supersedes),"
        " CASE WHEN q.start_date IS NULL THEN NULL"
        "  ELSE julianday(v.day) - julianday(q.start_date) + 1 END"
        " FROM effective_visits v JOIN residents r ON r.uid = v.resident_uid"
        " LEFT JOIN quarantine_status q ON q.uid = v.quarantine_uid"
        f"{clause} ORDER BY v.at, v.id", params)]
    for row in rows:
        if row["quarantine_day"] is not None:
            row["quarantine_day"] = int(row["quarantine_day"])
    return rows


def household_site(conn: sqlite3.Connection, village_code: str,
                   household_no: str | None) -> str | None:
    if not household_no:
        return None
    row = conn.execute("SELECT uid FROM sites WHERE village_code = ? AND kind = 'household'"
                       " AND household_no = ?", (village_code, household_no)).fetchone()
    return row[0] if row else None


def add_round(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "disinfections", (
        "uid", "village_code", "site_uid", "at", "day", "agent", "staff_uid", "note",
        "visit_uid", "created_at"), values)


def add_site(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "sites", ("uid", "village_code", "name", "kind", "every_days",
                                      "group_name", "household_no", "created_at"), values)


def site_named(conn: sqlite3.Connection, village_code: str, name: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT id, uid, name, kind FROM sites WHERE village_code = ? AND"
                       " (name = ? OR '#' || id = ?)", (village_code, name, name)).fetchone()
    return dict(zip(("id", "uid", "name", "kind"), row)) if row else None


SITE_KEYS = ("id", "name", "kind", "every_days", "group", "household", "village",
             "last_round", "rounds_today", "village_code", "overdue")


def list_sites(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    """Sites with their last round on or before `day`; overdue when none within every_days."""
    rows = conn.execute(
        # a household's site is in its household's group
        f"SELECT s.id, {shown_name('s')}, s.kind, s.every_days, coalesce(s.group_name, (SELECT"
        " h.group_name FROM households h WHERE h.village_code = s.village_code"
        " AND h.household_no = s.household_no)), s.household_no,"
        " coalesce((SELECT name FROM villages v WHERE v.code = s.village_code), s.village_code),"
        " (SELECT max(d.day) FROM disinfections d WHERE d.site_uid = s.uid AND d.day <= ?1),"
        " (SELECT count(*) FROM disinfections d WHERE d.site_uid = s.uid AND d.day = ?1),"
        " s.village_code FROM sites s ORDER BY 5, 2", (day,)).fetchall()
    today = date.fromisoformat(day)
    out = []
    for row in rows:
        item = dict(zip(SITE_KEYS, (*row, None)))
        last = item["last_round"]
        item["overdue"] = (last is None or
                           (today - date.fromisoformat(last)).days >= item["every_days"])
        out.append(item)
    return out


ROUND_KEYS = ("id", "site", "kind", "at", "day", "agent", "staff", "note", "from_visit")


def list_rounds(conn: sqlite3.Connection, day: str | None) -> list[dict[str, Any]]:
    clause, params = (" WHERE d.day = ?", [day]) if day else ("", [])
    return [dict(zip(ROUND_KEYS, row)) for row in conn.execute(
        "SELECT d.id, s.name, s.kind, d.at, d.day, d.agent,"
        " (SELECT name FROM staff t WHERE t.uid = d.staff_uid), d.note,"
        " (SELECT id FROM visits v WHERE v.uid = d.visit_uid)"
        f" FROM disinfections d JOIN sites s ON s.uid = d.site_uid{clause}"
        " ORDER BY d.at, d.id", params)]


def quarantine_on(conn: sqlite3.Connection, resident_uid: str, day: str) -> dict[str, Any] | None:
    """The quarantine that covered `day` for this resident, if any."""
    # start_date: where the count of days stood that day (an extension restarts it)
    row = conn.execute(
        f"SELECT uid, {on_day(COUNT_START_ON, d='?2')}, days, staff_uid FROM quarantine_status q"
        " WHERE resident_uid = ?1 AND original_start <= ?2"
        " AND (end_date IS NULL OR end_date >= ?2)"
        " ORDER BY id DESC LIMIT 1", (resident_uid, day)).fetchone()
    return dict(zip(("uid", "start_date", "days", "staff_uid"), row)) if row else None


def same_visit_exists(conn: sqlite3.Connection, values: dict[str, Any]) -> bool:
    """An effective visit with the same person, time and findings: a re-imported row."""
    return conn.execute(
        "SELECT 1 FROM effective_visits WHERE resident_uid = :resident_uid AND at = :at"
        " AND temp IS :temp AND temp2 IS :temp2 AND symptoms IS :symptoms"
        " AND outcome = :outcome", values).fetchone() is not None
