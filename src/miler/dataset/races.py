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

from miler.dataset import csvfile, facts, grouping, rules
from miler.dataset.cells import Cells, Column
from miler.dataset.coded import CODED, Coded, code_dtype, place_dtype
from miler.errors import DataError, Problem
from miler.schema import COLUMNS, RACE_KEY, ROUND_ORDER

if TYPE_CHECKING:
    import pandas as pd


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

    lines: list[int] = []

    def line_of(record: int) -> int:
        if not lines:
            encoding, sep, _ = csvfile.sniff(path, [])
            lines.extend(csvfile.record_lines(path, encoding, sep, int(frame.index.max())))
        return lines[record] if record < len(lines) else 0

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
        bad = csvfile.shape_problems(path, encoding, sep, len(columns))
        if bad:
            raise DataError(*bad) from None
        return _check_chunks(path, encoding, sep, columns, warnings, csvfile.slow_chunks)


def _check_chunks(path, encoding, sep, columns, warnings, chunks):
    name = path.name
    found = rules.Found()
    table = {c: Column(c) for c in columns}  # the header's columns, unknown ones too
    missing = [c for c in COLUMNS if c not in table]
    for c in missing:
        table[c] = Column(c)
    unnamed = [c for c in columns if c.startswith("\x00")]
    keeps: list[tuple[int, int, np.ndarray | None]] = []  # rows with a value, per range
    stopped_after = None
    reader = chunks(path, encoding, sep, columns)
    try:
        for chunk in reader:
            for c, (values, codes) in zip(columns, chunk.columns):
                table[c].add(chunk.start, values, codes)
            for c in missing:
                table[c].add(chunk.start, pa_strings([""]), np.zeros(chunk.rows, dtype=np.int8))
            for start, stop, more in chunk.ranges:
                cells = Cells(table, start, stop)
                nul = rules.nul_bytes(cells)
                if nul is not None:
                    raise DataError(csvfile.locate(path, encoding, sep, [(start + nul, csvfile.BINARY)]))
                keeps.append((start, stop, cells.keep))
                for rule in rules.ROW_RULES:
                    for hit in rule(cells):
                        found.flag(cells, hit)
                if found.total >= rules.MAX_PROBLEMS and more:
                    stopped_after = stop - 1
                    break
            if stopped_after is not None:
                break
    finally:
        reader.close()
    if any(_any_value(table[c]) for c in unnamed):
        warnings.append(f"{name}:1: values in a column with no name ignored (give the column a name in the header)")
    if stopped_after is not None:
        problems = csvfile.locate(path, encoding, sep, found.items, stopped_after, found.total)
        raise DataError(problems, total=found.total + 1)
    keep = None
    if any(k is not None for _, _, k in keeps):
        keep = np.concatenate([k if k is not None else np.ones(stop - start, dtype=bool) for start, stop, k in keeps])
    coded = _races(table, keep, found)
    if coded is None:
        raise DataError(csvfile.locate(path, encoding, sep, found.items, None, found.total), total=found.total)
    if not len(coded):
        warnings.append(f"{name}: no results, only a header")
    return coded, warnings


def _any_value(column: Column) -> bool:
    import pyarrow.compute as pc

    return column.values is not None and bool(pc.any(pc.not_equal(pc.utf8_trim_whitespace(column.values), "")).as_py())


