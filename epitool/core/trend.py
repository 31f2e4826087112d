"""The last N days of the key counts, as data (report.trend draws them)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from epitool.core.worker import beside
from epitool.store.db import Database
from epitool.store.summary import trend_rows

TREND_KEYS = ("under_follow_up", "visited", "fevers", "new", "ended")


def build_trend(db: Database, last: date, days: int) -> list[dict[str, Any]]:
    first = last - timedelta(days=days - 1)
    return trend_rows(db.conn, first.isoformat(), last.isoformat())


def trend_beside(db: Database, last: date, days: int) -> Callable[[], list[dict[str, Any]]]:
    """build_trend started now, in a second process on a big database (worker.beside); the
    function returned gives its rows."""
    first = (last - timedelta(days=days - 1)).isoformat()
    return beside(db, lambda conn: trend_rows(conn, first, last.isoformat()))
