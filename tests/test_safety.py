"""Data safety: kills mid-import, concurrent writers, backups, damage, privacy of output."""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, SAMPLES, Run

ENV = {**os.environ, "PYTHONPATH": str(REPO), "EPITOOL_LANG": "en"}
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
FULL_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def count(db: Path) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM residents").fetchone()[0]


@pytest.mark.slow
def test_sigkill_during_import_loses_nothing(tmp_path: Path) -> None:
    """20 kills at random moments: the import is all there or not there, never half."""
    sys.path.insert(0, str(REPO / "bench"))
    from gen_roster import write

    rows = 200_000
    source = tmp_path / "big.csv"
    write(rows, source)
    db = tmp_path / "kill.db"
    command = [
        sys.executable,
        "-m",
        "epitool",
        "--db",
        str(db),
        "roster",
        "import",
        str(source),
        "--format",
        "json",
    ]
    rng = random.Random(11)
    seen = set()
    for _ in range(20):
        process = subprocess.Popen(
            command,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        time.sleep(rng.uniform(0.05, 3.0))
        os.killpg(process.pid, signal.SIGKILL)  # the worker process too
        process.wait()
        if db.exists():
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
                total = conn.execute("SELECT count(*) FROM residents").fetchone()[0]
            assert total in (0, rows), total
            seen.add(total)
    finished = subprocess.run(command, env=ENV, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert count(db) == rows
    with sqlite3.connect(db) as conn:  # loaded with a rollback journal, left in WAL
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    print(f"kills survived: 20, row counts seen after kills: {sorted(seen)}")


WORKER = """
import sys
from typer.testing import CliRunner
from epitool.cli.app import app
db, person, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
runner = CliRunner()
failures = 0
for i in range(n):
    result = runner.invoke(app, catch_exceptions=False, args=[
        "--db", db, "--lang", "en", "visit", "log", person, "--temp", "36.5",
        "--note", f"{person}-{i}"])
    if result.exit_code != 0 or "Traceback" in result.output or "locked" in result.output:
        failures += 1
        print(result.output, file=sys.stderr)
print(failures)
"""

READER = """
import sys, time
from typer.testing import CliRunner
from epitool.cli.app import app
db, seconds = sys.argv[1], float(sys.argv[2])
runner = CliRunner()
end, rounds, bad = time.monotonic() + seconds, 0, 0
while time.monotonic() < end:
    for args in (["report", "daily", "--format", "json"], ["remind", "--format", "json"]):
        result = runner.invoke(app, catch_exceptions=False,
                               args=["--db", db, "--lang", "en", *args])
        bad += result.exit_code != 0 or "Traceback" in result.output
    rounds += 1
print(rounds, bad)
"""


@pytest.mark.slow
def test_four_writers_and_a_reader(run: Run, tmp_path: Path) -> None:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    people = ["#1", "#2", "#3", "#4"]
    for person in people:
        assert run("quarantine", "start", person).exit_code == 0
    per_worker = 200
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(run.db), p, str(per_worker)],
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for p in people
    ]
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(run.db), "8"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    outputs = [w.communicate(timeout=600) for w in writers]
    reader_out, reader_err = reader.communicate(timeout=600)
    for out, err in outputs:
        assert out.strip() == "0", err
    rounds, bad = map(int, reader_out.split())
    assert bad == 0 and rounds > 0, reader_err
    with sqlite3.connect(run.db) as conn:
        notes = {n for (n,) in conn.execute("SELECT note FROM visits")}
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert notes == {f"{p}-{i}" for p in people for i in range(per_worker)}
    print(f"records written concurrently: {len(notes)}, reader rounds: {rounds}")


def test_backup_check_restore(run: Run, tmp_path: Path) -> None:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    backup = tmp_path / "b.db"
    assert run("db", "backup", str(backup)).exit_code == 0
    assert oct(backup.stat().st_mode & 0o777) == "0o600"
    again = run("db", "backup", str(backup))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert run("db", "check").stdout.strip() == f"Database {run.db} is healthy."
    run("roster", "add", "新人", "--household", "XZ-009")
    refused = run("db", "restore", str(backup))
    assert refused.exit_code == 1 and "Add --force" in refused.stderr and count(run.db) == 23
    done = run("db", "restore", str(backup), "--force")
    assert done.exit_code == 0 and count(run.db) == 22
    [kept] = tmp_path.glob("test-before-restore-*.db")
    assert count(kept) == 23  # nothing lost: the replaced database is kept
    assert run("db", "restore", str(tmp_path / "nope.db"), "--force").exit_code == 1


