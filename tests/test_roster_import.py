"""epitool roster import, through the CLI."""

from __future__ import annotations

import csv
import json
import stat
from pathlib import Path

import pytest

from tests.conftest import ID_A, ID_M, Run, person, valid_id

pytestmark = pytest.mark.both_engines

ID_B = valid_id("41017120000229002")  # a leap day


def count(run: Run, table: str = "residents") -> int:
    return int(run.sql(f"SELECT count(*) FROM {table}")[0][0])


def test_import_then_reimport_changes_nothing(run: Run, make_csv) -> None:
    path = make_csv([person("王五", ID_M), person("赵六", ID_A, relation="配偶")])
    assert run.json("roster", "import", str(path)) == {
        "inserted": 2, "updated": 0, "unchanged": 0, "duplicates": 0, "rejected": 0,
        "rejects_file": None}
    assert run.json("roster", "import", str(path)) == {
        "inserted": 0, "updated": 0, "unchanged": 2, "duplicates": 0, "rejected": 0,
        "rejects_file": None}
    assert count(run) == 2 and count(run, "households") == 1


def test_changed_phone_updates_row_and_keeps_old_value_in_audit(run: Run, make_csv) -> None:
    run.json("roster", "import", str(make_csv([person("王五", ID_M)])))
    changed = make_csv([person("王五", ID_M, phone="13900009999")], name="new.csv")
    assert run.json("roster", "import", str(changed))["updated"] == 1
    assert run.sql("SELECT phone FROM residents") == [("13900009999",)]
    [(detail,)] = run.sql("SELECT detail FROM audit WHERE action = 'resident.update'")
    assert json.loads(detail) == {"phone": ["13800001234", "13900009999"]}


def test_rows_without_id_keyed_by_name_in_household(run: Run, make_csv) -> None:
    path = make_csv([person("王五", ""), person("王五", "", household="H2")])
    assert run.json("roster", "import", str(path))["inserted"] == 2
    assert run.json("roster", "import", str(path))["unchanged"] == 2


def test_mangled_and_bad_rows_rejected_with_reasons(run: Run, make_csv, tmp_path: Path) -> None:
    path = make_csv([
        person("甲", "4.10171E+17"),
        person("乙", "410171199001011000"),
        person("丙", ID_M[:-1] + "1"),
        person("丁", ID_A),
        person("戊", ID_A, household="H9"),
        person("", ID_B),
        person("己", ID_B, sex="男"),
        person("庚", valid_id("41017119900101123"), phone="1380000"),
        person("辛", "410102410503204"),
    ])
    result = run("roster", "import", str(path))
    assert result.exit_code == 0
    assert "ID number '4.10171E+17' was turned into scientific notation" in result.stdout
    assert "Format the column as Text" in result.stdout
    assert "old 15-digit" in result.stdout
    rejects = tmp_path / "roster.rejects.csv"
    with rejects.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == [*["姓名", "性别", "身份证号", "联系电话", "户号", "与户主关系", "村组",
                         "住址"], "source_row", "reason"]
    reasons = {r[0]: (r[8], r[9]) for r in rows[1:]}
    assert reasons["甲"][0] == "2" and "scientific notation" in reasons["甲"][1]
    assert "ends in zeros" in reasons["乙"][1]
    assert "wrong check digit (the first 17 digits give X)" in reasons["丙"][1]
    assert reasons["戊"][1] == "duplicate of row 5 of this file"
    assert reasons[""][1] == "name is empty"
    assert "does not match the ID number" in reasons["己"][1]
    assert "is not a phone number" in reasons["庚"][1]
    assert set(reasons) == {"甲", "乙", "丙", "戊", "", "己", "庚"}
    assert stat.S_IMODE(rejects.stat().st_mode) == 0o600
    assert count(run) == 2  # 丁 and 辛


def test_rejects_file_fixed_and_reimported(run: Run, make_csv, tmp_path: Path) -> None:
    run("roster", "import", str(make_csv([person("甲", ID_M[:-1] + "1")])))
    rejects = tmp_path / "roster.rejects.csv"
    fixed = rejects.read_text(encoding="utf-8-sig").replace(ID_M[:-1] + "1", ID_M)
    rejects.write_text(fixed, encoding="utf-8-sig")
    assert run.json("roster", "import", str(rejects))["inserted"] == 1


