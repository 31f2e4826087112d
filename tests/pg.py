"""A throwaway PostgreSQL server for the tests: a cluster made with initdb in a temporary
directory, listening on 127.0.0.1 only (no socket elsewhere), stopped at the end.

EPITOOL_TEST_PG=postgresql://USER@127.0.0.1:PORT/postgres uses a server already running
instead (a superuser's URL: each test gets a database of its own, dropped after it).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

GIVEN = os.environ.get("EPITOOL_TEST_PG")  # read before the tests empty EPITOOL_*
# 15 or newer: views with security_invoker (row-level security through views)
BIN_DIRS = [Path("/usr/lib/postgresql") / v / "bin" for v in ("17", "16", "15")]
HOW_TO_GET = ("PostgreSQL tests need the server's programs (initdb, pg_ctl): install them"
              " (Debian: apt install postgresql) or set EPITOOL_TEST_PG to a superuser's URL"
              " on 127.0.0.1, and psycopg: pip install \".[test]\"")


def server_programs() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    return next((d for d in BIN_DIRS if (d / "initdb").exists()), None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _as_server_user(command: list[str]) -> list[str]:
    """initdb refuses to run as root: there, as the postgres user."""
    if os.geteuid() != 0:
        return command
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(command)]


@contextmanager
def cluster(durable: bool = False) -> Iterator[str]:
    """A superuser URL on a new cluster, removed afterwards. Tests run it without syncing
    to disk (fsync=off: a test's data is thrown away); a benchmark, durable, as a real
    server and as SQLite do."""
    if GIVEN:
        yield GIVEN
        return
    programs = server_programs()
    if programs is None:
        raise RuntimeError(HOW_TO_GET)
    home = Path(tempfile.mkdtemp(prefix="epitool-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    data, port = home / "data", _free_port()
    user = "postgres" if os.geteuid() == 0 else os.environ.get("USER", "postgres")
    subprocess.run(_as_server_user([str(programs / "initdb"), "-D", str(data), "-U", user,
                                    "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True)
    options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories="
               f"{home} -c fsync={'on' if durable else 'off'} -c max_connections=60")
    subprocess.run(_as_server_user([str(programs / "pg_ctl"), "-D", str(data), "-w", "-l",
                                    str(home / "log"), "-o", f"'{options}'", "start"]),
                   check=True, capture_output=True)
    try:
        yield f"postgresql://{user}@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_server_user([str(programs / "pg_ctl"), "-D", str(data), "-m",
                                        "immediate", "stop"]), capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


_numbers = itertools.count(1)


def new_database(server_url: str) -> str:
    """A fresh, empty database on the server; its URL."""
    import psycopg

    name = f"epitool_test_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(server_url: str, url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
