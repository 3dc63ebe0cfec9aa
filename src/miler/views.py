"""Each command's answer, described once: an analysis result -> Sections (render.Section) of
facts and rows. Tables, CSV, JSON and Markdown are all drawn from that one description by
render.write."""

from __future__ import annotations

from typing import Any

from miler.analysis.h2h import Group, HeadToHead
from miler.names import short_names
from miler.render import Column, Fact, Section, gap_text, is_missing, plain, text

R = "right"


def record_line(athletes: tuple[str, str], wins: dict[str, int], ties: int = 0) -> str:
    a, b = athletes
    line = f"{a} {wins[a]} – {wins[b]} {b}"
    return line + (f" ({ties} without a winner)" if ties else "")


def _place_time(place: Any, time: Any) -> str:
    """'3:29.38 (1)': a mark with its place, as a table shows one athlete's race."""
    if is_missing(time) or time == "":
        return ""
    return f"{time} ({int(place)})" if not is_missing(place) else str(time)


def _splits(title: str, key: str, frame, a: str, b: str, sa: str, sb: str) -> Section:
    """A record split by event or level: meetings and wins of each, keyed by the split in JSON."""
    def shape(rows):
        return {str(r["key"]): {"meetings": r["meetings"], "wins": {a: r["wins_a"], b: r["wins_b"]}, "ties": r["ties"]}
                for r in rows}

    columns = [Column("key", ""), Column("meetings", justify=R), Column("wins_a", sa, justify=R),
               Column("wins_b", sb, justify=R)]
    return Section(title, frame=frame.rename_axis("key").reset_index(), columns=columns, key=key, shape=shape)


def h2h(result: HeadToHead) -> list[Section]:
    a, b = result.athletes
    sa, sb = short_names([a, b]).values()
    m = result.meetings
    mg = result.margins
    facts = [
        Fact(key="athletes", value=[a, b]),
        Fact(record_line(result.athletes, result.wins, result.ties), "wins", result.wins),
        Fact(key="ties", value=result.ties),
        Fact(_conversion_note(m)),
    ]
    if m.empty:
        facts.append(Fact(f"{a} and {b} have not met in these races."))
    else:
        facts.append(Fact(f"gap = {sa}'s time − {sb}'s: negative where {sa} was ahead"))
        who, n = result.streak
        line = (f"Streak: {who} has won the last {n}" if n > 1 else f"Streak: {who} won the last meeting") if n else None
        facts.append(Fact(line, "streak", {"athlete": who or None, "count": n}))
        last = result.last
        facts.append(Fact(
            f"Last meeting: {text(last['date'])} {last['meet']} {last['event']} {last['round']}, "
            f"won by {last['winner'] or 'neither'}" + (f" ({gap_text(last['gap'])})" if not is_missing(last["gap"]) else ""),
            "last_meeting", {k: plain(v) for k, v in last.items()}))
    if m.empty:
        facts.append(Fact(key="last_meeting", value=None))
        facts.append(Fact(key="streak", value={"athlete": None, "count": 0}))
    margins = [f"{name} wins by {avg:.2f} s on average, {top:.2f} s at most"
               for name, avg, top in ((a, mg.average_a, mg.largest_a), (b, mg.average_b, mg.largest_b)) if avg is not None]
    facts.append(Fact(margins, "margins", {a: {"average": mg.average_a, "largest": mg.largest_a},
                                           b: {"average": mg.average_b, "largest": mg.largest_b}}))
    shown = _shown_marks(m, [("time_a", "original_time_a"), ("time_b", "original_time_b")])
    columns = [
        Column("date"), Column("meet"), Column("event"), Column("round"),
        Column("place_a", table=False), Column("time_a", table=False),
        Column("place_b", table=False), Column("time_b", table=False),
        Column("shown_a", f"{sa} (place)", justify=R, value=lambda r: _place_time(r["place_a"], shown(r, "time_a"))),
        Column("shown_b", f"{sb} (place)", justify=R, value=lambda r: _place_time(r["place_b"], shown(r, "time_b"))),
        Column("winner", table=False),
        Column("shown_winner", "winner", value=lambda r: {a: sa, b: sb}.get(r["winner"], "")),
        Column("gap", "gap", gap_text, justify=R),
    ]  # fmt: skip
    sections = [Section(f"Head to head: {a} v {b}", _order_facts(facts))]
    if not m.empty:
        sections.append(_splits("By event", "by_event", result.by_event, a, b, sa, sb))
        sections.append(_splits("By level", "by_level", result.by_level, a, b, sa, sb))
    else:
        sections += [Section(key=k, frame=f.rename_axis("key").reset_index(), shape=lambda rows: {})
                     for k, f in (("by_event", result.by_event), ("by_level", result.by_level))]
    sections.append(Section("Meetings", frame=m, columns=columns, key="meetings"))
    return sections