def _races(table: dict[str, Column], keep: np.ndarray | None, found: rules.Found,
           release: bool = True) -> Coded | None:
    """The race rules over every kept row, then places derived and race ids: the validated
    races, or None when found holds problems."""
    import pyarrow as pa

    codes = {c: table[c].finish(keep, release) for c in CODED}
    place_codes = table["place"].finish(keep, release)
    categories = {}
    for c in CODED:
        if c in facts.NORMALISE:  # event, level, round: one category per normalised value
            norm = facts.normalised(table[c])
            uniques, mapping = _factorize(norm)
            categories[c] = pa.array(list(uniques), type=pa.string())
            codes[c] = mapping.astype(code_dtype(len(uniques)))[codes[c]]
        else:
            categories[c] = table[c].values if table[c].values is not None else pa.array([], pa.string())
    kept = np.flatnonzero(keep) if keep is not None else None
    days, _ = facts.dates(table["date"])
    if (days == facts.NAT).any():  # a date is one text (YYYY-MM-DD), but every bad one is NaT
        date_values, date_key_of = _factorize(days)
        keys = {"date": (date_key_of.astype(np.int32)[codes["date"]], len(date_values))}
    else:
        keys = {"date": (codes["date"], len(days))}
    for c in RACE_KEY:
        if c != "date":
            keys[c] = (codes[c], len(categories[c]))
    race, grouped = grouping.race_index([keys[c] for c in RACE_KEY])
    del keys
    place_of = facts.places(table["place"])[0].astype(np.float32)  # exact: places are small whole numbers
    seconds_of = facts.marks(table["time"])[0]
    starters_of = facts.starters(table["starters"])[0]
    any_starters = not np.isnan(starters_of).all()
    dated_of = days != facts.NAT
    blank = table["athlete"].code_of("")

    def text(column: str, i: int) -> str:
        return table[column].text(int(codes[column][i]))

    heads = grouping.first_rows(race, grouped)
    largest = max(np.nanmax(place_of, initial=0), np.diff(heads, append=len(race)).max(initial=0) if grouped
                  else len(race))
    places = np.zeros(len(race), dtype=place_dtype(int(largest)))  # derived ones: no more than a race's rows
    for a, b in grouping.race_blocks(race, grouped, rules.RACE_BLOCK):
        block = race[a:b] - race[a] if grouped and b > a else race
        dated = dated_of[codes["date"][a:b]]
        r = grouping.Races(a, block, grouped, codes["athlete"][a:b], blank, place_of[place_codes[a:b]],
                        seconds_of[codes["time"][a:b]], starters_of[codes["starters"][a:b]] if any_starters else None,
                        kept, text, None if dated.all() else dated)
        for rule in rules.RACE_RULES:
            for hit in rule(r):
                found.flag(r, hit)
        if not found.items:
            places[a:b] = grouping.derived_places(r)
    if found.items:
        return None
    rank = _round_ranks(categories["round"])
    order = np.lexsort((codes["sex"][heads], codes["round"][heads], codes["event"][heads], codes["meet"][heads],
                        rank[codes["round"][heads]], days[codes["date"][heads]]))
    ids = np.empty(len(heads), dtype=np.int32)
    ids[order] = np.arange(len(heads), dtype=np.int32)
    head = np.zeros(len(race), dtype=bool)
    head[heads] = True
    batch = dict(codes)
    batch["place"] = places
    batch["race_id"] = np.take(ids, race, out=race, mode="clip")  # in place: no second copy of every row's race
    batch["head"] = head
    seconds, decimals, status, _ = facts.marks(table["time"])
    return Coded(categories, [batch], facts=dict(days=days, seconds=seconds, decimals=decimals, status=status))


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct values in order of first appearance, each value's index among them)."""
    import pandas as pd

    codes, uniques = pd.factorize(values)
    return np.asarray(uniques), codes


def _round_ranks(rounds) -> np.ndarray:
    """schema.round_rank of each round category."""
    out = []
    for r in rounds.to_pylist():
        out.append(next((rank for prefix, rank in ROUND_ORDER if str(r).startswith(prefix)), 3))
    return np.array(out, dtype=np.int8)


def check_rows(cells: pd.DataFrame) -> tuple[pd.DataFrame, dict[object, object]]:
    """Type and check rows already in miler's columns as text (an imported source), leaving out
    the rows that break a rule instead of refusing them all.

    Returns the validated frame (indexed by the rows' labels in cells) and {label: problem} for
    each row left out (its first problem, in the order rules are listed); a problem naming
    another row is ("DUP", that row's label, text)."""
    present = [c for c in cells.columns if c in COLUMNS]
    chunk = csvfile.pandas_chunk(cells[present], 0, False)
    table = {c: Column(c) for c in COLUMNS}
    for c, (values, codes) in zip(present, chunk.columns):
        table[c].add(0, values, codes)
    for c in COLUMNS:
        if c not in present:
            table[c].add(0, pa_strings([""]), np.zeros(len(cells), dtype=np.int8))
    found = rules.Found()
    found.every = True
    row_cells = Cells(table, 0, len(cells))
    for rule in rules.ROW_RULES:
        for hit in rule(row_cells):
            found.flag(row_cells, hit)
    keep = np.ones(len(cells), dtype=bool) if row_cells.keep is None else row_cells.keep.copy()
    left_out: dict[int, object] = {}
    for record, message in found.items:
        left_out.setdefault(record, message)
    keep[list(left_out)] = False
    coded = None
    for _ in range(5):  # leaving out a row can only mend a race, but a race may need more than one pass
        race_found = rules.Found()
        race_found.every = True
        coded = _races(table, keep, race_found, release=False)
        if coded is not None:
            break
        for record, message in race_found.items:
            left_out.setdefault(record, message)
            keep[record] = False
    if coded is None:  # pragma: no cover - five passes mend any file seen so far
        coded = _races(table, keep, rules.Found(), release=False)
    labels = cells.index
    frame = coded.frame()
    frame.index = labels[np.flatnonzero(keep)]

    def labelled(message):
        if isinstance(message, tuple):
            return (message[0], labels[message[1]], message[2])
        return message

    return frame, {labels[r]: labelled(m) for r, m in sorted(left_out.items())}


def pa_strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())
