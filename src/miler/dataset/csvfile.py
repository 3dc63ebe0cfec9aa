"""CSV mechanics: sniff a file's encoding, delimiter and header; read it in chunks (pyarrow
for a well-formed UTF-8 file, pandas' C reader otherwise, the csv module for rows pandas cannot
fit to the header); find the file line on which each record starts.

Reading is fast with pyarrow and careful where it is not: a file is read CHUNK_ROWS records at a
time, so a hopeless file (100 MB of garbage) stops after the first chunk that brings the problems
to MAX_PROBLEMS instead of reporting a million of them. Rows with more values than the header, and
quoting pandas cannot parse, are found again with the csv module, which knows on which line each
record starts.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import re
from pathlib import Path

import pandas as pd

from miler.errors import DataError, Problem

CHUNK_ROWS = 100_000  # the first chunk: a hopeless file stops after it
ARROW_CHUNK_ROWS = 1_000_000  # later chunks of a file pyarrow read whole
MAX_PROBLEMS = 50
LATIN1_WARNING = "{name}: not UTF-8; read as Latin-1 (save it as UTF-8 to be sure)"


class Ragged(Exception):
    """pandas met a row it cannot fit to the header (more values, or broken quoting)."""


class NoArrow(Exception):
    """pyarrow will not read this file as it is: read it with pandas instead."""

def sniff(path: Path, warnings: list[str]) -> tuple[str, str, list[str]]:
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
                warnings.append(LATIN1_WARNING.format(name=name))
        text = head.decode(encoding, errors="replace")
    first = next((line for line in re.split(r"\r\n|\r|\n", text) if line.strip()), "")
    sep = max((",", ";", "\t"), key=first.count)
    if sep != ",":
        warnings.append(f"{name}: fields are separated by {'tabs' if sep == chr(9) else repr(sep)}, read as such")
    header = next(csv.reader([first], delimiter=sep))
    return encoding, sep, header



def arrow_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """(chunk, more) pairs of CHUNK_ROWS records read by pyarrow, each column a Categorical.

    Raises NoArrow, before yielding anything, when the file is not plain UTF-8 with the header
    on its first line or pyarrow cannot parse it (the caller reads it with pandas instead)."""
    try:
        import pyarrow as pa
        import pyarrow.csv as pacsv
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise NoArrow() from None
    with open(path, "rb") as f:
        first = f.readline().removeprefix(b"\xef\xbb\xbf")
    if encoding != "utf-8-sig" or not first.strip():
        raise NoArrow()
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
        raise NoArrow() from None
    start, size = 0, CHUNK_ROWS  # the first chunk is small, to stop early on a hopeless file
    while True:
        more = start + size < table.num_rows
        yield _arrow_frame(table.slice(start, size), columns, start), more
        if not more:
            return
        start, size = start + size, ARROW_CHUNK_ROWS




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




def fast_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """(chunk, more) pairs from pandas: raw string cells, indexed by record number.

    Raises Ragged where pandas cannot fit a row to the header (the caller turns pandas'
    ParserWarning about truncated rows into an exception)."""
    try:
        with pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding=encoding, sep=sep, skip_blank_lines=True,
            engine="c", header=0, names=columns, index_col=False, chunksize=CHUNK_ROWS,
        ) as reader:
            for chunk in reader:
                yield chunk, len(chunk) == CHUNK_ROWS
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        raise Ragged() from None
    except pd.errors.EmptyDataError:
        return




def slow_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
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


def shape_problems(path: Path, encoding: str, sep: str, width: int) -> tuple[list[Problem], int] | None:
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




def locate(path: Path, encoding: str, sep: str, found: list[tuple[int, object]],
            stopped_after: int | None = None, total: int = 0) -> list[Problem]:
    """Turn (record number, message) into Problems with file line numbers, first MAX_PROBLEMS;
    when reading stopped early, a last Problem says where and why."""
    found = sorted(found, key=lambda p: p[0])[:MAX_PROBLEMS]
    wanted = max([i for i, _ in found] + [stopped_after or 0])
    lines = record_lines(path, encoding, sep, wanted)

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


def record_lines(path: Path, encoding: str, sep: str, upto: int) -> list[int]:
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


