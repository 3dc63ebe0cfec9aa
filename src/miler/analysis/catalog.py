"""What a dataset holds: its athletes and events with counts (meets are in meets.meet_table)."""

from __future__ import annotations

import pandas as pd

from miler.schema import as_text
from miler.marks import event_metres


def athletes(races: pd.DataFrame) -> pd.DataFrame:
    """One row per athlete: nat, races started, wins, first and last race, events; most races first."""
    started = races[races["status"] != "DNS"]
    g = started.groupby("athlete", sort=False)
    pairs = by_distance(started.drop_duplicates(["athlete", "event"]))
    out = pd.DataFrame(
        {
            "nat": g["nat"].last(),
            "races": g.size(),
            "wins": started["place"].eq(1).fillna(False).astype(int).groupby(started["athlete"]).sum(),
            "first": g["date"].min(),
            "last": g["date"].max(),
            "events": pairs.groupby("athlete")["event"].agg(", ".join),
        }
    )
    out.index.name = "athlete"
    return as_text(out.reset_index()).sort_values(["races", "athlete"], ascending=[False, True], kind="stable").reset_index(drop=True)


def events(races: pd.DataFrame) -> pd.DataFrame:
    """One row per event and setting: races, results (starts), athletes, first and last date."""
    started = races[races["status"] != "DNS"]
    g = started.groupby(["event", "indoor"], sort=False)
    out = g.agg(
        races=("race_id", "nunique"),
        results=("athlete", "size"),
        athletes=("athlete", "nunique"),
        first=("date", "min"),
        last=("date", "max"),
    ).reset_index()
    return by_distance(as_text(out), "indoor").reset_index(drop=True)


def by_distance(frame: pd.DataFrame, *then: str) -> pd.DataFrame:
    """frame sorted by the distance of its event, shortest first (events that are not a
    distance last), then by the columns named; each distinct event is measured once."""
    metres = {e: event_metres(e) for e in frame["event"].unique()}
    order = frame["event"].map({e: float("inf") if m is None else m for e, m in metres.items()})
    return frame.assign(_distance=order).sort_values(["_distance", *then], kind="stable").drop(columns="_distance")
