"""epitool checkpoint: add, list, log (one short line per person), summary (卡点登记)."""

from pathlib import Path
from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Day, DryRun, Encoding, Rejects, Sheet, TableOrJson, TextOrJson
from epitool.cli.output import OutputOptions, emit_table, emit_text, listing, output_options, say
from epitool.report.table import Column, TableData, to_json

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Checkpoints 卡点: registrations in and out.")


@app.command("add")
def add(ctx: typer.Context, name: str = typer.Argument(...),
        location: Optional[str] = typer.Option(None)) -> None:
    """Add a checkpoint."""
    from epitool.core.checkpoints import add_checkpoint

    app_: AppContext = ctx.obj
    with app_.open_db(create=True) as db:
        point = add_checkpoint(db, app_.actor(), name, location)
    say(app_.t("checkpoint_added", id=point["id"], name=point["name"]), "green")


@listing(app, "list")
def list_(app_: AppContext, out: OutputOptions, on: Day = None) -> None:
    """Checkpoints, with the day's registrations."""
    from epitool.core.checkpoints import list_checkpoints

    rows = app_.read(lambda db: list_checkpoints(db, app_.date(on)))
    t = app_.t
    emit_table(app_, TableData(t("checkpoint_title"), [
        Column("id", t("col_rowid"), "right"), Column("name", t("col_site")),
        Column("location", t("col_address")), Column("today", t("col_registrations"), "right")],
        rows), out)


@app.command("log")
def log(ctx: typer.Context, point: str = typer.Argument(..., help="Checkpoint name or #number."),
        name: str = typer.Option(..., "--name", "-n"),
        id_number: Optional[str] = typer.Option(None, "--id"),
        phone: Optional[str] = typer.Option(None, "--phone"),
        plate: Optional[str] = typer.Option(None, "--plate"),
        direction: str = typer.Option("in", "--direction", "-d", help="in | out"),
        temp: Optional[str] = typer.Option(None, "--temp", help="°C, e.g. 36.5 or 36.5度"),
        origin: Optional[str] = typer.Option(None, "--from"),
        destination: Optional[str] = typer.Option(None, "--to"),
        purpose: Optional[str] = typer.Option(None, "--purpose"),
        turned_back: Optional[str] = typer.Option(None, "--turned-back", help="Reason 劝返原因."),
        resident: bool = typer.Option(False, "--resident",
                                      help="A resident: must match the roster by ID."),
        at: Optional[str] = typer.Option(None, "--at"),
        fmt: TextOrJson = "text") -> None:
    """Register one person (and vehicle) passing the checkpoint."""
    from epitool.core.checkpoints import log_passage
    from epitool.core.rules import parse_temperature

    app_: AppContext = ctx.obj
    entry = {"name": name, "id_number": id_number, "phone": phone, "plate": plate,
             "direction": direction, "temp": parse_temperature((temp or "").strip(), "--temp"),
             "origin": origin,
             "destination": destination, "purpose": purpose, "turned_back": turned_back,
             "resident": resident}
    with app_.open_db() as db:
        done = log_passage(db, app_.actor(), point, entry, at=app_.moment(at),
                           threshold=float(app_.config["fever_threshold"]))
    if fmt == "json":
        emit_text(to_json({k: done[k] for k in ("id", "uid", "point", "at", "direction",
                                                "plate", "plate_ok", "temp", "fever",
                                                "turned_back", "turn_back_reason",
                                                "breach")}), None)
        return
    t = app_.t
    say(t("checkpoint_logged", id=done["id"], point=done["point"], name=done["name"],
          vehicle=t("checkpoint_vehicle", plate=done["plate"]) if done["plate"] else "",
          direction=t(f"direction_{done['direction']}"),
          temp=f"{done['temp']:g}°C" if done["temp"] is not None else "-",
          resident=t("yes") if done["resident_uid"] else "-"), "green")
    if done["plate_ok"] == 0:
        say(t("checkpoint_plate_warning", plate=done["plate"]), "yellow")
    if done["fever"]:
        say(t("checkpoint_fever", name=done["name"], temp=f"{done['temp']:g}"), "bold red")
    if done["turned_back"]:
        say(t("checkpoint_turned_back", reason=done["turn_back_reason"]), "yellow")
    if done["breach"]:
        say(t("checkpoint_breach", name=done["name"]), "bold red")


@app.command("import")
def import_(ctx: typer.Context, file: Path = typer.Argument(...,
                                                            help="The guards' sheet (CSV/XLSX)."),
            point: Optional[str] = typer.Option(None, "--point",
                                                help="For sheets without a checkpoint column."),
            add_points: bool = typer.Option(
                False, "--add-points",
                help="Add the checkpoints the sheet names that are not known yet."),
            encoding: Encoding = None, sheet: Sheet = None,
            dry_run: DryRun = False,
            rejects: Rejects = None,
            fmt: TableOrJson = "table") -> None:
    """Import registrations kept on paper or in Excel; all or nothing, rejects to a file."""
    from epitool.cli.import_view import show_import
    from epitool.cli.progress import progress_bar
    from epitool.core.checkpoint_import import CheckpointImport, import_checkpoint_logs

    app_: AppContext = ctx.obj
    options = CheckpointImport(file, app_.lang, encoding=encoding, sheet=sheet, dry_run=dry_run,
                               point=point, rejects=rejects, add_points=add_points)
    with progress_bar(app_.t("import_progress"), enabled=fmt == "table") as progress:
        result = import_checkpoint_logs(app_.open_db, app_.config, app_.actor(), options,
                                        progress)
    show_import(app_, result, fmt, "checkpoint_import_done")


@app.command("summary")
@output_options
def summary(ctx: typer.Context, on: Day = None,
            point: Optional[str] = typer.Option(None, "--point"),
            out: OutputOptions = OutputOptions()) -> None:
    """Per checkpoint and shift: people and vehicles in and out, turned back, fevers."""
    from epitool.core.checkpoints import day_summary

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        rows = day_summary(db, app_.date(on).isoformat(), point)
    t = app_.t
    for row in rows:
        row["reasons"] = "; ".join(f"{r} {n}" for r, n in sorted(row["reasons"].items()))
        if out.fmt == "table":
            row["shift"] = t(f"shift_{row['shift']}")
    keys = ("point", "shift", "people_in", "people_out", "vehicles_in", "vehicles_out",
            "turned_back", "reasons", "fevers")
    table = TableData(t("checkpoint_summary_title"), [
        Column(k, t(f"cp_{k}"), "right" if k not in ("point", "shift", "reasons") else "left")
        for k in keys], rows)
    if out.fmt != "table":
        table.columns = [Column(k, k) for k in keys]
    emit_table(app_, table, out)
