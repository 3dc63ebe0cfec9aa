"""Each command's presentation: an analysis result -> blocks for render.write and a JSON payload."""

from __future__ import annotations

from typing import Any

from miler.analysis.h2h import Group, HeadToHead
from miler.names import short_names
from miler.render import Block, Column, gap_text, is_missing, plain, records, text

R = "right"


def record_line(athletes: tuple[str, str], wins: dict[str, int], ties: int = 0) -> str:
    a, b = athletes
    line = f"{a} {wins[a]} – {wins[b]} {b}"
    return line + (f" ({ties} without a winner)" if ties else "")


def h2h(result: HeadToHead) -> tuple[list[Block], dict[str, Any]]:
    a, b = result.athletes
    sa, sb = short_names([a, b]).values()
    m = _with_shown_marks(result.meetings, [("time_a", "original_time_a"), ("time_b", "original_time_b")])
    lines = [record_line(result.athletes, result.wins, result.ties)] + _conversion_note(m)
    if not m.empty:
        lines.append(f"gap = {sa}'s time − {sb}'s: negative where {sa} was ahead")
    if m.empty:
        lines.append(f"{a} and {b} have not met in these races.")
    else:
        who, n = result.streak
        if n:
            lines.append(f"Streak: {who} has won the last {n}" if n > 1 else f"Streak: {who} won the last meeting")
        last = result.last
        lines.append(
            f"Last meeting: {text(last['date'])} {last['meet']} {last['event']} {last['round']}, "
            f"won by {last['winner'] or 'neither'}"
            + (f" ({gap_text(last['gap'])})" if not is_missing(last["gap"]) else "")
        )
        mg = result.margins
        for name, avg, top in ((a, mg.average_a, mg.largest_a), (b, mg.average_b, mg.largest_b)):
            if avg is not None:
                lines.append(f"{name} wins by {avg:.2f} s on average, {top:.2f} s at most")
    split_cols = [
        Column("key", ""),
        Column("meetings", justify=R),
        Column("wins_a", sa, justify=R),
        Column("wins_b", sb, justify=R),
    ]
    m = m.assign(shown_a=_place_time(m["place_a"], m["time_a"]), shown_b=_place_time(m["place_b"], m["time_b"]),
                 shown_winner=m["winner"].map({a: sa, b: sb, "": ""}))
    columns = [
        Column("date"),
        Column("meet"),
        Column("event"),
        Column("round"),
        Column("place_a", table=False),
        Column("time_a", table=False),
        Column("place_b", table=False),
        Column("time_b", table=False),
        Column("shown_a", f"{sa} (place)", justify=R, csv=False),
        Column("shown_b", f"{sb} (place)", justify=R, csv=False),
        Column("winner", table=False),
        Column("shown_winner", "winner", csv=False),
        Column("gap", "gap", gap_text, justify=R),
    ]
    blocks = [Block(f"Head to head: {a} v {b}", lines)]
    if not m.empty:
        blocks.append(Block("By event", [], result.by_event.rename_axis("key").reset_index(), split_cols))
        blocks.append(Block("By level", [], result.by_level.rename_axis("key").reset_index(), split_cols))
    blocks.append(Block("Meetings", [], m, columns))
    payload = {
        "athletes": [a, b],
        "wins": result.wins,
        "ties": result.ties,
        "by_event": _splits_json(result.by_event, a, b),
        "by_level": _splits_json(result.by_level, a, b),
        "margins": {
            a: {"average": result.margins.average_a, "largest": result.margins.largest_a},
            b: {"average": result.margins.average_b, "largest": result.margins.largest_b},
        },
        "streak": {"athlete": result.streak[0] or None, "count": result.streak[1]},
        "last_meeting": records(result.meetings.tail(1))[0] if not m.empty else None,
        "meetings": records(result.meetings),
    }
    return blocks, payload


def _place_time(places, times):
    """'3:29.38 (1)': a mark with its place, as a table shows one athlete's race."""
    out = []
    for p, t in zip(places, times):
        if is_missing(t) or t == "":
            out.append("")
        else:
            out.append(f"{t} ({int(p)})" if not is_missing(p) else str(t))
    return out


def _splits_json(frame, a: str, b: str) -> dict[str, Any]:
    return {
        str(key): {"meetings": int(r.meetings), "wins": {a: int(r.wins_a), b: int(r.wins_b)}, "ties": int(r.ties)}
        for key, r in frame.iterrows()
    }


