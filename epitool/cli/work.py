"""epitool duty, enterprise, patrol and need: the rest of a village office's day."""

from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Day
from epitool.cli.output import OutputOptions, emit_table, listing, say, shown, to_minute
from epitool.report.table import Column, TableData

duty_app = typer.Typer(no_args_is_help=True, add_completion=False,
                       help="Duty shifts at checkpoints 值班.")
enterprise_app = typer.Typer(no_args_is_help=True, add_completion=False,
                             help="Work resumption 复工复产: enterprises and checklists.")
patrol_app = typer.Typer(no_args_is_help=True, add_completion=False, help="Patrol findings 巡查.")
need_app = typer.Typer(no_args_is_help=True, add_completion=False,
                       help="Residents' needs 代买代送.")


# Codes, names and times: never broken over two lines
_WHOLE = frozenset({"id", "name", "staff", "point", "starts", "ends", "at", "created_at",
                    "done_at", "phone", "from", "to"})


def _table(app_: AppContext, title: str, keys: tuple[str, ...], rows: list[dict[str, object]],
           out: OutputOptions, headers: dict[str, str] | None = None) -> None:
    """headers: a column's message key where the group's own (w_KEY) is not the word."""
    t = app_.t
    if out.fmt != "json" and out.fmt != "csv":  # for a person: words, not codes
        rows = [{k: shown(app_, k, v) for k, v in row.items()} for row in rows]
    names = headers or {}
    emit_table(app_, TableData(t(title), [
        Column(k, t(names.get(k, f"w_{k}")), no_wrap=k in _WHOLE) for k in keys], rows), out)


@duty_app.command("add")
def duty_add(ctx: typer.Context, staff: str = typer.Argument(...),
             point: str = typer.Option(..., "--point"),
             starts: str = typer.Option(..., "--from"),
             ends: str = typer.Option(..., "--to")) -> None:
    """Put STAFF on duty at a checkpoint from one time to another."""
    from epitool.core.work import add_duty

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = add_duty(db, app_.actor(), staff, point, app_.moment(starts), app_.moment(ends))
    say(app_.t("duty_added", staff=done["staff"], point=done["point"],
               starts=to_minute(done["starts"]),
               ends=to_minute(done["ends"])), "green")


@listing(duty_app, "list")
def duty_list(app_: AppContext, out: OutputOptions, on: Day = None) -> None:
    """Duty shifts overlapping a day."""
    from epitool.core.work import duties_on

    rows = app_.read(lambda db: duties_on(db, app_.date(on), app_.tz))
    _table(app_, "duty_title", ("point", "staff", "starts", "ends"), rows, out)


@listing(duty_app, "gaps")
def duty_gaps(app_: AppContext, out: OutputOptions, on: Day = None) -> None:
    """Hours of a 24-hour day each checkpoint has no one on duty."""
    from epitool.core.work import duty_gaps as gaps

    rows = app_.read(lambda db: gaps(db, app_.date(on), app_.tz))
    _table(app_, "gaps_title", ("point", "from", "to", "hours"), rows, out)


@enterprise_app.command("add")
def enterprise_add(ctx: typer.Context, name: str = typer.Argument(...),
                   contact: Optional[str] = typer.Option(None),
                   phone: Optional[str] = typer.Option(None),
                   workers: Optional[int] = typer.Option(None),
                   address: Optional[str] = typer.Option(None)) -> None:
    """Add an enterprise preparing to resume work."""
    from epitool.core.work import add_enterprise

    app_: AppContext = ctx.obj
    with app_.open_db(create=True) as db:
        done = add_enterprise(db, app_.actor(), name, contact, phone, workers, address)
    say(app_.t("enterprise_added", id=done["id"], name=done["name"]), "green")


