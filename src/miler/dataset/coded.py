"""Validated races as codes: the form in which miler holds, caches and filters them.

Each text column is its distinct values (categories, in the order they first appear in the
file) and one small integer per row; places, race ids and the first row of each race are
arrays of their own. Dates, marks (seconds, decimals, status), indoor and starters are
derived from the categories. A pandas frame is built only from the rows a command asks for:
``frame()`` for all of them, ``frame(positions)`` for some, each equal to the same rows of the
whole frame (same dtypes, same categories, index = row positions).

Rows are held in batches (one for a file just read, many for a memory-mapped cache entry);
``select`` finds rows batch by batch on the codes, without building any frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from miler.schema import COLUMNS

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

# The columns held as codes; place is held as the number (0 for none), derived where a race
# gives no places.
CODED = tuple(c for c in COLUMNS if c != "place")
ROW_ARRAYS = ("place", "race_id", "head")  # head: the row is the first of its race in the file


def code_dtype(categories: int) -> np.dtype:
    """The integer type pandas gives the codes of a Categorical with this many categories."""
    for dtype in (np.int8, np.int16, np.int32):
        if categories < np.iinfo(dtype).max:
            return np.dtype(dtype)
    return np.dtype(np.int64)


def place_dtype(largest: int) -> np.dtype:
    return np.dtype(np.int16 if largest < np.iinfo(np.int16).max else np.int32)


class Coded:
    """The validated races of one file as codes (see the module's docstring)."""

    def __init__(self, categories: dict[str, pa.Array], batches: Sequence[dict[str, np.ndarray]],
                 facts: dict[str, np.ndarray] | None = None):
        self.categories = categories  # column -> pyarrow string array of its distinct values
        self.batches = list(batches)  # each: column -> codes, and ROW_ARRAYS, for consecutive rows
        self.offsets = np.cumsum([0] + [len(b["race_id"]) for b in self.batches])
        self.rows = int(self.offsets[-1])
        # what validation found of each category, kept so that nothing is parsed twice:
        # days (per date), seconds, decimals, status (per time; status indexes STATUS_CODES)
        self.facts = dict(facts or {})

    def __len__(self) -> int:
        return self.rows

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Coded:
        """The codes of a validated races frame (a file read by another schema's reader, say):
        frame() of the result holds the same rows, categories in order of first appearance."""
        import pandas as pd
        import pyarrow as pa

        def cells(c: str) -> np.ndarray:
            if c not in frame.columns:
                return np.full(len(frame), "", dtype=object)
            col = frame[c]
            if c == "date":
                text = col.dt.strftime("%Y-%m-%d")
            elif c == "indoor":
                text = col.astype(bool).map({True: "true", False: "false"})
            elif c == "starters":
                n = col.astype("Int64")
                text = n.astype(str).where(n.notna(), "")
            else:
                text = col.astype(str).where(col.notna(), "")
            return text.to_numpy(dtype=object)

        categories, batch = {}, {}
        for c in CODED:
            codes, uniques = pd.factorize(cells(c))
            categories[c] = pa.array([str(u) for u in uniques], type=pa.string())
            batch[c] = codes.astype(code_dtype(len(uniques)))
        place = frame["place"].astype("Int64").fillna(0).to_numpy(dtype=np.int64)
        batch["place"] = place.astype(place_dtype(int(place.max(initial=0))))
        race_id = frame["race_id"].to_numpy(dtype=np.int64)
        batch["race_id"] = race_id.astype(np.int32)
        batch["head"] = ~pd.Series(race_id).duplicated().to_numpy()
        return cls(categories, [batch])

    # --- what the categories say ---------------------------------------------------------

    def index(self, column: str) -> pd.Index:
        """A column's categories as a pandas Index (of str, as in the frame's Categoricals)."""
        if column not in self._indexes:
            import pandas as pd

            a = self.categories[column]
            self._indexes[column] = pd.Index(pd.array(a, dtype="str")) if len(a) else pd.Index([], dtype="str")
        return self._indexes[column]

    @cached_property
    def _indexes(self) -> dict[str, pd.Index]:
        return {}

    def values(self, column: str) -> list[str]:
        return self._values.setdefault(column, self.categories[column].to_pylist())

    @cached_property
    def _values(self) -> dict[str, list[str]]:
        return {}

    def code_of(self, column: str, value: str) -> int | None:
        """The code of a value in a column, or None when no row holds it."""
        import pyarrow as pa
        import pyarrow.compute as pc

        found = pc.index(self.categories[column], pa.scalar(value, pa.string())).as_py()
        return None if found < 0 else found

    def fact(self, name: str) -> np.ndarray:
        """days of each date category; seconds, decimals, status of each time category; rows
        of each athlete category."""
        if name not in self.facts:
            if name == "rows":
                self.facts["rows"] = self.counts("athlete")
            elif name == "days":
                from miler.dataset.facts import iso_days

                self.facts["days"] = iso_days(self.categories["date"])[0]
            else:
                from miler.marks import parse_marks

                marks = parse_marks(self.categories["time"])
                self.facts.update(seconds=marks.seconds, decimals=marks.decimals, status=marks.status)
        return self.facts[name]

    @cached_property
    def dates(self) -> np.ndarray:
        """Each date category as pandas' to_datetime gives it (datetime64[us] in pandas 3,
        [ns] before; validated: every one is a date)."""
        return self.fact("days").astype("datetime64[D]").astype(f"datetime64[{_date_unit()}]")

    @cached_property
    def statuses(self) -> tuple[np.ndarray, pd.Index]:
        """Each time category's status as a code, and the status categories (order of first use)."""
        import pandas as pd

        from miler.marks import STATUS_CODES

        codes, uniques = pd.factorize(self.fact("status"))
        index = pd.Index(pd.array([STATUS_CODES[u] for u in uniques], dtype="str"))
        return codes.astype(code_dtype(len(index))), index

    @cached_property
    def indoor(self) -> np.ndarray:
        from miler.dataset.facts import TRUE

        return np.array([v.lower() in TRUE for v in self.values("indoor")], dtype=bool)

    @cached_property
    def starters(self) -> np.ndarray:
        """Each starters category as a number (NaN for an empty cell)."""
        from miler.dataset.facts import numbers

        return numbers(self.categories["starters"])

    def dtype(self, column: str) -> pd.CategoricalDtype:
        """The frame's dtype of a text column (its categories are distinct by construction: the
        check pandas makes of that, a hash of every category, is skipped where pandas allows)."""
        if column not in self._dtypes:
            self._dtypes[column] = _categorical_dtype(self.index(column))
        return self._dtypes[column]

    @cached_property
    def _dtypes(self) -> dict[str, pd.CategoricalDtype]:
        return {}

    # --- finding rows -------------------------------------------------------------------------

    def select(self, *, athletes: Iterable[str] | None = None, races: Iterable[int] | None = None,
               meet: str | None = None, year: int | None = None, heads: bool = False) -> np.ndarray:
        """Positions (ascending) of the rows that pass every condition given: one of these
        athletes, one of these race ids, this meet in this year, the first row of each race."""
        tests = []
        if athletes is not None:
            want = self._wanted("athlete", athletes)
            tests.append(lambda b: want[b["athlete"]])
        if meet is not None:
            want_meet = self._wanted("meet", [meet])
            tests.append(lambda b: want_meet[b["meet"]])
        if year is not None:
            years = self.dates.astype("datetime64[Y]").astype(np.int64) + 1970
            want_date = years == int(year)
            tests.append(lambda b: want_date[b["date"]])
        if races is not None:
            ids = np.fromiter((int(r) for r in races), dtype=np.int64)
            top = max(int(b["race_id"].max()) if len(b["race_id"]) else 0 for b in self.batches) if self.batches else 0
            want_race = np.zeros(top + 2, dtype=bool)
            want_race[ids[(ids >= 0) & (ids <= top)]] = True
            tests.append(lambda b: want_race[b["race_id"]])
        if heads:
            tests.append(lambda b: b["head"].view(bool))
        out = []
        for start, batch in zip(self.offsets, self.batches):
            mask = None
            for test in tests:
                mask = test(batch) if mask is None else mask & test(batch)
            if mask is None:
                out.append(np.arange(start, start + len(batch["race_id"])))
            else:
                out.append(np.flatnonzero(mask) + start)
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)

    def _wanted(self, column: str, values: Iterable[str]) -> np.ndarray:
        want = np.zeros(len(self.categories[column]), dtype=bool)
        for v in values:
            code = self.code_of(column, v)
            if code is not None:
                want[code] = True
        return want

    def counts(self, column: str) -> np.ndarray:
        """How many rows hold each category of a column."""
        total = np.zeros(len(self.categories[column]), dtype=np.int64)
        for batch in self.batches:
            total += np.bincount(batch[column], minlength=len(total))
        return total

    # --- frames -------------------------------------------------------------------------------

    def column(self, name: str, positions: np.ndarray | None = None) -> np.ndarray:
        """One column's codes (or row array) for all rows or for these ascending positions."""
        if positions is None:
            parts = [b[name] for b in self.batches]
            return np.concatenate(parts) if len(parts) != 1 else np.array(parts[0])
        if len(self.batches) == 1:
            return self.batches[0][name][positions]
        cuts = np.searchsorted(positions, self.offsets)
        parts = [batch[name][positions[a:b] - start]
                 for batch, start, a, b in zip(self.batches, self.offsets, cuts[:-1], cuts[1:]) if b > a]
        if not parts:
            return self.batches[0][name][:0].copy() if self.batches else np.zeros(0, dtype=np.int64)
        return np.concatenate(parts)

    def frame(self, positions: np.ndarray | None = None) -> pd.DataFrame:
        """The rows (all, or those at these ascending positions) as miler's races frame."""
        import pandas as pd

        def codes(c):
            return self.column(c, positions)

        out: dict[str, object] = {}
        time_codes = codes("time")
        for c in COLUMNS:
            if c == "date":
                out[c] = self.dates[codes(c)]
            elif c == "indoor":
                out[c] = self.indoor[codes(c)]
            elif c == "place":
                place = codes("place").astype(np.int64)
                out[c] = pd.arrays.IntegerArray(place, place == 0)
            elif c == "starters":
                n = self.starters[codes(c)]
                missing = np.isnan(n)
                out[c] = pd.arrays.IntegerArray(np.where(missing, 0, n).astype(np.int64), missing)
            elif c == "time":
                out[c] = pd.Categorical.from_codes(time_codes, dtype=self.dtype(c), validate=False)
            else:
                out[c] = pd.Categorical.from_codes(codes(c), dtype=self.dtype(c), validate=False)
        status_codes, status_index = self.statuses
        out["seconds"] = self.fact("seconds")[time_codes]
        out["status"] = pd.Categorical.from_codes(status_codes[time_codes], dtype=_categorical_dtype(status_index),
                                                  validate=False)
        out["decimals"] = self.fact("decimals")[time_codes]
        out["race_id"] = codes("race_id").astype(np.int64)
        index = pd.RangeIndex(self.rows) if positions is None else pd.Index(np.asarray(positions, dtype=np.int64))
        return pd.DataFrame(out, index=index, copy=False)


def _categorical_dtype(index: pd.Index) -> pd.CategoricalDtype:
    import pandas as pd

    fast = getattr(pd.CategoricalDtype, "_from_fastpath", None)
    if fast is not None:
        try:
            return fast(index, False)
        except TypeError:  # pragma: no cover - another pandas
            pass
    return pd.CategoricalDtype(index)


def _date_unit() -> str:
    """The unit of the datetimes pandas parses from YYYY-MM-DD text."""
    import pandas as pd

    return np.datetime_data(pd.to_datetime(["2024-01-01"], format="%Y-%m-%d").dtype)[0]
