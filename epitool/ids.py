"""Globally unique record ids and the acting user: below every layer that records anything.

Ids are UUIDv7 (RFC 9562), so village databases merge without clashes. Python 3.11 has no
uuid7(), so it is built here. Bulk writes use RFC 9562's "fixed-length dedicated counter"
method: one random prefix per write and a counter in the low bits, so ids are unique,
time-ordered and cheap, and append to the uid index.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from itertools import count
from typing import NamedTuple


# NamedTuple, not a dataclass: the values are the same, and every command pays for building
# a dataclass at start-up (short commands have a start-up budget).
class Actor(NamedTuple):
    """Who is writing and through which command; `command` has ID numbers already masked."""

    who: str
    command: str
    village_code: str
    at: str
    office: bool = False  # writing in an office's database, which takes no village records


# The largest row number a database keeps (SQLite's integer, PostgreSQL's bigint)
LARGEST_ROW_NUMBER = 2**63 - 1


def row_number(text: str, *, bare: bool = False) -> int | None:
    """A record's number as a clerk types it: "#3" or "# 3" (with `bare`, also "3"), digits
    of any script, as a pattern's \\d would take them. None when the text is not one, or
    is past any row (a key held down): it then names nothing, rather than failing the
    query."""
    rest = text.strip()
    if rest.startswith("#"):
        rest = rest[1:].lstrip()
    elif not bare:
        return None
    if not rest.isdecimal() or len(rest.lstrip("0")) > 19:  # int() refuses 4,300 digits
        return None
    number = int(rest)
    return number if number <= LARGEST_ROW_NUMBER else None


def _prefix_int() -> int:
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    rand_a = rand >> 68 & 0xFFF
    rand_b_high = rand >> 48 & 0x3FFF  # 14 random bits above the 48-bit counter
    return (millis << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | (rand_b_high << 48)


def _format(value: int) -> str:
    h = f"{value:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def new_uid() -> str:
    return _format(_prefix_int() | int.from_bytes(os.urandom(6), "big"))


def uid_block() -> tuple[str, int]:
    """(head, start) for ids made in SQL as head || printf('%012x', start + n), n >= 1."""
    return _format(_prefix_int())[:24], int.from_bytes(os.urandom(5), "big")


def uid_sequence() -> Iterator[str]:
    """Endless ids for one bulk write: a fixed prefix, then a counter from a random start
    (40 bits: room for 2**48 - 2**40 rows)."""
    head, start = uid_block()
    # map() rather than a generator: no Python frame per id
    return map(head.__add__, map("{:012x}".format, count(start + 1)))
