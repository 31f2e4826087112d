"""Printing: results to stdout, messages to stderr, colour only on a terminal, data never
read as markup; and the one set of output options every listing and report takes."""

import functools
import inspect
import sys
import typing
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Optional

import typer

from epitool.cli.context import AppContext

if TYPE_CHECKING:  # the renderers load with the first table: a command that prints a line
    from epitool.report.table import TableData  # does without them

LISTING_FORMATS = ("table", "json", "csv", "xlsx")
REPORT_FORMATS = (*LISTING_FORMATS, "md", "html")


class OutputOptions(NamedTuple):
    """--format, --output and --force, as one value."""

    fmt: str = "table"
    output: Path | None = None
    force: bool = False
    wide: bool = False  # every column at full width on a terminal: lines longer than it


def output_options(command: Callable[..., Any] | None = None, *,
                   formats: tuple[str, ...] = LISTING_FORMATS) -> Any:
    """Give a command --format (a closed choice: anything else is a usage error, exit 2),
    --output/-o, --force and --wide, handed to it as one OutputOptions in its `out`
    parameter. A
    parameter annotated AppContext receives the command's context (Typer's stays hidden)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        hints = typing.get_type_hints(func, include_extras=True)
        params = inspect.signature(func).parameters
        context = next((name for name in params if hints.get(name) is AppContext), None)
        keyword = inspect.Parameter.KEYWORD_ONLY
        kept = [p.replace(annotation=hints.get(p.name, p.annotation))
                for p in params.values() if p.name not in ("out", context)]
        if context:
            kept.insert(0, inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                             annotation=typer.Context))
        added = [
            inspect.Parameter("fmt", keyword, annotation=Literal[formats],
                              default=typer.Option(formats[0], "--format",
                                                   help=" | ".join(formats))),
            inspect.Parameter("output", keyword, annotation=Optional[Path],
                              default=typer.Option(None, "--output", "-o",
                                                   help="Write to a new file (mode 0600).")),
            inspect.Parameter("force", keyword, annotation=bool,
                              default=typer.Option(False, "--force",
                                                   help="Replace an existing --output file.")),
            inspect.Parameter("wide", keyword, annotation=bool,
                              default=typer.Option(False, "--wide",
                                                   help="Every column at full width, in "
                                                        "lines longer than the terminal.")),
        ]

        @functools.wraps(func)
        def command_with_options(*args: Any, fmt: str, output: Path | None, force: bool,
                                 wide: bool, **kwargs: Any) -> Any:
            if context:
                kwargs[context] = kwargs.pop("ctx").obj
            return func(*args, out=OutputOptions(fmt, output, force, wide), **kwargs)

        del command_with_options.__wrapped__  # Typer reads the signature below instead
        signature = inspect.Signature([*kept, *added])
        command_with_options.__signature__ = signature  # type: ignore[attr-defined]
        command_with_options.__annotations__ = {
            p.name: p.annotation for p in signature.parameters.values()}
        return command_with_options

    return decorate(command) if command is not None else decorate


def listing(group: typer.Typer, name: str, *,
            formats: tuple[str, ...] = LISTING_FORMATS) -> Callable[..., Any]:
    """Declare `name` in `group` as a listing: a command with output_options."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        return group.command(name)(output_options(func, formats=formats))

    return decorate


def console(stderr: bool = False, *, unwrapped: bool = False) -> Any:
    import os

    from rich.console import Console

    # markup/emoji off: names like "[bold]" or ":smile:" are data, not instructions. Off a
    # terminal (a pipe, cron, > file) nothing is wrapped: the lines are as long as they are.
    stream = sys.stderr if stderr else sys.stdout
    wide = None if (stream.isatty() or os.environ.get("COLUMNS")) and not unwrapped else 10_000
    return Console(stderr=stderr, markup=False, emoji=False, highlight=False,
                   soft_wrap=False, width=wide)


def say(text: str, style: str | None = None, *, stderr: bool = False) -> None:
    """A message: plain text (Rich is for tables), coloured only on a terminal."""
    from epitool.cli.plain import write

    write(text, style, stderr=stderr)


def error(text: str) -> None:
    say(text, "bold red", stderr=True)


def emit_text(text: str, output: Path | None, force: bool = False, *,
              bom: bool = False) -> None:
    """Machine output to stdout, or to a new private file. On a terminal, control
    characters in the data (escape sequences, bidi overrides) are shown, not obeyed."""
    if output is None:
        if _on_terminal():
            from epitool.textsafe import safe_text

            text = "\n".join(safe_text(line) for line in text.split("\n"))
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from epitool.io.writers import open_private

    with open_private(output, overwrite=force, bom=bom) as handle:
        handle.write(text)
    _wrote(output)


