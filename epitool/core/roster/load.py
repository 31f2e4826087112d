"""Roster import: the file lands whole or not at all, rejected rows go to a file to fix.

Upsert keyed on the ID number (on name within household when there is none): re-importing
the same file changes nothing; a changed phone updates the row, its old value kept in the
audit trail. Into an empty roster it is a bulk load: plain inserts, the randomly ordered
indexes built once at the end, a rollback journal for a big file.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from epitool.core import pipeline
from epitool.core.config import Config
from epitool.core.normalize import person_name
from epitool.core.roster.rows import Resident
from epitool.core.roster.source import (
    FIELDS_PER_ROW,
    People,
    Repeat,
    RosterBatch,
    read_roster,
    rows_numbered,
)
from epitool.errors import Problem
from epitool.ids import Actor, uid_block
from epitool.store import bulk
from epitool.store import roster as store
from epitool.store.areas import ensure_area
from epitool.store.audit import record
from epitool.store.db import Database

RESULT_KEYS = ("inserted", "updated", "unchanged", "duplicates", "rejected")
# ID numbers arrive in random order and a few dozen groups interleave: keeping these indexes
# up to date row by row costs more than one sort at the end
BULK_DEFERRED_INDEXES = ("residents_id_number", "residents_area")


@dataclass
class ImportOptions:
    path: Path
    encoding: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    rejects: Path | None = None  # None: beside the input
    lang: str = "zh"
    clear_empty: bool = False  # an empty cell blanks the stored value


def import_roster(open_db: Callable[[], Database], config: Config, actor: Actor,
                  options: ImportOptions,
                  progress: pipeline.Progress | None = None) -> pipeline.ImportResult:
    """Read the file's header first, so that a file that cannot be read creates nothing."""
    items = _items(config, options)
    header = pipeline.first_item(items)
    assert isinstance(header, pipeline.Header)
    db = open_db()
    try:
        into_empty = store.count_residents(db.conn) == 0
        with pipeline.loading(db, into_empty and pipeline.big_file(options.path)), \
                bulk.foreign_keys_off(db.conn):
            return _import(db, config, actor, options, items, header, into_empty, progress)
    finally:
        items.close()  # type: ignore[attr-defined]
        db.close()


def _items(config: Config, options: ImportOptions) -> pipeline.Items:
    def make(share: pipeline.Share) -> pipeline.Items:
        return read_roster(options.path, config.header_aliases, encoding=options.encoding,
                           sheet=options.sheet, max_bytes=config["max_input_mb"] * 2**20,
                           share=share)

    # Checking a row is most of the work: two workers take alternate chunks
    return pipeline.produced(make, options.path, producers=2)


def _import(db: Database, config: Config, actor: Actor, options: ImportOptions,
            items: pipeline.Items, header: pipeline.Header, into_empty: bool,
            progress: pipeline.Progress | None) -> pipeline.ImportResult:
    result = pipeline.ImportResult(RESULT_KEYS, dry_run=options.dry_run, sheets=header.sheets)
    rejections = pipeline.Rejections(header.headers, options.lang,
                                     options.rejects or pipeline.default_rejects(options.path))
    with pipeline.import_transaction(db, rejections, options.dry_run) as conn:
        area = config["area"]
        ensure_area(conn, area["office"], area["village"], actor.village_code, actor.at)
        deferred = (bulk.drop_indexes(conn, "residents", BULK_DEFERRED_INDEXES)
                    if into_empty else [])
        people, repeats, renames = People(), [], []
        for batch in items:
            assert isinstance(batch, RosterBatch)
            for rejected in batch.rejected:
                rejections.add(rejected)
            result.counts["legacy_ids"] += batch.counts["legacy_ids"]
            result.counts["examples"] += batch.counts["examples"]
            repeated, households = people.take(batch)
            repeats += repeated
            if into_empty:
                store.insert_residents(conn, batch.flat, actor.village_code, actor.at)
                result.counts["inserted"] += len(batch.flat) // FIELDS_PER_ROW
            else:
                renames += _upsert(conn, actor, batch, given_fields(header.columns),
                                   options.clear_empty, result)
            store.insert_households(conn, households.households, households.heads,
                                    actor.village_code, actor.at)
            if progress:
                progress(batch.done, header.total)
        _reject_rows(config, options, _repeats_to_reject(conn, actor, repeats, result) + renames,
                     rejections)
        if deferred:
            db.start_flush()  # the rows are written: to disk with them while indexes build
        bulk.restore_indexes(conn, deferred)
        bulk.check_foreign_keys(conn, ("residents", "households"))
        store.refresh_groups(conn, actor.village_code, actor.at, *uid_block())
        result.counts["rejected"] = rejections.count
        record(conn, actor, "roster.import", None,
               {"file": options.path.name, **result.as_json()})
    if not options.dry_run:
        bulk.after_bulk_load(db.conn, ("residents", "households"),
                               result.counts["inserted"] + result.counts["updated"])
    return pipeline.completed(result, rejections)


