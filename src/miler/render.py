"""Frames to terminal tables, CSV, JSON and Markdown. Writes to the stream it is given.

Tables and Markdown show marks and gaps as athletics prints them (3:29.38, +0.27); CSV and
JSON keep values machine-readable (ISO dates, gaps as numbers, null for nothing).
"""

from __future__ import annotations

import contextlib
import csv
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

import pandas as pd

from miler.marks import format_gap

FORMATS = ("table", "csv", "json", "markdown")


@dataclass
class Column:
    """How one frame column is shown: its key, header, and text form for tables."""

    key: str
    header: str | None = None
    show: Callable[[Any], str] | None = None
    justify: str = "left"
    table: bool = True  # shown in tables and Markdown
    csv: bool = True  # written to CSV

    @property
    def title(self) -> str:
        return self.header if self.header is not None else self.key


@dataclass
class Block:
    """A piece of output: an optional heading and lines of text, then an optional table."""

    title: str = ""
    lines: list[str] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    columns: list[Column] = field(default_factory=list)
    primary: bool = False  # the table CSV writes (default: the last one)
    hidden: bool = False  # only for CSV, not shown in tables or Markdown


# --- cell values ---------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def text(value: Any) -> str:
    """A cell for a table: dates as YYYY-MM-DD, nothing for missing values."""
    if is_missing(value):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def gap_text(value: Any) -> str:
    return "" if is_missing(value) else format_gap(float(value))


def plain(value: Any) -> Any:
    """A cell for JSON/CSV: ISO dates, None for missing, numpy scalars as Python ones."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    if hasattr(value, "item"):  # numpy scalar
        return value.item()
    if isinstance(value, tuple):
        return list(value)
    return value


def records(frame: pd.DataFrame, keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
    keys = list(keys) if keys is not None else list(frame.columns)
    return [{k: plain(v) for k, v in zip(keys, row)} for row in frame[keys].itertuples(index=False, name=None)]


# --- writers -------------------------------------------------------------------------------


def write(blocks: list[Block], fmt: str, out: IO[str], payload: Any = None) -> None:
    """Write blocks in a format. JSON writes payload (or the last block's rows) instead."""
    if fmt == "json":
        if payload is None:
            payload = records(blocks[-1].frame, [c.key for c in blocks[-1].columns]) if blocks else []
        json.dump(payload, out, indent=2, ensure_ascii=False, default=plain)
        out.write("\n")
    elif fmt == "csv":
        tables = [b for b in blocks if b.frame is not None]
        if tables:
            table = next((b for b in tables if b.primary), tables[-1])
            write_csv(table.frame, [c.key for c in table.columns if c.csv], out)
    elif fmt == "markdown":
        _markdown([b for b in blocks if not b.hidden], out)
    else:
        _rich([b for b in blocks if not b.hidden], out)


def write_csv(frame: pd.DataFrame, keys: Sequence[str], out: IO[str]) -> None:
    """CSV with spreadsheet-safe text cells (miler.dataset.write.guard_cell); numbers are left alone."""
    from miler.dataset.write import guard_cell

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(keys)
    for row in records(frame, keys):
        writer.writerow(["" if v is None else guard_cell(v) for v in row.values()])


def _cells(block: Block) -> list[list[str]]:
    cols = _shown(block)
    rows = []
    for row in block.frame[[c.key for c in cols]].itertuples(index=False, name=None):
        rows.append([(c.show or text)(v) for c, v in zip(cols, row)])
    return rows


def _shown(block: Block) -> list[Column]:
    return [c for c in block.columns if c.table]


def _markdown(blocks: list[Block], out: IO[str]) -> None:
    first = True
    for b in blocks:
        if not first:
            out.write("\n")
        first = False
        if b.title:
            out.write(f"### {b.title}\n\n")
        for line in b.lines:
            out.write(f"{line}\n\n" if b.frame is not None else f"{line}\n")
        if b.frame is not None:
            esc = lambda s: s.replace("|", "\\|")  # noqa: E731
            out.write("| " + " | ".join(esc(c.title) for c in _shown(b)) + " |\n")
            out.write("|" + "|".join("---:" if c.justify == "right" else "---" for c in _shown(b)) + "|\n")
            for cells in _cells(b):
                out.write("| " + " | ".join(esc(x) for x in cells) + " |\n")


def console(out: IO[str]):
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # Rich would exit 1 by itself; let the CLI end a closed pipe (| head) its one way.
            self.quiet = True
            raise BrokenPipeError

    terminal = hasattr(out, "isatty") and out.isatty()
    return _Console(file=out, width=None if terminal else 200, highlight=False, soft_wrap=False)


def status(message: str):
    """A spinner with a message on stderr while something slow runs (a context manager)."""
    from rich.console import Console

    return Console(stderr=True).status(message)


def _rich(blocks: list[Block], out: IO[str]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console(out)
    for i, b in enumerate(blocks):
        if i:
            con.print()
        if b.title:
            con.print(Text(b.title, style="bold"))
        for line in b.lines:
            con.print(Text(line))
        if b.frame is not None:
            table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
            for c in _shown(b):
                table.add_column(c.title, justify=c.justify, no_wrap=c.justify == "right")
            for cells in _cells(b):
                table.add_row(*cells)
            con.print(table)


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
    plt.title(title)
    plt.xlabel(xlabel)
    chart = plt.build()
    out.write((chart if terminal else plt.uncolorize(chart)) + "\n")


def plot_progression(bests: pd.DataFrame, event: str, out: IO[str]) -> None:
    """Season bests across years in the terminal, one line per athlete (and per indoor/outdoor)."""
    from miler.marks import format_mark

    with _chart(out, f"Season bests — {event} (lower is faster)", "year") as (plt, markers):
        groups = bests.groupby(["athlete", "indoor"], sort=False)
        for i, ((athlete, indoor), rows) in enumerate(groups):
            label = athlete + (" (indoor)" if indoor else "")
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
        plt.plot(x, history["rating"].tolist(), label=f"{name}: rating", marker=markers[0])
        plt.plot(x, history["mu"].tolist(), label="mu (skill estimate)", marker=markers[1 % len(markers)])
        years = history["date"].dt.year
        first_of_year = [i + 1 for i, (y, prev) in enumerate(zip(years, [None] + years.tolist()[:-1])) if y != prev]
        plt.xticks(first_of_year, [str(years.iloc[i - 1]) for i in first_of_year])
