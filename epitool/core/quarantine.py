"""The quarantine lifecycle: start, extend (re-exposure restarts the count), transfer,
correct, end.

Rules: one active quarantine per person, and one at most on any day; nothing dated in the
future; an end before the start is refused; `completed` needs a visit on or after the last
day. Nothing is edited: each change (an extension, an end, a correction) is a row of its own.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from epitool.core.config import LONGEST_QUARANTINE
from epitool.core.dates import check_not_future
from epitool.core.normalize import clean_cell
from epitool.core.people import find_person
from epitool.core.rules import as_code, first_words, typed_code
from epitool.core.staff import find_staff
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid
from epitool.store import followup as store
from epitool.store.audit import record
from epitool.store.db import Database

OUTCOMES = ("completed", "hospitalised", "transferred", "lost")
STATUSES = ("active", *OUTCOMES)


def last_day(start: date, days: int) -> date:
    return start + timedelta(days=days - 1)


def start(db: Database, actor: Actor, person: str, *, kind: str, since: date,
          days: int | None, default_days: int, reason: str | None, place: str | None,
          assign: str | None) -> dict[str, Any]:
    """A new quarantine. One that starts the day a transfer ended the last one (or the day
    after) continues it: the person is not new, and unless `days` is given the count goes on
    to the same last day."""
    kind = _check_kind(kind)
    check_not_future(since, actor.at)
    resident = _resident(db, person)
    staff = (find_staff(db, assign, actor.village_code) if assign
             else store.responsible_for(db.conn, resident["uid"]))
    with db.write() as conn:
        continues = _may_start(conn, resident, since)
        if days is None:
            days = _days_left(continues, since) if continues else default_days
        _check_days(days)
        values = _add(conn, actor, resident, kind=kind, since=since, days=days, reason=reason,
                      place=place, staff=staff, continues=continues)
    return {**values, "name": resident["name"], "person_id": resident["id"],
            "last_day": last_day(since, days).isoformat(),
            "staff": staff["name"] if staff else None}


def transfer(db: Database, actor: Actor, person: str, *, kind: str, on: date,
             place: str | None, note: str | None) -> dict[str, Any]:
    """Home -> central (or back) on one day, in one transaction: the active quarantine ends
    'transferred' and a new one continues its count of days."""
    kind = _check_kind(kind)
    check_not_future(on, actor.at)
    resident, current = active_for(db, person)
    _check_within(current, on)
    place = clean_cell(place) if place else None
    if kind == current["kind"] and place in (None, current["place"]):  # typed twice, say
        raise InputError("quarantine_transfer_same", name=resident["name"], kind=kind,
                         kind_word=first_words("quarantine_kind", (kind,)))
    with db.write() as conn:
        _add_end(conn, actor, current, "transferred", on, note)
        continues = _may_start(conn, resident, on)
        days = _days_left(current, on)
        _add(conn, actor, resident, kind=kind, since=on, days=days, reason=current["reason"],
             place=place, staff={"uid": current["staff_uid"]} if current["staff_uid"] else None,
             continues=continues)
    return {"name": resident["name"], "kind": kind, "date": on.isoformat(),
            "last_day": last_day(on, days).isoformat()}


def correct(db: Database, actor: Actor, person: str, *, since: date, days: int | None,
            reason: str) -> dict[str, Any]:
    """A start (or length) typed wrong, fixed by a correction row: the original stays in
    the quarantine and in the audit, every count from then on uses the corrected one."""
    check_not_future(since, actor.at)
    resident = _resident(db, person)
    history = store.quarantines_of(db.conn, resident["uid"])
    if not history:
        raise InputError("quarantine_none", name=resident["name"], person=f"#{resident['id']}")
    latest = history[0]
    days = days if days is not None else int(latest["first_days"])
    _check_days(days)
    if latest["end_date"] and since.isoformat() > latest["end_date"]:
        raise InputError("quarantine_after_end", date=since.isoformat(), end=latest["end_date"])
    earlier = history[1] if len(history) > 1 else None
    if earlier and earlier["end_date"] and since.isoformat() < earlier["end_date"]:
        raise InputError("quarantine_overlaps", name=resident["name"], end=earlier["end_date"],
                         person=f"#{resident['id']}")
    with db.write() as conn:
        store.add_correction(conn, {"uid": new_uid(), "village_code": actor.village_code,
                                    "quarantine_uid": latest["uid"],
                                    "start_date": since.isoformat(), "days": days,
                                    "reason": reason, "created_at": actor.at})
        record(conn, actor, "quarantine.correct", f"quarantines:{latest['uid']}",
               {"old_start": latest["original_start"], "old_days": latest["first_days"],
                "start": since.isoformat(), "days": days, "reason": reason})
    return {"name": resident["name"], "start_date": since.isoformat(), "days": days,
            "last_day": last_day(since, days).isoformat(),
            "old_start": latest["original_start"], "old_days": latest["first_days"]}


def _check_kind(kind: str) -> str:
    return typed_code("quarantine_kind", kind, "quarantine_bad_kind", "kind")


def _status(text: str, allowed: tuple[str, ...], key: str, **params: str) -> str:
    code = as_code("quarantine_status", text)
    if code not in allowed:
        raise InputError(key, **params)
    return code


def _check_days(days: int) -> None:
    if not 1 <= days <= LONGEST_QUARANTINE:
        raise InputError("quarantine_bad_days", days=days, longest=LONGEST_QUARANTINE)


def _check_within(current: dict[str, Any], on: date) -> None:
    if on.isoformat() < current["original_start"]:
        raise InputError("quarantine_end_before_start", end=on.isoformat(),
                         start=current["original_start"])


def _may_start(conn: Any, resident: dict[str, Any], since: date) -> dict[str, Any] | None:
    """Refuses a start while one is active or before the last one ended; gives the
    quarantine a transfer ended on `since` (or the day before), which the new one continues."""
    history = store.quarantines_of(conn, resident["uid"])
    previous = history[0] if history else None
    if previous is None:
        return None
    if previous["status"] == "active":
        raise InputError("quarantine_already_active", name=resident["name"],
                         since=previous["original_start"], last_day=previous["last_day"],
                         person=f"#{resident['id']}")
    if since.isoformat() < previous["end_date"]:
        raise InputError("quarantine_overlaps", name=resident["name"], end=previous["end_date"],
                         person=f"#{resident['id']}")
    moved = previous["status"] == "transferred" and previous["end_date"] in (
        since.isoformat(), (since - timedelta(days=1)).isoformat())
    return previous if moved else None


def _days_left(continued: dict[str, Any], since: date) -> int:
    return max(1, (date.fromisoformat(continued["last_day"]) - since).days + 1)


def _add(conn: Any, actor: Actor, resident: dict[str, Any], *, kind: str, since: date,
         days: int, reason: str | None, place: str | None, staff: dict[str, Any] | None,
         continues: dict[str, Any] | None) -> dict[str, Any]:
    values = {"uid": new_uid(), "village_code": actor.village_code,
              "resident_uid": resident["uid"], "kind": kind, "start_date": since.isoformat(),
              "days": days, "reason": reason, "place": place,
              "staff_uid": staff["uid"] if staff else None,
              "continues_uid": continues["uid"] if continues else None, "created_at": actor.at}
    values["id"] = store.add_quarantine(conn, values)
    record(conn, actor, "quarantine.start", f"quarantines:{values['uid']}",
           {"resident": resident["uid"], "kind": kind, "start": values["start_date"],
            "days": days, "continues": values["continues_uid"]})
    return values


def _add_end(conn: Any, actor: Actor, current: dict[str, Any], outcome: str, on: date,
             note: str | None) -> None:
    store.add_event(conn, {"uid": new_uid(), "village_code": actor.village_code,
                           "quarantine_uid": current["uid"], "event": "end",
                           "outcome": outcome, "event_date": on.isoformat(),
                           "days": None, "note": note, "created_at": actor.at})
    record(conn, actor, "quarantine.end", f"quarantines:{current['uid']}",
           {"outcome": outcome, "date": on.isoformat()})


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
    outcome = _status(outcome, OUTCOMES, "quarantine_bad_outcome", outcome=outcome,
                      outcomes=" | ".join(OUTCOMES),
                      outcome_words=first_words("quarantine_status", OUTCOMES))
    check_not_future(on, actor.at)
    resident, current = active_for(db, person)
    _check_within(current, on)
    if outcome == "completed":
        if on.isoformat() < current["last_day"]:
            raise InputError("quarantine_completed_early", name=resident["name"],
                             date=on.isoformat(), last_day=current["last_day"])
        seen = store.last_seen_day(db.conn, current["uid"])
        if seen is None or seen < current["last_day"]:
            raise InputError("quarantine_needs_last_visit", name=resident["name"],
                             last_day=current["last_day"], seen=seen or "-",
                             person=f"#{resident['id']}")
    with db.write() as conn:
        if store.active_quarantine(conn, resident["uid"]) is None:  # ended meanwhile
            raise InputError("quarantine_none_active", name=resident["name"],
                             person=f"#{resident['id']}")
        _add_end(conn, actor, current, outcome, on, note)
    return {"name": resident["name"], "outcome": outcome, "date": on.isoformat()}


def extend(db: Database, actor: Actor, person: str, *, days: int, since: date,
           note: str | None) -> dict[str, Any]:
    """Re-exposure: the count restarts at `since` and runs `days` days."""
    _check_days(days)
    check_not_future(since, actor.at)
    resident, current = active_for(db, person)
    _check_within(current, since)
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
    statuses = [_status(s, STATUSES, "quarantine_bad_status", status=s,
                        statuses=" | ".join(STATUSES),
                        status_words=first_words("quarantine_status", STATUSES))
                for s in statuses or []] or None
    return store.list_quarantines(db.conn, statuses,
                                  ending.isoformat() if ending else None)
