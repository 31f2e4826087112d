"""Backups, checks and restores of the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from epitool.errors import DatabaseError, InputError
from epitool.store.db import DAMAGED, PRIVATE, create_private_file, damage_reason


def backup(conn: sqlite3.Connection, target: Path) -> int:
    """A consistent copy of a live database through SQLite's online backup API (other
    processes may go on writing), into a new private file. Returns its size in bytes."""
    try:
        create_private_file(target)
    except FileExistsError:
        raise InputError("output_exists", path=str(target)) from None
    except OSError as exc:
        raise InputError("output_unwritable", path=str(target), reason=exc.strerror) from None
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy, pages=4096)
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
    finally:
        copy.close()
    target.chmod(PRIVATE)
    return target.stat().st_size


def check(conn: sqlite3.Connection) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks; empty when all is well."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {table} row {rowid} -> {parent}"
                     for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]
    except DAMAGED as exc:  # too damaged to finish the check: that is the finding
        return [damage_reason(exc)]
    return problems


def verify_backup_file(path: Path) -> int:
    """Refuse to restore what is not a healthy epitool database; returns its schema version."""
    if not path.is_file():
        raise InputError("file_missing", path=str(path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            problems = check(conn)
            conn.execute("SELECT count(*) FROM residents").fetchone()
        finally:
            conn.close()
    except DAMAGED as exc:
        raise DatabaseError("db_not_sqlite", path=str(path), reason=damage_reason(exc)) from None
    if problems or version < 1:
        raise DatabaseError("restore_bad_file", path=str(path),
                            reason="; ".join(problems[:3]) or "no epitool schema")
    return version
