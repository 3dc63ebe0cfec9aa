"""pyarrow's reading of a well-formed UTF-8 CSV file, on every core: the file is cut into pieces
at line ends, each piece parsed on its own with each column dictionary-encoded as it is parsed
(no string is copied into Python), and the pieces' dictionaries unified a batch at a time, their
codes written into one array per column: memory stays the codes and a few pieces, whatever the
file's size. A file with a line break inside quotes is read whole by pyarrow's slower reader
that allows them.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from miler.dataset.coded import code_dtype
from miler.dataset.unify import _Unifier

AHEAD = 6  # pieces parsed ahead of those being unified (the cores go on while a batch is unified)
STEADY_BYTES = 16 << 20


class NoArrow(Exception):
    """pyarrow will not read this file as it is: read it with pandas instead."""


def arrow_read(path: Path, encoding: str, sep: str, width: int, piece_bytes: int):
    """(records, [(distinct values, codes) for each column]) of a UTF-8 file, read by pyarrow
    in pieces of about piece_bytes (or whole, where a line break lies inside quotes). Raises
    NoArrow when pyarrow will not read the file."""
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
            read = _in_pieces(path, len(first), size, sep, width, piece_bytes)
            if read is not None:
                return read
        except errors:
            if not _has_quote(path, len(first)):
                raise NoArrow() from None
    return _whole(path, sep, width, errors)


def _in_pieces(path: Path, start: int, size: int, sep: str, width: int, piece_bytes: int):
    """What arrow_read returns, from pieces read in parallel; None when a line break lies
    inside quotes (a piece may then have been cut inside a value)."""
    unifier, quoted = _Unifier(width, size - start), False
    for cells, has_quote, nbytes in _pieces(path, start, size, sep, width, piece_bytes):
        unifier.add(cells, nbytes)
        quoted = quoted or has_quote
    if quoted and quoted_line_break(path, start):
        return None
    return unifier.finish()


def _whole(path: Path, sep: str, width: int, errors: tuple):
    """What arrow_read returns, from one read of the whole file (line breaks inside quotes, or
    lines ended by CR alone)."""
    try:
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

    kind = pa.from_numpy_dtype(code_dtype(len(array.dictionary)))
    indices = array.indices if array.indices.type == kind else pc.cast(array.indices, kind, memory_pool=_pool())
    return array.dictionary, indices.to_numpy(zero_copy_only=False)


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


def _pieces(path: Path, start: int, size: int, sep: str, width: int, piece_bytes: int):
    """Each piece's [(dictionary, codes) per column], whether it holds a quote and its bytes,
    in file order, parsed a few at a time on every core."""
    fd = os.open(path, os.O_RDONLY)
    try:
        bounds = _piece_bounds(fd, start, size, piece_bytes)
        yield from _in_order(_PieceReader(fd, bounds, sep, width, piece_bytes), len(bounds) - 1)
    finally:
        os.close(fd)


def _piece_bounds(fd: int, start: int, size: int, piece_bytes: int) -> list[int]:
    """Where the pieces start (and the last ends): about piece_bytes apart, each cut at the end
    of the line the cut falls in."""
    bounds = [start]
    while bounds[-1] < size:
        cut = bounds[-1] + piece_bytes
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
    return bounds


class _PieceReader:
    """Piece i of a file parsed: each core reads into a buffer of its own, again and again (no
    fresh allocation, no page faults, per piece)."""

    def __init__(self, fd: int, bounds: list[int], sep: str, width: int, piece_bytes: int) -> None:
        self.fd, self.bounds, self.sep, self.width = fd, bounds, sep, width
        self.buffer_bytes = piece_bytes + (1 << 16)
        self.local = threading.local()

    def __call__(self, i: int):
        import pyarrow as pa

        view, buffer = self._read(i)
        got = len(view)
        table = _arrow_csv(pa.BufferReader(pa.py_buffer(view)), self.sep, self.width, size=got)
        batch = table.combine_chunks()  # (the arrays are pyarrow's own: the buffer may be read into again)
        return [_dict_codes(batch.column(j).chunk(0) if batch.column(j).num_chunks else
                            pa.array([], pa.dictionary(pa.int32(), pa.string())))
                for j in range(self.width)], buffer.find(b'"', 0, got) >= 0, got

    def _read(self, i: int) -> tuple[memoryview, bytearray]:
        """The bytes of piece i, in this thread's buffer."""
        start, length = self.bounds[i], self.bounds[i + 1] - self.bounds[i]
        buffer = getattr(self.local, "buffer", None)
        if buffer is None or len(buffer) < length:
            buffer = self.local.buffer = bytearray(max(length, self.buffer_bytes))
        view = memoryview(buffer)[:length]
        got = os.preadv(self.fd, [view], start) if hasattr(os, "preadv") else _pread_into(self.fd, view, start)
        return view[:got], buffer


def _in_order(func, n: int):
    """func(0), …, func(n - 1), in order, worked out a few ahead on every core (never the whole
    file in flight)."""
    workers = min(n, os.cpu_count() or 1, 4)
    if workers <= 1:
        for i in range(n):
            yield func(i)
        return
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(workers) as pool:
        ahead = deque(pool.submit(func, i) for i in range(min(n, AHEAD + 2 * workers)))
        following = len(ahead)
        try:
            while ahead:
                done = ahead.popleft().result()
                if following < n:
                    ahead.append(pool.submit(func, following))
                    following += 1
                yield done
        finally:
            for future in ahead:
                future.cancel()


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
