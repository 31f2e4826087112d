"""Staff, responsibility and the quarantine lifecycle through the CLI, refusals in zh and en."""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLES, Run

pytestmark = pytest.mark.both_engines


@pytest.fixture
def village(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    assert run("staff", "add", "李卫国", "--team", "cadre", "--phone", "13900001111").exit_code == 0
    assert run("staff", "add", "张医生", "--team", "medical").exit_code == 0
    assert run("staff", "assign", "李卫国", "-h", "XZ-001", "-h", "XZ-002").exit_code == 0
    assert run("staff", "assign", "张医生", "--group", "二组").exit_code == 0
    return run


def test_staff_list_masks_phone_and_counts(village: Run) -> None:
    rows = village.json("staff", "list")
    assert [(r["name"], r["team"], r["households"], r["groups"]) for r in rows] == [
        ("李卫国", "cadre", 2, None),
        ("张医生", "medical", 0, "二组"),
    ]
    assert rows[0]["phone"] == "139****1111"


@pytest.mark.parametrize(
    "args, en, zh",
    [
        (["staff", "add", "李卫国", "--team", "cadre"], "exists already", "已有名为"),
        (["staff", "add", "王五", "--team", "army"], "Team 'army' unknown", "队伍“army”不对"),
        (
            ["staff", "assign", "无名氏", "--group", "一组"],
            "No staff member named '无名氏'",
            "没有名为“无名氏”的工作人员",
        ),
        (["staff", "assign", "李卫国", "-h", "XZ-999"], "not in the roster: XZ-999", "XZ-999"),
        (["staff", "assign", "李卫国"], "one of the two", "二者选一"),
        (["staff", "assign", "李卫国", "--group", "九组"], "No group named '九组'", "九组"),
    ],
)
def test_staff_refusals(village: Run, args: list[str], en: str, zh: str) -> None:
    for lang, text in (("en", en), ("zh", zh)):
        result = village(*args, lang=lang)
        assert result.exit_code == 1 and text in result.stderr, result.stderr


def test_start_defaults_to_household_representative(village: Run) -> None:
    result = village("quarantine", "start", "席晓东", "--since", "2020-02-01", "--reason", "返乡")
    assert result.exit_code == 0
    assert result.stdout.strip() == (
        "Quarantine started: 席晓东, home, 2020-02-01 to 2020-02-14 (14 days), responsible: 李卫国."
    )
    group_default = village("quarantine", "start", "赵德明", "--since", "2020-02-03")
    assert "responsible: 张医生" in group_default.stdout  # via the group
    explicit = village(
        "quarantine",
        "start",
        "马凤英",
        "--assign",
        "张医生",
        "--days",
        "7",
        "--kind",
        "central",
        "--since",
        "2020-02-03",
    )
    assert "central, 2020-02-03 to 2020-02-09 (7 days), responsible: 张医生" in explicit.stdout
    rows = village.json("quarantine", "list")
    assert [(r["name"], r["status"], r["staff"]) for r in rows] == [
        ("席晓东", "active", "李卫国"),
        ("马凤英", "active", "张医生"),
        ("赵德明", "active", "张医生"),
    ]
    assert rows[0]["id_number"].count("*") == 8


def test_responsible_person_shown_with_resident(village: Run) -> None:
    shown = village.json("roster", "show", "席晓东")
    assert shown["responsible"] == "李卫国"
    by_name = {r["name"]: r["responsible"] for r in village.json("roster", "list")}
    assert (by_name["席晓东"], by_name["赵德明"], by_name["马凤英"]) == ("李卫国", "张医生", None)


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "席晓东 is already under quarantine (since 2020-02-01, until 2020-02-14)"),
        ("zh", "席晓东 已在隔离中（2020-02-01 起，至 2020-02-14）"),
    ],
)
def test_one_active_quarantine(village: Run, lang: str, text: str) -> None:
    village("quarantine", "start", "席晓东", "--since", "2020-02-01")
    result = village("quarantine", "start", "席晓东", lang=lang)
    assert result.exit_code == 1 and text in result.stderr


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "epitool roster add 刘备 --id ID_NUMBER"),
        ("zh", "花名册中没有“刘备”。请先添加：epitool roster add 刘备 --id"),
    ],
)
def test_unknown_person_offers_roster_add(village: Run, lang: str, text: str) -> None:
    """The suggested command is one to paste: a plain name as it is, anything else quoted
    (see test_a_number_past_any_row_names_nothing)."""
    result = village("quarantine", "start", "刘备", lang=lang)
    assert result.exit_code == 1 and text in result.stderr


