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


def crontab(db: Path, config: Path | None, tz_name: str,
            program: str) -> list[tuple[str, dict[str, str], str | None]]:
    """The block as (comment's message key, its parameters, the crontab line under it)."""
    office_today = now(tz_name).date()
    base = [program if " " in program else shlex.quote(program), "--db", shlex.quote(str(db))]
    if config is not None:
        base += ["--config", shlex.quote(str(config))]
    reports = shlex.quote(str(db.parent / "reports"))
    lines: list[tuple[str, dict[str, str], str | None]] = [
        ("schedule_header", {"tz": tz_name}, None)]
    for at, command, key in JOBS:
        local = datetime.combine(office_today, at, zone(tz_name)).astimezone()
        # the report's folder made by the job itself: the block works pasted as it is
        prepare = f"mkdir -p {reports} && " if "{reports}" in command else ""
        lines.append((key, {"at": f"{at:%H:%M}", "tz": tz_name},
                      f"{local.minute} {local.hour} * * * {prepare}{' '.join(base)} "
                      f"{command.format(reports=reports, tz=tz_name)}"))
    return lines
