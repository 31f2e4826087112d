"""Command-line faces of epitool. `main` is the console script."""

from __future__ import annotations

import gc


def main() -> None:
    # Start-up (Typer, pydantic, the command's modules) only makes objects that live as long
    # as the process: scanning them for reference cycles is wasted work, and once frozen
    # they are not scanned by the interpreter's last collection at exit either. The global
    # options callback turns collection back on (app.collect_again) before a command runs.
    gc.disable()
    from epitool.cli.app import app

    app()