def _order_facts(facts: list[Fact]) -> list[Fact]:
    """Facts without a line or key dropped (a conversion note that does not apply)."""
    return [f for f in facts if f.lines or f.key]


def group(result: Group) -> list[Section]:
    names = list(result.athletes)
    short = short_names(names)
    matrix = result.matrix.copy()
    matrix.insert(0, "athlete", names)
    matrix["total"] = [result.wins[n] for n in names]
    mcols = [Column("athlete")] + [Column(n, short[n], justify=R) for n in names] + [Column("total", justify=R)]

    def matrix_json(rows):
        return {r["athlete"]: {b: r[b] for b in names if b != r["athlete"]} for r in rows}

    def meetings_json(rows):
        out = []
        for row in rows:
            item = {k: row[k] for k in ("date", "meet", "event", "round", "level", "winner", "gap")}
            item["results"] = {n: {"place": row[f"place:{n}"], "time": row[f"time:{n}"]} for n in names}
            out.append(item)
        return out

    cols = [Column("date"), Column("meet"), Column("event"), Column("round")]
    for n in names:
        cols.append(Column(f"place:{n}", table=False))
        cols.append(Column(f"time:{n}", table=False))
        cols.append(Column(f"shown:{n}", short[n], justify=R,
                           value=lambda r, n=n: _place_time(r[f"place:{n}"], r[f"time:{n}"])))
    cols += [Column("winner", table=False),
             Column("shown_winner", "winner", value=lambda r: short.get(r["winner"], "")),
             Column("gap", "margin", gap_text, justify=R)]
    return [
        Section("Head to head: " + ", ".join(names),
                [Fact("Wins of the row athlete over the column athlete.", "athletes", names),
                 Fact(key="wins", value=result.wins)],
                matrix, mcols, key="matrix", shape=matrix_json),
        Section("Meetings (races with two or more of them)", frame=result.meetings, columns=cols, key="meetings",
                shape=meetings_json, empty="None of them have met."),
    ]


def problems(found: list, total: int) -> list[Section]:
    """Validation problems as a table of file, line and what is wrong."""
    import pandas as pd

    frame = pd.DataFrame(
        {"file": [p.file for p in found], "line": [p.line for p in found], "problem": [p.message for p in found]}
    )
    more = f" (showing the first {len(found)})" if total > len(found) else ""
    columns = [Column("file"), Column("line", justify=R), Column("problem")]
    return [Section("", [Fact(f"{total} problem{'s' if total != 1 else ''} found{more}")], frame, columns)]


def num2(value: Any) -> str:
    return "" if is_missing(value) else f"{float(value):.2f}"


def _pct(value: Any) -> str:
    if is_missing(value):
        return ""
    return "0.00%" if abs(float(value)) < 0.005 else f"{float(value):+.2f}%"


RACE_KEYS = ["date", "meet", "event", "round"]
RACE_GAP_COLUMNS = [
    Column("place", justify=R),
    Column("athlete"),
    Column("nat"),
    Column("time", justify=R),
    Column("note"),
    Column("gap_winner", "to winner", gap_text, justify=R),
    Column("gap_winner_pct", "%", _pct, justify=R),
    Column("gap_ahead", "to ahead", gap_text, justify=R),
    Column("gap_ahead_pct", "%", _pct, justify=R),
]


def _race_title(race: dict[str, Any]) -> str:
    where = f", {race['city']}" if race.get("city") else ""
    title = f"{race['meet']}{where} — {race['event']} {race['round']}, {text(race['date'])}"
    return title + (" (indoor)" if race.get("indoor") else "")


