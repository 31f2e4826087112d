"""Report tables as data, and their renderers (Rich table, JSON, CSV)."""
