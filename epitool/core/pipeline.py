"""The one shape of every import (roster, visits, checkpoint registrations):

    reader (io.tables) -> header mapping -> one validator per row -> store

in one transaction, with rejected rows and their problems (errors.Problem) written to a file
the clerk can fix and import again, and one result type whose JSON form scripts read.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import count, islice
from pathlib import Path
from typing import Any

from epitool.core.worker import FlatTransfer
from epitool.errors import EpitoolError, Problem, RowProblem
from epitool.io.rejects import RejectsWriter
from epitool.io.tables import Table
from epitool.store.db import Database

SHOWN_PROBLEMS = 20
Progress = Callable[[int, int], None]  # (done, total), for a progress bar
FIRST_BATCH_ROWS = 2_000  # the database starts work while the worker reads on
BATCH_ROWS = 5_000
BIG_FILE_BYTES = 8 * 2**20  # below this, a journal switch costs more than it saves
WORKERS_FROM_BYTES = 4 * 2**20  # below this (about 50,000 rows) workers cost what they save


@dataclass
class Header:
    """What is known of a file once its header row is found."""

    headers: list[str]
    columns: dict[str, int]
    total: int  # progress units: bytes for text, rows for workbooks
    sheets: tuple[str, ...] = ()  # a workbook's sheets, the one read first

    @classmethod
    def of(cls, table: Table) -> Header:
        return cls(table.headers, table.columns, table.total, table.sheets)


Items = Iterator["Header | Batch"]  # what a producer yields: its Header, then Batches


@dataclass
class Rejected:
    row: int
    cells: list[str]
    problems: list[Problem]


@dataclass
class Batch(FlatTransfer):
    """Valid rows flattened (`width` values each, as the store inserts them), rejected
    rows, and counts beside them (fevers, plate warnings, rows already imported ...)."""

    flat: list[Any] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    counts: Counter[str] = field(default_factory=Counter)
    taken: int = 0  # rows read into this batch
    done: int = 0  # progress units read so far


@dataclass
class ImportResult:
    """What an import did. `keys` are the counts its JSON form carries, in order."""

    keys: tuple[str, ...]
    counts: Counter[str] = field(default_factory=Counter)
    rejects_file: Path | None = None
    problems: list[Problem] = field(default_factory=list)  # the first few, for the screen
    dry_run: bool = False
    sheets: tuple[str, ...] = ()  # a workbook's sheets, the one read first (for the screen)
    notes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (key, params)

    def __getitem__(self, key: str) -> int:
        return self.counts[key]

    def as_json(self) -> dict[str, Any]:
        return {**{k: self.counts[k] for k in self.keys},
                "rejects_file": str(self.rejects_file) if self.rejects_file else None}


class Rejections:
    """Rejected rows: counted, the first few kept for the screen, all written to a file."""

    def __init__(self, headers: list[str], lang: str, wanted: Path) -> None:
        self.count = 0
        self.problems: list[Problem] = []
        self.file: Path | None = None
        self.writer = RejectsWriter(headers, lang, wanted)

    def add(self, rejected: Rejected) -> None:
        self.count += 1
        room = SHOWN_PROBLEMS - len(self.problems)
        if room > 0:
            self.problems.extend(rejected.problems[:room])
        self.writer.add(rejected.row, rejected.cells, rejected.problems)


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


def completed(result: ImportResult, rejections: Rejections) -> ImportResult:
    """After the transaction: the problems to show and the rejects file it published (the
    importer counted the rejected rows itself, for its audit row inside the transaction)."""
    result.problems, result.rejects_file = rejections.problems, rejections.file
    return result


Share = tuple[int, int]  # (this producer, of how many): which chunks of the rows it checks
ALONE: Share = (0, 1)


def batches(table: Table, fill: Callable[[Iterator[tuple[int, list[str]]], int], Batch],
            share: Share = ALONE) -> Iterator[Header | Batch]:
    """A producer: the file's Header (from the first producer only), then Batches that
    fill(rows, limit) makes of at most `limit` rows each, until the rows run out.

    Several producers can read the same file side by side: chunk k of the rows is checked by
    producer k % n, the others read past it, and the consumer takes a batch from each in
    turn (worker.in_workers). Closes the table however it ends."""
    mine, producers = share
    try:
        if mine == 0:
            yield Header.of(table)
        limit = FIRST_BATCH_ROWS
        for chunk in count():
            if chunk % producers == mine:
                batch = fill(table.rows, limit)
                if not batch.taken:
                    return
                batch.done = table.done()
                yield batch
            elif not sum(1 for _ in islice(table.rows, limit)):
                return
            limit = BATCH_ROWS
    finally:
        table.close()


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


def produced(make: Callable[[Share], Iterator[Any]], path: Path,
             producers: int = 1) -> Iterator[Any]:
    """make()'s items; for a big file from worker processes, which read and check beside
    the inserts on the other core. Producers that each take a share of the rows
    (batches) only pay when what they share is much more work than reading a row."""
    from epitool.core.worker import fork_available, in_workers

    if not (path.is_file() and path.stat().st_size >= WORKERS_FROM_BYTES
            and fork_available()):
        return make(ALONE)
    return in_workers([partial(make, (k, producers)) for k in range(producers)])


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
    """Row by row, for imports whose rows each need the database (visits): handle(conn,
    cells) takes a row or raises an EpitoolError to reject it; finish(conn, rejections)
    runs last, inside the same transaction."""
    rejections = Rejections(table.headers, lang, rejects)
    try:
        with import_transaction(db, rejections, dry_run) as conn:
            for number, cells in table.rows:
                try:
                    handle(conn, cells)
                except EpitoolError as problem:
                    rejections.add(Rejected(number, cells, [as_problem(problem, number)]))
            finish(conn, rejections)
    finally:
        table.close()
    return rejections


def as_problem(error: EpitoolError, row: int) -> Problem:
    if isinstance(error, RowProblem):
        return error.at(row)
    return Problem(row, "", "", error.key, error.params)


def default_rejects(path: Path) -> Path:
    return path.with_name(f"{path.stem}.rejects.csv")
