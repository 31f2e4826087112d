"""epitool visit: log, list, amend, void (每日走访, the "four ones")."""

from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Day, DryRun, Encoding, Rejects, Sheet, TableOrJson, TextOrJson
from epitool.cli.output import OutputOptions, emit_table, output_options, say

if TYPE_CHECKING:  # tables load with the listings: `visit log`, the clerk's most frequent
    from epitool.report.table import TableData  # command, prints one line

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Daily visits 走访: temperature, symptoms, the four ones.")

SYMPTOM_HELP = "fever | cough | fatigue | sore-throat | diarrhea | breathless | other (repeatable)"


def _entry(app_: AppContext, temp: Optional[str], temp2: Optional[str],
           symptom: list[str], outcome: Optional[str], delivered: Optional[str],
           disinfected: Optional[bool], garbage: Optional[bool], note: Optional[str],
           by: Optional[str], at: Optional[str], amend: bool) -> Any:
    from epitool.core.rules import parse_temperature
    from epitool.core.visits import VisitInput

    return VisitInput(temp=parse_temperature((temp or "").strip(), "--temp"),
                      temp2=parse_temperature((temp2 or "").strip(), "--temp2"),
                      symptoms=tuple(symptom) if symptom or not amend else None,
                      outcome=outcome, delivered=delivered, disinfected=disinfected,
                      garbage=garbage, note=note, by=by, at=app_.moment(at) if at else None)


@app.command("log")
def log(ctx: typer.Context, person: str = typer.Argument(..., help="ID number, #number or name."),
        temp: Optional[str] = typer.Option(None, help="Temperature °C, e.g. 36.5 or 36.5度"),
        temp2: Optional[str] = typer.Option(None, help="Second reading (afternoon)."),
        symptom: list[str] = typer.Option([], help=SYMPTOM_HELP),
        outcome: Optional[str] = typer.Option(None,
            help="seen-ok | seen-not-ok | missed | not-attempted"),
        delivered: Optional[str] = typer.Option(None, help="Purchases delivered 代买代送."),
        disinfected: bool = typer.Option(False, "--disinfected", help="Home disinfected."),
        garbage: bool = typer.Option(False, "--garbage", help="Garbage disinfected and collected."),
        note: Optional[str] = typer.Option(None),
        by: Optional[str] = typer.Option(None,
                                         help="Staff who visited (default: the responsible)."),
        at: Optional[str] = typer.Option(None, help="When (default now), e.g. '2020-02-03 09:00'."),
        force: bool = typer.Option(False, "--force", help="Log for someone not under quarantine."),
        fmt: TextOrJson = "text") -> None:
    """Log a visit to a person under follow-up."""
    from epitool.core.visits import log_visit

    app_: AppContext = ctx.obj
    if temp is None and temp2 is None and outcome not in ("missed", "not-attempted"):
        temp = _ask_temperature(app_)
    entry = _entry(app_, temp, temp2, symptom, outcome, delivered, disinfected, garbage,
                   note, by, at, amend=False)
    with app_.open_db() as db:
        done = log_visit(db, app_.actor(), person, entry,
                         threshold=float(app_.config["fever_threshold"]), force=force,
                         now=app_.moment(None))
    if fmt == "json":
        from epitool.cli.output import emit_text
        from epitool.report.table import to_json

        keys = ("id", "uid", "person_id", "name", "at", "day", "temp", "temp2", "symptoms",
                "outcome", "fever", "forced", "staff", "quarantine_day")
        emit_text(to_json({k: done[k] for k in keys}), None)
        return
    _confirm(app_, done)


def _ask_temperature(app_: AppContext) -> str | None:
    """At a terminal, a visit logged without --temp asks for the reading: the commands that
    remind suggests never carry a made-up one. A script gets the error that names --temp."""
    import sys

    if not sys.stdin.isatty():
        return None
    answer: str = typer.prompt(app_.t("ask_temp"), default="", show_default=False)
    return answer.strip() or None


def _confirm(app_: AppContext, done: dict[str, Any]) -> None:
    t = app_.t
    day = (t("visit_day", day=done["quarantine_day"], days=done["quarantine_days"])
           if done["quarantine_day"] else t("visit_not_quarantined_mark"))
    temps = " / ".join(f"{v:g}°C" for v in (done["temp"], done["temp2"]) if v is not None)
    say(t("visit_logged", id=done["id"], name=done["name"], day=day,
          outcome=t(f"outcome_{done['outcome']}"), temps=temps or "-",
          staff=done["staff"] or "-"), "green")
    if done["fever"]:
        say(t("visit_fever", name=done["name"], temps=temps,
              threshold=app_.config["fever_threshold"]), "bold red")
    if done["symptoms"]:
        say(t("visit_symptoms", symptoms=", ".join(
            t(f"symptom_{s}") for s in done["symptoms"].split(","))), "red")


