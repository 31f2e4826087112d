"""The C loop's own assumptions (epitool/_fastrows.c). Its results are held to the reference
checks in test_properties.py; these check what it takes for granted."""

from __future__ import annotations

import unicodedata

import pytest

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
