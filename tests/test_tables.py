"""Reading tables: sniffing, encodings, header rows, cells as text."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from epitool.core.config import load_config
from epitool.errors import InputError
from epitool.io.tables import cell_text, detect_encoding, open_table
from tests.conftest import HEADER_ZH, edited_workbook, write_csv

ALIASES = load_config(None).header_aliases


def rows_of(path: Path, **kw: object) -> list[list[str]]:
    table = open_table(path, ALIASES, **kw)  # type: ignore[arg-type]
    return [cells for _, cells in table.rows]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_encodings_detected(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "r.csv", [["王小明", "男"]], header=["姓名", "性别"],
                     encoding=encoding)
    assert rows_of(path) == [["王小明", "男"]]


def test_gb18030_only_characters(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["刘䶮"], ["𠮷田"]], header=["姓名"],
                     encoding="gb18030")
    assert rows_of(path) == [["刘䶮"], ["𠮷田"]]


def test_utf8_is_not_misread_as_gb18030() -> None:
    sample = "姓名,住址\n张三,席庄村\n".encode()
    assert detect_encoding(sample, True, ALIASES) == "utf-8"


def test_utf8_that_also_decodes_as_gb18030_stays_utf8() -> None:
    sample = "姓名\n王伟\n".encode()
    assert sample.decode("gb18030") != sample.decode()  # silent garbage as GB18030
    assert detect_encoding(sample, True, ALIASES) == "utf-8"


def test_short_gbk_file_with_known_header() -> None:
    assert detect_encoding("姓名\n王五\n".encode("gbk"), True, ALIASES) == "gb18030"


def test_explicit_encoding_overrides(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["王五"]], header=["姓名"], encoding="gb18030")
    with pytest.raises(InputError) as caught:
        rows_of(path, encoding="utf-8")
    assert caught.value.key in ("file_decode_failed", "no_name_column")


def test_unknown_encoding_name(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["王五"]], header=["姓名"])
    with pytest.raises(InputError) as caught:
        rows_of(path, encoding="klingon")
    assert caught.value.key == "encoding_unknown"


def test_title_rows_above_header(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["王五", "男"]], header=["姓名(必填)", "性别"],
                     before=[["席庄村花名册"], [""], ["填表人：李四"]])
    table = open_table(path, ALIASES)
    table.close()
    assert table.header_row == 4
    assert table.columns == {"name": 0, "sex": 1}


def test_header_variants_and_english(tmp_path: Path) -> None:
    header = ["Name", "ID Number", "Mobile", "household no", "Relationship", "Building",
              "Address", "Gender"]
    path = write_csv(tmp_path / "r.csv", [], header=header)
    assert set(columns_of(path)) == {
        "name", "id_number", "phone", "household", "relation", "group", "address", "sex"}
    zh = ["公民身份号码", "联系手机", "姓名", "家庭住址", "楼栋"]
    path = write_csv(tmp_path / "z.csv", [], header=zh)
    assert columns_of(path) == {"id_number": 0, "phone": 1, "name": 2, "address": 3, "group": 4}


def columns_of(path: Path) -> dict[str, int]:
    table = open_table(path, ALIASES)
    table.close()
    return table.columns


@pytest.mark.parametrize("content, key", [
    (b"", "file_empty"), (b"\n\n  \n", "file_empty"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00" * 50, "file_binary"),
    (b"foo,bar\n1,2\n", "no_name_column"),
    (b"PK\x03\x04garbage-not-a-zip", "file_not_table"),
])
def test_unreadable_files(tmp_path: Path, content: bytes, key: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as caught:
        rows_of(path)
    assert caught.value.key == key


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file_missing"):
        rows_of(tmp_path / "nope.csv")
    with pytest.raises(InputError, match="file_is_directory"):
        rows_of(tmp_path)


def test_size_limit(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["王五"]] * 10, header=["姓名"])
    with pytest.raises(InputError, match="file_too_large"):
        open_table(path, ALIASES, max_bytes=10)


def test_xlsx_cells_as_text_and_sniffed_by_content(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["席庄村花名册"])
    sheet.append(HEADER_ZH[:4])
    sheet.append(["NA", "女", "0371", 13800001234])
    sheet.append(["None", "男", 410171199001011234, 1.5])
    sheet.append(["张三", "男", 4.10171199001012e17, None])
    path = tmp_path / "misnamed.csv"  # a workbook renamed .csv is still read as one
    book.save(path)
    assert rows_of(path) == [["NA", "女", "0371", "13800001234"],
                             # Excel keeps 15 digits: the float spelling lets the ID
                             # check tell the clerk the column was not text.
                             ["None", "男", "4.101711990010113e+17", "1.5"],
                             # read whole, not to a declared size: no trailing blank
                             ["张三", "男", "4.10171199001012e+17"]]


def test_xlsx_sheet_choice(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "说明"
    book.active.append(["这是说明页"])
    data = book.create_sheet("一组")
    data.append(["姓名"])
    data.append(["王五"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    assert rows_of(path, sheet="一组") == [["王五"]]
    with pytest.raises(InputError) as caught:
        rows_of(path, sheet="二组")
    assert caught.value.key == "sheet_missing" and "一组" in caught.value.params["sheets"]
    with pytest.raises(InputError, match="no_name_column"):
        rows_of(path)


def test_tab_separated_unicode_text(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_bytes("姓名\t性别\n王五\t男\n".encode("utf-16"))
    assert rows_of(path) == [["王五", "男"]]


def test_xls_legacy_workbook(tmp_path: Path) -> None:
    xlwt = pytest.importorskip("xlwt")
    book = xlwt.Workbook()
    sheet = book.add_sheet("roster")
    for col, value in enumerate(["姓名", "身份证号", "电话"]):
        sheet.write(0, col, value)
    sheet.write(1, 0, "王五")
    sheet.write(1, 1, "11010519491231002X")
    sheet.write(1, 2, 13800001234.0)
    path = tmp_path / "r.xls"
    book.save(str(path))
    assert rows_of(path) == [["王五", "11010519491231002X", "13800001234"]]


def test_cell_text() -> None:
    import datetime

    assert cell_text(None) == "" and cell_text("x") == "x" and cell_text(7) == "7"
    assert cell_text(7.0) == "7" and cell_text(True) == "TRUE"
    assert cell_text(datetime.datetime(2020, 2, 3)) == "2020-02-03"
    assert cell_text(datetime.datetime(2020, 2, 3, 9, 30)) == "2020-02-03 09:30:00"


def test_bom_recognised() -> None:
    assert detect_encoding(codecs.BOM_UTF8 + "姓名".encode(), True, ALIASES) == "utf-8-sig"


def test_json_is_indented_for_people_and_compact_for_scripts() -> None:
    import json

    from epitool.report.table import to_json

    data = {"name": "张三", "counts": [1, 2]}
    assert to_json(data, pretty=True) == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    assert to_json(data, pretty=False) == '{"name": "张三", "counts": [1, 2]}\n'
    assert to_json(data) == to_json(data, pretty=False)  # pytest's stdout is not a terminal


def test_blank_rows_left_out_and_rows_numbered_as_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("姓名,性别\n王五,男\n\n,\n赵六, \n", encoding="utf-8")
    table = open_table(path, ALIASES)
    try:
        assert list(table.rows) == [(2, ["王五", "男"]), (5, ["赵六", " "])]
    finally:
        table.close()


def test_a_row_that_cannot_be_decoded_is_named(tmp_path: Path) -> None:
    # Past the sample the encoding is chosen from, so only the reading meets it
    path = tmp_path / "r.csv"
    path.write_bytes(("姓名,性别\n" + "王五,男\n" * 10_000).encode() + b"\xff\xfe,x\n")
    with pytest.raises(InputError) as caught:
        rows_of(path)
    assert (caught.value.key, caught.value.params["row"]) == ("file_decode_failed", 10_002)


def test_a_workbook_that_declares_too_small_a_size_is_read_whole(tmp_path: Path) -> None:
    """Other programs write <dimension ref=...> wrongly; the rows and columns past it are
    data all the same, never dropped."""
    import re

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER_ZH)
    for n in range(60):
        sheet.append([f"人{n}", "男", "", f"1380000{n:04d}", f"H{n}", "户主", "一组", f"{n}号"])
    built = tmp_path / "built.xlsx"
    book.save(built)
    lying = edited_workbook(built, tmp_path / "lying.xlsx", lambda xml: re.sub(
        rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:C51"/>', xml))
    rows = rows_of(lying)
    assert len(rows) == 60
    assert rows[-1] == ["人59", "男", "", "13800000059", "H59", "户主", "一组", "59号"]
