"""User data is data: text made safe for where it goes, below every layer that writes it.

safe_text: for a terminal, no escape sequences, no bidi tricks. Rich strips only a few
control codes and none of ESC, so a name holding "\\x1b[2J" would clear the clerk's screen;
it is shown as the visible text \\x1b instead.

neutralise: for a spreadsheet, no cell that Excel would run as a formula.
"""

from __future__ import annotations

from typing import Any

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_VISIBLE = {c: f"\\x{c:02x}" for c in [*list(range(32)), 127, *list(range(128, 160))]}
_VISIBLE.update({ord(c): f"\\u{ord(c):04x}" for c in _BIDI})


def safe_text(value: object) -> str:
    text = "" if value is None else str(value)
    return text if text.isprintable() and text.isascii() else text.translate(_VISIBLE)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A cell Excel would run as a formula gets a leading apostrophe (OWASP CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


_SHELL_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:+=,@")


def shell_word(text: str) -> str:
    """A value as it must be typed in a suggested command, so that pasting it runs: double
    quotes around anything but plain words ("#3" would start a comment in bash, a name with
    a space would be two arguments), with what bash expands inside them escaped."""
    if text and all(c in _SHELL_PLAIN or (c.isalnum() and not c.isascii()) for c in text) \
            and not text.startswith(("-", "=")):
        return text
    escaped = "".join("\\" + c if c in '"\\$`' else c for c in text)
    return f'"{escaped}"'
