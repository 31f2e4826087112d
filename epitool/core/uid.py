"""Globally unique record ids: UUIDv7 (RFC 9562), so village databases merge without clashes.

Python 3.11 has no uuid7(), so it is built here. Bulk imports use RFC 9562's "fixed-length
dedicated counter" method: one random 74-bit prefix per import and a counter in the low bits,
so ids are unique, time-ordered and cheap (one format per row), and append to the uid index.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from itertools import count


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
    """Endless ids for one bulk write: a fixed prefix, then a counter from a random start."""
    head, counter = uid_block()  # 40-bit start: room for 2**48 - 2**40 rows
    try:
        from _epitool_fastrows import Uids  # epitool/_uids.c: the same ids, one object each
    except ImportError:
        return python_uid_sequence(head, counter)
    return Uids(head, counter)  # type: ignore[no-any-return]


def python_uid_sequence(head: str, counter: int) -> Iterator[str]:
    """uid_sequence without the C extension."""
    # map() rather than a generator: no Python frame per id, a million of them per import
    return map(head.__add__, map("{:012x}".format, count(counter + 1)))
