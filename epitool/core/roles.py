"""epitool db grant: a server's database role limited to one village's rows, or an
office's role that sees every village's."""

from __future__ import annotations

import re

from epitool.errors import InputError
from epitool.ids import Actor
from epitool.store import roles as store
from epitool.store.audit import record
from epitool.store.db import Database

# a plain PostgreSQL name: lower case, so that it needs no quoting where people type it
ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_role(db: Database, actor: Actor, role: str, village_code: str | None) -> bool:
    """Create or update `role`: limited to `village_code`'s rows, or (None) an office's role.
    Returns whether the role was created. Audited."""
    if not ROLE_NAME.match(role):
        raise InputError("role_name_bad", role=role)
    with db.write() as conn:
        store.require_server(conn)
        if village_code is not None:
            known = store.known_villages(conn)
            if village_code not in known:
                raise InputError("grant_unknown_village", code=village_code,
                                 known=", ".join(known) or "-")
        created = store.grant(conn, role, village_code, actor.at)
        record(conn, actor, "db.grant", role,
               {"village": village_code, "created": created})
    return created
