"""Races out: the dataset's own format as CSV or JSON (an export is itself a dataset), with
CSV cells a spreadsheet will not run.

``guard_cell`` / ``unguard_cell`` neutralise spreadsheet formulas ("CSV injection", OWASP): a
text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
single quote, which spreadsheets show as text. Plain numbers (``-0.27``, ``+3``) are not formulas
and are left alone, as are numbers that are not text at all. A cell that already begins with
quotes followed by one of those characters gets one more quote, so
``unguard_cell(guard_cell(x)) == x`` for every string: the loader undoes the guard and an export
read back by miler is the data that was exported.
"""

from __future__ import annotations

import csv
import re
from typing import IO, Any

import pandas as pd

from miler.schema import COLUMNS, OPTIONAL

FORMULA_START = r"[=+\-@\t\r]"  # how a spreadsheet formula may begin
_GUARDED = re.compile(rf"^'*{FORMULA_START}")  # a cell the guard must quote (once more)
# A cell the guard quoted: the quote, then what it guarded (also RE2, for pyarrow's reading)
UNGUARD_PATTERN = rf"^'('*{FORMULA_START})"
_UNGUARD = re.compile(UNGUARD_PATTERN)
_NUMBER = re.compile(r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\Z")  # a plain number, ASCII digits


def guard_cell(value: Any) -> Any:
    """A CSV cell a spreadsheet will not evaluate: formula-like text gets a leading quote."""
    if isinstance(value, str) and _GUARDED.match(value) and not _NUMBER.match(value):
        return "'" + value
    return value


def unguard_cell(value: str) -> str:
    """Undo guard_cell: drop the quote it put before =, +, -, @, tab or carriage return."""
    return value[1:] if _UNGUARD.match(value) else value


def write_rows(out: IO[str], header: list[str], rows) -> None:
    """CSV rows (lists of cells) after a header, spreadsheet-safe (guard_cell), "\n" line ends;
    a row with a carriage return in a value is wholly quoted (the csv module would not quote it)."""
    plain = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    plain.writerow(header)
    for row in rows:
        cells = ["" if v is None else guard_cell(v) for v in row]
        (quoted if any(isinstance(v, str) and "\r" in v for v in cells) else plain).writerow(cells)


def guard_series(s):
    """guard_cell over a pandas Series of strings, vectorised."""
    needs = s.str.match(_GUARDED.pattern) & ~s.str.match(_NUMBER.pattern)
    return s.where(~needs, "'" + s)


def write_races(frame: pd.DataFrame, out: IO[str], fmt: str = "csv") -> None:
    """Write races in the dataset's own columns (COLUMNS), so the result is itself a dataset.

    CSV is what read_races reads back: ISO dates, places as whole numbers, indoor as
    true/false, marks as printed. Its text cells are spreadsheet-safe (guard_series),
    and read_races undoes the guard, so write-then-read gives the same frame. JSON is a list of
    objects with the same keys, one a line: place a number or null, indoor true/false, text as
    is; and "field" (a race held in part, or null) where the frame has that column.
    """
    cells = _dataset_cells(frame)
    if fmt == "csv":
        carriage_return = False
        for c in cells.columns:
            if c not in ("date", "place", "indoor", "starters"):
                cells[c] = guard_series(cells[c])
                carriage_return = carriage_return or bool(cells[c].str.contains("\r", regex=False).any())
        # the csv module quotes a value with \n but not one with a lone \r (with \n as the line
        # end), which a reader would take for a line break: then every value is quoted
        quoting = csv.QUOTE_ALL if carriage_return else csv.QUOTE_MINIMAL
        cells.to_csv(out, index=False, lineterminator="\n", quoting=quoting)
    elif fmt == "json":
        _write_json(frame, cells, out)
    else:
        raise ValueError(f"unknown dataset format {fmt!r}")


def _write_json(frame: pd.DataFrame, cells: pd.DataFrame, out: IO[str]) -> None:
    """The rows as a JSON list of objects, one a line, each encoded by json's C encoder
    (json.dump with an indent runs in Python: 100k rows took 3.6 s that way, 1.1 s this way)."""
    import json

    columns = {c: cells[c].tolist() for c in cells.columns}
    place = frame["place"].astype("object").where(frame["place"].notna(), None).tolist()
    columns["place"] = [None if p is None else int(p) for p in place]
    columns["indoor"] = [bool(i) for i in frame["indoor"].tolist()]
    if "starters" in columns:
        columns["starters"] = [int(s) if s else None for s in columns["starters"]]
    if "field" in frame.columns:
        columns["field"] = [n if isinstance(n, str) else None for n in frame["field"].tolist()]
    keys = list(columns)
    encode = json.JSONEncoder(ensure_ascii=False).encode
    out.write("[")
    for i, values in enumerate(zip(*columns.values())):
        out.write(("\n" if i == 0 else ",\n") + encode(dict(zip(keys, values))))
    out.write("\n]\n" if keys and len(frame) else "]\n")


def _has_values(frame: pd.DataFrame, column: str) -> bool:
    """Whether some row holds a value in column (not missing, not empty text)."""
    if column not in frame.columns:
        return False
    values = frame[column]
    return bool((values.notna() & (values.astype("str") != "")).any())


def _dataset_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """COLUMNS of a races frame as the strings a races file holds (an OPTIONAL column only
    when some row has a value)."""
    cells = pd.DataFrame(index=frame.index)
    for c in COLUMNS:
        if c in OPTIONAL and not _has_values(frame, c):
            continue
        if c == "date":
            cells[c] = frame[c].dt.strftime("%Y-%m-%d").astype("str")
        elif c in ("place", "starters"):
            numbers = frame[c].astype("Int64")
            cells[c] = numbers.astype("str").where(numbers.notna(), "")  # pandas 2 writes NA as '<NA>'
        elif c == "indoor":
            cells[c] = frame[c].map({True: "true", False: "false"}).astype("str")
        else:
            cells[c] = frame[c].astype("str")
    return cells.reset_index(drop=True)


