"""Listings: problems, meets, athletes, events, quotes, the timeline, toplists, what a dataset
covers; and the sources column any view can gain."""

from __future__ import annotations

from typing import Any

from miler.display import short_source
from miler.names import short_names
from miler.answer import Column, Fact, Section, is_missing, plain, text
from miler.views.common import R


def problems(found: list, total: int) -> list[Section]:
    """Validation problems as a table of file, line and what is wrong."""
    import pandas as pd

    frame = pd.DataFrame(
        {"file": [p.file for p in found], "line": [p.line for p in found], "problem": [p.message for p in found]}
    )
    more = f" (showing the first {len(found)})" if total > len(found) else ""
    columns = [Column("file"), Column("line", justify=R), Column("problem")]
    return [Section("", [Fact(f"{total} problem{'s' if total != 1 else ''} found{more}")], frame, columns)]


MEET_COLUMNS = [
    Column("meet"), Column("year", justify=R), Column("city"), Column("country"), Column("level"),
    Column("first"), Column("last"), Column("races", justify=R), Column("athletes", justify=R),
]  # fmt: skip


def listing(title: str, frame, columns: list[Column] | None = None) -> list[Section]:
    """A plain table of a frame, with a count line."""
    columns = columns or [Column(c, justify=R if str(frame[c].dtype) in ("int64", "Int64", "float64") else "left")
                          for c in frame.columns]
    return [Section(title, [Fact(f"{len(frame):,} rows")], frame, columns, json=[c.key for c in columns])]


def meets(frame) -> list[Section]:
    return listing("Meets", frame, MEET_COLUMNS)


def quotes(frame) -> list[Section]:
    cols = [Column("date"), Column("speaker"), Column("about", table=False), Column("occasion"),
            Column("publication", table=False), Column("url", table=False), Column("text"),
            Column("topics", table=False), Column("source", table=False)]
    n = len(frame)
    return [Section("Quotes", [Fact(f"{n} quote{'s' if n != 1 else ''}")], frame, cols)]


def timeline(frame, a: str, b: str) -> list[Section]:
    sa, sb = short_names([a, b]).values()
    cols = [Column("date"), Column("kind"), Column("what"), Column("record")]
    legend = [Fact(f"gap = {sa}'s time − {sb}'s: negative where {sa} was ahead")] if (frame["kind"] == "race").any() else []
    return [Section(f"{a} v {b}: the timeline", legend, frame, cols)]


def _rank(row: dict[str, Any]) -> str:
    return f"={row['rank']}" if row["tied"] else str(row["rank"])


def toplist(result) -> list[Section]:
    which = f"{result.year} season" if result.year else "all-time (this dataset)"
    kind = "every mark" if result.all_marks else "each athlete's best"
    lines = [
        f"{len(result.marks):,} of {result.total:,} {'marks' if result.all_marks else 'athletes'} shown"
        + (f" ({result.athletes:,} athletes)" if result.all_marks else ""),
        "=N: marks of equal value share a rank; a hand time (h) ranks after electronic times of equal value",
        "WL, PB, SB: what the mark was when run, computed from the marks in this dataset (a first mark earns none)",
    ]
    columns = [
        Column("rank", "#", justify=R, value=_rank), Column("tied", table=False),
        Column("time", "mark", justify=R), Column("flags", ""), Column("athlete"), Column("nat"),
        Column("indoor", "in"), Column("place", "pl", justify=R), Column("round"), Column("meet"),
        Column("city"), Column("country", table=False), Column("date"),
    ]  # fmt: skip
    return [Section(f"{result.event} — {which}, {kind}", [Fact(lines, "event", result.event)], result.marks,
                    columns, key="marks")]


def _short_sources(value: Any) -> str:
    """A cell of sources (a list, or one) in short, each once."""
    items = value if isinstance(value, (list, tuple)) else [] if is_missing(value) else [value]
    return ", ".join(dict.fromkeys(short_source(str(s)) for s in items if s))


