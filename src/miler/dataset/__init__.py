"""From bytes on disk to one validated dataset: the only names the command line uses.

- ``load(data)`` -> Dataset: the races (validated; a large file read from miler's cache until
  it changes), the quotes and the athletes (athletes.csv: born, nat; read when first asked for).
- ``validate(data)`` -> Report: every problem of every file, the warnings, and a summary.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from miler.dataset.locate import beside, dataset_paths
from miler.errors import DataError, Problem


@dataclass
class Dataset:
    """A loaded dataset: validated races, quotes read on first use, warnings for stderr."""

    races_path: Path
    quotes_path: Path | None
    races: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    athletes_path: Path | None = None

    @cached_property
    def quotes(self) -> pd.DataFrame:
        from miler.dataset.quotes import read_quotes
        from miler.schema import empty_quotes

        if self.quotes_path is None or not self.quotes_path.is_file():
            return empty_quotes()
        return read_quotes(self.quotes_path)

    @cached_property
    def athletes(self) -> pd.DataFrame:
        """athletes.csv (miler.dataset.athletes): athlete, born, nat, source, complete."""
        from miler.dataset.athletes import empty_athletes, read_athletes

        if self.athletes_path is None:
            return empty_athletes()
        return read_athletes(self.athletes_path)


def load(data: str | os.PathLike | None = None) -> Dataset:
    """The dataset at data (see miler.dataset.locate); a large races file is validated once and
    then read from miler's cache (miler.dataset.cache) until it changes."""
    from miler.dataset import cache
    from miler.dataset.races import read_races

    races_path, quotes_path = dataset_paths(data)
    hit = cache.get(races_path)
    if hit is None:
        races, warnings = read_races(races_path)
        cache.put(races_path, races, warnings)
    else:
        races, warnings = hit
    return Dataset(races_path, quotes_path, races, warnings, beside(races_path, "athletes.csv"))


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
        races, warnings = read_races(races_path, notes=True)
    except DataError as exc:
        problems.extend(_as_given(exc.problems, races_path))
        total += exc.total
    if quotes_path is not None:
        try:
            quotes = read_quotes(quotes_path)
        except DataError as exc:
            problems.extend(_as_given(exc.problems, quotes_path))
            total += exc.total
    athletes_path = beside(races_path, "athletes.csv")
    if athletes_path is not None:
        from miler.dataset.athletes import check_against_races, read_athletes

        try:
            athletes = read_athletes(athletes_path, warnings)
            if races is not None:
                warnings.extend(check_against_races(athletes_path.name, athletes, races))
        except DataError as exc:
            problems.extend(exc.problems)
            total += exc.total
    if total:
        return Report(problems, total, warnings, "")
    given = data is not None or bool(os.environ.get("MILER_DATA"))
    where = str(races_path) if given else f"{races_path.name} (the bundled dataset)"
    summary = (
        f"{where}: {len(races):,} rows, {races['race_id'].nunique():,} races, "
        f"{races['athlete'].nunique():,} athletes"
    )
    if quotes is not None:
        summary += f"; {quotes_path.name}: {len(quotes):,} quotes"
    if athletes_path is not None:
        summary += f"; {athletes_path.name}: {len(athletes):,} athletes"
    return Report(problems, total, warnings, summary)


def _as_given(problems: list[Problem], path: Path) -> list[Problem]:
    """Problems naming the file by the path the user gave (as compilers do), not its name."""
    return [Problem(str(path), p.line, p.message) if p.file == path.name else p for p in problems]
