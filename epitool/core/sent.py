"""Daily reports as sent: the numbers of a report written to a file are kept, and a later
look at the same day says what changed since it was sent, and which records changed it.

A report for a past day changes only through records about that day (a visit amended, a
quarantine corrected, a registration written late): those are the 'because' of a change,
read from the audit trail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from epitool.core.daily import COUNT_KEYS, DailyReport
from epitool.ids import Actor, new_uid
from epitool.store import sent as store
from epitool.store.audit import record
from epitool.store.db import Database

# The actions that can change what a report says for a day
CHANGING = ("visit.", "quarantine.", "checkpoint.log", "checkpoint.import", "patrol.",
            "disinfect.", "resident.", "roster.import", "purge", "bundle.import")
# A quarantine action bears on day D when one of these dates is D or earlier
_QUARANTINE_DATES = ("start", "since", "date")


@dataclass
class SinceSent:
    sent_at: str
    sent_to: str | None
    changes: list[dict[str, Any]] = field(default_factory=list)  # area, measure, sent, now
    because: list[dict[str, Any]] = field(default_factory=list)  # at, who, action, record

    def as_dict(self) -> dict[str, Any]:
        return {"sent_at": self.sent_at, "sent_to": self.sent_to, "changes": self.changes,
                "because": self.because}


def numbers_of(report: DailyReport) -> dict[str, Any]:
    return {"totals": {k: report.totals[k] for k in COUNT_KEYS},
            "rows": {row["area"]: {k: row[k] for k in COUNT_KEYS} for row in report.rows}}


def record_sent(db: Database, actor: Actor, report: DailyReport, sent_to: str | None) -> None:
    """Keep the report's numbers as sent (the nightly job's file, say)."""
    with db.write() as conn:
        record(conn, actor, "report.sent", f"reports:{report.date}",
               {"day": report.date, "by": report.by, "to": sent_to})
        store.add_sent(conn, {"uid": new_uid(), "village_code": actor.village_code,
                              "day": report.date, "by_area": report.by,
                              "numbers": json.dumps(numbers_of(report), ensure_ascii=False),
                              "audit_id": store.last_audit_id(conn), "sent_to": sent_to,
                              "created_at": actor.at})


def since_sent(db: Database, report: DailyReport) -> SinceSent | None:
    """What changed in the report of its day since that day's report was last sent."""
    sent = store.last_sent(db.conn, report.date, report.by)
    if sent is None:
        return None
    found = SinceSent(sent["sent_at"], sent["sent_to"])
    now = numbers_of(report)
    before = sent["numbers"]
    for measure in COUNT_KEYS:
        if before["totals"].get(measure) != now["totals"][measure]:
            found.changes.append({"area": None, "measure": measure,
                                  "sent": before["totals"].get(measure),
                                  "now": now["totals"][measure]})
    for area in sorted(set(before["rows"]) | set(now["rows"])):
        old, new = before["rows"].get(area, {}), now["rows"].get(area, {})
        for measure in COUNT_KEYS:
            if old.get(measure, 0) != new.get(measure, 0):
                found.changes.append({"area": area, "measure": measure,
                                      "sent": old.get(measure, 0), "now": new.get(measure, 0)})
    if found.changes:
        found.because = _because(db, sent["audit_id"], report.date)
    return found


def _because(db: Database, audit_id: int, day: str) -> list[dict[str, Any]]:
    rows = [row for row in store.audit_after(db.conn, audit_id, CHANGING)
            if _bears_on(row["action"], json.loads(row["detail"] or "{}"), day)]
    visits = store.visit_numbers(db.conn, [row["target"].split(":", 1)[1] for row in rows
                                           if (row["target"] or "").startswith("visits:")])
    return [{"at": row["at"], "who": row["who"], "action": row["action"],
             "record": _record(row["target"], visits)} for row in rows]


def _bears_on(action: str, detail: dict[str, Any], day: str) -> bool:
    if action == "quarantine.correct":
        return _corrected_days(detail, day)
    if action.startswith("quarantine."):
        return any(str(detail[k]) <= day for k in _QUARANTINE_DATES if detail.get(k))
    if "day" in detail or "was_day" in detail:
        return day in (detail.get("day"), detail.get("was_day"))
    return True  # an import or a roster change: cannot tell, so it is shown


def _corrected_days(detail: dict[str, Any], day: str) -> bool:
    """A correction changes the days between the old and the new first day, and those
    between the old and the new last day."""
    from datetime import date, timedelta

    def last(start: str, days: int) -> str:
        return (date.fromisoformat(start) + timedelta(days=days - 1)).isoformat()

    starts = sorted((detail["old_start"], detail["start"]))
    ends = sorted((last(detail["old_start"], int(detail["old_days"])),
                   last(detail["start"], int(detail["days"]))))
    return starts[0] <= day < starts[1] or (ends[0] <= day <= ends[1] and ends[0] != ends[1])


def _record(target: str | None, visits: dict[str, int]) -> str:
    if not target:
        return ""
    table, uid = target.split(":", 1)
    if table == "visits" and uid in visits:
        return f"visit #{visits[uid]}"
    return table.rstrip("s")
