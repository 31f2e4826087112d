"""What is due, and for each: who is responsible and the exact command that resolves it.

Built for cron: pure data here; the CLI decides on silence (--quiet) and exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from epitool.core.followup_day import followup_of_day
from epitool.core.order import natural_key
from epitool.store import readings, visits
from epitool.store import summary as store
from epitool.store.db import Database
from epitool.textsafe import shell_word

KINDS = ("fever_recheck", "lost_to_followup", "visit_due", "missed_yesterday", "overdue_end",
         "ending_today",
         "ending_tomorrow", "disinfection_overdue", "duty_gap", "need_open",
         "enterprise_checklist")


@dataclass(frozen=True)
class Due:
    kind: str
    subject: str  # "#3 席晓东" or a site name
    group: str | None
    staff: str | None
    detail: str  # machine-readable detail: a date, a temperature
    command: str

    def as_dict(self) -> dict[str, Any]:
        # Not dataclasses.asdict: its deep copy took 0.2 s for a district's 8,000 items.
        return {"kind": self.kind, "subject": self.subject, "group": self.group,
                "staff": self.staff, "detail": self.detail, "command": self.command}


def due_on(db: Database, day: date, staff: str | None = None, tz: str = "Asia/Shanghai",
           now: str | None = None, lost_after: int = 2) -> list[Due]:
    today, yesterday = day.isoformat(), (day - timedelta(days=1)).isoformat()
    people = followup_of_day(db, today, "group", "remind", lost_after)[1]
    overdue = store.last_seen(db.conn, [p["quarantine_id"] for p in people
                                        if p["last_day"] < today or p["lost"]], today)
    items = _fever_items(db, today, {p["person_id"]: p for p in people})
    for p in people:
        items.extend(_person_items(p, overdue.get(p["quarantine_id"]), today, yesterday))
    for site in visits.list_sites(db.conn, today):
        if site["overdue"]:
            items.append(Due("disinfection_overdue", site["name"], site["group"], None,
                             site["last_round"] or "",
                             f"epitool disinfect log {shell_word(site['name'])}"))
    if now is None:  # a day asked for by --date: as of its end, in the office's time
        from datetime import datetime, time

        from epitool.core.clock import zone

        now = datetime.combine(day, time(23, 59, 59), zone(tz)).isoformat()
    items += _field_items(db, day, tz, now)
    if staff:
        items = [i for i in items if i.staff == staff]
    return sorted(items, key=lambda i: (KINDS.index(i.kind), natural_key(i.group or ""),
                                        i.subject))


def _person_items(p: dict[str, Any], seen: str | None, today: str,
                  yesterday: str) -> list[Due]:
    """What one person under follow-up needs today; each command runs as pasted (no
    invented reading: visit log asks for the temperature)."""
    ref = shell_word(f"#{p['person_id']}")

    def due(kind: str, detail: str, command: str) -> Due:
        return Due(kind, f"#{p['person_id']} {p['name']}", p["group_shown"], p["staff"], detail,
                   command)

    out: list[Due] = []
    if not p["due"]:  # ended that day: nothing more is due
        return out
    if p["last_day"] < today:
        command = (f"epitool quarantine end {ref} --outcome completed"
                   if (seen or "") >= p["last_day"] else f"epitool visit log {ref}")
        out.append(due("overdue_end", p["last_day"], command))
        return out
    if p["lost"]:
        out.append(due("lost_to_followup", seen or "", f"epitool visit log {ref}"))
    elif not p["visited"]:
        out.append(due("visit_due", today, f"epitool visit log {ref}"))
    if p["original_start"] <= yesterday and not p["visited_yesterday"] and not p["lost"]:
        # If the visit did happen but was not written down, record it for yesterday.
        out.append(due("missed_yesterday", yesterday,
                       f"epitool visit log {ref} --at {yesterday}"))
    if p["last_day"] == today:
        out.append(due("ending_today", today,
                       f"epitool quarantine end {ref} --outcome completed"))
    elif p["last_day"] == (date.fromisoformat(today) + timedelta(days=1)).isoformat():
        out.append(due("ending_tomorrow", p["last_day"],
                       f"epitool quarantine list --ending {p['last_day']}"))
    return out


def _fever_items(db: Database, today: str, followed: dict[int, dict[str, Any]]) -> list[Due]:
    """Everyone whose latest temperature, from any source, was a fever within the fortnight:
    on the list until a normal reading follows."""
    out = []
    for person in readings.fever_watch(db.conn, today):
        ref = shell_word(f"#{person['person_id']}")
        mine = followed.get(person["person_id"])
        out.append(Due("fever_recheck", f"#{person['person_id']} {person['name']}",
                       person["group"], mine["staff"] if mine else None,
                       f"{person['temp']:g}", f"epitool visit log {ref}"
                       + ("" if mine else " --force")))
    return out


def _field_items(db: Database, day: date, tz: str, now: str) -> list[Due]:
    """Checkpoints without anyone on duty, needs open over a day, unfinished checklists."""
    from datetime import datetime

    from epitool.core.work import duty_gaps, list_enterprises
    from epitool.store.work import needs

    def until(gap: dict[str, Any]) -> str:  # the end of the day is the next day's 00:00
        return (f"{day + timedelta(days=1)} 00:00" if gap["to"] == "24:00"
                else f"{day} {gap['to']}")

    out = [Due("duty_gap", gap["point"], None, None, f"{gap['from']}-{gap['to']}",
               f"epitool duty add STAFF --point {shell_word(gap['point'])}"
               f' --from "{day} {gap["from"]}" --to "{until(gap)}"')
           for gap in duty_gaps(db, day, tz)]
    cutoff = datetime.fromisoformat(now) - timedelta(days=1)
    for need in needs(db.conn, open_only=True):
        if datetime.fromisoformat(need["created_at"]) <= cutoff:
            out.append(Due("need_open", f"#{need['person_id']} {need['name']}", need["group"],
                           None, need["items"], f"epitool need done {need['id']}"))
    for business in list_enterprises(db):
        if not business["ready"]:
            flags = " ".join(f"--{item.replace('_', '-')}" for item in
                             business["missing"].split(","))
            out.append(Due("enterprise_checklist", business["name"], None, None,
                           business["missing"],
                           f"epitool enterprise check {shell_word(business['name'])} {flags}"))
    return out
