"""Schema migrations: an ordered list of small functions, applied on open, each in its own
transaction, numbered by SQLite's user_version.

Append only. Never edit a migration that has shipped: write a new one. Tests build the schema
from nothing and from every earlier version (tests/fixtures keeps a database per version).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from epitool.errors import DatabaseError

if TYPE_CHECKING:
    from epitool.store.db import Database

Migration = Callable[[sqlite3.Connection], None]


def run_script(conn: sqlite3.Connection, script: str) -> None:
    """Run DDL statement by statement: executescript() would COMMIT our open transaction."""
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""
    if statement.strip():
        raise ValueError(f"incomplete SQL statement in migration: {statement!r}")


def m001_areas_and_roster(conn: sqlite3.Connection) -> None:
    """Area hierarchy (office > village > group), households and residents.

    Every row has a UUIDv7 `uid` and the `village_code` it was created in, so village
    databases merge into an office database without clashes. Households are keyed by their
    户号 within a village, residents by ID number (or by name within a household when none).
    """
    run_script(conn, """
    CREATE TABLE offices (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE,
        village_code TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE villages (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, office TEXT, village_code TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE groups (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        name TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (village_code, name));
    CREATE TABLE households (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        household_no TEXT NOT NULL, group_name TEXT, head_name TEXT, address TEXT,
        created_at TEXT NOT NULL, UNIQUE (village_code, household_no));
    CREATE TABLE residents (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL, village_code TEXT NOT NULL,
        name TEXT NOT NULL, sex TEXT CHECK (sex IN ('M', 'F')), id_number TEXT,
        phone TEXT, household_no TEXT, relation TEXT, group_name TEXT, address TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE UNIQUE INDEX residents_uid ON residents (uid);
    CREATE UNIQUE INDEX residents_id_number ON residents (id_number)
        WHERE id_number IS NOT NULL;
    CREATE UNIQUE INDEX residents_name_household ON residents (village_code, household_no, name)
        WHERE id_number IS NULL;
    CREATE INDEX residents_household ON residents (village_code, household_no);
    CREATE TABLE name_initials (name TEXT PRIMARY KEY, initials TEXT NOT NULL,
        full TEXT NOT NULL) WITHOUT ROWID;
    """)


def m002_audit(conn: sqlite3.Connection) -> None:
    """Every write: who, when, which command, what changed (old values kept)."""
    run_script(conn, """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        at TEXT NOT NULL, who TEXT NOT NULL, command TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT, detail TEXT);
    CREATE INDEX audit_at ON audit (at);
    CREATE INDEX audit_target ON audit (target);
    """)


MIGRATIONS: list[Migration] = [m001_areas_and_roster, m002_audit]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: Database, current: int) -> None:
    if current > SCHEMA_VERSION:
        raise DatabaseError("db_too_new", path=str(db.path), version=current,
                            supported=SCHEMA_VERSION)
    for number in range(current + 1, SCHEMA_VERSION + 1):
        with db.write() as conn:
            # Another process may have migrated while we waited for the write lock.
            if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
                continue
            MIGRATIONS[number - 1](conn)
            conn.execute(f"PRAGMA user_version = {number}")