def group(result: Group) -> tuple[list[Block], dict[str, Any]]:
    names = list(result.athletes)
    short = short_names(names)
    matrix = result.matrix.copy()
    matrix.insert(0, "athlete", names)
    matrix["total"] = [result.wins[n] for n in names]
    mcols = [Column("athlete")] + [Column(n, short[n], justify=R) for n in names] + [Column("total", justify=R)]
    m = result.meetings
    cols = [Column("date"), Column("meet"), Column("event"), Column("round")]
    m = m.assign(**{f"shown:{n}": _place_time(m[f"place:{n}"], m[f"time:{n}"]) for n in names},
                 shown_winner=m["winner"].map({**short, "": ""}))
    for n in names:
        cols.append(Column(f"place:{n}", table=False))
        cols.append(Column(f"time:{n}", table=False))
        cols.append(Column(f"shown:{n}", short[n], justify=R, csv=False))
    cols += [Column("winner", table=False), Column("shown_winner", "winner", csv=False),
             Column("gap", "margin", gap_text, justify=R)]
    blocks = [
        Block("Head to head: " + ", ".join(names), ["Wins of the row athlete over the column athlete."], matrix, mcols),
        Block("Meetings (races with two or more of them)", [] if len(m) else ["None of them have met."], m, cols),
    ]
    meetings_json = []
    for row in records(m):
        item = {k: row[k] for k in ("date", "meet", "event", "round", "level", "winner", "gap")}
        item["results"] = {n: {"place": row[f"place:{n}"], "time": row[f"time:{n}"]} for n in names}
        meetings_json.append(item)
    payload = {
        "athletes": names,
        "wins": result.wins,
        "matrix": {a: {b: plain(result.matrix.loc[a, b]) for b in names if b != a} for a in names},
        "meetings": meetings_json,
    }
    return blocks, payload


def problems(found: list, total: int) -> tuple[list[Block], list[dict[str, Any]]]:
    """Validation problems as a table of file, line and what is wrong."""
    import pandas as pd

    frame = pd.DataFrame(
        {"file": [p.file for p in found], "line": [p.line for p in found], "problem": [p.message for p in found]}
    )
    more = f" (showing the first {len(found)})" if total > len(found) else ""
    lines = [f"{total} problem{'s' if total != 1 else ''} found{more}"]
    columns = [Column("file"), Column("line", justify=R), Column("problem")]
    return [Block("", lines, frame, columns)], records(frame)


def num2(value: Any) -> str:
    return "" if is_missing(value) else f"{float(value):.2f}"


def _pct(value: Any) -> str:
    if is_missing(value):
        return ""
    return "0.00%" if abs(float(value)) < 0.005 else f"{float(value):+.2f}%"


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
RACE_KEYS = ["date", "meet", "event", "round"]


def races(results: list[tuple[dict[str, Any], Any]], heading: str = "") -> tuple[list[Block], list[dict[str, Any]]]:
    """Several races' results with gaps: a block per race; JSON and CSV as one list of rows."""
    import pandas as pd

    blocks, frames = [], []
    for race, frame in results:
        where = f", {race['city']}" if race.get("city") else ""
        title = f"{race['meet']}{where} — {race['event']} {race['round']}, {text(race['date'])}"
        if race.get("indoor"):
            title += " (indoor)"
        blocks.append(Block(title, [], frame, RACE_GAP_COLUMNS))
        frames.append(frame.assign(**{k: race[k] for k in RACE_KEYS}))
    if heading and blocks:
        blocks.insert(0, Block(heading))
    allrows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    keys = RACE_KEYS + [c.key for c in RACE_GAP_COLUMNS]
    rows = records(allrows, keys) if frames else []
    for row in rows:
        row["gap"] = row["gap_winner"]
    # CSV: one table of every row with its race
    if blocks:
        blocks.append(Block("", [], allrows, [Column(k) for k in keys], primary=True, hidden=True))
    return blocks, rows


