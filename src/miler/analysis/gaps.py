"""Time gaps: each finisher's gap to the winner and to the athlete ahead; two rivals over time."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.h2h import meetings
from miler.schema import as_text

RACE_GAP_COLUMNS = [
    "place", "athlete", "nat", "time", "note",
    "gap_winner", "gap_winner_pct", "gap_ahead", "gap_ahead_pct",
]  # fmt: skip


def race_gaps(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of one race in finishing order (then DNF, DQ, DNS) with gaps in s and %.

    gap_winner: seconds behind the winner (0 for the winner); gap_ahead: seconds behind the
    finisher one place ahead; percentages are of the winner's and the one ahead's time.
    """
    rows = as_text(rows)
    status_rank = rows["status"].map({"": 0, "DNF": 1, "DQ": 2, "DNS": 3})
    order = rows.assign(_st=status_rank, _pl=rows["place"].astype("float64"))
    order = order.sort_values(["_st", "_pl", "seconds", "athlete"], na_position="last", kind="stable")
    secs = order["seconds"]
    winner = secs.iloc[0] if len(secs) else np.nan
    ahead = secs.shift(1)
    out = order[["place", "athlete", "nat", "time", "note"]].copy()
    out["gap_winner"] = (secs - winner).round(2)
    out["gap_winner_pct"] = ((secs - winner) / winner * 100).round(2)
    out["gap_ahead"] = (secs - ahead).round(2)
    out["gap_ahead_pct"] = ((secs - ahead) / ahead * 100).round(2)
    return out.reset_index(drop=True)[RACE_GAP_COLUMNS]


@dataclass(frozen=True)
class PairGaps:
    athletes: tuple[str, str]
    gaps: pd.DataFrame  # date, meet, event, round, time_a, time_b, gap, gap_pct, winner
    trend_pct_per_year: float | None  # slope of gap_pct over time; negative: A gaining
    mean_gap_pct: float | None


def pair_gaps(races: pd.DataFrame, a: str, b: str, round_: str | None = None) -> PairGaps:
    """The gap between a and b (a's time minus b's) in every race both finished (in one kind of
    round: 'final', 'semi', …, where round_ says), and its trend.

    The percentage (of b's time) compares a 1500m with a 5000m; the trend is a least-squares
    line through the percentages against the date, in percentage points a year.
    """
    m = meetings(races, a, b)
    if round_:
        from miler.analysis.filters import round_matches

        m = m[round_matches(m["round"], round_)]
    m = m[m["gap"].notna()].copy()
    secs_b = m["time_b"].map(_seconds).astype("float64")
    m["gap_pct"] = (m["gap"] / secs_b * 100).round(3)
    cols = ["date", "meet", "event", "round", "time_a", "time_b", "gap", "gap_pct", "winner"]
    m = m[cols].reset_index(drop=True)
    trend = None
    if len(m) >= 3 and m["date"].nunique() >= 2:
        years = (m["date"] - m["date"].min()).dt.days.to_numpy() / 365.25
        trend = round(float(np.polyfit(years, m["gap_pct"].to_numpy(dtype=float), 1)[0]), 3)
    mean = round(float(m["gap_pct"].mean()), 3) if len(m) else None
    return PairGaps((a, b), m, trend, mean)


def _seconds(text: str) -> float:
    from miler.marks import parse_mark

    return parse_mark(text).seconds
