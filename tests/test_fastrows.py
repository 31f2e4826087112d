"""The C loop's own assumptions (epitool/_fastrows.c). Its results are held to the reference
checks in test_properties.py; these check what it takes for granted."""

from __future__ import annotations

import unicodedata
from itertools import islice

import pytest
from hypothesis import given
from hypothesis import strategies as st

fastrows = pytest.importorskip("_epitool_fastrows", reason="the C loop is not built here")

# is_plain_han() in _fastrows.c
HAN = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF)]


def test_plain_han_needs_no_normalising_and_has_no_case() -> None:
    """The C loop skips unicodedata and lower()/upper() for these characters."""
    odd = [hex(code) for first, last in HAN for code in range(first, last + 1)
           if chr(code).isprintable()
           and not (unicodedata.is_normalized("NFKC", chr(code))
                    and chr(code).lower() == chr(code) == chr(code).upper()
                    and unicodedata.combining(chr(code)) == 0)]
    assert odd == []


@pytest.mark.parametrize(("data", "digest"), [
    (b"", "00000000000000000000000000000000"),
    (b"a", "897859f6655555855a890e51483ab5e6"),
    (b"hello", "029bbd41b3a7d8cb191dae486a901e5b"),
    (b"0123456789abcdef", "a7d14acf946de04bda08a7635c5bc387"),
    (b"The quick brown fox jumps over the lazy dog", "6c1b07bc7bbc4be347939ac4a93c437a"),
    ("北路口\x1f2020-02-05T09:00:00+08:00\x1f王五\x1f".encode(),
     "e30509f3e3e9557de3148da8197e2304"),
])
def test_key_is_murmur3_x64_128(data: bytes, digest: str) -> None:
    """Published MurmurHash3_x64_128 values (seed 0, as the mmh3 package gives them)."""
    assert fastrows.key(data).hex() == digest


def test_checkpoint_key_is_the_same_from_c_and_from_python() -> None:
    from epitool.core.checkpoint_rows import Passages, Settings, _Caches, fill_batch
    from epitool.core.uid import uid_sequence

    settings = Settings({"北路口": "p1"}, None, 37.3, "Asia/Shanghai", None)
    row = ["北路口", "王五", "", "", "", "", "", "2020-02-05 09:00", "36.5", "否", "", ""]
    columns = {f: i for i, f in enumerate(
        ("point", "name", "id_number", "phone", "plate", "origin", "destination", "date",
         "temp", "turned_back", "direction", "turn_back_reason"))}
    # The first row goes through Python (its time is not known yet), the copy through C.
    passages = Passages(None)
    batch = fill_batch(iter([(2, row), (3, list(row))]), columns, settings, uid_sequence(),
                       passages, _Caches(), 10)
    assert [(r.row, r.key) for r in batch.rejected] == [(3, "row_duplicate_passage")]


def test_birth_dates_by_arithmetic_are_the_set_of_the_python_paths() -> None:
    """The C loop checks a birth date by arithmetic between birth_date_range()'s bounds;
    the Python paths look it up in _birth_dates(). Every day of years at the edges, leap and
    not, and impossible months and days, must be judged alike."""
    import unicodedata as ud
    from itertools import count

    from stdnum.cn.ric import calc_check_digit

    from epitool.core.identity import _birth_dates, birth_date_range
    from epitool.core.roster_fast import _SEXES

    dates, last_year = _birth_dates(), int(max(_birth_dates())[:4])
    candidates = [f"{y:04d}{m:02d}{d:02d}" for y in (1889, 1890, 1900, 1999, 2000, 2023,
                                                      2024, last_year, last_year + 1)
                  for m in range(14) for d in range(33)]
    rows = []
    for number, day in enumerate(candidates, start=2):
        body = f"410171{day}001"
        rows.append((number, ["王五", "", body + calc_check_digit(body + "0"), "", "H1", "",
                              "", ""]))
    by_c: set[str] = set()
    flat: list[str] = []
    source, seen, texts, uids = iter(rows), {}, {}, map(str, count())
    while True:
        before = len(flat)
        consumed, slow = fastrows.roster(source, 10**6, (0, 1, 2, 3, 4, 5, 6, 7, 8), _SEXES,
                                         birth_date_range(), seen, uids, flat,
                                         ud.is_normalized, "NFKC", texts)
        by_c.update(number[6:14] for number in flat[before + 3::9])
        if slow is None:
            break
    assert by_c == {day for day in candidates if day in dates}
    assert len(by_c) > 2000  # some candidates are real days


@given(head=st.text(st.characters(max_codepoint=127), max_size=64),
       start=st.one_of(st.integers(0, 2**40), st.integers(2**48 - 5, 2**48 + 5),
                       st.integers(2**64 - 20, 2**64 - 4)))
def test_uids_are_the_python_sequence(head: str, start: int) -> None:
    """epitool/_uids.c against core.uid's map(), across the 12-digit width and beyond."""
    from epitool.core.uid import python_uid_sequence

    assert (list(islice(fastrows.Uids(head, start), 3))
            == list(islice(python_uid_sequence(head, start), 3)))


def test_uids_refuse_what_they_cannot_make() -> None:
    with pytest.raises(ValueError):
        fastrows.Uids("身份", 0)
    with pytest.raises(ValueError):
        fastrows.Uids("h" * 65, 0)
    with pytest.raises(OverflowError):
        fastrows.Uids("h", -1)
    last = fastrows.Uids("h", 2**64 - 2)
    assert next(last) == "hffffffffffffffff"
    with pytest.raises(OverflowError):
        next(last)


def test_bulk_ids_come_from_c_when_it_is_built() -> None:
    from epitool.core.uid import uid_sequence

    ids = uid_sequence()
    assert isinstance(ids, fastrows.Uids)
    first, second = next(ids), next(ids)
    assert len(first) == 36 and int(second[-12:], 16) == int(first[-12:], 16) + 1
