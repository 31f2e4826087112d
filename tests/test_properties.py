"""Property tests: the import's fast path agrees with the reference validator, and random
rosters round-trip through import and `roster list --format json`."""

from __future__ import annotations

import json
from itertools import count
from pathlib import Path


from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from epitool.cli.app import app
from epitool.core.roster_fast import Deduplicator, fill_batch
from epitool.core.roster_rows import CleanCache, Layout, check_row
from tests.conftest import HEADER_ZH, valid_id, write_csv

COLUMNS = {f: i for i, f in enumerate(
    ("name", "sex", "id_number", "phone", "household", "relation", "group", "address"))}

id_bodies = st.from_regex(r"\A[1-6][0-9]{5}(19[5-9][0-9]|200[0-9])(0[1-9]|1[0-2])"
                          r"(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z")
ids = st.one_of(id_bodies.map(valid_id), id_bodies.map(lambda b: b + "0"),
                st.sampled_from(["", "4.10171E+17", "410102410503204", "123", "x" * 18]))
texty = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
names = st.one_of(st.sampled_from(["王五", "NA", "None", " 刘䶮 ", "[bold]x", "=1+1", ""]),
                  texty)
phones = st.one_of(st.just(""), st.from_regex(r"\A1[3-9][0-9]{9}\Z"), texty)
sexes = st.sampled_from(["", "男", "女", "M", "f", "x"])
rows = st.lists(st.tuples(names, sexes, ids, phones, st.sampled_from(["H1", "H2", ""]),
                          st.sampled_from(["户主", "配偶", ""]), texty, texty),
                max_size=12)


@given(rows)
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fast_path_agrees_with_reference(fast_loop: str, raw: list[tuple[str, ...]]) -> None:
    layout = Layout.of(COLUMNS)
    cells = [list(r) for r in raw]
    batch = fill_batch(iter(enumerate(cells, start=2)), layout, CleanCache(),
                       count(1), Deduplicator(), 10**6)
    accepted = [row[1:] for row in batch.rows()]
    expected = []
    seen: set[object] = set()
    for number, row in enumerate(cells, start=2):
        check = check_row(number, row, layout)
        if check.resident is None:
            continue
        key = check.resident[2] or (check.resident[4] or "", check.resident[0])
        if key not in seen:
            seen.add(key)
            expected.append(check.resident)
    assert accepted == expected
    assert len(batch.rejected) == len(cells) - len(expected)


def person_rows() -> st.SearchStrategy[list[list[str]]]:
    safe_name = st.text(st.characters(whitelist_categories=("Lo", "Lu", "Ll")), min_size=1,
                        max_size=6)
    one = st.tuples(safe_name, id_bodies.map(valid_id), st.from_regex(r"\A1[3-9][0-9]{9}\Z"),
                    st.sampled_from(["一组", "二组", "3号楼"]))
    return st.lists(one, min_size=1, max_size=15, unique_by=lambda r: r[1]).map(
        lambda people: [[n, "", i, p, f"H{k % 4}", "户主", g, f"{g} {k} 号"]
                        for k, (n, i, p, g) in enumerate(people)])


