"""Finding residents: by ID number, #number, name, ID tail, or pinyin initials.

A name that matches several people is an error listing the (masked) candidates: a clerk's
visit must never be logged against a guess.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from epitool.core.normalize import clean_cell, compact, person_name
from epitool.core.pinyin import fuzzy_sound, is_pinyin_query, matches, syllables
from epitool.errors import Ambiguous, NotFound
from epitool.ids import row_number
from epitool.privacy import mask_id
from epitool.store import followup
from epitool.store import people as store
from epitool.store.db import Database

_ID_SHAPE = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_TAIL = re.compile(r"^\d{4,14}$")
MAX_CANDIDATES = 10


def names_by_pinyin(db: Database, query: str) -> list[str]:
    """Names whose pinyin matches; spellings are cached in the database as they are made."""
    spelled = _spellings(db)
    folded = query.lower()
    # Latin names (and other non-Chinese ones) are found by their letters too.
    return [name for name, s in spelled.items() if matches(query, s) or folded in name.lower()]


def _spellings(db: Database) -> dict[str, str]:
    """Every name's pinyin syllables, made once and cached in the database."""
    spelled = store.cached_spellings(db.conn)
    missing = [n for n in store.distinct_names(db.conn) if n not in spelled]
    if missing:
        fresh = {n: syllables(n) for n in missing}
        spelled.update(fresh)
        _try_cache(db, fresh)
    return spelled


def sounding_alike(db: Database, name: str) -> list[str]:
    """Names that sound like `name` (赵德民 for 赵德明): a homophone, or a near one as an
    input method gives them (min/ming, zen/zheng, si/shi), typed by a clerk."""
    if not any("\u3400" <= c <= "\u9fff" for c in name):
        return []
    sound = fuzzy_sound(syllables(name))
    return sorted(n for n, s in _spellings(db).items() if fuzzy_sound(s) == sound and n != name)


def _try_cache(db: Database, fresh: dict[str, str]) -> None:
    """Saving spellings is an optimisation: a busy database must not fail the search."""
    try:
        with db.write() as conn:
            store.cache_spellings(conn, fresh)
    except Exception:
        pass


def list_roster(db: Database, *, group: str | None = None, search: str | None = None,
                limit: int | None = None,
                village: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """Residents matching the filters (at most `limit`), and how many match in all."""
    name_like = id_tail = None
    names = None
    if search:
        text = person_name(clean_cell(search))
        if _TAIL.match(text) or _ID_SHAPE.match(compact(text)):
            id_tail = compact(text)
        elif is_pinyin_query(text):
            names = names_by_pinyin(db, text)
        else:
            name_like = text
    where, params = store.where_clause(group, name_like, id_tail, names,
                                       clean_cell(village) if village else None)
    rows = store.list_residents(db.conn, where, params, limit)
    total = len(rows) if not limit or len(rows) < limit else store.count_where(
        db.conn, where, params)
    return rows, total


def find_person(db: Database, query: str, village: str | None = None) -> dict[str, Any]:
    """The one resident `query` names; with `village` (its code or name), among that
    village's only (an office holds several villages' rosters)."""
    text = person_name(clean_cell(query))
    found = _candidates(db, text)
    if village:
        found = [p for p in found
                 if village in (p["village"], store.village_code_of(db.conn, p["id"]))]
    if not found:
        alike = sounding_alike(db, text)
        if alike:
            raise NotFound("person_not_found_alike", query=text, names="、".join(alike))
        raise NotFound("person_not_found", query=text)
    if len(found) > 1:
        raise Ambiguous("person_ambiguous", query=text, candidates=describe(found))
    return found[0]


def _candidates(db: Database, text: str) -> list[dict[str, Any]]:
    conn = db.conn
    rowid = row_number(text)
    if rowid is not None:
        return store.by_rowid(conn, rowid)
    code = compact(text)
    if _ID_SHAPE.match(code):
        return store.by_id_number(conn, code)
    if _TAIL.match(code):
        return list_roster(db, search=code, limit=MAX_CANDIDATES + 1)[0]
    exact = store.by_name(conn, text)
    if exact or not is_pinyin_query(text):
        return exact
    return list_roster(db, search=text, limit=MAX_CANDIDATES + 1)[0]


def describe(people: list[dict[str, Any]]) -> str:
    """One line per candidate, ID masked, for error messages."""
    lines = [f"  #{p['id']} {p['name']} {mask_id(p['id_number'])} {p['group'] or ''}".rstrip()
             for p in people[:MAX_CANDIDATES]]
    if len(people) > MAX_CANDIDATES:
        lines.append("  ...")
    return "\n".join(lines)


def household_of(conn: sqlite3.Connection, person: dict[str, Any]) -> tuple[
        list[dict[str, Any]], str | None]:
    """The person's household members (themselves included) and its head's name."""
    if not person["household"]:
        return [person], None
    village = store.village_code_of(conn, person["id"])
    return (store.household_members(conn, village, person["household"]),
            store.household_head(conn, village, person["household"]))


def person_details(db: Database, query: str, village: str | None = None) -> tuple[
        dict[str, Any], list[dict[str, Any]], str | None]:
    """A resident with who is responsible for them and their quarantine breaches; their
    household's members (themselves included) and its head's name."""
    from epitool.store.work import breaches_of  # only a person's page shows them

    found = find_person(db, query, village)
    members, head = household_of(db.conn, found)
    staff = followup.responsible_for(db.conn, found["uid"])
    found["responsible"] = staff["name"] if staff else None
    found["breaches"] = breaches_of(db.conn, found["uid"])
    return found, members, head
