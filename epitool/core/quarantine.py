"""The quarantine lifecycle: start, extend (re-exposure restarts the count), end.

Rules: one active quarantine per person; an end before the start is refused; `completed`
needs a visit on or after the last day. Nothing is edited: each change is an event row.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from epitool.core.people import find_person
from epitool.core.staff import find_staff
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid
from epitool.store import followup as store
from epitool.store.audit import record
from epitool.store.db import Database

KINDS = ("home", "central")
OUTCOMES = ("completed", "hospitalised", "transferred", "lost")
STATUSES = ("active", *OUTCOMES)


def last_day(start: date, days: int) -> date:
    return start + timedelta(days=days - 1)


def start(db: Database, actor: Actor, person: str, *, kind: str, since: date, days: int,
          reason: str | None, place: str | None, assign: str | None) -> dict[str, Any]:
    if kind not in KINDS:
        raise InputError("quarantine_bad_kind", kind=kind, kinds=" | ".join(KINDS))
    if not 1 <= days <= 60:
        raise InputError("quarantine_bad_days", days=days)
    resident = _resident(db, person)
    staff = (find_staff(db, assign, actor.village_code) if assign
             else store.responsible_for(db.conn, resident["uid"]))
    with db.write() as conn:
        current = store.active_quarantine(conn, resident["uid"])
        if current:
            raise InputError("quarantine_already_active", name=resident["name"],
                             since=current["start_date"], last_day=current["last_day"],
                             person=f"#{resident['id']}")
        values = {"uid": new_uid(), "village_code": actor.village_code,
                  "resident_uid": resident["uid"], "kind": kind,
                  "start_date": since.isoformat(), "days": days, "reason": reason,
                  "place": place, "staff_uid": staff["uid"] if staff else None,
                  "created_at": actor.at}
        values["id"] = store.add_quarantine(conn, values)
        record(conn, actor, "quarantine.start", f"quarantines:{values['uid']}",
               {"resident": resident["uid"], "kind": kind, "start": values["start_date"],
                "days": days})
    return {**values, "name": resident["name"], "person_id": resident["id"],
            "last_day": last_day(since, days).isoformat(),
            "staff": staff["name"] if staff else None}


def _resident(db: Database, person: str) -> dict[str, Any]:
    try:
        return find_person(db, person)
    except NotFound:
        raise NotFound("quarantine_not_in_roster", query=person) from None


def active_for(db: Database, person: str) -> tuple[dict[str, Any], dict[str, Any]]:
    resident = find_person(db, person)
    current = store.active_quarantine(db.conn, resident["uid"])
    if current is None:
        raise InputError("quarantine_none_active", name=resident["name"],
                         person=f"#{resident['id']}")
    return resident, current


def end(db: Database, actor: Actor, person: str, *, outcome: str, on: date,
        note: str | None) -> dict[str, Any]:
    if outcome not in OUTCOMES:
        raise InputError("quarantine_bad_outcome", outcome=outcome,
                         outcomes=" | ".join(OUTCOMES))
    resident, current = active_for(db, person)
    if on.isoformat() < current["start_date"]:
        raise InputError("quarantine_end_before_start", end=on.isoformat(),
                         start=current["start_date"])
    if outcome == "completed":
        seen = store.last_seen_day(db.conn, current["uid"])
        if seen is None or seen < current["last_day"]:
            raise InputError("quarantine_needs_last_visit", name=resident["name"],
                             last_day=current["last_day"], seen=seen or "-",
                             person=f"#{resident['id']}")
    with db.write() as conn:
        if store.active_quarantine(conn, resident["uid"]) is None:  # ended meanwhile
            raise InputError("quarantine_none_active", name=resident["name"],
                             person=f"#{resident['id']}")
        store.add_event(conn, {"uid": new_uid(), "village_code": actor.village_code,
                               "quarantine_uid": current["uid"], "event": "end",
                               "outcome": outcome, "event_date": on.isoformat(),
                               "days": None, "note": note, "created_at": actor.at})
        record(conn, actor, "quarantine.end", f"quarantines:{current['uid']}",
               {"outcome": outcome, "date": on.isoformat()})
    return {"name": resident["name"], "outcome": outcome, "date": on.isoformat()}


def extend(db: Database, actor: Actor, person: str, *, days: int, since: date,
           note: str | None) -> dict[str, Any]:
    """Re-exposure: the count restarts at `since` and runs `days` days."""
    if not 1 <= days <= 60:
        raise InputError("quarantine_bad_days", days=days)
    resident, current = active_for(db, person)
    if since.isoformat() < current["start_date"]:
        raise InputError("quarantine_end_before_start", end=since.isoformat(),
                         start=current["start_date"])
    with db.write() as conn:
        store.add_event(conn, {"uid": new_uid(), "village_code": actor.village_code,
                               "quarantine_uid": current["uid"], "event": "extend",
                               "outcome": None, "event_date": since.isoformat(),
                               "days": days, "note": note, "created_at": actor.at})
        record(conn, actor, "quarantine.extend", f"quarantines:{current['uid']}",
               {"since": since.isoformat(), "days": days})
    return {"name": resident["name"], "start_date": since.isoformat(), "days": days,
            "last_day": last_day(since, days).isoformat()}


def list_quarantines(db: Database, statuses: list[str] | None,
                     ending: date | None) -> list[dict[str, Any]]:
    for status in statuses or []:
        if status not in STATUSES:
            raise InputError("quarantine_bad_status", status=status,
                             statuses=" | ".join(STATUSES))
    return store.list_quarantines(db.conn, statuses,
                                  ending.isoformat() if ending else None)
