"""Backups, checks and restores of the database file."""

from __future__ import annotations

import shutil
from pathlib import Path

from epitool.core.database import open_db
from epitool.errors import InputError
from epitool.store import maintenance as store
from epitool.store.db import DAMAGED, Database, damage_reason


def backup(db: Database, target: Path) -> int:
    """A consistent copy while others use the database; its size in bytes."""
    return store.backup(db.conn, target)


def check(db: Database) -> list[str]:
    """What is wrong with the database, in plain words: damage, broken links, a schema
    that is not the one epitool builds. Empty when all is well."""
    problems = store.check(db.conn)
    if problems:
        return problems  # a damaged file: the schema cannot be read reliably
    try:
        return store.schema_differences(db.conn)
    except DAMAGED as exc:
        return [damage_reason(exc)]


def restore(target: Path, backup_file: Path, *, force: bool, stamp: str,
            busy_timeout: float) -> Path | None:
    """Put a backup in place of the database; the current one is kept beside it first (its
    path returned). A database in use is restored under its write lock, so that no write a
    clerk or a job was told had landed is lost (store.restore_live)."""
    store.verify_backup_file(backup_file)
    if target.exists() and not force:
        raise InputError("restore_needs_force", path=str(target))
    if not target.exists():
        _copy_into_place(backup_file, target)
        return None
    kept = target.with_name(f"{target.stem}-before-restore-{stamp}.db")
    prepared = target.with_name(f".{target.name}.{stamp}.restoring")
    try:
        _copy_into_place(backup_file, prepared)
        open_db(prepared).close()  # an older backup brought to the current schema
        with open_db(target, busy_timeout=busy_timeout) as db:
            store.restore_live(db, prepared, kept)
    finally:
        for leftover in (prepared, Path(f"{prepared}-wal"), Path(f"{prepared}-shm")):
            leftover.unlink(missing_ok=True)
    return kept


def _copy_into_place(source: Path, target: Path) -> None:
    """A copy of a database file, whole or absent, 0600, never through a link."""
    from epitool.io.writers import open_private

    with source.open("rb") as read, open_private(target, binary=True) as write:
        shutil.copyfileobj(read, write)
