"""One row of a paper visit sheet, read into a VisitInput: words as clerks write them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from epitool.core.dates import parse_datetime
from epitool.core.normalize import clean_cell
from epitool.core.visits import OUTCOMES, SYMPTOMS, VisitInput, check_temperature
from epitool.errors import InputError

SYMPTOM_WORDS = {"发热": "fever", "发烧": "fever", "咳嗽": "cough", "乏力": "fatigue",
                 "咽痛": "sore-throat", "嗓子疼": "sore-throat", "腹泻": "diarrhea",
                 "气促": "breathless", "呼吸困难": "breathless", "胸闷": "breathless",
                 **{s: s for s in SYMPTOMS}}
NONE_WORDS = {"", "无", "否", "正常", "没有", "none", "no", "-", "/"}
YES_WORDS = {"是", "已", "已消毒", "√", "✓", "1", "y", "yes", "true"}
NO_WORDS = {"否", "未", "无", "×", "0", "n", "no", "false", ""}
OUTCOME_WORDS = {"正常": "seen-ok", "见面正常": "seen-ok", "异常": "seen-not-ok",
                 "见面异常": "seen-not-ok", "未见": "missed", "未见到": "missed",
                 "未走访": "not-attempted", **{o: o for o in OUTCOMES}}
_DEGREES = re.compile(r"\s*(°C|℃|度|c)$", re.IGNORECASE)
_SPLIT = re.compile(r"[,，、;；/\s]+")


class RowProblem(Exception):
    """A row-level problem: an i18n key and its parameters, for the rejects file."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return clean_cell(cells[index]) if index is not None and index < len(cells) else ""


def temperature(text: str, option: str) -> float | None:
    if not text:
        return None
    try:
        value = float(_DEGREES.sub("", text))
    except ValueError:
        raise RowProblem("row_bad_temp", value=text) from None
    try:
        check_temperature(value, option)
    except InputError as exc:
        raise RowProblem(exc.key, **exc.params) from None
    return value


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


def yes_no(text: str, column: str) -> bool:
    value = text.lower()
    if value in YES_WORDS:
        return True
    if value in NO_WORDS:
        return False
    raise RowProblem("row_bad_yes_no", column=column, value=text)


def row_moment(cells: list[str], columns: dict[str, int], tz: str) -> datetime:
    """The row's date (and time) column, read in the office's timezone."""
    when = cell(cells, columns, "date")
    if not when:
        raise RowProblem("row_no_date")
    try:
        return parse_datetime(when, tz)
    except InputError as exc:
        raise RowProblem(exc.key, **exc.params) from None


def read_visit(cells: list[str], columns: dict[str, int], tz: str) -> VisitInput:
    at = row_moment(cells, columns, tz)
    found, extra_note = symptoms(cell(cells, columns, "symptoms"))
    outcome_text = cell(cells, columns, "outcome").lower()
    outcome = OUTCOME_WORDS.get(outcome_text) if outcome_text else None
    if outcome_text and outcome is None:
        raise RowProblem("visit_bad_outcome", outcome=outcome_text,
                         outcomes=" | ".join(OUTCOMES))
    note = "；".join(filter(None, (cell(cells, columns, "note"), extra_note))) or None
    return VisitInput(temp=temperature(cell(cells, columns, "temp"), "temp"),
                      temp2=temperature(cell(cells, columns, "temp2"), "temp2"),
                      symptoms=found, outcome=outcome,
                      delivered=cell(cells, columns, "delivered") or None,
                      disinfected=yes_no(cell(cells, columns, "disinfected"), "disinfected"),
                      garbage=yes_no(cell(cells, columns, "garbage"), "garbage"),
                      note=note, by=cell(cells, columns, "by") or None, at=at)
