"""CSV mechanics: sniff a file's encoding, delimiter and header; read it as codes (pyarrow for
a well-formed UTF-8 file, pandas' C reader otherwise, the csv module for rows pandas cannot fit
to the header); find the file line on which each record starts.

Every reader gives Chunks: for each column, its distinct cells and each record's code into them
(miler.dataset.rules checks the distinct cells once each). pyarrow reads the file in pieces of
PIECE_BYTES, cut at line ends, parsed on every core, each column dictionary-encoded as it is
parsed; the pieces' dictionaries are unified a batch at a time, and the codes written into one
array per column: memory stays the codes and a few pieces, whatever the file's size.

Reading is fast with pyarrow and careful where it is not: records are checked CHUNK_ROWS at a
time, so a hopeless file (100 MB of garbage) stops after the first chunk that brings the problems
to MAX_PROBLEMS instead of reporting a million of them. Rows with more values than the header, and
quoting pandas cannot parse, are found again with the csv module, which knows on which line each
record starts.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from miler.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

CHUNK_ROWS = 100_000  # the first chunk: a hopeless file stops after it
ARROW_CHUNK_ROWS = 1_000_000  # later chunks of a file pyarrow read whole
MAX_PROBLEMS = 50
BINARY = "this is a binary file, not CSV text (it holds a NUL byte): save it as CSV (UTF-8)"
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


PIECE_BYTES = 4 << 20  # pyarrow reads a file in pieces this size, one per core at a time
AHEAD = 6  # pieces parsed ahead of those being unified (the cores go on while a batch is unified)


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
    rows, cells = arrow_read(path, encoding, sep, len(columns))
    ranges, start, size = [], 0, CHUNK_ROWS  # the first range is small: a hopeless file stops early
    while True:
        stop = min(start + size, rows)
        ranges.append((start, stop, stop < rows))
        if stop >= rows:
            break
        start, size = stop, ARROW_CHUNK_ROWS
    yield Chunk(0, rows, [(_clean(values), codes) for values, codes in cells], ranges)


def arrow_read(path: Path, encoding: str, sep: str, width: int):
    """(records, [(distinct values, codes) for each column]) of a UTF-8 file, read by pyarrow.

    A file without a quoted line break is cut into pieces at line ends and the pieces parsed
    in parallel, each on its own (memory stays a few pieces, whatever the file's size); one with
    a line break inside quotes is read whole with pyarrow's slower reader that allows them.
    Raises NoArrow when pyarrow will not read the file."""
    import pyarrow as pa

    with open(path, "rb") as f:
        first = f.readline()
        size = os.fstat(f.fileno()).st_size
    if encoding != "utf-8-sig" or not first.removeprefix(b"\xef\xbb\xbf").strip():
        raise NoArrow()
    errors = (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError)
    if size >= STEADY_BYTES:
        steady_malloc()
    if first.endswith(b"\n"):
        try:
            unifier, quoted = _Unifier(width, size - len(first)), False
            for cells, has_quote, nbytes in _pieces(path, len(first), size, sep, width):
                unifier.add(cells, nbytes)
                quoted = quoted or has_quote
            if not quoted or not quoted_line_break(path, len(first)):
                return unifier.finish()
        except errors:
            if not _has_quote(path, len(first)):
                raise NoArrow() from None
    try:  # a line break inside quotes (or lines ended by CR alone): one read of the whole file
        table = _arrow_csv(path, sep, width, whole=True)
    except errors:
        raise NoArrow() from None
    unifier = _Unifier(width)
    for batch in table.to_batches():
        unifier.add([_dict_codes(batch.column(i)) for i in range(width)])
    return unifier.finish()


def _arrow_csv(source, sep: str, width: int, whole: bool = False, size: int = 0):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    names = [f"c{i}" for i in range(width)]
    kind = pa.dictionary(pa.int32(), pa.string())
    return pacsv.read_csv(
        source, memory_pool=_pool(),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=1 if whole else 0,
                                       block_size=1 << 24 if whole else max(size + 1, 1 << 16),
                                       use_threads=whole),
        parse_options=pacsv.ParseOptions(delimiter=sep, newlines_in_values=whole, ignore_empty_lines=True),
        convert_options=pacsv.ConvertOptions(
            column_types={n: kind for n in names}, strings_can_be_null=False,
            quoted_strings_can_be_null=False, null_values=[],
        ),
    )


def _pread_into(fd: int, view: memoryview, offset: int) -> int:
    data = os.pread(fd, len(view), offset)
    view[: len(data)] = data
    return len(data)


def _dict_codes(array):
    """(dictionary, codes as numpy) of a dictionary-encoded pyarrow array; the codes of the
    narrowest type, in Arrow's memory (returned to the system as soon as they are freed)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from miler.dataset.coded import code_dtype

    kind = pa.from_numpy_dtype(code_dtype(len(array.dictionary)))
    indices = array.indices if array.indices.type == kind else pc.cast(array.indices, kind, memory_pool=_pool())
    return array.dictionary, indices.to_numpy(zero_copy_only=False)


STEADY_BYTES = 16 << 20


def steady_malloc() -> None:
    """Fix glibc's mmap threshold at 1 MiB. glibc raises it each time a large block is freed,
    after which freed arrays of up to 32 MiB stay in the heap: checking millions of rows (many
    arrays of a few MiB, each freed soon) would then hold tens of MiB it no longer uses, and
    peak that much higher. Nothing happens where the C library is not glibc."""
    import sys

    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(-3, 16 << 20)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError):
        pass


