"""SQL for bundles: a village's records copied out to a SQLite file, and that file merged
into an office's database by global id.

Row numbers: an office keeps each village's rows at `OFFSET` times the village's number
(its order of registration) plus the village's own row number. A village's rows thus keep
their order whatever order its bundles arrive in (the latest correction of a quarantine is
still the latest), two villages' numbers never meet, and the office's own rows (its audit
trail, its reports as sent) stay below OFFSET.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from epitool.ids import new_uid
from epitool.store.location import is_server
from epitool.store.sql import OFFSET

__all__ = ["OFFSET"]
# Tables merged by uid, parents first. Updated in place in a village: residents (by
# updated_at) and households (by the newest bundle).
TABLES = ("villages", "groups", "households", "residents", "staff", "responsibilities",
          "quarantines", "quarantine_events", "quarantine_corrections", "visits",
          "visit_voids", "sites", "disinfections", "checkpoints", "checkpoint_logs", "duties",
          "enterprises", "enterprise_checks", "passes", "pass_revocations", "patrols", "needs",
          "needs_done", "audit", "sent_reports")
# Kept whole in every bundle (few rows, or changed in place without a time of change)
WHOLE = ("villages", "groups", "households", "staff", "responsibilities", "sites",
         "checkpoints", "enterprises")
# what a village's own database holds that an office does not take
LOCAL_ONLY = ("offices", "bundle_exports", "office_villages", "bundles_received",
              "merge_conflicts")


# --- a village: exporting --------------------------------------------------------------------

def last_export(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("SELECT max(created_at) FROM bundle_exports").fetchone()
    return row[0] if row else None


def snapshot(conn: sqlite3.Connection, target: Path, since: str | None) -> None:
    """The database copied to `target` (a new file), less what the office does not take;
    with `since`, only what was written or changed from then on."""
    conn.execute("VACUUM INTO ?", (str(target),))
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.execute("BEGIN")
        for table in LOCAL_ONLY:
            copy.execute(f"DELETE FROM {table}")
        if since is not None:
            for table in TABLES:
                if table not in WHOLE:
                    stamp = {"residents": "updated_at", "audit": "at"}.get(table, "created_at")
                    copy.execute(f"DELETE FROM {table} WHERE {stamp} < ?", (since,))
        copy.execute("COMMIT")
        copy.execute("VACUUM")  # what was deleted is gone from the file, not only unlinked
    finally:
        copy.close()


def add_export(conn: sqlite3.Connection, village_code: str, since: str | None,
               covers_day: str, at: str) -> str:
    uid = new_uid()
    conn.execute("INSERT INTO bundle_exports (uid, village_code, since, covers_day,"
                 " created_at) VALUES (?, ?, ?, ?, ?)", (uid, village_code, since, covers_day,
                                                        at))
    return uid


# --- an office: its villages and what arrived ------------------------------------------------

def register_village(conn: sqlite3.Connection, code: str, name: str, public_key: str,
                     at: str) -> None:
    conn.execute("INSERT INTO office_villages (uid, village_code, name, public_key, created_at)"
                 " VALUES (?, ?, ?, ?, ?) ON CONFLICT (village_code) DO UPDATE SET"
                 " name = excluded.name, public_key = excluded.public_key",
                 (new_uid(), code, name, public_key, at))


def registered(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    keys = ("number", "village_code", "name", "public_key", "created_at")
    return [dict(zip(keys, row)) for row in conn.execute(
        "SELECT id, village_code, name, public_key, created_at FROM office_villages"
        " ORDER BY id")]


def village_named_by_key(conn: sqlite3.Connection, public_key: str) -> str | None:
    row = conn.execute("SELECT village_code FROM office_villages WHERE public_key = ?",
                       (public_key,)).fetchone()
    return row[0] if row else None


def received(conn: sqlite3.Connection, bundle_uid: str) -> bool:
    return conn.execute("SELECT 1 FROM bundles_received WHERE uid = ?",
                        (bundle_uid,)).fetchone() is not None


def newest_made(conn: sqlite3.Connection, village_code: str) -> str | None:
    return conn.execute("SELECT max(made_at) FROM bundles_received WHERE village_code = ?",
                        (village_code,)).fetchone()[0]


def add_received(conn: sqlite3.Connection, header: dict[str, Any], counts: dict[str, int],
                 at: str) -> None:
    conn.execute(
        "INSERT INTO bundles_received (uid, village_code, made_at, covers_day, since,"
        " inserted, updated, unchanged, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (header["bundle"], header["village_code"], header["made_at"], header["covers_day"],
         header.get("since"), counts["inserted"], counts["updated"], counts["unchanged"], at))


def arrivals(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Each registered village with its last bundle and the newest day its bundles cover."""
    keys = ("village_code", "name", "bundles", "last_arrived", "covers_day")
    return [dict(zip(keys, row)) for row in conn.execute(
        "SELECT v.village_code, v.name, count(b.id), max(b.created_at), max(b.covers_day)"
        " FROM office_villages v LEFT JOIN bundles_received b"
        " ON b.village_code = v.village_code GROUP BY v.id ORDER BY v.id")]


