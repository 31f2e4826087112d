"""Where a database is: a file's Path, or a server's URL (store.server.ServerLocation, which
stands where a Path does). Cheap to import: every command resolves --db at start."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

SCHEMES = ("postgresql://", "postgres://")  # the URLs psycopg takes


def location_of(text: str | os.PathLike[str]) -> Path:
    """--db's value (or the config's `database:`): a postgresql:// URL or a file's path."""
    text = os.fspath(text)
    if not text.startswith(SCHEMES):
        return Path(text)
    from epitool.store.server import ServerLocation

    return ServerLocation(text)  # type: ignore[return-value]


def is_server(conn: Any) -> bool:
    """Whether a connection is to a database server (store.server) rather than a file."""
    return getattr(conn, "engine", "") == "postgresql"