def races(results: list[tuple[dict[str, Any], Any]], heading: str = "") -> list[Section]:
    """Several races' results with gaps: one section of every row with its race, shown as a
    table per race."""
    import pandas as pd

    frames = [frame.assign(**{k: race[k] for k in ("date", "meet", "city", "event", "round", "indoor", "race_id")})
              for race, frame in results]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=RACE_KEYS + [c.key for c in RACE_GAP_COLUMNS] + ["city", "indoor", "race_id"])
    keys = RACE_KEYS + [c.key for c in RACE_GAP_COLUMNS]

    def with_gap(records):
        return [dict(r, gap=r["gap_winner"]) for r in records]

    columns = [Column(k, table=False) for k in RACE_KEYS] + RACE_GAP_COLUMNS
    return [Section(heading, frame=rows, columns=columns, json=keys, shape=with_gap, split="race_id",
                    split_title=_race_title)]


def pair_gaps(result) -> list[Section]:
    a, b = result.athletes
    sa, sb = short_names([a, b]).values()
    facts = [Fact(key="athletes", value=[a, b])]
    if result.gaps.empty:
        facts.append(Fact(f"{a} and {b} have not both finished a race in these results."))
    else:
        facts.append(Fact(f"Mean gap: {result.mean_gap_pct:+.2f}% of {sb}'s time ({sa}−{sb}; negative: {sa} ahead)"))
    facts.append(Fact(key="mean_gap_pct", value=result.mean_gap_pct))
    trend = None
    if result.trend_pct_per_year is not None and not result.gaps.empty:
        t = result.trend_pct_per_year
        trend = f"Trend: {t:+.3f} percentage points a year ({sa if t < 0 else sb} gaining)"
    facts.append(Fact(trend, "trend_pct_per_year", result.trend_pct_per_year))
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"),
        Column("time_a", sa, justify=R), Column("time_b", sb, justify=R),
        Column("gap", f"gap ({sa}−{sb})", gap_text, justify=R),
        Column("gap_pct", "%", _pct, justify=R), Column("winner"),
    ]  # fmt: skip
    return [Section(f"Gaps: {a} v {b}", facts, result.gaps, cols, key="gaps")]


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


def progression(bests, pbs, event: str) -> list[Section]:
    sb_cols = [
        Column("athlete"), Column("year", justify=R), Column("indoor", "in"), _mark_column("time", "season best"),
        Column("date"), Column("meet"), Column("city"), Column("races", justify=R),
        Column("change", "change", gap_text, justify=R), Column("pb", "PB"),
    ]  # fmt: skip
    pb_cols = [
        Column("athlete"), Column("indoor", "in"), Column("date"), Column("meet"), Column("round"),
        _mark_column("time", "PB"), Column("improvement", "improvement", gap_text, justify=R),
    ]  # fmt: skip
    notes = [Fact("indoor marks are marked 'yes' under 'in' and kept apart", "event", event), Fact(_conversion_note(bests))]
    return [
        Section(f"Season bests — {event}", _order_facts(notes), bests, sb_cols, key="season_bests", primary=True),
        Section(f"Personal-best progression — {event}", frame=pbs, columns=pb_cols, key="pb_progression"),
    ]


def season(frame, name: str, year: int) -> list[Section]:
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"), Column("indoor", "in"),
        Column("place", justify=R), Column("time", justify=R), Column("sb", "SB after", justify=R),
        Column("new_sb", "new SB"),
    ]  # fmt: skip
    return [Section(f"{name} — {year} season", frame=frame, columns=cols)]


def quotes(frame) -> list[Section]:
    cols = [Column("date"), Column("speaker"), Column("about", table=False), Column("occasion"), Column("text"),
            Column("topics", table=False), Column("source", table=False)]
    n = len(frame)
    return [Section("Quotes", [Fact(f"{n} quote{'s' if n != 1 else ''}")], frame, cols)]


def timeline(frame, a: str, b: str) -> list[Section]:
    cols = [Column("date"), Column("kind"), Column("what"), Column("record")]
    return [Section(f"{a} v {b}: the timeline", frame=frame, columns=cols)]


def _mark_column(key: str, header: str | None = None) -> Column:
    """A mark, shown '≈3:45.10 (3:28.80 1500m)' where --as converted it."""
    return Column(key, header, justify=R, value=lambda r: _shown_mark(r, key))


def _shown_mark(row: dict[str, Any], key: str, original: str = "original_time") -> Any:
    if row.get("converted") is True:
        return f"≈{row[key]} ({row[original]} {row['original_event']})"
    return row[key]


