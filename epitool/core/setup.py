"""Creating a database and registering the configured office and village in it."""

from __future__ import annotations

from typing import Protocol

from epitool.core.config import Config
from epitool.ids import Actor
from epitool.store.areas import ensure_area
from epitool.store.audit import record
from epitool.store.db import Database
from epitool.store.migrations import SCHEMA_VERSION


class _Opens(Protocol):
    config: Config

    def open_db(self, *, create: bool = False) -> Database: ...

    def actor(self) -> Actor: ...


def initialise(app: _Opens) -> int:
    with app.open_db(create=True) as db:
        area = app.config["area"]
        actor = app.actor()
        with db.write() as conn:
            before = conn.total_changes
            ensure_area(conn, area["office"], area["village"], area["village_code"], actor.at)
            if conn.total_changes != before:
                record(conn, actor, "init", None, {"schema": SCHEMA_VERSION})
    return SCHEMA_VERSION
