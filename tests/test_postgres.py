"""epitool on a PostgreSQL server: what a server adds (roles limited to a village's rows by
row-level security, many writers at once) and what it says when it is not there. The store,
scenario and report tests run on both engines too (both_engines)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from epitool.store.server import ServerLocation
from tests import pg
from tests.conftest import Run, person, valid_id, write_csv
from tests.test_bundle import Place, _key, export

pytestmark = pytest.mark.slow  # each starts from a server of its own making (tests/pg.py)

DAY = "2020-02-03"
EAST, WEST = "410171001", "410171002"


class Clerk(Place):
    """epitool with a village's (or an office's) config file, connected as a database role."""

    def __init__(self, url: str, config: Path) -> None:  # the config is written already
        Run.__init__(self, ServerLocation(url))  # type: ignore[arg-type]
        self.folder, self.config = config.parent, config


def _config(folder: Path, code: str, name: str) -> Path:
    path = folder / f"{code}.yaml"
    path.write_text(json.dumps({"area": {"office": "城关办事处", "village": name,
                                         "village_code": code}}, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _as(url: str, role: str) -> str:
    """The database's URL for another role (the test cluster trusts 127.0.0.1)."""
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


@pytest.fixture
def city(db_path: Any, tmp_path: Path) -> dict[str, Any]:
    """One server database holding two villages, each written by its own config (as their
    owner): 东村 with two residents, one under quarantine with a fever on DAY; 西村 with one,
    under quarantine and seen on DAY."""
    url = db_path.url
    places = {}
    for code, name, bodies in ((EAST, "东村", ["41017119900101111", "41017119900101112"]),
                               (WEST, "西村", ["41017119900101113"])):
        owner = Clerk(url, _config(tmp_path, code, name))
        owner.ok("init")
        rows = [person(f"{name}{i}", valid_id(body), household=f"{code}-{i}")
                for i, body in enumerate(bodies)]
        owner.ok("roster", "import", str(write_csv(tmp_path / f"{code}.csv", rows)))
        owner.ok("quarantine", "start", rows[0][0], "--since", "2020-02-01")
        owner.ok("visit", "log", rows[0][0], "--temp", "38.1" if code == EAST else "36.5",
                 "--at", f"{DAY} 09:00")
        places[code] = owner
    return {"url": url, "owners": places, "tmp": tmp_path}


@pytest.fixture
def engine() -> str:
    return "postgresql"  # every test's own database (db_path, run) is a server's here


def test_a_village_role_sees_and_writes_only_its_village(city: dict[str, Any]) -> None:
    url, east_owner = city["url"], city["owners"][EAST]
    east_owner.ok("db", "grant", "--village", EAST, "--role", "clerk_east")
    east_owner.ok("db", "grant", "--office", "--role", "office_all")
    east = Clerk(_as(url, "clerk_east"), east_owner.config)
    office = Clerk(_as(url, "office_all"), east_owner.config)

    names = {row["name"] for row in east.json("roster", "list")}
    assert names == {"东村0", "东村1"}
    assert {row["name"] for row in office.json("roster", "list")} == {"东村0", "东村1", "西村0"}
    report = east.json("report", "daily", "--date", DAY, "--by", "village")
    # worked by hand: 东村 alone, 2 residents, 1 under follow-up, seen with a fever
    assert [row["area"] for row in report["rows"]] == ["东村"]
    assert (report["totals"]["residents"], report["totals"]["under_follow_up"],
            report["totals"]["fevers"]) == (2, 1, 1)
    everyone = office.json("report", "daily", "--date", DAY, "--by", "village")
    assert (everyone["totals"]["residents"], everyone["totals"]["under_follow_up"]) == (3, 2)
    assert {v["name"] for v in east.json("visit", "list", "--date", DAY)} == {"东村0"}


def test_the_database_refuses_a_village_role_another_villages_rows(
        city: dict[str, Any]) -> None:
    import psycopg

    url, east_owner = city["url"], city["owners"][EAST]
    east_owner.ok("db", "grant", "--village", EAST, "--role", "clerk_east")
    with psycopg.connect(_as(url, "clerk_east"), autocommit=True) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO residents (uid, village_code, name, created_at, updated_at)"
                " VALUES ('x1', %s, '冒名', '2020-02-03', '2020-02-03')", (WEST,))
        # another village's rows are not there to update, nor to delete
        assert conn.execute("UPDATE residents SET name = 'x' WHERE village_code = %s",
                            (WEST,)).rowcount == 0
        assert conn.execute("DELETE FROM visits WHERE village_code = %s", (WEST,)).rowcount == 0
        # nor may its own rows be moved into another village
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute("UPDATE residents SET village_code = %s WHERE village_code = %s",
                         (WEST, EAST))
    # through epitool, a clerk whose config names the other village is refused in words,
    # and nothing is written
    west_config = city["owners"][WEST].config
    wrong = Clerk(_as(url, "clerk_east"), west_config)
    result = wrong("roster", "import", str(write_csv(
        city["tmp"] / "more.csv", [person("新人", valid_id("41017119900101114"))])))
    assert result.exit_code == 1 and "refused" in result.stderr
    assert "row-level security" in result.stderr
    assert city["owners"][WEST].json("roster", "list", "--search", "新人") == []


