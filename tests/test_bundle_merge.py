"""How an office merges: conflicts found across the whole roster, and a village's bundles
in any order whichever way its first one went in, on both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests import test_bundle
from tests.conftest import Run, person, write_csv
from tests.test_bundle import DAY, SHARED, Place, _key, export

pytestmark = pytest.mark.both_engines
world = test_bundle.world  # the two villages and their office, as test_bundle has them


def _third_village(world: dict[str, Any]) -> Place:
    """南村, registered with the office: 王共 (on the other two rosters) and nobody else,
    under no quarantine yet, on a roster imported days ago."""
    east = world["villages"]["410171001"]
    office_public = json.loads(east.config.read_text())["bundle"]["office_public_key"]
    folder = world["tmp"] / "410171003"
    public = _key(folder, "village")
    south = Place(folder, {
        "area": {"office": "城关办事处", "village": "南村", "village_code": "410171003"},
        "bundle": {"role": "village", "office_public_key": office_public,
                   "signing_key_file": "village.key"}})
    south.ok("roster", "import", str(write_csv(folder / "roster.csv", [
        person("王共", SHARED, household="410171003-1", group="一组")])))
    world["office"].ok("bundle", "register", "410171003", "--name", "南村", "--key", public)
    return south


def _pairs(office: Place, kind: str) -> set[tuple[str, str]]:
    return {(c["village_code"], c["other_village"]) for c in office.json("bundle", "conflicts")
            if c["kind"] == kind}


def test_a_quarantine_begun_later_is_seen_in_both_villages(
        world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """王共 is on three rosters, quarantined in 东村 and 西村 from the start; 南村 puts him
    under quarantine only after its roster reached the office. Its next bundle holds the
    quarantine but not his row (unchanged for days): the office still sees him quarantined
    in each pair of villages."""
    office, villages = world["office"], world["villages"]
    monkeypatch.setenv("EPITOOL_NOW", "2020-02-01T08:00:00+08:00")
    south = _third_village(world)
    monkeypatch.setenv("EPITOOL_NOW", "2020-02-03T09:00:00+08:00")
    office.ok("bundle", "import", *(str(export(v, "b1.bundle"))
                                    for v in (*villages.values(), south)))
    east, west, south_code = "410171001", "410171002", "410171003"
    assert _pairs(office, "same_id_number") == {(east, west), (east, south_code),
                                                (west, south_code)}
    assert _pairs(office, "quarantined_twice") == {(east, west)}
    monkeypatch.setenv("EPITOOL_NOW", "2020-02-03T10:00:00+08:00")
    south.ok("quarantine", "start", "王共", "--since", "2020-02-02")
    later = export(south, "b2.bundle", "--since-last")
    monkeypatch.delenv("EPITOOL_NOW")
    merged = json.loads(office.ok("bundle", "import", str(later), "--format", "json").stdout)
    assert merged["conflicts"] == 2  # with each of the other two; nothing noted again
    assert _pairs(office, "quarantined_twice") == {(east, west), (east, south_code),
                                                   (west, south_code)}


def test_a_later_bundle_first_then_the_whole_one(world: dict[str, Any]) -> None:
    """A village's --since-last bundle reaches the office before its first, whole one: the
    first to arrive goes in as the village's first (every row new: on a server, straight in
    by COPY), the whole one then adds only what the office lacks, and the office ends with
    the village's records, each once."""
    office, villages = world["office"], world["villages"]
    east, west = villages["410171001"], villages["410171002"]
    whole = export(east, "b1.bundle")
    east.ok("visit", "log", "张一", "--temp", "36.5", "--at", f"{DAY} 18:00")
    later = export(east, "b2.bundle", "--since-last")
    office.ok("bundle", "import", str(later), str(export(west, "b1.bundle")))
    merged = json.loads(office.ok("bundle", "import", str(whole), "--format", "json").stdout)
    assert merged["unchanged"] > 0  # what the later bundle brought already: not twice
    rows = {row["area"]: row for row in office.json("report", "daily", "--date", DAY,
                                                    "--by", "village")["rows"]}
    for name, village in (("东村", east), ("西村", west)):
        own = village.json("report", "daily", "--date", DAY)["totals"]
        assert {k: rows[name][k] for k in ("residents", "under_follow_up", "visited")} == \
            {k: own[k] for k in ("residents", "under_follow_up", "visited")}
    visits = [len(place.json("visit", "list", "--date", DAY)) for place in (office, east, west)]
    assert visits == [3, 2, 1]


def test_an_existing_conflicts_file_is_refused_before_anything(run: Run,
                                                               tmp_path: Path) -> None:
    """--conflicts names a file that exists: refused at once, without offering a --force
    that bundle import does not have; the file is untouched."""
    taken = tmp_path / "taken.csv"
    taken.write_text("mine")
    result = run("bundle", "import", str(tmp_path / "b.bundle"), "--conflicts", str(taken))
    assert result.exit_code == 1
    assert "already exists and was not overwritten. Choose another name." in result.stderr
    assert "--force" not in result.stderr and taken.read_text() == "mine"
