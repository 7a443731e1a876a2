"""Read an import file, CSV or .xlsx, one row at a time: bounded memory however long the file is.

Every cell comes out as text or None, so a CSV and the same sheet saved as .xlsx read alike
(Excel's 1001.0 is "1001"). The format is told by the file's first bytes, not by its name.

An .xlsx is a zip whose parts may unpack to a thousand times their size (a 2.3 MB upload whose shared
strings, which any reader must hold whole, expanded to 1 GiB): check_workbook reads only the zip's
directory and refuses such a workbook before anything parses it. zipfile never unpacks a part beyond
the size its directory declares, so the check binds. A cell longer than MAX_CELL_CHARS is refused too.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from pathlib import Path
from typing import Iterator

XLSX_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 64 * 1024
MAX_CELL_CHARS = 10_000  # far beyond any name, address or note a customer import carries
MAX_UNPACKED_BYTES = 128 * 1024 * 1024  # IMPORT_MAX_UNPACKED_BYTES: a 100,000-customer workbook unpacks to ~60 MiB
MAX_ENTRIES = 200  # IMPORT_MAX_WORKBOOK_ENTRIES: a workbook of one sheet has about a dozen parts


class UnreadableFile(Exception):
    """Not a CSV or .xlsx file we can read; the message says what to send instead."""


class WorkbookTooLarge(UnreadableFile):
    """An .xlsx that would unpack to more than an import may read."""


def check_workbook(path: Path, max_unpacked_bytes: int = MAX_UNPACKED_BYTES, max_entries: int = MAX_ENTRIES) -> None:
    """Refuse a workbook by its zip directory alone, before any part of it is unpacked or parsed."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise UnreadableFile("The .xlsx workbook cannot be opened: it is not a complete zip file.") from None
    if len(parts) > max_entries:
        raise WorkbookTooLarge(f"The workbook has {len(parts)} parts; an import workbook may have at most "
                               f"{max_entries}. Save the sheet on its own, or as CSV.")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked_bytes:
        raise WorkbookTooLarge(f"The workbook unpacks to {unpacked // (1024 * 1024)} MiB; an import workbook may "
                               f"unpack to at most {max_unpacked_bytes // (1024 * 1024)} MiB. Split it, or save "
                               "it as CSV.")


def file_format(head: bytes) -> str:
    """'xlsx' or 'csv' from the file's first bytes; UnreadableFile for anything else (binary junk)."""
    if head.startswith(XLSX_MAGIC):
        return "xlsx"
    if b"\x00" in head:
        raise UnreadableFile("This is neither a CSV text file nor an .xlsx workbook.")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        raise UnreadableFile("A CSV file must be UTF-8 text; save it as 'CSV UTF-8'.") from None
    return "csv"


def sniff(path: Path) -> str:
    with open(path, "rb") as f:
        return file_format(f.read(_SNIFF_BYTES))


def rows(path: Path, fmt: str) -> Iterator[tuple[int, list[str | None]]]:
    """(row number, cells) for each row that is not empty; row 1 is the header."""
    reader = _xlsx_rows(path) if fmt == "xlsx" else _csv_rows(path)
    for number, cells in enumerate(reader, start=1):
        if any(c is not None for c in cells):
            yield number, cells


def _cell(text: str) -> str | None:
    """A CSV cell: always text, so none of a workbook value's conversions (the reading's hottest line)."""
    text = text.strip()
    if len(text) > MAX_CELL_CHARS:
        raise UnreadableFile(f"A cell has {len(text)} characters; a cell may have at most {MAX_CELL_CHARS}.")
    return text or None


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return _cell(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return _cell(str(value))


def _csv_rows(path: Path) -> Iterator[list[str | None]]:
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            first = text.readline()
            delimiter = max(",;\t", key=first.count)
            for cells in csv.reader(_chain(first, text), delimiter=delimiter, strict=True):
                yield [_cell(c) for c in cells]
        except UnicodeDecodeError:
            raise UnreadableFile("A CSV file must be UTF-8 text; save it as 'CSV UTF-8'.") from None
        except csv.Error as error:
            raise UnreadableFile(f"The CSV is malformed: {error}.") from None


def _chain(first: str, rest):
    yield first
    yield from rest


def _xlsx_rows(path: Path) -> Iterator[list[str | None]]:
    from openpyxl import load_workbook

    with open(path, "rb") as file:  # a file object: openpyxl would judge a path by its extension
        try:
            workbook = load_workbook(file, read_only=True, data_only=True)
        except MemoryError:  # the import worker's limit (import_worker.limit_memory), not a damaged file
            raise
        except Exception as error:  # openpyxl raises many kinds for a damaged zip or workbook
            raise UnreadableFile(f"The .xlsx workbook cannot be opened: {error}.") from None
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield [_text(v) for v in values]
        except (MemoryError, UnreadableFile):
            raise
        except Exception as error:  # a damaged sheet is found only while reading it
            raise UnreadableFile(f"The .xlsx workbook is damaged: {error}.") from None
        finally:
            workbook.close()
