"""Adding one resident by hand, through the same validation as an import."""

from __future__ import annotations

from typing import Any

from epitool.core.config import Config
from epitool.core.layout import Layout
from epitool.core.roster.households import HouseholdTracker
from epitool.core.roster.rows import FIELDS, check_row
from epitool.errors import InputError
from epitool.ids import Actor, new_uid, uid_block
from epitool.store import roster as store
from epitool.store.areas import ensure_area
from epitool.store.audit import record
from epitool.store.db import Database


def add_resident(db: Database, config: Config, actor: Actor,
                 values: dict[str, Any]) -> dict[str, Any]:
    cells = [values.get(f) or "" for f in FIELDS]
    resident = check_row(1, cells, Layout.of({f: i for i, f in enumerate(FIELDS)}, FIELDS))
    if isinstance(resident, list):
        raise InputError("roster_add_invalid", problems=resident)
    uid = new_uid()
    area = config["area"]
    with db.write() as conn:
        ensure_area(conn, area["office"], area["village"], actor.village_code, actor.at)
        existing = store.existing_for(conn, actor.village_code, [resident])
        if existing:
            old = next(iter(existing.values()))
            raise InputError("roster_add_exists", name=old[2], person=f"#{old[0]}")
        row = [uid, *resident]
        store.insert_residents(conn, row, actor.village_code, actor.at)
        found = HouseholdTracker().collect(row)
        store.insert_households(conn, found.households, found.heads, actor.village_code,
                                actor.at)
        store.refresh_groups(conn, actor.village_code, actor.at, *uid_block())
        record(conn, actor, "resident.add", f"residents:{uid}", {"name": resident.name})
        rowid = store.rowid_of(conn, uid)
    return {"id": rowid, "name": resident.name, "uid": uid}


def rename(db: Database, actor: Actor, person: str, new_name: str,
           reason: str | None) -> dict[str, Any]:
    """A resident's name changed on purpose (a typo in the first roster, a legal change):
    never by a re-import, always with a reason, the old name kept in the audit trail."""
    from epitool.core.normalize import clean_cell, person_name
    from epitool.core.people import find_person

    name = person_name(clean_cell(new_name))
    if not name:
        raise InputError("roster_rename_empty")
    if not reason or not reason.strip():
        raise InputError("roster_rename_reason")
    resident = find_person(db, person)
    if resident["name"] == name:
        raise InputError("roster_rename_same", id=resident["id"], new=name)
    with db.write() as conn:
        store.rename_resident(conn, resident["uid"], name, actor.at)
        record(conn, actor, "resident.rename", f"residents:{resident['uid']}",
               {"name": [resident["name"], name], "reason": reason.strip()})
    return {"id": resident["id"], "old": resident["name"], "new": name}
