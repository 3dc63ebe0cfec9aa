"""Facts about the values of a column, each worked out once per distinct value (a million rows
hold a few thousand dates): the day of a date, the seconds of a mark, the number of a place, the
normalised text of an event or a round. The rules (miler.dataset.rules) judge these facts and
the validated races (miler.dataset.coded) keep them; what makes a value good is said here once.

Each function takes a column's distinct values (a pyarrow string array) and returns one entry
per value; the ones taking a Column keep their answer on it (Column.fact), so that values a later
chunk brings are the only ones worked out again.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from miler.marks import normalise_event
from miler.schema import sex_code

if TYPE_CHECKING:
    import pyarrow as pa

    from miler.dataset.cells import Column

FIRST_YEAR = 1896  # the first modern Olympic Games: no race in a results file is older
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"  # a date as YYYY-MM-DD, in ASCII digits (Python re and RE2 alike)
NAT = np.iinfo(np.int64).min  # days of a cell that is no date
MAX_PLACE = 100_000
# How a flag (indoor, complete) may be spelled: anything else is not true or false.
TRUE = frozenset({"true", "t", "yes", "y", "1", "indoor", "i"})
FALSE = frozenset({"false", "f", "no", "n", "0", "outdoor", ""})


def last_year() -> int:
    """The latest year a race date may have: next year (a season's calendar is published ahead)."""
    return dt.date.today().year + 1


# --- facts of any values ---------------------------------------------------------------------------


def iso_days(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970 of each text that is a date as YYYY-MM-DD in ASCII digits (NAT where
    not), and what is wrong with each: 0 nothing (an empty text too), 1 not a date, 2 a date
    before FIRST_YEAR or after next year."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(values)
    days = np.full(n, NAT, dtype=np.int64)
    problem = np.zeros(n, dtype=np.int8)
    if not n:
        return days, problem
    shaped = pc.match_substring_regex(values, f"^{ISO_DATE}$").to_numpy(zero_copy_only=False)
    empty = pc.equal(values, "").to_numpy(zero_copy_only=False)
    problem[~shaped & ~empty] = 1
    if shaped.any():
        where = np.flatnonzero(shaped)
        real, in_range, first = _calendar(values.filter(pa.array(shaped)))
        problem[where[~real]] = 1
        problem[where[real & ~in_range]] = 2
        good = real & in_range
        days[where[good]] = first[good]
    return days, problem


def _calendar(dates: pa.Array) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of texts shaped YYYY-MM-DD: whether each is a real day, whether its year is a race's
    (FIRST_YEAR to next year), and its days since 1970 (meaningful where real)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def part(start, length):
        return pc.cast(pc.utf8_slice_codeunits(dates, start, start + length), pa.int64()).to_numpy()

    y, m, d = part(0, 4), part(5, 2), part(8, 2)
    month_ok = (m >= 1) & (m <= 12)
    months = ((y - 1970) * 12 + np.where(month_ok, m, 1) - 1).astype("datetime64[M]")
    first = months.astype("datetime64[D]").astype(np.int64)
    length = (months + 1).astype("datetime64[D]").astype(np.int64) - first
    real = month_ok & (d >= 1) & (d <= length)
    in_range = (y >= FIRST_YEAR) & (y <= last_year())
    return real, in_range, first + d - 1


def numbers(values: pa.Array) -> np.ndarray:
    """Each text as a number (pandas' to_numeric), NaN where it is none (an empty text too)."""
    import pandas as pd

    return pd.to_numeric(pd.Series(values.to_pylist(), dtype=object), errors="coerce").to_numpy(dtype="float64")


def _marks(values):
    from miler.marks import parse_marks

    table = parse_marks(values)
    bad = np.full(len(values), None, dtype=object)
    for i, message in table.bad.items():
        bad[i] = message
    return table.seconds, table.decimals, table.status, bad


def _mapped(func):
    return lambda values: np.array([func(v) for v in values.to_pylist()], dtype=object)


def _given(values) -> np.ndarray:
    return np.array([v != "" for v in values.to_pylist()], dtype=bool)


def _place_facts(values):
    """number (NaN if none), not a whole number from 1, too large; per place text."""
    n = numbers(values)
    with np.errstate(invalid="ignore"):
        bad = _given(values) & (np.isnan(n) | (n < 1) | (n % 1 != 0))
        too_big = ~bad & (n > MAX_PLACE)
    return np.where(bad | too_big, np.nan, n), bad, too_big


def _starter_facts(values):
    n = numbers(values)
    with np.errstate(invalid="ignore"):
        bad = _given(values) & (np.isnan(n) | (n < 1) | (n % 1 != 0) | (n > MAX_PLACE))
    return np.where(bad, np.nan, n), bad


def _is_flag(values) -> np.ndarray:
    spellings = TRUE | FALSE
    return np.array([v.lower() in spellings for v in values.to_pylist()], dtype=bool)


NORMALISE = {
    "event": normalise_event,
    "level": lambda v: v.lower() or "other",
    "round": lambda v: v.lower() or "final",
    "sex": lambda v: sex_code(v) if sex_code(v) is not None else v,
}


# --- facts of a column being read, kept on it ------------------------------------------------------


def normalised(column: Column) -> np.ndarray:
    """The normalised text of each value of event, level, round or sex (an object array)."""
    return column.fact("norm", _mapped(NORMALISE[column.name]))


def dates(column: Column):
    """days since 1970 (NAT where none), problem (see iso_days)."""
    return column.fact("days", iso_days)


def marks(column: Column):
    """seconds, decimals, status (index into miler.marks.STATUS_CODES), problem (or None)."""
    return column.fact("marks", _marks)


def places(column: Column):
    """number (NaN where none or bad), not a whole number from 1, more than MAX_PLACE."""
    return column.fact("place", _place_facts)


def starters(column: Column):
    """number (NaN where none or bad), not a whole number from 1 to MAX_PLACE."""
    return column.fact("starters", _starter_facts)


def flags(column: Column) -> np.ndarray:
    """Whether each value spells true or false (TRUE, FALSE)."""
    return column.fact("indoor", _is_flag)


def has_nul(column: Column) -> np.ndarray:
    import pyarrow.compute as pc

    return column.fact("nul", lambda v: pc.match_substring(v, "\x00").to_numpy(zero_copy_only=False))
