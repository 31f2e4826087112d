"""Command-line faces of epitool. `main` is the console script.

The command modules here evaluate their annotations when they are imported (no `from
__future__ import annotations`): Typer reads the annotations of every command it builds, and
as strings they would be compiled and evaluated again, on every start.
"""

import gc
import signal
import sys


def main() -> None:
    # Stopped by a service manager or `kill`: unwind like an interrupt, so that a transaction
    # rolls back, temporary files are removed and workers end (Python's default dies at once)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    # Start-up (Typer, pydantic, the command's modules) only makes objects that live as long
    # as the process: scanning them for reference cycles is wasted work, and once frozen
    # they are not scanned by the interpreter's last collection at exit either. The global
    # options callback turns collection back on (app.collect_again) before a command runs.
    gc.disable()
    from epitool.cli.app import app

    app()
