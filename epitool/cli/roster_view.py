"""Residents as tables and JSON, masked unless revealed."""

from typing import Any

from epitool.cli.context import AppContext
from epitool.cli.output import say
from epitool.privacy import mask_id, mask_phone
from epitool.report.table import Column, TableData, to_json

NO_WRAP = ("id", "name", "id_number", "phone", "household")


def masked(row: dict[str, Any], mask: bool) -> dict[str, Any]:
    if not mask:
        return dict(row)
    return {**row, "id_number": mask_id(row["id_number"]), "phone": mask_phone(row["phone"])}


def roster_table(app_: AppContext, rows: list[dict[str, Any]], total: int,
                 mask: bool) -> TableData:
    t = app_.t
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


SCREEN_ORDER = ("id", "name", "id_number", "phone", "group", "household", "relation", "sex",
                "responsible", "address", "village")


def _human_table(app_: AppContext, table: TableData) -> TableData:
    """The terminal drops the uid column (clerks name people by #number) and puts the
    columns a clerk needs first first: a narrow terminal keeps those."""
    by_key = {c.key: c for c in table.columns}
    table.columns = [by_key[k] for k in SCREEN_ORDER if k in by_key]
    for row in table.rows:
        if row.get("sex"):
            row["sex"] = app_.t(f"sex_{row['sex']}")
    return table


def person_json(person: dict[str, Any], members: list[dict[str, Any]], head: str | None,
                mask: bool) -> str:
    return to_json({"person": masked(person, mask), "household_head": head,
                    "responsible": person.get("responsible"),
                    "quarantine_breaches": person.get("breaches", []),
                    "household": [masked(m, mask) for m in members]})


def show_person(app_: AppContext, person: dict[str, Any], members: list[dict[str, Any]],
                head: str | None, mask: bool) -> None:
    from epitool.cli.plain import aligned

    t = app_.t
    shown = masked(person, mask)
    aligned(t("show_person"), [
        (t("col_rowid"), f"#{shown['id']}"),
        *((t(f"col_{k}"), _value(app_, k, shown[k]))
          for k in ("name", "sex", "id_number", "phone", "household", "relation", "group",
                    "village", "address")),
        (t("show_head"), head or ""),
        (t("show_responsible"), person.get("responsible") or ""),
        *((t("finding_quarantine-breach"), f"{b['at'][:16]} {b['area']} {b['action'] or ''}")
          for b in person.get("breaches", [])),
    ])
    if len(members) > 1:
        aligned(t("show_household"), [
            (f"#{m['id']}", m["name"], m["relation"] or "", m["id_number"], m["phone"])
            for m in (masked(m, mask) for m in members)])
    elif not members:
        say(t("list_empty"))


def _value(app_: AppContext, key: str, value: Any) -> str:
    if key == "sex" and value:
        return app_.t(f"sex_{value}")
    return "" if value is None else str(value)


def terminal_roster(app_: AppContext, table: TableData) -> TableData:
    return _human_table(app_, table)
