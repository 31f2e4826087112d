"""The epitool command line: global options, the error boundary, and the command groups.

Commands and command groups are loaded lazily: a clerk's `epitool visit log` builds only the
visit commands, not all thirty, which keeps short commands within their start-up budget.
"""

import importlib
from typing import Any, Optional

import typer
from typer.core import TyperGroup

from epitool.cli.context import AppContext
from epitool.errors import DatabaseError, EpitoolError

# name -> (module, attribute) of a Typer app or a command function, in the order help lists
# them
COMMANDS = {
    "roster": ("epitool.cli.roster", "app"),
    "staff": ("epitool.cli.staff", "app"),
    "quarantine": ("epitool.cli.quarantine", "app"),
    "visit": ("epitool.cli.visit", "app"),
    "site": ("epitool.cli.site", "app"),
    "disinfect": ("epitool.cli.site", "disinfect_app"),
    "checkpoint": ("epitool.cli.checkpoint", "app"),
    "duty": ("epitool.cli.work", "duty_app"),
    "enterprise": ("epitool.cli.work", "enterprise_app"),
    "pass": ("epitool.cli.passes", "app"),
    "patrol": ("epitool.cli.work", "patrol_app"),
    "need": ("epitool.cli.work", "need_app"),
    "report": ("epitool.cli.report", "app"),
    "schedule": ("epitool.cli.remind", "schedule_app"),
    "remind": ("epitool.cli.remind", "remind_app"),  # one command: Typer makes it the command
    "audit": ("epitool.cli.audit", "audit_app"),
    "bundle": ("epitool.cli.bundle", "app"),
    "summary": ("epitool.cli.summary", "summary"),  # a plain function: one command
    "init": ("epitool.cli.db", "init"),
    "demo": ("epitool.cli.demo", "demo"),
    "db": ("epitool.cli.db", "app"),
}


def _single(function: Any) -> typer.Typer:
    """A command function as an app of one command, which Typer turns into that command."""
    single = typer.Typer(add_completion=False)
    single.command()(function)
    return single


class _Root(TyperGroup):
    """Lazy commands, and the one place errors become messages (exit code 1)."""

    help_language: Optional[str] = None  # set while the root's help page is being shown
    subcommand: Optional[str] = None  # the word after the group's name (visit *log*)

    def list_commands(self, ctx: Any) -> list[str]:
        return [*COMMANDS, *super().list_commands(ctx)]

    def get_command(self, ctx: Any, name: str) -> Any:
        if name in COMMANDS:
            module, attribute = COMMANDS[name]
            target = getattr(importlib.import_module(module), attribute)
            if not isinstance(target, typer.Typer):
                target = _single(target)
            command = (typer.main.get_group(_only(target, self.subcommand))
                       if _is_group(target) else typer.main.get_command(target))
            command.name = name
            if self.help_language:  # a line of the root's help page
                _in_language(command, self.help_language, tree=False)
            return command
        return super().get_command(ctx, name)

    def make_context(self, info_name: Any, args: list[str], parent: Any = None,
                     **extra: Any) -> Any:
        """The root's help page and the global options' usage errors (epitool --bogus) in
        the user's words too."""
        given = list(args)  # the parser consumes args
        if not args or "--help" in args:
            self.help_language = _language_of(given)
            _in_language(self, self.help_language, tree=False)
        try:
            return super().make_context(info_name, args, parent, **extra)
        except typer.TyperException as exc:
            from epitool.i18n.usage import usage_message

            lang = _language_of(given)
            _in_language(self, lang, tree=False)
            _reworded(exc, lambda message: usage_message(message, lang))

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """An unknown command is named, with the nearest ones (visti: visit?), in the
        user's language."""
        self.subcommand = args[1] if len(args) > 1 else None
        try:
            name, command, rest = super().resolve_command(ctx, args)
        except typer.TyperException as exc:  # Typer's usage error (exit code 2)
            if not args or args[0].startswith("-") or not hasattr(exc, "message"):
                raise
            from difflib import get_close_matches

            from epitool.i18n import translate

            lang = _language(ctx)
            _in_language(self, lang, tree=False)
            near = get_close_matches(args[0], self.list_commands(ctx), n=3, cutoff=0.6)
            exc.message = translate(lang, "no_such_command", name=args[0]) + (
                translate(lang, "did_you_mean", names=", ".join(near)) if near else "")
            raise
        if command is not None and ("--help" in rest or (
                not rest and getattr(command, "no_args_is_help", False))):  # its help page
            _in_language(command, _language(ctx))
        return name, command, rest

    def invoke(self, ctx: Any) -> Any:
        import sqlite3

        try:
            result = super().invoke(ctx)
            if isinstance(ctx.obj, AppContext) and ctx.obj.unmasked:
                ctx.obj.audit_unmasked()
            return result
        except EpitoolError as exc:
            _say_error(ctx, exc)
        except typer.TyperException as exc:  # a subcommand's usage error: in the user's words
            if getattr(exc, "ctx", None) is not None:
                _in_language(exc.ctx.command, _language(ctx), tree=False)  # type: ignore[attr-defined]
            _reworded(exc, lambda message: _usage(ctx, message))
        except KeyboardInterrupt:
            # Ctrl-C: the command's transaction rolled back on the way out; say so
            from epitool.cli.output import error
            from epitool.i18n import translate

            error(translate(_language(ctx), "interrupted"))
            raise typer.Exit(130) from None
        except sqlite3.DatabaseError as exc:
            # Damage met in the middle of a command (a page SQLite cannot read): a sentence
            # that says what to do, not a traceback; the command's transaction rolled back.
            # Any other database error is a fault of ours, and shows as one.
            if not _is_damage(exc):
                raise
            app = ctx.obj if isinstance(ctx.obj, AppContext) else None
            if app is not None:
                from epitool.core.maintenance import damage_met

                damage_met(app.db_path, str(exc))
            _say_error(ctx, DatabaseError("db_damaged", reason=str(exc),
                                          path=str(app.db_path) if app else "-"))


