"""Two weeks in one village, as its office would live them, checked number by number.

The sample roster (席庄村: 一组, 二组, 三组). Staff: 李卫国 covers 一组, 张医生 二组.

    A 席晓东 (一组) home from 02-01 for 14 days: a fever on 02-03, missed on 02-05,
      completed on 02-14 (his last day).
    B 赵德明 (二组) home from 02-03; moved to central quarantine on 02-07 (seen at home that
      morning); the count of days goes on: last day 02-16.
    C 刘䶮 (一组) really from 02-04, typed as 02-02 and corrected on 02-15; not seen on
      02-10, 02-11, 02-12: lost to follow-up on 02-12.
    D 周敏 (二组) home from 02-05; re-exposed, restarted on 02-09 for 14 days (to 02-22);
      seen going out at the checkpoint on 02-10 (a breach); fever and cough on 02-11; not
      seen on 02-12 and 02-13.
    Checkpoint 北路口 on 02-10: 张三 in by car, 李四 turned back, D out, 王五 out.
    Passes on 02-15: 席建国 (valid) and 孙玉梅, who then has a fever at a forced visit.

Phase 1 is the evening of 02-05: the reports of 02-03 and 02-05 are sent. Phase 2 is the
evening of 02-15, after the correction, the transfer, the extension and an amended visit of
02-05: the days are checked again, and the sent days say what changed and why.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SAMPLES, Run
from tests.test_reports import _table_cells

pytestmark = pytest.mark.both_engines

A, B, C, D = "席晓东", "赵德明", "刘䶮", "周敏"
GAP = ("duty_gap", "北路口")
SUMMARY_KEYS = ("under_follow_up", "visited", "not_visited", "missed", "fevers",
                "symptomatic", "ending_today", "lost_to_followup")


def ok(run: Run, *args: str) -> Any:
    result = run(*args)
    assert result.exit_code == 0, (args, result.output)
    return result


def visits(run: Run, who: str, days: list[str], *extra: str) -> None:
    for day in days:
        ok(run, "visit", "log", who, "--at", f"2020-02-{day} 09:00", *(extra or ("--temp",
                                                                                 "36.5")))


def counts(run: Run, day: str) -> dict[str, Any]:
    return run.json("report", "daily", "--date", f"2020-02-{day}")["totals"]


def pick(totals: dict[str, Any], *keys: str) -> tuple[Any, ...]:
    return tuple(totals[k] for k in keys)


MAIN = ("under_follow_up", "home", "central", "new_today", "visited", "not_visited",
        "missed", "fevers", "lost_to_followup")


def remind(run: Run, day: str) -> list[tuple[str, str]]:
    return [(d["kind"], d["subject"].split()[-1])
            for d in run.json("remind", "--date", f"2020-02-{day}")]


@pytest.fixture
def village(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("EPITOOL_NOW", "2020-02-05T21:00:00+08:00")
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    ok(run, "staff", "add", "李卫国", "--team", "cadre")
    ok(run, "staff", "add", "张医生", "--team", "medical")
    ok(run, "staff", "assign", "李卫国", "--group", "一组")
    ok(run, "staff", "assign", "张医生", "--group", "二组")
    ok(run, "checkpoint", "add", "北路口")
    return run


def phase_one(v: Run, tmp_path: Path) -> None:
    ok(v, "quarantine", "start", A, "--since", "2020-02-01")
    ok(v, "quarantine", "start", C, "--since", "2020-02-02")  # a typo for 02-04
    ok(v, "quarantine", "start", B, "--since", "2020-02-03")
    ok(v, "quarantine", "start", D, "--since", "2020-02-05")
    visits(v, A, ["01", "02"])
    visits(v, A, ["03"], "--temp", "38.1")
    visits(v, A, ["04"])
    visits(v, A, ["05"], "--outcome", "missed")
    visits(v, B, ["03", "04", "05"])
    visits(v, C, ["04", "05"])
    visits(v, D, ["05"])
    for day in ("03", "05"):
        ok(v, "report", "daily", "--date", f"2020-02-{day}", "--format", "json", "-o",
           str(tmp_path / f"日报-02{day}.json"))


def test_two_weeks_in_a_village(village: Run, tmp_path: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    v = village
    phase_one(v, tmp_path)
    # --- the evening of 02-05, before any correction ---------------------------------------
    # under, home, central, new, visited, not visited, missed, fevers, lost
    assert pick(counts(v, "02"), *MAIN) == (2, 2, 0, 1, 1, 1, 0, 0, 0)  # A; C new, unseen
    assert pick(counts(v, "03"), *MAIN) == (3, 3, 0, 1, 2, 1, 0, 1, 0)  # B new; A fever
    assert pick(counts(v, "04"), *MAIN) == (3, 3, 0, 0, 3, 0, 0, 0, 0)
    assert pick(counts(v, "05"), *MAIN) == (4, 4, 0, 1, 3, 1, 1, 0, 0)  # D new; A missed
    rows = {r["area"]: r for r in v.json("report", "daily", "--date", "2020-02-05")["rows"]}
    assert pick(rows["一组"], "under_follow_up", "visited", "not_visited", "missed") == (
        2, 1, 1, 1)
    assert pick(rows["二组"], "under_follow_up", "new_today", "visited") == (2, 1, 2)
    # (北路口 has nobody on duty in this story: a gap every day)
    assert remind(v, "03") == [("fever_recheck", A), ("visit_due", C),
                               ("missed_yesterday", C), GAP]
    assert remind(v, "05") == [("visit_due", A), GAP]

    # --- ten days later ----------------------------------------------------------------------
    monkeypatch.setenv("EPITOOL_NOW", "2020-02-15T21:00:00+08:00")
    ok(v, "quarantine", "correct", C, "--since", "2020-02-04", "--reason", "开始日期录错")
    [b_0205] = [x for x in v.json("visit", "list", "--date", "2020-02-05") if x["name"] == B]
    ok(v, "visit", "amend", str(b_0205["id"]), "--temp", "38.0")  # misread on the day
    visits(v, A, ["06", "07", "08", "09", "10", "11", "12", "13", "14"])
    visits(v, B, ["06", "07"])
    ok(v, "quarantine", "transfer", B, "--to", "central", "--date", "2020-02-07",
       "--place", "如家酒店")
    visits(v, B, ["08", "09", "10", "11", "12", "13", "14", "15"])
    visits(v, C, ["06", "07", "08", "09", "13", "14", "15"])
    visits(v, D, ["06", "07", "08", "09", "10"])
    ok(v, "quarantine", "extend", D, "--since", "2020-02-09", "--days", "14")
    visits(v, D, ["11"], "--temp", "37.8", "--symptom", "cough")
    visits(v, D, ["14", "15"])
    ok(v, "quarantine", "end", A, "--outcome", "completed", "--date", "2020-02-14")
    number = v.json("roster", "show", "#18", "--reveal")["person"]["id_number"]  # 周敏
    for args in (["-n", "张三", "--plate", "豫A12345", "--temp", "36.4", "--at",
                  "2020-02-10 10:00"],
                 ["-n", "李四", "--turned-back", "外地车辆", "--at", "2020-02-10 11:00"],
                 ["-n", D, "--id", number, "--resident", "-d", "out", "--at",
                  "2020-02-10 14:00"],
                 ["-n", "王五", "-d", "out", "--temp", "36.8", "--at", "2020-02-10 15:00"]):
        ok(v, "checkpoint", "log", "北路口", *args)
    ok(v, "pass", "issue", "席建国")
    ok(v, "pass", "issue", "孙玉梅")
    ok(v, "visit", "log", "孙玉梅", "--force", "--temp", "38.5", "--at", "2020-02-15 10:00")

    # --- every day again, by hand ------------------------------------------------------------
    expected = {
        "02": (1, 1, 0, 0, 1, 0, 0, 0, 0),  # C no longer counted before 02-04
        "03": (2, 2, 0, 1, 2, 0, 0, 1, 0),
        "04": (3, 3, 0, 1, 3, 0, 0, 0, 0),  # C new on 02-04
        "05": (4, 4, 0, 1, 3, 1, 1, 1, 0),  # B's reading amended to 38.0
        "07": (4, 4, 0, 0, 4, 0, 0, 0, 0),  # B counted once, at home, on the day of the move
        "08": (4, 3, 1, 0, 4, 0, 0, 0, 0),
        "10": (4, 3, 1, 0, 3, 1, 0, 0, 0),  # C not seen
        "11": (4, 3, 1, 0, 3, 1, 0, 1, 0),  # D fever
        "12": (4, 3, 1, 0, 2, 2, 0, 0, 1),  # C lost after three days unseen; D not seen
        "13": (4, 3, 1, 0, 3, 1, 0, 0, 0),
        "14": (4, 3, 1, 0, 4, 0, 0, 0, 0),  # A's last day, completed that day
        "15": (3, 2, 1, 0, 3, 0, 0, 0, 0),
    }
    for day, numbers in expected.items():
        assert pick(counts(v, day), *MAIN) == numbers, day
    fourteen = v.json("report", "daily", "--date", "2020-02-14")
    assert pick(fourteen["totals"], "ending_today", "ended_completed") == (1, 1)
    assert [p["name"] for p in fourteen["ending_today"]] == [A]
    eleven = counts(v, "11")
    assert eleven["symptomatic"] == 1
    ten = v.json("report", "daily", "--date", "2020-02-10")["field"]
    assert pick(ten, "registrations", "people_in", "people_out", "turned_back",
                "quarantine_breaches") == (4, 1, 2, 1, 1)
    twelve = v.json("report", "daily", "--date", "2020-02-12")
    assert [(p["name"], p["last_seen"]) for p in twelve["lost_to_followup"]] == [
        (C, "2020-02-09")]

    # --- the sent days say what changed since, and why (before anything is sent again) ---
    third = v.json("report", "daily", "--date", "2020-02-03")["since_sent"]
    assert {(c["measure"], c["sent"], c["now"]) for c in third["changes"]
            if c["area"] is None} == {("under_follow_up", 3, 2), ("home", 3, 2),
                                      ("not_visited", 1, 0), ("completion_rate", 66.7, 100.0)}
    assert [b["action"] for b in third["because"]] == ["quarantine.correct"]
    fifth = v.json("report", "daily", "--date", "2020-02-05")["since_sent"]
    assert {(c["measure"], c["sent"], c["now"]) for c in fifth["changes"]
            if c["area"] is None} == {("fevers", 0, 1)}
    assert [b["action"] for b in fifth["because"]] == ["visit.amend"]
    sent = json.loads((tmp_path / "日报-0205.json").read_text(encoding="utf-8"))
    assert sent["totals"]["fevers"] == 0  # the file as it was sent

    # --- the same day, the same numbers, whatever asks for it --------------------------------
    trend = {r["date"][-2:]: r for r in v.json("report", "trend", "--days", "15")}
    for day in expected:
        totals = counts(v, day)
        ended = sum(totals[f"ended_{o}"] for o in ("completed", "hospitalised", "transferred",
                                                   "lost"))
        assert pick(trend[day], "under_follow_up", "visited", "fevers", "new", "ended") == (
            totals["under_follow_up"], totals["visited"], totals["fevers"],
            totals["new_today"], ended), day
        summary = v.json("summary", "--date", f"2020-02-{day}")["totals"]
        assert pick(summary, *SUMMARY_KEYS) == pick(totals, *SUMMARY_KEYS), day
    for day in ("05", "12"):  # (writing the files sends those days again)
        _same_in_every_format(v, day, tmp_path)

    # --- what is due -------------------------------------------------------------------------
    assert remind(v, "12") == [("fever_recheck", D), ("lost_to_followup", C),
                               ("visit_due", D), GAP]
    assert remind(v, "13") == [("fever_recheck", D), ("visit_due", D),
                               ("missed_yesterday", C), ("missed_yesterday", D),
                               ("ending_tomorrow", A), GAP]  # A's last day is 02-14
    assert remind(v, "15") == [("fever_recheck", "孙玉梅"), ("ending_tomorrow", B), GAP]
    serials = {p["name"]: p["serial"] for p in v.json("pass", "list")}
    assert v.json("pass", "verify", serials["席建国"])["status"] == "valid"
    assert v("pass", "verify", serials["孙玉梅"]).exit_code == 1


def _same_in_every_format(v: Run, day: str, tmp_path: Path) -> None:
    """The report of a day in JSON, CSV, Excel, Markdown and HTML: the same totals."""
    from openpyxl import load_workbook

    date_ = f"2020-02-{day}"
    totals = v.json("report", "daily", "--date", date_)["totals"]
    keys = list(totals)
    text = v("report", "daily", "--date", date_, "--format", "csv").stdout
    [csv_total] = [r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
                   if r["area"] == "total"]
    assert [_cell(csv_total[k]) for k in keys] == [_cell(totals[k]) for k in keys]
    book_path = tmp_path / f"{day}.xlsx"
    ok(v, "report", "daily", "--date", date_, "--format", "xlsx", "-o", str(book_path))
    sheet = load_workbook(book_path).worksheets[0]
    last = [c.value for c in list(sheet.iter_rows())[-1]]
    assert [_cell(x) for x in last[1:len(keys) + 1]] == [_cell(totals[k]) for k in keys]
    markdown = v("report", "daily", "--date", date_, "--format", "md").stdout
    md_total = next(line for line in markdown.splitlines() if line.startswith("| Total"))
    assert [_cell(c.strip()) for c in md_total.strip("|").split("|")[1:]] == [
        _cell(totals[k]) for k in keys]
    html = v("report", "daily", "--date", date_, "--format", "html").stdout
    html_total = _table_cells(html)[0][-1]
    assert [_cell(c) for c in html_total[1:]] == [_cell(totals[k]) for k in keys]


def _cell(value: Any) -> str:
    """A number as a number, whatever the format wrote (75, 75.0, "75.0"); empty as empty."""
    if value is None or value == "":
        return ""
    return f"{float(value):g}"


def test_the_calendar_of_the_scenario_is_what_the_docstring_says() -> None:
    start = date(2020, 2, 1)
    assert start + timedelta(days=13) == date(2020, 2, 14)  # A's last day
    assert date(2020, 2, 3) + timedelta(days=13) == date(2020, 2, 16)  # B's, after the move
    assert date(2020, 2, 9) + timedelta(days=13) == date(2020, 2, 22)  # D's, restarted
