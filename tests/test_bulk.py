"""The bulk-load helpers: many rows per statement, foreign keys around them, and the
households a roster's rows name."""

from __future__ import annotations

import itertools
import os
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from epitool.core.roster.households import HouseholdTracker
from epitool.store.bulk import check_foreign_keys, foreign_keys_off, insert_flat
from tests.conftest import Run, person, valid_id


def test_insert_flat_keeps_every_row_in_order_across_statements() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b, c)")
    # 20 values a statement: 6 rows of 3, so 23 rows are three statements and 5 left over
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 20)
    flat = [value for n in range(23) for value in (n, f"行{n}", None if n % 2 else "x")]
    insert_flat(conn, "INSERT INTO t (a, b, c) VALUES {rows}", flat, 3)
    assert conn.execute("SELECT a, b, c FROM t ORDER BY rowid").fetchall() == [
        (n, f"行{n}", None if n % 2 else "x") for n in range(23)
    ]


def test_insert_flat_with_expressions_in_its_row() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b)")
    insert_flat(
        conn,
        "INSERT INTO t (a, b) SELECT column1, upper(column2) FROM (VALUES {rows})",
        ["1", "x", "2", "y"],
        2,
    )
    insert_flat(conn, "INSERT INTO t (a, b) VALUES {rows}", ["3", "z"], 2, "(?, 'k' || ?)")
    assert conn.execute("SELECT a, b FROM t").fetchall() == [("1", "X"), ("2", "Y"), ("3", "kz")]


def test_insert_flat_refuses_a_partial_row() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (a, b)")
    with pytest.raises(ValueError, match="rows of 2"):
        insert_flat(conn, "INSERT INTO t VALUES {rows}", [1, 2, 3], 2)
    assert conn.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_foreign_keys_come_back_on_and_a_broken_reference_is_caught() -> None:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE parent (uid TEXT PRIMARY KEY)")
    conn.execute("CREATE TABLE child (parent_uid TEXT REFERENCES parent (uid))")
    with foreign_keys_off(conn):
        conn.execute("BEGIN")
        conn.execute("INSERT INTO child VALUES ('nobody')")
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            check_foreign_keys(conn, ["child"])
        check_foreign_keys(conn, ["parent"])  # refers to nothing: fine
        conn.execute("ROLLBACK")
    assert conn.execute("PRAGMA foreign_keys").fetchone() == (1,)


def many_id(n: int) -> str:
    return valid_id(f"410171{1950 + n // 1000}0101{n % 1000:03d}")


