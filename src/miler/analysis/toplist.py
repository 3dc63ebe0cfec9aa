"""Toplists: the fastest marks of an event, as World Athletics lists them.

One line per athlete (their best within the filters: where and when) or every mark. Marks of
equal value share a rank, shown "=3", and the next rank skips (1, =2, =2, 4). A hand time
(printed with "h": 3:34.6h) ranks after electronic times of equal value and is shown as printed.

Each mark carries the flags it earned when it was run (WL, PB, SB: miler.schema.performance_flags),
computed from every mark of the event in the data, not copied from the row's note; the list
itself is drawn only from the rows the filters keep.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from miler.analysis.filters import Filters, apply
from miler.marks import normalise_event
from miler.schema import FLAGS, as_text, performance_flags

LIST_COLUMNS = [
    "rank", "tied", "time", "flags", "athlete", "nat", "indoor", "place", "round", "meet", "city", "country",
    "date", "seconds", "hand",
]  # fmt: skip


@dataclass(frozen=True)
class Toplist:
    event: str
    year: int | None  # None: the all-time list of the dataset
    all_marks: bool
    marks: pd.DataFrame  # LIST_COLUMNS, fastest first
    total: int  # lines before --top cut the list
    athletes: int  # athletes with a mark in the list (before the cut)


def is_hand(times: pd.Series) -> pd.Series:
    """True for a mark printed as hand-timed (3:34.6h)."""
    return times.astype("str").str.strip().str.lower().str.endswith("h")


def rank_marks(seconds: pd.Series, hand: pd.Series) -> tuple[pd.Series, pd.Series]:
    """World Athletics ranks of marks already in list order: (rank, tied). Equal marks (equal
    value and both hand or both electronic) share the rank of the first; the next rank skips."""
    key = pd.DataFrame({"s": seconds.round(3).to_numpy(), "h": hand.to_numpy()})
    new = (key != key.shift()).any(axis=1).to_numpy()
    position = pd.Series(range(1, len(key) + 1))
    rank = position.where(new).ffill().astype("int64")
    tied = rank.map(rank.value_counts()) > 1
    return pd.Series(rank.to_numpy(), index=seconds.index), pd.Series(tied.to_numpy(), index=seconds.index)


def toplist(races: pd.DataFrame, filters: Filters, *, all_marks: bool = False, top: int | None = None) -> Toplist:
    """The list of the filters' event (which they must name): the rows that pass the filters,
    best first, cut after the rank top (ties at the cut stay in)."""
    if not filters.event:
        raise ValueError("a toplist is of one event: the filters must name it")
    event = normalise_event(filters.event)
    rows = races[races["event"] == event]
    flags = performance_flags(rows)
    kept = apply(rows, filters)
    kept = kept[kept["seconds"].notna() & (kept["status"] == "")]
    marks = as_text(kept).assign(hand=is_hand(kept["time"]).to_numpy())
    marks["flags"] = [" ".join(f for f, on in zip(FLAGS, row) if on) for row in flags.loc[kept.index].to_numpy()]
    marks = marks.sort_values(["seconds", "hand", "date", "race_id", "athlete"], kind="stable")
    if not all_marks:
        marks = marks.drop_duplicates("athlete", keep="first")
    marks = marks.reset_index(drop=True)
    marks["rank"], marks["tied"] = rank_marks(marks["seconds"], marks["hand"])
    total, athletes = len(marks), int(marks["athlete"].nunique())
    if top:
        marks = marks[marks["rank"] <= top]
    return Toplist(event, filters.year, all_marks, marks[LIST_COLUMNS].reset_index(drop=True), total, athletes)
