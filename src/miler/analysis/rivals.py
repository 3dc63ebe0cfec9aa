"""Everyone an athlete has met: meetings, record and average margin, most meetings first."""

from __future__ import annotations

import pandas as pd

from miler.analysis.h2h import winner_sign
from miler.schema import as_text

RIVAL_COLUMNS = ["rival", "nat", "meetings", "wins", "losses", "ties", "avg_margin", "last"]


def rivals(races: pd.DataFrame, name: str, minimum: int = 1) -> pd.DataFrame:
    """Each athlete who started a race with name: meetings, name's wins and losses against them,
    and name's average margin in seconds where both finished (positive: name ahead on average)."""
    cols = ["race_id", "date", "place", "seconds", "status"]
    started = races[races["status"] != "DNS"]
    mine = started.loc[started["athlete"] == name, cols]
    others = started.loc[started["race_id"].isin(mine["race_id"]) & (started["athlete"] != name),
                         ["race_id", "athlete", "nat", "place", "seconds", "status"]]
    both = mine.merge(others, on="race_id", suffixes=("_a", "_b"))
    if both.empty:
        return pd.DataFrame(columns=RIVAL_COLUMNS)
    sign = winner_sign(both)
    both = both.assign(
        wins=sign > 0, losses=sign < 0, ties=sign == 0, margin=(both["seconds_b"] - both["seconds_a"])
    )
    g = both.groupby("athlete", sort=False)
    out = pd.DataFrame(
        {
            "nat": g["nat"].last(),
            "meetings": g.size(),
            "wins": g["wins"].sum(),
            "losses": g["losses"].sum(),
            "ties": g["ties"].sum(),
            "avg_margin": g["margin"].mean().round(2),
            "last": g["date"].max(),
        }
    )
    out.index.name = "rival"
    out = as_text(out.reset_index())
    out = out[out["meetings"] >= minimum]
    out[["meetings", "wins", "losses", "ties"]] = out[["meetings", "wins", "losses", "ties"]].astype("int64")
    out = out.sort_values(["meetings", "wins", "rival"], ascending=[False, False, True], kind="stable")
    return out[RIVAL_COLUMNS].reset_index(drop=True)
