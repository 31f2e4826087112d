"""From village to office: two villages' sealed bundles merged into an office's database,
whose report adds up to theirs; bad bundles refused with the office's file untouched."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run, person, valid_id, write_csv

pytestmark = pytest.mark.both_engines

DAY = "2020-02-03"
SHARED = valid_id("41017119800101123")  # on both villages' rosters
COUNTS = ("residents", "under_follow_up", "visited", "not_visited", "fevers", "new_today")


class Place(Run):
    """A village or the office: its own database and config."""

    def __init__(self, folder: Path, config: dict[str, Any], db: Any = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        super().__init__(db if db is not None else folder / "epitool.db")
        self.folder = folder
        self.config = folder / "epitool.yaml"
        self.config.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")

    def __call__(self, *args: str, lang: str = "en", input: str | None = None) -> Any:
        return super().__call__("--config", str(self.config), *args, lang=lang)

    def ok(self, *args: str) -> Any:
        result = self(*args)
        assert result.exit_code == 0, (args, result.output)
        return result


def _key(place_folder: Path, kind: str) -> str:
    place_folder.mkdir(parents=True, exist_ok=True)
    result = Run(place_folder / "keys.db")("bundle", "keygen", f"--{kind}", "-o",
                                           str(place_folder / f"{kind}.key"))
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


@pytest.fixture
def world(tmp_path: Path, db_path: Any, engine: str) -> dict[str, Any]:
    """Two villages (database files) and their office: a file too, or (engine postgresql)
    a server's database."""
    office_public = _key(tmp_path / "office", "office")
    office = Place(tmp_path / "office", {
        "area": {"office": "城关办事处", "village": "城关办事处", "village_code": "4101710"},
        "bundle": {"role": "office", "office_key_file": "office.key"}},
        db=db_path if engine == "postgresql" else None)
    office.ok("init")
    villages = {}
    for code, name, people in (("410171001", "东村", [("张一", "41017119900101111"),
                                                      ("张二", "41017119900101112")]),
                               ("410171002", "西村", [("李一", "41017119900101113")])):
        folder = tmp_path / code
        public = _key(folder, "village")
        place = Place(folder, {
            "area": {"office": "城关办事处", "village": name, "village_code": code},
            "bundle": {"role": "village", "office_public_key": office_public,
                       "signing_key_file": "village.key"}})
        rows = [person(n, valid_id(body), household=f"{code}-{i}", group="一组")
                for i, (n, body) in enumerate(people)]
        rows.append(person("王共", SHARED, household=f"{code}-9", group="二组"))
        place.ok("roster", "import", str(write_csv(folder / "roster.csv", rows)))
        first = rows[0][0]
        place.ok("quarantine", "start", first, "--since", "2020-02-01")
        place.ok("quarantine", "start", "王共", "--since", "2020-02-02")
        place.ok("visit", "log", first, "--temp", "37.8", "--at", f"{DAY} 09:00")
        office.ok("bundle", "register", code, "--name", name, "--key", public)
        villages[code] = place
    return {"office": office, "villages": villages, "tmp": tmp_path}


def export(place: Place, name: str, *extra: str) -> Path:
    target = place.folder / name
    place.ok("bundle", "export", "-o", str(target), *extra)
    return target


def merge_all(world: dict[str, Any]) -> None:
    """Every village's whole bundle, exported now, merged into the office."""
    world["office"].ok("bundle", "import", *(str(export(v, "b.bundle"))
                                             for v in world["villages"].values()))


def daily(place: Run, *extra: str) -> dict[str, Any]:
    return dict(place.json("report", "daily", "--date", DAY, *extra))


