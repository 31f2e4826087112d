"""The producer side of a roster import: read, clean, validate, de-duplicate, batch.

It yields plain picklable values so the same generator can run in a worker process while the
parent writes to SQLite: parsing and validating then overlap with inserting (two cores).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from dataclasses import dataclass

from epitool.core.roster_fast import Batch, Deduplicator, fill_batch
from epitool.core.roster_households import HouseholdTracker
from epitool.core.roster_rows import CleanCache, Layout
from epitool.core.row_import import FIRST_BATCH_ROWS
from epitool.core.uid import uid_sequence
from epitool.io.tables import open_table

BATCH_ROWS = 20_000


@dataclass
class Header:
    kind: str
    encoding: str | None
    header_row: int
    headers: list[str]
    columns: dict[str, int]
    total: int


def read_roster(path: Path, aliases: Mapping[str, Sequence[str]], *, encoding: str | None,
                sheet: str | None, max_bytes: int | None,
                batch_rows: int = BATCH_ROWS) -> Iterator[Header | Batch]:
    """First a Header, then Batches. Raises InputError when the file cannot be read at all."""
    table = open_table(path, aliases, encoding=encoding, sheet=sheet, max_bytes=max_bytes)
    try:
        yield Header(table.kind, table.encoding, table.header_row, table.headers,
                     table.columns, table.total)
        layout, cache, uids, seen = (Layout.of(table.columns), CleanCache(), uid_sequence(),
                                     Deduplicator())
        households = HouseholdTracker()
        first = True
        while True:
            batch = fill_batch(table.rows, layout, cache, uids, seen,
                               FIRST_BATCH_ROWS if first else batch_rows)
            if not len(batch):
                return
            batch.done, first = table.done(), False
            found = households.collect(batch.flat)
            batch.households, batch.heads = found.households, found.heads
            yield batch
    finally:
        table.close()  # also when the import stops early
