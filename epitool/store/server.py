"""PostgreSQL: the same store, on a database server (an office or a city that outgrows a file).

The store's SQL is written once, for SQLite, in the portable subset of it; this module is the
one place that knows PostgreSQL and carries the few differences over:

- placeholders (`?`, `?1`, `:name`) become psycopg's, bound client-side, so that a value is a
  literal as it is to SQLite (a text '5' compared with a number column is fine);
- a few SQLite functions are rewritten call by call (max(a, b) -> greatest, group_concat ->
  string_agg, iif -> CASE, json_each -> json_array_elements_text, LIKE -> ILIKE, as SQLite's
  LIKE ignores the case of Latin letters); date(d, '+N days') and julianday() are defined
  as SQL functions by the schema's prelude (PRELUDE);
- DDL: `INTEGER PRIMARY KEY` is an identity column, REAL double precision, views run with
  the rights of who reads them (so that row-level security holds through them).

psycopg is imported only here, and only when a postgresql:// URL is given.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from epitool.errors import DatabaseError

SCHEMES = ("postgresql://", "postgres://")


def is_server_url(text: str) -> bool:
    return text.startswith(SCHEMES)


class ServerLocation:
    """Where a PostgreSQL database is: its URL. Stands where a database file's Path does;
    files made beside the database (backups, conflict lists) go to the working directory."""

    def __init__(self, url: str) -> None:
        self.url = url
        parts = urlsplit(url)
        self.name = self.stem = (parts.path.lstrip("/") or "postgres")
        self.parent = Path.cwd()

    def exists(self) -> bool:
        """Whether the database holds epitool's tables (as a file does once made): what
        `init` creates on a server, where the database itself is made by its administrator."""
        conn = connect(self)
        try:
            return schema_version(conn) > 0
        finally:
            conn.close()

    def is_dir(self) -> bool:
        return False

    def is_file(self) -> bool:
        return False  # no second process for a report: the server works in parallel itself

    def resolve(self) -> ServerLocation:
        return self

    def with_name(self, name: str) -> Path:
        return self.parent / name

    def __str__(self) -> str:
        """The URL without its password: it is shown in messages and written to crontabs."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))

    def __fspath__(self) -> str:
        return self.url


def connect(location: ServerLocation, *, read_only: bool = False) -> PgConnection:
    try:
        import psycopg
    except ImportError:
        raise DatabaseError("pg_driver_missing", path=str(location)) from None
    try:
        raw = psycopg.connect(location.url, autocommit=True, cursor_factory=psycopg.ClientCursor,
                              connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise DatabaseError("pg_unreachable", path=str(location),
                            reason=str(exc).strip().splitlines()[0]) from None
    if read_only:
        raw.execute("SET default_transaction_read_only = on")
    return PgConnection(raw)


class PgConnection:
    """The part of sqlite3.Connection the store uses, over a psycopg connection in autocommit
    mode: transactions are the store's own BEGIN and COMMIT, as with SQLite."""

    engine = "postgresql"

    def __init__(self, raw: Any) -> None:
        import psycopg

        self.raw = raw
        self.changes = 0
        self.refused = psycopg.errors.InsufficientPrivilege
        self.broken = psycopg.errors.ForeignKeyViolation
        self.lost = psycopg.OperationalError

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> Any:
        text, style = translate(sql)
        cursor = self.raw.cursor()
        with self._said():
            cursor.execute(text, _bind(style, params) if params or style != "none" else None)
        if cursor.rowcount > 0 and text.lstrip()[:6].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.changes += cursor.rowcount
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any] | dict[str, Any]]) -> Any:
        text, style = translate(sql)
        cursor = self.raw.cursor()
        with self._said():
            cursor.executemany(text, [_bind(style, row) for row in rows])
        self.changes += max(cursor.rowcount, 0)
        return cursor

    @contextmanager
    def _said(self) -> Iterator[None]:
        """What the server refuses (a row of another village, a table not granted) or a
        connection lost, in words; anything else is a fault of ours and shows as one."""
        try:
            yield
        except self.broken as exc:
            raise DatabaseError("pg_integrity", path=self.where,
                                reason=str(exc).strip().splitlines()[0]) from None
        except self.refused as exc:
            raise DatabaseError("pg_refused", path=self.where,
                                reason=str(exc).strip().splitlines()[0]) from None
        except self.lost as exc:
            raise DatabaseError("pg_unreachable", path=self.where,
                                reason=str(exc).strip().splitlines()[0]) from None

    @property
    def where(self) -> str:
        info = self.raw.info
        return f"postgresql://{info.user}@{info.host}:{info.port}/{info.dbname}"

    @property
    def total_changes(self) -> int:
        return self.changes

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return bool(self.raw.info.transaction_status != TransactionStatus.IDLE)

    def copy_rows(self, table: str, columns: Sequence[str],
                  rows: Iterable[Sequence[Any]]) -> int:
        """PostgreSQL's own fast path for a bulk load: COPY ... FROM STDIN."""
        count = 0
        # bundle.TABLE is a temporary table, some column names need quotes (translate)
        statement = translate(f"COPY {table} ({', '.join(columns)}) FROM STDIN")[0]
        with self._said(), self.raw.cursor().copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        self.changes += count
        return count

    def close(self) -> None:
        self.raw.close()


