"""SQL for duty shifts, enterprises, passes, patrols and residents' needs."""

from __future__ import annotations

import sqlite3
from typing import Any

from epitool.store.day_rules import breach_sql
from epitool.store.db import insert_row
from epitool.store.sql import flag, shown_group, shown_name


def add(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    if table not in ("duties", "enterprises", "enterprise_checks", "passes",
                     "pass_revocations", "patrols", "needs", "needs_done"):
        raise ValueError(table)  # table names come from code, never from input
    return insert_row(conn, table, tuple(k for k in values if k != "id"), values)


def duties_between(conn: sqlite3.Connection, start: str, end: str) -> list[dict[str, Any]]:
    return [dict(zip(("id", "point", "staff", "starts", "ends"), row)) for row in conn.execute(
        f"SELECT d.id, {shown_name('c')}, s.name, d.starts, d.ends FROM duties d"
        " JOIN checkpoints c ON c.uid = d.checkpoint_uid JOIN staff s ON s.uid = d.staff_uid"
        " WHERE d.starts < ? AND d.ends > ? ORDER BY 2, d.starts", (end, start))]


def checkpoint_names(conn: sqlite3.Connection) -> list[str]:
    return [n for (n,) in conn.execute(f"SELECT {shown_name('c')} FROM checkpoints c"
                                       " ORDER BY 1")]


def enterprise_named(conn: sqlite3.Connection, village: str, name: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT id, uid, name FROM enterprises WHERE village_code = ? AND"
                       " (name = ? OR '#' || id = ?)", (village, name, name)).fetchone()
    return dict(zip(("id", "uid", "name"), row)) if row else None


def enterprises(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    items = ("cleaned", "disinfected", "prevention_plan", "emergency_plan")
    checks = ", ".join(f"EXISTS (SELECT 1 FROM enterprise_checks k WHERE k.enterprise_uid ="
                       f" e.uid AND k.item = '{item}')" for item in items)
    return [dict(zip(("id", "name", "contact", "phone", "workers", *items), row))
            for row in conn.execute(f"SELECT e.id, {shown_name('e')}, e.contact, e.phone,"
                                    f" e.workers, {checks} FROM enterprises e ORDER BY 2")]


def pass_by_serial(conn: sqlite3.Connection, serial: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT p.uid, p.serial, p.kind, p.valid_from, p.valid_to, r.name, r.id_number,"
        " (SELECT reason FROM pass_revocations x WHERE x.pass_uid = p.uid),"
        " (SELECT name FROM enterprises e WHERE e.uid = p.enterprise_uid), r.uid"
        " FROM passes p JOIN residents r ON r.uid = p.resident_uid WHERE p.serial = ?",
        (serial,)).fetchone()
    keys = ("uid", "serial", "kind", "valid_from", "valid_to", "name", "id_number",
            "revoked", "enterprise", "resident_uid")
    return dict(zip(keys, row)) if row else None


def passes(conn: sqlite3.Connection, until: str | None) -> list[dict[str, Any]]:
    clause = " AND p.valid_to <= ?" if until else ""
    return [dict(zip(("serial", "name", "kind", "enterprise", "valid_from", "valid_to",
                      "revoked"), row)) for row in conn.execute(
        "SELECT p.serial, r.name, p.kind, (SELECT name FROM enterprises e WHERE e.uid ="
        " p.enterprise_uid), p.valid_from, p.valid_to,"
        " EXISTS (SELECT 1 FROM pass_revocations x WHERE x.pass_uid = p.uid)"
        " FROM passes p JOIN residents r ON r.uid = p.resident_uid"
        f" WHERE 1 = 1{clause} ORDER BY p.valid_to", [until] if until else [])]


def patrols_on(conn: sqlite3.Connection, day: str | None) -> list[dict[str, Any]]:
    clause, params = (" WHERE p.day = ?", [day]) if day else ("", [])
    return [dict(zip(("id", "at", "team", "area", "finding", "count", "action", "person"),
                     row)) for row in conn.execute(
        "SELECT p.id, p.at, p.team, p.area, p.finding, p.count, p.action,"
        " (SELECT name FROM residents r WHERE r.uid = p.resident_uid) FROM patrols p"
        f"{clause} ORDER BY p.at", params)]


def breaches_of(conn: sqlite3.Connection, resident_uid: str) -> list[dict[str, Any]]:
    """Breaches found by patrols and registered at checkpoints (going out while quarantined)."""
    return [dict(zip(("at", "team", "area", "action"), row)) for row in conn.execute(
        "SELECT at, team, area, action FROM patrols WHERE resident_uid = ?1"
        " AND finding = 'quarantine-breach' UNION ALL"
        " SELECT l.at, 'checkpoint', c.name, l.turn_back_reason FROM checkpoint_logs l"
        " JOIN checkpoints c ON c.uid = l.checkpoint_uid WHERE l.resident_uid = ?1"
        f" AND {breach_sql('l')} ORDER BY 1", (resident_uid,))]


def needs(conn: sqlite3.Connection, open_only: bool) -> list[dict[str, Any]]:
    clause = " WHERE d.id IS NULL" if open_only else ""
    return [dict(zip(("id", "uid", "person_id", "name", "group", "items", "note", "created_at",
                      "done_at", "quarantined"), row)) for row in conn.execute(
        f"SELECT n.id, n.uid, r.id, r.name, {shown_group('r')}, n.items, n.note, n.created_at,"
        " d.created_at, EXISTS (SELECT 1 FROM quarantine_status q WHERE q.resident_uid ="
        " r.uid AND q.status = 'active') FROM needs n JOIN residents r ON r.uid ="
        f" n.resident_uid LEFT JOIN needs_done d ON d.need_uid = n.uid{clause}"
        " ORDER BY n.id")]


def need_by_id(conn: sqlite3.Connection, rowid: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT n.uid, (SELECT 1 FROM needs_done d WHERE d.need_uid = n.uid)"
                       " FROM needs n WHERE n.id = ?", (rowid,)).fetchone()
    return {"uid": row[0], "done": bool(row[1])} if row else None


FIELD_KEYS = ("registrations", "people_in", "people_out", "vehicles", "turned_back",
              "abnormal_temperatures", "passes_issued", "patrol_findings",
              "quarantine_breaches", "needs_open")


def field_counts(conn: sqlite3.Connection, day: str) -> dict[str, int]:
    """The day's checkpoint, pass, patrol and need figures for the daily report."""
    row = conn.execute(
        # people in and out who passed: the turned back are counted as such, not as entering
        "SELECT count(*), coalesce(sum(" + flag("direction = 'in' AND turned_back = 0") + "), 0),"
        " coalesce(sum(" + flag("direction = 'out' AND turned_back = 0") + "), 0),"
        " count(plate), coalesce(sum(turned_back), 0), coalesce(sum(fever), 0),"
        " (SELECT count(*) FROM passes WHERE valid_from = ?1),"
        " (SELECT count(*) FROM patrols WHERE day = ?1),"
        " (SELECT count(*) FROM patrols WHERE day = ?1 AND finding = 'quarantine-breach')"
        f" + (SELECT count(*) FROM checkpoint_logs l WHERE l.day = ?1 AND {breach_sql('l')}),"
        " (SELECT count(*) FROM needs n WHERE NOT EXISTS"
        "  (SELECT 1 FROM needs_done d WHERE d.need_uid = n.uid))"
        " FROM checkpoint_logs WHERE day = ?1", (day,)).fetchone()
    return dict(zip(FIELD_KEYS, row))
