"""Head-to-head: every race athletes both ran, who finished ahead, and by how much.

A meeting is a race (date, meet, event, round) in which both started: a DNS is no meeting.
A finisher beats a DNF or DQ; when both finished the better place wins (the faster time where
places are missing). The gap is A's time minus B's, so a negative gap means A was ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, ints, positions, positions_in, text, values
from miler.errors import MilerError
from miler.schema import CHAMPIONSHIP_LEVELS

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


def _meeting_rows(races: pd.DataFrame, a: str, b: str) -> tuple[np.ndarray, np.ndarray]:
    """The positions of a's and of b's rows in the races both started, oldest first."""
    races = Table.of(races)
    pa, pb = positions(races, "athlete", a), positions(races, "athlete", b)
    if not len(pa) or not len(pb):
        return pa[:0], pb[:0]
    rid = races["race_id"].to_numpy()
    _, ia, ib = np.intersect1d(rid[pa], rid[pb], return_indices=True)
    pa, pb = pa[ia], pb[ib]
    keep = (values(races, "status", pa) != "DNS") & (values(races, "status", pb) != "DNS")
    pa, pb = pa[keep], pb[keep]
    order = np.lexsort((rid[pa], values(races, "date", pa)))
    return pa[order], pb[order]


def _marks(races: pd.DataFrame, pos: np.ndarray) -> dict[str, np.ndarray]:
    """What winner_sign needs of some rows: status, place (float), seconds."""
    return {"status": text(races, "status", pos), "place": values(races, "place", pos),
            "seconds": values(races, "seconds", pos).astype("float64")}


def _meetings(races: pd.DataFrame, a: str, b: str) -> dict[str, np.ndarray]:
    """meetings() as columns of arrays (what the record is counted from)."""
    races = Table.of(races)
    pa, pb = _meeting_rows(races, a, b)
    ma, mb = _marks(races, pa), _marks(races, pb)
    sign = winner_sign(ma["status"], mb["status"], ma["place"], mb["place"], ma["seconds"], mb["seconds"])
    cols = {c: text(races, c, pa) for c in ("meet", "event", "round", "level")}
    cols = {"date": values(races, "date", pa), **cols, "indoor": values(races, "indoor", pa).astype(bool),
            "place_a": ints(ma["place"]), "time_a": text(races, "time", pa),
            "place_b": ints(mb["place"]), "time_b": text(races, "time", pb),
            "winner": np.where(sign > 0, a, np.where(sign < 0, b, "")).astype(object),
            "gap": np.round(ma["seconds"] - mb["seconds"], 2)}
    if "converted" in races.columns:  # see convert.py: which marks are estimates, and of what
        ca, cb = values(races, "converted", pa).astype(bool), values(races, "converted", pb).astype(bool)
        cols["as_event"] = text(races, "as_event", pa)
        cols["converted"] = ca | cb
        cols["original_event"] = np.where(ca | cb, cols["event"], "").astype(object)
        cols["original_time_a"] = text(races, "original_time", pa)
        cols["original_time_b"] = text(races, "original_time", pb)
    return cols


def meetings(races: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    """Every race that athletes a and b both started, oldest first, with winner and gap.

    With converted marks (convert.with_conversion) the meetings also say what the marks are
    compared as (as_event), whether they were converted, and each one's original time."""
    return pd.DataFrame(_meetings(races, a, b))


