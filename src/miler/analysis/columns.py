"""Fast reads of a races frame: the positions of some rows, and their values as numpy arrays.

An analysis answers a question about tens of rows of a frame that may hold millions, and a
pandas operation costs tens of microseconds whatever the size of the frame, so an analysis
finds the positions of its rows once and reads only the columns it needs, as plain arrays,
then builds its (small) answer in one go. Nothing here copies the frame or changes it.

Text columns come as object arrays of str (a missing value as None), whether the frame keeps
them as Categoricals (a loaded dataset) or as plain strings; Int64 columns (place, starters)
as float64 with NaN; dates as datetime64; the rest as they are stored.
"""

from __future__ import annotations

from collections.abc import Iterable

import functools
import weakref

import numpy as np
import pandas as pd

_NOTHING = np.array([], dtype=np.intp)
# The categories of a Categorical as an object array, once per categories Index (an Index never
# changes; the entry goes when the Index does).
_CATEGORY_VALUES: dict[int, tuple[weakref.ref, np.ndarray]] = {}


def _category_values(categories: pd.Index) -> np.ndarray:
    key = id(categories)
    hit = _CATEGORY_VALUES.get(key)
    if hit is not None and hit[0]() is categories:
        return hit[1]
    out = np.asarray(categories, dtype=object)
    out.flags.writeable = False
    _CATEGORY_VALUES[key] = (weakref.ref(categories, lambda _, key=key: _CATEGORY_VALUES.pop(key, None)), out)
    return out


class Table:
    """A frame whose columns are each taken out once: an analysis reads the same column many
    times, and taking a column out of a frame costs more than reading its values. Only for
    use inside one analysis call (a Table sees the frame as it was when a column was first read);
    anything else is the frame's (len, columns, take, …)."""

    __slots__ = ("frame", "_columns")

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._columns: dict[str, pd.Series] = {}

    @classmethod
    def of(cls, races: pd.DataFrame | Table) -> Table:
        return races if isinstance(races, Table) else cls(races)

    def __getitem__(self, column: str) -> pd.Series:
        found = self._columns.get(column)
        if found is None:
            found = self._columns[column] = self.frame[column]
        return found

    def __len__(self) -> int:
        return len(self.frame)

    def __getattr__(self, name: str):
        return getattr(self.frame, name)


def positions(races: pd.DataFrame, column: str, value) -> np.ndarray:
    """The positions (0-based) of the rows where column equals value, in frame order."""
    arr = races[column].array
    if isinstance(arr, pd.Categorical):
        try:
            code = arr.categories.get_loc(value)
        except (KeyError, TypeError):
            return _NOTHING
        if not isinstance(code, (int, np.integer)):  # categories are unique: never a slice or mask
            return _NOTHING
        return np.flatnonzero(arr.codes == code)
    return np.flatnonzero(np.asarray(arr == value, dtype=bool))


def positions_in(races: pd.DataFrame, column: str, values: Iterable) -> np.ndarray:
    """The positions of the rows where column is one of values, in frame order."""
    values = list(values)
    arr = races[column].array
    if isinstance(arr, pd.Categorical):
        codes = []
        for v in values:
            try:
                code = arr.categories.get_loc(v)
            except (KeyError, TypeError):
                continue
            if isinstance(code, (int, np.integer)):
                codes.append(code)
        return _NOTHING if not codes else np.flatnonzero(np.isin(arr.codes, codes))
    return np.flatnonzero(np.asarray(pd.Series(arr).isin(values), dtype=bool))


def values(races: pd.DataFrame, column: str, pos: np.ndarray | None = None) -> np.ndarray:
    """The values of column at the positions pos (every row when pos is None) as a numpy array."""
    arr = races[column].array
    if isinstance(arr, pd.Categorical):
        codes = arr.codes if pos is None else arr.codes[pos]
        cats = _category_values(arr.categories)
        if not len(cats):
            return np.full(len(codes), None, dtype=object)
        out = cats[codes]
        missing = codes < 0
        if missing.any():
            out[missing] = None
        return out
    if pos is not None:
        arr = arr.take(pos)
    kind = arr.dtype.kind
    if isinstance(arr.dtype, pd.api.extensions.ExtensionDtype) and kind in "iuf":  # Int64, Float64
        return arr.to_numpy(dtype="float64", na_value=np.nan)
    if kind == "b" and isinstance(arr.dtype, pd.BooleanDtype):
        return arr.to_numpy(dtype=bool, na_value=False)
    if kind in "OSU" or isinstance(arr.dtype, pd.StringDtype):
        out = np.asarray(arr, dtype=object)
        missing = pd.isna(out)
        if missing.any():
            out = out.copy()
            out[missing] = None
        return out
    return np.asarray(arr)


def text(races: pd.DataFrame, column: str, pos: np.ndarray | None = None) -> np.ndarray:
    """Like values, with a missing text as ''."""
    out = values(races, column, pos)
    if out.dtype == object:
        missing = np.fromiter((v is None for v in out), dtype=bool, count=len(out))
        if missing.any():
            out = out.copy()
            out[missing] = ""
    return out


def ints(values: np.ndarray) -> pd.arrays.IntegerArray:
    """float64 with NaN as a nullable Int64 array (places, counts)."""
    values = np.asarray(values, dtype="float64")
    missing = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(missing, 0, values).astype("int64"), missing)


def empty(columns: Iterable[str]) -> pd.DataFrame:
    """A frame with these columns and no rows (copied from one built once: building a frame
    costs more than copying one)."""
    return _empty(tuple(columns)).copy()


@functools.lru_cache(maxsize=256)
def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: np.array([], dtype=object) for c in columns})
