"""The producer side of a checkpoint import: read, validate, de-duplicate, batch.

registration() is the one reading of a guard's row; it checks the fields with the same
function as `checkpoint log` (checkpoints.validated). Everything yielded is plain and
picklable, so the generator can run in a worker process while the parent inserts (two cores).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.checkpoints import validated
from epitool.core.dates import sheet_moment
from epitool.core.layout import Layout
from epitool.core.pipeline import Batch, Header, Rejected, as_problem, batches
from epitool.core.rules import NO_WORDS, YES_WORDS, parse_temperature
from epitool.errors import EpitoolError, RowProblem
from epitool.ids import uid_sequence
from epitool.io.tables import open_table
from epitool.store.checkpoints import WIRE_FIELDS, registrations_on
from epitool.store.db import read_only

FIELDS_PER_ROW = WIRE_FIELDS


@dataclass
class Settings:
    """What a row is checked against; loaded from the database before any worker starts."""
    points: dict[str, str]  # name and "#id" -> checkpoint uid
    default_point: str | None
    threshold: float
    tz: str
    db_path: Path | None  # to recognise registrations imported before; None: table empty


FIELDS = ("point", "name", "id_number", "phone", "plate", "origin", "destination", "date",
          "temp", "turned_back", "turn_back_reason", "direction")


@dataclass
class Seen:
    """Times and temperatures already read in this file: guards' sheets repeat them."""

    times: dict[str, str] = field(default_factory=dict)
    temps: dict[str, float | None] = field(default_factory=dict)


def registration(fields: tuple[str, ...], settings: Settings, seen: Seen) -> tuple[Any, ...]:
    """A registration as the store inserts it (after its uid), or an EpitoolError saying
    why not. `fields`: the row's cleaned cells in FIELDS order."""
    (point_name, name, id_number, phone, plate, origin, destination, when, temp_text, flag,
     reason, direction) = fields
    point_name = point_name or settings.default_point or ""
    point = settings.points.get(point_name)
    if point is None:
        raise RowProblem("row_unknown_checkpoint", column="point", point=point_name or "-")
    at = seen.times.get(when)
    if at is None:
        at = seen.times[when] = sheet_moment(when, settings.tz).isoformat(timespec="seconds")
    temp = seen.temps[temp_text] if temp_text in seen.temps else seen.temps.setdefault(
        temp_text, parse_temperature(temp_text, "temp"))
    flag = flag.lower()
    if flag in YES_WORDS:
        if not reason:  # said in a sheet's terms, not the command line's
            raise RowProblem("row_turn_back_no_reason", column="turned_back", value=flag)
        turned_back: str | None = reason
    elif flag in NO_WORDS:
        turned_back = None
    else:
        turned_back = flag  # the cell holds the reason itself
    v = validated({"name": name, "id_number": id_number, "phone": phone, "plate": plate,
                   "direction": direction, "temp": temp, "origin": origin,
                   "destination": destination, "purpose": None, "turned_back": turned_back},
                  settings.threshold)
    # "" and 0 rather than None: SQLite binds a text or an integer several times faster than
    # None, and most rows have some empty field (insert_logs stores them as NULL)
    return (point, at, v["direction"], v["name"], v["id_number"] or "", v["phone"] or "",
            v["plate"] or "", v["plate_ok"] or 0, v["origin"] or "", v["destination"] or "",
            v["temp"], v["fever"], v["turned_back"], v["turn_back_reason"] or "")


def passage_key(point: str, at: str, name: str, id_number: str) -> bytes:
    """16 bytes per registration seen: a million keys as tuples of strings took 300 MB."""
    return hashlib.blake2b(f"{point}\x1f{at}\x1f{name}\x1f{id_number}".encode(),
                           digest_size=16).digest()


class Passages:
    """Registrations seen in this file, and those of the same days already in the database
    (so that importing a sheet twice does not count everyone twice)."""

    def __init__(self, db_path: Path | None) -> None:
        self.seen: set[bytes] = set()
        self.before: set[bytes] = set()
        self.days: set[str] = set()
        self.conn = read_only(db_path) if db_path is not None else None

    def earlier(self, point: str, at: str, name: str, id_number: str) -> str | None:
        """None for a new registration; "file" or "database" where it was seen before. A
        row repeated in the file is rejected as such on every import, the first time too."""
        key, day = passage_key(point, at, name, id_number), at[:10]
        if self.conn is not None and day not in self.days:
            self.days.add(day)
            self.before.update(passage_key(p, a, n, i or "")
                               for p, a, n, i in registrations_on(self.conn, day))
        if key in self.seen:
            return "file"
        self.seen.add(key)
        return "database" if key in self.before else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def read_checkpoints(path: Path, aliases: Mapping[str, Sequence[str]], settings: Settings, *,
                     encoding: str | None, sheet: str | None,
                     max_bytes: int | None) -> Iterator[Header | Batch]:
    """First a Header, then Batches. Raises InputError when the file cannot be read at all."""
    table = open_table(path, aliases, encoding=encoding, sheet=sheet, max_bytes=max_bytes)
    passages = Passages(settings.db_path)
    uids, layout = uid_sequence(), Layout.of(table.columns, FIELDS)
    seen = Seen()

    def fill(rows: Iterator[tuple[int, list[str]]], limit: int) -> Batch:
        batch = Batch()
        for number, cells in rows:
            batch.taken += 1
            try:
                values = registration(layout.read(cells), settings, seen)
            except EpitoolError as problem:
                batch.rejected.append(Rejected(number, cells, [as_problem(problem, number)]))
            else:
                _take(batch, number, cells, values, passages, uids)
            if batch.taken >= limit:
                break
        return batch

    try:
        yield from batches(table, fill)
    finally:
        passages.close()


def _take(batch: Batch, number: int, cells: list[str], values: tuple[Any, ...],
          passages: Passages, uids: Iterator[str]) -> None:
    point, at, _, name, id_number = values[:5]
    where = passages.earlier(point, at, name, id_number)
    if where == "database":
        batch.counts["unchanged"] += 1
    elif where == "file":
        batch.rejected.append(Rejected(number, cells, [as_problem(RowProblem(
            "row_duplicate_passage", name=name, at=at[:16]), number)]))
    else:
        batch.flat.extend((next(uids), *values))
        batch.counts["plate_warnings"] += bool(values[6]) and not values[7]
        batch.counts["fevers"] += values[11]
