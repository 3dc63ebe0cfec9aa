"""Charts to publish (--chart FILE.png or FILE.svg): season bests across years, the gap between
two athletes race by race with its trend, a rating race by race. Drawn with matplotlib, which
is imported only here and only when a chart is asked for (the optional extra miler[charts]).

Each chart is titled, has its time axis in race time (3:28), and names its sources in the
caption. A chart is drawn whole before anything is written; the CLI writes it with
miler.files.atomic_write, so a failure leaves no file behind.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import IO

from miler.errors import MilerError

FORMATS = (".png", ".svg")
INSTALL = "pip install 'miler[charts]'"
MAX_SOURCES = 6  # sources named in a caption; the rest are counted


class ChartError(MilerError):
    """A chart that cannot be drawn: matplotlib missing, or nothing to draw."""


def chart_format(path: Path) -> str:
    """'png' or 'svg' from the file name; anything else is a ChartError."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ChartError(f"{path}: a chart is written as .png or .svg, not {suffix or 'a file without an extension'}")
    return suffix[1:]


def require() -> None:
    """A ChartError naming the extra to install when matplotlib is missing."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise ChartError(f"charts need matplotlib, which is not installed: {INSTALL}") from None


def _figure(title: str):
    require()
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 5.2), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    ax.set_title(title, fontsize=13, loc="left")
    ax.grid(True, alpha=0.3)
    return fig, ax


def caption(sources: list[str]) -> str:
    """'Sources: letsrun.com (12), …, and 3 more · drawn by miler': the sources of the rows
    drawn, most used first, in short (see miler.display.short_source)."""
    from miler.display import short_source

    counts = Counter(short_source(s) for s in sources if s)
    named = [f"{s} ({n})" if n > 1 else s for s, n in counts.most_common(MAX_SOURCES)]
    more = len(counts) - len(named)
    text = ", ".join(named) + (f", and {more} more" if more > 0 else "")
    return f"Sources (rows): {text or 'none given'} · drawn by miler"


def _caption(fig, sources: list[str]) -> None:
    import textwrap

    fig.supxlabel("\n".join(textwrap.wrap(caption(sources), 130)), fontsize=7.5, x=0.01, ha="left", color="0.35")


def _time_axis(ax, values, signed: bool = False) -> None:
    """Ticks in race time: 3:28, 3:28.5; gaps as +0.50."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    from miler.marks import format_gap, format_mark

    span = (max(values) - min(values)) if len(values) else 0
    decimals = 0 if span > 8 else 1 if span > 1 else 2
    ax.yaxis.set_major_locator(MaxNLocator(nbins=7, steps=[1, 2, 2.5, 5, 10]))
    if signed:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_gap(v, max(decimals, 1))))
    else:
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: format_mark(max(v, 0.0), decimals)))


def progression(bests, event: str, sources: list[str]):
    """Season bests across years, a line per athlete (indoor apart); faster is up."""
    from matplotlib.ticker import MaxNLocator

    fig, ax = _figure(f"Season bests — {event}")
    for (athlete, indoor), rows in bests.groupby(["athlete", "indoor"], sort=False):
        label = athlete + (" (indoor)" if indoor else "")
        line = ax.plot(rows["year"], rows["seconds"], marker="o", label=label, linestyle="--" if indoor else "-")
        for year, secs, time in zip(rows["year"], rows["seconds"], rows["time"]):
            ax.annotate(time, (year, secs), textcoords="offset points", xytext=(0, 7), ha="center", fontsize=7,
                        color=line[0].get_color())
    _time_axis(ax, bests["seconds"].tolist())
    ax.invert_yaxis()
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel("season")
    ax.set_ylabel(f"{event} season best (faster ↑)")
    ax.legend(fontsize=8)
    _caption(fig, sources)
    return fig


def gaps(result, sources: list[str]):
    """The gap between two athletes race by race (A's time minus B's: below 0, A was ahead),
    with its least-squares trend: in seconds for one event, in percent of B's time for several."""
    import numpy as np

    from miler.names import short_names

    a, b = result.athletes
    sa, sb = short_names([a, b]).values()
    g = result.gaps
    if g.empty:
        raise ChartError(f"no chart: {a} and {b} have not both finished a race in these results")
    one_event = g["event"].nunique() == 1
    y = g["gap"] if one_event else g["gap_pct"]
    unit = f"gap, s ({sa} − {sb})" if one_event else f"gap, % of {sb}'s time ({sa} − {sb})"
    fig, ax = _figure(f"{a} v {b}: the gap race by race" + (f" — {g['event'].iat[0]}" if one_event else ""))
    ax.axhline(0, color="0.4", linewidth=0.8)
    ahead = y < 0
    ax.scatter(g["date"][ahead], y[ahead], label=f"{sa} ahead", zorder=3)
    ax.scatter(g["date"][~ahead], y[~ahead], label=f"{sb} ahead (or level)", marker="s", zorder=3)
    if result.trend_pct_per_year is not None:  # the analysis's rule for when there is a trend
        years = (g["date"] - g["date"].min()).dt.days.to_numpy() / 365.25
        slope, intercept = np.polyfit(years, y.to_numpy(dtype=float), 1)
        ends = np.array([years.min(), years.max()])
        per = f"{slope:+.2f} s" if one_event else f"{slope:+.2f} points"
        ax.plot(g["date"].min() + (ends * 365.25).astype("timedelta64[D]"), intercept + slope * ends,
                color="0.3", linestyle="--", label=f"trend: {per} a year")
    elif result.trend_missing:
        ax.plot([], [], " ", label=result.trend_missing)
    if one_event:
        _time_axis(ax, y.tolist(), signed=True)
    ax.set_ylabel(unit)
    ax.set_xlabel("race date")
    ax.legend(fontsize=8)
    _caption(fig, sources)
    return fig


def history(hist, name: str, sources: list[str]):
    """One athlete's rating (mu − 3·sigma) and skill estimate (mu) race by race."""
    fig, ax = _figure(f"Rating history — {name}")
    ax.fill_between(hist["date"], hist["mu"] - 3 * hist["sigma"], hist["mu"] + 3 * hist["sigma"], alpha=0.12,
                    label="mu ± 3·sigma")
    ax.plot(hist["date"], hist["mu"], marker=".", label="mu (skill estimate)")
    ax.plot(hist["date"], hist["rating"], marker=".", label="rating = mu − 3·sigma")
    ax.set_ylabel("rating (Weng–Lin, openskill)")
    ax.set_xlabel("race date")
    ax.legend(fontsize=8)
    _caption(fig, sources)
    return fig


def save(fig, out: IO[bytes], fmt: str) -> None:
    """Write a drawn chart to a binary stream as png or svg (no timestamp in the file)."""
    import matplotlib

    metadata = {"Date": None} if fmt == "svg" else {"Software": "miler"}
    with matplotlib.rc_context({"svg.hashsalt": "miler"}):  # the same chart gives the same file
        fig.savefig(out, format=fmt, metadata=metadata)