def winner_sign(status_a, status_b, place_a, place_b, seconds_a, seconds_b) -> np.ndarray:
    """+1 where A finished ahead, -1 where B did, 0 for a tie or neither finishing.

    Arrays of the same length: statuses ('' for a finisher), places (float, NaN where none)
    and seconds."""
    fin_a, fin_b = np.asarray(status_a) == "", np.asarray(status_b) == ""
    pa, pb = np.asarray(place_a, dtype="float64"), np.asarray(place_b, dtype="float64")
    sa, sb = np.asarray(seconds_a, dtype="float64"), np.asarray(seconds_b, dtype="float64")
    by_place = np.sign(np.nan_to_num(pb - pa, nan=0.0))
    by_time = np.sign(np.nan_to_num(sb - sa, nan=0.0))
    both_placed = ~np.isnan(pa) & ~np.isnan(pb)
    finished_both = np.where(both_placed & (by_place != 0), by_place, by_time)
    return np.select(
        [fin_a & fin_b, fin_a & ~fin_b, ~fin_a & fin_b],
        [finished_both, 1.0, -1.0],
        default=0.0,
    ).astype(int)


def splits(winners: np.ndarray, a: str, b: str, keys) -> pd.DataFrame:
    """The record split by a key (event, level group): meetings, wins each, ties; keys sorted."""
    counts: dict[str, list[int]] = {}
    for key, w in zip(keys, winners):
        c = counts.setdefault(key, [0, 0, 0, 0])
        c[0] += 1
        c[1 if w == a else 2 if w == b else 3] += 1
    order = sorted(counts)
    table = np.array([counts[k] for k in order], dtype="int64").reshape(len(order), 4)
    return pd.DataFrame(table, index=pd.Index(order, dtype=object if not order else None), columns=SPLIT_COLUMNS)


def margins(winners: np.ndarray, gaps: np.ndarray, a: str, b: str) -> Margins:
    """Each athlete's winning margins (positive seconds) where both finished."""
    gaps = np.asarray(gaps, dtype="float64")
    won_a = -gaps[(winners == a) & ~np.isnan(gaps)]
    won_b = gaps[(winners == b) & ~np.isnan(gaps)]

    def avg(x):
        return None if not len(x) else round(float(x.mean()), 2)

    def top(x):
        return None if not len(x) else round(float(x.max()), 2)

    return Margins(avg(won_a), top(won_a), avg(won_b), top(won_b))


def streak(winners) -> tuple[str, int]:
    """Who won the most recent meetings in a row, and how many."""
    winners = list(winners)
    if not winners or winners[-1] == "":
        return "", 0
    last, n = winners[-1], 0
    for w in reversed(winners):
        if w != last:
            break
        n += 1
    return last, n


