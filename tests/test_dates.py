"""Dates and times as clerks type them, in the office's timezone."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from epitool.core import clock
from epitool.core.dates import parse_date, parse_datetime
from epitool.errors import InputError

TZ = "Asia/Shanghai"


@pytest.mark.parametrize("text, expected", [
    ("2020-02-03", date(2020, 2, 3)), ("2020/2/3", date(2020, 2, 3)),
    ("2020.2.3", date(2020, 2, 3)), ("2020年2月3日", date(2020, 2, 3)),
    ("2020 年 2 月 3 日", date(2020, 2, 3)),
    # as clerks type them
    ("20200203", date(2020, 2, 3)), ("2020年2月3号", date(2020, 2, 3)),
    ("2020年12月1号", date(2020, 12, 1)),
])
def test_forms(text: str, expected: date) -> None:
    assert parse_date(text, TZ) == expected


def test_relative_forms() -> None:
    today = clock.now(TZ).date()
    assert parse_date("today", TZ) == today == parse_date("今天", TZ)
    assert parse_date("yesterday", TZ) == today - timedelta(days=1) == parse_date("昨天", TZ)
    assert parse_date("-3d", TZ) == today - timedelta(days=3)
    assert parse_date("2月3日", TZ) == date(today.year, 2, 3)


@pytest.mark.parametrize("text, key", [
    ("03/02/2020", "date_ambiguous"), ("02-03-2020", "date_ambiguous"),
    ("3/2", "date_unreadable"), ("next tuesday", "date_unreadable"), ("", "date_unreadable")])
def test_ambiguous_or_unknown_refused(text: str, key: str) -> None:
    """Only a day-month-year form is told why it is not guessed; the rest, just refused."""
    with pytest.raises(InputError) as caught:
        parse_date(text, TZ)
    assert caught.value.key == key
    assert "2020年2月3日" in caught.value.params["accepted"]


@pytest.mark.parametrize("text", ["2020-02-30", "2021-2-29", "13月1日"])
def test_impossible_dates(text: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_date(text, TZ)
    assert caught.value.key in ("date_invalid", "date_unreadable")


def test_datetime_forms() -> None:
    moment = parse_datetime("2020/2/3 09:05", TZ)
    assert moment.isoformat() == "2020-02-03T09:05:00+08:00"
    assert parse_datetime("2020年2月3日 21:30", TZ).hour == 21
    with pytest.raises(InputError):
        parse_datetime("2020-02-03 25:00", TZ)


def test_utc_machine_at_half_past_midnight_beijing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cron on a UTC machine at 16:30 UTC: it is already the next day in Beijing."""
    fixed = datetime(2020, 2, 3, 16, 30, tzinfo=timezone.utc)

    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return fixed.astimezone(tz) if tz else fixed.replace(tzinfo=None)

    monkeypatch.setattr(clock, "datetime", Frozen)
    monkeypatch.setenv("TZ", "UTC")
    assert parse_date("today", TZ) == date(2020, 2, 4)
    assert parse_date("today", "UTC") == date(2020, 2, 3)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_round_trip_every_written_form(day: date) -> None:
    for text in (day.isoformat(), f"{day.year}/{day.month}/{day.day}",
                 f"{day.year}年{day.month}月{day.day}日"):
        assert parse_date(text, TZ) == day


@given(st.text(max_size=20))
def test_never_crashes(text: str) -> None:
    try:
        parse_date(text, TZ)
    except InputError:
        pass


def test_days_ahead() -> None:
    today = clock.now(TZ).date()
    tomorrow = today + timedelta(days=1)
    assert parse_date("tomorrow", TZ) == parse_date("明天", TZ) == parse_date("+1d", TZ) == tomorrow
    assert parse_date("后天", TZ) == today + timedelta(days=2)
    assert parse_date(f"{today.month}月{today.day}号", TZ) == today


def test_the_list_remind_suggests_runs(run) -> None:  # type: ignore[no-untyped-def]
    """remind suggests `quarantine list --ending tomorrow`: it must run."""
    assert run("init").exit_code == 0
    assert run("quarantine", "list", "--ending", "tomorrow").exit_code == 0
    assert run("quarantine", "list", "--ending", "明天").exit_code == 0


def test_full_width_dates_read_as_plain_ones() -> None:
    """An input method in full-width mode types ２０２０－０２－０３: read as a sheet's cell is."""
    assert parse_date("２０２０－０２－０３", "Asia/Shanghai") == date(2020, 2, 3)
    assert parse_datetime("２０２０－０２－０３　０９：３０", "Asia/Shanghai").hour == 9


def test_a_time_alone_is_today_on_the_command_line_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--from 08:00` is today at 08:00; a sheet's cell with only a time says no day, and
    is refused rather than put on the day of the import."""
    monkeypatch.setenv("EPITOOL_NOW", "2020-02-03T12:00:00+08:00")
    typed = parse_datetime("08:00", "Asia/Shanghai", time_alone=True)
    assert (typed.date(), typed.hour) == (date(2020, 2, 3), 8)
    with pytest.raises(InputError):
        parse_datetime("08:00", "Asia/Shanghai")