def test_roster_add_then_quarantine(village: Run) -> None:
    from tests.conftest import valid_id

    number = valid_id("41017119800101001")
    added = village(
        "roster",
        "add",
        "刘备",
        "--id",
        number,
        "--household",
        "XZ-009",
        "--group",
        "三组",
        "--phone",
        "13700001111",
    )
    assert added.exit_code == 0 and "Added #23 刘备." in added.stdout
    assert village("quarantine", "start", "刘备").exit_code == 0
    again = village("roster", "add", "刘备", "--id", number)
    assert again.exit_code == 1 and "already in the roster (#23)" in again.stderr
    wrong = number[:-1] + ("1" if number[-1] != "1" else "2")
    bad = village("roster", "add", "张飞", "--id", wrong)
    assert bad.exit_code == 1 and "wrong check digit" in bad.stderr


@pytest.mark.parametrize(
    "lang, text",
    [
        ("en", "'王伟' matches several people"),
        ("zh", "“王伟”对应多人"),
    ],
)
def test_ambiguous_name_refused(village: Run, lang: str, text: str) -> None:
    result = village("quarantine", "start", "王伟", lang=lang)
    assert result.exit_code == 1 and text in result.stderr and "#17" in result.stderr


def test_end_rules(village: Run) -> None:
    village("quarantine", "start", "席晓东", "--since", "2020-02-01")
    before = village("quarantine", "end", "席晓东", "--outcome", "lost", "--date", "2020-01-30")
    assert before.exit_code == 1
    assert "2020-01-30 is before the quarantine's start 2020-02-01" in before.stderr
    early = village("quarantine", "end", "席晓东", "--outcome", "completed", "--date", "2020-02-14")
    assert early.exit_code == 1
    assert (
        "Completing needs a visit on or after the last day, e.g.: epitool visit log \"#3\""
        " --at 2020-02-14"
    ) in early.stderr
    zh = village(
        "quarantine", "end", "席晓东", "--outcome", "completed", "--date", "2020-02-14", lang="zh"
    )
    assert "解除前须在末日当天或之后走访一次" in zh.stderr
    assert (
        village("visit", "log", "席晓东", "--temp", "36.4", "--at", "2020-02-14 09:00").exit_code
        == 0
    )
    done = village("quarantine", "end", "席晓东", "--outcome", "completed", "--date", "2020-02-14")
    assert done.exit_code == 0 and "ended on 2020-02-14: completed" in done.stdout
    none = village("quarantine", "end", "席晓东", "--outcome", "lost")
    assert none.exit_code == 1 and "has no active quarantine" in none.stderr
    assert (
        village.json("quarantine", "list", "--status", "completed")[0]["end_date"] == "2020-02-14"
    )


def test_extend_restarts_the_count(village: Run) -> None:
    village("quarantine", "start", "席晓东", "--since", "2020-02-01")
    result = village("quarantine", "extend", "席晓东", "--since", "2020-02-06", "--days", "14")
    assert "restarted: 14 days from 2020-02-06, until 2020-02-19" in result.stdout
    [row] = village.json("quarantine", "list", "--ending", "2020-02-19")
    assert (row["start_date"], row["last_day"], row["status"]) == (
        "2020-02-06",
        "2020-02-19",
        "active",
    )
    # the original start is kept
    assert village.sql("SELECT start_date FROM quarantines") == [("2020-02-01",)]


def test_bad_values(village: Run) -> None:
    assert (
        "kind 'hotel' unknown" in village("quarantine", "start", "席晓东", "--kind", "hotel").stderr
    )
    assert (
        "not a plausible quarantine"
        in village("quarantine", "start", "席晓东", "--days", "400").stderr
    )
    assert (
        "Cannot read date '03/02/2020'"
        in village("quarantine", "start", "席晓东", "--since", "03/02/2020").stderr
    )
    assert "Status 'done' unknown" in village("quarantine", "list", "--status", "done").stderr


def test_a_transfer_typed_twice_is_refused(village: Run) -> None:
    """A second `transfer --to central` for someone already there would end and restart the
    quarantine for nothing: refused, nothing written. A move to another place (another
    hotel) is a transfer, given with --place."""
    assert village("quarantine", "start", "席晓东").exit_code == 0
    assert village("quarantine", "transfer", "席晓东", "--to", "集中").exit_code == 0
    before = village.sql("SELECT count(*) FROM quarantines")
    again = village("quarantine", "transfer", "席晓东", "--to", "central", lang="zh")
    assert again.exit_code == 1
    assert "席晓东 已是集中隔离：转移须换一种方式" in again.stderr, again.stderr
    assert village.sql("SELECT count(*) FROM quarantines") == before
    moved = village("quarantine", "transfer", "席晓东", "--to", "central", "--place", "二号酒店")
    assert moved.exit_code == 0, moved.output
    assert village.sql("SELECT count(*) FROM quarantines")[0][0] == before[0][0] + 1
