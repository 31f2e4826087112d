"""The roster template clerks fill in: expected columns, ID column as text, one sample row."""

from __future__ import annotations

from pathlib import Path

from epitool.errors import InputError
from epitool.io.writers import open_private, write_csv

HEADERS = {
    "zh": ["姓名", "性别", "身份证号", "联系电话", "户号", "与户主关系", "村组", "住址"],
    "en": ["name", "sex", "id number", "phone", "household", "relation", "group", "address"],
}
# The sample row's name starts with EXAMPLE_MARKS (as cleaned): an import skips it, whether
# or not the clerk deleted it (core.roster.source).
EXAMPLE_MARKS = ("示例:", "example:")
SAMPLE = {
    "zh": ["示例：张三", "男", "110105194912310011", "13800001234", "001", "户主", "一组",
           "一组 1 号"],
    "en": ["Example: Zhang San", "M", "110105194912310011", "13800001234", "001", "head", "group 1",
           "No. 1, group 1"],
}
TEXT_COLUMNS = ("C", "D", "E")  # ID, phone, household: text, or Excel eats digits


def write_template(out: Path, lang: str, *, overwrite: bool = False) -> None:
    suffix = out.suffix.lower()
    headers, sample = HEADERS[lang], SAMPLE[lang]
    if suffix == ".csv":
        with open_private(out, overwrite=overwrite, bom=True) as handle:
            write_csv(handle, headers, [sample])
    elif suffix == ".xlsx":
        _write_xlsx(out, headers, sample, overwrite)
    else:
        raise InputError("output_bad_suffix", path=str(out))


def _write_xlsx(out: Path, headers: list[str], sample: list[str], overwrite: bool) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "花名册" if headers[0] == "姓名" else "roster"
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in TEXT_COLUMNS:
        sheet.column_dimensions[letter].number_format = "@"
        sheet.column_dimensions[letter].width = 22
    sheet.append(sample)
    for row in range(2, 1002):  # pre-format the rows clerks will type into
        for letter in TEXT_COLUMNS:
            sheet[f"{letter}{row}"].number_format = "@"
    sheet.freeze_panes = "A2"
    with open_private(out, overwrite=overwrite, binary=True) as handle:
        book.save(handle)