def pair_gaps(result) -> tuple[list[Block], dict[str, Any]]:
    a, b = result.athletes
    sa, sb = short_names([a, b]).values()
    lines = []
    if result.gaps.empty:
        lines.append(f"{a} and {b} have not both finished a race in these results.")
    else:
        lines.append(f"Mean gap: {result.mean_gap_pct:+.2f}% of {sb}'s time ({sa}−{sb}; negative: {sa} ahead)")
        if result.trend_pct_per_year is not None:
            t = result.trend_pct_per_year
            who = sa if t < 0 else sb
            lines.append(f"Trend: {t:+.3f} percentage points a year ({who} gaining)")
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"),
        Column("time_a", sa, justify=R), Column("time_b", sb, justify=R),
        Column("gap", f"gap ({sa}−{sb})", gap_text, justify=R),
        Column("gap_pct", "%", _pct, justify=R), Column("winner"),
    ]  # fmt: skip
    blocks = [Block(f"Gaps: {a} v {b}", lines, result.gaps, cols)]
    payload = {
        "athletes": [a, b],
        "mean_gap_pct": result.mean_gap_pct,
        "trend_pct_per_year": result.trend_pct_per_year,
        "gaps": records(result.gaps),
    }
    return blocks, payload


MEET_COLUMNS = [
    Column("meet"), Column("year", justify=R), Column("city"), Column("country"), Column("level"),
    Column("first"), Column("last"), Column("races", justify=R), Column("athletes", justify=R),
]  # fmt: skip


def listing(title: str, frame, columns: list[Column] | None = None) -> tuple[list[Block], list[dict[str, Any]]]:
    """A plain table of a frame, with a count line."""
    columns = columns or [Column(c, justify=R if str(frame[c].dtype) in ("int64", "Int64", "float64") else "left")
                          for c in frame.columns]
    return [Block(title, [f"{len(frame):,} rows"], frame, columns)], records(frame, [c.key for c in columns])


def meets(frame) -> tuple[list[Block], list[dict[str, Any]]]:
    return listing("Meets", frame, MEET_COLUMNS)


def progression(bests, pbs, event: str) -> tuple[list[Block], dict[str, Any]]:
    sb_cols = [
        Column("athlete"), Column("year", justify=R), Column("indoor", "in"), Column("time", "season best", justify=R),
        Column("date"), Column("meet"), Column("city"), Column("races", justify=R),
        Column("change", "change", gap_text, justify=R), Column("pb", "PB"),
    ]  # fmt: skip
    pb_cols = [
        Column("athlete"), Column("indoor", "in"), Column("date"), Column("meet"), Column("round"),
        Column("time", "PB", justify=R), Column("improvement", "improvement", gap_text, justify=R),
    ]  # fmt: skip
    notes = ["indoor marks are marked 'yes' under 'in' and kept apart"] + _conversion_note(bests)
    blocks = [
        Block(f"Season bests — {event}", notes, _with_shown_marks(bests, [("time", "original_time")]), sb_cols,
              primary=True),
        Block(f"Personal-best progression — {event}", [], _with_shown_marks(pbs, [("time", "original_time")]),
              pb_cols),
    ]
    payload = {"event": event, "season_bests": records(bests), "pb_progression": records(pbs)}
    return blocks, payload


def season(frame, name: str, year: int) -> tuple[list[Block], list[dict[str, Any]]]:
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"), Column("indoor", "in"),
        Column("place", justify=R), Column("time", justify=R), Column("sb", "SB after", justify=R),
        Column("new_sb", "new SB"),
    ]  # fmt: skip
    return [Block(f"{name} — {year} season", [], frame, cols)], records(frame)


def quotes(frame) -> tuple[list[Block], list[dict[str, Any]]]:
    cols = [Column("date"), Column("speaker"), Column("occasion"), Column("text")]
    shown = frame.assign(about=frame["about"].map("; ".join), topics=frame["topics"].map(" ".join),
                         source=frame["source"].map(" ".join))
    blocks = [Block("Quotes", [f"{len(frame)} quote{'s' if len(frame) != 1 else ''}"], shown, cols)]
    keys = ("date", "speaker", "about", "occasion", "text", "topics", "source")
    blocks.append(Block("", [], shown, [Column(c) for c in keys], primary=True, hidden=True))
    return blocks, records(frame)


def timeline(frame, a: str, b: str) -> tuple[list[Block], list[dict[str, Any]]]:
    cols = [Column("date"), Column("kind"), Column("what"), Column("record")]
    return [Block(f"{a} v {b}: the timeline", [], frame, cols)], records(frame)


