"""Open a CSV, TSV, XLSX or XLS file as rows of text cells, whatever its name says.

Files are sniffed by content (clerks rename workbooks to .csv and back). Every cell comes out
as text: no dtype guessing, so leading zeros survive and a person named NA stays NA.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import chain
from pathlib import Path
from typing import Any

from epitool.errors import InputError
from epitool.io.headers import SCAN_ROWS, find_header, mentions_known_header

SAMPLE_BYTES = 64 * 1024
ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    """A sheet positioned after its header row."""

    path: Path
    kind: str  # csv | tsv | xlsx | xls
    encoding: str | None
    header_row: int  # 1-based, as Excel numbers rows
    headers: list[str]
    columns: dict[str, int]
    rows: Iterator[tuple[int, list[str]]]  # (1-based row number, cells); blank rows skipped
    total: int  # progress units: bytes for text, rows for workbooks
    done: Callable[[], int]
    close: Callable[[], None]
    sheets: tuple[str, ...] = ()  # a workbook's sheets, the one read first


def open_table(path: Path, aliases: Mapping[str, Sequence[str]], *, encoding: str | None = None,
               sheet: str | None = None, max_bytes: int | None = None) -> Table:
    if not path.exists():
        raise InputError("file_missing", path=str(path))
    if path.is_dir():
        raise InputError("file_is_directory", path=str(path))
    if not path.is_file():  # a FIFO or a device would be read forever
        raise InputError("file_not_regular", path=str(path))
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise InputError("file_too_large", path=str(path), size_mb=size // 2**20,
                         limit_mb=max_bytes // 2**20)
    with path.open("rb") as probe:
        head = probe.read(SAMPLE_BYTES)
    if not head.strip():
        raise InputError("file_empty", path=str(path))
    if head.startswith(ZIP_MAGIC):
        return _open_xlsx(path, aliases, sheet, size, max_bytes)
    if head.startswith(OLE2_MAGIC):
        return _open_xls(path, aliases, sheet)
    return _open_text(path, head, aliases, encoding, size)


# --- text -------------------------------------------------------------------------------------

def _open_text(path: Path, head: bytes, aliases: Mapping[str, Sequence[str]],
               encoding: str | None, size: int) -> Table:
    if b"\x00" in head and not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise InputError("file_binary", path=str(path))
    chosen = encoding or detect_encoding(head, len(head) == size, aliases)
    if chosen is None:
        raise InputError("file_undecodable", path=str(path))
    _check_codec(chosen)
    binary = path.open("rb")
    text = io.TextIOWrapper(binary, encoding=chosen, errors="strict", newline="")
    delimiter = _delimiter(path, head, chosen)
    records = _numbered(text, delimiter, path, chosen)
    def done() -> int:
        return size if binary.closed else binary.tell()  # closed: read to the end

    return _position_after_header(path, records, aliases, "tsv" if delimiter == "\t" else "csv",
                                  chosen, size, done, text.close)


def _check_codec(name: str) -> None:
    try:
        codecs.lookup(name)
    except LookupError:
        raise InputError("encoding_unknown", encoding=name) from None


def detect_encoding(sample: bytes, complete: bool,
                    aliases: Mapping[str, Sequence[str]]) -> str | None:
    """Strict decoding decides, known headers break ties.

    UTF-8 is tried before GB18030 because UTF-8 text decodes *silently* as GB18030 garbage,
    while GBK text almost never decodes as UTF-8. Charset detectors guess wrong on short
    files, so none is used. GBK is read as GB18030, its superset (䶮, 𠮷).
    """
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text" export
    decodable = []
    for name in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(name)(errors="strict")
        try:
            text = decoder.decode(sample, final=complete)
        except UnicodeDecodeError:
            continue
        if mentions_known_header(text, aliases):
            return name
        decodable.append(name)
    return decodable[0] if decodable else None


def _delimiter(path: Path, head: bytes, encoding: str) -> str:
    """Tab for .tsv and for text whose first line has tabs and no commas (Excel's
    "Unicode text" export is tab-separated UTF-16), else comma."""
    if path.suffix.lower() in (".tsv", ".tab"):
        return "\t"
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head)
    first = text.split("\n", 1)[0]
    return "\t" if "\t" in first and "," not in first else ","


def _numbered(text: Any, delimiter: str, path: Path,
              encoding: str) -> Iterator[tuple[int, list[str]]]:
    """The rows with any text, as the csv module reads them, numbered as a spreadsheet
    numbers them (blank ones count)."""

    number = 0
    try:
        for cells in csv.reader(text, delimiter=delimiter):
            number += 1
            if any(cells):
                yield number, cells
    except UnicodeDecodeError:
        raise InputError("file_decode_failed", path=str(path), encoding=encoding,
                         row=undecodable_line(path, encoding) or number + 1) from None
    except csv.Error as exc:
        raise InputError("file_not_table", path=str(path), reason=str(exc)) from None


def undecodable_line(path: Path, encoding: str) -> int | None:
    """The line where decoding first fails. The reader only knows the row it was on when
    the text layer decoded its next chunk, often hundreds of rows before the bad one."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines = 1
    with path.open("rb") as handle:
        while chunk := handle.read(SAMPLE_BYTES):
            state = decoder.getstate()
            try:
                lines += decoder.decode(chunk).count("\n")
            except UnicodeDecodeError as exc:  # exc.object: the undecoded bytes, then chunk
                decoder.setstate((b"", state[1]))
                return lines + decoder.decode(exc.object[:exc.start]).count("\n")
    return None


