"""Read an import file, CSV or .xlsx, one row at a time: bounded memory however long the file is.

Every cell comes out as text or None, so a CSV and the same sheet saved as .xlsx read alike
(Excel's 1001.0 is "1001"). The format is told by the file's first bytes, not by its name.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
from pathlib import Path
from typing import Iterator

XLSX_MAGIC = b"PK\x03\x04"
_SNIFF_BYTES = 64 * 1024


class UnreadableFile(Exception):
    """Not a CSV or .xlsx file we can read; the message says what to send instead."""


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


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def _csv_rows(path: Path) -> Iterator[list[str | None]]:
    with open(path, "rb") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        try:
            first = text.readline()
            delimiter = max(",;\t", key=first.count)
            for cells in csv.reader(_chain(first, text), delimiter=delimiter, strict=True):
                yield [_text(c) for c in cells]
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
        except Exception as error:  # openpyxl raises many kinds for a damaged zip or workbook
            raise UnreadableFile(f"The .xlsx workbook cannot be opened: {error}.") from None
        try:
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                yield [_text(v) for v in values]
        except Exception as error:  # a damaged sheet is found only while reading it
            raise UnreadableFile(f"The .xlsx workbook is damaged: {error}.") from None
        finally:
            workbook.close()
