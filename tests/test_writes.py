"""Every file epitool writes is whole or absent, private, and never written through a link."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, SAMPLES, Run


@pytest.fixture
def village(run: Run) -> Run:
    assert run("roster", "import", str(SAMPLES / "roster_xizhuang.csv")).exit_code == 0
    return run


@pytest.mark.parametrize("force", [False, True])
def test_a_planted_link_is_never_written_through(village: Run, tmp_path: Path,
                                                 force: bool) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    result = village("roster", "list", "--format", "csv", "--output", str(link),
                     *(["--force"] if force else []))
    assert result.exit_code == 1
    assert "symbolic link" in result.stderr
    assert victim.read_text() == "precious" and link.is_symlink()


def test_a_dangling_link_creates_nothing(village: Run, tmp_path: Path) -> None:
    link = tmp_path / "out.csv"
    link.symlink_to(tmp_path / "nowhere.csv")
    result = village("roster", "list", "--format", "csv", "--output", str(link), "--force")
    assert result.exit_code == 1
    assert not (tmp_path / "nowhere.csv").exists()


def test_force_replaces_the_file_and_makes_it_private(village: Run, tmp_path: Path) -> None:
    old = tmp_path / "out.csv"
    old.write_text("old")
    old.chmod(0o644)
    result = village("roster", "list", "--format", "csv", "--output", str(old), "--force")
    assert result.exit_code == 0, result.output
    assert old.read_text(encoding="utf-8-sig").startswith("id,uid,name")
    assert stat.S_IMODE(old.stat().st_mode) == 0o600


def test_a_write_that_fails_leaves_the_old_file_and_no_part(village: Run, tmp_path: Path,
                                                            monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import Workbook

    def full_disk(self, handle) -> None:  # type: ignore[no-untyped-def]
        handle.write(b"PK\x03\x04 half a workbook")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Workbook, "save", full_disk)
    old = tmp_path / "out.xlsx"
    old.write_bytes(b"yesterday's export")
    result = village("roster", "list", "--format", "xlsx", "--output", str(old), "--force")
    assert result.exit_code == 1
    assert os.strerror(errno.ENOSPC) in result.stderr
    assert old.read_bytes() == b"yesterday's export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_backup_never_replaces_a_file_and_leaves_no_part(village: Run,
                                                           tmp_path: Path) -> None:
    target = tmp_path / "b.db"
    assert village("db", "backup", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = village("db", "backup", str(target))
    assert again.exit_code == 1 and "a backup never replaces a file" in again.stderr
    assert "--force" not in again.stderr  # db backup has none to offer
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_a_backup_into_a_folder_gets_a_dated_name_there(village: Run, tmp_path: Path) -> None:
    """`db backup /media/usb/` puts a dated backup in the folder, as cp would."""
    stick = tmp_path / "usb"
    stick.mkdir()
    assert village("db", "backup", str(stick)).exit_code == 0
    [made] = stick.iterdir()
    assert made.name.startswith("test-backup-") and made.suffix == ".db"
    assert stat.S_IMODE(made.stat().st_mode) == 0o600


def test_the_demo_refuses_a_database_with_records_of_its_own(village: Run) -> None:
    import hashlib

    before = hashlib.sha256(village.db.read_bytes()).hexdigest()
    result = village("demo")
    assert result.exit_code == 1 and "records of its own" in result.stderr
    assert hashlib.sha256(village.db.read_bytes()).hexdigest() == before


def test_the_demo_runs_again_on_its_own_database(run: Run) -> None:
    assert run("demo").exit_code == 0
    assert run("demo").exit_code == 0  # marked as the demo's: not refused


def test_no_full_number_in_an_error_or_a_problem_table(run: Run, make_csv) -> None:
    """Messages and problem tables name people and rows: their numbers masked, whatever
    separators they were typed with."""
    bad_id, phone = "410102196203138310", "1359168248"
    path = make_csv([["王五", "", bad_id, phone, "H1", "户主", "一组", "x"]])
    result = run("roster", "import", str(path))
    assert result.exit_code == 0
    assert bad_id not in result.output and "410102********8310" in result.output
    shown = run("roster", "show", "410102 19620313 8311")
    assert shown.exit_code == 1
    assert "19620313" not in shown.stderr
    added = run("staff", "add", "李卫国", "--team", "cadre", "--phone", "138-8183-6553x")
    assert "8183" not in added.stderr


def test_data_never_drives_the_terminal_or_a_markdown_viewer(run: Run, make_csv,
                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from epitool.cli import output

    evil = "王\x1b]0;owned\x07五\u202e<img src=x onerror=alert(1)>"
    path = make_csv([[evil, "", "", "", "H1", "户主", "一组", "x"]])
    assert run("roster", "import", str(path)).exit_code == 0
    monkeypatch.setattr(output, "_on_terminal", lambda: True)
    for fmt in ("json", "csv"):
        shown = run("roster", "list", "--format", fmt).stdout
        assert "\x1b" not in shown and "\x07" not in shown and "\u202e" not in shown
        assert ("\\x1b" if fmt == "csv" else "\\u001b") in shown  # shown, not obeyed
    monkeypatch.setattr(output, "_on_terminal", lambda: False)
    assert "\x1b" in run("roster", "list", "--format", "csv").stdout  # a pipe gets the data
    from epitool.report.formats import to_markdown
    from epitool.report.table import Column, TableData

    page = to_markdown([TableData("t", [Column("name", "Name")], [{"name": evil}])], "t")
    assert "<img" not in page and "&lt;img" in page


def test_a_narrow_or_blank_reimport_keeps_every_field(run: Run, make_csv,
                                                      tmp_path: Path) -> None:
    """A column the file lacks is not given, never blank; an empty cell blanks a field only
    with --clear-empty."""
    from tests.conftest import ID_A, person, write_csv

    full = make_csv([person("王五", ID_A, phone="13800001234", household="H1",
                            address="一组 1 号")])
    assert run.json("roster", "import", str(full))["inserted"] == 1

    def stored() -> dict[str, object]:
        [row] = run.json("roster", "list", "--reveal")
        return row

    before = stored()
    narrow = write_csv(tmp_path / "narrow.csv", [["王五", ID_A]], header=["姓名", "身份证号"])
    assert run.json("roster", "import", str(narrow))["unchanged"] == 1
    assert stored() == before
    blank = make_csv([person("王五", ID_A, phone="", household="H1", address="")],
                     name="blank.csv")
    assert run.json("roster", "import", str(blank))["unchanged"] == 1
    assert stored() == before
    assert run.json("roster", "import", str(blank), "--clear-empty")["updated"] == 1
    after = stored()
    assert after["phone"] in ("", None) and after["address"] in ("", None)
    assert after["household"] == "H1"


def _bomb(path: Path, megabytes: int) -> Path:
    """A workbook whose sheet unpacks to `megabytes` MB of one repeated cell."""
    import zipfile

    chunk = b"<row><c t=\"inlineStr\"><is><t>x</t></is></c></row>" * 20_000  # ~1 MB
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(megabytes):
                sheet.write(chunk)
    return path


def test_a_workbook_that_unpacks_past_the_limit_is_refused(run: Run, tmp_path: Path) -> None:
    config = tmp_path / "epitool.yaml"
    config.write_text("max_input_mb: 2\n", encoding="utf-8")
    bomb = _bomb(tmp_path / "bomb.xlsx", 5)
    assert bomb.stat().st_size < 2**20
    result = run("--config", str(config), "roster", "import", str(bomb))
    assert result.exit_code == 1
    assert "unpacks to" in result.stderr and "max_input_mb" in result.stderr
    assert not run.db.exists()


@pytest.mark.slow
def test_a_decompression_bomb_is_refused_in_little_memory(tmp_path: Path) -> None:
    import subprocess
    import sys

    bomb = _bomb(tmp_path / "bomb.xlsx", 1536)  # 1.5 GB once unpacked
    # A process of its own measures the import alone: RUSAGE_CHILDREN of this one would
    # report the largest child any earlier test started.
    measure = ("import resource, subprocess, sys\n"
               "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
               "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
               "sys.stderr.write(done.stderr)\n")
    result = subprocess.run([sys.executable, "-c", measure, sys.executable, "-m", "epitool",
                             "--db", str(tmp_path / "t.db"), "--lang", "en", "roster",
                             "import", str(bomb)], capture_output=True, text=True, timeout=120)
    code, peak_kb = map(int, result.stdout.split())
    assert code == 1 and "unpacks to" in result.stderr
    assert peak_kb / 1024 < 300, peak_kb / 1024


def test_only_regular_files_are_read(run: Run, tmp_path: Path) -> None:
    fifo = tmp_path / "roster.csv"
    os.mkfifo(fifo)
    result = run("roster", "import", str(fifo))
    assert result.exit_code == 1 and "not a regular file" in result.stderr


def _big_roster_with_rejects(path: Path, rows: int) -> Path:
    """A roster over the workers' threshold, with rows for the rejects file."""
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "bench"))
    from gen_roster import write

    write(rows, path)
    with path.open("a", encoding="utf-8") as handle:
        handle.write("坏行,男,123,1,H9,户主,一组,x\n")
    return path


