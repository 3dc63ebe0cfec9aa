"""races.csv: read it (miler.dataset.csvfile), type and check every row and race
(miler.dataset.rules), and return one validated frame or a DataError naming every problem.

Nothing is loaded when anything is wrong. Whatever the bytes of a file, reading ends in a frame
or a DataError, never another exception.
"""

from __future__ import annotations

import os
import warnings as warnings_module
from pathlib import Path

import numpy as np
import pandas as pd

from miler.dataset import csvfile, rules
from miler.errors import DataError, Problem
from miler.schema import COLUMNS, RACE_KEY, race_ids


def read_races(path: str | os.PathLike, *, notes: bool = False) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate a races file. Returns (frame, warnings); raises DataError. With notes,
    a note claiming a WL, PB or SB that the marks refute is a warning (miler.dataset.notes).

    Accepted as a spreadsheet saves it: UTF-8 (with or without BOM), UTF-16 with BOM, Latin-1
    (with a warning), comma, semicolon or tab separated, blank lines and rows of empty cells
    anywhere. A text cell starting with a quote followed by = + - @ (how miler's exports guard
    against spreadsheet formulas, see miler.dataset.write) is read without that quote.
    """
    path = Path(path)
    name = path.name
    warnings: list[str] = []
    try:
        encoding, sep, header = csvfile.sniff(path, warnings)
        columns = rules.check_header(name, header, warnings)
        try:
            return _read_checked(path, encoding, sep, columns, warnings, notes)
        except UnicodeDecodeError as exc:  # beyond the sample sniff decoded
            if encoding != "utf-8-sig":
                raise DataError([Problem(name, 0, f"not readable as {encoding} text ({exc.reason})")]) from None
            warnings.append(csvfile.LATIN1_WARNING.format(name=name))
            return _read_checked(path, "latin-1", sep, columns, warnings, notes)
    except OSError as exc:
        raise DataError([Problem(name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None


def _read_checked(path: Path, encoding: str, sep: str, columns: list[str], warnings: list[str], notes: bool):
    """Read chunk by chunk, type and check each, then check across races; raise DataError.

    pyarrow reads a well-formed file (multi-threaded, each column dictionary-encoded); anything
    it will not read as it is (other encodings, ragged rows, blank lines before the header)
    goes to pandas' reader, and rows pandas cannot fit to the header to the csv module."""
    try:
        return _check_chunks(path, encoding, sep, columns, warnings, csvfile.arrow_chunks, notes)
    except csvfile.NoArrow:
        pass
    try:
        with warnings_module.catch_warnings():
            # index_col=False truncates a row with more values than the header, with a warning:
            # such a row is an error (a comma inside an unquoted value), so make the warning one.
            warnings_module.simplefilter("error", pd.errors.ParserWarning)
            return _check_chunks(path, encoding, sep, columns, warnings, csvfile.fast_chunks, notes)
    except csvfile.Ragged:
        bad = csvfile.shape_problems(path, encoding, sep, len(columns))
        if bad:
            raise DataError(*bad) from None
        return _check_chunks(path, encoding, sep, columns, warnings, csvfile.slow_chunks, notes)


def _check_chunks(path, encoding, sep, columns, warnings, chunks, notes=False):
    name = path.name
    found = rules.Found()
    marks = rules.MarkCache()
    typed: list[pd.DataFrame] = []
    unnamed = [c for c in columns if c.startswith("\x00")]
    unnamed_with_values = False
    stopped_after = None
    reader = chunks(path, encoding, sep, columns)
    try:
        for chunk, more in reader:
            if unnamed and not unnamed_with_values:
                unnamed_with_values = bool((chunk[unnamed].apply(lambda s: s.str.strip()) != "").to_numpy().any())
            typed.append(_type_rows(chunk[[c for c in chunk.columns if c in COLUMNS]], found, marks))
            if found.total >= rules.MAX_PROBLEMS and more:
                stopped_after = int(chunk.index[-1])
                break
    finally:
        reader.close()
    if unnamed_with_values:
        warnings.append(f"{name}:1: values in a column with no name ignored (give the column a name in the header)")
    frame = _concat(typed) if typed else _type_rows(pd.DataFrame(columns=list(COLUMNS), dtype="str"), found, marks)
    if stopped_after is None:
        for rule in rules.RACE_RULES:
            for hit in rule(frame):
                found.flag(frame, hit)
    if found.items:
        problems = csvfile.locate(path, encoding, sep, found.items, stopped_after, found.total)
        raise DataError(problems, total=found.total + (stopped_after is not None))
    _derive_places(frame)
    frame["race_id"] = race_ids(frame)
    if notes and not frame.empty:
        warnings.extend(_note_warnings(path, encoding, sep, frame))
    if frame.empty:
        warnings.append(f"{name}: no results, only a header")
    return frame.reset_index(drop=True), warnings


