"""SQL for checkpoints and their registrations."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from epitool.store.bulk import insert_flat, literal
from epitool.store.day_rules import breach_sql
from epitool.store.db import insert_row
from epitool.store.sql import shown_name


def is_breach(conn: sqlite3.Connection, log_id: int) -> bool:
    return conn.execute(f"SELECT {breach_sql('l')} FROM checkpoint_logs l WHERE l.id = ?",
                        (log_id,)).fetchone()[0] == 1

# A registration as an import's batches carry it (core.checkpoint_rows.wire): uid,
# checkpoint_uid, at, direction, name, id_number, phone, plate, plate_ok, origin, destination,
# temp, fever, turned_back, turn_back_reason
WIRE_FIELDS = 15

LOG_FIELDS = ("uid", "village_code", "checkpoint_uid", "at", "day", "direction", "name",
              "id_number", "phone", "plate", "plate_ok", "origin", "destination", "purpose",
              "temp", "fever", "turned_back", "turn_back_reason", "resident_uid", "created_at")


def add_checkpoint(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "checkpoints", ("uid", "village_code", "name", "location",
                                            "created_at"), values)


def checkpoint_named(conn: sqlite3.Connection, village_code: str,
                     name: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT id, uid, name FROM checkpoints WHERE village_code = ? AND"
                       " (name = ? OR '#' || id = ?)", (village_code, name, name)).fetchone()
    return dict(zip(("id", "uid", "name"), row)) if row else None


def list_checkpoints(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    return [dict(zip(("id", "name", "location", "today"), row)) for row in conn.execute(
        f"SELECT c.id, {shown_name('c')}, c.location, (SELECT count(*) FROM checkpoint_logs l"
        " WHERE l.checkpoint_uid = c.uid AND l.day = ?) FROM checkpoints c ORDER BY 2",
        (day,))]


def resident_by_id(conn: sqlite3.Connection, id_number: str | None) -> str | None:
    if not id_number:
        return None
    row = conn.execute("SELECT uid FROM residents WHERE id_number = ?", (id_number,)).fetchone()
    return row[0] if row else None


def add_log(conn: sqlite3.Connection, values: dict[str, Any]) -> int:
    return insert_row(conn, "checkpoint_logs", LOG_FIELDS, values)


def logs_on(conn: sqlite3.Connection, day: str, point: str | None) -> list[dict[str, Any]]:
    # in an office a point is named with its village (东村 村口), or alone for every village's
    clause, params = ("", [day]) if not point else (
        f" AND (c.name = ? OR {shown_name('c')} = ?)", [day, point, point])
    return [dict(zip(("point", "at", "direction", "plate", "fever", "turned_back",
                      "turn_back_reason"), row)) for row in conn.execute(
        f"SELECT {shown_name('c')}, l.at, l.direction, l.plate, l.fever, l.turned_back,"
        " l.turn_back_reason"
        " FROM checkpoint_logs l JOIN checkpoints c ON c.uid = l.checkpoint_uid"
        f" WHERE l.day = ?{clause} ORDER BY l.at", params)]


def insert_logs(conn: sqlite3.Connection, flat: Sequence[Any], village_code: str,
                now: str) -> None:
    """flat: WIRE_FIELDS values a row, one row after another.
    The day is made from the time. Imports record no purpose and match no resident."""
    village, stamp = literal(village_code), literal(now)
    insert_flat(
        conn, "INSERT INTO checkpoint_logs (uid, day, checkpoint_uid, at, direction, name,"
        " id_number, phone, plate, plate_ok, origin, destination, temp, fever, turned_back,"
        " turn_back_reason, village_code, purpose, resident_uid, created_at)"
        " SELECT column1, substr(column3, 1, 10), column2, column3, column4, column5,"
        " nullif(column6, ''), nullif(column7, ''), nullif(column8, ''),"
        " CAST(iif(column8 = '', NULL, column9) AS INTEGER), nullif(column10, ''),"
        " nullif(column11, ''), CAST(column12 AS DOUBLE PRECISION), CAST(column13 AS INTEGER),"
        f" CAST(column14 AS INTEGER), nullif(column15, ''), {village}, NULL, NULL, {stamp}"
        " FROM (VALUES {rows}) AS sheet", flat, WIRE_FIELDS)


def checkpoint_uids(conn: sqlite3.Connection, village_code: str) -> dict[str, str]:
    """Every way a sheet may name a checkpoint (its name, or #id) -> its uid."""
    found: dict[str, str] = {}
    for rowid, uid, name in conn.execute(
            "SELECT id, uid, name FROM checkpoints WHERE village_code = ?", (village_code,)):
        found[name] = uid
        found[f"#{rowid}"] = uid
    return found


def has_logs(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM checkpoint_logs LIMIT 1").fetchone() is not None


def registrations_on(conn: sqlite3.Connection, day: str) -> list[tuple[str, str, str, Any]]:
    """(checkpoint_uid, at, name, id_number) of a day's registrations."""
    return conn.execute("SELECT checkpoint_uid, at, name, id_number FROM checkpoint_logs"
                        " WHERE day = ?", (day,)).fetchall()
