"""Season bests year by year, personal-best progressions, and one season race by race.

Indoor and outdoor marks are kept apart, as athletics keeps them, and each event stands on its
own: a mile is never compared with a 1500m, unless convert.with_conversion has converted one
to the other (then marks are compared by ``as_event``, and each keeps its real ``event``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, empty, ints, positions, positions_in, text, values
from miler.analysis.convert import CONVERSION_COLUMNS, compared_as, compared_event, conversion
from miler.errors import EmptyResultError

SB_COLUMNS = ["athlete", "event", "indoor", "year", "time", "seconds", "date", "meet", "city", "races", "change", "pb"]
PB_COLUMNS = ["athlete", "event", "indoor", "date", "meet", "city", "round", "time", "improvement"]
SEASON_COLUMNS = ["date", "meet", "event", "round", "indoor", "place", "time", "sb", "new_sb"]
def _none(races, columns: list[str]) -> pd.DataFrame:
    """No rows, in the columns there would be (with the converted columns where converting)."""
    return empty(columns + (list(CONVERSION_COLUMNS) if "converted" in races.columns else []))


def _of(races: pd.DataFrame, names: list[str]) -> np.ndarray:
    return positions(races, "athlete", names[0]) if len(names) == 1 else positions_in(races, "athlete", names)


def _years(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[Y]").astype("int64") + 1970


def default_event(races: pd.DataFrame, names: list[str]) -> str:
    """The event these athletes have the most marks in, together (ties: the event the data
    names first)."""
    races = Table.of(races)
    pos = _of(races, names)
    pos = pos[~np.isnan(values(races, "seconds", pos).astype("float64"))]
    if not len(pos):
        raise EmptyResultError(f"no marks for {', '.join(names)}")
    column = races[compared_event(races)]
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.array.codes[pos]
        return str(column.array.categories[np.bincount(codes[codes >= 0]).argmax()])
    counts: dict[str, int] = {}
    for e in values(races, compared_event(races), pos):
        counts[e] = counts.get(e, 0) + 1
    return str(max(counts, key=counts.get))


def _in_event(races: pd.DataFrame, names: list[str], event: str) -> np.ndarray:
    """Positions of the names' rows in the event (as compared), not DNS, in frame order."""
    pos = _of(races, names)
    pos = pos[values(races, compared_event(races), pos) == compared_as(races, event)]
    return pos[values(races, "status", pos) != "DNS"]


def season_bests(races: pd.DataFrame, names: list[str], event: str) -> pd.DataFrame:
    """Each athlete's best mark per year (indoor and outdoor apart): where and when it was run,
    how many races they ran in the event that season, the change from their previous season's
    best (negative: faster) and whether it was a personal best at the time."""
    races = Table.of(races)
    started = _in_event(races, names, event)
    if not len(started):
        return _none(races, SB_COLUMNS)
    athlete = text(races, "athlete", started)
    indoor = values(races, "indoor", started).astype(bool)
    dates = values(races, "date", started)
    year = _years(dates)
    secs = values(races, "seconds", started).astype("float64")
    rank = {n: i for i, n in enumerate(names)}
    runs: dict[tuple, int] = {}
    best: dict[tuple, int] = {}
    for i, key in enumerate(zip(athlete, indoor.tolist(), year.tolist())):
        runs[key] = runs.get(key, 0) + 1
        s = secs[i]
        if s == s:  # a finish: the fastest, then the earliest, then the first in the data
            j = best.get(key)
            if j is None or s < secs[j] or (s == secs[j] and dates[i] < dates[j]):
                best[key] = i
    keys = sorted(best, key=lambda k: (rank[k[0]], k[1], k[2]))
    at = np.array([best[k] for k in keys], dtype=np.intp)
    pos = started[at]
    bsecs = secs[at]
    change = np.full(len(keys), np.nan)
    pb = np.zeros(len(keys), dtype=bool)
    fastest: dict[tuple, float] = {}
    for i, (name, inside, _) in enumerate(keys):
        prev = fastest.get((name, inside))
        if i and keys[i - 1][:2] == (name, inside):
            change[i] = round(bsecs[i] - bsecs[i - 1], 2)
        pb[i] = prev is None or bsecs[i] < prev
        fastest[(name, inside)] = bsecs[i] if prev is None else min(prev, bsecs[i])
    out = {
        "athlete": athlete[at], "event": text(races, "event", pos), "indoor": indoor[at],
        "year": year[at].astype("int32"), "time": text(races, "time", pos), "seconds": bsecs,
        "date": dates[at], "meet": text(races, "meet", pos), "city": text(races, "city", pos),
        "races": np.array([runs[k] for k in keys], dtype="int64"), "change": np.round(change, 2), "pb": pb,
    }  # fmt: skip
    return pd.DataFrame({**out, **conversion(races, pos)})


