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
