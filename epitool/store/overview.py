"""Counts of the roster by village and group, for the demo and summaries."""

from __future__ import annotations

import sqlite3
from typing import Any

KEYS = ("village", "group", "households", "residents", "male", "female", "with_phone")


def roster_counts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    cursor = conn.execute(
        "SELECT coalesce(v.name, r.village_code), coalesce(r.group_name, ''),"
        " count(DISTINCT r.household_no), count(*), sum(r.sex = 'M'), sum(r.sex = 'F'),"
        " count(r.phone) FROM residents r LEFT JOIN villages v ON v.code = r.village_code"
        " GROUP BY 1, 2 ORDER BY 1, 2")
    return [dict(zip(KEYS, row)) for row in cursor]


def has_staff(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM staff LIMIT 1").fetchone() is not None
