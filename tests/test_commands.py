"""init, demo and roster template through the CLI."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from epitool.store.migrations import SCHEMA_VERSION
from tests.conftest import Run


def test_init_is_idempotent(run: Run) -> None:
    first = run("init")
    assert first.exit_code == 0
    assert first.stdout.strip() == f"Database ready: {run.db} (schema version {SCHEMA_VERSION})."
    assert run("init").exit_code == 0
    assert run.sql("SELECT count(*) FROM villages") == [(1,)]
    assert run.sql("SELECT count(*) FROM audit WHERE action = 'init'") == [(1,)]


def test_init_in_missing_folder(run: Run, tmp_path: Path) -> None:
    from epitool.cli.app import app

    result = run.runner.invoke(
        app, catch_exceptions=False, args=["--db", str(tmp_path / "no" / "x.db"), "init"]
    )
    assert result.exit_code == 1 and "does not exist" in result.stderr


def test_demo_builds_from_samples_and_is_repeatable(run: Run, tmp_path: Path) -> None:
    from epitool.cli.app import app

    result = run.runner.invoke(app, catch_exceptions=False, args=["--lang", "en", "demo"])
    assert result.exit_code == 0, result.output
    assert "Demo database" in result.stdout and "epitool-demo.db" in result.stdout
    assert "Prevention summary" in result.stdout and "Under follow-up" in result.stdout
    [report] = tmp_path.glob("epitool-demo-report-*.html")
    assert (
        f"Today's report (HTML, open it in a browser, print it): {report}"
        in result.stdout.replace("\n", "")
    )
    assert "<svg" in report.read_text(encoding="utf-8")
    with sqlite3.connect(tmp_path / "epitool-demo.db") as conn:
        assert conn.execute("SELECT count(*) FROM residents").fetchone() == (29,)
    again = run.runner.invoke(app, catch_exceptions=False, args=["--lang", "en", "demo"])
    assert again.exit_code == 0
    with sqlite3.connect(tmp_path / "epitool-demo.db") as conn:
        assert conn.execute("SELECT count(*) FROM residents").fetchone() == (29,)


def test_template_xlsx_has_text_id_column_and_imports(run: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "t.xlsx"
    assert run("roster", "template", str(out), lang="zh").exit_code == 0
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[1]][:3] == ["姓名", "性别", "身份证号"]
    assert sheet["C2"].data_type == "s" and sheet["C2"].number_format == "@"
    assert sheet["C500"].number_format == "@"
    assert run.json("roster", "import", str(out))["inserted"] == 0  # the sample is skipped
    again = run("roster", "template", str(out))
    assert again.exit_code == 1 and "already exists" in again.stderr
    assert run("roster", "template", str(out), "--force").exit_code == 0


def test_template_csv(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "t.csv"
    assert run("roster", "template", str(out)).exit_code == 0
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:3] == ["name", "sex", "id number"] and len(rows) == 2
    bad = run("roster", "template", str(tmp_path / "t.pdf"))
    assert bad.exit_code == 1 and "use .xlsx or .csv" in bad.stderr


def test_a_word_that_is_no_code_is_refused_with_every_code(run: Run) -> None:
    """Kinds, teams and findings are read by one rule (core.rules.typed_code): a word that
    is none of them is refused, exit 1, nothing written, and the message lists the codes."""
    assert run("init").exit_code == 0
    refused = {
        ("staff", "add", "李卫国", "--team", "army"): "Team 'army' unknown; use cadre | "
        "police | medical | volunteer",
        ("site", "add", "村委会", "--kind", "park"): "Site kind 'park' unknown; use public | "
        "building | household | enterprise | checkpoint",
        ("patrol", "log", "--team", "一队", "--area", "东街", "--finding", "noise"):
            "Finding 'noise' unknown; use gathering | no-mask | quarantine-breach | "
            "fire-hazard | other",
    }
    before = run.sql("SELECT count(*) FROM audit")
    for args, words in refused.items():
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert words in result.stderr, result.stderr
    assert run.sql("SELECT count(*) FROM audit") == before
    assert run("staff", "add", "李卫国", "--team", "志愿者").exit_code == 0
    assert run.sql("SELECT team FROM staff") == [("volunteer",)]


def test_a_count_past_what_is_plausible_is_refused_in_words(run: Run) -> None:
    """A key held down on a count: refused in words with the range, exit 1, nothing
    written; a listing's --limit past every row lists every row. (These were overflow
    tracebacks: the number did not fit the database's integers.)"""
    from tests.conftest import SAMPLES

    assert run("roster", "import", str(SAMPLES / "roster_xizhuang.csv")).exit_code == 0
    big = "9" * 20
    before = run.sql("SELECT count(*) FROM audit")
    for args, words in {
        ("enterprise", "add", "鸿运厂", "--workers", big): f"--workers {big} is not plausible: "
        "give a whole number from 0 to 1000000.",
        ("patrol", "log", "--team", "一队", "--area", "东街", "--finding", "other",
         "--count", big): f"--count {big} is not plausible",
        ("pass", "list", "--expiring", big): f"--expiring {big} is not plausible",
        ("pass", "list", "--expiring", "-1"): "--expiring -1 is not plausible",
    }.items():
        result = run(*args)
        assert result.exit_code == 1, result.output
        assert words in result.stderr, result.stderr
    assert run.sql("SELECT count(*) FROM audit") == before
    everyone = run.json("roster", "list", "--limit", big)
    assert len(everyone) == run.sql("SELECT count(*) FROM residents")[0][0] > 0
