"""The machinery shared by the row-by-row importers (visits, checkpoint registrations):
one transaction, rejected rows with their reasons in a file to fix, a dry run rolled back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from epitool.core.visit_rows import RowProblem
from epitool.errors import EpitoolError
from epitool.i18n import translate
from epitool.io.rejects import RejectsWriter
from epitool.io.tables import Table
from epitool.store.db import Database

SHOWN_PROBLEMS = 20


@dataclass
class Rejections:
    count: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # the first few
    file: Path | None = None


class _DryRun(Exception):
    pass


def import_rows(db: Database, table: Table, *, lang: str, rejects: Path, dry_run: bool,
                handle: Callable[[Any, list[str]], None],
                finish: Callable[[Any, Rejections], None]) -> Rejections:
    """handle(conn, cells) takes a row or raises RowProblem/EpitoolError to reject it;
    finish(conn, rejections) runs last, inside the same transaction."""
    rejections = Rejections()
    writer = RejectsWriter(table.headers, lang, rejects)
    try:
        with db.write() as conn:
            for number, cells in table.rows:
                try:
                    handle(conn, cells)
                except (RowProblem, EpitoolError) as problem:
                    reason = translate(lang, problem.key, **problem.params)
                    rejections.count += 1
                    if len(rejections.problems) < SHOWN_PROBLEMS:
                        rejections.problems.append((number, reason))
                    writer.add(number, cells, reason)
            finish(conn, rejections)
            if dry_run:
                raise _DryRun
            rejections.file = writer.publish()
    except _DryRun:
        pass
    finally:
        writer.discard()
        table.close()
    return rejections


def default_rejects(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")
