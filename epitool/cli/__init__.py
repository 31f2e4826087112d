"""Command-line faces of epitool. `main` is the console script."""

from __future__ import annotations

import gc


def main() -> None:
    # Start-up (Typer, pydantic, the command's modules) only makes objects that live as long
    # as the process: scanning them for reference cycles is wasted work, and once frozen
    # they are not scanned by the interpreter's last collection at exit either. Together
    # about 45 ms of a short command, a sixth (bench/startup_bench.py). The global options
    # callback turns collection back on (collect_again) before a command makes garbage.
    gc.disable()
    from epitool.cli.app import app

    app()


def collect_again() -> None:
    """Freeze what start-up made (never scanned again) and collect cycles from here on.

    Only undoes main()'s gc.disable(): a host that runs the app itself (tests) keeps its own
    collector untouched.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
