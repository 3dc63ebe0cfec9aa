"""What every command does around its one analysis call: load the dataset (with progress on a
terminal), resolve the athletes named, filter the races, write the answer; and the sources,
the card and the charts some commands add."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from miler.cli.app import err
from miler.cli.options import Format

if TYPE_CHECKING:
    import pandas as pd

    from miler.dataset import Dataset


PROGRESS_BYTES = 20_000_000  # a file this large takes a second or more to read the first time


def load(data: list[Path] | None) -> Dataset:
    from miler.dataset import load
    from miler.dataset.locate import data_sources

    files = [races for races, _ in data_sources(data)]
    size = sum(f.stat().st_size for f in files)
    if size >= PROGRESS_BYTES and sys.stderr.isatty():
        from miler.render import status

        with status(f"Reading {', '.join(f.name for f in files)} ({size / 1e6:,.0f} MB)…"):
            ds = load(data)
    else:
        ds = load(data)
    for w in ds.warnings:
        err(f"warning: {w}")
    return ds


def resolve(ds: Dataset, queries: list[str], quotes: bool = False):
    """Each query resolved to an athlete (without printing); the notes to print once the
    command has decided that these are its athletes."""
    from miler.errors import MilerError
    from miler.names import Roster, resolve

    counts = ds.athlete_counts()
    if quotes:
        from miler.analysis.quotes import people

        for p in people(ds.quotes):
            counts[p] = counts.get(p, 0) + 1
    roster = Roster(counts)
    found = [resolve(q, roster) for q in queries]
    names = [r.name for r in found]
    if len(set(names)) < len(names):
        raise MilerError(f"the names {', '.join(queries)} do not name different athletes")
    return names, [r.note for r in found if r.note]


def named(ds: Dataset, queries: list[str]) -> list[str]:
    from miler.errors import NotFoundError

    try:
        names, notes = resolve(ds, queries)
    except NotFoundError:
        quoted_only(ds, queries)
        raise
    print_notes(notes)
    return names


def quoted_only(ds: Dataset, queries: list[str]) -> None:
    """A name the quotes know but the results do not is an error that says so."""
    import shlex

    from miler.analysis.quotes import people
    from miler.errors import NotFoundError
    from miler.names import only_quoted, unknown

    athletes = list(ds.athlete_counts())  # their names, without building every row
    quoted = people(ds.quotes) - set(athletes) if not ds.quotes.empty else set()
    for q in (q for q in queries if unknown(q, athletes)):
        name = only_quoted(q, quoted)
        if name:
            raise NotFoundError(f"{name} is in the quotes but has no results in {ds.races_path.name} "
                                f"(what was said: miler quotes --about {shlex.quote(q)})")


def print_notes(notes) -> None:
    for note in notes:
        if note:
            err(note)


def filtered(ds: Dataset, filters, as_event: str | None = None, athletes=None) -> pd.DataFrame:
    """The dataset's races (only these athletes' rows, when given; converted first with --as)
    through the shared filters; nothing left is an error naming the filters."""
    from miler.analysis.filters import apply
    from miler.errors import EmptyResultError

    races = ds.races if athletes is None else ds.rows(athletes=athletes)
    if as_event:
        from miler.analysis.convert import with_conversion

        races = with_conversion(races, as_event)
    races = apply(races, filters)
    if races.empty and athletes is not None:  # as the whole dataset would answer
        return filtered(ds, filters, as_event)
    if races.empty:
        raise EmptyResultError(f"no results match {filters.describe() or 'these filters'} in {ds.races_path}")
    return races


def within(filters) -> str:
    return f" ({filters.describe()})" if filters.describe() else ""


def emit(sections, fmt: Format) -> None:
    from miler.render import write

    write(sections, fmt.value, sys.stdout)


def sourced(result, fields, races, athletes, on: bool):
    """result (a dataclass) with the frames named given a source column, when on."""
    if not on:
        return result
    from dataclasses import replace

    from miler.analysis.sources import attach

    fields = (fields,) if isinstance(fields, str) else fields
    return replace(result, **{f: attach(getattr(result, f), races, athletes) for f in fields})


def sources_shown(sections, on: bool):
    """The sections with their source columns shown (--sources)."""
    from miler.views import with_sources

    return with_sources(sections) if on else sections


def with_card(ds: Dataset, result, sections):
    """The head-to-head's sections opened by its card (bests and medals from all of the two
    athletes' results, not only the filtered ones: only their rows are built)."""
    from miler import views
    from miler.analysis.card import card

    return views.card(card(ds.rows(athletes=list(result.athletes)), ds.athletes, result), sections)


def sourced_races(results, races):
    """A meet's (race, gaps) pairs with each row's source (--sources)."""
    from miler.analysis.sources import attach
    from miler.schema import RACE_KEY

    return [(info, attach(frame.assign(**{k: info[k] for k in RACE_KEY if k in info}), races)) for info, frame in results]


def all_sources(frame, races, athletes=None) -> list[str]:
    """Every source of the rows of races that frame shows (a chart's caption)."""
    from miler.analysis.sources import attach

    return [s for sources in attach(frame, races, athletes)["source"] for s in sources]


def write_chart(path: Path, force: bool, draw) -> None:
    """Draw a chart (draw gets miler.charts and returns a figure), then write it whole to path."""
    from miler import charts
    from miler.files import atomic_write

    fmt = charts.chart_format(path)
    figure = draw(charts)
    with atomic_write(path, force=force, encoding=None) as out:
        charts.save(figure, out, fmt)
    err(f"wrote {path}")