def head_to_head(races: pd.DataFrame, a: str, b: str) -> HeadToHead:
    cols = _meetings(races, a, b)
    w = cols["winner"]
    return HeadToHead(
        athletes=(a, b),
        wins={a: int((w == a).sum()), b: int((w == b).sum())},
        meetings=pd.DataFrame(cols),
        by_event=splits(w, a, b, cols["event"]),
        by_level=splits(w, a, b, [level_group(lv) for lv in cols["level"]]),
        margins=margins(w, cols["gap"], a, b),
        streak=streak(w),
        ties=int((w == "").sum()),
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
    races = Table.of(races)
    pos = positions_in(races, "athlete", names)
    pos = pos[values(races, "status", pos) != "DNS"]
    index = {n: i for i, n in enumerate(names)}
    who = np.array([index[n] for n in text(races, "athlete", pos).tolist()], dtype=np.intp)
    rid, m = races["race_id"].to_numpy()[pos], _marks(races, pos)
    a, b = _pairs_within(rid)
    sign = winner_sign(m["status"][a], m["status"][b], m["place"][a], m["place"][b], m["seconds"][a], m["seconds"][b])
    counts = np.zeros((len(names), len(names)), dtype="int64")
    np.add.at(counts, (who[a][sign > 0], who[b][sign > 0]), 1)
    matrix = pd.DataFrame({n: pd.arrays.IntegerArray(counts[:, j], np.arange(len(names)) == j)
                           for j, n in enumerate(names)}, index=names)
    wins = {n: int(counts[i].sum()) for i, n in enumerate(names)}
    return Group(tuple(names), matrix, wins, group_meetings(races, names))


def _pairs_within(rid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every ordered pair (i, j), i != j, of positions that share a race id: the rows of each
    race paired with each other, without a pass per pair of athletes."""
    order = np.argsort(rid, kind="stable")
    r = rid[order]
    starts = np.flatnonzero(np.r_[True, r[1:] != r[:-1]]) if len(r) else np.zeros(0, dtype=np.intp)
    sizes = np.diff(np.r_[starts, len(r)])
    size_of = np.repeat(sizes, sizes)  # each sorted row: the size of its race
    first = np.repeat(starts, sizes)  # each sorted row: where its race starts
    a = np.repeat(np.arange(len(r)), size_of)
    b = np.repeat(first, size_of) + (np.arange(len(a)) - np.repeat(np.cumsum(size_of) - size_of, size_of))
    keep = a != b
    return order[a[keep]], order[b[keep]]


def group_meetings(races: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """One row per race with two or more of names started: each one's place and time, the best
    placed of them (winner) and the winner's time minus the next of them's (gap: negative, the
    winner ahead; unknown when the next did not finish). With converted marks, each one's
    original time too (original_time:NAME), and whether the race's marks were converted, from
    what event (converted, original_event)."""
    races = Table.of(races)
    pos = positions_in(races, "athlete", names)
    pos = pos[values(races, "status", pos) != "DNS"]
    rid = races["race_id"].to_numpy()[pos]
    ids, counts = np.unique(rid, return_counts=True)
    pos = pos[np.isin(rid, ids[counts >= 2])]
    rid = races["race_id"].to_numpy()[pos]
    who = text(races, "athlete", pos)
    m = _marks(races, pos)
    first, second = _best_two(rid, m, values(races, "date", pos))
    at = pos[first]
    out = {"date": values(races, "date", at), **{c: text(races, c, at) for c in ("meet", "event", "round", "level")}}
    out["winner"] = np.where(m["status"][first] != "", "", who[first]).astype(object)
    out["gap"] = np.round(m["seconds"][first] - m["seconds"][second], 2)
    row_of = {r: k for k, r in enumerate(rid[first].tolist())}
    row = np.array([row_of.get(r, -1) for r in rid.tolist()], dtype=np.intp)  # each position's meeting
    converting = "converted" in races.columns
    columns = {"place": values(races, "place", pos), "time": values(races, "time", pos)}
    if converting:
        columns["original_time"] = text(races, "original_time", pos)
    for n in names:
        mine = np.flatnonzero((who == n) & (row >= 0))
        for c, column in columns.items():
            cells = np.full(len(first), np.nan if c == "place" else None, dtype="float64" if c == "place" else object)
            cells[row[mine]] = column[mine]
            out[f"{c}:{n}"] = ints(cells) if c == "place" else cells
    if converting:  # which races' marks are estimates, and what was run (see convert.py)
        converted = np.zeros(len(first), dtype=bool)
        converted[row[values(races, "converted", pos).astype(bool) & (row >= 0)]] = True
        out["converted"] = converted
        out["original_event"] = np.where(converted, out["event"], "").astype(object)
    return pd.DataFrame(out)


def _best_two(rid: np.ndarray, m: dict[str, np.ndarray], dates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of each race's best two of them (finishers first, by place, then by time),
    the races in date order."""
    unfinished = m["status"] != ""
    rank = np.lexsort((np.nan_to_num(m["seconds"], nan=np.inf), np.nan_to_num(m["place"], nan=np.inf),
                       unfinished, rid))
    ranked = rid[rank]
    starts = np.r_[True, ranked[1:] != ranked[:-1]] if len(rank) else np.zeros(0, dtype=bool)
    offset = np.arange(len(rank)) - np.flatnonzero(starts)[np.cumsum(starts) - 1]
    first, second = rank[offset == 0], rank[offset == 1]
    by_date = np.lexsort((rid[first], dates[first]))
    return first[by_date], second[by_date]
