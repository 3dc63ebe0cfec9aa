"""races.csv: read it (miler.dataset.csvfile), check every row and race (miler.dataset.rules),
and return the validated races (miler.dataset.coded) or a DataError naming every problem.

Nothing is loaded when anything is wrong. Whatever the bytes of a file, reading ends in
validated races or a DataError, never another exception. The races are checked as codes and
stay codes until a frame is asked for: ``read_races(path)`` gives the whole frame,
``read_races(path, codes=True)`` the codes.
"""

from __future__ import annotations

import os
import warnings as warnings_module
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from miler.dataset import build, csvfile, lines, rules
from miler.dataset.cells import Cells, Column
from miler.errors import DataError, Problem
from miler.schema import COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from miler.dataset.coded import Coded


def read_races(path: str | os.PathLike, codes: bool = False) -> tuple[pd.DataFrame | Coded, list[str]]:
    """Read and validate a races file. Returns (frame, warnings); raises DataError. With codes,
    the validated races as codes (miler.dataset.coded) instead of a frame: nothing built yet.

    Accepted as a spreadsheet saves it: UTF-8 (with or without BOM), UTF-16 with BOM, Latin-1
    (with a warning), comma, semicolon or tab separated, blank lines and rows of empty cells
    anywhere. A text cell starting with a quote followed by = + - @ (how miler's exports guard
    against spreadsheet formulas, see miler.dataset.write) is read without that quote.
    """
    coded, warnings = _read_coded(Path(path))
    return (coded if codes else coded.frame()), warnings


def note_warnings(path: Path, frame: pd.DataFrame) -> list[str]:
    """Notes the marks refute (miler.dataset.notes), each with its line: validate's warnings
    about WL, PB and SB flags. The file is read for line numbers only when there is something
    to say."""
    from miler.dataset.notes import note_warnings as refuted

    starts: list[int] = []

    def line_of(record: int) -> int:
        if not starts:
            encoding, sep, _ = csvfile.sniff(path, [])
            starts.extend(lines.record_lines(path, encoding, sep, int(frame.index.max())))
        return starts[record] if record < len(starts) else 0

    return refuted(path.name, frame, line_of) if len(frame) else []


