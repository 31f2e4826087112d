"""epitool report: the daily report 日报 and the trend."""

from __future__ import annotations

from typing import Optional

import typer

from epitool.cli.options import Force, Output
from epitool.cli.context import AppContext

app = typer.Typer(no_args_is_help=True, help="Reports for the office 报表: daily, trend.")

DAILY_FORMATS = ("table", "json", "csv", "md", "xlsx", "html")


def _check(value: str, allowed: tuple[str, ...], hint: str) -> str:
    if value not in allowed:
        raise typer.BadParameter(" | ".join(allowed), param_hint=hint)
    return value


@app.command("daily")
def daily(ctx: typer.Context,
          on: Optional[str] = typer.Option(None, "--date", help="Day (default today)."),
          by: str = typer.Option("group", help="group | village"),
          fmt: str = typer.Option("table", "--format", help=" | ".join(DAILY_FORMATS)),
          output: Output = None,
          force: bool = typer.Option(False, "--force", help="Replace an existing --output file."),
          reveal: bool = typer.Option(False, "--reveal", help="Full ID and phone numbers (audited).")) -> None:
    """The day's report, per group or village."""
    from epitool.cli.report_view import render_daily, trend_labels
    from epitool.report.daily import build_daily

    app_: AppContext = ctx.obj
    _check(fmt, DAILY_FORMATS, "--format")
    _check(by, ("group", "village"), "--by")
    day = app_.date(on)
    with app_.open_db() as db:
        trend = None
        if fmt == "html":  # the page's chart, worked out beside the report on a big database
            from epitool.core.worker import beside
            from epitool.report.trend import build_trend, svg_chart

            trend = beside(db, lambda conn: build_trend(conn, day, 14))
        report = build_daily(db, day, by=by, area=app_.config["area"], mask=app_.mask(reveal))
        chart = svg_chart(trend(), trend_labels(app_)) if trend else ""
        if reveal:
            _audit_reveal(app_, db, "report.daily")
    render_daily(app_, report, fmt, output, force, chart)


@app.command("trend")
def trend(ctx: typer.Context, days: int = typer.Option(14, help="How many days, up to --date."),
          on: Optional[str] = typer.Option(None, "--date", help="Last day (default today)."),
          fmt: str = typer.Option("table", "--format", help="table | json | csv | html | png"),
          output: Output = None,
          force: Force = False) -> None:
    """The key counts of the last N days: sparklines, or a chart in HTML and PNG."""
    from epitool.cli.output import emit_table, emit_text, say
    from epitool.cli.report_view import trend_labels, write_binary
    from epitool.errors import InputError
    from epitool.report.table import Column, TableData
    from epitool.report.trend import TREND_KEYS, build_trend, sparkline, svg_chart, write_png

    app_: AppContext = ctx.obj
    _check(fmt, ("table", "json", "csv", "html", "png"), "--format")
    if not 1 <= days <= 366:
        raise InputError("trend_bad_days", days=days)
    with app_.open_db() as db:
        rows = build_trend(db.conn, app_.date(on), days)
    labels = trend_labels(app_)
    title = app_.t("trend_title", days=days, last=rows[-1]["date"])
    table = TableData(title, [Column("date", app_.t("col_date")),
                              *(Column(k, labels[k], "right") for k in TREND_KEYS)], rows)
    if fmt in ("json", "csv"):
        table.columns = [Column(k, k) for k in ("date", *TREND_KEYS)]
        emit_table(app_, table, fmt, output, force)
    elif fmt == "html":
        from epitool.report.formats import to_html

        emit_text(to_html([table], title, "", svg_chart(rows, labels)), output, force)
    elif fmt == "png":
        write_binary(output, force, lambda handle: write_png(rows, labels, title, handle))
    else:
        emit_table(app_, table, "table", output, force)
        for key in TREND_KEYS:
            values = [r[key] for r in rows]
            say(f"{labels[key]:<12} {sparkline(values)}  {values[-1]}")


def _audit_reveal(app_: AppContext, db: object, what: str) -> None:
    from epitool.store.audit import record

    with db.write() as conn:  # type: ignore[attr-defined]
        record(conn, app_.actor(), "reveal", None, {"view": what})
