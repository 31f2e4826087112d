"""The daily report and trend as tables, and their rendering by format."""

from typing import Any

from epitool.cli.context import AppContext
from epitool.cli.output import OutputOptions, emit_binary, emit_text, print_table, say, to_minute
from epitool.core.daily import COUNT_KEYS, DailyReport
from epitool.report.table import Column, TableData, table_csv, to_json


def daily_tables(app_: AppContext, report: DailyReport) -> list[TableData]:
    t = app_.t
    area = t("col_group" if report.by == "group" else "col_village")
    total = {"area": t("total"), **report.totals, "_total": True}
    shown = [{**row, "area": row["area"] or t("no_group")} for row in report.rows]
    people = [Column("person_id", t("col_rowid"), "right"),
              Column("name", t("col_name"), no_wrap=True),
              Column("id_number", t("col_id_number"), no_wrap=True),
              Column("phone", t("col_phone"), no_wrap=True), Column("group", t("col_group")),
              Column("staff", t("col_staff"))]
    tables = [TableData(t("report_title", date=report.date), [
        Column("area", area), *(Column(k, t(f"rep_{k}"), "right") for k in COUNT_KEYS)],
        [*shown, total])]
    tables.append(TableData(t("rep_fevers_list"), [
        *people, Column("max_temp", t("col_temp"), "right"),
        Column("symptoms", t("col_symptoms"))], report.fevers))
    tables.append(TableData(t("rep_not_visited_list"), [
        *people, Column("missed", t("sum_missed")),
        Column("last_seen", t("col_last_visit"))],
        [{**p, "missed": t("yes") if p["missed"] else ""} for p in report.not_visited]))
    tables.append(TableData(t("rep_ending_list"), people, report.ending_today))
    tables.append(TableData(t("rep_lost_list"), [
        *people, Column("last_seen", t("col_last_visit"))], report.lost_to_followup))
    tables.append(TableData(t("rep_overdue_sites"), [
        Column("name", t("col_site")), Column("kind", t("col_kind")),
        Column("group", t("col_group")), Column("last_round", t("col_last_round"))],
        [{**site, "kind": t(f"site_kind_{site['kind']}"),
          "last_round": site["last_round"] or t("never")} for site in report.overdue_sites]))
    tables.append(TableData(t("rep_field"), [
        Column("measure", ""), Column("value", "", "right")],
        [{"measure": t(f"field_{k}"), "value": v} for k, v in report.field_work.items()]))
    tables.append(TableData(t("rep_visited_by"), [
        Column("staff", t("col_staff")), Column("visits", t("rep_visits"), "right")],
        report.visited_by))
    return tables + _since_sent_tables(app_, report)


def _since_sent_tables(app_: AppContext, report: DailyReport) -> list[TableData]:
    """What changed since the day's report was sent, and the records that changed it."""
    sent = report.since_sent
    if not sent or not sent["changes"]:
        return []
    t = app_.t
    changes = TableData(
        t("rep_changed_since", sent_at=to_minute(sent["sent_at"]),
          to=sent["sent_to"] or "-"),
        [Column("area", t("col_group" if report.by == "group" else "col_village")),
         Column("measure", ""), Column("sent", t("rep_sent"), "right"),
         Column("now", t("rep_now"), "right")],
        [{**c, "area": t("total") if c["area"] is None else c["area"] or t("no_group"),
          "measure": t(f"rep_{c['measure']}")} for c in sent["changes"]])
    because = TableData(t("rep_because"), [
        Column("at", t("col_at")), Column("who", t("col_who")),
        Column("action", t("col_action")), Column("record", t("col_target"))],
        [{**b, "at": to_minute(b["at"])} for b in sent["because"]])
    return [changes, because]


def render_daily(app_: AppContext, report: DailyReport, out: OutputOptions,
                 chart_svg: str = "") -> None:
    tables = daily_tables(app_, report)
    title = app_.t("report_title", date=report.date)
    meta = f"{report.office} · {report.village} · {report.date}"
    fmt, output, force = out.fmt, out.output, out.force
    if fmt == "json":
        emit_text(to_json(report.as_dict()), output, force)
    elif fmt == "csv":
        keys = [Column("area", report.by), *(Column(k, k) for k in COUNT_KEYS)]
        emit_text(table_csv(TableData("", keys, [*report.rows,
                                                  {"area": "total", **report.totals}])),
                  output, force, bom=True)
    elif fmt == "md":
        from epitool.report.formats import to_markdown

        emit_text(to_markdown(tables, f"{title} — {meta}"), output, force)
    elif fmt == "html":
        from epitool.report.formats import to_html

        emit_text(to_html(tables, title, meta, chart_svg, [tables[1].title]), output, force)
    elif fmt == "xlsx":
        from epitool.report.formats import write_xlsx

        emit_binary(out, lambda handle: write_xlsx(tables, handle))
    else:
        print_table(app_, _transposed(app_, tables[0]), wide=out.wide)
        for table in tables[1:]:
            if table.rows:
                print_table(app_, _first(app_, table), wide=out.wide)
        if report.missing_villages:  # an office: who has not reported for the day
            from epitool.i18n import listed

            say(app_.t("rep_missing_villages", day=report.date, villages=listed(
                app_.lang, [v["name"] for v in report.missing_villages])), "yellow")
        sent = report.since_sent
        if sent and not sent["changes"]:
            say(app_.t("rep_unchanged_since", sent_at=to_minute(sent["sent_at"])),
                "dim")
        say(meta, "dim")


SCREEN_ROWS = 50


def _first(app_: AppContext, table: TableData) -> TableData:
    """A terminal shows the first rows of a long list; the files have all of them."""
    if len(table.rows) <= SCREEN_ROWS:
        return table
    notes = [app_.t("rep_more_rows", more=len(table.rows) - SCREEN_ROWS)]
    return TableData(table.title, table.columns, table.rows[:SCREEN_ROWS], notes)


def _transposed(app_: AppContext, table: TableData) -> TableData:
    """On a terminal: one row per measure, one column per group (few groups, many measures)."""
    areas = [row["area"] for row in table.rows]
    columns = [Column("measure", "", no_wrap=True)] + [Column(f"a{i}", area, "right")
                                         for i, area in enumerate(areas)]
    rows = [{"measure": c.header, **{f"a{i}": _show(row.get(c.key))
                                     for i, row in enumerate(table.rows)}}
            for c in table.columns[1:]]
    return TableData(table.title, columns, rows)


def _show(value: Any) -> Any:
    return "" if value is None else value


def trend_labels(app_: AppContext) -> dict[str, str]:
    return {k: app_.t(f"trend_{k}") for k in ("under_follow_up", "visited", "fevers", "new",
                                             "ended")}
