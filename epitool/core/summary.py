"""The day at a glance: the daily report seen from the clerk's side, for the groups with
people under follow-up. Its numbers come from the report, so they cannot disagree."""

from __future__ import annotations

from datetime import date
from typing import Any

from epitool.core.daily import build_daily
from epitool.store.db import Database

# summary key -> daily report key
COUNTS = {"under_follow_up": "under_follow_up", "visited": "visited",
          "not_visited": "not_visited", "missed": "missed", "fevers": "fevers",
          "symptomatic": "symptomatic", "ending_today": "ending_today",
          "completed_today": "ended_completed", "lost_to_followup": "lost_to_followup"}
COUNT_KEYS = tuple(COUNTS)
PERSON_KEYS = ("person_id", "name", "group", "staff")


def day_summary(db: Database, day: date, area: dict[str, str],
                lost_after: int) -> dict[str, Any]:
    report = build_daily(db, day, by="group", area=area, mask=True, lost_after=lost_after)

    def counts(row: dict[str, Any]) -> dict[str, Any]:
        return {ours: row[theirs] for ours, theirs in COUNTS.items()}

    def who(person: dict[str, Any], *extra: str) -> dict[str, Any]:
        return {k: person[k] for k in (*PERSON_KEYS, *extra)}

    groups = [{"group": row["area"], **counts(row)} for row in report.rows
              if any(counts(row).values())]
    return {
        "date": report.date,
        "groups": groups,
        "totals": {**counts(report.totals), "overdue_sites": report.totals["sites_overdue"]},
        "visited_by": report.visited_by,
        "not_visited": [who(p) for p in report.not_visited],
        "fevers": [who(p, "max_temp") for p in report.fevers],
        "symptomatic": [who(p, "symptoms") for p in report.symptomatic],
        "ending_today": [who(p) for p in report.ending_today],
        "lost_to_followup": [who(p, "last_seen") for p in report.lost_to_followup],
        "overdue_sites": [{k: s[k] for k in ("name", "kind", "last_round")}
                          for s in report.overdue_sites],
        "field": report.field_work,
    }
