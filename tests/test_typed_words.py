"""Input as clerks type it: the Chinese words sheets accept work on the command line too."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLES, Run


@pytest.fixture
def village(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    return run


def ok(run: Run, *args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return str(result.stdout)


def test_chinese_words_for_every_enumerated_option(village: Run) -> None:
    ok(village, "staff", "add", "王志愿", "--team", "志愿者")
    ok(village, "staff", "add", "李警官", "--team", "民警")
    assert {s["name"]: s["team"] for s in village.json("staff", "list")} == {
        "王志愿": "volunteer", "李警官": "police"}
    ok(village, "quarantine", "start", "席晓东", "--kind", "集中", "--since", "2020-02-01")
    logged = ok(village, "visit", "log", "席晓东", "--temp", "37.8度", "--symptom", "咳嗽",
                "--at", "2020-02-02 09:00")
    assert "37.8" in logged
    [visit] = village.json("visit", "list", "--date", "2020-02-02")
    assert (visit["temp"], visit["symptoms"], visit["fever"]) == (37.8, "cough", 1)
    assert [q["kind"] for q in village.json("quarantine", "list", "--status", "隔离中")] == [
        "central"]
    ok(village, "quarantine", "end", "席晓东", "--outcome", "送医", "--date", "2020-02-03")
    assert village.json("quarantine", "list", "--status", "住院")[0]["status"] == "hospitalised"
    ok(village, "patrol", "log", "--team", "巡查组", "--area", "村口", "--finding", "聚集",
       "--count", "5")
    assert village.json("patrol", "list")[0]["finding"] == "gathering"
    ok(village, "site", "add", "村委会广场", "--kind", "公共场所")
    ok(village, "checkpoint", "add", "北路口")
    ok(village, "checkpoint", "log", "北路口", "-n", "张三", "--temp", "36.4℃")
    # a guard's shift typed as times: today's
    ok(village, "staff", "add", "赵卫", "--team", "民警")
    ok(village, "duty", "add", "赵卫", "--point", "北路口", "--from", "00:00", "--to", "00:30")
    # the words a guard says: 出去 and 进来 as well as 出 and 进
    ok(village, "checkpoint", "log", "北路口", "-n", "李四", "--direction", "出去")
    ok(village, "checkpoint", "log", "北路口", "-n", "李四", "--direction", "进来")
    assert [r[0] for r in village.sql("SELECT direction FROM checkpoint_logs WHERE name = '李四'"
                                      " ORDER BY id")] == ["out", "in"]


@pytest.mark.parametrize("args, text", [
    (["staff", "add", "甲", "--team", "保安"], "Team '保安' unknown"),
    (["patrol", "log", "--team", "t", "--area", "a", "--finding", "吵架"], "吵架"),
    (["quarantine", "list", "--status", "隔离"], "隔离"),
])
def test_unknown_words_still_refused_with_the_choices(village: Run, args: list[str],
                                                      text: str) -> None:
    result = village(*args)
    assert result.exit_code == 1 and text in result.stderr


def test_a_serial_read_out_over_the_phone_is_found(village: Run) -> None:
    ok(village, "pass", "issue", "席建国")
    [serial] = [p["serial"] for p in village.json("pass", "list")]
    typed = serial.replace("-", " ").lower().replace("0", "o").replace("1", "l")
    result = village("pass", "verify", typed)
    assert result.exit_code == 0 and "VALID" in result.stdout


def test_a_plate_with_the_standard_dot_is_a_mainland_plate(village: Run) -> None:
    ok(village, "checkpoint", "add", "北路口")
    logged = ok(village, "checkpoint", "log", "北路口", "-n", "张三", "--plate", "豫A·12345")
    assert "does not look like a mainland plate" not in logged
    assert "张三 (vehicle 豫A12345), in" in logged  # the guard sees the plate as kept


@pytest.mark.parametrize("typed, lang, text", [
    ("visti", "en", "There is no command 'visti'. Did you mean: visit?"),
    ("quarentine", "zh", "没有“quarentine”这个命令。是不是要输入：quarantine？"),
])
def test_a_mistyped_command_gets_the_nearest(run: Run, typed: str, lang: str,
                                             text: str) -> None:
    result = run(typed, lang=lang)
    assert result.exit_code == 2 and text in " ".join(result.stderr.split())


def test_a_name_typed_by_its_sound_gets_the_resident(village: Run) -> None:
    """赵德民 for 赵德明: what a pinyin input method gives when the clerk picks the wrong
    character (min for ming)."""
    result = village("roster", "show", "赵德民", lang="zh")
    assert result.exit_code == 1 and "是不是 赵德明（读音相近）" in result.stderr
    assert "Did you mean" not in village("roster", "show", "曹操").stderr


def test_an_empty_list_says_so_in_words(village: Run) -> None:
    result = village("visit", "list", "--date", "2020-01-01")
    assert result.exit_code == 0 and result.stdout.strip().endswith(": none.")
    assert "┏" not in result.stdout


def test_a_header_only_sheet_is_said_to_be_empty(run: Run, tmp_path) -> None:
    from tests.conftest import write_csv

    empty = write_csv(tmp_path / "empty.csv", [])
    result = run("roster", "import", str(empty))
    assert result.exit_code == 0 and "no rows under it" in result.stdout


@pytest.mark.parametrize("args, text", [
    (["visit", "log"], "缺少参数 人员。"),
    (["quarantine", "end", "#3"], "缺少选项 --outcome。"),
    (["roster", "list", "--bogus"], "没有选项 --bogus。"),
    (["report", "trend", "--days", "x"], "选项 --days 的值“x”不对：应为整数。"),
    (["roster", "show", "a", "b"], "多余的参数：b。"),
])
def test_usage_errors_in_chinese(run: Run, args: list[str], text: str) -> None:
    result = run(*args, lang="zh")
    assert result.exit_code == 2 and text in result.stderr
    assert "Missing" not in result.stderr and "Invalid value" not in result.stderr


def test_the_templates_example_row_is_never_imported(run: Run, tmp_path) -> None:
    import csv

    template = tmp_path / "花名册.csv"
    assert run("roster", "template", str(template)).exit_code == 0
    with template.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow(["王五", "", "11010519491231002X", "13800001234", "H1",
                                     "户主", "一组", "一组 1 号"])
    result = run("roster", "import", str(template))
    assert result.exit_code == 0 and "1 example row(s) from the template skipped" in result.stdout
    assert [p["name"] for p in run.json("roster", "list")] == ["王五"]


def test_a_workbook_with_several_sheets_says_which_was_read(run: Run, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "花名册"
    book.active.append(["姓名", "性别", "身份证号", "联系电话", "户号", "与户主关系", "村组"])
    book.active.append(["王五", "", "11010519491231002X", "13800001234", "H1", "户主", "一组"])
    book.create_sheet("说明").append(["填表说明"])
    path = tmp_path / "花名册.xlsx"
    book.save(path)
    result = run("roster", "import", str(path))
    assert result.exit_code == 0
    assert "Read the sheet '花名册' (the workbook has 2; the others: 说明)" in result.stdout
    assert "--sheet NAME" in result.stdout


def test_config_and_file_errors_in_chinese(run: Run, tmp_path) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text("fever_threshold: 50\n", encoding="utf-8")
    result = run("--config", str(config), "roster", "list", lang="zh")
    assert result.exit_code == 1 and "应为：35 至 42 °C 之间" in result.stderr
    assert run("init").exit_code == 0
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    restored = run("db", "restore", str(junk), "--force", lang="zh")
    assert restored.exit_code == 1 and "不是数据库文件" in restored.stderr
    assert "file is not a database" not in restored.stderr


def test_checkpoints_not_set_up_are_named_once_with_the_command(run: Run, tmp_path) -> None:
    from tests.conftest import write_csv
    from tests.test_checkpoints import CP_HEADER

    rows = [["西路口", f"人{n}", "", "", "", "", "", f"2020-02-05 0{n}:00", "", ""]
            for n in range(1, 4)] + [["东 路口", "甲", "", "", "", "", "", "2020-02-05 09:00",
                                      "", ""]]
    sheet = write_csv(tmp_path / "卡口.csv", rows, header=CP_HEADER)
    run("init")
    result = run("checkpoint", "import", str(sheet))
    assert result.exit_code == 0 and "rejected 4" in result.stdout
    said = " ".join(result.stdout.split())
    assert "not set up (rows): 西路口 (3), 东 路口 (1)" in said
    assert 'epitool checkpoint add 西路口 && epitool checkpoint add "东 路口"' in said
    for name in ("西路口", "东 路口"):
        assert run("checkpoint", "add", name).exit_code == 0
    again = run("checkpoint", "import", str(tmp_path / "卡口.rejects.csv"))
    assert again.exit_code == 0 and "imported: 4" in again.stdout


def test_add_points_sets_up_the_sheets_checkpoints_in_the_same_import(run: Run,
                                                                       tmp_path) -> None:
    """--add-points: the checkpoints the sheet names are added with its rows, in one
    transaction (a dry run adds none); a #number is never taken for a new name."""
    from tests.conftest import write_csv
    from tests.test_checkpoints import CP_HEADER

    rows = [["西路口", f"人{n}", "", "", "", "", "", f"2020-02-05 0{n}:00", "", ""]
            for n in range(1, 4)] + [["东 路口", "甲", "", "", "", "", "", "2020-02-05 09:00",
                                      "", ""], ["#9", "乙", "", "", "", "", "",
                                                "2020-02-05 09:30", "", ""]]
    sheet = write_csv(tmp_path / "卡口.csv", rows, header=CP_HEADER)
    run("init")
    trial = run("checkpoint", "import", str(sheet), "--add-points", "--dry-run")
    assert trial.exit_code == 0 and run.json("checkpoint", "list") == []
    first = run("checkpoint", "import", str(sheet), "--add-points", "--format", "json")
    assert first.exit_code == 0, first.output
    assert (json.loads(first.stdout)["inserted"], json.loads(first.stdout)["rejected"]) == (4, 1)
    points = {p["name"]: p for p in run.json("checkpoint", "list")}
    assert set(points) == {"西路口", "东 路口"}
    day = {p["point"]: p["people_in"]
           for p in run.json("checkpoint", "summary", "--date", "2020-02-05")}
    assert day == {"西路口": 3, "东 路口": 1}
    said = run("checkpoint", "import", str(sheet), "--add-points", lang="zh").stdout
    assert "已按表添加卡点" not in said  # nothing new the second time: all known now
    actions = [a["action"] for a in run.json("audit")]
    assert actions.count("checkpoint.add") == 2


