"""Schema migrations: from nothing, and from every earlier version, nothing lost."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from epitool.errors import DatabaseError
from epitool.store.db import open_database
from epitool.store.migrations import MIGRATIONS, SCHEMA_VERSION

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def schema(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL"
                        " ORDER BY name").fetchall()


def test_every_version_has_a_fixture() -> None:
    assert sorted(p.name for p in FIXTURES.glob("schema_v*.db")) == sorted(
        f"schema_v{n}.db" for n in range(1, SCHEMA_VERSION + 1))


def test_from_empty(tmp_path: Path) -> None:
    db = open_database(tmp_path / "new.db", create=True)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION + 1))
def test_from_each_earlier_version(tmp_path: Path, version: int) -> None:
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / f"schema_v{version}.db", path)
    db = open_database(path, create=False)
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.conn.execute("SELECT name, id_number, phone FROM residents").fetchall() == [
        ("王五", "11010519491231002X", "13800001234")]
    fresh = open_database(tmp_path / "fresh.db", create=True)
    assert schema(db.conn) == schema(fresh.conn)
    db.close()
    fresh.close()


def test_each_migration_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import epitool.store.db as migrations  # where the migrations are applied

    def broken(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("power cut")

    monkeypatch.setattr(migrations, "MIGRATIONS", [*MIGRATIONS, broken])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", len(MIGRATIONS) + 1)
    with pytest.raises(DatabaseError):
        open_database(tmp_path / "x.db", create=True)
    conn = sqlite3.connect(tmp_path / "x.db")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "half_done" not in {r[0] for r in schema(conn)}


def test_newer_database_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    sqlite3.connect(path).execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    with pytest.raises(DatabaseError) as caught:
        open_database(path, create=False)
    assert caught.value.key == "db_too_new"


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite " * 100)
    with pytest.raises(DatabaseError) as caught:
        open_database(path, create=False)
    assert caught.value.key == "db_not_sqlite"
