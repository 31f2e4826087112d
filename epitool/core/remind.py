"""What is due, and for each: who is responsible and the exact command that resolves it.

Built for cron: pure data here; the CLI decides on silence (--quiet) and exit codes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta
from typing import Any

from epitool.store import summary as store
from epitool.store import visits
from epitool.store.db import Database

KINDS = ("fever_recheck", "visit_due", "missed_yesterday", "overdue_end", "ending_today",
         "ending_tomorrow", "disinfection_overdue")


@dataclass(frozen=True)
class Due:
    kind: str
    subject: str  # "#3 席晓东" or a site name
    group: str | None
    staff: str | None
    detail: str  # machine-readable detail: a date, a temperature
    command: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def due_on(db: Database, day: date, staff: str | None = None) -> list[Due]:
    today, yesterday = day.isoformat(), (day - timedelta(days=1)).isoformat()
    people = store.followups_on(db.conn, today)
    before = {p["quarantine_id"]: p for p in store.followups_on(db.conn, yesterday)}
    items: list[Due] = []
    for p in people:
        items.extend(_person_items(p, before.get(p["quarantine_id"]), today, yesterday))
    for site in visits.list_sites(db.conn, today):
        if site["overdue"]:
            items.append(Due("disinfection_overdue", site["name"], site["group"], None,
                             site["last_round"] or "", f'epitool disinfect log "{site["name"]}"'))
    if staff:
        items = [i for i in items if i.staff == staff]
    return sorted(items, key=lambda i: (KINDS.index(i.kind), i.group or "", i.subject))


def _person_items(p: dict[str, Any], yesterday_row: dict[str, Any] | None, today: str,
                  yesterday: str) -> list[Due]:
    who = f"#{p['person_id']} {p['name']}"
    ref = f"#{p['person_id']}"

    def due(kind: str, detail: str, command: str) -> Due:
        return Due(kind, who, p["group"], p["staff"], detail, command)

    out: list[Due] = []
    if p["status"] != "active":
        return out
    reading = _latest_reading(p["latest_reading"])
    if reading and reading[1] and reading[0] >= yesterday:
        # The latest temperature taken, today or yesterday, was a fever: measure again.
        out.append(due("fever_recheck", f"{reading[2]:g}", f"epitool visit log {ref} --temp 36.5"))
    if p["last_day"] < today:
        if (p["last_seen"] or "") >= p["last_day"]:
            out.append(due("overdue_end", p["last_day"],
                           f"epitool quarantine end {ref} --outcome completed"))
        else:
            out.append(due("overdue_end", p["last_day"], f"epitool visit log {ref} --temp 36.5"))
        return out
    if not p["visited"]:
        out.append(due("visit_due", today, f"epitool visit log {ref} --temp 36.5"))
    if yesterday_row is not None and not yesterday_row["visited"]:
        # If the visit did happen but was not written down, record it for yesterday.
        out.append(due("missed_yesterday", yesterday,
                       f'epitool visit log {ref} --at "{yesterday} 09:00" --temp 36.5'))
    if p["last_day"] == today:
        out.append(due("ending_today", today,
                       f"epitool quarantine end {ref} --outcome completed"))
    elif p["last_day"] == (date.fromisoformat(today) + timedelta(days=1)).isoformat():
        out.append(due("ending_tomorrow", p["last_day"], "epitool quarantine list --ending tomorrow"))
    return out


def _latest_reading(text: str | None) -> tuple[str, bool, float] | None:
    """(day, fever, temperature) of the latest visit with a temperature."""
    if not text:
        return None
    day, fever, temp = text.split("|")
    return day, fever == "1", float(temp)
