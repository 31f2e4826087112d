"""The producer side of a roster import: read, clean, validate, de-duplicate, batch.

It yields plain picklable values so the same generator can run in a worker process while the
parent writes to SQLite: reading and validating then overlap with inserting (two cores).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from epitool.core.pipeline import Batch, Header, Rejected, batches
from epitool.core.roster.households import HouseholdTracker
from epitool.core.roster.rows import CleanCache, Layout, Resident, check_row
from epitool.errors import Problem
from epitool.ids import uid_sequence
from epitool.io.tables import open_table

FIELDS_PER_ROW = 9  # uid, then the 8 fields of rows.Resident


@dataclass
class RosterBatch(Batch):
    """Valid rows flattened: uid, name, sex, id_number, phone, household, relation, group,
    address, uid, name, ... With them, the households they name first."""

    MARSHALLED = ("flat", "households", "heads")

    households: list[str | None] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)


def identity_key(resident: Resident) -> object:
    """Who a row is, for finding the same person twice in one file: the ID number (as an
    int, half the memory of the text), else the name within the household."""
    number = resident.id_number
    if number is None:
        return (resident.household_no or "", resident.name)
    if len(number) == 18:
        return int(number[:17]) * 11 + "0123456789X".index(number[17])
    return -int(number) - 1


def read_roster(path: Path, aliases: Mapping[str, Sequence[str]], *, encoding: str | None,
                sheet: str | None, max_bytes: int | None) -> Iterator[Header | Batch]:
    """First a Header, then RosterBatches. Raises InputError when the file cannot be read."""
    table = open_table(path, aliases, encoding=encoding, sheet=sheet, max_bytes=max_bytes)
    layout, cache, uids = Layout.of(table.columns), CleanCache(), uid_sequence()
    first_seen: dict[object, int] = {}
    households = HouseholdTracker()

    def fill(rows: Iterator[tuple[int, list[str]]], limit: int) -> Batch:
        batch = RosterBatch()
        for number, cells in rows:
            batch.taken += 1
            check = check_row(number, cells, layout, cache)
            resident = check.resident
            if resident is None:
                batch.rejected.append(Rejected(number, cells, check.problems))
            elif (earlier := first_seen.setdefault(identity_key(resident), number)) != number:
                column = "id_number" if resident.id_number else "name"
                batch.rejected.append(Rejected(number, cells, [Problem(
                    number, column, getattr(resident, column) or "",
                    "reason_duplicate_in_file", {"detail": str(earlier)})]))
            else:
                batch.flat.extend((next(uids), *resident))
                batch.counts["legacy_ids"] += check.legacy_id
            if batch.taken >= limit:
                break
        found = households.collect(batch.flat)
        batch.households, batch.heads = found.households, found.heads
        return batch

    return batches(table, fill)
