"""SQL for residents and households."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from epitool.core.roster_rows import Resident

HEADS = ("户主", "本人", "head", "self")

INSERT_RESIDENT = (
    "INSERT INTO residents (uid, village_code, name, sex, id_number, phone, household_no,"
    " relation, group_name, address, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
STORED = "name, sex, id_number, phone, household_no, relation, group_name, address"


def count_residents(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM residents").fetchone()[0]


def insert_residents(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]]) -> None:
    """rows: (uid, village_code, *Resident, created_at, updated_at) tuples."""
    conn.executemany(INSERT_RESIDENT, rows)


def drop_id_index(conn: sqlite3.Connection) -> None:
    """Bulk load into an empty table: building the index afterwards is several times faster
    than keeping it up to date row by row."""
    conn.execute("DROP INDEX residents_id_number")


def create_id_index(conn: sqlite3.Connection) -> None:
    conn.execute("CREATE UNIQUE INDEX residents_id_number ON residents (id_number)"
                 " WHERE id_number IS NOT NULL")


def existing_for(conn: sqlite3.Connection, village_code: str,
                 rows: Sequence[Resident]) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """Stored residents matching a batch, keyed like `resident_key`: (id,) or (hh, name)."""
    import json

    ids = [r.id_number for r in rows if r.id_number]
    found: dict[tuple[str, ...], tuple[Any, ...]] = {}
    if ids:
        for row in conn.execute(
                f"SELECT id, uid, {STORED} FROM residents WHERE id_number IN"
                " (SELECT value FROM json_each(?))", (json.dumps(ids),)):
            found[(row[4],)] = row
    named = [[r.household_no, r.name] for r in rows if not r.id_number]
    if named:
        for row in conn.execute(
                f"SELECT id, uid, {STORED} FROM residents WHERE id_number IS NULL"
                " AND village_code = ? AND (household_no, name) IN"
                " (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
                (village_code, json.dumps(named, ensure_ascii=False))):
            found[(row[6], row[2])] = row
    return found


def resident_key(r: Resident) -> tuple[str, ...]:
    return (r.id_number,) if r.id_number else (r.household_no or "", r.name)


def update_resident(conn: sqlite3.Connection, rowid: int, r: Resident, now: str) -> None:
    conn.execute(
        "UPDATE residents SET name = ?, sex = ?, id_number = ?, phone = ?, household_no = ?,"
        " relation = ?, group_name = ?, address = ?, updated_at = ? WHERE id = ?",
        (*r, now, rowid))


def refresh_households(conn: sqlite3.Connection, village_code: str, now: str,
                       next_uid: Callable[[], str]) -> int:
    """Create the households and groups the residents name; fill in missing heads."""
    conn.create_function("next_uid", 0, next_uid)
    heads = ", ".join("?" * len(HEADS))
    before = conn.total_changes
    conn.execute(
        "INSERT INTO households (uid, village_code, household_no, group_name, head_name,"
        " address, created_at)"
        f" SELECT next_uid(), ?, household_no, min(group_name),"
        f" max(CASE WHEN relation IN ({heads}) THEN name END), min(address), ?"
        " FROM residents WHERE village_code = ? AND household_no IS NOT NULL"
        " GROUP BY household_no ORDER BY household_no"
        " ON CONFLICT (village_code, household_no) DO NOTHING",
        (village_code, *HEADS, now, village_code))
    created = conn.total_changes - before
    conn.execute(
        "UPDATE households SET head_name = (SELECT name FROM residents r"
        f" WHERE r.village_code = households.village_code AND r.household_no ="
        f" households.household_no AND r.relation IN ({heads}) LIMIT 1)"
        " WHERE head_name IS NULL AND village_code = ?", (*HEADS, village_code))
    conn.execute(
        "INSERT INTO groups (uid, village_code, name, created_at)"
        " SELECT next_uid(), ?, group_name, ? FROM residents"
        " WHERE village_code = ? AND group_name IS NOT NULL GROUP BY group_name"
        " ON CONFLICT (village_code, name) DO NOTHING", (village_code, now, village_code))
    return created
