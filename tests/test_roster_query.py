"""roster list / show: search, masking, reveal, ambiguity, exact output."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import ID_A, ID_M, SAMPLES, Run, person, valid_id

pytestmark = pytest.mark.both_engines

FULL_ID = re.compile(r"\d{17}[\dXx]")
FULL_PHONE = re.compile(r"1[3-9]\d{9}")


@pytest.fixture
def demo(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    return run


def test_list_json_keys_and_masking(demo: Run) -> None:
    rows = demo.json("roster", "list")
    assert len(rows) == 22
    assert set(rows[0]) == {"id", "uid", "name", "sex", "id_number", "phone", "household",
                            "group", "village", "address", "relation", "responsible"}
    text = json.dumps(rows, ensure_ascii=False)
    assert not FULL_ID.search(text) and not FULL_PHONE.search(text)
    assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", rows[0]["id_number"])


def test_reveal_shows_numbers_and_is_audited(demo: Run) -> None:
    rows = demo.json("roster", "list", "--reveal")
    assert FULL_ID.fullmatch(rows[0]["id_number"])
    reveals = demo.sql("SELECT detail FROM audit WHERE action = 'reveal'")
    assert json.loads(reveals[0][0]) == {"rows": 22, "view": "roster.list"}


def test_table_masks_and_limits(demo: Run) -> None:
    result = demo("roster", "list", "--limit", "3")
    assert result.exit_code == 0
    assert "Showing 3 of 22. Use --limit 0 to show all." in result.stdout
    assert not FULL_ID.search(result.stdout) and not FULL_PHONE.search(result.stdout)


def test_csv_output_to_private_file(demo: Run, tmp_path) -> None:
    out = tmp_path / "roster.csv"
    assert demo("roster", "list", "--format", "csv", "--output", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()  # BOM: Excel reads UTF-8
    assert lines[0] == ("id,uid,name,sex,id_number,phone,household,relation,group,village,"
                        "address,responsible")
    assert len(lines) == 23 and oct(out.stat().st_mode & 0o777) == "0o600"
    again = demo("roster", "list", "--format", "csv", "--output", str(out))
    assert again.exit_code == 1 and "already exists" in again.stderr


@pytest.mark.parametrize("query, names", [
    ("王伟", ["王伟", "王伟"]), ("wangw", ["王伟", "王伟"]), ("ww", ["王伟", "王伟"]),
    ("xjg", ["席建国"]), ("xijianguo", ["席建国"]), ("席", None),
])
def test_search(demo: Run, query: str, names: list[str] | None) -> None:
    found = [r["name"] for r in demo.json("roster", "list", "--search", query)]
    if names is None:
        assert found and all("席" in n for n in found)
    else:
        assert sorted(found) == sorted(names)


def test_search_by_id_tail(demo: Run) -> None:
    everyone = demo.json("roster", "list", "--reveal")
    tail = everyone[5]["id_number"][-6:]
    assert [r["id"] for r in demo.json("roster", "list", "--search", tail)] == [everyone[5]["id"]]


def test_search_is_not_sql_or_like_pattern(demo: Run) -> None:
    assert demo.json("roster", "list", "--search", "%") == []
    assert demo.json("roster", "list", "--search", "' OR 1=1 --") == []


def test_group_filter(demo: Run) -> None:
    assert {r["group"] for r in demo.json("roster", "list", "--group", "二组")} == {"二组"}


def test_show_by_rowid_name_and_id(demo: Run) -> None:
    by_name = demo.json("roster", "show", "席建国")
    by_id = demo.json("roster", "show", f"#{by_name['person']['id']}")
    assert by_name == by_id
    assert by_name["household_head"] == "席建国"
    assert [m["name"] for m in by_name["household"]] == ["席建国", "王桂兰", "席晓东", "席梓涵"]
    full = demo.json("roster", "show", "席建国", "--reveal")["person"]["id_number"]
    assert demo.json("roster", "show", full)["person"]["name"] == "席建国"


def test_show_table_in_chinese(demo: Run) -> None:
    result = demo("roster", "show", "席晓东", lang="zh")
    assert result.exit_code == 0
    assert "居民信息" in result.stdout and "同户成员" in result.stdout and "户主" in result.stdout
    assert not FULL_ID.search(result.stdout)


def test_ambiguous_name_lists_masked_candidates(demo: Run) -> None:
    result = demo("roster", "show", "王伟")
    assert result.exit_code == 1
    assert "'王伟' matches several people; use the ID number or #number" in result.stderr
    assert len(re.findall(r"#\d+ 王伟 \d{6}\*{8}[\dX]{4}", result.stderr)) == 2
    assert not FULL_ID.search(result.stderr)
    zh = demo("roster", "show", "王伟", lang="zh")
    assert "“王伟”对应多人" in zh.stderr


def test_unknown_person(demo: Run) -> None:
    result = demo("roster", "show", "不存在")
    assert result.exit_code == 1 and "No one matches '不存在'" in result.stderr


def test_missing_database_is_clear(run: Run) -> None:
    result = run("roster", "list")
    assert result.exit_code == 1
    assert "not found. Run 'epitool init' first" in result.stderr
    assert run("roster", "list").exit_code == 1  # and the look made none


def test_hostile_names_print_literally(run: Run, make_csv) -> None:
    path = make_csv([person("[bold]王五[/]", ID_M), person("\x1b[2J赵六", ID_A, relation="配偶"),
                     person(":smile:\u202e孙七", valid_id("41017120100101123"), relation="子")])
    run.json("roster", "import", str(path))
    out = run("roster", "list").stdout
    assert "[bold]王五[/]" in out and "\\x1b[2J赵六" in out and "\x1b" not in out
    assert ":smile:\\u202e孙七" in out and "\u202e" not in out
