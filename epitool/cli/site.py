"""epitool site and epitool disinfect: places to disinfect, and the rounds (消杀)."""

from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Day
from epitool.cli.output import OutputOptions, emit_table, listing, say, shown
from epitool.report.table import Column, TableData

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Disinfection sites 消杀点位.")
disinfect_app = typer.Typer(no_args_is_help=True, add_completion=False,
                            help="Disinfection rounds 消杀记录.")


@app.command("add")
def add(ctx: typer.Context, name: str = typer.Argument(...),
        kind: str = typer.Option(...,
                                 help="public | building | household | enterprise | checkpoint"),
        every: int = typer.Option(1, help="Required every N days."),
        group: Optional[str] = typer.Option(None),
        household: Optional[str] = typer.Option(None,
                                                help="For --kind household: its number.")) -> None:
    """Add a site that must be disinfected every N days."""
    from epitool.core.sites import add_site

    app_: AppContext = ctx.obj
    with app_.open_db(create=True) as db:
        site = add_site(db, app_.actor(), name, kind=kind, every=every, group=group,
                        household=household)
    say(app_.t("site_added", id=site["id"], name=site["name"], every=every), "green")


@listing(app, "list")
def list_(app_: AppContext, out: OutputOptions, on: Day = None) -> None:
    """Sites with their last round and whether they are overdue."""
    from epitool.core.sites import list_sites

    rows = app_.read(lambda db: list_sites(db, app_.date(on)))
    t = app_.t
    if out.fmt == "table":
        for row in rows:
            row["kind"] = t(f"site_kind_{row['kind']}")
            row["overdue"] = t("overdue") if row["overdue"] else ""
    keys = ("id", "name", "kind", "every_days", "group", "last_round", "overdue")
    table = TableData(t("site_title"), [
        Column(k, t("col_rowid") if k == "id" else t("col_site") if k == "name"
               else t(f"col_{k}"), "right" if k in ("id", "every_days") else "left",
               k in ("name", "last_round")) for k in keys], rows)
    if out.fmt != "table":
        table.columns = [Column(k, k) for k in ("id", "name", "kind", "every_days", "group",
                                                "household", "last_round", "rounds_today",
                                                "overdue")]
    emit_table(app_, table, out)


@disinfect_app.command("log")
def log(ctx: typer.Context, site: str = typer.Argument(..., help="Site name or #number."),
        agent: Optional[str] = typer.Option(None, help="Disinfectant used."),
        by: Optional[str] = typer.Option(None), at: Optional[str] = typer.Option(None),
        note: Optional[str] = typer.Option(None)) -> None:
    """Record a disinfection round."""
    from epitool.core.sites import log_round

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = log_round(db, app_.actor(), site, agent=agent, by=by, at=app_.moment(at),
                         note=note)
    say(app_.t("round_logged", id=done["id"], site=done["site"], at=done["at"][:16]), "green")


@listing(disinfect_app, "list")
def rounds(app_: AppContext, out: OutputOptions, on: Day = None) -> None:
    """Disinfection rounds of a day (default today)."""
    from epitool.core.sites import list_rounds

    rows = app_.read(lambda db: list_rounds(db, app_.date(on)))
    t = app_.t
    keys = ("id", "site", "kind", "at", "agent", "staff", "from_visit", "note")
    if out.fmt == "table":  # for people: the kind in words, 02-03 08:00, yes
        rows = [{**row, "kind": t(f"site_kind_{row['kind']}"), "at": shown(app_, "at", row["at"]),
                 "from_visit": t("yes") if row["from_visit"] else ""} for row in rows]
    table = TableData(t("round_title"), [
        Column(k, t("col_rowid") if k == "id" else t(f"col_{k}"),
               "right" if k == "id" else "left") for k in keys], rows)
    emit_table(app_, table, out)
