"""Files epitool writes: private (0600), whole or absent, never through a link, never
overwriting unless told, formula-safe for Excel."""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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


@contextmanager
def open_private(path: Path, *, overwrite: bool = False, binary: bool = False,
                 bom: bool = False) -> Iterator[IO[Any]]:
    """A new file with mode 0600, whole or absent: written to a temporary file in the same
    folder, synced, then put in place. Never through a symbolic link (refused, --force or
    not); without `overwrite` an existing file is never replaced, with it the path is
    replaced, not what it might point at. On any failure the old file, if any, stays."""
    if path.is_symlink():
        raise InputError("output_is_link", path=str(path))
    if path.exists() and not path.is_file():  # /dev/full, a folder, a pipe
        raise InputError("output_not_regular", path=str(path))
    if path.exists() and not overwrite:
        raise InputError("output_exists", path=str(path))
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                    dir=path.parent if str(path.parent) else ".")
    except OSError as exc:
        raise InputError("output_unwritable", path=str(path), reason=exc.strerror) from None
    temp = Path(name)
    try:
        # bom: Excel on Windows opens BOM-marked UTF-8 CSV with Chinese intact; anything
        # else (JSON, Markdown, HTML) is plain UTF-8, which their readers expect
        encoding = "utf-8-sig" if bom else "utf-8"
        with (os.fdopen(fd, "wb") if binary
              else os.fdopen(fd, "w", encoding=encoding, newline="")) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        _put_in_place(temp, path, overwrite)
    except OSError as exc:
        raise InputError("output_unwritable", path=str(path), reason=exc.strerror) from None
    finally:
        temp.unlink(missing_ok=True)


def _put_in_place(temp: Path, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(temp, path)  # a rename: replaces a link planted meanwhile, not its target
        return
    try:
        os.link(temp, path)  # fails rather than replace a file made meanwhile
    except FileExistsError:
        raise InputError("output_exists", path=str(path)) from None
    except OSError:  # no hard links here (FAT USB sticks)
        if path.exists() or path.is_symlink():
            raise InputError("output_exists", path=str(path)) from None
        os.replace(temp, path)


def write_csv(handle: IO[str], header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    writer = csv.writer(handle)
    writer.writerow([neutralise(h) for h in header])
    for row in rows:
        writer.writerow([neutralise(v) for v in row])
