"""A household's full 14-day home quarantine, day by day, against `summary --format json`.

刘䶮's household (XZ-003, 一组: 刘䶮, 陈静, 刘子轩) starts on 2020-02-01. Every morning the
representative visits each of them and disinfects the home, except: on day 5 陈静 has a
fever and a cough; on day 8 刘子轩 is not seen (missed); on day 10 nobody visits 刘䶮.
On day 14 all three are seen and their quarantines are completed.
"""

from __future__ import annotations

from datetime import date, timedelta

from tests.conftest import SAMPLES, Run

START = date(2020, 2, 1)
FAMILY = ("刘䶮", "陈静", "刘子轩")
FEVER = (5, "陈静")
MISSED = (8, "刘子轩")
SKIPPED = (10, "刘䶮")


def expected(day_number: int) -> dict[str, int]:
    """The counts a clerk would tally by hand for that day."""
    visited = [p for p in FAMILY if (day_number, p) not in (MISSED, SKIPPED)]
    return {
        "under_follow_up": 3, "visited": len(visited), "not_visited": 3 - len(visited),
        "missed": int(day_number == MISSED[0]), "fevers": int(day_number == FEVER[0]),
        "symptomatic": int(day_number == FEVER[0]), "ending_today": 3 * (day_number == 14),
        "completed_today": 3 * (day_number == 14),
        "lost_to_followup": 0,  # nobody goes two days unseen
        # The home is disinfected by visits every day, the square every other day.
        "overdue_sites": 0,
    }


def test_fourteen_days(run: Run) -> None:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    assert run("staff", "add", "席红霞", "--team", "volunteer").exit_code == 0
    assert run("staff", "assign", "席红霞", "-h", "XZ-003").exit_code == 0
    assert run("site", "add", "刘家", "--kind", "household", "--household", "XZ-003").exit_code == 0
    assert run("site", "add", "一组广场", "--kind", "public", "--every", "2").exit_code == 0
    for person in FAMILY:
        assert run("quarantine", "start", person, "--since", START.isoformat()).exit_code == 0

    for number in range(1, 15):
        day = START + timedelta(days=number - 1)
        for person in FAMILY:
            at = ["--at", f"{day.isoformat()} 09:{FAMILY.index(person):02d}"]
            if (number, person) == SKIPPED:
                continue
            if (number, person) == MISSED:
                args = ["--outcome", "missed"]
            elif (number, person) == FEVER:
                args = ["--temp", "38.2", "--symptom", "cough"]
            else:
                args = ["--temp", "36.5", "--disinfected", "--garbage"]
            result = run("visit", "log", person, *args, *at)
            assert result.exit_code == 0, result.stderr
        if number % 2 == 1:
            assert run("disinfect", "log", "一组广场", "--at", f"{day} 08:00").exit_code == 0
        if number == 14:
            for person in FAMILY:
                ended = run("quarantine", "end", person, "--outcome", "completed", "--date",
                            day.isoformat())
                assert ended.exit_code == 0, ended.stderr

        summary = run.json("summary", "--date", day.isoformat())
        want = expected(number)
        totals = summary["totals"]
        assert totals == want, f"day {number}"
        assert summary["groups"] == [{"group": "一组", **{k: totals[k] for k in totals
                                                         if k != "overdue_sites"}}]
        assert {p["name"] for p in summary["not_visited"]} == {
            p for p in FAMILY if (number, p) in (MISSED, SKIPPED)}
        assert [(f["name"], f["max_temp"]) for f in summary["fevers"]] == (
            [("陈静", 38.2)] if number == FEVER[0] else [])
        assert [s["name"] for s in summary["symptomatic"]] == (
            ["陈静"] if number == FEVER[0] else [])
        assert summary["visited_by"] == [{"staff": "席红霞",
                                          "visits": 3 - (number == SKIPPED[0])}]
        assert len(summary["ending_today"]) == 3 * (number == 14)

    after = run.json("summary", "--date", (START + timedelta(days=14)).isoformat())
    assert after["totals"]["under_follow_up"] == 0
    assert {k: after["totals"][k] for k in ("visited", "fevers")} == {"visited": 0, "fevers": 0}
    # The household site was disinfected by the visits; the square every other day.
    overdue = run.json("summary", "--date", (START + timedelta(days=15)).isoformat())
    assert {s["name"] for s in overdue["overdue_sites"]} == {"刘家", "一组广场"}
    statuses = {q["name"]: q["status"] for q in run.json("quarantine", "list")}
    assert statuses == dict.fromkeys(FAMILY, "completed")
