"""The audit trail: one row per write, with who, when, which command and what changed."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from epitool.core.uid import new_uid


@dataclass(frozen=True)
class Actor:
    """Who is writing and through which command; `command` has ID numbers already masked."""

    who: str
    command: str
    village_code: str
    at: str


def record(conn: sqlite3.Connection, actor: Actor, action: str, target: str | None = None,
           detail: dict[str, Any] | None = None) -> None:
    conn.execute(
        "INSERT INTO audit (uid, village_code, at, who, command, action, target, detail)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (new_uid(), actor.village_code, actor.at, actor.who, actor.command, action, target,
         json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else None))
