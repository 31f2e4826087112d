"""Chinese all the way: in zh, no English word reaches a clerk — on any help page, in any
message, or in the tables and reports of the demo — other than what is typed as it is
(commands, options, codes, formats) or names a file type or a program."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from epitool.cli.app import app
from tests.conftest import Run

# Words that stay as they are in Chinese text: file types, programs and standards, config
# keys, and the units and placeholders of examples.
TECHNICAL = {
    "epitool", "csv", "tsv", "xlsx", "xls", "html", "png", "md", "json", "yaml", "excel",
    "cron", "crontab", "sqlite", "postgresql", "postgres", "psycopg", "pip", "install",
    "pg_dump", "pg_restore", "psql", "utf", "gb", "bom", "id", "uid", "pipl", "iana", "iso",
    "asia", "shanghai", "wechat", "datasette", "usb", "pdf", "wangw", "a4", "a6", "db",
    "database", "language", "timezone", "village", "village_code", "office", "lost_after_days",
    "zh", "en", "auto", "true", "false", "mkdir", "p", "cd", "bin", "sh", "tmp", "log",
    "reports", "report", "var", "home", "path", "epitool_db", "epitool_config",
    "epitool_lang", "epitool_user", "lang", "mailto", "max_input_mb", "header_aliases", "ctrl",
    "age", "bundle", "role", "office_public_key", "office_key_file", "signing_key_file",
}


def _typed_words() -> set[str]:
    """Every command and option name and every value a Choice option takes."""
    root = typer.main.get_command(app)
    context = typer.Context(root)
    words: set[str] = set()

    def walk(command: object, name: str) -> None:
        words.update([*re.split(r"[-_]", name), name])
        for param in command.params:  # type: ignore[attr-defined]
            for opt in getattr(param, "opts", ()):
                words.update(opt.lstrip("-").split("-"))
            for choice in getattr(param.type, "choices", ()) or ():
                words.update([*str(choice).split("-"), str(choice)])
        if hasattr(command, "list_commands"):
            for sub in command.list_commands(context):  # type: ignore[attr-defined]
                walk(command.get_command(context, sub), sub)  # type: ignore[attr-defined]

    walk(root, "epitool")
    return {w.lower() for w in words if w}


ALLOWED = TECHNICAL | _typed_words()


# Typer's own words in capitals, which the acronyms' rule below would let through
PARSER_CAPITALS = {"OPTIONS", "COMMAND", "ARGS", "TEXT", "PATH", "INTEGER", "FLOAT"}


def english_words(text: str) -> set[str]:
    """The English words of a text a clerk reads, less what may stay as it is: acronyms and
    codes (MB, XML, a pass serial: capitals or digits), what the user typed (quoted), a JSON
    record (the audit's details)."""
    text = re.sub(r"\{[a-z_]+\}", "", text)  # a message's placeholders
    text = re.sub(r"“[^”]*”", "", text)  # what was typed, quoted back
    text = re.sub(r"\{[^│]*\}", "", text)  # a JSON record (the audit's details)
    text = text.replace("°C", "")
    text = re.sub(r"--?[a-z][a-z0-9-]*", "", text)  # options as typed
    text = re.sub(r"\S+\.(csv|xlsx|xls|db|html|png|md|json|yaml|yml)\b", "", text)  # files
    text = re.sub(r"(/[\w.-]+)+", "", text)  # paths
    words = set(re.findall(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9_]*", text))
    return {w for w in words if w in PARSER_CAPITALS or (
        w.lower() not in ALLOWED and not w.isupper() and not any(c.isdigit() for c in w))}


def _command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    context = typer.Context(root)
    paths: list[list[str]] = [[]]

    def walk(command: object, path: list[str]) -> None:
        if hasattr(command, "list_commands"):
            for name in command.list_commands(context):  # type: ignore[attr-defined]
                sub = command.get_command(context, name)  # type: ignore[attr-defined]
                paths.append([*path, name])
                walk(sub, [*path, name])

    walk(root, [])
    return paths


PATHS = _command_paths()


def test_the_walk_finds_every_command() -> None:
    assert len(PATHS) > 60 and ["visit", "log"] in PATHS and ["summary"] in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "epitool")
def test_every_help_page_in_chinese(run: Run, path: list[str]) -> None:
    result = run(*path, "--help", lang="zh")
    assert result.exit_code == 0, result.output
    assert "用法：" in result.stdout
    assert not english_words(result.stdout), (path, english_words(result.stdout),
                                               result.stdout)


def test_every_help_page_in_english_stays_english(run: Run) -> None:
    """The Chinese words are put on for zh only: the next English run has its own."""
    run("visit", "log", "--help", lang="zh")
    page = run("visit", "log", "--help").stdout
    assert "Usage:" in page and "Show this message and exit." in page and "用法" not in page


def test_every_message_in_chinese() -> None:
    from epitool.i18n.zh import MESSAGES

    found = {key: english_words(text) for key, text in MESSAGES.items()}
    assert not {key: words for key, words in found.items() if words}


@pytest.mark.parametrize("args", [["visit", "log"], ["visit", "log", "#1", "--temp"],
                                  ["visti"], ["--bogus"], ["roster", "list", "--limit", "x"],
                                  ["quarantine", "list", "--format", "xml"]])
def test_usage_errors_in_chinese(run: Run, args: list[str]) -> None:
    result = run(*args, lang="zh")
    assert result.exit_code == 2
    assert "错误" in result.output
    assert not english_words(result.output), english_words(result.output)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    assert Run(db)("demo").exit_code == 0
    return db


LISTINGS = [["roster", "list"], ["roster", "show", "#1"], ["staff", "list"],
            ["quarantine", "list"], ["visit", "list", "--date", "2020-02-03"], ["site", "list"],
            ["disinfect", "list", "--date", "2020-02-03"], ["checkpoint", "list"],
            ["checkpoint", "summary", "--date", "2020-02-03"], ["duty", "list"],
            ["duty", "gaps"], ["enterprise", "list"], ["pass", "list"], ["patrol", "list"],
            ["need", "list"], ["report", "daily", "--date", "2020-02-03"],
            ["report", "daily", "--date", "2020-02-03", "--format", "md"],
            ["report", "trend", "--date", "2020-02-03"], ["remind", "--date", "2020-02-03"],
            ["summary", "--date", "2020-02-03"], ["audit"], ["schedule", "print"]]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_every_listing_in_chinese(demo_db: Path, args: list[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COLUMNS")  # as piped: lines unwrapped, each cell whole
    result = Run(demo_db)(*args, lang="zh")
    assert result.exit_code in (0, 3), result.output
    text = result.output
    if args == ["audit"]:  # who ran it and the command line they typed are user data
        text = "\n".join("│".join(cells[:3] + cells[4:7]) for line in text.splitlines()
                         for cells in [line.split("│")])
    assert not english_words(text), (english_words(text), text)


@pytest.mark.parametrize("group", ["roster", "bundle", "remind", "audit"])
def test_help_pages_keep_whole_sentences_at_80_columns(
        run: Run, monkeypatch: pytest.MonkeyPatch, group: str) -> None:
    """Rich cuts a run without spaces with "…": a Chinese sentence is one. Help pages fold it
    onto the next line instead, on an ordinary 80-column terminal."""
    monkeypatch.setenv("COLUMNS", "80")
    for lang in ("zh", "en"):
        result = run(group, "--help", lang=lang)
        assert result.exit_code == 0
        assert "…" not in result.stdout, result.stdout
    if group == "roster":  # the end of import's line, once cut
        lines = run(group, "--help", lang="zh").stdout.split("\n")
        page = "".join(line.strip("│ ") for line in lines)
        assert "文件里没有的列也不会改动。" in page
