"""One row of a paper visit sheet, read into a VisitInput: words as clerks write them,
checked by the same rules (core.rules) as `visit log`."""

from __future__ import annotations

import re

from epitool.core.dates import sheet_moment
from epitool.core.normalize import clean_cell
from epitool.core.rules import NONE_WORDS, SYMPTOM_WORDS, check_outcome, parse_temperature, yes_no
from epitool.core.visits import VisitInput

_SPLIT = re.compile(r"[,，、;；/\s]+")


def cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return clean_cell(cells[index]) if index is not None and index < len(cells) else ""


def symptoms(text: str) -> tuple[tuple[str, ...], str | None]:
    """Known symptom words mapped; anything else is 'other' and kept in the note."""
    found, unknown = [], []
    for word in _SPLIT.split(text.lower()):
        if word in NONE_WORDS:
            continue
        symptom = SYMPTOM_WORDS.get(word)
        found.append(symptom or "other")
        if symptom is None:
            unknown.append(word)
    return tuple(dict.fromkeys(found)), "、".join(unknown) or None


def read_visit(cells: list[str], columns: dict[str, int], tz: str) -> VisitInput:
    at = sheet_moment(cell(cells, columns, "date"), tz)
    found, extra_note = symptoms(cell(cells, columns, "symptoms"))
    outcome_text = cell(cells, columns, "outcome")
    note = "；".join(filter(None, (cell(cells, columns, "note"), extra_note))) or None
    return VisitInput(temp=parse_temperature(cell(cells, columns, "temp"), "temp"),
                      temp2=parse_temperature(cell(cells, columns, "temp2"), "temp2"),
                      symptoms=found,
                      outcome=check_outcome(outcome_text) if outcome_text else None,
                      delivered=cell(cells, columns, "delivered") or None,
                      disinfected=yes_no(cell(cells, columns, "disinfected"), "disinfected"),
                      garbage=yes_no(cell(cells, columns, "garbage"), "garbage"),
                      note=note, by=cell(cells, columns, "by") or None, at=at)
