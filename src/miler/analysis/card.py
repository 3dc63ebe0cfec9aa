"""The head-to-head card: two athletes side by side, as World Athletics' head-to-head page
shows them: nationality, age on the day of their last meeting, personal and season bests at
the events they met in, medals at global championships, and the record.

Bests and medals are those the data holds: unless a athlete's line in athletes.csv says the
data is complete (every race they ran), a real best may be missing from it, and the card says
"in this dataset".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from miler.analysis.catalog import by_distance
from miler.analysis.h2h import HeadToHead
from miler.schema import as_text

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
    met = by_distance(as_text(m[["event", "indoor"]]).drop_duplicates(), "indoor")
    events = list(met.itertuples(index=False, name=None))
    known = athletes.set_index("athlete") if len(athletes) else None
    sides = tuple(_side(races, known, name, events, season, last, result.wins[name]) for name in result.athletes)
    return Card(sides, last, season)


def _side(races, known, name, events, season, last, wins) -> Side:
    columns = ["date", "meet", "level", "event", "indoor", "round", "place", "time", "seconds", "status", "nat"]
    rows = as_text(races.loc[races["athlete"] == name, columns])
    info = known.loc[name] if known is not None and name in known.index else None
    nat = info["nat"] if info is not None and info["nat"] else _usual(rows["nat"])
    born = info["born"] if info is not None and pd.notna(info["born"]) else None
    age = age_on(born, last) if born is not None and last is not None else None
    fin = rows[rows["seconds"].notna() & (rows["status"] == "")].sort_values(["seconds", "date"], kind="stable")
    by_event = dict(list(fin.groupby(["event", "indoor"], sort=False)))
    bests = []
    for event, indoor in events:
        mine = by_event.get((event, indoor), fin.iloc[:0])
        bests.append((event, indoor, *_best(mine), *_best(mine[mine["date"].dt.year == season])))
    medals = rows[rows["level"].isin(GLOBAL_LEVELS) & (rows["round"] == "final") & rows["place"].isin(list(MEDALS))]
    medals = medals.sort_values("date", kind="stable").assign(medal=lambda f: f["place"].map(MEDALS))
    return Side(name, nat, born, age, bool(info["complete"]) if info is not None else False,
                pd.DataFrame(bests, columns=BEST_COLUMNS), medals[MEDAL_COLUMNS].reset_index(drop=True), wins)


def _best(marks: pd.DataFrame) -> tuple:
    if marks.empty:
        return None, None, None
    top = marks.iloc[0]
    return top["time"], top["date"], top["meet"]


def _usual(nats: pd.Series) -> str:
    nats = nats[nats != ""]
    return str(nats.mode().iat[0]) if len(nats) else ""
