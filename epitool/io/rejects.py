"""Rejected rows of an import, in a file the clerk can fix and import again."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import Any

from epitool.errors import InputError, Problem
from epitool.i18n import describe_problem, translate
from epitool.io.writers import free_path
from epitool.textsafe import neutralise


class RejectsWriter:
    """Rejected rows with their original cells plus a reason column, in a temporary file
    until the import commits, then under a name that overwrites nothing."""

    def __init__(self, headers: list[str], lang: str, wanted: Path) -> None:
        self.headers = headers
        self.lang = lang
        self.wanted = wanted
        self.temp: Path | None = None
        self.handle: Any = None
        self.writer: Any = None

    def add(self, row: int, cells: list[str], problems: list[Problem]) -> None:
        if self.writer is None:
            self._open()
        reason = "; ".join(describe_problem(self.lang, p) for p in problems)
        self.writer.writerow([neutralise(c) for c in cells] + [row, reason])

    def _open(self) -> None:
        import tempfile

        try:
            fd, name = tempfile.mkstemp(prefix=".epitool-rejects-", suffix=".csv",
                                        dir=self.wanted.parent)
        except OSError as exc:
            raise InputError("output_unwritable", path=str(self.wanted),
                             reason=exc.strerror) from None
        os.close(fd)  # mkstemp creates it 0600
        self.temp = Path(name)
        self.handle = self.temp.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.handle)
        self.writer.writerow([neutralise(h) for h in self.headers] +
                             [translate(self.lang, "rejects_row"),
                              translate(self.lang, "rejects_reason")])

    def publish(self) -> Path | None:
        if self.temp is None:
            return None
        self.handle.close()
        target = free_path(self.wanted)
        try:
            os.link(self.temp, target)  # fails rather than replace a file made meanwhile
        except FileExistsError:
            raise InputError("output_exists_choose", path=str(target)) from None
        except OSError:
            os.rename(self.temp, target)  # no hard links (FAT USB sticks)
        return target

    def discard(self) -> None:
        if self.handle is not None and not self.handle.closed:
            self.handle.close()
        if self.temp is not None and self.temp.exists():
            self.temp.unlink()
