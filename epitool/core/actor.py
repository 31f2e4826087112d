"""Who is writing: recorded with every change in the audit trail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    """Who is writing and through which command; `command` has ID numbers already masked."""

    who: str
    command: str
    village_code: str
    at: str
