"""What a dataset holds: its athletes and events with counts (meets are in meets.meet_table)."""

from __future__ import annotations

import pandas as pd

from miler.load import as_text


def athletes(races: pd.DataFrame) -> pd.DataFrame:
    """One row per athlete: nat, races started, wins, first and last race, events; most races first."""
    started = races[races["status"] != "DNS"]
    g = started.groupby("athlete", sort=False)
    pairs = started.drop_duplicates(["athlete", "event"])
    pairs = pairs.assign(_order=pairs["event"].map(_orders(pairs["event"]))).sort_values("_order", kind="stable")
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
    out = as_text(out)
    out["_order"] = out["event"].map(_orders(out["event"]))
    return out.sort_values(["_order", "indoor"], kind="stable").drop(columns="_order").reset_index(drop=True)


def _orders(events: pd.Series) -> dict[str, float]:
    return {e: _event_order(e) for e in events.unique()}


def _event_order(event: str) -> float:
    from miler.marks import event_metres

    metres = event_metres(event)
    return metres if metres is not None else float("inf")