@enterprise_app.command("check")
def enterprise_check(ctx: typer.Context, name: str = typer.Argument(...),
                     cleaned: bool = typer.Option(False, "--cleaned"),
                     disinfected: bool = typer.Option(False, "--disinfected"),
                     prevention_plan: bool = typer.Option(False, "--prevention-plan"),
                     emergency_plan: bool = typer.Option(False, "--emergency-plan"),
                     note: Optional[str] = typer.Option(None)) -> None:
    """Record checklist items done; ready to resume only with all four."""
    from epitool.core.work import check_enterprise

    app_: AppContext = ctx.obj
    items = [k for k, v in (("cleaned", cleaned), ("disinfected", disinfected),
                            ("prevention_plan", prevention_plan),
                            ("emergency_plan", emergency_plan)) if v]
    with app_.open_db() as db:
        row = check_enterprise(db, app_.actor(), name, items, note)
    t = app_.t
    say(t("enterprise_ready" if row["ready"] else "enterprise_not_ready", name=row["name"],
          done=row["done"], missing=shown(app_, "missing", row["missing"])),
        "green" if row["ready"] else "yellow")


@listing(enterprise_app, "list")
def enterprise_list(app_: AppContext, out: OutputOptions) -> None:
    """Enterprises with checklist completion."""
    from epitool.core.work import list_enterprises

    rows = app_.masked(app_.read(list_enterprises))
    _table(app_, "enterprise_title", ("id", "name", "contact", "phone", "workers", "done",
                                      "ready", "missing"), rows, out)


@patrol_app.command("log")
def patrol_log(ctx: typer.Context, team: str = typer.Option(...), area: str = typer.Option(...),
               finding: str = typer.Option(...,
                   help="gathering | no-mask | quarantine-breach | fire-hazard | other"),
               count: Optional[int] = typer.Option(None),
               action: Optional[str] = typer.Option(None),
               person: Optional[str] = typer.Option(None,
                                                    help="Who (needed for quarantine-breach)."),
               at: Optional[str] = typer.Option(None)) -> None:
    """Record a patrol finding and the action taken."""
    from epitool.core.work import log_patrol

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = log_patrol(db, app_.actor(), team=team, area=area, finding=finding, count=count,
                          action=action, person=person, at=app_.moment(at))
    say(app_.t("patrol_logged", id=done["id"], finding=app_.t(f"finding_{done['finding']}"),
               area=done["area"]), "green")


@listing(patrol_app, "list")
def patrol_list(app_: AppContext, out: OutputOptions, on: Day = None) -> None:
    """Patrol findings of a day."""
    from epitool.core.work import patrols_on

    rows = app_.read(lambda db: patrols_on(db, app_.date(on)))
    _table(app_, "patrol_title", ("id", "at", "team", "area", "finding", "count", "action",
                                  "person"), rows, out)


@need_app.command("add")
def need_add(ctx: typer.Context, person: str = typer.Argument(...),
             items: list[str] = typer.Argument(..., help="What is needed, e.g. 青菜 药品"),
             note: Optional[str] = typer.Option(None)) -> None:
    """Record what a resident needs bought or delivered."""
    from epitool.core.work import add_need

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = add_need(db, app_.actor(), person, items, note)
    say(app_.t("need_added", id=done["id"], name=done["name"], items=done["items"]), "green")


@need_app.command("done")
def need_done(ctx: typer.Context, need: int = typer.Argument(...),
              by: Optional[str] = typer.Option(None)) -> None:
    """Mark a need as delivered."""
    from epitool.core.work import need_done as done_core

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done_core(db, app_.actor(), need, by)
    say(app_.t("need_done", id=need), "green")


@listing(need_app, "list")
def need_list(app_: AppContext, out: OutputOptions,
              open_only: bool = typer.Option(False, "--open")) -> None:
    """Needs, quarantined households first."""
    from epitool.core.work import list_needs

    rows = app_.read(lambda db: list_needs(db, open_only))
    _table(app_, "need_title", ("id", "name", "group", "items", "quarantined", "created_at",
                                "done_at"), rows, out, headers={"name": "col_name"})
