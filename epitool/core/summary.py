"""The day at a glance, built once as data: per group counts, and the people behind them."""

from __future__ import annotations

from datetime import date
from typing import Any

from epitool.store import summary as store
from epitool.store import visits
from epitool.store.db import Database

COUNT_KEYS = ("under_follow_up", "visited", "not_visited", "missed", "fevers", "symptomatic",
              "ending_today", "completed_today")


def day_summary(db: Database, day: date) -> dict[str, Any]:
    iso_day = day.isoformat()
    people = store.followups_on(db.conn, iso_day)
    ended = store.ended_on(db.conn, iso_day)
    groups: dict[str, dict[str, Any]] = {}

    def group(name: str | None) -> dict[str, Any]:
        key = name or ""
        return groups.setdefault(key, {"group": key, **dict.fromkeys(COUNT_KEYS, 0)})

    for person in people:
        counts = group(person["group"])
        counts["under_follow_up"] += 1
        counts["visited"] += bool(person["visited"])
        counts["not_visited"] += not person["visited"]
        counts["missed"] += bool(person["missed"] and not person["visited"])
        counts["fevers"] += bool(person["fever"])
        counts["symptomatic"] += bool(person["symptomatic"])
        counts["ending_today"] += person["last_day"] == iso_day
    for item in ended:
        group(item["group"])["completed_today"] += item["outcome"] == "completed"
    sites = [s for s in visits.list_sites(db.conn, iso_day) if s["overdue"]]
    totals = {k: sum(g[k] for g in groups.values()) for k in COUNT_KEYS}
    totals["overdue_sites"] = len(sites)
    return {
        "date": iso_day,
        "groups": sorted(groups.values(), key=lambda g: g["group"]),
        "totals": totals,
        "visited_by": store.visits_by_staff(db.conn, iso_day),
        "not_visited": [_who(p) for p in people if not p["visited"]],
        "fevers": [{**_who(p), "max_temp": p["max_temp"]} for p in people if p["fever"]],
        "symptomatic": [{**_who(p), "symptoms": sorted(set((p["symptoms"] or "").split(",")))}
                        for p in people if p["symptomatic"]],
        "ending_today": [_who(p) for p in people if p["last_day"] == iso_day],
        "overdue_sites": [{"name": s["name"], "kind": s["kind"], "last_round": s["last_round"]}
                          for s in sites],
    }


def _who(person: dict[str, Any]) -> dict[str, Any]:
    return {"person_id": person["person_id"], "name": person["name"],
            "group": person["group"], "staff": person["staff"]}
