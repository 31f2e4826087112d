"""Checkpoint registrations 卡点登记: one line per person, totals per point and shift."""

from __future__ import annotations

import re

import pytest

from epitool.core.checkpoints import plate_ok
from tests.conftest import SAMPLES, Run

pytestmark = pytest.mark.both_engines

DAY = "2020-02-05"


@pytest.mark.parametrize(
    "plate, ok",
    [
        ("豫A12345", True),
        ("京N8K2P1", True),
        ("豫AD12345", True),
        ("粤B12345F", True),
        ("粤BD12345", True),
        ("沪A1234学", True),
        ("豫A123456", False),
        ("豫AX12345", False),
        ("豫A1234", False),
        ("豫I12345", False),
        ("XYZ", False),
        ("A12345", False),
    ],
)
def test_plate_shapes(plate: str, ok: bool) -> None:
    assert plate_ok(plate) is ok


@pytest.fixture
def point(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    assert run("checkpoint", "add", "北路口", "--location", "席庄村北").exit_code == 0
    assert run("checkpoint", "add", "南路口").exit_code == 0
    return run


def log(run: Run, *args: str, lang: str = "en"):
    return run("checkpoint", "log", *args, lang=lang)


def test_registrations_and_totals(point: Run) -> None:
    resident_id = point.json("roster", "show", "席建国", "--reveal")["person"]["id_number"]
    assert (
        log(
            point,
            "北路口",
            "-n",
            "席建国",
            "--id",
            resident_id,
            "--resident",
            "--temp",
            "36.4",
            "--at",
            f"{DAY} 07:30",
            "-d",
            "out",
        ).exit_code
        == 0
    )
    first = log(
        point,
        "北路口",
        "-n",
        "张三",
        "--plate",
        "豫A12345",
        "--temp",
        "36.5",
        "--from",
        "郑州",
        "--at",
        f"{DAY} 09:10",
    )
    assert ("Registered #2: 北路口, 张三 (vehicle 豫A12345), in, temperature 36.5°C, resident -."
            in first.stdout)
    bad = log(
        point,
        "北路口",
        "-n",
        "李四",
        "--plate",
        "XYZ123",
        "--temp",
        "37.9",
        "--turned-back",
        "外地车辆",
        "--at",
        f"{DAY} 21:00",
    )
    assert bad.exit_code == 0  # a bad plate is warned about, not refused
    assert "does not look like a mainland plate" in bad.stdout
    assert "ABNORMAL TEMPERATURE: 李四 37.9°C" in bad.stdout
    log(point, "南路口", "-n", "王五", "--turned-back", "无通行证", "--at", f"{DAY} 22:00")
    rows = point.json("checkpoint", "summary", "--date", DAY)
    assert [
        (
            r["point"],
            r["shift"],
            r["people_in"],
            r["people_out"],
            r["vehicles_in"],
            r["turned_back"],
            r["fevers"],
            r["reasons"],
        )
        for r in rows
    ] == [
        ("北路口", "night", 0, 1, 0, 0, 0, ""),
        ("北路口", "day", 1, 0, 1, 0, 0, ""),
        # turned back 劝返: counted as turned back, not as entering (nor their car)
        ("北路口", "evening", 0, 0, 0, 1, 1, "外地车辆 1"),
        ("南路口", "evening", 0, 0, 0, 1, 0, "无通行证 1"),
    ]
    only = point.json("checkpoint", "summary", "--date", DAY, "--point", "南路口")
    assert [r["point"] for r in only] == ["南路口"]
    listed = {r["name"]: r["today"] for r in point.json("checkpoint", "list", "--date", DAY)}
    assert listed == {"北路口": 3, "南路口": 1}
    assert [a["action"] for a in point.json("audit")].count("checkpoint.log") == 4


@pytest.mark.parametrize(
    "args, en, zh",
    [
        (
            ["北路口", "-n", "王五", "--turned-back", ""],
            "Turning back needs a reason",
            "劝返必须写明原因",
        ),
        (["西路口", "-n", "王五"], "No checkpoint named '西路口'", "没有名为“西路口”的卡点"),
        (["北路口", "-n", "王五", "--temp", "365"], "Did you mean 36.5?", "是不是 36.5？"),
        (
            ["北路口", "-n", "王五", "-d", "sideways"],
            "Direction 'sideways' unknown",
            "方向“sideways”不对",
        ),
        (["北路口", "-n", "王五", "--id", "110105194912310021"], "is not valid", "不对"),
        (["北路口", "-n", "王五", "--resident"], "is marked a resident", "标为本村居民"),
    ],
)
def test_refusals(point: Run, args: list[str], en: str, zh: str) -> None:
    for lang, text in (("en", en), ("zh", zh)):
        result = log(point, *args, lang=lang)
        assert result.exit_code == 1 and text in result.stderr, result.stderr
        assert not re.search(r"\d{17}[\dX]", result.stderr)
    assert point.json("checkpoint", "summary") == []


def test_duplicate_checkpoint(point: Run) -> None:
    again = point("checkpoint", "add", "北路口")
    assert again.exit_code == 1 and "exists already" in again.stderr


CP_HEADER = [
    "卡口名称",
    "被检查人姓名",
    "被检查人身份证号",
    "车牌号",
    "联系方式",
    "出发地",
    "目的地",
    "检查时间",
    "体温",
    "是否劝返",
]


def test_import_guard_sheet(point: Run, tmp_path) -> None:
    from tests.conftest import ID_M, write_csv

    path = write_csv(
        tmp_path / "卡口.csv",
        [
            [
                "北路口",
                "张三",
                "",
                "豫A12345",
                "13800001234",
                "郑州",
                "席庄村",
                "2020-02-05 09:00",
                "36.5℃",
                "否",
            ],
            ["北路口", "李四", "", "XYZ", "", "", "", "2020/2/5 10:00", "37.9", "外地车辆"],
            ["南路口", "王五", ID_M, "", "", "", "", "2020年2月5日 21:00", "36.4", ""],
            ["西路口", "赵六", "", "", "", "", "", "2020-02-05 09:00", "", ""],
            ["北路口", "钱七", "", "", "", "", "", "03/02/2020 09:00", "", ""],
            ["北路口", "孙八", "", "", "", "", "", "2020-02-05 11:00", "365", ""],
            ["北路口", "周九", "4.10171E+17", "", "", "", "", "2020-02-05 11:00", "", ""],
            ["北路口", "吴十", "", "", "", "", "", "2020-02-05 12:00", "", "是"],
            [
                "北路口",
                "张三",
                "",
                "豫A12345",
                "13800001234",
                "郑州",
                "席庄村",
                "2020-02-05 09:00",
                "36.5",
                "否",
            ],
            ["北路口", "", "", "", "", "", "", "2020-02-05 12:00", "", ""],
        ],
        header=CP_HEADER,
        encoding="gb18030",
        before=[["席庄村卡口登记表"]],
    )
    result = point.json("checkpoint", "import", str(path))
    assert (result["inserted"], result["rejected"], result["plate_warnings"], result["fevers"]) == (
        3,
        7,
        1,
        1,
    )
    import csv

    with (tmp_path / "卡口.rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
        reasons = [r[-1] for r in list(csv.reader(handle))[1:]]
    assert reasons[0].startswith("no checkpoint named '西路口'")
    assert reasons[1].startswith("Cannot read date '03/02/2020")
    assert "Did you mean 36.5?" in reasons[2]
    assert "not valid" in reasons[3]
    assert reasons[4].startswith("turned back, but no reason: give it in a 劝返原因")
    assert reasons[5].startswith("duplicate of the registration of 张三")
    assert reasons[6] == "Give the person's name with --name."
    rows = point.json("checkpoint", "summary", "--date", "2020-02-05")
    assert sum(r["people_in"] for r in rows) == 2 and sum(r["turned_back"] for r in rows) == 1
    dry = point.json(
        "checkpoint", "import", str(path), "--dry-run", "--rejects", str(tmp_path / "r2.csv")
    )
    assert (dry["inserted"], dry["unchanged"], dry["rejected"]) == (0, 3, 7)
    # The same sheet imported again: nobody is counted twice.
    again = point.json("checkpoint", "import", str(path), "--rejects", str(tmp_path / "r3.csv"))
    assert (again["inserted"], again["unchanged"], again["rejected"]) == (0, 3, 7)
    assert point.json("checkpoint", "summary", "--date", "2020-02-05") == rows


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "is empty"),
        (b"\x00\x01binary" * 50, "not a text table"),
        (b"foo,bar\n1,2\n", "No name column"),
    ],
)
def test_import_unreadable(point: Run, tmp_path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = point("checkpoint", "import", str(path))
    assert result.exit_code == 1 and message in result.stderr