def _bind(style: str, params: Sequence[Any] | dict[str, Any]) -> Any:
    if style == "numbered":
        return {f"p{i}": value for i, value in enumerate(params, 1)}
    return params


_TOKENS = re.compile(
    r"""(?P<string>'(?:[^']|'')*')|(?P<ident>"[^"]*")|(?P<numbered>\?\d+)|(?P<qmark>\?)"""
    r"""|(?P<named>(?<!:):[A-Za-z_]\w*)|(?P<percent>%)|(?P<like>\bLIKE\b(?=\s*[?'\x00]))""")
_OWN_ROW_ID = re.compile(r"\(SELECT coalesce\(max\(id\), 0\) \+ 1 FROM \w+ WHERE id < \d+\)")
_STRING = re.compile(r"'(?:[^']|'')*'")
_LITERAL = re.compile(r"\x00(\d+)\x00")
# column names that are words of PostgreSQL's grammar (name_initials.full)
_RESERVED = re.compile(r"\b(full)\b")
_CALL = re.compile(r"\b(max|min|group_concat|iif|json_each|printf)\s*\(", re.IGNORECASE)
_HEX_FORMAT = re.compile(r"^'%0(\d+)x'$")


@lru_cache(maxsize=1024)
def translate(sql: str) -> tuple[str, str]:
    """SQLite's SQL as PostgreSQL's, and how its parameters are bound: "none", "qmark"
    (a sequence), "numbered" (?1.. as a dict), or "named" (:name, a dict). Text in quotes
    is set aside first, so that only the SQL around it is rewritten."""
    literals: list[str] = []

    def set_aside(found: re.Match[str]) -> str:
        literals.append(found.group())
        return f"\x00{len(literals) - 1}\x00"

    sql = _STRING.sub(set_aside, sql)
    # an office's own row numbers (store.db.OWN_ROW_ID): the identity column's, which stay
    # below the villages' ranges, and which concurrent writers cannot take twice
    sql = _OWN_ROW_ID.sub("DEFAULT", sql)
    sql = _rewrite_calls(sql, literals)
    sql = sql.replace("lower(hex(randomblob(16)))", "replace(gen_random_uuid()::text, '-', '')")
    sql = re.sub(r"\bvalue ->> (\d+)", r"(value::json ->> \1)", sql)
    sql = re.sub(r"\bchar\(", "chr(", sql)
    # SQLite's "a IS ?" compares NULLs as equal: PostgreSQL spells it out
    sql = re.sub(r"\bIS NOT (?=\?|:\w)", "IS DISTINCT FROM ", sql)
    sql = re.sub(r"\bIS (?=\?|:\w)", "IS NOT DISTINCT FROM ", sql)
    sql = re.sub(r"\bunicode\(", "ascii(", sql)
    sql = re.sub(r"\bjson_group_array\(", "json_agg(", sql)
    sql = re.sub(r"\bjson_object\(", "json_build_object(", sql)
    sql = re.sub(r"\bIS NOT (?=[a-z_]+\.[a-z_]+)", "IS DISTINCT FROM ", sql)
    # an attached bundle (store.bundle.attach) is the session's temporary tables there
    sql = re.sub(r"\bbundle\.(\w+)", r"pg_temp.bundle_\1", sql)
    sql = re.sub(r"\bmain\.(?=\w)", "", sql)
    # CROSS JOIN ... ON: SQLite's way to fix the order of a join; an inner join to a server
    sql = re.sub(r"\bCROSS JOIN (\w+ \w+) ON\b", r"JOIN \1 ON", sql)
    ignore = re.match(r"\s*INSERT OR IGNORE INTO", sql, re.IGNORECASE)
    if ignore:
        sql = "INSERT INTO" + sql[ignore.end():] + " ON CONFLICT DO NOTHING"
    style = "none"
    out: list[str] = []
    last = 0
    for token in _TOKENS.finditer(sql):
        out.append(_RESERVED.sub(r'"\1"', sql[last:token.start()]))
        last = token.end()
        kind, text = token.lastgroup, token.group()
        if kind == "string":
            out.append(text.replace("%", "%%"))
        elif kind == "ident":
            out.append(text)
        elif kind == "numbered":
            style = "numbered"
            out.append(f"%(p{text[1:]})s")
        elif kind == "qmark":
            style = "qmark"
            out.append("%s")
        elif kind == "named":
            style = "named"
            out.append(f"%({text[1:]})s")
        elif kind == "percent":
            out.append("%%")
        else:
            out.append("ILIKE")
    out.append(_RESERVED.sub(r'"\1"', sql[last:]))
    return _LITERAL.sub(lambda m: literals[int(m.group(1))].replace("%", "%%"),
                        "".join(out)), style