# The language of this run's messages: set once the global options are read (app.py)
LANGUAGE = {"lang": "zh"}


def _wrote(path: Path) -> None:
    """Every file written is named, on stderr (stdout stays the data's), for a person at a
    terminal: a cron job that writes its report stays silent, so cron mails nothing."""
    from epitool.i18n import translate

    if not sys.stderr.isatty():
        return
    size = path.stat().st_size
    shown = f"{size / 1024:.0f} KB" if size >= 1024 else f"{size} B"
    say(translate(LANGUAGE["lang"], "file_written", path=str(path), size=shown), "green",
        stderr=True)


def _on_terminal() -> bool:
    return sys.stdout.isatty()


def emit_binary(out: OutputOptions, write: Callable[[Any], None]) -> None:
    """A binary format (xlsx, png): only to a file."""
    from epitool.errors import InputError
    from epitool.io.writers import open_private

    if out.output is None:
        raise InputError("output_needed")
    with open_private(out.output, overwrite=out.force, binary=True) as handle:
        write(handle)
    _wrote(out.output)


def emit_table(app_: AppContext, table: "TableData", out: OutputOptions) -> None:
    """One table in the format asked for."""
    from epitool.report.table import table_csv, table_json, table_rich

    if out.fmt == "json":
        emit_text(table_json(table), out.output, out.force)
    elif out.fmt == "csv":
        emit_text(table_csv(table), out.output, out.force, bom=True)
    elif out.fmt == "xlsx":
        from epitool.report.formats import write_xlsx

        emit_binary(out, lambda handle: write_xlsx([table], handle))
    elif out.output is not None:
        from io import StringIO

        from rich.console import Console

        buffer = StringIO()
        Console(file=buffer, width=160, color_system=None, markup=False, emoji=False,
                highlight=False).print(table_rich(table))
        emit_text(buffer.getvalue(), out.output, out.force)
    elif not table.rows:  # in words, not an empty frame
        say(app_.t("nothing_listed", title=table.title))
    else:
        print_table(app_, table, wide=out.wide)


def print_table(app_: AppContext, table: "TableData", *, wide: bool) -> None:
    """A table on the screen: on a terminal, the columns that fit whole (the others named);
    with --wide or off a terminal, every column, lines as long as they are."""
    from epitool.report.table import fitted, table_rich

    screen = console(unwrapped=wide)
    fit, hidden = (fitted(table, screen.width) if screen.is_terminal and not wide
                   else (table, []))
    screen.print(table_rich(fit, breakable=bool(hidden) or fit is not table))
    for note in table.notes:
        say(note, "dim")
    if hidden:
        from epitool.i18n import listed

        say(app_.t("columns_hidden", columns=listed(app_.lang, hidden)), "dim")


def to_minute(moment: object) -> str:
    """A stored time (2026-12-02T11:39:42+08:00) as people read it with its date:
    2026-12-02 11:39; nothing for none."""
    return str(moment or "")[:16].replace("T", " ")


# key -> the message keys that name its codes for a person
_CODE_WORDS = {"finding": "finding_{}", "missing": "check_{}", "kind": "pass_kind_{}",
               "action": "action_{}"}


def shown(app_: AppContext, key: str, value: object) -> object:
    """A value as a person reads it: yes for true, a time as 02-03 08:00, a code as its
    word (checklist items, findings, kinds) in the user's language."""
    if isinstance(value, bool) or (key in ("ready", "quarantined", "revoked_flag")
                                   and value in (0, 1)):
        return app_.t("yes") if value else ""
    if isinstance(value, str):
        if len(value) >= 16 and value[4:5] == "-" and value[10:11] == "T":
            return f"{value[5:10]} {value[11:16]}"
        if key == "target" and ":" in value:  # an audit's target: visits:uid is 走访 uid
            table, _, uid = value.partition(":")
            return f"{_word(app_, f'target_{table}')} {uid}"
        if key in _CODE_WORDS and value:
            from epitool.i18n import listed

            return listed(app_.lang, [_word(app_, _CODE_WORDS[key].format(code))
                                      for code in value.split(",")])
    return value


def _word(app_: AppContext, key: str) -> str:
    """A code's word; a code without one (an audit action of a later version) as it is."""
    word = app_.t(key.replace(".", "_"))
    return key.split("_", 1)[1] if word == key.replace(".", "_") else word
