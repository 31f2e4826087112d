"""Checkpoints 卡点: registrations as guards type them all day, and the day's totals.

A plate is checked for the mainland shape (rules.plate_ok) and a bad one is warned about,
not refused: the guard has the car in front of them and the record matters more than the
format.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from epitool.core.dates import check_not_future, iso
from epitool.core.normalize import clean_cell, compact, person_name
from epitool.core.rules import (
    check_direction,
    check_id_number,
    check_temperature,
    clean_phone,
    clean_plate,
    is_fever,
    plate_ok,
)
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid
from epitool.store import checkpoints as store
from epitool.store.audit import record
from epitool.store.db import Database

SHIFTS = (("night", 0, 8), ("day", 8, 16), ("evening", 16, 24))


def list_checkpoints(db: Database, day: date) -> list[dict[str, Any]]:
    """Checkpoints, with the day's registrations."""
    return store.list_checkpoints(db.conn, day.isoformat())


def shift_of(moment: datetime) -> str:
    return next(name for name, start, end in SHIFTS if start <= moment.hour < end)


def add_checkpoint(db: Database, actor: Actor, name: str, location: str | None) -> dict[str, Any]:
    name = clean_cell(name)
    if not name:
        raise InputError("site_name_empty")
    values: dict[str, Any] = {"uid": new_uid(), "village_code": actor.village_code,
                              "name": name, "location": location, "created_at": actor.at}
    with db.write() as conn:
        if store.checkpoint_named(conn, actor.village_code, name):
            raise InputError("checkpoint_exists", name=name)
        values["id"] = store.add_checkpoint(conn, values)
        record(conn, actor, "checkpoint.add", f"checkpoints:{values['uid']}", {"name": name})
    return values


def log_passage(db: Database, actor: Actor, point: str, entry: dict[str, Any], *,
                at: datetime, threshold: float) -> dict[str, Any]:
    """One registration; returns it with warnings (bad plate) and flags (fever)."""
    check_not_future(at, actor.at)
    found = store.checkpoint_named(db.conn, actor.village_code, clean_cell(point))
    if found is None:
        raise NotFound("checkpoint_not_found", name=point)
    values = validated(entry, threshold)
    values.update(uid=new_uid(), village_code=actor.village_code, checkpoint_uid=found["uid"],
                  at=iso(at), day=at.date().isoformat(), created_at=actor.at,
                  resident_uid=store.resident_by_id(db.conn, values["id_number"]))
    if entry.get("resident") and values["resident_uid"] is None:
        raise NotFound("checkpoint_resident_unknown", name=values["name"])
    with db.write() as conn:
        values["id"] = store.add_log(conn, values)
        breach = store.is_breach(conn, values["id"])
        record(conn, actor, "checkpoint.log", f"checkpoints:{found['uid']}",
               {"direction": values["direction"], "turned_back": values["turned_back"],
                "breach": breach, "day": values["day"]})
    return {**values, "point": found["name"], "breach": breach}


def validated(entry: dict[str, Any], threshold: float) -> dict[str, Any]:
    """The one check of a registration, typed at the checkpoint or read from a sheet."""
    name = person_name(clean_cell(entry.get("name") or ""))
    if not name:
        raise InputError("checkpoint_name_needed")
    direction = check_direction(entry.get("direction") or "")
    number = compact(clean_cell(entry.get("id_number") or ""))
    if number and check_id_number(number)[1]:
        raise InputError("checkpoint_bad_id", value=number[:6] + "…")
    phone = None
    if entry.get("phone"):
        phone, problem = clean_phone(clean_cell(entry["phone"]))
        if problem:
            raise InputError("phone_invalid", value=entry["phone"])
    temp = entry.get("temp")
    check_temperature(temp, "--temp")
    reason = entry.get("turned_back")
    if reason is not None and not clean_cell(reason):
        raise InputError("checkpoint_turn_back_reason")
    plate = clean_plate(entry.get("plate") or "") or None
    return {"name": name, "direction": direction, "id_number": number or None, "phone": phone,
            "plate": plate, "plate_ok": None if plate is None else int(plate_ok(plate)),
            "origin": clean_cell(entry.get("origin") or "") or None,
            "destination": clean_cell(entry.get("destination") or "") or None,
            "purpose": entry.get("purpose"), "temp": temp,
            "fever": int(is_fever(threshold, temp)),
            "turned_back": int(reason is not None),
            "turn_back_reason": clean_cell(reason) if reason else None}


def day_summary(db: Database, day: str, point: str | None) -> list[dict[str, Any]]:
    """Per point and shift: people and vehicles in and out, turned back (with reasons),
    abnormal temperatures - the totals township notices publish."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for log in store.logs_on(db.conn, day, point):
        moment = datetime.fromisoformat(log["at"])
        key = (log["point"], shift_of(moment))
        row = rows.setdefault(key, {"point": key[0], "shift": key[1], "people_in": 0,
                                    "people_out": 0, "vehicles_in": 0, "vehicles_out": 0,
                                    "turned_back": 0, "fevers": 0, "reasons": {}})
        row["fevers"] += log["fever"]
        if not log["turned_back"]:  # turned back 劝返: they did not pass
            row[f"people_{log['direction']}"] += 1
            row[f"vehicles_{log['direction']}"] += log["plate"] is not None
        else:
            row["turned_back"] += 1
            row["reasons"][log["turn_back_reason"]] = row["reasons"].get(
                log["turn_back_reason"], 0) + 1
    order = {name: i for i, (name, _, _) in enumerate(SHIFTS)}
    return sorted(rows.values(), key=lambda r: (r["point"], order[r["shift"]]))