def test_damage_quoting_undecodable_bytes_is_reported(run: Run) -> None:
    """SQLite quotes the damaged schema in its message; bytes that are not UTF-8 there made
    Python's sqlite3 raise UnicodeDecodeError instead of a database error."""
    import sqlite3

    assert run("init").exit_code == 0
    conn = sqlite3.connect(run.db, isolation_level=None)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute(
        "UPDATE sqlite_master SET name = CAST(X'71BE1ED19D' AS TEXT),"
        " sql = 'CREATE INDEX ' || CAST(X'71BE1ED19D' AS TEXT) || ' ON nowhere (x)'"
        " WHERE name = 'residents_area'"
    )
    conn.close()
    backup = run.db.with_name("damaged-copy.db")
    backup.write_bytes(run.db.read_bytes())
    for command in (("db", "check"), ("roster", "list"), ("db", "restore", str(backup), "--force")):
        result = run(*command)
        assert result.exit_code == 1, command
        assert "malformed database schema" in result.stderr
        assert "Traceback" not in result.stderr and r"\x1e" in result.stderr


def test_check_reports_damage(run: Run, tmp_path: Path) -> None:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    damaged = tmp_path / "damaged.db"
    assert run("db", "backup", str(damaged)).exit_code == 0
    data = bytearray(damaged.read_bytes())
    page = 4096
    for offset in range(3 * page + 100, len(data) - page, page):  # scribble over b-tree pages
        data[offset : offset + 64] = os.urandom(64)
    damaged.write_bytes(bytes(data))
    from epitool.cli.app import app

    result = run.runner.invoke(
        app, catch_exceptions=False, args=["--db", str(damaged), "--lang", "en", "db", "check"]
    )
    assert result.exit_code == 1
    assert "problem" in result.stderr or "not a usable epitool database" in result.stderr
    assert "Traceback" not in result.stderr
    for command in (["roster", "list", "--limit", "0"], ["roster", "show", "#3"], ["summary"],
                    ["staff", "add", "李卫国", "--team", "cadre"]):
        other = run.runner.invoke(app, catch_exceptions=False,
                                  args=["--db", str(damaged), "--lang", "en", *command])
        assert other.exit_code == 1, (command, other.output)
        assert "damaged" in other.stderr or "not a usable" in other.stderr, other.stderr


def test_no_full_numbers_in_default_output(run: Run, tmp_path: Path) -> None:
    """Every listing, report and message, as a clerk sees it by default."""
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    run("staff", "add", "李卫国", "--team", "cadre", "--phone", "13900001111")
    run("quarantine", "start", "席晓东", "--since", "2020-02-01")
    run("visit", "log", "席晓东", "--temp", "38.0", "--at", "2020-02-05 09:00")
    full = run.json("roster", "show", "席晓东", "--reveal")["person"]
    run("checkpoint", "add", "北路口")
    commands = [
        ["roster", "list"],
        ["roster", "list", "--format", "json"],
        ["roster", "list", "--format", "csv"],
        ["roster", "show", "席晓东"],
        ["roster", "show", "席晓东", "--format", "json"],
        ["roster", "show", "王伟"],
        ["roster", "show", full["id_number"]],
        ["roster", "list", "-s", full["phone"][-6:]],
        ["staff", "list"],
        ["staff", "list", "--format", "json"],
        ["quarantine", "list"],
        ["quarantine", "list", "--format", "json"],
        ["quarantine", "start", "席晓东"],
        ["visit", "list", "--date", "2020-02-05"],
        ["visit", "list", "--person", full["id_number"], "--format", "csv"],
        ["summary", "--date", "2020-02-05", "--format", "json"],
        ["summary"],
        ["report", "daily", "--date", "2020-02-05"],
        *(
            ["report", "daily", "--date", "2020-02-05", "--format", f]
            for f in ("json", "csv", "md", "html")
        ),
        ["remind", "--date", "2020-02-05"],
        ["remind", "--format", "json"],
        ["visit", "log", full["id_number"], "--temp", "365"],
        [
            "checkpoint",
            "log",
            "北路口",
            "-n",
            "席晓东",
            "--id",
            full["id_number"],
            "--phone",
            full["phone"],
            "--temp",
            "36.5",
        ],
        ["checkpoint", "summary", "--format", "json"],
        ["checkpoint", "list"],
        # errors that echo what was typed, with or without separators
        ["roster", "show", full["id_number"][:-1] + "0"],
        ["roster", "show", " ".join((full["id_number"][:6], full["id_number"][6:14],
                                     full["id_number"][14:]))],
        ["staff", "add", "张三", "--team", "cadre", "--phone",
         f"{full['phone'][:3]}-{full['phone'][3:7]}-{full['phone'][7:]}9"],
        ["roster", "add", "王五", "--id", full["id_number"][:-1] + "0"],
        ["audit"],
        ["audit", "--format", "csv"],
    ]
    bad_rows = tmp_path / "bad.csv"
    bad_rows.write_text("姓名,身份证号,联系电话\n王五," + full["id_number"][:-1] + "0,"
                        + full["phone"] + "0\n", encoding="utf-8")
    commands.append(["roster", "import", str(bad_rows)])
    for lang in ("en", "zh"):
        for args in commands:
            result = run(*args, lang=lang)
            text = result.stdout + result.stderr
            assert not FULL_ID.search(text), (args, FULL_ID.search(text))
            assert not FULL_PHONE.search(text), (args, FULL_PHONE.search(text))
            assert "Traceback" not in text, args
    files = 0
    for args in (["roster", "list"], ["staff", "list"], ["quarantine", "list"],
                 ["visit", "list", "--date", "2020-02-05"], ["audit"],
                 ["report", "daily", "--date", "2020-02-05"]):
        for fmt in ("csv", "xlsx", "json"):
            out = tmp_path / f"{args[0]}-{len(args)}.{fmt}"
            assert run(*args, "--format", fmt, "--output", str(out), "--force").exit_code == 0
            data = out.read_bytes()
            if fmt == "xlsx":
                import zipfile

                with zipfile.ZipFile(out) as book:
                    data = b"".join(book.read(n) for n in book.namelist())
            text = data.decode("utf-8", "replace")
            assert not FULL_ID.search(text) and not FULL_PHONE.search(text), out
            files += 1
    print(f"commands swept for full ID and phone numbers: {2 * len(commands)}, files: {files}")


