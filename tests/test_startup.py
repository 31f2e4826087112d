"""Short commands must not pay for heavy libraries (timing lives in bench/, not here)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

# The source tree under test, not whatever copy happens to be installed.
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

HEAVY = ("pandas", "openpyxl", "pypinyin", "numpy", "sqlite_utils", "yaml", "xlrd", "stdnum",
         "multiprocessing")


def imported_modules(args: list[str], cwd: Path) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "epitool", *args],
                            capture_output=True, text=True, cwd=cwd, timeout=60, env=ENV)
    names = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            names.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    return names


@pytest.mark.parametrize("args", [
    ["--help"], ["roster", "--help"], ["roster", "show", "#1"], ["roster", "list"],
    ["visit", "log", "#1", "--temp", "36.5", "--force"], ["quarantine", "list"],
    ["summary"], ["visit", "list"]])
def test_short_commands_import_nothing_heavy(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "s.db"
    subprocess.run([sys.executable, "-m", "epitool", "--db", str(db), "roster", "import",
                    str(REPO / "samples" / "roster_xizhuang.csv")], check=True,
                   capture_output=True, cwd=tmp_path, env=ENV)
    names = imported_modules(["--db", str(db), *args], tmp_path)
    assert "epitool" in names
    assert not names & set(HEAVY), names & set(HEAVY)


def test_collect_again_only_undoes_mains_pause() -> None:
    from epitool.cli import collect_again

    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    collect_again()  # a host running the app itself keeps its collector as it is
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        collect_again()
        assert gc.isenabled() and gc.get_freeze_count() > frozen
    finally:
        gc.enable()
        gc.unfreeze()


# The command runs with the collector on: only start-up is spared it (epitool.cli.main).
PROBE = """
import atexit, gc, sys
from epitool.cli import main
atexit.register(lambda: sys.stderr.write(f"collector on: {gc.isenabled()}\\n"))
sys.argv = ["epitool", *sys.argv[1:]]
main()
"""


@pytest.mark.parametrize("args", [["summary", "--format", "json"], ["--help"]])
def test_commands_run_with_the_collector_on(tmp_path: Path, args: list[str]) -> None:
    db = tmp_path / "s.db"
    subprocess.run([sys.executable, "-m", "epitool", "--db", str(db), "init"], check=True,
                   capture_output=True, cwd=tmp_path, env=ENV)
    result = subprocess.run([sys.executable, "-c", PROBE, "--db", str(db), *args],
                            capture_output=True, text=True, cwd=tmp_path, env=ENV, timeout=60)
    assert result.returncode == 0, result.stderr
    # --help ends before any command: nothing is made that needs collecting
    expected = "collector on: False" if args == ["--help"] else "collector on: True"
    assert result.stderr.strip().endswith(expected), result.stderr
