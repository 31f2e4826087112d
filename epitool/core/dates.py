"""Dates and times as clerks type them, read in the office's timezone.

Accepted: 2020-02-03, 2020/2/3, 2020.2.3, 20200203, 2020年2月3日 or 3号, 2月3日 (this year),
today/今天, yesterday/昨天, 前天, tomorrow/明天, 后天, -1d and +1d; a time adds " HH:MM".
Forms that read differently in different countries (03/02/2020) are refused rather than
guessed.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from epitool.core.clock import now, zone
from epitool.core.normalize import clean_cell
from epitool.errors import InputError, RowProblem

ACCEPTED = ("2020-02-03, 2020/2/3, 20200203, 2020年2月3日, 2月3号, today, yesterday, tomorrow, "
            "-1d, +1d")
_YMD = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MD = re.compile(r"^(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$")
_SHIFT = re.compile(r"^([-+])(\d{1,3})\s*d$")
_DMY = re.compile(r"^\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}")
_TIME = re.compile(r"^(.*?)[\sT]+(\d{1,2})[:：](\d{2})(?::(\d{2}))?$")
# days ago
_WORDS = {"today": 0, "今天": 0, "yesterday": 1, "昨天": 1, "前天": 2, "tomorrow": -1, "明天": -1,
          "后天": -2}


def today(tz_name: str) -> date:
    return now(tz_name).date()


def parse_date(text: str, tz_name: str) -> date:
    # as a sheet's cell is read: full-width digits and signs (an input method's) are plain
    value = clean_cell(text).lower()
    base = today(tz_name)
    if value in _WORDS:
        return base - timedelta(days=_WORDS[value])
    for pattern, build in ((_YMD, lambda m: (int(m[1]), int(m[2]), int(m[3]))),
                           (_COMPACT, lambda m: (int(m[1]), int(m[2]), int(m[3]))),
                           (_MD, lambda m: (base.year, int(m[1]), int(m[2])))):
        match = pattern.match(value)
        if match:
            try:
                return date(*build(match))
            except ValueError:
                raise InputError("date_invalid", value=text, accepted=ACCEPTED) from None
    match = _SHIFT.match(value)
    if match:
        days = int(match[2])
        return base - timedelta(days=days) if match[1] == "-" else base + timedelta(days=days)
    # day and month in either order: said so, since that is why it is not read
    key = "date_ambiguous" if _DMY.match(value) else "date_unreadable"
    raise InputError(key, value=text, accepted=ACCEPTED)


def parse_datetime(text: str, tz_name: str, *, time_alone: bool = False) -> datetime:
    """A date form followed by HH:MM; a date alone means now's time if today, else noon.
    With `time_alone` (typed on the command line: `--from 08:00`), HH:MM alone is today's;
    a sheet's cell must say its day."""
    value = clean_cell(text)
    match = _TIME.match(value) or (_TIME.match(f"today {value}") if time_alone else None)
    tz = zone(tz_name)
    if match:
        day = parse_date(match[1], tz_name)
        hour, minute = int(match[2]), int(match[3])
        if hour > 23 or minute > 59:
            raise InputError("date_invalid", value=text, accepted=ACCEPTED + " 09:00")
        return datetime.combine(day, time(hour, minute), tz)
    day = parse_date(value, tz_name)
    current = now(tz_name)
    if day == current.date():
        return current.replace(microsecond=0)
    return datetime.combine(day, time(12, 0), tz)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def sheet_moment(when: str, tz_name: str) -> datetime:
    """A sheet's date (and time) cell: the row is rejected, with the date column named, when
    the cell is empty, cannot be read or is later than now."""
    if not when:
        raise RowProblem("row_no_date", column="date")
    try:
        moment = parse_datetime(when, tz_name)
        check_not_future(moment, now(tz_name).isoformat())
    except InputError as exc:
        raise RowProblem(exc.key, column="date", **exc.params) from None
    return moment


# A clock a few minutes ahead (a phone, a second laptop) is not an error; a day is.
CLOCK_SKEW = timedelta(minutes=10)


def check_not_future(when: date | datetime, now_iso: str) -> None:
    """Nothing is recorded as having happened later than now: a visit, a registration, a
    start, an end. now_iso is the actor's time (Actor.at), in the office's timezone."""
    current = datetime.fromisoformat(now_iso)
    if isinstance(when, datetime):
        if when > current + CLOCK_SKEW:
            raise InputError("date_in_future", value=iso(when), now=iso(current))
    elif when > current.date():
        raise InputError("date_in_future", value=when.isoformat(), now=current.date().isoformat())
