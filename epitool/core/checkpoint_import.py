"""Importing the sheets guards keep at checkpoints: the same rules as `checkpoint log`,
rejected rows to a file to fix, the whole file in one transaction.

A registration already in the database (same checkpoint, time, name and ID) is not imported
again: a sheet imported twice does not count everyone twice. Big sheets are read and checked
in a worker process while this one inserts (checkpoint_rows).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from epitool.core import pipeline
from epitool.core.checkpoint_rows import FIELDS_PER_ROW, Settings, read_checkpoints
from epitool.core.config import Config
from epitool.ids import Actor
from epitool.store import checkpoints as store
from epitool.store.audit import record
from epitool.store.bulk import after_bulk_load
from epitool.store.db import Database
from epitool.textsafe import shell_word

RESULT_KEYS = ("inserted", "unchanged", "rejected", "plate_warnings", "fevers")


@dataclass
class CheckpointImport:
    path: Path
    lang: str
    encoding: str | None = None
    sheet: str | None = None
    dry_run: bool = False
    point: str | None = None  # for sheets without a checkpoint column
    rejects: Path | None = None  # None: beside the input
    add_points: bool = False  # checkpoints the sheet names that are not set up: added


def import_checkpoint_logs(open_db: Callable[[], Database], config: Config, actor: Actor,
                           options: CheckpointImport,
                           progress: pipeline.Progress | None = None) -> pipeline.ImportResult:
    """The file's header is read before the database is opened for writing, so a file that
    cannot be read changes nothing; the worker is forked before that, too."""
    with open_db() as db:
        settings = Settings(store.checkpoint_uids(db.conn, actor.village_code), options.point,
                            float(config["fever_threshold"]), str(config["timezone"]),
                            db.path if store.has_logs(db.conn) else None)
    new_points = _unknown_points(config, options, settings) if options.add_points else {}
    settings.points.update(new_points)
    items = _items(config, options, settings)
    header = pipeline.first_item(items)
    assert isinstance(header, pipeline.Header)
    try:
        bulk = settings.db_path is None and pipeline.big_file(options.path)
        with open_db() as db, pipeline.loading(db, bulk):
            return _import(db, actor, options, items, header, progress, new_points)
    finally:
        items.close()  # type: ignore[attr-defined]


def _unknown_points(config: Config, options: CheckpointImport,
                    settings: Settings) -> dict[str, str]:
    """The checkpoints the sheet names that are not set up, each with a new uid: read once
    before the import, by the same rule that would reject their rows."""
    from epitool.ids import new_uid

    names: dict[str, str] = {}
    for item in read_checkpoints(options.path, config.header_aliases, settings,
                                 encoding=options.encoding, sheet=options.sheet,
                                 max_bytes=config["max_input_mb"] * 2**20):
        for rejected in getattr(item, "rejected", ()):
            for problem in rejected.problems:
                name = str(problem.params.get("point", ""))
                if (problem.key == "row_unknown_checkpoint" and name not in ("", "-")
                        and not name.startswith("#")):  # a #number names one that exists
                    names.setdefault(name, new_uid())
    return names


def _items(config: Config, options: CheckpointImport,
           settings: Settings) -> pipeline.Items:
    def make(share: pipeline.Share) -> pipeline.Items:  # one producer: it de-duplicates
        return read_checkpoints(options.path, config.header_aliases, settings,
                                encoding=options.encoding, sheet=options.sheet,
                                max_bytes=config["max_input_mb"] * 2**20)

    return pipeline.produced(make, options.path)


def _import(db: Database, actor: Actor, options: CheckpointImport,
            items: pipeline.Items, header: pipeline.Header,
            progress: pipeline.Progress | None,
            new_points: dict[str, str]) -> pipeline.ImportResult:
    result = pipeline.ImportResult(RESULT_KEYS, dry_run=options.dry_run, sheets=header.sheets)
    rejections = pipeline.Rejections(header.headers, options.lang,
                                     options.rejects or pipeline.default_rejects(options.path))
    unknown: Counter[str] = Counter()  # checkpoints the sheet names that are not set up
    with pipeline.import_transaction(db, rejections, options.dry_run) as conn:
        for name, uid in new_points.items():  # in the import's transaction: all or nothing
            store.add_checkpoint(conn, {"uid": uid, "village_code": actor.village_code,
                                        "name": name, "location": None,
                                        "created_at": actor.at})
            record(conn, actor, "checkpoint.add", f"checkpoints:{uid}", {"name": name})
        if new_points:
            result.notes.append(("import_points_added", {"points": ", ".join(new_points)}))
        for batch in items:
            assert isinstance(batch, pipeline.Batch)
            for rejected in batch.rejected:
                rejections.add(rejected)
                unknown.update(p.params["point"] for p in rejected.problems
                               if p.key == "row_unknown_checkpoint")
            store.insert_logs(conn, batch.flat, actor.village_code, actor.at)
            result.counts["inserted"] += len(batch.flat) // FIELDS_PER_ROW
            result.counts.update(batch.counts)
            if progress:
                progress(batch.done, header.total)
        result.counts["rejected"] = rejections.count
        if unknown:  # said once, with the command that sets them up, not row by row only
            result.notes.append(("import_unknown_points", {
                "points": ", ".join(f"{name} ({count})" for name, count in unknown.items()),
                "command": " && ".join(f"epitool checkpoint add {shell_word(name)}"
                                       for name in unknown if name != "-")}))
        record(conn, actor, "checkpoint.import", None,
               {"file": options.path.name, **result.as_json()})
    if not options.dry_run:
        after_bulk_load(db.conn, ("checkpoint_logs",), result.counts["inserted"])
    return pipeline.completed(result, rejections)
