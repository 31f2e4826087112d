"""Roster import: the file lands whole or not at all, rejected rows go to a file to fix.

Upsert keyed on the ID number (on name within household when there is none): re-importing
the same file changes nothing; a changed phone updates the row, its old value kept in the
audit trail.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.config import Config
from epitool.core.roster_rows import Problem, Resident
from epitool.core.roster_fast import FIELDS_PER_ROW, Batch, Rejected
from epitool.core.roster_source import Header, read_roster
from epitool.core.uid import uid_block
from epitool.core.row_import import (SHOWN_PROBLEMS, Progress, Rejections, big_file,
                                     default_rejects, first_item, import_transaction,
                                     loading, produced)
from epitool.i18n import translate
from epitool.store import bulk as bulk_load
from epitool.store import roster as store
from epitool.store.areas import ensure_area
from epitool.store.audit import Actor, record
from epitool.store.db import Database

@dataclass
class ImportOptions:
    path: Path
    encoding: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    rejects: Path | None = None  # None: beside the input
    lang: str = "zh"


@dataclass
class ImportResult:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    legacy_ids: int = 0
    rejects_file: Path | None = None
    dry_run: bool = False
    header_row: int = 0
    encoding: str | None = None
    problems: list[Problem] = field(default_factory=list)  # the first few, for the screen

    def as_json(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "updated": self.updated,
                "unchanged": self.unchanged, "rejected": self.rejected,
                "rejects_file": str(self.rejects_file) if self.rejects_file else None}


def import_roster(open_db: Callable[[], Database], config: Config, actor: Actor,
                  options: ImportOptions, progress: Progress | None = None) -> ImportResult:
    """Read the file's header first, so that a file that cannot be read creates nothing."""
    items = _items(config, options)
    header = first_item(items)
    assert isinstance(header, Header)
    db = open_db()
    try:
        with (loading(db, big_file(options.path) and store.count_residents(db.conn) == 0),
              bulk_load.foreign_keys_off(db.conn)):
            return _import(db, config, actor, options, items, header, progress)
    finally:
        db.close()


def _import(db: Database, config: Config, actor: Actor, options: ImportOptions,
            items: Iterator[Header | Batch], header: Header,
            progress: Progress | None) -> ImportResult:
    result = ImportResult(dry_run=options.dry_run, header_row=header.header_row,
                          encoding=header.encoding)
    rejections = Rejections(header.headers, options.lang,
                            options.rejects or default_rejects(options.path))
    try:
        with import_transaction(db, rejections, options.dry_run) as conn:
            _load(conn, config, actor, items, result, rejections, header.total, progress,
                  db.start_flush)
            record(conn, actor, "roster.import", None,
                   {"file": options.path.name, **result.as_json()})
    finally:
        items.close()
    result.rejects_file = rejections.file
    return result


def _items(config: Config, options: ImportOptions) -> Iterator[Header | Batch]:
    def make() -> Iterator[Header | Batch]:
        return read_roster(options.path, config.header_aliases, encoding=options.encoding,
                           sheet=options.sheet, max_bytes=config["max_input_mb"] * 2**20)

    return produced(make, options.path)


def _load(conn: Any, config: Config, actor: Actor, items: Iterator[Header | Batch],
          result: ImportResult, rejects: Rejections, total: int, progress: Progress | None,
          start_flush: Callable[[], None]) -> None:
    area = config["area"]
    village = config.village_code
    ensure_area(conn, area["office"], area["village"], village, actor.at)
    bulk = store.count_residents(conn) == 0
    # ID numbers arrive in random order and a few dozen groups interleave: keeping either
    # index up to date row by row cost more than one sort at the end (bench/)
    indexes = (bulk_load.drop_indexes(conn, "residents", ["residents_id_number",
                                                          "residents_area"])
               if bulk else [])
    for batch in items:
        assert isinstance(batch, Batch)
        result.legacy_ids += batch.legacy_ids
        _note_rejects(batch.rejected, result, rejects)
        if bulk:
            store.insert_residents(conn, batch.flat, village, actor.at)
            result.inserted += len(batch.flat) // FIELDS_PER_ROW
        else:
            _upsert(conn, village, actor, list(batch.rows()), result)
        store.insert_households(conn, batch.new_households(), village, actor.at)
        if progress:
            progress(batch.done, total)
    if indexes:
        start_flush()  # the rows are written: to disk with them while the indexes are built
    bulk_load.restore_indexes(conn, indexes)
    bulk_load.check_foreign_keys(conn, ("residents", "households"))
    store.refresh_groups(conn, village, actor.at, *uid_block())


def _upsert(conn: Any, village: str, actor: Actor, rows: list[tuple[Any, ...]],
            result: ImportResult) -> None:
    residents = [Resident(*row[1:]) for row in rows]
    existing = store.existing_for(conn, village, residents)
    new: list[str | None] = []
    for row, r in zip(rows, residents):
        old = existing.get(store.resident_key(r))
        if old is None:
            new.extend(row)
        elif tuple(old[2:]) == tuple(r):
            result.unchanged += 1
        else:
            changes = {f: [o, n] for f, o, n in zip(Resident._fields, old[2:], r) if o != n}
            store.update_resident(conn, old[0], r, actor.at)
            record(conn, actor, "resident.update", f"residents:{old[1]}", changes)
            result.updated += 1
    store.insert_residents(conn, new, village, actor.at)
    result.inserted += len(new) // FIELDS_PER_ROW


def _note_rejects(rejected: list[Rejected], result: ImportResult,
                  rejections: Rejections) -> None:
    for item in rejected:
        result.rejected += 1
        if len(result.problems) < SHOWN_PROBLEMS:
            result.problems.extend(item.problems[:SHOWN_PROBLEMS - len(result.problems)])
        rejections.add_reason(item.row, item.cells, "; ".join(
            describe_problem(p, rejections.lang) for p in item.problems))


def describe_problem(problem: Problem, lang: str) -> str:
    return translate(lang, f"reason_{problem.reason}", column=problem.column,
                     value=problem.value, detail=problem.detail)
