"""epitool init and epitool db ...: the database itself."""

from __future__ import annotations

import typer

from epitool.cli.context import AppContext
from epitool.cli.output import say

app = typer.Typer(no_args_is_help=True, help="The database: create, inspect.")


def init(ctx: typer.Context) -> None:
    """Create the database (safe to run again: it only adds what is missing)."""
    from epitool.core.setup import initialise

    appctx: AppContext = ctx.obj
    version = initialise(appctx)
    say(appctx.t("init_done", path=str(appctx.db_path), version=version), "green")


app.command("init")(init)
