"""Files epitool writes: private (0600), never overwriting, formula-safe for Excel."""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from epitool.errors import InputError
from epitool.textsafe import neutralise


def free_path(path: Path) -> Path:
    """path itself when free, else path with -2, -3 ... before the suffix."""
    if not path.exists():
        return path
    n = 2
    while True:
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
        if not candidate.exists():
            return candidate
        n += 1


def open_private(path: Path, *, overwrite: bool = False, binary: bool = False) -> IO[Any]:
    """Open a new file with mode 0600; refuse to replace an existing one unless told to."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if overwrite else os.O_EXCL)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise InputError("output_exists", path=str(path)) from None
    except OSError as exc:
        raise InputError("output_unwritable", path=str(path), reason=exc.strerror) from None
    if binary:
        return os.fdopen(fd, "wb")
    # utf-8-sig: Excel on Windows opens BOM-marked UTF-8 CSV with Chinese intact.
    return os.fdopen(fd, "w", encoding="utf-8-sig", newline="")


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
