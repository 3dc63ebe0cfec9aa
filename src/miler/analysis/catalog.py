"""What a dataset holds: its athletes and events with counts (meets are in meets.meet_table)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, text, values
from miler.errors import EmptyResultError
from miler.marks import event_metres


def _distance(event: str) -> float:
    metres = event_metres(event)
    return float("inf") if metres is None else metres


def _started(races: Table) -> np.ndarray:
    pos = np.flatnonzero(values(races, "status") != "DNS")
    if not len(pos):
        raise EmptyResultError("nobody started a race in these results")
    return pos


def athletes(races: pd.DataFrame) -> pd.DataFrame:
    """One row per athlete: nat, races started, wins, first and last race, events; most races first.

    Nobody having started a race is an EmptyResultError."""
    races = Table.of(races)
    pos = _started(races)
    names, who = np.unique(text(races, "athlete", pos), return_inverse=True)
    n = len(names)
    dates = values(races, "date", pos)
    first = np.full(n, dates.max(), dtype=dates.dtype)
    last = np.full(n, dates.min(), dtype=dates.dtype)
    np.minimum.at(first, who, dates)
    np.maximum.at(last, who, dates)
    nat: dict[int, str] = {}
    for w, x in zip(who.tolist(), values(races, "nat", pos).tolist()):
        if x is not None:
            nat[w] = x  # the last given, as the data goes
    ran: dict[int, list[str]] = {}
    for w, e in zip(who.tolist(), text(races, "event", pos).tolist()):
        events = ran.setdefault(w, [])
        if e not in events:
            events.append(e)
    count = np.bincount(who, minlength=n)
    order = np.lexsort((names, -count))
    return pd.DataFrame({
        "athlete": names[order].astype(object),
        "nat": np.array([nat.get(i, "") for i in order.tolist()], dtype=object),
        "races": count[order].astype("int64"),
        "wins": np.bincount(who, weights=values(races, "place", pos) == 1, minlength=n)[order].astype("int64"),
        "first": first[order], "last": last[order],
        "events": np.array([", ".join(sorted(ran[i], key=_distance)) for i in order.tolist()], dtype=object),
    })  # fmt: skip


def events(races: pd.DataFrame) -> pd.DataFrame:
    """One row per event and setting (and sex, where the data holds men's and women's races):
    races, results (starts), athletes, first and last date; by distance, outdoor before indoor.
    Nobody having started a race is an EmptyResultError."""
    races = Table.of(races)
    pos = _started(races)
    sexes = text(races, "sex", pos) if "sex" in races.columns else np.full(len(pos), "", dtype=object)
    keys: dict[tuple[str, bool, str], list[int]] = {}
    for i, key in enumerate(zip(text(races, "event", pos).tolist(), values(races, "indoor", pos).tolist(),
                                sexes.tolist())):
        keys.setdefault((key[0], bool(key[1]), key[2] or ""), []).append(i)
    order = sorted(keys, key=lambda k: (_distance(k[0]), k[1], k[2]))  # stable: the first run first
    rid, who, dates = races["race_id"].to_numpy()[pos], text(races, "athlete", pos), values(races, "date", pos)
    rows = [keys[k] for k in order]
    both = len({k[2] for k in order if k[2]}) > 1  # men and women: the sex is a column of its own
    return pd.DataFrame({
        "event": np.array([k[0] for k in order], dtype=object), "indoor": np.array([k[1] for k in order], dtype=bool),
        **({"sex": np.array([k[2] for k in order], dtype=object)} if both else {}),
        "races": np.array([len(set(rid[r].tolist())) for r in rows], dtype="int64"),
        "results": np.array([len(r) for r in rows], dtype="int64"),
        "athletes": np.array([len(set(who[r].tolist())) for r in rows], dtype="int64"),
        "first": np.array([dates[r].min() for r in rows], dtype=dates.dtype),
        "last": np.array([dates[r].max() for r in rows], dtype=dates.dtype),
    })  # fmt: skip


def by_distance(frame: pd.DataFrame, *then: str) -> pd.DataFrame:
    """frame sorted by the distance of its event, shortest first (events that are not a
    distance last), then by the columns named; each distinct event is measured once."""
    metres = {e: event_metres(e) for e in frame["event"].unique()}
    order = frame["event"].map({e: float("inf") if m is None else m for e, m in metres.items()})
    return frame.assign(_distance=order).sort_values(["_distance", *then], kind="stable").drop(columns="_distance")
