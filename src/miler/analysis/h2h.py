"""Head-to-head: every race two athletes both ran, who finished ahead, and by how much.

A meeting is a race (date, meet, event, round) in which both started: a DNS is no meeting.
A finisher beats a DNF or DQ; when both finished the better place wins (the faster time where
places are missing). The gap is A's time minus B's, so a negative gap means A was ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MEETING_COLUMNS = [
    "date", "meet", "event", "round", "level", "indoor",
    "place_a", "time_a", "place_b", "time_b", "winner", "gap",
]  # fmt: skip


@dataclass(frozen=True)
class HeadToHead:
    athletes: tuple[str, str]
    wins: dict[str, int]
    meetings: pd.DataFrame  # MEETING_COLUMNS, oldest first

    @property
    def ties(self) -> int:
        return int((self.meetings["winner"] == "").sum())


def meetings(races: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Every race that athletes a and b both started, oldest first, with winner and gap."""
    cols = ["race_id", "date", "meet", "event", "round", "level", "indoor", "place", "time", "seconds", "status"]
    ra = races.loc[races["athlete"] == a, cols]
    rb = races.loc[races["athlete"] == b, ["race_id", "place", "time", "seconds", "status"]]
    both = ra.merge(rb, on="race_id", suffixes=("_a", "_b"))
    both = both[(both["status_a"] != "DNS") & (both["status_b"] != "DNS")]
    both = both.sort_values(["date", "race_id"], kind="stable").reset_index(drop=True)
    result = _winner_sign(both)
    out = both[["date", "meet", "event", "round", "level", "indoor", "place_a", "time_a", "place_b", "time_b"]].copy()
    out["winner"] = np.select([result > 0, result < 0], [a, b], default="")
    out["gap"] = (both["seconds_a"] - both["seconds_b"]).round(2)
    return out[MEETING_COLUMNS]


def _winner_sign(both: pd.DataFrame) -> np.ndarray:
    """+1 where A finished ahead, -1 where B did, 0 for a tie or neither finishing."""
    fin_a = (both["status_a"] == "").to_numpy()
    fin_b = (both["status_b"] == "").to_numpy()
    pa = both["place_a"].astype("float64").to_numpy()
    pb = both["place_b"].astype("float64").to_numpy()
    sa = both["seconds_a"].to_numpy()
    sb = both["seconds_b"].to_numpy()
    by_place = np.sign(np.nan_to_num(pb - pa, nan=0.0))
    by_time = np.sign(np.nan_to_num(sb - sa, nan=0.0))
    both_placed = ~np.isnan(pa) & ~np.isnan(pb)
    finished_both = np.where(both_placed & (by_place != 0), by_place, by_time)
    return np.select(
        [fin_a & fin_b, fin_a & ~fin_b, ~fin_a & fin_b],
        [finished_both, 1.0, -1.0],
        default=0.0,
    ).astype(int)


def head_to_head(races: pd.DataFrame, a: str, b: str) -> HeadToHead:
    m = meetings(races, a, b)
    wins = {a: int((m["winner"] == a).sum()), b: int((m["winner"] == b).sum())}
    return HeadToHead((a, b), wins, m)
