"""SQLite's SQL as PostgreSQL's: the store's SQL is written once, for SQLite, in the
portable subset of it, and the few differences are carried over here, statement by
statement (cached), for store.server's connections:

- placeholders (`?`, `?1`, `:name`) become psycopg's, bound client-side, so that a value is a
  literal as it is to SQLite (a text '5' compared with a number column is fine);
- a few SQLite functions are rewritten call by call (max(a, b) -> greatest, group_concat ->
  string_agg, iif -> CASE, json_each -> json_array_elements_text, LIKE -> ILIKE, as SQLite's
  LIKE ignores the case of Latin letters); date(d, '+N days') and julianday() are defined
  as SQL functions by the schema's prelude (PRELUDE);
- an attached bundle's tables (bundle.TABLE) are the session's temporary tables;
- DDL: `INTEGER PRIMARY KEY` is an identity column, integers 8 bytes, REAL double precision,
  views run with the rights of who reads them (so that row-level security holds through
  them).

Text in quotes is never rewritten.
"""

from __future__ import annotations

import re
from functools import lru_cache

_TOKENS = re.compile(
    r"""(?P<string>'(?:[^']|'')*')|(?P<ident>"[^"]*")|(?P<numbered>\?\d+)|(?P<qmark>\?)"""
    r"""|(?P<named>(?<!:):[A-Za-z_]\w*)|(?P<percent>%)|(?P<like>\bLIKE\b(?=\s*[?'\x00]))""")
_OWN_ROW_ID = re.compile(r"\(SELECT coalesce\(max\(id\), 0\) \+ 1 FROM \w+ WHERE id < \d+\)")
_ID_LIST = re.compile(r"IN \(SELECT CAST\(value AS INTEGER\) FROM json_each\(([^()]+)\)\)")
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
    # an office's own row numbers (store.sql.OWN_ROW_ID): the identity column's, which stay
    # below the villages' ranges, and which concurrent writers cannot take twice
    sql = _OWN_ROW_ID.sub("DEFAULT", sql)
    # a list of row ids: an array the planner looks up by index, where a set-returning
    # function's rows it cannot count would have it scan whole tables
    sql = _ID_LIST.sub(r"= ANY(CAST(translate(\1, '[]', '{}') AS BIGINT[]))", sql)
    sql = _rewrite_calls(sql, literals)
    sql = sql.replace("lower(hex(randomblob(16)))", "replace(gen_random_uuid()::text, '-', '')")
    sql = re.sub(r"\bvalue ->> (\d+)", r"(value::json ->> \1)", sql)
    sql = re.sub(r"\bchar\(", "chr(", sql)
    sql = re.sub(r"\bAS INTEGER\)", "AS BIGINT)", sql)  # SQLite's integers are 8 bytes
    # SQLite's "a IS ?" compares NULLs as equal: PostgreSQL spells it out
    sql = re.sub(r"\bIS NOT (?=\?|:\w)", "IS DISTINCT FROM ", sql)
    sql = re.sub(r"\bIS (?=\?|:\w)", "IS NOT DISTINCT FROM ", sql)
    sql = re.sub(r"\bunicode\(", "ascii(", sql)
    sql = re.sub(r"\bjson_group_array\(", "json_agg(", sql)
    sql = re.sub(r"\bjson_object\(", "json_build_object(", sql)
    sql = re.sub(r"\bIS NOT (?=[a-z_]+\.[a-z_]+)", "IS DISTINCT FROM ", sql)
    # a bundle's tables (store.bundle: attached to SQLite) are the session's temporary tables
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
    statement = re.sub(r"\bINTEGER\b", "BIGINT", statement)  # SQLite's are 8 bytes
    statement = re.sub(r"\)\s*WITHOUT ROWID", ")", statement)
    statement = re.sub(r"\bCREATE VIEW (\w+) AS\b",
                       r"CREATE VIEW \1 WITH (security_invoker = true) AS", statement)
    return statement


# SQLite's date arithmetic as PostgreSQL functions, for the views and queries that use it:
# date('2020-02-01', '+13 days') and julianday(d); text in, text out, as SQLite stores dates.
# The modifiers the store writes are '+N days' and '-N day(s)': their first word is the number.
# Made again (CREATE OR REPLACE) whenever the schema is migrated: a change here comes with a
# migration, so that databases made before get it.
PRELUDE = """
CREATE TABLE IF NOT EXISTS epitool_schema (version INTEGER NOT NULL);
CREATE OR REPLACE FUNCTION date(day TEXT, modifier TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
    to_char(CAST(day AS DATE) + CAST(split_part(modifier, ' ', 1) AS INTEGER), 'YYYY-MM-DD');
CREATE OR REPLACE FUNCTION date(day TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN to_char(CAST(day AS DATE), 'YYYY-MM-DD');
CREATE OR REPLACE FUNCTION julianday(day TEXT) RETURNS DOUBLE PRECISION
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN
    extract(epoch FROM CAST(day AS TIMESTAMP)) / 86400.0 + 2440587.5;
"""