def test_grant_is_checked_and_audited(city: dict[str, Any]) -> None:
    owner = city["owners"][EAST]
    bad = owner("db", "grant", "--village", "999", "--role", "clerk_x")
    assert bad.exit_code == 1 and "Village 999 is not in this database" in bad.stderr
    assert owner("db", "grant", "--role", "clerk_x").exit_code == 1  # whose rows?
    assert owner("db", "grant", "--village", EAST, "--role", "Robert'); DROP").exit_code == 1
    first = owner("db", "grant", "--village", EAST, "--role", "clerk_x")
    assert first.exit_code == 0 and "was created without a password" in first.stdout
    again = owner("db", "grant", "--village", WEST, "--role", "clerk_x")  # moved, not made
    assert again.exit_code == 0 and "created" not in again.stdout
    grants = [a for a in owner.json("audit") if a["action"] == "db.grant"]
    assert [json.loads(a["detail"])["village"] for a in grants] == [EAST, WEST]


def test_a_database_file_has_no_roles(tmp_path: Path) -> None:
    file = Run(tmp_path / "file.db")
    assert file("init").exit_code == 0
    result = file("db", "grant", "--village", EAST, "--role", "a")
    assert result.exit_code == 1 and "db grant needs a PostgreSQL database" in result.stderr


