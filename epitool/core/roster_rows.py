"""Validation of roster rows, one at a time, as data: each problem names column, value, reason.

Kept free of I/O so it runs the same in the importer's worker process, in tests and in
hypothesis properties.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from epitool.core.identity import check_id_number, clean_phone, normalize_sex, sex_from_id
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
    resident: Resident | None
    problems: list[Problem]
    legacy_id: bool


def _cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    return clean_cell(cells[index])


def household_key(household: str, head: str, group: str) -> str:
    """The household a row belongs to: its 户号, else its head's name within its group."""
    if household:
        return household
    if head:
        return f"{group}/{head}" if group else head
    return ""


def check_row(row: int, cells: list[str], columns: dict[str, int]) -> RowCheck:
    """Validate one data row; `columns` maps field name to cell index."""
    get = columns.get
    name = _cell(cells, get("name"))
    raw_id = _cell(cells, get("id_number"))
    id_number = compact(raw_id)
    problems: list[Problem] = []
    legacy = False
    sex = normalize_sex(_cell(cells, get("sex")))
    if not name:
        problems.append(Problem(row, "name", "", "name_missing"))
    if id_number:
        kind, reason = check_id_number(id_number)
        if reason:
            detail = _expected_digit(id_number) if reason == "id_bad_check" else ""
            problems.append(Problem(row, "id_number", raw_id, reason, detail))
        else:
            legacy = kind == "legacy15"
            id_sex = sex_from_id(id_number)
            if sex and sex != id_sex:
                problems.append(Problem(row, "sex", _cell(cells, get("sex")), "sex_mismatch",
                                        id_sex))
            sex = id_sex
    if sex is None:
        problems.append(Problem(row, "sex", _cell(cells, get("sex")), "sex_unknown"))
    phone, phone_problem = clean_phone(_cell(cells, get("phone")))
    if phone_problem:
        problems.append(Problem(row, "phone", _cell(cells, get("phone")), phone_problem))
    group = _cell(cells, get("group"))
    household = household_key(_cell(cells, get("household")), _cell(cells, get("head")), group)
    if name and not id_number and not household:
        problems.append(Problem(row, "id_number", "", "no_identity"))
    if problems:
        return RowCheck(None, problems, legacy)
    resident = Resident(name, sex or None, id_number or None, phone or None, household or None,
                        _cell(cells, get("relation")) or None, group or None,
                        _cell(cells, get("address")) or None)
    return RowCheck(resident, [], legacy)


def _expected_digit(number: str) -> str:
    from epitool.core.identity import expected_check_digit

    return expected_check_digit(number)
