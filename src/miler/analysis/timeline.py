"""The rivalry as a story: every meeting and every word between two athletes, in date order."""

from __future__ import annotations

import pandas as pd

from miler.analysis.h2h import _meetings
from miler.marks import format_gap
from miler.names import short_names

TIMELINE_COLUMNS = ["date", "kind", "what", "record"]


def _ordinal(n) -> str:
    if pd.isna(n):
        return ""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def timeline(races: pd.DataFrame, quotes: pd.DataFrame, a: str, b: str, sources: bool = False) -> pd.DataFrame:
    """One row per race they both ran (with the running record after it) and per quote in which
    one speaks about the other (or anyone speaks about both); races before quotes on a day.
    With sources, a source column: the sources of both athletes' rows, or the quote's url and
    sources."""
    from miler.analysis.sources import attach

    sa, sb = short_names([a, b]).values()
    m = _meetings(races, a, b)
    keys = pd.DataFrame({k: m[k] for k in ("date", "meet", "event", "round")})
    found = attach(keys, races, [a, b])["source"].tolist() if sources else [None] * len(keys)
    rows = []
    wins_a = wins_b = 0
    for date, meet, event, rnd, pa, ta, pb, tb, winner, gap, source in zip(
            m["date"], m["meet"], m["event"], m["round"], m["place_a"], m["time_a"], m["place_b"], m["time_b"],
            m["winner"], m["gap"], found):
        wins_a += winner == a
        wins_b += winner == b
        first = f"{sa} {_ordinal(pa) or ta} {ta if _ordinal(pa) else ''}".strip()
        second = f"{sb} {_ordinal(pb) or tb} {tb if _ordinal(pb) else ''}".strip()
        shown = f" (gap {format_gap(gap)})" if gap == gap else ""
        rows.append((pd.Timestamp(date), 0, "race", f"{meet} {event} {rnd}: {first}, {second}{shown}",
                     f"{sa} {wins_a}–{wins_b} {sb}", source))
    if not quotes.empty:
        cols = [quotes[c].tolist() for c in ("date", "speaker", "about", "occasion", "text", "url", "source")]
        for date, speaker, about, occasion, said, url, seen in zip(*cols):
            about = set(about)
            if (speaker == a and b in about) or (speaker == b and a in about) or {a, b} <= about:
                where = f" ({occasion})" if occasion else ""
                rows.append((date, 1, "quote", f"{speaker}{where}: “{said}”", "", ([url] if url else []) + list(seen)))
    rows.sort(key=lambda r: (r[0], r[1]))
    columns = TIMELINE_COLUMNS + (["source"] if sources else [])
    return pd.DataFrame([(d, k, w, r, s)[: len(columns)] for d, _, k, w, r, s in rows], columns=columns)