@app.command("import")
def import_(ctx: typer.Context, file: Path = typer.Argument(..., help="CSV or XLSX visit sheet."),
            encoding: Encoding = None, sheet: Sheet = None,
            dry_run: DryRun = False,
            force: bool = typer.Option(False, "--force",
                                       help="Also rows of people not under quarantine."),
            rejects: Rejects = None,
            fmt: TableOrJson = "table") -> None:
    """Import visits kept on paper or in Excel (姓名/身份证号/日期/体温/症状/是否消毒...)."""
    from epitool.cli.import_view import show_import
    from epitool.core.visit_import import import_visits

    app_: AppContext = ctx.obj
    if not app_.db_path.exists():
        from epitool.errors import DatabaseError

        raise DatabaseError("db_missing", path=str(app_.db_path))
    with app_.open_db() as db:
        result = import_visits(db, app_.config, app_.actor(), file, lang=app_.lang,
                               encoding=encoding, sheet=sheet, dry_run=dry_run, force=force,
                               rejects=rejects)
    show_import(app_, result, fmt, "visit_import_dry" if dry_run else "visit_import_done")


@app.command("list")
@output_options
def list_(ctx: typer.Context, on: Day = None,
          person: Optional[str] = typer.Option(None, help="Only this person (all days)."),
          out: OutputOptions = OutputOptions()) -> None:
    """List visits of a day (amended visits show their latest version; voided ones are hidden)."""
    from epitool.core.visits import list_visits
    from epitool.report.table import Column, TableData

    app_: AppContext = ctx.obj
    day = None if person and not on else app_.date(on).isoformat()
    with app_.open_db() as db:
        rows = list_visits(db, day, person)
    t = app_.t
    keys = ("id", "name", "group", "at", "temp", "temp2", "symptoms", "outcome", "fever",
            "disinfected", "garbage", "delivered", "staff", "quarantine_day", "note")
    table = TableData(t("visit_title", day=day or person or ""),
                      [Column(k, k) for k in (*keys, "uid", "person_id", "day", "forced",
                                              "amends")], rows)
    if out.fmt == "table":
        table = _screen_table(app_, table)
    emit_table(app_, table, out)


def _screen_table(app_: AppContext, table: "TableData") -> "TableData":
    """Fewer, wider columns for a terminal: both temperatures in one, the four ones in one."""
    from epitool.report.table import Column

    t = app_.t
    for row in table.rows:
        temps = [f"{v:g}" for v in (row["temp"], row["temp2"]) if v is not None]
        row["temps"] = "/".join(temps) + (" !" if row["fever"] else "")
        row["four"] = " ".join(filter(None, (
            t("col_disinfected") if row["disinfected"] else "",
            t("col_garbage") if row["garbage"] else "", row["delivered"] or "")))
        row["outcome"] = t(f"outcome_{row['outcome']}")
        row["symptoms"] = ", ".join(t(f"symptom_{s}") for s in
                                    (row["symptoms"] or "").split(",") if s)
        row["at"] = row["at"][5:16].replace("T", " ")
    table.columns = [
        Column("id", t("col_rowid"), "right"), Column("name", t("col_name"), no_wrap=True),
        Column("at", t("col_at"), no_wrap=True), Column("temps", t("col_temp"), no_wrap=True),
        Column("symptoms", t("col_symptoms")), Column("outcome", t("col_outcome")),
        Column("four", t("col_four")), Column("staff", t("col_staff"), no_wrap=True),
        Column("quarantine_day", t("col_quarantine_day"), "right"),
        Column("note", t("col_note"))]
    return table


@app.command("amend")
def amend(ctx: typer.Context, visit: str = typer.Argument(..., help="Visit number (#12) or uid."),
          temp: Optional[str] = typer.Option(None), temp2: Optional[str] = typer.Option(None),
          symptom: list[str] = typer.Option([], help=SYMPTOM_HELP),
          outcome: Optional[str] = typer.Option(None),
          delivered: Optional[str] = typer.Option(None),
          disinfected: Optional[bool] = typer.Option(None, "--disinfected/--not-disinfected"),
          garbage: Optional[bool] = typer.Option(None, "--garbage/--no-garbage"),
          note: Optional[str] = typer.Option(None), by: Optional[str] = typer.Option(None),
          at: Optional[str] = typer.Option(None)) -> None:
    """Correct a visit: a new record supersedes it; the original is kept."""
    from epitool.core.visits import amend as amend_core

    app_: AppContext = ctx.obj
    entry = _entry(app_, temp, temp2, symptom, outcome, delivered, disinfected, garbage,
                   note, by, at, amend=True)
    with app_.open_db() as db:
        done = amend_core(db, app_.actor(), visit, entry,
                          threshold=float(app_.config["fever_threshold"]))
    say(app_.t("visit_amended", id=done["id"], old=done["amends"],
               outcome=app_.t(f"outcome_{done['outcome']}")), "green")
    if done["fever"]:
        say(app_.t("visit_fever_plain", threshold=app_.config["fever_threshold"]), "bold red")


@app.command("void")
def void(ctx: typer.Context, visit: str = typer.Argument(...),
         reason: Optional[str] = typer.Option(None, help="Why (required).")) -> None:
    """Hide a visit from counts, with a reason; the record is kept."""
    from epitool.core.visits import void as void_core

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = void_core(db, app_.actor(), visit, reason)
    say(app_.t("visit_voided", id=done["id"], reason=done["reason"]), "green")
