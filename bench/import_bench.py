"""Roster import benchmark: epitool's validated import against sqlite3's own .import.

    python bench/import_bench.py [--rows 20000 --rows 1000000] [--runs 3]

Both load the same generated CSV into a fresh database in the same run, alternately; the
script prints both medians, their ratio, and epitool's peak memory. Targets: 1,000,000 rows
within 6x of sqlite3's .import and under 300 MB for the whole process tree; 20,000 rows in
under 0.6 s.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import interleaved, listed, median, run, sqlite3_shell
from gen_roster import write

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    for rows in args.rows or [20_000, 1_000_000]:
        bench(rows, args.runs)


def bench(rows: int, runs: int) -> None:
    sqlite3 = sqlite3_shell()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"roster_{rows}.csv"
    if not source.exists():
        print(f"generating {rows:,} residents -> {source}", flush=True)
        write(rows, source)
    size_mb = source.stat().st_size / 2**20
    base_times, our_times, ours = interleaved(
        lambda memory: _trial(sqlite3, source, memory), runs)
    result = json.loads(ours["stdout"])
    ratio = median(our_times) / median(base_times)
    print(f"rows: {rows:,} ({size_mb:.1f} MB CSV), median of {runs} runs each")
    print(f"sqlite3 .import (baseline): {median(base_times):.2f} s  ({listed(base_times)})")
    print(f"epitool roster import:      {median(our_times):.2f} s  ({listed(our_times)})  "
          f"(inserted {result['inserted']:,}, rejected {result['rejected']:,})")
    target = "target <= 6x at 1,000,000 rows" if rows >= 1_000_000 else "no target"
    print(f"ratio: {ratio:.2f}x ({target})")
    if rows <= 20_000:
        print(f"epitool wall time: {median(our_times):.2f} s (target < 0.6 s at 20,000 rows)")
    print(f"epitool peak memory (a run of its own): largest process {ours['max_rss_mb']:.0f} MB;"
          f" whole process tree {ours['tree_pss_mb']:.0f} MB PSS (target < 300 MB), "
          f"{ours['tree_rss_mb']:.0f} MB as a sum of RSS (shared pages counted twice)")


def _trial(sqlite3: str, source: Path, memory: bool) -> tuple[dict, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        base = run([sqlite3, f"{tmp}/baseline.db", f".import --csv {source} residents"],
                   memory=False)
        ours = run([sys.executable, "-m", "epitool", "--db", f"{tmp}/epitool.db",
                    "roster", "import", str(source), "--format", "json"], memory=memory)
    return base, ours


if __name__ == "__main__":
    main()
