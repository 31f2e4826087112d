"""Printing: results to stdout, messages to stderr, colour only on a terminal, data never
read as markup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from epitool.cli.context import AppContext
from epitool.report.table import TableData, table_csv, table_json, table_rich

TABLE_FORMATS = ("table", "json", "csv")


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    # markup/emoji off: names like "[bold]" or ":smile:" are data, not instructions.
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False,
                   soft_wrap=False)


def say(text: str, style: str | None = None, *, stderr: bool = False) -> None:
    from rich.text import Text

    from epitool.report.safe import safe_text

    # soft_wrap: paths and commands in messages must survive copy and paste whole.
    console(stderr).print(Text(safe_text_lines(text, safe_text), style=style or ""),
                          soft_wrap=True)


def safe_text_lines(text: str, safe: Any) -> str:
    return "\n".join(safe(line) for line in text.split("\n"))


def error(text: str) -> None:
    say(text, "bold red", stderr=True)


def emit_text(text: str, output: Path | None, force: bool = False) -> None:
    """Machine output to stdout, or to a new private file."""
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from epitool.io.writers import open_private

    with open_private(output, overwrite=force) as handle:
        handle.write(text)


def emit_table(app: AppContext, table: TableData, fmt: str, output: Path | None,
               force: bool = False) -> None:
    if fmt == "json":
        emit_text(table_json(table), output, force)
    elif fmt == "csv":
        emit_text(table_csv(table), output, force)
    elif output is not None:
        from io import StringIO

        from rich.console import Console

        buffer = StringIO()
        Console(file=buffer, width=160, color_system=None, markup=False, emoji=False,
                highlight=False).print(table_rich(table))
        emit_text(buffer.getvalue(), output, force)
    else:
        console().print(table_rich(table))
        for note in table.notes:
            say(note, "dim")