def _pool():
    """jemalloc, set to hand freed memory back at once, where pyarrow has it: reading a file
    in pieces then peaks at a few pieces' worth, not the most any allocator kept."""
    global _POOL
    if _POOL is None:
        import pyarrow as pa

        try:
            _POOL = pa.jemalloc_memory_pool()
            pa.jemalloc_set_decay_ms(0)
        except (NotImplementedError, AttributeError, pa.ArrowException):
            _POOL = pa.default_memory_pool()
    return _POOL


_POOL = None


def _pieces(path: Path, start: int, size: int, sep: str, width: int):
    """Each piece's [(dictionary, codes) per column], whether it holds a quote and its bytes,
    in file order, parsed a few at a time on every core."""
    import pyarrow as pa

    fd = os.open(path, os.O_RDONLY)
    try:
        bounds = [start]
        while bounds[-1] < size:
            cut = bounds[-1] + PIECE_BYTES
            if cut >= size:
                bounds.append(size)
                break
            while True:  # the end of the line the cut falls in
                window = os.pread(fd, 1 << 16, cut)
                end = window.find(b"\n")
                if end >= 0 or not window:
                    cut = cut + end + 1 if end >= 0 else size
                    break
                cut += len(window)
            bounds.append(min(cut, size))

        local = threading.local()  # each core reads into a buffer of its own, again and again

        def piece(i):
            length = bounds[i + 1] - bounds[i]
            buffer = getattr(local, "buffer", None)
            if buffer is None or len(buffer) < length:
                buffer = local.buffer = bytearray(max(length, PIECE_BYTES + (1 << 16)))
            view = memoryview(buffer)[:length]
            got = os.preadv(fd, [view], bounds[i]) if hasattr(os, "preadv") else _pread_into(fd, view, bounds[i])
            view = view[:got]
            table = _arrow_csv(pa.BufferReader(pa.py_buffer(view)), sep, width, size=got)
            batch = table.combine_chunks()  # (the arrays are pyarrow's own: the buffer may be read into again)
            return [_dict_codes(batch.column(j).chunk(0) if batch.column(j).num_chunks else
                                pa.array([], pa.dictionary(pa.int32(), pa.string())))
                    for j in range(width)], buffer.find(b'"', 0, got) >= 0, got

        n = len(bounds) - 1
        workers = min(n, os.cpu_count() or 1, 4)
        if workers <= 1:
            for i in range(n):
                yield piece(i)
            return
        from collections import deque
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(workers) as pool:
            ahead = deque(pool.submit(piece, i) for i in range(min(n, AHEAD + 2 * workers)))
            following = len(ahead)
            try:
                while ahead:
                    done = ahead.popleft().result()
                    if following < n:  # a few pieces in flight, never the whole file
                        ahead.append(pool.submit(piece, following))
                        following += 1
                    yield done
            finally:
                for future in ahead:
                    future.cancel()
    finally:
        os.close(fd)


