"""epitool bundle ...: a village's records sealed for the office, and the office's merge."""

from pathlib import Path
from typing import Any, Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Force, TableOrJson, TextOrJson
from epitool.cli.output import OutputOptions, emit_table, emit_text, error, listing, say, to_minute
from epitool.report.table import Column, TableData, to_json

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Village to office: sealed bundles, the office's merge.")


@app.command("keygen")
def keygen(ctx: typer.Context,
           office: bool = typer.Option(False, "--office",
                                       help="The office's key pair (bundles are sealed to it)."),
           village: bool = typer.Option(False, "--village",
                                        help="A village's signing key pair."),
           output: Path = typer.Option(..., "--output", "-o",
                                       help="Where the secret key goes (mode 0600)."),
           force: Force = False) -> None:
    """Make a key pair: the secret part to a file only you can read, the public part
    printed (the office's for the villages' configs, a village's for the office)."""
    from epitool.core.bundle import keygen as make
    from epitool.errors import InputError

    app_: AppContext = ctx.obj
    if office == village:
        raise InputError("bundle_keygen_which")
    public = make("office" if office else "village", output, force=force)
    # words on stderr, the public key alone on stdout: KEY=$(epitool bundle keygen ...)
    say(app_.t("bundle_key_written", path=str(output)), "green", stderr=True)
    say(app_.t("bundle_public_office" if office else "bundle_public_village"), stderr=True)
    typer.echo(public)


@app.command("register")
def register(ctx: typer.Context, code: str = typer.Argument(..., help="The village's code."),
             name: str = typer.Option(..., "--name", help="The village's name."),
             key: str = typer.Option(..., "--key",
                                     help="Its public signing key (from its keygen).")) -> None:
    """Register a village with the office: its bundles are accepted when signed by its key."""
    from epitool.core.bundle import register as add

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        add(db, app_.config, app_.actor(), code.strip(), name.strip(), key)
    say(app_.t("bundle_registered", village=code, name=name), "green")


@app.command("export")
def export(ctx: typer.Context,
           output: Path = typer.Option(..., "--output", "-o", help="The bundle file to write."),
           since_last: bool = typer.Option(False, "--since-last",
                                           help="Only what changed since the last export."),
           force: Force = False, fmt: TextOrJson = "text") -> None:
    """Seal this village's records for the office: encrypted to it, signed by the village."""
    from epitool.core.bundle import export as seal

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = seal(db, app_.config, app_.actor(), output, since_last=since_last, force=force)
    if fmt == "json":
        emit_text(to_json(done), None)
        return
    size = f"{done['bytes'] / 1024:.0f} KB"
    say(app_.t("bundle_exported" if done["since"] is None else "bundle_exported_since",
               path=done["file"], size=size, day=done["covers_day"],
               since=to_minute(done["since"])), "green")


@app.command("import")
def import_(ctx: typer.Context,
            files: list[Path] = typer.Argument(..., help="Bundle files from the villages."),
            conflicts_file: Optional[Path] = typer.Option(
                None, "--conflicts", help="Where the conflicts found go (default: beside the "
                                          "database)."),
            fmt: TableOrJson = "table") -> None:
    """Merge villages' bundles into the office's database: each checked whole, then merged
    in one transaction; the same bundle twice changes nothing."""
    from epitool.core.bundle import conflicts, import_bundles
    from epitool.errors import InputError

    app_: AppContext = ctx.obj
    if conflicts_file is not None and conflicts_file.exists():  # said before, not after
        raise InputError("output_exists_choose", path=str(conflicts_file))
    totals = import_bundles(app_.open_db, app_.config, app_.actor(), files)
    refused = totals.pop("refused")
    totals["refused"] = [{"file": str(path), "error": exc.key} for path, exc in refused]
    totals["conflicts_file"] = None
    if totals["conflicts"]:
        rows = _masked(app_.read(lambda db: conflicts(db, app_.config)))
        totals["conflicts_file"] = str(_write_conflicts(app_, rows, conflicts_file))
    if fmt == "json":
        emit_text(to_json(totals), None)
    else:
        say(app_.t("bundle_imported", **totals), "green")
        if totals["conflicts"]:
            say(app_.t("bundle_conflicts_found", count=totals["conflicts"],
                       path=totals["conflicts_file"]), "yellow")
    from epitool.privacy import mask_numbers_in

    for path, exc in refused:  # each in words, on stderr; the others are merged
        error(mask_numbers_in(f"{app_.t('error')}: {path}: {app_.t(exc.key, **exc.params)}"))
    if refused:
        raise typer.Exit(1)


