"""Options that many commands share, declared once in Typer's Annotated form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

Day = Annotated[Optional[str], typer.Option("--date")]
Format = Annotated[str, typer.Option("--format")]
Output = Annotated[Optional[Path], typer.Option("--output", "-o")]
Force = Annotated[bool, typer.Option("--force")]
