"""Every listing through the real CLI at 60, 80 and 120 columns (a terminal from script(1))
and piped: each cell a column shows holds its whole value (never blank, never cut), a date or
a short word is never split over two lines, and off a terminal nothing wraps at all.

The piped table is the reference: it is drawn unwrapped, so its cells are the values whole.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("script") is None, reason="no script(1)")]

LISTINGS = [["roster", "list"], ["staff", "list"], ["quarantine", "list"], ["visit", "list"],
            ["site", "list"], ["disinfect", "list"], ["checkpoint", "list"],
            ["checkpoint", "summary"], ["duty", "list"], ["duty", "gaps"],
            ["enterprise", "list"], ["pass", "list"], ["patrol", "list"], ["need", "list"],
            ["report", "daily"], ["report", "daily", "--by", "village"],
            ["remind", "--format", "table"],
            ["audit"]]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    folder = tmp_path_factory.mktemp("widths")
    env = {**{k: v for k, v in os.environ.items()
              if k != "COLUMNS" and not k.startswith("EPITOOL_")},
           "PYTHONPATH": str(REPO), "EPITOOL_LANG": "zh", "HOME": str(folder)}
    base = f"{sys.executable} -m epitool --db {folder / 'demo.db'}"
    subprocess.run(f"{base} demo", shell=True, env=env, capture_output=True, check=True)
    return base, env


def _rows(output: str) -> tuple[list[str], list[list[list[str]]]]:
    """(headers, rows) of the first table: each row a list of its lines, each line a list
    of cells."""
    lines = [ANSI.sub("", line).rstrip("\r") for line in output.splitlines()]
    start = next(at for at, line in enumerate(lines) if line.startswith("┃"))
    end = next(at for at, line in enumerate(lines) if line.startswith("└"))
    header = lines[start]
    lines = lines[start:end]
    headers = [cell.strip() for cell in header.strip("┃").split("┃")]
    rows: list[list[list[str]]] = []
    for line in lines:
        if not line.startswith("│"):
            continue
        cells = [cell.strip() for cell in line[1:-1].split("│")]
        if cells[0] or not rows:  # a new row; a blank first cell continues the one above
            rows.append([])
        rows[-1].append(cells)
    return headers, rows


def _joined(row: list[list[str]], at: int) -> str:
    return "".join(line[at] for line in row)


def _terminal(base: str, env: dict[str, str], args: list[str], width: int) -> str:
    command = f"stty cols {width}; {base} {' '.join(args)}"
    return subprocess.run(["script", "-qec", command, "/dev/null"], env=env,
                          capture_output=True, text=True, timeout=60).stdout


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_every_listing_whole_at_every_width(demo: tuple[str, dict[str, str]],
                                           args: list[str]) -> None:
    base, env = demo
    piped = subprocess.run(f"{base} {' '.join(args)}", shell=True, env=env,
                           capture_output=True, text=True, timeout=60)
    assert piped.returncode in (0, 3), piped.stderr
    if "┃" not in piped.stdout:  # nothing to list: said in words
        return
    headers, reference = _rows(piped.stdout)
    assert reference and all(len(row) == 1 for row in reference), "piped output wrapped"
    values = [dict(zip(headers, row[0])) for row in reference]
    for width in (60, 80, 120):
        shown = _terminal(base, env, args, width)
        seen, rows = _rows(shown)
        assert all(len(ANSI.sub("", line).rstrip("\r")) <= width
                   for line in shown.splitlines() if line.startswith(("│", "┃")))
        assert len(rows) == len(values), (width, shown)
        assert len(seen) >= 2, (width, shown)  # never squeezed to nothing
        if len(seen) < len(headers):
            assert "未显示" in shown, shown  # the columns left out are named
        for row, expected in zip(rows, values):
            for at, header in enumerate(seen):
                whole = expected[header]
                assert _joined(row, at).replace(" ", "") == whole.replace(" ", ""), (
                    width, header, whole, row)
                for word in whole.split("、"):  # a list may wrap between its items
                    if word and len(word) <= 10 and " " not in word:  # a date, a code, a name
                        assert any(word in line[at] for line in row), (width, header, row)
