"""What a dataset covers: its size, its first and last race, its races year by year, and the
races whose field it holds only in part (fewer rows than their starters, or places missing)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, text, values
from miler.analysis.gaps import partial_fields


@dataclass(frozen=True)
class Coverage:
    rows: int
    races: int
    athletes: int
    meets: int  # editions: a meet in a year
    first: dict | None  # date, meet, event, round of the first race
    last: dict | None  # … and of the last
    years: pd.DataFrame  # year, races, rows, athletes
    partial: pd.DataFrame  # date, meet, event, round, field: the races held in part, as the data shows


def coverage(races: pd.DataFrame) -> Coverage:
    t = Table.of(races)
    rid = t["race_id"].to_numpy()
    by_race = np.argsort(rid, kind="stable")  # rows race by race, races in the order they were run
    starts = np.flatnonzero(np.r_[True, rid[by_race][1:] != rid[by_race][:-1]]) if len(rid) else np.zeros(0, int)
    ids = rid[by_race][starts]
    order = by_race[starts]  # each race's first row
    dates = values(t, "date", order)
    cols = {c: text(t, c, order) for c in ("meet", "event", "round")}
    years = pd.DatetimeIndex(values(t, "date")).year.to_numpy() if len(t) else np.zeros(0, dtype=int)
    athlete = text(t, "athlete")
    by_year = []
    for y in sorted(set(years.tolist())):
        at = years == y
        by_year.append((y, len(set(rid[at].tolist())), int(at.sum()), len(set(athlete[at].tolist()))))
    held = partial_fields(races, ids.tolist())
    partial = [i for i, r in enumerate(ids.tolist()) if r in held]
    meet_years = set(zip(cols["meet"].tolist(), pd.DatetimeIndex(dates).year.tolist())) if len(order) else set()

    def race(i):
        return {"date": pd.Timestamp(dates[i]), "meet": cols["meet"][i], "event": cols["event"][i], "round": cols["round"][i]}

    return Coverage(
        rows=len(t), races=len(ids), athletes=len(set(athlete.tolist())), meets=len(meet_years),
        first=race(0) if len(order) else None, last=race(len(order) - 1) if len(order) else None,
        years=pd.DataFrame(by_year, columns=["year", "races", "rows", "athletes"]),
        partial=pd.DataFrame([dict(race(i), field=held[int(ids[i])]) for i in partial],
                             columns=["date", "meet", "event", "round", "field"]),
    )
