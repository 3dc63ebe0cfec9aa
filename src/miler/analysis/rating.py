"""Ratings of every athlete from finishing orders, race by race in date order.

The method is Weng–Lin Bayesian rating with the Plackett–Luce model, as implemented by the
openskill library (Weng & Lin, "A Bayesian Approximation Method for Online Ranking", JMLR 2011).
It was chosen because a race is a finishing order of many runners at once, not a set of
duels: Plackett–Luce rates the whole field from one race in one update, where pairwise Elo
would count a 14-runner final as 91 separate games. Each rating carries its uncertainty
(sigma), so one lucky race does not put a newcomer at the top: the table ranks by the
conservative rating mu − 3·sigma ("ordinal").

Parameters: openskill's defaults (mu 25, sigma 25/3, beta 25/6, tau 25/300). Finishers are
ranked by place (equal places tie); DNF and DQ rank behind every finisher, tied with each other;
DNS is not a start and is left out. Races with fewer than two starters teach nothing and are skipped.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, text, values

RATING_COLUMNS = ["athlete", "nat", "rating", "mu", "sigma", "races", "change", "last"]
HISTORY_COLUMNS = ["date", "meet", "event", "round", "place", "time", "rating", "mu", "sigma", "change"]


@dataclass(frozen=True)
class Ratings:
    table: pd.DataFrame  # RATING_COLUMNS, best first
    history: pd.DataFrame  # athlete + HISTORY_COLUMNS, one row per athlete per race, in date order
    season: int | None  # the latest season in the data; change is over it

    def of(self, athlete: str) -> pd.DataFrame:
        """One athlete's rating race by race (HISTORY_COLUMNS), in date order."""
        rows = self.history[self.history["athlete"] == athlete]
        return rows.drop(columns="athlete").reset_index(drop=True)


def _ranks(status: np.ndarray, place: np.ndarray) -> list[int]:
    """Finishers by place, then finishers without a place (a race that gives only some),
    then non-finishers, each of those two groups tied."""
    fin = status == ""
    placed = fin & ~np.isnan(place)
    worst = int(place[placed].max()) if placed.any() else 0
    return np.where(placed, np.nan_to_num(place, nan=0.0), np.where(fin, worst + 1, worst + 2)).astype(int).tolist()


@dataclass(frozen=True)
class Step:
    """One race of a replay: its rows (positions in the frame, in the replay's order, from lo
    to hi of Replay.started), athletes, ranks, and the ratings before and after it (before is
    None for an athlete's first rated race; a copy, never the rating later updated)."""

    lo: int
    hi: int
    names: list[str]
    ranks: list[int]
    before: list
    after: list


class Replay:
    """Every race of a frame with two or more starters (DNS left out), in date order, rated one
    after the other: ``started`` holds the positions of the rows in that order, and iterating
    gives a Step per race."""

    def __init__(self, races: pd.DataFrame, model=None) -> None:
        from openskill.models import PlackettLuce

        self.races = Table.of(races)
        self.model = model or PlackettLuce()
        started = np.flatnonzero(values(self.races, "status") != "DNS")
        rid = self.races["race_id"].to_numpy()[started]
        dates = values(self.races, "date", started)
        order = np.lexsort((rid, dates))
        self.started, self.rid, self.dates = started[order], rid[order], dates[order]
        self.athletes = text(self.races, "athlete", self.started)
        self.status = text(self.races, "status", self.started)
        self.place = values(self.races, "place", self.started).astype("float64")

    def __iter__(self):
        model, current, rid = self.model, {}, self.rid
        # the races in date order, each a run of rows (a race's rows are together once sorted)
        bounds = np.flatnonzero(np.r_[True, rid[1:] != rid[:-1], True]) if len(rid) else np.array([0])
        for lo, hi in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
            if hi - lo < 2:
                continue
            names = self.athletes[lo:hi].tolist()
            # copies: some openskill versions update the ratings they are given in place
            before = [model.rating(mu=current[n].mu, sigma=current[n].sigma, name=n) if n in current else None
                      for n in names]
            ranks = _ranks(self.status[lo:hi], self.place[lo:hi])
            teams = [[current.get(n) or model.rating(name=n)] for n in names]
            after = [r for (r,) in model.rate(teams, ranks=ranks)]
            current.update(zip(names, after))
            yield Step(lo, hi, names, ranks, before, after)


