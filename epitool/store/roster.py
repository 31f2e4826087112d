"""SQL for residents and households."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from epitool.core.roster_rows import Resident
from epitool.store.bulk import literal

HEADS = ("户主", "本人", "head", "self")

STORED = "name, sex, id_number, phone, household_no, relation, group_name, address"


def count_residents(conn: sqlite3.Connection) -> int:
    return conn.execute("SELECT count(*) FROM residents").fetchone()[0]


def insert_residents(conn: sqlite3.Connection, rows: Iterable[Sequence[Any]],
                     village_code: str, now: str) -> None:
    """rows: (uid, *Resident) tuples."""
    village, stamp = literal(village_code), literal(now)
    conn.executemany(
        "INSERT INTO residents (uid, village_code, name, sex, id_number, phone, household_no,"
        " relation, group_name, address, created_at, updated_at)"
        f" VALUES (?1, {village}, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, {stamp}, {stamp})", rows)


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


def upsert_households(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]],
                      village_code: str, now: str, uids: Iterator[str]) -> None:
    """Households named by a batch of (uid, *Resident) rows: created when new, their head
    filled in when still unknown. Rows of a household usually come together, so a batch
    costs about one statement per household."""
    found: dict[str, list[Any]] = {}
    for row in rows:
        household = row[5]
        if household is None:
            continue
        entry = found.get(household)
        if entry is None:
            entry = found[household] = [None, village_code, household, row[7], row[8], None,
                                        now]
        if entry[5] is None and row[6] in HEADS:
            entry[5] = row[1]
    for entry in found.values():
        entry[0] = next(uids)
    conn.executemany(
        "INSERT INTO households (uid, village_code, household_no, group_name, address,"
        " head_name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (village_code, household_no) DO UPDATE"
        " SET head_name = coalesce(head_name, excluded.head_name)"
        " WHERE head_name IS NULL AND excluded.head_name IS NOT NULL", found.values())


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
