"""How an import result is shown: a summary, the first problems, where the rejects went."""

from __future__ import annotations

from epitool.cli.context import AppContext
from epitool.cli.output import console, emit_text, say
from epitool.core.roster_import import ImportResult, describe_problem
from epitool.report.table import Column, TableData, table_rich, to_json


def show_import(app: AppContext, result: ImportResult, fmt: str) -> None:
    if fmt == "json":
        emit_text(to_json(result.as_json()), None)
        return
    t = app.t
    counts = TableData(
        title=t("import_dry_title" if result.dry_run else "import_title"),
        columns=[Column(k, t(f"import_{k}"), "right")
                 for k in ("inserted", "updated", "unchanged", "rejected")],
        rows=[result.as_json()])
    console().print(table_rich(counts))
    if result.legacy_ids:
        say(t("import_legacy", count=result.legacy_ids), "yellow")
    if result.problems:
        problems = TableData(
            title=t("import_problems", count=len(result.problems)),
            columns=[Column("row", t("col_row"), "right"), Column("column", t("col_column")),
                     Column("reason", t("col_reason"))],
            rows=[{"row": p.row, "column": t(f"col_{p.column}"),
                   "reason": describe_problem(p, app.lang)} for p in result.problems])
        console().print(table_rich(problems))
    if result.rejects_file:
        say(t("import_rejects_file", path=str(result.rejects_file)), "yellow")
