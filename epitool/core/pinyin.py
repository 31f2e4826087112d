"""Pinyin look-up of names: clerks type `wangw` or `ww` for 王伟 on an English keyboard."""

from __future__ import annotations

import re

PINYIN_QUERY = re.compile(r"^[a-z]{1,40}$")


def is_pinyin_query(text: str) -> bool:
    return bool(PINYIN_QUERY.match(text.lower()))


def syllables(name: str) -> str:
    """Toneless pinyin syllables separated by spaces: 王伟 -> "wang wei"."""
    from pypinyin import Style, lazy_pinyin  # heavy: only when a pinyin search runs

    parts = lazy_pinyin(name, style=Style.NORMAL,
                        errors=lambda chars: list(chars))  # type: ignore[arg-type,return-value]
    return " ".join(p.lower() for p in parts if p.strip())


def matches(query: str, spelled: str) -> bool:
    """ww, wangw, wangwei, wangwe all find "wang wei": leading syllables spelt in full,
    the rest by their initials, and the typed text a prefix of that."""
    q = query.lower()
    parts = spelled.split()
    initials = "".join(p[0] for p in parts)
    for k in range(len(parts) + 1):
        if ("".join(parts[:k]) + initials[k:]).startswith(q):
            return True
    return False


def fuzzy_sound(spelled: str) -> str:
    """Syllables as a fuzzy pinyin input method hears them: front and back nasals alike
    (min ming, zhen zheng), flat and retroflex alike (zi zhi, ci chi, si shi)."""
    out = []
    for syllable in spelled.split():
        if syllable.endswith("ng") and len(syllable) > 2 and syllable[-3] in "ie":
            syllable = syllable[:-1]  # ing -> in, eng -> en (ang/ong stay: no an/ong pair)
        for retroflex, flat in (("zh", "z"), ("ch", "c"), ("sh", "s")):
            if syllable.startswith(retroflex):
                syllable = flat + syllable[2:]
                break
        out.append(syllable)
    return " ".join(out)
