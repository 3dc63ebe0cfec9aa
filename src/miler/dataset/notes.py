"""The note column against the marks: a row whose note claims WL, PB or SB that the data
refutes, with the earlier (or same-race) mark that refutes it. These are warnings, not errors:
either the note or a row is wrong, and the file says which only to someone who checks.

A note is refuted only by a mark in the file: a flag the data cannot confirm (an athlete's first
mark in the file noted PB) is no disagreement, and neither is a flag the note leaves out (sources
print flags unevenly). See miler.schema.performance_flags for how flags are computed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from miler.schema import lineage, marks_to_beat, round_rank

MAX_SPELLED = 50  # disagreements spelled out; the rest are counted
EPS = 1e-9


def refuted(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows whose note claims a flag the data refutes (the first MAX_SPELLED; attrs
    ["total"] counts all): the row's index, the flag, the index of the refuting row (the fastest
    earlier mark no slower; for WL, possibly a faster one of the same moment)."""
    secs = frame["seconds"].where(frame["status"] == "")
    best = marks_to_beat(frame)
    found = []
    for flag in ("WL", "PB", "SB"):
        noted = _has_flag(frame["note"], flag) & secs.notna().to_numpy()
        bad = noted & (best[flag] <= secs + EPS).to_numpy()
        if flag == "WL":
            bad |= noted & (secs > best["moment"] + EPS).to_numpy()
        found += [(i, flag) for i in frame.index[bad]]
    found.sort()
    ranks = round_rank(frame["round"])
    rows = [(i, flag, _refuting_row(frame, ranks, i, flag)) for i, flag in found[:MAX_SPELLED]]
    out = pd.DataFrame(rows, columns=["row", "flag", "by"])
    out.attrs["total"] = len(found)
    return out


def _has_flag(notes: pd.Series, flag: str) -> np.ndarray:
    """Whether each note holds the flag as a word (once per distinct note)."""
    cat = pd.Categorical(notes)
    per_value = np.array([flag in str(v).split() for v in cat.categories] + [False], dtype=bool)
    return per_value[cat.codes]


def _refuting_row(frame: pd.DataFrame, ranks: pd.Series, i, flag: str):
    """The index of the row that refutes row i's flag: the fastest (then earliest) mark of
    its group run before it and no slower, or (for WL) faster in the same moment."""
    row = frame.loc[i]
    same = (frame["status"] == "") & (frame.index != i)
    for c in lineage(frame):
        same &= frame[c] == row[c]
    if flag in ("PB", "SB"):
        same &= frame["athlete"] == row["athlete"]
    if flag in ("SB", "WL"):
        same &= frame["date"].dt.year == row["date"].year
    day, rank, secs = frame["date"] == row["date"], ranks[i], frame["seconds"]
    before = (frame["date"] < row["date"]) | (day & (ranks < rank))
    hits = same & before & (secs <= row["seconds"] + EPS)
    if flag == "WL":
        hits |= same & day & (ranks == rank) & (secs < row["seconds"] - EPS)
    rivals = frame[hits]
    if rivals.empty:
        return None
    return rivals.sort_values(["seconds", "date"], kind="stable").index[0]


def note_warnings(name: str, frame: pd.DataFrame, line_of) -> list[str]:
    """One warning per refuted note (the first MAX_SPELLED, then how many more), as
    'races.csv:LINE: …'; line_of maps a row's index to its line in the file."""
    found = refuted(frame)
    out = []
    for i, flag, by in found.itertuples(index=False):
        row = frame.loc[i]
        claim = f"{name}:{line_of(i)}: note says {flag} for {row['athlete']} {row['time']} ({row['event']})"
        if by is None:  # not expected: refuted() found a mark that refutes it
            out.append(f"{claim}, but the marks disagree")
            continue
        other = frame.loc[by]
        if other["race_id"] == row["race_id"]:
            when = "in the same race"
        elif other["date"] == row["date"] and other["seconds"] < row["seconds"] - EPS:
            when = "the same day"
        else:
            when = "earlier" if flag == "PB" else "earlier that year"
        out.append(f"{claim}, but {other['athlete']} ran {other['time']} {when}: {other['meet']} "
                   f"{other['round']}, {other['date']:%Y-%m-%d} (line {line_of(by)})")
    more = found.attrs["total"] - len(found)
    if more > 0:
        out.append(f"{name}: … and {more:,} more notes the marks disagree with")
    return out
