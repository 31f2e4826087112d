"""ID numbers, phones, masking: the rules, with python-stdnum as the oracle."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from epitool.core.rules import (
    birth_date_from_id,
    check_id_number,
    clean_phone,
    sex_from_id,
)
from epitool.privacy import mask_id, mask_phone
from tests.conftest import valid_id


def test_standard_example_is_valid() -> None:
    assert check_id_number("11010519491231002X") == ("id18", None)


def test_unknown_new_area_code_is_not_an_error() -> None:
    number = valid_id("41017119900101123")
    with pytest.raises(KeyError):  # why we do not use stdnum's full validate
        ric.validate(number)
    assert check_id_number(number) == ("id18", None)


@pytest.mark.parametrize(
    "number, reason",
    [
        ("4.10171E+17", "id_excel_scientific"),
        ("4.10171199001012E+17", "id_excel_scientific"),
        ("410171199001011234.0", "id_excel_float"),
        ("410171199001011000", "id_excel_zeros"),
        ("11010519491231002Y", "id_bad_chars"),
        ("1101051949123100", "id_bad_length"),
        ("110105194913310028", "id_bad_birth"),
        ("110105194912310021", "id_bad_check"),
        ("11010549123100A", "id_bad_chars"),
    ],
)
def test_bad_numbers_have_reasons(number: str, reason: str) -> None:
    assert check_id_number(number)[1] == reason


def test_legacy_fifteen_digits_accepted_and_flagged() -> None:
    assert check_id_number("410102410503204") == ("legacy15", None)
    assert birth_date_from_id("410102410503204") == "1941-05-03"
    assert sex_from_id("410102410503204") == "F"


@given(
    st.from_regex(
        r"\A[1-6][0-9]{5}(19[0-9]{2}|20[01][0-9])(0[1-9]|1[0-2])"
        r"(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"
    ),
    st.sampled_from("0123456789X"),
)
def test_check_digit_agrees_with_stdnum(body: str, last: str) -> None:
    number = body + last
    expected_ok = ric.calc_check_digit(number) == last
    _kind, problem = check_id_number(number)
    if expected_ok:
        assert problem is None
    else:
        assert problem in ("id_bad_check", "id_excel_zeros")


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("0371-66889900", "037166889900"),
        ("13812345678.0", "13812345678"),
    ],
)
def test_phone_shapes(raw: str, clean: str) -> None:
    assert clean_phone(raw) == (clean, None)


@pytest.mark.parametrize("raw", ["12345", "23812345678", "1381234567a", "138123456789"])
def test_bad_phones(raw: str) -> None:
    assert clean_phone(raw)[1] == "phone_bad"


def test_masks() -> None:
    assert mask_id("41017119900101970X") == "410171********970X"
    assert mask_id("410102410503204") == "410102*****3204"
    assert mask_phone("13812341234") == "138****1234"
    assert mask_id(None) == "" and mask_phone("") == ""
