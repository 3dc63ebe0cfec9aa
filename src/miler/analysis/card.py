"""The head-to-head card: two athletes side by side, as World Athletics' head-to-head page
shows them: nationality, age on the day of their last meeting, personal and season bests at
the events they met in, medals at global championships, and the record.

Bests and medals are those the data holds: unless a athlete's line in athletes.csv says the
data is complete (every race they ran), a real best may be missing from it, and the card says
"in this dataset".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, ints, positions, text, values
from miler.analysis.h2h import HeadToHead
from miler.marks import event_metres

GLOBAL_LEVELS = ("olympics", "worlds", "world-indoors")
MEDALS = {1: "gold", 2: "silver", 3: "bronze"}
BEST_COLUMNS = ["event", "indoor", "pb", "pb_date", "pb_meet", "sb", "sb_date", "sb_meet"]
MEDAL_COLUMNS = ["date", "meet", "level", "event", "indoor", "place", "time", "medal"]


@dataclass(frozen=True)
class Side:
    name: str
    nat: str
    born: pd.Timestamp | None
    age: int | None  # whole years on the day of the last meeting
    complete: bool  # athletes.csv says the data holds every race they ran
    bests: pd.DataFrame  # BEST_COLUMNS, one row per event they met in
    medals: pd.DataFrame  # MEDAL_COLUMNS: finals at global championships placed 1-3, oldest first
    wins: int


@dataclass(frozen=True)
class Card:
    sides: tuple[Side, Side]
    last_meeting: pd.Timestamp | None
    season: int | None  # the year of the season bests: that of the last meeting

    @property
    def complete(self) -> bool:
        return all(s.complete for s in self.sides)


def age_on(born: pd.Timestamp, day: pd.Timestamp) -> int:
    """Whole years from born to day: an athlete born on 8 October is a year older from that day."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def card(races: pd.DataFrame, athletes: pd.DataFrame, result: HeadToHead) -> Card:
    """The card of a head-to-head: races are the results the bests and medals come from (all of
    them, not only the meetings), athletes the athletes.csv table (may be empty)."""
    m = result.meetings
    last = m["date"].iat[-1] if not m.empty else None
    season = int(last.year) if last is not None else (int(races["date"].dt.year.max()) if len(races) else None)
    pairs = list(dict.fromkeys(zip(m["event"].astype(str).tolist(), m["indoor"].astype(bool).tolist())))
    events = sorted(pairs, key=lambda e: (_distance(e[0]), e[1]))  # shortest first, outdoor before indoor
    races = Table.of(races)
    sides = tuple(_side(races, _known(athletes, name), name, events, season, last, result.wins[name])
                  for name in result.athletes)
    return Card(sides, last, season)


def _distance(event: str) -> float:
    metres = event_metres(event)
    return float("inf") if metres is None else metres


def _known(athletes: pd.DataFrame, name: str) -> dict | None:
    """The athlete's line of athletes.csv, if any."""
    if not len(athletes):
        return None
    at = np.flatnonzero((athletes["athlete"] == name).to_numpy())
    return athletes.iloc[int(at[0])].to_dict() if len(at) else None


def _side(races: Table, info: dict | None, name: str, events, season, last, wins) -> Side:
    pos = positions(races, "athlete", name)
    col = {c: values(races, c, pos) for c in ("date", "seconds", "indoor", "place")}
    txt = {c: text(races, c, pos) for c in ("meet", "level", "event", "round", "time", "status", "nat")}
    nat = info["nat"] if info is not None and info["nat"] else _usual(txt["nat"])
    born = info["born"] if info is not None and pd.notna(info["born"]) else None
    age = age_on(born, last) if born is not None and last is not None else None
    seconds = col["seconds"].astype("float64")
    finished = ~np.isnan(seconds) & (txt["status"] == "")
    fastest = np.lexsort((col["date"], seconds))  # by mark, then the earlier of equal marks
    years = pd.DatetimeIndex(col["date"]).year.to_numpy() if len(pos) else np.zeros(0, dtype=int)
    bests = []
    for event, indoor in events:
        mine = finished & (txt["event"] == event) & (col["indoor"].astype(bool) == indoor)
        bests.append((event, indoor, *_best(fastest, mine, col, txt), *_best(fastest, mine & (years == season), col, txt)))
    place = col["place"].astype("float64")
    won = np.isin(txt["level"], GLOBAL_LEVELS) & (txt["round"] == "final") & np.isin(place, list(MEDALS))
    at = np.flatnonzero(won)
    at = at[np.argsort(col["date"][at], kind="stable")]
    medals = pd.DataFrame({
        "date": pd.DatetimeIndex(col["date"][at]), "meet": txt["meet"][at], "level": txt["level"][at],
        "event": txt["event"][at], "indoor": col["indoor"][at].astype(bool), "place": ints(place[at]),
        "time": txt["time"][at], "medal": [MEDALS[int(p)] for p in place[at]],
    }, columns=MEDAL_COLUMNS)
    return Side(name, nat, born, age, bool(info["complete"]) if info is not None else False,
                pd.DataFrame(bests, columns=BEST_COLUMNS), medals, wins)


def _best(fastest: np.ndarray, mask: np.ndarray, col, txt) -> tuple:
    """(time, date, meet) of the fastest of the masked rows, or nothing."""
    top = fastest[mask[fastest]]
    if not len(top):
        return None, None, None
    i = top[0]
    return txt["time"][i], pd.Timestamp(col["date"][i]), txt["meet"][i]


def _usual(nats: np.ndarray) -> str:
    """The team an athlete ran for most often (the first of equals, by name)."""
    nats = [n for n in nats.tolist() if n]
    if not nats:
        return ""
    counts = {n: nats.count(n) for n in set(nats)}
    return min(counts, key=lambda n: (-counts[n], n))
