"""An athlete's profile: events, personal and season bests, championships, rivals, recent races."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, empty, ints, positions, text, values
from miler.analysis.convert import CONVERSION_COLUMNS, compared_event, conversion
from miler.analysis.rivals import rivals
from miler.errors import EmptyResultError
from miler.marks import event_metres
from miler.schema import CHAMPIONSHIP_LEVELS

BEST_COLUMNS = ["event", "indoor", "time", "date", "meet", "city"]
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}


@dataclass(frozen=True)
class Profile:
    name: str
    nat: str
    events: pd.DataFrame  # event, indoor, races (the events really run)
    personal_bests: pd.DataFrame  # BEST_COLUMNS (+ as_event and the converted columns when converting)
    season: int  # the latest year with a race
    season_bests: pd.DataFrame  # BEST_COLUMNS for that year
    championships: pd.DataFrame  # finals at championship level: date, meet, event, place, time, medal
    record: pd.DataFrame  # rivals met at least min_meetings times
    recent: pd.DataFrame  # the last races, newest first


def _distance(event: str) -> float:
    metres = event_metres(event)
    return float("inf") if metres is None else metres


def _bests(races: pd.DataFrame, pos: np.ndarray) -> pd.DataFrame:
    """The fastest mark of each event (as compared) and setting, by distance, the faster first
    where two events are as long (a road mile and a mile)."""
    secs = values(races, "seconds", pos).astype("float64")
    pos, secs = pos[~np.isnan(secs)], secs[~np.isnan(secs)]
    if not len(pos):
        return empty(BEST_COLUMNS + (list(CONVERSION_COLUMNS) if "converted" in races.columns else []))
    event, indoor = values(races, compared_event(races), pos), values(races, "indoor", pos).astype(bool)
    dates = values(races, "date", pos)
    best: dict[tuple, int] = {}
    for i, key in enumerate(zip(event, indoor.tolist())):
        j = best.get(key)
        if j is None or secs[i] < secs[j] or (secs[i] == secs[j] and dates[i] < dates[j]):
            best[key] = i
    at = sorted(best.values(), key=lambda i: (_distance(event[i]), bool(indoor[i]), secs[i], dates[i], i))
    p = pos[np.array(at, dtype=np.intp)]
    out = {"event": text(races, "event", p), "indoor": indoor[at] if at else indoor[:0], "time": text(races, "time", p),
           "date": values(races, "date", p), "meet": text(races, "meet", p), "city": text(races, "city", p)}
    return pd.DataFrame({**out, **conversion(races, p)})


def profile(races: pd.DataFrame, name: str, min_meetings: int = 3, recent: int = 5) -> Profile:
    races = Table.of(races)
    pos = positions(races, "athlete", name)
    if not len(pos):
        raise EmptyResultError(f"{name} has no results in these races")
    dates = values(races, "date", pos)
    years = dates.astype("datetime64[Y]").astype("int64") + 1970
    season = int(years.max())
    order = np.lexsort((races["race_id"].to_numpy()[pos], dates))[::-1][:recent]
    return Profile(
        name=name,
        nat=_usual_team(text(races, "nat", pos)),
        events=_events(races, pos[text(races, "status", pos) != "DNS"]),
        personal_bests=_bests(races, pos),
        season=season,
        season_bests=_bests(races, pos[years == season]),
        championships=_championships(races, pos),
        record=rivals(races, name, min_meetings),
        recent=_recent(races, pos[order]),
    )


def _events(races: Table, started: np.ndarray) -> pd.DataFrame:
    """event, indoor, races: the events an athlete started, by distance, outdoor first."""
    counts: dict[tuple, int] = {}
    for key in zip(text(races, "event", started), values(races, "indoor", started).astype(bool).tolist()):
        counts[key] = counts.get(key, 0) + 1
    keys = sorted(counts, key=lambda k: (_distance(k[0]), k[1]))  # stable: first run first
    return pd.DataFrame({"event": np.array([k[0] for k in keys], dtype=object),
                         "indoor": np.array([k[1] for k in keys], dtype=bool),
                         "races": np.array([counts[k] for k in keys], dtype="int64")})


def _championships(races: Table, pos: np.ndarray) -> pd.DataFrame:
    """The athlete's championship finals, oldest first, with the medal of a place 1-3."""
    level, rounds = text(races, "level", pos), text(races, "round", pos)
    champs = pos[np.isin(level, CHAMPIONSHIP_LEVELS) & (rounds == "final")]
    champs = champs[np.argsort(values(races, "date", champs), kind="stable")]
    place = values(races, "place", champs)
    return pd.DataFrame({
        "date": values(races, "date", champs), "meet": text(races, "meet", champs),
        "city": text(races, "city", champs), "event": text(races, "event", champs), "place": ints(place),
        "time": text(races, "time", champs), **conversion(races, champs),
        "medal": np.array([MEDALS.get(int(p), "") if p == p else "" for p in place], dtype=object),
    })  # fmt: skip


def _recent(races: Table, last: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({
        "date": values(races, "date", last), "meet": text(races, "meet", last), "event": text(races, "event", last),
        "round": text(races, "round", last), "place": ints(values(races, "place", last)),
        "time": text(races, "time", last), "note": text(races, "note", last), **conversion(races, last),
    })  # fmt: skip


def _usual_team(nats: np.ndarray) -> str:
    """The team an athlete ran for most often (ties: the first in order)."""
    if not (nats != "").any():
        return ""
    found, n = np.unique(nats, return_counts=True)
    return str(found[n.argmax()])
