"""Cell text as typed by clerks, made comparable: width, invisible characters, stray spaces."""

from __future__ import annotations

import functools
import re
import unicodedata

# Zero-width characters and BOMs that survive copy-paste from web pages and WeChat.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"\s+")
_NEUTRALISED = re.compile(r"^'(?=[=+\-@\t\r])")
# Anything the slow path would change besides NFKC: invisibles, and whitespace other than
# single plain spaces.
_UNUSUAL = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]|[^\\S ]|  ")


def clean_cell(value: str) -> str:
    """NFKC (full-width digits and letters, ideographic space), invisible chars out, trimmed.

    A leading apostrophe that our own CSV exports put before = + - @ is taken off again, so a
    rejects file can be fixed and re-imported as it is.
    """
    if value.isascii():
        text = value.strip()
    elif unicodedata.is_normalized("NFKC", value) and not _UNUSUAL.search(value):
        text = value.strip()  # most cells: already clean, no need to rebuild them
    else:
        text = unicodedata.normalize("NFKC", value).translate(_INVISIBLE)
        text = _SPACES.sub(" ", text).strip()
    if text.startswith("'"):
        text = _NEUTRALISED.sub("", text)
    return text


def compact(value: str) -> str:
    """For codes (ID numbers): every space removed, letters upper-cased (x -> X)."""
    if value.isalnum():
        return value.upper()
    return "".join(value.split()).upper()


def clean_cells(values: tuple[str, ...]) -> tuple[str, ...]:
    """clean_cell of each value. A row that is already clean is recognised in one pass over
    its cells joined by "|", and returned as it is: most rows of a big file are.

    isprintable() is False for control, format (zero-width, BOM, soft hyphen) and separator
    characters other than the ASCII space (U+3000, U+00A0). A space next to a "|" or at
    either end is a cell's leading or trailing space. A "|" inside a cell can only send the
    row the slow way, which is always right."""
    line = "|".join(values)
    if (line.isprintable() and (line.isascii() or unicodedata.is_normalized("NFKC", line))
            and "  " not in line and " |" not in line and "| " not in line
            and "'" not in line and line[:1] != " " and line[-1:] != " "):
        return values
    return tuple(map(clean_cell, values))


# A space beside a Chinese character (刘 伟, 刘　伟 once the ideographic space is plain): not
# part of the name, or 刘伟 would not find them. Latin names keep theirs (John Smith).
_HAN = "\u3400-\u9fff\U00020000-\U0003134f"


@functools.cache
def _cjk_space() -> re.Pattern[str]:
    # compiled on first use: the wide ranges take milliseconds every command would pay
    return re.compile(f"(?<=[{_HAN}]) +| +(?=[{_HAN}])")


def person_name(cleaned: str) -> str:
    """A name as stored and searched: a clean cell without the spaces beside Chinese
    characters."""
    return _cjk_space().sub("", cleaned) if " " in cleaned else cleaned
