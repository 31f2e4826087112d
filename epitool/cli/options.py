"""Options that many commands share, declared once in Typer's Annotated form (the output
options are cli.output.output_options)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

Day = Annotated[Optional[str], typer.Option("--date", help="Day (default today).")]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing file.")]
