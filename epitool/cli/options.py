"""Options that many commands share, declared once in Typer's Annotated form (the output
options of listings are cli.output.output_options)."""

from pathlib import Path
from typing import Annotated, Literal, Optional

import typer

Day = Annotated[Optional[str], typer.Option("--date", help="Day (default today).")]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing file.")]
Reveal = Annotated[bool, typer.Option("--reveal",
                                      help="Show full ID and phone numbers (audited).")]
# --format of a command that shows one result, not a listing
TextOrJson = Annotated[Literal["text", "json"], typer.Option("--format", help="text | json")]
TableOrJson = Annotated[Literal["table", "json"], typer.Option("--format", help="table | json")]
# every import of a sheet
Encoding = Annotated[Optional[str], typer.Option(
    help="Text encoding, e.g. gb18030 (default: detect).")]
Sheet = Annotated[Optional[str], typer.Option(help="Worksheet name (default: the first).")]
DryRun = Annotated[bool, typer.Option("--dry-run", help="Check only; write nothing.")]
Rejects = Annotated[Optional[Path], typer.Option(
    help="Where rejected rows go (default: beside FILE).")]
