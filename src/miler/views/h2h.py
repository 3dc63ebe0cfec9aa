"""Head-to-heads: two athletes (the record, the card, every meeting) and three or more (a matrix)."""

from __future__ import annotations

from typing import Any

from miler.analysis.h2h import Group, HeadToHead
from miler.names import short_names
from miler.answer import Column, Fact, Section, gap_text, is_missing, plain, rows_of, records, text
from miler.views.common import (
    IN_DATASET, R, approx_gap, conversion_note, conversion_note_of, place_time, shown_mark, shown_marks, with_lines,
)


def record_line(athletes: tuple[str, str], wins: dict[str, int], ties: int = 0) -> str:
    a, b = athletes
    line = f"{a} {wins[a]} – {wins[b]} {b}"
    return line + (f" ({ties} without a winner)" if ties else "")


def _splits(title: str, key: str, frame, a: str, b: str, sa: str, sb: str) -> Section:
    """A record split by event or level: meetings and wins of each, keyed by the split in JSON."""
    def shape(rows):
        return {str(r["key"]): {"meetings": r["meetings"], "wins": {a: r["wins_a"], b: r["wins_b"]}, "ties": r["ties"]}
                for r in rows}

    columns = [Column("key", ""), Column("meetings", justify=R), Column("wins_a", sa, justify=R),
               Column("wins_b", sb, justify=R)]
    return Section(title, frame=frame.rename_axis("key").reset_index(), columns=columns, key=key, shape=shape)


def h2h(result: HeadToHead) -> list[Section]:
    """Two athletes: the record, streak, last meeting and margins; the record by event and by
    level; every meeting."""
    a, b = result.athletes
    sa, sb = short_names([a, b]).values()
    m = result.meetings
    sections = [Section(f"Head to head: {a} v {b}", with_lines(_h2h_facts(result, sa, sb)))]
    if not m.empty:
        sections.append(_splits("By event", "by_event", result.by_event, a, b, sa, sb))
        sections.append(_splits("By level", "by_level", result.by_level, a, b, sa, sb))
    else:
        sections += [Section(key=k, frame=f.rename_axis("key").reset_index(), shape=lambda rows: {})
                     for k, f in (("by_event", result.by_event), ("by_level", result.by_level))]
    sections.append(Section("Meetings", frame=m, columns=_meeting_columns(m, a, b, sa, sb), key="meetings"))
    return sections


def _h2h_facts(result: HeadToHead, sa: str, sb: str) -> list[Fact]:
    a, b = result.athletes
    m = result.meetings
    facts = [
        Fact(key="athletes", value=[a, b]),
        Fact(record_line(result.athletes, result.wins, result.ties), "wins", result.wins),
        Fact(key="ties", value=result.ties),
        Fact(conversion_note(m)),
    ]
    if m.empty:
        return facts + [Fact(f"{a} and {b} have not met in these races."), Fact(key="last_meeting", value=None),
                        Fact(key="streak", value={"athlete": None, "count": 0}), _margins(result, "")]
    facts.append(Fact(f"gap = {sa}'s time − {sb}'s: negative where {sa} was ahead"))
    who, n = result.streak
    line = (f"Streak: {who} has won the last {n}" if n > 1 else f"Streak: {who} won the last meeting") if n else None
    facts.append(Fact(line, "streak", {"athlete": who or None, "count": n}))
    last = result.last
    facts.append(Fact(
        f"Last meeting: {text(last['date'])} {last['meet']} {last['event']} {last['round']}, "
        f"won by {last['winner'] or 'neither'}" + (f" ({approx_gap(last)})" if not is_missing(last["gap"]) else ""),
        "last_meeting", {k: plain(v) for k, v in last.items()}))
    return facts + [_margins(result, "≈" if conversion_note(m) else "")]  # margins of converted marks: estimates


def _margins(result: HeadToHead, about: str) -> Fact:
    a, b = result.athletes
    mg = result.margins
    lines = [f"{name} wins by {about}{avg:.2f} s on average, {about}{top:.2f} s at most"
             for name, avg, top in ((a, mg.average_a, mg.largest_a), (b, mg.average_b, mg.largest_b))
             if avg is not None]
    return Fact(lines, "margins", {a: {"average": mg.average_a, "largest": mg.largest_a},
                                   b: {"average": mg.average_b, "largest": mg.largest_b}})


