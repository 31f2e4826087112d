"""SQL for finding residents: listing, searching, and naming one person."""

from __future__ import annotations

import sqlite3
from typing import Any

from epitool.store.followup import RESPONSIBLE_SQL
from epitool.store.sql import shown_group, where

SELECT = (
    "SELECT r.id, r.uid, r.name, r.sex, r.id_number, r.phone, r.household_no,"
    f" {shown_group('r')},"
    " coalesce(v.name, r.village_code), r.address, r.relation,"
    f" {RESPONSIBLE_SQL.format(r='r')} FROM residents r"
    " LEFT JOIN villages v ON v.code = r.village_code")
KEYS = ("id", "uid", "name", "sex", "id_number", "phone", "household", "group", "village",
        "address", "relation", "responsible")
ORDER = " ORDER BY r.group_name, r.household_no, r.id"


def _dicts(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    return [dict(zip(KEYS, row)) for row in cursor]


def _like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def where_clause(group: str | None, name_like: str | None, id_tail: str | None,
                 names: list[str] | None, village: str | None = None) -> tuple[str, list[Any]]:
    import json

    return where(
        ("r.group_name = ?", [group]) if group else None,
        ("(r.village_code = ? OR r.village_code IN (SELECT code FROM villages WHERE name = ?))",
         [village, village]) if village else None,
        ("r.name LIKE ? ESCAPE '\\'", [f"%{_like(name_like)}%"]) if name_like else None,
        ("(r.id_number LIKE ? ESCAPE '\\' OR r.phone LIKE ? ESCAPE '\\')",
         [f"%{_like(id_tail)}"] * 2) if id_tail else None,
        ("r.name IN (SELECT value FROM json_each(?))", [json.dumps(names, ensure_ascii=False)])
        if names is not None else None)


def list_residents(conn: sqlite3.Connection, where: str, params: list[Any],
                   limit: int | None) -> list[dict[str, Any]]:
    sql = SELECT + where + ORDER + (" LIMIT ?" if limit else "")
    return _dicts(conn.execute(sql, [*params, limit] if limit else params))


def count_where(conn: sqlite3.Connection, where: str, params: list[Any]) -> int:
    return conn.execute(f"SELECT count(*) FROM residents r{where}", params).fetchone()[0]


def by_rowid(conn: sqlite3.Connection, rowid: int) -> list[dict[str, Any]]:
    return _dicts(conn.execute(SELECT + " WHERE r.id = ?", (rowid,)))


def by_id_number(conn: sqlite3.Connection, number: str) -> list[dict[str, Any]]:
    return _dicts(conn.execute(SELECT + " WHERE r.id_number = ?", (number,)))


def by_name(conn: sqlite3.Connection, name: str) -> list[dict[str, Any]]:
    return _dicts(conn.execute(SELECT + " WHERE r.name = ?" + ORDER, (name,)))


def household_members(conn: sqlite3.Connection, village_code: str,
                      household_no: str) -> list[dict[str, Any]]:
    return _dicts(conn.execute(
        SELECT + " WHERE r.village_code = ? AND r.household_no = ? ORDER BY r.id",
        (village_code, household_no)))


def village_code_of(conn: sqlite3.Connection, rowid: int) -> str:
    return conn.execute("SELECT village_code FROM residents WHERE id = ?",
                        (rowid,)).fetchone()[0]


def household_head(conn: sqlite3.Connection, village_code: str,
                   household_no: str) -> str | None:
    row = conn.execute("SELECT head_name FROM households WHERE village_code = ? AND"
                       " household_no = ?", (village_code, household_no)).fetchone()
    return row[0] if row else None


def distinct_names(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT DISTINCT name FROM residents")]


def cached_spellings(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT name, full FROM name_initials"))


def cache_spellings(conn: sqlite3.Connection, spelled: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO name_initials (name, initials, full) VALUES (?, ?, ?)"
        " ON CONFLICT (name) DO NOTHING",
        [(n, "".join(p[0] for p in s.split()), s) for n, s in spelled.items()])