def _note_warnings(path: Path, encoding: str, sep: str, frame: pd.DataFrame) -> list[str]:
    """Notes the marks refute, each with its line (the frame's index is the record number;
    the file is read for lines only when there is something to say)."""
    from miler.dataset.notes import note_warnings

    lines: list[int] = []

    def line_of(record: int) -> int:
        if not lines:
            lines.extend(csvfile.record_lines(path, encoding, sep, int(frame.index.max())))
        return lines[record] if record < len(lines) else 0

    return note_warnings(path.name, frame, line_of)


def _type_rows(raw: pd.DataFrame, found: rules.Found, marks: rules.MarkCache) -> pd.DataFrame:
    """Type and check what each row says on its own (dates, marks, places, levels…).
    Rows with no value at all (a spreadsheet's empty row: ",,,,") are dropped."""
    df = rules.text_cells(raw)
    parsed = rules.parse(df, marks)
    for rule in rules.ROW_RULES:
        for hit in rule(df, parsed, marks):
            found.flag(df, hit)
    return rules.typed(df, parsed)


def _concat(typed: list[pd.DataFrame]) -> pd.DataFrame:
    """Typed chunks as one frame; Categoricals with different values are united, not widened."""
    if len(typed) == 1:
        return typed[0]
    from pandas.api.types import union_categoricals

    out = {}
    for c in typed[0].columns:
        parts = [t[c] for t in typed]
        if all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            out[c] = union_categoricals([p.array for p in parts])
        else:
            out[c] = pd.concat(parts).to_numpy() if parts[0].dtype == object else pd.concat(parts).array
    return pd.DataFrame(out, index=pd.concat([t.index.to_series() for t in typed]).index)


def _derive_places(df: pd.DataFrame) -> None:
    """Where a race gives no places at all, rank its finishers by time."""
    has_place = df["place"].notna().groupby([df[c] for c in RACE_KEY]).transform("any")
    need = ~has_place & df["seconds"].notna()
    if need.any():
        ranks = df.loc[need].groupby(RACE_KEY)["seconds"].rank(method="min").astype("Int64")
        df.loc[need, "place"] = ranks


class _EveryHit(rules.Found):
    """Found, with every row of every hit kept (rows to leave out, not problems to show)."""

    def flag(self, df: pd.DataFrame, hit: rules.Hit) -> None:
        rows = np.asarray(hit.mask, dtype=bool).nonzero()[0]
        self.total += len(rows)
        message = hit.message
        for i in rows:
            self.items.append((int(df.index[i]), message(int(i)) if callable(message) else message))


def check_rows(cells: pd.DataFrame) -> tuple[pd.DataFrame, dict[int, object]]:
    """Type and check rows already in miler's columns as text (an imported source), leaving out
    the rows that break a rule instead of refusing them all.

    Returns the validated frame (indexed by the rows' labels in cells) and {label: problem} for
    each row left out; a problem naming another row is ("DUP", that row's label, text)."""
    found = _EveryHit()
    marks = rules.MarkCache()
    typed = _type_rows(cells, found, marks)
    left_out: dict[int, object] = {}
    for record, msg in found.items:
        left_out.setdefault(record, msg)
    typed = typed.drop(index=[r for r in left_out if r in typed.index])
    for _ in range(5):  # leaving out a row can only mend a race, but a race may need more than one pass
        race_found = _EveryHit()
        for rule in rules.RACE_RULES:
            for hit in rule(typed):
                race_found.flag(typed, hit)
        if not race_found.items:
            break
        for record, msg in race_found.items:
            left_out.setdefault(record, msg)
        typed = typed.drop(index=list({r for r, _ in race_found.items}))
    _derive_places(typed)
    typed["race_id"] = race_ids(typed)
    return typed, left_out
