"""Scale benchmark: report daily and remind on a district-sized database.

    python bench/report_bench.py [--residents 1000000] [--followup 50000] [--visits 700000]

Builds (once, cached in bench/out/) a district of generated residents, people under
follow-up in the last two weeks with their daily visits, earlier completed quarantines, staff
and disinfection sites; then times `report daily` and `remind` as a clerk or cron would run
them (fresh processes, median of 5). Target: each under 1 second of wall time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gen_roster import write

from epitool.ids import uid_sequence

OUT = Path(__file__).resolve().parent / "out"
TODAY = date(2020, 2, 14)
LAYOUT = 2  # bump when build() changes, so a cached database is rebuilt
TZ = timezone(timedelta(hours=8))


def build(db: Path, residents: int, followup: int, visits: int) -> None:
    source = OUT / f"roster_{residents}.csv"
    if not source.exists():
        write(residents, source)
    subprocess.run([sys.executable, "-m", "epitool", "--db", str(db), "roster", "import",
                    str(source), "--format", "json"], check=True, capture_output=True)
    import sqlite3

    conn = sqlite3.connect(db, isolation_level=None)
    rng = random.Random(7)
    uids = uid_sequence()
    now = "2020-02-14T08:00:00+08:00"
    village = conn.execute("SELECT village_code FROM residents LIMIT 1").fetchone()[0]
    groups = [g for (g,) in conn.execute("SELECT name FROM groups")]
    conn.execute("BEGIN")
    staff = [(next(uids), village, f"工作人员{i}", "volunteer", None, now) for i in range(500)]
    conn.executemany("INSERT INTO staff (uid, village_code, name, team, phone, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?)", staff)
    conn.executemany("INSERT INTO responsibilities (uid, village_code, staff_uid, group_name,"
                     " created_at) VALUES (?, ?, ?, ?, ?)",
                     [(next(uids), village, staff[i % 500][0], g, now)
                      for i, g in enumerate(groups)])
    conn.executemany("INSERT INTO sites (uid, village_code, name, kind, every_days, group_name,"
                     " created_at) VALUES (?, ?, ?, 'public', 1, ?, ?)",
                     [(next(uids), village, f"点位{i}", groups[i % len(groups)], now)
                      for i in range(200)])
    people = [u for (u,) in conn.execute(
        "SELECT uid FROM residents ORDER BY random() LIMIT ?", (followup * 3 // 2,))]
    active, done = people[:followup], people[followup:]
    visit_rows: list[tuple[object, ...]] = []
    plans = [(p, TODAY - timedelta(days=rng.randint(0, 13)), 14) for p in active]
    plans += [(p, TODAY - timedelta(days=rng.randint(28, 40)), 14) for p in done]
    for resident, start, days in plans:
        quarantine = next(uids)
        staff_uid = staff[rng.randrange(500)][0]
        conn.execute("INSERT INTO quarantines (uid, village_code, resident_uid, kind, start_date,"
                     " days, staff_uid, created_at) VALUES (?, ?, ?, 'home', ?, ?, ?, ?)",
                     (quarantine, village, resident, start.isoformat(), days, staff_uid, now))
        last = min(start + timedelta(days=days - 1), TODAY)
        day = start
        while day <= last:
            temp = 37.6 if rng.random() < 0.01 else 36.5
            visit_rows.append((next(uids), village, resident, quarantine,
                               datetime.combine(day, datetime.min.time(), TZ).replace(hour=9)
                               .isoformat(), day.isoformat(), temp, "seen-ok" if temp < 37.3
                               else "seen-not-ok", int(temp >= 37.3), staff_uid, now))
            day += timedelta(days=1)
        if start + timedelta(days=days - 1) < TODAY:
            conn.execute("INSERT INTO quarantine_events (uid, village_code, quarantine_uid, event,"
                         " outcome, event_date, created_at) VALUES (?, ?, ?, 'end', 'completed',"
                         " ?, ?)", (next(uids), village, quarantine,
                                    (start + timedelta(days=days - 1)).isoformat(), now))
    # Stored in the order they are logged, day by day, as a village's database holds them.
    visit_rows = [(next(uids), *row[1:]) for row in sorted(visit_rows[:visits],
                                                           key=lambda row: row[4])]
    conn.executemany("INSERT INTO visits (uid, village_code, resident_uid, quarantine_uid, at,"
                     " day, temp, outcome, fever, staff_uid, created_at)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", visit_rows)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    conn.close()
    print(f"built {db.name}: {residents:,} residents, {len(active):,} under follow-up, "
          f"{len(visit_rows):,} visits", flush=True)


def timed(args: list[str], db: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "epitool", "--db", str(db), *args], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--residents", type=int, default=1_000_000)
    parser.add_argument("--followup", type=int, default=50_000)
    parser.add_argument("--visits", type=int, default=700_000)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / f"district_{args.residents}_{args.followup}_{args.visits}_v{LAYOUT}.db"
    if not db.exists():
        build(db, args.residents, args.followup, args.visits)
    day = TODAY.isoformat()
    # Untimed: brings a cached database up to the current schema (new indexes) first.
    subprocess.run([sys.executable, "-m", "epitool", "--db", str(db), "roster", "list",
                    "--limit", "1"], check=True, capture_output=True)
    for label, command in (("report daily", ["report", "daily", "--date", day, "--format",
                                             "json"]),
                           ("report daily (table)", ["report", "daily", "--date", day]),
                           ("remind", ["remind", "--date", day, "--format", "json"]),
                           ("summary", ["summary", "--date", day, "--format", "json"]),
                           ("report daily (html)", ["report", "daily", "--date", day,
                                                    "--format", "html", "--output",
                                                    str(OUT / "bench-daily.html"), "--force"]),
                           ("report daily (xlsx)", ["report", "daily", "--date", day,
                                                    "--format", "xlsx", "--output",
                                                    str(OUT / "bench-daily.xlsx"), "--force"])):
        times = [timed(command, db) for _ in range(5)]
        median = statistics.median(times)
        print(f"{label:<22} median {median:.2f} s (min {min(times):.2f}) "
              f"{'ok' if median < 1 else 'OVER'} (target < 1 s)")


if __name__ == "__main__":
    main()
