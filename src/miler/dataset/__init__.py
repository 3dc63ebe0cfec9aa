"""From bytes on disk to one validated dataset: the only names the command line uses.

- ``load(data)`` -> Dataset: the races (validated; read from miler's cache until the file
  changes; a frame of every row, or of only the rows a command asks for) and the quotes (read
  when first asked for).
- ``validate(data)`` -> Report: every problem of every file, the warnings, and a summary.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from miler.dataset.locate import dataset_paths
from miler.errors import DataError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from miler.dataset.coded import Coded


class Dataset:
    """A loaded dataset: validated races, quotes read on first use, warnings for stderr.

    ``races`` is every row as one frame, built on first use. A command that needs fewer rows
    asks for them (``rows``, ``one_row_per_race``, ``athlete_counts``): they are found on the
    codes the races are held as (miler.dataset.coded), and only those rows become a frame, equal
    to the same rows of ``races`` (same columns, dtypes, categories and index)."""

    def __init__(self, races_path: Path, quotes_path: Path | None, races: pd.DataFrame | None = None,
                 warnings: list[str] | None = None, *, coded: Coded | None = None) -> None:
        if races is None and coded is None:
            raise TypeError("a Dataset needs its races, as a frame or as codes")
        self.races_path = races_path
        self.quotes_path = quotes_path
        self.warnings = list(warnings or [])
        self.coded = coded
        if races is not None:
            self.__dict__["races"] = races

    @cached_property
    def races(self) -> pd.DataFrame:
        return self.coded.frame()

    @cached_property
    def quotes(self) -> pd.DataFrame:
        from miler.dataset.quotes import read_quotes
        from miler.schema import empty_quotes

        if self.quotes_path is None or not self.quotes_path.is_file():
            return empty_quotes()
        return read_quotes(self.quotes_path)

    def athlete_counts(self) -> dict[str, int]:
        """Each athlete's number of results, most first: races["athlete"].value_counts() as a
        dict, in the same order, without building the rows."""
        import numpy as np
        import pandas as pd

        if self.coded is None:
            return self.races["athlete"].value_counts().to_dict()
        counts = self.coded.fact("rows")
        if int(pd.__version__.split(".")[0]) >= 3:  # value_counts sorts stably: ties in category order
            order = np.argsort(-counts, kind="stable")
            return dict(zip(self.coded.categories["athlete"].take(order).to_pylist(), counts[order].tolist()))
        counts = pd.Series(counts, index=self.coded.index("athlete"), copy=False).sort_values(ascending=False)
        return dict(zip(counts.index.tolist(), counts.to_numpy().tolist()))

    def rows(self, *, athletes: list[str] | None = None, races: list[int] | None = None,
             meet: str | None = None, year: int | None = None) -> pd.DataFrame:
        """The rows of ``races`` that pass every condition given: an athlete among athletes, a
        race id among races, this meet in this year."""
        if self.coded is None:
            import pandas as pd

            frame = self.races
            mask = pd.Series(True, index=frame.index)
            if athletes is not None:
                mask &= frame["athlete"].isin(list(athletes))
            if races is not None:
                mask &= frame["race_id"].isin(list(races))
            if meet is not None:
                mask &= frame["meet"] == meet
            if year is not None:
                mask &= frame["date"].dt.year == year
            return frame[mask]
        return self.coded.frame(self.coded.select(athletes=athletes, races=races, meet=meet, year=year))

    def races_of(self, athletes: list[str]) -> pd.DataFrame:
        """Every row of every race these athletes ran (their rivals' rows too)."""
        mine = self.rows(athletes=athletes)
        return self.rows(races=mine["race_id"].unique().tolist())

    def one_row_per_race(self) -> pd.DataFrame:
        """The first row of each race (in file order): for questions about races (which meets,
        which races) rather than results."""
        if self.coded is None:
            return self.races[~self.races["race_id"].duplicated()]
        return self.coded.frame(self.coded.select(heads=True))


def load(data: str | os.PathLike | None = None) -> Dataset:
    """The dataset at data (see miler.dataset.locate); its races file is validated once and
    then read from miler's cache (miler.dataset.cache) until it changes."""
    from miler.dataset import cache

    races_path, quotes_path = dataset_paths(data)
    trouble: list[str] = []  # the cache's one warning

    def warn(message: str) -> None:
        if not trouble:
            trouble.append(message)

    key = cache.key(races_path)
    hit = cache.get(key, warn) if key is not None else None
    if hit is None:
        from miler.dataset.races import read_races  # the reader and the rules: only when reading

        coded, warnings = read_races(races_path, codes=True)
        if key is not None:
            cache.put(key, coded, warnings, warn)
    else:
        coded, warnings = hit
    return Dataset(races_path, quotes_path, warnings=warnings + trouble, coded=coded)


@dataclass
class Report:
    """What validate found: problems (the first of them, with the total), warnings, a summary."""

    problems: list[Problem]
    total: int
    warnings: list[str]
    summary: str  # one line: rows, races, athletes, quotes; "" when there are problems

    @property
    def ok(self) -> bool:
        return self.total == 0


def validate(data: str | os.PathLike | None = None) -> Report:
    """Check every file of a dataset; every problem, not just the first."""
    from miler.dataset.quotes import read_quotes
    from miler.dataset.races import read_races

    races_path, quotes_path = dataset_paths(data)
    problems: list[Problem] = []
    total = 0
    warnings: list[str] = []
    races = quotes = None
    try:
        races, warnings = read_races(races_path, codes=True)
    except DataError as exc:
        problems.extend(_as_given(exc.problems, races_path))
        total += exc.total
    if quotes_path is not None:
        try:
            quotes = read_quotes(quotes_path)
        except DataError as exc:
            problems.extend(_as_given(exc.problems, quotes_path))
            total += exc.total
    if total:
        return Report(problems, total, warnings, "")
    given = data is not None or bool(os.environ.get("MILER_DATA"))
    where = str(races_path) if given else f"{races_path.name} (the bundled dataset)"
    summary = (
        f"{where}: {len(races):,} rows, {len(races.select(heads=True)):,} races, "
        f"{int((races.counts('athlete') > 0).sum()):,} athletes"
    )
    if quotes is not None:
        summary += f"; {quotes_path.name}: {len(quotes):,} quotes"
    return Report(problems, total, warnings, summary)


def _as_given(problems: list[Problem], path: Path) -> list[Problem]:
    """Problems naming the file by the path the user gave (as compilers do), not its name."""
    return [Problem(str(path), p.line, p.message) if p.file == path.name else p for p in problems]
