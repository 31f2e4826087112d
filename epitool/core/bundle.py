"""From village to office: a village's records in a sealed bundle, merged by an office.

A bundle is the village's database as a SQLite file (store.bundle.snapshot), compressed,
encrypted to the office and signed by the village (io.sealed). The office checks, in order,
that the file is a bundle, that the village is registered and the signature is its key's,
that it can decrypt it, that its schema is one it knows (older ones are upgraded on read),
and that every row is the signer's village's; then merges it in one transaction. A check
that fails changes nothing: the office's database is not opened for writing before all of
them have passed.
"""

from __future__ import annotations

import os
import tempfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from epitool.core.clock import now
from epitool.core.config import Config, is_village_code
from epitool.errors import InputError, NotFound
from epitool.ids import Actor, new_uid
from epitool.io import sealed
from epitool.store import bundle as store
from epitool.store.audit import record
from epitool.store.bulk import after_bulk_load
from epitool.store.db import Database, migrate_file
from epitool.store.migrations import SCHEMA_VERSION

RESULT_KEYS = ("bundles", "villages", "inserted", "updated", "unchanged", "conflicts")


# --- keys --------------------------------------------------------------------------------------

def keygen(kind: str, output: Path, *, force: bool) -> str:
    """A new key pair: the secret part to `output` (0600), the public part returned."""
    from epitool.io.writers import open_private

    secret, public = sealed.office_keys() if kind == "office" else sealed.signing_keys()
    with open_private(output, overwrite=force) as handle:
        handle.write(secret + "\n")
    return public


def _key_text(config: Config, key: str, missing: str) -> str:
    path = config.key_file(key)
    if path is None:
        raise InputError(missing)
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("bundle_key_unreadable", path=str(path),
                         reason=getattr(exc, "strerror", None) or str(exc)) from None


# --- a village ---------------------------------------------------------------------------------

def export(db: Database, config: Config, actor: Actor, output: Path, *, since_last: bool,
           force: bool) -> dict[str, Any]:
    """Seal this village's records (with since_last, what changed since the last export)
    to `output`; noted, so that the next export can start from here."""
    from epitool.io.writers import open_private

    if config.is_office:
        raise InputError("bundle_export_in_office")
    office_key = str(config["bundle"]["office_public_key"])
    if not office_key:
        raise InputError("bundle_no_office_key")
    signing_key = sealed.load_signing_key(_key_text(config, "signing_key_file",
                                                    "bundle_no_signing_key"))
    since = _overlapped(store.last_export(db.conn)) if since_last else None
    covers = now(str(config["timezone"])).date().isoformat()
    header = {"format": 1, "bundle": new_uid(), "village_code": config.village_code,
              "village": config["area"]["village"], "schema": SCHEMA_VERSION,
              "made_at": actor.at, "covers_day": covers, "since": since}
    with _private_folder() as folder:
        copy = folder / "bundle.db"
        store.snapshot(db.conn, copy, since)
        payload = zlib.compress(copy.read_bytes(), 6)
    data = sealed.seal(payload, header, office_key, signing_key)
    with open_private(output, overwrite=force, binary=True) as handle:
        handle.write(data)
    with db.write() as conn:
        store.add_export(conn, config.village_code, since, covers, actor.at)
        record(conn, actor, "bundle.export", f"file:{output.name}",
               {"bundle": header["bundle"], "since": since, "bytes": len(data)})
    return {"file": str(output), "bundle": header["bundle"], "since": since,
            "covers_day": covers, "bytes": len(data)}


def _overlapped(last: str | None) -> str | None:
    """From a day before the last export: a record carries the time its command began, so
    a long import that began before the last export and ended after it is not missed (what
    a bundle holds twice, the office finds unchanged)."""
    if last is None:
        return None
    from datetime import datetime, timedelta

    return (datetime.fromisoformat(last) - timedelta(days=1)).isoformat()


@contextmanager
def _private_folder() -> Iterator[Path]:
    """A folder only this user can read, removed after: a bundle's plain copy lives there
    for as long as it is being sealed or merged."""
    with tempfile.TemporaryDirectory(prefix="epitool-bundle-") as name:
        os.chmod(name, 0o700)
        yield Path(name)


# --- an office: villages ------------------------------------------------------------------------

def _office_only(config: Config) -> None:
    if not config.is_office:
        raise InputError("bundle_not_office")


def register(db: Database, config: Config, actor: Actor, code: str, name: str,
             public_key: str) -> None:
    _office_only(config)
    if not is_village_code(code):  # as a village's config has it
        raise InputError("bundle_bad_village_code", village=code)
    key = sealed.check_public_key(public_key)
    with db.write() as conn:
        other = store.village_named_by_key(conn, key)
        if other is not None and other != code:
            raise InputError("bundle_key_taken", key=key[:12], village=other)
        store.register_village(conn, code, name, key, actor.at)
        record(conn, actor, "bundle.register", None, {"village": code, "name": name,
                                                      "key": key})


def arrivals(db: Database, config: Config) -> list[dict[str, Any]]:
    _office_only(config)
    today = now(str(config["timezone"])).date().isoformat()
    rows = store.arrivals(db.conn)
    for row in rows:
        row["today"] = bool(row["covers_day"] and row["covers_day"] >= today)
    return rows


