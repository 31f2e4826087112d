"""Schema migrations: an ordered list of small functions, applied on open (store.db.migrate),
each in its own transaction. Append only: never edit one that has shipped, write a new one
(tests/fixtures keeps a database per version; tests migrate from each)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from epitool.store.location import is_server
from epitool.store.script import run_script

Migration = Callable[[sqlite3.Connection], None]


def m001_areas_and_roster(conn: sqlite3.Connection) -> None:
    """Area hierarchy (office > village > group), households and residents.

    Every row has a UUIDv7 `uid` and the `village_code` it was created in, so village
    databases merge into an office database without clashes. Households are keyed by their
    户号 within a village, residents by ID number (or by name within a household when none).
    """
    run_script(conn, """
    CREATE TABLE offices (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, name TEXT NOT NULL UNIQUE,
        village_code TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE villages (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, office TEXT, village_code TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE groups (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        name TEXT NOT NULL, created_at TEXT NOT NULL, UNIQUE (village_code, name));
    CREATE TABLE households (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        household_no TEXT NOT NULL, group_name TEXT, head_name TEXT, address TEXT,
        created_at TEXT NOT NULL, UNIQUE (village_code, household_no));
    CREATE TABLE residents (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL, village_code TEXT NOT NULL,
        name TEXT NOT NULL, sex TEXT CHECK (sex IN ('M', 'F')), id_number TEXT,
        phone TEXT, household_no TEXT, relation TEXT, group_name TEXT, address TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
    CREATE UNIQUE INDEX residents_uid ON residents (uid);
    CREATE UNIQUE INDEX residents_id_number ON residents (id_number)
        WHERE id_number IS NOT NULL;
    CREATE UNIQUE INDEX residents_name_household ON residents (village_code, household_no, name)
        WHERE id_number IS NULL;
    CREATE INDEX residents_household ON residents (village_code, household_no);
    CREATE TABLE name_initials (name TEXT PRIMARY KEY, initials TEXT NOT NULL,
        full TEXT NOT NULL) WITHOUT ROWID;
    """)


def m002_audit(conn: sqlite3.Connection) -> None:
    """Every write: who, when, which command, what changed (old values kept)."""
    run_script(conn, """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        at TEXT NOT NULL, who TEXT NOT NULL, command TEXT NOT NULL, action TEXT NOT NULL,
        target TEXT, detail TEXT);
    CREATE INDEX audit_at ON audit (at);
    CREATE INDEX audit_target ON audit (target);
    """)


def m003_followup(conn: sqlite3.Connection) -> None:
    """Staff and responsibility, quarantines, daily visits, disinfection sites and rounds.

    Health records are append-only: a quarantine's end or extension is an event row; a
    visit is amended by a new row that supersedes it and voided by a row that names it.
    """
    run_script(conn, """
    CREATE TABLE staff (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        name TEXT NOT NULL, team TEXT NOT NULL
        CHECK (team IN ('cadre', 'police', 'medical', 'volunteer')),
        phone TEXT, created_at TEXT NOT NULL, UNIQUE (village_code, name));
    CREATE TABLE responsibilities (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        staff_uid TEXT NOT NULL REFERENCES staff (uid), household_no TEXT, group_name TEXT,
        created_at TEXT NOT NULL,
        CHECK ((household_no IS NULL) != (group_name IS NULL)));
    CREATE INDEX responsibilities_household ON responsibilities (village_code, household_no);
    CREATE INDEX responsibilities_group ON responsibilities (village_code, group_name);
    CREATE TABLE quarantines (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        resident_uid TEXT NOT NULL REFERENCES residents (uid),
        kind TEXT NOT NULL CHECK (kind IN ('home', 'central')),
        start_date TEXT NOT NULL, days INTEGER NOT NULL CHECK (days > 0),
        reason TEXT, place TEXT, staff_uid TEXT REFERENCES staff (uid),
        created_at TEXT NOT NULL);
    CREATE INDEX quarantines_resident ON quarantines (resident_uid);
    CREATE TABLE quarantine_events (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        quarantine_uid TEXT NOT NULL REFERENCES quarantines (uid),
        event TEXT NOT NULL CHECK (event IN ('end', 'extend')),
        outcome TEXT CHECK (outcome IN ('completed', 'hospitalised', 'transferred', 'lost')),
        event_date TEXT NOT NULL, days INTEGER, note TEXT, created_at TEXT NOT NULL);
    CREATE INDEX quarantine_events_quarantine ON quarantine_events (quarantine_uid);
    CREATE TABLE visits (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        resident_uid TEXT NOT NULL REFERENCES residents (uid), quarantine_uid TEXT,
        at TEXT NOT NULL, day TEXT NOT NULL, temp REAL, temp2 REAL, symptoms TEXT,
        outcome TEXT NOT NULL
        CHECK (outcome IN ('seen-ok', 'seen-not-ok', 'missed', 'not-attempted')),
        delivered TEXT, disinfected INTEGER NOT NULL DEFAULT 0,
        garbage INTEGER NOT NULL DEFAULT 0, note TEXT, staff_uid TEXT,
        fever INTEGER NOT NULL DEFAULT 0, forced INTEGER NOT NULL DEFAULT 0,
        supersedes TEXT REFERENCES visits (uid), created_at TEXT NOT NULL);
    CREATE INDEX visits_day ON visits (day);
    CREATE INDEX visits_resident ON visits (resident_uid, day);
    CREATE INDEX visits_supersedes ON visits (supersedes);
    CREATE TABLE visit_voids (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        visit_uid TEXT NOT NULL REFERENCES visits (uid), reason TEXT NOT NULL,
        created_at TEXT NOT NULL);
    CREATE INDEX visit_voids_visit ON visit_voids (visit_uid);
    CREATE TABLE sites (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        name TEXT NOT NULL, kind TEXT NOT NULL
        CHECK (kind IN ('public', 'building', 'household', 'enterprise', 'checkpoint')),
        every_days INTEGER NOT NULL DEFAULT 1 CHECK (every_days > 0), group_name TEXT,
        household_no TEXT, created_at TEXT NOT NULL, UNIQUE (village_code, name));
    CREATE TABLE disinfections (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        site_uid TEXT NOT NULL REFERENCES sites (uid), at TEXT NOT NULL, day TEXT NOT NULL,
        agent TEXT, staff_uid TEXT, note TEXT, visit_uid TEXT, created_at TEXT NOT NULL);
    CREATE INDEX disinfections_site ON disinfections (site_uid, day);
    CREATE INDEX disinfections_day ON disinfections (day);
    -- A visit is effective unless a later row supersedes it or a void names it.
    CREATE VIEW effective_visits AS
        SELECT v.* FROM visits v
        WHERE NOT EXISTS (SELECT 1 FROM visits n WHERE n.supersedes = v.uid)
          AND NOT EXISTS (SELECT 1 FROM visit_voids x WHERE x.visit_uid = v.uid);
    -- A quarantine as it stands: the latest extension restarts the count, the latest end
    -- event (if any) gives its outcome.
    CREATE VIEW quarantine_status AS
        SELECT q.id, q.uid, q.village_code, q.resident_uid, q.kind, q.reason, q.place,
            q.staff_uid, coalesce(x.event_date, q.start_date) AS start_date,
            coalesce(x.days, q.days) AS days,
            date(coalesce(x.event_date, q.start_date),
                 '+' || (coalesce(x.days, q.days) - 1) || ' days') AS last_day,
            e.event_date AS end_date, coalesce(e.outcome, 'active') AS status
        FROM quarantines q
        LEFT JOIN quarantine_events e ON e.id = (SELECT max(id) FROM quarantine_events
            WHERE quarantine_uid = q.uid AND event = 'end')
        LEFT JOIN quarantine_events x ON x.id = (SELECT max(id) FROM quarantine_events
            WHERE quarantine_uid = q.uid AND event = 'extend');
    """)


def m004_visits_at_scale(conn: sqlite3.Connection) -> None:
    """Reports and reminders at district scale (50,000 people under follow-up):

    - an index for a person's visits, which every look-up otherwise scanned day by day;
    - effective_visits without correlated subqueries: corrections and voids are few, so the
      list of replaced visits is built once per query instead of probed once per visit.
    """
    run_script(conn, """
    CREATE INDEX visits_quarantine ON visits (quarantine_uid, day);
    DROP VIEW effective_visits;
    CREATE VIEW effective_visits AS
        SELECT v.* FROM visits v
        WHERE v.uid NOT IN (SELECT supersedes FROM visits WHERE supersedes IS NOT NULL)
          AND v.uid NOT IN (SELECT visit_uid FROM visit_voids);
    """)


def m005_checkpoints(conn: sqlite3.Connection) -> None:
    """Checkpoints 卡点 and their registrations: who passed, which way, when, temperature,
    plate, and whether they were turned back 劝返 (with the reason)."""
    run_script(conn, """
    CREATE TABLE checkpoints (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        name TEXT NOT NULL, location TEXT, created_at TEXT NOT NULL,
        UNIQUE (village_code, name));
    CREATE TABLE checkpoint_logs (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        checkpoint_uid TEXT NOT NULL REFERENCES checkpoints (uid), at TEXT NOT NULL,
        day TEXT NOT NULL, direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
        name TEXT NOT NULL, id_number TEXT, phone TEXT, plate TEXT,
        plate_ok INTEGER, origin TEXT, destination TEXT, purpose TEXT, temp REAL,
        fever INTEGER NOT NULL DEFAULT 0, turned_back INTEGER NOT NULL DEFAULT 0,
        turn_back_reason TEXT, resident_uid TEXT, created_at TEXT NOT NULL,
        CHECK (turned_back = 0 OR length(turn_back_reason) > 0));
    CREATE INDEX checkpoint_logs_day ON checkpoint_logs (day, checkpoint_uid);
    """)


def m006_duty_enterprises_passes(conn: sqlite3.Connection) -> None:
    """Duty shifts at checkpoints, work resumption 复工复产 (enterprises and their checklist),
    health certificates and passes, patrols, and residents' needs 代买代送.

    Append-only like the rest: a checklist item is a row per check, a pass is revoked by a
    row that names it, a need is done by a row that names it.
    """
    run_script(conn, """
    CREATE TABLE duties (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        staff_uid TEXT NOT NULL REFERENCES staff (uid),
        checkpoint_uid TEXT NOT NULL REFERENCES checkpoints (uid),
        starts TEXT NOT NULL, ends TEXT NOT NULL, created_at TEXT NOT NULL,
        CHECK (ends > starts));
    CREATE INDEX duties_point ON duties (checkpoint_uid, starts);
    CREATE TABLE enterprises (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        name TEXT NOT NULL, contact TEXT, phone TEXT, workers INTEGER, address TEXT,
        created_at TEXT NOT NULL, UNIQUE (village_code, name));
    CREATE TABLE enterprise_checks (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        enterprise_uid TEXT NOT NULL REFERENCES enterprises (uid),
        item TEXT NOT NULL CHECK (item IN ('cleaned', 'disinfected', 'prevention_plan',
                                          'emergency_plan')),
        note TEXT, created_at TEXT NOT NULL);
    CREATE TABLE passes (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        serial TEXT NOT NULL UNIQUE, resident_uid TEXT NOT NULL REFERENCES residents (uid),
        enterprise_uid TEXT REFERENCES enterprises (uid),
        kind TEXT NOT NULL CHECK (kind IN ('health', 'travel')),
        valid_from TEXT NOT NULL, valid_to TEXT NOT NULL, override_reason TEXT,
        created_at TEXT NOT NULL);
    CREATE TABLE pass_revocations (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        pass_uid TEXT NOT NULL UNIQUE REFERENCES passes (uid), reason TEXT NOT NULL,
        created_at TEXT NOT NULL);
    CREATE TABLE patrols (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        team TEXT NOT NULL, area TEXT NOT NULL,
        finding TEXT NOT NULL CHECK (finding IN ('gathering', 'no-mask', 'quarantine-breach',
                                                 'fire-hazard', 'other')),
        count INTEGER, action TEXT, resident_uid TEXT REFERENCES residents (uid),
        at TEXT NOT NULL, day TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE INDEX patrols_day ON patrols (day);
    CREATE TABLE needs (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        resident_uid TEXT NOT NULL REFERENCES residents (uid), items TEXT NOT NULL,
        note TEXT, created_at TEXT NOT NULL);
    CREATE TABLE needs_done (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        need_uid TEXT NOT NULL UNIQUE REFERENCES needs (uid), staff_uid TEXT,
        created_at TEXT NOT NULL);
    """)


def m007_followup_at_scale(conn: sqlite3.Connection) -> None:
    """The day's follow-up of a district (50,000 people) in well under a second:

    - a covering index for the scan of quarantines, in the order of their residents: the
      look-ups into residents then walk the table in order instead of jumping about it;
    - an index for the latest end or extension of a quarantine;
    - residents counted per village and group from an index instead of the whole table;
    - quarantine_status keeps the original start, so "new today" needs no second look-up.
    """
    run_script(conn, """
    DROP INDEX quarantines_resident;
    CREATE INDEX quarantines_followup
        ON quarantines (resident_uid, uid, kind, start_date, days, staff_uid);
    DROP INDEX quarantine_events_quarantine;
    CREATE INDEX quarantine_events_kind ON quarantine_events (quarantine_uid, event);
    CREATE INDEX residents_area ON residents (village_code, group_name);
    DROP VIEW quarantine_status;
    CREATE VIEW quarantine_status AS
        SELECT q.id, q.uid, q.village_code, q.resident_uid, q.kind, q.reason, q.place,
            q.staff_uid, coalesce(x.event_date, q.start_date) AS start_date,
            coalesce(x.days, q.days) AS days,
            date(coalesce(x.event_date, q.start_date),
                 '+' || (coalesce(x.days, q.days) - 1) || ' days') AS last_day,
            e.event_date AS end_date, coalesce(e.outcome, 'active') AS status,
            q.start_date AS original_start
        FROM quarantines q
        LEFT JOIN quarantine_events e ON e.id = (SELECT max(id) FROM quarantine_events
            WHERE quarantine_uid = q.uid AND event = 'end')
        LEFT JOIN quarantine_events x ON x.id = (SELECT max(id) FROM quarantine_events
            WHERE quarantine_uid = q.uid AND event = 'extend');
    """)


def m008_followup_history(conn: sqlite3.Connection) -> None:
    """Follow-up as a history: what was true on a day comes from the events up to it.

    - corrections of a start typed wrong (or of the length) are rows of their own, the
      original start kept in quarantines;
    - a quarantine that continues another (home -> central the same day) names it, so the
      person is not new that day and the count of days goes on (and the day's scan of
      quarantines still reads the index alone: the column is in it);
    - quarantine_status gives the first day as corrected (original_start) and its length
      (first_days): the day-by-day counts need both, whatever was extended later;
    - a daily report written to a file is kept as sent (its numbers, and the last audit row
      then), so a later look at that day can say what changed since, and why;
    - a resident's registrations at checkpoints found by person: their temperatures count
      as readings, and going out while quarantined as a breach;
    - the fevers of a fortnight found without reading every visit: each stays on the list
      until a later reading.
    """
    run_script(conn, """
    CREATE TABLE quarantine_corrections (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        quarantine_uid TEXT NOT NULL REFERENCES quarantines (uid),
        start_date TEXT NOT NULL, days INTEGER NOT NULL CHECK (days > 0),
        reason TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE INDEX quarantine_corrections_quarantine
        ON quarantine_corrections (quarantine_uid, id);
    CREATE TABLE sent_reports (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        day TEXT NOT NULL, by_area TEXT NOT NULL, numbers TEXT NOT NULL,
        audit_id INTEGER NOT NULL, sent_to TEXT, created_at TEXT NOT NULL);
    CREATE INDEX sent_reports_day ON sent_reports (day, by_area, id);
    CREATE INDEX checkpoint_logs_resident ON checkpoint_logs (resident_uid, day)
        WHERE resident_uid IS NOT NULL;
    CREATE INDEX visits_fever ON visits (day, resident_uid) WHERE fever = 1;
    ALTER TABLE quarantines ADD COLUMN continues_uid TEXT REFERENCES quarantines (uid);
    DROP INDEX quarantines_followup;
    CREATE INDEX quarantines_followup ON quarantines (resident_uid, uid, kind, start_date, days,
                                                      staff_uid, continues_uid);
    DROP VIEW quarantine_status;
    CREATE VIEW quarantine_status AS
        SELECT q.id, q.uid, q.village_code, q.resident_uid, q.kind, q.reason, q.place,
            q.staff_uid, coalesce(x.event_date, c.start_date, q.start_date) AS start_date,
            coalesce(x.days, c.days, q.days) AS days,
            date(coalesce(x.event_date, c.start_date, q.start_date),
                 '+' || (coalesce(x.days, c.days, q.days) - 1) || ' days') AS last_day,
            e.event_date AS end_date, coalesce(e.outcome, 'active') AS status,
            coalesce(c.start_date, q.start_date) AS original_start,
            coalesce(c.days, q.days) AS first_days, q.continues_uid
        FROM quarantines q
        LEFT JOIN quarantine_events e ON e.id = (SELECT max(id) FROM quarantine_events
            WHERE quarantine_uid = q.uid AND event = 'end')
        LEFT JOIN quarantine_events x ON x.id = (SELECT max(id) FROM quarantine_events
            WHERE quarantine_uid = q.uid AND event = 'extend')
        LEFT JOIN quarantine_corrections c ON c.id = (SELECT max(id)
            FROM quarantine_corrections WHERE quarantine_uid = q.uid);
    """)


def m009_bundles(conn: sqlite3.Connection) -> None:
    """Villages report to an office in sealed bundles (core.bundle).

    - an ID number is unique within a village, not across villages: an office holds every
      village's roster, and one person on two rosters is a conflict to show, not an error
      (the index still finds a number first, as every lookup by number does);
    - a village notes each export, so the next one can hold only what changed since;
    - an office keeps its registered villages with their signing keys, each bundle it has
      merged (a bundle imported again changes nothing), and the conflicts merging found.
    """
    run_script(conn, """
    DROP INDEX residents_id_number;
    CREATE UNIQUE INDEX residents_id_number ON residents (id_number, village_code)
        WHERE id_number IS NOT NULL;
    CREATE TABLE bundle_exports (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        since TEXT, covers_day TEXT NOT NULL, created_at TEXT NOT NULL);
    CREATE TABLE office_villages (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL, public_key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
    CREATE TABLE bundles_received (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        made_at TEXT NOT NULL, covers_day TEXT NOT NULL, since TEXT,
        inserted INTEGER NOT NULL, updated INTEGER NOT NULL, unchanged INTEGER NOT NULL,
        created_at TEXT NOT NULL);
    CREATE INDEX bundles_received_village ON bundles_received (village_code, covers_day);
    CREATE TABLE merge_conflicts (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('same_id_number', 'quarantined_twice')),
        subject TEXT NOT NULL, other_village TEXT NOT NULL, detail TEXT,
        created_at TEXT NOT NULL, UNIQUE (kind, subject, village_code, other_village));
    """)


def m010_village_roles(conn: sqlite3.Connection) -> None:
    """On a server, a village's roles see and write only its rows (`epitool db grant`): the
    roles with their village (none: an office's), and row-level security by village_code
    (store.row_security). A database file, guarded by who may open it, leaves it empty."""
    run_script(conn, """
    CREATE TABLE village_roles (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL UNIQUE, village_code TEXT,
        role_name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
    """)
    if is_server(conn):
        from epitool.store.row_security import row_security

        row_security(conn)


MIGRATIONS: list[Migration] = [m001_areas_and_roster, m002_audit, m003_followup,
                               m004_visits_at_scale, m005_checkpoints,
                               m006_duty_enterprises_passes, m007_followup_at_scale,
                               m008_followup_history, m009_bundles, m010_village_roles]
SCHEMA_VERSION = len(MIGRATIONS)