def _meeting_columns(m, a: str, b: str, sa: str, sb: str) -> list[Column]:
    shown = shown_marks(m, [("time_a", "original_time_a"), ("time_b", "original_time_b")])
    return [
        Column("date"), Column("meet"), Column("event"), Column("round"),
        Column("place_a", table=False), Column("time_a", table=False),
        Column("place_b", table=False), Column("time_b", table=False),
        Column("shown_a", f"{sa} (place)", justify=R, value=lambda r: place_time(r["place_a"], shown(r, "time_a"))),
        Column("shown_b", f"{sb} (place)", justify=R, value=lambda r: place_time(r["place_b"], shown(r, "time_b"))),
        Column("winner", table=False),
        Column("shown_winner", "winner", value=lambda r: {a: sa, b: sb}.get(r["winner"], "")),
        Column("gap", "gap", gap_text, justify=R, table=False),
        Column("shown_gap", "gap", justify=R, csv=False, value=approx_gap),
        Column("as_event", table=False), Column("converted", table=False), Column("original_event", table=False),
        Column("original_time_a", table=False), Column("original_time_b", table=False),
    ]  # fmt: skip


def group(result: Group) -> list[Section]:
    """Three or more athletes: a matrix of wins (row over column), then every race two or more
    of them ran."""
    names = list(result.athletes)
    short = short_names(names)
    matrix = result.matrix.copy()
    matrix.insert(0, "athlete", names)
    matrix["total"] = [result.wins[n] for n in names]
    mcols = [Column("athlete")] + [Column(n, short[n], justify=R) for n in names] + [Column("total", justify=R)]

    def matrix_json(rows):
        return {r["athlete"]: {b: r[b] for b in names if b != r["athlete"]} for r in rows}

    originals = [c for c in result.meetings.columns if c.startswith("original_time:")]
    converted = any(result.meetings[c].fillna("").ne("").any() for c in originals)
    legend = "margin = the winner's time − the next of them's: negative, the winner ahead"
    return [
        Section("Head to head: " + ", ".join(names),
                [Fact("Wins of the row athlete over the column athlete.", "athletes", names),
                 Fact(key="wins", value=result.wins)],
                matrix, mcols, key="matrix", shape=matrix_json),
        Section("Meetings (races with two or more of them)",
                [Fact(conversion_note_of(converted)), Fact(legend)] if len(result.meetings) else [],
                result.meetings, _group_columns(names, short, bool(originals)), key="meetings",
                shape=lambda rows: _group_meetings_json(rows, names, bool(originals)), empty="None of them have met."),
    ]


def _group_columns(names: list[str], short: dict[str, str], converting: bool) -> list[Column]:
    cols = [Column("date"), Column("meet"), Column("event"), Column("round")]
    for n in names:
        cols.append(Column(f"place:{n}", table=False))
        cols.append(Column(f"time:{n}", table=False))
        if converting:
            cols.append(Column(f"original_time:{n}", table=False))
        cols.append(Column(f"shown:{n}", short[n], justify=R,
                           value=lambda r, n=n: place_time(r[f"place:{n}"], shown_mark(r, f"time:{n}", f"original_time:{n}"))))
    return cols + [Column("winner", table=False),
                   Column("shown_winner", "winner", value=lambda r: short.get(r["winner"], "")),
                   Column("gap", "margin", gap_text, justify=R, table=False),
                   Column("shown_gap", "margin", justify=R, csv=False, value=approx_gap),
                   *([Column("converted", table=False), Column("original_event", table=False)] if converting else [])]


def _group_meetings_json(rows, names: list[str], converting: bool) -> list[dict]:
    """Each meeting with each athlete's result under their name (and what was run, converting)."""
    def result_of(row, n):
        out = {"place": row[f"place:{n}"], "time": row[f"time:{n}"]}
        if converting:
            run = row[f"original_time:{n}"]
            out.update(converted=bool(run), original_time=run or None, original_event=row["event"] if run else None)
        return out

    return [dict({k: row[k] for k in ("date", "meet", "event", "round", "level", "winner", "gap")},
                 results={n: result_of(row, n) for n in names}) for row in rows]


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
