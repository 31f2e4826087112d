"""Configuration: defaults, the bundled file, validation messages, global options."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from epitool.core.config import DEFAULTS, load_config
from epitool.errors import ConfigError
from tests.conftest import REPO, Run


def test_bundled_config_file_equals_builtin_defaults() -> None:
    assert load_config(str(REPO / "config" / "epitool.yaml")).values == DEFAULTS


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "epitool.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "text, key",
    [
        ("databse: x.db\n", "config_unknown_key"),
        ("fever_threshold: hot\n", "config_wrong_type"),
        ("quarantine_days: 14.5\n", "config_wrong_type"),
        ("mask_personal_data: 1\n", "config_wrong_type"),
        ("fever_threshold: 50\n", "config_bad_value"),
        ("timezone: Mars/Olympus\n", "config_bad_value"),
        ("language: fr\n", "config_bad_value"),
        ("area: {villag: 席庄村}\n", "config_unknown_key"),
        ("area: {village_code: '41 01'}\n", "config_bad_value"),
        ("header_aliases: {nmae: [名字]}\n", "config_unknown_key"),
        ("- a\n- b\n", "config_not_mapping"),
        ("a: [\n", "config_unreadable"),
    ],
)
def test_bad_config_named(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    assert caught.value.key == key
    assert caught.value.params.get("path", "").endswith("epitool.yaml")


def test_cli_reports_config_error_with_key_and_file(tmp_path: Path, run: Run) -> None:
    path = write(tmp_path, "fever_treshold: 37.3\n")
    result = run.runner.invoke(
        __import__("epitool.cli.app", fromlist=["app"]).app,
        catch_exceptions=False,
        args=["--config", path, "--lang", "en", "roster", "list"],
    )
    assert result.exit_code == 1
    assert "Unknown setting 'fever_treshold' in config file" in result.stderr
    assert path in result.stderr.replace("\n", "")


def test_aliases_extend_and_database_relative_to_file(tmp_path: Path, run: Run) -> None:
    (tmp_path / "data").mkdir()
    path = write(
        tmp_path,
        yaml.safe_dump(
            {
                "database": "data/village.db",
                "area": {"village": "席庄村", "village_code": "410171001"},
                "header_aliases": {"name": ["村民"]},
            },
            allow_unicode=True,
        ),
    )
    config = load_config(path)
    assert config.database_path() == tmp_path / "data" / "village.db"
    assert "村民" in config.header_aliases["name"] and "姓名" in config.header_aliases["name"]
    roster = tmp_path / "r.csv"
    roster.write_text("村民,户号\n王五,1\n", encoding="utf-8")
    from epitool.cli.app import app

    result = run.runner.invoke(
        app,
        catch_exceptions=False,
        args=["--config", path, "roster", "import", str(roster), "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "village.db").exists()


def test_env_variables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run) -> None:
    from epitool.cli.app import app

    monkeypatch.setenv("EPITOOL_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("EPITOOL_LANG", "zh")
    result = run.runner.invoke(app, catch_exceptions=False, args=["init"])
    assert result.exit_code == 0 and "数据库已就绪" in result.stdout
    assert (tmp_path / "env.db").exists()


def test_language_follows_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    from epitool.i18n import resolve_language

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    assert resolve_language(None, "auto") == "zh"
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert resolve_language(None, "auto") == "en"
    assert resolve_language(None, "zh") == "zh"
    monkeypatch.delenv("LANG")
    assert resolve_language(None, "auto") == "zh"  # cron's empty environment


def test_catalogues_complete() -> None:
    from epitool.i18n.en import MESSAGES as EN
    from epitool.i18n.zh import MESSAGES as ZH

    assert set(EN) == set(ZH)


def test_every_message_key_used_in_code_exists() -> None:
    import re

    from epitool.i18n.en import MESSAGES as EN
    from tests.conftest import REPO

    pattern = re.compile(r'(?:Error|NotFound|Ambiguous|RowProblem|\bt|\.t)\(\s*"([a-z0-9_]+)"')
    used = {
        key
        for path in (REPO / "epitool").rglob("*.py")
        for key in pattern.findall(path.read_text(encoding="utf-8"))
    }
    assert used and not used - set(EN), sorted(used - set(EN))
