"""epitool: epidemic-prevention records for village and community offices."""

__version__ = "0.1.0"
