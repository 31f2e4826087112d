"""epitool staff: add, list, assign (联户代表包户)."""

from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.output import OutputOptions, emit_table, listing, say
from epitool.report.table import Column, TableData

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Staff and volunteers 工作人员 and who covers which households.")


@app.command("add")
def add(ctx: typer.Context, name: str = typer.Argument(...),
        team: str = typer.Option(..., help="cadre | police | medical | volunteer"),
        phone: Optional[str] = typer.Option(None)) -> None:
    """Add a staff member or volunteer."""
    from epitool.core.staff import add_staff

    app_: AppContext = ctx.obj
    with app_.open_db(create=True) as db:
        added = add_staff(db, app_.actor(), name, team, phone)
    say(app_.t("staff_added", id=added["id"], name=added["name"],
               team=app_.t(f"team_{added['team']}")), "green")


@listing(app, "list")
def list_(app_: AppContext, out: OutputOptions) -> None:
    """List staff, with the households and groups each covers."""
    from epitool.core.staff import list_staff

    rows = app_.masked(app_.read(list_staff))
    t = app_.t
    for row in rows:
        if out.fmt == "table":
            row["team"] = t(f"team_{row['team']}")
    table = TableData(t("staff_title"), [
        Column("id", t("col_rowid"), "right"), Column("name", t("col_name"), no_wrap=True),
        Column("team", t("col_team")), Column("phone", t("col_phone"), no_wrap=True),
        Column("households", t("col_households"), "right"), Column("groups", t("col_groups"))],
        rows)
    emit_table(app_, table, out)


@app.command("assign")
def assign(ctx: typer.Context, staff: str = typer.Argument(..., help="Name or #number."),
           household: list[str] = typer.Option([], "--household", "-h",
                                               help="Household number (repeatable)."),
           group: Optional[str] = typer.Option(None, "--group")) -> None:
    """Make STAFF responsible for households, or for a whole group."""
    from epitool.core.staff import assign as assign_core

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = assign_core(db, app_.actor(), staff, household, group)
    what = ", ".join(done["households"]) if done["households"] else done["group"]
    say(app_.t("staff_assigned", name=done["staff"], what=what), "green")