def _shown_marks(frame, pairs: list[tuple[str, str]]):
    """For a table of two athletes' marks: a function (row, key) -> the mark as shown."""
    originals = dict(pairs)

    def shown(row, key):
        return _shown_mark(row, key, originals[key])

    return shown


def _conversion_note(frame) -> str | None:
    if "converted" in frame.columns and frame["converted"].fillna(False).any():
        from miler.analysis.convert import MILE_PER_1500

        return f"≈ marks are converted (mile = 1500m × {MILE_PER_1500}), not run; the original follows in brackets"
    return None


def athlete(p) -> list[Section]:
    import pandas as pd

    best_cols = [Column("event"), Column("indoor", "in"), _mark_column("time"), Column("date"),
                 Column("meet"), Column("city")]  # fmt: skip
    events = ", ".join(f"{e}{' (indoor)' if i else ''} {n}" for e, i, n in p.events.itertuples(index=False))
    medals = p.championships["medal"].value_counts()
    medal_line = ", ".join(f"{medals[m]} {m}" for m in ("gold", "silver", "bronze") if m in medals) or "none"
    head = [
        Fact(key="athlete", value=p.name), Fact(key="nat", value=p.nat),
        Fact(f"Races by event: {events}"), Fact(f"Championship medals: {medal_line}"),
        Fact(_conversion_note(pd.concat([p.personal_bests, p.season_bests, p.championships, p.recent]))),
        Fact(key="season", value=p.season),
    ]  # fmt: skip
    return [
        Section(f"{p.name} ({p.nat})", _order_facts(head)),
        Section(frame=p.events, key="events"),
        Section("Personal bests", frame=p.personal_bests, columns=best_cols, key="personal_bests"),
        Section(f"Season bests {p.season}", frame=p.season_bests, columns=best_cols, key="season_bests"),
        Section("Championship finals", [Fact("none in the dataset")] if p.championships.empty else [],
                p.championships, [Column("date"), Column("meet"), Column("city"), Column("event"),
                                  Column("place", justify=R), _mark_column("time"), Column("medal")],
                key="championship_finals"),
        Section("Record against frequent rivals", [] if len(p.record) else [Fact("none")], p.record, RIVAL_COLUMNS,
                key="record"),
        Section("Last races", frame=p.recent, key="last_races",
                columns=[Column("date"), Column("meet"), Column("event"), Column("round"), Column("place", justify=R),
                         _mark_column("time"), Column("note")]),
    ]


RIVAL_COLUMNS = [
    Column("rival"), Column("nat"), Column("meetings", justify=R), Column("wins", justify=R),
    Column("losses", justify=R), Column("ties", justify=R),
    Column("avg_margin", "avg margin", gap_text, justify=R), Column("last"),
]  # fmt: skip


def rivals(frame, name: str) -> list[Section]:
    short = short_names([name])[name]
    line = (f"{len(frame)} rivals; wins and losses are {short}'s, the margin positive where "
            f"{short} was ahead on average")
    return [Section(f"Rivals of {name}", [Fact(line)], frame, RIVAL_COLUMNS)]


def ratings(result, top: int) -> list[Section]:
    table = result.table if top <= 0 else result.table.head(top)
    table = table.assign(rank=range(1, len(table) + 1))
    cols = [
        Column("rank", "#", justify=R), Column("athlete"), Column("nat"), Column("rating", show=num2, justify=R),
        Column("mu", show=num2, justify=R), Column("sigma", show=num2, justify=R), Column("races", justify=R),
        Column("change", f"change {result.season}", gap_text, justify=R), Column("last"),
    ]  # fmt: skip
    lines = [
        "Weng–Lin ratings (Plackett–Luce, openskill) from every finishing order in date order; "
        "rating = mu − 3·sigma",
        f"{len(result.table)} athletes rated; showing {len(table)}",
    ]
    return [Section("Ratings", [Fact(lines)], table, cols, json=[c.key for c in cols])]


def rating_history(frame, name: str) -> list[Section]:
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"), Column("place", justify=R),
        Column("time", justify=R), Column("rating", show=num2, justify=R), Column("mu", show=num2, justify=R),
        Column("sigma", show=num2, justify=R), Column("change", justify=R, show=gap_text),
    ]  # fmt: skip
    return [Section(f"Rating history: {name}", frame=frame, columns=cols)]
