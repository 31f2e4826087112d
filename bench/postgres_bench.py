"""PostgreSQL against SQLite: the office of the merge benchmark on both engines.

    python bench/postgres_bench.py [--villages 100] [--residents 10000] [--pg URL]

The villages' bundles are those of bench/merge_bench.py (built once, kept in bench/out/).
They are imported with `epitool bundle import` into an empty office database file and into
an empty PostgreSQL database, then `report daily --by village`, `remind` and `roster show`
are timed on both, alternating, median of 3. Target: PostgreSQL within 2x of SQLite for the
merge and the reports (roster show, a lookup, is shown against none). --pg names a
superuser's URL of a server to use (a database `epitool_bench` is made there and dropped
after); by default a throwaway cluster is started on 127.0.0.1 like the tests', syncing to
disk as SQLite does (fsync on).
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import nullcontext
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _measure import median, run
from merge_bench import DAY, OUT, build, fresh_office, office_command

COMMANDS = {
    "report daily --by village": ["report", "daily", "--by", "village", "--date",
                                  DAY.isoformat(), "--format", "json"],
    "remind": ["remind", "--date", DAY.isoformat(), "--format", "json"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--villages", type=int, default=100)
    parser.add_argument("--residents", type=int, default=10_000)
    parser.add_argument("--pg", help="a superuser's postgresql:// URL (default: a throwaway"
                                     " cluster)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database epitool_bench on --pg's server afterwards")
    args = parser.parse_args()
    from tests import pg

    home = OUT / f"merge_{args.villages}_{args.residents}"
    bundles = build(home, args.villages, args.residents)
    with (nullcontext(args.pg) if args.pg else pg.cluster(durable=True)) as server:
        url = _empty_database(server)
        try:
            compare(home, bundles, url)
        finally:
            if not (args.keep and args.pg):
                pg.drop_database(server, url)


def compare(home: Path, bundles: list[Path], url: str) -> None:
    offices = {"sqlite": office_command(fresh_office(home, "office_sqlite")),
               "postgresql": office_command(fresh_office(home, "office_pg", url), url)}
    print(f"{len(bundles)} village bundles of"
          f" {sum(b.stat().st_size for b in bundles) / 2**20:.1f} MB")
    merged = {}
    for engine, command in offices.items():
        merged[engine] = run([*command, "bundle", "import", *map(str, bundles), "--format",
                              "json"], memory=False)
        counts = json.loads(merged[engine]["stdout"])
        print(f"  merge into {engine}: {merged[engine]['seconds']:.1f} s,"
              f" inserted {counts['inserted']:,}")
    _line("merge", merged["sqlite"]["seconds"], merged["postgresql"]["seconds"])
    someone = _someone(offices["sqlite"])
    commands = {**COMMANDS, "roster show": ["roster", "show", someone, "--format", "json"]}
    for name, args in commands.items():
        times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
        outputs = {}
        for _ in range(3):  # alternating, so that the machine's moods fall on both
            for engine, command in offices.items():
                result = run([*command, *args], memory=False)
                times[engine].append(result["seconds"])
                outputs[engine] = json.loads(result["stdout"])
        same = "same output" if outputs["sqlite"] == outputs["postgresql"] else "OUTPUT DIFFERS"
        _line(name, median(times["sqlite"]), median(times["postgresql"]), same,
              target=name in COMMANDS)


def _line(name: str, sqlite: float, server: float, note: str = "",
          target: bool = True) -> None:
    """The target (2x) is the merge's and the reports'. A lookup such as roster show takes
    a tenth of a second on SQLite, and loading the server's driver (psycopg) takes about as
    long again: it is timed and shown, against no target."""
    ratio = server / sqlite
    verdict = ("within 2x" if ratio <= 2 else "OVER 2x") if target else "no target: a lookup"
    print(f"{name}: SQLite {sqlite:.2f} s, PostgreSQL {server:.2f} s = {ratio:.2f}x"
          f" ({verdict}){'; ' + note if note else ''}")


def _someone(command: list[str]) -> str:
    """A resident's ID number (unique in the office), to look up."""
    import subprocess

    listed = subprocess.run([*command, "roster", "list", "--limit", "1", "--reveal",
                             "--format", "json"], check=True, capture_output=True, text=True)
    return str(json.loads(listed.stdout)[0]["id_number"])


def _empty_database(server: str) -> str:
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS epitool_bench")
        conn.execute("CREATE DATABASE epitool_bench")
    return server.rsplit("/", 1)[0] + "/epitool_bench"


if __name__ == "__main__":
    main()
