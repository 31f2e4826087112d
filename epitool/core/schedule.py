"""The crontab epitool suggests: office times converted to the machine's local time, since
plain cron runs on the machine's clock (a UTC server 8 hours behind Beijing)."""

from __future__ import annotations

import shlex
from datetime import datetime, time
from pathlib import Path

from epitool.core.clock import now, zone

JOBS = (
    (time(7, 30), "remind --quiet", "schedule_morning"),
    (time(16, 0), "remind --quiet", "schedule_afternoon"),
    (time(21, 0), "report daily --format html --force --output"
     " {reports}/daily-$(TZ={tz} date +\\%F).html", "schedule_report"),
)
# a village that reports to an office (its config names the office's key) also sends its
# bundle, after the report
BUNDLE_JOB = (time(21, 30), "bundle export --since-last --force --output"
              " {outbox}/$(TZ={tz} date +\\%F).bundle", "schedule_bundle")


def crontab(db: Path, config: Path | None, tz_name: str, program: str,
            reports_to_office: bool = False) -> list[tuple[str, dict[str, str], str | None]]:
    """The block as (comment's message key, its parameters, the crontab line under it)."""
    office_today = now(tz_name).date()
    base = [program if " " in program else shlex.quote(program), "--db", shlex.quote(str(db))]
    if config is not None:
        base += ["--config", shlex.quote(str(config))]
    folders = {"reports": shlex.quote(str(db.parent / "reports")),
               "outbox": shlex.quote(str(db.parent / "outbox"))}
    lines: list[tuple[str, dict[str, str], str | None]] = [
        ("schedule_header", {"tz": tz_name}, None)]
    for at, command, key in (*JOBS, *([BUNDLE_JOB] if reports_to_office else [])):
        local = datetime.combine(office_today, at, zone(tz_name)).astimezone()
        # the job's folder made by the job itself: the block works pasted as it is
        prepare = "".join(f"mkdir -p {path} && " for name, path in folders.items()
                          if "{" + name + "}" in command)
        lines.append((key, {"at": f"{at:%H:%M}", "tz": tz_name},
                      f"{local.minute} {local.hour} * * * {prepare}{' '.join(base)} "
                      f"{command.format(**folders, tz=tz_name)}"))
    return lines
