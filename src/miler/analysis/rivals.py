"""Everyone an athlete has met: meetings, record and average margin, most meetings first."""

from __future__ import annotations

import numpy as np
import pandas as pd

from miler.analysis.columns import Table, positions, text, values
from miler.analysis.h2h import winner_sign

RIVAL_COLUMNS = ["rival", "nat", "meetings", "wins", "losses", "ties", "avg_margin", "last"]


def rivals(races: pd.DataFrame, name: str, minimum: int = 1) -> pd.DataFrame:
    """Each athlete who started a race with name: meetings, name's wins and losses against them,
    and the average margin where both finished: name's time minus the rival's, in seconds
    (negative: name ahead on average), as every gap in miler is signed."""
    races = Table.of(races)
    mine = positions(races, "athlete", name)
    mine = mine[values(races, "status", mine) != "DNS"]
    rid = races["race_id"].to_numpy()
    if not len(mine):
        return _empty()
    others = np.flatnonzero(np.isin(rid, rid[mine]))
    others = others[(values(races, "status", others) != "DNS") & (text(races, "athlete", others) != name)]
    if not len(others):
        return _empty()
    # each rival's row against name's row in the same race
    row_of = dict(zip(rid[mine].tolist(), mine.tolist()))
    me = np.array([row_of[r] for r in rid[others].tolist()], dtype=np.intp)
    sa, sb = values(races, "seconds", me).astype("float64"), values(races, "seconds", others).astype("float64")
    sign = winner_sign(text(races, "status", me), text(races, "status", others), values(races, "place", me),
                       values(races, "place", others), sa, sb)
    margin = sa - sb
    rival = text(races, "athlete", others)
    names, inverse = np.unique(rival, return_inverse=True)
    n = len(names)
    finished = ~np.isnan(margin)
    margin_sum = np.bincount(inverse, weights=np.where(finished, margin, 0.0), minlength=n)
    margin_count = np.bincount(inverse, weights=finished, minlength=n)
    with np.errstate(invalid="ignore", divide="ignore"):
        avg = np.where(margin_count > 0, margin_sum / np.maximum(margin_count, 1), np.nan)
    dates = values(races, "date", others)
    last = np.full(n, dates.min(), dtype=dates.dtype)
    np.maximum.at(last, inverse, dates)
    nat = dict(zip(rival.tolist(), text(races, "nat", others).tolist()))  # the last row's, as the data goes
    counts = {
        "meetings": np.bincount(inverse, minlength=n), "wins": np.bincount(inverse, weights=sign > 0, minlength=n),
        "losses": np.bincount(inverse, weights=sign < 0, minlength=n),
        "ties": np.bincount(inverse, weights=sign == 0, minlength=n),
    }  # fmt: skip
    keep = np.flatnonzero(counts["meetings"] >= minimum)
    keep = keep[np.lexsort((names[keep], -counts["wins"][keep], -counts["meetings"][keep]))]
    return pd.DataFrame({
        "rival": names[keep].astype(object), "nat": np.array([nat[r] for r in names[keep].tolist()], dtype=object),
        **{k: v[keep].astype("int64") for k, v in counts.items()},
        "avg_margin": np.round(avg[keep], 2), "last": last[keep],
    })  # fmt: skip


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("meetings", "wins", "losses", "ties") else "object")
                         for c in RIVAL_COLUMNS})
