"""Row-level security on a server: each village's role reads and writes its village's rows
only, an office's role every village's (epitool db grant; the roles are noted in the table
village_roles). Part of the migrations (m010), on PostgreSQL only."""

from __future__ import annotations

from typing import Any

# The role's village, or NULL for an office's role: one look-up per query (an InitPlan),
# not one per row. village_roles shows each role its own row only.
_ROLE_VILLAGE = "(SELECT r.village_code FROM village_roles r WHERE r.role_name = current_user)"
_ROLE_IS_OFFICE = ("(SELECT r.village_code IS NULL FROM village_roles r"
                   " WHERE r.role_name = current_user)")


def row_security(conn: Any) -> None:
    """Row-level security on every table with a village_code: a village's role reads and
    writes its village's rows only (a row of another village is invisible to it, and
    writing one is refused by the server), an office's role every row. The owner, who runs
    init and the migrations, is not limited (PostgreSQL exempts a table's owner)."""
    tables = [row[0] for row in conn.execute(
        "SELECT c.table_name FROM information_schema.columns c JOIN information_schema.tables"
        " t ON t.table_name = c.table_name AND t.table_schema = c.table_schema"
        " WHERE c.table_schema = current_schema() AND c.column_name = 'village_code'"
        " AND t.table_type = 'BASE TABLE' AND c.table_name != 'village_roles'"
        " ORDER BY 1")]
    for table in tables:  # names from the catalogue
        conn.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        conn.execute(f"CREATE POLICY office_rows ON {table} USING ({_ROLE_IS_OFFICE} IS TRUE)")
        conn.execute(f"CREATE POLICY village_rows ON {table}"
                     f" USING (village_code = {_ROLE_VILLAGE})")
    conn.execute("ALTER TABLE village_roles ENABLE ROW LEVEL SECURITY")
    conn.execute("CREATE POLICY own_role ON village_roles USING (role_name = current_user)")
    # a name's initials (for search) are seen where a resident of that name is
    conn.execute("CREATE INDEX residents_name ON residents (name)")
    conn.execute("ALTER TABLE name_initials ENABLE ROW LEVEL SECURITY")
    conn.execute("CREATE POLICY names_seen ON name_initials FOR SELECT USING (EXISTS"
                 " (SELECT 1 FROM residents r WHERE r.name = name_initials.name))")
    conn.execute("CREATE POLICY names_added ON name_initials FOR INSERT WITH CHECK (true)")


# What a role may do to the tables at all; its rows are then limited by row_security. The
# schema's own records it may read only.
_READ_ONLY_TABLES = ("epitool_schema", "village_roles")


def grant(conn: Any, role: str, village_code: str | None) -> bool:
    """Create the role (LOGIN, no password yet) unless it exists, give it the tables and
    note its village (None: an office's role). Returns whether the role was created.
    `role` is checked by the caller to be a plain name (ROLE_NAME)."""
    created = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = ?",
                           (role,)).fetchone() is None
    if created:
        conn.execute(f'CREATE ROLE "{role}" LOGIN')
    conn.execute(f'GRANT USAGE ON SCHEMA {_schema(conn)} TO "{role}"')
    tables = [row[0] for row in conn.execute(
        "SELECT table_name FROM information_schema.tables"
        " WHERE table_schema = current_schema()")]
    for table in tables:
        rights = "SELECT" if table in _READ_ONLY_TABLES else "SELECT, INSERT, UPDATE, DELETE"
        conn.execute(f'GRANT {rights} ON {table} TO "{role}"')
    conn.execute(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA {_schema(conn)} TO "{role}"')
    return created


def _schema(conn: Any) -> str:
    return str(conn.execute("SELECT current_schema()").fetchone()[0])


def regrant(conn: Any) -> None:
    """After a migration, the roles given the tables before get the new ones too."""
    if conn.execute("SELECT to_regclass('village_roles')").fetchone()[0] is None:
        return
    for role, village in conn.execute("SELECT role_name, village_code FROM village_roles"
                                      ).fetchall():
        grant(conn, role, village)