def test_rejects_file_never_overwritten(run: Run, make_csv, tmp_path: Path) -> None:
    path = make_csv([person("甲", "123")])
    (tmp_path / "roster.rejects.csv").write_text("mine")
    out = run.json("roster", "import", str(path))
    assert out["rejects_file"].endswith("roster.rejects-2.csv")
    assert (tmp_path / "roster.rejects.csv").read_text() == "mine"


def test_json_reports_rejects_path(run: Run, make_csv, tmp_path: Path) -> None:
    where = tmp_path / "out" / "bad.csv"
    where.parent.mkdir()
    out = run.json("roster", "import", str(make_csv([person("甲", "123")])),
                   "--rejects", str(where))
    assert out == {"inserted": 0, "updated": 0, "unchanged": 0, "duplicates": 0, "rejected": 1,
                   "rejects_file": str(where)}


def test_dry_run_writes_nothing(run: Run, make_csv, tmp_path: Path) -> None:
    path = make_csv([person("王五", ID_M), person("甲", "123")])
    out = run.json("roster", "import", str(path), "--dry-run")
    assert out == {"inserted": 1, "updated": 0, "unchanged": 0, "duplicates": 0, "rejected": 1,
                   "rejects_file": None}
    assert not run.db.exists()
    assert not (tmp_path / "roster.rejects.csv").exists()
    run.json("roster", "import", str(path))
    assert run.json("roster", "import", str(path), "--dry-run")["unchanged"] == 1
    # the dry run's audit row was rolled back too
    assert run.sql("SELECT action FROM audit") == [("roster.import",)]


