"""The producer side of a roster import: read, clean, validate, de-duplicate, batch.

It yields plain picklable values so the same generator can run in a worker process while the
parent writes to SQLite: parsing and validating then overlap with inserting (two cores).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from epitool.core.roster_rows import Problem, Resident, check_row
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


@dataclass
class Rejected:
    row: int
    cells: list[str]
    problems: list[Problem]


@dataclass
class Batch:
    residents: list[Resident] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    legacy_ids: int = 0
    done: int = 0


def read_roster(path: Path, aliases: Mapping[str, Sequence[str]], *, encoding: str | None,
                sheet: str | None, max_bytes: int | None,
                batch_rows: int = BATCH_ROWS) -> Iterator[Header | Batch]:
    """First a Header, then Batches. Raises InputError when the file cannot be read at all."""
    table = open_table(path, aliases, encoding=encoding, sheet=sheet, max_bytes=max_bytes)
    yield Header(table.kind, table.encoding, table.header_row, table.headers, table.columns,
                 table.total)
    first_seen: dict[tuple[str, ...], int] = {}
    batch = Batch()
    columns = table.columns
    for number, cells in table.rows:
        check = check_row(number, cells, columns)
        resident = check.resident
        if resident is not None:
            key = (resident.id_number,) if resident.id_number else (
                resident.household_no or "", resident.name)
            earlier = first_seen.setdefault(key, number)
            if earlier != number:
                column = "id_number" if resident.id_number else "name"
                value = resident.id_number or resident.name
                check = check._replace(resident=None, problems=[
                    Problem(number, column, value, "duplicate_in_file", str(earlier))])
        if check.resident is not None:
            batch.residents.append(check.resident)
            batch.legacy_ids += check.legacy_id
        else:
            batch.rejected.append(Rejected(number, cells, check.problems))
        if len(batch.residents) + len(batch.rejected) >= batch_rows:
            batch.done = table.done()
            yield batch
            batch = Batch()
    batch.done = table.total
    yield batch
