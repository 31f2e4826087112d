"""The demo: every sample imported into one database, then a few days of follow-up so that
every command has something to show. Running it again adds nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from epitool.core import checkpoints, passes, quarantine, sites, staff, visits, work
from epitool.core.clock import now
from epitool.core.config import Config
from epitool.core.roster.load import ImportOptions, import_roster
from epitool.core.setup import initialise
from epitool.errors import InputError
from epitool.ids import Actor
from epitool.store.db import Database
from epitool.store.overview import has_staff, is_demo_or_empty, mark_demo, roster_counts

SAMPLE_ROSTERS = ("roster_xizhuang.csv", "roster_jincheng.xlsx")
DEMO_STAFF: tuple[tuple[str, str, list[str]], ...] = (
    ("李卫国", "cadre", ["XZ-001", "XZ-002", "XZ-003"]), ("张医生", "medical", []))
DEMO_QUARANTINE = ("席晓东", "赵德明", "刘䶮")


def build_demo(open_db: Callable[[], Database], config: Config, actor: Actor, lang: str,
               samples: Path, rejects_dir: Path) -> list[dict[str, Any]]:
    """open_db: the demo database, made when missing; a database with records of its own
    is refused, so invented residents never reach a report sent upward. Rejects of the
    samples (there should be none) go to rejects_dir, not into site-packages."""
    with open_db() as db:
        if not is_demo_or_empty(db.conn):
            raise InputError("demo_real_database", path=str(db.path))
        initialise(db, config, actor)
        with db.write() as conn:
            mark_demo(conn, actor)
    for name in SAMPLE_ROSTERS:
        options = ImportOptions(path=samples / name, lang=lang,
                                rejects=rejects_dir / f"{Path(name).stem}.rejects.csv")
        import_roster(open_db, config, actor, options)
    with open_db() as db:
        if not has_staff(db.conn):
            _follow_up(db, config, actor)
            _field_work(db, config, actor)
        return roster_counts(db.conn)


def _follow_up(db: Database, config: Config, actor: Actor) -> None:
    """Five days of home quarantine for three residents, up to this morning."""
    tz = str(config["timezone"])
    threshold = float(config["fever_threshold"])
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
                         days=None, default_days=int(config["quarantine_days"]),
                         reason="返乡",
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
            missed = (offset, person) == (2, "刘䶮")
            entry = visits.VisitInput(
                temp=None if missed else 37.6 if (offset, person) == (3, "赵德明") else 36.5,
                symptoms=("cough",) if (offset, person) == (3, "赵德明") else (),
                outcome="missed" if missed else None,
                delivered="青菜、馒头" if offset % 2 == 0 else None,
                disinfected=True, garbage=True, at=at)
            visits.log_visit(db, actor, person, entry, threshold=threshold, force=False,
                             now=at)


def _field_work(db: Database, config: Config, actor: Actor) -> None:
    """A checkpoint with today's registrations, a shift, an enterprise, a pass, a patrol."""
    tz = str(config["timezone"])
    moment = now(tz).replace(microsecond=0) - timedelta(minutes=30)
    checkpoints.add_checkpoint(db, actor, "北路口", "席庄村北")
    threshold = float(config["fever_threshold"])
    for name, plate, temp, back in (("张三", "豫A12345", 36.4, None),
                                    ("李四", "豫AD12345", 36.6, None),
                                    ("王五", None, 36.5, "无通行证")):
        checkpoints.log_passage(db, actor, "北路口", {"name": name, "plate": plate, "temp": temp,
                                                      "turned_back": back, "direction": "in"},
                                at=moment, threshold=threshold)
    day = moment.date()
    start = datetime.combine(day, time(8, 0), moment.tzinfo)
    work.add_duty(db, actor, "李卫国", "北路口", start, start + timedelta(hours=12))
    work.add_enterprise(db, actor, "豫丰食品厂", "赵经理", None, 40, "席庄村南")
    work.check_enterprise(db, actor, "豫丰食品厂", ["cleaned", "disinfected"], None)
    # its checklist is not complete yet: a pass for it needs a reason, which is recorded
    passes.issue(db, actor, "席建国", enterprise="豫丰食品厂", kind="health", days=14,
                 today=day, override="复工前设备检修")
    work.log_patrol(db, actor, team="民兵巡查组", area="村口广场", finding="gathering", count=5,
                    action="劝散", person=None, at=moment)
    work.add_need(db, actor, "赵德明", ["青菜", "药品"], None)
