"""Validation of roster rows, one at a time, as data: each problem names column, value, reason.

The one definition of a valid roster row: `roster import` and `roster add` both call
check_row. Kept free of I/O so it runs the same in the import's worker process, in tests and
in hypothesis properties.
"""

from __future__ import annotations

from typing import NamedTuple

from epitool.core.layout import Layout
from epitool.core.normalize import compact, person_name
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


def household_key(household: str, head: str, group: str) -> str:
    """The household a row belongs to: its 户号, else its head's name within its group."""
    if household:
        return household
    if head:
        return f"{group}/{head}" if group else head
    return ""


def check_row(row: int, cells: list[str], layout: Layout) -> Resident | list[Problem]:
    """Validate one data row (its cells in FIELDS order, by `layout`): cleaned values, then
    each rule. The resident, or every problem the row has."""
    (name, sex_text, id_text, phone_text, household, relation, group, address,
     head) = layout.read(cells)
    name = person_name(name)
    problems: list[Problem] = []
    if not name:
        problems.append(Problem(row, "name", "", "reason_name_missing"))
    sex = normalize_sex(sex_text)  # None: not a word we know; a valid ID number decides
    id_number = compact(id_text)
    if id_number:
        reason = check_id_number(id_number)[1]
        if reason:
            detail = expected_check_digit(id_number) if reason == "id_bad_check" else ""
            problems.append(Problem(row, "id_number", id_text, f"reason_{reason}",
                                    {"detail": detail}))
        else:
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
        return problems
    return Resident._make((name, sex or None, id_number or None, phone or None,
                           household or None, relation or None, group or None, address or None))
