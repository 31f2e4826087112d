"""The producer side of a checkpoint import: read, validate, de-duplicate, batch.

reference_row() is the one definition of a valid registration and of why a row is not;
fill_batch() accepts the common, clean row inline and sends any other to it. A property test
holds the two to the same answers. Everything yielded is plain and picklable, so the
generator can run in a worker process while the parent inserts (two cores).
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.worker import FlatTransfer
from epitool.core.checkpoints import PLATE, validated
from epitool.core.identity import _birth_dates, birth_date_range
from epitool.core.normalize import SEPARATOR, clean_as_is, clean_cell
from epitool.core.row_import import FIRST_BATCH_ROWS
from epitool.core.uid import uid_sequence
from epitool.core.visit_rows import RowProblem, cell, row_moment, temperature
from epitool.errors import EpitoolError
from epitool.io.tables import open_table
from epitool.store.checkpoints import WIRE_FIELDS
from epitool.store.db import read_only

try:
    import _epitool_fastrows as _fastrows  # epitool/_fastrows.c
except ImportError:  # built without a C compiler: the Python loop below gives the same rows
    _fastrows = None

YES = {"是", "已劝返", "劝返", "√", "✓", "1", "y", "yes", "true"}
NO = {"", "否", "无", "×", "0", "n", "no", "false"}
DIRECTIONS = {"进": "in", "入": "in", "in": "in", "出": "out", "out": "out", "": "in"}
FIELDS_PER_ROW = WIRE_FIELDS  # as `wire` sends them
BATCH_ROWS = 20_000
_CHECK = "0123456789X"
_MOBILE_SECOND = frozenset("3456789")
_COLUMNS = ("point", "name", "id_number", "phone", "plate", "origin", "destination", "date",
            "temp", "turned_back", "turn_back_reason", "direction")


@dataclass
class Settings:
    """What a row is checked against; loaded from the database before any worker starts."""
    points: dict[str, str]  # name and "#id" -> checkpoint uid
    default_point: str | None
    threshold: float
    tz: str
    db_path: Path | None  # to recognise registrations imported before; None: table empty


@dataclass
class Header:
    encoding: str | None
    headers: list[str]
    total: int


@dataclass
class Rejected:
    row: int
    cells: list[str]
    key: str
    params: dict[str, Any]


@dataclass
class Batch(FlatTransfer):
    flat: list[Any] = field(default_factory=list)  # FIELDS_PER_ROW values per valid row
    rejected: list[Rejected] = field(default_factory=list)
    already_imported: int = 0
    plate_warnings: int = 0
    fevers: int = 0
    done: int = 0

    def rows(self) -> Iterator[tuple[Any, ...]]:
        return zip(*[iter(self.flat)] * FIELDS_PER_ROW)

    def __len__(self) -> int:
        return len(self.flat) // FIELDS_PER_ROW + len(self.rejected) + self.already_imported


def reference_row(cells: list[str], columns: dict[str, int],
                  settings: Settings) -> tuple[Any, ...]:
    """A registration's fields after the uid, or RowProblem/EpitoolError saying why not."""
    name = cell(cells, columns, "point") or settings.default_point or ""
    point = settings.points.get(name)
    if point is None:
        raise RowProblem("row_unknown_checkpoint", point=name or "-")
    at = row_moment(cells, columns, settings.tz)
    flag = cell(cells, columns, "turned_back").lower()
    reason = cell(cells, columns, "turn_back_reason")
    if flag in YES:
        turned_back: str | None = reason  # "" without a reason column: refused below
    elif flag in NO:
        turned_back = None
    else:
        turned_back = flag  # the cell holds the reason itself
    direction = DIRECTIONS.get(cell(cells, columns, "direction").lower())
    if direction is None:
        raise RowProblem("checkpoint_bad_direction", direction=cell(cells, columns, "direction"))
    temp = temperature(cell(cells, columns, "temp"), "temp")
    v = validated({"name": cell(cells, columns, "name"),
                   "id_number": cell(cells, columns, "id_number"),
                   "phone": cell(cells, columns, "phone"), "plate": cell(cells, columns, "plate"),
                   "direction": direction, "temp": temp,
                   "origin": cell(cells, columns, "origin") or None,
                   "destination": cell(cells, columns, "destination") or None,
                   "purpose": None, "turned_back": turned_back}, settings.threshold)
    return (point, at.isoformat(timespec="seconds"), v["direction"], v["name"], v["id_number"],
            v["phone"],
            v["plate"], v["plate_ok"], v["origin"], v["destination"], v["temp"], v["fever"],
            v["turned_back"], v["turn_back_reason"])


