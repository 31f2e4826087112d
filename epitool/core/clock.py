"""The configured timezone and 'now' in it: the office's day, not the machine's."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from functools import lru_cache

from epitool.errors import ConfigError


@lru_cache(maxsize=8)
def _zone(name: str) -> tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def zone(name: str, where: str = "config") -> tzinfo:
    try:
        return _zone(name)
    except (ValueError, KeyError, OSError):
        raise ConfigError("config_bad_value", key="timezone", path=where, value=name,
                          expected="an IANA zone such as Asia/Shanghai") from None
    except Exception:  # ZoneInfoNotFoundError subclasses KeyError; belt and braces
        raise ConfigError("config_bad_value", key="timezone", path=where, value=name,
                          expected="an IANA zone such as Asia/Shanghai") from None


def now(tz_name: str) -> datetime:
    """Now in the office's timezone. EPITOOL_NOW (ISO 8601, e.g. 2020-02-03T16:01:00Z)
    pretends another moment: to check what a cron job will do at midnight, say."""
    fixed = os.environ.get("EPITOOL_NOW")
    if fixed:
        try:
            moment = datetime.fromisoformat(fixed.strip().replace("Z", "+00:00"))
        except ValueError:
            raise ConfigError("config_bad_value", key="EPITOOL_NOW", path="environment",
                              value=fixed, expected="an ISO 8601 time such as "
                              "2020-02-03T16:01:00Z") from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=zone(tz_name))
        return moment.astimezone(zone(tz_name))
    return datetime.now(zone(tz_name))


def now_iso(tz_name: str) -> str:
    """Timestamps are stored as ISO 8601 with the office's offset, to the second."""
    return now(tz_name).isoformat(timespec="seconds")
