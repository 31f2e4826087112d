"""SQL said once and used by many queries: what a visit that saw the person is, a condition
as a number, names as people read them in an office, WHERE clauses of optional filters, and
the row numbers an office keeps for itself."""

from __future__ import annotations

from typing import Any

# A visit that saw the person: the first two of core.rules.OUTCOMES, said once for the SQL
SEEN = "outcome IN ('seen-ok', 'seen-not-ok')"
# An office keeps each registered village's rows from this times the village's number on
# (store.bundle); a database's own rows in tables villages' rows also go to (the audit
# trail, reports as sent) are numbered below it.
OFFSET = 100_000_000
# (a server numbers them with the table's identity column instead: store.dialect)
OWN_ROW_ID = f"(SELECT coalesce(max(id), 0) + 1 FROM {{table}} WHERE id < {OFFSET})"


def flag(condition: str) -> str:
    """A condition as the number 1 or 0: what SQLite makes of any comparison, and what a
    server needs said (its conditions are true or false, not numbers to add up)."""
    return f"(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def shown_group(alias: str) -> str:
    """SQL for a resident's group as people read it: in an office, which holds many
    villages' rosters, with the village's name (东村 一组); in a village, the group alone
    (no village is registered there)."""
    return (f"CASE WHEN {alias}.group_name IS NULL THEN NULL ELSE {_village_prefix(alias)}"
            f" || {alias}.group_name END")


def shown_name(alias: str) -> str:
    """SQL for a place's name (a checkpoint, a site, an enterprise) as people read it: in an
    office, with its village's (东村 村口), so that two villages' 村口 stay two."""
    return f"{_village_prefix(alias)} || {alias}.name"


def _village_prefix(alias: str) -> str:
    return (f"coalesce((SELECT o.name || ' ' FROM office_villages o"
            f" WHERE o.village_code = {alias}.village_code), '')")


def where(*filters: tuple[str, list[Any]] | None) -> tuple[str, list[Any]]:
    """A WHERE clause of the filters given ((sql, params), None for a filter not asked
    for), ANDed, with their parameters in order; "" when none is given."""
    given = [f for f in filters if f is not None]
    if not given:
        return "", []
    return (" WHERE " + " AND ".join(sql for sql, _ in given),
            [param for _, params in given for param in params])
