"""Time gaps: each finisher's gap to the winner and to the athlete ahead; two rivals over time.

Every gap is a time minus another: to the winner, the athlete's time minus the winner's; between
two rivals, the first one's time minus the second's (negative: the first ahead).

A race's rows may be part of its field only (a source that prints the top eight, an export of two
athletes' rows). A gap is given only where both its marks are in the data: no "to winner" when
the winner is not, no "to ahead" when the one ahead is not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, ints, text, values
from miler.analysis.h2h import _meeting_rows, _meetings

RACE_GAP_COLUMNS = [
    "place", "athlete", "nat", "time", "note",
    "gap_winner", "gap_winner_pct", "gap_ahead", "gap_ahead_pct",
]  # fmt: skip
STATUS_ORDER = {"": 0, "DNF": 1, "DQ": 2, "DNS": 3}
TREND_RACES = 3  # a trend needs this many races both finished
TREND_SEASONS = 2  # over this many seasons (calendar years)


def race_gaps(rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of one race in finishing order (then DNF, DQ, DNS) with gaps in s and %.

    gap_winner: seconds behind the winner (0 for the winner); gap_ahead: seconds behind the
    finisher one place ahead; percentages are of the winner's and the one ahead's time. Each
    is left empty where the winner, or the one ahead, is not in the rows."""
    return gaps_of(rows, np.arange(len(rows)))[0]


def field_note(rows: pd.DataFrame) -> str | None:
    """'partial field (2 of 12)' for a race whose rows are fewer than its starters, or
    'partial field: places 1, 2 and 5 only' where the starters are unknown and places are
    missing; None for a race whose rows look complete."""
    return gaps_of(rows, np.arange(len(rows)))[1]


def gaps_of(races: pd.DataFrame, pos: np.ndarray) -> tuple[pd.DataFrame, str | None]:
    """race_gaps and field_note of the race whose rows are at the positions pos of races."""
    return gaps_of_races(races, [pos])[0]


def gaps_of_races(races: pd.DataFrame, races_at: list[np.ndarray]) -> list[tuple[pd.DataFrame, str | None]]:
    """gaps_of of several races (each the positions of its rows), reading each column once."""
    races = Table.of(races)
    pos = np.concatenate(races_at) if races_at else np.array([], dtype=np.intp)
    cols = {c: text(races, c, pos) for c in ("status", "athlete", "nat", "time", "note")}
    cols["place"] = values(races, "place", pos).astype("float64")
    cols["seconds"] = values(races, "seconds", pos).astype("float64")
    cols["starters"] = (values(races, "starters", pos).astype("float64") if "starters" in races.columns
                        else np.full(len(pos), np.nan))
    out, start = [], 0
    for at in races_at:
        rows = slice(start, start + len(at))
        out.append(_gaps({c: v[rows] for c, v in cols.items()}))
        start += len(at)
    return out


def _gaps(cols: dict[str, np.ndarray]) -> tuple[pd.DataFrame, str | None]:
    status, place, secs, athlete = cols["status"], cols["place"], cols["seconds"], cols["athlete"]
    order = np.lexsort((athlete, np.nan_to_num(secs, nan=np.inf), np.nan_to_num(place, nan=np.inf),
                        [STATUS_ORDER.get(s, 3) for s in status]))
    status, place, secs, athlete = status[order], place[order], secs[order], athlete[order]
    finished = status == ""
    placed = finished & ~np.isnan(place)
    places = place[placed]
    note = _partial(cols["starters"][:1], status, places)

    winner = secs[0] if len(secs) else np.nan
    if placed.any() and places.min() != 1:
        winner = np.nan  # the winner is not in the data
    ahead = np.r_[np.nan, secs[:-1]]
    if placed.any():
        # the one ahead is in the data where the places before this one are all accounted for
        prev_place = np.r_[np.nan, place[:-1]]
        count = {p: int(n) for p, n in zip(*np.unique(places, return_counts=True))}
        known = (prev_place == place) | (prev_place + np.array([count.get(p, 0) for p in prev_place]) == place)
        ahead = np.where(~placed | known, ahead, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = pd.DataFrame({
            "place": ints(place), "athlete": athlete, "nat": cols["nat"][order], "time": cols["time"][order],
            "note": cols["note"][order],
            "gap_winner": np.round(secs - winner, 2), "gap_winner_pct": np.round((secs - winner) / winner * 100, 2),
            "gap_ahead": np.round(secs - ahead, 2), "gap_ahead_pct": np.round((secs - ahead) / ahead * 100, 2),
        })  # fmt: skip
    return out, note


def partial_fields(races: pd.DataFrame, race_ids) -> dict[int, str]:
    """{race id: field note} of the races among race_ids that the data holds in part, each
    judged on all its rows in races (as field_note would): which races are whole is worked out
    on arrays for all of them at once, and a note is written only for the others."""
    t = Table.of(races)
    rid = values(t, "race_id")
    at = np.flatnonzero(np.isin(rid, np.asarray(list(race_ids))))
    by = at[np.argsort(rid[at], kind="stable")]  # race by race, each race's rows in file order
    ids = rid[by]
    if not len(ids):
        return {}
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
    status = text(t, "status", by)
    ran = np.add.reduceat((status != "DNS").astype(np.int64), starts)
    starters = (values(t, "starters", by[starts]).astype("float64") if "starters" in t.columns
                else np.full(len(starts), np.nan))
    with np.errstate(invalid="ignore"):
        short = ran < starters
    partial = short | _places_missing(starts, status, values(t, "place", by).astype("float64"))
    races_at = np.split(by, starts[1:])
    held = np.flatnonzero(partial)
    notes = gaps_of_races(races, [races_at[i] for i in held])
    return {int(ids[starts[i]]): note for i, (_, note) in zip(held, notes) if note}


def _places_missing(starts: np.ndarray, status: np.ndarray, place: np.ndarray) -> np.ndarray:
    """For each race (its rows from starts on), whether the places of its finishers leave a gap:
    they must run 1, 2, 3, … with a tie repeating a place and the next skipping as many."""
    race = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(status)]))
    placed = (status == "") & ~np.isnan(place)
    r, p = race[placed], place[placed]
    order = np.lexsort((p, r))
    r, p = r[order], p[order]
    first = np.r_[True, r[1:] != r[:-1]] if len(r) else np.zeros(0, dtype=bool)
    group = np.flatnonzero(first)
    i = np.arange(len(r)) - np.repeat(group, np.diff(np.r_[group, len(r)]))  # index within its race
    previous = np.r_[np.nan, p[:-1]]
    ok = np.where(first, p == 1, (p == previous) | (p == i + 1))
    missing = np.zeros(len(starts), dtype=bool)
    missing[r[~ok]] = True
    return missing