def missing_on(conn: sqlite3.Connection, day: str) -> list[dict[str, str]]:
    """Registered villages no bundle of which covers `day` (an empty list in a village)."""
    return [{"village_code": row[0], "name": row[1]} for row in conn.execute(
        "SELECT v.village_code, v.name FROM office_villages v WHERE NOT EXISTS (SELECT 1 FROM"
        " bundles_received b WHERE b.village_code = v.village_code AND b.covers_day >= ?)"
        " ORDER BY v.id", (day,))]


# --- an office: merging -----------------------------------------------------------------------

def schema_of(path: Path) -> int | None:
    """A bundle's schema version; None when the file is not a database at all."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()


def attach(conn: sqlite3.Connection, path: Path) -> None:
    """The bundle's tables readable as bundle.TABLE, outside a transaction (SQLite attaches
    only there). A server cannot open the file: merge() copies it in, in the transaction."""
    if not is_server(conn):
        conn.execute("ATTACH DATABASE ? AS bundle", (str(path),))


def detach(conn: sqlite3.Connection) -> None:
    if not is_server(conn):
        conn.execute("DETACH DATABASE bundle")


def problems(path: Path, village_code: str) -> tuple[list[str], int]:
    """What the bundle file itself shows before anything is merged: the village codes of its
    rows other than its signer's (none, if honest), and its widest row number."""
    bundle = _read_only(path)
    try:
        others = " UNION ".join(f"SELECT village_code FROM {table} WHERE village_code != ?1"
                                for table in TABLES)
        widest = " UNION ALL ".join(f"SELECT max(id) AS id FROM {table}" for table in TABLES)
        return (sorted(row[0] for row in bundle.execute(others, (village_code,))),
                int(bundle.execute(f"SELECT coalesce(max(id), 0) FROM ({widest})").fetchone()[0]))
    finally:
        bundle.close()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def merge(conn: sqlite3.Connection, path: Path, village_code: str, base: int,
          made_at: str) -> dict[str, int]:
    """The bundle's rows into the office: new ones inserted (numbered from `base`), known ones
    left as they are, residents changed since updated, and households too when this bundle
    is the village's newest. Returns the counts."""
    last = newest_made(conn, village_code)
    counts = {"inserted": 0, "updated": 0, "unchanged": 0}
    staged: tuple[str, ...] = TABLES
    if is_server(conn):
        if last is None:  # the village's first bundle: every row new, straight in by COPY
            staged = ("villages",)  # (a village's code may be known already)
            counts["inserted"] = _copy(conn, path, [t for t in TABLES if t not in staged],
                                       base)
        _stage(conn, path, (*staged, "name_initials"))
    totals = _row_counts(conn, staged)
    for table in staged:
        # the rows the office has changed first, then the new ones added (which need no
        # change: the other way round, each new row would be looked at again)
        updated = _update_in_place(conn, table, village_code, (last or "") <= made_at)
        inserted = _insert_new(conn, table, base)
        counts["inserted"] += inserted
        counts["updated"] += updated
        counts["unchanged"] += totals[table] - inserted - updated
    conn.execute("INSERT OR IGNORE INTO main.name_initials SELECT * FROM bundle.name_initials")
    return counts


