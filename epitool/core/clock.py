"""The configured timezone and 'now' in it: the office's day, not the machine's."""

from __future__ import annotations

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
    return datetime.now(zone(tz_name))


def now_iso(tz_name: str) -> str:
    """Timestamps are stored as ISO 8601 with the office's offset, to the second."""
    return now(tz_name).isoformat(timespec="seconds")