def _write_conflicts(app_: AppContext, rows: list[dict[str, Any]],
                     target: Optional[Path]) -> Path:
    from epitool.io.writers import free_path, open_private, write_csv

    path = target or free_path(app_.db_path.with_name(f"conflicts-{app_.date(None)}.csv"))
    shown = _conflict_rows(app_, rows)
    with open_private(path, bom=True) as handle:
        write_csv(handle, [c.header for c in _conflict_columns(app_)],
                  [[row[c.key] for c in _conflict_columns(app_)] for row in shown])
    return path


def _conflict_columns(app_: AppContext) -> list[Column]:
    t = app_.t
    return [Column("kind", t("col_conflict")),
            Column("subject", t("col_id_number"), no_wrap=True),
            Column("village", t("col_village")), Column("other", t("col_other_village")),
            Column("names", t("col_name")), Column("days", t("col_days"), no_wrap=True),
            Column("created_at", t("col_at"))]


def _conflict_rows(app_: AppContext, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """For a person: in words, villages by name, the days both quarantines cover."""
    from epitool.i18n import listed

    return [{**row, "kind": app_.t(f"conflict_{row['kind']}"),
             "village": row["village_name"] or row["village_code"],
             "other": row["other_village_name"] or row["other_village"],
             "names": listed(app_.lang, [n or "" for n in row["names"]]),
             "days": f"{row['from']} – {row['to']}" if row["from"] else "",
             "created_at": to_minute(row["created_at"])} for row in rows]


def _masked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A conflict names a person by ID number: masked in every form, as everywhere."""
    from epitool.privacy import mask_id

    return [{**row, "subject": mask_id(row["subject"])} for row in rows]


@listing(app, "list")
def arrivals(app_: AppContext, out: OutputOptions) -> None:
    """The registered villages: their last bundle, the newest day it covers, and whether
    today's has arrived."""
    from epitool.core.bundle import arrivals as arrived

    rows = app_.read(lambda db: arrived(db, app_.config))
    if out.fmt in ("table", "xlsx"):
        rows = [{**r, "today": app_.t("yes") if r["today"] else app_.t("not_yet"),
                 "last_arrived": to_minute(r["last_arrived"])}
                for r in rows]
    t = app_.t
    emit_table(app_, TableData(t("bundle_list_title"), [
        Column("village_code", t("col_village_code"), no_wrap=True),
        Column("name", t("col_village")), Column("bundles", t("col_bundles"), "right"),
        Column("last_arrived", t("col_last_arrived"), no_wrap=True),
        Column("covers_day", t("col_covers_day"), no_wrap=True),
        Column("today", t("col_today_arrived"))], rows), out)


@listing(app, "conflicts")
def conflict_list(app_: AppContext, out: OutputOptions) -> None:
    """Conflicts merging found: one ID number on two villages' rosters, or one person under
    quarantine in two villages on the same day. Never merged: for the office to resolve."""
    from epitool.core.bundle import conflicts

    rows = _masked(app_.read(lambda db: conflicts(db, app_.config)))
    if out.fmt in ("table", "xlsx"):
        columns = _conflict_columns(app_)
        rows = _conflict_rows(app_, rows)
    else:  # the machine form: codes and stable keys
        columns = [Column(k, k) for k in ("kind", "subject", "village_code", "other_village",
                                          "names", "from", "to", "created_at")]
    emit_table(app_, TableData(app_.t("bundle_conflicts_title"), columns, rows), out)
