"""What every command needs, resolved once from the global options: no module-level state."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from epitool.core.clock import now_iso
from epitool.core.config import Config
from epitool.ids import Actor

if TYPE_CHECKING:
    from epitool.core.database import Database

T = TypeVar("T")


class AppContext:
    """A plain class, not a dataclass: a dataclass is generated at every start-up."""

    def __init__(self, config: Config, lang: str, db_path: Path, by: str | None = None,
                 db_explicit: bool = False) -> None:
        self.config = config
        self.lang = lang
        self.db_path = db_path
        self.by = by
        self.db_explicit = db_explicit
        self.unmasked = False  # full numbers shown because the config turned masking off

    def t(self, key: str, /, **params: Any) -> str:
        from epitool.i18n import translate

        return translate(self.lang, key, **params)

    def open_db(self, *, create: bool = False) -> Database:
        from epitool.core.database import open_db

        seconds = float(self.config["busy_timeout_seconds"])

        def waiting() -> None:  # a writer held up by another: said, not a silent pause
            from epitool.cli.plain import write

            write(self.t("db_waiting", seconds=f"{seconds:g}"), "yellow", stderr=True)

        return open_db(self.db_path, create=create, busy_timeout=seconds, on_wait=waiting)

    def read(self, query: Callable[[Database], T]) -> T:
        """query(db) on the database, opened for it and closed after."""
        with self.open_db() as db:
            return query(db)

    def actor(self) -> Actor:
        return Actor(who=self.by or os_user(), command=masked_argv(),
                     village_code=self.config.village_code, at=now_iso(self.config["timezone"]),
                     office=self.config.is_office)

    def mask(self, reveal: bool) -> bool:
        """Whether to mask numbers: unless --reveal (audited by the command) or the config's
        mask_personal_data: false (audited after the command, audit_unmasked)."""
        if not reveal and not self.config["mask_personal_data"]:
            self.unmasked = True
        return bool(self.config["mask_personal_data"]) and not reveal

    def audit_unmasked(self) -> None:
        """The config showed full numbers: recorded each time it takes effect."""
        from epitool.core.audit import record_reveal

        if self.db_path.exists():
            with self.open_db() as db:
                record_reveal(db, self.actor(), "config: mask_personal_data false", 0)

    def masked(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Rows with their phone numbers masked, unless the config says not to."""
        from epitool.privacy import mask_phone

        if self.mask(False):
            for row in rows:
                row["phone"] = mask_phone(row["phone"])
        return rows

    @property
    def tz(self) -> str:
        return str(self.config["timezone"])

    def date(self, text: str | None) -> date:
        """A typed date, or today in the office's timezone."""
        from epitool.core.dates import parse_date, today

        return parse_date(text, self.tz) if text else today(self.tz)

    def moment(self, text: str | None) -> datetime:
        from epitool.core.clock import now
        from epitool.core.dates import parse_datetime

        return (parse_datetime(text, self.tz, time_alone=True) if text
                else now(self.tz).replace(microsecond=0))


def os_user() -> str:
    """The account the command runs as, for the audit trail: the password database's name
    for the process's user id, also under cron's empty environment. Not $USER or $LOGNAME
    first, as getpass.getuser() reads them: a shell's variables can name anyone. A user id
    without an entry (a container's) is recorded as uid:N."""
    try:
        import pwd
    except ImportError:  # Windows: no user ids; the login name is all there is
        import getpass

        try:
            return getpass.getuser()
        except OSError:
            return "unknown"
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return f"uid:{os.getuid()}"


def masked_argv() -> str:
    """The command line for the audit trail, with ID and phone numbers masked."""
    from epitool.privacy import mask_numbers_in

    return mask_numbers_in(" ".join(["epitool", *sys.argv[1:]]))
