"""epitool remind: the rules over a scripted two weeks, and how it behaves under cron."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SAMPLES, Run

pytestmark = pytest.mark.both_engines


@pytest.fixture
def village(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    run("staff", "add", "李卫国", "--team", "cadre")
    run("staff", "add", "张医生", "--team", "medical")
    run("staff", "assign", "李卫国", "--group", "一组")
    run("staff", "assign", "张医生", "--group", "二组")
    run("site", "add", "村委会广场", "--kind", "public", "--every", "2")
    run("quarantine", "start", "席晓东", "--since", "2020-02-01")  # 一组, to 2020-02-14
    run("quarantine", "start", "赵德明", "--since", "2020-02-03")  # 二组, to 2020-02-16
    return run


def due(run: Run, day: str, *extra: str) -> list[tuple[str, str]]:
    return [
        (d["kind"], d["subject"].split()[-1]) for d in run.json("remind", "--date", day, *extra)
    ]


def visit(run: Run, who: str, day: str, *args: str) -> None:
    assert run("visit", "log", who, "--at", f"{day} 09:00", *args).exit_code == 0


def test_two_weeks_of_reminders(village: Run) -> None:
    v = village
    v("disinfect", "log", "村委会广场", "--at", "2020-02-01 08:00")
    assert due(v, "2020-02-01") == [("visit_due", "席晓东")]
    visit(v, "席晓东", "2020-02-01", "--temp", "36.5")
    assert due(v, "2020-02-01") == []
    # Day 2: not visited at all; day 3: the reminder says so, with the backfill command.
    assert due(v, "2020-02-03") == [
        ("visit_due", "席晓东"),
        ("visit_due", "赵德明"),
        ("missed_yesterday", "席晓东"),
        ("disinfection_overdue", "村委会广场"),
    ]
    [missed] = [
        d for d in v.json("remind", "--date", "2020-02-03") if d["kind"] == "missed_yesterday"
    ]
    # pasted, it runs: "#3" quoted for the shell, no made-up reading (visit log asks for it)
    assert missed["command"] == 'epitool visit log "#3" --at 2020-02-02'
    assert missed["staff"] == "李卫国"
    # A fever on day 5: recheck due today and tomorrow, until a normal reading.
    visit(v, "席晓东", "2020-02-05", "--temp", "38.1")
    assert ("fever_recheck", "席晓东") in due(v, "2020-02-05")
    assert ("fever_recheck", "席晓东") in due(v, "2020-02-06")
    v("visit", "log", "席晓东", "--at", "2020-02-06 15:00", "--temp", "36.6")
    assert ("fever_recheck", "席晓东") not in due(v, "2020-02-06")
    # --for: only what a staff member covers.
    assert {s for _, s in due(v, "2020-02-06", "--for", "张医生")} == {"赵德明"}
    # The end of the quarantine.
    assert ("ending_tomorrow", "席晓东") in due(v, "2020-02-13")
    assert ("ending_today", "席晓东") in due(v, "2020-02-14")
    [past] = [d for d in v.json("remind", "--date", "2020-02-15") if d["kind"] == "overdue_end"]
    assert past["command"] == 'epitool visit log "#3"'  # no last-day visit yet
    visit(v, "席晓东", "2020-02-14", "--temp", "36.4")
    [past] = [d for d in v.json("remind", "--date", "2020-02-15") if d["kind"] == "overdue_end"]
    assert past["command"] == 'epitool quarantine end "#3" --outcome completed'
    v("quarantine", "end", "席晓东", "--outcome", "completed", "--date", "2020-02-14")
    assert all(s != "席晓东" for _, s in due(v, "2020-02-15"))


def test_quiet_and_exit_codes(village: Run) -> None:
    busy = village("remind", "--date", "2020-02-01", "--quiet", "--exit-code")
    assert busy.exit_code == 3 and "visit due" in busy.stdout
    visit(village, "席晓东", "2020-02-01", "--temp", "36.5")
    village("disinfect", "log", "村委会广场", "--at", "2020-02-01 08:00")
    calm = village("remind", "--date", "2020-02-01", "--quiet", "--exit-code")
    assert (calm.exit_code, calm.stdout, calm.stderr) == (0, "", "")
    chatty = village("remind", "--date", "2020-02-01")
    assert chatty.stdout == "Nothing due today.\n"


def _cron_env(now: str) -> dict[str, str]:
    """Cron's environment: PATH only, plus the clock we pretend and a UTC machine."""
    return {"PATH": os.environ["PATH"], "TZ": "UTC", "EPITOOL_NOW": now, "PYTHONPATH": str(REPO)}


