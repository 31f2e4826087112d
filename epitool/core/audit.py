"""The audit trail: reading it, recording a reveal, and purging what is no longer needed."""

from __future__ import annotations

from datetime import date
from typing import Any

from epitool.core.people import find_person
from epitool.ids import Actor
from epitool.privacy import mask_numbers_in
from epitool.store import purge as store
from epitool.store.audit import record
from epitool.store.db import Database


def record_reveal(db: Database, actor: Actor, view: str, people: int,
                  target: str | None = None) -> None:
    """Full ID and phone numbers were shown (--reveal): who saw how many, in which view."""
    with db.write() as conn:
        record(conn, actor, "reveal", target, {"view": view, "rows": people})


def audit_trail(db: Database, since: date | None, person: str | None,
                mask: bool) -> list[dict[str, Any]]:
    """Every write since a day, or about one person; numbers in the details masked."""
    uid = find_person(db, person)["uid"] if person else None
    rows = store.audit_rows(db.conn, since.isoformat() if since else None, uid)
    if mask:
        for row in rows:
            row["detail"] = mask_numbers_in(str(row["detail"] or ""))
    return rows


def purgeable(db: Database, before: date) -> tuple[int, int]:
    """(quarantines, visits) that ended before the day."""
    return store.count_before(db.conn, before.isoformat())


def purge(db: Database, actor: Actor, before: date) -> dict[str, int]:
    """Quarantines ended before the day, with their visits and events (PIPL art. 6)."""
    day = before.isoformat()
    with db.write() as conn:
        removed = store.purge_before(conn, day)
        record(conn, actor, "purge", None, {"before": day, **removed})
    return removed
