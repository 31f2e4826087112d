"""Duty shifts, work resumption, passes, patrols and needs, through the CLI."""

from __future__ import annotations

import itertools
import re
from collections import Counter

import pytest

from epitool.core.passes import ALPHABET, new_serial
from tests.conftest import SAMPLES, Run


@pytest.fixture
def village(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    run("staff", "add", "王保安", "--team", "police")
    run("staff", "add", "李卫国", "--team", "cadre")
    run("checkpoint", "add", "北路口")
    run("checkpoint", "add", "南路口")
    return run


def test_duty_gaps(village: Run) -> None:
    assert (
        village(
            "duty",
            "add",
            "王保安",
            "--point",
            "北路口",
            "--from",
            "2020-02-05 00:00",
            "--to",
            "2020-02-05 12:00",
        ).exit_code
        == 0
    )
    assert (
        village(
            "duty",
            "add",
            "李卫国",
            "--point",
            "北路口",
            "--from",
            "2020-02-05 14:00",
            "--to",
            "2020-02-06 08:00",
        ).exit_code
        == 0
    )
    gaps = village.json("duty", "gaps", "--date", "2020-02-05")
    assert gaps == [
        {"point": "北路口", "from": "12:00", "to": "14:00", "hours": 2.0},
        {"point": "南路口", "from": "00:00", "to": "24:00", "hours": 24.0},
    ]
    assert len(village.json("duty", "list", "--date", "2020-02-05")) == 2
    bad = village(
        "duty",
        "add",
        "王保安",
        "--point",
        "北路口",
        "--from",
        "2020-02-05 12:00",
        "--to",
        "2020-02-05 08:00",
    )
    assert bad.exit_code == 1 and "must come after the start" in bad.stderr


def test_enterprise_checklist(village: Run) -> None:
    assert (
        village(
            "enterprise",
            "add",
            "豫丰食品厂",
            "--contact",
            "赵经理",
            "--phone",
            "13700001111",
            "--workers",
            "40",
        ).exit_code
        == 0
    )
    partial = village("enterprise", "check", "豫丰食品厂", "--cleaned", "--disinfected")
    assert "2 of 4 items done; missing: prevention plan, emergency plan" in partial.stdout
    nothing = village("enterprise", "check", "豫丰食品厂", lang="zh")
    assert nothing.exit_code == 1 and "请写明完成的项目" in nothing.stderr
    ready = village("enterprise", "check", "豫丰食品厂", "--prevention-plan", "--emergency-plan")
    assert "ready to resume work" in ready.stdout
    [row] = village.json("enterprise", "list")
    assert (row["ready"], row["done"], row["phone"]) == (True, 4, "137****1111")
    assert "No enterprise named" in village("enterprise", "check", "无此厂", "--cleaned").stderr


def test_passes(village: Run, tmp_path) -> None:
    out = tmp_path / "pass.html"
    issued = village("pass", "issue", "席建国", "--days", "7", "--output", str(out))
    assert issued.exit_code == 0
    serial = re.search(r"Issued (\S+):", issued.stdout).group(1)
    page = out.read_text(encoding="utf-8")
    assert serial in page and "size:A6" in page and "********" in page
    assert village("pass", "verify", serial).exit_code == 0
    assert "VALID" in village("pass", "verify", serial.lower()).stdout
    assert village.json("pass", "verify", serial, "--format", "json")["status"] == "valid"
    unknown = village("pass", "verify", "AAAA-BBBB-CCCC")
    assert unknown.exit_code == 1 and "UNKNOWN" in unknown.stdout
    assert "needs a reason" in village("pass", "revoke", serial).stderr
    assert village("pass", "revoke", serial, "--reason", "冒用").exit_code == 0
    revoked = village("pass", "verify", serial, lang="zh")
    assert revoked.exit_code == 1 and "已作废" in revoked.stdout and "冒用" in revoked.stdout
    assert "already revoked" in village("pass", "revoke", serial, "--reason", "x").stderr


@pytest.mark.parametrize(
    "lang, quarantined, fever",
    [
        ("en", "is under quarantine: no pass", "had a fever on 2026"),
        ("zh", "正在隔离中，不能开具", "有发热记录（14 天内）"),
    ],
)
def test_pass_refusals_and_override(village: Run, lang: str, quarantined: str, fever: str) -> None:
    village("quarantine", "start", "席晓东", "--since", "yesterday")
    refused = village("pass", "issue", "席晓东", lang=lang)
    assert refused.exit_code == 1 and quarantined in refused.stderr
    assert village("pass", "issue", "席晓东", "--override", "送医复诊").exit_code == 0
    village("visit", "log", "席晓东", "--temp", "38.0", "--at", "yesterday 09:00")
    village("quarantine", "end", "席晓东", "--outcome", "hospitalised")
    still = village("pass", "issue", "席晓东", lang=lang)
    assert still.exit_code == 1 and fever in still.stderr


def test_serials_unique_and_not_sequential() -> None:
    serials = [new_serial() for _ in range(100_000)]
    assert len(set(serials)) == 100_000
    assert all(
        re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){2}", s) for s in serials[:1000]
    )
    # Consecutive serials share almost nothing: about 1/32 of positions by chance.
    same = sum(
        a == b
        for x, y in itertools.pairwise(serials)
        for a, b in zip(x.replace("-", ""), y.replace("-", ""))
    )
    assert same / (12 * 99_999) < 0.05
    counts = Counter("".join(serials).replace("-", ""))
    assert set(counts) == set(ALPHABET) and max(counts.values()) / min(counts.values()) < 1.1