ACKNOWLEDGING_WRITER = """
import sys
from typer.testing import CliRunner
from epitool.cli.app import app
db, person, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
runner = CliRunner()
for i in range(n):
    result = runner.invoke(app, ["--db", db, "--lang", "en", "visit", "log", person,
                                 "--temp", "36.5", "--note", f"{person}-{i}"])
    if result.exit_code == 0:
        print(f"{person}-{i}", flush=True)  # acknowledged: the clerk was told it landed
"""


@pytest.mark.slow
def test_a_restore_under_four_writers_loses_no_acknowledged_write(run: Run,
                                                                   tmp_path: Path) -> None:
    """Every visit a writer was told had landed is in the copy kept before the restore or
    in the restored database; the restore waits for writers like any writer."""
    import time

    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    people = ["#1", "#2", "#3", "#4"]
    for person in people:
        assert run("quarantine", "start", person).exit_code == 0
    backup = tmp_path / "before.db"
    assert run("db", "backup", str(backup)).exit_code == 0
    writers = [subprocess.Popen([sys.executable, "-c", ACKNOWLEDGING_WRITER, str(run.db), p,
                                 "300"], env=ENV, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for p in people]
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # restore once the writers are well under way
        with sqlite3.connect(run.db, timeout=30) as conn:
            if conn.execute("SELECT count(*) FROM visits").fetchone()[0] >= 60:
                break
        time.sleep(0.1)
    restored = subprocess.run([sys.executable, "-m", "epitool", "--db", str(run.db), "--lang",
                               "en", "db", "restore", str(backup), "--force"], env=ENV,
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    acknowledged = set()
    for writer in writers:
        out, _ = writer.communicate(timeout=600)
        acknowledged |= set(out.split())
    [kept] = tmp_path.glob("test-before-restore-*.db")

    def notes(path: Path) -> set[str]:
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            return {n for (n,) in conn.execute("SELECT note FROM visits") if n}

    in_kept, in_live = notes(kept), notes(run.db)
    assert in_kept and in_live - in_kept  # the restore fell between the writes
    assert acknowledged <= in_kept | in_live, sorted(acknowledged - in_kept - in_live)[:5]
    print(f"acknowledged {len(acknowledged)}: {len(in_kept)} kept, {len(in_live)} after")


def test_a_damaged_database_takes_no_writes_until_checked_or_restored(run: Run,
                                                                       tmp_path: Path) -> None:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    good = tmp_path / "good.db"
    assert run("db", "backup", str(good)).exit_code == 0
    with sqlite3.connect(run.db) as conn:  # one index page damaged, the schema intact
        root, size = conn.execute("SELECT rootpage, (SELECT page_size FROM pragma_page_size)"
                                  " FROM sqlite_master WHERE name = 'residents_uid'").fetchone()
    data = bytearray(run.db.read_bytes())
    data[(root - 1) * size + 8 : root * size] = os.urandom(size - 8)
    run.db.write_bytes(bytes(data))
    assert run("staff", "add", "张医生", "--team", "medical").exit_code == 0  # not yet known
    assert run("db", "check").exit_code == 1  # found damaged: noted beside it
    refused = run("staff", "add", "李卫国", "--team", "cadre")
    assert refused.exit_code == 1 and "takes no writes" in refused.stderr
    assert "Traceback" not in refused.output
    assert run("db", "restore", str(good), "--force").exit_code == 0
    assert run("db", "check").exit_code == 0
    assert run("staff", "add", "李卫国", "--team", "cadre").exit_code == 0


@pytest.mark.both_engines
def test_check_names_what_the_schema_lacks(run: Run) -> None:
    """A database edited by hand (an index and a column's table dropped, a view gone) fails
    `db check` with each named, on a file and on a server alike."""
    from epitool.store.db import open_database

    assert run("init").exit_code == 0
    with open_database(run.db, create=False) as db, db.write() as conn:
        conn.execute("DROP INDEX visits_day")
        conn.execute("DROP VIEW quarantine_status")
        conn.execute("DROP TABLE needs_done")
    checked = run("db", "check")
    assert checked.exit_code == 1
    for missing in ("missing index: visits_day", "missing view: quarantine_status",
                    "missing table: needs_done"):
        assert missing in checked.stderr
