"""epitool init and epitool db ...: the database itself."""

from pathlib import Path
from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.output import say

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="The database: backup, check, restore, grant.")


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
               help="Backup file, or a folder for a dated one (default: dated, beside the "
                    "database).")) -> None:
    """Copy the database safely while it is in use (never copy the file by hand)."""
    from epitool.core.maintenance import backup as backup_core

    app_: AppContext = ctx.obj
    dated = f"{app_.db_path.stem}-backup-{_stamp(app_)}.db"
    # a folder (a USB stick's, say) gets the dated name inside it, as cp would
    target = (out / dated if out.is_dir() else out) if out else app_.db_path.with_name(dated)
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


@app.command("grant")
def grant(ctx: typer.Context,
          role: str = typer.Option(..., "--role", help="The database role (user) to create or"
                                                       " update."),
          village: Optional[str] = typer.Option(None, "--village",
                                                help="The village code whose rows it may read"
                                                     " and write, and no others."),
          office: bool = typer.Option(False, "--office",
                                      help="An office's role: every village's rows.")) -> None:
    """On a PostgreSQL server: a role that sees only its village's rows (or all, --office)."""
    from epitool.core.roles import grant_role
    from epitool.errors import InputError

    app_: AppContext = ctx.obj
    if (village is None) == (not office):
        raise InputError("grant_village_or_office")
    with app_.open_db() as db:
        created = grant_role(db, app_.actor(), role, village)
    key = "grant_office_done" if office else "grant_village_done"
    say(app_.t(key, role=role, village=village or ""), "green")
    if created:
        say(app_.t("grant_created", role=role))


def _stamp(app_: AppContext) -> str:
    from epitool.core.clock import now

    return now(app_.tz).strftime("%Y%m%d-%H%M%S")
