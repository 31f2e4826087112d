"""The demo: every sample imported into one database, then counted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from epitool.core.roster_import import ImportOptions, import_roster
from epitool.core.setup import initialise
from epitool.store.overview import roster_counts

SAMPLE_ROSTERS = ("roster_xizhuang.csv", "roster_jincheng.xlsx")


def build_demo(app: Any, samples: Path) -> list[dict[str, Any]]:
    initialise(app)
    for name in SAMPLE_ROSTERS:
        # Rejects (there should be none) go beside the database, not into site-packages.
        options = ImportOptions(path=samples / name, lang=app.lang,
                                rejects=app.db_path.with_name(f"{Path(name).stem}.rejects.csv"))
        import_roster(lambda: app.open_db(create=True), app.config, app.actor(), options)
    db = app.open_db()
    try:
        return roster_counts(db.conn)
    finally:
        db.close()
