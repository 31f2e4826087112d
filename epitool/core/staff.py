"""Staff and volunteers, and who is responsible for which households (联户代表包户)."""

from __future__ import annotations

from typing import Any

from epitool.core.normalize import clean_cell
from epitool.core.rules import clean_phone, typed_code
from epitool.errors import Ambiguous, InputError, NotFound
from epitool.ids import Actor, new_uid, row_number
from epitool.store import followup as store
from epitool.store.audit import record
from epitool.store.db import Database


def add_staff(db: Database, actor: Actor, name: str, team: str,
              phone: str | None) -> dict[str, Any]:
    name = clean_cell(name)
    if not name:
        raise InputError("staff_name_empty")
    team = typed_code("team", team, "staff_bad_team", "team")
    digits = None
    if phone:
        digits, problem = clean_phone(clean_cell(phone))
        if problem:
            raise InputError("phone_invalid", value=phone)
    with db.write() as conn:
        if store.staff_named(conn, actor.village_code, name):
            raise InputError("staff_exists", name=name)
        values: dict[str, Any] = {"uid": new_uid(), "village_code": actor.village_code,
                                  "name": name, "team": team, "phone": digits,
                                  "created_at": actor.at}
        values["id"] = store.add_staff(conn, values)
        record(conn, actor, "staff.add", f"staff:{values['uid']}", {"name": name, "team": team})
    return values


def find_staff(db: Database, query: str, village_code: str) -> dict[str, Any]:
    text = clean_cell(query)
    number = row_number(text)
    found = (store.staff_by_id(db.conn, number) if number is not None
             else store.staff_named(db.conn, village_code, text))
    if not found:
        raise NotFound("staff_not_found", query=text)
    if len(found) > 1:  # only possible across villages in a merged database
        raise Ambiguous("staff_ambiguous", query=text)
    return found[0]


def assign(db: Database, actor: Actor, staff: str, households: list[str],
           group: str | None) -> dict[str, Any]:
    """Make a staff member responsible for households, or for a whole group."""
    if bool(households) == bool(group):
        raise InputError("assign_what")
    person = find_staff(db, staff, actor.village_code)
    numbers = [clean_cell(h) for h in households]
    with db.write() as conn:
        if numbers:
            missing = sorted(set(numbers) - store.known_households(conn, actor.village_code,
                                                                     numbers))
            if missing:
                raise NotFound("household_not_found", households=", ".join(missing))
        elif group and not store.known_group(conn, actor.village_code, clean_cell(group)):
            raise NotFound("group_not_found", group=group)
        rows = [{"uid": new_uid(), "village_code": actor.village_code,
                 "staff_uid": person["uid"], "household_no": n, "group_name": None,
                 "created_at": actor.at} for n in numbers]
        if group:
            rows = [{"uid": new_uid(), "village_code": actor.village_code,
                     "staff_uid": person["uid"], "household_no": None,
                     "group_name": clean_cell(group), "created_at": actor.at}]
        store.assign(conn, rows)
        record(conn, actor, "staff.assign", f"staff:{person['uid']}",
               {"households": numbers, "group": group})
    return {"staff": person["name"], "households": numbers, "group": group}


def list_staff(db: Database) -> list[dict[str, Any]]:
    return store.list_staff(db.conn)