def _partial(starters: np.ndarray, status: np.ndarray, places: np.ndarray) -> str | None:
    ran = int((status != "DNS").sum())
    if len(starters) and starters[0] == starters[0] and ran < starters[0]:
        return f"partial field ({ran} of {int(starters[0])})"
    if not len(places):
        return None
    p = np.sort(places).astype(int)
    complete = p[0] == 1 and all(p[i] == p[i - 1] or p[i] == i + 1 for i in range(1, len(p)))
    return None if complete else f"partial field: {_places(sorted(set(p.tolist())))} only"


def _places(places: list[int]) -> str:
    """'places 1, 2 and 5', 'places 2–9 and 12', 'place 4'."""
    runs: list[list[int]] = []
    for p in places:
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    words = ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
    return ("place " if len(places) == 1 else "places ") + words


@dataclass(frozen=True)
class PairGaps:
    athletes: tuple[str, str]
    gaps: pd.DataFrame  # date, meet, event, round, time_a, time_b, gap, gap_pct, winner
    trend_pct_per_year: float | None  # slope of gap_pct over time; negative: A gaining
    mean_gap_pct: float | None
    trend_missing: str | None = None  # why there is no trend, where there is none


def pair_gaps(races: pd.DataFrame, a: str, b: str, round_: str | None = None) -> PairGaps:
    """The gap between a and b (a's time minus b's) in every race both finished (in one kind of
    round: 'final', 'semi', …, where round_ says), and its trend.

    The percentage (of b's time) compares a 1500m with a 5000m; the trend is a least-squares
    line through the percentages against the date, in percentage points a year, given only over
    at least TREND_RACES races in TREND_SEASONS seasons or more (trend_missing says why not).
    """
    races = Table.of(races)
    m = _meetings(races, a, b)
    _, pb = _meeting_rows(races, a, b)
    secs_b = values(races, "seconds", pb).astype("float64")
    keep = ~np.isnan(m["gap"])
    if round_:
        from miler.analysis.filters import round_matches

        keep &= round_matches(pd.Series(m["round"], dtype=object), round_).to_numpy()
    cols = ["date", "meet", "event", "round", "time_a", "time_b", "gap"]
    out = {c: m[c][keep] for c in cols}
    out["gap_pct"] = np.round(out["gap"] / secs_b[keep] * 100, 3)
    out["winner"] = m["winner"][keep]
    gaps = pd.DataFrame(out)
    trend, missing = None, None
    years = _years(out["date"])
    if len(years) and len(years) < TREND_RACES:
        missing = (f"no trend: {len(years)} race{'s' if len(years) != 1 else ''} both finished; a trend needs "
                   f"{TREND_RACES} or more")
    elif len(years) and len(set(years.tolist())) < TREND_SEASONS:
        missing = (f"no trend: every race is of one season ({years[0]}); a trend needs races of "
                   f"{TREND_SEASONS} seasons or more")
    elif len(years):
        span = (out["date"] - out["date"].min()).astype("timedelta64[D]").astype("int64") / 365.25
        trend = round(float(np.polyfit(span, out["gap_pct"].astype(float), 1)[0]), 3)
    mean = round(float(out["gap_pct"].mean()), 3) if len(years) else None
    return PairGaps((a, b), gaps, trend, mean, missing)


def _years(dates: np.ndarray) -> np.ndarray:
    return dates.astype("datetime64[Y]").astype("int64") + 1970
