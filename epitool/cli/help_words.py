"""Help pages and usage errors in the user's language.

Typer writes its own words (Usage, Options, [required], Show this message and exit.) in
English, and our help texts are written in English in the code. Just before a help page or a
usage error is shown, the commands concerned get their Chinese texts (i18n.zh_help) and the
parser its Chinese words; a command that simply runs pays nothing for this.
"""

from __future__ import annotations

from functools import cache
from typing import Any

# Typer's words as shipped, to put back for English (a test process runs both languages)
_ENGLISH: dict[str, Any] = {}
_RICH_NAMES = {"arguments": "ARGUMENTS_PANEL_TITLE", "options": "OPTIONS_PANEL_TITLE",
               "commands": "COMMANDS_PANEL_TITLE", "error": "ERRORS_PANEL_TITLE",
               "default": "DEFAULT_STRING", "env_var": "ENVVAR_STRING",
               "required": "REQUIRED_LONG_STRING", "aborted": "ABORTED_TEXT",
               "try_help": "RICH_HELP", "deprecated": "DEPRECATED_STRING"}


def in_language(command: Any, lang: str, *, tree: bool = True) -> None:
    """Put `command` (and with `tree` its subcommands) and the parser in `lang`."""
    _parser_words(lang)
    if lang == "zh":
        _command_in_chinese(command, tree)


def _parser_words(lang: str) -> None:
    from typer import rich_utils

    from epitool.i18n.zh_help import PARSER

    if not _ENGLISH:
        _ENGLISH.update({name: getattr(rich_utils, name) for name in _RICH_NAMES.values()})
    for word, name in _RICH_NAMES.items():
        setattr(rich_utils, name, PARSER[word] if lang == "zh" else _ENGLISH[name])
    from typer._click.core import Context  # the class every command's context is made from

    Context.formatter_class = _chinese_formatter() if lang == "zh" else _formatter()
    _fold_long_runs(rich_utils)


def _fold_long_runs(rich_utils: Any) -> None:
    """Rich breaks a help line only at a space and cuts a longer run with "…": a Chinese
    sentence is one such run, and its end was lost on an 80-column terminal. Typer's help
    texts fold there instead. The function is Typer's own (pinned below 0.29): should a
    later Typer lack it, help pages go on as they were and a test says so."""
    make = getattr(rich_utils, "_make_rich_text", None)
    if make is None or getattr(make, "folds", False):
        return

    def make_folding(**kwargs: Any) -> Any:
        text = make(**kwargs)
        if hasattr(text, "overflow"):  # a Text (Markdown folds by itself)
            text.overflow = "fold"
        return text

    make_folding.folds = True  # type: ignore[attr-defined]
    rich_utils._make_rich_text = make_folding


def _formatter() -> Any:
    from typer._click.formatting import HelpFormatter

    return HelpFormatter


@cache  # made on first use: typer's formatter is imported only for a help page or an error
def _chinese_formatter() -> Any:
    from epitool.i18n.zh_help import PARSER

    class ChineseFormatter(_formatter()):  # type: ignore[misc]
        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            super().write_usage(prog, args, PARSER["usage"] if prefix is None else prefix)

    return ChineseFormatter


def _command_in_chinese(command: Any, tree: bool) -> None:
    from epitool.i18n.zh_help import ARGUMENTS, DEFAULTS, HELP, KINDS, PARSER

    def chinese(text: str | None) -> str | None:
        return HELP.get(" ".join(text.split()), text) if text else text

    command.help = chinese(command.help)
    command.short_help = chinese(command.short_help)
    command.options_metavar = PARSER["options_metavar"]
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = PARSER["subcommand_metavar"]
    for param in command.params:
        param.help = chinese(getattr(param, "help", None))
        kind = KINDS.get(getattr(param.type, "name", ""))
        if param.param_type_name == "argument":
            param.metavar = ARGUMENTS.get(param.name, param.name)
            if kind:
                from copy import copy

                param.type = copy(param.type)
                param.type.name = kind
        elif kind and not getattr(param, "is_flag", False):
            param.metavar = f"<{kind}>"
        if (isinstance(param.default, str) and param.default in DEFAULTS
                and not getattr(param.type, "choices", None)):  # a choice takes codes only
            # shown as the code's word; the word is taken as the code is, should the
            # command run after all (a value "--help" given to an option)
            param.default = DEFAULTS[param.default]
    from typer import Context

    help_option = command.get_help_option(Context(command))
    if help_option is not None:
        help_option.help = PARSER["help_option"]
    if tree and hasattr(command, "commands"):
        for sub in command.commands.values():
            _command_in_chinese(sub, tree)
