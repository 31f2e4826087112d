"""Duty shifts at checkpoints, work resumption 复工复产, patrols, and residents' needs."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from epitool.core.clock import zone
from epitool.core.dates import iso
from epitool.core.normalize import clean_cell
from epitool.core.people import find_person
from epitool.core.rules import check_count, clean_phone, typed_code
from epitool.core.staff import find_staff
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid
from epitool.store import checkpoints, work
from epitool.store.audit import record
from epitool.store.db import Database

CHECK_ITEMS = ("cleaned", "disinfected", "prevention_plan", "emergency_plan")


def add_duty(db: Database, actor: Actor, staff: str, point: str, starts: datetime,
             ends: datetime) -> dict[str, Any]:
    if ends <= starts:
        raise InputError("duty_bad_times", starts=iso(starts)[:16], ends=iso(ends)[:16])
    person = find_staff(db, staff, actor.village_code)
    found = checkpoints.checkpoint_named(db.conn, actor.village_code, clean_cell(point))
    if found is None:
        raise NotFound("checkpoint_not_found", name=point)
    values = {"uid": new_uid(), "village_code": actor.village_code, "staff_uid": person["uid"],
              "checkpoint_uid": found["uid"], "starts": iso(starts), "ends": iso(ends),
              "created_at": actor.at}
    with db.write() as conn:
        values["id"] = work.add(conn, "duties", values)
        record(conn, actor, "duty.add", f"checkpoints:{found['uid']}", {"staff": person["name"]})
    return {**values, "staff": person["name"], "point": found["name"]}


def duty_gaps(db: Database, day: date, tz: str) -> list[dict[str, Any]]:
    """Hours of the day (office time) each checkpoint has no one on duty."""
    start = datetime.combine(day, time(0), zone(tz))
    end = start + timedelta(days=1)
    shifts = work.duties_between(db.conn, iso(start), iso(end))
    gaps = []
    for point in work.checkpoint_names(db.conn):
        covered = sorted((max(datetime.fromisoformat(s["starts"]), start),
                          min(datetime.fromisoformat(s["ends"]), end))
                         for s in shifts if s["point"] == point)
        cursor = start
        for begin, finish in [*covered, (end, end)]:
            if begin > cursor:
                gaps.append({"point": point, "from": iso(cursor)[11:16],
                             "to": "24:00" if begin == end else iso(begin)[11:16],
                             "hours": round((begin - cursor).total_seconds() / 3600, 2)})
            cursor = max(cursor, finish)
    return gaps


def add_enterprise(db: Database, actor: Actor, name: str, contact: str | None,
                   phone: str | None, workers: int | None, address: str | None) -> dict[str, Any]:
    name = clean_cell(name)
    if not name:
        raise InputError("site_name_empty")
    check_count(workers, "--workers", 0, 1_000_000)
    digits = clean_phone(clean_cell(phone))[0] if phone else None
    if phone and not digits:
        raise InputError("phone_invalid", value=phone)
    values = {"uid": new_uid(), "village_code": actor.village_code, "name": name,
              "contact": contact, "phone": digits, "workers": workers, "address": address,
              "created_at": actor.at}
    with db.write() as conn:
        if work.enterprise_named(conn, actor.village_code, name):
            raise InputError("enterprise_exists", name=name)
        values["id"] = work.add(conn, "enterprises", values)
        record(conn, actor, "enterprise.add", f"enterprises:{values['uid']}", {"name": name})
    return values


def check_enterprise(db: Database, actor: Actor, name: str, items: list[str],
                     note: str | None) -> dict[str, Any]:
    if not items:
        raise InputError("enterprise_no_items", items=" ".join(f"--{i.replace('_', '-')}"
                                                               for i in CHECK_ITEMS))
    found = work.enterprise_named(db.conn, actor.village_code, clean_cell(name))
    if found is None:
        raise NotFound("enterprise_not_found", name=name)
    with db.write() as conn:
        for item in items:
            work.add(conn, "enterprise_checks", {"uid": new_uid(), "village_code":
                                                 actor.village_code, "enterprise_uid":
                                                 found["uid"], "item": item, "note": note,
                                                 "created_at": actor.at})
        record(conn, actor, "enterprise.check", f"enterprises:{found['uid']}", {"items": items})
    return list_enterprises(db, found["name"])[0]


def list_enterprises(db: Database, only: str | None = None) -> list[dict[str, Any]]:
    rows = work.enterprises(db.conn)
    for row in rows:
        done = [i for i in CHECK_ITEMS if row[i]]
        row["done"] = len(done)
        row["ready"] = len(done) == len(CHECK_ITEMS)
        row["missing"] = ",".join(i for i in CHECK_ITEMS if not row[i])
    return [r for r in rows if only is None or r["name"] == only]


def log_patrol(db: Database, actor: Actor, *, team: str, area: str, finding: str,
               count: int | None, action: str | None, person: str | None,
               at: datetime) -> dict[str, Any]:
    finding = typed_code("finding", finding, "patrol_bad_finding", "finding")
    check_count(count, "--count", 0, 100_000)
    if finding == "quarantine-breach" and not person:
        raise InputError("patrol_breach_person")
    resident = find_person(db, person) if person else None
    values = {"uid": new_uid(), "village_code": actor.village_code, "team": clean_cell(team),
              "area": clean_cell(area), "finding": finding, "count": count, "action": action,
              "resident_uid": resident["uid"] if resident else None, "at": iso(at),
              "day": at.date().isoformat(), "created_at": actor.at}
    with db.write() as conn:
        values["id"] = work.add(conn, "patrols", values)
        record(conn, actor, "patrol.log", f"patrols:{values['uid']}",
               {"finding": finding, "day": values["day"]})
    return {**values, "person": resident["name"] if resident else None}


def add_need(db: Database, actor: Actor, person: str, items: list[str],
             note: str | None) -> dict[str, Any]:
    wanted = [clean_cell(i) for i in items if clean_cell(i)]
    if not wanted:
        raise InputError("need_no_items")
    resident = find_person(db, person)
    values = {"uid": new_uid(), "village_code": actor.village_code,
              "resident_uid": resident["uid"], "items": "、".join(wanted), "note": note,
              "created_at": actor.at}
    with db.write() as conn:
        values["id"] = work.add(conn, "needs", values)
        record(conn, actor, "need.add", f"needs:{values['uid']}", {"items": wanted})
    return {**values, "name": resident["name"]}


def need_done(db: Database, actor: Actor, rowid: int, by: str | None) -> dict[str, Any]:
    found = work.need_by_id(db.conn, rowid)
    if found is None:
        raise NotFound("need_not_found", id=rowid)
    if found["done"]:
        raise InputError("need_already_done", id=rowid)
    staff = find_staff(db, by, actor.village_code) if by else None
    with db.write() as conn:
        work.add(conn, "needs_done", {"uid": new_uid(), "village_code": actor.village_code,
                                      "need_uid": found["uid"],
                                      "staff_uid": staff["uid"] if staff else None,
                                      "created_at": actor.at})
        record(conn, actor, "need.done", f"needs:{found['uid']}", None)
    return {"id": rowid, "by": staff["name"] if staff else None}


def duties_on(db: Database, day: date, tz: str) -> list[dict[str, Any]]:
    """Duty shifts overlapping a day of the office's calendar."""
    start = datetime.combine(day, time(0), zone(tz))
    return work.duties_between(db.conn, start.isoformat(),
                                (start + timedelta(days=1)).isoformat())


def patrols_on(db: Database, day: date) -> list[dict[str, Any]]:
    return work.patrols_on(db.conn, day.isoformat())


def list_needs(db: Database, open_only: bool) -> list[dict[str, Any]]:
    """Needs, those of quarantined households first."""
    rows = work.needs(db.conn, open_only)
    rows.sort(key=lambda r: (not r["quarantined"], r["id"]))
    for row in rows:
        row["quarantined"] = bool(row["quarantined"])
    return rows