def _is_group(app_: typer.Typer) -> bool:
    """Typer's own rule: an app of one command and no callback is that command."""
    return bool(len(app_.registered_commands) > 1 or app_.registered_callback
                or app_.registered_groups)


def _only(group: typer.Typer, name: Optional[str]) -> typer.Typer:
    """The group with only the command `name` in it, when it has one by that name: a
    command run builds itself, not its group's others. Otherwise (help, a typo that needs the
    nearest names) the whole group."""
    found = [info for info in group.registered_commands
             if (info.name or typer.main.get_command_name(
                 getattr(info.callback, "__name__", ""))) == name]
    if len(found) != 1 or group.registered_groups:
        return group
    from copy import copy

    alone = copy(group)  # the group's own settings; its list of commands cut to one
    alone.registered_commands = found
    return alone


def _reworded(exc: Exception, reword: Any) -> None:
    """Raise Typer's usage error again with its whole message (as it would print it)
    reworded; anything else as it was."""
    usage = next((c for c in type(exc).__mro__ if c.__name__ == "UsageError"), None)
    if usage is None or not hasattr(exc, "format_message") or (
            type(exc).__name__ == "NoArgsIsHelpError"):  # a help page, already shown
        raise exc
    raise usage(reword(exc.format_message()), ctx=getattr(exc, "ctx", None)) from None


def _language(ctx: Any) -> str:
    """The language of this run's messages: the command's, once the global options are read;
    before that, as --lang, EPITOOL_LANG, the config or the locale say."""
    app = ctx.obj if isinstance(ctx.obj, AppContext) else None
    return app.lang if app else _chosen_language(ctx.params.get("lang"),
                                                 ctx.params.get("config"))


def _language_of(args: list[str]) -> str:
    """The language asked for by the global options, before they are parsed."""
    given: dict[str, str] = {}
    for at, arg in enumerate(args):
        name, _, value = arg.partition("=")
        if name in ("--lang", "--config"):
            given[name] = value or (args[at + 1] if at + 1 < len(args) else "")
    return _chosen_language(given.get("--lang"), given.get("--config"))


def _chosen_language(lang: Optional[str], config: Optional[str]) -> str:
    from epitool.i18n import resolve_language

    configured = "auto"
    try:
        from epitool.core.config import load_config

        configured = load_config(config)["language"]
    except EpitoolError:
        pass  # the config's own error is said when a command runs
    return resolve_language(lang, configured)


def _in_language(command: Any, lang: str, *, tree: bool = True) -> None:
    from epitool.cli.help_words import in_language

    in_language(command, lang, tree=tree)


def _usage(ctx: Any, message: str) -> str:
    from epitool.i18n.usage import usage_message

    return usage_message(message, _language(ctx))


def _is_damage(exc: Exception) -> bool:
    """SQLite's own word for a file it cannot read (corrupt, or not a database at all)."""
    import sqlite3

    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or (
        type(exc) is sqlite3.DatabaseError and not name)


def _say_error(ctx: Any, exc: EpitoolError) -> None:
    """The one error boundary: the error in the user's language, numbers masked; exit 1."""
    from epitool.cli.output import error
    from epitool.i18n import describe_problem, translate
    from epitool.privacy import mask_numbers_in

    lang = _language(ctx)
    params = dict(exc.params)
    if isinstance(params.get("problems"), list):  # validation problems as data: in words
        params["reasons"] = "; ".join(describe_problem(lang, p) for p in params.pop("problems"))
    # Messages name people and rows: their numbers masked, as in every table
    error(mask_numbers_in(f"{translate(lang, 'error')}: {translate(lang, exc.key, **params)}"))
    raise typer.Exit(exc.exit_code) from None


app = typer.Typer(cls=_Root, no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False,
                  help="Epidemic-prevention records for village and community offices. "
                       "疫情防控台账工具。")


def collect_again() -> None:
    """Freeze what start-up made (never scanned again) and collect cycles from here on.

    Only undoes cli.main()'s gc.disable(): a host that runs the app itself (tests) keeps its
    own collector untouched.
    """
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _version(asked: bool) -> None:
    if asked:
        from epitool import __version__

        typer.echo(f"epitool {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Optional[str] = typer.Option(None, "--db", envvar="EPITOOL_DB",
                                     help="Database file or postgresql:// URL (default: config"
                                          " 'database')."),
    config: Optional[str] = typer.Option(None, "--config", envvar="EPITOOL_CONFIG",
                                         help="YAML config file."),
    lang: Optional[str] = typer.Option(None, "--lang", envvar="EPITOOL_LANG",
                                       help="Language of messages: zh or en."),
    by: Optional[str] = typer.Option(None, "--by-user", envvar="EPITOOL_USER",
                                     help="Name recorded in the audit trail."),
    version: bool = typer.Option(False, "--version", is_eager=True, callback=_version,
                                 help="Print the version and exit."),
) -> None:
    from epitool.core.config import load_config
    from epitool.i18n import LANGUAGES, resolve_language

    collect_again()
    if lang is not None and lang not in LANGUAGES:
        raise typer.BadParameter("zh | en", param_hint="--lang")
    settings = load_config(config)
    chosen = resolve_language(lang, settings["language"])
    from epitool.cli.output import LANGUAGE

    LANGUAGE["lang"] = chosen
    ctx.obj = AppContext(config=settings, lang=chosen, db_path=settings.database_path(db), by=by,
                         db_explicit=db is not None)
