"""SQL for residents and households."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from epitool.core.roster_households import FIELDS_PER_HOUSEHOLD, NewHouseholds
from epitool.core.roster_rows import Resident
from epitool.store.bulk import insert_flat, literal

STORED = "name, sex, id_number, phone, household_no, relation, group_name, address"


def count_residents(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM residents").fetchone()[0]


def insert_residents(conn: sqlite3.Connection, flat: Sequence[str | None],
                     village_code: str, now: str) -> None:
    """flat: uid and the 8 Resident fields of each row, one after another."""
    village, stamp = literal(village_code), literal(now)
    insert_flat(conn, "INSERT INTO residents (uid, village_code, name, sex, id_number, phone,"
                " household_no, relation, group_name, address, created_at, updated_at)"
                " VALUES {rows}", flat, 9,
                f"(?, {village}, ?, ?, ?, ?, ?, ?, ?, ?, {stamp}, {stamp})")


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


def insert_households(conn: sqlite3.Connection, found: NewHouseholds, village_code: str,
                      now: str) -> None:
    """Households new to the import (roster_households): created when new to the database
    too, their head filled in when still unknown; then the heads found later."""
    village, stamp = literal(village_code), literal(now)
    insert_flat(conn, "INSERT INTO households (uid, village_code, household_no, group_name,"
                " address, head_name, created_at) VALUES {rows}"
                " ON CONFLICT (village_code, household_no) DO UPDATE"
                " SET head_name = excluded.head_name"
                " WHERE head_name IS NULL AND excluded.head_name IS NOT NULL",
                found.households, FIELDS_PER_HOUSEHOLD, f"(?, {village}, ?, ?, ?, ?, {stamp})")
    heads = iter(found.heads)
    conn.executemany(f"UPDATE households SET head_name = ?2 WHERE village_code = {village}"
                     " AND household_no = ?1 AND head_name IS NULL", zip(heads, heads))


def refresh_groups(conn: sqlite3.Connection, village_code: str, now: str,
                   uid_head: str, uid_start: int) -> None:
    """The groups the households name. Ids are made in SQL (a UUIDv7 prefix and a counter,
    see core.uid.uid_block) rather than by calling Python once per group."""
    conn.execute(
        "INSERT INTO groups (uid, village_code, name, created_at)"
        " SELECT ? || printf('%012x', ? + row_number() OVER (ORDER BY grp)),"
        " ?, grp, ? FROM (SELECT DISTINCT group_name AS grp FROM households"
        "  WHERE village_code = ? AND group_name IS NOT NULL"
        "  AND group_name NOT IN (SELECT name FROM groups WHERE village_code = ?)) WHERE true",
        (uid_head, uid_start, village_code, now, village_code, village_code))