@given(person_rows())
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_random_rosters_round_trip(tmp_path: Path, people: list[list[str]]) -> None:
    from epitool.core.normalize import clean_cell

    folder = Path(__import__("tempfile").mkdtemp(dir=tmp_path))
    path = write_csv(folder / "r.csv", people, header=HEADER_ZH)
    runner = CliRunner()
    base = ["--db", str(folder / "t.db"), "--lang", "en"]
    result = runner.invoke(app, [*base, "roster", "import", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["inserted"] == len(people)
    listed = runner.invoke(app, [*base, "roster", "list", "--reveal", "--format", "json"])
    got = {r["id_number"]: (r["name"], r["phone"], r["household"], r["group"], r["address"])
           for r in json.loads(listed.stdout)}
    assert got == {p[2]: (clean_cell(p[0]), p[3], p[4], p[6], p[7]) for p in people}
    again = runner.invoke(app, [*base, "roster", "import", str(path), "--format", "json"])
    assert json.loads(again.stdout)["unchanged"] == len(people)


CP_COLUMNS = {f: i for i, f in enumerate(
    ("point", "name", "id_number", "phone", "plate", "origin", "destination", "date", "temp",
     "turned_back", "direction", "turn_back_reason"))}
cp_rows = st.lists(st.tuples(
    st.sampled_from(["北路口", "南路口", "#1", "西路口", "", " 北路口"]), names, ids, phones,
    st.one_of(st.sampled_from(["豫A12345", "豫AD12345", "XYZ", "豫a12345", "豫A 12345", ""]),
              texty),
    st.sampled_from(["郑州", "", "=cmd"]), st.sampled_from(["席庄村", ""]),
    st.one_of(st.sampled_from(["2020-02-05 09:00", "2020/2/5 10:00", "2020年2月5日 21:00",
                               "2020-02-05 09:00 ", "2020-02-05", "03/02/2020 09:00", ""]),
              texty),
    st.one_of(st.sampled_from(["36.5", "37.3", "37.9", "36.5℃", "365", "", " 36.5", "abc"]),
              texty),
    st.sampled_from(["否", "", "是", "外地车辆", "No", "劝返", "Yes", "non-resident"]),
    st.sampled_from(["", "进", "出", "OUT", "sideways"]),
    st.sampled_from(["", "外地车辆", " 无通行证", "NO PASS"])), max_size=15)


@given(cp_rows)
@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_checkpoint_fast_path_agrees_with_reference(fast_loop: str,
                                                    raw: list[tuple[str, ...]]) -> None:
    cells = [list(r) for r in raw]
    # Twice over, the second time by other people: their time and temperature texts are in
    # the caches by then, so the clean ones take the fast path.
    others = [[row[0], row[1] + "乙", *row[2:]] for row in cells]
    _checkpoint_paths_agree(cells + others + cells)


def test_checkpoint_turned_back_rows_agree(fast_loop: str) -> None:
    """Every flag and reason a guard's sheet has, in otherwise clean rows whose time and
    temperature are known by then: the rows a fast path takes."""
    flags = ["否", "", "是", "劝返", "外地车辆", "No", "NO", "Yes", "non-resident", "√"]
    reasons = ["", "外地车辆", " 无通行证", "NO PASS"]
    rows = [["北路口", f"王{i}", "", "", "", "", "", "2020-02-05 09:00", "36.5", flag, "",
             reason] for i, (flag, reason) in enumerate(
                 (f, r) for f in flags for r in reasons)]
    _checkpoint_paths_agree([rows[0], *rows, *rows])


def _checkpoint_paths_agree(cells: list[list[str]]) -> None:
    from epitool.core.checkpoint_rows import (Passages, Settings, _Caches, fill_batch,
                                              passage_key, reference_row, wire)
    from epitool.core.uid import uid_sequence
    from epitool.core.visit_rows import RowProblem
    from epitool.errors import EpitoolError

    settings_ = Settings({"北路口": "p1", "#1": "p1", "南路口": "p2"}, None, 37.3,
                         "Asia/Shanghai", None)
    doubled = list(enumerate(cells, start=2))
    batch = fill_batch(iter(doubled), CP_COLUMNS, settings_, uid_sequence(), Passages(None),
                       _Caches(), 10**6)
    expected, rejected, seen = [], [], set()
    for number, row in doubled:
        try:
            values = reference_row(row, CP_COLUMNS, settings_)
        except (RowProblem, EpitoolError) as problem:
            rejected.append((number, problem.key))
            continue
        key = passage_key(values[0], values[1], values[3], values[4])
        if key in seen:
            rejected.append((number, "row_duplicate_passage"))
            continue
        seen.add(key)
        expected.append(values)
    assert [row[1:] for row in batch.rows()] == [wire("", v)[1:] for v in expected]
    assert [(r.row, r.key) for r in batch.rejected] == rejected
    assert batch.fevers == sum(v[11] for v in expected)
    assert batch.plate_warnings == sum(v[7] == 0 for v in expected)