def _with_shown_marks(frame, pairs: list[tuple[str, str]]):
    """Marks converted by --as shown as '≈3:45.10 (3:28.80 1500m)'; others as they are."""
    if "converted" not in frame.columns:
        return frame
    conv = frame["converted"].fillna(False).astype(bool)
    out = frame.copy()
    for col, original in pairs:
        label = "≈" + frame[col].astype(str) + " (" + frame[original].astype(str) + " " + frame["original_event"] + ")"
        out[col] = frame[col].where(~conv, label)
    return out


def _conversion_note(frame) -> list[str]:
    if "converted" in frame.columns and frame["converted"].fillna(False).any():
        from miler.analysis.convert import MILE_PER_1500

        return [f"≈ marks are converted (mile = 1500m × {MILE_PER_1500}), not run; the original follows in brackets"]
    return []


def athlete(p) -> tuple[list[Block], dict[str, Any]]:
    import pandas as pd

    best_cols = [Column("event"), Column("indoor", "in"), Column("time", justify=R), Column("date"),
                 Column("meet"), Column("city")]  # fmt: skip
    pbs = _with_shown_marks(p.personal_bests, [("time", "original_time")])
    sbs = _with_shown_marks(p.season_bests, [("time", "original_time")])
    events = ", ".join(f"{e}{' (indoor)' if i else ''} {n}" for e, i, n in p.events.itertuples(index=False))
    medals = p.championships["medal"].value_counts()
    medal_line = ", ".join(f"{medals[m]} {m}" for m in ("gold", "silver", "bronze") if m in medals) or "none"
    blocks = [
        Block(f"{p.name} ({p.nat})", [f"Races by event: {events}", f"Championship medals: {medal_line}"]
              + _conversion_note(pd.concat([p.personal_bests, p.season_bests, p.championships, p.recent]))),
        Block("Personal bests", [], pbs, best_cols),
        Block(f"Season bests {p.season}", [], sbs, best_cols),
        Block("Championship finals", [] if len(p.championships) else ["none in the dataset"],
              _with_shown_marks(p.championships, [("time", "original_time")]),
              [Column("date"), Column("meet"), Column("city"), Column("event"), Column("place", justify=R),
               Column("time", justify=R), Column("medal")]),
        Block("Record against frequent rivals", [] if len(p.record) else ["none"], p.record, RIVAL_COLUMNS),
        Block("Last races", [], _with_shown_marks(p.recent, [("time", "original_time")]), [Column("date"), Column("meet"), Column("event"), Column("round"),
                                            Column("place", justify=R), Column("time", justify=R), Column("note")]),
    ]
    payload = {
        "athlete": p.name,
        "nat": p.nat,
        "events": records(p.events),
        "personal_bests": records(p.personal_bests),
        "season": p.season,
        "season_bests": records(p.season_bests),
        "championship_finals": records(p.championships),
        "record": records(p.record),
        "last_races": records(p.recent),
    }
    return blocks, payload


RIVAL_COLUMNS = [
    Column("rival"), Column("nat"), Column("meetings", justify=R), Column("wins", justify=R),
    Column("losses", justify=R), Column("ties", justify=R),
    Column("avg_margin", "avg margin", gap_text, justify=R), Column("last"),
]  # fmt: skip


def rivals(frame, name: str) -> tuple[list[Block], list[dict[str, Any]]]:
    short = short_names([name])[name]
    lines = [f"{len(frame)} rivals; wins and losses are {short}'s, the margin positive where "
             f"{short} was ahead on average"]
    return [Block(f"Rivals of {name}", lines, frame, RIVAL_COLUMNS)], records(frame)


def ratings(result, top: int) -> tuple[list[Block], list[dict[str, Any]]]:
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
    return [Block("Ratings", lines, table, cols)], records(table, [c.key for c in cols])


def rating_history(frame, name: str) -> tuple[list[Block], list[dict[str, Any]]]:
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"), Column("place", justify=R),
        Column("time", justify=R), Column("rating", show=num2, justify=R), Column("mu", show=num2, justify=R),
        Column("sigma", show=num2, justify=R), Column("change", justify=R, show=gap_text),
    ]  # fmt: skip
    return [Block(f"Rating history: {name}", [], frame, cols)], records(frame)