def _renumbered(column: str, base: int, alias: str = "") -> str:
    """A village's row numbers (a row's own, an audit row's it points to) in the office."""
    return f"{alias}{column} + {base}" if column in ("id", "audit_id") else f"{alias}{column}"


def _insert_new(conn: sqlite3.Connection, table: str, base: int) -> int:
    """The rows of bundle.TABLE the office has not got (by uid), in the village's order."""
    columns = _columns(conn, table)
    conflict = " ON CONFLICT (code) DO NOTHING" if table == "villages" else ""
    return int(conn.execute(
        f"INSERT INTO main.{table} ({', '.join(columns)})"
        f" SELECT {', '.join(_renumbered(c, base, 'b.') for c in columns)}"
        f" FROM bundle.{table} b"
        f" WHERE NOT EXISTS (SELECT 1 FROM main.{table} m WHERE m.uid = b.uid)"
        f" ORDER BY b.id{conflict}").rowcount)


def _stage(conn: Any, path: Path, tables: tuple[str, ...]) -> None:
    """The bundle's `tables` into the session's temporary tables bundle.TABLE, whose rows are
    few and the office's many: each is then looked up by its uid's index. Left to itself,
    the server hashes the whole office table for every bundle (it knows nothing of the
    temporary tables), and a merge of a hundred villages takes minutes instead of seconds:
    hash and merge joins are off, for this transaction only."""
    if conn.execute("SELECT to_regclass('pg_temp.bundle_villages')").fetchone()[0] is None:
        for table in (*TABLES, "name_initials"):  # names from code
            key = "name" if table == "name_initials" else "uid"  # looked up by it
            conn.execute(f"CREATE TEMPORARY TABLE bundle.{table} (LIKE main.{table})")
            conn.execute(f"CREATE INDEX bundle_{table}_key ON bundle.{table} ({key})")
    else:  # emptied, with no dead rows left from the last bundle
        conn.execute(f"TRUNCATE {', '.join(f'bundle.{table}' for table in tables)}")
    _copy(conn, path, tables)
    conn.execute("SET LOCAL enable_hashjoin = off")
    conn.execute("SET LOCAL enable_mergejoin = off")


def _copy(conn: Any, path: Path, tables: Sequence[str], base: int | None = None) -> int:
    """The bundle file's rows of `tables` sent to the server by COPY: into its own tables,
    renumbered from `base`, or (no base) as they are into bundle.TABLE."""
    bundle = _read_only(path)
    try:
        copied = 0
        for table in tables:  # names from code
            columns = [row[1] for row in bundle.execute(f"PRAGMA table_info({table})")]
            if base is None:
                target, shown = f"bundle.{table}", columns
            else:
                target, shown = table, [_renumbered(c, base) for c in columns]
            copied += conn.copy_rows(target, columns, bundle.execute(
                f"SELECT {', '.join(shown)} FROM {table}"))
        return copied
    finally:
        bundle.close()


def _columns(conn: sqlite3.Connection, table: str) -> list[str]:
    if is_server(conn):
        return conn.columns(table)  # type: ignore[attr-defined]
    return [row[1] for row in conn.execute(f"PRAGMA main.table_info({table})")]


def _row_counts(conn: sqlite3.Connection, tables: tuple[str, ...]) -> dict[str, int]:
    every = " UNION ALL ".join(f"SELECT '{table}', count(*) FROM bundle.{table}"
                               for table in tables)
    return {table: count for table, count in conn.execute(every)}


_RESIDENT_FIELDS = ("name", "sex", "id_number", "phone", "household_no", "relation",
                    "group_name", "address", "updated_at")
_HOUSEHOLD_FIELDS = ("household_no", "group_name", "head_name", "address")


