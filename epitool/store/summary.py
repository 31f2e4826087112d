"""The day's follow-up for the summary, the reports and the reminders.

Everyone under follow-up is counted per area in SQL, in one pass (followup_counts); only the
few a report or a reminder names are looked up in full (followup_details), and so are the
look-ups for a few people only (their last visit, their latest reading). The same queries
serve a village of 30 and a district of 50,000 people under follow-up.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any, NamedTuple

from epitool.store.day_rules import (
    COUNT_START_ON,
    DUE_A_VISIT,
    FIRST_COUNTED,
    LAST_DAY_ON,
    NEW_ON,
    UNDER_FOLLOW_UP,
    on_day,
)
from epitool.store.sql import SEEN, flag, shown_group

FOLLOWUP_KEYS = ("quarantine_id", "person_id", "name", "id_number", "phone", "group",
                 "village", "village_code", "kind", "start_date", "original_start", "last_day",
                 "end_date", "status", "due", "staff", "visited", "missed", "fever",
                 "symptomatic", "max_temp", "symptoms", "visited_yesterday", "fever_yesterday",
                 "lost", "group_shown")
FOLLOWUP_COUNTS = ("under_follow_up", "home", "central", "new_today", "visited", "not_visited",
                   "missed", "fevers", "symptomatic", "ending_today", "lost_to_followup")


class Purpose(NamedTuple):
    named: str  # SQL: who, of everyone under follow-up, is named and not only counted
    since: str  # SQL: the first day of visits it looks at


# The daily report names those not visited, with a fever or symptoms, or ending today; the
# reminders everyone active with something possibly due, which needs yesterday's visits too.
# Fixed SQL chosen by name: no caller's text reaches the query.
PURPOSES = {
    "report": Purpose("(due = 1 AND visited = 0) OR fever = 1 OR symptomatic = 1"
                      " OR last_day = ?1", "?1"),
    "remind": Purpose("due = 1 AND (visited = 0 OR fever = 1 OR fever_yesterday = 1"
                      " OR last_day <= date(?1, '+1 day')"
                      " OR (original_start <= date(?1, '-1 day') AND visited_yesterday = 0))",
                      "date(?1, '-1 day')"),
}
# Lost to follow-up: due a visit, followed for longer than the window, and not seen in the
# window's days before this one nor on it ({lost}: config lost_after_days, a whole number).
# Only someone not seen today can be lost, and those are always named: followup_details
# tells, for them alone, and the counts are made from it (core.followup_day).
_LOST_SINCE = "date(?1, '-{lost} days')"
# An area: a village, or a group within its village (two villages may each have a 一组):
# AREA_SEPARATOR between the village code and the group name.
AREA_SEPARATOR = "\x1f"
_AREA = {"group": "r.village_code || char(31) || coalesce(r.group_name, '')",  # char(31): \x1f
         "village": "q.village_code"}
# what an area of quarantine_status q needs joined: by village, nothing (a quarantine is of
# its resident's village), which spares a look-up per person
_AREA_JOIN = {"group": " JOIN residents r ON r.uid = q.resident_uid", "village": ""}


def area_key(by: str, village_code: str, group: str | None) -> str:
    """The key _AREA gives in SQL, made in Python."""
    return village_code if by == "village" else f"{village_code}{AREA_SEPARATOR}{group or ''}"


# The visits of the day (and, for the reminders, the day before), one row per person: a
# visit counts for whoever it saw, whichever of their quarantines it was logged against.
_VISITS = (
    "SELECT resident_uid,"
    " max(" + flag("day = ?1 AND " + SEEN) + ") AS visited,"
    " max(" + flag("day = ?1 AND outcome = 'missed'") + ") AS missed,"
    " max(" + flag("day = ?1 AND fever = 1") + ") AS fever,"
    " max(" + flag("day = ?1 AND symptoms IS NOT NULL") + ") AS symptomatic,"
    " max(" + flag("day = date(?1, '-1 day') AND " + SEEN) + ") AS visited_yesterday,"
    " max(" + flag("day = date(?1, '-1 day') AND fever = 1") + ") AS fever_yesterday{extra}"
    " FROM effective_visits WHERE day BETWEEN {since} AND ?1{only} GROUP BY resident_uid")
# For the few named: were they seen in the days of the lost_after window?
_LATELY = ", max(" + flag("day >= " + _LOST_SINCE + " AND " + SEEN) + ") AS seen_lately"
_READINGS = (", max(CASE WHEN day = ?1 THEN max(coalesce(temp, 0), coalesce(temp2, 0)) END)"
             " AS max_temp, group_concat(CASE WHEN day = ?1 THEN symptoms END, ',')"
             " AS symptoms")


@dataclass
class FollowupCounts:
    by_area: dict[str, dict[str, int]]  # area (group name or village code) -> FOLLOWUP_COUNTS
    named: list[int]  # quarantine ids of the people to name


# One of `shards` (?2) parts of the people, by the last character of their uid: random hex
# digits, so the parts are about equal. Two processes each take one (core.followup_day).
_SHARD = " AND unicode(substr({uid}, length({uid}))) % ?2 = ?3"


_HOME, _CENTRAL = flag("kind = 'home'"), flag("kind = 'central'")


def followup_counts(conn: sqlite3.Connection, day: str, by: str, purpose: str,
                    shard: tuple[int, int] = (0, 1)) -> FollowupCounts:
    """Everyone under follow-up on `day` (started by then, not ended before it), counted
    per area in one pass, with the ids of those its purpose names (PURPOSES).
    shard: (part, parts), only the people of that part. Lost to follow-up is left at 0: it
    is counted from the named (followup_details).

    The scan follows quarantines_followup, ordered by resident, so the look-ups into the
    residents table (by group) go through it in order: three times faster than in
    quarantine order.
    """
    part, parts = shard
    # one part: no filter (a server, or a small database), nor a guess at what it keeps
    shard_of = _SHARD.format if parts > 1 else (lambda uid: "")
    visits = _VISITS.format(extra="", only=shard_of(uid="resident_uid"),
                            since=PURPOSES[purpose].since)
    rows = conn.execute(
        # p made once: its columns are read by several sums, and a server that inlined it
        # would work each one out again for each (last_day's date arithmetic)
        f"WITH v AS ({visits}),"
        f" p AS MATERIALIZED (SELECT q.id, {_AREA[by]} AS area, q.kind, q.original_start,"
        f" {on_day(LAST_DAY_ON)} AS last_day, {flag(on_day(DUE_A_VISIT))} AS due,"
        f" {flag(on_day(NEW_ON))} AS new, coalesce(v.visited, 0) AS visited,"
        " coalesce(v.missed, 0) AS missed, coalesce(v.fever, 0) AS fever,"
        " coalesce(v.symptomatic, 0) AS symptomatic,"
        " coalesce(v.visited_yesterday, 0) AS visited_yesterday,"
        " coalesce(v.fever_yesterday, 0) AS fever_yesterday"
        f" FROM quarantine_status q{_AREA_JOIN[by]}"
        f" LEFT JOIN v ON v.resident_uid = q.resident_uid WHERE {on_day(UNDER_FOLLOW_UP)}"
        f"{shard_of(uid='q.resident_uid')})"
        f" SELECT coalesce(area, ''), count(*), sum({_HOME}), sum({_CENTRAL}), sum(new),"
        " sum(visited),"
        f" sum({flag('due = 1 AND visited = 0')}), sum({flag('missed = 1 AND visited = 0')}),"
        f" sum(fever), sum(symptomatic), sum({flag('last_day = ?1')}),"
        f" json_group_array(id) FILTER (WHERE {PURPOSES[purpose].named})"
        " FROM p GROUP BY 1", (day, parts, part) if parts > 1 else (day,))
    found = FollowupCounts({}, [])
    for area, *counts, ids in rows:
        found.by_area[area] = dict(zip(FOLLOWUP_COUNTS, [*map(int, counts), 0]))  # lost: later
        found.named += json_list(ids)
    return found


def followup_details(conn: sqlite3.Connection, day: str, quarantine_ids: list[int],
                     lost_after: int = 2) -> list[dict[str, Any]]:
    """The people named by followup_counts: names, staff, readings of the day."""
    only = (" AND resident_uid IN (SELECT resident_uid FROM quarantines"
            " WHERE id IN (SELECT CAST(value AS INTEGER) FROM json_each(?2)))")
    lost = int(lost_after)
    visits = _VISITS.format(extra=_READINGS + _LATELY.format(lost=lost), only=only,
                            since=f"min({PURPOSES['remind'].since}, "
                                  f"{_LOST_SINCE.format(lost=lost)})")
    rows = conn.execute(
        f"WITH v AS ({visits})"
        " SELECT q.id, r.id, r.name, r.id_number, r.phone, r.group_name,"
        " coalesce(vg.name, r.village_code), r.village_code, q.kind,"
        f" {on_day(COUNT_START_ON)}, q.original_start, {on_day(LAST_DAY_ON)}, q.end_date,"
        f" q.status, {flag(on_day(DUE_A_VISIT))}, s.name,"
        " coalesce(v.visited, 0), coalesce(v.missed, 0), coalesce(v.fever, 0),"
        " coalesce(v.symptomatic, 0), nullif(v.max_temp, 0), v.symptoms,"
        " coalesce(v.visited_yesterday, 0), coalesce(v.fever_yesterday, 0),"
        + flag(f"{on_day(DUE_A_VISIT)} AND coalesce(v.seen_lately, 0) = 0"
               f" AND q.original_start <= {_LOST_SINCE.format(lost=lost)}")
        + f", {shown_group('r')}"
        " FROM quarantine_status q JOIN residents r ON r.uid = q.resident_uid"
        " LEFT JOIN villages vg ON vg.code = r.village_code"
        " LEFT JOIN staff s ON s.uid = q.staff_uid"
        " LEFT JOIN v ON v.resident_uid = q.resident_uid"
        " WHERE q.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?2))"
        " ORDER BY r.group_name, r.name, q.id",
        (day, json.dumps(quarantine_ids)))
    return [dict(zip(FOLLOWUP_KEYS, row)) for row in rows]


def json_list(value: Any) -> list[Any]:
    """A JSON array a query made: text from SQLite, already read by the server's driver;
    none when no row was aggregated."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else list(value)


