"""Backups, checks and restores of the database file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from epitool.errors import DatabaseError, InputError
from epitool.store.bulk import check_foreign_keys, foreign_keys_off
from epitool.store.db import DAMAGED, PRIVATE, Database, damage_reason, read_only
from epitool.store.location import is_server


def backup(conn: sqlite3.Connection, target: Path) -> int:
    """A consistent copy of a live database through SQLite's online backup API (other
    processes may go on writing), into a new private file that is whole or absent: made
    beside the target under a temporary name, synced, then linked into place (never over an
    existing file). Returns its size in bytes. A server's database is its server's to back
    up (pg_dump), with the server's own guarantees."""
    import os
    import tempfile

    if is_server(conn):
        raise DatabaseError("pg_backup_by_server", path=str(target))
    if target.exists() or target.is_symlink():
        raise InputError("backup_exists", path=str(target))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                    dir=target.parent if str(target.parent) else ".")
        os.close(fd)  # mkstemp made it 0600; SQLite writes it
        temp = Path(name)
    except OSError as exc:
        raise InputError("output_unwritable", path=str(target), reason=exc.strerror) from None
    try:
        copy = sqlite3.connect(temp)
        try:
            conn.backup(copy, pages=4096)
            copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            copy.close()
        with temp.open("rb") as written:
            os.fsync(written.fileno())
        os.link(temp, target)
    except FileExistsError:
        raise InputError("backup_exists", path=str(target)) from None
    except (OSError, sqlite3.OperationalError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise InputError("output_unwritable", path=str(target), reason=reason) from None
    finally:
        temp.unlink(missing_ok=True)
    target.chmod(PRIVATE)
    return target.stat().st_size


def check(conn: sqlite3.Connection) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks; empty when all is well.
    A server enforces its references as rows are written, and checks its own pages."""
    if is_server(conn):
        return []
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {table} row {rowid} -> {parent}"
                     for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check")]
    except DAMAGED as exc:  # too damaged to finish the check: that is the finding
        return [damage_reason(exc)]
    return problems


def verify_backup_file(path: Path) -> int:
    """Refuse to restore what is not a healthy epitool database; returns its schema version."""
    if not path.is_file():
        raise InputError("file_missing", path=str(path))
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            problems = check(conn)
            conn.execute("SELECT count(*) FROM residents").fetchone()
        finally:
            conn.close()
    except DAMAGED as exc:
        raise DatabaseError("db_not_sqlite", path=str(path), reason=damage_reason(exc)) from None
    if problems or version < 1:
        raise DatabaseError("restore_bad_file", path=str(path),
                            reason="; ".join(problems[:3]) or "no epitool schema")
    return version


def schema_differences(conn: sqlite3.Connection) -> list[str]:
    """What this database lacks of the schema its migrations build: tables, views, columns
    and indexes, found by introspection (sqlite-utils; a server's catalogue) against a
    freshly migrated database. A hand-edited or half-restored file shows here even when
    SQLite finds no damage."""
    import sqlite_utils  # maintenance only: it imports pandas where pandas is installed

    from epitool.store.db import memory_database

    expected = memory_database()
    try:
        want = sqlite_utils.Database(expected.conn)
        tables, columns, indexes = (_server_schema(conn) if is_server(conn)
                                    else _file_schema(sqlite_utils.Database(conn)))
        found = [f"missing table: {name}" for name in want.table_names() if name not in tables]
        found += [f"missing view: {name}" for name in want.view_names() if name not in tables]
        for name in want.table_names():
            if name not in tables:
                continue
            found += [f"missing column: {name}.{c.name}" for c in want.table(name).columns
                      if (name, c.name) not in columns]
            found += [f"missing index: {i.name}" for i in want.table(name).indexes
                      if i.name not in indexes and not i.name.startswith("sqlite_autoindex")]
        return found
    finally:
        expected.close()


Schema = tuple[set[str], set[tuple[str, str]], set[str]]  # tables and views, columns, indexes


def _file_schema(have: Any) -> Schema:
    names = [*have.table_names(), *have.view_names()]
    columns = {(t, c.name) for t in have.table_names() for c in have.table(t).columns}
    indexes = {i.name for t in have.table_names() for i in have.table(t).indexes}
    return set(names), columns, indexes


def _server_schema(conn: sqlite3.Connection) -> Schema:
    """The same, read from a server's catalogue."""
    tables = {row[0] for row in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")}
    columns = {(t, c) for t, c in conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema()")}
    indexes = {row[0] for row in conn.execute(
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")}
    return tables, columns, indexes


def restore_live(db: Database, source: Path, kept: Path) -> None:
    """Replace the rows of a database in use by those of `source` (a database of the same
    schema), holding the write lock throughout: writers wait, and every write acknowledged
    before is in the copy kept first (`kept`), every one after in the restored database."""
    conn = db.conn
    conn.execute("ATTACH DATABASE ? AS restored", (str(source),))  # not inside a transaction
    try:
        # Checked once at the end instead: SQLite's count of deferred violations does not
        # come back to zero after every parent is deleted and inserted again
        with foreign_keys_off(conn), db.write() as locked:
            # A second connection sees every committed write, and no other can commit now
            reader = read_only(db.path)
            try:
                backup(reader, kept)
            finally:
                reader.close()
            tables = [row[0] for row in locked.execute(
                "SELECT name FROM main.sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name")]
            for table in tables:  # names from the schema, never from input
                locked.execute(f'DELETE FROM main."{table}"')
                locked.execute(f'INSERT INTO main."{table}" SELECT * FROM restored."{table}"')
            check_foreign_keys(locked, tables)
    finally:
        conn.execute("DETACH DATABASE restored")
