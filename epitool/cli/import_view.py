"""How an import result is shown, for every importer: its counts, the first problems, where
the rejects went; or its JSON form."""

from epitool.cli.context import AppContext
from epitool.cli.output import console, emit_text, say
from epitool.core.pipeline import ImportResult
from epitool.i18n import describe_problem, listed
from epitool.privacy import mask_numbers_in
from epitool.report.table import Column, TableData, table_rich, to_json


def show_import(app_: AppContext, result: ImportResult, fmt: str,
                summary_key: str | None = None) -> None:
    """summary_key: a message that says the counts in a sentence; else a table of them."""
    if fmt == "json":
        emit_text(to_json(result.as_json()), None)
        return
    t = app_.t
    if len(result.sheets) > 1:  # which one was read, and how to read another
        say(t("import_sheet_read", sheet=result.sheets[0], count=len(result.sheets),
              others=listed(app_.lang, result.sheets[1:])), "yellow")
    if summary_key:
        say(t(summary_key, **result.as_json()), "green")
    else:
        console().print(table_rich(TableData(
            title=t("import_dry_title" if result.dry_run else "import_title"),
            columns=[Column(k, t(f"import_{k}"), "right") for k in result.keys],
            rows=[result.as_json()])))
    if not any(result[k] for k in result.keys):  # a header and nothing under it
        say(t("import_no_rows"), "yellow")
    for key, params in result.notes:
        say(t(key, **params), "yellow")
    if result["examples"]:
        say(t("import_examples", count=result["examples"]), "yellow")
    if result["legacy_ids"]:
        say(t("import_legacy", count=result["legacy_ids"]), "yellow")
    if result.problems:
        console().print(table_rich(TableData(
            title=t("import_problems", count=len(result.problems)),
            columns=[Column("row", t("col_row"), "right"), Column("column", t("col_column")),
                     Column("reason", t("col_reason"))],
            rows=[{"row": p.row, "column": t(f"col_{p.column}") if p.column else "",
                   "reason": mask_numbers_in(describe_problem(app_.lang, p))}
                  for p in result.problems])))
    if result.rejects_file:
        say(t("import_rejects_file", path=str(result.rejects_file)), "yellow")
