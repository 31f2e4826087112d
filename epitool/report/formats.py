"""Renderers for a list of report tables: Markdown, XLSX and self-contained HTML.

User data is data in every one of them: Markdown cells are escaped, XLSX cells are typed
(never formulas), and HTML is escaped throughout.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import IO, Any

from epitool.report.table import TableData
from epitool.textsafe import safe_text

TEXT_KEYS = ("id_number", "phone", "household", "name")  # stored as text in XLSX, always


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def to_markdown(tables: Sequence[TableData], title: str) -> str:
    def md(value: Any) -> str:
        # HTML escaped too: Markdown viewers render raw HTML found in a name
        text = html.escape(safe_text(_cell(value)), quote=False)
        return text.replace("|", "\\|").replace("\n", " ")

    out = [f"# {md(title)}", ""]
    for table in tables:
        out += [f"## {md(table.title)}", ""]
        out.append("| " + " | ".join(md(c.header) for c in table.columns) + " |")
        out.append("|" + "|".join("---:" if c.justify == "right" else "---"
                                  for c in table.columns) + "|")
        out += ["| " + " | ".join(md(row.get(c.key)) for c in table.columns) + " |"
                for row in table.rows]
        out += [f"_{md(n)}_" for n in table.notes] + [""]
    return "\n".join(out)


def write_xlsx(tables: Sequence[TableData], handle: IO[bytes]) -> None:
    """A sheet per table, header frozen; ID and phone columns text; no cell a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    book.remove(book.active)
    for table, name in zip(tables, _sheet_names([t.title for t in tables])):
        sheet = book.create_sheet(name)
        sheet.append([c.header for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.data_type = "s"
        for row in table.rows:
            sheet.append([_xlsx_value(row.get(c.key)) for c in table.columns])
        for column, spec in enumerate(table.columns, start=1):
            letter = sheet.cell(row=1, column=column).column_letter
            sheet.column_dimensions[letter].width = max(10, min(40, 2 * len(spec.header) + 4))
            text = spec.key in TEXT_KEYS
            for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
                if text or isinstance(cell.value, str):
                    cell.data_type = "s"  # a string that looks like "=1+1" stays text
                    cell.number_format = "@"
        sheet.freeze_panes = "A2"
    book.save(handle)


def _xlsx_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "✓" if value else ""
    if isinstance(value, (int, float)):
        return value
    return safe_text(value)


def _sheet_names(titles: Sequence[str]) -> list[str]:
    """Sheet names as Excel takes them: its 31 characters at most (cut at a word where there
    is one), none of []:*?/\\, each different; a number only to tell two apart."""
    bad = str.maketrans({c: " " for c in "[]:*?/\\"})
    names: list[str] = []
    for index, title in enumerate(titles):
        name = " ".join(title.translate(bad).split()) or f"Sheet{index + 1}"
        if len(name) > 31:
            cut = name[:31]
            name = cut.rsplit(" ", 1)[0] if " " in cut else cut
        base, n = name, 2
        while name.lower() in (m.lower() for m in names):
            name = f"{base[:31 - len(str(n)) - 1]} {n}"
            n += 1
        names.append(name)
    return names


HTML_STYLE = """
@page { size: A4; margin: 14mm; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       color: #222; margin: 0 auto; max-width: 190mm; font-size: 10.5pt; }
h1 { font-size: 16pt; margin: 0 0 2mm; } h2 { font-size: 12pt; margin: 6mm 0 2mm; }
.meta { color: #555; margin-bottom: 4mm; }
table { border-collapse: collapse; width: 100%; page-break-inside: auto; }
th, td { border: 1px solid #bbb; padding: 1.2mm 1.8mm; text-align: left; }
th { background: #eef2f6; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; background: #f7f7f7; }
tr { page-break-inside: avoid; } .alert td { color: #b00020; }
.chart { margin: 3mm 0; } .note { color: #666; font-size: 9pt; }
.scroll { overflow-x: auto; } .chart svg { max-width: 100%; height: auto; }
table.narrow { display: none; }
@media screen and (max-width: 600px) {
  body { font-size: 10pt; padding: 0 2mm; }
  table.wide { display: none; } table.narrow { display: table; }
}
"""
# A table wider than this many columns gets a second, turned form (one row per measure)
# for a phone's width; print and wide screens keep the wide one.
TURN_AFTER_COLUMNS = 8


def _turned(table: TableData) -> str:
    """The table turned for a phone: a row per column of the wide one, a column per row."""
    e = html.escape
    first, *measures = table.columns
    head = "".join(f"<th>{e(_cell(row.get(first.key)))}</th>" for row in table.rows)
    body = "".join(
        f"<tr><th>{e(c.header)}</th>" + "".join(
            f"<td class=num>{e(_cell(row.get(c.key)))}</td>" for row in table.rows) + "</tr>"
        for c in measures)
    return (f'<table class="narrow"><thead><tr><th>{e(first.header)}</th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>")


def to_html(tables: Sequence[TableData], title: str, meta: str, chart_svg: str = "",
            alert_titles: Sequence[str] = ()) -> str:
    """One self-contained page: inline style and chart, no scripts, no network."""
    e = html.escape
    parts = ["<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{e(title)}</title><style>{HTML_STYLE}</style></head><body>",
             f"<h1>{e(title)}</h1>", f'<div class="meta">{e(meta)}</div>']
    if chart_svg:
        parts.append(f'<div class="chart">{chart_svg}</div>')
    for table in tables:
        turned = len(table.columns) > TURN_AFTER_COLUMNS
        classes = " ".join(filter(None, ("alert" if table.title in alert_titles else "",
                                         "wide" if turned else "")))
        parts.append(f'<h2>{e(table.title)}</h2><div class="scroll">'
                     f'<table{f" class={chr(34)}{classes}{chr(34)}" if classes else ""}>'
                     "<thead><tr>")
        parts += [f"<th>{e(c.header)}</th>" for c in table.columns]
        parts.append("</tr></thead><tbody>")
        for row in table.rows:
            total = ' class="total"' if row.get("_total") else ""
            parts.append(f"<tr{total}>" + "".join(
                f'<td{" class=num" if c.justify == "right" else ""}>{e(_cell(row.get(c.key)))}'
                "</td>" for c in table.columns) + "</tr>")
        parts.append("</tbody></table>")
        if turned:
            parts.append(_turned(table))
        parts.append("</div>")
        parts += [f'<p class="note">{e(n)}</p>' for n in table.notes]
    parts.append("</body></html>")
    return "\n".join(parts)
