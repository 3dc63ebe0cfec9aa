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

from dataclasses import dataclass

import pandas as pd

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


def _ranks(race: pd.DataFrame) -> list[int]:
    """Finishers by place, then finishers without a place (a race that gives only some),
    then non-finishers, each of those two groups tied."""
    fin = race["status"] == ""
    place = race["place"].astype("float64")
    worst = int(place[fin].max()) if fin.any() and place[fin].notna().any() else 0
    out = []
    for f, p in zip(fin, place):
        if f and p == p:
            out.append(int(p))
        elif f:
            out.append(worst + 1)
        else:
            out.append(worst + 2)
    return out


def rate(races: pd.DataFrame) -> Ratings:
    """Rate every athlete in races, in date order; the change is over the latest season."""
    from openskill.models import PlackettLuce

    model = PlackettLuce()
    current: dict[str, object] = {}
    started = races[races["status"] != "DNS"].sort_values(["date", "race_id"], kind="stable")
    history = []
    season = int(started["date"].dt.year.max()) if not started.empty else None
    before_season: dict[str, float] = {}
    for _, race in started.groupby("race_id", sort=False):
        if len(race) < 2:
            continue
        year = int(race["date"].iat[0].year)
        names = race["athlete"].tolist()
        if year == season:
            for n in names:
                if n not in before_season and n in current:
                    before_season[n] = current[n].ordinal()
        teams = [[current.get(n) or model.rating(name=n)] for n in names]
        old = [t[0].ordinal() if n in current else None for t, n in zip(teams, names)]
        new = model.rate(teams, ranks=_ranks(race))
        for (r,), n, o, row in zip(new, names, old, race.itertuples(index=False)):
            current[n] = r
            history.append(
                (n, row.date, row.meet, row.event, row.round, row.place, row.time,
                 r.ordinal(), r.mu, r.sigma, None if o is None else r.ordinal() - o)
            )  # fmt: skip
    hist = pd.DataFrame(history, columns=["athlete"] + HISTORY_COLUMNS)
    for c in ("rating", "mu", "sigma", "change"):
        hist[c] = hist[c].astype("float64").round(2)
    table = _table(started, hist, current, before_season, season)
    return Ratings(table, hist, season)


def _table(started, hist, current, before_season, season) -> pd.DataFrame:
    if hist.empty:
        return pd.DataFrame(columns=RATING_COLUMNS)
    counts = hist.groupby("athlete").size()
    last = hist.groupby("athlete")["date"].max()
    nat = started.drop_duplicates("athlete", keep="last").set_index("athlete")["nat"]
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