def conflicts(db: Database, config: Config) -> list[dict[str, Any]]:
    """Each conflict with the names each village has the person under and, for a double
    quarantine, the days both cover."""
    import json

    _office_only(config)
    rows = store.conflicts(db.conn)
    for row in rows:
        detail = json.loads(row.pop("detail") or "{}")
        row["names"] = [detail.get(row["village_code"]), detail.get(row["other_village"])]
        row["from"], row["to"] = detail.get("from"), detail.get("to")
    return rows


# --- an office: importing ------------------------------------------------------------------------

def import_bundles(open_db: Callable[[], Database], config: Config, actor: Actor,
                   files: list[Path]) -> dict[str, Any]:
    """Each file checked whole, then merged in a transaction of its own (a bundle lands
    whole or not at all). A file refused changes nothing and does not keep the others out
    (one village's bad file must not leave the whole office without its report): the
    refusals are returned, as errors, under "refused"."""
    from epitool.errors import EpitoolError

    _office_only(config)
    secret = _key_text(config, "office_key_file", "bundle_no_office_secret")
    totals: dict[str, Any] = {k: 0 for k in RESULT_KEYS}
    refused: list[tuple[Path, EpitoolError]] = []
    villages: set[str] = set()
    with open_db() as db:  # one connection for every file: a server's costs a tenth of a second
        for path in files:
            try:
                counts = _import_one(db, config, actor, path, secret, bulk=len(files) > 1)
            except EpitoolError as exc:
                if len(files) == 1:
                    raise
                refused.append((path, exc))
                continue
            villages.add(counts.pop("village_code"))
            totals["bundles"] += 1
            for key in ("inserted", "updated", "unchanged", "conflicts"):
                totals[key] += counts[key]
        after_bulk_load(db.conn, store.TABLES, totals["inserted"] + totals["updated"])
    totals["villages"] = len(villages)
    totals["refused"] = refused
    return totals


def _import_one(db: Database, config: Config, actor: Actor, path: Path,
                secret: str, *, bulk: bool) -> dict[str, Any]:
    opened = sealed.open_sealed(_read(path, config))
    header = opened.header
    code = header["village_code"]
    known = {v["village_code"]: v for v in store.registered(db.conn)}
    if code not in known:
        raise InputError("bundle_unregistered_village", village=code, path=str(path))
    if header.get("signer") != known[code]["public_key"]:
        signer = store.village_named_by_key(db.conn, str(header.get("signer", "")))
        raise InputError("bundle_signer_mismatch", village=code, signer=signer or "?")
    sealed.verify(opened, known[code]["public_key"])
    if store.received(db.conn, str(header.get("bundle"))):
        return {"village_code": code, "inserted": 0, "updated": 0, "unchanged": 0,
                "conflicts": 0}
    payload = _inflate(sealed.decrypt(opened, secret), config)
    with _private_folder() as folder:
        copy = folder / "bundle.db"
        copy.write_bytes(payload)
        _upgrade(copy, code)
        if not bulk:
            return _merge(db, actor, copy, header, known[code]["number"])
        with db.bulk_journal():  # many bundles: each page written once, not twice (WAL)
            return _merge(db, actor, copy, header, known[code]["number"])


def _read(path: Path, config: Config) -> bytes:
    if not path.is_file():
        raise NotFound("file_missing", path=str(path))
    if path.stat().st_size > config["max_input_mb"] * 2**20:
        raise InputError("bundle_damaged")
    return path.read_bytes()


def _inflate(data: bytes, config: Config) -> bytes:
    """The payload, refused if it would unpack to more than the input limit."""
    limit = config["max_input_mb"] * 2**20
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise InputError("bundle_damaged") from None
    if len(out) > limit or not inflater.eof:
        raise InputError("bundle_damaged")
    return out


def _upgrade(copy: Path, code: str) -> None:
    """A bundle from an older epitool is brought to this schema; a newer one is refused."""
    version = store.schema_of(copy)
    if version is None:
        raise InputError("bundle_damaged")
    if version > SCHEMA_VERSION:
        raise InputError("bundle_too_new", village=code, schema=version,
                         ours=SCHEMA_VERSION)
    if version < SCHEMA_VERSION:
        migrate_file(copy)


def _merge(db: Database, actor: Actor, copy: Path, header: dict[str, Any],
           number: int) -> dict[str, Any]:
    code = header["village_code"]
    others, widest = store.problems(copy, code)
    if others:
        raise InputError("bundle_village_mismatch", village=code, others=", ".join(others))
    if widest >= store.OFFSET:
        raise InputError("bundle_too_many_rows", village=code)
    store.attach(db.conn, copy)
    try:
        with db.foreign_keys_off(), db.write() as conn:
            counts = store.merge(conn, copy, code, number * store.OFFSET, header["made_at"])
            counts["conflicts"] = store.new_conflicts(conn, code, actor.at)
            store.add_received(conn, header, counts, actor.at)
            record(conn, actor, "bundle.import", f"file:{header['bundle']}",
                   {"village": code, **counts})
    finally:
        store.detach(db.conn)
    return {"village_code": code, **counts}
