"""epitool roster: import, template, list, show. Each command parses, calls core, renders."""


from pathlib import Path
from typing import Any, Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import DryRun, Encoding, Rejects, Reveal, Sheet, TableOrJson
from epitool.cli.output import OutputOptions, emit_table, emit_text, output_options, say
from epitool.errors import InputError
from epitool.ids import LARGEST_ROW_NUMBER

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Household roster 花名册: import, list, show.")


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="CSV, TSV, XLSX or XLS roster."),
    encoding: Encoding = None,
    sheet: Sheet = None,
    dry_run: DryRun = False,
    rejects: Rejects = None,
    fmt: TableOrJson = "table",
    clear_empty: bool = typer.Option(
        False, "--clear-empty", help="An empty cell blanks what is stored (default: kept)."),
) -> None:
    """Import a roster: re-importing the same file changes nothing; a column the file lacks
    changes nothing either."""
    from epitool.cli.import_view import show_import
    from epitool.core.roster.load import ImportOptions, import_roster

    app_: AppContext = ctx.obj
    options = ImportOptions(path=file, encoding=encoding, sheet=sheet, dry_run=dry_run,
                            rejects=rejects, lang=app_.lang, clear_empty=clear_empty)

    def open_db() -> Any:
        if dry_run and not app_.db_path.exists():
            from epitool.core.database import scratch_db

            return scratch_db()
        return app_.open_db(create=not dry_run)

    with _progress(app_, fmt) as progress:
        result = import_roster(open_db, app_.config, app_.actor(), options, progress)
    show_import(app_, result, fmt)


def _progress(app_: AppContext, fmt: str) -> Any:
    from epitool.cli.progress import progress_bar

    return progress_bar(app_.t("import_progress"), enabled=fmt == "table")


@app.command("add")
def add(
    ctx: typer.Context,
    name: str = typer.Argument(...),
    id_number: Optional[str] = typer.Option(None, "--id", help="ID number 身份证号."),
    phone: Optional[str] = typer.Option(None),
    sex: Optional[str] = typer.Option(None, help="男/女 (taken from the ID when given)."),
    household: Optional[str] = typer.Option(None, help="Household number 户号."),
    relation: Optional[str] = typer.Option(None, help="Relation to the head, e.g. 户主."),
    group: Optional[str] = typer.Option(None),
    address: Optional[str] = typer.Option(None),
) -> None:
    """Add one resident, with the same checks as an import."""
    from epitool.core.roster.add import add_resident

    app_: AppContext = ctx.obj
    with app_.open_db(create=True) as db:
        added = add_resident(db, app_.config, app_.actor(), {
            "name": name, "id_number": id_number, "phone": phone, "sex": sex,
            "household": household, "relation": relation, "group": group,
            "address": address})
    say(app_.t("roster_added", id=added["id"], name=added["name"]), "green")


@app.command("rename")
def rename(ctx: typer.Context, person: str = typer.Argument(..., help="#number or ID number."),
           new_name: str = typer.Argument(..., help="The right name."),
           reason: Optional[str] = typer.Option(None, help="Why, for the audit trail.")) -> None:
    """Correct a resident's name (an import never renames anyone)."""
    from epitool.core.roster.add import rename as rename_core

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = rename_core(db, app_.actor(), person, new_name, reason)
    say(app_.t("roster_renamed", **done), "green")


@app.command("purge")
def purge(ctx: typer.Context,
          before: str = typer.Option(..., help="Remove quarantines that ended before this day."),
          yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Remove health records no longer needed: quarantines ended before --before, with their
    visits and events (PIPL art. 6). Asks first; says what it removed; audited."""
    from epitool.core.audit import purge as purge_core
    from epitool.core.audit import purgeable

    app_: AppContext = ctx.obj
    day = app_.date(before)
    with app_.open_db() as db:
        quarantines, visits = purgeable(db, day)
        if quarantines == 0:
            say(app_.t("purge_nothing", before=day.isoformat()))
            return
        if not yes and not typer.confirm(app_.t("purge_confirm", quarantines=quarantines,
                                                  visits=visits, before=day.isoformat())):
            say(app_.t("purge_cancelled"))
            raise typer.Exit(1)
        removed = purge_core(db, app_.actor(), day)
    say(app_.t("purge_done", before=day.isoformat(), **removed), "green")


@app.command("template")
def template(
    ctx: typer.Context,
    out: Path = typer.Argument(..., help="Where to write: .xlsx or .csv"),
    force: bool = typer.Option(False, "--force", help="Replace an existing file."),
) -> None:
    """Write an empty roster with the expected columns and one sample row."""
    from epitool.io.template import write_template

    app_: AppContext = ctx.obj
    write_template(out, app_.lang, overwrite=force)
    say(app_.t("template_written", path=str(out)), "green")


@app.command("list")
@output_options
def list_(
    ctx: typer.Context,
    group: Optional[str] = typer.Option(None, help="Only this group or building."),
    village: Optional[str] = typer.Option(
        None, help="Only this village (its code or name): an office holds many."),
    search: Optional[str] = typer.Option(None, "--search", "-s",
                                         help="Name, ID/phone tail, or pinyin initials (wangw)."),
    limit: Optional[int] = typer.Option(None, help="At most N rows (table default 100; 0 = all)."),
    reveal: Reveal = False,
    out: OutputOptions = OutputOptions(),
) -> None:
    """List residents; ID and phone numbers masked unless --reveal."""
    from epitool.cli.roster_view import roster_table, terminal_roster
    from epitool.core.audit import record_reveal
    from epitool.core.people import list_roster

    app_: AppContext = ctx.obj
    if limit is not None and limit < 0:
        raise InputError("bad_limit")
    on_screen = out.fmt == "table" and out.output is None
    # a limit past every row is every row (a key held down need not be an error)
    shown = (100 if on_screen else None) if limit is None else min(limit, LARGEST_ROW_NUMBER)
    with app_.open_db() as db:
        rows, total = list_roster(db, group=group, search=search, limit=shown or None,
                                  village=village)
        if reveal:
            record_reveal(db, app_.actor(), "roster.list", len(rows))
    table = roster_table(app_, rows, total, mask=app_.mask(reveal))
    if out.fmt == "table":
        table = terminal_roster(app_, table)
    emit_table(app_, table, out)


@app.command("show")
def show(
    ctx: typer.Context,
    person: str = typer.Argument(..., help="ID number, #number, name or pinyin initials."),
    village: Optional[str] = typer.Option(
        None, help="Only this village (its code or name): an office holds many."),
    fmt: TableOrJson = "table",
    reveal: Reveal = False,
) -> None:
    """Show one resident and their household."""
    from epitool.cli.roster_view import person_json, show_person
    from epitool.core.people import person_details

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        found, members, head = person_details(db, person, village)
        if reveal:
            from epitool.core.audit import record_reveal

            record_reveal(db, app_.actor(), "roster.show", len(members),
                          f"residents:{found['uid']}")
    mask = app_.mask(reveal)
    if fmt == "json":
        emit_text(person_json(found, members, head, mask), None)
    else:
        show_person(app_, found, members, head, mask)
