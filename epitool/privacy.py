"""Masking of ID and phone numbers for human output: one rule for values and for free text
(audit details, the command line recorded in the audit trail). Free of heavy imports: every
listing uses it."""

from __future__ import annotations

import re

# An 18- or 15-digit ID number, or a mobile number, standing alone in free text, also when
# typed in groups with spaces or dashes (410102 19620313 8310, 138-8183-6553).
_SEP = r"[ \-]?"
_NUMBERS = re.compile(
    rf"(?<![\dXx])\d{{6}}{_SEP}\d{{8}}{_SEP}\d{{3}}[\dXx](?![\dXx])"  # 18 digits
    rf"|(?<!\d)\d{{6}}{_SEP}\d{{6}}{_SEP}\d{{3}}(?![\dXx])"  # 15 digits (old cards)
    rf"|(?<!\d)1[3-9]\d{_SEP}\d{{4}}{_SEP}\d{{4}}(?!\d)")  # mobile


def mask_id(number: str | None) -> str:
    """410171********970X: area code and last four, the way notices print them."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    """138****1234."""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_numbers_in(text: str) -> str:
    """Every ID or mobile number inside a text masked as mask_id/mask_phone would."""

    def hide(match: re.Match[str]) -> str:
        found = re.sub(r"[ \-]", "", match.group(0))
        return mask_phone(found) if len(found) == 11 else mask_id(found)

    return _NUMBERS.sub(hide, text)