def pb_progression(races: pd.DataFrame, names: list[str], event: str) -> pd.DataFrame:
    """The marks that lowered each athlete's personal best, oldest first (indoor and outdoor apart)."""
    races = Table.of(races)
    pos = _in_event(races, names, event)
    secs = values(races, "seconds", pos).astype("float64")
    pos, secs = pos[~np.isnan(secs)], secs[~np.isnan(secs)]
    if not len(pos):
        return _none(races, PB_COLUMNS)
    athlete = text(races, "athlete", pos)
    indoor = values(races, "indoor", pos).astype(bool)
    dates = values(races, "date", pos)
    order = np.lexsort((races["race_id"].to_numpy()[pos], dates))
    fastest: dict[tuple, float] = {}
    lowered, improvement = [], []
    for i in order:
        key = (athlete[i], bool(indoor[i]))
        prev = fastest.get(key)
        if prev is None or secs[i] < prev:
            lowered.append(i)
            improvement.append(np.nan if prev is None else round(secs[i] - prev, 2))
            fastest[key] = secs[i]
    rank = {n: i for i, n in enumerate(names)}
    keep = sorted(range(len(lowered)), key=lambda k: (rank[athlete[lowered[k]]], bool(indoor[lowered[k]]),
                                                     dates[lowered[k]]))
    at = np.array([lowered[k] for k in keep], dtype=np.intp)
    p = pos[at]
    out = {
        "athlete": athlete[at], "event": text(races, "event", p), "indoor": indoor[at], "date": dates[at],
        "meet": text(races, "meet", p), "city": text(races, "city", p), "round": text(races, "round", p),
        "time": text(races, "time", p), "improvement": np.array([improvement[k] for k in keep], dtype="float64"),
    }  # fmt: skip
    return pd.DataFrame({**out, **conversion(races, p)})


def season(races: pd.DataFrame, name: str, year: int, event: str | None = None) -> pd.DataFrame:
    """Every race of one athlete's season in date order, with the season best as it stood
    after each race (per event as compared, indoor and outdoor apart) and whether the race set it."""
    races = Table.of(races)
    pos = positions(races, "athlete", name)
    pos = pos[_years(values(races, "date", pos)) == year]
    compared = compared_event(races)
    if event:
        pos = pos[values(races, compared, pos) == compared_as(races, event)]
    if not len(pos):
        none = _none(races, SEASON_COLUMNS)
        return none.assign(sb_converted=none["converted"]) if "converted" in races.columns else none
    pos = pos[np.lexsort((races["race_id"].to_numpy()[pos], values(races, "date", pos)))]
    secs = values(races, "seconds", pos).astype("float64")
    times = text(races, "time", pos)
    indoor = values(races, "indoor", pos).astype(bool)
    extra = conversion(races, pos)
    converted = extra.get("converted", np.zeros(len(pos), dtype=bool))
    standing: dict[tuple, tuple[float, str, bool]] = {}
    sb, new_sb, sb_converted = [], [], []
    # a DNF or DNS neither sets nor clears the season best
    for key, s, t, c in zip(zip(values(races, compared, pos), indoor.tolist()), secs, times, converted.tolist()):
        before = standing.get(key)
        new = s == s and (before is None or s < before[0])
        if new:
            standing[key] = (s, t, c)
        new_sb.append(bool(new))
        sb.append(standing[key][1] if key in standing else "")
        sb_converted.append(standing[key][2] if key in standing else False)
    out = {
        "date": values(races, "date", pos), "meet": text(races, "meet", pos), "event": text(races, "event", pos),
        "round": text(races, "round", pos), "indoor": indoor, "place": ints(values(races, "place", pos)),
        "time": times, "sb": np.array(sb, dtype=object), "new_sb": np.array(new_sb, dtype=bool),
    }  # fmt: skip
    if extra:  # whether the season best as it stood is a converted mark
        extra["sb_converted"] = np.array(sb_converted, dtype=bool)
    return pd.DataFrame({**out, **extra})
