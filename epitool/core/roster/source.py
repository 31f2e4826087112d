"""The producer side of a roster import: read, clean, validate, batch; and the consumer's
side of what needs every row in order: each person once, and the households they name.

A producer yields plain values (marshalled fast), so it can run in worker processes, two of
them checking alternate chunks of a big file, while the parent writes to SQLite.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.layout import Layout
from epitool.core.pipeline import ALONE, Batch, Header, Rejected, Share, batches
from epitool.core.roster.households import HouseholdTracker, NewHouseholds
from epitool.core.roster.rows import FIELDS, Resident, check_row
from epitool.errors import Problem
from epitool.ids import uid_sequence
from epitool.io.tables import open_table
from epitool.io.template import EXAMPLE_MARKS

FIELDS_PER_ROW = 9  # uid, then the 8 fields of rows.Resident


@dataclass
class RosterBatch(Batch):
    """Valid rows flattened: uid, name, sex, id_number, phone, household, relation, group,
    address, uid, name, ...; beside them each row's number and who it is (identity_key)."""

    MARSHALLED = ("flat", "numbers", "keys")

    numbers: list[int] = field(default_factory=list)
    keys: list[Any] = field(default_factory=list)


def identity_key(resident: Resident) -> int | tuple[str, str]:
    """Who a row is, for finding the same person twice in one file: the ID number as an int
    (half the memory of the text; a valid number's last character follows from the first
    17), else the name within the household."""
    number = resident.id_number
    if number is None:
        return (resident.household_no or "", resident.name)
    return int(number[:17]) if len(number) == 18 else -int(number) - 1


def read_roster(path: Path, aliases: Mapping[str, Sequence[str]], *, encoding: str | None,
                sheet: str | None, max_bytes: int | None,
                share: Share = ALONE) -> Iterator[Header | Batch]:
    """First a Header, then RosterBatches. Raises InputError when the file cannot be read."""
    table = open_table(path, aliases, encoding=encoding, sheet=sheet, max_bytes=max_bytes)
    layout, uids = Layout.of(table.columns, FIELDS), uid_sequence()

    def fill(rows: Iterator[tuple[int, list[str]]], limit: int) -> Batch:
        batch = RosterBatch()
        for number, cells in rows:
            batch.taken += 1
            resident = check_row(number, cells, layout)
            if isinstance(resident, list):
                batch.rejected.append(Rejected(number, cells, resident))
            elif resident.name.lower().startswith(EXAMPLE_MARKS):
                batch.counts["examples"] += 1  # the template's sample row, left in
            else:
                batch.flat.extend((next(uids), *resident))
                batch.numbers.append(number)
                batch.keys.append(identity_key(resident))
                if resident.id_number is not None and len(resident.id_number) == 15:
                    batch.counts["legacy_ids"] += 1
            if batch.taken >= limit:
                break
        return batch

    return batches(table, fill, share)


@dataclass
class Repeat:
    """A row naming a person an earlier row of the same file named."""

    row: int
    column: str
    value: str
    earlier: int
    resident: Resident  # what the row says, to tell an identical copy from a different row

    def problem(self) -> Problem:
        return Problem(self.row, self.column, self.value, "reason_duplicate_in_file",
                       {"detail": str(self.earlier)})


class People:
    """What the rows of one file say together, taken batch by batch in file order: each
    person once (the first row wins), and the households the rows name."""

    def __init__(self) -> None:
        self.first_seen: dict[Any, int] = {}
        self.households = HouseholdTracker()

    def take(self, batch: RosterBatch) -> tuple[list[Repeat], NewHouseholds]:
        """Leaves the repeats out of batch.flat and says which they were."""
        seen, repeats = self.first_seen.setdefault, []
        for at, (number, key) in enumerate(zip(batch.numbers, batch.keys)):
            earlier = seen(key, number)
            if earlier != number:
                row = batch.flat[at * FIELDS_PER_ROW:(at + 1) * FIELDS_PER_ROW]
                column, value = ("id_number", row[3]) if row[3] else ("name", row[1])
                repeats.append(Repeat(number, column, value, earlier, Resident(*row[1:])))
        if repeats:
            skip = {r.row for r in repeats}
            kept = [at for at, number in enumerate(batch.numbers) if number not in skip]
            batch.flat = [value for at in kept
                          for value in batch.flat[at * FIELDS_PER_ROW:(at + 1) * FIELDS_PER_ROW]]
            batch.numbers = [batch.numbers[at] for at in kept]
            batch.keys = [batch.keys[at] for at in kept]
        return repeats, self.households.collect(batch.flat)


def rows_numbered(path: Path, aliases: Mapping[str, Sequence[str]], numbers: set[int], *,
                  encoding: str | None, sheet: str | None) -> dict[int, list[str]]:
    """The cells of the rows with these numbers, read again: for the rejects file, when the
    rows were checked in a worker that sent only their clean values."""
    table = open_table(path, aliases, encoding=encoding, sheet=sheet)
    try:
        return {number: cells for number, cells in table.rows if number in numbers}
    finally:
        table.close()
