"""A report table: built once as data, rendered by whichever format was asked for."""

from __future__ import annotations

from typing import Any, NamedTuple


class Column(NamedTuple):  # immutable; cheaper to define than a frozen dataclass
    key: str  # stable English snake_case, the JSON/CSV key
    header: str  # in the user's language, for tables
    justify: str = "left"
    no_wrap: bool = False  # codes and names: a wrapped ID number is unreadable


class TableData:
    """A plain class, not a dataclass: a dataclass is generated at every start-up."""

    def __init__(self, title: str, columns: list[Column], rows: list[dict[str, Any]],
                 notes: list[str] | None = None) -> None:
        self.title = title
        self.columns = columns
        self.rows = rows
        self.notes = [] if notes is None else notes


def to_json(data: Any, *, pretty: bool | None = None) -> str:
    """Indented for a person at a terminal; compact for scripts and files, which also lets
    Python use its C encoder (indent forces the pure-Python one: 10x slower on a district's
    daily report)."""
    import json
    import sys

    if pretty is None:
        pretty = sys.stdout.isatty()
    return json.dumps(data, ensure_ascii=False, indent=2 if pretty else None,
                      default=str) + "\n"


def table_json(table: TableData) -> str:
    keys = [c.key for c in table.columns]
    return to_json([{k: row.get(k) for k in keys} for row in table.rows])


def table_csv(table: TableData) -> str:
    import csv
    import io

    from epitool.textsafe import neutralise

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([c.key for c in table.columns])
    for row in table.rows:
        writer.writerow([neutralise("" if row.get(c.key) is None else row.get(c.key))
                         for c in table.columns])
    return buffer.getvalue()


def table_rich(table: TableData, *, breakable: bool = False) -> Any:
    """A Rich renderable; cells are Text objects, so user data is never read as markup.
    `breakable`: a narrow terminal's table, where a list (甲、乙) may wrap between its items
    (Rich breaks lines at spaces only; a Chinese run without one it cuts anywhere)."""
    from rich.table import Table
    from rich.text import Text

    from epitool.textsafe import safe_text

    rich_table = Table(title=safe_text(table.title), title_justify="left")
    for column in table.columns:
        rich_table.add_column(Text(safe_text(column.header)),
                              justify=column.justify,  # type: ignore[arg-type]
                              overflow="fold", no_wrap=column.no_wrap)
    for row in table.rows:
        rich_table.add_row(*(Text(_cell(row.get(c.key), breakable and not c.no_wrap))
                             for c in table.columns))
    return rich_table


def _cell(value: Any, breakable: bool) -> str:
    from epitool.textsafe import safe_text

    text = safe_text("" if value is None else value)
    return text.replace("、", "、 ") if breakable else text


def fitted(table: TableData, width: int) -> tuple[TableData, list[str]]:
    """The table with as many of its columns, first ones first, as fit `width` terminal
    cells without any of them squeezed to nothing (Rich would leave such a column blank):
    codes and names (no_wrap) at full width, other text at up to 8 cells a line. The
    headers of the columns left out are returned, to be said."""
    from rich.cells import cell_len

    def whole(column: Column) -> Column:
        """Short words (a status, 建立数据库, a date) are never split: kept on one line."""
        widest = max([cell_len(str(r.get(column.key) or "")) for r in table.rows] or [0])
        return column._replace(no_wrap=True) if widest <= SHORT else column

    def need(column: Column) -> int:
        widest = max([cell_len(str(r.get(column.key) or "")) for r in table.rows] or [0])
        text = widest if column.no_wrap else min(widest, 8)
        return max(cell_len(column.header) if column.no_wrap else min(cell_len(column.header),
                                                                       8), text, 1) + 3
    kept: list[Column] = []
    used = 1
    for column in map(whole, table.columns):
        cost = need(column)
        if kept and used + cost > width:
            break
        kept.append(column)
        used += cost
    hidden = [c.header for c in table.columns[len(kept):]]
    return TableData(table.title, kept, table.rows, table.notes), hidden


SHORT = 12  # terminal cells: a value this wide or narrower is a word, not a sentence
