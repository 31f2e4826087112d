"""Importing the paper backlog of visits: same rules as `visit log`, rejected rows to a file
to fix, and the whole file in one transaction. Re-importing the same file adds nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.config import Config
from epitool.core.people import find_person
from epitool.core.staff import find_staff
from epitool.core.visit_rows import RowProblem, read_visit
from epitool.core.visits import household_round, default_staff, validated_entry, visit_values
from epitool.errors import EpitoolError
from epitool.i18n import translate
from epitool.io.rejects import RejectsWriter
from epitool.io.tables import open_table
from epitool.store import visits as store
from epitool.store.audit import Actor, record
from epitool.store.db import Database


@dataclass
class VisitImportResult:
    inserted: int = 0
    unchanged: int = 0
    rejected: int = 0
    fevers: int = 0
    rejects_file: Path | None = None
    problems: list[tuple[int, str]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"inserted": self.inserted, "unchanged": self.unchanged,
                "rejected": self.rejected, "fevers": self.fevers,
                "rejects_file": str(self.rejects_file) if self.rejects_file else None}


class _DryRun(Exception):
    pass


def import_visits(db: Database, config: Config, actor: Actor, path: Path, *, lang: str,
                  encoding: str | None = None, sheet: str | None = None, dry_run: bool = False,
                  force: bool = False, rejects: Path | None = None) -> VisitImportResult:
    table = open_table(path, config.header_aliases, encoding=encoding, sheet=sheet,
                       max_bytes=config["max_input_mb"] * 2**20)
    result = VisitImportResult()
    writer = RejectsWriter(table.headers, lang,
                           rejects or path.with_name(f"{path.stem}.rejects.csv"))
    try:
        with db.write() as conn:
            seen: set[tuple[str, str]] = set()
            for number, cells in table.rows:
                try:
                    _one(db, conn, config, actor, cells, table.columns, force, seen, result)
                except (RowProblem, EpitoolError) as problem:
                    reason = translate(lang, problem.key, **problem.params)
                    result.rejected += 1
                    if len(result.problems) < 20:
                        result.problems.append((number, reason))
                    writer.add(number, cells, reason)
            record(conn, actor, "visit.import", None, {"file": path.name, **result.as_json()})
            if dry_run:
                raise _DryRun
            result.rejects_file = writer.publish()
    except _DryRun:
        pass
    finally:
        writer.discard()
        table.close()
    return result


def _one(db: Database, conn: Any, config: Config, actor: Actor, cells: list[str],
         columns: dict[str, int], force: bool, seen: set[tuple[str, str]],
         result: VisitImportResult) -> None:
    entry = read_visit(cells, columns, str(config["timezone"]))
    symptoms, fever, outcome = validated_entry(entry, float(config["fever_threshold"]))
    resident = _person(db, cells, columns)
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
        result.unchanged += 1
        return
    store.add_visit(conn, values)
    household_round(conn, actor, resident, values)
    result.inserted += 1
    result.fevers += fever


def _person(db: Database, cells: list[str], columns: dict[str, int]) -> dict[str, Any]:
    from epitool.core.visit_rows import cell

    number = cell(cells, columns, "id_number")
    return find_person(db, number or cell(cells, columns, "name"))
