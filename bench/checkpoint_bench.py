"""Checkpoint import benchmark: a guards' sheet of N registrations against sqlite3's .import.

    python bench/checkpoint_bench.py [--rows 1000000]

No target since the import lost its C loops (the roster import has one: import_bench.py);
the figures say where it stands.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import interleaved, listed, median, run, sqlite3_shell

OUT = Path(__file__).resolve().parent / "out"
HEADER = ["卡口名称", "被检查人姓名", "被检查人身份证号", "车牌号", "联系方式", "出发地", "目的地",
          "检查时间", "体温", "是否劝返"]


def write(rows: int, out: Path) -> None:
    from gen_roster import rows as people

    rng = random.Random(3)
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i, person in enumerate(people(rows)):
            minute = i * 1440 // rows
            plate = f"豫A{rng.randint(10000, 99999)}" if rng.random() < 0.6 else ""
            back = "外地车辆" if rng.random() < 0.01 else "否"
            writer.writerow([("北路口", "南路口", "航海路卡口")[i % 3], person[0], person[2], plate,
                             person[3], "郑州", "席庄村",
                             f"2020-02-05 {minute // 60:02d}:{minute % 60:02d}",
                             f"{36 + rng.randint(0, 12) / 10:.1f}", back])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sqlite3 = sqlite3_shell()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"checkpoint_{args.rows}.csv"
    if not source.exists():
        write(args.rows, source)
    base_times, our_times, ours = interleaved(
        lambda memory: _trial(sqlite3, source, memory), args.runs)
    ratio = median(our_times) / median(base_times)
    print(f"rows: {args.rows:,} ({source.stat().st_size / 2**20:.0f} MB CSV), median of "
          f"{args.runs} runs each")
    print(f"sqlite3 .import (baseline): {median(base_times):.2f} s  ({listed(base_times)})")
    print(f"epitool checkpoint import:  {median(our_times):.2f} s  ({listed(our_times)})  "
          f"{ours['stdout'].strip()[:120]}")
    print(f"ratio: {ratio:.2f}x")
    print(f"peak memory (a run of its own): {ours['max_rss_mb']:.0f} MB largest process, "
          f"{ours['tree_pss_mb']:.0f} MB PSS of the process tree "
          f"({ours['tree_rss_mb']:.0f} MB as a sum of RSS)")


def _trial(sqlite3: str, source: Path, memory: bool) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        db = f"{tmp}/epitool.db"
        for name in ("北路口", "南路口", "航海路卡口"):
            subprocess.run([sys.executable, "-m", "epitool", "--db", db, "checkpoint", "add",
                            name], check=True, capture_output=True)
        base = run([sqlite3, f"{tmp}/baseline.db", f".import --csv {source} logs"],
                   memory=False)
        ours = run([sys.executable, "-m", "epitool", "--db", db, "checkpoint", "import",
                    str(source), "--format", "json"], memory=memory)
    return base, ours


if __name__ == "__main__":
    main()
