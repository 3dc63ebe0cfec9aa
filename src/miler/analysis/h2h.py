"""Head-to-head: every race athletes both ran, who finished ahead, and by how much.

A meeting is a race (date, meet, event, round) in which both started: a DNS is no meeting.
A finisher beats a DNF or DQ; when both finished the better place wins (the faster time where
places are missing). The gap is A's time minus B's, so a negative gap means A was ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.errors import MilerError
from miler.schema import CHAMPIONSHIP_LEVELS, as_text

MEETING_COLUMNS = [
    "date", "meet", "event", "round", "level", "indoor",
    "place_a", "time_a", "place_b", "time_b", "winner", "gap",
]  # fmt: skip
SPLIT_COLUMNS = ["meetings", "wins_a", "wins_b", "ties"]


def level_group(level: str) -> str:
    """Championships, Diamond League or other: the split fans argue about."""
    if level in CHAMPIONSHIP_LEVELS:
        return "championships"
    return "diamond-league" if level == "diamond-league" else "other"


@dataclass(frozen=True)
class Margins:
    """Average and largest winning margin (seconds, positive) of each athlete."""

    average_a: float | None
    largest_a: float | None
    average_b: float | None
    largest_b: float | None


@dataclass(frozen=True)
class HeadToHead:
    athletes: tuple[str, str]
    wins: dict[str, int]
    meetings: pd.DataFrame  # MEETING_COLUMNS, oldest first
    by_event: pd.DataFrame  # index event; SPLIT_COLUMNS
    by_level: pd.DataFrame  # index championships / diamond-league / other; SPLIT_COLUMNS
    margins: Margins
    streak: tuple[str, int]  # ("", 0) when the last meeting had no winner
    ties: int

    @property
    def last(self) -> dict | None:
        return None if self.meetings.empty else self.meetings.iloc[-1].to_dict()


def meetings(races: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Every race that athletes a and b both started, oldest first, with winner and gap."""
    cols = ["race_id", "date", "meet", "event", "round", "level", "indoor", "place", "time", "seconds", "status"]
    conv = ["converted", "original_event"] if "converted" in races.columns else []  # see convert.py
    mine = ["place", "time", "seconds", "status"] + (["original_time"] if conv else [])
    ra = races.loc[races["athlete"] == a, cols + conv + mine[4:]]
    rb = races.loc[races["athlete"] == b, ["race_id"] + mine]
    both = as_text(ra.merge(rb, on="race_id", suffixes=("_a", "_b")))
    both = both[(both["status_a"] != "DNS") & (both["status_b"] != "DNS")]
    both = both.sort_values(["date", "race_id"], kind="stable").reset_index(drop=True)
    result = winner_sign(both)
    out = both[["date", "meet", "event", "round", "level", "indoor", "place_a", "time_a", "place_b", "time_b"]].copy()
    out["winner"] = np.select([result > 0, result < 0], [a, b], default="")
    out["gap"] = (both["seconds_a"] - both["seconds_b"]).round(2)
    extra = conv + (["original_time_a", "original_time_b"] if conv else [])
    for c in extra:
        out[c] = both[c]
    return out[MEETING_COLUMNS + extra]


def winner_sign(both: pd.DataFrame) -> np.ndarray:
    """+1 where A finished ahead, -1 where B did, 0 for a tie or neither finishing.

    Expects columns status_a/_b, place_a/_b, seconds_a/_b.
    """
    fin_a = (both["status_a"] == "").to_numpy()
    fin_b = (both["status_b"] == "").to_numpy()
    pa = both["place_a"].astype("float64").to_numpy()
    pb = both["place_b"].astype("float64").to_numpy()
    sa = both["seconds_a"].to_numpy(dtype="float64")
    sb = both["seconds_b"].to_numpy(dtype="float64")
    by_place = np.sign(np.nan_to_num(pb - pa, nan=0.0))
    by_time = np.sign(np.nan_to_num(sb - sa, nan=0.0))
    both_placed = ~np.isnan(pa) & ~np.isnan(pb)
    finished_both = np.where(both_placed & (by_place != 0), by_place, by_time)
    return np.select(
        [fin_a & fin_b, fin_a & ~fin_b, ~fin_a & fin_b],
        [finished_both, 1.0, -1.0],
        default=0.0,
    ).astype(int)


def splits(m: pd.DataFrame, a: str, b: str, by: pd.Series) -> pd.DataFrame:
    """The record split by a key (event, level group): meetings, wins each, ties."""
    frame = pd.DataFrame(
        {
            "key": by.to_numpy(),
            "wins_a": (m["winner"] == a).to_numpy(),
            "wins_b": (m["winner"] == b).to_numpy(),
            "ties": (m["winner"] == "").to_numpy(),
        }
    )
    out = frame.groupby("key", sort=True).agg(
        meetings=("wins_a", "size"), wins_a=("wins_a", "sum"), wins_b=("wins_b", "sum"), ties=("ties", "sum")
    )
    out.index.name = None
    return out.astype("int64")[SPLIT_COLUMNS]


