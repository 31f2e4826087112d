"""Counts of the roster by village and group, for the demo and summaries."""

from __future__ import annotations

import sqlite3
from typing import Any

from epitool.ids import Actor
from epitool.store.audit import record
from epitool.store.sql import flag

KEYS = ("village", "group", "households", "residents", "male", "female", "with_phone")


def roster_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    cursor = conn.execute(
        "SELECT coalesce(v.name, r.village_code), coalesce(r.group_name, ''),"
        " count(DISTINCT r.household_no), count(*), sum(" + flag("r.sex = 'M'") + "),"
        " sum(" + flag("r.sex = 'F'") + "),"
        " count(r.phone) FROM residents r LEFT JOIN villages v ON v.code = r.village_code"
        " GROUP BY 1, 2 ORDER BY 1, 2")
    return [dict(zip(KEYS, row)) for row in cursor]


def has_staff(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM staff LIMIT 1").fetchone() is not None


def is_demo_or_empty(conn: sqlite3.Connection) -> bool:
    """No records at all, or a database the demo built (its mark in the audit trail)."""
    marked = conn.execute("SELECT 1 FROM audit WHERE action = 'demo' LIMIT 1").fetchone()
    return marked is not None or all(
        conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() is None  # names from code
        for table in ("residents", "quarantines", "visits", "checkpoint_logs", "staff"))


def mark_demo(conn: sqlite3.Connection, actor: Actor) -> None:
    """The audit row that marks a database as the demo's (once)."""
    if conn.execute("SELECT 1 FROM audit WHERE action = 'demo' LIMIT 1").fetchone() is None:
        record(conn, actor, "demo", None, {"invented": True})
