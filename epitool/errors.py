"""The few named exceptions, and the one shape of a validation problem.

Each carries an i18n message key and its parameters, so the same error reads in Chinese or
English without the code that raised it knowing which; the CLI translates at its edge.
"""

from __future__ import annotations

from typing import Any, NamedTuple


class EpitoolError(Exception):
    """Bad input or a refused action: nothing was written. Exit code 1."""

    exit_code = 1

    def __init__(self, key: str, /, **params: Any) -> None:
        self.key = key
        self.params = params
        super().__init__(f"{key}: {params}")


class ConfigError(EpitoolError):
    """The configuration file is unreadable or invalid."""


class InputError(EpitoolError):
    """An input file or value cannot be used."""


class NotFound(EpitoolError):
    """A named person, record or file does not exist."""


class Ambiguous(EpitoolError):
    """A name matched several records; params carry the (masked) candidates."""


class DatabaseError(EpitoolError):
    """The database is missing, too new, busy or damaged."""


class Problem(NamedTuple):  # immutable; cheaper to define at start-up than a dataclass
    """Why one row of an imported sheet was not taken: where, what and why (as data).

    `key` is an i18n message key; `params` its parameters. `column` is a field name
    ("id_number"), or "" when the problem is not one cell's.
    """

    row: int
    column: str
    value: str
    key: str
    params: dict[str, Any] = {}  # noqa: RUF012 - one dict shared by all: never changed


class RowProblem(EpitoolError):
    """Raised by a row validator: the row is rejected with this key, the import goes on."""

    def __init__(self, key: str, /, column: str = "", **params: Any) -> None:
        super().__init__(key, **params)
        self.column = column

    def at(self, row: int) -> Problem:
        return Problem(row, self.column, str(self.params.get("value", "")), self.key,
                       self.params)
