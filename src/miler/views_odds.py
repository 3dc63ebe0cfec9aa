"""Views of odds for the next race and of their track record (miler.analysis.odds)."""

from __future__ import annotations

from typing import Any

from miler.names import short_names
from miler.render import Column, Fact, Section, is_missing

R = "right"


def pct(value: Any, decimals: int = 0) -> str:
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
        Column("win", "wins the race", pct, justify=R),
        Column("win_range", "range", value=lambda r: _range(r["win_low"], r["win_high"]), justify=R),
        Column("win_low", table=False), Column("win_high", table=False),
    ]  # fmt: skip
    pairs = result.pairs.pivot(index="athlete", columns="rival", values="ahead").reindex(index=names, columns=names)
    low = result.pairs.pivot(index="athlete", columns="rival", values="ahead_low").reindex(index=names, columns=names)
    high = result.pairs.pivot(index="athlete", columns="rival", values="ahead_high").reindex(index=names, columns=names)
    cells = pairs.map(pct).astype(object)
    for a in names:
        for b in names:
            cells.loc[a, b] = "" if a == b else f"{pct(pairs.loc[a, b])} ({_range(low.loc[a, b], high.loc[a, b])})"
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
        Column("favourite_ahead", "favourite ahead", lambda v: pct(v, 1), justify=R),
        Column("log_loss", "log-loss", _num3, justify=R), Column("brier", "Brier", _num3, justify=R),
    ]  # fmt: skip
    calibration = [
        Column("predicted", "ratings' favourite at"), Column("low", table=False), Column("high", table=False),
        Column("pairs", justify=R), Column("mean_predicted", "predicted", pct, justify=R),
        Column("happened", "finished ahead", pct, justify=R),
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
