"""An athlete's profile, rivals, ratings and their history, and the odds for a race."""

from __future__ import annotations

from typing import Any

from miler.names import short_names
from miler.answer import Column, Fact, Section, gap_text, is_missing
from miler.views.common import (
    CONVERSION, R, conversion_note, is_converting, margin_legend, mark_column, num2, with_lines,
)


def athlete(p) -> list[Section]:
    import pandas as pd

    converting = is_converting(p.personal_bests)
    best_cols = [*([Column("as_event", "as")] if converting else []), Column("event"), Column("indoor", "in"),
                 mark_column("time"), Column("date"), Column("meet"), Column("city"),
                 *(CONVERSION[1:] if converting else [])]  # fmt: skip
    marks = CONVERSION if converting else []
    events = ", ".join(f"{e}{' (indoor)' if i else ''} {n}" for e, i, n in p.events.itertuples(index=False))
    medals = p.championships["medal"].value_counts()
    medal_line = ", ".join(f"{medals[m]} {m}" for m in ("gold", "silver", "bronze") if m in medals) or "none"
    head = [
        Fact(key="athlete", value=p.name), Fact(key="nat", value=p.nat),
        Fact(f"Races by event: {events}"), Fact(f"Championship medals in this dataset: {medal_line}"),
        Fact(conversion_note(pd.concat([p.personal_bests, p.season_bests, p.championships, p.recent]))),
        Fact(key="season", value=p.season),
    ]  # fmt: skip
    return [
        Section(f"{p.name} ({p.nat})" if p.nat else p.name, with_lines(head)),
        Section(frame=p.events, key="events"),
        Section("Personal bests in this dataset", frame=p.personal_bests, columns=best_cols, key="personal_bests"),
        Section(f"Season bests {p.season} in this dataset", frame=p.season_bests, columns=best_cols,
                key="season_bests"),
        Section("Championship finals", [Fact("none in the dataset")] if p.championships.empty else [],
                p.championships, [Column("date"), Column("meet"), Column("city"), Column("event"),
                                  Column("place", justify=R), mark_column("time"), Column("medal"), *marks],
                key="championship_finals"),
        Section("Record against frequent rivals", [Fact(margin_legend(p.name))] if len(p.record) else [Fact("none")],
                p.record, RIVAL_COLUMNS, key="record"),
        Section("Last races", frame=p.recent, key="last_races",
                columns=[Column("date"), Column("meet"), Column("event"), Column("round"), Column("place", justify=R),
                         mark_column("time"), Column("note"), *marks]),
    ]


RIVAL_COLUMNS = [
    Column("rival"), Column("nat"), Column("meetings", justify=R), Column("wins", justify=R),
    Column("losses", justify=R), Column("ties", justify=R),
    Column("avg_margin", "avg margin", gap_text, justify=R), Column("last"),
]  # fmt: skip


def rivals(frame, name: str) -> list[Section]:
    short = short_names([name])[name]
    line = f"{len(frame)} rivals; wins and losses are {short}'s"
    return [Section(f"Rivals of {name}", [Fact([line, margin_legend(name)])], frame, RIVAL_COLUMNS)]


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
        f"change = the rating now − before {result.season}: positive, rated higher",
    ]
    return [Section("Ratings", [Fact(lines)], table, cols, json=[c.key for c in cols])]


def rating_history(frame, name: str) -> list[Section]:
    cols = [
        Column("date"), Column("meet"), Column("event"), Column("round"), Column("place", justify=R),
        Column("time", justify=R), Column("rating", show=num2, justify=R), Column("mu", show=num2, justify=R),
        Column("sigma", show=num2, justify=R), Column("change", justify=R, show=gap_text),
    ]  # fmt: skip
    legend = Fact("change = the rating after the race − before it: positive, rated higher")
    return [Section(f"Rating history: {name}", [legend], frame, cols)]


def chance(value: Any, decimals: int = 0) -> str:
    """A probability as a percentage: 0.564 -> 56%."""
    if is_missing(value):
        return ""
    return f"{float(value) * 100:.{decimals}f}%"


def _range(low: Any, high: Any) -> str:
    return f"{float(low) * 100:.0f}–{float(high) * 100:.0f}%"


