"""Views of toplists, the head-to-head card, and the sources of rows (see miler.views for how
a view is described: Sections, from which render.write draws every format)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from miler.render import Column, Fact, Section, rows_of, is_missing, plain, records, text

R = "right"
IN_DATASET = " (in this dataset)"


# --- toplists --------------------------------------------------------------------------------


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


# --- the head-to-head card -------------------------------------------------------------------


LEVEL_SHORT = {"olympics": "OG", "worlds": "WCh", "world-indoors": "WIC"}  # as World Athletics writes them


def _best(time: Any, date: Any) -> str:
    if is_missing(time):
        return "—"
    return f"{time} ({date.year})" if not is_missing(date) else str(time)


def _medal_count(medals) -> str:
    won = medals["medal"].tolist()
    return ", ".join(f"{won.count(m)} {m}" for m in ("gold", "silver", "bronze") if m in won) or "none"


def card(result, h2h: list[Section]) -> list[Section]:
    """The head-to-head (views.h2h's sections) opened by the card: both athletes side by side,
    a row per attribute, under the head-to-head's title (its record follows as "Record");
    JSON: the head-to-head's keys and card."""
    from dataclasses import replace

    import pandas as pd

    a, b = result.sides
    mark = "" if result.complete else IN_DATASET
    last = text(result.last_meeting) if result.last_meeting is not None else ""
    rows = [
        ("nationality", a.nat, b.nat),
        ("born", text(a.born) or "—", text(b.born) or "—"),
    ]
    if last:
        rows.append((f"age on {last}", _age(a.age), _age(b.age)))
    for ba, bb in zip(rows_of(a.bests), rows_of(b.bests)):
        name = f"{ba['event']}{' indoor' if ba['indoor'] else ''}"
        rows.append((f"{name} PB{mark}", _best(ba["pb"], ba["pb_date"]), _best(bb["pb"], bb["pb_date"])))
        rows.append((f"{name} SB {result.season}{mark}", _best(ba["sb"], None), _best(bb["sb"], None)))
    rows.append((f"global medals{mark}", _medal_count(a.medals), _medal_count(b.medals)))
    rows.append(("head-to-head wins", str(a.wins), str(b.wins)))
    frame = pd.DataFrame(rows, columns=["what", "a", "b"])
    won = {s.name: rows_of(s.medals) for s in result.sides}
    medal_lines = [f"{s.name}, {medal}: " + ", ".join(f"{LEVEL_SHORT.get(m['level'], m['meet'])} {m['date'].year} {m['event']}"
                                                   for m in won[s.name] if m["medal"] == medal)
                   for s in result.sides for medal in ("gold", "silver", "bronze")
                   if any(m["medal"] == medal for m in won[s.name])]
    columns = [Column("what", ""), Column("a", a.name), Column("b", b.name)]
    value = {"season": result.season, "last_meeting": plain(result.last_meeting), "complete": result.complete,
             "athletes": {s.name: _side_json(s) for s in result.sides}}
    facts = [Fact(medal_lines), Fact(key="card", value=value)]
    head, *rest = h2h
    return [Section(head.title, [], frame, columns), Section(facts=facts), replace(head, title="Record"), *rest]


def _age(age) -> str:
    return "—" if age is None else str(age)


def _side_json(s) -> dict[str, Any]:
    def best(time, date, meet):
        return None if is_missing(time) else {"time": time, "date": plain(date), "meet": meet}

    return {
        "nat": s.nat, "born": plain(s.born), "age_at_last_meeting": s.age, "complete": s.complete, "wins": s.wins,
        "bests": [{"event": r["event"], "indoor": bool(r["indoor"]), "pb": best(r["pb"], r["pb_date"], r["pb_meet"]),
                   "sb": best(r["sb"], r["sb_date"], r["sb_meet"])} for r in rows_of(s.bests)],
        "medals": records(s.medals),
    }  # fmt: skip


# --- sources ---------------------------------------------------------------------------------


def short_source(source: str) -> str:
    """A source as a table shows it: a web page by its site's domain (letsrun.com), a file of
    a repository by the repository's name and the file's (AthleticScraper:1500-metres.csv);
    anything else (a seed article's file name, FILE:LINE) as it is."""
    if source.startswith(("http://", "https://")):
        host = urlparse(source).hostname or source
        return host.removeprefix("www.")
    head, sep, path = source.partition(":")
    if sep and head.count("/") == 1 and path and not path.isdigit():
        return f"{head.split('/')[1]}:{path.rsplit('/', 1)[-1]}"
    return source


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



# --- what a dataset covers -------------------------------------------------------------------


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
