"""The import's hot loop. Accepts the common, clean row inline; any row it is not sure
about goes to roster_rows.check_row, the one reference for what is valid and why not.
A property test holds the two to the same answers.

Valid rows leave as one flat list of fields per batch (FIELDS_PER_ROW at a time) rather than
a tuple per row: sending it to the parent process is several times cheaper, and the parent
binds it as it is, many rows to an INSERT (store.bulk.insert_flat). At a million rows per
import this is seconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from epitool.core.worker import FlatTransfer
from epitool.core.identity import _birth_dates, birth_date_range
from epitool.core.normalize import SEPARATOR, clean_as_is
from epitool.core.roster_households import NewHouseholds
from epitool.core.roster_rows import CleanCache, Layout, Problem, check_row

try:
    import _epitool_fastrows as _fastrows  # epitool/_fastrows.c
except ImportError:  # built without a C compiler: the Python loop below gives the same rows
    _fastrows = None

_CHECK = "0123456789X"  # python-stdnum's formula below yields the check value itself
_MOBILE_SECOND = frozenset("3456789")
_SEXES = {"男": "M", "女": "F", "": ""}
FIELDS_PER_ROW = 9  # uid, then the 8 fields of roster_rows.Resident


@dataclass
class Rejected:
    row: int
    cells: list[str]
    problems: list[Problem]


@dataclass
class Batch(FlatTransfer):
    """Valid rows flattened: uid, name, sex, id_number, phone, household, relation, group,
    address, uid, name, ... Rows that turn out to exist already leave their uid unused.
    With them, the households they name first (roster_households.NewHouseholds' lists)."""

    MARSHALLED = ("flat", "households", "heads")

    flat: list[str | None] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    legacy_ids: int = 0
    done: int = 0
    households: list[str | None] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)

    def new_households(self) -> NewHouseholds:
        return NewHouseholds(self.households, self.heads)

    def rows(self) -> Iterator[tuple[str | None, ...]]:
        return zip(*[iter(self.flat)] * FIELDS_PER_ROW)

    def __len__(self) -> int:
        return len(self.flat) // FIELDS_PER_ROW + len(self.rejected)


class Deduplicator:
    """Remembers the first row of each person; ID numbers kept as ints to halve memory."""

    def __init__(self) -> None:
        self.first_seen: dict[object, int] = {}

    def earlier(self, key: object, number: int) -> int | None:
        first = self.first_seen.setdefault(key, number)
        return None if first == number else first


def id_key(number: str) -> int:
    """Injective, and under 2**63 (as _fastrows computes it); 15-digit ones negative."""
    if len(number) == 18:
        return int(number[:17]) * 16 + _CHECK.index(number[17])
    return -int(number) - 1


def fill_batch(rows: Iterator[tuple[int, list[str]]], layout: Layout, cache: CleanCache,
               uids: Iterator[str], seen: Deduplicator, limit: int) -> Batch:
    """Up to `limit` rows from `rows` into a Batch; an empty Batch means the end."""
    if _fastrows is not None and layout.indexes[-1] is None and None not in layout.indexes[:-1]:
        return _fill_compiled(rows, layout, cache, uids, seen, limit)
    batch = Batch()
    extend = batch.flat.extend
    dates = _birth_dates()
    first_seen = seen.first_seen
    i_name, i_sex, i_id, i_phone, i_hh, i_rel, i_group, i_addr, i_head = layout.indexes
    simple = i_head is None and None not in (i_name, i_sex, i_id, i_phone, i_hh, i_rel,
                                             i_group, i_addr)
    width = layout.width
    taken = 0
    is_nfkc = unicodedata.is_normalized
    for number, cells in rows:
        taken += 1
        if simple and len(cells) >= width:
            line = SEPARATOR.join(cells)
            if ((line.isascii() or is_nfkc("NFKC", line)) and clean_as_is(line)):
                idn = cells[i_id]
                phone = cells[i_phone]
                sex = _SEXES.get(cells[i_sex])
                name = cells[i_name]
                household = cells[i_hh]
                if (name and household and sex is not None and len(idn) == 18
                        and idn.isascii() and idn[:17].isdigit() and idn[6:14] in dates
                        and (not phone or (len(phone) == 11 and phone[0] == "1"
                                           and phone[1] in _MOBILE_SECOND and phone.isdigit()
                                           and phone.isascii()))):
                    check = (1 - 2 * int(idn[:17], 13)) % 11
                    id_sex = "M" if int(idn[16]) % 2 else "F"
                    if _CHECK[check] == idn[17] and (not sex or sex == id_sex):
                        if first_seen.setdefault(int(idn[:17]) * 16 + check,
                                                 number) == number:
                            extend((next(uids), name, id_sex, idn, phone or None, household,
                                    cells[i_rel] or None, cells[i_group] or None,
                                    cells[i_addr] or None))
                            if taken >= limit:
                                break
                            continue
        _slow_row(batch, number, cells, layout, cache, uids, seen)
        if taken >= limit:
            break
    return batch


def _fill_compiled(rows: Iterator[tuple[int, list[str]]], layout: Layout, cache: CleanCache,
                   uids: Iterator[str], seen: Deduplicator, limit: int) -> Batch:
    """fill_batch's loop in C (epitool/_fastrows.c): the same rows, several times faster."""
    assert _fastrows is not None
    batch = Batch()
    spec = (*layout.indexes[:-1], layout.width)
    birth, taken = birth_date_range(), 0
    texts: dict[str, str] = {}  # a batch's relations and groups, one object each
    while taken < limit:
        consumed, slow = _fastrows.roster(rows, limit - taken, spec, _SEXES, birth,
                                          seen.first_seen, uids, batch.flat,
                                          unicodedata.is_normalized, "NFKC", texts)
        taken += consumed
        if slow is None:
            break  # the limit, or the end of the rows
        _slow_row(batch, *slow, layout, cache, uids, seen)
    return batch


def _slow_row(batch: Batch, number: int, cells: list[str], layout: Layout,
              cache: CleanCache, uids: Iterator[str], seen: Deduplicator) -> None:
    check = check_row(number, cells, layout, cache)
    resident = check.resident
    if resident is None:
        batch.rejected.append(Rejected(number, cells, check.problems))
        return
    number_ = resident[2]
    key = id_key(number_) if number_ else (resident[4] or "", resident[0])
    earlier = seen.earlier(key, number)
    if earlier is not None:
        column, value = ("id_number", number_) if number_ else ("name", resident[0] or "")
        batch.rejected.append(Rejected(number, cells, [
            Problem(number, column, value, "duplicate_in_file", str(earlier))]))
        return
    batch.flat.extend((next(uids), *resident))
    batch.legacy_ids += check.legacy_id