def checksum(place: Run) -> str:
    """The database's content: its file's bytes, or on a server every table's rows."""
    if isinstance(place.db, Path):
        return hashlib.sha256(place.db.read_bytes()).hexdigest()
    tables = [t for (t,) in place.sql("SELECT table_name FROM information_schema.tables"
                                      " WHERE table_schema = current_schema()"
                                      " AND table_type = 'BASE TABLE' ORDER BY 1")]
    rows = {t: place.sql(f"SELECT * FROM {t} ORDER BY 1") for t in tables}
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_two_villages_add_up_in_the_office(world: dict[str, Any]) -> None:
    office, villages = world["office"], world["villages"]
    bundles = [export(v, "b1.bundle") for v in villages.values()]
    merged = json.loads(office.ok("bundle", "import", *map(str, bundles), "--format",
                                  "json").stdout)
    assert (merged["bundles"], merged["villages"]) == (2, 2)
    assert merged["inserted"] > 0 and merged["conflicts"] >= 1 and merged["conflicts_file"]
    report = daily(office, "--by", "village")
    rows = {row["area"]: row for row in report["rows"]}
    for code, village in villages.items():
        own = daily(village)["totals"]
        name = "东村" if code.endswith("1") else "西村"
        assert {k: rows[name][k] for k in COUNTS} == {k: own[k] for k in COUNTS}, name
    assert {k: report["totals"][k] for k in COUNTS} == {
        k: sum(daily(v)["totals"][k] for v in villages.values()) for k in COUNTS}
    # worked by hand: 3 + 2 residents (王共 in both); under follow-up in each village its
    # first person and 王共; a fever in each (37.8 at the first person's visit)
    assert (report["totals"]["residents"], report["totals"]["under_follow_up"],
            report["totals"]["fevers"]) == (5, 4, 2)
    assert report["missing_villages"] == []
    # the same person on both rosters, and under quarantine in both on the same days
    found = office.json("bundle", "conflicts")
    assert {c["kind"] for c in found} == {"same_id_number", "quarantined_twice"}
    assert all(c["village_code"] == "410171001" and c["other_village"] == "410171002"
               for c in found)
    assert SHARED not in json.dumps(found)  # masked


def test_again_and_in_any_order_nothing_changes(world: dict[str, Any]) -> None:
    office, villages = world["office"], world["villages"]
    bundles = [export(v, "b1.bundle") for v in villages.values()]
    office.ok("bundle", "import", *map(str, bundles))
    first = daily(office, "--by", "village")
    before = checksum(office)
    again = json.loads(office.ok("bundle", "import", *map(str, bundles), "--format",
                                 "json").stdout)
    assert (again["inserted"], again["updated"], again["conflicts"]) == (0, 0, 0)
    assert checksum(office) == before
    other = Place(world["tmp"] / "office2", json.loads(office.config.read_text()))
    shutil.copy(office.folder / "office.key", other.folder / "office.key")
    other.ok("init")
    for village in _registered(office):
        other.ok("bundle", "register", village["village_code"], "--name", village["name"],
                 "--key", village["public_key"])
    other.ok("bundle", "import", *map(str, reversed(bundles)))
    assert daily(other, "--by", "village")["rows"] == first["rows"]


def _registered(office: Place) -> list[dict[str, Any]]:
    return [{"village_code": c, "name": n, "public_key": k} for c, n, k in office.sql(
        "SELECT village_code, name, public_key FROM office_villages ORDER BY id")]


def test_a_correction_arrives_in_the_next_bundle(world: dict[str, Any]) -> None:
    office, villages = world["office"], world["villages"]
    east = villages["410171001"]
    whole = json.loads(office.ok("bundle", "import", str(export(east, "b1.bundle")),
                                 "--format", "json").stdout)
    assert daily(office, "--by", "village")["totals"]["fevers"] == 1
    east.ok("visit", "amend", "#1", "--temp", "36.5", "--note", "misread")
    assert daily(east)["totals"]["fevers"] == 0
    second = export(east, "b2.bundle", "--since-last")
    changed = json.loads(office.ok("bundle", "import", str(second), "--format",
                                   "json").stdout)
    # the new version of the visit and the audit rows since: new to the office, the rest
    # of what the bundle holds already there
    assert 2 <= changed["inserted"] < whole["inserted"] and changed["unchanged"] > 0
    assert daily(office, "--by", "village")["totals"]["fevers"] == 0
    assert [v["name"] for v in daily(office, "--by", "village")["missing_villages"]] == [
        "西村"]


def test_bundles_that_arrive_out_of_order_keep_the_villages_order(
        world: dict[str, Any]) -> None:
    office, east = world["office"], world["villages"]["410171001"]
    first = export(east, "b1.bundle")
    east.ok("quarantine", "correct", "张一", "--since", "2020-01-31", "--reason", "typed")
    second = export(east, "b2.bundle", "--since-last")
    east.ok("quarantine", "correct", "张一", "--since", "2020-02-01", "--reason", "again")
    third = export(east, "b3.bundle", "--since-last")
    office.ok("bundle", "import", str(third), str(second), str(first))
    assert daily(office, "--by", "village")["rows"][0]["under_follow_up"] == \
        daily(east)["totals"]["under_follow_up"]
    starts = {q["name"]: q["start_date"] for q in office.json("quarantine", "list")}
    assert starts["张一"] == "2020-02-01"  # the latest correction, though it came first


def _tamper(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 1]) + data[middle + 1:]


@pytest.mark.parametrize("case", ["unregistered", "altered", "truncated", "not_a_bundle",
                                  "wrong_office", "signer_mismatch", "bad_signature"])
