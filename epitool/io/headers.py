"""Matching a sheet's header row to fields through the configured aliases."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

SCAN_ROWS = 30  # title rows, notes and blank lines above the header in government sheets


def match_headers(cells: Sequence[str], aliases: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Field -> column index for the cells that are known headers; first match wins."""
    lookup: dict[str, str] = {}
    for fieldname, names in aliases.items():
        for alias in names:
            lookup.setdefault(alias, fieldname)
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        known = lookup.get(normalize_header(cell)) if cell else None
        if known and known not in found:
            found[known] = index
    return found


def find_header(rows: Sequence[Sequence[str]], aliases: Mapping[str, Sequence[str]],
                required: str = "name") -> tuple[int, dict[str, int]] | None:
    """The first of the leading rows that names the required field, with its mapping."""
    for index, cells in enumerate(rows[:SCAN_ROWS]):
        columns = match_headers(cells, aliases)
        if required in columns:
            return index, columns
    return None


def mentions_known_header(text: str, aliases: Mapping[str, Sequence[str]]) -> bool:
    """Cheap check used to choose between encodings that both decode strictly."""
    folded = text.lower()
    return any(alias in folded for names in aliases.values() for alias in names
               if len(alias) >= 2)


def normalize_header(text: str) -> str:
    """Header text as compared with aliases: width, case, spaces, marks and notes removed."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[(\[【].*?[)\]】]", "", text)  # 身份证号(必填)
    return re.sub(r"[\s*:：_\-\u200b\ufeff]+", " ", text).strip().replace(" ", "")
