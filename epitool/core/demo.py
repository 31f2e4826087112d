"""The demo: every sample imported into one database, then a few days of follow-up so that
every command has something to show. Running it again adds nothing."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from epitool.core import quarantine, sites, staff, visits
from epitool.core.clock import now
from epitool.core.roster_import import ImportOptions, import_roster
from epitool.core.setup import initialise
from epitool.store.overview import roster_counts

SAMPLE_ROSTERS = ("roster_xizhuang.csv", "roster_jincheng.xlsx")
DEMO_STAFF = (("李卫国", "cadre", ["XZ-001", "XZ-002", "XZ-003"]), ("张医生", "medical", []))
DEMO_QUARANTINE = ("席晓东", "赵德明", "刘䶮")


def build_demo(app: Any, samples: Path) -> list[dict[str, Any]]:
    initialise(app)
    for name in SAMPLE_ROSTERS:
        # Rejects (there should be none) go beside the database, not into site-packages.
        options = ImportOptions(path=samples / name, lang=app.lang,
                                rejects=app.db_path.with_name(f"{Path(name).stem}.rejects.csv"))
        import_roster(lambda: app.open_db(create=True), app.config, app.actor(), options)
    with app.open_db() as db:
        if not db.conn.execute("SELECT 1 FROM staff").fetchone():
            _follow_up(db, app)
        return roster_counts(db.conn)


def _follow_up(db: Any, app: Any) -> None:
    """Five days of home quarantine for three residents, up to this morning."""
    actor, tz = app.actor(), str(app.config["timezone"])
    threshold = float(app.config["fever_threshold"])
    for name, team, households in DEMO_STAFF:
        staff.add_staff(db, actor, name, team, None)
        if households:
            staff.assign(db, actor, name, households, None)
    staff.assign(db, actor, "张医生", [], "二组")
    sites.add_site(db, actor, "村委会广场", kind="public", every=1, group="一组", household=None)
    sites.add_site(db, actor, "北路口卡点", kind="checkpoint", every=1, group=None,
                   household=None)
    today = now(tz).date()
    start = today - timedelta(days=5)
    for person in DEMO_QUARANTINE:
        quarantine.start(db, actor, person, kind="home", since=start,
                         days=int(app.config["quarantine_days"]), reason="返乡",
                         place=None, assign=None)
    for offset in range(6):
        day = start + timedelta(days=offset)
        at = min(datetime.combine(day, time(9, 0), now(tz).tzinfo),
                 now(tz).replace(microsecond=0) - timedelta(minutes=5))  # never in the future
        sites.log_round(db, actor, "村委会广场", agent="84消毒液", by="李卫国",
                        at=at.replace(hour=8), note=None)
        for person in DEMO_QUARANTINE:
            if offset == 5 and person == "刘䶮":
                continue  # not visited yet today
            entry = visits.VisitInput(
                temp=37.6 if (offset, person) == (3, "赵德明") else 36.5,
                symptoms=("cough",) if (offset, person) == (3, "赵德明") else (),
                outcome="missed" if (offset, person) == (2, "刘䶮") else None,
                delivered="青菜、馒头" if offset % 2 == 0 else None,
                disinfected=True, garbage=True, at=at)
            visits.log_visit(db, actor, person, entry, threshold=threshold, force=False,
                             now=at)