@pytest.mark.parametrize(
    "utc, beijing_day",
    [("2020-02-03T15:59:00Z", "2020-02-03"), ("2020-02-03T16:01:00Z", "2020-02-04")],
)
def test_cron_on_a_utc_machine_around_midnight(village: Run, utc: str, beijing_day: str) -> None:
    """23:59 and 00:01 Beijing time: the office's day, not the machine's."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "epitool",
            "--db",
            str(village.db),
            "remind",
            "--format",
            "json",
            "--exit-code",
        ],
        env=_cron_env(utc),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 3, result.stderr
    items = json.loads(result.stdout)
    assert {d["detail"] for d in items if d["kind"] == "visit_due"} == {beijing_day}
    text = subprocess.run(
        [sys.executable, "-m", "epitool", "--db", str(village.db), "remind"],
        env=_cron_env(utc),
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert "\x1b[" not in text.stdout  # no colour without a terminal
    assert "今日待走访" in text.stdout  # cron's empty locale: Chinese, like the clerks
    # no wrapping at a guessed terminal width: each item, subject to command, on one line
    items = [line for line in text.stdout.splitlines() if line.startswith("[")]
    assert items and all(" — " in line and "epitool " in line for line in items)


@pytest.mark.skipif(shutil.which("env") is None, reason="no env(1)")
def test_runs_under_env_i(village: Run) -> None:
    result = subprocess.run(
        [
            "env",
            "-i",
            f"PATH={os.environ['PATH']}",
            f"PYTHONPATH={REPO}",
            sys.executable,
            "-m",
            "epitool",
            "--db",
            str(village.db),
            "remind",
            "--date",
            "2020-02-01",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0 and result.stderr == ""
    assert "#3 席晓东" in result.stdout


def _writer(db: Any) -> tuple[Any, str]:
    """Another program's writer, in its transaction with the write lock taken: a connection
    to the file, or to the server (holding the lock its writers take); its placeholder."""
    if isinstance(db, Path):
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        return conn, "?"
    import psycopg

    from epitool.store.server import WRITER_LOCK

    server = psycopg.connect(db.url, autocommit=True)
    server.execute("BEGIN")
    server.execute("SELECT pg_advisory_xact_lock(%s)", (WRITER_LOCK,))
    return server, "%s"


def _hold_write_lock(db: Path, seconds: float) -> threading.Thread:
    """Another process's writer: takes the write lock, writes, holds it, then commits."""
    import uuid

    ready = threading.Event()
    failure: list[BaseException] = []

    def hold() -> None:
        try:
            conn, mark = _writer(db)
            conn.execute(
                "INSERT INTO audit (uid, village_code, at, who, command, action)"
                f" VALUES ({mark}, 'x', 'x', 'x', 'x', 'x')",
                (str(uuid.uuid4()),),
            )
            ready.set()
            time.sleep(seconds)
            conn.execute("COMMIT")
            conn.close()
        except BaseException as exc:  # never leave the test waiting
            failure.append(exc)
        finally:
            ready.set()

    thread = threading.Thread(target=hold)
    thread.start()
    assert ready.wait(30), "the lock holder did not start"
    assert not failure, failure
    return thread


