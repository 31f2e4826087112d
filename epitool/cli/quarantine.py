"""epitool quarantine: start, end, extend, transfer, correct, list (居家隔离 / 集中隔离)."""

from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Reveal
from epitool.cli.output import OutputOptions, emit_table, listing, say
from epitool.report.table import Column, TableData

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Quarantine follow-up 隔离管理.")


@app.command("start")
def start(ctx: typer.Context, person: str = typer.Argument(..., help="ID number, #number or name."),
          kind: str = typer.Option("home", help="home | central"),
          since: Optional[str] = typer.Option(None, help="First day (default today)."),
          days: Optional[int] = typer.Option(None, help="Length in days (default from config)."),
          reason: Optional[str] = typer.Option(None), place: Optional[str] = typer.Option(None),
          assign: Optional[str] = typer.Option(None,
              help="Responsible staff (default: the household's).")) -> None:
    """Start a quarantine for a resident."""
    from epitool.core import quarantine

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        started = quarantine.start(
            db, app_.actor(), person, kind=kind, since=app_.date(since),
            days=days, default_days=int(app_.config["quarantine_days"]), reason=reason,
            place=place, assign=assign)
    kind_name = app_.t(f"kind_{started['kind']}")
    say(app_.t("quarantine_started", name=started["name"], kind=kind_name,
               start=started["start_date"], last_day=started["last_day"],
               days=started["days"], staff=started["staff"] or app_.t("nobody")), "green")


@app.command("end")
def end(ctx: typer.Context, person: str = typer.Argument(...),
        outcome: str = typer.Option(..., help="completed | hospitalised | transferred | lost"),
        on: Optional[str] = typer.Option(None, "--date", help="Day it ended (default today)."),
        note: Optional[str] = typer.Option(None)) -> None:
    """End the active quarantine of a resident."""
    from epitool.core import quarantine

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        ended = quarantine.end(db, app_.actor(), person, outcome=outcome, on=app_.date(on),
                               note=note)
    say(app_.t("quarantine_ended", name=ended["name"], date=ended["date"],
               outcome=app_.t(f"status_{ended['outcome']}")), "green")


@app.command("extend")
def extend(ctx: typer.Context, person: str = typer.Argument(...),
           days: Optional[int] = typer.Option(None,
               help="New length from --since (default from config)."),
           since: Optional[str] = typer.Option(None, help="Day of re-exposure (default today)."),
           note: Optional[str] = typer.Option(None)) -> None:
    """Restart the count after a re-exposure."""
    from epitool.core import quarantine

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = quarantine.extend(db, app_.actor(), person,
                                 days=days or int(app_.config["quarantine_days"]),
                                 since=app_.date(since), note=note)
    say(app_.t("quarantine_extended", name=done["name"], start=done["start_date"],
               last_day=done["last_day"], days=done["days"]), "green")


@app.command("transfer")
def transfer(ctx: typer.Context, person: str = typer.Argument(...),
             to: str = typer.Option(..., "--to", help="central | home"),
             on: Optional[str] = typer.Option(None, "--date",
                                              help="Day of the move (default today)."),
             place: Optional[str] = typer.Option(None, help="Where, e.g. the hotel."),
             note: Optional[str] = typer.Option(None)) -> None:
    """Move someone between home and central quarantine; the count of days goes on."""
    from epitool.core import quarantine

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        moved = quarantine.transfer(db, app_.actor(), person, kind=to, on=app_.date(on),
                                    place=place, note=note)
    say(app_.t("quarantine_transferred", name=moved["name"], kind=app_.t(f"kind_{moved['kind']}"),
               date=moved["date"], last_day=moved["last_day"]), "green")


@app.command("correct")
def correct(ctx: typer.Context, person: str = typer.Argument(...),
            since: str = typer.Option(..., help="The right first day."),
            days: Optional[int] = typer.Option(None, help="The right length (default: as is)."),
            reason: str = typer.Option(..., help="Why, for the audit trail.")) -> None:
    """Correct the start (or length) of someone's latest quarantine; the original is kept."""
    from epitool.core import quarantine

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        fixed = quarantine.correct(db, app_.actor(), person, since=app_.date(since), days=days,
                                   reason=reason)
    say(app_.t("quarantine_corrected", name=fixed["name"], start=fixed["start_date"],
               days=fixed["days"], last_day=fixed["last_day"], old_start=fixed["old_start"],
               old_days=fixed["old_days"]), "green")


@listing(app, "list")
def list_(app_: AppContext, out: OutputOptions,
          status: list[str] = typer.Option([],
              help="active | completed | hospitalised | transferred | lost"),
          ending: Optional[str] = typer.Option(None, help="Only those whose last day is DATE."),
          reveal: Reveal = False) -> None:
    """List quarantines (default: all)."""
    from epitool.core import quarantine
    from epitool.core.audit import record_reveal
    from epitool.privacy import mask_id

    with app_.open_db() as db:
        rows = quarantine.list_quarantines(db, status or None,
                                           app_.date(ending) if ending else None)
        if reveal:
            record_reveal(db, app_.actor(), "quarantine.list", len(rows))
    t = app_.t
    for row in rows:
        if app_.mask(reveal):
            row["id_number"] = mask_id(row["id_number"])
        if out.fmt == "table":
            row["kind"] = t(f"kind_{row['kind']}")
            row["status"] = t(f"status_{row['status']}")
    # the columns a clerk needs first come first: a narrow terminal keeps those
    keys = ("id", "name", "id_number", "group", "status", "last_day", "last_visit", "staff",
            "kind", "start_date")
    table = TableData(t("quarantine_title"), [
        Column(k, t(f"col_{k}") if k != "id" else t("col_rowid"),
               "right" if k == "id" else "left", k in ("name", "id_number")) for k in keys],
        rows)
    if out.fmt != "table":
        table.columns = [Column(k, k) for k in rows[0]] if rows else table.columns
    emit_table(app_, table, out)