# --- workbooks --------------------------------------------------------------------------------

def _open_xlsx(path: Path, aliases: Mapping[str, Sequence[str]], sheet: str | None,
               size: int, max_bytes: int | None) -> Table:
    import zipfile

    from openpyxl import load_workbook  # heavy: only when a workbook is read

    handle = path.open("rb")
    try:
        _check_unpacked_size(handle, path, max_bytes)
    except BaseException:
        handle.close()
        raise
    try:
        # A file object skips openpyxl's check of the extension: content decides here.
        book = load_workbook(handle, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        handle.close()
        if _refused_xml(exc):
            raise InputError("file_unsafe_xml", path=str(path)) from None
        raise InputError("file_not_table", path=str(path), reason=str(exc)) from None
    names = book.sheetnames
    ws = _pick_sheet(book, names, sheet, path)
    total = ws.max_row or 0  # as declared: for the progress bar only
    # The declared size (<dimension ref=...>) is often wrong in files other programs wrote;
    # read-only mode would stop at it and drop the rows and columns beyond without a word.
    ws.reset_dimensions()
    progress = _RowCounter()
    records = progress.count(ws.iter_rows(values_only=True))

    def close() -> None:
        book.close()
        handle.close()

    table = _position_after_header(path, records, aliases, "xlsx", None, total,
                                   progress.value, close)
    table.sheets = (ws.title, *(n for n in names if n != ws.title))
    return table


def _refused_xml(exc: BaseException | None) -> bool:
    """Whether defusedxml refused the workbook's XML (entities, a DTD): openpyxl wraps that
    in a message that only says to see the exception."""
    while exc is not None:
        if type(exc).__module__.startswith("defusedxml"):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _check_unpacked_size(handle: Any, path: Path, max_bytes: int | None) -> None:
    """A workbook is a zip: a small file can unpack to gigabytes (a decompression bomb).
    The sizes its directory declares bound what Python's zipfile will inflate, so they
    are checked against the same limit before anything is unpacked."""
    import zipfile

    if max_bytes is None:
        return
    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputError("file_not_table", path=str(path), reason=str(exc)) from None
    handle.seek(0)
    if unpacked > max_bytes:
        raise InputError("file_unpacks_too_large", path=str(path),
                         size_mb=unpacked // 2**20, limit_mb=max_bytes // 2**20)


def _open_xls(path: Path, aliases: Mapping[str, Sequence[str]], sheet: str | None) -> Table:
    import xlrd  # legacy .xls only

    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as exc:  # xlrd raises bare XLRDError and struct errors alike
        raise InputError("file_not_table", path=str(path), reason=str(exc)) from None
    names = book.sheet_names()
    ws = _pick_sheet(book, names, sheet, path, xls=True)
    datemode = book.datemode

    def rows() -> Iterator[list[Any]]:
        for index in range(ws.nrows):
            yield [_xls_value(cell, datemode) for cell in ws.row(index)]

    progress = _RowCounter()
    records = progress.count(rows())
    table = _position_after_header(path, records, aliases, "xls", None, ws.nrows,
                                   progress.value, book.release_resources)
    table.sheets = (ws.name, *(n for n in names if n != ws.name))
    return table


def _pick_sheet(book: Any, names: list[str], sheet: str | None, path: Path,
                xls: bool = False) -> Any:
    if sheet is None:
        return book.sheet_by_index(0) if xls else book[names[0]]
    if sheet not in names:
        raise InputError("sheet_missing", path=str(path), sheet=sheet, sheets=", ".join(names))
    return book.sheet_by_name(sheet) if xls else book[sheet]


def _xls_value(cell: Any, datemode: int) -> Any:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        return xlrd.xldate.xldate_as_datetime(cell.value, datemode)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    return cell.value


class _RowCounter:
    """Rows read so far from a workbook, for the progress bar."""

    def __init__(self) -> None:
        self.rows = 0

    def value(self) -> int:
        return self.rows

    def count(self, values: Any) -> Iterator[tuple[int, list[str]]]:
        """The rows with any text, as texts."""
        for number, row in enumerate(values, start=1):
            self.rows = number
            cells = [cell_text(v) for v in row]
            if any(cells):
                yield number, cells


def cell_text(value: Any) -> str:
    """A workbook cell as the text a clerk sees, except that large numbers stay recognisable.

    A float that is a whole number below 10**15 is printed without '.0'; larger ones keep
    their float spelling (4.10171199001012e+17) so the ID check can say Excel mangled them.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


# --- header -----------------------------------------------------------------------------------

def _position_after_header(path: Path, records: Iterator[tuple[int, list[str]]],
                           aliases: Mapping[str, Sequence[str]], kind: str,
                           encoding: str | None, total: int, done: Callable[[], int],
                           close: Callable[[], None]) -> Table:
    leading: list[tuple[int, list[str]]] = []
    try:
        for record in records:
            leading.append(record)
            if len(leading) >= SCAN_ROWS:
                break
    except InputError:
        close()
        raise
    found = find_header([cells for _, cells in leading], aliases)
    if found is None:
        close()
        if not any(any(c.strip() for c in cells) for _, cells in leading):
            raise InputError("file_empty", path=str(path))
        raise InputError("no_name_column", path=str(path),
                         names=" / ".join(list(aliases["name"])[:4]))
    index, columns = found
    header_number, headers = leading[index]

    # The readers above already leave out blank rows, and every user of a Table closes it
    rows = chain(leading[index + 1:], records)
    return Table(path, kind, encoding, header_number, headers, columns, rows, total, done,
                 close)
