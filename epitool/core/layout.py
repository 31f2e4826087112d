"""Where a record's fields sit in the rows of one file."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import NamedTuple

from epitool.core.normalize import clean_cells


class Layout(NamedTuple):
    """Where each field of a record type sits in a file's rows, resolved once per file. A
    field the file lacks reads from a padding cell past the row's end, always empty."""

    pick: Callable[[list[str]], tuple[str, ...]]  # a padded row -> its cells in field order
    padding: list[str]

    @classmethod
    def of(cls, columns: dict[str, int], fields: tuple[str, ...]) -> Layout:
        width = max(columns.values(), default=-1) + 1
        return cls(itemgetter(*(columns.get(f, width) for f in fields)), [""] * (width + 1))

    def read(self, cells: list[str]) -> tuple[str, ...]:
        """The row's fields in order, each cleaned as clerks' cells are (clean_cells). The
        row is cut to the known columns first: a missing field must read the padding, not
        a cell some unknown column holds (a rejects file's source_row and reason)."""
        return clean_cells(self.pick(cells[:len(self.padding) - 1] + self.padding))
