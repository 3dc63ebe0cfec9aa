"""An athlete's profile: events, personal and season bests, championships, rivals, recent races."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from miler.analysis.catalog import by_distance
from miler.analysis.rivals import rivals
from miler.schema import CHAMPIONSHIP_LEVELS, as_text

BEST_COLUMNS = ["event", "indoor", "time", "date", "meet", "city"]
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}


@dataclass(frozen=True)
class Profile:
    name: str
    nat: str
    events: pd.DataFrame  # event, indoor, races
    personal_bests: pd.DataFrame  # BEST_COLUMNS (+ converted columns when converting)
    season: int  # the latest year with a race
    season_bests: pd.DataFrame  # BEST_COLUMNS for that year
    championships: pd.DataFrame  # finals at championship level: date, meet, event, place, time, medal
    record: pd.DataFrame  # rivals met at least min_meetings times
    recent: pd.DataFrame  # the last races, newest first


def _bests(rows: pd.DataFrame) -> pd.DataFrame:
    fin = rows[rows["seconds"].notna()].sort_values(["seconds", "date"], kind="stable")
    best = by_distance(fin.drop_duplicates(["event", "indoor"]), "indoor")
    extra = [c for c in ("converted", "original_time", "original_event") if c in best.columns]  # see convert.py
    return best[BEST_COLUMNS + extra].reset_index(drop=True)


def profile(races: pd.DataFrame, name: str, min_meetings: int = 3, recent: int = 5) -> Profile:
    rows = as_text(races[races["athlete"] == name])
    started = rows[rows["status"] != "DNS"]
    events = started.groupby(["event", "indoor"], sort=False).size().rename("races").reset_index()
    events = by_distance(events, "indoor")
    season = int(rows["date"].dt.year.max())
    champs = rows[rows["level"].isin(CHAMPIONSHIP_LEVELS) & (rows["round"] == "final")]
    extra = [c for c in ("converted", "original_time", "original_event") if c in rows.columns]
    champs = champs.sort_values("date", kind="stable")[["date", "meet", "city", "event", "place", "time"] + extra]
    champs = champs.copy()
    champs["medal"] = champs["place"].map(lambda p: MEDALS.get(int(p), "") if pd.notna(p) else "")
    last = rows.sort_values(["date", "race_id"], ascending=False, kind="stable").head(recent)
    return Profile(
        name=name,
        nat=str(rows["nat"].mode().iat[0]) if rows["nat"].ne("").any() else "",
        events=events.reset_index(drop=True),
        personal_bests=_bests(rows),
        season=season,
        season_bests=_bests(rows[rows["date"].dt.year == season]),
        championships=champs.reset_index(drop=True),
        record=rivals(races, name, min_meetings),
        recent=last[["date", "meet", "event", "round", "place", "time", "note"] + extra].reset_index(drop=True),
    )
