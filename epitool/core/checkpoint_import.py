"""Importing the sheets guards keep at checkpoints: the same rules as `checkpoint log`,
rejected rows to a file to fix, the whole file in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.checkpoints import validated
from epitool.core.config import Config
from epitool.core.uid import uid_sequence
from epitool.core.visit_rows import RowProblem, cell, row_moment, temperature
from epitool.core.row_import import Rejections, default_rejects, import_rows
from epitool.io.tables import open_table
from epitool.store import checkpoints as store
from epitool.store.audit import Actor, record
from epitool.store.db import Database

YES = {"是", "已劝返", "劝返", "√", "✓", "1", "y", "yes", "true"}
NO = {"", "否", "无", "×", "0", "n", "no", "false"}
DIRECTIONS = {"进": "in", "入": "in", "in": "in", "出": "out", "out": "out", "": "in"}


@dataclass
class CheckpointImportResult:
    inserted: int = 0
    rejected: int = 0
    plate_warnings: int = 0
    fevers: int = 0
    rejects_file: Path | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "rejected": self.rejected,
                "plate_warnings": self.plate_warnings, "fevers": self.fevers,
                "rejects_file": str(self.rejects_file) if self.rejects_file else None}


def import_checkpoint_logs(db: Database, config: Config, actor: Actor, path: Path, *,
                           lang: str, encoding: str | None = None, sheet: str | None = None,
                           dry_run: bool = False, point: str | None = None,
                           rejects: Path | None = None,
                           progress: Any = None) -> CheckpointImportResult:
    table = open_table(path, config.header_aliases, encoding=encoding, sheet=sheet,
                       max_bytes=config["max_input_mb"] * 2**20)
    result = CheckpointImportResult()
    points: dict[str, str | None] = {}
    uids = uid_sequence()
    threshold, tz = float(config["fever_threshold"]), str(config["timezone"])
    seen: set[bytes] = set()
    batch: list[dict[str, Any]] = []

    def flush(conn: Any) -> None:
        store.add_logs(conn, batch)
        result.inserted += len(batch)
        batch.clear()
        if progress:
            progress(table.done(), table.total)

    def handle(conn: Any, cells: list[str]) -> None:
        values = _row(conn, cells, table.columns, point, points, actor, threshold, tz)
        key = _passage_key(values)
        if key in seen:
            raise RowProblem("row_duplicate_passage", name=values["name"], at=values["at"][:16])
        seen.add(key)
        values.update(uid=next(uids), village_code=actor.village_code, created_at=actor.at)
        batch.append(values)
        result.plate_warnings += values["plate_ok"] == 0
        result.fevers += values["fever"]
        if len(batch) >= 10_000:
            flush(conn)

    def finish(conn: Any, rejections: Rejections) -> None:
        flush(conn)
        result.rejected = rejections.count
        record(conn, actor, "checkpoint.import", None, {"file": path.name, **result.as_json()})

    rejections = import_rows(db, table, lang=lang, rejects=rejects or default_rejects(path),
                             dry_run=dry_run, handle=handle, finish=finish)
    result.problems, result.rejects_file = rejections.problems, rejections.file
    return result


def _passage_key(values: dict[str, Any]) -> bytes:
    """16 bytes per registration seen: a million keys as tuples of strings took 300 MB."""
    import hashlib

    text = "\x1f".join(str(values[k]) for k in ("checkpoint_uid", "at", "name", "id_number"))
    return hashlib.blake2b(text.encode(), digest_size=16).digest()


def _row(conn: Any, cells: list[str], columns: dict[str, int], default_point: str | None,
         points: dict[str, str | None], actor: Actor, threshold: float,
         tz: str) -> dict[str, Any]:
    name = cell(cells, columns, "point") or default_point or ""
    if name not in points:
        found = store.checkpoint_named(conn, actor.village_code, name) if name else None
        points[name] = found["uid"] if found else None
    if points[name] is None:
        raise RowProblem("row_unknown_checkpoint", point=name or "-")
    at = row_moment(cells, columns, tz)
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
    values = validated({"name": cell(cells, columns, "name"),
                         "id_number": cell(cells, columns, "id_number"),
                         "phone": cell(cells, columns, "phone"),
                         "plate": cell(cells, columns, "plate"), "direction": direction,
                         "temp": temp, "origin": cell(cells, columns, "origin") or None,
                         "destination": cell(cells, columns, "destination") or None,
                         "purpose": None, "turned_back": turned_back}, threshold)
    values.update(checkpoint_uid=points[name], at=at.isoformat(timespec="seconds"),
                  day=at.date().isoformat(), resident_uid=None)
    return values
