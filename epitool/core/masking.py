"""Masking of ID and phone numbers for human output, kept free of heavy imports: every
listing uses it."""

from __future__ import annotations


def mask_id(number: str | None) -> str:
    """410171********970X: area code and last four, the way notices print them."""
    if not number:
        return ""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]
