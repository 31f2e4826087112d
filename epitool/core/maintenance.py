"""Backups, checks and restores of the database file."""

from __future__ import annotations

import shutil
from pathlib import Path

from epitool.core.database import open_db
from epitool.errors import DatabaseError, InputError
from epitool.store import maintenance as store
from epitool.store.db import (
    DAMAGED,
    Database,
    clear_damage,
    damage_noted,
    damage_reason,
    note_damage,
)


def backup(db: Database, target: Path) -> int:
    """A consistent copy while others use the database; its size in bytes."""
    return store.backup(db.conn, target)


def check(db: Database) -> list[str]:
    """What is wrong with the database, in plain words: damage, broken links, a schema
    that is not the one epitool builds. Empty when all is well."""
    problems = store.check(db.conn)
    if not problems:  # else a damaged file: its schema cannot be read reliably
        try:
            problems = store.schema_differences(db.conn)
        except DAMAGED as exc:
            problems = [damage_reason(exc)]
    if problems:
        note_damage(db.path, problems[0])  # no writes until a check passes or a restore
    else:
        clear_damage(db.path)
    return problems


def damage_met(path: Path, reason: str) -> None:
    """A command met damage: writes are refused until a check passes or a restore."""
    note_damage(path, reason)


def restore(target: Path, backup_file: Path, *, force: bool, stamp: str,
            busy_timeout: float) -> Path | None:
    """Put a backup in place of the database; the current one is kept beside it first (its
    path returned). A database in use is restored under its write lock, so that no write a
    clerk or a job was told had landed is lost (store.restore_live). A server's database is
    restored by its server (pg_restore)."""
    if not isinstance(target, Path):
        raise DatabaseError("pg_restore_by_server", path=str(target))
    store.verify_backup_file(backup_file)
    if target.exists() and not force:
        raise InputError("restore_needs_force", path=str(target))
    if not target.exists():
        _copy_into_place(backup_file, target)
        clear_damage(target)
        return None
    kept = target.with_name(f"{target.stem}-before-restore-{stamp}.db")
    prepared = target.with_name(f".{target.name}.{stamp}.restoring")
    try:
        _copy_into_place(backup_file, prepared)
        open_db(prepared).close()  # an older backup brought to the current schema
        if damage_noted(target):  # its rows cannot be read to replace them: the file goes
            _replace_damaged(target, prepared, kept)
        else:
            with open_db(target, busy_timeout=busy_timeout) as db:
                store.restore_live(db, prepared, kept)
        clear_damage(target)
    finally:
        for leftover in (prepared, Path(f"{prepared}-wal"), Path(f"{prepared}-shm")):
            leftover.unlink(missing_ok=True)
    return kept


def _replace_damaged(target: Path, prepared: Path, kept: Path) -> None:
    """A damaged database (it takes no writes) kept as it is, then replaced by the file."""
    import os

    _copy_into_place(target, kept)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(prepared, target)


def _copy_into_place(source: Path, target: Path) -> None:
    """A copy of a database file, whole or absent, 0600, never through a link."""
    from epitool.io.writers import open_private

    with source.open("rb") as read, open_private(target, binary=True) as write:
        shutil.copyfileobj(read, write)
