"""Command-line faces of epitool. `main` is the console script."""

from __future__ import annotations


def main() -> None:
    from epitool.cli.app import app

    app()
