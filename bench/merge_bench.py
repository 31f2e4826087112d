"""Merge benchmark: an office merging its villages' sealed bundles.

    python bench/merge_bench.py [--villages 100] [--residents 10000]

Builds (once, kept in bench/out/) the villages: each a database of its own with a roster of
`--residents` people (ID numbers unique across villages), 5% of them under follow-up for 14
days with a visit every day, and a checkpoint's traffic (200 registrations a day); each
exports its bundle with `epitool bundle export`. Then, timed, from installed epitool:

- every bundle imported into an empty office database in one command (target: under 60 s,
  at most 500 MB for the whole process tree, measured in a run of its own);
- the same bundles imported again, unchanged (target: under 10 s);
- `report daily --by village --format json` on the result (median of 3; target: under 1 s).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import median, run
from gen_roster import HEADER, rows

OUT = Path(__file__).resolve().parent / "out"
DAY = date(2020, 2, 14)  # the report's day: the last of the 14 days of follow-up
EPITOOL = [sys.executable, "-m", "epitool"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--villages", type=int, default=100)
    parser.add_argument("--residents", type=int, default=10_000)
    args = parser.parse_args()
    home = OUT / f"merge_{args.villages}_{args.residents}"
    bundles = build(home, args.villages, args.residents)
    office = fresh_office(home, "office")
    first = run([*EPITOOL, "--config", str(office), "bundle", "import", *map(str, bundles),
                 "--format", "json"], memory=False)
    merged = json.loads(first["stdout"])
    again = run([*EPITOOL, "--config", str(office), "bundle", "import", *map(str, bundles),
                 "--format", "json"], memory=False)
    report = [run([*EPITOOL, "--config", str(office), "report", "daily", "--by", "village",
                   "--date", DAY.isoformat(), "--format", "json"], memory=False)
              for _ in range(3)]
    totals = json.loads(report[0]["stdout"])["totals"]
    measured = fresh_office(home, "office_memory")
    memory = run([*EPITOOL, "--config", str(measured), "bundle", "import", *map(str, bundles)])
    print(f"{len(bundles)} village bundles of {args.residents:,} residents"
          f" ({sum(b.stat().st_size for b in bundles) / 2**20:.1f} MB in all)")
    print(f"merge into an empty office: {first['seconds']:.1f} s (target < 60 s);"
          f" inserted {merged['inserted']:,}, conflicts {merged['conflicts']}")
    print(f"  memory (a run of its own): whole process tree {memory['tree_pss_mb']:.0f} MB PSS,"
          f" largest process {memory['max_rss_mb']:.0f} MB (target < 500 MB)")
    print(f"the same bundles again, unchanged: {again['seconds']:.2f} s (target < 10 s);"
          f" inserted {json.loads(again['stdout'])['inserted']}")
    print(f"report daily --by village: {median([r['seconds'] for r in report]):.2f} s"
          f" (median of 3; target < 1 s); residents {totals['residents']:,},"
          f" under follow-up {totals['under_follow_up']:,}")


def build(home: Path, villages: int, residents: int) -> list[Path]:
    """The villages' bundles, made once and kept."""
    done = home / "bundles.json"
    if done.exists():
        return [Path(p) for p in json.loads(done.read_text())]
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    office_public = keygen(home / "office.key", "--office")
    used: set[str] = set()
    made = []
    for number in range(1, villages + 1):
        code = f"41017100{number:04d}"
        folder = home / code
        folder.mkdir()
        public = keygen(folder / "village.key", "--village")
        (folder / "epitool.yaml").write_text(json.dumps({
            "area": {"office": "城关办事处", "village": f"第{number}村", "village_code": code},
            "bundle": {"office_public_key": office_public, "signing_key_file": "village.key"},
        }, ensure_ascii=False), encoding="utf-8")
        (folder / "public.txt").write_text(public)
        roster = folder / "roster.csv"
        write_roster(roster, residents, number, used)
        epitool(folder, "roster", "import", str(roster))
        follow_up(folder / "epitool.db", code)
        epitool(folder, "bundle", "export", "-o", str(folder / "b.bundle"))
        made.append(folder / "b.bundle")
        print(f"village {number}/{villages} ready", file=sys.stderr)
    done.write_text(json.dumps([str(p) for p in made]))
    return made


