"""Counting as an office counts: groups of different villages kept apart, in a clerk's order
(一组, 二组, … 十组, 十一组), a household's disinfection site in its household's group."""

from __future__ import annotations

from pathlib import Path

import pytest

from epitool.core.order import natural_key
from tests.conftest import ID_A, ID_M, Run, person, valid_id, write_csv

pytestmark = pytest.mark.both_engines


def test_natural_order_of_group_names() -> None:
    names = ["三组", "十一组", "一组", "十组", "二组", "2组", "十二组", "二十组"]
    assert sorted(names, key=natural_key) == [
        "一组", "二组", "2组", "三组", "十组", "十一组", "十二组", "二十组"]


def config(tmp_path: Path, village: str, code: str) -> str:
    path = tmp_path / f"{code}.yaml"
    path.write_text(f"area: {{office: 开发区办事处, village: {village}, village_code: '{code}'}}\n",
                    encoding="utf-8")
    return str(path)


def test_two_villages_groups_are_not_summed(run: Run, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EPITOOL_NOW", "2020-02-20T20:00:00+08:00")
    east, west = config(tmp_path, "东村", "410171001"), config(tmp_path, "西村", "410171002")
    for where, rows in ((east, [person("王五", ID_M), person("东三", valid_id(
            "41017119800101301"), household="H3", group="三组")]),
            (west, [person("赵六", ID_A, household="W1")])):
        roster = write_csv(tmp_path / "roster.csv", rows)
        assert run("--config", where, "roster", "import", str(roster)).exit_code == 0
    for where, who in ((east, "王五"), (west, "赵六")):
        assert run("--config", where, "quarantine", "start", who, "--since",
                   "2020-02-18").exit_code == 0
    report = run.json("report", "daily", "--date", "2020-02-19")
    assert [(r["area"], r["residents"], r["under_follow_up"]) for r in report["rows"]] == [
        ("东村 一组", 1, 1), ("东村 三组", 1, 0), ("西村 一组", 1, 1)]
    by_village = run.json("report", "daily", "--date", "2020-02-19", "--by", "village")
    assert [(r["area"], r["under_follow_up"]) for r in by_village["rows"]] == [
        ("东村", 1), ("西村", 1)]


def test_groups_in_a_clerks_order_and_household_sites_in_their_group(
        run: Run, tmp_path: Path) -> None:
    groups = ["十一组", "二组", "一组", "十组", "三组"]
    rows = [person(f"人{n}", valid_id(f"410171198001{n + 10:02d}00{n}"), household=f"H{n}", group=g)
            for n, g in enumerate(groups, 1)]
    assert run("roster", "import", str(write_csv(tmp_path / "r.csv", rows))).exit_code == 0
    assert run("site", "add", "人2家", "--kind", "household", "--household", "H2").exit_code == 0
    report = run.json("report", "daily")
    assert [r["area"] for r in report["rows"]] == ["一组", "二组", "三组", "十组", "十一组"]
    [second] = [r for r in report["rows"] if r["area"] == "二组"]
    assert second["sites"] == 1 and "" not in [r["area"] for r in report["rows"]]
