"""Pieces of a file, each read with dictionaries of its own, made one: each column's distinct
values in order of first appearance in the file, and each record's code into them.
"""

from __future__ import annotations

import numpy as np

from miler.dataset.coded import code_dtype


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