def _epitool(db: Path, *args: str, config: Path | None = None) -> subprocess.CompletedProcess[str]:
    extra = ["--config", str(config)] if config else []
    return subprocess.run(
        [sys.executable, "-m", "epitool", "--db", str(db), "--lang", "en", *extra, *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


@pytest.mark.slow
def test_busy_database(village: Run, tmp_path: Path) -> None:
    # A reader is never blocked by a writer (WAL): remind answers at once.
    holder = _hold_write_lock(village.db, 1.5)
    started = time.monotonic()
    assert _epitool(village.db, "remind", "--date", "2020-02-01").returncode == 0
    assert time.monotonic() - started < 1.5
    holder.join()
    # A writer waits for the lock, then writes.
    holder = _hold_write_lock(village.db, 1.0)
    started = time.monotonic()
    logged = _epitool(village.db, "visit", "log", "席晓东", "--temp", "36.5")
    holder.join()
    assert logged.returncode == 0, logged.stderr
    assert time.monotonic() - started >= 0.9
    # Held for long: after a second the writer says it is waiting, then writes.
    holder = _hold_write_lock(village.db, 2.5)
    waited = _epitool(village.db, "visit", "log", "席晓东", "--temp", "36.6")
    holder.join()
    assert waited.returncode == 0, waited.stderr
    assert "Another program is writing to the database; waiting" in waited.stderr
    # Held longer than the busy timeout: a clear message to retry, nothing half-written.
    config = tmp_path / "short.yaml"
    config.write_text("busy_timeout_seconds: 0.3\n", encoding="utf-8")
    before = village.json("visit", "list", "--person", "席晓东")
    holder = _hold_write_lock(village.db, 2.0)
    refused = _epitool(village.db, "visit", "log", "席晓东", "--temp", "36.7", config=config)
    holder.join()
    assert refused.returncode == 1
    assert "is busy" in refused.stderr and "Try again" in refused.stderr
    assert "Traceback" not in refused.stderr and "locked" not in refused.stderr
    assert village.json("visit", "list", "--person", "席晓东") == before


def test_schedule_print(village: Run) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "epitool", "--db", str(village.db), "schedule", "print"],
        env={**os.environ, "TZ": "UTC", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    lines = [line for line in out.splitlines() if not line.startswith("#")]
    assert [line.split()[:2] for line in lines] == [["30", "23"], ["0", "8"], ["0", "13"]]
    assert all(f"--db {village.db}" in line for line in lines)
    assert lines[0].endswith("remind --quiet")
    assert "report daily --format html --force --output" in lines[2]
    assert "$(TZ=Asia/Shanghai date +\\%F)" in lines[2]
    assert (SAMPLES / "epitool-remind.timer").read_text().count("Asia/Shanghai") == 2
    # The report's line runs as cron runs it (cron turns \% into %), the folder made first
    job = lines[2].split(None, 5)[5].replace("\\%", "%")
    ran = subprocess.run(["sh", "-c", job], env={**os.environ, "PYTHONPATH": str(REPO)},
                         capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert (ran.stdout, ran.stderr) == ("", "")  # cron mails nothing on success
    assert len(list((village.db.parent / "reports").glob("daily-*.html"))) == 1


def test_due_as_dict_has_every_field() -> None:
    from dataclasses import fields

    from epitool.core.remind import Due

    due = Due("visit_due", "#1 张三", "一组", "李四", "2020-02-14", "epitool visit log #1")
    assert due.as_dict() == {f.name: getattr(due, f.name) for f in fields(Due)}


def test_split_between_two_processes_gives_the_same_reminders(village: Run, monkeypatch) -> None:
    from epitool.core import worker

    visit(village, "席晓东", "2020-02-05", "--temp", "38.1")
    days = ("2020-02-03", "2020-02-05", "2020-02-06", "2020-02-14", "2020-02-15")
    alone = [village.json("remind", "--date", day) for day in days]
    monkeypatch.setattr(worker, "PROCESS_MIN_BYTES", 0)
    assert [village.json("remind", "--date", day) for day in days] == alone
    assert all(alone)


@pytest.mark.skipif(shutil.which("script") is None, reason="no script(1)")
def test_suggested_visit_command_runs_at_a_terminal_and_asks_for_the_reading(
        village: Run) -> None:
    """What remind suggests, pasted into a real terminal (script(1) gives it a pty): the
    command runs, asks for the temperature it does not invent, and records the answer."""
    [item] = [d for d in village.json("remind", "--date", "2020-02-01")
              if d["kind"] == "visit_due"]
    assert item["command"] == 'epitool visit log "#3"'
    line = item["command"].replace("epitool", f"{sys.executable} -m epitool --db "
                                   f"{village.db} --lang en", 1)
    typed = subprocess.run(["script", "-qec", line, "/dev/null"], input="36.8\n",
                           capture_output=True, text=True, timeout=60,
                           env={**os.environ, "PYTHONPATH": str(REPO)})
    assert typed.returncode == 0, typed.stdout
    assert "Temperature °C" in typed.stdout and "temperature 36.8°C" in typed.stdout
    piped = subprocess.run(line, shell=True, capture_output=True, text=True, timeout=60,
                           stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert piped.returncode == 1 and "needs the temperature taken" in piped.stderr
