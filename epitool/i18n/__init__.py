"""Message catalogues: every human-facing sentence exists in Chinese and English.

Keys are stable identifiers; JSON and CSV output never depend on them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from epitool.errors import Problem

LANGUAGES = ("zh", "en")


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        # {name_arg}: the value of {name} as it must be typed in a command the message
        # suggests (#3 unquoted is a comment to the shell, $(...) in a name would run)
        if key.endswith("_arg") and key[:-4] in self:
            from epitool.textsafe import shell_word

            return shell_word(str(self[key[:-4]]))
        return "{" + key + "}"


def _catalogue(lang: str) -> dict[str, str]:
    if lang == "en":
        from epitool.i18n.en import MESSAGES
    else:
        from epitool.i18n.zh import MESSAGES
    return MESSAGES


def translate(lang: str, key: str, /, **params: Any) -> str:
    text = _catalogue(lang).get(key) or _catalogue("en").get(key) or key
    if lang == "zh":  # core's English words in the parameters (what a value should be)
        from epitool.i18n.zh_phrases import PHRASES

        params = {k: PHRASES.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
    return text.format_map(_Params(params))


def listed(lang: str, items: Sequence[str]) -> str:
    """Items as the language lists them: 甲、乙、丙; a, b, c."""
    return ("、" if lang == "zh" else ", ").join(items)


def resolve_language(explicit: str | None, configured: str) -> str:
    """--lang / EPITOOL_LANG, else the config, else the locale: Chinese unless the locale
    names another language (cron's empty environment gets Chinese, like the clerks)."""
    for choice in (explicit, os.environ.get("EPITOOL_LANG"), configured):
        if choice in LANGUAGES:
            return choice
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            if value.split(".")[0] in ("C", "POSIX"):
                return "zh"
            return "zh" if value.lower().startswith("zh") else "en"
    return "zh"


def describe_problem(lang: str, problem: Problem) -> str:
    """A validation problem as a sentence: its key's message with the cell's value."""
    return translate(lang, problem.key, **{"column": problem.column, "value": problem.value,
                                           **problem.params})
