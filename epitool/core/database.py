"""Opening the database for a use case: the one way the command line gets one."""

from __future__ import annotations

from pathlib import Path

from epitool.store.db import Database, memory_database, open_database

__all__ = ["Database", "open_db", "scratch_db"]


def open_db(path: Path, *, create: bool = False, busy_timeout: float = 10.0) -> Database:
    """The database at `path`, migrated to the current schema (made first with create)."""
    return open_database(path, create=create, busy_timeout=busy_timeout)


def scratch_db() -> Database:
    """An empty throwaway database: a dry run with no database yet checks against it."""
    return memory_database()
