"""Charts in the terminal (--plot), drawn with plotext: season bests across years, a rating
race by race. On a terminal colours tell lines apart; elsewhere markers do, without colour codes."""

from __future__ import annotations

import contextlib
from typing import IO

import pandas as pd

from miler.display import safe



@contextlib.contextmanager
def _chart(out: IO[str], title: str, xlabel: str):
    """A plotext figure written to out when the block ends; yields (plt, markers). On a
    terminal, colours tell lines apart; elsewhere the markers do, and no colour codes are written."""
    import plotext as plt

    plt.clear_figure()
    plt.theme("clear")
    terminal = hasattr(out, "isatty") and out.isatty()
    if not terminal:
        plt.plotsize(100, 25)
    yield plt, (["braille"] if terminal else ["dot", "x", "+", "o", "*", "#"])
    plt.title(safe(title))
    plt.xlabel(xlabel)
    chart = plt.build()
    out.write((chart if terminal else plt.uncolorize(chart)) + "\n")


def plot_progression(bests: pd.DataFrame, event: str, out: IO[str]) -> None:
    """Season bests across years in the terminal, one line per athlete (and per indoor/outdoor)."""
    from miler.marks import format_mark

    with _chart(out, f"Season bests — {event} (lower is faster)", "year") as (plt, markers):
        groups = bests.groupby(["athlete", "indoor"], sort=False)
        for i, ((athlete, indoor), rows) in enumerate(groups):
            label = safe(athlete) + (" (indoor)" if indoor else "")
            plt.plot(rows["year"].tolist(), rows["seconds"].tolist(), label=label, marker=markers[i % len(markers)])
        years = sorted(bests["year"].unique().tolist())
        plt.xticks(years, [str(y) for y in years])
        lo, hi = float(bests["seconds"].min()), float(bests["seconds"].max())
        ticks = [lo + (hi - lo) * i / 4 for i in range(5)] if hi > lo else [lo]
        plt.yticks(ticks, [format_mark(t, 2) for t in ticks])


def plot_history(history: pd.DataFrame, name: str, out: IO[str]) -> None:
    """One athlete's rating (mu − 3·sigma) race by race, in the terminal."""
    with _chart(out, f"Rating history — {name}", "races (first race of each year marked)") as (plt, markers):
        x = list(range(1, len(history) + 1))
        plt.plot(x, history["rating"].tolist(), label=f"{safe(name)}: rating", marker=markers[0])
        plt.plot(x, history["mu"].tolist(), label="mu (skill estimate)", marker=markers[1 % len(markers)])
        years = history["date"].dt.year
        first_of_year = [i + 1 for i, (y, prev) in enumerate(zip(years, [None] + years.tolist()[:-1])) if y != prev]
        plt.xticks(first_of_year, [str(years.iloc[i - 1]) for i in first_of_year])