def odds(result, event: str | None) -> list[Section]:
    from miler.analysis.odds import RANGE

    names = result.field["athlete"].tolist()
    short = short_names(names)
    what = f" at {event}" if event else ""
    lines = [
        f"Chances from the Weng–Lin ratings of miler rank{what}: a race-day performance is the skill (mu, sigma) "
        "plus noise (beta); the best performance wins",
        f"range: the middle {RANGE:.0%} of the chance over skills as uncertain as the ratings (sigma)",
    ]
    field = [
        Column("athlete"), Column("nat"), Column("mu", show=lambda v: f"{v:.2f}", justify=R),
        Column("sigma", show=lambda v: f"{v:.2f}", justify=R), Column("races", justify=R),
        Column("win", "wins the race", chance, justify=R),
        Column("win_range", "range", value=lambda r: _range(r["win_low"], r["win_high"]), justify=R),
        Column("win_low", table=False), Column("win_high", table=False),
    ]  # fmt: skip
    pairs = result.pairs.pivot(index="athlete", columns="rival", values="ahead").reindex(index=names, columns=names)
    low = result.pairs.pivot(index="athlete", columns="rival", values="ahead_low").reindex(index=names, columns=names)
    high = result.pairs.pivot(index="athlete", columns="rival", values="ahead_high").reindex(index=names, columns=names)
    cells = pairs.map(chance).astype(object)
    for a in names:
        for b in names:
            cells.loc[a, b] = "" if a == b else f"{chance(pairs.loc[a, b])} ({_range(low.loc[a, b], high.loc[a, b])})"
    matrix = cells.rename_axis("athlete").reset_index()
    mcols = [Column("athlete", "ahead of →")] + [Column(n, short[n], justify=R) for n in names]
    title = "Odds: " + ", ".join(names) + (f" — {event}" if event else "")
    return [
        Section(title, [Fact(lines, "event", event), Fact(key="beta", value=result.beta)], result.field, field,
                key="field", primary=True, json=["athlete", "nat", "mu", "sigma", "races", "win", "win_low", "win_high"]),
        Section("Chance of finishing ahead (row athlete ahead of column athlete)", frame=matrix, columns=mcols),
        Section(frame=result.pairs, key="pairs"),
    ]


def check(result, event: str | None) -> list[Section]:
    what = f" at {event}" if event else ""
    s = result.scores
    lines = [
        f"{_n(result.races, 'race')}{what} replayed in date order, each predicted from the races before it only",
        f"{_n(int(s['pairs'].iat[0]), 'pair')} of athletes scored in {result.scored_races:,} of them; "
        f"{_n(result.skipped, 'pair')} not scored (one of the two had no earlier race to be rated on)",
        "favourite ahead: of the pairs with a favourite, the share where it finished ahead; log-loss and Brier: "
        "lower is better",
        "faster season best: the better season's best so far (else last season's) is favoured, as often as it "
        "had been right before",
    ]
    scores = [
        Column("predictor"), Column("pairs", justify=R), Column("decided", "with a favourite", justify=R),
        Column("favourite_ahead", "favourite ahead", lambda v: chance(v, 1), justify=R),
        Column("log_loss", "log-loss", _num3, justify=R), Column("brier", "Brier", _num3, justify=R),
    ]  # fmt: skip
    calibration = [
        Column("predicted", "ratings' favourite at"), Column("low", table=False), Column("high", table=False),
        Column("pairs", justify=R), Column("mean_predicted", "predicted", chance, justify=R),
        Column("happened", "finished ahead", chance, justify=R),
    ]  # fmt: skip
    title = "How the odds would have done" + (f" — {event}" if event else "")
    return [
        Section(title, [Fact(lines, "event", event), Fact(key="races", value=result.races),
                        Fact(key="skipped_pairs", value=result.skipped)], s, scores, key="scores", primary=True),
        Section("Calibration: the ratings' favourites by the chance they were given", frame=result.calibration,
                columns=calibration, key="calibration"),
    ]


def _n(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _num3(value: Any) -> str:
    return "" if is_missing(value) else f"{float(value):.3f}"