def village_names(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT code, name FROM villages"))


def last_seen(conn: sqlite3.Connection, quarantine_ids: list[int],
              day: str) -> dict[int, str | None]:
    """The last day each one's person was seen (seen-ok or seen-not-ok), up to `day`."""
    return dict(conn.execute(
        "SELECT q.id, (SELECT max(e.day) FROM effective_visits e"
        " WHERE e.resident_uid = q.resident_uid"
        f" AND e.day <= ?2 AND e.{SEEN})"
        " FROM quarantines q WHERE q.id IN (SELECT CAST(value AS INTEGER) FROM json_each(?1))",
        (json.dumps(quarantine_ids), day)))


def visits_by_staff(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    return [{"staff": row[0], "visits": row[1]} for row in conn.execute(
        "SELECT s.name, count(*) FROM effective_visits v LEFT JOIN staff s"
        " ON s.uid = v.staff_uid WHERE v.day = ? GROUP BY v.staff_uid, s.name ORDER BY 2 DESC, 1",
        (day,))]


def ended_on(conn: sqlite3.Connection, day: str, by: str) -> list[dict[str, Any]]:
    return [{"area": row[0], "outcome": row[1]} for row in conn.execute(
        f"SELECT {_AREA[by]}, q.status FROM quarantine_status q{_AREA_JOIN[by]}"
        " WHERE q.end_date = ?1"
        # Through the few end events of the day, not every quarantine ever held.
        " AND q.uid IN (SELECT quarantine_uid FROM quarantine_events"
        " WHERE event = 'end' AND event_date = ?1)", (day,))]


def residents_by(conn: sqlite3.Connection, by: str) -> dict[str, int]:
    """Residents per area (area_key), counted on the residents_area index."""
    counts: dict[str, int] = {}
    for village, group, count in conn.execute(
            "SELECT village_code, group_name, count(*) FROM residents GROUP BY 1, 2"):
        key = area_key(by, village, group)
        counts[key] = counts.get(key, 0) + count
    return counts


def trend_rows(conn: sqlite3.Connection, first: str, last: str) -> list[dict[str, Any]]:
    """The day counts of the report, by its rules (store.day_rules), for each day from first
    to last, in one pass over the quarantines of the period and one over its visits."""
    days = _days(first, last)
    under, new, ended = _followed_by_day(conn, first, last, days)
    seen, fevers = _visits_by_day(conn, first, last)
    return [{"date": day, "under_follow_up": under[day], "visited": seen.get(day, 0),
             "fevers": fevers.get(day, 0), "new": new.get(day, 0), "ended": ended.get(day, 0)}
            for day in days]


def _days(first: str, last: str) -> list[str]:
    from datetime import date, timedelta

    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [(start + timedelta(days=n)).isoformat() for n in range((end - start).days + 1)]


def _followed_by_day(conn: sqlite3.Connection, first: str, last: str,
                     days: list[str]) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """Under follow-up each day (UNDER_FOLLOW_UP: from FIRST_COUNTED to the end, inclusive),
    new (NEW_ON) and ended, from the quarantines grouped by their first and last days."""
    rows = conn.execute(
        "WITH q AS MATERIALIZED (SELECT original_start, end_date, continues_uid,"
        f" {FIRST_COUNTED.format(q='s')} AS counted FROM quarantine_status s"
        " WHERE original_start <= ?2 AND (end_date IS NULL OR end_date >= ?1))"
        " SELECT 'under', counted, end_date, count(*) FROM q GROUP BY 2, 3"
        " UNION ALL SELECT 'new', original_start, NULL, count(*) FROM q"
        f" WHERE original_start >= ?1 AND {on_day(NEW_ON, d='q.original_start')} GROUP BY 2"
        " UNION ALL SELECT 'ended', end_date, NULL, count(*) FROM q WHERE end_date <= ?2"
        " GROUP BY 2", (first, last)).fetchall()
    under = dict.fromkeys(days, 0)
    new: dict[str, int] = {}
    ended: dict[str, int] = {}
    for kind, day, until, count in rows:
        if kind == "new":
            new[day] = count
        elif kind == "ended":
            ended[day] = count
        else:
            for shown in days:  # a fortnight of days: a few hundred such groups at most
                if day <= shown and (until is None or until >= shown):
                    under[shown] += count
    return under, new, ended


def _visits_by_day(conn: sqlite3.Connection, first: str,
                   last: str) -> tuple[dict[str, int], dict[str, int]]:
    """People seen, and with a fever, each day, among those under follow-up that day.

    A visit is attached to the quarantine that covered its day when it was written, so the
    day's visits are counted by quarantine (a fast count), but for those that an end
    recorded later, or a correction, left outside it (_OUTSIDE); a person moved from home to
    central quarantine, seen under both on the day of the move, is counted once
    (_TWICE); and a visit attached to none (--force) counts when its person was under
    follow-up that day (_FORCED)."""
    seen: dict[str, int] = {}
    fevers: dict[str, int] = {}
    for sql, sign in ((_ATTACHED, 1), (_TWICE, -1), (_FORCED, 1)):
        for day, people_seen, people_fever in conn.execute(sql, (first, last)):
            seen[day] = seen.get(day, 0) + sign * people_seen
            fevers[day] = fevers.get(day, 0) + sign * people_fever
    return seen, fevers


# Visits dated after their quarantine's end (an end recorded on a later day) or before its
# corrected start: few, since an end is usually recorded on its day. CROSS JOIN: SQLite then
# goes from those few ends and corrections to their visits, not the other way round.
_OUTSIDE = (
    "SELECT v.uid FROM quarantine_events e CROSS JOIN visits v ON v.quarantine_uid ="
    " e.quarantine_uid AND v.day > e.event_date AND v.day BETWEEN ?1 AND ?2"
    " WHERE e.event = 'end' AND e.event_date < ?2 AND substr(e.created_at, 1, 10) > e.event_date"
    " UNION ALL SELECT v.uid FROM quarantine_corrections c CROSS JOIN visits v"
    " ON v.quarantine_uid = c.quarantine_uid AND v.day BETWEEN ?1 AND ?2"
    " AND v.day < (SELECT k.start_date FROM quarantine_corrections k"
    " WHERE k.quarantine_uid = c.quarantine_uid ORDER BY k.id DESC LIMIT 1)")
_ATTACHED = (
    f"SELECT day, count(DISTINCT quarantine_uid) FILTER (WHERE {SEEN}),"
    " count(DISTINCT quarantine_uid) FILTER (WHERE fever = 1) FROM effective_visits"
    " WHERE day BETWEEN ?1 AND ?2 AND quarantine_uid IS NOT NULL"
    f" AND uid NOT IN ({_OUTSIDE}) GROUP BY day")
_BOTH = ("EXISTS (SELECT 1 FROM effective_visits v WHERE v.quarantine_uid = {quarantine}"
         " AND v.day = c.original_start AND v.{what})")
_TWICE = (
    "SELECT c.original_start,"
    " count(*) FILTER (WHERE " + _BOTH.format(quarantine="c.uid", what=SEEN) + " AND "
    + _BOTH.format(quarantine="c.continues_uid", what=SEEN) + "),"
    " count(*) FILTER (WHERE " + _BOTH.format(quarantine="c.uid", what="fever = 1") + " AND "
    + _BOTH.format(quarantine="c.continues_uid", what="fever = 1") + ")"
    " FROM quarantine_status c WHERE c.continues_uid IS NOT NULL"
    " AND c.original_start BETWEEN ?1 AND ?2 GROUP BY 1")
_FORCED = (
    f"SELECT w.day, count(DISTINCT w.resident_uid) FILTER (WHERE w.{SEEN}),"
    " count(DISTINCT w.resident_uid) FILTER (WHERE w.fever = 1)"
    " FROM effective_visits w WHERE w.quarantine_uid IS NULL"
    " AND w.day BETWEEN ?1 AND ?2 AND EXISTS (SELECT 1 FROM quarantine_status q"
    f" WHERE q.resident_uid = w.resident_uid AND {on_day(UNDER_FOLLOW_UP, d='w.day')})"
    # one already counted that day by a visit with a quarantine is not counted twice
    " AND NOT EXISTS (SELECT 1 FROM effective_visits o WHERE o.resident_uid ="
    " w.resident_uid AND o.day = w.day AND o.quarantine_uid IS NOT NULL"
    f" AND (o.{SEEN} OR NOT (w.{SEEN})) AND (o.fever = 1 OR w.fever = 0))"
    " GROUP BY w.day")
