"""Tables as files hold them: CSV, TSV or semicolon-separated text (any encoding miler's CSV
reader accepts: UTF-8 with or without BOM, UTF-16, Latin-1; CRLF or LF), or the first sheet of a
workbook (.xlsx, .xls, .ods, read by pandas through python-calamine, imported only here). Each
row keeps the line (or sheet row) it came from.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from dataclasses import dataclass, field
from pathlib import Path

from miler.errors import DataError, MilerError, Problem

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")


@dataclass
class Table:
    """A header and rows of text cells, with the line (or sheet row) of each row."""

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    notes: list[str] = field(default_factory=list)  # how it was read: separator, encoding, sheet


def is_workbook(path: Path, head: bytes) -> bool:
    return path.suffix.lower() in WORKBOOK_SUFFIXES or head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def read_table(path: Path, head: bytes, has_header: bool = True) -> Table:
    """The table in path: its first row as header (unless has_header is false), the rest as rows;
    rows of empty cells are passed over."""
    if is_workbook(path, head):
        return _workbook(path, has_header)
    return _text(path, has_header)


def _text(path: Path, has_header: bool) -> Table:
    from miler.dataset import csvfile

    notes: list[str] = []
    encoding, sep, _ = csvfile.sniff(path, notes)
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        with csvfile._big_fields(), open(path, newline="", encoding=encoding, errors="strict") as f:
            reader = csv.reader(f, delimiter=sep)
            start = 1
            for row in reader:
                if any(c.strip() for c in row):
                    rows.append(row)
                    lines.append(start)
                start = reader.line_num + 1
    except UnicodeDecodeError:
        if encoding == "latin-1":
            raise
        notes.append(csvfile.LATIN1_WARNING.format(name=path.name))
        return _reread_latin1(path, sep, has_header, notes)
    except csv.Error as exc:
        raise DataError([Problem(path.name, start, f"malformed CSV: {exc}")]) from None
    return _split(path, rows, lines, has_header, notes)


def _reread_latin1(path: Path, sep: str, has_header: bool, notes: list[str]) -> Table:
    rows, lines, start = [], [], 1
    with open(path, newline="", encoding="latin-1") as f:
        reader = csv.reader(f, delimiter=sep)
        for row in reader:
            if any(c.strip() for c in row):
                rows.append(row)
                lines.append(start)
            start = reader.line_num + 1
    return _split(path, rows, lines, has_header, notes)


def _split(path: Path, rows: list[list[str]], lines: list[int], has_header: bool, notes: list[str]) -> Table:
    if not rows:
        raise DataError([Problem(path.name, 0, "the file is empty (expected a header row and results)")])
    if not has_header:
        return Table([], rows, lines, notes)
    header = [h.strip().lstrip("\ufeff") for h in rows[0]]
    return Table(header, rows[1:], lines[1:], notes)


def _workbook(path: Path, has_header: bool) -> Table:
    import pandas as pd

    try:
        import python_calamine  # noqa: F401  (pandas' engine for .xlsx and .ods)
    except ImportError:
        raise MilerError(f"{path.name}: reading a spreadsheet needs python-calamine "
                         "(pip install python-calamine), or save the sheet as CSV") from None
    try:
        with pd.ExcelFile(path, engine="calamine") as book:
            sheets = book.sheet_names
            frame = pd.read_excel(book, sheet_name=sheets[0], header=None, dtype=object)
    except Exception as exc:  # calamine's errors are not one class: a damaged or foreign file
        raise DataError([Problem(path.name, 0, f"not a spreadsheet miler can read ({exc})")]) from None
    notes = [f"{path.name}: read the first sheet, {sheets[0]!r}, of {len(sheets)}"] if len(sheets) > 1 else []
    rows, lines = [], []
    for number, values in zip(frame.index, frame.itertuples(index=False, name=None)):
        cells = [_cell(v) for v in values]
        if any(cells):
            rows.append(cells)
            lines.append(int(number) + 1)
    return _split(path, rows, lines, has_header, notes)


def _duration(t) -> str:
    from miler.marks import format_mark

    seconds = t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6
    return format_mark(seconds, 0 if not t.microsecond else 2)


def _cell(value) -> str:
    """A spreadsheet cell as the text a CSV would hold: dates ISO, whole numbers without '.0',
    durations and times of day as m:ss.xx (how spreadsheets store a typed-in '3:29.38')."""
    from miler.marks import format_mark

    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(round(value, 6))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        if value.year <= 1900:  # a duration typed as a time: 1899-12-31 00:03:29.380
            return _duration(value)
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return _duration(value)
    if isinstance(value, dt.timedelta):
        seconds = value.total_seconds()
        return format_mark(seconds, 0 if seconds.is_integer() else 2)
    text = str(value)
    return "" if text in ("NaT", "nan") else text
