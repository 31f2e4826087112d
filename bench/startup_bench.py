"""Start-up benchmark: a clerk's short command against a minimal Typer script.

    python bench/startup_bench.py [--runs 20]

The baseline is a Typer app that opens the same database and reads one row; both run as
fresh processes, alternately, and the medians are compared. Target: ratio <= 1.0, no slower
than the script.

A command that writes (`visit log`) is compared with two scripts. One writes a bare row and
commits it: the disk's flush is then the same for both. The other does visit log's job
bare: it finds the person, then records a visit and its audit row (the detail as JSON, the
time in the office's zone, which every epitool write has) and commits them. The target is
against that one: what visit log does beyond it is epitool's own cost. The ratio to the
one-row script is printed too: it adds the price of the job itself (json and zoneinfo are
imported by every write).

epitool's start-up keeps the cyclic collector off and freezes what it imported (see
epitool.cli.main), which also spares the interpreter's last collection at exit. A second
baseline does the same in the minimal script, so the figures also show epitool's own cost
against a Typer script that uses that trick.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MINIMAL = """
import sqlite3, sys
import typer
app = typer.Typer()
@app.command()
def show(person: str, db: str = typer.Option(...)):
    conn = sqlite3.connect(db)
    print(conn.execute("SELECT name FROM residents WHERE id = ?", (person.lstrip("#"),)).fetchone())
@app.command()
def log(person: str, db: str = typer.Option(...)):
    # a write as small as a command's: one row, committed (the database's own journal mode)
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE IF NOT EXISTS bench_log (person TEXT, at TEXT)")
    conn.execute("INSERT INTO bench_log VALUES (?, datetime('now'))", (person,))
    conn.commit()
    print("logged", person)
@app.command()
def visit(person: str, temp: float = typer.Option(...), db: str = typer.Option(...)):
    # visit log's job, bare: the person's row, then a visit and its audit row (the detail
    # as JSON) at the office's time, committed
    import json
    import uuid
    from datetime import datetime
    from zoneinfo import ZoneInfo

    conn = sqlite3.connect(db)
    resident, village, name = conn.execute(
        "SELECT uid, village_code, name FROM residents WHERE id = ?", (person.lstrip("#"),)
    ).fetchone()
    at = datetime.now(ZoneInfo("Asia/Shanghai")).isoformat(timespec="seconds")
    visit_uid = str(uuid.uuid4())
    conn.execute(
        "INSERT INTO visits (uid, village_code, resident_uid, at, day, temp, outcome,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, 'seen-ok', ?)",
        (visit_uid, village, resident, at, at[:10], temp, at),
    )
    detail = {"resident": resident, "outcome": "seen-ok", "fever": False, "day": at[:10]}
    conn.execute(
        "INSERT INTO audit (uid, village_code, at, who, command, action, target, detail)"
        " VALUES (?, ?, ?, 'bench', 'visit', 'visit.log', ?, ?)",
        (str(uuid.uuid4()), village, at, f"visits:{visit_uid}",
         json.dumps(detail, ensure_ascii=False, sort_keys=True)),
    )
    conn.commit()
    print(f"visit recorded: {name}, {temp:g}°C")
app()
"""
# the same script with epitool.cli's trick: collector off while importing, then frozen
MINIMAL_FROZEN = "import gc; gc.disable()\n" + MINIMAL.replace(
    "    conn = sqlite3", "    gc.freeze(); gc.enable()\n    conn = sqlite3"
)


def timed(cmd: list[str], cwd: str) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=cwd)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/bench.db"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "epitool",
                "--db",
                db,
                "roster",
                "import",
                str(REPO / "samples" / "roster_xizhuang.csv"),
            ],
            check=True,
            capture_output=True,
            cwd=tmp,
        )
        script = Path(tmp, "minimal.py")
        script.write_text(MINIMAL)
        frozen_script = Path(tmp, "minimal_frozen.py")
        frozen_script.write_text(MINIMAL_FROZEN)
        # what a clerk types: the installed console script (python -m also pays for runpy)
        script_path = Path(sys.executable).with_name("epitool")
        launcher = [str(script_path)] if script_path.exists() else [sys.executable, "-m", "epitool"]
        epitool = [*launcher, "--db", db]
        subprocess.run(
            [*epitool, "quarantine", "start", "#3"], check=True, capture_output=True, cwd=tmp
        )
        commands = {
            "roster show #1": [*epitool, "roster", "show", "#1"],
            "roster show #1 --format json": [*epitool, "roster", "show", "#1", "--format", "json"],
            "visit log #3 --temp 36.5": [*epitool, "visit", "log", "#3", "--temp", "36.5"],
        }
        base_cmd = [sys.executable, str(script), "show", "#1", "--db", db]
        write_cmd = [sys.executable, str(script), "log", "#3", "--db", db]
        job_cmd = [sys.executable, str(script), "visit", "#3", "--temp", "36.5", "--db", db]
        frozen_cmd = [sys.executable, str(frozen_script), "show", "#1", "--db", db]
        base: list[float] = []
        writes: list[float] = []
        jobs: list[float] = []
        frozen: list[float] = []
        ours: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            base.append(timed(base_cmd, tmp))
            writes.append(timed(write_cmd, tmp))
            jobs.append(timed(job_cmd, tmp))
            frozen.append(timed(frozen_cmd, tmp))
            for name, cmd in commands.items():
                ours[name].append(timed(cmd, tmp))
    b = statistics.median(base)
    w = statistics.median(writes)
    j = statistics.median(jobs)
    f = statistics.median(frozen)
    print(f"minimal Typer script (baseline): {b * 1000:.0f} ms (median of {args.runs})")
    print(f"the same script writing a row:   {w * 1000:.0f} ms")
    print(f"the same script, visit log's job: {j * 1000:.0f} ms")
    print(f"the same script, gc as epitool:  {f * 1000:.0f} ms")
    for name, times in ours.items():
        o = statistics.median(times)
        if "log" in name:
            print(
                f"epitool {name:<28} {o * 1000:.0f} ms, ratio {paired(times, jobs):.2f}x the "
                f"script doing its job (target <= 1.0x); {paired(times, writes):.2f}x the "
                "script writing a bare row"
            )
        else:
            print(
                f"epitool {name:<28} {o * 1000:.0f} ms, ratio {paired(times, base):.2f}x the "
                f"script (target <= 1.0x); {o / f:.2f}x the reading script with epitool's gc"
            )


def paired(ours: list[float], theirs: list[float]) -> float:
    """The median of each round's ratio: a machine that slows down for a few rounds slows
    both sides of those rounds."""
    return statistics.median(a / b for a, b in zip(ours, theirs))


if __name__ == "__main__":
    main()
