"""epitool init and epitool db ...: the database itself."""

from pathlib import Path
from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.output import say

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="The database: backup, check, restore.")


def init(ctx: typer.Context) -> None:
    """Create the database (safe to run again: it only adds what is missing)."""
    from epitool.core.setup import initialise

    app_: AppContext = ctx.obj
    with app_.open_db(create=True) as db:
        version = initialise(db, app_.config, app_.actor())
    say(app_.t("init_done", path=str(app_.db_path), version=version), "green")


app.command("init")(init)


@app.command("backup")
def backup(ctx: typer.Context,
           out: Optional[Path] = typer.Argument(None,
               help="Backup file (default: dated, beside the database).")) -> None:
    """Copy the database safely while it is in use (never copy the file by hand)."""
    from epitool.core.maintenance import backup as backup_core

    app_: AppContext = ctx.obj
    target = out or app_.db_path.with_name(f"{app_.db_path.stem}-backup-{_stamp(app_)}.db")
    with app_.open_db() as db:
        size = backup_core(db, target)
    say(app_.t("backup_done", path=str(target), size=f"{size / 2**20:.1f}"), "green")


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Check the database for damage; exit 1 and say what is wrong if anything is."""
    from epitool.core.maintenance import check as check_core
    from epitool.errors import DatabaseError

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        problems = check_core(db)
    if problems:
        raise DatabaseError("check_failed", path=str(app_.db_path), count=len(problems),
                            problems="\n".join(f"  {p}" for p in problems[:20]))
    say(app_.t("check_ok", path=str(app_.db_path)), "green")


@app.command("restore")
def restore(ctx: typer.Context, file: Path = typer.Argument(...,
                                                            help="A backup made by 'db backup'."),
            force: bool = typer.Option(False, "--force",
                                       help="Replace the current database.")) -> None:
    """Put a backup in place of the database; the current one is kept beside it."""
    from epitool.core.maintenance import restore as restore_core

    app_: AppContext = ctx.obj
    kept = restore_core(app_.db_path, file, force=force, stamp=_stamp(app_),
                        busy_timeout=float(app_.config["busy_timeout_seconds"]))
    say(app_.t("restore_done", path=str(app_.db_path), kept=str(kept) if kept else "-"),
        "green")


def _stamp(app_: AppContext) -> str:
    from epitool.core.clock import now

    return now(app_.tz).strftime("%Y%m%d-%H%M%S")
