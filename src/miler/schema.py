"""The dataset's schema: its columns, levels and rounds, what identifies a race, and the
columns derived from them (race ids, round order). No I/O: this is what analysis imports
from the data side, and what every reader produces.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = (
    "date", "meet", "city", "country", "level", "event", "round", "indoor",
    "athlete", "nat", "place", "time", "note", "source", "starters", "sex",
)  # fmt: skip
# Columns a races file may leave out entirely; written back only when some row has a value.
# starters: how many ran the race (finishers and non-finishers) in its full results, where a
# source gives them; a race with fewer rows than starters holds a partial field.
# sex: M or W (empty where the file does not say): the men's and women's finals of one meet are
# two races.
OPTIONAL = ("starters", "sex")
SEXES = ("M", "W")
BASE_COLUMNS = tuple(c for c in COLUMNS if c not in OPTIONAL)  # what every export holds
REQUIRED = ("date", "meet", "event", "athlete")
LEVELS = (
    "olympics", "worlds", "world-indoors", "europeans", "commonwealth",
    "diamond-league", "national", "other",
)  # fmt: skip
CHAMPIONSHIP_LEVELS = ("olympics", "worlds", "world-indoors", "europeans", "commonwealth")
# What identifies one race: two heats are two races, as are two rounds on one day, and the men's
# and women's races of one event (a frame always has the sex column; empty where not given).
RACE_KEY = ["date", "meet", "event", "round", "sex"]
# Rounds in the order they are run on a day: sorting races by (date, race_id) is chronological.
ROUND_ORDER = (("heat", 0), ("prelim", 0), ("quarter", 1), ("repechage", 1), ("semi", 2), ("final", 3))

# How files write sex, folded to M or W ("" for a cell that says nothing).
SEX_WORDS = {
    "": "", "m": "M", "male": "M", "men": "M", "man": "M", "mens": "M", "men's": "M", "boys": "M", "h": "M",
    "w": "W", "f": "W", "female": "W", "women": "W", "woman": "W", "womens": "W", "women's": "W",
    "ladies": "W", "girls": "W", "d": "W",
}


def sex_code(text: str) -> str | None:
    """'male', 'Men', 'M' -> 'M'; 'female', 'W', 'F' -> 'W'; '' -> ''; anything else None."""
    return SEX_WORDS.get(str(text).strip().lower())


QUOTE_KEYS = ("date", "speaker", "about", "occasion", "publication", "url", "text", "topics", "source")
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
    by date, then heats before semi-finals before finals, then meet, event, round and sex."""
    keyed = frame[RACE_KEY].assign(_rank=round_rank(frame["round"]))
    return keyed.groupby(["date", "_rank", "meet", "event", "round", "sex"], sort=True, observed=True).ngroup().astype("int64")


def empty_quotes() -> pd.DataFrame:
    """A quotes frame with no quotes (a dataset without quotes.yaml)."""
    frame = pd.DataFrame({k: pd.Series(dtype="object") for k in QUOTE_KEYS})
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


# --- what a mark was when it was run ---------------------------------------------------------

# A flag is earned by beating an earlier mark: the first mark of an athlete (PB), of their
# season (SB) or of a year (WL) in the data is not flagged, since the data cannot show it a best.
FLAGS = ("WL", "PB", "SB")


def lineage(frame: pd.DataFrame) -> list[str]:
    """The columns whose marks are compared with each other: the event, indoor and outdoor
    apart (as athletics keeps them), and men and women apart where the data says."""
    return ["event", "indoor"] + (["sex"] if "sex" in frame.columns else [])


def best_before(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """For each row, the fastest mark (seconds) of its group (keys) run at an earlier moment:
    an earlier day, or the same day in an earlier round (heats before finals). NaN where
    there is none, and for rows without a mark. Marks of one moment do not count against
    each other (two heats of a day; two meets on one day)."""
    import numpy as np

    marked = frame["seconds"].notna() & (frame["status"] == "")
    rows = frame[marked]
    out = pd.Series(np.nan, index=frame.index, dtype="float64")
    if rows.empty:
        return out
    work = pd.DataFrame({
        "g": rows.groupby(keys, observed=True, sort=False, dropna=False).ngroup().to_numpy(),
        "d": rows["date"].to_numpy(),
        "r": round_rank(rows["round"]).to_numpy(),
        "s": rows["seconds"].to_numpy(dtype="float64"),
    })  # fmt: skip
    per_moment = work.groupby(["g", "d", "r"], sort=True)["s"].min()
    prior = per_moment.groupby(level="g").cummin().groupby(level="g").shift()
    out[marked] = work.join(prior.rename("p"), on=["g", "d", "r"])["p"].to_numpy()
    return out


def marks_to_beat(frame: pd.DataFrame) -> pd.DataFrame:
    """For each row, in seconds: the best earlier mark of the athlete (PB), of the athlete's
    calendar year (SB) and of the year by anyone (WL), each within the row's lineage (see
    best_before); and the fastest mark of the row's own moment in that year's lineage (moment)."""
    keys = lineage(frame)
    framed = frame.assign(_year=frame["date"].dt.year)
    moment = [framed[c] for c in keys + ["_year", "date"]] + [round_rank(frame["round"])]
    marked = frame["seconds"].where(frame["status"] == "")
    return pd.DataFrame({
        "PB": best_before(framed, keys + ["athlete"]),
        "SB": best_before(framed, keys + ["athlete", "_year"]),
        "WL": best_before(framed, keys + ["_year"]),
        "moment": marked.groupby(moment, observed=True, dropna=False).transform("min"),
    }, index=frame.index)  # fmt: skip


def performance_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """WL, PB and SB of every row (booleans, one column each), as of the moment it was run:
    PB faster than every earlier mark of the athlete; SB (where not a PB) faster than every
    earlier mark of their calendar year; WL faster than every earlier mark of the year by
    anyone, and the fastest of its moment. Each within its lineage (event, indoor, sex).
    A flag needs an earlier mark to beat (see FLAGS)."""
    eps = 1e-9
    secs = frame["seconds"].where(frame["status"] == "")
    best = marks_to_beat(frame)
    pb = best["PB"].notna() & (secs < best["PB"] - eps)
    sb = ~pb & best["SB"].notna() & (secs < best["SB"] - eps)
    wl = best["WL"].notna() & (secs < best["WL"] - eps) & (secs <= best["moment"] + eps)
    return pd.DataFrame({"WL": wl, "PB": pb, "SB": sb}, index=frame.index)
