"""SQL for residents and households."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from epitool.store.bulk import insert_flat, literal

STORED = "name, sex, id_number, phone, household_no, relation, group_name, address"
# A resident row as the core hands it over: the STORED fields in order
_NAME, _ID_NUMBER, _HOUSEHOLD = 0, 2, 4
FIELDS_PER_HOUSEHOLD = 5  # uid, household_no, group_name, address, head_name


def count_residents(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM residents").fetchone()[0]


def insert_residents(conn: sqlite3.Connection, flat: Sequence[str | None],
                     village_code: str, now: str) -> None:
    """flat: uid and the 8 STORED fields of each row, one after another."""
    village, stamp = literal(village_code), literal(now)
    insert_flat(conn, "INSERT INTO residents (uid, village_code, name, sex, id_number, phone,"
                " household_no, relation, group_name, address, created_at, updated_at)"
                " VALUES {rows}", flat, 9,
                f"(?, {village}, ?, ?, ?, ?, ?, ?, ?, ?, {stamp}, {stamp})")


def existing_for(conn: sqlite3.Connection, village_code: str,
                 rows: Sequence[Sequence[Any]]) -> dict[tuple[str, ...], tuple[Any, ...]]:
    """Stored residents matching a batch, keyed like `resident_key`: (id,) or (hh, name)."""
    import json

    ids = [r[_ID_NUMBER] for r in rows if r[_ID_NUMBER]]
    found: dict[tuple[str, ...], tuple[Any, ...]] = {}
    if ids:
        for row in conn.execute(
                f"SELECT id, uid, {STORED} FROM residents WHERE id_number IN"
                " (SELECT value FROM json_each(?))", (json.dumps(ids),)):
            found[(row[4],)] = row
    named = [[r[_HOUSEHOLD], r[_NAME]] for r in rows if not r[_ID_NUMBER]]
    if named:
        for row in conn.execute(
                f"SELECT id, uid, {STORED} FROM residents WHERE id_number IS NULL"
                " AND village_code = ? AND (household_no, name) IN"
                " (SELECT value ->> 0, value ->> 1 FROM json_each(?))",
                (village_code, json.dumps(named, ensure_ascii=False))):
            found[(row[6], row[2])] = row
    return found


def resident_key(r: Sequence[Any]) -> tuple[str, ...]:
    """How existing_for keys a stored resident: (id_number,) or (household_no, name)."""
    return (r[_ID_NUMBER],) if r[_ID_NUMBER] else (r[_HOUSEHOLD] or "", r[_NAME])


def update_resident(conn: sqlite3.Connection, rowid: int, r: Sequence[Any], now: str) -> None:
    conn.execute(
        "UPDATE residents SET name = ?, sex = ?, id_number = ?, phone = ?, household_no = ?,"
        " relation = ?, group_name = ?, address = ?, updated_at = ? WHERE id = ?",
        (*r, now, rowid))


def insert_households(conn: sqlite3.Connection, households: Sequence[str | None],
                      heads: Sequence[str], village_code: str, now: str) -> None:
    """Households new to the import (FIELDS_PER_HOUSEHOLD values each): created when new to
    the database too, their head filled in when still unknown; then the heads found later
    ((household_no, head_name) pairs, flat)."""
    village, stamp = literal(village_code), literal(now)
    insert_flat(conn, "INSERT INTO households (uid, village_code, household_no, group_name,"
                " address, head_name, created_at) VALUES {rows}"
                " ON CONFLICT (village_code, household_no) DO UPDATE"
                " SET head_name = excluded.head_name"
                " WHERE households.head_name IS NULL AND excluded.head_name IS NOT NULL",
                households, FIELDS_PER_HOUSEHOLD, f"(?, {village}, ?, ?, ?, ?, {stamp})")
    pairs = iter(heads)
    conn.executemany(f"UPDATE households SET head_name = ?2 WHERE village_code = {village}"
                     " AND household_no = ?1 AND head_name IS NULL", zip(pairs, pairs))


def refresh_groups(conn: sqlite3.Connection, village_code: str, now: str,
                   uid_head: str, uid_start: int) -> None:
    """The groups the households name. Ids are made in SQL (a UUIDv7 prefix and a counter,
    see ids.uid_block) rather than by calling Python once per group."""
    conn.execute(
        "INSERT INTO groups (uid, village_code, name, created_at)"
        " SELECT ? || printf('%012x', ? + row_number() OVER (ORDER BY grp)),"
        " ?, grp, ? FROM (SELECT DISTINCT group_name AS grp FROM households"
        "  WHERE village_code = ? AND group_name IS NOT NULL"
        "  AND group_name NOT IN (SELECT name FROM groups WHERE village_code = ?)) AS new_groups"
        " WHERE true",
        (uid_head, uid_start, village_code, now, village_code, village_code))


def rowid_of(conn: sqlite3.Connection, uid: str) -> int:
    return int(conn.execute("SELECT id FROM residents WHERE uid = ?", (uid,)).fetchone()[0])


def rename_resident(conn: sqlite3.Connection, uid: str, name: str, now: str) -> None:
    conn.execute("UPDATE residents SET name = ?, updated_at = ? WHERE uid = ?", (name, now, uid))
