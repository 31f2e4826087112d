"""epitool audit (who changed what) and epitool roster purge (data no longer needed)."""

from __future__ import annotations

import re
from typing import Optional

import typer

from epitool.cli.options import Force, Output
from epitool.cli.context import AppContext
from epitool.cli.output import emit_table, say
from epitool.report.table import Column, TableData

_NUMBERS = re.compile(r"\d{6}(?:\d{8}|\d{6})(?:\d{3}[\dXx]|\d)|1[3-9]\d{9}")


def audit(ctx: typer.Context,
          since: Optional[str] = typer.Option(None, help="From this day."),
          person: Optional[str] = typer.Option(None, help="Only records about this person."),
          fmt: str = typer.Option("table", "--format", help="table | json | csv"),
          output: Output = None,
          force: Force = False,
          reveal: bool = typer.Option(False, "--reveal", help="Full numbers in the details (audited).")) -> None:
    """The audit trail: every write, who made it, when, and what changed."""
    from epitool.privacy import mask_id, mask_phone
    from epitool.core.people import find_person
    from epitool.store.purge import audit_rows

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        uid = find_person(db, person)["uid"] if person else None
        rows = audit_rows(db.conn, app_.date(since).isoformat() if since else None, uid)
        if reveal:
            from epitool.store.audit import record

            with db.write() as conn:
                record(conn, app_.actor(), "reveal", None, {"view": "audit"})
    if app_.mask(reveal):
        def hide(match: re.Match[str]) -> str:
            text = match.group(0)
            return mask_phone(text) if len(text) == 11 else mask_id(text)

        for row in rows:
            row["detail"] = _NUMBERS.sub(hide, str(row["detail"] or ""))
    t = app_.t
    emit_table(app_, TableData(t("audit_title"), [
        Column("id", t("col_rowid"), "right"), Column("at", t("col_at"), no_wrap=True),
        Column("who", t("col_who")), Column("action", t("col_action")),
        Column("target", t("col_target")), Column("detail", t("col_detail")),
        Column("command", t("col_command"))], rows), fmt, output, force)


def purge(ctx: typer.Context,
          before: str = typer.Option(..., help="Remove quarantines that ended before this day."),
          yes: bool = typer.Option(False, "--yes", help="Do not ask for confirmation.")) -> None:
    """Remove health records no longer needed: quarantines ended before --before, with their
    visits and events (PIPL art. 6). Asks first; says what it removed; audited."""
    from epitool.store.audit import record
    from epitool.store.purge import count_before, purge_before

    app_: AppContext = ctx.obj
    day = app_.date(before).isoformat()
    with app_.open_db() as db:
        quarantines, visits = count_before(db.conn, day)
        if quarantines == 0:
            say(app_.t("purge_nothing", before=day))
            return
        if not yes and not typer.confirm(app_.t("purge_confirm", quarantines=quarantines,
                                                visits=visits, before=day)):
            say(app_.t("purge_cancelled"))
            raise typer.Exit(1)
        with db.write() as conn:
            removed = purge_before(conn, day)
            record(conn, app_.actor(), "purge", None, {"before": day, **removed})
    say(app_.t("purge_done", before=day, **removed), "green")


audit_app = typer.Typer()
audit_app.command()(audit)
