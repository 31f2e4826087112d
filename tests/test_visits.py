"""Daily visits, corrections and voids; disinfection sites and rounds."""

from __future__ import annotations

import os

import pytest

from tests.conftest import SAMPLES, Run

pytestmark = pytest.mark.both_engines


@pytest.fixture
def quarantined(run: Run) -> Run:
    run.json("roster", "import", str(SAMPLES / "roster_xizhuang.csv"))
    run("staff", "add", "李卫国", "--team", "cadre")
    run("staff", "assign", "李卫国", "-h", "XZ-001")
    assert run("quarantine", "start", "席晓东", "--since", "2020-02-01").exit_code == 0
    return run


def log(run: Run, *args: str, lang: str = "en"):
    return run("visit", "log", "席晓东", *args, lang=lang)


def test_visit_confirmation_and_four_ones(quarantined: Run) -> None:
    result = log(quarantined, "--temp", "36.5", "--temp2", "36.7", "--delivered", "青菜 馒头",
                 "--disinfected", "--garbage", "--at", "2020-02-05 09:00")
    assert result.exit_code == 0
    assert result.stdout.strip() == ("Visit #1 recorded: 席晓东, day 5 of 14, seen, ok, "
                                     "temperature 36.5°C / 36.7°C, by 李卫国.")
    [row] = quarantined.json("visit", "list", "--date", "2020-02-05")
    assert (row["disinfected"], row["garbage"], row["delivered"], row["fever"]) == (
        1, 1, "青菜 馒头", 0)


def test_fever_flagged_and_outcome_derived(quarantined: Run) -> None:
    result = log(quarantined, "--temp", "37.3", "--at", "2020-02-05 16:00")
    assert "FEVER: 席晓东 37.3°C (>= 37.3°C). Escalate today." in result.stdout
    zh = log(quarantined, "--temp", "36.6", "--temp2", "38.1", "--at", "2020-02-06 16:00",
             lang="zh")
    assert "发热！席晓东 体温 36.6°C / 38.1°C" in zh.stdout and "须当日上报" in zh.stdout
    cough = log(quarantined, "--temp", "36.6", "--symptom", "cough", "--at", "2020-02-07 09:00")
    assert "seen, not ok" in cough.stdout and "Symptoms: cough" in cough.stdout
    outcomes = [(v["day"], v["outcome"], v["fever"]) for v in
                quarantined.json("visit", "list", "--person", "席晓东")]
    assert outcomes == [("2020-02-05", "seen-not-ok", 1), ("2020-02-06", "seen-not-ok", 1),
                        ("2020-02-07", "seen-not-ok", 0)]


@pytest.mark.parametrize("temp, en, zh", [
    ("365", "--temp 365 is not a plausible temperature (between 34 and 43 °C). Did you mean 36.5?",
     "是不是 36.5？"),
    ("30", "--temp 30 is not a plausible temperature (between 34 and 43 °C).", "不是合理的体温"),
    ("99.9", "--temp 99.9 is not a plausible", "不是合理的体温"),
])
def test_implausible_temperature_refused(quarantined: Run, temp: str, en: str, zh: str) -> None:
    for lang, text in (("en", en), ("zh", zh)):
        result = log(quarantined, "--temp", temp, lang=lang)
        assert result.exit_code == 1 and text in result.stderr
    assert quarantined.json("visit", "list", "--person", "席晓东") == []


def test_a_full_width_temperature_is_read(quarantined: Run) -> None:
    """An input method in full-width mode types ３６．５度: the same rule as a sheet's cell."""
    assert log(quarantined, "--temp", "３６．５度", "--at", "２０２０－０２－０５").exit_code == 0
    [visit] = quarantined.json("visit", "list", "--person", "席晓东")
    assert (visit["temp"], visit["day"]) == (36.5, "2020-02-05")


