"""The dataset's schema: its columns, levels and rounds, what identifies a race, and the
columns derived from them (race ids, round order). No I/O: this is what analysis imports
from the data side, and what every reader produces.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = (
    "date", "meet", "city", "country", "level", "event", "round", "indoor",
    "athlete", "nat", "place", "time", "note", "source", "starters",
)  # fmt: skip
# Columns a races file may leave out entirely; written back only when some row has a value.
# starters: how many ran the race (finishers and non-finishers) in its full results, where a
# source gives them; a race with fewer rows than starters holds a partial field.
OPTIONAL = ("starters",)
BASE_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL)  # what every export holds
REQUIRED = ("date", "meet", "event", "athlete")
LEVELS = (
    "olympics", "worlds", "world-indoors", "europeans", "commonwealth",
    "diamond-league", "national", "other",
)  # fmt: skip
CHAMPIONSHIP_LEVELS = ("olympics", "worlds", "world-indoors", "europeans", "commonwealth")
# What identifies one race: two heats are two races, as are two rounds on one day.
RACE_KEY = ["date", "meet", "event", "round"]
# Rounds in the order they are run on a day: sorting races by (date, race_id) is chronological.
ROUND_ORDER = (("heat", 0), ("prelim", 0), ("quarter", 1), ("semi", 2), ("final", 3))

QUOTE_KEYS = ("date", "speaker", "about", "occasion", "text", "topics", "source")
QUOTE_REQUIRED = ("date", "speaker", "text")


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame with its Categorical text columns as plain strings.

    Loaded races keep text as Categoricals (a million rows, a few thousand distinct values);
    an analysis turns its (small) result into plain strings before it sorts by text or sets
    new values."""
    cats = [c for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)]
    if not cats:
        return frame
    return frame.assign(**{c: _text(frame[c]) for c in cats})


def _text(column: pd.Series) -> pd.Series:
    """column.astype("str"), converting only the categories its rows hold (a few rows of a
    million-row dataset hold a few of its 50,000 marks)."""
    cat = column.array
    if not len(cat) or cat.codes.min() < 0 or len(cat) >= len(cat.categories):
        return column.astype("str")
    return pd.Series(cat.categories.take(cat.codes).astype("str"), index=column.index, name=column.name)


def round_rank(rounds: pd.Series) -> pd.Series:
    """0 for heats, 1 quarter-finals, 2 semi-finals, 3 finals (and 3 for anything else)."""
    ranks = {}
    for r in rounds.unique():
        ranks[r] = next((rank for prefix, rank in ROUND_ORDER if str(r).startswith(prefix)), 3)
    return rounds.map(ranks).astype("int8")


def race_ids(frame: pd.DataFrame) -> pd.Series:
    """One number per race (RACE_KEY), increasing in the order races were run:
    by date, then heats before semi-finals before finals, then meet, event and round."""
    keyed = frame[RACE_KEY].assign(_rank=round_rank(frame["round"]))
    return keyed.groupby(["date", "_rank", "meet", "event", "round"], sort=True, observed=True).ngroup().astype("int64")


def empty_quotes() -> pd.DataFrame:
    """A quotes frame with no quotes (a dataset without quotes.yaml)."""
    frame = pd.DataFrame({k: pd.Series(dtype="object") for k in QUOTE_KEYS})
    frame["date"] = pd.to_datetime(frame["date"])
    return frame
