"""Office, village and group rows, made from the configuration and from imported groups."""

from __future__ import annotations

import sqlite3

from epitool.ids import new_uid


def ensure_area(conn: sqlite3.Connection, office: str, village: str, village_code: str,
                now: str) -> None:
    conn.execute(
        "INSERT INTO offices (uid, name, village_code, created_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (name) DO NOTHING", (new_uid(), office, village_code, now))
    conn.execute(
        "INSERT INTO villages (uid, code, name, office, village_code, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (code) DO NOTHING",
        (new_uid(), village_code, village, office, village_code, now))


def village_names(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT code, name FROM villages"))
