"""Creating a database and registering the configured office and village in it."""

from __future__ import annotations

from epitool.core.config import Config
from epitool.ids import Actor
from epitool.store.areas import ensure_area
from epitool.store.audit import record
from epitool.store.db import Database
from epitool.store.migrations import SCHEMA_VERSION


def initialise(db: Database, config: Config, actor: Actor) -> int:
    """The configured office and village registered (once); the schema version."""
    area = config["area"]
    with db.write() as conn:
        before = conn.total_changes
        ensure_area(conn, area["office"], area["village"], area["village_code"], actor.at)
        if conn.total_changes != before:
            record(conn, actor, "init", None, {"schema": SCHEMA_VERSION})
    return SCHEMA_VERSION
