"""The rivalry as a story: every meeting and every word between two athletes, in date order."""

from __future__ import annotations

import pandas as pd

from miler.analysis.h2h import meetings
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
    With sources, a source column: the sources of both athletes' rows, or of the quote."""
    from miler.analysis.sources import attach

    sa, sb = short_names([a, b]).values()
    m = meetings(races, a, b)
    found = attach(m, races, [a, b])["source"].tolist() if sources else [None] * len(m)
    rows = []
    wins_a = wins_b = 0
    for r, source in zip(m.itertuples(index=False), found):
        wins_a += r.winner == a
        wins_b += r.winner == b
        first = f"{sa} {_ordinal(r.place_a) or r.time_a} {r.time_a if _ordinal(r.place_a) else ''}".strip()
        second = f"{sb} {_ordinal(r.place_b) or r.time_b} {r.time_b if _ordinal(r.place_b) else ''}".strip()
        gap = f" (gap {format_gap(r.gap)})" if pd.notna(r.gap) else ""
        what = f"{r.meet} {r.event} {r.round}: {first}, {second}{gap}"
        rows.append((r.date, 0, "race", what, f"{sa} {wins_a}–{wins_b} {sb}", source))
    if not quotes.empty:
        for q in quotes.itertuples(index=False):
            about = set(q.about)
            if (q.speaker == a and b in about) or (q.speaker == b and a in about) or {a, b} <= about:
                where = f" ({q.occasion})" if q.occasion else ""
                read_at = [q.url] if getattr(q, "url", "") else []
                rows.append((q.date, 1, "quote", f"{q.speaker}{where}: “{q.text}”", "", read_at + list(q.source)))
    out = pd.DataFrame(rows, columns=["date", "_order", "kind", "what", "record", "source"])
    out = out.sort_values(["date", "_order"], kind="stable")
    return out[TIMELINE_COLUMNS + (["source"] if sources else [])].reset_index(drop=True)