class _Unifier:
    """One (distinct values, codes) per column from pieces' own: values in order of first
    appearance in the file. Pieces are unified a batch at a time (FLUSH dictionary entries),
    so that their dictionaries are not all held at once, and their codes written straight into
    one array per column (sized from the file, grown if need be): no copies of the codes."""

    FLUSH = 1 << 18

    def __init__(self, width: int, size: int = 0) -> None:
        self.width = width
        self.size = size  # the file's bytes, for the first guess of its rows
        self.values: list = [None] * width  # each column's values so far
        self.codes: list[np.ndarray | None] = [None] * width  # each column's codes, rows 0..filled
        self.filled = 0
        self.pending: list[list] = []
        self.held = 0
        self.rows = 0
        self.read = 0  # bytes of the pieces added

    def add(self, cells: list, nbytes: int = 0) -> None:
        self.pending.append(cells)
        if cells:
            self.rows += len(cells[0][1])
        self.read += nbytes
        self.held += sum(len(d) for d, _ in cells)
        if self.held >= self.FLUSH:
            self._flush()

    def _room(self, j: int, dtype: np.dtype) -> np.ndarray:
        """Column j's array, wide enough for dtype and long enough for the rows added."""
        codes = self.codes[j]
        need = self.rows
        if codes is None:
            guess = need
            if self.read and self.size > self.read:  # the rest of the file, at the same bytes a row
                guess = int(need * self.size / self.read * 1.02) + 1024
            codes = np.empty(max(guess, need), dtype=dtype)
        elif codes.dtype.itemsize < dtype.itemsize or len(codes) < need:
            grown = np.empty(max(need, int(len(codes) * 1.25)) if len(codes) < need else len(codes), dtype=dtype)
            grown[: self.filled] = codes[: self.filled]
            codes = grown
        self.codes[j] = codes
        return codes

    def _flush(self) -> None:
        import pyarrow as pa

        from miler.dataset.coded import code_dtype

        for j in range(self.width):
            parts = [p[j] for p in self.pending]
            known = self.values[j]
            dicts = ([known] if known is not None else []) + [d for d, _ in parts]
            if len(dicts) == 1:
                self.values[j] = dicts[0]
                moved = [None]
            else:
                count = np.arange(max(len(d) for d in dicts), dtype=np.int32)
                identity = [pa.DictionaryArray.from_arrays(pa.array(count[: len(d)]), d) for d in dicts]
                unified = pa.chunked_array(identity, type=identity[0].type).unify_dictionaries()
                moved = unified.chunks[1:] if known is not None else unified.chunks
                self.values[j] = unified.chunk(0).dictionary
            codes = self._room(j, code_dtype(len(self.values[j])))
            at = self.filled
            for (_, local), m in zip(parts, moved):
                out = codes[at : at + len(local)]
                if m is None:
                    out[:] = local
                else:
                    np.take(m.indices.to_numpy(zero_copy_only=False).astype(codes.dtype), local, out=out)
                at += len(local)
        self.filled = self.rows
        self.pending, self.held = [], 0

    def finish(self):
        import pyarrow as pa

        from miler.dataset.coded import code_dtype

        if self.pending:
            self._flush()
        out = []
        for j in range(self.width):
            values = self.values[j] if self.values[j] is not None else pa.array([], pa.string())
            codes, self.codes[j] = self.codes[j], None
            dtype = code_dtype(len(values))
            if codes is None:
                codes = np.zeros(0, dtype=dtype)
            elif len(codes) > self.rows * 1.01 + 1024 or codes.dtype != dtype:  # the guess was long
                codes = codes[: self.rows].astype(dtype)
            else:
                codes = codes[: self.rows]
            out.append((values, codes))
        return self.rows, out


def _has_quote(path: Path, start: int) -> bool:
    with open(path, "rb") as f:
        f.seek(start)
        while block := f.read(1 << 22):
            if b'"' in block:
                return True
    return False


def quoted_line_break(path: Path, start: int = 0) -> bool:
    """Whether a line break (CR or LF) in the file lies inside double quotes."""
    inside = 0  # quotes seen so far, modulo 2
    with open(path, "rb") as f:
        f.seek(start)
        while block := f.read(1 << 24):
            b = np.frombuffer(block, dtype=np.uint8)
            quotes = np.flatnonzero(b == 34)
            if len(quotes) or inside:
                breaks = np.flatnonzero((b == 10) | (b == 13))
                if ((np.searchsorted(quotes, breaks) + inside) % 2).any():
                    return True
            inside = (inside + len(quotes)) % 2
    return False


# the quote miler.output.guard_cell puts before a formula (unguard_cell, in RE2 for pyarrow)
_GUARD_PATTERN, _GUARD_KEEP = r"^'('*[=+\-@\t\r])", r"\1"


def _clean(values):
    """Distinct cells without surrounding spaces or the formula guard (see miler.dataset.write)."""
    import pyarrow.compute as pc

    return pc.utf8_trim_whitespace(pc.replace_substring_regex(values, _GUARD_PATTERN, _GUARD_KEEP))


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


def shape_problems(path: Path, encoding: str, sep: str, width: int) -> tuple[list[Problem], int] | None:
    """Rows with more values than the header, and broken quoting, each with its line."""
    name = path.name
    found: list[Problem] = []
    with _big_fields(), open(path, newline="", encoding=encoding, errors="replace") as f:
        reader = csv.reader(_without_nul(f), delimiter=sep, strict=True)
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
        reader = csv.reader(_without_nul(f), delimiter=sep)
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


