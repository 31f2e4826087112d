"""Names in the order a clerk counts them: 一组 < 二组 < … < 十组 < 十一组, 2组 < 10组.

Code-point order puts 三组 before 二组 and 十一组 before 二组; numbers written in Chinese or
in digits are compared as numbers instead.
"""

from __future__ import annotations

import re
from functools import lru_cache

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_NUMBER = re.compile(r"\d+|[零〇一二两三四五六七八九十百千]+")


def chinese_number(text: str) -> int:
    """一 1, 十 10, 十一 11, 二十 20, 一百零五 105; digits read one by one otherwise (二〇二〇)."""
    if not any(c in _UNITS for c in text):
        value = 0
        for c in text:
            value = value * 10 + _DIGITS[c]
        return value
    total, digit = 0, 0
    for c in text:
        if c in _DIGITS:
            digit = _DIGITS[c]
        else:
            total += (digit or 1) * _UNITS[c]
            digit = 0
    return total + digit


@lru_cache(maxsize=8192)  # a report sorts tens of thousands of people by a few groups
def natural_key(name: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key: the text's numbers (Chinese or digits) as numbers, the rest as text."""
    key: list[tuple[int, int | str]] = []
    at = 0
    for match in _NUMBER.finditer(name):
        if match.start() > at:
            key.append((1, name[at:match.start()]))
        part = match.group()
        key.append((0, int(part) if part.isdigit() else chinese_number(part)))
        at = match.end()
    if at < len(name):
        key.append((1, name[at:]))
    return tuple(key)
