"""Validation of roster rows, one at a time, as data: each problem names column, value, reason.

Kept free of I/O so it runs the same in the importer's worker process, in tests and in
hypothesis properties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from epitool.core.identity import (
    SEX_WORDS,
    check_id_number,
    clean_phone,
    normalize_sex,
    sex_from_id,
)
from epitool.core.normalize import clean_cell, compact

FIELDS = ("name", "sex", "id_number", "phone", "household", "relation", "group", "address",
          "head")


class Resident(NamedTuple):
    """A validated roster row, in the column order of the residents insert."""

    name: str
    sex: str | None
    id_number: str | None
    phone: str | None
    household_no: str | None
    relation: str | None
    group_name: str | None
    address: str | None


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    value: str
    reason: str  # i18n key
    detail: str = ""


class RowCheck(NamedTuple):
    resident: tuple[str | None, ...] | None  # Resident's fields, as a plain tuple for speed
    problems: list[Problem]
    legacy_id: bool


def household_key(household: str, head: str, group: str) -> str:
    """The household a row belongs to: its 户号, else its head's name within its group."""
    if household:
        return household
    if head:
        return f"{group}/{head}" if group else head
    return ""


class Layout(NamedTuple):
    """Where each field sits in a data row, resolved once per file."""

    indexes: tuple[int | None, ...]  # in FIELDS order
    width: int

    @classmethod
    def of(cls, columns: dict[str, int]) -> Layout:
        indexes = tuple(columns.get(f) for f in FIELDS)
        return cls(indexes, max((i for i in indexes if i is not None), default=-1) + 1)


class CleanCache(dict):  # type: ignore[type-arg]
    """Cleaned text by raw text. Sexes, relations, groups, addresses and many names repeat
    down a roster, so most cells are cleaned once per file; bounded to keep memory flat."""

    LIMIT = 200_000

    def __missing__(self, raw: str) -> str:
        text = clean_cell(raw)
        if len(self) < self.LIMIT:
            self[raw] = text
        return text


def _plain(raw: str) -> str:
    """Unique values (IDs, phones): not worth caching; mostly plain ASCII."""
    return raw.strip() if raw.isascii() else clean_cell(raw)


def check_row(row: int, cells: list[str], layout: Layout,
              cache: CleanCache | None = None) -> RowCheck:
    """Validate one data row: cleaned values, then each rule, problems collected.

    This runs a million times per large import, hence plain tuples and early exits.
    """
    if len(cells) < layout.width:
        cells = cells + [""] * (layout.width - len(cells))
    clean = cache if cache is not None else CleanCache()
    i_name, i_sex, i_id, i_phone, i_hh, i_rel, i_group, i_addr, i_head = layout.indexes
    name = "" if i_name is None else clean[cells[i_name]]
    sex_text = "" if i_sex is None else clean[cells[i_sex]]
    id_text = "" if i_id is None else _plain(cells[i_id])
    phone_text = "" if i_phone is None else _plain(cells[i_phone])
    group = "" if i_group is None else clean[cells[i_group]]
    sex = SEX_WORDS.get(sex_text) if sex_text else ""
    problems: list[Problem] = []
    legacy = False
    if not name:
        problems.append(Problem(row, "name", "", "name_missing"))
    id_number = (id_text.upper() if id_text.isalnum() else compact(id_text)) if id_text else ""
    if id_number:
        kind, reason = check_id_number(id_number)
        if reason:
            detail = _expected_digit(id_number) if reason == "id_bad_check" else ""
            problems.append(Problem(row, "id_number", id_text, reason, detail))
        else:
            legacy = kind == "legacy15"
            id_sex = sex_from_id(id_number)
            if sex and sex != id_sex:
                problems.append(Problem(row, "sex", sex_text, "sex_mismatch", id_sex))
            sex = id_sex
    if sex is None:
        sex = normalize_sex(sex_text)  # the rarer spellings: "Male", "F"
        if sex is None:
            problems.append(Problem(row, "sex", sex_text, "sex_unknown"))
    phone, phone_problem = clean_phone(phone_text) if phone_text else ("", None)
    if phone_problem:
        problems.append(Problem(row, "phone", phone_text, phone_problem))
    household = "" if i_hh is None else clean[cells[i_hh]]
    if not household and i_head is not None:
        household = household_key("", clean[cells[i_head]], group)
    if name and not id_number and not household:
        problems.append(Problem(row, "id_number", "", "no_identity"))
    if problems:
        return RowCheck(None, problems, legacy)
    return RowCheck((name, sex or None, id_number or None, phone or None, household or None,
                     (clean[cells[i_rel]] or None) if i_rel is not None else None,
                     group or None,
                     (clean[cells[i_addr]] or None) if i_addr is not None else None),
                    problems, legacy)


def _expected_digit(number: str) -> str:
    from epitool.core.identity import expected_check_digit

    return expected_check_digit(number)