def test_every_sheet_column_has_a_name_for_problem_tables() -> None:
    """A problem table names the column in words: no field of any sheet without one."""
    from epitool.core.checkpoint_rows import FIELDS as CHECKPOINT_FIELDS
    from epitool.core.config import HEADER_FIELDS
    from epitool.core.roster.rows import FIELDS as ROSTER_FIELDS
    from epitool.i18n import _catalogue

    for lang in ("en", "zh"):
        missing = [f for f in {*CHECKPOINT_FIELDS, *ROSTER_FIELDS, *HEADER_FIELDS}
                   if f"col_{f}" not in _catalogue(lang)]
        assert missing == [], lang


def test_every_word_the_chinese_help_lists_is_taken() -> None:
    """The zh help of an enumerated option lists words: each of them is accepted as typed."""
    from epitool.core.rules import as_code, check_direction, check_outcome, check_symptoms
    from epitool.i18n.zh_help import HELP

    takers = {
        "cadre | police | medical | volunteer": lambda w: as_code("team", w),
        "home | central": lambda w: as_code("quarantine_kind", w),
        "central | home": lambda w: as_code("quarantine_kind", w),
        "completed | hospitalised | transferred | lost":
            lambda w: as_code("quarantine_status", w),
        "active | completed | hospitalised | transferred | lost":
            lambda w: as_code("quarantine_status", w),
        "fever | cough | fatigue | sore-throat | diarrhea | breathless | other (repeatable)":
            lambda w: check_symptoms((w,)),
        "seen-ok | seen-not-ok | missed | not-attempted": check_outcome,
        "public | building | household | enterprise | checkpoint":
            lambda w: as_code("site_kind", w),
        "in | out": check_direction,
        "health | travel": lambda w: as_code("pass_kind", w),
        "gathering | no-mask | quarantine-breach | fire-hazard | other":
            lambda w: as_code("finding", w),
    }
    for english, take in takers.items():
        words = HELP[english].split("（")[0].split(" | ")
        assert len(words) >= 2, english
        for word in words:
            assert take(word.strip()), (english, word)