def _read_coded(path: Path) -> tuple[Coded, list[str]]:
    name = path.name
    warnings: list[str] = []
    try:
        encoding, sep, header = csvfile.sniff(path, warnings)
        columns = rules.check_header(name, header, warnings)
        try:
            return _read_checked(path, encoding, sep, columns, warnings)
        except UnicodeDecodeError as exc:  # beyond the sample sniff decoded
            if encoding != "utf-8-sig":
                raise DataError([Problem(name, 0, f"not readable as {encoding} text ({exc.reason})")]) from None
            warnings.append(csvfile.LATIN1_WARNING.format(name=name))
            return _read_checked(path, "latin-1", sep, columns, warnings)
    except OSError as exc:
        raise DataError([Problem(name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None


def _read_checked(path: Path, encoding: str, sep: str, columns: list[str], warnings: list[str]):
    """Read chunk by chunk, check each, then check across races; raise DataError.

    pyarrow reads a well-formed file (multi-threaded, each column dictionary-encoded); anything
    it will not read as it is (other encodings, ragged rows, blank lines before the header)
    goes to pandas' reader, and rows pandas cannot fit to the header to the csv module."""
    import pandas as pd

    try:
        return _check_chunks(path, encoding, sep, columns, warnings, csvfile.arrow_chunks)
    except csvfile.NoArrow:
        pass
    nul = csvfile.nul_line(path, encoding)  # pandas' reader drops a NUL (and the csv module chokes on one)
    if nul is not None:
        raise DataError([Problem(path.name, nul, csvfile.BINARY)])
    try:
        with warnings_module.catch_warnings():
            # index_col=False truncates a row with more values than the header, with a warning:
            # such a row is an error (a comma inside an unquoted value), so make the warning one.
            warnings_module.simplefilter("error", pd.errors.ParserWarning)
            return _check_chunks(path, encoding, sep, columns, warnings, csvfile.fast_chunks)
    except csvfile.Ragged:
        bad = lines.shape_problems(path, encoding, sep, len(columns))
        if bad:
            raise DataError(*bad) from None
        return _check_chunks(path, encoding, sep, columns, warnings, csvfile.slow_chunks)


def _check_chunks(path, encoding, sep, columns, warnings, chunks):
    """The rows of every chunk checked, then the races: the validated races, or DataError."""
    name = path.name
    found = rules.Found()
    table = _new_table(columns)
    keeps, stopped_after = _check_ranges(path, encoding, sep, columns, chunks, table, found)
    if any(_any_value(table[c]) for c in columns if c.startswith("\x00")):
        warnings.append(f"{name}:1: values in a column with no name ignored (give the column a name in the header)")
    if stopped_after is not None:
        problems = lines.locate(path, encoding, sep, found.items, stopped_after, found.total)
        raise DataError(problems, total=found.total + 1)
    coded = build.races(table, _kept(keeps), found)
    if coded is None:
        raise DataError(lines.locate(path, encoding, sep, found.items, None, found.total), total=found.total)
    if not len(coded):
        warnings.append(f"{name}: no results, only a header")
    warnings.extend(_warned(path, encoding, sep, found))
    return coded, warnings


def _warned(path: Path, encoding: str, sep: str, found: rules.Found) -> list[str]:
    """The rows found worth a warning, each as NAME:LINE: message, and how many more."""
    if not found.warned:
        return []
    out = [str(p) for p in lines.locate(path, encoding, sep, found.warned)]
    more = found.warned_total - len(out)
    if more > 0:
        out.append(f"{path.name}: {more:,} more rows with a warning like these")
    return out


def _new_table(columns: list[str]) -> dict[str, Column]:
    """A Column for each of the header's columns (unknown ones too) and each of miler's."""
    table = {c: Column(c) for c in columns}
    for c in COLUMNS:
        if c not in table:
            table[c] = Column(c)
    return table


def _add_chunk(table: dict[str, Column], columns: list[str], start: int, rows: int, cells: list) -> None:
    """A chunk's (values, codes) of each of columns; every other column of table empty."""
    for c, (values, codes) in zip(columns, cells):
        table[c].add(start, values, codes)
    for c in table:
        if c not in columns:
            table[c].add(start, pa_strings([""]), np.zeros(rows, dtype=np.int8))


def _check_ranges(path, encoding, sep, columns, chunks, table, found):
    """Read chunk by chunk, the row rules over each range: the rows with a value of each range
    ((start, stop, keep)), and the last record read when reading stopped early (too many
    problems to go on), else None. A NUL byte anywhere is a DataError at once."""
    keeps: list[tuple[int, int, np.ndarray | None]] = []
    reader = chunks(path, encoding, sep, columns)
    try:
        for chunk in reader:
            _add_chunk(table, columns, chunk.start, chunk.rows, chunk.columns)
            for start, stop, more in chunk.ranges:
                cells = Cells(table, start, stop)
                nul = rules.nul_bytes(cells)
                if nul is not None:
                    raise DataError(lines.locate(path, encoding, sep, [(start + nul, csvfile.BINARY)]))
                keeps.append((start, stop, cells.keep))
                rules.check_cells(cells, found)
                if found.total >= rules.MAX_PROBLEMS and more:
                    return keeps, stop - 1
    finally:
        reader.close()
    return keeps, None


def _kept(keeps: list[tuple[int, int, np.ndarray | None]]) -> np.ndarray | None:
    """The rows with a value, of every range (None: all of them)."""
    if all(k is None for _, _, k in keeps):
        return None
    return np.concatenate([k if k is not None else np.ones(stop - start, dtype=bool) for start, stop, k in keeps])


def _any_value(column: Column) -> bool:
    import pyarrow.compute as pc

    return column.values is not None and bool(pc.any(pc.not_equal(pc.utf8_trim_whitespace(column.values), "")).as_py())


def check_rows(cells: pd.DataFrame) -> tuple[pd.DataFrame, dict[object, object], dict[object, str]]:
    """Type and check rows already in miler's columns as text (an imported source), leaving out
    the rows that break a rule instead of refusing them all.

    Returns the validated frame (indexed by the rows' labels in cells), {label: problem} for
    each row left out (its first problem, in the order rules are listed; a problem naming
    another row is ("DUP", that row's label, text)) and {label: warning} for rows kept with a
    warning."""
    present = [c for c in cells.columns if c in COLUMNS]
    table = _new_table(list(COLUMNS))
    _add_chunk(table, present, 0, len(cells), csvfile.pandas_chunk(cells[present], 0, False).columns)
    found = rules.Found()
    found.every = True
    row_cells = Cells(table, 0, len(cells))
    rules.check_cells(row_cells, found)
    keep = np.ones(len(cells), dtype=bool) if row_cells.keep is None else row_cells.keep.copy()
    left_out: dict[int, object] = {}
    for record, message in found.items:
        left_out.setdefault(record, message)
    keep[list(left_out)] = False
    coded = _mended_races(table, keep, left_out)
    labels = cells.index
    frame = coded.frame()
    frame.index = labels[np.flatnonzero(keep)]

    def labelled(message):
        if isinstance(message, tuple):
            return (message[0], labels[message[1]], message[2])
        return message

    warned = {labels[r]: m for r, m in sorted(found.warned) if keep[r]}
    return frame, {labels[r]: labelled(m) for r, m in sorted(left_out.items())}, warned


def _mended_races(table: dict[str, Column], keep: np.ndarray, left_out: dict[int, object]) -> Coded:
    """The validated races of the kept rows, leaving out (from keep, into left_out) each row
    that breaks a race rule."""
    for _ in range(5):  # leaving out a row can only mend a race, but a race may need more than one pass
        race_found = rules.Found()
        race_found.every = True
        coded = build.races(table, keep, race_found, release=False)
        if coded is not None:
            return coded
        for record, message in race_found.items:
            left_out.setdefault(record, message)
            keep[record] = False
    return build.races(table, keep, rules.Found(), release=False)  # pragma: no cover - five passes mend any file seen so far


def pa_strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())
