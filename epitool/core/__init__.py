"""Domain rules and use-cases. No Typer, no Rich, no printing."""
