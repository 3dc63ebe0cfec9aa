"""miler's own files: a races CSV (read by miler.dataset.races, the same as data/races.csv) and
the JSON that ``miler export -f json`` writes (a list of rows with the same keys)."""

from __future__ import annotations

import pandas as pd

from miler.dataset.formats.staged import Staged
from miler.errors import DataError, Problem
from miler.schema import COLUMNS, REQUIRED

NAME = "miler"
TITLE = "miler's own CSV or JSON"
RECOGNISED = ("a CSV header of miler's columns (date, meet, event, athlete and time or place, …), "
              "or a JSON list of rows with those keys (miler export -f json)")


def _is_own(names) -> bool:
    names = [str(n).strip().lower() for n in names]
    named = [n for n in names if n]
    return (all(c in names for c in REQUIRED) and ("time" in names or "place" in names)
            and sum(n in COLUMNS for n in named) >= 0.6 * len(named))


def recognise(sample) -> str | None:
    if sample.looks_json:
        data = sample.json
        if isinstance(data, list) and data and isinstance(data[0], dict) and _is_own(data[0]):
            return "a JSON list of rows with miler's columns"
        return None
    header = sample.header
    if header and _is_own(header):
        return "a CSV header of miler's columns"
    return None


def is_csv(sample) -> bool:
    return not sample.looks_json


def read(sample, options) -> Staged:
    """miler's JSON export as staged rows (a CSV is read by miler.dataset.races instead)."""
    rows = sample.json
    bad = next((i for i, r in enumerate(rows) if not isinstance(r, dict)), None)
    if bad is not None:
        raise DataError([Problem(sample.name, 0, f"[{bad}] is not an object of a row's columns")])
    frame = pd.DataFrame.from_records(rows)
    frame = frame[[c for c in frame.columns if c in COLUMNS]]
    for c in frame.columns:
        values = frame[c]
        if c == "indoor":
            frame[c] = values.map(lambda v: "true" if v is True else "false" if v is False or v is None else str(v))
        elif c in ("place", "starters"):
            frame[c] = values.map(lambda v: "" if v is None or v != v else str(int(v)) if isinstance(v, float)
                                  and v.is_integer() else str(v))
        else:
            frame[c] = values.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
    return Staged(frame, [f"{sample.name}#[{i}]" for i in range(len(frame))], keep_source=True)
