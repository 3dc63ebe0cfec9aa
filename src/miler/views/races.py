"""A meet's races with their gaps, two athletes' gaps over time, progressions and a season."""

from __future__ import annotations

from typing import Any

from miler.analysis.gaps import RACE_GAP_COLUMNS as GAP_KEYS
from miler.names import short_names
from miler.schema import RACE_KEY
from miler.answer import Column, Fact, Section, gap_text, text
from miler.views.common import CONVERSION, R, conversion_note, is_converting, mark_column, pct, with_lines


RACE_KEYS = [k for k in RACE_KEY if k != "sex"]  # sex only where a dataset says it
# How the gap columns of a race (analysis.gaps.RACE_GAP_COLUMNS) are shown
_GAP_SHOWN = {
    "place": dict(justify=R), "time": dict(justify=R),
    "gap_winner": dict(header="to winner", show=gap_text, justify=R), "gap_winner_pct": dict(header="%", show=pct, justify=R),
    "gap_ahead": dict(header="to ahead", show=gap_text, justify=R), "gap_ahead_pct": dict(header="%", show=pct, justify=R),
}  # fmt: skip
RACE_GAP_COLUMNS = [Column(k, **_GAP_SHOWN.get(k, {})) for k in GAP_KEYS]


def _race_title(race: dict[str, Any]) -> str:
    where = f", {race['city']}" if race.get("city") else ""
    sex = {"M": "men's ", "W": "women's "}.get(race.get("sex") or "", "")
    title = f"{race['meet']}{where} — {sex}{race['event']} {race['round']}, {text(race['date'])}"
    title += " (indoor)" if race.get("indoor") else ""
    return title + (f" — {race['field']}" if race.get("field") else "")


RACE_LEGEND = ("to winner = the athlete's time − the winner's, to ahead = − the one ahead's (and as % of it); "
               "none where that athlete is not in the data")


def races(results: list[tuple[dict[str, Any], Any]], heading: str = "") -> list[Section]:
    """Several races' results with gaps: one section of every row with its race, shown as a
    table per race (titled with the race, and its field where the data holds part of it)."""
    import pandas as pd

    info = ("date", "meet", "city", "event", "round", "sex", "indoor", "race_id", "field")
    frames = [frame.assign(**{k: race.get(k) or "" if k == "sex" else race.get(k) for k in info})
              for race, frame in results]
    rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(
        columns=RACE_KEYS + [c.key for c in RACE_GAP_COLUMNS] + ["city", "sex", "indoor", "race_id", "field"])
    sexed = bool((rows["sex"] != "").any())  # a dataset that says men's or women's: rows say it too
    keys = RACE_KEYS + (["sex"] if sexed else []) + [c.key for c in RACE_GAP_COLUMNS] + ["field"]

    def with_gap(records):
        return [dict(r, gap=r["gap_winner"]) for r in records]

    columns = ([Column(k, table=False) for k in RACE_KEYS + (["sex"] if sexed else [])] + RACE_GAP_COLUMNS
               + [Column("field", table=False)])
    return [Section(heading, [Fact(RACE_LEGEND)] if len(rows) else [], frame=rows, columns=columns, json=keys,
                    shape=with_gap, split="race_id", split_title=_race_title)]


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
    elif result.trend_missing and not result.gaps.empty:
        trend = result.trend_missing[:1].upper() + result.trend_missing[1:]
    facts.append(Fact(trend, "trend_pct_per_year", result.trend_pct_per_year))
    facts.append(Fact(key="trend_missing", value=result.trend_missing))
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"),
        Column("time_a", sa, justify=R), Column("time_b", sb, justify=R),
        Column("gap", f"gap ({sa}−{sb})", gap_text, justify=R),
        Column("gap_pct", "%", pct, justify=R), Column("winner"),
    ]  # fmt: skip
    return [Section(f"Gaps: {a} v {b}", facts, result.gaps, cols, key="gaps")]


def progression(bests, pbs, event: str) -> list[Section]:
    sb_cols = [
        Column("athlete"), Column("year", justify=R), Column("indoor", "in"), mark_column("time", "season best"),
        Column("date"), Column("meet"), Column("city"), Column("races", justify=R),
        Column("change", "change", gap_text, justify=R), Column("pb", "PB"), Column("event", table=False),
        *(CONVERSION if is_converting(bests) else []),
    ]  # fmt: skip
    pb_cols = [
        Column("athlete"), Column("indoor", "in"), Column("date"), Column("meet"), Column("round"),
        mark_column("time", "PB"), Column("improvement", "improvement", gap_text, justify=R),
        Column("event", table=False), *(CONVERSION if is_converting(pbs) else []),
    ]  # fmt: skip
    notes = [Fact("indoor marks are marked 'yes' under 'in' and kept apart", "event", event),
             Fact("change = the season's best − the previous season's: negative, faster"),
             Fact(conversion_note(bests))]
    return [
        Section(f"Season bests — {event}", with_lines(notes), bests, sb_cols, key="season_bests", primary=True),
        Section(f"Personal-best progression — {event}", frame=pbs, columns=pb_cols, key="pb_progression"),
    ]


def season(frame, name: str, year: int) -> list[Section]:
    converting = is_converting(frame)
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"), Column("indoor", "in"),
        Column("place", justify=R), mark_column("time"),
        Column("sb", "SB after", justify=R,
               value=lambda r: f"≈{r['sb']}" if r.get("sb_converted") is True and r["sb"] else r["sb"]),
        Column("new_sb", "new SB"), *(CONVERSION + [Column("sb_converted", table=False)] if converting else []),
    ]  # fmt: skip
    return [Section(f"{name} — {year} season", with_lines([Fact(conversion_note(frame))]), frame, cols)]