def _repeats_to_reject(conn: Any, actor: Actor, repeats: list[Repeat],
                       result: pipeline.ImportResult) -> list[Problem]:
    """A row naming a person an earlier row named: an identical copy (a sheet pasted twice)
    is counted as a duplicate and changes nothing; a row that says something else is
    rejected, since which of the two is right is the clerk's call."""
    if not repeats:
        return []
    stored = store.existing_for(conn, actor.village_code, [r.resident for r in repeats])
    problems = []
    for repeat in repeats:
        old = stored.get(store.resident_key(repeat.resident))
        if old is not None and _same(tuple(old[2:]), repeat.resident):
            result.counts["duplicates"] += 1
        else:
            problems.append(repeat.problem())
    return problems


def _same(stored: tuple[Any, ...], row: Resident) -> bool:
    """The row's non-empty values are what is stored."""
    return all(value is None or value == kept for kept, value in zip(stored, row))


def _reject_rows(config: Config, options: ImportOptions, problems: list[Problem],
                 rejections: pipeline.Rejections) -> None:
    """Rows refused once the whole file was seen go to the rejects file with their cells as
    the file has them, read again (they are rare; the rows were checked in workers)."""
    if not problems:
        return
    cells = rows_numbered(options.path, config.header_aliases, {p.row for p in problems},
                          encoding=options.encoding, sheet=options.sheet)
    for problem in sorted(problems, key=lambda p: p.row):
        rejections.add(pipeline.Rejected(problem.row, cells[problem.row], [problem]))


# The columns that give each stored field; a field whose columns the file lacks is not
# given (kept as stored), never blanked. Sex is given by an ID number too.
GIVEN_BY = {"name": ("name",), "sex": ("sex", "id_number"), "id_number": ("id_number",),
            "phone": ("phone",), "household_no": ("household", "head"),
            "relation": ("relation",), "group_name": ("group",), "address": ("address",)}


def given_fields(columns: dict[str, int]) -> frozenset[str]:
    return frozenset(f for f, sources in GIVEN_BY.items() if any(c in columns for c in sources))


def merged(old: tuple[Any, ...], new: Resident, given: frozenset[str],
           clear_empty: bool) -> Resident:
    """The stored resident updated by a row: only with the fields the file gives, and an
    empty cell blanks a field only with clear_empty."""
    return Resident._make(
        value if field in given and (value is not None or clear_empty) else stored
        for field, stored, value in zip(Resident._fields, old, new))


def _upsert(conn: Any, actor: Actor, batch: RosterBatch, given: frozenset[str],
            clear_empty: bool, result: pipeline.ImportResult) -> list[Problem]:
    """Inserts the new, updates the changed; a row whose ID number is someone else's in the
    roster (another name) is returned to be rejected: renaming is `roster rename`."""
    flat = batch.flat
    rows = [flat[i:i + FIELDS_PER_ROW] for i in range(0, len(flat), FIELDS_PER_ROW)]
    residents = [Resident(*row[1:]) for row in rows]
    existing = store.existing_for(conn, actor.village_code, residents)
    new: list[Any] = []
    refused: list[Problem] = []
    for number, row, resident in zip(batch.numbers, rows, residents):
        old = existing.get(store.resident_key(resident))
        if old is None:
            new.extend(row)
            continue
        if "name" in given and person_name(old[2]) != resident.name:
            refused.append(Problem(number, "name", resident.name, "reason_id_other_name",
                                   {"detail": f"#{old[0]} {old[2]}"}))
            continue
        stored = tuple(old[2:])
        updated = merged(stored, resident, given, clear_empty)
        if tuple(updated) == stored:
            result.counts["unchanged"] += 1
            continue
        changes = {f: [o, n] for f, o, n in zip(Resident._fields, stored, updated) if o != n}
        store.update_resident(conn, old[0], updated, actor.at)
        record(conn, actor, "resident.update", f"residents:{old[1]}", changes)
        result.counts["updated"] += 1
    store.insert_residents(conn, new, actor.village_code, actor.at)
    result.counts["inserted"] += len(new) // FIELDS_PER_ROW
    return refused
