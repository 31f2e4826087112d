"""Roster import benchmark: epitool's validated import against sqlite3's own .import.

    python bench/import_bench.py [--rows 1000000]

Both load the same generated CSV into a fresh database in the same run; the script prints
both times, their ratio, and epitool's peak memory. Targets: ratio <= 3, memory < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _measure import interleaved, listed, median, run, sqlite3_shell  # noqa: E402
from gen_roster import write  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sqlite3 = sqlite3_shell()
    OUT.mkdir(exist_ok=True)
    source = OUT / f"roster_{args.rows}.csv"
    if not source.exists():
        print(f"generating {args.rows:,} residents -> {source}", flush=True)
        write(args.rows, source)
    size_mb = source.stat().st_size / 2**20
    base_times, our_times, ours = interleaved(
        lambda memory: _trial(sqlite3, source, memory), args.runs)
    result = json.loads(ours["stdout"])
    ratio = median(our_times) / median(base_times)
    print(f"rows: {args.rows:,} ({size_mb:.0f} MB CSV), median of {args.runs} runs each")
    print(f"sqlite3 .import (baseline): {median(base_times):.2f} s  ({listed(base_times)})")
    print(f"epitool roster import:      {median(our_times):.2f} s  ({listed(our_times)})  "
          f"(inserted {result['inserted']:,}, rejected {result['rejected']:,})")
    print(f"ratio: {ratio:.2f}x (target <= 3x)")
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
