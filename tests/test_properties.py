"""Property tests: the validators answer every row with a value or a known reason, and random
rosters round-trip through import and `roster list --format json`."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from epitool.cli.app import app
from epitool.core.config import load_config
from epitool.core.layout import Layout
from epitool.core.roster.rows import FIELDS, check_row
from epitool.errors import InputError
from tests.conftest import HEADER_ZH, valid_id, write_csv

COLUMNS = {
    f: i
    for i, f in enumerate(
        ("name", "sex", "id_number", "phone", "household", "relation", "group", "address")
    )
}

id_bodies = st.from_regex(
    r"\A[1-6][0-9]{5}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])"
    r"(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"
)
ids = st.one_of(
    id_bodies.map(valid_id),
    id_bodies.map(lambda b: b + "0"),
    st.sampled_from(["", "4.10171E+17", "410102410503204", "123", "x" * 18]),
)
texty = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
names = st.one_of(st.sampled_from(["王五", "NA", "None", " 刘䶮 ", "[bold]x", "=1+1", ""]), texty)
phones = st.one_of(st.just(""), st.from_regex(r"\A1[3-9][0-9]{9}\Z"), texty)
sexes = st.sampled_from(["", "男", "女", "M", "f", "x"])
rows = st.lists(
    st.tuples(
        names,
        sexes,
        ids,
        phones,
        st.sampled_from(["H1", "H2", ""]),
        st.sampled_from(["户主", "配偶", ""]),
        texty,
        texty,
    ),
    max_size=12,
)


@given(rows)
@settings(deadline=None)
def test_the_roster_validator_takes_only_valid_rows(raw: list[tuple[str, ...]]) -> None:
    """Whatever the cells, check_row answers (never raises): a resident whose fields each
    rule accepts, or problems that each name a known message."""
    from epitool.core.rules import check_id_number, clean_phone
    from epitool.i18n import describe_problem

    layout = Layout.of(COLUMNS, FIELDS)
    for number, row in enumerate(raw, start=2):
        resident = check_row(number, list(row), layout)
        if isinstance(resident, list):
            assert resident
            for problem in resident:
                assert problem.row == number
                assert describe_problem("en", problem) != problem.key
            continue
        assert resident.name and resident.sex in ("M", "F", None)
        assert resident.id_number is None or check_id_number(resident.id_number)[1] is None
        assert resident.phone is None or clean_phone(resident.phone) == (resident.phone, None)
        assert resident.id_number or resident.household_no


@given(rows)
@settings(deadline=None)
def test_a_roster_file_keeps_each_person_once(raw: list[tuple[str, ...]]) -> None:
    """The producer takes the first row of each person and names the earlier row for a
    repeat; every row is either taken or rejected."""
    import tempfile

    from epitool.core.roster.source import FIELDS_PER_ROW, People, RosterBatch, read_roster

    folder = Path(tempfile.mkdtemp())
    path = write_csv(folder / "r.csv", [list(r) for r in raw], header=HEADER_ZH)
    try:
        items = read_roster(
            path, load_config(None).header_aliases, encoding="utf-8", sheet=None, max_bytes=None
        )
        next(items)  # the header
    except InputError:
        return  # a file with nothing in it but blanks: refused as such
    taken, rejected, people = [], 0, People()
    for item in items:
        if isinstance(item, RosterBatch):
            repeats, _ = people.take(item)
            taken += [
                item.flat[i : i + FIELDS_PER_ROW] for i in range(0, len(item.flat), FIELDS_PER_ROW)
            ]
            rejected += len(item.rejected) + len(repeats)
            assert all(r.earlier < r.row for r in repeats)
    who = [row[3] or (row[5], row[1]) for row in taken]
    assert len(who) == len(set(who))
    data_rows = [r for r in raw if any(c for c in r)]
    assert len(taken) + rejected == len(data_rows)


def person_rows() -> st.SearchStrategy[list[list[str]]]:
    safe_name = st.text(
        st.characters(whitelist_categories=("Lo", "Lu", "Ll")), min_size=1, max_size=6
    )
    one = st.tuples(
        safe_name,
        id_bodies.map(valid_id),
        st.from_regex(r"\A1[3-9][0-9]{9}\Z"),
        st.sampled_from(["一组", "二组", "3号楼"]),
    )
    return st.lists(one, min_size=1, max_size=15, unique_by=lambda r: r[1]).map(
        lambda people: [
            [n, "", i, p, f"H{k % 4}", "户主", g, f"{g} {k} 号"]
            for k, (n, i, p, g) in enumerate(people)
        ]
    )


@given(person_rows())
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_random_rosters_round_trip(tmp_path: Path, people: list[list[str]]) -> None:
    from epitool.core.normalize import clean_cell

    folder = Path(__import__("tempfile").mkdtemp(dir=tmp_path))
    path = write_csv(folder / "r.csv", people, header=HEADER_ZH)
    runner = CliRunner()
    base = ["--db", str(folder / "t.db"), "--lang", "en"]
    result = runner.invoke(
        app, catch_exceptions=False, args=[*base, "roster", "import", str(path), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["inserted"] == len(people)
    listed = runner.invoke(
        app, catch_exceptions=False, args=[*base, "roster", "list", "--reveal", "--format", "json"]
    )
    got = {
        r["id_number"]: (r["name"], r["phone"], r["household"], r["group"], r["address"])
        for r in json.loads(listed.stdout)
    }
    assert got == {p[2]: (clean_cell(p[0]), p[3], p[4], p[6], p[7]) for p in people}
    again = runner.invoke(
        app, catch_exceptions=False, args=[*base, "roster", "import", str(path), "--format", "json"]
    )
    assert json.loads(again.stdout)["unchanged"] == len(people)


CP_COLUMNS = {
    f: i
    for i, f in enumerate(
        (
            "point",
            "name",
            "id_number",
            "phone",
            "plate",
            "origin",
            "destination",
            "date",
            "temp",
            "turned_back",
            "direction",
            "turn_back_reason",
        )
    )
}
cp_rows = st.lists(
    st.tuples(
        st.sampled_from(["北路口", "南路口", "#1", "西路口", "", " 北路口"]),
        names,
        ids,
        phones,
        st.one_of(
            st.sampled_from(["豫A12345", "豫AD12345", "XYZ", "豫a12345", "豫A 12345", ""]), texty
        ),
        st.sampled_from(["郑州", "", "=cmd"]),
        st.sampled_from(["席庄村", ""]),
        st.one_of(
            st.sampled_from(
                [
                    "2020-02-05 09:00",
                    "2020/2/5 10:00",
                    "2020年2月5日 21:00",
                    "2020-02-05 09:00 ",
                    "2020-02-05",
                    "03/02/2020 09:00",
                    "",
                ]
            ),
            texty,
        ),
        st.one_of(
            st.sampled_from(["36.5", "37.3", "37.9", "36.5℃", "365", "", " 36.5", "abc"]), texty
        ),
        st.sampled_from(["否", "", "是", "外地车辆", "No", "劝返", "Yes", "non-resident"]),
        st.sampled_from(["", "进", "出", "OUT", "sideways"]),
        st.sampled_from(["", "外地车辆", " 无通行证", "NO PASS"]),
    ),
    max_size=15,
)


@given(cp_rows)
@settings(deadline=None)
def test_checkpoint_rows_are_taken_or_refused_with_a_known_reason(
    raw: list[tuple[str, ...]],
) -> None:
    from epitool.core.checkpoint_rows import FIELDS, Seen, Settings, registration
    from epitool.core.rules import plate_ok
    from epitool.errors import EpitoolError
    from epitool.i18n import translate

    settings_ = Settings(
        {"北路口": "p1", "#1": "p1", "南路口": "p2"}, None, 37.3, "Asia/Shanghai", None
    )
    for row in raw:
        try:
            values = registration(Layout.of(CP_COLUMNS, FIELDS).read(list(row)), settings_,
                                  Seen())
        except EpitoolError as problem:
            assert translate("en", problem.key) != problem.key
            continue
        point, _at, direction, name = values[:4]
        assert point in ("p1", "p2") and direction in ("in", "out") and name
        assert values[7] == int(bool(values[6]) and plate_ok(values[6]))
        assert values[11] == int(values[10] is not None and values[10] >= 37.3)
        assert values[12] in (0, 1) and (values[12] == 0) == (values[13] == "")


@given(st.one_of(st.text(max_size=8), st.from_regex(r"\A\s*#?\s*\d{1,4}.?\s*\Z"),
                 st.from_regex(r"\A#0*9\d{17,19}\Z")),
       st.booleans())
def test_a_record_number_reads_as_the_pattern_it_replaced(text: str, bare: bool) -> None:
    """`#3`, `# 3`, `#３` (and `3` where a bare number names a record) give the number;
    anything else gives None: the same answer as the pattern people, staff and visits each
    had (`^#?\\s*(\\d+)$` on the stripped text)."""
    import re

    from epitool.ids import row_number

    pattern = r"#?\s*(\d+)" if bare else r"#\s*(\d+)"
    match = re.fullmatch(pattern, text.strip())
    number = int(match[1]) if match else None
    assert row_number(text, bare=bare) == (number if number is None or number < 2**63 else None)


def test_record_numbers_as_typed() -> None:
    from epitool.ids import row_number

    assert [row_number(t) for t in ("#3", " # 12 ", "#３", "3", "#3a", "#", "#-3")] == [
        3, 12, 3, None, None, None, None]
    assert row_number("3", bare=True) == 3
    # past any row (a key held down): names nothing, also when int() would refuse the digits
    assert row_number("#9223372036854775807") == 2**63 - 1
    assert row_number("#9223372036854775808") is None
    assert row_number("#" + "9" * 5000) is None
