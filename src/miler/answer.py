"""An answer, described once: Sections of Facts (lines, JSON keys) and rows with their Columns,
and how a cell's value becomes text (tables) or plain data (CSV, JSON). miler.views builds
answers; miler.render draws them in every format."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from miler.marks import format_gap

FORMATS = ("table", "csv", "json", "markdown")


@dataclass
class Column:
    """How one column of rows is shown: its key, header, text form and alignment; whether it
    is in tables and in CSV; ``value`` derives a table cell from the whole row (a display
    column that is not in the data, and so not in CSV)."""

    key: str
    header: str | None = None
    show: Callable[[Any], str] | None = None
    justify: str = "left"
    table: bool = True  # shown in tables and Markdown
    csv: bool = True  # written to CSV
    value: Callable[[dict[str, Any]], Any] | None = None

    @property
    def title(self) -> str:
        return self.header if self.header is not None else self.key


@dataclass
class Fact:
    """One thing an answer states: its line(s) in tables and Markdown, its key and value in JSON
    (either may be absent: a note is only a line, the athletes' full names only a key)."""

    text: str | list[str] | None = None
    key: str | None = None
    value: Any = None

    @property
    def lines(self) -> list[str]:
        if self.text is None:
            return []
        return [self.text] if isinstance(self.text, str) else list(self.text)


@dataclass
class Section:
    """A piece of an answer: a title, facts, and rows with their columns.

    A section without table columns shows no table (its rows are for JSON or CSV only).
    key: where the rows go in JSON (none: not in JSON, unless the answer is this one table);
    json: the row keys in JSON (default: every column of the frame); shape: how the list of
    rows becomes the JSON value (default: as it is); primary: the rows CSV writes (default: the
    last section with rows); split: a column whose values split the table into titled tables
    (the title made by split_title from the group's first row); empty: a line shown when there
    are no rows."""

    title: str = ""
    facts: list[Fact] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    columns: list[Column] = field(default_factory=list)
    key: str | None = None
    json: Sequence[str] | None = None
    shape: Callable[[list[dict[str, Any]]], Any] | None = None
    primary: bool = False
    split: str | None = None
    split_title: Callable[[dict[str, Any]], str] | None = None
    empty: str | None = None

    def records(self) -> list[dict[str, Any]]:
        if self.frame is None:
            return []
        return records(self.frame, self.json)


# --- cell values ---------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def text(value: Any) -> str:
    """A cell for a table: dates as YYYY-MM-DD, nothing for missing values."""
    if is_missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def gap_text(value: Any) -> str:
    return "" if is_missing(value) else format_gap(float(value))


def plain(value: Any) -> Any:
    """A cell for JSON/CSV: ISO dates, None for missing, numpy scalars as Python ones."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return value


def records(frame: pd.DataFrame, keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
    keys = list(keys) if keys is not None else list(frame.columns)
    columns = [[plain(v) for v in frame[k].tolist()] for k in keys]
    return [dict(zip(keys, row)) for row in zip(*columns)] if keys else [{} for _ in range(len(frame))]


def rows_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a frame as dicts of its values (Timestamps for dates), column by column:
    far quicker than DataFrame.to_dict for the small frames an answer holds."""
    keys = list(frame.columns)
    return [dict(zip(keys, row)) for row in zip(*(frame[k].tolist() for k in keys))] if keys else []


