"""Every test runs in its own temporary home and working directory with a fresh database,
and none of the user's EPITOOL_* settings."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from epitool.cli.app import app
from tests import pg

# No wall-clock deadline per example: a cold first example (tables built, zones loaded) on a
# busy CI machine is not a failure. Speed is measured in bench/, not in tests.
# CI tries more examples than a quick local run (--run-slow too).
settings.register_profile("epitool", deadline=None, max_examples=40)
settings.register_profile("epitool-ci", deadline=None, max_examples=150)
settings.load_profile("epitool-ci" if os.environ.get("CI") == "true" else "epitool")

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
HEADER_ZH = ["姓名", "性别", "身份证号", "联系电话", "户号", "与户主关系", "村组", "住址"]

# Valid GB 11643 numbers (check digits computed), for readable tests.
ID_M = "11010519491231002X"  # the standard's own example
ID_A = "410171199001011234"  # filled in below with its check digit
ID_A = ID_A[:17] + __import__("stdnum.cn.ric", fromlist=["x"]).calc_check_digit(ID_A)


def valid_id(body17: str) -> str:
    from stdnum.cn.ric import calc_check_digit

    return body17 + calc_check_digit(body17 + "0")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--run-slow", action="store_true",
                     help="also run the slow OS-level tests (kills, locks); CI always does")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Slow OS-level tests run in CI (CI=true, as .ci/run has it) or with --run-slow."""
    if os.environ.get("CI") == "true" or config.getoption("--run-slow"):
        return
    skip = pytest.mark.skip(reason="slow: run with --run-slow (CI runs it)")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for key in list(os.environ):
        if key.startswith("EPITOOL_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test marked both_engines runs once on a database file and once on PostgreSQL. The
    second starts a server (OS-level, like the other slow tests): CI runs it, a quick local
    run may leave it out."""
    if (metafunc.definition.get_closest_marker("both_engines")
            and "db_path" in metafunc.fixturenames):
        metafunc.parametrize("engine", ["sqlite", pytest.param("postgresql",
                                                               marks=pytest.mark.slow)],
                             indirect=True)


# read before each test's environment is emptied of EPITOOL_* (isolated)
DEFAULT_ENGINE = os.environ.get("EPITOOL_TEST_ENGINE", "sqlite")


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """sqlite, unless the test runs on both; EPITOOL_TEST_ENGINE=postgresql runs every test
    that can on a server (to look for what a server does differently)."""
    return str(getattr(request, "param", DEFAULT_ENGINE))


@pytest.fixture(scope="session")
def pg_server() -> Any:
    """The throwaway PostgreSQL server (tests/pg.py). In CI a missing server fails the run:
    the PostgreSQL tests must not pass by being skipped."""
    try:
        import psycopg  # noqa: F401

        with pg.cluster() as url:
            yield url
    except (ImportError, RuntimeError, OSError, subprocess.CalledProcessError) as exc:
        detail = f"{pg.HOW_TO_GET} ({exc})"
        if os.environ.get("CI") == "true":
            pytest.fail(detail)
        pytest.skip(detail)


@pytest.fixture
def db_path(tmp_path: Path, engine: str, request: pytest.FixtureRequest) -> Any:
    """The test's database: a file, or (engine postgresql) a new database on the server."""
    if engine == "sqlite":
        return tmp_path / "test.db"
    from epitool.store.server import ServerLocation

    server = request.getfixturevalue("pg_server")
    url = pg.new_database(server)
    request.addfinalizer(lambda: pg.drop_database(server, url))
    return ServerLocation(url)


class Run:
    """epitool through Typer's CliRunner against the test's database."""

    def __init__(self, db: Path) -> None:
        self.db = db
        self.runner = CliRunner()

    def __call__(self, *args: str, lang: str = "en", input: str | None = None) -> Any:
        return self.runner.invoke(app, ["--db", str(self.db), "--lang", lang, *args],
                                  input=input, catch_exceptions=False, prog_name="epitool")

    def sql(self, query: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Rows of the test's database as stored, on either engine (SQL as SQLite has it)."""
        from epitool.store.db import open_database

        with open_database(self.db, create=False) as db:
            return [tuple(row) for row in db.conn.execute(query, params).fetchall()]

    def json(self, *args: str) -> Any:
        result = self(*args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)


@pytest.fixture
def run(db_path: Path) -> Run:
    return Run(db_path)


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = HEADER_ZH,
              encoding: str = "utf-8", before: Sequence[Sequence[str]] = ()) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(before)
    writer.writerow(header)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    def make(rows: Sequence[Sequence[str]], name: str = "roster.csv", **kw: Any) -> Path:
        return write_csv(tmp_path / name, rows, **kw)

    return make


def person(name: str, id_number: str, *, sex: str = "", phone: str = "13800001234",
           household: str = "H1", relation: str = "户主", group: str = "一组",
           address: str = "一组 1 号") -> list[str]:
    return [name, sex, id_number, phone, household, relation, group, address]


def edited_workbook(source: Path, target: Path, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of an .xlsx with its first sheet's XML changed by edit(): the files other
    programs write, wrongly or on purpose."""
    import zipfile

    with zipfile.ZipFile(source) as read, zipfile.ZipFile(target, "w") as write:
        for item in read.infolist():
            data = read.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data)
            write.writestr(item, data)
    return target


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many tests ran on PostgreSQL: CI shows that they did (and fails if the server
    could not be had, pg_server)."""
    passed = terminalreporter.stats.get("passed", [])
    on_server = [r for r in passed if "[postgresql" in r.nodeid or "test_postgres" in r.nodeid]
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if "[postgresql" in r.nodeid or "test_postgres" in r.nodeid]
    terminalreporter.write_line(f"PostgreSQL tests (both_engines' server half, test_postgres):"
                                f" {len(on_server)} passed, {len(skipped)} skipped")
