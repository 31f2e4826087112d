"""Resident identity fields: ID numbers (GB 11643), phone numbers, sex, and their masking.

Check digits come from python-stdnum. Its full `cn.ric.validate` is not used: it looks the
area code up in a table that lacks newer codes such as 410171 and raises KeyError on them.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_FLOAT_TAIL = re.compile(r"^(\d{6,18})\.0+$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
_PHONE_JUNK = str.maketrans("", "", " -()（）")
_CHECK_CHARS = frozenset("0123456789X")
_MOBILE_SECOND = frozenset("3456789")

SEX_WORDS = {"男": "M", "男性": "M", "m": "M", "male": "M", "女": "F", "女性": "F",
             "f": "F", "female": "F"}


@lru_cache(maxsize=1)
def _birth_dates() -> frozenset[str]:
    """Every plausible YYYYMMDD birth date, for a set look-up per row instead of date()."""
    day, last, one = date(1890, 1, 1), date.today(), timedelta(days=1)
    out = []
    while day <= last:
        out.append(day.strftime("%Y%m%d"))
        day += one
    return frozenset(out)


@lru_cache(maxsize=1)
def birth_date_range() -> tuple[int, int]:
    """The first and last of _birth_dates() as YYYYMMDD numbers, for the C loops, which check
    a calendar date between them by arithmetic. The set has every day in between."""
    dates = _birth_dates()
    return int(min(dates)), int(max(dates))


def check_id_number(number: str) -> tuple[str, str | None]:
    """Return (kind, problem) for a cleaned, upper-cased ID number.

    kind is "id18" or "legacy15"; problem is None or an i18n reason key.
    """
    # Imported here: python-stdnum pulls in pydoc, and phone checks on the short-command
    # path must not pay for it. After the first call this is a dictionary look-up.
    from stdnum.cn.ric import calc_check_digit

    if len(number) == 18 and number[:17].isdigit():  # the common case, checked first
        if number[17] not in _CHECK_CHARS:
            return "", "id_bad_chars"
        if number[6:14] not in _birth_dates():
            return "id18", "id_bad_birth"
        if calc_check_digit(number) != number[17]:
            # Excel keeps 15 significant digits: a typed 18-digit ID ends in zeros.
            return "id18", "id_excel_zeros" if number.endswith("000") else "id_bad_check"
        return "id18", None
    if _SCIENTIFIC.match(number):
        return "", "id_excel_scientific"
    if _FLOAT_TAIL.match(number):
        return "", "id_excel_float"
    length = len(number)
    if length == 18:
        return "", "id_bad_chars"
    if length == 15:
        if not number.isdigit():
            return "", "id_bad_chars"
        if "19" + number[6:12] not in _birth_dates():
            return "legacy15", "id_bad_birth"
        return "legacy15", None
    return "", "id_bad_length"


def expected_check_digit(number: str) -> str:
    from stdnum.cn.ric import calc_check_digit

    return calc_check_digit(number)


def sex_from_id(number: str) -> str:
    digit = number[16] if len(number) == 18 else number[14]
    return "M" if int(digit) % 2 else "F"


def birth_date_from_id(number: str) -> str:
    raw = number[6:14] if len(number) == 18 else "19" + number[6:12]
    return f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"


def normalize_sex(text: str) -> str | None:
    """'M'/'F' for the usual spellings, '' for empty, None when unrecognised."""
    if not text:
        return ""
    return SEX_WORDS.get(text.lower())


def clean_phone(text: str) -> tuple[str, str | None]:
    """Return (digits, problem) for a phone cell: mobiles and landlines with area code."""
    if not text:
        return "", None
    if len(text) == 11 and text[0] == "1" and text[1] in _MOBILE_SECOND and text.isdigit():
        return text, None  # the common case: a plain mobile number
    if _SCIENTIFIC.match(text.upper()):
        return "", "phone_excel_scientific"
    phone = text.translate(_PHONE_JUNK)
    if phone.endswith(".0") and phone[:-2].isdigit():
        phone = phone[:-2]  # a number cell read back as float text; the digits are exact
    if phone.startswith("+86"):
        phone = phone[3:]
    elif phone.startswith("86") and len(phone) == 13:
        phone = phone[2:]
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone, None
    return "", "phone_bad"