SOURCE_COLUMN = Column("source", show=_short_sources)


def _keeping_source(shape):
    """A view's JSON shape of rows that also keeps each row's source (a shape that builds one
    item per row from keys it names would drop it)."""

    def shaped(rows):
        out = shape(rows)
        if isinstance(out, list) and len(out) == len(rows):
            return [dict(item, source=row.get("source")) if isinstance(item, dict) else item
                    for item, row in zip(out, rows)]
        return out

    return shaped


def with_sources(sections: list[Section]) -> list[Section]:
    """The sections, each table whose rows carry a source column showing it (in short; CSV
    and JSON keep every source whole)."""
    from dataclasses import replace

    out = []
    for s in sections:
        shown = s.frame is not None and "source" in s.frame.columns and any(c.table for c in s.columns)
        if shown and not any(c.key == "source" for c in s.columns):
            s = replace(s, columns=[*s.columns, SOURCE_COLUMN], json=None if s.json is None else [*s.json, "source"],
                        shape=s.shape and _keeping_source(s.shape))
        out.append(s)
    return out


def info(where: str, cov, notes, quotes: int, athletes: int, notes_name: str = "NOTES.md") -> list[Section]:
    """miler info: the dataset's size, its first and last race, what its sources reach, the races
    it holds in part and those its notes say it lacks; then its races year by year."""
    import pandas as pd

    def race(r):
        return f"{text(r['date'])} {r['meet']} {r['event']} {r['round']}" if r else "none"

    lines = [
        f"{cov.rows:,} rows: {cov.races:,} races at {cov.meets:,} meets, {cov.athletes:,} athletes"
        + (f"; {quotes:,} quotes" if quotes else "") + (f"; {athletes:,} athletes with birth dates" if athletes else ""),
        f"first race: {race(cov.first)}",
        f"last race:  {race(cov.last)}",
    ]
    if notes.sources_reach:
        lines.append(f"its sources reach {notes.sources_reach}: no race after that date could be confirmed")
    lines.append(f"{len(cov.partial):,} races hold only part of their field, as the data shows (fewer rows than "
                 f"their starters, or places missing)")
    if notes.gaps:
        lines.append(f"{len(notes.gaps):,} races are listed in {notes_name} as looked for and not (wholly) "
                     f"confirmed")
    facts = [Fact(key="dataset", value=where), Fact(lines), Fact(key="rows", value=cov.rows),
             Fact(key="races", value=cov.races), Fact(key="athletes", value=cov.athletes),
             Fact(key="meets", value=cov.meets),
             Fact(key="first_race", value={k: plain(v) for k, v in cov.first.items()} if cov.first else None),
             Fact(key="last_race", value={k: plain(v) for k, v in cov.last.items()} if cov.last else None),
             Fact(key="sources_reach", value=plain(pd.Timestamp(notes.sources_reach)) if notes.sources_reach else None)]
    gaps = pd.DataFrame([{"date": pd.Timestamp(g.date), "meet": g.meet, "event": g.event, "round": g.round,
                          "missing": g.missing} for g in notes.gaps], columns=["date", "meet", "event", "round", "missing"])
    race_columns = [Column("date"), Column("meet"), Column("event"), Column("round")]
    return [
        Section(f"Dataset: {where}", facts),
        Section("Races by year", frame=cov.years, key="years",
                columns=[Column("year", justify=R), Column("races", justify=R), Column("rows", justify=R),
                         Column("athletes", justify=R)]),
        Section("Races held in part (the data shows it)", frame=cov.partial, key="partial",
                columns=race_columns + [Column("field")], empty="none"),
        Section(f"Races looked for and not (wholly) confirmed ({notes_name})", frame=gaps, key="known_gaps",
                columns=race_columns + [Column("missing", show=_cut)], empty="none listed"),
    ]


def _cut(text_: Any, limit: int = 90) -> str:
    s = "" if is_missing(text_) else str(text_)
    return s if len(s) <= limit else s[: limit - 1] + "…"
