"""epitool remind (what is due) and epitool schedule print (a ready crontab)."""

from __future__ import annotations

import sys
from typing import Optional

import typer

from epitool.cli.context import AppContext


def remind(ctx: typer.Context,
           on: Optional[str] = typer.Option(None, "--date", help="Day (default today)."),
           for_: Optional[str] = typer.Option(None, "--for", help="Only what this staff member covers."),
           fmt: str = typer.Option("text", "--format", help="text | table | json"),
           quiet: bool = typer.Option(False, "--quiet", help="Print nothing when nothing is due."),
           exit_code: bool = typer.Option(False, "--exit-code", help="Exit 3 when something is due.")) -> None:
    """What is due today, who is responsible, and the command that resolves it."""
    from epitool.core.remind import due_on

    app_: AppContext = ctx.obj
    if fmt not in ("text", "table", "json"):
        raise typer.BadParameter("text | table | json", param_hint="--format")
    staff = None
    with app_.open_db() as db:
        if for_:
            from epitool.core.staff import find_staff

            staff = find_staff(db, for_, app_.config.village_code)["name"]
        from epitool.core.clock import now_iso

        items = due_on(db, app_.date(on), staff, app_.tz, None if on else now_iso(app_.tz))
    if items or not quiet:
        _print(app_, items, fmt)
    if items and exit_code:
        raise typer.Exit(3)


def _print(app_: AppContext, items: list, fmt: str) -> None:  # type: ignore[type-arg]
    t = app_.t
    if fmt == "json":
        from epitool.report.table import to_json

        sys.stdout.write(to_json([i.as_dict() for i in items]))
    elif fmt == "table":
        from epitool.cli.output import emit_table
        from epitool.report.table import Column, TableData

        rows = [{**i.as_dict(), "kind": t(f"due_{i.kind}")} for i in items]
        emit_table(app_, TableData(t("remind_title"), [
            Column("kind", t("col_kind")), Column("subject", t("col_name"), no_wrap=True),
            Column("group", t("col_group")), Column("staff", t("col_staff")),
            Column("detail", ""), Column("command", t("col_command"))], rows), "table", None)
    else:
        from epitool.report.safe import safe_text

        # Plain lines: cron mail and pipes get no colour and no wrapping.
        lines = [f"[{t(f'due_{i.kind}')}] {i.subject}" + (f" ({i.group})" if i.group else "")
                 + (f" {i.detail}" if i.detail else "") + f" — {i.staff or t('nobody')}"
                 + f" — {i.command}" for i in items]
        sys.stdout.write("\n".join(safe_text(line) for line in lines) + "\n" if lines
                         else t("remind_nothing") + "\n")
    sys.stdout.flush()


remind_app = typer.Typer()
remind_app.command()(remind)

schedule_app = typer.Typer(no_args_is_help=True, help="Ready-made schedules for cron.")


@schedule_app.callback()
def _schedule_group() -> None:
    """Ready-made schedules for cron and systemd."""


@schedule_app.command("print")
def schedule_print(ctx: typer.Context) -> None:
    """A crontab block: reminders at 07:30 and 16:00, the daily report at 21:00 (office time)."""
    from epitool.core.schedule import crontab

    app_: AppContext = ctx.obj
    sys.stdout.write(crontab(app_.db_path.resolve(), app_.config.source, str(app_.config["timezone"]),
                             _program()))


def _program() -> str:
    """The absolute command that runs this epitool, whichever way it was started."""
    import os
    import shutil

    argv0 = sys.argv[0] if sys.argv else ""
    if argv0.endswith("epitool") and os.path.isfile(argv0):
        return os.path.abspath(argv0)
    found = shutil.which("epitool")
    return os.path.abspath(found) if found else f"{sys.executable} -m epitool"
