"""The audit trail: one row per write, with who, when, which command and what changed."""

from __future__ import annotations

import sqlite3
from typing import Any

from epitool.ids import Actor, new_uid
from epitool.store.sql import OWN_ROW_ID

# What an office writes of its own; every other write is a village's record, which the
# office gets in the village's bundle (written here, it would reach no village)
OFFICE_ACTIONS = frozenset({"init", "bundle.import", "bundle.register", "report.sent", "reveal",
                            "purge", "db.grant"})


def record(conn: sqlite3.Connection, actor: Actor, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    """Every write records itself here, in its own transaction: so here too an office's
    database refuses a village's record (the transaction rolls back, nothing is kept)."""
    import json  # only writes pay for it

    if actor.office and action not in OFFICE_ACTIONS:
        from epitool.errors import InputError

        raise InputError("office_no_village_records", action=action)

    conn.execute(
        "INSERT INTO audit (id, uid, village_code, at, who, command, action, target, detail)"
        f" VALUES ({OWN_ROW_ID.format(table='audit')}, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_uid(), actor.village_code, actor.at, actor.who, actor.command, action, target,
         json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None))
