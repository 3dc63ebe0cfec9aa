"""Season bests year by year, personal-best progressions, and one season race by race.

Indoor and outdoor marks are kept apart, as athletics keeps them, and each event stands on its
own: a mile is never compared with a 1500m.
"""

from __future__ import annotations

import pandas as pd

from miler.errors import EmptyResultError
from miler.schema import as_text

SB_COLUMNS = ["athlete", "event", "indoor", "year", "time", "seconds", "date", "meet", "city", "races", "change", "pb"]
PB_COLUMNS = ["athlete", "event", "indoor", "date", "meet", "city", "round", "time", "improvement"]
SEASON_COLUMNS = ["date", "meet", "event", "round", "indoor", "place", "time", "sb", "new_sb"]


def default_event(races: pd.DataFrame, names: list[str]) -> str:
    """The event these athletes have the most marks in, together."""
    rows = races[races["athlete"].isin(names) & races["seconds"].notna()]
    if rows.empty:
        raise EmptyResultError(f"no marks for {', '.join(names)}")
    counts = rows["event"].value_counts()
    return str(counts.index[0])


def _finished(races: pd.DataFrame, names: list[str], event: str) -> pd.DataFrame:
    rows = races[races["athlete"].isin(names) & (races["event"] == event)]
    return rows[rows["seconds"].notna()]


def season_bests(races: pd.DataFrame, names: list[str], event: str) -> pd.DataFrame:
    """Each athlete's best mark per year (indoor and outdoor apart): where and when it was run,
    how many races they ran in the event that season, the change from their previous season's
    best (negative: faster) and whether it was a personal best at the time."""
    started = races[races["athlete"].isin(names) & (races["event"] == event) & (races["status"] != "DNS")]
    # plain strings before grouping: Categorical keys of a subset align badly (pandas 3 fails
    # on codes of different widths) and would group by every category, not the rows'
    started = as_text(started)
    started = started.assign(year=started["date"].dt.year)
    fin = started[started["seconds"].notna()]
    keys = ["athlete", "indoor", "year"]
    best = fin.sort_values(["seconds", "date"], kind="stable").drop_duplicates(keys)
    best = best.set_index(keys)
    best["races"] = started.groupby(keys).size()
    best = best.reset_index()
    best["_order"] = best["athlete"].map({n: i for i, n in enumerate(names)})
    best = best.sort_values(["_order", "indoor", "year"], kind="stable")
    by = best.groupby(["athlete", "indoor"], sort=False)["seconds"]
    best["change"] = (best["seconds"] - by.shift()).round(2)
    best["pb"] = best["seconds"] < by.transform(lambda s: s.cummin().shift()).fillna(float("inf"))
    return best[SB_COLUMNS + _converted(best)].reset_index(drop=True)


def _converted(frame: pd.DataFrame) -> list[str]:
    """The columns convert.with_conversion adds, where present."""
    return [c for c in ("converted", "original_time", "original_event") if c in frame.columns]


def pb_progression(races: pd.DataFrame, names: list[str], event: str) -> pd.DataFrame:
    """The marks that lowered each athlete's personal best, oldest first (indoor and outdoor apart)."""
    fin = as_text(_finished(races, names, event)).sort_values(["date", "race_id"], kind="stable")
    prior = fin.groupby(["athlete", "indoor"], sort=False)["seconds"].transform(lambda s: s.cummin().shift())
    lowered = fin[prior.isna() | (fin["seconds"] < prior)].copy()
    lowered["improvement"] = (lowered["seconds"] - prior[lowered.index]).round(2)
    lowered["_order"] = lowered["athlete"].map({n: i for i, n in enumerate(names)})
    lowered = lowered.sort_values(["_order", "indoor", "date"], kind="stable")
    return lowered[PB_COLUMNS + _converted(lowered)].reset_index(drop=True)


def season(races: pd.DataFrame, name: str, year: int, event: str | None = None) -> pd.DataFrame:
    """Every race of one athlete's season in date order, with the season best as it stood
    after each race (per event, indoor and outdoor apart) and whether the race set it."""
    rows = races[(races["athlete"] == name) & (races["date"].dt.year == year)]
    if event:
        rows = rows[rows["event"] == event]
    rows = as_text(rows).sort_values(["date", "race_id"], kind="stable")
    # a DNF or DNS counts as infinitely slow: it neither sets nor clears the season best
    secs = rows["seconds"].fillna(float("inf"))
    groups = [rows["event"], rows["indoor"]]
    before = secs.groupby(groups, sort=False).transform(lambda s: s.cummin().shift(fill_value=float("inf")))
    rows["new_sb"] = rows["seconds"].notna() & (secs < before)
    # the mark as printed that stands as SB after each race
    sb_time = rows["time"].where(rows["new_sb"]).groupby(groups).ffill()
    rows["sb"] = sb_time.fillna("")
    return rows[SEASON_COLUMNS].reset_index(drop=True)
