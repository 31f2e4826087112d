"""Health certificates and passes 健康证明/通行证: issued with an unguessable serial, verified
later by anyone holding the serial, revoked with a reason (never deleted)."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from typing import Any

from epitool.core.people import find_person
from epitool.core.rules import check_count, typed_code
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid
from epitool.store import followup, readings, work
from epitool.store.audit import record
from epitool.store.db import Database

# Crockford's alphabet: no I, L, O, U, so a serial read over the phone is not misheard.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_serial() -> str:
    """60 random bits from the OS (secrets), as XXXX-XXXX-XXXX: not sequential, not guessable."""
    chars = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


# Crockford's reading of what was typed: O is 0, I and L are 1
_MISREAD = str.maketrans("OIL", "011")


def typed_serial(text: str) -> str:
    """A serial as read out or typed: any case, with spaces or dashes or none, O for 0."""
    chars = "".join(c for c in text.upper() if c.isalnum()).translate(_MISREAD)
    if len(chars) != 12:
        return text.strip().upper()
    return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def issue(db: Database, actor: Actor, person: str, *, enterprise: str | None, kind: str,
          days: int, today: date, override: str | None) -> dict[str, Any]:
    kind = typed_code("pass_kind", kind, "pass_bad_kind", "kind")
    if not 1 <= days <= 90:
        raise InputError("pass_bad_days", days=days)
    resident = find_person(db, person)
    business = None
    if enterprise:
        business = work.enterprise_named(db.conn, actor.village_code, enterprise)
        if business is None:
            raise NotFound("enterprise_not_found", name=enterprise)
    if not override:
        _refuse_if_at_risk(db, resident, today)
        if business:
            _refuse_if_not_ready(db, business["name"])
    values = {"uid": new_uid(), "village_code": actor.village_code, "serial": new_serial(),
              "resident_uid": resident["uid"],
              "enterprise_uid": business["uid"] if business else None, "kind": kind,
              "valid_from": today.isoformat(),
              "valid_to": (today + timedelta(days=days - 1)).isoformat(),
              "override_reason": override, "created_at": actor.at}
    with db.write() as conn:
        work.add(conn, "passes", values)
        record(conn, actor, "pass.issue", f"passes:{values['uid']}",
               {"kind": kind, "override": override})
    return {**values, "name": resident["name"], "id_number": resident["id_number"],
            "enterprise": business["name"] if business else None}


def _refuse_if_at_risk(db: Database, resident: dict[str, Any], today: date) -> None:
    if followup.active_quarantine(db.conn, resident["uid"]):
        raise InputError("pass_quarantined", name=resident["name"])
    fever = readings.fevers_since(db.conn, resident["uid"],
                                  (today - timedelta(days=14)).isoformat())
    if fever:
        raise InputError("pass_recent_fever", name=resident["name"], day=fever)


def _refuse_if_not_ready(db: Database, name: str) -> None:
    """An enterprise reopens with its checklist complete (cleaned, plans, supplies...)."""
    from epitool.core.work import list_enterprises

    [business] = list_enterprises(db, name)
    if not business["ready"]:
        raise InputError("pass_enterprise_not_ready", name=name, missing=business["missing"],
                         done=business["done"], items=business["done"] + len(
                             business["missing"].split(",")))


def holder_risk(db: Database, resident_uid: str, today: date) -> str | None:
    """Why a valid pass is suspended today: its holder is under quarantine, or has a fever
    (from any source) that no later reading has closed: the same list remind rechecks."""
    if followup.active_quarantine(db.conn, resident_uid):
        return "quarantined"
    if readings.fever_watch(db.conn, today.isoformat(), resident_uid):  # remind's rule
        return "fever"
    return None


def verify(db: Database, serial: str, today: date) -> dict[str, Any]:
    found = work.pass_by_serial(db.conn, typed_serial(serial))
    if found is None:
        return {"serial": typed_serial(serial), "status": "unknown"}
    status = ("revoked" if found["revoked"] else
              "expired" if found["valid_to"] < today.isoformat() else
              "not-yet-valid" if found["valid_from"] > today.isoformat() else "valid")
    risk = holder_risk(db, found.pop("resident_uid"), today) if status == "valid" else None
    if risk:
        status = "suspended"
    return {**found, "status": status, "suspended_for": risk}


def revoke(db: Database, actor: Actor, serial: str, reason: str | None) -> dict[str, Any]:
    if not reason or not reason.strip():
        raise InputError("pass_revoke_reason")
    found = work.pass_by_serial(db.conn, typed_serial(serial))
    if found is None:
        raise NotFound("pass_not_found", serial=serial)
    if found["revoked"]:
        raise InputError("pass_already_revoked", serial=found["serial"])
    with db.write() as conn:
        work.add(conn, "pass_revocations", {"uid": new_uid(), "village_code": actor.village_code,
                                            "pass_uid": found["uid"], "reason": reason.strip(),
                                            "created_at": actor.at})
        record(conn, actor, "pass.revoke", f"passes:{found['uid']}", {"reason": reason.strip()})
    return {"serial": found["serial"], "reason": reason.strip()}


def list_passes(db: Database, expiring_days: int | None, today: date) -> list[dict[str, Any]]:
    check_count(expiring_days, "--expiring", 0, 366)
    until = (today + timedelta(days=expiring_days)).isoformat() if expiring_days else None
    rows = work.passes(db.conn, until)
    if until:
        rows = [r for r in rows if r["valid_to"] >= today.isoformat() and not r["revoked"]]
    return rows


def pass_html(issued: dict[str, Any], village: str, office: str, labels: dict[str, str]) -> str:
    """A printable A6 pass: village, name, masked ID, validity, serial."""
    import html

    from epitool.privacy import mask_id

    e = html.escape
    rows = "".join(f"<tr><th>{e(labels[k])}</th><td>{e(str(v))}</td></tr>" for k, v in (
        ("name", issued["name"]), ("id_number", mask_id(issued["id_number"])),
        ("kind", labels[f"kind_{issued['kind']}"]), ("enterprise", issued["enterprise"] or "-"),
        ("valid", f"{issued['valid_from']} — {issued['valid_to']}")))
    return ("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            f"<title>{e(labels['title'])} {e(issued['serial'])}</title><style>"
            "@page{size:A6;margin:6mm}body{font-family:sans-serif;margin:0}"
            "h1{font-size:15pt;text-align:center;margin:2mm 0}"
            "table{width:100%;border-collapse:collapse;font-size:10pt}"
            "th,td{border:1px solid #999;padding:1.5mm;text-align:left}th{width:28%}"
            ".serial{font:bold 14pt monospace;text-align:center;margin:3mm 0}"
            ".by{text-align:right;font-size:9pt;margin-top:3mm}</style></head><body>"
            f"<h1>{e(village)} {e(labels['title'])}</h1><table>{rows}</table>"
            f"<div class=\"serial\">{e(issued['serial'])}</div>"
            f"<div class=\"by\">{e(office)} · {e(village)}</div></body></html>")
