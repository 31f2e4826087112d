"""The few named exceptions core code raises; the CLI turns them into messages and exit codes.

Each carries an i18n message key and its parameters, so the same error reads in Chinese or
English without the core knowing which.
"""

from __future__ import annotations

from typing import Any


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
