"""epitool summary: the day at a glance (今日概况)."""

from typing import Any

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Day, TableOrJson
from epitool.cli.output import console, emit_text, say
from epitool.report.table import Column, TableData, table_rich, to_json


def summary(ctx: typer.Context,
            on: Day = None,
            fmt: TableOrJson = "table") -> None:
    """Under follow-up, visited, not visited, fevers, ending today, overdue sites."""
    from epitool.core.summary import day_summary

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        data = day_summary(db, app_.date(on), app_.config["area"],
                           int(app_.config["lost_after_days"]))
    if fmt == "json":
        emit_text(to_json(data), None)
    else:
        render_summary(app_, data)


def render_summary(app_: AppContext, data: dict[str, Any]) -> None:
    """The day at a glance on a terminal: a table per group, then the people to act on."""
    from epitool.core.summary import COUNT_KEYS

    t = app_.t
    rows = [*data["groups"], {"group": t("total"), **{k: data["totals"][k] for k in COUNT_KEYS}}]
    console().print(table_rich(TableData(t("summary_title", date=data["date"]), [
        Column("group", t("col_group")),
        *(Column(k, t(f"sum_{k}"), "right") for k in COUNT_KEYS)], rows)))
    _people(app_, "sum_not_visited_list", data["not_visited"])
    _people(app_, "sum_fevers_list", data["fevers"], style="bold red")
    _people(app_, "sum_ending_list", data["ending_today"])
    _people(app_, "sum_lost_list", data["lost_to_followup"], style="bold red")
    if data["visited_by"]:
        say(t("sum_visited_by") + " " + ", ".join(
            f"{v['staff'] or '-'} {v['visits']}" for v in data["visited_by"]))
    field = data["field"]
    if any(field.values()):
        say(" · ".join(f"{t(f'field_{k}')} {v}" for k, v in field.items() if v))
    if data["overdue_sites"]:
        say(t("sum_overdue_sites") + " " + ", ".join(
            f"{s['name']} ({s['last_round'] or t('never')})" for s in data["overdue_sites"]),
            "yellow")


def _people(app_: AppContext, key: str, people: list[dict[str, Any]],
            style: str | None = None) -> None:
    if people:
        names = ", ".join(f"#{p['person_id']} {p['name']}" + (
            f" {p['max_temp']:g}°C" if p.get("max_temp") else "") for p in people)
        say(f"{app_.t(key)} {names}", style)
