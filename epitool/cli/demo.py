"""epitool demo: build a demo database from the bundled samples and show what is in it."""

from __future__ import annotations

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

    appctx: AppContext = ctx.obj
    if not appctx.db_explicit:
        appctx.db_path = DEMO_DB
    counts = build_demo(appctx, sample_dir())
    t = appctx.t
    keys = ("village", "group", "households", "residents", "male", "female", "with_phone")
    headers = {"zh": ("村/社区", "组/楼栋", "户数", "人数", "男", "女", "有电话"),
               "en": ("Village", "Group", "Households", "Residents", "Male", "Female",
                      "With phone")}[appctx.lang]
    table = TableData(title=t("demo_title"), columns=[
        Column(k, h, "left" if i < 2 else "right") for i, (k, h) in enumerate(zip(keys, headers))],
        rows=counts)
    console().print(table_rich(table))
    from epitool.cli.summary import summary

    summary(ctx, on=None, fmt="table")
    say(t("demo_done", path=str(appctx.db_path)), "green")
