"""One set of output options on every listing, found by walking the real command tree: an
unknown --format is a usage error (exit 2, nothing written) and --format xlsx writes a real
workbook whose cells are text where they hold IDs, never formulas."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from openpyxl import load_workbook

from epitool.cli.app import app
from tests.conftest import Run


def _format_options() -> dict[str, str]:
    """'group command' -> the help of its --format option, for every command that has one."""
    root = typer.main.get_command(app)
    context = typer.Context(root)
    found: dict[str, str] = {}

    def walk(command: object, path: list[str]) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(context):  # type: ignore[attr-defined]
                walk(command.get_command(context, name), [*path, name])  # type: ignore[attr-defined]
            return
        for param in command.params:  # type: ignore[attr-defined]
            if "--format" in getattr(param, "opts", ()):
                found[" ".join(path)] = param.help or ""

    walk(root, [])
    return found


FORMATS = _format_options()
LISTINGS = sorted(name for name, help_ in FORMATS.items() if "xlsx" in help_)
# What a listing needs besides the demo's records
ARGS = {"pass verify": ["X"], "visit log": ["#1"], "checkpoint log": ["北路口卡点", "-n", "x"],
        "roster show": ["#1"], "roster import": ["x.csv"], "visit import": ["x.csv"],
        "checkpoint import": ["x.csv"]}


def test_the_walk_finds_the_listings() -> None:
    assert {"roster list", "staff list", "quarantine list", "visit list", "site list",
            "disinfect list", "checkpoint list", "checkpoint summary", "duty list",
            "duty gaps", "enterprise list", "pass list", "patrol list", "need list",
            "report daily", "report trend", "remind", "audit"} <= set(LISTINGS)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = Run(db)("demo")
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("command", sorted(FORMATS))
def test_an_unknown_format_is_a_usage_error(command: str, tmp_path: Path) -> None:
    run = Run(tmp_path / "t.db")
    result = run(*command.split(), *ARGS.get(command, []), "--format", "xml")
    assert result.exit_code == 2, result.output
    assert "xml" in result.output
    assert not (tmp_path / "t.db").exists()  # nothing written


# an office's listings: their workbooks are checked on an office's database (test_bundle)
OFFICE_ONLY = {"bundle list", "bundle conflicts"}


@pytest.mark.parametrize("command", [c for c in LISTINGS if c not in OFFICE_ONLY])
def test_every_listing_writes_a_real_workbook(command: str, demo_db: Path,
                                              tmp_path: Path) -> None:
    target = tmp_path / "out.xlsx"
    result = Run(demo_db)(*command.split(), "--format", "xlsx", "--output", str(target))
    assert result.exit_code == 0, result.output
    book = load_workbook(target)
    sheet = book.worksheets[0]
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header and all(header), header
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"  # never a formula
            if cell.value is not None and header[cell.column - 1] in ("ID number", "Phone"):
                assert cell.data_type == "s"


def test_roster_workbook_keeps_ids_as_text(demo_db: Path, tmp_path: Path) -> None:
    target = tmp_path / "roster.xlsx"
    Run(demo_db)("roster", "list", "--reveal", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target).worksheets[0]
    header = [c.value for c in sheet[1]]
    ids = [row[header.index("ID number")].value for row in sheet.iter_rows(min_row=2)]
    assert ids and all(isinstance(i, str) and len(i) in (15, 18) for i in ids if i)


def test_version(run: Run) -> None:
    from epitool import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"epitool {__version__}"


@pytest.mark.parametrize("command", [
    ["roster", "list"], ["roster", "show", "#1"], ["quarantine", "list"],
    ["report", "daily"], ["audit"]])
def test_every_reveal_is_audited_with_how_many(command: list[str], demo_db: Path,
                                               tmp_path: Path) -> None:
    import json
    import shutil
    import sqlite3

    db = tmp_path / "copy.db"
    shutil.copy(demo_db, db)
    result = Run(db)(*command, "--reveal")
    assert result.exit_code == 0, result.output
    with sqlite3.connect(db) as conn:
        detail = conn.execute("SELECT detail FROM audit WHERE action = 'reveal'"
                              " ORDER BY id DESC").fetchone()
    assert detail is not None
    assert json.loads(detail[0])["rows"] >= 1


@pytest.mark.skipif(__import__("shutil").which("script") is None, reason="no script(1)")
def test_a_file_written_is_named_at_a_terminal(tmp_path: Path) -> None:
    """At a terminal (script(1) gives one) the clerk is told where the file went; a cron
    job (no terminal) is told nothing, so cron mails nothing."""
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(repo), "EPITOOL_LANG": "en"}
    command = (f"{sys.executable} -m epitool --db {tmp_path / 'x.db'} report daily "
               f"--format xlsx -o {tmp_path / '日报.xlsx'}")
    subprocess.run(f"{sys.executable} -m epitool --db {tmp_path / 'x.db'} init", shell=True,
                   env=env, capture_output=True, check=True)
    shown = subprocess.run(["script", "-qec", command, "/dev/null"], env=env,
                           capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0 and "Written:" in shown.stdout and "日报.xlsx" in shown.stdout
    quiet = subprocess.run(command.replace("日报", "cron"), shell=True, env=env,
                           capture_output=True, text=True, timeout=60)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


@pytest.mark.skipif(__import__("shutil").which("script") is None, reason="no script(1)")
def test_narrow_terminal_shows_whole_columns_and_says_which_are_left_out(
        tmp_path: Path) -> None:
    """At 60 columns a list shows the columns that fit, whole (a masked number is never cut),
    and names the others; off a terminal nothing is wrapped at all."""
    import os
    import subprocess
    import sys

    repo = Path(__file__).resolve().parents[1]
    env = {**{k: v for k, v in os.environ.items() if k != "COLUMNS"},
           "PYTHONPATH": str(repo), "EPITOOL_LANG": "en"}
    base = f"{sys.executable} -m epitool --db {tmp_path / 'x.db'}"
    subprocess.run(f"{base} roster import {repo / 'samples' / 'roster_xizhuang.csv'}",
                   shell=True, env=env, capture_output=True, check=True)
    for person in ("#3", "#8", "#11"):
        subprocess.run(f"{base} quarantine start '{person}'", shell=True, env=env,
                       capture_output=True, check=True)
    narrow = subprocess.run(["script", "-qec", f"stty cols 60; {base} quarantine list",
                             "/dev/null"], env=env, capture_output=True, text=True, timeout=60)
    lines = narrow.stdout.splitlines()
    table = [line for line in lines if line.startswith("│")]
    assert len(table) == 3 and all(len(line) <= 60 for line in table)
    assert all("********" in line and line.count("│") >= 4 for line in table)
    assert any("410171********0834" in line for line in table)  # whole, not cut
    assert any("Not shown at this width:" in line for line in lines)
    wide = subprocess.run(["script", "-qec", f"stty cols 60; {base} quarantine list --wide",
                           "/dev/null"], env=env, capture_output=True, text=True, timeout=60)
    assert "Not shown" not in wide.stdout and "Status" in wide.stdout
    piped = subprocess.run(f"{base} roster list | cat", shell=True, env=env,
                           capture_output=True, text=True, timeout=60).stdout
    rows = [line for line in piped.splitlines() if line.startswith("│")]
    assert len(rows) == 22  # one line per resident: nothing wrapped off a terminal