def margins(m: pd.DataFrame, a: str, b: str) -> Margins:
    won_a = -m.loc[(m["winner"] == a), "gap"].dropna()
    won_b = m.loc[(m["winner"] == b), "gap"].dropna()

    def avg(s):
        return None if s.empty else round(float(s.mean()), 2)

    def top(s):
        return None if s.empty else round(float(s.max()), 2)

    return Margins(avg(won_a), top(won_a), avg(won_b), top(won_b))


def streak(m: pd.DataFrame) -> tuple[str, int]:
    """Who won the most recent meetings in a row, and how many."""
    winners = m["winner"].tolist()
    if not winners or winners[-1] == "":
        return "", 0
    last, n = winners[-1], 0
    for w in reversed(winners):
        if w != last:
            break
        n += 1
    return last, n


def head_to_head(races: pd.DataFrame, a: str, b: str) -> HeadToHead:
    m = meetings(races, a, b)
    wins = {a: int((m["winner"] == a).sum()), b: int((m["winner"] == b).sum())}
    return HeadToHead(
        athletes=(a, b),
        wins=wins,
        meetings=m,
        by_event=splits(m, a, b, m["event"]),
        by_level=splits(m, a, b, m["level"].map(level_group)),
        margins=margins(m, a, b),
        streak=streak(m),
        ties=int((m["winner"] == "").sum()),
    )


# --- three or more -----------------------------------------------------------------------


MAX_GROUP = 300  # athletes in one group head-to-head: its matrix has MAX_GROUP² cells


@dataclass(frozen=True)
class Group:
    athletes: tuple[str, ...]
    matrix: pd.DataFrame  # wins of row athlete over column athlete (NA on the diagonal)
    wins: dict[str, int]  # total wins over the others
    meetings: pd.DataFrame  # races with at least two of them, one row per race


def group(races: pd.DataFrame, names: list[str]) -> Group:
    """Records among three or more athletes: a matrix, and every race at least two of them ran.

    One pass over the races, however many athletes: each race pairs the athletes of the group
    who started it (k of them, k * (k - 1) pairs), so the work grows with races x athletes,
    never with the number of pairs of the group."""
    names = list(names)
    if len(names) > MAX_GROUP:
        raise MilerError(f"a head-to-head compares at most {MAX_GROUP} athletes at once, not {len(names):,}: "
                         f"name fewer")
    rows = as_text(races.loc[races["athlete"].isin(names) & (races["status"] != "DNS"),
                             ["race_id", "athlete", "place", "seconds", "status"]])
    pairs = rows.merge(rows, on="race_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["athlete_a"] != pairs["athlete_b"]]
    won = pairs[winner_sign(pairs) > 0]
    counts = (
        won.groupby(["athlete_a", "athlete_b"]).size().unstack(fill_value=0)
        .reindex(index=names, columns=names, fill_value=0)
    )  # fmt: skip
    matrix = pd.DataFrame(counts.to_numpy(dtype="int64"), index=names, columns=names).astype("Int64")
    matrix = matrix.mask(np.eye(len(names), dtype=bool))
    wins = {n: int(matrix.loc[n].sum(skipna=True)) for n in names}
    return Group(tuple(names), matrix, wins, group_meetings(races, names))


def group_meetings(races: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One row per race with two or more of names started: each one's place and time, the best
    placed of them (winner) and their margin in seconds over the next of them (gap)."""
    rows = as_text(races[races["athlete"].isin(names) & (races["status"] != "DNS")])
    counts = rows.groupby("race_id")["athlete"].transform("size")
    rows = rows[counts >= 2]
    base = (
        rows.drop_duplicates("race_id")[["race_id", "date", "meet", "event", "round", "level"]]
        .set_index("race_id")
        .sort_values(["date"], kind="stable")
    )
    # the best of them: finishers first by place then time
    ranked = rows.assign(_fin=rows["status"] != "", _pl=rows["place"].astype("float64")).sort_values(
        ["race_id", "_fin", "_pl", "seconds"], na_position="last", kind="stable"
    )
    first = ranked.groupby("race_id").nth(0).set_index("race_id")
    second = ranked.groupby("race_id").nth(1).set_index("race_id")
    base["winner"] = first["athlete"].where(first["status"] == "", "")
    base["gap"] = (second["seconds"] - first["seconds"]).round(2)  # the winner's margin over the next
    # each athlete's place and time: one pass over the rows, not one per athlete
    by_athlete = {n: mine.set_index("race_id") for n, mine in rows.groupby("athlete", sort=False)}
    empty = rows.iloc[:0].set_index("race_id")
    columns = {}
    for n in names:
        mine = by_athlete.get(n, empty)
        columns[f"place:{n}"] = mine["place"].reindex(base.index)
        columns[f"time:{n}"] = mine["time"].reindex(base.index)
    base = pd.concat([base, pd.DataFrame(columns, index=base.index)], axis=1)
    return base.reset_index(drop=True)
