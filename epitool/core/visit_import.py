"""Importing the paper backlog of visits: same rules as `visit log`, rejected rows to a file
to fix, and the whole file in one transaction. Re-importing the same file adds nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from epitool.core.config import Config
from epitool.core.people import find_person
from epitool.core.pipeline import ImportResult, Rejections, completed, default_rejects, import_rows
from epitool.core.staff import find_staff
from epitool.core.visit_rows import cell, read_visit
from epitool.core.visits import default_staff, household_round, validated_entry, visit_values
from epitool.errors import RowProblem
from epitool.ids import Actor
from epitool.io.tables import open_table
from epitool.store import visits as store
from epitool.store.audit import record
from epitool.store.db import Database

RESULT_KEYS = ("inserted", "unchanged", "rejected", "fevers")


def import_visits(db: Database, config: Config, actor: Actor, path: Path, *, lang: str,
                  encoding: str | None = None, sheet: str | None = None, dry_run: bool = False,
                  force: bool = False, rejects: Path | None = None) -> ImportResult:
    table = open_table(path, config.header_aliases, encoding=encoding, sheet=sheet,
                       max_bytes=config["max_input_mb"] * 2**20)
    result = ImportResult(RESULT_KEYS, dry_run=dry_run, sheets=table.sheets)
    seen: set[tuple[str, str]] = set()

    def handle(conn: Any, cells: list[str]) -> None:
        _one(db, conn, config, actor, cells, table.columns, force, seen, result)

    def finish(conn: Any, rejections: Rejections) -> None:
        result.counts["rejected"] = rejections.count
        record(conn, actor, "visit.import", None, {"file": path.name, **result.as_json()})

    rejections = import_rows(db, table, lang=lang, rejects=rejects or default_rejects(path),
                             dry_run=dry_run, handle=handle, finish=finish)
    return completed(result, rejections)


def _one(db: Database, conn: Any, config: Config, actor: Actor, cells: list[str],
         columns: dict[str, int], force: bool, seen: set[tuple[str, str]],
         result: ImportResult) -> None:
    entry = read_visit(cells, columns, str(config["timezone"]))
    symptoms, fever, outcome = validated_entry(entry, float(config["fever_threshold"]))
    resident = find_person(db, cell(cells, columns, "id_number") or cell(cells, columns, "name"))
    assert entry.at is not None
    day = entry.at.date().isoformat()
    quarantine = store.quarantine_on(conn, resident["uid"], day)
    if quarantine is None and not force:
        raise RowProblem("row_not_quarantined", name=resident["name"], day=day)
    staff = (find_staff(db, entry.by, actor.village_code) if entry.by
             else default_staff(db, actor, None, quarantine))
    values = visit_values(actor, resident["uid"], quarantine, entry.at, entry, symptoms, fever,
                          outcome, staff)
    values["forced"] = int(quarantine is None)
    key = (resident["uid"], values["at"])
    if key in seen:
        raise RowProblem("row_duplicate_visit", name=resident["name"], at=values["at"][:16])
    seen.add(key)
    if store.same_visit_exists(conn, values):
        result.counts["unchanged"] += 1
        return
    store.add_visit(conn, values)
    household_round(conn, actor, resident, values)
    result.counts["inserted"] += 1
    result.counts["fevers"] += fever
