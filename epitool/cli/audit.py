"""epitool audit: who changed what, and when."""

from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.output import OutputOptions, emit_table, output_options, shown, to_minute
from epitool.report.table import Column, TableData


@output_options
def audit(ctx: typer.Context,
          since: Optional[str] = typer.Option(None, help="From this day."),
          person: Optional[str] = typer.Option(None, help="Only records about this person."),
          reveal: bool = typer.Option(False, "--reveal",
                                      help="Full numbers in the details (audited)."),
          out: OutputOptions = OutputOptions()) -> None:
    """The audit trail: every write, who made it, when, and what changed."""
    from epitool.core.audit import audit_trail, record_reveal

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        rows = audit_trail(db, app_.date(since) if since else None, person, app_.mask(reveal))
        if reveal:
            record_reveal(db, app_.actor(), "audit", len(rows))
    t = app_.t
    if out.fmt in ("table", "xlsx"):  # for people: actions in words, times without seconds
        rows = [{**row, "action": shown(app_, "action", row["action"]),
                 "target": shown(app_, "target", row["target"]),
                 "at": to_minute(row["at"])} for row in rows]
    emit_table(app_, TableData(t("audit_title"), [
        Column("id", t("col_rowid"), "right"), Column("at", t("col_at"), no_wrap=True),
        Column("who", t("col_who")), Column("action", t("col_action")),
        Column("target", t("col_target")), Column("detail", t("col_detail")),
        Column("command", t("col_command"))], rows), out)


audit_app = typer.Typer(add_completion=False)
audit_app.command()(audit)
