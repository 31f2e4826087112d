"""Short commands must not pay for heavy libraries (timing lives in bench/, not here)."""

from __future__ import annotations

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