@pytest.mark.parametrize("content, message", [
    (b"", "is empty"),
    (b"\x00\x01\x02binary" * 100, "not a text table"),
    (b"foo,bar\n1,2\n", "No name column"),
    (b"abc\xff\xfa\xfb\xfc" * 20 + b"\n", "Cannot tell the encoding"),
])
def test_unreadable_file_exit_1_nothing_written(run: Run, tmp_path: Path, content: bytes,
                                                message: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    result = run("roster", "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr and result.stdout == ""
    assert not run.db.exists()
    assert list(tmp_path.glob("*.rejects*")) == []


def test_missing_file_message_in_chinese(run: Run) -> None:
    result = run("roster", "import", "nope.csv", lang="zh")
    assert result.exit_code == 1
    assert result.stderr.strip() == "错误: 找不到文件 nope.csv。请检查路径是否正确。"


def test_wrong_encoding_option(run: Run, make_csv) -> None:
    path = make_csv([person("王五", ID_M)], encoding="gb18030")
    result = run("roster", "import", str(path), "--encoding", "utf-8")
    assert result.exit_code == 1 and "cannot be read as utf-8" in result.stderr
    assert not run.db.exists()


def test_title_rows_and_gb18030(run: Run, make_csv) -> None:
    path = make_csv([person("刘䶮", ID_M)], encoding="gb18030",
                    before=[["席庄村居民花名册"], ["", ""]])
    assert run.json("roster", "import", str(path))["inserted"] == 1
    assert run.json("roster", "list")[0]["name"] == "刘䶮"


def test_values_normalised(run: Run, make_csv) -> None:
    wide = ID_M.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    path = make_csv([["\u200b王五\u3000", "女", wide, "１３８ ００００ １２３４", "H1",
                      "户主", "一组", "一组\u3000 1号"]])
    assert run.json("roster", "import", str(path))["inserted"] == 1
    row = run.json("roster", "list", "--reveal")[0]
    assert (row["name"], row["id_number"], row["phone"], row["address"]) == (
        "王五", ID_M, "13800001234", "一组 1号")


def test_people_named_none_and_na(run: Run, make_csv) -> None:
    path = make_csv([person("None", ID_M), person("NA", ID_A, relation="配偶")])
    run.json("roster", "import", str(path))
    assert sorted(r["name"] for r in run.json("roster", "list")) == ["NA", "None"]


def test_import_is_all_or_nothing(run: Run, make_csv, monkeypatch) -> None:
    run.json("roster", "import", str(make_csv([person("王五", ID_M)])))
    import epitool.store.roster as store

    def explode(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(store, "refresh_groups", explode)  # the last step
    path = make_csv([person("赵六", ID_A, household="H2")], name="more.csv")
    with pytest.raises(RuntimeError):
        run("roster", "import", str(path))
    assert count(run) == 1


def test_database_and_files_private(run: Run, make_csv, engine: str) -> None:
    if engine != "sqlite":
        pytest.skip("a server's files are the server's")
    run.json("roster", "import", str(make_csv([person("王五", ID_M)])))
    assert stat.S_IMODE(run.db.stat().st_mode) == 0o600


def test_xlsx_import_with_sheet(run: Run, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["说明"])
    sheet = book.create_sheet("名单")
    sheet.append(["标题行"])
    sheet.append(["姓名", "公民身份号码", "手机号码", "户号"])
    sheet.append(["王五", ID_M, "13800001234", "001"])
    sheet.append(["张三", 4.10171199001012e17, "13800001235", "002"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    result = run("roster", "import", str(path), "--sheet", "名单")
    assert "scientific notation" in result.stdout
    row = run.json("roster", "list", "--reveal")[0]
    assert row["household"] == "001"  # leading zeros kept


def test_sample_files_import_cleanly(run: Run) -> None:
    from tests.conftest import SAMPLES

    first = run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    second = run.json("roster", "import", str(SAMPLES / "roster_jincheng.xlsx"))
    assert first["rejected"] == second["rejected"] == 0
    assert first["inserted"] == 22 and second["inserted"] == 7


def test_identical_rows_import_once_and_count_as_duplicates(run: Run, make_csv) -> None:
    row = person("王五", ID_M)
    out = run.json("roster", "import", str(make_csv([row, person("赵六", ID_A), row])))
    assert (out["inserted"], out["duplicates"], out["rejected"]) == (2, 1, 0)
    # the same again, and a copy that differs (another phone): that one is the clerk's call
    out = run.json("roster", "import", str(make_csv(
        [row, row, person("王五", ID_M, phone="13900002222")])))
    assert (out["unchanged"], out["duplicates"], out["rejected"]) == (1, 1, 1)


def test_an_id_number_of_someone_else_is_refused_with_both_names(run: Run, make_csv,
                                                                  tmp_path: Path) -> None:
    run.json("roster", "import", str(make_csv([person("王五", ID_M)])))
    out = run.json("roster", "import", str(make_csv([person("张三", ID_M)], name="typo.csv")))
    assert (out["updated"], out["rejected"]) == (0, 1)
    with (tmp_path / "typo.rejects.csv").open(encoding="utf-8-sig", newline="") as handle:
        [reason] = [r[-1] for r in list(csv.reader(handle))[1:]]
    assert "王五" in reason and "张三" in reason and "roster rename" in reason
    [kept] = run.json("roster", "list")
    assert kept["name"] == "王五"
    renamed = run("roster", "rename", ID_M, "王 武", "--reason", "户籍更正")
    assert renamed.exit_code == 0 and "王五 → 王武" in renamed.stdout
    assert run("roster", "rename", "王武", "李四").exit_code == 1  # a reason is needed
    [audit] = [a for a in run.json("audit") if a["action"] == "resident.rename"]
    assert "王五" in audit["detail"] and "户籍更正" in audit["detail"]


def test_spaces_inside_chinese_names_go_on_every_path(run: Run, make_csv) -> None:
    run.json("roster", "import", str(make_csv([person("刘　伟", ID_M),
                                               person("高 敏", ID_A, relation="配偶")])))
    assert {p["name"] for p in run.json("roster", "list")} == {"刘伟", "高敏"}
    assert run.json("roster", "show", "刘伟")["person"]["name"] == "刘伟"
    assert run.json("roster", "show", "高 敏")["person"]["name"] == "高敏"
    added = run("roster", "add", "李 雷", "--household", "H9", "--group", "二组", "--sex", "男")
    assert added.exit_code == 0 and "李雷" in added.stdout
    assert run.json("roster", "show", "李雷")["person"]["name"] == "李雷"