def _processes_of(source: Path) -> list[str]:
    """The import of `source` and the workers it forked (same command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes()
        except OSError:
            continue
        if str(source).encode() in cmdline:
            found.append(proc.name)
    return found


def _when_checking_rows(process: Any, source: Path) -> None:
    """Return once the import's workers are checking rows, whatever the machine's speed (a
    fixed sleep let a fast machine finish the import before the kill)."""
    import time

    deadline = time.monotonic() + 30
    while len(_processes_of(source)) < 2 and process.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.1)
    assert process.poll() is None, "the import ended before the kill: make the file bigger"


@pytest.mark.slow
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGTERM"])
def test_a_killed_import_leaves_no_worker_and_no_temporary_file(tmp_path: Path,
                                                                sig: str) -> None:
    import signal
    import subprocess
    import sys
    import time

    source = _big_roster_with_rejects(tmp_path / "big.csv", 200_000)
    db = tmp_path / "t.db"
    process = subprocess.Popen([sys.executable, "-m", "epitool", "--db", str(db), "roster",
                                "import", str(source)], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _when_checking_rows(process, source)
    os.kill(process.pid, getattr(signal, sig))
    process.wait(timeout=30)

    def workers() -> list[str]:
        return _processes_of(source)

    deadline = time.monotonic() + 5
    while workers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert workers() == []
    left = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    if sig == "SIGTERM":
        assert left == []  # unwound: the temporary rejects file removed
    assert not list(tmp_path.glob("big.rejects*.csv"))  # never published: rolled back


def test_output_to_a_device_is_refused(village: Run) -> None:
    result = village("roster", "list", "--format", "csv", "--output", "/dev/full", "--force")
    assert result.exit_code == 1 and "not a regular file" in result.stderr


@pytest.fixture
def small_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """A 3 MB tmpfs (root only): a disk that fills up."""
    import subprocess

    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)  # lazy: even while busy


@pytest.mark.slow
def test_a_full_disk_keeps_the_old_export_and_the_database(small_disk: Path,
                                                           tmp_path: Path) -> None:
    import hashlib
    import sys

    sys.path.insert(0, str(SAMPLES.parent / "bench"))
    from gen_roster import write

    write(600, tmp_path / "village.csv")
    write(20_000, tmp_path / "big.csv")
    run = Run(small_disk / "village.db")
    assert run("roster", "import", str(tmp_path / "village.csv")).exit_code == 0
    export = small_disk / "roster.csv"
    assert run("roster", "list", "--format", "csv", "--output", str(export)).exit_code == 0
    before = hashlib.sha256(export.read_bytes()).hexdigest()
    filler = small_disk / "filler"  # room to open the database, not for a new export
    disk = os.statvfs(small_disk)
    filler.write_bytes(b"\0" * (disk.f_bavail * disk.f_frsize - 48 * 1024))
    again = run("roster", "list", "--format", "csv", "--output", str(export), "--force")
    assert again.exit_code == 1 and "No space left" in again.stderr
    assert hashlib.sha256(export.read_bytes()).hexdigest() == before
    assert not [p for p in small_disk.iterdir() if p.name.endswith(".part")]
    imported = run("roster", "import", str(tmp_path / "big.csv"))
    assert imported.exit_code == 1, imported.output
    assert "full" in imported.stderr
    filler.unlink()
    assert len(run.json("roster", "list", "--limit", "0")) == 600  # as it was


def test_masking_turned_off_by_the_config_is_audited(village: Run, tmp_path: Path) -> None:
    import json
    import sqlite3

    config = tmp_path / "epitool.yaml"
    config.write_text("mask_personal_data: false\n", encoding="utf-8")
    result = village("--config", str(config), "roster", "list", "--format", "json")
    assert result.exit_code == 0
    with sqlite3.connect(village.db) as conn:
        rows = conn.execute("SELECT detail FROM audit WHERE action = 'reveal'").fetchall()
    assert [json.loads(r[0])["view"] for r in rows] == ["config: mask_personal_data false"]


def test_an_unreadable_config_is_a_sentence(run: Run, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    config = tmp_path / "epitool.yaml"
    config.write_text("language: en\n", encoding="utf-8")
    real_read = Path.read_text

    def no_permission(self: Path, *args, **kwargs) -> str:  # type: ignore[no-untyped-def]
        if self == config:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_read(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", no_permission)
    result = run("--config", str(config), "roster", "list")
    assert result.exit_code == 1
    assert os.strerror(errno.EACCES) in result.stderr and str(config) in result.stderr


def test_a_workbook_with_xml_entities_is_refused_in_words(run: Run, tmp_path: Path) -> None:
    from openpyxl import Workbook

    from tests.conftest import edited_workbook

    book = Workbook()
    book.active.append(["姓名"])
    book.active.append(["王五"])
    plain = tmp_path / "ok.xlsx"
    book.save(plain)
    attack = edited_workbook(plain, tmp_path / "attack.xlsx", lambda xml: xml.replace(
        b"<worksheet", b'<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><worksheet',
        1))
    result = run("roster", "import", str(attack))
    assert result.exit_code == 1 and "entities" in result.stderr
    assert "see the exception" not in result.stderr and not run.db.exists()


def test_only_csv_files_start_with_a_bom(village: Run, tmp_path: Path) -> None:
    """Excel needs the BOM to read UTF-8 CSV; json.load, Markdown and HTML readers do not."""
    import json

    for fmt, bom in (("csv", True), ("json", False)):
        out = tmp_path / f"roster.{fmt}"
        assert village("roster", "list", "--format", fmt, "--output", str(out)).exit_code == 0
        assert out.read_bytes().startswith(b"\xef\xbb\xbf") == bom
    json.loads((tmp_path / "roster.json").read_text(encoding="utf-8"))
    for fmt, bom in (("md", False), ("html", False), ("csv", True), ("json", False)):
        out = tmp_path / f"daily.{fmt}"
        assert village("report", "daily", "--format", fmt, "--output", str(out)).exit_code == 0
        assert out.read_bytes().startswith(b"\xef\xbb\xbf") == bom, fmt


def test_reimporting_a_workbook_that_declares_too_small_a_size_blanks_nothing(
        run: Run, tmp_path: Path) -> None:
    """Through the CLI: a roster imported, then the same roster from a workbook whose
    <dimension> claims three columns and fifty rows: every field of every person stays."""
    import re

    from openpyxl import Workbook

    from tests.conftest import HEADER_ZH, edited_workbook, valid_id

    book = Workbook()
    book.active.append(HEADER_ZH)
    for n in range(60):
        born = f"19800{n % 9 + 1}{n % 28 + 1:02d}"
        book.active.append([f"人{n}", "", valid_id(f"410102{born}{n:03d}"),
                            f"1380000{n:04d}", f"H{n}", "户主", "二组", f"{n} 号"])
    whole = tmp_path / "whole.xlsx"
    book.save(whole)
    assert run.json("roster", "import", str(whole))["inserted"] == 60
    before = run.json("roster", "list", "--reveal", "--limit", "0")
    lying = edited_workbook(whole, tmp_path / "lying.xlsx", lambda xml: re.sub(
        rb'<dimension ref="[^"]+" ?/>', b'<dimension ref="A1:C51"/>', xml))
    again = run.json("roster", "import", str(lying))
    assert (again["unchanged"], again["updated"], again["inserted"]) == (60, 0, 0)
    assert run.json("roster", "list", "--reveal", "--limit", "0") == before


@pytest.mark.slow
def test_a_read_only_disk_is_a_sentence(small_disk: Path) -> None:
    import subprocess

    run = Run(small_disk / "village.db")
    assert run("roster", "import", str(SAMPLES / "roster_xizhuang.csv")).exit_code == 0
    remount = subprocess.run(["mount", "-o", "remount,ro", str(small_disk)],
                             capture_output=True)
    if remount.returncode != 0:
        pytest.skip("cannot remount read-only here")
    for command in (["staff", "add", "李卫国", "--team", "cadre"], ["roster", "list"]):
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output
        assert "cannot be written" in result.stderr or "could not be used" in result.stderr


@pytest.mark.slow
def test_ctrl_c_during_an_import_says_nothing_was_kept(tmp_path: Path) -> None:
    """A clerk presses Ctrl-C in the middle of a 150,000-row import (SIGINT to the whole
    process group, as a terminal sends it): a sentence, exit 130, an empty roster."""
    import os
    import signal
    import sqlite3
    import subprocess
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    from gen_roster import write

    source = tmp_path / "big.csv"
    write(150_000, source)
    db = tmp_path / "x.db"
    env = {**os.environ, "PYTHONPATH": str(REPO), "EPITOOL_LANG": "en"}
    subprocess.run([sys.executable, "-m", "epitool", "--db", str(db), "init"], env=env,
                   check=True, capture_output=True)
    process = subprocess.Popen([sys.executable, "-m", "epitool", "--db", str(db), "roster",
                                "import", str(source)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    _when_checking_rows(process, source)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Stopped (Ctrl-C): nothing of what this command was writing was kept" in stderr
    assert "Traceback" not in stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM residents").fetchone()[0] == 0
