"""The daily report 日报 sent upward every evening, built once as data for every format.

Per group (or village): residents, people under follow-up (home/central), new today, ended
today by outcome, visited, not visited, missed, fevers, symptomatic, the share of people
under follow-up seen today, and disinfection sites done and overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from epitool.core.followup_day import started
from epitool.core.order import natural_key
from epitool.privacy import mask_id, mask_phone
from epitool.store import bundle as bundles
from epitool.store import summary as store
from epitool.store import visits
from epitool.store.db import Database
from epitool.store.summary import AREA_SEPARATOR
from epitool.store.work import field_counts

COUNT_KEYS = ("residents", "under_follow_up", "home", "central", "new_today", "visited",
              "not_visited", "missed", "fevers", "symptomatic", "ending_today",
              "lost_to_followup",
              "ended_completed", "ended_hospitalised", "ended_transferred", "ended_lost",
              "completion_rate", "sites", "sites_disinfected", "sites_overdue")
PERSON_KEYS = ("person_id", "name", "id_number", "phone", "group", "village", "staff")


@dataclass
class DailyReport:
    date: str
    by: str  # group | village
    office: str
    village: str
    rows: list[dict[str, Any]]
    totals: dict[str, Any]
    fevers: list[dict[str, Any]] = field(default_factory=list)
    symptomatic: list[dict[str, Any]] = field(default_factory=list)
    not_visited: list[dict[str, Any]] = field(default_factory=list)
    ending_today: list[dict[str, Any]] = field(default_factory=list)
    lost_to_followup: list[dict[str, Any]] = field(default_factory=list)
    overdue_sites: list[dict[str, Any]] = field(default_factory=list)
    visited_by: list[dict[str, Any]] = field(default_factory=list)
    field_work: dict[str, int] = field(default_factory=dict)
    since_sent: dict[str, Any] | None = None  # core.sent: what changed since it was sent
    # an office: registered villages whose bundle for the day has not arrived
    missing_villages: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"date": self.date, "by": self.by, "office": self.office,
                "village": self.village, "rows": self.rows, "totals": self.totals,
                "fevers": self.fevers, "symptomatic": self.symptomatic,
                "not_visited": self.not_visited,
                "ending_today": self.ending_today, "lost_to_followup": self.lost_to_followup,
                "overdue_sites": self.overdue_sites,
                "visited_by": self.visited_by, "field": self.field_work,
                "since_sent": self.since_sent, "missing_villages": self.missing_villages}


def build_daily(db: Database, day: date, *, by: str, area: dict[str, str],
                mask: bool, lost_after: int) -> DailyReport:
    iso = day.isoformat()
    pending = started(db, iso, by, "report", lost_after)  # the second process works meanwhile
    rows: dict[str, dict[str, Any]] = {}  # by store.area_key

    def row(key: str) -> dict[str, Any]:
        return rows.setdefault(key, dict.fromkeys(COUNT_KEYS, 0))

    for key, count in store.residents_by(db.conn, by).items():
        row(key)["residents"] = count
    for ended in store.ended_on(db.conn, iso, by):
        row(ended["area"])[f"ended_{ended['outcome']}"] += 1
    sites = visits.list_sites(db.conn, iso)
    visited_by, field_work = store.visits_by_staff(db.conn, iso), field_counts(db.conn, iso)
    followup, people = pending()
    people.sort(key=lambda p: (natural_key(p["group"] or ""), p["name"], p["quarantine_id"]))
    for key, counts in followup.by_area.items():
        counted = row(key)
        for measure, number in counts.items():
            counted[measure] += number
    for site in sites:
        _count_site(row(store.area_key(by, site["village_code"], site["group"])), site)
    totals: dict[str, Any] = {k: sum(r[k] for r in rows.values()) for k in COUNT_KEYS}
    for measured in (*rows.values(), totals):
        # of those due a visit or seen (a follow-up that ended today without one is not due)
        measured["completion_rate"] = _rate(measured["visited"],
                                            measured["visited"] + measured["not_visited"])
    who = _person_view(mask)
    missing = [p for p in people if (p["due"] and not p["visited"]) or p["lost"]]
    seen = store.last_seen(db.conn, [p["quarantine_id"] for p in missing], iso)
    return DailyReport(
        date=iso, by=by, office=area["office"], village=area["village"],
        rows=_labelled(rows, by, store.village_names(db.conn)), totals=totals,
        fevers=[{**who(p), "max_temp": p["max_temp"], "symptoms": _symptoms(p)}
                for p in people if p["fever"]],
        symptomatic=[{**who(p), "symptoms": _symptoms(p)} for p in people if p["symptomatic"]],
        not_visited=[{**who(p), "missed": bool(p["missed"]),
                      "last_seen": seen.get(p["quarantine_id"])}
                     for p in missing if not p["visited"]],
        ending_today=[who(p) for p in people if p["last_day"] == iso],
        lost_to_followup=[{**who(p), "last_seen": seen.get(p["quarantine_id"])}
                          for p in people if p["lost"]],
        overdue_sites=[{"name": s["name"], "kind": s["kind"], "group": s["group"],
                        "last_round": s["last_round"]} for s in sites if s["overdue"]],
        visited_by=visited_by, field_work=field_work,
        missing_villages=bundles.missing_on(db.conn, iso))


def _labelled(rows: dict[str, dict[str, Any]], by: str,
              villages: dict[str, str]) -> list[dict[str, Any]]:
    """Rows named and in a clerk's order (一组, 二组, … 十组, 十一组). A group is named by
    itself in a village's database, and with its village where several share one (an
    office's), so that two villages' 一组 stay apart."""
    several = len({key.split(AREA_SEPARATOR)[0] for key in rows}) > 1
    named = []
    for key, counts in rows.items():
        code, _, group = key.partition(AREA_SEPARATOR)
        village = villages.get(code, code)
        if by == "village":
            named.append({"area": village, **counts})
        else:
            label = f"{village} {group}".strip() if several else group
            named.append({"area": label, "village": village, **counts})
    return sorted(named, key=lambda r: (natural_key(r.get("village", "")),
                                        natural_key(r["area"])))


def _symptoms(person: dict[str, Any]) -> str:
    return ",".join(sorted(set(filter(None, (person["symptoms"] or "").split(",")))))


def _count_site(counts: dict[str, Any], site: dict[str, Any]) -> None:
    counts["sites"] += 1
    counts["sites_disinfected"] += site["rounds_today"] > 0
    counts["sites_overdue"] += bool(site["overdue"])


def _rate(part: int, whole: int) -> float | None:
    """Percent with one decimal; None when nobody is under follow-up."""
    return round(100 * part / whole, 1) if whole else None


def _person_view(mask: bool) -> Any:
    def view(person: dict[str, Any]) -> dict[str, Any]:
        number, phone = person["id_number"], person["phone"]
        return {"person_id": person["person_id"], "name": person["name"],
                "id_number": mask_id(number) if mask else number,
                "phone": mask_phone(phone) if mask else phone,
                "group": person["group_shown"], "village": person["village"],
                "staff": person["staff"]}

    return view


def people_named(report: DailyReport) -> int:
    """How many people the report names (for the audit of a reveal)."""
    return len({p["person_id"] for p in (*report.fevers, *report.symptomatic,
                                         *report.not_visited, *report.ending_today,
                                         *report.lost_to_followup)})