def test_without_the_driver_the_message_names_the_extra(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    result = Run(ServerLocation("postgresql://u@127.0.0.1:1/x"))("roster",  # type: ignore[arg-type]
                                                                  "list")
    assert result.exit_code == 1
    assert 'pip install "epitool[postgres]"' in result.stderr


def test_a_server_that_is_not_there_is_said_in_words(pg_server: str) -> None:
    closed = pg._free_port()
    result = Run(ServerLocation(f"postgresql://u@127.0.0.1:{closed}/x"))(  # type: ignore[arg-type]
        "roster", "list")
    assert result.exit_code == 1 and "Cannot connect to the PostgreSQL database" in result.stderr


def test_check_and_backup_on_a_server(run: Run, tmp_path: Path) -> None:
    assert run("init").exit_code == 0
    assert run("db", "check").exit_code == 0
    refused = run("db", "backup", str(tmp_path / "b.db"))
    assert refused.exit_code == 1 and "pg_dump" in refused.stderr
    assert not (tmp_path / "b.db").exists()


def test_a_big_load_leaves_the_server_its_statistics(run: Run, tmp_path: Path) -> None:
    """A roster import of LOAD_OF_MANY_ROWS people is followed by VACUUM (ANALYZE) of what
    it loaded, so that the next report is planned for the rows there are; a small one is
    left to autovacuum."""
    from epitool.store.bulk import LOAD_OF_MANY_ROWS

    def gathered() -> bool:
        return bool(run.sql("SELECT last_analyze IS NOT NULL AND last_vacuum IS NOT NULL"
                            " FROM pg_stat_user_tables WHERE relname = 'residents'")[0][0])

    assert run("init").exit_code == 0
    few = [person(f"甲{n}", valid_id(f"41017119900102{n:03d}"), household=f"h{n}")
           for n in range(10)]
    assert run("roster", "import", str(write_csv(tmp_path / "few.csv", few))).exit_code == 0
    assert not gathered()
    born = [date(1980, 1, 1) + timedelta(days=n // 1000) for n in range(LOAD_OF_MANY_ROWS)]
    many = [person(f"乙{n}", valid_id(f"410171{day:%Y%m%d}{n % 1000:03d}"), household=f"g{n}")
            for n, day in enumerate(born)]
    assert run("roster", "import", str(write_csv(tmp_path / "many.csv", many))).exit_code == 0
    assert gathered()


# One writer process: its share of the visits through the command line, one command after
# another, each opening its own connection, as a clerk's or a job's would.
_VISITS = """
import sys
from typer.testing import CliRunner
from epitool.cli.app import app

writer, person, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
runner = CliRunner()
for i in range(count):
    minute = writer * count + i
    at = f"2020-02-03 {minute // 60:02d}:{minute % 60:02d}"
    result = runner.invoke(app, ["visit", "log", person, "--temp", "36.5", "--at", at],
                           catch_exceptions=False)
    if result.exit_code:
        sys.exit(f"visit {i} of writer {writer}: {result.output}")
"""
_IMPORT = """
import sys
from typer.testing import CliRunner
from epitool.cli.app import app

result = CliRunner().invoke(app, ["bundle", "import", sys.argv[1]], catch_exceptions=False)
sys.exit(result.exit_code and result.output)
"""


def test_many_writers_at_once_lose_nothing(db_path: Any, tmp_path: Path) -> None:
    """8 processes logging 100 visits each (two to each of four people) while 4 bundles of
    four other villages are imported: every record there exactly once, no command failed."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    url = db_path.url
    office_public = _key(tmp_path / "office", "office")
    office = Place(tmp_path / "office", {
        "area": {"office": "城关办事处", "village": "城关办事处", "village_code": "4101710"},
        "bundle": {"role": "office", "office_key_file": "office.key"}}, db=db_path)
    office.ok("init")
    clerk = Clerk(url, _config(tmp_path, EAST, "东村"))
    people = [person(f"东{i}", valid_id(f"4101711990010120{i}"), household=f"E{i}")
              for i in range(4)]
    clerk.ok("roster", "import", str(write_csv(tmp_path / "east.csv", people)))
    for row in people:
        clerk.ok("quarantine", "start", row[0], "--since", "2020-02-01")
    bundles, sizes = [], {}
    for n in range(4):
        code = f"41017101{n + 1}"
        folder = tmp_path / code
        public = _key(folder, "village")
        village = Place(folder, {
            "area": {"office": "城关办事处", "village": f"村{n}", "village_code": code},
            "bundle": {"role": "village", "office_public_key": office_public,
                       "signing_key_file": "village.key"}})
        rows = [person(f"村{n}人{i}", valid_id(f"41017119800101{n}{i:02d}"),
                       household=f"{code}-{i}") for i in range(20 + n)]
        village.ok("roster", "import", str(write_csv(folder / "roster.csv", rows)))
        office.ok("bundle", "register", code, "--name", f"村{n}", "--key", public)
        bundles.append(export(village, "b.bundle"))
        sizes[code] = len(rows)

    env = {**os.environ, "PYTHONPATH": str(REPO), "EPITOOL_LANG": "en"}
    clerk_env = {**env, "EPITOOL_DB": url, "EPITOOL_CONFIG": str(clerk.config)}
    office_env = {**env, "EPITOOL_DB": url, "EPITOOL_CONFIG": str(office.config)}
    running = [subprocess.Popen([sys.executable, "-c", _VISITS, str(w), people[w % 4][0],
                                 "100"], env=clerk_env, cwd=tmp_path, stderr=subprocess.PIPE,
                                text=True) for w in range(8)]
    running += [subprocess.Popen([sys.executable, "-c", _IMPORT, str(bundle)], env=office_env,
                                 cwd=office.folder, stderr=subprocess.PIPE, text=True)
                for bundle in bundles]
    failures = [(p.args[3], p.stderr.read()) for p in running  # type: ignore[index, union-attr]
                if p.wait(timeout=600) != 0]
    assert failures == []

    visits = office.sql("SELECT resident_uid, at, count(*) FROM visits GROUP BY 1, 2")
    assert len(visits) == 800 and {count for _, _, count in visits} == {1}
    per_person = office.sql("SELECT r.name, count(*) FROM visits v JOIN residents r"
                            " ON r.uid = v.resident_uid GROUP BY 1 ORDER BY 1")
    assert per_person == [(row[0], 200) for row in sorted(people)]
    merged = dict(office.sql("SELECT village_code, count(*) FROM residents"
                             " WHERE village_code != ? GROUP BY 1", (EAST,)))
    assert merged == sizes
    assert office.sql("SELECT count(*) FROM residents WHERE village_code = ?",
                      (EAST,)) == [(4,)]
    assert office.sql("SELECT count(*) FROM bundles_received") == [(4,)]
    # each command wrote its audit row once: 800 visits, 4 imports
    assert office.sql("SELECT action, count(*) FROM audit WHERE action IN"
                      " ('visit.log', 'bundle.import') GROUP BY 1 ORDER BY 1") == [
        ("bundle.import", 4), ("visit.log", 800)]


def test_the_config_may_name_the_server(db_path: Any, tmp_path: Path) -> None:
    """`database:` in the config takes a URL as --db does; its password is never shown."""
    from typer.testing import CliRunner

    from epitool.cli.app import app

    config = tmp_path / "epitool.yaml"
    with_password = db_path.url.replace("@", ":s3cret@", 1)  # the test server trusts anyone
    config.write_text(json.dumps({"database": with_password}), encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "--lang", "en", "init"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert ":***@127.0.0.1" in result.stdout
    assert "s3cret" not in result.stdout
    assert Run(db_path).sql("SELECT count(*) FROM villages") == [(1,)]