def _update_in_place(conn: sqlite3.Connection, table: str, village_code: str,
                     newest: bool) -> int:
    fields: tuple[str, ...]
    if table == "residents":
        fields, when = _RESIDENT_FIELDS, "b.updated_at > residents.updated_at"
    elif table == "households" and newest:
        fields = _HOUSEHOLD_FIELDS
        when = " OR ".join(f"b.{f} IS NOT households.{f}" for f in fields)
    else:
        return 0
    # the village's own rows only (by its index): not every village's, for each bundle
    return int(conn.execute(
        f"UPDATE main.{table} SET {', '.join(f'{f} = b.{f}' for f in fields)}"
        f" FROM bundle.{table} b WHERE {table}.village_code = ? AND b.uid = {table}.uid"
        f" AND ({when})", (village_code,)).rowcount)


def new_conflicts(conn: sqlite3.Connection, village_code: str, at: str) -> int:
    """The village's people whose ID number is on another village's roster too, and those
    of them under quarantine in both villages on a same day: noted once per pair of
    villages (whichever arrived first), never merged. The whole roster is looked at, not
    only the bundle's rows: a quarantine that began since may join two unchanged rows."""
    # counted, not LIMIT 1: a server would then plan for a first match soon and read the
    # whole table for it, not the village's rows by their index
    shared = conn.execute(
        "SELECT count(*) FROM main.residents a JOIN main.residents o"
        " ON o.id_number = a.id_number AND o.village_code != a.village_code"
        " WHERE a.village_code = ?", (village_code,)).fetchone()[0]
    if not shared:  # nobody on two rosters (as nearly always): nothing to note
        return 0
    before = conn.total_changes
    pair = ("min(a.village_code, o.village_code), max(a.village_code, o.village_code),"
            " json_object(a.village_code, a.name, o.village_code, o.name)")
    conn.execute(
        "INSERT OR IGNORE INTO merge_conflicts (uid, village_code, other_village, detail,"
        " kind, subject, created_at)"
        f" SELECT lower(hex(randomblob(16))), {pair}, 'same_id_number', a.id_number, ?"
        " FROM main.residents a JOIN main.residents o ON o.id_number = a.id_number"
        " AND o.village_code != a.village_code WHERE a.village_code = ?"
        " AND a.id_number IS NOT NULL", (at, village_code))
    conn.execute(
        "INSERT OR IGNORE INTO merge_conflicts (uid, village_code, other_village, detail,"
        " kind, subject, created_at)"
        " SELECT lower(hex(randomblob(16))), min(a.village_code, o.village_code),"
        " max(a.village_code, o.village_code),"
        " json_object(a.village_code, a.name, o.village_code, o.name, 'from',"
        "  max(qa.start_date, qo.start_date), 'to', min(coalesce(qa.end_date, qa.last_day),"
        "  coalesce(qo.end_date, qo.last_day))), 'quarantined_twice', a.id_number, ?"
        " FROM main.residents a"
        " JOIN main.residents o ON o.id_number = a.id_number AND o.village_code != a.village_code"
        " JOIN main.quarantine_status qa ON qa.resident_uid = a.uid"
        " JOIN main.quarantine_status qo ON qo.resident_uid = o.uid"
        " WHERE a.village_code = ? AND a.id_number IS NOT NULL"
        " AND qa.start_date <= coalesce(qo.end_date, qo.last_day)"
        " AND qo.start_date <= coalesce(qa.end_date, qa.last_day)", (at, village_code))
    return conn.total_changes - before


def conflicts(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    keys = ("id", "kind", "subject", "village_code", "other_village", "detail", "created_at",
            "village_name", "other_village_name")
    return [dict(zip(keys, row)) for row in conn.execute(
        "SELECT c.id, c.kind, c.subject, c.village_code, c.other_village, c.detail,"
        " c.created_at, a.name, b.name FROM merge_conflicts c"
        " LEFT JOIN office_villages a ON a.village_code = c.village_code"
        " LEFT JOIN office_villages b ON b.village_code = c.other_village ORDER BY c.id")]
