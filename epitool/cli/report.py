"""epitool report: the daily report 日报 and the trend."""

from typing import Literal, Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Day, Reveal
from epitool.cli.output import REPORT_FORMATS, OutputOptions, output_options

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Reports for the office 报表: daily, trend.")


@app.command("daily")
@output_options(formats=REPORT_FORMATS)
def daily(ctx: typer.Context,
          on: Day = None,
          by: Literal["group", "village"] = typer.Option("group", help="group | village"),
          reveal: Reveal = False,
          out: OutputOptions = OutputOptions()) -> None:
    """The day's report, per group or village."""
    from epitool.cli.report_view import render_daily, trend_labels
    from epitool.core.audit import record_reveal
    from epitool.core.daily import build_daily, people_named
    from epitool.core.sent import record_sent, since_sent
    from epitool.core.trend import trend_beside
    from epitool.report.trend import svg_chart

    app_: AppContext = ctx.obj
    day = app_.date(on)
    with app_.open_db() as db:
        # the page's chart, worked out beside the report on a big database
        trend = trend_beside(db, day, 14) if out.fmt == "html" else None
        report = build_daily(db, day, by=by, area=app_.config["area"], mask=app_.mask(reveal),
                             lost_after=int(app_.config["lost_after_days"]))
        changed = since_sent(db, report)
        report.since_sent = changed.as_dict() if changed else None
        chart = svg_chart(trend(), trend_labels(app_)) if trend else ""
        if reveal:
            record_reveal(db, app_.actor(), "report.daily", people_named(report))
    render_daily(app_, report, out, chart)
    if out.output is not None:  # written to a file: kept as sent (the nightly job)
        with app_.open_db() as db:
            record_sent(db, app_.actor(), report, out.output.name)


@app.command("trend")
@output_options(formats=("table", "json", "csv", "xlsx", "html", "png"))
def trend(ctx: typer.Context, days: int = typer.Option(14, help="How many days, up to --date."),
          on: Optional[str] = typer.Option(None, "--date", help="Last day (default today)."),
          out: OutputOptions = OutputOptions()) -> None:
    """The key counts of the last N days: sparklines, or a chart in HTML and PNG."""
    from epitool.cli.output import emit_binary, emit_table, emit_text, say
    from epitool.cli.report_view import trend_labels
    from epitool.core.trend import TREND_KEYS, build_trend
    from epitool.errors import InputError
    from epitool.report.table import Column, TableData
    from epitool.report.trend import sparkline, svg_chart, write_png

    app_: AppContext = ctx.obj
    if not 1 <= days <= 366:
        raise InputError("trend_bad_days", days=days)
    with app_.open_db() as db:
        rows = build_trend(db, app_.date(on), days)
    labels = trend_labels(app_)
    title = app_.t("trend_title", days=days, last=rows[-1]["date"])
    table = TableData(title, [Column("date", app_.t("col_date")),
                              *(Column(k, labels[k], "right") for k in TREND_KEYS)], rows)
    if out.fmt in ("json", "csv"):
        table.columns = [Column(k, k) for k in ("date", *TREND_KEYS)]
        emit_table(app_, table, out)
    elif out.fmt == "html":
        from epitool.report.formats import to_html

        emit_text(to_html([table], title, "", svg_chart(rows, labels)), out.output, out.force)
    elif out.fmt == "png":
        emit_binary(out, lambda handle: write_png(rows, labels, title, handle))
    else:
        emit_table(app_, table, out)
        if out.fmt == "table" and out.output is None:
            for key in TREND_KEYS:
                values = [r[key] for r in rows]
                say(f"{labels[key]:<12} {sparkline(values)}  {values[-1]}")
