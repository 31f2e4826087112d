"""Masking of ID and phone numbers for human output: one rule for values and for free text
(audit details, the command line recorded in the audit trail). Free of heavy imports: every
listing uses it."""

from __future__ import annotations

import re

# An 18- or 15-digit ID number, or a mobile number, standing alone in free text.
_NUMBERS = re.compile(r"(?<![\dXx])(?:\d{6}(?:\d{8}|\d{6})(?:\d{3}[\dXx]|\d)|1[3-9]\d{9})"
                      r"(?![\dXx])")


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
        found = match.group(0)
        return mask_phone(found) if len(found) == 11 else mask_id(found)

    return _NUMBERS.sub(hide, text)
