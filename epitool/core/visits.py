"""Daily visits to people under follow-up: the "four ones" (temperature, purchases delivered,
home disinfected, garbage collected), symptoms, and an outcome.

A reading at or above the fever threshold is an abnormal finding to escalate the same day.
Mistakes are corrected by a new row that supersedes the old one, or voided with a reason;
the original always stays.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from epitool.core.dates import check_not_future, iso
from epitool.core.people import find_person
from epitool.core.rules import check_symptoms, check_temperature, derive_outcome, is_fever
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid, row_number
from epitool.store import followup
from epitool.store import visits as store
from epitool.store.audit import record
from epitool.store.db import Database


class VisitInput(NamedTuple):
    """What the clerk typed; None means 'not given' (amend keeps the old value)."""

    temp: float | None = None
    temp2: float | None = None
    symptoms: tuple[str, ...] | None = None
    outcome: str | None = None
    delivered: str | None = None
    disinfected: bool | None = None
    garbage: bool | None = None
    note: str | None = None
    by: str | None = None
    at: datetime | None = None


def validated_entry(entry: VisitInput, threshold: float) -> tuple[tuple[str, ...], bool, str]:
    check_temperature(entry.temp, "--temp")
    check_temperature(entry.temp2, "--temp2")
    symptoms = check_symptoms(entry.symptoms or ())
    fever = is_fever(threshold, entry.temp, entry.temp2)
    measured = entry.temp is not None or entry.temp2 is not None
    return symptoms, fever, derive_outcome(entry.outcome, fever, symptoms, measured)


def log_visit(db: Database, actor: Actor, person: str, entry: VisitInput, *, threshold: float,
              force: bool, now: datetime) -> dict[str, Any]:
    symptoms, fever, outcome = validated_entry(entry, threshold)
    moment = entry.at or now
    check_not_future(moment, actor.at)
    resident = find_person(db, person)
    # the quarantine of the visit's day, which may have ended since (a visit written late)
    quarantine = store.quarantine_on(db.conn, resident["uid"], moment.date().isoformat())
    if quarantine is None and not force:
        raise InputError("visit_not_quarantined", name=resident["name"],
                         person=f"#{resident['id']}")
    staff = default_staff(db, actor, entry.by, quarantine)
    values = visit_values(actor, resident["uid"], quarantine, moment, entry, symptoms, fever,
                     outcome, staff)
    values["forced"] = int(quarantine is None)
    with db.write() as conn:
        values["id"] = store.add_visit(conn, values)
        household_round(conn, actor, resident, values)
        record(conn, actor, "visit.log", f"visits:{values['uid']}",
               {"resident": resident["uid"], "outcome": outcome, "fever": fever,
                "day": values["day"]})
    return _confirmation(values, resident, quarantine, staff)


def default_staff(db: Database, actor: Actor, by: str | None,
           quarantine: dict[str, Any] | None) -> dict[str, Any] | None:
    if by:  # named by the clerk (--by): looked up only then
        from epitool.core.staff import find_staff

        return find_staff(db, by, actor.village_code)
    if quarantine and quarantine["staff_uid"]:
        return followup.staff_by_uid(db.conn, quarantine["staff_uid"])
    return None


def visit_values(actor: Actor, resident_uid: str, quarantine: dict[str, Any] | None,
            moment: datetime, entry: VisitInput, symptoms: tuple[str, ...], fever: bool,
            outcome: str, staff: dict[str, Any] | None) -> dict[str, Any]:
    return {"uid": new_uid(), "village_code": actor.village_code,
            "resident_uid": resident_uid,
            "quarantine_uid": quarantine["uid"] if quarantine else None, "at": iso(moment),
            "day": moment.date().isoformat(), "temp": entry.temp, "temp2": entry.temp2,
            "symptoms": ",".join(symptoms) or None, "outcome": outcome,
            "delivered": entry.delivered or None, "disinfected": int(bool(entry.disinfected)),
            "garbage": int(bool(entry.garbage)), "note": entry.note or None,
            "staff_uid": staff["uid"] if staff else None, "fever": int(fever), "forced": 0,
            "supersedes": None, "created_at": actor.at}


def household_round(conn: Any, actor: Actor, resident: dict[str, Any],
                     visit: dict[str, Any]) -> None:
    """A home visit with --disinfected counts as a round for the household's site."""
    if not visit["disinfected"]:
        return
    site = store.household_site(conn, actor.village_code, resident["household"])
    if site:
        store.add_round(conn, {"uid": new_uid(), "village_code": actor.village_code,
                               "site_uid": site, "at": visit["at"], "day": visit["day"],
                               "agent": None, "staff_uid": visit["staff_uid"], "note": None,
                               "visit_uid": visit["uid"], "created_at": actor.at})