def keygen(path: Path, kind: str) -> str:
    out = subprocess.run([*EPITOOL, "--db", str(path.with_suffix(".db")), "bundle", "keygen",
                          kind, "-o", str(path)], check=True, capture_output=True, text=True)
    return out.stdout.strip().splitlines()[-1]


def epitool(folder: Path, *args: str) -> None:
    subprocess.run([*EPITOOL, "--config", str(folder / "epitool.yaml"), *args], check=True,
                   capture_output=True)


def office_command(config: Path, db: str | None = None) -> list[str]:
    """epitool as the office runs it: its config, and its database when not the config's."""
    return [*EPITOOL, "--config", str(config), *(["--db", db] if db else [])]


def write_roster(path: Path, n: int, seed: int, used: set[str]) -> None:
    """n residents whose ID numbers no other village has: real people are on one roster."""
    import csv

    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        taken = 0
        for row in rows(n * 2, seed=seed):
            if row[2] in used:
                continue
            used.add(row[2])
            writer.writerow(row)
            taken += 1
            if taken == n:
                break


def follow_up(db: Path, code: str) -> None:
    """5% under follow-up for 14 days, begun on one of the 14 days up to DAY, a visit each
    day up to DAY; a checkpoint's traffic. Written straight into the village's database:
    setting up, not what is measured."""
    import random

    from epitool.ids import uid_sequence

    uids = uid_sequence()
    rng = random.Random(code)
    conn = sqlite3.connect(db)
    people = conn.execute("SELECT uid FROM residents ORDER BY id").fetchall()[::20]
    start = DAY - timedelta(days=13)
    stamp = f"{start}T08:00:00+08:00"
    quarantines = [(next(uids), code, r[0], "home",
                    (DAY - timedelta(days=rng.randint(0, 13))).isoformat(), 14, stamp)
                   for r in people]
    conn.executemany("INSERT INTO quarantines (uid, village_code, resident_uid, kind,"
                     " start_date, days, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)", quarantines)
    visits = []
    for q in quarantines:
        for offset in range((DAY - date.fromisoformat(q[4])).days + 1):
            day = (date.fromisoformat(q[4]) + timedelta(days=offset)).isoformat()
            at = f"{day}T09:00:00+08:00"
            visits.append((next(uids), code, q[2], q[0], at, day, 36.6, "seen-ok", at))
    conn.executemany("INSERT INTO visits (uid, village_code, resident_uid, quarantine_uid, at,"
                     " day, temp, outcome, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     visits)
    point = next(uids)
    conn.execute("INSERT INTO checkpoints (uid, village_code, name, created_at)"
                 " VALUES (?, ?, '村口', ?)", (point, code, stamp))
    logs = []
    for offset in range(14):
        day = (start + timedelta(days=offset)).isoformat()
        for n in range(200):
            at = f"{day}T{8 + n % 12:02d}:{n % 60:02d}:00+08:00"
            logs.append((next(uids), code, point, at, day, "in" if n % 2 else "out",
                         f"过客{n}", at))
    conn.executemany("INSERT INTO checkpoint_logs (uid, village_code, checkpoint_uid, at, day,"
                     " direction, name, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", logs)
    conn.commit()
    conn.close()


def fresh_office(home: Path, name: str, db: str | None = None) -> Path:
    """An empty office database with every village registered: the config's file, or `db`
    (a postgresql:// URL of an empty database)."""
    folder = home / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    shutil.copy(home / "office.key", folder / "office.key")
    config = folder / "epitool.yaml"
    config.write_text(json.dumps({
        "area": {"office": "城关办事处", "village": "城关办事处", "village_code": "4101710"},
        "bundle": {"role": "office", "office_key_file": "office.key"}}, ensure_ascii=False),
        encoding="utf-8")
    extra = ("--db", db) if db else ()
    epitool(folder, *extra, "init")
    for village in sorted(p for p in home.iterdir() if (p / "public.txt").exists()):
        epitool(folder, *extra, "bundle", "register", village.name, "--name",
                json.loads((village / "epitool.yaml").read_text())["area"]["village"],
                "--key", (village / "public.txt").read_text())
    return config


if __name__ == "__main__":
    main()
