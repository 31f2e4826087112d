"""Backups, checks and restores of the database file."""

from __future__ import annotations

import os
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
    path returned)."""
    store.verify_backup_file(backup_file)
    if target.exists() and not force:
        raise InputError("restore_needs_force", path=str(target))
    kept = None
    if target.exists():
        kept = target.with_name(f"{target.stem}-before-restore-{stamp}.db")
        with open_db(target, busy_timeout=busy_timeout) as db:  # the -wal folded in
            store.backup(db.conn, kept)
    partial = target.with_name(f".{target.name}.restoring")
    shutil.copyfile(backup_file, partial)
    os.chmod(partial, 0o600)
    for suffix in ("-wal", "-shm"):
        stale = Path(f"{target}{suffix}")
        if stale.exists():
            stale.unlink()
    os.replace(partial, target)
    return kept
