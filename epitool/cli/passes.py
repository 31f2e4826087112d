"""epitool pass: issue, verify, revoke, list (健康证明/通行证)."""

from pathlib import Path
from typing import Optional

import typer

from epitool.cli.context import AppContext
from epitool.cli.options import Force, TextOrJson
from epitool.cli.output import OutputOptions, emit_table, emit_text, output_options, say
from epitool.report.table import Column, TableData, to_json

app = typer.Typer(no_args_is_help=True, add_completion=False,
                  help="Health certificates and passes 健康证明/通行证.")


@app.command("issue")
def issue(ctx: typer.Context, person: str = typer.Argument(...),
          enterprise: Optional[str] = typer.Option(None),
          kind: str = typer.Option("health", help="health | travel"),
          days: int = typer.Option(14),
          override: Optional[str] = typer.Option(None, help="Why, when refused."),
          output: Optional[Path] = typer.Option(None, "--output", "-o",
                                                help="A printable A6 pass (.html)."),
          force: Force = False) -> None:
    """Issue a pass; refused under quarantine or after a fever in 14 days (--override REASON)."""
    from epitool.core.passes import issue as issue_core
    from epitool.core.passes import pass_html

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = issue_core(db, app_.actor(), person, enterprise=enterprise, kind=kind, days=days,
                          today=app_.date(None), override=override)
    t = app_.t
    say(t("pass_issued", serial=done["serial"], name=done["name"], valid_to=done["valid_to"]),
        "green")
    if output is not None:
        labels = {k: t(f"pass_{k}") for k in ("title", "name", "id_number", "kind",
                                              "enterprise", "valid", "kind_health",
                                              "kind_travel")}
        area = app_.config["area"]
        emit_text(pass_html(done, area["village"], area["office"], labels), output, force)


@app.command("verify")
def verify(ctx: typer.Context, serial: str = typer.Argument(...),
           fmt: TextOrJson = "text") -> None:
    """Say whether a pass is valid, expired, revoked or unknown (exit 1 unless valid)."""
    from epitool.core.passes import verify as verify_core
    from epitool.privacy import mask_id

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        found = verify_core(db, serial, app_.date(None))
    if "id_number" in found:
        found["id_number"] = mask_id(found["id_number"])
    found.pop("uid", None)
    if fmt == "json":
        emit_text(to_json(found), None)
    else:
        why = (app_.t(f"pass_suspended_{found['suspended_for']}")
               if found.get("suspended_for") else "")
        say(app_.t(f"pass_status_{found['status']}", why=why,
                   **{k: v for k, v in found.items() if k != "status"}),
            "green" if found["status"] == "valid" else "bold red")
    if found["status"] != "valid":
        raise typer.Exit(1)


@app.command("revoke")
def revoke(ctx: typer.Context, serial: str = typer.Argument(...),
           reason: Optional[str] = typer.Option(None)) -> None:
    """Revoke a pass, with a reason; the pass stays on record as revoked."""
    from epitool.core.passes import revoke as revoke_core

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        done = revoke_core(db, app_.actor(), serial, reason)
    say(app_.t("pass_revoked", **done), "green")


@app.command("list")
@output_options
def list_(ctx: typer.Context, expiring: Optional[int] = typer.Option(None,
    help="Only valid ones ending within N days."),
          out: OutputOptions = OutputOptions()) -> None:
    """Passes issued."""
    from epitool.core.passes import list_passes

    app_: AppContext = ctx.obj
    with app_.open_db() as db:
        rows = list_passes(db, expiring, app_.date(None))
    t = app_.t
    if out.fmt not in ("json", "csv"):  # for a person: words, not codes
        from epitool.cli.output import shown

        rows = [{**r, "kind": shown(app_, "kind", r["kind"]),
                 "revoked": shown(app_, "revoked_flag", r["revoked"])} for r in rows]
    emit_table(app_, TableData(t("pass_list_title"), [
        Column(k, t(f"pass_col_{k}"), no_wrap=k in ("serial", "name", "valid_from", "valid_to"))
        for k in ("serial", "name", "kind", "enterprise", "valid_from", "valid_to", "revoked")],
        rows),
        out)
