"""epitool visit import: the paper backlog."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import SAMPLES, Run, write_csv

HEADER = [
    "姓名",
    "身份证号",
    "日期",
    "上午体温",
    "下午体温",
    "症状",
    "是否消毒",
    "代购物品",
    "备注",
]


@pytest.fixture
def village(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    for person in ("席晓东", "赵德明"):
        assert run("quarantine", "start", person, "--since", "2020-02-01").exit_code == 0
    return run


def sheet(tmp_path: Path, rows: list[list[str]]) -> Path:
    return write_csv(
        tmp_path / "走访.csv",
        rows,
        header=HEADER,
        encoding="gb18030",
        before=[["席庄村居家隔离人员走访登记表"]],
    )


def test_import_backlog(village: Run, tmp_path: Path) -> None:
    path = sheet(
        tmp_path,
        [
            ["席晓东", "", "2020年2月3日 09:00", "36.5℃", "36.8", "无", "是", "青菜", ""],
            ["赵德明", "", "2020/2/3", "37.9", "", "发热、咳嗽", "√", "", "已上报"],
            ["席晓东", "", "2020-02-04 09:00", "365", "", "", "否", "", ""],
            ["王桂兰", "", "2020-02-03", "36.5", "", "", "", "", ""],
            ["王伟", "", "2020-02-03", "36.5", "", "", "", "", ""],
            ["席晓东", "", "03/02/2020", "36.5", "", "", "", "", ""],
            ["席晓东", "", "2020-02-03 09:00", "36.5", "", "", "是", "", ""],
            ["席晓东", "", "2020-02-05 09:00", "36.6", "", "头疼", "也许", "", ""],
        ],
    )
    result = village.json("visit", "import", str(path))
    assert result == {
        "inserted": 2,
        "unchanged": 0,
        "rejected": 6,
        "fevers": 1,
        "rejects_file": str(tmp_path / "走访.rejects.csv"),
    }
    with (tmp_path / "走访.rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
        reasons = [r[-1] for r in list(csv.reader(handle))[1:]]
    assert reasons[0].startswith("temp 365 is not a plausible temperature")
    assert "Did you mean 36.5?" in reasons[0]
    assert (
        reasons[1] == "王桂兰 was not under quarantine on 2020-02-03 (add --force to import anyway)"
    )
    assert reasons[2].startswith("'王伟' matches several people")
    assert reasons[3].startswith("Cannot read date '03/02/2020'")
    assert reasons[4] == "duplicate of the visit to 席晓东 at 2020-02-03T09:00 in this file"
    assert reasons[5] == "'也许' is not yes/no (disinfected)"
    visits = {v["name"]: v for v in village.json("visit", "list", "--date", "2020-02-03")}
    assert (
        visits["席晓东"]["temp"],
        visits["席晓东"]["temp2"],
        visits["席晓东"]["delivered"],
        visits["席晓东"]["outcome"],
    ) == (36.5, 36.8, "青菜", "seen-ok")
    assert (
        visits["赵德明"]["symptoms"],
        visits["赵德明"]["fever"],
        visits["赵德明"]["outcome"],
    ) == ("fever,cough", 1, "seen-not-ok")
    again = village.json("visit", "import", str(path), "--rejects", str(tmp_path / "r2.csv"))
    assert (again["inserted"], again["unchanged"]) == (0, 2)


def test_unknown_symptom_kept_in_note(village: Run, tmp_path: Path) -> None:
    path = sheet(tmp_path, [["席晓东", "", "2020-02-05 09:00", "36.6", "", "头疼", "否", "", ""]])
    assert village.json("visit", "import", str(path))["inserted"] == 1
    [visit] = village.json("visit", "list", "--date", "2020-02-05")
    assert (visit["symptoms"], visit["note"]) == ("other", "头疼")


def test_dry_run_and_missing_database(village: Run, tmp_path: Path, run: Run) -> None:
    path = sheet(tmp_path, [["席晓东", "", "2020-02-05 09:00", "36.6", "", "", "否", "", ""]])
    assert village.json("visit", "import", str(path), "--dry-run")["inserted"] == 1
    assert village.json("visit", "list", "--date", "2020-02-05") == []
    from epitool.cli.app import app

    result = run.runner.invoke(
        app,
        catch_exceptions=False,
        args=["--db", str(tmp_path / "none.db"), "--lang", "en", "visit", "import", str(path)],
    )
    assert result.exit_code == 1 and "not found" in result.stderr


def test_unreadable_sheet(village: Run, tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_bytes(b"\x00\x01" * 100)
    result = village("visit", "import", str(bad))
    assert result.exit_code == 1 and "not a text table" in result.stderr