def test_patrols_and_breach_on_record(village: Run) -> None:
    assert (
        village(
            "patrol",
            "log",
            "--team",
            "民兵巡查组",
            "--area",
            "村口广场",
            "--finding",
            "gathering",
            "--count",
            "6",
            "--action",
            "劝散",
            "--at",
            "2020-02-05 10:00",
        ).exit_code
        == 0
    )
    needs_person = village(
        "patrol",
        "log",
        "--team",
        "干部巡查组",
        "--area",
        "一组",
        "--finding",
        "quarantine-breach",
        lang="zh",
    )
    assert needs_person.exit_code == 1 and "擅离隔离须写明是谁" in needs_person.stderr
    assert (
        village(
            "patrol",
            "log",
            "--team",
            "干部巡查组",
            "--area",
            "一组",
            "--finding",
            "quarantine-breach",
            "--person",
            "席晓东",
            "--action",
            "劝返回家",
            "--at",
            "2020-02-05 15:00",
        ).exit_code
        == 0
    )
    rows = village.json("patrol", "list", "--date", "2020-02-05")
    assert [(r["finding"], r["count"], r["person"]) for r in rows] == [
        ("gathering", 6, None),
        ("quarantine-breach", None, "席晓东"),
    ]
    record = village.json("roster", "show", "席晓东")["quarantine_breaches"]
    assert [(b["area"], b["action"]) for b in record] == [("一组", "劝返回家")]
    assert (
        "Finding 'party' unknown"
        in village("patrol", "log", "--team", "x", "--area", "y", "--finding", "party").stderr
    )


def test_needs(village: Run) -> None:
    village("quarantine", "start", "赵德明")
    assert village("need", "add", "王桂兰", "青菜").exit_code == 0
    assert village("need", "add", "赵德明", "药品", "馒头", "--note", "血压药").exit_code == 0
    rows = village.json("need", "list", "--open")
    assert [(r["name"], r["items"], r["quarantined"]) for r in rows] == [
        ("赵德明", "药品、馒头", True),
        ("王桂兰", "青菜", False),
    ]
    assert village("need", "done", "2", "--by", "李卫国").exit_code == 0
    assert [r["name"] for r in village.json("need", "list", "--open")] == ["王桂兰"]
    assert "already done" in village("need", "done", "2").stderr
    assert "No need #9" in village("need", "done", "9").stderr


def test_remind_and_report_include_field_work(village: Run) -> None:
    village(
        "duty",
        "add",
        "王保安",
        "--point",
        "北路口",
        "--from",
        "2020-02-05 00:00",
        "--to",
        "2020-02-06 00:00",
    )
    village("enterprise", "add", "豫丰食品厂")
    village("enterprise", "check", "豫丰食品厂", "--cleaned")
    village("need", "add", "王桂兰", "青菜")
    due = village.json("remind", "--date", "2020-02-05")
    kinds = {(d["kind"], d["subject"]) for d in due}
    assert ("duty_gap", "南路口") in kinds and ("duty_gap", "北路口") not in kinds
    [gap] = [d for d in due if d["kind"] == "duty_gap"]
    result = village(*_args(gap["command"].replace("STAFF", "李卫国")))
    assert result.exit_code == 0, result.stderr  # the command it suggests really works
    assert not any(d["kind"] == "duty_gap" for d in village.json("remind", "--date", "2020-02-05"))
    [checklist] = [d for d in due if d["kind"] == "enterprise_checklist"]
    assert checklist["command"] == (
        "epitool enterprise check 豫丰食品厂 --disinfected --prevention-plan --emergency-plan"
    )
    assert not any(d["kind"] == "need_open" for d in due)  # recorded today: not a day old
    later = village.json("remind", "--date", "2099-01-01")
    [need] = [d for d in later if d["kind"] == "need_open"]
    assert need["command"] == "epitool need done 1"
    village(
        "checkpoint",
        "log",
        "北路口",
        "-n",
        "张三",
        "--plate",
        "豫A12345",
        "--at",
        "2020-02-05 09:00",
    )
    village(
        "checkpoint",
        "log",
        "北路口",
        "-n",
        "李四",
        "--temp",
        "37.8",
        "--turned-back",
        "发热",
        "--at",
        "2020-02-05 10:00",
    )
    village(
        "patrol",
        "log",
        "--team",
        "t",
        "--area",
        "a",
        "--finding",
        "no-mask",
        "--at",
        "2020-02-05 11:00",
    )
    field = village.json("report", "daily", "--date", "2020-02-05")["field"]
    assert field == {
        "registrations": 2,
        "people_in": 1,  # 李四 was turned back
        "people_out": 0,
        "vehicles": 1,
        "turned_back": 1,
        "abnormal_temperatures": 1,
        "passes_issued": 0,
        "patrol_findings": 1,
        "quarantine_breaches": 0,
        "needs_open": 1,
    }


def _args(command: str) -> list[str]:
    import shlex

    return shlex.split(command)[1:]  # without the leading "epitool"