def test_not_quarantined_needs_force(quarantined: Run) -> None:
    refused = quarantined("visit", "log", "王桂兰", "--temp", "36.5")
    assert refused.exit_code == 1 and "not under quarantine" in refused.stderr
    zh = quarantined("visit", "log", "王桂兰", "--temp", "36.5", lang="zh")
    assert "目前不在隔离中" in zh.stderr and "--force" in zh.stderr
    forced = quarantined("visit", "log", "王桂兰", "--temp", "36.5", "--force")
    assert forced.exit_code == 0 and "not under quarantine" in forced.stdout
    [row] = quarantined.json("visit", "list", "--person", "王桂兰")
    assert row["forced"] == 1


@pytest.mark.parametrize("args, text", [
    (["--symptom", "sneezing"], "Symptom 'sneezing' unknown"),
    (["--outcome", "fine"], "Visit outcome 'fine' unknown"),
    (["--by", "无名氏", "--temp", "36.5"], "No staff member named '无名氏'"),
    ([], "needs the temperature taken"),
    (["--outcome", "seen-ok"], "needs the temperature taken"),
    (["--outcome", "missed", "--temp", "36.5"], "means nobody was seen"),
    (["--outcome", "seen-ok", "--temp", "38.2"], "contradicts the fever"),
    (["--outcome", "seen-ok", "--temp", "36.5", "--symptom", "cough"], "contradicts"),
    (["--at", "tomorrow 09:00", "--temp", "36.5"], "is later than now"),
    (["--at", "03/02/2020 09:00"], "Cannot read date '03/02/2020'"),
])
def test_visit_refusals(quarantined: Run, args: list[str], text: str) -> None:
    result = log(quarantined, *args)
    assert result.exit_code == 1 and text in result.stderr


def test_unknown_and_ambiguous_person(quarantined: Run) -> None:
    assert "No one matches '曹操'" in quarantined("visit", "log", "曹操", "--temp", "36.5").stderr
    assert "matches several people" in quarantined("visit", "log", "王伟", "--temp",
                                                   "36.5").stderr


def test_amend_keeps_original_and_chain(quarantined: Run) -> None:
    log(quarantined, "--temp", "38.5", "--at", "2020-02-05 09:00")
    amended = quarantined("visit", "amend", "1", "--temp", "36.5")
    assert amended.exit_code == 0
    assert "new record #2 supersedes #1 (seen, ok); the original is kept" in amended.stdout
    [row] = quarantined.json("visit", "list", "--date", "2020-02-05")
    assert (row["id"], row["temp"], row["fever"], row["amends"], row["at"]) == (
        2, 36.5, 0, 1, "2020-02-05T09:00:00+08:00")
    again = quarantined("visit", "amend", "#1", "--temp", "36.6")
    assert again.exit_code == 1 and "already corrected by #2" in again.stderr
    assert quarantined.sql("SELECT id, temp, CASE WHEN supersedes IS NULL THEN 0 ELSE 1 END"
                           " FROM visits ORDER BY id") == [(1, 38.5, 0), (2, 36.5, 1)]


def test_void_needs_reason_and_hides_from_counts(quarantined: Run) -> None:
    log(quarantined, "--temp", "36.5", "--at", "2020-02-05 09:00")
    for lang, text in (("en", "Voiding a visit needs a reason"), ("zh", "作废走访必须写明原因")):
        result = quarantined("visit", "void", "1", lang=lang)
        assert result.exit_code == 1 and text in result.stderr
    done = quarantined("visit", "void", "1", "--reason", "录错人")
    assert done.exit_code == 0 and "voided (reason: 录错人); the record is kept" in done.stdout
    assert quarantined.json("visit", "list", "--date", "2020-02-05") == []
    assert quarantined.json("summary", "--date", "2020-02-05")["totals"]["visited"] == 0
    assert "is voided" in quarantined("visit", "void", "1", "--reason", "x").stderr
    assert quarantined.sql("SELECT count(*) FROM visits") == [(1,)]


