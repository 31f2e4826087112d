"""The database: opening, migrating, and every SQL statement epitool runs."""
