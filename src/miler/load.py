"""Find the dataset, read races.csv and quotes.yaml, validate them, return typed frames;
and write races back in the same format (write_races), so an export is itself a dataset.

Validation reports every problem (up to MAX_PROBLEMS, with the total) as
``races.csv:LINE: what is wrong``; nothing is loaded when anything is wrong. Whatever the
bytes of a file, reading ends in a frame or a DataError, never another exception.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import itertools
import os
import re
import warnings as warnings_module
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd

from miler.errors import DataError, NotFoundError, Problem
from miler.marks import MarkError, check_plausible, normalise_event, parse_many, plausible_range, shown
from miler.output import guard_series, unguard_cell

COLUMNS = (
    "date", "meet", "city", "country", "level", "event", "round", "indoor",
    "athlete", "nat", "place", "time", "note", "source", "starters",
)  # fmt: skip
# Columns a races file may leave out entirely; written back only when some row has a value.
# starters: how many ran the race (finishers and non-finishers) in its full results, where a
# source gives them; a race with fewer rows than starters holds a partial field.
OPTIONAL = ("starters",)
BASE_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL)  # what every export holds
REQUIRED = ("date", "meet", "event", "athlete")
LEVELS = (
    "olympics", "worlds", "world-indoors", "europeans", "commonwealth",
    "diamond-league", "national", "other",
)  # fmt: skip
CHAMPIONSHIP_LEVELS = ("olympics", "worlds", "world-indoors", "europeans", "commonwealth")
RACE_KEY = ["date", "meet", "event", "round"]
# Rounds in the order they are run on a day: sorting races by (date, race_id) is chronological.
ROUND_ORDER = (("heat", 0), ("prelim", 0), ("quarter", 1), ("semi", 2), ("final", 3))
MAX_PROBLEMS = 50
ENV_VAR = "MILER_DATA"

_TRUE = {"true", "t", "yes", "y", "1", "indoor", "i"}
_FALSE = {"false", "f", "no", "n", "0", "outdoor", ""}


@dataclass
class Dataset:
    """A loaded dataset: validated races, quotes read on first use, warnings for stderr."""

    races_path: Path
    quotes_path: Path | None
    races: pd.DataFrame
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def quotes(self) -> pd.DataFrame:
        if self.quotes_path is None or not self.quotes_path.is_file():
            return empty_quotes()
        return read_quotes(self.quotes_path)


# --- where the data is -------------------------------------------------------------------


def dataset_paths(data: str | os.PathLike | None = None) -> tuple[Path, Path | None]:
    """(races.csv, quotes.yaml or None) for --data, then $MILER_DATA, then the packaged data.

    DATA may be a folder holding races.csv (and optionally quotes.yaml) or a CSV file.
    """
    if data is None and os.environ.get(ENV_VAR):
        data = os.environ[ENV_VAR]
    if data is None:
        folder = _packaged_data()
    else:
        folder = Path(data).expanduser()
        if folder.is_file():
            return folder, None
        if not folder.exists():
            raise NotFoundError(f"{folder}: no such file or folder (give --data a folder holding races.csv)")
    races = folder / "races.csv"
    if not races.is_file():
        raise NotFoundError(f"{folder}: no races.csv in this folder")
    quotes = folder / "quotes.yaml"
    return races, quotes if quotes.is_file() else None


def _packaged_data() -> Path:
    from importlib.resources import files

    packaged = Path(str(files("miler") / "data"))
    if (packaged / "races.csv").is_file():
        return packaged
    repo = Path(__file__).resolve().parents[2] / "data"  # an editable install or a checkout
    return repo


def load(data: str | os.PathLike | None = None) -> Dataset:
    """The dataset at data (see dataset_paths); a large races file is validated once and then
    read from miler's cache (miler.cache) until it changes."""
    from miler import cache

    races_path, quotes_path = dataset_paths(data)
    hit = cache.get(races_path)
    if hit is None:
        races, warnings = read_races(races_path)
        cache.put(races_path, races, warnings)
    else:
        races, warnings = hit
    return Dataset(races_path, quotes_path, races, warnings)


# --- races.csv ---------------------------------------------------------------------------
#
# Reading is fast with pandas and careful where pandas is not: the file is read and checked
# CHUNK_ROWS records at a time, so a hopeless file (100 MB of garbage) stops after the first
# chunk that brings the problems to MAX_PROBLEMS instead of reporting a million of them. Rows
# with more values than the header, and quoting pandas cannot parse, are found again with the
# csv module, which knows on which line each record starts.

CHUNK_ROWS = 100_000


class _Ragged(Exception):
    """pandas met a row it cannot fit to the header (more values, or broken quoting)."""


