"""The machinery shared by the importers of records (visits, checkpoint registrations): one
transaction, rejected rows with their reasons in a file to fix, a dry run rolled back."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from epitool.core.visit_rows import RowProblem
from epitool.errors import EpitoolError
from epitool.i18n import translate
from epitool.io.rejects import RejectsWriter
from epitool.io.tables import Table
from epitool.store.db import Database

SHOWN_PROBLEMS = 20
Progress = Callable[[int, int], None]  # (done, total), for a progress bar
FIRST_BATCH_ROWS = 2_000  # the database starts work while the worker reads on
BIG_FILE_BYTES = 8 * 2**20  # below this, a worker or a journal switch costs more than it saves


class Rejections:
    """Rejected rows: counted, the first few kept for the screen, all written to a file."""

    def __init__(self, headers: list[str], lang: str, wanted: Path) -> None:
        self.lang = lang
        self.count = 0
        self.problems: list[tuple[int, str]] = []
        self.file: Path | None = None
        self.writer = RejectsWriter(headers, lang, wanted)

    def add(self, number: int, cells: list[str], key: str, params: dict[str, Any]) -> None:
        self.add_reason(number, cells, translate(self.lang, key, **params))

    def add_reason(self, number: int, cells: list[str], reason: str) -> None:
        self.count += 1
        if len(self.problems) < SHOWN_PROBLEMS:
            self.problems.append((number, reason))
        self.writer.add(number, cells, reason)


class _DryRun(Exception):
    pass


@contextmanager
def import_transaction(db: Database, rejections: Rejections,
                       dry_run: bool) -> Iterator[Any]:
    """The import's one transaction: committed with its rejects file published, or rolled
    back (a dry run, an error) with the rejects file discarded."""
    try:
        with db.write() as conn:
            yield conn
            if dry_run:
                raise _DryRun
            rejections.file = rejections.writer.publish()
    except _DryRun:
        pass
    finally:
        rejections.writer.discard()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Millions of short-lived row tuples make the cyclic GC rescan the heap over and over;
    an import creates no reference cycles worth collecting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def big_file(path: Path) -> bool:
    return path.is_file() and path.stat().st_size >= BIG_FILE_BYTES


def produced(make: Callable[[], Iterator[Any]], path: Path) -> Iterator[Any]:
    """make()'s items, from a worker process for a big file (parsing and checking then run
    beside the inserts, on the other core)."""
    from epitool.core.worker import fork_available, in_worker

    return in_worker(make) if big_file(path) and fork_available() else make()


def first_item(items: Iterator[Any]) -> Any:
    """A producer's first item (its header); the producer closed if even that fails."""
    try:
        return next(items)
    except BaseException:
        items.close()  # type: ignore[attr-defined]
        raise


@contextmanager
def loading(db: Database, bulk_load: bool) -> Iterator[None]:
    """The setting of a big load: no cyclic GC; a rollback journal for a bulk load."""
    with gc_paused(), db.bulk_journal() if bulk_load else nullcontext():
        yield


def import_rows(db: Database, table: Table, *, lang: str, rejects: Path, dry_run: bool,
                handle: Callable[[Any, list[str]], None],
                finish: Callable[[Any, Rejections], None]) -> Rejections:
    """handle(conn, cells) takes a row or raises RowProblem/EpitoolError to reject it;
    finish(conn, rejections) runs last, inside the same transaction."""
    rejections = Rejections(table.headers, lang, rejects)
    try:
        with import_transaction(db, rejections, dry_run) as conn:
            for number, cells in table.rows:
                try:
                    handle(conn, cells)
                except (RowProblem, EpitoolError) as problem:
                    rejections.add(number, cells, problem.key, problem.params)
            finish(conn, rejections)
    finally:
        table.close()
    return rejections


def default_rejects(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")
