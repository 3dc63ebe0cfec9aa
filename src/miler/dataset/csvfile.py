"""CSV mechanics: sniff a file's encoding, delimiter and header, and read it as codes: pyarrow
for a well-formed UTF-8 file (miler.dataset.pieces), pandas' C reader otherwise, the csv module
for rows pandas cannot fit to the header. Where each record starts, and what the header cannot
fit, is miler.dataset.lines.

Every reader gives Chunks: for each column, its distinct cells and each record's code into them
(miler.dataset.rules checks the distinct cells once each). Reading is fast with pyarrow and
careful where it is not: records are checked CHUNK_ROWS at a time, so a hopeless file (100 MB of
garbage) stops after the first chunk that brings the problems to MAX_PROBLEMS instead of
reporting a million of them.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import re
from pathlib import Path
from typing import TYPE_CHECKING

from miler.dataset.pieces import NoArrow, arrow_read
from miler.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

CHUNK_ROWS = 100_000  # the first chunk: a hopeless file stops after it
ARROW_CHUNK_ROWS = 1_000_000  # later chunks of a file pyarrow read whole
PIECE_BYTES = 4 << 20  # pyarrow reads a file in pieces this size, one per core at a time
BINARY = "this is a binary file, not CSV text (it holds a NUL byte): save it as CSV (UTF-8)"
LATIN1_WARNING = "{name}: not UTF-8; read as Latin-1 (save it as UTF-8 to be sure)"


class Ragged(Exception):
    """pandas met a row it cannot fit to the header (more values, or broken quoting)."""


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
        if b"\x00" in head:  # the same rule holds past the sample: see rules.nul_bytes
            line = head[: head.index(b"\x00")].count(b"\n") + 1
            raise DataError([Problem(name, line, BINARY)])
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


class Chunk:
    """Records start..start+rows of a file: for each header column, its distinct cells
    (cleaned: spaces trimmed, the formula guard undone) and each record's code into them.
    ranges: (first, stop, more) spans to check in turn; more says records follow the span."""

    def __init__(self, start: int, rows: int, columns: list, ranges: list[tuple[int, int, bool]]):
        self.start, self.rows, self.columns, self.ranges = start, rows, columns, ranges


def arrow_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """One Chunk of every record, read by pyarrow (in pieces, on every core, each column
    dictionary-encoded as it is parsed: no string is copied into Python). Its ranges are
    CHUNK_ROWS records, then ARROW_CHUNK_ROWS at a time.

    Raises NoArrow, before yielding anything, when the file is not plain UTF-8 with the header
    on its first line or pyarrow cannot parse it (the caller reads it with pandas instead)."""
    try:
        import pyarrow as pa  # noqa: F401
    except ImportError:  # pragma: no cover - pyarrow is a dependency
        raise NoArrow() from None
    rows, cells = arrow_read(path, encoding, sep, len(columns), PIECE_BYTES)
    ranges, start, size = [], 0, CHUNK_ROWS  # the first range is small: a hopeless file stops early
    while True:
        stop = min(start + size, rows)
        ranges.append((start, stop, stop < rows))
        if stop >= rows:
            break
        start, size = stop, ARROW_CHUNK_ROWS
    yield Chunk(0, rows, [(_clean(values), codes) for values, codes in cells], ranges)


def _clean(values):
    """Distinct cells without surrounding spaces or the formula guard (see miler.dataset.write)."""
    import pyarrow.compute as pc

    from miler.dataset.write import UNGUARD_PATTERN

    return pc.utf8_trim_whitespace(pc.replace_substring_regex(values, UNGUARD_PATTERN, r"\1"))


def _clean_cell(value: str) -> str:
    """A cell without surrounding spaces or the formula guard (see miler.dataset.write)."""
    from miler.dataset.write import unguard_cell

    return unguard_cell(value).strip()


def pandas_chunk(frame: pd.DataFrame, start: int, more: bool) -> Chunk:
    """A Chunk from a frame of text cells (pandas' reader or the csv module's)."""
    import pandas as pd
    import pyarrow as pa

    columns = []
    for c in frame.columns:
        codes, uniques = pd.factorize(frame[c].fillna("").to_numpy(dtype=object))
        columns.append((pa.array([_clean_cell(str(u)) for u in uniques], type=pa.string()), codes))
    rows = len(frame)
    return Chunk(start, rows, columns, [(start, start + rows, more)])


def fast_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """Chunks of CHUNK_ROWS records read by pandas' C reader.

    Raises Ragged where pandas cannot fit a row to the header (the caller turns pandas'
    ParserWarning about truncated rows into an exception)."""
    import pandas as pd

    try:
        with pd.read_csv(
            path, dtype=str, keep_default_na=False, encoding=encoding, sep=sep, skip_blank_lines=True,
            engine="c", header=0, names=columns, index_col=False, chunksize=CHUNK_ROWS,
        ) as reader:
            start = 0
            for chunk in reader:
                yield pandas_chunk(chunk, start, len(chunk) == CHUNK_ROWS)
                start += len(chunk)
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        raise Ragged() from None
    except pd.errors.EmptyDataError:
        return


def slow_chunks(path: Path, encoding: str, sep: str, columns: list[str]):
    """Chunks of CHUNK_ROWS records read by the csv module, for files pandas would not read: extra empty
    cells at the end of a row are dropped, missing ones are empty."""
    import pandas as pd

    n = len(columns)
    with _big_fields(), open(path, newline="", encoding=encoding) as f:
        reader = csv.reader(_without_nul(f), delimiter=sep)  # read_races refused any NUL already
        records = (row for row in reader if not _is_blank(row))
        next(records, None)  # the header
        start = 0
        while True:
            rows = [(r + [""] * (n - len(r)))[:n] for r in itertools.islice(records, CHUNK_ROWS)]
            if not rows and start:
                return
            chunk = pd.DataFrame(rows, columns=columns, dtype="str", index=pd.RangeIndex(start, start + len(rows)))
            yield pandas_chunk(chunk, start, len(rows) == CHUNK_ROWS)
            start += len(rows)
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


def _without_nul(lines):
    """Lines without NUL characters, for the csv module, which refuses them before Python 3.11
    (used where a NUL was refused already, or where lines are only counted)."""
    for line in lines:
        yield line.replace("\x00", "") if "\x00" in line else line


def nul_line(path: Path, encoding: str) -> int | None:
    """The line of the first NUL character of a text file (decoded), or None."""
    line = 1
    with open(path, encoding=encoding, errors="replace", newline="") as f:
        while block := f.read(1 << 20):
            at = block.find("\x00")
            if at >= 0:
                return line + block.count("\n", 0, at)
            line += block.count("\n")
    return None


def _is_blank(row: list[str]) -> bool:
    """A line pandas skips: nothing, or only spaces and tabs (that are not the separator)."""
    return len(row) <= 1 and not "".join(row).strip(" \t")