def test_every_word_a_table_shows_for_a_code_is_taken() -> None:
    """A clerk copies the word a list shows (党员干部, 擅离隔离) into a command: it is taken."""
    from epitool.core.rules import OUTCOMES, SYMPTOMS, WORDS, as_code, check_outcome, check_symptoms
    from epitool.i18n.zh import MESSAGES

    shown = {"team_": "team", "kind_": "quarantine_kind", "status_": "quarantine_status",
             "site_kind_": "site_kind", "pass_kind_": "pass_kind", "finding_": "finding"}
    for prefix, kind in shown.items():
        for code in WORDS[kind]:
            assert as_code(kind, MESSAGES[prefix + code]) == code, (prefix, code)
    for outcome in OUTCOMES:
        assert check_outcome(MESSAGES[f"outcome_{outcome}"]) == outcome
    for symptom in SYMPTOMS:
        assert check_symptoms((MESSAGES[f"symptom_{symptom}"],)) == (symptom,)


@pytest.mark.parametrize("args, words", [
    (["staff", "add", "甲", "--team", "保安"], "应为：干部 | 民警 | 医生 | 志愿者"),
    (["patrol", "log", "--team", "t", "--area", "a", "--finding", "吵架"],
     "应为：聚集 | 未戴口罩 | 违反隔离 | 火灾隐患 | 其他"),
    (["quarantine", "list", "--status", "隔离"], "应为：隔离中 | 期满 | 住院 | 转移 | 失联"),
    (["quarantine", "start", "席晓东", "--kind", "在家"], "应为：居家 | 集中"),
    (["site", "add", "村委会", "--kind", "公园"], "应为：公共场所 | 楼栋 | 住户 | 企业 | 卡点"),
    (["visit", "log", "席晓东", "--temp", "36.5", "--symptom", "头疼"],
     "应为：发热 | 咳嗽 | 乏力 | 咽痛 | 腹泻 | 气促 | 其他"),
])
def test_a_refusal_in_chinese_lists_words_that_are_taken(village: Run, args: list[str],
                                                         words: str) -> None:
    """In Chinese the choices are the words a clerk types, not the English codes."""
    result = village(*args, lang="zh")
    assert result.exit_code == 1 and words in result.stderr, result.stderr
