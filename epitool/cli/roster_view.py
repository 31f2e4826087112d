"""Residents as tables and JSON, masked unless revealed."""

from __future__ import annotations

from typing import Any

from epitool.cli.context import AppContext
from epitool.cli.output import console, say
from epitool.privacy import mask_id, mask_phone
from epitool.report.table import Column, TableData, table_rich, to_json

NO_WRAP = ("id", "name", "id_number", "phone", "household")


def masked(row: dict[str, Any], mask: bool) -> dict[str, Any]:
    if not mask:
        return dict(row)
    return {**row, "id_number": mask_id(row["id_number"]), "phone": mask_phone(row["phone"])}


def roster_table(app: AppContext, rows: list[dict[str, Any]], total: int,
                 mask: bool) -> TableData:
    t = app.t
    keys = ("id", "name", "sex", "id_number", "phone", "household", "relation", "group",
            "village", "address", "responsible")
    columns = [Column(k, t("col_rowid" if k == "id" else f"col_{k}"),
                      "right" if k == "id" else "left", k in NO_WRAP) for k in keys]
    columns.insert(1, Column("uid", "uid"))
    table = TableData(title="", columns=columns, rows=[masked(r, mask) for r in rows])
    if not rows:
        table.notes.append(t("list_empty"))
    elif len(rows) < total:
        table.notes.append(t("list_shown", shown=len(rows), total=total))
    return table


def _human_table(app: AppContext, table: TableData) -> TableData:
    """The terminal drops the uid column: clerks name people by #number."""
    table.columns = [c for c in table.columns if c.key != "uid"]
    for row in table.rows:
        if row.get("sex"):
            row["sex"] = app.t(f"sex_{row['sex']}")
    return table


def person_json(person: dict[str, Any], members: list[dict[str, Any]], head: str | None,
                mask: bool) -> str:
    return to_json({"person": masked(person, mask), "household_head": head,
                    "responsible": person.get("responsible"),
                    "quarantine_breaches": person.get("breaches", []),
                    "household": [masked(m, mask) for m in members]})


def show_person(app: AppContext, person: dict[str, Any], members: list[dict[str, Any]],
                head: str | None, mask: bool) -> None:
    t = app.t
    shown = masked(person, mask)
    facts = TableData(title=t("show_person"), columns=[Column("k", ""), Column("v", "")], rows=[
        {"k": t("col_rowid"), "v": f"#{shown['id']}"},
        *({"k": t(f"col_{k}"), "v": _value(app, k, shown[k])}
          for k in ("name", "sex", "id_number", "phone", "household", "relation", "group",
                    "village", "address")),
        {"k": t("show_head"), "v": head or ""},
        {"k": t("show_responsible"), "v": person.get("responsible") or ""},
        *({"k": t("finding_quarantine-breach"),
           "v": f"{b['at'][:16]} {b['area']} {b['action'] or ''}"}
          for b in person.get("breaches", [])),
    ])
    console().print(table_rich(facts))
    if len(members) > 1:
        others = roster_table(app, members, len(members), mask)
        others.title = t("show_household")
        console().print(table_rich(_human_table(app, others)))
    elif not members:
        say(t("list_empty"))


def _value(app: AppContext, key: str, value: Any) -> str:
    if key == "sex" and value:
        return app.t(f"sex_{value}")
    return "" if value is None else str(value)


def terminal_roster(app: AppContext, table: TableData) -> TableData:
    return _human_table(app, table)