def wire(uid: str, values: tuple[Any, ...]) -> tuple[Any, ...]:
    """A registration as batches carry it: "" for an empty text and 0 for the plate check
    without a plate, which insert_logs stores as NULL. SQLite binds a text or an integer
    several times faster than None, and most rows have some empty field."""
    (point, at, direction, name, id_number, phone, plate, plate_ok, origin, destination, temp,
     fever, turned_back, reason) = values
    return (uid, point, at, direction, name, id_number or "", phone or "", plate or "",
            plate_ok or 0, origin or "", destination or "", temp, fever, turned_back,
            reason or "")


def _blake2b_16(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


# 16 bytes per registration seen: a million keys as tuples of strings took 300 MB. One
# function for the whole import, fast paths and reference alike (_fastrows hashes inline).
key_of = _fastrows.key if _fastrows is not None else _blake2b_16


def passage_key(point: str, at: str, name: str, id_number: str | None) -> bytes:
    return key_of(f"{point}\x1f{at}\x1f{name}\x1f{id_number or ''}".encode())


class Passages:
    """Registrations seen in this file, and those of the same days already in the database
    (so that importing a sheet twice does not count everyone twice)."""

    def __init__(self, db_path: Path | None) -> None:
        self.seen: set[bytes] = set()
        self.before: set[bytes] = set()
        self.days: set[str] = set()
        self.conn = read_only(db_path) if db_path is not None else None

    def earlier(self, key: bytes, day: str) -> str | None:
        """None for a new registration; "file" or "database" where it was seen before. A
        row repeated in the file is rejected as such on every import, the first time too."""
        if self.conn is not None and day not in self.days:
            self.days.add(day)
            self.before.update(passage_key(*row) for row in self.conn.execute(
                "SELECT checkpoint_uid, at, name, id_number FROM checkpoint_logs WHERE day = ?",
                (day,)))
        if key in self.seen:
            return "file"
        self.seen.add(key)
        return "database" if key in self.before else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


def read_checkpoints(path: Path, aliases: Mapping[str, Sequence[str]], settings: Settings, *,
                     encoding: str | None, sheet: str | None, max_bytes: int | None,
                     batch_rows: int = BATCH_ROWS) -> Iterator[Header | Batch]:
    """First a Header, then Batches. Raises InputError when the file cannot be read at all."""
    table = open_table(path, aliases, encoding=encoding, sheet=sheet, max_bytes=max_bytes)
    passages = Passages(settings.db_path)
    try:
        yield Header(table.encoding, table.headers, table.total)
        uids, caches, texts = uid_sequence(), _Caches(), {}
        first = True
        while True:
            batch = fill_batch(table.rows, table.columns, settings, uids, passages, caches,
                               FIRST_BATCH_ROWS if first else batch_rows, texts)
            if not len(batch):
                return
            batch.done, first = table.done(), False
            yield batch
    finally:
        passages.close()
        table.close()  # also when the import stops early


@dataclass
class _Caches:
    """Guards' sheets repeat the same few times and temperatures thousands of times: each
    distinct text is read once, by the reference functions themselves."""
    moments: dict[str, str] = field(default_factory=dict)
    temps: dict[str, float | None] = field(default_factory=dict)


def fill_batch(rows: Iterator[tuple[int, list[str]]], columns: dict[str, int],
               settings: Settings, uids: Iterator[str], passages: Passages, caches: _Caches,
               limit: int, texts: dict[str, str] | None = None) -> Batch:
    """Up to `limit` rows into a Batch; an empty Batch means the end. `texts` keeps one object
    per repeated place name across batches (the C loop only)."""
    if _fastrows is not None and passages.conn is None and None not in (
            columns.get("name"), columns.get("date")):
        return _fill_compiled(rows, columns, settings, uids, passages, caches, limit,
                              {} if texts is None else texts)
    batch = Batch()
    extend = batch.flat.extend
    i_point, i_name, i_id, i_phone, i_plate, i_from, i_to, i_date, i_temp, i_back, _, \
        i_dir = (columns.get(c) for c in _COLUMNS)
    fast = None not in (i_name, i_date)
    width = max(columns.values()) + 1
    points, default = settings.points, settings.default_point or ""
    moments, temps, dates = caches.moments, caches.temps, _birth_dates()
    is_nfkc, threshold, taken = unicodedata.is_normalized, settings.threshold, 0
    in_file_only, seen, key_of_ = passages.conn is None, passages.seen, key_of
    plate_warnings = fevers = 0
    for number, cells in rows:
        taken += 1
        line = SEPARATOR.join(cells)
        if (fast and len(cells) >= width and (line.isascii() or is_nfkc("NFKC", line))
                and clean_as_is(line)):
            point = points.get((cells[i_point] if i_point is not None else "") or default)
            name, when = cells[i_name], cells[i_date]
            idn = cells[i_id] if i_id is not None else ""
            phone = cells[i_phone] if i_phone is not None else ""
            plate = cells[i_plate] if i_plate is not None else ""
            at = moments.get(when)
            temp_text = cells[i_temp] if i_temp is not None else ""
            direction = DIRECTIONS.get(cells[i_dir].lower()) if i_dir is not None else "in"
            if (point and name and at and direction and temp_text in temps
                    and (i_back is None or cells[i_back].lower() in NO)
                    and (not idn or (len(idn) == 18 and idn.isascii() and idn[:17].isdigit()
                                     and idn[6:14] in dates
                                     and _CHECK[(1 - 2 * int(idn[:17], 13)) % 11] == idn[17]))
                    and (not phone or (len(phone) == 11 and phone[0] == "1"
                                       and phone[1] in _MOBILE_SECOND and phone.isdigit()
                                       and phone.isascii()))
                    and " " not in plate and plate == plate.upper()):
                if in_file_only:  # passages.earlier inlined: the bulk case, a million times
                    key = key_of_(f"{point}\x1f{at}\x1f{name}\x1f{idn}".encode())
                    where = "file" if key in seen else seen.add(key)
                else:
                    where = passages.earlier(passage_key(point, at, name, idn or None), at[:10])
                if where == "database":
                    batch.already_imported += 1
                    if taken >= limit:
                        break
                    continue
                if where is None:
                    temp = temps[temp_text]
                    plate_ok = int(PLATE.match(plate) is not None) if plate else 0
                    fever = int(temp is not None and temp >= threshold)
                    plate_warnings += bool(plate) and not plate_ok
                    fevers += fever
                    extend((next(uids), point, at, direction, name, idn, phone, plate,
                            plate_ok, cells[i_from] if i_from is not None else "",
                            cells[i_to] if i_to is not None else "", temp, fever, 0, ""))
                    if taken >= limit:
                        break
                    continue
        _slow_row(batch, number, cells, columns, settings, uids, passages, caches)
        if taken >= limit:
            break
    batch.plate_warnings += plate_warnings
    batch.fevers += fevers
    return batch


def _fill_compiled(rows: Iterator[tuple[int, list[str]]], columns: dict[str, int],
                   settings: Settings, uids: Iterator[str], passages: Passages,
                   caches: _Caches, limit: int, texts: dict[str, str]) -> Batch:
    """fill_batch's loop in C (epitool/_fastrows.c) for a file checked against itself only:
    the same rows, several times faster."""
    assert _fastrows is not None
    batch = Batch()
    spec = (*(columns.get(c) for c in _COLUMNS), max(columns.values()) + 1)
    taken = 0
    while taken < limit:
        consumed, warnings, fevers, slow = _fastrows.checkpoints(
            rows, limit - taken, spec, settings.points, settings.default_point or "",
            caches.moments, caches.temps, DIRECTIONS, NO, YES, birth_date_range(),
            passages.seen, PLATE.match, settings.threshold, uids, batch.flat,
            unicodedata.is_normalized, "NFKC", texts)
        taken += consumed
        batch.plate_warnings += warnings
        batch.fevers += fevers
        if slow is None:
            break  # the limit, or the end of the rows
        _slow_row(batch, *slow, columns, settings, uids, passages, caches)
    return batch


def _slow_row(batch: Batch, number: int, cells: list[str], columns: dict[str, int],
              settings: Settings, uids: Iterator[str], passages: Passages,
              caches: _Caches) -> None:
    try:
        values = reference_row(cells, columns, settings)
    except (RowProblem, EpitoolError) as problem:
        batch.rejected.append(Rejected(number, cells, problem.key, problem.params))
        return
    point, at, _, name, id_number = values[:5]
    _remember(caches, cells, columns, at, values[10])
    where = passages.earlier(passage_key(point, at, name, id_number), at[:10])
    if where == "database":
        batch.already_imported += 1
    elif where == "file":
        batch.rejected.append(Rejected(number, cells, "row_duplicate_passage",
                                       {"name": name, "at": at[:16]}))
    else:
        batch.flat.extend(wire(next(uids), values))
        batch.plate_warnings += values[7] == 0
        batch.fevers += values[11]


def _remember(caches: _Caches, cells: list[str], columns: dict[str, int], at: str,
              temp: float | None) -> None:
    """A row the reference accepted: its time and temperature, read from clean texts, serve
    later rows with the same texts. Not a date without a time: that one means "now"."""
    when = cells[columns["date"]]
    if len(caches.moments) < 100_000 and (":" in when or "：" in when) \
            and when == clean_cell(when):
        caches.moments.setdefault(when, at)
    text = cells[columns["temp"]] if "temp" in columns else ""
    if len(caches.temps) < 10_000 and text == clean_cell(text):
        caches.temps.setdefault(text, temp)