def test_a_bad_bundle_changes_nothing(world: dict[str, Any], case: str) -> None:
    office, villages, tmp = world["office"], world["villages"], world["tmp"]
    east = villages["410171001"]
    good = export(east, "good.bundle")
    bad = tmp / f"{case}.bundle"
    if case == "unregistered":
        stranger = Place(tmp / "410171009", {
            "area": {"village": "南村", "village_code": "410171009"},
            "bundle": {"office_public_key": json.loads(east.config.read_text())["bundle"][
                "office_public_key"], "signing_key_file": "village.key"}})
        _key(stranger.folder, "village")
        stranger.ok("init")
        bad = export(stranger, "s.bundle")
    elif case == "altered":
        bad.write_bytes(_tamper(good.read_bytes()))
    elif case == "truncated":
        bad.write_bytes(good.read_bytes()[:-100])
    elif case == "not_a_bundle":
        bad.write_bytes(b"PK\x03\x04 this is a workbook, not a bundle")
    elif case == "wrong_office":
        other_public = _key(tmp / "otheroffice", "office")
        config = json.loads(east.config.read_text())
        config["bundle"]["office_public_key"] = other_public
        east.config.write_text(json.dumps(config), encoding="utf-8")
        bad = export(east, "elsewhere.bundle")
    elif case == "signer_mismatch":  # east's records, signed with west's key
        config = json.loads(east.config.read_text())
        config["bundle"]["signing_key_file"] = str(villages["410171002"].folder / "village.key")
        east.config.write_text(json.dumps(config), encoding="utf-8")
        bad = export(east, "forged.bundle")
    elif case == "bad_signature":
        data = good.read_bytes()
        bad.write_bytes(data[:-64] + bytes(64))
    before = checksum(office)
    result = office("bundle", "import", str(bad))
    assert result.exit_code == 1, result.output
    assert "Refused" in result.stderr or "not registered" in result.stderr, result.stderr
    assert checksum(office) == before
    assert office("bundle", "import", str(good)).exit_code == 0  # the office still works


def test_a_village_never_imports_and_an_office_never_exports(world: dict[str, Any]) -> None:
    office, east = world["office"], world["villages"]["410171001"]
    bundle = export(east, "b.bundle")
    refused = east("bundle", "import", str(bundle))
    assert refused.exit_code == 1 and "village's database" in refused.stderr
    assert office("bundle", "export", "-o", str(world["tmp"] / "x.bundle")).exit_code == 1
    assert not (world["tmp"] / "x.bundle").exists()


def test_keys_are_private_and_only_the_public_part_is_printed(tmp_path: Path) -> None:
    result = Run(tmp_path / "k.db")("bundle", "keygen", "--village", "-o",
                                    str(tmp_path / "v.key"))
    secret = (tmp_path / "v.key").read_text()
    assert (tmp_path / "v.key").stat().st_mode & 0o777 == 0o600
    assert "PRIVATE KEY" in secret and secret.strip() not in result.output
    assert result.stdout.strip() == result.stdout.strip().splitlines()[0]  # the key alone
    assert Run(tmp_path / "k.db")("bundle", "keygen", "--village", "-o",
                                  str(tmp_path / "v.key")).exit_code == 1  # never replaced


def test_the_offices_listings_write_real_workbooks(world: dict[str, Any]) -> None:
    from openpyxl import load_workbook

    office = world["office"]
    merge_all(world)
    for listing in ("list", "conflicts"):
        target = world["tmp"] / f"{listing}.xlsx"
        office.ok("bundle", listing, "--format", "xlsx", "-o", str(target))
        sheet = load_workbook(target).worksheets[0]
        assert sheet.max_row == 3  # a header and two villages, or two conflicts


def test_the_office_reads_across_villages_with_groups_named_by_village(
        world: dict[str, Any]) -> None:
    office = world["office"]
    merge_all(world)
    east = office.json("roster", "list", "--village", "东村")
    assert {r["name"] for r in east} == {"张一", "张二", "王共"}
    assert {r["name"] for r in office.json("roster", "list", "--village", "410171002")} == {
        "李一", "王共"}
    groups = {(q["name"], q["group"]) for q in office.json("quarantine", "list")}
    assert ("张一", "东村 一组") in groups and ("李一", "西村 一组") in groups
    due = office.json("remind", "--date", DAY)
    assert {"东村 二组", "西村 二组"} <= {item["group"] for item in due}
    assert {r["area"] for r in daily(office)["rows"]} == {
        "东村 一组", "东村 二组", "西村 一组", "西村 二组"}
    # a village's own database names its groups alone
    assert {q["group"] for q in world["villages"]["410171001"].json("quarantine", "list")} == {
        "一组", "二组"}