# The ratings of frames already rated in this process, while the frame lives: a program that asks
# several questions of one dataset (rank, then a history, then odds) rates its races once.
_RATED: dict[int, tuple[weakref.ref, Ratings]] = {}


def rate(races: pd.DataFrame) -> Ratings:
    """Rate every athlete in races, in date order; the change is over the latest season.
    (The answer for a frame is kept while that frame lives: frames are never changed in place.)"""
    key = id(races)
    hit = _RATED.get(key)
    if hit is not None and hit[0]() is races:
        return hit[1]
    ratings = _rate(races)
    try:
        _RATED[key] = (weakref.ref(races, lambda _, key=key: _RATED.pop(key, None)), ratings)
    except TypeError:  # a table that cannot be referred to weakly: not kept
        pass
    return ratings


def _rate(races: pd.DataFrame) -> Ratings:
    replay = Replay(races)
    races, started, dates, place = replay.races, replay.started, replay.dates, replay.place
    cols = {c: text(races, c, started) for c in ("meet", "event", "round", "time")}
    years = dates.astype("datetime64[Y]").astype("int64") + 1970
    season = int(years.max()) if len(started) else None
    current: dict[str, object] = {}
    before_season: dict[str, float] = {}
    history = []
    for step in replay:
        lo, hi = step.lo, step.hi
        date = pd.Timestamp(dates[lo])
        meet, event, rnd = cols["meet"][lo], cols["event"][lo], cols["round"][lo]
        for n, b, r, p, t in zip(step.names, step.before, step.after, place[lo:hi].tolist(),
                                 cols["time"][lo:hi].tolist()):
            if years[lo] == season and b is not None and n not in before_season:
                before_season[n] = b.ordinal()
            current[n] = r
            ordinal = r.ordinal()
            history.append((n, date, meet, event, rnd, None if p != p else int(p), t, ordinal, r.mu, r.sigma,
                            None if b is None else ordinal - b.ordinal()))
    hist = pd.DataFrame(history, columns=["athlete"] + HISTORY_COLUMNS)
    hist["place"] = hist["place"].astype("Int64")
    for c in ("rating", "mu", "sigma", "change"):
        hist[c] = hist[c].astype("float64").round(2)
    nat = dict(zip(replay.athletes.tolist(), text(races, "nat", started).tolist()))
    table = _table(hist, current, before_season, season, nat)
    return Ratings(table, hist, season)


def _table(hist, current, before_season, season, nat) -> pd.DataFrame:
    if hist.empty:
        return pd.DataFrame(columns=RATING_COLUMNS)
    counts: dict[str, int] = {}
    last: dict[str, pd.Timestamp] = {}
    for n, d in zip(hist["athlete"].tolist(), hist["date"].tolist()):
        counts[n] = counts.get(n, 0) + 1
        last[n] = d if n not in last or d > last[n] else last[n]
    rows = []
    for name, r in current.items():
        rating = r.ordinal()
        if name in before_season:
            change = rating - before_season[name]
        elif season is not None and last[name].year < season:
            change = 0.0  # did not race this season
        else:
            change = None  # first rated this season
        rows.append((name, nat.get(name, ""), rating, r.mu, r.sigma, int(counts[name]), change, last[name]))
    table = pd.DataFrame(rows, columns=RATING_COLUMNS)
    for c in ("rating", "mu", "sigma", "change"):
        table[c] = table[c].astype("float64").round(2)
    return table.sort_values(["rating", "athlete"], ascending=[False, True], kind="stable").reset_index(drop=True)
