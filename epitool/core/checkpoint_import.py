"""Importing the sheets guards keep at checkpoints: the same rules as `checkpoint log`,
rejected rows to a file to fix, the whole file in one transaction.

A registration already in the database (same checkpoint, time, name and ID) is not imported
again: a sheet imported twice does not count everyone twice. Big sheets are read and checked
in a worker process while this one inserts (checkpoint_rows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.checkpoint_rows import (FIELDS_PER_ROW, Batch, Header, Settings,
                                         read_checkpoints)
from epitool.core.config import Config
from epitool.core.row_import import (Progress, Rejections, big_file, default_rejects,
                                     first_item, import_transaction, loading, produced)
from epitool.store import checkpoints as store
from epitool.store.audit import Actor, record
from epitool.store.db import Database

@dataclass
class CheckpointImportResult:
    inserted: int = 0
    unchanged: int = 0  # already in the database from an earlier import
    rejected: int = 0
    plate_warnings: int = 0
    fevers: int = 0
    rejects_file: Path | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "unchanged": self.unchanged,
                "rejected": self.rejected, "plate_warnings": self.plate_warnings,
                "fevers": self.fevers,
                "rejects_file": str(self.rejects_file) if self.rejects_file else None}


@dataclass
class CheckpointImport:
    path: Path
    lang: str
    encoding: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    point: str | None = None  # for sheets without a checkpoint column
    rejects: Path | None = None  # None: beside the input


def import_checkpoint_logs(open_db: Callable[[], Database], config: Config, actor: Actor,
                           options: CheckpointImport,
                           progress: Progress | None = None) -> CheckpointImportResult:
    """The file's header is read before the database is opened for writing, so a file that
    cannot be read changes nothing; the worker is forked before that, too."""
    db = open_db()
    try:
        settings = Settings(store.checkpoint_uids(db.conn, actor.village_code), options.point,
                            float(config["fever_threshold"]), str(config["timezone"]),
                            db.path if store.has_logs(db.conn) else None)
    finally:
        db.close()
    items = _items(config, options, settings)
    header = first_item(items)
    assert isinstance(header, Header)
    db = open_db()
    try:
        with loading(db, settings.db_path is None and big_file(options.path)):
            return _import(db, actor, options, items, header, progress)
    finally:
        items.close()
        db.close()


def _items(config: Config, options: CheckpointImport,
           settings: Settings) -> Iterator[Header | Batch]:
    def make() -> Iterator[Header | Batch]:
        return read_checkpoints(options.path, config.header_aliases, settings,
                                encoding=options.encoding, sheet=options.sheet,
                                max_bytes=config["max_input_mb"] * 2**20)

    return produced(make, options.path)


def _import(db: Database, actor: Actor, options: CheckpointImport,
            items: Iterator[Header | Batch], header: Header,
            progress: Progress | None) -> CheckpointImportResult:
    result = CheckpointImportResult()
    rejections = Rejections(header.headers, options.lang,
                            options.rejects or default_rejects(options.path))
    with import_transaction(db, rejections, options.dry_run) as conn:
        for batch in items:
            assert isinstance(batch, Batch)
            for item in batch.rejected:
                rejections.add(item.row, item.cells, item.key, item.params)
            store.insert_logs(conn, batch.flat, actor.village_code, actor.at)
            result.inserted += len(batch.flat) // FIELDS_PER_ROW
            result.unchanged += batch.already_imported
            result.plate_warnings += batch.plate_warnings
            result.fevers += batch.fevers
            if progress:
                progress(batch.done, header.total)
        result.rejected = rejections.count
        record(conn, actor, "checkpoint.import", None,
               {"file": options.path.name, **result.as_json()})
    result.problems, result.rejects_file = rejections.problems, rejections.file
    return result
