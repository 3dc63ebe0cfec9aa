"""The cells of a file being read, as codes: for each column its distinct (cleaned) values and
one integer per record (Column), and a range of records the row rules look at (Cells).

A chunk's values are added as they are read; a value met again gets the code it had, so that a
fact about it (miler.dataset.facts) is worked out once however many rows hold it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from miler.dataset.coded import code_dtype
from miler.schema import COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa


class Column:
    """One column of a file being read: its distinct (cleaned) values in order of first
    appearance, each record's code, and facts about the values computed once for each."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: pa.Array | None = None
        self.parts: list[tuple[int, np.ndarray]] = []  # (first record, codes) of each chunk
        self._facts: dict[str, tuple[int, object]] = {}
        self._list: list[str] = []

    def __len__(self) -> int:
        return 0 if self.values is None else len(self.values)

    def add(self, start: int, values: pa.Array, codes: np.ndarray) -> None:
        """Add a chunk: its distinct values (which may repeat: cleaning can make two equal)
        and a code into them for each of its records."""
        import pyarrow as pa
        import pyarrow.compute as pc

        values = values.cast(pa.string()) if values.type != pa.string() else values
        if self.values is None or not len(self.values):
            encoded = pc.dictionary_encode(values)
            if len(encoded.dictionary) != len(values):
                codes = encoded.indices.to_numpy(zero_copy_only=False)[codes]
            self.values = encoded.dictionary
        elif len(values):
            found = pc.index_in(values, value_set=self.values)
            known = found.is_valid().to_numpy(zero_copy_only=False)
            trans = np.asarray(found.fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
            if not known.all():
                fresh = pc.dictionary_encode(values.filter(pa.array(~known)))
                trans[~known] = len(self.values) + fresh.indices.to_numpy(zero_copy_only=False)
                self.values = pa.concat_arrays([self.values, fresh.dictionary])
            if not (known.all() and np.array_equal(trans, np.arange(len(trans)))):
                codes = trans[codes]
        self.parts.append((start, codes))

    def codes(self, start: int, stop: int) -> np.ndarray:
        """The codes of records start..stop (within one chunk)."""
        for first, codes in reversed(self.parts):
            if first <= start:
                return codes[start - first : stop - first]
        raise IndexError(start)

    def text(self, code: int) -> str:
        if len(self._list) < len(self):
            self._list = self.values.to_pylist()
        return self._list[code]

    def code_of(self, value: str) -> int:
        """The code of a value, -1 when no record holds it."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if not len(self):
            return -1
        return pc.index(self.values, pa.scalar(value, pa.string())).as_py()

    def fact(self, key: str, func: Callable):
        """func(values) -> one array (or a tuple of arrays) with an entry per value; computed
        for each value once, however many chunks bring new ones."""
        have = self._facts.get(key)
        n = len(self)
        if have is not None and have[0] == n:
            return have[1]
        done = 0 if have is None else have[0]
        new = func(self.values.slice(done)) if self.values is not None else func(_empty())
        if have is not None:
            new = (tuple(np.concatenate([a, b]) for a, b in zip(have[1], new)) if isinstance(new, tuple)
                   else np.concatenate([have[1], new]))
        self._facts[key] = (n, new)
        return new

    def finish(self, keep: np.ndarray | None, release: bool = True) -> np.ndarray:
        """Every record's code as one array of the narrowest type, without dropped records
        (release: the chunks' codes are let go)."""
        parts = [c for _, c in self.parts]
        dtype = code_dtype(len(self))
        codes = parts[0].astype(dtype, copy=False) if len(parts) == 1 else np.concatenate(parts).astype(dtype)
        if release:
            self.parts = []
        return codes if keep is None else codes[keep]


def _empty():
    import pyarrow as pa

    return pa.array([], type=pa.string())


class Cells:
    """Records start..stop of a file being read: codes per column, facts per value."""

    def __init__(self, columns: dict[str, Column], start: int, stop: int) -> None:
        self.columns = columns
        self.start, self.stop = start, stop
        self.size = stop - start
        self._codes: dict[str, np.ndarray] = {}
        self.keep = self._non_empty()

    def codes(self, name: str) -> np.ndarray:
        if name not in self._codes:
            self._codes[name] = self.columns[name].codes(self.start, self.stop)
        return self._codes[name]

    def record(self, i: int) -> int:
        return self.start + i

    def text(self, name: str, i: int) -> str:
        return self.columns[name].text(int(self.codes(name)[i]))

    def of(self, name: str, per_value: np.ndarray) -> np.ndarray:
        """A fact of each value spread to the rows."""
        return per_value[self.codes(name)]

    def equals(self, name: str, value: str) -> np.ndarray:
        code = self.columns[name].code_of(value)
        if code < 0:
            return np.zeros(self.size, dtype=bool)
        return self.codes(name) == code

    def _non_empty(self) -> np.ndarray | None:
        """Rows holding some value (a spreadsheet's row of empty cells ",,,," is dropped);
        None when every row does."""
        empty = None
        for c in COLUMNS:
            code = self.columns[c].code_of("")
            if code < 0:
                return None
            this = self.codes(c) == code
            empty = this if empty is None else empty & this
            if not empty.any():
                return None
        return ~empty
