"""Follow-up as a history: what a day's numbers were stays true after later actions that do
not concern that day, and every command gives the same numbers for the same day.

The bugs of issue 14, each reproduced through the CLI; the expected numbers are worked out
in the comments.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import SAMPLES, Run

pytestmark = pytest.mark.both_engines

NOW = "2020-02-20T20:00:00+08:00"  # the office's evening of 02-20; every date below is past


@pytest.fixture
def village(run: Run, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("EPITOOL_NOW", NOW)
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    assert run("staff", "add", "李卫国", "--team", "cadre").exit_code == 0
    assert run("staff", "assign", "李卫国", "--group", "一组").exit_code == 0
    return run


def ok(run: Run, *args: str) -> Any:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result


def totals(run: Run, day: str) -> dict[str, Any]:
    return run.json("report", "daily", "--date", day)["totals"]


def visit(run: Run, who: str, at: str, *extra: str) -> None:
    ok(run, "visit", "log", who, "--at", at, *extra)


def test_an_extension_leaves_the_days_before_it_as_they_were(village: Run) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    visit(village, "席晓东", "2020-02-12 09:00", "--temp", "38.0")
    before = village.json("report", "daily", "--date", "2020-02-12")
    # one person under follow-up since 02-10, seen on 02-12 with a fever
    assert (before["totals"]["under_follow_up"], before["totals"]["visited"],
            before["totals"]["fevers"]) == (1, 1, 1)
    assert [p["name"] for p in before["fevers"]] == ["席晓东"]
    ok(village, "quarantine", "extend", "席晓东", "--since", "2020-02-15", "--days", "14")
    after = village.json("report", "daily", "--date", "2020-02-12")
    assert after["totals"] == before["totals"] and after["fevers"] == before["fevers"]
    # the last day as known each day: 02-23 until the re-exposure of 02-15, then 02-28
    assert totals(village, "2020-02-23")["ending_today"] == 0
    assert village.json("report", "daily", "--date", "2020-02-14")["ending_today"] == []
    trend = {r["date"]: r for r in village.json("report", "trend", "--days", "12")}
    assert trend["2020-02-12"]["under_follow_up"] == 1 and trend["2020-02-09"][
        "under_follow_up"] == 0


def test_trend_and_daily_report_agree_day_by_day(village: Run) -> None:
    # 席晓东 from 02-12 (re-exposed on 02-15); 王桂兰 from 02-14, ended lost on 02-17 after a
    # visit of 02-18 was written; 席梓涵 from 02-15; 张丽 from 02-12, corrected to 02-13
    # after her visit of 02-12 was written; 李秀英 seen at a forced visit on 02-16, her
    # quarantine then started that day.
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-12")
    ok(village, "quarantine", "start", "王桂兰", "--since", "2020-02-14")
    ok(village, "quarantine", "start", "席梓涵", "--since", "2020-02-15")
    ok(village, "quarantine", "start", "张丽", "--since", "2020-02-12")
    for day in ("2020-02-12", "2020-02-13", "2020-02-15", "2020-02-16"):
        visit(village, "席晓东", f"{day} 09:00", "--temp", "36.6")
    visit(village, "王桂兰", "2020-02-14 10:00", "--temp", "37.8")
    visit(village, "王桂兰", "2020-02-18 10:00", "--temp", "36.6")
    visit(village, "席梓涵", "2020-02-16 10:00", "--temp", "36.4")
    visit(village, "张丽", "2020-02-12 10:00", "--temp", "36.4")
    visit(village, "张丽", "2020-02-13 10:00", "--temp", "36.4")
    ok(village, "visit", "log", "李秀英", "--force", "--temp", "36.5", "--at", "2020-02-16 11:00")
    ok(village, "quarantine", "start", "李秀英", "--since", "2020-02-16")
    ok(village, "quarantine", "end", "王桂兰", "--outcome", "lost", "--date", "2020-02-17")
    ok(village, "quarantine", "extend", "席晓东", "--since", "2020-02-15")
    ok(village, "quarantine", "correct", "张丽", "--since", "2020-02-13", "--reason", "录错")
    trend = village.json("report", "trend", "--days", "9")  # 02-12 .. 02-20
    for row in trend:
        day = village.json("report", "daily", "--date", row["date"])["totals"]
        ended = sum(day[f"ended_{o}"] for o in ("completed", "hospitalised", "transferred",
                                                "lost"))
        assert (row["under_follow_up"], row["visited"], row["fevers"], row["new"],
                row["ended"]) == (day["under_follow_up"], day["visited"], day["fevers"],
                                  day["new_today"], ended), row["date"]
    by_day = {r["date"]: (r["under_follow_up"], r["visited"], r["fevers"], r["new"], r["ended"])
              for r in trend}
    # under follow-up, visited, fevers, new, ended
    assert by_day["2020-02-12"] == (1, 1, 0, 1, 0)  # 张丽's visit of 02-12: before her start
    assert by_day["2020-02-13"] == (2, 2, 0, 1, 0)
    assert by_day["2020-02-14"] == (3, 1, 1, 1, 0)  # 王桂兰 seen with a fever
    assert by_day["2020-02-16"] == (5, 3, 0, 1, 0)  # 李秀英's forced visit counts
    assert by_day["2020-02-17"] == (5, 0, 0, 0, 1)  # 王桂兰's last day under follow-up
    assert by_day["2020-02-18"] == (4, 0, 0, 0, 0)  # her visit of 02-18: after her end


def test_a_start_typed_wrong_is_corrected_and_the_original_kept(village: Run) -> None:
    future = village("quarantine", "start", "席晓东", "--since", "2062-12-01")
    assert future.exit_code == 1 and "later than now" in future.stderr
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-01")  # meant 02-10
    assert totals(village, "2020-02-05")["under_follow_up"] == 1
    fixed = ok(village, "quarantine", "correct", "席晓东", "--since", "2020-02-10",
               "--reason", "日期录错")
    assert "was 2020-02-01, 14 days" in fixed.stdout and "until 2020-02-23" in fixed.stdout
    assert totals(village, "2020-02-05")["under_follow_up"] == 0
    assert totals(village, "2020-02-10")["new_today"] == 1
    [row] = village.json("quarantine", "list")
    assert (row["start_date"], row["last_day"]) == ("2020-02-10", "2020-02-23")
    assert village.sql("SELECT start_date FROM quarantines") == [("2020-02-01",)]
    [audit] = [a for a in village.json("audit") if a["action"] == "quarantine.correct"]
    assert '"old_start": "2020-02-01"' in audit["detail"] and "日期录错" in audit["detail"]


def test_a_same_day_move_to_central_counts_the_person_once(village: Run) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    visit(village, "席晓东", "2020-02-14 09:00", "--temp", "36.6")
    moved = ok(village, "quarantine", "transfer", "席晓东", "--to", "central", "--date",
               "2020-02-14", "--place", "如家酒店")
    assert "until 2020-02-23" in moved.stdout  # the count of 14 days goes on
    day = village.json("summary", "--date", "2020-02-14")
    assert (day["totals"]["under_follow_up"], day["totals"]["visited"],
            day["totals"]["not_visited"]) == (1, 1, 0)
    report = village.json("report", "daily", "--date", "2020-02-14")["totals"]
    assert (report["home"], report["central"], report["new_today"],
            report["ended_transferred"]) == (1, 0, 0, 1)
    next_day = totals(village, "2020-02-15")
    assert (next_day["under_follow_up"], next_day["home"], next_day["central"],
            next_day["new_today"]) == (1, 0, 1, 0)


def test_end_then_start_the_same_day_is_a_transfer_too(village: Run) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    ok(village, "quarantine", "end", "席晓东", "--outcome", "transferred", "--date", "2020-02-14")
    started = ok(village, "quarantine", "start", "席晓东", "--kind", "central", "--since",
                 "2020-02-14")
    assert "to 2020-02-23" in started.stdout
    assert totals(village, "2020-02-14")["under_follow_up"] == 1
    early = village("quarantine", "start", "王桂兰", "--since", "2020-02-12")
    assert early.exit_code == 0
    ok(village, "quarantine", "end", "王桂兰", "--outcome", "hospitalised", "--date", "2020-02-15")
    overlap = village("quarantine", "start", "王桂兰", "--since", "2020-02-13")
    assert overlap.exit_code == 1 and "ran until 2020-02-15" in overlap.stderr


def test_ended_today_is_not_waiting_for_a_visit(village: Run) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    ok(village, "quarantine", "end", "席晓东", "--outcome", "lost", "--date", "2020-02-14")
    day = village.json("summary", "--date", "2020-02-14")
    assert (day["totals"]["under_follow_up"], day["totals"]["not_visited"]) == (1, 0)
    assert day["not_visited"] == []
    report = village.json("report", "daily", "--date", "2020-02-14")
    assert report["not_visited"] == [] and report["totals"]["ended_lost"] == 1
    assert not [d for d in village.json("remind", "--date", "2020-02-14")
                if "席晓东" in d["subject"]]


def test_completion_before_the_last_day_refused(village: Run) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-05", "--days", "14")
    visit(village, "席晓东", "2020-02-15 09:00", "--temp", "36.5")
    early = village("quarantine", "end", "席晓东", "--outcome", "completed", "--date",
                    "2020-02-15")
    assert early.exit_code == 1 and "runs until 2020-02-18" in early.stderr
    future = village("quarantine", "end", "席晓东", "--outcome", "lost", "--date", "tomorrow")
    assert future.exit_code == 1 and "later than now" in future.stderr


def test_a_visit_before_the_quarantine_began_is_not_its_visit(village: Run) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    before = village("visit", "log", "席晓东", "--at", "2020-02-08 09:00", "--temp", "36.5")
    assert before.exit_code == 1 and "not under quarantine" in before.stderr


def test_a_quarantined_resident_going_out_is_a_breach(village: Run) -> None:
    ok(village, "checkpoint", "add", "北路口")
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    [person] = [p for p in village.json("roster", "list") if p["name"] == "席晓东"]
    number = village.json("roster", "show", f"#{person['id']}", "--reveal")["person"][
        "id_number"]
    out = ok(village, "checkpoint", "log", "北路口", "-n", "席晓东", "--id", number,
             "--resident", "-d", "out", "--at", "2020-02-14 10:00")
    assert "QUARANTINE BREACH" in out.stdout
    assert village.json("report", "daily", "--date", "2020-02-14")["field"][
        "quarantine_breaches"] == 1
    shown = village.json("roster", "show", f"#{person['id']}")
    assert [b["area"] for b in shown["quarantine_breaches"]] == ["北路口"]
    # going in is not a breach, nor going out before the quarantine began
    ok(village, "checkpoint", "log", "北路口", "-n", "席晓东", "--id", number, "--resident",
       "-d", "in", "--at", "2020-02-14 11:00")
    ok(village, "checkpoint", "log", "北路口", "-n", "席晓东", "--id", number, "--resident",
       "-d", "out", "--at", "2020-02-09 11:00")
    assert village.json("report", "daily", "--date", "2020-02-09")["field"][
        "quarantine_breaches"] == 0
    future = village("checkpoint", "log", "北路口", "-n", "张三", "--at", "tomorrow 09:00")
    assert future.exit_code == 1 and "later than now" in future.stderr


def test_a_sent_report_says_what_changed_since_and_why(village: Run, tmp_path) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    ok(village, "quarantine", "start", "王桂兰", "--since", "2020-02-10")
    visit(village, "席晓东", "2020-02-14 09:00", "--temp", "36.6")
    visit(village, "王桂兰", "2020-02-14 09:30", "--temp", "37.0")
    sent = tmp_path / "日报-0214.json"
    ok(village, "report", "daily", "--date", "2020-02-14", "--format", "json", "-o", str(sent))
    assert json.loads(sent.read_text(encoding="utf-8"))["totals"]["fevers"] == 0
    same = village.json("report", "daily", "--date", "2020-02-14")["since_sent"]
    assert same["changes"] == [] and same["sent_to"] == "日报-0214.json"
    # the next day: 王桂兰's reading of 02-14 was 38.0, not 37.0; a visit on 02-15 changes
    # nothing of 02-14
    [visit_row] = [v for v in village.json("visit", "list", "--date", "2020-02-14")
                   if v["name"] == "王桂兰"]
    ok(village, "visit", "amend", str(visit_row["id"]), "--temp", "38.0")
    visit(village, "席晓东", "2020-02-15 09:00", "--temp", "36.5")
    changed = village.json("report", "daily", "--date", "2020-02-14")["since_sent"]
    # fevers 0 -> 1 in the total and in 一组 (both live in XZ-001, group 一组)
    assert [(c["area"], c["measure"], c["sent"], c["now"]) for c in changed["changes"]
            if c["measure"] == "fevers"] == [(None, "fevers", 0, 1), ("一组", "fevers", 0, 1)]
    assert [(b["action"], b["record"]) for b in changed["because"]] == [
        ("visit.amend", f"visit #{visit_row['id'] + 1}")]  # the new row that amends it
    table = village("report", "daily", "--date", "2020-02-14")
    assert "Changed since the report was" in table.stdout
    assert "visit.amend" in table.stdout
    zh = village("report", "daily", "--date", "2020-02-14", "--format", "md", lang="zh")
    assert "日报报送后的变动" in zh.stdout and "报送后改动的记录" in zh.stdout


def number_of(run: Run, name: str) -> str:
    [person] = [p for p in run.json("roster", "list") if p["name"] == name]
    return run.json("roster", "show", f"#{person['id']}", "--reveal")["person"]["id_number"]


def test_lost_to_follow_up_after_two_days_unseen(village: Run) -> None:
    ok(village, "quarantine", "start", "席晓东", "--since", "2020-02-10")
    visit(village, "席晓东", "2020-02-10 09:00", "--temp", "36.5")
    visit(village, "席晓东", "2020-02-11 09:00", "--temp", "36.5")
    # 02-13: seen on 02-11, within the two days before -> not lost; 02-14: not seen on
    # 02-12, 02-13 nor 02-14 -> lost
    assert totals(village, "2020-02-13")["lost_to_followup"] == 0
    day = village.json("report", "daily", "--date", "2020-02-14")
    assert day["totals"]["lost_to_followup"] == 1
    assert [(p["name"], p["last_seen"]) for p in day["lost_to_followup"]] == [
        ("席晓东", "2020-02-11")]
    assert village.json("summary", "--date", "2020-02-14")["totals"]["lost_to_followup"] == 1
    kinds = {d["kind"] for d in village.json("remind", "--date", "2020-02-14")}
    assert "lost_to_followup" in kinds and "visit_due" not in kinds


def test_a_fever_from_any_source_stays_on_the_list_until_a_normal_reading(
        village: Run) -> None:
    ok(village, "checkpoint", "add", "北路口")
    # not under quarantine: a forced visit, and a resident's temperature at the checkpoint
    ok(village, "visit", "log", "王桂兰", "--force", "--temp", "38.3", "--at", "2020-02-14 09:00")
    ok(village, "checkpoint", "log", "北路口", "-n", "席梓涵", "--id", number_of(village, "席梓涵"),
       "--resident", "--temp", "37.9", "--at", "2020-02-14 10:00")
    for day in ("2020-02-14", "2020-02-15", "2020-02-17"):  # days later, still open
        fevers = {d["subject"].split()[-1]: d for d in village.json("remind", "--date", day)
                  if d["kind"] == "fever_recheck"}
        assert set(fevers) == {"王桂兰", "席梓涵"}, day
    assert fevers["王桂兰"]["command"].endswith("--force")
    ok(village, "visit", "log", "王桂兰", "--force", "--temp", "36.6", "--at", "2020-02-17 15:00")
    fevers = {d["subject"].split()[-1] for d in village.json("remind", "--date", "2020-02-17")
              if d["kind"] == "fever_recheck"}
    assert fevers == {"席梓涵"}


def test_pass_holder_at_risk_is_suspended_and_unready_enterprise_refused(
        village: Run) -> None:
    ok(village, "enterprise", "add", "豫丰食品厂")
    ok(village, "enterprise", "check", "豫丰食品厂", "--cleaned", "--disinfected")
    refused = village("pass", "issue", "席晓东", "--enterprise", "豫丰食品厂")
    assert refused.exit_code == 1 and "2 of 4 checklist items" in refused.stderr
    ok(village, "pass", "issue", "席晓东", "--enterprise", "豫丰食品厂", "--override", "送货")
    [serial] = [p["serial"] for p in village.json("pass", "list")]
    assert village.json("pass", "verify", serial)["status"] == "valid"
    ok(village, "quarantine", "start", "席晓东")
    held = village("pass", "verify", serial)
    assert held.exit_code == 1 and "SUSPENDED" in held.stdout and "quarantine" in held.stdout
    ok(village, "quarantine", "end", "席晓东", "--outcome", "lost")
    ok(village, "pass", "issue", "王桂兰")
    [other] = [p["serial"] for p in village.json("pass", "list") if p["name"] == "王桂兰"]
    ok(village, "visit", "log", "王桂兰", "--force", "--temp", "38.0")
    fever = village("pass", "verify", other, "--format", "json")
    assert fever.exit_code == 1
    assert json.loads(fever.stdout)["status"] == "suspended"
    assert json.loads(fever.stdout)["suspended_for"] == "fever"