def _rewrite_calls(sql: str, literals: list[str]) -> str:
    """The calls SQLite and PostgreSQL spell differently, innermost first. `literals`: the
    text in quotes set aside (translate), a printf's format among them."""
    start = 0
    while True:
        found = _CALL.search(sql, start)
        if found is None:
            return sql
        args, end = _arguments(sql, found.end())
        args = [_rewrite_calls(a, literals) for a in args]
        name = found.group(1).lower()
        if name in ("max", "min") and len(args) > 1:
            call = f"{'greatest' if name == 'max' else 'least'}({', '.join(args)})"
        elif name == "group_concat":
            sep = args[1] if len(args) > 1 else "','"
            call = f"string_agg(CAST({args[0]} AS TEXT), {sep})"
        elif name == "iif":
            call = f"(CASE WHEN {args[0]} THEN {args[1]} ELSE {args[2]} END)"
        elif name == "json_each":
            call = f"json_array_elements_text({args[0]})"
        elif name == "printf" and (hex_format := _HEX_FORMAT.match(
                _LITERAL.sub(lambda m: literals[int(m.group(1))], args[0]))):
            call = f"lpad(to_hex({args[1]}), {hex_format.group(1)}, '0')"  # a uid's hex
        else:
            call = f"{found.group(1)}({', '.join(args)})"
        sql = sql[:found.start()] + call + sql[end:]
        start = found.start() + len(call)


def _arguments(sql: str, at: int) -> tuple[list[str], int]:
    """The comma-separated arguments of a call whose "(" ends just before `at`, and the
    index after its ")"; strings and nested brackets kept whole."""
    depth, args, current, i = 0, [], [], at
    while i < len(sql):
        char = sql[i]
        if char == "'":
            close = sql.index("'", i + 1)
            while close + 1 < len(sql) and sql[close + 1] == "'":
                close = sql.index("'", close + 2)
            current.append(sql[i:close + 1])
            i = close + 1
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                args.append("".join(current).strip())
                return [a for a in args if a], i + 1
            depth -= 1
        elif char == "," and depth == 0:
            args.append("".join(current).strip())
            current = []
            i += 1
            continue
        current.append(char)
        i += 1
    raise ValueError(f"unbalanced brackets in SQL: {sql!r}")


def ddl(statement: str) -> str:
    """A migration's CREATE statement as PostgreSQL's."""
    statement = re.sub(r"\bINTEGER PRIMARY KEY\b",
                       "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", statement)
    statement = re.sub(r"\bREAL\b", "DOUBLE PRECISION", statement)
    statement = re.sub(r"\)\s*WITHOUT ROWID", ")", statement)
    statement = re.sub(r"\bCREATE VIEW (\w+) AS\b",
                       r"CREATE VIEW \1 WITH (security_invoker = true) AS", statement)
    return statement


# SQLite's date arithmetic as PostgreSQL functions, for the views and queries that use it:
# date('2020-02-01', '+13 days') and julianday(d); text in, text out, as SQLite stores dates.
PRELUDE = """
CREATE TABLE IF NOT EXISTS epitool_schema (version INTEGER NOT NULL);
CREATE OR REPLACE FUNCTION date(day TEXT, modifier TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
    to_char(CAST(day AS DATE) + CAST(regexp_replace(modifier, '[^0-9+-]', '', 'g') AS INTEGER),
            'YYYY-MM-DD');
CREATE OR REPLACE FUNCTION date(day TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN to_char(CAST(day AS DATE), 'YYYY-MM-DD');
CREATE OR REPLACE FUNCTION julianday(day TEXT) RETURNS DOUBLE PRECISION
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
    extract(epoch FROM CAST(day AS TIMESTAMP)) / 86400.0 + 2440587.5;
"""


def schema_version(conn: PgConnection) -> int:
    if conn.execute("SELECT to_regclass('epitool_schema')").fetchone()[0] is None:
        return 0
    row = conn.execute("SELECT max(version) FROM epitool_schema").fetchone()
    return int(row[0] or 0)


def set_schema_version(conn: PgConnection, number: int) -> None:
    conn.execute("DELETE FROM epitool_schema")
    conn.execute("INSERT INTO epitool_schema (version) VALUES (?)", (number,))


def run_prelude(conn: PgConnection) -> None:
    for statement in PRELUDE.split(";\n"):
        if statement.strip():
            conn.raw.execute(statement)


# The lock every writing command of a database takes for its transaction (serialise_writers)
WRITER_LOCK = 7261


def serialise_writers(conn: PgConnection, busy_ms: int,
                      on_wait: Callable[[], None] | None) -> None:
    """One writing command at a time, as SQLite's BEGIN IMMEDIATE has it: the checks a
    command makes before it writes (is this person on the roster already?) then hold when
    it writes. Readers are never held up. Waits up to busy_ms for another writer, saying
    so (on_wait) after a second, then gives up as SQLite does: "busy, try again"."""
    import time

    started = time.monotonic()
    said = False
    while not conn.raw.execute("SELECT pg_try_advisory_xact_lock(%s)",
                               (WRITER_LOCK,)).fetchone()[0]:
        waited = (time.monotonic() - started) * 1000
        if waited >= busy_ms:
            raise DatabaseError("db_busy", path=conn.where)
        if waited >= 1000 and not said and on_wait is not None:
            on_wait()
            said = True
        time.sleep(0.02)


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