def _confirmation(values: dict[str, Any], resident: dict[str, Any],
                  quarantine: dict[str, Any] | None,
                  staff: dict[str, Any] | None) -> dict[str, Any]:
    day_number = None
    if quarantine:
        from datetime import date

        day_number = (date.fromisoformat(values["day"]) -
                      date.fromisoformat(quarantine["start_date"])).days + 1
    return {**values, "name": resident["name"], "person_id": resident["id"],
            "fever": bool(values["fever"]), "quarantine_day": day_number,
            "quarantine_days": quarantine["days"] if quarantine else None,
            "staff": staff["name"] if staff else None}


def find_visit(db: Database, ref: str) -> dict[str, Any]:
    text = ref.strip()
    number = row_number(text, bare=True)
    visit = (store.get_visit(db.conn, number, None) if number is not None
             else store.get_visit(db.conn, None, text))
    if visit is None:
        raise NotFound("visit_not_found", ref=text)
    newer = store.replaced_by(db.conn, visit["uid"])
    if newer is not None:
        raise InputError("visit_already_amended", ref=f"#{visit['id']}", newer=f"#{newer}")
    if store.is_voided(db.conn, visit["uid"]):
        raise InputError("visit_already_voided", ref=f"#{visit['id']}")
    return visit


def amend(db: Database, actor: Actor, ref: str, entry: VisitInput, *,
          threshold: float) -> dict[str, Any]:
    """A new row with the old values, overridden by what was given; it supersedes the old."""
    old = find_visit(db, ref)
    merged = VisitInput(
        temp=entry.temp if entry.temp is not None else old["temp"],
        temp2=entry.temp2 if entry.temp2 is not None else old["temp2"],
        symptoms=entry.symptoms if entry.symptoms is not None else tuple(
            filter(None, (old["symptoms"] or "").split(","))),
        outcome=entry.outcome,
        delivered=entry.delivered if entry.delivered is not None else old["delivered"],
        disinfected=entry.disinfected if entry.disinfected is not None else bool(
            old["disinfected"]),
        garbage=entry.garbage if entry.garbage is not None else bool(old["garbage"]),
        note=entry.note if entry.note is not None else old["note"])
    symptoms, fever, outcome = validated_entry(merged, threshold)
    if entry.outcome is None and entry.temp is None and entry.temp2 is None \
            and entry.symptoms is None:
        outcome = old["outcome"]  # nothing bearing on the outcome changed
    staff = (default_staff(db, actor, entry.by, None) if entry.by else
             ({"uid": old["staff_uid"]} if old["staff_uid"] else None))
    values = {**old, **visit_values(actor, old["resident_uid"], None,
                               entry.at or datetime.fromisoformat(old["at"]),
                               merged, symptoms, fever, outcome, staff)}
    values.update(quarantine_uid=old["quarantine_uid"], forced=old["forced"],
                  supersedes=old["uid"])
    values.pop("id")
    with db.write() as conn:
        if store.replaced_by(conn, old["uid"]) is not None:
            raise InputError("visit_already_amended", ref=f"#{old['id']}", newer="?")
        values["id"] = store.add_visit(conn, values)
        record(conn, actor, "visit.amend", f"visits:{values['uid']}",
               {"supersedes": old["uid"], "day": values["day"], "was_day": old["day"]})
    return {"id": values["id"], "amends": old["id"], "outcome": outcome, "fever": fever}


def void(db: Database, actor: Actor, ref: str, reason: str | None) -> dict[str, Any]:
    if not reason or not reason.strip():
        raise InputError("void_needs_reason")
    visit = find_visit(db, ref)
    with db.write() as conn:
        store.add_void(conn, {"uid": new_uid(), "village_code": actor.village_code,
                              "visit_uid": visit["uid"], "reason": reason.strip(),
                              "created_at": actor.at})
        record(conn, actor, "visit.void", f"visits:{visit['uid']}",
               {"reason": reason.strip(), "day": visit["day"]})
    return {"id": visit["id"], "reason": reason.strip()}


def list_visits(db: Database, day: str | None, person: str | None) -> list[dict[str, Any]]:
    resident_uid = find_person(db, person)["uid"] if person else None
    return store.list_visits(db.conn, day, resident_uid)
