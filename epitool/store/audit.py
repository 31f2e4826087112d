"""The audit trail: one row per write, with who, when, which command and what changed."""

from __future__ import annotations

import sqlite3
from typing import Any

from epitool.ids import Actor, new_uid
from epitool.store.db import OWN_ROW_ID


def record(conn: sqlite3.Connection, actor: Actor, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    import json  # only writes pay for it

    conn.execute(
        "INSERT INTO audit (id, uid, village_code, at, who, command, action, target, detail)"
        f" VALUES ({OWN_ROW_ID.format(table='audit')}, ?, ?, ?, ?, ?, ?, ?, ?)",
        (new_uid(), actor.village_code, actor.at, actor.who, actor.command, action, target,
         json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None))