def test_sites_rounds_and_overdue(quarantined: Run) -> None:
    assert quarantined("site", "add", "村委会广场", "--kind", "public", "--every", "1",
                       "--group", "一组").exit_code == 0
    assert quarantined("site", "add", "席晓东家", "--kind", "household", "--household",
                       "XZ-001").exit_code == 0
    assert quarantined("site", "add", "北路口卡点", "--kind", "checkpoint", "--every",
                       "2").exit_code == 0
    dup = quarantined("site", "add", "村委会广场", "--kind", "public")
    assert dup.exit_code == 1 and "exists already" in dup.stderr
    assert "needs --household" in quarantined("site", "add", "某户", "--kind",
                                              "household").stderr
    assert quarantined("disinfect", "log", "村委会广场", "--agent", "84消毒液", "--by", "李卫国",
                       "--at", "2020-02-05 08:00").exit_code == 0
    assert quarantined("disinfect", "log", "北路口卡点", "--at", "2020-02-04 08:00").exit_code == 0
    log(quarantined, "--temp", "36.5", "--disinfected", "--at", "2020-02-05 10:00")
    sites = {s["name"]: s for s in quarantined.json("site", "list", "--date", "2020-02-05")}
    assert {n: (s["last_round"], s["overdue"]) for n, s in sites.items()} == {
        "村委会广场": ("2020-02-05", False), "席晓东家": ("2020-02-05", False),
        "北路口卡点": ("2020-02-04", False)}
    later = {s["name"]: s["overdue"] for s in
             quarantined.json("site", "list", "--date", "2020-02-06")}
    assert later == {"村委会广场": True, "席晓东家": True, "北路口卡点": True}
    rounds = quarantined.json("disinfect", "list", "--date", "2020-02-05")
    assert [(r["site"], r["from_visit"], r["agent"]) for r in rounds] == [
        ("村委会广场", None, "84消毒液"), ("席晓东家", 1, None)]
    missing = quarantined("disinfect", "log", "不存在的点")
    assert missing.exit_code == 1 and "No site named '不存在的点'" in missing.stderr


def test_the_audit_names_the_account_not_what_the_shell_says(
        run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """USER and LOGNAME are a shell's words and can name anyone: the audit trail records
    the account the command ran as, from the password database; --by-user names a person."""
    import pwd

    monkeypatch.setenv("USER", "mallory")
    monkeypatch.setenv("LOGNAME", "mallory")
    assert run("roster", "import", str(SAMPLES / "roster_xizhuang.csv")).exit_code == 0
    assert run("--by-user", "王会计", "staff", "add", "李卫国", "--team", "cadre").exit_code == 0
    account = pwd.getpwuid(os.getuid()).pw_name
    assert run.sql("SELECT action, who FROM audit WHERE action IN ('roster.import', "
                   "'staff.add') ORDER BY id") == [("roster.import", account),
                                                   ("staff.add", "王会计")]


def test_a_number_past_any_row_names_nothing(quarantined: Run) -> None:
    """A key held down (#999...9, past the database's integers) is a record that does not
    exist, said in words, exit 1; not an overflow from the database. The suggested command
    quotes it: unquoted, the shell would read #... as a comment."""
    huge = "#" + "9" * 25
    said = {("roster", "show", huge): f'No one matches \'{huge}\'. Name a person by ID '
            f'number, #number or name; try: epitool roster list --search "{huge}"',
            ("visit", "amend", huge, "--temp", "36.6"): f"No visit {huge}.",
            ("visit", "log", "席晓东", "--temp", "36.6", "--by", huge):
                f'epitool staff add "{huge}" --team volunteer',
            # a name is data: pasted, the suggestion adds it, it does not run it
            ("visit", "log", "席晓东", "--temp", "36.6", "--by", 'a"$(touch x)'):
                'epitool staff add "a\\"\\$(touch x)" --team volunteer'}
    for args, words in said.items():
        result = quarantined(*args)
        assert result.exit_code == 1, result.output
        assert words in result.stderr, result.stderr
