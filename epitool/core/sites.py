"""Disinfection sites (public areas, buildings, households, enterprises, checkpoints), each
with a required frequency, and the rounds that disinfect them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from epitool.core.dates import iso
from epitool.core.normalize import clean_cell
from epitool.core.rules import typed_code
from epitool.core.staff import find_staff
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid
from epitool.store import visits as store
from epitool.store.audit import record
from epitool.store.db import Database


def add_site(db: Database, actor: Actor, name: str, *, kind: str, every: int,
             group: str | None, household: str | None) -> dict[str, Any]:
    name = clean_cell(name)
    if not name:
        raise InputError("site_name_empty")
    kind = typed_code("site_kind", kind, "site_bad_kind", "kind")
    if not 1 <= every <= 365:
        raise InputError("site_bad_every", every=every)
    if kind == "household" and not household:
        raise InputError("site_needs_household")
    values = {"uid": new_uid(), "village_code": actor.village_code, "name": name,
              "kind": kind, "every_days": every, "group_name": clean_cell(group or "") or None,
              "household_no": clean_cell(household or "") or None, "created_at": actor.at}
    with db.write() as conn:
        if store.site_named(conn, actor.village_code, name):
            raise InputError("site_exists", name=name)
        values["id"] = store.add_site(conn, values)
        record(conn, actor, "site.add", f"sites:{values['uid']}", {"name": name, "kind": kind})
    return values


def log_round(db: Database, actor: Actor, site: str, *, agent: str | None, by: str | None,
              at: datetime, note: str | None) -> dict[str, Any]:
    found = store.site_named(db.conn, actor.village_code, clean_cell(site))
    if found is None:
        raise NotFound("site_not_found", name=site)
    staff = find_staff(db, by, actor.village_code) if by else None
    values = {"uid": new_uid(), "village_code": actor.village_code, "site_uid": found["uid"],
              "at": iso(at), "day": at.date().isoformat(), "agent": agent, "note": note,
              "staff_uid": staff["uid"] if staff else None, "visit_uid": None,
              "created_at": actor.at}
    with db.write() as conn:
        values["id"] = store.add_round(conn, values)
        record(conn, actor, "disinfect.log", f"sites:{found['uid']}", {"day": values["day"]})
    return {**values, "site": found["name"], "staff": staff["name"] if staff else None}


def list_sites(db: Database, day: date) -> list[dict[str, Any]]:
    return store.list_sites(db.conn, day.isoformat())


def list_rounds(db: Database, day: date | None) -> list[dict[str, Any]]:
    return store.list_rounds(db.conn, day.isoformat() if day else None)
