"""Plain text for a terminal or a pipe, without Rich: messages and key/value views, the
output of a clerk's most frequent short commands. Colour only on a terminal, never with
NO_COLOR or TERM=dumb; user data made safe (textsafe) before it is printed."""

import os
import sys
import unicodedata
from collections.abc import Sequence
from typing import IO

from epitool.textsafe import safe_text

_SGR = {"bold": "1", "dim": "2", "red": "31", "green": "32", "yellow": "33"}


def colour_on(stream: IO[str]) -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return bool(os.environ.get("FORCE_COLOR")) or stream.isatty()


def styled(text: str, style: str | None, stream: IO[str]) -> str:
    """text in the style's colours ("bold red", "green" ...) where the stream shows them."""
    codes = [_SGR[word] for word in (style or "").split() if word in _SGR]
    if not codes or not colour_on(stream):
        return text
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


def width(text: str) -> int:
    """Columns a text takes on a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def write(text: str, style: str | None = None, *, stderr: bool = False) -> None:
    stream = sys.stderr if stderr else sys.stdout
    safe = "\n".join(safe_text(line) for line in text.split("\n"))
    stream.write(styled(safe, style, stream) + "\n")
    stream.flush()


def aligned(title: str, rows: Sequence[Sequence[str]]) -> None:
    """Rows of short values in aligned columns under a title: a record's "key  value"
    lines, or a few people. No borders and no header row; nothing is cut or wrapped."""
    cells = [[safe_text(value) for value in row] for row in rows]
    widths = [max((width(row[i]) for row in cells if i < len(row)), default=0)
              for i in range(max((len(row) for row in cells), default=0))]
    lines = [styled(safe_text(title), "bold", sys.stdout)]
    lines += ["  " + "  ".join(value + " " * (widths[i] - width(value))
                               for i, value in enumerate(row)).rstrip() for row in cells]
    sys.stdout.write("\n".join(lines) + "\n")
    sys.stdout.flush()