def _sealed_by(village: Place, database: Path, target: Path) -> Path:
    """A bundle sealed as `village` would seal it, of the given database file (what an
    older or newer epitool would have sent)."""
    import zlib

    from epitool.io import sealed

    config = json.loads(village.config.read_text())
    header = {"format": 1, "bundle": f"b-{database.name}", "village_code": "410171001",
              "village": "东村", "schema": 0, "made_at": "2020-02-03T21:00:00+08:00",
              "covers_day": DAY, "since": None}
    key = sealed.load_signing_key((village.folder / "village.key").read_text())
    target.write_bytes(sealed.seal(zlib.compress(database.read_bytes()), header,
                                   config["bundle"]["office_public_key"], key))
    return target


def test_an_older_bundle_is_upgraded_and_a_newer_one_refused(world: dict[str, Any]) -> None:
    import sqlite3

    from tests.conftest import REPO

    office, east, tmp = world["office"], world["villages"]["410171001"], world["tmp"]
    old = _sealed_by(east, REPO / "tests" / "fixtures" / "schema_v8.db", tmp / "old.bundle")
    office.ok("bundle", "import", str(old))  # the fixture's resident is village 410171001's
    assert [r["name"] for r in office.json("roster", "list", "--village", "410171001")] == [
        "王五"]
    newer = tmp / "newer.db"
    shutil.copy(REPO / "tests" / "fixtures" / "schema_v9.db", newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 99")
    before = checksum(office)
    refused = office("bundle", "import", str(_sealed_by(east, newer, tmp / "new.bundle")))
    assert refused.exit_code == 1 and "Upgrade epitool" in refused.stderr
    assert checksum(office) == before


def test_records_of_another_village_under_its_signature_are_refused(
        world: dict[str, Any]) -> None:
    """West's key and code on east's records (a village database copied and re-labelled):
    the signature is right, the records are not west's."""
    office, east, west = (world["office"], world["villages"]["410171001"],
                          world["villages"]["410171002"])
    config = json.loads(east.config.read_text())
    config["area"]["village_code"] = "410171002"
    config["bundle"]["signing_key_file"] = str(west.folder / "village.key")
    east.config.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    forged = export(east, "relabelled.bundle")
    before = checksum(office)
    refused = office("bundle", "import", str(forged))
    assert refused.exit_code == 1 and "records of other villages" in refused.stderr
    assert checksum(office) == before


@pytest.mark.parametrize("args", [["report", "trend", "--date", DAY], ["summary", "--date", DAY],
                                  ["visit", "list", "--date", DAY], ["audit"],
                                  ["report", "daily", "--date", DAY, "--by", "village",
                                   "--format", "html", "-o", "office.html"]])
def test_every_reading_command_works_in_the_office(world: dict[str, Any],
                                                   args: list[str]) -> None:
    office = world["office"]
    merge_all(world)
    args = [str(office.folder / a) if a.endswith(".html") else a for a in args]
    shown = office(*args, lang="zh")
    assert shown.exit_code == 0, shown.output
    if args[0] == "visit":  # both villages' visits of the day
        assert "张一" in shown.output and "李一" in shown.output
    if args[0] == "summary":
        assert "东村 一组" in shown.output and "西村 一组" in shown.output


def test_roster_show_picks_the_village(world: dict[str, Any]) -> None:
    office = world["office"]
    merge_all(world)
    both = office("roster", "show", "王共")
    assert both.exit_code == 1 and both.stderr.count("王共") >= 2  # one on each roster
    west = office.json("roster", "show", "王共", "--village", "西村")
    assert west["person"]["village"] == "西村"
    assert office.json("roster", "show", "王共", "--village", "410171001")["person"][
        "village"] == "东村"


def test_a_record_begun_before_the_last_export_still_travels(world: dict[str, Any]) -> None:
    """A long import stamps its records with the time it began: ended after an export, its
    records are older than that export, and the next --since-last bundle still holds them."""
    import sqlite3

    office, east = world["office"], world["villages"]["410171001"]
    office.ok("bundle", "import", str(export(east, "b1.bundle")))
    with sqlite3.connect(east.db) as conn:
        exported = conn.execute("SELECT max(created_at) FROM bundle_exports").fetchone()[0]
        begun = conn.execute("SELECT strftime('%Y-%m-%dT%H:%M:%S', ?, '-2 hours')",
                             (exported[:19],)).fetchone()[0] + exported[19:]
        conn.execute("INSERT INTO audit (uid, village_code, at, who, command, action)"
                     " VALUES ('late-one', '410171001', ?, 'clerk',"
                     " 'epitool roster import big.xlsx', 'roster.import')", (begun,))
    office.ok("bundle", "import", str(export(east, "b2.bundle", "--since-last")))
    assert office.sql("SELECT count(*) FROM audit WHERE uid = 'late-one'") == [(1,)]


def test_registering_takes_a_code_and_a_key_as_villages_have_them(
        world: dict[str, Any]) -> None:
    office, tmp = world["office"], world["tmp"]
    public = _key(tmp / "410171003", "village")
    assert office("bundle", "register", "4101 71003", "--name", "北村", "--key",
                  public).exit_code == 1
    assert office("bundle", "register", "410171003", "--name", "北村", "--key",
                  "not-a-key").exit_code == 1
    taken = office("bundle", "register", "410171003", "--name", "北村", "--key",
                   _registered(office)[0]["public_key"])
    assert taken.exit_code == 1 and "410171001" in taken.stderr  # each village its own key
    office.ok("bundle", "register", "410171003", "--name", "北村", "--key", public)
    assert [v["name"] for v in office.json("bundle", "list")] == ["东村", "西村", "北村"]


def test_a_bad_file_among_many_keeps_only_itself_out(world: dict[str, Any]) -> None:
    """The nightly `bundle import inbox/*.bundle`: one village's damaged file is refused,
    named, and the exit code says so; the other villages' bundles land."""
    office, villages, tmp = world["office"], world["villages"], world["tmp"]
    good = [export(v, "b.bundle") for v in villages.values()]
    damaged = tmp / "damaged.bundle"
    damaged.write_bytes(good[0].read_bytes()[:-10])
    result = office("bundle", "import", str(damaged), *map(str, good), "--format", "json")
    assert result.exit_code == 1 and "damaged.bundle" in result.stderr
    merged = json.loads(result.stdout)
    assert (merged["bundles"], merged["villages"]) == (2, 2)
    assert merged["refused"] == [{"file": str(damaged), "error": "bundle_bad_signature"}]
    assert len(daily(office, "--by", "village")["rows"]) == 2


def test_a_reporting_village_gets_its_evening_bundle_in_the_schedule(
        world: dict[str, Any]) -> None:
    east, office = world["villages"]["410171001"], world["office"]
    block = east.ok("schedule", "print").stdout
    line = next(line for line in block.splitlines() if "bundle export" in line)
    assert "--since-last" in line and f"mkdir -p {east.folder / 'outbox'} &&" in line
    assert "$(TZ=Asia/Shanghai date +\\%F).bundle" in line  # the office's day, not the machine's
    assert "bundle export" not in office.ok("schedule", "print").stdout


@pytest.mark.parametrize("args", [["visit", "log", "张一", "--temp", "36.6", "--at",
                                   "2020-02-04 09:00"],
                                  ["quarantine", "start", "张二", "--since", "2020-02-04"],
                                  ["staff", "add", "赵六", "--team", "志愿者"]])
def test_an_office_takes_no_village_records(world: dict[str, Any], args: list[str]) -> None:
    """Written in the office, a visit would reach no village: refused, nothing kept."""
    office = world["office"]
    merge_all(world)
    before = checksum(office)
    refused = office(*args)
    assert refused.exit_code == 1 and "office's database" in refused.stderr
    assert checksum(office) == before


def test_places_of_one_name_in_two_villages_stay_two_in_the_office(
        world: dict[str, Any]) -> None:
    """Each village has its 村口 checkpoint and 村委会 site: the office names them with their
    village in lists and reminders, and counts their duty gaps apart."""
    office = world["office"]
    for village in world["villages"].values():
        village.ok("checkpoint", "add", "村口")
        village.ok("site", "add", "村委会", "--kind", "公共场所")
        village.ok("enterprise", "add", "食品厂")
    merge_all(world)
    assert {p["name"] for p in office.json("checkpoint", "list")} == {"东村 村口", "西村 村口"}
    assert {s["name"] for s in office.json("site", "list")} == {"东村 村委会", "西村 村委会"}
    due = office.json("remind", "--date", DAY)
    subjects = {item["kind"]: set() for item in due}
    for item in due:
        subjects[item["kind"]].add(item["subject"])
    assert subjects["duty_gap"] == {"东村 村口", "西村 村口"}
    assert subjects["disinfection_overdue"] == {"东村 村委会", "西村 村委会"}
    assert subjects["enterprise_checklist"] == {"东村 食品厂", "西村 食品厂"}
    # a village's own database names them alone
    assert {p["name"] for p in world["villages"]["410171001"].json("checkpoint", "list")} == {
        "村口"}