def read_races(path: str | os.PathLike) -> tuple[pd.DataFrame, list[str]]:
    """Read and validate a races file. Returns (frame, warnings); raises DataError.

    Accepted as a spreadsheet saves it: UTF-8 (with or without BOM), UTF-16 with BOM, Latin-1
    (with a warning), comma, semicolon or tab separated, blank lines and rows of empty cells
    anywhere. A text cell starting with a quote followed by = + - @ (how miler's exports guard
    against spreadsheet formulas, see miler.output) is read without that quote.
    """
    path = Path(path)
    name = path.name
    warnings: list[str] = []
    try:
        encoding, sep, header = _sniff(path, warnings)
        columns = _check_header(name, header, warnings)
        try:
            return _read_checked(path, encoding, sep, columns, warnings)
        except UnicodeDecodeError as exc:  # beyond the sample _sniff decoded
            if encoding != "utf-8-sig":
                raise DataError([Problem(name, 0, f"not readable as {encoding} text ({exc.reason})")]) from None
            warnings.append(_LATIN1_WARNING.format(name=name))
            return _read_checked(path, "latin-1", sep, columns, warnings)
    except OSError as exc:
        raise DataError([Problem(name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None


_LATIN1_WARNING = "{name}: not UTF-8; read as Latin-1 (save it as UTF-8 to be sure)"


def _sniff(path: Path, warnings: list[str]) -> tuple[str, str, list[str]]:
    """Encoding, delimiter and header of a CSV file, refusing what is not text."""
    name = path.name
    with open(path, "rb") as f:
        head = f.read(65536)
    if not head.strip():
        raise DataError([Problem(name, 0, "the file is empty (expected a header row and results)")])
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) and not head.startswith(b"\xff\xfe\x00\x00"):
        encoding = "utf-16"  # Excel's "Unicode text"
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="replace")
    else:
        if head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
            raise DataError([Problem(name, 0, "this is a spreadsheet workbook, not CSV text: "
                                     "save it from the spreadsheet as CSV (UTF-8)")])
        if b"\x00" in head:
            raise DataError([Problem(name, 0, "this is a binary file, not CSV text: save it as CSV (UTF-8)")])
        encoding = "utf-8-sig"
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
                encoding = "latin-1"
                warnings.append(_LATIN1_WARNING.format(name=name))
        text = head.decode(encoding, errors="replace")
    first = next((line for line in re.split(r"\r\n|\r|\n", text) if line.strip()), "")
    sep = max((",", ";", "\t"), key=first.count)
    if sep != ",":
        warnings.append(f"{name}: fields are separated by {'tabs' if sep == chr(9) else repr(sep)}, read as such")
    header = next(csv.reader([first], delimiter=sep))
    return encoding, sep, header


def _check_header(name: str, header: list[str], warnings: list[str]) -> list[str]:
    """The header's names, lower-cased; an unnamed column gets a placeholder name ('\\x00N')."""
    columns = [h.strip().lower() or f"\x00{i}" for i, h in enumerate(header)]
    problems = []
    missing = [c for c in REQUIRED if c not in columns]
    if "time" not in columns and "place" not in columns:
        missing.append("time (or place)")
    if missing:
        problems.append(
            Problem(name, 1, f"missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)} "
                    f"(the header must name at least {', '.join(REQUIRED)} and time or place)")
        )
    seen = set()
    for c in columns:
        if c in seen:
            problems.append(Problem(name, 1, f"column '{c}' appears twice"))
        seen.add(c)
    if problems:
        raise DataError(problems)
    unknown = [h for h, c in zip(header, columns) if c not in COLUMNS and not c.startswith("\x00")]
    if unknown:
        warnings.append(f"{name}:1: unknown column{'s' if len(unknown) > 1 else ''} ignored: {', '.join(unknown)}")
    return columns


def _read_checked(path: Path, encoding: str, sep: str, columns: list[str], warnings: list[str]):
    """Read chunk by chunk, type and check each, then check across races; raise DataError.

    pyarrow reads a well-formed file (multi-threaded, each column dictionary-encoded); anything
    it will not read as it is (other encodings, ragged rows, blank lines before the header)
    goes to pandas' reader, and rows pandas cannot fit to the header to the csv module."""
    try:
        return _check_chunks(path, encoding, sep, columns, warnings, _arrow_chunks)
    except _NoArrow:
        pass
    try:
        with warnings_module.catch_warnings():
            # index_col=False truncates a row with more values than the header, with a warning:
            # such a row is an error (a comma inside an unquoted value), so make the warning one.
            warnings_module.simplefilter("error", pd.errors.ParserWarning)
            return _check_chunks(path, encoding, sep, columns, warnings, _fast_chunks)
    except _Ragged:
        bad = _shape_problems(path, encoding, sep, len(columns))
        if bad:
            raise DataError(*bad) from None
        return _check_chunks(path, encoding, sep, columns, warnings, _slow_chunks)


class _NoArrow(Exception):
    """pyarrow will not read this file as it is: read it with pandas instead."""


def _arrow_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """(chunk, more) pairs of CHUNK_ROWS records read by pyarrow, each column a Categorical.

    Raises _NoArrow, before yielding anything, when the file is not plain UTF-8 with the header
    on its first line or pyarrow cannot parse it (the caller reads it with pandas instead)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise _NoArrow() from None
    with open(path, "rb") as f:
        first = f.readline().removeprefix(b"\xef\xbb\xbf")
    if encoding != "utf-8-sig" or not first.strip():
        raise _NoArrow()
    names = [f"c{i}" for i in range(len(columns))]
    try:
        table = pacsv.read_csv(  # all cores: a million rows in a few tenths of a second
            path,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False, null_values=[],
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        raise _NoArrow() from None
    start, size = 0, CHUNK_ROWS  # the first chunk is small, to stop early on a hopeless file
    while True:
        more = start + size < table.num_rows
        yield _arrow_frame(table.slice(start, size), columns, start), more
        if not more:
            return
        start, size = start + size, ARROW_CHUNK_ROWS


ARROW_CHUNK_ROWS = 1_000_000
# the quote miler.output.guard_cell puts before a formula (unguard_cell, in RE2 for pyarrow)
_GUARD_PATTERN, _GUARD_KEEP = r"^'('*[=+\-@\t\r])", r"\1"


def _arrow_frame(table, columns: list[str], start: int) -> pd.DataFrame:
    """A pyarrow table of string columns as a frame of Categoricals indexed by record number,
    cells already cleaned (spaces trimmed, the formula guard removed): attrs["clean"]."""
    import pyarrow.compute as pc

    data = {}
    for name, column in zip(columns, table.columns):
        encoded = column.combine_chunks().dictionary_encode()
        codes = encoded.indices.to_numpy(zero_copy_only=False)
        values = encoded.dictionary
        cleaned = pc.utf8_trim_whitespace(pc.replace_substring_regex(values, _GUARD_PATTERN, _GUARD_KEEP))
        if not cleaned.equals(values):  # cleaning made some values equal: merge them
            merged = cleaned.dictionary_encode()
            codes = merged.indices.to_numpy(zero_copy_only=False)[codes]
            cleaned = merged.dictionary
        categories = pd.Index(cleaned.to_pandas(), dtype="str")
        data[name] = pd.Categorical.from_codes(codes, categories=categories, validate=False)
    frame = pd.DataFrame(data, index=pd.RangeIndex(start, start + table.num_rows))
    frame.attrs["clean"] = True
    return frame


def _fast_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """(chunk, more) pairs from pandas: raw string cells, indexed by record number.

    Raises _Ragged where pandas cannot fit a row to the header (the caller turns pandas'
    ParserWarning about truncated rows into an exception)."""
    try:
        with pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding=encoding, sep=sep, skip_blank_lines=True,
            engine="c", header=0, names=columns, index_col=False, chunksize=CHUNK_ROWS,
        ) as reader:
            for chunk in reader:
                yield chunk, len(chunk) == CHUNK_ROWS
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        raise _Ragged() from None
    except pd.errors.EmptyDataError:
        return


def _slow_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """(chunk, more) pairs from the csv module, for files pandas would not read: extra empty
    cells at the end of a row are dropped, missing ones are empty."""
    n = len(columns)
    with _big_fields(), open(path, newline="", encoding=encoding) as f:
        reader = csv.reader(f, delimiter=sep)
        records = (row for row in reader if not _is_blank(row))
        next(records, None)  # the header
        start = 0
        while True:
            rows = [(r + [""] * (n - len(r)))[:n] for r in itertools.islice(records, CHUNK_ROWS)]
            if not rows and start:
                return
            chunk = pd.DataFrame(rows, columns=columns, dtype="str", index=pd.RangeIndex(start, start + len(rows)))
            start += len(rows)
            yield chunk, len(rows) == CHUNK_ROWS
            if len(rows) < CHUNK_ROWS:
                return


@contextlib.contextmanager
def _big_fields():
    """The csv module refuses values over 128 KiB, which pandas reads: allow them meanwhile."""
    before = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def _is_blank(row: list[str]) -> bool:
    """A line pandas skips: nothing, or only spaces and tabs (that are not the separator)."""
    return len(row) <= 1 and not "".join(row).strip(" \t")


def _shape_problems(path: Path, encoding: str, sep: str, width: int) -> tuple[list[Problem], int] | None:
    """Rows with more values than the header, and broken quoting, each with its line."""
    name = path.name
    found: list[Problem] = []
    with _big_fields(), open(path, newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(f, delimiter=sep, strict=True)
        seen_header = False
        start = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                found.append(Problem(name, start, _csv_error(str(exc))))
                break
            if not _is_blank(row):
                if not seen_header:
                    seen_header = True
                elif len(row) > width and any(c.strip() for c in row[width:]):
                    if len(found) == MAX_PROBLEMS:
                        found.append(Problem(name, start, "stopped reading here: more rows like those above "
                                             "follow (is this a races file?); fix these and run again"))
                        break
                    found.append(Problem(name, start, f"{len(row)} values but the header names {width} columns "
                                         "(a value with a comma, like \"Eugene, OR\", must be in double quotes)"))
            start = reader.line_num + 1
    return (found, len(found)) if found else None


def _csv_error(detail: str) -> str:
    if "unexpected end of data" in detail:
        return "a double quote (\") opens a value here that never closes"
    return (f"malformed CSV ({detail}): a value with a double quote in it must be wholly in double quotes, "
            "its own quotes doubled (\"\")")


def _check_chunks(path, encoding, sep, columns, warnings, chunks):
    name = path.name
    found = _Found()
    marks = _MarkCache()
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
            if found.total >= MAX_PROBLEMS and more:
                stopped_after = int(chunk.index[-1])
                break
    finally:
        reader.close()
    if unnamed_with_values:
        warnings.append(f"{name}:1: values in a column with no name ignored (give the column a name in the header)")
    frame = _concat(typed) if typed else _type_rows(pd.DataFrame(columns=list(COLUMNS), dtype="str"), found, marks)
    if stopped_after is None:
        _check_races(frame, found)
    if found.items:
        problems = _locate(path, encoding, sep, found.items, stopped_after, found.total)
        raise DataError(problems, total=found.total + (stopped_after is not None))
    _derive_places(frame)
    frame["race_id"] = race_ids(frame)
    if frame.empty:
        warnings.append(f"{name}: no results, only a header")
    return frame.reset_index(drop=True), warnings


class _Found:
    """Problems found so far, as (record number, message); the total counts every one."""

    def __init__(self) -> None:
        self.items: list[tuple[int, object]] = []
        self.total = 0

    def flag(self, df: pd.DataFrame, mask: pd.Series, message) -> None:
        """Record the rows where mask holds; only the first MAX_PROBLEMS of a rule are spelled out."""
        hits = mask.to_numpy(dtype=bool).nonzero()[0]
        self.total += len(hits)
        for i in hits[:MAX_PROBLEMS]:
            self.items.append((int(df.index[i]), message(int(i)) if callable(message) else message))


def _type_rows(raw: pd.DataFrame, found: _Found, marks: _MarkCache) -> pd.DataFrame:
    """Type and check what each row says on its own (dates, marks, places, levels…).
    Rows with no value at all (a spreadsheet's empty row: ",,,,") are dropped.

    Text columns are Categoricals: every check and conversion runs once per distinct value
    (a column of a million cells holds a few thousand) and is spread to the rows by code."""

    def flag(mask, message):
        found.flag(df, mask, message)

    cols = {}
    empty = np.ones(len(raw), dtype=bool)
    clean = raw.attrs.get("clean", False)
    for c in COLUMNS:
        if c in raw.columns:
            cols[c] = _categorical(raw[c]) if clean else _recode(_categorical(raw[c]), _clean_cell)
            empty &= _equals(cols[c], "")
        else:
            cols[c] = pd.Categorical.from_codes(np.zeros(len(raw), dtype=np.int8), categories=pd.Index([""], dtype="str"))
    df = pd.DataFrame(cols, index=raw.index)
    if empty.any():
        df = df[~empty]

    for c in REQUIRED:
        flag(df[c] == "", f"missing {c}")
    flag((df["time"] == "") & (df["place"] == ""), "missing time (and no place)")

    date_cat = df["date"].array
    parsed = pd.to_datetime(pd.Index(date_cat.categories, dtype=object), format="%Y-%m-%d", errors="coerce")
    dates = pd.Series(parsed.take(date_cat.codes), index=df.index)
    flag(dates.isna() & (df["date"] != ""), lambda i: f"date {shown(df['date'].iat[i])} is not a date as YYYY-MM-DD")

    # marks: each distinct string parsed once over the whole file
    time_cat = df["time"].array
    values = time_cat.categories
    marks.add(values)
    codes = time_cat.codes
    secs = pd.Series(np.array([marks.seconds[t] for t in values], dtype="float64")[codes], index=df.index)
    stat = _recode(time_cat, marks.status.__getitem__)
    if marks.bad:
        bad = np.array([t in marks.bad for t in values], dtype=bool)[codes]
        flag(pd.Series(bad, index=df.index), lambda i: marks.bad[df["time"].iat[i]])
    decimals = np.array([marks.decimals[t] for t in values], dtype="int8")[codes]

    df["event"] = _recode(df["event"].array, normalise_event)

    place_cat = df["place"].array
    numbers = pd.to_numeric(pd.Series(place_cat.categories, dtype=object), errors="coerce").to_numpy(dtype="float64")
    place = pd.Series(numbers[place_cat.codes], index=df.index)
    bad_place = (df["place"] != "") & (place.isna() | (place < 1) | (place % 1 != 0))
    flag(bad_place, lambda i: f"place {shown(df['place'].iat[i])} is not a whole number from 1")
    too_big = ~bad_place & (place > MAX_PLACE)
    flag(too_big, lambda i: f"place {shown(df['place'].iat[i])} is too large (more than {MAX_PLACE:,})")
    place = place.where(~(bad_place | too_big)).astype("Int64")

    start_cat = df["starters"].array
    counts = pd.to_numeric(pd.Series(start_cat.categories, dtype=object), errors="coerce").to_numpy(dtype="float64")
    starters = pd.Series(counts[start_cat.codes], index=df.index)
    bad_start = (df["starters"] != "") & (starters.isna() | (starters < 1) | (starters % 1 != 0)
                                          | (starters > MAX_PLACE))
    flag(bad_start, lambda i: f"starters {shown(df['starters'].iat[i])} is not a whole number from 1 "
         f"to {MAX_PLACE:,}")
    starters = starters.where(~bad_start).astype("Int64")
    flag(pd.Series(stat != "", index=df.index) & place.notna(),
         lambda i: f"{stat[i]} with a place ({df['place'].iat[i]}): a non-finisher has no place")

    indoor_cat = _recode(df["indoor"].array, str.lower)
    flag(~pd.Series(indoor_cat, index=df.index).isin(_TRUE | _FALSE),
         lambda i: f"indoor {shown(df['indoor'].iat[i])} is not true or false")
    indoor = np.isin(indoor_cat, list(_TRUE))

    df["level"] = _recode(df["level"].array, lambda v: v.lower() or "other")
    flag(~df["level"].isin(LEVELS), lambda i: f"level {shown(df['level'].iat[i])} is not one of {', '.join(LEVELS)}")
    df["round"] = _recode(df["round"].array, lambda v: v.lower() or "final")

    # marks impossible for their event: bounds per event, compared row by row
    event_cat = df["event"].array
    bounds = [plausible_range(e) or (0.0, float("inf")) for e in event_cat.categories]
    fastest = np.array([b[0] for b in bounds] + [0.0])[event_cat.codes]
    slowest = np.array([b[1] for b in bounds] + [float("inf")])[event_cat.codes]
    with np.errstate(invalid="ignore"):
        implausible = (secs.to_numpy() < fastest) | (secs.to_numpy() > slowest)
    if implausible.any():
        flag(pd.Series(implausible, index=df.index),
             lambda i: f"time {df['time'].iat[i]}: {check_plausible(df['event'].iat[i], secs.iat[i])}")

    df["date"] = dates
    df["place"] = place
    df["starters"] = starters
    df["indoor"] = indoor.astype(bool)
    df["seconds"] = secs
    df["status"] = stat
    df["decimals"] = decimals
    return df


MAX_PLACE = 100_000


def _clean_cell(value: str) -> str:
    """A cell without surrounding spaces or the formula guard (see miler.output)."""
    return unguard_cell(value).strip()


def _categorical(cells: pd.Series) -> pd.Categorical:
    if isinstance(cells.dtype, pd.CategoricalDtype):
        return cells.array
    return pd.Categorical(cells.fillna(""))


def _equals(cat: pd.Categorical, value: str) -> np.ndarray:
    where = np.flatnonzero(cat.categories == value) if len(cat.categories) else []
    if not len(where):
        return np.zeros(len(cat), dtype=bool)
    return np.asarray(cat.codes == where[0])


def _recode(cat: pd.Categorical, func) -> pd.Categorical:
    """func applied to each distinct value of a Categorical; values that become equal merge."""
    values = cat.categories.to_numpy(dtype=object)
    codes = np.asarray(cat.codes)
    new = [func(v) for v in values]
    if (codes < 0).any():  # a missing cell is an empty one
        new.append(func(""))
        codes = np.where(codes < 0, len(values), codes)
    elif new == list(values):
        return cat
    new_codes, merged = pd.factorize(np.array(new, dtype=object))
    return pd.Categorical.from_codes(new_codes[codes], categories=pd.Index(merged, dtype="str"), validate=False)


class _MarkCache:
    """Each distinct time cell parsed once: seconds (NaN for none), decimals, status, problem."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.decimals: dict[str, int] = {}
        self.status: dict[str, str] = {}
        self.bad: dict[str, str] = {}

    def add(self, texts) -> None:
        new = [t for t in texts if t not in self.seconds]
        for t in new:
            self.seconds[t], self.decimals[t], self.status[t] = float("nan"), 0, ""
        for t, mk in parse_many(t for t in new if t != "").items():
            if isinstance(mk, MarkError):
                self.bad[t] = str(mk)
            else:
                self.seconds[t] = float("nan") if mk.seconds is None else mk.seconds
                self.decimals[t], self.status[t] = mk.decimals, mk.status


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


def _check_races(df: pd.DataFrame, found: _Found) -> None:
    """What only the whole file can show: an athlete twice in a race, places against times."""
    dup = df.duplicated(subset=RACE_KEY + ["athlete"], keep="first") & (df["athlete"] != "")
    if dup.any():
        both = df.duplicated(subset=RACE_KEY + ["athlete"], keep=False)
        keyed = df.loc[both, RACE_KEY + ["athlete"]].copy()
        keyed["_record"] = keyed.index
        firsts = keyed.groupby(RACE_KEY + ["athlete"], dropna=False)["_record"].transform("first")
        first_record = dict(zip(keyed["_record"], firsts))
        found.flag(df, dup, lambda i: ("DUP", first_record[df.index[i]], f"{df['athlete'].iat[i]} appears twice in one race"))
    _check_order(df, lambda mask, message: found.flag(df, mask, message))
    _check_starters(df, lambda mask, message: found.flag(df, mask, message))


def _check_starters(df: pd.DataFrame, flag) -> None:
    """starters, where given, is one number per race, and no smaller than the race's rows."""
    given = df["starters"].notna()
    if not given.any():
        return
    keys = [df[c] for c in RACE_KEY]
    per_race = df["starters"].astype("float64").groupby(keys, observed=True)
    differ = given & (per_race.transform("min") != per_race.transform("max"))
    flag(differ, lambda i: f"starters {df['starters'].iat[i]} differs from another row of this race")
    rows = df["athlete"].groupby(keys, observed=True).transform("size")
    fewer = given & ~differ & (df["starters"].astype("float64") < rows)
    flag(fewer, lambda i: f"starters {df['starters'].iat[i]} is fewer than the race's {rows.iat[i]} rows")


def _check_order(df: pd.DataFrame, flag) -> None:
    """Within a race a better place may not have a slower time."""
    ok = df["place"].notna() & df["seconds"].notna()
    if not ok.any():
        return
    sub = df.loc[ok, RACE_KEY + ["place", "seconds"]].copy()
    sub["_pos"] = ok.to_numpy().nonzero()[0]
    sub = sub.sort_values(RACE_KEY + ["place", "seconds"], kind="stable")
    same = (sub[RACE_KEY] == sub[RACE_KEY].shift()).all(axis=1)
    prev_place, prev_secs = sub["place"].shift(), sub["seconds"].shift()
    faster = same & (sub["place"] > prev_place) & (sub["seconds"] < prev_secs - 1e-9)
    tied = same & (sub["place"] == prev_place) & ((sub["seconds"] - prev_secs).abs() > 1e-9)
    wrong = pd.Series(False, index=df.index)
    wrong.iloc[sub.loc[(faster | tied).fillna(False).astype(bool), "_pos"].to_numpy()] = True
    flag(wrong, lambda i: f"place {df['place'].iat[i]} disagrees with the times: "
         f"{df['time'].iat[i]} is not behind the athlete placed ahead in this race")


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame with its Categorical text columns as plain strings.

    Loaded races keep text as Categoricals (a million rows, a few thousand distinct values);
    an analysis turns its (small) result into plain strings before it sorts by text or sets
    new values."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return frame
    return frame.assign(**{c: frame[c].astype("str") for c in cats})


def round_rank(rounds: pd.Series) -> pd.Series:
    """0 for heats, 1 quarter-finals, 2 semi-finals, 3 finals (and 3 for anything else)."""
    ranks = {}
    for r in rounds.unique():
        ranks[r] = next((rank for prefix, rank in ROUND_ORDER if str(r).startswith(prefix)), 3)
    return rounds.map(ranks).astype("int8")


def race_ids(frame: pd.DataFrame) -> pd.Series:
    """One number per race (date, meet, event, round), increasing in the order races were run:
    by date, then heats before semi-finals before finals, then meet, event and round."""
    keyed = frame[RACE_KEY].assign(_rank=round_rank(frame["round"]))
    return keyed.groupby(["date", "_rank", "meet", "event", "round"], sort=True).ngroup().astype("int64")


def _derive_places(df: pd.DataFrame) -> None:
    """Where a race gives no places at all, rank its finishers by time."""
    has_place = df["place"].notna().groupby([df[c] for c in RACE_KEY]).transform("any")
    need = ~has_place & df["seconds"].notna()
    if need.any():
        ranks = df.loc[need].groupby(RACE_KEY)["seconds"].rank(method="min").astype("Int64")
        df.loc[need, "place"] = ranks


def _locate(path: Path, encoding: str, sep: str, found: list[tuple[int, object]],
            stopped_after: int | None = None, total: int = 0) -> list[Problem]:
    """Turn (record number, message) into Problems with file line numbers, first MAX_PROBLEMS;
    when reading stopped early, a last Problem says where and why."""
    found = sorted(found, key=lambda p: p[0])[:MAX_PROBLEMS]
    wanted = max([i for i, _ in found] + [stopped_after or 0])
    lines = _record_lines(path, encoding, sep, wanted)

    def line(record: int) -> int:
        return lines[record] if 0 <= record < len(lines) else 0

    out = []
    for i, msg in found:
        if isinstance(msg, tuple):  # a duplicate: name the line of the first row too
            _, first, text = msg
            msg = f"{text} (also line {line(first)})"
        out.append(Problem(path.name, line(i), msg))
    if stopped_after is not None:
        out.append(Problem(path.name, line(stopped_after),
                           f"stopped reading here: {total:,} problems in the first {stopped_after + 1:,} rows "
                           "(is this a races file?); fix these and run again"))
    return out


def _record_lines(path: Path, encoding: str, sep: str, upto: int) -> list[int]:
    """The file line on which each data record starts (blank lines skipped, as pandas does)."""
    lines: list[int] = []
    with _big_fields(), open(path, newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(f, delimiter=sep)
        start = 1
        try:
            for row in reader:
                if not _is_blank(row):
                    lines.append(start)
                    if len(lines) > upto + 1:
                        break
                start = reader.line_num + 1
        except csv.Error:  # broken quoting pandas got past: lines after it are not known
            pass
    return lines[1:]


# --- writing the dataset format ----------------------------------------------------------


def write_races(frame: pd.DataFrame, out: IO[str], fmt: str = "csv") -> None:
    """Write races in the dataset's own columns (COLUMNS), so the result is itself a dataset.

    CSV is what read_races reads back: ISO dates, places as whole numbers, indoor as
    true/false, marks as printed. Its text cells are spreadsheet-safe (miler.output.guard_series),
    and read_races undoes the guard, so write-then-read gives the same frame. JSON is a list of
    objects with the same keys: place a number or null, indoor true/false, text as is.
    """
    cells = _dataset_cells(frame)
    if fmt == "csv":
        for c in cells.columns:
            if c not in ("date", "place", "indoor", "starters"):
                cells[c] = guard_series(cells[c])
        cells.to_csv(out, index=False, lineterminator="\n")
    elif fmt == "json":
        import json

        place = frame["place"].astype("object").where(frame["place"].notna(), None)
        rows = cells.to_dict("records")
        for row, p, indoor in zip(rows, place, frame["indoor"]):
            row["place"] = None if p is None else int(p)
            row["indoor"] = bool(indoor)
            if "starters" in row:
                row["starters"] = int(row["starters"]) if row["starters"] else None
        json.dump(rows, out, indent=2, ensure_ascii=False)
        out.write("\n")
    else:
        raise ValueError(f"unknown dataset format {fmt!r}")


def _dataset_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """COLUMNS of a races frame as the strings a races file holds (an OPTIONAL column only
    when some row has a value)."""
    cells = pd.DataFrame(index=frame.index)
    for c in COLUMNS:
        if c in OPTIONAL and (c not in frame.columns or not frame[c].notna().any()):
            continue
        if c == "date":
            cells[c] = frame[c].dt.strftime("%Y-%m-%d").astype("str")
        elif c in ("place", "starters"):
            cells[c] = frame[c].astype("Int64").astype("str").fillna("")
        elif c == "indoor":
            cells[c] = frame[c].map({True: "true", False: "false"}).astype("str")
        else:
            cells[c] = frame[c].astype("str")
    return cells.reset_index(drop=True)


# --- quotes.yaml -------------------------------------------------------------------------

QUOTE_KEYS = ("date", "speaker", "about", "occasion", "text", "topics", "source")
QUOTE_REQUIRED = ("date", "speaker", "text")


def empty_quotes() -> pd.DataFrame:
    frame = pd.DataFrame({k: pd.Series(dtype="object") for k in QUOTE_KEYS})
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def read_quotes(path: str | os.PathLike) -> pd.DataFrame:
    """Read quotes.yaml with yaml.safe_load semantics; raises DataError naming each line.

    Only plain data is read: a tag such as !!python/object is refused, never constructed.
    """
    import yaml

    path = Path(path)
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError([Problem(name, 0, f"not UTF-8 text ({exc.reason} at byte {exc.start})")]) from None
    except OSError as exc:
        raise DataError([Problem(name, 0, f"cannot read this file: {exc.strerror or exc}")]) from None
    loader = None
    try:
        loader = _quote_loader(yaml)(text)  # a SafeLoader: never constructs Python objects
        node = loader.get_single_node()
        doc = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:  # a control character, say
        line = text.count("\n", 0, max(exc.position, 0)) + 1
        raise DataError([Problem(name, line, f"YAML error: character {exc.character:#06x} is not allowed "
                                 f"({exc.reason})")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        what = getattr(exc, "problem", None) or str(exc)
        tag = re.search(r"constructor for the tag '(?:tag:yaml\.org,2002:)?([^']*)'", what)
        if tag:
            what = f"the tag !!{tag.group(1)} is refused: quotes hold plain text, dates and lists, not objects"
        raise DataError([Problem(name, line, f"YAML error: {what}")]) from None
    except RecursionError:
        raise DataError([Problem(name, 0, "YAML error: nested too deeply")]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if doc is None:
        return empty_quotes()
    if not isinstance(doc, list):
        raise DataError([Problem(name, 1, "expected a list of quotes (each item starting with '- ')")])
    lines = [n.start_mark.line + 1 for n in node.value]
    problems: list[Problem] = []
    rows = []
    for item, line in zip(doc, lines):
        if not isinstance(item, dict):
            problems.append(Problem(name, line, f"a quote must be keys and values (date: …, speaker: …, text: …), "
                                    f"not {type(item).__name__}"))
            continue
        row, bad = _quote_row(item)
        problems.extend(Problem(name, line, b) for b in bad)
        rows.append(row)
    if problems:
        raise DataError(problems[:MAX_PROBLEMS], total=len(problems))
    if not rows:
        return empty_quotes()
    frame = pd.DataFrame(rows, columns=list(QUOTE_KEYS))
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.sort_values("date", kind="stable").reset_index(drop=True)


def _quote_loader(yaml):
    """yaml.SafeLoader, stricter: a key twice in one mapping is an error (YAML would keep the
    last silently), an impossible date (2024-02-30) stays text for the date check to name, and
    a value its explicit tag cannot hold (!!int abc) is an error at its line, not a crash."""

    class QuoteLoader(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):
            seen = set()
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"key '{key.value}' appears twice in one quote", key.start_mark)
                    seen.add(key.value)
            return super().construct_mapping(node, deep=deep)

        def construct_object(self, node, deep=False):
            try:
                return super().construct_object(node, deep=deep)
            except (ValueError, TypeError, OverflowError) as exc:
                kind = str(node.tag).rsplit(":", 1)[-1]
                raise yaml.constructor.ConstructorError(
                    None, None, f"{shown(str(node.value))} is not a valid {kind} ({exc})", node.start_mark) from None

        def timestamp_or_text(self, node):
            try:
                return self.construct_yaml_timestamp(node)
            except ValueError:
                return self.construct_scalar(node)

    QuoteLoader.add_constructor("tag:yaml.org,2002:timestamp", QuoteLoader.timestamp_or_text)
    return QuoteLoader


def _quote_row(item: dict) -> tuple[dict, list[str]]:
    bad = [f"missing '{k}'" for k in QUOTE_REQUIRED if item.get(k) in (None, "")]
    unknown = sorted(set(item) - set(QUOTE_KEYS))
    if unknown:
        bad.append(f"unknown key{'s' if len(unknown) > 1 else ''}: {', '.join(map(str, unknown))}")
    date = item.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date.strip())
        except ValueError:
            bad.append(f"date {shown(date)} is not a date as YYYY-MM-DD")
            date = None
    elif date is not None and not isinstance(date, dt.date):
        bad.append(f"date {shown(date)} is not a date as YYYY-MM-DD")
        date = None

    def as_list(key):
        value = item.get(key)
        if value in (None, ""):
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        bad.append(f"'{key}' must be text or a list of texts")
        return ()

    def as_text(key):
        value = item.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            hint = f" (it reads as {value!r}: put it in quotes)" if isinstance(value, (bool, int, float, dt.date)) else ""
            bad.append(f"'{key}' must be text{hint}")
            return ""
        return value.strip()

    row = {
        "date": date,
        "speaker": as_text("speaker"),
        "about": as_list("about"),
        "occasion": as_text("occasion"),
        "text": as_text("text"),
        "topics": as_list("topics"),
        "source": as_list("source"),
    }
    return row, bad
