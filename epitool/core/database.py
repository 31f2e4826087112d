"""Opening the database for a use case: the one way the command line gets one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from epitool.store.db import Database, memory_database, open_database

__all__ = ["Database", "open_db", "scratch_db"]


def open_db(path: Path, *, create: bool = False, busy_timeout: float = 10.0,
            on_wait: Callable[[], None] | None = None) -> Database:
    """The database at `path`, migrated to the current schema (made first with create).
    on_wait: called once when a write has waited a second for another program."""
    return open_database(path, create=create, busy_timeout=busy_timeout, on_wait=on_wait)


def scratch_db() -> Database:
    """An empty throwaway database: a dry run with no database yet checks against it."""
    return memory_database()
