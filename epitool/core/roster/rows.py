"""Validation of roster rows, one at a time, as data: each problem names column, value, reason.

The one definition of a valid roster row: `roster import` and `roster add` both call
check_row. Kept free of I/O so it runs the same in the import's worker process, in tests and
in hypothesis properties.
"""

from __future__ import annotations

from typing import NamedTuple

from epitool.core.normalize import clean_cell, compact
from epitool.core.rules import (
    check_id_number,
    clean_phone,
    expected_check_digit,
    normalize_sex,
    sex_from_id,
)
from epitool.errors import Problem

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


class RowCheck(NamedTuple):
    resident: Resident | None
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

    @classmethod
    def of(cls, columns: dict[str, int]) -> Layout:
        return cls(tuple(columns.get(f) for f in FIELDS))


class CleanCache(dict):  # type: ignore[type-arg]
    """Cleaned text by raw text. Sexes, relations, groups, addresses and many names repeat
    down a roster, so most cells are cleaned once per file; bounded to keep memory flat."""

    LIMIT = 200_000

    def __missing__(self, raw: str) -> str:
        text = clean_cell(raw)
        if len(self) < self.LIMIT:
            self[raw] = text
        return text


def check_row(row: int, cells: list[str], layout: Layout,
              cache: CleanCache | None = None) -> RowCheck:
    """Validate one data row: cleaned values, then each rule, problems collected."""
    clean = cache if cache is not None else CleanCache()

    def text(field: int) -> str:
        index = layout.indexes[field]
        return clean[cells[index]] if index is not None and index < len(cells) else ""

    def unique(field: int) -> str:  # ID numbers and phones: not worth caching
        index = layout.indexes[field]
        return clean_cell(cells[index]) if index is not None and index < len(cells) else ""

    name, sex_text, id_text, phone_text = text(0), text(1), unique(2), unique(3)
    household, relation, group, address, head = text(4), text(5), text(6), text(7), text(8)
    problems: list[Problem] = []
    legacy = False
    if not name:
        problems.append(Problem(row, "name", "", "reason_name_missing"))
    sex = normalize_sex(sex_text)  # None: not a word we know; a valid ID number decides
    id_number = compact(id_text)
    if id_number:
        kind, reason = check_id_number(id_number)
        if reason:
            detail = expected_check_digit(id_number) if reason == "id_bad_check" else ""
            problems.append(Problem(row, "id_number", id_text, f"reason_{reason}",
                                    {"detail": detail}))
        else:
            legacy = kind == "legacy15"
            id_sex = sex_from_id(id_number)
            if sex and sex != id_sex:
                problems.append(Problem(row, "sex", sex_text, "reason_sex_mismatch"))
            sex = id_sex
    if sex is None:
        problems.append(Problem(row, "sex", sex_text, "reason_sex_unknown"))
    phone, phone_problem = clean_phone(phone_text)
    if phone_problem:
        problems.append(Problem(row, "phone", phone_text, f"reason_{phone_problem}"))
    household = household_key(household, head, group)
    if name and not id_number and not household:
        problems.append(Problem(row, "id_number", "", "reason_no_identity"))
    if problems:
        return RowCheck(None, problems, legacy)
    return RowCheck(Resident(name, sex or None, id_number or None, phone or None,
                             household or None, relation or None, group or None,
                             address or None), problems, legacy)
