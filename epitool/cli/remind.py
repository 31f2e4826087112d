"""epitool remind (what is due) and epitool schedule print (a ready crontab)."""

import sys
from typing import Any, Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Day
from epitool.cli.output import OutputOptions, emit_table, emit_text, output_options
from epitool.report.table import Column, TableData


@output_options(formats=("text", "table", "json", "csv", "xlsx"))
def remind(ctx: typer.Context,
           on: Day = None,
           for_: Optional[str] = typer.Option(None, "--for",
                                              help="Only what this staff member covers."),
           quiet: bool = typer.Option(False, "--quiet", help="Print nothing when nothing is due."),
           exit_code: bool = typer.Option(False, "--exit-code",
                                          help="Exit 3 when something is due."),
           out: OutputOptions = OutputOptions()) -> None:
    """What is due today, who is responsible, and the command that resolves it."""
    from epitool.core.clock import now_iso
    from epitool.core.remind import due_on
    from epitool.core.staff import find_staff

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        staff = find_staff(db, for_, app_.config.village_code)["name"] if for_ else None
        items = due_on(db, app_.date(on), staff, app_.tz, None if on else now_iso(app_.tz),
                       int(app_.config["lost_after_days"]))
    if items or not quiet:
        _print(app_, [i.as_dict() for i in items], out)
    if items and exit_code:
        raise typer.Exit(3)


def _print(app_: AppContext, items: list[dict[str, Any]], out: OutputOptions) -> None:
    t = app_.t
    if out.fmt in ("text", "table"):  # a checklist's missing items in words, for a person
        from epitool.cli.output import shown

        items = [{**i, "detail": shown(app_, "missing", i["detail"])}
                 if i["kind"] == "enterprise_checklist" else i for i in items]
        # the one word of a command the clerk fills in, in their language
        items = [{**i, "command": i["command"].replace(" STAFF ", f" {t('staff_to_name')} ")}
                 for i in items]
    if out.fmt == "text":
        from epitool.textsafe import safe_text

        # Plain lines: cron mail and pipes get no colour and no wrapping.
        lines = [f"[{t('due_' + i['kind'])}] {i['subject']}"
                 + (f" ({i['group']})" if i["group"] else "")
                 + (f" {i['detail']}" if i["detail"] else "")
                 + f" — {i['staff'] or t('nobody')} — {i['command']}" for i in items]
        emit_text("\n".join(safe_text(line) for line in lines) + "\n" if lines
                  else t("remind_nothing") + "\n", out.output, out.force)
        return
    if out.fmt == "table":
        items = [{**i, "kind": t(f"due_{i['kind']}")} for i in items]
    emit_table(app_, TableData(t("remind_title"), [
        Column("kind", t("col_kind"), no_wrap=True), Column("subject", t("col_name"), no_wrap=True),
        Column("group", t("col_group")), Column("staff", t("col_staff")),
        Column("detail", t("col_detail")), Column("command", t("col_command"))], items), out)


remind_app = typer.Typer(add_completion=False)
remind_app.command()(remind)

schedule_app = typer.Typer(no_args_is_help=True, add_completion=False,
                           help="Ready-made schedules for cron.")


@schedule_app.callback()
def _schedule_group() -> None:
    """Ready-made schedules for cron and systemd."""


@schedule_app.command("print")
def schedule_print(ctx: typer.Context) -> None:
    """A crontab block: reminders at 07:30 and 16:00, the daily report at 21:00 (office time)."""
    from epitool.core.schedule import crontab

    app_: AppContext = ctx.obj
    bundle = app_.config["bundle"]
    block = crontab(app_.db_path.resolve(), app_.config.source, str(app_.config["timezone"]),
                    _program(), reports_to_office=bool(bundle["office_public_key"])
                    and bundle["role"] == "village")
    for key, params, line in block:  # comments in the user's language; cron reads the lines
        sys.stdout.write(app_.t(key, **params) + "\n" + (line + "\n" if line else ""))


def _program() -> str:
    """The absolute command that runs this epitool, whichever way it was started."""
    import os
    import shutil

    argv0 = sys.argv[0] if sys.argv else ""
    if argv0.endswith("epitool") and os.path.isfile(argv0):
        return os.path.abspath(argv0)
    found = shutil.which("epitool")
    return os.path.abspath(found) if found else f"{sys.executable} -m epitool"
