"""The day's follow-up for the daily report and the reminders: everyone counted, the few
named looked up in full. In a district's database the work is split between two processes
(half the people each), which brings both commands under a second on two cores."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from epitool.core.worker import beside, worth_a_process
from epitool.store import summary as store
from epitool.store.db import Database

Followup = tuple[store.FollowupCounts, list[dict[str, Any]]]


def followup_of_day(db: Database, day: str, by: str, purpose: str,
                    lost_after: int) -> Followup:
    """(counts per area with the named ids, the named people in full, by group and name).
    lost_after: days without being seen before someone is lost to follow-up."""
    return started(db, day, by, purpose, lost_after)()


def started(db: Database, day: str, by: str, purpose: str,
            lost_after: int) -> Callable[[], Followup]:
    """The day's follow-up begun: in a district's database the second process starts now,
    so that the caller's other queries run while it works; the result when called."""
    if not worth_a_process(db):
        return lambda: _work(db.conn, day, by, purpose, (0, 1), lost_after)
    theirs = beside(db, lambda conn: _work(conn, day, by, purpose, (1, 2), lost_after))
    return lambda: _merged(_work(db.conn, day, by, purpose, (0, 2), lost_after), theirs())


def _work(conn: Any, day: str, by: str, purpose: str, shard: tuple[int, int],
          lost_after: int) -> Followup:
    counts = store.followup_counts(conn, day, by, purpose, shard)
    people = store.followup_details(conn, day, counts.named, lost_after)
    for person in people:  # the lost are among the named: counted from them
        if person["lost"]:
            area = store.area_key(by, person["village_code"], person["group"])
            counts.by_area[area]["lost_to_followup"] += 1
    return counts, people


def _merged(mine: Followup, theirs: Followup) -> Followup:
    counts = store.FollowupCounts({}, [*mine[0].named, *theirs[0].named])
    for part in (mine[0], theirs[0]):
        for area, numbers in part.by_area.items():
            total = counts.by_area.setdefault(area, dict.fromkeys(numbers, 0))
            for key, number in numbers.items():
                total[key] += number
    # The order each part's SQL gave (group, name, id); None, as NULL there, first.
    people = sorted([*mine[1], *theirs[1]], key=lambda p: (
        p["group"] is not None, p["group"] or "", p["name"], p["quarantine_id"]))
    return counts, people
