"""epitool demo: build a demo database from the bundled samples and show what is in it."""

from pathlib import Path

import typer

from epitool.cli.context import AppContext
from epitool.cli.output import console, say

DEMO_DB = Path("epitool-demo.db")


def sample_dir() -> Path:
    """Installed: the epitool.samples package data. In a checkout: ./samples of the repo."""
    try:
        from importlib.resources import files

        path = Path(str(files("epitool.samples")))
        if path.is_dir():
            return path
    except (ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parents[2] / "samples"


def demo(ctx: typer.Context) -> None:
    """Build a demo database from the bundled samples (re-running it changes nothing)."""
    from epitool.core.demo import build_demo
    from epitool.report.table import Column, TableData, table_rich

    app_: AppContext = ctx.obj
    if not app_.db_explicit:
        app_.db_path = DEMO_DB
    counts = build_demo(lambda: app_.open_db(create=True), app_.config, app_.actor(),
                        app_.lang, sample_dir(), app_.db_path.parent)
    t = app_.t
    keys = ("village", "group", "households", "residents", "male", "female", "with_phone")
    headers = {"zh": ("村/社区", "组/楼栋", "户数", "人数", "男", "女", "有电话"),
               "en": ("Village", "Group", "Households", "Residents", "Male", "Female",
                      "With phone")}[app_.lang]
    table = TableData(title=t("demo_title"), columns=[
        Column(k, h, "left" if i < 2 else "right") for i, (k, h) in enumerate(zip(keys, headers))],
        rows=counts)
    console().print(table_rich(table))
    from epitool.cli.summary import render_summary
    from epitool.core.summary import day_summary

    with app_.open_db() as db:
        render_summary(app_, day_summary(db, app_.date(None), app_.config["area"],
                                         int(app_.config["lost_after_days"])))
    report = _write_report(app_)
    say(t("demo_report", path=str(report)), "green")
    say(t("demo_done", path=str(app_.db_path)), "green")


def _write_report(app_: AppContext) -> Path:
    """Today's daily report as HTML beside the demo database (replaced on each run)."""
    from epitool.cli.output import OutputOptions
    from epitool.cli.report_view import render_daily, trend_labels
    from epitool.core.daily import build_daily
    from epitool.core.trend import build_trend
    from epitool.report.trend import svg_chart

    day = app_.date(None)
    with app_.open_db() as db:
        report = build_daily(db, day, by="group", area=app_.config["area"], mask=True,
                             lost_after=int(app_.config["lost_after_days"]))
        chart = svg_chart(build_trend(db, day, 14), trend_labels(app_))
    path = app_.db_path.with_name(f"epitool-demo-report-{day}.html").resolve()
    render_daily(app_, report, OutputOptions("html", path, force=True), chart)
    return path
