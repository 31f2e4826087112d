"""epitool report daily / trend: one set of numbers in every format."""

from __future__ import annotations

import csv
import html as html_lib
import io
import json
import re
import shutil
import struct
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from epitool.core.daily import COUNT_KEYS
from tests.conftest import SAMPLES, Run, valid_id

pytestmark = pytest.mark.both_engines

DAY = "2020-02-05"
FULL_ID = re.compile(r"\d{17}[\dXx]")


@pytest.fixture
def village(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    run(
        "roster",
        "add",
        '=HYPERLINK("x")',
        "--id",
        valid_id("41017119800101001"),
        "--household",
        "XZ-009",
        "--group",
        "三组",
        "--phone",
        "13700001111",
    )
    run("staff", "add", "李卫国", "--team", "cadre")
    run("staff", "assign", "李卫国", "--group", "一组")
    run("site", "add", "村委会广场", "--kind", "public", "--group", "一组")
    run("site", "add", "北路口", "--kind", "checkpoint", "--group", "二组")
    for person, since in (
        ("席晓东", "2020-02-01"),
        ("赵德明", "2020-02-05"),
        ("#23", "2020-02-03"),
        ("马凤英", "2020-01-23"),
    ):
        assert run("quarantine", "start", person, "--since", since).exit_code == 0
    run("visit", "log", "席晓东", "--temp", "36.5", "--at", f"{DAY} 09:00")
    run("visit", "log", "#23", "--temp", "38.0", "--symptom", "cough", "--at", f"{DAY} 09:10")
    run("visit", "log", "赵德明", "--outcome", "missed", "--at", f"{DAY} 09:20")
    run("visit", "log", "马凤英", "--temp", "36.4", "--at", f"{DAY} 09:30")
    run("quarantine", "end", "马凤英", "--outcome", "completed", "--date", DAY)
    run("disinfect", "log", "村委会广场", "--at", f"{DAY} 08:00")
    return run


def test_json_numbers(village: Run) -> None:
    report = village.json("report", "daily", "--date", DAY)
    totals = report["totals"]
    assert {
        k: totals[k]
        for k in (
            "residents",
            "under_follow_up",
            "home",
            "new_today",
            "visited",
            "not_visited",
            "missed",
            "fevers",
            "symptomatic",
            "ending_today",
            "ended_completed",
            "sites",
            "sites_disinfected",
            "sites_overdue",
        )
    } == {
        "residents": 23,
        "under_follow_up": 4,
        "home": 4,
        "new_today": 1,
        "visited": 3,
        "not_visited": 1,
        "missed": 1,
        "fevers": 1,
        "symptomatic": 1,
        "ending_today": 1,
        "ended_completed": 1,
        "sites": 2,
        "sites_disinfected": 1,
        "sites_overdue": 1,
    }
    assert totals["completion_rate"] == 75.0
    groups = {r["area"]: r for r in report["rows"]}
    assert (
        groups["一组"]["under_follow_up"],
        groups["二组"]["under_follow_up"],
        groups["三组"]["fevers"],
    ) == (1, 1, 1)
    [fever] = report["fevers"]
    assert (fever["name"], fever["max_temp"], fever["symptoms"]) == (
        '=HYPERLINK("x")',
        38.0,
        "cough",
    )
    assert not FULL_ID.search(json.dumps(report))
    by_village = village.json("report", "daily", "--date", DAY, "--by", "village")
    assert [r["area"] for r in by_village["rows"]] == ["示例村"]
    assert by_village["totals"] == totals


def test_formats_agree(village: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    totals = village.json("report", "daily", "--date", DAY)["totals"]
    rows = list(
        csv.DictReader(
            io.StringIO(village("report", "daily", "--date", DAY, "--format", "csv").stdout)
        )
    )
    assert rows[-1]["area"] == "total"
    assert {k: rows[-1][k] for k in COUNT_KEYS} == {
        k: "" if v is None else str(v) for k, v in totals.items()
    }
    out = tmp_path / "r.xlsx"
    assert (
        village("report", "daily", "--date", DAY, "--format", "xlsx", "-o", str(out)).exit_code == 0
    )
    sheet = load_workbook(out).worksheets[0]
    last = [c.value for c in list(sheet.iter_rows())[-1]]
    assert last[1:] == [totals[k] for k in COUNT_KEYS]
    table = village("report", "daily", "--date", DAY).stdout
    for key, label in (
        ("under_follow_up", "Under follow-up"),
        ("fevers", "Fevers"),
        ("visited", "Visited "),
        ("residents", "Residents"),
    ):
        line = next(row for row in table.splitlines() if row.startswith(f"│ {label}"))
        assert line.rstrip(" │").split()[-1] == str(totals[key])
    html = village("report", "daily", "--date", DAY, "--format", "html").stdout
    cells = _table_cells(html)[0]
    assert cells[-1][1:] == [("" if totals[k] is None else f"{totals[k]:g}") for k in COUNT_KEYS]


def test_xlsx_is_safe_for_excel(village: Run, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "r.xlsx"
    village("report", "daily", "--date", DAY, "--format", "xlsx", "-o", str(out), "--reveal")
    book = load_workbook(out)
    assert len(book.worksheets) == 8 and all(s.freeze_panes == "A2" for s in book.worksheets)
    fevers = book.worksheets[1]
    header = [c.value for c in fevers[1]]
    row = fevers[2]
    id_cell = row[header.index("ID number")]
    assert id_cell.data_type == "s" and FULL_ID.fullmatch(id_cell.value)
    assert row[header.index("Phone")].data_type == "s"
    name = row[header.index("Name")]
    assert name.value == '=HYPERLINK("x")' and name.data_type == "s"
    assert not any(c.data_type == "f" for s in book.worksheets for r in s.iter_rows() for c in r)
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert village.sql("SELECT count(*) FROM audit WHERE action = 'reveal'") == [(1,)]


def test_csv_neutralises_formulas(village: Run) -> None:
    listed = village("roster", "list", "--format", "csv", "--search", "HYPERLINK").stdout
    assert "'=HYPERLINK" in listed


def test_xlsx_needs_output(village: Run) -> None:
    result = village("report", "daily", "--format", "xlsx")
    assert result.exit_code == 1 and "needs a file" in result.stderr


def _table_cells(html: str) -> list[list[list[str]]]:
    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tables: list[list[list[str]]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag: str, attrs: object) -> None:
            if tag == "table":
                self.tables.append([])
            elif tag == "tr":
                self.tables[-1].append([])
            elif tag in ("td", "th"):
                self.cell = []

        def handle_endtag(self, tag: str) -> None:
            if tag in ("td", "th") and self.cell is not None:
                self.tables[-1][-1].append("".join(self.cell))
                self.cell = None

        def handle_data(self, data: str) -> None:
            if self.cell is not None:
                self.cell.append(data)

    parser = Cells()
    parser.feed(html)
    return parser.tables


def test_html_self_contained_and_escaped(village: Run) -> None:
    html = village("report", "daily", "--date", DAY, "--format", "html").stdout
    assert html.startswith("<!DOCTYPE html>") and "<svg" in html and "@page { size: A4" in html
    assert "<script" not in html and "http://" not in html.replace(
        'xmlns="http://www.w3.org/2000/svg"', ""
    )
    assert "=HYPERLINK(&quot;x&quot;)" in html
    # the report (and the report turned for phones) and its seven lists
    assert len(_table_cells(html)) == 9
    wide, turned = _table_cells(html)[:2]
    assert [row[0] for row in turned][1:] == wide[0][1:]  # a row per measure
    assert turned[0][1:] == [row[0] for row in wide[1:]]  # a column per area


BROWSER = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(BROWSER is None, reason="no chromium installed")
def test_html_renders_in_a_real_browser(village: Run, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    village("report", "daily", "--date", DAY, "--format", "html", "-o", str(page))
    shot, pdf = tmp_path / "shot.png", tmp_path / "report.pdf"
    flags = [
        BROWSER,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}",
    ]
    subprocess.run(
        [*flags, f"--screenshot={shot}", "--window-size=1000,1400", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    subprocess.run(
        [*flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
        check=True,
        capture_output=True,
        timeout=120,
    )
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1000, 1400)
    assert len(set(data[100:5000])) > 20  # not a blank page
    document = pdf.read_bytes()
    assert document.startswith(b"%PDF")
    assert re.search(rb"/MediaBox\s*\[\s*0\s+0\s+59[45](\.\d+)?\s+84[12](\.\d+)?", document)  # A4


def test_trend_formats(village: Run, tmp_path: Path) -> None:
    rows = village.json("report", "trend", "--date", DAY, "--days", "7")
    assert next(r["date"] for r in rows) == "2020-01-30" and len(rows) == 7
    assert rows[-1] == {
        "date": DAY,
        "under_follow_up": 4,
        "visited": 3,
        "fevers": 1,
        "new": 1,
        "ended": 1,
    }
    table = village("report", "trend", "--date", DAY, "--days", "7").stdout
    assert "▁" in table or "█" in table
    png = tmp_path / "t.png"
    assert (
        village("report", "trend", "--date", DAY, "--format", "png", "-o", str(png)).exit_code == 0
    )
    assert png.read_bytes()[:4] == b"\x89PNG"
    assert "<svg" in village("report", "trend", "--date", DAY, "--format", "html").stdout


def test_follow_up_worked_out_in_a_second_process_agrees(village: Run, monkeypatch) -> None:
    """A district's report splits the follow-up between two processes: same report."""
    from epitool.core import worker

    for by in ("group", "village"):
        inline = village.json("report", "daily", "--date", DAY, "--by", by)
        monkeypatch.setattr(worker, "PROCESS_MIN_BYTES", 0)
        assert village.json("report", "daily", "--date", DAY, "--by", by) == inline
        monkeypatch.undo()
        assert inline["totals"]["under_follow_up"] == 4 and inline["not_visited"]
    # The HTML page's trend chart, worked out beside the report: the same page.
    pages = []
    for floor in (None, 0):
        if floor is not None:
            monkeypatch.setattr(worker, "PROCESS_MIN_BYTES", floor)
        out = village.db.with_name(f"daily-{floor}.html")
        assert (
            village(
                "report", "daily", "--date", DAY, "--format", "html", "--output", str(out)
            ).exit_code
            == 0
        )
        pages.append(out.read_text(encoding="utf-8"))
    assert pages[0] == pages[1] and "<svg" in pages[0]


@pytest.mark.skipif(BROWSER is None, reason="no chromium installed")
def test_html_fits_a_phone_and_prints_on_two_pages(village: Run, tmp_path: Path) -> None:
    """Read after WeChat on a phone (360, 390 and 420 px wide): nothing runs off the right of the
    page (wide tables scroll in their own box, the report's table is turned); printed: A4,
    two pages. Measured in Chromium: a page of the test's own frames the report at both
    widths and writes what it measured into its title."""
    page = tmp_path / "report.html"
    village("report", "daily", "--date", DAY, "--format", "html", "-o", str(page))
    frames = tmp_path / "frames.html"
    frames.write_text(
        "<!DOCTYPE html><html><head><title>-</title></head><body>"
        + "".join(f'<iframe id="w{w}" src="report.html" style="width:{w}px;height:800px">'
                  "</iframe>" for w in (360, 390, 420))
        + "<script>let n = 0; for (const f of document.querySelectorAll('iframe')) f.onload ="
        " () => { if (++n < 3) return; document.title = JSON.stringify([...document"
        ".querySelectorAll('iframe')].map(x => { const d = x.contentDocument.documentElement;"
        " return [d.scrollWidth, d.clientWidth]; })); };</script></body></html>",
        encoding="utf-8")
    flags = [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*flags, "--allow-file-access-from-files", "--virtual-time-budget=5000",
                          "--dump-dom", frames.as_uri()],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    measured = json.loads(html_lib.unescape(re.search(r"<title>(.*?)</title>", dom)[1]))
    assert len(measured) == 3 and all(scroll <= client for scroll, client in measured), measured
    shot = tmp_path / "phone.png"  # the page as a 390 px phone shows it
    subprocess.run([*flags, f"--screenshot={shot}", "--window-size=390,1600",
                    "--hide-scrollbars", page.as_uri()], check=True, capture_output=True,
                   timeout=120)
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])  # the PNG's IHDR
    assert (width, height) == (390, 1600)
    pdf = tmp_path / "report.pdf"
    subprocess.run([*flags, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri()],
                   check=True, capture_output=True, timeout=120)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())) <= 2


def test_sheet_names_are_clean_and_fit_excel() -> None:
    from epitool.report.formats import _sheet_names

    assert _sheet_names(["Daily prevention report 2020-02-14", "Sites overdue for disinfection",
                         "Sites overdue for disinfection", "走访人员", "a/b:c"]) == [
        "Daily prevention report", "Sites overdue for disinfection",
        "Sites overdue for disinfectio 2", "走访人员", "a b c"]