def test_many_rows_a_statement_into_a_parent_table_need_foreign_keys_off() -> None:
    """Why the roster import turns foreign keys off: for a statement of several rows SQLite
    checks each new parent row against its children, and cannot without a unique index."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE parent (uid TEXT)")
    conn.execute("CREATE TABLE child (parent_uid TEXT REFERENCES parent (uid))")
    conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 2)  # two rows a statement
    insert_flat(conn, "INSERT INTO parent VALUES {rows}", ["a"], 1)  # one row: not checked
    with pytest.raises(sqlite3.OperationalError, match="foreign key mismatch"):
        insert_flat(conn, "INSERT INTO parent VALUES {rows}", ["b", "c"], 1)
    with foreign_keys_off(conn):
        insert_flat(conn, "INSERT INTO parent VALUES {rows}", ["b", "c"], 1)
    assert conn.execute("SELECT count(*) FROM parent").fetchone() == (3,)


def _flat(*rows: list[str]) -> list[str | None]:
    """Resident rows as batches carry them: a uid, then the 8 fields."""
    out: list[str | None] = []
    for n, row in enumerate(rows):
        name, sex, idn, phone, household, relation, group, address = row
        out += [
            f"uid{n}",
            name,
            sex or None,
            idn,
            phone,
            household or None,
            relation,
            group,
            address,
        ]
    return out


def test_households_first_member_gives_group_and_address_head_comes_when_found() -> None:
    tracker = HouseholdTracker(iter(f"h{n}" for n in range(10)))
    first = tracker.collect(
        _flat(
            person("甲", "1", household="H1", relation="子", group="一组", address="一号"),
            person("乙", "2", household="H1", relation="户主", group="二组", address="二号"),
            person("丙", "3", household="H2", relation="妻"),
            person("丁", "4", household="", relation="户主"),
        )
    )  # no household: none made
    assert first.households == [
        "h0",
        "H1",
        "一组",
        "一号",
        "乙",
        "h1",
        "H2",
        "一组",
        "一组 1 号",
        None,
    ]
    assert first.heads == []
    later = tracker.collect(
        _flat(
            person("戊", "5", household="H2", relation="户主"),
            person("己", "6", household="H2", relation="本人"),
            person("庚", "7", household="H1", relation="户主"),
        )
    )
    assert later.households == [] and later.heads == ["H2", "戊"]


def test_head_listed_in_a_later_batch_reaches_the_household(run: Run, make_csv) -> None:
    # The import's first batch is 2,000 rows: the head of H1 comes after it.
    rows = [person("王一", valid_id("41017119900101001"), household="H1", relation="子")]
    rows += [person(f"李{n}", many_id(n), household=f"X{n}") for n in range(2, 2100)]
    rows.append(person("王五", valid_id("41017119600101005"), household="H1"))
    assert run.json("roster", "import", str(make_csv(rows)))["inserted"] == 2100
    with sqlite3.connect(run.db) as conn:
        assert conn.execute(
            "SELECT head_name FROM households WHERE household_no = 'H1'"
        ).fetchone() == ("王五",)
        assert conn.execute("SELECT count(*) FROM households").fetchone() == (2099,)


def test_import_beside_records_that_refer_to_residents(run: Run, make_csv, tmp_path: Path) -> None:
    """A second import inserts many residents per statement while a need refers to the
    first: nothing is lost and every reference holds."""
    run.json("roster", "import", str(make_csv([person("王五", valid_id("41017119600101005"))])))
    assert run("need", "add", "王五", "大米").exit_code == 0
    more = [person(f"李{n}", many_id(n), household=f"X{n}") for n in range(1, 1200)]
    assert run.json("roster", "import", str(make_csv(more, name="more.csv")))["inserted"] == 1199
    with sqlite3.connect(run.db) as conn:
        assert conn.execute("SELECT count(*) FROM needs").fetchone() == (1,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


members = st.lists(
    st.tuples(
        st.sampled_from(["H1", "H2", "H3", None]),
        st.sampled_from(["户主", "本人", "子", "head", None]),
        st.sampled_from(["一组", "二组", None]),
    ),
    max_size=40,
)


@given(members, st.lists(st.integers(0, 40), max_size=4))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_households_follow_the_rule_in_any_batches(
    rows: list[tuple[str | None, ...]], cuts: list[int]
) -> None:
    """A household's group and address are its first member's; its head the first member
    listed as head, sent with the household when found in the same batch, else later."""
    flat: list[str | None] = []
    for n, (household, relation, group) in enumerate(rows):
        flat += [f"u{n}", f"name{n}", "M", None, None, household, relation, group, f"addr{n}"]
    bounds = [0, *sorted({min(c, len(rows)) for c in cuts}), len(rows)]
    tracker = HouseholdTracker(iter(f"h{n}" for n in range(100)))
    got = [tracker.collect(flat[a * 9 : b * 9]) for a, b in itertools.pairwise(bounds)]

    first: dict[str, int] = {}
    head: dict[str, int] = {}
    for n, (household, relation, _) in enumerate(rows):
        if household is not None:
            first.setdefault(household, n)
            if relation in ("户主", "本人", "head", "self"):
                head.setdefault(household, n)
    batch_of = {
        n: b for b, (lo, hi) in enumerate(itertools.pairwise(bounds)) for n in range(lo, hi)
    }
    made = 0
    for b, found in enumerate(got):
        expected_households: list[str | None] = []
        expected_heads: list[str] = []
        for household, n in first.items():
            if batch_of[n] == b:
                same = household in head and batch_of[head[household]] == b
                expected_households += [
                    f"h{made}",
                    household,
                    rows[n][2],
                    f"addr{n}",
                    f"name{head[household]}" if same else None,
                ]
                made += 1
        for household, n in sorted(head.items(), key=lambda item: item[1]):
            if batch_of[n] == b and batch_of[first[household]] < b:
                expected_heads += [household, f"name{n}"]
        assert (found.households, found.heads) == (expected_households, expected_heads)


def test_early_flush_keeps_the_lock_until_the_connection_closes(tmp_path: Path) -> None:
    """Closing a second descriptor of the file would drop the process's POSIX locks, so the
    flush keeps its own open until the connection is closed."""
    from epitool.store.db import open_database

    path = tmp_path / "t.db"
    db = open_database(path, create=True)
    db.conn.execute("PRAGMA journal_mode = DELETE")  # as a bulk load runs: file locks
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    with db.write():
        db.start_flush()
        flush = db._flush
        assert flush is not None
        assert flush.thread is not None
        flush.thread.join()  # synced; the descriptor is still open
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    db.close()
    assert flush.thread is not None and not flush.thread.is_alive()
    with pytest.raises(OSError):
        os.fstat(flush.fd)
    other.execute("BEGIN IMMEDIATE")
    other.execute("ROLLBACK")


def test_a_big_file_checked_by_two_workers_keeps_each_person_once(
        run: Run, make_csv, monkeypatch: pytest.MonkeyPatch) -> None:
    """In a big file two worker processes check alternate chunks of the rows; repeats
    across chunks are still found in file order, and go to the rejects file with the cells
    the file has for them. (Workers from a megabyte here, to keep the test short.)"""
    from datetime import date, timedelta

    from epitool.core import pipeline, worker
    from epitool.core.pipeline import FIRST_BATCH_ROWS

    monkeypatch.setattr(pipeline, "WORKERS_FROM_BYTES", 2**20)
    WORKERS_FROM_BYTES = 2**20
    started: list[int] = []
    real_in_workers = worker.in_workers

    def in_workers(makes, *args, **kwargs):  # type: ignore[no-untyped-def]
        started.append(len(makes))
        return real_in_workers(makes, *args, **kwargs)

    monkeypatch.setattr(worker, "in_workers", in_workers)
    born = [date(1960, 1, 1) + timedelta(days=n) for n in range(15_000)]
    rows = [person(f"居民{n}", valid_id(f"410171{day:%Y%m%d}001"),
                   household=f"H{n // 3:05d}", relation="户主" if n % 3 == 0 else "子",
                   address="一组 长长的地址 " * 3)
            for n, day in enumerate(born)]
    repeat = [*rows[10]]
    repeat[0] = "冒名者"  # the same ID again, far into another worker's chunk
    at = FIRST_BATCH_ROWS + 7_000
    rows.insert(at, repeat)
    path = make_csv(rows, name="big.csv")
    assert path.stat().st_size >= WORKERS_FROM_BYTES
    out = run.json("roster", "import", str(path))
    assert started == [2]  # the file was read by two workers
    assert out["inserted"] == len(rows) - 1 and out["rejected"] == 1
    rejects = Path(out["rejects_file"]).read_text(encoding="utf-8-sig").splitlines()
    [line] = [line for line in rejects if "冒名者" in line]
    assert line.startswith(",".join(repeat))  # the cells as the file has them
    assert f",{at + 2}," in line  # its own row (the header is row 1)
    assert "row 12 " in line  # the earlier row that named the same person
    with sqlite3.connect(run.db) as conn:
        assert conn.execute("SELECT count(*) FROM households").fetchone() == (5_000,)
